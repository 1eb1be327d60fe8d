//! The commons lock, `.git/commons.lock`: held by one `commons` process at a
//! time while it writes files and commits, so that two processes recording
//! at once serialise instead of losing each other's work.
//!
//! The lock file holds the holder's pid, then (a journal) every path the
//! commit is about to write. A holder killed mid-commit leaves it behind;
//! the next process finds its pid dead and recovers what only a dead holder
//! can have left: git's own lock files created while it held the lock, its
//! journaled paths as HEAD has them (in the work tree and the index: the
//! unfinished commit is rolled back, a finished one kept), and
//! `.commons-*.tmp` files of writes that never finished. A lock whose holder lives is waited for, never taken.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::error::{Error, IoContext, Result};

const LOCK_FILE: &str = "commons.lock";
const WAIT: Duration = Duration::from_secs(30);
/// The prefix and suffix of temp files written by [`crate::commons::atomic_write`].
pub const TEMP_PREFIX: &str = ".commons-";
pub const TEMP_SUFFIX: &str = ".tmp";

pub struct CommitLock {
    path: PathBuf,
    file: fs::File,
}

impl CommitLock {
    /// Takes the lock of the repository at `git_dir` (work tree `root`),
    /// recovering after a dead holder; waits up to 30 s for a live one.
    pub fn acquire(git_dir: &Path, root: &Path) -> Result<CommitLock> {
        Self::acquire_within(git_dir, root, WAIT)
    }

    /// Recovers after a holder killed mid-commit, if there was one: what
    /// every command does first, so that none reads a half-made commit.
    /// A live holder is left alone.
    pub fn recover_abandoned(git_dir: &Path, root: &Path) {
        if git_dir.join(LOCK_FILE).exists() {
            drop(Self::acquire_within(git_dir, root, Duration::ZERO));
        }
    }

