//! The AWS SDKs' profile-file grammar, applied to a [`Document`].
//!
//! The result is a [`Layout`]: which line is which section and property, with their
//! values as the SDKs read them. It serves both readers (the merged profile view) and
//! editors (where to change a line). The rules follow the SDKs' shared specification,
//! tested against their cross-language vectors in `tests/conformance.rs`, except where
//! the spec has only an error: an indented header with no setting above it to continue
//! is read as a header, as the AWS CLI, JS and Go read it. It also names sections as the
//! AWS CLI (botocore) does ([`aws_cli_profile_name`]), for the profiles the SDKs skip.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::Serialize;
use zeroize::Zeroize;

use super::document::Document;

/// Which of the two files a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Config,
    Credentials,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Config => "config",
            FileKind::Credentials => "credentials",
        }
    }

    /// The environment variable that says where this file is.
    pub fn variable(self) -> &'static str {
        match self {
            FileKind::Config => "AWS_CONFIG_FILE",
            FileKind::Credentials => "AWS_SHARED_CREDENTIALS_FILE",
        }
    }
}

/// The SDKs' whitespace: only space and tab.
pub const WHITESPACE: &[char] = &[' ', '\t'];

fn is_sdk_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Trims the SDKs' whitespace. Both are ASCII, so scanning bytes is exact and fast.
pub fn trim_ws(s: &str) -> &str {
    let bytes = s.as_bytes();
    let is_space = |b: &u8| *b == b' ' || *b == b'\t';
    let start = bytes
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |i| i + 1);
    &s[start..end]
}
const COMMENT: &[char] = &['#', ';'];

/// A line the SDKs refuse; `line` is 1-based. Never quotes the line (it may hold a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
    pub hint: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {} ({})", self.line, self.message, self.hint)
    }
}

/// Which line is which section and property. Borrows the document: names and
/// single-line values are slices of it, so parsing a large file allocates little.
#[derive(Clone, Debug, Default)]
pub struct Layout<'d> {
    pub sections: Vec<SectionLayout<'d>>,
    /// Every section's properties in file order, in one array (see `SectionLayout::props`).
    props: Vec<PropLayout<'d>>,
}

/// Line numbers are kept as `u32` (documents are under 4 GiB): a large file has tens of
/// thousands of these records, and their size is most of what parsing writes.
#[derive(Clone, Debug)]
pub struct SectionLayout<'d> {
    header: u32,
    end: u32,
    /// The text between the brackets, comments removed and trimmed: `profile foo`.
    pub raw_name: &'d str,
    /// The whole header line as written.
    pub header_text: &'d str,
    /// Its properties: a range of `Layout::props`, read through `Layout::props(section)`.
    props: (u32, u32),
}

impl SectionLayout<'_> {
    /// Index of the `[...]` line.
    pub fn header(&self) -> usize {
        self.header as usize
    }

    /// One past the section's last line: the next header, or the end of the document.
    pub fn end(&self) -> usize {
        self.end as usize
    }

    fn props(&self) -> Range<usize> {
        self.props.0 as usize..self.props.1 as usize
    }
}

/// A line index or count as stored in the layout records.
fn stored(i: usize) -> u32 {
    u32::try_from(i).expect("documents are under 4 GiB (checked when read)")
}

impl<'d> Layout<'d> {
    /// The sections `keep` accepts, as if the others were not there.
    pub fn only(&self, keep: impl Fn(&str) -> bool) -> Layout<'d> {
        let mut kept = Layout::default();
        for section in self.sections.iter().filter(|s| keep(s.raw_name)) {
            let start = stored(kept.props.len());
            kept.props.extend(self.props(section).iter().cloned());
            kept.sections.push(SectionLayout {
                props: (start, stored(kept.props.len())),
                ..section.clone()
            });
        }
        kept
    }

    /// Every section's properties, in file order.
    pub fn properties(&self) -> &[PropLayout<'d>] {
        &self.props
    }

    pub fn props(&self, section: &SectionLayout) -> &[PropLayout<'d>] {
        &self.props[section.props()]
    }

    /// The section's properties named `key`, compared case-insensitively as the SDKs do.
    pub fn find<'s>(
        &'s self,
        section: &SectionLayout,
        key: &'s str,
    ) -> impl Iterator<Item = &'s PropLayout<'d>> {
        self.props(section).iter().filter(move |p| p.is(key))
    }

    /// Where a new key goes: after the section's last property (and its continuation
    /// lines), else right after the header.
    pub fn insert_at(&self, section: &SectionLayout) -> usize {
        self.props(section)
            .last()
            .map_or(section.header() + 1, |p| p.end())
    }
}

