//! io_oracle fixture and the oracle-quorum helper: ed25519 keys that sign report digests, and
//! the Ed25519 precompile instruction carrying their signatures.
use crate::{Harness, IO};
use anchor_lang::prelude::Pubkey;
use io_oracle::{OracleParams, ReportBody};
use io_sdk::{oracle as sdk, Instruction};
use solana_keypair::Keypair;
use solana_program_test::BanksClientError;
use solana_signer::Signer;

/// Signs `message` with each key: the `(pubkey, signature)` list an Ed25519 instruction takes.
pub fn sign_all(keys: &[&Keypair], message: &[u8]) -> Vec<sdk::Ed25519Signature> {
    keys.iter().map(|k| (k.pubkey().to_bytes(), <[u8; 64]>::from(k.sign_message(message)))).collect()
}

/// The Ed25519 instruction with `keys`' signatures over `message`.
pub fn quorum_instruction(keys: &[&Keypair], message: &[u8]) -> Instruction {
    sdk::ed25519_instruction(&sign_all(keys, message), message)
}

/// An equivocation proof's Ed25519 instruction: `key`'s signatures over the digests (on cluster
/// `cluster`) of both bodies, each with its own message.
pub fn equivocation_instruction(
    cluster: &[u8; 32],
    key: &Keypair,
    a: &ReportBody,
    b: &ReportBody,
) -> Instruction {
    let (da, db) = (sdk::report_digest(cluster, a), sdk::report_digest(cluster, b));
    let sa = sign_all(&[key], &da).remove(0);
    let sb = sign_all(&[key], &db).remove(0);
    sdk::ed25519_instruction_multi(&[(sa, &da[..]), (sb, &db[..])])
}

pub fn default_params() -> OracleParams {
    OracleParams::defaults(crate::IO_DECIMALS)
}

/// The test bank's cluster id: its genesis hash, as a deployment passes to `initialize`.
pub fn cluster_id(h: &Harness) -> [u8; 32] {
    h.ctx.genesis_config().hash().to_bytes()
}

/// An oracle set living on someone else's harness (for cross-program tests): initialises
/// io_oracle and publishes certified reports.
pub struct Quorum {
    pub admin: Keypair,
    pub oracles: Vec<Keypair>,
    pub params: OracleParams,
    /// The cluster id io_oracle was initialised with (bound into every digest).
    pub cluster: [u8; 32],
}

impl Quorum {
    /// Initialises io_oracle on `h` with `n` oracles (default threshold) and moves the clock to
    /// the start of the next hour.
    pub async fn init(h: &mut Harness, n: usize) -> Quorum {
        let admin = h.funded_keypair(10_000_000_000).await;
        let oracles: Vec<Keypair> = (0..n).map(|_| Keypair::new()).collect();
        let params = default_params();
        let members = oracles.iter().map(|k| k.pubkey()).collect();
        let mint = h.io_mint;
        let cluster = cluster_id(h);
        h.send_one(sdk::initialize(&admin.pubkey(), &mint, params, members, 0, cluster), &[&admin])
            .await
            .expect("initialize io_oracle");
        let now = h.now().await;
        h.set_time(now - now % 3600 + 3600).await;
        Quorum { admin, oracles, params, cluster }
    }

    /// The address of the candidate report of `body`.
    pub fn report(&self, body: &ReportBody) -> Pubkey {
        sdk::report(&self.cluster, body)
    }

    /// Posts `body` for the current period (epoch 1 unless set) and certifies it with every
    /// oracle's signature; returns the report address. Moves the clock one hour on first, so
    /// each call gets a fresh period.
    pub async fn publish(&self, h: &mut Harness, mut body: ReportBody) -> Pubkey {
        h.warp_seconds(3600).await;
        body.period = (h.now().await / 3600) as u64;
        if body.set_epoch == 0 {
            body.set_epoch = 1;
        }
        body.expiry_slot = h.clock().await.slot + 1_000;
        let relayer = h.payer().insecure_clone();
        h.send_one(sdk::post_report(&relayer.pubkey(), &self.cluster, body), &[]).await.expect("post report");
        let keys: Vec<&Keypair> = self.oracles.iter().collect();
        let ed = quorum_instruction(&keys, &sdk::report_digest(&self.cluster, &body));
        h.send(&[ed, sdk::certify_report(&self.report(&body))], &[]).await.expect("certify report");
        self.report(&body)
    }
}

