//! The picker's screens (insta snapshots at 80×24 and 140×40).

mod common;

use common::*;
use credwiz::rotate::{Done, Stop};
use credwiz::store::Store;
use credwiz::store::doctor::{Finding, Severity};
use credwiz::sts::Failure;
use credwiz::tui::job::{Heard, Question};
use credwiz::tui::picker::{Dialog, Mode, Msg, Picker, data, view};
use credwiz::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const CONFIG: &str = include_str!("fixtures/ops-config");
const CREDENTIALS: &str = include_str!("fixtures/ops-credentials");

fn picker(mode: Mode) -> Picker {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let no_env = |_: &str| None;
    let data = data::load(&store, &no_env).unwrap();
    assert!(data.findings.is_empty(), "{:?}", data.findings);
    Picker::new(data, mode, None)
}

fn press(p: &mut Picker, code: KeyCode) {
    p.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn typed(p: &mut Picker, text: &str) {
    for c in text.chars() {
        press(p, KeyCode::Char(c));
    }
}

fn screen(p: &Picker, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| view::render(f, p, &Theme::plain()))
        .unwrap();
    terminal.backend().to_string()
}

/// `k`, then for an IAM user's key (where rotation through IAM is offered first) `p`:
/// the dialog that takes a pasted key pair.
fn new_key(p: &mut Picker) {
    press(p, KeyCode::Char('k'));
    if matches!(p.popup, Some(Dialog::Rotation(_))) {
        press(p, KeyCode::Char('p'));
    }
}

#[test]
fn the_table_and_detail_pane_narrow_and_wide() {
    let mut p = picker(Mode::Manage);
    insta::assert_snapshot!("picker_narrow", screen(&p, 80, 24));
    press(&mut p, KeyCode::Down);
    insta::assert_snapshot!("picker_role_chain_wide", screen(&p, 140, 40));
    insta::assert_snapshot!("picker_pick_mode", screen(&picker(Mode::Pick), 80, 24));
}

#[test]
fn filtering_highlights_matches() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('/'));
    typed(&mut p, "de");
    insta::assert_snapshot!("picker_filtered", screen(&p, 80, 24));
    typed(&mut p, "zzz");
    insta::assert_snapshot!("picker_filtered_nothing", screen(&p, 80, 24));
}

#[test]
fn each_popup() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::End);
    p.update(Msg::Planned {
        name: "work".into(),
        outcome: Ok(vec![
            "`default` becomes a copy of `work`: its keys and its other settings.".into(),
            "The current default is kept as `previous-default`.".into(),
            "`admin` took its keys from `default`: its source_profile now names `previous-default`, so it keeps them.".into(),
        ]),
    });
    insta::assert_snapshot!("popup_make_default", screen(&p, 80, 24));
    press(&mut p, KeyCode::Char('n'));
    press(&mut p, KeyCode::Char('d'));
    insta::assert_snapshot!("popup_delete", screen(&p, 80, 24));
    press(&mut p, KeyCode::Char('n'));
    press(&mut p, KeyCode::Char('r'));
    typed(&mut p, " x");
    press(&mut p, KeyCode::Enter);
    insta::assert_snapshot!("popup_rename_invalid", screen(&p, 80, 24));
    press(&mut p, KeyCode::Esc);
    press(&mut p, KeyCode::Char('?'));
    insta::assert_snapshot!("popup_help", screen(&p, 80, 24));
}

#[test]
fn warnings_are_visible_without_hunting() {
    let mut p = picker(Mode::Manage);
    p.data.findings = vec![
        Finding { severity: Severity::Error, message: "profile `deploy` takes its credentials from `gone` (source_profile), which does not exist".into() },
        Finding { severity: Severity::Warning, message: "AWS_PROFILE=dev is set: it selects a profile other than `default` in this shell".into() },
        Finding { severity: Severity::Warning, message: "~/.aws/credentials: readable by other users (mode 644); run: chmod 600 ~/.aws/credentials".into() },
        Finding { severity: Severity::Warning, message: "profiles `a`, `b` share the key AKIA…MPLE".into() },
    ];
    insta::assert_snapshot!("picker_warnings", screen(&p, 80, 24));
}

