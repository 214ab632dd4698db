//! Key age against moto's IAM and STS on loopback, with moto's signature checking on:
//! `verify` of an IAM user's keys asks `ListAccessKeys` when the key was made and keeps
//! it in credwiz's state; `list --json` and `show` then say it. A user who may not list
//! her keys still verifies; the age stays unknown. And doctor's 90-day warning, from a
//! state file that says the key is old.

mod common;

use std::process::Output;

use common::moto::{Moto, start_moto};
use common::*;
use serde_json::Value;

/// Turns on signature checking after the requests that create two users with one key
/// each: alice may call IAM and STS, bob only STS `GetCallerIdentity`. Returns each
/// user's (key ID, secret, creation time as IAM lists it).
fn moto_users(s: &Sandbox, moto: &Moto) -> Vec<(String, String, String)> {
    let script = format!(
        "import boto3, json, urllib.request\n\
         url = 'http://127.0.0.1:{port}'\n\
         urllib.request.urlopen(urllib.request.Request(url + '/moto-api/reset-auth', data=b'6', headers={{'Content-Type': 'text/plain'}}, method='POST'))\n\
         iam = boto3.client('iam', endpoint_url=url, region_name='us-east-1', aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='x' * 40)\n\
         def user(name, actions):\n\
         \x20   iam.create_user(UserName=name)\n\
         \x20   policy = {{'Version': '2012-10-17', 'Statement': [{{'Effect': 'Allow', 'Action': actions, 'Resource': '*'}}]}}\n\
         \x20   iam.put_user_policy(UserName=name, PolicyName='p', PolicyDocument=json.dumps(policy))\n\
         \x20   key = iam.create_access_key(UserName=name)['AccessKey']\n\
         \x20   print(key['AccessKeyId'], key['SecretAccessKey'], key['CreateDate'].strftime('%Y-%m-%d'))\n\
         user('alice', ['iam:*', 'sts:*'])\n\
         user('bob', ['sts:GetCallerIdentity'])",
        port = moto.port
    );
    s.python(&script)
        .lines()
        .map(|line| {
            let parts: Vec<&str> = line.split_whitespace().collect();
            (
                parts[0].to_string(),
                parts[1].to_string(),
                parts[2].to_string(),
            )
        })
        .collect()
}

fn at_moto(s: &Sandbox, moto: &Moto, args: &[&str]) -> Output {
    s.credwiz()
        .args(args)
        .env(
            "AWS_ENDPOINT_URL",
            format!("http://127.0.0.1:{}", moto.port),
        )
        .output()
        .unwrap()
}

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
    let users = moto_users(&s, &moto);
    let [(alice, alice_secret, alice_made), (bob, bob_secret, _)] = &users[..] else {
        panic!("two users: {users:?}");
    };
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

    let out = at_moto(&s, &moto, &["verify", "alice"]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains(&format!("key created {alice_made}, ")),
        "{said}"
    );
    assert_no_secret(&out, &[alice_secret, bob_secret]);

    // bob may not list his keys: verify still works, the age stays unknown.
    let out = at_moto(&s, &moto, &["verify", "bob"]);
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
