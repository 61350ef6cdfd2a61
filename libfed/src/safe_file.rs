//! Writing a file that holds credentials (a kubeconfig) so that nothing is lost or exposed:
//!
//! - [`FileLock`]: the advisory lock kubectl takes (client-go `lockFile`): `FILE.lock`, created
//!   with `O_CREAT|O_EXCL` and removed when done. kubectl fails at once when the lock exists; we
//!   wait for it (up to a deadline), so concurrent writers take turns instead of overwriting each
//!   other's read-modify-write.
//! - [`resolve_symlinks`]: a symlinked kubeconfig (dotfile managers) is written through: the link
//!   stays, its target is replaced.
//! - [`replace_file`]: the new content goes to a temporary file in the target's directory, is
//!   fsynced and renamed over the target (then the directory is fsynced), so a reader sees the
//!   old file or the new one, never half of one. The result is mode 0600: a file that was group-
//!   or world-accessible is tightened, and the caller is told so it can say it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How many symlinks are followed before giving up (Linux's `MAXSYMLINKS`).
const MAX_SYMLINKS: usize = 40;

/// An advisory lock on a file, held as `FILE.lock`; released (removed) on drop.
#[derive(Debug)]
pub struct FileLock {
    path: PathBuf,
}

/// The lock file kubectl uses for `path`.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".lock");
    PathBuf::from(name)
}

impl FileLock {
    /// Takes the lock on `path` (creating the directory if needed, as kubectl does), retrying
    /// until `wait` has passed.
    ///
    /// # Errors
    /// [`std::io::ErrorKind::WouldBlock`] when the lock is still held after `wait` (another
    /// writer, or one that died holding it: the message names the file to remove); any other
    /// error creating the lock file.
    pub fn acquire(path: &Path, wait: Duration) -> std::io::Result<FileLock> {
        let lock = lock_path(path);
        if let Some(dir) = lock.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let deadline = Instant::now() + wait;
        let mut pause = Duration::from_millis(5);
        loop {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&lock) {
                Ok(mut f) => {
                    // For whoever finds a stale lock: which process held it.
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(FileLock { path: lock });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if Instant::now() >= deadline {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::WouldBlock,
                            format!(
                                "{} is still locked after {}s: another kubectl or kubectl-federate is writing it; if none runs, remove the stale {}",
                                path.display(),
                                wait.as_secs(),
                                lock.display()
                            ),
                        ));
                    }
                    // Spread the retries of waiting processes; the holder needs only milliseconds.
                    let jitter = Duration::from_micros(u64::from(std::process::id() % 997) * 7);
                    std::thread::sleep(pause + jitter);
                    pause = (pause * 2).min(Duration::from_millis(100));
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Follows symlinks from `path` to the file they finally name (which may not exist yet): the file
/// to replace so that the links stay links.
///
/// # Errors
/// A link that cannot be read, or a loop of more than 40 links.
pub fn resolve_symlinks(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_SYMLINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(format!("{}: too many levels of symbolic links", path.display())))
}

/// What [`replace_file`] did besides writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// The file really written (the symlink target, when `path` was a link).
    pub written: PathBuf,
    /// The mode the file had when it was group- or world-accessible and was tightened to 0600.
    pub tightened_from: Option<u32>,
}

/// Replaces the file at `path` (through symlinks) with `content`, atomically, mode 0600.
///
/// # Errors
/// Any I/O error; the temporary file is removed and the old file is left as it was.
pub fn replace_file(path: &Path, content: &[u8]) -> std::io::Result<Replaced> {
    let target = resolve_symlinks(path)?;
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    std::fs::create_dir_all(&dir)?;
    let old_mode = old_mode(&target)?;
    let name = target.file_name().map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let mut tmp = tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".tmp").tempfile_in(&dir)?;
    // tempfile creates the file 0600 already; set it again in case a umask or ACL changed it.
    set_private(tmp.as_file())?;
    tmp.as_file_mut().write_all(content)?;
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    if let Ok(d) = std::fs::File::open(&dir) {
        // Makes the rename durable; some filesystems do not support it, which is harmless.
        let _ = d.sync_all();
    }
    let tightened_from = old_mode.filter(|m| m & 0o077 != 0);
    Ok(Replaced { written: target, tightened_from })
}

