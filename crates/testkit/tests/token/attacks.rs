//! The attack-class matrix of io_token (security-checklist §1 and §2.A), one table-driven test
//! per class, each row an instruction with the exact error it must fail with. Rows cover every
//! instruction that takes the account or signer the class is about.
use crate::common::*;
use anchor_spl::token::spl_token;
use solana_instruction::error::InstructionError;
use solana_program_test::BanksClientError;
use solana_transaction_error::TransactionError;

/// Everything the tables need: a launched token with a wallet holding $IO, a vested schedule and
/// an airdrop leaf each for `w` and for `other`, a rewards distributor `d`, and a due emission
/// hour.
struct Scene {
    f: TokenFixture,
    admin: Keypair,
    w: Keypair,
    wt: Pubkey,
    other: Keypair,
    ot: Pubkey,
    d: Keypair,
    dt: Pubkey,
    schedule: Pubkey,
    other_schedule: Pubkey,
    tree: AirdropTree,
}

impl Scene {
    async fn new() -> Scene {
        let mut f = TokenFixture::launched().await;
        let admin = f.admin.insecure_clone();
        let (w, wt) = f.wallet().await;
        let (other, ot) = f.wallet().await;
        let (d, dt) = f.wallet().await;
        f.fund(&wt, 100 * IO).await;
        let now = f.h.now().await;
        let schedule =
            f.create_vesting(&w.pubkey(), Bucket::Seed, now - 10, now - 10, now - 1, 10 * IO).await.unwrap();
        let other_schedule = f
            .create_vesting(&other.pubkey(), Bucket::Seed, now - 10, now - 10, now - 1, 10 * IO)
            .await
            .unwrap();
        let tree = AirdropTree::new(1, vec![(w.pubkey(), 5 * IO), (other.pubkey(), 5 * IO)]);
        f.create_airdrop(&tree, now + 10 * 86_400).await.unwrap();
        f.as_admin(sdk::set_rewards_distributor(&admin.pubkey(), d.pubkey())).await.unwrap();
        f.h.warp_seconds(2 * 3_600).await;
        f.emit().await.unwrap();
        f.h.warp_seconds(3_600).await;
        Scene { f, admin, w, wt, other, ot, d, dt, schedule, other_schedule, tree }
    }

    /// One instruction of each kind, as its honest caller would send it, with that caller.
    fn honest(&self) -> Vec<(&'static str, Instruction, Vec<Keypair>)> {
        let (a, w, d) = (self.admin.insecure_clone(), self.w.insecure_clone(), self.d.insecure_clone());
        let (a, w, d) = (&a, &w, &d);
        let now = 0;
        vec![
            (
                "initialize",
                sdk::initialize(&a.pubkey(), 9, EmissionParams::defaults(9)),
                vec![a.insecure_clone()],
            ),
            ("propose_admin", sdk::propose_admin(&a.pubkey(), w.pubkey()), vec![a.insecure_clone()]),
            ("set_paused", sdk::set_paused(&a.pubkey(), false), vec![a.insecure_clone()]),
            (
                "set_burn_authority",
                sdk::set_burn_authority(&a.pubkey(), BurnReason::Slash, w.pubkey()),
                vec![a.insecure_clone()],
            ),
            (
                "set_rewards_distributor",
                sdk::set_rewards_distributor(&a.pubkey(), d.pubkey()),
                vec![a.insecure_clone()],
            ),
            ("genesis", sdk::genesis(&a.pubkey()), vec![a.insecure_clone()]),
            (
                "create_vesting",
                sdk::create_vesting(&a.pubkey(), &w.pubkey(), Bucket::Seed, 2, now, now, now + 10, IO),
                vec![a.insecure_clone()],
            ),
            (
                "create_airdrop",
                sdk::create_airdrop(&a.pubkey(), 2, [1; 32], IO, i64::MAX),
                vec![a.insecure_clone()],
            ),
            (
                "claim_vested",
                sdk::claim_vested(&w.pubkey(), &self.schedule, Bucket::Seed, &self.wt),
                vec![w.insecure_clone()],
            ),
            ("claim_airdrop", self.tree.claim(0, &self.wt).unwrap(), vec![w.insecure_clone()]),
            ("close_airdrop", sdk::close_airdrop(1), vec![]),
            ("emit", sdk::emit(), vec![]),
            ("burn", sdk::burn(&w.pubkey(), &self.wt, IO, BurnReason::Other), vec![w.insecure_clone()]),
            ("withdraw_rewards", sdk::withdraw_rewards(&d.pubkey(), &self.dt, 1), vec![d.insecure_clone()]),
        ]
    }

