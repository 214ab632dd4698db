//! Picker state tests: key events in, state and effects out.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::data::{Data, Row};
use super::*;
use crate::domain::profile::Kind;
use crate::store::view::FileSet;
use crate::tui::form::Verdict;

fn row(name: &str, source: Option<&str>) -> Row {
    Row {
        name: name.into(),
        kind: if source.is_some() {
            Kind::Role
        } else {
            Kind::Static
        },
        key_id: source.is_none().then(|| "AKIAIOSFODNN7EXAMPLE".into()),
        account: None,
        region: Some("us-east-1".into()),
        output: None,
        endpoint_url: None,
        service: None,
        files: FileSet::default(),
        is_default: name == "default",
        holds_default: false,
        settings: vec![],
        chain: std::iter::once(name.to_string())
            .chain(source.map(str::to_string))
            .collect(),
        skipped_by: &[],
        not_portable: None,
        sso_session: None,
        expiry: None,
        secret_in: source
            .is_none()
            .then_some(crate::domain::keyring::SecretIn::File),
    }
}

fn picker(mode: Mode) -> Picker {
    let rows = vec![
        row("default", None),
        row("admin", Some("prod")),
        row("dev", None),
        row("prod", None),
        row("prod-eu", None),
    ];
    Picker::new(
        Data {
            rows,
            ..Data::default()
        },
        mode,
        None,
    )
}

fn press(p: &mut Picker, code: KeyCode) -> Option<Effect> {
    p.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// `k`, then for an IAM user's key (where rotation through IAM is offered first) `p`:
/// the dialog that takes a pasted key pair.
fn new_key(p: &mut Picker) {
    press(p, KeyCode::Char('k'));
    if matches!(p.popup, Some(Dialog::Rotation(_))) {
        press(p, KeyCode::Char('p'));
    }
}

fn typed(p: &mut Picker, text: &str) {
    for c in text.chars() {
        press(p, KeyCode::Char(c));
    }
}

fn names(p: &Picker) -> Vec<&str> {
    p.rows().map(|(r, _)| r.name.as_str()).collect()
}

#[test]
fn the_filter_is_fuzzy_ranks_matches_and_acts_on_the_highlighted_one() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('/'));
    typed(&mut p, "prd");
    assert_eq!(names(&p), ["prod", "prod-eu"]);
    assert_eq!(p.rows().next().unwrap().1, &[0, 1, 3]);
    press(&mut p, KeyCode::Down);
    assert!(
        matches!(press(&mut p, KeyCode::Enter), Some(Effect::PlanDefault { name }) if name == "prod-eu")
    );
}

#[test]
fn esc_clears_the_filter_and_keeps_the_highlight_on_the_same_profile() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('/'));
    typed(&mut p, "eu");
    assert_eq!(p.selected().unwrap().name, "prod-eu");
    press(&mut p, KeyCode::Esc);
    assert!(!p.filtering());
    assert_eq!(p.shown(), 5);
    assert_eq!(p.selected().unwrap().name, "prod-eu");
    assert!(matches!(press(&mut p, KeyCode::Esc), Some(Effect::Quit)));
}

#[test]
fn enter_asks_before_making_a_profile_the_default() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Down);
    press(&mut p, KeyCode::Down);
    let effect = press(&mut p, KeyCode::Enter);
    assert!(matches!(effect, Some(Effect::PlanDefault { ref name }) if name == "dev"));
    p.update(Msg::Planned {
        name: "dev".into(),
        outcome: Ok(vec![
            "The current default is kept as `previous-default`.".into(),
        ]),
    });
    assert!(
        matches!(&p.popup, Some(Dialog::Confirm(c)) if matches!(c.effect(), Some(Effect::MakeDefault { name }) if name == "dev"))
    );
    assert!(press(&mut p, KeyCode::Char('n')).is_none());
    assert!(p.popup.is_none());
    press(&mut p, KeyCode::Enter);
    p.update(Msg::Planned {
        name: "dev".into(),
        outcome: Ok(vec![]),
    });
    assert!(
        matches!(press(&mut p, KeyCode::Char('y')), Some(Effect::MakeDefault { name }) if name == "dev")
    );
}

#[test]
fn pick_mode_chooses_instead_of_changing_the_files() {
    let mut p = picker(Mode::Pick);
    press(&mut p, KeyCode::End);
    assert!(
        matches!(press(&mut p, KeyCode::Enter), Some(Effect::Choose { name }) if name == "prod-eu")
    );
    assert!(
        press(&mut p, KeyCode::Char('d')).is_none(),
        "no deleting in pick mode"
    );
    assert!(p.popup.is_none());
}

#[test]
fn delete_warns_about_profiles_that_depend_on_it() {
    let mut p = picker(Mode::Manage);
    for _ in 0..3 {
        press(&mut p, KeyCode::Down);
    }
    press(&mut p, KeyCode::Char('d'));
    match &p.popup {
        Some(Dialog::Confirm(confirm)) => {
            assert!(matches!(confirm.effect(), Some(Effect::Delete { name }) if name == "prod"));
            assert_eq!(
                confirm.warning.as_deref(),
                Some("`admin` takes its keys from it and will stop working.")
            );
        }
        _ => panic!("delete asks first"),
    }
    assert!(
        matches!(press(&mut p, KeyCode::Char('y')), Some(Effect::Delete { name }) if name == "prod")
    );
}

