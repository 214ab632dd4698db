//! The profile picker: every profile in one table, a detail pane, the findings, a fuzzy
//! filter, and actions that all go through the store. State and `update` only; the
//! runner (`tui::runner`) executes the effects. The keys are one table
//! ([`Picker::bindings`]) that key handling, the footer and the help all read; each
//! dialog is a module of [`dialog`] with its own table.

pub mod data;
pub mod dialog;
pub mod fuzzy;
pub mod view;

use std::cell::Cell;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::domain::profile::Kind;
use crate::domain::secret::Secret;
use crate::state::State;
use crate::tui::form::TextField;
use crate::tui::keys::{self, Binding, Chord, Shown};
use data::{Data, Row};
pub use dialog::Dialog;
use dialog::Outcome;

/// `credwiz` manages profiles; `credwiz pick` chooses one for the current shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Manage,
    Pick,
}

/// What an action that finished says, and the fresh data to show.
pub struct Finished {
    /// The line for the status bar: what was done, or why it failed.
    pub said: Result<String, String>,
    /// The files as they are now (`None`: unchanged, keep what is shown).
    pub data: Option<Data>,
    /// The profile to highlight in the fresh data.
    pub highlight: Option<String>,
}

impl Finished {
    /// A message only; the data shown stays.
    pub fn said(said: Result<String, String>) -> Finished {
        Finished {
            said,
            data: None,
            highlight: None,
        }
    }
}

pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The outcome of a dry run of making `name` the default, in people's words.
    Planned {
        name: String,
        outcome: Result<Vec<String>, String>,
    },
    /// The first repair of the files there is to make (`None`: nothing to repair),
    /// and what cannot be repaired, with why.
    FixPlanned {
        fix: Option<Box<crate::store::fix::Fix>>,
        refused: Vec<String>,
    },
    /// An action finished.
    Done(Finished),
    /// A verification of `name` finished.
    Verified {
        name: String,
        result: Result<crate::sts::Verified, crate::sts::Failure>,
    },
    /// A rotation through IAM said something, asked, or ended (then with the files as
    /// they are now).
    Rotation {
        heard: crate::tui::job::Heard,
        data: Option<Data>,
    },
    /// The MFA session `m` asked for: where it comes from and goes, or why there is none.
    SessionPlanned {
        result: Result<crate::session::Plan, String>,
    },
    /// The user's MFA devices, found for a profile that names none.
    SessionDevices {
        result: Result<Vec<String>, String>,
    },
    /// The session was made (what to say, the files as they are now), or why not.
    SessionStarted {
        result: Result<Vec<String>, String>,
        into: String,
        data: Option<Data>,
    },
    /// Doctor's findings, worked out after the first frame.
    Findings(Vec<crate::store::doctor::Finding>),
    /// Time passes while something runs in the background (the spinner turns).
    Tick,
}

/// What an edit does to one setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Left as it is, byte for byte.
    Keep,
    Set(String),
    Remove,
}

/// A key pair (and, for temporary keys, its token) to put in a profile.
#[derive(Debug, Clone)]
pub struct NewKey {
    pub access_key_id: String,
    pub secret: Secret,
    pub token: Option<Secret>,
}

