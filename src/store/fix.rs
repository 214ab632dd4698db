//! What `credwiz doctor --fix` repairs: what can be repaired without guessing. [`plan`] is
//! pure: it looks at both files as read (bytes and mode) and says, for each repair, what
//! it does and which lines it changes (secrets masked). Besides what the AWS CLI refuses
//! (a BOM, an indented header, a duplicate section), it rewrites lines the readers read
//! differently into the form they all read alike (`lint` names them), where that changes
//! what no reader sees for any other profile: a key lower-cased, a header's spaces, the
//! quotes of a region or output, `key: value`, an indented comment read as part of a
//! value, a profile's keys split across the files. [`apply`] makes one repair through
//! the store: a merge and a split profile's move through [`Store::edit`]; a line
//! rewrite, whose file the parser may refuse, through the same lock, staging and commit
//! an edit uses; a mode with chmod on the file itself.
//! Each repair is planned on the file as read and applied only to those very bytes: if
//! the file changed meanwhile, nothing is written and doctor must be run again.

use std::collections::HashMap;
use std::ops::Range;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::document::Document;
use super::parse::{self, FileKind, Layout};
use super::{Loaded, Snapshot, Store, StoreError, Warning, commit, lint, lock, write};
use crate::domain::mask;
use crate::domain::profile::{ACCESS_KEY_ID, CREDENTIAL_KEYS};

/// What a repair is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixKind {
    /// Group or others may read a file holding secrets.
    OwnerOnly,
    /// A UTF-8 byte-order mark before the first line.
    Bom,
    /// A section header with whitespace before its `[`.
    IndentedHeader,
    /// A section that appears a second time, with no key set differently.
    DuplicateSection,
    /// A key with upper-case letters, which the JS SDK does not find.
    UpperCaseKey,
    /// A profile header with spaces the readers name differently: `[ a ]`, `[profile  a]`.
    HeaderSpaces,
    /// A region or output in double quotes, which only the Go SDK strips.
    QuotedValue,
    /// A `key: value` line, which the JS SDK drops and the Rust SDK refuses.
    ColonLine,
    /// A profile's key ID and secret (or token) in different files.
    SplitKeys,
    /// An indented comment that the Rust SDK reads as part of the value above it.
    IndentedComment,
    /// A profile name only the AWS CLI reads (`[profile "a"]`, `[profile 'a b']`),
    /// renamed to one every reader reads. Made only when asked for: it changes the name
    /// people type.
    PortableName,
}

impl FixKind {
    /// A phrase of the finding this kind repairs (see [`Fix::resolves`]); `None` when the
    /// finding's file and line say enough (a parse error names the indented line).
    fn finding_marker(self) -> Option<&'static str> {
        match self {
            FixKind::OwnerOnly => Some("readable by other users"),
            FixKind::Bom => Some(lint::BOM_FINDING),
            FixKind::IndentedHeader => None,
            FixKind::DuplicateSection => Some(lint::DUPLICATE_SECTION_FINDING),
            FixKind::UpperCaseKey => Some(lint::UPPER_CASE_KEY_FINDING),
            FixKind::HeaderSpaces => Some(lint::HEADER_SPACES_FINDING),
            FixKind::QuotedValue => Some(lint::QUOTED_VALUE_FINDING),
            FixKind::ColonLine => Some(lint::COLON_FINDING),
            FixKind::SplitKeys => Some(super::doctor::SPLIT_KEYS_FINDING),
            FixKind::IndentedComment => Some(lint::INDENTED_COMMENT_FINDING),
            FixKind::PortableName => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    Removed,
    Added,
}

/// One line of a repair's diff: a removed line numbered as in the file before, an added
/// one as in the file after. The text has secret values masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub sign: Sign,
    pub line: usize,
    pub text: String,
}

/// One repair, planned on the files as read.
pub struct Fix {
    pub kind: FixKind,
    pub file: FileKind,
    pub path: PathBuf,
    /// The 1-based line of the finding it repairs (none for a mode).
    pub line: Option<usize>,
    /// What it does, in a sentence.
    pub description: String,
    /// The lines it changes (empty for a mode change, which rewrites nothing).
    pub diff: Vec<DiffLine>,
    /// What it is about within its file, so that a fix planned again after another one
    /// can be recognized (line numbers may have moved).
    subject: String,
    action: Action,
}

/// Values may be secrets: `Debug` shows what a fix is, never the files' text.
impl std::fmt::Debug for Fix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fix")
            .field("kind", &self.kind)
            .field("path", &self.path)
            .field("line", &self.line)
            .field("description", &self.description)
            .finish_non_exhaustive()
    }
}

enum Action {
    Chmod {
        from: u32,
        to: u32,
    },
    /// Change the file's bytes, which must still be `before` (shared by the repairs of
    /// one file: a file of thousands of lines may need thousands of repairs).
    Rewrite {
        before: Original,
        change: Change,
    },
    /// Move lines within a file that parses, through [`Store::edit`].
    Merge {
        before: Zeroizing<String>,
        moves: Moves,
        after: Zeroizing<String>,
    },
    /// Rename a profile, through [`Store::edit`] (its `source_profile` references follow);
    /// both files must still be `before` (config's, then credentials').
    Rename {
        before: [Original; 2],
        from: String,
        to: String,
    },
    /// Move a profile's keys from config to credentials, through [`Store::edit`]; both
    /// files must still be `before` (config's, then credentials').
    Split {
        before: [Original; 2],
        split: SplitMove,
    },
}

/// A file's bytes as planned on.
type Original = std::sync::Arc<Zeroizing<String>>;

/// What a rewrite changes.
enum Change {
    /// The byte-order mark goes.
    DropBom,
    /// Line `index` (0-based) gets `text`, its ending kept.
    Line {
        index: usize,
        text: Zeroizing<String>,
    },
}

impl Change {
    /// The file's bytes after the change.
    fn after(&self, before: &str) -> Zeroizing<String> {
        match self {
            Change::DropBom => Zeroizing::new(before.trim_start_matches('\u{feff}').to_string()),
            Change::Line { index, text } => {
                Zeroizing::new(with_line(&Document::parse(before), *index, text))
            }
        }
    }
}

/// A split profile's config key lines, moved next to its keys in credentials.
struct SplitMove {
    /// The config lines taken away (0-based, one line each), in line order.
    removed: Vec<usize>,
    /// Where the moved keys go in credentials: after the key they belong with.
    into: usize,
    /// The moved keys as written there: `key = value`, the key lower-case.
    lines: Zeroizing<Vec<String>>,
}

