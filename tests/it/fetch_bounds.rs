//! `closednet pricing fetch` against a hostile Retail Prices API on 127.0.0.1 (issue 21): endless
//! and looping page chains, a server that asks to wait for days, pages that never finish, empty
//! answers, secrets in `--endpoint` and malformed proxy variables. Every run must end with exit 0 or
//! 2, one line on stderr for an error, bounded memory, nothing under a final name that is not
//! complete, and no secret in any message or file.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn scratch(name: &str) -> PathBuf {
    let dir = crate::support::tmp().join(format!("test-bounds-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A catalog with API Management only (one query per region), for eastus2 and japaneast.
fn catalog(dir: &Path) -> PathBuf {
    let cat = dir.join("catalog");
    std::fs::create_dir_all(cat.join("services")).unwrap();
    std::fs::create_dir_all(cat.join("2026-08")).unwrap();
    std::fs::copy("pricing/services/api-management.toml", cat.join("services/api-management.toml")).unwrap();
    std::fs::write(
        cat.join("2026-08/snapshot.toml"),
        "name = \"2026-08\"\nas_of = \"2026-08-15\"\nsource = \"test\"\ncurrency = \"USD\"\n\
         hours_per_month = \"730\"\nregions = [\"eastus2\", \"japaneast\"]\n",
    )
    .unwrap();
    cat
}

/// One Retail Prices API item; `id` makes it unique, `pad` bytes of meter name make it large.
fn item(region: &str, id: usize, pad: usize) -> String {
    format!(
        "{{\"currencyCode\":\"USD\",\"tierMinimumUnits\":0.0,\"retailPrice\":0.1,\"unitPrice\":0.1,\
         \"armRegionName\":\"{region}\",\"location\":\"x\",\"effectiveStartDate\":\"2024-01-01T00:00:00Z\",\
         \"meterId\":\"4db446f7-c731-51c5-b661-24bf123a82dc\",\"meterName\":\"{}\",\"productId\":\"{id}\",\
         \"skuId\":\"x\",\"productName\":\"API Management\",\"skuName\":\"Standard v2\",\
         \"serviceName\":\"API Management\",\"serviceId\":\"x\",\"serviceFamily\":\"Developer Tools\",\
         \"unitOfMeasure\":\"1 Hour\",\"type\":\"Consumption\",\"isPrimaryMeterRegion\":true,\"armSkuName\":\"\"}}",
        "x".repeat(pad)
    )
}

fn page(items: &[String], next: Option<String>) -> String {
    let next = next.map_or("null".to_string(), |n| format!("\"{n}\""));
    format!(
        "{{\"BillingCurrency\":\"USD\",\"CustomerEntityId\":\"Default\",\"CustomerEntityType\":\"Retail\",\
         \"Items\":[{}],\"NextPageLink\":{next},\"Count\":{}}}",
        items.join(","),
        items.len()
    )
}

/// The fake API: its mode is the first path segment, the page number the `n` query key.
struct Server {
    port: u16,
    requests: Arc<AtomicUsize>,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (count, lines) = (requests.clone(), log.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let lines = lines.clone();
                std::thread::spawn(move || serve(stream, port, &lines));
            }
        });
        Server { port, requests, log }
    }

    fn endpoint(&self, mode: &str) -> String {
        format!("http://127.0.0.1:{}/{mode}/prices", self.port)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

fn serve(stream: TcpStream, port: u16, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut headers = String::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => headers.push_str(&line),
        }
    }
    log.lock().unwrap().push(format!("{}\n{headers}", request.trim_end()));
    let target = request.split(' ').nth(1).unwrap_or("").to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let mode = path.split('/').nth(1).unwrap_or("");
    // Pages are numbered by `$skip`, as the API does (its page size aside).
    let n: usize = query.split('&').find_map(|p| p.strip_prefix("$skip=")).and_then(|n| n.parse().ok()).unwrap_or(0);
    let region = if query.contains("%27eastus2%27") { "eastus2" } else { "japaneast" };
    let next = |k: usize| Some(format!("http://127.0.0.1:{port}/{mode}/prices?$skip={k}"));
    let mut stream = stream;
    let reply = |stream: &mut TcpStream, status: &str, extra: &str, body: &str| {
        let _ = write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n",
            body.len()
        );
        let _ = stream.write_all(body.as_bytes());
    };
    let body = match mode {
        // ~1 MB pages, the same 700 items on every page, a new NextPageLink every time (D1).
        "endless-same" => page(&(0..700).map(|i| item(region, i, 900)).collect::<Vec<_>>(), next(n + 1)),
        // One new item a page, forever.
        "endless-unique" => page(&[item(region, n, 0)], next(n + 1)),
        // 200 pages of ~512 KB, every item different, then the end: 100 MB for one file.
        "long" => {
            let items: Vec<String> = (0..350).map(|i| item(region, n * 1000 + i, 1400)).collect();
            page(&items, (n + 1 < 200).then(|| next(n + 1)).flatten())
        }
        // Pages 1, 2, 3, then back to page 2.
        "cycle" => page(&[item(region, n, 0)], next(if n == 2 { 1 } else { n + 1 })),
        "retry-huge" => return reply(&mut stream, "429 Too Many Requests", "Retry-After: 999999\r\n", "slow down"),
        // Each page takes a while, and there is always another one.
        "slow" => {
            std::thread::sleep(Duration::from_millis(300));
            page(&[item(region, n, 0)], next(n + 1))
        }
        "ok" => page(&[item(region, 0, 0)], None),
        "empty" => page(&[], None),
        // Items for japaneast only: eastus2 has none.
        "japan-only" if region == "japaneast" => page(&[item(region, 0, 0)], None),
        "japan-only" => page(&[], None),
        _ => return reply(&mut stream, "404 Not Found", "", "{}"),
    };
    reply(&mut stream, "200 OK", "", &body);
}

