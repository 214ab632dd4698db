//! `credwiz protect NAME|--all`: plaintext keys into the OS keyring, each profile one
//! transaction (see [`crate::protect`]).

use super::output::Output;
use super::{CliError, print_written};
use crate::keyring::Keyring;
use crate::protect::{self, MoveError};
use crate::store::{Store, protected};

#[derive(clap::Args)]
pub struct Args {
    /// The profile whose keys move into the keyring
    #[arg(
        value_name = "PROFILE",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    name: Option<String>,
    /// Every profile with plaintext keys
    #[arg(long)]
    all: bool,
}

pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let names = match &args.name {
        Some(name) => vec![name.clone()],
        None => {
            store
                .dry_run(|editor| protected::plaintext_profiles(editor))?
                .0
        }
    };
    if names.is_empty() {
        out.say("no profile keeps its keys in the files: nothing to protect");
        return Ok(());
    }
    let keyring = Keyring::os().map_err(|e| moved(e.into()))?;
    let mut failed = 0;
    for name in &names {
        match protect::protect(store, &keyring, name) {
            Ok(done) => {
                out.say(format_args!(
                    "`{name}`: the secret of {} is in the OS keyring now; the files hold no secret of it",
                    done.key_id
                ));
                let others: Vec<_> = done
                    .also_plaintext
                    .iter()
                    .filter(|other| !names.contains(other))
                    .cloned()
                    .collect();
                if !others.is_empty() {
                    out.warn(format_args!(
                        "{} still hold the same key in plaintext: credwiz protect --all",
                        crate::domain::text::quoted_list(&others)
                    ));
                }
                print_written(out, &done.written);
            }
            Err(e) if names.len() == 1 => return Err(moved(e)),
            Err(e) => {
                failed += 1;
                out.warn(format_args!("`{name}` not protected: {}", moved(e)));
            }
        }
    }
    match failed {
        0 => Ok(()),
        n => Err(CliError::Message(format!(
            "{n} of {} profiles were not protected (said above); the others were",
            names.len()
        ))),
    }
}

/// A move's error as the CLI prints it.
pub(super) fn moved(error: MoveError) -> CliError {
    match error {
        MoveError::Store(e) => e.into(),
        e => CliError::Message(e.to_string()),
    }
}
