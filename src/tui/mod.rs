//! The terminal UI: state → update → view, one module per screen (`wizard`, `picker`),
//! widgets apart. This module runs the screens' loops and executes the effects they ask
//! for (store edits, file reads, verification, clipboard); `terminal` owns the terminal.
//! In a frame smaller than [`MIN_SIZE`] the screens show only a message and the loops
//! pass them no key or paste (only the quit key it names quits).

pub mod clipboard;
pub mod job;
pub mod path_completion;
pub mod picker;
pub mod terminal;
pub mod theme;
pub mod widget;
pub mod wizard;

use std::io;

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Rect, Size};
use ratatui::widgets::{Paragraph, Wrap};

use crate::store::{Store, StoreError, ops};
use crate::sts;
use job::VerifyJob;
use terminal::read_event;
pub use terminal::{TerminalGuard, have_terminal, setup, show_error};
use theme::Theme;
use wizard::{Context, Effect, Msg, Plan, Wizard};

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

/// What a key does in a frame that is [`too_small`]: quit when it is the key the message
/// names (Ctrl+C; `q` too where `q` quits), else nothing.
fn quits_when_small(key: &KeyEvent, q_quits: bool) -> bool {
    let ctrl_c = key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
    let q = key.modifiers.is_empty() && key.code == KeyCode::Char('q');
    ctrl_c || (q_quits && q)
}

/// A terminal event as a wizard message; `None` for events that only need a redraw.
pub fn message(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        _ => None,
    }
}

/// What the wizard needs to know of the files: existing profiles, secrets masked.
pub fn wizard_context(store: &Store) -> Result<Context, StoreError> {
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    let set = parsed.profiles();
    let existing = set
        .profiles
        .iter()
        .map(|(name, section)| {
            let settings = section
                .shown()
                .map(|(k, v, _)| (k.into_owned(), v.into_owned()))
                .collect();
            (name.to_string(), settings)
        })
        .collect();
    Ok(Context { existing })
}

/// Runs the wizard to the end: draws, reads events from `next`, executes effects
/// against the store. Generic over the backend so tests drive it with `TestBackend`;
/// `observe` sees every frame drawn.
pub fn drive<B: Backend>(
    terminal: &mut Terminal<B>,
    wizard: &mut Wizard,
    theme: &Theme,
    store: &Store,
    mut next: impl FnMut(bool) -> io::Result<Option<Msg>>,
    mut observe: impl FnMut(&ratatui::buffer::Buffer, &Wizard),
) -> io::Result<()>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let mut job: Option<VerifyJob> = None;
    loop {
        if let Some(result) = job.as_ref().and_then(VerifyJob::poll) {
            job = None;
            wizard.update(Msg::Verified(result));
        }
        let frame = terminal
            .draw(|frame| wizard::view::render(frame, wizard, theme))
            .map_err(io::Error::other)?;
        let small = too_small(frame.area);
        observe(frame.buffer, wizard);
        let msg = match next(job.is_some())? {
            Some(Msg::Key(key)) if small && quits_when_small(&key, false) => return Ok(()),
            Some(Msg::Key(_) | Msg::Paste(_)) if small => continue,
            Some(msg) => msg,
            None => continue,
        };
        let mut effect = wizard.update(msg);
        while let Some(current) = effect.take() {
            let reply = match current {
                Effect::Quit => return Ok(()),
                Effect::Preview(plan) => Msg::Previewed(
                    store
                        .preview(|editor| save(editor, &plan))
                        .map_err(|e| e.to_string()),
                ),
                Effect::Save(plan) => Msg::Saved(
                    store
                        .edit(|editor| save(editor, &plan))
                        .map(|(_, paths)| wizard::Written {
                            paths,
                            warnings: notices(store),
                        })
                        .map_err(|e| e.to_string()),
                ),
                Effect::ReadCsv(path) => Msg::CsvRead(read_csv(&path)),
                Effect::CancelVerify => {
                    job = None;
                    break;
                }
                Effect::Verify(keys, region) => {
                    let env = |name: &str| std::env::var(name).ok();
                    let settings = |key: &str| (key == "region").then(|| region.clone()).flatten();
                    let endpoint = sts::endpoint::resolve(&env, &settings, None);
                    job = Some(VerifyJob::start(String::new(), keys, endpoint));
                    break;
                }
                Effect::CompletePath(typed) => Msg::PathCompleted(path_completion::complete(
                    &typed,
                    dirs::home_dir().as_deref(),
                )),
            };
            effect = wizard.update(reply);
        }
    }
}

fn save(editor: &mut crate::store::Editor, plan: &Plan) -> Result<(), StoreError> {
    match plan {
        Plan::Profile(profile, overwrite) => {
            ops::save_profile(editor, profile, *overwrite).map(|_| ())
        }
        Plan::Import(keys) => ops::import(editor, keys, false),
    }
}

