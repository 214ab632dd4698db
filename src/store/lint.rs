//! Lines the readers of the files read differently, reported as notices so the user can
//! fix the file before one of their tools trips over it: what the AWS CLI (botocore)
//! refuses or reads otherwise than the SDKs, and where the JS, Rust and Go SDKs disagree
//! with each other (DESIGN-NOTES, "How the other readers differ", measured). Each
//! notice says who reads the line how, and what to write instead. The line forms are
//! recognized here for `fix.rs` too, which rewrites the ones it can.

use std::collections::HashSet;

use super::document::Document;
use super::hash::NameHash;
use super::parse::{
    FileKind, Layout, PROFILE_PREFIX, PropLayout, SectionLayout, SectionRole, WHITESPACE, is_blank,
    is_comment, is_identifier, section_role, trim_ws,
};
use super::view::Notice;

/// Phrases of the findings `doctor --fix` repairs (see `fix::Fix::resolves`).
pub(crate) const BOM_FINDING: &str = "UTF-8 byte-order mark";
pub(crate) const DUPLICATE_SECTION_FINDING: &str = "appears twice";
pub(crate) const UPPER_CASE_KEY_FINDING: &str = "is upper case";
pub(crate) const HEADER_SPACES_FINDING: &str = "spaces inside its brackets";
pub(crate) const QUOTED_VALUE_FINDING: &str = "in double quotes";
pub(crate) const COLON_FINDING: &str = "`:` instead of `=`";
pub(crate) const INDENTED_COMMENT_FINDING: &str = "indented comment";

/// Which checks [`botocore_notices`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checks {
    /// Every one: what `list`, `doctor` and the screens warn about.
    All,
    /// Only what makes the AWS CLI refuse the file: what an edit must say it left (the
    /// rest of the files as read is warned about by `list` and `doctor`). A fraction of
    /// the cost, which every `add` pays.
    Refused,
}

/// Every notice about one file's lines: what the AWS CLI refuses (`refused`), and where
/// the readers read a line differently.
pub fn botocore_notices(
    doc: &Document,
    layout: &Layout,
    file: FileKind,
    checks: Checks,
) -> Vec<Notice> {
    let mut notices = Vec::new();
    let mut say = |line: Option<usize>, message: String, refused: bool| {
        notices.push(Notice {
            file,
            line,
            message,
            refused,
        })
    };
    if doc.has_bom() {
        say(
            Some(1),
            format!(
                "the file starts with a {BOM_FINDING}, which makes the AWS CLI refuse it; \
                 save it as UTF-8 without BOM (credwiz doctor --fix removes it)"
            ),
            true,
        );
    }
    let mut seen_headers: HashSet<&str, NameHash> =
        HashSet::with_capacity_and_hasher(layout.sections.len(), NameHash::default());
    for section in &layout.sections {
        let line = Some(section.header() + 1);
        if !seen_headers.insert(configparser_header(section.header_text)) {
            say(
                line,
                format!(
                    "section `[{}]` {DUPLICATE_SECTION_FINDING}; the AWS CLI refuses a file with duplicate sections",
                    section.raw_name
                ),
                true,
            );
        }
        let props = layout.props(section);
        for (i, prop) in props.iter().enumerate() {
            if props[..i].iter().any(|p| p.is(prop.key)) {
                say(
                    Some(prop.line() + 1),
                    format!(
                        "`{}` is set twice in `[{}]`; the AWS CLI refuses a file with a duplicate key",
                        prop.key, section.raw_name
                    ),
                    true,
                );
            }
            if checks == Checks::Refused {
                continue;
            }
            if prop.inline_comment {
                say(
                    Some(prop.line() + 1),
                    format!(
                        "`{}` has an inline comment: the AWS CLI (botocore) keeps it as part of the value, \
                         the JS, Rust and Go SDKs cut it off; move the comment to its own line",
                        prop.key
                    ),
                    false,
                );
            }
            if let Some(lower) = lower_cased_key(prop.key) {
                say(
                    Some(prop.line() + 1),
                    format!(
                        "`{}` {UPPER_CASE_KEY_FINDING}: the JS SDK ignores it, the AWS CLI and the Rust and Go SDKs read it; \
                         write it `{lower}` (credwiz doctor --fix does)",
                        prop.key
                    ),
                    false,
                );
            }
            if let Some(comment) = comment_continuation(doc, prop) {
                say(
                    Some(comment + 1),
                    format!(
                        "this {INDENTED_COMMENT_FINDING} is read as part of `{}` (line {}) by the SDKs that follow the \
                         shared file spec (Rust, Java) and as a comment by the AWS CLI and the JS and Go SDKs; \
                         remove the spaces before its `#` (credwiz doctor --fix does)",
                        prop.key,
                        prop.line() + 1
                    ),
                    false,
                );
            }
            // A quoted region or output is named with what the AWS CLI makes of the
            // value (see `doctor::mistaken_values`).
            let quoted = prop.value.starts_with('"') && unquoted(&prop.value).is_some();
            if quoted && !["region", "output"].iter().any(|k| prop.is(k)) {
                say(
                    Some(prop.line() + 1),
                    format!(
                        "`{}` is {QUOTED_VALUE_FINDING}: the Go SDK strips them, the AWS CLI and the JS and \
                         Rust SDKs keep them as part of the value; remove the quotes unless they belong to it",
                        prop.key
                    ),
                    false,
                );
            }
        }
        if checks == Checks::All
            && let Some(header) = spaced_header(section, file)
        {
            say(line, header.readers(file), false);
        }
    }
    notices
}

