//! The real event loop (`credwiz::tui::drive`) in-process: a terminal whose size the
//! test changes between inputs, and a script of inputs and resizes.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::OnceLock;

use credwiz::keyring::{Keyring, KeyringError};

use credwiz::store::Store;
use credwiz::tui::runner::{App, Input, Services};
use credwiz::tui::theme::Theme;
use credwiz::tui::{Ended, TuiError};
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell as BufferCell};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Size};

/// The keyring of in-process runs: keyring-core's mock store, one for the test process,
/// so that no test reaches the OS keyring of whoever runs them.
pub fn mock_keyring() -> Result<Keyring, KeyringError> {
    static MOCK: OnceLock<Keyring> = OnceLock::new();
    Ok(MOCK.get_or_init(Keyring::mock).clone())
}

/// A `TestBackend` whose size the test sets between events, as a resize would.
pub struct Resizable {
    inner: TestBackend,
    size: Rc<Cell<Size>>,
}

impl Resizable {
    pub fn new(size: Rc<Cell<Size>>) -> Resizable {
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

/// What the script does next: an input for the loop, a resize, or a wait for what the
/// background work (a rotation, a check) shows.
pub enum Step {
    Send(Input),
    Resize(Size),
    /// Ticks until a frame shows this text (20 s at most).
    Until(String),
}

pub fn until(text: &str) -> Step {
    Step::Until(text.to_string())
}

pub fn key(code: KeyCode) -> Step {
    Step::Send(Input::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub fn ctrl(c: char) -> Step {
    Step::Send(Input::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

pub fn paste(text: &str) -> Step {
    Step::Send(Input::Paste(text.to_string()))
}

pub fn typed(text: &str) -> Vec<Step> {
    text.chars().map(|c| key(KeyCode::Char(c))).collect()
}

/// The text of a frame, row after row.
pub fn text(buffer: &Buffer) -> String {
    buffer.content().iter().map(|c| c.symbol()).collect()
}

/// The text of a frame, one line per row (for messages when a test fails).
pub fn rows(buffer: &Buffer) -> String {
    let width = buffer.area.width as usize;
    let cells: Vec<&str> = buffer.content().iter().map(|c| c.symbol()).collect();
    cells
        .chunks(width.max(1))
        .map(|row| row.concat())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `app` through the real loop on a terminal of `size`, playing `steps`; `observe`
/// sees every frame. Fails the test if the loop asks for more than the script has.
pub fn run(
    app: &mut App,
    store: &Store,
    size: Size,
    steps: Vec<Step>,
    observe: impl FnMut(&Buffer, &App),
) -> Result<Ended, TuiError> {
    run_with_env(app, store, size, steps, &|_| None, observe)
}

/// [`run`] with the environment `env` (endpoints pointed at a stub, say).
pub fn run_with_env(
    app: &mut App,
    store: &Store,
    size: Size,
    steps: Vec<Step>,
    env: &dyn Fn(&str) -> Option<String>,
    mut observe: impl FnMut(&Buffer, &App),
) -> Result<Ended, TuiError> {
    let theme = Theme::plain();
    // credwiz's state beside the sandbox's AWS files, never the real one.
    let home = store.locations.config.parent().and_then(|aws| aws.parent());
    let services = Services {
        store,
        env,
        theme: &theme,
        state_file: home.map(|h| h.join(".config/credwiz/state.ini")),
        keyring: mock_keyring,
    };
    let size = Rc::new(Cell::new(size));
    let mut terminal = Terminal::new(Resizable::new(size.clone())).unwrap();
    let mut steps = steps.into_iter().peekable();
    let last_frame = Rc::new(std::cell::RefCell::new(String::new()));
    let seen = last_frame.clone();
    let mut waited_since: Option<std::time::Instant> = None;
    let next = move |_busy: bool| loop {
        match steps.peek().expect("the loop did not end") {
            Step::Until(text) => {
                let frame = last_frame.borrow();
                if frame.contains(text.as_str()) {
                    drop(frame);
                    steps.next();
                    waited_since = None;
                    continue;
                }
                let since = *waited_since.get_or_insert_with(std::time::Instant::now);
                assert!(
                    since.elapsed() < std::time::Duration::from_secs(20),
                    "timed out waiting for {text:?}; the last frame:\n{frame}"
                );
                std::thread::sleep(std::time::Duration::from_millis(20));
                return Ok(Some(Input::Tick));
            }
            Step::Send(_) | Step::Resize(_) => {}
        }
        return match steps.next().unwrap() {
            Step::Send(input) => Ok(Some(input)),
            Step::Resize(to) => {
                size.set(to);
                Ok(None)
            }
            Step::Until(_) => unreachable!("handled above"),
        };
    };
    credwiz::tui::drive(&mut terminal, app, &services, next, |buffer, app| {
        *seen.borrow_mut() = rows(buffer);
        observe(buffer, app);
    })
}
