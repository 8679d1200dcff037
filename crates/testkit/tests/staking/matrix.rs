//! The attack-class matrix of io_staking (security-checklist §1 and §2.A), table-driven: each
//! case tampers with one honest instruction and asserts the exact error. See
//! security/io_staking.md for the map from class to test.
use crate::common::*;
use anchor_spl::token::ID as TOKEN_PROGRAM;
use io_testkit::TestKeypair;

/// A world with one of everything: an operator with a bonded active device, a pending device, a
/// staker with an active stake and a ticket, funded rewards and a pending slash.
struct World {
    f: StakingFixture,
    op: TestOperator,
    dev: Pubkey,
    staker: TestStaker,
    slash: Pubkey,
}

async fn world() -> World {
    let mut f = StakingFixture::new().await;
    let (op, dev) = bonded_operator(&mut f, 500, 10_000 * IO, 1).await;
    let staker = f.staker(10_000 * IO).await;
    f.stake(&staker, &op.address, 1_000 * IO).await.unwrap();
    f.unstake(&staker, &op.address, 100 * IO).await.unwrap();
    f.fund(&op.address, 100 * IO).await.unwrap();
    let slash = f.propose_slash(&op.address, IO).await.unwrap();
    World { f, op, dev, staker, slash }
}

/// Every instruction of io_staking that moves tokens or takes a signer, built honestly:
/// (name, instruction, signers).
fn honest(w: &World) -> Vec<(&'static str, Instruction, Vec<TestKeypair>)> {
    let f = &w.f;
    let mint = f.io_mint();
    let a = w.op.authority.insecure_clone();
    let s = w.staker.wallet.insecure_clone();
    let oracle = f.oracle.insecure_clone();
    let admin = f.admin.insecure_clone();
    let rewards = f.rewards.insecure_clone();
    let newcomer = Keypair::new();
    let spec = StakingFixture::gpu_spec(HardwareClass::Cpu, 0, 77);
    vec![
        (
            "propose_admin",
            sdk::propose_admin(&admin.pubkey(), Pubkey::new_unique()),
            vec![admin.insecure_clone()],
        ),
        ("set_paused", sdk::set_paused(&admin.pubkey(), false), vec![admin.insecure_clone()]),
        ("update_params", sdk::update_params(&admin.pubkey(), f.params), vec![admin.insecure_clone()]),
        (
            "set_authorities",
            sdk::set_authorities(&admin.pubkey(), oracle.pubkey(), rewards.pubkey()),
            vec![admin.insecure_clone()],
        ),
        (
            "register_operator",
            sdk::register_operator(&newcomer.pubkey(), "n", "eu", "", 0),
            vec![newcomer.insecure_clone()],
        ),
        ("update_operator", sdk::update_operator(&a.pubkey(), "x", "eu", ""), vec![a.insecure_clone()]),
        (
            "request_commission_change",
            sdk::request_commission_change(&a.pubkey(), 400),
            vec![a.insecure_clone()],
        ),
        ("add_bond", sdk::add_bond(&a.pubkey(), &mint, &w.op.token, IO), vec![a.insecure_clone()]),
        ("request_bond_withdrawal", sdk::request_bond_withdrawal(&a.pubkey(), IO), vec![a.insecure_clone()]),
        ("withdraw_bond", sdk::withdraw_bond(&a.pubkey(), &mint, &w.op.token), vec![a.insecure_clone()]),
        (
            "claim_commission",
            sdk::claim_commission(&a.pubkey(), &mint, &w.op.token),
            vec![a.insecure_clone()],
        ),
        ("register_device", sdk::register_device(&a.pubkey(), spec, worker()), vec![a.insecure_clone()]),
        ("deregister_device", sdk::deregister_device(&a.pubkey(), &w.dev), vec![a.insecure_clone()]),
        ("bind_worker", sdk::bind_worker(&a.pubkey(), &w.dev, worker()), vec![a.insecure_clone()]),
        (
            "jail_device",
            sdk::jail_device(&oracle.pubkey(), &w.op.address, &w.dev),
            vec![oracle.insecure_clone()],
        ),
        (
            "activate_device",
            sdk::activate_device(&oracle.pubkey(), &w.op.address, &w.dev),
            vec![oracle.insecure_clone()],
        ),
        (
            "stake",
            sdk::stake(&s.pubkey(), &w.op.address, &mint, &w.staker.token, IO),
            vec![s.insecure_clone()],
        ),
        (
            "unstake",
            sdk::unstake(&s.pubkey(), &w.op.address, &mint, &w.staker.token, IO),
            vec![s.insecure_clone()],
        ),
        (
            "withdraw",
            sdk::withdraw(&s.pubkey(), &w.op.address, &mint, &w.staker.token),
            vec![s.insecure_clone()],
        ),
        (
            "claim_rewards",
            sdk::claim_rewards(&s.pubkey(), &w.op.address, &mint, &w.staker.token),
            vec![s.insecure_clone()],
        ),
        (
            "fund_operator_rewards",
            sdk::fund_operator_rewards(&rewards.pubkey(), &w.op.address, &mint, &f.rewards_token, IO, &[]),
            vec![rewards.insecure_clone()],
        ),
        (
            "propose_slash",
            sdk::propose_slash(&oracle.pubkey(), &w.op.address, IO, [55; 32]),
            vec![oracle.insecure_clone()],
        ),
        (
            "cancel_slash",
            sdk::cancel_slash(&admin.pubkey(), &w.op.address, &w.slash),
            vec![admin.insecure_clone()],
        ),
        ("execute_slash", sdk::execute_slash(&w.op.address, &w.slash, &mint), vec![]),
    ]
}

