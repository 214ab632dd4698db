//! Secrets in the OS keyring, against a real Secret Service (gnome-keyring on a private
//! D-Bus session bus, see `common::keyring`): no copy of a secret anywhere under HOME,
//! botocore and the AWS CLI get the keys through `credential_process` (the AWS CLI
//! calling moto's STS with signature checking on), `unprotect` gives back the plaintext
//! lines byte for byte, rename and remove keep the keyring consistent; and the path
//! without a keyring (no D-Bus session), where every command says so and changes nothing.

mod common;

use std::path::Path;

use common::keyring::SecretService;
use common::moto::{ACCOUNT, start_moto};
use common::*;
use serde_json::Value;

const CONFIG: &str = "# mine\n[profile shared]\nregion = us-west-2\n";

/// Every file under `dir` whose bytes contain `secret`.
fn files_holding(dir: &Path, secret: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(bytes) = std::fs::read(&path)
                && bytes.windows(secret.len()).any(|w| w == secret.as_bytes())
            {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

fn ok(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{}\n{}", stdout(out), stderr(out));
    stdout(out)
}

fn add_keyring(s: &Sandbox, name: &str, key_id: &str, secret: &str) -> String {
    ok(&s.add(
        name,
        key_id,
        &format!("{secret}\n"),
        &["--keyring", "--region", "eu-west-1"],
    ))
}

/// The keys botocore resolves for `profile` (through credential_process for a keyring
/// profile): `[access key, secret, token]`.
fn botocore_keys(s: &Sandbox, profile: &str) -> Vec<Value> {
    let script = format!(
        "import boto3, json\n\
         c = boto3.Session(profile_name={profile:?}).get_credentials().get_frozen_credentials()\n\
         print(json.dumps([c.access_key, c.secret_key, c.token]))\n"
    );
    serde_json::from_str(&s.python(&script)).unwrap()
}

#[test]
fn add_keyring_keeps_no_secret_under_home_and_botocore_gets_the_keys() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    s.write(CONFIG, "");
    let said = add_keyring(&s, "work", KEY_ID, SECRET);
    assert!(said.contains("the secret is in the OS keyring"), "{said}");

    let (config, credentials) = s.read_text();
    let program = assert_cmd::cargo::cargo_bin("credwiz");
    let program = std::fs::canonicalize(program).unwrap();
    assert_eq!(
        config,
        format!(
            "# mine\n[profile shared]\nregion = us-west-2\n\n[profile work]\ncredential_process = \"{}\" credential-process --key-id {KEY_ID}\nregion = eu-west-1\n",
            program.display()
        )
    );
    assert_eq!(credentials, "", "no key, not even a lone key ID");
    assert_eq!(files_holding(&s.home, SECRET), Vec::<String>::new());
    assert_eq!(service.entries(), [KEY_ID]);

    let keys = botocore_keys(&s, "work");
    assert_eq!(
        keys,
        [KEY_ID, SECRET]
            .map(Value::from)
            .into_iter()
            .chain([Value::Null])
            .collect::<Vec<_>>()
    );

    // Listing needs no keyring: the key ID is in the line, the SECRET column says where.
    let listed = ok(&s.run(&["list"], ""));
    assert!(listed.contains("SECRET"), "{listed}");
    let row = listed.lines().find(|l| l.contains("work")).unwrap();
    assert!(
        row.contains("static") && row.contains("AKIA…MPLE") && row.ends_with("keyring"),
        "{row}"
    );
    let json: Vec<Value> = serde_json::from_str(&ok(&s.run(&["list", "--json"], ""))).unwrap();
    let work = json.iter().find(|p| p["name"] == "work").unwrap();
    assert_eq!(work["access_key_id"], KEY_ID);
    assert_eq!(work["secret_in"], "keyring");
    drop(service);
    let listed = ok(&s.run(&["list", "--json"], ""));
    assert!(
        listed.contains("\"secret_in\":\"keyring\""),
        "no keyring needed: {listed}"
    );
}

#[test]
fn credential_process_prints_the_process_format_and_nothing_else() {
    let mut s = Sandbox::new();
    let _service = SecretService::start(&mut s);
    ok(&s.add(
        "temp",
        TEMP_KEY_ID,
        &format!("{SECRET}\n{TOKEN}\n"),
        &["--keyring"],
    ));
    let out = s.run(&["credential-process", "--key-id", TEMP_KEY_ID], "");
    let printed = ok(&out);
    assert_eq!(stderr(&out), "");
    let json: Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"Version": 1, "AccessKeyId": TEMP_KEY_ID, "SecretAccessKey": SECRET, "SessionToken": TOKEN})
    );
    assert_eq!(botocore_keys(&s, "temp"), [TEMP_KEY_ID, SECRET, TOKEN]);
    let listed = ok(&s.run(&["list", "--json"], ""));
    assert!(listed.contains("\"kind\":\"session\""), "{listed}");

    // An entry that is not there: one line on stderr, nothing on stdout, exit 1.
    let out = s.run(&["credential-process", "--key-id", KEY_ID], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let said = stderr(&out);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(
        said.contains(&format!("no entry for access key {KEY_ID}")),
        "{said}"
    );
}