    async fn expect(&mut self, name: &str, ix: Instruction, signers: &[&Keypair], expected: u32) {
        let r = self.f.h.send_one(ix, signers).await;
        assert_eq!(err_code(r), Some(expected), "{name}");
    }

    /// Like [`Self::expect`] for a refusal the runtime reports without a custom code.
    async fn expect_ix(
        &mut self,
        name: &str,
        ix: Instruction,
        signers: &[&Keypair],
        expected: InstructionError,
    ) {
        match self.f.h.send_one(ix, signers).await {
            Err(BanksClientError::TransactionError(TransactionError::InstructionError(_, e))) => {
                assert_eq!(e, expected, "{name}")
            }
            other => panic!("{name}: expected {expected:?}, got {other:?}"),
        }
    }

    /// The ledger is exact and nothing moved: what every refused row must leave behind.
    async fn unchanged(&mut self) {
        self.f.assert_ledger().await;
        assert_eq!(self.f.h.token_balance(&self.wt).await, 100 * IO);
        assert_eq!(self.f.h.token_balance(&self.dt).await, 0);
    }
}

/// A PDA of io_token for `seeds` at a bump below the canonical one: a valid program address that
/// the program must never accept in place of the canonical one.
fn non_canonical(seeds: &[&[u8]]) -> Pubkey {
    io_testkit::non_canonical_pda(seeds, &io_token::ID)
}

/// Copies the account at `from` to `to`, same owner and bytes.
async fn copy_account(h: &mut Harness, from: &Pubkey, to: &Pubkey) {
    let acct = h.raw_account(from).await.expect("original exists");
    h.set_account(to, &acct);
}

/// Class 0: every signer of every instruction, left unsigned.
#[tokio::test]
async fn every_signer_is_required() {
    let mut s = Scene::new().await;
    for (name, ix, owned) in s.honest() {
        let signers: Vec<&Keypair> = owned.iter().collect();
        let Some(signer) = signers.first().map(|k| k.pubkey()) else { continue };
        let ix = unsigned(ix, &signer);
        s.expect(name, ix, &[], anchor_code(AnchorError::AccountNotSigner)).await;
    }
    let next = s.f.h.funded_keypair(1_000_000_000).await;
    s.f.as_admin(sdk::propose_admin(&s.admin.pubkey(), next.pubkey())).await.unwrap();
    let ix = unsigned(sdk::accept_admin(&next.pubkey()), &next.pubkey());
    s.expect("accept_admin", ix, &[], anchor_code(AnchorError::AccountNotSigner)).await;
    s.unchanged().await;
}

