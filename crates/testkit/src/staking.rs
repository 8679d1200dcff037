//! io_staking fixture: an initialised program with its authorities and helpers for the common
//! moves (register an operator, bond, add and activate a device, stake).
use crate::{Harness, IO, IO_DECIMALS};
use anchor_lang::prelude::Pubkey;
use io_sdk::staking as sdk;
use io_staking::{DeviceSpec, HardwareClass, Params};
use solana_keypair::Keypair;
use solana_program_test::BanksClientError;
use solana_signer::Signer;

/// An operator made by [`StakingFixture::operator`].
pub struct TestOperator {
    pub authority: Keypair,
    /// The authority's $IO account.
    pub token: Pubkey,
    /// The operator PDA.
    pub address: Pubkey,
}

/// A staker made by [`StakingFixture::staker`].
pub struct TestStaker {
    pub wallet: Keypair,
    pub token: Pubkey,
}

pub struct StakingFixture {
    pub h: Harness,
    pub admin: Keypair,
    pub oracle: Keypair,
    pub rewards: Keypair,
    /// The rewards authority's $IO account, pre-funded.
    pub rewards_token: Pubkey,
    pub params: Params,
    /// `(operator, position)` of every stake made through [`Self::stake`]: the rewards crank
    /// lists the operator's warming-up ones (as an off-chain crank finds them by scanning).
    pub known_positions: Vec<(Pubkey, Pubkey)>,
}

impl StakingFixture {
    /// A full-stack bank (see [`Harness::full_stack`]) with io_staking initialised on default
    /// parameters (100 $IO minimum, 14-day cooldown).
    pub async fn new() -> Self {
        Self::with_params(Params::defaults(IO_DECIMALS)).await
    }

    pub async fn with_params(params: Params) -> Self {
        let mut h = Harness::full_stack().await;
        let admin = h.funded_keypair(10_000_000_000).await;
        let oracle = h.funded_keypair(10_000_000_000).await;
        let rewards = h.funded_keypair(1_000_000_000).await;
        let io_mint = h.io_mint;
        let rewards_token = h.create_token_account(&io_mint, &rewards.pubkey()).await;
        h.mint_to(&io_mint, &rewards_token, 10_000_000 * IO).await;
        let ix = sdk::initialize(&admin.pubkey(), &io_mint, params, oracle.pubkey(), rewards.pubkey());
        h.send_one(ix, &[&admin]).await.expect("initialize io_staking");
        StakingFixture { h, admin, oracle, rewards, rewards_token, params, known_positions: Vec::new() }
    }

    pub fn io_mint(&self) -> Pubkey {
        self.h.io_mint
    }

    /// Registers a new operator holding `io` base units of $IO in its wallet.
    pub async fn operator(&mut self, commission_bps: u16, io: u64) -> TestOperator {
        let (authority, token) = self.h.user_with_io(io).await;
        let ix = sdk::register_operator(
            &authority.pubkey(),
            "op",
            "eu-west",
            "https://op.example",
            commission_bps,
        );
        self.h.send_one(ix, &[&authority]).await.expect("register operator");
        let address = sdk::operator(&authority.pubkey());
        TestOperator { authority, token, address }
    }

    pub async fn add_bond(&mut self, op: &TestOperator, amount: u64) -> Result<(), BanksClientError> {
        let ix = sdk::add_bond(&op.authority.pubkey(), &self.io_mint(), &op.token, amount);
        self.h.send_one(ix, &[&op.authority]).await
    }

    /// A GPU device spec of `class` with `gpus` GPUs and a unique id.
    pub fn gpu_spec(class: HardwareClass, gpus: u16, seed: u8) -> DeviceSpec {
        let mut id_hash = [0u8; 32];
        id_hash[0] = seed;
        id_hash[1] = gpus as u8;
        DeviceSpec {
            id_hash,
            gpu_model: "NVIDIA H100 80GB".into(),
            gpu_count: gpus,
            vram_gb: 80,
            region: "eu-west".into(),
            green: true,
            class,
        }
    }

    /// Registers a device with a worker key of its own; returns its address.
    pub async fn device(&mut self, op: &TestOperator, spec: DeviceSpec) -> Result<Pubkey, BanksClientError> {
        self.device_with_worker(op, spec, Keypair::new().pubkey()).await
    }

