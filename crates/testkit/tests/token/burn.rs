use crate::common::*;
use anchor_lang::prelude::borsh;
use anchor_lang::Discriminator;

#[tokio::test]
async fn any_holder_burns_with_reason_other() {
    let mut f = TokenFixture::launched().await;
    let (w, wt) = f.wallet().await;
    f.fund(&wt, 100 * IO).await;
    let supply = f.supply().await;
    let events =
        f.h.send_events(&[sdk::burn(&w.pubkey(), &wt, 40 * IO, BurnReason::Other)], &[&w]).await.unwrap();
    let ev: Burned = decode_event(&events[0]).expect("a Burned event");
    assert_eq!((ev.reason, ev.authority, ev.from, ev.amount), (BurnReason::Other, w.pubkey(), wt, 40 * IO));
    assert_eq!(
        (ev.reason_burned_before, ev.reason_burned_after, ev.total_burned_after),
        (0, 40 * IO, 40 * IO)
    );
    assert_eq!(ev.total_minted, 500_000_000 * IO);
    assert_eq!(ev.supply_after, supply - 40 * IO);
    assert_eq!(f.supply().await, supply - 40 * IO, "an SPL burn: the supply goes down");
    assert_eq!(f.h.token_balance(&wt).await, 60 * IO);
    let c = f.config().await;
    assert_eq!((c.burned, c.total_burned), ([0, 0, 0, 40 * IO], 40 * IO));
    f.assert_ledger().await;
}

#[tokio::test]
async fn reserved_reasons_belong_to_their_burn_authority() {
    let mut f = TokenFixture::launched().await;
    let admin = f.admin.insecure_clone();
    let (w, wt) = f.wallet().await;
    let (fees, ft) = f.wallet().await;
    let (slasher, st) = f.wallet().await;
    f.fund(&wt, 100 * IO).await;
    f.fund(&ft, 100 * IO).await;
    f.fund(&st, 100 * IO).await;
    // Nobody holds a reserved reason until the admin names its authority.
    for reason in [BurnReason::LeaseFee, BurnReason::Buyback, BurnReason::Slash] {
        assert_error(f.burn(&w, &wt, IO, reason).await, code(TokenError::UnauthorizedBurnReason));
    }
    f.as_admin(sdk::set_burn_authority(&admin.pubkey(), BurnReason::LeaseFee, fees.pubkey())).await.unwrap();
    f.as_admin(sdk::set_burn_authority(&admin.pubkey(), BurnReason::Slash, slasher.pubkey())).await.unwrap();
    f.burn(&fees, &ft, 3 * IO, BurnReason::LeaseFee).await.unwrap();
    f.burn(&slasher, &st, 5 * IO, BurnReason::Slash).await.unwrap();
    f.burn(&slasher, &st, 7 * IO, BurnReason::Other).await.unwrap();
    // Each authority holds its own reason only.
    assert_error(f.burn(&fees, &ft, IO, BurnReason::Slash).await, code(TokenError::UnauthorizedBurnReason));
    assert_error(
        f.burn(&slasher, &st, IO, BurnReason::LeaseFee).await,
        code(TokenError::UnauthorizedBurnReason),
    );
    assert_error(f.burn(&w, &wt, IO, BurnReason::LeaseFee).await, code(TokenError::UnauthorizedBurnReason));
    assert_error(f.burn(&fees, &ft, IO, BurnReason::Buyback).await, code(TokenError::UnauthorizedBurnReason));
    let c = f.config().await;
    assert_eq!(c.burned, [3 * IO, 0, 5 * IO, 7 * IO]);
    assert_eq!(c.total_burned, 15 * IO);
    // Replacing an authority takes the reason away from the old one.
    f.as_admin(sdk::set_burn_authority(&admin.pubkey(), BurnReason::LeaseFee, w.pubkey())).await.unwrap();
    assert_error(
        f.burn(&fees, &ft, IO, BurnReason::LeaseFee).await,
        code(TokenError::UnauthorizedBurnReason),
    );
    f.burn(&w, &wt, IO, BurnReason::LeaseFee).await.unwrap();
    assert_eq!(f.config().await.burned, [4 * IO, 0, 5 * IO, 7 * IO]);
    f.assert_ledger().await;
}

