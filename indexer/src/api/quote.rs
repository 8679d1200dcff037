//! `/v1/quote?devices=<d1,d2>&hours=N&currency=usdc|io`: what opening a lease over these devices
//! costs, as `io_escrow::open_lease` will charge it (`io_sdk::views::DepositQuote`, which is
//! `io_escrow::math::deposit_for`): each device's hourly price and its escrow (`rate × hours`),
//! the protocol fee reserved on the sum (USDC: the config's `usdc_fee_bps`, 2%, rounded up; $IO:
//! `io_fee_bps`, none) and the total the renter deposits. The app passes `total` as the
//! transaction's `max_deposit`, so a re-priced offer cannot take more than the renter was shown.
//! A device `open_lease` would refuse (unknown, not active, no active offer, leased at the
//! indexed chain time, not priced in the currency, `hours` outside its offer) is a 400 naming it.
use super::params::{self, ApiError};
use super::query::{QueryParams, TypedQuery};
use super::{reply, AppState};
use crate::store::quote::QuoteDeviceRow;
use axum::extract::State;
use axum::response::Response;
use io_escrow::{MAX_LEASE_DEVICES, MAX_LEASE_HOURS};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Currency {
    Usdc,
    Io,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteQuery {
    pub devices: Option<String>,
    pub hours: Option<u32>,
    pub currency: Option<Currency>,
}

impl QueryParams for QuoteQuery {
    const NAMES: &'static [&'static str] = &["devices", "hours", "currency"];
}

/// One device of a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuoteDevice {
    pub device: String,
    pub operator: Option<String>,
    pub offer: Option<String>,
    /// The offer's price per device-hour in the currency, base units.
    pub price_per_hour: u64,
    /// `price_per_hour × hours`: this device's part of the escrow (what its provider can be paid).
    pub escrow: u64,
}

/// A lease quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quote {
    pub currency: Currency,
    /// The payment mint `open_lease` takes.
    pub payment_mint: String,
    pub hours: u32,
    /// The protocol fee rate of the currency, bps.
    pub fee_bps: u16,
    pub devices: Vec<QuoteDevice>,
    /// Σ of the devices' prices per hour.
    pub rate_per_hour: u64,
    /// Σ of the devices' escrow: what the providers can be paid.
    pub escrow: u64,
    /// The fee reserved on `escrow`, rounded up (charged on what is paid; the rest refunded).
    pub fee: u64,
    /// `escrow + fee`: what the renter deposits, and the `max_deposit` to sign.
    pub total: u64,
    /// The smallest deposit io_escrow accepts in this currency.
    pub min_deposit: u64,
    /// The chain time the availability was judged at (the indexed slot's block time).
    pub now: i64,
}

/// The device list: 1 to `MAX_LEASE_DEVICES` addresses, comma-separated.
fn device_list(text: &str) -> Result<Vec<String>, ApiError> {
    let out = text.split(',').map(|a| params::address("devices", a)).collect::<Result<Vec<_>, _>>()?;
    if out.len() > MAX_LEASE_DEVICES {
        return Err(ApiError::bad("devices", format!("at most {MAX_LEASE_DEVICES} devices per lease")));
    }
    Ok(out)
}

/// The OpenAPI pattern of [`device_list`].
pub fn device_list_pattern() -> String {
    let one = "[1-9A-HJ-NP-Za-km-z]{32,44}";
    format!("^{one}(,{one}){{0,{}}}$", MAX_LEASE_DEVICES - 1)
}

/// Refuses what `open_lease` would refuse for this device; its price per hour otherwise.
fn price(d: &QuoteDeviceRow, currency: Currency, hours: u32, now: i64) -> Result<u64, ApiError> {
    let bad = |why: String| ApiError::bad("devices", format!("device {}: {why}", d.address));
    if d.status.as_deref() != Some("active") {
        return Err(bad(format!("not active (status {})", d.status.as_deref().unwrap_or("unknown"))));
    }
    if d.offer.is_none() || d.offer_active != Some(true) {
        return Err(bad("has no active offer".into()));
    }
    if let Some(until) = d.leased_until.filter(|u| *u > now) {
        return Err(bad(format!("leased until {until}")));
    }
    let rate = match currency {
        Currency::Usdc => d.price_usdc_per_hour,
        Currency::Io => d.price_io_per_hour,
    }
    .map_or(0, |u| u.0);
    if rate == 0 {
        return Err(bad(format!(
            "its offer does not accept {}",
            if currency == Currency::Usdc { "USDC" } else { "$IO" }
        )));
    }
    let (min, max) = (d.min_hours.unwrap_or(0), d.max_hours.unwrap_or(0));
    if i64::from(hours) < min || i64::from(hours) > max {
        return Err(ApiError::bad(
            "hours",
            format!("device {} is offered for {min} to {max} hours", d.address),
        ));
    }
    Ok(rate)
}