#[derive(Debug)]
pub enum Effect {
    PlanDefault {
        name: String,
    },
    MakeDefault {
        name: String,
    },
    Delete {
        name: String,
    },
    Rename {
        from: String,
        to: String,
    },
    Edit {
        name: String,
        /// The `endpoint_url` (another service's profile; `Keep` for AWS's).
        endpoint: Change,
        region: Change,
        output: Change,
    },
    /// Replace the key pair (in every profile that holds the old one).
    Rotate {
        name: String,
        key: NewKey,
        /// The service other than AWS the keys are for (where the old key is deleted).
        service: Option<&'static crate::domain::service::Preset>,
    },
    /// Rotate the profile's key through IAM (in the background; the dialog narrates).
    RotateThroughIam {
        name: String,
        options: crate::rotate::Options,
    },
    /// Work out the MFA session for `name` (and find its devices when it names none).
    PlanSession {
        name: String,
    },
    /// Ask STS for the session and write it.
    StartSession {
        plan: crate::session::Plan,
        serial: String,
        code: String,
        seconds: u32,
        /// Write `serial` into the source profile as its `mfa_serial`.
        save_serial: bool,
    },
    /// The answer to the question the rotation waits on.
    AnswerRotation {
        answer: crate::tui::job::Answer,
    },
    /// Move the profile's secret into the OS keyring.
    Protect {
        name: String,
    },
    /// Put the profile's secret back into the credentials file.
    Unprotect {
        name: String,
    },
    /// Copy the access key ID to the clipboard.
    Copy {
        key_id: String,
    },
    /// Check the profile's keys with STS (in the background).
    Verify {
        name: String,
    },
    CancelVerify,
    /// Work out the first repair `credwiz doctor --fix` would make.
    PlanFix,
    /// Make a repair (planned on the files as they were; refused if they changed).
    ApplyFix {
        fix: Box<crate::store::fix::Fix>,
    },
    /// Open the setup wizard, then come back.
    Add,
    /// Pick mode: select this profile in the shell, and quit.
    Choose {
        name: String,
    },
    Quit,
}

/// What a key does in the picker (see [`Picker::bindings`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Act,
    Filter,
    ClearFilter,
    CancelVerify,
    Help,
    Sort,
    Add,
    Edit,
    NewKey,
    Session,
    Rename,
    Delete,
    /// Move the secret into the OS keyring, or back into the file.
    MoveSecret,
    Copy,
    Verify,
    Fix,
    Quit,
}

const fn plain(c: char) -> Chord {
    Chord::Plain(KeyCode::Char(c))
}

const PAGE_UP: &[Chord] = &[Chord::Plain(KeyCode::PageUp)];
const PAGE_DOWN: &[Chord] = &[Chord::Plain(KeyCode::PageDown)];
const HOME: &[Chord] = &[Chord::Plain(KeyCode::Home)];
const END: &[Chord] = &[Chord::Plain(KeyCode::End)];
const SLASH: &[Chord] = &[plain('/')];
const QUIT: &[Chord] = &[plain('q'), Chord::Plain(KeyCode::Esc)];
const SORT: &[Chord] = &[plain('s')];
const ADD: &[Chord] = &[plain('a')];
const EDIT: &[Chord] = &[plain('e')];
const NEW_KEY: &[Chord] = &[plain('k')];
const SESSION: &[Chord] = &[plain('m')];
const RENAME: &[Chord] = &[plain('r')];
const DELETE: &[Chord] = &[plain('d')];
const MOVE_SECRET: &[Chord] = &[plain('p')];
const COPY: &[Chord] = &[plain('c')];
const VERIFY: &[Chord] = &[plain('v')];
const FIX: &[Chord] = &[plain('f')];

/// How the status line reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Done as asked.
    Done,
    /// Not done, or done with something to know, but nothing is wrong (a check that
    /// could not be made).
    Caution,
    /// Failed, or something is wrong.
    Failed,
}

impl Tone {
    fn of(failed: bool) -> Tone {
        if failed { Tone::Failed } else { Tone::Done }
    }
}

/// The order of the unfiltered list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// `default` first, then by name.
    Name,
    /// Recently used first (made default, picked, added), then by name.
    Recent,
}

pub struct Picker {
    pub data: Data,
    pub mode: Mode,
    pub state: State,
    pub sort: Sort,
    filter: TextField,
    filtering: bool,
    /// The rows shown: indexes into `data.rows`, with the matched character positions.
    view: Vec<(usize, Vec<usize>)>,
    /// The longest name among the rows shown, in characters (the name column's width),
    /// worked out when the rows change rather than on every frame.
    longest_name: usize,
    /// The longest kind among the rows shown (`session`, `LocalStack`), likewise.
    longest_kind: usize,
    /// Some profile keeps its secret in the OS keyring: the table shows where each
    /// secret is (as `list` does).
    any_keyring: bool,
    selected: usize,
    /// First visible row; the view keeps the selection in sight as it draws.
    pub offset: Cell<usize>,
    pub popup: Option<Dialog>,
    /// The status line: how it reads, and its text.
    message: Option<(Tone, String)>,
    /// The profile being verified, and the spinner's frame.
    pub verifying: Option<(String, usize)>,
    /// Now, seconds since 1970: what the time left of temporary credentials is counted
    /// from (read when the picker opens and when its data changes; tests set it).
    pub now: i64,
}

