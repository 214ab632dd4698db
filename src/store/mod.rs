//! The AWS config and credentials files: locate, parse, edit and write them, losslessly
//! and safely. Knows nothing of any user interface.
//!
//! Reading: [`Store::load`] gives a [`Snapshot`]. Editing goes through one door,
//! [`Store::edit`]: lock both directories, re-read both files, let the caller change
//! them through an [`Editor`], check that the result still parses and holds what was
//! set, then replace each changed file atomically. Any error leaves both files as they
//! were.

pub mod doctor;
pub mod document;
pub mod edit;
pub mod error;
mod hash;
pub mod lint;
pub mod locate;
pub mod ops;
pub mod parse;
pub mod profiles;
pub mod view;
pub mod write;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use document::Document;
pub use error::StoreError;
use locate::{Env, Locations};
use parse::{FileKind, Layout};
use view::{Notice, ProfileSet};

use zeroize::Zeroizing;

use crate::domain::{mask, profile, validate};

pub struct Store {
    pub locations: Locations,
}

/// A profile's settings as owned (key, value) pairs, keys lower-cased, sorted by key.
pub type OwnedSettings = Vec<(String, Zeroizing<String>)>;

/// One file as read: its path, permissions and lossless document.
pub struct Loaded {
    pub kind: FileKind,
    pub path: PathBuf,
    pub existed: bool,
    pub mode: Option<u32>,
    pub doc: Document,
}

impl Loaded {
    fn read(kind: FileKind, path: &Path) -> Result<Loaded, StoreError> {
        let read_error = |source| StoreError::Read {
            path: path.to_path_buf(),
            source,
        };
        let (bytes, existed, mode) = match fs::read(path) {
            Ok(bytes) => {
                let mode = fs::metadata(path).map_err(read_error)?.mode() & 0o7777;
                (bytes, true, Some(mode))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => (Vec::new(), false, None),
            Err(e) => return Err(read_error(e)),
        };
        if bytes.len() > document::MAX_LEN {
            return Err(read_error(io::Error::other(
                "larger than 4 GiB: this is not an AWS config or credentials file",
            )));
        }
        let doc = Document::from_vec(bytes).map_err(|e| StoreError::NotUtf8 {
            path: path.to_path_buf(),
            line: e.line,
        })?;
        Ok(Loaded {
            kind,
            path: path.to_path_buf(),
            existed,
            mode,
            doc,
        })
    }

    /// The SDKs' reading of the file; an error names the file and line.
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
            notices.extend(lint::botocore_notices(&loaded.doc, layout, loaded.kind));
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
        let credentials = &self.snapshot.credentials;
        if let Some(mode) = credentials.mode.filter(|m| m & 0o077 != 0) {
            warnings.push(Warning {
                path: credentials.path.clone(),
                line: None,
                message: format!(
                    "readable by other users (mode {:03o}); run: chmod 600 {}",
                    mode & 0o777,
                    credentials.path.display()
                ),
                refused: false,
            });
        }
        warnings.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        warnings
    }
}

impl Store {
    pub fn from_env() -> Result<Store, StoreError> {
        Ok(Store {
            locations: locate::locate(&Env::process())?,
        })
    }

    pub fn at(config: PathBuf, credentials: PathBuf) -> Store {
        Store {
            locations: Locations {
                config,
                credentials,
                profile: "default".into(),
            },
        }
    }

    /// Reads both files (a missing file reads as empty). Parse with [`Snapshot::parse`].
    pub fn load(&self) -> Result<Snapshot, StoreError> {
        Ok(Snapshot {
            config: Loaded::read(FileKind::Config, &self.locations.config)?,
            credentials: Loaded::read(FileKind::Credentials, &self.locations.credentials)?,
        })
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
    ) -> Result<(Editor, T), StoreError> {
        let mut editor = Editor {
            config: Loaded::read(FileKind::Config, &self.locations.config)?,
            credentials: Loaded::read(FileKind::Credentials, &self.locations.credentials)?,
            expected: Vec::new(),
        };
        for file in [&editor.config, &editor.credentials] {
            // An edit scans the files several times: index their lines once.
            file.doc.index_lines();
            file.parse()?;
        }
        let value = change(&mut editor)?;
        editor.check()?;
        Ok((editor, value))
    }

    /// Like [`Store::preview`], also returning what `change` returned.
    pub fn dry_run<T>(
        &self,
        change: impl FnOnce(&mut Editor) -> Result<T, StoreError>,
    ) -> Result<(T, Vec<Preview>), StoreError> {
        let (editor, value) = self.run_change(change)?;
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
    /// and the result checks out, the changed files are replaced atomically. Returns the
    /// closure's value and the files written.
    pub fn edit<T>(
        &self,
        change: impl FnOnce(&mut Editor) -> Result<T, StoreError>,
    ) -> Result<(T, Vec<PathBuf>), StoreError> {
        let resolve = |p: &PathBuf| {
            write::resolve(p).map_err(|source| StoreError::Read {
                path: p.clone(),
                source,
            })
        };
        let config_target = resolve(&self.locations.config)?;
        let credentials_target = resolve(&self.locations.credentials)?;
        let dirs: Vec<PathBuf> = [&config_target, &credentials_target]
            .iter()
            .map(|t| {
                t.parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| PathBuf::from("."))
            })
            .collect();
        let mut created = Vec::new();
        for dir in &dirs {
            created.extend(write::create_dir(dir).map_err(|e| StoreError::write(dir, e))?);
        }
        let result = self.edit_locked(&dirs, &config_target, &credentials_target, change);
        if result
            .as_ref()
            .map_or(true, |(_, written)| written.is_empty())
        {
            for dir in created.iter().rev() {
                let _ = fs::remove_dir(dir);
            }
        }
        result
    }

