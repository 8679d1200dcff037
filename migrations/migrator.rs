// Shared by the stores of the services with a database (indexer/src/store/mod.rs,
// oracle/src/store/mod.rs, through `include!`): the sqlx migrator over the list that
// `migrations/embed.rs` embedded at build time.

/// A migrator running `list` ((version, description, SQL), in order).
fn migrator(list: &'static [(i64, &'static str, &'static str)]) -> sqlx::migrate::Migrator {
    use sqlx::migrate::{Migration, MigrationType, Migrator};
    use std::borrow::Cow;
    let migrations: Vec<Migration> = list
        .iter()
        .map(|(version, description, sql)| {
            Migration::new(*version, Cow::Borrowed(description), MigrationType::Simple, Cow::Borrowed(sql), false)
        })
        .collect();
    Migrator { migrations: Cow::Owned(migrations), ignore_missing: false, locking: true, no_tx: false }
}
