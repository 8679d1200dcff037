//! S-1: every io_token account at a predictable address is created so that lamports a stranger
//! sent there first cannot block it — the config and the mint at deploy time, the six vaults at
//! genesis, vesting schedules and airdrop campaigns. Each test pre-funds the address (below and
//! above rent exemption), runs the honest creation, checks the account is the real thing, and
//! that a second creation is refused with `AccountDiscriminatorAlreadySet` (3000).
use crate::common::*;
use anchor_lang::solana_program::{program_option::COption, program_pack::Pack};
use anchor_spl::token::spl_token;

/// Lamports a griefer sends: the least the runtime lets a new address hold (rent exemption at 0
/// bytes, below what any of these accounts needs) and 3 SOL (above rent for every account).
const DUST: u64 = 890_880;
const PLENTY: u64 = 3_000_000_000;

fn already_set() -> u32 {
    anchor_code(AnchorError::AccountDiscriminatorAlreadySet)
}

#[tokio::test]
async fn config_and_mint_prefunded_before_deployment_still_initialize() {
    for (config_lamports, mint_lamports) in [(DUST, PLENTY), (PLENTY, DUST)] {
        let mut h = Harness::new().await;
        let admin = h.funded_keypair(10_000_000_000).await;
        h.prefund(&sdk::config(), config_lamports).await;
        h.prefund(&sdk::mint(), mint_lamports).await;
        let params = EmissionParams::defaults(9);
        h.send_one(sdk::initialize(&admin.pubkey(), 9, params), &[&admin]).await.unwrap();

        let c: TokenConfig = h.account(&sdk::config()).await;
        assert_eq!((c.admin, c.io_mint, c.decimals, c.params), (admin.pubkey(), sdk::mint(), 9, params));
        let raw = h.raw_account(&sdk::config()).await.unwrap();
        assert_eq!(raw.owner, io_token::ID);
        assert!(raw.lamports >= config_lamports, "the griefer's lamports stay in the account");
        let raw = h.raw_account(&sdk::mint()).await.unwrap();
        assert_eq!(raw.owner, spl_token::ID);
        let mint = spl_token::state::Mint::unpack(&raw.data).unwrap();
        assert_eq!(mint.mint_authority, COption::Some(sdk::config()));
        assert_eq!((mint.freeze_authority, mint.decimals, mint.supply), (COption::None, 9, 0));

        // A second initialize (by anyone) changes nothing.
        let again = sdk::initialize(&admin.pubkey(), 9, params);
        assert_error(h.send_one(again, &[&admin]).await, already_set());
        let stranger = h.funded_keypair(10_000_000_000).await;
        let hijack = sdk::initialize(&stranger.pubkey(), 9, params);
        assert_error(h.send_one(hijack, &[&stranger]).await, already_set());
        assert_eq!(h.account::<TokenConfig>(&sdk::config()).await.admin, admin.pubkey());
    }
}

#[tokio::test]
async fn every_vault_prefunded_before_genesis_still_mints() {
    let mut f = TokenFixture::new().await;
    for (i, vault) in TokenVault::ALL.iter().enumerate() {
        let lamports = if i % 2 == 0 { DUST } else { PLENTY };
        f.h.prefund(&vault.address(), lamports).await;
    }
    f.genesis().await.unwrap();
    let c = f.config().await;
    for vault in TokenVault::ALL {
        let raw = f.h.raw_account(&vault.address()).await.unwrap();
        assert_eq!(raw.owner, spl_token::ID, "{vault:?}");
        let acct = spl_token::state::Account::unpack(&raw.data).unwrap();
        assert_eq!((acct.mint, acct.owner), (sdk::mint(), sdk::config()), "{vault:?}");
        let expected = match vault {
            TokenVault::Bucket(b) => c.allocations[b.index()],
            TokenVault::Rewards => 0,
        };
        assert_eq!(acct.amount, expected, "{vault:?}");
    }
    assert_eq!(c.vaults, Bucket::ALL.map(sdk::vault));
    assert_eq!(c.rewards_vault, sdk::rewards_vault());
    f.assert_ledger().await;
    // Genesis runs once: the second stops at the config, before any account is touched.
    assert_error(f.genesis().await, code(TokenError::GenesisDone));
    // The honest flows on top of the pre-funded vaults: emissions land, a vesting claim pays.
    f.h.warp_seconds(2 * 3_600).await;
    f.emit().await.unwrap();
    let (w, wt) = f.wallet().await;
    f.fund(&wt, 7 * IO).await;
    assert_eq!(f.h.token_balance(&wt).await, 7 * IO);
    f.burn(&w, &wt, IO, BurnReason::Other).await.unwrap();
    f.assert_ledger().await;
}

