//! What `io verify` compares, gathered once: the chain's accounts (typed, as the programs wrote
//! them), every oracle node's copy of each certified report, and the indexer's answers. The
//! gatherer (the CLI, over JSON-RPC and HTTP) fills it; the area checks only read it.
use crate::{report::PeriodReport, Pubkey};
use io_escrow::{EscrowConfig, Lease, Offer, PriceFeed};
use io_oracle::{OracleBond, OracleConfig};
use io_staking::{Config as StakingConfig, Device, Operator, Position, Slash};
use io_token::TokenConfig;
use serde_json::Value;
use std::collections::BTreeMap;

/// The periods to check, inclusive at both ends (`--period A..B`, `A..`, `..B`, `A`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PeriodRange {
    pub from: Option<u64>,
    pub to: Option<u64>,
}

impl PeriodRange {
    pub fn contains(&self, period: u64) -> bool {
        self.from.is_none_or(|f| period >= f) && self.to.is_none_or(|t| period <= t)
    }

    /// Whether the whole history is in range (figures that only hold over every period, such as
    /// the sum of rewards against emission, are checked only then).
    pub fn is_all(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }
}

impl std::str::FromStr for PeriodRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let num = |t: &str| -> Result<Option<u64>, String> {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<u64>().map(Some).map_err(|_| format!("'{t}' is not a period number (an hour index)"))
        };
        let range = match s.split_once("..") {
            Some((a, b)) => PeriodRange { from: num(a)?, to: num(b.strip_prefix('=').unwrap_or(b))? },
            None => {
                let p = num(s)?.ok_or("give a period, A..B, A.. or ..B")?;
                PeriodRange { from: Some(p), to: Some(p) }
            }
        };
        if let (Some(a), Some(b)) = (range.from, range.to) {
            if a > b {
                return Err(format!("the range {a}..{b} is empty: its start is after its end"));
            }
        }
        Ok(range)
    }
}

/// The chain's state, read at one slot (as close as JSON-RPC allows).
#[derive(Clone)]
pub struct Chain {
    /// Clock sysvar unix time and the slot it was read at.
    pub now: i64,
    pub slot: u64,
    pub token: TokenConfig,
    /// The $IO mint's supply.
    pub mint_supply: u64,
    pub staking: StakingConfig,
    pub operators: BTreeMap<Pubkey, Operator>,
    pub devices: BTreeMap<Pubkey, Device>,
    pub positions: BTreeMap<Pubkey, Position>,
    pub slashes: BTreeMap<Pubkey, Slash>,
    pub escrow: EscrowConfig,
    pub leases: BTreeMap<Pubkey, Lease>,
    pub offers: BTreeMap<Pubkey, Offer>,
    pub price: Option<PriceFeed>,
    pub oracle: OracleConfig,
    pub oracle_bonds: BTreeMap<Pubkey, OracleBond>,
    /// io_oracle report accounts, by address.
    pub reports: BTreeMap<Pubkey, io_oracle::Report>,
    /// Token balances of every vault the ledgers name (staking's stake, bond and reward vaults,
    /// io_token's rewards and bucket vaults, io_oracle's bond vault, io_escrow's treasuries and
    /// buyback vault, every lease vault). An account that does not exist is absent.
    pub balances: BTreeMap<Pubkey, u64>,
}

/// One oracle node's answer for one period.
#[derive(Debug, Clone)]
pub struct NodeCopy {
    /// The node's base URL.
    pub node: String,
    /// The report as the node serves it, or why there is none (HTTP status and the node's error).
    pub result: Result<Published, String>,
}

/// A report as a node publishes it (`GET /v1/reports/{period}`).
#[derive(Debug, Clone)]
pub struct Published {
    /// `proposed` or `certified`, as the node says.
    pub status: String,
    /// The digest the node says it signed (hex).
    pub digest: String,
    /// (signer key, ed25519 signature over the digest), base58 both, as published.
    pub signatures: Vec<(String, String)>,
    pub report: PeriodReport,
}