#[test]
fn rename_validates_the_new_name() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Down);
    press(&mut p, KeyCode::Char('r'));
    for _ in 0.."admin".len() {
        press(&mut p, KeyCode::Backspace);
    }
    typed(&mut p, "dev");
    assert!(press(&mut p, KeyCode::Enter).is_none());
    assert!(
        matches!(&p.popup, Some(Dialog::Rename(r)) if matches!(r.verdict(), Verdict::Bad(e) if e.contains("already exists")))
    );
    typed(&mut p, " x");
    press(&mut p, KeyCode::Enter);
    assert!(
        matches!(&p.popup, Some(Dialog::Rename(r)) if matches!(r.verdict(), Verdict::Bad(e) if e.contains("a space")))
    );
    press(&mut p, KeyCode::Backspace);
    press(&mut p, KeyCode::Backspace);
    typed(&mut p, "-ops");
    assert!(
        matches!(press(&mut p, KeyCode::Enter), Some(Effect::Rename { from, to }) if from == "admin" && to == "dev-ops")
    );
}

#[test]
fn a_finished_action_reloads_and_highlights_what_it_names() {
    let mut p = picker(Mode::Manage);
    let mut rows = vec![
        row("default", None),
        row("dev-ops", Some("prod")),
        row("prod", None),
    ];
    rows[1].region = Some("eu-west-1".into());
    p.update(Msg::Done(Finished {
        said: Ok("renamed".into()),
        data: Some(Data {
            rows,
            ..Data::default()
        }),
        highlight: Some("dev-ops".into()),
    }));
    assert_eq!(p.selected().unwrap().name, "dev-ops");
    assert_eq!(p.message(), Some((Tone::Done, "renamed")));
    p.update(Msg::Done(Finished::said(Err("read-only".into()))));
    assert_eq!(p.message(), Some((Tone::Failed, "read-only")));
}

#[test]
fn moving_stays_within_the_list() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Up);
    assert_eq!(p.selected_index(), 0);
    press(&mut p, KeyCode::PageDown);
    assert_eq!(p.selected_index(), 4);
    press(&mut p, KeyCode::Home);
    assert_eq!(p.selected_index(), 0);
}

#[test]
fn edit_sets_or_clears_region_and_output() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Down);
    press(&mut p, KeyCode::Down);
    press(&mut p, KeyCode::Char('e'));
    for _ in 0.."us-east-1".len() {
        press(&mut p, KeyCode::Backspace);
    }
    typed(&mut p, "eu-west-1a");
    press(&mut p, KeyCode::Enter);
    assert!(
        matches!(&p.popup, Some(Dialog::Edit(d)) if matches!(d.verdict(), Verdict::Bad(e) if e.contains("availability zone")))
    );
    press(&mut p, KeyCode::Backspace);
    press(&mut p, KeyCode::Tab);
    press(&mut p, KeyCode::Right);
    press(&mut p, KeyCode::Right);
    let effect = press(&mut p, KeyCode::Enter);
    assert!(
        matches!(effect, Some(Effect::Edit { name, region: Change::Set(r), output: Change::Set(o), endpoint: Change::Keep }) if name == "dev" && r == "eu-west-1" && o == "yaml")
    );
    press(&mut p, KeyCode::Char('e'));
    for _ in 0..60 {
        press(&mut p, KeyCode::Up);
    }
    assert!(
        matches!(
            press(&mut p, KeyCode::Enter),
            Some(Effect::Edit {
                region: Change::Remove,
                output: Change::Keep,
                ..
            })
        ),
        "`not set`, at the top of the list, removes the region; the output is left as it is"
    );
}

#[test]
fn a_new_key_pair_is_validated_and_masked() {
    let mut p = picker(Mode::Manage);
    new_key(&mut p);
    typed(&mut p, "AIDAY34FZKBOKMUTVV7A");
    press(&mut p, KeyCode::Enter);
    assert!(
        matches!(&p.popup, Some(Dialog::Rotate(d)) if matches!(d.verdict(), Verdict::Bad(e) if e.contains("IAM user ID")))
    );
    for _ in 0..20 {
        press(&mut p, KeyCode::Backspace);
    }
    typed(&mut p, "AKIAY34FZKBOKMUTVV7A");
    press(&mut p, KeyCode::Tab);
    p.update(Msg::Paste(
        " wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n".into(),
    ));
    assert!(
        !format!("{:?}", p.popup).contains("wJalr"),
        "Debug hides the secret"
    );
    match press(&mut p, KeyCode::Enter) {
        Some(Effect::Rotate {
            name,
            key,
            service: None,
        }) => {
            assert_eq!(
                (name.as_str(), key.access_key_id.as_str()),
                ("default", "AKIAY34FZKBOKMUTVV7A")
            );
            assert_eq!(
                key.secret.expose(),
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
            );
            assert!(key.token.is_none());
        }
        _ => panic!("Enter saves a valid pair"),
    }
}

#[test]
fn copy_needs_a_key_id() {
    let mut p = picker(Mode::Pick);
    assert!(
        matches!(press(&mut p, KeyCode::Char('c')), Some(Effect::Copy { key_id }) if key_id == "AKIAIOSFODNN7EXAMPLE")
    );
    press(&mut p, KeyCode::Down);
    assert!(press(&mut p, KeyCode::Char('c')).is_none());
    assert!(p.message().unwrap().1.contains("no access key ID"));
}

