//! Community airdrops: the admin reserves part of the community bucket for a campaign with a
//! Merkle root of `(index, wallet, amount)` leaves; each wallet claims its leaf once before the
//! expiry; after it anyone closes the campaign, which returns the unclaimed rest to the bucket.
//! The tokens stay in the community vault throughout: a campaign is a reservation.
use super::{now, pay_out};
use crate::{
    constants::*,
    error::{MathResultExt, TokenError},
    events::*,
    state::*,
};
use anchor_lang::{prelude::*, Discriminator};
use anchor_spl::token::{Mint, Token, TokenAccount};
use io_math::{add, sub};

const COMMUNITY: usize = 0;

#[event_cpi]
#[derive(Accounts)]
#[instruction(campaign_id: u64)]
pub struct CreateAirdrop<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, TokenConfig>>,
    /// CHECK: the campaign, created here through `io_program_kit` (its address follows the
    /// public campaign id, so anyone could send it lamports first) and then written as a
    /// zero-copy `AirdropCampaign`.
    #[account(mut, seeds = [AIRDROP_SEED, &campaign_id.to_le_bytes()], bump)]
    pub campaign: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl<'info> CreateAirdrop<'info> {
    /// Creates the campaign account at its PDA (pre-funded or not), then does what Anchor's
    /// `load_init` and exit do for a zero-copy account: `fill` writes the zeroed body in place, and
    /// the discriminator is written last. A second creation fails in the kit with
    /// `AccountDiscriminatorAlreadySet`.
    fn create_campaign(
        &self,
        seeds: &[&[u8]],
        fill: impl FnOnce(&mut AirdropCampaign) -> Result<()>,
    ) -> Result<()> {
        io_program_kit::create_pda(
            &self.admin,
            &self.campaign,
            &self.system_program,
            AirdropCampaign::SPACE,
            &crate::ID,
            seeds,
        )?;
        let mut data = self.campaign.try_borrow_mut_data()?;
        let (disc, body) = data.split_at_mut(AirdropCampaign::DISCRIMINATOR.len());
        let body = body.get_mut(..core::mem::size_of::<AirdropCampaign>()).ok_or(TokenError::MathOverflow)?;
        fill(bytemuck::from_bytes_mut(body))?;
        disc.copy_from_slice(AirdropCampaign::DISCRIMINATOR);
        Ok(())
    }
}

/// Reserves `total` of the community bucket for campaign `campaign_id`, claimable against
/// `merkle_root` until `expiry_ts`.
pub fn handle_create_airdrop(
    mut ctx: Context<CreateAirdrop>,
    campaign_id: u64,
    merkle_root: [u8; 32],
    total: u64,
    expiry_ts: i64,
) -> Result<()> {
    let ts = now()?;
    let a = &mut ctx.accounts;
    // A campaign id is used once: say so before judging the new campaign's figures.
    io_program_kit::ensure_uninitialized(&a.campaign)?;
    require!(a.config.genesis_done, TokenError::GenesisNotDone);
    require!(total > 0, TokenError::ZeroAmount);
    require!(merkle_root != [0u8; 32], TokenError::InvalidParams);
    require!(expiry_ts > ts, TokenError::InvalidExpiry);
    require!(total <= a.config.unallocated(Bucket::Community)?, TokenError::BucketExhausted);
    let config = &mut a.config;
    let allocated_before = config.allocated[COMMUNITY];
    config.allocated[COMMUNITY] = add(allocated_before, total).math()?;
    config.campaign_count = config.campaign_count.checked_add(1).ok_or(TokenError::MathOverflow)?;
    a.config.invariant()?;
    let (id_seed, bump) = (campaign_id.to_le_bytes(), ctx.bumps.campaign);
    a.create_campaign(&[AIRDROP_SEED, &id_seed, &[bump]], |c| {
        c.campaign_id = campaign_id;
        c.total = total;
        c.expiry_ts = expiry_ts;
        c.created_ts = ts;
        c.merkle_root = merkle_root;
        c.bump = bump;
        c.invariant()
    })?;
    let ev = AirdropCreated {
        campaign: a.campaign.key(),
        campaign_id,
        merkle_root,
        total,
        expiry_ts,
        community_allocated_before: allocated_before,
        community_allocated_after: a.config.allocated[COMMUNITY],
    };
    emit_cpi!(ev);
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimAirdrop<'info> {
    /// The wallet of the leaf.
    pub claimant: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = io_mint,
        constraint = config.is_live() @ TokenError::Paused)]
    pub config: Box<Account<'info, TokenConfig>>,
    #[account(mut, seeds = [AIRDROP_SEED, &campaign.load()?.campaign_id.to_le_bytes()],
        bump = campaign.load()?.bump)]
    pub campaign: AccountLoader<'info, AirdropCampaign>,
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut, address = config.vaults[COMMUNITY])]
    pub community_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = io_mint)]
    pub destination: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Pays leaf `index` (`claimant`, `amount`) of the campaign once, if `proof` leads from the leaf
