//! The one user-facing spelling of every program enum a user sees. The CLI prints these, the
//! indexer stores and serves them, the OpenAPI document lists them and the local network's
//! manifest uses them: `snake_case`, as the API has always spelled them (`consumer_gpu`, `open`,
//! `lease_fee`).
//!
//! One exception to a mechanical `snake_case` of the variant: `Bucket::RnD` is `rnd` (the
//! manifest's spelling; a mechanical conversion gives `rn_d`).
use io_escrow::LeaseStatus;
use io_oracle::ReportStatus;
use io_staking::{events::BondAction, DeviceStatus, HardwareClass, SlashStatus};
use io_token::{events::MintReason, Bucket, BurnReason};

/// An enum with one user-facing name per variant.
pub trait Name: Sized + Copy + 'static {
    /// Every variant, in declaration order.
    const ALL: &'static [Self];
    /// What the enum is called in messages (`hardware class`, `lease status`).
    const WHAT: &'static str;

    fn name(&self) -> &'static str;

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == name)
    }

    /// Every name, in declaration order: the list the API accepts and OpenAPI documents.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(Name::name).collect()
    }

    /// [`Self::from_name`] with an error that lists what is accepted.
    fn parse_name(name: &str) -> Result<Self, UnknownName> {
        Self::from_name(name).ok_or_else(|| UnknownName {
            what: Self::WHAT,
            given: name.to_owned(),
            expected: Self::names().join(", "),
        })
    }
}

/// A name that is not one of an enum's spellings.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} '{given}': one of {expected}")]
pub struct UnknownName {
    pub what: &'static str,
    pub given: String,
    pub expected: String,
}

/// Implements [`Name`] with a wildcard-free match, so a variant added to a program enum fails to
/// compile here until it has its name (and the `ALL` list is checked complete by a test).
macro_rules! names {
    ($t:ty, $what:literal, [$($v:ident => $n:literal),+ $(,)?]) => {
        impl Name for $t {
            const ALL: &'static [Self] = &[$(<$t>::$v),+];
            const WHAT: &'static str = $what;

            fn name(&self) -> &'static str {
                match self {
                    $(<$t>::$v => $n),+
                }
            }
        }
    };
}

names!(HardwareClass, "hardware class", [
    Cpu => "cpu",
    ConsumerGpu => "consumer_gpu",
    WorkstationGpu => "workstation_gpu",
    DatacenterGpu => "datacenter_gpu",
    FlagshipGpu => "flagship_gpu",
]);

names!(DeviceStatus, "device status", [
    Pending => "pending",
    Active => "active",
    Jailed => "jailed",
    Retired => "retired",
]);

names!(SlashStatus, "slash status", [
    Pending => "pending",
    Cancelled => "cancelled",
    Executed => "executed",
]);

names!(BondAction, "bond action", [
    Add => "add",
    RequestWithdrawal => "request_withdrawal",
    Withdraw => "withdraw",
]);

names!(LeaseStatus, "lease status", [
    Open => "open",
    Ended => "ended",
    Closed => "closed",
]);

names!(BurnReason, "burn reason", [
    LeaseFee => "lease_fee",
    Buyback => "buyback",
    Slash => "slash",
    Other => "other",
]);

names!(Bucket, "allocation bucket", [
    Community => "community",
    RnD => "rnd",
    EarlyContributors => "early_contributors",
    SeriesA => "series_a",
    Seed => "seed",
]);

names!(MintReason, "mint reason", [
    Genesis => "genesis",
    Emission => "emission",
]);

names!(ReportStatus, "report status", [
    Posted => "posted",
    Certified => "certified",
]);

/// [`Name::parse_name`] as a free function: usable as a clap `value_parser` (`value_parser =
/// io_sdk::names::parse::<HardwareClass>`), so the CLI accepts exactly the names it prints.
pub fn parse<T: Name>(name: &str) -> Result<T, UnknownName> {
    T::parse_name(name)
}

/// Serde by name, for typed rows and command results:
/// `#[serde(with = "io_sdk::names::as_name")] status: LeaseStatus` reads and writes `"open"`.
pub mod as_name {
    use super::Name;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<T: Name, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v.name())
    }

    pub fn deserialize<'de, T: Name, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        let s = String::deserialize(d)?;
        T::parse_name(&s).map_err(serde::de::Error::custom)
    }
}

/// The two currencies a lease is paid in. Not a program enum (io_escrow keeps the two mints in
/// its config), but users name it: `--pay usdc`, the manifest's `mints.usdc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Currency {
    Usdc,
    Io,
}

names!(Currency, "currency", [
    Usdc => "usdc",
    Io => "io",
]);

