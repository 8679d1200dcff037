//! The four programs' Anchor IDLs, built from the code.
//!
//! There is no SBF toolchain or anchor-cli here, so the IDLs come from Anchor's own native path:
//! with the `idl-build` feature each program's unit-test binary gains `__anchor_private_print_idl_*`
//! tests that print the program, its events, errors, constants and address as JSON sections. This
//! crate asks cargo for those binaries, runs them, and assembles the sections the way
//! `anchor_lang_idl::build::IdlBuilder` does (same merge, module-path shortening and ordering).
//!
//! Why not `IdlBuilder` itself: it runs `cargo test` with `RUSTFLAGS="-A warnings"`, a different
//! flag set from the workspace build, so every dependency would compile a second time. Here the
//! binaries are the ones `cargo test --workspace` already built (this crate depends on the programs
//! with `idl-build`, so feature unification compiles them that way in every workspace build).

use {
    anchor_lang_idl::types::{Idl, IdlAccount, IdlConst, IdlErrorCode, IdlEvent, IdlTypeDef},
    regex::Regex,
    serde_json::Value,
    std::{
        collections::BTreeMap,
        path::{Path, PathBuf},
        process::{Command, Stdio},
    },
};

/// The programs whose IDLs are committed, by their library (and IDL file) name.
pub const PROGRAMS: [&str; 4] = ["io_token", "io_staking", "io_escrow", "io_oracle"];

/// How to rewrite the committed IDLs; printed by the check when they are stale.
pub const REGENERATE: &str = "IO_IDL_UPDATE=1 cargo test -p io-idl --test idl_current";

/// The repository root (this crate is `crates/idl`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Where the IDLs are committed: `idl/<program>.json`.
pub fn idl_path(program: &str) -> PathBuf {
    workspace_root().join("idl").join(format!("{program}.json"))
}

/// Every program's IDL, in [`PROGRAMS`] order.
pub fn build_all() -> Result<Vec<(&'static str, Idl)>, String> {
    let binaries = test_binaries()?;
    PROGRAMS
        .iter()
        .map(|&program| {
            let binary = binaries
                .get(program)
                .ok_or_else(|| format!("cargo built no unit-test binary for {program}"))?;
            Ok((program, build_one(program, binary)?))
        })
        .collect()
}

/// The committed form: pretty JSON with a trailing newline. Field order comes from the spec
/// types and every list is sorted, so the text depends only on the code.
pub fn render(idl: &Idl) -> String {
    let mut text = serde_json::to_string_pretty(idl).expect("an IDL serializes");
    text.push('\n');
    text
}

/// The programs' unit-test binaries, by library name. `--workspace --lib` selects the same
/// packages as `cargo test --workspace`, hence the same features: when that run is the caller,
/// everything is fresh and cargo only reports the paths.
fn test_binaries() -> Result<BTreeMap<String, PathBuf>, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["test", "--lib", "--no-run", "--locked"])
        .args(scope())
        .args(["--message-format", "json-render-diagnostics"])
        .current_dir(workspace_root())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("running cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo test --no-run failed ({})", output.status));
    }
    let mut binaries = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        let name = message["target"]["name"].as_str().unwrap_or_default();
        if message["reason"] == "compiler-artifact"
            && message["profile"]["test"] == true
            && PROGRAMS.contains(&name)
        {
            if let Some(path) = message["executable"].as_str() {
                binaries.insert(name.to_owned(), PathBuf::from(path));
            }
        }
    }
    Ok(binaries)
}

/// Which packages cargo builds: the whole workspace (default), or with `IO_IDL_SCOPE=programs`
/// only the four programs and this crate.
fn scope() -> Vec<&'static str> {
    match std::env::var("IO_IDL_SCOPE").as_deref() {
        Ok("programs") => {
            vec!["-p", "io-token", "-p", "io-staking", "-p", "io-escrow", "-p", "io-oracle", "-p", "io-idl"]
        }
        _ => vec!["--workspace"],
    }
}

