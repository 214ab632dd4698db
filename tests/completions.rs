//! The completion scripts in the real shells: profile names come from the files.

mod common;

use common::*;

fn sandbox() -> Sandbox {
    Sandbox::with_files(
        "[default]\n[profile work]\n[profile web]\n[profile prod]\n",
        "[wiki]\n",
    )
}

#[test]
fn bash_completes_subcommands_profiles_and_files() {
    let s = sandbox();
    let run = |words: &str, cword: usize| {
        in_shell(
            &s,
            "bash",
            &format!(
                "eval \"$(credwiz completions bash)\"; COMP_WORDS=({words}); COMP_CWORD={cword}; _credwiz; printf '%s\\n' \"${{COMPREPLY[@]}}\""
            ),
            &[],
        )
    };
    assert_eq!(run("credwiz use w", 2), "web\nwiki\nwork\n");
    assert_eq!(run("credwiz re", 1), "rename\nremove\n");
    assert_eq!(run("credwiz env work --shell z", 4), "zsh\n");
    std::fs::write(s.dir.path().join("alice_accessKeys.csv"), "x").unwrap();
    let dir = s.dir.path().display();
    assert_eq!(
        run(&format!("credwiz import {dir}/ali"), 2),
        format!("{dir}/alice_accessKeys.csv\n")
    );
}

#[test]
fn fish_completes_profiles() {
    let s = sandbox();
    let out = in_shell(
        &s,
        "fish",
        "credwiz completions fish | source; complete -C'credwiz show p'",
        &[],
    );
    assert_eq!(out, "prod\n");
    let out = in_shell(
        &s,
        "fish",
        "credwiz completions fish | source; complete -C'credwiz use de'",
        &[],
    );
    assert_eq!(out, "default\n");
}

#[test]
fn zsh_loads_the_completion_function() {
    let s = sandbox();
    let out = in_shell(
        &s,
        "zsh",
        "autoload -U compinit && compinit -u -D; eval \"$(credwiz completions zsh)\"; print -r -- $_comps[credwiz]",
        &[],
    );
    assert_eq!(out, "_credwiz\n");
}

/// In an interactive zsh in a real terminal: Tab completes a unique profile and lists
/// the candidates of an ambiguous one.
#[test]
fn zsh_completes_profiles_at_the_prompt() {
    let s = sandbox();
    let bin = assert_cmd::cargo::cargo_bin("credwiz");
    let zsh = format!(
        "PATH={}:\"$PATH\" PS1='zsh> ' zsh -f -i",
        bin.parent().unwrap().display()
    );
    let tmux = Tmux::start(&s, &zsh);
    tmux.wait_for("zsh>");
    tmux.send(&[
        "autoload -U compinit && compinit -u -D; eval \"$(credwiz completions zsh)\"",
        "Enter",
    ]);
    tmux.send(&["credwiz show p", "Tab"]);
    tmux.wait_for("zsh> credwiz show prod");
    tmux.send(&["C-u", "credwiz use w", "Tab"]);
    let screen = tmux.wait_for("wiki");
    let listed: Vec<&str> = screen
        .lines()
        .skip_while(|l| !l.starts_with("zsh> credwiz use w"))
        .nth(1)
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert_eq!(listed, ["web", "wiki", "work"], "screen:\n{screen}");
}