async fn send(
    w: &mut World,
    ix: Instruction,
    signers: &[TestKeypair],
) -> Result<(), solana_program_test::BanksClientError> {
    let refs: Vec<&Keypair> = signers.iter().collect();
    w.f.h.send_one(ix, &refs).await
}

/// Class 0: every signer of every instruction, its key present but its signature missing.
#[tokio::test]
async fn every_missing_signature_is_refused() {
    let mut w = world().await;
    let mut checked = 0;
    for (name, ix, signers) in honest(&w) {
        for who in &signers {
            let others: Vec<TestKeypair> =
                signers.iter().filter(|k| k.pubkey() != who.pubkey()).map(|k| k.insecure_clone()).collect();
            let r = send(&mut w, unsigned(ix.clone(), &who.pubkey()), &others).await;
            assert_eq!(
                io_testkit::error_code(r.as_ref().unwrap_err()),
                Some(anchor_code(AnchorError::AccountNotSigner)),
                "{name}: {r:?}"
            );
            checked += 1;
        }
    }
    // accept_admin's signer, on its own.
    let next = w.f.h.funded_keypair(1_000_000_000).await;
    let admin = w.f.admin.insecure_clone();
    w.f.h.send_one(sdk::propose_admin(&admin.pubkey(), next.pubkey()), &[&admin]).await.unwrap();
    let r = w.f.h.send_one(unsigned(sdk::accept_admin(&next.pubkey()), &next.pubkey()), &[]).await;
    assert_error(r, anchor_code(AnchorError::AccountNotSigner));
    assert!(checked >= 22);
}

/// Class 5: a fake SPL Token program wherever one is passed, and a fake system program wherever
/// an account is created.
#[tokio::test]
async fn a_fake_token_or_system_program_is_refused_everywhere() {
    let mut w = world().await;
    let fake = Pubkey::new_unique();
    let system = anchor_lang::system_program::ID;
    let mut token_cases = 0;
    for (name, ix, signers) in honest(&w) {
        for program in [TOKEN_PROGRAM, system] {
            if !ix.accounts.iter().any(|m| m.pubkey == program) {
                continue;
            }
            let r = send(&mut w, swap_account(ix.clone(), &program, &fake), &signers).await;
            assert_eq!(
                io_testkit::error_code(r.as_ref().unwrap_err()),
                Some(anchor_code(AnchorError::InvalidProgramId)),
                "{name} with a fake {program}: {r:?}"
            );
            token_cases += usize::from(program == TOKEN_PROGRAM);
        }
    }
    assert_eq!(token_cases, 9, "every instruction with a token program was tried");
    // execute_slash calls io_token by address.
    let mint = w.f.io_mint();
    let ix = swap_account(sdk::execute_slash(&w.op.address, &w.slash, &mint), &io_token::ID, &fake);
    assert_error(w.f.h.send_one(ix, &[]).await, anchor_code(AnchorError::ConstraintAddress));
}

