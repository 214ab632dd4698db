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

/// Past the welcome, `name` typed, AWS chosen: now at the key ID step.
fn to_key_id(w: &mut Wizard, name: &str) {
    press(w, KeyCode::Enter);
    typed(w, name);
    press(w, KeyCode::Enter);
    assert_eq!(w.step, Step::Service);
    press(w, KeyCode::Enter);
    assert_eq!(w.step, Step::KeyId);
}

/// Name, key and secret entered; now at the Region step.
fn to_region(w: &mut Wizard, name: &str) {
    to_key_id(w, name);
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
        Some(Effect::Save(Plan::Profile {
            profile,
            overwrite,
            secret_in,
        })) => {
            assert_eq!(
                secret_in,
                SecretIn::File,
                "the secret stays in the file unless the keyring is chosen"
            );
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
    to_key_id(&mut w, "work");
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
    to_key_id(&mut w, "tmp");
    assert_eq!(w.position(), Some((3, 7)));
    typed(&mut w, TEMP_ID);
    assert_eq!(w.position(), Some((3, 8)), "the total adjusts");
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
    to_key_id(&mut w, "work");
    typed(&mut w, ID);
    press(&mut w, KeyCode::Esc);
    assert_eq!(w.step, Step::Service);
    press(&mut w, KeyCode::Esc);
    assert_eq!((w.step, w.name_value()), (Step::Name, "work"));
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.key_id_value(), ID, "values are kept");
    press(&mut w, KeyCode::Esc);
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
    assert_eq!(w.step, Step::Service);
    press(&mut w, KeyCode::Enter);
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
    for _ in 0..5 {
        press(&mut w, KeyCode::Enter);
    }
    assert_eq!(w.chosen_region(), Some("eu-west-1"));
}

#[test]
fn a_plain_paste_is_trimmed_into_the_focused_field() {
    let mut w = fresh();
    to_key_id(&mut w, "");
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
    to_key_id(&mut w, "");
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
    assert!(matches!(effect, Some(Effect::Preview(Plan::Import { keys, .. })) if keys.len() == 2));
    assert_eq!(w.step, Step::ImportPreview);
    assert!(
        press(&mut w, KeyCode::Enter).is_none(),
        "not before the preview is in"
    );
    w.update(Msg::Previewed(Ok(vec![])));
    assert!(matches!(
        press(&mut w, KeyCode::Enter),
        Some(Effect::Save(Plan::Import { .. }))
    ));
    w.update(Msg::Saved(Ok(Written::default())));
    assert!(w.imported().is_empty(), "keys are dropped once saved");
}

#[test]
fn an_import_offers_the_keyring_too() {
    let mut w = Wizard::importing(Context::default());
    w.update(Msg::CsvRead(Ok(vec![
        imported("bob", 2),
        imported("carol", 3),
    ])));
    assert!(matches!(
        w.update(Msg::Previewed(Ok(vec![]))),
        Some(Effect::ProbeKeyring)
    ));
    w.update(Msg::KeyringProbed(Ok(())));
    assert!(matches!(
        press(&mut w, KeyCode::Down),
        Some(Effect::Preview(Plan::Import {
            secret_in: SecretIn::Keyring,
            ..
        }))
    ));
    w.update(Msg::Previewed(Ok(vec![])));
    assert!(matches!(
        press(&mut w, KeyCode::Enter),
        Some(Effect::Save(Plan::Import { keys, secret_in: SecretIn::Keyring })) if keys.len() == 2
    ));
}

