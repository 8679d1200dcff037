//! Writes: one batch of decoded transactions (and account snapshots) with the ingest cursor in
//! one database transaction; account snapshots; finality promotion. Every function here takes
//! the connection it runs on (a transaction's, normally), so callers choose the boundary.
use super::conn::{Conn, Dialect, Stmt};
use super::ids;
use super::plan::{i64_of, key_columns, Patch, Plan, Special, Val};
use super::read::read_sync;
use super::{AccountSnapshot, Batch, CommitOutcome, Cursor};
use crate::decode::{DecodedEvent, DecodedTx};
use crate::projection::{self, EventCtx};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Multi-row `INSERT` statements of `rows`, chunked under the dialect's parameter limit in
/// chunks of one size (so the prepared statement is reused). `head` is
/// `INSERT INTO t (cols) VALUES ` (or any prefix the rows follow), `tail` what follows them.
pub fn multi_insert(d: Dialect, head: &str, rows: &[Vec<Val>], tail: &str) -> Vec<Stmt> {
    let ncols = rows.first().map_or(1, Vec::len).max(1);
    let per = (d.max_params() / ncols).clamp(1, 500);
    rows.chunks(per)
        .map(|chunk| {
            let mut s = Stmt::new(head);
            for (i, row) in chunk.iter().enumerate() {
                s.push(if i == 0 { "(" } else { ", (" });
                for (j, v) in row.iter().enumerate() {
                    if j > 0 {
                        s.push(", ");
                    }
                    s.bind(v.clone());
                }
                s.push(")");
            }
            s.push(tail);
            s
        })
        .collect()
}

/// Runs statements in order, each on its own: every bulk statement keeps a fixed shape per row
/// count, so the connection's prepared-statement cache reuses it from batch to batch (joining a
/// batch's statements into one multi-statement text did not pay off on SQLite: a new text every
/// batch, prepared anew).
async fn exec_all<C: Conn>(c: &mut C, stmts: Vec<Stmt>) -> Result<(), sqlx::Error> {
    for s in &stmts {
        c.exec(s).await?;
    }
    Ok(())
}

/// PostgreSQL type of a column of rows (from its first non-null value; text when all null).
fn pg_column(rows: &[Vec<Val>], j: usize) -> (Val, &'static str) {
    let kind = rows.iter().find_map(|r| match r.get(j) {
        Some(Val::I(_)) | Some(Val::NullI) => Some('i'),
        Some(Val::U(_)) | Some(Val::NullU) => Some('u'),
        Some(Val::B(_)) | Some(Val::NullB) => Some('b'),
        Some(Val::T(_)) | Some(Val::NullT) => Some('t'),
        _ => None,
    });
    match kind {
        Some('i') => (
            Val::ArrI(
                rows.iter().map(|r| if let Some(Val::I(v)) = r.get(j) { Some(*v) } else { None }).collect(),
            ),
            "int8[]",
        ),
        Some('u') => (
            Val::ArrU(
                rows.iter().map(|r| if let Some(Val::U(v)) = r.get(j) { Some(*v) } else { None }).collect(),
            ),
            "numeric[]",
        ),
        Some('b') => (
            Val::ArrB(
                rows.iter().map(|r| if let Some(Val::B(v)) = r.get(j) { Some(*v) } else { None }).collect(),
            ),
            "bool[]",
        ),
        _ => (
            Val::ArrT(
                rows.iter()
                    .map(|r| if let Some(Val::T(v)) = r.get(j) { Some(v.clone()) } else { None })
                    .collect(),
            ),
            "text[]",
        ),
    }
}

/// The rows as a relation: `VALUES (…), (…)` on SQLite (chunked), one `SELECT * FROM
/// UNNEST($1::int8[], …)` on PostgreSQL (one statement shape whatever the row count). Each
/// returned statement is `head ‖ relation ‖ tail`.
fn relation(d: Dialect, head: &str, rows: &[Vec<Val>], tail: &str) -> Vec<Stmt> {
    if rows.is_empty() {
        return Vec::new();
    }
    match d {
        Dialect::Sqlite => multi_insert(d, &format!("{head}VALUES "), rows, tail),
        Dialect::Postgres => {
            let ncols = rows[0].len();
            let mut s = Stmt::new(format!("{head}SELECT * FROM UNNEST("));
            for j in 0..ncols {
                let (arr, ty) = pg_column(rows, j);
                if j > 0 {
                    s.push(", ");
                }
                s.bind(arr).push("::").push(ty);
            }
            s.push(")");
            s.push(tail);
            vec![s]
        }
    }
}

/// `INSERT INTO table (cols) <rows> tail`, in the dialect's bulk form.
pub fn bulk_insert(d: Dialect, table: &str, cols: &[&str], rows: &[Vec<Val>], tail: &str) -> Vec<Stmt> {
    relation(d, &format!("INSERT INTO {table} ({}) ", cols.join(", ")), rows, tail)
}

