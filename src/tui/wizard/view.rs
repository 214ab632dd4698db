//! Draws the wizard: one screen per step, a key-hint line, popups on top.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{Popup, Step, Wizard};
use crate::domain::mask::mask_secret;
use crate::domain::validate::{KeyKind, OUTPUT_FORMATS};
use crate::tui::theme::Theme;
use crate::tui::widget::choice_list::{self, Choice};
use crate::tui::widget::hints;
use crate::tui::widget::text_field::{self, FieldView, masked};

/// A path as people write it: `~/.aws/config` rather than `/home/me/.aws/config`.
pub fn tilde(path: &std::path::Path) -> String {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    match home.as_deref().and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) if !rest.as_os_str().is_empty() => format!("~/{}", rest.display()),
        _ => path.display().to_string(),
    }
}

pub fn render(frame: &mut Frame, wizard: &Wizard, theme: &Theme) {
    let area = frame.area();
    if crate::tui::too_small(area) {
        crate::tui::render_too_small(frame, "Ctrl+C");
        return;
    }
    let [main, hint_line] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {} ", title(wizard)), theme.title));
    let inner = block.inner(main).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, main);
    match wizard.step {
        Step::Welcome => welcome(frame, inner, wizard, theme),
        Step::Review => review(frame, inner, wizard, theme),
        Step::ImportPreview => import_review(frame, inner, wizard, theme),
        Step::Done => done(frame, inner, wizard, theme),
        _ => field_step(frame, inner, wizard, theme),
    }
    hints::render(frame, hint_line, &step_hints(wizard), theme);
    if let Some(popup) = wizard.popup {
        render_popup(frame, area, popup, wizard, theme);
    }
}

fn title(wizard: &Wizard) -> String {
    match wizard.position() {
        Some((i, n)) => format!("credwiz · Step {i} of {n} · {}", wizard.step.title()),
        None => format!("credwiz · {}", wizard.step.title()),
    }
}

fn step_hints(wizard: &Wizard) -> Vec<(&'static str, &'static str)> {
    match wizard.step {
        Step::Welcome => vec![
            ("Enter", "start"),
            ("i", "import .csv"),
            ("q", "quit"),
            ("?", "help"),
        ],
        Step::Secret | Step::Token => vec![
            ("Enter", "next"),
            ("Esc", "back"),
            ("Ctrl+R", if wizard.revealed() { "hide" } else { "reveal" }),
            ("Ctrl+C", "quit"),
            ("?", "help"),
        ],
        Step::Region | Step::Output => {
            vec![
                ("↑↓", "choose"),
                ("Enter", "next"),
                ("Esc", "back"),
                ("Ctrl+C", "quit"),
                ("?", "help"),
            ]
        }
        Step::Review => vec![
            ("Enter", "save"),
            ("v", "verify first"),
            ("Esc", "back"),
            ("Ctrl+C", "quit"),
            ("?", "help"),
        ],
        // Once saved, the list of profiles follows; after a failed save, credwiz ends.
        Step::Done if matches!(wizard.saved(), Some(Ok(_))) => {
            vec![("Enter", "see your profiles")]
        }
        Step::Done => vec![("Enter", "exit")],
        Step::ImportFile => vec![
            ("Tab", "complete"),
            ("Enter", "read"),
            ("Esc", "back"),
            ("Ctrl+C", "quit"),
        ],
        Step::ImportPreview => vec![("Enter", "import all"), ("Esc", "back"), ("Ctrl+C", "quit")],
        _ => vec![
            ("Enter", "next"),
            ("Esc", "back"),
            ("Ctrl+C", "quit"),
            ("?", "help"),
        ],
    }
}

fn welcome(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: &Theme) {
    let mut lines = vec![
        Line::from(Span::styled("Set up an AWS profile", theme.title)),
        Line::raw(""),
        Line::raw("An access key lets the AWS CLI and SDKs act as you: an access key ID"),
        Line::raw("(AKIA…) and a secret access key, shown once when the key is created."),
        Line::raw(""),
        Line::raw("To create one: IAM console → Users → your user → Security credentials"),
        Line::raw("→ Create access key. Use an IAM user's key, not the root user's: root"),
        Line::raw("keys can do anything to the account and cannot be limited."),
        Line::raw(""),
        Line::raw("credwiz writes ~/.aws/credentials and ~/.aws/config exactly as the"),
        Line::raw("AWS CLI does, and changes nothing else in them."),
    ];
    if let Some(notice) = wizard.notice() {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(notice.to_string(), theme.accent)));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn explanation(step: Step) -> &'static str {
    match step {
        Step::Name => {
            "A name for this profile. Tools use `default` unless told otherwise (aws --profile NAME)."
        }
        Step::KeyId => {
            "Paste or type the access key ID from the IAM console (20 characters, AKIA… or ASIA…)."
        }
        Step::Secret => {
            "Paste the secret access key. It stays hidden; Ctrl+R shows it while you check it."
        }
        Step::Token => "Temporary (ASIA) keys only work with their session token. Paste it here.",
        Step::Region => "The region commands use when none is given. Type to filter, ↑↓ to choose.",
        Step::Output => "How the AWS CLI prints results.",
        Step::ImportFile => {
            "The .csv the IAM console downloads with a new access key (e.g. ~/Downloads/NAME_accessKeys.csv). Tab completes file names."
        }
        _ => "",
    }
}

