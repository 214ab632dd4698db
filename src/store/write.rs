//! Writing one file safely, in two steps. [`stage`] checks that the target can be
//! replaced (a regular file or none; not read-only, immutable or another user's; on a
//! writable file system), then writes the new bytes to a temporary file beside it
//! (owner-only from its creation), fsyncs it and gives it the target's mode and owner.
//! Nothing visible has changed yet; dropping the [`Staged`] file removes it. Renaming
//! it over the target is the commit (see `commit.rs`).

use std::fs::{self, DirBuilder, File, Metadata, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::error::WriteCause;
use super::file;
use super::parse::FileKind;

const NEW_FILE_MODE: u32 = 0o600;
const NEW_DIR_MODE: u32 = 0o700;
const TEMP_MARK: &str = ".credwiz-";
const TEMP_SUFFIX: &str = ".tmp";
/// `FS_IMMUTABLE_FL` and `FS_APPEND_FL` of `FS_IOC_GETFLAGS` (linux/fs.h).
const IMMUTABLE_FLAG: libc::c_int = 0x10;
const APPEND_FLAG: libc::c_int = 0x20;

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

/// The directory a file is in (`.` for a bare file name).
pub fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
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

fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    format!(".{name}{TEMP_MARK}")
}

/// The temporary files credwiz made beside `target` and that still exist.
pub fn temps_beside(target: &Path) -> Vec<PathBuf> {
    let prefix = temp_prefix(target);
    let Ok(entries) = fs::read_dir(dir_of(target)) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(TEMP_SUFFIX)
        })
        .map(|entry| entry.path())
        .collect()
}

/// A new version of a file, written and fsynced beside it, not yet in its place.
pub struct Staged {
    pub target: PathBuf,
    pub temp: tempfile::TempPath,
    /// The temp file's inode: after the rename, the target's.
    pub inode: (u64, u64),
    /// The target's link count before (a rename splits hard links).
    pub links: u64,
}

/// Checks that `target` (already resolved, see [`resolve`]) can be replaced, then writes
/// `bytes` to a temporary file beside it with the target's mode and owner (a new file is
/// `0600`). The target is not touched.
pub fn stage(target: &Path, kind: FileKind, bytes: &[u8]) -> Result<Staged, WriteCause> {
    let dir = dir_of(target);
    let existing = match fs::metadata(target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(WriteCause::Io(e)),
    };
    if let Some(meta) = &existing {
        check_target(target, kind, meta)?;
    }
    check_dir(dir)?;
    let mode = existing
        .as_ref()
        .map_or(NEW_FILE_MODE, |m| m.mode() & 0o7777);
    let failed = |e: io::Error| diagnose(e, dir, target);
    let mut temp = tempfile::Builder::new()
        .prefix(&temp_prefix(target))
        .suffix(TEMP_SUFFIX)
        .permissions(Permissions::from_mode(mode & NEW_FILE_MODE))
        .tempfile_in(dir)
        .map_err(failed)?;
    temp.write_all(bytes).map_err(failed)?;
    temp.as_file().sync_all().map_err(failed)?;
    let made = temp.as_file().metadata().map_err(failed)?;
    if let Some(meta) = &existing
        && (made.uid(), made.gid()) != (meta.uid(), meta.gid())
    {
        std::os::unix::fs::fchown(temp.as_file(), Some(meta.uid()), Some(meta.gid())).map_err(
            |_| WriteCause::NotYours {
                what: target.to_path_buf(),
                uid: meta.uid(),
            },
        )?;
    }
    temp.as_file()
        .set_permissions(Permissions::from_mode(mode))
        .map_err(failed)?;
    Ok(Staged {
        target: target.to_path_buf(),
        temp: temp.into_temp_path(),
        inode: (made.dev(), made.ino()),
        links: existing.map_or(1, |m| m.nlink()),
    })
}

/// Replaces one file on its own (credwiz's state file): stage, rename, fsync the directory.
pub fn replace(target: &Path, bytes: &[u8]) -> Result<(), WriteCause> {
    let staged = stage(target, FileKind::Config, bytes)?;
    staged
        .temp
        .persist(target)
        .map_err(|e| diagnose(e.error, dir_of(target), target))?;
    File::open(dir_of(target))
        .and_then(|dir| dir.sync_all())
        .map_err(WriteCause::Io)
}

/// The target itself: a regular file the user has not marked read-only or immutable,
/// and (unless credwiz runs as root) their own.
fn check_target(target: &Path, kind: FileKind, meta: &Metadata) -> Result<(), WriteCause> {
    if let Some(what) = file::not_a_file(meta) {
        let what = if file::is_null_device(meta) {
            "the null device"
        } else {
            what
        };
        return Err(WriteCause::NotAFile { what, kind });
    }
    // Checked on the mode bits because root ignores them: the user meant it.
    if meta.mode() & 0o200 == 0 {
        return Err(WriteCause::ReadOnlyFile { mode: meta.mode() });
    }
    check_flags(target)?;
    let me = unsafe { libc::geteuid() };
    if me != 0 && meta.uid() != me {
        return Err(WriteCause::NotYours {
            what: target.to_path_buf(),
            uid: meta.uid(),
        });
    }
    Ok(())
}