#[test]
fn s_sorts_recently_used_first_and_back() {
    let state = crate::state::State {
        recent: vec!["prod".into(), "dev".into()],
        ..Default::default()
    };
    let mut p = picker(Mode::Manage).with_state(state);
    assert_eq!(names(&p)[0], "default");
    press(&mut p, KeyCode::Char('s'));
    assert_eq!(names(&p), ["prod", "dev", "default", "admin", "prod-eu"]);
    assert_eq!(p.selected().unwrap().name, "default", "the highlight stays");
    press(&mut p, KeyCode::Char('s'));
    assert_eq!(names(&p)[0], "default");
}

const ID: &str = "AKIAY34FZKBOKMUTVV7A";
const TEMP_ID: &str = "ASIAY34FZKBOKMUTVV7A";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKENxYzABCDEFGHIJKLMNOP";

fn rotate_dialog(p: &Picker) -> &dialog::Rotate {
    match &p.popup {
        Some(Dialog::Rotate(d)) => d,
        other => panic!("the new-key dialog is open: {other:?}"),
    }
}

#[test]
fn a_pasted_csv_row_fills_key_id_and_secret_whichever_field_has_the_focus() {
    for tabs in [0, 1] {
        let mut p = picker(Mode::Manage);
        new_key(&mut p);
        for _ in 0..tabs {
            press(&mut p, KeyCode::Tab);
        }
        p.update(Msg::Paste(format!("{ID},{SECRET}\r\n")));
        let d = rotate_dialog(&p);
        assert_eq!(
            d.key_id.value(),
            ID,
            "the key ID field holds only the key ID"
        );
        assert_eq!(d.secret.secret().expose(), SECRET);
        assert!(!d.secret.revealed());
        assert_eq!(
            d.notice.as_deref(),
            Some("Pasted: filled access key ID, secret access key")
        );
        assert!(matches!(
            press(&mut p, KeyCode::Enter),
            Some(Effect::Rotate { key, .. }) if key.access_key_id == ID && key.secret.expose() == SECRET
        ));
    }
}

#[test]
fn the_new_key_dialog_checks_as_you_type_reveals_and_asks_temporary_keys_for_their_token() {
    let mut p = picker(Mode::Manage);
    new_key(&mut p);
    typed(&mut p, &TEMP_ID[..10]);
    assert!(rotate_dialog(&p).verdict().is_bad(), "live, before Enter");
    typed(&mut p, &TEMP_ID[10..]);
    assert!(
        matches!(rotate_dialog(&p).verdict(), Verdict::Good(t) if t.contains("session token comes next"))
    );
    assert_eq!(
        rotate_dialog(&p).fields().len(),
        3,
        "the token field appears"
    );
    press(&mut p, KeyCode::Tab);
    typed(&mut p, SECRET);
    p.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    assert!(rotate_dialog(&p).secret.revealed(), "Ctrl+R reveals");
    assert_eq!(
        rotate_dialog(&p).secret.secret().expose(),
        SECRET,
        "and types no r"
    );
    press(&mut p, KeyCode::Enter);
    let d = rotate_dialog(&p);
    assert_eq!(
        d.focus,
        dialog::rotate::Field::Token,
        "Enter goes to what is missing"
    );
    assert!(matches!(d.verdict(), Verdict::Bad(_)));
    assert!(!d.secret.revealed(), "leaving the field hides it again");
    p.update(Msg::Paste(TOKEN.into()));
    match press(&mut p, KeyCode::Enter) {
        Some(Effect::Rotate { key, .. }) => {
            assert_eq!(key.access_key_id, TEMP_ID);
            assert_eq!(
                key.token.map(|t| t.expose().to_string()).as_deref(),
                Some(TOKEN)
            );
        }
        _ => panic!("a temporary key with its token saves"),
    }
}

#[test]
fn edit_resolves_a_city_and_an_unchanged_value_never_blocks_saving() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('e'));
    for _ in 0..9 {
        press(&mut p, KeyCode::Backspace);
    }
    typed(&mut p, "frankfurt");
    assert!(matches!(
        press(&mut p, KeyCode::Enter),
        Some(Effect::Edit { region: Change::Set(r), output: Change::Keep, .. }) if r == "eu-central-1"
    ));

    let mut r2 = row("r2", None);
    r2.region = Some("auto".into());
    let mut p = Picker::new(
        Data {
            rows: vec![r2],
            ..Data::default()
        },
        Mode::Manage,
        None,
    );
    press(&mut p, KeyCode::Char('e'));
    assert!(
        press(&mut p, KeyCode::Enter).is_none() && p.popup.is_none(),
        "nothing changed: closes, writes nothing"
    );
    press(&mut p, KeyCode::Char('e'));
    press(&mut p, KeyCode::Tab);
    press(&mut p, KeyCode::Right);
    assert!(
        matches!(
            press(&mut p, KeyCode::Enter),
            Some(Effect::Edit { region: Change::Keep, output: Change::Set(o), .. }) if o == "json"
        ),
        "`region = auto` stays and does not stop the output from changing"
    );
}