impl SplitMove {
    fn apply(&self, config: &mut Document, credentials: &mut Document) {
        for &i in self.removed.iter().rev() {
            config.remove(i..i + 1);
        }
        credentials.insert(self.into, self.lines.to_vec());
    }
}

/// A merge as line operations on a document (0-based indices of the file as read).
struct Moves {
    /// Where the moved lines go: after the first section's last property.
    into: usize,
    /// The second section's lines kept, in order.
    moved: Vec<usize>,
    /// The second section's header and body, taken away.
    removed: Range<usize>,
}

impl Moves {
    fn apply(&self, doc: &mut Document) {
        let texts = self
            .moved
            .iter()
            .map(|&i| doc.text(i).to_string())
            .collect();
        // The second section comes after the first, so removing it first leaves `into`.
        doc.remove(self.removed.clone());
        doc.insert(self.into, texts);
    }
}

/// The repairs [`plan`] found, and the problems it found but will not repair (with why).
#[derive(Debug, Default)]
pub struct Plan {
    pub fixes: Vec<Fix>,
    pub refused: Vec<Warning>,
}

impl Fix {
    /// The lines it changes as people read a diff: `- 10 | old`, `+ 4 | new`, the line
    /// numbers in one column (values of secret keys already masked).
    pub fn diff_lines(&self, bar: char) -> Vec<String> {
        let width = self
            .diff
            .iter()
            .map(|d| d.line.to_string().len())
            .max()
            .unwrap_or(1);
        self.diff
            .iter()
            .map(|d| {
                let sign = match d.sign {
                    Sign::Removed => '-',
                    Sign::Added => '+',
                };
                format!("{sign} {:>width$} {bar} {}", d.line, d.text)
            })
            .collect()
    }

    /// Whether this is the repair `finding` (a doctor finding) asks for.
    pub fn resolves(&self, finding: &super::doctor::Finding) -> bool {
        let place = match self.line {
            Some(line) => format!("{} line {line}: ", self.path.display()),
            None => format!("{}: ", self.path.display()),
        };
        finding.message.starts_with(&place)
            && self
                .kind
                .finding_marker()
                .is_none_or(|marker| finding.message.contains(marker))
    }

    /// Whether `other` (planned again, after another repair) is the same repair.
    pub fn same_as(&self, other: &Fix) -> bool {
        (self.kind, self.file, &self.subject) == (other.kind, other.file, &other.subject)
    }

    /// Said after the repair, when how it was made matters.
    pub fn how(&self) -> Option<&'static str> {
        match self.action {
            Action::Chmod { .. } => {
                Some("changed with chmod on the file itself; its contents were not rewritten")
            }
            _ => None,
        }
    }
}

/// Every repair that can be made to the files as `snapshot` read them, credentials first.
pub fn plan(snapshot: &Snapshot) -> Plan {
    let mut plan = Plan::default();
    let layouts = [&snapshot.credentials, &snapshot.config].map(|l| parse::parse(&l.doc).ok());
    for (loaded, layout) in [&snapshot.credentials, &snapshot.config]
        .iter()
        .zip(&layouts)
    {
        let loaded = &Planned::of(loaded);
        let other = match loaded.kind {
            FileKind::Credentials => &layouts[1],
            FileKind::Config => &layouts[0],
        };
        plan.fixes.extend(owner_only(loaded));
        plan.fixes.extend(bom(loaded));
        plan.fixes.extend(indented_headers(loaded));
        plan.fixes.extend(colon_lines(loaded));
        // Sections can only be told apart in a file that parses; an indented header
        // fixed first may make it parse.
        if let Some(layout) = layout {
            duplicate_sections(loaded, layout, &mut plan);
            upper_case_keys(loaded, layout, other.as_ref(), &mut plan);
            spaced_headers(loaded, layout, &mut plan);
            plan.fixes.extend(quoted_values(loaded, layout));
            plan.fixes.extend(indented_comments(loaded, layout));
        }
    }
    if let [Some(credentials), Some(config)] = &layouts {
        split_keys(snapshot, config, credentials, &mut plan);
    }
    portable_names(snapshot, &mut plan);
    plan
}

/// Each profile only the AWS CLI reads, renamed to a name every reader reads: the same
/// name without its quotes, else its spaces and other characters turned into `-`. A
/// name that is taken is left to the finding (doctor says to rename it by hand).
fn portable_names(snapshot: &Snapshot, plan: &mut Plan) {
    let Ok(parsed) = snapshot.parse() else {
        return;
    };
    let set = parsed.profiles();
    for profile in &set.aws_cli_only {
        let from = profile.name.as_ref();
        let to = match profile.form {
            parse::NameForm::Quoted if crate::domain::validate::profile_name(from).is_ok() => {
                from.to_string()
            }
            _ => parse::portable_name(from),
        };
        if (to != from && set.profile(&to).is_some())
            || crate::domain::validate::profile_name(&to).is_err()
        {
            continue;
        }
        let mut editor =
            super::Editor::new(snapshot.config.copied(), snapshot.credentials.copied());
        if super::ops::rename(&mut editor, from, &to).is_err() {
            continue;
        }
        let Some(header) = profile.section.header else {
            continue;
        };
        let (here, there) = match header.file {
            FileKind::Config => (&editor.config, &editor.credentials),
            FileKind::Credentials => (&editor.credentials, &editor.config),
        };
        let also = match changed_line_numbers(there).as_slice() {
            [] => String::new(),
            lines => format!(
                " (and line {} of the {} file)",
                lines
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                there.kind.name()
            ),
        };
        plan.fixes.push(Fix {
            kind: FixKind::PortableName,
            file: header.file,
            path: here.path.clone(),
            line: Some(header.line()),
            description: format!(
                "rename `{from}`, a name the AWS SDKs skip, to `{to}`, which every reader reads{also}; `--profile {to}` is what works afterwards"
            ),
            diff: line_diff(here),
            subject: format!("name {from}"),
            action: Action::Rename {
                before: [&snapshot.config, &snapshot.credentials]
                    .map(|l| Original::new(Zeroizing::new(l.doc.original().to_string()))),
                from: from.to_string(),
                to,
            },
        });
    }
}

