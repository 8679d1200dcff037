//! The demo network, seeded through the node's real JSON-RPC endpoint with the stock
//! `solana-rpc-client` and `io-sdk`'s instruction builders — the same path any client takes.
//!
//! Order (each step one or a few transactions, sent at `processed` commitment):
//! 1. SOL airdrops to every key; a local USDC mint ([`USDC_DECIMALS`]).
//! 2. io_token: `initialize` ([`IO_DECIMALS`], default emission schedule), `genesis`, burn authorities
//!    (`Slash` → io_staking's config PDA, `Buyback` → io_escrow's config PDA), rewards
//!    distributor (io_staking's config PDA).
//! 3. io_staking ([`staking_params`]: the defaults but a short slash appeal window), io_escrow (2%
//!    USDC fee, 0% $IO fee), a price feed, io_oracle ([`ORACLE_COUNT`] local oracle keys, default
//!    threshold ⌊2n/3⌋+1, the node's genesis hash as cluster id).
//! 4. $IO for every key that needs it, from genesis vesting schedules that have fully vested
//!    (`create_vesting` + `claim_vested`: io_token's ledger stays exact); USDC minted locally.
//! 5. Oracle bonds; three operators with bonds and devices of different classes, regions and
//!    green flags (one CPU-only), each bound to its own worker key, activated by the oracle
//!    authority (io_escrow leases only Active devices; the oracle nodes' certified reports then
//!    attest or jail them), each device offered in USDC and $IO.
//! 6. With [`Options::demo_activity`]: the demo's lease and stake positions ([`crate::demo`]).
//!
//! Keypairs live in `<state-dir>/keys/*.json` and are reused, so addresses are stable across
//! restarts; each device's worker key is `<state-dir>/workers/<operator>-<n>/worker-key.json`,
//! where `io-worker --state-dir` finds it. The oracle nodes' settings files are written on every
//! run ([`crate::oracle_nodes`]). Idempotent: when io_token's config already exists the
//! transactions are skipped and only the manifest (and the settings files) are rebuilt.
use crate::manifest::{DeviceInfo, KeyInfo, Manifest, OperatorInfo, WalletInfo};
use anchor_lang::{solana_program::program_pack::Pack, AccountDeserialize, Owner};
use anchor_spl::{
    associated_token::{get_associated_token_address, spl_associated_token_account},
    token::spl_token,
};
use anyhow::{anyhow, bail, Context, Result};
use io_sdk::client::{Client, ClientError, Submitted};
use io_sdk::Name;
use io_sdk::{escrow, oracle, staking, token, Instruction, Pubkey};
use io_staking::{DeviceSpec, HardwareClass};
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_rpc_client_api::client_error::Error as ClientErrorOfRpc;
use solana_signature::Signature;
use solana_signer::Signer;
use std::{
    path::{Path, PathBuf},
    time::Duration,
};

/// Decimals of the local USDC mint: the default of a new network (io_escrow's).
pub use io_escrow::DEFAULT_USDC_DECIMALS as USDC_DECIMALS;
/// Decimals the local $IO mint is created with: the default of a new network (io_token's). After
/// the bootstrap everything reads them from the chain (the manifest records what was created).
pub use io_token::DEFAULT_DECIMALS as IO_DECIMALS;
/// One whole $IO in base units, at [`IO_DECIMALS`] (the demo's plan is written in whole tokens).
pub const IO: u64 = 10u64.pow(IO_DECIMALS as u32);
/// One whole USDC in base units, at [`USDC_DECIMALS`].
pub const USDC: u64 = 10u64.pow(USDC_DECIMALS as u32);
const SOL: u64 = 1_000_000_000;

/// Number of oracle keys in io_oracle's first set (threshold ⌊2·4/3⌋+1 = 3: one node may fail).
pub const ORACLE_COUNT: usize = 4;
/// Each oracle's bond (io_oracle's `min_bond`).
pub const ORACLE_BOND: u64 = 1_000 * IO;
/// The price feed's first price: USDC base units per whole $IO.
pub const USDC_PER_IO: u64 = 2_500_000;

