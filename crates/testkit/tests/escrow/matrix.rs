//! The attack-class matrix of io_escrow (security-checklist §1 and §2.A), table-driven: every
//! instruction with each signer missing, each account swapped for another user's, a look-alike
//! under another owner, another account type, a PDA with a non-canonical bump, a fake token or
//! system program, and mutable accounts given twice — each refused with its exact error.
use crate::common::*;
use io_merkle::MerkleTree;
use io_oracle::{leaves, ReportBody};
use io_testkit::{error_code, oracle::Quorum};

const TOKEN: Pubkey = anchor_spl::token::ID;
const SYSTEM: Pubkey = anchor_lang::system_program::ID;

/// A running market: a provider with three devices, a renter's lease on the first, another
/// renter's lease on the second (the third is free), a certified report with usage for the first, a price, and the
/// treasury authority's token accounts.
struct World {
    f: EscrowFixture,
    q: Quorum,
    p: Provider,
    r: Renter,
    r2: Renter,
    lease: Pubkey,
    other: Pubkey,
    report: Pubkey,
    proof: Vec<[u8; 32]>,
    t_usdc: Pubkey,
    t_io: Pubkey,
}

impl World {
    async fn new() -> World {
        let mut f = EscrowFixture::new().await;
        let q = Quorum::init(&mut f.s.h, 3).await;
        let p = f.provider(3, RATE_USDC, RATE_IO).await;
        let r = f.renter(10_000 * USDC, 10_000 * IO).await;
        let r2 = f.renter(10_000 * USDC, 10_000 * IO).await;
        let lease = f.open(&r, 1, &[p.devices[0]], 10, true).await.unwrap();
        let other = f.open(&r2, 1, &[p.devices[1]], 10, true).await.unwrap();
        let tree = MerkleTree::new(vec![leaves::usage_leaf(&lease, &p.devices[0], 600)]);
        let body = ReportBody { usage_root: tree.root(), usdc_per_io: 2_500_000, ..Default::default() };
        let report = q.publish(&mut f.s.h, body).await;
        let (usdc, io) = (f.usdc_mint(), f.io_mint());
        f.s.h.mint_to(&usdc, &sdk::treasury(&usdc), 100 * USDC).await;
        let t = f.treasury.insecure_clone();
        let t_usdc = f.s.h.create_token_account(&usdc, &t.pubkey()).await;
        let t_io = f.s.h.create_token_account(&io, &t.pubkey()).await;
        f.s.h.mint_to(&io, &t_io, 100 * IO).await;
        let price = f.price.insecure_clone();
        f.s.h.send_one(sdk::set_price(&price.pubkey(), 2_500_000), &[&price]).await.unwrap();
        World { f, q, p, r, r2, lease, other, report, proof: tree.proof(0).unwrap(), t_usdc, t_io }
    }

    fn usdc(&self) -> Pubkey {
        self.f.usdc_mint()
    }

    fn io(&self) -> Pubkey {
        self.f.io_mint()
    }

