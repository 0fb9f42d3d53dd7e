//! `closednet mcp` driven as a client drives it: the real binary over stdio, with the official Rust
//! SDK's client side (rmcp), through initialize, tools/list, every tool, the resources, a refused
//! path and 1,000 calls; and raw lines for what no SDK client sends (a malformed message). Every
//! tool's JSON is compared with the command of the same name run as a process.

use rmcp::model::{CallToolRequestParams, CallToolResult, ReadResourceRequestParams, ResourceContents};
use rmcp::service::{RoleClient, RunningService};
use rmcp::{ServiceError, ServiceExt, transport::TokioChildProcess};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const TODAY: &str = "2026-11-30";

type Client = RunningService<RoleClient, ()>;

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

/// The server, started as a client starts it, and its process id.
async fn connect(args: &[&str]) -> (Client, u32) {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_closednet"));
    cmd.arg("mcp").args(args).env("CLOSEDNET_TODAY", TODAY);
    let transport = TokioChildProcess::new(cmd).unwrap();
    let pid = transport.id().unwrap();
    (().serve(transport).await.unwrap(), pid)
}

async fn call(client: &Client, tool: &'static str, arguments: Value) -> CallToolResult {
    let Value::Object(arguments) = arguments else { panic!("arguments are an object") };
    client.call_tool(CallToolRequestParams::new(tool).with_arguments(arguments)).await.unwrap()
}

/// The texts of a result, after checking whether it is an error.
fn texts(r: &CallToolResult, error: bool) -> Vec<String> {
    assert_eq!(r.is_error.unwrap_or(false), error, "{r:?}");
    r.content.iter().map(|c| c.as_text().expect("text content").text.clone()).collect()
}

/// `closednet ARGS` as a process: exit code, standard output, standard error.
fn cli(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_closednet")).env("CLOSEDNET_TODAY", TODAY).args(args).output().unwrap();
    (o.status.code().unwrap(), String::from_utf8(o.stdout).unwrap(), String::from_utf8(o.stderr).unwrap())
}

fn stdout(args: &[&str]) -> String {
    let (code, out, err) = cli(args);
    assert!(code == 0 || code == 1, "closednet {args:?}: exit {code}: {err}");
    out
}

#[test]
fn initialize_then_tools_list_gives_eight_tools_each_with_its_input_schema() {
    block_on(async {
        let (client, _) = connect(&[]).await;
        let info = client.peer_info().unwrap();
        let server = info.server_info.as_ref().unwrap();
        assert_eq!((server.name.as_str(), server.version.as_str()), ("closednet", env!("CARGO_PKG_VERSION")));
        assert!(info.capabilities.tools.is_some() && info.capabilities.resources.is_some());
        let tools = client.list_all_tools().await.unwrap();
        let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
        assert_eq!(names, ["catalog", "check", "compare", "diff", "estimate", "explain", "import", "sweep"]);
        let fields = |name: &str| -> Vec<String> {
            let tool = tools.iter().find(|t| t.name == name).unwrap();
            assert_eq!(tool.input_schema["type"], "object", "{name}");
            assert_eq!(tool.input_schema["additionalProperties"], false, "{name}");
            assert!(tool.description.as_deref().is_some_and(|d| !d.contains('\n')), "{name}");
            let mut keys: Vec<String> = tool
                .input_schema
                .get("properties")
                .and_then(Value::as_object)
                .map_or_else(Vec::new, |p| p.keys().cloned().collect());
            keys.sort();
            keys
        };
        let pricing = ["currency", "fx", "parameters_path", "region", "set", "snapshot"];
        let with = |extra: &[&str]| -> Vec<String> {
            let mut all: Vec<String> = pricing.iter().chain(extra).map(|s| s.to_string()).collect();
            all.sort();
            all
        };
        assert_eq!(fields("estimate"), with(&["path", "yaml"]));
        assert_eq!(
            fields("check"),
            with(&[
                "path",
                "yaml",
                "baseline_path",
                "max_monthly",
                "max_fixed",
                "max_increase",
                "deny",
                "warn",
                "allow",
                "require",
                "deny_preview"
            ])
        );
        assert_eq!(fields("diff"), with(&["old_path", "old_yaml", "new_path", "new_yaml"]));
        assert_eq!(fields("compare"), with(&["path", "yaml", "choose"]));
        assert_eq!(fields("sweep"), with(&["path", "yaml", "vary", "fix", "max_variants"]));
        assert_eq!(fields("explain"), ["name", "region", "snapshot"]);
        assert_eq!(fields("import"), ["kind", "parameters_path", "path", "region"]);
        assert!(fields("catalog").is_empty());
        let import = tools.iter().find(|t| t.name == "import").unwrap();
        assert_eq!(import.input_schema["required"], json!(["kind", "path"]));
        client.cancel().await.unwrap();
    });
}

