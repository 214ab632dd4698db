//! While the terminal is too small for the screens, only a message is shown and keys do
//! nothing but quit: through the real event loops (a backend whose size the test
//! changes between events) and the real binary in tmux, resized.

mod common;

use common::runner::{self, Step, ctrl, key, paste, text, typed};
use common::*;
use credwiz::store::Store;
use credwiz::tui::Ended;
use credwiz::tui::picker::{self, Mode, Picker};
use credwiz::tui::runner::App;
use credwiz::tui::wizard::{Context, Wizard};
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Size;

const CONFIG: &str = include_str!("fixtures/ops-config");
const CREDENTIALS: &str = include_str!("fixtures/ops-credentials");

const BIG: Size = Size::new(80, 24);
const SMALL: Size = Size::new(50, 12);

/// At the review step, the terminal shrinks: Enter (which would save), a paste and
/// other keys do nothing; at full size again the review is still there, unsaved.
#[test]
fn enter_on_the_hidden_review_step_does_not_save() {
    let s = Sandbox::new();
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let enter = || key(KeyCode::Enter);
    let mut steps = vec![enter()];
    steps.extend(typed("work"));
    steps.push(enter());
    steps.extend(typed(KEY_ID2));
    steps.push(enter());
    steps.extend(typed(SECRET));
    steps.extend([enter(), enter(), enter()]); // region, output → review
    steps.push(Step::Resize(SMALL));
    steps.extend([enter(), paste(&format!("{KEY_ID}\n"))]);
    steps.extend(typed("vq"));
    steps.extend([enter(), Step::Resize(BIG)]);
    steps.extend([ctrl('c'), key(KeyCode::Char('y'))]);

    let mut app = App::wizard(Wizard::new(Context::default(), None));
    let (mut small_frames, mut last, mut saved) = (0, String::new(), false);
    let ended = runner::run(&mut app, &store, BIG, steps, |buffer, app| {
        last = text(buffer);
        saved |= app.wizard_screen().is_some_and(|w| w.saved().is_some());
        if buffer.area.width < 60 {
            assert!(last.contains("Terminal too small"), "{last}");
            small_frames += 1;
        }
    })
    .unwrap();
    assert_eq!(ended, Ended::Cancelled);
    assert!(small_frames >= 1, "a frame was drawn small");
    assert!(!saved, "nothing saved");
    assert!(
        !s.credentials.exists() && !s.config.exists(),
        "nothing written"
    );
    assert!(
        last.contains("Discard"),
        "back at full size, the review asks to discard: {last}"
    );
}

/// Ctrl+C, the key the too-small message names, quits the wizard at once.
#[test]
fn ctrl_c_quits_the_wizard_in_a_too_small_terminal() {
    let s = Sandbox::new();
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let mut app = App::wizard(Wizard::new(Context::default(), Some("work")));
    let mut steps = typed("x");
    steps.push(ctrl('c'));
    let mut frames = Vec::new();
    let mut names = Vec::new();
    let ended = runner::run(&mut app, &store, SMALL, steps, |buffer, app| {
        frames.push(text(buffer));
        names.extend(app.wizard_screen().and_then(|w| w.profile_name()));
    })
    .unwrap();
    assert_eq!(ended, Ended::Cancelled);
    assert!(
        names.iter().all(|n| n == "work"),
        "`x` was not typed: {names:?}"
    );
    assert!(
        frames.iter().all(|f| f.contains("Terminal too small")),
        "{frames:?}"
    );
}

/// In the picker, `d` `y` (delete) and a paste do nothing while it is too small; `q`,
/// which the message names, quits.
#[test]
fn the_picker_ignores_keys_while_too_small_and_q_quits() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let before = s.read();
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let no_env = |_: &str| None;
    let data = picker::data::load(&store, &no_env).unwrap();
    let mut app = App::picker(Picker::new(data, Mode::Manage, None));
    let send = |c| key(KeyCode::Char(c));
    let steps = vec![
        Step::Resize(SMALL),
        send('d'),
        send('y'),
        paste("work"),
        Step::Resize(BIG),
        Step::Resize(SMALL),
        send('q'),
    ];
    let mut popups = 0;
    let ended = runner::run(&mut app, &store, BIG, steps, |_, app| {
        popups += usize::from(app.picker_screen().is_some_and(|p| p.popup.is_some()));
    })
    .unwrap();
    assert_eq!(ended, Ended::Finished);
    assert_eq!(popups, 0, "no popup opened");
    assert_eq!(s.read(), before, "nothing deleted");
}

/// The real binary: the review step, the pane made small, Enter, the pane full size
/// again: still the review, nothing written.
#[test]
fn in_a_real_terminal_enter_does_nothing_while_too_small() {
    let s = Sandbox::new();
    let t = Tmux::credwiz(&s, "new work");
    t.wait_for("Step 1 of 7");
    t.send(&["Enter"]);
    t.wait_for("Step 2 of 7");
    t.send(&["Enter"]);
    t.send(&["-l", KEY_ID2]);
    t.send(&["Enter"]);
    t.wait_for("Step 4 of 7");
    t.send(&["-l", SECRET]);
    for step in ["Step 5 of 7", "Step 6 of 7", "Saving writes these lines"] {
        t.send(&["Enter"]);
        t.wait_for(step);
    }
    t.resize(50, 12);
    t.wait_for("(now 50×12)");
    t.send(&["Enter"]);
    t.resize(52, 12); // redrawn after Enter, so Enter has been read
    t.wait_for("(now 52×12)");
    t.resize(80, 24);
    let screen = t.wait_for("Saving writes these lines");
    assert!(!screen.contains("Saved profile"), "{screen}");
    assert!(
        !s.credentials.exists() && !s.config.exists(),
        "nothing written"
    );
    t.discard_unsaved(&s);
}

/// The picker of the real binary: Enter then `y` (make default) while too small change
/// nothing; `q` quits.
#[test]
fn in_a_real_terminal_the_picker_makes_no_default_while_too_small() {
    let s = Sandbox::with_files(CONFIG, CREDENTIALS);
    let before = s.read();
    let t = Tmux::credwiz(&s, "");
    t.wait_for("credwiz · 5 profiles");
    t.send(&["Down"]);
    t.resize(50, 12);
    t.wait_for("(now 50×12)");
    t.send(&["Enter"]);
    t.send(&["y"]);
    t.resize(52, 12);
    t.wait_for("(now 52×12)");
    t.resize(80, 24);
    let screen = t.wait_for("credwiz · 5 profiles");
    assert!(!screen.contains("is now the default"), "{screen}");
    t.resize(50, 12);
    t.wait_for("(now 50×12)");
    assert_eq!(t.end_with(&["q"]), 0);
    assert_eq!(s.read(), before);
}