#[test]
fn edit_and_new_key_popups() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::End);
    press(&mut p, KeyCode::Char('e'));
    insta::assert_snapshot!("popup_edit", screen(&p, 80, 24));
    press(&mut p, KeyCode::Esc);
    new_key(&mut p);
    typed(&mut p, KEY_ID);
    press(&mut p, KeyCode::Tab);
    typed(&mut p, &SECRET[..20]);
    press(&mut p, KeyCode::Enter);
    let shown = screen(&p, 80, 24);
    assert!(!shown.contains(&SECRET[..8]));
    insta::assert_snapshot!("popup_new_key_invalid", shown);
}

/// A row of the IAM console's `.csv` pasted into the new-key dialog fills the key ID and
/// the secret; no frame shows the secret, until Ctrl+R on the secret's field.
#[test]
fn a_pasted_csv_row_fills_both_fields_of_the_new_key_dialog_and_hides_the_secret() {
    let mut p = picker(Mode::Manage);
    new_key(&mut p);
    p.update(Msg::Paste(format!(
        "Access key ID,Secret access key\r\n{KEY_ID2},{SECRET2}\r\n"
    )));
    let shown = screen(&p, 80, 24);
    assert!(shown.contains(KEY_ID2), "the key ID is shown: {shown}");
    assert!(!shown.contains(&SECRET2[..6]), "{shown}");
    insta::assert_snapshot!("popup_new_key_pasted_csv_row", shown);
    press(&mut p, KeyCode::Tab);
    p.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    assert!(screen(&p, 80, 24).contains(SECRET2), "Ctrl+R reveals it");
}

/// `frankfurt` typed into the edit dialog's region finds eu-central-1 in the list.
#[test]
fn the_edit_dialog_finds_a_region_by_its_city() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::End);
    press(&mut p, KeyCode::Char('e'));
    for _ in 0..20 {
        press(&mut p, KeyCode::Backspace);
    }
    typed(&mut p, "frankfurt");
    let shown = screen(&p, 80, 24);
    assert!(
        shown.contains("eu-central-1 · Europe (Frankfurt)"),
        "{shown}"
    );
    insta::assert_snapshot!("popup_edit_frankfurt", shown);
}

#[test]
fn a_check_that_could_not_be_made_says_so_in_full() {
    let mut p = picker(Mode::Manage);
    p.update(Msg::Verified {
        name: "default".into(),
        result: Err(Failure::Unchecked(
            "the proxy 10.0.0.1:3128 refused the connection (to reach sts.eu-west-1.amazonaws.com)"
                .into(),
        )),
    });
    insta::assert_snapshot!("picker_verify_unchecked", screen(&p, 80, 24));
}

/// An S3 check of another service's keys says what the service listed.
#[test]
fn an_s3_check_says_what_the_service_listed() {
    use credwiz::sts::s3::{Buckets, Listing, Storage};
    use credwiz::sts::{Learned, Verified};
    let mut p = picker(Mode::Manage);
    p.update(Msg::Verified {
        name: "default".into(),
        result: Ok(Verified {
            learned: Learned::Storage(Storage {
                service: "MinIO".into(),
                buckets: Buckets::Listed(Listing {
                    count: 1,
                    owner: None,
                    more: false,
                }),
            }),
            took: std::time::Duration::from_millis(30),
        }),
    });
    let shown = screen(&p, 100, 24);
    assert!(
        shown.contains("✓ the keys of `default` work: MinIO: 1 bucket (0.03 s)"),
        "{shown}"
    );
}