/// Runs closednet with a clean proxy environment and `env`; `limit_kib` caps its address space
/// (`ulimit -v`), which also caps its resident memory.
fn closednet(args: &[&str], env: &[(&str, &str)], limit_kib: Option<u64>) -> Output {
    let mut cmd = match limit_kib {
        Some(kib) => {
            let mut c = Command::new("bash");
            c.arg("-c").arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\"")).arg(env!("CARGO_BIN_EXE_closednet"));
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_closednet")),
    };
    for var in
        ["ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"]
    {
        cmd.env_remove(var);
    }
    cmd.env("CLOSEDNET_TODAY", "2026-08-15")
        .env("CLOSEDNET_FETCH_TIMEOUT_MS", "10000")
        .env("CLOSEDNET_FETCH_BACKOFF_MS", "10")
        .envs(env.iter().copied())
        .args(args)
        .output()
        .unwrap()
}

fn fetch(dir: &Path, endpoint: &str, regions: &[&str], env: &[(&str, &str)], limit_kib: Option<u64>) -> Output {
    let cat = catalog(dir);
    let out = dir.join("pages");
    let mut args = vec!["pricing", "fetch", "--out", out.to_str().unwrap(), "--pricing", cat.to_str().unwrap()];
    for r in regions {
        args.extend(["--region", r]);
    }
    args.extend(["--endpoint", endpoint]);
    closednet(&args, env, limit_kib)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file left in the fetched folder (not the folders), relative to it.
fn files(out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(regions) = std::fs::read_dir(out) else { return found };
    for r in regions.map(|e| e.unwrap().path()) {
        match std::fs::read_dir(&r) {
            Ok(entries) => {
                for f in entries {
                    let f = f.unwrap().path();
                    found.push(f.strip_prefix(out).unwrap().to_string_lossy().into_owned());
                }
            }
            Err(_) => found.push(r.strip_prefix(out).unwrap().to_string_lossy().into_owned()),
        }
    }
    found.sort();
    found
}

/// The first query's URL as the error names it.
fn first_url(server: &Server, mode: &str, region: &str) -> String {
    format!(
        "http://127.0.0.1:{}/{mode}/prices?api-version=2023-01-01-preview&$filter=serviceName%20eq%20%27API%20Management\
         %27%20and%20armRegionName%20eq%20%27{region}%27%20and%20priceType%20eq%20%27Consumption%27",
        server.port
    )
}

/// 200 MiB of address space: the bound the issue sets on resident memory.
const LIMIT_KIB: u64 = 200 * 1024;

#[test]
fn an_endless_chain_of_the_same_large_page_stops_with_exit_2_and_one_line_under_200_mib() {
    let server = Server::start();
    let dir = scratch("endless-same");
    let run = fetch(&dir, &server.endpoint("endless-same"), &["japaneast"], &[], Some(LIMIT_KIB));
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    let url = format!("http://127.0.0.1:{}/endless-same/prices?$skip=1", server.port);
    assert_eq!(
        stderr(&run),
        format!(
            "error: GET {url}: page 2 of the query holds the same items as page 1: the API's NextPageLink chain \
             loops; stopped\n"
        )
    );
    assert_eq!(server.requests(), 2);
    assert!(files(&dir.join("pages")).is_empty(), "no file, not even a partial one");
}

#[test]
fn an_endless_chain_of_new_pages_stops_at_the_page_cap() {
    let server = Server::start();
    let dir = scratch("endless-unique");
    let run = fetch(&dir, &server.endpoint("endless-unique"), &["japaneast"], &[], Some(LIMIT_KIB));
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    let url = format!("http://127.0.0.1:{}/endless-unique/prices?$skip=1000", server.port);
    assert_eq!(
        stderr(&run),
        format!("error: GET {url}: 1000 pages for one query and the NextPageLink chain goes on; stopped\n")
    );
    assert_eq!(server.requests(), 1000, "the 1001st page is never asked for");
    assert!(files(&dir.join("pages")).is_empty());
}

#[test]
fn a_chain_that_comes_back_to_an_earlier_page_stops() {
    let server = Server::start();
    let dir = scratch("cycle");
    let run = fetch(&dir, &server.endpoint("cycle"), &["japaneast"], &[], None);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    let url = format!("http://127.0.0.1:{}/cycle/prices?$skip=1", server.port);
    assert_eq!(
        stderr(&run),
        format!(
            "error: GET {url}: page 4 of the query would be page 2 again: the API's NextPageLink chain loops; \
             stopped\n"
        )
    );
    assert_eq!(server.requests(), 3);
}

#[test]
fn a_long_chain_of_large_pages_is_streamed_to_disk_in_bounded_memory() {
    let server = Server::start();
    let dir = scratch("long");
    let run = fetch(&dir, &server.endpoint("long"), &["japaneast"], &[], Some(LIMIT_KIB));
    assert!(run.status.success(), "{}", stderr(&run));
    let out = dir.join("pages");
    assert_eq!(files(&out), ["japaneast/api_management.json", "snapshot-manifest.json"]);
    // Every item, in order, once: 200 pages of 350.
    #[derive(serde::Deserialize)]
    struct Saved {
        #[serde(rename = "Items")]
        items: Vec<Item>,
        #[serde(rename = "Count")]
        count: usize,
    }
    #[derive(serde::Deserialize)]
    struct Item {
        #[serde(rename = "productId")]
        id: String,
    }
    let text = std::fs::read_to_string(out.join("japaneast/api_management.json")).unwrap();
    assert!(text.len() > 100_000_000, "{} bytes: more than the memory limit", text.len());
    let saved: Saved = serde_json::from_str(&text).unwrap();
    assert_eq!((saved.items.len(), saved.count), (70_000, 70_000));
    assert_eq!([&saved.items[0].id, &saved.items[350].id, &saved.items[69_999].id], ["0", "1000", "199349"]);
    drop((text, saved));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_retry_after_of_days_is_not_waited_for() {
    let server = Server::start();
    let dir = scratch("retry-huge");
    let started = Instant::now();
    let run = fetch(&dir, &server.endpoint("retry-huge"), &["japaneast"], &[], None);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert_eq!(
        stderr(&run),
        format!(
            "error: GET {}: HTTP 429 Too Many Requests, and the server asks to wait 999999 s (Retry-After), more \
             than the 60 s closednet waits; stopped: run the same command later to resume\n",
            first_url(&server, "retry-huge", "japaneast")
        )
    );
    assert_eq!(server.requests(), 1);
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn a_query_stops_at_its_deadline() {
    let server = Server::start();
    let dir = scratch("slow");
    let started = Instant::now();
    let run = fetch(&dir, &server.endpoint("slow"), &["japaneast"], &[("CLOSEDNET_FETCH_DEADLINE_MS", "2000")], None);
    let took = started.elapsed();
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    // The page being read at the deadline, or the next one if the deadline fell between two.
    let err = stderr(&run);
    let requests = server.requests();
    let read = (3..=7).find(|&read| {
        err == format!(
            "error: GET http://127.0.0.1:{}/slow/prices?$skip={read}: the query ran past its deadline of 2 s ({read} \
             pages read); stopped: run the same command again to resume\n",
            server.port
        )
    });
    let read = read.unwrap_or_else(|| panic!("{err}"));
    assert!(requests == read || requests == read + 1, "{requests} requests, {read} pages read");
    assert!(took < Duration::from_secs(8), "{took:?}");
    assert!(files(&dir.join("pages")).is_empty());
}

#[test]
fn secrets_in_the_endpoint_are_redacted_in_messages_and_the_manifest() {
    let server = Server::start();
    let dir = scratch("secret");
    let secret = |mode: &str| {
        format!("http://svcuser:S3cretPassw0rd@127.0.0.1:{}/{mode}/prices?subscription-key=SECRETKEY123", server.port)
    };
    // An error names the URL without the password or the key.
    let run = fetch(&dir, &secret("missing"), &["japaneast"], &[], None);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        stderr(&run),
        format!(
            "error: GET http://REDACTED@127.0.0.1:{}/missing/prices?subscription-key=REDACTED&api-version=\
             2023-01-01-preview&$filter=serviceName%20eq%20%27API%20Management%27%20and%20armRegionName%20eq\
             %20%27japaneast%27%20and%20priceType%20eq%20%27Consumption%27: HTTP 404 Not Found: {{}}\n",
            server.port
        )
    );
    // So does a bad --endpoint.
    let run = closednet(&["pricing", "fetch", "--out", "x", "--endpoint", "ftp://me:pw@host/?key=K1"], &[], None);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        stderr(&run),
        "error: --endpoint ftp://REDACTED@host/?key=REDACTED: expected an http:// or https:// URL\n"
    );
    // The manifest, carried into the closed network, keeps the endpoint without its secrets.
    let run = fetch(&dir, &secret("ok"), &["japaneast"], &[], None);
    assert!(run.status.success(), "{}", stderr(&run));
    let manifest = std::fs::read_to_string(dir.join("pages/snapshot-manifest.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(v["endpoint"], format!("http://REDACTED@127.0.0.1:{}/ok/prices?subscription-key=REDACTED", server.port));
    for text in [manifest.as_str(), &stderr(&run)] {
        assert!(!text.contains("S3cret") && !text.contains("SECRETKEY") && !text.contains("svcuser"), "{text}");
    }
    // The credentials still go to the server: only what is shown is redacted.
    let log = server.log.lock().unwrap().join("\n");
    assert!(log.contains("subscription-key=SECRETKEY123"), "{log}");
}

#[test]
fn a_malformed_proxy_variable_is_an_error_not_a_direct_connection() {
    let server = Server::start();
    for var in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "HTTP_PROXY"] {
        let dir = scratch(&format!("proxy-{var}"));
        let run = fetch(&dir, &server.endpoint("ok"), &["japaneast"], &[(var, "http://pu:pw@[::1")], None);
        assert_eq!(run.status.code(), Some(2), "{var}: {}", stderr(&run));
        assert_eq!(
            stderr(&run),
            format!(
                "error: {var} is set but is not a proxy URL closednet can use (http://REDACTED@[::1); expected \
                 http://[user:password@]host:port, or unset it\n"
            )
        );
    }
    assert_eq!(server.requests(), 0, "no request went out directly");
    // An empty variable is unset, as curl takes it.
    let dir = scratch("proxy-empty");
    let run = fetch(&dir, &server.endpoint("ok"), &["japaneast"], &[("HTTPS_PROXY", "")], None);
    assert!(run.status.success(), "{}", stderr(&run));
}

#[test]
fn a_query_without_items_is_a_warning_and_nothing_at_all_is_exit_2() {
    let server = Server::start();
    // japaneast has items, eastus2 none: a warning, and the fetch succeeds.
    let dir = scratch("japan-only");
    let run = fetch(&dir, &server.endpoint("japan-only"), &["eastus2", "japaneast"], &[], None);
    assert!(run.status.success(), "{}", stderr(&run));
    let out = dir.join("pages");
    assert_eq!(
        stderr(&run),
        format!(
            "warning: eastus2: the API has no items for any service the definitions read (API Management); is \
             eastus2 a region it prices?\n\
             fetched 2 files (2 pages, 1 items, 0.0 MB), skipped 0 already complete, into {}\n",
            out.display()
        )
    );
    // Nothing for any query: exit 2, and no file is left to be skipped by a re-run.
    let dir = scratch("empty");
    let run = fetch(&dir, &server.endpoint("empty"), &["eastus2", "japaneast"], &[], None);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert_eq!(
        stderr(&run),
        format!(
            "error: the API at http://127.0.0.1:{}/empty/prices returned no items for any of the 2 queries: \
             nothing written; check --endpoint and --region\n",
            server.port
        )
    );
    assert!(files(&dir.join("pages")).is_empty(), "no file for a re-run to skip");
}

#[test]
fn a_full_stderr_does_not_fail_a_successful_fetch() {
    let server = Server::start();
    let dir = scratch("stderr-full");
    let cat = catalog(&dir);
    let out = dir.join("pages");
    let run = Command::new(env!("CARGO_BIN_EXE_closednet"))
        .env("CLOSEDNET_TODAY", "2026-08-15")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .args(["pricing", "fetch", "--region", "japaneast", "--out"])
        .arg(&out)
        .arg("--pricing")
        .arg(&cat)
        .args(["--endpoint", &server.endpoint("ok")])
        .stderr(std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(files(&out), ["japaneast/api_management.json", "snapshot-manifest.json"]);
}
