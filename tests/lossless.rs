//! Property tests: any text survives parse → write byte for byte, a no-op edit writes
//! nothing, random edits change only the lines of the profile they target, and any
//! text either fails to parse with a located error or lists as valid JSON.

mod common;

use std::collections::BTreeMap;

use credwiz::store::Store;
use credwiz::store::document::Document;
use credwiz::store::edit::sections_of;
use credwiz::store::parse::{FileKind, Layout, parse};
use credwiz::store::profiles::summaries;
use proptest::prelude::*;

const NAMES: &[&str] = &["default", "a", "b", "dev", "prod", "x.y@z"];
const KEYS: &[&str] = &[
    "region",
    "output",
    "aws_access_key_id",
    "role_arn",
    "Cli_Pager",
];

/// (key index, `=` style, value, comment line before it)
type PropSpec = (usize, u8, String, bool);
/// (name index, header style, properties, blank line after)
type SectionSpec = (usize, u8, Vec<PropSpec>, bool);

#[derive(Debug, Clone)]
struct FileSpec {
    crlf: bool,
    final_newline: bool,
    preamble: Vec<String>,
    sections: Vec<SectionSpec>,
}

fn file_spec() -> impl Strategy<Value = FileSpec> {
    let prop = (0..KEYS.len(), 0u8..3, "[A-Za-z0-9/+]{0,12}", any::<bool>());
    let section = (
        0..NAMES.len(),
        0u8..3,
        prop::collection::vec(prop, 0..4),
        any::<bool>(),
    );
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec("[#;][ a-z]{0,10}", 0..3),
        prop::collection::vec(section, 0..6),
    )
        .prop_map(|(crlf, final_newline, preamble, sections)| FileSpec {
            crlf,
            final_newline,
            preamble,
            sections,
        })
}

/// Renders a valid file: unique profiles and keys, various header and `=` styles,
/// comments, sub-properties, blank lines between sections.
fn render(spec: &FileSpec, kind: FileKind) -> String {
    let mut lines: Vec<String> = spec.preamble.clone();
    let mut seen = Vec::new();
    for (name, style, props, blank) in &spec.sections {
        if seen.contains(name) {
            continue;
        }
        seen.push(*name);
        let name = NAMES[*name];
        let inner = match kind {
            FileKind::Config if name != "default" => format!("profile {name}"),
            _ => name.to_string(),
        };
        lines.push(match style {
            0 => format!("[{inner}]"),
            1 => format!("[ {inner} ]"),
            _ => format!("[{inner}] # about {}", name.len()),
        });
        let mut keys_seen = Vec::new();
        for (key, sep, value, comment_before) in props {
            if keys_seen.contains(key) {
                continue;
            }
            keys_seen.push(*key);
            if *comment_before {
                lines.push("# note".into());
            }
            let sep = ["=", " = ", "  =\t"][*sep as usize];
            if KEYS[*key] == "Cli_Pager" && value.is_empty() {
                lines.push(format!("s3{sep}"));
                lines.push("  max_concurrent_requests = 2".into());
            } else {
                lines.push(format!("{}{sep}{value}", KEYS[*key]));
            }
        }
        if *blank {
            lines.push(String::new());
        }
    }
    let eol = if spec.crlf { "\r\n" } else { "\n" };
    let mut text = lines.join(eol);
    if spec.final_newline && !text.is_empty() {
        text.push_str(eol);
    }
    text
}

#[derive(Debug, Clone)]
enum Edit {
    Nothing,
    Set(usize, usize, String),
    Remove(usize, usize),
    RemoveProfile(usize),
    Rename(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => Just(Edit::Nothing),
        3 => (0..NAMES.len(), 0..KEYS.len(), "[A-Za-z0-9]{1,10}").prop_map(|(p, k, v)| Edit::Set(p, k, v)),
        3 => (0..NAMES.len(), 0..KEYS.len()).prop_map(|(p, k)| Edit::Remove(p, k)),
        2 => (0..NAMES.len()).prop_map(Edit::RemoveProfile),
        2 => (0..NAMES.len(), 0..NAMES.len()).prop_map(|(a, b)| Edit::Rename(a, b)),
    ]
}

/// The lines of a file outside the profile's sections, trailing blank lines dropped.
fn untouched(text: &str, kind: FileKind, profile: &str) -> Vec<String> {
    let doc = Document::parse(text);
    let layout = parse(&doc).expect("parses");
    let skip: Vec<(usize, usize)> = sections_of(&layout, kind, profile)
        .iter()
        .map(|s| (s.header(), s.end()))
        .collect();
    let mut out: Vec<String> = doc
        .texts()
        .enumerate()
        .filter(|(i, _)| !skip.iter().any(|(a, b)| (a..b).contains(&i)))
        .map(|(_, l)| l.to_string())
        .collect();
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out
}