impl Picker {
    pub fn new(data: Data, mode: Mode, highlight: Option<&str>) -> Picker {
        let mut picker = Picker {
            data,
            mode,
            state: State::default(),
            sort: Sort::Name,
            filter: TextField::default(),
            filtering: false,
            view: Vec::new(),
            longest_name: 0,
            longest_kind: 0,
            any_keyring: false,
            selected: 0,
            offset: Cell::new(0),
            popup: None,
            message: None,
            verifying: None,
            now: crate::domain::expiry::now(),
        };
        picker.refilter(highlight.map(str::to_string));
        picker
    }

    /// With credwiz's own state (recently used, verification results, the profile the
    /// default was made from: a finding when that profile's key changed since).
    pub fn with_state(mut self, state: State) -> Picker {
        let keep = self.selected().map(|r| r.name.clone());
        self.state = state;
        let key_of = |name: &str| {
            self.data
                .rows
                .iter()
                .find(|r| r.name == name)
                .and_then(|r| r.key_id.clone())
        };
        if let Some(from) = self.state.stale_default(key_of) {
            let finding = crate::store::doctor::Finding {
                severity: crate::store::doctor::Severity::Warning,
                message: crate::state::stale_default_said(from, "Enter on it in this list"),
            };
            self.data.findings.push(finding);
        }
        self.refilter(keep);
        self
    }

    pub fn rows(&self) -> impl Iterator<Item = (&Row, &[usize])> {
        self.view
            .iter()
            .map(|(i, positions)| (&self.data.rows[*i], positions.as_slice()))
    }

    pub fn shown(&self) -> usize {
        self.view.len()
    }

    pub(crate) fn longest_name(&self) -> usize {
        self.longest_name
    }

    pub(crate) fn longest_kind(&self) -> usize {
        self.longest_kind
    }

    pub(crate) fn any_keyring(&self) -> bool {
        self.any_keyring
    }

    pub fn selected_index(&self) -> usize {
        self.selected
    }

    pub fn selected(&self) -> Option<&Row> {
        self.view
            .get(self.selected)
            .map(|(i, _)| &self.data.rows[*i])
    }

    pub(crate) fn filter(&self) -> &TextField {
        &self.filter
    }

    pub fn filtering(&self) -> bool {
        self.filtering
    }

    /// Keys the last verification showed to be the root user's.
    pub fn is_root(&self, name: &str) -> bool {
        self.state
            .verification(name)
            .is_some_and(|v| v.arn.as_deref().is_some_and(|a| a.ends_with(":root")))
    }

    pub fn message(&self) -> Option<(Tone, &str)> {
        self.message.as_ref().map(|(e, m)| (*e, m.as_str()))
    }

