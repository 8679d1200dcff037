import { describe, expect, it } from 'vitest';
import { unavailableReason } from './DeviceTable';
import type { DeviceRow } from './types';

const base: DeviceRow = {
  address: 'D',
  operator: 'O',
  gpu_model: 'NVIDIA RTX 4090',
  gpu_count: 2,
  vram_gb: 24,
  region: 'eu-north',
  green: true,
  class: 'consumer_gpu',
  status: 'active',
  offer: 'F',
  offer_active: true,
  price_usdc_per_hour: 800_000,
  price_io_per_hour: 320_000_000,
  min_hours: 1,
  max_hours: 720,
  lease: '11111111111111111111111111111111',
  leased_until: 0,
};

describe('unavailableReason', () => {
  it('follows the indexer availability when present', () => {
    expect(unavailableReason({ ...base, availability: 'available' })).toBeNull();
    expect(unavailableReason({ ...base, availability: 'leased' })).toBe('leased');
    expect(unavailableReason({ ...base, status: 'jailed', availability: 'available' })).toBe('device is jailed');
    expect(unavailableReason({ ...base, offer_active: false })).toBe('not offered');
  });
  it('judges lease end against chain time otherwise', () => {
    expect(unavailableReason(base, 100)).toBeNull();
    expect(unavailableReason({ ...base, leased_until: 200 }, 100)).toBe('leased');
    expect(unavailableReason({ ...base, leased_until: 200 }, 300)).toBeNull();
    expect(unavailableReason({ ...base, leased_until: 200 }, null)).toBe('lease state unknown');
  });
});