/// Class 6: two mutable slots given the same account.
#[tokio::test]
async fn duplicate_mutable_accounts_are_refused() {
    let mut w = world().await;
    let mint = w.f.io_mint();
    let a = w.op.authority.insecure_clone();
    let s = w.staker.wallet.insecure_clone();
    let rewards = w.f.rewards.insecure_clone();
    let dup = anchor_code(AnchorError::ConstraintDuplicateMutableAccount);
    let cases: Vec<(&str, Instruction, Vec<&Keypair>)> = vec![
        (
            "claim_commission into the reward vault",
            sdk::claim_commission(&a.pubkey(), &mint, &sdk::reward_vault()),
            vec![&a],
        ),
        (
            "withdraw_bond into the bond vault",
            sdk::withdraw_bond(&a.pubkey(), &mint, &sdk::bond_vault()),
            vec![&a],
        ),
        (
            "withdraw into the stake vault",
            sdk::withdraw(&s.pubkey(), &w.op.address, &mint, &sdk::stake_vault()),
            vec![&s],
        ),
        (
            "claim_rewards into the reward vault",
            sdk::claim_rewards(&s.pubkey(), &w.op.address, &mint, &sdk::reward_vault()),
            vec![&s],
        ),
        (
            "fund from the reward vault",
            sdk::fund_operator_rewards(
                &rewards.pubkey(),
                &w.op.address,
                &mint,
                &sdk::reward_vault(),
                IO,
                &[],
            ),
            vec![&rewards],
        ),
        (
            "execute_slash with the stake vault as the bond vault",
            swap_account(
                sdk::execute_slash(&w.op.address, &w.slash, &mint),
                &sdk::bond_vault(),
                &sdk::stake_vault(),
            ),
            vec![],
        ),
    ];
    for (name, ix, signers) in cases {
        let r = w.f.h.send_one(ix, &signers).await;
        assert_eq!(io_testkit::error_code(r.as_ref().unwrap_err()), Some(dup), "{name}: {r:?}");
    }
}

/// Class 1: the config's vaults and mint, and the rewards authority, swapped for other valid
/// accounts of the same type.
#[tokio::test]
async fn has_one_targets_swapped_are_refused() {
    let mut w = world().await;
    let mint = w.f.io_mint();
    let a = w.op.authority.insecure_clone();
    let s = w.staker.wallet.insecure_clone();
    let rewards = w.f.rewards.insecure_clone();
    // A token account of the right mint owned by the config PDA, but not one of its vaults.
    let stray = w.f.h.create_token_account(&mint, &sdk::config()).await;
    let other_mint = w.f.h.usdc_mint;
    let has_one = anchor_code(AnchorError::ConstraintHasOne);
    let cases: Vec<(&str, Instruction, Vec<&Keypair>)> = vec![
        (
            "add_bond, bond vault",
            swap_account(sdk::add_bond(&a.pubkey(), &mint, &w.op.token, IO), &sdk::bond_vault(), &stray),
            vec![&a],
        ),
        (
            "withdraw_bond, bond vault",
            swap_account(sdk::withdraw_bond(&a.pubkey(), &mint, &w.op.token), &sdk::bond_vault(), &stray),
            vec![&a],
        ),
        (
            "claim_commission, reward vault",
            swap_account(
                sdk::claim_commission(&a.pubkey(), &mint, &w.op.token),
                &sdk::reward_vault(),
                &stray,
            ),
            vec![&a],
        ),
        (
            "stake, stake vault",
            swap_account(
                sdk::stake(&s.pubkey(), &w.op.address, &mint, &w.staker.token, IO),
                &sdk::stake_vault(),
                &stray,
            ),
            vec![&s],
        ),
        (
            "withdraw, reward vault",
            swap_account(
                sdk::withdraw(&s.pubkey(), &w.op.address, &mint, &w.staker.token),
                &sdk::reward_vault(),
                &stray,
            ),
            vec![&s],
        ),
        (
            "fund, reward vault",
            swap_account(
                sdk::fund_operator_rewards(
                    &rewards.pubkey(),
                    &w.op.address,
                    &mint,
                    &w.f.rewards_token,
                    IO,
                    &[],
                ),
                &sdk::reward_vault(),
                &stray,
            ),
            vec![&rewards],
        ),
        (
            "fund, by a stranger",
            sdk::fund_operator_rewards(&s.pubkey(), &w.op.address, &mint, &w.staker.token, IO, &[]),
            vec![&s],
        ),
        (
            "execute_slash, stake vault",
            swap_account(sdk::execute_slash(&w.op.address, &w.slash, &mint), &sdk::stake_vault(), &stray),
            vec![],
        ),
        (
            "execute_slash, bond vault",
            swap_account(sdk::execute_slash(&w.op.address, &w.slash, &mint), &sdk::bond_vault(), &stray),
            vec![],
        ),
        (
            "execute_slash, mint",
            swap_account(sdk::execute_slash(&w.op.address, &w.slash, &mint), &mint, &other_mint),
            vec![],
        ),
    ];
    for (name, ix, signers) in cases {
        let r = w.f.h.send_one(ix, &signers).await;
        assert_eq!(io_testkit::error_code(r.as_ref().unwrap_err()), Some(has_one), "{name}: {r:?}");
    }
}