/// The directory must take a new file and a rename.
fn check_dir(dir: &Path) -> Result<(), WriteCause> {
    let meta = fs::metadata(dir).map_err(WriteCause::Io)?;
    if meta.mode() & 0o200 == 0 {
        return Err(WriteCause::ReadOnlyDir {
            dir: dir.to_path_buf(),
            mode: meta.mode(),
        });
    }
    check_flags(dir)?;
    if read_only_file_system(dir) {
        return Err(WriteCause::ReadOnlyFileSystem {
            dir: dir.to_path_buf(),
        });
    }
    let path = std::ffi::CString::new(std::os::unix::ffi::OsStrExt::as_bytes(dir.as_os_str()))
        .map_err(|e| WriteCause::Io(io::Error::other(e)))?;
    // Safety: a valid NUL-terminated path.
    if unsafe { libc::access(path.as_ptr(), libc::W_OK | libc::X_OK) } != 0 {
        return Err(WriteCause::NotYours {
            what: dir.to_path_buf(),
            uid: meta.uid(),
        });
    }
    Ok(())
}

/// `chattr +i` / `+a` on a file or directory (file systems without flags have none).
fn check_flags(path: &Path) -> Result<(), WriteCause> {
    let flags = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .ok()
        .and_then(|file| inode_flags(&file));
    match flags {
        Some(f) if f & IMMUTABLE_FLAG != 0 => Err(WriteCause::Immutable {
            what: path.to_path_buf(),
        }),
        Some(f) if f & APPEND_FLAG != 0 => Err(WriteCause::AppendOnly {
            what: path.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

fn inode_flags(file: &File) -> Option<libc::c_int> {
    let mut flags: libc::c_int = 0;
    // Safety: FS_IOC_GETFLAGS writes one int through the pointer.
    let done = unsafe { libc::ioctl(file.as_raw_fd(), libc::FS_IOC_GETFLAGS, &mut flags) };
    (done == 0).then_some(flags)
}

fn read_only_file_system(dir: &Path) -> bool {
    let Ok(path) = std::ffi::CString::new(std::os::unix::ffi::OsStrExt::as_bytes(dir.as_os_str()))
    else {
        return false;
    };
    let mut stats = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // Safety: a valid path and a buffer statvfs fills on success.
    let done = unsafe { libc::statvfs(path.as_ptr(), stats.as_mut_ptr()) };
    // Safety: initialised when statvfs returned 0.
    done == 0 && unsafe { stats.assume_init() }.f_flag & libc::ST_RDONLY != 0
}

/// The cause of a failed write, in terms of what the user can fix. By the error's kind:
/// `tempfile` wraps errors with the path, which hides the OS error number.
pub fn diagnose(error: io::Error, dir: &Path, target: &Path) -> WriteCause {
    let owner = |what: &Path| fs::metadata(what).map_or(0, |m| m.uid());
    match error.kind() {
        io::ErrorKind::StorageFull => WriteCause::NoSpace {
            dir: dir.to_path_buf(),
        },
        io::ErrorKind::QuotaExceeded => WriteCause::Quota {
            dir: dir.to_path_buf(),
        },
        io::ErrorKind::ReadOnlyFilesystem => WriteCause::ReadOnlyFileSystem {
            dir: dir.to_path_buf(),
        },
        io::ErrorKind::PermissionDenied => check_flags(target)
            .and_then(|()| check_flags(dir))
            .err()
            .unwrap_or(WriteCause::NotYours {
                what: dir.to_path_buf(),
                uid: owner(dir),
            }),
        _ => WriteCause::Io(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn replace(target: &Path, bytes: &[u8]) {
        super::replace(target, bytes).unwrap();
    }

    #[test]
    fn a_new_file_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        replace(&path, b"[a]\n");
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
        assert_eq!(fs::read(&path).unwrap(), b"[a]\n");
    }

    #[test]
    fn an_existing_mode_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o640)).unwrap();
        replace(&path, b"new");
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o640);
    }

    #[test]
    fn a_symlink_stays_a_link_and_its_target_changes() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        let link = dir.path().join("link");
        fs::write(&real, "old").unwrap();
        symlink("real", &link).unwrap();
        replace(&resolve(&link).unwrap(), b"new");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).unwrap(), b"new");
    }

    #[test]
    fn a_staged_file_that_is_dropped_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        fs::write(&path, "old").unwrap();
        let staged = stage(&path, FileKind::Config, b"new").unwrap();
        assert_eq!(temps_beside(&path).len(), 1);
        drop(staged);
        assert!(temps_beside(&path).is_empty());
        assert_eq!(fs::read(&path).unwrap(), b"old");
    }

    #[test]
    fn devices_and_fifos_are_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        for (path, what) in [
            (Path::new("/dev/null"), "the null device"),
            (Path::new("/dev/zero"), "a character device"),
            (dir.path(), "a directory"),
        ] {
            match stage(path, FileKind::Credentials, b"secret") {
                Err(WriteCause::NotAFile { what: found, .. }) => assert_eq!(found, what),
                other => panic!("{}: {:?}", path.display(), other.err()),
            }
        }
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
    fn temps_are_found_by_their_name_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("credentials");
        fs::write(dir.path().join(".credentials.credwiz-abc.tmp"), "x").unwrap();
        fs::write(dir.path().join("keep.tmp"), "x").unwrap();
        fs::write(dir.path().join(".config.credwiz-abc.tmp"), "x").unwrap();
        assert_eq!(
            temps_beside(&target),
            vec![dir.path().join(".credentials.credwiz-abc.tmp")]
        );
    }
}