fn read_csv(path: &std::path::Path) -> Result<Vec<crate::domain::import::ImportedKey>, String> {
    let shown = path.display().to_string();
    let expanded = match (shown.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    };
    let bytes = zeroize::Zeroizing::new(
        std::fs::read(&expanded).map_err(|e| format!("cannot read {shown}: {e}"))?,
    );
    crate::domain::import::read_rows(&bytes, &shown)
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

/// Runs a TUI session on the terminal. Returns the profile chosen in pick mode. A fatal
/// signal ends the session as quitting does (secrets dropped, terminal restored), then
/// the process dies by it.
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
    // `Home` reads the files once: the picker's data also says whether any profile exists.
    let (start, mode, loaded) = match entry {
        Entry::Wizard(start) => (Some(start), picker::Mode::Manage, None),
        Entry::Picker(mode) => (None, mode, None),
        Entry::Home => {
            let data = picker::data::load(store, &env)?;
            if data.rows.is_empty() {
                (Some(Start::Welcome), picker::Mode::Manage, None)
            } else {
                (None, picker::Mode::Manage, Some(data))
            }
        }
    };
    let wizard = match start {
        Some(start) => {
            let context = wizard_context(store)?;
            Some(match start {
                Start::Welcome => Wizard::new(context, None),
                Start::Named(name) => Wizard::new(context, Some(name)),
                Start::Import => Wizard::importing(context),
            })
        }
        None => None,
    };
    // One terminal session for the wizard and the picker after it: no flicker between.
    let (mut terminal, _guard) = setup()?;
    let highlight = match wizard {
        Some(mut wizard) => {
            let read = |busy| read_event(busy, message, || Msg::Tick);
            drive(&mut terminal, &mut wizard, &theme, store, read, |_, _| {})?;
            match wizard.saved() {
                Some(Ok(_)) => wizard.profile_name(),
                Some(Err(error)) => return Err(TuiError::NotSaved(error.clone())),
                None => return Ok(Ended::Cancelled),
            }
        }
        None => None,
    };
    let data = match loaded {
        Some(data) => data,
        None => picker::data::load(store, &env)?,
    };
    let mut picker = picker::Picker::new(data, mode, highlight.as_deref())
        .with_state(crate::state::State::load());
    // Said before the screens opened: an interrupted change that was completed.
    let said_before = status_with_notices(store, None);
    if !said_before.is_empty() {
        picker.update(picker::Msg::Done(Ok(said_before), None, None));
    }
    let read = |busy| read_event(busy, picker_message, || picker::Msg::Tick);
    Ok(
        match drive_picker(&mut terminal, &mut picker, &theme, store, &env, read)? {
            Some(name) => Ended::Chosen(name),
            None if mode == picker::Mode::Pick => Ended::Cancelled,
            None => Ended::Finished,
        },
    )
}

fn picker_message(event: Event) -> Option<picker::Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(picker::Msg::Key(key)),
        Event::Paste(text) => Some(picker::Msg::Paste(text)),
        _ => None,
    }
}

