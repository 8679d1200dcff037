//! IO Compute indexer: decodes the four programs' `emit_cpi!` events and account states, stores
//! them in SQLite (embedded default) or PostgreSQL, and serves them through a REST + SSE API.
//!
//! - [`decode`]: `getTransaction` results → events (the event rule), account data → states;
//! - [`ingest`]: RPC poller from durable cursors, `logsSubscribe` trigger, account sync, finality,
//!   the chain check and the independent slot probe;
//! - [`feed`]: the writer's broadcast of new events to the SSE clients;
//! - [`store`]: schema, idempotent batch commits with the cursor in the same transaction, reads;
//! - [`api`]: `app(state) -> Router` (REST, SSE, OpenAPI, metrics);
//! - [`settings`]: the service's settings (TOML file, `INDEXER__*` environment, flags);
//! - [`pgtemp`]: a throwaway PostgreSQL server for the tests and the benchmark.
pub mod api;
pub mod decode;
pub mod feed;
pub mod ingest;
pub mod metrics;
pub mod pgtemp;
pub mod projection;
pub mod regions;
pub mod settings;
pub mod store;

pub use store::{POSTGRES_MIGRATOR, SQLITE_MIGRATOR};