/// The transactions of the batch, first occurrence of each signature.
fn unique_txs(batch: &Batch) -> Vec<&DecodedTx> {
    let mut seen = HashSet::new();
    batch.transactions.iter().filter(|t| seen.insert(t.signature.as_str())).collect()
}

/// Inserts the transactions not stored yet; the id of every successful transaction of the batch
/// (new or stored before) and how many were new.
async fn insert_transactions<C: Conn>(
    c: &mut C,
    txs: &[&DecodedTx],
    finalized_slot: i64,
) -> Result<(HashMap<String, i64>, u64), sqlx::Error> {
    let rows: Vec<Vec<Val>> = txs
        .iter()
        .map(|t| {
            let slot = i64_of(t.slot);
            vec![
                Val::T(t.signature.clone()),
                Val::I(slot),
                Val::opt_i(t.block_time),
                Val::B(t.err.is_none()),
                t.err.clone().map_or(Val::NullT, Val::T),
                Val::I(t.events.len() as i64),
                Val::T(crate::decode::instructions::list_json(&t.instructions)),
                Val::B(slot <= finalized_slot),
            ]
        })
        .collect();
    let mut ids = HashMap::with_capacity(txs.len());
    for s in bulk_insert(
        c.dialect(),
        "transactions",
        &["signature", "slot", "block_time", "success", "err", "event_count", "instructions", "finalized"],
        &rows,
        " ON CONFLICT (signature) DO NOTHING RETURNING id, signature",
    ) {
        for r in c.fetch(&s).await? {
            if let (Some(id), Some(sig)) =
                (r.get("id").and_then(Value::as_i64), r.get("signature").and_then(Value::as_str))
            {
                ids.insert(sig.to_owned(), id);
            }
        }
    }
    let inserted = ids.len() as u64;
    // A replayed transaction keeps its id; its events are checked against the natural key like
    // any other (normally all stored already).
    let known: Vec<&str> = txs
        .iter()
        .filter(|t| t.err.is_none() && !t.events.is_empty() && !ids.contains_key(&t.signature))
        .map(|t| t.signature.as_str())
        .collect();
    for chunk in known.chunks(500) {
        let mut s = Stmt::new("SELECT id, signature FROM transactions WHERE signature IN ");
        s.bind_list(chunk.iter().map(|sig| Val::T((*sig).to_owned())));
        for r in c.fetch(&s).await? {
            if let (Some(id), Some(sig)) =
                (r.get("id").and_then(Value::as_i64), r.get("signature").and_then(Value::as_str))
            {
                ids.insert(sig.to_owned(), id);
            }
        }
    }
    Ok((ids, inserted))
}

type EventKey = (i64, String, i64);

/// An event id out of range, as the database layer's error.
fn id_error(e: ids::IdError) -> sqlx::Error {
    sqlx::Error::Encode(Box::new(e))
}