#[test]
fn each_dialog_lists_its_own_keys_in_the_footer() {
    let mut p = picker(Mode::Manage);
    let keys_of = |p: &Picker| {
        p.footer(200)
            .into_iter()
            .map(|h| h.keys)
            .collect::<Vec<_>>()
    };
    assert!(keys_of(&p).contains(&"a".to_string()));
    new_key(&mut p);
    assert_eq!(keys_of(&p), ["Tab", "Enter", "Esc"]);
    press(&mut p, KeyCode::Tab);
    assert_eq!(keys_of(&p), ["Tab", "Ctrl+R", "Enter", "Esc"]);
    press(&mut p, KeyCode::Esc);
    press(&mut p, KeyCode::Char('d'));
    assert_eq!(keys_of(&p), ["y", "n"]);
}

#[test]
fn the_help_is_the_key_table() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('?'));
    let Some(Dialog::Help(lines)) = &p.popup else {
        panic!("? opens the help")
    };
    for binding in p.bindings() {
        if binding.shown != crate::tui::keys::Shown::Hidden {
            assert!(
                lines.iter().any(|l| l.starts_with(binding.label)),
                "{} is in the help",
                binding.label
            );
        }
    }
    let mut pick = picker(Mode::Pick);
    press(&mut pick, KeyCode::Char('?'));
    let Some(Dialog::Help(lines)) = &pick.popup else {
        panic!()
    };
    assert!(
        !lines.iter().any(|l| l.starts_with("d ")),
        "no delete in pick mode"
    );
}

const R2_URL: &str = "https://0123abcd.r2.cloudflarestorage.com";

/// A hand-written R2 profile, as the picker reads it.
fn r2_row(name: &str) -> Row {
    let mut r2 = row(name, None);
    r2.kind = Kind::Endpoint;
    r2.key_id = Some("0123456789abcdef0123456789abcdef".into());
    r2.region = Some("auto".into());
    r2.endpoint_url = Some(R2_URL.into());
    r2.service = crate::domain::service::recognise(R2_URL);
    r2
}

fn picker_of(rows: Vec<Row>) -> Picker {
    Picker::new(
        Data {
            rows,
            ..Data::default()
        },
        Mode::Manage,
        None,
    )
}

fn edit_dialog(p: &Picker) -> &dialog::Edit {
    match &p.popup {
        Some(Dialog::Edit(d)) => d,
        other => panic!("the edit dialog is open: {other:?}"),
    }
}

fn clear(p: &mut Picker, count: usize) {
    for _ in 0..count {
        press(p, KeyCode::Backspace);
    }
}

#[test]
fn another_services_profile_shows_its_name_as_its_kind() {
    let r2 = r2_row("r2");
    assert_eq!(r2.kind_label(), "R2");
    assert_eq!(
        r2.service_said().as_deref(),
        Some("Cloudflare R2 at 0123abcd.r2.cloudflarestorage.com")
    );
    let mut garage = r2_row("garage");
    garage.endpoint_url = Some("https://garage.example.org:3900".into());
    garage.service = crate::domain::service::recognise("https://garage.example.org:3900");
    assert_eq!(garage.kind_label(), "endpoint");
    assert_eq!(
        garage.service_said().as_deref(),
        Some("an S3-compatible service at garage.example.org:3900")
    );
    let aws = row("dev", None);
    assert_eq!((aws.kind_label(), aws.service_said()), ("static", None));
    assert_eq!(picker_of(vec![r2, aws]).longest_kind(), "static".len());
}

#[test]
fn an_r2_profiles_output_changes_with_region_auto_kept() {
    let mut p = picker_of(vec![r2_row("r2")]);
    press(&mut p, KeyCode::Char('e'));
    let d = edit_dialog(&p);
    assert_eq!(d.fields().len(), 3, "endpoint, region, output");
    assert!(
        matches!(d.verdict(), Verdict::Good(t) if t.contains("Cloudflare R2") && t.contains("as it is now")),
        "{:?}",
        d.verdict()
    );
    press(&mut p, KeyCode::Tab);
    assert!(
        matches!(edit_dialog(&p).verdict(), Verdict::Good(t) if t.starts_with("auto")),
        "{:?}",
        edit_dialog(&p).verdict()
    );
    press(&mut p, KeyCode::Tab);
    press(&mut p, KeyCode::Right);
    assert!(
        matches!(
            press(&mut p, KeyCode::Enter),
            Some(Effect::Edit { name, endpoint: Change::Keep, region: Change::Keep, output: Change::Set(o) }) if name == "r2" && o == "json"
        ),
        "`region = auto` and the endpoint stay; the output changes"
    );
    press(&mut p, KeyCode::Char('e'));
    assert!(
        press(&mut p, KeyCode::Enter).is_none() && p.popup.is_none(),
        "nothing changed: closes, writes nothing"
    );
}

