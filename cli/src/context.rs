//! What every command has at hand: the connection and wallet, the prompt policy, and the reads
//! several areas share (program configs, the wallet's token accounts, program account scans).
use crate::{
    amount,
    client::{parse_pubkey, Client},
};
use anchor_lang::{prelude::Pubkey, Discriminator};
use anyhow::{anyhow, bail, Result};
use io_sdk::{escrow as esdk, staking as ssdk, token as tsdk};
use solana_rpc_client_api::{
    config::{RpcAccountInfoConfig, RpcProgramAccountsConfig},
    filter::{Memcmp, RpcFilterType},
    request::TokenAccountsFilter,
};
use std::io::{BufRead, IsTerminal, Write};

pub struct Ctx {
    pub c: Client,
    /// `--output json`: nothing but the one JSON object goes to stdout, and no prompt summary.
    pub json: bool,
    pub yes: bool,
}

/// A mint and how its amounts are written: decimals read from the chain, and the symbol shown.
#[derive(Clone, Copy)]
pub struct Money {
    pub mint: Pubkey,
    pub decimals: u8,
    pub symbol: &'static str,
}

impl Money {
    pub fn format(&self, base: u64) -> String {
        amount::format(base, self.decimals)
    }

    pub fn parse(&self, text: &str, what: &str) -> Result<u64> {
        amount::parse(text, self.decimals, what)
    }
}

impl Ctx {
    /// The chain's clock (the time of its latest block): what vesting and lease ends are judged
    /// by, which need not be this machine's time.
    pub async fn chain_now(&self) -> Result<i64> {
        let slot = self.c.call(self.c.rpc.get_slot()).await?;
        self.c.call(self.c.rpc.get_block_time(slot)).await
    }

    /// Asks for a yes unless `--yes`; refuses when no one can answer.
    pub fn confirm(&self, question: &str) -> Result<()> {
        if self.yes {
            return Ok(());
        }
        if !std::io::stdin().is_terminal() {
            bail!("{question}: add --yes to confirm without a prompt");
        }
        eprint!("{question} [y/N] ");
        std::io::stderr().flush().ok();
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        if matches!(line.trim(), "y" | "Y" | "yes") {
            Ok(())
        } else {
            bail!("cancelled")
        }
    }

    pub async fn token_config(&self) -> Result<io_token::TokenConfig> {
        self.c
            .account(&tsdk::config())
            .await?
            .ok_or_else(|| anyhow!("io_token is not initialised on this network"))
    }

    pub async fn staking_config(&self) -> Result<io_staking::Config> {
        self.c
            .account(&ssdk::config())
            .await?
            .ok_or_else(|| anyhow!("io_staking is not initialised on this network"))
    }

    pub async fn escrow_config(&self) -> Result<io_escrow::EscrowConfig> {
        self.c
            .account(&esdk::config())
            .await?
            .ok_or_else(|| anyhow!("io_escrow is not initialised on this network"))
    }

    pub async fn oracle_config(&self) -> Result<io_oracle::OracleConfig> {
        self.c
            .account(&io_sdk::oracle::config())
            .await?
            .ok_or_else(|| anyhow!("io_oracle is not initialised on this network"))
    }

    /// $IO: io_token's mint, with the decimals io_token was initialised with.
    pub async fn io(&self) -> Result<Money> {
        let t = self.token_config().await?;
        Ok(Money { mint: tsdk::mint(), decimals: t.decimals, symbol: "IO" })
    }

    /// USDC: the mint io_escrow lists, with the decimals of that mint account.
    pub async fn usdc(&self, escrow: &io_escrow::EscrowConfig) -> Result<Money> {
        let mint: anchor_spl::token::Mint =
            self.c.account(&escrow.usdc_mint).await?.ok_or_else(|| {
                anyhow!("the USDC mint {} io_escrow lists does not exist", escrow.usdc_mint)
            })?;
        Ok(Money { mint: escrow.usdc_mint, decimals: mint.decimals, symbol: "USDC" })
    }

    /// The money a lease or offer of `mint` is paid in.
    pub async fn money_of(&self, escrow: &io_escrow::EscrowConfig, mint: &Pubkey) -> Result<Money> {
        if *mint == escrow.usdc_mint {
            self.usdc(escrow).await
        } else {
            self.io().await
        }
    }

