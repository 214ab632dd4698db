//! The store under faults, on the real binary: failures of the second file, crashes at
//! every system call of a commit, devices, FIFOs, huge files, held locks, other users'
//! and immutable directories, leftovers, hard links, a write during an edit (the real race
//! is in `concurrent_writer.rs`). Each test checks both files byte for byte.
//!
//! Crashes and I/O errors at exact points are made with `strace --inject` (scripts/test
//! installs strace). Tests that need root (chattr, mknod, a small tmpfs, another user)
//! say what they do instead when not root; none is skipped.

mod common;

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::*;

const CONFIG: &str =
    "# mine\n[default]\nregion = us-east-1\n\n[profile work]\nregion = eu-west-1\n";
const CREDENTIALS: &str = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\
                           aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\n\
                           [work]\naws_access_key_id = AKIAY34FZKBOKMUTVV7A\n\
                           aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n";

fn is_root() -> bool {
    // Safety: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// The add that changes both files: a new profile with a region.
fn add_args() -> Vec<&'static str> {
    vec![
        "add",
        "zz",
        "--access-key-id",
        KEY_ID2,
        "--region",
        "eu-north-1",
    ]
}

/// credwiz under strace with one injection (`--inject=…`), stdin given.
fn strace(s: &Sandbox, inject: &str, args: &[&str], stdin: &str) -> Output {
    let mut cmd = Command::new("strace");
    s.env(&mut cmd);
    cmd.args([
        "-f",
        "-qq",
        "-o",
        "/dev/null",
        &format!("--inject={inject}"),
    ])
    .arg(assert_cmd::cargo::cargo_bin("credwiz"))
    .args(args)
    .feed(stdin)
}

/// Every name in the directory that credwiz would have to clean up.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("credwiz"))
        .collect()
}

fn secret_in(s: &str) -> String {
    format!("{SECRET2}\n{s}")
}

/// Kills credwiz at the Nth call of each system call that changes files, for every N
/// until the command runs through: every crash point of a commit of two files. After each
/// kill, one `credwiz list` (any command) must leave both files old or both new.
#[test]
fn a_crash_at_any_system_call_of_a_commit_leaves_both_files_old_or_both_new() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let old = s.read();
    assert!(s.run(&add_args(), &secret_in("")).status.success());
    let new = s.read();
    assert!(
        old.0 != new.0 && old.1 != new.1,
        "the add changes both files"
    );
    let (mut kills, mut completed_by_next, mut ended_new) = (0, 0, 0);
    for syscalls in [
        "openat",
        "write",
        "fsync",
        "rename,renameat,renameat2",
        "unlink,unlinkat",
        "fchmod",
    ] {
        for n in 1.. {
            s.write(CONFIG, CREDENTIALS);
            let run = strace(
                &s,
                &format!("{syscalls}:signal=SIGKILL:when={n}"),
                &add_args(),
                &secret_in(""),
            );
            if run.status.success() {
                break;
            }
            assert!(n < 200, "{syscalls}: still killed at call {n}");
            kills += 1;
            let next = s.run(&["list", "--json"], "");
            assert!(next.status.success(), "{}", stderr(&next));
            if stderr(&next).contains("credwiz completed its change") {
                completed_by_next += 1;
            }
            let now = s.read();
            assert!(
                now == old || now == new,
                "killed at {syscalls} call {n}: the files are out of step"
            );
            ended_new += usize::from(now == new);
            let left = leftovers(s.config.parent().unwrap());
            assert!(left.is_empty(), "killed at {syscalls} call {n}: {left:?}");
        }
    }
    eprintln!(
        "{kills} crash points: {ended_new} ended with the new files, {completed_by_next} of them completed by the next command"
    );
    assert!(kills >= 20, "only {kills} crash points were reached");
    assert!(
        completed_by_next >= 1,
        "no crash fell between the two renames"
    );
}

/// A failure while preparing either file (here: the second fsync, and the second
/// rename) changes neither file, or is completed by the next command.
#[test]
fn a_failure_of_the_second_file_leaves_both_untouched_or_is_completed() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let old = s.read();
    let out = strace(&s, "fsync:error=EIO:when=2", &add_args(), &secret_in(""));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Input/output error"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.read(), old, "both files byte-identical");
    assert!(leftovers(s.config.parent().unwrap()).is_empty());

    // The second rename fails after the first succeeded: the intent record stays and
    // the next command finishes the change.
    let out = strace(
        &s,
        "rename,renameat,renameat2:error=EIO:when=2",
        &add_args(),
        &secret_in(""),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the next credwiz command completes the change"),
        "{}",
        stderr(&out)
    );
    let next = s.run(&["list"], "");
    assert!(
        stderr(&next).contains("credwiz completed its change"),
        "{}",
        stderr(&next)
    );
    let text = s.read_text();
    assert!(text.0.contains("[profile zz]") && text.1.contains("[zz]"));
    assert!(leftovers(s.config.parent().unwrap()).is_empty());
}