#[test]
fn an_endpoint_profiles_region_is_free_form() {
    let mut p = picker_of(vec![r2_row("r2")]);
    press(&mut p, KeyCode::Char('e'));
    press(&mut p, KeyCode::Down);
    assert_eq!(edit_dialog(&p).focus, dialog::edit::Field::Region);
    clear(&mut p, 4);
    typed(&mut p, "nyc3");
    assert!(!edit_dialog(&p).verdict().is_bad());
    typed(&mut p, " x");
    assert!(
        matches!(edit_dialog(&p).verdict(), Verdict::Bad(e) if e.contains("one word")),
        "{:?}",
        edit_dialog(&p).verdict()
    );
    assert!(press(&mut p, KeyCode::Enter).is_none(), "refused");
    clear(&mut p, 6);
    typed(&mut p, "auto");
    assert!(
        press(&mut p, KeyCode::Enter).is_none() && p.popup.is_none(),
        "`auto` typed again is the value it had: nothing to write"
    );

    let mut minio = r2_row("minio");
    minio.endpoint_url = Some("http://localhost:9000".into());
    minio.service = crate::domain::service::recognise("http://localhost:9000");
    minio.region = Some("us-east-1".into());
    let mut p = picker_of(vec![minio]);
    press(&mut p, KeyCode::Char('e'));
    press(&mut p, KeyCode::Tab);
    clear(&mut p, 9);
    typed(&mut p, "auto");
    assert!(
        matches!(
            press(&mut p, KeyCode::Enter),
            Some(Effect::Edit { region: Change::Set(r), endpoint: Change::Keep, output: Change::Keep, .. }) if r == "auto"
        ),
        "a typed `auto` is accepted for another service"
    );
    press(&mut p, KeyCode::Char('e'));
    press(&mut p, KeyCode::Tab);
    clear(&mut p, 9);
    assert!(
        matches!(edit_dialog(&p).verdict(), Verdict::Caution(c) if c.contains("saving removes it"))
    );
    assert!(matches!(
        press(&mut p, KeyCode::Enter),
        Some(Effect::Edit {
            region: Change::Remove,
            ..
        })
    ));
}

#[test]
fn an_edited_endpoint_is_checked_before_it_is_saved() {
    let mut p = picker_of(vec![r2_row("r2")]);
    press(&mut p, KeyCode::Char('e'));
    clear(&mut p, R2_URL.len());
    typed(&mut p, "https://<account id>.r2.cloudflarestorage.com");
    assert!(
        matches!(edit_dialog(&p).verdict(), Verdict::Bad(e) if e.contains("replace <account id>")),
        "{:?}",
        edit_dialog(&p).verdict()
    );
    press(&mut p, KeyCode::Tab);
    assert!(press(&mut p, KeyCode::Enter).is_none());
    let d = edit_dialog(&p);
    assert_eq!(
        d.focus,
        dialog::edit::Field::Endpoint,
        "Enter goes to what is wrong"
    );
    clear(&mut p, 60);
    typed(&mut p, "http://minio.lan:9000");
    assert!(
        matches!(edit_dialog(&p).verdict(), Verdict::Bad(e) if e.contains("unencrypted")),
        "plain http to another machine is refused"
    );
    assert!(press(&mut p, KeyCode::Enter).is_none());
    clear(&mut p, 60);
    assert!(press(&mut p, KeyCode::Enter).is_none());
    assert!(
        matches!(edit_dialog(&p).verdict(), Verdict::Bad(e) if e.contains("enter the service's endpoint URL")),
        "an emptied endpoint says what it needs after Enter"
    );
    typed(&mut p, "https://minio.lan:9000/");
    assert!(
        matches!(
            press(&mut p, KeyCode::Enter),
            Some(Effect::Edit { endpoint: Change::Set(url), region: Change::Keep, .. }) if url == "https://minio.lan:9000"
        ),
        "saved without the trailing /"
    );
}

#[test]
fn an_endpoint_credwiz_would_not_write_is_kept_when_unchanged() {
    let mut odd = r2_row("odd");
    odd.endpoint_url = Some("http://minio.lan:9000".into());
    odd.service = crate::domain::service::recognise("http://minio.lan:9000");
    let mut p = picker_of(vec![odd]);
    press(&mut p, KeyCode::Char('e'));
    assert!(
        matches!(edit_dialog(&p).verdict(), Verdict::Caution(c) if c.contains("as it is now") && c.contains("unencrypted")),
        "{:?}",
        edit_dialog(&p).verdict()
    );
    press(&mut p, KeyCode::BackTab);
    press(&mut p, KeyCode::Right);
    assert!(
        matches!(
            press(&mut p, KeyCode::Enter),
            Some(Effect::Edit {
                endpoint: Change::Keep,
                output: Change::Set(_),
                ..
            })
        ),
        "the unchanged endpoint does not block the output"
    );
}

#[test]
fn an_aws_profiles_edit_keeps_its_endpoint() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('e'));
    assert_eq!(edit_dialog(&p).fields().len(), 2, "region and output");
    press(&mut p, KeyCode::Tab);
    press(&mut p, KeyCode::Right);
    assert!(matches!(
        press(&mut p, KeyCode::Enter),
        Some(Effect::Edit {
            endpoint: Change::Keep,
            ..
        })
    ));
}

