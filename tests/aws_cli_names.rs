//! Profiles the AWS CLI reads under names the SDKs skip (`[profile "personal"]`,
//! `[profile 'some profile']`, a credentials `[some profile]`), and indented headers:
//! credwiz lists, shows, renames and removes them by the name the AWS CLI gives them,
//! refuses to create such names, and botocore agrees with every result.

mod common;

use common::*;
use serde_json::{Value, json};

/// What botocore reads from the config file below and the credentials file below.
const CONFIG: &str = "# mine\n[profile \"personal\"] # home\nregion = eu-west-1\n\n[profile 'some profile']\nregion = us-east-2\noutput = json\n\n[profile ok]\nregion = ca-central-1\n";

fn credentials() -> String {
    format!(
        "[some profile]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\n[cred only]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET2}\n"
    )
}

fn sandbox() -> Sandbox {
    Sandbox::with_files(CONFIG, &credentials())
}

fn list_json(s: &Sandbox) -> Value {
    let out = s.run(&["list", "--json"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("JSON")
}

fn run_ok(s: &Sandbox, args: &[&str]) -> std::process::Output {
    let out = s.run(args, "");
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    out
}

/// The names botocore gives the profiles, sorted.
fn botocore_names(s: &Sandbox) -> Vec<String> {
    let profiles = s.botocore_profiles();
    let mut names: Vec<String> = profiles.as_object().unwrap().keys().cloned().collect();
    names.sort();
    names
}

#[test]
fn list_shows_every_profile_botocore_reads_with_who_skips_it() {
    let s = sandbox();
    let list = list_json(&s);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, botocore_names(&s), "the same profiles as botocore");
    let by_name = |name: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("ok")["skipped_by"], json!([]));
    assert_eq!(by_name("personal")["skipped_by"], json!(["go", "rust"]));
    assert_eq!(by_name("personal")["region"], "eu-west-1");
    // Config's `[profile 'some profile']` and credentials' `[some profile]` are one profile.
    let some = by_name("some profile");
    assert_eq!(some["skipped_by"], json!(["js", "rust"]));
    assert_eq!(some["files"], json!(["config", "credentials"]));
    assert_eq!(some["access_key_id"], KEY_ID);
    assert_eq!(some["region"], "us-east-2");
    assert_eq!(by_name("cred only")["skipped_by"], json!(["rust"]));
    let botocore = s.botocore_profiles();
    assert_eq!(botocore["some profile"]["region"], "us-east-2");
    assert_eq!(botocore["some profile"]["aws_access_key_id"], KEY_ID);

    let out = run_ok(&s, &["list"]);
    let table = stdout(&out);
    assert!(table.contains("some profile (not portable)"), "{table}");
    assert!(table.contains("personal (not portable)"), "{table}");
    assert!(!table.contains("ok (not portable)"), "{table}");
    let warnings = stderr(&out);
    assert!(
        warnings.contains("credwiz rename 'some profile' some-profile"),
        "{warnings}"
    );
    assert!(
        warnings.contains("line 2")
            && warnings.contains("remove the quotes: credwiz rename personal personal"),
        "{warnings}"
    );
    assert_no_secret(&out, &[SECRET, SECRET2]);
}

#[test]
fn show_takes_the_aws_cli_name_and_says_who_skips_it() {
    let s = sandbox();
    let out = run_ok(&s, &["show", "some profile"]);
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "[some profile]\n  not portable: the AWS CLI (botocore) reads it as `some profile`"
        ),
        "{text}"
    );
    assert!(
        text.contains("region") && text.contains("us-east-2"),
        "{text}"
    );
    assert_no_secret(&out, &[SECRET]);
    let out = run_ok(&s, &["show", "personal", "--json"]);
    let shown: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(shown["skipped_by"], json!(["go", "rust"]));
    assert!(
        shown["not_portable"]
            .as_str()
            .unwrap()
            .contains("the Go SDK as `\"personal\"`")
    );
    assert_eq!(shown["settings"][0]["key"], "region");
    assert_eq!(shown["settings"][0]["line"], 3);
    let out = run_ok(&s, &["show", "ok", "--json"]);
    let shown: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(shown["skipped_by"], json!([]));
    assert!(shown.get("not_portable").is_none());
}

#[test]
fn rename_gives_a_portable_name_in_both_files_and_botocore_reads_it() {
    let s = sandbox();
    let before = s.botocore_profiles();
    let (config_before, credentials_before) = s.read_text();
    run_ok(&s, &["rename", "some profile", "some-profile"]);
    let (config, creds) = s.read_text();
    assert_eq!(
        config,
        config_before.replace("[profile 'some profile']", "[profile some-profile]")
    );
    assert_eq!(
        creds,
        credentials_before.replace("[some profile]", "[some-profile]")
    );
    let mut want = before.clone();
    let moved = want
        .as_object_mut()
        .unwrap()
        .remove("some profile")
        .unwrap();
    want["some-profile"] = moved;
    assert_eq!(s.botocore_profiles(), want);
    let list = list_json(&s);
    let renamed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "some-profile")
        .expect("listed under its new name");
    assert_eq!(renamed["skipped_by"], json!([]));
}