fn field_step(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: &Theme) {
    let [intro, _, field_row, status, rest] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(explanation(wizard.step)).wrap(Wrap { trim: true }),
        intro,
    );
    if wizard.step != Step::Output {
        render_field(frame, field_row, wizard, theme);
    }
    frame.render_widget(
        Paragraph::new(status_line(wizard, theme)).wrap(Wrap { trim: true }),
        status,
    );
    let [list, notice] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(rest);
    match wizard.step {
        Step::Region => {
            let regions = wizard.regions();
            let choices: Vec<Choice> = regions
                .iter()
                .map(|r| Choice {
                    value: r.code,
                    note: r.description,
                })
                .collect();
            let selected = (!choices.is_empty()).then_some(wizard.region_selected());
            choice_list::render(frame, list, &choices, selected, theme);
        }
        Step::Output => {
            let notes = [
                "JSON (the default)",
                "YAML",
                "YAML, streamed",
                "tab-separated text",
                "an ASCII table",
            ];
            let choices: Vec<Choice> = OUTPUT_FORMATS
                .iter()
                .zip(notes)
                .map(|(value, note)| Choice { value, note })
                .collect();
            choice_list::render(frame, list, &choices, Some(wizard.output_selected()), theme);
        }
        _ => {}
    }
    if let Some(text) = wizard.notice() {
        frame.render_widget(
            Paragraph::new(Span::styled(text.to_string(), theme.accent)),
            notice,
        );
    }
}

fn render_field(frame: &mut Frame, row: Rect, wizard: &Wizard, theme: &Theme) {
    let label = if wizard.step == Step::ImportFile {
        "File"
    } else {
        wizard.step.title()
    };
    let [label_area, field_area] = Layout::horizontal([
        Constraint::Length(label.len() as u16 + 2),
        Constraint::Min(1),
    ])
    .areas(row);
    frame.render_widget(
        Paragraph::new(Span::styled(label, theme.accent)),
        label_area,
    );
    let secret_view = |field: &crate::tui::widget::secret_field::SecretField| FieldView {
        shown: if wizard.revealed() {
            field.value().to_string()
        } else {
            masked(field.len())
        },
        cursor: field.cursor(),
        placeholder: "paste here",
        style: Style::new(),
        placeholder_style: theme.dim,
        focused: wizard.popup.is_none(),
    };
    let cursor = wizard
        .focused_input()
        .map_or(0, |input| input.visual_cursor());
    let text_view = |value: &str, placeholder: &'static str| FieldView {
        shown: value.to_string(),
        cursor,
        placeholder,
        style: Style::new(),
        placeholder_style: theme.dim,
        focused: wizard.popup.is_none(),
    };
    let view = match wizard.step {
        Step::Name => {
            let placeholder = if wizard.profile_name().as_deref() == Some("default") {
                "default"
            } else {
                "e.g. work"
            };
            text_view(wizard.name_value(), placeholder)
        }
        Step::KeyId => text_view(wizard.key_id_value(), "AKIA…"),
        Step::Secret => secret_view(wizard.secret_field()),
        Step::Token => secret_view(wizard.token_field()),
        Step::Region => text_view(wizard.region_filter(), "type to filter, e.g. frankfurt"),
        Step::ImportFile => text_view(wizard.import_path().value(), "~/Downloads/…_accessKeys.csv"),
        _ => return,
    };
    text_field::render(frame, field_area, &view);
}

