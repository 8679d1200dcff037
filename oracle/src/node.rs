//! The node's shared state: its settings, key, chain client and clock, database, and the state
//! of each area (observations of the devices, agreement on reports). One `Arc<Node>` is handed
//! to every task and handler.
use crate::{clock::ChainClock, consensus, observe, settings::Settings, store::Store};
use anyhow::{anyhow, Context, Result};
use io_sdk::client::Client;
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::{sync::Arc, time::Duration};

pub struct Node {
    pub settings: Settings,
    /// The node's oracle key.
    pub key: Keypair,
    pub client: Arc<Client>,
    pub store: Store,
    pub clock: ChainClock,
    /// The cluster's genesis hash, base58: what workers name in their messages.
    pub cluster: String,
    /// The same 32 bytes: io_oracle's cluster id, bound into every report digest.
    pub cluster_id: [u8; 32],
    /// For the peers.
    pub http: reqwest::Client,
    pub observe: observe::State,
    pub consensus: consensus::State,
}

impl Node {
    /// Reads the key, reaches the cluster, opens the database (bound to this key and cluster)
    /// and starts following the chain's clock.
    pub async fn start(settings: Settings) -> Result<Arc<Node>> {
        settings.validate()?;
        let key = io_sdk::keypair::read_keypair(&settings.node.keypair).map_err(|e| {
            anyhow!(
                "{e}\nthe oracle key is a Solana keypair file (node.keypair, IO_ORACLE__NODE__KEYPAIR or --keypair); \
                 create one with `solana-keygen new -o oracle.json` and have it bonded in io_oracle's set"
            )
        })?;
        let client = Arc::new(Client::new(
            settings.chain.rpc_url.clone(),
            CommitmentConfig::confirmed(),
            key.insecure_clone(),
        ));
        let genesis = client
            .rpc
            .get_genesis_hash()
            .await
            .map_err(|e| client.error(&e))
            .with_context(|| "read the cluster's genesis hash")?;
        let store = Store::open(&settings.database.url, settings.database.max_connections).await?;
        let node = Node::assemble(settings, key, client, store, genesis.to_bytes()).await?;
        node.clock.spawn_poller(
            node.client.clone(),
            Duration::from_millis(node.settings.chain.clock_poll_ms.max(50)),
        );
        Ok(node)
    }

    /// A node from parts, without reaching the cluster: the database is bound to the key and
    /// `cluster_id`, the clock is not followed (tests and benchmarks feed it with
    /// `clock.observe`). [`Node::start`] is this plus the genesis read and the clock poller.
    pub async fn assemble(
        settings: Settings,
        key: Keypair,
        client: Arc<Client>,
        store: Store,
        cluster_id: [u8; 32],
    ) -> Result<Arc<Node>> {
        let cluster = io_sdk::Pubkey::new_from_array(cluster_id).to_string();
        store.claim_identity(&key.pubkey().to_string(), &cluster).await?;
        let observe = observe::State::new(&settings, &store).await?;
        let consensus = consensus::State::new(&settings, &store).await?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(20))
            .build()?;
        Ok(Arc::new(Node {
            settings,
            key,
            client,
            store,
            clock: ChainClock::default(),
            cluster,
            cluster_id,
            http,
            observe,
            consensus,
        }))
    }

    pub fn pubkey(&self) -> io_sdk::Pubkey {
        self.key.pubkey()
    }
}