    /// Recomputes the shown rows, keeping `keep` (a profile name) highlighted if shown.
    fn refilter(&mut self, keep: Option<String>) {
        let pattern = self.filter.trimmed().to_string();
        if pattern.is_empty() {
            let mut order: Vec<usize> = (0..self.data.rows.len()).collect();
            if self.sort == Sort::Recent {
                let rank = |i: &usize| {
                    let name = &self.data.rows[*i].name;
                    self.state
                        .recent
                        .iter()
                        .position(|r| r == name)
                        .unwrap_or(usize::MAX)
                };
                order.sort_by_key(|i| (rank(i), *i));
            }
            self.view = order.into_iter().map(|i| (i, Vec::new())).collect();
        } else {
            let mut scored: Vec<(i32, usize, Vec<usize>)> = self
                .data
                .rows
                .iter()
                .enumerate()
                .filter_map(|(i, row)| {
                    fuzzy::fuzzy(&pattern, &row.name).map(|m| (m.score, i, m.positions))
                })
                .collect();
            scored.sort_by_key(|(score, i, _)| (std::cmp::Reverse(*score), *i));
            self.view = scored.into_iter().map(|(_, i, p)| (i, p)).collect();
        }
        self.longest_name = self
            .view
            .iter()
            .map(|(i, _)| self.data.rows[*i].name.chars().count())
            .max()
            .unwrap_or(0);
        self.longest_kind = self
            .view
            .iter()
            .map(|(i, _)| self.data.rows[*i].kind_cell(self.now).chars().count())
            .max()
            .unwrap_or(0);
        self.any_keyring = self
            .data
            .rows
            .iter()
            .any(|r| r.secret_in == Some(crate::domain::keyring::SecretIn::Keyring));
        self.selected = keep
            .and_then(|name| {
                self.view
                    .iter()
                    .position(|(i, _)| self.data.rows[*i].name == name)
            })
            .unwrap_or(0);
    }

    fn move_by(&mut self, delta: isize) {
        if self.view.is_empty() {
            return;
        }
        let last = self.view.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
    }

    /// The keys that work now: for key handling, the footer and the help.
    pub(crate) fn bindings(&self) -> Vec<Binding<Action>> {
        use Action as A;
        let moving = [
            Binding::new(keys::UP, "↑↓", "move", A::Up).shown(Shown::Help),
            Binding::new(keys::DOWN, "↓", "move", A::Down).shown(Shown::Hidden),
            Binding::new(PAGE_UP, "PgUp PgDn", "a page up or down", A::PageUp).shown(Shown::Help),
            Binding::new(PAGE_DOWN, "PgDn", "", A::PageDown).shown(Shown::Hidden),
        ];
        let act = match self.mode {
            Mode::Pick => "use in this shell",
            Mode::Manage => "make default",
        };
        let enter = Binding::new(keys::ENTER, "Enter", act, A::Act).explained(match self.mode {
            Mode::Pick => "use the highlighted profile in this shell",
            Mode::Manage => "make the highlighted profile the default",
        });
        let mut table = Vec::new();
        if self.verifying.is_some() {
            table.push(Binding::new(
                keys::ESC,
                "Esc",
                "cancel the check",
                A::CancelVerify,
            ));
        }
        if self.filtering {
            table.extend(moving);
            table.extend([
                Binding::new(keys::ENTER, "Enter", "choose", A::Act),
                Binding::new(keys::ESC, "Esc", "clear", A::ClearFilter)
                    .explained("clear the filter"),
            ]);
            return table;
        }
        table.push(enter);
        table.push(
            Binding::new(SLASH, "/", "filter", A::Filter).explained("filter by name (fuzzy)"),
        );
        if !self.filter.is_empty() {
            table.push(
                Binding::new(keys::ESC, "Esc", "clear filter", A::ClearFilter).shown(Shown::Help),
            );
        }
        table.extend(moving);
        table.extend([
            Binding::new(HOME, "Home End", "first or last profile", A::Home).shown(Shown::Help),
            Binding::new(END, "End", "", A::End).shown(Shown::Hidden),
        ]);
        let group = Shown::Grouped("act");
        if self.mode == Mode::Manage {
            table.extend([
                Binding::new(ADD, "a", "add", A::Add)
                    .explained("add a profile (the setup wizard)")
                    .shown(group),
                Binding::new(EDIT, "e", "edit", A::Edit)
                    .explained("edit region and output, and another service's endpoint")
                    .shown(group),
                Binding::new(NEW_KEY, "k", "new key", A::NewKey)
                    .explained("a new key: rotated through IAM, or pasted")
                    .shown(group),
                Binding::new(SESSION, "m", "MFA session", A::Session)
                    .explained("start or renew an MFA session (NAME-session)")
                    .shown(group),
                Binding::new(RENAME, "r", "rename", A::Rename).shown(group),
                Binding::new(DELETE, "d", "delete", A::Delete).shown(group),
            ]);
        }
        table.push(
            Binding::new(COPY, "c", "copy", A::Copy)
                .explained("copy the access key ID")
                .shown(group),
        );
        if self.verifying.is_none() {
            table.push(
                Binding::new(VERIFY, "v", "verify", A::Verify)
                    .explained("verify the keys with AWS STS (Esc cancels)")
                    .shown(group),
            );
        }
        if self.mode == Mode::Manage && !self.data.findings.is_empty() {
            table.push(
                Binding::new(FIX, "f", "fix", A::Fix)
                    .explained("repair what doctor --fix can (shows the lines, asks first)")
                    .shown(group),
            );
        }
        if self.mode == Mode::Manage {
            table.push(
                Binding::new(MOVE_SECRET, "p", "keyring", A::MoveSecret)
                    .explained("move the secret into the OS keyring, or back (asks)")
                    .shown(group),
            );
        }
        table.extend([
            Binding::new(SORT, "s", "sort", A::Sort)
                .explained("sort by name or recently used")
                .shown(Shown::Help),
            Binding::new(QUIT, "q", "quit", A::Quit).explained("quit (Esc too)"),
            Binding::new(keys::HELP, "?", "help", A::Help),
        ]);
        table
    }

