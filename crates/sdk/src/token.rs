//! io_token: addresses, instruction builders and airdrop trees.
use crate::{event_authority, Instruction, Pubkey};
use anchor_lang::{InstructionData, ToAccountMetas};
use io_token::{
    accounts as acc, airdrop_leaf, constants::*, instruction as ix, io_merkle::MerkleTree, Bucket,
    BurnReason, EmissionParams,
};

pub use io_token::ID as PROGRAM_ID;

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &PROGRAM_ID).0
}

/// The config PDA `["token_config"]`: mint authority of $IO and owner of every vault.
pub fn config() -> Pubkey {
    pda(&[CONFIG_SEED])
}
/// The $IO mint, PDA `["io_mint"]`.
pub fn mint() -> Pubkey {
    pda(&[MINT_SEED])
}
/// The allocation vault of `bucket`, PDA `["vault", [bucket index]]`.
pub fn vault(bucket: Bucket) -> Pubkey {
    pda(&[VAULT_SEED, &bucket.seed()])
}
/// Where emissions go, PDA `["rewards_vault"]`.
pub fn rewards_vault() -> Pubkey {
    pda(&[REWARDS_VAULT_SEED])
}
/// Vesting schedule `index` of `bucket` (the bucket's `schedule_count` when it was created).
pub fn vesting(beneficiary: &Pubkey, bucket: Bucket, index: u32) -> Pubkey {
    pda(&[VESTING_SEED, beneficiary.as_ref(), &bucket.seed(), &index.to_le_bytes()])
}
/// Airdrop campaign `campaign_id`, PDA `["airdrop", campaign_id u64 LE]`.
pub fn airdrop(campaign_id: u64) -> Pubkey {
    pda(&[AIRDROP_SEED, &campaign_id.to_le_bytes()])
}
pub fn event_authority_pda() -> Pubkey {
    event_authority(&PROGRAM_ID)
}

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: PROGRAM_ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

const TOKEN_PROGRAM: Pubkey = anchor_spl::token::ID;
const SYSTEM_PROGRAM: Pubkey = anchor_lang::system_program::ID;

/* Admin */