    /// Every instruction of io_escrow with its signers, built honestly.
    fn honest(&self) -> Vec<(&'static str, Instruction, Vec<Keypair>)> {
        let (usdc, io) = (self.usdc(), self.io());
        let admin = self.f.s.admin.insecure_clone();
        let (usage, price, treasury) =
            (self.f.usage.insecure_clone(), self.f.price.insecure_clone(), self.f.treasury.insecure_clone());
        let op = self.p.op.authority.insecure_clone();
        let w = self.r.wallet.insecure_clone();
        let d0 = self.p.devices[0];
        let k = Pubkey::new_unique();
        vec![
            (
                "initialize",
                sdk::initialize(&admin.pubkey(), &usdc, &io, self.f.params, k, k, k),
                vec![admin.insecure_clone()],
            ),
            ("propose_admin", sdk::propose_admin(&admin.pubkey(), k), vec![admin.insecure_clone()]),
            ("set_paused", sdk::set_paused(&admin.pubkey(), false), vec![admin.insecure_clone()]),
            (
                "update_params",
                sdk::update_params(&admin.pubkey(), self.f.params),
                vec![admin.insecure_clone()],
            ),
            ("set_authorities", sdk::set_authorities(&admin.pubkey(), k, k, k), vec![admin]),
            ("set_price", sdk::set_price(&price.pubkey(), 2_500_000), vec![price]),
            (
                "post_offer",
                sdk::post_offer(&op.pubkey(), &d0, RATE_USDC, 0, 1, 720),
                vec![op.insecure_clone()],
            ),
            ("withdraw_offer", sdk::withdraw_offer(&op.pubkey(), &d0), vec![op]),
            (
                "open_lease",
                sdk::open_lease(&w.pubkey(), 9, &usdc, &self.r.usdc, 1, u64::MAX, &[self.p.devices[2]]),
                vec![w.insecure_clone()],
            ),
            (
                "top_up_lease",
                sdk::top_up_lease(&w.pubkey(), &self.lease, &usdc, &self.r.usdc, 1, &[d0]),
                vec![w.insecure_clone()],
            ),
            ("close_lease", sdk::close_lease(&w.pubkey(), &self.lease, &usdc, &self.r.usdc, &[d0]), vec![w]),
            ("finalize_lease", sdk::finalize_lease(&self.lease, &usdc, &self.r.usdc), vec![]),
            ("settle", sdk::settle(&usage.pubkey(), &self.lease, &usdc, &self.p.usdc, 0, 30), vec![usage]),
            (
                "settle_attested",
                sdk::settle_attested(
                    &self.lease,
                    &usdc,
                    &self.p.usdc,
                    &self.report,
                    0,
                    600,
                    self.proof.clone(),
                ),
                vec![],
            ),
            ("price_from_report", sdk::price_from_report(&self.report), vec![]),
            (
                "buyback_burn",
                sdk::buyback_burn(&treasury.pubkey(), &usdc, &io, &self.t_usdc, &self.t_io, USDC, IO / 10),
                vec![treasury],
            ),
        ]
    }

    fn ix(&self, name: &str) -> (Instruction, Vec<Keypair>) {
        let (_, ix, signers) =
            self.honest().into_iter().find(|(n, _, _)| *n == name).expect("an instruction");
        (ix, signers)
    }

    /// Sends each case and asserts its exact error code; nothing may go through.
    async fn refused(&mut self, cases: Vec<(String, Instruction, Vec<Keypair>, u32)>) {
        assert!(!cases.is_empty());
        for (name, ix, signers, want) in cases {
            let keys: Vec<&Keypair> = signers.iter().collect();
            let r = self.f.s.h.send_one(ix, &keys).await;
            assert_eq!(r.as_ref().err().and_then(error_code), Some(want), "{name}: {r:?}");
        }
    }
}

fn anchor(e: AnchorError) -> u32 {
    anchor_code(e)
}

/// Class 0: every signer of every instruction left unsigned.
#[tokio::test]
async fn every_signer_is_required() {
    let mut w = World::new().await;
    let mut cases = Vec::new();
    for (name, ix, signers) in w.honest() {
        for s in &signers {
            let others =
                signers.iter().filter(|o| o.pubkey() != s.pubkey()).map(|o| o.insecure_clone()).collect();
            cases.push((
                format!("{name} without {}", s.pubkey()),
                unsigned(ix.clone(), &s.pubkey()),
                others,
                anchor(AnchorError::AccountNotSigner),
            ));
        }
    }
    // accept_admin: the pending admin's signature.
    let admin = w.f.s.admin.insecure_clone();
    let next = w.f.s.h.funded_keypair(1_000_000_000).await;
    w.f.s.h.send_one(sdk::propose_admin(&admin.pubkey(), next.pubkey()), &[&admin]).await.unwrap();
    cases.push((
        "accept_admin".into(),
        unsigned(sdk::accept_admin(&next.pubkey()), &next.pubkey()),
        vec![],
        anchor(AnchorError::AccountNotSigner),
    ));
    assert_eq!(cases.len(), 14, "one case per signer");
    w.refused(cases).await;
}

