// The renter's io_escrow writes (open_lease, top_up_lease, close_lease, finalize_lease) as the
// shell's TxRequests, built with the Codama client generated from the program's IDL. The lease
// and config are read from the chain right before an action (never from the indexer's possibly
// older view); the offers and devices the program takes as remaining accounts are appended to
// the generated instruction (Anchor IDLs do not describe remaining accounts).
import {
  AccountRole,
  address,
  getProgramDerivedAddress,
  type AccountMeta,
  type Address,
  type Instruction,
  type Rpc,
  type SolanaRpcApi,
  type TransactionSigner,
} from '@solana/kit';
import {
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstructionAsync,
  TOKEN_PROGRAM_ADDRESS,
} from '@solana-program/token';
import {
  fetchEscrowConfig,
  fetchMaybeLease,
  findConfigPda,
  findLeasePda,
  findOfferPda,
  findVaultPda,
  getCloseLeaseInstructionAsync,
  getFinalizeLeaseInstructionAsync,
  getOpenLeaseInstructionAsync,
  getTopUpLeaseInstructionAsync,
  type Lease,
} from '../../generated/io_escrow';
import type { TxRequest } from '../../tx/runTx';
import { formatAmount } from '../../lib/amount';
import type { Quote } from './quote';

/// Bytes of a lease account: 8 (discriminator) + `Lease::INIT_SPACE` with its 8-device maximum
/// (programs/io_escrow/src/state/lease.rs); escrowTx.test.ts checks it against the generated
/// codec. The renter pays its rent, and the vault's, at opening.
export const LEASE_ACCOUNT_SIZE = 1137n;
/// An SPL Token account (the lease's vault; an associated account created for a refund).
const TOKEN_ACCOUNT_SIZE = 165n;

/// The program's event authority (Anchor's `#[event_cpi]`: seeds `["__event_authority"]`).
export async function eventAuthority(program: Address): Promise<Address> {
  const [pda] = await getProgramDerivedAddress({ programAddress: program, seeds: ['__event_authority'] });
  return pda;
}

/// The owner's token account of `mint` holding the most (an associated account first among
/// equals), or null when it has none.
export async function renterTokenAccount(
  rpc: Rpc<SolanaRpcApi>,
  owner: string,
  mint: string,
): Promise<{ address: Address; amount: bigint } | null> {
  const { value } = await rpc
    .getTokenAccountsByOwner(address(owner), { mint: address(mint) }, { encoding: 'jsonParsed', commitment: 'confirmed' })
    .send();
  const [ata] = await findAssociatedTokenPda({ owner: address(owner), mint: address(mint), tokenProgram: TOKEN_PROGRAM_ADDRESS });
  let best: { address: Address; amount: bigint } | null = null;
  for (const a of value) {
    const info = (a.account.data as { parsed?: { info?: { tokenAmount?: { amount?: string } } } }).parsed?.info;
    const amount = BigInt(info?.tokenAmount?.amount ?? '0');
    if (!best || amount > best.amount || (amount === best.amount && a.pubkey === ata)) best = { address: a.pubkey, amount };
  }
  return best;
}

/// A fresh lease nonce: random (the lease address is `["lease", renter, nonce]`, so two leases
/// of one renter only need different nonces; no clock is involved).
export function newNonce(): bigint {
  const b = new BigUint64Array(1);
  crypto.getRandomValues(b);
  return b[0];
}

const writable = (a: Address): AccountMeta => ({ address: a, role: AccountRole.WRITABLE });
const readonly = (a: Address): AccountMeta => ({ address: a, role: AccountRole.READONLY });

function withRemaining<T extends Instruction>(ix: T, rest: AccountMeta[]): T {
  return { ...ix, accounts: [...(ix.accounts ?? []), ...rest] };
}

export interface EscrowEnv {
  rpc: Rpc<SolanaRpcApi>;
  program: Address;
  renter: string;
}