/// The 1-based numbers of the lines an in-memory edit of `loaded` replaced (a rename
/// replaces lines one for one).
fn changed_line_numbers(loaded: &Loaded) -> Vec<usize> {
    let Some(after) = loaded.changed_bytes() else {
        return Vec::new();
    };
    let after = String::from_utf8_lossy(&after);
    loaded
        .doc
        .original()
        .lines()
        .zip(after.lines())
        .enumerate()
        .filter(|(_, (old, new))| old != new)
        .map(|(i, _)| i + 1)
        .collect()
}

/// The removed and added lines of an in-memory edit that replaced lines one for one,
/// secret values masked.
fn line_diff(loaded: &Loaded) -> Vec<DiffLine> {
    let Some(after) = loaded.changed_bytes() else {
        return Vec::new();
    };
    let after = String::from_utf8_lossy(&after);
    let mut diff = Vec::new();
    for (i, (old, new)) in loaded.doc.original().lines().zip(after.lines()).enumerate() {
        if old != new {
            for (sign, text) in [(Sign::Removed, old), (Sign::Added, new)] {
                diff.push(DiffLine {
                    sign,
                    line: i + 1,
                    text: mask::mask_line(text),
                });
            }
        }
    }
    diff
}

/// A file being planned on, with its bytes copied once for all its rewrites.
struct Planned<'l> {
    loaded: &'l Loaded,
    before: Original,
}

impl<'l> Planned<'l> {
    fn of(loaded: &'l Loaded) -> Planned<'l> {
        Planned {
            loaded,
            before: Original::new(Zeroizing::new(loaded.doc.original().to_string())),
        }
    }
}

impl std::ops::Deref for Planned<'_> {
    type Target = Loaded;

    fn deref(&self) -> &Loaded {
        self.loaded
    }
}

/// Makes one repair planned by [`plan`]. Returns the file changed.
pub fn apply(store: &Store, fix: &Fix) -> Result<PathBuf, StoreError> {
    match &fix.action {
        Action::Chmod { from, to } => chmod(&fix.path, *from, *to),
        Action::Rewrite { before, change } => {
            rewrite(store, fix.file, before, &change.after(before))
        }
        Action::Merge {
            before,
            moves,
            after,
        } => merge(store, fix, before, moves, after),
        Action::Split { before, split } => move_split(store, fix, before, split),
        Action::Rename { before, from, to } => rename(store, fix, before, from, to),
    }
}

fn rename(
    store: &Store,
    fix: &Fix,
    before: &[Original; 2],
    from: &str,
    to: &str,
) -> Result<PathBuf, StoreError> {
    let (_, written) = store.edit(|editor| {
        for (file, planned) in [
            (&editor.config, &before[0]),
            (&editor.credentials, &before[1]),
        ] {
            if file.doc.original() != planned.as_str() {
                return Err(changed_since(&file.path));
            }
        }
        super::ops::rename(editor, from, to)
    })?;
    Ok(written
        .into_iter()
        .next()
        .unwrap_or_else(|| fix.path.clone()))
}

fn changed_since(path: &Path) -> StoreError {
    StoreError::Refused(format!(
        "{} changed since doctor read it; nothing was changed: run credwiz doctor --fix again",
        path.display()
    ))
}

/// Whether a file's lines set a secret key (lexically: the file need not parse).
fn holds_secrets(doc: &Document) -> bool {
    doc.texts().any(|line| {
        line.split_once('=')
            .is_some_and(|(key, _)| mask::is_secret_key(parse::trim_ws(key)))
    })
}

fn owner_only(loaded: &Loaded) -> Option<Fix> {
    let from = loaded.mode.filter(|m| m & 0o077 != 0)?;
    if loaded.kind == FileKind::Config && !holds_secrets(&loaded.doc) {
        return None;
    }
    let to = from & !0o077;
    Some(Fix {
        kind: FixKind::OwnerOnly,
        file: loaded.kind,
        path: loaded.path.clone(),
        line: None,
        description: format!(
            "make it readable by you only: mode {:03o} → {:03o} (chmod on the file; nothing is rewritten)",
            from & 0o777,
            to & 0o777
        ),
        diff: Vec::new(),
        subject: String::new(),
        action: Action::Chmod { from, to },
    })
}

/// What a line looks like in a diff: secret values masked (of a `key: value` line too).
fn shown(text: &str) -> String {
    if !text.contains('=')
        && let Some((key, value)) = text.split_once(':')
        && mask::is_secret_key(parse::trim_ws(key))
    {
        return format!("{key}: {}", mask::mask_secret(parse::trim_ws(value)));
    }
    mask::mask_line(text)
}

/// A repair that rewrites line `index` of a file as `text`, nothing else.
fn line_fix(
    loaded: &Planned,
    kind: FixKind,
    index: usize,
    text: String,
    description: String,
    subject: String,
) -> Fix {
    let line = index + 1;
    Fix {
        kind,
        file: loaded.kind,
        path: loaded.path.clone(),
        line: Some(line),
        description,
        diff: vec![
            DiffLine {
                sign: Sign::Removed,
                line,
                text: shown(loaded.doc.text(index)),
            },
            DiffLine {
                sign: Sign::Added,
                line,
                text: shown(&text),
            },
        ],
        subject,
        action: Action::Rewrite {
            before: loaded.before.clone(),
            change: Change::Line {
                index,
                text: Zeroizing::new(text),
            },
        },
    }
}

/// Subjects numbered by how often each occurs (`a#1`, `a#2`), so that a fix planned
/// again after another one is recognized though its line moved.
#[derive(Default)]
struct Subjects(std::collections::HashMap<String, usize>);

impl Subjects {
    fn next(&mut self, base: String) -> String {
        let n = self.0.entry(base.clone()).or_default();
        *n += 1;
        format!("{base}#{n}")
    }
}

/// `key: value` → `key = value`: the AWS CLI and Go read the line so already; JS and Rust
/// then read it (Rust reads the file at all).
fn colon_lines(loaded: &Planned) -> Vec<Fix> {
    let mut subjects = Subjects::default();
    lint::colon_lines(&loaded.doc)
        .map(|colon| {
            let line = colon.index + 1;
            line_fix(
                loaded,
                FixKind::ColonLine,
                colon.index,
                colon.portable(),
                format!(
                    "write `{}` at line {line} with `=` instead of `:`, as the AWS CLI and the Go SDK already read it",
                    colon.key
                ),
                subjects.next(colon.key.to_string()),
            )
        })
        .collect()
}

