//! Native `solana-program-test` harness for the IO Compute programs.
//!
//! No SBF toolchain exists on our build machines, so each program's Anchor `entry` is registered
//! as a native builtin. The SPL Token program is the real one (program-test loads its SBF build),
//! and CPIs, `emit_cpi!` events and sysvars go through program-test's syscall stubs.
//!
//! What a test gets from [`Harness`]: the programs, an $IO and a USDC mint made through SPL Token,
//! funded users, a clock it can move, typed account reads, and the exact custom error code of a
//! failed transaction ([`error_code`]).
#![allow(deprecated)] // program-test 3.1 marks its whole API "unstable"; it is the harness we chose.
use anchor_lang::{prelude::Pubkey, solana_program::program_pack::Pack, AccountDeserialize};
use anchor_spl::token::spl_token;
use io_sdk::Instruction;
use solana_clock::Clock;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_keypair::Keypair;
use solana_program_test::{BanksClientError, ProgramTestContext};
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

pub mod escrow;
pub mod oracle;
pub mod staking;
pub mod tamper;
pub mod token;

pub use solana_keypair::Keypair as TestKeypair;
pub use solana_signer::Signer as TestSigner;

/// Decimals of the test USDC mint: the default a new network is created with (io_escrow's).
pub use io_escrow::DEFAULT_USDC_DECIMALS as USDC_DECIMALS;
/// Decimals of the test $IO mint: the default a new network is created with (io_token's).
pub use io_token::DEFAULT_DECIMALS as IO_DECIMALS;
/// One whole $IO in base units (of a mint with [`IO_DECIMALS`]).
pub const IO: u64 = 10u64.pow(IO_DECIMALS as u32);
/// One whole USDC in base units (of a mint with [`USDC_DECIMALS`]).
pub const USDC: u64 = 10u64.pow(USDC_DECIMALS as u32);

/// The programs as program-test builtins (io-native's one registration). Exposed for harnesses
/// that need their own `ProgramTest`.
pub use io_native::program_test;

/// A failed transaction's custom program error code (Anchor: 6000 + variant index for program
/// errors, 2000-range for constraint errors, 3000-range for account errors), if it has one.
pub fn error_code(err: &BanksClientError) -> Option<u32> {
    use solana_instruction::error::InstructionError;
    let tx_err = match err {
        BanksClientError::TransactionError(e) => e.clone(),
        BanksClientError::SimulationError { err, .. } => err.clone(),
        _ => return None,
    };
    match tx_err {
        TransactionError::InstructionError(_, InstructionError::Custom(code)) => Some(code),
        _ => None,
    }
}

/// A valid address for `seeds` under `program_id` with a bump below the canonical one (the
/// highest such bump that is off the curve): the second, "equally valid" PDA an attacker would
/// pass where the program must insist on the canonical bump.
pub fn non_canonical_pda(seeds: &[&[u8]], program_id: &Pubkey) -> Pubkey {
    let (_, canonical) = Pubkey::find_program_address(seeds, program_id);
    (0..canonical)
        .rev()
        .find_map(|bump| {
            let bump = [bump];
            let mut with_bump = seeds.to_vec();
            with_bump.push(&bump);
            Pubkey::create_program_address(&with_bump, program_id).ok()
        })
        .expect("some lower bump is off the curve")
}

/// Asserts that a second creation of an existing account was refused. Every account at a
/// predictable address is created through `io_program_kit::create_pda`, which refuses an address
/// that is already an account with Anchor's `AccountDiscriminatorAlreadySet` (3000), in every
/// program; nothing changes.
#[track_caller]
pub fn assert_reinit_refused<T: std::fmt::Debug>(result: Result<T, BanksClientError>) {
    assert_error(result, 3000u32);
}

/// Asserts that `result` failed with exactly the custom error `code`.
#[track_caller]
pub fn assert_error<T: std::fmt::Debug>(result: Result<T, BanksClientError>, code: impl Into<u32>) {
    let code = code.into();
    match result {
        Ok(v) => panic!("expected error {code}, but the transaction succeeded: {v:?}"),
        Err(e) => assert_eq!(error_code(&e), Some(code), "expected error {code}, got {e:?}"),
    }
}

/// A running test bank with the IO Compute programs and two SPL mints.
pub struct Harness {
    pub ctx: ProgramTestContext,
    /// The $IO mint: a plain test mint ([`Harness::new`]) or io_token's own ([`Harness::full_stack`]).
    pub io_mint: Pubkey,
    pub usdc_mint: Pubkey,
    /// Mint authority of the test mints.
    pub mint_authority: Keypair,
    /// Set by [`Harness::full_stack`]: $IO is then paid out of io_token's genesis buckets.
    pub io_token: Option<TokenAdmin>,
    nonce: u32,
}