/// Config in a directory of its own, so that only the second file's directory fails.
fn split_sandbox() -> (Sandbox, PathBuf) {
    let s = Sandbox::with_files("", CREDENTIALS);
    let dir = s.dir.path().join("config-dir");
    fs::create_dir(&dir).unwrap();
    let config = dir.join("config");
    fs::write(&config, CONFIG).unwrap();
    fs::remove_file(&s.config).unwrap();
    let s = Sandbox { config, ..s };
    (s, dir)
}

/// Undoes a root-only change when the test ends, pass or fail.
struct Undo(Vec<Vec<String>>);
impl Drop for Undo {
    fn drop(&mut self) {
        for argv in &self.0 {
            let _ = Command::new(&argv[0]).args(&argv[1..]).status();
        }
    }
}

fn run_ok(argv: &[&str]) {
    let status = Command::new(argv[0]).args(&argv[1..]).status().unwrap();
    assert!(status.success(), "{argv:?}");
}

/// `rename` touches both files; the config directory refuses. Both stay byte-identical
/// and the message names the real cause and its fix.
#[test]
fn a_second_directory_that_refuses_changes_neither_file_and_says_why() {
    let (s, dir) = split_sandbox();
    let old = s.read();
    let shown = dir.display().to_string();
    // (what the message says, the fix it gives, the commands that break and mend it)
    let mut cases = vec![(
        "read-only",
        format!("chmod u+w {shown}"),
        ["chmod", "500"],
        ["chmod", "700"],
    )];
    if is_root() {
        cases.push((
            "immutable",
            format!("sudo chattr -i {shown}"),
            ["chattr", "+i"],
            ["chattr", "-i"],
        ));
        cases.push((
            "append-only",
            format!("sudo chattr -a {shown}"),
            ["chattr", "+a"],
            ["chattr", "-a"],
        ));
    }
    for (what, fix, [tool, on], [_, off]) in &cases {
        run_ok(&[tool, on, &shown]);
        let _undo = Undo(vec![vec![tool.to_string(), off.to_string(), shown.clone()]]);
        let out = s.run(&["rename", "work", "work2"], "");
        run_ok(&[tool, off, &shown]);
        assert_eq!(out.status.code(), Some(1), "{what}");
        let err = stderr(&out);
        assert!(
            err.contains(what) && err.contains(fix.as_str()),
            "{what}: {err}"
        );
        assert_eq!(s.read(), old, "{what}: both files byte-identical");
        assert!(leftovers(s.credentials.parent().unwrap()).is_empty());
    }
}

/// No space for the second file: as root on a 64 KiB tmpfs; otherwise ENOSPC injected
/// into the second file's write.
#[test]
fn no_space_for_the_second_file_changes_neither() {
    let (s, dir) = split_sandbox();
    let mounted = is_root()
        && Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(&dir)
            .status()
            .is_ok_and(|st| st.success());
    let _undo = Undo(if mounted {
        vec![vec!["umount".into(), dir.display().to_string()]]
    } else {
        vec![]
    });
    let out = if mounted {
        fs::write(&s.config, CONFIG).unwrap();
        // Fill the file system, leaving less than the new config needs.
        let filler = vec![b'x'; 4096];
        let mut f = fs::File::create(dir.join("filler")).unwrap();
        use std::io::Write;
        while f.write_all(&filler).is_ok() {}
        drop(f);
        let old = s.read();
        let out = s.run(&add_args(), &secret_in(""));
        assert_eq!(s.read(), old, "both files byte-identical");
        out
    } else {
        eprintln!("not root: ENOSPC is injected instead of a full tmpfs");
        let old = s.read();
        // The temp files' writes: credentials first, then config.
        let out = strace(&s, "write:error=ENOSPC:when=2", &add_args(), &secret_in(""));
        assert_eq!(s.read(), old, "both files byte-identical");
        out
    };
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no space left"), "{}", stderr(&out));
    assert!(leftovers(&dir).iter().all(|n| n == "filler"));
    assert!(leftovers(s.credentials.parent().unwrap()).is_empty());
}

