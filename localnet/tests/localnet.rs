//! The local network as its clients see it: one node per test binary, started in-process on free
//! ports and bootstrapped, then driven only through stock `solana-rpc-client` and
//! `solana-pubsub-client` 3.1.12 and `io-sdk`. Tests share the node, so each uses its own wallet.
use anchor_lang::{AccountDeserialize, Discriminator, Event};
use futures_util::StreamExt;
use io_localnet::{bootstrap, manifest::WalletInfo, Config, Localnet, Manifest};
use io_sdk::{escrow, oracle, staking, token, Instruction, Pubkey};
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_pubsub_client::nonblocking::pubsub_client::PubsubClient;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::{
    config::{
        RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcTransactionConfig, RpcTransactionLogsConfig,
        RpcTransactionLogsFilter,
    },
    filter::{Memcmp, RpcFilterType},
};
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_status_client_types::{UiInstruction, UiTransactionEncoding};
use std::{
    path::PathBuf,
    str::FromStr,
    sync::OnceLock,
    time::{Duration, SystemTime, UNIX_EPOCH},
};
use tokio::time::timeout;

const IO: u64 = bootstrap::IO;
const USDC: u64 = bootstrap::USDC;
/// Bound on anything that waits for the node.
const WAIT: Duration = Duration::from_secs(30);

/// The node shared by the tests of this binary: started once, on a thread and runtime of its
/// own (it outlives every test's runtime), with a 100 ms slot.
fn net() -> &'static Localnet {
    static NET: OnceLock<Localnet> = OnceLock::new();
    NET.get_or_init(|| {
        std::thread::spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let dir =
                PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("localnet-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            rt.block_on(Localnet::start(Config::ephemeral(dir))).expect("start the localnet")
        })
        .join()
        .expect("localnet thread")
    })
}

fn rpc() -> RpcClient {
    RpcClient::new_with_commitment(net().rpc_url.clone(), CommitmentConfig::confirmed())
}

fn pk(s: &str) -> Pubkey {
    Pubkey::from_str(s).unwrap()
}

/// A demo wallet of the manifest: its keypair (read from its file) and its entry.
fn wallet(name: &str) -> (Keypair, &'static WalletInfo) {
    let w = net().manifest.wallet(name).unwrap_or_else(|| panic!("wallet {name} in the manifest"));
    (bootstrap::read_keypair(w.keypair.as_ref()).unwrap(), w)
}

/// Sends one transaction paid by `signers[0]` and waits until it is confirmed.
async fn send(rpc: &RpcClient, ixs: &[Instruction], signers: &[&Keypair]) -> Signature {
    let blockhash = rpc.get_latest_blockhash().await.unwrap();
    let tx = Transaction::new_signed_with_payer(ixs, Some(&signers[0].pubkey()), signers, blockhash);
    timeout(WAIT, rpc.send_and_confirm_transaction(&tx))
        .await
        .expect("confirmed in time")
        .expect("transaction")
}

/// The `emit_cpi!` events of `program` in a confirmed transaction, read back with `getTransaction`
/// (inner instructions to the program whose data carries Anchor's event tag), and its blockTime.
async fn events(rpc: &RpcClient, sig: &Signature, program: &Pubkey) -> (Vec<Vec<u8>>, Option<i64>) {
    let config = RpcTransactionConfig {
        encoding: Some(UiTransactionEncoding::Base64),
        commitment: Some(CommitmentConfig::confirmed()),
        max_supported_transaction_version: Some(0),
    };
    let tx = rpc.get_transaction_with_config(sig, config).await.expect("getTransaction");
    let decoded = tx.transaction.transaction.decode().expect("a base64 transaction");
    let keys = decoded.message.static_account_keys();
    let meta = tx.transaction.meta.expect("meta");
    let inner: Option<Vec<_>> = meta.inner_instructions.into();
    let mut out = Vec::new();
    for ix in inner.unwrap_or_default().into_iter().flat_map(|i| i.instructions) {
        let UiInstruction::Compiled(c) = ix else { panic!("compiled inner instructions expected") };
        if keys.get(usize::from(c.program_id_index)) == Some(program) {
            let data = bs58::decode(&c.data).into_vec().unwrap();
            if data.starts_with(anchor_lang::event::EVENT_IX_TAG_LE) {
                assert_eq!(c.stack_height, Some(2), "a self-CPI one level down");
                out.push(data);
            }
        }
    }
    (out, tx.block_time)
}

