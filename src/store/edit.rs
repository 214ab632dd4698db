//! Line edits on one document: set or remove keys, add, remove or rename sections.
//!
//! Each function reads the document through its SDK [`Layout`] and returns a [`Plan`]:
//! the lines to replace, insert or remove. Applying the plan changes only those lines and
//! leaves every other byte as it was. Callers re-parse the document afterwards.

use super::document::Document;
use super::parse::{
    FileKind, Layout, SectionLayout, SectionRole, WHITESPACE, aws_cli_profile_name, header_name,
    section_role, strip_comment, trim_ws,
};

/// The header credwiz writes for a profile, as the AWS CLI writes it.
pub fn header_for(kind: FileKind, profile: &str) -> String {
    match kind {
        FileKind::Config if profile != "default" => format!("[profile {profile}]"),
        _ => format!("[{profile}]"),
    }
}

/// The sections of this file that hold `profile`, in file order.
///
/// Besides the SDKs' reading this matches headers the AWS CLI reads as the same profile,
/// such as `[profile "name"]`, so an edit never adds a second section for one profile.
pub fn sections_of<'l, 'd>(
    layout: &'l Layout<'d>,
    kind: FileKind,
    profile: &str,
) -> Vec<&'l SectionLayout<'d>> {
    layout
        .sections
        .iter()
        .filter(|s| names_profile(s.raw_name, kind, profile))
        .collect()
}

/// Whether a section of this name holds `profile` for the SDKs or for the AWS CLI.
pub fn names_profile(raw_name: &str, kind: FileKind, profile: &str) -> bool {
    // Every form of the header ends with the name, or with the name and a closing quote.
    let ends_with_name = |s: &str| s.ends_with(profile);
    if !(ends_with_name(raw_name)
        || raw_name
            .strip_suffix(['"', '\''])
            .is_some_and(ends_with_name)
        || raw_name.contains('\\'))
    {
        return false;
    }
    match section_role(raw_name, kind) {
        SectionRole::Profile { name, .. } => name == profile,
        _ => botocore_profile_name(raw_name, kind).as_deref() == Some(profile),
    }
}

/// Whether the file has a section for `profile`, from its header lines alone. An
/// indented header may instead continue the setting above it: that one is confirmed by
/// parsing the file's sections of `profile`.
pub fn has_section(doc: &Document, kind: FileKind, profile: &str) -> bool {
    let mut indented = false;
    for text in doc.texts() {
        let trimmed = trim_ws(text);
        if !trimmed.starts_with('[') {
            continue;
        }
        if header_name(text).is_some_and(|raw| names_profile(raw, kind, profile)) {
            if text.starts_with('[') {
                return true;
            }
            indented = true;
        }
    }
    indented
        && super::parse::parse_where(doc, |raw| names_profile(raw, kind, profile))
            .is_ok_and(|layout| !layout.sections.is_empty())
}

/// The profile name botocore gives a section (see [`aws_cli_profile_name`]): in config
/// it strips `profile` and shell-style quotes; in credentials it is the name as written.
pub fn botocore_profile_name(raw_name: &str, kind: FileKind) -> Option<String> {
    aws_cli_profile_name(raw_name, kind).map(std::borrow::Cow::into_owned)
}

/// In config, the SDKs use `[profile default]` over `[default]`; the AWS CLI uses the
/// later of the two. These are the sections whose settings are in effect, so a new key
/// goes into each of them (usually one).
fn effective_sections<'l, 'd>(
    sections: &[&'l SectionLayout<'d>],
    kind: FileKind,
) -> Vec<&'l SectionLayout<'d>> {
    let Some(last) = sections.last() else {
        return Vec::new();
    };
    let prefixed = |s: &SectionLayout| {
        matches!(
            section_role(s.raw_name, kind),
            SectionRole::Profile { prefixed: true, .. }
        )
    };
    let sdk = if kind == FileKind::Config && sections.iter().any(|s| prefixed(s)) {
        sections.iter().rev().find(|s| prefixed(s)).copied()
    } else {
        Some(*last)
    };
    let mut out: Vec<&SectionLayout> = sdk.into_iter().collect();
    if out.first().map(|s| s.header()) != Some(last.header()) {
        out.push(last);
    }
    out
}

