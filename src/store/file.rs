//! Reading one of the two files without surprises. Only a regular file is read (and
//! `/dev/null`, which is how people say "no such file": it reads as empty); a FIFO, a
//! device, a socket or a directory is refused by its type before it is opened, and the
//! open itself never blocks. At most [`MAX_LEN`] bytes are read, in memory bounded by that.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::Path;

/// No AWS file comes near this; a larger one is not an AWS file (or is `/dev/zero`).
pub const MAX_LEN: u64 = 64 << 20;

/// Which file a path named when it was read, and in which state: if any of this differs
/// later, someone else has written the file in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Identity {
    pub fn of(meta: &Metadata) -> Identity {
        Identity {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// What a path is when it is not a regular file, in people's words; `None` for a file.
pub fn not_a_file(meta: &Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    Some(if kind.is_file() {
        return None;
    } else if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    })
}

/// Whether `meta` is the null device, whatever the path that names it.
pub fn is_null_device(meta: &Metadata) -> bool {
    meta.file_type().is_char_device()
        && fs::metadata("/dev/null").is_ok_and(|null| null.rdev() == meta.rdev())
}

/// A file as read: its bytes and what it was.
pub struct Contents {
    pub bytes: Vec<u8>,
    /// `None` for `/dev/null`.
    pub meta: Option<Metadata>,
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    NotAFile(&'static str),
    TooLarge(u64),
    Io(io::Error),
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> ReadError {
        ReadError::Io(e)
    }
}

/// Reads the file `path` names (symlinks followed); `Ok(None)` when there is none.
pub fn read(path: &Path) -> Result<Option<Contents>, ReadError> {
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if is_null_device(&meta) {
        return Ok(Some(Contents {
            bytes: Vec::new(),
            meta: None,
        }));
    }
    check_file(&meta)?;
    // Non-blocking: if a FIFO took the file's place since the check, opening it must not
    // wait for a writer. The type is checked again on the open file.
    let mut file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    let meta = file.metadata()?;
    check_file(&meta)?;
    let bytes = read_bounded(&mut file, meta.size())?;
    Ok(Some(Contents {
        bytes,
        meta: Some(meta),
    }))
}

fn check_file(meta: &Metadata) -> Result<(), ReadError> {
    if let Some(what) = not_a_file(meta) {
        return Err(ReadError::NotAFile(what));
    }
    if meta.size() > MAX_LEN {
        return Err(ReadError::TooLarge(meta.size()));
    }
    Ok(())
}

/// Reads at most [`MAX_LEN`] bytes; a file that grew past it while being read is refused.
/// The buffer is sized from the file's length (one byte more, to see growth), so a file
/// is read in one `read` and no buffer is ever copied by a reallocation.
fn read_bounded(file: &mut File, expected: u64) -> Result<Vec<u8>, ReadError> {
    const LIMIT: usize = MAX_LEN as usize + 1;
    let mut bytes = vec![0u8; (expected as usize).min(MAX_LEN as usize) + 1];
    let mut filled = 0;
    let failed = |mut bytes: Vec<u8>, error: ReadError| {
        zeroize::Zeroize::zeroize(&mut bytes);
        Err(error)
    };
    loop {
        if filled == bytes.len() {
            if filled >= LIMIT {
                return failed(bytes, ReadError::TooLarge(filled as u64));
            }
            let more = (bytes.len() * 2).min(LIMIT);
            let mut grown = vec![0u8; more];
            grown[..filled].copy_from_slice(&bytes[..filled]);
            zeroize::Zeroize::zeroize(&mut bytes);
            bytes = grown;
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return failed(bytes, e.into()),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// Whether `path` is still the file `was` describes and holds exactly `bytes`. The bytes
/// are compared too: a write in place within the file system's timestamp granularity
/// can leave size and times as they were.
pub fn holds(path: &Path, was: Identity, bytes: &[u8]) -> bool {
    let same_file = fs::metadata(path).is_ok_and(|meta| Identity::of(&meta) == was);
    same_file
        && match read(path) {
            Ok(Some(Contents {
                bytes: now,
                meta: Some(meta),
            })) => {
                let now = zeroize::Zeroizing::new(now);
                Identity::of(&meta) == was && now.as_slice() == bytes
            }
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_null_reads_as_empty() {
        let read = read(Path::new("/dev/null")).unwrap().unwrap();
        assert!(read.bytes.is_empty() && read.meta.is_none());
    }

    #[test]
    fn other_devices_fifos_and_directories_are_refused_unopened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        for (path, what) in [
            (fifo.as_path(), "a named pipe (FIFO)"),
            (Path::new("/dev/zero"), "a character device"),
            (dir.path(), "a directory"),
        ] {
            match read(path) {
                Err(ReadError::NotAFile(found)) => assert_eq!(found, what),
                other => panic!("{}: {:?}", path.display(), other.map(|_| ())),
            }
        }
    }

    #[test]
    fn a_missing_file_is_none_and_a_file_reads_whole() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read(&dir.path().join("none")).unwrap().is_none());
        let path = dir.path().join("f");
        fs::write(&path, "[a]\n").unwrap();
        assert_eq!(read(&path).unwrap().unwrap().bytes, b"[a]\n");
    }

    #[test]
    fn a_file_past_the_bound_is_refused_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        let file = File::create(&path).unwrap();
        file.set_len(MAX_LEN + 1).unwrap(); // sparse: costs no disk
        assert!(matches!(read(&path), Err(ReadError::TooLarge(n)) if n == MAX_LEN + 1));
    }
}