/// Class 1: every authority, mint and vault the config names, swapped for another valid account
/// of the same type.
#[tokio::test]
async fn every_account_the_config_names_is_checked() {
    let mut s = Scene::new().await;
    let stranger = s.f.h.funded_keypair(10_000_000_000).await;
    let sp = stranger.pubkey();
    let has_one = anchor_code(AnchorError::ConstraintHasOne);
    let now = s.f.h.now().await;
    // A stranger in the admin's seat, signing for itself.
    let rows: Vec<(&str, Instruction)> = vec![
        ("propose_admin", sdk::propose_admin(&sp, sp)),
        ("set_paused", sdk::set_paused(&sp, true)),
        ("set_burn_authority", sdk::set_burn_authority(&sp, BurnReason::Slash, sp)),
        ("set_rewards_distributor", sdk::set_rewards_distributor(&sp, sp)),
        ("genesis", sdk::genesis(&sp)),
        ("create_vesting", sdk::create_vesting(&sp, &sp, Bucket::Seed, 2, now, now, now + 10, IO)),
        ("create_airdrop", sdk::create_airdrop(&sp, 2, [1; 32], IO, now + 100)),
        ("withdraw_rewards", sdk::withdraw_rewards(&sp, &s.ot, 1)),
    ];
    for (name, ix) in rows {
        s.expect(name, ix, &[&stranger], has_one).await;
    }
    s.expect("accept_admin", sdk::accept_admin(&sp), &[&stranger], code(TokenError::NotPendingAdmin)).await;
    // Another wallet's schedule (its own signature, paying into the schedule owner's account too).
    let o = s.other.insecure_clone();
    let ix = sdk::claim_vested(&o.pubkey(), &s.schedule, Bucket::Seed, &s.wt);
    s.expect("claim_vested by another wallet", ix, &[&o], has_one).await;
    let w = s.w.insecure_clone();
    let ix = sdk::claim_vested(&w.pubkey(), &s.other_schedule, Bucket::Seed, &s.wt);
    s.expect("claim_vested of another wallet's schedule", ix, &[&w], has_one).await;

    // Another mint in place of $IO, wherever the mint is passed.
    let usdc = s.f.h.usdc_mint;
    let d = s.d.insecure_clone();
    let mint_rows: Vec<(&str, Instruction, Vec<&Keypair>)> = vec![
        ("claim_vested", sdk::claim_vested(&w.pubkey(), &s.schedule, Bucket::Seed, &s.wt), vec![&w]),
        ("claim_airdrop", s.tree.claim(0, &s.wt).unwrap(), vec![&w]),
        ("emit", sdk::emit(), vec![]),
        ("burn", sdk::burn(&w.pubkey(), &s.wt, IO, BurnReason::Other), vec![&w]),
        ("withdraw_rewards", sdk::withdraw_rewards(&d.pubkey(), &s.dt, 1), vec![&d]),
    ];
    for (name, ix, signers) in mint_rows {
        s.expect(name, swap_account(ix, &sdk::mint(), &usdc), &signers, has_one).await;
    }
    // Another vault (a real $IO token account of the config) in place of the rewards vault or a
    // bucket's vault.
    let other_vault = sdk::vault(Bucket::Community);
    s.expect(
        "emit into another vault",
        swap_account(sdk::emit(), &sdk::rewards_vault(), &other_vault),
        &[],
        has_one,
    )
    .await;
    let ix = swap_account(sdk::withdraw_rewards(&d.pubkey(), &s.dt, 1), &sdk::rewards_vault(), &other_vault);
    s.expect("withdraw_rewards from another vault", ix, &[&d], has_one).await;
    let ix = sdk::claim_vested(&w.pubkey(), &s.schedule, Bucket::Community, &s.wt);
    s.expect("claim_vested from another bucket", ix, &[&w], anchor_code(AnchorError::ConstraintAddress))
        .await;
    let ix = swap_account(s.tree.claim(0, &s.wt).unwrap(), &other_vault, &sdk::vault(Bucket::RnD));
    s.expect("claim_airdrop from another bucket", ix, &[&w], anchor_code(AnchorError::ConstraintAddress))
        .await;
    s.unchanged().await;
}

/// Class 2: each program-owned account replaced by the same bytes under another owner.
#[tokio::test]
async fn look_alikes_owned_by_another_program_are_refused() {
    let mut s = Scene::new().await;
    let wrong_owner = anchor_code(AnchorError::AccountOwnedByWrongProgram);
    let fake_config = look_alike(&mut s.f.h, &sdk::config(), &io_staking::ID).await;
    for (name, ix, owned) in s.honest() {
        let signers: Vec<&Keypair> = owned.iter().collect();
        if name == "initialize" {
            continue; // the config is created there: its seeds pin it (see the bump test)
        }
        let ix = swap_account(ix, &sdk::config(), &fake_config);
        s.expect(name, ix, &signers, wrong_owner).await;
    }
    let w = s.w.insecure_clone();
    let ix = swap_account(sdk::accept_admin(&w.pubkey()), &sdk::config(), &fake_config);
    s.expect("accept_admin", ix, &[&w], wrong_owner).await;
    let fake_schedule = look_alike(&mut s.f.h, &s.schedule, &io_staking::ID).await;
    let ix = sdk::claim_vested(&w.pubkey(), &fake_schedule, Bucket::Seed, &s.wt);
    s.expect("claim_vested: schedule", ix, &[&w], wrong_owner).await;
    let fake_campaign = look_alike(&mut s.f.h, &sdk::airdrop(1), &io_staking::ID).await;
    let ix = swap_account(s.tree.claim(0, &s.wt).unwrap(), &sdk::airdrop(1), &fake_campaign);
    s.expect("claim_airdrop: campaign", ix, &[&w], wrong_owner).await;
    let ix = swap_account(sdk::close_airdrop(1), &sdk::airdrop(1), &fake_campaign);
    s.expect("close_airdrop: campaign", ix, &[], wrong_owner).await;
    // SPL accounts: a mint and a token account with the right bytes, owned by io_token itself.
    let fake_mint = look_alike(&mut s.f.h, &sdk::mint(), &io_token::ID).await;
    let ix = swap_account(sdk::emit(), &sdk::mint(), &fake_mint);
    s.expect("emit: mint", ix, &[], wrong_owner).await;
    let fake_vault = look_alike(&mut s.f.h, &sdk::rewards_vault(), &io_token::ID).await;
    let ix = swap_account(sdk::emit(), &sdk::rewards_vault(), &fake_vault);
    s.expect("emit: rewards vault", ix, &[], wrong_owner).await;
    let fake_dest = look_alike(&mut s.f.h, &s.wt, &io_token::ID).await;
    let ix = sdk::claim_vested(&w.pubkey(), &s.schedule, Bucket::Seed, &fake_dest);
    s.expect("claim_vested: destination", ix, &[&w], wrong_owner).await;
    s.unchanged().await;
}

