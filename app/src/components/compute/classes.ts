// Hardware classes and device statuses as io_staking names them (the indexer's `class` and
// `status` filter values: HardwareClass / DeviceStatus `names()`), with their display words.
export const DEVICE_CLASSES = ['cpu', 'consumer_gpu', 'workstation_gpu', 'datacenter_gpu', 'flagship_gpu'] as const;

export function classLabel(c: string | null): string {
  return c === null ? '—' : c === 'cpu' ? 'CPU' : c.replace(/_gpu$/, ' GPU').replace(/_/g, ' ');
}

export function shortAddress(a: string | null): string {
  return a === null ? '—' : a.length > 12 ? `${a.slice(0, 4)}…${a.slice(-4)}` : a;
}