/// The name of the profile a section is (as the SDKs name it), if it is one.
fn profile_of<'a>(section: &parse::SectionLayout<'a>, file: FileKind) -> Option<&'a str> {
    match parse::section_role(section.raw_name, file) {
        parse::SectionRole::Profile { name, .. } => Some(name),
        _ => None,
    }
}

/// A file's sections by what the SDKs take them for: profiles by name, other sections
/// by their header. Built once, so that looking up a profile's sections stays cheap in a
/// file of thousands.
struct SectionIndex<'a> {
    profiles: HashMap<&'a str, Vec<usize>>,
    others: HashMap<&'a str, Vec<usize>>,
}

impl<'a> SectionIndex<'a> {
    fn of(layout: &Layout<'a>, file: FileKind) -> SectionIndex<'a> {
        let mut index = SectionIndex {
            profiles: HashMap::new(),
            others: HashMap::new(),
        };
        for (i, section) in layout.sections.iter().enumerate() {
            match profile_of(section, file) {
                Some(name) => index.profiles.entry(name).or_default().push(i),
                None => index.others.entry(section.raw_name).or_default().push(i),
            }
        }
        index
    }

    /// The sections that are `section` (of a file of `file`), as indices of this
    /// index's layout; another file's `[services x]` is not the same section.
    fn same(&self, section: &parse::SectionLayout, file: FileKind, same_file: bool) -> &[usize] {
        let found = match profile_of(section, file) {
            Some(name) => self.profiles.get(name),
            None if same_file => self.others.get(section.raw_name),
            None => None,
        };
        found.map_or(&[], Vec::as_slice)
    }
}

/// Upper-case keys lower-cased, where no other line of the profile sets the key (the
/// JS SDK would then read one where it read another, e.g. config's region over
/// credentials').
fn upper_case_keys(loaded: &Planned, layout: &Layout, other: Option<&Layout>, plan: &mut Plan) {
    let mut subjects = Subjects::default();
    let other_kind = match loaded.kind {
        FileKind::Config => FileKind::Credentials,
        FileKind::Credentials => FileKind::Config,
    };
    let mut indices = None;
    for section in &layout.sections {
        for prop in layout.props(section) {
            let Some(lower) = lint::lower_cased_key(prop.key) else {
                continue;
            };
            let (here, there) = indices.get_or_insert_with(|| {
                (
                    SectionIndex::of(layout, loaded.kind),
                    other.map(|o| SectionIndex::of(o, other_kind)),
                )
            });
            let sets_it = |l: &Layout, index: &SectionIndex, file| {
                index
                    .same(section, loaded.kind, file == loaded.kind)
                    .iter()
                    .flat_map(|&i| l.find(&l.sections[i], prop.key))
                    .filter(|p| p.line() != prop.line() || file != loaded.kind)
                    .map(|p| (file, p.line() + 1))
                    .next()
            };
            let elsewhere = sets_it(layout, here, loaded.kind).or_else(|| {
                other
                    .zip(there.as_ref())
                    .and_then(|(o, index)| sets_it(o, index, other_kind))
            });
            let line = prop.line() + 1;
            if let Some((file, at)) = elsewhere {
                plan.refused.push(Warning {
                    path: loaded.path.clone(),
                    line: Some(line),
                    message: format!(
                        "not lower-casing `{}`: the profile also sets `{lower}` in {} line {at}, which the JS SDK would then read differently; keep one of them, then run credwiz doctor --fix again",
                        prop.key,
                        file.name()
                    ),
                    refused: false,
                });
                continue;
            }
            let text = loaded.doc.text(prop.line());
            let rewritten = format!("{lower}{}", &text[prop.key.len()..]);
            plan.fixes.push(line_fix(
                loaded,
                FixKind::UpperCaseKey,
                prop.line(),
                rewritten,
                format!("write the key `{}` at line {line} in lower case, as the JS SDK looks it up (the others read both)", prop.key),
                subjects.next(format!("{}/{lower}", section.raw_name)),
            ));
        }
    }
}

/// `[ a ]` → `[a]`, `[profile  a]` → `[profile a]`, unless another section of the file
/// names the profile (the AWS CLI would then find a duplicate, or read another profile).
fn spaced_headers(loaded: &Planned, layout: &Layout, plan: &mut Plan) {
    let mut subjects = Subjects::default();
    let mut index = None;
    for section in &layout.sections {
        let Some(header) = lint::spaced_header(section, loaded.kind) else {
            continue;
        };
        let line = section.header() + 1;
        let index = index.get_or_insert_with(|| SectionIndex::of(layout, loaded.kind));
        // A header the rewritten one would repeat names the same profile.
        let taken = index
            .same(section, loaded.kind, true)
            .iter()
            .map(|&i| &layout.sections[i])
            .find(|s| s.header() != section.header());
        if let Some(other) = taken {
            plan.refused.push(Warning {
                path: loaded.path.clone(),
                line: Some(line),
                message: format!(
                    "not rewriting `[{}]` as `[{}]`: `[{}]` at line {} names the profile `{}` too; merge the two sections by hand, then run credwiz doctor --fix again",
                    header.written,
                    header.portable,
                    other.raw_name,
                    other.header() + 1,
                    header.name
                ),
                refused: false,
            });
            continue;
        }
        let text = loaded.doc.text(section.header());
        let open = text.find('[').unwrap_or(0);
        let close = open + 1 + header.written.len();
        let rewritten = format!(
            "{}[{}]{}",
            &text[..open],
            header.portable,
            &text[close + 1..]
        );
        plan.fixes.push(line_fix(
            loaded,
            FixKind::HeaderSpaces,
            section.header(),
            rewritten,
            format!(
                "write the header `[{}]` at line {line} as `[{}]`, the name every reader then reads as `{}`",
                header.written, header.portable, header.name
            ),
            subjects.next(header.written.to_string()),
        ));
    }
}

/// `region = "x"` → `region = x` (and `output`): what the Go SDK reads already, and the
/// only form the AWS CLI accepts. A line with an inline comment is left to the user.
fn quoted_values(loaded: &Planned, layout: &Layout) -> Vec<Fix> {
    let mut subjects = Subjects::default();
    let mut fixes = Vec::new();
    for section in &layout.sections {
        for prop in layout.props(section) {
            let quoted = [
                crate::domain::profile::REGION,
                crate::domain::profile::OUTPUT,
            ]
            .iter()
            .any(|k| prop.is(k));
            let Some(inner) = lint::unquoted(&prop.value).filter(|_| quoted) else {
                continue;
            };
            if prop.inline_comment || prop.end() != prop.line() + 1 {
                continue;
            }
            let text = loaded.doc.text(prop.line());
            let Some(eq) = text.find('=') else { continue };
            let Some(at) = text[eq..].find(prop.value.as_ref()).map(|i| eq + i) else {
                continue;
            };
            let rewritten = format!("{}{inner}{}", &text[..at], &text[at + prop.value.len()..]);
            let line = prop.line() + 1;
            fixes.push(line_fix(
                loaded,
                FixKind::QuotedValue,
                prop.line(),
                rewritten,
                format!(
                    "remove the quotes around `{}` at line {line}, as the Go SDK reads it (the AWS CLI refuses the quoted value)",
                    prop.key
                ),
                subjects.next(format!("{}/{}", section.raw_name, prop.normalized_key())),
            ));
        }
    }
    fixes
}

/// `region = x`, a blank line, `  # note` → `# note`: the AWS CLI, JS and Go read a
/// comment already; the Rust SDK then does too, and its `region` loses the comment.
fn indented_comments(loaded: &Planned, layout: &Layout) -> Vec<Fix> {
    let mut subjects = Subjects::default();
    let doc = &loaded.doc;
    layout
        .sections
        .iter()
        .flat_map(|section| layout.props(section).iter().map(move |p| (section, p)))
        .filter_map(|(section, prop)| {
            let index = lint::comment_continuation(doc, prop)?;
            let line = index + 1;
            Some(line_fix(
                loaded,
                FixKind::IndentedComment,
                index,
                doc.text(index).trim_start_matches(parse::WHITESPACE).to_string(),
                format!(
                    "remove the indentation of the comment at line {line}, which the Rust SDK reads as part of `{}` (line {})",
                    prop.key,
                    prop.line() + 1
                ),
                subjects.next(format!("{}/{}", section.raw_name, prop.normalized_key())),
            ))
        })
        .collect()
}

/// A profile's key lines in config moved next to its keys in credentials, as the
/// AWS CLI (which reads credentials' keys alone) and Go need them.
fn split_keys(snapshot: &Snapshot, config: &Layout, credentials: &Layout, plan: &mut Plan) {
    let profiles = super::view::ProfileSet::merge(config, credentials);
    let mut befores: Option<[Original; 2]> = None;
    for (name, section) in profiles.profiles.iter() {
        let Some(split) = super::doctor::SplitKeys::of(section) else {
            continue;
        };
        let prop_at = |layout: &'_ Layout, line: usize| {
            lint::prop_at(layout, line).map(|p| (p.end(), p.inline_comment, p.value.to_string()))
        };
        let first = split.in_config[0].1.line();
        let mut removed = Vec::new();
        let mut lines = Zeroizing::new(Vec::new());
        let mut unmovable = None;
        // Written in the usual order: key ID, secret, token.
        let mut in_order: Vec<_> = split.in_config.iter().collect();
        in_order.sort_by_key(|(key, _)| CREDENTIAL_KEYS.iter().position(|k| k == key));
        for (key, setting) in in_order {
            match prop_at(config, setting.line()) {
                Some((end, false, value)) if end == setting.line() => {
                    removed.push(setting.line() - 1);
                    lines.push(format!("{key} = {}", Zeroizing::new(value).as_str()));
                }
                _ => unmovable = Some((*key, setting.line())),
            }
        }
        if let Some((key, line)) = unmovable {
            plan.refused.push(Warning {
                path: snapshot.config.path.clone(),
                line: Some(line),
                message: format!(
                    "not moving profile `{name}`'s {key} to the credentials file: its line has an inline comment or goes on over indented lines; \
                     write it in the credentials file's `[{name}]` by hand, then run credwiz doctor --fix again"
                ),
                refused: false,
            });
            continue;
        }
        removed.sort_unstable();
        // Next to the first key credentials has: before it when the key ID comes.
        let anchor = split.in_credentials[0].1.line();
        let Some((end, _, _)) = prop_at(credentials, anchor) else {
            continue;
        };
        let moves_key_id = split.in_config.iter().any(|(k, _)| *k == ACCESS_KEY_ID);
        let into = if moves_key_id { anchor - 1 } else { end };
        let split_move = SplitMove {
            removed,
            into,
            lines,
        };
        let befores = befores.get_or_insert_with(|| {
            [&snapshot.config, &snapshot.credentials]
                .map(|l| Original::new(Zeroizing::new(l.doc.original().to_string())))
        });
        plan.fixes
            .push(split_fix(befores, snapshot, name, split_move, first));
    }
}

