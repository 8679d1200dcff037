//! Unsigned 64-bit program values (amounts, prices, shares, periods) stored faithfully on both
//! databases, ordered and summed correctly where the queries need it.
//!
//! - **PostgreSQL**: `NUMERIC(20,0)` columns (`migrations/postgres/…_u64_numeric.sql`): exact for
//!   every u64, ordered numerically, and `SUM` is exact (the queries cast sums of token amounts,
//!   bounded by a mint's supply, to `BIGINT`). [`PgU64`] binds and reads them in PostgreSQL's
//!   binary NUMERIC format, so no decimal crate is needed.
//! - **SQLite**: integers are at most `i64`. A value up to `i64::MAX` — every token amount, since
//!   the mints' supplies are below it — stays an `INTEGER` (same storage, speed and `SUM` as
//!   before); a larger one (a free price or rate) is an 8-byte big-endian `BLOB`. SQLite's
//!   `INTEGER` affinity converts only text, never a blob, so no schema change is needed; and its
//!   type order (every integer sorts before every blob, blobs compare bytewise, and big-endian
//!   bytes compare as the numbers do) keeps `ORDER BY` and range conditions exact. Blobs never
//!   enter a `SUM`: only supply-bounded token amounts are summed.
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::types::Oid;
use sqlx::postgres::{PgArgumentBuffer, PgHasArrayType, PgTypeInfo, PgValueFormat, PgValueRef};
use sqlx::{Decode, Encode, Postgres, Type};

const NUMERIC: Oid = Oid(1700);
const NUMERIC_ARRAY: Oid = Oid(1231);

/// The SQLite form of a u64: an integer when it fits, else its big-endian bytes.
pub enum SqliteU64 {
    Int(i64),
    Blob([u8; 8]),
}

pub fn to_sqlite(v: u64) -> SqliteU64 {
    match i64::try_from(v) {
        Ok(i) => SqliteU64::Int(i),
        Err(_) => SqliteU64::Blob(v.to_be_bytes()),
    }
}

/// A stored 8-byte blob back to its u64.
pub fn from_sqlite_blob(b: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(<[u8; 8]>::try_from(b).ok()?))
}

/// A u64 as PostgreSQL `NUMERIC`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PgU64(pub u64);

impl Type<Postgres> for PgU64 {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_oid(NUMERIC)
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        ty.oid() == Some(NUMERIC)
    }
}

impl PgHasArrayType for PgU64 {
    fn array_type_info() -> PgTypeInfo {
        PgTypeInfo::with_oid(NUMERIC_ARRAY)
    }

    fn array_compatible(ty: &PgTypeInfo) -> bool {
        ty.oid() == Some(NUMERIC_ARRAY)
    }
}

/// Binary NUMERIC: `ndigits`, `weight`, `sign`, `dscale` (each 16 bits), then `ndigits` base-10,000
/// digits, most significant first; the value is Σ digit·10000^(weight − i).
impl Encode<'_, Postgres> for PgU64 {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        let mut digits = Vec::with_capacity(5);
        let mut v = self.0;
        while v > 0 {
            digits.push(i16::try_from(v % 10_000)?);
            v /= 10_000;
        }
        digits.reverse();
        let weight = i16::try_from(digits.len())? - 1;
        while digits.last() == Some(&0) {
            digits.pop();
        }
        let weight = if digits.is_empty() { 0 } else { weight };
        buf.extend(i16::try_from(digits.len())?.to_be_bytes());
        buf.extend(weight.to_be_bytes());
        buf.extend(0u16.to_be_bytes()); // positive
        buf.extend(0u16.to_be_bytes()); // no fractional digits
        for d in digits {
            buf.extend(d.to_be_bytes());
        }
        Ok(IsNull::No)
    }
}

impl Decode<'_, Postgres> for PgU64 {
    fn decode(value: PgValueRef<'_>) -> Result<Self, BoxDynError> {
        match value.format() {
            PgValueFormat::Text => Ok(PgU64(value.as_str()?.parse()?)),
            PgValueFormat::Binary => decode_numeric(value.as_bytes()?).map(PgU64),
        }
    }
}

fn decode_numeric(b: &[u8]) -> Result<u64, BoxDynError> {
    let word = |i: usize| -> Result<u16, BoxDynError> {
        let pair = b.get(i * 2..i * 2 + 2).ok_or("NUMERIC: truncated")?;
        Ok(u16::from_be_bytes([pair[0], pair[1]]))
    };
    let ndigits = usize::from(word(0)?);
    let weight = i32::from(word(1)? as i16);
    if word(2)? != 0 {
        return Err("NUMERIC: negative or NaN where a u64 is stored".into());
    }
    let mut acc: u128 = 0;
    for i in 0..ndigits {
        let digit = u128::from(word(4 + i)?);
        let power = weight - i32::try_from(i)?;
        if power < 0 {
            if digit != 0 {
                return Err("NUMERIC: fractional value where a u64 is stored".into());
            }
            continue;
        }
        acc = acc
            .checked_add(
                digit
                    .checked_mul(10_000u128.checked_pow(u32::try_from(power)?).ok_or("NUMERIC: too large")?)
                    .ok_or("NUMERIC: too large")?,
            )
            .ok_or("NUMERIC: too large")?;
    }
    Ok(u64::try_from(acc)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(v: u64) -> u64 {
        let mut buf = PgArgumentBuffer::default();
        let _ = PgU64(v).encode_by_ref(&mut buf).unwrap();
        decode_numeric(&buf).unwrap()
    }

    #[test]
    fn numeric_binary_round_trips_every_width() {
        for v in [0, 1, 9_999, 10_000, 10_001, 100_000_000, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX] {
            assert_eq!(round_trip(v), v);
        }
    }

    #[test]
    fn sqlite_form_orders_like_the_numbers() {
        assert!(matches!(to_sqlite(i64::MAX as u64), SqliteU64::Int(i64::MAX)));
        let (SqliteU64::Blob(a), SqliteU64::Blob(b)) = (to_sqlite(1 << 63), to_sqlite(u64::MAX)) else {
            panic!("above i64::MAX is a blob")
        };
        assert!(a < b);
        assert_eq!(from_sqlite_blob(&b), Some(u64::MAX));
    }
}
