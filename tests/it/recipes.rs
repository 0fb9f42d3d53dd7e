//! Runs the `closednet` commands that the CI recipes in examples/ci run, with the exit codes the
//! recipes rely on (0: the job continues; the SARIF step tolerates 1). `base.yaml`, which the
//! recipes take from the target branch, is a copy of the file here (an unchanged pull request).

use std::process::Command;

fn commands(recipe: &str) -> Vec<Vec<String>> {
    recipe
        .lines()
        .filter_map(|l| {
            let l = l.trim().trim_start_matches("run: ").trim_start_matches("- script: ");
            let l = l.strip_prefix("closednet ")?;
            // Drop redirections and `|| true`: the test looks at the command itself.
            let l = l.split(['>', '|']).next().unwrap_or(l);
            Some(l.split_whitespace().map(str::to_string).collect())
        })
        .collect()
}

#[test]
fn recipe_commands_run_as_documented() {
    let base = std::env::temp_dir().join(format!("closednet-recipe-{}-base.yaml", std::process::id()));
    std::fs::copy("examples/article.yaml", &base).unwrap();
    for recipe in ["examples/ci/github-actions.yml", "examples/ci/azure-pipelines.yml"] {
        let text = std::fs::read_to_string(recipe).unwrap();
        let cmds = commands(&text);
        assert_eq!(cmds.len(), 3, "{recipe}: check, sarif, diff");
        for args in cmds {
            let args: Vec<String> =
                args.into_iter().map(|a| if a == "base.yaml" { base.display().to_string() } else { a }).collect();
            let o = Command::new(env!("CARGO_BIN_EXE_closednet"))
                .env("CLOSEDNET_TODAY", "2026-11-30")
                .args(&args)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&o.stdout);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{recipe}: closednet {args:?}\n{stdout}{}",
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(!stdout.is_empty());
            if args.contains(&"sarif".to_string()) {
                let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                assert_eq!(v["version"], "2.1.0");
            }
            if args[0] == "diff" {
                assert!(
                    stdout.starts_with("### closednet: closed network JPY 1,414,499 -> JPY 1,414,499 per month (0)"),
                    "{stdout}"
                );
            }
        }
    }
}