    fn edit_locked<T>(
        &self,
        dirs: &[PathBuf],
        config_target: &Path,
        credentials_target: &Path,
        change: impl FnOnce(&mut Editor) -> Result<T, StoreError>,
    ) -> Result<(T, Vec<PathBuf>), StoreError> {
        let _lock = write::DirLocks::acquire(dirs).map_err(|source| StoreError::Lock {
            path: dirs[0].clone(),
            source,
        })?;
        let (editor, value) = self.run_change(change)?;
        let pending: Vec<(&Loaded, &Path, Zeroizing<Vec<u8>>)> = [
            (&editor.credentials, credentials_target),
            (&editor.config, config_target),
        ]
        .into_iter()
        .filter_map(|(loaded, target)| loaded.changed_bytes().map(|b| (loaded, target, b)))
        .collect();
        for (loaded, target, _) in &pending {
            let read_only = write::is_read_only(target)
                .map_err(|e| StoreError::write(&loaded.path, e))?
                || write::is_read_only(target.parent().unwrap_or(Path::new("."))).unwrap_or(false);
            if read_only {
                return Err(StoreError::ReadOnly {
                    path: loaded.path.clone(),
                });
            }
            write::probe_writable(target).map_err(|e| StoreError::write(&loaded.path, e))?;
        }
        let mut written = Vec::new();
        for (loaded, target, bytes) in pending {
            write::remove_stale_temps(target);
            write::replace(target, &bytes).map_err(|e| StoreError::write(&loaded.path, e))?;
            written.push(loaded.path.clone());
        }
        Ok((value, written))
    }
}

/// Changes to both files, routed as the AWS CLI routes them: credential keys to the
/// credentials file under `[NAME]`, everything else to config under `[profile NAME]`.
/// Each change is planned on a read-only view of a file, then applied.
pub struct Editor {
    pub config: Loaded,
    pub credentials: Loaded,
    /// (profile, key, value) that must hold after the edit; `None` means absent.
    expected: Vec<(String, String, Option<String>)>,
}

impl Editor {
    fn file_mut(&mut self, kind: FileKind) -> &mut Loaded {
        match kind {
            FileKind::Config => &mut self.config,
            FileKind::Credentials => &mut self.credentials,
        }
    }

    /// Plans a change to `profile`'s sections of one file, then applies it. Only those
    /// sections are parsed: the whole file was checked when it was read.
    fn change_file(
        &mut self,
        kind: FileKind,
        profile: &str,
        plan: impl FnOnce(&Document, &Layout) -> Option<edit::Plan>,
    ) -> Result<bool, StoreError> {
        let file = self.file_mut(kind);
        let planned = {
            let layout = file.parse_profile(profile)?;
            plan(&file.doc, &layout)
        };
        Ok(match planned {
            Some(p) if !p.is_empty() => {
                p.apply(&mut file.doc);
                true
            }
            _ => false,
        })
    }

    pub fn exists(&self, profile: &str) -> bool {
        [&self.config, &self.credentials]
            .iter()
            .any(|f| edit::has_section(&f.doc, f.kind, profile))
    }

    /// Sets keys on a profile. A key already present (in either file, any case) is
    /// rewritten where it is; a new one goes to the file the AWS CLI would use.
    pub fn set(&mut self, profile: &str, pairs: &[(&str, &str)]) -> Result<(), StoreError> {
        for (key, value) in pairs {
            validate::file_value(key, value)?;
        }
        self.set_values(profile, pairs)
    }

    /// Like [`Editor::set`], for values read from the files themselves: a multi-line
    /// value (sub-properties such as `s3 =` with indented lines) is written as
    /// continuation lines.
    pub fn set_copied(&mut self, profile: &str, pairs: &[(&str, &str)]) -> Result<(), StoreError> {
        for (key, value) in pairs {
            for (i, line) in value.split('\n').enumerate() {
                if i == 0 || !line.is_empty() {
                    validate::file_value(key, line)?;
                }
            }
        }
        self.set_values(profile, pairs)
    }