/// (name, SOL, $IO, USDC) of the demo wallets.
pub const WALLETS: [(&str, u64, u64, u64); 4] = [
    ("alice", 100 * SOL, 10_000 * IO, 1_000 * USDC),
    ("bob", 100 * SOL, 10_000 * IO, 1_000 * USDC),
    ("carol", 100 * SOL, 10_000 * IO, 1_000 * USDC),
    ("renter", 100 * SOL, 5_000 * IO, 10_000 * USDC),
];

/// io_staking's parameters on the local network: the defaults, but a slash's appeal window of
/// half an hour of chain time (30 wall seconds on a 60× clock) so that a slash proposed from a
/// report is executed while a demo or a test watches. The rules of the programs are unchanged.
pub fn staking_params() -> io_staking::Params {
    io_staking::Params { slash_appeal_secs: 1_800, ..io_staking::Params::defaults(IO_DECIMALS) }
}

/// What the bootstrap sets up beyond the programs and the demo accounts.
#[derive(Clone, Debug)]
pub struct Options {
    /// The oracle nodes' listen ports, one per oracle key.
    pub oracle_ports: Vec<u16>,
    /// Open the demo's lease and stake positions ([`crate::demo`]).
    pub demo_activity: bool,
    /// Also open the demo's long lease whose two devices form a Ray cluster
    /// ([`crate::demo::open_cluster`]); `make up` does, the tests that are not about clusters not.
    pub demo_cluster: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            oracle_ports: (0..ORACLE_COUNT as u16).map(|i| crate::oracle_nodes::BASE_PORT + i).collect(),
            demo_activity: true,
            demo_cluster: true,
        }
    }
}

/// io_escrow's parameters on the local network: the defaults, but the shortest settlement grace
/// the program allows (two hours of chain time: the report covering a lease's end lands within
/// it, and on a 60× clock a demo lease is finalized minutes after it ends).
pub fn escrow_params() -> io_escrow::EscrowParams {
    io_escrow::EscrowParams {
        settlement_grace_secs: io_escrow::MIN_SETTLEMENT_GRACE_SECS,
        ..io_escrow::EscrowParams::defaults(IO_DECIMALS, USDC_DECIMALS)
    }
}

/// io_oracle's parameters on the local network.
pub fn oracle_params() -> io_oracle::OracleParams {
    io_oracle::OracleParams { min_bond: ORACLE_BOND, ..io_oracle::OracleParams::defaults(IO_DECIMALS) }
}

struct DevicePlan {
    class: HardwareClass,
    gpu_model: &'static str,
    gpu_count: u16,
    vram_gb: u16,
    region: &'static str,
    green: bool,
    usdc_per_hour: u64,
    io_per_hour: u64,
}

struct OperatorPlan {
    name: &'static str,
    region: &'static str,
    url: &'static str,
    commission_bps: u16,
    bond: u64,
    devices: &'static [DevicePlan],
}

const OPERATORS: [OperatorPlan; 3] = [
    OperatorPlan {
        name: "atlas-compute",
        region: "us-east",
        url: "https://atlas.example",
        commission_bps: 500,
        bond: 25_000 * IO,
        devices: &[
            DevicePlan {
                class: HardwareClass::FlagshipGpu,
                gpu_model: "NVIDIA H100 80GB SXM",
                gpu_count: 8,
                vram_gb: 80,
                region: "us-east",
                green: true,
                usdc_per_hour: 16 * USDC,
                io_per_hour: 6_400_000_000,
            },
            DevicePlan {
                class: HardwareClass::DatacenterGpu,
                gpu_model: "NVIDIA A100 80GB",
                gpu_count: 4,
                vram_gb: 80,
                region: "us-west",
                green: false,
                usdc_per_hour: 4_800_000,
                io_per_hour: 1_920_000_000,
            },
        ],
    },
    OperatorPlan {
        name: "fjord-gpu",
        region: "eu-north",
        url: "https://fjord.example",
        commission_bps: 800,
        bond: 3_000 * IO,
        devices: &[
            DevicePlan {
                class: HardwareClass::ConsumerGpu,
                gpu_model: "NVIDIA RTX 4090",
                gpu_count: 2,
                vram_gb: 24,
                region: "eu-north",
                green: true,
                usdc_per_hour: 800_000,
                io_per_hour: 320_000_000,
            },
            DevicePlan {
                class: HardwareClass::WorkstationGpu,
                gpu_model: "NVIDIA RTX A6000",
                gpu_count: 4,
                vram_gb: 48,
                region: "eu-north",
                green: true,
                usdc_per_hour: 2_400_000,
                io_per_hour: 960_000_000,
            },
        ],
    },
    OperatorPlan {
        name: "sakura-cpu",
        region: "ap-northeast",
        url: "https://sakura.example",
        commission_bps: 300,
        bond: 100 * IO,
        devices: &[DevicePlan {
            class: HardwareClass::Cpu,
            gpu_model: "",
            gpu_count: 0,
            vram_gb: 0,
            region: "ap-northeast",
            green: false,
            usdc_per_hour: 100_000,
            io_per_hour: 40_000_000,
        }],
    },
];