#[test]
fn an_entry_another_program_wrote_is_refused_without_quoting_it() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    service.store(KEY_ID, SECRET);
    let out = s.run(&["credential-process", "--key-id", KEY_ID], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not one credwiz wrote"),
        "{}",
        stderr(&out)
    );
    assert_no_secret(&out, &[SECRET]);
}

#[test]
fn protect_leaves_no_copy_and_unprotect_gives_back_the_same_bytes() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    s.write(CONFIG, "");
    ok(&s.add("work", KEY_ID, &format!("{SECRET}\n"), &[]));
    ok(&s.add("other", KEY_ID2, &format!("{SECRET2}\n"), &[]));
    let before = s.read();

    let out = s.run(&["protect", "work"], "");
    let said = ok(&out);
    assert!(
        said.contains(&format!("the secret of {KEY_ID} is in the OS keyring now")),
        "{said}"
    );
    assert_no_secret(&out, &[SECRET]);
    assert_eq!(files_holding(&s.home, SECRET), Vec::<String>::new());
    let (_, credentials) = s.read_text();
    assert!(!credentials.contains(KEY_ID), "{credentials}");
    assert!(credentials.contains(SECRET2), "`other` is untouched");
    assert_eq!(service.entries(), [KEY_ID]);
    assert_eq!(botocore_keys(&s, "work")[..2], [KEY_ID, SECRET]);

    let out = s.run(&["unprotect", "work"], "");
    ok(&out);
    assert_no_secret(&out, &[SECRET]);
    // `work` was written first and `other` after it: back in the same place? The
    // section went when it emptied, so it comes back at the end, its lines the same.
    let (config, credentials) = s.read_text();
    let (config_before, credentials_before) = (
        String::from_utf8(before.0).unwrap(),
        String::from_utf8(before.1).unwrap(),
    );
    assert_eq!(config, config_before);
    let work_lines =
        format!("[work]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n");
    assert!(credentials_before.contains(&work_lines));
    assert!(credentials.ends_with(&work_lines), "{credentials}");
    assert_eq!(
        credentials.replace(&work_lines, "").trim(),
        credentials_before.replace(&work_lines, "").trim()
    );
    assert_eq!(
        service.entries(),
        Vec::<String>::new(),
        "the entry went with it"
    );
}

#[test]
fn protect_then_unprotect_of_a_session_is_byte_identical() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    s.write(CONFIG, "");
    ok(&s.add("work", TEMP_KEY_ID, &format!("{SECRET}\n{TOKEN}\n"), &[]));
    let before = s.read();
    ok(&s.run(&["protect", "--all"], ""));
    assert_eq!(service.entries(), [TEMP_KEY_ID]);
    for secret in [SECRET, TOKEN] {
        assert_eq!(files_holding(&s.home, secret), Vec::<String>::new());
    }
    assert_eq!(botocore_keys(&s, "work"), [TEMP_KEY_ID, SECRET, TOKEN]);
    ok(&s.run(&["unprotect", "--all"], ""));
    assert_eq!(s.read(), before);
    assert_eq!(service.entries(), Vec::<String>::new());
}

