import { describe, expect, it } from 'vitest';
import { REGIONS, regionForTimeZone } from './region';

describe('regionForTimeZone', () => {
  it('maps exact zones', () => {
    expect(regionForTimeZone('Europe/Stockholm')).toBe('eu-north');
    expect(regionForTimeZone('America/Los_Angeles')).toBe('us-west');
    expect(regionForTimeZone('Asia/Tokyo')).toBe('ap-northeast');
  });
  it('falls back to the area, then us-east', () => {
    expect(regionForTimeZone('Europe/Berlin')).toBe('eu-central');
    expect(regionForTimeZone('Asia/Kathmandu')).toBe('ap-southeast');
    expect(regionForTimeZone('UTC')).toBe('us-east');
    expect(regionForTimeZone(undefined)).toBe('us-east');
  });
  it('only yields regions the indexer knows', () => {
    for (const z of ['Europe/Paris', 'Africa/Cairo', 'Pacific/Auckland', 'Indian/Maldives', 'Etc/UTC']) {
      expect(REGIONS).toContain(regionForTimeZone(z));
    }
  });
});
