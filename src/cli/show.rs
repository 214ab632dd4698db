use serde::Serialize;

use super::output::Output;
use super::{CliError, print_warnings};
use crate::domain::text;
use crate::store::Store;
use crate::store::parse::FileKind;

#[derive(clap::Args)]
pub struct Args {
    /// The profile to show
    #[arg(value_name = "PROFILE")]
    name: String,
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Shown {
    name: String,
    settings: Vec<ShownSetting>,
}

#[derive(Serialize)]
struct ShownSetting {
    key: String,
    value: String,
    file: FileKind,
    path: String,
    line: usize,
}

pub fn run(store: &Store, args: &Args, out: &mut Output) -> Result<(), CliError> {
    let snapshot = store.load()?;
    let parsed = snapshot.parse()?;
    out.know_parsed(&parsed);
    let set = parsed.profiles();
    let section = set.profiles.get(args.name.as_str()).ok_or_else(|| {
        CliError::Message(format!("no profile named `{}` in either file", args.name))
    })?;
    let path_of = |file: FileKind| parsed.path(file).display().to_string();
    let settings: Vec<ShownSetting> = section
        .shown()
        .map(|(key, value, s)| ShownSetting {
            key: key.into_owned(),
            value: out.redactor().redact(&value).into_owned(),
            file: s.file,
            path: path_of(s.file),
            line: s.line(),
        })
        .collect();
    let shown = Shown {
        name: args.name.clone(),
        settings,
    };
    if args.json {
        let text =
            serde_json::to_string_pretty(&shown).map_err(|e| CliError::Message(e.to_string()))?;
        println!("{}", text::json_printable(&text));
    } else {
        out.say(format_args!("[{}]", shown.name));
        let width = shown
            .settings
            .iter()
            .map(|s| s.key.len())
            .max()
            .unwrap_or(0);
        for s in &shown.settings {
            let value = s.value.replace('\n', "\n    ");
            out.say(format_args!(
                "  {:width$} = {value}    ({}:{})",
                s.key, s.path, s.line
            ));
        }
    }
    print_warnings(out, &parsed.warnings(&set));
    Ok(())
}
