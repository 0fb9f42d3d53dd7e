//! Runs `templates/closednet-check.yml` the way an Azure Pipelines agent runs a steps template, as
//! far as the template uses it: parameters with their defaults (a boolean reads `True`/`False`),
//! `env:` values with `${{ parameters.X }}` and then `$(Variable)` macros, each `bash:` step as
//! `bash --noprofile --norc` (the template sets its own `-eo pipefail`), step conditions, and the
//! logging commands a step prints (`task.setvariable` makes a variable and its environment
//! variable, `task.prependpath`, `task.uploadsummary`, `task.logissue`, `task.complete`). Task steps
//! are not run, only their condition evaluated and their inputs macro-expanded.

use super::sandbox::{self, Sandbox, expand};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
pub struct Template {
    pub parameters: Vec<Parameter>,
    pub steps: Vec<Step>,
}

#[derive(Deserialize)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub default: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    #[serde(default)]
    pub bash: Option<String>,
    #[serde(default)]
    pub task: Option<String>,
    pub display_name: String,
    #[serde(default)]
    pub condition: Option<String>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    #[serde(default)]
    pub inputs: BTreeMap<String, String>,
}

pub fn load() -> Template {
    serde_saphyr::from_str(&std::fs::read_to_string("templates/closednet-check.yml").unwrap()).unwrap()
}

pub struct Job {
    pub workspace: PathBuf,
    pub env: BTreeMap<String, String>,
    pub variables: BTreeMap<String, String>,
    pub temp: PathBuf,
}

impl Job {
    /// A job on a Linux agent; `pull_request`: a pull-request build into `main`.
    pub fn new(sb: &Sandbox, workspace: &Path, pull_request: bool) -> Job {
        let bin = sandbox::bin_dir(sb, true);
        let temp = sb.dir("agent-temp");
        let staging = sb.dir("staging");
        let mut variables = BTreeMap::from([
            ("Agent.TempDirectory".to_string(), temp.display().to_string()),
            ("Agent.OS".to_string(), "Linux".to_string()),
            ("Build.ArtifactStagingDirectory".to_string(), staging.display().to_string()),
            ("Build.SourcesDirectory".to_string(), workspace.display().to_string()),
            ("System.DefaultWorkingDirectory".to_string(), workspace.display().to_string()),
            ("Build.Reason".to_string(), if pull_request { "PullRequest" } else { "IndividualCI" }.to_string()),
        ]);
        if pull_request {
            variables.insert("System.PullRequest.TargetBranch".to_string(), "refs/heads/main".to_string());
        }
        let mut env = sandbox::base_env(sb, &bin);
        for (k, v) in &variables {
            env.insert(env_name(k), v.clone());
        }
        Job { workspace: workspace.to_path_buf(), env, variables, temp }
    }
}

/// A variable's environment variable: upper case, `.` and space as `_`.
fn env_name(variable: &str) -> String {
    variable.to_uppercase().replace(['.', ' '], "_")
}

#[derive(Debug, Default)]
pub struct Outcome {
    /// The first failing step's exit code (1 for a step failed by `task.complete`), else 0.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// Every `task.uploadsummary` file's text, in order.
    pub summary: String,
    pub issues: Vec<String>,
    pub ran: Vec<String>,
    pub skipped: Vec<String>,
    /// Each task that ran, with its macro-expanded inputs.
    pub tasks: Vec<(String, BTreeMap<String, String>)>,
}

/// Replaces `$(Name)` with a known variable's value and leaves the others, as the agent does.
fn macros(text: &str, variables: &BTreeMap<String, String>) -> String {
    let mut out = text.to_string();
    for (k, v) in variables {
        out = out.replace(&format!("$({k})"), v);
    }
    out
}

fn parameter(template: &Template, params: &[(&str, &str)], name: &str) -> String {
    let p = template.parameters.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("no parameter {name}"));
    let value = match params.iter().find(|(k, _)| *k == name) {
        Some((_, v)) => serde_json::Value::String(v.to_string()),
        None => p.default.clone().unwrap_or_else(|| panic!("parameter {name} has no default and was not given")),
    };
    match (p.kind.as_str(), value) {
        ("boolean", serde_json::Value::Bool(b)) => if b { "True" } else { "False" }.to_string(),
        ("boolean", serde_json::Value::String(s)) => if s == "true" { "True" } else { "False" }.to_string(),
        ("string", serde_json::Value::String(s)) => s,
        (kind, v) => panic!("parameter {name}: {kind} {v}"),
    }
}