    /// The footer: the open dialog's keys, else the picker's.
    pub(crate) fn footer(&self, width: u16) -> Vec<keys::Hint> {
        match &self.popup {
            Some(dialog) => keys::footer(&dialog.bindings(), width),
            None => keys::footer(&self.bindings(), width),
        }
    }

    fn help_lines(&self) -> Vec<String> {
        let mut lines = keys::help(&self.bindings());
        lines.extend([
            String::new(),
            "★ the default · • same keys as default · ! root keys".to_string(),
            "~ a name only the AWS CLI reads (r gives it a portable one)".to_string(),
        ]);
        lines
    }

    pub fn update(&mut self, msg: Msg) -> Option<Effect> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Paste(text) => {
                if let Some(dialog) = &mut self.popup {
                    dialog.on_paste(&text);
                } else if self.filtering && self.filter.paste(&text) {
                    self.refilter(None);
                }
                None
            }
            Msg::Tick => {
                if let Some((_, frame)) = &mut self.verifying {
                    *frame += 1;
                }
                match &mut self.popup {
                    Some(Dialog::Rotation(rotation)) => rotation.tick(),
                    Some(Dialog::Session(session)) => session.tick(),
                    _ => {}
                }
                None
            }
            Msg::Rotation { heard, data } => {
                self.rotation_heard(heard, data);
                None
            }
            Msg::Findings(findings) => {
                // Findings of credwiz's own state (a stale default) came first: they stay.
                let own = std::mem::take(&mut self.data.findings);
                self.data.findings = findings.into_iter().chain(own).collect();
                self.data.findings_due = false;
                None
            }
            Msg::SessionPlanned { result } => {
                match result {
                    Ok(plan) => self.popup = Some(Dialog::Session(dialog::Session::new(plan))),
                    Err(why) => self.message = Some((Tone::Failed, why)),
                }
                None
            }
            Msg::SessionDevices { result } => {
                if let Some(Dialog::Session(session)) = &mut self.popup {
                    session.found(result);
                }
                None
            }
            Msg::SessionStarted { result, into, data } => {
                self.session_started(result, into, data);
                None
            }
            Msg::Verified { name, result } => {
                self.verifying = None;
                self.message = Some(verified_message(&name, result));
                None
            }
            Msg::Planned {
                name,
                outcome: Ok(lines),
            } => {
                self.popup = Some(Dialog::Confirm(dialog::Confirm::make_default(&name, lines)));
                None
            }
            Msg::Planned {
                outcome: Err(error),
                ..
            } => {
                self.message = Some((Tone::Failed, error));
                None
            }
            Msg::FixPlanned { fix: Some(fix), .. } => {
                self.popup = Some(Dialog::Confirm(dialog::Confirm::repair(fix)));
                None
            }
            Msg::FixPlanned { fix: None, refused } => {
                let is_error = !refused.is_empty();
                let mut text = vec!["nothing here that credwiz can repair by itself".to_string()];
                text.extend(refused.into_iter().map(|r| format!("cannot repair: {r}")));
                self.message = Some((Tone::of(is_error), text.join("\n")));
                None
            }
            Msg::Done(finished) => {
                self.message = Some(match finished.said {
                    Ok(text) => (Tone::Done, text),
                    Err(text) => (Tone::Failed, text),
                });
                if let Some(data) = finished.data {
                    let keep = finished
                        .highlight
                        .or_else(|| self.selected().map(|r| r.name.clone()));
                    self.data = data;
                    self.now = crate::domain::expiry::now();
                    self.refilter(keep);
                }
                None
            }
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Option<Effect> {
        if keys::pressed(keys::CTRL_C, &key) {
            return self.quit_asked();
        }
        if let Some(dialog) = &mut self.popup {
            return match dialog.on_key(key) {
                Outcome::Open => None,
                Outcome::Closed => {
                    self.popup = None;
                    None
                }
                Outcome::Done(effect) => {
                    self.popup = None;
                    Some(effect)
                }
                Outcome::Run(effect) => Some(effect),
                Outcome::Switch(next) => {
                    self.popup = Some(*next);
                    None
                }
            };
        }
        match keys::action(&self.bindings(), &key) {
            Some(action) => {
                if action != Action::CancelVerify {
                    self.message = None;
                }
                self.act(action)
            }
            None if self.filtering => {
                self.message = None;
                if self.filter.handle(key) {
                    self.refilter(None);
                }
                None
            }
            None => None,
        }
    }

