use super::output::Output;
use super::{CliError, print_written};
use crate::store::Store;
use crate::store::ops;

#[derive(clap::Args)]
pub struct Args {
    /// The profile to rename, as the AWS CLI names it (`some profile` for
    /// `[profile 'some profile']`)
    #[arg(value_name = "PROFILE")]
    old: String,
    /// Its new name (letters, digits and - _ / . % @ : +); the same name rewrites its
    /// headers in the form every reader reads (`[profile "a"]` becomes `[profile a]`)
    new: String,
}

pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let (followed, written) = store.edit(|editor| ops::rename(editor, &args.old, &args.new))?;
    if args.old == args.new {
        // Only a name the SDKs skip can be renamed to itself: its headers are rewritten.
        out.say(format_args!(
            "rewrote the headers of `{}` in the form every reader reads",
            args.old
        ));
        print_written(out, &written);
        return Ok(());
    }
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