/// Inserts the events of successful transactions; returns the id of each event this call
/// inserted (events already stored are skipped by the natural key). The key is unique as
/// `(tx_id, ix_path, event_index)`: the same as `(signature, ix_path, event_index)`, one
/// transaction id per signature, but new keys land at the end of the index instead of at
/// random places in it.
///
/// Event ids are stable (`store::ids`): slot, transaction bucket, event position. The buckets
/// already used in the batch's slots are read once (a range of the primary key, empty when the
/// batch is the newest); a transaction stored before keeps its prefix. The events of a
/// transaction inserted by this batch (`tx_id > tx_floor`) cannot be stored yet, so they are
/// inserted without a conflict check and without `RETURNING` (reading 2,000 ids back was a third
/// of the insert); only the events of transactions stored before (replays) go through
/// `ON CONFLICT DO NOTHING`.
async fn insert_events<C: Conn>(
    c: &mut C,
    txs: &[&DecodedTx],
    tx_ids: &HashMap<String, i64>,
    tx_floor: i64,
    finalized_slot: i64,
    last_event_id: i64,
) -> Result<HashMap<EventKey, i64>, sqlx::Error> {
    let mut with_events: Vec<(&DecodedTx, i64)> = txs
        .iter()
        .filter(|t| t.err.is_none() && !t.events.is_empty())
        .filter_map(|t| tx_ids.get(&t.signature).map(|id| (*t, *id)))
        .collect();
    let mut ids = HashMap::new();
    let (Some(first), Some(last)) =
        (with_events.iter().map(|(t, _)| t.slot).min(), with_events.iter().map(|(t, _)| t.slot).max())
    else {
        return Ok(ids);
    };
    // A batch wholly above the newest stored event (the normal, forward case) can meet no
    // stored bucket: no need to read them.
    let stored = if last_event_id > 0 && first <= ids::slot_of(last_event_id) {
        let (lo, hi) = ids::slot_range(first, last);
        c.fetch(
            &Stmt::new("SELECT tx_id, MIN(id) AS id FROM events WHERE id >= $1 AND id < $2 GROUP BY tx_id")
                .arg(Val::I(lo))
                .arg(Val::I(hi)),
        )
        .await?
    } else {
        Vec::new()
    };
    let mut alloc = ids::Allocator::default();
    let mut prefixes: HashMap<i64, i64> = HashMap::new();
    for r in &stored {
        if let (Some(tx), Some(id)) =
            (r.get("tx_id").and_then(Value::as_i64), r.get("id").and_then(Value::as_i64))
        {
            alloc.take(ids::prefix_of(id));
            prefixes.insert(tx, ids::prefix_of(id));
        }
    }
    // New transactions take buckets in (slot, signature) order: the order a rebuild sees too.
    let mut fresh: Vec<&(&DecodedTx, i64)> =
        with_events.iter().filter(|(_, id)| !prefixes.contains_key(id)).collect();
    fresh.sort_by(|a, b| (a.0.slot, &a.0.signature).cmp(&(b.0.slot, &b.0.signature)));
    for (t, tx_id) in fresh {
        prefixes.insert(*tx_id, alloc.assign(t.slot, &t.signature).map_err(id_error)?);
    }
    with_events.sort_by_key(|(t, _)| t.slot);
    let mut seen = HashSet::new();
    let mut new_rows = Vec::new();
    let mut replayed = Vec::new();
    for (t, tx_id) in &with_events {
        let prefix = prefixes[tx_id];
        let slot = i64_of(t.slot);
        for e in &t.events {
            if !seen.insert((t.signature.as_str(), e.ix_path.as_str(), e.event_index)) {
                continue;
            }
            let id = ids::event_id(prefix, e.event_index).map_err(id_error)?;
            let mut row = vec![Val::I(id)];
            row.extend(event_row(*tx_id, t, e, slot <= finalized_slot));
            if *tx_id > tx_floor {
                ids.insert((*tx_id, e.ix_path.clone(), i64::from(e.event_index)), id);
                new_rows.push(row);
            } else {
                replayed.push(row);
            }
        }
    }
    let cols: Vec<&str> = ["id"].into_iter().chain(EVENT_COLS.iter().copied()).collect();
    for s in bulk_insert(c.dialect(), "events", &cols, &new_rows, "") {
        c.exec(&s).await?;
    }
    for s in bulk_insert(
        c.dialect(),
        "events",
        &cols,
        &replayed,
        " ON CONFLICT DO NOTHING RETURNING id, tx_id, ix_path, event_index",
    ) {
        for r in c.fetch(&s).await? {
            let key = (
                r.get("tx_id").and_then(Value::as_i64).unwrap_or_default(),
                r.get("ix_path").and_then(Value::as_str).unwrap_or_default().to_owned(),
                r.get("event_index").and_then(Value::as_i64).unwrap_or_default(),
            );
            ids.insert(key, r.get("id").and_then(Value::as_i64).unwrap_or_default());
        }
    }
    Ok(ids)
}

/// Columns of an `events` row as [`event_row`] builds it.
pub const EVENT_COLS: &[&str] = &[
    "tx_id",
    "signature",
    "ix_path",
    "event_index",
    "slot",
    "block_time",
    "program",
    "event_name",
    "payload",
    "finalized",
];

/// The `events` row of one event of the transaction stored as `tx_id` (columns [`EVENT_COLS`]).
pub fn event_row(tx_id: i64, t: &DecodedTx, e: &DecodedEvent, finalized: bool) -> Vec<Val> {
    vec![
        Val::I(tx_id),
        Val::T(t.signature.clone()),
        Val::T(e.ix_path.clone()),
        Val::I(i64::from(e.event_index)),
        Val::I(i64_of(t.slot)),
        Val::opt_i(t.block_time),
        Val::T(e.program.name().to_owned()),
        Val::T(e.name.clone()),
        Val::T(e.payload.to_string()),
        Val::B(finalized),
    ]
}