#[test]
fn the_aws_cli_verify_and_rotate_use_the_keyring_against_moto() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    let moto = start_moto();
    let [alice] = &moto.users(&s, &[("alice", Some(&["iam:*", "sts:*"]))])[..] else {
        panic!("one user");
    };
    add_keyring(&s, "work", &alice.key_id, &alice.secret);
    let url = moto.url();
    let user = format!("arn:aws:iam::{ACCOUNT}:user/alice");

    // The AWS CLI runs credential_process and signs with what it printed: moto checks.
    let identity = |s: &Sandbox| {
        let out = s.aws(&[
            "sts",
            "get-caller-identity",
            "--profile",
            "work",
            "--endpoint-url",
            &url,
            "--output",
            "json",
        ]);
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["Arn"].clone()
    };
    assert_eq!(identity(&s), user);

    let out = moto.credwiz(&s, &["verify", "work"]);
    assert!(ok(&out).contains(&user), "{}", stdout(&out));
    assert_no_secret(&out, &[&alice.secret]);

    let out = moto.credwiz(&s, &["rotate", "work", "--yes"]);
    let said = ok(&out);
    assert_no_secret(&out, &[&alice.secret]);
    let entries = service.entries();
    assert_eq!(entries.len(), 1, "the old entry goes: {entries:?}");
    let new_id = entries[0].clone();
    assert_ne!(new_id, alice.key_id, "{said}");
    let (config, credentials) = s.read_text();
    assert!(config.contains(&format!("--key-id {new_id}")), "{config}");
    assert_eq!(credentials, "", "the new secret is in the keyring only");
    let new_secret = botocore_keys(&s, "work")[1].as_str().unwrap().to_string();
    assert_eq!(files_holding(&s.home, &new_secret), Vec::<String>::new());
    assert_eq!(identity(&s), user, "the AWS CLI signs with the new key");
}

#[test]
fn rename_use_and_remove_keep_the_keyring_consistent() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    add_keyring(&s, "work", KEY_ID, SECRET);
    add_keyring(&s, "other", KEY_ID2, SECRET2);

    ok(&s.run(&["rename", "work", "job"], ""));
    assert_eq!(
        service.entries(),
        [KEY_ID, KEY_ID2],
        "a rename changes no entry"
    );
    assert_eq!(botocore_keys(&s, "job")[..2], [KEY_ID, SECRET]);

    // `default` made from `job` shares its entry: removing one keeps it for the other.
    ok(&s.run(&["use", "job"], ""));
    assert_eq!(botocore_keys(&s, "default")[..2], [KEY_ID, SECRET]);
    let listed = ok(&s.run(&["list"], ""));
    assert!(
        listed.lines().any(|l| l.starts_with("= job")),
        "same keys as the default: {listed}"
    );
    let said = ok(&s.run(&["remove", "job", "--yes"], ""));
    assert!(said.contains("stays: `default` use"), "{said}");
    assert_eq!(service.entries(), [KEY_ID, KEY_ID2]);
    let said = ok(&s.run(&["remove", "default", "--yes"], ""));
    assert!(
        said.contains(&format!("deleted the OS keyring's entry for {KEY_ID}")),
        "{said}"
    );
    assert_eq!(service.entries(), [KEY_ID2]);
    assert_eq!(service.lookup(KEY_ID), None);
}