/// One change to the document, applied bottom-up so indexes stay valid.
enum Step {
    Replace(usize, String),
    Insert(usize, Vec<String>),
    Remove(usize, usize),
}

impl Step {
    fn position(&self) -> usize {
        match self {
            Step::Replace(i, _) | Step::Insert(i, _) | Step::Remove(i, _) => *i,
        }
    }
}

/// Line changes to one document, computed from a read-only view of it.
#[must_use]
pub struct Plan(Vec<Step>);

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn apply(self, doc: &mut Document) {
        apply(doc, self.0);
    }
}

fn apply(doc: &mut Document, steps: Vec<Step>) {
    // Bottom-up; at one position, a replacement before an insertion above it, and of two
    // insertions the later-planned first, so that it ends up below: new keys planned after
    // a value's continuation lines go after them, not between the value and them.
    let mut steps: Vec<(usize, Step)> = steps.into_iter().enumerate().collect();
    steps.sort_by_key(|(order, s)| {
        std::cmp::Reverse((s.position(), !matches!(s, Step::Insert(..)), *order))
    });
    for (_, step) in steps {
        match step {
            Step::Replace(i, text) => doc.replace_text(i, text),
            Step::Insert(i, lines) => doc.insert(i, lines),
            Step::Remove(start, end) => doc.remove(start..end),
        }
    }
}

/// `key = value`, keeping an existing line's indentation and spacing around `=`, with
/// the key in its canonical lower-case spelling (the JS SDK ignores `AWS_ACCESS_KEY_ID`).
/// An inline comment on the old line moves to a line of its own above it, so the AWS CLI
/// (which does not strip inline comments) and the SDKs read the same value.
fn rewrite_line(old: &str, key: &str, value: &str) -> (Option<String>, String) {
    let Some(eq) = old.find('=') else {
        return (None, old.to_string());
    };
    let after = &old[eq + 1..];
    let spacing = if trim_ws(after).is_empty() {
        if old[..eq].ends_with(WHITESPACE) {
            " "
        } else {
            ""
        }
    } else {
        &after[..after.len() - after.trim_start_matches(WHITESPACE).len()]
    };
    let kept = strip_comment(old, true);
    let comment = trim_ws(&trim_ws(old)[kept.len()..]);
    let comment = (!comment.is_empty()).then(|| comment.to_string());
    let spacing = if value.is_empty() { "" } else { spacing };
    let before_eq = &old[..eq];
    let indent = &before_eq[..before_eq.len() - before_eq.trim_start_matches(WHITESPACE).len()];
    let key_end = before_eq.trim_end_matches(WHITESPACE).len();
    let canonical = key.to_ascii_lowercase();
    (
        comment,
        format!(
            "{indent}{canonical}{}={spacing}{value}",
            &before_eq[key_end..]
        ),
    )
}

/// `key = value`; a multi-line value (as the SDKs read sub-properties, `"\nname = v"`)
/// continues on indented lines.
pub fn key_lines(key: &str, value: &str) -> Vec<String> {
    let mut parts = value.split('\n');
    let first = parts.next().unwrap_or("");
    let head = if first.is_empty() {
        format!("{key} =")
    } else {
        format!("{key} = {first}")
    };
    std::iter::once(head)
        .chain(parts.map(|p| format!("  {p}")))
        .collect()
}

/// A value's first line and its continuation lines, as written under an existing key.
fn split_value(value: &str) -> (&str, Vec<String>) {
    let mut parts = value.split('\n');
    let first = parts.next().unwrap_or("");
    (first, parts.map(|p| format!("  {p}")).collect())
}