/// Runs the plan: appends, specials, then patches (insert-if-missing, then the slot-guarded
/// column update).
async fn apply_plan<C: Conn>(c: &mut C, plan: &Plan) -> Result<(), sqlx::Error> {
    let d = c.dialect();
    let mut stmts = Vec::new();
    for (table, a) in &plan.appends {
        stmts.extend(bulk_insert(d, table, a.cols, &a.rows, " ON CONFLICT (event_id) DO NOTHING"));
    }
    for sp in &plan.specials {
        stmts.push(match sp {
            Special::TicketsWithdrawn { operator, staker, slot, block_time } => Stmt::new(
                "UPDATE unstake_tickets SET withdrawn_slot = $1 WHERE operator = $2 AND staker = $3 \
                 AND withdrawn_slot IS NULL AND unlock_ts <= $4 AND slot <= $1",
            )
            .arg(Val::I(*slot))
            .arg(Val::T(operator.clone()))
            .arg(Val::T(staker.clone()))
            .arg(Val::I(*block_time)),
            Special::OffersLeasedUntil { lease, until, slot } => Stmt::new(
                "UPDATE offers SET leased_until = $1, slot = CASE WHEN $2 > slot THEN $2 ELSE slot END \
                 WHERE lease = $3 AND slot <= $2",
            )
            .arg(Val::I(*until))
            .arg(Val::I(*slot))
            .arg(Val::T(lease.clone())),
        });
    }
    for (table, patches) in &plan.patches {
        let mut keyed: Vec<_> = patches.iter().collect();
        keyed.sort_by(|a, b| a.0.cmp(b.0));
        let list: Vec<&Patch> = keyed.into_iter().map(|(_, p)| p).collect();
        stmts.extend(patch_statements(d, table, &list));
    }
    exec_all(c, stmts).await
}

/// The typed null of the column `c` (from the first patch that sets it).
fn null_like(rows: &[&Patch], c: &str) -> Val {
    match rows.iter().find_map(|p| p.cols.get(c)).map(|(v, _)| v) {
        Some(Val::I(_)) | Some(Val::NullI) => Val::NullI,
        Some(Val::U(_)) | Some(Val::NullU) => Val::NullU,
        Some(Val::B(_)) | Some(Val::NullB) => Val::NullB,
        _ => Val::NullT,
    }
}

/// For one table: insert the missing rows of upsert patches (keys only, at a sentinel slot
/// below every real one, so the update below fills them), then one slot-guarded
/// `UPDATE … FROM` over the union of the patched columns. A column a patch does not set carries
/// a NULL slot, which never passes the guard.
fn patch_statements(d: Dialect, table: &str, rows: &[&Patch]) -> Vec<Stmt> {
    let keys = key_columns(table);
    let (direct, rows): (Vec<&Patch>, Vec<&Patch>) =
        rows.iter().partition(|p| p.upsert && p.cols.values().all(|(_, at)| *at == p.slot));
    let mut out = upsert_statements(d, table, &direct);
    let rows = rows.as_slice();
    let fresh: Vec<Vec<Val>> = rows
        .iter()
        .filter(|p| p.upsert)
        .map(|p| {
            let mut r = p.key.clone();
            r.push(Val::I(i64::MIN));
            r
        })
        .collect();
    let names: Vec<&str> = keys.iter().copied().chain(["slot"]).collect();
    out.extend(bulk_insert(
        d,
        table,
        &names,
        &fresh,
        &format!(" ON CONFLICT ({}) DO NOTHING", keys.join(", ")),
    ));

    let cols: Vec<&'static str> = {
        let mut set: Vec<&'static str> = rows.iter().flat_map(|p| p.cols.keys().copied()).collect();
        set.sort_unstable();
        set.dedup();
        set
    };
    if cols.is_empty() {
        return out;
    }
    let nulls: Vec<Val> = cols.iter().map(|c| null_like(rows, c)).collect();
    let mut vnames: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    for c in &cols {
        vnames.push((*c).to_owned());
        vnames.push(format!("{c}__slot"));
    }
    vnames.push("slot".to_owned());
    let vals: Vec<Vec<Val>> = rows
        .iter()
        .map(|p| {
            let mut r = p.key.clone();
            for (c, null) in cols.iter().zip(&nulls) {
                match p.cols.get(c) {
                    Some((v, at)) => {
                        r.push(v.clone());
                        r.push(Val::I(*at));
                    }
                    None => {
                        r.push(null.clone());
                        r.push(Val::NullI);
                    }
                }
            }
            r.push(Val::I(p.slot));
            r
        })
        .collect();
    let sets: Vec<String> = cols
        .iter()
        .map(|c| format!("{c} = CASE WHEN v.{c}__slot >= {table}.slot THEN v.{c} ELSE {table}.{c} END"))
        .chain([format!("slot = CASE WHEN v.slot > {table}.slot THEN v.slot ELSE {table}.slot END")])
        .collect();
    let cond: Vec<String> = keys.iter().map(|k| format!("{table}.{k} = v.{k}")).collect();
    let tail = format!(") UPDATE {table} SET {} FROM v WHERE {}", sets.join(", "), cond.join(" AND "));
    let head = match d {
        Dialect::Sqlite => format!("WITH v ({}) AS (", vnames.join(", ")),
        Dialect::Postgres => "WITH v AS (SELECT * FROM (".to_owned(),
    };
    let tail = match d {
        Dialect::Sqlite => tail,
        Dialect::Postgres => format!(") AS u ({}){tail}", vnames.join(", ")),
    };
    out.extend(relation(d, &head, &vals, &tail));
    out
}

