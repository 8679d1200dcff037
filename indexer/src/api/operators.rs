//! `/v1/operators` (the web app's operators table: sorted, filtered and paged on the server) and
//! `/v1/operators/{address}` (the operator and provider page).
use super::params::{self, address, encode_cursor, ApiError, Params};
use super::query::{self, QueryParams, TypedQuery};
use super::{reply, reply_with, AppState, MAX_GPU_MODEL_LEN, MAX_REGION_LEN};
use crate::store::operators::{OperatorFilter, OperatorSort, STATUSES};
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

/// Longest `q`: a whole base58 address (up to 44 characters) or a name (at most 32 bytes).
pub const MAX_Q_LEN: usize = 44;
/// Deepest `offset`: ten thousand pages of a hundred.
pub const MAX_OFFSET: u32 = 1_000_000;
/// Basis points in one (uptime and commission filters).
pub const MAX_BPS: u16 = 10_000;

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SortParam {
    #[default]
    Stake,
    Commission,
    Gpus,
    Uptime,
    Apy,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OrderParam {
    Asc,
    Desc,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatorsQuery {
    pub region: Option<String>,
    pub gpu_model: Option<String>,
    pub min_vram: Option<u16>,
    pub green: Option<bool>,
    pub status: Option<String>,
    pub min_uptime: Option<u16>,
    pub max_commission: Option<u16>,
    pub q: Option<String>,
    #[serde(default)]
    pub sort: SortParam,
    pub order: Option<OrderParam>,
    pub cursor: Option<String>,
    pub offset: Option<u32>,
    pub limit: Option<u32>,
}

impl QueryParams for OperatorsQuery {
    const NAMES: &'static [&'static str] = &[
        "region",
        "gpu_model",
        "min_vram",
        "green",
        "status",
        "min_uptime",
        "max_commission",
        "q",
        "sort",
        "order",
        "cursor",
        "offset",
        "limit",
    ];
}

fn bps(name: &str, v: Option<u16>) -> Result<Option<i64>, ApiError> {
    match v {
        Some(b) if b > MAX_BPS => {
            Err(ApiError::bad(name, format!("must be an integer from 0 to {MAX_BPS} (bps)")))
        }
        v => Ok(v.map(i64::from)),
    }
}

/// The filter a query asks for, or the 400 naming the parameter.
pub fn filter(q: OperatorsQuery) -> Result<OperatorFilter, ApiError> {
    let sort = match q.sort {
        SortParam::Stake => OperatorSort::Stake,
        SortParam::Commission => OperatorSort::Commission,
        SortParam::Gpus => OperatorSort::Gpus,
        SortParam::Uptime => OperatorSort::Uptime,
        SortParam::Apy => OperatorSort::Apy,
    };
    let desc = q.order.map_or(sort.default_desc(), |o| o == OrderParam::Desc);
    let offset = q.offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(ApiError::bad("offset", format!("must be an integer from 0 to {MAX_OFFSET}")));
    }
    if q.cursor.is_some() && offset > 0 {
        return Err(ApiError::bad("offset", "give either offset (page numbers) or cursor, not both"));
    }
    if q.cursor.is_some() && sort == OperatorSort::Apy {
        return Err(ApiError::bad("cursor", "sort=apy pages by offset"));
    }
    let kind = cursor_kind(sort, desc);
    if let Some(s) = &q.status {
        if !STATUSES.contains(&s.as_str()) {
            return Err(ApiError::bad(
                "status",
                format!("unknown value {s:?}; expected one of: {}", STATUSES.join(", ")),
            ));
        }
    }
    Ok(OperatorFilter {
        region: query::text("region", q.region, MAX_REGION_LEN)?,
        gpu_model: query::text("gpu_model", q.gpu_model, MAX_GPU_MODEL_LEN)?,
        min_vram: q.min_vram.map(i64::from),
        green: q.green,
        status: q.status,
        min_uptime_bps: bps("min_uptime", q.min_uptime)?,
        max_commission_bps: bps("max_commission", q.max_commission)?,
        q: query::text("q", q.q, MAX_Q_LEN)?,
        sort,
        desc,
        after: q.cursor.as_deref().map(|c| params::decode_cursor(&kind, c)).transpose()?,
        offset,
        limit: query::limit(q.limit)?,
    })
}

/// A cursor is good for the sort and order it was issued for.
fn cursor_kind(sort: OperatorSort, desc: bool) -> String {
    format!("operators:{}:{}", sort.name(), if desc { "desc" } else { "asc" })
}

pub async fn operators(
    State(st): State<AppState>,
    TypedQuery(q): TypedQuery<OperatorsQuery>,
) -> Result<Response, ApiError> {
    let f = filter(q)?;
    let (sync, table) = st.store.operators(&f).await?;
    let next = match f.sort {
        // Offset paging only: the next page is at offset + limit while it is below total.
        OperatorSort::Apy => None,
        _ => table.page.next.map(|k| encode_cursor(&cursor_kind(f.sort, f.desc), k)),
    };
    Ok(reply_with(
        &sync,
        serde_json::to_value(table.page.rows).unwrap_or(Value::Null),
        Some(next),
        [("total", json!(table.total)), ("offset", json!(f.offset))],
    ))
}

pub async fn operator(
    State(st): State<AppState>,
    Path(addr): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let addr = address("address", &addr)?;
    let (sync, op) = st.store.operator(&addr).await?;
    let op = op.ok_or_else(|| ApiError::not_found("address", "no operator at this address"))?;
    Ok(reply(&sync, op, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<OperatorFilter, ApiError> {
        filter(query::typed::<OperatorsQuery>(Some(raw))?)
    }

    #[test]
    fn bad_parameters_are_named() {
        for (raw, param) in [
            ("min_vram=70000", "min_vram"),
            ("min_uptime=10001", "min_uptime"),
            ("max_commission=-1", "max_commission"),
            ("status=busy", "status"),
            ("sort=name", "sort"),
            ("order=up", "order"),
            ("offset=1000001", "offset"),
            ("offset=5&cursor=abc", "offset"),
            ("sort=apy&cursor=abc", "cursor"),
            ("sort=gpus&cursor=abc", "cursor"),
            ("q=", "q"),
        ] {
            let e = parse(raw).unwrap_err();
            assert_eq!(e.parameter.as_deref(), Some(param), "{raw}: {e}");
        }
    }

    #[test]
    fn each_sort_has_its_default_order() {
        for (raw, sort, desc) in [
            ("", OperatorSort::Stake, true),
            ("sort=commission", OperatorSort::Commission, false),
            ("sort=gpus", OperatorSort::Gpus, true),
            ("sort=uptime&order=asc", OperatorSort::Uptime, false),
            ("sort=apy", OperatorSort::Apy, true),
        ] {
            let f = parse(raw).unwrap();
            assert_eq!((f.sort, f.desc), (sort, desc), "{raw}");
        }
    }
}
