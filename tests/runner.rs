//! The one runner (`credwiz::tui::drive`) in-process, on the picker: adding a profile is
//! a switch to the wizard's screen and back, and a new key pair pasted into `k` goes
//! through the store to every profile that held the old one, with no frame showing the
//! secret. A terminal resized between inputs keeps the highlight in view. The wizard's
//! keyring choice saves into the keyring the runner is given (a mock store: in-process
//! runs never reach the OS keyring).

mod common;

use common::runner::{self, Step, key, paste, text, typed};
use common::*;
use credwiz::store::Store;
use credwiz::tui::Ended;
use credwiz::tui::picker::{Mode, Picker, data};
use credwiz::tui::runner::App;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Size;

const CONFIG: &str = include_str!("fixtures/ops-config");
const CREDENTIALS: &str = include_str!("fixtures/ops-credentials");
const SIZE: Size = Size::new(100, 30);

fn picker_app(s: &Sandbox, highlight: Option<&str>) -> (Store, App) {
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let data = data::load(&store, &|_| None).unwrap();
    let app = App::picker(Picker::new(data, Mode::Manage, highlight));
    (store, app)
}

/// Every 6 characters of the secret's own part (the example keys share `EXAMPLEKEY`
/// with the example key IDs, which the screens show).
fn secret_windows(secret: &str) -> Vec<&str> {
    let own = &secret[..secret.len() - "EXAMPLEKEY".len()];
    (0..=own.len() - 6).map(|i| &own[i..i + 6]).collect()
}

#[test]
fn adding_from_the_picker_switches_to_the_wizard_and_back_to_the_new_profile() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let (store, mut app) = picker_app(&s, None);
    // `a` opens the wizard at the name.
    let mut steps = vec![key(KeyCode::Char('a'))];
    steps.extend(typed("ci"));
    steps.push(key(KeyCode::Enter));
    steps.push(paste(&format!("{KEY_ID2},{SECRET2}\n")));
    // AWS (the service), key ID (filled), secret (filled), region, output, review
    // (save), done.
    steps.extend((0..7).map(|_| key(KeyCode::Enter)));
    steps.push(key(KeyCode::Char('q')));
    let windows = secret_windows(SECRET2);
    let (mut wizard_frames, mut last) = (0, String::new());
    let ended = runner::run(&mut app, &store, SIZE, steps, |buffer, app| {
        last = text(buffer);
        wizard_frames += usize::from(app.wizard_screen().is_some());
        assert!(!windows.iter().any(|w| last.contains(w)), "{last}");
    })
    .unwrap();
    assert_eq!(ended, Ended::Finished);
    assert!(wizard_frames > 5, "the wizard's screens were drawn");
    let picker = app.picker_screen().expect("back in the picker");
    assert_eq!(
        picker.selected().unwrap().name,
        "ci",
        "the new profile is highlighted"
    );
    assert!(last.contains("added `ci`"), "{last}");
    let profiles = s.botocore_profiles();
    assert_eq!(profiles["ci"]["aws_access_key_id"], KEY_ID2);
    assert_eq!(profiles["ci"]["aws_secret_access_key"], SECRET2);
}

#[test]
fn a_key_pair_pasted_into_k_reaches_the_default_that_held_the_old_one() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    assert!(s.run(&["use", "work"], "").status.success());
    let (store, mut app) = picker_app(&s, Some("work"));
    let steps = vec![
        key(KeyCode::Char('k')),
        key(KeyCode::Char('p')),
        paste(&format!(
            "Access key ID,Secret access key\r\n{KEY_ID},{SECRET2}\r\n"
        )),
        key(KeyCode::Enter),
        key(KeyCode::Char('q')),
    ];
    let windows = secret_windows(SECRET2);
    let mut last = String::new();
    runner::run(&mut app, &store, SIZE, steps, |buffer, _| {
        last = text(buffer);
        assert!(!windows.iter().any(|w| last.contains(w)), "{last}");
    })
    .unwrap();
    assert!(
        last.contains("New key saved in `work` and `default`."),
        "{last}"
    );
    let profiles = s.botocore_profiles();
    for name in ["work", "default"] {
        assert_eq!(profiles[name]["aws_access_key_id"], KEY_ID, "{name}");
        assert_eq!(profiles[name]["aws_secret_access_key"], SECRET2, "{name}");
    }
}

