//! Interop with the real AWS CLI: botocore (its parser) must read exactly the intended
//! profiles after every kind of credwiz edit, and credwiz must read what
//! `aws configure set` wrote exactly as botocore does.

mod common;

use common::*;
use credwiz::store::{Editor, Store, StoreError};
use serde_json::{Value, json};

const FIXTURE_CONFIG: &str = include_str!("fixtures/config");
const FIXTURE_CREDENTIALS: &str = include_str!("fixtures/credentials");

/// What botocore must see in the untouched fixtures.
fn fixture_profiles() -> Value {
    json!({
        "default": {"region": "us-east-1", "output": "json",
                    "aws_access_key_id": KEY_ID, "aws_secret_access_key": SECRET},
        "work": {"region": "eu-west-1",
                 "s3": {"max_concurrent_requests": "20", "addressing_style": "path"},
                 "cli_pager": "",
                 "aws_access_key_id": KEY_ID2, "aws_secret_access_key": SECRET2},
        "dev-sso": {"sso_session": "corp", "sso_account_id": "111122223333", "sso_role_name": "Developer"},
        "admin": {"role_arn": "arn:aws:iam::123456789012:role/admin", "source_profile": "work"},
        "empty": {}
    })
}

fn fixture() -> Sandbox {
    Sandbox::with_files(FIXTURE_CONFIG, FIXTURE_CREDENTIALS)
}

fn store(s: &Sandbox) -> Store {
    Store::at(s.config.clone(), s.credentials.clone())
}

fn edit(s: &Sandbox, change: impl FnMut(&mut Editor) -> Result<(), StoreError>) {
    store(s).edit(change).expect("edit succeeds");
}

#[test]
fn botocore_reads_the_fixtures_as_intended() {
    assert_eq!(fixture().botocore_profiles(), fixture_profiles());
}

