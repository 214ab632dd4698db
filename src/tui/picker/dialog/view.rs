//! Draws a dialog over the picker: its text, its fields (the wizard's field rows, with
//! the cursor), the verdict of the focused field, and its keys from its key table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::edit::{self, Edit};
use super::rotate::{self, Rotate};
use super::rotation::{Asked, Phase, Rotation};
use super::session::{self, Devices, Session};
use super::{Dialog, Rename};
use crate::domain::text::printable;
use crate::tui::form::RegionField;
use crate::tui::form::view::{self as field_view, Row};
use crate::tui::keys;
use crate::tui::theme::Theme;

/// One piece of a dialog, top to bottom.
enum Part<'a> {
    Text(Line<'static>),
    Field(Row<'a>),
    Regions(&'a RegionField, u16),
}

impl Part<'_> {
    fn height(&self, width: u16) -> u16 {
        match self {
            Part::Text(line) => Paragraph::new(line.clone())
                .wrap(Wrap { trim: false })
                .line_count(width)
                .max(1) as u16,
            Part::Field(_) => 1,
            Part::Regions(_, height) => *height,
        }
    }
}

const WIDTH: u16 = 72;

pub(crate) fn render(frame: &mut Frame, area: Rect, dialog: &Dialog, theme: &Theme) {
    let (title, mut parts) = match dialog {
        Dialog::Confirm(d) => {
            // Lines of a repair are the files' own text: escaped, never drawn raw.
            let mut parts: Vec<Part> = d
                .lines
                .iter()
                .map(|l| text(printable(l).into_owned()))
                .collect();
            if let Some(warning) = &d.warning {
                parts.push(Part::Text(Line::from(Span::styled(
                    warning.clone(),
                    theme.error,
                ))));
            }
            (d.title.clone(), parts)
        }
        Dialog::Help(lines) => {
            let mut parts: Vec<Part> = lines.iter().map(|l| text(l.clone())).collect();
            parts.extend([
                text(String::new()),
                text("Any key closes this help.".into()),
            ]);
            return draw(frame, area, "Help", parts, theme);
        }
        Dialog::Rename(d) => (format!("Rename `{}`", d.name), rename_parts(d, theme)),
        Dialog::Edit(d) => (format!("Edit `{}`", d.name), edit_parts(d, area, theme)),
        Dialog::Rotate(d) => (format!("New key for `{}`", d.name), rotate_parts(d, theme)),
        Dialog::Rotation(d) => (
            format!("New key for `{}`", d.name),
            rotation_parts(d, theme),
        ),
        Dialog::Session(d) => {
            let title = if d.plan.renews {
                format!("Renew the MFA session `{}`", d.plan.into)
            } else {
                format!("MFA session for `{}`", d.plan.source)
            };
            (title, session_parts(d, theme))
        }
    };
    let hints = keys::footer(&dialog.bindings(), WIDTH - 4)
        .iter()
        .map(|h| format!("{} {}", h.keys, h.what))
        .collect::<Vec<_>>()
        .join(" · ");
    parts.extend([
        text(String::new()),
        Part::Text(Line::from(Span::styled(hints, theme.dim))),
    ]);
    draw(frame, area, &title, parts, theme);
}

fn text(line: String) -> Part<'static> {
    Part::Text(Line::raw(line))
}

fn rename_parts<'a>(d: &'a Rename, theme: &Theme) -> Vec<Part<'a>> {
    vec![
        Part::Field(Row::text("New name", &d.input, "e.g. work").focused(true)),
        Part::Text(field_view::verdict_line(&d.verdict(), theme)),
    ]
}

fn edit_parts<'a>(d: &'a Edit, area: Rect, theme: &Theme) -> Vec<Part<'a>> {
    let output_line = output_line(d, theme);
    match &d.target {
        edit::Target::Aws(region) => {
            let on_region = d.focus == edit::Field::Region;
            // The list takes what the screen spares, up to 6 rows.
            let list_height = area.height.saturating_sub(12).clamp(1, 6);
            vec![
                Part::Field(
                    Row::region("Region", region)
                        .label_width(9)
                        .focused(on_region),
                ),
                Part::Text(field_view::verdict_line(&d.verdict(), theme)),
                Part::Regions(region, list_height),
                output_line,
            ]
        }
        edit::Target::Service(fields) => {
            let usual = fields.preset.region.unwrap_or("us-east-1");
            vec![
                text(format!(
                    "Keys for another service: its endpoint URL, and its own region name (any word, e.g. {usual})."
                )),
                text(String::new()),
                Part::Field(
                    Row::text("Endpoint", &fields.endpoint, "https://…")
                        .label_width(9)
                        .focused(d.focus == edit::Field::Endpoint),
                ),
                Part::Field(
                    Row::text("Region", &fields.region, usual)
                        .label_width(9)
                        .focused(d.focus == edit::Field::Region),
                ),
                output_line,
                Part::Text(field_view::verdict_line(&d.verdict(), theme)),
            ]
        }
    }
}