#[test]
fn after_shrinking_and_growing_the_table_shows_every_row_again() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let (store, mut app) = picker_app(&s, None);
    let steps = vec![
        key(KeyCode::End),
        Step::Resize(Size::new(80, 16)),
        Step::Resize(SIZE),
        key(KeyCode::Char('q')),
    ];
    let mut frames = Vec::new();
    runner::run(&mut app, &store, SIZE, steps, |buffer, _| {
        frames.push((buffer.area.height, text(buffer)))
    })
    .unwrap();
    let small = &frames.iter().find(|(h, _)| *h == 16).unwrap().1;
    assert!(
        small.contains("─ ↑ ") && small.contains(" more ─"),
        "rows above are counted: {small}"
    );
    assert!(
        small.contains("›   work"),
        "the highlight is in view: {small}"
    );
    let (_, grown) = frames.last().unwrap();
    assert!(grown.contains("★  default"), "the default's row: {grown}");
    for name in ["admin", "deploy", "dev-sso", "work"] {
        assert!(
            grown.contains(&format!(" {name} ")),
            "{name} is shown again: {grown}"
        );
    }
    assert!(!grown.contains("─ ↑ "), "no row is hidden: {grown}");
}

/// `f` on the picker's findings: the repair `doctor --fix` would make, its lines shown
/// with the secret masked, made on `y`; botocore reads the merged profile afterwards.
#[test]
fn f_shows_a_repair_with_its_lines_and_makes_it_on_yes() {
    let s = Sandbox::with_files(
        "[default]\nregion = us-east-1\n",
        include_str!("fixtures/doctor-fix/duplicate-credentials"),
    );
    let (store, mut app) = picker_app(&s, None);
    assert!(
        !app.picker_screen().unwrap().data.findings.is_empty(),
        "the duplicate is a finding"
    );
    let steps = vec![
        key(KeyCode::Char('f')),
        key(KeyCode::Char('y')),
        key(KeyCode::Char('q')),
    ];
    let mut frames = Vec::new();
    runner::run(&mut app, &store, SIZE, steps, |buffer, _| {
        frames.push(text(buffer))
    })
    .unwrap();
    let asked = frames
        .iter()
        .find(|f| f.contains("Repair?"))
        .expect("f asks first");
    assert!(asked.contains("y repair"), "{asked}");
    assert!(
        asked.contains("aws_secret_access_key = ****…EKEY"),
        "{asked}"
    );
    assert!(!asked.contains("wJalrXUtnFEMI"), "{asked}");
    let last = frames.last().unwrap();
    assert!(last.contains("repaired:"), "{last}");
    let profiles = s.botocore_profiles();
    assert_eq!(profiles["default"]["aws_secret_access_key"], SECRET);
    assert_eq!(s.read_text().1.matches("[default]").count(), 1);
}

/// Names only the AWS CLI reads are in the list, marked `~`, with who skips them; `r`
/// suggests a portable name, and Enter on a quoted one drops the quotes. botocore reads
/// the same keys under the new names afterwards.
#[test]
fn names_only_the_aws_cli_reads_are_marked_and_r_makes_them_portable() {
    let s = Sandbox::with_files(
        "[profile 'some profile']\nregion = eu-west-1\n\n[profile \"personal\"]\nregion = us-west-2\n",
        &format!("[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"),
    );
    let before = s.botocore_profiles();
    let (store, mut app) = picker_app(&s, Some("some profile"));
    let mut first = String::new();
    let steps = vec![
        key(KeyCode::Char('r')),
        key(KeyCode::Enter),
        key(KeyCode::Char('/')),
    ]
    .into_iter()
    .chain(typed("personal"))
    .chain([
        key(KeyCode::Enter), // leaves the filter, and asks to make it the default
        key(KeyCode::Char('n')),
        key(KeyCode::Char('r')),
        key(KeyCode::Enter),
        key(KeyCode::Char('q')),
    ])
    .collect();
    let mut last = String::new();
    runner::run(&mut app, &store, SIZE, steps, |buffer, _| {
        last = text(buffer);
        if first.is_empty() {
            first = last.clone();
        }
    })
    .unwrap();
    assert!(first.contains("›~  some profile"), "{first}");
    assert!(first.contains("the AWS SDKs skip this name"), "{first}");
    let (config, _) = s.read_text();
    assert!(config.contains("[profile some-profile]"), "{config}");
    assert!(config.contains("[profile personal]"), "{config}");
    let after = s.botocore_profiles();
    assert_eq!(after["some-profile"], before["some profile"]);
    assert_eq!(after["personal"], before["personal"]);
}