pub struct OracleFixture {
    pub h: Harness,
    pub admin: Keypair,
    /// The members of the first set, in order.
    pub oracles: Vec<Keypair>,
    pub params: OracleParams,
    /// The cluster id io_oracle was initialised with (bound into every digest).
    pub cluster: [u8; 32],
}

impl OracleFixture {
    /// io_oracle initialised with `n` oracle keys and the default threshold.
    pub async fn new(n: usize) -> Self {
        let h = Harness::full_stack().await;
        Self::on(h, n).await
    }

    /// io_oracle initialised on an existing harness.
    pub async fn on(mut h: Harness, n: usize) -> Self {
        let admin = h.funded_keypair(10_000_000_000).await;
        let oracles: Vec<Keypair> = (0..n).map(|_| Keypair::new()).collect();
        let params = default_params();
        let members = oracles.iter().map(|k| k.pubkey()).collect();
        let mint = h.io_mint;
        let cluster = cluster_id(&h);
        h.send_one(sdk::initialize(&admin.pubkey(), &mint, params, members, 0, cluster), &[&admin])
            .await
            .expect("initialize io_oracle");
        // Report periods are hours since the epoch: start the clock at a whole hour.
        let now = h.now().await;
        h.set_time(now - now % 3600 + 3600).await;
        OracleFixture { h, admin, oracles, params, cluster }
    }

    /// The digest the oracles sign for `body` on this cluster.
    pub fn digest(&self, body: &ReportBody) -> [u8; 32] {
        sdk::report_digest(&self.cluster, body)
    }

    /// The address of the candidate report of `body`.
    pub fn report(&self, body: &ReportBody) -> Pubkey {
        sdk::report(&self.cluster, body)
    }

    /// The digest a quorum signs to rotate from set `epoch` to `members`.
    pub fn rotation_digest(&self, epoch: u64, members: &[Pubkey], threshold: u8) -> [u8; 32] {
        sdk::rotation_digest(&self.cluster, epoch, members, threshold)
    }

    pub fn keys(&self, idx: &[usize]) -> Vec<&Keypair> {
        idx.iter().map(|i| &self.oracles[*i]).collect()
    }

    /// The current hour index.
    pub async fn period(&mut self) -> u64 {
        (self.h.now().await / 3600) as u64
    }

    /// A report body for the current period under set `epoch`, valid for 1,000 slots.
    pub async fn body(&mut self, epoch: u64) -> ReportBody {
        let slot = self.h.clock().await.slot;
        ReportBody {
            period: self.period().await,
            set_epoch: epoch,
            rewards_root: [1; 32],
            usage_root: [2; 32],
            devices_root: [3; 32],
            slashes_root: [4; 32],
            usdc_per_io: 2_500_000,
            emission_distributed: 4_560 * IO,
            device_seconds: 3_600 * 10,
            devices_attested: 10,
            expiry_slot: slot + 1_000,
        }
    }

    pub async fn post(&mut self, body: ReportBody) -> Result<Pubkey, BanksClientError> {
        let relayer = self.h.payer().insecure_clone();
        let cluster = self.cluster;
        self.h
            .send_one(sdk::post_report(&relayer.pubkey(), &cluster, body), &[])
            .await
            .map(|_| self.report(&body))
    }

    /// Certifies `body` with the signatures of the oracles at `signers`.
    pub async fn certify(&mut self, body: &ReportBody, signers: &[usize]) -> Result<(), BanksClientError> {
        let digest = self.digest(body);
        let ed = quorum_instruction(&self.keys(signers), &digest);
        let report = self.report(body);
        self.h.send(&[ed, sdk::certify_report(&report)], &[]).await
    }

