//! The account-level attack classes against every io_oracle instruction: missing signers (0),
//! another account of the right type (1, 8), look-alikes under another owner (2), another type
//! (3), fake programs (5), duplicate mutable accounts (6), non-canonical bumps (7), fake sysvars
//! (10) and Token-2022 accounts (16). Each case asserts the exact error.
use crate::common::*;
use anchor_spl::{token::ID as TOKEN, token_2022::ID as TOKEN_2022};
use io_testkit::oracle::{cluster_id, non_canonical_pda};
use solana_signer::Signer;

fn anchor(e: AnchorError) -> u32 {
    anchor_code(e)
}

/// A fixture with one bonded outsider `o` (not in any set) and its empty $IO account.
async fn with_bonded_outsider() -> (OracleFixture, Keypair, Pubkey) {
    let mut f = OracleFixture::new(3).await;
    let o = f.bonded_keys(1, 1_000 * IO).await.remove(0);
    let token = f.io_account(&o.pubkey()).await;
    (f, o, token)
}

/// Two different bodies for the current period: an equivocation's content.
async fn two_bodies(f: &mut OracleFixture) -> (ReportBody, ReportBody) {
    let a = f.body(1).await;
    let mut b = a;
    b.usdc_per_io += 1;
    (a, b)
}

#[tokio::test]
async fn initialize_checks_its_signer_bumps_mint_and_programs() {
    let mut h = Harness::full_stack().await;
    let admin = h.funded_keypair(10_000_000_000).await;
    let (mint, cluster) = (h.io_mint, cluster_id(&h));
    let members = vec![Pubkey::new_unique()];
    let ix = || sdk::initialize(&admin.pubkey(), &mint, default_params(), members.clone(), 0, cluster);
    assert_error(
        h.send_one(unsigned(ix(), &admin.pubkey()), &[]).await,
        anchor(AnchorError::AccountNotSigner),
    );
    let bad_config = swap_account(ix(), &sdk::config(), &non_canonical_pda(&[CONFIG_SEED]));
    assert_error(h.send_one(bad_config, &[&admin]).await, anchor(AnchorError::ConstraintSeeds));
    let bad_vault = swap_account(ix(), &sdk::bond_vault(), &non_canonical_pda(&[BOND_VAULT_SEED]));
    assert_error(h.send_one(bad_vault, &[&admin]).await, anchor(AnchorError::ConstraintSeeds));
    let fake_token = swap_account(ix(), &TOKEN, &TOKEN_2022);
    assert_error(h.send_one(fake_token, &[&admin]).await, anchor(AnchorError::InvalidProgramId));
    let system = anchor_lang::system_program::ID;
    let fake_system = swap_account(ix(), &system, &Pubkey::new_unique());
    assert_error(h.send_one(fake_system, &[&admin]).await, anchor(AnchorError::InvalidProgramId));
    // The io mint's bytes under Token-2022: not an SPL Token mint.
    let t22_mint = look_alike(&mut h, &mint, &TOKEN_2022).await;
    let fake_mint = swap_account(ix(), &mint, &t22_mint);
    assert_error(h.send_one(fake_mint, &[&admin]).await, anchor(AnchorError::AccountOwnedByWrongProgram));
    h.send_one(ix(), &[&admin]).await.unwrap();
}

