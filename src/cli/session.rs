use std::io::{BufRead, IsTerminal};

use super::CliError;
use super::output::Output;
use crate::domain::session as rules;
use crate::rotate::Stop;
use crate::session::{self, Ask};
use crate::store::Store;

#[derive(clap::Args)]
pub struct Args {
    /// The profile with the IAM user's long-term key (or a session profile credwiz made,
    /// to renew it)
    #[arg(value_name = "PROFILE")]
    name: String,
    /// How long the session lasts: 15m to 36h, e.g. 12h, 90m, 1h30m
    #[arg(long, value_name = "DURATION", default_value = "12h")]
    duration: String,
    /// The code the MFA device shows (else asked on the terminal)
    #[arg(long, value_name = "CODE")]
    code: Option<String>,
    /// The session profile to write (default: PROFILE-session)
    #[arg(long, value_name = "PROFILE")]
    into: Option<String>,
    /// The MFA device's ARN, when the profile has no `mfa_serial` (else found with
    /// ListMFADevices and saved in the profile)
    #[arg(long, value_name = "ARN")]
    serial: Option<String>,
}

/// Starts (or renews) an MFA session: temporary keys from STS `GetSessionToken` in a
/// session profile (see [`crate::session`]). Exit 1 when refused, 3
/// ([`super::UNCHECKED`]) when it could not be done for the network's sake.
pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let seconds = rules::duration(&args.duration)
        .map_err(|why| CliError::Message(format!("--duration: {why}")))?;
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    out.know_parsed(&parsed);
    let state_path = crate::state::path();
    let state = crate::state::State::load_from(state_path.as_deref());
    let plan = session::plan(&parsed, &state, &args.name, args.into.as_deref()).map_err(stop)?;
    let env = |name: &str| std::env::var(name).ok();
    let (client, keys) = session::client_and_keys(&parsed, &plan.source, &env).map_err(stop)?;
    drop(parsed);
    if plan.renews {
        out.say(format_args!(
            "renewing the MFA session in `{}` from `{}`",
            plan.into, plan.source
        ));
    }
    let (serial, save_serial) = match (&args.serial, &plan.serial) {
        (Some(given), configured) => (given.clone(), configured.is_none()),
        (None, Some(configured)) => (configured.clone(), false),
        (None, None) => (
            choose_device(&session::devices(&client, &keys).map_err(stop)?, out)?,
            true,
        ),
    };
    let code = match &args.code {
        Some(code) => code.clone(),
        None => ask_code(&serial, out)?,
    };
    let ask = Ask {
        serial: &serial,
        code: &code,
        seconds,
        save_serial,
    };
    let started =
        session::start(store, &client, &keys, plan, ask, state_path.as_deref()).map_err(stop)?;
    for line in started.said() {
        out.say(line);
    }
    Ok(())
}

fn stop(stop: Stop) -> CliError {
    match stop {
        Stop::Unchecked(why) => CliError::Unchecked(why),
        other => CliError::Message(other.said().to_string()),
    }
}

/// The device to use: the only one, or the one chosen on the terminal.
fn choose_device(found: &[String], out: &mut Output) -> Result<String, CliError> {
    if let [only] = found {
        out.say(format_args!("MFA device: {only}"));
        return Ok(only.clone());
    }
    let listed: Vec<String> = found
        .iter()
        .enumerate()
        .map(|(i, serial)| format!("  {}. {serial}", i + 1))
        .collect();
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Message(format!(
            "the user has {} MFA devices; choose one with --serial ARN:\n{}",
            found.len(),
            listed.join("\n")
        )));
    }
    out.say(format_args!("MFA devices:\n{}", listed.join("\n")));
    out.ask(format_args!("Which one [1-{}]? ", found.len()));
    let answer = read_line()?;
    answer
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| found.get(n.wrapping_sub(1)))
        .cloned()
        .ok_or_else(|| CliError::Message(format!("no device numbered `{}`", answer.trim())))
}

fn ask_code(serial: &str, out: &mut Output) -> Result<String, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Message(format!(
            "the MFA code of {serial} is needed: pass --code CODE (stdin is not a terminal)"
        )));
    }
    out.ask(format_args!("MFA code for {serial}: "));
    read_line()
}

fn read_line() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::Message(format!("cannot read the answer: {e}")))?;
    Ok(line.trim().to_string())
}
