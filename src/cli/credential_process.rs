//! `credwiz credential-process --key-id ID`: what the AWS tools run for a profile whose
//! secret is in the OS keyring. Prints the AWS CLI's process format and nothing else on
//! stdout; on failure one line on stderr (the SDKs show it) and exit 1. Reads neither
//! file: every AWS command pays for this, so it only asks the keyring.

use std::io::Write;
use std::process::ExitCode;

use crate::domain::export::{Format, render};

#[derive(clap::Args)]
pub struct Args {
    /// The access key ID whose secret is in the keyring
    #[arg(long, value_name = "ID")]
    key_id: String,
}

pub fn run(args: &Args) -> ExitCode {
    match print(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("credwiz: {why}");
            ExitCode::FAILURE
        }
    }
}

fn print(args: &Args) -> Result<(), String> {
    let key_id = args.key_id.trim();
    let stored = crate::keyring::read(key_id).map_err(|e| e.to_string())?;
    if let Some(ended) = stored
        .expiration
        .as_deref()
        .and_then(crate::domain::expiry::parse)
        .filter(|&at| at <= crate::domain::expiry::now())
    {
        return Err(format!(
            "the temporary credentials of {key_id} ended at {}: renew them (`credwiz session`), then run the command again",
            crate::domain::expiry::utc(ended)
        ));
    }
    let text = render(Format::Process, &stored.exported(key_id));
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("cannot write the credentials: {e}"))
}
