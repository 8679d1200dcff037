use crate::{
    constants::*,
    error::{MathResultExt, TokenError},
    schedule::Cursor,
};
use anchor_lang::prelude::*;
use io_math::{add, mul, sub, MAX_BPS};

/// The five genesis allocation buckets, each held in its own vault `["vault", [index]]`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum Bucket {
    /// 50%: community incentives; airdrop campaigns are reserved from it.
    Community,
    /// 16%: research and development.
    RnD,
    /// 11.3%: early contributors, vesting.
    EarlyContributors,
    /// 10.2%: series A investors, vesting.
    SeriesA,
    /// 12.5%: seed investors, vesting.
    Seed,
}

impl Bucket {
    pub const ALL: [Bucket; BUCKET_COUNT] =
        [Bucket::Community, Bucket::RnD, Bucket::EarlyContributors, Bucket::SeriesA, Bucket::Seed];

    pub fn index(self) -> usize {
        match self {
            Bucket::Community => 0,
            Bucket::RnD => 1,
            Bucket::EarlyContributors => 2,
            Bucket::SeriesA => 3,
            Bucket::Seed => 4,
        }
    }

    /// The bucket's byte in PDA seeds (its index).
    pub fn seed(self) -> [u8; 1] {
        [self.index() as u8]
    }

    /// Insider buckets release only through vesting schedules.
    pub fn vests(self) -> bool {
        matches!(self, Bucket::EarlyContributors | Bucket::SeriesA | Bucket::Seed)
    }
}

/// Why $IO was burned. The borsh index (0..=3) is part of the `burn` wire format that other
/// programs hard-code in their CPIs: never reorder.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum BurnReason {
    /// Lease fees (io_escrow): reserved to `burn_authorities[0]`.
    LeaseFee,
    /// Treasury buybacks (io_escrow): reserved to `burn_authorities[1]`.
    Buyback,
    /// Slashed bonds and stake (io_staking): reserved to `burn_authorities[2]`.
    Slash,
    /// Anything else, by any holder of the tokens.
    Other,
}

impl BurnReason {
    pub const ALL: [BurnReason; BURN_REASON_COUNT] =
        [BurnReason::LeaseFee, BurnReason::Buyback, BurnReason::Slash, BurnReason::Other];

    pub fn index(self) -> usize {
        match self {
            BurnReason::LeaseFee => 0,
            BurnReason::Buyback => 1,
            BurnReason::Slash => 2,
            BurnReason::Other => 3,
        }
    }

    /// Index into `burn_authorities` for a reserved reason; `None` for `Other`.
    pub fn reserved_index(self) -> Option<usize> {
        match self {
            BurnReason::Other => None,
            r => Some(r.index()),
        }
    }
}

/// The emission schedule's parameters, fixed at `initialize`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct EmissionParams {
    /// Base units emitted in month 0 (≈ 3.33M $IO).
    pub first_month_emission: u64,
    /// Decay from one month to the next, in bps (≈ 1% = 100). Below 10,000.
    pub decay_bps: u16,
}

impl EmissionParams {
    /// 3.33M $IO in month 0, 1% less each month. (Saturating: a client-side default, not
    /// consensus math.)
    pub fn defaults(decimals: u8) -> EmissionParams {
        let one = 10u64.saturating_pow(u32::from(decimals));
        EmissionParams { first_month_emission: 3_330_000u64.saturating_mul(one), decay_bps: 100 }
    }

    pub fn validate(&self, decimals: u8) -> Result<()> {
        let budget = whole_io(EMISSION_BUDGET_IO, decimals)?;
        require!(
            self.first_month_emission > 0 && self.first_month_emission <= budget && self.decay_bps < MAX_BPS,
            TokenError::InvalidParams
        );
        Ok(())
    }
}

/// `io` whole tokens in base units of a mint with `decimals` decimals (`InvalidParams` past
/// [`MAX_DECIMALS`] or on overflow).
pub fn whole_io(io: u64, decimals: u8) -> Result<u64> {
    require!(decimals <= MAX_DECIMALS, TokenError::InvalidParams);
    let one = 10u64.checked_pow(u32::from(decimals)).ok_or(TokenError::InvalidParams)?;
    Ok(mul(io, one).map_err(|_| TokenError::InvalidParams)?)
}

/// Where the hourly emission stands.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace)]
pub struct EmissionState {
    /// Start of hour 0 (the genesis time); 0 before genesis.
    pub start_ts: i64,
    /// Hours already covered: the next hour to emit.
    pub next_hour: u64,
    /// Amount of the month of `next_hour`.
    pub month_amount: u64,
    /// Σ minted by emissions.
    pub emitted: u64,
}

impl EmissionState {
    pub fn cursor(&self) -> Cursor {
        Cursor { next_hour: self.next_hour, month_amount: self.month_amount }
    }
}

