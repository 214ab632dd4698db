use std::io;
use std::path::PathBuf;

use super::locate::NoHome;
use super::parse::ParseError;
use crate::domain::validate::Invalid;

/// Everything that can stop a read or an edit. Every message names the file and says
/// what to do; none ever contains a secret. When an edit fails, nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    NoHome(#[from] NoHome),
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("{} line {line}: the file is not valid UTF-8; save it as UTF-8 text", path.display())]
    NotUtf8 { path: PathBuf, line: usize },
    #[error("{} line {}: {} ({})", path.display(), error.line, error.message, error.hint)]
    Parse { path: PathBuf, error: ParseError },
    #[error("{0}")]
    Invalid(#[from] Invalid),
    #[error("profile `{0}` already exists; use --force to replace its settings")]
    ProfileExists(String),
    #[error(
        "a profile named `{0}` already exists; choose another name, or remove that one first (credwiz remove {0})"
    )]
    NameTaken(String),
    #[error("no profile named `{0}` in either file")]
    NoSuchProfile(String),
    #[error("{} is read-only; make it writable (chmod u+w) and try again", path.display())]
    ReadOnly { path: PathBuf },
    #[error("cannot lock {}: {source}", path.display())]
    Lock { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("{0}")]
    Refused(String),
    #[error("internal check failed, nothing was written: {0}; please report this")]
    Check(String),
}

impl StoreError {
    pub fn write(path: &std::path::Path, source: io::Error) -> StoreError {
        if source.kind() == io::ErrorKind::PermissionDenied || source.raw_os_error() == Some(30) {
            return StoreError::ReadOnly {
                path: path.to_path_buf(),
            };
        }
        StoreError::Write {
            path: path.to_path_buf(),
            source,
        }
    }
}
