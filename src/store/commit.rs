//! The commit: staged files (see `write.rs`) are renamed over their targets, both or
//! neither. When two files change, an intent record (`.credwiz-commit`, beside the lock in
//! the first file's directory) is written and fsynced before the first rename and removed
//! after the last, so a credwiz killed between the renames leaves a record of what it was
//! doing; [`recover`], run by the next credwiz command of any kind, completes it.
//!
//! The record lists, per file, the temp file, the target and the temp file's inode: a temp
//! file still there is renamed into place; a target that already has the inode is done;
//! anything else is reported, never guessed at.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::write::{self, Staged};

pub const INTENT_NAME: &str = ".credwiz-commit";
const INTENT_HEADER: &str = "credwiz commit 1";
/// The record's last line: a record without it was cut short by a crash while being
/// written, before any rename, and means nothing.
const INTENT_END: &str = "end";

/// Why a commit stopped; `renamed` files were already in place.
pub struct CommitFailed {
    pub renamed: Vec<PathBuf>,
    pub target: PathBuf,
    pub error: io::Error,
}

/// What a commit did.
#[derive(Debug, PartialEq, Eq)]
pub enum Committed {
    Done,
    /// `unchanged` said a target changed just before the renames: nothing was renamed
    /// and the staged files are gone.
    TargetChanged,
}

/// Renames every staged file over its target. With more than one, the intent record
/// makes the renames one step for anyone who comes after a crash. `unchanged` is asked
/// right before the first rename (after the record is durable), so that another
/// program's write can only be missed in the microseconds between it and the renames.
pub fn commit(
    staged: Vec<Staged>,
    unchanged: &dyn Fn() -> bool,
) -> Result<Committed, CommitFailed> {
    let failed = |renamed: &[PathBuf], target: &Path, error| CommitFailed {
        renamed: renamed.to_vec(),
        target: target.to_path_buf(),
        error,
    };
    let intent = match staged.as_slice() {
        [] | [_] => None,
        [first, ..] => {
            let path = write::dir_of(&first.target).join(INTENT_NAME);
            write_intent(&path, &staged).map_err(|e| failed(&[], &first.target, e))?;
            Some(path)
        }
    };
    if !unchanged() {
        if let Some(intent) = &intent {
            let _ = fs::remove_file(intent);
        }
        return Ok(Committed::TargetChanged);
    }
    let mut dirs: Vec<PathBuf> = Vec::with_capacity(staged.len());
    let mut renamed = Vec::with_capacity(staged.len());
    for file in staged {
        let target = file.target.clone();
        if let Err(e) = file.temp.persist(&target) {
            if !renamed.is_empty() {
                // Past the point of no return: keep the temp file for the next command.
                let _ = e.path.keep();
            } else if let Some(intent) = &intent {
                let _ = fs::remove_file(intent);
            }
            return Err(failed(&renamed, &target, e.error));
        }
        let dir = write::dir_of(&target).to_path_buf();
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
        renamed.push(target);
    }
    for dir in &dirs {
        sync_dir(dir).map_err(|e| failed(&renamed, dir, e))?;
    }
    if let Some(intent) = intent {
        // Once the renames are durable the record is spent; a record that outlives a
        // crash here finds every target done.
        let _ = fs::remove_file(intent);
    }
    Ok(Committed::Done)
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

fn write_intent(path: &Path, staged: &[Staged]) -> io::Result<()> {
    let mut text = Vec::with_capacity(256);
    text.extend_from_slice(INTENT_HEADER.as_bytes());
    text.push(b'\n');
    for file in staged {
        let (dev, ino) = file.inode;
        text.extend_from_slice(format!("{dev:x}:{ino:x}\t").as_bytes());
        escape(file.temp.as_os_str().as_bytes(), &mut text);
        text.push(b'\t');
        escape(file.target.as_os_str().as_bytes(), &mut text);
        text.push(b'\n');
    }
    text.extend_from_slice(INTENT_END.as_bytes());
    text.push(b'\n');
    let mut out = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    out.write_all(&text)?;
    out.sync_all()?;
    sync_dir(write::dir_of(path))
}

/// Paths are bytes: `%`, tab and newline are written as `%25`, `%09`, `%0A`.
fn escape(bytes: &[u8], out: &mut Vec<u8>) {
    for &b in bytes {
        match b {
            b'%' | b'\t' | b'\n' => out.extend_from_slice(format!("%{b:02X}").as_bytes()),
            _ => out.push(b),
        }
    }
}

fn unescape(text: &[u8]) -> Option<PathBuf> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'%' {
            let hex = std::str::from_utf8(text.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(text[i]);
            i += 1;
        }
    }
    Some(PathBuf::from(OsString::from_vec(out)))
}

