//! The profile picker: every profile in one table, a detail pane, the findings, a fuzzy
//! filter, and actions that all go through the store. State and `update` only; the
//! runner (`tui::run_picker`) executes the effects.

pub mod data;
pub mod fuzzy;
pub mod view;

use std::cell::Cell;

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::domain::secret::Secret;
use crate::domain::validate::{self, KeyKind, trim_pasted};
use crate::state::State;
use crate::tui::widget::secret_field::SecretField;
use data::{Data, Row};

/// `credwiz` manages profiles; `credwiz pick` chooses one for the current shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Manage,
    Pick,
}

/// `Debug` shows no secret: `SecretField` redacts itself.
#[derive(Debug)]
pub enum Popup {
    /// What making `name` the default will do, before it is done.
    MakeDefault {
        name: String,
        lines: Vec<String>,
    },
    Delete {
        name: String,
        dependents: Vec<String>,
    },
    Rename {
        name: String,
        input: Input,
        error: Option<String>,
    },
    /// `e`: region and output. `output` indexes `OUTPUT_CHOICES`.
    Edit {
        name: String,
        region: Input,
        output: usize,
        on_output: bool,
        error: Option<String>,
    },
    /// `k`: a new key pair; everything else in the profile stays.
    Rotate {
        name: String,
        key_id: Input,
        secret: SecretField,
        on_secret: bool,
        error: Option<String>,
    },
    Help,
}

/// The output choices in the edit popup: unset, then the formats.
pub const OUTPUT_CHOICES: &[&str] = &["(not set)", "json", "yaml", "yaml-stream", "text", "table"];

pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The outcome of a dry run of making a profile the default, in people's words.
    Planned(String, Result<Vec<String>, String>),
    /// An action finished: a message to show, and fresh data with the profile to highlight.
    Done(Result<String, String>, Option<Data>, Option<String>),
    /// A verification finished.
    Verified(String, Result<crate::sts::Verified, crate::sts::Failure>),
    /// Time passes while something runs in the background (the spinner turns).
    Tick,
}

pub enum Effect {
    PlanDefault(String),
    MakeDefault(String),
    Delete(String),
    Rename(String, String),
    /// Set (or with `None` remove) region and output.
    Edit(String, Option<String>, Option<String>),
    /// Replace the key pair.
    Rotate(String, String, Secret),
    /// Copy the access key ID to the clipboard.
    Copy(String),
    /// Check the profile's keys with STS (in the background).
    Verify(String),
    CancelVerify,
    /// Run the setup wizard, then come back.
    Add,
    /// Pick mode: select this profile in the shell, and quit.
    Choose(String),
    Quit,
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
    filter: Input,
    filtering: bool,
    /// The rows shown: indexes into `data.rows`, with the matched character positions.
    view: Vec<(usize, Vec<usize>)>,
    selected: usize,
    /// First visible row; the view keeps the selection in sight as it draws.
    pub offset: Cell<usize>,
    pub popup: Option<Popup>,
    /// (is an error, text)
    message: Option<(bool, String)>,
    /// The profile being verified, and the spinner's frame.
    pub verifying: Option<(String, usize)>,
}

impl Picker {
    pub fn new(data: Data, mode: Mode, highlight: Option<&str>) -> Picker {
        let mut picker = Picker {
            data,
            mode,
            state: State::default(),
            sort: Sort::Name,
            filter: Input::default(),
            filtering: false,
            view: Vec::new(),
            selected: 0,
            offset: Cell::new(0),
            popup: None,
            message: None,
            verifying: None,
        };
        picker.refilter(highlight.map(str::to_string));
        picker
    }

