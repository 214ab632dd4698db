//! The terminal: raw mode, the alternate screen and bracketed paste on stderr (so stdout
//! stays free for a result), restored on every exit path including panics and fatal
//! signals: while the screens are up a signal is handed to the event loop
//! ([`read_event`] ends it with an error), so it ends as on quit (see `crate::process`).

use std::io::{self, IsTerminal, Stderr};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use super::TuiError;
use super::theme::Theme;

/// Whether the screens can run: input from a terminal and a terminal to draw on
/// (stderr, so stdout stays free for a result).
pub fn have_terminal() -> bool {
    io::stdin().is_terminal() && io::stderr().is_terminal()
}

/// Restores the terminal when dropped: on normal exit, on error, on a fatal signal (which
/// ends the event loop with an error), and (through the panic hook installed by `setup`)
/// on panic.
pub struct TerminalGuard {
    _signals: crate::process::Deferral,
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stderr(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
}

pub fn setup() -> io::Result<(Terminal<CrosstermBackend<Stderr>>, TerminalGuard)> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    let guard = TerminalGuard {
        _signals: crate::process::defer_signals(restore),
    };
    enable_raw_mode()?;
    execute!(io::stderr(), EnterAlternateScreen, EnableBracketedPaste)?;
    // Starts crossterm's reader now, so the SIGWINCH that hands a signal to the loop
    // always finds it listening.
    event::poll(std::time::Duration::ZERO)?;
    let terminal = Terminal::new(CrosstermBackend::new(io::stderr()))?;
    Ok((terminal, guard))
}

/// Reads the next event; while something runs in the background, waits at most a tenth
/// of a second and reports a tick so the spinner turns. A fatal signal (SIGTERM, SIGINT,
/// SIGHUP, SIGQUIT) ends the loop: an `Interrupted` error, before or after waiting (the
/// signal wakes the wait).
pub fn read_event<M>(
    busy: bool,
    convert: fn(Event) -> Option<M>,
    tick: fn() -> M,
) -> io::Result<Option<M>> {
    stop_if_signalled()?;
    if busy && !event::poll(std::time::Duration::from_millis(100))? {
        return Ok(Some(tick()));
    }
    let event = event::read()?;
    stop_if_signalled()?;
    Ok(convert(event))
}

fn stop_if_signalled() -> io::Result<()> {
    match crate::process::pending_signal() {
        Some(signal) => Err(io::Error::new(
            io::ErrorKind::Interrupted,
            format!("stopped by signal {signal}"),
        )),
        None => Ok(()),
    }
}

/// A full-screen message, for a file that cannot be read: names the file and line,
/// writes nothing, and waits for a key.
pub fn show_error(message: &str) -> Result<(), TuiError> {
    let theme = Theme::from_env();
    let (mut terminal, _guard) = setup()?;
    loop {
        terminal.draw(|frame| {
            use ratatui::text::{Line, Span};
            use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
            let lines = vec![
                Line::from(Span::styled("credwiz cannot read your AWS files", theme.error)),
                Line::raw(""),
                Line::raw(message.to_string()),
                Line::raw(""),
                Line::raw("Nothing was changed. Fix the line above (or move the file aside) and run credwiz again."),
                Line::raw(""),
                Line::from(Span::styled("Press any key to exit.", theme.dim)),
            ];
            let block = Block::default().borders(Borders::ALL).title(" credwiz ");
            frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), frame.area());
        })?;
        if let Some(Event::Key(key)) = read_event(false, Some, || Event::FocusGained)?
            && key.kind == KeyEventKind::Press
        {
            return Ok(());
        }
    }
}