/// to the campaign's root. A proof for another wallet's leaf does not verify for the signer.
pub fn handle_claim_airdrop(
    mut ctx: Context<ClaimAirdrop>,
    index: u32,
    amount: u64,
    proof: Vec<[u8; 32]>,
) -> Result<()> {
    let ts = now()?;
    let a = &mut ctx.accounts;
    let claimant = a.claimant.key();
    let (campaign_id, before, after, count) = {
        let mut c = a.campaign.load_mut()?;
        require!(ts < c.expiry_ts, TokenError::AirdropExpired);
        require!(!c.is_closed(), TokenError::AirdropClosed);
        require!(amount > 0, TokenError::ZeroAmount);
        require!(index < MAX_AIRDROP_CLAIMS, TokenError::ClaimIndexOutOfRange);
        require!(proof.len() <= MAX_PROOF_LEN, TokenError::InvalidProof);
        let leaf = airdrop_leaf(c.campaign_id, index, &claimant, amount);
        require!(io_merkle::verify(&proof, &c.merkle_root, &leaf), TokenError::InvalidProof);
        require!(!c.is_claimed(index)?, TokenError::AlreadyClaimed);
        let before = c.claimed_amount;
        let after = add(before, amount).math()?;
        require!(after <= c.total, TokenError::CampaignExhausted);
        c.set_claimed(index)?;
        c.claimed_amount = after;
        c.claimed_count = c.claimed_count.checked_add(1).ok_or(TokenError::MathOverflow)?;
        c.invariant()?;
        (c.campaign_id, before, after, c.claimed_count)
    };
    pay_out(&a.token_program, &a.config, &a.community_vault, &a.destination, &a.io_mint, amount)?;
    a.config.released[COMMUNITY] = add(a.config.released[COMMUNITY], amount).math()?;
    // Anyone may send tokens into a vault, so it holds at least what the ledger says.
    a.community_vault.reload()?;
    require!(
        a.community_vault.amount
            >= sub(a.config.allocations[COMMUNITY], a.config.released[COMMUNITY]).math()?,
        TokenError::MathOverflow
    );
    a.config.invariant()?;
    let ev = AirdropClaimed {
        campaign: a.campaign.key(),
        campaign_id,
        index,
        wallet: claimant,
        amount,
        claimed_amount_before: before,
        claimed_amount_after: after,
        claimed_count_after: count,
    };
    emit_cpi!(ev);
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct CloseAirdrop<'info> {
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump,
        constraint = config.is_live() @ TokenError::Paused)]
    pub config: Box<Account<'info, TokenConfig>>,
    #[account(mut, seeds = [AIRDROP_SEED, &campaign.load()?.campaign_id.to_le_bytes()],
        bump = campaign.load()?.bump)]
    pub campaign: AccountLoader<'info, AirdropCampaign>,
}

/// Permissionless from the expiry on, once: the unclaimed rest goes back to the community
/// bucket's unallocated amount. The campaign account stays (its bitmap guards against replays).
pub fn handle_close_airdrop(mut ctx: Context<CloseAirdrop>) -> Result<()> {
    let ts = now()?;
    let a = &mut ctx.accounts;
    let (campaign_id, total, claimed, returned) = {
        let mut c = a.campaign.load_mut()?;
        require!(ts >= c.expiry_ts, TokenError::AirdropNotExpired);
        require!(!c.is_closed(), TokenError::AirdropClosed);
        let returned = sub(c.total, c.claimed_amount).math()?;
        c.returned = returned;
        c.closed = 1;
        c.invariant()?;
        (c.campaign_id, c.total, c.claimed_amount, returned)
    };
    let config = &mut a.config;
    let allocated_before = config.allocated[COMMUNITY];
    config.allocated[COMMUNITY] = sub(allocated_before, returned).math()?;
    config.invariant()?;
    let ev = AirdropClosed {
        campaign: a.campaign.key(),
        campaign_id,
        total,
        claimed_amount: claimed,
        returned,
        community_allocated_before: allocated_before,
        community_allocated_after: config.allocated[COMMUNITY],
    };
    emit_cpi!(ev);
    Ok(())
}