/// Classes 1 and 8: an account of another user, lease or authority where `has_one`, seeds or a
/// payee check ties it to the right one.
#[tokio::test]
async fn another_users_accounts_are_refused() {
    let mut w = World::new().await;
    let (usdc, io) = (w.usdc(), w.io());
    let stranger = w.f.s.h.funded_keypair(1_000_000_000).await;
    let s_usdc = w.f.s.h.create_token_account(&usdc, &stranger.pubkey()).await;
    let s_io = w.f.s.h.create_token_account(&io, &stranger.pubkey()).await;
    let sk = || stranger.insecure_clone();
    let w2 = w.r2.wallet.insecure_clone();
    let d0 = w.p.devices[0];
    let has_one = anchor(AnchorError::ConstraintHasOne);
    let seeds = anchor(AnchorError::ConstraintSeeds);
    let other_vault = sdk::lease_vault(&w.other);
    let cases = vec![
        ("admin: a stranger", sdk::set_paused(&stranger.pubkey(), true), vec![sk()], has_one),
        ("set_price: a stranger", sdk::set_price(&stranger.pubkey(), 1), vec![sk()], has_one),
        (
            "settle: a stranger",
            sdk::settle(&stranger.pubkey(), &w.lease, &usdc, &w.p.usdc, 0, 30),
            vec![sk()],
            has_one,
        ),
        (
            "buyback: a stranger",
            sdk::buyback_burn(&stranger.pubkey(), &usdc, &io, &s_usdc, &s_io, USDC, IO),
            vec![sk()],
            has_one,
        ),
        (
            "top_up: another renter's lease",
            swap_account(
                sdk::top_up_lease(&w2.pubkey(), &w.other, &usdc, &w.r2.usdc, 1, &[d0]),
                &w.other,
                &w.lease,
            ),
            vec![w2.insecure_clone()],
            seeds,
        ),
        (
            "close: another renter's lease",
            swap_account(
                sdk::close_lease(&w2.pubkey(), &w.other, &usdc, &w.r2.usdc, &[d0]),
                &w.other,
                &w.lease,
            ),
            vec![w2.insecure_clone()],
            seeds,
        ),
        (
            "finalize: another lease's vault",
            swap_account(
                sdk::finalize_lease(&w.lease, &usdc, &w.r.usdc),
                &sdk::lease_vault(&w.lease),
                &other_vault,
            ),
            vec![],
            has_one,
        ),
        (
            "settle_attested: another lease's vault",
            swap_account(
                sdk::settle_attested(&w.lease, &usdc, &w.p.usdc, &w.report, 0, 600, w.proof.clone()),
                &sdk::lease_vault(&w.lease),
                &other_vault,
            ),
            vec![],
            has_one,
        ),
        (
            "settle_attested: another mint than the lease's",
            swap_account(
                sdk::settle_attested(&w.lease, &usdc, &w.p.usdc, &w.report, 0, 600, w.proof.clone()),
                &usdc,
                &io,
            ),
            vec![],
            has_one,
        ),
        (
            "settle_attested: a payee that is not the operator",
            sdk::settle_attested(&w.lease, &usdc, &s_usdc, &w.report, 0, 600, w.proof.clone()),
            vec![],
            code(EscrowError::WrongPayee),
        ),
        (
            "settle_attested: another lease's leaf",
            sdk::settle_attested(&w.other, &usdc, &w.p.usdc, &w.report, 0, 600, w.proof.clone()),
            vec![],
            code(EscrowError::InvalidProof),
        ),
        (
            "close: the refund to the stranger",
            sdk::close_lease(&w.r.wallet.pubkey(), &w.lease, &usdc, &s_usdc, &[d0]),
            vec![w.r.wallet.insecure_clone()],
            anchor(AnchorError::ConstraintTokenOwner),
        ),
        (
            "top_up: another lease's offer",
            sdk::top_up_lease(&w.r.wallet.pubkey(), &w.lease, &usdc, &w.r.usdc, 1, &[w.p.devices[1]]),
            vec![w.r.wallet.insecure_clone()],
            code(EscrowError::InvalidRemainingAccounts),
        ),
    ];
    let cases = cases.into_iter().map(|(n, ix, s, c)| (n.to_string(), ix, s, c)).collect();
    w.refused(cases).await;
}