/// Class 3: an account of one io_token type where another is expected, and SPL mints and token
/// accounts swapped for each other.
#[tokio::test]
async fn type_cosplay_is_refused() {
    let mut s = Scene::new().await;
    let mismatch = anchor_code(AnchorError::AccountDiscriminatorMismatch);
    let (w, a) = (s.w.insecure_clone(), s.admin.insecure_clone());
    // A vesting schedule where the config is expected.
    let ix = swap_account(sdk::set_paused(&a.pubkey(), true), &sdk::config(), &s.schedule);
    s.expect("config ← schedule", ix, &[&a], mismatch).await;
    let ix = swap_account(sdk::emit(), &sdk::config(), &sdk::airdrop(1));
    s.expect("config ← campaign", ix, &[], mismatch).await;
    // The config where a schedule is expected, a schedule and the config where a campaign is.
    let ix = sdk::claim_vested(&w.pubkey(), &sdk::config(), Bucket::Seed, &s.wt);
    s.expect("schedule ← config", ix, &[&w], mismatch).await;
    let ix = swap_account(s.tree.claim(0, &s.wt).unwrap(), &sdk::airdrop(1), &s.schedule);
    s.expect("campaign ← schedule", ix, &[&w], mismatch).await;
    let ix = swap_account(sdk::close_airdrop(1), &sdk::airdrop(1), &sdk::config());
    s.expect("campaign ← config", ix, &[], mismatch).await;
    // The mint where a token account is expected, and a token account where the mint is: SPL's
    // own layouts do not decode (Anchor passes SPL's `InvalidAccountData` through).
    let ix = sdk::claim_vested(&w.pubkey(), &s.schedule, Bucket::Seed, &sdk::mint());
    s.expect_ix("destination ← mint", ix, &[&w], InstructionError::InvalidAccountData).await;
    let ix = swap_account(sdk::emit(), &sdk::mint(), &sdk::rewards_vault());
    s.expect_ix("mint ← token account", ix, &[], InstructionError::InvalidAccountData).await;
    s.unchanged().await;
}

