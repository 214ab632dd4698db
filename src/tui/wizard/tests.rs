//! State tests: key and paste events in, state and effects out.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;

const ID: &str = "AKIAY34FZKBOKMUTVV7A";
const TEMP_ID: &str = "ASIAY34FZKBOKMUTVV7A";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKENxYzABCDEFGHIJKLMNOP";

fn press(w: &mut Wizard, code: KeyCode) -> Option<Effect> {
    w.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(w: &mut Wizard, c: char) -> Option<Effect> {
    w.update(Msg::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

fn typed(w: &mut Wizard, text: &str) {
    for c in text.chars() {
        press(w, KeyCode::Char(c));
    }
}

fn fresh() -> Wizard {
    Wizard::new(Context::default(), None)
}

fn with_profiles(names: &[&str]) -> Wizard {
    let existing = names
        .iter()
        .map(|n| {
            (
                n.to_string(),
                vec![("region".to_string(), "us-west-2".to_string())],
            )
        })
        .collect();
    Wizard::new(Context { existing }, None)
}

/// Name, key and secret entered; now at the Region step.
fn to_region(w: &mut Wizard, name: &str) {
    press(w, KeyCode::Enter);
    typed(w, name);
    press(w, KeyCode::Enter);
    typed(w, ID);
    press(w, KeyCode::Enter);
    typed(w, SECRET);
    press(w, KeyCode::Enter);
    assert_eq!(w.step, Step::Region);
}

#[test]
fn a_full_run_saves_what_was_typed_with_the_documented_defaults() {
    let mut w = fresh();
    to_region(&mut w, "");
    press(&mut w, KeyCode::Enter);
    assert_eq!(
        w.chosen_region(),
        Some("us-east-1"),
        "Enter on empty takes us-east-1"
    );
    let preview = press(&mut w, KeyCode::Enter);
    assert!(matches!(
        preview,
        Some(Effect::Preview(Plan::Profile { .. }))
    ));
    assert_eq!(w.step, Step::Review);
    match press(&mut w, KeyCode::Enter) {
        Some(Effect::Save(Plan::Profile { profile, overwrite })) => {
            assert_eq!(
                profile.name, "default",
                "empty name takes default when none exists"
            );
            assert_eq!(profile.access_key_id, ID);
            assert_eq!(profile.secret.expose(), SECRET);
            assert!(profile.token.is_none());
            assert_eq!(profile.output.as_deref(), Some("json"), "json first");
            assert!(!overwrite);
        }
        _ => panic!("Enter on Review saves"),
    }
    w.update(Msg::Saved(Ok(Written::default())));
    assert_eq!(w.step, Step::Done);
    assert!(
        w.secret_field().is_empty(),
        "secrets are cleared once saved"
    );
    assert!(matches!(press(&mut w, KeyCode::Enter), Some(Effect::Quit)));
}

#[test]
fn enter_is_refused_while_the_field_is_invalid_and_says_why() {
    let mut w = fresh();
    press(&mut w, KeyCode::Enter);
    typed(&mut w, "work");
    press(&mut w, KeyCode::Enter);
    assert_eq!(
        w.problem(),
        None,
        "an empty field shows no error before Enter"
    );
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::KeyId);
    assert!(w.problem().unwrap().contains("enter the access key ID"));
    typed(&mut w, "AIDAY34FZKBOKMUTVV7A");
    assert!(
        w.problem().unwrap().contains("IAM user ID"),
        "shown while typing"
    );
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::KeyId);
}

#[test]
fn temporary_keys_add_the_session_token_step() {
    let mut w = fresh();
    press(&mut w, KeyCode::Enter);
    typed(&mut w, "tmp");
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.position(), Some((2, 6)));
    typed(&mut w, TEMP_ID);
    assert_eq!(w.position(), Some((2, 7)), "the total adjusts");
    press(&mut w, KeyCode::Enter);
    typed(&mut w, SECRET);
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::Token);
    press(&mut w, KeyCode::Enter);
    assert!(w.problem().unwrap().contains("session token"));
    typed(&mut w, TOKEN);
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::Region);
    assert_eq!(w.new_profile().unwrap().token.unwrap().expose(), TOKEN);
}

