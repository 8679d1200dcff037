//! What every command has at hand: the `io-sdk` client (connection and wallet), the prompt
//! policy, and the CLI's glue around the sdk — program configs with the message to show when one
//! is missing, money with the decimals the chain gives, and where to pay from and receive into.
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, Result};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use io_sdk::{
    amount,
    client::Client,
    escrow as esdk,
    names::{self, Currency},
    staking as ssdk, token as tsdk, Name,
};
use std::io::{BufRead, IsTerminal, Write};

pub struct Ctx {
    pub c: Client,
    /// `--output json`: nothing but the one JSON object goes to stdout, and no prompt summary.
    pub json: bool,
    pub yes: bool,
    /// The local network's manifest (`--manifest`): where the oracle nodes are listed.
    pub manifest: std::path::PathBuf,
}

/// A mint and how its amounts are written: decimals read from the chain, the sdk's currency.
#[derive(Clone, Copy)]
pub struct Money {
    pub mint: Pubkey,
    pub decimals: u8,
    pub currency: Currency,
}

impl Money {
    pub fn symbol(&self) -> &'static str {
        self.currency.symbol()
    }

    pub fn format(&self, base: u64) -> String {
        amount::format(base, self.decimals)
    }

    pub fn parse(&self, text: &str, what: &str) -> Result<u64> {
        Ok(amount::parse(text, self.decimals, what)?)
    }
}

/// Parses an address argument, naming what it should be.
pub fn parse_pubkey(text: &str, what: &str) -> Result<Pubkey> {
    text.parse().map_err(|_| anyhow!("'{text}' is not a valid {what} address (a base58 public key)"))
}

/// A command-line value that is one of the sdk's names (`--class consumer_gpu`, `--pay usdc`):
/// the help lists exactly the names the CLI prints, and anything else is refused with them.
pub fn name_arg<T: Name + Send + Sync>() -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(T::names()).try_map(|s| names::parse::<T>(&s))
}

impl Ctx {
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

    /// The chain's clock (the Clock sysvar the programs read): what vesting and lease ends are
    /// judged by, which need not be this machine's time (a local network's clock runs faster).
    pub async fn chain_now(&self) -> Result<i64> {
        Ok(self.c.chain_time().await?.unix_timestamp)
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
        Ok(Money { mint: tsdk::mint(), decimals: t.decimals, currency: Currency::Io })
    }

    /// USDC: the mint io_escrow lists, with the decimals of that mint account.
    pub async fn usdc(&self, escrow: &io_escrow::EscrowConfig) -> Result<Money> {
        let mint = Currency::Usdc.mint(escrow);
        let decimals = self.c.mint_decimals(&mint).await?;
        Ok(Money { mint, decimals, currency: Currency::Usdc })
    }

    /// The money leases and offers in `currency` are paid in.
    pub async fn money(&self, escrow: &io_escrow::EscrowConfig, currency: Currency) -> Result<Money> {
        match currency {
            Currency::Usdc => self.usdc(escrow).await,
            Currency::Io => self.io().await,
        }
    }

    /// The money a lease of payment mint `mint` is paid in.
    pub async fn money_of(&self, escrow: &io_escrow::EscrowConfig, mint: &Pubkey) -> Result<Money> {
        let currency = Currency::of_mint(mint, escrow)
            .ok_or_else(|| anyhow!("{mint} is not a payment mint io_escrow lists"))?;
        self.money(escrow, currency).await
    }

    pub async fn operator(&self, address: &Pubkey) -> Result<io_staking::Operator> {
        match self.c.account_data(address).await? {
            None => bail!("no operator at {address}: see `io operator list`"),
            Some((_, data)) => io_sdk::decode_account(&data)
                .map_err(|_| anyhow!("{address} is not an operator: see `io operator list`")),
        }
    }

    /// The wallet's account to pay `need` of `money` from; refuses when the balance is short.
    pub async fn source(&self, money: &Money, need: u64) -> Result<Pubkey> {
        let accts = self.c.token_accounts(&self.c.wallet(), &money.mint).await?;
        let symbol = money.symbol();
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
        if let Some((a, _)) = self.c.token_accounts(owner, mint).await?.first() {
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
}
