//! The key-hint line at the bottom of every screen: `Enter next · Esc back · ? help`,
//! from the screen's key table (`tui::keys::footer`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::keys::Hint;
use crate::tui::theme::Theme;

pub(crate) fn render(frame: &mut Frame, area: Rect, hints: &[Hint], theme: &Theme) {
    let mut spans = Vec::new();
    for (i, hint) in hints.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim));
        }
        spans.push(Span::styled(hint.keys.clone(), theme.key));
        spans.push(Span::raw(format!(" {}", hint.what)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
