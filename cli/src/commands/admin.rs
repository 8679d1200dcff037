//! Admin tooling: pausing and unpausing a program (the admin key signs).
use crate::{context::Ctx, output::Sent};
use anyhow::Result;
use clap::{Subcommand, ValueEnum};
use io_sdk::{escrow as esdk, staking as ssdk, token as tsdk};
use serde::Serialize;

#[derive(Clone, Copy, ValueEnum)]
pub enum Program {
    Token,
    Staking,
    Escrow,
    Oracle,
}

#[derive(Subcommand)]
pub enum AdminCmd {
    /// Pause a program: every non-admin instruction refuses until unpaused.
    Pause {
        #[arg(value_enum)]
        program: Program,
    },
    /// Unpause a program.
    Unpause {
        #[arg(value_enum)]
        program: Program,
    },
}

#[derive(Serialize)]
pub struct Paused {
    pub paused: bool,
}

pub async fn admin(ctx: &Ctx, cmd: AdminCmd) -> Result<Sent<Paused>> {
    let (program, paused) = match cmd {
        AdminCmd::Pause { program } => (program, true),
        AdminCmd::Unpause { program } => (program, false),
    };
    let w = ctx.c.wallet();
    let ix = match program {
        Program::Token => tsdk::set_paused(&w, paused),
        Program::Staking => ssdk::set_paused(&w, paused),
        Program::Escrow => esdk::set_paused(&w, paused),
        Program::Oracle => io_sdk::oracle::set_paused(&w, paused),
    };
    let sig = ctx.c.send(&[ix], &[]).await?;
    Ok(Sent::new(if paused { "paused" } else { "unpaused" }, sig, Paused { paused }))
}
