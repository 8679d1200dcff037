//! Decoder tests on transactions built in the JSON shape `getTransaction` returns.
use super::*;
use anchor_lang::{AccountSerialize, AnchorSerialize, Discriminator};
use io_sdk::Pubkey;
use serde_json::json;

fn event_data<E: AnchorSerialize + Discriminator>(e: &E) -> Vec<u8> {
    let mut d = anchor_lang::event::EVENT_IX_TAG_LE.to_vec();
    d.extend_from_slice(E::DISCRIMINATOR);
    e.serialize(&mut d).unwrap();
    d
}

fn b58(d: &[u8]) -> String {
    bs58::encode(d).into_string()
}

fn sig(n: u8) -> String {
    b58(&[n; 64])
}

fn staked(operator: Pubkey, staker: Pubkey) -> io_staking::events::Staked {
    io_staking::events::Staked {
        operator,
        staker,
        amount: 150_000_000_000,
        shares_minted: 150_000_000_000,
        position_shares_after: 150_000_000_000,
        pool_shares_after: 400_000_000_000,
        pool_tokens_before: 250_000_000_000,
        pool_tokens_after: 400_000_000_000,
        delegator_count_after: 3,
    }
}

/// Keys: 0 payer, 1 io_staking, 2 its event authority, 3 io_token, 4 its event authority,
/// 5 a look-alike program, 6 a random account.
struct Keys {
    list: Vec<String>,
    fake: Pubkey,
}

fn keys() -> Keys {
    let fake = Pubkey::new_unique();
    let list = vec![
        Pubkey::new_unique().to_string(),
        io_staking::ID.to_string(),
        io_sdk::event_authority(&io_staking::ID).to_string(),
        io_token::ID.to_string(),
        io_sdk::event_authority(&io_token::ID).to_string(),
        fake.to_string(),
        Pubkey::new_unique().to_string(),
    ];
    Keys { list, fake }
}

/// An inner instruction: (program index, account indices, data, stack height).
type Inner = (u8, Vec<u8>, Vec<u8>, Option<u32>);

/// One outer instruction (`outer_program` index) with the given inner instructions.
fn tx(
    signature: &str,
    keys: &[String],
    outer_program: u8,
    inner: &[Inner],
    err: Option<Value>,
) -> EncodedConfirmedTransactionWithStatusMeta {
    let inner: Vec<Value> = inner
        .iter()
        .map(|(p, accts, data, h)| json!({ "programIdIndex": p, "accounts": accts, "data": b58(data), "stackHeight": h }))
        .collect();
    let status = match &err {
        Some(e) => json!({ "Err": e }),
        None => json!({ "Ok": null }),
    };
    let v = json!({
        "slot": 1234,
        "blockTime": 1_760_000_000,
        "version": 0,
        "transaction": {
            "signatures": [signature],
            "message": {
                "header": { "numRequiredSignatures": 1, "numReadonlySignedAccounts": 0, "numReadonlyUnsignedAccounts": 4 },
                "accountKeys": keys,
                "recentBlockhash": b58(&[7; 32]),
                "instructions": [{ "programIdIndex": outer_program, "accounts": [0, 6], "data": b58(&[1, 2, 3]), "stackHeight": null }],
            },
        },
        "meta": {
            "err": err,
            "status": status,
            "fee": 5000,
            "preBalances": [],
            "postBalances": [],
            "innerInstructions": [{ "index": 0, "instructions": inner }],
            "logMessages": [],
            "preTokenBalances": [],
            "postTokenBalances": [],
            "rewards": [],
            "loadedAddresses": { "writable": [], "readonly": [] },
            "computeUnitsConsumed": 1000,
        },
    });
    serde_json::from_value(v).expect("getTransaction JSON shape")
}