/// Classes 2 and 3: the right bytes under another owner, and another account type (of this
/// program or another) where a typed account is expected.
#[tokio::test]
async fn look_alikes_and_other_account_types_are_refused() {
    let mut w = World::new().await;
    let usdc = w.usdc();
    let h = &mut w.f.s.h;
    let fake_owner = Pubkey::new_unique();
    let fake_config = look_alike(h, &sdk::config(), &fake_owner).await;
    let fake_lease = look_alike(h, &w.lease, &fake_owner).await;
    let fake_feed = look_alike(h, &sdk::price_feed(), &fake_owner).await;
    let fake_report = look_alike(h, &w.report, &fake_owner).await;
    let fake_device = look_alike(h, &w.p.devices[2], &fake_owner).await;
    let owner = anchor(AnchorError::AccountOwnedByWrongProgram);
    let disc = anchor(AnchorError::AccountDiscriminatorMismatch);
    let offer0 = sdk::offer(&w.p.devices[0]);
    let offer2 = sdk::offer(&w.p.devices[2]);
    let mut cases: Vec<(String, Instruction, Vec<Keypair>, u32)> = Vec::new();
    let mut case = |name: &str, ix: (Instruction, Vec<Keypair>), from: &Pubkey, to: &Pubkey, code: u32| {
        cases.push((name.to_string(), swap_account(ix.0, from, to), ix.1, code));
    };
    case("set_paused: config look-alike", w.ix("set_paused"), &sdk::config(), &fake_config, owner);
    case("close: lease look-alike", w.ix("close_lease"), &w.lease, &fake_lease, owner);
    case("buyback: price feed look-alike", w.ix("buyback_burn"), &sdk::price_feed(), &fake_feed, owner);
    case("settle_attested: report look-alike", w.ix("settle_attested"), &w.report, &fake_report, owner);
    case("open_lease: device look-alike", w.ix("open_lease"), &w.p.devices[2], &fake_device, owner);
    case("finalize: an offer as the lease", w.ix("finalize_lease"), &w.lease, &offer0, disc);
    case("settle: an offer as the lease", w.ix("settle"), &w.lease, &offer0, disc);
    case("open_lease: a lease as the offer", w.ix("open_lease"), &offer2, &w.lease, disc);
    case(
        "set_price: the config as the price feed",
        w.ix("set_price"),
        &sdk::price_feed(),
        &sdk::config(),
        disc,
    );
    case(
        "settle_attested: io_oracle's config as the report",
        w.ix("settle_attested"),
        &w.report,
        &io_sdk::oracle::config(),
        disc,
    );
    case(
        "post_offer: the operator as the device",
        w.ix("post_offer"),
        &w.p.devices[0],
        &w.p.op.address,
        disc,
    );
    case(
        "top_up: io_staking's config as the escrow config",
        w.ix("top_up_lease"),
        &sdk::config(),
        &io_sdk::staking::config(),
        owner,
    );
    let _ = usdc;
    w.refused(cases).await;
}

