//! Key tables. Every screen and dialog lists its keys once, as [`Binding`]s; what a key
//! does ([`action`]), the footer's hints ([`footer`]) and the `?` help ([`help`]) are all
//! read from that one list, so they cannot disagree. A table is built from the current
//! state (a key that does nothing now is not in it), so the footer only offers what works.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key as a table matches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Chord {
    /// A key without Ctrl or Alt (Shift allowed: `?` is Shift+/ on most keyboards).
    Plain(KeyCode),
    /// Ctrl and a letter.
    Ctrl(char),
}

impl Chord {
    fn matches(self, key: &KeyEvent) -> bool {
        let ctrl_or_alt = key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match self {
            Chord::Plain(code) => !ctrl_or_alt && key.code == code,
            Chord::Ctrl(c) => {
                key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
            }
        }
    }
}

/// Where a binding is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shown {
    /// In the footer and in the help.
    Footer,
    /// In the footer, folded with its neighbours of the same group when the line is
    /// short of room (`a e k r d c v act`), and in the help.
    Grouped(&'static str),
    /// Only in the help.
    Help,
    /// Nowhere: the second half of a pair shown once (`↑↓`).
    Hidden,
}

/// One entry of a key table.
#[derive(Debug, Clone)]
pub(crate) struct Binding<A> {
    pub(crate) chords: &'static [Chord],
    /// The keys as people read them: `Enter`, `Ctrl+R`, `↑↓`.
    pub(crate) label: &'static str,
    /// What it does, in the footer's few words.
    pub(crate) hint: &'static str,
    /// What it does, in the help's words; the hint when empty.
    pub(crate) help: &'static str,
    pub(crate) shown: Shown,
    pub(crate) action: A,
}

impl<A> Binding<A> {
    pub(crate) fn new(
        chords: &'static [Chord],
        label: &'static str,
        hint: &'static str,
        action: A,
    ) -> Binding<A> {
        Binding {
            chords,
            label,
            hint,
            help: "",
            shown: Shown::Footer,
            action,
        }
    }

    /// With a longer text for the help.
    pub(crate) fn explained(mut self, help: &'static str) -> Binding<A> {
        self.help = help;
        self
    }

    pub(crate) fn shown(mut self, shown: Shown) -> Binding<A> {
        self.shown = shown;
        self
    }

    fn help_text(&self) -> &'static str {
        if self.help.is_empty() {
            self.hint
        } else {
            self.help
        }
    }
}

/// Chords for the keys used everywhere.
pub(crate) const ENTER: &[Chord] = &[Chord::Plain(KeyCode::Enter)];
pub(crate) const ESC: &[Chord] = &[Chord::Plain(KeyCode::Esc)];
pub(crate) const TAB: &[Chord] = &[Chord::Plain(KeyCode::Tab)];
pub(crate) const UP: &[Chord] = &[Chord::Plain(KeyCode::Up)];
pub(crate) const DOWN: &[Chord] = &[Chord::Plain(KeyCode::Down)];
pub(crate) const HELP: &[Chord] = &[Chord::Plain(KeyCode::Char('?'))];
pub(crate) const CTRL_C: &[Chord] = &[Chord::Ctrl('c')];
pub(crate) const CTRL_R: &[Chord] = &[Chord::Ctrl('r')];

/// Whether `key` is one of `chords`.
pub(crate) fn pressed(chords: &[Chord], key: &KeyEvent) -> bool {
    chords.iter().any(|c| c.matches(key))
}

/// The action the table binds `key` to, if any.
pub(crate) fn action<A: Clone>(table: &[Binding<A>], key: &KeyEvent) -> Option<A> {
    table
        .iter()
        .find(|b| pressed(b.chords, key))
        .map(|b| b.action.clone())
}

/// One hint of the footer: keys and what they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hint {
    pub(crate) keys: String,
    pub(crate) what: &'static str,
}

const SEPARATOR: usize = 3; // " · "

fn line_width(hints: &[Hint]) -> usize {
    let text: usize = hints
        .iter()
        .map(|h| h.keys.chars().count() + 1 + h.what.chars().count())
        .sum();
    text + SEPARATOR * hints.len().saturating_sub(1)
}