#[derive(Clone)]
pub struct PropLayout<'d> {
    /// As written; the SDKs (and botocore) compare keys case-insensitively.
    pub key: &'d str,
    /// The value as the SDKs read it, continuation lines joined with `\n`.
    pub value: Cow<'d, str>,
    line: u32,
    end: u32,
    /// The line ends in a ` # comment` the SDKs cut off (and the AWS CLI does not).
    pub inline_comment: bool,
}

impl PropLayout<'_> {
    /// Index of the `key = value` line.
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// One past its last continuation line.
    pub fn end(&self) -> usize {
        self.end as usize
    }

    pub fn is(&self, key: &str) -> bool {
        self.key.eq_ignore_ascii_case(key)
    }

    /// The key as the SDKs report it: lower-cased.
    pub fn normalized_key(&self) -> Cow<'_, str> {
        if self.key.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(self.key.to_ascii_lowercase())
        } else {
            Cow::Borrowed(self.key)
        }
    }
}

/// Values may be secrets: `Debug` shows where a property is, never what it holds.
impl fmt::Debug for PropLayout<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} @ {}..{}", self.key, self.line, self.end)
    }
}

impl Drop for PropLayout<'_> {
    fn drop(&mut self) {
        if let Cow::Owned(value) = &mut self.value {
            value.zeroize();
        }
    }
}

pub fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ' || b == b'\t')
}

pub fn is_comment(line: &str) -> bool {
    matches!(line.as_bytes().first(), Some(b'#' | b';'))
}

/// Parses a document as the SDKs do. Fails on the first line they would refuse.
pub fn parse(doc: &Document) -> Result<Layout<'_>, ParseError> {
    parse_where(doc, |_| true)
}

/// Parses only the sections whose name `keep` accepts, skipping the lines of the others
/// unread: for planning an edit of one profile in a document already known to parse.
pub fn parse_where(doc: &Document, keep: impl Fn(&str) -> bool) -> Result<Layout<'_>, ParseError> {
    let mut sections: Vec<SectionLayout> = Vec::new();
    let mut props: Vec<PropLayout> = Vec::new();
    let mut in_subproperty = false;
    let mut skipping = false;
    let mut line_count = 0;
    // Whether the section being skipped has a property, which an indented line continues.
    let mut skipped_has_property = false;
    for (index, text) in doc.texts().enumerate() {
        line_count = index + 1;
        if skipping && !text.starts_with('[') {
            if !text.starts_with(is_sdk_space) {
                skipped_has_property |= !text.is_empty() && !is_comment(text);
                continue;
            }
            if skipped_has_property || !is_indented_header(text) {
                continue;
            }
        }
        let error = |message: &str, hint: &'static str| ParseError {
            line: index + 1,
            message: message.to_string(),
            hint,
        };
        if is_blank(text) || is_comment(text) {
            continue;
        }
        // An indented header with no setting above it to continue: the AWS CLI, the JS
        // and Go SDKs read a header; the shared spec has no reading (it is an error), so
        // reading it as a header changes no file the spec reads.
        let nothing_to_continue = || match skipping {
            true => !skipped_has_property,
            false => sections.last().is_none_or(|s| s.props.0 == s.props.1),
        };
        if text.starts_with('[') || (is_indented_header(text) && nothing_to_continue()) {
            let raw_name = header_name(text).ok_or_else(|| {
                error(
                    "Profile definition must end with ']'",
                    "close the section header, e.g. `[profile name]`",
                )
            })?;
            skipped_has_property = false;
            if let Some(previous) = sections.last_mut()
                && !skipping
            {
                previous.end = stored(index);
            }
            skipping = !keep(raw_name);
            if skipping {
                continue;
            }
            let first_prop = stored(props.len());
            sections.push(SectionLayout {
                header: stored(index),
                end: u32::MAX, // set when the next header or the end of the file comes
                raw_name,
                header_text: text,
                props: (first_prop, first_prop),
            });
            continue;
        }
        let Some(section) = sections.last_mut() else {
            return Err(error(
                "Expected a profile definition before this line",
                "every setting must follow a section header such as `[default]`",
            ));
        };
        if text.starts_with(is_sdk_space) {
            let Some(prop) = props
                .last_mut()
                .filter(|_| section.props.0 < section.props.1)
            else {
                return Err(error(
                    "Expected a property definition, found continuation",
                    "an indented line continues the setting above it; remove the indentation",
                ));
            };
            if in_subproperty {
                parse_property_line(text).map_err(|e| {
                    if is_indented_header(text) {
                        indented_header_error(index)
                    } else {
                        e.into_error(index, "sub-property")
                    }
                })?;
            }
            let value = prop.value.to_mut();
            value.push('\n');
            value.push_str(trim_ws(text));
            prop.end = stored(index + 1);
        } else {
            let (key, value, inline_comment) =
                parse_property_line(text).map_err(|e| e.into_error(index, "property"))?;
            in_subproperty = value.is_empty();
            props.push(PropLayout {
                key,
                value: Cow::Borrowed(value),
                line: stored(index),
                end: stored(index + 1),
                inline_comment,
            });
            section.props.1 = stored(props.len());
        }
    }
    if let Some(last) = sections.last_mut()
        && !skipping
    {
        last.end = stored(line_count);
    }
    Ok(Layout { sections, props })
}