#[tokio::test]
async fn every_signer_is_required() {
    let (mut f, o, token) = with_bonded_outsider().await;
    let admin = f.admin.insecure_clone();
    let a = admin.pubkey();
    let not_signed = anchor(AnchorError::AccountNotSigner);
    let members = vec![o.pubkey()];
    for ix in [
        sdk::propose_admin(&a, Pubkey::new_unique()),
        sdk::set_paused(&a, true),
        sdk::update_params(&a, f.params),
        sdk::propose_rotation(&a, members.clone(), 0),
        sdk::cancel_rotation(&a),
    ] {
        assert_error(f.h.send_one(unsigned(ix, &a), &[]).await, not_signed);
    }
    let next = f.h.funded_keypair(1_000_000_000).await;
    f.h.send_one(sdk::propose_admin(&a, next.pubkey()), &[&admin]).await.unwrap();
    let accept = unsigned(sdk::accept_admin(&next.pubkey()), &next.pubkey());
    assert_error(f.h.send_one(accept, &[]).await, not_signed);
    let mint = f.h.io_mint;
    for ix in [
        sdk::post_bond(&o.pubkey(), &mint, &token, 1),
        sdk::request_bond_withdrawal(&o.pubkey(), &mint, &token),
        sdk::withdraw_bond(&o.pubkey(), &mint, &token),
    ] {
        assert_error(f.h.send_one(unsigned(ix, &o.pubkey()), &[]).await, not_signed);
    }
    let relayer = f.h.funded_keypair(1_000_000_000).await;
    let (body, other) = two_bodies(&mut f).await;
    let post = unsigned(sdk::post_report(&relayer.pubkey(), &f.cluster, body), &relayer.pubkey());
    assert_error(f.h.send_one(post, &[]).await, not_signed);
    let cheat = f.oracles[0].insecure_clone();
    let ed = equivocation_instruction(&f.cluster, &cheat, &body, &other);
    let prove = sdk::prove_equivocation(&relayer.pubkey(), &mint, cheat.pubkey(), body, other);
    assert_error(f.h.send(&[ed, unsigned(prove, &relayer.pubkey())], &[]).await, not_signed);
}

/// Classes 1 and 8: another oracle's bond, another mint, vault or token account, another key's
/// evidence — each refused by the constraint that binds it.
#[tokio::test]
async fn another_users_accounts_are_refused() {
    let (mut f, o, token) = with_bonded_outsider().await;
    let victim = f.bonded_keys(1, 2_000 * IO).await.remove(0);
    let mint = f.h.io_mint;
    let (mine, theirs) = (sdk::bond(&o.pubkey()), sdk::bond(&victim.pubkey()));
    // Another oracle's bond: the PDA is derived from the signer.
    for ix in [
        sdk::post_bond(&o.pubkey(), &mint, &token, 1),
        sdk::request_bond_withdrawal(&o.pubkey(), &mint, &token),
        sdk::withdraw_bond(&o.pubkey(), &mint, &token),
    ] {
        let ix = swap_account(ix, &mine, &theirs);
        assert_error(f.h.send_one(ix, &[&o]).await, anchor(AnchorError::ConstraintSeeds));
    }
    // Another mint, another vault (a token account of the right mint).
    let usdc = f.h.usdc_mint;
    let ix = swap_account(sdk::post_bond(&o.pubkey(), &mint, &token, 1), &mint, &usdc);
    assert_error(f.h.send_one(ix, &[&o]).await, anchor(AnchorError::ConstraintHasOne));
    let fake_vault = f.io_account(&o.pubkey()).await;
    let ix = swap_account(sdk::post_bond(&o.pubkey(), &mint, &token, 1), &sdk::bond_vault(), &fake_vault);
    assert_error(f.h.send_one(ix, &[&o]).await, anchor(AnchorError::ConstraintHasOne));
    // The payout account must hold the io mint.
    let usdc_account = f.h.create_token_account(&usdc, &o.pubkey()).await;
    f.h.send_one(sdk::request_bond_withdrawal(&o.pubkey(), &mint, &token), &[&o]).await.unwrap();
    f.h.warp_seconds(f.params.bond_cooldown_secs).await;
    let ix = sdk::withdraw_bond(&o.pubkey(), &mint, &usdc_account);
    assert_error(f.h.send_one(ix, &[&o]).await, anchor(AnchorError::ConstraintTokenMint));
    // The proof names the cheater; its bond and evidence must be the cheater's.
    let cheat = f.oracles[0].insecure_clone();
    let (a, b) = two_bodies(&mut f).await;
    let reporter = f.h.funded_keypair(1_000_000_000).await;
    let ed = equivocation_instruction(&f.cluster, &cheat, &a, &b);
    let prove = sdk::prove_equivocation(&reporter.pubkey(), &mint, cheat.pubkey(), a, b);
    for (from, to) in [
        (sdk::bond(&cheat.pubkey()), theirs),
        (sdk::equivocation(&cheat.pubkey(), a.period), sdk::equivocation(&victim.pubkey(), a.period)),
    ] {
        let ix = swap_account(prove.clone(), &from, &to);
        assert_error(f.h.send(&[ed.clone(), ix], &[&reporter]).await, anchor(AnchorError::ConstraintSeeds));
    }
    let ix = swap_account(prove.clone(), &sdk::bond_vault(), &fake_vault);
    assert_error(f.h.send(&[ed.clone(), ix], &[&reporter]).await, anchor(AnchorError::ConstraintHasOne));
    // A set named with another member's bond.
    let members = vec![victim.pubkey(), o.pubkey()];
    let ix = swap_account(sdk::propose_rotation(&f.admin.pubkey(), members, 0), &mine, &theirs);
    let admin = f.admin.insecure_clone();
    assert_error(f.h.send_one(ix, &[&admin]).await, code(OracleError::InvalidSet));
    assert_eq!(f.h.account::<OracleBond>(&theirs).await.amount, 2_000 * IO, "nothing moved");
    f.h.send(&[ed, prove], &[&reporter]).await.unwrap();
}

