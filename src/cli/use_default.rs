use super::output::Output;
use super::{CliError, print_written};
use crate::store::Store;
use crate::store::ops::{self, Previous};

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
    match &made.previous {
        Previous::NoDefault | Previous::Nothing => {}
        Previous::HeldBy(name) => out.say(format_args!(
            "the previous default's credentials are also in profile `{name}`"
        )),
        Previous::SavedAs(name) => out.say(format_args!(
            "the previous default was saved as profile `{name}`"
        )),
    }
    if !made.redirected.is_empty() {
        let target = match &made.previous {
            Previous::HeldBy(n) | Previous::SavedAs(n) => n.as_str(),
            Previous::NoDefault | Previous::Nothing => "",
        };
        out.say(format_args!(
            "source_profile of {} now names `{target}`, so they keep their keys",
            made.redirected.join(", ")
        ));
    }
    print_written(out, &written);
    Ok(())
}
