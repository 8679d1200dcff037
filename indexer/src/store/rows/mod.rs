//! Typed rows: what the read functions return, one struct per row shape, grouped by domain
//! (`events`, `staking`, `escrow`, `token`, `oracle`). Each is an `sqlx::FromRow` for both
//! databases (decoded by column name; a missing column or a wrong type is an error, never a
//! default of 0) and `Serialize`s to the JSON the API serves, field for field.
//!
//! `typed_row!` writes the `FromRow` impl that `#[derive(sqlx::FromRow)]` would (the store
//! builds without sqlx's proc macros), generic over the row type so one struct reads from SQLite
//! and PostgreSQL alike.
pub mod escrow;
pub mod events;
pub mod oracle;
pub mod staking;
pub mod token;

use serde::{Serialize, Serializer};
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgTypeInfo, PgValueRef};
use sqlx::sqlite::{SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Postgres, Sqlite, Type, TypeInfo, ValueRef};

/// A row struct (`pub` fields, `Serialize`) with a `sqlx::FromRow` impl reading each field from
/// the column of the same name.
macro_rules! typed_row {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty,)* }) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, serde::Serialize)]
        pub struct $name {
            $($(#[$fm])* pub $f: $t,)*
        }

        impl<'r, R: sqlx::Row> sqlx::FromRow<'r, R> for $name
        where
            &'static str: sqlx::ColumnIndex<R>,
            $($t: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,)*
        {
            fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
                Ok($name { $($f: row.try_get(stringify!($f))?,)* })
            }
        }
    };
}
pub(crate) use typed_row;

/// A u64 column (see `store::u64`): SQLite `INTEGER` or 8-byte blob, PostgreSQL `NUMERIC` (or
/// `BIGINT` for counts and casts). Serialized as a JSON number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct U64(pub u64);

impl Serialize for U64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl Type<Sqlite> for U64 {
    fn type_info() -> SqliteTypeInfo {
        <i64 as Type<Sqlite>>::type_info()
    }

    fn compatible(_: &SqliteTypeInfo) -> bool {
        // Decided per value in `decode` (an integer or a blob).
        true
    }
}

impl<'r> Decode<'r, Sqlite> for U64 {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        if value.type_info().name().eq_ignore_ascii_case("BLOB") {
            let bytes = <&[u8] as Decode<Sqlite>>::decode(value)?;
            return super::u64::from_sqlite_blob(bytes).map(U64).ok_or_else(|| "u64 blob of 8 bytes".into());
        }
        Ok(U64(u64::try_from(<i64 as Decode<Sqlite>>::decode(value)?)?))
    }
}

impl Type<Postgres> for U64 {
    fn type_info() -> PgTypeInfo {
        <super::u64::PgU64 as Type<Postgres>>::type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        <super::u64::PgU64 as Type<Postgres>>::compatible(ty) || <i64 as Type<Postgres>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Postgres> for U64 {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        if <i64 as Type<Postgres>>::compatible(&value.type_info()) {
            return Ok(U64(u64::try_from(<i64 as Decode<Postgres>>::decode(value)?)?));
        }
        Ok(U64(<super::u64::PgU64 as Decode<Postgres>>::decode(value)?.0))
    }
}

/// A column holding JSON text (payloads, member lists, instruction lists), served as JSON.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JsonText(pub serde_json::Value);

impl Serialize for JsonText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

macro_rules! json_text_db {
    ($db:ty, $value:ty) => {
        impl Type<$db> for JsonText {
            fn type_info() -> <$db as sqlx::Database>::TypeInfo {
                <String as Type<$db>>::type_info()
            }

            fn compatible(ty: &<$db as sqlx::Database>::TypeInfo) -> bool {
                <String as Type<$db>>::compatible(ty)
            }
        }

        impl<'r> Decode<'r, $db> for JsonText {
            fn decode(value: $value) -> Result<Self, BoxDynError> {
                let text = <&str as Decode<$db>>::decode(value)?;
                Ok(JsonText(serde_json::from_str(text)?))
            }
        }
    };
}
json_text_db!(Sqlite, SqliteValueRef<'r>);
json_text_db!(Postgres, PgValueRef<'r>);
