//! `manifest.json`: everything a client of the local network needs — endpoints, program ids and
//! their PDAs, mints, and where the keypairs of every role and demo wallet are (Solana CLI JSON
//! keypair files: a 64-byte array). Addresses are base58 strings; paths are absolute.
use anyhow::{Context, Result};
use io_sdk::{Name, Program, Pubkey};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, path::Path};

/// Bumped when a key is renamed or removed.
pub const MANIFEST_VERSION: u32 = 1;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub version: u32,
    pub rpc_url: String,
    pub ws_url: String,
    pub slot_time_ms: u64,
    /// Chain seconds per wall second (see `Config::clock_speed`); 1 when absent.
    #[serde(default = "one")]
    pub clock_speed: u32,
    /// Whether the demo bootstrap ran (on this start or an earlier one against the same node).
    pub bootstrapped: bool,
    /// `io_token`, `io_staking`, `io_escrow`, `io_oracle`.
    pub programs: BTreeMap<String, ProgramInfo>,
    /// `io` (io_token's PDA mint) and `usdc` (a local mint); empty without the bootstrap.
    pub mints: BTreeMap<String, MintInfo>,
    /// `admin` (all four programs), `oracle_authority` and `rewards_authority` (io_staking),
    /// `usage_authority`, `price_authority`, `treasury_authority` (io_escrow),
    /// `usdc_mint_authority`, `faucet` (beneficiary of the genesis vesting schedules that pay $IO).
    pub authorities: BTreeMap<String, KeyInfo>,
    /// io_oracle's first set (epoch 1), in order; each key has posted its bond.
    pub oracles: Vec<KeyInfo>,
    pub oracle_threshold: u8,
    /// One oracle node per key of `oracles`, in the same order: its API's URL and the settings
    /// file `io-oracle run --config` reads (written by the bootstrap).
    #[serde(default)]
    pub oracle_nodes: Vec<OracleNodeInfo>,
    pub operators: Vec<OperatorInfo>,
    /// Demo wallets (`alice`, `bob`, `carol`, `renter`) holding SOL, $IO and USDC.
    pub wallets: Vec<WalletInfo>,
    /// The demo's activity, when the bootstrap opened it: a lease and stake positions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demo: Option<DemoInfo>,
    /// Known differences from a real cluster (see `io_localnet::QUIRKS`).
    pub quirks: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct OracleNodeInfo {
    /// Base URL of the node's API (`/v1/reports/latest`, the worker API, the peer API).
    pub url: String,
    /// Its oracle key (the `oracles` entry it runs as).
    pub key: String,
    /// Its settings file (TOML): `io-oracle run --config <settings>`.
    pub settings: String,
}

/// What the demo set in motion so that rewards and usage show up once the oracle nodes run.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DemoInfo {
    /// The `renter` wallet's lease over two devices of two operators.
    pub lease: String,
    /// Its devices (io_staking device accounts), in lease order.
    pub lease_devices: Vec<String>,
    pub lease_hours: u32,
    /// `usdc` or `io`.
    pub lease_mint: String,
    /// (wallet name, operator account, amount staked in $IO base units).
    pub positions: Vec<DemoPosition>,
    /// The `renter` wallet's long lease whose devices' workers form a Ray cluster (issue 17), when
    /// the bootstrap opened it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<DemoCluster>,
}

/// The demo's cluster lease.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DemoCluster {
    pub lease: String,
    /// In lease order: the first is the head.
    pub devices: Vec<String>,
    pub hours: u32,
    /// `usdc` or `io`.
    pub mint: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DemoPosition {
    pub wallet: String,
    pub operator: String,
    pub position: String,
    pub amount: u64,
}