/// Sets keys on a profile in this file: existing lines (every occurrence) are rewritten
/// in place; missing keys go after the last key of the profile's section, or into a new
/// section appended at the end. `None` when the file has no section for `profile` and
/// `create` is false.
pub fn set_keys(
    doc: &Document,
    layout: &Layout,
    kind: FileKind,
    profile: &str,
    pairs: &[(&str, &str)],
    create: bool,
) -> Option<Plan> {
    let sections = sections_of(layout, kind, profile);
    if sections.is_empty() {
        return create.then(|| append_section(doc, kind, profile, pairs));
    }
    let mut steps = header_steps(doc, &sections, kind, profile);
    let mut missing = Vec::new();
    for &(key, value) in pairs {
        let existing: Vec<_> = sections.iter().flat_map(|s| layout.find(s, key)).collect();
        if existing.is_empty() {
            missing.extend(key_lines(key, value));
        }
        let (first, continuation) = split_value(value);
        for prop in existing {
            let (comment, line) = rewrite_line(doc.text(prop.line()), key, first);
            steps.push(Step::Replace(prop.line(), line));
            if prop.end() > prop.line() + 1 {
                steps.push(Step::Remove(prop.line() + 1, prop.end()));
            }
            if !continuation.is_empty() {
                steps.push(Step::Insert(prop.line() + 1, continuation.clone()));
            }
            if let Some(comment) = comment {
                steps.push(Step::Insert(prop.line(), vec![comment]));
            }
        }
    }
    if !missing.is_empty() {
        for section in effective_sections(&sections, kind) {
            steps.push(Step::Insert(layout.insert_at(section), missing.clone()));
        }
    }
    Some(Plan(steps))
}

/// A name only the AWS CLI reads (`[profile "x"]`) is rewritten so the SDKs read it too,
/// and one the readers spell differently (`[ x ]`, `[profile  x]`) so they all read it.
fn header_steps(
    doc: &Document,
    sections: &[&SectionLayout],
    kind: FileKind,
    profile: &str,
) -> Vec<Step> {
    sections
        .iter()
        .filter(|s| needs_portable_header(doc, s, kind, profile))
        .map(|s| {
            Step::Replace(
                s.header(),
                renamed_header(doc.text(s.header()), kind, profile),
            )
        })
        .collect()
}

/// Whether credwiz rewrites this section's header when it edits `profile` (see
/// [`portable_headers`]).
pub fn needs_portable_header(
    doc: &Document,
    section: &SectionLayout,
    kind: FileKind,
    profile: &str,
) -> bool {
    !matches!(
        section_role(section.raw_name, kind),
        SectionRole::Profile { .. }
    ) || !is_portable_header(doc.text(section.header()), kind, profile)
}

/// The profile's headers in this file rewritten in the form every reader reads as the
/// profile, for an edit of the profile that changes nothing else in this file: so that
/// its sections in both files are read under one name.
pub fn portable_headers(doc: &Document, layout: &Layout, kind: FileKind, profile: &str) -> Plan {
    Plan(header_steps(
        doc,
        &sections_of(layout, kind, profile),
        kind,
        profile,
    ))
}

/// Removes every occurrence of the keys (with continuation lines) from the profile.
pub fn remove_keys(layout: &Layout, kind: FileKind, profile: &str, keys: &[&str]) -> Plan {
    let steps = sections_of(layout, kind, profile)
        .into_iter()
        .flat_map(|s| keys.iter().flat_map(move |k| layout.find(s, k)))
        .map(|p| Step::Remove(p.line(), p.end()))
        .collect();
    Plan(steps)
}

/// Appends `[header]` and its keys, separated from earlier content by a blank line.
pub fn append_section(
    doc: &Document,
    kind: FileKind,
    profile: &str,
    pairs: &[(&str, &str)],
) -> Plan {
    let mut lines = Vec::with_capacity(pairs.len() + 2);
    let last_is_blank = doc.is_empty() || doc.text(doc.len() - 1).trim().is_empty();
    if !last_is_blank {
        lines.push(String::new());
    }
    lines.push(header_for(kind, profile));
    lines.extend(pairs.iter().flat_map(|(k, v)| key_lines(k, v)));
    Plan(vec![Step::Insert(doc.len(), lines)])
}

/// Removes each section of the profile: its header, everything up to its last setting,
/// and the blank lines right after. Comments after the last setting stay: they usually
/// describe what follows.
pub fn remove_section(doc: &Document, layout: &Layout, kind: FileKind, profile: &str) -> Plan {
    let steps = sections_of(layout, kind, profile)
        .iter()
        .map(|s| section_removal(doc, layout, s))
        .collect();
    Plan(steps)
}

