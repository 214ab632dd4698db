//! Renders a one-line field: a `tui_input::Input`, or a masked secret (one `•` a
//! character), with the cursor where it belongs and the text scrolled to keep it visible.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What to show in a field.
pub(crate) struct FieldView<'a> {
    /// The text as it should appear (already masked for a hidden secret).
    pub shown: String,
    /// Cursor position in characters (each shown character is one cell).
    pub cursor: usize,
    pub placeholder: &'a str,
    pub style: Style,
    pub placeholder_style: Style,
    pub focused: bool,
}

pub fn masked(len: usize) -> String {
    "•".repeat(len)
}

pub(crate) fn render(frame: &mut Frame, area: Rect, field: &FieldView) {
    let width = area.width.saturating_sub(1) as usize;
    let scroll = field.cursor.saturating_sub(width);
    let line = if field.shown.is_empty() {
        Line::from(Span::styled(
            field.placeholder.to_string(),
            field.placeholder_style,
        ))
    } else {
        let visible: String = field.shown.chars().skip(scroll).take(width + 1).collect();
        Line::from(Span::styled(visible, field.style))
    };
    frame.render_widget(Paragraph::new(line), area);
    if field.focused {
        let x = area.x + (field.cursor - scroll) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    }
}