/// The one event of type `E` among `events`.
fn one<E: Event + anchor_lang::AnchorDeserialize + Discriminator>(events: &[Vec<u8>]) -> E {
    let mut found: Vec<E> = events.iter().filter_map(|d| io_sdk::decode_event::<E>(d)).collect();
    assert_eq!(found.len(), 1, "exactly one event of the type");
    found.remove(0)
}

async fn token_balance(rpc: &RpcClient, account: &str) -> u64 {
    rpc.get_token_account_balance(&pk(account)).await.unwrap().amount.parse().unwrap()
}

async fn accounts_of<T: Discriminator + AccountDeserialize>(
    rpc: &RpcClient,
    program: &Pubkey,
) -> Vec<(Pubkey, T)> {
    let config = RpcProgramAccountsConfig {
        filters: Some(vec![RpcFilterType::Memcmp(Memcmp::new_raw_bytes(0, T::DISCRIMINATOR.to_vec()))]),
        account_config: RpcAccountInfoConfig {
            encoding: Some(solana_account_decoder_client_types::UiAccountEncoding::Base64),
            ..RpcAccountInfoConfig::default()
        },
        ..RpcProgramAccountsConfig::default()
    };
    let found = rpc.get_program_ui_accounts_with_config(program, config).await.expect("getProgramAccounts");
    found
        .into_iter()
        .map(|(k, a)| {
            let data = a.data.decode().expect("base64 data");
            (k, io_sdk::decode_account::<T>(&data).expect("an account of the filtered type"))
        })
        .collect()
}

fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

