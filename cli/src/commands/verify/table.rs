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
        "{} — {} figures, {} failed; {periods}; {} oracle node(s); indexer {}; {:.1} s",
        if v.consistent { "consistent" } else { "NOT CONSISTENT" },
        v.checked,
        v.failures,
        v.oracle_nodes.len(),
        v.indexer.as_deref().unwrap_or("not compared"),
        v.seconds
    ));
    out.push(cost(v));
    out.join("\n")
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
