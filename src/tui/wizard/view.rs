//! Draws the wizard: one screen per step, a key-hint line, popups on top.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{KeyringProbe, Popup, Step, Wizard};
use crate::domain::keyring::SecretIn;
use crate::domain::mask::mask_secret;
use crate::domain::text::printable;
use crate::tui::form::view::{self as field_view, Row};
use crate::tui::keys;
use crate::tui::theme::Theme;
use crate::tui::widget::hints;

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
    let footer = keys::footer(&wizard.bindings(), hint_line.width);
    hints::render(frame, hint_line, &footer, theme);
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

fn welcome(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: &Theme) {
    let mut lines = vec![
        Line::from(Span::styled("Set up an AWS profile", theme.title)),
        Line::raw(""),
        // One line per paragraph: the paragraph wraps them to the width there is.
        Line::raw(
            "An access key lets the AWS CLI and SDKs act as you: an access key ID (AKIA…) and a secret access key, shown once when the key is created.",
        ),
        Line::raw(""),
        Line::raw(
            "To create one: IAM console → Users → your user → Security credentials → Create access key. Use an IAM user's key, not the root user's: root keys can do anything to the account and cannot be limited.",
        ),
        Line::raw(""),
        Line::raw(
            "Keys for another S3-compatible service (Cloudflare R2, MinIO, Backblaze B2, …) or a local emulator (LocalStack)? The wizard asks what the keys are for after the name.",
        ),
        Line::raw(""),
        Line::raw(
            "credwiz writes ~/.aws/credentials and ~/.aws/config exactly as the AWS CLI does, and changes nothing else in them.",
        ),
    ];
    if let Some(notice) = wizard.notice() {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(notice.to_string(), theme.accent)));
    }
    render_text(frame, area, lines, theme);
}

/// A screen of text, wrapped; when the terminal is too short for all of it, the last line
/// says so rather than leaving it cut unseen.
fn render_text(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>, theme: &Theme) {
    let paragraph = Paragraph::new(Text::from(lines)).wrap(Wrap { trim: false });
    let needed = paragraph.line_count(area.width) as u16;
    if needed <= area.height {
        frame.render_widget(paragraph, area);
        return;
    }
    let [shown, more] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    frame.render_widget(paragraph, shown);
    let hidden = needed - shown.height;
    frame.render_widget(
        Paragraph::new(Span::styled(
            format!("… {hidden} more lines below: make the terminal taller to see them"),
            theme.dim,
        )),
        more,
    );
}

/// What the current step asks, in a sentence or two.
fn explanation(wizard: &Wizard) -> String {
    if let Some(preset) = wizard.preset() {
        let service = if preset.name == "other" {
            "the service"
        } else {
            preset.label
        };
        let said = match wizard.step {
            Step::Endpoint if preset.endpoint.contains('<') => format!(
                "The URL {service} takes this profile's requests at, written as its endpoint_url. Type yours in place of the <…> part."
            ),
            Step::Endpoint => format!(
                "The URL {service} takes this profile's requests at, written as its endpoint_url: https://, or http:// to this machine only."
            ),
            Step::KeyId => format!("Paste or type the access key ID. Keys: {}.", preset.keys_from),
            Step::Secret => "Paste the secret. It stays hidden; Ctrl+R shows it while you check it."
                .to_string(),
            Step::Region => {
                "The region requests are signed for: as the service says (`auto` for R2, `us-east-1` when it does not say)."
                    .to_string()
            }
            _ => String::new(),
        };
        if !said.is_empty() {
            return said;
        }
    }
    aws_explanation(wizard.step).to_string()
}

