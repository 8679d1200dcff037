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
/// The renter's cluster lease: its nonce, length and devices (the H100 of the first operator
/// heads; the RTX A6000 of the second joins). 240 h of chain time is two wall hours of `make up`
/// (120×); paid in $IO, so the demo shows both currencies.
pub const CLUSTER_LEASE_NONCE: u64 = 1_001;
pub const CLUSTER_HOURS: u32 = 240;
pub const CLUSTER_DEVICES: [(usize, usize); 2] = [(0, 0), (1, 1)];
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
        cluster: None,
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

/// Opens the renter's cluster lease (the caller waits for it with `Chain::finish`).
pub async fn open_cluster(chain: &Chain, m: &Manifest) -> Result<crate::manifest::DemoCluster> {
    let renter_w = m.wallet("renter").ok_or_else(|| anyhow!("manifest: no renter wallet"))?;
    let renter = key(&renter_w.keypair)?;
    let devices: Vec<Pubkey> = CLUSTER_DEVICES
        .iter()
        .map(|&(o, d)| pk(&m.operators[o].devices[d].address))
        .collect::<Result<_>>()?;
    let rates: Vec<u64> =
        CLUSTER_DEVICES.iter().map(|&(o, d)| m.operators[o].devices[d].price_io_per_hour).collect();
    let quote = escrow::quote_deposit(&rates, CLUSTER_HOURS, crate::bootstrap::escrow_params().io_fee_bps)
        .ok_or_else(|| anyhow!("the demo cluster lease's deposit overflows"))?;
    let io_mint = token::mint();
    let ix = escrow::open_lease(
        &renter.pubkey(),
        CLUSTER_LEASE_NONCE,
        &io_mint,
        &pk(&renter_w.io_account)?,
        CLUSTER_HOURS,
        quote,
        &devices,
    );
    chain.send("the renter's demo cluster lease", &[ix], &[&renter]).await?;
    Ok(crate::manifest::DemoCluster {
        lease: escrow::lease(&renter.pubkey(), CLUSTER_LEASE_NONCE).to_string(),
        devices: devices.iter().map(|d| d.to_string()).collect(),
        hours: CLUSTER_HOURS,
        mint: "io".into(),
    })
}