/// `credwiz use work` remembers that the default was made from `work`; when another tool
/// then gives `work` a new key, doctor and the picker say the default still holds the old
/// one, and Enter on `work` (y) gives the default the new key.
#[test]
fn a_default_made_from_a_profile_rotated_by_another_tool_is_noticed() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    assert!(s.run(&["use", "work"], "").status.success());
    let (config, credentials) = s.read_text();
    // What `aws configure set` would leave: work's key replaced, the default's not.
    let rotated = credentials.replacen(
        &format!("[work]\r\naws_access_key_id = {KEY_ID2}"),
        "[work]\r\naws_access_key_id = AKIAZZZZZZZZZZZZZZZZ",
        1,
    );
    assert_ne!(rotated, credentials);
    s.write(&config, &rotated);
    let doctor = stdout(&s.run(&["doctor"], ""));
    assert!(
        doctor.contains("`default` was made from `work`, which has a new key since")
            && doctor.contains("(credwiz use work)"),
        "{doctor}"
    );
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let data = data::load(&store, &|_| None).unwrap();
    let state_file = s.home.join(".config/credwiz/state.ini");
    let state = credwiz::state::State::load_from(Some(&state_file));
    let picker = Picker::new(data, Mode::Manage, Some("work")).with_state(state);
    let mut app = App::picker(picker);
    let steps = vec![
        key(KeyCode::Enter),
        key(KeyCode::Char('y')),
        key(KeyCode::Char('q')),
    ];
    let mut first = String::new();
    runner::run(&mut app, &store, Size::new(140, 40), steps, |buffer, _| {
        if first.is_empty() {
            first = text(buffer);
        }
    })
    .unwrap();
    assert!(
        first.contains("`default` was made from `work`, which has a new key since"),
        "{first}"
    );
    assert_eq!(
        s.botocore_profiles()["default"]["aws_access_key_id"],
        "AKIAZZZZZZZZZZZZZZZZ"
    );
}

#[test]
fn aws_keys_saved_over_another_services_profile_take_its_endpoint_away() {
    let s = Sandbox::with_files(
        "[profile r2]\nregion = auto\nendpoint_url = https://abc.r2.cloudflarestorage.com\noutput = json\n",
        "[r2]\naws_access_key_id = 0123456789abcdef0123456789abcdef\naws_secret_access_key = x\n",
    );
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let context = credwiz::tui::runner::wizard_context(&store).unwrap();
    let mut app = App::wizard(credwiz::tui::wizard::Wizard::new(context, None));
    // Welcome, the name, then yes to replacing its keys, AWS, the key ID.
    let mut steps = vec![key(KeyCode::Enter)];
    steps.extend(typed("r2"));
    steps.extend([
        key(KeyCode::Enter),
        key(KeyCode::Char('y')),
        key(KeyCode::Enter),
    ]);
    steps.push(paste(&format!("{KEY_ID2},{SECRET2}\n")));
    // Key ID and secret (filled), region, output: then the review.
    steps.extend((0..4).map(|_| key(KeyCode::Enter)));
    // The review (save on Enter), the done screen, the list.
    steps.extend([
        key(KeyCode::Enter),
        key(KeyCode::Char('q')),
        key(KeyCode::Char('q')),
    ]);
    let (mut review, mut written_at_review) = (String::new(), String::new());
    let windows = secret_windows(SECRET2);
    runner::run(&mut app, &store, Size::new(120, 40), steps, |buffer, _| {
        let frame = text(buffer);
        assert!(!windows.iter().any(|w| frame.contains(w)), "{frame}");
        if frame.contains("Replaces these settings") {
            written_at_review = s.read_text().0;
            review = frame;
        }
    })
    .unwrap();
    assert!(
        review.contains("endpoint_url") && review.contains("(removed)"),
        "the review says the endpoint goes: {review}"
    );
    assert!(
        written_at_review.contains("endpoint_url"),
        "nothing written before saving"
    );
    let profiles = s.botocore_profiles();
    assert_eq!(profiles["r2"]["aws_access_key_id"], KEY_ID2);
    assert_eq!(profiles["r2"].get("endpoint_url"), None, "{profiles}");
    assert_eq!(profiles["r2"]["output"], "json", "its other settings stay");
}