fn split_fix(
    befores: &[Original; 2],
    snapshot: &Snapshot,
    name: &str,
    split: SplitMove,
    first: usize,
) -> Fix {
    let (config, credentials) = (&snapshot.config, &snapshot.credentials);
    let mut diff: Vec<DiffLine> = split
        .removed
        .iter()
        .map(|&i| DiffLine {
            sign: Sign::Removed,
            line: i + 1,
            text: shown(config.doc.text(i)),
        })
        .collect();
    diff.extend(split.lines.iter().enumerate().map(|(k, text)| DiffLine {
        sign: Sign::Added,
        line: split.into + k + 1,
        text: shown(text),
    }));
    let keys: Vec<&str> = split
        .lines
        .iter()
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k))
        .collect();
    Fix {
        kind: FixKind::SplitKeys,
        file: FileKind::Config,
        path: config.path.clone(),
        line: Some(first),
        description: format!(
            "move profile `{name}`'s {} from {} (the lines marked -) to {} at line {} (marked +), next to its other keys",
            keys.join(", "),
            config.path.display(),
            credentials.path.display(),
            split.into + 1
        ),
        diff,
        subject: name.to_string(),
        action: Action::Split {
            before: befores.clone(),
            split,
        },
    }
}

fn bom(loaded: &Planned) -> Option<Fix> {
    let doc = &loaded.doc;
    if !doc.has_bom() {
        return None;
    }
    let first = doc.texts().next().unwrap_or("");
    Some(Fix {
        kind: FixKind::Bom,
        file: loaded.kind,
        path: loaded.path.clone(),
        line: Some(1),
        description: "remove the UTF-8 byte-order mark (3 invisible bytes, EF BB BF) before line 1"
            .to_string(),
        diff: vec![
            DiffLine {
                sign: Sign::Removed,
                line: 1,
                text: format!("<BOM>{}", shown(first)),
            },
            DiffLine {
                sign: Sign::Added,
                line: 1,
                text: shown(first),
            },
        ],
        subject: String::new(),
        action: Action::Rewrite {
            before: loaded.before.clone(),
            change: Change::DropBom,
        },
    })
}