/// `Output   ‹ json ›  note`: the output's choice, highlighted when focused.
fn output_line(d: &Edit, theme: &Theme) -> Part<'static> {
    let output = d.output.selected();
    let focused = d.focus == edit::Field::Output;
    Part::Text(Line::from(vec![
        Span::styled("Output   ", if focused { theme.key } else { theme.accent }),
        Span::raw(format!(
            "‹ {} ›  ",
            printable(output.value.as_deref().unwrap_or("(not set)"))
        )),
        Span::styled(output.note.clone(), theme.dim),
    ]))
}

fn rotate_parts<'a>(d: &'a Rotate, theme: &Theme) -> Vec<Part<'a>> {
    let mut parts = vec![text(match d.service {
        // An emulator takes any keys: its note says so.
        Some(preset) if preset.keys.is_some() => {
            format!("{}. Other settings stay.", preset.keys_from)
        }
        Some(preset) => format!(
            "Paste the new key from {}. Other settings stay.",
            preset.keys_from
        ),
        None => {
            "Paste the new key (a row of the IAM console's .csv works). Other settings stay.".into()
        }
    })];
    match d.holders.as_slice() {
        [] => {}
        [one] => parts.push(text(format!(
            "`{one}` holds the same key and gets the new one too."
        ))),
        many => parts.push(text(format!(
            "{} hold the same key and get the new one too.",
            crate::domain::text::quoted_list(many)
        ))),
    }
    for field in d.fields() {
        let focused = d.focus == field;
        let row = match field {
            rotate::Field::KeyId => {
                let placeholder = if d.service.is_some() { "" } else { "AKIA…" };
                Row::text("Access key ID", &d.key_id, placeholder)
            }
            rotate::Field::Secret => Row::secret("Secret access key", &d.secret),
            rotate::Field::Token => Row::secret("Session token", &d.token),
        };
        parts.push(Part::Field(row.label_width(19).focused(focused)));
    }
    parts.push(Part::Text(field_view::verdict_line(&d.verdict(), theme)));
    if let Some(notice) = &d.notice {
        parts.push(Part::Text(Line::from(Span::styled(
            notice.clone(),
            theme.accent,
        ))));
    }
    parts
}

/// The lines of the rotation's log that stay in view (the latest: the question and
/// the outcome come last).
const LOG_LINES: usize = 10;

fn rotation_parts<'a>(d: &'a Rotation, theme: &Theme) -> Vec<Part<'a>> {
    if let Phase::Choose = d.phase {
        return rotation_choices(d, theme);
    }
    let skipped = d.lines.len().saturating_sub(LOG_LINES);
    let mut parts: Vec<Part> = Vec::new();
    if skipped > 0 {
        parts.push(Part::Text(Line::from(Span::styled(
            format!("… {skipped} earlier lines"),
            theme.dim,
        ))));
    }
    parts.extend(d.lines[skipped..].iter().flat_map(|l| lines_of(l, None)));
    parts.push(text(String::new()));
    match &d.phase {
        Phase::Choose => {}
        Phase::Running => parts.push(Part::Text(Line::from(vec![
            Span::styled(crate::tui::widget::spinner::frame(d.spinner), theme.accent),
            Span::raw(" working…"),
        ]))),
        Phase::Asked(Asked::Confirm(question)) => parts.push(Part::Text(Line::from(Span::styled(
            question.clone(),
            theme.key,
        )))),
        Phase::Asked(Asked::DeleteActiveOther(question)) => parts.push(Part::Text(Line::from(
            Span::styled(question.clone(), theme.error),
        ))),
        Phase::Asked(Asked::MfaCode { serial, code, .. }) => {
            parts.push(text(format!(
                "IAM wants MFA: type the code {} shows now.",
                printable(serial)
            )));
            parts.push(Part::Field(
                Row::text("MFA code", code, "123456")
                    .label_width(9)
                    .focused(true),
            ));
            if let Some(verdict) = d.code_verdict() {
                parts.push(Part::Text(field_view::verdict_line(&verdict, theme)));
            }
        }
        Phase::Ended { tone, said } => {
            let style = match tone {
                crate::tui::picker::Tone::Done => theme.ok,
                crate::tui::picker::Tone::Caution => theme.key,
                crate::tui::picker::Tone::Failed => theme.error,
            };
            parts.extend(lines_of(said, Some(style)));
        }
    }
    if let Some(notice) = &d.notice {
        parts.push(Part::Text(Line::from(Span::styled(
            notice.clone(),
            theme.accent,
        ))));
    }
    parts
}