/// The picker opens on its rows alone; doctor's findings come with the next frame, without
/// waiting for a key.
#[test]
fn the_first_frame_comes_before_the_findings_and_they_follow_unasked() {
    let s = Sandbox::with_files("[profile work]\nregion = eu-west-1\n", "");
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let rows = data::rows(&store, &|_| None).unwrap();
    assert!(rows.findings_due && rows.findings.is_empty());
    let mut app = App::picker(Picker::new(rows, Mode::Manage, None));
    let mut frames = Vec::new();
    runner::run(
        &mut app,
        &store,
        SIZE,
        vec![key(KeyCode::Char('q'))],
        |buffer, _| {
            frames.push(text(buffer));
        },
    )
    .unwrap();
    let finding = "no profile is named `default`";
    assert!(frames.len() >= 2, "{}", frames.len());
    assert!(!frames[0].contains(finding), "{}", frames[0]);
    assert!(frames[1].contains(finding), "{}", frames[1]);
    let full = data::load(&store, &|_| None).unwrap();
    assert!(!full.findings_due);
    assert!(full.findings.iter().any(|f| f.message.contains(finding)));
}

/// Runs the wizard through `steps` to its review, then chooses the keyring (↓), saves,
/// and quits the list that follows; the Done screen.
fn keyring_chosen_and_saved(app: &mut App, store: &Store, mut steps: Vec<Step>) -> String {
    steps.extend([
        key(KeyCode::Down),
        key(KeyCode::Enter),
        key(KeyCode::Char('q')),
        key(KeyCode::Char('q')),
    ]);
    let mut done = String::new();
    runner::run(app, store, SIZE, steps, |buffer, _| {
        let frame = text(buffer);
        if frame.contains("credwiz · Done") {
            done = frame;
        }
    })
    .unwrap();
    done
}

/// The wizard's Review with the keyring chosen (↓): the secret goes into the keyring the
/// runner was given (keyring-core's mock store here), and the files get the
/// credential_process line and no secret.
#[test]
fn the_wizard_keeps_the_secret_in_the_keyring_chosen_on_the_review() {
    let s = Sandbox::new();
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let context = credwiz::tui::runner::wizard_context(&store).unwrap();
    let mut app = App::wizard(credwiz::tui::wizard::Wizard::new(context, None));
    let mut steps = vec![key(KeyCode::Enter)];
    steps.extend(typed("vaulted"));
    steps.extend([key(KeyCode::Enter), key(KeyCode::Enter)]);
    steps.push(paste(&format!("{KEY_ID2},{SECRET2}\n")));
    // Key ID and secret (filled), region, output: then the review, the keyring, save.
    steps.extend((0..4).map(|_| key(KeyCode::Enter)));
    let done = keyring_chosen_and_saved(&mut app, &store, steps);
    assert!(done.contains("the secret is in the OS keyring"), "{done}");
    let stored = runner::mock_keyring().unwrap().get(KEY_ID2).unwrap();
    assert_eq!(stored.secret.expose(), SECRET2);
    let (config, credentials) = s.read_text();
    assert!(
        config.contains(&format!("credential-process --key-id {KEY_ID2}")),
        "{config}"
    );
    assert!(!config.contains(SECRET2) && !credentials.contains(SECRET2));
}

/// The wizard's import of several keys, the keyring chosen on its review: every secret
/// goes into the keyring the runner was given, none into the files.
#[test]
fn the_wizards_import_keeps_the_secrets_in_the_keyring_when_chosen() {
    let s = Sandbox::new();
    let csv = s.dir.path().join("keys.csv");
    let (bob_id, bob_secret) = (
        "AKIAI44QH8DHBEXAMPLE",
        "Zq1vW8eXn3RbT5yUc7iOp9aSd2fGh4jK0000000A",
    );
    std::fs::write(
        &csv,
        format!(
            "User name,Password,Access key ID,Secret access key,Console login link\n\
             bob,,{bob_id},{bob_secret},\ncarol,,{KEY_ID2},{SECRET2},\n"
        ),
    )
    .unwrap();
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let context = credwiz::tui::runner::wizard_context(&store).unwrap();
    let mut app = App::wizard(credwiz::tui::wizard::Wizard::importing(context));
    let mut steps = typed(csv.to_str().unwrap());
    steps.push(key(KeyCode::Enter));
    let done = keyring_chosen_and_saved(&mut app, &store, steps);
    assert!(done.contains("the secrets are in the OS keyring"), "{done}");
    let keyring = runner::mock_keyring().unwrap();
    assert_eq!(keyring.get(bob_id).unwrap().secret.expose(), bob_secret);
    assert_eq!(keyring.get(KEY_ID2).unwrap().secret.expose(), SECRET2);
    let (config, credentials) = s.read_text();
    assert!(!config.contains(SECRET2) && !credentials.contains(SECRET2));
    assert!(config.contains(&format!("--key-id {bob_id}")), "{config}");
}
