//! Which local files the server may read. A client (an assistant) names paths on its user's
//! behalf; the server reads only under its working directory and the directories given with
//! `--allow-path`, each canonicalised at start. A path is canonicalised too (symbolic links and
//! `..` resolved) before the check, and the canonical path is what is read, so neither `..` nor a
//! link can lead outside.

use crate::error::Error;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct Sandbox {
    /// The working directory at start: relative paths are relative to it.
    cwd: PathBuf,
    /// Canonical directories whose files may be read: the working directory first.
    roots: Vec<PathBuf>,
}

impl Sandbox {
    /// The working directory and `allowed`, canonicalised; a directory that cannot be is an error.
    pub fn new(allowed: &[PathBuf]) -> Result<Sandbox, Error> {
        let cwd = std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .map_err(|e| Error::msg(format!("cannot use the working directory: {e}")))?;
        let mut roots = vec![cwd.clone()];
        for dir in allowed {
            let canonical =
                std::fs::canonicalize(dir).map_err(|e| Error::msg(format!("--allow-path {}: {e}", dir.display())))?;
            if !canonical.is_dir() {
                return Err(Error::msg(format!("--allow-path {}: not a directory", dir.display())));
            }
            roots.push(canonical);
        }
        Ok(Sandbox { cwd, roots })
    }

    /// The file at `path` (as the client wrote it, which names it in messages): its name and text.
    /// Read with the architecture file's size limit, as the command line reads every input.
    pub fn read(&self, path: &str) -> Result<(String, String), Error> {
        let canonical = self.resolve(path)?;
        let text = crate::architecture::read(&canonical, path)?;
        Ok((path.to_string(), text))
    }

    /// `path` canonicalised, if it lies under one of the roots.
    fn resolve(&self, path: &str) -> Result<PathBuf, Error> {
        let full = self.cwd.join(Path::new(path));
        let inside = |p: &Path| self.roots.iter().any(|root| p.starts_with(root));
        match std::fs::canonicalize(&full) {
            Ok(canonical) if inside(&canonical) => return Ok(canonical),
            Ok(_) => {}
            // The command line's message for a file that is not there, when its directory may be
            // read: what lies outside is not even confirmed absent.
            Err(e) => {
                let dir = full.ancestors().skip(1).find_map(|a| std::fs::canonicalize(a).ok());
                if dir.is_some_and(|d| inside(&d)) {
                    return Err(Error::msg(format!("cannot read {path}: {e}")));
                }
            }
        }
        let roots: Vec<String> = self.roots.iter().map(|r| r.display().to_string()).collect();
        Err(Error::msg(format!(
            "cannot read {path}: it is outside the directories this server may read ({}); start the server with `closednet mcp --allow-path DIR` to let it read DIR too",
            roots.join(", ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("closednet-sandbox-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("inside")).unwrap();
        std::fs::create_dir_all(dir.join("outside")).unwrap();
        std::fs::write(dir.join("inside/a.yaml"), "a").unwrap();
        std::fs::write(dir.join("outside/secret.yaml"), "s").unwrap();
        std::fs::canonicalize(dir).unwrap()
    }

    fn sandbox(root: &Path, allowed: &[&Path]) -> Sandbox {
        let roots = std::iter::once(root.to_path_buf()).chain(allowed.iter().map(|p| p.to_path_buf())).collect();
        Sandbox { cwd: root.to_path_buf(), roots }
    }

    #[test]
    fn files_under_the_root_are_read_and_dot_dot_or_links_out_are_refused() {
        let dir = temp("escape");
        let inside = dir.join("inside");
        std::os::unix::fs::symlink(dir.join("outside/secret.yaml"), inside.join("link.yaml")).unwrap();
        let s = sandbox(&inside, &[]);
        assert_eq!(s.read("a.yaml").unwrap(), ("a.yaml".to_string(), "a".to_string()));
        assert_eq!(s.read(&inside.join("a.yaml").display().to_string()).unwrap().1, "a");
        for escape in ["../outside/secret.yaml", "link.yaml"] {
            let e = s.read(escape).unwrap_err().to_string();
            assert_eq!(
                e,
                format!(
                    "error: cannot read {escape}: it is outside the directories this server may read ({}); start the server with `closednet mcp --allow-path DIR` to let it read DIR too",
                    inside.display()
                )
            );
        }
        let allowed = sandbox(&inside, &[&dir.join("outside")]);
        assert_eq!(allowed.read("../outside/secret.yaml").unwrap().1, "s");
        assert_eq!(allowed.read("link.yaml").unwrap().1, "s");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_missing_file_gets_the_command_lines_message() {
        let dir = temp("missing");
        let s = sandbox(&dir, &[]);
        assert_eq!(
            s.read("nope.yaml").unwrap_err().to_string(),
            "error: cannot read nope.yaml: No such file or directory (os error 2)"
        );
        let inside = sandbox(&dir.join("inside"), &[]);
        let e = inside.read("../outside/nope.yaml").unwrap_err().to_string();
        assert!(e.starts_with("error: cannot read ../outside/nope.yaml: it is outside the directories"), "{e}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
