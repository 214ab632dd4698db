use super::CliError;
use crate::domain::validate;
use crate::store::Store;

#[derive(clap::Args)]
pub struct Args {
    /// The profile to select in the current shell
    #[arg(value_name = "PROFILE")]
    name: String,
    /// The shell to print for (default: the shell that runs credwiz, else $SHELL)
    #[arg(long, value_enum)]
    shell: Option<Shell>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// Variables that override a selected profile in the AWS CLI and SDKs: its keys, and
/// where its requests go (an emulator's endpoint left set would take an AWS profile's).
pub const OVERRIDES: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
];

/// The lines that select `profile` in `shell`. Both callers give it only valid profile
/// names (see `validate::profile_name`: no quote, no control character), and the name is
/// quoted for the shell all the same, so no name can end the quotes.
pub fn lines(profile: &str, shell: Shell) -> String {
    let quoted = single_quoted(profile, shell);
    match shell {
        Shell::Fish => {
            let mut out = format!("set -gx AWS_PROFILE {quoted};\n");
            for var in OVERRIDES {
                out.push_str(&format!("set -e {var};\n"));
            }
            out
        }
        Shell::Bash | Shell::Zsh => {
            format!(
                "export AWS_PROFILE={quoted};\nunset {};\n",
                OVERRIDES.join(" ")
            )
        }
    }
}

/// `text` in single quotes, read back as exactly `text` by `shell`: POSIX shells end the
/// quotes for a quote (`'\''`); in fish a backslash escapes a quote or a backslash.
fn single_quoted(text: &str, shell: Shell) -> String {
    let inner = match shell {
        Shell::Bash | Shell::Zsh => text.replace('\'', "'\\''"),
        Shell::Fish => text.replace('\\', "\\\\").replace('\'', "\\'"),
    };
    format!("'{inner}'")
}

/// A function `cw` for the shell's rc file: pick a profile and select it in this shell.
pub fn shell_init(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash | Shell::Zsh => {
            "# credwiz: `cw` picks a profile for this shell\n\
             cw() {\n    local lines\n    lines=\"$(command credwiz pick \"$@\")\" && eval \"$lines\"\n}\n"
        }
        Shell::Fish => {
            "# credwiz: `cw` picks a profile for this shell\n\
             function cw\n    set -l lines (command credwiz pick $argv | string collect)\n    and eval $lines\nend\n"
        }
    }
}

fn shell_named(name: &str) -> Option<Shell> {
    let name = name.trim().rsplit('/').next()?.trim_start_matches('-');
    match name {
        "fish" => Some(Shell::Fish),
        "zsh" => Some(Shell::Zsh),
        "bash" | "sh" | "dash" | "ksh" => Some(Shell::Bash),
        _ => None,
    }
}

/// The shell that runs us: `eval "$(credwiz env x)"` makes it our parent process.
pub fn detect_shell() -> Shell {
    let parent = std::fs::read_to_string(format!(
        "/proc/{}/comm",
        std::os::unix::process::parent_id()
    ));
    parent
        .ok()
        .and_then(|comm| shell_named(&comm))
        .or_else(|| std::env::var("SHELL").ok().and_then(|s| shell_named(&s)))
        .unwrap_or(Shell::Bash)
}

/// Prints shell code, not text for people: the name is validated, then quoted.
pub fn run(store: &Store, args: &Args) -> Result<(), CliError> {
    validate::profile_name(&args.name).map_err(crate::store::StoreError::from)?;
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    if !parsed.profiles().profiles.contains_key(args.name.as_str()) {
        return Err(crate::store::StoreError::NoSuchProfile(args.name.clone()).into());
    }
    print!(
        "{}",
        lines(&args.name, args.shell.unwrap_or_else(detect_shell))
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_for_each_shell() {
        assert_eq!(single_quoted("work", Shell::Bash), "'work'");
        assert_eq!(single_quoted("a'b", Shell::Zsh), "'a'\\''b'");
        assert_eq!(single_quoted("a'b\\", Shell::Fish), "'a\\'b\\\\'");
        assert!(lines("a'b", Shell::Bash).starts_with("export AWS_PROFILE='a'\\''b';\n"));
    }

    #[test]
    fn shells_are_recognised_by_name_or_path() {
        assert_eq!(shell_named("fish\n"), Some(Shell::Fish));
        assert_eq!(shell_named("/usr/bin/zsh"), Some(Shell::Zsh));
        assert_eq!(shell_named("-bash"), Some(Shell::Bash));
        assert_eq!(shell_named("python3"), None);
    }
}