/// credwiz, with a deadline: a command that hangs fails the test instead of the suite.
fn run_within(s: &Sandbox, args: &[&str], stdin: &str, limit: Duration) -> Output {
    let mut child = s.credwiz().args(args).spawn_fed(stdin);
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("credwiz {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn dev_null_reads_as_empty_and_is_never_replaced() {
    let s = Sandbox::with_files(CONFIG, "");
    let s = Sandbox {
        credentials: PathBuf::from("/dev/null"),
        ..s
    };
    let out = s.run(&["list"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = s.run(&add_args(), &secret_in(""));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("/dev/null is the null device, not a file"),
        "{}",
        stderr(&out)
    );
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    assert_eq!(s.read().0, CONFIG.as_bytes(), "config untouched");
}

/// A symlink to a device node: as root a node made here (a copy of /dev/zero, so a bug
/// would not harm the real one), else a link to /dev/zero.
#[test]
fn a_device_behind_a_symlink_is_refused_and_stays_a_device() {
    let s = Sandbox::with_files(CONFIG, "");
    let node = s.dir.path().join("zero");
    let device = if is_root() {
        run_ok(&["mknod", node.to_str().unwrap(), "c", "1", "5"]);
        node
    } else {
        PathBuf::from("/dev/zero")
    };
    fs::remove_file(&s.credentials).unwrap();
    std::os::unix::fs::symlink(&device, &s.credentials).unwrap();
    for args in [add_args(), vec!["list"]] {
        let out = run_within(&s, &args, &secret_in(""), Duration::from_secs(2));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("is a character device, not a file"),
            "{}",
            stderr(&out)
        );
    }
    assert!(fs::metadata(&device).unwrap().file_type().is_char_device());
    assert!(
        fs::symlink_metadata(&s.credentials)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_fifo_never_makes_a_command_hang() {
    let s = Sandbox::with_files(CONFIG, "");
    fs::remove_file(&s.credentials).unwrap();
    run_ok(&["mkfifo", s.credentials.to_str().unwrap()]);
    for args in [vec!["list"], vec!["doctor"], add_args()] {
        let started = Instant::now();
        let out = run_within(&s, &args, &secret_in(""), Duration::from_secs(2));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("is a named pipe (FIFO), not a file"),
            "{}",
            stderr(&out)
        );
        eprintln!("{args:?} refused the FIFO in {:?}", started.elapsed());
    }
    assert!(fs::metadata(&s.credentials).unwrap().file_type().is_fifo());
}

/// /dev/zero and a 5 GiB (sparse) file, with the address space limited to 256 MiB.
#[test]
fn endless_and_huge_files_are_refused_in_bounded_memory() {
    let s = Sandbox::with_files(CONFIG, "");
    let huge = s.dir.path().join("huge");
    fs::File::create(&huge).unwrap().set_len(5 << 30).unwrap();
    for (path, said) in [
        (PathBuf::from("/dev/zero"), "is a character device"),
        (huge, "larger than any AWS file can be"),
    ] {
        let line = format!(
            "ulimit -v 262144; exec {} list",
            assert_cmd::cargo::cargo_bin("credwiz").display()
        );
        let mut cmd = Command::new("sh");
        s.env(&mut cmd);
        let out = cmd
            .args(["-c", &line])
            .env("AWS_SHARED_CREDENTIALS_FILE", &path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains(said), "{}", stderr(&out));
    }
}

/// Another process holds the lock: credwiz says who after a moment, then waits; when
/// it is released the add goes through.
#[test]
fn a_held_lock_is_waited_for_aloud_and_not_forever() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let dir = fs::File::open(s.config.parent().unwrap()).unwrap();
    dir.lock().unwrap();
    let child = s.credwiz().args(add_args()).spawn_fed(&secret_in(""));
    std::thread::sleep(Duration::from_millis(1500));
    dir.unlock().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let me = std::process::id();
    assert!(
        stderr(&out).contains(&format!("(pid {me}) to finish")),
        "{}",
        stderr(&out)
    );

    // Held for good: an error after ~10 s, nothing written.
    dir.lock().unwrap();
    let old = s.read();
    let started = Instant::now();
    let out = run_within(&s, &["use", "work"], "", Duration::from_secs(15));
    let waited = started.elapsed();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("(pid {me}) has kept"))
            && stderr(&out).contains(&format!("kill {me}")),
        "{}",
        stderr(&out)
    );
    assert!(
        waited >= Duration::from_secs(10) && waited < Duration::from_secs(12),
        "{waited:?}"
    );
    assert_eq!(s.read(), old);
}

