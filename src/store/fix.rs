//! What `credwiz doctor --fix` repairs: what can be repaired without guessing. [`plan`] is
//! pure: it looks at both files as read (bytes and mode) and says, for each repair, what
//! it does and which lines it changes (secrets masked). [`apply`] makes one repair
//! through the store: a duplicate section is merged through [`Store::edit`]; a BOM and an
//! indented header, which the parser may refuse, are rewritten through the same lock,
//! staging and commit an edit uses; a mode is changed with chmod on the file itself.
//! Each repair is planned on the file as read and applied only to those very bytes: if
//! the file changed meanwhile, nothing is written and doctor must be run again.

use std::ops::Range;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::document::Document;
use super::parse::{self, FileKind, Layout};
use super::{Loaded, Snapshot, Store, StoreError, Warning, commit, lint, lock, write};
use crate::domain::mask;

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
    /// Replace the file's bytes, which must still be `before`.
    Rewrite {
        before: Zeroizing<String>,
        after: Zeroizing<String>,
    },
    /// Move lines within a file that parses, through [`Store::edit`].
    Merge {
        before: Zeroizing<String>,
        moves: Moves,
        after: Zeroizing<String>,
    },
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
    for loaded in [&snapshot.credentials, &snapshot.config] {
        plan.fixes.extend(owner_only(loaded));
        plan.fixes.extend(bom(loaded));
        plan.fixes.extend(indented_headers(loaded));
        // Sections can only be told apart in a file that parses; an indented header
        // fixed first may make it parse.
        if let Ok(layout) = parse::parse(&loaded.doc) {
            duplicate_sections(loaded, &layout, &mut plan);
        }
    }
    plan
}

/// Makes one repair planned by [`plan`]. Returns the file changed.
pub fn apply(store: &Store, fix: &Fix) -> Result<PathBuf, StoreError> {
    match &fix.action {
        Action::Chmod { from, to } => chmod(&fix.path, *from, *to),
        Action::Rewrite { before, after } => rewrite(store, fix.file, before, after),
        Action::Merge {
            before,
            moves,
            after,
        } => merge(store, fix, before, moves, after),
    }
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

/// What a line looks like in a diff: secret values masked, a BOM named.
fn shown(text: &str) -> String {
    mask::mask_line(text)
}

fn bom(loaded: &Loaded) -> Option<Fix> {
    let doc = &loaded.doc;
    if !doc.has_bom() {
        return None;
    }
    let original = doc.original();
    let after = Zeroizing::new(original.trim_start_matches('\u{feff}').to_string());
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
            before: Zeroizing::new(original.to_string()),
            after,
        },
    })
}

/// A line that is a section header once its leading whitespace is gone.
fn is_indented_header(text: &str) -> bool {
    text.starts_with(parse::WHITESPACE) && parse::header_name(parse::trim_ws(text)).is_some()
}

fn indented_headers(loaded: &Loaded) -> Vec<Fix> {
    let doc = &loaded.doc;
    let original = doc.original();
    let mut fixes = Vec::new();
    let mut seen = 0;
    for (index, text) in doc.texts().enumerate() {
        if !is_indented_header(text) {
            continue;
        }
        seen += 1;
        let trimmed = text.trim_start_matches(parse::WHITESPACE);
        let after = with_line(doc, index, trimmed);
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
                before: Zeroizing::new(original.to_string()),
                after: Zeroizing::new(after),
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
            Action::Rewrite { after, .. } | Action::Merge { after, .. } => after.to_string(),
            Action::Chmod { .. } => panic!("a mode change rewrites nothing"),
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
}