#[tokio::test]
async fn bootstrap_seeds_the_demo_network_once() {
    let net = net();
    let rpc = rpc();
    let m = &net.manifest;

    // The manifest on disk is the one returned, with absolute keypair paths that load.
    assert_eq!(&Manifest::read(&net.manifest_path).unwrap(), m);
    assert!(m.bootstrapped);
    assert_eq!(m.programs["io_staking"].program_id, io_staking::ID.to_string());
    assert_eq!(m.mints["io"].address, token::mint().to_string());
    assert_eq!((m.mints["io"].decimals, m.mints["usdc"].decimals), (9, 6));
    for role in [
        "admin",
        "oracle_authority",
        "rewards_authority",
        "usage_authority",
        "price_authority",
        "treasury_authority",
    ] {
        let k = &m.authorities[role];
        assert_eq!(bootstrap::read_keypair(k.keypair.as_ref()).unwrap().pubkey().to_string(), k.pubkey);
    }
    assert_eq!((m.oracles.len(), m.oracle_threshold), (4, 3));
    // One oracle node per key: a settings file naming its key, a port of its own and the three
    // others as peers.
    assert_eq!(m.oracle_nodes.len(), 4);
    for (n, k) in m.oracle_nodes.iter().zip(&m.oracles) {
        assert_eq!(n.key, k.pubkey);
        let text = std::fs::read_to_string(&n.settings).unwrap();
        let t: toml::Table = text.parse().unwrap();
        assert_eq!(t["node"]["keypair"].as_str(), Some(k.keypair.as_str()));
        assert_eq!(format!("http://{}", t["node"]["listen"].as_str().unwrap()), n.url);
        let peers = t["peers"].as_array().unwrap();
        assert_eq!(peers.len(), 3);
        assert!(peers.iter().all(|p| p["key"].as_str() != Some(n.key.as_str())));
        assert_eq!(t["workers"]["allow_simulated"].as_bool(), Some(true));
    }
    assert!(m.demo.is_none(), "ephemeral networks open no demo lease");
    let names: Vec<&str> = m.wallets.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["alice", "bob", "carol", "renter"]);

    // Wallets are funded with SOL, $IO and USDC (alice is used by no other test).
    let alice = m.wallet("alice").unwrap();
    assert!(rpc.get_balance(&pk(&alice.address)).await.unwrap() >= 50_000_000_000);
    assert_eq!(token_balance(&rpc, &alice.io_account).await, 10_000 * IO);
    assert_eq!(token_balance(&rpc, &alice.usdc_account).await, 1_000 * USDC);

    // Every program is initialised as the manifest says.
    let staking_config: io_staking::Config = decode(&rpc, &staking::config()).await;
    assert_eq!(staking_config.oracle_authority.to_string(), m.authorities["oracle_authority"].pubkey);
    let escrow_config: io_escrow::EscrowConfig = decode(&rpc, &escrow::config()).await;
    assert_eq!((escrow_config.params.usdc_fee_bps, escrow_config.params.io_fee_bps), (200, 0));
    let _: io_oracle::OracleConfig = decode(&rpc, &oracle::config()).await;
    let token_config: io_token::TokenConfig = decode(&rpc, &token::config()).await;
    let supply = rpc.get_token_supply(&token::mint()).await.unwrap().amount.parse::<u64>().unwrap();
    assert_eq!(token_config.total_minted - token_config.total_burned, supply, "io_token's ledger");

    // getProgramAccounts with a discriminator memcmp: the three operators and their devices.
    let operators = accounts_of::<io_staking::Operator>(&rpc, &io_staking::ID).await;
    assert_eq!(operators.len(), 3);
    for o in &m.operators {
        assert!(operators.iter().any(|(k, op)| k.to_string() == o.operator && op.bond == o.bond));
    }
    let devices = accounts_of::<io_staking::Device>(&rpc, &io_staking::ID).await;
    assert_eq!(devices.len(), 5);
    assert!(devices.iter().all(|(_, d)| d.status == io_staking::DeviceStatus::Active));
    assert_eq!(devices.iter().filter(|(_, d)| d.class == io_staking::HardwareClass::Cpu).count(), 1);
    assert!(devices.iter().any(|(_, d)| d.green) && devices.iter().any(|(_, d)| !d.green));
    // Each device names its own worker key (kept in the state directory), and a worker finds its
    // device with one memcmp filter on that key.
    for d in m.operators.iter().flat_map(|o| &o.devices) {
        let worker = Pubkey::from_str(&d.worker.pubkey).unwrap();
        assert_eq!(bootstrap::read_keypair(d.worker.keypair.as_ref()).unwrap().pubkey(), worker);
        // Where `io-worker --state-dir` looks for its key.
        let in_state = std::path::Path::new(&d.worker_state_dir).join(bootstrap::WORKER_KEY_FILE);
        assert_eq!(bootstrap::read_keypair(&in_state).unwrap().pubkey(), worker);
        let on_chain = devices.iter().find(|(k, _)| k.to_string() == d.address).expect("device on chain");
        assert_eq!(on_chain.1.worker_key, worker);
        let by_key = RpcFilterType::Memcmp(Memcmp::new_raw_bytes(
            io_staking::Device::WORKER_KEY_OFFSET,
            worker.to_bytes().to_vec(),
        ));
        let config =
            RpcProgramAccountsConfig { filters: Some(vec![by_key]), ..RpcProgramAccountsConfig::default() };
        let found = rpc.get_program_ui_accounts_with_config(&io_staking::ID, config).await.expect("memcmp");
        assert_eq!(
            found.iter().map(|(k, _)| k.to_string()).collect::<Vec<_>>(),
            std::slice::from_ref(&d.address)
        );
    }
    let offers = accounts_of::<io_escrow::Offer>(&rpc, &io_escrow::ID).await;
    assert_eq!(offers.len(), 5);
    assert!(offers.iter().all(|(_, o)| o.price_usdc_per_hour > 0 && o.price_io_per_hour > 0));

    // A second bootstrap against the same node sends nothing and describes the same network.
    let before = token_config.schedule_count;
    let state_dir = net.manifest_path.parent().unwrap();
    let ports = m.oracle_nodes.iter().map(|n| n.url.rsplit(':').next().unwrap().parse().unwrap()).collect();
    let options = bootstrap::Options { oracle_ports: ports, demo_activity: false, demo_cluster: false };
    let again = timeout(
        WAIT,
        bootstrap::run(&net.rpc_url, &net.ws_url, m.slot_time_ms, m.clock_speed, state_dir, &options),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(&again, m);
    let token_config: io_token::TokenConfig = decode(&rpc, &token::config()).await;
    assert_eq!(token_config.schedule_count, before);
}

