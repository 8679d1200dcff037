//! Accounts of io_oracle.

// In scope wherever `state::*` is: the config's pause check, admin steps and signer seeds.
use crate::{constants::*, error::OracleError};
use anchor_lang::prelude::*;
pub use io_program_kit::ProgramConfig;

/// Tunable parameters; durations in seconds, amounts in $IO base units.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct OracleParams {
    /// Bond each oracle must hold to be named in a set.
    pub min_bond: u64,
    /// Wait between a bond withdrawal request and the withdrawal.
    pub bond_cooldown_secs: i64,
    /// How long the previous set's signatures stay valid after a rotation.
    pub set_grace_secs: i64,
    /// Wait between an admin rotation proposal and its execution.
    pub admin_rotation_timelock_secs: i64,
}

impl OracleParams {
    /// Defaults for a $IO mint of `io_decimals`: a 1,000 $IO bond, 7-day bond cooldown, 1-day
    /// grace for the previous set, 2-day timelock on admin rotations. (Saturating: client-side.)
    pub fn defaults(io_decimals: u8) -> OracleParams {
        OracleParams {
            min_bond: 10u64.saturating_pow(u32::from(io_decimals)).saturating_mul(1_000),
            bond_cooldown_secs: 7 * 24 * 3600,
            set_grace_secs: 24 * 3600,
            admin_rotation_timelock_secs: 2 * 24 * 3600,
        }
    }

    pub fn validate(&self) -> Result<()> {
        let dur = |d: i64| d > 0 && d <= MAX_DURATION_SECS;
        require!(
            self.min_bond > 0
                && dur(self.bond_cooldown_secs)
                && dur(self.set_grace_secs)
                && dur(self.admin_rotation_timelock_secs),
            OracleError::InvalidParams
        );
        Ok(())
    }
}

/// An oracle set: up to eight keys and the number of their signatures that make a quorum.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace)]
pub struct OracleSet {
    pub epoch: u64,
    pub members: [Pubkey; MAX_ORACLES],
    pub count: u8,
    pub threshold: u8,
}

impl OracleSet {
    /// The default threshold of `n` oracles: ⌊2n/3⌋ + 1.
    pub fn default_threshold(n: usize) -> u8 {
        let n = u8::try_from(n).unwrap_or(u8::MAX);
        n.saturating_mul(2).checked_div(3).unwrap_or(0).saturating_add(1)
    }

    pub fn new(epoch: u64, keys: &[Pubkey], threshold: u8) -> Result<Self> {
        require!(!keys.is_empty() && keys.len() <= MAX_ORACLES, OracleError::InvalidSet);
        for (i, k) in keys.iter().enumerate() {
            require!(*k != Pubkey::default() && !keys[..i].contains(k), OracleError::InvalidSet);
        }
        let count = u8::try_from(keys.len()).map_err(|_| OracleError::InvalidSet)?;
        // More than half must sign: two disjoint quorums can never both exist.
        require!(threshold <= count && u16::from(threshold) * 2 > u16::from(count), OracleError::InvalidSet);
        let mut members = [Pubkey::default(); MAX_ORACLES];
        members[..keys.len()].copy_from_slice(keys);
        Ok(OracleSet { epoch, members, count, threshold })
    }

    pub fn keys(&self) -> &[Pubkey] {
        &self.members[..usize::from(self.count).min(MAX_ORACLES)]
    }

    pub fn position(&self, key: &Pubkey) -> Option<usize> {
        self.keys().iter().position(|k| k == key)
    }
}

/// A rotation proposed by the admin, executable after the timelock.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace)]
pub struct PendingRotation {
    pub set: OracleSet,
    /// 0 when none is pending.
    pub executable_ts: i64,
}

/// The singleton, PDA `["oracle_config"]`: admin, parameters, the current and previous sets, the
/// last certified period. One account, so that certifying a report needs as few accounts as
/// possible (an 8-signature certification fills a transaction).
#[account]
#[derive(InitSpace, Debug)]
pub struct OracleConfig {
    pub admin: Pubkey,
    pub pending_admin: Pubkey,
    pub paused: bool,
    pub io_mint: Pubkey,
    pub bond_vault: Pubkey,
    pub params: OracleParams,
    pub set: OracleSet,
    /// The set before the last rotation; its signatures count until `prev_valid_until`.
    pub prev_set: OracleSet,
    pub prev_valid_until: i64,
    pub pending_rotation: PendingRotation,
    /// Highest period certified so far (0 before the first).
    pub last_period: u64,
    pub reports_certified: u64,
    pub total_bonded: u64,
    pub total_slashed: u64,
    pub bump: u8,
    /// The cluster this deployment serves: its genesis hash, given at `initialize` and never
    /// changed. Programs cannot read the genesis hash, so the config carries it, and every signed
    /// digest binds it: a devnet report or rotation never verifies on mainnet, even for the same
    /// program id and the same oracle keys.
    pub cluster_id: [u8; 32],
    /// Last period the previous set may certify: the one in progress when it was rotated out. A
    /// key removed from the set never certifies a period that starts after its removal.
    pub prev_last_period: u64,
    /// Set when a proven equivocator could not be removed from the current set because it was
    /// its only key: that set certifies and rotates nothing more, and gets no grace when the
    /// admin's rotation replaces it.
    pub set_revoked: bool,
}

impl OracleConfig {
    pub fn invariant(&self) -> Result<()> {
        self.params.validate()?;
        OracleSet::new(self.set.epoch, self.set.keys(), self.set.threshold)?;
        require!(self.cluster_id != [0; 32], OracleError::InvalidParams);
        Ok(())
    }