/// The picker's loop: draw, read, run effects through the store, feed results back.
/// Returns the profile chosen in pick mode.
pub fn drive_picker<B: Backend>(
    terminal: &mut Terminal<B>,
    picker: &mut picker::Picker,
    theme: &Theme,
    store: &Store,
    env: &dyn Fn(&str) -> Option<String>,
    mut next: impl FnMut(bool) -> io::Result<Option<picker::Msg>>,
) -> Result<Option<String>, TuiError>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    use picker::{Effect as E, Msg as M};
    let reload = || picker::data::load(store, env).ok();
    let mut clipboard = clipboard::Clipboard::default();
    let mut job: Option<VerifyJob> = None;
    loop {
        if let Some(result) = job.as_ref().and_then(VerifyJob::poll) {
            let name = job.take().map(|j| j.name).unwrap_or_default();
            if sts::record(&mut picker.state, &name, &result) {
                picker.state.save();
            }
            picker.update(M::Verified(name, result));
        }
        let frame = terminal
            .draw(|frame| picker::view::render(frame, picker, theme))
            .map_err(io::Error::other)?;
        let small = too_small(frame.area);
        let msg = match next(job.is_some())? {
            Some(M::Key(key)) if small && quits_when_small(&key, true) => return Ok(None),
            Some(M::Key(_) | M::Paste(_)) if small => continue,
            Some(msg) => msg,
            None => continue,
        };
        let Some(effect) = picker.update(msg) else {
            continue;
        };
        let reply = match effect {
            E::Quit => return Ok(None),
            E::Choose(name) => {
                picker.state.used(&name);
                picker.state.save();
                return Ok(Some(name));
            }
            E::PlanDefault(name) => {
                let plan = store.dry_run(|editor| ops::make_default(editor, &name));
                M::Planned(
                    name.clone(),
                    plan.map(|(made, _)| describe_default(&name, &made))
                        .map_err(|e| e.to_string()),
                )
            }
            E::MakeDefault(name) => {
                let done = store.edit(|editor| ops::make_default(editor, &name));
                if done.is_ok() {
                    picker.state.used(&name);
                    picker.state.save();
                }
                M::Done(
                    said(store, done, format!("`{name}` is now the default profile")),
                    reload(),
                    Some("default".into()),
                )
            }
            E::Delete(name) => {
                let done = store.edit(|editor| ops::remove(editor, &name, true));
                M::Done(
                    said(store, done, format!("removed `{name}`")),
                    reload(),
                    None,
                )
            }
            E::Rename(old, new) => {
                let done = store.edit(|editor| ops::rename(editor, &old, &new));
                if done.is_ok() {
                    picker.state.renamed(&old, &new);
                    picker.state.save();
                }
                M::Done(
                    said(store, done, format!("renamed `{old}` to `{new}`")),
                    reload(),
                    Some(new),
                )
            }
            E::Edit(name, region, output) => {
                let done = store.edit(|editor| {
                    for (key, value) in [("region", &region), ("output", &output)] {
                        match value {
                            Some(value) => editor.set(&name, &[(key, value.as_str())])?,
                            None => editor.remove_keys(&name, &[key])?,
                        }
                    }
                    Ok(())
                });
                M::Done(
                    said(store, done, format!("saved `{name}`")),
                    reload(),
                    Some(name),
                )
            }
            E::Rotate(name, access_key_id, secret) => {
                let profile = ops::NewProfile {
                    name: name.clone(),
                    access_key_id,
                    secret,
                    token: None,
                    region: None,
                    output: None,
                };
                let done = store.edit(|editor| ops::save_profile(editor, &profile, true));
                let also = match &done {
                    Ok((saved, _)) if !saved.also.is_empty() => format!(
                        " (and {}, which held the old key)",
                        crate::domain::text::quoted_list(&saved.also)
                    ),
                    Ok((saved, _)) if saved.still_old > 0 => format!(
                        " (the old key ID is in the files {} more times: give those profiles the new one)",
                        saved.still_old
                    ),
                    _ => String::new(),
                };
                M::Done(
                    said(
                        store,
                        done,
                        format!(
                            "`{name}`{also} has its new key; delete the old one in the IAM console once nothing uses it"
                        ),
                    ),
                    reload(),
                    Some(name),
                )
            }
            E::Copy(key_id) => M::Done(clipboard.copy(&key_id), None, None),
            E::CancelVerify => {
                job = None;
                continue;
            }
            E::Verify(name) => {
                let target = store
                    .load()
                    .map_err(|e| e.to_string())
                    .and_then(|snapshot| {
                        let parsed = snapshot.parse().map_err(|e| e.to_string())?;
                        sts::target::for_profile(&parsed, &name, env)
                    });
                match target {
                    Ok((keys, endpoint)) => {
                        job = Some(VerifyJob::start(name, keys, endpoint));
                        continue;
                    }
                    Err(why) => M::Verified(name, Err(sts::Failure::Unchecked(why))),
                }
            }
            E::Add => {
                let mut wizard = Wizard::new(wizard_context(store)?, None);
                let read = |busy| read_event(busy, message, || Msg::Tick);
                drive(terminal, &mut wizard, theme, store, read, |_, _| {})?;
                let saved = wizard.saved().is_some_and(|r| r.is_ok());
                let name = wizard.profile_name().filter(|_| saved);
                if let Some(name) = &name {
                    picker.state.used(name);
                    picker.state.save();
                }
                let text = name
                    .as_ref()
                    .map(|n| format!("added `{n}`"))
                    .ok_or_else(|| "nothing added".to_string());
                M::Done(text, reload(), name)
            }
        };
        picker.update(reply);
    }
}

/// What the status line says after a store write: `success` and what the store said
/// meanwhile, or the error.
fn said<T>(store: &Store, done: Result<T, StoreError>, success: String) -> Result<String, String> {
    let text = status_with_notices(store, Some(success));
    done.map(|_| text).map_err(|e| e.to_string())
}

/// `first`, then each of the store's notices as a `warning: …` line.
fn status_with_notices(store: &Store, first: Option<String>) -> String {
    first
        .into_iter()
        .chain(notices(store).into_iter().map(|w| format!("warning: {w}")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the store said during the last action (the screens have no live sink: they draw
/// on stderr), one line each.
fn notices(store: &Store) -> Vec<String> {
    store
        .take_notices()
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// What making `name` the default does, in people's words, for the confirmation.
fn describe_default(name: &str, made: &ops::MadeDefault) -> Vec<String> {
    let mut lines = vec![
        format!("`default` becomes a copy of `{name}`: its keys,"),
        "region and output.".to_string(),
    ];
    lines.push(match &made.previous {
        ops::Previous::NoDefault => "There is no default profile yet.".to_string(),
        ops::Previous::Nothing => "The current default has no keys of its own.".to_string(),
        ops::Previous::HeldBy(holder) => format!("The current default's keys stay in `{holder}`."),
        ops::Previous::SavedAs(saved) => format!("The current default is kept as `{saved}`."),
    });
    if !made.redirected.is_empty() {
        lines.push(format!(
            "{} keep their keys (source_profile follows).",
            made.redirected.join(", ")
        ));
    }
    lines
}
