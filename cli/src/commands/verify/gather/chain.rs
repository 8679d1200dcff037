//! The chain as `io verify` reads it: the Clock, the four programs' configs and every account of
//! theirs (typed, as the programs wrote them), the $IO mint's supply, and the balance of every
//! vault the configs and the leases name. An account that does not decode, or a node that does
//! not answer, is an error (the sdk's): a figure is never recomputed from a partial chain.
use super::http::Meter;
use crate::context::Ctx;
use anchor_lang::{AccountDeserialize, AnchorSerialize, Discriminator};
use anchor_spl::token::{Mint, TokenAccount};
use anyhow::{anyhow, Result};
use io_sdk::{client::ClientError, escrow as esdk, token as tsdk, verify::snapshot::Chain, Pubkey};
use solana_rpc_client_api::{
    config::RpcAccountInfoConfig,
    request::RpcRequest,
    response::{Response, UiAccount, UiAccountEncoding},
};
use std::collections::BTreeMap;

/// `getMultipleAccounts` takes at most 100 addresses.
const MULTIPLE_ACCOUNTS_MAX: usize = 100;

pub async fn read(ctx: &Ctx, meter: &Meter) -> Result<Chain> {
    // The clock first: if the node does not answer, this is the sdk's "cannot reach" error.
    let time = ctx.c.chain_time().await?;
    meter.add(1, 0);
    let (token, staking, escrow, oracle) =
        tokio::try_join!(ctx.token_config(), ctx.staking_config(), ctx.escrow_config(), ctx.oracle_config())?;
    meter.add(4, size(&token) + size(&staking) + size(&escrow) + size(&oracle));
    let price = ctx.c.account::<io_escrow::PriceFeed>(&esdk::price_feed()).await?;
    meter.add(1, price.as_ref().map_or(0, size));
    let (operators, devices, positions, slashes, leases, offers, oracle_bonds, reports) = tokio::try_join!(
        all::<io_staking::Operator>(ctx, &io_staking::ID, meter),
        all::<io_staking::Device>(ctx, &io_staking::ID, meter),
        all::<io_staking::Position>(ctx, &io_staking::ID, meter),
        all::<io_staking::Slash>(ctx, &io_staking::ID, meter),
        all::<io_escrow::Lease>(ctx, &io_escrow::ID, meter),
        all::<io_escrow::Offer>(ctx, &io_escrow::ID, meter),
        all::<io_oracle::OracleBond>(ctx, &io_oracle::ID, meter),
        all::<io_oracle::Report>(ctx, &io_oracle::ID, meter),
    )?;

    // The mint and every vault in one batch of reads; the mint goes first.
    let mint = tsdk::mint();
    let mut vaults: Vec<Pubkey> = token.vaults.to_vec();
    vaults.extend([token.rewards_vault, staking.stake_vault, staking.bond_vault, staking.reward_vault]);
    vaults.extend([oracle.bond_vault, escrow.treasury_usdc, escrow.treasury_io, escrow.buyback_vault]);
    vaults.extend(leases.values().map(|l| l.vault));
    vaults.sort();
    vaults.dedup();
    let mut wanted = vec![mint];
    wanted.extend(vaults.iter().copied());
    let raw = accounts(ctx, &wanted, meter).await?;

    let mint_supply = match raw.get(&mint) {
        Some((owner, data)) if *owner == anchor_spl::token::ID => {
            Mint::try_deserialize(&mut data.as_slice())
                .map_err(|_| ClientError::WrongAccount { address: mint, expected: "an SPL token mint" })?
                .supply
        }
        Some(_) => Err(ClientError::WrongAccount { address: mint, expected: "an SPL token mint" })?,
        None => Err(ClientError::Missing { address: mint, what: "$IO mint" })?,
    };
    let mut balances = BTreeMap::new();
    for v in vaults {
        let Some((owner, data)) = raw.get(&v) else { continue };
        let wrong = || ClientError::WrongAccount { address: v, expected: "an SPL token account" };
        if *owner != anchor_spl::token::ID {
            return Err(wrong().into());
        }
        let acct = TokenAccount::try_deserialize(&mut data.as_slice()).map_err(|_| wrong())?;
        balances.insert(v, acct.amount);
    }

    Ok(Chain {
        now: time.unix_timestamp,
        slot: time.slot,
        token,
        mint_supply,
        staking,
        operators,
        devices,
        positions,
        slashes,
        escrow,
        leases,
        offers,
        price,
        oracle,
        oracle_bonds,
        reports,
        balances,
    })
}