#[test]
fn a_new_key_for_an_r2_profile_follows_r2s_rules() {
    const R2_ID: &str = "0123456789abcdef0123456789abcdef";
    let r2_secret = "ab".repeat(32);
    let mut p = picker_of(vec![r2_row("r2")]);
    new_key(&mut p);
    typed(&mut p, &R2_ID[..20]);
    assert!(
        matches!(rotate_dialog(&p).verdict(), Verdict::Caution(c) if c.contains("32 hexadecimal")),
        "the provider's usual shape is a hint: {:?}",
        rotate_dialog(&p).verdict()
    );
    typed(&mut p, &R2_ID[20..]);
    assert!(
        matches!(rotate_dialog(&p).verdict(), Verdict::Good(t) if t == "32 characters"),
        "no AKIA rule for another service: {:?}",
        rotate_dialog(&p).verdict()
    );
    assert_eq!(rotate_dialog(&p).fields().len(), 2, "no session token");
    press(&mut p, KeyCode::Tab);
    typed(&mut p, "with space");
    assert!(matches!(rotate_dialog(&p).verdict(), Verdict::Bad(e) if e.contains("position 5")));
    for _ in 0.."with space".len() {
        press(&mut p, KeyCode::Backspace);
    }
    p.update(Msg::Paste(r2_secret.clone()));
    assert!(matches!(rotate_dialog(&p).verdict(), Verdict::Good(_)));
    match press(&mut p, KeyCode::Enter) {
        Some(Effect::Rotate {
            name,
            key,
            service: Some(service),
        }) => {
            assert_eq!((name.as_str(), key.access_key_id.as_str()), ("r2", R2_ID));
            assert_eq!(service.name, "R2");
            assert_eq!(key.secret.expose(), r2_secret);
            assert!(key.token.is_none());
        }
        other => panic!("a 32-hex R2 key saves: {other:?}"),
    }

    let mut localstack = r2_row("localstack");
    localstack.endpoint_url = Some("http://localhost:4566".into());
    localstack.service = crate::domain::service::recognise("http://localhost:4566");
    let mut p = picker_of(vec![localstack]);
    new_key(&mut p);
    typed(&mut p, "test");
    press(&mut p, KeyCode::Tab);
    typed(&mut p, "test");
    assert!(
        matches!(press(&mut p, KeyCode::Enter), Some(Effect::Rotate { key, .. }) if key.access_key_id == "test"),
        "LocalStack's `test` / `test`"
    );
}

#[test]
fn a_doubtful_aws_key_says_so_and_still_saves() {
    for (id, said) in [
        ("AKIAI44QH8DHBEXAMPLE", "example"),
        ("AKIAY34FZKB0KMUTVV7A", "the letter O?"),
    ] {
        let mut p = picker(Mode::Manage);
        new_key(&mut p);
        typed(&mut p, id);
        assert!(
            matches!(rotate_dialog(&p).verdict(), Verdict::Caution(c) if c.contains(said)),
            "{id}: {:?}",
            rotate_dialog(&p).verdict()
        );
        press(&mut p, KeyCode::Tab);
        typed(&mut p, SECRET);
        assert!(
            matches!(press(&mut p, KeyCode::Enter), Some(Effect::Rotate { key, .. }) if key.access_key_id == id),
            "{id} is allowed"
        );
    }
}

fn rotation(p: &Picker) -> &dialog::Rotation {
    match &p.popup {
        Some(Dialog::Rotation(d)) => d,
        other => panic!("the rotation dialog is open: {other:?}"),
    }
}

fn ctrl_c(p: &mut Picker) -> Option<Effect> {
    p.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )))
}

fn asked(p: &mut Picker, question: crate::tui::job::Question) {
    p.update(Msg::Rotation {
        heard: crate::tui::job::Heard::Asked(question),
        data: None,
    });
}

#[test]
fn k_offers_rotation_through_iam_only_for_an_iam_users_long_term_key() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('k'));
    assert_eq!(
        rotation(&p).choices,
        [
            dialog::rotation::Choice::Deactivate,
            dialog::rotation::Choice::Delete,
            dialog::rotation::Choice::Paste
        ]
    );
    press(&mut p, KeyCode::Esc);
    assert!(p.popup.is_none());

    // Temporary keys and keys a check showed to be root's: the paste dialog at once.
    let mut p = picker(Mode::Manage);
    p.data.rows[0].key_id = Some("ASIAIOSFODNN7EXAMPLE".into());
    press(&mut p, KeyCode::Char('k'));
    assert!(matches!(p.popup, Some(Dialog::Rotate(_))), "{:?}", p.popup);
    let mut p = picker(Mode::Manage);
    p.state.remember_verification(
        "default",
        crate::state::Verification {
            time: "2026-12-01T00:00:00Z".into(),
            ok: true,
            account: Some("609629065308".into()),
            arn: Some("arn:aws:iam::609629065308:root".into()),
            learned: None,
            error: None,
            key: None,
        },
    );
    press(&mut p, KeyCode::Char('k'));
    assert!(matches!(p.popup, Some(Dialog::Rotate(_))), "{:?}", p.popup);
}

#[test]
fn each_choice_runs_its_rotation_and_p_pastes_instead() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('k'));
    let effect = press(&mut p, KeyCode::Enter);
    assert!(
        matches!(&effect, Some(Effect::RotateThroughIam { name, options }) if name == "default" && !options.delete && !options.finish),
        "{effect:?}"
    );
    assert!(rotation(&p).running(), "the dialog stays to narrate");

    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('k'));
    press(&mut p, KeyCode::Down);
    let effect = press(&mut p, KeyCode::Enter);
    assert!(
        matches!(&effect, Some(Effect::RotateThroughIam { options, .. }) if options.delete),
        "{effect:?}"
    );

    // A key the last rotation deactivated: deleting it is offered.
    let mut p = picker(Mode::Manage);
    p.state.set_retired(
        "default",
        Some(crate::state::Retired {
            key: "AKIAOLDKEY0000000000".into(),
            user: "alice".into(),
            user_arn: "arn:aws:iam::609629065308:user/alice".into(),
            time: "2026-12-01T00:00:00Z".into(),
        }),
    );
    press(&mut p, KeyCode::Char('k'));
    press(&mut p, KeyCode::Down);
    press(&mut p, KeyCode::Down);
    assert!(rotation(&p).note().contains("AKIAOLDKEY0000000000"));
    let effect = press(&mut p, KeyCode::Enter);
    assert!(
        matches!(&effect, Some(Effect::RotateThroughIam { options, .. }) if options.finish),
        "{effect:?}"
    );

    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('k'));
    assert!(press(&mut p, KeyCode::Char('p')).is_none());
    assert!(matches!(p.popup, Some(Dialog::Rotate(_))), "{:?}", p.popup);
}