/// Class 7: every PDA at a non-canonical bump — live accounts copied there, and creations aimed
/// there.
#[tokio::test]
async fn pdas_at_non_canonical_bumps_are_refused() {
    let mut s = Scene::new().await;
    let seeds_err = anchor_code(AnchorError::ConstraintSeeds);
    let (w, a) = (s.w.insecure_clone(), s.admin.insecure_clone());
    // Live accounts, byte for byte, at another valid address of the same seeds.
    let config_alt = non_canonical(&[CONFIG_SEED]);
    copy_account(&mut s.f.h, &sdk::config(), &config_alt).await;
    for (name, ix, owned) in s.honest() {
        let signers: Vec<&Keypair> = owned.iter().collect();
        if name == "initialize" {
            continue;
        }
        s.expect(name, swap_account(ix, &sdk::config(), &config_alt), &signers, seeds_err).await;
    }
    let ix = swap_account(sdk::accept_admin(&w.pubkey()), &sdk::config(), &config_alt);
    s.expect("accept_admin", ix, &[&w], seeds_err).await;
    let sched: VestingSchedule = s.f.h.account(&s.schedule).await;
    let schedule_alt =
        non_canonical(&[VESTING_SEED, w.pubkey().as_ref(), &Bucket::Seed.seed(), &sched.index.to_le_bytes()]);
    copy_account(&mut s.f.h, &s.schedule, &schedule_alt).await;
    let ix = sdk::claim_vested(&w.pubkey(), &schedule_alt, Bucket::Seed, &s.wt);
    s.expect("claim_vested: schedule", ix, &[&w], seeds_err).await;
    let campaign_alt = non_canonical(&[AIRDROP_SEED, &1u64.to_le_bytes()]);
    copy_account(&mut s.f.h, &sdk::airdrop(1), &campaign_alt).await;
    let ix = swap_account(s.tree.claim(0, &s.wt).unwrap(), &sdk::airdrop(1), &campaign_alt);
    s.expect("claim_airdrop: campaign", ix, &[&w], seeds_err).await;
    let ix = swap_account(sdk::close_airdrop(1), &sdk::airdrop(1), &campaign_alt);
    s.expect("close_airdrop: campaign", ix, &[], seeds_err).await;
    // Creations aimed at a non-canonical address.
    let now = s.f.h.now().await;
    let index = s.f.config().await.schedule_count[Bucket::Seed.index()];
    let target = sdk::vesting(&w.pubkey(), Bucket::Seed, index);
    let alt = non_canonical(&[VESTING_SEED, w.pubkey().as_ref(), &Bucket::Seed.seed(), &index.to_le_bytes()]);
    let ix = sdk::create_vesting(&a.pubkey(), &w.pubkey(), Bucket::Seed, index, now, now, now + 10, IO);
    s.expect("create_vesting", swap_account(ix, &target, &alt), &[&a], seeds_err).await;
    let alt = non_canonical(&[AIRDROP_SEED, &9u64.to_le_bytes()]);
    let ix = sdk::create_airdrop(&a.pubkey(), 9, [1; 32], IO, now + 100);
    s.expect("create_airdrop", swap_account(ix, &sdk::airdrop(9), &alt), &[&a], seeds_err).await;
    s.unchanged().await;

    // At deploy time and at genesis.
    let mut h = Harness::new().await;
    let admin = h.funded_keypair(10_000_000_000).await;
    let params = EmissionParams::defaults(9);
    for (seed, canonical) in [(CONFIG_SEED, sdk::config()), (MINT_SEED, sdk::mint())] {
        let ix =
            swap_account(sdk::initialize(&admin.pubkey(), 9, params), &canonical, &non_canonical(&[seed]));
        assert_error(h.send_one(ix, &[&admin]).await, seeds_err);
    }
    let mut f = TokenFixture::new().await;
    let admin = f.admin.insecure_clone();
    for vault in TokenVault::ALL {
        let alt = match vault {
            TokenVault::Bucket(b) => non_canonical(&[VAULT_SEED, &b.seed()]),
            TokenVault::Rewards => non_canonical(&[REWARDS_VAULT_SEED]),
        };
        let ix = swap_account(sdk::genesis(&admin.pubkey()), &vault.address(), &alt);
        assert_error(f.h.send_one(ix, &[&admin]).await, seeds_err);
    }
    f.genesis().await.unwrap();
}

/// Class 5: the token program and the system program replaced, wherever they are passed, by
/// another real program (io_staking) and by Token-2022.
#[tokio::test]
async fn fake_programs_are_refused_everywhere_they_are_passed() {
    let mut s = Scene::new().await;
    let wrong = anchor_code(AnchorError::InvalidProgramId);
    let token_2022 = anchor_spl::token_2022::ID;
    let system = anchor_lang::system_program::ID;
    let mut token_users = 0;
    let mut system_users = 0;
    for (name, ix, owned) in s.honest() {
        let signers: Vec<&Keypair> = owned.iter().collect();
        let keys: Vec<Pubkey> = ix.accounts.iter().map(|m| m.pubkey).collect();
        if keys.contains(&spl_token::ID) {
            token_users += 1;
            for fake in [io_staking::ID, token_2022] {
                s.expect(name, swap_account(ix.clone(), &spl_token::ID, &fake), &signers, wrong).await;
            }
        }
        if keys.contains(&system) {
            system_users += 1;
            s.expect(name, swap_account(ix.clone(), &system, &io_staking::ID), &signers, wrong).await;
        }
    }
    // initialize, genesis, claim_vested, claim_airdrop, emit, burn, withdraw_rewards;
    // initialize, genesis, create_vesting, create_airdrop.
    assert_eq!((token_users, system_users), (7, 4));
    s.unchanged().await;
}

