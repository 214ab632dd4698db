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

/// Variables that override a selected profile in the AWS CLI and SDKs.
pub const OVERRIDES: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

/// The lines that select `profile` in `shell`. Profile names hold no quote (see
/// `validate::profile_name`), so single quotes make them safe in every shell.
pub fn lines(profile: &str, shell: Shell) -> String {
    match shell {
        Shell::Fish => {
            let mut out = format!("set -gx AWS_PROFILE '{profile}';\n");
            for var in OVERRIDES {
                out.push_str(&format!("set -e {var};\n"));
            }
            out
        }
        Shell::Bash | Shell::Zsh => {
            format!(
                "export AWS_PROFILE='{profile}';\nunset {};\n",
                OVERRIDES.join(" ")
            )
        }
    }
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

pub fn run(store: &Store, args: &Args) -> Result<(), CliError> {
    validate::profile_name(&args.name).map_err(crate::store::StoreError::from)?;
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    if !parsed.profiles().profiles.contains_key(args.name.as_str()) {
        return Err(CliError::Message(format!(
            "no profile named `{}` in either file",
            args.name
        )));
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
    fn shells_are_recognised_by_name_or_path() {
        assert_eq!(shell_named("fish\n"), Some(Shell::Fish));
        assert_eq!(shell_named("/usr/bin/zsh"), Some(Shell::Zsh));
        assert_eq!(shell_named("-bash"), Some(Shell::Bash));
        assert_eq!(shell_named("python3"), None);
    }
}
