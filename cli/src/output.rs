//! How a command's result reaches the user: every command returns one `Serialize` value that
//! also renders itself as text, and only [`Report::print`] writes it — as text for people, or
//! (`--output json`) as one JSON object with `"ok": true` for programs. Text and JSON therefore
//! come from the same fields and cannot drift apart.
use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::Value;
use std::io::Write;

/// A command result's text for people; its JSON is its `Serialize` form.
pub trait Render: Serialize {
    fn text(&self) -> String;
}

/// A result in both forms, ready to print.
pub struct Report {
    text: String,
    json: Value,
    /// The result itself is a failure (`"ok": false`, exit status 1), e.g. `io verify` found a
    /// mismatch: printed in full all the same.
    failing: bool,
}

impl Report {
    pub fn of<R: Render>(result: &R) -> Result<Report> {
        let json = serde_json::to_value(result).context("cannot write the result as JSON")?;
        Ok(Report { text: result.text(), json, failing: false })
    }

    pub fn failing(mut self, failing: bool) -> Report {
        self.failing = failing;
        self
    }

    pub fn is_failing(&self) -> bool {
        self.failing
    }

    pub fn print(self, json: bool) {
        let line = if json {
            let mut v = self.json;
            if let Value::Object(m) = &mut v {
                m.insert("ok".into(), Value::Bool(!self.failing));
            }
            v.to_string()
        } else {
            self.text
        };
        // A closed pipe (`io operator list | head`) is not an error worth a panic.
        let _ = writeln!(std::io::stdout(), "{line}");
    }
}

/// A failed command: `error: …` on stderr, or `{"ok": false, "error": …}` on stdout.
pub fn print_error(e: &anyhow::Error, json: bool) {
    if json {
        let _ =
            writeln!(std::io::stdout(), "{}", serde_json::json!({ "ok": false, "error": format!("{e:#}") }));
    } else {
        let _ = writeln!(std::io::stderr(), "error: {e:#}");
    }
}

/// A sent transaction: what it did, its signature, and the command's own fields beside them.
#[derive(Serialize)]
pub struct Sent<T: Serialize> {
    #[serde(skip)]
    pub what: String,
    pub signature: String,
    #[serde(flatten)]
    pub fields: T,
}

impl<T: Serialize> Sent<T> {
    pub fn new(what: impl Into<String>, signature: String, fields: T) -> Self {
        Sent { what: what.into(), signature, fields }
    }
}

impl<T: Serialize> Render for Sent<T> {
    fn text(&self) -> String {
        format!("{}\nsignature: {}", self.what, self.signature)
    }
}

/// The fields of a command whose JSON has none besides the signature.
#[derive(Serialize)]
pub struct NoFields {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Lease {
        lease: String,
        amount: u64,
    }

    #[test]
    fn a_sent_result_flattens_its_fields_beside_the_signature() {
        let s = Sent::new("closed", "sig".into(), Lease { lease: "L".into(), amount: u64::MAX });
        let r = Report::of(&s).unwrap();
        assert_eq!(r.text, "closed\nsignature: sig");
        assert_eq!(r.json, serde_json::json!({ "signature": "sig", "lease": "L", "amount": u64::MAX }));
        let r = Report::of(&Sent::new("emitted", "s".into(), NoFields {})).unwrap();
        assert_eq!(r.json, serde_json::json!({ "signature": "s" }));
    }
}
