//! The one place that knows the two databases apart. Every statement of the store is built once
//! as a [`Stmt`] (SQL with `$1`-style placeholders, which both SQLite and PostgreSQL accept, and
//! [`Val`] arguments) and run through [`Conn`], implemented for `SqliteConnection` and
//! `PgConnection` — so a transaction (`&mut *tx`), a pooled connection or a bare connection all
//! work. Rows come back as JSON objects, typed by the column's declared type.
use super::plan::Val;
use serde_json::{Map, Number, Value};
use sqlx::{
    postgres::PgRow, sqlite::SqliteRow, Column, PgConnection, Row, SqliteConnection, TypeInfo, ValueRef,
};
use std::future::Future;

/// Which SQL dialect a connection speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// Most bind parameters one statement may carry (SQLite's limit is 32,766, PostgreSQL's
    /// 65,535; both with a margin).
    pub fn max_params(self) -> usize {
        match self {
            Dialect::Sqlite => 30_000,
            Dialect::Postgres => 60_000,
        }
    }
}

/// One statement and its arguments.
#[derive(Clone, Debug, Default)]
pub struct Stmt {
    pub sql: String,
    pub args: Vec<Val>,
}

impl Stmt {
    pub fn new(sql: impl Into<String>) -> Stmt {
        Stmt { sql: sql.into(), args: Vec::new() }
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends a placeholder bound to `v`.
    pub fn bind(&mut self, v: Val) -> &mut Self {
        self.args.push(v);
        self.sql.push('$');
        self.sql.push_str(&self.args.len().to_string());
        self
    }

    /// Appends `(p1, p2, …)` with a placeholder bound to each of `vals` (for `IN` lists).
    pub fn bind_list(&mut self, vals: impl IntoIterator<Item = Val>) -> &mut Self {
        self.sql.push('(');
        for (i, v) in vals.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.bind(v);
        }
        self.sql.push(')');
        self
    }

    /// Adds an argument referenced by number in hand-written SQL.
    pub fn arg(mut self, v: Val) -> Self {
        self.args.push(v);
        self
    }
}

pub type Rows = Vec<Map<String, Value>>;

/// A typed row (`store::rows`) that both databases decode. The bounds live here, on a trait
/// without lifetimes, so the futures that read rows stay `Send` for every lifetime (a
/// higher-ranked bound in the method itself makes axum's handlers fail to prove it).
pub trait TypedRow: Sized + Send + Unpin + 'static {
    fn from_sqlite(row: &SqliteRow) -> Result<Self, sqlx::Error>;
    fn from_pg(row: &PgRow) -> Result<Self, sqlx::Error>;
}

impl<T> TypedRow for T
where
    T: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin + 'static,
{
    fn from_sqlite(row: &SqliteRow) -> Result<Self, sqlx::Error> {
        T::from_row(row)
    }

    fn from_pg(row: &PgRow) -> Result<Self, sqlx::Error> {
        T::from_row(row)
    }
}

/// A connection of either database.
pub trait Conn: Send {
    fn dialect(&self) -> Dialect;
    /// Runs a statement; the number of rows it affected.
    fn exec<'a>(&'a mut self, s: &'a Stmt) -> impl Future<Output = Result<u64, sqlx::Error>> + Send + 'a;
    /// Runs a query; its rows as JSON objects.
    fn fetch<'a>(&'a mut self, s: &'a Stmt) -> impl Future<Output = Result<Rows, sqlx::Error>> + Send + 'a;
    /// Runs a query; its rows as typed rows (`store::rows`), decoded by column name.
    fn fetch_as<'a, T>(
        &'a mut self,
        s: &'a Stmt,
    ) -> impl Future<Output = Result<Vec<T>, sqlx::Error>> + Send + 'a
    where
        T: TypedRow;
}

macro_rules! bind_all {
    ($q:expr, $args:expr, |$qq:ident, $a:ident| $arr:expr, |$uq:ident, $u:ident| $unsigned:expr) => {{
        let mut q = $q;
        for v in $args {
            q = match v {
                Val::I(i) => q.bind(*i),
                Val::U($u) => {
                    let $uq = q;
                    $unsigned
                }
                Val::NullU => q.bind(None::<i64>),
                Val::T(t) => q.bind(t.as_str()),
                Val::B(b) => q.bind(*b),
                Val::NullI => q.bind(None::<i64>),
                Val::NullT => q.bind(None::<String>),
                Val::NullB => q.bind(None::<bool>),
                Val::ArrI($a) => {
                    let $qq = q;
                    $arr
                }
                Val::ArrU($a) => {
                    let $qq = q;
                    $arr
                }
                Val::ArrT($a) => {
                    let $qq = q;
                    $arr
                }
                Val::ArrB($a) => {
                    let $qq = q;
                    $arr
                }
            };
        }
        q
    }};
}