/// The file's lines without the lines of one key in one profile; `None` when the file has
/// no section for the profile (a key edit may then add one).
fn without_key(text: &str, kind: FileKind, profile: &str, key: &str) -> Option<Vec<String>> {
    let doc = Document::parse(text);
    let layout = parse(&doc).expect("parses");
    let sections = sections_of(&layout, kind, profile);
    if sections.is_empty() {
        return None;
    }
    let skip: Vec<(usize, usize)> = sections
        .iter()
        .flat_map(|s| layout.find(s, key))
        .map(|p| (p.line(), p.end()))
        .collect();
    // The profile's headers may be rewritten too, in the form every SDK reads as the
    // profile (`[ profile a ]` becomes `[profile a]`, issue 12).
    let headers: Vec<usize> = sections.iter().map(|s| s.header()).collect();
    Some(
        doc.texts()
            .enumerate()
            .filter(|(i, _)| !skip.iter().any(|(a, b)| (a..b).contains(&i)))
            .map(|(i, l)| match headers.contains(&i) {
                true => "[the profile's header]".to_string(),
                false => l.to_string(),
            })
            .collect(),
    )
}

type Settings = BTreeMap<String, BTreeMap<String, String>>;

fn settings(store: &Store) -> Settings {
    let snapshot = store.load().expect("loads");
    let parsed = snapshot.parse().expect("parses");
    let set = parsed.profiles();
    set.profiles
        .iter()
        .map(|(n, s)| {
            let values = s
                .settings
                .iter()
                .map(|(k, v)| (k.to_string(), v.value.to_string()));
            (n.to_string(), values.collect())
        })
        .collect()
}

/// One line of anything the grammar knows, mostly well-formed: headers of every kind
/// (quoted, commented, prefixed, unclosed), properties with odd keys, inline comments and
/// sub-properties, comments, blanks, and now and then a line the SDKs refuse.
fn soup_line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "\\[(profile |sso-session |services |PROFILE |profile  )?[a-zA-Z0-9 \"'.@]{0,8}\\]( [#;].{0,4})?",
        6 => "(aws_access_key_id|AWS_Session_Token|role_arn|region|Region|output|sso_session|sso_start_url|credential_process|s3|bad key|x) = [A-Z0-9a-z:/ #;]{0,20}",
        1 => "[ \t]{1,2}[a-z]{1,4} = [a-z#]{0,4}",
        2 => "[#;].{0,6}",
        2 => "[ \t]{0,3}",
        1 => "[a-zA-Z_ ]{0,8}[ \t]*=?[ \t]*[a-zA-Z0-9 #;=\"]{0,10}",
    ]
}

/// A file that starts with a header, so most files parse.
fn soup_file() -> impl Strategy<Value = String> {
    (
        "\\[(profile )?[a-z]{1,3}\\]",
        prop::collection::vec(soup_line(), 0..16),
        any::<bool>(),
    )
        .prop_map(|(first, lines, crlf)| {
            let newline = if crlf { "\r\n" } else { "\n" };
            std::iter::once(first)
                .chain(lines)
                .collect::<Vec<_>>()
                .join(newline)
        })
}

/// (key, value, line, end)
type PropShape = (String, String, usize, usize);
/// (name, header line, end, properties)
type SectionShape = (String, usize, usize, Vec<PropShape>);

