//! Draws the picker: the table (only the visible rows, so 10,000 profiles cost no
//! more than a screenful), the detail pane beside or below it, findings, popups.
//! Values from the files are shown through `text::printable`: a control character or a
//! bidirectional override is drawn as its escape (`\e`, `\u{202e}`), not dropped unseen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row as TableRow, Table, Wrap};

use super::{Mode, Picker, Popup};
use crate::domain::mask::mask_key_id;
use crate::domain::text::{printable, printable_lines};
use crate::store::doctor::Severity;
use crate::tui::theme::Theme;
use crate::tui::widget::hints;

const WIDE: u16 = 120;

pub fn render(frame: &mut Frame, picker: &Picker, theme: &Theme) {
    let area = frame.area();
    if crate::tui::too_small(area) {
        crate::tui::render_too_small(frame, "q");
        return;
    }
    let findings = findings_lines(picker, theme, area.width);
    let status = status_line(picker, theme);
    // A long outcome (a failed check says why) wraps onto up to three lines.
    let status_height = status
        .as_ref()
        .map_or(1, |p| p.line_count(area.width).clamp(1, 3) as u16);
    let [body, findings_area, message_area, hint_area] = Layout::vertical([
        Constraint::Min(6),
        Constraint::Length(findings.len() as u16),
        Constraint::Length(status_height),
        Constraint::Length(1),
    ])
    .areas(area);
    let (table_area, detail_area) = if area.width >= WIDE {
        let [t, d] = Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
            .areas(body);
        (t, d)
    } else {
        let [t, d] = Layout::vertical([Constraint::Min(5), Constraint::Length(9)]).areas(body);
        (t, d)
    };
    render_table(frame, table_area, picker, theme);
    render_detail(frame, detail_area, picker, theme);
    frame.render_widget(Paragraph::new(findings), findings_area);
    if let Some(status) = status {
        frame.render_widget(status, message_area);
    }
    hints::render(frame, hint_area, &hint_keys(picker, area.width), theme);
    if let Some(popup) = &picker.popup {
        render_popup(frame, area, popup, theme);
    }
}

/// The spinner of a running check, else the outcome of the last action.
fn status_line(picker: &Picker, theme: &Theme) -> Option<Paragraph<'static>> {
    let (text, style) = if let Some((name, tick)) = &picker.verifying {
        let text = format!(
            "{} verifying `{name}` with AWS STS… (Esc cancels)",
            crate::tui::widget::spinner::frame(*tick)
        );
        (text, theme.accent)
    } else {
        let (is_error, text) = picker.message()?;
        (
            text.to_string(),
            if is_error { theme.error } else { theme.ok },
        )
    };
    Some(
        Paragraph::new(ratatui::text::Text::styled(
            printable_lines(&text).into_owned(),
            style,
        ))
        .wrap(Wrap { trim: true }),
    )
}

fn hint_keys(picker: &Picker, width: u16) -> Vec<(&'static str, &'static str)> {
    if picker.filtering() {
        return vec![
            ("type", "filter"),
            ("↑↓", "move"),
            ("Enter", "choose"),
            ("Esc", "clear"),
        ];
    }
    match picker.mode {
        Mode::Pick => vec![
            ("Enter", "use in this shell"),
            ("/", "filter"),
            ("q", "quit"),
            ("?", "help"),
        ],
        Mode::Manage if width < WIDE => vec![
            ("Enter", "make default"),
            ("/", "filter"),
            ("a e k r d c v", "act"),
            ("q", "quit"),
            ("?", "help"),
        ],
        Mode::Manage => vec![
            ("Enter", "make default"),
            ("/", "filter"),
            ("a", "add"),
            ("e", "edit"),
            ("k", "key"),
            ("r", "rename"),
            ("d", "delete"),
            ("c", "copy"),
            ("v", "verify"),
            ("q", "quit"),
            ("?", "help"),
        ],
    }
}