pub fn initialize(admin: &Pubkey, decimals: u8, params: EmissionParams) -> Instruction {
    build(
        acc::Initialize {
            admin: *admin,
            config: config(),
            io_mint: mint(),
            token_program: TOKEN_PROGRAM,
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::Initialize { decimals, params },
    )
}

fn admin_only(admin: &Pubkey) -> acc::AdminOnly {
    acc::AdminOnly {
        admin: *admin,
        config: config(),
        event_authority: event_authority_pda(),
        program: PROGRAM_ID,
    }
}

pub fn propose_admin(admin: &Pubkey, new_admin: Pubkey) -> Instruction {
    build(admin_only(admin), ix::ProposeAdmin { new_admin })
}

pub fn accept_admin(new_admin: &Pubkey) -> Instruction {
    build(
        acc::AcceptAdmin {
            new_admin: *new_admin,
            config: config(),
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::AcceptAdmin {},
    )
}

pub fn set_paused(admin: &Pubkey, paused: bool) -> Instruction {
    build(admin_only(admin), ix::SetPaused { paused })
}

pub fn set_burn_authority(admin: &Pubkey, reason: BurnReason, authority: Pubkey) -> Instruction {
    build(admin_only(admin), ix::SetBurnAuthority { reason, authority })
}

pub fn set_rewards_distributor(admin: &Pubkey, distributor: Pubkey) -> Instruction {
    build(admin_only(admin), ix::SetRewardsDistributor { distributor })
}

pub fn genesis(admin: &Pubkey) -> Instruction {
    build(
        acc::Genesis {
            admin: *admin,
            config: config(),
            io_mint: mint(),
            community_vault: vault(Bucket::Community),
            rnd_vault: vault(Bucket::RnD),
            early_contributors_vault: vault(Bucket::EarlyContributors),
            series_a_vault: vault(Bucket::SeriesA),
            seed_vault: vault(Bucket::Seed),
            rewards_vault: rewards_vault(),
            token_program: TOKEN_PROGRAM,
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::Genesis {},
    )
}

/// Grants a schedule; `index` must be the bucket's current `schedule_count` in the config.
#[allow(clippy::too_many_arguments)]
pub fn create_vesting(
    admin: &Pubkey,
    beneficiary: &Pubkey,
    bucket: Bucket,
    index: u32,
    start_ts: i64,
    cliff_ts: i64,
    end_ts: i64,
    amount: u64,
) -> Instruction {
    build(
        acc::CreateVesting {
            admin: *admin,
            config: config(),
            schedule: vesting(beneficiary, bucket, index),
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::CreateVesting { beneficiary: *beneficiary, bucket, start_ts, cliff_ts, end_ts, amount },
    )
}

pub fn create_airdrop(
    admin: &Pubkey,
    campaign_id: u64,
    merkle_root: [u8; 32],
    total: u64,
    expiry_ts: i64,
) -> Instruction {
    build(
        acc::CreateAirdrop {
            admin: *admin,
            config: config(),
            campaign: airdrop(campaign_id),
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::CreateAirdrop { campaign_id, merkle_root, total, expiry_ts },
    )
}

/* Beneficiaries and claimants */

/// Claims schedule `schedule` of `bucket` into `destination` (any $IO account).
pub fn claim_vested(
    beneficiary: &Pubkey,
    schedule: &Pubkey,
    bucket: Bucket,
    destination: &Pubkey,
) -> Instruction {
    build(
        acc::ClaimVested {
            beneficiary: *beneficiary,
            config: config(),
            schedule: *schedule,
            io_mint: mint(),
            vault: vault(bucket),
            destination: *destination,
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::ClaimVested {},
    )
}

pub fn claim_airdrop(
    claimant: &Pubkey,
    campaign_id: u64,
    destination: &Pubkey,
    index: u32,
    amount: u64,
    proof: Vec<[u8; 32]>,
) -> Instruction {
    build(
        acc::ClaimAirdrop {
            claimant: *claimant,
            config: config(),
            campaign: airdrop(campaign_id),
            io_mint: mint(),
            community_vault: vault(Bucket::Community),
            destination: *destination,
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::ClaimAirdrop { index, amount, proof },
    )
}

/* Anyone */

pub fn close_airdrop(campaign_id: u64) -> Instruction {
    build(
        acc::CloseAirdrop {
            config: config(),
            campaign: airdrop(campaign_id),
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::CloseAirdrop {},
    )
}

pub fn emit() -> Instruction {
    build(
        acc::Emit {
            config: config(),
            io_mint: mint(),
            rewards_vault: rewards_vault(),
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::Emit {},
    )
}

/// Burns `amount` from `from` (an $IO account owned by `authority`). The account order —
/// authority, config, io_mint, from, token_program, event_authority, program — is what CPI
/// callers rely on.
pub fn burn(authority: &Pubkey, from: &Pubkey, amount: u64, reason: BurnReason) -> Instruction {
    build(
        acc::Burn {
            authority: *authority,
            config: config(),
            io_mint: mint(),
            from: *from,
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::Burn { amount, reason },
    )
}

/* Rewards distributor */

pub fn withdraw_rewards(distributor: &Pubkey, destination: &Pubkey, amount: u64) -> Instruction {
    build(
        acc::WithdrawRewards {
            rewards_distributor: *distributor,
            config: config(),
            io_mint: mint(),
            rewards_vault: rewards_vault(),
            destination: *destination,
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::WithdrawRewards { amount },
    )
}

/* Airdrop trees */

/// The Merkle tree of an airdrop campaign: leaf `i` is `(i, wallet, amount)` of `entries[i]`,
/// hashed as the program verifies it.
pub struct AirdropTree {
    pub campaign_id: u64,
    pub entries: Vec<(Pubkey, u64)>,
    tree: MerkleTree,
}

impl AirdropTree {
    pub fn new(campaign_id: u64, entries: Vec<(Pubkey, u64)>) -> Self {
        let leaves = entries
            .iter()
            .enumerate()
            .map(|(i, (wallet, amount))| {
                let index = u32::try_from(i).expect("at most u32::MAX leaves");
                airdrop_leaf(campaign_id, index, wallet, *amount)
            })
            .collect();
        AirdropTree { campaign_id, entries, tree: MerkleTree::new(leaves) }
    }

    pub fn root(&self) -> [u8; 32] {
        self.tree.root()
    }

    /// Σ of the entries' amounts (what the campaign should reserve).
    pub fn total(&self) -> u64 {
        self.entries.iter().map(|(_, a)| *a).sum()
    }

    /// The proof of leaf `index`; `None` past the last leaf.
    pub fn proof(&self, index: u32) -> Option<Vec<[u8; 32]>> {
        self.tree.proof(usize::try_from(index).ok()?)
    }

    /// The `claim_airdrop` instruction of leaf `index`, paid into `destination`.
    pub fn claim(&self, index: u32, destination: &Pubkey) -> Option<Instruction> {
        let (wallet, amount) = self.entries.get(usize::try_from(index).ok()?)?;
        Some(claim_airdrop(wallet, self.campaign_id, destination, index, *amount, self.proof(index)?))
    }
}