/// The repair dialog (`f`): what `doctor --fix` would change, the lines with the secret
/// masked.
#[test]
fn the_repair_dialog_shows_the_lines_it_changes() {
    let s = Sandbox::with_files(
        "[default]\nregion = us-east-1\n",
        include_str!("fixtures/doctor-fix/duplicate-credentials"),
    );
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let plan = credwiz::store::fix::plan(&store.load().unwrap());
    let fix = plan.fixes.into_iter().next().expect("a repair");
    let mut p = picker(Mode::Manage);
    p.update(Msg::FixPlanned {
        fix: Some(Box::new(fix)),
        refused: vec![],
    });
    // The sandbox's path differs each run; its length does not.
    let home = s.home.display().to_string();
    let shown = screen(&p, 100, 30).replace(&home, &"H".repeat(home.len()));
    assert!(!shown.contains(&SECRET[..8]), "{shown}");
    insta::assert_snapshot!("popup_repair", shown);
}

const SERVICES_CONFIG: &str = "[default]\nregion = eu-west-1\n\
    [profile localstack]\nregion = us-east-1\nendpoint_url = http://localhost:4566\n\
    [profile minio]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:9000\n\
    [profile r2]\nregion = auto\nendpoint_url = https://0123abcd.r2.cloudflarestorage.com\n\
    [profile garage]\nregion = garage\nendpoint_url = https://garage.example.org:3900\n";

fn services_picker() -> Picker {
    let credentials = format!(
        "[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\
         [localstack]\naws_access_key_id = test\naws_secret_access_key = test\n\
         [minio]\naws_access_key_id = minioadmin\naws_secret_access_key = minioadmin\n\
         [r2]\naws_access_key_id = 0123456789abcdef0123456789abcdef\naws_secret_access_key = {}\n\
         [garage]\naws_access_key_id = GK31c2f218a2e44f485b94239e\naws_secret_access_key = {SECRET}\n",
        "ab".repeat(32)
    );
    let s = Sandbox::with_files(SERVICES_CONFIG, &credentials);
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let data = data::load(&store, &|_| None).unwrap();
    assert!(data.findings.is_empty(), "{:?}", data.findings);
    Picker::new(data, Mode::Manage, Some("r2"))
}

/// Other services' profiles: the kind column names the service (`endpoint` for one
/// without a preset), the detail pane the service and its host, and no AWS account.
#[test]
fn other_services_profiles_show_their_service() {
    let mut p = services_picker();
    let narrow = screen(&p, 80, 24);
    assert!(!narrow.contains(&SECRET[..12]), "{narrow}");
    assert!(
        narrow.contains("Cloudflare R2 at 0123abcd.r2.cloudflarestorage.com"),
        "{narrow}"
    );
    insta::assert_snapshot!("picker_services_narrow", narrow);
    press(&mut p, KeyCode::Home);
    press(&mut p, KeyCode::Down);
    press(&mut p, KeyCode::Down);
    let wide = screen(&p, 140, 40);
    assert!(wide.contains("endpoint · LocalStack at"), "{wide}");
    insta::assert_snapshot!("picker_services_wide", wide);
}

/// `e` on an R2 profile: the endpoint URL and the region as typed fields, `auto` kept;
/// a placeholder typed in is refused with what to do.
#[test]
fn the_edit_dialog_of_an_endpoint_profile() {
    let mut p = services_picker();
    press(&mut p, KeyCode::Char('e'));
    insta::assert_snapshot!("popup_edit_endpoint", screen(&p, 80, 24));
    for _ in 0.."0123abcd.r2.cloudflarestorage.com".len() {
        press(&mut p, KeyCode::Backspace);
    }
    typed(&mut p, "<account id>.r2.cloudflarestorage.com");
    press(&mut p, KeyCode::Enter);
    insta::assert_snapshot!("popup_edit_endpoint_placeholder", screen(&p, 80, 24));
}

/// `k` on an R2 profile: where the keys come from, R2's usual shape as a hint.
#[test]
fn the_new_key_dialog_of_an_endpoint_profile() {
    let mut p = services_picker();
    new_key(&mut p);
    typed(&mut p, "0123456789abcdef");
    insta::assert_snapshot!("popup_new_key_endpoint", screen(&p, 80, 24));
}

#[test]
fn the_new_key_dialog_of_an_emulators_profile_says_any_keys_do() {
    let mut p = services_picker();
    press(&mut p, KeyCode::Home);
    press(&mut p, KeyCode::Down);
    press(&mut p, KeyCode::Down);
    new_key(&mut p);
    let shown = screen(&p, 80, 24);
    assert!(shown.contains("New key for `localstack`"), "{shown}");
    assert!(
        shown.contains("LocalStack accepts any keys; `test` and `test` are its"),
        "{shown}"
    );
}