#[test]
fn a_failed_edit_removes_the_entry_it_wrote() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    s.write("", "[work]\naws_access_key_id = AKIAOLD\n");
    let before = s.read();
    // The profile exists: without --force the edit is refused after the entry is written.
    let out = s.add("work", KEY_ID, &format!("{SECRET}\n"), &["--keyring"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(service.entries(), Vec::<String>::new());
    assert_eq!(s.read(), before);
}

#[test]
fn doctor_finds_missing_and_unused_entries_and_a_moved_credwiz() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    add_keyring(&s, "work", KEY_ID, SECRET);
    add_keyring(&s, "gone", KEY_ID2, SECRET2);
    // Another machine's entry, and one deleted by hand.
    ok(&s.add(
        "spare",
        TEMP_KEY_ID,
        &format!("{SECRET}\n{TOKEN}\n"),
        &["--keyring"],
    ));
    ok(&s.run(&["remove", "spare", "--yes"], ""));
    service.store(TEMP_KEY_ID, "{\"SecretAccessKey\":\"x\"}");
    let cleared = std::process::Command::new("secret-tool")
        .env("DBUS_SESSION_BUS_ADDRESS", &service.address)
        .args(["clear", "service", "credwiz", "username", KEY_ID2])
        .status()
        .unwrap();
    assert!(cleared.success());
    let (config, credentials) = s.read_text();
    let program = std::fs::canonicalize(assert_cmd::cargo::cargo_bin("credwiz")).unwrap();
    let moved = config.replacen(
        &format!(
            "\"{}\" credential-process --key-id {KEY_ID}",
            program.display()
        ),
        &format!("\"/opt/old/credwiz\" credential-process --key-id {KEY_ID}"),
        1,
    );
    s.write(&moved, &credentials);

    let out = s.run(&["doctor"], "");
    assert_eq!(out.status.code(), Some(1));
    let said = stdout(&out);
    assert!(
        said.contains(&format!(
            "error: `gone` keeps its secret in the OS keyring, which has no entry for {KEY_ID2}"
        )),
        "{said}"
    );
    assert!(
        said.contains(
            "error: `work`'s credential_process runs /opt/old/credwiz, which is not there"
        ),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "warning: the OS keyring holds credwiz's entry for {TEMP_KEY_ID}, which no profile uses"
        )),
        "{said}"
    );

    // `protect` points a moved profile at this credwiz.
    let said = ok(&s.run(&["protect", "work"], ""));
    assert!(said.contains("runs this credwiz now"), "{said}");
    assert_eq!(botocore_keys(&s, "work")[..2], [KEY_ID, SECRET]);
    let said = stdout(&s.run(&["doctor"], ""));
    assert!(!said.contains("`work`"), "{said}");
}

#[test]
fn a_locked_keyring_is_said_so_and_nothing_changes() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    add_keyring(&s, "work", KEY_ID, SECRET);
    ok(&s.add("plain", KEY_ID2, &format!("{SECRET2}\n"), &[]));
    service.lock();
    let before = s.read();
    let out = s.run(&["credential-process", "--key-id", KEY_ID], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("the OS keyring is locked"),
        "{}",
        stderr(&out)
    );
    let out = s.run(&["protect", "plain"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("locked"), "{}", stderr(&out));
    assert_eq!(s.read(), before);
}

#[test]
fn export_credentials_reads_the_keyring_and_refuses_a_terminal() {
    let mut s = Sandbox::new();
    let _service = SecretService::start(&mut s);
    add_keyring(&s, "work", KEY_ID, SECRET);
    let out = s.run(&["export-credentials", "work", "--format", "env"], "");
    assert_eq!(
        ok(&out),
        format!("export AWS_ACCESS_KEY_ID={KEY_ID}\nexport AWS_SECRET_ACCESS_KEY={SECRET}\n")
    );
    let tmux = Tmux::credwiz(&s, "export-credentials work");
    let screen = tmux.wait_for("EXIT=");
    assert!(
        screen.contains("not printing the secrets of `work` to a terminal"),
        "{screen}"
    );
    assert!(screen.contains("EXIT=1"), "{screen}");
    assert!(!screen.contains("EXAMPLEKEY"), "{screen}");
}

