//! The scripting CLI: one small module per subcommand, all on the same store. What a
//! command prints for people goes through [`output::Output`] (secrets masked, control
//! characters escaped).
//!
//! Exit codes: 0 success; 1 any error (`error: …` on stderr); 2 usage errors (clap).

mod add;
mod completions;
mod credential_process;
mod doctor;
mod env;
mod export_credentials;
mod import;
mod list;
mod output;
mod protect;
mod remove;
mod rename;
mod rotate;
mod session;
mod show;
mod unprotect;
mod use_default;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::domain::validate;
use crate::store::{Store, StoreError, Warning};
use crate::tui::picker::Mode;
use crate::tui::{Ended, Entry, Start};
use output::Output;

#[derive(Parser)]
#[command(
    name = "credwiz",
    version,
    about = "Set up and manage AWS credential profiles",
    after_help = "Run `credwiz` with no command to open the list of profiles (the setup wizard when there is none yet)."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// List every profile of both files
    List(list::Args),
    /// Show all settings of one profile, with the file each comes from (secrets masked)
    Show(show::Args),
    /// Add a profile with an access key; the secret is read from stdin, never from arguments
    Add(add::Args),
    /// Make a profile the default (the previous default is kept under a name)
    Use(use_default::Args),
    /// Print shell lines that select a profile: eval "$(credwiz env NAME)"
    Env(env::Args),
    /// Rename a profile in both files; source_profile references follow
    Rename(rename::Args),
    /// Remove a profile from both files
    Remove(remove::Args),
    /// Import access keys from the .csv file the IAM console downloads
    Import(import::Args),
    /// Check both files and the environment for problems (exit 1 on an error); --fix
    /// repairs what can be repaired without guessing
    Doctor(doctor::Args),
    /// Check a profile's keys: with AWS STS (do they work, whose are they?), or with S3
    /// ListBuckets at the endpoint of another service's profile
    Verify(verify::Args),
    /// Rotate a profile's access key through IAM: a new key into every profile that holds
    /// the old one, checked with STS, then the old key deactivated (--delete deletes it)
    Rotate(rotate::Args),
    /// Start an MFA session: temporary keys from STS GetSessionToken (the MFA device's
    /// code) in a session profile, PROFILE-session by default; run again to renew
    Session(session::Args),
    /// Move a profile's keys out of the files into the OS keyring; every AWS tool then
    /// gets them through `credential_process` (no secret left on disk)
    Protect(protect::Args),
    /// Put a profile's keys back from the OS keyring into the credentials file
    Unprotect(unprotect::Args),
    /// Print a profile's credentials in the formats of `aws configure
    /// export-credentials` (from the files or the OS keyring)
    ExportCredentials(export_credentials::Args),
    /// Print the keys of a profile whose secret is in the OS keyring, in the AWS CLI's
    /// credential_process format (the AWS tools run this; see `credwiz protect`)
    CredentialProcess(credential_process::Args),
    /// Choose a profile in the picker and print the lines that select it in this shell:
    /// eval "$(credwiz pick)"
    Pick,
    /// Print a shell function `cw` that runs `credwiz pick` and applies the choice
    ShellInit(ShellInitArgs),
    /// Set up a profile step by step in the terminal (the setup wizard)
    New {
        /// The profile name to start with
        #[arg(value_name = "NAME")]
        name: Option<String>,
    },
    /// Print a shell completion script (profile names complete from your files)
    Completions(completions::Args),
    /// Completion candidates, for the completion scripts
    #[command(name = "__complete", hide = true)]
    Complete {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

#[derive(clap::Args)]
struct ShellInitArgs {
    /// The shell to print the `cw` function for
    #[arg(value_enum)]
    shell: env::Shell,
}

/// An error for the user: printed as `error: …`, exit code 1 ([`UNCHECKED`] when the keys
/// could not be checked).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Message(String),
    /// `verify` got no verdict on the keys (network, proxy, clock, …): not a "no"; or
    /// `rotate` could not be done for such a reason.
    #[error("{0}")]
    Unchecked(String),
}

/// The exit code of `verify` when the keys could not be checked.
pub const UNCHECKED: u8 = 3;

/// The exit code when the wizard is discarded or `pick` closes without a choice (as fzf's
/// 130, the shell's code for Ctrl+C).
pub const CANCELLED: u8 = 130;

