//! Crash and concurrency safety of real credwiz processes.

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

fn spawn_add(s: &Sandbox, name: &str, key_id: &str) -> std::process::Child {
    let mut child = s
        .credwiz()
        .args([
            "add",
            name,
            "--access-key-id",
            key_id,
            "--force",
            "--region",
            "eu-west-1",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{SECRET2}\n").as_bytes())
        .unwrap();
    child
}

#[test]
fn a_writer_killed_at_random_moments_leaves_old_or_new_files() {
    const KILLS: usize = 250;
    let (config, credentials) = big_files(800);
    let s = Sandbox::with_files(&config, &credentials);

    // How long one uninterrupted run takes, and what it writes.
    let started = Instant::now();
    assert!(spawn_add(&s, "p400", KEY_ID2).wait().unwrap().success());
    let full_run = started.elapsed();
    let new = s.read();
    s.write(&config, &credentials);
    let old = s.read();
    assert_ne!(old, new);

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut saw_old, mut saw_new) = (0, 0);
    for _ in 0..KILLS {
        let mut child = spawn_add(&s, "p400", KEY_ID2);
        let delay = full_run.as_micros() as u64 * (rng.next() % 120) / 100;
        thread::sleep(Duration::from_micros(delay));
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let now = s.read();
        for (file, (got, (was, will))) in ["config", "credentials"]
            .iter()
            .zip([(&now.0, (&old.0, &new.0)), (&now.1, (&old.1, &new.1))])
        {
            assert!(
                got == was || got == will,
                "{file} is neither the old nor the new content"
            );
        }
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
    eprintln!("{KILLS} kills: {saw_old} left the old files, {saw_new} the new ones");
    assert_eq!(saw_old + saw_new, KILLS);
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
