//! Runs `action.yml` the way GitHub's runner runs a composite action, as far as the action uses
//! it: inputs with their defaults, `env:` values with `${{ }}` expressions (inputs, step outputs,
//! the `github` context), each `run:` step as `bash --noprofile --norc -eo pipefail`, the
//! GITHUB_OUTPUT / GITHUB_PATH / GITHUB_ENV / GITHUB_STEP_SUMMARY files between steps, and the
//! action's outputs at the end. `uses:` steps (the cache) are not run, only their `if:` evaluated;
//! any expression this does not know panics, so a new one in the action cannot slip past the tests.

use super::sandbox::{self, Sandbox, expand};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
pub struct Action {
    pub inputs: BTreeMap<String, Input>,
    pub outputs: BTreeMap<String, Output>,
    pub runs: Runs,
}

#[derive(Deserialize)]
pub struct Input {
    pub description: String,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub required: bool,
}

#[derive(Deserialize)]
pub struct Output {
    pub description: String,
    pub value: String,
}

#[derive(Deserialize)]
pub struct Runs {
    pub using: String,
    pub steps: Vec<Step>,
}

#[derive(Deserialize)]
pub struct Step {
    pub name: String,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub shell: Option<String>,
    #[serde(default)]
    pub run: Option<String>,
    #[serde(default)]
    pub uses: Option<String>,
    #[serde(default, rename = "if")]
    pub condition: Option<String>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    #[serde(default)]
    pub with: BTreeMap<String, String>,
}

pub fn load() -> Action {
    serde_saphyr::from_str(&std::fs::read_to_string("action.yml").unwrap()).unwrap()
}

/// Where and how the action runs.
pub struct Job {
    pub workspace: PathBuf,
    pub action_path: PathBuf,
    pub env: BTreeMap<String, String>,
    /// The pull request's number (a `pull_request` event against `main`), or a `push`.
    pub pull_request: Option<u32>,
    pub temp: PathBuf,
}

impl Job {
    pub fn new(sb: &Sandbox, workspace: &Path, with_closednet: bool, pull_request: Option<u32>) -> Job {
        let bin = sandbox::bin_dir(sb, with_closednet);
        Job {
            workspace: workspace.to_path_buf(),
            action_path: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            env: sandbox::base_env(sb, &bin),
            pull_request,
            temp: sb.dir("runner-temp"),
        }
    }
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub summary: String,
    pub outputs: BTreeMap<String, String>,
    pub steps: BTreeMap<String, BTreeMap<String, String>>,
    pub ran: Vec<String>,
    pub skipped: Vec<String>,
}

impl Outcome {
    pub fn output(&self, name: &str) -> &str {
        self.outputs.get(name).unwrap_or_else(|| panic!("no output {name}"))
    }
}

struct Context<'a> {
    action: &'a Action,
    job: &'a Job,
    inputs: &'a [(&'a str, &'a str)],
    steps: &'a BTreeMap<String, BTreeMap<String, String>>,
}

impl Context<'_> {
    fn lookup(&self, expr: &str) -> String {
        if let Some(name) = expr.strip_prefix("inputs.") {
            let input = self.action.inputs.get(name).unwrap_or_else(|| panic!("undeclared input {name}"));
            if let Some((_, v)) = self.inputs.iter().find(|(k, _)| *k == name) {
                return v.to_string();
            }
            assert!(!input.required, "required input {name} not given");
            return expand(input.default.as_deref().unwrap_or(""), &mut |e| self.lookup(e));
        }
        if let Some(rest) = expr.strip_prefix("steps.") {
            let (id, name) = rest.split_once(".outputs.").unwrap_or_else(|| panic!("unsupported {expr}"));
            return self.steps.get(id).and_then(|o| o.get(name)).cloned().unwrap_or_default();
        }
        match expr {
            "github.token" => "test-token".to_string(),
            "github.event.pull_request.number" => self.job.pull_request.map(|n| n.to_string()).unwrap_or_default(),
            _ => panic!("the runner here does not know the expression {expr:?}"),
        }
    }

    /// `A == 'x'` or `A != 'x'`, the only conditions the action uses.
    fn condition(&self, cond: &str) -> bool {
        let (lhs, rhs, equal) = match (cond.split_once(" != "), cond.split_once(" == ")) {
            (Some((l, r)), _) => (l, r, false),
            (None, Some((l, r))) => (l, r, true),
            _ => panic!("unsupported condition {cond:?}"),
        };
        let rhs = rhs.trim().strip_prefix('\'').and_then(|r| r.strip_suffix('\'')).expect("a quoted literal");
        (self.lookup(lhs.trim()) == rhs) == equal
    }
}