fn status_line<'a>(wizard: &Wizard, theme: &Theme) -> Line<'a> {
    if let Some(error) = wizard
        .import_error()
        .filter(|_| wizard.step == Step::ImportFile)
    {
        return Line::from(Span::styled(format!("✗ {error}"), theme.error));
    }
    if let Some(problem) = wizard.problem() {
        return Line::from(Span::styled(format!("✗ {problem}"), theme.error));
    }
    let ok = |text: String| Line::from(Span::styled(format!("✓ {text}"), theme.ok));
    match wizard.step {
        Step::Name => match wizard.profile_name() {
            Some(name) if wizard.overwriting().is_some() => Line::from(Span::styled(
                format!("! `{name}` exists: you will be asked before its keys are replaced"),
                theme.key,
            )),
            Some(name) => ok(format!("will be saved as profile `{name}`")),
            None => Line::raw(""),
        },
        Step::KeyId => match wizard.key_kind() {
            Some(kind) => {
                let account = match wizard.account_id() {
                    Some(account) => format!("account {account}"),
                    None => "account not encoded in this older key".to_string(),
                };
                let what = match kind {
                    KeyKind::LongTerm => "long-term access key (AKIA)",
                    KeyKind::Temporary => {
                        "temporary credentials (ASIA): a session token comes next"
                    }
                };
                ok(format!("{what} · {account}"))
            }
            None => Line::raw(""),
        },
        Step::Secret if !wizard.secret_field().is_empty() => ok("40 characters".to_string()),
        Step::Token if !wizard.token_field().is_empty() => {
            ok(format!("{} characters", wizard.token_field().len()))
        }
        Step::Region => match wizard.regions().get(wizard.region_selected()) {
            Some(region) => ok(format!("{} · {}", region.code, region.description)),
            None => ok(format!(
                "{} (not in credwiz's list; well-formed)",
                wizard.region_filter().trim()
            )),
        },
        _ => Line::raw(""),
    }
}

fn review(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: &Theme) {
    let Some(profile) = wizard.new_profile() else {
        return;
    };
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<19}"), theme.accent),
            Span::raw(value),
        ])
    };
    let mut lines = vec![
        row("Profile", profile.name.clone()),
        row(
            "Access key ID",
            match wizard.account_id() {
                Some(account) => format!("{} · account {account}", profile.access_key_id),
                None => profile.access_key_id.clone(),
            },
        ),
        row("Secret access key", mask_secret(profile.secret.expose())),
    ];
    if let Some(token) = &profile.token {
        lines.push(row("Session token", mask_secret(token.expose())));
    }
    lines.push(row(
        "Region",
        profile.region.clone().unwrap_or_else(|| "-".into()),
    ));
    lines.push(row("Output", profile.output.clone().unwrap_or_default()));
    if let Some(old) = wizard.overwriting() {
        lines.push(Line::from(Span::styled(
            format!(
                "Replaces these settings of `{}` (its others stay):",
                profile.name
            ),
            theme.key,
        )));
        let new_values = [
            ("aws_access_key_id", Some(profile.access_key_id.clone())),
            (
                "aws_secret_access_key",
                Some(mask_secret(profile.secret.expose())),
            ),
            (
                "aws_session_token",
                profile.token.as_ref().map(|t| mask_secret(t.expose())),
            ),
            ("region", profile.region.clone()),
            ("output", profile.output.clone()),
        ];
        for (key, was) in old {
            let now = new_values
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone());
            let now = match (now, key.as_str()) {
                (Some(Some(v)), _) => v,
                (Some(None), "aws_session_token") => "(removed)".to_string(),
                _ => continue,
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {key:<22}"), theme.dim),
                Span::raw(format!("{was} → {now}")),
            ]));
        }
    }
    lines.push(verify_line(wizard, theme));
    preview_lines(&mut lines, wizard, theme);
    // Wrapped: an outcome of the check or a long path is read whole, not cut at the edge.
    frame.render_widget(
        Paragraph::new(Text::from(lines)).wrap(Wrap { trim: false }),
        area,
    );
}

/// The optional check with STS: an invitation, a spinner, or its outcome.
fn verify_line(wizard: &Wizard, theme: &Theme) -> Line<'static> {
    use super::Verifying;
    match wizard.verifying() {
        None => Line::from(Span::styled(
            "Press v to check the keys with AWS STS before saving (optional).",
            theme.dim,
        )),
        Some(Verifying::Running(frame)) => Line::from(Span::styled(
            format!(
                "{} checking the keys with AWS STS… (Esc cancels)",
                crate::tui::widget::spinner::frame(*frame)
            ),
            theme.accent,
        )),
        Some(Verifying::Done(Ok(v))) if v.identity.is_root() => Line::from(Span::styled(
            format!(
                "! these work but are the ROOT user's keys ({}): use an IAM user's instead",
                v.identity.account
            ),
            theme.error,
        )),
        Some(Verifying::Done(Ok(v))) => Line::from(Span::styled(
            format!(
                "✓ the keys work: {} ({:.2} s)",
                v.identity.arn,
                v.took.as_secs_f64()
            ),
            theme.ok,
        )),
        Some(Verifying::Done(Err(crate::sts::Failure::Refused(why)))) => {
            Line::from(Span::styled(format!("✗ {why}"), theme.error))
        }
        Some(Verifying::Done(Err(crate::sts::Failure::Unchecked(why)))) => Line::from(
            Span::styled(format!("✗ could not check these keys: {why}"), theme.error),
        ),
    }
}

