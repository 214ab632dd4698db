//! Picker state tests: key events in, state and effects out.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::data::{Data, Row};
use super::*;
use crate::domain::profile::Kind;
use crate::store::view::FileSet;

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
        matches!(press(&mut p, KeyCode::Enter), Some(Effect::PlanDefault(n)) if n == "prod-eu")
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
    assert!(matches!(effect, Some(Effect::PlanDefault(ref n)) if n == "dev"));
    p.update(Msg::Planned(
        "dev".into(),
        Ok(vec![
            "The current default is kept as `previous-default`.".into(),
        ]),
    ));
    assert!(matches!(p.popup, Some(Popup::MakeDefault { .. })));
    assert!(press(&mut p, KeyCode::Char('n')).is_none());
    assert!(p.popup.is_none());
    press(&mut p, KeyCode::Enter);
    p.update(Msg::Planned("dev".into(), Ok(vec![])));
    assert!(
        matches!(press(&mut p, KeyCode::Char('y')), Some(Effect::MakeDefault(n)) if n == "dev")
    );
}

#[test]
fn pick_mode_chooses_instead_of_changing_the_files() {
    let mut p = picker(Mode::Pick);
    press(&mut p, KeyCode::End);
    assert!(matches!(press(&mut p, KeyCode::Enter), Some(Effect::Choose(n)) if n == "prod-eu"));
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
        Some(Popup::Delete { name, dependents }) => {
            assert_eq!(name, "prod");
            assert_eq!(dependents, &["admin".to_string()]);
        }
        _ => panic!("delete asks first"),
    }
    assert!(matches!(press(&mut p, KeyCode::Char('y')), Some(Effect::Delete(n)) if n == "prod"));
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
        matches!(&p.popup, Some(Popup::Rename { error: Some(e), .. }) if e.contains("already exists"))
    );
    typed(&mut p, " x");
    press(&mut p, KeyCode::Enter);
    assert!(
        matches!(&p.popup, Some(Popup::Rename { error: Some(e), .. }) if e.contains("a space"))
    );
    press(&mut p, KeyCode::Backspace);
    press(&mut p, KeyCode::Backspace);
    typed(&mut p, "-ops");
    assert!(
        matches!(press(&mut p, KeyCode::Enter), Some(Effect::Rename(a, b)) if a == "admin" && b == "dev-ops")
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
    p.update(Msg::Done(
        Ok("renamed".into()),
        Some(Data {
            rows,
            ..Data::default()
        }),
        Some("dev-ops".into()),
    ));
    assert_eq!(p.selected().unwrap().name, "dev-ops");
    assert_eq!(p.message(), Some((false, "renamed")));
    p.update(Msg::Done(Err("read-only".into()), None, None));
    assert_eq!(p.message(), Some((true, "read-only")));
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
        matches!(&p.popup, Some(Popup::Edit { error: Some(e), .. }) if e.contains("availability zone"))
    );
    press(&mut p, KeyCode::Backspace);
    press(&mut p, KeyCode::Tab);
    press(&mut p, KeyCode::Right);
    press(&mut p, KeyCode::Right);
    let effect = press(&mut p, KeyCode::Enter);
    assert!(
        matches!(effect, Some(Effect::Edit(n, Some(r), Some(o))) if n == "dev" && r == "eu-west-1" && o == "yaml")
    );
    press(&mut p, KeyCode::Char('e'));
    for _ in 0.."us-east-1".len() {
        press(&mut p, KeyCode::Backspace);
    }
    assert!(
        matches!(
            press(&mut p, KeyCode::Enter),
            Some(Effect::Edit(_, None, None))
        ),
        "empty clears"
    );
}

#[test]
fn a_new_key_pair_is_validated_and_masked() {
    let mut p = picker(Mode::Manage);
    press(&mut p, KeyCode::Char('k'));
    typed(&mut p, "AIDAY34FZKBOKMUTVV7A");
    press(&mut p, KeyCode::Enter);
    assert!(
        matches!(&p.popup, Some(Popup::Rotate { error: Some(e), .. }) if e.contains("IAM user ID"))
    );
    press(&mut p, KeyCode::Tab);
    press(&mut p, KeyCode::Tab);
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
        Some(Effect::Rotate(name, id, secret)) => {
            assert_eq!(
                (name.as_str(), id.as_str()),
                ("default", "AKIAY34FZKBOKMUTVV7A")
            );
            assert_eq!(secret.expose(), "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        }
        _ => panic!("Enter saves a valid pair"),
    }
}

#[test]
fn copy_needs_a_key_id() {
    let mut p = picker(Mode::Pick);
    assert!(
        matches!(press(&mut p, KeyCode::Char('c')), Some(Effect::Copy(id)) if id == "AKIAIOSFODNN7EXAMPLE")
    );
    press(&mut p, KeyCode::Down);
    assert!(press(&mut p, KeyCode::Char('c')).is_none());
    assert!(p.message().unwrap().1.contains("no access key ID"));
}

#[test]
fn s_sorts_recently_used_first_and_back() {
    let state = crate::state::State {
        recent: vec!["prod".into(), "dev".into()],
        verified: vec![],
    };
    let mut p = picker(Mode::Manage).with_state(state);
    assert_eq!(names(&p)[0], "default");
    press(&mut p, KeyCode::Char('s'));
    assert_eq!(names(&p), ["prod", "dev", "default", "admin", "prod-eu"]);
    assert_eq!(p.selected().unwrap().name, "default", "the highlight stays");
    press(&mut p, KeyCode::Char('s'));
    assert_eq!(names(&p)[0], "default");
}