/// A state that says when IAM made `key_id`, for every profile.
fn state_with_key_age(p: &Picker, key_id: Option<&str>) -> credwiz::state::State {
    use credwiz::state::{KeyAge, State, Verification};
    let mut state = State::default();
    for row in &p.data.rows {
        let Some(id) = key_id.or(row.key_id.as_deref()) else {
            continue;
        };
        state.remember_verification(
            &row.name,
            Verification {
                time: "2026-12-01T00:00:00Z".into(),
                ok: true,
                account: None,
                arn: Some("arn:aws:iam::123456789012:user/me".into()),
                learned: None,
                error: None,
                key: Some(KeyAge {
                    key_id: id.to_string(),
                    created: "2026-03-01T10:00:00Z".into(),
                }),
            },
        );
    }
    state
}

/// The detail pane says how old the key is, beside the last verification; not when the
/// profile holds another key since.
#[test]
fn the_detail_pane_gives_the_key_age_while_the_profile_holds_that_key() {
    let p = picker(Mode::Manage);
    let state = state_with_key_age(&p, None);
    let p = p.with_state(state);
    let shown = screen(&p, 140, 40);
    assert!(shown.contains("key created 2026-03-01, "), "{shown}");
    assert!(shown.contains("days ago"), "{shown}");

    let p = picker(Mode::Manage);
    let state = state_with_key_age(&p, Some("AKIAOTHERKEYOTHERKEY"));
    let p = p.with_state(state);
    let shown = screen(&p, 140, 40);
    assert!(shown.contains("verified "), "{shown}");
    assert!(!shown.contains("key created"), "{shown}");
}

fn heard(p: &mut Picker, heard: Heard) {
    p.update(Msg::Rotation { heard, data: None });
}

/// `k` on an IAM user's key: the choice, the steps as the rotation says them, its
/// questions (go ahead; the MFA code, checked as typed), and how it ended.
#[test]
fn the_rotation_dialog_through_each_phase() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('k'));
    insta::assert_snapshot!("popup_rotation_choose", screen(&p, 80, 24));
    press(&mut p, KeyCode::Enter);
    for line in [
        "the key of `default` belongs to arn:aws:iam::609629065308:user/alice",
        "the new key will be written into `default` and `work`",
        "the old key AKIAIOSFODNN7EXAMPLE will then be deactivated (delete it later with --finish)",
    ] {
        heard(&mut p, Heard::Said(line.into()));
    }
    heard(
        &mut p,
        Heard::Asked(Question::Confirm("Rotate the key of `default`?".into())),
    );
    insta::assert_snapshot!("popup_rotation_confirm", screen(&p, 80, 24));
    press(&mut p, KeyCode::Char('y'));
    let running = screen(&p, 80, 24);
    assert!(running.contains("working…"), "{running}");
    heard(
        &mut p,
        Heard::Asked(Question::MfaCode {
            serial: "arn:aws:iam::609629065308:mfa/alice".into(),
        }),
    );
    typed(&mut p, "12a");
    insta::assert_snapshot!("popup_rotation_mfa_code", screen(&p, 80, 24));
    for _ in 0..3 {
        press(&mut p, KeyCode::Backspace);
    }
    typed(&mut p, "123456");
    press(&mut p, KeyCode::Enter);
    heard(
        &mut p,
        Heard::Said(
            "signed in with MFA (arn:aws:iam::609629065308:mfa/alice) for the IAM calls".into(),
        ),
    );
    heard(
        &mut p,
        Heard::Said("created the new key AKIAY34FZKBOKNEWKEY7".into()),
    );
    heard(
        &mut p,
        Heard::Ended {
            result: Ok(Done::Rotated {
                old: "AKIAIOSFODNN7EXAMPLE".into(),
                new: "AKIAY34FZKBOKNEWKEY7".into(),
                written: vec!["default".into(), "work".into()],
                old_deleted: false,
            }),
            notices: Vec::new(),
        },
    );
    insta::assert_snapshot!("popup_rotation_done", screen(&p, 80, 24));
    press(&mut p, KeyCode::Enter);
    let closed = screen(&p, 80, 24);
    assert!(
        closed.contains("✓ rotated the key of `default`: AKIAY34FZKBOKNEWKEY7"),
        "the status line says it too:\n{closed}"
    );
}

