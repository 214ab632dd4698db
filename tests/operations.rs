//! The profile operations as scripts use them: `use`, `env`, `rename`, `remove`,
//! `import`. After each, botocore (the AWS CLI's parser) must see exactly the intended
//! profiles and every line outside the touched sections must be unchanged.

mod common;

use common::*;
use serde_json::json;

const CONFIG: &str = include_str!("fixtures/ops-config");
const CREDENTIALS: &str = include_str!("fixtures/ops-credentials");

fn fixture() -> Sandbox {
    Sandbox::with_files(CONFIG, CREDENTIALS)
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "stdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
    stdout(out)
}

/// What the AWS CLI resolves with no profile selected: (access key, region, output).
fn resolved_default(s: &Sandbox) -> (String, String, String) {
    let out = s.python(
        "import botocore.session\n\
         s = botocore.session.Session()\n\
         c = s.get_credentials()\n\
         print(c.access_key if c else None)\n\
         print(s.get_config_variable('region'))\n\
         print(s.get_scoped_config().get('output'))",
    );
    let lines: Vec<String> = out.lines().map(str::to_string).collect();
    (lines[0].clone(), lines[1].clone(), lines[2].clone())
}

#[test]
fn use_makes_the_aws_cli_resolve_the_profile_and_keeps_the_previous_default() {
    let s = fixture();
    let before = s.read_text();
    let out = ok(&s.run(&["use", "work"], ""));
    assert!(out.contains("kept as `previous-default`"), "{out}");
    assert_eq!(
        resolved_default(&s),
        (KEY_ID2.into(), "eu-west-1".into(), "table".into())
    );

    let profiles = s.botocore_profiles();
    assert_eq!(
        profiles["previous-default"],
        json!({"region": "us-east-1", "output": "json", "aws_access_key_id": KEY_ID, "aws_secret_access_key": SECRET})
    );
    assert_eq!(
        profiles["default"]["s3"],
        json!({"max_concurrent_requests": "20"})
    );
    // admin took its keys from `default`: it follows the previous default to its name.
    assert_eq!(profiles["admin"]["source_profile"], "previous-default");
    assert_eq!(profiles["deploy"]["source_profile"], "work");
    assert_only_touched(
        &before,
        &s.read_text(),
        &["default", "previous-default", "admin"],
    );
}

#[test]
fn use_on_a_profile_chained_to_default_never_refers_to_itself() {
    let s = fixture();
    let mut want = s.botocore_profiles();
    ok(&s.run(&["use", "admin"], ""));
    want["previous-default"] = want["default"].clone();
    want["admin"]["source_profile"] = json!("previous-default");
    want["default"] = want["admin"].clone();
    assert_eq!(s.botocore_profiles(), want);
    assert_eq!(
        want["default"],
        json!({"role_arn": "arn:aws:iam::123456789012:role/admin", "source_profile": "previous-default", "region": "us-west-2"})
    );
}

/// Another profile holding the default's keys and settings: nothing is saved. (Holding
/// only the keys is not enough: see the test after the next.)
#[test]
fn use_saves_nothing_when_another_profile_holds_all_of_the_default() {
    let s = fixture();
    let same = ["--region", "us-east-1", "--output", "json"];
    ok(&s.add("copy", KEY_ID, &format!("{SECRET}\n"), &same));
    let out = ok(&s.run(&["use", "work"], ""));
    assert!(out.contains("also in `copy`, settings and all"), "{out}");
    let profiles = s.botocore_profiles();
    assert!(profiles.get("previous-default").is_none());
    assert_eq!(profiles["admin"]["source_profile"], "copy");
    assert_no_secret(&s.run(&["use", "copy"], ""), &[SECRET, SECRET2]);
}

