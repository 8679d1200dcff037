//! The RPC wrapper every client shares (the CLI, the local network's bootstrap, the coming
//! services): where `--url` points, typed account reads, token balances that never turn an error
//! into a zero, and the send path — simulate, explain a refusal in plain words (with
//! [`crate::errors`]), send, confirm. A node that cannot be reached is named as such.
use crate::errors::explain;
use anchor_lang::{prelude::Pubkey, AccountDeserialize, Discriminator, Owner};
use anchor_spl::token::{Mint, TokenAccount};
use solana_account_decoder_client_types::{UiAccount, UiAccountEncoding};
use solana_commitment_config::CommitmentConfig;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::{
    client_error::{Error as RpcClientError, ErrorKind},
    config::{RpcAccountInfoConfig, RpcProgramAccountsConfig},
    filter::{Memcmp, RpcFilterType},
    request::RpcRequest,
    response::Response,
};
use solana_signer::Signer;
use solana_transaction::{Signature, Transaction};
use solana_transaction_error::TransactionError;
use std::path::Path;

/// Where `--url localnet` finds the local network: the manifest the `localnet` binary writes.
pub const DEFAULT_MANIFEST: &str = ".localnet/manifest.json";

/// Why a request to the chain failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The node did not answer: refused connection, timeout, DNS, TLS.
    #[error("cannot reach the RPC node at {url}: {detail} (is it running? check --url)")]
    Network { url: String, detail: String },
    /// The node answered with an error.
    #[error("the RPC node at {url} answered with an error: {detail}")]
    Rpc { url: String, detail: String },
    /// A program (or the runtime) refused the transaction; `message` says why in plain words.
    #[error("{message}")]
    Refused { message: String, error: TransactionError, logs: Vec<String> },
    #[error("{address} is not {expected}")]
    WrongAccount { address: Pubkey, expected: &'static str },
    #[error("no {what} at {address}")]
    Missing { address: Pubkey, what: &'static str },
    #[error("{0}")]
    Url(String),
    /// A transaction sent without waiting failed on chain.
    #[error("transaction {signature} failed: {message}")]
    Failed { signature: String, message: String, error: TransactionError },
    #[error("transactions not confirmed after {0:?}")]
    Timeout(std::time::Duration),
    #[error("a transaction needs at least one signer to pay for it")]
    NoSigner,
}

impl ClientError {
    /// Whether the node could not be reached (as opposed to answering with a refusal).
    pub fn is_network(&self) -> bool {
        matches!(self, ClientError::Network { .. })
    }
}

/// Names an RPC failure: a transport failure is a [`ClientError::Network`], a refused
/// transaction is explained with the error table of the program of `ixs` that raised it.
pub fn classify(url: &str, e: &RpcClientError, ixs: &[Instruction]) -> ClientError {
    if let Some(tx) = e.get_transaction_error() {
        return ClientError::Refused { message: explain(&tx, ixs), error: tx, logs: vec![] };
    }
    let network = |detail: String| ClientError::Network { url: url.to_owned(), detail };
    match e.kind() {
        ErrorKind::Io(io) => network(io.to_string()),
        ErrorKind::Reqwest(r) if r.is_connect() || r.is_timeout() || r.is_request() => network(root_cause(r)),
        ErrorKind::Middleware(m) => network(m.to_string()),
        other => ClientError::Rpc { url: url.to_owned(), detail: other.to_string() },
    }
}

/// The innermost message of an error chain: reqwest's own message is generic ("error sending
/// request"); the cause at the bottom says what happened ("Connection refused").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    if cur.to_string().is_empty() {
        e.to_string()
    } else {
        cur.to_string()
    }
}

/// Resolves `--url` the way the Solana CLI does, plus `localnet` (read from the manifest).
pub fn resolve_url(url: &str, manifest: &Path) -> Result<String, ClientError> {
    Ok(match url {
        "localnet" => {
            let text = std::fs::read_to_string(manifest).map_err(|_| {
                ClientError::Url(format!(
                    "no local network manifest at {}: start one with `make up`, or pass --url URL",
                    manifest.display()
                ))
            })?;
            let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                ClientError::Url(format!("the manifest {} is not JSON: {e}", manifest.display()))
            })?;
            v.get("rpc_url").and_then(|u| u.as_str()).map(str::to_owned).ok_or_else(|| {
                ClientError::Url(format!("the manifest {} has no rpc_url", manifest.display()))
            })?
        }
        "localhost" | "l" => "http://127.0.0.1:8899".into(),
        "devnet" | "d" => "https://api.devnet.solana.com".into(),
        "mainnet" | "mainnet-beta" | "m" => "https://api.mainnet-beta.solana.com".into(),
        u if u.starts_with("http://") || u.starts_with("https://") => u.into(),
        other => {
            return Err(ClientError::Url(format!(
                "unknown --url '{other}': use localnet, devnet, mainnet or an http(s) URL"
            )))
        }
    })
}

