use super::CliError;
use super::output::Output;
use crate::store::Store;
use crate::sts;

#[derive(clap::Args)]
pub struct Args {
    /// The profile whose keys to check
    #[arg(value_name = "PROFILE", default_value = "default")]
    name: String,
}

/// Checks the profile's keys with STS `GetCallerIdentity`; exit 1 when they do not work,
/// 3 ([`super::UNCHECKED`]) when they could not be checked (the message says why). A verdict is kept in credwiz's state
/// file for the picker.
pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    out.know_parsed(&parsed);
    let env = |name: &str| std::env::var(name).ok();
    let (keys, endpoint) =
        sts::target::for_profile(&parsed, &args.name, &env).map_err(CliError::Message)?;
    let result = sts::verify(&keys, &endpoint);
    let mut state = crate::state::State::load();
    if sts::record(&mut state, &args.name, &result) {
        state.save();
    }
    match result {
        Ok(verified) => {
            let id = &verified.identity;
            out.say(format_args!(
                "✓ the keys of `{}` work ({:.2} s)",
                args.name,
                verified.took.as_secs_f64()
            ));
            out.say(format_args!("  account  {}", id.account));
            out.say(format_args!("  arn      {}", id.arn));
            out.say(format_args!("  user id  {}", id.user_id));
            if id.is_root() {
                out.warn(format_args!(
                    "these are the ROOT USER's access keys of account {}.\n  \
                     Root keys can do anything to the account and cannot be limited; AWS advises against them.\n  \
                     Instead, create an IAM user (or use IAM Identity Center) with the permissions you need,\n  \
                     switch to its keys, then delete this root key (IAM console → Security credentials).",
                    id.account
                ));
            }
            Ok(())
        }
        Err(failure) => {
            let message = format!("{} (endpoint {})", failure.about(&args.name), endpoint.url);
            Err(match failure {
                sts::Failure::Refused(_) => CliError::Message(message),
                sts::Failure::Unchecked(_) => CliError::Unchecked(message),
            })
        }
    }
}
