//! Every `io` command, one file per area as in `io-sdk` (token, staking, escrow, oracle, admin).
//! This file only connects and dispatches: each command parses and checks its input locally,
//! builds with `io-sdk`, sends through the sdk's [`Client`], and returns one result that
//! [`crate::output`] prints as text or JSON.
pub mod admin;
pub mod cluster;
pub mod escrow;
pub mod oracle;
pub mod reports;
pub mod staking;
pub mod token;
pub mod verify;

use crate::{
    context::Ctx,
    output::{Render, Report},
    Cli, Command, Commitment, Output,
};
use anyhow::Result;
use io_sdk::{
    client::{self, Client},
    keypair,
};
use solana_commitment_config::CommitmentConfig;

fn report<R: Render>(result: R) -> Result<Report> {
    Report::of(&result)
}

pub async fn run(cli: Cli) -> Result<Report> {
    let url = client::resolve_url(&cli.url, &cli.manifest)?;
    let commitment = match cli.commitment {
        Commitment::Processed => CommitmentConfig::processed(),
        Commitment::Confirmed => CommitmentConfig::confirmed(),
        Commitment::Finalized => CommitmentConfig::finalized(),
    };
    let path = cli.keypair.clone().unwrap_or_else(keypair::default_keypair_path);
    // Reading needs no wallet: a read-only command without a keypair file uses a throwaway key.
    let read_only = matches!(
        cli.command,
        Command::Supply
            | Command::Operator(staking::OperatorCmd::Show { .. } | staking::OperatorCmd::List)
            | Command::Device(staking::DeviceCmd::List { .. })
            | Command::Positions { wallet: Some(_) }
            | Command::Offer(escrow::OfferCmd::List)
            | Command::Lease(escrow::LeaseCmd::Show { .. })
            | Command::Oracle(oracle::OracleCmd::Show)
            | Command::Report { .. }
            | Command::Lease(escrow::LeaseCmd::Usage { .. })
            | Command::Verify(_)
    );
    let payer = match keypair::read_keypair(&path) {
        Ok(k) => k,
        Err(_) if read_only && cli.keypair.is_none() => solana_keypair::Keypair::new(),
        Err(e) => return Err(e.into()),
    };
    let ctx = Ctx {
        c: Client::new(url, commitment, payer),
        json: cli.output == Output::Json,
        yes: cli.yes,
        manifest: cli.manifest.clone(),
    };
    match cli.command {
        Command::Supply => report(token::supply(&ctx).await?),
        Command::Emit => report(token::emit(&ctx).await?),
        Command::Airdrop(token::AirdropCmd::Claim { proof }) => {
            report(token::airdrop_claim(&ctx, &proof).await?)
        }
        Command::Vesting(token::VestingCmd::Claim) => report(token::vesting_claim(&ctx).await?),
        Command::Operator(cmd) => staking::operator(&ctx, cmd).await,
        Command::Bond(cmd) => report(staking::bond(&ctx, cmd).await?),
        Command::Device(cmd) => staking::device(&ctx, cmd).await,
        Command::Stake { operator, amount } => report(staking::stake(&ctx, &operator, &amount).await?),
        Command::Unstake { operator, amount } => report(staking::unstake(&ctx, &operator, &amount).await?),
        Command::Withdraw { operator } => report(staking::withdraw_or_claim(&ctx, &operator, false).await?),
        Command::Claim { operator } => report(staking::withdraw_or_claim(&ctx, &operator, true).await?),
        Command::Positions { wallet } => report(staking::positions(&ctx, wallet.as_deref()).await?),
        Command::Offer(cmd) => escrow::offer(&ctx, cmd).await,
        Command::Lease(cmd) => escrow::lease(&ctx, cmd).await,
        Command::Oracle(oracle::OracleCmd::Show) => report(oracle::show(&ctx).await?),
        Command::Oracle(oracle::OracleCmd::Bond { amount }) => report(oracle::bond(&ctx, &amount).await?),
        Command::Oracle(oracle::OracleCmd::SubmitReport { file, signers }) => {
            report(oracle::submit_report(&ctx, &file, &signers).await?)
        }
        Command::Admin(cmd) => report(admin::admin(&ctx, cmd).await?),
        Command::Verify(args) => {
            let verified = verify::run(&ctx, args).await?;
            let failed = verified.fails();
            report(verified).map(|r| r.failing(failed))
        }
        Command::Report { period, oracle } => {
            let node = reports::Node::new(reports::node_url(oracle.as_deref(), &ctx.manifest)?)?;
            report(reports::report(&ctx, &node, period).await?)
        }
    }
}
