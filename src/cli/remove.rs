use std::io::{BufRead, IsTerminal};

use super::output::Output;
use super::{CliError, print_written};
use crate::store::Store;
use crate::store::ops;

#[derive(clap::Args)]
pub struct Args {
    /// The profile to remove from both files
    #[arg(value_name = "PROFILE")]
    name: String,
    /// Do not ask for confirmation (required when stdin is not a terminal)
    #[arg(long, short)]
    yes: bool,
    /// Remove it even while other profiles use it as their source_profile
    #[arg(long)]
    force: bool,
}

fn confirm(store: &Store, name: &str, out: &mut Output) -> Result<bool, CliError> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(CliError::Message(format!(
            "not removing `{name}` without confirmation: stdin is not a terminal; pass --yes"
        )));
    }
    out.ask(format_args!(
        "Remove profile `{name}` from {} and {}? [y/N] ",
        store.locations.config.display(),
        store.locations.credentials.display()
    ));
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::Message(format!("cannot read the answer: {e}")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let remove = |editor: &mut crate::store::Editor| ops::remove(editor, &args.name, args.force);
    // What would refuse the removal (no such profile, profiles that depend on it) is
    // said before asking, not after the answer.
    if !args.yes {
        store.dry_run(remove)?;
    }
    if !args.yes && !confirm(store, &args.name, out)? {
        out.say("nothing removed");
        return Ok(());
    }
    let in_keyring =
        crate::protect::keyring_key_id(store, &args.name).map_err(super::protect::moved)?;
    let (dangling, written) = store.edit(remove)?;
    out.say(format_args!("removed profile `{}`", args.name));
    if let Some(key_id) = in_keyring {
        forget_entry(store, &key_id, out);
    }
    match dangling.as_slice() {
        [] => {}
        [one] => out.warn(format_args!(
            "`{one}` still takes its credentials from `{}` (source_profile) and stops working until you change that",
            args.name
        )),
        many => out.warn(format_args!(
            "{} still take their credentials from `{}` (source_profile) and stop working until you change that",
            crate::domain::text::quoted_list(many),
            args.name
        )),
    }
    if args.name == "default" {
        out.warn(
            "there is no default profile now: aws commands without --profile find no keys; make one the default: credwiz use NAME",
        );
    }
    print_written(out, &written);
    Ok(())
}

/// The keyring entry of a removed profile goes too, unless another profile uses it.
fn forget_entry(store: &Store, key_id: &str, out: &mut Output) {
    let forgotten = crate::keyring::Keyring::os()
        .map_err(crate::protect::MoveError::from)
        .and_then(|keyring| crate::protect::forget_unused(store, &keyring, key_id));
    match forgotten {
        Ok((users, None)) if users.is_empty() => {
            out.say(format_args!("deleted the OS keyring's entry for {key_id}"));
        }
        Ok((users, None)) => out.say(format_args!(
            "the OS keyring's entry for {key_id} stays: {} use it",
            crate::domain::text::quoted_list(&users)
        )),
        Ok((_, Some(why))) => out.warn(format_args!(
            "the OS keyring's entry for {key_id} could not be deleted ({why}); `credwiz doctor` lists it"
        )),
        Err(why) => out.warn(format_args!(
            "the OS keyring's entry for {key_id} could not be deleted ({why}); `credwiz doctor` lists it"
        )),
    }
}