async fn decode<T: AccountDeserialize>(rpc: &RpcClient, address: &Pubkey) -> T {
    let a = rpc.get_account(address).await.unwrap_or_else(|e| panic!("{address}: {e}"));
    io_sdk::decode_account(&a.data).unwrap()
}

#[tokio::test]
async fn each_program_runs_and_its_events_come_back_through_get_transaction() {
    let m = &net().manifest;
    let rpc = rpc();
    let io_mint = token::mint();
    let atlas = &m.operators[0];
    let operator = pk(&atlas.operator);

    // io_staking: bob stakes 500 $IO with the first operator.
    let (bob, bob_w) = wallet("bob");
    let ix = staking::stake(&bob.pubkey(), &operator, &io_mint, &pk(&bob_w.io_account), 500 * IO);
    let sig = send(&rpc, &[ix], &[&bob]).await;
    let (evs, block_time) = events(&rpc, &sig, &io_staking::ID).await;
    let staked: io_staking::events::Staked = one(&evs);
    assert_eq!((staked.staker, staked.operator, staked.amount), (bob.pubkey(), operator, 500 * IO));
    // blockTime is unix seconds (the localnet's front corrects surfpool 1.3.1's value).
    let block_time = block_time.expect("blockTime");
    assert!((block_time - unix_now()).abs() < 300, "blockTime {block_time} is not now");

    // io_token: bob burns 1 $IO (reason Other).
    let ix = token::burn(&bob.pubkey(), &pk(&bob_w.io_account), IO, io_token::BurnReason::Other);
    let sig = send(&rpc, &[ix], &[&bob]).await;
    let burned: io_token::events::Burned = one(&events(&rpc, &sig, &io_token::ID).await.0);
    assert_eq!((burned.authority, burned.amount), (bob.pubkey(), IO));
    assert_eq!(burned.total_minted - burned.total_burned_after, burned.supply_after);

    // io_escrow: the renter leases the first device for 2 hours in USDC.
    let (renter, renter_w) = wallet("renter");
    let device = pk(&atlas.devices[0].address);
    let usdc_mint = pk(&m.mints["usdc"].address);
    let renter_usdc = pk(&renter_w.usdc_account);
    // The renter signs for the deposit it was quoted (2 hours at the offer's rate, 2% fee reserve).
    let quote = escrow::quote_deposit(&[atlas.devices[0].price_usdc_per_hour], 2, 200).unwrap();
    let ix = escrow::open_lease(&renter.pubkey(), 1, &usdc_mint, &renter_usdc, 2, quote, &[device]);
    let sig = send(&rpc, &[ix], &[&renter]).await;
    let opened: io_escrow::events::LeaseOpened = one(&events(&rpc, &sig, &io_escrow::ID).await.0);
    assert_eq!(opened.lease, escrow::lease(&renter.pubkey(), 1));
    assert_eq!((opened.devices, opened.hours), (vec![device], 2));
    assert_eq!(opened.base, 2 * atlas.devices[0].price_usdc_per_hour);
    assert_eq!(opened.fee_reserve, opened.base.div_ceil(50), "2% fee");
    assert_eq!(token_balance(&rpc, &renter_w.usdc_account).await, 10_000 * USDC - opened.deposit);

    // io_oracle: carol relays a report for the current hour (certification is the oracles' job).
    let (carol, _) = wallet("carol");
    let slot = rpc.get_slot().await.unwrap();
    let body = io_oracle::ReportBody {
        period: (unix_now() / 3600) as u64,
        set_epoch: 1,
        rewards_root: [1; 32],
        usage_root: [2; 32],
        devices_root: [3; 32],
        slashes_root: [4; 32],
        usdc_per_io: bootstrap::USDC_PER_IO,
        emission_distributed: 0,
        device_seconds: 0,
        devices_attested: 5,
        expiry_slot: slot + 10_000,
    };
    let config: io_oracle::OracleConfig = decode(&rpc, &oracle::config()).await;
    assert_eq!(config.cluster_id, rpc.get_genesis_hash().await.unwrap().to_bytes(), "bound to this cluster");
    let cluster = config.cluster_id;
    let sig = send(&rpc, &[oracle::post_report(&carol.pubkey(), &cluster, body)], &[&carol]).await;
    let posted: io_oracle::events::ReportPosted = one(&events(&rpc, &sig, &io_oracle::ID).await.0);
    assert_eq!((posted.report, posted.body.period), (oracle::report(&cluster, &body), body.period));
}

