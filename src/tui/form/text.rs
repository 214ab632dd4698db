//! A one-line text field (`tui_input::Input`).

use ratatui::crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};

use crate::domain::validate::trim_pasted;

/// Never holds a secret: `tui_input::Input` copies and keeps what it is given.
#[derive(Debug, Clone, Default)]
pub(crate) struct TextField {
    input: Input,
}

impl TextField {
    pub(crate) fn new(initial: &str) -> TextField {
        TextField {
            input: Input::new(initial.to_string()),
        }
    }

    pub(crate) fn value(&self) -> &str {
        self.input.value()
    }

    /// The value as it will be used: surrounding whitespace and quotes removed.
    pub(crate) fn trimmed(&self) -> &str {
        trim_pasted(self.input.value())
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.input.value().is_empty()
    }

    /// The cursor, in cells from the start.
    pub(crate) fn cursor(&self) -> usize {
        self.input.visual_cursor()
    }

    /// An editing key; whether the value changed.
    pub(crate) fn handle(&mut self, key: KeyEvent) -> bool {
        self.input
            .handle_event(&Event::Key(key))
            .is_some_and(|changed| changed.value)
    }

    /// Pasted text, inserted at the cursor (line breaks and other controls dropped).
    /// Refused (`false`) when it holds something shaped like a secret access key: this
    /// field is shown in clear.
    #[must_use]
    pub(crate) fn paste(&mut self, text: &str) -> bool {
        if super::paste::holds_secret(text) {
            return false;
        }
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        for c in trim_pasted(&clean).chars() {
            self.input.handle(InputRequest::InsertChar(c));
        }
        true
    }

    pub(crate) fn set(&mut self, text: &str) {
        self.input = Input::new(text.to_string());
    }

    /// `text`, with the cursor `cursor` characters from the start.
    pub(crate) fn set_with_cursor(&mut self, text: &str, cursor: usize) {
        self.input = Input::new(text.to_string()).with_cursor(cursor);
    }
}