    fn act(&mut self, action: Action) -> Option<Effect> {
        use Action as A;
        match action {
            A::Up => self.move_by(-1),
            A::Down => self.move_by(1),
            A::PageUp => self.move_by(-10),
            A::PageDown => self.move_by(10),
            A::Home => self.selected = 0,
            A::End => self.selected = self.view.len().saturating_sub(1),
            A::Act => return self.choose(),
            A::Filter => self.filtering = true,
            A::ClearFilter => {
                let keep = self.selected().map(|r| r.name.clone());
                self.filter = TextField::default();
                self.filtering = false;
                self.refilter(keep);
            }
            A::CancelVerify => {
                self.verifying = None;
                self.message = Some((Tone::Done, "verification cancelled".into()));
                return Some(Effect::CancelVerify);
            }
            A::Help => self.popup = Some(Dialog::Help(self.help_lines())),
            A::Sort => {
                self.sort = match self.sort {
                    Sort::Name => Sort::Recent,
                    Sort::Recent => Sort::Name,
                };
                let keep = self.selected().map(|r| r.name.clone());
                self.refilter(keep);
            }
            A::Quit => return Some(Effect::Quit),
            A::Fix => return Some(Effect::PlanFix),
            A::Add => return Some(Effect::Add),
            A::Delete => self.ask_delete(),
            A::MoveSecret => self.ask_move_secret(),
            A::Copy => return self.copy(),
            A::Edit => self.open(|row| {
                let (region, output) = (row.region.as_deref(), row.output.as_deref());
                Dialog::Edit(match (row.kind, row.service, &row.endpoint_url) {
                    (Kind::Endpoint, Some(preset), Some(url)) => {
                        dialog::Edit::service(&row.name, preset, url, region, output)
                    }
                    _ => dialog::Edit::new(&row.name, region, output),
                })
            }),
            A::Verify => {
                let name = self.selected()?.name.clone();
                self.verifying = Some((name.clone(), 0));
                return Some(Effect::Verify { name });
            }
            A::NewKey => {
                let holders = self.holders_of_key();
                let row = self.selected()?;
                let dialog = match self.iam_key(row) {
                    Some(key_id) => {
                        let retired = self.state.retired(&row.name).map(|r| r.key.clone());
                        Dialog::Rotation(dialog::Rotation::new(&row.name, holders, key_id, retired))
                    }
                    None => {
                        let service = row.service.filter(|_| row.kind == Kind::Endpoint);
                        Dialog::Rotate(dialog::Rotate::new(&row.name, holders, service))
                    }
                };
                self.popup = Some(dialog);
            }
            A::Session => {
                let name = self.selected()?.name.clone();
                return Some(Effect::PlanSession { name });
            }
            A::Rename => {
                let taken = self.data.rows.iter().map(|r| r.name.clone()).collect();
                self.open(|row| {
                    Dialog::Rename(dialog::Rename::new(
                        &row.name,
                        taken,
                        !row.skipped_by.is_empty(),
                    ))
                });
            }
        }
        None
    }