#[test]
fn a_relative_path_is_taken_from_the_working_directory() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let out = s
        .credwiz()
        .args(add_args())
        .current_dir(s.dir.path())
        .env("AWS_SHARED_CREDENTIALS_FILE", "creds")
        .feed(&secret_in(""));
    assert!(out.status.success(), "{}", stderr(&out));
    let written = fs::read_to_string(s.dir.path().join("creds")).unwrap();
    assert!(written.contains("[zz]"), "{written}");
}

#[test]
fn a_line_break_in_a_name_is_called_a_line_break() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let out = s.add("a\nb", KEY_ID2, &secret_in(""), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("found a line break at position 2"),
        "{}",
        stderr(&out)
    );
}

/// Another user's directory: as root, credwiz run as `nobody` on root's files; otherwise
/// a new config file in `/`, which is root's.
#[test]
fn another_users_directory_is_named_with_the_fix() {
    if !is_root() {
        // Not root: `/` is root's, and a new config file there is refused with the cause.
        let s = Sandbox::with_files(CONFIG, CREDENTIALS);
        let old = s.read();
        let config = format!("/credwiz-test-{}", std::process::id());
        let out = s
            .credwiz()
            .env("AWS_CONFIG_FILE", &config)
            .args(add_args())
            .feed(&secret_in(""));
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("/ belongs to another user (uid 0)")
                && stderr(&out).contains("sudo chown"),
            "{}",
            stderr(&out)
        );
        assert_eq!(s.read(), old);
        assert!(!Path::new(&config).exists());
        return;
    }
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    for dir in [s.dir.path(), s.home.as_path(), s.config.parent().unwrap()] {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
    fs::set_permissions(&s.credentials, fs::Permissions::from_mode(0o666)).unwrap();
    fs::set_permissions(&s.config, fs::Permissions::from_mode(0o666)).unwrap();
    let old = s.read();
    let mut cmd = Command::new("setpriv");
    s.env(&mut cmd);
    let out = cmd
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(assert_cmd::cargo::cargo_bin("credwiz"))
        .args(["rename", "work", "work2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("belongs to another user (uid 0)")
            && stderr(&out).contains("sudo chown"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.read(), old);
}

#[test]
fn leftover_temp_files_are_removed_by_any_command_and_reported_when_they_cannot_be() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let dir = s.credentials.parent().unwrap().to_path_buf();
    let temp = dir.join(".credentials.credwiz-Ab12Cd.tmp");
    fs::write(&temp, CREDENTIALS).unwrap();
    let out = s.run(&["list"], "");
    assert!(out.status.success());
    assert!(!temp.exists(), "list removed the dead credwiz's temp file");

    if is_root() {
        fs::write(&temp, CREDENTIALS).unwrap();
        run_ok(&["chattr", "+i", dir.to_str().unwrap()]);
        let _undo = Undo(vec![vec![
            "chattr".into(),
            "-i".into(),
            dir.display().to_string(),
        ]]);
        let out = s.run(&["doctor"], "");
        run_ok(&["chattr", "-i", dir.to_str().unwrap()]);
        assert!(
            stdout(&out).contains("could not be removed")
                && stdout(&out).contains(&format!("rm {}", temp.display())),
            "{}",
            stdout(&out)
        );
        assert_no_secret(&out, &[SECRET]);
    } else {
        eprintln!("not root: an unremovable temp file needs chattr; the removal itself is checked");
    }
}

#[test]
fn hard_links_are_warned_about_on_every_write_and_in_doctor() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let other = s.dir.path().join("backup-credentials");
    fs::hard_link(&s.credentials, &other).unwrap();
    let out = s.run(&["doctor"], "");
    assert!(
        stdout(&out).contains("1 other hard link, which keeps the old contents"),
        "{}",
        stdout(&out)
    );
    let out = s.run(&add_args(), &secret_in(""));
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("1 other hard link, which keeps the old contents"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&other).unwrap(), CREDENTIALS);
}

