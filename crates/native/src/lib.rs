//! The four IO Compute programs as native builtins.
//!
//! No SBF toolchain exists on our build machines, so each program's Anchor `entry` runs natively,
//! wrapped in `solana-program-test`'s builtin adapter. The test harness (io-testkit) adds these
//! builtins to a `ProgramTest` bank and the local network (io-localnet) to its LiteSVM: one
//! registration, so both run exactly the same programs. Nothing here is test-only, and the local
//! network needs nothing else from the harness.
#![allow(deprecated)] // program-test 3.1 marks its whole API "unstable"; its adapter is what we use.
use anchor_lang::{
    prelude::{AccountInfo, Pubkey},
    solana_program::entrypoint::ProgramResult,
};
use io_sdk::Program;
pub use solana_program_runtime::invoke_context::BuiltinFunctionWithContext;
use solana_program_test::processor;
use std::sync::OnceLock;

// Anchor's `entry` ties every `AccountInfo` to one lifetime `'info`, which is stricter than the
// builtin signature program-test expects. The runtime keeps the accounts alive for the whole
// call, so widening the lifetimes is sound (the same wrapper Anchor's own native tests use).
macro_rules! native_entry {
    ($name:ident, $program:ident) => {
        fn $name(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
            // SAFETY: only lifetimes change; the slice outlives the call.
            let accounts: &[AccountInfo<'_>] = unsafe { core::mem::transmute(accounts) };
            $program::entry(program_id, accounts, data)
        }
    };
}
native_entry!(staking_entry, io_staking);
native_entry!(token_entry, io_token);
native_entry!(escrow_entry, io_escrow);
native_entry!(oracle_entry, io_oracle);

/// One program as a native builtin.
#[derive(Clone, Copy)]
pub struct NativeProgram {
    pub program: Program,
    /// program-test's adapter around the program's Anchor `entry`.
    pub entry: BuiltinFunctionWithContext,
}

/// The adapter around `program`'s Anchor `entry`.
fn entry_of(program: Program) -> BuiltinFunctionWithContext {
    // Each `processor!` is a closure of its own type: name the function-pointer type.
    let adapter: Option<BuiltinFunctionWithContext> = match program {
        Program::Token => processor!(token_entry),
        Program::Staking => processor!(staking_entry),
        Program::Escrow => processor!(escrow_entry),
        Program::Oracle => processor!(oracle_entry),
    };
    // `processor!` wraps its function in `Some` (program-test's `add_program` takes an Option).
    adapter.expect("processor! always yields Some")
}

/// Every IO Compute program (the sdk's list, in its order) as a native builtin.
pub fn native_programs() -> [NativeProgram; 4] {
    Program::ALL.map(|program| NativeProgram { program, entry: entry_of(program) })
}

/// The programs as builtins of a new `ProgramTest` bank (native only: no `.so` is looked for).
pub fn program_test() -> solana_program_test::ProgramTest {
    let mut pt = solana_program_test::ProgramTest::default();
    pt.prefer_bpf(false);
    for p in native_programs() {
        pt.add_program(p.program.name(), p.program.id(), Some(p.entry));
    }
    pt
}

/// Installs `solana-program-test`'s process-global syscall stubs, once per process, for native
/// programs that run outside a program-test bank (the local network's LiteSVM). Without them a
/// native program's CPIs (SPL Token, io_token's burn) and `emit_cpi!` events are silently dropped.
/// The stubs are private to program-test and installed only when one of its banks starts, so this
/// starts one (empty) bank on a thread of its own — which works from inside or outside a tokio
/// runtime — and drops it at once. A program-test harness needs no call: its own bank installs them.
pub fn install_syscall_stubs() {
    static STUBS: OnceLock<()> = OnceLock::new();
    STUBS.get_or_init(|| {
        std::thread::spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("tokio runtime for program-test");
            rt.block_on(async {
                let mut pt = solana_program_test::ProgramTest::default();
                pt.prefer_bpf(false);
                drop(pt.start().await);
                // `ProgramTest::default()` logs every instruction at debug level unless RUST_LOG
                // is set; a process that serves many clients keeps to errors by default.
                agave_logger::setup_with_default("error");
            });
        })
        .join()
        .expect("program-test start");
    });
}