/// One file of an interrupted commit.
struct Pending {
    inode: (u64, u64),
    temp: PathBuf,
    target: PathBuf,
}

/// What a record says: `None` if it was cut short (nothing to do), `Some(Err)` if it
/// cannot be read.
fn parse_intent(bytes: &[u8]) -> Option<Result<Vec<Pending>, ()>> {
    let body = bytes.strip_suffix(format!("\n{INTENT_END}\n").as_bytes())?;
    let mut lines = body.split(|&b| b == b'\n');
    if lines.next() != Some(INTENT_HEADER.as_bytes()) {
        return Some(Err(()));
    }
    Some(lines.map(parse_pending).collect::<Option<_>>().ok_or(()))
}

fn parse_pending(line: &[u8]) -> Option<Pending> {
    let mut fields = line.split(|&b| b == b'\t');
    let inode = std::str::from_utf8(fields.next()?).ok()?;
    let (dev, ino) = inode.split_once(':')?;
    let inode = (
        u64::from_str_radix(dev, 16).ok()?,
        u64::from_str_radix(ino, 16).ok()?,
    );
    let temp = unescape(fields.next()?)?;
    let target = unescape(fields.next()?)?;
    Some(Pending {
        inode,
        temp,
        target,
    })
}

/// What [`recover`] found and did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recovered {
    /// Targets an interrupted commit was completed for.
    pub completed: Vec<PathBuf>,
    /// Targets whose new version was lost (its temp file is gone and it is not in place).
    pub lost: Vec<PathBuf>,
    /// An intent record that could not be read.
    pub unreadable: Option<PathBuf>,
    /// Temp files of a dead credwiz that were removed.
    pub removed: Vec<PathBuf>,
    /// Temp files that could not be removed, and why.
    pub left: Vec<(PathBuf, String)>,
}

#[cfg(test)]
impl Recovered {
    pub fn is_empty(&self) -> bool {
        *self == Recovered::default()
    }
}

/// Whether a dead credwiz may have left anything beside these targets: a cheap look,
/// without the lock, so commands with nothing to recover pay almost nothing.
pub fn anything_left(targets: &[PathBuf]) -> bool {
    targets.iter().any(|target| {
        write::dir_of(target).join(INTENT_NAME).exists() || !write::temps_beside(target).is_empty()
    })
}

/// Completes an interrupted commit and removes leftover temp files beside `targets`.
/// Call with the locks of their directories held (so no live credwiz is mid-write).
pub fn recover(targets: &[PathBuf]) -> Recovered {
    let mut found = Recovered::default();
    let mut dirs: Vec<&Path> = targets.iter().map(|t| write::dir_of(t)).collect();
    dirs.dedup();
    for dir in dirs {
        let intent = dir.join(INTENT_NAME);
        let Ok(bytes) = fs::read(&intent) else {
            continue;
        };
        match parse_intent(&bytes) {
            Some(Ok(pending)) => complete(&pending, &mut found),
            Some(Err(())) => found.unreadable = Some(intent.clone()),
            None => {}
        }
        if found.unreadable.is_none() && found.lost.is_empty() {
            let _ = fs::remove_file(&intent);
        }
    }
    for target in targets {
        for temp in write::temps_beside(target) {
            match fs::remove_file(&temp) {
                Ok(()) => found.removed.push(temp),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => found.left.push((temp, e.to_string())),
            }
        }
    }
    found.removed.sort();
    found.removed.dedup();
    found
}