#[test]
fn a_secret_pasted_into_a_field_shown_in_clear_is_dropped_and_said() {
    let mut w = fresh();
    to_key_id(&mut w, "");
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

// ----- another service than AWS -----

/// Past the welcome, `name` typed, "another service" chosen, and `preset` highlighted:
/// now at the preset step.
fn to_preset(w: &mut Wizard, name: &str, preset: &str) {
    press(w, KeyCode::Enter);
    typed(w, name);
    press(w, KeyCode::Enter);
    assert_eq!(w.step, Step::Service);
    press(w, KeyCode::Down);
    press(w, KeyCode::Enter);
    assert_eq!(w.step, Step::Preset);
    let at = PRESETS.iter().position(|p| p.name == preset).unwrap();
    for _ in 0..at {
        press(w, KeyCode::Down);
    }
    assert_eq!(w.preset().map(|p| p.name), Some(preset));
}

/// As [`to_preset`], then on to the endpoint step.
fn to_endpoint(w: &mut Wizard, name: &str, preset: &str) {
    to_preset(w, name, preset);
    press(w, KeyCode::Enter);
    assert_eq!(w.step, Step::Endpoint);
}

fn saved_profile(effect: Option<Effect>) -> NewProfile {
    match effect {
        Some(Effect::Save(Plan::Profile { profile, .. })) => profile,
        _ => panic!("Enter on Review saves"),
    }
}

#[test]
fn each_preset_fills_its_endpoint_region_and_an_emulators_keys() {
    for preset in PRESETS {
        let mut w = fresh();
        to_endpoint(&mut w, "svc", preset.name);
        let region = preset.region.unwrap_or_default();
        assert_eq!(
            w.endpoint_value(),
            preset.endpoint_for(region),
            "{}",
            preset.name
        );
        let (key_id, secret) = preset.keys.unwrap_or_default();
        assert_eq!(w.key_id_value(), key_id, "{}", preset.name);
        assert_eq!(
            w.secret_field().secret().expose(),
            secret,
            "{}",
            preset.name
        );
        assert_eq!(w.service_region_field().value(), region, "{}", preset.name);
    }
    let mut w = fresh();
    to_endpoint(&mut w, "b2", "B2");
    assert_eq!(w.endpoint_value(), "https://s3.us-west-004.backblazeb2.com");
    let mut w = fresh();
    to_endpoint(&mut w, "r2", "R2");
    assert_eq!(w.service_region_field().value(), "auto");
}

#[test]
fn the_r2_account_id_placeholder_is_refused_until_it_is_replaced() {
    let mut w = fresh();
    to_endpoint(&mut w, "r2", "R2");
    assert!(
        w.problem().unwrap().contains("replace <account id>"),
        "{:?}",
        w.problem()
    );
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::Endpoint, "Enter is refused");
    typed(&mut w, "0123abcd");
    assert_eq!(
        w.endpoint_value(),
        "https://0123abcd.r2.cloudflarestorage.com"
    );
    assert_eq!(
        w.verdict(),
        Verdict::Good("Cloudflare R2 at 0123abcd.r2.cloudflarestorage.com".into())
    );
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::KeyId);
    typed(&mut w, "AKIAIOSFODNN7EXAMPLE");
    assert!(
        matches!(w.verdict(), Verdict::Caution(hint) if hint.contains("32 hexadecimal")),
        "the provider's shape is a caution"
    );
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::Secret, "a caution does not block");
    typed(&mut w, &"f".repeat(64));
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::Region);
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.chosen_region(), Some("auto"));
}

#[test]
fn a_url_pasted_on_the_endpoint_step_replaces_the_field_and_other_text_the_placeholder() {
    let mut w = fresh();
    to_endpoint(&mut w, "r2", "R2");
    w.update(Msg::Paste("0123abcd\n".into()));
    assert_eq!(
        w.endpoint_value(),
        "https://0123abcd.r2.cloudflarestorage.com"
    );
    w.update(Msg::Paste(
        " https://ffff.r2.cloudflarestorage.com/ ".into(),
    ));
    assert_eq!(w.endpoint_value(), "https://ffff.r2.cloudflarestorage.com/");
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::KeyId);
}