/// $IO an operator wallet receives on top of its bond.
const OPERATOR_SPARE_IO: u64 = 5_000 * IO;
/// $IO the rewards authority holds, for `fund_operator_rewards`.
const REWARDS_AUTHORITY_IO: u64 = 1_000_000 * IO;

/// A device's id hash: deterministic per operator and position.
fn device_id(op: usize, dev: usize) -> [u8; 32] {
    let mut id = [0u8; 32];
    let tag = b"io-localnet-device";
    id[..tag.len()].copy_from_slice(tag);
    id[30] = op as u8;
    id[31] = dev as u8;
    id
}

/// Keypair files are read with the sdk's reader (re-exported for the callers that read the
/// manifest's keypairs through this module).
pub use io_sdk::keypair::read_keypair;

/// The keypairs of the network, loaded from or created in `<state-dir>/keys/`.
struct KeyStore {
    dir: PathBuf,
}

impl KeyStore {
    fn open(state_dir: &Path) -> Result<KeyStore> {
        std::fs::create_dir_all(state_dir).with_context(|| format!("create {}", state_dir.display()))?;
        let state_dir = std::path::absolute(state_dir)?;
        let dir = state_dir.join("keys");
        std::fs::create_dir_all(&dir).with_context(|| format!("create {}", dir.display()))?;
        Ok(KeyStore { dir })
    }

    /// The key `name`, created (owner-readable only) on first use and read afterwards.
    fn get(&self, name: &str) -> Result<(Keypair, String)> {
        Self::at(&self.dir.join(format!("{name}.json")))
    }

    /// The state directory of the worker serving a device: `<state-dir>/workers/<name>`.
    fn worker_dir(&self, name: &str) -> PathBuf {
        self.dir.parent().unwrap_or(&self.dir).join("workers").join(name)
    }

    /// The key at `path`, created on first use (its directory too).
    fn at(path: &Path) -> Result<(Keypair, String)> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
        }
        let (kp, _) = io_sdk::keypair::read_or_create_keypair(path)?;
        Ok((kp, path.display().to_string()))
    }
}

fn key_info(k: &(Keypair, String)) -> KeyInfo {
    KeyInfo { pubkey: k.0.pubkey().to_string(), keypair: k.1.clone() }
}

/// Sends transactions at `processed` commitment through the sdk's RPC wrapper
/// (`io_sdk::client::Client`). surfpool executes a transaction (after its preflight simulation,
/// which reports any failure, explained with the programs' error tables) before it answers
/// `sendTransaction`, so the next transaction sees its effects at once; but
/// `getSignatureStatuses` hides a transaction until its block is produced. So each send is a
/// `Client::submit` that returns at once, and [`Chain::finish`] waits, once, with
/// `Client::confirm_all` until every transaction sent is confirmed and none failed. Each
/// transaction is paid by its first signer, never by the client's own wallet. Every other read is
/// the wrapper's too: a node that cannot be reached is named as such.
pub struct Chain {
    client: Client,
    sent: std::sync::Mutex<Vec<(String, Submitted)>>,
}