/// No D-Bus session (headless Linux, SSH, a container): every keyring command says so
/// in one clear error and writes nothing; plaintext profiles keep working.
#[test]
fn without_a_keyring_every_command_says_so_and_writes_nothing() {
    let s = Sandbox::new();
    s.write(CONFIG, "");
    ok(&s.add("plain", KEY_ID, &format!("{SECRET}\n"), &[]));
    let before = s.read();

    let out = s.add("work", KEY_ID2, &format!("{SECRET2}\n"), &["--keyring"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no OS keyring is available here (no D-Bus session bus at"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.read(), before);

    let out = s.run(&["protect", "plain"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no OS keyring is available here"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.read(), before);

    let out = s.run(&["credential-process", "--key-id", KEY_ID], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out).lines().count(), 1);
    assert!(
        stderr(&out).contains("over SSH or in a container keep the secret in the credentials file")
    );

    assert_eq!(botocore_keys(&s, "plain")[..2], [KEY_ID, SECRET]);
    let out = s.run(&["export-credentials", "plain"], "");
    assert!(ok(&out).contains(SECRET));
    let said = stdout(&s.run(&["doctor"], ""));
    assert!(
        !said.contains("keyring"),
        "no keyring profile, no keyring finding: {said}"
    );
}

/// `credwiz new work` from its name step to the Review: KEY_ID2 and SECRET2, the
/// region and output as offered.
fn to_review(t: &Tmux) {
    t.wait_for("Step 1 of 7 · Profile name");
    t.send(&["Enter"]);
    t.wait_for("Step 2 of 7");
    t.send(&["Enter"]);
    t.wait_for("Step 3 of 7 · Access key ID");
    t.send(&["-l", KEY_ID2]);
    t.send(&["Enter"]);
    t.wait_for("Step 4 of 7 · Secret access key");
    t.send(&["-l", SECRET2]);
    t.send(&["Enter"]);
    t.wait_for("Step 5 of 7 · Region");
    t.send(&["Enter"]);
    t.wait_for("Step 6 of 7 · Output format");
    t.send(&["Enter"]);
}

/// The wizard's Review offers the keyring once a Secret Service answers; saving there
/// leaves no secret under HOME, and botocore gets the keys.
#[test]
fn the_wizard_keeps_the_secret_in_the_keyring_when_chosen() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    let t = Tmux::credwiz(&s, "new work");
    to_review(&t);
    t.wait_for("( ) OS keyring (recommended)");
    t.send(&["Down"]);
    let review = t.wait_for("credential-process --key-id");
    assert!(review.contains("(•) OS keyring (recommended)"), "{review}");
    assert!(!review.contains("aws_secret_access_key"), "{review}");
    t.send(&["Enter"]);
    t.wait_for("the secret is in the OS keyring");
    t.send(&["Enter"]);
    t.wait_for("credwiz · 1 profile");
    assert_eq!(t.end_with(&["q"]), 0);

    assert_eq!(service.entries(), [KEY_ID2]);
    assert_eq!(files_holding(&s.home, SECRET2), Vec::<String>::new());
    assert_eq!(botocore_keys(&s, "work")[..2], [KEY_ID2, SECRET2]);
}

/// Without a keyring the Review says so, and the secret stays in the file.
#[test]
fn the_wizard_without_a_keyring_keeps_the_secret_in_the_file() {
    let s = Sandbox::new();
    let t = Tmux::credwiz(&s, "new work");
    to_review(&t);
    t.wait_for("OS keyring (none here)");
    t.send(&["Down"]);
    t.wait_for("No OS keyring here: the secret stays in the credentials file");
    t.send(&["Enter"]);
    t.wait_for("Saved profile `work`");
    t.send(&["Enter"]);
    t.wait_for("credwiz · 1 profile");
    assert_eq!(t.end_with(&["q"]), 0);
    assert_eq!(botocore_keys(&s, "work")[..2], [KEY_ID2, SECRET2]);
}

/// Highlights `name` in the picker: Home, then down until its row has the pointer
/// (each key given time to be drawn).
fn highlight(t: &Tmux, name: &str) {
    let on_it = || {
        (0..10).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(50));
            t.screen()
                .lines()
                .any(|l| l.contains('›') && l.contains(&format!(" {name} ")))
        })
    };
    t.send(&["Home"]);
    let at_top = (0..40).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        t.screen().lines().nth(2).is_some_and(|l| l.contains('›'))
    });
    assert!(at_top, "Home did not reach the first row:\n{}", t.screen());
    for _ in 0..5 {
        if on_it() {
            return;
        }
        t.send(&["Down"]);
    }
    panic!("`{name}` not found in the picker:\n{}", t.screen());
}

