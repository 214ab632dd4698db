//! The completion scripts in the real shells: profile names come from the files.

mod common;

use std::process::Command;

use common::*;

fn shell(s: &Sandbox, shell: &str, script: &str) -> String {
    let mut cmd = Command::new(shell);
    s.env(&mut cmd);
    let bin = assert_cmd::cargo::cargo_bin("credwiz");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = cmd
        .env("PATH", path)
        .args(["-c", script])
        .output()
        .unwrap_or_else(|e| {
            panic!("{shell} is required for this test (./scripts/test installs it): {e}")
        });
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

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
        shell(
            &s,
            "bash",
            &format!(
                "eval \"$(credwiz completions bash)\"; COMP_WORDS=({words}); COMP_CWORD={cword}; _credwiz; printf '%s\\n' \"${{COMPREPLY[@]}}\""
            ),
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
    let out = shell(
        &s,
        "fish",
        "credwiz completions fish | source; complete -C'credwiz show p'",
    );
    assert_eq!(out, "prod\n");
    let out = shell(
        &s,
        "fish",
        "credwiz completions fish | source; complete -C'credwiz use de'",
    );
    assert_eq!(out, "default\n");
}

#[test]
fn zsh_loads_the_completion_function() {
    let s = sandbox();
    let out = shell(
        &s,
        "zsh",
        "autoload -U compinit && compinit -u -D; eval \"$(credwiz completions zsh)\"; print -r -- $_comps[credwiz]",
    );
    assert_eq!(out, "_credwiz\n");
}
