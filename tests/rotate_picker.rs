//! Rotation through IAM from the picker's `k`: against moto's IAM and STS in a real
//! terminal (tmux), and in-process against stubs for what moto does not produce (an MFA
//! code asked in the dialog). The dialog narrates the steps `credwiz rotate` takes; the
//! files end as they do with the CLI.

mod common;

use common::moto::{ACCOUNT, Moto, start_moto};
use common::runner::{self, key, typed, until};
use common::*;
use credwiz::store::Store;
use credwiz::tui::picker::{Mode, Picker, data};
use credwiz::tui::runner::App;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Size;

const CONFIG: &str = "# my settings\n[profile work]\nregion = eu-west-1\n";

/// alice's keys as IAM lists them: (ID, status).
fn listed(s: &Sandbox, moto: &Moto, key: &str, secret: &str) -> Vec<(String, String)> {
    let script = format!(
        "import boto3\n\
         iam = boto3.client('iam', endpoint_url={url:?}, region_name='us-east-1', aws_access_key_id={key:?}, aws_secret_access_key={secret:?})\n\
         for k in iam.list_access_keys(UserName='alice')['AccessKeyMetadata']:\n\
         \x20   print(k['AccessKeyId'], k['Status'])\n",
        url = moto.url()
    );
    let mut keys: Vec<(String, String)> = s
        .python(&script)
        .lines()
        .map(|l| {
            let (id, status) = l.split_once(' ').unwrap();
            (id.to_string(), status.to_string())
        })
        .collect();
    keys.sort();
    keys
}

fn pair(s: &Sandbox, profile: &str) -> (String, String) {
    let profiles = s.botocore_profiles();
    (
        profiles[profile]["aws_access_key_id"]
            .as_str()
            .unwrap()
            .to_string(),
        profiles[profile]["aws_secret_access_key"]
            .as_str()
            .unwrap()
            .to_string(),
    )
}

/// alice (allowed everything) at moto, her key in profile `work`.
fn alice_in_work(s: &Sandbox, moto: &Moto) -> common::moto::MotoUser {
    let alice = moto
        .users(s, &[("alice", Some(&["iam:*", "sts:*"]))])
        .remove(0);
    s.write(
        CONFIG,
        &format!(
            "[work]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            alice.key_id, alice.secret
        ),
    );
    alice
}

/// The picker in a real terminal, every AWS endpoint pointed at moto.
fn picker_at(s: &Sandbox, moto: &Moto) -> Tmux {
    let t = Tmux::start(
        s,
        &format!("AWS_ENDPOINT_URL={} {}", moto.url(), credwiz_line("")),
    );
    t.wait_for("credwiz · 2 profiles");
    t
}

#[test]
fn k_rotates_through_iam_into_every_holder_then_deletes_the_old_key_when_asked() {
    let s = Sandbox::new();
    let moto = start_moto();
    let alice = &alice_in_work(&s, &moto);
    assert!(s.run(&["use", "work"], "").status.success());
    let before = s.read_text();

    let t = picker_at(&s, &moto);
    t.send(&["Down"]);
    t.send(&["k"]);
    t.wait_for("New key for `work`");
    let screen = t.wait_for("› Rotate through IAM, deactivating the old key");
    assert!(
        screen.contains("goes into `work` and") && screen.contains("`default`, is checked"),
        "the holders are named before anything is done:\n{screen}"
    );
    t.send(&["Enter"]);
    let screen = t.wait_for("Rotate the key of `work`?");
    assert!(
        screen.contains(&format!("belongs to arn:aws:iam::{ACCOUNT}:user/alice")),
        "{screen}"
    );
    assert_eq!(s.read_text(), before, "nothing is written before the yes");
    t.send(&["y"]);
    let screen = t.wait_for("✓ rotated the key of `work`");
    assert!(screen.contains("STS accepts the new key"), "{screen}");
    let (new, new_secret) = pair(&s, "work");
    assert_ne!(new, alice.key_id);
    assert!(!screen.contains(&new_secret[..8]), "{screen}");
    assert!(!screen.contains(&alice.secret[..8]), "{screen}");
    assert_eq!(pair(&s, "default"), (new.clone(), new_secret.clone()));
    // Every other byte as it was.
    let back = |text: &str| {
        text.replace(&new, &alice.key_id)
            .replace(&new_secret, &alice.secret)
    };
    let after = s.read_text();
    assert_eq!((back(&after.0), back(&after.1)), before);
    assert_eq!(
        listed(&s, &moto, &new, &new_secret),
        {
            let mut keys = vec![
                (alice.key_id.clone(), "Inactive".to_string()),
                (new.clone(), "Active".to_string()),
            ];
            keys.sort();
            keys
        },
        "the old key is deactivated, not deleted"
    );

    // Closed, the table holds the new key; `k` now offers to delete the old one.
    t.send(&["Enter"]);
    t.wait_for(&format!("…{}", &new[new.len() - 4..]));
    t.send(&["k"]);
    t.wait_for("Delete the old key the last rotation deactivated");
    t.send(&["Down", "Down", "Enter"]);
    t.wait_for(&format!("Delete the old key {}?", alice.key_id));
    t.send(&["y"]);
    t.wait_for(&format!("✓ deleted the old key {}", alice.key_id));
    assert_eq!(
        listed(&s, &moto, &new, &new_secret),
        [(new.clone(), "Active".to_string())]
    );
    t.send(&["Enter"]);
    assert_eq!(t.end_with(&["q"]), 0);
}