/// A line that is a section header but for the spaces or tabs before its `[`.
fn is_indented_header(text: &str) -> bool {
    text.starts_with(is_sdk_space) && trim_ws(text).starts_with('[')
}

/// Who reads an indented header, and how to fix it (the SDKs' error is not enough to
/// find it: the header looks right).
pub const INDENTED_HEADER: &str = "the AWS CLI (botocore) and the JS and Go SDKs read it as a header, but the SDKs that follow the shared file spec (Rust, Java) refuse it";

/// An indented header where the spec reads a continuation of the sub-property above.
fn indented_header_error(index: usize) -> ParseError {
    ParseError {
        line: index + 1,
        message: format!(
            "this section header is indented, so it continues the sub-property above it \
             (every reader takes it so, and the sub-property then has no `=`); remove the spaces before `[` on line {}",
            index + 1
        ),
        hint: "or run `credwiz doctor --fix`, which removes them",
    }
}

/// `[ profile foo ] ; comment` → `profile foo`. In a header any `#`/`;` starts a comment.
pub fn header_name(line: &str) -> Option<&str> {
    let line = strip_comment(line, false);
    line.strip_prefix('[')?.strip_suffix(']').map(trim_ws)
}

#[derive(Debug, PartialEq, Eq)]
enum PropertyError {
    NoEquals,
    NoName,
}

impl PropertyError {
    fn into_error(self, index: usize, what: &str) -> ParseError {
        let (message, hint) = match self {
            PropertyError::NoEquals => (
                format!("Expected an '=' sign defining a {what}"),
                "write settings as `name = value`",
            ),
            PropertyError::NoName => {
                let mut name = what.to_string();
                name[..1].make_ascii_uppercase();
                (
                    format!("{name} did not have a name"),
                    "put the setting's name before the `=`",
                )
            }
        };
        ParseError {
            line: index + 1,
            message,
            hint,
        }
    }
}

/// `key = value # comment` → (`key`, `value`). In a property a comment needs whitespace before it.
/// Also says whether an inline comment was cut off.
fn parse_property_line(line: &str) -> Result<(&str, &str, bool), PropertyError> {
    let trimmed = trim_ws(line);
    let kept = strip_comment(trimmed, true);
    let eq = memchr::memchr(b'=', kept.as_bytes()).ok_or(PropertyError::NoEquals)?;
    let (key, value) = (&kept[..eq], &kept[eq + 1..]);
    let key = trim_ws(key);
    if key.is_empty() {
        return Err(PropertyError::NoName);
    }
    Ok((key, trim_ws(value), kept.len() != trimmed.len()))
}

