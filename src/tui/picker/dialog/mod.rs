//! The picker's dialogs, one module each. A dialog is built from the shared form fields
//! (`tui::form`), lists its keys once ([`Dialog::bindings`]: its key handling, the
//! footer and the hint line inside it all read that table), and ends with an
//! [`Outcome`] the picker acts on.

pub(crate) mod confirm;
pub(crate) mod edit;
pub(crate) mod rename;
pub(crate) mod rotate;
pub(crate) mod rotation;
pub(crate) mod session;
pub(crate) mod view;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::Effect;
use crate::tui::keys::{self, Binding, Chord};

pub(crate) use confirm::Confirm;
pub(crate) use edit::Edit;
pub(crate) use rename::Rename;
pub(crate) use rotate::Rotate;
pub(crate) use rotation::Rotation;
pub(crate) use session::Session;

/// `Debug` shows no secret: the secret fields redact themselves.
#[derive(Debug)]
pub enum Dialog {
    /// What making a profile the default, or deleting one, will do, before it is done.
    Confirm(Confirm),
    Rename(Rename),
    /// `e`: region and output; for another service's keys, the endpoint URL too.
    Edit(Edit),
    /// `k`: a new key pair pasted; everything else in the profile stays.
    Rotate(Rotate),
    /// `k` on an IAM user's key: rotation through IAM, run and narrated here.
    Rotation(Rotation),
    /// `m`: an MFA session (or its renewal), the code asked here.
    Session(Session),
    /// `?`: the picker's keys (the lines are the picker's key table, read when opened).
    Help(Vec<String>),
}

/// What a key did to a dialog.
pub(crate) enum Outcome {
    Open,
    /// Closed without doing anything.
    Closed,
    /// Closed, and this is to be done.
    Done(Effect),
    /// Stays open while this is done (a rotation it narrates).
    Run(Effect),
    /// Gives way to another dialog.
    Switch(Box<Dialog>),
}

/// What a key does in a dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Yes,
    No,
    Save,
    Cancel,
    NextField,
    PreviousField,
    Up,
    Down,
    Left,
    Right,
    Reveal,
    Close,
    /// `p` in the rotation's choice: paste a key made elsewhere instead.
    PasteInstead,
}

pub(crate) const YES: &[Chord] = &[
    Chord::Plain(KeyCode::Char('y')),
    Chord::Plain(KeyCode::Char('Y')),
];
pub(crate) const NO: &[Chord] = &[
    Chord::Plain(KeyCode::Char('n')),
    Chord::Plain(KeyCode::Char('N')),
    Chord::Plain(KeyCode::Esc),
];
pub(crate) const NEXT_FIELD: &[Chord] = &[Chord::Plain(KeyCode::Tab)];
pub(crate) const PREVIOUS_FIELD: &[Chord] = &[Chord::Plain(KeyCode::BackTab)];
pub(crate) const LEFT: &[Chord] = &[Chord::Plain(KeyCode::Left)];
pub(crate) const RIGHT: &[Chord] = &[Chord::Plain(KeyCode::Right)];

/// Tab and Shift+Tab between a dialog's fields (Shift+Tab listed in the help only).
pub(crate) fn field_moves() -> [Binding<Action>; 2] {
    [
        Binding::new(NEXT_FIELD, "Tab", "next field", Action::NextField),
        Binding::new(
            PREVIOUS_FIELD,
            "Shift+Tab",
            "previous",
            Action::PreviousField,
        )
        .shown(keys::Shown::Help),
    ]
}

pub(crate) fn save_and_cancel(save: &'static str) -> [Binding<Action>; 2] {
    [
        Binding::new(keys::ENTER, "Enter", save, Action::Save),
        Binding::new(keys::ESC, "Esc", "cancel", Action::Cancel),
    ]
}

impl Dialog {
    pub(crate) fn bindings(&self) -> Vec<Binding<Action>> {
        match self {
            Dialog::Confirm(d) => d.bindings(),
            Dialog::Rename(d) => d.bindings(),
            Dialog::Edit(d) => d.bindings(),
            Dialog::Rotate(d) => d.bindings(),
            Dialog::Rotation(d) => d.bindings(),
            Dialog::Session(d) => d.bindings(),
            Dialog::Help(_) => vec![Binding::new(
                keys::ESC,
                "any key",
                "closes this help",
                Action::Close,
            )],
        }
    }

    pub(crate) fn on_key(&mut self, key: KeyEvent) -> Outcome {
        let action = keys::action(&self.bindings(), &key);
        match self {
            Dialog::Help(_) => Outcome::Closed,
            Dialog::Confirm(d) => d.on(action),
            Dialog::Rename(d) => d.on(action, key),
            Dialog::Edit(d) => d.on(action, key),
            Dialog::Rotate(d) => d.on(action, key),
            Dialog::Rotation(d) => d.on(action, key),
            Dialog::Session(d) => d.on(action, key),
        }
    }

    pub(crate) fn on_paste(&mut self, text: &str) {
        match self {
            Dialog::Rename(d) => d.on_paste(text),
            Dialog::Edit(d) => d.on_paste(text),
            Dialog::Rotate(d) => d.on_paste(text),
            Dialog::Rotation(d) => d.on_paste(text),
            Dialog::Session(d) => d.on_paste(text),
            Dialog::Confirm(_) | Dialog::Help(_) => {}
        }
    }
}
