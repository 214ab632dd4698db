use std::io;
use std::path::{Path, PathBuf};

use super::locate::NoHome;
use super::lock::Holder;
use super::parse::{FileKind, ParseError};
use crate::domain::validate::Invalid;

/// Everything that can stop a read or an edit. Every message names the file and says
/// what to do; none ever contains a secret. When an edit fails, nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    NoHome(#[from] NoHome),
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error(
        "{} is {what}, not a file; credwiz reads and writes only regular files: point {} at a file (or unset it)",
        path.display(), kind.variable()
    )]
    NotAFile {
        path: PathBuf,
        kind: FileKind,
        what: &'static str,
    },
    #[error(
        "{} is {} MiB, larger than any AWS file can be ({} MiB at most); point {} at the right file",
        path.display(), size >> 20, super::file::MAX_LEN >> 20, kind.variable()
    )]
    TooLarge {
        path: PathBuf,
        kind: FileKind,
        size: u64,
    },
    #[error("{} line {line}: the file is not valid UTF-8; save it as UTF-8 text", path.display())]
    NotUtf8 { path: PathBuf, line: usize },
    #[error("{} line {}: {} ({})", path.display(), error.line, error.message, error.hint)]
    Parse { path: PathBuf, error: ParseError },
    #[error("{0}")]
    Invalid(#[from] Invalid),
    #[error(
        "profile `{0}` already exists; add --force to replace its keys (its other settings stay)"
    )]
    ProfileExists(String),
    #[error(
        "a profile named `{0}` already exists; choose another name, or remove that one first (credwiz remove {0})"
    )]
    NameTaken(String),
    #[error(
        "no profile named `{0}` in the config or credentials file (credwiz list shows the profiles)"
    )]
    NoSuchProfile(String),
    #[error("{}", describe_write(path, cause))]
    CannotWrite { path: PathBuf, cause: WriteCause },
    #[error("cannot lock {}: {source}", path.display())]
    Lock { path: PathBuf, source: io::Error },
    #[error(
        "{holder} has kept {} locked for {} s; nothing was changed. If it is stuck, end it{} and try again",
        dir.display(), super::lock::GIVE_UP_AFTER.as_secs(),
        holder.pid.map(|pid| format!(" (kill {pid})")).unwrap_or_default()
    )]
    Busy { dir: PathBuf, holder: Holder },
    #[error(
        "{} kept changing while credwiz was editing it (another program is writing it); nothing was changed; try again",
        path.display()
    )]
    KeptChanging { path: PathBuf },
    #[error(
        "{} was written but {} could not be ({}); the next credwiz command completes the change",
        written.display(), path.display(), describe_write(path, cause)
    )]
    HalfCommitted {
        written: PathBuf,
        path: PathBuf,
        cause: WriteCause,
    },
    #[error("{0}")]
    Refused(String),
    #[error("internal check failed, nothing was written: {0}; please report this")]
    Check(String),
}

/// Why a file cannot be replaced, found out before anything is renamed.
#[derive(Debug)]
pub enum WriteCause {
    ReadOnlyFile {
        mode: u32,
    },
    ReadOnlyDir {
        dir: PathBuf,
        mode: u32,
    },
    /// `chattr +i` on the file or its directory.
    Immutable {
        what: PathBuf,
    },
    /// `chattr +a` on the file or its directory.
    AppendOnly {
        what: PathBuf,
    },
    ReadOnlyFileSystem {
        dir: PathBuf,
    },
    /// The file or directory belongs to another user (`uid`).
    NotYours {
        what: PathBuf,
        uid: u32,
    },
    NoSpace {
        dir: PathBuf,
    },
    Quota {
        dir: PathBuf,
    },
    NotAFile {
        what: &'static str,
        kind: FileKind,
    },
    Io(io::Error),
}

fn describe_write(path: &Path, cause: &WriteCause) -> String {
    let path = path.display();
    match cause {
        WriteCause::ReadOnlyFile { mode } => format!(
            "{path} is read-only (mode {:03o}); make it writable: chmod u+w {path}",
            mode & 0o777
        ),
        WriteCause::ReadOnlyDir { dir, mode } => format!(
            "{} is read-only (mode {:03o}), so {path} cannot be replaced; make it writable: chmod u+w {}",
            dir.display(),
            mode & 0o777,
            dir.display()
        ),
        WriteCause::Immutable { what } => format!(
            "{} is immutable (chattr +i), so {path} cannot be replaced and chmod does not help; \
             run: sudo chattr -i {}",
            what.display(),
            what.display()
        ),
        WriteCause::AppendOnly { what } => format!(
            "{} is append-only (chattr +a), so {path} cannot be replaced and chmod does not help; \
             run: sudo chattr -a {}",
            what.display(),
            what.display()
        ),
        WriteCause::ReadOnlyFileSystem { dir } => format!(
            "{} is on a read-only file system, so {path} cannot be replaced; remount it read-write, \
             or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE elsewhere",
            dir.display()
        ),
        WriteCause::NotYours { what, uid } => format!(
            "{} belongs to another user (uid {uid}), so credwiz cannot replace {path}; \
             if it should be yours, take it back: sudo chown \"$(id -un)\" {}; \
             otherwise point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at files of yours",
            what.display(),
            what.display()
        ),
        WriteCause::NoSpace { dir } => format!(
            "no space left on the device holding {}; nothing was changed; free some space and try again",
            dir.display()
        ),
        WriteCause::Quota { dir } => format!(
            "your disk quota on {} is used up; nothing was changed; free some space and try again",
            dir.display()
        ),
        WriteCause::NotAFile { what, kind } => format!(
            "{path} is {what}, not a file; credwiz writes only regular files: point {} at a file (or unset it)",
            kind.variable()
        ),
        WriteCause::Io(source) => format!("cannot write {path}: {source}"),
    }
}