/// Upsert patches whose columns were all set at the patch's own slot (one event or snapshot per
/// row, the common case): one `INSERT … ON CONFLICT DO UPDATE` per column set instead of an
/// insert of the key and a join update — the same result (a fresh row gets the columns, an
/// existing row takes them when the patch is at least as new) with one index lookup per row.
fn upsert_statements(d: Dialect, table: &str, rows: &[&Patch]) -> Vec<Stmt> {
    let keys = key_columns(table);
    let mut groups: BTreeMap<Vec<&'static str>, Vec<Vec<Val>>> = BTreeMap::new();
    for p in rows {
        let cols: Vec<&'static str> = p.cols.keys().copied().collect();
        let mut r = p.key.clone();
        r.extend(p.cols.values().map(|(v, _)| v.clone()));
        r.push(Val::I(p.slot));
        groups.entry(cols).or_default().push(r);
    }
    let mut out = Vec::new();
    for (cols, vals) in groups {
        let names: Vec<&str> = keys.iter().chain(&cols).copied().chain(["slot"]).collect();
        let sets: Vec<String> = cols.iter().chain(&["slot"]).map(|c| format!("{c} = excluded.{c}")).collect();
        let tail = format!(
            " ON CONFLICT ({}) DO UPDATE SET {} WHERE excluded.slot >= {table}.slot",
            keys.join(", "),
            sets.join(", ")
        );
        out.extend(bulk_insert(d, table, &names, &vals, &tail));
    }
    out
}

async fn upsert_accounts<C: Conn>(c: &mut C, accounts: &[AccountSnapshot]) -> Result<(), sqlx::Error> {
    // One row per address (the newest snapshot): a statement may not update a row twice.
    let mut newest: HashMap<&str, &AccountSnapshot> = HashMap::new();
    for a in accounts {
        match newest.get(a.address.as_str()) {
            Some(b) if b.slot > a.slot => {}
            _ => {
                newest.insert(&a.address, a);
            }
        }
    }
    let mut list: Vec<&AccountSnapshot> = newest.into_values().collect();
    list.sort_by(|a, b| a.address.cmp(&b.address));
    let rows: Vec<Vec<Val>> = list
        .iter()
        .map(|a| {
            vec![
                Val::T(a.address.clone()),
                Val::T(a.program.name().to_owned()),
                Val::T(a.account_type.clone()),
                Val::I(i64_of(a.slot)),
                Val::T(a.state.to_string()),
            ]
        })
        .collect();
    for s in bulk_insert(
        c.dialect(),
        "accounts",
        &["address", "program", "account_type", "slot", "state"],
        &rows,
        " ON CONFLICT (address) DO UPDATE SET program = excluded.program, account_type = excluded.account_type, \
         slot = excluded.slot, state = excluded.state WHERE accounts.slot <= excluded.slot",
    ) {
        c.exec(&s).await?;
    }
    Ok(())
}

/// The signatures among `sigs` already in `transactions`.
async fn stored_signatures<C: Conn>(c: &mut C, sigs: &[&str]) -> Result<HashSet<String>, sqlx::Error> {
    let mut out = HashSet::new();
    for chunk in sigs.chunks(500) {
        let mut s = Stmt::new("SELECT signature FROM transactions WHERE signature IN ");
        s.bind_list(chunk.iter().map(|sig| Val::T((*sig).to_owned())));
        for r in c.fetch(&s).await? {
            if let Some(sig) = r.get("signature").and_then(Value::as_str) {
                out.insert(sig.to_owned());
            }
        }
    }
    Ok(out)
}

/// Where the cursor may move: the proposed cursor when every expected signature up to it is
/// stored (in this batch or before), else the last signature before the first gap, else nowhere.
async fn cursor_target<C: Conn>(
    c: &mut C,
    batch: &Batch,
    txs: &[&DecodedTx],
    proposed: &Cursor,
) -> Result<(Option<Cursor>, Option<String>), sqlx::Error> {
    let expected: Vec<(String, u64)> = if batch.expected.is_empty() {
        let mut v: Vec<(String, u64)> = txs.iter().map(|t| (t.signature.clone(), t.slot)).collect();
        v.sort_by_key(|(_, slot)| *slot);
        v
    } else {
        batch.expected.iter().map(|s| (s.signature.clone(), s.slot)).collect()
    };
    // Only the part up to the proposed cursor counts; the cursor itself must be stored too.
    let upto = expected.iter().position(|(s, _)| *s == proposed.last_signature);
    let mut range: Vec<(String, u64)> = match upto {
        Some(i) => expected[..=i].to_vec(),
        None => expected.clone(),
    };
    if upto.is_none() {
        range.push((proposed.last_signature.clone(), proposed.last_slot));
    }
    let in_batch: HashSet<&str> = txs.iter().map(|t| t.signature.as_str()).collect();
    let missing: Vec<&str> =
        range.iter().map(|(s, _)| s.as_str()).filter(|s| !in_batch.contains(s)).collect();
    let stored = stored_signatures(c, &missing).await?;
    let mut last_ok: Option<&(String, u64)> = None;
    for entry in &range {
        let present = in_batch.contains(entry.0.as_str()) || stored.contains(&entry.0);
        if !present {
            let to = last_ok.map(|(s, slot)| Cursor {
                program: proposed.program.clone(),
                last_signature: s.clone(),
                last_slot: *slot,
            });
            return Ok((to, Some(entry.0.clone())));
        }
        last_ok = Some(entry);
    }
    Ok((Some(proposed.clone()), None))
}