/// Classes 2 and 3: the same bytes under another owner, and another io_oracle type in place of
/// the expected one.
#[tokio::test]
async fn look_alikes_and_other_types_are_refused() {
    let (mut f, o, token) = with_bonded_outsider().await;
    let admin = f.admin.insecure_clone();
    let mint = f.h.io_mint;
    let body = f.body(1).await;
    let report = f.post(body).await.unwrap();
    let bond = sdk::bond(&o.pubkey());
    let wrong_owner = anchor(AnchorError::AccountOwnedByWrongProgram);
    let wrong_type = anchor(AnchorError::AccountDiscriminatorMismatch);
    // Owner: config, bond, report, vault, each copied under another program.
    let fake = look_alike(&mut f.h, &sdk::config(), &io_staking::ID).await;
    let ix = swap_account(sdk::set_paused(&admin.pubkey(), true), &sdk::config(), &fake);
    assert_error(f.h.send_one(ix, &[&admin]).await, wrong_owner);
    let fake = look_alike(&mut f.h, &bond, &io_staking::ID).await;
    let ix = swap_account(sdk::request_bond_withdrawal(&o.pubkey(), &mint, &token), &bond, &fake);
    assert_error(f.h.send_one(ix, &[&o]).await, wrong_owner);
    let ix = swap_account(sdk::propose_rotation(&admin.pubkey(), vec![o.pubkey()], 0), &bond, &fake);
    assert_error(f.h.send_one(ix, &[&admin]).await, wrong_owner);
    let ix = swap_account(sdk::post_bond(&o.pubkey(), &mint, &token, 1), &bond, &fake);
    assert_error(f.h.send_one(ix, &[&o]).await, anchor(AnchorError::ConstraintSeeds));
    let fake = look_alike(&mut f.h, &report, &io_staking::ID).await;
    let ed = quorum_instruction(&f.keys(&[0, 1, 2]), &f.digest(&body));
    let ix = swap_account(sdk::certify_report(&report), &report, &fake);
    assert_error(f.h.send(&[ed.clone(), ix], &[]).await, wrong_owner);
    let fake = look_alike(&mut f.h, &sdk::bond_vault(), &anchor_lang::system_program::ID).await;
    let ix = swap_account(sdk::post_bond(&o.pubkey(), &mint, &token, 1), &sdk::bond_vault(), &fake);
    assert_error(f.h.send_one(ix, &[&o]).await, wrong_owner);
    // Token-2022: the oracle's token account under Token-2022.
    let fake = look_alike(&mut f.h, &token, &TOKEN_2022).await;
    let ix = sdk::post_bond(&o.pubkey(), &mint, &fake, 1);
    assert_error(f.h.send_one(ix, &[&o]).await, wrong_owner);
    // Type: a report as the config, a report as a bond, the config as a bond, a bond as a report.
    let ix = swap_account(sdk::set_paused(&admin.pubkey(), true), &sdk::config(), &report);
    assert_error(f.h.send_one(ix, &[&admin]).await, wrong_type);
    let ix = swap_account(sdk::propose_rotation(&admin.pubkey(), vec![o.pubkey()], 0), &bond, &report);
    assert_error(f.h.send_one(ix, &[&admin]).await, wrong_type);
    let ix = swap_account(sdk::request_bond_withdrawal(&o.pubkey(), &mint, &token), &bond, &sdk::config());
    assert_error(f.h.send_one(ix, &[&o]).await, wrong_type);
    let ix = swap_account(sdk::certify_report(&report), &report, &bond);
    assert_error(f.h.send(&[ed.clone(), ix], &[]).await, wrong_type);
    // A genuine bond's bytes, owned by io_oracle, at an address that is not the member's PDA.
    let forged = look_alike(&mut f.h, &bond, &io_oracle::ID).await;
    let ix = swap_account(sdk::propose_rotation(&admin.pubkey(), vec![o.pubkey()], 0), &bond, &forged);
    assert_error(f.h.send_one(ix, &[&admin]).await, anchor(AnchorError::ConstraintSeeds));
    // After all that, the real accounts work.
    f.h.send(&[ed, sdk::certify_report(&report)], &[]).await.unwrap();
}

