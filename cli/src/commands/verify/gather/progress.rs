//! Progress of a long `io verify` on stderr, so stdout holds nothing but the result: on a terminal
//! one line rewritten in place, otherwise (a log, CI) one line per step and per tenth of a
//! count. Off with `--quiet` and `--output json`.
use std::io::{IsTerminal, Write};
use std::sync::Mutex;

pub struct Progress {
    on: bool,
    tty: bool,
    /// The tenth of the current count last printed and the line (non-terminal output), so a log
    /// gets at most about ten lines per count and never the same line twice in a row.
    last: Mutex<(Option<usize>, String)>,
}

/// Erases the terminal's current line (carriage return, then ANSI "erase in line").
const CLEAR: &str = "\r\x1b[2K";

impl Progress {
    pub fn new(on: bool) -> Self {
        Progress { on, tty: std::io::stderr().is_terminal(), last: Mutex::new((None, String::new())) }
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
            *self.lock() = (None, what.to_owned());
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
        if (last.0 != Some(tenth) || done == total) && last.1 != line {
            *last = (Some(tenth), line.to_owned());
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

    fn lock(&self) -> std::sync::MutexGuard<'_, (Option<usize>, String)> {
        self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A run that ends in an error leaves no half line before the error's message.
impl Drop for Progress {
    fn drop(&mut self) {
        self.done();
    }
}
