//! The world a CI step runs in, built from scratch for each test: a temporary directory with a git
//! repository (a `main` branch pushed to a bare `origin`, and a pull-request commit on top), a bin
//! directory whose `closednet` is the binary under test and whose `gh` is a recording test double
//! for the GitHub CLI, and a PATH with no other `closednet` on it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const TODAY: &str = "2026-11-30";

/// A temporary directory, removed when dropped.
pub struct Sandbox {
    pub root: PathBuf,
}

impl Sandbox {
    pub fn new(name: &str) -> Sandbox {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let root = crate::support::tmp().join(format!("it-{name}-{n}"));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        Sandbox { root }
    }

    /// `root/rel`, created.
    pub fn dir(&self, rel: &str) -> PathBuf {
        let d = self.root.join(rel);
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

pub fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// The article with Entra ID licences owned instead of bought: the closed design drops from
/// JPY 1,415,594 to 515,594 a month (1,000 users x USD 6 x 150 = 900,000 less); same line count.
pub fn article_owned_entra() -> String {
    let article = std::fs::read_to_string("examples/article.yaml").unwrap();
    let changed = article.replace("\n  operator_access: none\n", "\n  licences: { entra: owned }\n");
    assert_ne!(changed, article);
    changed
}

/// A repository in `root/ws` whose `main` (pushed to `root/origin.git`) has `changed` = the
/// article, checked out at a pull-request commit that makes it [`article_owned_entra`] and adds
/// `architecture/new.yaml` (the article again). Like a shallow checkout, it has no `origin/main`
/// ref: the steps must fetch it.
pub fn pull_request_repository(sb: &Sandbox, changed: &str) -> PathBuf {
    let origin = sb.dir("origin.git");
    git(&origin, &["init", "-q", "--bare"]);
    let ws = sb.dir("ws");
    git(&ws, &["init", "-q"]);
    git(&ws, &["remote", "add", "origin", origin.to_str().unwrap()]);
    let article = std::fs::read_to_string("examples/article.yaml").unwrap();
    write(&ws.join(changed), &article);
    git(&ws, &["add", "-A"]);
    git(&ws, &["commit", "-qm", "main"]);
    git(&ws, &["push", "-q", "origin", "HEAD:refs/heads/main"]);
    git(&ws, &["checkout", "-q", "-b", "pr"]);
    write(&ws.join(changed), &article_owned_entra());
    write(&ws.join("architecture/new.yaml"), &article);
    git(&ws, &["add", "-A"]);
    git(&ws, &["commit", "-qm", "pull request"]);
    let _ = Command::new("git").args(["update-ref", "-d", "refs/remotes/origin/main"]).current_dir(&ws).status();
    ws
}

/// A test double for the GitHub CLI: each call's arguments (one a line) go to `$GH_STUB_DIR/callN`,
/// the token it saw to `tokenN`, a `body=@FILE` field's file to `bodyN`; a call with `--method`
/// answers a comment URL, any other (the comment listing) answers `$GH_STUB_LIST`.
const GH_STUB: &str = r#"#!/usr/bin/env bash
n=$(cat "$GH_STUB_DIR/count" 2>/dev/null || echo 0)
echo $((n + 1)) > "$GH_STUB_DIR/count"
printf '%s\n' "$@" > "$GH_STUB_DIR/call$n"
printf '%s' "$GH_TOKEN" > "$GH_STUB_DIR/token$n"
for a in "$@"; do
  case "$a" in body=@*) cp "${a#body=@}" "$GH_STUB_DIR/body$n" ;; esac
done
case " $* " in
  *" --method "*) echo "https://github.com/octo/arch/pull/7#issuecomment-42" ;;
  *) printf '%s' "${GH_STUB_LIST-}" ;;
esac
"#;

/// `root/bin` with the `gh` double and, when asked, `closednet` (the binary under test).
pub fn bin_dir(sb: &Sandbox, with_closednet: bool) -> PathBuf {
    let bin = sb.dir("bin");
    let gh = bin.join("gh");
    write(&gh, GH_STUB);
    std::fs::set_permissions(&gh, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    if with_closednet {
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_closednet"), bin.join("closednet")).unwrap();
    }
    sb.dir("gh");
    bin
}

/// The calls the `gh` double recorded: (arguments, token, body).
pub fn gh_calls(sb: &Sandbox) -> Vec<(Vec<String>, String, Option<String>)> {
    let dir = sb.root.join("gh");
    (0..)
        .map_while(|n| {
            let args = std::fs::read_to_string(dir.join(format!("call{n}"))).ok()?;
            let token = std::fs::read_to_string(dir.join(format!("token{n}"))).unwrap();
            let body = std::fs::read_to_string(dir.join(format!("body{n}"))).ok();
            Some((args.lines().map(str::to_string).collect(), token, body))
        })
        .collect()
}

/// `bin` first, then this process's PATH without any directory that holds a `closednet`.
pub fn path_with(bin: &Path) -> String {
    let rest = std::env::var("PATH").unwrap_or_default();
    let dirs = std::iter::once(bin.display().to_string()).chain(
        rest.split(':').filter(|d| !d.is_empty() && !Path::new(d).join("closednet").exists()).map(str::to_string),
    );
    dirs.collect::<Vec<_>>().join(":")
}

/// What every step sees whatever the platform: PATH, HOME, the gh double's directory, the date.
pub fn base_env(sb: &Sandbox, bin: &Path) -> BTreeMap<String, String> {
    let home = sb.dir("home");
    BTreeMap::from([
        ("PATH".to_string(), path_with(bin)),
        ("HOME".to_string(), home.display().to_string()),
        ("GH_STUB_DIR".to_string(), sb.root.join("gh").display().to_string()),
        ("CLOSEDNET_TODAY".to_string(), TODAY.to_string()),
        ("LANG".to_string(), "C.UTF-8".to_string()),
    ])
}

/// Runs `script` as `bash --noprofile --norc FLAGS FILE` (GitHub's `shell: bash` passes
/// `-eo pipefail`), returning (exit code, stdout, stderr).
pub fn bash(
    script: &str,
    flags: &[&str],
    cwd: &Path,
    env: &BTreeMap<String, String>,
    file: &Path,
) -> (i32, String, String) {
    write(file, script);
    let o = Command::new("bash")
        .args(["--noprofile", "--norc"])
        .args(flags)
        .arg(file)
        .env_clear()
        .envs(env)
        .current_dir(cwd)
        .output()
        .unwrap();
    let code = o.status.code().expect("the step was not killed by a signal");
    (code, String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// Panics unless `path` is a SARIF 2.1.0 log valid against the OASIS schema; returns it.
pub fn valid_sarif(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("tests/fixtures/sarif-schema-2.1.0.json").unwrap()).unwrap();
    let validator = jsonschema::options().should_validate_formats(false).build(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    log
}

/// `${{ EXPR }}` in `text`, each replaced by `lookup(EXPR)`.
pub fn expand(text: &str, lookup: &mut dyn FnMut(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("${{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 3..];
        let j = after.find("}}").unwrap_or_else(|| panic!("unclosed ${{{{ in {text:?}"));
        out.push_str(&lookup(after[..j].trim()));
        rest = &after[j + 2..];
    }
    out.push_str(rest);
    out
}
