//! `r`: a new name for a profile, checked as it is typed. A name only the AWS CLI reads
//! (`[profile "personal"]`, `[profile 'some profile']`) opens with a portable name
//! suggested; for a quoted one, keeping the name writes it without the quotes.

use ratatui::crossterm::event::KeyEvent;

use super::{Action, Outcome, save_and_cancel};
use crate::domain::validate;
use crate::tui::form::{TextField, Verdict};
use crate::tui::keys::Binding;
use crate::tui::picker::Effect;

#[derive(Debug)]
pub struct Rename {
    pub(crate) name: String,
    pub(crate) input: TextField,
    /// The names in use (the new name must not be one of them).
    taken: Vec<String>,
    /// The SDKs skip the current name: renaming it to itself writes it portably.
    skipped: bool,
}

impl Rename {
    pub(crate) fn new(name: &str, taken: Vec<String>, skipped: bool) -> Rename {
        let suggested = if skipped {
            crate::store::parse::portable_name(name)
        } else {
            name.to_string()
        };
        Rename {
            name: name.to_string(),
            input: TextField::new(&suggested),
            taken,
            skipped,
        }
    }

    /// Renaming to the same name does something: the name is portable but written in
    /// quotes, which renaming drops.
    fn unquotes(&self) -> bool {
        self.skipped
            && self.input.trimmed() == self.name
            && validate::profile_name(&self.name).is_ok()
    }

    pub(crate) fn verdict(&self) -> Verdict {
        let new = self.input.trimmed();
        if self.unquotes() {
            return Verdict::Good(format!("`{new}` is written without its quotes"));
        }
        if new == self.name {
            return Verdict::Quiet;
        }
        if let Err(problem) = validate::profile_name(new) {
            return Verdict::Bad(problem.0);
        }
        if self.taken.iter().any(|t| t == new) && new != self.name {
            return Verdict::Bad(format!(
                "`{new}` already exists: choose another name, or delete that profile first"
            ));
        }
        Verdict::Good(format!("`{}` will be called `{new}`", self.name))
    }

    pub(crate) fn bindings(&self) -> Vec<Binding<Action>> {
        save_and_cancel("rename").into()
    }

    pub(crate) fn on(&mut self, action: Option<Action>, key: KeyEvent) -> Outcome {
        match action {
            Some(Action::Cancel) => Outcome::Closed,
            Some(Action::Save) if self.input.trimmed() == self.name && !self.unquotes() => {
                Outcome::Closed
            }
            Some(Action::Save) if self.verdict().is_bad() => Outcome::Open,
            Some(Action::Save) => Outcome::Done(Effect::Rename {
                from: self.name.clone(),
                to: self.input.trimmed().to_string(),
            }),
            _ => {
                self.input.handle(key);
                Outcome::Open
            }
        }
    }

    /// A paste holding a secret is dropped (the field is shown in clear).
    pub(crate) fn on_paste(&mut self, text: &str) {
        let _ = self.input.paste(text);
    }
}