/// Classes 2 and 3: the right bytes under another owner, and an account of another type.
#[tokio::test]
async fn look_alikes_and_type_cosplay_are_refused() {
    let mut w = world().await;
    let mint = w.f.io_mint();
    let a = w.op.authority.insecure_clone();
    let oracle = w.f.oracle.insecure_clone();
    let admin = w.f.admin.insecure_clone();
    let stranger_program = Pubkey::new_unique();
    let fake_config = look_alike(&mut w.f.h, &sdk::config(), &stranger_program).await;
    let fake_device = look_alike(&mut w.f.h, &w.dev, &stranger_program).await;
    let fake_slash = look_alike(&mut w.f.h, &w.slash, &stranger_program).await;
    let fake_vault = look_alike(&mut w.f.h, &sdk::bond_vault(), &stranger_program).await;
    let wrong_owner = anchor_code(AnchorError::AccountOwnedByWrongProgram);
    let cosplay = anchor_code(AnchorError::AccountDiscriminatorMismatch);
    let op = w.op.address;
    let cases: Vec<(&str, Instruction, Vec<&Keypair>, u32)> = vec![
        (
            "config look-alike",
            swap_account(sdk::set_paused(&admin.pubkey(), true), &sdk::config(), &fake_config),
            vec![&admin],
            wrong_owner,
        ),
        (
            "device look-alike",
            swap_account(sdk::jail_device(&oracle.pubkey(), &op, &w.dev), &w.dev, &fake_device),
            vec![&oracle],
            wrong_owner,
        ),
        (
            "slash look-alike",
            swap_account(sdk::execute_slash(&op, &w.slash, &mint), &w.slash, &fake_slash),
            vec![],
            wrong_owner,
        ),
        (
            "bond vault look-alike",
            swap_account(sdk::add_bond(&a.pubkey(), &mint, &w.op.token, IO), &sdk::bond_vault(), &fake_vault),
            vec![&a],
            wrong_owner,
        ),
        (
            "a device as the operator",
            swap_account(sdk::jail_device(&oracle.pubkey(), &op, &w.dev), &op, &w.dev),
            vec![&oracle],
            cosplay,
        ),
        (
            "an operator as the device",
            swap_account(sdk::jail_device(&oracle.pubkey(), &op, &w.dev), &w.dev, &op),
            vec![&oracle],
            cosplay,
        ),
        (
            "a device as the slash",
            swap_account(sdk::execute_slash(&op, &w.slash, &mint), &w.slash, &w.dev),
            vec![],
            cosplay,
        ),
        (
            "a slash as the operator",
            sdk::propose_slash(&oracle.pubkey(), &w.slash, IO, [66; 32]),
            vec![&oracle],
            cosplay,
        ),
        (
            "the config as the operator",
            swap_account(sdk::update_operator(&a.pubkey(), "x", "eu", ""), &op, &sdk::config()),
            vec![&a],
            cosplay,
        ),
        (
            "an operator as the config",
            swap_account(sdk::set_paused(&admin.pubkey(), true), &sdk::config(), &op),
            vec![&admin],
            cosplay,
        ),
    ];
    for (name, ix, signers, expected) in cases {
        let r = w.f.h.send_one(ix, &signers).await;
        assert_eq!(io_testkit::error_code(r.as_ref().unwrap_err()), Some(expected), "{name}: {r:?}");
    }
}

/// A valid PDA of the same seeds with a bump other than the canonical one.
fn non_canonical(seeds: &[&[u8]]) -> Pubkey {
    io_testkit::non_canonical_pda(seeds, &io_staking::ID)
}

/// Copies the account at `from` to `to`, owner included: a program account at another address.
async fn copy_to(h: &mut Harness, from: &Pubkey, to: &Pubkey) {
    let acct = h.raw_account(from).await.unwrap();
    h.set_account(to, &acct);
}