    /// Whether `key`'s signatures may still count at `now`: it is in the current set, or in the
    /// previous one during its grace. Such a key's bond cannot leave.
    pub fn may_sign(&self, key: &Pubkey, now: i64) -> bool {
        self.set.position(key).is_some()
            || (self.prev_set.position(key).is_some() && now < self.prev_valid_until)
    }

    /// A donation to the bond vault is never a reason to refuse anything; only a vault holding
    /// less than the ledger's bonds (slashable amounts included) is.
    pub fn check_vault(&self, vault_amount: u64) -> Result<()> {
        require!(vault_amount >= self.total_bonded, OracleError::VaultBelowLedger);
        Ok(())
    }

    /// The set whose signatures count for a report of `period` naming `epoch` at `now`. The
    /// previous set counts only during its grace and only for periods that had started when it
    /// was rotated out.
    pub fn set_for_epoch(&self, epoch: u64, period: u64, now: i64) -> Result<&OracleSet> {
        if epoch == self.set.epoch {
            require!(!self.set_revoked, OracleError::SetRevoked);
            Ok(&self.set)
        } else if epoch == self.prev_set.epoch
            && self.prev_set.count > 0
            && now < self.prev_valid_until
            && period <= self.prev_last_period
        {
            Ok(&self.prev_set)
        } else {
            err!(OracleError::StaleSetEpoch)
        }
    }

    /// Makes `next` the current set; the current one stays valid for the grace period, for the
    /// periods started so far.
    pub fn rotate(&mut self, keys: &[Pubkey], threshold: u8, now: i64) -> Result<()> {
        let epoch = self.set.epoch.checked_add(1).ok_or(OracleError::MathOverflow)?;
        let next = OracleSet::new(epoch, keys, threshold)?;
        self.prev_set = self.set;
        self.prev_valid_until =
            now.checked_add(self.params.set_grace_secs).ok_or(OracleError::MathOverflow)?;
        self.prev_last_period = period_at(now)?;
        if self.set_revoked {
            // A revoked set holds a proven equivocator: no grace.
            self.prev_valid_until = now;
            self.set_revoked = false;
        }
        self.set = next;
        self.pending_rotation = PendingRotation::default();
        Ok(())
    }
}

/// The hour index of unix time `ts`.
pub fn period_at(ts: i64) -> Result<u64> {
    let hours = ts.checked_div(PERIOD_SECS).ok_or(OracleError::MathOverflow)?;
    Ok(u64::try_from(hours).map_err(|_| OracleError::MathOverflow)?)
}

/// An oracle's bond, PDA `["oracle_bond", oracle]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct OracleBond {
    pub oracle: Pubkey,
    pub amount: u64,
    /// Requested for withdrawal; still slashable until withdrawn.
    pub withdrawing: u64,
    pub unlock_ts: i64,
    /// Set by an equivocation proof: the bond was burned and the key removed.
    pub slashed: bool,
    pub bump: u8,
}

/// The content of an hourly report. Its digest (see [`crate::report_digest`]) is what the oracles
/// sign.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace)]
pub struct ReportBody {
    /// Hour index: unix time / 3600.
    pub period: u64,
    pub set_epoch: u64,
    /// Merkle root of (operator, cumulative reward) leaves.
    pub rewards_root: [u8; 32],
    /// Merkle root of (lease, device, cumulative attested seconds) leaves.
    pub usage_root: [u8; 32],
    /// Merkle root of (device, hardware class, green, status) leaves.
    pub devices_root: [u8; 32],
    /// Merkle root of (operator, amount, evidence hash) leaves.
    pub slashes_root: [u8; 32],
    /// IO/USDC price: USDC base units per whole $IO.
    pub usdc_per_io: u64,
    /// Totals of the period, for the public record.
    pub emission_distributed: u64,
    pub device_seconds: u64,
    pub devices_attested: u32,
    /// Last slot at which the report may be certified.
    pub expiry_slot: u64,
}

impl ReportBody {
    /// Whether two bodies say the same thing: equal in everything but `expiry_slot` and
    /// `set_epoch`. Re-signing the same content with a later expiry (after a certification
    /// attempt expired) or under the next set's epoch (after a rotation) is honest; only two
    /// different contents for one period are an equivocation.
    pub fn same_content(&self, other: &ReportBody) -> bool {
        let normal = |b: &ReportBody| ReportBody { expiry_slot: 0, set_epoch: 0, ..*b };
        normal(self) == normal(other)
    }
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum ReportStatus {
    /// Posted by a relayer; not yet backed by a quorum.
    Posted,
    /// Certified by a quorum of the set: the roots may be used for claims.
    Certified,
}

/// A report candidate, PDA `["report", period (u64 LE), digest]`. Several candidates of one period
/// may be posted; at most one is ever certified (periods only move forward). Never closed.
#[account]
#[derive(InitSpace, Debug)]
pub struct Report {
    pub body: ReportBody,
    pub digest: [u8; 32],
    pub status: ReportStatus,
    /// Bitmap of the set members whose signatures certified it.
    pub signers: u8,
    pub posted_by: Pubkey,
    pub certified_slot: u64,
    pub bump: u8,
}

/// Proof that an oracle equivocated in a period, PDA `["equivocation", oracle, period]`. Its
/// existence prevents a second slash for the same offence; never closed.
#[account]
#[derive(InitSpace, Debug)]
pub struct Equivocation {
    pub oracle: Pubkey,
    pub period: u64,
    pub digest_a: [u8; 32],
    pub digest_b: [u8; 32],
    pub slashed: u64,
    pub reporter: Pubkey,
}

// The config PDA signs for every vault; its admin and pause rules are the kit's.
io_program_kit::program_config!(OracleConfig, CONFIG_SEED);