#[test]
fn a_localstack_profile_is_saved_with_its_endpoint_url_region_and_keys() {
    let mut w = fresh();
    to_preset(&mut w, "local", "LocalStack");
    assert_eq!(w.position(), Some((3, 9)));
    // Endpoint, key ID, secret, region, output: all as filled in.
    for _ in 0..6 {
        press(&mut w, KeyCode::Enter);
    }
    assert_eq!(w.step, Step::Review);
    assert!(!w.revealed(), "the prefilled secret stays masked");
    let profile = saved_profile(press(&mut w, KeyCode::Enter));
    assert_eq!(profile.name, "local");
    assert_eq!(
        profile.endpoint_url.as_deref(),
        Some("http://localhost:4566")
    );
    assert_eq!(profile.region.as_deref(), Some("us-east-1"));
    assert_eq!(profile.access_key_id, "test");
    assert_eq!(profile.secret.expose(), "test");
    assert!(profile.token.is_none());
    assert_eq!(profile.output.as_deref(), Some("json"));
}

#[test]
fn a_service_profile_has_no_token_step_and_takes_any_one_word_region() {
    let mut w = fresh();
    to_endpoint(&mut w, "spaces", "Spaces");
    press(&mut w, KeyCode::Enter);
    typed(&mut w, TEMP_ID);
    assert_eq!(
        w.steps(),
        [
            Step::Name,
            Step::Service,
            Step::Preset,
            Step::Endpoint,
            Step::KeyId,
            Step::Secret,
            Step::Region,
            Step::Output,
            Step::Review
        ],
        "an ASIA-shaped key of a service asks for no token"
    );
    press(&mut w, KeyCode::Enter);
    typed(&mut w, SECRET);
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::Region);
    assert_eq!(w.service_region_field().value(), "nyc3");
    for _ in 0.."nyc3".len() {
        press(&mut w, KeyCode::Backspace);
    }
    press(&mut w, KeyCode::Enter);
    assert!(w.problem().unwrap().contains("enter the region"));
    typed(&mut w, "a b");
    assert!(w.problem().unwrap().contains("one word"));
    for _ in 0..3 {
        press(&mut w, KeyCode::Backspace);
    }
    typed(&mut w, "ams3");
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.chosen_region(), Some("ams3"));
    assert_eq!(
        w.endpoint_value(),
        "https://ams3.digitaloceanspaces.com",
        "the endpoint as filled in follows the region"
    );
    press(&mut w, KeyCode::Enter);
    let profile = saved_profile(press(&mut w, KeyCode::Enter));
    assert!(profile.token.is_none());
    assert_eq!(
        profile.endpoint_url.as_deref(),
        Some("https://ams3.digitaloceanspaces.com")
    );
}

#[test]
fn an_endpoint_typed_by_hand_does_not_follow_the_region() {
    let mut w = fresh();
    to_endpoint(&mut w, "b2", "B2");
    typed(&mut w, "/");
    for _ in 0..4 {
        press(&mut w, KeyCode::Enter);
    }
    typed(&mut w, "k");
    press(&mut w, KeyCode::Enter);
    typed(&mut w, "s");
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::Region);
    typed(&mut w, "x");
    press(&mut w, KeyCode::Enter);
    assert_eq!(
        w.endpoint_value(),
        "https://s3.us-west-004.backblazeb2.com/"
    );
}

#[test]
fn the_region_follows_an_endpoint_that_names_another() {
    let mut w = fresh();
    to_endpoint(&mut w, "b2", "B2");
    for _ in 0.."https://s3.us-west-004.backblazeb2.com".len() {
        press(&mut w, KeyCode::Backspace);
    }
    typed(&mut w, "https://s3.eu-central-003.backblazeb2.com");
    press(&mut w, KeyCode::Enter);
    typed(&mut w, "004a1b2c3d4e5f60000000001");
    press(&mut w, KeyCode::Enter);
    typed(&mut w, "K004secret");
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::Region);
    assert_eq!(w.service_region_field().value(), "eu-central-003");
}

