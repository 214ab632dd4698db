//! The wizard's screens rendered at 80×24 (insta snapshots of every step, valid and
//! invalid), and a whole run through the real event loop checking that the secret is in
//! no frame unless revealed.

mod common;

use std::path::PathBuf;

use common::*;
use credwiz::store::{Preview, Store};
use credwiz::sts::Failure;
use credwiz::tui::theme::Theme;
use credwiz::tui::wizard::{Context, Msg, Step, Wizard, Written, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Size;

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn chars(text: &str) -> Vec<Msg> {
    text.chars().map(|c| key(KeyCode::Char(c))).collect()
}

fn feed(w: &mut Wizard, msgs: Vec<Msg>) {
    for msg in msgs {
        w.update(msg);
    }
}

fn screen_at(w: &Wizard, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| view::render(f, w, &Theme::plain()))
        .unwrap();
    terminal.backend().to_string()
}

fn screen(w: &Wizard) -> String {
    screen_at(w, 80, 24)
}

fn context(names: &[&str]) -> Context {
    let existing = names
        .iter()
        .map(|n| {
            let settings = vec![
                ("aws_access_key_id".to_string(), KEY_ID.to_string()),
                ("aws_secret_access_key".to_string(), "****…EKEY".to_string()),
                ("region".to_string(), "us-west-2".to_string()),
            ];
            (n.to_string(), settings)
        })
        .collect();
    Context { existing }
}

/// A wizard advanced through `steps` groups of messages, each group ending with Enter;
/// the first is the name, after which AWS is chosen (unless a popup asks first).
fn at(names: &[&str], steps: &[&str]) -> Wizard {
    let mut w = Wizard::new(context(names), None);
    w.update(key(KeyCode::Enter));
    for (i, text) in steps.iter().enumerate() {
        feed(&mut w, chars(text));
        w.update(key(KeyCode::Enter));
        if i == 0 && w.popup.is_none() {
            assert_eq!(w.step, Step::Service);
            w.update(key(KeyCode::Enter));
        }
    }
    w
}

#[test]
fn welcome_and_name() {
    let w = Wizard::new(Context::default(), None);
    insta::assert_snapshot!("welcome", screen(&w));
    let mut w = at(&[], &[]);
    insta::assert_snapshot!("name_empty_takes_default", screen(&w));
    feed(&mut w, chars("my profile"));
    insta::assert_snapshot!("name_invalid", screen(&w));
    let mut w = at(&["default", "work"], &[]);
    feed(&mut w, chars("work"));
    insta::assert_snapshot!("name_existing", screen(&w));
    w.update(key(KeyCode::Enter));
    insta::assert_snapshot!("popup_overwrite", screen(&w));
}

#[test]
fn access_key_id() {
    let mut w = at(&[], &["work"]);
    feed(&mut w, chars("akiay34fzkbokmutvv7a"));
    insta::assert_snapshot!("key_id_lowercase", screen(&w));
    let mut w = at(&[], &["work"]);
    feed(&mut w, chars("AIDAY34FZKBOKMUTVV7A"));
    insta::assert_snapshot!("key_id_user_id", screen(&w));
    let mut w = at(&[], &["work"]);
    feed(&mut w, chars(KEY_ID2));
    insta::assert_snapshot!("key_id_long_term", screen(&w));
    let mut w = at(&[], &["work"]);
    feed(&mut w, chars(TEMP_KEY_ID));
    insta::assert_snapshot!("key_id_temporary", screen(&w));
}

#[test]
fn secret_and_token() {
    let mut w = at(&[], &["work", KEY_ID2]);
    feed(&mut w, chars(SECRET));
    insta::assert_snapshot!("secret_masked", screen(&w));
    w.update(ctrl('r'));
    insta::assert_snapshot!("secret_revealed", screen(&w));
    let mut w = at(&[], &["work", KEY_ID2]);
    feed(&mut w, chars(&SECRET[..30]));
    w.update(key(KeyCode::Enter));
    insta::assert_snapshot!("secret_too_short", screen(&w));
    let mut w = at(&[], &["tmp", TEMP_KEY_ID, SECRET, ""]);
    insta::assert_snapshot!("token_missing", screen(&w));
    feed(&mut w, chars(TOKEN));
    insta::assert_snapshot!("token_masked", screen(&w));
}