#[test]
fn esc_goes_back_keeping_values_and_asks_before_discarding() {
    let mut w = fresh();
    press(&mut w, KeyCode::Enter);
    typed(&mut w, "work");
    press(&mut w, KeyCode::Enter);
    typed(&mut w, ID);
    press(&mut w, KeyCode::Esc);
    assert_eq!((w.step, w.name_value()), (Step::Name, "work"));
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.key_id_value(), ID, "values are kept");
    press(&mut w, KeyCode::Esc);
    press(&mut w, KeyCode::Esc);
    assert_eq!(w.popup, Some(Popup::Discard));
    assert!(press(&mut w, KeyCode::Char('n')).is_none());
    assert_eq!(w.popup, None);
    assert!(ctrl(&mut w, 'c').is_none());
    assert_eq!(w.popup, Some(Popup::Discard));
    assert!(matches!(
        press(&mut w, KeyCode::Char('y')),
        Some(Effect::Quit)
    ));
}

#[test]
fn ctrl_c_with_nothing_typed_quits_at_once() {
    let mut w = fresh();
    assert!(matches!(ctrl(&mut w, 'c'), Some(Effect::Quit)));
}

#[test]
fn an_existing_name_asks_before_overwriting() {
    let mut w = with_profiles(&["default", "work"]);
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Enter);
    assert!(w.problem().unwrap().contains("`default` profile exists"));
    typed(&mut w, "work");
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.popup, Some(Popup::Overwrite));
    press(&mut w, KeyCode::Char('n'));
    assert_eq!(w.step, Step::Name);
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Char('y'));
    assert_eq!(w.step, Step::KeyId);
    assert!(w.overwriting().is_some());
    typed(&mut w, ID);
    press(&mut w, KeyCode::Enter);
    typed(&mut w, SECRET);
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Enter);
    assert!(matches!(
        press(&mut w, KeyCode::Enter),
        Some(Effect::Save(Plan::Profile {
            overwrite: true,
            ..
        }))
    ));
}

#[test]
fn pasting_export_lines_fills_every_field_and_says_so() {
    let mut w = fresh();
    press(&mut w, KeyCode::Enter);
    w.update(Msg::Paste(format!(
        "export AWS_ACCESS_KEY_ID={ID}\nexport AWS_SECRET_ACCESS_KEY={SECRET}\nexport AWS_DEFAULT_REGION=eu-west-1\n"
    )));
    assert_eq!(w.key_id_value(), ID);
    assert_eq!(w.secret_field().secret().expose(), SECRET);
    assert_eq!(
        w.notice(),
        Some("Pasted: filled access key ID, secret access key, region")
    );
    typed(&mut w, "work");
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.chosen_region(), Some("eu-west-1"));
}

#[test]
fn a_plain_paste_is_trimmed_into_the_focused_field() {
    let mut w = fresh();
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Enter);
    w.update(Msg::Paste(format!("  \"{ID}\"\r\n")));
    assert_eq!(w.key_id_value(), ID);
}

#[test]
fn regions_filter_by_code_or_name_and_accept_unlisted_well_formed_ones() {
    let mut w = fresh();
    to_region(&mut w, "a");
    typed(&mut w, "frankfurt");
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.chosen_region(), Some("eu-central-1"));
    press(&mut w, KeyCode::Esc);
    for _ in 0.."frankfurt".len() {
        press(&mut w, KeyCode::Backspace);
    }
    typed(&mut w, "xx-future-7");
    assert!(w.region_field().entries().is_empty());
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.chosen_region(), Some("xx-future-7"));
    press(&mut w, KeyCode::Esc);
    typed(&mut w, "!");
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::Region);
    assert!(w.problem().unwrap().contains("looks like us-east-1"));
}

#[test]
fn reveal_is_per_field_and_ends_when_leaving_it() {
    let mut w = fresh();
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Enter);
    typed(&mut w, ID);
    press(&mut w, KeyCode::Enter);
    typed(&mut w, SECRET);
    ctrl(&mut w, 'r');
    assert!(w.revealed());
    press(&mut w, KeyCode::Enter);
    assert!(!w.revealed());
    assert_eq!(
        w.secret_field().secret().expose(),
        SECRET,
        "Ctrl+R did not type an r"
    );
}

