//! Draws the picker: the table (only the visible rows, so 10,000 profiles cost no
//! more than a screenful), the detail pane beside or below it, findings, popups.
//! Values from the files are shown through `text::printable`: a control character or a
//! bidirectional override is drawn as its escape (`\e`, `\u{202e}`), not dropped unseen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row as TableRow, Table, Wrap};

use super::{Mode, Picker};
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
        // The detail pane below takes what the profile needs, leaving the table at least
        // its header and four rows.
        let most = body.height.saturating_sub(7).max(5);
        let height = detail_height(picker, theme, body.width).clamp(5, most);
        let [t, d] = Layout::vertical([Constraint::Min(5), Constraint::Length(height)]).areas(body);
        (t, d)
    };
    render_table(frame, table_area, picker, theme);
    render_detail(frame, detail_area, picker, theme);
    frame.render_widget(Paragraph::new(findings), findings_area);
    if let Some(status) = status {
        frame.render_widget(status, message_area);
    }
    hints::render(frame, hint_area, &picker.footer(area.width), theme);
    if let Some(dialog) = &picker.popup {
        super::dialog::view::render(frame, area, dialog, theme);
    }
}

/// The spinner of a running check, else the outcome of the last action.
fn status_line(picker: &Picker, theme: &Theme) -> Option<Paragraph<'static>> {
    let (text, style) = if let Some((name, tick)) = &picker.verifying {
        let other_service = picker.rows().any(|(row, _)| {
            row.name == *name && row.kind == crate::domain::profile::Kind::Endpoint
        });
        let with = if other_service {
            "S3 ListBuckets at its endpoint"
        } else {
            "AWS STS"
        };
        let text = format!(
            "{} verifying `{name}` with {with}… (Esc cancels)",
            crate::tui::widget::spinner::frame(*tick)
        );
        (text, theme.accent)
    } else {
        let (tone, text) = picker.message()?;
        let style = match tone {
            super::Tone::Done => theme.ok,
            super::Tone::Caution => theme.key,
            super::Tone::Failed => theme.error,
        };
        (text.to_string(), style)
    };
    Some(
        Paragraph::new(ratatui::text::Text::styled(
            printable_lines(&text).into_owned(),
            style,
        ))
        .wrap(Wrap { trim: true }),
    )
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
        Constraint::Length(u16::from(picker.filtering() || !picker.filter().is_empty())),
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
            let x = filter_area.x + 2 + picker.filter().cursor() as u16;
            frame.set_cursor_position(Position::new(x.min(filter_area.right() - 1), filter_area.y));
        }
    }
    let columns = Columns::fitting(picker, inner.width);
    let widths = columns.widths();
    let header = TableRow::new(columns.cells([
        "", "NAME", "KIND", "KEY", "SECRET", "ACCOUNT", "REGION", "OUTPUT",
    ]))
    .style(theme.dim);
    frame.render_widget(Table::new([header], widths.clone()), header_area);

    let height = rows_area.height as usize;
    let selected = picker.selected_index();
    let offset = scrolled(picker.offset.get(), selected, picker.shown(), height);
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
            } else if !row.skipped_by.is_empty() {
                "~"
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
            let name = if row.name.chars().count() > columns.name {
                Line::raw(cut(&shown(&row.name), columns.name))
            } else {
                Line::from(highlighted(&row.name, positions, base, theme))
            };
            let fit =
                |value: Option<&str>, width| value.map_or_else(dash, |v| cut(&cell(v), width));
            TableRow::new(
                columns.cells([
                    Cell::from(Span::styled(marker, theme.key)),
                    Cell::from(name),
                    Cell::from(cut(&row.kind_cell(picker.now), columns.kind_width)),
                    Cell::from(
                        row.key_id
                            .as_deref()
                            .map_or_else(dash, |k| shown(&mask_key_id(k))),
                    ),
                    Cell::from(row.secret_in.map_or_else(dash, |s| s.label().to_string())),
                    Cell::from(row.account.as_deref().map_or_else(dash, shown)),
                    Cell::from(fit(row.region.as_deref(), REGION)),
                    Cell::from(fit(row.output.as_deref(), OUTPUT)),
                ]),
            )
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
    let above = offset;
    let below = picker.shown().saturating_sub(offset + height);
    if above + below > 0 {
        let text = match (above, below) {
            (0, below) => format!(" ↓ {below} more "),
            (above, 0) => format!(" ↑ {above} more "),
            (above, below) => format!(" ↑ {above} more · ↓ {below} more "),
        };
        let at = Rect::new(
            area.x + 2,
            area.bottom() - 1,
            area.width.saturating_sub(4),
            1,
        );
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim)), at);
    }
}

/// The first row shown: the highlight in view with a row of context on each side when
/// there is room, and no empty lines below while rows above are hidden (so growing the
/// terminal brings them back).
fn scrolled(offset: usize, selected: usize, total: usize, height: usize) -> usize {
    if height == 0 {
        return 0;
    }
    let context = usize::from(height > 2);
    let mut offset = offset.min(total.saturating_sub(height));
    if selected < offset + context {
        offset = selected.saturating_sub(context);
    } else if selected + context >= offset + height {
        offset = (selected + context + 1).saturating_sub(height);
    }
    offset.min(total.saturating_sub(height))
}