    /// Posts and certifies a report for the current period signed by the first `m` oracles.
    pub async fn publish(&mut self, mut body: ReportBody, m: usize) -> Pubkey {
        body.period = self.period().await;
        let report = self.post(body).await.expect("post report");
        let signers: Vec<usize> = (0..m).collect();
        self.certify(&body, &signers).await.expect("certify report");
        report
    }

    pub async fn config(&mut self) -> io_oracle::OracleConfig {
        self.h.account(&sdk::config()).await
    }

    /// Executes the pending admin rotation, with its members' bonds attached.
    pub async fn execute_rotation(&mut self) -> Result<(), BanksClientError> {
        let members = self.config().await.pending_rotation.set.keys().to_vec();
        self.h.send_one(sdk::execute_rotation(&members), &[]).await
    }

    /// Sends an equivocation proof that `cheat` signed both `a` and `b`, from a fresh reporter.
    pub async fn prove(
        &mut self,
        cheat: &Keypair,
        a: ReportBody,
        b: ReportBody,
    ) -> Result<(), BanksClientError> {
        let reporter = self.h.funded_keypair(1_000_000_000).await;
        let mint = self.h.io_mint;
        let ed = equivocation_instruction(&self.cluster, cheat, &a, &b);
        let ix = sdk::prove_equivocation(&reporter.pubkey(), &mint, cheat.pubkey(), a, b);
        self.h.send(&[ed, ix], &[&reporter]).await
    }

    /// `n` new keys, each funded and bonded with `amount` $IO.
    pub async fn bonded_keys(&mut self, n: usize, amount: u64) -> Vec<Keypair> {
        let mut keys = Vec::with_capacity(n);
        for _ in 0..n {
            let k = Keypair::new();
            self.bond(&k, amount).await.expect("post bond");
            keys.push(k);
        }
        keys
    }

    /// The set at `signers` (current set) rotates to `members` by quorum (default threshold).
    pub async fn rotate_by_quorum(
        &mut self,
        signers: &[usize],
        members: Vec<Pubkey>,
    ) -> Result<(), BanksClientError> {
        let epoch = self.config().await.set.epoch;
        let digest = self.rotation_digest(epoch, &members, 0);
        let ed = quorum_instruction(&self.keys(signers), &digest);
        self.h.send(&[ed, sdk::rotate_by_quorum(members, 0)], &[]).await
    }

    /// The admin proposes `members` (default threshold); the clock moves past the timelock.
    pub async fn propose_and_wait(&mut self, members: Vec<Pubkey>) -> Result<(), BanksClientError> {
        let admin = self.admin.insecure_clone();
        self.h.send_one(sdk::propose_rotation(&admin.pubkey(), members, 0), &[&admin]).await?;
        let due = self.config().await.pending_rotation.executable_ts;
        let now = self.h.now().await;
        self.h.warp_seconds(due - now).await;
        Ok(())
    }

    /// A new $IO token account of `owner` (empty).
    pub async fn io_account(&mut self, owner: &Pubkey) -> Pubkey {
        let mint = self.h.io_mint;
        self.h.create_token_account(&mint, owner).await
    }

    /// Funds `oracle` with SOL and `amount` $IO and posts it as its bond.
    pub async fn bond(&mut self, oracle: &Keypair, amount: u64) -> Result<(), BanksClientError> {
        let lamports_ix = solana_system_interface::instruction::transfer(
            &self.h.payer().pubkey(),
            &oracle.pubkey(),
            1_000_000_000,
        );
        self.h.send(&[lamports_ix], &[]).await?;
        let mint = self.h.io_mint;
        let token = self.h.create_token_account(&mint, &oracle.pubkey()).await;
        self.h.mint_to(&mint, &token, amount).await;
        let ix = sdk::post_bond(&oracle.pubkey(), &mint, &token, amount);
        self.h.send_one(ix, &[oracle]).await
    }
}

/// An io_oracle address for `seeds` with a valid bump below the canonical one: the address a
/// non-canonical-bump attack would use.
pub fn non_canonical_pda(seeds: &[&[u8]]) -> Pubkey {
    crate::non_canonical_pda(seeds, &io_oracle::ID)
}
