//! The terminal UI: state → update → view, one module per screen (`wizard`, `picker`
//! and its dialogs), the fields every form is made of in `form`, drawing pieces in
//! `widget`, key tables in `keys`. One runner (`runner`) owns the event loop for every
//! screen and executes the effects they ask for (store edits, file reads, verification,
//! clipboard); `terminal` owns the terminal. In a frame smaller than [`MIN_SIZE`] the
//! screens show only a message and the runner passes them no key or paste (only the
//! quit key it names quits).

pub(crate) mod clipboard;
pub(crate) mod form;
pub mod job;
pub(crate) mod keys;
pub mod path_completion;
pub mod picker;
pub mod runner;
pub mod terminal;
pub mod theme;
pub(crate) mod widget;
pub mod wizard;

use std::io;

use ratatui::layout::{Rect, Size};
use ratatui::widgets::{Paragraph, Wrap};

use crate::store::{Store, StoreError};
pub use runner::{App, Services, drive};
use terminal::read_event;
pub use terminal::{TerminalGuard, have_terminal, setup, show_error};
use theme::Theme;
use wizard::Wizard;

/// Why the TUI did not run.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error(
        "credwiz's screens need a terminal, and this is not one.\n\
         In scripts use the subcommands, e.g. `credwiz add NAME --access-key-id ID < secret-file`; \
         see `credwiz --help`"
    )]
    NoTerminal,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("terminal error: {0}")]
    Io(#[from] io::Error),
    /// The wizard's save failed (its last screen said why).
    #[error("not saved: {0}")]
    NotSaved(String),
}

/// The smallest frame the screens are drawn in. Below it the views show only a message
/// ([`render_too_small`]) and the runners pass no key or paste to the screens, so nothing
/// hidden can act; the quit key the message names quits.
pub const MIN_SIZE: Size = Size::new(60, 16);

/// Whether `area` is too small for the screens: the one test the views and the runners
/// share, so what is shown and what keys do cannot disagree.
pub fn too_small(area: Rect) -> bool {
    area.width < MIN_SIZE.width || area.height < MIN_SIZE.height
}

/// The message drawn instead of a screen in a frame that is [`too_small`]; `quit` names
/// the key that quits.
pub fn render_too_small(frame: &mut ratatui::Frame, quit: &str) {
    let area = frame.area();
    let text = format!(
        "Terminal too small: credwiz needs at least {}×{} (now {}×{}). Make it larger, or press {quit} to quit.",
        MIN_SIZE.width, MIN_SIZE.height, area.width, area.height
    );
    let paragraph = Paragraph::new(text).wrap(Wrap { trim: true });
    frame.render_widget(paragraph, area);
}

/// Where the wizard opens.
pub enum Start<'a> {
    Welcome,
    /// `credwiz new NAME`: at the name step, prefilled.
    Named(&'a str),
    /// `credwiz import` without a file: at the CSV path field.
    Import,
}

/// Which screen a TUI session opens on.
pub enum Entry<'a> {
    /// `credwiz`: the wizard while there is no profile yet, else the picker.
    Home,
    /// `credwiz new [NAME]`, `credwiz import` in a terminal, `credwiz` with no profile:
    /// after saving, the picker opens with the new profile highlighted.
    Wizard(Start<'a>),
    /// `credwiz` (manage) or `credwiz pick` (choose for the shell).
    Picker(picker::Mode),
}

/// How a TUI session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// `credwiz pick`: the profile chosen.
    Chosen(String),
    /// The picker was closed after use.
    Finished,
    /// The wizard was discarded, or `credwiz pick` closed without a choice (exit 130, as
    /// fzf does, so `eval "$(credwiz pick)" && …` can tell).
    Cancelled,
}

/// Runs a TUI session on the terminal. A fatal signal ends the session as quitting does
/// (secrets dropped, terminal restored), then the process dies by it.
pub fn run(store: &Store, entry: Entry) -> Result<Ended, TuiError> {
    let result = session(store, entry);
    crate::process::die_if_signalled();
    result
}

fn session(store: &Store, entry: Entry) -> Result<Ended, TuiError> {
    if !have_terminal() {
        return Err(TuiError::NoTerminal);
    }
    let env = |name: &str| std::env::var(name).ok();
    let theme = Theme::from_env();
    let services = Services {
        store,
        env: &env,
        theme: &theme,
        state_file: crate::state::path(),
        keyring: crate::keyring::Keyring::os,
    };
    let mut app = match entry {
        Entry::Wizard(start) => App::wizard(start_wizard(store, start)?),
        Entry::Picker(mode) => App::picker(runner::open_picker(&services, mode, None)?),
        Entry::Home => {
            // The picker's data also says whether any profile exists: the files are read once.
            let data = picker::data::rows(store, &env)?;
            if data.rows.is_empty() {
                App::wizard(start_wizard(store, Start::Welcome)?)
            } else {
                App::picker(runner::picker_with(
                    &services,
                    data,
                    picker::Mode::Manage,
                    None,
                ))
            }
        }
    };
    // One terminal session for every screen: no flicker between them.
    let (mut terminal, _guard) = setup()?;
    let read = |busy| read_event(busy, runner::input, || runner::Input::Tick);
    drive(&mut terminal, &mut app, &services, read, |_, _| {})
}

fn start_wizard(store: &Store, start: Start) -> Result<Wizard, StoreError> {
    let context = runner::wizard_context(store)?;
    Ok(match start {
        Start::Welcome => Wizard::new(context, None),
        Start::Named(name) => Wizard::new(context, Some(name)),
        Start::Import => Wizard::importing(context),
    })
}
