//! While the terminal is too small for the screens, only a message is shown and keys do
//! nothing but quit: through the real event loops (a backend whose size the test
//! changes between events) and the real binary in tmux, resized.

mod common;

use std::cell::Cell;
use std::rc::Rc;

use common::*;
use credwiz::store::Store;
use credwiz::tui::picker::{self, Mode, Picker};
use credwiz::tui::theme::Theme;
use credwiz::tui::wizard::{Context, Msg, Wizard};
use credwiz::tui::{drive, drive_picker};
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell as BufferCell;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Size};

const CONFIG: &str = include_str!("fixtures/ops-config");
const CREDENTIALS: &str = include_str!("fixtures/ops-credentials");

/// A `TestBackend` whose size the test sets between events, as a resize would.
struct Resizable {
    inner: TestBackend,
    size: Rc<Cell<Size>>,
}

impl Resizable {
    fn new(size: Rc<Cell<Size>>) -> Resizable {
        let Size { width, height } = size.get();
        Resizable {
            inner: TestBackend::new(width, height),
            size,
        }
    }

    fn follow(&mut self) {
        let Size { width, height } = self.size.get();
        if self.inner.size().unwrap() != self.size.get() {
            self.inner.resize(width, height);
        }
    }
}

impl Backend for Resizable {
    type Error = <TestBackend as Backend>::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a BufferCell)>,
    {
        self.follow();
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.follow();
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        Ok(self.size.get())
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

const CTRL_C: KeyEvent = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
const BIG: Size = Size::new(80, 24);
const SMALL: Size = Size::new(50, 12);

/// What the test does next: a message for the loop, or a resize.
enum Step<M> {
    Send(M),
    Resize(Size),
}

/// The `next` of a runner: plays `steps`, resizing `size` on `Resize` (then the loop
/// redraws); fails the test if the loop asks for more than there is.
fn play<M>(
    steps: Vec<Step<M>>,
    size: Rc<Cell<Size>>,
) -> impl FnMut(bool) -> std::io::Result<Option<M>> {
    let mut steps = steps.into_iter();
    move |_| match steps.next().expect("the loop did not end") {
        Step::Send(msg) => Ok(Some(msg)),
        Step::Resize(to) => {
            size.set(to);
            Ok(None)
        }
    }
}

fn typed(text: &str) -> Vec<Step<Msg>> {
    text.chars()
        .map(|c| Step::Send(Msg::Key(key(KeyCode::Char(c)))))
        .collect()
}

/// Runs `wizard` through the real event loop on a terminal of `size`, playing `steps`;
/// `observe` sees every frame.
fn run_wizard(
    wizard: &mut Wizard,
    store: &Store,
    size: Size,
    steps: Vec<Step<Msg>>,
    observe: impl FnMut(&ratatui::buffer::Buffer, &Wizard),
) {
    let size = Rc::new(Cell::new(size));
    let mut terminal = Terminal::new(Resizable::new(size.clone())).unwrap();
    drive(
        &mut terminal,
        wizard,
        &Theme::plain(),
        store,
        play(steps, size),
        observe,
    )
    .unwrap();
}

fn text(buffer: &ratatui::buffer::Buffer) -> String {
    buffer.content().iter().map(|c| c.symbol()).collect()
}

/// At the review step, the terminal shrinks: Enter (which would save), a paste and
/// other keys do nothing; at full size again the review is still there, unsaved.
#[test]
fn enter_on_the_hidden_review_step_does_not_save() {
    let s = Sandbox::new();
    let store = Store::at(s.config.clone(), s.credentials.clone());
    let enter = || Step::Send(Msg::Key(key(KeyCode::Enter)));
    let mut steps = vec![enter()];
    steps.extend(typed("work"));
    steps.push(enter());
    steps.extend(typed(KEY_ID2));
    steps.push(enter());
    steps.extend(typed(SECRET));
    steps.extend([enter(), enter(), enter()]); // region, output → review
    steps.push(Step::Resize(SMALL));
    steps.extend([enter(), Step::Send(Msg::Paste(format!("{KEY_ID}\n")))]);
    steps.extend(typed("vq"));
    steps.extend([enter(), Step::Resize(BIG)]);
    steps.extend([
        Step::Send(Msg::Key(CTRL_C)),
        Step::Send(Msg::Key(key(KeyCode::Char('y')))),
    ]);

    let mut wizard = Wizard::new(Context::default(), None);
    let (mut small_frames, mut last) = (0, String::new());
    run_wizard(&mut wizard, &store, BIG, steps, |buffer, _| {
        last = text(buffer);
        if buffer.area.width < 60 {
            assert!(last.contains("Terminal too small"), "{last}");
            small_frames += 1;
        }
    });
    assert!(small_frames >= 1, "a frame was drawn small");
    assert!(wizard.saved().is_none(), "nothing saved");
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
    let mut wizard = Wizard::new(Context::default(), Some("work"));
    let mut steps = typed("x");
    steps.push(Step::Send(Msg::Key(CTRL_C)));
    let mut frames = Vec::new();
    run_wizard(&mut wizard, &store, SMALL, steps, |buffer, _| {
        frames.push(text(buffer))
    });
    assert_eq!(
        wizard.profile_name().as_deref(),
        Some("work"),
        "`x` was not typed"
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
    let mut picker = Picker::new(data, Mode::Manage, None);
    let send = |c| Step::Send(picker::Msg::Key(key(KeyCode::Char(c))));
    let steps = vec![
        Step::Resize(SMALL),
        send('d'),
        send('y'),
        Step::Send(picker::Msg::Paste("work".into())),
        Step::Resize(BIG),
        Step::Resize(SMALL),
        send('q'),
    ];
    let size = Rc::new(Cell::new(BIG));
    let mut terminal = Terminal::new(Resizable::new(size.clone())).unwrap();
    let chosen = drive_picker(
        &mut terminal,
        &mut picker,
        &Theme::plain(),
        &store,
        &no_env,
        play(steps, size),
    )
    .unwrap();
    assert_eq!(chosen, None);
    assert!(picker.popup.is_none(), "no popup opened");
    assert_eq!(s.read(), before, "nothing deleted");
}

/// The real binary: the review step, the pane made small, Enter, the pane full size
/// again: still the review, nothing written.
#[test]
fn in_a_real_terminal_enter_does_nothing_while_too_small() {
    let s = Sandbox::new();
    let t = Tmux::credwiz(&s, "new work");
    t.wait_for("Step 1 of 6");
    t.send(&["Enter"]);
    t.send(&["-l", KEY_ID2]);
    t.send(&["Enter"]);
    t.wait_for("Step 3 of 6");
    t.send(&["-l", SECRET]);
    for step in ["Step 4 of 6", "Step 5 of 6", "Saving writes these lines"] {
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