#[test]
fn region_and_output() {
    let mut w = at(&[], &["work", KEY_ID2, SECRET]);
    insta::assert_snapshot!("region_empty", screen(&w));
    feed(&mut w, chars("frank"));
    insta::assert_snapshot!("region_filtered", screen(&w));
    let mut w = at(&[], &["work", KEY_ID2, SECRET]);
    feed(&mut w, chars("xx-future-7"));
    insta::assert_snapshot!("region_unlisted", screen(&w));
    let w = at(&[], &["work", KEY_ID2, SECRET, "!"]);
    insta::assert_snapshot!("region_invalid", screen(&w));
    let mut w = at(&[], &["work", KEY_ID2, SECRET, ""]);
    w.update(key(KeyCode::Down));
    insta::assert_snapshot!("output", screen(&w));
}

fn preview() -> Vec<Preview> {
    vec![
        Preview {
            path: PathBuf::from("/home/you/.aws/credentials"),
            lines: vec![
                (7, "[work]".into()),
                (8, format!("aws_access_key_id = {KEY_ID2}")),
                (9, "aws_secret_access_key = ****…EKEY".into()),
            ],
        },
        Preview {
            path: PathBuf::from("/home/you/.aws/config"),
            lines: vec![
                (12, "[profile work]".into()),
                (13, "region = us-east-1".into()),
                (14, "output = json".into()),
            ],
        },
    ]
}

#[test]
fn review_and_done() {
    let mut w = at(&[], &["work", KEY_ID2, SECRET, "", ""]);
    assert_eq!(w.step, Step::Review);
    insta::assert_snapshot!("review_working", screen(&w));
    w.update(Msg::Previewed(Ok(preview())));
    insta::assert_snapshot!("review", screen(&w));
    let small = screen_at(&w, 60, 16);
    assert!(
        small.contains("more lines below: make the terminal taller"),
        "at the smallest size the review says what is cut: {small}"
    );
    w.update(Msg::Saved(Ok(Written {
        paths: vec![
            PathBuf::from("/home/you/.aws/credentials"),
            PathBuf::from("/home/you/.aws/config"),
        ],
        warnings: vec![],
    })));
    insta::assert_snapshot!("done", screen(&w));
    let mut w = at(&["default", "work"], &["work"]);
    w.update(key(KeyCode::Char('y')));
    for text in ["", KEY_ID2, SECRET, "", ""] {
        feed(&mut w, chars(text));
        w.update(key(KeyCode::Enter));
    }
    w.update(Msg::Previewed(Ok(preview())));
    insta::assert_snapshot!("review_overwriting", screen(&w));
    w.update(Msg::Saved(Err(
        "/home/you/.aws/credentials is read-only; make it writable (chmod u+w) and try again"
            .into(),
    )));
    insta::assert_snapshot!("done_error", screen(&w));
}

/// What saving a keyring profile writes: the `credential_process` line, no secret.
fn keyring_preview() -> Vec<Preview> {
    vec![Preview {
        path: PathBuf::from("/home/you/.aws/config"),
        lines: vec![
            (12, "[profile work]".into()),
            (
                13,
                format!(
                    "credential_process = \"/usr/local/bin/credwiz\" credential-process --key-id {KEY_ID2}"
                ),
            ),
            (14, "region = us-east-1".into()),
            (15, "output = json".into()),
        ],
    }]
}