pub async fn quote(
    State(st): State<AppState>,
    TypedQuery(q): TypedQuery<QuoteQuery>,
) -> Result<Response, ApiError> {
    let required = |name: &str| ApiError::bad(name, "required");
    let listed = device_list(&q.devices.ok_or_else(|| required("devices"))?)?;
    let hours = q.hours.ok_or_else(|| required("hours"))?;
    let currency = q.currency.ok_or_else(|| required("currency"))?;
    if !(1..=MAX_LEASE_HOURS).contains(&hours) {
        return Err(ApiError::bad("hours", format!("must be an integer from 1 to {MAX_LEASE_HOURS}")));
    }
    let (sync, (rows, terms, now)) = st.store.quote_inputs(&listed).await?;
    // An address that names no device is a 404, as everywhere in this API; then what
    // `open_lease` would refuse is a 400.
    let mut found: Vec<&QuoteDeviceRow> = Vec::with_capacity(listed.len());
    for a in &listed {
        let d = rows
            .iter()
            .find(|r| &r.address == a)
            .ok_or_else(|| ApiError::not_found("devices", format!("device {a}: no such device")))?;
        if found.iter().any(|f| &f.address == a) {
            return Err(ApiError::bad("devices", format!("device {a} is listed twice")));
        }
        found.push(d);
    }
    let terms = terms.ok_or_else(|| ApiError {
        status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
        parameter: None,
        message: "io_escrow's config account is not indexed yet".into(),
    })?;
    if terms.paused {
        return Err(ApiError::bad("currency", "io_escrow is paused: no lease can open"));
    }
    let (mint, fee_bps, min_deposit) = match currency {
        Currency::Usdc => (terms.usdc_mint, terms.params.usdc_fee_bps, terms.params.min_deposit_usdc),
        Currency::Io => (terms.io_mint, terms.params.io_fee_bps, terms.params.min_deposit_io),
    };
    let mut devices = Vec::with_capacity(found.len());
    for d in found {
        let rate = price(d, currency, hours, now)?;
        let escrow = io_sdk::views::DepositQuote::new(&[rate], hours, 0)
            .map_err(|_| {
                ApiError::bad(
                    "hours",
                    format!("device {}: the price overflows over {hours} hours", d.address),
                )
            })?
            .base;
        devices.push(QuoteDevice {
            device: d.address.clone(),
            operator: d.operator.clone(),
            offer: d.offer.clone(),
            price_per_hour: rate,
            escrow,
        });
    }
    let rates: Vec<u64> = devices.iter().map(|d| d.price_per_hour).collect();
    let dq = io_sdk::views::DepositQuote::new(&rates, hours, fee_bps)
        .map_err(|_| ApiError::bad("hours", "the deposit overflows a 64-bit amount"))?;
    if dq.total < min_deposit {
        return Err(ApiError::bad(
            "hours",
            format!("the deposit {} is below io_escrow's minimum {min_deposit}: lease for longer", dq.total),
        ));
    }
    let quote = Quote {
        currency,
        payment_mint: mint,
        hours,
        fee_bps,
        devices,
        rate_per_hour: dq.rate_per_hour,
        escrow: dq.base,
        fee: dq.fee_reserve,
        total: dq.total,
        min_deposit,
        now,
    };
    Ok(reply(&sync, serde_json::to_value(quote).map_err(ApiError::internal)?, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_lists_are_checked() {
        let a = "11111111111111111111111111111111";
        let b = "SysvarC1ock11111111111111111111111111111111";
        assert_eq!(device_list(&format!("{a},{b}")).unwrap(), [a, b]);
        let pattern = device_list_pattern();
        assert!(pattern.ends_with("{0,7}$"), "{pattern}");
        assert_eq!(
            device_list(&format!("{a},{a}")).unwrap().len(),
            2,
            "duplicates are refused after the lookup"
        );
        for bad in ["", "x", &format!(" {a}"), &format!("{a},"), &[a; 9].join(",")] {
            assert_eq!(device_list(bad).unwrap_err().parameter.as_deref(), Some("devices"), "{bad}");
        }
    }
}