    /// Registers a device naming `worker_key`; returns its address.
    pub async fn device_with_worker(
        &mut self,
        op: &TestOperator,
        spec: DeviceSpec,
        worker_key: Pubkey,
    ) -> Result<Pubkey, BanksClientError> {
        let address = sdk::device(&op.address, &spec.id_hash);
        let ix = sdk::register_device(&op.authority.pubkey(), spec, worker_key);
        self.h.send_one(ix, &[&op.authority]).await.map(|_| address)
    }

    pub async fn activate(&mut self, op: &TestOperator, device: &Pubkey) -> Result<(), BanksClientError> {
        let ix = sdk::activate_device(&self.oracle.pubkey(), &op.address, device);
        let oracle = self.oracle.insecure_clone();
        self.h.send_one(ix, &[&oracle]).await
    }

    /// A new wallet with `io` base units of $IO.
    pub async fn staker(&mut self, io: u64) -> TestStaker {
        let (wallet, token) = self.h.user_with_io(io).await;
        TestStaker { wallet, token }
    }

    pub async fn stake(
        &mut self,
        s: &TestStaker,
        operator: &Pubkey,
        amount: u64,
    ) -> Result<(), BanksClientError> {
        let ix = sdk::stake(&s.wallet.pubkey(), operator, &self.io_mint(), &s.token, amount);
        let position = sdk::position(operator, &s.wallet.pubkey());
        if !self.known_positions.contains(&(*operator, position)) {
            self.known_positions.push((*operator, position));
        }
        self.h.send_one(ix, &[&s.wallet]).await
    }

    /// The operator's known positions that hold stake still warming up, as a crank lists them.
    pub async fn warming_positions(&mut self, operator: &Pubkey) -> Vec<Pubkey> {
        let mut out = Vec::new();
        let known: Vec<Pubkey> =
            self.known_positions.iter().filter(|(o, _)| o == operator).map(|(_, p)| *p).collect();
        for p in known {
            let pos: Option<io_staking::Position> = self.h.try_account(&p).await;
            if pos.is_some_and(|p| p.activating_shares > 0) {
                out.push(p);
            }
        }
        out
    }

    pub async fn unstake(
        &mut self,
        s: &TestStaker,
        operator: &Pubkey,
        amount: u64,
    ) -> Result<(), BanksClientError> {
        let ix = sdk::unstake(&s.wallet.pubkey(), operator, &self.io_mint(), &s.token, amount);
        self.h.send_one(ix, &[&s.wallet]).await
    }

    pub async fn withdraw(&mut self, s: &TestStaker, operator: &Pubkey) -> Result<(), BanksClientError> {
        let ix = sdk::withdraw(&s.wallet.pubkey(), operator, &self.io_mint(), &s.token);
        self.h.send_one(ix, &[&s.wallet]).await
    }

    pub async fn claim(&mut self, s: &TestStaker, operator: &Pubkey) -> Result<(), BanksClientError> {
        let ix = sdk::claim_rewards(&s.wallet.pubkey(), operator, &self.io_mint(), &s.token);
        self.h.send_one(ix, &[&s.wallet]).await
    }

    /// Funds rewards as the rewards authority, listing the operator's warming-up positions as
    /// the crank does.
    pub async fn fund(&mut self, operator: &Pubkey, amount: u64) -> Result<(), BanksClientError> {
        let positions = self.warming_positions(operator).await;
        self.fund_listing(operator, amount, &positions).await
    }

    /// Funds rewards listing exactly `positions`.
    pub async fn fund_listing(
        &mut self,
        operator: &Pubkey,
        amount: u64,
        positions: &[Pubkey],
    ) -> Result<(), BanksClientError> {
        let ix = sdk::fund_operator_rewards(
            &self.rewards.pubkey(),
            operator,
            &self.io_mint(),
            &self.rewards_token,
            amount,
            positions,
        );
        let rewards = self.rewards.insecure_clone();
        self.h.send_one(ix, &[&rewards]).await
    }

    /// Proposes a slash as the oracle authority; returns the slash address.
    pub async fn propose_slash(
        &mut self,
        operator: &Pubkey,
        amount: u64,
    ) -> Result<Pubkey, BanksClientError> {
        // Evidence unique per proposal: the operator's slash count.
        let op: io_staking::Operator = self.h.account(operator).await;
        let mut evidence = [7u8; 32];
        evidence[..4].copy_from_slice(&op.slash_count.to_le_bytes());
        let ix = sdk::propose_slash(&self.oracle.pubkey(), operator, amount, evidence);
        let oracle = self.oracle.insecure_clone();
        self.h.send_one(ix, &[&oracle]).await.map(|_| sdk::slash(operator, &evidence))
    }