    /// The long-term AWS key of `row` that IAM can rotate (not another service's, not a
    /// temporary key, not keys a check showed to be the root user's).
    fn iam_key<'r>(&self, row: &'r Row) -> Option<&'r str> {
        let key_id = row.key_id.as_deref()?;
        let long_term = crate::domain::validate::access_key_id(key_id)
            == Ok(crate::domain::validate::KeyKind::LongTerm);
        (row.kind == Kind::Static && row.service.is_none() && long_term && !self.is_root(&row.name))
            .then_some(key_id)
    }

    /// Ctrl+C: quits, except while a rotation is under way, where the first press says
    /// what quitting would leave and the second quits.
    fn quit_asked(&mut self) -> Option<Effect> {
        if let Some(Dialog::Rotation(rotation)) = &mut self.popup
            && rotation.running()
            && !rotation.quit_warned
        {
            rotation.quit_warned = true;
            rotation.notice = Some(
                "A rotation is under way: Ctrl+C again quits now, and the next `credwiz rotate` finishes or undoes it."
                    .into(),
            );
            return None;
        }
        Some(Effect::Quit)
    }

    /// A rotation's news, to its dialog (when still open) and, once it ended, to the
    /// status line, with the files and credwiz's state as the rotation left them.
    fn rotation_heard(&mut self, heard: crate::tui::job::Heard, data: Option<Data>) {
        if let Some(Dialog::Rotation(rotation)) = &mut self.popup {
            rotation.hear(&heard);
        }
        let crate::tui::job::Heard::Ended { result, notices } = heard else {
            return;
        };
        let name = match &self.popup {
            Some(Dialog::Rotation(rotation)) => rotation.name.clone(),
            _ => self.selected().map(|r| r.name.clone()).unwrap_or_default(),
        };
        let (tone, said) = dialog::rotation::ended(&name, &result);
        let lines: Vec<String> = std::iter::once(said)
            .chain(notices.into_iter().map(|n| format!("warning: {n}")))
            .collect();
        self.message = Some((tone, lines.join("\n")));
        if let Some(data) = data {
            self.data = data;
            self.now = crate::domain::expiry::now();
            self.refilter(Some(name));
        }
    }

    /// A session made: the dialog goes, the table shows the session profile. Refused:
    /// the dialog stays with the reason, for another code.
    fn session_started(
        &mut self,
        result: Result<Vec<String>, String>,
        into: String,
        data: Option<Data>,
    ) {
        match result {
            Ok(lines) => {
                if matches!(self.popup, Some(Dialog::Session(_))) {
                    self.popup = None;
                }
                self.message = Some((Tone::Done, lines.join("\n")));
                if let Some(data) = data {
                    self.data = data;
                    self.now = crate::domain::expiry::now();
                    self.refilter(Some(into));
                }
            }
            Err(why) => match &mut self.popup {
                Some(Dialog::Session(session)) => session.refused(why),
                _ => self.message = Some((Tone::Failed, why)),
            },
        }
    }

    /// The other profiles holding the highlighted profile's access key ID at the same
    /// endpoint (a new key pair goes to those holding the same pair).
    fn holders_of_key(&self) -> Vec<String> {
        let Some(row) = self.selected() else {
            return Vec::new();
        };
        let Some(key_id) = &row.key_id else {
            return Vec::new();
        };
        self.data
            .rows
            .iter()
            .filter(|r| {
                r.name != row.name
                    && r.key_id.as_ref() == Some(key_id)
                    && same_endpoint(r.endpoint_url.as_deref(), row.endpoint_url.as_deref())
            })
            .map(|r| r.name.clone())
            .collect()
    }

    /// Opens a dialog about the highlighted profile.
    fn open(&mut self, dialog: impl FnOnce(&Row) -> Dialog) {
        if let Some(row) = self.selected() {
            self.popup = Some(dialog(row));
        }
    }

    fn copy(&mut self) -> Option<Effect> {
        let row = self.selected()?;
        match &row.key_id {
            Some(id) => Some(Effect::Copy { key_id: id.clone() }),
            None => {
                self.message = Some((
                    Tone::Failed,
                    format!("`{}` has no access key ID to copy", row.name),
                ));
                None
            }
        }
    }

    /// Enter: make the highlighted profile the default (after a confirmation that says
    /// what happens), or in pick mode choose it for the shell.
    fn choose(&mut self) -> Option<Effect> {
        self.filtering = false;
        let name = self.selected()?.name.clone();
        match self.mode {
            Mode::Pick => Some(Effect::Choose { name }),
            Mode::Manage if name == "default" => {
                self.message = Some((
                    Tone::Done,
                    "`default` is already the default profile".into(),
                ));
                None
            }
            Mode::Manage => Some(Effect::PlanDefault { name }),
        }
    }

    /// `p`: a profile whose secret is in the file moves it into the keyring; one in the
    /// keyring puts it back. A profile without keys has nothing to move.
    fn ask_move_secret(&mut self) {
        use crate::domain::keyring::SecretIn;
        let Some(row) = self.selected() else { return };
        let name = row.name.clone();
        let dialog = match row.secret_in {
            Some(SecretIn::File) => {
                let also: Vec<String> = self
                    .holders_of_key()
                    .into_iter()
                    .filter(|other| {
                        self.data
                            .rows
                            .iter()
                            .any(|r| r.name == *other && r.secret_in == Some(SecretIn::File))
                    })
                    .collect();
                dialog::Confirm::protect(&name, &also)
            }
            Some(SecretIn::Keyring) => dialog::Confirm::unprotect(&name),
            None => {
                self.message = Some((
                    Tone::Caution,
                    format!(
                        "`{name}` holds no keys of its own ({}): there is no secret to move",
                        row.kind.label()
                    ),
                ));
                return;
            }
        };
        self.popup = Some(Dialog::Confirm(dialog));
    }

    fn ask_delete(&mut self) {
        let Some(row) = self.selected() else { return };
        let name = row.name.clone();
        let has_key = row.key_id.is_some();
        let dependents: Vec<String> = self
            .data
            .rows
            .iter()
            .filter(|r| r.chain.get(1) == Some(&name))
            .map(|r| r.name.clone())
            .collect();
        self.popup = Some(Dialog::Confirm(dialog::Confirm::delete(
            &name,
            &dependents,
            has_key,
        )));
    }
}