/// Writes the cursor unless it would move back; true when written.
async fn write_cursor<C: Conn>(c: &mut C, cur: &Cursor) -> Result<bool, sqlx::Error> {
    let s = Stmt::new(
        "INSERT INTO cursors (program, last_signature, last_slot) VALUES ($1, $2, $3) \
         ON CONFLICT (program) DO UPDATE SET last_signature = excluded.last_signature, last_slot = excluded.last_slot \
         WHERE cursors.last_slot <= excluded.last_slot",
    )
    .arg(Val::T(cur.program.clone()))
    .arg(Val::T(cur.last_signature.clone()))
    .arg(Val::I(i64_of(cur.last_slot)));
    Ok(c.exec(&s).await? > 0)
}

/// Raises `indexed_slot` (never lowers it) and records that slot's block time.
pub async fn advance_indexed<C: Conn>(
    c: &mut C,
    slot: i64,
    block_time: Option<i64>,
) -> Result<(), sqlx::Error> {
    let s = Stmt::new(
        "UPDATE sync_state SET indexed_block_time = CASE WHEN $1 >= indexed_slot THEN COALESCE($2, indexed_block_time) \
         ELSE indexed_block_time END, indexed_slot = CASE WHEN $1 > indexed_slot THEN $1 ELSE indexed_slot END WHERE id = 1",
    )
    .arg(Val::I(slot))
    .arg(Val::opt_i(block_time));
    c.exec(&s).await?;
    Ok(())
}

/// Staged account rows per merge of `account_events_recent` into `account_events` (about 25
/// batches of 2,000 events).
const ACCOUNT_MERGE_ROWS: i64 = 100_000;

/// The account rows `(address, slot, event_id)` of new events (sorted, distinct). On SQLite,
/// addresses interned in `account_ids`, rows into `account_events_recent`, which moves into
/// `account_events` in key order once it holds [`ACCOUNT_MERGE_ROWS`] rows (counted in
/// `sync_state.account_rows_staged`: stable event ids are sparse). Where the rows lie is not
/// visible: reads go through both tables (the `event_accounts` view, the account filter of the
/// events page).
async fn insert_event_accounts<C: Conn>(
    c: &mut C,
    keys: &[(&str, i64, i64)],
    staged: i64,
    merge_at: i64,
) -> Result<(), sqlx::Error> {
    if keys.is_empty() {
        return Ok(());
    }
    let d = c.dialect();
    let rows: Vec<Vec<Val>> =
        keys.iter().map(|(a, slot, id)| vec![Val::T((*a).to_owned()), Val::I(*slot), Val::I(*id)]).collect();
    if d == Dialect::Postgres {
        // PostgreSQL keeps the text-keyed table (interning measured slower there).
        for s in bulk_insert(d, "event_accounts", &["account", "slot", "event_id"], &rows, "") {
            c.exec(&s).await?;
        }
        return Ok(());
    }
    let mut addresses: Vec<&str> = keys.iter().map(|k| k.0).collect();
    addresses.dedup();
    let names: Vec<Vec<Val>> = addresses.iter().map(|a| vec![Val::T((*a).to_owned())]).collect();
    let mut stmts = multi_insert(
        d,
        "INSERT INTO account_ids (address) VALUES ",
        &names,
        " ON CONFLICT (address) DO NOTHING",
    );
    stmts.extend(multi_insert(
        d,
        "WITH u (account, slot, event_id) AS (VALUES ",
        &rows,
        ") INSERT INTO account_events_recent (account_id, slot, event_id) SELECT a.id, u.slot, u.event_id \
         FROM u JOIN account_ids a ON a.address = u.account",
    ));
    let now_staged = staged.saturating_add(i64::try_from(rows.len()).unwrap_or(i64::MAX));
    if now_staged >= merge_at {
        stmts.push(Stmt::new(
            "INSERT INTO account_events (account_id, slot, event_id) SELECT account_id, slot, event_id \
             FROM account_events_recent ORDER BY account_id, slot, event_id",
        ));
        stmts.push(Stmt::new("DELETE FROM account_events_recent"));
        stmts.push(Stmt::new("UPDATE sync_state SET account_rows_staged = 0 WHERE id = 1"));
    } else {
        stmts.push(
            Stmt::new("UPDATE sync_state SET account_rows_staged = $1 WHERE id = 1").arg(Val::I(now_staged)),
        );
    }
    exec_all(c, stmts).await?;
    Ok(())
}