/// `open_lease` over the quote's devices, in the quote's currency, bounded by the quote's total
/// (`max_deposit`): a re-priced offer makes the transaction fail instead of costing more.
export function openLeaseRequest(
  env: EscrowEnv,
  args: {
    quote: Quote;
    decimals: number;
    symbol: string;
    nonce: bigint;
    rentLamports: bigint;
    /// Local checks that need no chain read (hours, devices): a message or null.
    precheck: () => string | null;
  },
): TxRequest {
  const { quote, decimals, symbol, nonce } = args;
  let source: Address | null = null;
  return {
    label: 'Open lease',
    rentLamports: args.rentLamports,
    validate: async () => {
      const pre = args.precheck();
      if (pre) return pre;
      if (!quote.paymentMint) return 'The quote names no payment mint; refresh it.';
      const acc = await renterTokenAccount(env.rpc, env.renter, quote.paymentMint);
      if (!acc) return `You have no ${symbol}; the lease needs ${formatAmount(quote.total, decimals)} ${symbol}.`;
      if (acc.amount < quote.total)
        return `The lease needs ${formatAmount(quote.total, decimals)} ${symbol}; your ${symbol} account holds ${formatAmount(acc.amount, decimals)} ${symbol}.`;
      source = acc.address;
      return null;
    },
    build: async (payer: TransactionSigner) => {
      if (!source || !quote.paymentMint) throw new Error('open lease: validate first');
      const [lease] = await findLeasePda({ renter: payer.address, nonce }, { programAddress: env.program });
      const ix = await getOpenLeaseInstructionAsync(
        {
          renter: payer,
          paymentMint: address(quote.paymentMint),
          lease,
          renterToken: source,
          eventAuthority: await eventAuthority(env.program),
          program: env.program,
          nonce,
          hours: quote.hours,
          maxDeposit: quote.total,
        },
        { programAddress: env.program },
      );
      const rest: AccountMeta[] = [];
      for (const d of quote.devices) {
        const offer = d.offer ? address(d.offer) : (await findOfferPda({ device: address(d.device) }, { programAddress: env.program }))[0];
        rest.push(writable(offer), readonly(address(d.device)));
      }
      return [withRemaining(ix, rest)];
    },
  };
}

/// The lease as the chain holds it now (null: no such lease, or already closed and reclaimed).
export async function readLease(rpc: Rpc<SolanaRpcApi>, lease: string): Promise<Lease | null> {
  const acc = await fetchMaybeLease(rpc, address(lease));
  return acc.exists ? acc.data : null;
}

/// io_escrow's parameters the renter sees: the fee rate per currency and the settlement grace
/// period after a lease's end (its config account).
export interface EscrowTerms {
  usdcFeeBps: number;
  ioFeeBps: number;
  /// The smallest deposit an opening or a top-up may make, per currency (base units).
  minDepositUsdc: bigint;
  minDepositIo: bigint;
  graceSecs: number;
}

export async function readEscrowTerms(rpc: Rpc<SolanaRpcApi>, program: Address): Promise<EscrowTerms> {
  const [config] = await findConfigPda({ programAddress: program });
  const p = (await fetchEscrowConfig(rpc, config)).data.params;
  return {
    usdcFeeBps: p.usdcFeeBps,
    ioFeeBps: p.ioFeeBps,
    minDepositUsdc: p.minDepositUsdc,
    minDepositIo: p.minDepositIo,
    graceSecs: Number(p.settlementGraceSecs),
  };
}

async function offersOf(l: Lease): Promise<AccountMeta[]> {
  // The lease records each device's offer: the program requires exactly these, in lease order.
  return l.devices.map((d) => writable(d.offer));
}

