//! Query-parameter checks with errors that name the parameter: every endpoint accepts only the
//! parameters it documents, each once (the typed parsing of their values is in `query.rs`);
//! base58 addresses and signatures as the OpenAPI document admits them; opaque cursors, a
//! malformed one refused rather than ignored.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde::{de::DeserializeOwned, Serialize};

/// Default page size.
pub const DEFAULT_LIMIT: u32 = 100;
/// Largest page.
pub const MAX_LIMIT: u32 = 1_000;

/// An API error: a client mistake (4xx, naming the parameter) or an internal failure (5xx,
/// details logged, not returned).
#[derive(Debug, thiserror::Error)]
#[error("{status}: {message}")]
pub struct ApiError {
    pub status: StatusCode,
    pub parameter: Option<String>,
    pub message: String,
}

impl ApiError {
    pub fn bad(parameter: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            parameter: Some(parameter.to_owned()),
            message: message.into(),
        }
    }

    pub fn not_found(parameter: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            parameter: Some(parameter.to_owned()),
            message: message.into(),
        }
    }

    pub fn internal(err: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %err, "request failed");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            parameter: None,
            message: "internal error".into(),
        }
    }

    pub fn unavailable(err: impl std::fmt::Display) -> ApiError {
        tracing::warn!(error = %err, "database unavailable");
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            parameter: None,
            message: "database unavailable".into(),
        }
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> ApiError {
        ApiError::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": { "parameter": self.parameter, "message": self.message } });
        (self.status, Json(body)).into_response()
    }
}

/// The parsed query string of one request.
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses the raw query, refusing parameters outside `allowed` and repeated parameters.
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        for (i, (k, _)) in pairs.iter().enumerate() {
            if !allowed.contains(&k.as_str()) {
                return Err(ApiError::bad(
                    k,
                    if allowed.is_empty() {
                        "unknown parameter: this endpoint takes no query parameters".to_owned()
                    } else {
                        format!("unknown parameter; expected one of: {}", allowed.join(", "))
                    },
                ));
            }
            if pairs[..i].iter().any(|(k2, _)| k2 == k) {
                return Err(ApiError::bad(k, "given more than once"));
            }
        }
        Ok(Params { pairs })
    }

    /// Every `(name, value)` as given.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// The base58 alphabet (Bitcoin's: no 0, O, I, l).
const BASE58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/// Lengths of base58 text of 32 bytes (a key) and of 64 bytes (a signature).
pub const ADDRESS_LEN: (usize, usize) = (32, 44);
pub const SIGNATURE_LEN: (usize, usize) = (64, 88);

/// The OpenAPI pattern of base58 text of `len` characters.
pub fn base58_pattern((min, max): (usize, usize)) -> String {
    format!("^[{}]{{{min},{max}}}$", "1-9A-HJ-NP-Za-km-z")
}

fn is_base58(v: &str, (min, max): (usize, usize)) -> bool {
    (min..=max).contains(&v.len()) && v.chars().all(|c| BASE58.contains(c))
}

/// An account address as the OpenAPI document admits it: base58 text of 32 to 44 characters.
/// A regular expression cannot say "decodes to 32 bytes"; such text that does not is accepted
/// too, and simply matches no account (a 404 for a path, an empty page for a filter), so that
/// the server accepts exactly what the document admits.
pub fn address(name: &str, v: &str) -> Result<String, ApiError> {
    if is_base58(v, ADDRESS_LEN) {
        Ok(v.to_owned())
    } else {
        Err(ApiError::bad(name, "not a base58 account address (32 to 44 characters of the base58 alphabet)"))
    }
}

/// A transaction signature as the document admits it: base58 text of 64 to 88 characters.
pub fn signature(name: &str, v: &str) -> Result<String, ApiError> {
    if is_base58(v, SIGNATURE_LEN) {
        Ok(v.to_owned())
    } else {
        Err(ApiError::bad(
            name,
            "not a base58 transaction signature (64 to 88 characters of the base58 alphabet)",
        ))
    }
}

#[derive(Serialize, serde::Deserialize)]
struct CursorEnvelope<T> {
    k: String,
    v: T,
}

/// `kind` ties a cursor to the endpoint and ordering that issued it.
pub fn encode_cursor<T: Serialize>(kind: &str, v: T) -> String {
    let json = serde_json::to_vec(&CursorEnvelope { k: kind.to_owned(), v }).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

pub fn decode_cursor<T: DeserializeOwned>(kind: &str, v: &str) -> Result<T, ApiError> {
    let bad = || ApiError::bad("cursor", "not a cursor issued by this endpoint with these parameters");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(v).map_err(|_| bad())?;
    let env: CursorEnvelope<T> = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if env.k != kind {
        return Err(bad());
    }
    Ok(env.v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_are_tied_to_their_kind() {
        let c = encode_cursor("ops:stake", (5i64, "abc".to_owned()));
        assert_eq!(decode_cursor::<(i64, String)>("ops:stake", &c).unwrap(), (5, "abc".to_owned()));
        assert!(decode_cursor::<(i64, String)>("ops:commission", &c).is_err());
        assert!(decode_cursor::<(i64, String)>("ops:stake", "!!").is_err());
    }

    #[test]
    fn parameters() {
        let p = Params::parse(Some("limit=5&green=true"), &["limit", "green"]).unwrap();
        assert_eq!((p.get("limit"), p.get("green")), (Some("5"), Some("true")));
        assert_eq!(Params::parse(Some("x=1"), &["limit"]).err().unwrap().parameter.as_deref(), Some("x"));
        assert!(Params::parse(Some("limit=1&limit=2"), &["limit"]).is_err());
    }

    #[test]
    fn base58_text_is_accepted_exactly_as_the_document_admits() {
        let pattern = base58_pattern(ADDRESS_LEN);
        assert_eq!(pattern, "^[1-9A-HJ-NP-Za-km-z]{32,44}$");
        assert!(address("a", &"1".repeat(32)).is_ok() && address("a", &"z".repeat(44)).is_ok());
        for bad in
            ["1".repeat(31), "1".repeat(45), format!("{}0", "1".repeat(31)), format!("{}l", "1".repeat(31))]
        {
            assert_eq!(address("a", &bad).unwrap_err().parameter.as_deref(), Some("a"), "{bad}");
        }
        assert!(signature("s", &"2".repeat(64)).is_ok() && signature("s", &"2".repeat(89)).is_err());
    }
}