fn aws_explanation(step: Step) -> &'static str {
    match step {
        Step::Service => {
            "What are these keys for? Other services and local emulators keep their keys in the same files, with the endpoint URL they take requests at."
        }
        Step::Preset => {
            "Which service? credwiz fills in what it knows of it (endpoint, region) and says where its keys come from."
        }
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
    let has_field = !matches!(wizard.step, Step::Service | Step::Preset | Step::Output);
    let intro_text = Paragraph::new(explanation(wizard)).wrap(Wrap { trim: true });
    let intro_height = intro_text.line_count(area.width).clamp(2, 4) as u16;
    let verdict = Paragraph::new(field_view::verdict_line(&wizard.verdict(), theme))
        .wrap(Wrap { trim: true });
    let status_height = if has_field {
        verdict.line_count(area.width).clamp(2, 4) as u16
    } else {
        0
    };
    let [intro, _, field_row, status, rest] = Layout::vertical([
        Constraint::Length(intro_height),
        Constraint::Length(1),
        Constraint::Length(u16::from(has_field)),
        Constraint::Length(status_height),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(intro_text, intro);
    if let Some(row) = field_row_of(wizard) {
        field_view::render_row(
            frame,
            field_row,
            &row.focused(wizard.popup.is_none()),
            theme,
        );
    }
    frame.render_widget(verdict, status);
    let note = wizard
        .notice()
        .map(str::to_string)
        .or_else(|| preset_note(wizard));
    let notice_height = note.as_ref().map_or(0, |n| {
        Paragraph::new(n.clone())
            .wrap(Wrap { trim: true })
            .line_count(rest.width)
            .min(3) as u16
    });
    // A short list of choices has its note right under it; a long one, at the bottom.
    let list_height = match wizard.step {
        Step::Service => wizard.service_field().options().len() as u16 + 1,
        Step::Preset => wizard.preset_field().options().len() as u16 + 1,
        _ => rest.height.saturating_sub(notice_height),
    };
    let [list, notice, _] = Layout::vertical([
        Constraint::Length(list_height),
        Constraint::Length(notice_height),
        Constraint::Min(0),
    ])
    .areas(rest);
    match wizard.step {
        Step::Service => field_view::render_choices(frame, list, wizard.service_field(), theme),
        Step::Preset => field_view::render_choices(frame, list, wizard.preset_field(), theme),
        Step::Region if wizard.preset().is_none() => {
            field_view::render_regions(frame, list, wizard.region_field(), theme);
        }
        Step::Output => field_view::render_choices(frame, list, wizard.output_field(), theme),
        _ => {}
    }
    if let Some(text) = note {
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.accent)).wrap(Wrap { trim: true }),
            notice,
        );
    }
}

/// On the preset step: what the highlighted service fills in, and where its keys are.
fn preset_note(wizard: &Wizard) -> Option<String> {
    if wizard.step != Step::Preset {
        return None;
    }
    let preset = wizard.preset()?;
    let mut said = Vec::new();
    if preset.endpoint != "https://" {
        said.push(format!(
            "Endpoint {}",
            preset.endpoint_for(preset.region.unwrap_or("{region}"))
        ));
    }
    if let Some(region) = preset.region {
        said.push(format!("region {region}"));
    }
    let fills = if said.is_empty() {
        "You type the endpoint URL and the region.".to_string()
    } else {
        format!("{}.", said.join(", "))
    };
    Some(format!("{fills} Keys: {}.", preset.keys_from))
}

/// The current step's field, as a row to draw.
fn field_row_of(wizard: &Wizard) -> Option<Row<'static>> {
    let label = wizard.step.title();
    Some(match wizard.step {
        Step::Name => {
            let placeholder = if wizard.profile_name().as_deref() == Some("default") {
                "default"
            } else {
                "e.g. work"
            };
            Row::text(label, wizard.name_field(), placeholder)
        }
        Step::Endpoint => Row::text(label, wizard.endpoint_field(), "https://…"),
        Step::KeyId if wizard.preset().is_some() => {
            Row::text(label, wizard.key_id_field(), "paste here")
        }
        Step::KeyId => Row::text(label, wizard.key_id_field(), "AKIA…"),
        Step::Secret => Row::secret(label, wizard.secret_field()),
        Step::Token => Row::secret(label, wizard.token_field()),
        Step::Region if wizard.preset().is_some() => {
            Row::text(label, wizard.service_region_field(), "e.g. us-east-1")
        }
        Step::Region => Row::region(label, wizard.region_field()),
        Step::ImportFile => Row::text("File", wizard.import_path(), "~/Downloads/…_accessKeys.csv"),
        _ => return None,
    })
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
    let mut lines = vec![row("Profile", profile.name.clone())];
    if let (Some(preset), Some(url)) = (wizard.preset(), &profile.endpoint_url) {
        lines.push(row("Service", preset.label.to_string()));
        lines.push(row("Endpoint URL", printable(url).into_owned()));
        if profile.name == "default" {
            lines.push(Line::from(Span::styled(
                format!(
                    "! as `default`: aws commands without --profile go to {}",
                    preset.label
                ),
                theme.key,
            )));
        }
    }
    lines.extend([
        row(
            "Access key ID",
            match wizard.account_id() {
                Some(account) => format!("{} · account {account}", profile.access_key_id),
                None => profile.access_key_id.clone(),
            },
        ),
        row("Secret access key", mask_secret(profile.secret.expose())),
    ]);
    if let Some(token) = &profile.token {
        lines.push(row("Session token", mask_secret(token.expose())));
    }
    lines.push(row(
        "Region",
        profile.region.clone().unwrap_or_else(|| "-".into()),
    ));
    lines.push(row("Output", profile.output.clone().unwrap_or_default()));
    lines.extend(secret_location_lines(wizard, theme));
    if let Some(notice) = wizard.notice() {
        lines.push(Line::from(Span::styled(notice.to_string(), theme.accent)));
    }
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
            ("endpoint_url", profile.endpoint_url.clone()),
        ];
        for (key, was) in old {
            let now = new_values
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone());
            let now = match (now, key.as_str()) {
                (Some(Some(v)), _) => v,
                (Some(None), "aws_session_token" | "endpoint_url") => "(removed)".to_string(),
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
    render_text(frame, area, lines, theme);
}

