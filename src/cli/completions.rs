//! Shell completion. The scripts are small and ask `credwiz __complete` for candidates,
//! so subcommands, flags, profile names (read from the files at that moment), regions
//! and file names are completed by one implementation, the same in every shell.

use clap::{Arg, ArgAction, Command, CommandFactory, ValueHint};

use super::Cli;
use super::env::Shell;
use crate::domain::regions;
use crate::domain::validate::OUTPUT_FORMATS;
use crate::store::Store;

#[derive(clap::Args)]
pub struct Args {
    /// The shell to print a completion script for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Printed instead of candidates when the shell should complete file names itself.
const FILES: &str = "__files__";

const BASH: &str = r#"# credwiz completion for bash: eval "$(credwiz completions bash)"
_credwiz() {
    local IFS=$'\n'
    COMPREPLY=($(credwiz __complete "$COMP_CWORD" "${COMP_WORDS[@]}" 2>/dev/null))
    if [ "${COMPREPLY[0]}" = "__files__" ]; then
        COMPREPLY=($(compgen -f -- "${COMP_WORDS[COMP_CWORD]}"))
    fi
}
complete -o filenames -F _credwiz credwiz
"#;

const ZSH: &str = r#"#compdef credwiz
# credwiz completion for zsh: eval "$(credwiz completions zsh)" (after compinit)
_credwiz() {
    local -a candidates
    candidates=("${(@f)$(credwiz __complete $((CURRENT - 1)) "${words[@]}" 2>/dev/null)}")
    if [[ "${candidates[1]}" == "__files__" ]]; then
        _files
    else
        compadd -a candidates
    fi
}
compdef _credwiz credwiz
"#;

const FISH: &str = r#"# credwiz completion for fish: credwiz completions fish | source
function __credwiz_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l candidates (credwiz __complete (count $tokens) $tokens "$current" 2>/dev/null)
    if test "$candidates[1]" = __files__
        __fish_complete_path "$current"
    else
        printf '%s\n' $candidates
    end
end
complete -c credwiz -f -a '(__credwiz_complete)'
"#;

pub fn script(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => BASH,
        Shell::Zsh => ZSH,
        Shell::Fish => FISH,
    }
}

pub fn run(args: &Args) {
    print!("{}", script(args.shell));
}

/// What may be typed at a position.
enum Expect<'c> {
    Flags(&'c Command),
    Value(&'c Arg),
    Nothing,
}

fn takes_value(arg: &Arg) -> bool {
    matches!(arg.get_action(), ArgAction::Set | ArgAction::Append)
}

fn find_long<'c>(command: &'c Command, word: &str) -> Option<&'c Arg> {
    let name = word.strip_prefix("--")?;
    command.get_arguments().find(|a| a.get_long() == Some(name))
}

/// Walks the words before the cursor: which subcommand, and what the cursor expects.
fn expectation<'c>(
    root: &'c Command,
    before: &[String],
    current: &str,
) -> (Option<&'c Command>, Expect<'c>) {
    let mut command: Option<&Command> = None;
    let mut positionals = 0;
    let mut pending: Option<&Arg> = None;
    for word in before {
        if pending.take().is_some() {
            continue; // the value of the option before it
        }
        match command {
            None if !word.starts_with('-') => command = root.find_subcommand(word),
            None => {}
            Some(sub) if word.starts_with("--") && !word.contains('=') => {
                pending = find_long(sub, word).filter(|a| takes_value(a));
            }
            Some(_) if word.starts_with('-') => {}
            Some(_) => positionals += 1,
        }
    }
    let Some(sub) = command else {
        return (
            None,
            if current.starts_with('-') {
                Expect::Nothing
            } else {
                Expect::Flags(root)
            },
        );
    };
    if let Some(arg) = pending {
        return (Some(sub), Expect::Value(arg));
    }
    if current.starts_with('-') {
        return (Some(sub), Expect::Flags(sub));
    }
    match sub.get_positionals().nth(positionals) {
        Some(arg) => (Some(sub), Expect::Value(arg)),
        None => (Some(sub), Expect::Nothing),
    }
}