#[test]
fn estimate_is_the_command_lines_json_byte_for_byte_and_its_markdown() {
    block_on(async {
        let (client, _) = connect(&[]).await;
        let r = call(&client, "estimate", json!({"path": "examples/article.yaml"})).await;
        let t = texts(&r, false);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0], stdout(&["estimate", "examples/article.yaml", "--format", "json"]));
        assert_eq!(t[1], stdout(&["estimate", "examples/article.yaml", "--format", "markdown"]));
        // The README's headline, checked by hand there: RBAC-only JPY 341,414, closed JPY 1,415,594.
        let report: Value = serde_json::from_str(&t[0]).unwrap();
        assert_eq!(report["designs"]["rbac"]["total_monthly"], "341414");
        assert_eq!(report["designs"]["closed"]["total_monthly"], "1415594");
        // The pricing options are the flags of the same names.
        let r = call(
            &client,
            "estimate",
            json!({"path": "examples/article.yaml", "set": ["closed_network.hub=existing"], "currency": "USD"}),
        )
        .await;
        let flags = ["estimate", "examples/article.yaml", "--set", "closed_network.hub=existing", "--currency", "USD"];
        assert_eq!(texts(&r, false)[0], stdout(&[&flags[..], &["--format", "json"]].concat()));
        // The file's text instead of its path: the same figures.
        let yaml = std::fs::read_to_string("examples/article.yaml").unwrap();
        let r = call(&client, "estimate", json!({"yaml": yaml})).await;
        let inline: Value = serde_json::from_str(&texts(&r, false)[0]).unwrap();
        assert_eq!(inline["designs"], report["designs"]);
        client.cancel().await.unwrap();
    });
}

