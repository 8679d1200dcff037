//! What the node reads on chain, in the shapes the rest of the node uses: the devices (with the
//! worker keys they are bound to), the leases, io_token's emission counters and io_oracle's
//! config. Each read is one RPC call (`getProgramAccounts` or `getAccountInfo`) through io-sdk's
//! client, which checks owners and discriminators.
use anyhow::{anyhow, Result};
use io_escrow::{Lease, LeaseStatus};
use io_oracle::OracleConfig;
use io_sdk::{
    client::Client,
    report::{ChainDevice, ChainLease},
    Pubkey,
};
use io_staking::{Device, DeviceStatus};
use io_token::TokenConfig;

/// Every device registered in io_staking (retired ones included: the report skips them).
pub async fn devices(client: &Client) -> Result<Vec<(Pubkey, Device)>> {
    Ok(client.program_accounts::<Device>(&io_staking::ID, vec![]).await?)
}

/// Every io_escrow lease.
pub async fn leases(client: &Client) -> Result<Vec<(Pubkey, Lease)>> {
    Ok(client.program_accounts::<Lease>(&io_escrow::ID, vec![]).await?)
}

/// The operator's positions still warming up (a reward claim settles them too), read with one
/// memcmp filter on the position's operator.
pub async fn warming_positions(client: &Client, operator: &Pubkey) -> Result<Vec<Pubkey>> {
    let filter = solana_rpc_client_api::filter::RpcFilterType::Memcmp(
        solana_rpc_client_api::filter::Memcmp::new_raw_bytes(
            io_sdk::staking::POSITION_OPERATOR_OFFSET,
            operator.to_bytes().to_vec(),
        ),
    );
    Ok(client
        .program_accounts::<io_staking::Position>(&io_staking::ID, vec![filter])
        .await?
        .into_iter()
        .filter(|(_, p)| p.activating_shares > 0)
        .map(|(a, _)| a)
        .collect())
}

pub async fn token_config(client: &Client) -> Result<TokenConfig> {
    client
        .account::<TokenConfig>(&io_sdk::token::config())
        .await?
        .ok_or_else(|| anyhow!("io_token is not initialized"))
}

pub async fn oracle_config(client: &Client) -> Result<OracleConfig> {
    client
        .account::<OracleConfig>(&io_sdk::oracle::config())
        .await?
        .ok_or_else(|| anyhow!("io_oracle is not initialized"))
}

/// A device in the report's terms; `None` for a retired device (it is in no tree).
pub fn chain_device(address: Pubkey, d: &Device) -> Option<ChainDevice> {
    (d.status != DeviceStatus::Retired).then_some(ChainDevice {
        address,
        operator: d.operator,
        class: d.class,
        gpu_count: d.gpu_count,
        green: d.green,
        status: d.status,
        worker_key: d.worker_key,
        bonded: d.bonded,
    })
}

/// A lease in the report's terms: its service window and devices; `None` once finalized
/// (nothing more can be settled).
pub fn chain_lease(address: Pubkey, l: &Lease) -> Option<ChainLease> {
    (l.status != LeaseStatus::Closed).then(|| ChainLease {
        address,
        start_ts: l.start_ts,
        end_ts: l.end_ts,
        devices: l.devices.iter().map(|d| d.device).collect(),
    })
}