#[test]
fn rename_to_the_same_name_removes_the_quotes_and_keeps_the_comment() {
    let s = sandbox();
    let before = s.botocore_profiles();
    let (config_before, credentials_before) = s.read_text();
    let out = run_ok(&s, &["rename", "personal", "personal"]);
    assert!(
        stdout(&out).contains("rewrote the headers of `personal`"),
        "{}",
        stdout(&out)
    );
    let (config, creds) = s.read_text();
    assert_eq!(
        config,
        config_before.replace("[profile \"personal\"] # home", "[profile personal] # home")
    );
    assert_eq!(creds, credentials_before);
    assert_eq!(s.botocore_profiles(), before, "botocore reads the same");
    // Now the SDKs read it too: it is a name like any other.
    let out = s.run(&["rename", "personal", "personal"], "");
    assert!(
        stderr(&out).contains("a profile named `personal` already exists"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.read_text().0, config, "nothing written the second time");
}

#[test]
fn renaming_a_credentials_only_name_rewrites_its_header() {
    let s = sandbox();
    run_ok(&s, &["rename", "cred only", "cred-only"]);
    let creds = s.read_text().1;
    assert!(
        creds.contains("\n[cred-only]\n") && !creds.contains("[cred only]"),
        "{creds}"
    );
    let profiles = s.botocore_profiles();
    assert_eq!(profiles["cred-only"]["aws_access_key_id"], KEY_ID2);
    assert!(profiles.get("cred only").is_none());
}

#[test]
fn the_new_name_must_be_portable_and_nothing_is_written_otherwise() {
    let s = sandbox();
    let before = s.read();
    let out = s.run(&["rename", "personal", "my personal"], "");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("found a space at position 3"),
        "{}",
        stderr(&out)
    );
    let out = s.run(&["rename", "some profile", "ok"], "");
    assert!(
        stderr(&out).contains("a profile named `ok` already exists"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.read(), before);
}

#[test]
fn add_refuses_such_a_name_and_sees_the_existing_one() {
    let s = sandbox();
    let before = s.read();
    let out = s.add("some profile", KEY_ID2, &format!("{SECRET2}\n"), &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("profile names may contain only"),
        "{}",
        stderr(&out)
    );
    let out = s.add("personal", KEY_ID2, &format!("{SECRET2}\n"), &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("profile `personal` already exists"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.read(), before);
}

#[test]
fn remove_takes_the_aws_cli_name_from_both_files() {
    let s = sandbox();
    let mut want = s.botocore_profiles();
    run_ok(&s, &["remove", "some profile", "--yes"]);
    want.as_object_mut().unwrap().remove("some profile");
    assert_eq!(s.botocore_profiles(), want);
    let (config, creds) = s.read_text();
    assert!(!config.contains("some profile") && !creds.contains("some profile"));
    assert!(
        config.contains("[profile \"personal\"] # home"),
        "others untouched"
    );
    run_ok(&s, &["remove", "personal", "--yes"]);
    want.as_object_mut().unwrap().remove("personal");
    assert_eq!(s.botocore_profiles(), want);
}

#[test]
fn use_makes_such_a_profile_the_default() {
    let s = sandbox();
    run_ok(&s, &["use", "some profile"]);
    let profiles = s.botocore_profiles();
    assert_eq!(profiles["default"]["aws_access_key_id"], KEY_ID);
    assert_eq!(profiles["default"]["region"], "us-east-2");
    assert_eq!(profiles["some profile"]["aws_access_key_id"], KEY_ID);
}

#[test]
fn verify_finds_such_a_profile() {
    let s = sandbox();
    // `personal` holds no keys: verify names it and says what it is, rather than
    // saying that it does not exist.
    let out = s.run(&["verify", "personal"], "");
    assert!(
        !stderr(&out).contains("no profile named"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("`personal`"), "{}", stderr(&out));
}

/// botocore's names for headers credwiz reads only as botocore does (shell-style words).
#[test]
fn botocore_and_credwiz_name_the_same_profiles() {
    let config = "[profile \"a b\"]\nk = 1\n[profile a\\ c]\nk = 2\n[profile \"d\"e]\nk = 3\n[profile x y z]\nk = 4\n[profile \"unclosed]\nk = 5\n[profile\t't t']\nk = 6\n[profile \"q\\\"r\"]\nk = 7\n[profile plain]\nk = 8\n[profilefoo]\nk = 9\n[profile \"p q\"] # note\nk = 10\n[profile foo!bar]\nk = 11\n";
    let credentials = "['quoted']\nk = 1\n[with space]\nk = 2\n";
    let s = Sandbox::with_files(config, credentials);
    let listed: Vec<String> = list_json(&s)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, botocore_names(&s));
    assert!(listed.contains(&"q\"r".to_string()), "{listed:?}");
}

#[test]
fn an_indented_header_is_read_as_the_aws_cli_reads_it_and_named_in_a_warning() {
    let config =
        "\t[profile x]\nregion = eu-west-1\n[profile a]\n  [default]\nregion = us-east-1\n";
    let s = Sandbox::with_files(config, "");
    let profiles = s.botocore_profiles();
    let out = run_ok(&s, &["list", "--json"]);
    let list: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["default", "a", "x"]);
    assert_eq!(profiles["x"]["region"], "eu-west-1");
    assert_eq!(list[2]["region"], "eu-west-1");
    assert_eq!(profiles["default"]["region"], "us-east-1");
    assert_eq!(list[0]["region"], "us-east-1");
    let warnings = stderr(&out);
    for (line, header) in [(1, "[profile x]"), (4, "[default]")] {
        let warning = warnings
            .lines()
            .find(|w| w.contains(&format!("config line {line}:")))
            .unwrap_or_else(|| panic!("a warning for line {line}: {warnings}"));
        assert!(
            warning.contains(&format!("`{header}` is indented")),
            "{warning}"
        );
        assert!(
            warning.contains("the AWS CLI (botocore) and the JS and Go SDKs read it"),
            "{warning}"
        );
        assert!(warning.contains("(Rust, Java) refuse it"), "{warning}");
        assert!(
            warning.contains(&format!("remove the spaces before `[` on line {line}")),
            "{warning}"
        );
        assert!(warning.contains("credwiz doctor --fix"), "{warning}");
    }
    let doctor = s.run(&["doctor"], "");
    assert!(stdout(&doctor).contains("is indented") || stderr(&doctor).contains("is indented"));
}

#[test]
fn renaming_a_profile_with_an_indented_header_unindents_it() {
    let config = "\t[profile x] # c\nregion = eu-west-1\n[profile a]\nregion = y\n";
    let s = Sandbox::with_files(config, "");
    run_ok(&s, &["rename", "x", "z"]);
    assert_eq!(
        s.read_text().0,
        "[profile z] # c\nregion = eu-west-1\n[profile a]\nregion = y\n"
    );
    assert_eq!(s.botocore_profiles()["z"]["region"], "eu-west-1");
}

#[test]
fn an_indented_header_after_a_setting_continues_it_for_every_reader() {
    // botocore and the SDKs' spec agree: the line is part of `region`'s value.
    let config = "[profile a]\nregion = x\n  [profile b]\n";
    let s = Sandbox::with_files(config, "");
    let names: Vec<String> = list_json(&s)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, botocore_names(&s));
    assert_eq!(names, ["a"]);
}

