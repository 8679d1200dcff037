//! The demo's activity, set in motion by the bootstrap so that the oracle nodes have something to
//! attest: the `renter` wallet's USDC lease over two devices of two operators (settled by attested
//! usage, then finalized), and stake positions of `alice` and `bob` (rewards claimable once a
//! report pays their operators).
use crate::{
    bootstrap::{Chain, IO},
    manifest::{DemoInfo, DemoPosition, Manifest},
};
use anchor_spl::associated_token::get_associated_token_address;
use anyhow::{anyhow, Context, Result};
use io_sdk::{escrow, staking, token, Pubkey};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// The renter's lease nonce (tests and the CLI use small ones; this one is the demo's).
pub const LEASE_NONCE: u64 = 1_000;
/// The lease's length: a few periods of service, then the settlement grace, then finalize.
pub const LEASE_HOURS: u32 = 2;
/// (operator index, device index) of the leased devices: the A100 of the first operator and the
/// RTX 4090 of the second.
pub const LEASE_DEVICES: [(usize, usize); 2] = [(0, 1), (1, 0)];
/// (wallet, operator index, whole $IO) of the demo stake positions.
pub const POSITIONS: [(&str, usize, u64); 2] = [("alice", 0, 1_000), ("bob", 1, 500)];

fn pk(s: &str) -> Result<Pubkey> {
    s.parse().map_err(|_| anyhow!("manifest: {s:?} is not a public key"))
}

fn key(path: &str) -> Result<Keypair> {
    Ok(io_sdk::keypair::read_keypair(std::path::Path::new(path))?)
}

/// What the demo opens, from the manifest (addresses are deterministic).
pub fn info(m: &Manifest) -> Result<DemoInfo> {
    let renter = m.wallet("renter").ok_or_else(|| anyhow!("manifest: no renter wallet"))?;
    let lease = escrow::lease(&pk(&renter.address)?, LEASE_NONCE);
    let lease_devices =
        LEASE_DEVICES.iter().map(|&(o, d)| m.operators[o].devices[d].address.clone()).collect();
    let positions = POSITIONS
        .iter()
        .map(|&(wallet, o, amount)| {
            let w = m.wallet(wallet).ok_or_else(|| anyhow!("manifest: no {wallet} wallet"))?;
            let operator = m.operators[o].operator.clone();
            let position = staking::position(&pk(&operator)?, &pk(&w.address)?).to_string();
            Ok(DemoPosition { wallet: wallet.into(), operator, position, amount: amount * IO })
        })
        .collect::<Result<_>>()?;
    Ok(DemoInfo {
        lease: lease.to_string(),
        lease_devices,
        lease_hours: LEASE_HOURS,
        lease_mint: "usdc".into(),
        positions,
    })
}

/// Sends the stakes and opens the lease (the caller waits for them with `Chain::finish`).
pub async fn open(chain: &Chain, m: &Manifest, demo: &DemoInfo) -> Result<()> {
    let io_mint = token::mint();
    for p in &demo.positions {
        let w = m.wallet(&p.wallet).ok_or_else(|| anyhow!("manifest: no {} wallet", p.wallet))?;
        let staker = key(&w.keypair)?;
        let ix = staking::stake(&staker.pubkey(), &pk(&p.operator)?, &io_mint, &pk(&w.io_account)?, p.amount);
        chain.send(&format!("{} stakes with {}", p.wallet, p.operator), &[ix], &[&staker]).await?;
    }
    let renter_w = m.wallet("renter").ok_or_else(|| anyhow!("manifest: no renter wallet"))?;
    let renter = key(&renter_w.keypair)?;
    let usdc = pk(&m.mints.get("usdc").context("manifest: no USDC mint")?.address)?;
    let devices: Vec<Pubkey> = demo.lease_devices.iter().map(|d| pk(d)).collect::<Result<_>>()?;
    let rates: Vec<u64> =
        LEASE_DEVICES.iter().map(|&(o, d)| m.operators[o].devices[d].price_usdc_per_hour).collect();
    let quote = escrow::quote_deposit(&rates, LEASE_HOURS, crate::bootstrap::escrow_params().usdc_fee_bps)
        .ok_or_else(|| anyhow!("the demo lease's deposit overflows"))?;
    let renter_usdc = get_associated_token_address(&renter.pubkey(), &usdc);
    let ix =
        escrow::open_lease(&renter.pubkey(), LEASE_NONCE, &usdc, &renter_usdc, LEASE_HOURS, quote, &devices);
    chain.send("the renter's demo lease", &[ix], &[&renter]).await?;
    Ok(())
}