fn one() -> u32 {
    1
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ProgramInfo {
    pub program_id: String,
    pub config: String,
    /// Signs the program's `emit_cpi!` self-invocations.
    pub event_authority: String,
    /// Token accounts the program owns, by role.
    pub vaults: BTreeMap<String, String>,
    /// Other singleton accounts (io_escrow's `price_feed`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub accounts: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct MintInfo {
    pub address: String,
    pub decimals: u8,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct KeyInfo {
    pub pubkey: String,
    pub keypair: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct WalletInfo {
    pub name: String,
    pub address: String,
    pub keypair: String,
    /// The wallet's associated token accounts.
    pub io_account: String,
    pub usdc_account: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct OperatorInfo {
    pub name: String,
    /// The operator's wallet (signs for the operator).
    pub authority: String,
    pub keypair: String,
    /// The io_staking operator PDA (stake to this).
    pub operator: String,
    pub region: String,
    pub commission_bps: u16,
    /// Bond posted, in $IO base units.
    pub bond: u64,
    pub devices: Vec<DeviceInfo>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DeviceInfo {
    pub address: String,
    /// io_escrow offer PDA of the device.
    pub offer: String,
    pub class: String,
    pub gpu_model: String,
    pub gpu_count: u16,
    pub vram_gb: u16,
    pub region: String,
    pub green: bool,
    /// Offer prices per device-hour, in base units.
    pub price_usdc_per_hour: u64,
    pub price_io_per_hour: u64,
    /// The device's worker key (its own signing key, bound on chain) and its keypair file.
    pub worker: KeyInfo,
    /// The worker's state directory: its key is `worker-key.json` there, so
    /// `io-worker run --state-dir <worker_state_dir>` serves this device.
    #[serde(default)]
    pub worker_state_dir: String,
}

fn s(p: &Pubkey) -> String {
    p.to_string()
}

fn map<'a>(entries: impl IntoIterator<Item = (&'a str, Pubkey)>) -> BTreeMap<String, String> {
    entries.into_iter().map(|(k, v)| (k.to_string(), s(&v))).collect()
}

/// A program's deterministic addresses: id, config, event authority, vaults (named as the sdk
/// names what they hold) and other fixed accounts.
fn program_info(program: Program) -> ProgramInfo {
    use io_sdk::{escrow, oracle, staking, token};
    let (config, vaults, accounts) = match program {
        Program::Token => {
            let mut vaults: Vec<(&str, Pubkey)> =
                <io_token::Bucket as Name>::ALL.iter().map(|b| (b.name(), token::vault(*b))).collect();
            vaults.push(("rewards", token::rewards_vault()));
            (token::config(), vaults, vec![])
        }
        Program::Staking => (
            staking::config(),
            vec![
                ("stake", staking::stake_vault()),
                ("bond", staking::bond_vault()),
                ("reward", staking::reward_vault()),
            ],
            vec![],
        ),
        Program::Escrow => (
            escrow::config(),
            vec![("treasury_io", escrow::treasury(&token::mint())), ("buyback", escrow::buyback_vault())],
            vec![("price_feed", escrow::price_feed())],
        ),
        Program::Oracle => (oracle::config(), vec![("bond", oracle::bond_vault())], vec![]),
    };
    ProgramInfo {
        program_id: s(&program.id()),
        config: s(&config),
        event_authority: s(&program.event_authority()),
        vaults: map(vaults),
        accounts: map(accounts),
    }
}

impl Manifest {
    /// Endpoints and the programs' addresses (all deterministic); nothing that needs the bootstrap.
    pub fn base(rpc_url: &str, ws_url: &str, slot_time_ms: u64, clock_speed: u32) -> Manifest {
        let programs = Program::ALL.into_iter().map(|p| (p.name().to_string(), program_info(p))).collect();
        Manifest {
            version: MANIFEST_VERSION,
            rpc_url: rpc_url.into(),
            ws_url: ws_url.into(),
            slot_time_ms,
            clock_speed,
            bootstrapped: false,
            programs,
            mints: BTreeMap::new(),
            authorities: BTreeMap::new(),
            oracles: Vec::new(),
            oracle_threshold: 0,
            oracle_nodes: Vec::new(),
            operators: Vec::new(),
            wallets: Vec::new(),
            demo: None,
            quirks: crate::QUIRKS.iter().map(|q| q.to_string()).collect(),
        }
    }

    /// Adds the USDC mint's addresses (treasury vault) once it is known.
    pub fn set_usdc(&mut self, usdc: &Pubkey, decimals: u8) {
        self.mints.insert("usdc".into(), MintInfo { address: s(usdc), decimals });
        if let Some(p) = self.programs.get_mut(Program::Escrow.name()) {
            p.vaults.insert("treasury_usdc".into(), s(&io_sdk::escrow::treasury(usdc)));
        }
    }

    /// Writes the manifest (pretty JSON), atomically: a temporary file renamed over the target.
    pub fn write(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self)?)
            .with_context(|| format!("write {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("write {}", path.display()))?;
        Ok(())
    }

    pub fn read(path: &Path) -> Result<Manifest> {
        let text = std::fs::read(path).with_context(|| format!("read {}", path.display()))?;
        serde_json::from_slice(&text).with_context(|| format!("parse {}", path.display()))
    }

    /// A demo wallet by name.
    pub fn wallet(&self, name: &str) -> Option<&WalletInfo> {
        self.wallets.iter().find(|w| w.name == name)
    }
}