/// The picker's `p` moves a secret into the keyring and back, and `d` on a keyring
/// profile deletes its entry, all against a real Secret Service.
#[test]
fn the_picker_protects_unprotects_and_deletes_keyring_profiles() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    ok(&s.add("work", KEY_ID, &format!("{SECRET}\n"), &[]));
    add_keyring(&s, "other", KEY_ID2, SECRET2);
    let (_, plain_credentials) = s.read_text();

    let t = Tmux::credwiz(&s, "");
    let screen = t.wait_for("credwiz · 2 profiles");
    assert!(
        screen.contains("SECRET") && screen.contains("keyring"),
        "{screen}"
    );
    highlight(&t, "work");
    t.send(&["p"]);
    t.wait_for("Move the secret of `work` into the OS keyring?");
    t.send(&["y"]);
    t.wait_for("the secret of `work` is in the OS keyring now");
    assert_eq!(service.entries(), [KEY_ID, KEY_ID2]);
    assert_eq!(files_holding(&s.home, SECRET), Vec::<String>::new());
    assert_eq!(botocore_keys(&s, "work")[..2], [KEY_ID, SECRET]);

    highlight(&t, "work");
    t.send(&["p"]);
    t.wait_for("Put the secret of `work` back into the credentials file?");
    t.send(&["y"]);
    t.wait_for("the keys of `work` are in the credentials file again");
    assert_eq!(service.entries(), [KEY_ID2], "its entry went with it");
    assert_eq!(s.read_text().1, plain_credentials, "the same bytes");

    highlight(&t, "other");
    t.send(&["d"]);
    t.wait_for("Delete `other`?");
    t.send(&["y"]);
    t.wait_for(&format!("deleted the OS keyring's entry for {KEY_ID2}"));
    assert_eq!(service.entries(), Vec::<String>::new());
    assert_eq!(t.end_with(&["q"]), 0);
}

/// A new key pasted in the picker (`k`, then `p`) for a keyring profile goes into the
/// keyring, not the files; the old entry goes.
#[test]
fn a_key_pasted_in_the_picker_for_a_keyring_profile_stays_in_the_keyring() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    add_keyring(&s, "work", KEY_ID, SECRET);
    let t = Tmux::credwiz(&s, "");
    t.wait_for("credwiz · 1 profile");
    t.send(&["k"]);
    t.wait_for("Rotate through IAM, deactivating the old key");
    t.send(&["p"]);
    t.wait_for("Paste the new key");
    t.send(&["-l", KEY_ID2]);
    t.send(&["Tab"]);
    t.send(&["-l", SECRET2]);
    t.send(&["Enter"]);
    t.wait_for("New key saved in `work`. Delete the old key in the IAM console");
    t.wait_for("Its secret is in the OS keyring.");
    assert_eq!(t.end_with(&["q"]), 0);
    assert_eq!(service.entries(), [KEY_ID2]);
    assert_eq!(files_holding(&s.home, SECRET2), Vec::<String>::new());
    assert_eq!(botocore_keys(&s, "work")[..2], [KEY_ID2, SECRET2]);
}