/// Class 7: creation at a non-canonical bump, and a copy of a live account at one.
#[tokio::test]
async fn non_canonical_bumps_are_refused() {
    let mut w = world().await;
    let mint = w.f.io_mint();
    let a = w.op.authority.insecure_clone();
    let oracle = w.f.oracle.insecure_clone();
    let admin = w.f.admin.insecure_clone();
    let op = w.op.address;
    let newcomer = w.f.h.funded_keypair(1_000_000_000).await;
    let seeds_err = anchor_code(AnchorError::ConstraintSeeds);

    // Creations.
    let nc_operator = non_canonical(&[OPERATOR_SEED, newcomer.pubkey().as_ref()]);
    let ix = swap_account(
        sdk::register_operator(&newcomer.pubkey(), "n", "eu", "", 0),
        &sdk::operator(&newcomer.pubkey()),
        &nc_operator,
    );
    assert_error(w.f.h.send_one(ix, &[&newcomer]).await, seeds_err);
    let spec = StakingFixture::gpu_spec(HardwareClass::Cpu, 0, 91);
    let nc_device = non_canonical(&[DEVICE_SEED, op.as_ref(), &spec.id_hash]);
    let ix = swap_account(
        sdk::register_device(&a.pubkey(), spec.clone(), worker()),
        &sdk::device(&op, &spec.id_hash),
        &nc_device,
    );
    assert_error(w.f.h.send_one(ix, &[&a]).await, seeds_err);
    let evidence = [12u8; 32];
    let nc_slash = non_canonical(&[SLASH_SEED, op.as_ref(), &evidence]);
    let ix = swap_account(
        sdk::propose_slash(&oracle.pubkey(), &op, IO, evidence),
        &sdk::slash(&op, &evidence),
        &nc_slash,
    );
    assert_error(w.f.h.send_one(ix, &[&oracle]).await, seeds_err);

    // Copies of live accounts at a non-canonical address.
    let nc_config = non_canonical(&[CONFIG_SEED]);
    copy_to(&mut w.f.h, &sdk::config(), &nc_config).await;
    let ix = swap_account(sdk::set_paused(&admin.pubkey(), true), &sdk::config(), &nc_config);
    assert_error(w.f.h.send_one(ix, &[&admin]).await, seeds_err);
    let nc_op = non_canonical(&[OPERATOR_SEED, a.pubkey().as_ref()]);
    copy_to(&mut w.f.h, &op, &nc_op).await;
    let ix = swap_account(sdk::update_operator(&a.pubkey(), "x", "eu", ""), &op, &nc_op);
    assert_error(w.f.h.send_one(ix, &[&a]).await, seeds_err);
    let d: Device = w.f.h.account(&w.dev).await;
    let nc_dev = non_canonical(&[DEVICE_SEED, op.as_ref(), &d.id_hash]);
    copy_to(&mut w.f.h, &w.dev, &nc_dev).await;
    let ix = swap_account(sdk::jail_device(&oracle.pubkey(), &op, &w.dev), &w.dev, &nc_dev);
    assert_error(w.f.h.send_one(ix, &[&oracle]).await, seeds_err);
    let sl: Slash = w.f.h.account(&w.slash).await;
    let nc_sl = non_canonical(&[SLASH_SEED, op.as_ref(), &sl.evidence_hash]);
    copy_to(&mut w.f.h, &w.slash, &nc_sl).await;
    let ix = swap_account(sdk::execute_slash(&op, &w.slash, &mint), &w.slash, &nc_sl);
    assert_error(w.f.h.send_one(ix, &[]).await, seeds_err);
    let ix = swap_account(sdk::cancel_slash(&admin.pubkey(), &op, &w.slash), &w.slash, &nc_sl);
    assert_error(w.f.h.send_one(ix, &[&admin]).await, seeds_err);
}

