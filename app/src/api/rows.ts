import { big, big0, int, str } from '../lib/json';

// The indexer's row shapes as the app reads them: each parsed here once, amounts as bigints.
// Fields the indexer may not serve yet (part B2's est. APY, uptime, status; part B1's chain time)
// are optional and read as null, so a page shows "—" rather than a made-up 0.

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export type OperatorStatus = 'active' | 'jailed' | 'exiting' | 'inactive' | string;

export type OperatorRow = {
  address: string;
  name: string | null;
  region: string | null;
  commissionBps: number | null;
  pendingCommissionBps: number | null;
  commissionEffectiveTs: number | null;
  /// The commission changed (or a change is pending) within the last 7 days of chain time.
  commissionChanged: boolean;
  bond: bigint | null;
  requiredBond: bigint | null;
  stake: bigint | null;
  unbonding: bigint | null;
  delegatorCount: number | null;
  slashCount: number | null;
  devicesActive: number | null;
  devicesRegistered: number | null;
  gpusActive: number | null;
  gpuModels: string[];
  /// Uptime over the latest certified reports, in basis points; null when not served.
  uptimeBps: number | null;
  /// Estimated net APY after commission, basis points (io-sdk's figure); null when not served.
  estNetApyBps: number | null;
  status: OperatorStatus | null;
  slot: number;
};

export function parseOperator(v: unknown): OperatorRow {
  const o = obj(v);
  const devicesActive = int(o.devices_active);
  const pending = int(o.pending_commission_bps);
  const changedFlag = o.commission_changed_recently ?? o.commission_changed_7d ?? o.commission_changed;
  return {
    address: String(o.address),
    name: str(o.name),
    region: str(o.region),
    commissionBps: int(o.commission_bps),
    pendingCommissionBps: pending,
    commissionEffectiveTs: int(o.commission_effective_ts),
    commissionChanged:
      typeof changedFlag === 'boolean' ? changedFlag : pending !== null && pending !== int(o.commission_bps),
    bond: big(o.bond),
    requiredBond: big(o.required_bond),
    stake: big(o.stake_tokens ?? o.stake),
    unbonding: big(o.unbonding_tokens),
    delegatorCount: int(o.delegator_count),
    slashCount: int(o.slash_count),
    devicesActive,
    devicesRegistered: int(o.devices_registered),
    gpusActive: int(o.gpus_active ?? o.gpus),
    gpuModels: arr(o.gpu_models).filter((m): m is string => typeof m === 'string'),
    uptimeBps: int(o.uptime_bps),
    estNetApyBps: int(o.est_net_apy_bps ?? o.net_apy_bps),
    status: str(o.status) ?? (devicesActive === null ? null : devicesActive > 0 ? 'active' : 'inactive'),
    slot: int(o.slot) ?? 0,
  };
}

export const parseOperators = (v: unknown): OperatorRow[] => arr(v).map(parseOperator);

export type DeviceRow = {
  address: string;
  gpuModel: string | null;
  gpuCount: number | null;
  vramGb: number | null;
  region: string | null;
  green: boolean | null;
  class: string | null;
  status: string | null;
  leasedUntil: number | null;
};

export type SlashRow = { address: string; idx: number | null; amount: bigint | null; status: string | null; executableTs: number | null; slot: number };

export type CommissionChange = {
  slot: number;
  blockTime: number | null;
  signature: string;
  event: string;
  commissionBps: number | null;
  requestedBps: number | null;
  effectiveTs: number | null;
};

export type OperatorDetail = OperatorRow & {
  devices: DeviceRow[];
  slashes: SlashRow[];
  commissionHistory: CommissionChange[];
};

export function parseOperatorDetail(v: unknown): OperatorDetail {
  const o = obj(v);
  return {
    ...parseOperator(o),
    devices: arr(o.devices).map((d) => {
      const x = obj(d);
      return {
        address: String(x.address),
        gpuModel: str(x.gpu_model),
        gpuCount: int(x.gpu_count),
        vramGb: int(x.vram_gb),
        region: str(x.region),
        green: typeof x.green === 'boolean' ? x.green : null,
        class: str(x.class),
        status: str(x.status),
        leasedUntil: int(x.leased_until),
      };
    }),
    slashes: arr(o.slashes).map((s) => {
      const x = obj(s);
      return {
        address: String(x.address),
        idx: int(x.idx),
        amount: big(x.amount),
        status: str(x.status),
        executableTs: int(x.executable_ts),
        slot: int(x.slot) ?? 0,
      };
    }),
    commissionHistory: arr(o.commission_history).map((h) => {
      const x = obj(h);
      return {
        slot: int(x.slot) ?? 0,
        blockTime: int(x.block_time),
        signature: String(x.signature ?? ''),
        event: String(x.event ?? ''),
        commissionBps: int(x.commission_bps),
        requestedBps: int(x.requested_bps),
        effectiveTs: int(x.effective_ts),
      };
    }),
  };
}