/// A line that is a section header once its leading whitespace is gone.
fn is_indented_header(text: &str) -> bool {
    text.starts_with(parse::WHITESPACE) && parse::header_name(parse::trim_ws(text)).is_some()
}

fn indented_headers(loaded: &Planned) -> Vec<Fix> {
    let doc = &loaded.doc;
    let mut fixes = Vec::new();
    let mut seen = 0;
    for (index, text) in doc.texts().enumerate() {
        if !is_indented_header(text) {
            continue;
        }
        seen += 1;
        let trimmed = text.trim_start_matches(parse::WHITESPACE);
        let line = index + 1;
        fixes.push(Fix {
            kind: FixKind::IndentedHeader,
            file: loaded.kind,
            path: loaded.path.clone(),
            line: Some(line),
            description: format!(
                "remove the whitespace before the section header `{}` at line {line} (the SDKs read an indented line as part of the line above)",
                shown(trimmed)
            ),
            diff: vec![
                DiffLine {
                    sign: Sign::Removed,
                    line,
                    text: shown(text),
                },
                DiffLine {
                    sign: Sign::Added,
                    line,
                    text: shown(trimmed),
                },
            ],
            subject: format!("{trimmed}#{seen}"),
            action: Action::Rewrite {
                before: loaded.before.clone(),
                change: Change::Line {
                    index,
                    text: Zeroizing::new(trimmed.to_string()),
                },
            },
        });
    }
    fixes
}

/// The document's bytes with line `index`'s text replaced (its ending kept).
fn with_line(doc: &Document, index: usize, text: &str) -> String {
    let mut out = String::with_capacity(doc.original().len());
    if doc.has_bom() {
        out.push('\u{feff}');
    }
    for i in 0..doc.len() {
        out.push_str(if i == index { text } else { doc.text(i) });
        out.push_str(doc.ending(i).as_str());
    }
    out
}

/// Every section that repeats an earlier one (as the AWS CLI compares headers) is merged
/// into the first, unless a key is set in both to different values.
fn duplicate_sections(loaded: &Loaded, layout: &Layout, plan: &mut Plan) {
    let sections = &layout.sections;
    for (i, second) in sections.iter().enumerate() {
        let name = lint::configparser_header(second.header_text);
        let Some(first) = sections[..i]
            .iter()
            .find(|s| lint::configparser_header(s.header_text) == name)
        else {
            continue;
        };
        let nth = 1 + sections[..i]
            .iter()
            .filter(|s| lint::configparser_header(s.header_text) == name)
            .count();
        match merge_moves(layout, first, second) {
            Ok(moves) => plan.fixes.push(merge_fix(loaded, second, moves, nth)),
            Err(conflicts) => plan.refused.push(Warning {
                path: loaded.path.clone(),
                line: Some(second.header() + 1),
                message: format!(
                    "not merging the second `[{}]` into the first (line {}): {}; keep one of each, then run credwiz doctor --fix again",
                    second.raw_name,
                    first.header() + 1,
                    conflicts.join(", ")
                ),
                refused: false,
            }),
        }
    }
}

/// The lines of `second` to move after `first`'s last property: all but the keys `first`
/// already sets to the same value. A key set to another value is a conflict.
fn merge_moves(
    layout: &Layout,
    first: &parse::SectionLayout,
    second: &parse::SectionLayout,
) -> Result<Moves, Vec<String>> {
    let props = layout.props(second);
    let body_end = props.last().map_or(second.header() + 1, |p| p.end());
    let mut dropped: Vec<Range<usize>> = Vec::new();
    let mut conflicts = Vec::new();
    for prop in props {
        let Some(earlier) = layout.find(first, prop.key).last() else {
            continue;
        };
        let same = earlier.value == prop.value && !earlier.inline_comment && !prop.inline_comment;
        if same {
            dropped.push(prop.line()..prop.end());
        } else {
            conflicts.push(format!(
                "`{}` is set differently at lines {} and {}",
                prop.key,
                earlier.line() + 1,
                prop.line() + 1
            ));
        }
    }
    if !conflicts.is_empty() {
        return Err(conflicts);
    }
    let moved = (second.header() + 1..body_end)
        .filter(|i| !dropped.iter().any(|r| r.contains(i)))
        .collect();
    Ok(Moves {
        into: layout.insert_at(first),
        moved,
        removed: second.header()..body_end,
    })
}

fn merge_fix(loaded: &Loaded, second: &parse::SectionLayout, moves: Moves, nth: usize) -> Fix {
    let doc = &loaded.doc;
    let mut merged = Document::parse(doc.original());
    moves.apply(&mut merged);
    let mut diff: Vec<DiffLine> = moves
        .removed
        .clone()
        .map(|i| DiffLine {
            sign: Sign::Removed,
            line: i + 1,
            text: shown(doc.text(i)),
        })
        .collect();
    diff.extend(moves.moved.iter().enumerate().map(|(k, &i)| DiffLine {
        sign: Sign::Added,
        line: moves.into + k + 1,
        text: shown(doc.text(i)),
    }));
    // Added lines come first in the file: list them first.
    diff.sort_by_key(|d| (d.sign == Sign::Removed) as u8);
    let line = second.header() + 1;
    Fix {
        kind: FixKind::DuplicateSection,
        file: loaded.kind,
        path: loaded.path.clone(),
        line: Some(line),
        description: format!(
            "merge the second `[{}]` (line {line}) into the first, which sets none of its keys differently",
            second.raw_name
        ),
        diff,
        subject: format!("{}#{nth}", lint::configparser_header(second.header_text)),
        action: Action::Merge {
            before: Zeroizing::new(doc.original().to_string()),
            after: Zeroizing::new(merged.to_text()),
            moves,
        },
    }
}

