//! `k` on an IAM user's access key: rotation through IAM, offered first. credwiz makes
//! the new key, writes it into every profile that held the old one, checks it with STS
//! and retires the old key ([`crate::rotate`], the same steps as `credwiz rotate`),
//! saying each step here as it runs. Its questions are asked in the dialog: go ahead,
//! delete the user's other active key to make room, the MFA code when IAM wants one.
//! Pasting a key made elsewhere stays one choice away, and a key an earlier rotation
//! deactivated can be deleted from here (`--finish`).

use ratatui::crossterm::event::KeyEvent;

use ratatui::crossterm::event::KeyCode;

use super::{Action, NO, Outcome, YES};
use crate::rotate::{Done, Options, Stop};
use crate::tui::form::{TextField, Verdict, checks};
use crate::tui::job::{Answer, Heard, Question};
use crate::tui::keys::{self, Binding, Chord};
use crate::tui::picker::{Effect, Tone};

const CLOSE: &[Chord] = &[Chord::Plain(KeyCode::Enter), Chord::Plain(KeyCode::Esc)];
const PASTE: &[Chord] = &[Chord::Plain(KeyCode::Char('p'))];

/// What `k` can do with an IAM user's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Choice {
    /// Rotate; the old key is deactivated (deleted later with `--finish`).
    Deactivate,
    /// Rotate; the old key is deleted.
    Delete,
    /// Delete the key the last rotation deactivated.
    Finish,
    /// Paste a key pair made elsewhere (the plain new-key dialog).
    Paste,
}

impl Choice {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Choice::Deactivate => "Rotate through IAM, deactivating the old key (recommended)",
            Choice::Delete => "Rotate through IAM, deleting the old key",
            Choice::Finish => "Delete the old key the last rotation deactivated",
            Choice::Paste => "Paste a key pair made elsewhere",
        }
    }

    fn note(self, name: &str, retired: Option<&str>) -> String {
        match self {
            Choice::Deactivate => format!(
                "The old key stops working but can be switched back on in IAM; delete it later here or with `credwiz rotate {name} --finish`."
            ),
            Choice::Delete => {
                "The old key is deleted at once: anything still using it stops working for good."
                    .to_string()
            }
            Choice::Finish => format!(
                "Deletes {} after saying when it was last used.",
                retired.unwrap_or("the deactivated key")
            ),
            Choice::Paste => {
                "A key you made in the IAM console (a row of its .csv works); nothing is asked of IAM."
                    .to_string()
            }
        }
    }
}

/// Where the dialog is.
#[derive(Debug)]
pub(crate) enum Phase {
    Choose,
    /// The rotation runs; it says each step.
    Running,
    /// The rotation waits for an answer.
    Asked(Asked),
    /// It ended: how, in the tone of the status line.
    Ended {
        tone: Tone,
        said: String,
    },
}

#[derive(Debug)]
pub(crate) enum Asked {
    Confirm(String),
    DeleteActiveOther(String),
    MfaCode {
        serial: String,
        code: TextField,
        attempted: bool,
    },
}

#[derive(Debug)]
pub struct Rotation {
    pub(crate) name: String,
    /// The other profiles holding the same key, which get the new one too.
    pub(crate) holders: Vec<String>,
    pub(crate) key_id: String,
    /// The key an earlier rotation deactivated, waiting to be deleted.
    pub(crate) retired: Option<String>,
    pub(crate) choices: Vec<Choice>,
    pub(crate) selected: usize,
    pub(crate) phase: Phase,
    /// What the rotation said, in order.
    pub(crate) lines: Vec<String>,
    pub(crate) spinner: usize,
    /// A line about the last key that did nothing (Esc while it runs).
    pub(crate) notice: Option<String>,
    /// Ctrl+C was pressed once while it ran (the second press quits).
    pub(crate) quit_warned: bool,
}

