//! The AWS config and credentials files: locate, parse, edit and write them, losslessly
//! and safely. Knows nothing of any user interface.
//!
//! Reading: [`Store::load`] gives a [`Snapshot`]. Editing goes through one door,
//! [`Store::edit`]: lock both directories, finish what a killed credwiz left, re-read both
//! files, let the caller change them through an [`Editor`], check that the result still
//! parses and holds what was set, stage every changed file (written and fsynced beside
//! its target), check that nobody wrote the files meanwhile (else redo the edit on what
//! they wrote), then commit: rename the staged files into place, with an intent record
//! that makes the renames one step (`commit.rs`). Any error before the commit leaves
//! both files byte-identical. What the user should hear about (a lock that takes long,
//! a completed interrupted commit, a file that is world-readable or has hard links)
//! goes to the store's notice sink.

pub mod caches;
mod commit;
pub mod doctor;
pub mod document;
pub mod edit;
mod editor;
pub mod error;
pub mod file;
pub mod fix;
mod hash;
pub mod lint;
pub mod locate;
pub(crate) mod lock;
pub mod ops;
pub mod parse;
pub mod profiles;
pub mod protected;
pub mod view;
pub mod write;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use document::Document;
pub use editor::Editor;
pub use error::{StoreError, WriteCause};
use locate::{Env, Locations};
pub use lock::Holder;
use parse::{FileKind, Layout};
use view::{Notice, ProfileSet};

use zeroize::Zeroizing;

use crate::domain::mask;

/// A profile's settings as owned (key, value) pairs, keys lower-cased, sorted by key.
pub type OwnedSettings = Vec<(String, Zeroizing<String>)>;

/// One file as read: its path, permissions and lossless document.
pub struct Loaded {
    pub kind: FileKind,
    pub path: PathBuf,
    pub existed: bool,
    pub mode: Option<u32>,
    /// Hard links to the file (a commit replaces it, so the other names keep the old bytes).
    pub links: u64,
    /// What the file was when read; `None` when there was none (or it is `/dev/null`).
    identity: Option<file::Identity>,
    pub doc: Document,
}

impl Loaded {
    fn read(kind: FileKind, path: &Path) -> Result<Loaded, StoreError> {
        let contents = file::read(path).map_err(|e| match e {
            file::ReadError::NotAFile(what) => StoreError::NotAFile {
                path: path.to_path_buf(),
                kind,
                what,
            },
            file::ReadError::TooLarge(size) => StoreError::TooLarge {
                path: path.to_path_buf(),
                kind,
                size,
            },
            file::ReadError::Io(source) => StoreError::Read {
                path: path.to_path_buf(),
                source,
            },
        })?;
        let existed = contents.is_some();
        let (bytes, meta) = contents.map_or((Vec::new(), None), |c| (c.bytes, c.meta));
        let doc = Document::from_vec(bytes).map_err(|e| StoreError::NotUtf8 {
            path: path.to_path_buf(),
            line: e.line,
        })?;
        Ok(Loaded {
            kind,
            path: path.to_path_buf(),
            existed,
            mode: meta.as_ref().map(|m| m.mode() & 0o7777),
            links: meta.as_ref().map_or(1, |m| m.nlink()),
            identity: meta.as_ref().map(file::Identity::of),
            doc,
        })
    }

    /// The SDKs' reading of the file; an error names the file and line.
    /// A copy to edit in memory (a fresh document of the same text).
    pub(super) fn copied(&self) -> Loaded {
        Loaded {
            kind: self.kind,
            path: self.path.clone(),
            existed: self.existed,
            mode: self.mode,
            links: self.links,
            identity: self.identity,
            doc: Document::parse(self.doc.original()),
        }
    }