pub fn run(cli: Cli) -> ExitCode {
    let store = match &cli.command {
        Some(Command::Completions(args)) => {
            completions::run(args);
            return ExitCode::SUCCESS;
        }
        Some(Command::Complete { args }) => {
            completions::complete(args);
            return ExitCode::SUCCESS;
        }
        // Run by every AWS command of a keyring profile: the keyring only, no file.
        Some(Command::CredentialProcess(args)) => return credential_process::run(args),
        _ => match Store::from_env() {
            Ok(store) => store,
            Err(err) => return fail(&mut Output::new(None), err.into()),
        },
    };
    // The screens draw on stderr: they show the store's notices themselves.
    let store = if opens_screens(&cli.command) {
        store
    } else {
        let printer = output::notice_printer(&store);
        store.on_notice(printer)
    };
    let left = store.recover();
    let out = &mut Output::new(Some(&store));
    if !matches!(cli.command, Some(Command::Doctor(_))) {
        print_warnings(out, &left);
    }
    let result = match cli.command {
        Some(Command::List(args)) => list::run(&store, &args, out),
        Some(Command::Show(args)) => show::run(&store, &args, out),
        Some(Command::Doctor(args)) => doctor::run(&store, &args, left, out),
        Some(Command::Verify(args)) => verify::run(&store, &args, out),
        Some(Command::Rotate(args)) => rotate::run(&store, &args, out),
        Some(Command::Session(args)) => session::run(&store, &args, out),
        Some(Command::Add(args)) => add::run(&store, &args, out),
        Some(Command::Use(args)) => use_default::run(&store, &args, out),
        Some(Command::Env(args)) => env::run(&store, &args),
        Some(Command::Rename(args)) => rename::run(&store, &args, out),
        Some(Command::Remove(args)) => remove::run(&store, &args, out),
        Some(Command::Protect(args)) => protect::run(&store, &args, out),
        Some(Command::Unprotect(args)) => unprotect::run(&store, &args, out),
        Some(Command::ExportCredentials(args)) => export_credentials::run(&store, &args),
        Some(Command::Import(args)) if args.file.is_none() => {
            return tui(&store, Entry::Wizard(Start::Import), out);
        }
        Some(Command::Import(args)) => import::run(&store, &args, out),
        Some(Command::New { name }) => {
            let start = name.as_deref().map_or(Start::Welcome, Start::Named);
            return tui(&store, Entry::Wizard(start), out);
        }
        Some(Command::Pick) => return tui(&store, Entry::Picker(Mode::Pick), out),
        Some(Command::ShellInit(args)) => {
            print!("{}", env::shell_init(args.shell));
            Ok(())
        }
        Some(
            Command::Completions(_) | Command::Complete { .. } | Command::CredentialProcess(_),
        ) => unreachable!("handled above"),
        None => return tui(&store, Entry::Home, out),
    };
    result.map_or_else(|err| fail(out, err), |()| ExitCode::SUCCESS)
}

fn opens_screens(command: &Option<Command>) -> bool {
    match command {
        None | Some(Command::Pick | Command::New { .. }) => true,
        Some(Command::Import(args)) => args.file.is_none(),
        _ => false,
    }
}

fn fail(out: &mut Output, err: CliError) -> ExitCode {
    let code = match err {
        CliError::Unchecked(_) => ExitCode::from(UNCHECKED),
        _ => ExitCode::FAILURE,
    };
    out.error(err);
    code
}

/// Runs the screens; exit 2 without a terminal, 1 when the files cannot be read or the
/// wizard's save failed, [`CANCELLED`] when the wizard is discarded or `pick` ends without
/// a choice. A
/// profile chosen with `credwiz pick` is printed as shell lines on stdout, if its name
/// (from a hand-written file) is one a shell can be given safely.
fn tui(store: &Store, entry: Entry, out: &mut Output) -> ExitCode {
    let result = match crate::tui::run(store, entry) {
        Err(crate::tui::TuiError::Store(error)) if crate::tui::have_terminal() => {
            let message = out.message(&error.to_string());
            crate::tui::show_error(&message).and(Err(crate::tui::TuiError::Store(error)))
        }
        other => other,
    };
    match result {
        Ok(Ended::Chosen(name)) => match validate::profile_name(&name) {
            Ok(()) => {
                print!("{}", env::lines(&name, env::detect_shell()));
                ExitCode::SUCCESS
            }
            Err(invalid) => fail(
                out,
                CliError::Message(format!(
                    "profile `{name}` cannot be selected in a shell: {invalid}; rename it first"
                )),
            ),
        },
        Ok(Ended::Finished) => ExitCode::SUCCESS,
        Ok(Ended::Cancelled) => ExitCode::from(CANCELLED),
        Err(crate::tui::TuiError::NoTerminal) => {
            out.error(crate::tui::TuiError::NoTerminal);
            ExitCode::from(2)
        }
        Err(error) => fail(out, CliError::Message(error.to_string())),
    }
}

fn print_written(out: &mut Output, paths: &[std::path::PathBuf]) {
    for path in paths {
        out.say(format_args!("  wrote {}", path.display()));
    }
}

fn print_warnings(out: &mut Output, warnings: &[Warning]) {
    for warning in warnings {
        out.warn(warning);
    }
}