/// The io_token admin of a full-stack harness, and the beneficiary of the faucet schedules.
pub struct TokenAdmin {
    pub admin: Keypair,
    pub faucet: Keypair,
}

impl Harness {
    /// Starts a bank with the programs and creates the $IO and USDC mints.
    pub async fn new() -> Self {
        let ctx = program_test().start_with_context().await;
        let mut h = Harness {
            ctx,
            io_mint: Pubkey::default(),
            usdc_mint: Pubkey::default(),
            mint_authority: Keypair::new(),
            io_token: None,
            nonce: 0,
        };
        h.io_mint = h.create_mint(IO_DECIMALS).await;
        h.usdc_mint = h.create_mint(USDC_DECIMALS).await;
        h
    }

    /// A bank where $IO is io_token's own mint, as in production: io_token initialised on the
    /// default schedule with genesis minted, io_staking's config allowed to burn with reason
    /// `Slash` and to draw emitted rewards, io_escrow's config allowed to burn with reason
    /// `Buyback`. [`Self::mint_to`] of $IO then pays out of fully vested genesis schedules, so
    /// io_token's ledger (minted − burned == supply) stays exact in every test.
    pub async fn full_stack() -> Self {
        use io_sdk::token as tsdk;
        let mut h = Self::new().await;
        let admin = h.funded_keypair(10_000_000_000).await;
        let faucet = h.funded_keypair(1_000_000_000).await;
        let params = io_token::EmissionParams::defaults(IO_DECIMALS);
        let staking_config = io_sdk::staking::config();
        let ixs = [
            tsdk::initialize(&admin.pubkey(), IO_DECIMALS, params),
            tsdk::genesis(&admin.pubkey()),
            tsdk::set_burn_authority(&admin.pubkey(), io_token::BurnReason::Slash, staking_config),
            tsdk::set_burn_authority(
                &admin.pubkey(),
                io_token::BurnReason::Buyback,
                io_sdk::escrow::config(),
            ),
            tsdk::set_rewards_distributor(&admin.pubkey(), staking_config),
        ];
        for ix in ixs {
            h.send_one(ix, &[&admin]).await.expect("set up io_token");
        }
        h.io_mint = tsdk::mint();
        h.io_token = Some(TokenAdmin { admin, faucet });
        h
    }

    /// Pays `amount` $IO into `to` through a genesis schedule that has fully vested: from the
    /// early-contributors bucket, then series A, then seed as each runs out.
    async fn faucet_io(&mut self, to: &Pubkey, amount: u64) {
        use io_sdk::token as tsdk;
        use io_token::Bucket;
        let t = self.io_token.as_ref().expect("full-stack harness");
        let (admin, faucet) = (t.admin.insecure_clone(), t.faucet.insecure_clone());
        let now = self.now().await;
        for bucket in [Bucket::EarlyContributors, Bucket::SeriesA, Bucket::Seed] {
            let config: io_token::TokenConfig = self.account(&tsdk::config()).await;
            let index = config.schedule_count[bucket.index()];
            let ix = tsdk::create_vesting(
                &admin.pubkey(),
                &faucet.pubkey(),
                bucket,
                index,
                now - 10,
                now - 10,
                now - 1,
                amount,
            );
            if self.send_one(ix, &[&admin]).await.is_ok() {
                let schedule = tsdk::vesting(&faucet.pubkey(), bucket, index);
                let ix = tsdk::claim_vested(&faucet.pubkey(), &schedule, bucket, to);
                self.send_one(ix, &[&faucet]).await.expect("faucet claim");
                return;
            }
        }
        panic!("the faucet's genesis buckets cannot pay {amount}");
    }

    pub fn payer(&self) -> &Keypair {
        &self.ctx.payer
    }