/// The whole batch and the cursor, on `c` (which the caller wraps in one transaction).
pub async fn commit_batch<C: Conn>(
    c: &mut C,
    batch: &Batch,
    cursor: &Cursor,
) -> Result<CommitOutcome, sqlx::Error> {
    // One statement for what the batch starts from: the finalized slot, the largest transaction
    // id (the batch's new transactions get ids above it), the newest event id and the account
    // rows staged so far.
    let head = c
        .fetch(&Stmt::new(
            "SELECT finalized_slot, account_rows_staged, \
             (SELECT COALESCE(MAX(id), 0) FROM transactions) AS last_tx, \
             (SELECT COALESCE(MAX(id), 0) FROM events) AS last_event FROM sync_state WHERE id = 1",
        ))
        .await?;
    let at = |k: &str| head.first().and_then(|r| r.get(k)).and_then(Value::as_i64).unwrap_or(0);
    let (finalized_slot, staged, tx_floor, last_event) =
        (at("finalized_slot"), at("account_rows_staged"), at("last_tx"), at("last_event"));
    let txs = unique_txs(batch);
    let (tx_ids, transactions_inserted) = insert_transactions(c, &txs, finalized_slot).await?;
    let ids = insert_events(c, &txs, &tx_ids, tx_floor, finalized_slot, last_event).await?;

    // Newly stored events, in batch order (the order the caller gives: oldest first).
    let mut fresh: Vec<(i64, &DecodedTx, &DecodedEvent)> = Vec::with_capacity(ids.len());
    for t in &txs {
        let Some(&tx_id) = tx_ids.get(&t.signature) else { continue };
        for e in &t.events {
            let key = (tx_id, e.ix_path.clone(), i64::from(e.event_index));
            if let Some(id) = ids.get(&key) {
                fresh.push((*id, t, e));
            }
        }
    }
    fresh.sort_by_key(|(_, t, _)| t.slot);

    // Every event here was inserted by this batch (its id is new), so its rows cannot be stored
    // yet: duplicates (an account an event names twice) are dropped here instead of by a
    // conflict check, and the rows go in key order (neighbouring index inserts share pages).
    let mut keys: Vec<(&str, i64, i64)> = fresh
        .iter()
        .flat_map(|(id, t, e)| e.accounts.iter().map(move |a| (a.as_str(), i64_of(t.slot), *id)))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    insert_event_accounts(c, &keys, staged, ACCOUNT_MERGE_ROWS).await?;

    let mut plan = Plan::default();
    for (id, t, e) in &fresh {
        let cx =
            EventCtx { id: *id, signature: &t.signature, slot: i64_of(t.slot), block_time: t.block_time };
        projection::event(&mut plan, &cx, &e.event);
    }
    for a in &batch.accounts {
        projection::accounts::account(
            &mut plan,
            &a.address,
            a.program,
            &a.account_type,
            i64_of(a.slot),
            &a.state,
        );
    }
    apply_plan(c, &plan).await?;
    upsert_accounts(c, &batch.accounts).await?;

    let (target, gap) = cursor_target(c, batch, &txs, cursor).await?;
    let mut written = None;
    if let Some(cur) = target {
        if write_cursor(c, &cur).await? {
            // Every program is stored up to its cursor: the indexed slot may rise to the lowest
            // one (a program behind, or waiting at a gap, holds it back; a caught-up round lifts
            // it to the tip with `advance_indexed`).
            let low = c.fetch(&Stmt::new("SELECT MIN(last_slot) AS low FROM cursors")).await?;
            let low = low.first().and_then(|r| r.get("low")).and_then(Value::as_i64).unwrap_or(0);
            let bt = txs.iter().find(|t| t.signature == cur.last_signature && i64_of(t.slot) == low);
            advance_indexed(c, low, bt.and_then(|t| t.block_time)).await?;
            written = Some(cur);
        }
    }
    Ok(CommitOutcome {
        cursor: written,
        gap,
        transactions_inserted,
        events_inserted: fresh.len() as u64,
        failed_transactions: batch.transactions.iter().filter(|t| t.err.is_some()).count() as u64,
        undecoded: batch.transactions.iter().map(|t| u64::from(t.undecoded)).sum(),
    })
}

/// Account snapshots alone (account sync), without a cursor.
pub async fn commit_accounts<C: Conn>(c: &mut C, accounts: &[AccountSnapshot]) -> Result<(), sqlx::Error> {
    let mut plan = Plan::default();
    for a in accounts {
        projection::accounts::account(
            &mut plan,
            &a.address,
            a.program,
            &a.account_type,
            i64_of(a.slot),
            &a.state,
        );
    }
    apply_plan(c, &plan).await?;
    upsert_accounts(c, accounts).await
}