    fn set_values(&mut self, profile: &str, pairs: &[(&str, &str)]) -> Result<(), StoreError> {
        validate::profile_name(profile)?;
        for (key, _) in pairs {
            validate::file_key(key)?;
        }
        let mut present: [Vec<bool>; 2] = Default::default();
        for (i, file) in [&self.config, &self.credentials].into_iter().enumerate() {
            let layout = file.parse_profile(profile)?;
            present[i] = pairs
                .iter()
                .map(|(k, _)| {
                    layout
                        .sections
                        .iter()
                        .any(|s| layout.find(s, k).next().is_some())
                })
                .collect();
        }
        for (i, kind) in [FileKind::Config, FileKind::Credentials]
            .into_iter()
            .enumerate()
        {
            let mine: Vec<(&str, &str)> = pairs
                .iter()
                .enumerate()
                .filter(|(j, (key, _))| {
                    let nowhere = !present[0][*j] && !present[1][*j];
                    let home = if profile::is_credential_key(key) {
                        FileKind::Credentials
                    } else {
                        FileKind::Config
                    };
                    present[i][*j] || (nowhere && home == kind)
                })
                .map(|(_, pair)| *pair)
                .collect();
            if !mine.is_empty() {
                self.change_file(kind, profile, |doc, layout| {
                    edit::set_keys(doc, layout, kind, profile, &mine, true)
                })?;
            }
        }
        for (key, value) in pairs {
            self.expect(profile, key, Some(value));
        }
        Ok(())
    }

    /// Every profile's effective settings, copied out (values zeroized when dropped).
    pub fn all_settings(&self) -> Result<BTreeMap<String, OwnedSettings>, StoreError> {
        let config = self.config.parse_checked()?;
        let credentials = self.credentials.parse_checked()?;
        let set = ProfileSet::merge(&config, &credentials);
        Ok(set
            .profiles
            .iter()
            .map(|(name, section)| {
                let settings = section
                    .settings
                    .iter()
                    .map(|(k, s)| (k.to_string(), Zeroizing::new(s.value.to_string())))
                    .collect();
                (name.to_string(), settings)
            })
            .collect())
    }

    /// Removes keys from a profile, wherever they are.
    pub fn remove_keys(&mut self, profile: &str, keys: &[&str]) -> Result<(), StoreError> {
        for kind in [FileKind::Config, FileKind::Credentials] {
            self.change_file(kind, profile, |_, layout| {
                Some(edit::remove_keys(layout, kind, profile, keys))
            })?;
        }
        for key in keys {
            self.expect(profile, key, None);
        }
        Ok(())
    }

    /// Ensures the profile has a section (so it is listed even with no settings).
    pub fn ensure_profile(&mut self, profile: &str) -> Result<(), StoreError> {
        validate::profile_name(profile)?;
        if !self.exists(profile) {
            self.change_file(FileKind::Config, profile, |doc, _| {
                Some(edit::append_section(doc, FileKind::Config, profile, &[]))
            })?;
        }
        Ok(())
    }

    pub fn remove_profile(&mut self, profile: &str) -> Result<(), StoreError> {
        if !self.exists(profile) {
            return Err(StoreError::NoSuchProfile(profile.to_string()));
        }
        for kind in [FileKind::Config, FileKind::Credentials] {
            self.change_file(kind, profile, |doc, layout| {
                Some(edit::remove_section(doc, layout, kind, profile))
            })?;
        }
        Ok(())
    }

    pub fn rename_profile(&mut self, old: &str, new: &str) -> Result<(), StoreError> {
        validate::profile_name(new)?;
        if !self.exists(old) {
            return Err(StoreError::NoSuchProfile(old.to_string()));
        }
        if self.exists(new) {
            return Err(StoreError::NameTaken(new.to_string()));
        }
        for kind in [FileKind::Config, FileKind::Credentials] {
            self.change_file(kind, old, |doc, layout| {
                Some(edit::rename_section(doc, layout, kind, old, new))
            })?;
        }
        Ok(())
    }

    fn expect(&mut self, profile: &str, key: &str, value: Option<&str>) {
        self.expected
            .retain(|(p, k, _)| !(p == profile && k.eq_ignore_ascii_case(key)));
        self.expected.push((
            profile.to_string(),
            key.to_ascii_lowercase(),
            value.map(str::to_string),
        ));
    }

    /// Both files must still parse and the merged view must show exactly what was set,
    /// or nothing is written.
    fn check(&self) -> Result<(), StoreError> {
        let config = self.config.parse_checked()?;
        let credentials = self.credentials.parse_checked()?;
        let mut profiles: Vec<&str> = self.expected.iter().map(|(p, _, _)| p.as_str()).collect();
        profiles.sort_unstable();
        profiles.dedup();
        for profile in profiles {
            let config = config.only(|raw| edit::names_profile(raw, FileKind::Config, profile));
            let credentials =
                credentials.only(|raw| edit::names_profile(raw, FileKind::Credentials, profile));
            let set = ProfileSet::merge(&config, &credentials);
            let section = set.profiles.get(profile);
            for (_, key, want) in self.expected.iter().filter(|(p, _, _)| p == profile) {
                if section.and_then(|p| p.get(key)) != want.as_deref() {
                    return Err(StoreError::Check(format!(
                        "`{key}` of profile `{profile}` did not take the new value"
                    )));
                }
            }
        }
        Ok(())
    }
}