    pub fn parse(&self) -> Result<Layout<'_>, StoreError> {
        parse::parse(&self.doc).map_err(|error| StoreError::Parse {
            path: self.path.clone(),
            error,
        })
    }

    /// After credwiz's own edits the file must still parse; if not, that is a bug.
    fn parse_checked(&self) -> Result<Layout<'_>, StoreError> {
        parse::parse(&self.doc).map_err(|error| {
            StoreError::Check(format!(
                "{} would not parse at line {}",
                self.path.display(),
                error.line
            ))
        })
    }

    /// Only the sections holding `profile`, for planning an edit (the whole file was
    /// checked when it was read).
    fn parse_profile(&self, profile: &str) -> Result<Layout<'_>, StoreError> {
        parse::parse_where(&self.doc, |raw| {
            edit::names_profile(raw, self.kind, profile)
        })
        .map_err(|error| {
            StoreError::Check(format!(
                "{} would not parse at line {}",
                self.path.display(),
                error.line
            ))
        })
    }

    fn changed_bytes(&self) -> Option<Zeroizing<Vec<u8>>> {
        let text = Zeroizing::new(self.doc.to_text());
        (*text != self.doc.original()).then(|| Zeroizing::new(text.as_bytes().to_vec()))
    }

    /// Whether the file at `target` is still exactly what was read: no other program
    /// wrote it since (the AWS CLI writes in place and takes no lock).
    fn unchanged_at(&self, target: &Path) -> bool {
        match self.identity {
            Some(was) => file::holds(target, was, self.doc.original().as_bytes()),
            None => file::read(target).is_ok_and(|now| now.is_none_or(|c| c.meta.is_none())),
        }
    }

    /// Whether `target` is still the file that was read, by its identity alone (a
    /// `stat`): the last check before a rename.
    fn still_at(&self, target: &Path) -> bool {
        let now = std::fs::metadata(target)
            .ok()
            .map(|m| file::Identity::of(&m));
        now == self.identity
    }
}

/// Both files as read. [`Snapshot::parse`] reads them as the SDKs do.
pub struct Snapshot {
    pub config: Loaded,
    pub credentials: Loaded,
}

impl Snapshot {
    pub fn parse(&self) -> Result<Parsed<'_>, StoreError> {
        Ok(Parsed {
            snapshot: self,
            config: self.config.parse()?,
            credentials: self.credentials.parse()?,
        })
    }

    fn file(&self, kind: FileKind) -> &Loaded {
        match kind {
            FileKind::Config => &self.config,
            FileKind::Credentials => &self.credentials,
        }
    }
}

/// Both files parsed; the merged profiles and the warnings derive from this.
pub struct Parsed<'a> {
    snapshot: &'a Snapshot,
    pub config: Layout<'a>,
    pub credentials: Layout<'a>,
}

/// The lines one file would get from an edit: (1-based line number, text with any
/// secret masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub path: PathBuf,
    pub lines: Vec<(usize, String)>,
}

/// A problem that does not stop credwiz but that the user should see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
    /// The AWS CLI refuses to read the file until this is fixed.
    pub refused: bool,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} line {line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl<'a> Parsed<'a> {
    /// The profiles as the SDKs merge them (credentials over config).
    pub fn profiles(&self) -> ProfileSet<'_> {
        ProfileSet::merge(&self.config, &self.credentials)
    }

    pub fn path(&self, kind: FileKind) -> &'a Path {
        &self.snapshot.file(kind).path
    }

    /// Everything worth a warning: what the SDKs skip, what the AWS CLI reads
    /// differently, and a credentials file readable by others. Sorted by file and line.
    pub fn warnings(&self, profiles: &ProfileSet) -> Vec<Warning> {
        let mut notices: Vec<Notice> = profiles.notices.clone();
        for (loaded, layout) in [
            (&self.snapshot.config, &self.config),
            (&self.snapshot.credentials, &self.credentials),
        ] {
            notices.extend(lint::botocore_notices(
                &loaded.doc,
                layout,
                loaded.kind,
                lint::Checks::All,
            ));
        }
        let mut warnings: Vec<Warning> = notices
            .into_iter()
            .map(|n| Warning {
                path: self.path(n.file).to_path_buf(),
                line: n.line,
                message: n.message,
                refused: n.refused,
            })
            .collect();
        let snapshot = self.snapshot;
        warnings.extend(world_readable(&snapshot.credentials, ""));
        for loaded in [&snapshot.config, &snapshot.credentials] {
            warnings.extend(hard_links(loaded, "editing it"));
        }
        warnings.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        warnings
    }
}

fn warning(path: &Path, message: String) -> Warning {
    Warning {
        path: path.to_path_buf(),
        line: None,
        message,
        refused: false,
    }
}

/// A credentials file others can read; `now` says what it holds now, after a write.
fn world_readable(credentials: &Loaded, now: &str) -> Option<Warning> {
    let mode = credentials.mode.filter(|m| m & 0o077 != 0)?;
    Some(warning(
        &credentials.path,
        format!(
            "readable by other users (mode {:03o}){now}; run: chmod 600 {}",
            mode & 0o777,
            credentials.path.display()
        ),
    ))
}

/// A file with other names: replacing it (as every write does) leaves them the old bytes.
fn hard_links(loaded: &Loaded, when: &str) -> Option<Warning> {
    let links = loaded.links;
    (links > 1).then(|| {
        warning(
            &loaded.path,
            format!(
                "has {} other hard {}, which {} the old contents when credwiz replaces the file ({when}); \
                 find them with: find / -xdev -samefile {}",
                links - 1,
                if links == 2 { "link" } else { "links" },
                if links == 2 { "keeps" } else { "keep" },
                loaded.path.display()
            ),
        )
    })
}

