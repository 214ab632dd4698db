use std::borrow::Cow;
use std::io::Write;

use super::output::Output;
use super::{CliError, print_warnings};
use crate::domain::mask::mask_key_id;
use crate::domain::redact::Redactor;
use crate::domain::service;
use crate::domain::text;
use crate::store::Store;
use crate::store::caches::Caches;
use crate::store::profiles::{SecretIn, Summary, summaries};

#[derive(clap::Args, Default)]
pub struct Args {
    /// Print a JSON array instead of a table
    #[arg(long)]
    json: bool,
}

pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    out.know_parsed(&parsed);
    let set = parsed.profiles();
    // Stdout is line-buffered: a large buffer in front of it turns thousands of lines
    // into a few dozen writes.
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let env = |name: &str| std::env::var(name).ok();
    let caches = Caches::of_user(&env);
    let written = if args.json {
        // The state file is read once, and looked up only for the profiles it knows.
        let state = crate::state::State::load();
        let ages = KeyAges::of(&state);
        let profiles = summaries(&set).map(|p| Summary {
            key_created: ages.created(p.name, p.access_key_id),
            expires_at: expires_at(&caches, &set, &p),
            ..p
        });
        write_json(&mut stdout, profiles, out.redactor())
    } else {
        let now = crate::domain::expiry::now();
        let rows: Vec<[String; COLUMNS]> = summaries(&set)
            .map(|p| {
                let expires = expires_at(&caches, &set, &p);
                row(
                    &Summary {
                        expires_at: expires,
                        ..p
                    },
                    now,
                    out,
                )
            })
            .collect();
        write_table(&mut stdout, &rows)
    };
    match written.and_then(|()| stdout.flush()) {
        // A reader that stops early (`| head`) is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(CliError::Message(format!("cannot write output: {e}")));
        }
        _ => {}
    }
    print_warnings(out, &parsed.warnings(&set));
    Ok(())
}

/// When the profile's temporary credentials expire; no file is read for other kinds.
fn expires_at(caches: &Caches, set: &crate::store::view::ProfileSet, p: &Summary) -> Option<i64> {
    if !p.kind.expires() {
        return None;
    }
    let section = set.profile(p.name)?;
    caches.expiry(p.kind, section).map(|e| e.at)
}

/// When IAM made each profile's key, as verifications recorded it.
struct KeyAges<'s> {
    by_name: std::collections::HashMap<&'s str, &'s crate::state::KeyAge>,
}

impl<'s> KeyAges<'s> {
    fn of(state: &'s crate::state::State) -> KeyAges<'s> {
        let by_name = state
            .verified
            .iter()
            .filter_map(|(name, v)| Some((name.as_str(), v.key.as_ref()?)))
            .collect();
        KeyAges { by_name }
    }

    /// Only while the profile still holds the key the time was recorded for.
    fn created(&self, name: &str, key_id: Option<&str>) -> Option<&'s str> {
        if self.by_name.is_empty() {
            return None;
        }
        let age = self.by_name.get(name)?;
        (Some(age.key_id.as_str()) == key_id).then_some(age.created.as_str())
    }
}

/// A JSON array with one profile per line: compact for scripts, still greppable.
/// Built in memory and written in chunks, so each profile costs no write calls. Known
/// secrets in values are masked, and what JSON leaves raw but a terminal acts on is
/// escaped.
fn write_json<'a>(
    out: &mut impl Write,
    profiles: impl Iterator<Item = Summary<'a>>,
    secrets: &Redactor,
) -> std::io::Result<()> {
    const CHUNK: usize = 1 << 16;
    let mut buf = Vec::with_capacity(CHUNK + 1024);
    buf.push(b'[');
    let mut empty = true;
    for profile in profiles {
        buf.extend_from_slice(if empty { b"\n" } else { b",\n" });
        append_redacted(&mut buf, &profile, secrets);
        empty = false;
        if buf.len() >= CHUNK {
            write_printable(out, &buf)?;
            buf.clear();
        }
    }
    buf.extend_from_slice(if empty { b"]\n" } else { b"\n]\n" });
    write_printable(out, &buf)
}

/// The profile's JSON, with every known secret in its values masked.
fn append_redacted(buf: &mut Vec<u8>, profile: &Summary, secrets: &Redactor) {
    let fields = [
        Some(profile.name),
        profile.access_key_id,
        profile.region,
        profile.output,
        profile.endpoint_url,
    ]
    .map(|v| v.map(|v| secrets.redact(v)));
    if fields
        .iter()
        .flatten()
        .all(|v| matches!(v, Cow::Borrowed(_)))
    {
        return profile.append_json(buf);
    }
    let [name, key_id, region, output, endpoint_url] = &fields;
    Summary {
        name: name.as_deref().unwrap_or_default(),
        access_key_id: key_id.as_deref(),
        region: region.as_deref(),
        output: output.as_deref(),
        endpoint_url: endpoint_url.as_deref(),
        ..profile.clone()
    }
    .append_json(buf);
}

