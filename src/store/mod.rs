//! The AWS config and credentials files: locate, parse, edit and write them, losslessly
//! and safely. Knows nothing of any user interface.
//!
//! Reading: [`Store::load`] gives a [`Snapshot`]. Editing goes through one door,
//! [`Store::edit`]: lock both directories, re-read both files, let the caller change
//! them through an [`Editor`], check that the result still parses and holds what was
//! set, then replace each changed file atomically. Any error leaves both files as they
//! were.

pub mod document;
pub mod edit;
pub mod error;
pub mod lint;
pub mod locate;
pub mod parse;
pub mod profiles;
pub mod view;
pub mod write;

use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use document::Document;
pub use error::StoreError;
use locate::{Env, Locations};
use parse::{FileKind, Layout};
use view::{Notice, ProfileSet};

use crate::domain::{profile, validate};

pub struct Store {
    pub locations: Locations,
}

/// One file as read: its lossless document and how the SDKs read it.
pub struct Loaded {
    pub kind: FileKind,
    pub path: PathBuf,
    pub existed: bool,
    pub mode: Option<u32>,
    pub doc: Document,
    pub layout: Layout,
    original: Vec<u8>,
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
        let doc = Document::from_bytes(&bytes).map_err(|e| StoreError::NotUtf8 {
            path: path.to_path_buf(),
            line: e.line,
        })?;
        let layout = parse::parse(&doc).map_err(|error| StoreError::Parse {
            path: path.to_path_buf(),
            error,
        })?;
        Ok(Loaded {
            kind,
            path: path.to_path_buf(),
            existed,
            mode,
            doc,
            layout,
            original: bytes,
        })
    }

    fn reparse(&mut self) -> Result<(), StoreError> {
        self.layout = parse::parse(&self.doc).map_err(|error| {
            StoreError::Check(format!(
                "{} would not parse at line {}",
                self.path.display(),
                error.line
            ))
        })?;
        Ok(())
    }

    fn changed_bytes(&self) -> Option<Vec<u8>> {
        let text = self.doc.to_text();
        (text.as_bytes() != self.original.as_slice()).then(|| text.into_bytes())
    }
}

impl Drop for Loaded {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.original);
    }
}

/// Both files as read, merged as the SDKs merge them, with everything worth a warning.
pub struct Snapshot {
    pub config: Loaded,
    pub credentials: Loaded,
    pub profiles: ProfileSet,
    pub warnings: Vec<Warning>,
}