const MARKER: u16 = 3;
/// The kind column's width at least (`session`); a service's name may widen it.
const KIND: usize = 7;
const KIND_MAX: usize = 16;
const KEY: u16 = 9;
const SECRET: u16 = 7;
const ACCOUNT: u16 = 12;
const REGION: usize = 14;
const OUTPUT: usize = 11;
/// The name column grows with the longest name up to this, then names are cut with `…`.
const NAME_MAX: usize = 40;
const NAME_MIN: usize = 12;

/// The table's columns at a width: the key and the account are never cut, so narrow
/// tables drop the output, then the region, then where the secret is, then the kind
/// column instead. Where the secret is shows only once some profile uses the keyring.
struct Columns {
    name: usize,
    kind: bool,
    kind_width: usize,
    secret: bool,
    region: bool,
    output: bool,
}

impl Columns {
    fn fitting(picker: &Picker, width: u16) -> Columns {
        let mut columns = Columns {
            name: picker.longest_name().clamp(NAME_MIN, NAME_MAX),
            kind: true,
            kind_width: picker.longest_kind().clamp(KIND, KIND_MAX),
            secret: picker.any_keyring(),
            region: true,
            output: true,
        };
        let width = usize::from(width);
        let drops: [fn(&mut Columns); 4] = [
            |c| c.output = false,
            |c| c.region = false,
            |c| c.secret = false,
            |c| c.kind = false,
        ];
        for drop in drops {
            if columns.total() <= width {
                break;
            }
            drop(&mut columns);
        }
        columns.name = columns
            .name
            .min(width.saturating_sub(columns.total() - columns.name))
            .max(NAME_MIN.min(width));
        columns
    }

    /// The widths of the shown columns, with the one-cell gaps between them.
    fn total(&self) -> usize {
        let shown = self.widths();
        shown
            .iter()
            .map(|c| match c {
                Constraint::Length(n) => usize::from(*n),
                _ => 0,
            })
            .sum::<usize>()
            + shown.len().saturating_sub(1)
    }

    fn widths(&self) -> Vec<Constraint> {
        let name = Constraint::Length(self.name as u16);
        self.cells([
            Constraint::Length(MARKER),
            name,
            Constraint::Length(self.kind_width as u16),
            Constraint::Length(KEY),
            Constraint::Length(SECRET),
            Constraint::Length(ACCOUNT),
            Constraint::Length(REGION as u16),
            Constraint::Length(OUTPUT as u16),
        ])
    }

    /// The cells of the shown columns, from one for each column.
    fn cells<T>(
        &self,
        [marker, name, kind, key, secret, account, region, output]: [T; 8],
    ) -> Vec<T> {
        let mut cells = vec![marker, name];
        if self.kind {
            cells.push(kind);
        }
        cells.push(key);
        if self.secret {
            cells.push(secret);
        }
        cells.push(account);
        if self.region {
            cells.push(region);
        }
        if self.output {
            cells.push(output);
        }
        cells
    }
}

/// `value` in at most `width` cells, cut with `…`.
fn cut(value: &str, width: usize) -> String {
    if value.chars().count() <= width {
        return value.to_string();
    }
    value
        .chars()
        .take(width.saturating_sub(1))
        .chain(['…'])
        .collect()
}

/// The detail pane's borders and padding, in cells.
const DETAIL_FRAME: u16 = 4;

/// How many lines the detail pane needs at `width` to show the highlighted profile whole.
fn detail_height(picker: &Picker, theme: &Theme, width: u16) -> u16 {
    let lines = picker.selected().map_or(0, |row| {
        Paragraph::new(detail_lines(picker, row, theme))
            .wrap(Wrap { trim: false })
            .line_count(width.saturating_sub(DETAIL_FRAME))
    });
    lines as u16 + 2
}