#[test]
fn help_opens_anywhere_and_any_key_closes_it() {
    let mut w = fresh();
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Char('?'));
    assert_eq!(w.popup, Some(Popup::Help));
    press(&mut w, KeyCode::Char('x'));
    assert_eq!((w.popup, w.name_value()), (None, ""));
}

#[test]
fn debug_output_never_holds_the_secret() {
    let mut w = fresh();
    press(&mut w, KeyCode::Enter);
    w.update(Msg::Paste(format!("{ID},{SECRET}")));
    let shown = format!("{w:?} {:?}", w.secret_field());
    assert!(!shown.contains(&SECRET[..8]), "{shown}");
}

fn imported(name: &str, line: usize) -> ImportedKey {
    ImportedKey {
        profile: name.to_string(),
        access_key_id: ID.to_string(),
        secret: crate::domain::secret::Secret::new(SECRET),
        line,
        caution: None,
    }
}

#[test]
fn csv_import_reads_the_file_completes_paths_and_fills_one_key_into_the_steps() {
    let mut w = fresh();
    press(&mut w, KeyCode::Char('i'));
    assert_eq!(w.step, Step::ImportFile);
    typed(&mut w, "~/Down");
    assert!(matches!(press(&mut w, KeyCode::Tab), Some(Effect::CompletePath(p)) if p == "~/Down"));
    w.update(Msg::PathCompleted(
        crate::tui::path_completion::Completion {
            path: "~/Downloads/alice_accessKeys.csv".into(),
            listing: None,
        },
    ));
    assert!(
        matches!(press(&mut w, KeyCode::Enter), Some(Effect::ReadCsv(p)) if p.ends_with("alice_accessKeys.csv"))
    );
    w.update(Msg::CsvRead(Err("x.csv line 2: bad".into())));
    assert_eq!(w.import_error(), Some("x.csv line 2: bad"));
    w.update(Msg::CsvRead(Ok(vec![imported("alice", 2)])));
    assert_eq!(
        (w.step, w.name_value(), w.key_id_value()),
        (Step::Name, "alice", ID)
    );
    assert_eq!(w.secret_field().secret().expose(), SECRET);
}

#[test]
fn csv_import_of_several_keys_previews_then_saves_them_all() {
    let mut w = Wizard::importing(Context::default());
    let effect = w.update(Msg::CsvRead(Ok(vec![
        imported("bob", 2),
        imported("carol", 3),
    ])));
    assert!(matches!(effect, Some(Effect::Preview(Plan::Import(keys))) if keys.len() == 2));
    assert_eq!(w.step, Step::ImportPreview);
    assert!(
        press(&mut w, KeyCode::Enter).is_none(),
        "not before the preview is in"
    );
    w.update(Msg::Previewed(Ok(vec![])));
    assert!(matches!(
        press(&mut w, KeyCode::Enter),
        Some(Effect::Save(Plan::Import(_)))
    ));
    w.update(Msg::Saved(Ok(Written::default())));
    assert!(w.imported().is_empty(), "keys are dropped once saved");
}

#[test]
fn a_secret_pasted_into_a_field_shown_in_clear_is_dropped_and_said() {
    let mut w = fresh();
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::KeyId);
    w.update(Msg::Paste(format!("{SECRET}\n")));
    assert_eq!(
        w.key_id_value(),
        "",
        "the secret is not in the key ID field"
    );
    assert_eq!(w.notice(), Some(crate::tui::form::SECRET_NOT_PASTED));
    w.update(Msg::Paste(format!("AKIAI44QH8DHBEXAMPL,{SECRET}")));
    assert_eq!(
        w.key_id_value(),
        "AKIAI44QH8DHBEXAMPL",
        "a row with a bad key ID fills both fields"
    );
    assert!(
        w.problem().unwrap().contains("this one has 19"),
        "{:?}",
        w.problem()
    );
}
