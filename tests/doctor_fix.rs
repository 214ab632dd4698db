//! `credwiz doctor --fix` and doctor's findings about a missing default and yaml output
//! with AWS CLI v1. Every repaired fixture is read by botocore afterwards: it must read
//! the profiles it read before (or, for a file it refused, the profiles the SDKs read).

mod common;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use common::*;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/doctor-fix");

fn fixture(name: &str) -> String {
    fs::read_to_string(Path::new(FIXTURES).join(name)).expect("fixture")
}

/// The profiles as credwiz (the SDKs' grammar) reads the sandbox's files.
fn sdk_profiles(s: &Sandbox) -> Value {
    s.sdk_profiles().expect("the files parse")
}

/// Whether botocore refuses to read the files.
fn botocore_refuses(s: &Sandbox) -> bool {
    let script = "import botocore.session\n\
                  try:\n    botocore.session.Session().full_config\n    print('read')\n\
                  except Exception as e:\n    print(type(e).__name__)";
    s.python(script).trim() == "ConfigParseError"
}

fn fix_yes(s: &Sandbox) -> std::process::Output {
    s.run(&["doctor", "--fix", "--yes"], "")
}

#[test]
fn a_bom_is_removed_and_botocore_then_reads_what_the_sdks_read() {
    let s = Sandbox::with_files(&fixture("bom-config"), "");
    let before = s.read();
    assert!(before.0.starts_with(b"\xef\xbb\xbf"));
    assert!(botocore_refuses(&s));
    let sdks = sdk_profiles(&s);

    let out = fix_yes(&s);
    assert!(stdout(&out).contains("byte-order mark"), "{}", stdout(&out));
    let after = s.read();
    assert_eq!(after.0, before.0[3..], "only the three bytes of the BOM go");
    assert_eq!(after.1, before.1);
    assert_eq!(s.botocore_profiles(), sdks);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn indented_headers_lose_only_their_indentation_and_botocore_reads_the_same_profiles() {
    let s = Sandbox::with_files(&fixture("indented-config"), "");
    let (config, _) = s.read_text();
    let botocore = s.botocore_profiles();
    // credwiz reads the headers as the AWS CLI does, and warns that Rust and Java refuse them.
    let listed = s.run(&["list"], "");
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(
        stderr(&listed).contains("is indented") && stderr(&listed).contains("doctor --fix"),
        "{}",
        stderr(&listed)
    );

    let out = fix_yes(&s);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let (fixed, _) = s.read_text();
    assert_eq!(s.botocore_profiles(), botocore);
    let (was, now): (Vec<&str>, Vec<&str>) = (config.lines().collect(), fixed.lines().collect());
    assert_eq!(was.len(), now.len());
    for (old, new) in was.iter().zip(&now) {
        assert_eq!(*new, old.trim_start(), "only leading whitespace goes");
    }
    assert_eq!(
        sdk_profiles(&s),
        botocore,
        "and the SDKs now read what botocore reads"
    );
    let text = stdout(&out);
    assert!(
        text.contains("- 1 |   [profile prod]") && text.contains("+ 1 | [profile prod]"),
        "{text}"
    );
    assert!(
        text.contains("- 6 | \\t[profile staging]"),
        "a tab is shown as \\t: {text}"
    );
}

#[test]
fn a_duplicate_section_is_merged_into_the_first_and_botocore_reads_the_merged_profile() {
    let s = Sandbox::with_files("", &fixture("duplicate-credentials"));
    let before = s.read_text();
    assert!(botocore_refuses(&s));
    let sdks = sdk_profiles(&s);

    let out = fix_yes(&s);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_no_secret(&out, &[SECRET, SECRET2]);
    assert_eq!(s.botocore_profiles(), sdks);
    let after = s.read_text();
    assert_only_touched(&before, &after, &["default"]);
    assert_eq!(after.1.matches("[default]").count(), 1);
    assert_eq!(
        after.1.matches(KEY_ID).count(),
        1,
        "the identical key is not repeated"
    );
    assert!(
        after.1.contains("; the secret\n"),
        "the comment moves with its key"
    );
}

#[test]
fn a_duplicate_section_with_a_conflicting_key_is_not_merged_and_the_key_and_lines_are_named() {
    let s = Sandbox::with_files("", &fixture("conflict-credentials"));
    let before = s.read();
    let out = fix_yes(&s);
    assert_eq!(s.read(), before, "nothing written");
    assert_eq!(
        out.status.code(),
        Some(1),
        "the duplicate is still an error"
    );
    let text = stdout(&out);
    assert!(
        text.contains("cannot repair")
            && text.contains("`aws_access_key_id` is set differently at lines 2 and 7"),
        "{text}"
    );
    assert_no_secret(&out, &[SECRET]);
}

#[test]
fn modes_become_owner_only_by_chmod_without_rewriting_the_file() {
    let s = Sandbox::with_files(
        "[default]\naws_secret_access_key = x\n",
        &fixture("duplicate-credentials"),
    );
    for path in [&s.config, &s.credentials] {
        fs::set_permissions(path, fs::Permissions::from_mode(0o644)).unwrap();
    }
    let inode = fs::metadata(&s.config).unwrap().ino();
    let config = s.read().0;
    let out = fix_yes(&s);
    let text = stdout(&out);
    assert!(
        text.contains("mode 644 → 600") && text.contains("chmod"),
        "{text}"
    );
    for path in [&s.config, &s.credentials] {
        assert_eq!(
            fs::metadata(path).unwrap().mode() & 0o777,
            0o600,
            "{path:?}"
        );
    }
    assert_eq!(
        fs::metadata(&s.config).unwrap().ino(),
        inode,
        "the same file"
    );
    assert_eq!(s.read().0, config);

    // A config file without secrets may stay readable.
    let s = Sandbox::with_files("[default]\nregion = eu-west-1\n", "");
    fs::set_permissions(&s.config, fs::Permissions::from_mode(0o644)).unwrap();
    let out = fix_yes(&s);
    assert!(
        stdout(&out).contains("nothing that doctor --fix can repair"),
        "{}",
        stdout(&out)
    );
    assert_eq!(fs::metadata(&s.config).unwrap().mode() & 0o777, 0o644);
}

#[test]
fn without_a_terminal_or_yes_the_repairs_are_listed_and_none_made() {
    let s = Sandbox::with_files(&fixture("bom-config"), &fixture("duplicate-credentials"));
    fs::set_permissions(&s.credentials, fs::Permissions::from_mode(0o640)).unwrap();
    let before = s.read();
    let out = s.run(&["doctor", "--fix"], "y\ny\ny\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(s.read(), before);
    assert_eq!(fs::metadata(&s.credentials).unwrap().mode() & 0o777, 0o640);
    assert!(
        stderr(&out).contains("3 repairs not made") && stderr(&out).contains("add --yes"),
        "{}",
        stderr(&out)
    );
    let text = stdout(&out);
    for wanted in [
        "byte-order mark",
        "merge the second `[default]`",
        "mode 640 → 600",
    ] {
        assert!(text.contains(wanted), "{wanted}: {text}");
    }
    assert_no_secret(&out, &[SECRET, SECRET2]);
}

#[test]
fn after_the_repairs_doctor_says_what_remains() {
    let config = format!(
        "{}[profile ci]\noutput = yaml-stream\n",
        fixture("indented-config")
    );
    let s = Sandbox::with_files(&config, "");
    let bin = fake_aws(
        &s,
        "aws-cli/1.45.11 Python/3.11.7 Linux/6.1 botocore/1.43.11",
    );
    let out = s
        .credwiz()
        .args(["doctor", "--fix", "--yes"])
        .env("PATH", path_with(&bin))
        .output()
        .unwrap();
    let text = stdout(&out);
    let (_, remaining) = text.split_once("after the repairs:").expect(&text);
    assert!(
        remaining.contains("profile `ci`: output = yaml-stream"),
        "{text}"
    );
    assert!(!remaining.contains("indent"), "{text}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn in_a_terminal_each_repair_is_asked_for() {
    let s = Sandbox::with_files(&fixture("bom-config"), &fixture("duplicate-credentials"));
    let before = s.read();
    let tmux = Tmux::credwiz(&s, "doctor --fix");
    tmux.wait_for("Make this repair? [y/N]");
    tmux.send(&["n", "Enter"]);
    tmux.wait_for("not changed");
    let status = tmux.end_with(&["y", "Enter"]);
    let screen = tmux.screen();
    assert!(screen.contains("after the repairs:"), "{screen}");
    let after = s.read();
    assert_eq!(after.1, before.1, "the merge (asked first) was declined");
    assert_eq!(after.0, before.0[3..], "the BOM (asked second) was removed");
    assert_eq!(status, 1, "the duplicate section is left:\n{screen}");
}

#[test]
fn doctor_warns_when_no_profile_is_the_default_unless_aws_profile_selects_one() {
    let s = Sandbox::with_files("[profile dev]\nregion = eu-west-1\n", "");
    let out = s.run(&["doctor"], "");
    assert!(out.status.success(), "a warning, not an error");
    let text = stdout(&out);
    assert!(
        text.contains("warning: no profile is named `default`")
            && text.contains("credwiz use dev")
            && text.contains("export AWS_PROFILE=dev"),
        "{text}"
    );
    let out = s
        .credwiz()
        .arg("doctor")
        .env("AWS_PROFILE", "dev")
        .output()
        .unwrap();
    assert!(
        !stdout(&out).contains("no profile is named `default`"),
        "{}",
        stdout(&out)
    );
    // No profiles at all: nothing to make the default.
    let empty = Sandbox::new();
    assert!(!stdout(&empty.run(&["doctor"], "")).contains("named `default`"));
}

#[test]
fn import_says_when_the_files_have_no_default_afterwards() {
    let s = Sandbox::new();
    let csv = s.dir.path().join("alice_accessKeys.csv");
    fs::write(
        &csv,
        format!("Access key ID,Secret access key\n{KEY_ID},{SECRET}\n"),
    )
    .unwrap();
    let out = s.run(&["import", csv.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no profile is named `default`")
            && stderr(&out).contains("credwiz use alice"),
        "{}",
        stderr(&out)
    );
    assert_no_secret(&out, &[SECRET]);
    let s = Sandbox::with_files(
        "",
        &format!("[default]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET2}\n"),
    );
    let out = s.run(&["import", csv.to_str().unwrap()], "");
    assert!(
        !stderr(&out).contains("named `default`"),
        "{}",
        stderr(&out)
    );
}

/// A directory holding an `aws` script that prints `version` and leaves a mark when run.
fn fake_aws(s: &Sandbox, version: &str) -> std::path::PathBuf {
    let bin = s.dir.path().join("bin");
    fs::create_dir_all(&bin).unwrap();
    let script = bin.join("aws");
    let mark = s.dir.path().join("aws-was-run");
    fs::write(
        &script,
        format!("#!/bin/sh\ntouch '{}'\necho '{version}'\n", mark.display()),
    )
    .unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

fn path_with(bin: &Path) -> String {
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn yaml_output_is_an_error_with_aws_cli_v1_only() {
    let config = "[default]\nregion = eu-west-1\n[profile y]\nregion = eu-west-1\noutput = yaml\n";
    let s = Sandbox::with_files(config, "");
    let doctor = |version: &str| {
        let bin = fake_aws(&s, version);
        s.credwiz()
            .arg("doctor")
            .env("PATH", path_with(&bin))
            .output()
            .unwrap()
    };
    let out = doctor("aws-cli/1.45.11 Python/3.11.7 Linux/6.1 botocore/1.43.11");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let line = format!(
        "error: {} line 5: profile `y`: output = yaml",
        s.config.display()
    );
    assert!(text.contains(&line), "{text}");
    assert!(
        text.contains("output = json") && text.contains("AWS CLI v2"),
        "{text}"
    );

    let out = doctor("aws-cli/2.27.0 Python/3.13.2 Linux/6.1 exe/x86_64");
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(!stdout(&out).contains("output = yaml"), "{}", stdout(&out));

    // Without a profile using yaml, the aws on PATH is not even run.
    s.write("[default]\nregion = eu-west-1\n", "");
    let mark = s.dir.path().join("aws-was-run");
    let _ = fs::remove_file(&mark);
    let out = doctor("aws-cli/1.45.11 Python/3.11.7");
    assert!(out.status.success());
    assert!(!mark.exists(), "aws --version ran without a yaml profile");
}

/// The pip-installed AWS CLI is v1: it really fails a command of a yaml profile, once
/// STS has answered, and doctor says so before.
#[test]
fn the_real_aws_cli_v1_fails_with_yaml_as_doctor_says() {
    let s = Sandbox::with_files(
        "[default]\nregion = us-east-1\noutput = yaml\n",
        &format!("[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"),
    );
    let out = s.run(&["doctor"], "");
    assert!(
        stdout(&out).contains("output = yaml, which the AWS CLI on PATH (aws-cli/1."),
        "{}",
        stdout(&out)
    );
    let (port, _request) = stub(200, Some(ok_body(USER_ARN)));
    let mut aws = std::process::Command::new("aws");
    s.env(&mut aws);
    let endpoint = format!("http://127.0.0.1:{port}");
    let out = aws
        .args(["sts", "get-caller-identity", "--endpoint-url", &endpoint])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(255));
    assert!(
        stderr(&out).contains("Unknown output type: yaml"),
        "{}",
        stderr(&out)
    );
}

/// Names only the AWS CLI reads are renamed to portable ones only on request (`--rename`
/// with `--yes`, or a yes at the prompt): botocore then reads the same settings and keys
/// under the new names, and the SDKs read them too.
#[test]
fn names_only_the_aws_cli_reads_are_renamed_on_request_and_botocore_reads_the_same() {
    let s = Sandbox::with_files(
        "[profile 'some profile']\nregion = eu-west-1\n\n[profile \"personal\"]\nregion = us-west-2\n",
        &format!(
            "[some profile]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    let before = s.read();
    let botocore = s.botocore_profiles();

    let out = fix_yes(&s);
    assert!(
        stdout(&out).contains("add --rename to make it"),
        "{}",
        stdout(&out)
    );
    assert_eq!(s.read(), before, "not renamed without --rename");

    let out = s.run(&["doctor", "--fix", "--yes", "--rename"], "");
    let text = stdout(&out);
    assert!(text.contains("- 1 | [profile 'some profile']"), "{text}");
    assert!(text.contains("+ 1 | [profile some-profile]"), "{text}");
    assert!(
        text.contains("(and line 1 of the credentials file)"),
        "{text}"
    );
    let (config, credentials) = s.read_text();
    assert!(config.contains("[profile some-profile]") && config.contains("[profile personal]"));
    assert!(credentials.starts_with("[some-profile]\n"), "{credentials}");
    let after = s.botocore_profiles();
    assert_eq!(after["some-profile"], botocore["some profile"]);
    assert_eq!(after["personal"], botocore["personal"]);
    let sdks = sdk_profiles(&s);
    assert_eq!(sdks["some-profile"]["aws_access_key_id"], KEY_ID);
    assert_eq!(sdks["personal"]["region"], "us-west-2");
    assert_no_secret(&out, &[SECRET]);
}
