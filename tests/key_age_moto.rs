//! Key age against moto's IAM and STS on loopback, with moto's signature checking on:
//! `verify` of an IAM user's keys asks `ListAccessKeys` when the key was made and keeps
//! it in credwiz's state; `list --json` and `show` then say it. A user who may not list
//! her keys still verifies; the age stays unknown. And doctor's 90-day warning, from a
//! state file that says the key is old.

mod common;

use common::moto::start_moto;
use common::*;
use serde_json::Value;

/// `key_created` of each profile in `list --json`, by name.
fn listed_key_created(s: &Sandbox) -> Vec<(String, Value)> {
    let out = s.run(&["list", "--json"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let profiles: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    profiles
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["key_created"].clone(),
            )
        })
        .collect()
}

#[test]
fn verify_records_when_the_key_was_made_and_list_and_show_say_it() {
    let s = Sandbox::new();
    let moto = start_moto();
    let users = moto.users(
        &s,
        &[
            ("alice", Some(&["iam:*", "sts:*"])),
            ("bob", Some(&["sts:GetCallerIdentity"])),
        ],
    );
    let [alice_user, bob_user] = &users[..] else {
        panic!("two users");
    };
    let (alice, alice_secret, alice_made) =
        (&alice_user.key_id, &alice_user.secret, &alice_user.created);
    let (bob, bob_secret) = (&bob_user.key_id, &bob_user.secret);
    s.write(
        "[profile alice]\nregion = us-east-1\n\n[profile bob]\nregion = us-east-1\n",
        &format!(
            "[alice]\naws_access_key_id = {alice}\naws_secret_access_key = {alice_secret}\n\n\
             [bob]\naws_access_key_id = {bob}\naws_secret_access_key = {bob_secret}\n"
        ),
    );
    let before = s.read_text();
    assert_eq!(
        listed_key_created(&s),
        [
            ("alice".to_string(), Value::Null),
            ("bob".to_string(), Value::Null)
        ],
        "nothing known before a verification"
    );

    let out = moto.credwiz(&s, &["verify", "alice"]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains(&format!("key created {alice_made}, ")),
        "{said}"
    );
    assert_no_secret(&out, &[alice_secret, bob_secret]);

    // bob may not list his keys: verify still works, the age stays unknown.
    let out = moto.credwiz(&s, &["verify", "bob"]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("the keys of `bob` work"), "{said}");
    assert!(
        said.contains("key age unknown: IAM ListAccessKeys refused"),
        "{said}"
    );
    assert!(!said.contains("key created"), "{said}");

    let listed = listed_key_created(&s);
    assert_eq!(listed[1], ("bob".to_string(), Value::Null));
    let (name, created) = &listed[0];
    assert_eq!(name, "alice");
    let created = created.as_str().expect("alice's key_created is known");
    assert!(created.starts_with(alice_made.as_str()), "{created}");

    let out = s.run(&["show", "alice"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("key created {alice_made}, ")),
        "{}",
        stdout(&out)
    );
    let out = s.run(&["show", "bob"], "");
    assert!(!stdout(&out).contains("key created"), "{}", stdout(&out));

    let state = std::fs::read_to_string(s.home.join(".config/credwiz/state.ini")).unwrap();
    assert!(state.contains(&format!("key_id={alice}")), "{state}");
    for secret in [alice_secret, bob_secret] {
        assert!(
            !state.contains(secret.as_str()),
            "a secret in the state file"
        );
    }
    assert_eq!(
        s.read_text(),
        before,
        "verify writes nothing into the AWS files"
    );

    // Another key in the profile since: the recorded age is not its age.
    s.write(
        "[profile alice]\nregion = us-east-1\n",
        &format!("[alice]\naws_access_key_id = {KEY_ID2}\naws_secret_access_key = {SECRET}\n"),
    );
    assert_eq!(listed_key_created(&s), [("alice".to_string(), Value::Null)]);
    let out = s.run(&["show", "alice"], "");
    assert!(!stdout(&out).contains("key created"), "{}", stdout(&out));
}

/// A state file (as credwiz writes it) that says `work`'s key was made on `created`.
fn state_saying(s: &Sandbox, key_id: &str, created: &str) {
    let dir = s.home.join(".config/credwiz");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("state.ini"),
        format!(
            "[verified work]\ntime=2026-01-01T00:00:00Z\nok=true\narn=arn:aws:iam::123456789012:user/me\nkey_id={key_id}\nkey_created={created}\n"
        ),
    )
    .unwrap();
}

#[test]
fn doctor_warns_about_a_key_older_than_ninety_days_and_names_rotate() {
    let s = Sandbox::with_files(
        "[profile work]\nregion = us-east-1\n",
        &format!("[work]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"),
    );
    state_saying(&s, KEY_ID, "2020-01-01T00:00:00Z");
    let out = s.run(&["doctor"], "");
    let said = stdout(&out);
    assert!(
        said.contains("the access key of `work` is")
            && said.contains("created 2020-01-01")
            && said.contains("credwiz rotate work"),
        "{said}"
    );
    let out = s.run(&["show", "work"], "");
    assert!(
        stdout(&out).contains("key created 2020-01-01, "),
        "{}",
        stdout(&out)
    );

    // A key made just now is not due; nor is an old age recorded for another key.
    state_saying(&s, KEY_ID, &today());
    assert!(!stdout(&s.run(&["doctor"], "")).contains("credwiz rotate"));
    state_saying(&s, KEY_ID2, "2020-01-01T00:00:00Z");
    assert!(!stdout(&s.run(&["doctor"], "")).contains("credwiz rotate"));
}

/// Today as RFC 3339, the way Python (not credwiz) says it.
fn today() -> String {
    let s = Sandbox::new();
    s.python("import datetime; print(datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))")
        .trim()
        .to_string()
}