#[cfg(unix)]
fn old_mode(path: &Path) -> std::io::Result<Option<u32>> {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(path) {
        Ok(m) => Ok(Some(m.permissions().mode() & 0o7777)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn old_mode(_path: &Path) -> std::io::Result<Option<u32>> {
    Ok(None)
}

#[cfg(unix)]
fn set_private(f: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private(_f: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).expect("meta").permissions().mode() & 0o777
    }

    #[test]
    fn a_symlinked_file_is_written_through_and_the_link_stays() {
        let dir = tempfile::tempdir().expect("tmp");
        let real = dir.path().join("dotfiles").join("kubeconfig");
        std::fs::create_dir_all(real.parent().expect("dir")).expect("mkdir");
        std::fs::write(&real, "old").expect("write");
        let link = dir.path().join("config");
        std::os::unix::fs::symlink("dotfiles/kubeconfig", &link).expect("symlink");
        let link2 = dir.path().join("config2");
        std::os::unix::fs::symlink(&link, &link2).expect("symlink to symlink");
        let done = replace_file(&link2, b"new").expect("replace");
        assert_eq!(done.written, dir.path().join("dotfiles/kubeconfig"));
        assert!(std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink());
        assert!(std::fs::symlink_metadata(&link2).expect("link").file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&real).expect("read"), "new");
    }

    #[test]
    fn a_dangling_symlink_creates_its_target() {
        let dir = tempfile::tempdir().expect("tmp");
        let link = dir.path().join("config");
        std::os::unix::fs::symlink(dir.path().join("sub/real"), &link).expect("symlink");
        replace_file(&link, b"x").expect("replace");
        assert!(std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(dir.path().join("sub/real")).expect("read"), "x");
        assert_eq!(mode(&dir.path().join("sub/real")), 0o600);
    }

    #[test]
    fn symlink_loops_are_an_error_not_a_hang() {
        let dir = tempfile::tempdir().expect("tmp");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::os::unix::fs::symlink(&b, &a).expect("a");
        std::os::unix::fs::symlink(&a, &b).expect("b");
        assert!(replace_file(&a, b"x").is_err());
    }

    #[test]
    fn an_open_file_is_tightened_to_0600_and_reported() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("config");
        std::fs::write(&path, "old").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let done = replace_file(&path, b"new").expect("replace");
        assert_eq!(done.tightened_from, Some(0o644));
        assert_eq!(mode(&path), 0o600);
        let again = replace_file(&path, b"newer").expect("replace");
        assert_eq!(again.tightened_from, None, "a private file is not reported");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("ls").filter_map(|e| e.ok()).collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn the_lock_excludes_a_second_holder_until_released() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("config");
        let held = FileLock::acquire(&path, Duration::from_secs(1)).expect("first");
        assert!(lock_path(&path).exists(), "kubectl's lock file");
        let err = FileLock::acquire(&path, Duration::from_millis(50)).expect_err("held");
        assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);
        assert!(err.to_string().contains("config.lock"), "{err}");
        drop(held);
        assert!(!lock_path(&path).exists());
        FileLock::acquire(&path, Duration::from_millis(50)).expect("free again");
    }

    #[test]
    fn concurrent_lockers_take_turns() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("counter");
        std::fs::write(&path, "0").expect("init");
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || {
                    for _ in 0..5 {
                        let _lock = FileLock::acquire(&path, Duration::from_secs(30)).expect("lock");
                        let n: u32 = std::fs::read_to_string(&path).expect("read").parse().expect("n");
                        std::thread::sleep(Duration::from_millis(1));
                        replace_file(&path, (n + 1).to_string().as_bytes()).expect("write");
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "40", "no increment lost");
    }
}