pub fn run(template: &Template, job: &Job, params: &[(&str, &str)]) -> Outcome {
    let mut out = Outcome::default();
    let mut env = job.env.clone();
    let mut variables = job.variables.clone();
    for (n, step) in template.steps.iter().enumerate() {
        let runs = condition(step.condition.as_deref().unwrap_or("succeeded()"), out.code != 0, &variables);
        if !runs {
            out.skipped.push(step.display_name.clone());
            continue;
        }
        out.ran.push(step.display_name.clone());
        if let Some(task) = &step.task {
            let inputs = step.inputs.iter().map(|(k, v)| (k.clone(), macros(v, &variables))).collect();
            out.tasks.push((task.clone(), inputs));
            continue;
        }
        let script = step.bash.as_deref().unwrap_or_else(|| panic!("{}: neither bash nor task", step.display_name));
        let mut step_env = env.clone();
        for (k, v) in &step.env {
            let v = expand(v, &mut |e| {
                let name = e.strip_prefix("parameters.").unwrap_or_else(|| panic!("unsupported {e}"));
                parameter(template, params, name)
            });
            step_env.insert(k.clone(), macros(&v, &variables));
        }
        let file = job.temp.join(format!("step-{n}.sh"));
        let (code, stdout, stderr) = sandbox::bash(script, &[], &job.workspace, &step_env, &file);
        let failed = logging_commands(&stdout, &mut env, &mut variables, &mut out);
        out.stdout.push_str(&stdout);
        out.stderr.push_str(&stderr);
        if out.code == 0 && (code != 0 || failed) {
            out.code = if code != 0 { code } else { 1 };
        }
    }
    out
}

/// Applies a step's logging commands; true when one failed the step.
fn logging_commands(
    stdout: &str,
    env: &mut BTreeMap<String, String>,
    variables: &mut BTreeMap<String, String>,
    out: &mut Outcome,
) -> bool {
    let mut failed = false;
    for line in stdout.lines() {
        let Some(cmd) = line.strip_prefix("##vso[") else { continue };
        let (head, data) = cmd.split_once(']').unwrap_or_else(|| panic!("malformed {line}"));
        let (name, props) = head.split_once(' ').unwrap_or((head, ""));
        match name {
            "task.setvariable" => {
                let var = props.split(';').find_map(|p| p.strip_prefix("variable=")).expect("variable=");
                variables.insert(var.to_string(), data.to_string());
                env.insert(env_name(var), data.to_string());
            }
            "task.prependpath" => {
                let path = format!("{data}:{}", env["PATH"]);
                env.insert("PATH".to_string(), path);
            }
            "task.uploadsummary" => out.summary.push_str(&std::fs::read_to_string(data).unwrap()),
            "task.logissue" => out.issues.push(line.to_string()),
            "task.complete" => failed |= props.contains("result=Failed"),
            _ => panic!("the agent here does not know {line}"),
        }
    }
    failed
}

/// An Azure Pipelines condition: succeeded(), succeededOrFailed(), always(), failed(), not(),
/// and(), or(), eq(), ne(), variables['x'] and 'literals'.
pub fn condition(text: &str, failed: bool, variables: &BTreeMap<String, String>) -> bool {
    let mut p = Parser { s: text.trim(), failed, variables };
    match p.expr() {
        Value::Bool(b) if p.s.is_empty() => b,
        v => panic!("condition {text:?}: {v:?}, left {:?}", p.s),
    }
}

#[derive(Debug, PartialEq)]
enum Value {
    Bool(bool),
    Str(String),
}

struct Parser<'a> {
    s: &'a str,
    failed: bool,
    variables: &'a BTreeMap<String, String>,
}

impl Parser<'_> {
    fn eat(&mut self, token: &str) -> bool {
        let rest = self.s.trim_start();
        let hit = rest.starts_with(token);
        self.s = if hit { &rest[token.len()..] } else { rest };
        hit
    }

    fn literal(&mut self) -> String {
        let end = self.s.find('\'').expect("a closing quote");
        let lit = self.s[..end].to_string();
        self.s = &self.s[end + 1..];
        lit
    }

    fn expr(&mut self) -> Value {
        if self.eat("'") {
            return Value::Str(self.literal());
        }
        if self.eat("variables['") {
            let name = self.literal();
            assert!(self.eat("]"));
            return Value::Str(self.variables.get(&name).cloned().unwrap_or_default());
        }
        let end = self.s.find('(').unwrap_or_else(|| panic!("a function at {:?}", self.s));
        let name = self.s[..end].trim().to_string();
        self.s = &self.s[end + 1..];
        let mut args = Vec::new();
        while !self.eat(")") {
            args.push(self.expr());
            self.eat(",");
        }
        let b = |v: &Value| matches!(v, Value::Bool(true));
        let s = |v: &Value| match v {
            Value::Str(s) => s.to_lowercase(),
            Value::Bool(b) => b.to_string(),
        };
        Value::Bool(match (name.as_str(), args.as_slice()) {
            ("succeeded", []) => !self.failed,
            ("failed", []) => self.failed,
            ("succeededOrFailed" | "always", []) => true,
            ("not", [a]) => !b(a),
            ("and", args) => args.iter().all(b),
            ("or", args) => args.iter().any(b),
            ("eq", [x, y]) => s(x) == s(y),
            ("ne", [x, y]) => s(x) != s(y),
            _ => panic!("unsupported function {name} with {args:?}"),
        })
    }
}