/// The program's singleton, PDA `["token_config"]`: the mint authority of the $IO mint and the
/// owner of every vault.
#[account]
#[derive(InitSpace, Debug)]
pub struct TokenConfig {
    /// May pause, run genesis, create vesting schedules and airdrops, set authorities.
    pub admin: Pubkey,
    /// Proposed next admin; `Pubkey::default()` when none. Becomes admin by `accept_admin`.
    pub pending_admin: Pubkey,
    /// While true every non-admin instruction fails with `Paused`.
    pub paused: bool,
    /// The $IO mint, PDA `["io_mint"]`, mint authority this config, no freeze authority.
    pub io_mint: Pubkey,
    pub decimals: u8,
    /// 800M $IO in base units: no mint may take `total_minted` past it.
    pub max_supply: u64,
    pub params: EmissionParams,
    pub genesis_done: bool,
    /// Allocation vaults, indexed by [`Bucket`]; set at genesis.
    pub vaults: [Pubkey; BUCKET_COUNT],
    /// Where emissions go, PDA `["rewards_vault"]`; set at genesis.
    pub rewards_vault: Pubkey,
    /// Genesis amount of each bucket, base units.
    pub allocations: [u64; BUCKET_COUNT],
    /// Committed out of each bucket: vesting schedules' totals, open airdrops' totals (a closed
    /// airdrop keeps only what was claimed).
    pub allocated: [u64; BUCKET_COUNT],
    /// Paid out of each bucket's vault (vesting and airdrop claims).
    pub released: [u64; BUCKET_COUNT],
    /// Vesting schedules created per bucket: the index of the next one.
    pub schedule_count: [u32; BUCKET_COUNT],
    /// Airdrop campaigns created.
    pub campaign_count: u64,
    /// May move rewards out of the rewards vault (`withdraw_rewards`); default until set.
    pub rewards_distributor: Pubkey,
    /// Σ moved out of the rewards vault.
    pub rewards_withdrawn: u64,
    /// Authorities of the reserved burn reasons, indexed by `BurnReason` (`LeaseFee`, `Buyback`,
    /// `Slash`); default (nobody) until set.
    pub burn_authorities: [Pubkey; RESERVED_BURN_REASONS],
    /// Σ ever minted (genesis + emissions).
    pub total_minted: u64,
    pub genesis_minted: u64,
    /// Σ burned through `burn`, per reason (indexed by `BurnReason`).
    pub burned: [u64; BURN_REASON_COUNT],
    pub total_burned: u64,
    pub emission: EmissionState,
    pub bump: u8,
    pub mint_bump: u8,
}

impl TokenConfig {
    pub fn invariant(&self) -> Result<()> {
        self.params.validate(self.decimals)?;
        let genesis_supply = whole_io(GENESIS_SUPPLY_IO, self.decimals)?;
        let emission_budget = sub(self.max_supply, genesis_supply).math()?;
        let burned_sum = self.burned.iter().try_fold(0u64, |acc, b| add(acc, *b)).math()?;
        let allocation_sum = self.allocations.iter().try_fold(0u64, |acc, a| add(acc, *a)).math()?;
        let buckets_ok = (0..BUCKET_COUNT)
            .all(|i| self.released[i] <= self.allocated[i] && self.allocated[i] <= self.allocations[i]);
        let genesis_ok = if self.genesis_done {
            self.genesis_minted == genesis_supply && allocation_sum == genesis_supply
        } else {
            self.genesis_minted == 0 && allocation_sum == 0 && self.emission.emitted == 0
        };
        require!(
            self.max_supply == whole_io(MAX_SUPPLY_IO, self.decimals)?
                && add(self.genesis_minted, self.emission.emitted).math()? == self.total_minted
                && self.total_minted <= self.max_supply
                && self.emission.emitted <= emission_budget
                && burned_sum == self.total_burned
                && self.total_burned <= self.total_minted
                && buckets_ok
                && genesis_ok,
            TokenError::MathOverflow
        );
        Ok(())
    }

    /// The ledger against the mint: `supply ≤ minted − burned`. Equal unless someone burned with
    /// a direct SPL `burn`, which bypasses the ledger (and only lowers the supply further).
    pub fn check_supply(&self, supply: u64) -> Result<()> {
        let ledger = sub(self.total_minted, self.total_burned).math()?;
        require!(supply <= ledger, TokenError::MathOverflow);
        Ok(())
    }

    /// What a bucket still holds unallocated.
    pub fn unallocated(&self, bucket: Bucket) -> Result<u64> {
        let i = bucket.index();
        sub(self.allocations[i], self.allocated[i]).math()
    }
}

impl TokenConfig {
    /// Records a mint of `amount`: refuses with `SupplyCapExceeded` if `total_minted` would pass
    /// `max_supply`. Returns `total_minted` before. Every mint goes through here.
    pub fn record_mint(&mut self, amount: u64) -> Result<u64> {
        let before = self.total_minted;
        let after = before.checked_add(amount).ok_or(TokenError::SupplyCapExceeded)?;
        require!(after <= self.max_supply, TokenError::SupplyCapExceeded);
        self.total_minted = after;
        Ok(before)
    }
}

// The config PDA signs for every vault; its admin and pause rules are the kit's.
io_program_kit::program_config!(TokenConfig, CONFIG_SEED);