/// What happens to the previous default, as the confirmation tells it: none at all, one
/// with no keys of its own, or one whose keys another profile holds.
#[test]
fn make_default_says_what_becomes_of_the_previous_default() {
    use credwiz::store::Store;
    use credwiz::store::ops::{self, Previous};
    let keys = format!("[dev]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n");
    for (config, previous) in [
        ("", Previous::NoDefault),
        ("[default]\nregion = eu-west-1\n", Previous::Nothing),
    ] {
        let s = Sandbox::with_files(config, &keys);
        let store = Store::at(s.config.clone(), s.credentials.clone());
        let (made, _) = store
            .dry_run(|editor| ops::make_default(editor, "dev"))
            .unwrap();
        assert_eq!(made.previous, previous, "{config:?}");
    }
    let s = Sandbox::with_files(
        "",
        &format!(
            "{keys}[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let (made, _) = store
        .dry_run(|editor| ops::make_default(editor, "dev"))
        .unwrap();
    assert_eq!(made.previous, Previous::HeldBy("dev".into()));
}

/// A default whose keys another profile holds but whose region differs is kept whole
/// (its region is nowhere else); a default with no keys says which of its settings go.
#[test]
fn making_a_default_never_drops_a_setting_of_the_old_one_unsaid() {
    let keys = format!(
        "[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\n\
         [dev]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\n\
         [work]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET2}\n"
    );
    let s = Sandbox::with_files(
        "[default]\nregion = eu-central-1\n\n[profile work]\nregion = us-east-1\n",
        &keys,
    );
    let out = ok(&s.run(&["use", "work"], ""));
    assert!(out.contains("kept as `previous-default`"), "{out}");
    let profiles = s.botocore_profiles();
    assert_eq!(profiles["previous-default"]["region"], "eu-central-1");
    assert_eq!(profiles["previous-default"]["aws_access_key_id"], KEY_ID);
    assert_eq!(profiles["default"]["region"], "us-east-1");

    let s = Sandbox::with_files(
        "[default]\nregion = eu-central-1\noutput = text\n\n[profile work]\nregion = us-east-1\n",
        &format!("[work]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET2}\n"),
    );
    let out = ok(&s.run(&["use", "work"], ""));
    assert!(
        out.contains("no keys of its own; its output = text, region = eu-central-1 go."),
        "{out}"
    );
}

#[test]
fn use_refuses_unknown_profiles_and_knows_the_default() {
    let s = fixture();
    let before = s.read();
    let out = s.run(&["use", "nope"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no profile named `nope`"));
    assert!(ok(&s.run(&["use", "default"], "")).contains("already the default"));
    assert_eq!(s.read(), before);
}

/// Keys already in the environment, as a user may have them, which `env` must unset.
const PRESET_KEYS: &[(&str, &str)] = &[
    ("AWS_ACCESS_KEY_ID", KEY_ID),
    ("AWS_SECRET_ACCESS_KEY", SECRET),
];

#[test]
fn env_selects_the_profile_in_bash_zsh_and_fish_over_preset_keys() {
    let s = fixture();
    let check =
        "import botocore.session; print(botocore.session.Session().get_credentials().access_key)";
    for shell in ["bash", "zsh"] {
        let script = format!(
            "eval \"$(credwiz env work)\"; echo \"$AWS_PROFILE ${{AWS_ACCESS_KEY_ID:-unset}}\"; python3 -c '{check}'"
        );
        assert_eq!(
            in_shell(&s, shell, &script, PRESET_KEYS).trim(),
            format!("work unset\n{KEY_ID2}"),
            "{shell}"
        );
    }
    let fish = format!(
        "eval \"$(credwiz env work)\"; set -q AWS_ACCESS_KEY_ID; or set k unset; echo \"$AWS_PROFILE $k\"; python3 -c '{check}'"
    );
    assert_eq!(
        in_shell(&s, "fish", &fish, PRESET_KEYS).trim(),
        format!("work unset\n{KEY_ID2}")
    );
    let missing = s.run(&["env", "nope"], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(stdout(&missing).is_empty());
}

#[test]
fn rename_moves_both_sections_and_references_follow() {
    let s = fixture();
    let before = s.read_text();
    let out = ok(&s.run(&["rename", "work", "prod"], ""));
    assert!(
        out.contains("source_profile of deploy now names `prod`"),
        "{out}"
    );
    let profiles = s.botocore_profiles();
    assert!(profiles.get("work").is_none());
    assert_eq!(profiles["prod"]["aws_access_key_id"], KEY_ID2);
    assert_eq!(profiles["prod"]["output"], "table");
    assert_eq!(profiles["deploy"]["source_profile"], "prod");
    let after = s.read_text();
    assert_eq!(
        lines_outside(&before.0, &["work", "deploy"]),
        lines_outside(&after.0, &["prod", "deploy"])
    );
    assert_eq!(
        lines_outside(&before.1, &["work"]),
        lines_outside(&after.1, &["prod"])
    );
}

#[test]
fn renaming_the_default_takes_its_dependents_along() {
    let s = fixture();
    ok(&s.run(&["rename", "default", "main"], ""));
    let profiles = s.botocore_profiles();
    assert!(profiles.get("default").is_none());
    assert_eq!(profiles["main"]["aws_access_key_id"], KEY_ID);
    assert_eq!(profiles["admin"]["source_profile"], "main");
}

#[test]
fn rename_errors_write_nothing() {
    let s = fixture();
    let before = s.read();
    for (args, reason) in [
        (
            ["rename", "work", "admin"],
            "`admin` already exists; choose another name",
        ),
        (["rename", "nope", "x"], "no profile named `nope`"),
        (["rename", "work", "bad name"], "found a space"),
    ] {
        let out = s.run(&args, "");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains(reason), "{args:?}: {}", stderr(&out));
        assert_eq!(s.read(), before);
    }
}

#[test]
fn remove_needs_yes_off_a_terminal_and_respects_dependents() {
    let s = fixture();
    let before = s.read_text();
    let out = s.run(&["remove", "dev-sso"], "y\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("pass --yes"), "{}", stderr(&out));
    // What refuses the removal is said first, before any question.
    let out = s.run(&["remove", "work"], "y\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("source_profile of deploy"),
        "{}",
        stderr(&out)
    );

    let out = s.run(&["remove", "work", "--yes"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("source_profile of deploy"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.read_text(), before);

    let mut want = s.botocore_profiles();
    ok(&s.run(&["remove", "dev-sso", "--yes"], ""));
    want.as_object_mut().unwrap().remove("dev-sso");
    assert_eq!(s.botocore_profiles(), want);
    assert_only_touched(&before, &s.read_text(), &["dev-sso"]);
    assert!(s.read_text().0.contains("[sso-session corp]"));

    let out = s.run(&["remove", "work", "--yes", "--force"], "");
    ok(&out);
    assert!(
        stderr(&out).contains("`deploy` still takes its credentials from `work`"),
        "{}",
        stderr(&out)
    );
    let profiles = s.botocore_profiles();
    assert!(profiles.get("work").is_none());
    assert_eq!(profiles["default"]["aws_access_key_id"], KEY_ID);
}

fn write_csv(s: &Sandbox, name: &str, content: &str) -> String {
    let path = s.dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

#[test]
fn import_reads_the_current_console_download() {
    let s = fixture();
    let before = s.read_text();
    let csv = write_csv(
        &s,
        "alice_accessKeys.csv",
        &format!("\u{feff}Access key ID,Secret access key\r\n{KEY_ID2},{SECRET2}\r\n"),
    );
    let mut want = s.botocore_profiles();
    let out = s.run(&["import", &csv], "");
    assert!(ok(&out).contains("imported profile `alice` (AKIA…VV7A)"));
    assert_no_secret(&out, &[SECRET2]);
    want["alice"] = json!({"aws_access_key_id": KEY_ID2, "aws_secret_access_key": SECRET2});
    assert_eq!(s.botocore_profiles(), want);
    assert_only_touched(&before, &s.read_text(), &["alice"]);

    let plain = write_csv(
        &s,
        "credentials.csv",
        &format!("Access key ID,Secret access key\n{KEY_ID},{SECRET}\n"),
    );
    let out = s.run(&["import", &plain], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("pass --profile NAME"),
        "{}",
        stderr(&out)
    );
    ok(&s.run(&["import", &plain, "--profile", "bob"], ""));
    assert_eq!(s.botocore_profiles()["bob"]["aws_access_key_id"], KEY_ID);
}

#[test]
fn import_reads_the_older_shapes_one_profile_per_user() {
    let s = fixture();
    let legacy = write_csv(
        &s,
        "users.csv",
        &format!(
            "User name,Password,Access key ID,Secret access key,Console login link\r\n\
             carol,\"p,w\",{KEY_ID},{SECRET},https://example.signin.aws.amazon.com/console\r\n\
             \"dave\",,{KEY_ID2},\"{SECRET2}\",\r\n"
        ),
    );
    ok(&s.run(&["import", &legacy], ""));
    let import = write_csv(
        &s,
        "import.csv",
        &format!("User Name,Access Key ID,Secret Access Key\nerin,{KEY_ID},{SECRET}\n"),
    );
    ok(&s.run(&["import", &import], ""));
    let profiles = s.botocore_profiles();
    assert_eq!(profiles["carol"]["aws_secret_access_key"], SECRET);
    assert_eq!(profiles["dave"]["aws_access_key_id"], KEY_ID2);
    assert_eq!(profiles["erin"]["aws_access_key_id"], KEY_ID);
}

#[test]
fn import_errors_name_the_row_and_write_nothing() {
    let s = fixture();
    let before = s.read();
    let bad_row = write_csv(
        &s,
        "bad.csv",
        &format!(
            "User Name,Access Key ID,Secret Access Key\nok,{KEY_ID},{SECRET}\nbroken,AIDAIOSFODNN7EXAMPLE,{SECRET}\n"
        ),
    );
    let out = s.run(&["import", &bad_row], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bad.csv line 3") && stderr(&out).contains("IAM user ID"),
        "{}",
        stderr(&out)
    );
    assert_no_secret(&out, &[SECRET]);
    assert_eq!(s.read(), before);

    let existing = write_csv(
        &s,
        "work_accessKeys.csv",
        &format!("Access key ID,Secret access key\n{KEY_ID},{SECRET}\n"),
    );
    let out = s.run(&["import", &existing], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("`work` already exists"),
        "{}",
        stderr(&out)
    );
    assert_eq!(s.read(), before);
    ok(&s.run(&["import", &existing, "--force"], ""));
    let profiles = s.botocore_profiles();
    assert_eq!(profiles["work"]["aws_access_key_id"], KEY_ID);
    assert_eq!(
        profiles["work"]["output"], "table",
        "other settings are kept"
    );
}

/// Rotating the keys of the profile the default was made from replaces them in the
/// default too (it held the same pair), says so, and touches nothing else.
#[test]
fn a_new_key_pair_replaces_the_old_one_in_the_default_that_held_it() {
    let s = fixture();
    ok(&s.run(&["use", "work"], ""));
    let old_key = s.botocore_profiles()["work"]["aws_access_key_id"].clone();
    assert_eq!(
        s.botocore_profiles()["default"]["aws_access_key_id"],
        old_key
    );
    let before = s.read_text();
    let out = s.add("work", KEY_ID, &format!("{SECRET}\n"), &["--force"]);
    let said = ok(&out);
    assert!(
        said.contains("the new key also replaces the old one in `default`, which held it"),
        "{said}"
    );
    let profiles = s.botocore_profiles();
    for name in ["work", "default"] {
        assert_eq!(profiles[name]["aws_access_key_id"], KEY_ID, "{name}");
        assert_eq!(profiles[name]["aws_secret_access_key"], SECRET, "{name}");
    }
    assert_only_touched(&before, &s.read_text(), &["work", "default"]);
    assert_no_secret(&out, &[SECRET]);

    // The same keys again: nothing to rotate, no word about other profiles.
    let said = ok(&s.add("work", KEY_ID, &format!("{SECRET}\n"), &["--force"]));
    assert!(!said.contains("also replaces"), "{said}");
}

/// Many profiles holding one key pair are a pattern the user chose: they are named, not
/// rewritten.
#[test]
fn a_key_pair_held_by_many_profiles_is_not_rotated_in_all_of_them() {
    let mut credentials = String::new();
    for i in 0..12 {
        credentials.push_str(&format!(
            "[p{i}]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET2}\n"
        ));
    }
    let s = Sandbox::with_files("", &credentials);
    let out = s.add("p0", KEY_ID, &format!("{SECRET}\n"), &["--force"]);
    ok(&out);
    assert!(
        stderr(&out).contains("the old key ID is in the files 11 more times"),
        "{}",
        stderr(&out)
    );
    let profiles = s.botocore_profiles();
    assert_eq!(profiles["p0"]["aws_access_key_id"], KEY_ID);
    assert_eq!(profiles["p11"]["aws_access_key_id"], KEY_ID2);
}

/// Plaintext keys saved over a profile whose secret was in the keyring: credwiz's
/// `credential_process` goes (and the key ID of its entry is handed back, for the caller
/// to delete); another program's `credential_process` is not credwiz's to remove.
#[test]
fn plaintext_keys_over_a_keyring_profile_take_its_credential_process_away() {
    use credwiz::store::{Store, ops};
    let config = format!(
        "# mine\n[profile vault]\ncredential_process = \"/usr/bin/credwiz\" credential-process --key-id {KEY_ID}\nregion = eu-west-1\n\n[profile other]\ncredential_process = aws-vault export --format=json other\n"
    );
    let s = Sandbox::with_files(&config, "");
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let save = |name: &str| {
        let profile = ops::NewProfile {
            name: name.to_string(),
            access_key_id: KEY_ID2.to_string(),
            secret: credwiz::domain::secret::Secret::new(SECRET2),
            token: None,
            region: None,
            output: None,
            endpoint_url: None,
        };
        store
            .edit(|editor| ops::save_profile(editor, &profile, true))
            .unwrap()
            .0
    };
    assert_eq!(save("vault").left_keyring.as_deref(), Some(KEY_ID));
    assert_eq!(save("other").left_keyring, None);
    let (config, credentials) = s.read_text();
    assert_eq!(
        config,
        "# mine\n[profile vault]\nregion = eu-west-1\n\n[profile other]\ncredential_process = aws-vault export --format=json other\n"
    );
    assert_eq!(
        s.botocore_profiles()["vault"]["aws_secret_access_key"],
        SECRET2
    );
    assert!(credentials.contains("[vault]") && credentials.contains("[other]"));
}