/// JSON text is UTF-8 (built from `str`s); anything else is written as is.
fn write_printable(out: &mut impl Write, json: &[u8]) -> std::io::Result<()> {
    match std::str::from_utf8(json) {
        Ok(json) => out.write_all(text::json_printable(json).as_bytes()),
        Err(_) => out.write_all(json),
    }
}

const COLUMNS: usize = 9;
const ENDPOINT_COLUMN: usize = 7;
const SECRET_COLUMN: usize = 8;

/// Cells are already masked and escaped (see [`row`]). The ENDPOINT column only when a
/// profile is for another service, SECRET only when a secret is in the OS keyring.
fn write_table(out: &mut impl Write, rows: &[[String; COLUMNS]]) -> std::io::Result<()> {
    if rows.is_empty() {
        return writeln!(
            out,
            "no profiles yet: add one with `credwiz add NAME --access-key-id ID`"
        );
    }
    let header = [
        "NAME", "KIND", "KEY", "ACCOUNT", "REGION", "OUTPUT", "FILES", "ENDPOINT", "SECRET",
    ]
    .map(String::from);
    let any_endpoint = rows.iter().any(|r| r[ENDPOINT_COLUMN] != "-");
    let any_keyring = rows
        .iter()
        .any(|r| r[SECRET_COLUMN] == SecretIn::Keyring.label());
    let shown: Vec<usize> = (0..COLUMNS)
        .filter(|&c| c != ENDPOINT_COLUMN || any_endpoint)
        .filter(|&c| c != SECRET_COLUMN || any_keyring)
        .collect();
    let widths: Vec<usize> = shown
        .iter()
        .map(|&c| {
            rows.iter()
                .chain([&header])
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in [&header].into_iter().chain(rows.iter()) {
        let cells: Vec<String> = shown
            .iter()
            .zip(&widths)
            .map(|(&c, w)| pad(&r[c], *w))
            .collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    if let Some(legend) = legend(rows) {
        writeln!(out, "{legend}")?;
    }
    Ok(())
}

fn pad(cell: &str, width: usize) -> String {
    format!(
        "{cell}{}",
        " ".repeat(width.saturating_sub(cell.chars().count()))
    )
}

/// Before the name of the default profile, and of profiles holding the same keys.
const DEFAULT_MARK: &str = "* ";
const SAME_KEYS_MARK: &str = "= ";

/// Under the table, when any row is marked.
fn legend(rows: &[[String; COLUMNS]]) -> Option<&'static str> {
    let same = rows.iter().any(|r| r[0].starts_with(SAME_KEYS_MARK));
    let default = rows.iter().any(|r| r[0].starts_with(DEFAULT_MARK));
    match (default, same) {
        (true, true) => Some("* the default profile · = the same keys as the default"),
        (false, true) => Some("= the same keys as the default"),
        (true, false) => Some("* the default profile"),
        (false, false) => Some(
            "no default profile: aws commands without --profile find no keys; make one the default: credwiz use NAME",
        ),
    }
}

/// After the name of a profile only the AWS CLI reads under that name.
const NOT_PORTABLE_MARK: &str = " (not portable)";

/// One table row, each cell masked (a known secret) and escaped for the terminal.
fn row(p: &Summary, now: i64, out: &mut Output) -> [String; COLUMNS] {
    let dash = || "-".to_string();
    let marker = match (p.name, p.default) {
        ("default", _) => DEFAULT_MARK,
        (_, true) => SAME_KEYS_MARK,
        _ => "  ",
    };
    let key_id = p.access_key_id.map(|k| {
        let shortened = mask_key_id(&out.redactor().redact(k));
        text::printable(&shortened).into_owned()
    });
    // Who skips it, and how to rename it, is in the warnings printed after the table.
    let not_portable = if p.skipped_by.is_empty() {
        ""
    } else {
        NOT_PORTABLE_MARK
    };
    [
        format!("{marker}{}{not_portable}", out.value(p.name)),
        match p.expires_at {
            Some(at) => format!(
                "{} ({})",
                p.kind_label(),
                crate::domain::expiry::cell(at, now)
            ),
            None => p.kind_label().to_string(),
        },
        key_id.unwrap_or_else(dash),
        p.account_id.as_deref().map_or_else(dash, |a| out.value(a)),
        p.region.map_or_else(dash, |r| cell(out, r)),
        p.output.map_or_else(dash, |o| cell(out, o)),
        p.files
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(","),
        p.service
            .and(p.endpoint_url)
            .and_then(service::shown_host)
            .map_or_else(dash, |host| out.value(&host)),
        p.secret_in.map_or_else(dash, |s| s.label().to_string()),
    ]
}

/// A value on one line: the line breaks of a multi-line value (an indented line continues
/// the one above it) shown as `⏎`, every other control character escaped.
fn cell(out: &mut Output, value: &str) -> String {
    out.value(&value.replace('\n', "⏎"))
}