fn complete(pending: &[Pending], found: &mut Recovered) {
    let inode = |path: &Path| fs::metadata(path).ok().map(|m| (m.dev(), m.ino()));
    let mut dirs = Vec::new();
    for file in pending {
        if inode(&file.temp) == Some(file.inode) {
            match fs::rename(&file.temp, &file.target) {
                Ok(()) => found.completed.push(file.target.clone()),
                Err(_) => found.lost.push(file.target.clone()),
            }
            dirs.push(write::dir_of(&file.target).to_path_buf());
        } else if inode(&file.target) != Some(file.inode) {
            found.lost.push(file.target.clone());
        }
    }
    dirs.dedup();
    for dir in dirs {
        let _ = sync_dir(&dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::parse::FileKind;

    fn stage(dir: &Path, name: &str, old: &str, new: &str) -> Staged {
        let target = dir.join(name);
        fs::write(&target, old).unwrap();
        write::stage(&target, FileKind::Config, new.as_bytes()).unwrap()
    }

    #[test]
    fn paths_survive_the_record_whatever_their_bytes() {
        let odd = PathBuf::from(OsString::from_vec(b"/a\tb/%c\nd\xff".to_vec()));
        let mut text = Vec::new();
        escape(odd.as_os_str().as_bytes(), &mut text);
        assert!(!text.contains(&b'\n') && !text.contains(&b'\t'));
        assert_eq!(unescape(&text), Some(odd));
    }

    #[test]
    fn a_commit_of_two_files_leaves_no_record_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let a = stage(dir.path(), "config", "old a", "new a");
        let b = stage(dir.path(), "credentials", "old b", "new b");
        assert_eq!(commit(vec![a, b], &|| true).ok(), Some(Committed::Done));
        assert_eq!(
            fs::read_to_string(dir.path().join("config")).unwrap(),
            "new a"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("credentials")).unwrap(),
            "new b"
        );
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    fn crash_between_renames(dir: &Path) -> [PathBuf; 2] {
        let staged = vec![
            stage(dir, "config", "old a", "new a"),
            stage(dir, "credentials", "old b", "new b"),
        ];
        write_intent(&dir.join(INTENT_NAME), &staged).unwrap();
        let mut staged = staged.into_iter();
        let first = staged.next().unwrap();
        first.temp.persist(&first.target).unwrap();
        // A SIGKILL runs no destructor: the second temp file stays.
        staged.next().unwrap().temp.keep().unwrap();
        [dir.join("config"), dir.join("credentials")]
    }

    /// The state a SIGKILL between the two renames leaves: the record, the first file
    /// in place, the second still a temp file. Recovery completes the second.
    #[test]
    fn a_commit_killed_between_renames_is_completed() {
        let dir = tempfile::tempdir().unwrap();
        let targets = crash_between_renames(dir.path());
        assert_eq!(fs::read_to_string(&targets[1]).unwrap(), "old b");
        assert!(anything_left(&targets));
        let found = recover(&targets);
        assert_eq!(found.completed, vec![targets[1].clone()]);
        assert!(found.lost.is_empty() && found.left.is_empty(), "{found:?}");
        assert_eq!(fs::read_to_string(&targets[0]).unwrap(), "new a");
        assert_eq!(fs::read_to_string(&targets[1]).unwrap(), "new b");
        assert!(!anything_left(&targets));
        assert!(recover(&targets).is_empty());
    }

    #[test]
    fn a_lost_temp_file_is_reported_and_the_record_kept() {
        let dir = tempfile::tempdir().unwrap();
        let targets = crash_between_renames(dir.path());
        for temp in write::temps_beside(&targets[1]) {
            fs::remove_file(temp).unwrap();
        }
        let found = recover(&targets);
        assert_eq!(found.lost, vec![targets[1].clone()]);
        assert!(found.completed.is_empty());
        assert!(dir.path().join(INTENT_NAME).exists());
    }

    #[test]
    fn a_record_cut_short_means_no_rename_happened_and_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let staged = vec![
            stage(dir.path(), "config", "old a", "new a"),
            stage(dir.path(), "credentials", "old b", "new b"),
        ];
        let intent = dir.path().join(INTENT_NAME);
        write_intent(&intent, &staged).unwrap();
        let whole = fs::read(&intent).unwrap();
        fs::write(&intent, &whole[..whole.len() - 3]).unwrap();
        staged.into_iter().for_each(|s| drop(s.temp.keep()));
        let targets = [dir.path().join("config"), dir.path().join("credentials")];
        let found = recover(&targets);
        assert!(found.completed.is_empty() && found.lost.is_empty() && found.unreadable.is_none());
        assert_eq!(found.removed.len(), 2);
        assert!(!intent.exists());
        assert_eq!(fs::read_to_string(&targets[0]).unwrap(), "old a");
    }

    #[test]
    fn leftover_temp_files_without_a_record_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("credentials");
        fs::write(&target, "old").unwrap();
        let temp = dir.path().join(".credentials.credwiz-AbC123.tmp");
        fs::write(&temp, "secret").unwrap();
        let found = recover(std::slice::from_ref(&target));
        assert_eq!(found.removed, vec![temp]);
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
    }
}
