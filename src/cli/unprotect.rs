//! `credwiz unprotect NAME|--all`: keys from the OS keyring back into the credentials
//! file, as `credwiz add` writes them.

use super::output::Output;
use super::protect::moved;
use super::{CliError, print_written};
use crate::keyring::Keyring;
use crate::protect;
use crate::store::{Store, protected};

#[derive(clap::Args)]
pub struct Args {
    /// The profile whose keys go back into the credentials file
    #[arg(
        value_name = "PROFILE",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    name: Option<String>,
    /// Every profile whose secret is in the keyring
    #[arg(long)]
    all: bool,
}

pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let names = match &args.name {
        Some(name) => vec![name.clone()],
        None => {
            let (uses, _) =
                store.dry_run(|editor| Ok(protected::keyring_uses(&editor.all_settings()?)))?;
            uses.into_iter().map(|u| u.profile).collect()
        }
    };
    if names.is_empty() {
        out.say("no profile keeps its secret in the OS keyring: nothing to do");
        return Ok(());
    }
    let keyring = Keyring::os().map_err(|e| moved(e.into()))?;
    for name in &names {
        let done = protect::unprotect(store, &keyring, name).map_err(moved)?;
        out.say(format_args!(
            "`{name}`: the keys of {} are in the credentials file again (plaintext)",
            done.key_id
        ));
        if let Some(why) = done.entry_left {
            out.warn(format_args!(
                "the keyring entry of {} could not be deleted ({why}): delete it with `secret-tool clear service credwiz username {}`",
                done.key_id, done.key_id
            ));
        } else if !done.entry_kept_for.is_empty() && !args.all {
            out.say(format_args!(
                "the keyring entry stays: {} use it",
                crate::domain::text::quoted_list(&done.entry_kept_for)
            ));
        }
        print_written(out, &done.written);
    }
    Ok(())
}