/// Notices about lines that need no parse, for a file the SDKs' parser refuses.
pub fn unparsed_notices(doc: &Document, file: FileKind) -> Vec<Notice> {
    colon_lines(doc)
        .map(|colon| Notice {
            file,
            line: Some(colon.index + 1),
            message: colon.readers(),
            refused: false,
        })
        .collect()
}

/// The property whose `key = value` line is `line` (1-based): properties are in file
/// order, so a binary search finds it.
pub(crate) fn prop_at<'l, 'd>(layout: &'l Layout<'d>, line: usize) -> Option<&'l PropLayout<'d>> {
    let props = layout.properties();
    let i = props.binary_search_by_key(&line, |p| p.line() + 1).ok()?;
    Some(&props[i])
}

/// The key lower-cased, when it has an upper-case letter (the JS SDK looks keys up in
/// lower case and skips the others). A name outside the SDKs' charset is not one: every
/// SDK skips it, and it is named as such.
pub(crate) fn lower_cased_key(key: &str) -> Option<String> {
    // The cheap test first: it runs for every key after every edit.
    (key.bytes().any(|b| b.is_ascii_uppercase()) && is_identifier(key))
        .then(|| key.to_ascii_lowercase())
}

/// The 0-based index of the first indented comment the SDKs' grammar folds into a
/// (single-valued) property: `region = x`, a blank line, then `  # note`. A
/// sub-property (`s3 =` with indented lines) is not one.
pub(crate) fn comment_continuation(doc: &Document, prop: &PropLayout) -> Option<usize> {
    if prop.value.starts_with('\n') || prop.value.is_empty() {
        return None;
    }
    (prop.line() + 1..prop.end()).find(|&i| {
        let text = doc.text(i);
        text.starts_with(WHITESPACE) && is_comment(trim_ws(text))
    })
}

/// The value without its double quotes, when it is one quoted single-line string.
pub(crate) fn unquoted(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.is_empty() && !inner.contains(['"', '\n'])).then_some(inner)
}

/// A profile header with spaces the readers do not agree on: `[ a ]`, `[profile  a]`.
#[derive(Debug)]
pub(crate) struct SpacedHeader<'a> {
    /// Between the brackets, as written.
    pub written: &'a str,
    /// What to write between the brackets: `profile a`, `a`.
    pub portable: String,
    /// The profile's name as the Rust and Go SDKs (and credwiz) read it.
    pub name: &'a str,
}

