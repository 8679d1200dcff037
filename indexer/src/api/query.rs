//! Typed query parameters of the list endpoints: one struct per endpoint, deserialized with serde
//! from the query string, every failure turned into the project's 400 naming the parameter.
//! The OpenAPI document states the same types and ranges (see `openapi.rs`), and the server
//! accepts exactly what it admits: an empty `cursor=` is absent, a base58 string of the
//! documented length and alphabet is accepted (one that is not a 32-byte key matches nothing).
use super::params::{ApiError, Params, MAX_LIMIT};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// A query struct and the parameter names it takes.
pub trait QueryParams: DeserializeOwned {
    const NAMES: &'static [&'static str];
}

/// Parses `raw` into `T`: unknown and repeated parameters are refused first (naming them), an
/// empty `cursor` is dropped, then serde reads the types and the error names the field.
pub fn typed<T: QueryParams>(raw: Option<&str>) -> Result<T, ApiError> {
    let p = Params::parse(raw, T::NAMES)?;
    let mut kept = form_urlencoded::Serializer::new(String::new());
    for (k, v) in p.pairs() {
        if k == "cursor" && v.is_empty() {
            continue;
        }
        kept.append_pair(k, v);
    }
    let text = kept.finish();
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(text.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let param = e.path().to_string();
        let message = e.inner().to_string();
        ApiError::bad(if param == "." { "query" } else { &param }, message)
    })
}

/// The extractor: `TypedQuery(q): TypedQuery<EventsQuery>` in a handler's arguments; a bad
/// query string is the 400 naming the parameter (see [`typed`]).
pub struct TypedQuery<T>(pub T);

impl<S: Send + Sync, T: QueryParams> FromRequestParts<S> for TypedQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        typed(parts.uri.query()).map(TypedQuery)
    }
}

/// `limit`: 100 by default, 1 to 1,000.
pub fn limit(v: Option<u32>) -> Result<u32, ApiError> {
    match v {
        None => Ok(super::params::DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::bad("limit", format!("must be an integer from 1 to {MAX_LIMIT}"))),
    }
}

/// A slot or event id: the database stores them as signed 64-bit integers.
pub fn up_to_i64(name: &str, v: Option<u64>) -> Result<Option<i64>, ApiError> {
    v.map(|n| {
        i64::try_from(n)
            .map_err(|_| ApiError::bad(name, format!("must be an integer from 0 to {}", i64::MAX)))
    })
    .transpose()
}

/// A filter string of 1 to `max` characters (characters, as the OpenAPI `maxLength` counts).
pub fn text(name: &str, v: Option<String>, max: usize) -> Result<Option<String>, ApiError> {
    v.map(|s| {
        let n = s.chars().count();
        if n == 0 || n > max {
            Err(ApiError::bad(name, format!("must be 1 to {max} characters")))
        } else {
            Ok(s)
        }
    })
    .transpose()
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AvailabilityParam {
    Available,
    Leased,
    Unlisted,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OrderParam {
    #[default]
    Asc,
    Desc,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevicesQuery {
    pub operator: Option<String>,
    pub region: Option<String>,
    pub gpu_model: Option<String>,
    pub min_vram: Option<u16>,
    pub green: Option<bool>,
    pub class: Option<String>,
    pub status: Option<String>,
    pub availability: Option<AvailabilityParam>,
    pub near: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

impl QueryParams for DevicesQuery {
    const NAMES: &'static [&'static str] = &[
        "operator",
        "region",
        "gpu_model",
        "min_vram",
        "green",
        "class",
        "status",
        "availability",
        "near",
        "cursor",
        "limit",
    ];
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeasesQuery {
    pub renter: Option<String>,
    pub operator: Option<String>,
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

impl QueryParams for LeasesQuery {
    const NAMES: &'static [&'static str] = &["renter", "operator", "status", "cursor", "limit"];
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BurnsQuery {
    pub reason: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

impl QueryParams for BurnsQuery {
    const NAMES: &'static [&'static str] = &["reason", "cursor", "limit"];
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    #[serde(rename = "type")]
    pub name: Option<String>,
    pub program: Option<String>,
    pub account: Option<String>,
    pub from_slot: Option<u64>,
    pub to_slot: Option<u64>,
    #[serde(default)]
    pub order: OrderParam,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

impl QueryParams for EventsQuery {
    const NAMES: &'static [&'static str] =
        &["type", "program", "account", "from_slot", "to_slot", "order", "cursor", "limit"];
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamQuery {
    pub cursor: Option<u64>,
    #[serde(rename = "type")]
    pub name: Option<String>,
    pub program: Option<String>,
}

impl QueryParams for StreamQuery {
    const NAMES: &'static [&'static str] = &["cursor", "type", "program"];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_read_and_errors_name_the_parameter() {
        let q: EventsQuery = typed(Some("type=Staked&from_slot=5&order=desc&cursor=")).unwrap();
        assert_eq!(
            (q.name.as_deref(), q.from_slot, q.order, q.cursor),
            (Some("Staked"), Some(5), OrderParam::Desc, None)
        );
        for (raw, param) in [
            ("from_slot=-1", "from_slot"),
            ("order=up", "order"),
            ("limit=ten", "limit"),
            ("nope=1", "nope"),
            ("limit=1&limit=2", "limit"),
        ] {
            let e = typed::<EventsQuery>(Some(raw)).unwrap_err();
            assert_eq!(e.parameter.as_deref(), Some(param), "{raw}: {e}");
        }
        let e = typed::<DevicesQuery>(Some("min_vram=70000")).unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("min_vram"));
        assert_eq!(text("region", Some("é".repeat(16)), 16).unwrap().map(|s| s.chars().count()), Some(16));
        assert!(text("region", Some("x".repeat(17)), 16).is_err());
    }
}