/// Trims the line and cuts an inline comment.
pub fn strip_comment(line: &str, needs_whitespace: bool) -> &str {
    let line = trim_ws(line);
    if memchr::memchr2(b'#', b';', line.as_bytes()).is_none() {
        return line;
    }
    let mut previous_is_space = false;
    for (index, c) in line.char_indices() {
        if COMMENT.contains(&c) && (previous_is_space || !needs_whitespace) {
            return trim_ws(&line[..index]);
        }
        previous_is_space = c.is_whitespace();
    }
    line
}

/// What a section header means to the SDKs in a given file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionRole<'a> {
    /// `prefixed` is true for `[profile default]`, which beats `[default]` in config.
    Profile {
        name: &'a str,
        prefixed: bool,
    },
    SsoSession(&'a str),
    /// A section with another prefix (`[services x]`): kept, not a profile.
    Other,
    /// The SDKs skip it; the reason is shown to the user.
    Ignored(String),
}

pub const PROFILE_PREFIX: &str = "profile";
/// Unprefixed config sections the AWS CLI reads for itself.
const AWS_CLI_SECTIONS: &[&str] = &["plugins", "preview"];
pub const SSO_SESSION_PREFIX: &str = "sso-session";

pub fn section_role(raw_name: &str, kind: FileKind) -> SectionRole<'_> {
    let space = raw_name.bytes().position(|b| b == b' ' || b == b'\t');
    let (prefix, name) = match space {
        Some(i) => (Some(&raw_name[..i]), trim_ws(&raw_name[i + 1..])),
        None => (None, raw_name),
    };
    let valid = |name: &str, role| {
        if is_identifier(name) {
            role
        } else {
            SectionRole::Ignored(format!(
                "`{name}` is not a valid name (letters, digits and - _ / . % @ : + only)"
            ))
        }
    };
    match (kind, prefix) {
        (FileKind::Config, Some(PROFILE_PREFIX)) => valid(
            name,
            SectionRole::Profile {
                name,
                prefixed: true,
            },
        ),
        (FileKind::Config, Some(SSO_SESSION_PREFIX)) => valid(name, SectionRole::SsoSession(name)),
        (FileKind::Config, Some(_)) => SectionRole::Other,
        (FileKind::Config, None) if name == "default" => SectionRole::Profile {
            name,
            prefixed: false,
        },
        // The AWS CLI's own sections, not profiles.
        (FileKind::Config, None) if AWS_CLI_SECTIONS.contains(&name) => SectionRole::Other,
        (FileKind::Config, None) => SectionRole::Ignored(format!(
            "profiles in the config file are written `[profile {name}]`"
        )),
        (FileKind::Credentials, Some(_)) => SectionRole::Ignored(format!(
            "sections in the credentials file are written `[name]`, without a prefix; `[{raw_name}]` is skipped"
        )),
        (FileKind::Credentials, None) => valid(
            name,
            SectionRole::Profile {
                name,
                prefixed: false,
            },
        ),
    }
}

/// The section name Python's configparser (the AWS CLI's reader) takes from a header
/// line: from the first `[` to the last `]`, neither trimmed nor cut at a comment.
pub fn configparser_header(line: &str) -> Option<&str> {
    let inner = line.trim().strip_prefix('[')?;
    let header = &inner[..inner.rfind(']')?];
    (!header.is_empty()).then_some(header)
}

/// The profile name botocore gives a section (`configloader.build_profile_map`): in
/// config, `default`, or a name starting `profile` split shell-style into exactly two
/// words (`[profile "some profile"]` is `some profile`); in credentials the name as
/// written. `header` is the configparser name (see [`configparser_header`]).
pub fn aws_cli_profile_name(header: &str, kind: FileKind) -> Option<Cow<'_, str>> {
    match kind {
        FileKind::Credentials => Some(Cow::Borrowed(header)),
        FileKind::Config if header == "default" => Some(Cow::Borrowed(header)),
        FileKind::Config if header.starts_with(PROFILE_PREFIX) => {
            let mut words = crate::domain::text::shell_words(header)?;
            (words.len() == 2).then(|| words.swap_remove(1))
        }
        FileKind::Config => None,
    }
}

/// Why a profile the AWS CLI reads is one the SDKs do not read under that name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameForm {
    /// `[profile "personal"]`: a name of the SDKs' characters, in quotes.
    Quoted,
    /// A name with characters outside the SDKs' set, such as a space.
    OutsideCharset,
}