    /// Builds a transaction of `ixs` signed by the payer plus `signers`. Each call adds a distinct
    /// compute-unit limit, so two identical calls are two distinct transactions, and takes a
    /// fresh blockhash: the bank advances slots on its own, and a blockhash older than 150 slots
    /// would leave the transaction waiting until the client's deadline.
    async fn transaction(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Transaction, BanksClientError> {
        self.nonce = self.nonce.wrapping_add(1);
        let mut all = Vec::with_capacity(ixs.len() + 1);
        all.push(ComputeBudgetInstruction::set_compute_unit_limit(1_400_000 - (self.nonce % 100_000)));
        all.extend_from_slice(ixs);
        let mut keys: Vec<&Keypair> = vec![&self.ctx.payer];
        keys.extend_from_slice(signers);
        let blockhash = self.ctx.banks_client.get_latest_blockhash().await?;
        Ok(Transaction::new_signed_with_payer(&all, Some(&self.ctx.payer.pubkey()), &keys, blockhash))
    }

    /// Processes `ixs` as one transaction signed by the payer plus `signers`.
    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<(), BanksClientError> {
        let tx = self.transaction(ixs, signers).await?;
        self.ctx.banks_client.process_transaction(tx).await
    }

    /// Sends like [`Self::send`] and returns the `emit_cpi!` events the transaction emitted (the
    /// data of each inner instruction to one of our programs that carries Anchor's event tag), in
    /// order. The events are read from a simulation of the very same transaction, then the
    /// transaction is processed.
    pub async fn send_events(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Vec<Vec<u8>>, BanksClientError> {
        let tx = self.transaction(ixs, signers).await?;
        let sim = self.ctx.banks_client.simulate_transaction(tx.clone()).await?;
        if let Some(Err(e)) = sim.result {
            return Err(BanksClientError::TransactionError(e));
        }
        let account_keys = tx.message.account_keys.clone();
        let mut events = Vec::new();
        for inner in sim.simulation_details.and_then(|d| d.inner_instructions).unwrap_or_default() {
            for ix in inner {
                let program = account_keys.get(usize::from(ix.instruction.program_id_index));
                if program.is_some_and(|p| io_sdk::Program::from_id(p).is_some())
                    && ix.instruction.data.starts_with(anchor_lang::event::EVENT_IX_TAG_LE)
                {
                    events.push(ix.instruction.data);
                }
            }
        }
        self.ctx.banks_client.process_transaction(tx).await?;
        Ok(events)
    }

    /// A third party sends `lamports` to `address` before its owner creates it (the pre-funding
    /// griefing attack): a plain system transfer from a stranger's wallet.
    pub async fn prefund(&mut self, address: &Pubkey, lamports: u64) {
        let stranger = self.funded_keypair(lamports.saturating_add(10_000_000)).await;
        let ix = solana_system_interface::instruction::transfer(&stranger.pubkey(), address, lamports);
        self.send(&[ix], &[&stranger]).await.expect("a stranger pre-funds the address");
    }

    /// A third party donates `amount` of `mint` into `vault` (a plain SPL transfer from a
    /// stranger's own token account): a donation must never block anyone.
    pub async fn donate(&mut self, mint: &Pubkey, vault: &Pubkey, amount: u64) {
        let stranger = self.funded_keypair(100_000_000).await;
        let from = self.create_token_account(mint, &stranger.pubkey()).await;
        self.mint_to(mint, &from, amount).await;
        let ix =
            spl_token::instruction::transfer(&spl_token::ID, &from, vault, &stranger.pubkey(), &[], amount)
                .unwrap();
        self.send(&[ix], &[&stranger]).await.expect("a stranger donates to the vault");
    }

    /// Writes an account directly into the bank (for look-alike and forged-account tests).
    pub fn set_account(&mut self, address: &Pubkey, account: &solana_account::Account) {
        self.ctx.set_account(address, &solana_account::AccountSharedData::from(account.clone()));
    }

    /// Reads a raw account.
    pub async fn raw_account(&mut self, address: &Pubkey) -> Option<solana_account::Account> {
        self.ctx.banks_client.get_account(*address).await.unwrap()
    }

    /// Like [`Self::send`] for one instruction; the error's instruction index is that of `ix`.
    pub async fn send_one(&mut self, ix: Instruction, signers: &[&Keypair]) -> Result<(), BanksClientError> {
        self.send(&[ix], signers).await
    }

    /// A new keypair with `sol` lamports.
    pub async fn funded_keypair(&mut self, lamports: u64) -> Keypair {
        let k = Keypair::new();
        let ix =
            solana_system_interface::instruction::transfer(&self.ctx.payer.pubkey(), &k.pubkey(), lamports);
        self.send(&[ix], &[]).await.expect("fund keypair");
        k
    }

    pub async fn create_mint(&mut self, decimals: u8) -> Pubkey {
        let mint = Keypair::new();
        let rent = self.ctx.banks_client.get_rent().await.unwrap();
        let ixs = [
            solana_system_interface::instruction::create_account(
                &self.ctx.payer.pubkey(),
                &mint.pubkey(),
                rent.minimum_balance(spl_token::state::Mint::LEN),
                spl_token::state::Mint::LEN as u64,
                &spl_token::ID,
            ),
            spl_token::instruction::initialize_mint2(
                &spl_token::ID,
                &mint.pubkey(),
                &self.mint_authority.pubkey(),
                None,
                decimals,
            )
            .unwrap(),
        ];
        self.send(&ixs, &[&mint]).await.expect("create mint");
        mint.pubkey()
    }

    /// A new SPL token account of `mint` owned by `owner`.
    pub async fn create_token_account(&mut self, mint: &Pubkey, owner: &Pubkey) -> Pubkey {
        let acct = Keypair::new();
        let rent = self.ctx.banks_client.get_rent().await.unwrap();
        let ixs = [
            solana_system_interface::instruction::create_account(
                &self.ctx.payer.pubkey(),
                &acct.pubkey(),
                rent.minimum_balance(spl_token::state::Account::LEN),
                spl_token::state::Account::LEN as u64,
                &spl_token::ID,
            ),
            spl_token::instruction::initialize_account3(&spl_token::ID, &acct.pubkey(), mint, owner).unwrap(),
        ];
        self.send(&ixs, &[&acct]).await.expect("create token account");
        acct.pubkey()
    }

    /// Mints `amount` of a test mint into `to`; $IO of a full-stack harness comes from the faucet.
    pub async fn mint_to(&mut self, mint: &Pubkey, to: &Pubkey, amount: u64) {
        if self.io_token.is_some() && *mint == self.io_mint {
            return self.faucet_io(to, amount).await;
        }
        let ix = spl_token::instruction::mint_to(
            &spl_token::ID,
            mint,
            to,
            &self.mint_authority.pubkey(),
            &[],
            amount,
        )
        .unwrap();
        let auth = self.mint_authority.insecure_clone();
        self.send(&[ix], &[&auth]).await.expect("mint to");
    }

    /// A funded wallet with an $IO account holding `io_amount` base units: (wallet, token account).
    pub async fn user_with_io(&mut self, io_amount: u64) -> (Keypair, Pubkey) {
        let user = self.funded_keypair(1_000_000_000).await;
        let mint = self.io_mint;
        let ata = self.create_token_account(&mint, &user.pubkey()).await;
        if io_amount > 0 {
            self.mint_to(&mint, &ata, io_amount).await;
        }
        (user, ata)
    }

    pub async fn token_balance(&mut self, account: &Pubkey) -> u64 {
        let a = self.ctx.banks_client.get_account(*account).await.unwrap().expect("token account exists");
        spl_token::state::Account::unpack(&a.data).unwrap().amount
    }

    pub async fn mint_supply(&mut self, mint: &Pubkey) -> u64 {
        let a = self.ctx.banks_client.get_account(*mint).await.unwrap().expect("mint exists");
        spl_token::state::Mint::unpack(&a.data).unwrap().supply
    }

    /// Reads and decodes an Anchor account; panics if it is missing or of another type.
    pub async fn account<T: AccountDeserialize>(&mut self, address: &Pubkey) -> T {
        self.try_account(address).await.unwrap_or_else(|| panic!("account {address} missing or undecodable"))
    }

    pub async fn try_account<T: AccountDeserialize>(&mut self, address: &Pubkey) -> Option<T> {
        let a = self.ctx.banks_client.get_account(*address).await.unwrap()?;
        io_sdk::decode_account(&a.data).ok()
    }

    pub async fn clock(&mut self) -> Clock {
        self.ctx.banks_client.get_sysvar::<Clock>().await.unwrap()
    }

    pub async fn now(&mut self) -> i64 {
        self.clock().await.unix_timestamp
    }

    /// Moves the clock's unix time by `secs` (may be negative in tests of edges) and the slot
    /// forward by one, so later transactions see the new time.
    pub async fn warp_seconds(&mut self, secs: i64) {
        let mut clock = self.clock().await;
        clock.unix_timestamp += secs;
        self.ctx.set_sysvar(&clock);
    }

    /// Moves the bank `n` slots forward (the clock's unix time stays).
    pub async fn warp_slots(&mut self, n: u64) {
        let slot = self.clock().await.slot;
        self.ctx.warp_to_slot(slot + n).expect("warp to a later slot");
    }

    /// A recent blockhash, for transactions built by hand.
    pub async fn latest_blockhash(&mut self) -> solana_hash::Hash {
        self.ctx.banks_client.get_latest_blockhash().await.expect("blockhash")
    }

    /// Processes a transaction built by hand (as it would go on the wire).
    pub async fn process(&mut self, tx: Transaction) -> Result<(), BanksClientError> {
        self.ctx.banks_client.process_transaction(tx).await
    }

    /// Sets the clock's unix time exactly.
    pub async fn set_time(&mut self, unix_timestamp: i64) {
        let mut clock = self.clock().await;
        clock.unix_timestamp = unix_timestamp;
        self.ctx.set_sysvar(&clock);
    }
}
