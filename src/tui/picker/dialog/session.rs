//! `m`: an MFA session for an IAM user's profile, or its renewal when pressed on the
//! session profile (`credwiz session`, see [`crate::session`]). The device is the
//! profile's `mfa_serial`, else the user's devices are found (and the chosen one saved);
//! the code is 6 digits, checked as typed; the length is one of a few STS allows. A code
//! STS refuses leaves the dialog open with the reason, the code cleared for the next one.

use ratatui::crossterm::event::KeyEvent;

use super::{Action, LEFT, Outcome, RIGHT, field_moves, save_and_cancel};
use crate::domain::session as rules;
use crate::session::Plan;
use crate::tui::form::{ChoiceField, ChoiceItem, TextField, Verdict, checks};
use crate::tui::keys::{Binding, Shown};
use crate::tui::picker::Effect;

/// How long a session lasts, as offered (seconds, label).
const LENGTHS: [(u32, &str); 4] = [
    (3_600, "1 h"),
    (4 * 3_600, "4 h"),
    (rules::DEFAULT_SECONDS, "12 h"),
    (rules::MAX_SECONDS, "36 h"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Device,
    Code,
    Length,
}

/// The MFA device: the profile's, or the user's as IAM lists them.
#[derive(Debug)]
pub(crate) enum Devices {
    /// The profile's `mfa_serial`.
    Configured(String),
    /// Asking IAM (`ListMFADevices`).
    Finding,
    /// The user's devices; the chosen one is saved as the profile's `mfa_serial`.
    Found(ChoiceField),
    /// IAM could not say: the reason.
    Failed(String),
}

#[derive(Debug)]
pub struct Session {
    pub(crate) plan: Plan,
    pub(crate) devices: Devices,
    pub(crate) code: TextField,
    pub(crate) length: ChoiceField,
    pub(crate) focus: Field,
    attempted: bool,
    /// STS is being asked.
    pub(crate) working: bool,
    /// Why the last try failed (a refused code), shown until the next key.
    pub(crate) failed: Option<String>,
    pub(crate) spinner: usize,
}

impl Session {
    pub(crate) fn new(plan: Plan) -> Session {
        let devices = match &plan.serial {
            Some(serial) => Devices::Configured(serial.clone()),
            None => Devices::Finding,
        };
        let lengths = LENGTHS
            .iter()
            .map(|(seconds, label)| ChoiceItem {
                value: Some(seconds.to_string()),
                note: (*label).to_string(),
            })
            .collect();
        Session {
            plan,
            devices,
            code: TextField::default(),
            length: ChoiceField::new(lengths, Some(&rules::DEFAULT_SECONDS.to_string())),
            focus: Field::Code,
            attempted: false,
            working: false,
            failed: None,
            spinner: 0,
        }
    }

    /// The devices IAM listed (or why it could not).
    pub(crate) fn found(&mut self, found: Result<Vec<String>, String>) {
        self.devices = match found {
            Ok(serials) => Devices::Found(ChoiceField::new(
                serials
                    .into_iter()
                    .map(|serial| ChoiceItem {
                        value: Some(serial),
                        note: String::new(),
                    })
                    .collect(),
                None,
            )),
            Err(why) => Devices::Failed(format!(
                "cannot list the user's MFA devices ({why}); give the device once with `credwiz session {} --serial ARN` (it is then saved as the profile's mfa_serial)",
                self.plan.source
            )),
        };
    }

    /// The session could not be made: the dialog stays for another code.
    pub(crate) fn refused(&mut self, why: String) {
        self.working = false;
        self.failed = Some(why);
        self.code = TextField::default();
        self.focus = Field::Code;
    }

    pub(crate) fn serial(&self) -> Option<&str> {
        match &self.devices {
            Devices::Configured(serial) => Some(serial),
            Devices::Found(choice) => choice.selected().value.as_deref(),
            Devices::Finding | Devices::Failed(_) => None,
        }
    }

    fn seconds(&self) -> u32 {
        self.length
            .selected()
            .value
            .as_deref()
            .and_then(|s| s.parse().ok())
            .unwrap_or(rules::DEFAULT_SECONDS)
    }

    pub(crate) fn fields(&self) -> Vec<Field> {
        let several = matches!(&self.devices, Devices::Found(c) if c.options().len() > 1);
        let mut fields = Vec::new();
        if several {
            fields.push(Field::Device);
        }
        fields.extend([Field::Code, Field::Length]);
        fields
    }

    pub(crate) fn code_verdict(&self) -> Verdict {
        checks::mfa_code(self.code.trimmed(), self.attempted)
    }

    pub(crate) fn bindings(&self) -> Vec<Binding<Action>> {
        if self.working {
            return Vec::new();
        }
        let mut table = field_moves().to_vec();
        if self.focus != Field::Code {
            table.extend([
                Binding::new(LEFT, "←→", "choose", Action::Left),
                Binding::new(RIGHT, "→", "", Action::Right).shown(Shown::Hidden),
            ]);
        }
        let go = if self.plan.renews { "renew" } else { "start" };
        table.extend(save_and_cancel(go));
        table
    }

    pub(crate) fn on(&mut self, action: Option<Action>, key: KeyEvent) -> Outcome {
        if self.working {
            return Outcome::Open;
        }
        self.failed = None;
        match action {
            Some(Action::Cancel) => return Outcome::Closed,
            Some(Action::Save) => return self.go(),
            Some(Action::NextField) => self.move_focus(1),
            Some(Action::PreviousField) => self.move_focus(-1),
            Some(Action::Left) => self.step(-1),
            Some(Action::Right) => self.step(1),
            _ if self.focus == Field::Code => {
                self.attempted = false;
                self.code.handle(key);
            }
            _ => {}
        }
        Outcome::Open
    }

    pub(crate) fn on_paste(&mut self, text: &str) {
        if self.focus == Field::Code && !self.working {
            _ = self.code.paste(text.trim());
        }
    }

    fn step(&mut self, delta: isize) {
        match (self.focus, &mut self.devices) {
            (Field::Device, Devices::Found(choice)) => choice.step(delta, false),
            (Field::Length, _) => self.length.step(delta, false),
            _ => {}
        }
    }

    fn move_focus(&mut self, delta: isize) {
        let fields = self.fields();
        let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        self.focus = fields[(at + delta).rem_euclid(fields.len() as isize) as usize];
    }

    fn go(&mut self) -> Outcome {
        self.attempted = true;
        let Some(serial) = self.serial().map(str::to_string) else {
            return Outcome::Open;
        };
        if self.code_verdict().is_bad() {
            self.focus = Field::Code;
            return Outcome::Open;
        }
        self.working = true;
        Outcome::Run(Effect::StartSession {
            plan: self.plan.clone(),
            serial,
            code: self.code.trimmed().to_string(),
            seconds: self.seconds(),
            save_serial: matches!(self.devices, Devices::Found(_)),
        })
    }

    pub(crate) fn tick(&mut self) {
        self.spinner += 1;
    }
}
