//! Integration tests of the binary: every command and its error paths, in a temp HOME.

mod common;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};

use common::*;
use serde_json::{Value, json};

const FIXTURE_CONFIG: &str = include_str!("fixtures/config");
const FIXTURE_CREDENTIALS: &str = include_str!("fixtures/credentials");

fn list_json(s: &Sandbox) -> Value {
    let out = s.run(&["list", "--json"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("JSON")
}

#[test]
fn list_on_a_fresh_home_says_how_to_start() {
    let s = Sandbox::new();
    let out = s.run(&["list"], "");
    assert!(out.status.success());
    assert!(stdout(&out).contains("no profiles yet"));
    assert_eq!(list_json(&s), json!([]));
    assert!(
        !s.home.join(".aws").exists(),
        "reading must not create anything"
    );
}

#[test]
fn add_creates_owner_only_files_where_the_aws_cli_puts_them() {
    let s = Sandbox::new();
    let out = s.add(
        "work",
        KEY_ID2,
        &format!("{SECRET}\n"),
        &["--region", "eu-west-1", "--output", "json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_secret(&out, &[SECRET]);
    let (config, credentials) = s.read_text();
    assert_eq!(
        config,
        "[profile work]\nregion = eu-west-1\noutput = json\n"
    );
    assert_eq!(
        credentials,
        format!("[work]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET}\n")
    );
    let mode = |p: &std::path::Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&s.credentials), 0o600);
    assert_eq!(mode(&s.config), 0o600);
    assert_eq!(mode(s.config.parent().unwrap()), 0o700);
}

#[test]
fn list_json_has_the_documented_fields_default_first() {
    let s = Sandbox::with_files(FIXTURE_CONFIG, FIXTURE_CREDENTIALS);
    let list = list_json(&s);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["default", "admin", "dev-sso", "empty", "work"]);
    assert_eq!(
        list[0],
        json!({"name": "default", "kind": "static", "access_key_id": KEY_ID, "account_id": null,
               "region": "us-east-1", "output": "json", "endpoint_url": null, "service": null, "default": true,
               "files": ["config", "credentials"], "skipped_by": [], "key_created": null,
               "expires_at": null, "secret_in": "file"})
    );
    assert_eq!(list[1]["kind"], "role");
    assert_eq!(list[1]["account_id"], "123456789012");
    assert_eq!(list[2]["kind"], "sso");
    assert_eq!(list[2]["account_id"], "111122223333");
    assert_eq!(list[3]["files"], json!(["credentials"]));
    assert_eq!(list[4]["account_id"], "609629065308");
    assert_eq!(list[4]["default"], false);
    let table = stdout(&s.run(&["list"], ""));
    assert!(table.contains("* default"), "{table}");
    assert!(table.contains("AKIA…MPLE"), "{table}");
    assert!(
        !table.contains(SECRET) && !table.contains(KEY_ID),
        "{table}"
    );
}

#[test]
fn show_masks_secrets_and_names_each_settings_file_and_line() {
    let s = Sandbox::with_files(FIXTURE_CONFIG, FIXTURE_CREDENTIALS);
    let out = s.run(&["show", "work", "--json"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_secret(&out, &[SECRET2]);
    let shown: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let setting = |key: &str| {
        shown["settings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .cloned()
            .unwrap()
    };
    assert_eq!(setting("aws_secret_access_key")["value"], "****…EKEY");
    assert_eq!(setting("aws_access_key_id")["line"], 7);
    assert_eq!(setting("region")["file"], "config");
    assert_eq!(setting("region")["line"], 8);
    assert_eq!(
        setting("s3")["value"],
        "\nmax_concurrent_requests = 20\naddressing_style = path"
    );
    let text = s.run(&["show", "work"], "");
    assert_no_secret(&text, &[SECRET2]);
    assert!(stdout(&text).contains("****…EKEY"));
    let missing = s.run(&["show", "nope"], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).starts_with("error: no profile named `nope`"));
}

#[test]
fn adding_to_hand_written_files_changes_no_existing_byte() {
    let s = Sandbox::with_files(FIXTURE_CONFIG, FIXTURE_CREDENTIALS);
    let out = s.add(
        "new",
        KEY_ID2,
        &format!("{SECRET2}\n"),
        &["--region", "ap-south-1"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let (config, credentials) = s.read_text();
    assert_eq!(
        config,
        format!("{FIXTURE_CONFIG}\n[profile new]\nregion = ap-south-1\n")
    );
    assert_eq!(
        credentials,
        format!(
            "{FIXTURE_CREDENTIALS}\r\n\r\n[new]\r\naws_access_key_id = {KEY_ID2}\r\naws_secret_access_key = {SECRET2}\r\n"
        )
    );
}

#[test]
fn an_existing_profile_needs_force_and_keeps_its_other_settings() {
    let s = Sandbox::with_files(FIXTURE_CONFIG, FIXTURE_CREDENTIALS);
    let before = s.read();
    let out = s.add("work", KEY_ID, &format!("{SECRET}\n"), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("already exists; add --force to replace its keys"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.read(), before, "nothing written");

    let out = s.add(
        "work",
        KEY_ID,
        &format!("{SECRET}\n"),
        &["--force", "--region", "us-west-2"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let (config, credentials) = s.read_text();
    // A rewritten line gets the lower-case key (the JS SDK ignores `AWS_ACCESS_KEY_ID`).
    assert!(credentials.contains(&format!(
        "aws_access_key_id={KEY_ID}\r\naws_secret_access_key={SECRET}\r\n"
    )));
    assert!(
        config.contains("region=us-west-2\ns3 =\n  max_concurrent_requests = 20\n"),
        "{config}"
    );
}

#[test]
fn temporary_keys_need_their_session_token_and_lose_it_when_replaced() {
    let s = Sandbox::new();
    let out = s.add("tmp", TEMP_KEY_ID, &format!("{SECRET}\n"), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("session token"), "{}", stderr(&out));
    assert!(!s.credentials.exists());

    let out = s.add("tmp", TEMP_KEY_ID, &format!("{SECRET}\n{TOKEN}\n"), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_secret(&out, &[SECRET, TOKEN]);
    assert!(
        s.read_text()
            .1
            .contains(&format!("aws_session_token = {TOKEN}\n"))
    );
    assert_eq!(list_json(&s)[0]["kind"], "session");

    let out = s.add("tmp", KEY_ID, &format!("{SECRET}\n"), &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !s.read_text().1.contains("aws_session_token"),
        "a stale token would break the new key"
    );
}

#[test]
fn invalid_input_is_refused_with_a_reason_and_nothing_is_written() {
    let s = Sandbox::with_files(FIXTURE_CONFIG, FIXTURE_CREDENTIALS);
    let before = s.read();
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["add", "bad name", "--access-key-id", KEY_ID],
            SECRET,
            "found a space at position 4",
        ),
        (
            &["add", "x", "--access-key-id", "AIDAIOSFODNN7EXAMPLE"],
            SECRET,
            "IAM user ID",
        ),
        (
            &["add", "x", "--access-key-id", "AKIAIOSFODNN7EXAMPL"],
            SECRET,
            "this one has 19",
        ),
        (
            &["add", "x", "--access-key-id", KEY_ID],
            "tooshort",
            "40 characters",
        ),
        (
            &["add", "x", "--access-key-id", KEY_ID],
            "",
            "no secret access key on stdin",
        ),
        (
            &[
                "add",
                "x",
                "--access-key-id",
                KEY_ID,
                "--region",
                "us-east-1a",
            ],
            SECRET,
            "availability zone",
        ),
        (
            &["add", "x", "--access-key-id", KEY_ID, "--output", "xml"],
            SECRET,
            "output must be one of",
        ),
    ];
    for (args, stdin, reason) in cases {
        let out = s.run(args, &format!("{stdin}\n"));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.starts_with("error: ") && err.contains(reason),
            "{args:?}: {err}"
        );
        assert_no_secret(&out, &[SECRET]);
        assert_eq!(s.read(), before, "{args:?} wrote something");
    }
}

#[test]
fn usage_errors_exit_2() {
    let s = Sandbox::new();
    assert_eq!(s.run(&["bogus"], "").status.code(), Some(2));
    assert_eq!(s.run(&["add", "x"], "").status.code(), Some(2));
}

#[test]
fn a_file_that_does_not_parse_is_named_and_nothing_is_written() {
    let bad_config = "[default]\nregion = us-east-1\n[profile broken\noutput = json\n";
    let s = Sandbox::with_files(bad_config, FIXTURE_CREDENTIALS);
    let before = s.read();
    for args in [&["list"][..], &["add", "x", "--access-key-id", KEY_ID]] {
        let out = s.run(args, &format!("{SECRET}\n"));
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "{} line 3: Profile definition must end with ']'",
                s.config.display()
            )),
            "{err}"
        );
        assert_eq!(s.read(), before);
    }
    let bad_credentials =
        "[default]\naws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    s.write(FIXTURE_CONFIG, bad_credentials);
    let out = s.run(&["list"], "");
    assert!(
        stderr(&out).contains("line 2: Expected an '=' sign"),
        "{}",
        stderr(&out)
    );
    assert_no_secret(&out, &[SECRET]);
}

#[test]
fn read_only_files_and_directories_are_refused_cleanly() {
    let s = Sandbox::with_files(FIXTURE_CONFIG, FIXTURE_CREDENTIALS);
    let before = s.read();
    fs::set_permissions(&s.credentials, fs::Permissions::from_mode(0o400)).unwrap();
    let out = s.add("x", KEY_ID, &format!("{SECRET}\n"), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is read-only"), "{}", stderr(&out));
    assert_eq!(s.read(), before);

    fs::set_permissions(&s.credentials, fs::Permissions::from_mode(0o600)).unwrap();
    let dir = s.config.parent().unwrap();
    fs::set_permissions(dir, fs::Permissions::from_mode(0o500)).unwrap();
    let out = s.add("x", KEY_ID, &format!("{SECRET}\n"), &[]);
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert_eq!(s.read(), before);
}

#[test]
fn a_symlinked_file_stays_a_link_and_its_target_is_updated() {
    let s = Sandbox::new();
    let real_dir = s.dir.path().join("dotfiles");
    fs::create_dir(&real_dir).unwrap();
    fs::write(real_dir.join("credentials"), FIXTURE_CREDENTIALS).unwrap();
    fs::set_permissions(
        real_dir.join("credentials"),
        fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    fs::create_dir_all(s.credentials.parent().unwrap()).unwrap();
    symlink(real_dir.join("credentials"), &s.credentials).unwrap();
    let out = s.add("x", KEY_ID, &format!("{SECRET}\n"), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        fs::symlink_metadata(&s.credentials)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let target = fs::read_to_string(real_dir.join("credentials")).unwrap();
    assert!(target.starts_with(FIXTURE_CREDENTIALS) && target.contains("[x]"));
    assert_eq!(
        fs::metadata(real_dir.join("credentials"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o640
    );
}

#[test]
fn a_credentials_file_readable_by_others_is_warned_about() {
    let s = Sandbox::with_files(FIXTURE_CONFIG, FIXTURE_CREDENTIALS);
    fs::set_permissions(&s.credentials, fs::Permissions::from_mode(0o644)).unwrap();
    let out = s.run(&["list"], "");
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("readable by other users (mode 644); run: chmod 600"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn what_the_aws_cli_reads_differently_is_warned_about() {
    let config = "\u{feff}[default]\nregion = us-east-1 # home\n[profile \"q\"]\nregion = x\n[profile a]\nk = 1\nK = 2\n";
    let s = Sandbox::with_files(config, "");
    let out = s.run(&["list"], "");
    assert!(out.status.success());
    let err = stderr(&out);
    for (line, what) in [
        (1, "byte-order mark"),
        (2, "inline comment"),
        (3, "quotes"),
        (7, "duplicate key"),
    ] {
        assert!(
            err.contains(&format!("line {line}: ")) && err.contains(what),
            "{what}: {err}"
        );
    }
}

#[test]
fn the_wizard_without_a_terminal_points_to_the_subcommands() {
    let s = Sandbox::new();
    for args in [&["new"][..], &[]] {
        let out = s.run(args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("need a terminal") && stderr(&out).contains("credwiz add"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn doctor_reports_findings_and_fails_on_errors() {
    let s = Sandbox::with_files(FIXTURE_CONFIG, FIXTURE_CREDENTIALS);
    let out = s.run(&["doctor"], "");
    assert!(out.status.success(), "{}", stdout(&out));
    // The fixture's one finding: `[work]`'s upper-case key, which the JS SDK ignores.
    let findings: Vec<String> = stdout(&out)
        .lines()
        .filter(|l| l.starts_with("warning:") || l.starts_with("error:"))
        .map(String::from)
        .collect();
    assert!(
        matches!(findings.as_slice(), [only] if only.starts_with("warning:")
            && only.contains("line 7: `AWS_ACCESS_KEY_ID` is upper case")),
        "{}",
        stdout(&out)
    );
    let clean = Sandbox::with_files(FIXTURE_CONFIG, "[default]\naws_access_key_id = x\n");
    let out = clean.run(&["doctor"], "");
    assert!(
        stdout(&out).starts_with("no problems found"),
        "{}",
        stdout(&out)
    );

    let broken = format!(
        "{FIXTURE_CONFIG}\n[profile orphan]\nsource_profile = gone\n[profile work]\nregion = x\n"
    );
    s.write(&broken, FIXTURE_CREDENTIALS);
    let out = s
        .credwiz()
        .arg("doctor")
        .env("AWS_PROFILE", "work")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("error: profile `orphan` takes its credentials from `gone`"),
        "{text}"
    );
    assert!(
        text.contains("appears twice; the AWS CLI refuses"),
        "{text}"
    );
    assert!(text.contains("warning: AWS_PROFILE=work is set"), "{text}");
    let errors = text.lines().take_while(|l| l.starts_with("error:")).count();
    assert_eq!(errors, 2, "errors come first:\n{text}");
}

#[test]
fn shell_init_defines_a_function_that_runs_pick() {
    let s = Sandbox::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = s.run(&["shell-init", shell], "");
        assert!(out.status.success());
        assert!(stdout(&out).contains("credwiz pick"), "{shell}");
    }
    let script = stdout(&s.run(&["shell-init", "bash"], ""));
    let out = std::process::Command::new("bash")
        .args(["-c", &format!("{script}\ntype cw")])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("cw is a function"));
    let fish = stdout(&s.run(&["shell-init", "fish"], ""));
    let out = std::process::Command::new("fish")
        .args(["-c", &format!("{fish}\nfunctions -q cw; and echo defined")])
        .output()
        .expect("fish (./scripts/test installs it)");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "defined");
}

#[test]
fn doctor_reports_aws_profile_naming_a_missing_profile() {
    let s = Sandbox::with_files(FIXTURE_CONFIG, FIXTURE_CREDENTIALS);
    let out = s
        .credwiz()
        .arg("doctor")
        .env("AWS_PROFILE", "nope")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("error: AWS_PROFILE=nope names a profile that is in neither file")
            && stdout(&out).contains("credwiz new nope"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn import_names_a_second_download_of_the_csv_after_its_user() {
    let s = Sandbox::with_files(FIXTURE_CONFIG, FIXTURE_CREDENTIALS);
    let csv = s.dir.path().join("alice_accessKeys (1).csv");
    fs::write(
        &csv,
        format!("Access key ID,Secret access key\n{KEY_ID2},{SECRET2}\n"),
    )
    .unwrap();
    let out = s.run(&["import", csv.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(s.read_text().1.contains("[alice]"), "{}", s.read_text().1);
}

#[test]
fn import_sets_region_and_output_and_says_to_delete_the_csv() {
    let s = Sandbox::with_files(FIXTURE_CONFIG, FIXTURE_CREDENTIALS);
    let csv = s.dir.path().join("bob_accessKeys.csv");
    fs::write(
        &csv,
        format!("Access key ID,Secret access key\n{KEY_ID2},{SECRET2}\n"),
    )
    .unwrap();
    let path = csv.to_str().unwrap();
    let out = s.run(
        &[
            "import",
            path,
            "--region",
            "eu-north-1",
            "--output",
            "table",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("{path} holds the secret in plain text")),
        "{}",
        stdout(&out)
    );
    assert_no_secret(&out, &[SECRET2]);
    let bob = &s.botocore_profiles()["bob"];
    assert_eq!(bob["region"], "eu-north-1");
    assert_eq!(bob["output"], "table");
    assert_eq!(bob["aws_access_key_id"], KEY_ID2);

    let out = s.run(&["import", path, "--profile", "bad name", "--force"], "");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("--profile `bad name`") && !err.contains("line 1"),
        "{err}"
    );
}

// Issue 12, bugs 1–5: what credwiz writes must read the same in every SDK.

const X_KEYS: &str = "[x]\naws_access_key_id = AKIAY34FZKBOKMUTVV7A\n\
                      aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n";

#[test]
fn use_with_a_multi_line_value_and_a_default_in_credentials_keeps_the_keys_apart() {
    let s = Sandbox::with_files(
        "[profile x]\ns3 =\n  max_concurrent_requests = 20\n  addressing_style = path\n",
        &format!("[default]\ns3 = off\n{X_KEYS}"),
    );
    let out = s.run(&["use", "x"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let default = &s.botocore_profiles()["default"];
    assert_eq!(default["aws_access_key_id"], KEY_ID2);
    assert_eq!(default["aws_secret_access_key"], SECRET2);
    assert_eq!(
        default["s3"],
        json!({"max_concurrent_requests": "20", "addressing_style": "path"})
    );
}

#[test]
fn add_force_writes_upper_case_keys_it_rewrites_in_lower_case() {
    let s = Sandbox::with_files(
        "",
        &format!("[x]\nAWS_ACCESS_KEY_ID = {KEY_ID}\nAWS_Secret_Access_Key=old\n"),
    );
    let out = s.add("x", KEY_ID2, &format!("{SECRET2}\n"), &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, credentials) = s.read_text();
    assert_eq!(
        credentials,
        format!("[x]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key={SECRET2}\n")
    );
}

#[test]
fn add_force_on_keys_split_across_the_files_writes_both_to_credentials() {
    let s = Sandbox::with_files(
        "[profile x]\naws_secret_access_key = old\nregion = eu-west-1\n",
        &format!("[x]\naws_access_key_id = {KEY_ID}\n"),
    );
    let out = s.add("x", KEY_ID2, &format!("{SECRET2}\n"), &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (config, credentials) = s.read_text();
    assert_eq!(config, "[profile x]\nregion = eu-west-1\n");
    assert_eq!(
        credentials,
        format!("[x]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET2}\n")
    );
    // botocore resolves the profile's credentials from one file (no PartialCredentialsError).
    let script = "import botocore.session\n\
                  c = botocore.session.Session(profile='x').get_credentials()\n\
                  print(c.access_key)";
    assert_eq!(s.python(script).trim(), KEY_ID2);
}

#[test]
fn use_drops_an_indented_comment_from_a_copied_value() {
    let s = Sandbox::with_files(
        "[profile x]\nregion = eu-west-1\n\n  # an indented comment\n\
         s3 =\n  max_concurrent_requests = 20\n\n  addressing_style = path\n",
        X_KEYS,
    );
    let out = s.run(&["use", "x"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let (config, _) = s.read_text();
    let default = &config[config.find("[default]").expect("a default section")..];
    assert_eq!(
        default,
        "[default]\nregion = eu-west-1\ns3 =\n  max_concurrent_requests = 20\n  addressing_style = path\n"
    );
    let botocore = &s.botocore_profiles()["default"];
    assert_eq!(botocore["region"], "eu-west-1");
    assert_eq!(botocore["s3"]["addressing_style"], "path");
}

#[test]
fn use_refuses_to_copy_a_value_continued_on_an_indented_line() {
    let files = ("[profile x]\nregion = eu-west-1\n  eu-west-2\n", X_KEYS);
    let s = Sandbox::with_files(files.0, files.1);
    let out = s.run(&["use", "x"], "");
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("`region` of profile `x` continues on an indented line (`eu-west-2`)")
            && err.contains("JS and Go SDKs do not"),
        "{err}"
    );
    assert_eq!(s.read_text(), (files.0.to_string(), files.1.to_string()));
}

#[test]
fn use_on_a_role_assumed_with_its_own_keys_points_the_default_at_itself() {
    let s = Sandbox::with_files(
        "[profile x]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = x\n",
        &format!(
            "[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n{X_KEYS}"
        ),
    );
    let out = s.run(&["use", "x"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let profiles = s.botocore_profiles();
    assert_eq!(profiles["default"]["source_profile"], "default");
    assert_eq!(profiles["default"]["aws_access_key_id"], KEY_ID2);
    assert_eq!(profiles["x"]["source_profile"], "x");
    assert_eq!(profiles["previous-default"]["aws_access_key_id"], KEY_ID);
}

#[test]
fn use_keeps_a_saved_default_assuming_its_role_with_its_own_keys() {
    let s = Sandbox::with_files(
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\n",
        &format!(
            "[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n{X_KEYS}"
        ),
    );
    let out = s.run(&["use", "x"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let profiles = s.botocore_profiles();
    assert_eq!(
        profiles["previous-default"]["source_profile"],
        "previous-default"
    );
    assert!(profiles["default"].get("source_profile").is_none());
}

#[test]
fn add_force_rewrites_headers_the_readers_name_differently_in_both_files() {
    // `[ p ]` is " p " to botocore and JS and `p` to Rust; JS drops `[profile  p]`.
    let s = Sandbox::with_files(
        "[profile  p]\nregion = eu-west-1\n",
        &format!("[ p ] # mine\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"),
    );
    let out = s.add("p", KEY_ID2, &format!("{SECRET2}\n"), &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (config, credentials) = s.read_text();
    assert_eq!(config, "[profile p]\nregion = eu-west-1\n");
    assert_eq!(
        credentials,
        format!("[p] # mine\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET2}\n")
    );
    let p = &s.botocore_profiles()["p"];
    assert_eq!(p["region"], "eu-west-1");
    assert_eq!(p["aws_access_key_id"], KEY_ID2);
}
