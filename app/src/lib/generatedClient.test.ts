// The generated Codama client encodes what the programs decode: discriminators from the IDLs,
// PDAs from the programs' seeds, and the program ids the run-time config must agree with.
import {
  AccountRole,
  createNoopSigner,
  getAddressDecoder,
  getAddressEncoder,
  getProgramDerivedAddress,
  getU64Decoder,
} from '@solana/kit';
import { describe, expect, test } from 'vitest';
import { IO_ESCROW_PROGRAM_ADDRESS } from '../generated/io_escrow';
import { IO_ORACLE_PROGRAM_ADDRESS } from '../generated/io_oracle';
import {
  findPositionPda,
  getPositionDecoder,
  getPositionEncoder,
  POSITION_DISCRIMINATOR,
  getStakeInstructionAsync,
  IO_STAKING_PROGRAM_ADDRESS,
  STAKE_DISCRIMINATOR,
} from '../generated/io_staking';
import { IO_TOKEN_PROGRAM_ADDRESS } from '../generated/io_token';
import { PROGRAM_ADDRESSES, programIdMismatches } from '../generated/programAddresses';
import { IDLS } from './idls.test-helper';

const key = (byte: number) => getAddressDecoder().decode(new Uint8Array(32).fill(byte));
const staker = createNoopSigner(key(1));
const operator = key(2);
const anyAccount = key(3);
const utf8 = (s: string) => new TextEncoder().encode(s);
const enc = getAddressEncoder();

describe('the stake instruction', () => {
  test("encodes the IDL's discriminator and the amount, and resolves the PDAs", async () => {
    const ix = await getStakeInstructionAsync({
      staker,
      operator,
      ioMint: anyAccount,
      stakeVault: anyAccount,
      rewardVault: anyAccount,
      stakerToken: anyAccount,
      amount: 100_000_000_000n,
    });
    const idlStake = IDLS.io_staking.instructions.find((i) => i.name === 'stake')!;
    expect([...ix.data.slice(0, 8)]).toEqual(idlStake.discriminator);
    expect([...STAKE_DISCRIMINATOR]).toEqual(idlStake.discriminator);
    expect(getU64Decoder().decode(ix.data.slice(8))).toBe(100_000_000_000n);
    expect(ix.programAddress).toBe(IO_STAKING_PROGRAM_ADDRESS);

    const [position] = await getProgramDerivedAddress({
      programAddress: IO_STAKING_PROGRAM_ADDRESS,
      seeds: [utf8('position'), enc.encode(operator), enc.encode(staker.address)],
    });
    const [config] = await getProgramDerivedAddress({ programAddress: IO_STAKING_PROGRAM_ADDRESS, seeds: [utf8('config')] });
    const [eventAuthority] = await getProgramDerivedAddress({
      programAddress: IO_STAKING_PROGRAM_ADDRESS,
      seeds: [utf8('__event_authority')],
    });
    const [positionPda] = await findPositionPda({ operator, staker: staker.address });
    expect(positionPda).toBe(position);

    const accounts = ix.accounts.map((a) => a.address);
    expect(accounts).toEqual([
      staker.address,
      config,
      operator,
      position,
      anyAccount,
      anyAccount,
      anyAccount,
      anyAccount,
      'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
      '11111111111111111111111111111111',
      eventAuthority,
      IO_STAKING_PROGRAM_ADDRESS,
    ]);
    expect(ix.accounts[0].role).toBe(AccountRole.WRITABLE_SIGNER);
    expect(ix.accounts[3].role).toBe(AccountRole.WRITABLE);
  });

  test('positions are decodable (an account the IDL builder misses, added by io-idl)', async () => {
    // Anchor's account discriminator: the first 8 bytes of sha256("account:Position").
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', utf8('account:Position')));
    expect([...POSITION_DISCRIMINATOR]).toEqual([...digest.slice(0, 8)]);
    const bytes = getPositionEncoder().encode({
      operator,
      staker: staker.address,
      shares: 5n,
      rewardPerSharePaid: 7n,
      rewardsOwed: 9n,
      tickets: [0, 1, 2, 3].map((i) => ({ shares: BigInt(i), unlockTs: 1_700_000_000n + BigInt(i), era: i })),
      activatingShares: 0n,
      activationPeriod: 0n,
      freshShares: 0n,
      bump: 254,
    });
    const position = getPositionDecoder().decode(bytes);
    expect(position.operator).toBe(operator);
    expect(position.staker).toBe(staker.address);
    expect(position.shares).toBe(5n);
    expect(position.tickets[3]).toEqual({ shares: 3n, unlockTs: 1_700_000_003n, era: 3 });
    expect([...bytes.slice(0, 8)]).toEqual([...POSITION_DISCRIMINATOR]);
  });
});

describe('program ids', () => {
  test("the generated clients, the IDLs' addresses and PROGRAM_ADDRESSES agree", () => {
    expect(PROGRAM_ADDRESSES).toEqual({
      io_token: IO_TOKEN_PROGRAM_ADDRESS,
      io_staking: IO_STAKING_PROGRAM_ADDRESS,
      io_escrow: IO_ESCROW_PROGRAM_ADDRESS,
      io_oracle: IO_ORACLE_PROGRAM_ADDRESS,
    });
    for (const [name, idl] of Object.entries(IDLS)) {
      expect(PROGRAM_ADDRESSES[name as keyof typeof PROGRAM_ADDRESSES]).toBe(idl.address);
    }
  });

  test('a run-time config for another deployment is caught', () => {
    expect(programIdMismatches({ ...PROGRAM_ADDRESSES })).toEqual([]);
    expect(programIdMismatches({ ...PROGRAM_ADDRESSES, io_staking: IO_ESCROW_PROGRAM_ADDRESS })).toEqual(['io_staking']);
    expect(programIdMismatches({ io_token: IO_TOKEN_PROGRAM_ADDRESS })).toEqual(['io_staking', 'io_escrow', 'io_oracle']);
  });
});