impl Currency {
    /// How amounts are labelled for people (`12.5 USDC`, `100 IO`).
    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Usdc => "USDC",
            Currency::Io => "IO",
        }
    }

    /// The currency of a payment mint per io_escrow's config, `None` for a mint it does not list.
    pub fn of_mint(
        mint: &anchor_lang::prelude::Pubkey,
        config: &io_escrow::EscrowConfig,
    ) -> Option<Currency> {
        if *mint == config.usdc_mint {
            Some(Currency::Usdc)
        } else if *mint == config.io_mint {
            Some(Currency::Io)
        } else {
            None
        }
    }

    /// The mint of this currency per io_escrow's config.
    pub fn mint(self, config: &io_escrow::EscrowConfig) -> anchor_lang::prelude::Pubkey {
        match self {
            Currency::Usdc => config.usdc_mint,
            Currency::Io => config.io_mint,
        }
    }

    /// The fee io_escrow charges on payouts in this currency, in bps.
    pub fn fee_bps(self, config: &io_escrow::EscrowConfig) -> u16 {
        match self {
            Currency::Usdc => config.params.usdc_fee_bps,
            Currency::Io => config.params.io_fee_bps,
        }
    }
}

/// An offer has no status enum on chain (`Offer::active`); this is its user-facing spelling.
pub fn offer_status(active: bool) -> &'static str {
    if active {
        "active"
    } else {
        "withdrawn"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::{AnchorDeserialize, AnchorSerialize};

    /// Every variant round-trips through its name, the names are distinct, and `ALL` lists
    /// exactly the variants: borsh index `i` decodes to `ALL[i]` and index `ALL.len()` decodes
    /// to nothing, so a variant missing from `ALL` (or out of order) fails here.
    fn complete<T>()
    where
        T: Name + AnchorSerialize + AnchorDeserialize + PartialEq + std::fmt::Debug,
    {
        for (i, v) in T::ALL.iter().enumerate() {
            assert_eq!(T::from_name(v.name()), Some(*v));
            assert_eq!(T::parse_name(v.name()), Ok(*v));
            let decoded = T::try_from_slice(&[u8::try_from(i).unwrap()]).unwrap();
            assert_eq!(decoded, *v, "{} ALL[{i}] is not variant {i}", T::WHAT);
            assert!(v.name().bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{}", v.name());
        }
        assert!(
            T::try_from_slice(&[u8::try_from(T::ALL.len()).unwrap()]).is_err(),
            "{}: ALL is short",
            T::WHAT
        );
        let mut names = T::names();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), T::ALL.len(), "{}: duplicate names", T::WHAT);
        let e = T::parse_name("nope").unwrap_err().to_string();
        assert!(e.starts_with(&format!("unknown {} 'nope': one of", T::WHAT)), "{e}");
    }

    #[test]
    fn every_enum_is_complete_and_round_trips() {
        complete::<HardwareClass>();
        complete::<DeviceStatus>();
        complete::<SlashStatus>();
        complete::<BondAction>();
        complete::<LeaseStatus>();
        complete::<BurnReason>();
        complete::<Bucket>();
        complete::<MintReason>();
        complete::<ReportStatus>();
    }

    /// The spellings the issue found disagreeing, pinned: the CLI printed `consumer` and `Open`.
    #[test]
    fn the_fixed_spellings() {
        assert_eq!(HardwareClass::ConsumerGpu.name(), "consumer_gpu");
        assert_eq!(LeaseStatus::Open.name(), "open");
        assert_eq!(Bucket::RnD.name(), "rnd");
        assert_eq!(BurnReason::names(), ["lease_fee", "buyback", "slash", "other"]);
    }

    #[test]
    fn serde_by_name() {
        #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
        struct Row {
            #[serde(with = "as_name")]
            class: HardwareClass,
            #[serde(with = "as_name")]
            status: LeaseStatus,
        }
        let row = Row { class: HardwareClass::ConsumerGpu, status: LeaseStatus::Open };
        let json = serde_json::to_string(&row).unwrap();
        assert_eq!(json, r#"{"class":"consumer_gpu","status":"open"}"#);
        assert_eq!(serde_json::from_str::<Row>(&json).unwrap(), row);
        let e = serde_json::from_str::<Row>(r#"{"class":"consumer","status":"open"}"#).unwrap_err();
        assert!(e.to_string().contains("unknown hardware class 'consumer'"), "{e}");
    }

    #[test]
    fn currencies_and_the_clap_parser() {
        for c in Currency::ALL {
            assert_eq!(parse::<Currency>(c.name()), Ok(*c));
        }
        assert_eq!((Currency::Usdc.name(), Currency::Usdc.symbol()), ("usdc", "USDC"));
        assert_eq!((Currency::Io.name(), Currency::Io.symbol()), ("io", "IO"));
        let e = parse::<HardwareClass>("consumer").unwrap_err().to_string();
        assert_eq!(
            e,
            "unknown hardware class 'consumer': one of cpu, consumer_gpu, workstation_gpu, datacenter_gpu, flagship_gpu"
        );
        assert_eq!(offer_status(true), "active");
        assert_eq!(offer_status(false), "withdrawn");
    }

    /// The program's own order of burn reasons and buckets (their `index()`, used for the config
    /// arrays) is the order of `ALL`.
    #[test]
    fn indexed_arrays_follow_all() {
        for (i, r) in BurnReason::ALL.iter().enumerate() {
            assert_eq!(r.index(), i);
        }
        for (i, b) in <Bucket as Name>::ALL.iter().enumerate() {
            assert_eq!(b.index(), i);
        }
        for (i, c) in <HardwareClass as Name>::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
        }
    }
}