impl Rotation {
    pub(crate) fn new(
        name: &str,
        holders: Vec<String>,
        key_id: &str,
        retired: Option<String>,
    ) -> Rotation {
        let mut choices = vec![Choice::Deactivate, Choice::Delete];
        if retired.is_some() {
            choices.push(Choice::Finish);
        }
        choices.push(Choice::Paste);
        Rotation {
            name: name.to_string(),
            holders,
            key_id: key_id.to_string(),
            retired,
            choices,
            selected: 0,
            phase: Phase::Choose,
            lines: Vec::new(),
            spinner: 0,
            notice: None,
            quit_warned: false,
        }
    }

    pub(crate) fn choice(&self) -> Choice {
        self.choices[self.selected]
    }

    pub(crate) fn note(&self) -> String {
        self.choice().note(&self.name, self.retired.as_deref())
    }

    /// Whether the rotation is under way (not choosing, not ended): quitting now leaves
    /// it to the journal.
    pub(crate) fn running(&self) -> bool {
        matches!(self.phase, Phase::Running | Phase::Asked(_))
    }

    pub(crate) fn code_verdict(&self) -> Option<Verdict> {
        match &self.phase {
            Phase::Asked(Asked::MfaCode {
                code, attempted, ..
            }) => Some(checks::mfa_code(code.trimmed(), *attempted)),
            _ => None,
        }
    }

    pub(crate) fn bindings(&self) -> Vec<Binding<Action>> {
        match &self.phase {
            Phase::Choose => vec![
                Binding::new(keys::UP, "↑↓", "choose", Action::Up),
                Binding::new(keys::DOWN, "↓", "", Action::Down).shown(keys::Shown::Hidden),
                Binding::new(keys::ENTER, "Enter", "go", Action::Save),
                Binding::new(PASTE, "p", "paste a key instead", Action::PasteInstead),
                Binding::new(keys::ESC, "Esc", "cancel", Action::Cancel),
            ],
            Phase::Running => vec![
                Binding::new(keys::ESC, "Esc", "cannot stop halfway", Action::Cancel)
                    .explained("a rotation under way runs to its end (within a minute)"),
            ],
            Phase::Asked(Asked::Confirm(_) | Asked::DeleteActiveOther(_)) => vec![
                Binding::new(YES, "y", "yes", Action::Yes),
                Binding::new(NO, "n", "no", Action::No),
            ],
            Phase::Asked(Asked::MfaCode { .. }) => vec![
                Binding::new(keys::ENTER, "Enter", "sign in", Action::Save),
                Binding::new(keys::ESC, "Esc", "give no code", Action::Cancel),
            ],
            Phase::Ended { .. } => vec![Binding::new(CLOSE, "Enter", "close", Action::Close)],
        }
    }

    pub(crate) fn on(&mut self, action: Option<Action>, key: KeyEvent) -> Outcome {
        self.notice = None;
        match &mut self.phase {
            Phase::Choose => self.on_choose(action),
            Phase::Running => {
                if action == Some(Action::Cancel) {
                    self.notice = Some(
                        "The rotation is under way and ends on its own within a minute; stopping halfway could strand a new key."
                            .into(),
                    );
                }
                Outcome::Open
            }
            Phase::Asked(Asked::Confirm(_)) => match action {
                Some(Action::Yes) => self.answer(Answer::Yes),
                // Nothing was done yet: the dialog goes, the status line says so.
                Some(Action::No) => Outcome::Done(Effect::AnswerRotation { answer: Answer::No }),
                _ => Outcome::Open,
            },
            Phase::Asked(Asked::DeleteActiveOther(_)) => match action {
                Some(Action::Yes) => self.answer(Answer::Yes),
                Some(Action::No) => self.answer(Answer::No),
                _ => Outcome::Open,
            },
            Phase::Asked(Asked::MfaCode {
                code, attempted, ..
            }) => match action {
                Some(Action::Save) => {
                    *attempted = true;
                    if checks::mfa_code(code.trimmed(), true).is_bad() {
                        return Outcome::Open;
                    }
                    let typed = code.trimmed().to_string();
                    self.answer(Answer::Code(typed))
                }
                Some(Action::Cancel) => self.answer(Answer::No),
                _ => {
                    *attempted = false;
                    code.handle(key);
                    Outcome::Open
                }
            },
            Phase::Ended { .. } => match action {
                Some(Action::Close) => Outcome::Closed,
                _ => Outcome::Open,
            },
        }
    }

