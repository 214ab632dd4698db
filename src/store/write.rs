//! Safe file replacement: lock, then write a temporary file beside the target (owner-only
//! from its creation), fsync, give it the target's mode and owner, rename over the
//! target, fsync the directory. A reader sees the old file or the new one, never a mix.

use std::fs::{self, DirBuilder, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

const NEW_FILE_MODE: u32 = 0o600;
const NEW_DIR_MODE: u32 = 0o700;
const TEMP_MARK: &str = ".credwiz-";
const TEMP_SUFFIX: &str = ".tmp";

/// The file a path finally names: symlinks are followed (even dangling ones) so the
/// target is replaced and the link stays a link.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Creates the directory (and missing parents) as `0700`. Returns the directories it made,
/// deepest last, so a failed operation can take them away again.
pub fn create_dir(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut cursor = Some(dir);
    while let Some(d) = cursor {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        cursor = d.parent();
    }
    missing.reverse();
    for d in &missing {
        DirBuilder::new().mode(NEW_DIR_MODE).create(d)?;
    }
    Ok(missing)
}

/// An exclusive advisory lock on a set of directories, held until dropped. Locking the
/// directory rather than the file survives the rename that replaces the file.
pub struct DirLocks {
    _held: Vec<File>,
}

impl DirLocks {
    pub fn acquire(dirs: &[PathBuf]) -> io::Result<DirLocks> {
        let mut sorted: Vec<&PathBuf> = dirs.iter().collect();
        sorted.sort();
        sorted.dedup();
        let mut held = Vec::with_capacity(sorted.len());
        for dir in sorted {
            let file = File::open(dir)?;
            file.lock()?;
            held.push(file);
        }
        Ok(DirLocks { _held: held })
    }
}

/// Whether the user has marked the file or directory read-only (no owner write bit).
/// Checked explicitly because root ignores permission bits.
pub fn is_read_only(path: &Path) -> io::Result<bool> {
    match fs::metadata(path) {
        Ok(meta) => Ok(meta.mode() & 0o200 == 0),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    format!(".{name}{TEMP_MARK}")
}

/// Removes temporary files a killed credwiz left beside `target`. Call with the lock held.
pub fn remove_stale_temps(target: &Path) {
    let (Some(dir), prefix) = (target.parent(), temp_prefix(target)) else {
        return;
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix) && name.ends_with(TEMP_SUFFIX) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Atomically replaces `target` (already resolved, see [`resolve`]) with `bytes`,
/// keeping its mode and owner; a new file is `0600`.
pub fn replace(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let existing = match fs::metadata(target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let mode = existing
        .as_ref()
        .map_or(NEW_FILE_MODE, |m| m.mode() & 0o7777);
    let mut temp = tempfile::Builder::new()
        .prefix(&temp_prefix(target))
        .suffix(TEMP_SUFFIX)
        .permissions(Permissions::from_mode(mode & NEW_FILE_MODE))
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    if let Some(meta) = &existing {
        let file_meta = temp.as_file().metadata()?;
        if (file_meta.uid(), file_meta.gid()) != (meta.uid(), meta.gid()) {
            std::os::unix::fs::fchown(temp.as_file(), Some(meta.uid()), Some(meta.gid()))?;
        }
    }
    temp.as_file()
        .set_permissions(Permissions::from_mode(mode))?;
    temp.persist(target).map_err(|e| e.error)?;
    File::open(dir)?.sync_all()
}

/// Opens for writing without changing anything, to learn early whether a write would fail.
pub fn probe_writable(path: &Path) -> io::Result<()> {
    if path.exists() {
        OpenOptions::new().append(true).open(path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_new_file_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        replace(&path, b"[a]\n").unwrap();
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
        assert_eq!(fs::read(&path).unwrap(), b"[a]\n");
    }

    #[test]
    fn an_existing_mode_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o640)).unwrap();
        replace(&path, b"new").unwrap();
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o640);
    }

    #[test]
    fn a_symlink_stays_a_link_and_its_target_changes() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        let link = dir.path().join("link");
        fs::write(&real, "old").unwrap();
        symlink("real", &link).unwrap();
        replace(&resolve(&link).unwrap(), b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).unwrap(), b"new");
    }

    #[test]
    fn new_directories_are_owner_only_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/.aws");
        let made = create_dir(&deep).unwrap();
        assert_eq!(made, vec![dir.path().join("a"), deep.clone()]);
        assert_eq!(fs::metadata(&deep).unwrap().mode() & 0o777, 0o700);
    }

    #[test]
    fn stale_temps_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("credentials");
        fs::write(dir.path().join(".credentials.credwiz-abc.tmp"), "x").unwrap();
        fs::write(dir.path().join("keep.tmp"), "x").unwrap();
        remove_stale_temps(&target);
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("keep.tmp")]);
    }
}
