use super::output::Output;
use super::{CliError, print_written};
use crate::domain::profile::ACCESS_KEY_ID;
use crate::store::Store;
use crate::store::ops;

const DEFAULT: &str = "default";

#[derive(clap::Args)]
pub struct Args {
    /// The profile to make the default
    #[arg(value_name = "PROFILE")]
    name: String,
}

/// Remembers which profile the default was made from, with its key ID, so that doctor and
/// the picker notice when that profile gets a new key from another tool.
fn remember(store: &Store, name: &str) {
    let key_id = store.load().ok().and_then(|snapshot| {
        let parsed = snapshot.parse().ok()?;
        let set = parsed.profiles();
        let key = set.profile(DEFAULT)?.get(ACCESS_KEY_ID)?.to_string();
        Some(key)
    });
    let mut state = crate::state::State::load();
    state.made_default(name, key_id.as_deref());
    state.save();
}

pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let (made, written) = store.edit(|editor| ops::make_default(editor, &args.name))?;
    if made.already {
        out.say("`default` is already the default profile");
        return Ok(());
    }
    out.say(format_args!("`{}` is now the default profile", args.name));
    remember(store, &args.name);
    // The first line says what `default` became; the rest, what happened to the old one.
    for line in made.described(&args.name).iter().skip(1) {
        out.say(line);
    }
    print_written(out, &written);
    Ok(())
}
