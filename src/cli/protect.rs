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
        None => every_unprotected(store)?,
    };
    if names.is_empty() {
        out.say("no profile keeps its keys in the files: nothing to protect");
        return Ok(());
    }
    let keyring = std::cell::OnceCell::new();
    let mut failed = 0;
    for name in &names {
        match protect_one(store, &keyring, name) {
            Ok(Done::Repointed(done)) => {
                out.say(format_args!(
                    "`{name}`: its credential_process runs this credwiz now ({})",
                    protect::program().unwrap_or_default()
                ));
                print_written(out, &done.written);
            }
            Ok(Done::Protected(done)) => {
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

/// Every profile with plaintext keys, and every keyring profile whose credential_process
/// runs another program than this credwiz.
fn every_unprotected(store: &Store) -> Result<Vec<String>, CliError> {
    let this = protect::program().map_err(moved)?;
    let (mut names, _) = store.dry_run(|editor| {
        let mut names = protected::plaintext_profiles(editor)?;
        let uses = protected::keyring_uses(&editor.all_settings()?);
        names.extend(
            uses.into_iter()
                .filter(|u| u.program != this)
                .map(|u| u.profile),
        );
        Ok(names)
    })?;
    names.sort();
    Ok(names)
}

enum Done {
    Protected(protect::Protected),
    Repointed(protect::Protected),
}

/// A keyring profile whose credential_process runs another program is pointed at this
/// credwiz; a plaintext one is moved into the keyring (opened once, when first needed).
fn protect_one(
    store: &Store,
    keyring: &std::cell::OnceCell<Result<Keyring, crate::keyring::KeyringError>>,
    name: &str,
) -> Result<Done, MoveError> {
    if let Some(done) = protect::repoint(store, name)? {
        return Ok(Done::Repointed(done));
    }
    let keyring = keyring
        .get_or_init(Keyring::os)
        .as_ref()
        .map_err(|e| e.clone())?;
    protect::protect(store, keyring, name).map(Done::Protected)
}

/// A move's error as the CLI prints it.
pub(super) fn moved(error: MoveError) -> CliError {
    match error {
        MoveError::Store(e) => e.into(),
        e => CliError::Message(e.to_string()),
    }
}
