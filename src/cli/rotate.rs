use std::io::{BufRead, IsTerminal};

use super::CliError;
use super::output::Output;
use crate::rotate::{Done, Options, Rotator, Stop, StoreFiles, Talk};
use crate::store::Store;

#[derive(clap::Args)]
pub struct Args {
    /// The profile whose access key to rotate
    #[arg(value_name = "PROFILE")]
    name: String,
    /// Delete the old key instead of deactivating it
    #[arg(long, conflicts_with = "finish")]
    delete: bool,
    /// When the user already has two keys, delete the other one even if it is active
    /// (never the key in use)
    #[arg(long, conflicts_with = "finish")]
    delete_other: bool,
    /// Delete the key an earlier rotation deactivated, after showing when it was last used
    #[arg(long)]
    finish: bool,
    /// The code of the MFA device, when IAM requires MFA (else asked on a terminal)
    #[arg(long, value_name = "CODE")]
    mfa_code: Option<String>,
    /// Do not ask for confirmation (required when stdin is not a terminal)
    #[arg(long, short)]
    yes: bool,
}

/// Rotates the profile's access key through IAM (see [`crate::rotate`]), saying each
/// step. Exit 1 when refused or failed, 3 ([`super::UNCHECKED`]) when it could not be
/// done for the network's sake (the message says what changed: usually nothing).
pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    out.know_parsed(&parsed);
    let env = |name: &str| std::env::var(name).ok();
    let client =
        crate::sts::target::iam_client_for(&parsed, &args.name, &env).ok_or_else(|| {
            CliError::Store(crate::store::StoreError::NoSuchProfile(args.name.clone()))
        })?;
    let files = StoreFiles { store };
    let options = Options {
        delete: args.delete,
        delete_other: args.delete_other,
        finish: args.finish,
        mfa_code: args.mfa_code.clone(),
    };
    let mut talk = Said { out, yes: args.yes };
    let result = Rotator::new(&client, &files, &mut talk, &args.name, options).run();
    match result {
        Ok(Done::Rotated { old, new, .. }) => {
            out.say(format_args!(
                "✓ rotated the key of `{}`: {old} → {new}",
                args.name
            ));
            Ok(())
        }
        Ok(Done::Finished { .. }) => Ok(()),
        Err(Stop::Refused(why)) => Err(CliError::Message(why)),
        Err(declined @ Stop::Declined) => Err(CliError::Message(declined.said().to_string())),
        Err(Stop::Unchecked(why)) => Err(CliError::Unchecked(why)),
    }
}

/// Says each step on stdout; asks on the terminal.
struct Said<'o, 's> {
    out: &'o mut Output<'s>,
    yes: bool,
}

impl Talk for Said<'_, '_> {
    fn say(&mut self, line: &str) {
        self.out.say(line);
    }

    fn confirm(&mut self, question: &str) -> bool {
        if self.yes {
            return true;
        }
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            self.out
                .warn("not asking: stdin is not a terminal; pass --yes to go ahead");
            return false;
        }
        self.out.ask(format_args!("{question} [y/N] "));
        let mut answer = String::new();
        stdin.lock().read_line(&mut answer).is_ok()
            && matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes")
    }

    fn mfa_code(&mut self, serial: &str) -> Option<String> {
        if !std::io::stdin().is_terminal() {
            self.out
                .warn("not asking for the MFA code: stdin is not a terminal; pass --mfa-code CODE");
            return None;
        }
        let shown = self.out.value(serial);
        rpassword::prompt_password(format!("MFA code for {shown}: "))
            .ok()
            .filter(|code| !code.trim().is_empty())
    }
}
