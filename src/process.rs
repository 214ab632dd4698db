//! The process itself, set up once at the top of `main` for every command ([`start`]):
//! - no core dumps, as ssh-agent and gpg-agent do: secrets are in its memory, so
//!   `RLIMIT_CORE` is 0 (soft and hard) and the process is not dumpable (which also keeps
//!   other processes of the same user from reading its memory through `/proc` or ptrace);
//! - on SIGTERM, SIGINT, SIGHUP or SIGQUIT the terminal is left as it was found, then the
//!   process dies by that signal, so its parent sees the usual status (e.g. 143 in a shell
//!   for SIGTERM). Without screens up, a thread puts back the terminal settings found at
//!   start (the non-echoing prompt of `credwiz add` turns echo off) and dies at once.
//!   While the screens are up ([`defer_signals`]), the signal is handed to their event
//!   loop, which ends as on quit (secrets dropped and zeroized, terminal restored), and the
//!   TUI then dies by it ([`die_if_signalled`]); should the loop not end within [`GRACE`]
//!   (or a second signal come), the thread restores the terminal itself and dies.

use std::fs::File;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use rustix::termios::{OptionalActions, Termios, tcgetattr, tcsetattr};
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGWINCH};
use signal_hook::iterator::Signals;

/// The signals that end credwiz, each leaving the terminal as it was found.
pub const FATAL: [i32; 4] = [SIGTERM, SIGINT, SIGHUP, SIGQUIT];

/// How long the screens' event loop has to end after a signal before the signal thread
/// restores the terminal and ends the process itself.
pub const GRACE: Duration = Duration::from_secs(2);

/// The last fatal signal received, 0 before: set in the signal handler itself, so it is
/// seen at once even by the thread that raised the signal (the secret prompt raises
/// SIGINT on Ctrl+C, then returns).
static PENDING: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// While the screens are up: how to restore the terminal (see [`defer_signals`]).
static SCREENS: Mutex<Option<fn()>> = Mutex::new(None);

/// The controlling terminal and its settings at start, if there is one.
static FOUND: OnceLock<Option<(File, Termios)>> = OnceLock::new();

/// Hardens the process and watches for fatal signals; a failure is a warning (credwiz
/// still works, less protected).
pub fn start() {
    if let Err(e) = no_core_dumps() {
        eprintln!("warning: cannot turn core dumps off ({e}); secrets could end up in one");
    }
    if let Err(e) = watch_signals() {
        eprintln!(
            "warning: cannot watch for signals ({e}); a kill may leave the terminal unusable (`reset` fixes it)"
        );
    }
}

/// `RLIMIT_CORE` 0 (soft and hard, so it cannot be raised again) and not dumpable.
pub(crate) fn no_core_dumps() -> io::Result<()> {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let none = Rlimit {
        current: Some(0),
        maximum: Some(0),
    };
    setrlimit(Resource::Core, none)?;
    #[cfg(target_os = "linux")]
    rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)?;
    Ok(())
}

fn watch_signals() -> io::Result<()> {
    FOUND.get_or_init(found_terminal);
    let pending = PENDING.get_or_init(Arc::default);
    for signal in FATAL {
        signal_hook::flag::register_usize(signal, Arc::clone(pending), signal as usize)?;
    }
    let mut signals = Signals::new(FATAL)?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let mut deferred = false;
            for signal in signals.forever() {
                deferred = on_signal(signal, deferred);
            }
        })?;
    Ok(())
}

/// The controlling terminal (`/dev/tty`, which the secret prompt uses too) and its
/// settings now.
fn found_terminal() -> Option<(File, Termios)> {
    let tty = File::options()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()?;
    let settings = tcgetattr(&tty).ok()?;
    Some((tty, settings))
}

/// Hands the first signal to the screens' loop when they are up (and says so), else
/// dies by it.
fn on_signal(signal: i32, deferred: bool) -> bool {
    if !deferred && screens().is_some() {
        // crossterm reads SIGWINCH as a resize: the event loop wakes up and sees
        // `pending_signal`, with no polling while it waits.
        let _ = signal_hook::low_level::raise(SIGWINCH);
        std::thread::spawn(move || {
            std::thread::sleep(GRACE);
            die(signal);
        });
        return true;
    }
    die(signal);
}

fn screens() -> Option<fn()> {
    *SCREENS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Puts the terminal back (the screens', then the settings found at start) and dies by
/// `signal` with its default action.
fn die(signal: i32) -> ! {
    if let Some(restore) = screens() {
        restore();
    }
    put_back_terminal();
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    std::process::exit(128 + signal)
}

/// The settings found at start, when they were changed (a background process that set
/// them unchanged would be stopped with SIGTTOU for nothing).
fn put_back_terminal() {
    let Some(Some((tty, found))) = FOUND.get() else {
        return;
    };
    let changed = tcgetattr(tty).is_ok_and(|now| !same(&now, found));
    if changed {
        let _ = tcsetattr(tty, OptionalActions::Now, found);
    }
}

fn same(a: &Termios, b: &Termios) -> bool {
    a.input_modes == b.input_modes
        && a.output_modes == b.output_modes
        && a.control_modes == b.control_modes
        && a.local_modes == b.local_modes
}

/// While alive, a fatal signal is handed to the screens' event loop ([`pending_signal`])
/// instead of ending the process at once; `restore` puts the terminal back should the
/// loop not end in time.
pub(crate) struct Deferral(());

pub(crate) fn defer_signals(restore: fn()) -> Deferral {
    *SCREENS.lock().unwrap_or_else(|e| e.into_inner()) = Some(restore);
    Deferral(())
}

impl Drop for Deferral {
    fn drop(&mut self) {
        *SCREENS.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// The fatal signal received, if any.
pub(crate) fn pending_signal() -> Option<i32> {
    let signal = PENDING.get()?.load(Ordering::SeqCst);
    i32::try_from(signal).ok().filter(|&s| s != 0)
}

/// Dies by the fatal signal received, if any: called once the screens are gone and
/// their secrets dropped, and at the end of `main`.
pub fn die_if_signalled() {
    if let Some(signal) = pending_signal() {
        die(signal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Changes this test process too: it then dumps no core and is not dumpable, which
    /// no test relies on.
    #[test]
    fn no_core_file_and_not_dumpable() {
        no_core_dumps().unwrap();
        let limit = rustix::process::getrlimit(rustix::process::Resource::Core);
        assert_eq!((limit.current, limit.maximum), (Some(0), Some(0)));
        assert_eq!(
            rustix::process::dumpable_behavior().unwrap(),
            rustix::process::DumpableBehavior::NotDumpable
        );
    }
}