/// The wrapper's reads and its raw `rpc` client are the chain's.
impl std::ops::Deref for Chain {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Chain {
    pub fn new(rpc_url: &str) -> Chain {
        // The wallet is unused: `submit` takes each transaction's payer among its signers.
        let client = Client::new(rpc_url.to_string(), CommitmentConfig::processed(), Keypair::new());
        Chain { client, sent: Default::default() }
    }

    /// An RPC failure of a direct `rpc` call, named the sdk's way.
    fn error(&self, what: &str, e: &ClientErrorOfRpc) -> anyhow::Error {
        anyhow!("bootstrap: {what}: {}", self.client.error(e))
    }

    /// One transaction of `ixs`, paid by `signers[0]`.
    pub async fn send(&self, what: &str, ixs: &[Instruction], signers: &[&Keypair]) -> Result<Signature> {
        if signers.is_empty() {
            bail!("bootstrap: {what}: no signer");
        }
        let sent = self.client.submit(ixs, signers).await.map_err(|e| anyhow!("bootstrap: {what}: {e}"))?;
        let signature = sent.signature;
        self.sent.lock().map_err(|_| anyhow!("poisoned"))?.push((what.to_string(), sent));
        Ok(signature)
    }

    /// Waits until every transaction sent is confirmed; fails on the first that failed, saying
    /// which step it was and why.
    pub async fn finish(&self, timeout: Duration) -> Result<()> {
        let sent = std::mem::take(&mut *self.sent.lock().map_err(|_| anyhow!("poisoned"))?);
        let batch: Vec<Submitted> = sent.iter().map(|(_, s)| s.clone()).collect();
        self.client.confirm_all(&batch, timeout).await.map_err(|e| {
            let what = match &e {
                ClientError::Failed { signature, .. } => {
                    sent.iter().find(|(_, s)| s.signature.to_string() == *signature).map(|(w, _)| w.as_str())
                }
                _ => None,
            };
            anyhow!("bootstrap: {}: {e}", what.unwrap_or("confirming the transactions sent"))
        })
    }

    pub async fn account_exists(&self, address: &Pubkey) -> Result<bool> {
        let data =
            self.client.account_data(address).await.map_err(|e| anyhow!("bootstrap: read {address}: {e}"))?;
        Ok(data.is_some())
    }

    pub async fn anchor_account<T: AccountDeserialize + Owner>(&self, address: &Pubkey) -> Result<T> {
        self.client
            .account::<T>(address)
            .await
            .map_err(|e| anyhow!("bootstrap: read {address}: {e}"))?
            .ok_or_else(|| anyhow!("bootstrap: no account at {address}"))
    }

    /// The cluster's unix time (the Clock sysvar).
    pub async fn now(&self) -> Result<i64> {
        let clock = solana_sdk_ids::sysvar::clock::ID;
        let (_, data) = self
            .client
            .account_data(&clock)
            .await
            .map_err(|e| anyhow!("bootstrap: read the Clock: {e}"))?
            .ok_or_else(|| anyhow!("bootstrap: no Clock sysvar"))?;
        let clock: solana_clock::Clock = bincode::deserialize(&data).context("decode Clock")?;
        Ok(clock.unix_timestamp)
    }

