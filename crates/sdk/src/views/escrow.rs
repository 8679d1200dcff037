//! Leases and deposits: the figures io_escrow settles with, from `io_escrow::math` and
//! `Lease::held`.
use super::ViewError;
use crate::names::Name;
use io_escrow::{math, Lease, LeaseStatus};
use io_math::Bps;
use serde::Serialize;

/// What opening (or topping up) a lease costs: checked throughout, so an absurd price is an
/// error instead of an overflow panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DepositQuote {
    /// Σ of the devices' rates, base units per hour.
    pub rate_per_hour: u64,
    /// `rate_per_hour × hours`: what the providers can be paid.
    pub base: u64,
    /// The fee reserved on `base`, rounded up (charged only on what is paid; the rest refunded).
    pub fee_reserve: u64,
    /// `base + fee_reserve`: the deposit, and the most the renter signs for (`max_deposit`).
    pub total: u64,
    pub fee_bps: u16,
}

impl DepositQuote {
    pub fn new(rates: &[u64], hours: u32, fee_bps: u16) -> Result<DepositQuote, ViewError> {
        let err = |_| ViewError { figure: "deposit" };
        let rate_per_hour = rates
            .iter()
            .try_fold(0u64, |acc, r| acc.checked_add(*r))
            .ok_or(ViewError { figure: "deposit" })?;
        let (base, fee_reserve) =
            math::deposit_for(rates, hours, Bps::new(fee_bps).map_err(err)?).map_err(err)?;
        let total = math::deposit_total(rates, hours, fee_bps).map_err(err)?;
        Ok(DepositQuote { rate_per_hour, base, fee_reserve, total, fee_bps })
    }
}

/// One lease's figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LeaseView {
    /// The status's user-facing name (`open`, `ended`, `closed`).
    pub status: &'static str,
    /// Hours paid for (opening plus top-ups).
    pub hours: u32,
    pub deposit: u64,
    pub paid: u64,
    pub fees: u64,
    pub refunded: u64,
    /// What the vault must still hold: deposit − paid − fees − refunded.
    pub held: u64,
}

impl LeaseView {
    pub fn new(l: &Lease) -> Result<LeaseView, ViewError> {
        Ok(LeaseView {
            status: l.status.name(),
            hours: l.hours,
            deposit: l.deposit,
            paid: l.paid,
            fees: l.fees,
            refunded: l.refunded,
            held: l.held().map_err(ViewError::of("held deposit"))?,
        })
    }

    /// What `close_lease` at `now` would refund at once, as the program computes it: what is held
    /// less the most the elapsed time can still be owed (each device's
    /// `device_owed_floor(elapsed) − paid`) and the fee on that (`fee_due_ceil`). `None` unless
    /// the lease is open.
    pub fn refund_if_closed_at(l: &Lease, now: i64) -> Result<Option<u64>, ViewError> {
        if l.status != LeaseStatus::Open {
            return Ok(None);
        }
        let err = |_| ViewError { figure: "refund on close" };
        let elapsed = l.elapsed(now);
        let mut reserve_pay = 0u64;
        for d in &l.devices {
            let max_owed = math::device_owed_floor(elapsed, d.rate_per_hour, l.hours).map_err(err)?;
            reserve_pay = io_math::add(reserve_pay, max_owed.saturating_sub(d.paid)).map_err(err)?;
        }
        let fee = Bps::new(l.fee_bps).map_err(err)?;
        let reserve_fee = math::fee_due_ceil(l.paid, reserve_pay, l.fees, fee).map_err(err)?;
        let held = l.held().map_err(ViewError::of("refund on close"))?;
        let keep = io_math::add(reserve_pay, reserve_fee).map_err(err)?;
        Ok(Some(io_math::sub(held, keep).map_err(err)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::prelude::Pubkey;
    use io_escrow::LeaseDevice;

    fn lease() -> Lease {
        let device = |rate| LeaseDevice {
            device: Pubkey::new_unique(),
            offer: Pubkey::new_unique(),
            operator_authority: Pubkey::new_unique(),
            rate_per_hour: rate,
            attested_seconds: 0,
            paid: 0,
        };
        let q = DepositQuote::new(&[3_600_000, 7_200_000], 2, 200).unwrap();
        Lease {
            renter: Pubkey::new_unique(),
            nonce: 1,
            payment_mint: Pubkey::new_unique(),
            vault: Pubkey::new_unique(),
            fee_bps: 200,
            start_ts: 1_000,
            end_ts: 1_000 + 7_200,
            hours: 2,
            max_hours: 10,
            devices: vec![device(3_600_000), device(7_200_000)],
            deposit: q.total,
            paid: 0,
            fees: 0,
            refunded: 0,
            status: LeaseStatus::Open,
            bump: 0,
            vault_bump: 0,
        }
    }

    #[test]
    fn quote_is_checked() {
        let q = DepositQuote::new(&[3_600_000, 7_200_000], 2, 200).unwrap();
        assert_eq!(
            (q.rate_per_hour, q.base, q.fee_reserve, q.total),
            (10_800_000, 21_600_000, 432_000, 22_032_000)
        );
        // The absurd prices the CLI panicked on: a sum of rates or base + reserve past u64::MAX.
        assert!(DepositQuote::new(&[u64::MAX, 1], 1, 0).is_err());
        assert!(DepositQuote::new(&[u64::MAX], 1, 200).is_err());
        assert!(DepositQuote::new(&[1], 1, 10_001).is_err());
    }

    #[test]
    fn lease_figures() {
        let l = lease();
        let v = LeaseView::new(&l).unwrap();
        assert_eq!((v.status, v.hours, v.held), ("open", 2, 22_032_000));
        // Closing at the start refunds everything; after one hour half the base and its fee stay.
        assert_eq!(LeaseView::refund_if_closed_at(&l, 1_000).unwrap(), Some(22_032_000));
        assert_eq!(
            LeaseView::refund_if_closed_at(&l, 1_000 + 3_600).unwrap(),
            Some(22_032_000 - 10_800_000 - 216_000)
        );
        let closed = Lease { status: LeaseStatus::Closed, ..l };
        assert_eq!(LeaseView::refund_if_closed_at(&closed, 0).unwrap(), None);
        assert_eq!(LeaseView::new(&closed).unwrap().status, "closed");
    }
}