#[tokio::test]
async fn a_prefunded_vesting_schedule_address_is_still_granted() {
    let mut f = TokenFixture::launched().await;
    let (b, bt) = f.wallet().await;
    let now = f.h.now().await;
    for (index, lamports) in [(0u32, DUST), (1, PLENTY)] {
        // The address follows the bucket's public schedule count.
        let next = f.config().await.schedule_count[Bucket::Seed.index()];
        assert_eq!(next, index);
        let address = sdk::vesting(&b.pubkey(), Bucket::Seed, index);
        f.h.prefund(&address, lamports).await;
        let schedule =
            f.create_vesting(&b.pubkey(), Bucket::Seed, now - 10, now - 10, now - 1, 5 * IO).await.unwrap();
        assert_eq!(schedule, address);
        let s: VestingSchedule = f.h.account(&schedule).await;
        assert_eq!(
            (s.beneficiary, s.bucket, s.index, s.total, s.claimed),
            (b.pubkey(), Bucket::Seed, index, 5 * IO, 0)
        );
        f.claim_vested(&b, &schedule, &bt).await.unwrap();
    }
    assert_eq!(f.h.token_balance(&bt).await, 10 * IO);
    // The same index again: the seeds follow the count, so an old address is refused by its seeds,
    // and nothing overwrites a live schedule.
    let admin = f.admin.insecure_clone();
    let ix = sdk::create_vesting(&admin.pubkey(), &b.pubkey(), Bucket::Seed, 0, now, now, now + 10, IO);
    assert_error(f.as_admin(ix).await, anchor_code(AnchorError::ConstraintSeeds));
    f.assert_ledger().await;
}

#[tokio::test]
async fn a_prefunded_airdrop_campaign_address_is_still_created() {
    let mut f = TokenFixture::launched().await;
    let (w, wt) = f.wallet().await;
    let expiry = f.h.now().await + 1_000;
    for (id, lamports) in [(5u64, DUST), (6, PLENTY)] {
        f.h.prefund(&sdk::airdrop(id), lamports).await;
        let tree = AirdropTree::new(id, vec![(w.pubkey(), 3 * IO), (Pubkey::new_unique(), IO)]);
        f.create_airdrop(&tree, expiry).await.unwrap();
        let raw = f.h.raw_account(&sdk::airdrop(id)).await.unwrap();
        assert_eq!((raw.owner, raw.data.len()), (io_token::ID, AirdropCampaign::SPACE));
        let c: AirdropCampaign = f.h.account(&sdk::airdrop(id)).await;
        assert_eq!((c.campaign_id, c.total, c.expiry_ts, c.merkle_root), (id, 4 * IO, expiry, tree.root()));
        assert_eq!(c.bump, Pubkey::find_program_address(&[AIRDROP_SEED, &id.to_le_bytes()], &io_token::ID).1);
        f.claim_airdrop(&tree, 0, &w, &wt).await.unwrap();
        // The same campaign id again, even with another root, is refused and changes nothing.
        let other = AirdropTree::new(id, vec![(w.pubkey(), 100 * IO)]);
        assert_error(f.create_airdrop(&other, expiry).await, already_set());
        let c: AirdropCampaign = f.h.account(&sdk::airdrop(id)).await;
        assert_eq!((c.merkle_root, c.claimed_amount, c.claimed_count), (tree.root(), 3 * IO, 1));
    }
    assert_eq!(f.h.token_balance(&wt).await, 6 * IO);
    assert_eq!(f.config().await.campaign_count, 2);
    f.assert_ledger().await;
}
