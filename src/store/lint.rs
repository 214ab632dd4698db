//! What the AWS CLI (botocore) reads differently from the SDKs, reported as notices so
//! the user can fix the file before one of their tools trips over it.

use std::collections::HashSet;

use super::document::Document;
use super::hash::NameHash;
use super::parse::{FileKind, Layout};
use super::view::Notice;

/// Phrases of the findings `doctor --fix` repairs (see `fix::Fix::resolves`).
pub(crate) const BOM_FINDING: &str = "UTF-8 byte-order mark";
pub(crate) const DUPLICATE_SECTION_FINDING: &str = "appears twice";

pub fn botocore_notices(doc: &Document, layout: &Layout, file: FileKind) -> Vec<Notice> {
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
        if memchr::memchr2(b'"', b'\'', section.raw_name.as_bytes()).is_some() {
            say(
                line,
                format!(
                    "`[{}]`: the AWS CLI strips the quotes from this name but the AWS SDKs skip the section; remove the quotes",
                    section.raw_name
                ),
                false,
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
            if prop.inline_comment {
                say(
                    Some(prop.line() + 1),
                    format!(
                        "`{}` has an inline comment: the AWS SDKs drop it but the AWS CLI reads it as part of the value; move the comment to its own line",
                        prop.key
                    ),
                    false,
                );
            }
        }
    }
    notices
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
        botocore_notices(&doc, &layout, FileKind::Config)
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
    fn quoted_names_and_inline_comments_are_reported() {
        let n = notices("[profile \"a\"]\nregion = x # note\nurl = a#b\n");
        assert_eq!(n.len(), 2, "{n:?}");
        assert!(n[0].contains("quotes"));
        assert!(n[1].starts_with("2: ") && n[1].contains("inline comment"));
    }
}
