//! Files that are either the old version or the new one, never half of each: the bytes go to a
//! temporary file beside the target, are flushed to disk, and the temporary file is renamed over
//! the target (a rename within one folder replaces a file in one step). A full disk, a file-size
//! limit or a crash mid-write leaves the previous file as it was, and no temporary file behind
//! (but after a crash: `.NAME.PID.tmp` beside the target, which the next write does not reuse).
//!
//! A target that exists and is not a regular file (`/dev/stdout`, `/dev/full`, a FIFO) is a
//! stream: it is written in place, since renaming over it would replace the device node. A
//! symbolic link is followed, and the file it points to is replaced.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` (see the module docs).
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut staged = Staged::create(path)?;
    staged.file().write_all(bytes)?;
    staged.commit()
}

/// A file being written beside its target. [`Staged::commit`] puts it in place; dropped without
/// that, it is removed and the target is untouched.
#[derive(Debug)]
pub struct Staged {
    file: File,
    target: PathBuf,
    /// `None` when the target is a stream written in place.
    temp: Option<PathBuf>,
}

impl Staged {
    /// Opens the temporary file for `path` (or `path` itself, for a stream).
    pub fn create(path: &Path) -> io::Result<Staged> {
        let existing = fs::metadata(path).ok();
        if existing.as_ref().is_some_and(|m| !m.is_file()) {
            if existing.as_ref().is_some_and(fs::Metadata::is_dir) {
                return Err(io::Error::new(io::ErrorKind::IsADirectory, "is a folder, not a file"));
            }
            let file = OpenOptions::new().write(true).truncate(true).open(path)?;
            return Ok(Staged { file, target: path.to_path_buf(), temp: None });
        }
        // A link is replaced by a file otherwise: write beside what it points to.
        let target = match existing {
            Some(_) => fs::canonicalize(path)?,
            None => path.to_path_buf(),
        };
        let name = target
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?
            .to_string_lossy()
            .into_owned();
        let dir = target.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut n = 0u32;
        let (file, temp) = loop {
            let suffix = if n == 0 { String::new() } else { format!(".{n}") };
            let temp = dir.join(format!(".{name}.{}{suffix}.tmp", std::process::id()));
            match OpenOptions::new().write(true).create_new(true).open(&temp) {
                Ok(f) => break (f, temp),
                // Left by an earlier process of the same id: never written into, never reused.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 100 => n += 1,
                Err(e) => return Err(e),
            }
        };
        let staged = Staged { file, target, temp: Some(temp) };
        if let Some(m) = fs::metadata(&staged.target).ok().filter(fs::Metadata::is_file) {
            staged.file.set_permissions(m.permissions())?;
        }
        Ok(staged)
    }

    pub fn file(&mut self) -> &mut File {
        &mut self.file
    }

    /// Flushes the bytes to disk and renames the temporary file over the target.
    pub fn commit(mut self) -> io::Result<()> {
        self.file.flush()?;
        let Some(temp) = self.temp.take() else { return Ok(()) };
        let placed = self.file.sync_all().and_then(|()| fs::rename(&temp, &self.target));
        if placed.is_err() {
            let _ = fs::remove_file(&temp);
        } else if let Some(dir) = self.target.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The rename itself reaches the disk with the folder; not every system can sync one.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        placed
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = fs::remove_file(temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch directory, removed when the test ends.
    struct Scratch(PathBuf);

    impl std::ops::Deref for Scratch {
        type Target = Path;
        fn deref(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn scratch(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("closednet-atomic-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_leaves_nothing_else() {
        let dir = scratch("replace");
        let target = dir.join("report.json");
        fs::write(&target, "old").unwrap();
        write(&target, b"new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(listing(&dir), ["report.json"]);
    }

    #[test]
    fn an_abandoned_write_keeps_the_old_file() {
        let dir = scratch("abandon");
        let target = dir.join("report.json");
        fs::write(&target, "old").unwrap();
        let mut staged = Staged::create(&target).unwrap();
        staged.file().write_all(b"half of the n").unwrap();
        assert_eq!(listing(&dir).len(), 2, "the temporary file sits beside the target");
        drop(staged);
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(listing(&dir), ["report.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_permissions_and_follows_a_link() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("link");
        let real = dir.join("real.txt");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        std::os::unix::fs::symlink(&real, dir.join("link.txt")).unwrap();
        write(&dir.join("link.txt"), b"new").unwrap();
        assert!(fs::symlink_metadata(dir.join("link.txt")).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o640);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_device_is_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        write(Path::new("/dev/null"), b"discarded").unwrap();
        assert!(fs::metadata("/dev/null").unwrap().file_type().is_char_device());
        let e = write(Path::new("/dev/full"), b"x").unwrap_err();
        assert_eq!(e.raw_os_error(), Some(28), "{e}");
    }

    #[test]
    fn a_folder_is_refused() {
        let dir = scratch("dir");
        assert_eq!(write(&dir, b"x").unwrap_err().kind(), io::ErrorKind::IsADirectory);
    }
}