    /// Airdrops `lamports` to `to` and waits until the balance shows it.
    pub async fn airdrop(&self, to: &Pubkey, lamports: u64) -> Result<()> {
        let what = format!("airdrop to {to}");
        let balance = || async { self.rpc.get_balance(to).await.map_err(|e| self.error(&what, &e)) };
        let before = balance().await?;
        self.rpc.request_airdrop(to, lamports).await.map_err(|e| self.error(&what, &e))?;
        for _ in 0..200 {
            if balance().await? >= before.saturating_add(lamports) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        bail!("airdrop to {to} not visible")
    }
}

/// The worker key's file name in its state directory (io-worker's default).
pub use io_sdk::worker::KEY_FILE as WORKER_KEY_FILE;

/// Everything the bootstrap creates, keyed as in the manifest.
struct Plan {
    admin: (Keypair, String),
    oracle_authority: (Keypair, String),
    rewards_authority: (Keypair, String),
    usage_authority: (Keypair, String),
    price_authority: (Keypair, String),
    treasury_authority: (Keypair, String),
    usdc_mint_authority: (Keypair, String),
    faucet: (Keypair, String),
    usdc_mint: Keypair,
    oracles: Vec<(Keypair, String)>,
    operators: Vec<(Keypair, String)>,
    /// Per operator, per device: the device's worker key.
    workers: Vec<Vec<(Keypair, String)>>,
    wallets: Vec<(Keypair, String)>,
}

impl Plan {
    fn load(keys: &KeyStore) -> Result<Plan> {
        Ok(Plan {
            admin: keys.get("admin")?,
            oracle_authority: keys.get("oracle-authority")?,
            rewards_authority: keys.get("rewards-authority")?,
            usage_authority: keys.get("usage-authority")?,
            price_authority: keys.get("price-authority")?,
            treasury_authority: keys.get("treasury-authority")?,
            usdc_mint_authority: keys.get("usdc-mint-authority")?,
            faucet: keys.get("faucet")?,
            usdc_mint: keys.get("usdc-mint")?.0,
            oracles: (1..=ORACLE_COUNT).map(|i| keys.get(&format!("oracle-{i}"))).collect::<Result<_>>()?,
            operators: OPERATORS
                .iter()
                .map(|o| keys.get(&format!("operator-{}", o.name)))
                .collect::<Result<_>>()?,
            workers: OPERATORS
                .iter()
                .map(|o| {
                    (0..o.devices.len())
                        .map(|d| {
                            KeyStore::at(&keys.worker_dir(&format!("{}-{d}", o.name)).join(WORKER_KEY_FILE))
                        })
                        .collect()
                })
                .collect::<Result<_>>()?,
            wallets: WALLETS.iter().map(|w| keys.get(&format!("wallet-{}", w.0))).collect::<Result<_>>()?,
        })
    }

    fn usdc(&self) -> Pubkey {
        self.usdc_mint.pubkey()
    }

