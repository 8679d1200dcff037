//! Admin tooling: pausing and unpausing a program (the admin key signs).
use crate::{context::Ctx, output::Sent};
use anyhow::Result;
use clap::Subcommand;
use io_sdk::{escrow as esdk, oracle as osdk, staking as ssdk, token as tsdk, Program};
use serde::Serialize;

/// A program as typed on the command line: the sdk's name (`io_staking`) or that name without
/// its `io_` prefix (`staking`).
fn program_arg(text: &str) -> Result<Program, String> {
    Program::from_name(text).or_else(|| Program::from_name(&format!("io_{text}"))).ok_or_else(|| {
        let names: Vec<&str> = Program::ALL.iter().map(|p| p.name()).collect();
        format!("unknown program '{text}': one of {} (the io_ prefix may be left out)", names.join(", "))
    })
}

#[derive(Subcommand)]
pub enum AdminCmd {
    /// Pause PROGRAM (token, staking, escrow or oracle): every non-admin instruction refuses
    /// until unpaused.
    Pause {
        #[arg(value_parser = program_arg)]
        program: Program,
    },
    /// Unpause PROGRAM (token, staking, escrow or oracle).
    Unpause {
        #[arg(value_parser = program_arg)]
        program: Program,
    },
}

#[derive(Serialize)]
pub struct Paused {
    pub program: Program,
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
        Program::Oracle => osdk::set_paused(&w, paused),
    };
    let sig = ctx.c.send(&[ix], &[]).await?;
    let what = format!("{} {program}", if paused { "paused" } else { "unpaused" });
    Ok(Sent::new(what, sig, Paused { program, paused }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_by_their_sdk_name_or_short() {
        for p in Program::ALL {
            assert_eq!(program_arg(p.name()), Ok(p));
            assert_eq!(program_arg(p.name().trim_start_matches("io_")), Ok(p));
        }
        assert!(program_arg("bank").unwrap_err().contains("io_token"));
    }
}
