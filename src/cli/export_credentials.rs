//! `credwiz export-credentials NAME [--format F]`: a profile's keys in the formats of
//! `aws configure export-credentials`, from the files or the OS keyring. Secrets are
//! printed only into a pipe or a file, unless `--reveal` says a terminal is meant.

use std::io::{IsTerminal, Write};

use super::CliError;
use crate::domain::export::{Exported, Format, render};
use crate::domain::profile::Kind;
use crate::store::Store;

#[derive(clap::Args)]
pub struct Args {
    /// The profile whose credentials to print
    #[arg(value_name = "PROFILE")]
    name: String,
    /// How to print them (the AWS CLI's formats)
    #[arg(long, value_enum, default_value = "process")]
    format: Format,
    /// Print the secrets even though stdout is a terminal
    #[arg(long)]
    reveal: bool,
}

pub fn run(store: &Store, args: &Args) -> Result<(), CliError> {
    let name = &args.name;
    let stdout = std::io::stdout();
    if stdout.is_terminal() && !args.reveal {
        return Err(CliError::Message(format!(
            "not printing the secrets of `{name}` to a terminal: pipe or redirect the output (eval \"$(credwiz export-credentials {name} --format env)\"), or add --reveal"
        )));
    }
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    let set = parsed.profiles();
    let section = set
        .profile(name)
        .ok_or_else(|| crate::store::StoreError::NoSuchProfile(name.to_string()))?;
    let get = |key: &str| section.get(key);
    match crate::domain::profile::kind(get) {
        Kind::Static | Kind::Session | Kind::Endpoint => {}
        kind => {
            return Err(CliError::Message(format!(
                "`{name}` gets its credentials another way ({}), which credwiz does not resolve: aws configure export-credentials --profile {name}",
                kind.label()
            )));
        }
    }
    let keys = crate::sts::target::keys_of(&get)
        .map_err(|e| CliError::Message(format!("cannot read the keys of `{name}`: {e}")))?;
    let expiration = get(crate::domain::session::EXPIRATION).map(str::trim);
    let exported = Exported {
        access_key_id: &keys.access_key_id,
        secret: keys.secret.expose(),
        token: keys.token.as_ref().map(|t| t.expose()),
        expiration: expiration.filter(|e| !e.is_empty()),
    };
    let text = render(args.format, &exported);
    let mut out = stdout.lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| CliError::Message(format!("cannot write the credentials: {e}")))
}
