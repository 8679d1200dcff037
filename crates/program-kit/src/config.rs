//! The config account each IO Compute program keeps at its `CONFIG_SEED` PDA: it signs for the
//! program's vaults, names the admin (handed over in two steps) and holds the pause switch.
//!
//! The rules are the same in every program, so they are written once here as provided methods of
//! [`ProgramConfig`]; a program implements the trait with [`program_config!`] over its own
//! config struct (the fields keep their names and places: no account layout changes). What stays
//! in each program is what differs: its error codes (the checks are Anchor constraints that name
//! the program's own error), its events and its invariants.
use anchor_lang::prelude::Pubkey;

/// A program's config account: the PDA that signs for its vaults, the two-step admin and the
/// pause switch.
pub trait ProgramConfig {
    /// The config PDA's seed (`CONFIG_SEED` of the program).
    const SEED: &'static [u8];
    /// The config PDA's canonical bump, as stored.
    fn bump_ref(&self) -> &u8;
    fn admin_mut(&mut self) -> &mut Pubkey;
    fn pending_admin_ref(&self) -> &Pubkey;
    fn pending_admin_mut(&mut self) -> &mut Pubkey;
    fn paused_ref(&self) -> &bool;
    fn paused_mut(&mut self) -> &mut bool;

    /// The seeds the config PDA signs with (for vault transfers, burns and mints it authorises).
    fn signer_seeds(&self) -> [&[u8]; 2] {
        [Self::SEED, core::slice::from_ref(self.bump_ref())]
    }

    /// The pause check every guarded instruction makes (as an Anchor constraint naming the
    /// program's own `Paused` error): true while the program is not paused.
    fn is_live(&self) -> bool {
        !*self.paused_ref()
    }

    /// Sets the pause switch; returns what it was.
    fn set_paused(&mut self, paused: bool) -> bool {
        core::mem::replace(self.paused_mut(), paused)
    }

    /// Step one of an admin transfer: `new_admin` may now accept. Proposing `Pubkey::default()`
    /// withdraws a proposal (nobody holds that key's secret, so nobody can accept it).
    fn propose_admin(&mut self, new_admin: Pubkey) {
        *self.pending_admin_mut() = new_admin;
    }

    /// Whether `key` is the proposed admin (checked as an Anchor constraint naming the program's
    /// own `NotPendingAdmin` error before [`Self::accept_admin`]).
    fn is_pending_admin(&self, key: &Pubkey) -> bool {
        self.pending_admin_ref() == key
    }

    /// Step two: the proposed admin, who signed, takes the role and the proposal is cleared.
    /// Returns the previous admin.
    fn accept_admin(&mut self, new_admin: Pubkey) -> Pubkey {
        *self.pending_admin_mut() = Pubkey::default();
        core::mem::replace(self.admin_mut(), new_admin)
    }
}

/// Implements [`ProgramConfig`] for a config struct with the fields `admin`, `pending_admin`,
/// `paused` and `bump`, whose PDA seed is `$seed`: `io_program_kit::program_config!(Config, CONFIG_SEED);`.
#[macro_export]
macro_rules! program_config {
    ($config:ty, $seed:expr) => {
        impl $crate::ProgramConfig for $config {
            const SEED: &'static [u8] = $seed;
            fn bump_ref(&self) -> &u8 {
                &self.bump
            }
            fn admin_mut(&mut self) -> &mut ::anchor_lang::prelude::Pubkey {
                &mut self.admin
            }
            fn pending_admin_ref(&self) -> &::anchor_lang::prelude::Pubkey {
                &self.pending_admin
            }
            fn pending_admin_mut(&mut self) -> &mut ::anchor_lang::prelude::Pubkey {
                &mut self.pending_admin
            }
            fn paused_ref(&self) -> &bool {
                &self.paused
            }
            fn paused_mut(&mut self) -> &mut bool {
                &mut self.paused
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Cfg {
        admin: Pubkey,
        pending_admin: Pubkey,
        paused: bool,
        bump: u8,
    }
    crate::program_config!(Cfg, b"cfg");

    fn cfg() -> Cfg {
        Cfg { admin: Pubkey::new_unique(), pending_admin: Pubkey::default(), paused: false, bump: 254 }
    }

    #[test]
    fn two_step_admin_hands_over_and_clears_the_proposal() {
        let mut c = cfg();
        let (old, new) = (c.admin, Pubkey::new_unique());
        assert!(!c.is_pending_admin(&new));
        c.propose_admin(new);
        assert!(c.is_pending_admin(&new));
        assert_eq!(c.admin, old, "proposing changes nothing yet");
        assert_eq!(c.accept_admin(new), old);
        assert_eq!((c.admin, c.pending_admin), (new, Pubkey::default()));
        assert!(!c.is_pending_admin(&new), "a proposal is accepted once");
    }

    #[test]
    fn proposing_the_default_key_withdraws() {
        let mut c = cfg();
        let new = Pubkey::new_unique();
        c.propose_admin(new);
        c.propose_admin(Pubkey::default());
        assert!(!c.is_pending_admin(&new));
    }

    #[test]
    fn pause_switch_reports_what_it_was() {
        let mut c = cfg();
        assert!(c.is_live());
        assert!(!c.set_paused(true));
        assert!(!c.is_live());
        assert!(c.set_paused(false));
        assert!(c.is_live());
    }

    #[test]
    fn signer_seeds_are_the_seed_and_the_bump() {
        let c = cfg();
        assert_eq!(c.signer_seeds(), [b"cfg".as_slice(), [254u8].as_slice()]);
    }
}
