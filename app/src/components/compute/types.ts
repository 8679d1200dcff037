// The indexer rows these pages read, as the indexer serves them today (indexer/src/api/schemas.rs:
// Device/DeviceRow, Lease/LeaseDetail, OperatorDetail, Network, Supply, Position). Amounts are base
// units of the row's mint; timestamps unix seconds of chain time. When the generated OpenAPI
// types (app/src/generated/indexer/) land, these become aliases of them.

export type Num = number | string | null;

export interface DeviceRow {
  address: string;
  operator: string | null;
  gpu_model: string | null;
  gpu_count: number | null;
  vram_gb: number | null;
  region: string | null;
  green: boolean | null;
  class: string | null;
  status: string | null;
  offer: string | null;
  offer_active: boolean | null;
  price_usdc_per_hour: Num;
  price_io_per_hour: Num;
  min_hours: number | null;
  max_hours: number | null;
  lease: string | null;
  leased_until: number | null;
  availability?: 'available' | 'leased' | 'unlisted';
  distance_km?: number | null;
}

export interface LeaseRow {
  address: string;
  renter: string | null;
  payment_mint: string | null;
  fee_bps: number | null;
  hours: number | null;
  start_ts: number | null;
  end_ts: number | null;
  deposit: Num;
  paid: Num;
  fees: Num;
  refunded: Num;
  device_count: number | null;
  status: string | null;
  slot: number;
}

export interface LeaseDeviceRow {
  device: string;
  operator: string | null;
  device_index: number | null;
  rate_per_hour: Num;
  attested_seconds: number | null;
  paid: Num;
}

export interface SettlementRow {
  event_id: number;
  signature: string;
  slot: number;
  block_time: number | null;
  device: string | null;
  device_index: number | null;
  attested_before: number | null;
  attested_after: number | null;
  paid: Num;
  fee: Num;
}

export interface LeaseDetail extends LeaseRow {
  devices: LeaseDeviceRow[];
  settlements: SettlementRow[];
}

export interface OperatorDetail {
  address: string;
  authority: string | null;
  name: string | null;
  region: string | null;
  commission_bps: number | null;
  pending_commission_bps: number | null;
  commission_effective_ts: number | null;
  bond: Num;
  bond_withdrawing: Num;
  bond_unlock_ts: number | null;
  required_bond: Num;
  devices_active: number | null;
  devices_registered: number | null;
  gpus_active: number | null;
  stake_tokens: Num;
  unbonding_tokens: Num;
  commission_claimable: Num;
  delegator_count: number | null;
  slash_count: number | null;
  total_slashed: Num;
  commission_history: {
    event: string;
    signature: string;
    slot: number;
    block_time: number | null;
    commission_bps: number | null;
    requested_bps: number | null;
    effective_ts: number | null;
  }[];
  devices: DeviceRow[];
  slashes: Record<string, unknown>[];
  // What the indexer adds for the provider page (B2); absent on an older indexer.
  status?: string;
  uptime_bps?: number | null;
  bond_status?: { posted: Num; required: Num; free: Num; covered: boolean };
  earnings?: { rewards_allotted: Num; commission_claimed: Num; delegator_rewards_claimed: Num };
}

export interface SupplyFigures {
  decimals: number | null;
  max_supply: Num;
  total_minted: Num;
  total_burned: Num;
  supply: Num;
  burned_lease_fee: Num;
  burned_buyback: Num;
  burned_slash: Num;
  burned_other: Num;
  emitted: Num;
  circulating: Num;
}

export interface NetworkFigures {
  operators: { total?: Num; active?: Num; stake?: Num; bond?: Num; delegators?: Num };
  devices: { total?: Num; active?: Num; gpus_active?: Num; green_active?: Num };
  devices_by_class: { class: string | null; devices: Num; gpus: Num }[];
  leases: { total?: Num; open?: Num; paid?: Num; fees?: Num };
  supply: SupplyFigures;
  [extra: string]: unknown;
}