#[test]
fn a_no_at_the_question_closes_the_dialog_and_changes_nothing() {
    let s = Sandbox::new();
    let moto = start_moto();
    let alice = &alice_in_work(&s, &moto);
    let before = s.read_text();
    let t = Tmux::start(
        &s,
        &format!("AWS_ENDPOINT_URL={} {}", moto.url(), credwiz_line("")),
    );
    t.wait_for("credwiz · 1 profile");
    t.send(&["k"]);
    t.wait_for("› Rotate through IAM");
    t.send(&["Enter"]);
    t.wait_for("Rotate the key of `work`?");
    t.send(&["n"]);
    t.wait_for("the key of `work` was not rotated: nothing changed");
    assert_eq!(t.end_with(&["q"]), 0);
    assert_eq!(s.read_text(), before);
    assert_eq!(
        listed(&s, &moto, &alice.key_id, &alice.secret),
        [(alice.key_id.clone(), "Active".to_string())]
    );
}

/// A profile that names its MFA device: the dialog asks for the code, checks it as it is
/// typed, and the IAM calls go with the session the code opened.
#[test]
fn the_dialog_asks_for_the_mfa_code_and_signs_in_with_it() {
    let serial = "arn:aws:iam::609629065308:mfa/alice";
    let s = Sandbox::with_files(
        &format!("[profile work]\nmfa_serial = {serial}\n"),
        &format!("[work]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"),
    );
    let before = s.read_text();
    let session = session_body();
    let (sts, sts_requests) = answers(vec![(200, ok_body(USER_ARN)), (200, session)]);
    // IAM refuses the first call made with the session: the run ends there.
    let (iam, iam_requests) = answers(vec![(403, iam_error("AccessDenied", "stop here"))]);
    let env = move |name: &str| match name {
        "AWS_ENDPOINT_URL_STS" => Some(format!("http://127.0.0.1:{sts}")),
        "AWS_ENDPOINT_URL_IAM" => Some(format!("http://127.0.0.1:{iam}")),
        _ => None,
    };
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let data = data::load(&store, &|_| None).unwrap();
    let mut app = App::picker(Picker::new(data, Mode::Manage, Some("work")));
    let mut steps = vec![
        key(KeyCode::Char('k')),
        key(KeyCode::Enter),
        until("IAM wants MFA: type the code"),
    ];
    steps.extend(typed("12a"));
    steps.push(until("✗ an MFA code is 6 digits; `a` is not a digit"));
    steps.push(key(KeyCode::Backspace));
    steps.extend(typed("3456"));
    steps.push(until("✓ 6 digits"));
    steps.push(key(KeyCode::Enter));
    steps.push(until("✗ IAM refused"));
    steps.push(key(KeyCode::Enter));
    steps.push(key(KeyCode::Char('q')));
    let mut frames = Vec::new();
    runner::run_with_env(
        &mut app,
        &store,
        Size::new(100, 30),
        steps,
        &env,
        |buffer, _| frames.push(runner::rows(buffer)),
    )
    .unwrap();
    let sts_bodies: Vec<String> = sts_requests.try_iter().collect();
    assert!(asks_session_with(&sts_bodies, "123456"), "{sts_bodies:?}");
    assert_eq!(iam_requests.try_iter().count(), 1);
    let all = frames.join("\n");
    assert!(
        all.contains("signed in with MFA (arn:aws:iam::609629065308:mfa/alice)"),
        "{all}"
    );
    for secret in [SECRET, SECRET2, TOKEN] {
        assert!(!all.contains(&secret[..12]), "no frame shows a secret");
    }
    assert_eq!(s.read_text(), before, "refused before any key was made");
}