#[test]
fn going_back_to_aws_drops_the_emulators_keys_and_the_aws_flow_is_as_before() {
    let mut w = fresh();
    to_endpoint(&mut w, "x", "LocalStack");
    assert_eq!(w.key_id_value(), "test");
    press(&mut w, KeyCode::Esc);
    press(&mut w, KeyCode::Esc);
    assert_eq!(w.step, Step::Service);
    press(&mut w, KeyCode::Up);
    assert_eq!(w.preset(), None);
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::KeyId);
    assert_eq!(w.key_id_value(), "", "LocalStack's keys are no AWS keys");
    assert!(w.secret_field().is_empty());
    assert_eq!(
        w.steps(),
        [
            Step::Name,
            Step::Service,
            Step::KeyId,
            Step::Secret,
            Step::Region,
            Step::Output,
            Step::Review
        ]
    );
    typed(&mut w, "test");
    assert!(w.problem().is_some(), "AWS's rules again");
}

#[test]
fn keys_typed_before_choosing_an_emulator_are_kept() {
    let mut w = fresh();
    press(&mut w, KeyCode::Enter);
    w.update(Msg::Paste(format!("{ID},{SECRET}")));
    typed(&mut w, "x");
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Down);
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.preset().map(|p| p.name), Some("LocalStack"));
    assert_eq!(w.key_id_value(), ID);
    assert_eq!(w.secret_field().secret().expose(), SECRET);
}

#[test]
fn the_verify_check_of_a_service_profile_carries_its_endpoint_url() {
    let mut w = fresh();
    to_preset(&mut w, "minio", "MinIO");
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Enter);
    typed(&mut w, "minioadmin");
    press(&mut w, KeyCode::Enter);
    typed(&mut w, "minioadmin");
    for _ in 0..3 {
        press(&mut w, KeyCode::Enter);
    }
    assert_eq!(w.step, Step::Review);
    match press(&mut w, KeyCode::Char('v')) {
        Some(Effect::Verify {
            keys,
            region,
            endpoint_url,
        }) => {
            assert_eq!(keys.access_key_id, "minioadmin");
            assert!(keys.token.is_none());
            assert_eq!(region.as_deref(), Some("us-east-1"));
            assert_eq!(endpoint_url.as_deref(), Some("http://localhost:9000"));
        }
        _ => panic!("v verifies"),
    }
}

#[test]
fn a_services_key_row_or_export_lines_pasted_fill_its_fields() {
    let mut w = fresh();
    to_endpoint(&mut w, "minio", "MinIO");
    press(&mut w, KeyCode::Enter);
    w.update(Msg::Paste("minioadmin,minio-secret-1\n".into()));
    assert_eq!(w.key_id_value(), "minioadmin");
    assert_eq!(w.secret_field().secret().expose(), "minio-secret-1");
    assert_eq!(
        w.notice(),
        Some("Pasted: filled access key ID, secret access key")
    );
    w.update(Msg::Paste(
        "export AWS_ACCESS_KEY_ID=k1\nexport AWS_SECRET_ACCESS_KEY=s1\nexport AWS_REGION=garage\n"
            .into(),
    ));
    assert_eq!(w.key_id_value(), "k1");
    assert_eq!(w.service_region_field().value(), "garage");
    assert_eq!(
        w.notice(),
        Some("Pasted: filled access key ID, secret access key, region")
    );
}

#[test]
fn the_aws_example_key_is_accepted_with_the_example_note() {
    let mut w = fresh();
    to_key_id(&mut w, "moto");
    typed(&mut w, "AKIAI44QH8DHBEXAMPLE");
    assert_eq!(
        w.verdict(),
        Verdict::Caution(validate::EXAMPLE_NOTE.to_string())
    );
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::Secret, "a caution does not block");
    typed(&mut w, "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY");
    assert_eq!(
        w.verdict(),
        Verdict::Caution(validate::EXAMPLE_SECRET_NOTE.to_string())
    );
    for _ in 0..4 {
        press(&mut w, KeyCode::Enter);
    }
    let profile = saved_profile(press(&mut w, KeyCode::Enter));
    assert_eq!(profile.access_key_id, "AKIAI44QH8DHBEXAMPLE");
    assert_eq!(profile.endpoint_url, None);
}