/// Marks everything at or below `slot` finalized; returns the number of events promoted. Rows
/// stored at or below the finalized slot are written final, so only the slots above the previous
/// finalized slot are visited (through the slot indexes).
pub async fn promote_finalized<C: Conn>(c: &mut C, slot: i64) -> Result<u64, sqlx::Error> {
    let prev = read_sync(c).await?.finalized_slot;
    if slot <= prev {
        return Ok(0);
    }
    let n = c
        .exec(
            &Stmt::new("UPDATE events SET finalized = TRUE WHERE slot > $1 AND slot <= $2 AND NOT finalized")
                .arg(Val::I(prev))
                .arg(Val::I(slot)),
        )
        .await?;
    c.exec(
        &Stmt::new(
            "UPDATE transactions SET finalized = TRUE WHERE slot > $1 AND slot <= $2 AND NOT finalized",
        )
        .arg(Val::I(prev))
        .arg(Val::I(slot)),
    )
    .await?;
    c.exec(&Stmt::new("UPDATE sync_state SET finalized_slot = $1 WHERE id = 1").arg(Val::I(slot))).await?;
    Ok(n)
}

/// Records the chain tip last seen (for the lag in `/status`).
pub async fn set_chain_slot<C: Conn>(c: &mut C, slot: i64) -> Result<(), sqlx::Error> {
    c.exec(
        &Stmt::new("UPDATE sync_state SET chain_slot = $1 WHERE id = 1 AND chain_slot < $1")
            .arg(Val::I(slot)),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::read::{events, EventFilter};
    use crate::store::Store;

    /// The staged accounts index: rows move into `account_events` when event ids cross the
    /// merge boundary, the view shows every row wherever it lies, and the account page reads
    /// both tables in order.
    #[tokio::test]
    async fn staged_account_rows_merge_and_read_in_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let store = Store::connect(&url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let Store::Sqlite(pool) = &store else { unreachable!() };
        let mut c = pool.acquire().await.expect("connection");
        let c = &mut *c;
        for id in 1..=6i64 {
            c.exec(&Stmt::new(format!(
                "INSERT INTO events (id, tx_id, signature, ix_path, event_index, slot, program, event_name, payload) \
                 VALUES ({id}, {id}, 's{id}', '0', 0, {}, 'io_staking', 'Staked', '{{}}')",
                100 + id
            )))
            .await
            .expect("event");
        }
        let count = |t: &'static str| Stmt::new(format!("SELECT COUNT(*) AS n FROM {t}"));
        let n = |rows: crate::store::conn::Rows| rows[0]["n"].as_i64().unwrap_or(-1);
        // Merge at 4 staged rows: 3 stay staged; 3 + 2 reach 4, everything moves; 1 stays.
        insert_event_accounts(c, &[("A", 101, 1), ("A", 102, 2), ("B", 103, 3)], 0, 4).await.expect("first");
        assert_eq!(n(c.fetch(&count("account_events_recent")).await.expect("count")), 3);
        let staged = Stmt::new("SELECT account_rows_staged AS n FROM sync_state WHERE id = 1");
        assert_eq!(n(c.fetch(&staged).await.expect("staged")), 3);
        insert_event_accounts(c, &[("A", 104, 4), ("B", 105, 5)], 3, 4).await.expect("second");
        assert_eq!(n(c.fetch(&count("account_events_recent")).await.expect("count")), 0);
        assert_eq!(n(c.fetch(&count("account_events")).await.expect("count")), 5);
        insert_event_accounts(c, &[("A", 106, 6)], 0, 4).await.expect("third");
        let view = c
            .fetch(&Stmt::new(
                "SELECT account, slot, event_id FROM event_accounts ORDER BY account, slot, event_id",
            ))
            .await
            .expect("view");
        let got: Vec<(String, i64)> = view
            .iter()
            .map(|r| {
                (r["account"].as_str().unwrap_or_default().to_owned(), r["event_id"].as_i64().unwrap_or(0))
            })
            .collect();
        let want: Vec<(String, i64)> = [("A", 1), ("A", 2), ("A", 4), ("A", 6), ("B", 3), ("B", 5)]
            .iter()
            .map(|(a, i)| ((*a).to_owned(), *i))
            .collect();
        assert_eq!(got, want);
        // Pages of 2 over A, ascending then descending: merged rows and the staged one in order.
        for (desc, want) in [(false, vec![1, 2, 4, 6]), (true, vec![6, 4, 2, 1])] {
            let mut f = EventFilter { account: Some("A".into()), desc, limit: 2, ..EventFilter::default() };
            let mut ids = Vec::new();
            loop {
                let p = events(c, &f).await.expect("page");
                ids.extend(p.rows.iter().map(|r| r.id));
                match p.next {
                    Some(k) => f.after = Some(k),
                    None => break,
                }
            }
            assert_eq!(ids, want, "desc = {desc}");
        }
    }
}