/// `top_up_lease`: extends the lease by `hours`, paying Σ rate × hours plus the fee reserve.
export function topUpRequest(
  env: EscrowEnv,
  args: {
    lease: string;
    hours: number;
    decimals: number;
    symbol: string;
    cost: (l: Lease) => bigint;
    /// io_escrow's smallest deposit in the lease's currency (DepositBelowMinimum otherwise).
    minDeposit: bigint;
  },
): TxRequest {
  let l: Lease | null = null;
  let source: Address | null = null;
  return {
    label: 'Top up',
    validate: async () => {
      l = await readLease(env.rpc, args.lease);
      if (!l) return 'This lease no longer exists on chain.';
      if (l.renter !== env.renter) return 'Only the renter can top up this lease.';
      if (l.hours + args.hours > l.maxHours)
        return `At most ${l.maxHours - l.hours} more hours: the offers allow ${l.maxHours} in all.`;
      const need = args.cost(l);
      if (need < args.minDeposit)
        return `A top-up deposits at least ${formatAmount(args.minDeposit, args.decimals)} ${args.symbol}; ${args.hours} h comes to ${formatAmount(need, args.decimals)} ${args.symbol}: add more hours.`;
      const acc = await renterTokenAccount(env.rpc, env.renter, l.paymentMint);
      if (!acc || acc.amount < need)
        return `The top-up needs ${formatAmount(need, args.decimals)} ${args.symbol}; you have ${formatAmount(acc?.amount ?? 0n, args.decimals)} ${args.symbol}.`;
      source = acc.address;
      return null;
    },
    build: async (payer) => {
      if (!l || !source) throw new Error('top up: validate first');
      const ix = await getTopUpLeaseInstructionAsync(
        {
          renter: payer,
          lease: address(args.lease),
          paymentMint: l.paymentMint,
          vault: l.vault,
          renterToken: source,
          eventAuthority: await eventAuthority(env.program),
          program: env.program,
          hours: args.hours,
        },
        { programAddress: env.program },
      );
      return [withRemaining(ix, await offersOf(l))];
    },
  };
}

/// The renter's account of the payment mint to refund into: the fullest existing one, else its
/// associated account, created in the same transaction (idempotently).
async function refundAccount(
  env: EscrowEnv,
  payer: TransactionSigner,
  owner: string,
  mint: Address,
): Promise<{ account: Address; create: Instruction[] }> {
  const acc = await renterTokenAccount(env.rpc, owner, mint);
  if (acc) return { account: acc.address, create: [] };
  const [ata] = await findAssociatedTokenPda({ owner: address(owner), mint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
  const create = await getCreateAssociatedTokenIdempotentInstructionAsync({ payer, owner: address(owner), mint });
  return { account: ata, create: [create] };
}

/// `close_lease`: ends the lease now; the unused time is refunded at once.
export function closeRequest(env: EscrowEnv, args: { lease: string }): TxRequest {
  let l: Lease | null = null;
  return {
    label: 'Close lease',
    rentLamports: 0n,
    validate: async () => {
      l = await readLease(env.rpc, args.lease);
      if (!l) return 'This lease no longer exists on chain.';
      if (l.renter !== env.renter) return 'Only the renter can close this lease.';
      return null;
    },
    build: async (payer) => {
      if (!l) throw new Error('close: validate first');
      const { account, create } = await refundAccount(env, payer, env.renter, l.paymentMint);
      const ix = await getCloseLeaseInstructionAsync(
        {
          renter: payer,
          lease: address(args.lease),
          paymentMint: l.paymentMint,
          vault: l.vault,
          renterToken: account,
          eventAuthority: await eventAuthority(env.program),
          program: env.program,
        },
        { programAddress: env.program },
      );
      return [...create, withRemaining(ix, await offersOf(l))];
    },
  };
}

/// `finalize_lease` (anyone may send it): refunds the rest to the renter and closes the lease.
export function finalizeRequest(env: EscrowEnv, args: { lease: string }): TxRequest {
  let l: Lease | null = null;
  return {
    label: 'Finalize',
    validate: async () => {
      l = await readLease(env.rpc, args.lease);
      return l ? null : 'This lease no longer exists on chain.';
    },
    build: async (payer) => {
      if (!l) throw new Error('finalize: validate first');
      const { account, create } = await refundAccount(env, payer, l.renter, l.paymentMint);
      const [vault] = await findVaultPda({ lease: address(args.lease) }, { programAddress: env.program });
      const ix = await getFinalizeLeaseInstructionAsync(
        {
          lease: address(args.lease),
          paymentMint: l.paymentMint,
          vault,
          renterToken: account,
          eventAuthority: await eventAuthority(env.program),
          program: env.program,
        },
        { programAddress: env.program },
      );
      return [...create, ix];
    },
  };
}

/// Rent the renter pays when opening a lease: the lease account and its token vault.
export async function openLeaseRent(rpc: Rpc<SolanaRpcApi>): Promise<bigint> {
  const [a, b] = await Promise.all([
    rpc.getMinimumBalanceForRentExemption(LEASE_ACCOUNT_SIZE).send(),
    rpc.getMinimumBalanceForRentExemption(TOKEN_ACCOUNT_SIZE).send(),
  ]);
  return a + b;
}