#[test]
fn review_offers_the_keyring() {
    let mut w = at(&[], &["work", KEY_ID2, SECRET, "", ""]);
    w.update(Msg::Previewed(Ok(preview())));
    w.update(Msg::KeyringProbed(Ok(())));
    w.update(key(KeyCode::Down));
    w.update(Msg::Previewed(Ok(keyring_preview())));
    insta::assert_snapshot!("review_keyring", screen(&w));
    w.update(Msg::Saved(Ok(Written {
        paths: vec![PathBuf::from("/home/you/.aws/config")],
        warnings: vec![],
    })));
    insta::assert_snapshot!("done_keyring", screen(&w));

    let mut w = at(&[], &["work", KEY_ID2, SECRET, "", ""]);
    w.update(Msg::Previewed(Ok(preview())));
    w.update(Msg::KeyringProbed(Err(
        "no D-Bus session bus at unix:path=/run/user/1000/bus".into(),
    )));
    w.update(key(KeyCode::Down));
    insta::assert_snapshot!("review_no_keyring", screen(&w));
}

#[test]
fn popups_and_small_terminals() {
    let mut w = at(&[], &[]);
    feed(&mut w, chars("work"));
    w.update(ctrl('c'));
    insta::assert_snapshot!("popup_discard", screen(&w));
    let mut w = at(&[], &[]);
    w.update(key(KeyCode::Char('?')));
    insta::assert_snapshot!("popup_help", screen(&w));
    insta::assert_snapshot!("too_small", screen_at(&w, 50, 12));
}

/// Every frame of a whole run through the real loop: the secret appears only while
/// revealed, and the run writes the profile, then the picker follows.
#[test]
fn the_secret_is_in_no_frame_unless_revealed() {
    use common::runner::{self, ctrl, key as step, typed};
    let s = Sandbox::new();
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let mut steps = vec![step(KeyCode::Enter)];
    steps.extend(typed("work"));
    steps.extend([step(KeyCode::Enter), step(KeyCode::Enter)]);
    steps.extend(typed(KEY_ID2));
    steps.push(step(KeyCode::Enter));
    steps.extend(typed(SECRET));
    steps.extend([ctrl('r'), ctrl('r')]);
    // Secret, region, output, review (save), done (on to the picker), quit the picker.
    steps.extend((0..5).map(|_| step(KeyCode::Enter)));
    steps.push(step(KeyCode::Char('q')));

    let mut app = credwiz::tui::App::wizard(Wizard::new(Context::default(), None));
    let windows: Vec<&str> = (0..=SECRET.len() - 6).map(|i| &SECRET[i..i + 6]).collect();
    let (mut frames, mut revealed_frames_showing_it, mut picker_frames) = (0, 0, 0);
    let ended = runner::run(&mut app, &store, Size::new(80, 24), steps, |buffer, app| {
        frames += 1;
        let text = runner::text(buffer);
        let shows = windows.iter().any(|w| text.contains(w));
        if app.wizard_screen().is_some_and(|w| w.revealed()) {
            revealed_frames_showing_it += usize::from(shows);
        } else {
            assert!(!shows, "frame {frames} shows part of the secret:\n{text}");
        }
        picker_frames += usize::from(app.picker_screen().is_some());
    })
    .unwrap();
    assert_eq!(ended, credwiz::tui::Ended::Finished);
    assert!(frames > 60, "{frames} frames");
    assert_eq!(
        revealed_frames_showing_it, 1,
        "the check can see a revealed secret"
    );
    assert_eq!(
        picker_frames, 2,
        "the picker followed the save: its first frame, then the one with doctor's findings"
    );
    let (_, credentials) = s.read_text();
    assert!(credentials.contains(&format!("aws_secret_access_key = {SECRET}")));
}