#[test]
fn an_indented_header_inside_a_sub_property_is_an_error_that_says_so() {
    let s = Sandbox::with_files("[profile a]\ns3 =\n  [profile b]\nregion = x\n", "");
    let before = s.read();
    let out = s.run(&["list"], "");
    assert!(!out.status.success());
    let error = stderr(&out);
    assert!(
        error.contains(&format!("{} line 3:", s.config.display())),
        "{error}"
    );
    assert!(error.contains("this section header is indented"), "{error}");
    assert!(
        error.contains("remove the spaces before `[` on line 3"),
        "{error}"
    );
    assert!(error.contains("credwiz doctor --fix"), "{error}");
    assert_eq!(s.read(), before);
}

#[test]
fn show_lists_the_sso_session_settings_with_their_lines() {
    let config = "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n";
    let s = Sandbox::with_files(config, "");
    let out = run_ok(&s, &["show", "dev"]);
    let text = stdout(&out);
    let path = s.config.display().to_string();
    assert!(
        text.contains(&format!("from [sso-session corp]    ({path}:6)")),
        "{text}"
    );
    assert!(
        text.contains(&format!("https://corp.awsapps.com/start    ({path}:7)")),
        "{text}"
    );
    assert!(text.contains(&format!("eu-west-1    ({path}:8)")), "{text}");
    let out = run_ok(&s, &["show", "dev", "--json"]);
    let shown: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let session = &shown["sso_session"];
    assert_eq!(session["name"], "corp");
    assert_eq!(session["line"], 6);
    let settings: Vec<(&str, &str, u64)> = session["settings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["key"].as_str().unwrap(),
                s["value"].as_str().unwrap(),
                s["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        settings,
        [
            ("sso_region", "eu-west-1", 8),
            ("sso_start_url", "https://corp.awsapps.com/start", 7)
        ]
    );
    let botocore = s.python(
        "import json, botocore.session\nprint(json.dumps(botocore.session.Session().full_config['sso_sessions']))",
    );
    let botocore: Value = serde_json::from_str(&botocore).unwrap();
    assert_eq!(
        botocore["corp"]["sso_start_url"],
        "https://corp.awsapps.com/start"
    );
    assert_eq!(botocore["corp"]["sso_region"], "eu-west-1");
}
