use crate::common::*;
use io_token::{BurnReason, TokenConfig};

/// 2.5 USDC per whole $IO.
const PRICE: u64 = 2_500_000;

async fn setup() -> (EscrowFixture, Pubkey, Pubkey) {
    let mut f = EscrowFixture::new().await;
    let (usdc, io) = (f.usdc_mint(), f.io_mint());
    // Fees collected in the treasury, and $IO the treasury authority bought on the market.
    f.s.h.mint_to(&usdc, &sdk::treasury(&usdc), 1_000 * USDC).await;
    let t = f.treasury.insecure_clone();
    let t_usdc = f.s.h.create_token_account(&usdc, &t.pubkey()).await;
    let t_io = f.s.h.create_token_account(&io, &t.pubkey()).await;
    f.s.h.mint_to(&io, &t_io, 1_000 * IO).await;
    (f, t_usdc, t_io)
}

#[tokio::test]
async fn buyback_burns_within_the_price_bound_and_keeps_a_ledger() {
    let (mut f, t_usdc, t_io) = setup().await;
    let (usdc, io) = (f.usdc_mint(), f.io_mint());
    let t = f.treasury.insecure_clone();
    // No price yet.
    let ix = sdk::buyback_burn(&t.pubkey(), &usdc, &io, &t_usdc, &t_io, 10 * USDC, 4 * IO);
    assert_error(f.s.h.send_one(ix, &[&t]).await, code(EscrowError::PriceStale));
    let p = f.price.insecure_clone();
    f.s.h.send_one(sdk::set_price(&p.pubkey(), PRICE), &[&p]).await.unwrap();
    // 10 USDC buys 4 $IO at 2.5; 3% slippage allows down to 3.88 $IO.
    let ix = sdk::buyback_burn(&t.pubkey(), &usdc, &io, &t_usdc, &t_io, 10 * USDC, 388 * IO / 100 - 1);
    assert_error(f.s.h.send_one(ix, &[&t]).await, code(EscrowError::BuybackBelowPrice));
    let supply = f.s.h.mint_supply(&io).await;
    let ix = sdk::buyback_burn(&t.pubkey(), &usdc, &io, &t_usdc, &t_io, 10 * USDC, 388 * IO / 100);
    f.s.h.send_one(ix, &[&t]).await.unwrap();
    assert_eq!(f.s.h.mint_supply(&io).await, supply - 388 * IO / 100, "an SPL burn: the supply went down");
    assert_eq!(f.s.h.token_balance(&t_usdc).await, 10 * USDC);
    assert_eq!(f.s.h.token_balance(&sdk::treasury(&usdc)).await, 990 * USDC);
    let c = f.config().await;
    assert_eq!((c.buyback_usdc_spent, c.buyback_io_burned, c.buyback_count), (10 * USDC, 388 * IO / 100, 1));
    let tc: TokenConfig = f.s.h.account(&io_sdk::token::config()).await;
    assert_eq!(tc.burned[BurnReason::Buyback as usize], 388 * IO / 100);
    assert_eq!(tc.total_minted - tc.total_burned, f.s.h.mint_supply(&io).await);
    // A stale price refuses.
    f.s.h.warp_seconds(f.params.max_price_age_secs + 1).await;
    let ix = sdk::buyback_burn(&t.pubkey(), &usdc, &io, &t_usdc, &t_io, USDC, IO);
    assert_error(f.s.h.send_one(ix, &[&t]).await, code(EscrowError::PriceStale));
}

#[tokio::test]
async fn buyback_is_the_treasury_authoritys_alone() {
    let (mut f, t_usdc, t_io) = setup().await;
    let (usdc, io) = (f.usdc_mint(), f.io_mint());
    let p = f.price.insecure_clone();
    f.s.h.send_one(sdk::set_price(&p.pubkey(), PRICE), &[&p]).await.unwrap();
    let k = f.s.h.funded_keypair(1_000_000_000).await;
    let k_usdc = f.s.h.create_token_account(&usdc, &k.pubkey()).await;
    let k_io = f.s.h.create_token_account(&io, &k.pubkey()).await;
    let ix = sdk::buyback_burn(&k.pubkey(), &usdc, &io, &k_usdc, &k_io, USDC, IO);
    assert_error(f.s.h.send_one(ix, &[&k]).await, anchor_code(AnchorError::ConstraintHasOne));
    let t = f.treasury.insecure_clone();
    let ix = unsigned(sdk::buyback_burn(&t.pubkey(), &usdc, &io, &t_usdc, &t_io, USDC, IO), &t.pubkey());
    assert_error(f.s.h.send_one(ix, &[]).await, anchor_code(AnchorError::AccountNotSigner));
    // The USDC cannot be sent to someone else's account.
    let ix = sdk::buyback_burn(&t.pubkey(), &usdc, &io, &k_usdc, &t_io, USDC, IO);
    assert_error(f.s.h.send_one(ix, &[&t]).await, anchor_code(AnchorError::ConstraintTokenOwner));
    // A fake io_token program.
    let ix = swap_account(
        sdk::buyback_burn(&t.pubkey(), &usdc, &io, &t_usdc, &t_io, USDC, IO),
        &io_token::ID,
        &Pubkey::new_unique(),
    );
    assert_error(f.s.h.send_one(ix, &[&t]).await, anchor_code(AnchorError::ConstraintAddress));
    assert_error(
        f.s.h.send_one(sdk::buyback_burn(&t.pubkey(), &usdc, &io, &t_usdc, &t_io, 0, IO), &[&t]).await,
        code(EscrowError::ZeroAmount),
    );
}