/// A section's header, everything up to its last setting, and the blank lines after.
fn section_removal(doc: &Document, layout: &Layout, section: &SectionLayout) -> Step {
    let mut end = layout.insert_at(section);
    while end < section.end() && trim_ws(doc.text(end)).is_empty() {
        end += 1;
    }
    Step::Remove(section.header(), end)
}

/// The key and value one `key = value` line reads as, on its own; `None` for any other
/// line (a header, a comment, a line continued below).
pub fn read_line(raw: &str) -> Option<(String, zeroize::Zeroizing<String>)> {
    let doc = Document::parse(&format!("[line]\n{raw}\n"));
    let layout = super::parse::parse(&doc).ok()?;
    let [prop] = layout.properties() else {
        return None;
    };
    (prop.line() == 1 && prop.end() == 2).then(|| {
        (
            prop.key.to_string(),
            zeroize::Zeroizing::new(prop.value.to_string()),
        )
    })
}

/// `profile`'s one-line `key` whose value is `value`, given the text `raw` (the same
/// key and value spelled as the file once had them).
pub fn respell(
    layout: &Layout,
    kind: FileKind,
    profile: &str,
    (key, value): (&str, &str),
    raw: &str,
) -> Plan {
    let steps = sections_of(layout, kind, profile)
        .into_iter()
        .flat_map(|section| layout.find(section, key))
        .filter(|prop| prop.value == value && prop.end() == prop.line() + 1)
        .map(|prop| Step::Replace(prop.line(), raw.to_string()))
        .collect();
    Plan(steps)
}

/// Removes the profile's sections that hold no setting, as [`remove_section`] does.
pub fn remove_empty_sections(
    doc: &Document,
    layout: &Layout,
    kind: FileKind,
    profile: &str,
) -> Plan {
    let steps = sections_of(layout, kind, profile)
        .into_iter()
        .filter(|s| layout.props(s).is_empty())
        .map(|s| match section_removal(doc, layout, s) {
            // At the end of the file, the blank line written before the section when it
            // was appended goes too: the file ends as it did before.
            Step::Remove(mut start, end) if end == doc.len() => {
                while start > 0 && trim_ws(doc.text(start - 1)).is_empty() {
                    start -= 1;
                }
                Step::Remove(start, end)
            }
            step => step,
        })
        .collect();
    Plan(steps)
}

/// Whether every reader reads this header line as `profile`'s section: credwiz's own form,
/// or `[profile default]` (which the SDKs prefer over `[default]` in config). Spaces inside
/// the brackets are part of the name to botocore and JS and not to Rust and Go; JS drops
/// `[profile  x]` with two spaces.
fn is_portable_header(line: &str, kind: FileKind, profile: &str) -> bool {
    let Some(inner) = line
        .strip_prefix('[')
        .and_then(|rest| rest.find(']').map(|end| &rest[..end]))
    else {
        return false;
    };
    let own = header_for(kind, profile);
    inner == &own[1..own.len() - 1]
        || (kind == FileKind::Config && profile == "default" && inner == "profile default")
}

/// The header line rewritten to credwiz's form for `profile`, keeping a comment after `]`.
fn renamed_header(line: &str, kind: FileKind, profile: &str) -> String {
    let after = line.rfind(']').map_or("", |i| &line[i + 1..]);
    format!("{}{after}", header_for(kind, profile))
}

