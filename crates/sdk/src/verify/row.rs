//! One line of `io verify`'s table: a named figure, the value recomputed from the chain and the
//! published leaves, the value someone serves (a report's body, an oracle node, the indexer), and
//! the verdict. Values are text so one table holds amounts, counts, hashes and addresses alike;
//! amounts stay base units, so two values are equal exactly when their texts are.
use serde::Serialize;
use std::fmt::Display;

/// The part of the network a figure belongs to (the table's grouping).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Reports,
    Devices,
    Usage,
    Rewards,
    Supply,
    Escrow,
    Stake,
}

impl Area {
    pub fn name(self) -> &'static str {
        match self {
            Area::Reports => "reports",
            Area::Devices => "devices",
            Area::Usage => "usage",
            Area::Rewards => "rewards",
            Area::Supply => "supply",
            Area::Escrow => "escrow",
            Area::Stake => "stake",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Recomputed and served agree (or an invariant holds).
    Ok,
    /// They differ, or an invariant is broken: `io verify` exits non-zero.
    Mismatch,
    /// Something that must be published is not (a certified report without leaves, a figure the
    /// indexer should serve and does not): `io verify` exits non-zero.
    Missing,
    /// Recomputed only: nobody serves this figure to compare with.
    Recomputed,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Mismatch => "MISMATCH",
            Verdict::Missing => "MISSING",
            Verdict::Recomputed => "recomputed",
        }
    }

    /// Whether this verdict fails the run.
    pub fn fails(self) -> bool {
        matches!(self, Verdict::Mismatch | Verdict::Missing)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub area: Area,
    /// Dotted name, specific enough to act on: `supply.circulating`,
    /// `report.493.rewards_root`, `lease.<address>.attested_seconds`, `vault.stake`.
    pub figure: String,
    /// From the chain, or recomputed from the chain and the published leaves.
    pub recomputed: Option<String>,
    /// What is served for it, and by whom (`served_by`).
    pub served: Option<String>,
    /// `indexer`, `report 493`, `node http://…`, or for an invariant what the other side is
    /// (`ledger`).
    pub served_by: Option<String>,
    pub verdict: Verdict,
    /// Why, in words, when the verdict is not `ok`.
    pub note: Option<String>,
}

/// The rows of a run, added by the area checks.
#[derive(Debug, Default)]
pub struct Rows(Vec<Row>);

impl Rows {
    /// `recomputed` against `served` (by `by`): ok when their texts are equal; `Missing` when
    /// nothing is served.
    pub fn compare(
        &mut self,
        area: Area,
        figure: impl Into<String>,
        recomputed: impl Display,
        served: Option<impl Display>,
        by: impl Into<String>,
    ) {
        let recomputed = recomputed.to_string();
        let served = served.map(|v| v.to_string());
        let verdict = match &served {
            None => Verdict::Missing,
            Some(v) if *v == recomputed => Verdict::Ok,
            Some(_) => Verdict::Mismatch,
        };
        let by = by.into();
        let note = match verdict {
            Verdict::Missing => Some(format!("{by} serves no value for it")),
            Verdict::Mismatch => Some(format!("{by} serves a different value")),
            _ => None,
        };
        self.push(Row {
            area,
            figure: figure.into(),
            recomputed: Some(recomputed),
            served,
            served_by: Some(by),
            verdict,
            note,
        });
    }

    /// A figure nobody serves: recorded with its recomputed value.
    pub fn recomputed(&mut self, area: Area, figure: impl Into<String>, value: impl Display) {
        self.push(Row {
            area,
            figure: figure.into(),
            recomputed: Some(value.to_string()),
            served: None,
            served_by: None,
            verdict: Verdict::Recomputed,
            note: None,
        });
    }

    /// An invariant (`holds`), e.g. `vault ≥ ledger`: the two sides as values, `why` when broken.
    // Each argument is one column of the row; a builder would only rename them at every call.
    #[allow(clippy::too_many_arguments)]
    pub fn invariant(
        &mut self,
        area: Area,
        figure: impl Into<String>,
        left: impl Display,
        right: impl Display,
        right_is: impl Into<String>,
        holds: bool,
        why: impl Into<String>,
    ) {
        self.push(Row {
            area,
            figure: figure.into(),
            recomputed: Some(left.to_string()),
            served: Some(right.to_string()),
            served_by: Some(right_is.into()),
            verdict: if holds { Verdict::Ok } else { Verdict::Mismatch },
            note: (!holds).then(|| why.into()),
        });
    }

    /// Something that should be published is not (`what` says what and where).
    pub fn missing(&mut self, area: Area, figure: impl Into<String>, what: impl Into<String>) {
        self.push(Row {
            area,
            figure: figure.into(),
            recomputed: None,
            served: None,
            served_by: None,
            verdict: Verdict::Missing,
            note: Some(what.into()),
        });
    }

    pub fn push(&mut self, row: Row) {
        self.0.push(row);
    }

    pub fn as_slice(&self) -> &[Row] {
        &self.0
    }

    pub fn into_vec(self) -> Vec<Row> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_names_the_verdict() {
        let mut r = Rows::default();
        r.compare(Area::Supply, "supply.cap", 10, Some(10), "indexer");
        r.compare(Area::Supply, "supply.minted", 10, Some(11), "indexer");
        r.compare(Area::Supply, "supply.burned", 10, None::<u64>, "indexer");
        let v: Vec<_> = r.as_slice().iter().map(|r| r.verdict).collect();
        assert_eq!(v, [Verdict::Ok, Verdict::Mismatch, Verdict::Missing]);
        assert!(!Verdict::Ok.fails() && Verdict::Mismatch.fails() && Verdict::Missing.fails());
        assert!(!Verdict::Recomputed.fails());
    }
}
