//! (skeleton: filled by the gatherer's owner) Reads the chain, the nodes and the indexer into a
//! `Snapshot`.
use super::VerifyArgs;
use crate::context::Ctx;
use anyhow::{bail, Result};
use io_sdk::verify::Snapshot;

/// Progress on stderr for long runs: one line per step, rewritten in place on a terminal.
pub struct Progress {
    on: bool,
}

impl Progress {
    pub fn new(on: bool) -> Self {
        Progress { on }
    }

    pub fn step(&self, what: &str) {
        if self.on {
            eprintln!("{what}");
        }
    }

    pub fn done(&self) {}
}

pub fn node_urls(_ctx: &Ctx, args: &VerifyArgs) -> Result<Vec<String>> {
    Ok(args.oracle.clone())
}

pub async fn gather(_ctx: &Ctx, _args: &VerifyArgs, _progress: &Progress) -> Result<Snapshot> {
    bail!("not gathered yet")
}