#[test]
fn a_bad_file_is_a_tool_error_with_the_command_lines_located_messages() {
    block_on(async {
        let (client, _) = connect(&[]).await;
        let bad = "tests/fixtures/bad/no-version.yaml";
        let (code, out, err) = cli(&["estimate", bad]);
        assert_eq!((code, out.as_str()), (2, ""));
        let expected = "error: tests/fixtures/bad/no-version.yaml: version: missing `version`\n  help: add `version: 1` as the first key of the file\n\
             error: tests/fixtures/bad/no-version.yaml:3:9: closed_network.cicd: gitlab is not supported\n  \
             help: closednet prices Azure DevOps (azure-devops) and GitHub (github) agents; for another CI system use `cicd: none` and price its runners with `prices:` or your own services\n\
             error: tests/fixtures/bad/no-version.yaml:6:11: services[0].type: unknown service type \"storag\"\n  help: did you mean \"storage\"?";
        assert_eq!(err, format!("{expected}\n"));
        for tool in ["estimate", "check"] {
            let r = call(&client, tool, json!({"path": bad})).await;
            assert_eq!(texts(&r, true), [expected], "{tool}");
        }
        // Text instead of a path: the same messages, the file named `<yaml>`.
        let r = call(
            &client,
            "estimate",
            json!({"yaml": "version: 1\nname: x\nregion: japaneast\nservices:\n  - name: s\n    type: storag\n"}),
        )
        .await;
        assert_eq!(
            texts(&r, true),
            [
                "error: <yaml>:6:11: services[0].type: unknown service type \"storag\"\n  help: did you mean \"storage\"?"
            ]
        );
        // Options are checked as the flags are, and the tool's own mistakes are tool errors too.
        let r = call(&client, "check", json!({"path": "examples/article.yaml", "warn": ["CN999"]})).await;
        assert_eq!(
            texts(&r, true),
            ["error: warn \"CN999\": no such rule (the resources closednet://rules/ID list them)"]
        );
        let r = call(&client, "estimate", json!({})).await;
        assert_eq!(texts(&r, true), ["error: give `path` (a file to read) or `yaml` (its text)"]);
        let r = call(&client, "estimate", json!({"pth": "examples/article.yaml"})).await;
        assert_eq!(texts(&r, true), ["failed to deserialize parameters: unknown field `pth`"]);
        let r = call(&client, "estimate", json!({"path": "examples/nope.yaml"})).await;
        assert_eq!(texts(&r, true), ["error: cannot read examples/nope.yaml: No such file or directory (os error 2)"]);
        assert_eq!(
            cli(&["estimate", "examples/nope.yaml"]).2,
            "error: cannot read examples/nope.yaml: No such file or directory (os error 2)\n"
        );
        client.cancel().await.unwrap();
    });
}

#[test]
fn check_diff_explain_catalog_and_import_answer_as_their_commands() {
    block_on(async {
        let (client, _) = connect(&[]).await;
        let article = "examples/article.yaml";
        // Over budget: a result that says so, not an error.
        let r = call(&client, "check", json!({"path": article, "max_monthly": "1M"})).await;
        let t = texts(&r, false);
        assert_eq!(t[0], stdout(&["check", article, "--max-monthly", "1M", "--format", "json"]));
        assert_eq!(t[1], stdout(&["check", article, "--max-monthly", "1M", "--format", "markdown"]));
        let judged: Value = serde_json::from_str(&t[0]).unwrap();
        assert_eq!((judged["passed"].clone(), judged["closed_monthly"].clone()), (json!(false), json!("1415594")));

        let r = call(
            &client,
            "diff",
            json!({"old_path": "examples/article-2023.yaml", "new_path": article, "fx": ["JPY=150"]}),
        )
        .await;
        let t = texts(&r, false);
        assert_eq!(
            t[0],
            stdout(&["diff", "examples/article-2023.yaml", article, "--fx", "JPY=150", "--format", "json"])
        );
        assert_eq!(
            t[1],
            stdout(&["diff", "examples/article-2023.yaml", article, "--fx", "JPY=150", "--format", "markdown"])
        );

        // compare and sweep: the commands' JSON and Markdown, byte for byte.
        let lz = "examples/landing-zone.yaml";
        let r = call(&client, "compare", json!({"path": lz, "choose": "zero-trust"})).await;
        let t = texts(&r, false);
        assert_eq!(t[0], stdout(&["compare", lz, "--choose", "zero-trust", "--format", "json"]));
        assert_eq!(t[1], stdout(&["compare", lz, "--choose", "zero-trust", "--format", "markdown"]));
        let r = call(&client, "sweep", json!({"path": lz, "vary": ["closed_network.egress"]})).await;
        let t = texts(&r, false);
        assert_eq!(t[0], stdout(&["sweep", lz, "--vary", "closed_network.egress", "--format", "json"]));
        assert_eq!(t[1], stdout(&["sweep", lz, "--vary", "closed_network.egress", "--format", "markdown"]));

        let r = call(&client, "explain", json!({"name": "CN014"})).await;
        let t = texts(&r, false);
        assert_eq!(t, [stdout(&["explain", "CN014"])]);
        assert!(t[0].starts_with("# CN014 origin-not-private-link\n"), "{}", t[0]);
        let r = call(&client, "explain", json!({"name": "api-management", "region": "japaneast"})).await;
        assert_eq!(texts(&r, false), [stdout(&["explain", "api-management", "--region", "japaneast"])]);

        let r = call(&client, "catalog", json!({})).await;
        assert_eq!(texts(&r, false), [stdout(&["catalog", "--format", "json"])]);

        let plan = "tests/fixtures/iac/terraform/half-closed-public-access-on.json";
        let r = call(&client, "import", json!({"kind": "terraform", "path": plan, "region": "westeurope"})).await;
        let t = texts(&r, false);
        let (code, yaml, summary) = cli(&["import", "terraform", plan, "--region", "westeurope", "--summary", "json"]);
        assert_eq!(code, 0);
        assert_eq!((t[0].as_str(), t[1].trim_end()), (yaml.as_str(), summary.trim_end()));
        let summary: Value = serde_json::from_str(&t[1]).unwrap();
        assert_eq!((summary["file"].as_str(), summary["region"].as_str()), (Some(plan), Some("westeurope")));
        let r = call(&client, "import", json!({"kind": "terraform", "path": plan, "parameters_path": plan})).await;
        assert_eq!(
            texts(&r, true),
            ["error: `parameters_path` is for an ARM template (kind \"arm\"), not a Terraform plan"]
        );
        client.cancel().await.unwrap();
    });
}