fn session_parts<'a>(d: &'a Session, theme: &Theme) -> Vec<Part<'a>> {
    let (source, into) = (&d.plan.source, &d.plan.into);
    let mut parts = vec![
        text(format!(
            "Temporary keys that carry the MFA go into `{into}`, made with the key of `{source}`; a role with source_profile = {into} then needs no code until they expire."
        )),
        text(String::new()),
    ];
    let label = |name: &'static str, focused: bool| {
        Span::styled(name, if focused { theme.key } else { theme.accent })
    };
    let device = match &d.devices {
        Devices::Configured(serial) => Line::from(vec![
            label("Device   ", false),
            Span::raw(printable(serial).into_owned()),
        ]),
        Devices::Finding => Line::from(vec![
            label("Device   ", false),
            Span::styled(crate::tui::widget::spinner::frame(d.spinner), theme.accent),
            Span::raw(" finding the user's MFA devices…"),
        ]),
        Devices::Found(choice) => {
            let serial = choice.selected().value.as_deref().unwrap_or_default();
            let count = choice.options().len();
            let which = if count > 1 {
                format!(
                    "‹ {} ›  {} of {count}",
                    printable(serial),
                    choice.selected_index() + 1
                )
            } else {
                printable(serial).into_owned()
            };
            Line::from(vec![
                label("Device   ", d.focus == session::Field::Device),
                Span::raw(which),
            ])
        }
        Devices::Failed(why) => Line::from(vec![
            label("Device   ", false),
            Span::styled(printable(why).into_owned(), theme.error),
        ]),
    };
    parts.push(Part::Text(device));
    if let Devices::Found(_) = d.devices {
        parts.push(Part::Text(Line::from(Span::styled(
            format!("         saved in `{source}` as its mfa_serial, for the next time"),
            theme.dim,
        ))));
    }
    parts.push(Part::Field(
        Row::text("MFA code", &d.code, "6 digits")
            .label_width(9)
            .focused(d.focus == session::Field::Code && !d.working),
    ));
    parts.push(Part::Text(field_view::verdict_line(
        &d.code_verdict(),
        theme,
    )));
    parts.push(Part::Text(Line::from(vec![
        label("Lasts    ", d.focus == session::Field::Length),
        Span::raw(format!("‹ {} ›", d.length.selected().note)),
    ])));
    if d.working {
        parts.push(Part::Text(Line::from(vec![
            Span::styled(crate::tui::widget::spinner::frame(d.spinner), theme.accent),
            Span::raw(" asking STS for the session…"),
        ])));
    }
    if let Some(why) = &d.failed {
        parts.extend(lines_of(why, Some(theme.error)));
    }
    parts
}

/// A message of several lines (a refusal with its policy snippet), one part per line,
/// each escaped.
fn lines_of(message: &str, style: Option<ratatui::style::Style>) -> Vec<Part<'static>> {
    message
        .lines()
        .map(|line| {
            let shown = printable(line).into_owned();
            Part::Text(match style {
                Some(style) => Line::from(Span::styled(shown, style)),
                None => Line::raw(shown),
            })
        })
        .collect()
}

/// What `k` offers for an IAM user's key, the highlighted choice's note under it.
fn rotation_choices<'a>(d: &'a Rotation, theme: &Theme) -> Vec<Part<'a>> {
    let profiles: Vec<String> = std::iter::once(d.name.clone())
        .chain(d.holders.iter().cloned())
        .collect();
    let mut parts = vec![
        text(format!(
            "credwiz can make the new key with IAM: it goes into {}, is checked with STS, and then the old key {} is retired.",
            crate::domain::text::quoted_list(&profiles),
            crate::domain::mask::mask_key_id(&d.key_id)
        )),
        text(String::new()),
    ];
    for (i, choice) in d.choices.iter().enumerate() {
        let line = if i == d.selected {
            Line::from(Span::styled(
                format!("› {}", choice.label()),
                theme.selected,
            ))
        } else {
            Line::raw(format!("  {}", choice.label()))
        };
        parts.push(Part::Text(line));
    }
    parts.push(text(String::new()));
    parts.push(Part::Text(Line::from(Span::styled(d.note(), theme.dim))));
    parts
}

fn draw(frame: &mut Frame, area: Rect, title: &str, parts: Vec<Part>, theme: &Theme) {
    let width = WIDTH.min(area.width.saturating_sub(2));
    let inner_width = width.saturating_sub(4);
    let height = parts.iter().map(|p| p.height(inner_width)).sum::<u16>() + 2;
    let rect = Rect {
        x: area.x + area.width.saturating_sub(width) / 2,
        y: area.y + area.height.saturating_sub(height) / 2,
        width,
        height: height.min(area.height),
    };
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(rect).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, rect);
    let mut y = inner.y;
    for part in parts {
        let height = part
            .height(inner.width)
            .min(inner.bottom().saturating_sub(y));
        if height == 0 {
            break;
        }
        let at = Rect::new(inner.x, y, inner.width, height);
        match part {
            Part::Text(line) => {
                frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), at)
            }
            Part::Field(row) => field_view::render_row(frame, at, &row, theme),
            Part::Regions(field, _) => field_view::render_regions(frame, at, field, theme),
        }
        y += height;
    }
}