/// The status line after a check of `name`'s keys.
fn verified_message(
    name: &str,
    result: Result<crate::sts::Verified, crate::sts::Failure>,
) -> (Tone, String) {
    match result {
        Ok(v) if v.is_root() => (
            Tone::Failed,
            format!(
                "the keys of `{name}` work, but they are the ROOT user's: create an IAM user (or use Identity Center), switch, then delete this key"
            ),
        ),
        Ok(v) => (
            if v.is_limited() {
                Tone::Caution
            } else {
                Tone::Done
            },
            format!(
                "✓ the keys of `{name}` work: {} ({:.2} s)",
                v.summary(),
                v.took.as_secs_f64()
            ),
        ),
        Err(failure @ crate::sts::Failure::Unchecked(_)) => {
            (Tone::Caution, format!("? {}", failure.about(name)))
        }
        Err(failure) => (Tone::Failed, format!("✗ {}", failure.about(name))),
    }
}

#[cfg(test)]
mod tests;

/// Two `endpoint_url`s that send requests to the same place (a trailing `/` aside).
fn same_endpoint(a: Option<&str>, b: Option<&str>) -> bool {
    let normal = |url: Option<&str>| url.map(|u| u.trim().trim_end_matches('/').to_string());
    normal(a) == normal(b)
}