impl NameForm {
    pub fn of(name: &str, header: &str) -> NameForm {
        if is_identifier(name) && memchr::memchr2(b'"', b'\'', header.as_bytes()).is_some() {
            NameForm::Quoted
        } else {
            NameForm::OutsideCharset
        }
    }

    /// The readers that do not find the profile under the AWS CLI's name, as named in
    /// `list --json`. Only what was measured or read in their sources is claimed
    /// (DESIGN-NOTES): `rust` stands for the SDKs' shared spec and its vectors.
    pub fn skipped_by(self, file: FileKind) -> &'static [&'static str] {
        match (self, file) {
            (NameForm::Quoted, _) => &["go", "rust"],
            (NameForm::OutsideCharset, FileKind::Config) => &["js", "rust"],
            (NameForm::OutsideCharset, FileKind::Credentials) => &["rust"],
        }
    }

    /// What to do about it, given the rename command.
    pub fn fix(self, rename: &str) -> String {
        match self {
            NameForm::Quoted => format!("remove the quotes: {rename}"),
            NameForm::OutsideCharset => format!("give it a portable name: {rename}"),
        }
    }

    /// Who reads the name how, for people.
    pub fn readers(self, file: FileKind, name: &str) -> String {
        match (self, file) {
            (NameForm::Quoted, _) => format!(
                "the AWS CLI (botocore) and the JS SDK read it as `{name}`, the Go SDK as `\"{name}\"`, \
                 and the SDKs that follow the shared file spec (Rust, Java) skip it"
            ),
            (NameForm::OutsideCharset, FileKind::Config) => format!(
                "the AWS CLI (botocore) reads it as `{name}`, but the AWS SDKs skip this name \
                 (the JS SDK and those that follow the shared file spec: Rust, Java; \
                 their profile names hold only letters, digits and - _ / . % @ : +)"
            ),
            (NameForm::OutsideCharset, FileKind::Credentials) => format!(
                "the AWS CLI (botocore) and the JS SDK read it as `{name}`, but the SDKs that \
                 follow the shared file spec (Rust, Java) skip this name (their profile names \
                 hold only letters, digits and - _ / . % @ : +)"
            ),
        }
    }
}

/// A name the SDKs read, made from one they skip: each run of other characters becomes
/// one `-`.
pub fn portable_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if crate::domain::validate::is_profile_name_char(c) && c != '-' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "profile".to_string()
    } else {
        out.to_string()
    }
}

/// Profile names and property names share one charset (all ASCII, so bytes suffice).
pub fn is_identifier(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| IDENTIFIER_BYTES[b as usize])
}