/// The footer's hints for `width` columns: every footer binding when they fit; else the
/// grouped ones spelled out from the first while they fit, the rest left to the help
/// (`? all keys`); at widths where not even one fits, the groups folded into one hint
/// (`a e k r d c v act`); at the narrowest, as many as fit, always ending with the last
/// binding (the help key), whose help lists the rest.
pub(crate) fn footer<A>(table: &[Binding<A>], width: u16) -> Vec<Hint> {
    let listed = table
        .iter()
        .filter(|b| matches!(b.shown, Shown::Footer | Shown::Grouped(_)));
    let hint = |b: &Binding<A>| Hint {
        keys: b.label.to_string(),
        what: b.hint,
    };
    let all: Vec<Hint> = listed.clone().map(hint).collect();
    let width = usize::from(width);
    if line_width(&all) <= width {
        return all;
    }
    let grouped = listed
        .clone()
        .filter(|b| matches!(b.shown, Shown::Grouped(_)))
        .count();
    for keep in (1..grouped).rev() {
        let mut seen = 0;
        let mut hints: Vec<Hint> = listed
            .clone()
            .filter(|b| {
                let grouped = matches!(b.shown, Shown::Grouped(_));
                seen += usize::from(grouped);
                !grouped || seen <= keep
            })
            .map(hint)
            .collect();
        if let Some(last) = hints.last_mut()
            && table.last().is_some_and(|b| b.chords == HELP)
        {
            last.what = "all keys";
        }
        if line_width(&hints) <= width {
            return hints;
        }
    }
    let mut folded: Vec<Hint> = Vec::new();
    let mut open_group: Option<&str> = None;
    for binding in listed {
        match binding.shown {
            Shown::Grouped(group) if open_group == Some(group) => {
                if let Some(last) = folded.last_mut() {
                    last.keys.push(' ');
                    last.keys.push_str(binding.label);
                }
            }
            Shown::Grouped(group) => {
                open_group = Some(group);
                folded.push(Hint {
                    keys: binding.label.to_string(),
                    what: group,
                });
            }
            _ => {
                open_group = None;
                folded.push(Hint {
                    keys: binding.label.to_string(),
                    what: binding.hint,
                });
            }
        }
    }
    while line_width(&folded) > width && folded.len() > 1 {
        folded.remove(folded.len() - 2);
    }
    folded
}

/// The help's lines: every binding but the hidden ones, keys in a column.
pub(crate) fn help<A>(table: &[Binding<A>]) -> Vec<String> {
    let shown: Vec<&Binding<A>> = table.iter().filter(|b| b.shown != Shown::Hidden).collect();
    let width = shown
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    shown
        .iter()
        .map(|b| format!("{:width$}  {}", b.label, b.help_text()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Act {
        Save,
        Add,
        Edit,
        Quit,
        Help,
    }

    fn table() -> Vec<Binding<Act>> {
        vec![
            Binding::new(ENTER, "Enter", "save", Act::Save),
            Binding::new(&[Chord::Plain(KeyCode::Char('a'))], "a", "add", Act::Add)
                .shown(Shown::Grouped("act")),
            Binding::new(&[Chord::Plain(KeyCode::Char('e'))], "e", "edit", Act::Edit)
                .shown(Shown::Grouped("act")),
            Binding::new(CTRL_C, "Ctrl+C", "quit", Act::Quit).explained("quit credwiz"),
            Binding::new(HELP, "?", "help", Act::Help),
        ]
    }

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn keys_find_their_action_and_modifiers_matter() {
        let t = table();
        assert_eq!(
            action(&t, &key(KeyCode::Enter, KeyModifiers::NONE)),
            Some(Act::Save)
        );
        assert_eq!(
            action(&t, &key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Act::Quit)
        );
        assert_eq!(
            action(&t, &key(KeyCode::Char('a'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(
            action(&t, &key(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            Some(Act::Help)
        );
    }

    #[test]
    fn the_footer_leaves_grouped_keys_to_the_help_then_folds_then_drops_but_keeps_the_help_key() {
        let t = table();
        let keys = |hints: Vec<Hint>| hints.into_iter().map(|h| h.keys).collect::<Vec<_>>();
        assert_eq!(keys(footer(&t, 200)), ["Enter", "a", "e", "Ctrl+C", "?"]);
        let spelled = footer(&t, 46);
        assert_eq!(keys(spelled.clone()), ["Enter", "a", "Ctrl+C", "?"]);
        assert_eq!(
            spelled[3].what, "all keys",
            "the help lists what is left out"
        );
        let folded = footer(&t, 40);
        assert_eq!(folded[1].keys, "a e");
        assert_eq!(folded[1].what, "act");
        assert!(line_width(&folded) <= 40);
        assert_eq!(keys(footer(&t, 20)), ["Enter", "?"]);
    }

    #[test]
    fn the_help_lists_every_key_in_a_column() {
        let help = help(&table());
        assert_eq!(help[0], "Enter   save");
        assert_eq!(help[3], "Ctrl+C  quit credwiz");
    }
}
