//! The connection, the signing wallet and the send path every command shares: build, simulate,
//! explain a refusal in plain words, and only then send and confirm.
use crate::errors;
use anchor_lang::{prelude::Pubkey, AccountDeserialize};
use anyhow::{anyhow, bail, Context, Result};
use io_sdk::Instruction;
use solana_commitment_config::CommitmentConfig;
use solana_instruction::error::InstructionError;
use solana_keypair::Keypair;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind as ClientErrorKind};
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;
use std::{
    future::Future,
    path::{Path, PathBuf},
};

/// Where `--url localnet` finds the local network: the manifest the `localnet` binary writes.
pub const DEFAULT_MANIFEST: &str = ".localnet/manifest.json";

/// Resolves `--url` the way the Solana CLI does, plus `localnet` (read from the manifest).
pub fn resolve_url(url: &str, manifest: &Path) -> Result<String> {
    Ok(match url {
        "localnet" => {
            let text = std::fs::read_to_string(manifest).with_context(|| {
                format!(
                    "no local network manifest at {}: start one with `make up`, or pass --url URL",
                    manifest.display()
                )
            })?;
            let v: serde_json::Value = serde_json::from_str(&text).context("the manifest is not JSON")?;
            v.get("rpc_url")
                .and_then(|u| u.as_str())
                .map(str::to_string)
                .ok_or_else(|| anyhow!("the manifest has no rpc_url"))?
        }
        "localhost" | "l" => "http://127.0.0.1:8899".into(),
        "devnet" | "d" => "https://api.devnet.solana.com".into(),
        "mainnet" | "mainnet-beta" | "m" => "https://api.mainnet-beta.solana.com".into(),
        u if u.starts_with("http://") || u.starts_with("https://") => u.into(),
        other => bail!("unknown --url '{other}': use localnet, devnet, mainnet or an http(s) URL"),
    })
}

/// The Solana CLI's default keypair path.
pub fn default_keypair_path() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    home.join(".config/solana/id.json")
}

/// Reads a keypair file in the Solana CLI's format (a JSON array of 64 bytes).
pub fn read_keypair(path: &Path) -> Result<Keypair> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!("cannot read the keypair {}: pass --keypair FILE (a Solana CLI keypair)", path.display())
    })?;
    let bytes: Vec<u8> =
        serde_json::from_str(&text).with_context(|| format!("{} is not a keypair file", path.display()))?;
    Keypair::try_from(bytes.as_slice()).map_err(|e| anyhow!("{} is not a valid keypair: {e}", path.display()))
}

/// Parses an address argument, naming what it should be.
pub fn parse_pubkey(text: &str, what: &str) -> Result<Pubkey> {
    text.parse().map_err(|_| anyhow!("'{text}' is not a valid {what} address (a base58 public key)"))
}

pub struct Client {
    pub rpc: RpcClient,
    pub payer: Keypair,
    url: String,
}

impl Client {
    pub fn new(url: String, commitment: CommitmentConfig, payer: Keypair) -> Self {
        Client { rpc: RpcClient::new_with_commitment(url.clone(), commitment), payer, url }
    }

    /// Awaits one RPC request and names its failure: a node that cannot be reached is a network
    /// error, never a missing account (the client reports some transport failures as
    /// `AccountNotFound: … error sending request`, so an unclear failure is checked by asking the
    /// node for its version); anything else keeps the node's own message.
    pub async fn call<T>(&self, request: impl Future<Output = Result<T, ClientError>>) -> Result<T> {
        let e = match request.await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let unreachable =
            |e: &ClientError| matches!(e.kind(), ClientErrorKind::Io(_) | ClientErrorKind::Reqwest(_));
        // The probe's own error is the clean transport failure worth showing.
        let down = if unreachable(&e) {
            Some(e.to_string())
        } else {
            match self.rpc.get_version().await {
                Err(probe) if unreachable(&probe) => Some(probe.to_string()),
                _ => None,
            }
        };
        if let Some(cause) = down {
            bail!("cannot reach the RPC node at {} — is it running? check --url ({cause})", self.url);
        }
        bail!("the RPC node at {} refused the request: {e}", self.url)
    }

    pub fn wallet(&self) -> Pubkey {
        self.payer.pubkey()
    }

    /// The data of the account at `address`, or `None` if nothing is there.
    pub async fn raw_account(&self, address: &Pubkey) -> Result<Option<Vec<u8>>> {
        let resp = self.call(self.rpc.get_account_with_commitment(address, self.rpc.commitment())).await?;
        Ok(resp.value.map(|a| a.data))
    }

    /// An Anchor account of type `T`, or `None` if nothing is there.
    pub async fn account<T: AccountDeserialize>(&self, address: &Pubkey) -> Result<Option<T>> {
        match self.raw_account(address).await? {
            None => Ok(None),
            Some(data) => io_sdk::decode_account(&data)
                .map(Some)
                .map_err(|_| anyhow!("{address} is not the kind of account expected")),
        }
    }

    /// Token balance of an SPL token account: `None` when no account is there; an RPC failure is
    /// an error, never a balance of 0.
    pub async fn token_balance(&self, account: &Pubkey) -> Result<Option<u64>> {
        let token: Option<anchor_spl::token::TokenAccount> = self.account(account).await?;
        Ok(token.map(|t| t.amount))
    }

    /// Simulates `ixs` signed by the wallet (and `extra`), explains a refusal, then sends and
    /// confirms. Returns the signature.
    pub async fn send(&self, ixs: &[Instruction], extra: &[&Keypair]) -> Result<String> {
        let blockhash = self.call(self.rpc.get_latest_blockhash()).await?;
        let mut signers: Vec<&Keypair> = vec![&self.payer];
        signers.extend_from_slice(extra);
        let tx = Transaction::new_signed_with_payer(ixs, Some(&self.payer.pubkey()), &signers, blockhash);
        let sim = self.call(self.rpc.simulate_transaction(&tx)).await?.value;
        if let Some(err) = sim.err {
            bail!("{}", explain(&TransactionError::from(err), ixs));
        }
        let sig = self
            .call(async {
                self.rpc.send_and_confirm_transaction(&tx).await.map_err(|e| {
                    match e.get_transaction_error() {
                        // A refusal after a clean simulation (the state moved in between).
                        Some(err) => ClientErrorKind::Custom(explain(&err, ixs)).into(),
                        None => e,
                    }
                })
            })
            .await?;
        Ok(sig.to_string())
    }
}

/// A refused transaction in plain words.
pub fn explain(err: &TransactionError, ixs: &[Instruction]) -> String {
    match err {
        TransactionError::InstructionError(i, InstructionError::Custom(code)) => {
            let program = ixs.get(usize::from(*i)).map(|ix| ix.program_id).unwrap_or_default();
            errors::describe(&program, *code)
        }
        TransactionError::InstructionError(_, InstructionError::InsufficientFunds) => {
            "not enough funds".into()
        }
        TransactionError::InstructionError(_, e) => format!("the program refused it: {e}"),
        TransactionError::InsufficientFundsForFee | TransactionError::AccountNotFound => {
            "the wallet has no SOL to pay the transaction fee".into()
        }
        e => e.to_string(),
    }
}