fn profile_names() -> Vec<String> {
    let Ok(store) = Store::from_env() else {
        return Vec::new();
    };
    let Ok(snapshot) = store.load() else {
        return Vec::new();
    };
    let Ok(parsed) = snapshot.parse() else {
        return Vec::new();
    };
    parsed
        .profiles()
        .profiles
        .keys()
        .map(|k| k.to_string())
        .collect()
}

fn values_for(arg: &Arg, profiles: &dyn Fn() -> Vec<String>) -> Vec<String> {
    if arg.get_value_hint() == ValueHint::FilePath {
        return vec![FILES.to_string()];
    }
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .map(|v| v.get_name().to_string())
        .collect();
    if !possible.is_empty() {
        return possible;
    }
    match arg
        .get_value_names()
        .and_then(|n| n.first())
        .map(|n| n.as_str())
    {
        Some("PROFILE") => profiles(),
        Some("REGION") => regions::all().iter().map(|r| r.code.to_string()).collect(),
        Some("FORMAT") => OUTPUT_FORMATS.iter().map(|f| f.to_string()).collect(),
        _ => Vec::new(),
    }
}

fn flags_of(command: &Command) -> Vec<String> {
    let mut out: Vec<String> = command
        .get_arguments()
        .filter(|a| !a.is_positional() && !a.is_hide_set())
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .collect();
    out.push("--help".into());
    out
}

/// Candidates for the word at `cword` of `words` (`words[0]` is the program name).
pub fn candidates(
    words: &[String],
    cword: usize,
    profiles: &dyn Fn() -> Vec<String>,
) -> Vec<String> {
    let root = Cli::command();
    let before = words.get(1..cword.min(words.len())).unwrap_or(&[]);
    let current = words.get(cword).map(String::as_str).unwrap_or("");
    let all = match expectation(&root, before, current) {
        (None, Expect::Flags(root)) => root
            .get_subcommands()
            .filter(|c| !c.is_hide_set())
            .map(|c| c.get_name().to_string())
            .collect(),
        (_, Expect::Flags(sub)) => flags_of(sub),
        (_, Expect::Value(arg)) => values_for(arg, profiles),
        (_, Expect::Nothing) => Vec::new(),
    };
    if all.first().map(String::as_str) == Some(FILES) {
        return all;
    }
    all.into_iter().filter(|c| c.starts_with(current)).collect()
}

/// `credwiz __complete CWORD WORDS...`: prints one candidate per line.
pub fn complete(args: &[String]) {
    let Some((cword, words)) = args.split_first() else {
        return;
    };
    let cword: usize = cword.parse().unwrap_or(words.len());
    for candidate in candidates(words, cword, &profile_names) {
        println!("{candidate}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete_line(line: &str) -> Vec<String> {
        let mut words: Vec<String> = line.split(' ').map(str::to_string).collect();
        if line.ends_with(' ') {
            words.pop();
            words.push(String::new());
        }
        let profiles = || vec!["default".to_string(), "work".to_string(), "web".to_string()];
        candidates(&words, words.len() - 1, &profiles)
    }

    #[test]
    fn subcommands_then_profiles_then_flags() {
        assert!(complete_line("credwiz ").contains(&"use".to_string()));
        assert_eq!(complete_line("credwiz re"), ["rename", "remove"]);
        assert_eq!(complete_line("credwiz use w"), ["work", "web"]);
        assert_eq!(complete_line("credwiz remove --yes w"), ["work", "web"]);
        assert_eq!(complete_line("credwiz rename work "), Vec::<String>::new());
        assert!(complete_line("credwiz remove --").contains(&"--force".to_string()));
    }

    #[test]
    fn option_values_are_completed() {
        assert_eq!(complete_line("credwiz env work --shell f"), ["fish"]);
        assert_eq!(
            complete_line("credwiz import keys.csv --profile d"),
            ["default"]
        );
        assert_eq!(complete_line("credwiz import "), [FILES]);
        assert!(complete_line("credwiz add x --region eu-c").contains(&"eu-central-1".to_string()));
        assert_eq!(
            complete_line("credwiz add x --output y"),
            ["yaml", "yaml-stream"]
        );
        assert_eq!(complete_line("credwiz completions z"), ["zsh"]);
    }
}