#[test]
fn a_write_into_a_file_the_aws_cli_refuses_says_it_still_refuses_it() {
    let s = Sandbox::with_files(CONFIG, &format!("{CREDENTIALS}\n[work]\nregion = x\n"));
    let out = s.run(&add_args(), &secret_in(""));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the AWS CLI will still refuse this file")
            && stderr(&out).contains("duplicate sections"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_world_readable_credentials_file_is_warned_about_on_every_write() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    fs::set_permissions(&s.credentials, fs::Permissions::from_mode(0o644)).unwrap();
    let csv = s.dir.path().join("new_accessKeys.csv");
    fs::write(
        &csv,
        format!("Access key ID,Secret access key\n{KEY_ID2},{SECRET2}\n"),
    )
    .unwrap();
    let csv = csv.display().to_string();
    let commands: Vec<(Vec<&str>, String)> = vec![
        (add_args(), secret_in("")),
        (vec!["use", "work"], String::new()),
        (vec!["import", &csv], String::new()),
        (vec!["rename", "zz", "zz2"], String::new()),
        (vec!["remove", "zz2", "--yes"], String::new()),
    ];
    for (args, stdin) in commands {
        let out = s.run(&args, &stdin);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(
                "readable by other users (mode 644) and now holds the new keys; run: chmod 600"
            ),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

/// Another program writes a file while an edit runs (deterministically, through the
/// library; `tests/concurrent_writer.rs` has the real race): the store redoes the edit
/// on what it wrote.
#[test]
fn an_edit_is_redone_on_a_write_that_landed_during_it() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let store = credwiz::store::Store::at(s.config.clone(), s.credentials.clone());
    let mut runs = 0;
    let config = s.config.clone();
    store
        .edit(|editor| {
            runs += 1;
            if runs == 1 {
                let mut text = fs::read_to_string(&config).unwrap();
                text.push_str("[profile theirs]\nregion = eu-west-3\n");
                fs::write(&config, text).unwrap();
            }
            editor.set("mine", &[("region", "eu-north-1")])
        })
        .unwrap();
    assert_eq!(runs, 2, "the edit ran again on the new content");
    let text = s.read_text().0;
    assert!(
        text.contains("[profile theirs]") && text.contains("[profile mine]"),
        "{text}"
    );
}

/// The screens have no stderr to print on: what the store says after a write (here: a
/// world-readable credentials file) is shown in the picker's status line.
#[test]
fn the_picker_shows_what_a_write_leaves_wrong() {
    use credwiz::tui::picker::{self, Mode, Picker};
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    fs::set_permissions(&s.credentials, fs::Permissions::from_mode(0o644)).unwrap();
    let store = credwiz::store::Store::at(s.config.clone(), s.credentials.clone());
    let no_env = |_: &str| None;
    let data = picker::data::load(&store, &no_env).unwrap();
    let mut app = credwiz::tui::App::picker(Picker::new(data, Mode::Manage, Some("work")));
    let steps = common::runner::typed("dyq");
    let mut last = String::new();
    common::runner::run(
        &mut app,
        &store,
        ratatui::layout::Size::new(140, 40),
        steps,
        |buffer, _| last = common::runner::text(buffer),
    )
    .unwrap();
    // The last frame drawn, before `q` was read.
    let screen = last;
    assert!(screen.contains("removed `work`"), "{screen}");
    assert!(
        screen.contains("readable by other users (mode 644)"),
        "{screen}"
    );
    assert!(!s.read_text().1.contains("[work]"));
}

/// The files are not parsed whole before an edit: a line the SDKs refuse inside the
/// profile being edited, or anywhere else, still gets its own error, and nothing is written.
#[test]
fn a_line_that_does_not_parse_stops_every_edit_with_its_own_error() {
    let broken = format!("{CREDENTIALS}not a setting\n");
    let elsewhere = format!("[other]\nnot a setting\n{CREDENTIALS}");
    for credentials in [broken, elsewhere] {
        let s = Sandbox::with_files(CONFIG, &credentials);
        let old = s.read();
        for (args, stdin) in [
            (
                vec!["add", "work", "--access-key-id", KEY_ID2, "--force"],
                secret_in(""),
            ),
            (vec!["remove", "work", "--yes"], String::new()),
            (vec!["rename", "work", "w2"], String::new()),
            (vec!["use", "work"], String::new()),
        ] {
            let out = s.run(&args, &stdin);
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let err = stderr(&out);
            assert!(
                err.contains("Expected an '=' sign") && !err.contains("internal"),
                "{args:?}: {err}"
            );
            assert_eq!(s.read(), old, "{args:?}: nothing written");
        }
    }
}