/// How many times an edit is redone when another program writes a file meanwhile.
const ATTEMPTS: usize = 5;

/// Both files and what credwiz tells the user while it works on them.
pub struct Store {
    pub locations: Locations,
    notices: Notices,
    /// Every secret of both files as the last edit wrote them.
    written_secrets: Mutex<Option<crate::domain::redact::Redactor>>,
}

type Sink = Box<dyn Fn(&Warning) + Send + Sync>;

/// Where notices go: to a live sink (the CLI prints them at once), or kept until
/// [`Store::take_notices`] (the screens show them after the action).
#[derive(Default)]
struct Notices {
    sink: Option<Sink>,
    kept: Mutex<Vec<Warning>>,
}

impl Store {
    /// The files the environment names. A relative path is taken relative to the working
    /// directory, as the SDKs do, and made absolute here so that every message and lock
    /// names a real directory.
    pub fn from_env() -> Result<Store, StoreError> {
        let mut locations = locate::locate(&Env::process())?;
        for path in [&mut locations.config, &mut locations.credentials] {
            if path.is_relative()
                && let Ok(absolute) = std::path::absolute(&*path)
            {
                *path = absolute;
            }
        }
        Ok(Store::with(locations))
    }

    pub fn at(config: PathBuf, credentials: PathBuf) -> Store {
        Store::with(Locations {
            config,
            credentials,
            profile: "default".into(),
        })
    }

    fn with(locations: Locations) -> Store {
        Store {
            locations,
            notices: Notices::default(),
            written_secrets: Mutex::new(None),
        }
    }

    /// Sends every notice to `sink` as it happens.
    pub fn on_notice(mut self, sink: impl Fn(&Warning) + Send + Sync + 'static) -> Store {
        self.notices.sink = Some(Box::new(sink));
        self
    }