export type Ticket = { amount: bigint; unlockTs: number; signature: string; slot: number };

export type Position = {
  operator: string;
  operatorName: string | null;
  address: string | null;
  commissionBps: number | null;
  /// All the position's shares at the pool's rate (io-sdk's figure).
  value: bigint;
  /// The part of `value` still warming up (earns from the next reward period).
  activatingValue: bigint;
  /// What claim_rewards would pay now; null when the indexer could not compute it.
  claimable: bigint | null;
  rewardsClaimed: bigint;
  pendingUnstakes: Ticket[];
  slot: number;
};

export function parsePositions(v: unknown): Position[] {
  return arr(v).map((p) => {
    const o = obj(p);
    return {
      operator: String(o.operator),
      operatorName: str(o.operator_name),
      address: str(o.address),
      commissionBps: int(o.commission_bps),
      value: big0(o.value),
      activatingValue: big0(o.activating_value),
      claimable: big(o.claimable_rewards),
      rewardsClaimed: big0(o.rewards_claimed),
      pendingUnstakes: arr(o.pending_unstakes).map((t) => {
        const x = obj(t);
        return { amount: big0(x.amount), unlockTs: int(x.unlock_ts) ?? 0, signature: String(x.signature ?? ''), slot: int(x.slot) ?? 0 };
      }),
      slot: int(o.slot) ?? 0,
    };
  });
}

export type Health = {
  ok: boolean;
  reasons: string[];
  indexedSlot: number;
  chainSlot: number | null;
  /// Chain time (unix seconds) at the indexed slot; null until the indexer serves it.
  chainTime: number | null;
};

/// /status: `ingest` (present when the process ingests) says whether it is healthy and why not.
export function parseStatus(data: unknown, envelopeSlot: number): Health {
  const o = obj(data);
  const ingest = o.ingest ? obj(o.ingest) : null;
  return {
    ok: ingest ? ingest.healthy !== false : true,
    reasons: ingest ? arr(ingest.reasons).map(String) : [],
    indexedSlot: int(o.indexed_slot) ?? envelopeSlot,
    chainSlot: int(o.chain_slot),
    chainTime: int(o.chain_time ?? o.indexed_block_time),
  };
}

export function parseHealth(data: unknown, envelopeSlot: number): Health {
  const o = obj(data);
  return {
    ok: o.status === 'ok',
    reasons: arr(o.reasons).map(String),
    indexedSlot: int(o.indexed_slot) ?? envelopeSlot,
    chainSlot: int(o.chain_slot),
    chainTime: int(o.chain_time ?? o.indexed_block_time),
  };
}

/// One point of a history series: its time (unix seconds) and named values (amounts as bigint,
/// counts and bps as bigint too; the chart converts).
export type HistoryPoint = { t: number; values: Record<string, bigint | null> };
export type History = { bucket: string; points: HistoryPoint[] };

export function parseHistory(v: unknown): History {
  const o = obj(v);
  return {
    bucket: String(o.bucket ?? ''),
    points: arr(o.points).map((p) => {
      const x = obj(p);
      const values: Record<string, bigint | null> = {};
      for (const [k, val] of Object.entries(x)) {
        if (k === 't') continue;
        if (val === null || typeof val === 'number' || (typeof val === 'string' && /^-?\d+$/.test(val))) values[k] = big(val);
      }
      return { t: int(x.t) ?? 0, values };
    }),
  };
}

/// One claim of a wallet's rewards.
export type RewardClaim = { t: number | null; operator: string; amount: bigint; signature: string; slot: number };

/// A wallet's rewards history (`/v1/wallets/{address}/rewards`): the series (claimed per bucket
/// and cumulative) and every claim in the range.
export type WalletRewards = { bucket: string; points: HistoryPoint[]; claims: RewardClaim[] };

export function parseRewards(v: unknown): WalletRewards {
  const o = obj(v);
  return {
    ...parseHistory(o),
    claims: arr(o.claims).map((c) => {
      const x = obj(c);
      return {
        t: int(x.block_time),
        operator: String(x.operator ?? ''),
        amount: big0(x.amount),
        signature: String(x.signature ?? ''),
        slot: int(x.slot) ?? 0,
      };
    }),
  };
}

export type IndexedTx = { signature: string; slot: number; success: boolean; error: { message: string; name: string } | null };

export function parseTransaction(v: unknown): IndexedTx {
  const o = obj(v);
  const e = o.error ? obj(o.error) : null;
  return {
    signature: String(o.signature),
    slot: int(o.slot) ?? 0,
    success: o.success === true,
    error: e ? { message: String(e.message ?? ''), name: String(e.name ?? '') } : null,
  };
}