    pub async fn execute_slash(&mut self, operator: &Pubkey, slash: &Pubkey) -> Result<(), BanksClientError> {
        let ix = sdk::execute_slash(operator, slash, &self.io_mint());
        self.h.send_one(ix, &[]).await
    }

    pub async fn operator_state(&mut self, operator: &Pubkey) -> io_staking::Operator {
        self.h.account(operator).await
    }

    pub async fn position(&mut self, operator: &Pubkey, staker: &Pubkey) -> Option<io_staking::Position> {
        self.h.try_account(&sdk::position(operator, staker)).await
    }

    pub async fn config(&mut self) -> io_staking::Config {
        self.h.account(&sdk::config()).await
    }

    /// Proposes a slash for the given evidence as the oracle authority; returns its address.
    pub async fn propose_slash_for(
        &mut self,
        operator: &Pubkey,
        amount: u64,
        evidence: [u8; 32],
    ) -> Result<Pubkey, BanksClientError> {
        let ix = sdk::propose_slash(&self.oracle.pubkey(), operator, amount, evidence);
        let oracle = self.oracle.insecure_clone();
        self.h.send_one(ix, &[&oracle]).await.map(|_| sdk::slash(operator, &evidence))
    }

    /// The admin cancels a pending slash.
    pub async fn cancel_slash(&mut self, operator: &Pubkey, slash: &Pubkey) -> Result<(), BanksClientError> {
        let admin = self.admin.insecure_clone();
        self.h.send_one(sdk::cancel_slash(&admin.pubkey(), operator, slash), &[&admin]).await
    }

    /// The operator asks for `amount` of its bond back.
    pub async fn request_bond_withdrawal(
        &mut self,
        op: &TestOperator,
        amount: u64,
    ) -> Result<(), BanksClientError> {
        let ix = sdk::request_bond_withdrawal(&op.authority.pubkey(), amount);
        self.h.send_one(ix, &[&op.authority]).await
    }

    /// The operator withdraws its matured bond withdrawal into its $IO account.
    pub async fn withdraw_bond(&mut self, op: &TestOperator) -> Result<(), BanksClientError> {
        let ix = sdk::withdraw_bond(&op.authority.pubkey(), &self.io_mint(), &op.token);
        self.h.send_one(ix, &[&op.authority]).await
    }

    /// The operator claims its commission into its $IO account.
    pub async fn claim_commission(&mut self, op: &TestOperator) -> Result<(), BanksClientError> {
        let ix = sdk::claim_commission(&op.authority.pubkey(), &self.io_mint(), &op.token);
        self.h.send_one(ix, &[&op.authority]).await
    }
}

/// Moves of the cross-program fuzzer (crates/testkit/tests/fuzz) that the common helpers above do
/// not cover. Kept together so that an interface change of io_staking is adapted here once.
impl StakingFixture {
    /// Opens the slash a certified report's slashes tree holds (anyone may, the payer here).
    pub async fn propose_slash_from_report(
        &mut self,
        operator: &Pubkey,
        report: &Pubkey,
        amount: u64,
        evidence: [u8; 32],
        proof: Vec<[u8; 32]>,
    ) -> Result<Pubkey, BanksClientError> {
        let payer = self.h.payer().pubkey();
        let ix = sdk::propose_slash_from_report(&payer, operator, report, amount, evidence, proof);
        self.h.send_one(ix, &[]).await.map(|_| sdk::slash(operator, &evidence))
    }

    /// Pays `operator` its cumulative reward `cumulative` proven against a certified report's
    /// rewards tree (permissionless; the $IO comes out of io_token's rewards vault).
    pub async fn claim_operator_rewards(
        &mut self,
        operator: &Pubkey,
        report: &Pubkey,
        cumulative: u64,
        proof: Vec<[u8; 32]>,
    ) -> Result<(), BanksClientError> {
        // The crank lists the operator's warming-up positions, as the oracle nodes' crank does.
        let warming = self.warming_positions(operator).await;
        let ix = sdk::claim_operator_rewards(operator, report, &self.io_mint(), cumulative, proof, &warming);
        self.h.send_one(ix, &[]).await
    }

    pub async fn slash_state(&mut self, slash: &Pubkey) -> Option<io_staking::Slash> {
        self.h.try_account(slash).await
    }
}
