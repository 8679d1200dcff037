//! The four programs, as one enum every client shares: the CLI picks one by name, the indexer
//! stores its name in `program` columns, error tables are chosen by it.
use anchor_lang::prelude::Pubkey;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Program {
    Token,
    Staking,
    Escrow,
    Oracle,
}

impl Program {
    pub const ALL: [Program; 4] = [Program::Token, Program::Staking, Program::Escrow, Program::Oracle];

    /// The program id, from the program crate's `declare_id!`.
    pub fn id(self) -> Pubkey {
        match self {
            Program::Token => io_token::ID,
            Program::Staking => io_staking::ID,
            Program::Escrow => io_escrow::ID,
            Program::Oracle => io_oracle::ID,
        }
    }

    /// The crate name (`io_token`, …): the spelling of a program in the API, the database, the
    /// manifest and JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Program::Token => "io_token",
            Program::Staking => "io_staking",
            Program::Escrow => "io_escrow",
            Program::Oracle => "io_oracle",
        }
    }

    pub fn from_id(id: &Pubkey) -> Option<Program> {
        Program::ALL.into_iter().find(|p| p.id() == *id)
    }

    pub fn from_name(name: &str) -> Option<Program> {
        Program::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The PDA that signs the program's `emit_cpi!` events.
    pub fn event_authority(self) -> Pubkey {
        crate::event_authority(&self.id())
    }
}

/// So that generic code (API parameter checks, OpenAPI enum lists) treats programs like every
/// other named enum.
impl crate::Name for Program {
    const ALL: &'static [Program] = &Program::ALL;
    const WHAT: &'static str = "program";

    fn name(&self) -> &'static str {
        Program::name(*self)
    }
}

impl std::fmt::Display for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Program {
    type Err = String;

    fn from_str(s: &str) -> Result<Program, String> {
        Program::from_name(s).ok_or_else(|| {
            let names: Vec<&str> = Program::ALL.iter().map(|p| p.name()).collect();
            format!("unknown program '{s}': one of {}", names.join(", "))
        })
    }
}

impl Serialize for Program {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Program {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Program, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_round_trip() {
        for p in Program::ALL {
            // A wildcard-free match: a fifth program fails to compile until it is listed in ALL.
            match p {
                Program::Token | Program::Staking | Program::Escrow | Program::Oracle => {}
            }
            assert_eq!(Program::from_id(&p.id()), Some(p));
            assert_eq!(Program::from_name(p.name()), Some(p));
            assert_eq!(p.name().parse::<Program>(), Ok(p));
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.name()));
            assert_eq!(serde_json::from_str::<Program>(&json).unwrap(), p);
        }
        assert_eq!(Program::from_id(&Pubkey::default()), None);
        assert!("io_nothing".parse::<Program>().unwrap_err().contains("io_token, io_staking"));
        assert!(serde_json::from_str::<Program>("\"Token\"").is_err());
        assert_eq!(<Program as crate::Name>::names(), ["io_token", "io_staking", "io_escrow", "io_oracle"]);
    }
}
