//! Draws fields: a label and its value (masked for a secret) with the cursor, the
//! verdict under it, and the lists a region or a choice is picked from.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::region::Entry;
use super::{ChoiceField, RegionField, SecretInput, TextField, Verdict};
use crate::domain::text::printable;
use crate::tui::theme::Theme;
use crate::tui::widget::choice_list::{self, Choice};
use crate::tui::widget::text_field::{self, FieldView};

/// What a field row shows.
pub(crate) struct Row<'a> {
    pub(crate) label: &'a str,
    /// The label column's width, so the fields of a form line up.
    pub(crate) label_width: u16,
    pub(crate) shown: String,
    pub(crate) cursor: usize,
    pub(crate) placeholder: &'a str,
    pub(crate) focused: bool,
}

impl<'a> Row<'a> {
    /// A text field; a value from the files with characters a terminal would act on
    /// shows them as escapes.
    pub(crate) fn text(label: &'a str, field: &TextField, placeholder: &'a str) -> Row<'a> {
        Row {
            label,
            label_width: label.chars().count() as u16 + 2,
            shown: printable(field.value()).into_owned(),
            cursor: field.cursor(),
            placeholder,
            focused: false,
        }
    }

    pub(crate) fn secret(label: &'a str, field: &SecretInput) -> Row<'a> {
        Row {
            label,
            label_width: label.chars().count() as u16 + 2,
            shown: field.shown(),
            cursor: field.cursor(),
            placeholder: "paste here",
            focused: false,
        }
    }

    pub(crate) fn region(label: &'a str, field: &RegionField) -> Row<'a> {
        Row::text(label, field.filter(), "type to filter, e.g. frankfurt")
    }

    pub(crate) fn focused(mut self, focused: bool) -> Row<'a> {
        self.focused = focused;
        self
    }

    pub(crate) fn label_width(mut self, width: u16) -> Row<'a> {
        self.label_width = width;
        self
    }
}

pub(crate) fn render_row(frame: &mut Frame, area: Rect, row: &Row, theme: &Theme) {
    let [label_area, field_area] =
        Layout::horizontal([Constraint::Length(row.label_width), Constraint::Min(1)]).areas(area);
    let label_style = if row.focused { theme.key } else { theme.accent };
    frame.render_widget(Span::styled(row.label, label_style), label_area);
    let view = FieldView {
        shown: row.shown.clone(),
        cursor: row.cursor,
        placeholder: row.placeholder,
        style: Style::new(),
        placeholder_style: theme.dim,
        focused: row.focused,
    };
    text_field::render(frame, field_area, &view);
}

pub(crate) fn verdict_line(verdict: &Verdict, theme: &Theme) -> Line<'static> {
    match verdict {
        Verdict::Quiet => Line::raw(""),
        Verdict::Good(text) => Line::from(Span::styled(format!("✓ {text}"), theme.ok)),
        Verdict::Caution(text) => Line::from(Span::styled(format!("! {text}"), theme.key)),
        Verdict::Bad(text) => Line::from(Span::styled(format!("✗ {text}"), theme.error)),
    }
}

pub(crate) fn render_regions(frame: &mut Frame, area: Rect, field: &RegionField, theme: &Theme) {
    let entries = field.entries();
    let shown: Vec<String> = entries
        .iter()
        .map(|e| match e {
            Entry::Current(value) => printable(value).into_owned(),
            _ => String::new(),
        })
        .collect();
    let choices: Vec<Choice> = entries
        .iter()
        .zip(&shown)
        .map(|(entry, shown)| match entry {
            Entry::Unset => Choice {
                value: "(not set)",
                note: "no region",
            },
            Entry::Current(_) => Choice {
                value: shown,
                note: "as it is now",
            },
            Entry::Known(region) => Choice {
                value: region.code,
                note: region.description,
            },
        })
        .collect();
    let selected = (!choices.is_empty()).then_some(field.selected_index());
    choice_list::render(frame, area, &choices, selected, theme);
}

pub(crate) fn render_choices(frame: &mut Frame, area: Rect, field: &ChoiceField, theme: &Theme) {
    let choices: Vec<Choice> = field
        .options()
        .iter()
        .map(|o| Choice {
            value: o.value.as_deref().unwrap_or("(not set)"),
            note: &o.note,
        })
        .collect();
    choice_list::render(frame, area, &choices, Some(field.selected_index()), theme);
}
