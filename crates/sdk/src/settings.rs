//! Layered settings, the services' one way to read them: an optional TOML file, then
//! `<PREFIX><TABLE>__<FIELD>` environment variables (e.g. `INDEXER__INGEST__RPC_URL`), then
//! command-line flags that name the field they set, merged as one TOML tree before the service's
//! nested `Settings` struct reads it. A field nobody set takes the struct's `Default`, so a flag
//! has no default of its own that could drift from the struct's.
use serde::de::DeserializeOwned;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("reading {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("parsing {path}: {source}")]
    Parse { path: String, source: Box<toml::de::Error> },
    #[error("environment variable {name}: {message}")]
    Env { name: String, message: String },
    #[error("settings (file, {prefix}* environment and flags): {source}")]
    Merged { prefix: &'static str, source: Box<toml::de::Error> },
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
}

/// A flag's value for the field at `path` (`"ingest.rpc_url"`).
pub type Override = (&'static str, toml::Value);

/// File (if any) ← variables of `env` starting with `prefix` ← `flags`, then the defaults of `T`
/// for every field none of them set.
pub fn load<T: DeserializeOwned>(
    prefix: &'static str,
    path: Option<&Path>,
    env: impl IntoIterator<Item = (String, String)>,
    flags: &[Override],
) -> Result<T, SettingsError> {
    let mut tree = match path {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|source| SettingsError::Read { path: p.display().to_string(), source })?;
            toml::from_str::<toml::Table>(&text).map_err(|source| SettingsError::Parse {
                path: p.display().to_string(),
                source: Box::new(source),
            })?
        }
        None => toml::Table::new(),
    };
    for (name, raw) in env {
        let Some(rest) = name.strip_prefix(prefix) else { continue };
        let keys: Vec<String> = rest.split("__").map(str::to_ascii_lowercase).collect();
        if keys.iter().any(String::is_empty) {
            return Err(SettingsError::Env { name, message: format!("expected {prefix}<TABLE>__<FIELD>") });
        }
        set(&mut tree, &keys, env_value(&raw)).map_err(|message| SettingsError::Env { name, message })?;
    }
    for (path, v) in flags {
        let keys: Vec<String> = path.split('.').map(str::to_owned).collect();
        set(&mut tree, &keys, v.clone())
            .map_err(|message| SettingsError::Env { name: (*path).to_owned(), message })?;
    }
    toml::Value::Table(tree).try_into().map_err(|e| SettingsError::Merged { prefix, source: Box::new(e) })
}

/// An environment value as TOML where it reads as one (`true`, `250`), else as a string (URLs,
/// addresses): `deny_unknown_fields` and the field types then judge it like a file's value.
fn env_value(raw: &str) -> toml::Value {
    toml::from_str::<toml::Table>(&format!("v = {raw}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .filter(|v| !v.is_table())
        .unwrap_or_else(|| toml::Value::String(raw.to_owned()))
}

fn set(tree: &mut toml::Table, keys: &[String], v: toml::Value) -> Result<(), String> {
    let Some((last, parents)) = keys.split_last() else { return Err("empty name".into()) };
    let mut t = tree;
    for k in parents {
        let entry = t.entry(k.clone()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
        t = entry.as_table_mut().ok_or_else(|| format!("{k} is not a table of settings"))?;
    }
    t.insert(last.clone(), v);
    Ok(())
}