const IDENTIFIER_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = crate::domain::validate::is_profile_name_char(b as u8 as char);
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_record_their_lines_and_continuations() {
        let doc = Document::parse(
            "# top\n[profile a]\nregion = x\ns3 =\n  k = v\n\n  k2 = v2\nout = y\n[b]\n",
        );
        let l = parse(&doc).expect("parses");
        let a = &l.sections[0];
        assert_eq!((a.header(), a.end()), (1, 8));
        let s3 = &l.props(a)[1];
        assert_eq!(s3.key, "s3");
        assert!(s3.is("S3"));
        assert_eq!((s3.line(), s3.end()), (3, 7));
        assert_eq!(s3.value, "\nk = v\nk2 = v2");
        assert_eq!(l.insert_at(a), 8);
        assert_eq!(l.insert_at(&l.sections[1]), 9);
    }

    #[test]
    fn a_filtered_parse_sees_only_the_kept_sections_with_their_true_extent() {
        let doc = Document::parse("[a]\nk = 1\n[b]\nk = 2\n  cont\n[a]\nj = 3\n");
        let full = parse(&doc).unwrap();
        let only_a = parse_where(&doc, |name| name == "a").unwrap();
        let a_from_full = full.only(|name| name == "a");
        for l in [&only_a, &a_from_full] {
            let spans: Vec<_> = l
                .sections
                .iter()
                .map(|s| (s.header(), s.end(), l.props(s).len()))
                .collect();
            assert_eq!(spans, vec![(0, 2, 1), (5, 7, 1)]);
        }
    }

    #[test]
    fn errors_name_the_line_without_quoting_it() {
        let err = parse(&Document::parse(
            "[a]\nok = 1\naws_secret_access_key SECRET\n",
        ))
        .unwrap_err();
        assert_eq!(err.line, 3);
        assert!(!err.to_string().contains("SECRET"));
    }

    #[test]
    fn header_comments_need_no_space() {
        assert_eq!(header_name("[profile foo];c"), Some("profile foo"));
        assert_eq!(header_name("[ x ] # c"), Some("x"));
        assert_eq!(header_name("[x"), None);
    }

    #[test]
    fn an_indented_header_is_a_header_where_no_setting_is_continued() {
        let doc = Document::parse(
            "\t[profile x]\nk = 1\n[profile a]\n  [default]\nk = 2\n  [profile c]\n",
        );
        let l = parse(&doc).expect("parses");
        let names: Vec<_> = l.sections.iter().map(|s| s.raw_name).collect();
        assert_eq!(names, ["profile x", "profile a", "default"]);
        assert_eq!(l.props(&l.sections[2])[0].value, "2\n[profile c]");
        // A filtered parse finds the same sections, skipping the others' lines.
        let only = parse_where(&doc, |raw| raw == "default").unwrap();
        assert_eq!(only.sections.len(), 1);
        assert_eq!(only.sections[0].header(), 3);
        let skipped_with_setting = Document::parse("[a]\nk = v\n  [b]\n");
        assert!(
            parse_where(&skipped_with_setting, |raw| raw == "b")
                .unwrap()
                .sections
                .is_empty()
        );
    }

    #[test]
    fn an_indented_header_in_a_sub_property_is_named_in_the_error() {
        let err = parse(&Document::parse("[a]\ns3 =\n  [b]\n")).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("indented"), "{err}");
    }

    #[test]
    fn the_aws_cli_names_sections_as_shlex_splits_them() {
        let name = |header: &str, kind| aws_cli_profile_name(header, kind).map(Cow::into_owned);
        let config = FileKind::Config;
        for (header, want) in [
            ("profile a", Some("a")),
            ("profile \"some profile\"", Some("some profile")),
            ("profile 'x y'", Some("x y")),
            ("profile a\\ b", Some("a b")),
            ("profile \"a\"b", Some("ab")),
            ("profile \"q\\\"r\\n\"", Some("q\"r\\n")),
            ("profile\tt", Some("t")),
            ("profile a b", None),
            ("profile \"open", None),
            ("profile a\\", None),
            ("profilefoo", None),
            ("default", Some("default")),
            ("foo", None),
        ] {
            assert_eq!(name(header, config).as_deref(), want, "{header:?}");
        }
        assert_eq!(name("'q'", FileKind::Credentials).as_deref(), Some("'q'"));
        assert_eq!(
            configparser_header("  [ profile a ] # c [x]"),
            Some(" profile a ] # c [x")
        );
        assert_eq!(configparser_header("[]"), None);
    }

    #[test]
    fn names_are_classified_and_made_portable() {
        assert_eq!(NameForm::of("a", "profile \"a\""), NameForm::Quoted);
        assert_eq!(
            NameForm::of("a b", "profile 'a b'"),
            NameForm::OutsideCharset
        );
        assert_eq!(NameForm::of("'q'", "'q'"), NameForm::OutsideCharset);
        assert_eq!(portable_name("some profile"), "some-profile");
        assert_eq!(portable_name("  a  b! "), "a-b");
        assert_eq!(portable_name("!!"), "profile");
    }

    #[test]
    fn roles_depend_on_the_file() {
        use SectionRole::*;
        let p = |name, prefixed| Profile { name, prefixed };
        assert_eq!(
            section_role("profile foo", FileKind::Config),
            p("foo", true)
        );
        assert_eq!(
            section_role("default", FileKind::Config),
            p("default", false)
        );
        assert!(matches!(section_role("foo", FileKind::Config), Ignored(_)));
        assert_eq!(section_role("foo", FileKind::Credentials), p("foo", false));
        assert!(matches!(
            section_role("profile foo", FileKind::Credentials),
            Ignored(_)
        ));
        assert_eq!(
            section_role("sso-session s", FileKind::Config),
            SsoSession("s")
        );
        assert_eq!(section_role("services x", FileKind::Config), Other);
        assert!(matches!(
            section_role("profile \"q\"", FileKind::Config),
            Ignored(_)
        ));
    }
}