/// Copies the account at `from` to `to` under io_oracle: a forged twin at another address.
async fn copy_to(h: &mut Harness, from: Pubkey, to: Pubkey) {
    let mut acct = h.raw_account(&from).await.expect("original exists");
    acct.owner = io_oracle::ID;
    h.set_account(&to, &acct);
}

/// Class 7: every PDA at a non-canonical bump — empty (creation paths) or holding a copy of the
/// real account's bytes under io_oracle (read paths).
#[tokio::test]
async fn non_canonical_bumps_are_refused() {
    let (mut f, o, token) = with_bonded_outsider().await;
    let admin = f.admin.insecure_clone();
    let mint = f.h.io_mint;
    let seeds_err = anchor(AnchorError::ConstraintSeeds);
    // Config.
    let alt = non_canonical_pda(&[CONFIG_SEED]);
    copy_to(&mut f.h, sdk::config(), alt).await;
    let ix = swap_account(sdk::set_paused(&admin.pubkey(), true), &sdk::config(), &alt);
    assert_error(f.h.send_one(ix, &[&admin]).await, seeds_err);
    // Bond: created (empty) and read (copied).
    let newcomer = f.h.funded_keypair(1_000_000_000).await;
    let new_token = f.io_account(&newcomer.pubkey()).await;
    let alt = non_canonical_pda(&[BOND_SEED, newcomer.pubkey().as_ref()]);
    let ix = sdk::post_bond(&newcomer.pubkey(), &mint, &new_token, 1);
    let ix = swap_account(ix, &sdk::bond(&newcomer.pubkey()), &alt);
    assert_error(f.h.send_one(ix, &[&newcomer]).await, seeds_err);
    let key = o.pubkey();
    let alt = non_canonical_pda(&[BOND_SEED, key.as_ref()]);
    copy_to(&mut f.h, sdk::bond(&key), alt).await;
    let ix = swap_account(sdk::request_bond_withdrawal(&key, &mint, &token), &sdk::bond(&key), &alt);
    assert_error(f.h.send_one(ix, &[&o]).await, seeds_err);
    // Report: created and read.
    let body = f.body(1).await;
    let digest = f.digest(&body);
    let alt = non_canonical_pda(&[REPORT_SEED, &body.period.to_le_bytes(), &digest]);
    let relayer = f.h.payer().insecure_clone();
    let ix = swap_account(sdk::post_report(&relayer.pubkey(), &f.cluster, body), &f.report(&body), &alt);
    assert_error(f.h.send_one(ix, &[]).await, seeds_err);
    let report = f.post(body).await.unwrap();
    copy_to(&mut f.h, report, alt).await;
    let ed = quorum_instruction(&f.keys(&[0, 1, 2]), &digest);
    assert_error(f.h.send(&[ed, sdk::certify_report(&alt)], &[]).await, seeds_err);
    // Evidence: created.
    let cheat = f.oracles[0].insecure_clone();
    let (a, b) = two_bodies(&mut f).await;
    let evidence = sdk::equivocation(&cheat.pubkey(), a.period);
    let alt = non_canonical_pda(&[EQUIVOCATION_SEED, cheat.pubkey().as_ref(), &a.period.to_le_bytes()]);
    let reporter = f.h.funded_keypair(1_000_000_000).await;
    let ed = equivocation_instruction(&f.cluster, &cheat, &a, &b);
    let ix = swap_account(
        sdk::prove_equivocation(&reporter.pubkey(), &mint, cheat.pubkey(), a, b),
        &evidence,
        &alt,
    );
    assert_error(f.h.send(&[ed, ix], &[&reporter]).await, seeds_err);
}

