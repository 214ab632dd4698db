//! A list of choices with one highlighted. The highlight is kept near the middle, so the
//! rows on both sides of it show, and a row at either end says how many are out of view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::theme::Theme;

/// One row: a value and a description beside it.
pub(crate) struct Choice<'a> {
    pub(crate) value: &'a str,
    pub(crate) note: &'a str,
}

/// The rows of `total` shown in `height` lines around `selected`: the first shown, how
/// many, and whether a line goes to "more above" / "more below".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) first: usize,
    pub(crate) count: usize,
    pub(crate) above: bool,
    pub(crate) below: bool,
}

pub(crate) fn window(total: usize, selected: usize, height: usize) -> Window {
    if total <= height {
        return Window {
            first: 0,
            count: total,
            above: false,
            below: false,
        };
    }
    if height < 3 {
        return Window {
            first: selected.min(total - 1),
            count: height.min(1),
            above: false,
            below: false,
        };
    }
    // Two lines may go to the indicators; the rest to rows, the highlight in the middle.
    let rows = height.saturating_sub(2).max(1);
    let first = selected.saturating_sub(rows / 2).min(total - rows);
    let above = first > 0;
    let below = first + rows < total;
    // An indicator that is not needed gives its line back to a row.
    let (first, count) = match (above, below) {
        (false, _) => (0, height - 1),
        (_, false) => (total - (height - 1), height - 1),
        _ => (first, rows),
    };
    Window {
        first,
        count,
        above: first > 0,
        below: first + count < total,
    }
}

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    choices: &[Choice],
    selected: Option<usize>,
    theme: &Theme,
) {
    let width = choices
        .iter()
        .map(|c| c.value.chars().count())
        .max()
        .unwrap_or(0);
    let shown = window(
        choices.len(),
        selected.unwrap_or(0),
        usize::from(area.height),
    );
    let mut lines = Vec::new();
    if shown.above {
        lines.push(more(format!("↑ {} more", shown.first), theme));
    }
    for (i, choice) in choices
        .iter()
        .enumerate()
        .skip(shown.first)
        .take(shown.count)
    {
        // On the highlighted row the note takes the row's style: dim on the highlight
        // would be hard to read.
        let (pointer, style, note) = if Some(i) == selected {
            ("›", theme.selected, theme.selected)
        } else {
            (" ", Style::new(), theme.dim)
        };
        lines.push(
            Line::from(vec![
                Span::raw(format!("{pointer} {:width$}  ", choice.value)),
                Span::styled(choice.note.to_string(), note),
            ])
            .style(style),
        );
    }
    if shown.below {
        let rest = choices.len() - shown.first - shown.count;
        lines.push(more(format!("↓ {rest} more"), theme));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn more(text: String, theme: &Theme) -> Line<'static> {
    Line::from(Span::styled(format!("  {text}"), theme.dim))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highlight_stays_in_view_with_rows_around_it() {
        assert_eq!(window(5, 4, 10).count, 5);
        for total in [11, 46] {
            for height in [3, 6, 10] {
                for selected in 0..total {
                    let w = window(total, selected, height);
                    let lines = w.count + usize::from(w.above) + usize::from(w.below);
                    assert!(lines <= height, "{total} {height} {selected}: {w:?}");
                    assert!((w.first..w.first + w.count).contains(&selected), "{w:?}");
                    assert_eq!(w.above, w.first > 0);
                    assert_eq!(w.below, w.first + w.count < total);
                }
            }
        }
        let middle = window(46, 31, 10);
        assert!(middle.first < 31 && 31 < middle.first + middle.count - 1);
    }
}
