use super::output::Output;
use super::{CliError, print_written};
use crate::store::Store;
use crate::store::ops;

#[derive(clap::Args)]
pub struct Args {
    /// The profile to rename
    #[arg(value_name = "PROFILE")]
    old: String,
    /// Its new name
    new: String,
}

pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let (followed, written) = store.edit(|editor| ops::rename(editor, &args.old, &args.new))?;
    out.say(format_args!("renamed `{}` to `{}`", args.old, args.new));
    if !followed.is_empty() {
        out.say(format_args!(
            "source_profile of {} now names `{}`",
            followed.join(", "),
            args.new
        ));
    }
    print_written(out, &written);
    Ok(())
}