impl SpacedHeader<'_> {
    fn readers(&self, file: FileKind) -> String {
        let SpacedHeader {
            written,
            portable,
            name,
        } = self;
        let others = match file {
            FileKind::Credentials => format!(
                "the AWS CLI (botocore) and the JS SDK read it as the profile `{written}`, spaces included"
            ),
            FileKind::Config if written.starts_with(PROFILE_PREFIX) => {
                "the AWS CLI (botocore) reads it too, but the JS SDK drops the section".to_string()
            }
            FileKind::Config => {
                "the AWS CLI (botocore) and the JS SDK do not read it as a profile (a space \
                                 before the name makes it another kind of section)"
                    .to_string()
            }
        };
        format!(
            "`[{written}]` has {HEADER_SPACES_FINDING}: the Rust and Go SDKs (and credwiz) read the profile `{name}`; \
             {others}; write it `[{portable}]` (credwiz doctor --fix does)"
        )
    }
}

/// The section's header when its spaces are not the one space of `[profile name]`.
pub(crate) fn spaced_header<'a>(
    section: &SectionLayout<'a>,
    file: FileKind,
) -> Option<SpacedHeader<'a>> {
    // The readers read a header alike unless it has a space next to a bracket, two
    // spaces or a tab: a scan of a few bytes settles almost every header.
    let header = section.header_text.trim_start().as_bytes();
    let spaced = header
        .windows(2)
        .any(|pair| matches!(pair, [b'[', b' '] | [b' ', b']'] | [b' ', b' ']))
        || memchr::memchr(b'\t', header).is_some();
    if !spaced {
        return None;
    }
    let SectionRole::Profile { name, .. } = section_role(section.raw_name, file) else {
        return None;
    };
    let written = bracketed(section.header_text)?;
    let prefix = section
        .raw_name
        .find(WHITESPACE)
        .map(|i| &section.raw_name[..i]);
    // One tab in place of the space is read alike too (by the JS SDK's `\s`).
    let agreed = |separator: char| match prefix {
        Some(prefix) => {
            written
                .strip_prefix(prefix)
                .and_then(|r| r.strip_prefix(separator))
                == Some(name)
        }
        None => written == name,
    };
    // Checked before anything is built: this runs for every section after every edit.
    if agreed(' ') || agreed('\t') {
        return None;
    }
    let portable = match prefix {
        Some(prefix) => format!("{prefix} {name}"),
        None => name.to_string(),
    };
    Some(SpacedHeader {
        written,
        portable,
        name,
    })
}

/// The text between a header's `[` and its first `]` (a profile name has no `]`).
pub(crate) fn bracketed(header_text: &str) -> Option<&str> {
    let inner = trim_ws(header_text).strip_prefix('[')?;
    Some(&inner[..inner.find(']')?])
}

/// A `key: value` line (no `=`): the AWS CLI and the Go SDK read it as `key = value`.
#[derive(Debug)]
pub(crate) struct ColonLine<'a> {
    /// 0-based.
    pub index: usize,
    pub key: &'a str,
    /// After the `:`, leading whitespace removed.
    pub rest: &'a str,
}

impl ColonLine<'_> {
    /// The line written with `=`.
    pub fn portable(&self) -> String {
        format!("{} = {}", self.key, self.rest)
    }

    fn readers(&self) -> String {
        format!(
            "`{}` is set with {COLON_FINDING}: the AWS CLI (botocore) and the Go SDK read it, the JS SDK drops \
             the line and the Rust SDK (and credwiz) refuse the whole file; write it `{} = …` (credwiz doctor --fix does)",
            self.key, self.key
        )
    }
}

/// Every `key: value` line of a section (lexically: the file need not parse).
pub(crate) fn colon_lines(doc: &Document) -> impl Iterator<Item = ColonLine<'_>> {
    let mut in_section = false;
    doc.texts().enumerate().filter_map(move |(index, text)| {
        in_section |= text.starts_with('[');
        if !in_section
            || text.starts_with(['[', ' ', '\t'])
            || is_blank(text)
            || is_comment(text)
            || text.contains('=')
        {
            return None;
        }
        let (key, rest) = text.split_once(':')?;
        let key = trim_ws(key);
        is_identifier(key).then(|| ColonLine {
            index,
            key,
            rest: rest.trim_start_matches(WHITESPACE),
        })
    })
}