#[tokio::test]
async fn burn_rejections() {
    let mut f = TokenFixture::launched().await;
    let (w, wt) = f.wallet().await;
    let (_, ot) = f.wallet().await;
    f.fund(&wt, 10 * IO).await;
    f.fund(&ot, 10 * IO).await;
    let ix = |amount: u64| sdk::burn(&w.pubkey(), &wt, amount, BurnReason::Other);
    assert_error(f.h.send_one(ix(0), &[&w]).await, code(TokenError::ZeroAmount));
    assert_error(
        f.h.send_one(unsigned(ix(IO), &w.pubkey()), &[]).await,
        anchor_code(AnchorError::AccountNotSigner),
    );
    // Someone else's account.
    let theft = sdk::burn(&w.pubkey(), &ot, IO, BurnReason::Other);
    assert_error(f.h.send_one(theft, &[&w]).await, anchor_code(AnchorError::ConstraintTokenOwner));
    // An account of another mint, with that mint too.
    let (o, foreign) = f.h.user_with_io(10 * IO).await;
    let other_mint = f.h.io_mint;
    let wrong = sdk::burn(&o.pubkey(), &foreign, IO, BurnReason::Other);
    assert_error(f.h.send_one(wrong.clone(), &[&o]).await, anchor_code(AnchorError::ConstraintTokenMint));
    assert_error(
        f.h.send_one(swap_account(wrong, &sdk::mint(), &other_mint), &[&o]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    // A look-alike config owned by another program.
    let fake = look_alike(&mut f.h, &sdk::config(), &io_staking::ID).await;
    assert_error(
        f.h.send_one(swap_account(ix(IO), &sdk::config(), &fake), &[&w]).await,
        anchor_code(AnchorError::AccountOwnedByWrongProgram),
    );
    // More than the account holds: SPL Token's own refusal (InsufficientFunds = 1).
    assert_error(f.h.send_one(ix(11 * IO), &[&w]).await, 1u32);
    assert_eq!(f.config().await.total_burned, 0, "nothing counted by the refusals");
    f.assert_ledger().await;
}

/// Other programs hard-code the wire format of `burn` in their CPIs (io_escrow's buyback does):
/// the discriminator, the argument layout, the reason indices and the account order must never
/// change.
#[test]
fn burn_wire_format_is_stable() {
    assert_eq!(io_token::instruction::Burn::DISCRIMINATOR, [116, 110, 29, 56, 107, 219, 42, 93]);
    let reasons: Vec<Vec<u8>> = BurnReason::ALL.iter().map(|r| borsh::to_vec(r).unwrap()).collect();
    assert_eq!(reasons, vec![vec![0], vec![1], vec![2], vec![3]]);
    let (authority, from) = (Pubkey::new_unique(), Pubkey::new_unique());
    let ix = sdk::burn(&authority, &from, 5, BurnReason::Buyback);
    let mut data = vec![116, 110, 29, 56, 107, 219, 42, 93];
    data.extend_from_slice(&5u64.to_le_bytes());
    data.push(1);
    assert_eq!(ix.data, data);
    let metas: Vec<(Pubkey, bool, bool)> =
        ix.accounts.iter().map(|m| (m.pubkey, m.is_signer, m.is_writable)).collect();
    assert_eq!(
        metas,
        vec![
            (authority, true, false),
            (sdk::config(), false, true),
            (sdk::mint(), false, true),
            (from, false, true),
            (anchor_spl::token::ID, false, false),
            (sdk::event_authority_pda(), false, false),
            (io_token::ID, false, false),
        ]
    );
    // The config address other programs derive.
    assert_eq!(sdk::config(), Pubkey::find_program_address(&[b"token_config"], &io_token::ID).0);
}

/// io_staking draws emitted rewards by CPI into `withdraw_rewards` (its config PDA is the rewards
/// distributor): that wire format is fixed too.
#[test]
fn withdraw_rewards_wire_format_is_stable() {
    assert_eq!(io_token::instruction::WithdrawRewards::DISCRIMINATOR, [10, 214, 219, 139, 205, 22, 251, 21]);
    let (distributor, destination) = (Pubkey::new_unique(), Pubkey::new_unique());
    let ix = sdk::withdraw_rewards(&distributor, &destination, 9);
    let mut data = vec![10, 214, 219, 139, 205, 22, 251, 21];
    data.extend_from_slice(&9u64.to_le_bytes());
    assert_eq!(ix.data, data);
    let metas: Vec<(Pubkey, bool, bool)> =
        ix.accounts.iter().map(|m| (m.pubkey, m.is_signer, m.is_writable)).collect();
    assert_eq!(
        metas,
        vec![
            (distributor, true, false),
            (sdk::config(), false, true),
            (sdk::mint(), false, false),
            (sdk::rewards_vault(), false, true),
            (destination, false, true),
            (anchor_spl::token::ID, false, false),
            (sdk::event_authority_pda(), false, false),
            (io_token::ID, false, false),
        ]
    );
}