#[test]
fn the_rotations_questions_are_answered_in_the_dialog() {
    use crate::tui::job::{Answer, Question};
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('k'));
    press(&mut p, KeyCode::Enter);
    asked(
        &mut p,
        Question::DeleteActiveOther("Delete the other key AKIAOTHER…?".into()),
    );
    let effect = press(&mut p, KeyCode::Char('n'));
    assert!(
        matches!(&effect, Some(Effect::AnswerRotation { answer: Answer::No })),
        "{effect:?}"
    );
    assert!(
        rotation(&p).running(),
        "a no to deleting the other key stays to show why it stopped"
    );
    asked(
        &mut p,
        Question::Confirm("Rotate the key of `default`?".into()),
    );
    let effect = press(&mut p, KeyCode::Char('n'));
    assert!(
        matches!(&effect, Some(Effect::AnswerRotation { answer: Answer::No })),
        "{effect:?}"
    );
    assert!(p.popup.is_none(), "a no to going ahead closes the dialog");

    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('k'));
    press(&mut p, KeyCode::Enter);
    asked(
        &mut p,
        Question::MfaCode {
            serial: "arn:aws:iam::609629065308:mfa/alice".into(),
        },
    );
    typed(&mut p, "12345");
    assert_eq!(rotation(&p).code_verdict(), Some(Verdict::Quiet));
    assert!(
        press(&mut p, KeyCode::Enter).is_none(),
        "5 digits: not sent"
    );
    assert!(
        matches!(rotation(&p).code_verdict(), Some(Verdict::Bad(why)) if why.contains("this is 5")),
        "{:?}",
        rotation(&p).code_verdict()
    );
    typed(&mut p, "6");
    let effect = press(&mut p, KeyCode::Enter);
    assert!(
        matches!(&effect, Some(Effect::AnswerRotation { answer: Answer::Code(code) }) if code == "123456"),
        "{effect:?}"
    );
}

#[test]
fn a_rotation_under_way_is_not_cancelled_and_ctrl_c_asks_twice() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('k'));
    press(&mut p, KeyCode::Enter);
    assert!(press(&mut p, KeyCode::Esc).is_none());
    assert!(
        rotation(&p)
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("cannot") || n.contains("under way")),
        "{:?}",
        rotation(&p).notice
    );
    assert!(ctrl_c(&mut p).is_none(), "the first Ctrl+C warns");
    assert!(
        rotation(&p)
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("next `credwiz rotate` finishes or undoes it"))
    );
    assert!(matches!(ctrl_c(&mut p), Some(Effect::Quit)));

    p.update(Msg::Rotation {
        heard: crate::tui::job::Heard::Ended {
            result: Err(crate::rotate::Stop::Unchecked("STS did not answer".into())),
            notices: vec![],
        },
        data: None,
    });
    assert_eq!(
        p.message(),
        Some((Tone::Caution, "? STS did not answer")),
        "could not check: a caution, not a failure"
    );
    assert!(press(&mut p, KeyCode::Enter).is_none());
    assert!(p.popup.is_none(), "Enter closes once it ended");
}

fn session_plan(serial: Option<&str>) -> crate::session::Plan {
    crate::session::Plan {
        source: "default".into(),
        into: "default-session".into(),
        serial: serial.map(str::to_string),
        renews: false,
        copied: Default::default(),
        chained: Vec::new(),
    }
}

fn session(p: &Picker) -> &dialog::Session {
    match &p.popup {
        Some(Dialog::Session(d)) => d,
        other => panic!("the session dialog is open: {other:?}"),
    }
}

#[test]
fn m_plans_a_session_then_asks_the_device_the_code_and_the_length() {
    let mut p = picker(Mode::Manage);
    let effect = press(&mut p, KeyCode::Char('m'));
    assert!(
        matches!(&effect, Some(Effect::PlanSession { name }) if name == "default"),
        "{effect:?}"
    );
    p.update(Msg::SessionPlanned {
        result: Ok(session_plan(None)),
    });
    typed(&mut p, "123456");
    assert!(
        press(&mut p, KeyCode::Enter).is_none(),
        "no device yet: nothing is sent"
    );
    p.update(Msg::SessionDevices {
        result: Ok(vec![
            "arn:aws:iam::609629065308:mfa/phone".into(),
            "arn:aws:iam::609629065308:mfa/key".into(),
        ]),
    });
    assert_eq!(
        session(&p).fields(),
        [
            dialog::session::Field::Device,
            dialog::session::Field::Code,
            dialog::session::Field::Length
        ]
    );
    press(&mut p, KeyCode::BackTab);
    press(&mut p, KeyCode::Right);
    press(&mut p, KeyCode::Tab);
    press(&mut p, KeyCode::Tab);
    press(&mut p, KeyCode::Right);
    let effect = press(&mut p, KeyCode::Enter);
    assert!(
        matches!(
            &effect,
            Some(Effect::StartSession { serial, code, seconds: 129_600, save_serial: true, .. })
                if serial.ends_with("mfa/key") && code == "123456"
        ),
        "{effect:?}"
    );
    assert!(session(&p).working, "the dialog stays while STS answers");
    assert!(press(&mut p, KeyCode::Esc).is_none() && p.popup.is_some());

    p.update(Msg::SessionStarted {
        result: Err("STS did not accept the code".into()),
        into: "default-session".into(),
        data: None,
    });
    let d = session(&p);
    assert_eq!(d.failed.as_deref(), Some("STS did not accept the code"));
    assert!(d.code.is_empty() && !d.working, "ready for the next code");

    p.update(Msg::SessionStarted {
        result: Ok(vec!["✓ MFA session started in `default-session`".into()]),
        into: "default-session".into(),
        data: None,
    });
    assert!(p.popup.is_none());
    assert_eq!(
        p.message(),
        Some((Tone::Done, "✓ MFA session started in `default-session`"))
    );
}