/// Where the secret is kept: both choices (↑↓), the trade-off of the chosen one, and
/// why there is no keyring when there is none.
fn secret_location_lines(wizard: &Wizard, theme: &Theme) -> Vec<Line<'static>> {
    let chosen = wizard.secret_in();
    let (keyring, keyring_style, missing) = match wizard.keyring() {
        KeyringProbe::Available => ("OS keyring (recommended)", Style::default(), None),
        KeyringProbe::Unavailable(why) => ("OS keyring (none here)", theme.dim, Some(why)),
        KeyringProbe::NotAsked | KeyringProbe::Asking => {
            ("OS keyring (looking for one…)", theme.dim, None)
        }
    };
    let radio = |location: SecretIn| match location == chosen {
        true => "(•) ",
        false => "( ) ",
    };
    let trade_off = match chosen {
        SecretIn::File => "plaintext on disk; every tool reads it, containers too",
        SecretIn::Keyring => "no secret on disk; AWS tools get it by running credwiz",
    };
    let indented = |text: String| Line::from(Span::styled(format!("{:<19}{text}", ""), theme.dim));
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{:<19}", "Secret kept in"), theme.accent),
            Span::raw(format!("{}credentials file   ", radio(SecretIn::File))),
            Span::styled(
                format!("{}{keyring}", radio(SecretIn::Keyring)),
                keyring_style,
            ),
        ]),
        indented(trade_off.to_string()),
    ];
    lines.extend(missing.map(|why| indented(format!("no keyring: {why}"))));
    lines
}

/// The optional check with STS: an invitation, a spinner, or its outcome.
fn verify_line(wizard: &Wizard, theme: &Theme) -> Line<'static> {
    if let Some(line) = service_verify_line(wizard, theme) {
        return line;
    }
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
        Some(Verifying::Done(Ok(v))) if v.is_root() => Line::from(Span::styled(
            format!(
                "! these work but are the ROOT user's keys ({}): use an IAM user's instead",
                v.identity().map_or("", |id| id.account.as_str())
            ),
            theme.error,
        )),
        Some(Verifying::Done(Ok(v))) => Line::from(Span::styled(
            format!(
                "✓ the keys work: {} ({:.2} s)",
                v.summary(),
                v.took.as_secs_f64()
            ),
            if v.is_limited() { theme.key } else { theme.ok },
        )),
        Some(Verifying::Done(Err(crate::sts::Failure::Refused(why)))) => {
            Line::from(Span::styled(format!("✗ {why}"), theme.error))
        }
        Some(Verifying::Done(Err(crate::sts::Failure::Unchecked(why)))) => {
            Line::from(Span::styled(
                format!("? could not check these keys: {why}. Saving works without the check."),
                theme.key,
            ))
        }
    }
}