/// Class 6: every pair of writable accounts that could alias. Anchor refuses two `Account`s with
/// one key (2040); the created accounts (`UncheckedAccount`) are each pinned to their own seeds.
#[tokio::test]
async fn duplicate_mutable_accounts_are_refused() {
    let mut s = Scene::new().await;
    let dup = anchor_code(AnchorError::ConstraintDuplicateMutableAccount);
    let (w, d) = (s.w.insecure_clone(), s.d.insecure_clone());
    let seed_vault = sdk::vault(Bucket::Seed);
    let ix = sdk::claim_vested(&w.pubkey(), &s.schedule, Bucket::Seed, &seed_vault);
    s.expect("claim_vested: destination = vault", ix, &[&w], dup).await;
    let community = sdk::vault(Bucket::Community);
    let ix = s.tree.claim(0, &community).unwrap();
    s.expect("claim_airdrop: destination = vault", ix, &[&w], dup).await;
    let ix = sdk::withdraw_rewards(&d.pubkey(), &sdk::rewards_vault(), 1);
    s.expect("withdraw_rewards: destination = vault", ix, &[&d], dup).await;
    s.unchanged().await;
    // Created accounts: one address in two slots.
    let seeds_err = anchor_code(AnchorError::ConstraintSeeds);
    let mut f = TokenFixture::new().await;
    let admin = f.admin.insecure_clone();
    let ix = swap_account(sdk::genesis(&admin.pubkey()), &sdk::vault(Bucket::RnD), &community);
    assert_error(f.h.send_one(ix, &[&admin]).await, seeds_err);
    let ix = swap_account(sdk::genesis(&admin.pubkey()), &sdk::rewards_vault(), &community);
    assert_error(f.h.send_one(ix, &[&admin]).await, seeds_err);
    let mut h = Harness::new().await;
    let admin = h.funded_keypair(10_000_000_000).await;
    let ix = swap_account(
        sdk::initialize(&admin.pubkey(), 9, EmissionParams::defaults(9)),
        &sdk::mint(),
        &sdk::config(),
    );
    assert_error(h.send_one(ix, &[&admin]).await, seeds_err);
}

/// Class 12: the extremes of every amount argument.
#[tokio::test]
async fn extreme_amounts_are_refused_with_their_own_error() {
    let mut s = Scene::new().await;
    let (w, d, a) = (s.w.insecure_clone(), s.d.insecure_clone(), s.admin.insecure_clone());
    let now = s.f.h.now().await;
    let ix = sdk::burn(&w.pubkey(), &s.wt, u64::MAX, BurnReason::Other);
    s.expect("burn u64::MAX", ix, &[&w], 1).await; // SPL Token's InsufficientFunds
    let ix = sdk::withdraw_rewards(&d.pubkey(), &s.dt, u64::MAX);
    s.expect("withdraw_rewards u64::MAX", ix, &[&d], code(TokenError::InsufficientRewards)).await;
    let ix = sdk::create_vesting(&a.pubkey(), &w.pubkey(), Bucket::Seed, 2, now, now, now + 10, u64::MAX);
    s.expect("create_vesting u64::MAX", ix, &[&a], code(TokenError::BucketExhausted)).await;
    let ix = sdk::create_airdrop(&a.pubkey(), 2, [1; 32], u64::MAX, now + 100);
    s.expect("create_airdrop u64::MAX", ix, &[&a], code(TokenError::BucketExhausted)).await;
    let ix = sdk::claim_airdrop(&w.pubkey(), 1, &s.wt, 0, u64::MAX, s.tree.proof(0).unwrap());
    s.expect("claim_airdrop u64::MAX", ix, &[&w], code(TokenError::InvalidProof)).await;
    s.unchanged().await;
    // The widest schedule the arguments allow (i64::MIN to i64::MAX) vests and pays: its spans are
    // computed in i128 (they overflowed i64 before).
    let ix = sdk::create_vesting(&a.pubkey(), &w.pubkey(), Bucket::Seed, 2, i64::MIN, i64::MIN, i64::MAX, IO);
    s.f.as_admin(ix).await.unwrap();
    let widest = sdk::vesting(&w.pubkey(), Bucket::Seed, 2);
    let now = s.f.h.now().await;
    s.f.claim_vested(&w, &widest, &s.wt).await.unwrap();
    let expected =
        (u128::from(IO) * (i128::from(now) - i128::from(i64::MIN)) as u128 / u128::from(u64::MAX)) as u64;
    assert_eq!(s.f.h.token_balance(&s.wt).await, 100 * IO + expected);
    s.f.assert_ledger().await;
}