/// Classes 5 and 10: Token-2022 or another program where SPL Token, io_token or the system
/// program is expected, and a fake instructions sysvar wherever one is read.
#[tokio::test]
async fn fake_programs_and_sysvars_are_refused() {
    let (mut f, o, token) = with_bonded_outsider().await;
    let mint = f.h.io_mint;
    let wrong_program = anchor(AnchorError::InvalidProgramId);
    for ix in [
        sdk::post_bond(&o.pubkey(), &mint, &token, 1),
        sdk::request_bond_withdrawal(&o.pubkey(), &mint, &token),
        sdk::withdraw_bond(&o.pubkey(), &mint, &token),
    ] {
        assert_error(f.h.send_one(swap_account(ix, &TOKEN, &TOKEN_2022), &[&o]).await, wrong_program);
    }
    let system = anchor_lang::system_program::ID;
    let ix = swap_account(sdk::post_bond(&o.pubkey(), &mint, &token, 1), &system, &Pubkey::new_unique());
    assert_error(f.h.send_one(ix, &[&o]).await, wrong_program);
    let body = f.body(1).await;
    let relayer = f.h.payer().insecure_clone();
    let ix =
        swap_account(sdk::post_report(&relayer.pubkey(), &f.cluster, body), &system, &Pubkey::new_unique());
    assert_error(f.h.send_one(ix, &[]).await, wrong_program);
    // The proof: SPL Token, io_token and the sysvar.
    let cheat = f.oracles[0].insecure_clone();
    let (a, b) = two_bodies(&mut f).await;
    let reporter = f.h.funded_keypair(1_000_000_000).await;
    let ed = equivocation_instruction(&f.cluster, &cheat, &a, &b);
    let prove = sdk::prove_equivocation(&reporter.pubkey(), &mint, cheat.pubkey(), a, b);
    let cases = [
        (TOKEN, TOKEN_2022, wrong_program),
        (io_token::ID, io_staking::ID, anchor(AnchorError::ConstraintAddress)),
        (sdk::INSTRUCTIONS_SYSVAR_ID, Pubkey::new_unique(), anchor(AnchorError::ConstraintAddress)),
    ];
    for (from, to, err) in cases {
        let ix = swap_account(prove.clone(), &from, &to);
        assert_error(f.h.send(&[ed.clone(), ix], &[&reporter]).await, err);
    }
    // rotate_by_quorum's sysvar.
    let members = vec![o.pubkey()];
    let digest = f.rotation_digest(1, &members, 0);
    let ed_rot = quorum_instruction(&f.keys(&[0, 1, 2]), &digest);
    let ix =
        swap_account(sdk::rotate_by_quorum(members, 0), &sdk::INSTRUCTIONS_SYSVAR_ID, &Pubkey::new_unique());
    assert_error(f.h.send(&[ed_rot, ix], &[]).await, anchor(AnchorError::ConstraintAddress));
    f.h.send(&[ed, prove], &[&reporter]).await.unwrap();
}