/// Sections and properties as plain values, for comparing two parses.
fn shape(layout: &Layout) -> Vec<SectionShape> {
    layout
        .sections
        .iter()
        .map(|s| {
            let props = layout
                .props(s)
                .iter()
                .map(|p| (p.key.to_string(), p.value.to_string(), p.line(), p.end()))
                .collect();
            (s.raw_name.to_string(), s.header(), s.end(), props)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_text_round_trips_byte_for_byte(text in any::<String>(), lines in prop::collection::vec("[\\[\\]= #;a-z\t\r]{0,12}", 0..12)) {
        prop_assert_eq!(Document::parse(&text).to_text(), text.clone());
        let joined = lines.join("\n");
        prop_assert_eq!(Document::parse(&joined).to_text(), joined.clone());
        prop_assert_eq!(Document::from_bytes(joined.as_bytes()).unwrap().to_text(), joined);
    }

    #[test]
    fn random_edits_change_only_the_lines_they_target(config in file_spec(), credentials in file_spec(), edit in edit()) {
        let s = common::Sandbox::with_files(&render(&config, FileKind::Config), &render(&credentials, FileKind::Credentials));
        let store = Store::at(s.config.clone(), s.credentials.clone());
        let (config_before, credentials_before) = s.read_text();
        let before = settings(&store);

        let (target, renamed_to) = match &edit {
            Edit::Rename(a, b) => (NAMES[*a], Some(NAMES[*b])),
            Edit::Set(p, ..) | Edit::Remove(p, _) | Edit::RemoveProfile(p) => (NAMES[*p], None),
            Edit::Nothing => ("", None),
        };
        let result = store.edit(|e| match &edit {
            Edit::Nothing => Ok(()),
            Edit::Set(p, k, v) => e.set(NAMES[*p], &[(KEYS[*k], v.as_str())]),
            Edit::Remove(p, k) => e.remove_keys(NAMES[*p], &[KEYS[*k]]),
            Edit::RemoveProfile(p) => e.remove_profile(NAMES[*p]),
            Edit::Rename(a, b) => e.rename_profile(NAMES[*a], NAMES[*b]),
        });
        let (config_after, credentials_after) = s.read_text();
        let after = settings(&store);

        if result.is_err() || matches!(edit, Edit::Nothing) {
            prop_assert_eq!(&config_after, &config_before);
            prop_assert_eq!(&credentials_after, &credentials_before);
            if matches!(edit, Edit::Nothing) { prop_assert!(result.is_ok()); }
            return Ok(());
        }
        let new_name = renamed_to.unwrap_or(target);
        for (kind, b, a) in [(FileKind::Config, &config_before, &config_after), (FileKind::Credentials, &credentials_before, &credentials_after)] {
            prop_assert_eq!(untouched(b, kind, target), untouched(a, kind, new_name), "{:?} {:?}", kind, &edit);
        }
        if let Edit::Set(p, k, _) | Edit::Remove(p, k) = &edit {
            for (kind, b, a) in [(FileKind::Config, &config_before, &config_after), (FileKind::Credentials, &credentials_before, &credentials_after)] {
                if let Some(lines_before) = without_key(b, kind, NAMES[*p], KEYS[*k]) {
                    prop_assert_eq!(Some(lines_before), without_key(a, kind, NAMES[*p], KEYS[*k]), "only the key's lines change");
                }
            }
        }
        for (name, values) in &before {
            if name != target && Some(name.as_str()) != renamed_to {
                prop_assert_eq!(Some(values), after.get(name), "profile {} changed", name);
            }
        }
        if let Edit::Set(p, k, _) | Edit::Remove(p, k) = &edit {
            let others = |m: Option<&BTreeMap<String, String>>| {
                let mut m = m.cloned().unwrap_or_default();
                m.remove(&KEYS[*k].to_ascii_lowercase());
                m
            };
            prop_assert_eq!(others(before.get(NAMES[*p])), others(after.get(NAMES[*p])), "other keys of the target changed");
        }
        match &edit {
            Edit::Set(p, k, v) => prop_assert_eq!(after[NAMES[*p]].get(&KEYS[*k].to_ascii_lowercase()), Some(v)),
            Edit::Remove(p, k) => prop_assert!(after.get(NAMES[*p]).is_none_or(|m| !m.contains_key(&KEYS[*k].to_ascii_lowercase()))),
            Edit::RemoveProfile(p) => prop_assert!(!after.contains_key(NAMES[*p])),
            Edit::Rename(a, b) => {
                prop_assert!(!after.contains_key(NAMES[*a]));
                prop_assert_eq!(before.get(NAMES[*a]), after.get(NAMES[*b]));
            }
            Edit::Nothing => {}
        }
    }

    #[test]
    fn any_file_fails_with_its_line_or_lists_as_valid_json(config in soup_file(), credentials in soup_file()) {
        for text in [&config, &credentials] {
            let doc = Document::parse(text);
            let from_buffer = parse(&doc).map(|l| shape(&l)).map_err(|e| e.line);
            doc.index_lines();
            let from_index = parse(&doc).map(|l| shape(&l)).map_err(|e| e.line);
            prop_assert_eq!(from_buffer, from_index, "the line index reads like the buffer");
        }
        let s = common::Sandbox::with_files(&config, &credentials);
        let store = Store::at(s.config.clone(), s.credentials.clone());
        let snapshot = store.load().unwrap();
        let parsed = match snapshot.parse() {
            Err(e) => {
                let shown = e.to_string();
                prop_assert!(shown.contains(" line ") && shown.contains(".aws"), "{}", shown);
                return Ok(());
            }
            Ok(parsed) => parsed,
        };
        let set = parsed.profiles();
        let mut json = Vec::new();
        for summary in summaries(&set) {
            json.clear();
            summary.append_json(&mut json);
            let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
            prop_assert_eq!(value["name"].as_str(), Some(summary.name));
        }
        for (_, section) in set.profiles.iter() {
            let listed: Vec<_> = section.settings.iter().collect();
            prop_assert!(listed.windows(2).all(|w| w[0].0 < w[1].0), "keys sorted and unique");
            for (key, setting) in &listed {
                prop_assert!(section.settings.get(key) == Some(*setting), "{}", key);
            }
        }
        for warning in parsed.warnings(&set) {
            prop_assert!(warning.line.is_none_or(|l| l >= 1));
        }
    }
}
