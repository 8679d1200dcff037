//! Embeds `../migrations/{sqlite,postgres}/*.sql` (see `migrations/embed.rs`).
include!("../migrations/embed.rs");

fn main() {
    embed_migrations("../migrations");
}
