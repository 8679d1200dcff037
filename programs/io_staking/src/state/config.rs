use crate::{constants::*, error::StakingError};
use anchor_lang::prelude::*;

/// Tunable parameters. Durations are seconds; amounts are base units of the $IO mint.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct Params {
    /// Smallest non-zero stake position (100 $IO in base units for the mainnet mint).
    pub min_stake: u64,
    /// Wait between `unstake` and `withdraw` (default 14 days).
    pub unstake_cooldown_secs: i64,
    /// Bond per GPU for each [`HardwareClass`](crate::state::HardwareClass), indexed by class.
    /// A CPU device counts as one unit.
    pub bond_per_gpu: [u64; HARDWARE_CLASS_COUNT],
    /// Highest commission an operator may charge, in bps.
    pub commission_cap_bps: u16,
    /// Largest change, up or down, one commission request may make, in bps.
    pub max_commission_change_bps: u16,
    /// Length of a reward epoch: at most one commission request per operator per epoch.
    pub commission_epoch_secs: i64,
    /// Delay between a commission request and the moment it applies.
    pub commission_delay_secs: i64,
    /// Wait between a bond withdrawal request and the withdrawal. Must exceed the slash appeal
    /// window, so a bond cannot leave before a slash proposed against it can execute.
    pub bond_unbonding_secs: i64,
    /// Window after a slash is proposed during which the admin may cancel it.
    pub slash_appeal_secs: i64,
}

impl Params {
    /// Defaults for a mint with `decimals` decimals: 100 $IO minimum, 14-day cooldown.
    /// (Saturating: for a client-side default, not consensus math.)
    pub fn defaults(decimals: u8) -> Params {
        let one = 10u64.saturating_pow(u32::from(decimals));
        let io = |n: u64| n.saturating_mul(one);
        let day: i64 = 24 * 3600;
        Params {
            min_stake: io(100),
            unstake_cooldown_secs: 14 * day,
            // CPU, consumer GPU, workstation GPU, datacenter GPU, flagship GPU.
            bond_per_gpu: [io(50), io(200), io(500), io(1_000), io(2_000)],
            commission_cap_bps: 2_000,
            max_commission_change_bps: 200,
            commission_epoch_secs: day,
            commission_delay_secs: 2 * day,
            bond_unbonding_secs: 21 * day,
            slash_appeal_secs: 7 * day,
        }
    }

    pub fn validate(&self) -> Result<()> {
        let dur = |d: i64| d > 0 && d <= MAX_DURATION_SECS;
        require!(
            self.min_stake > 0
                && dur(self.unstake_cooldown_secs)
                && dur(self.commission_epoch_secs)
                && self.commission_delay_secs >= 0
                && self.commission_delay_secs <= MAX_DURATION_SECS
                && dur(self.bond_unbonding_secs)
                && dur(self.slash_appeal_secs)
                && self.bond_unbonding_secs > self.slash_appeal_secs
                && self.commission_cap_bps <= io_math::MAX_BPS
                && self.max_commission_change_bps <= io_math::MAX_BPS
                && self.bond_per_gpu.iter().all(|b| *b > 0),
            StakingError::InvalidParams
        );
        Ok(())
    }
}

/// The program's singleton, PDA `["config"]`. Authority of the three vaults.
#[account]
#[derive(InitSpace, Debug)]
pub struct Config {
    /// May change parameters, authorities and the pause switch, and cancel slashes.
    pub admin: Pubkey,
    /// Proposed next admin; `Pubkey::default()` when none. Becomes admin by `accept_admin`.
    pub pending_admin: Pubkey,
    /// While true every non-admin instruction fails with `Paused`.
    pub paused: bool,
    /// The $IO mint (SPL Token, no Token-2022).
    pub io_mint: Pubkey,
    /// Decimals of `io_mint`, copied at initialisation for `transfer_checked`.
    pub io_decimals: u8,
    /// Delegators' stake, active and unbonding, PDA `["stake_vault"]`.
    pub stake_vault: Pubkey,
    /// Operators' bonds, PDA `["bond_vault"]`.
    pub bond_vault: Pubkey,
    /// Rewards not yet claimed, PDA `["reward_vault"]`.
    pub reward_vault: Pubkey,
    /// Activates and jails devices, proposes slashes. The oracle quorum takes this role later.
    pub oracle_authority: Pubkey,
    /// Funds operator rewards. Replaced by Merkle-proof claims from oracle reports later.
    pub rewards_authority: Pubkey,
    pub params: Params,
    /// Number of operators ever registered.
    pub operator_count: u64,
    /// Σ operators' `bond + bond_withdrawing`: equals the bond vault's balance.
    pub total_bonded: u64,
    /// Σ operators' active pool tokens plus unbonding pool tokens: equals the stake vault's balance.
    pub total_staked: u64,
    /// Σ rewards ever funded.
    pub rewards_funded: u64,
    /// Σ rewards ever paid out (delegator claims plus commission claims).
    pub rewards_paid: u64,
    /// Σ $IO burned by executed slashes.
    pub total_slashed: u64,
    pub bump: u8,
}

impl Config {
    pub fn invariant(&self) -> Result<()> {
        self.params.validate()?;
        require!(self.rewards_paid <= self.rewards_funded, StakingError::MathOverflow);
        Ok(())
    }

    /// What the reward vault owes: rewards funded and not yet paid (claimable or dust).
    pub fn rewards_held(&self) -> Result<u64> {
        io_math::sub(self.rewards_funded, self.rewards_paid).map_err(|_| error!(StakingError::MathOverflow))
    }
}

// The config PDA signs for every vault; its admin and pause rules are the kit's.
io_program_kit::program_config!(Config, CONFIG_SEED);