/// Rewrites the profile's headers to the new name; a comment after `]` is kept.
pub fn rename_section(
    doc: &Document,
    layout: &Layout,
    kind: FileKind,
    old: &str,
    new: &str,
) -> Plan {
    let steps = sections_of(layout, kind, old)
        .iter()
        .map(|s| Step::Replace(s.header(), renamed_header(doc.text(s.header()), kind, new)))
        .collect();
    Plan(steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::parse::parse;

    /// Plans with `plan`, applies, checks the result parses, returns the text.
    fn edit(text: &str, plan: impl FnOnce(&Document, &Layout) -> Plan) -> String {
        let mut doc = Document::parse(text);
        let layout = parse(&doc).unwrap();
        let plan = plan(&doc, &layout);
        drop(layout);
        plan.apply(&mut doc);
        parse(&doc).expect("the result still parses");
        doc.to_text()
    }

    fn set(
        d: &Document,
        l: &Layout,
        kind: FileKind,
        profile: &str,
        pairs: &[(&str, &str)],
    ) -> Plan {
        set_keys(d, l, kind, profile, pairs, true).unwrap()
    }

    const CFG: FileKind = FileKind::Config;
    const CRED: FileKind = FileKind::Credentials;

    #[test]
    fn an_existing_key_is_updated_on_its_own_line() {
        let out = edit(
            "# c\n[profile a]\nRegion=us-east-1\noutput = json\n",
            |d, l| set(d, l, CFG, "a", &[("region", "eu-west-1")]),
        );
        assert_eq!(out, "# c\n[profile a]\nregion=eu-west-1\noutput = json\n");
    }

    #[test]
    fn a_new_key_goes_after_the_last_key() {
        let out = edit(
            "[profile a]\nregion = x\n\n# about b\n[profile b]\n",
            |d, l| set(d, l, CFG, "a", &[("output", "json")]),
        );
        assert_eq!(
            out,
            "[profile a]\nregion = x\noutput = json\n\n# about b\n[profile b]\n"
        );
    }

    #[test]
    fn a_new_section_is_appended_with_the_files_line_ending() {
        let out = edit("[a]\r\nk = v", |d, l| {
            set(d, l, CRED, "b", &[("aws_access_key_id", "AKIA")])
        });
        assert_eq!(
            out,
            "[a]\r\nk = v\r\n\r\n[b]\r\naws_access_key_id = AKIA\r\n"
        );
    }

    #[test]
    fn an_inline_comment_moves_above_the_rewritten_line() {
        let out = edit("[default]\nregion = us-east-1 # prod\n", |d, l| {
            set(d, l, CFG, "default", &[("region", "eu-west-1")])
        });
        assert_eq!(out, "[default]\n# prod\nregion = eu-west-1\n");
    }

    #[test]
    fn a_multi_line_value_is_replaced_whole() {
        let out = edit(
            "[profile a]\ns3 =\n  x = 1\n  y = 2\nregion = r\n",
            |d, l| set(d, l, CFG, "a", &[("s3", "none")]),
        );
        assert_eq!(out, "[profile a]\ns3 = none\nregion = r\n");
    }

    #[test]
    fn a_header_names_a_profile_in_every_spelling_and_no_other() {
        use FileKind::{Config, Credentials};
        for (raw, kind, profile, names) in [
            ("profile a", Config, "a", true),
            ("profile  a", Config, "a", true),
            ("profile \"a\"", Config, "a", true),
            ("profile 'a'", Config, "a", true),
            ("profile ba", Config, "a", false),
            ("profile a", Config, "profile a", false),
            ("default", Config, "default", true),
            ("a", Credentials, "a", true),
            // botocore keeps the quotes of a credentials section's name.
            ("'a'", Credentials, "'a'", true),
            ("'a'", Credentials, "a", false),
            ("some profile", Credentials, "some profile", true),
            ("profile 'some profile'", Config, "some profile", true),
            ("profile a\\ b", Config, "a b", true),
            ("ba", Credentials, "a", false),
            ("a", Config, "a", false),
        ] {
            assert_eq!(
                names_profile(raw, kind, profile),
                names,
                "{raw:?} {kind:?} {profile:?}"
            );
        }
    }

    /// A quoted name is the same profile to the AWS CLI but invisible to the SDKs: editing
    /// it rewrites the header unquoted, so both read the new value.
    #[test]
    fn quoted_and_spaced_headers_are_the_same_profile() {
        let out = edit("[profile \"a\"]\nregion = x\n[ profile  b ]\n", |d, l| {
            set(d, l, CFG, "a", &[("region", "y")])
        });
        let out = edit(&out, |d, l| set(d, l, CFG, "b", &[("region", "z")]));
        assert_eq!(out, "[profile a]\nregion = y\n[profile b]\nregion = z\n");
    }

    #[test]
    fn keys_match_case_insensitively_in_every_duplicate_section() {
        let out = edit(
            "[a]\nAWS_ACCESS_KEY_ID = 1\n[a]\naws_access_key_id = 2\n",
            |d, l| set(d, l, CRED, "a", &[("aws_access_key_id", "3")]),
        );
        assert_eq!(
            out,
            "[a]\naws_access_key_id = 3\n[a]\naws_access_key_id = 3\n"
        );
    }

    #[test]
    fn profile_default_wins_over_default_for_new_keys() {
        let out = edit("[profile default]\nregion = x\n[default]\n", |d, l| {
            set(d, l, CFG, "default", &[("output", "json")])
        });
        assert_eq!(
            out,
            "[profile default]\nregion = x\noutput = json\n[default]\noutput = json\n"
        );
    }

    #[test]
    fn multi_line_values_are_written_as_continuations() {
        let out = edit("[profile a]\ns3 = x\nregion = r\n", |d, l| {
            set(
                d,
                l,
                CFG,
                "a",
                &[("s3", "\nmax = 2\nstyle = path"), ("new", "\nk = v")],
            )
        });
        assert_eq!(
            out,
            "[profile a]\ns3 =\n  max = 2\n  style = path\nregion = r\nnew =\n  k = v\n"
        );
        let doc = Document::parse(&out);
        let layout = parse(&doc).unwrap();
        assert_eq!(
            layout.props(&layout.sections[0])[0].value,
            "\nmax = 2\nstyle = path"
        );
    }

    #[test]
    fn new_keys_go_below_a_rewritten_values_continuation_lines() {
        let out = edit("[default]\ns3 = off\n[x]\n", |d, l| {
            set(
                d,
                l,
                CRED,
                "default",
                &[("s3", "\nmax = 2"), ("aws_access_key_id", "AKIA")],
            )
        });
        assert_eq!(
            out,
            "[default]\ns3 =\n  max = 2\naws_access_key_id = AKIA\n[x]\n"
        );
    }

    #[test]
    fn removing_a_key_takes_its_continuations() {
        let out = edit("[profile a]\ns3 =\n  x = 1\nregion = r\n", |_, l| {
            remove_keys(l, CFG, "a", &["S3"])
        });
        assert_eq!(out, "[profile a]\nregion = r\n");
    }

    #[test]
    fn removing_a_section_keeps_the_next_sections_comment() {
        let text = "[a]\nk = v\n\n# about b\n[b]\nk = w\n";
        let out = edit(text, |d, l| remove_section(d, l, CRED, "a"));
        assert_eq!(out, "# about b\n[b]\nk = w\n");
        let out = edit(text, |d, l| remove_section(d, l, CRED, "b"));
        assert_eq!(out, "[a]\nk = v\n\n# about b\n");
    }

    #[test]
    fn renaming_rewrites_only_the_header() {
        let out = edit("[profile a] # mine\nregion = x\n", |d, l| {
            rename_section(d, l, CFG, "a", "default")
        });
        assert_eq!(out, "[default] # mine\nregion = x\n");
        let out = edit("[a]\nk = v\n", |d, l| rename_section(d, l, CRED, "a", "b"));
        assert_eq!(out, "[b]\nk = v\n");
    }

    #[test]
    fn sections_of_another_file_kind_are_not_matched() {
        let doc = Document::parse("[profile a]\nk = v\n");
        let layout = parse(&doc).unwrap();
        assert!(set_keys(&doc, &layout, CRED, "a", &[("k", "w")], false).is_none());
        assert_eq!(sections_of(&layout, CFG, "a").len(), 1);
    }

    #[test]
    fn a_line_reads_as_its_key_and_value_and_respells_only_that_setting() {
        let read = |raw: &str| read_line(raw).map(|(k, v)| (k, v.to_string()));
        assert_eq!(read("KEY=v a"), Some(("KEY".into(), "v a".into())));
        assert_eq!(read("  k   =  v"), None, "indented: a continuation line");
        for not_a_setting in ["[x]", "# c", "", "k = v\n  more"] {
            assert_eq!(read(not_a_setting), None, "{not_a_setting:?}");
        }
        let doc = Document::parse("[a]\nk = v\nj = v\n[b]\nk = v\n");
        let layout = parse(&doc).unwrap();
        let mut respelled = doc.clone();
        respell(&layout, CRED, "a", ("K", "v"), "K=v").apply(&mut respelled);
        assert_eq!(respelled.to_text(), "[a]\nK=v\nj = v\n[b]\nk = v\n");
        assert!(respell(&layout, CRED, "a", ("k", "other"), "k=other").is_empty());
    }
}