    fn on_choose(&mut self, action: Option<Action>) -> Outcome {
        let last = self.choices.len() - 1;
        match action {
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => self.selected = (self.selected + 1).min(last),
            Some(Action::Cancel) => return Outcome::Closed,
            Some(Action::Save) => return self.go(),
            Some(Action::PasteInstead) => {
                self.selected = self.choices.len() - 1;
                return self.go();
            }
            _ => {}
        }
        Outcome::Open
    }

    fn go(&mut self) -> Outcome {
        let options = match self.choice() {
            Choice::Paste => {
                let paste = super::Rotate::new(&self.name, self.holders.clone(), None);
                return Outcome::Switch(Box::new(super::Dialog::Rotate(paste)));
            }
            Choice::Deactivate => Options::default(),
            Choice::Delete => Options {
                delete: true,
                ..Options::default()
            },
            Choice::Finish => Options {
                finish: true,
                ..Options::default()
            },
        };
        self.phase = Phase::Running;
        Outcome::Run(Effect::RotateThroughIam {
            name: self.name.clone(),
            options,
        })
    }

    fn answer(&mut self, answer: Answer) -> Outcome {
        self.phase = Phase::Running;
        Outcome::Run(Effect::AnswerRotation { answer })
    }

    /// What the rotation said or asked, or how it ended.
    pub(crate) fn hear(&mut self, heard: &Heard) {
        match heard {
            Heard::Said(line) => self.lines.push(line.clone()),
            Heard::Asked(Question::Confirm(question)) => {
                self.phase = Phase::Asked(Asked::Confirm(question.clone()));
            }
            Heard::Asked(Question::DeleteActiveOther(question)) => {
                self.phase = Phase::Asked(Asked::DeleteActiveOther(question.clone()));
            }
            Heard::Asked(Question::MfaCode { serial }) => {
                self.phase = Phase::Asked(Asked::MfaCode {
                    serial: serial.clone(),
                    code: TextField::default(),
                    attempted: false,
                });
            }
            Heard::Ended { result, .. } => {
                let (tone, said) = ended(&self.name, result);
                self.phase = Phase::Ended { tone, said };
            }
        }
    }

    /// A code pasted into the MFA field (a code copied from an authenticator app).
    pub(crate) fn on_paste(&mut self, text: &str) {
        if let Phase::Asked(Asked::MfaCode { code, .. }) = &mut self.phase {
            _ = code.paste(text.trim());
        }
    }

    pub(crate) fn tick(&mut self) {
        self.spinner += 1;
    }
}

/// How a rotation of `name` ended, for the dialog and the status line.
pub(crate) fn ended(name: &str, result: &Result<Done, Stop>) -> (Tone, String) {
    match result {
        Ok(Done::Rotated {
            old,
            new,
            written,
            old_deleted,
        }) => {
            let into = match written.as_slice() {
                [] => String::new(),
                profiles => format!(", now in {}", crate::domain::text::quoted_list(profiles)),
            };
            let retired = if *old_deleted {
                format!("the old key {old} is deleted")
            } else {
                format!("the old key {old} is deactivated (k deletes it once nothing misses it)")
            };
            (
                Tone::Done,
                format!("✓ rotated the key of `{name}`: {new}{into}; {retired}"),
            )
        }
        Ok(Done::Finished { deleted: Some(key) }) => {
            (Tone::Done, format!("✓ deleted the old key {key}"))
        }
        Ok(Done::Finished { deleted: None }) => (
            Tone::Done,
            "the old key was gone already: nothing to delete".to_string(),
        ),
        Err(Stop::Declined) => (
            Tone::Caution,
            format!("the key of `{name}` was not rotated: nothing changed"),
        ),
        Err(Stop::Unchecked(why)) => (Tone::Caution, format!("? {why}")),
        Err(Stop::Refused(why)) => (Tone::Failed, format!("✗ {why}")),
    }
}
