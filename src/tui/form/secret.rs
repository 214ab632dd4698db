//! A masked field for a secret, shown only while the user reveals it (Ctrl+R).

use ratatui::crossterm::event::KeyEvent;

use crate::domain::secret::Secret;
use crate::domain::validate::trim_pasted;
use crate::tui::widget::secret_field::SecretField;

#[derive(Default)]
pub(crate) struct SecretInput {
    field: SecretField,
    revealed: bool,
}

/// Says only how long it is.
impl std::fmt::Debug for SecretInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretInput(<{} chars>)", self.field.len())
    }
}

impl SecretInput {
    /// The value as it will be saved.
    pub(crate) fn secret(&self) -> Secret {
        Secret::new(trim_pasted(self.field.value()))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.field.is_empty()
    }

    pub(crate) fn cursor(&self) -> usize {
        self.field.cursor()
    }

    pub(crate) fn revealed(&self) -> bool {
        self.revealed
    }

    pub(crate) fn toggle_reveal(&mut self) {
        self.revealed = !self.revealed;
    }

    pub(crate) fn hide(&mut self) {
        self.revealed = false;
    }

    /// What the screen shows: one `•` a character unless revealed.
    pub(crate) fn shown(&self) -> String {
        if self.revealed {
            self.field.value().to_string()
        } else {
            "•".repeat(self.field.len())
        }
    }

    pub(crate) fn handle(&mut self, key: KeyEvent) -> bool {
        self.field.handle(key)
    }

    pub(crate) fn paste(&mut self, text: &str) {
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        self.field.insert_str(trim_pasted(&clean));
    }

    pub(crate) fn set(&mut self, secret: &Secret) {
        self.field.set(secret.expose());
    }

    pub(crate) fn clear(&mut self) {
        self.field.clear();
        self.revealed = false;
    }
}