/// Runs one program's IDL-printing tests and assembles their sections.
fn build_one(program: &str, binary: &Path) -> Result<Idl, String> {
    let output = Command::new(binary)
        .args(["__anchor_private_print_idl", "--show-output", "--test-threads=1"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("running {}: {e}", binary.display()))?;
    if !output.status.success() {
        return Err(format!("{program}'s IDL tests failed ({})", output.status));
    }
    let sections =
        Sections::parse(&String::from_utf8_lossy(&output.stdout)).map_err(|e| format!("{program}: {e}"))?;
    let mut idl = sections.assemble().ok_or_else(|| format!("{program}: no program section"))?;
    add_unlisted_accounts(program, &mut idl);
    fill_event_cpi_accounts(&mut idl)?;
    drop_self_referential_pdas(&mut idl);
    Ok(sort(shorten_module_paths(idl)))
}

/// The JSON sections the print tests write, each between `--- IDL begin <kind> ---` and
/// `--- IDL end <kind> ---`.
#[derive(Default)]
struct Sections {
    address: String,
    program: Option<Idl>,
    constants: Vec<IdlConst>,
    events: Vec<IdlEvent>,
    event_types: BTreeMap<String, IdlTypeDef>,
    errors: Vec<IdlErrorCode>,
}

impl Sections {
    fn parse(stdout: &str) -> Result<Self, String> {
        #[derive(serde::Deserialize)]
        struct EventSection {
            event: IdlEvent,
            types: Vec<IdlTypeDef>,
        }

        let mut sections = Sections::default();
        let mut open: Option<(&str, Vec<&str>)> = None;
        for line in stdout.lines() {
            if let Some((kind, body)) = open.as_mut() {
                if line == format!("--- IDL end {kind} ---") {
                    let json = body.join("\n");
                    let bad = |e: serde_json::Error| format!("{kind} section: {e}");
                    match *kind {
                        "address" => sections.address = serde_json::from_str(&json).map_err(bad)?,
                        "program" => sections.program = Some(serde_json::from_str(&json).map_err(bad)?),
                        "const" => sections.constants.push(serde_json::from_str(&json).map_err(bad)?),
                        "errors" => {
                            if !sections.errors.is_empty() {
                                return Err("more than one error enum".into());
                            }
                            sections.errors = serde_json::from_str(&json).map_err(bad)?;
                        }
                        "event" => {
                            let event: EventSection = serde_json::from_str(&json).map_err(bad)?;
                            sections.events.push(event.event);
                            for ty in event.types {
                                sections.event_types.insert(ty.name.clone(), ty);
                            }
                        }
                        other => return Err(format!("unknown IDL section {other}")),
                    }
                    open = None;
                } else {
                    body.push(line);
                }
            } else if let Some(kind) =
                line.strip_prefix("--- IDL begin ").and_then(|rest| rest.strip_suffix(" ---"))
            {
                open = Some((kind, Vec::new()));
            }
        }
        match open {
            Some((kind, _)) => Err(format!("unterminated {kind} section")),
            None => Ok(sections),
        }
    }

    /// The program section plus the rest, as `IdlBuilder` merges them: event types first, the
    /// program's own types over them, all keyed (and so ordered) by name.
    fn assemble(self) -> Option<Idl> {
        let mut idl = self.program?;
        idl.address = self.address;
        idl.constants = self.constants;
        idl.events = self.events;
        idl.errors = self.errors;
        let mut types = self.event_types;
        types.extend(std::mem::take(&mut idl.types).into_iter().map(|ty| (ty.name.clone(), ty)));
        idl.types = types.into_values().collect();
        Some(idl)
    }
}

/// Accounts a program stores but whose instructions take them as `UncheckedAccount` (created
/// through io-program-kit, so that lamports sent there first cannot block them) are not in
/// Anchor's list, which it collects from `Account<T>` fields; clients still decode them. Their
/// type definition and discriminator come from the same code Anchor uses for the others.
fn unlisted_accounts(program: &str) -> Vec<(IdlAccount, BTreeMap<String, IdlTypeDef>)> {
    match program {
        "io_staking" => vec![account_of::<io_staking::state::Position>()],
        "io_oracle" => vec![account_of::<io_oracle::state::Equivocation>()],
        _ => vec![],
    }
}

fn account_of<T: anchor_lang::IdlBuild + anchor_lang::Discriminator>(
) -> (IdlAccount, BTreeMap<String, IdlTypeDef>) {
    let mut types = BTreeMap::new();
    let ty = T::create_type().expect("an #[account] type has an IDL definition");
    T::insert_types(&mut types);
    let account = IdlAccount { name: ty.name.clone(), discriminator: T::DISCRIMINATOR.into() };
    types.insert(ty.name.clone(), ty);
    (account, types)
}

fn add_unlisted_accounts(program: &str, idl: &mut Idl) {
    for (account, types) in unlisted_accounts(program) {
        if idl.accounts.iter().any(|a| a.name == account.name) {
            continue;
        }
        idl.accounts.push(account);
        for (name, ty) in types {
            if !idl.types.iter().any(|t| t.name == name) {
                idl.types.push(ty);
            }
        }
    }
    idl.types.sort_by(|a, b| a.name.cmp(&b.name));
}

/// `#[event_cpi]` adds two accounts to an instruction: `event_authority`, constrained by
/// `address = crate::EVENT_AUTHORITY_AND_BUMP.0`, and `program`, checked by the self-CPI itself.
/// Anchor 1.2's IDL builder lists neither address (it only keeps an `address` constraint that is a
/// plain constant), so a generated client would make every caller pass both. Both are fixed by
/// the program: the PDA of `__event_authority` (io-sdk's derivation) and the program's own id.
fn fill_event_cpi_accounts(idl: &mut Idl) -> Result<(), String> {
    use anchor_lang_idl::types::IdlInstructionAccountItem as Item;

    fn singles(
        items: &mut [Item],
        visit: &mut dyn FnMut(&mut anchor_lang_idl::types::IdlInstructionAccount),
    ) {
        for item in items {
            match item {
                Item::Single(account) => visit(account),
                Item::Composite(group) => singles(&mut group.accounts, visit),
            }
        }
    }

    let program_id: io_sdk::Pubkey =
        idl.address.parse().map_err(|e| format!("program address {}: {e}", idl.address))?;
    let authority = io_sdk::event_authority(&program_id).to_string();
    for ix in &mut idl.instructions {
        let mut has_authority = false;
        singles(&mut ix.accounts, &mut |a| has_authority |= a.name == "event_authority");
        if !has_authority {
            continue;
        }
        singles(&mut ix.accounts, &mut |a| {
            let fixed = match a.name.as_str() {
                "event_authority" => &authority,
                "program" => &idl.address,
                _ => return,
            };
            if a.address.is_none() && a.pda.is_none() {
                a.address = Some(fixed.clone());
            }
        });
    }
    Ok(())
}

/// A seed read from the account's own data (`seeds = [AIRDROP_SEED,
/// &campaign.load()?.campaign_id.to_le_bytes()]` on a zero-copy account) comes out of Anchor's
/// builder as the account's own address (`{"kind": "account", "path": "campaign"}`): a PDA
/// derived from itself, which is wrong and which client generators reject as a cycle. Such an
/// account keeps no PDA in the IDL; callers pass its address (they read it to know the seed).
fn drop_self_referential_pdas(idl: &mut Idl) {
    use anchor_lang_idl::types::{IdlInstructionAccountItem as Item, IdlSeed};

    fn visit(items: &mut [Item]) {
        for item in items {
            match item {
                Item::Composite(group) => visit(&mut group.accounts),
                Item::Single(a) => {
                    let own = |path: &str| path == a.name || path.starts_with(&format!("{}.", a.name));
                    let cyclic = a.pda.as_ref().is_some_and(|pda| {
                        pda.seeds.iter().any(|seed| matches!(seed, IdlSeed::Account(s) if own(&s.path)))
                    });
                    if cyclic {
                        a.pda = None;
                    }
                }
            }
        }
    }
    for ix in &mut idl.instructions {
        visit(&mut ix.accounts);
    }
}

/// Types are printed under their full Rust path (`io_staking::state::Position`); like
/// `IdlBuilder`, keep just the last segment wherever that names one type only.
fn shorten_module_paths(idl: Idl) -> Idl {
    let text = serde_json::to_string(&idl).expect("an IDL serializes");
    let path = Regex::new(r#""(\w+::)+(\w+)""#).expect("valid regex");
    let mut shortened = text.clone();
    for capture in path.captures_iter(&text) {
        let full = &capture[0];
        let name = &capture[2];
        let candidate = shortened.replace(full, &format!(r#""{name}""#));
        let other_path = Regex::new(&format!(r#""(\w+::)+{name}""#)).expect("valid regex");
        if !other_path.is_match(&candidate) {
            shortened = candidate;
        }
    }
    serde_json::from_str(&shortened).expect("shortening paths keeps the IDL valid")
}

/// Alphabetical order of every list, so the text does not depend on declaration order.
fn sort(mut idl: Idl) -> Idl {
    idl.accounts.sort_by(|a, b| a.name.cmp(&b.name));
    idl.constants.sort_by(|a, b| a.name.cmp(&b.name));
    idl.events.sort_by(|a, b| a.name.cmp(&b.name));
    idl.instructions.sort_by(|a, b| a.name.cmp(&b.name));
    idl.types.sort_by(|a, b| a.name.cmp(&b.name));
    idl
}

/// Where the program error table is committed, beside the IDLs.
pub fn errors_path() -> PathBuf {
    workspace_root().join("idl").join("errors.json")
}

/// Every program error a client can meet from our four programs and SPL Token, with io-sdk's
/// name and sentence (`io_sdk::errors::describe`, which the CLI and the indexer use): the app's
/// table is generated from this file, so all three say the same thing. The programs' own codes
/// carry their `#[msg]` (the IDLs' text, checked by the test); the Anchor framework and SPL Token
/// codes carry io-sdk's plainer sentences, which no IDL has.
pub fn error_table() -> Value {
    use io_sdk::{errors::describe, Program};

    let known = |program: &io_sdk::Pubkey, code: u32| {
        let info = describe(program, code);
        (info.name != "unknown")
            .then(|| serde_json::json!({ "code": code, "name": info.name, "message": info.message }))
    };
    let mut framework: Vec<u32> = io_sdk::errors::FRAMEWORK.iter().map(|(e, _)| u32::from(*e)).collect();
    framework.sort_unstable();
    let mut programs: Vec<Value> = Program::ALL
        .iter()
        .map(|p| {
            let id = p.id();
            let own = (anchor_lang::error::ERROR_CODE_OFFSET..).map_while(|code| known(&id, code));
            let errors: Vec<Value> = framework.iter().filter_map(|&c| known(&id, c)).chain(own).collect();
            serde_json::json!({ "name": p.name(), "address": id.to_string(), "errors": errors })
        })
        .collect();
    // SPL Token's codes are small and contiguous (0 = NotRentExempt …).
    let token = anchor_spl::token::ID;
    let spl: Vec<Value> = (0..).map_while(|code| known(&token, code)).collect();
    programs.push(serde_json::json!({ "name": "spl_token", "address": token.to_string(), "errors": spl }));
    serde_json::json!({ "programs": programs })
}
