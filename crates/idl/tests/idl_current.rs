//! The committed `idl/*.json` are what the programs' code generates: the TypeScript client
//! (`app/src/generated`, from `npm run gen`) and the app's error table are generated from them,
//! so a stale IDL would ship a client that encodes the wrong instructions.

use {anchor_lang_idl::types::Idl, std::fs};

#[test]
fn committed_idls_are_current() {
    let built = io_idl::build_all().unwrap_or_else(|e| panic!("building the IDLs: {e}"));
    let update = std::env::var("IO_IDL_UPDATE").is_ok_and(|v| v == "1");
    let mut stale = Vec::new();
    for (program, idl) in &built {
        check_complete(program, idl);
        let path = io_idl::idl_path(program);
        let text = io_idl::render(idl);
        if update {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, &text).unwrap();
        } else if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(format!("idl/{program}.json"));
        }
    }
    let errors = serde_json::to_string_pretty(&io_idl::error_table()).unwrap() + "\n";
    if update {
        fs::write(io_idl::errors_path(), &errors).unwrap();
    } else if fs::read_to_string(io_idl::errors_path()).ok() != Some(errors) {
        stale.push("idl/errors.json".into());
    }
    assert!(
        stale.is_empty(),
        "stale (the programs or io-sdk's error table changed): {}\nregenerate with `{}`, then `cd app && npm run gen`, and commit both",
        stale.join(", "),
        io_idl::REGENERATE,
    );
}

/// What the client generator needs is present: the declared program id, accounts, instructions
/// (with PDA seeds, which need `ANCHOR_IDL_BUILD_RESOLUTION` from .cargo/config.toml), types and
/// the error table with messages.
fn check_complete(program: &str, idl: &Idl) {
    let id = match program {
        "io_token" => io_token::ID,
        "io_staking" => io_staking::ID,
        "io_escrow" => io_escrow::ID,
        "io_oracle" => io_oracle::ID,
        other => panic!("unknown program {other}"),
    };
    assert_eq!(idl.address, id.to_string(), "{program}: address is the declare_id");
    assert_eq!(idl.metadata.name, program);
    assert!(!idl.instructions.is_empty(), "{program}: instructions");
    assert!(!idl.accounts.is_empty(), "{program}: accounts");
    assert!(!idl.types.is_empty(), "{program}: types");
    assert!(!idl.errors.is_empty(), "{program}: errors");
    assert!(idl.errors.iter().all(|e| e.msg.is_some()), "{program}: every error has a #[msg]");
    let seeded = idl.instructions.iter().flat_map(|ix| &ix.accounts).any(
        |acc| matches!(acc, anchor_lang_idl::types::IdlInstructionAccountItem::Single(a) if a.pda.is_some()),
    );
    assert!(seeded, "{program}: PDA seeds (resolution) are in the IDL");
    // Events (emitted with `emit_cpi!`) are listed with their types, and the instructions that
    // emit them carry the event authority and the program at their fixed addresses.
    for event in &idl.events {
        assert!(idl.types.iter().any(|t| t.name == event.name), "{program}: type of event {}", event.name);
    }
    let authority = io_sdk::event_authority(&id).to_string();
    let mut emitting = 0;
    for ix in &idl.instructions {
        let single = |name: &str| {
            ix.accounts.iter().find_map(|a| match a {
                anchor_lang_idl::types::IdlInstructionAccountItem::Single(a) if a.name == name => Some(a),
                _ => None,
            })
        };
        if let Some(a) = single("event_authority") {
            emitting += 1;
            assert_eq!(a.address.as_ref(), Some(&authority), "{program}.{}: event authority", ix.name);
            let p = single("program").expect("event_cpi's program account");
            assert_eq!(p.address.as_ref(), Some(&idl.address), "{program}.{}: program", ix.name);
        }
    }
    if program == "io_staking" {
        assert!(!idl.events.is_empty() && emitting > 0, "io_staking emits events with emit_cpi!");
        let stake = idl.instructions.iter().find(|ix| ix.name == "stake").expect("stake");
        assert!(single_names(&stake.accounts).contains(&"event_authority"));
        assert!(idl.accounts.iter().any(|a| a.name == "Position"), "positions are decodable");
    }
    // The IDL's error table and io-sdk's (the CLI's, and via idl/errors.json the app's) agree.
    for e in &idl.errors {
        let sdk = io_sdk::errors::describe(&id, e.code);
        assert_eq!((sdk.name.as_str(), Some(sdk.message.as_str())), (e.name.as_str(), e.msg.as_deref()));
    }
}

fn single_names(items: &[anchor_lang_idl::types::IdlInstructionAccountItem]) -> Vec<&str> {
    items
        .iter()
        .map(|a| match a {
            anchor_lang_idl::types::IdlInstructionAccountItem::Single(a) => a.name.as_str(),
            anchor_lang_idl::types::IdlInstructionAccountItem::Composite(c) => c.name.as_str(),
        })
        .collect()
}