#[test]
fn resources_are_the_schemas_and_every_rules_documentation() {
    block_on(async {
        let (client, _) = connect(&[]).await;
        let listed = client.list_all_resources().await.unwrap();
        let uris: Vec<&str> = listed.iter().map(|r| r.uri.as_str()).collect();
        let rules = closednet::registry::RULES;
        assert_eq!(uris.len(), 2 + rules.len());
        assert_eq!(
            &uris[..3],
            ["closednet://schema/architecture", "closednet://schema/report", "closednet://rules/CN001"]
        );
        assert_eq!(uris.last(), Some(&"closednet://rules/CN105"));
        let read = |uri: &'static str| {
            let client = &client;
            async move {
                let r = client.read_resource(ReadResourceRequestParams::new(uri)).await?;
                match &r.contents[..] {
                    [ResourceContents::TextResourceContents { text, mime_type, .. }] => {
                        Ok((text.clone(), mime_type.clone()))
                    }
                    other => panic!("{uri}: {other:?}"),
                }
            }
        };
        let schema = read("closednet://schema/architecture").await.unwrap();
        assert_eq!(schema, (stdout(&["schema"]), Some("application/schema+json".to_string())));
        assert_eq!(read("closednet://schema/report").await.unwrap().0, stdout(&["schema", "--report"]));
        let cn014 = read("closednet://rules/CN014").await.unwrap();
        assert_eq!(cn014, (stdout(&["explain", "CN014"]), Some("text/markdown".to_string())));
        match read("closednet://rules/CN999").await {
            Err(ServiceError::McpError(e)) => {
                assert_eq!(e.message, "no resource closednet://rules/CN999 (resources/list names every resource)")
            }
            other => panic!("{other:?}"),
        }
        client.cancel().await.unwrap();
    });
}