#[test]
fn a_likely_typo_in_an_aws_key_is_a_caution_and_enter_goes_on() {
    let mut w = fresh();
    to_key_id(&mut w, "typo");
    typed(&mut w, "AKIAY34FZKBOKMUTVV0A");
    assert!(
        matches!(w.verdict(), Verdict::Caution(c) if c.contains("the letter O?")),
        "{:?}",
        w.verdict()
    );
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::Secret);
}

/// At the Review of a new AWS profile, its preview shown (the keyring asked about).
fn at_review() -> (Wizard, Option<Effect>) {
    let mut w = fresh();
    to_region(&mut w, "work");
    press(&mut w, KeyCode::Enter);
    press(&mut w, KeyCode::Enter);
    assert_eq!(w.step, Step::Review);
    let asked = w.update(Msg::Previewed(Ok(vec![])));
    (w, asked)
}

fn secret_in(effect: Option<Effect>) -> SecretIn {
    match effect {
        Some(Effect::Preview(Plan::Profile { secret_in, .. }))
        | Some(Effect::Save(Plan::Profile { secret_in, .. })) => secret_in,
        _ => panic!("expected a preview or a save of one profile"),
    }
}

#[test]
fn the_review_asks_once_for_a_keyring_and_down_keeps_the_secret_there() {
    let (mut w, asked) = at_review();
    assert!(matches!(asked, Some(Effect::ProbeKeyring)));
    assert_eq!(w.keyring(), &KeyringProbe::Asking);
    assert!(
        w.update(Msg::Previewed(Ok(vec![]))).is_none(),
        "asked once only"
    );
    assert!(w.update(Msg::KeyringProbed(Ok(()))).is_none());
    assert_eq!(w.secret_in(), SecretIn::File, "the file is the default");
    let preview = press(&mut w, KeyCode::Down);
    assert_eq!(secret_in(preview), SecretIn::Keyring);
    assert!(w.preview().is_none(), "the lines are worked out again");
    assert!(
        press(&mut w, KeyCode::Down).is_none(),
        "already the keyring"
    );
    let save = press(&mut w, KeyCode::Enter);
    assert_eq!(secret_in(save), SecretIn::Keyring);
    assert_eq!(secret_in(press(&mut w, KeyCode::Up)), SecretIn::File);
}

#[test]
fn without_a_keyring_the_secret_stays_in_the_file_and_the_wizard_says_why() {
    let (mut w, _) = at_review();
    w.update(Msg::KeyringProbed(Err("no D-Bus session bus".into())));
    assert!(press(&mut w, KeyCode::Down).is_none());
    assert_eq!(w.secret_in(), SecretIn::File);
    assert!(
        w.notice()
            .is_some_and(|n| n.contains("stays in the credentials file")),
        "{:?}",
        w.notice()
    );
    assert_eq!(
        w.keyring(),
        &KeyringProbe::Unavailable("no D-Bus session bus".into()),
        "the Review shows why"
    );
    assert_eq!(secret_in(press(&mut w, KeyCode::Enter)), SecretIn::File);
}

#[test]
fn a_keyring_chosen_before_the_answer_goes_back_to_the_file_when_there_is_none() {
    let (mut w, _) = at_review();
    assert_eq!(
        secret_in(press(&mut w, KeyCode::Down)),
        SecretIn::Keyring,
        "choosing while the probe runs is allowed: saving checks again"
    );
    let again = w.update(Msg::KeyringProbed(Err("no D-Bus session bus".into())));
    assert_eq!(secret_in(again), SecretIn::File);
    assert!(
        w.notice()
            .is_some_and(|n| n.contains("stays in the credentials file"))
    );
}