    fn manifest(&self, rpc_url: &str, ws_url: &str, slot_time_ms: u64, clock_speed: u32) -> Manifest {
        let mut m = Manifest::base(rpc_url, ws_url, slot_time_ms, clock_speed);
        m.bootstrapped = true;
        let io = token::mint();
        let usdc = self.usdc();
        m.mints.insert(
            "io".into(),
            crate::manifest::MintInfo { address: io.to_string(), decimals: IO_DECIMALS },
        );
        m.set_usdc(&usdc, USDC_DECIMALS);
        for (name, k) in [
            ("admin", &self.admin),
            ("oracle_authority", &self.oracle_authority),
            ("rewards_authority", &self.rewards_authority),
            ("usage_authority", &self.usage_authority),
            ("price_authority", &self.price_authority),
            ("treasury_authority", &self.treasury_authority),
            ("usdc_mint_authority", &self.usdc_mint_authority),
            ("faucet", &self.faucet),
        ] {
            m.authorities.insert(name.into(), key_info(k));
        }
        m.oracles = self.oracles.iter().map(key_info).collect();
        m.oracle_threshold = io_oracle::OracleSet::default_threshold(ORACLE_COUNT);
        for (oi, (plan, k)) in OPERATORS.iter().zip(&self.operators).enumerate() {
            let authority = k.0.pubkey();
            let op = staking::operator(&authority);
            let devices = plan
                .devices
                .iter()
                .enumerate()
                .map(|(di, d)| {
                    let device = staking::device(&op, &device_id(oi, di));
                    let worker = &self.workers[oi][di];
                    let worker_state_dir = Path::new(&worker.1).parent().map(|p| p.display().to_string());
                    DeviceInfo {
                        address: device.to_string(),
                        offer: escrow::offer(&device).to_string(),
                        class: d.class.name().into(),
                        gpu_model: d.gpu_model.into(),
                        gpu_count: d.gpu_count,
                        vram_gb: d.vram_gb,
                        region: d.region.into(),
                        green: d.green,
                        price_usdc_per_hour: d.usdc_per_hour,
                        price_io_per_hour: d.io_per_hour,
                        worker: key_info(worker),
                        worker_state_dir: worker_state_dir.unwrap_or_default(),
                    }
                })
                .collect();
            m.operators.push(OperatorInfo {
                name: plan.name.into(),
                authority: authority.to_string(),
                keypair: k.1.clone(),
                operator: op.to_string(),
                region: plan.region.into(),
                commission_bps: plan.commission_bps,
                bond: plan.bond,
                devices,
            });
        }
        for ((name, ..), k) in WALLETS.iter().zip(&self.wallets) {
            let w = k.0.pubkey();
            m.wallets.push(WalletInfo {
                name: (*name).into(),
                address: w.to_string(),
                keypair: k.1.clone(),
                io_account: get_associated_token_address(&w, &io).to_string(),
                usdc_account: get_associated_token_address(&w, &usdc).to_string(),
            });
        }
        m
    }
}

/// Runs the bootstrap against the node at `rpc_url` (skipped when io_token is already
/// initialised) and returns the manifest; the caller writes it.
pub async fn run(
    rpc_url: &str,
    ws_url: &str,
    slot_time_ms: u64,
    clock_speed: u32,
    state_dir: &Path,
    options: &Options,
) -> Result<Manifest> {
    let keys = KeyStore::open(state_dir)?;
    let plan = Plan::load(&keys)?;
    let chain = Chain::new(rpc_url);
    let mut m = plan.manifest(rpc_url, ws_url, slot_time_ms, clock_speed);
    m.oracle_nodes =
        crate::oracle_nodes::write(state_dir, rpc_url, &m.oracles, &options.oracle_ports, USDC_PER_IO)?;
    let demo = crate::demo::info(&m)?;
    if chain.account_exists(&token::config()).await? {
        let config: io_token::TokenConfig = chain.anchor_account(&token::config()).await?;
        if config.admin != plan.admin.0.pubkey() {
            bail!(
                "io_token on {rpc_url} was initialised by {} — not the admin key of {}",
                config.admin,
                state_dir.display()
            );
        }
        // The demo's lease is listed when an earlier run opened it.
        if chain.account_exists(&demo.lease.parse()?).await? {
            m.demo = Some(demo);
        }
        return Ok(m);
    }
    seed(&chain, &plan).await?;
    chain.finish(Duration::from_secs(30)).await?;
    if options.demo_activity {
        crate::demo::open(&chain, &m, &demo).await?;
        let mut demo = demo;
        if options.demo_cluster {
            demo.cluster = Some(crate::demo::open_cluster(&chain, &m).await?);
        }
        chain.finish(Duration::from_secs(30)).await?;
        m.demo = Some(demo);
    }
    Ok(m)
}

/// $IO paid from fully vested genesis schedules whose beneficiary is the faucet.
struct Faucet {
    next_index: u32,
    bucket: io_token::Bucket,
}

async fn seed(chain: &Chain, plan: &Plan) -> Result<()> {
    let admin = &plan.admin.0;
    let io_mint = token::mint();
    let usdc = plan.usdc();

    // 1. SOL, and the USDC mint.
    chain.airdrop(&admin.pubkey(), 10_000 * SOL).await?;
    let ten = 10 * SOL;
    for k in [
        &plan.oracle_authority,
        &plan.rewards_authority,
        &plan.usage_authority,
        &plan.price_authority,
        &plan.treasury_authority,
        &plan.usdc_mint_authority,
        &plan.faucet,
    ] {
        chain.airdrop(&k.0.pubkey(), ten).await?;
    }
    for k in &plan.oracles {
        chain.airdrop(&k.0.pubkey(), ten).await?;
    }
    for k in &plan.operators {
        chain.airdrop(&k.0.pubkey(), 100 * SOL).await?;
    }
    for ((_, sol, ..), k) in WALLETS.iter().zip(&plan.wallets) {
        chain.airdrop(&k.0.pubkey(), *sol).await?;
    }
    let rent = chain
        .rpc
        .get_minimum_balance_for_rent_exemption(spl_token::state::Mint::LEN)
        .await
        .map_err(|e| chain.error("getMinimumBalanceForRentExemption", &e))?;
    chain
        .send(
            "create the USDC mint",
            &[
                solana_system_interface::instruction::create_account(
                    &admin.pubkey(),
                    &usdc,
                    rent,
                    spl_token::state::Mint::LEN as u64,
                    &spl_token::ID,
                ),
                spl_token::instruction::initialize_mint2(
                    &spl_token::ID,
                    &usdc,
                    &plan.usdc_mint_authority.0.pubkey(),
                    None,
                    USDC_DECIMALS,
                )?,
            ],
            &[admin, &plan.usdc_mint],
        )
        .await?;

    // 2. io_token.
    let a = admin.pubkey();
    let staking_config = staking::config();
    chain
        .send(
            "io_token initialize + genesis",
            &[
                token::initialize(&a, IO_DECIMALS, io_token::EmissionParams::defaults(IO_DECIMALS)),
                token::genesis(&a),
            ],
            &[admin],
        )
        .await?;
    chain
        .send(
            "io_token burn authorities and rewards distributor",
            &[
                token::set_burn_authority(&a, io_token::BurnReason::Slash, staking_config),
                token::set_burn_authority(&a, io_token::BurnReason::Buyback, escrow::config()),
                token::set_rewards_distributor(&a, staking_config),
            ],
            &[admin],
        )
        .await?;

    // 3. io_staking, io_escrow (+ a price), io_oracle.
    chain
        .send(
            "io_staking initialize",
            &[staking::initialize(
                &a,
                &io_mint,
                staking_params(),
                plan.oracle_authority.0.pubkey(),
                plan.rewards_authority.0.pubkey(),
            )],
            &[admin],
        )
        .await?;
    chain
        .send(
            "io_escrow initialize",
            &[escrow::initialize(
                &a,
                &usdc,
                &io_mint,
                escrow_params(),
                plan.usage_authority.0.pubkey(),
                plan.price_authority.0.pubkey(),
                plan.treasury_authority.0.pubkey(),
            )],
            &[admin],
        )
        .await?;
    let price = &plan.price_authority.0;
    chain.send("io_escrow set_price", &[escrow::set_price(&price.pubkey(), USDC_PER_IO)], &[price]).await?;
    let members = plan.oracles.iter().map(|k| k.0.pubkey()).collect();
    // io_oracle binds its reports to this cluster: its genesis hash.
    let cluster =
        chain.rpc.get_genesis_hash().await.map_err(|e| chain.error("getGenesisHash", &e))?.to_bytes();
    chain
        .send(
            "io_oracle initialize",
            &[oracle::initialize(&a, &io_mint, oracle_params(), members, 0, cluster)],
            &[admin],
        )
        .await?;

    // 4. $IO and USDC.
    let config: io_token::TokenConfig = chain.anchor_account(&token::config()).await?;
    let bucket = io_token::Bucket::EarlyContributors;
    let mut faucet = Faucet { next_index: config.schedule_count[bucket.index()], bucket };
    let mut payouts: Vec<(Pubkey, u64, u64)> = Vec::new();
    payouts.push((plan.rewards_authority.0.pubkey(), REWARDS_AUTHORITY_IO, 0));
    for k in &plan.oracles {
        payouts.push((k.0.pubkey(), ORACLE_BOND, 0));
    }
    for (o, k) in OPERATORS.iter().zip(&plan.operators) {
        payouts.push((k.0.pubkey(), o.bond + OPERATOR_SPARE_IO, 0));
    }
    for ((_, _, io, usdc_amount), k) in WALLETS.iter().zip(&plan.wallets) {
        payouts.push((k.0.pubkey(), *io, *usdc_amount));
    }
    for (owner, io, usdc_amount) in payouts {
        fund(chain, plan, &mut faucet, &owner, io, usdc_amount).await?;
    }

    // 5. Oracle bonds, operators, devices, offers.
    for k in &plan.oracles {
        let o = &k.0;
        let ata = get_associated_token_address(&o.pubkey(), &io_mint);
        chain
            .send("io_oracle post_bond", &[oracle::post_bond(&o.pubkey(), &io_mint, &ata, ORACLE_BOND)], &[o])
            .await?;
    }
    let oracle_authority = &plan.oracle_authority.0;
    for (oi, (p, k)) in OPERATORS.iter().zip(&plan.operators).enumerate() {
        let w = &k.0;
        let ata = get_associated_token_address(&w.pubkey(), &io_mint);
        let op = staking::operator(&w.pubkey());
        let mut ixs = vec![
            staking::register_operator(&w.pubkey(), p.name, p.region, p.url, p.commission_bps),
            staking::add_bond(&w.pubkey(), &io_mint, &ata, p.bond),
        ];
        let mut devices = Vec::new();
        for (di, d) in p.devices.iter().enumerate() {
            let spec = DeviceSpec {
                id_hash: device_id(oi, di),
                gpu_model: d.gpu_model.into(),
                gpu_count: d.gpu_count,
                vram_gb: d.vram_gb,
                region: d.region.into(),
                green: d.green,
                class: d.class,
            };
            devices.push(staking::device(&op, &spec.id_hash));
            ixs.push(staking::register_device(&w.pubkey(), spec, plan.workers[oi][di].0.pubkey()));
        }
        chain.send(&format!("register operator {}", p.name), &ixs, &[w]).await?;
        let activations: Vec<Instruction> =
            devices.iter().map(|d| staking::activate_device(&oracle_authority.pubkey(), &op, d)).collect();
        chain.send(&format!("activate {}'s devices", p.name), &activations, &[oracle_authority]).await?;
        let offers: Vec<Instruction> = devices
            .iter()
            .zip(p.devices)
            .map(|(dev, d)| escrow::post_offer(&w.pubkey(), dev, d.usdc_per_hour, d.io_per_hour, 1, 720))
            .collect();
        chain.send(&format!("post {}'s offers", p.name), &offers, &[w]).await?;
    }
    Ok(())
}

/// Creates `owner`'s $IO and USDC associated token accounts and pays `io` $IO through a vested
/// genesis schedule and `usdc` USDC by minting.
async fn fund(
    chain: &Chain,
    plan: &Plan,
    faucet: &mut Faucet,
    owner: &Pubkey,
    io: u64,
    usdc: u64,
) -> Result<()> {
    let admin = &plan.admin.0;
    let beneficiary = &plan.faucet.0;
    let io_mint = token::mint();
    let usdc_mint = plan.usdc();
    let io_ata = get_associated_token_address(owner, &io_mint);
    let usdc_ata = get_associated_token_address(owner, &usdc_mint);
    let create = |mint: &Pubkey| {
        spl_associated_token_account::instruction::create_associated_token_account_idempotent(
            &admin.pubkey(),
            owner,
            mint,
            &spl_token::ID,
        )
    };
    let mut ixs = vec![create(&io_mint), create(&usdc_mint)];
    let mut signers: Vec<&Keypair> = vec![admin];
    if io > 0 {
        let now = chain.now().await?;
        let index = faucet.next_index;
        ixs.push(token::create_vesting(
            &admin.pubkey(),
            &beneficiary.pubkey(),
            faucet.bucket,
            index,
            now - 10,
            now - 10,
            now - 1,
            io,
        ));
        let schedule = token::vesting(&beneficiary.pubkey(), faucet.bucket, index);
        ixs.push(token::claim_vested(&beneficiary.pubkey(), &schedule, faucet.bucket, &io_ata));
        signers.push(beneficiary);
        faucet.next_index += 1;
    }
    if usdc > 0 {
        let authority = &plan.usdc_mint_authority.0;
        ixs.push(spl_token::instruction::mint_to(
            &spl_token::ID,
            &usdc_mint,
            &usdc_ata,
            &authority.pubkey(),
            &[],
            usdc,
        )?);
        signers.push(authority);
    }
    chain.send(&format!("fund {owner}"), &ixs, &signers).await?;
    Ok(())
}