/// Class 7: an account created at a PDA with a non-canonical bump would be a second "valid"
/// address; every creation takes the canonical one only. (Existing accounts are checked against
/// their stored canonical bump, and no account can exist at a non-canonical address.)
#[tokio::test]
async fn non_canonical_bumps_are_refused_at_creation() {
    let mut w = World::new().await;
    let (usdc, io) = (w.usdc(), w.io());
    let seeds = anchor(AnchorError::ConstraintSeeds);
    let d0 = w.p.devices[0];
    let renter = w.r.wallet.pubkey();
    let next = sdk::lease(&renter, 9);
    let nonce = 9u64.to_le_bytes();
    let pairs: Vec<(&str, &str, Pubkey, Pubkey)> = vec![
        ("initialize", "config", sdk::config(), non_canonical_pda(&[CONFIG_SEED])),
        (
            "initialize",
            "treasury_usdc",
            sdk::treasury(&usdc),
            non_canonical_pda(&[TREASURY_SEED, usdc.as_ref()]),
        ),
        ("initialize", "treasury_io", sdk::treasury(&io), non_canonical_pda(&[TREASURY_SEED, io.as_ref()])),
        ("initialize", "buyback_vault", sdk::buyback_vault(), non_canonical_pda(&[BUYBACK_VAULT_SEED])),
        ("initialize", "price_feed", sdk::price_feed(), non_canonical_pda(&[PRICE_FEED_SEED])),
        ("post_offer", "offer", sdk::offer(&d0), non_canonical_pda(&[OFFER_SEED, d0.as_ref()])),
        ("open_lease", "lease", next, non_canonical_pda(&[LEASE_SEED, renter.as_ref(), &nonce])),
        (
            "open_lease",
            "vault",
            sdk::lease_vault(&next),
            non_canonical_pda(&[LEASE_VAULT_SEED, next.as_ref()]),
        ),
    ];
    let mut cases = Vec::new();
    for (ix_name, account, canonical, fake) in pairs {
        assert_ne!(canonical, fake);
        let (ix, signers) = w.ix(ix_name);
        cases.push((format!("{ix_name}: {account}"), swap_account(ix, &canonical, &fake), signers, seeds));
    }
    w.refused(cases).await;
}

/// Class 5: a fake token program (Token-2022 here) or system program wherever one is passed, and
/// a fake io_token program for the burn.
#[tokio::test]
async fn fake_programs_are_refused() {
    let mut w = World::new().await;
    let fake = anchor_spl::token_2022::ID;
    let bad = anchor(AnchorError::InvalidProgramId);
    let mut cases = Vec::new();
    let mut with_token = 0;
    for (name, ix, signers) in w.honest() {
        if ix.accounts.iter().any(|m| m.pubkey == TOKEN) {
            with_token += 1;
            cases.push((
                format!("{name}: token program"),
                swap_account(ix.clone(), &TOKEN, &fake),
                signers.iter().map(|k| k.insecure_clone()).collect(),
                bad,
            ));
        }
        if ix.accounts.iter().any(|m| m.pubkey == SYSTEM) {
            cases.push((
                format!("{name}: system program"),
                swap_account(ix, &SYSTEM, &Pubkey::new_unique()),
                signers,
                bad,
            ));
        }
    }
    assert_eq!(with_token, 8, "initialize, open, top up, close, finalize, settle ×2, buyback");
    let (ix, signers) = w.ix("buyback_burn");
    cases.push((
        "buyback: io_token program".into(),
        swap_account(ix, &io_token::ID, &Pubkey::new_unique()),
        signers,
        anchor(AnchorError::ConstraintAddress),
    ));
    w.refused(cases).await;
}