/// `name=value` lines and `name<<DELIMITER` blocks, as GitHub reads GITHUB_OUTPUT and GITHUB_ENV.
fn key_values(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((k, delim)) = line.split_once("<<").filter(|(k, _)| !k.contains('=')) {
            let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delim).collect();
            out.push((k.to_string(), value.join("\n")));
        } else if let Some((k, v)) = line.split_once('=') {
            out.push((k.to_string(), v.to_string()));
        }
    }
    out
}

/// Runs the action's steps in order (up to and including `until`, when given).
pub fn run(action: &Action, job: &Job, inputs: &[(&str, &str)], until: Option<&str>) -> Outcome {
    let mut out = Outcome::default();
    let mut env = job.env.clone();
    let files = job.temp.join("runner-files");
    std::fs::create_dir_all(&files).unwrap();
    let event = if job.pull_request.is_some() { "pull_request" } else { "push" };
    for (k, v) in [
        ("GITHUB_WORKSPACE", job.workspace.display().to_string()),
        ("GITHUB_ACTION_PATH", job.action_path.display().to_string()),
        ("GITHUB_REPOSITORY", "octo/arch".to_string()),
        ("GITHUB_EVENT_NAME", event.to_string()),
        ("RUNNER_TEMP", job.temp.display().to_string()),
        ("RUNNER_OS", "Linux".to_string()),
        ("RUNNER_ARCH", "X64".to_string()),
    ] {
        env.insert(k.to_string(), v);
    }
    if job.pull_request.is_some() {
        env.insert("GITHUB_BASE_REF".to_string(), "main".to_string());
    }
    for (n, step) in action.runs.steps.iter().enumerate() {
        let ctx = Context { action, job, inputs, steps: &out.steps };
        if step.uses.is_some() {
            let runs = step.condition.as_deref().is_none_or(|c| ctx.condition(c));
            (if runs { &mut out.ran } else { &mut out.skipped }).push(step.name.clone());
            continue;
        }
        let done = run_step(&ctx, step, n, &files, &mut env);
        out.stdout.push_str(&done.stdout);
        out.stderr.push_str(&done.stderr);
        out.summary.push_str(&done.summary);
        if let Some(id) = &step.id {
            out.steps.insert(id.clone(), done.outputs);
        }
        out.ran.push(step.name.clone());
        let code = done.code;
        if code != 0 {
            out.code = code;
            break;
        }
        if until.is_some_and(|u| step.id.as_deref() == Some(u)) {
            break;
        }
    }
    let ctx = Context { action, job, inputs, steps: &out.steps };
    let outputs = action.outputs.iter().map(|(k, o)| (k.clone(), expand(&o.value, &mut |e| ctx.lookup(e)))).collect();
    out.outputs = outputs;
    out
}

struct Done {
    code: i32,
    stdout: String,
    stderr: String,
    summary: String,
    outputs: BTreeMap<String, String>,
}

/// Runs one `run:` step; GITHUB_PATH and GITHUB_ENV change `env` for the steps after it.
fn run_step(ctx: &Context, step: &Step, n: usize, files: &Path, env: &mut BTreeMap<String, String>) -> Done {
    let script = step.run.as_deref().unwrap_or_else(|| panic!("{}: neither run nor uses", step.name));
    assert_eq!(step.shell.as_deref(), Some("bash"), "{}", step.name);
    assert!(step.condition.is_none(), "{}: a run step decides in its script, not with if:", step.name);
    let mut step_env = env.clone();
    for (k, v) in &step.env {
        step_env.insert(k.clone(), expand(v, &mut |e| ctx.lookup(e)));
    }
    let file = |name: &str| files.join(format!("{n}-{name}"));
    for (var, name) in [
        ("GITHUB_OUTPUT", "output"),
        ("GITHUB_PATH", "path"),
        ("GITHUB_ENV", "env"),
        ("GITHUB_STEP_SUMMARY", "summary"),
    ] {
        sandbox::write(&file(name), "");
        step_env.insert(var.to_string(), file(name).display().to_string());
    }
    let (code, stdout, stderr) =
        sandbox::bash(script, &["-eo", "pipefail"], &ctx.job.workspace, &step_env, &file("script.sh"));
    let read = |name: &str| std::fs::read_to_string(file(name)).unwrap();
    for dir in read("path").lines().filter(|l| !l.is_empty()) {
        let path = format!("{dir}:{}", env["PATH"]);
        env.insert("PATH".to_string(), path);
    }
    env.extend(key_values(&read("env")));
    Done { code, stdout, stderr, summary: read("summary"), outputs: key_values(&read("output")).into_iter().collect() }
}