fn preview_lines(lines: &mut Vec<Line<'static>>, wizard: &Wizard, theme: &Theme) {
    match wizard.preview() {
        None => lines.push(Line::from(Span::styled(
            "Working out what will be written…",
            theme.dim,
        ))),
        Some(Err(error)) => lines.push(Line::from(Span::styled(format!("✗ {error}"), theme.error))),
        Some(Ok(files)) => {
            lines.push(Line::from(Span::styled(
                "Saving writes these lines:",
                theme.title,
            )));
            for file in files {
                lines.push(Line::from(Span::styled(tilde(&file.path), theme.accent)));
                for (number, text) in &file.lines {
                    lines.push(Line::from(vec![
                        Span::styled(format!("{number:>5} │ "), theme.dim),
                        Span::raw(text.clone()),
                    ]));
                }
            }
        }
    }
}

fn import_review(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: &Theme) {
    let keys = wizard.imported();
    let mut lines = vec![Line::from(Span::styled(
        format!("Found {} keys, one profile each:", keys.len()),
        theme.title,
    ))];
    for key in keys {
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<20}", key.profile), theme.accent),
            Span::raw(format!(
                "{}  {}",
                crate::domain::mask::mask_key_id(&key.access_key_id),
                mask_secret(key.secret.expose())
            )),
            Span::styled(format!("  (line {})", key.line), theme.dim),
        ]));
    }
    lines.push(Line::raw(""));
    preview_lines(&mut lines, wizard, theme);
    frame.render_widget(Paragraph::new(Text::from(lines)), area);
}

fn done(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: &Theme) {
    let name = wizard.profile_name().unwrap_or_default();
    let lines = match wizard.saved() {
        Some(Ok(written)) => {
            let mut lines = vec![
                Line::from(Span::styled(format!("✓ Saved profile `{name}`"), theme.ok)),
                Line::raw(""),
            ];
            lines.extend(
                written
                    .paths
                    .iter()
                    .map(|p| Line::raw(format!("  wrote {}", tilde(p)))),
            );
            for warning in &written.warnings {
                lines.push(Line::from(Span::styled(
                    format!("warning: {}", crate::domain::text::printable(warning)),
                    theme.error,
                )));
            }
            lines.push(Line::raw(""));
            let flag = if name == "default" {
                String::new()
            } else {
                format!(" --profile {name}")
            };
            lines.push(Line::raw(
                "Check that the keys work: press v in the list of profiles, or run",
            ));
            for command in [
                format!("  credwiz verify {name}"),
                format!("  aws sts get-caller-identity{flag}"),
            ] {
                lines.push(Line::from(Span::styled(command, theme.accent)));
            }
            lines
        }
        Some(Err(error)) => vec![
            Line::from(Span::styled("✗ Not saved", theme.error)),
            Line::raw(""),
            Line::raw(error.clone()),
            Line::raw(""),
            Line::raw("Nothing was written."),
        ],
        None => vec![],
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn render_popup(frame: &mut Frame, area: Rect, popup: Popup, wizard: &Wizard, theme: &Theme) {
    let (title, body): (&str, Vec<String>) = match popup {
        Popup::Discard => (
            "Quit?",
            vec![
                "Discard what you typed and quit?".into(),
                String::new(),
                "y  quit · n  keep going".into(),
            ],
        ),
        Popup::Overwrite => (
            "Profile exists",
            vec![
                format!(
                    "`{}` already exists.",
                    wizard.profile_name().unwrap_or_default()
                ),
                "Replace its access key? Its other settings stay.".into(),
                String::new(),
                "y  replace · n  choose another name".into(),
            ],
        ),
        Popup::Help => (
            "Help",
            vec![
                "Enter   next step (only when the field is valid)".into(),
                "Esc     previous step; your values are kept".into(),
                "Ctrl+R  show or hide the secret being typed".into(),
                "↑ ↓     choose a region or output format".into(),
                "Paste   a .csv row, export lines or an INI".into(),
                "        snippet fills every field it holds".into(),
                "Ctrl+C  quit (asks first if you typed anything)".into(),
                String::new(),
                "Any key closes this help.".into(),
            ],
        ),
    };
    let width = body.iter().map(|l| l.chars().count()).max().unwrap_or(20) as u16 + 6;
    let height = body.len() as u16 + 2;
    let rect = Rect {
        x: area.x + area.width.saturating_sub(width) / 2,
        y: area.y + area.height.saturating_sub(height) / 2,
        width: width.min(area.width),
        height: height.min(area.height),
    };
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.title));
    let text: Vec<Line> = body
        .into_iter()
        .map(|l| Line::raw(format!(" {l}")))
        .collect();
    frame.render_widget(Paragraph::new(text).block(block), rect);
}