/// `add --force` over a keyring profile: with plaintext keys the credential_process goes
/// and the unused entry is deleted; with `--keyring` and another key, the old entry goes.
#[test]
fn replacing_a_keyring_profile_forgets_its_entry() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    add_keyring(&s, "work", KEY_ID, SECRET);
    let said = ok(&s.add(
        "work",
        KEY_ID2,
        &format!("{SECRET2}\n"),
        &["--keyring", "--force"],
    ));
    assert!(
        said.contains(&format!("deleted the OS keyring's entry for {KEY_ID}")),
        "{said}"
    );
    assert_eq!(service.entries(), [KEY_ID2]);

    let said = ok(&s.add("work", KEY_ID, &format!("{SECRET}\n"), &["--force"]));
    assert!(
        said.contains(&format!("deleted the OS keyring's entry for {KEY_ID2}")),
        "{said}"
    );
    assert_eq!(service.entries(), Vec::<String>::new());
    let (config, credentials) = s.read_text();
    assert!(!config.contains("credential_process"), "{config}");
    assert!(credentials.contains(SECRET), "{credentials}");
    assert_eq!(botocore_keys(&s, "work")[..2], [KEY_ID, SECRET]);
}

/// `import --keyring`: every key of the `.csv` into the keyring, the profiles in one
/// edit; when the edit is refused (a profile exists), no entry stays behind.
#[test]
fn import_keyring_puts_every_key_in_the_keyring_or_none() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    let csv = s.dir.path().join("keys.csv");
    std::fs::write(
        &csv,
        format!(
            "User name,Password,Access key ID,Secret access key,Console login link\n\
             bob,,{KEY_ID},{SECRET},\ncarol,,{KEY_ID2},{SECRET2},\n"
        ),
    )
    .unwrap();
    let csv = csv.to_str().unwrap();
    ok(&s.add("carol", TEMP_KEY_ID, &format!("{SECRET}\n{TOKEN}\n"), &[]));
    let before = s.read();
    let out = s.run(&["import", csv, "--keyring"], "");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("carol"), "{}", stderr(&out));
    assert_eq!(s.read(), before, "nothing written");
    assert_eq!(service.entries(), Vec::<String>::new(), "no entry left");

    let said = ok(&s.run(
        &[
            "import",
            csv,
            "--keyring",
            "--force",
            "--region",
            "eu-west-1",
        ],
        "",
    ));
    assert!(
        said.contains("imported profile `bob` (AKIA…MPLE); the secret is in the OS keyring"),
        "{said}"
    );
    assert_eq!(service.entries(), [KEY_ID, KEY_ID2]);
    for secret in [SECRET, SECRET2, TOKEN] {
        assert_eq!(files_holding(&s.home, secret), Vec::<String>::new());
    }
    assert_eq!(botocore_keys(&s, "bob")[..2], [KEY_ID, SECRET]);
    assert_eq!(
        botocore_keys(&s, "carol"),
        [KEY_ID2, SECRET2]
            .map(Value::from)
            .into_iter()
            .chain([Value::Null])
            .collect::<Vec<_>>()
    );
}

/// Lines written by hand (no spaces around `=`, extra spaces, an upper-case key) come
/// back from `unprotect` as they were, byte for byte.
#[test]
fn unprotect_gives_back_hand_written_key_lines_as_they_were() {
    let mut s = Sandbox::new();
    let service = SecretService::start(&mut s);
    let credentials = format!(
        "# keys\n[other]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET2}\n\n[work]\nAWS_ACCESS_KEY_ID={KEY_ID}\naws_secret_access_key   =  {SECRET}\n"
    );
    s.write(CONFIG, &credentials);
    let before = s.read();
    ok(&s.run(&["protect", "work"], ""));
    assert_eq!(files_holding(&s.home, SECRET), Vec::<String>::new());
    assert_eq!(service.entries(), [KEY_ID]);
    assert_eq!(botocore_keys(&s, "work")[..2], [KEY_ID, SECRET]);
    ok(&s.run(&["unprotect", "work"], ""));
    assert_eq!(s.read(), before, "both files as they were");
}
