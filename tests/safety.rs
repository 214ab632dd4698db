//! Crash and concurrency safety of real credwiz processes (every crash point of a
//! commit, by system call, is in `faults.rs`).

mod common;

use std::process::Stdio;
use std::thread;
use std::time::{Duration, Instant};

use common::*;
use credwiz::store::Store;

/// A hand-written-looking credentials file big enough that a write takes a while.
fn big_files(profiles: usize) -> (String, String) {
    let mut config = String::from("# generated\n");
    let mut credentials = String::from("# generated\n");
    for i in 0..profiles {
        config.push_str(&format!(
            "[profile p{i}]\nregion = us-east-1\noutput = json\n\n"
        ));
        credentials.push_str(&format!(
            "[p{i}]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\n"
        ));
    }
    (config, credentials)
}

/// xorshift: reproducible "random" kill times without another dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn spawn(s: &Sandbox, args: &[&str]) -> std::process::Child {
    let mut child = s
        .credwiz()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{SECRET2}\n").as_bytes());
    child
}

/// The add changes both files: new keys in credentials, a new region in config.
const ADD: &[&str] = &[
    "add",
    "p400",
    "--access-key-id",
    KEY_ID2,
    "--force",
    "--region",
    "eu-west-1",
];
const RENAME: &[&str] = &["rename", "p400", "renamed"];

/// SIGKILLs `args` at random moments of its run; after each kill, the next credwiz
/// command (a `list`) must leave both files old or both new: never one of each.
fn kill_at_random_moments(args: &[&str], kills: usize, seed: u64) {
    let (config, credentials) = big_files(800);
    let s = Sandbox::with_files(&config, &credentials);

    // How long one uninterrupted run takes, and what it writes.
    let started = Instant::now();
    assert!(spawn(&s, args).wait().unwrap().success());
    let full_run = started.elapsed();
    let new = s.read();
    s.write(&config, &credentials);
    let old = s.read();
    assert!(
        old.0 != new.0 && old.1 != new.1,
        "{args:?} changes both files"
    );

    let mut rng = Rng(seed);
    let (mut saw_old, mut saw_new, mut completed) = (0, 0, 0);
    for _ in 0..kills {
        let mut child = spawn(&s, args);
        let delay = full_run.as_micros() as u64 * (rng.next() % 120) / 100;
        thread::sleep(Duration::from_micros(delay));
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let next = s.run(&["list", "--json"], "");
        assert!(next.status.success(), "{}", stderr(&next));
        completed += usize::from(stderr(&next).contains("credwiz completed its change"));
        let now = s.read();
        assert!(
            now == old || now == new,
            "{args:?}: the two files are out of step"
        );
        let snapshot = Store::at(s.config.clone(), s.credentials.clone())
            .load()
            .unwrap();
        snapshot.parse().expect("files parse");
        if now == old {
            saw_old += 1;
        } else {
            saw_new += 1;
        }
        s.write(&config, &credentials);
    }
    eprintln!(
        "{args:?}: {kills} kills: {saw_old} left both files old, {saw_new} both new \
         ({completed} completed by the next command)"
    );
    assert_eq!(saw_old + saw_new, kills);
}

#[test]
fn an_add_killed_at_random_moments_leaves_both_files_old_or_both_new() {
    kill_at_random_moments(ADD, 200, 0x9e37_79b9_7f4a_7c15);
}

#[test]
fn a_rename_killed_at_random_moments_leaves_both_files_old_or_both_new() {
    kill_at_random_moments(RENAME, 100, 0x2545_f491_4f6c_dd1d);
}

#[test]
fn two_processes_adding_25_profiles_each_keep_all_50() {
    let s = Sandbox::with_files("# mine\n[default]\nregion = us-east-1\n", "");
    thread::scope(|scope| {
        for writer in ["a", "b"] {
            let s = &s;
            scope.spawn(move || {
                for i in 0..25 {
                    let out = s.add(
                        &format!("{writer}{i}"),
                        KEY_ID,
                        &format!("{SECRET}\n"),
                        &["--region", "eu-west-1"],
                    );
                    assert!(out.status.success(), "{}", stderr(&out));
                }
            });
        }
    });
    let snapshot = Store::at(s.config.clone(), s.credentials.clone())
        .load()
        .unwrap();
    let parsed = snapshot.parse().unwrap();
    let set = parsed.profiles();
    let names: Vec<&&str> = set.profiles.keys().filter(|n| **n != "default").collect();
    assert_eq!(names.len(), 50, "{names:?}");
    for writer in ["a", "b"] {
        for i in 0..25 {
            let p = &set.profiles[format!("{writer}{i}").as_str()];
            assert_eq!(p.get("aws_access_key_id"), Some(KEY_ID));
            assert_eq!(p.get("region"), Some("eu-west-1"));
        }
    }
    assert!(
        s.read_text()
            .0
            .starts_with("# mine\n[default]\nregion = us-east-1\n")
    );
    let leftovers: Vec<_> = std::fs::read_dir(s.config.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("credwiz"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