/// A refusal that carries a policy snippet is shown line by line, never as `\n`.
#[test]
fn a_refused_rotation_shows_its_advice_line_by_line() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('k'));
    press(&mut p, KeyCode::Enter);
    heard(
        &mut p,
        Heard::Said("the key of `default` belongs to arn:aws:iam::609629065308:user/alice".into()),
    );
    let user = credwiz::sts::iam::User {
        name: "alice".into(),
        arn: "arn:aws:iam::609629065308:user/alice".into(),
    };
    let why = format!(
        "IAM refused iam:ListAccessKeys (AccessDenied).\n  {}",
        credwiz::sts::iam::permissions_needed(&user)
    );
    heard(
        &mut p,
        Heard::Ended {
            result: Err(Stop::Refused(why)),
            notices: Vec::new(),
        },
    );
    let shown = screen(&p, 100, 40);
    assert!(!shown.contains("\\n"), "{shown}");
    insta::assert_snapshot!("popup_rotation_refused", shown);
}

/// `m`: the devices being found, then two to choose from, the code checked as typed, and
/// a code STS refused, with the reason.
#[test]
fn the_session_dialog() {
    let mut p = picker(Mode::Manage);
    p.update(Msg::SessionPlanned {
        result: Ok(credwiz::session::Plan {
            source: "work".into(),
            into: "work-session".into(),
            serial: None,
            renews: false,
            copied: Default::default(),
            chained: Vec::new(),
        }),
    });
    let finding = screen(&p, 80, 24);
    assert!(
        finding.contains("finding the user's MFA devices…"),
        "{finding}"
    );
    p.update(Msg::SessionDevices {
        result: Ok(vec![
            "arn:aws:iam::609629065308:mfa/alice-phone".into(),
            "arn:aws:iam::609629065308:mfa/alice-key".into(),
        ]),
    });
    typed(&mut p, "12a");
    insta::assert_snapshot!("popup_session", screen(&p, 80, 24));
    p.update(Msg::SessionStarted {
        result: Err("STS did not accept the code for arn:aws:iam::609629065308:mfa/alice-phone: it was mistyped, already used (each code works once: wait for the next one), or the device is not this user's; nothing changed".into()),
        into: "work-session".into(),
        data: None,
    });
    insta::assert_snapshot!("popup_session_refused", screen(&p, 80, 24));
}

/// A profile whose secret is in the OS keyring: the SECRET column says where each
/// secret is (read from the files: nothing asks the keyring), the detail pane too, and
/// `p` offers to move a secret in or out.
#[test]
fn the_keyring_marker_and_its_dialogs() {
    let config = format!(
        "{CONFIG}\n[profile vault]\ncredential_process = \"/usr/local/bin/credwiz\" credential-process --key-id AKIAI44QH8DHBEXAMPLE\nregion = eu-west-1\n"
    );
    let s = Sandbox::with_files(&config, CREDENTIALS);
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let data = data::load(&store, &|_| None).unwrap();
    let mut p = Picker::new(data, Mode::Manage, Some("vault"));
    insta::assert_snapshot!("picker_keyring", screen(&p, 80, 24));
    insta::assert_snapshot!("picker_keyring_wide", screen(&p, 140, 30));
    press(&mut p, KeyCode::Char('p'));
    insta::assert_snapshot!("popup_unprotect", screen(&p, 80, 24));
    press(&mut p, KeyCode::Char('n'));
    press(&mut p, KeyCode::Home);
    press(&mut p, KeyCode::Char('p'));
    insta::assert_snapshot!("popup_protect", screen(&p, 80, 24));
}
