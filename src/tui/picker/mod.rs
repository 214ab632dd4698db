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

use crate::domain::validate;
use data::{Data, Row};

/// `credwiz` manages profiles; `credwiz pick` chooses one for the current shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Manage,
    Pick,
}

#[derive(Debug, Clone)]
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
    Help,
}

pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The outcome of a dry run of making a profile the default, in people's words.
    Planned(String, Result<Vec<String>, String>),
    /// An action finished: a message to show, and fresh data with the profile to highlight.
    Done(Result<String, String>, Option<Data>, Option<String>),
}

pub enum Effect {
    PlanDefault(String),
    MakeDefault(String),
    Delete(String),
    Rename(String, String),
    /// Run the setup wizard, then come back.
    Add,
    /// Pick mode: select this profile in the shell, and quit.
    Choose(String),
    Quit,
}

pub struct Picker {
    pub data: Data,
    pub mode: Mode,
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
}

impl Picker {
    pub fn new(data: Data, mode: Mode, highlight: Option<&str>) -> Picker {
        let mut picker = Picker {
            data,
            mode,
            filter: Input::default(),
            filtering: false,
            view: Vec::new(),
            selected: 0,
            offset: Cell::new(0),
            popup: None,
            message: None,
        };
        picker.refilter(highlight.map(str::to_string));
        picker
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

    pub fn message(&self) -> Option<(bool, &str)> {
        self.message.as_ref().map(|(e, m)| (*e, m.as_str()))
    }

    /// Recomputes the shown rows, keeping `keep` (a profile name) highlighted if shown.
    fn refilter(&mut self, keep: Option<String>) {
        let pattern = self.filter.value().trim().to_string();
        if pattern.is_empty() {
            self.view = (0..self.data.rows.len()).map(|i| (i, Vec::new())).collect();
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
                if self.filtering {
                    let text: String = text.chars().filter(|c| !c.is_control()).collect();
                    self.filter = Input::new(format!("{}{text}", self.filter.value()));
                    self.refilter(None);
                }
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
            KeyCode::Char('q') | KeyCode::Esc => return Some(Effect::Quit),
            KeyCode::Char('a') if self.mode == Mode::Manage => return Some(Effect::Add),
            KeyCode::Char('d') if self.mode == Mode::Manage => self.ask_delete(),
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
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