    /// The notices kept since the last call (none when a sink is set).
    pub fn take_notices(&self) -> Vec<Warning> {
        std::mem::take(&mut *self.notices.kept.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Every secret access key and session token of both files as the last
    /// [`Store::edit`] wrote them (taken: a second call gives `None`), so that what is
    /// printed after an edit can be masked without reading the files again.
    pub fn take_written_secrets(&self) -> Option<crate::domain::redact::Redactor> {
        self.lock_secrets().take()
    }

    fn lock_secrets(&self) -> std::sync::MutexGuard<'_, Option<crate::domain::redact::Redactor>> {
        self.written_secrets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    fn notify(&self, warning: Warning) {
        match &self.notices.sink {
            Some(sink) => sink(&warning),
            None => self
                .notices
                .kept
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(warning),
        }
    }

    /// Reads both files (a missing file reads as empty). Parse with [`Snapshot::parse`].
    pub fn load(&self) -> Result<Snapshot, StoreError> {
        Ok(Snapshot {
            config: Loaded::read(FileKind::Config, &self.locations.config)?,
            credentials: Loaded::read(FileKind::Credentials, &self.locations.credentials)?,
        })
    }

    /// The files the two paths finally name (symlinks followed).
    fn targets(&self) -> Result<[PathBuf; 2], StoreError> {
        let resolve = |p: &PathBuf| {
            write::resolve(p).map_err(|source| StoreError::Read {
                path: p.clone(),
                source,
            })
        };
        Ok([
            resolve(&self.locations.config)?,
            resolve(&self.locations.credentials)?,
        ])
    }

    /// Finishes what a credwiz that was killed left behind: completes an interrupted
    /// commit (or reports that it cannot) and removes its temp files. Cheap when there is
    /// nothing (one look at each directory); never waits for a live credwiz. Every
    /// command runs it first, read-only ones too. Returns what could not be cleaned up
    /// (`refused` when the files may be out of step); a completed commit is a notice.
    pub fn recover(&self) -> Vec<Warning> {
        let Ok(targets) = self.targets() else {
            return Vec::new();
        };
        if !commit::anything_left(&targets) {
            return Vec::new();
        }
        let dirs = targets.clone().map(|t| write::dir_of(&t).to_path_buf());
        match lock::DirLocks::try_acquire(&dirs) {
            Ok(Some(_locks)) => self.recover_locked(&targets),
            _ => Vec::new(),
        }
    }

    /// With the locks held: recovers, tells what was done, returns what is left.
    fn recover_locked(&self, targets: &[PathBuf]) -> Vec<Warning> {
        let found = commit::recover(targets);
        let shown = |target: &Path| self.shown_path(targets, target);
        if let Some(first) = found.completed.first() {
            let others: Vec<String> = targets
                .iter()
                .filter(|t| *t != first)
                .map(|t| shown(t).display().to_string())
                .collect();
            self.notify(warning(
                &shown(first),
                format!(
                    "a credwiz was stopped between writing this file and {}; credwiz completed its change, so both files hold it",
                    others.join(" and ")
                ),
            ));
        }
        let mut left: Vec<Warning> = found
            .lost
            .iter()
            .map(|target| {
                warning(
                    &shown(target),
                    format!(
                        "a credwiz was stopped while writing this file and the new version was lost, \
                         so it may not match the other file; check both, then remove {}",
                        write::dir_of(target).join(commit::INTENT_NAME).display()
                    ),
                )
            })
            .map(|w| Warning { refused: true, ..w })
            .collect();
        left.extend(found.unreadable.iter().map(|record| {
            warning(
                record,
                "an unreadable record of an interrupted credwiz change; check both files, then remove it"
                    .to_string(),
            )
        }).map(|w| Warning { refused: true, ..w }));
        left.extend(found.left.iter().map(|(temp, why)| {
            warning(
                temp,
                format!(
                    "a temporary file left by a credwiz that was stopped (it may hold secrets) \
                     could not be removed ({why}); remove it: rm {}",
                    temp.display()
                ),
            )
        }));
        left
    }

    /// The path as the user gave it, for one of `targets` (see [`Store::targets`]).
    fn shown_path(&self, targets: &[PathBuf], target: &Path) -> PathBuf {
        match targets {
            [config, _] if config == target => self.locations.config.clone(),
            [_, credentials] if credentials == target => self.locations.credentials.clone(),
            _ => target.to_path_buf(),
        }
    }

    /// What `change` would write, without writing: for each file that would change,
    /// the lines that would be written, secrets masked. Errors are the ones
    /// [`Store::edit`] would give.
    pub fn preview<T>(
        &self,
        change: impl FnOnce(&mut Editor) -> Result<T, StoreError>,
    ) -> Result<Vec<Preview>, StoreError> {
        self.dry_run(change).map(|(_, preview)| preview)
    }

    /// Reads both files (which must parse), lets `change` edit them in memory, and checks
    /// the result. Nothing is written here.
    fn run_change<T>(
        &self,
        change: impl FnOnce(&mut Editor) -> Result<T, StoreError>,
    ) -> Result<(Editor, T, editor::Checked), StoreError> {
        let mut editor = Editor::new(
            Loaded::read(FileKind::Config, &self.locations.config)?,
            Loaded::read(FileKind::Credentials, &self.locations.credentials)?,
        );
        for file in [&editor.config, &editor.credentials] {
            // An edit scans the files several times: index their lines once.
            file.doc.index_lines();
        }
        // The files are not parsed whole before the edit: every line of theirs is parsed
        // either by the check (the lines the edit left) or while planning the edit (the
        // sections it changes). Only when something fails are they parsed as read, so
        // that a file that does not parse gets its own error, whatever the edit ran into.
        let outcome = change(&mut editor).and_then(|value| Ok((value, editor.check()?)));
        match outcome {
            Ok((value, checked)) => Ok((editor, value, checked)),
            Err(error) => Err(editor.original_parse_error().unwrap_or(error)),
        }
    }

    /// Like [`Store::preview`], also returning what `change` returned.
    pub fn dry_run<T>(
        &self,
        change: impl FnOnce(&mut Editor) -> Result<T, StoreError>,
    ) -> Result<(T, Vec<Preview>), StoreError> {
        let (editor, value, _) = self.run_change(change)?;
        let previews = [&editor.credentials, &editor.config]
            .into_iter()
            .filter(|loaded| loaded.changed_bytes().is_some())
            .map(|loaded| Preview {
                path: loaded.path.clone(),
                lines: loaded
                    .doc
                    .edited_lines()
                    .map(|(i, text)| (i + 1, mask::mask_line(text)))
                    .collect(),
            })
            .collect();
        Ok((value, previews))
    }

    /// The one door for changes. `change` edits through the [`Editor`]; if it succeeds
    /// and the result checks out, the changed files are replaced together. `change` may
    /// run more than once: when another program writes a file during the edit, the edit
    /// is redone on what it wrote. Returns the closure's value and the files written.
    pub fn edit<T>(
        &self,
        mut change: impl FnMut(&mut Editor) -> Result<T, StoreError>,
    ) -> Result<(T, Vec<PathBuf>), StoreError> {
        let targets = self.targets()?;
        let dirs = targets.clone().map(|t| write::dir_of(&t).to_path_buf());
        let mut created = Vec::new();
        for dir in &dirs {
            created.extend(write::create_dir(dir).map_err(|e| StoreError::CannotWrite {
                path: dir.clone(),
                cause: write::diagnose(e, write::dir_of(dir), dir),
            })?);
        }
        let result = self.edit_locked(&dirs, &targets, &mut change);
        if result
            .as_ref()
            .map_or(true, |(_, written)| written.is_empty())
        {
            for dir in created.iter().rev() {
                let _ = std::fs::remove_dir(dir);
            }
        }
        result
    }

    fn edit_locked<T>(
        &self,
        dirs: &[PathBuf],
        targets: &[PathBuf; 2],
        change: &mut impl FnMut(&mut Editor) -> Result<T, StoreError>,
    ) -> Result<(T, Vec<PathBuf>), StoreError> {
        let waiting = |dir: &Path, holder: &Holder| {
            self.notify(warning(dir, format!("waiting for {holder} to finish…")));
        };
        let _locks = lock::DirLocks::acquire(dirs, &waiting).map_err(|e| match e {
            lock::LockError::Io { dir, source } => StoreError::Lock { path: dir, source },
            lock::LockError::Busy { dir, holder } => StoreError::Busy { dir, holder },
        })?;
        // What cannot be cleaned up was reported when the command started.
        let _ = self.recover_locked(targets);
        let [config_target, credentials_target] = targets;
        for attempt in 1..=ATTEMPTS {
            let (editor, value, checked) = self.run_change(&mut *change)?;
            let pending: Vec<(&Loaded, &Path, Zeroizing<Vec<u8>>)> = [
                (&editor.credentials, credentials_target.as_path()),
                (&editor.config, config_target.as_path()),
            ]
            .into_iter()
            .filter_map(|(loaded, target)| loaded.changed_bytes().map(|b| (loaded, target, b)))
            .collect();
            let staged = pending
                .iter()
                .map(|(loaded, target, bytes)| {
                    write::stage(target, loaded.kind, bytes).map_err(|cause| {
                        StoreError::CannotWrite {
                            path: loaded.path.clone(),
                            cause,
                        }
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            // If another program wrote a file since it was read, renaming would undo
            // its write: drop the staged files and redo the edit on what it wrote. The
            // bytes are compared here, the identity again right before the renames.
            let same = |(loaded, target, _): &(&Loaded, &Path, _)| loaded.unchanged_at(target);
            let still = || pending.iter().all(|(l, t, _)| l.still_at(t));
            let committed = if pending.iter().all(same) {
                commit::commit(staged, &still)
                    .map_err(|failed| self.commit_error(targets, failed))?
            } else {
                commit::Committed::TargetChanged
            };
            if committed == commit::Committed::TargetChanged {
                if attempt == ATTEMPTS {
                    let changed = pending.iter().find(|p| !same(p)).unwrap_or(&pending[0]);
                    return Err(StoreError::KeptChanging {
                        path: changed.0.path.clone(),
                    });
                }
                continue;
            }
            for (loaded, _, _) in &pending {
                let refusals = match loaded.kind {
                    FileKind::Config => &checked.refusals[0],
                    FileKind::Credentials => &checked.refusals[1],
                };
                self.after_write(loaded, refusals);
            }
            *self.lock_secrets() = Some(checked.secrets);
            let written = pending.iter().map(|(l, _, _)| l.path.clone()).collect();
            return Ok((value, written));
        }
        unreachable!("the last attempt returns")
    }

    fn commit_error(&self, targets: &[PathBuf], failed: commit::CommitFailed) -> StoreError {
        let path = self.shown_path(targets, &failed.target);
        let cause = write::diagnose(failed.error, write::dir_of(&failed.target), &failed.target);
        match failed.renamed.first() {
            None => StoreError::CannotWrite { path, cause },
            Some(written) => StoreError::HalfCommitted {
                written: self.shown_path(targets, written),
                path,
                cause,
            },
        }
    }

    /// What a write the user asked for still leaves wrong with the file.
    fn after_write(&self, loaded: &Loaded, refusals: &[String]) {
        if loaded.kind == FileKind::Credentials {
            self.notify_some(world_readable(loaded, " and now holds the new keys"));
        }
        self.notify_some(hard_links(loaded, "as it just did"));
        for refusal in refusals {
            self.notify(warning(
                &loaded.path,
                format!("the AWS CLI will still refuse this file: {refusal}"),
            ));
        }
    }

    fn notify_some(&self, warning: Option<Warning>) {
        if let Some(warning) = warning {
            self.notify(warning);
        }
    }
}