/// Class 8: another user's position, another operator's device or slash.
#[tokio::test]
async fn another_users_pda_is_refused() {
    let mut w = world().await;
    let mint = w.f.io_mint();
    let thief = w.f.staker(1_000 * IO).await;
    let op = w.op.address;
    let victim_position = sdk::position(&op, &w.staker.wallet.pubkey());
    let seeds_err = anchor_code(AnchorError::ConstraintSeeds);
    for ix in [
        sdk::withdraw(&thief.wallet.pubkey(), &op, &mint, &thief.token),
        sdk::claim_rewards(&thief.wallet.pubkey(), &op, &mint, &thief.token),
        sdk::unstake(&thief.wallet.pubkey(), &op, &mint, &thief.token, IO),
    ] {
        let ix = swap_account(ix, &sdk::position(&op, &thief.wallet.pubkey()), &victim_position);
        assert_error(w.f.h.send_one(ix, &[&thief.wallet]).await, seeds_err);
    }
    // Another operator's device under this operator, and this operator's slash under another.
    let other = w.f.operator(0, 0).await;
    let oracle = w.f.oracle.insecure_clone();
    let ix = sdk::jail_device(&oracle.pubkey(), &other.address, &w.dev);
    assert_error(w.f.h.send_one(ix, &[&oracle]).await, seeds_err);
    let b = other.authority.insecure_clone();
    let ix = swap_account(sdk::deregister_device(&b.pubkey(), &w.dev), &other.address, &op);
    assert_error(w.f.h.send_one(ix, &[&b]).await, seeds_err);
    assert_error(
        w.f.execute_slash(&other.address, &w.slash).await,
        anchor_code(AnchorError::ConstraintAddress),
    );
    assert_error(
        w.f.cancel_slash(&other.address, &w.slash).await,
        anchor_code(AnchorError::ConstraintAddress),
    );
}

/// `initialize` under the same attacks: its signer, a fake token or system program, a
/// non-canonical config or vault address, a Token-2022-like mint owned by another program.
#[tokio::test]
async fn initialize_is_guarded_like_every_instruction() {
    let mut h = Harness::new().await;
    let admin = h.funded_keypair(10_000_000_000).await;
    let mint = h.io_mint;
    let ix = || {
        sdk::initialize(
            &admin.pubkey(),
            &mint,
            Params::defaults(9),
            Pubkey::new_unique(),
            Pubkey::new_unique(),
        )
    };
    let r = h.send_one(unsigned(ix(), &admin.pubkey()), &[]).await;
    assert_error(r, anchor_code(AnchorError::AccountNotSigner));
    for program in [TOKEN_PROGRAM, anchor_lang::system_program::ID] {
        let r = h.send_one(swap_account(ix(), &program, &Pubkey::new_unique()), &[&admin]).await;
        assert_error(r, anchor_code(AnchorError::InvalidProgramId));
    }
    let nc = non_canonical(&[CONFIG_SEED]);
    let r = h.send_one(swap_account(ix(), &sdk::config(), &nc), &[&admin]).await;
    assert_error(r, anchor_code(AnchorError::ConstraintSeeds));
    let nc = non_canonical(&[STAKE_VAULT_SEED]);
    let r = h.send_one(swap_account(ix(), &sdk::stake_vault(), &nc), &[&admin]).await;
    assert_error(r, anchor_code(AnchorError::ConstraintSeeds));
    let fake_mint = look_alike(&mut h, &mint, &Pubkey::new_unique()).await;
    let r = h.send_one(swap_account(ix(), &mint, &fake_mint), &[&admin]).await;
    assert_error(r, anchor_code(AnchorError::AccountOwnedByWrongProgram));
    // Nothing was created by the refused attempts: the honest one succeeds.
    h.send_one(ix(), &[&admin]).await.unwrap();
}

/// The io_token accounts `execute_slash` passes unchecked (io_token checks them): a vault of
/// this program in their place is refused by io_token, and nothing is burned.
#[tokio::test]
async fn execute_slash_refuses_a_vault_as_io_tokens_config() {
    let mut w = world().await;
    w.f.h.warp_seconds(w.f.params.slash_appeal_secs).await;
    let mint = w.f.io_mint();
    let supply = w.f.h.mint_supply(&mint).await;
    let ix = swap_account(
        sdk::execute_slash(&w.op.address, &w.slash, &mint),
        &io_sdk::token::config(),
        &sdk::stake_vault(),
    );
    // io_token's `Account<TokenConfig>` finds a token account owned by SPL Token.
    let r = w.f.h.send_one(ix, &[]).await;
    assert_error(r, anchor_code(AnchorError::AccountOwnedByWrongProgram));
    assert_eq!(w.f.h.mint_supply(&mint).await, supply);
    assert_eq!(w.f.h.account::<Slash>(&w.slash).await.status, SlashStatus::Pending);
    w.f.execute_slash(&w.op.address, &w.slash).await.unwrap();
}