#[test]
fn a_profile_with_its_mfa_device_is_asked_only_the_code_and_a_bad_one_is_held_back() {
    let mut p = picker(Mode::Manage);
    p.update(Msg::SessionPlanned {
        result: Ok(session_plan(Some("arn:aws:iam::609629065308:mfa/phone"))),
    });
    assert_eq!(
        session(&p).fields(),
        [dialog::session::Field::Code, dialog::session::Field::Length]
    );
    typed(&mut p, "12345");
    assert!(press(&mut p, KeyCode::Enter).is_none());
    assert!(session(&p).code_verdict().is_bad());
    typed(&mut p, "6");
    assert!(matches!(
        press(&mut p, KeyCode::Enter),
        Some(Effect::StartSession {
            save_serial: false,
            seconds: 43_200,
            ..
        })
    ));
    let mut p = picker(Mode::Manage);
    p.update(Msg::SessionPlanned {
        result: Err("`admin` assumes a role".into()),
    });
    assert!(p.popup.is_none());
    assert_eq!(p.message(), Some((Tone::Failed, "`admin` assumes a role")));
}

#[test]
fn devices_that_cannot_be_listed_say_how_to_name_one() {
    let mut p = picker(Mode::Manage);
    p.update(Msg::SessionPlanned {
        result: Ok(session_plan(None)),
    });
    p.update(Msg::SessionDevices {
        result: Err("127.0.0.1:9 refused the connection".into()),
    });
    let d = session(&p);
    assert!(
        matches!(&d.devices, dialog::session::Devices::Failed(why)
            if why.contains("refused the connection") && why.contains("credwiz session default --serial ARN")),
        "{:?}",
        d.devices
    );
    typed(&mut p, "123456");
    assert!(
        press(&mut p, KeyCode::Enter).is_none(),
        "no device: nothing is sent"
    );
}

#[test]
fn p_moves_a_secret_into_the_keyring_or_back_asking_first() {
    use crate::domain::keyring::SecretIn;
    let mut p = picker(Mode::Manage);
    assert!(!p.any_keyring(), "no keyring profile: no SECRET column");
    press(&mut p, KeyCode::Down);
    press(&mut p, KeyCode::Down);
    assert_eq!(p.selected().unwrap().name, "dev");
    press(&mut p, KeyCode::Char('p'));
    match &p.popup {
        Some(Dialog::Confirm(confirm)) => {
            assert!(matches!(confirm.effect(), Some(Effect::Protect { name }) if name == "dev"));
            assert_eq!(
                confirm.warning.as_deref(),
                Some(
                    "`default`, `prod` and `prod-eu` hold the same key in plaintext: protect them too (p on each), or the secret stays on disk."
                )
            );
        }
        _ => panic!("p asks first"),
    }
    assert!(press(&mut p, KeyCode::Char('n')).is_none(), "n keeps it");
    press(&mut p, KeyCode::Char('p'));
    assert!(
        matches!(press(&mut p, KeyCode::Char('y')), Some(Effect::Protect { name }) if name == "dev")
    );

    let mut rows: Vec<Row> = ["dev", "prod"].iter().map(|n| row(n, None)).collect();
    rows[0].secret_in = Some(SecretIn::Keyring);
    rows.push(row("admin", Some("prod")));
    let mut p = Picker::new(
        Data {
            rows,
            ..Data::default()
        },
        Mode::Manage,
        Some("dev"),
    );
    assert!(p.any_keyring());
    press(&mut p, KeyCode::Char('p'));
    assert!(matches!(
        &p.popup,
        Some(Dialog::Confirm(c)) if matches!(c.effect(), Some(Effect::Unprotect { name }) if name == "dev")
    ));
    assert!(
        matches!(press(&mut p, KeyCode::Char('y')), Some(Effect::Unprotect { name }) if name == "dev")
    );
    press(&mut p, KeyCode::End);
    assert_eq!(p.selected().unwrap().name, "admin");
    assert!(press(&mut p, KeyCode::Char('p')).is_none());
    assert!(p.popup.is_none());
    let (tone, said) = p.message().unwrap();
    assert_eq!(tone, Tone::Caution);
    assert_eq!(
        said,
        "`admin` holds no keys of its own (role): there is no secret to move"
    );
}
