//! The process under faults: the real binary killed by a signal in a real terminal (tmux)
//! leaves it usable and dies by that signal; no process holding secrets can dump core.

mod common;

use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

const CONFIG: &str = include_str!("fixtures/ops-config");
const CREDENTIALS: &str = include_str!("fixtures/ops-credentials");

/// The signals that end credwiz, and their numbers.
const SIGNALS: [(&str, i32); 4] = [("TERM", 15), ("INT", 2), ("HUP", 1), ("QUIT", 3)];

/// Asserts credwiz died by `signal` and left the terminal as a shell needs it: out of the
/// alternate screen, line editing (`icanon`) and echo on.
fn assert_died_by_and_restored(w: &Watched, signal: i32) {
    let (status, settings) = w.ended();
    assert_eq!(status, -signal, "killed by signal {signal}");
    assert!(!w.tmux.alternate_on(), "still on the alternate screen");
    for wanted in ["icanon", "echo"] {
        assert!(
            settings.iter().any(|s| s == wanted),
            "`stty -a` shows no `{wanted}` after signal {signal}: {settings:?}"
        );
    }
}

#[test]
fn each_fatal_signal_in_the_wizard_restores_the_terminal_and_kills_by_that_signal() {
    for (name, number) in SIGNALS {
        let s = Sandbox::new();
        let w = Watched::credwiz(&s, "new work");
        w.tmux.wait_for("Step 1 of 7");
        for keys in [
            &["Enter"][..],
            &["Enter"],
            &["-l", KEY_ID2],
            &["Enter"],
            &["-l", SECRET],
        ] {
            w.tmux.send(keys);
        }
        w.tmux
            .wait_for("this is the example secret of AWS's documentation"); // a secret in memory
        assert!(w.tmux.alternate_on());
        let started = Instant::now();
        w.kill(name);
        assert_died_by_and_restored(&w, number);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "SIG{name}: {:?}",
            started.elapsed()
        );
        assert!(
            !s.credentials.exists() && !s.config.exists(),
            "nothing written"
        );
    }
}

#[test]
fn each_fatal_signal_in_the_picker_restores_the_terminal_and_kills_by_that_signal() {
    for (name, number) in SIGNALS {
        let s = Sandbox::with_files(CONFIG, CREDENTIALS);
        let before = s.read();
        let w = Watched::credwiz(&s, "");
        w.tmux.wait_for("credwiz · 5 profiles");
        assert!(w.tmux.alternate_on());
        w.kill(name);
        assert_died_by_and_restored(&w, number);
        assert_eq!(s.read(), before);
    }
}

/// The secret prompt turns echo and line editing off; Ctrl+C (which it reads as a key,
/// then raises SIGINT) or a kill while it waits turns them back on.
#[test]
fn the_secret_prompt_of_add_gives_echo_back_on_ctrl_c_and_on_a_kill() {
    for (how, number) in [("Ctrl+C", 2), ("TERM", 15), ("HUP", 1)] {
        let s = Sandbox::new();
        let w = Watched::credwiz(&s, &format!("add work --access-key-id {KEY_ID}"));
        w.tmux.wait_for("secret access key:");
        w.tmux.send(&["-l", &SECRET[..10]]);
        match how {
            "Ctrl+C" => w.tmux.send(&["C-c"]),
            signal => {
                w.pid();
                std::thread::sleep(Duration::from_millis(200)); // the prompt is reading
                w.kill(signal);
            }
        }
        assert_died_by_and_restored(&w, number);
        assert!(!s.credentials.exists(), "{how}: nothing written");
    }
}

/// While `credwiz add` waits for the secret on stdin: no core file (soft and hard limit 0)
/// and not dumpable — which the kernel shows by making root the owner of the process's
/// `/proc` files, so credwiz runs as another user than root here.
#[test]
fn a_process_that_reads_a_secret_cannot_dump_core() {
    use std::os::unix::process::CommandExt;
    let s = Sandbox::new();
    let mut cmd = s.credwiz();
    cmd.args(["add", "work", "--access-key-id", KEY_ID])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let me = std::fs::metadata("/proc/self").unwrap().uid();
    if me == 0 {
        cmd.uid(65534).gid(65534); // nobody
    }
    let mut child = cmd.spawn().expect("spawn credwiz");
    let proc = format!("/proc/{}", child.id());
    let deadline = Instant::now() + Duration::from_secs(10);
    let limits = loop {
        let limits = std::fs::read_to_string(format!("{proc}/limits")).unwrap();
        let core = limits
            .lines()
            .find(|l| l.starts_with("Max core file size"))
            .unwrap()
            .split_whitespace()
            .skip(4)
            .take(2)
            .map(str::to_string)
            .collect::<Vec<_>>();
        // The limit is set just before the process is made non-dumpable: wait for both.
        let not_dumpable = std::fs::metadata(format!("{proc}/status")).is_ok_and(|m| m.uid() == 0);
        if (core == ["0", "0"] && not_dumpable) || Instant::now() > deadline {
            break core;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(limits, ["0", "0"], "Max core file size, soft and hard");
    let status = std::fs::read_to_string(format!("{proc}/status")).unwrap();
    let uid: u32 = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().next())
        .and_then(|id| id.parse().ok())
        .unwrap();
    assert_ne!(uid, 0, "credwiz runs as another user than root");
    let owner = std::fs::metadata(format!("{proc}/status")).unwrap().uid();
    assert_eq!(owner, 0, "not dumpable: /proc/PID belongs to root");
    child.stdin.take().unwrap().write_all(b"").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("no secret access key on stdin"));
}