#[test]
fn decodes_an_emit_cpi_event() {
    let k = keys();
    let (op, st) = (Pubkey::new_unique(), Pubkey::new_unique());
    let t = tx(&sig(1), &k.list, 1, &[(1, vec![2], event_data(&staked(op, st)), Some(2))], None);
    let d = decode_transaction(&t).unwrap();
    assert_eq!(d.signature, sig(1));
    assert_eq!((d.slot, d.block_time, d.err.as_ref()), (1234, Some(1_760_000_000), None));
    assert_eq!(d.events.len(), 1);
    let e = &d.events[0];
    assert_eq!(
        (e.program, e.name.as_str(), e.ix_path.as_str(), e.event_index),
        (Program::Staking, "Staked", "0.0", 0)
    );
    assert_eq!(e.payload["operator"], json!(op.to_string()));
    assert_eq!(e.payload["amount"], json!(150_000_000_000u64));
    assert_eq!(e.payload["delegator_count_after"], json!(3));
    assert_eq!(e.accounts, vec![op.to_string(), st.to_string()]);
}

#[test]
fn failed_transaction_is_recorded_without_events() {
    let k = keys();
    let ev = event_data(&staked(Pubkey::new_unique(), Pubkey::new_unique()));
    let err = json!({ "InstructionError": [0, { "Custom": 6000 }] });
    let t = tx(&sig(2), &k.list, 1, &[(1, vec![2], ev, Some(2))], Some(err));
    let d = decode_transaction(&t).unwrap();
    assert!(d.events.is_empty());
    assert_eq!(d.err.as_deref(), Some(r#"{"InstructionError":[0,{"Custom":6000}]}"#));
}

#[test]
fn forged_events_do_not_count() {
    let k = keys();
    let ev = event_data(&staked(Pubkey::new_unique(), Pubkey::new_unique()));
    // Wrong authority: a random account in the authority's place.
    let t = tx(&sig(3), &k.list, 1, &[(1, vec![6], ev.clone(), Some(2))], None);
    assert!(decode_transaction(&t).unwrap().events.is_empty());
    // Another program's event authority.
    let t = tx(&sig(3), &k.list, 1, &[(1, vec![4], ev.clone(), Some(2))], None);
    assert!(decode_transaction(&t).unwrap().events.is_empty());
    // Wrong program: a look-alike program "emits" the same bytes with our authority.
    let t = tx(&sig(4), &k.list, 5, &[(5, vec![2], ev.clone(), Some(2))], None);
    assert!(decode_transaction(&t).unwrap().events.is_empty());
    assert_eq!(Program::from_id_str(&k.fake.to_string()), None);
    // Invoked from another program's frame: look-alike at height 1, our program at height 2.
    let t = tx(&sig(5), &k.list, 5, &[(1, vec![2], ev.clone(), Some(2))], None);
    assert!(decode_transaction(&t).unwrap().events.is_empty());
    // ... or deeper: ours → look-alike (2) → ours (3).
    let t =
        tx(&sig(6), &k.list, 1, &[(5, vec![6], vec![9], Some(2)), (1, vec![2], ev.clone(), Some(3))], None);
    assert!(decode_transaction(&t).unwrap().events.is_empty());
    // An outer instruction never counts, even with the right data and authority.
    let t = tx(&sig(7), &k.list, 1, &[], None);
    assert!(decode_transaction(&t).unwrap().events.is_empty());
    // Without the event tag it is just an instruction.
    let t = tx(&sig(8), &k.list, 1, &[(1, vec![2], ev[8..].to_vec(), Some(2))], None);
    assert!(decode_transaction(&t).unwrap().events.is_empty());
    // The genuine one, for contrast.
    let t = tx(&sig(9), &k.list, 1, &[(1, vec![2], ev, Some(2))], None);
    assert_eq!(decode_transaction(&t).unwrap().events.len(), 1);
}

#[test]
fn same_named_events_decode_by_program_and_unknown_ones_are_counted() {
    let k = keys();
    let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
    let staking = io_staking::events::AdminProposed { admin: a, pending_admin: b };
    let token = io_token::events::Burned {
        reason: io_token::state::BurnReason::Buyback,
        authority: a,
        from: b,
        amount: 5,
        reason_burned_before: 1,
        reason_burned_after: 6,
        total_burned_after: 6,
        total_minted: 100,
        supply_after: 94,
    };
    let mut unknown = anchor_lang::event::EVENT_IX_TAG_LE.to_vec();
    unknown.extend_from_slice(&[0xee; 8]);
    let t = tx(
        &sig(10),
        &k.list,
        1,
        &[
            (1, vec![2], event_data(&staking), Some(2)),
            (3, vec![0], vec![1], Some(2)),
            (3, vec![4], event_data(&token), Some(3)),
            (1, vec![2], unknown, Some(2)),
        ],
        None,
    );
    let d = decode_transaction(&t).unwrap();
    // The token event sits in a frame of io_token (height 2) invoked from io_staking.
    let names: Vec<(Program, &str, &str)> =
        d.events.iter().map(|e| (e.program, e.name.as_str(), e.ix_path.as_str())).collect();
    assert_eq!(names, vec![(Program::Staking, "AdminProposed", "0.0"), (Program::Token, "Burned", "0.2")]);
    assert_eq!(d.events[1].payload["reason"], json!("buyback"));
    assert_eq!(d.events[1].event_index, 1);
    assert_eq!(d.undecoded, 1);
}

#[test]
fn keys_from_address_lookup_tables_and_json_parsed_messages() {
    let k = keys();
    let ev = event_data(&staked(Pubkey::new_unique(), Pubkey::new_unique()));
    // v0: the event authority comes from a lookup table (index 7 = first loaded writable... here
    // readonly after none writable).
    let mut t = tx(&sig(11), &k.list[..7], 1, &[(1, vec![7], ev.clone(), Some(2))], None);
    let meta = t.transaction.meta.as_mut().unwrap();
    meta.loaded_addresses = Some(solana_transaction_status_client_types::UiLoadedAddresses {
        writable: vec![],
        readonly: vec![k.list[2].clone()],
    })
    .into();
    assert_eq!(decode_transaction(&t).unwrap().events.len(), 1);
    // Index past every key is an error, not a silent skip.
    let t = tx(&sig(12), &k.list, 1, &[(1, vec![42], ev.clone(), Some(2))], None);
    assert!(matches!(decode_transaction(&t), Err(DecodeError::AccountIndex(_))));

    // jsonParsed: keys as objects, unknown-program instructions partially decoded.
    let v = json!({
        "slot": 5, "blockTime": null,
        "transaction": {
            "signatures": [sig(13)],
            "message": {
                "accountKeys": k.list.iter().map(|p| json!({ "pubkey": p, "writable": false, "signer": false, "source": "transaction" })).collect::<Vec<_>>(),
                "recentBlockhash": b58(&[7; 32]),
                "instructions": [{ "programId": k.list[1], "accounts": [k.list[0]], "data": b58(&[1]), "stackHeight": null }],
            },
        },
        "meta": {
            "err": null, "status": { "Ok": null }, "fee": 5000, "preBalances": [], "postBalances": [],
            "innerInstructions": [{ "index": 0, "instructions": [
                { "programId": k.list[1], "accounts": [k.list[2]], "data": b58(&ev), "stackHeight": 2 },
                { "program": "spl-token", "programId": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", "parsed": { "type": "burn" }, "stackHeight": 2 },
            ]}],
        },
    });
    let t: EncodedConfirmedTransactionWithStatusMeta = serde_json::from_value(v).unwrap();
    let d = decode_transaction(&t).unwrap();
    assert_eq!(d.events.len(), 1);
    assert_eq!(d.block_time, None);
}

#[test]
fn base64_encoded_transactions() {
    use base64::Engine;
    let k = keys();
    let payer: Pubkey = k.list[0].parse().unwrap();
    let ix = solana_instruction::Instruction::new_with_bytes(io_staking::ID, &[1, 2, 3], vec![]);
    let legacy = solana_transaction::Transaction::new_with_payer(&[ix], Some(&payer));
    let vt = solana_transaction::versioned::VersionedTransaction::from(legacy);
    let blob = base64::engine::general_purpose::STANDARD.encode(bincode::serialize(&vt).unwrap());
    let keys_of_tx: Vec<String> = vt.message.static_account_keys().iter().map(ToString::to_string).collect();
    let prog = keys_of_tx.iter().position(|x| *x == io_staking::ID.to_string()).unwrap();
    let mut t = tx(&sig(14), &k.list, 1, &[], None);
    t.transaction.transaction = EncodedTransaction::Binary(
        blob,
        solana_transaction_status_client_types::TransactionBinaryEncoding::Base64,
    );
    // The authority comes from a lookup table here.
    let authority_index = u8::try_from(keys_of_tx.len()).unwrap();
    let ev = event_data(&staked(Pubkey::new_unique(), Pubkey::new_unique()));
    let meta = t.transaction.meta.as_mut().unwrap();
    meta.loaded_addresses = Some(solana_transaction_status_client_types::UiLoadedAddresses {
        writable: vec![],
        readonly: vec![k.list[2].clone()],
    })
    .into();
    meta.inner_instructions = Some(vec![solana_transaction_status_client_types::UiInnerInstructions {
        index: 0,
        instructions: vec![UiInstruction::Compiled(
            solana_transaction_status_client_types::UiCompiledInstruction {
                program_id_index: u8::try_from(prog).unwrap(),
                accounts: vec![authority_index],
                data: b58(&ev),
                stack_height: Some(2),
            },
        )],
    }])
    .into();
    let d = decode_transaction(&t).unwrap();
    assert_eq!(d.signature, vt.signatures[0].to_string());
    assert_eq!(d.events.len(), 1);
}

#[test]
fn every_event_and_account_type_has_a_decoder() {
    let sources = [
        (Program::Staking, include_str!("../../../programs/io_staking/src/events.rs")),
        (Program::Token, include_str!("../../../programs/io_token/src/events.rs")),
        (Program::Escrow, include_str!("../../../programs/io_escrow/src/events.rs")),
        (Program::Oracle, include_str!("../../../programs/io_oracle/src/events.rs")),
    ];
    let mut n = 0;
    for (program, src) in sources {
        let mut lines = src.lines().peekable();
        while let Some(line) = lines.next() {
            if line.trim() == "#[event]" {
                let decl = lines.next().unwrap_or_default();
                let name =
                    decl.trim().strip_prefix("pub struct ").and_then(|r| r.split([' ', '{']).next()).unwrap();
                assert!(
                    events::EVENTS.iter().any(|d| d.program == program && d.name == name),
                    "{program:?}::{name} has no entry in the event table"
                );
                n += 1;
            }
        }
    }
    assert_eq!(n, events::EVENTS.len(), "the event table lists a type the programs do not emit");
    // Discriminators are unique per program.
    for d in events::EVENTS {
        let same = events::EVENTS
            .iter()
            .filter(|e| e.program == d.program && e.discriminator == d.discriminator)
            .count();
        assert_eq!(same, 1, "{}", d.name);
    }
    assert_eq!(accounts::ACCOUNTS.len(), 16);
}

#[test]
fn decodes_account_states() {
    let authority = Pubkey::new_unique();
    let op = io_staking::state::Operator {
        authority,
        name: "Acme".into(),
        region: "eu-west".into(),
        metadata_url: String::new(),
        commission_bps: 500,
        pending_commission_bps: 0,
        commission_effective_ts: 0,
        last_commission_epoch: 0,
        bond: 1_000,
        bond_withdrawing: 0,
        bond_unlock_ts: 0,
        required_bond: 200,
        devices_registered: 2,
        devices_active: 1,
        stake_shares: 10,
        stake_tokens: 12,
        unbonding_shares: 0,
        unbonding_tokens: 0,
        reward_per_share: u128::from(u64::MAX) * 3,
        commission_claimable: 0,
        rewards_claimed_cumulative: 0,
        delegator_count: 1,
        slash_count: 0,
        pending_slashes: 0,
        unbonding_era: 0,
        total_slashed: 0,
        registered_ts: 77,
        rewards_period: 0,
        activating_shares: 0,
        bump: 255,
    };
    let mut data = Vec::new();
    op.try_serialize(&mut data).unwrap();
    let d = decode_account(Program::Staking, &data).unwrap();
    assert_eq!(d.account_type, "Operator");
    assert_eq!(d.state["region"], json!("eu-west"));
    assert_eq!(d.state["reward_per_share"], json!((u128::from(u64::MAX) * 3).to_string()));
    assert_eq!(d.accounts, vec![authority]);
    // The same bytes are no account of another program, and garbage is nothing.
    assert!(decode_account(Program::Escrow, &data).is_none());
    assert!(decode_account(Program::Staking, &data[..20]).is_none());

    // Zero-copy airdrop campaign, with trailing bytes.
    let mut raw = io_token::state::AirdropCampaign::DISCRIMINATOR.to_vec();
    let mut c: io_token::state::AirdropCampaign = anchor_lang::__private::bytemuck::Zeroable::zeroed();
    c.campaign_id = 9;
    c.total = 1_000;
    raw.extend_from_slice(anchor_lang::__private::bytemuck::bytes_of(&c));
    raw.extend_from_slice(&[0; 4]);
    let d = decode_account(Program::Token, &raw).unwrap();
    assert_eq!((d.account_type, d.state["campaign_id"].clone()), ("AirdropCampaign", json!(9)));
    assert!(d.state.get("claimed_bitmap").is_none());
    assert!(decode_account(Program::Token, &raw[..100]).is_none());
}

#[test]
fn instructions_outer_and_inner_by_name_without_event_calls() {
    let k = keys();
    let burn = io_token::instruction::Burn { amount: 5, reason: io_token::state::BurnReason::Slash };
    let burn = anchor_lang::InstructionData::data(&burn);
    let ev = event_data(&staked(Pubkey::new_unique(), Pubkey::new_unique()));
    let err = json!({ "InstructionError": [0, { "Custom": 6000 }] });
    let t = tx(&sig(9), &k.list, 1, &[(3, vec![0], burn, Some(2)), (1, vec![2], ev, Some(2))], Some(err));
    // The outer instruction is `stake`.
    let mut v = serde_json::to_value(&t).unwrap();
    let stake = io_sdk::staking::stake(
        &Pubkey::new_unique(),
        &Pubkey::new_unique(),
        &Pubkey::new_unique(),
        &Pubkey::new_unique(),
        1,
    );
    v["transaction"]["message"]["instructions"][0]["data"] = json!(b58(&stake.data));
    let t: EncodedConfirmedTransactionWithStatusMeta = serde_json::from_value(v).unwrap();
    let ixs = transaction_instructions(&t).unwrap();
    let got: Vec<(&str, Program, Option<&str>)> =
        ixs.iter().map(|i| (i.ix_path.as_str(), i.program, i.name)).collect();
    assert_eq!(got, [("0", Program::Staking, Some("stake")), ("0.0", Program::Token, Some("burn"))]);
}

#[test]
fn writable_keys_follow_the_message_header() {
    let k = keys();
    // One signer (writable), then 6 unsigned keys of which the last 4 are readonly.
    let t = tx(&sig(10), &k.list, 1, &[], None);
    assert_eq!(writable_keys(&t).unwrap(), k.list[..3].to_vec());
    let mut v = serde_json::to_value(&t).unwrap();
    v["transaction"]["message"]["header"] = json!({ "numRequiredSignatures": 2, "numReadonlySignedAccounts": 1, "numReadonlyUnsignedAccounts": 5 });
    v["meta"]["loadedAddresses"]["writable"] = json!([k.fake.to_string()]);
    let t: EncodedConfirmedTransactionWithStatusMeta = serde_json::from_value(v).unwrap();
    // Key 0 signs and writes, key 1 signs read-only, key 2... are unsigned: 7 - 5 = 2 → none writable.
    assert_eq!(writable_keys(&t).unwrap(), vec![k.list[0].clone(), k.fake.to_string()]);
}