/// `$N` → `?` with the arguments in order of appearance. SQLite looks named and numbered
/// parameters up by a linear scan per bind (quadratic in a statement's parameter count: most
/// of a bulk insert's time); anonymous `?` parameters bind by position. The store's SQL has no
/// `$` inside string literals.
fn anonymous_placeholders(s: &Stmt) -> (String, Vec<&Val>) {
    let mut sql = String::with_capacity(s.sql.len());
    let mut args = Vec::with_capacity(s.args.len());
    let bytes = s.sql.as_bytes();
    let mut i = 0;
    let mut start = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 {
                let n: usize = s.sql[i + 1..j].parse().unwrap_or(0);
                if let Some(v) = n.checked_sub(1).and_then(|k| s.args.get(k)) {
                    sql.push_str(&s.sql[start..i]);
                    sql.push('?');
                    args.push(v);
                    start = j;
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    sql.push_str(&s.sql[start..]);
    (sql, args)
}

/// `sql` with `args` bound the SQLite way (u64 as INTEGER or order-preserving blob, see
/// `store::u64`).
fn sqlite_query<'q>(
    sql: &'q str,
    args: Vec<&'q Val>,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    bind_all!(
        sqlx::query::<sqlx::Sqlite>(sql),
        args,
        |q, a| {
            // SQLite has no array parameters; the store never builds them for SQLite.
            let _ = a;
            q.bind(None::<String>)
        },
        |q, u| match super::u64::to_sqlite(*u) {
            super::u64::SqliteU64::Int(i) => q.bind(i),
            super::u64::SqliteU64::Blob(b) => q.bind(b.to_vec()),
        }
    )
}

impl Conn for SqliteConnection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    async fn exec<'a>(&'a mut self, s: &'a Stmt) -> Result<u64, sqlx::Error> {
        let (sql, args) = anonymous_placeholders(s);
        let q = sqlite_query(&sql, args);
        Ok(q.execute(self).await?.rows_affected())
    }

    async fn fetch<'a>(&'a mut self, s: &'a Stmt) -> Result<Rows, sqlx::Error> {
        let (sql, args) = anonymous_placeholders(s);
        let q = sqlite_query(&sql, args);
        let rows = q.fetch_all(self).await?;
        rows.iter().map(sqlite_row).collect()
    }
    async fn fetch_as<'a, T>(&'a mut self, s: &'a Stmt) -> Result<Vec<T>, sqlx::Error>
    where
        T: TypedRow,
    {
        let (sql, args) = anonymous_placeholders(s);
        let q = sqlite_query(&sql, args);
        let rows = q.fetch_all(self).await?;
        rows.iter().map(T::from_sqlite).collect()
    }
}

impl Conn for PgConnection {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    async fn exec<'a>(&'a mut self, s: &'a Stmt) -> Result<u64, sqlx::Error> {
        let q =
            bind_all!(sqlx::query::<sqlx::Postgres>(&s.sql), &s.args, |q, a| q.bind(pg_array(a)), |q, u| q
                .bind(super::u64::PgU64(*u)));
        Ok(q.execute(self).await?.rows_affected())
    }

    async fn fetch<'a>(&'a mut self, s: &'a Stmt) -> Result<Rows, sqlx::Error> {
        let q =
            bind_all!(sqlx::query::<sqlx::Postgres>(&s.sql), &s.args, |q, a| q.bind(pg_array(a)), |q, u| q
                .bind(super::u64::PgU64(*u)));
        let rows = q.fetch_all(self).await?;
        rows.iter().map(pg_row).collect()
    }
    async fn fetch_as<'a, T>(&'a mut self, s: &'a Stmt) -> Result<Vec<T>, sqlx::Error>
    where
        T: TypedRow,
    {
        let q =
            bind_all!(sqlx::query::<sqlx::Postgres>(&s.sql), &s.args, |q, a| q.bind(pg_array(a)), |q, u| q
                .bind(super::u64::PgU64(*u)));
        let rows = q.fetch_all(self).await?;
        rows.iter().map(T::from_pg).collect()
    }
}