    /// With credwiz's own state (recently used, verification results).
    pub fn with_state(mut self, state: State) -> Picker {
        let keep = self.selected().map(|r| r.name.clone());
        self.state = state;
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

    pub fn selected_index(&self) -> usize {
        self.selected
    }

    pub fn selected(&self) -> Option<&Row> {
        self.view
            .get(self.selected)
            .map(|(i, _)| &self.data.rows[*i])
    }

    pub fn filter(&self) -> &Input {
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

    pub fn message(&self) -> Option<(bool, &str)> {
        self.message.as_ref().map(|(e, m)| (*e, m.as_str()))
    }

    /// Recomputes the shown rows, keeping `keep` (a profile name) highlighted if shown.
    fn refilter(&mut self, keep: Option<String>) {
        let pattern = self.filter.value().trim().to_string();
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

    pub fn update(&mut self, msg: Msg) -> Option<Effect> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Paste(text) => {
                let clean: String = text.chars().filter(|c| !c.is_control()).collect();
                if let Some(Popup::Rotate {
                    key_id,
                    secret,
                    on_secret,
                    ..
                }) = &mut self.popup
                {
                    if *on_secret {
                        secret.insert_str(trim_pasted(&clean));
                    } else {
                        *key_id = Input::new(format!("{}{}", key_id.value(), trim_pasted(&clean)));
                    }
                    return None;
                }
                if self.filtering {
                    let text: String = text.chars().filter(|c| !c.is_control()).collect();
                    self.filter = Input::new(format!("{}{text}", self.filter.value()));
                    self.refilter(None);
                }
                None
            }
            Msg::Tick => {
                if let Some((_, frame)) = &mut self.verifying {
                    *frame += 1;
                }
                None
            }
            Msg::Verified(name, result) => {
                self.verifying = None;
                self.message = Some(match result {
                    Ok(v) if v.identity.is_root() => (
                        true,
                        format!(
                            "the keys of `{name}` work, but they are the ROOT user's: create an IAM user (or use Identity Center), switch, then delete this key"
                        ),
                    ),
                    Ok(v) => (
                        false,
                        format!(
                            "✓ the keys of `{name}` work: {} ({:.2} s)",
                            v.identity.arn,
                            v.took.as_secs_f64()
                        ),
                    ),
                    Err(failure) => (true, format!("✗ {}", failure.about(&name))),
                });
                None
            }
            Msg::Planned(name, Ok(lines)) => {
                self.popup = Some(Popup::MakeDefault { name, lines });
                None
            }
            Msg::Planned(_, Err(error)) | Msg::Done(Err(error), None, _) => {
                self.message = Some((true, error));
                None
            }
            Msg::Done(result, data, highlight) => {
                self.message = Some(match result {
                    Ok(text) => (false, text),
                    Err(text) => (true, text),
                });
                if let Some(data) = data {
                    let keep = highlight.or_else(|| self.selected().map(|r| r.name.clone()));
                    self.data = data;
                    self.refilter(keep);
                }
                None
            }
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Option<Effect> {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Some(Effect::Quit);
        }
        if let Some(popup) = self.popup.take() {
            return self.on_popup_key(popup, key);
        }
        if self.verifying.is_some() && key.code == KeyCode::Esc {
            self.verifying = None;
            self.message = Some((false, "verification cancelled".into()));
            return Some(Effect::CancelVerify);
        }
        self.message = None;
        match key.code {
            KeyCode::Up => self.move_by(-1),
            KeyCode::Down => self.move_by(1),
            KeyCode::PageUp => self.move_by(-10),
            KeyCode::PageDown => self.move_by(10),
            KeyCode::Enter => return self.act(),
            KeyCode::Esc if self.filtering || !self.filter.value().is_empty() => {
                let keep = self.selected().map(|r| r.name.clone());
                self.filter = Input::default();
                self.filtering = false;
                self.refilter(keep);
            }
            _ if self.filtering => self.edit_filter(key),
            KeyCode::Home => self.selected = 0,
            KeyCode::End => self.selected = self.view.len().saturating_sub(1),
            KeyCode::Char('/') => self.filtering = true,
            KeyCode::Char('?') => self.popup = Some(Popup::Help),
            KeyCode::Char('s') => {
                self.sort = match self.sort {
                    Sort::Name => Sort::Recent,
                    Sort::Recent => Sort::Name,
                };
                let keep = self.selected().map(|r| r.name.clone());
                self.refilter(keep);
            }
            KeyCode::Char('q') | KeyCode::Esc => return Some(Effect::Quit),
            KeyCode::Char('a') if self.mode == Mode::Manage => return Some(Effect::Add),
            KeyCode::Char('d') if self.mode == Mode::Manage => self.ask_delete(),
            KeyCode::Char('c') => {
                let row = self.selected()?;
                match &row.key_id {
                    Some(id) => return Some(Effect::Copy(id.clone())),
                    None => {
                        self.message =
                            Some((true, format!("`{}` has no access key ID to copy", row.name)))
                    }
                }
            }
            KeyCode::Char('e') if self.mode == Mode::Manage => self.open_edit(),
            KeyCode::Char('v') if self.verifying.is_none() => {
                let name = self.selected()?.name.clone();
                self.verifying = Some((name.clone(), 0));
                return Some(Effect::Verify(name));
            }
            KeyCode::Char('k') if self.mode == Mode::Manage => {
                if let Some(row) = self.selected() {
                    self.popup = Some(Popup::Rotate {
                        name: row.name.clone(),
                        key_id: Input::default(),
                        secret: SecretField::default(),
                        on_secret: false,
                        error: None,
                    });
                }
            }
            KeyCode::Char('r') if self.mode == Mode::Manage => {
                if let Some(row) = self.selected() {
                    let name = row.name.clone();
                    self.popup = Some(Popup::Rename {
                        input: Input::new(name.clone()),
                        name,
                        error: None,
                    });
                }
            }
            _ => {}
        }
        None
    }

    fn edit_filter(&mut self, key: KeyEvent) {
        let changed = self.filter.handle_event(&Event::Key(key));
        if changed.is_some_and(|c| c.value) {
            self.refilter(None);
        }
    }

    /// Enter: make the highlighted profile the default (after a confirmation that says
    /// what happens), or in pick mode choose it for the shell.
    fn act(&mut self) -> Option<Effect> {
        self.filtering = false;
        let name = self.selected()?.name.clone();
        match self.mode {
            Mode::Pick => Some(Effect::Choose(name)),
            Mode::Manage if name == "default" => {
                self.message = Some((false, "`default` is already the default profile".into()));
                None
            }
            Mode::Manage => Some(Effect::PlanDefault(name)),
        }
    }

    fn open_edit(&mut self) {
        let Some(row) = self.selected() else { return };
        let output = row
            .output
            .as_deref()
            .and_then(|o| OUTPUT_CHOICES.iter().position(|c| *c == o))
            .unwrap_or(0);
        self.popup = Some(Popup::Edit {
            name: row.name.clone(),
            region: Input::new(row.region.clone().unwrap_or_default()),
            output,
            on_output: false,
            error: None,
        });
    }

    fn ask_delete(&mut self) {
        let Some(row) = self.selected() else { return };
        let name = row.name.clone();
        let dependents = self
            .data
            .rows
            .iter()
            .filter(|r| r.chain.get(1) == Some(&name))
            .map(|r| r.name.clone())
            .collect();
        self.popup = Some(Popup::Delete { name, dependents });
    }

    fn on_popup_key(&mut self, popup: Popup, key: KeyEvent) -> Option<Effect> {
        let yes = matches!(key.code, KeyCode::Char('y' | 'Y'));
        match popup {
            Popup::MakeDefault { name, .. } if yes => Some(Effect::MakeDefault(name)),
            Popup::Delete { name, .. } if yes => Some(Effect::Delete(name)),
            Popup::Rename {
                name, mut input, ..
            } => match key.code {
                KeyCode::Esc => None,
                KeyCode::Enter => {
                    let new = input.value().trim().to_string();
                    let problem = validate::profile_name(&new).err().map(|e| e.0).or_else(|| {
                        (new != name && self.data.rows.iter().any(|r| r.name == new))
                            .then(|| format!("`{new}` already exists"))
                    });
                    match problem {
                        Some(error) => {
                            self.popup = Some(Popup::Rename {
                                name,
                                input,
                                error: Some(error),
                            });
                            None
                        }
                        None if new == name => None,
                        None => Some(Effect::Rename(name, new)),
                    }
                }
                _ => {
                    input.handle_event(&Event::Key(key));
                    self.popup = Some(Popup::Rename {
                        name,
                        input,
                        error: None,
                    });
                    None
                }
            },
            Popup::Edit {
                name,
                region,
                output,
                on_output,
                ..
            } => self.on_edit_key(name, region, output, on_output, key),
            Popup::Rotate {
                name,
                key_id,
                secret,
                on_secret,
                ..
            } => self.on_rotate_key(name, key_id, secret, on_secret, key),
            _ => None,
        }
    }

    fn on_edit_key(
        &mut self,
        name: String,
        mut region: Input,
        mut output: usize,
        mut on_output: bool,
        key: KeyEvent,
    ) -> Option<Effect> {
        match key.code {
            KeyCode::Esc => return None,
            KeyCode::Tab | KeyCode::Up | KeyCode::Down => on_output = !on_output,
            KeyCode::Left if on_output => {
                output = output.checked_sub(1).unwrap_or(OUTPUT_CHOICES.len() - 1)
            }
            KeyCode::Right if on_output => output = (output + 1) % OUTPUT_CHOICES.len(),
            KeyCode::Enter => {
                let typed = trim_pasted(region.value()).to_string();
                let problem = (!typed.is_empty())
                    .then(|| validate::region(&typed).err())
                    .flatten();
                if let Some(problem) = problem {
                    self.popup = Some(Popup::Edit {
                        name,
                        region,
                        output,
                        on_output,
                        error: Some(problem.0),
                    });
                    return None;
                }
                let output = (output > 0).then(|| OUTPUT_CHOICES[output].to_string());
                return Some(Effect::Edit(
                    name,
                    (!typed.is_empty()).then_some(typed),
                    output,
                ));
            }
            _ if !on_output => {
                region.handle_event(&Event::Key(key));
            }
            _ => {}
        }
        self.popup = Some(Popup::Edit {
            name,
            region,
            output,
            on_output,
            error: None,
        });
        None
    }

    fn on_rotate_key(
        &mut self,
        name: String,
        mut key_id: Input,
        mut secret: SecretField,
        mut on_secret: bool,
        key: KeyEvent,
    ) -> Option<Effect> {
        match key.code {
            KeyCode::Esc => return None,
            KeyCode::Tab | KeyCode::Up | KeyCode::Down => on_secret = !on_secret,
            KeyCode::Enter => {
                let id = trim_pasted(key_id.value()).to_string();
                let problem = match validate::access_key_id(&id) {
                    Err(e) => Some(e.0),
                    Ok(KeyKind::Temporary) => Some(
                        "temporary (ASIA) keys need their session token: use credwiz add NAME --force".into(),
                    ),
                    Ok(KeyKind::LongTerm) => validate::secret_access_key(trim_pasted(secret.value())).err().map(|e| e.0),
                };
                if let Some(problem) = problem {
                    let on_secret = !problem.contains("access key ID");
                    self.popup = Some(Popup::Rotate {
                        name,
                        key_id,
                        secret,
                        on_secret,
                        error: Some(problem),
                    });
                    return None;
                }
                let new_secret = Secret::new(trim_pasted(secret.value()));
                return Some(Effect::Rotate(name, id, new_secret));
            }
            _ if on_secret => {
                secret.handle(key);
            }
            _ => {
                key_id.handle_event(&Event::Key(key));
            }
        }
        self.popup = Some(Popup::Rotate {
            name,
            key_id,
            secret,
            on_secret,
            error: None,
        });
        None
    }
}

#[cfg(test)]
mod tests;