/// Class 6: every pair of mutable slots that could alias — Anchor's automatic check for typed
/// accounts, seeds for the PDAs it skips, io_token's own checks for the accounts passed through,
/// and the remaining accounts of a rotation.
#[tokio::test]
async fn duplicate_mutable_accounts_are_refused() {
    let (mut f, o, token) = with_bonded_outsider().await;
    let mint = f.h.io_mint;
    let vault = sdk::bond_vault();
    let dup = anchor(AnchorError::ConstraintDuplicateMutableAccount);
    // The vault as the oracle's own token account (post and payout).
    let ix = swap_account(sdk::post_bond(&o.pubkey(), &mint, &token, 1), &token, &vault);
    assert_error(f.h.send_one(ix, &[&o]).await, dup);
    f.h.send_one(sdk::request_bond_withdrawal(&o.pubkey(), &mint, &token), &[&o]).await.unwrap();
    f.h.warp_seconds(f.params.bond_cooldown_secs).await;
    let ix = swap_account(sdk::withdraw_bond(&o.pubkey(), &mint, &token), &token, &vault);
    assert_error(f.h.send_one(ix, &[&o]).await, dup);
    // The proof: the evidence aliased to the bond (seeds), io_oracle's config passed as
    // io_token's config (io_token refuses an account it does not own).
    let cheat = f.oracles[0].insecure_clone();
    f.bond(&cheat, 1_000 * IO).await.unwrap();
    let (a, b) = two_bodies(&mut f).await;
    let reporter = f.h.funded_keypair(1_000_000_000).await;
    let ed = equivocation_instruction(&f.cluster, &cheat, &a, &b);
    let prove = sdk::prove_equivocation(&reporter.pubkey(), &mint, cheat.pubkey(), a, b);
    let evidence = sdk::equivocation(&cheat.pubkey(), a.period);
    let ix = swap_account(prove.clone(), &evidence, &sdk::bond(&cheat.pubkey()));
    assert_error(f.h.send(&[ed.clone(), ix], &[&reporter]).await, anchor(AnchorError::ConstraintSeeds));
    let ix = swap_account(prove.clone(), &io_sdk::token::config(), &sdk::config());
    assert_error(
        f.h.send(&[ed.clone(), ix], &[&reporter]).await,
        anchor(AnchorError::AccountOwnedByWrongProgram),
    );
    // Remaining accounts: one key twice, and one bond for two keys.
    let admin = f.admin.insecure_clone();
    let twice = sdk::propose_rotation(&admin.pubkey(), vec![cheat.pubkey(), cheat.pubkey()], 0);
    assert_error(f.h.send_one(twice, &[&admin]).await, code(OracleError::InvalidSet));
    let other = f.bonded_keys(1, 1_000 * IO).await.remove(0);
    let shared = swap_account(
        sdk::propose_rotation(&admin.pubkey(), vec![cheat.pubkey(), other.pubkey()], 0),
        &sdk::bond(&other.pubkey()),
        &sdk::bond(&cheat.pubkey()),
    );
    assert_error(f.h.send_one(shared, &[&admin]).await, code(OracleError::InvalidSet));
    f.h.send(&[ed, prove], &[&reporter]).await.unwrap();
    assert_eq!(f.config().await.total_slashed, 1_000 * IO);
}

/// Class 12: parameters at and past their bounds (durations that would overflow a timestamp).
#[tokio::test]
async fn parameters_out_of_range_are_refused() {
    let mut f = OracleFixture::new(3).await;
    let admin = f.admin.insecure_clone();
    let p = f.params;
    for bad in [
        OracleParams { min_bond: 0, ..p },
        OracleParams { bond_cooldown_secs: 0, ..p },
        OracleParams { set_grace_secs: -1, ..p },
        OracleParams { admin_rotation_timelock_secs: i64::MAX, ..p },
        OracleParams { bond_cooldown_secs: MAX_DURATION_SECS + 1, ..p },
    ] {
        let ix = sdk::update_params(&admin.pubkey(), bad);
        assert_error(f.h.send_one(ix, &[&admin]).await, code(OracleError::InvalidParams));
    }
    let edge = OracleParams { min_bond: u64::MAX, bond_cooldown_secs: MAX_DURATION_SECS, ..p };
    f.h.send_one(sdk::update_params(&admin.pubkey(), edge), &[&admin]).await.unwrap();
    assert_eq!(f.config().await.params, edge);
}