/// Class 6: the same account in two mutable slots — typed accounts (Anchor's own check), the
/// created PDAs, and remaining accounts.
#[tokio::test]
async fn duplicate_mutable_accounts_are_refused() {
    let mut w = World::new().await;
    let usdc = w.usdc();
    let vault = sdk::lease_vault(&w.lease);
    let treasury = sdk::treasury(&usdc);
    let dup = anchor(AnchorError::ConstraintDuplicateMutableAccount);
    let mut cases: Vec<(String, Instruction, Vec<Keypair>, u32)> = Vec::new();
    let mut case = |name: &str, ix: (Instruction, Vec<Keypair>), from: &Pubkey, to: &Pubkey, code: u32| {
        cases.push((name.to_string(), swap_account(ix.0, from, to), ix.1, code));
    };
    case("settle: payee = treasury", w.ix("settle"), &w.p.usdc, &treasury, dup);
    case("settle: payee = vault", w.ix("settle"), &w.p.usdc, &vault, dup);
    case("settle_attested: treasury = vault", w.ix("settle_attested"), &treasury, &vault, dup);
    case("top_up: renter account = vault", w.ix("top_up_lease"), &w.r.usdc, &vault, dup);
    case("close: renter account = vault", w.ix("close_lease"), &w.r.usdc, &vault, dup);
    case("finalize: renter account = vault", w.ix("finalize_lease"), &w.r.usdc, &vault, dup);
    case("buyback: authority USDC = treasury", w.ix("buyback_burn"), &w.t_usdc, &treasury, dup);
    case("buyback: authority $IO = buyback vault", w.ix("buyback_burn"), &w.t_io, &sdk::buyback_vault(), dup);
    let next = sdk::lease(&w.r.wallet.pubkey(), 9);
    case(
        "open_lease: vault = lease (unchecked PDAs)",
        w.ix("open_lease"),
        &sdk::lease_vault(&next),
        &next,
        anchor(AnchorError::ConstraintSeeds),
    );
    case(
        "initialize: the $IO treasury = the buyback vault (unchecked PDAs)",
        w.ix("initialize"),
        &sdk::buyback_vault(),
        &sdk::treasury(&w.f.io_mint()),
        anchor(AnchorError::ConstraintSeeds),
    );
    // Remaining accounts: one offer twice.
    let (d, free) = (w.p.devices[0], w.p.devices[2]);
    let renter = w.r.wallet.insecure_clone();
    let ix = sdk::open_lease(&renter.pubkey(), 9, &usdc, &w.r.usdc, 1, u64::MAX, &[free, free]);
    cases.push((
        "open_lease: one offer twice".into(),
        ix,
        vec![renter.insecure_clone()],
        code(EscrowError::InvalidDeviceList),
    ));
    let ix = sdk::close_lease(&renter.pubkey(), &w.lease, &usdc, &w.r.usdc, &[d, d]);
    cases.push((
        "close: one offer twice".into(),
        ix,
        vec![renter.insecure_clone()],
        code(EscrowError::LeaseOffersMissing),
    ));
    let ix = sdk::top_up_lease(&renter.pubkey(), &w.lease, &usdc, &w.r.usdc, 1, &[d, d]);
    cases.push((
        "top_up: one offer twice".into(),
        ix,
        vec![renter],
        code(EscrowError::InvalidRemainingAccounts),
    ));
    w.refused(cases).await;
}

/// Pause: the instructions not covered by `admin::pause_blocks_every_non_admin_instruction`
/// (they need a certified report) refuse too.
#[tokio::test]
async fn pause_blocks_report_driven_instructions() {
    let mut w = World::new().await;
    let admin = w.f.s.admin.insecure_clone();
    w.f.s.h.send_one(sdk::set_paused(&admin.pubkey(), true), &[&admin]).await.unwrap();
    let paused = code(EscrowError::Paused);
    let cases = ["settle_attested", "price_from_report"]
        .into_iter()
        .map(|n| {
            let (ix, s) = w.ix(n);
            (n.to_string(), ix, s, paused)
        })
        .collect();
    w.refused(cases).await;
    w.f.s.h.send_one(sdk::set_paused(&admin.pubkey(), false), &[&admin]).await.unwrap();
    let (ix, _) = w.ix("settle_attested");
    w.f.s.h.send_one(ix, &[]).await.expect("unpaused, the report settles");
    let _ = &w.q;
}
