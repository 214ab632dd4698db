//! The real binary in a real terminal (tmux): what a person at a keyboard sees.

mod common;

use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use common::*;

struct Tmux {
    session: String,
}

impl Tmux {
    fn start(s: &Sandbox, command: &str) -> Tmux {
        let session = format!("credwiz-test-{}", std::process::id());
        let mut cmd = Command::new("tmux");
        s.env(&mut cmd);
        let status = cmd
            .args(["new-session", "-d", "-x", "100", "-y", "30", "-s", &session])
            .arg(format!("{command}; echo EXIT=$?; sleep 60"))
            .status()
            .expect("tmux is required for terminal tests: run ./scripts/test, which installs it");
        assert!(status.success(), "tmux new-session failed");
        Tmux { session }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; screen:\n{screen}"
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}

#[test]
fn add_in_a_terminal_prompts_for_the_secret_without_echoing_it() {
    let s = Sandbox::new();
    let binary = assert_cmd::cargo::cargo_bin("credwiz");
    let tmux = Tmux::start(
        &s,
        &format!(
            "{} add work --access-key-id {KEY_ID} --region eu-west-1",
            binary.display()
        ),
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
