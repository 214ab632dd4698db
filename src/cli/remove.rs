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
    // What would refuse the removal (no such profile, profiles that depend on it) is
    // said before asking, not after the answer.
    if !args.yes {
        store.dry_run(|editor| ops::remove(editor, &args.name, args.force))?;
    }
    if !args.yes && !confirm(store, &args.name, out)? {
        out.say("nothing removed");
        return Ok(());
    }
    let (removed, written, entry) =
        crate::protect::remove(store, &args.name, args.force, crate::keyring::Keyring::os)?;
    out.say(format_args!("removed profile `{}`", args.name));
    match entry.as_ref().map(crate::protect::Entry::said) {
        Some((said, true)) => out.warn(said),
        Some((said, false)) => out.say(said),
        None => {}
    }
    let dangling = removed.dependents;
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
