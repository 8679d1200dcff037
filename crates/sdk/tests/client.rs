//! The RPC wrapper against a real JSON-RPC node: the local network, started in-process on free
//! ports and bootstrapped (its demo wallets, operators and mints).
use io_localnet::{Config, Localnet};
use io_sdk::{
    client::{Client, ClientError},
    keypair::read_keypair,
    staking, token,
    views::{PositionView, SupplyView},
    Pubkey,
};
use solana_commitment_config::CommitmentConfig;
use solana_signer::Signer;
use std::{path::PathBuf, str::FromStr, time::Duration};

fn pk(s: &str) -> Pubkey {
    Pubkey::from_str(s).unwrap()
}

/// Starts the node on a thread and runtime of its own (it must outlive the test's runtime).
fn start() -> Localnet {
    std::thread::spawn(|| {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let dir =
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("sdk-client-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        rt.block_on(Localnet::start(Config::ephemeral(dir))).expect("start the localnet")
    })
    .join()
    .expect("localnet thread")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wrapper_against_a_local_network() {
    let net = start();
    let m = &net.manifest;
    let w = m.wallets.iter().find(|w| w.name == "alice").expect("alice");
    let alice = read_keypair(w.keypair.as_ref()).unwrap();
    let alice_io = pk(&w.io_account);
    let usdc = pk(&m.mints["usdc"].address);
    let c = Client::new(net.rpc_url.clone(), CommitmentConfig::confirmed(), alice.insecure_clone());

    // Decimals come from the chain.
    assert_eq!(c.io_decimals().await.unwrap(), m.mints["io"].decimals);
    assert_eq!(c.mint_decimals(&usdc).await.unwrap(), m.mints["usdc"].decimals);
    assert!(matches!(c.mint_decimals(&Pubkey::new_unique()).await, Err(ClientError::Missing { .. })));

    // Balances: a number, `None` where no account exists, an error where it is no token account.
    let held = c.token_balance(&alice_io).await.unwrap().expect("alice's $IO account");
    assert!(held >= 100 * 10u64.pow(u32::from(m.mints["io"].decimals)));
    assert_eq!(c.token_balance(&Pubkey::new_unique()).await.unwrap(), None);
    assert!(matches!(c.token_balance(&token::config()).await, Err(ClientError::WrongAccount { .. })));
    let accounts = c.token_accounts(&alice.pubkey(), &token::mint()).await.unwrap();
    assert!(accounts.contains(&(alice_io, held)), "{accounts:?}");

    // Typed accounts and views.
    let config: io_token::TokenConfig = c.account(&token::config()).await.unwrap().expect("io_token config");
    assert_eq!(SupplyView::new(&config).unwrap().decimals, m.mints["io"].decimals);
    assert!(c.account::<io_token::TokenConfig>(&Pubkey::new_unique()).await.unwrap().is_none());
    assert!(matches!(
        c.account::<io_token::TokenConfig>(&staking::config()).await,
        Err(ClientError::WrongAccount { .. })
    ));
    let operators: Vec<(Pubkey, io_staking::Operator)> =
        c.program_accounts(&io_staking::ID, vec![]).await.unwrap();
    assert_eq!(operators.len(), m.operators.len());

    // A refusal is explained with the program's own sentence, before anything is sent.
    let operator = pk(&m.operators[0].operator);
    let tiny = staking::stake(&alice.pubkey(), &operator, &token::mint(), &alice_io, 1);
    match c.send(std::slice::from_ref(&tiny), &[]).await {
        Err(ClientError::Refused { message, .. }) => {
            assert_eq!(message, io_staking::error::StakingError::BelowMinimumStake.to_string())
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // The node's preflight refuses it on the submit path too, explained the same way.
    assert!(matches!(c.submit(&[tiny], &[&alice]).await, Err(ClientError::Refused { .. })));

    // Sent and confirmed; the position's view reads it back.
    let min = c.account::<io_staking::Config>(&staking::config()).await.unwrap().unwrap().params.min_stake;
    let ix = staking::stake(&alice.pubkey(), &operator, &token::mint(), &alice_io, min);
    c.send(&[ix], &[]).await.unwrap();
    let p: io_staking::Position =
        c.account(&staking::position(&operator, &alice.pubkey())).await.unwrap().expect("position");
    let o: io_staking::Operator = c.account(&operator).await.unwrap().unwrap();
    let v = PositionView::new(&p, &o).unwrap();
    assert!(v.value + 1 >= min && v.value <= min, "{v:?}");
    assert_eq!(c.token_balance(&alice_io).await.unwrap(), Some(held - min));

    // Pipelined sends, confirmed together.
    let burn = |n| token::burn(&alice.pubkey(), &alice_io, n, io_token::BurnReason::Other);
    let a = c.submit(&[burn(1)], &[&alice]).await.unwrap();
    let b = c.submit(&[burn(2)], &[&alice]).await.unwrap();
    c.confirm_all(&[a, b], Duration::from_secs(30)).await.unwrap();
    assert_eq!(c.token_balance(&alice_io).await.unwrap(), Some(held - min - 3));

    net.stop();
}