/// The size of an account as the program wrote it: its discriminator and its fields (accounts
/// may hold spare space beyond; the count is of what was decoded).
fn size<T: AnchorSerialize>(v: &T) -> u64 {
    let mut buf = Vec::new();
    let fields = v.serialize(&mut buf).map_or(0, |()| buf.len());
    u64::try_from(fields.saturating_add(8)).unwrap_or(u64::MAX)
}

/// Every account of type `T` that `program` owns, by address.
async fn all<T: AccountDeserialize + Discriminator + AnchorSerialize>(
    ctx: &Ctx,
    program: &Pubkey,
    meter: &Meter,
) -> Result<BTreeMap<Pubkey, T>> {
    let list = ctx.c.program_accounts::<T>(program, vec![]).await?;
    meter.add(1, list.iter().map(|(_, v)| size(v)).fold(0u64, u64::saturating_add));
    Ok(list.into_iter().collect())
}

/// Owner and data of each of `keys` that exists, read 100 at a time with `getMultipleAccounts`
/// (base64: the default encoding cannot carry a 165-byte token account). An account the node
/// sends back undecodable is an error, never taken for a missing one.
async fn accounts(ctx: &Ctx, keys: &[Pubkey], meter: &Meter) -> Result<BTreeMap<Pubkey, (Pubkey, Vec<u8>)>> {
    let mut out = BTreeMap::new();
    for chunk in keys.chunks(MULTIPLE_ACCOUNTS_MAX) {
        let config = RpcAccountInfoConfig {
            encoding: Some(UiAccountEncoding::Base64),
            commitment: Some(ctx.c.rpc.commitment()),
            ..RpcAccountInfoConfig::default()
        };
        let addresses: Vec<String> = chunk.iter().map(Pubkey::to_string).collect();
        let resp: Response<Vec<Option<UiAccount>>> = ctx
            .c
            .rpc
            .send(RpcRequest::GetMultipleAccounts, serde_json::json!([addresses, config]))
            .await
            .map_err(|e| ctx.c.error(&e))?;
        if resp.value.len() != chunk.len() {
            return Err(anyhow!(
                "the RPC node at {} answered {} accounts for {} addresses",
                ctx.c.url(),
                resp.value.len(),
                chunk.len()
            ));
        }
        let mut bytes = 0u64;
        for (k, ui) in chunk.iter().zip(resp.value) {
            let Some(ui) = ui else { continue };
            let bad = |what: &str| anyhow!("the RPC node at {} sent account {k} {what}", ctx.c.url());
            let owner: Pubkey = ui.owner.parse().map_err(|_| bad("with an unreadable owner"))?;
            let data = ui.data.decode().ok_or_else(|| bad("undecodable"))?;
            bytes = bytes.saturating_add(u64::try_from(data.len()).unwrap_or(u64::MAX));
            out.insert(*k, (owner, data));
        }
        meter.add(1, bytes);
    }
    Ok(out)
}

/// Whether two reads of the chain found the same state (the clock aside): every account's
/// fields, the mint's supply and every vault's balance.
pub fn same_state(a: &Chain, b: &Chain) -> bool {
    fingerprint(a) == fingerprint(b)
}

/// Every account of `c` as the programs serialize it, in address order, then the supply and the
/// balances.
fn fingerprint(c: &Chain) -> Vec<u8> {
    fn put<T: AnchorSerialize>(out: &mut Vec<u8>, v: &T) {
        // Serializing into a Vec cannot fail; a failure would only make two reads differ.
        let _ = v.serialize(out);
    }
    fn all<T: AnchorSerialize>(out: &mut Vec<u8>, m: &BTreeMap<Pubkey, T>) {
        put(out, &(m.len() as u64));
        for (k, v) in m {
            put(out, k);
            put(out, v);
        }
    }
    let mut out = Vec::new();
    put(&mut out, &c.token);
    put(&mut out, &c.mint_supply);
    put(&mut out, &c.staking);
    put(&mut out, &c.escrow);
    put(&mut out, &c.price);
    put(&mut out, &c.oracle);
    all(&mut out, &c.operators);
    all(&mut out, &c.devices);
    all(&mut out, &c.positions);
    all(&mut out, &c.slashes);
    all(&mut out, &c.leases);
    all(&mut out, &c.offers);
    all(&mut out, &c.oracle_bonds);
    all(&mut out, &c.reports);
    all(&mut out, &c.balances);
    out
}
