//! One integration-test binary (links once): the store and the API, each test run on SQLite and
//! on PostgreSQL (a server started from the machine's packages unless `DATABASE_URL` is set).
mod api;
mod common;
mod faults;
mod history;
mod openapi_file;
mod operators;
mod projection;
mod proofs;
mod store;