/// A problem that does not stop credwiz but that the user should see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} line {line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl Snapshot {
    fn new(config: Loaded, credentials: Loaded) -> Snapshot {
        let profiles = ProfileSet::merge(&config.layout, &credentials.layout);
        let mut snapshot = Snapshot {
            config,
            credentials,
            profiles,
            warnings: Vec::new(),
        };
        snapshot.collect_warnings();
        snapshot
    }

    fn file(&self, kind: FileKind) -> &Loaded {
        match kind {
            FileKind::Config => &self.config,
            FileKind::Credentials => &self.credentials,
        }
    }

    fn collect_warnings(&mut self) {
        let mut notices: Vec<Notice> = self.profiles.notices.clone();
        for loaded in [&self.config, &self.credentials] {
            notices.extend(lint::botocore_notices(
                &loaded.doc,
                &loaded.layout,
                loaded.kind,
            ));
        }
        let mut warnings: Vec<Warning> = notices
            .into_iter()
            .map(|n| Warning {
                path: self.file(n.file).path.clone(),
                line: n.line,
                message: n.message,
            })
            .collect();
        if let Some(mode) = self.credentials.mode.filter(|m| m & 0o077 != 0) {
            warnings.push(Warning {
                path: self.credentials.path.clone(),
                line: None,
                message: format!(
                    "readable by other users (mode {:03o}); run: chmod 600 {}",
                    mode & 0o777,
                    self.credentials.path.display()
                ),
            });
        }
        warnings.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        self.warnings = warnings;
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

    pub fn load(&self) -> Result<Snapshot, StoreError> {
        let config = Loaded::read(FileKind::Config, &self.locations.config)?;
        let credentials = Loaded::read(FileKind::Credentials, &self.locations.credentials)?;
        Ok(Snapshot::new(config, credentials))
    }

    /// The one door for changes. `change` edits through the [`Editor`]; if it succeeds
    /// and the result checks out, the changed files are replaced atomically. Returns the
    /// closure's value and the files written.
    pub fn edit<T>(
        &self,
        change: impl FnOnce(&mut Editor) -> Result<T, StoreError>,
    ) -> Result<(T, Vec<PathBuf>), StoreError> {
        let targets = [&self.locations.config, &self.locations.credentials].map(|p| {
            write::resolve(p).map_err(|source| StoreError::Read {
                path: p.clone(),
                source,
            })
        });
        let [config_target, credentials_target] = targets;
        let (config_target, credentials_target) = (config_target?, credentials_target?);
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
        let mut editor = Editor {
            config: Loaded::read(FileKind::Config, &self.locations.config)?,
            credentials: Loaded::read(FileKind::Credentials, &self.locations.credentials)?,
            expected: Vec::new(),
        };
        let value = change(&mut editor)?;
        editor.check()?;
        let pending: Vec<(&Loaded, &Path, Vec<u8>)> = [
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
pub struct Editor {
    pub config: Loaded,
    pub credentials: Loaded,
    /// (profile, key, value) that must hold after the edit; `None` means absent.
    expected: Vec<(String, String, Option<String>)>,
}

impl Editor {
    pub fn profiles(&self) -> ProfileSet {
        ProfileSet::merge(&self.config.layout, &self.credentials.layout)
    }

    pub fn exists(&self, profile: &str) -> bool {
        [&self.config, &self.credentials]
            .iter()
            .any(|f| !edit::sections_of(&f.layout, f.kind, profile).is_empty())
    }

    fn file_mut(&mut self, kind: FileKind) -> &mut Loaded {
        match kind {
            FileKind::Config => &mut self.config,
            FileKind::Credentials => &mut self.credentials,
        }
    }

    /// Sets keys on a profile. A key already present (in either file, any case) is
    /// rewritten where it is; a new one goes to the file the AWS CLI would use.
    pub fn set(&mut self, profile: &str, pairs: &[(&str, &str)]) -> Result<(), StoreError> {
        validate::profile_name(profile)?;
        for (key, value) in pairs {
            validate::file_key(key)?;
            validate::file_value(key, value)?;
        }
        let mut new_in = |kind: FileKind| -> Vec<(&str, &str)> {
            let file = self.file_mut(kind);
            let (present, absent): (Vec<_>, Vec<_>) = pairs.iter().partition(|(k, _)| {
                edit::sections_of(&file.layout, kind, profile)
                    .iter()
                    .any(|s| s.find(k).next().is_some())
            });
            if !present.is_empty() {
                edit::set_keys(&mut file.doc, &file.layout, kind, profile, &present, false);
            }
            absent
        };
        let absent_from_credentials = new_in(FileKind::Credentials);
        let absent_from_both: Vec<(&str, &str)> = {
            let config_absent = new_in(FileKind::Config);
            absent_from_credentials
                .into_iter()
                .filter(|p| config_absent.contains(p))
                .collect()
        };
        let (for_credentials, for_config): (Vec<_>, Vec<_>) = absent_from_both
            .into_iter()
            .partition(|(k, _)| profile::is_credential_key(k));
        for (kind, new) in [
            (FileKind::Credentials, for_credentials),
            (FileKind::Config, for_config),
        ] {
            let file = self.file_mut(kind);
            if !new.is_empty() {
                file.reparse()?;
                edit::set_keys(&mut file.doc, &file.layout, kind, profile, &new, true);
            }
        }
        self.reparse_both()?;
        for (key, value) in pairs {
            self.expect(profile, key, Some(value));
        }
        Ok(())
    }

    /// Removes keys from a profile, wherever they are.
    pub fn remove_keys(&mut self, profile: &str, keys: &[&str]) -> Result<(), StoreError> {
        for kind in [FileKind::Config, FileKind::Credentials] {
            let file = self.file_mut(kind);
            edit::remove_keys(&mut file.doc, &file.layout, kind, profile, keys);
            file.reparse()?;
        }
        for key in keys {
            self.expect(profile, key, None);
        }
        Ok(())
    }

    /// Ensures the profile has a section in config (so it is listed even with no settings).
    pub fn ensure_profile(&mut self, profile: &str) -> Result<(), StoreError> {
        validate::profile_name(profile)?;
        if !self.exists(profile) {
            let file = &mut self.config;
            edit::append_section(&mut file.doc, FileKind::Config, profile, &[]);
            file.reparse()?;
        }
        Ok(())
    }

    pub fn remove_profile(&mut self, profile: &str) -> Result<(), StoreError> {
        if !self.exists(profile) {
            return Err(StoreError::NoSuchProfile(profile.to_string()));
        }
        for kind in [FileKind::Config, FileKind::Credentials] {
            let file = self.file_mut(kind);
            edit::remove_section(&mut file.doc, &file.layout, kind, profile);
            file.reparse()?;
        }
        Ok(())
    }

    pub fn rename_profile(&mut self, old: &str, new: &str) -> Result<(), StoreError> {
        validate::profile_name(new)?;
        if !self.exists(old) {
            return Err(StoreError::NoSuchProfile(old.to_string()));
        }
        if self.exists(new) {
            return Err(StoreError::ProfileExists(new.to_string()));
        }
        for kind in [FileKind::Config, FileKind::Credentials] {
            let file = self.file_mut(kind);
            edit::rename_section(&mut file.doc, &file.layout, kind, old, new);
            file.reparse()?;
        }
        Ok(())
    }

    fn reparse_both(&mut self) -> Result<(), StoreError> {
        self.config.reparse()?;
        self.credentials.reparse()
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

    /// The merged view must show exactly what was set, or nothing is written.
    fn check(&self) -> Result<(), StoreError> {
        let set = self.profiles();
        for (profile, key, want) in &self.expected {
            let got = set.profiles.get(profile).and_then(|p| p.get(key));
            if got != want.as_deref() {
                return Err(StoreError::Check(format!(
                    "`{key}` of profile `{profile}` did not take the new value"
                )));
            }
        }
        Ok(())
    }
}