#[test]
fn a_path_outside_the_working_directory_is_refused_unless_allowed() {
    let dir = crate::support::tmp().join("mcp-outside");
    std::fs::create_dir_all(&dir).unwrap();
    let dir = std::fs::canonicalize(dir).unwrap();
    let outside = dir.join("article.yaml");
    std::fs::copy("examples/article.yaml", &outside).unwrap();
    let outside = outside.display().to_string();
    let cwd = std::fs::canonicalize(".").unwrap();
    block_on(async {
        let (client, _) = connect(&[]).await;
        let r = call(&client, "estimate", json!({"path": outside})).await;
        assert_eq!(
            texts(&r, true),
            [format!(
                "error: cannot read {outside}: it is outside the directories this server may read ({}); start the server with `closednet mcp --allow-path DIR` to let it read DIR too",
                cwd.display()
            )]
        );
        client.cancel().await.unwrap();
        let (client, _) = connect(&["--allow-path", &dir.display().to_string()]).await;
        let r = call(&client, "estimate", json!({"path": outside})).await;
        assert_eq!(texts(&r, false)[0], stdout(&["estimate", &outside, "--format", "json"]));
        client.cancel().await.unwrap();
    });
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_allowed_path_that_is_not_there_stops_the_server_with_exit_code_2() {
    let (code, out, err) = cli(&["mcp", "--allow-path", "no/such/dir"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(err, "error: --allow-path no/such/dir: No such file or directory (os error 2)\n");
}

/// One line from the server, or a failure after 60 s (the server must not go silent).
fn reply(lines: &std::sync::mpsc::Receiver<String>) -> Value {
    let line = lines.recv_timeout(Duration::from_secs(60)).expect("the server answers");
    serde_json::from_str(&line).unwrap()
}

#[test]
fn a_malformed_message_gets_a_json_rpc_error_and_the_server_keeps_serving() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_closednet"))
        .arg("mcp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || out.lines().map_while(Result::ok).try_for_each(|l| tx.send(l)));
    let mut send = |line: &str| writeln!(stdin, "{line}").and_then(|()| stdin.flush()).unwrap();
    send(
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#,
    );
    assert_eq!(reply(&lines)["result"]["serverInfo"]["name"], "closednet");
    send(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);
    // JSON that is no JSON-RPC message: an Invalid Request error (no id can be read from it).
    send(r#"{"jsonrpc":"2.0","params":{}}"#);
    assert_eq!(reply(&lines), json!({"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid request"}}));
    // Text that is not JSON at all is skipped without an answer, as rmcp and the other official SDKs
    // do (answering garbage can start an error storm between two peers): the next answer is the
    // next request's.
    send("this is not JSON {");
    send(r#"{"jsonrpc":"2.0","id":2,"method":"no/such/method"}"#);
    let unknown = reply(&lines);
    assert_eq!((unknown["id"].clone(), unknown["error"]["code"].clone()), (json!(2), json!(-32601)));
    send(r#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"nope","arguments":{}}}"#);
    let nope = reply(&lines);
    assert_eq!((nope["id"].clone(), nope["error"]["code"].clone()), (json!(3), json!(-32602)));
    send(r#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"explain","arguments":{"name":"CN014"}}}"#);
    let ok = reply(&lines);
    assert_eq!(ok["id"], 4);
    assert_eq!(ok["result"]["content"][0]["text"], closednet::registry::RuleId::CN014.rule().docs);
    // The client closes its end: the server stops, successfully.
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

/// The resident set of process `pid`, in KiB (Linux).
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn a_thousand_sequential_calls_keep_the_servers_memory_flat() {
    block_on(async {
        let (client, pid) = connect(&[]).await;
        let docs = closednet::registry::RuleId::CN014.rule().docs;
        let explain = || call(&client, "explain", json!({"name": "CN014"}));
        // Warm-up: the allocator's arenas and the runtime's buffers reach their working size.
        for _ in 0..100 {
            explain().await;
        }
        let before = rss_kib(pid);
        for _ in 0..1000 {
            assert_eq!(texts(&explain().await, false), [docs]);
        }
        let after = rss_kib(pid);
        // Each answer carries the rule's documentation (1,548 bytes) twice over (the text, and its
        // JSON): keeping every answer would grow the server by about 3 MiB; the bound is a sixth.
        assert!(after <= before + 512, "VmRSS grew from {before} KiB to {after} KiB over 1,000 calls");
        client.cancel().await.unwrap();
    });
}
