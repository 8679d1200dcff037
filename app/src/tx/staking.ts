import { useQuery } from '@tanstack/react-query';
import {
  address,
  getAddressEncoder,
  getProgramDerivedAddress,
  type Address,
  type Instruction,
  type Rpc,
  type SolanaRpcApi,
  type TransactionSigner,
} from '@solana/kit';
import {
  TOKEN_PROGRAM_ADDRESS,
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstructionAsync,
} from '@solana-program/token';
import {
  fetchConfig,
  getClaimRewardsInstructionAsync,
  getPositionSize,
  getStakeInstructionAsync,
  getUnstakeInstructionAsync,
  getWithdrawInstructionAsync,
} from '../generated/io_staking';
import { useConfig } from '../config';
import { RPC_KEY } from '../api/chain';
import { useRpc } from './rpc';
import type { TxRequest } from './runTx';
import type { StakingParams } from './stakingRules';

// The four staker writes of io_staking (stake, unstake, withdraw, claim_rewards) as TxRequests,
// built with the Codama client generated from the program's IDL. The accounts the program
// checks against its Config (mint, vaults) are read from that account on chain.

export type StakingConfig = {
  program: Address;
  config: Address;
  ioMint: Address;
  stakeVault: Address;
  rewardVault: Address;
  params: StakingParams;
};

export type StakingEnv = { rpc: Rpc<SolanaRpcApi>; staking: StakingConfig; staker: string };

/// A token account's size (SPL Token), for the rent of one the transaction creates.
const TOKEN_ACCOUNT_SIZE = 165n;

export async function readStakingConfig(rpc: Rpc<SolanaRpcApi>, program: string, decimals: number): Promise<StakingConfig> {
  const [config] = await getProgramDerivedAddress({ programAddress: address(program), seeds: ['config'] });
  const acc = await fetchConfig(rpc, config);
  const c = acc.data;
  return {
    program: address(program),
    config,
    ioMint: c.ioMint,
    stakeVault: c.stakeVault,
    rewardVault: c.rewardVault,
    params: { minStake: BigInt(c.params.minStake), cooldownSecs: Number(c.params.unstakeCooldownSecs), decimals },
  };
}

/// The staking program's Config (minimum, cooldown, vaults), read once per session and refreshed
/// after each confirmed transaction.
export function useStakingConfig() {
  const rpc = useRpc();
  const { programs, mints } = useConfig();
  return useQuery({
    queryKey: [RPC_KEY, 'staking-config', programs.io_staking],
    queryFn: () => readStakingConfig(rpc, programs.io_staking, mints.io.decimals),
    staleTime: 60_000,
  });
}

async function positionAddress(program: Address, operator: Address, staker: Address): Promise<Address> {
  const enc = getAddressEncoder();
  const [pda] = await getProgramDerivedAddress({ programAddress: program, seeds: ['position', enc.encode(operator), enc.encode(staker)] });
  return pda;
}

async function stakerToken(env: StakingEnv): Promise<Address> {
  const [ata] = await findAssociatedTokenPda({ owner: address(env.staker), mint: env.staking.ioMint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
  return ata;
}

async function exists(rpc: Rpc<SolanaRpcApi>, a: Address): Promise<boolean> {
  const { value } = await rpc.getAccountInfo(a, { encoding: 'base64', commitment: 'confirmed' }).send();
  return value !== null;
}

async function rent(rpc: Rpc<SolanaRpcApi>, size: bigint | number): Promise<bigint> {
  return rpc.getMinimumBalanceForRentExemption(BigInt(size)).send();
}

/// Common accounts of every staker instruction.
async function accounts(env: StakingEnv, operator: string, payer: TransactionSigner) {
  return {
    staker: payer,
    config: env.staking.config,
    operator: address(operator),
    ioMint: env.staking.ioMint,
    stakeVault: env.staking.stakeVault,
    rewardVault: env.staking.rewardVault,
    stakerToken: await stakerToken(env),
  };
}

/// Creates the staker's $IO account first when it does not exist (claim and withdraw pay into it).
async function withTokenAccount(env: StakingEnv, payer: TransactionSigner, ix: Instruction): Promise<Instruction[]> {
  const ata = await stakerToken(env);
  if (await exists(env.rpc, ata)) return [ix];
  const create = await getCreateAssociatedTokenIdempotentInstructionAsync({ payer, owner: address(env.staker), mint: env.staking.ioMint });
  return [create, ix];
}

/// `resolve` re-checks the request with fresh figures right before anything is built: an amount
/// in base units, or the message saying why not.
type Resolve = () => Promise<bigint | string>;

export function stakeRequest(env: StakingEnv, operator: string, resolve: Resolve): TxRequest {
  let amount = 0n;
  const req: TxRequest = {
    label: 'Stake',
    validate: async () => {
      const r = await resolve();
      if (typeof r === 'string') return r;
      amount = r;
      const pos = await positionAddress(env.staking.program, address(operator), address(env.staker));
      // A first stake creates the position account; its rent comes from the staker's SOL.
      req.rentLamports = (await exists(env.rpc, pos)) ? 0n : await rent(env.rpc, getPositionSize());
      return null;
    },
    build: async (payer) => [await getStakeInstructionAsync({ ...(await accounts(env, operator, payer)), amount })],
  };
  return req;
}

export function unstakeRequest(env: StakingEnv, operator: string, resolve: Resolve): TxRequest {
  let amount = 0n;
  const req: TxRequest = {
    label: 'Unstake',
    validate: async () => {
      const r = await resolve();
      if (typeof r === 'string') return r;
      amount = r;
      req.rentLamports = await ataRent(env);
      return null;
    },
    build: async (payer) => withTokenAccount(env, payer, await getUnstakeInstructionAsync({ ...(await accounts(env, operator, payer)), amount })),
  };
  return req;
}

export function withdrawRequest(env: StakingEnv, operator: string): TxRequest {
  const req: TxRequest = {
    label: 'Withdraw',
    validate: async () => {
      req.rentLamports = await ataRent(env);
      return null;
    },
    build: async (payer) => withTokenAccount(env, payer, await getWithdrawInstructionAsync(await accounts(env, operator, payer))),
  };
  return req;
}

export function claimRequest(env: StakingEnv, operator: string): TxRequest {
  const req: TxRequest = {
    label: 'Claim rewards',
    validate: async () => {
      req.rentLamports = await ataRent(env);
      return null;
    },
    build: async (payer) => withTokenAccount(env, payer, await getClaimRewardsInstructionAsync(await accounts(env, operator, payer))),
  };
  return req;
}

async function ataRent(env: StakingEnv): Promise<bigint> {
  return (await exists(env.rpc, await stakerToken(env))) ? 0n : rent(env.rpc, TOKEN_ACCOUNT_SIZE);
}