#[test]
fn csv_import_screens() {
    let mut w = Wizard::importing(Context::default());
    feed(&mut w, chars("~/Downloads/keys.csv"));
    insta::assert_snapshot!("import_file", screen(&w));
    w.update(Msg::PathCompleted(
        credwiz::tui::path_completion::Completion {
            path: "~/Downloads/".into(),
            listing: Some("3 matches: alice_accessKeys.csv  bob.csv  reports/".into()),
        },
    ));
    let listed = screen(&w);
    assert!(
        listed.contains("3 matches: alice_accessKeys.csv  bob.csv  reports/"),
        "{listed}"
    );
    feed(&mut w, chars("keys.csv"));
    assert!(
        !screen(&w).contains("3 matches"),
        "typing clears the listing"
    );
    w.update(Msg::CsvRead(Err(
        "~/Downloads/keys.csv does not look like an access key file from the IAM console".into(),
    )));
    insta::assert_snapshot!("import_file_error", screen(&w));
    // Carol's key is the example key of AWS's documentation: the preview notes it.
    let csv = format!(
        "User name,Password,Access key ID,Secret access key,Console login link\n\
         bob,,{KEY_ID2},Zq1vW8eXn3RbT5yUc7iOp9aSd2fGh4jK0000000A,\ncarol,,AKIAI44QH8DHBEXAMPLE,{SECRET},\n"
    );
    let keys = credwiz::domain::import::read_keys(csv.as_bytes(), "keys.csv", None).unwrap();
    w.update(Msg::CsvRead(Ok(keys)));
    w.update(Msg::Previewed(Ok(vec![Preview {
        path: PathBuf::from("/home/you/.aws/credentials"),
        lines: vec![
            (1, "[bob]".into()),
            (2, format!("aws_access_key_id = {KEY_ID2}")),
            (3, "aws_secret_access_key = ****…EKEY".into()),
            (4, String::new()),
            (5, "[carol]".into()),
            (6, format!("aws_access_key_id = {KEY_ID2}")),
            (7, "aws_secret_access_key = ****…EKEY".into()),
        ],
    }])));
    insta::assert_snapshot!("import_preview", screen(&w));
    w.update(Msg::KeyringProbed(Ok(())));
    w.update(key(KeyCode::Down));
    w.update(Msg::Previewed(Ok(vec![Preview {
        path: PathBuf::from("/home/you/.aws/config"),
        lines: ["bob", "carol"]
            .iter()
            .enumerate()
            .flat_map(|(i, name)| {
                let key_id = [KEY_ID2, "AKIAI44QH8DHBEXAMPLE"][i];
                [
                    (3 * i + 1, format!("[profile {name}]")),
                    (
                        3 * i + 2,
                        format!("credential_process = \"/usr/local/bin/credwiz\" credential-process --key-id {key_id}"),
                    ),
                    (3 * i + 3, String::new()),
                ]
            })
            .collect(),
    }])));
    insta::assert_snapshot!("import_preview_keyring", screen(&w));
}

#[test]
fn review_with_a_verification() {
    use credwiz::sts::{Learned, Verified, response::Identity};
    let mut w = at(&[], &["work", KEY_ID2, SECRET, "", ""]);
    w.update(Msg::Previewed(Ok(preview())));
    w.update(key(KeyCode::Char('v')));
    insta::assert_snapshot!("review_verifying", screen(&w));
    let identity = Identity {
        account: "609629065308".into(),
        arn: USER_ARN.into(),
        user_id: "AIDAY34FZKBOKMUTVV7AB".into(),
    };
    w.update(Msg::Verified(Ok(Verified {
        learned: Learned::Caller(identity),
        took: std::time::Duration::from_millis(420),
    })));
    insta::assert_snapshot!("review_verified", screen(&w));
    let mut w = at(&[], &["work", KEY_ID2, SECRET, "", ""]);
    w.update(Msg::Previewed(Ok(preview())));
    w.update(key(KeyCode::Char('v')));
    w.update(Msg::Verified(Err(Failure::Refused(
        "the secret access key does not match the access key ID: paste the secret again".into(),
    ))));
    insta::assert_snapshot!("review_verify_failed", screen(&w));
    let mut w = at(&[], &["work", KEY_ID2, SECRET, "", ""]);
    w.update(Msg::Previewed(Ok(preview())));
    w.update(key(KeyCode::Char('v')));
    w.update(Msg::Verified(Err(Failure::Unchecked(
        "cannot find sts.amazonaws.com: no network, or DNS is not answering".into(),
    ))));
    insta::assert_snapshot!("review_verify_unchecked", screen(&w));
}