fn title(picker: &Picker) -> String {
    let count = picker.data.rows.len();
    let shown = picker.shown();
    let what = match picker.mode {
        Mode::Manage => "credwiz",
        Mode::Pick => "credwiz pick · choose a profile for this shell",
    };
    let what = match picker.sort {
        super::Sort::Name => what.to_string(),
        super::Sort::Recent => format!("{what} · recently used first"),
    };
    let noun = if count == 1 { "profile" } else { "profiles" };
    if shown == count {
        format!(" {what} · {count} {noun} ")
    } else {
        format!(" {what} · {shown} of {count} {noun} ")
    }
}

fn highlighted<'a>(
    name: &'a str,
    positions: &[usize],
    base: Style,
    theme: &Theme,
) -> Vec<Span<'a>> {
    name.chars()
        .enumerate()
        .map(|(i, c)| {
            let style = if positions.contains(&i) {
                theme.key.add_modifier(Modifier::UNDERLINED)
            } else {
                base
            };
            Span::styled(c.to_string(), style)
        })
        .collect()
}

fn render_table(frame: &mut Frame, area: Rect, picker: &Picker, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title(picker), theme.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [filter_area, header_area, rows_area] = Layout::vertical([
        Constraint::Length(u16::from(
            picker.filtering() || !picker.filter().value().is_empty(),
        )),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(inner);
    if filter_area.height > 0 {
        let value = picker.filter().value();
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("/ ", theme.key),
                Span::raw(value.to_string()),
            ])),
            filter_area,
        );
        if picker.filtering() && picker.popup.is_none() {
            let x = filter_area.x + 2 + picker.filter().visual_cursor() as u16;
            frame.set_cursor_position(Position::new(x.min(filter_area.right() - 1), filter_area.y));
        }
    }
    let widths = [
        Constraint::Length(3),
        Constraint::Min(12),
        Constraint::Length(7),
        Constraint::Length(9),
        Constraint::Length(12),
        Constraint::Length(14),
        Constraint::Length(6),
    ];
    let header =
        TableRow::new(["", "NAME", "KIND", "KEY", "ACCOUNT", "REGION", "OUTPUT"]).style(theme.dim);
    frame.render_widget(Table::new([header], widths), header_area);

    let height = rows_area.height as usize;
    let selected = picker.selected_index();
    let mut offset = picker.offset.get();
    if selected < offset {
        offset = selected;
    } else if selected >= offset + height {
        offset = selected + 1 - height;
    }
    picker.offset.set(offset);
    let dash = || "-".to_string();
    let rows: Vec<TableRow> = picker
        .rows()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, (row, positions))| {
            let pointer = if i == selected { "›" } else { " " };
            let mark = if picker.is_root(&row.name) {
                "!"
            } else if row.is_default {
                "★"
            } else if row.holds_default {
                "•"
            } else {
                " "
            };
            let marker = format!("{pointer}{mark}");
            let base = if i == selected {
                theme.selected
            } else {
                Style::new()
            };
            let name_style = if i == selected {
                theme.selected
            } else {
                Style::new()
            };
            TableRow::new(vec![
                Cell::from(Span::styled(marker, theme.key)),
                Cell::from(Line::from(highlighted(
                    &row.name, positions, name_style, theme,
                ))),
                Cell::from(row.kind.label()),
                Cell::from(
                    row.key_id
                        .as_deref()
                        .map_or_else(dash, |k| shown(&mask_key_id(k))),
                ),
                Cell::from(row.account.as_deref().map_or_else(dash, shown)),
                Cell::from(row.region.as_deref().map_or_else(dash, cell)),
                Cell::from(row.output.as_deref().map_or_else(dash, cell)),
            ])
            .style(base)
        })
        .collect();
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("no profile matches the filter", theme.dim)),
            rows_area,
        );
    } else {
        frame.render_widget(Table::new(rows, widths), rows_area);
    }
}

