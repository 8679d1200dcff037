//! The text form of `io verify`: a table of rows (all with `--all`, else only the failing ones),
//! a count per area, and the verdict line.
use super::{shown, Verified};
use io_sdk::verify::{Area, Row};
use std::collections::BTreeMap;

const WIDTH_FIGURE: usize = 44;
const WIDTH_VALUE: usize = 22;

fn cell(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "—".into())
}

fn line(r: &Row) -> String {
    let mut s = format!(
        "{:<wf$}  {:>wv$}  {:>wv$}  {}",
        r.figure,
        cell(&r.recomputed),
        cell(&r.served),
        r.verdict.name(),
        wf = WIDTH_FIGURE,
        wv = WIDTH_VALUE
    );
    if let Some(by) = &r.served_by {
        s.push_str(&format!("  ({by})"));
    }
    if let Some(note) = &r.note {
        s.push_str(&format!("  {note}"));
    }
    s
}

pub fn render(v: &Verified) -> String {
    let mut out = Vec::new();
    out.push(format!(
        "{:<wf$}  {:>wv$}  {:>wv$}  verdict",
        "figure",
        "chain / recomputed",
        "served",
        wf = WIDTH_FIGURE,
        wv = WIDTH_VALUE
    ));
    out.extend(v.rows.iter().filter(|r| shown(v.all, r)).map(line));
    let mut by_area: BTreeMap<Area, (usize, usize)> = BTreeMap::new();
    for r in &v.rows {
        let e = by_area.entry(r.area).or_default();
        e.0 += 1;
        e.1 += usize::from(r.verdict.fails());
    }
    out.push(String::new());
    for (area, (n, bad)) in by_area {
        out.push(format!("{:<10} {n:>6} checked  {bad:>4} failed", area.name()));
    }
    let periods = match v.periods {
        Some((a, b)) => format!("periods {a}..{b}"),
        None => "no certified period yet".into(),
    };
    out.push(format!(
        "{} — {} figures, {} failed; {periods}; {} oracle node(s); {}; {:.1} s",
        verdict(v),
        v.checked,
        v.failures,
        v.oracle_nodes.len(),
        slots(v),
        v.seconds
    ));
    out.push(cost(v));
    out.join("\n")
}

/// The verdict, and when the chain kept changing while it was read, that a failure may be that
/// change (the sources were read at different states) and a second run tells.
fn verdict(v: &Verified) -> String {
    let changing = format!("the chain kept changing over {} reads", v.chain_reads);
    match (v.consistent, v.stable) {
        (true, true) => "consistent".into(),
        (true, false) => format!("consistent (snapshot NOT stable: {changing})"),
        (false, true) => "NOT CONSISTENT".into(),
        (false, false) => format!(
            "NOT CONSISTENT (snapshot NOT stable: {changing}; a mismatch may be that change, run again)"
        ),
    }
}

/// The chain's slot and the indexer's: the state each source was read at.
fn slots(v: &Verified) -> String {
    let chain = v.chain_slot;
    match (&v.indexer, v.indexer_slot) {
        (None, _) => format!("chain at slot {chain}; indexer not compared"),
        (Some(url), None) => format!("chain at slot {chain}; indexer {url} (its slot unknown)"),
        (Some(url), Some(at)) if at >= chain => format!("chain at slot {chain}; indexer {url} at slot {at}"),
        (Some(url), Some(at)) => {
            format!("chain at slot {chain}; indexer {url} at slot {at}, {} slot(s) BEHIND", chain - at)
        }
    }
}

/// The work the run took: requests and bytes by source, and per figure checked.
fn cost(v: &Verified) -> String {
    let c = &v.cost;
    let kib = |b: u64| b.div_ceil(1024);
    let per_figure = match u64::try_from(v.checked) {
        Ok(n) if n > 0 => format!("; {:.1} requests per figure", c.requests() as f64 / n as f64),
        _ => String::new(),
    };
    format!(
        "fetched {} requests, {} KiB: chain {} ({} KiB), oracle nodes {} ({} KiB), indexer {} ({} KiB){per_figure}",
        c.requests(),
        kib(c.bytes()),
        c.chain_requests,
        kib(c.chain_bytes),
        c.node_requests,
        kib(c.node_bytes),
        c.indexer_requests,
        kib(c.indexer_bytes),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use io_sdk::verify::Verdict;

    fn verified(failing: bool, stable: bool, indexer_slot: Option<u64>) -> Verified {
        let row = Row {
            area: Area::Supply,
            figure: "supply.minted".into(),
            recomputed: Some("5".into()),
            served: Some(if failing { "6" } else { "5" }.into()),
            served_by: Some("indexer".into()),
            verdict: if failing { Verdict::Mismatch } else { Verdict::Ok },
            note: None,
        };
        Verified {
            consistent: !failing,
            checked: 1,
            failures: usize::from(failing),
            periods: Some((3, 4)),
            indexer: Some("http://i".into()),
            chain_slot: 900,
            indexer_slot,
            stable,
            chain_reads: if stable { 2 } else { 9 },
            oracle_nodes: vec!["http://n".into()],
            seconds: 1.0,
            cost: Default::default(),
            requests: 0,
            bytes: 0,
            rows: vec![row],
            all: false,
        }
    }

    fn closing(v: &Verified) -> String {
        let text = render(v);
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len() - 2].to_owned()
    }

    #[test]
    fn the_closing_line_states_the_slots_and_whether_the_snapshot_held_still() {
        let line = closing(&verified(false, true, Some(900)));
        assert!(line.starts_with("consistent — 1 figures, 0 failed; periods 3..4;"), "{line}");
        assert!(line.contains("chain at slot 900; indexer http://i at slot 900;"), "{line}");
        assert!(!line.contains("stable"), "{line}");
        let line = closing(&verified(false, true, Some(880)));
        assert!(line.contains("indexer http://i at slot 880, 20 slot(s) BEHIND"), "{line}");
        let line = closing(&verified(false, false, Some(900)));
        assert!(
            line.starts_with("consistent (snapshot NOT stable: the chain kept changing over 9 reads)"),
            "{line}"
        );
    }

    #[test]
    fn a_mismatch_in_an_unstable_snapshot_says_so() {
        let line = closing(&verified(true, false, None));
        assert!(
            line.starts_with(
                "NOT CONSISTENT (snapshot NOT stable: the chain kept changing over 9 reads; a mismatch may be that \
                 change, run again) — 1 figures, 1 failed"
            ),
            "{line}"
        );
        assert!(line.contains("indexer http://i (its slot unknown)"), "{line}");
        let line = closing(&verified(true, true, Some(900)));
        assert!(line.starts_with("NOT CONSISTENT — 1 figures, 1 failed"), "{line}");
        // The JSON carries the same: the slots and `stable`.
        let v = serde_json::to_value(verified(true, false, Some(880))).unwrap();
        assert_eq!(
            (v["stable"].clone(), v["chain_slot"].clone(), v["indexer_slot"].clone()),
            (false.into(), 900.into(), 880.into())
        );
        assert_eq!(v["rows"][0]["figure"], "supply.minted");
    }
}