/// A wizard at the preset step with `preset` highlighted, the name `name` typed.
fn at_preset(name: &str, preset: &str) -> Wizard {
    let mut w = Wizard::new(Context::default(), None);
    w.update(key(KeyCode::Enter));
    feed(&mut w, chars(name));
    w.update(key(KeyCode::Enter));
    w.update(key(KeyCode::Down));
    w.update(key(KeyCode::Enter));
    while w.preset().is_some_and(|p| p.name != preset) {
        w.update(key(KeyCode::Down));
    }
    assert_eq!(w.preset().map(|p| p.name), Some(preset));
    w
}

/// As [`at_preset`], then through `steps` groups of messages, each ending with Enter.
fn at_service(name: &str, preset: &str, steps: &[&str]) -> Wizard {
    let mut w = at_preset(name, preset);
    w.update(key(KeyCode::Enter));
    for text in steps {
        feed(&mut w, chars(text));
        w.update(key(KeyCode::Enter));
    }
    w
}

#[test]
fn service_choice_and_presets() {
    let mut w = at(&[], &[]);
    feed(&mut w, chars("local"));
    w.update(key(KeyCode::Enter));
    assert_eq!(w.step, Step::Service);
    insta::assert_snapshot!("service_choice", screen(&w));
    w.update(key(KeyCode::Down));
    insta::assert_snapshot!("service_choice_other", screen(&w));
    let w = at_preset("local", "LocalStack");
    insta::assert_snapshot!("preset_list", screen(&w));
    let w = at_preset("r2", "R2");
    insta::assert_snapshot!("preset_list_r2", screen(&w));
    let w = at_preset("s3", "other");
    insta::assert_snapshot!("preset_list_other", screen(&w));
}

#[test]
fn each_presets_endpoint_step() {
    for preset in credwiz::domain::service::PRESETS {
        let w = at_service("svc", preset.name, &[]);
        assert_eq!(w.step, Step::Endpoint);
        insta::assert_snapshot!(format!("endpoint_{}", preset.name), screen(&w));
    }
    let mut w = at_service("r2", "R2", &[]);
    feed(&mut w, chars("0123abcd"));
    insta::assert_snapshot!("endpoint_R2_filled", screen(&w));
    let mut w = at_service("minio", "MinIO", &[]);
    for _ in 0.."localhost:9000".len() {
        w.update(key(KeyCode::Backspace));
    }
    feed(&mut w, chars("minio.lan:9000"));
    insta::assert_snapshot!("endpoint_plain_http_refused", screen(&w));
}

#[test]
fn service_keys_and_region() {
    let mut w = at_service("r2", "R2", &["0123abcd"]);
    assert_eq!(w.step, Step::KeyId);
    insta::assert_snapshot!("service_key_id_empty", screen(&w));
    feed(&mut w, chars(KEY_ID2));
    insta::assert_snapshot!("service_key_id_unusual_shape", screen(&w));
    let w = at_service("local", "LocalStack", &["", ""]);
    assert_eq!(w.step, Step::Secret);
    insta::assert_snapshot!("service_secret_prefilled", screen(&w));
    let w = at_service("r2", "R2", &["0123abcd", &"a".repeat(32), &"b".repeat(64)]);
    assert_eq!(w.step, Step::Region);
    insta::assert_snapshot!("service_region_auto", screen(&w));
}