#[tokio::test]
async fn logs_subscribe_notifies_and_signatures_for_address_lists_program_transactions() {
    let net = net();
    let m = &net.manifest;
    let rpc = rpc();
    let pubsub = timeout(WAIT, PubsubClient::new(&net.ws_url)).await.unwrap().expect("websocket");
    let (mut logs, unsubscribe) = pubsub
        .logs_subscribe(
            RpcTransactionLogsFilter::Mentions(vec![io_staking::ID.to_string()]),
            RpcTransactionLogsConfig { commitment: Some(CommitmentConfig::confirmed()) },
        )
        .await
        .expect("logsSubscribe");

    // carol stakes with the second operator.
    let (carol, carol_w) = wallet("carol");
    let operator = pk(&m.operators[1].operator);
    let ix = staking::stake(&carol.pubkey(), &operator, &token::mint(), &pk(&carol_w.io_account), 200 * IO);
    let sig = send(&rpc, &[ix], &[&carol]).await;

    let notified = timeout(WAIT, async {
        while let Some(n) = logs.next().await {
            if n.value.signature == sig.to_string() {
                return n.value;
            }
        }
        panic!("the logs subscription ended");
    })
    .await
    .expect("a logs notification for the stake");
    assert!(notified.err.is_none());
    assert!(notified.logs.iter().any(|l| l.contains(&io_staking::ID.to_string())));
    unsubscribe().await;

    // getSignaturesForAddress(program) lists it, newest first, with a corrected blockTime.
    let listed = rpc.get_signatures_for_address(&io_staking::ID).await.expect("getSignaturesForAddress");
    let entry = listed.iter().find(|s| s.signature == sig.to_string()).expect("the stake is listed");
    assert!(entry.err.is_none());
    assert!((entry.block_time.expect("blockTime") - unix_now()).abs() < 300);
    // The bootstrap's too: initialize, three registrations, three activations.
    assert!(listed.len() >= 8, "{} io_staking transactions listed", listed.len());
}

#[tokio::test]
async fn an_empty_network_starts_without_bootstrap_and_stops() {
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("localnet-empty-{}", std::process::id()));
    let config = Config { bootstrap: false, ..Config::ephemeral(&dir) };
    let node = timeout(WAIT, Localnet::start(config)).await.unwrap().expect("start");
    let rpc = RpcClient::new(node.rpc_url.clone());
    assert_eq!(rpc.get_version().await.unwrap().solana_core, "3.1.12");
    assert!(!node.manifest.bootstrapped && node.manifest.wallets.is_empty());
    assert!(rpc
        .get_account_with_commitment(&token::config(), CommitmentConfig::processed())
        .await
        .unwrap()
        .value
        .is_none());
    // The programs are there all the same, as native builtins.
    let program = rpc.get_account(&io_staking::ID).await.unwrap();
    assert!(program.executable);
    // A step the program refuses is named and explained with the program's own error message
    // (the sdk's error table), not a bare custom code.
    let chain = bootstrap::Chain::new(&node.rpc_url);
    let admin = Keypair::new();
    chain.airdrop(&admin.pubkey(), 1_000_000_000).await.unwrap();
    let too_many_decimals = io_token::MAX_DECIMALS + 1;
    let ix = token::initialize(&admin.pubkey(), too_many_decimals, io_token::EmissionParams::defaults(9));
    let e = chain.send("io_token initialize", &[ix], &[&admin]).await.unwrap_err().to_string();
    assert!(e.starts_with("bootstrap: io_token initialize: "), "{e}");
    assert!(e.contains("a parameter is out of range"), "{e}");
    let url = node.rpc_url.clone();
    let port = node.rpc_url.rsplit(':').next().unwrap().parse::<u16>().unwrap();
    tokio::task::spawn_blocking(move || node.stop()).await.unwrap();
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err(), "the RPC port is closed");
    // A node that is gone is a network error, never "no such account".
    let e = bootstrap::Chain::new(&url).account_exists(&token::config()).await.unwrap_err().to_string();
    assert!(e.contains("cannot reach the RPC node"), "{e}");
    let _ = std::fs::remove_dir_all(dir);
}
