//! `io-worker`: see the crate documentation (lib.rs) and the README's "Run a worker".
fn main() -> std::process::ExitCode {
    io_worker::cli::main()
}