#[test]
fn review_and_done_of_a_service_profile() {
    let mut w = at_service("local", "LocalStack", &["", "", "", "", ""]);
    assert_eq!(w.step, Step::Review);
    w.update(Msg::Previewed(Ok(vec![
        Preview {
            path: PathBuf::from("/home/you/.aws/credentials"),
            lines: vec![
                (1, "[local]".into()),
                (2, "aws_access_key_id = test".into()),
                (3, "aws_secret_access_key = ****".into()),
            ],
        },
        Preview {
            path: PathBuf::from("/home/you/.aws/config"),
            lines: vec![
                (1, "[profile local]".into()),
                (2, "region = us-east-1".into()),
                (3, "output = json".into()),
                (4, "endpoint_url = http://localhost:4566".into()),
            ],
        },
    ])));
    let review = screen(&w);
    assert!(
        review.contains("Secret access key  ****") && !review.contains("Secret access key  test"),
        "the prefilled secret is masked:\n{review}"
    );
    insta::assert_snapshot!("review_service", review);
    w.update(key(KeyCode::Char('v')));
    insta::assert_snapshot!("review_service_verifying", screen(&w));
    w.update(Msg::Verified(Ok(credwiz::sts::Verified {
        learned: credwiz::sts::Learned::Storage(credwiz::sts::s3::Storage {
            service: "LocalStack".into(),
            buckets: credwiz::sts::s3::Buckets::Listed(credwiz::sts::s3::Listing {
                count: 0,
                owner: None,
                more: false,
            }),
        }),
        took: std::time::Duration::from_millis(30),
    })));
    insta::assert_snapshot!("review_service_verified", screen(&w));
    w.update(Msg::Saved(Ok(Written {
        paths: vec![
            PathBuf::from("/home/you/.aws/credentials"),
            PathBuf::from("/home/you/.aws/config"),
        ],
        warnings: vec![],
    })));
    insta::assert_snapshot!("done_service", screen(&w));
}

/// Another service's keys are checked with S3: the Review step says what it listed, or
/// that the keys are good but may not list buckets.
#[test]
fn review_with_an_s3_verification() {
    use credwiz::sts::s3::{Buckets, Listing, Storage};
    use credwiz::sts::{Learned, Verified};
    let verified = |buckets| {
        Msg::Verified(Ok(Verified {
            learned: Learned::Storage(Storage {
                service: "R2".into(),
                buckets,
            }),
            took: std::time::Duration::from_millis(120),
        }))
    };
    let mut w = at(&[], &["work", KEY_ID2, SECRET, "", ""]);
    w.update(Msg::Previewed(Ok(preview())));
    w.update(key(KeyCode::Char('v')));
    w.update(verified(Buckets::Listed(Listing {
        count: 3,
        owner: Some("0123abcd".into()),
        more: false,
    })));
    let shown = screen(&w);
    assert!(
        shown.contains("✓ the keys work: R2: 3 buckets, owner 0123abcd (0.12 s)"),
        "{shown}"
    );
    w.update(key(KeyCode::Char('v')));
    w.update(verified(Buckets::NotAllowed {
        message: "Access Denied".into(),
    }));
    let shown = screen(&w);
    assert!(
        shown.contains("✓ the keys work: R2 knows the keys, but they may not list buckets"),
        "{shown}"
    );
}

/// A LocalStack profile saved as `default` takes every aws command without --profile:
/// the Review step says so before anything is written; under another name it does not.
#[test]
fn an_emulator_as_the_default_profile_is_pointed_out_on_review() {
    let note = "! as `default`: aws commands without --profile go to LocalStack";
    let w = at_service("", "LocalStack", &["", "", "", "", ""]);
    assert_eq!(w.step, Step::Review);
    let review = screen(&w);
    assert!(review.contains("Profile            default"), "{review}");
    assert!(review.contains(note), "{review}");
    let w = at_service("local", "LocalStack", &["", "", "", "", ""]);
    assert!(!screen(&w).contains("as `default`:"), "{}", screen(&w));
}
