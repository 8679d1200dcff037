//! S-1 / F-6: every io_staking account at a predictable address (config, the three vaults,
//! operators, devices, slashes) is created even when a stranger sent lamports there first, and a
//! second creation is still refused. Positions are covered with the staker instructions.
use crate::common::*;
use io_merkle::MerkleTree;
use io_oracle::{leaves, ReportBody};
use io_testkit::oracle::Quorum;

/// Lamports a griefer sends: a little (the least the runtime lets an empty address hold, below
/// the rent of any of these accounts) or a lot (above it); both must be harmless.
const DUST: u64 = 1_000_000;
const PLENTY: u64 = 5_000_000_000;

#[tokio::test]
async fn initialize_succeeds_with_config_and_every_vault_prefunded() {
    let mut h = Harness::full_stack().await;
    let admin = h.funded_keypair(10_000_000_000).await;
    for (address, lamports) in [
        (sdk::config(), DUST),
        (sdk::stake_vault(), PLENTY),
        (sdk::bond_vault(), DUST),
        (sdk::reward_vault(), 2_000_000),
    ] {
        h.prefund(&address, lamports).await;
    }
    let mint = h.io_mint;
    let params = Params::defaults(9);
    let ix = sdk::initialize(&admin.pubkey(), &mint, params, Pubkey::new_unique(), Pubkey::new_unique());
    h.send_one(ix.clone(), &[&admin]).await.unwrap();
    let c: Config = h.account(&sdk::config()).await;
    assert_eq!((c.admin, c.io_mint, c.stake_vault), (admin.pubkey(), mint, sdk::stake_vault()));
    for vault in [sdk::stake_vault(), sdk::bond_vault(), sdk::reward_vault()] {
        let raw = h.raw_account(&vault).await.unwrap();
        assert_eq!(raw.owner, anchor_spl::token::ID, "{vault} is a token account");
        assert_eq!(h.token_balance(&vault).await, 0);
    }
    // The pre-funded lamports stay (the donor's loss); the vaults work as any other.
    assert!(h.raw_account(&sdk::stake_vault()).await.unwrap().lamports >= PLENTY);
    assert_error(h.send_one(ix, &[&admin]).await, anchor_code(AnchorError::AccountDiscriminatorAlreadySet));
}

#[tokio::test]
async fn a_prefunded_operator_address_still_registers() {
    let mut f = StakingFixture::new().await;
    let k = f.h.funded_keypair(1_000_000_000).await;
    f.h.prefund(&sdk::operator(&k.pubkey()), DUST).await;
    let ix = sdk::register_operator(&k.pubkey(), "op", "eu", "", 100);
    f.h.send_one(ix.clone(), &[&k]).await.unwrap();
    let o: Operator = f.h.account(&sdk::operator(&k.pubkey())).await;
    assert_eq!((o.authority, o.commission_bps, o.pending_slashes), (k.pubkey(), 100, 0));
    assert_error(f.h.send_one(ix, &[&k]).await, anchor_code(AnchorError::AccountDiscriminatorAlreadySet));
    // Pre-funded with more than the rent: nothing is taken from the registrant beyond fees.
    let k2 = f.h.funded_keypair(1_000_000_000).await;
    f.h.prefund(&sdk::operator(&k2.pubkey()), PLENTY).await;
    f.h.send_one(sdk::register_operator(&k2.pubkey(), "op2", "eu", "", 0), &[&k2]).await.unwrap();
    assert_eq!(f.config().await.operator_count, 2);
}

#[tokio::test]
async fn a_prefunded_device_address_still_registers() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 10_000 * IO).await;
    let spec = StakingFixture::gpu_spec(HardwareClass::FlagshipGpu, 1, 4);
    f.h.prefund(&sdk::device(&op.address, &spec.id_hash), DUST).await;
    let dev = f.device(&op, spec.clone()).await.unwrap();
    let d: Device = f.h.account(&dev).await;
    assert_eq!((d.operator, d.status), (op.address, DeviceStatus::Pending));
    assert_eq!(f.operator_state(&op.address).await.devices_registered, 1);
    f.add_bond(&op, 2_000 * IO).await.unwrap();
    f.activate(&op, &dev).await.unwrap();
    assert_error(f.device(&op, spec).await, anchor_code(AnchorError::AccountDiscriminatorAlreadySet));
}

/// F-6: the operator pre-funds the slash address it expects (the evidence hash is public once
/// the slashes tree is): the oracle authority's proposal still opens the slash.
#[tokio::test]
async fn a_prefunded_slash_address_cannot_stop_the_oracle_authoritys_slash() {
    let mut f = StakingFixture::new().await;
    let (op, _) = bonded_operator(&mut f, 0, 2_000 * IO, 1).await;
    let evidence = [42u8; 32];
    f.h.prefund(&sdk::slash(&op.address, &evidence), DUST).await;
    let slash = f.propose_slash_for(&op.address, 500 * IO, evidence).await.unwrap();
    let sl: Slash = f.h.account(&slash).await;
    assert_eq!((sl.amount, sl.status, sl.operator), (500 * IO, SlashStatus::Pending, op.address));
    assert_eq!(f.operator_state(&op.address).await.pending_slashes, 1);
    assert_error(
        f.propose_slash_for(&op.address, 500 * IO, evidence).await,
        anchor_code(AnchorError::AccountDiscriminatorAlreadySet),
    );
    f.h.warp_seconds(f.params.slash_appeal_secs).await;
    f.execute_slash(&op.address, &slash).await.unwrap();
    assert_eq!(f.operator_state(&op.address).await.bond, 1_500 * IO);
}

#[tokio::test]
async fn a_prefunded_slash_address_cannot_stop_a_slash_from_a_report() {
    let mut f = StakingFixture::new().await;
    let q = Quorum::init(&mut f.h, 3).await;
    let op = f.operator(0, 10_000 * IO).await;
    f.add_bond(&op, 3_000 * IO).await.unwrap();
    let evidence = [9u8; 32];
    let tree = MerkleTree::new(vec![leaves::slash_leaf(&op.address, 1_000 * IO, &evidence)]);
    let report = q.publish(&mut f.h, ReportBody { slashes_root: tree.root(), ..Default::default() }).await;
    f.h.prefund(&sdk::slash(&op.address, &evidence), PLENTY).await;
    let payer = f.h.payer().insecure_clone();
    let ix = sdk::propose_slash_from_report(
        &payer.pubkey(),
        &op.address,
        &report,
        1_000 * IO,
        evidence,
        tree.proof(0).unwrap(),
    );
    f.h.send_one(ix.clone(), &[]).await.unwrap();
    let sl: Slash = f.h.account(&sdk::slash(&op.address, &evidence)).await;
    assert_eq!((sl.amount, sl.status), (1_000 * IO, SlashStatus::Pending));
    assert_error(f.h.send_one(ix, &[]).await, anchor_code(AnchorError::AccountDiscriminatorAlreadySet));
}