    fn acquire_within(git_dir: &Path, root: &Path, wait: Duration) -> Result<CommitLock> {
        let path = git_dir.join(LOCK_FILE);
        let start = Instant::now();
        let mut abandoned: Vec<Left> = Vec::new();
        loop {
            match create_with_pid(&path) {
                Ok(file) => {
                    let lock = CommitLock { path, file };
                    // Recovered only now that no one else can write.
                    for left in &abandoned {
                        recover(git_dir, root, left);
                    }
                    return Ok(lock);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if let Some(left) = take_over_stale(&path) {
                        abandoned.push(left);
                        continue;
                    }
                    if start.elapsed() >= wait {
                        return Err(Error::Other(format!(
                            "{}: another commons process has held the lock for over {}s; if none is running, remove this file",
                            path.display(),
                            wait.as_secs()
                        )));
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(Error::io(path, e)),
            }
        }
    }

    /// Notes the paths (relative to the work tree) this commit will write,
    /// so that a successor can undo what a kill leaves half done.
    pub fn journal(&mut self, paths: &[&str]) -> Result<()> {
        let mut text = String::new();
        for p in paths {
            text.push_str(p);
            text.push('\n');
        }
        self.file.write_all(text.as_bytes()).at(&self.path)?;
        self.file.sync_data().at(&self.path)
    }
}

impl Drop for CommitLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Creates the lock file already holding this process's pid (written to a
/// file of our own, then linked into place), so that no one ever reads an
/// empty lock; fails with `AlreadyExists` if it is held.
fn create_with_pid(path: &Path) -> std::io::Result<fs::File> {
    let pid = std::process::id();
    let own = path.with_extension(format!("lock.{pid}"));
    fs::write(&own, format!("{pid}\n"))?;
    let linked = fs::hard_link(&own, path);
    let _ = fs::remove_file(&own);
    linked?;
    fs::OpenOptions::new().append(true).open(path)
}

/// What a dead holder left: when it took the lock, and its journal.
struct Left {
    since: SystemTime,
    paths: Vec<String>,
}

/// If the lock's holder is dead, moves the lock file aside (one process wins
/// the rename) and returns what it held.
fn take_over_stale(path: &Path) -> Option<Left> {
    let meta = fs::metadata(path).ok()?;
    let text = fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    let pid = lines.next().and_then(|l| l.trim().parse::<u32>().ok());
    // A lock without a pid was not made by `commons`: not ours to judge.
    let stale = pid.is_some_and(|pid| !process_alive(pid));
    if !stale {
        return None;
    }
    let aside = path.with_extension(format!("stale-{}", std::process::id()));
    fs::rename(path, &aside).ok()?;
    // Another process may have replaced the stale lock with its own between
    // our read and our rename: give a live lock back.
    let taken = fs::read_to_string(&aside).unwrap_or_default();
    if taken != text {
        let _ = fs::hard_link(&aside, path);
        let _ = fs::remove_file(&aside);
        return None;
    }
    let _ = fs::remove_file(&aside);
    Some(Left {
        since: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
        paths: lines.map(str::to_owned).filter(|l| !l.is_empty()).collect(),
    })
}

fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

/// Undoes what a holder killed mid-commit left: git lock files it created,
/// index entries of its journaled paths, temp files of unfinished writes.
/// Best effort: what cannot be undone is reported by the commit that follows.
fn recover(git_dir: &Path, root: &Path, left: &Left) {
    remove_pid_files_of_the_dead(git_dir);
    let mut git_locks = vec![git_dir.join("index.lock"), git_dir.join("HEAD.lock")];
    collect_locks(&git_dir.join("refs"), &mut git_locks);
    for lock in git_locks {
        let created_while_held = fs::metadata(&lock)
            .and_then(|m| m.modified())
            .is_ok_and(|m| m >= left.since);
        if created_while_held {
            let _ = fs::remove_file(&lock);
        }
    }
    if !left.paths.is_empty()
        && let Ok(repo) = git2::Repository::open(root)
    {
        roll_back(&repo, root, &left.paths);
    }
    for dir in left
        .paths
        .iter()
        .filter_map(|p| root.join(p).parent().map(Path::to_path_buf))
    {
        remove_temp_files(&dir, false);
    }
    remove_temp_files(&root.join("manifests"), true);
}

/// Puts the journaled paths back as HEAD has them, in the work tree and in
/// the index: what the killed commit did not finish is undone, what it
/// finished is kept (HEAD then already holds it).
fn roll_back(repo: &git2::Repository, root: &Path, paths: &[String]) {
    let Ok(head) = repo.head().and_then(|h| h.peel(git2::ObjectType::Commit)) else {
        return;
    };
    let Ok(tree) = head.peel_to_tree() else {
        return;
    };
    for rel in paths {
        let abs = root.join(rel);
        let committed = tree
            .get_path(Path::new(rel))
            .and_then(|e| e.to_object(repo))
            .ok()
            .and_then(|o| o.into_blob().ok());
        let _ = match committed {
            Some(blob) => crate::commons::atomic_write(&abs, blob.content()).map_err(|_| ()),
            None => fs::remove_file(&abs).map_err(|_| ()),
        };
    }
    let _ = repo.reset_default(Some(&head), paths.iter());
}

/// `commons.lock.<pid>` files of holders killed while taking the lock.
fn remove_pid_files_of_the_dead(git_dir: &Path) {
    let Ok(entries) = fs::read_dir(git_dir) else {
        return;
    };
    let prefix = format!("{LOCK_FILE}.");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let pid = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !process_alive(pid)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn collect_locks(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_locks(&path, out);
        } else if path.extension().is_some_and(|e| e == "lock") {
            out.push(path);
        }
    }
}

/// Removes `.commons-*.tmp` files in `dir` (and below it if `recursive`):
/// only a writer holding the lock makes them, so with the lock held none is
/// in use.
fn remove_temp_files(dir: &Path, recursive: bool) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if recursive {
                remove_temp_files(&path, true);
            }
        } else if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
            let _ = fs::remove_file(&path);
        }
    }
}