/// Array parameters (PostgreSQL's bulk statements): u64 elements as NUMERIC.
trait PgArray {
    type Out;
    fn pg(&self) -> Self::Out;
}

macro_rules! pg_same {
    ($($t:ty),*) => {$(
        impl PgArray for Vec<Option<$t>> {
            type Out = Vec<Option<$t>>;
            fn pg(&self) -> Self::Out {
                self.clone()
            }
        }
    )*};
}
pg_same!(i64, String, bool);

impl PgArray for Vec<Option<u64>> {
    type Out = Vec<Option<super::u64::PgU64>>;
    fn pg(&self) -> Self::Out {
        self.iter().map(|v| v.map(super::u64::PgU64)).collect()
    }
}

fn pg_array<A: PgArray>(a: &A) -> A::Out {
    a.pg()
}

/// Columns holding JSON text that the API returns as JSON.
fn is_json_column(name: &str) -> bool {
    matches!(name, "payload" | "state" | "members" | "instructions")
}

fn text_value(name: &str, s: String) -> Value {
    if is_json_column(name) {
        serde_json::from_str(&s).unwrap_or(Value::String(s))
    } else {
        Value::String(s)
    }
}

fn sqlite_row(row: &SqliteRow) -> Result<Map<String, Value>, sqlx::Error> {
    let mut m = Map::new();
    for (i, col) in row.columns().iter().enumerate() {
        let name = col.name();
        let raw = row.try_get_raw(i)?;
        if raw.is_null() {
            m.insert(name.to_owned(), Value::Null);
            continue;
        }
        let declared = col.type_info().name().to_ascii_uppercase();
        let stored = raw.type_info().name().to_ascii_uppercase();
        let v = if declared == "BOOLEAN" {
            Value::Bool(row.try_get::<bool, _>(i)?)
        } else if stored == "INTEGER" {
            Value::from(row.try_get::<i64, _>(i)?)
        } else if stored == "BLOB" {
            // The only blobs are u64 values above i64::MAX (see `store::u64`).
            let bytes = row.try_get::<Vec<u8>, _>(i)?;
            super::u64::from_sqlite_blob(&bytes).map_or(Value::Null, Value::from)
        } else if stored == "REAL" {
            Number::from_f64(row.try_get::<f64, _>(i)?).map_or(Value::Null, Value::Number)
        } else {
            text_value(name, row.try_get::<String, _>(i)?)
        };
        m.insert(name.to_owned(), v);
    }
    Ok(m)
}

fn pg_row(row: &PgRow) -> Result<Map<String, Value>, sqlx::Error> {
    let mut m = Map::new();
    for (i, col) in row.columns().iter().enumerate() {
        let name = col.name();
        let v = match col.type_info().name() {
            "INT8" => row.try_get::<Option<i64>, _>(i)?.map(Value::from),
            "INT4" => row.try_get::<Option<i32>, _>(i)?.map(Value::from),
            "INT2" => row.try_get::<Option<i16>, _>(i)?.map(Value::from),
            "BOOL" => row.try_get::<Option<bool>, _>(i)?.map(Value::Bool),
            "FLOAT8" => row.try_get::<Option<f64>, _>(i)?.and_then(Number::from_f64).map(Value::Number),
            // u64 columns (see `store::u64`).
            "NUMERIC" => row.try_get::<Option<super::u64::PgU64>, _>(i)?.map(|v| Value::from(v.0)),
            _ => row.try_get::<Option<String>, _>(i)?.map(|s| text_value(name, s)),
        };
        m.insert(name.to_owned(), v.unwrap_or(Value::Null));
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_anonymous_in_order_of_appearance() {
        let s = Stmt::new("SELECT $2, $1 WHERE a = $2 AND b = $10x").arg(Val::I(1)).arg(Val::T("two".into()));
        let (sql, args) = anonymous_placeholders(&s);
        assert_eq!(sql, "SELECT ?, ? WHERE a = ? AND b = $10x");
        assert_eq!(args, vec![&Val::T("two".into()), &Val::I(1), &Val::T("two".into())]);
    }
}