#[test]
fn after_add_botocore_sees_the_new_profile_and_the_rest_unchanged() {
    let s = fixture();
    let out = s.add(
        "new",
        TEMP_KEY_ID,
        &format!("{SECRET}\n{TOKEN}\n"),
        &["--region", "ca-central-1", "--output", "table"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut want = fixture_profiles();
    want["new"] = json!({"region": "ca-central-1", "output": "table", "aws_access_key_id": TEMP_KEY_ID,
                         "aws_secret_access_key": SECRET, "aws_session_token": TOKEN});
    assert_eq!(s.botocore_profiles(), want);
}

#[test]
fn after_replacing_keys_botocore_sees_the_new_ones() {
    let s = fixture();
    let out = s.add(
        "work",
        KEY_ID,
        &format!("{SECRET}\n"),
        &["--force", "--output", "text"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut want = fixture_profiles();
    want["work"]["aws_access_key_id"] = json!(KEY_ID);
    want["work"]["aws_secret_access_key"] = json!(SECRET);
    want["work"]["output"] = json!("text");
    assert_eq!(s.botocore_profiles(), want);
}

#[test]
fn after_setting_and_removing_keys_botocore_agrees() {
    let s = fixture();
    edit(&s, |e| {
        e.set(
            "default",
            &[("region", "eu-north-1"), ("cli_pager", "less")],
        )?;
        e.set("admin", &[("duration_seconds", "3600")])?;
        e.remove_keys("work", &["s3", "cli_pager"])
    });
    let mut want = fixture_profiles();
    want["default"]["region"] = json!("eu-north-1");
    want["default"]["cli_pager"] = json!("less");
    want["admin"]["duration_seconds"] = json!("3600");
    want["work"].as_object_mut().unwrap().remove("s3");
    want["work"].as_object_mut().unwrap().remove("cli_pager");
    assert_eq!(s.botocore_profiles(), want);
}

#[test]
fn after_removing_and_renaming_profiles_botocore_agrees() {
    let s = fixture();
    edit(&s, |e| {
        e.remove_profile("admin")?;
        e.rename_profile("work", "prod")?;
        e.rename_profile("empty", "spare")
    });
    let mut want = fixture_profiles();
    let map = want.as_object_mut().unwrap();
    map.remove("admin");
    let work = map.remove("work").unwrap();
    map.insert("prod".into(), work);
    let empty = map.remove("empty").unwrap();
    map.insert("spare".into(), empty);
    assert_eq!(s.botocore_profiles(), want);
    let (config, _) = s.read_text();
    assert!(config.contains("[sso-session corp]") && config.contains("[plugins]"));
}

#[test]
fn a_failed_edit_writes_nothing() {
    let s = fixture();
    let before = s.read();
    let err = store(&s)
        .edit(|e| {
            e.set("default", &[("region", "eu-north-1")])?;
            e.rename_profile("work", "default")
        })
        .unwrap_err();
    assert!(
        err.to_string().contains("`default` already exists"),
        "{err}"
    );
    assert_eq!(s.read(), before);
}

/// Runs `aws configure set` for each (key, value, profile).
fn configure_set(s: &Sandbox, sets: &[(&str, &str, &str)]) {
    for (key, value, profile) in sets {
        s.aws(&["configure", "set", key, value, "--profile", profile]);
    }
}

#[test]
fn credwiz_reads_what_aws_configure_set_wrote_as_botocore_does() {
    let s = Sandbox::new();
    configure_set(
        &s,
        &[
            ("aws_access_key_id", KEY_ID, "default"),
            ("aws_secret_access_key", SECRET, "default"),
            ("region", "us-west-2", "default"),
            ("aws_access_key_id", TEMP_KEY_ID, "temp"),
            ("aws_secret_access_key", SECRET2, "temp"),
            ("aws_session_token", TOKEN, "temp"),
            ("output", "yaml", "temp"),
            ("role_arn", "arn:aws:iam::123456789012:role/x", "role"),
            ("source_profile", "default", "role"),
        ],
    );
    let botocore = s.botocore_profiles();
    assert_eq!(s.sdk_profiles().unwrap(), botocore);
    let snapshot = store(&s).load().unwrap();
    let parsed = snapshot.parse().unwrap();
    let set = parsed.profiles();
    let warnings = parsed.warnings(&set);
    assert!(warnings.is_empty(), "{warnings:?}");

    // And credwiz's own edits on top of the AWS CLI's file read back through botocore.
    let out = s.add("temp", KEY_ID2, &format!("{SECRET}\n"), &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = s.botocore_profiles();
    assert_eq!(after["temp"]["aws_access_key_id"], KEY_ID2);
    assert!(after["temp"].get("aws_session_token").is_none());
    assert_eq!(after["role"], botocore["role"]);
}

#[test]
fn editing_a_quoted_profile_name_unquotes_it_so_both_readers_agree() {
    let s = Sandbox::with_files("# mine\n[profile \"q\"]\nregion = eu-west-3\n", "");
    let out = s.add(
        "q",
        KEY_ID,
        &format!("{SECRET}\n"),
        &["--force", "--output", "json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        s.read_text().0,
        "# mine\n[profile q]\nregion = eu-west-3\noutput = json\n"
    );
    let want = json!({"q": {"region": "eu-west-3", "output": "json",
                            "aws_access_key_id": KEY_ID, "aws_secret_access_key": SECRET}});
    assert_eq!(s.botocore_profiles(), want);
    let snapshot = store(&s).load().unwrap();
    let parsed = snapshot.parse().unwrap();
    assert_eq!(
        parsed.profiles().profiles["q"].get("region"),
        Some("eu-west-3")
    );
}

/// `credwiz doctor` calls an error exactly the regions and output formats the AWS CLI
/// refuses (asked of botocore's region check and the AWS CLI's formatter), warns about
/// plainly mistaken regions, and leaves S3-compatible services' own regions alone.
#[test]
fn doctor_flags_the_values_the_aws_cli_refuses() {
    let config = "[profile zone]\nregion = eu-west-1a\n[profile upper]\nregion = US-EAST-1\n\
                  [profile wrapped]\nregion = x\n  continued\n[profile spaced]\nregion = us east\n\
                  [profile format]\noutput = jsno\n[profile r2]\nregion = auto\noutput = json\n";
    let s = Sandbox::with_files(config, "");
    let out = s.run(&["doctor"], "");
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    let errors: Vec<&str> = report.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 3, "{report}");
    for (profile, line, what) in [
        ("wrapped", 6, "goes on over the indented line below it"),
        ("spaced", 9, "refuses the region `us east`"),
        ("format", 11, "refuses the output format `jsno`"),
    ] {
        assert!(
            errors.iter().any(
                |e| e.contains(&format!("line {line}: profile `{profile}`: ")) && e.contains(what)
            ),
            "{profile}: {report}"
        );
    }
    assert!(report.contains("line 2: profile `zone`: region `eu-west-1a`: this is an availability zone; its region is eu-west-1"), "{report}");
    assert!(
        report.contains(
            "line 4: profile `upper`: region `US-EAST-1`: regions are lower case: us-east-1"
        ),
        "{report}"
    );
    assert!(!report.contains("`r2`"), "{report}");

    let refused = s.python(
        "import argparse, botocore.session\n\
         from awscli.formatter import get_formatter\n\
         refused = []\n\
         for name in ['zone', 'upper', 'wrapped', 'spaced', 'format', 'r2']:\n\
         \x20   session = botocore.session.Session(profile=name)\n\
         \x20   try:\n\
         \x20       session.create_client('sts', aws_access_key_id='a', aws_secret_access_key='b')\n\
         \x20       get_formatter(session.get_scoped_config().get('output', 'json'), argparse.Namespace(query=None))\n\
         \x20   except Exception:\n\
         \x20       refused.append(name)\n\
         print(' '.join(refused))\n",
    );
    assert_eq!(
        refused.trim(),
        "wrapped spaced format",
        "what the AWS CLI refuses"
    );
}
