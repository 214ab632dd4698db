//! The real binary in a real terminal (tmux): what a person at a keyboard sees.

mod common;

use common::*;

#[test]
fn add_in_a_terminal_prompts_for_the_secret_without_echoing_it() {
    let s = Sandbox::new();
    let tmux = Tmux::credwiz(
        &s,
        &format!("add work --access-key-id {KEY_ID} --region eu-west-1"),
    );
    tmux.wait_for("secret access key:");
    tmux.send(&["-l", SECRET]);
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("EXIT=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(screen.contains("added profile `work`"), "{screen}");
    assert!(
        !screen.contains(SECRET) && !screen.contains(&SECRET[..8]),
        "the secret was echoed:\n{screen}"
    );
    assert!(
        s.read_text()
            .1
            .contains(&format!("aws_secret_access_key = {SECRET}\n"))
    );
}

/// `remove` of a profile others depend on says so at once, instead of asking `[y/N]`
/// and refusing after the answer.
#[test]
fn remove_in_a_terminal_refuses_for_dependents_before_asking() {
    let s = Sandbox::with_files(
        include_str!("fixtures/ops-config"),
        include_str!("fixtures/ops-credentials"),
    );
    let before = s.read();
    let tmux = Tmux::credwiz(&s, "remove work");
    let screen = tmux.wait_for("EXIT=");
    assert!(screen.contains("EXIT=1"), "{screen}");
    assert!(screen.contains("deploy"), "names the dependent: {screen}");
    assert!(!screen.contains("[y/N]"), "asked before refusing: {screen}");
    assert_eq!(s.read(), before);
}
