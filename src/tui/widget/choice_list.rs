//! A list of choices with one highlighted, scrolled to keep it in view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use crate::tui::theme::Theme;

/// One row: a value and an optional description beside it.
pub struct Choice<'a> {
    pub value: &'a str,
    pub note: &'a str,
}

pub fn render(
    frame: &mut Frame,
    area: Rect,
    choices: &[Choice],
    selected: Option<usize>,
    theme: &Theme,
) {
    let width = choices.iter().map(|c| c.value.len()).max().unwrap_or(0);
    let items: Vec<ListItem> = choices
        .iter()
        .map(|c| {
            ListItem::new(Line::from(vec![
                Span::raw(format!(" {:width$}  ", c.value)),
                Span::styled(c.note.to_string(), theme.dim),
            ]))
        })
        .collect();
    let mut state = ListState::default().with_selected(selected);
    let list = List::new(items)
        .highlight_style(theme.selected)
        .highlight_symbol("›");
    frame.render_stateful_widget(list, area, &mut state);
}
