// Devices as a table with an optional "Select" checkbox per row (only devices available to lease
// can be chosen; the others say why). Shared by the devices page and the new-lease picker.
import { Link } from 'react-router';
import { classLabel, shortAddress } from './classes';
import type { Mints } from './mints';
import type { DeviceRow } from './types';
import { showAmount } from './units';
import { TableWrap } from '../TableWrap';

/// Why a device cannot be chosen for a new lease (null: it can). Rows of `/v1/devices` carry the
/// indexer's `availability`; rows without it (an operator's device list) are judged from the
/// offer and its lease end against chain time `now`.
export function unavailableReason(d: DeviceRow, now: number | null = null): string | null {
  if (d.status !== 'active') return `device is ${d.status ?? 'not active'}`;
  if (!d.offer || !d.offer_active) return 'not offered';
  if (d.availability === 'leased') return 'leased';
  if (d.availability === 'unlisted') return 'not offered';
  if (d.availability === undefined && (d.leased_until ?? 0) > 0) {
    if (now === null) return 'lease state unknown';
    if ((d.leased_until ?? 0) > now) return 'leased';
  }
  return null;
}

export default function DeviceTable(props: {
  rows: DeviceRow[];
  mints: Mints | null;
  caption: string;
  selected?: Set<string>;
  onToggle?: (address: string) => void;
  showDistance?: boolean;
  now?: number | null;
}) {
  const { rows, mints, caption, selected, onToggle, showDistance, now = null } = props;
  const usdc = (v: unknown) => (mints ? showAmount(v, mints.usdc.decimals, 'USDC', 2) : '—');
  const io = (v: unknown) => (mints ? showAmount(v, mints.io.decimals, 'IO', 2) : '—');
  return (
    <TableWrap label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {onToggle ? <th scope="col">Select</th> : null}
            <th scope="col">Device</th>
            <th scope="col">GPU</th>
            <th scope="col">GPUs</th>
            <th scope="col">VRAM</th>
            <th scope="col">Class</th>
            <th scope="col">Region</th>
            {showDistance ? <th scope="col">Distance</th> : null}
            <th scope="col">Green</th>
            <th scope="col">Availability</th>
            <th scope="col">USDC / h</th>
            <th scope="col">IO / h</th>
            <th scope="col">Provider</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => {
            const reason = unavailableReason(d, now);
            return (
              <tr key={d.address}>
                {onToggle ? (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select device ${d.address}`}
                      checked={selected?.has(d.address) ?? false}
                      disabled={reason !== null && !selected?.has(d.address)}
                      title={reason ?? undefined}
                      onChange={() => onToggle(d.address)}
                    />
                  </td>
                ) : null}
                <td className="mono" title={d.address}>
                  {shortAddress(d.address)}
                </td>
                <td>{d.gpu_model ?? '—'}</td>
                <td>{d.gpu_count ?? '—'}</td>
                <td>{d.vram_gb !== null ? `${d.vram_gb} GB` : '—'}</td>
                <td>{classLabel(d.class)}</td>
                <td>{d.region ?? '—'}</td>
                {showDistance ? <td>{d.distance_km != null ? `${d.distance_km} km` : '—'}</td> : null}
                <td>{d.green ? 'Green' : 'No'}</td>
                <td>{reason === null ? 'Available' : reason}</td>
                <td>{d.price_usdc_per_hour ? usdc(d.price_usdc_per_hour) : 'not offered'}</td>
                <td>{d.price_io_per_hour ? io(d.price_io_per_hour) : 'not offered'}</td>
                <td>
                  {d.operator ? (
                    <Link to={`/providers/${d.operator}`}>
                      {shortAddress(d.operator)}
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}
