use super::output::Output;
use super::{CliError, print_written};
use crate::store::Store;
use crate::store::ops;

#[derive(clap::Args)]
pub struct Args {
    /// The profile to make the default
    #[arg(value_name = "PROFILE")]
    name: String,
}

pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let (made, written) = store.edit(|editor| ops::make_default(editor, &args.name))?;
    if made.already {
        out.say("`default` is already the default profile");
        return Ok(());
    }
    out.say(format_args!("`{}` is now the default profile", args.name));
    // The first line says what `default` became; the rest, what happened to the old one.
    for line in made.described(&args.name).iter().skip(1) {
        out.say(line);
    }
    print_written(out, &written);
    Ok(())
}