/// The section name Python's configparser sees: between the first `[` and the last `]`.
pub(crate) fn configparser_header(line: &str) -> &str {
    let line = line.trim();
    let end = line.rfind(']').unwrap_or(line.len());
    line.get(1..end).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::parse::parse;

    fn notices(text: &str) -> Vec<String> {
        let doc = Document::parse(text);
        let layout = parse(&doc).unwrap();
        botocore_notices(&doc, &layout, FileKind::Config, Checks::All)
            .into_iter()
            .map(|n| format!("{}: {}", n.line.unwrap_or(0), n.message))
            .collect()
    }

    #[test]
    fn a_clean_file_has_no_notices() {
        assert!(notices("[default]\nregion = x\n# c\n[profile a]\n").is_empty());
    }

    #[test]
    fn what_the_aws_cli_refuses_is_reported_with_its_line() {
        let n = notices("\u{feff}[default]\nregion = x\nRegion = y\n[default]\n");
        assert!(
            n[0].starts_with("1: ") && n[0].contains("byte-order mark"),
            "{n:?}"
        );
        assert!(
            n.iter()
                .any(|m| m.starts_with("3: ") && m.contains("duplicate key")),
            "{n:?}"
        );
        assert!(
            n.iter()
                .any(|m| m.starts_with("4: ") && m.contains("duplicate sections")),
            "{n:?}"
        );
    }

    #[test]
    fn the_refused_checks_find_exactly_what_all_of_them_call_refused() {
        let text = "\u{feff}[a]\nK = 1 # c\nk = 2\n[ a ]\nx = \"q\"\n[a]\n";
        let doc = Document::parse(text);
        let layout = parse(&doc).unwrap();
        let all = botocore_notices(&doc, &layout, FileKind::Credentials, Checks::All);
        let refused = botocore_notices(&doc, &layout, FileKind::Credentials, Checks::Refused);
        let expected: Vec<_> = all.iter().filter(|n| n.refused).cloned().collect();
        assert!(expected.len() >= 3 && expected.len() < all.len(), "{all:?}");
        assert_eq!(refused, expected);
    }

    #[test]
    fn inline_comments_are_reported_and_quoted_names_left_to_the_view() {
        // A quoted name's warning (who reads it how) comes from the view, once.
        let n = notices("[profile \"a\"]\nregion = x # note\nurl = a#b\n");
        assert_eq!(n.len(), 1, "{n:?}");
        assert!(n[0].starts_with("2: ") && n[0].contains("inline comment"));
    }

    #[test]
    fn where_the_readers_disagree_is_reported_at_its_line() {
        let n = notices(
            "[ profile a ]\nAWS_REGION_X = 1\nca = \"/x\"\n[profile  b]\nregion = x\n\n  # note\ns3 =\n  k = v\n[profile c]\n",
        );
        let at = |line: usize, phrase: &str| {
            n.iter()
                .any(|m| m.starts_with(&format!("{line}: ")) && m.contains(phrase))
        };
        assert!(at(1, "do not read it as a profile"), "{n:?}");
        assert!(at(2, "is upper case") && at(2, "`aws_region_x`"), "{n:?}");
        assert!(at(3, "in double quotes"), "{n:?}");
        assert!(at(4, "the JS SDK drops the section"), "{n:?}");
        assert!(at(7, "part of `region` (line 5)"), "{n:?}");
        assert_eq!(
            n.len(),
            5,
            "a sub-property and a plain header are fine: {n:?}"
        );
        let tab = notices("[profile\tt]\nregion = x\n[profile u ]\n");
        assert!(
            tab.len() == 1 && tab[0].starts_with("3: "),
            "every reader reads one tab as the space: {tab:?}"
        );
    }

    #[test]
    fn colon_lines_are_found_without_a_parse() {
        let doc = Document::parse(
            "top: 1\n[a]\nregion: x\nurl = http://a\n  sub: y\n# c: d\nrole_arn :arn:aws:iam::1:role/r\n",
        );
        let found: Vec<(usize, String)> = colon_lines(&doc)
            .map(|c| (c.index + 1, c.portable()))
            .collect();
        assert_eq!(
            found,
            [
                (3, "region = x".to_string()),
                (7, "role_arn = arn:aws:iam::1:role/r".to_string())
            ]
        );
    }
}