/// What a simulation reported for a transaction the programs accept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Simulation {
    pub units_consumed: Option<u64>,
    pub logs: Vec<String>,
}

/// A connection and the wallet that pays and signs.
pub struct Client {
    pub rpc: RpcClient,
    pub payer: Keypair,
    url: String,
}

impl Client {
    pub fn new(url: String, commitment: CommitmentConfig, payer: Keypair) -> Client {
        Client { rpc: RpcClient::new_with_commitment(url.clone(), commitment), payer, url }
    }

    /// Like [`Self::new`], with every request bounded by `timeout` (the RPC client's default is
    /// 30 s): a service that must notice an unresponsive node sooner sets its own.
    pub fn with_timeout(
        url: String,
        commitment: CommitmentConfig,
        payer: Keypair,
        timeout: std::time::Duration,
    ) -> Client {
        Client {
            rpc: RpcClient::new_with_timeout_and_commitment(url.clone(), timeout, commitment),
            payer,
            url,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn wallet(&self) -> Pubkey {
        self.payer.pubkey()
    }

    /// Names an error of a direct `self.rpc` call (see [`classify`]).
    pub fn error(&self, e: &RpcClientError) -> ClientError {
        classify(&self.url, e, &[])
    }

    /// The owner and raw data of the account at `address`, or `None` if nothing is there.
    ///
    /// Asks `getAccountInfo` itself: `RpcClient::get_account_with_commitment` reports every
    /// failure, a refused connection included, as `AccountNotFound`.
    pub async fn account_data(&self, address: &Pubkey) -> Result<Option<(Pubkey, Vec<u8>)>, ClientError> {
        let config = RpcAccountInfoConfig {
            encoding: Some(UiAccountEncoding::Base64),
            commitment: Some(self.rpc.commitment()),
            ..RpcAccountInfoConfig::default()
        };
        let resp: Response<Option<UiAccount>> = self
            .rpc
            .send(RpcRequest::GetAccountInfo, serde_json::json!([address.to_string(), config]))
            .await
            .map_err(|e| self.error(&e))?;
        let Some(ui) = resp.value else { return Ok(None) };
        let bad = |detail: String| ClientError::Rpc { url: self.url.clone(), detail };
        let owner: Pubkey = ui
            .owner
            .parse()
            .map_err(|_| bad(format!("account {address} has an unreadable owner {}", ui.owner)))?;
        let data = ui.data.decode().ok_or_else(|| bad(format!("account {address} came back undecodable")))?;
        Ok(Some((owner, data)))
    }

    /// The cluster's clock (the Clock sysvar): the slot and the unix time the programs see. Every
    /// client reads chain time here: on a local network whose clock runs faster than the wall,
    /// only this time is the programs' time.
    pub async fn chain_time(&self) -> Result<ChainTime, ClientError> {
        let address = solana_sdk_ids::sysvar::clock::ID;
        let (_, data) = self
            .account_data(&address)
            .await?
            .ok_or(ClientError::Missing { address, what: "Clock sysvar" })?;
        ChainTime::from_clock_data(&data)
            .ok_or(ClientError::WrongAccount { address, expected: "the Clock sysvar" })
    }

    /// An Anchor account of type `T`, or `None` if nothing is there. The owner must be `T`'s
    /// program and the discriminator `T`'s: an account of the same layout owned by another
    /// program is refused, never read as ours.
    pub async fn account<T: AccountDeserialize + Owner>(
        &self,
        address: &Pubkey,
    ) -> Result<Option<T>, ClientError> {
        let wrong =
            || ClientError::WrongAccount { address: *address, expected: "the kind of account expected" };
        match self.account_data(address).await? {
            None => Ok(None),
            Some((owner, _)) if owner != T::owner() => Err(wrong()),
            Some((_, data)) => crate::decode_account(&data).map(Some).map_err(|_| wrong()),
        }
    }

    /// The balance of an SPL token account: `None` when no account exists at `address` (a
    /// wallet that never held the token), an error when the node fails or the address holds
    /// something else. Never a made-up 0.
    pub async fn token_balance(&self, address: &Pubkey) -> Result<Option<u64>, ClientError> {
        let Some((owner, data)) = self.account_data(address).await? else { return Ok(None) };
        if owner != anchor_spl::token::ID {
            return Err(ClientError::WrongAccount { address: *address, expected: "an SPL token account" });
        }
        let acct = TokenAccount::try_deserialize(&mut data.as_slice())
            .map_err(|_| ClientError::WrongAccount { address: *address, expected: "an SPL token account" })?;
        Ok(Some(acct.amount))
    }

    /// The decimals of a mint, read from the mint account (never assumed).
    pub async fn mint_decimals(&self, mint: &Pubkey) -> Result<u8, ClientError> {
        let (owner, data) =
            self.account_data(mint).await?.ok_or(ClientError::Missing { address: *mint, what: "mint" })?;
        if owner != anchor_spl::token::ID {
            return Err(ClientError::WrongAccount { address: *mint, expected: "an SPL token mint" });
        }
        let m = Mint::try_deserialize(&mut data.as_slice())
            .map_err(|_| ClientError::WrongAccount { address: *mint, expected: "an SPL token mint" })?;
        Ok(m.decimals)
    }

    /// The decimals of $IO: io_token's mint, whose decimals are the `initialize` parameter the
    /// config records.
    pub async fn io_decimals(&self) -> Result<u8, ClientError> {
        self.mint_decimals(&crate::token::mint()).await
    }

    /// `owner`'s SPL token accounts of `mint` with their balances, largest first.
    pub async fn token_accounts(
        &self,
        owner: &Pubkey,
        mint: &Pubkey,
    ) -> Result<Vec<(Pubkey, u64)>, ClientError> {
        // SPL token account layout: mint at 0, owner at 32, 165 bytes.
        let filters = vec![
            RpcFilterType::DataSize(TokenAccount::LEN as u64),
            RpcFilterType::Memcmp(Memcmp::new_raw_bytes(0, mint.to_bytes().to_vec())),
            RpcFilterType::Memcmp(Memcmp::new_raw_bytes(32, owner.to_bytes().to_vec())),
        ];
        let raw = self.program_account_data(&anchor_spl::token::ID, filters).await?;
        let mut out = Vec::with_capacity(raw.len());
        for (k, data) in raw {
            let a = TokenAccount::try_deserialize(&mut data.as_slice())
                .map_err(|_| ClientError::WrongAccount { address: k, expected: "an SPL token account" })?;
            out.push((k, a.amount));
        }
        out.sort_by_key(|a| std::cmp::Reverse(a.1));
        Ok(out)
    }

    async fn program_account_data(
        &self,
        program: &Pubkey,
        filters: Vec<RpcFilterType>,
    ) -> Result<Vec<(Pubkey, Vec<u8>)>, ClientError> {
        let config = RpcProgramAccountsConfig {
            filters: Some(filters),
            account_config: RpcAccountInfoConfig {
                encoding: Some(UiAccountEncoding::Base64),
                commitment: Some(self.rpc.commitment()),
                ..RpcAccountInfoConfig::default()
            },
            ..RpcProgramAccountsConfig::default()
        };
        let accts = self
            .rpc
            .get_program_ui_accounts_with_config(program, config)
            .await
            .map_err(|e| self.error(&e))?;
        accts
            .into_iter()
            .map(|(k, a)| {
                let data = a.data.decode().ok_or_else(|| ClientError::Rpc {
                    url: self.url.clone(),
                    detail: format!("account {k} came back in an encoding other than base64"),
                })?;
                Ok((k, data))
            })
            .collect()
    }

    /// Every account of type `T` owned by `program` matching `extra` filters (the discriminator
    /// filter is added). An account that fails to decode is an error, not skipped.
    pub async fn program_accounts<T: AccountDeserialize + Discriminator>(
        &self,
        program: &Pubkey,
        extra: Vec<RpcFilterType>,
    ) -> Result<Vec<(Pubkey, T)>, ClientError> {
        let mut filters = vec![RpcFilterType::Memcmp(Memcmp::new_raw_bytes(0, T::DISCRIMINATOR.to_vec()))];
        filters.extend(extra);
        self.program_account_data(program, filters)
            .await?
            .into_iter()
            .map(|(k, data)| {
                crate::decode_account::<T>(&data).map(|v| (k, v)).map_err(|_| ClientError::WrongAccount {
                    address: k,
                    expected: "the kind of account expected",
                })
            })
            .collect()
    }

    async fn signed(&self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<Transaction, ClientError> {
        let payer = signers.first().ok_or(ClientError::NoSigner)?;
        let blockhash = self.rpc.get_latest_blockhash().await.map_err(|e| self.error(&e))?;
        Ok(Transaction::new_signed_with_payer(ixs, Some(&payer.pubkey()), signers, blockhash))
    }

    fn with_payer<'a>(&'a self, extra: &[&'a Keypair]) -> Vec<&'a Keypair> {
        let mut signers: Vec<&Keypair> = vec![&self.payer];
        signers.extend_from_slice(extra);
        signers
    }

    async fn simulate_tx(&self, tx: &Transaction, ixs: &[Instruction]) -> Result<Simulation, ClientError> {
        let sim = self.rpc.simulate_transaction(tx).await.map_err(|e| classify(&self.url, &e, ixs))?.value;
        let logs = sim.logs.unwrap_or_default();
        if let Some(err) = sim.err {
            let error = TransactionError::from(err);
            return Err(ClientError::Refused { message: explain(&error, ixs), error, logs });
        }
        Ok(Simulation { units_consumed: sim.units_consumed, logs })
    }

    /// Simulates `ixs` signed by the wallet (and `extra`); a refusal comes back explained.
    pub async fn simulate(&self, ixs: &[Instruction], extra: &[&Keypair]) -> Result<Simulation, ClientError> {
        let tx = self.signed(ixs, &self.with_payer(extra)).await?;
        self.simulate_tx(&tx, ixs).await
    }

    /// Simulates, explains a refusal, then sends and confirms; the wallet pays. Returns the
    /// signature (base58).
    pub async fn send(&self, ixs: &[Instruction], extra: &[&Keypair]) -> Result<String, ClientError> {
        self.send_as(ixs, &self.with_payer(extra)).await
    }

    /// [`Self::send`] with other signers, `signers[0]` paying (a bootstrap acting for many
    /// wallets).
    pub async fn send_as(&self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<String, ClientError> {
        let tx = self.signed(ixs, signers).await?;
        self.simulate_tx(&tx, ixs).await?;
        let sig =
            self.rpc.send_and_confirm_transaction(&tx).await.map_err(|e| classify(&self.url, &e, ixs))?;
        Ok(sig.to_string())
    }

    /// Sends without waiting for confirmation, `signers[0]` paying; the node's preflight
    /// simulation still refuses (explained) a transaction that would fail. Confirm a batch with
    /// [`Self::confirm_all`].
    pub async fn submit(&self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<Submitted, ClientError> {
        let tx = self.signed(ixs, signers).await?;
        let signature = self.rpc.send_transaction(&tx).await.map_err(|e| classify(&self.url, &e, ixs))?;
        Ok(Submitted { signature, programs: ixs.iter().map(|ix| ix.program_id).collect() })
    }

    /// Waits until every submitted transaction is confirmed (at the client's commitment); the
    /// first that failed is an error, explained.
    pub async fn confirm_all(
        &self,
        sent: &[Submitted],
        timeout: std::time::Duration,
    ) -> Result<(), ClientError> {
        let start = std::time::Instant::now();
        // getSignatureStatuses takes at most 256 signatures.
        for chunk in sent.chunks(200) {
            let sigs: Vec<Signature> = chunk.iter().map(|s| s.signature).collect();
            loop {
                let statuses =
                    self.rpc.get_signature_statuses(&sigs).await.map_err(|e| self.error(&e))?.value;
                for (s, st) in chunk.iter().zip(&statuses) {
                    if let Some(Err(error)) = st.as_ref().map(|st| st.status.clone()) {
                        let message = crate::errors::describe_failure(&error, &s.programs)
                            .map_or_else(|| error.to_string(), |i| i.message);
                        return Err(ClientError::Failed {
                            signature: s.signature.to_string(),
                            message,
                            error,
                        });
                    }
                }
                let done = statuses
                    .iter()
                    .all(|st| st.as_ref().is_some_and(|st| st.satisfies_commitment(self.rpc.commitment())));
                if done {
                    break;
                }
                if start.elapsed() > timeout {
                    return Err(ClientError::Timeout(timeout));
                }
                tokio::time::sleep(std::time::Duration::from_millis(25)).await;
            }
        }
        Ok(())
    }
}

/// A transaction sent by [`Client::submit`], with the programs of its instructions (to explain a
/// failure).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submitted {
    pub signature: Signature,
    pub programs: Vec<Pubkey>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A closed port: bound, then released, so nothing listens there.
    fn closed_port_url() -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        format!("http://127.0.0.1:{port}")
    }

    #[tokio::test]
    async fn a_refused_connection_is_a_network_error() {
        let url = closed_port_url();
        let c = Client::new(url.clone(), CommitmentConfig::confirmed(), Keypair::new());
        let e = c.account::<io_staking::Config>(&crate::staking::config()).await.unwrap_err();
        assert!(e.is_network(), "{e:?}");
        let text = e.to_string();
        assert!(text.contains("refused"), "the cause is named: {text}");
        assert!(text.starts_with(&format!("cannot reach the RPC node at {url}")), "{text}");
        assert!(!text.contains("AccountNotFound"), "{text}");
        let e = c.token_balance(&Pubkey::new_unique()).await.unwrap_err();
        assert!(e.is_network(), "a failed balance read is an error, never 0: {e:?}");
        let e = c.send(&[crate::token::emit()], &[]).await.unwrap_err();
        assert!(e.is_network(), "{e:?}");
        let e = c.mint_decimals(&Pubkey::new_unique()).await.unwrap_err();
        assert!(e.is_network(), "{e:?}");
        let payer = Keypair::new();
        let e = c.submit(&[crate::token::emit()], &[&payer]).await.unwrap_err();
        assert!(e.is_network(), "{e:?}");
        assert!(matches!(c.submit(&[], &[]).await, Err(ClientError::NoSigner)));
    }

    /// A node that accepts the connection and never answers: the request ends at the client's
    /// timeout, as a network error.
    #[tokio::test]
    async fn an_unresponsive_node_times_out_as_a_network_error() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let timeout = std::time::Duration::from_millis(300);
        let c = Client::with_timeout(url.clone(), CommitmentConfig::confirmed(), Keypair::new(), timeout);
        let started = std::time::Instant::now();
        let e = c.token_balance(&Pubkey::new_unique()).await.unwrap_err();
        assert!(e.is_network(), "{e:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "bounded by the timeout");
        assert!(e.to_string().starts_with(&format!("cannot reach the RPC node at {url}")), "{e}");
        drop(listener);
    }

    #[test]
    fn urls() {
        let none = Path::new("/nonexistent/manifest.json");
        assert_eq!(resolve_url("devnet", none).unwrap(), "https://api.devnet.solana.com");
        assert_eq!(resolve_url("l", none).unwrap(), "http://127.0.0.1:8899");
        assert_eq!(resolve_url("https://x.example", none).unwrap(), "https://x.example");
        assert!(resolve_url("ftp://x", none).unwrap_err().to_string().contains("unknown --url 'ftp://x'"));
        assert!(resolve_url("localnet", none).unwrap_err().to_string().contains("make up"));
        let dir = std::env::temp_dir().join(format!("io-sdk-url-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let m = dir.join("manifest.json");
        std::fs::write(&m, r#"{"rpc_url": "http://127.0.0.1:9999"}"#).unwrap();
        assert_eq!(resolve_url("localnet", &m).unwrap(), "http://127.0.0.1:9999");
        std::fs::write(&m, "{}").unwrap();
        assert!(resolve_url("localnet", &m).unwrap_err().to_string().contains("no rpc_url"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}

/// The cluster's clock at one slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainTime {
    pub slot: u64,
    pub unix_timestamp: i64,
}

impl ChainTime {
    /// From the Clock sysvar's bincode layout: slot, epoch_start_timestamp, epoch,
    /// leader_schedule_epoch, unix_timestamp (little-endian, 8 bytes each).
    pub fn from_clock_data(data: &[u8]) -> Option<ChainTime> {
        let word = |i: usize| data.get(i * 8..i * 8 + 8).and_then(|b| <[u8; 8]>::try_from(b).ok());
        Some(ChainTime { slot: u64::from_le_bytes(word(0)?), unix_timestamp: i64::from_le_bytes(word(4)?) })
    }
}
