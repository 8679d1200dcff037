import { describe, expect, it } from 'vitest';
import { address } from '@solana/kit';
import { getLeaseEncoder, LeaseStatus } from '../../generated/io_escrow';
import { LEASE_ACCOUNT_SIZE, eventAuthority, newNonce } from './escrowTx';

const A = address('4y11EiTTi4LJ2Qc42577NzvMwt8jc6onfwkRZ1ytmCZx');

describe('lease account size', () => {
  it('is what the generated codec writes for a lease with the 8-device maximum', () => {
    const device = { device: A, offer: A, operatorAuthority: A, ratePerHour: 1n, attestedSeconds: 0n, paid: 0n };
    const bytes = getLeaseEncoder().encode({
      renter: A,
      nonce: 1n,
      paymentMint: A,
      vault: A,
      feeBps: 200,
      startTs: 0n,
      endTs: 0n,
      hours: 1,
      maxHours: 1,
      devices: Array.from({ length: 8 }, () => device),
      deposit: 0n,
      paid: 0n,
      fees: 0n,
      refunded: 0n,
      status: LeaseStatus.Open,
      bump: 255,
      vaultBump: 255,
    });
    expect(BigInt(bytes.length)).toBe(LEASE_ACCOUNT_SIZE);
  });
});

describe('helpers', () => {
  it('derives the event authority that the manifest of the local network lists for io_escrow', async () => {
    // .localnet/manifest.json programs.io_escrow.event_authority (the bootstrap derives it in Rust).
    expect(await eventAuthority(A)).toBe('89vZRixMv3EJ4CUQ33Uv9EtrhYJmFqCorJRHMxRd2KpP');
  });
  it('draws distinct u64 nonces', () => {
    const a = newNonce();
    expect(a).toBeGreaterThanOrEqual(0n);
    expect(a < 2n ** 64n).toBe(true);
    expect(newNonce()).not.toBe(a);
  });
});
