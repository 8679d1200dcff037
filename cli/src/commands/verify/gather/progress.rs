//! Progress of a long `io verify` on stderr, so stdout holds nothing but the result: on a terminal
//! one line rewritten in place, otherwise (a log, CI) one line per step and per tenth of a
//! count. Off with `--quiet` and `--output json`.
use std::io::{IsTerminal, Write};
use std::sync::Mutex;

pub struct Progress {
    on: bool,
    tty: bool,
    /// The tenth of the current count last printed (non-terminal output), so a log gets at most
    /// about ten lines per count.
    last_tenth: Mutex<Option<usize>>,
}

/// Erases the terminal's current line (carriage return, then ANSI "erase in line").
const CLEAR: &str = "\r\x1b[2K";

impl Progress {
    pub fn new(on: bool) -> Self {
        Progress { on, tty: std::io::stderr().is_terminal(), last_tenth: Mutex::new(None) }
    }

    fn show(&self, line: &str) {
        let mut err = std::io::stderr().lock();
        // Progress is best effort: a closed stderr must not fail the run.
        let _ = if self.tty { write!(err, "{CLEAR}{line}") } else { writeln!(err, "{line}") };
        let _ = err.flush();
    }

    /// A new step ("reading the chain…").
    pub fn step(&self, what: &str) {
        if self.on {
            *self.lock() = None;
            self.show(what);
        }
    }

    /// `done` of `total` of the current count; `line` says what ("report 12/40 from 4 nodes").
    pub fn tick(&self, done: usize, total: usize, line: &str) {
        if !self.on {
            return;
        }
        if self.tty {
            return self.show(line);
        }
        let tenth = done.saturating_mul(10).checked_div(total).unwrap_or(10);
        let mut last = self.lock();
        if *last != Some(tenth) || done == total {
            *last = Some(tenth);
            drop(last);
            self.show(line);
        }
    }

    /// The end of the run: the rewritten line is erased before the result is printed.
    pub fn done(&self) {
        if self.on && self.tty {
            let _ = write!(std::io::stderr(), "{CLEAR}");
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<usize>> {
        self.last_tenth.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