    pub async fn operator(&self, address: &Pubkey) -> Result<io_staking::Operator> {
        match self.c.raw_account(address).await? {
            None => bail!("no operator at {address}: see `io operator list`"),
            Some(data) => io_sdk::decode_account(&data)
                .map_err(|_| anyhow!("{address} is not an operator: see `io operator list`")),
        }
    }

    /// The wallet's token accounts of `mint`, largest balance first.
    pub async fn token_accounts(&self, owner: &Pubkey, mint: &Pubkey) -> Result<Vec<(Pubkey, u64)>> {
        let accts = self
            .c
            .call(self.c.rpc.get_token_accounts_by_owner(owner, TokenAccountsFilter::Mint(*mint)))
            .await?;
        let mut out = Vec::new();
        for a in accts {
            let v = serde_json::to_value(&a.account.data)?;
            let amount = v
                .pointer("/parsed/info/tokenAmount/amount")
                .and_then(|x| x.as_str())
                .and_then(|x| x.parse().ok())
                .ok_or_else(|| {
                    anyhow!("the RPC node returned token account {} without a balance", a.pubkey)
                })?;
            out.push((parse_pubkey(&a.pubkey, "token account")?, amount));
        }
        out.sort_by_key(|a| std::cmp::Reverse(a.1));
        Ok(out)
    }

    /// The wallet's account to pay `need` of `money` from; refuses when the balance is short.
    pub async fn source(&self, money: &Money, need: u64) -> Result<Pubkey> {
        let accts = self.token_accounts(&self.c.wallet(), &money.mint).await?;
        let symbol = money.symbol;
        match accts.first() {
            Some(&(account, held)) if held >= need => Ok(account),
            first => bail!(
                "insufficient balance: you hold {} {symbol} in your largest {symbol} account; this needs {}",
                money.format(first.map_or(0, |a| a.1)),
                money.format(need)
            ),
        }
    }

    /// An account of `owner` to receive `mint` into: its largest existing one, or its associated
    /// token account, created (paid by the wallet) in the same transaction.
    pub async fn destination_of(
        &self,
        owner: &Pubkey,
        mint: &Pubkey,
    ) -> Result<(Pubkey, Vec<io_sdk::Instruction>)> {
        if let Some((a, _)) = self.token_accounts(owner, mint).await?.first() {
            return Ok((*a, vec![]));
        }
        let ata = anchor_spl::associated_token::get_associated_token_address(owner, mint);
        let ix = anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
            &self.c.wallet(),
            owner,
            mint,
            &anchor_spl::token::ID,
        );
        Ok((ata, vec![ix]))
    }

    /// The wallet's own account to receive `mint` into (see [`Ctx::destination_of`]).
    pub async fn destination(&self, mint: &Pubkey) -> Result<(Pubkey, Vec<io_sdk::Instruction>)> {
        self.destination_of(&self.c.wallet(), mint).await
    }

    /// Every account of type `T` owned by `program`, narrowed by `extra` filters.
    pub async fn program_accounts<T: anchor_lang::AccountDeserialize + Discriminator>(
        &self,
        program: &Pubkey,
        extra: Vec<RpcFilterType>,
    ) -> Result<Vec<(Pubkey, T)>> {
        let mut filters = vec![RpcFilterType::Memcmp(Memcmp::new_raw_bytes(0, T::DISCRIMINATOR.to_vec()))];
        filters.extend(extra);
        let config = RpcProgramAccountsConfig {
            filters: Some(filters),
            account_config: RpcAccountInfoConfig {
                encoding: Some(solana_account_decoder_client_types::UiAccountEncoding::Base64),
                commitment: Some(self.c.rpc.commitment()),
                ..RpcAccountInfoConfig::default()
            },
            ..RpcProgramAccountsConfig::default()
        };
        let accts = self.c.call(self.c.rpc.get_program_ui_accounts_with_config(program, config)).await?;
        Ok(accts
            .into_iter()
            .filter_map(|(k, a)| {
                a.data.decode().and_then(|d| io_sdk::decode_account::<T>(&d).ok()).map(|v| (k, v))
            })
            .collect())
    }
}