/// The highlighted profile whole: long values (a role ARN, an endpoint URL) wrap; what
/// does not fit is never cut unmarked: the last line says how to see the rest.
fn render_detail(frame: &mut Frame, area: Rect, picker: &Picker, theme: &Theme) {
    let Some(row) = picker.selected() else {
        frame.render_widget(Block::default().borders(Borders::ALL), area);
        return;
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .padding(ratatui::widgets::Padding::horizontal(1))
        .title(Span::styled(format!(" {} ", shown(&row.name)), theme.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let paragraph = Paragraph::new(detail_lines(picker, row, theme)).wrap(Wrap { trim: false });
    let needed = paragraph.line_count(inner.width) as u16;
    if needed <= inner.height {
        frame.render_widget(paragraph, inner);
        return;
    }
    let [shown_area, more_area] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    frame.render_widget(paragraph, shown_area);
    let more = format!(
        "… {} more lines: credwiz show {}",
        needed - shown_area.height,
        shown(&row.name)
    );
    frame.render_widget(Paragraph::new(Span::styled(more, theme.dim)), more_area);
}

fn detail_lines(picker: &Picker, row: &super::data::Row, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut about = vec![row.kind.label().to_string()];
    // Another service's keys have no AWS account: what the service is and where instead.
    about.extend(row.service_said().map(|s| shown(&s)));
    about.extend(row.account.as_ref().map(|a| format!("account {a}")));
    if row.secret_in == Some(crate::domain::keyring::SecretIn::Keyring) {
        about.push("secret in the OS keyring".into());
    }
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
                .or_else(|| v.learned.clone())
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
    if let Some(said) = key_age_said(picker, row) {
        lines.push(Line::from(Span::styled(said, theme.dim)));
    }
    if let Some(expiry) = row.expiry {
        lines.push(expiry_line(picker.now, &row.name, &expiry, theme));
    }
    if row.chain.len() > 1 {
        lines.push(Line::from(vec![
            Span::styled("chain  ", theme.dim),
            Span::raw(shown(&row.chain.join(" → "))),
        ]));
    }
    if let Some(not_portable) = &row.not_portable {
        lines.push(Line::from(Span::styled(
            format!(
                "~ {} ({}:{})",
                shown(&not_portable.readers),
                not_portable.file.name(),
                not_portable.line
            ),
            theme.key,
        )));
        lines.push(Line::raw(format!(
            "  {} (or r here)",
            shown(&not_portable.fix)
        )));
    }
    let session_settings = row.sso_session.iter().flat_map(|s| &s.settings);
    let width = row
        .settings
        .iter()
        .chain(session_settings)
        .map(|s| s.key.len())
        .max()
        .unwrap_or(0);
    lines.extend(row.settings.iter().map(|s| setting_line(s, width, theme)));
    if let Some(session) = &row.sso_session {
        lines.push(Line::from(vec![
            Span::styled(
                format!("[sso-session {}]  ", shown(&session.name)),
                theme.dim,
            ),
            Span::styled(
                format!("{}:{}", session.file.name(), session.line),
                theme.dim,
            ),
        ]));
        lines.extend(
            session
                .settings
                .iter()
                .map(|s| setting_line(s, width, theme)),
        );
    }
    lines
}

/// `key = value  file:line`, a multi-line value on one line.
fn setting_line(setting: &super::data::Shown, width: usize, theme: &Theme) -> Line<'static> {
    let value = setting.value.trim_start_matches('\n').replace('\n', " · ");
    Line::from(vec![
        Span::styled(format!("{:width$} ", setting.key), theme.accent),
        Span::raw(format!("= {}  ", printable(&value))),
        Span::styled(
            format!("{}:{}", setting.file.name(), setting.line),
            theme.dim,
        ),
    ])
}

/// Up to three findings, errors first, then how many more and where to see them all.
fn findings_lines<'a>(picker: &Picker, theme: &Theme, width: u16) -> Vec<Line<'a>> {
    let findings = &picker.data.findings;
    let shown = 3;
    let room = (width as usize).saturating_sub(2);
    let cut = findings
        .iter()
        .take(shown)
        .any(|f| printable(&f.message).chars().count() > room);
    let mut lines: Vec<Line> = findings
        .iter()
        .take(shown)
        .map(|f| {
            let (mark, style) = match f.severity {
                Severity::Error => ("✗ ", theme.error),
                Severity::Warning => ("! ", theme.key),
            };
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
            format!(
                "… and {} more: credwiz doctor shows them all",
                findings.len() - shown
            ),
            theme.dim,
        )));
    } else if cut {
        lines.push(Line::from(Span::styled(
            "credwiz doctor shows them whole",
            theme.dim,
        )));
    }
    lines
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

/// "expires in 3h 12m · 2026-12-02T23:27:29Z · the SSO token", or expired and the
/// command that renews it.
fn expiry_line(
    now: i64,
    name: &str,
    expiry: &crate::store::caches::Expiry,
    theme: &Theme,
) -> Line<'static> {
    use crate::store::caches::Source;
    let from = match expiry.source {
        Source::Profile => "the session's expiration",
        Source::Sso => "the IAM Identity Center token",
        Source::Login => "the aws login token",
        Source::Role => "the AWS CLI's cached role credentials",
    };
    let said = crate::domain::expiry::said(expiry.at, now);
    let mut spans = vec![
        Span::styled(
            said,
            if expiry.at > now {
                theme.ok
            } else {
                theme.error
            },
        ),
        Span::raw(format!(" · {} · {from}", expiry.at_utc())),
    ];
    if expiry.at <= now {
        let renew = match expiry.source {
            Source::Profile => Some("m renews it".to_string()),
            _ => expiry
                .renew(name)
                .map(|command| format!("renew: {command}")),
        };
        if let Some(renew) = renew {
            spans.push(Span::styled(format!(" · {renew}"), theme.dim));
        }
    }
    Line::from(spans)
}

/// "key created 2026-03-01, 276 days ago", when IAM said so at the last verification and
/// the profile still holds that key.
fn key_age_said(picker: &Picker, row: &super::data::Row) -> Option<String> {
    let created = picker
        .state
        .key_created(&row.name, row.key_id.as_deref()?)?;
    crate::domain::key_age::said(created, &crate::sts::now_rfc3339())
}