fn chmod(path: &Path, from: u32, to: u32) -> Result<PathBuf, StoreError> {
    let failed = |e: std::io::Error| {
        StoreError::Refused(format!(
            "cannot change the mode of {}: {e}; run: chmod {:03o} {}",
            path.display(),
            to & 0o777,
            path.display()
        ))
    };
    let now = std::fs::metadata(path)
        .map_err(failed)?
        .permissions()
        .mode()
        & 0o7777;
    if now != from {
        return Err(changed_since(path));
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(to)).map_err(failed)?;
    Ok(path.to_path_buf())
}

/// A merge through the one door: the files must still be what was planned on.
fn merge(
    store: &Store,
    fix: &Fix,
    before: &str,
    moves: &Moves,
    after: &str,
) -> Result<PathBuf, StoreError> {
    let ((), written) = store.edit(|editor| {
        let file = match fix.file {
            FileKind::Config => &mut editor.config,
            FileKind::Credentials => &mut editor.credentials,
        };
        if file.doc.original() != before {
            return Err(changed_since(&fix.path));
        }
        moves.apply(&mut file.doc);
        if *Zeroizing::new(file.doc.to_text()) != after {
            return Err(StoreError::Check(format!(
                "the merge in {} did not give the planned lines",
                fix.path.display()
            )));
        }
        Ok(())
    })?;
    Ok(written
        .into_iter()
        .next()
        .unwrap_or_else(|| fix.path.clone()))
}

/// A split profile's keys moved through the one door: both files must still be what was
/// planned on.
fn move_split(
    store: &Store,
    fix: &Fix,
    before: &[Original; 2],
    split: &SplitMove,
) -> Result<PathBuf, StoreError> {
    let ((), written) = store.edit(|editor| {
        for (file, planned) in [
            (&editor.config, &before[0]),
            (&editor.credentials, &before[1]),
        ] {
            if file.doc.original() != planned.as_str() {
                return Err(changed_since(&file.path));
            }
        }
        split.apply(&mut editor.config.doc, &mut editor.credentials.doc);
        Ok(())
    })?;
    Ok(written
        .into_iter()
        .next()
        .unwrap_or_else(|| fix.path.clone()))
}

