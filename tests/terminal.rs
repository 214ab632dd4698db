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
