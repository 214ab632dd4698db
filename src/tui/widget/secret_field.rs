//! A text field for secrets. Unlike `tui_input::Input` (which copies its value on
//! `value_and_reset`, keeps cut text in a yank buffer and reallocates as it grows, all
//! without zeroizing), every buffer that ever held the secret here is zeroized.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use zeroize::Zeroizing;

const INITIAL_CAPACITY: usize = 2048;

pub struct SecretField {
    value: Zeroizing<String>,
    /// In characters.
    cursor: usize,
}

impl Default for SecretField {
    fn default() -> Self {
        SecretField {
            value: Zeroizing::new(String::with_capacity(INITIAL_CAPACITY)),
            cursor: 0,
        }
    }
}

impl fmt::Debug for SecretField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretField(<{} chars>)", self.len())
    }
}

impl SecretField {
    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn len(&self) -> usize {
        self.value.chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Makes room without letting `String` reallocate (which would free an unzeroized copy).
    fn reserve(&mut self, extra: usize) {
        let needed = self.value.len() + extra;
        if needed > self.value.capacity() {
            let mut bigger =
                Zeroizing::new(String::with_capacity(needed.max(2 * self.value.capacity())));
            bigger.push_str(&self.value);
            self.value = bigger; // the old buffer is zeroized as it drops
        }
    }

    pub fn set(&mut self, text: &str) {
        self.clear();
        self.reserve(text.len());
        self.value.push_str(text);
        self.cursor = self.len();
    }

    pub fn clear(&mut self) {
        // Zeroizing the String's contents keeps its (zeroed) allocation.
        zeroize::Zeroize::zeroize(&mut *self.value);
        self.cursor = 0;
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.value
            .char_indices()
            .nth(char_index)
            .map_or(self.value.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        self.reserve(c.len_utf8());
        let at = self.byte_at(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
    }

    pub fn insert_str(&mut self, text: &str) {
        for c in text.chars() {
            self.insert(c);
        }
    }

    /// Handles editing keys; returns whether the key was used.
    pub fn handle(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') if ctrl => self.clear(),
            KeyCode::Char(c) if !ctrl => self.insert(c),
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.value.remove(at);
                self.cursor -= 1;
            }
            KeyCode::Delete if self.cursor < self.len() => {
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.len()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.len(),
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn edits_at_the_cursor() {
        let mut f = SecretField::default();
        f.insert_str("abd");
        f.handle(key(KeyCode::Left));
        f.insert('c');
        assert_eq!((f.value(), f.cursor()), ("abcd", 3));
        f.handle(key(KeyCode::Home));
        f.handle(key(KeyCode::Delete));
        f.handle(key(KeyCode::End));
        f.handle(key(KeyCode::Backspace));
        assert_eq!(f.value(), "bc");
    }

    #[test]
    fn growing_past_the_capacity_keeps_the_value() {
        let mut f = SecretField::default();
        let long = "x".repeat(5000);
        f.set(&long);
        f.insert('y');
        assert_eq!(f.len(), 5001);
        assert!(format!("{f:?}").contains("5001 chars"));
        assert!(!format!("{f:?}").contains("xx"));
    }
}
