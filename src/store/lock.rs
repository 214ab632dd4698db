//! Exclusive advisory locks (`flock`) on the directories of the two files. The directory
//! is locked rather than the file because the commit replaces the file's inode.
//!
//! Waiting is bounded and not silent: after [`SAY_AFTER`] the caller is told who holds the
//! lock (read from `/proc/locks`), and after [`GIVE_UP_AFTER`] the wait ends in an error.

use std::fs::{self, File, TryLockError};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

pub const SAY_AFTER: Duration = Duration::from_millis(500);
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(10);

/// The process holding a lock, as far as the system tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: Option<u32>,
    /// The program's name (`/proc/PID/comm`).
    pub name: Option<String>,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = self.name.as_deref().unwrap_or("process");
        let name = if name == "credwiz" {
            "another credwiz"
        } else {
            name
        };
        match self.pid {
            Some(pid) => write!(f, "{name} (pid {pid})"),
            None => write!(f, "another credwiz"),
        }
    }
}

/// Why the locks were not taken.
#[derive(Debug)]
pub enum LockError {
    Io { dir: PathBuf, source: io::Error },
    Busy { dir: PathBuf, holder: Holder },
}

/// Locks held until dropped.
pub struct DirLocks {
    _held: Vec<File>,
}

impl DirLocks {
    /// Locks every directory (in a fixed order, so two credwiz never deadlock), waiting at
    /// most [`GIVE_UP_AFTER`] for each; `waiting` is called once if the wait is long.
    pub fn acquire(
        dirs: &[PathBuf],
        waiting: &dyn Fn(&Path, &Holder),
    ) -> Result<DirLocks, LockError> {
        let mut held = Vec::with_capacity(dirs.len());
        for dir in sorted(dirs) {
            held.push(lock_one(dir, waiting)?);
        }
        Ok(DirLocks { _held: held })
    }

    /// Takes every lock now or none: `None` while another credwiz holds one.
    pub fn try_acquire(dirs: &[PathBuf]) -> io::Result<Option<DirLocks>> {
        let mut held = Vec::with_capacity(dirs.len());
        for dir in sorted(dirs) {
            let file = File::open(dir)?;
            match file.try_lock() {
                Ok(()) => held.push(file),
                Err(TryLockError::WouldBlock) => return Ok(None),
                Err(TryLockError::Error(e)) => return Err(e),
            }
        }
        Ok(Some(DirLocks { _held: held }))
    }
}

fn sorted(dirs: &[PathBuf]) -> Vec<&PathBuf> {
    let mut sorted: Vec<&PathBuf> = dirs.iter().collect();
    sorted.sort();
    sorted.dedup();
    sorted
}

fn lock_one(dir: &Path, waiting: &dyn Fn(&Path, &Holder)) -> Result<File, LockError> {
    let io_error = |source| LockError::Io {
        dir: dir.to_path_buf(),
        source,
    };
    let file = File::open(dir).map_err(io_error)?;
    let started = Instant::now();
    let mut said = false;
    let mut pause = Duration::from_millis(2);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(TryLockError::Error(e)) => return Err(io_error(e)),
            Err(TryLockError::WouldBlock) => {}
        }
        let waited = started.elapsed();
        if waited >= GIVE_UP_AFTER {
            return Err(LockError::Busy {
                dir: dir.to_path_buf(),
                holder: holder(dir),
            });
        }
        if !said && waited >= SAY_AFTER {
            said = true;
            waiting(dir, &holder(dir));
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

/// Who holds the `flock` on `dir`, from `/proc/locks`.
pub fn holder(dir: &Path) -> Holder {
    let pid = fs::metadata(dir).ok().and_then(|meta| {
        let locks = fs::read_to_string("/proc/locks").ok()?;
        flock_holder(&locks, meta.dev(), meta.ino())
    });
    let name = pid.and_then(|pid| {
        fs::read_to_string(format!("/proc/{pid}/comm"))
            .ok()
            .map(|n| n.trim_end().to_string())
    });
    Holder { pid, name }
}

/// The pid holding a granted FLOCK on the inode, from the text of `/proc/locks`
/// (`1: FLOCK  ADVISORY  WRITE 4242 fd:01:1234 0 EOF`; waiters have `->`).
fn flock_holder(locks: &str, dev: u64, ino: u64) -> Option<u32> {
    let want = format!(
        "{:02x}:{:02x}:{ino}",
        libc::major(dev as libc::dev_t),
        libc::minor(dev as libc::dev_t)
    );
    locks.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            [_, "FLOCK", _, _, pid, inode, ..] if *inode == want => pid.parse().ok(),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn the_holder_is_read_from_proc_locks() {
        let dev = libc::makedev(0xfd, 1) as u64;
        let locks = "1: POSIX  ADVISORY  WRITE 1 fd:01:77 0 EOF\n\
                     2: FLOCK  ADVISORY  WRITE 4242 fd:01:77 0 EOF\n\
                     2: -> FLOCK  ADVISORY  WRITE 5151 fd:01:77 0 EOF\n";
        assert_eq!(flock_holder(locks, dev, 77), Some(4242));
        assert_eq!(flock_holder(locks, dev, 78), None);
    }

    #[test]
    fn a_held_lock_names_this_process_and_try_acquire_gives_way() {
        let dir = tempfile::tempdir().unwrap();
        let dirs = vec![dir.path().to_path_buf()];
        let held = File::open(dir.path()).unwrap();
        held.lock().unwrap();
        assert!(DirLocks::try_acquire(&dirs).unwrap().is_none());
        let found = holder(dir.path());
        assert_eq!(found.pid, Some(std::process::id()));
        drop(held);
        let told = Cell::new(false);
        let locks = DirLocks::acquire(&dirs, &|_, _| told.set(true)).unwrap();
        assert!(!told.get(), "a free lock is taken without a word");
        drop(locks);
    }
}
