//! The JSON form of decoded program values. One rule per Rust type, applied field by field to the
//! program crates' own structs: no second copy of any layout lives here.
//!
//! - `Pubkey` → base58 string (and the key is collected as an account the value mentions, unless it
//!   is the all-zero "unset" key);
//! - integers up to 64 bits → JSON numbers (exact in `serde_json`; JavaScript readers beyond 2^53
//!   should parse them as big integers); `u128` → decimal string;
//! - `[u8; N]` → lowercase hex; other arrays and `Vec`s → JSON arrays;
//! - unit enums → their `io_sdk::Name` (`DeviceStatus::Active` → `"active"`).
//!
//! [`json_struct!`] implements [`ToJson`] for a struct by destructuring it with every field
//! named, so a field added to a program struct fails to compile here until it is listed.
use io_sdk::Pubkey;
use serde_json::{Map, Value};

/// Collects the accounts a value mentions while it is converted.
#[derive(Debug, Default)]
pub struct Cx {
    pub accounts: Vec<Pubkey>,
}

impl Cx {
    fn mention(&mut self, key: &Pubkey) {
        if *key != Pubkey::default() && !self.accounts.contains(key) {
            self.accounts.push(*key);
        }
    }
}

/// Conversion into the indexer's JSON form.
pub trait ToJson {
    fn to_json(&self, cx: &mut Cx) -> Value;
}

impl ToJson for Pubkey {
    fn to_json(&self, cx: &mut Cx) -> Value {
        cx.mention(self);
        Value::String(self.to_string())
    }
}

macro_rules! number {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self, _: &mut Cx) -> Value {
                Value::from(*self)
            }
        }
    )*};
}
number!(u8, u16, u32, u64, i64, bool);

impl ToJson for u128 {
    fn to_json(&self, _: &mut Cx) -> Value {
        Value::String(self.to_string())
    }
}

impl ToJson for String {
    fn to_json(&self, _: &mut Cx) -> Value {
        Value::String(self.clone())
    }
}

impl<const N: usize> ToJson for [u8; N] {
    fn to_json(&self, _: &mut Cx) -> Value {
        Value::String(hex(self))
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self, cx: &mut Cx) -> Value {
        Value::Array(self.iter().map(|v| v.to_json(cx)).collect())
    }
}

/// `[T; N]` for each element type that occurs in the programs' arrays (a blanket impl would
/// overlap with the hex rule for `[u8; N]`).
macro_rules! arrays {
    ($($t:ty),*) => {$(
        impl<const N: usize> ToJson for [$t; N] {
            fn to_json(&self, cx: &mut Cx) -> Value {
                Value::Array(self.iter().map(|v| v.to_json(cx)).collect())
            }
        }
    )*};
}
arrays!(u32, u64, Pubkey, io_staking::state::UnstakeTicket, io_oracle::state::OracleSet);

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// `CamelCase` → `snake_case`.
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Implements [`ToJson`] for the programs' unit enums as their one user-facing name
/// (`io_sdk::Name`: the spelling the API, CLI and manifest share).
macro_rules! json_enum {
    ($($t:path),* $(,)?) => {$(
        impl $crate::decode::json::ToJson for $t {
            fn to_json(&self, _: &mut $crate::decode::json::Cx) -> serde_json::Value {
                serde_json::Value::String(io_sdk::Name::name(self).to_owned())
            }
        }
    )*};
}
pub(crate) use json_enum;

/// Implements [`ToJson`] for a struct, listing every field (checked by an exhaustive pattern).
/// `skip` fields are matched but left out of the JSON.
macro_rules! json_struct {
    ($($t:ident)::+ { $($f:ident),* $(,)? } $(skip { $($s:ident),* $(,)? })?) => {
        impl $crate::decode::json::ToJson for $($t)::+ {
            #[allow(unused_variables)]
            fn to_json(&self, cx: &mut $crate::decode::json::Cx) -> serde_json::Value {
                let $($t)::+ { $($f,)* $($($s: _,)*)? } = self;
                let mut m = serde_json::Map::new();
                $(m.insert(stringify!($f).to_owned(), $crate::decode::json::ToJson::to_json($f, cx));)*
                serde_json::Value::Object(m)
            }
        }
    };
}
pub(crate) use json_struct;

/// A JSON object from pairs, for hand-assembled values.
pub fn object<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        m.insert(k.to_owned(), v);
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_hex() {
        assert_eq!(snake_case("ConsumerGpu"), "consumer_gpu");
        assert_eq!(snake_case("RnD"), "rn_d");
        assert_eq!(snake_case("Active"), "active");
        assert_eq!(hex(&[0x00, 0xab, 0x10]), "00ab10");
    }

    #[test]
    fn zero_key_is_not_an_account() {
        let mut cx = Cx::default();
        let k = Pubkey::new_unique();
        assert_eq!(Pubkey::default().to_json(&mut cx), Value::String(Pubkey::default().to_string()));
        k.to_json(&mut cx);
        k.to_json(&mut cx);
        assert_eq!(cx.accounts, vec![k]);
        assert_eq!(u128::MAX.to_json(&mut cx), Value::String(u128::MAX.to_string()));
    }
}
