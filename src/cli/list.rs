use std::io::Write;

use super::{CliError, print_warnings};
use crate::domain::mask::{mask_key_id, one_line};
use crate::store::Store;
use crate::store::profiles::{Summary, summaries};

#[derive(clap::Args, Default)]
pub struct Args {
    /// Print a JSON array instead of a table
    #[arg(long)]
    json: bool,
}

pub fn run(store: &Store, args: &Args) -> Result<(), CliError> {
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    let set = parsed.profiles();
    // Stdout is line-buffered: a large buffer in front of it turns thousands of lines
    // into a few dozen writes.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = if args.json {
        write_json(&mut out, summaries(&set))
    } else {
        write_table(&mut out, &summaries(&set).collect::<Vec<_>>())
    };
    match written.and_then(|()| out.flush()) {
        // A reader that stops early (`| head`) is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(CliError::Message(format!("cannot write output: {e}")));
        }
        _ => {}
    }
    print_warnings(&parsed.warnings(&set));
    Ok(())
}

/// A JSON array with one profile per line: compact for scripts, still greppable.
/// Built in memory and written in chunks, so each profile costs no write calls.
fn write_json<'a>(
    out: &mut impl Write,
    profiles: impl Iterator<Item = Summary<'a>>,
) -> std::io::Result<()> {
    const CHUNK: usize = 1 << 16;
    let mut buf = Vec::with_capacity(CHUNK + 1024);
    buf.push(b'[');
    let mut empty = true;
    for profile in profiles {
        buf.extend_from_slice(if empty { b"\n" } else { b",\n" });
        profile.append_json(&mut buf);
        empty = false;
        if buf.len() >= CHUNK {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    buf.extend_from_slice(if empty { b"]\n" } else { b"\n]\n" });
    out.write_all(&buf)
}

fn write_table(out: &mut impl Write, profiles: &[Summary]) -> std::io::Result<()> {
    if profiles.is_empty() {
        return writeln!(
            out,
            "no profiles yet: add one with `credwiz add NAME --access-key-id ID`"
        );
    }
    let rows: Vec<[String; 7]> = profiles.iter().map(row).collect();
    let header = [
        "NAME", "KIND", "KEY", "ACCOUNT", "REGION", "OUTPUT", "FILES",
    ]
    .map(String::from);
    let widths: Vec<usize> = (0..7)
        .map(|c| {
            rows.iter()
                .chain([&header])
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in [&header].into_iter().chain(rows.iter()) {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(cell, w)| pad(cell, *w))
            .collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    Ok(())
}

fn pad(cell: &str, width: usize) -> String {
    format!(
        "{cell}{}",
        " ".repeat(width.saturating_sub(cell.chars().count()))
    )
}

fn row(p: &Summary) -> [String; 7] {
    let dash = || "-".to_string();
    let marker = if p.default { "* " } else { "  " };
    [
        format!("{marker}{}", p.name),
        p.kind.label().to_string(),
        p.access_key_id.map_or_else(dash, mask_key_id),
        p.account_id.clone().unwrap_or_else(dash),
        p.region.map_or_else(dash, |r| one_line(r).into_owned()),
        p.output.map_or_else(dash, |o| one_line(o).into_owned()),
        p.files
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(","),
    ]
}