/// Replaces one file's bytes, which may not parse, as an edit replaces a file: with both
/// directories locked, only if the file still holds `before`, staged beside it and
/// renamed into place.
fn rewrite(
    store: &Store,
    kind: FileKind,
    before: &str,
    after: &str,
) -> Result<PathBuf, StoreError> {
    let targets = store.targets()?;
    let dirs = targets.clone().map(|t| write::dir_of(&t).to_path_buf());
    let waiting = |dir: &Path, holder: &super::Holder| {
        store.notify(super::warning(
            dir,
            format!("waiting for {holder} to finish…"),
        ));
    };
    let _locks = lock::DirLocks::acquire(&dirs, &waiting).map_err(|e| match e {
        lock::LockError::Io { dir, source } => StoreError::Lock { path: dir, source },
        lock::LockError::Busy { dir, holder } => StoreError::Busy { dir, holder },
    })?;
    let _ = store.recover_locked(&targets);
    let target = match kind {
        FileKind::Config => &targets[0],
        FileKind::Credentials => &targets[1],
    };
    let path = store.shown_path(&targets, target);
    let loaded = Loaded::read(kind, &path)?;
    if loaded.doc.original() != before {
        return Err(changed_since(&path));
    }
    let staged =
        write::stage(target, kind, after.as_bytes()).map_err(|cause| StoreError::CannotWrite {
            path: path.clone(),
            cause,
        })?;
    let still = || loaded.still_at(target);
    match commit::commit(vec![staged], &still).map_err(|f| store.commit_error(&targets, f))? {
        commit::Committed::Done => Ok(path),
        commit::Committed::TargetChanged => Err(changed_since(&path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(kind: FileKind, text: &str, mode: u32) -> Loaded {
        Loaded {
            kind,
            path: PathBuf::from(format!("/home/u/.aws/{}", kind.name())),
            existed: true,
            mode: Some(mode),
            links: 1,
            identity: None,
            doc: Document::parse(text),
        }
    }

    fn snapshot(config: &str, credentials: &str) -> Snapshot {
        Snapshot {
            config: loaded(FileKind::Config, config, 0o644),
            credentials: loaded(FileKind::Credentials, credentials, 0o600),
        }
    }

    fn after(fix: &Fix) -> String {
        match &fix.action {
            Action::Rewrite { before, change } => change.after(before).to_string(),
            Action::Merge { after, .. } => after.to_string(),
            Action::Split { before, split } => {
                let [mut config, mut credentials] = before.each_ref().map(|b| Document::parse(b));
                split.apply(&mut config, &mut credentials);
                format!("{}|{}", config.to_text(), credentials.to_text())
            }
            Action::Chmod { .. } => panic!("a mode change rewrites nothing"),
            Action::Rename { .. } => panic!("a rename is made through the store"),
        }
    }

    #[test]
    fn a_clean_pair_of_files_needs_no_fix() {
        let plan = plan(&snapshot("[profile a]\nregion = x\n", "[a]\nk = v\n"));
        assert!(plan.fixes.is_empty() && plan.refused.is_empty(), "{plan:?}");
    }

    #[test]
    fn the_bom_goes_and_nothing_else_changes() {
        let plan = plan(&snapshot("\u{feff}[default]\r\nregion = x\r\n", ""));
        let [fix] = plan.fixes.as_slice() else {
            panic!("{plan:?}")
        };
        assert_eq!(fix.kind, FixKind::Bom);
        assert_eq!(after(fix), "[default]\r\nregion = x\r\n");
        assert_eq!(fix.diff[0].text, "<BOM>[default]");
    }

    #[test]
    fn only_the_whitespace_before_an_indented_header_goes() {
        let text = "[default]\r\nregion = x\r\n\t [profile b] # c\r\nregion = y";
        let plan = plan(&snapshot(text, ""));
        let [fix] = plan.fixes.as_slice() else {
            panic!("{plan:?}")
        };
        assert_eq!(fix.line, Some(3));
        assert_eq!(
            after(fix),
            "[default]\r\nregion = x\r\n[profile b] # c\r\nregion = y"
        );
    }

    #[test]
    fn a_duplicate_section_is_merged_into_the_first_with_identical_keys_dropped() {
        let credentials = "[a]\naws_access_key_id = AKIA\n# about b\n[b]\nregion = x\n\n[a]\n# note\naws_secret_access_key = SECRETSECRET\naws_access_key_id = AKIA\n\n[c]\n";
        let plan = plan(&snapshot("", credentials));
        let [fix] = plan.fixes.as_slice() else {
            panic!("{plan:?}")
        };
        assert_eq!(
            after(fix),
            "[a]\naws_access_key_id = AKIA\n# note\naws_secret_access_key = SECRETSECRET\n# about b\n[b]\nregion = x\n\n\n[c]\n"
        );
        let shown: Vec<String> = fix
            .diff
            .iter()
            .map(|d| format!("{:?} {} {}", d.sign, d.line, d.text))
            .collect();
        assert!(
            shown.iter().all(|l| !l.contains("SECRETSECRET")),
            "{shown:?}"
        );
        assert!(shown.contains(&"Removed 7 [a]".to_string()), "{shown:?}");
        assert!(shown.contains(&"Added 3 # note".to_string()), "{shown:?}");
    }

    #[test]
    fn a_key_set_differently_in_both_sections_stops_the_merge_and_is_named() {
        let plan = plan(&snapshot("", "[a]\nregion = x\n[a]\nregion = y\n"));
        assert!(plan.fixes.is_empty(), "{plan:?}");
        let message = &plan.refused[0].message;
        assert!(
            message.contains("`region` is set differently at lines 2 and 4"),
            "{message}"
        );
    }

    #[test]
    fn a_readable_config_needs_a_fix_only_when_it_holds_secrets() {
        assert!(
            plan(&snapshot("[default]\nregion = x\n", ""))
                .fixes
                .is_empty()
        );
        let plan = plan(&snapshot("[default]\naws_secret_access_key = s\n", ""));
        assert_eq!(plan.fixes[0].kind, FixKind::OwnerOnly);
        assert!(matches!(
            plan.fixes[0].action,
            Action::Chmod {
                from: 0o644,
                to: 0o600
            }
        ));
    }

    #[test]
    fn a_fix_knows_the_finding_it_repairs() {
        use crate::store::doctor::{Finding, Severity};
        let snapshot = snapshot("", "[a]\nk = 1\n[a]\nj = 2\n");
        let plan = plan(&snapshot);
        let finding = |line, message: &str| {
            Finding::from(Warning {
                path: snapshot.credentials.path.clone(),
                line,
                message: message.to_string(),
                refused: true,
            })
        };
        let fix = &plan.fixes[0];
        assert!(fix.resolves(&finding(Some(3), "section `[a]` appears twice; …")));
        assert!(!fix.resolves(&finding(Some(1), "section `[a]` appears twice; …")));
        assert!(!fix.resolves(&finding(Some(3), "`k` is set twice in `[a]`")));
        let other = Finding {
            severity: Severity::Warning,
            message: "AWS_PROFILE=x is set".into(),
        };
        assert!(!fix.resolves(&other));
    }

    fn kinds(plan: &Plan) -> Vec<FixKind> {
        plan.fixes.iter().map(|f| f.kind).collect()
    }

    #[test]
    fn an_upper_case_key_is_lowered_unless_the_profile_sets_it_elsewhere() {
        let plan = plan(&snapshot(
            "[profile a]\r\nRegion = x # c\r\n[profile b]\r\nREGION = y\r\n",
            "[b]\nregion = z\n",
        ));
        assert_eq!(kinds(&plan), [FixKind::UpperCaseKey]);
        assert_eq!(
            after(&plan.fixes[0]),
            "[profile a]\r\nregion = x # c\r\n[profile b]\r\nREGION = y\r\n"
        );
        assert!(
            plan.refused[0]
                .message
                .contains("also sets `region` in credentials line 2"),
            "{plan:?}"
        );
    }

    #[test]
    fn a_spaced_header_keeps_its_comment_and_is_left_when_another_section_names_it() {
        let plan = plan(&snapshot("", "[ a ] # mine\nk = 1\n[ b ]\n[b]\n"));
        assert_eq!(kinds(&plan), [FixKind::HeaderSpaces]);
        assert_eq!(after(&plan.fixes[0]), "[a] # mine\nk = 1\n[ b ]\n[b]\n");
        assert!(
            plan.refused[0].message.contains("`[b]` at line 4"),
            "{plan:?}"
        );
    }

    #[test]
    fn quotes_go_from_region_and_output_only_and_not_beside_an_inline_comment() {
        let plan = plan(&snapshot(
            "[default]\nregion =  \"x\"  \noutput = \"json\" # c\nca_bundle = \"/p\"\n",
            "",
        ));
        assert_eq!(kinds(&plan), [FixKind::QuotedValue]);
        assert_eq!(
            after(&plan.fixes[0]),
            "[default]\nregion =  x  \noutput = \"json\" # c\nca_bundle = \"/p\"\n"
        );
    }

    #[test]
    fn split_keys_move_to_credentials_with_nothing_else_changed() {
        let config = "[profile a]\nregion = x\nAWS_SECRET_ACCESS_KEY = SECRETSECRET\naws_session_token = TOKENTOKEN\n";
        let credentials = "[a]\naws_access_key_id = AKIA\n# end\n";
        let plan = plan(&snapshot(config, credentials));
        let fix = plan
            .fixes
            .iter()
            .find(|f| f.kind == FixKind::SplitKeys)
            .expect("a move");
        assert_eq!(
            after(fix),
            "[profile a]\nregion = x\n|[a]\naws_access_key_id = AKIA\naws_secret_access_key = SECRETSECRET\naws_session_token = TOKENTOKEN\n# end\n"
        );
        assert_eq!(fix.line, Some(3));
        let shown: Vec<&str> = fix.diff.iter().map(|d| d.text.as_str()).collect();
        assert!(
            shown
                .iter()
                .all(|t| !t.contains("SECRETSECRET") && !t.contains("TOKENTOKEN")),
            "{shown:?}"
        );
    }

    #[test]
    fn a_split_key_with_an_inline_comment_is_not_moved() {
        let plan = plan(&snapshot(
            "[profile a]\naws_secret_access_key = s # old\n",
            "[a]\naws_access_key_id = AKIA\n",
        ));
        assert_eq!(kinds(&plan), [FixKind::OwnerOnly], "config holds a secret");
        assert!(
            plan.refused[0]
                .message
                .contains("not moving profile `a`'s aws_secret_access_key")
        );
    }
}
