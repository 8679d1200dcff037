//! Reads behind `/v1/quote`: the devices a renter would lease with their offers, and io_escrow's
//! payment terms (the mints and their fees) from its config account.
use super::conn::{Conn, Stmt};
use super::plan::Val;
use super::rows::{typed_row, U64};
use serde::Deserialize;
use serde_json::Value;

typed_row! {
/// A device with its offer, as `open_lease` checks it.
pub struct QuoteDeviceRow {
    pub address: String,
    pub operator: Option<String>,
    pub status: Option<String>,
    pub offer: Option<String>,
    pub price_usdc_per_hour: Option<U64>,
    pub price_io_per_hour: Option<U64>,
    pub min_hours: Option<i64>,
    pub max_hours: Option<i64>,
    pub offer_active: Option<bool>,
    pub leased_until: Option<i64>,
}
}

/// io_escrow's `EscrowParams` fields a quote needs.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct EscrowTermsParams {
    pub usdc_fee_bps: u16,
    pub io_fee_bps: u16,
    pub min_deposit_usdc: u64,
    pub min_deposit_io: u64,
}

/// The part of io_escrow's `EscrowConfig` account (as account sync stores it) a quote needs.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct EscrowTerms {
    pub usdc_mint: String,
    pub io_mint: String,
    pub paused: bool,
    pub params: EscrowTermsParams,
}

/// The listed devices that exist (any order), the escrow's terms (`None` before its config
/// account is indexed), and `now` (the chain time the caller judges availability at).
pub async fn quote_inputs<C: Conn>(
    c: &mut C,
    devices: &[String],
    now: i64,
) -> Result<(Vec<QuoteDeviceRow>, Option<EscrowTerms>, i64), sqlx::Error> {
    let mut s = Stmt::new(
        "SELECT d.address, d.operator, d.status, f.address AS offer, f.price_usdc_per_hour, f.price_io_per_hour, \
         f.min_hours, f.max_hours, f.active AS offer_active, f.leased_until \
         FROM devices d LEFT JOIN offers f ON f.device = d.address WHERE d.address IN ",
    );
    s.bind_list(devices.iter().map(|d| Val::T(d.clone())));
    let rows = c.fetch_as(&s).await?;
    let config = c
        .fetch(&Stmt::new(
            "SELECT state FROM accounts WHERE account_type = 'EscrowConfig' AND program = 'io_escrow'",
        ))
        .await?;
    let terms = config
        .first()
        .and_then(|r| r.get("state"))
        .and_then(|v| match v {
            Value::String(t) => serde_json::from_str::<Value>(t).ok(),
            other => Some(other.clone()),
        })
        .and_then(|v| serde_json::from_value::<EscrowTerms>(v).ok());
    Ok((rows, terms, now))
}