fn render_detail(frame: &mut Frame, area: Rect, picker: &Picker, theme: &Theme) {
    let Some(row) = picker.selected() else {
        frame.render_widget(Block::default().borders(Borders::ALL), area);
        return;
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {} ", row.name), theme.title));
    let mut lines = Vec::new();
    let mut about = vec![row.kind.label().to_string()];
    about.extend(row.account.as_ref().map(|a| format!("account {a}")));
    if row.is_default {
        about.push("the default profile".into());
    } else if row.holds_default {
        about.push("same keys as default".into());
    }
    lines.push(Line::raw(about.join(" · ")));
    if picker.is_root(&row.name) {
        lines.push(Line::from(Span::styled(
            "ROOT user keys: AWS advises against them; use an IAM user",
            theme.error,
        )));
    }
    if let Some(v) = picker.state.verification(&row.name) {
        let line = if v.ok {
            let who = v
                .arn
                .clone()
                .or_else(|| v.account.clone())
                .unwrap_or_default();
            Line::from(vec![
                Span::styled("verified ", theme.ok),
                Span::raw(format!("{} · {who}", v.time)),
            ])
        } else {
            let why = v.error.clone().unwrap_or_default();
            Line::from(vec![
                Span::styled("verify failed ", theme.error),
                Span::raw(format!("{} · {why}", v.time)),
            ])
        };
        lines.push(line);
    }
    if row.chain.len() > 1 {
        lines.push(Line::from(vec![
            Span::styled("chain  ", theme.dim),
            Span::raw(shown(&row.chain.join(" → "))),
        ]));
    }
    let width = row.settings.iter().map(|s| s.key.len()).max().unwrap_or(0);
    for setting in &row.settings {
        let value = setting.value.trim_start_matches('\n').replace('\n', " · ");
        let value = printable(&value);
        lines.push(Line::from(vec![
            Span::styled(format!("{:width$} ", setting.key), theme.accent),
            Span::raw(format!("= {value} ")),
            Span::styled(
                format!("{}:{}", setting.file.name(), setting.line),
                theme.dim,
            ),
        ]));
    }
    // No wrapping: a long value is cut at the edge rather than pushing the rest down.
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// Up to three findings, errors first, then how many more and where to see them all.
fn findings_lines<'a>(picker: &Picker, theme: &Theme, width: u16) -> Vec<Line<'a>> {
    let findings = &picker.data.findings;
    let shown = 3;
    let mut lines: Vec<Line> = findings
        .iter()
        .take(shown)
        .map(|f| {
            let (mark, style) = match f.severity {
                Severity::Error => ("✗ ", theme.error),
                Severity::Warning => ("! ", theme.key),
            };
            let room = width as usize - 2;
            let message = printable(&f.message);
            let text: String = if message.chars().count() > room {
                message.chars().take(room - 1).chain(['…']).collect()
            } else {
                message.into_owned()
            };
            Line::from(vec![Span::styled(mark, style), Span::raw(text)])
        })
        .collect();
    if findings.len() > shown {
        lines.push(Line::from(Span::styled(
            format!("… and {} more: run credwiz doctor", findings.len() - shown),
            theme.dim,
        )));
    }
    lines
}

/// The end of a form popup: its validation error, if any, then its key hints.
fn form_tail(body: &mut Vec<Line>, error: Option<&str>, hints: &str, theme: &Theme) {
    if let Some(error) = error {
        body.push(Line::from(Span::styled(format!(" {error}"), theme.error)));
    }
    body.extend([Line::raw(""), Line::raw(format!(" {hints}"))]);
}

fn render_popup(frame: &mut Frame, area: Rect, popup: &Popup, theme: &Theme) {
    let plain = |text: String| Line::raw(format!(" {text}"));
    let (title, lines): (String, Vec<Line>) = match popup {
        Popup::MakeDefault { name, lines } => {
            let mut body: Vec<Line> = lines.iter().map(|l| plain(l.clone())).collect();
            body.extend([Line::raw(""), plain("y  yes · n  no".into())]);
            (format!("Make `{name}` the default?"), body)
        }
        Popup::Delete { name, dependents } => {
            let mut body = vec![plain(format!("Remove `{name}` from both files?"))];
            if !dependents.is_empty() {
                body.push(Line::from(Span::styled(
                    match dependents.as_slice() {
                        [one] => format!(" {one} takes its keys from it and will stop working."),
                        many => format!(
                            " {} take their keys from it and will stop working.",
                            many.join(", ")
                        ),
                    },
                    theme.error,
                )));
            }
            body.extend([Line::raw(""), plain("y  delete · n  keep".into())]);
            ("Delete".into(), body)
        }
        Popup::Rename { name, input, error } => {
            let mut body = vec![
                plain(format!("New name for `{name}`:")),
                Line::from(vec![
                    Span::styled(" > ", theme.key),
                    Span::raw(input.value().to_string()),
                ]),
            ];
            form_tail(
                &mut body,
                error.as_deref(),
                "Enter rename · Esc cancel",
                theme,
            );
            ("Rename".into(), body)
        }
        Popup::Edit {
            name,
            region,
            output,
            on_output,
            error,
        } => {
            let focus = |on: bool| if on { theme.key } else { theme.dim };
            let mut body = vec![
                Line::from(vec![
                    Span::styled(" Region  ", focus(!on_output)),
                    Span::raw(if region.value().is_empty() {
                        "(not set)".to_string()
                    } else {
                        region.value().to_string()
                    }),
                ]),
                Line::from(vec![
                    Span::styled(" Output  ", focus(*on_output)),
                    Span::raw(format!("‹ {} ›", super::OUTPUT_CHOICES[*output])),
                ]),
            ];
            form_tail(
                &mut body,
                error.as_deref(),
                "Tab switch · ←→ output · Enter save · Esc cancel",
                theme,
            );
            (format!("Edit `{name}`"), body)
        }
        Popup::Rotate {
            name,
            key_id,
            secret,
            on_secret,
            error,
        } => {
            let focus = |on: bool| if on { theme.key } else { theme.dim };
            let mut body = vec![
                plain("A new key pair; every other setting stays.".into()),
                Line::from(vec![
                    Span::styled(" Access key ID      ", focus(!on_secret)),
                    Span::raw(key_id.value().to_string()),
                ]),
                Line::from(vec![
                    Span::styled(" Secret access key  ", focus(*on_secret)),
                    Span::raw(crate::tui::widget::text_field::masked(secret.len())),
                ]),
            ];
            form_tail(
                &mut body,
                error.as_deref(),
                "Tab switch · Enter save · Esc cancel",
                theme,
            );
            (format!("New key for `{name}`"), body)
        }
        Popup::Help => (
            "Help".into(),
            [
                "Enter  make the highlighted profile the default",
                "       (credwiz pick: use it in this shell)",
                "/      filter by name (fuzzy); Esc clears",
                "↑ ↓    move · PgUp PgDn Home End",
                "a      add a profile (the setup wizard)",
                "e      edit region and output · k  new key pair",
                "r      rename · d  delete · c  copy the key ID",
                "v      verify the keys with AWS STS (Esc cancels)",
                "s      sort by name or recently used",
                "q Esc  quit",
                "★ the default · • same keys as default · ! root keys",
                "",
                "Any key closes this help.",
            ]
            .into_iter()
            .map(|l| plain(l.to_string()))
            .collect(),
        ),
    };
    let widest = lines
        .iter()
        .map(Line::width)
        .chain([title.chars().count() + 2])
        .max()
        .unwrap_or(20);
    let width = (widest as u16 + 3)
        .min(area.width.saturating_sub(4))
        .max(20);
    let inner = width.saturating_sub(2).max(1) as usize;
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let height = (rows as u16 + 2).min(area.height);
    let rect = Rect {
        x: area.x + area.width.saturating_sub(width) / 2,
        y: area.y + area.height.saturating_sub(height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.title));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

/// A value from the files as the terminal may show it.
fn shown(value: &str) -> String {
    printable(value).into_owned()
}

/// A value in a table cell: one line (`⏎` for a line break), everything else escaped.
fn cell(value: &str) -> String {
    shown(&one_line_breaks(value))
}

fn one_line_breaks(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains('\n') {
        std::borrow::Cow::Owned(value.replace('\n', "⏎"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}