/// What the indexer serves, by request path without query (`/v1/supply`, `/v1/network`,
/// `/v1/leases/<address>`, `/v1/reports/<period>`; paged lists merged into one array under
/// their path, e.g. `/v1/operators`). Absent paths were not fetched or failed.
#[derive(Debug, Clone, Default)]
pub struct Served {
    /// The indexer's base URL (`None`: no `--indexer`, so nothing is compared with it).
    pub url: Option<String>,
    pub answers: BTreeMap<String, Value>,
    /// Paths that failed, with why (HTTP status and body, or the connection error).
    pub errors: BTreeMap<String, String>,
}

impl Served {
    pub fn get(&self, path: &str) -> Option<&Value> {
        self.answers.get(path)
    }

    /// The indexer's record of the report account `address` of `period` (`/v1/reports/<p>`
    /// lists every report posted for the period; the certified one is found by its address).
    pub fn report_record(&self, period: u64, address: &Pubkey) -> Option<&Value> {
        let address = address.to_string();
        self.get(&format!("/v1/reports/{period}"))?
            .as_array()?
            .iter()
            .find(|r| r.get("address").and_then(Value::as_str) == Some(address.as_str()))
    }

    /// A number the indexer serves at `pointer` (RFC 6901) in the answer of `path`, as text;
    /// numbers and numeric strings alike (the indexer writes u64 amounts as strings where a
    /// JavaScript number would lose digits).
    pub fn number(&self, path: &str, pointer: &str) -> Option<String> {
        text_of(self.get(path)?.pointer(pointer))
    }

    /// Why the indexer's answer for `path` is absent, for a `Missing` row's note.
    pub fn why_absent(&self, path: &str) -> String {
        match self.errors.get(path) {
            Some(e) => format!("the indexer failed on {path}: {e}"),
            None => format!("the indexer served no {path}"),
        }
    }
}

/// The certified report accounts among `reports` whose period is in `range`, by period.
pub fn certified_in(
    reports: &BTreeMap<Pubkey, io_oracle::Report>,
    range: PeriodRange,
) -> BTreeMap<u64, (&Pubkey, &io_oracle::Report)> {
    reports
        .iter()
        .filter(|(_, r)| r.status == io_oracle::ReportStatus::Certified && range.contains(r.body.period))
        .map(|(a, r)| (r.body.period, (a, r)))
        .collect()
}

/// A served JSON value as comparable text: numbers and strings as they read, null as nothing.
pub fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Everything one run compares.
#[derive(Clone)]
pub struct Snapshot {
    pub range: PeriodRange,
    pub chain: Chain,
    /// Per certified period in range: every node's copy, in the order the nodes were given.
    pub copies: BTreeMap<u64, Vec<NodeCopy>>,
    pub served: Served,
}

impl Snapshot {
    /// The certified report accounts in range, by period.
    pub fn certified(&self) -> BTreeMap<u64, (&Pubkey, &io_oracle::Report)> {
        certified_in(&self.chain.reports, self.range)
    }

    /// The node copy of certified `period` whose leaves the figures are recomputed from: its
    /// body is the certified body (or the same content re-signed), its roots are the roots of its
    /// leaves, and its pool (committed by no root) is one that reproduces the certified rewards
    /// root where one does (see `reports::Published`). `None` when no node publishes such a copy
    /// (the reports check says which and why).
    pub fn leaves_of(&self, period: u64) -> Option<&PeriodReport> {
        self.certified().get(&period)?;
        super::reports::Published::of(self).at(period)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_ranges_parse() {
        let r = |s: &str| s.parse::<PeriodRange>();
        assert_eq!(r("5..9"), Ok(PeriodRange { from: Some(5), to: Some(9) }));
        assert_eq!(r("5..=9"), Ok(PeriodRange { from: Some(5), to: Some(9) }));
        assert_eq!(r("5.."), Ok(PeriodRange { from: Some(5), to: None }));
        assert_eq!(r("..9"), Ok(PeriodRange { from: None, to: Some(9) }));
        assert_eq!(r("7"), Ok(PeriodRange { from: Some(7), to: Some(7) }));
        assert!(r("9..5").unwrap_err().contains("empty"));
        assert!(r("x..5").unwrap_err().contains("'x'"));
        assert!(r("..").unwrap().is_all());
        assert!(r("5..9").unwrap().contains(9) && !r("5..9").unwrap().contains(10));
    }
}