/// The optional check of another service's keys (S3 ListBuckets at its endpoint):
/// `None` for AWS keys, and for outcomes said the same way for both.
fn service_verify_line(wizard: &Wizard, theme: &Theme) -> Option<Line<'static>> {
    use super::Verifying;
    let preset = wizard.preset()?;
    let host = crate::domain::service::shown_host(wizard.endpoint_value().trim())
        .map(|h| printable(&h).into_owned())
        .unwrap_or_default();
    Some(match wizard.verifying() {
        None => Line::from(Span::styled(
            format!(
                "Press v to check the keys with {} at {host} before saving (optional).",
                preset.name
            ),
            theme.dim,
        )),
        Some(Verifying::Running(frame)) => Line::from(Span::styled(
            format!(
                "{} checking the keys with {host}… (Esc cancels)",
                crate::tui::widget::spinner::frame(*frame)
            ),
            theme.accent,
        )),
        Some(Verifying::Done(Ok(v))) => Line::from(Span::styled(
            format!(
                "✓ the keys work: {host} accepted them ({:.2} s)",
                v.took.as_secs_f64()
            ),
            theme.ok,
        )),
        Some(Verifying::Done(Err(_))) => return None,
    })
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
        if let Some(caution) = &key.caution {
            lines.push(Line::from(Span::styled(
                format!("    ! {caution}"),
                theme.key,
            )));
        }
    }
    lines.extend(secret_location_lines(wizard, theme));
    if let Some(notice) = wizard.notice() {
        lines.push(Line::from(Span::styled(notice.to_string(), theme.accent)));
    }
    lines.push(Line::raw(""));
    preview_lines(&mut lines, wizard, theme);
    render_text(frame, area, lines, theme);
}

fn done(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: &Theme) {
    let names = wizard.saved_names();
    let lines = match wizard.saved() {
        Some(Ok(written)) => {
            let what = match names {
                [one] => format!("✓ Saved profile `{one}`"),
                many => format!("✓ Imported {}", crate::domain::text::quoted_list(many)),
            };
            let mut lines = vec![Line::from(Span::styled(what, theme.ok)), Line::raw("")];
            lines.extend(
                written
                    .paths
                    .iter()
                    .map(|p| Line::raw(format!("  wrote {}", tilde(p)))),
            );
            if wizard.secret_in() == SecretIn::Keyring {
                lines.push(Line::raw(match names.len() {
                    1 => "  the secret is in the OS keyring; AWS tools get it through credwiz",
                    _ => "  the secrets are in the OS keyring; AWS tools get them through credwiz",
                }));
            }
            for warning in &written.warnings {
                lines.push(Line::from(Span::styled(
                    format!("warning: {}", crate::domain::text::printable(warning)),
                    theme.error,
                )));
            }
            let name = names.first().cloned().unwrap_or_default();
            if wizard.left_no_default() {
                lines.extend(no_default_lines(&name, theme));
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
            let aws_command = if wizard.preset().is_some() {
                format!("  aws s3 ls{flag}")
            } else {
                format!("  aws sts get-caller-identity{flag}")
            };
            for command in [format!("  credwiz verify {name}"), aws_command] {
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
    render_text(frame, area, lines, theme);
}

/// There is no `default` profile: what that means and how to make one.
fn no_default_lines(name: &str, theme: &Theme) -> Vec<Line<'static>> {
    vec![
        Line::raw(""),
        Line::from(Span::styled(
            "! There is no default profile: without --profile the AWS CLI finds no keys.",
            theme.key,
        )),
        Line::raw(format!(
            "  Make `{name}` the default: Enter on it in the list that follows,"
        )),
        Line::raw(format!(
            "  or credwiz use {name}. For one shell only: export AWS_PROFILE={name}"
        )),
    ]
}

fn render_popup(frame: &mut Frame, area: Rect, popup: Popup, wizard: &Wizard, theme: &Theme) {
    let answers = || {
        keys::footer(&wizard.bindings(), u16::MAX)
            .iter()
            .map(|h| format!("{}  {}", h.keys, h.what))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let (title, body): (&str, Vec<String>) = match popup {
        Popup::Discard => (
            "Quit?",
            vec![
                if wizard.returns_to_list() {
                    "Discard this profile and go back to the list?".into()
                } else {
                    "Discard what you typed and quit?".into()
                },
                String::new(),
                answers(),
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
                answers(),
            ],
        ),
        Popup::Help => {
            let mut lines = wizard.help_lines();
            lines.extend([String::new(), "Any key closes this help.".into()]);
            ("Help", lines)
        }
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
