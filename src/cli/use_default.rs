use super::{CliError, print_written};
use crate::store::Store;
use crate::store::ops::{self, Previous};

#[derive(clap::Args)]
pub struct Args {
    /// The profile to make the default
    #[arg(value_name = "PROFILE")]
    name: String,
}

pub fn run(store: &Store, args: &Args) -> Result<(), CliError> {
    let (made, written) = store.edit(|editor| ops::make_default(editor, &args.name))?;
    if made.already {
        println!("`default` is already the default profile");
        return Ok(());
    }
    println!("`{}` is now the default profile", args.name);
    match &made.previous {
        Previous::NoDefault | Previous::Nothing => {}
        Previous::HeldBy(name) => {
            println!("the previous default's credentials are also in profile `{name}`")
        }
        Previous::SavedAs(name) => println!("the previous default was saved as profile `{name}`"),
    }
    if !made.redirected.is_empty() {
        let target = match &made.previous {
            Previous::HeldBy(n) | Previous::SavedAs(n) => n.as_str(),
            Previous::NoDefault | Previous::Nothing => "",
        };
        println!(
            "source_profile of {} now names `{target}`, so they keep their keys",
            made.redirected.join(", ")
        );
    }
    print_written(&written);
    Ok(())
}
