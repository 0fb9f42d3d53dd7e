//! `closednet pricing fetch` against a local Retail Prices API on 127.0.0.1: pages made from the
//! real items of tests/fixtures/retail (and retail-global for a `Global` meter), split across NextPageLinks, with a 429, a 500, a truncated
//! body, a cut JSON page and a response slower than the timeout on the way. The fetched folder must
//! import exactly as the same pages read from disk.

use serde_json::value::RawValue;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PAGE: usize = 3;
const REGIONS: [&str; 2] = ["eastus2", "japaneast"];

fn scratch(name: &str) -> PathBuf {
    let dir = crate::support::tmp().join(format!("test-fetch-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The items of a fixture file, each as its exact text.
fn items_of(file: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Page {
        #[serde(rename = "Items")]
        items: Vec<Box<RawValue>>,
    }
    let text = std::fs::read_to_string(file).unwrap();
    let page: Page = serde_json::from_str(&text).unwrap();
    page.items.iter().map(|i| i.get().to_string()).collect()
}

/// API Management's items in `region`.
fn fixture_items(region: &str) -> Vec<String> {
    items_of(&format!("tests/fixtures/retail/{region}/api_management.json"))
}

const GLOBAL_DEVOPS: &str = "tests/fixtures/retail-global/azure_devops.json";

/// A catalog with these service types only, and a snapshot whose regions are the fixture's.
fn small_catalog(dir: &Path, types: &[&str]) -> PathBuf {
    let cat = dir.join("catalog");
    std::fs::create_dir_all(cat.join("services")).unwrap();
    std::fs::create_dir_all(cat.join("2026-08")).unwrap();
    for t in types {
        std::fs::copy(format!("pricing/services/{t}.toml"), cat.join(format!("services/{t}.toml"))).unwrap();
    }
    std::fs::write(
        cat.join("2026-08/snapshot.toml"),
        "name = \"2026-08\"\nas_of = \"2026-08-15\"\nsource = \"test\"\ncurrency = \"USD\"\n\
         hours_per_month = \"730\"\nregions = [\"eastus2\", \"japaneast\"]\n",
    )
    .unwrap();
    cat
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Every page answers, after one fault on the first try of some pages.
    Faulty,
    /// japaneast's pages after the first answer 500, always.
    Down,
    /// Every request answers 404.
    Missing,
}

/// A Retail Prices API on an ephemeral port, one thread per connection.
struct Server {
    port: u16,
    /// Every request line received, in order.
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let tries: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let mut served: HashMap<(String, String), Vec<String>> =
            REGIONS.iter().map(|r| (("API Management".to_string(), r.to_string()), fixture_items(r))).collect();
        served.insert(("Azure DevOps".into(), "Global".into()), items_of(GLOBAL_DEVOPS));
        let items = Arc::new(served);
        let server_log = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (log, tries, items) = (server_log.clone(), tries.clone(), items.clone());
                std::thread::spawn(move || serve(stream, port, &log, &tries, &items));
            }
        });
        Server { port, log }
    }

    fn endpoint(&self, mode: &str) -> String {
        format!("http://127.0.0.1:{}/{mode}/api/retail/prices", self.port)
    }

    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

fn serve(
    stream: TcpStream,
    port: u16,
    log: &Mutex<Vec<String>>,
    tries: &Mutex<HashMap<String, usize>>,
    items: &HashMap<(String, String), Vec<String>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let request_line = request_line.trim_end().to_string();
    log.lock().unwrap().push(request_line.clone());
    let mut stream = stream;
    let reply = |stream: &mut TcpStream, status: &str, extra: &str, body: &str| {
        let _ = write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{body}",
            body.len()
        );
    };
    // A proxy is asked to CONNECT: refuse, having logged it.
    if request_line.starts_with("CONNECT ") {
        let _ = write!(stream, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        return;
    }
    let target = request_line.split(' ').nth(1).unwrap_or("");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mode = match path.split('/').nth(1) {
        Some("faulty") => Mode::Faulty,
        Some("down") => Mode::Down,
        _ => Mode::Missing,
    };
    if mode == Mode::Missing {
        return reply(&mut stream, "404 Not Found", "", "{\"Error\":\"no such endpoint\"}");
    }
    let mut filter = String::new();
    let mut skip = 0usize;
    let mut base = Vec::new();
    for pair in query.split('&') {
        if let Some(f) = pair.strip_prefix("$filter=") {
            filter = percent_decode(f);
        }
        match pair.strip_prefix("$skip=") {
            Some(s) => skip = s.parse().unwrap(),
            None => base.push(pair),
        }
    }
    let quoted = |field: &str| -> String {
        let start = filter.find(&format!("{field} eq '")).map(|i| i + field.len() + 5).unwrap();
        filter[start..].split('\'').next().unwrap().to_string()
    };
    let (service, region) = (quoted("serviceName"), quoted("armRegionName"));
    assert!(filter.ends_with("and priceType eq 'Consumption'"), "{filter}");
    let all: &[String] = items.get(&(service.clone(), region.clone())).map_or(&[], Vec::as_slice);
    let page = &all[skip.min(all.len())..(skip + PAGE).min(all.len())];
    let next = if skip + PAGE < all.len() {
        format!("\"http://127.0.0.1:{port}{path}?{}&$skip={}\"", base.join("&"), skip + PAGE)
    } else {
        "null".to_string()
    };
    let body = format!(
        "{{\"BillingCurrency\":\"USD\",\"CustomerEntityId\":\"Default\",\"CustomerEntityType\":\"Retail\",\
         \"Items\":[{}],\"NextPageLink\":{next},\"Count\":{}}}",
        page.join(","),
        page.len()
    );
    let key = format!("{service}/{region}/{skip}");
    let attempt = {
        let mut t = tries.lock().unwrap();
        let n = t.entry(key).or_insert(0);
        *n += 1;
        *n
    };
    let fault = match (mode, region.as_str(), skip, attempt) {
        _ if service != "API Management" => "",
        (Mode::Down, "japaneast", s, _) if s > 0 => "500",
        (Mode::Faulty, "japaneast", 0, 1) => "429",
        (Mode::Faulty, "japaneast", 3, 1) => "500",
        (Mode::Faulty, "japaneast", 6, 1) => "truncated",
        (Mode::Faulty, "japaneast", 9, 1) => "slow",
        (Mode::Faulty, "eastus2", 0, 1) => "cut-json",
        _ => "",
    };
    match fault {
        "429" => reply(&mut stream, "429 Too Many Requests", "Retry-After: 1\r\n", "{}"),
        "500" => reply(&mut stream, "500 Internal Server Error", "", "{\"Error\":\"boom\"}"),
        "truncated" => {
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                body.len() + 100,
                &body[..body.len() / 2]
            );
        }
        "cut-json" => reply(&mut stream, "200 OK", "", &body[..body.len() / 2]),
        "slow" => {
            std::thread::sleep(Duration::from_millis(2500));
            reply(&mut stream, "200 OK", "", &body);
        }
        _ => reply(&mut stream, "200 OK", "", &body),
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn closednet(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_closednet"));
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

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn saved_items(file: &Path) -> (serde_json::Value, Vec<String>) {
    #[derive(serde::Deserialize)]
    struct Page {
        #[serde(rename = "Items")]
        items: Vec<Box<RawValue>>,
    }
    let text = std::fs::read_to_string(file).unwrap();
    let page: Page = serde_json::from_str(&text).unwrap();
    (serde_json::from_str(&text).unwrap(), page.items.iter().map(|i| i.get().to_string()).collect())
}

#[test]
fn fetches_every_item_through_faults_and_imports_as_the_saved_pages() {
    let server = Server::start();
    let dir = scratch("faults");
    let catalog = small_catalog(&dir, &["api-management", "devops-pipelines"]);
    let pages = dir.join("pages");
    let started = Instant::now();
    let run = closednet(
        &[
            "pricing",
            "fetch",
            "--out",
            path(&pages),
            "--pricing",
            path(&catalog),
            "--endpoint",
            &server.endpoint("faulty"),
        ],
        // Short enough for the slow page to time out; long enough for the others on a loaded machine.
        &[("CLOSEDNET_FETCH_TIMEOUT_MS", "1000")],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(run.stdout.is_empty());
    // No terminal: no progress line, only the summary. API Management is 4 pages in japaneast and
    // 1 in eastus2; Azure DevOps 3 in each (none in the region, 4 Global items over 2 pages).
    assert_eq!(
        stderr.trim_end(),
        format!("fetched 4 files (11 pages, 21 items, 0.0 MB), skipped 0 already complete, into {}", pages.display())
    );
    assert!(started.elapsed() >= Duration::from_secs(1), "the 429's Retry-After: 1 was waited for");

    // Every fault was met and retried (a loaded machine may add a retry of its own).
    let requests = server.requests();
    let count = |region: &str, skip: Option<usize>| {
        requests
            .iter()
            .filter(|r| r.contains("API%20Management") && r.contains(&format!("armRegionName%20eq%20%27{region}%27")))
            .filter(|r| match skip {
                Some(0) => !r.contains("$skip="),
                Some(s) => r.contains(&format!("$skip={s} ")),
                None => true,
            })
            .count()
    };
    for skip in [0, 3, 6, 9] {
        assert!(count("japaneast", Some(skip)) >= 2, "japaneast page at {skip}: {requests:#?}");
    }
    assert!(count("eastus2", None) >= 2, "{requests:#?}");
    assert!(requests[0].starts_with("GET /faulty/api/retail/prices?api-version=2023-01-01-preview&$filter="));

    // Every item, exactly as served, in the API's envelope; the Global items in every region's file.
    for region in REGIONS {
        let (envelope, items) = saved_items(&pages.join(region).join("api_management.json"));
        assert_eq!(items, fixture_items(region), "{region}");
        assert_eq!(envelope["NextPageLink"], serde_json::Value::Null);
        assert_eq!(envelope["BillingCurrency"], "USD");
        assert_eq!(envelope["Count"].to_string(), items.len().to_string());
        assert_eq!(saved_items(&pages.join(region).join("azure_devops.json")).1, items_of(GLOBAL_DEVOPS), "{region}");
    }
    let mut leftovers: Vec<_> =
        std::fs::read_dir(pages.join("japaneast")).unwrap().map(|e| e.unwrap().file_name()).collect();
    leftovers.sort();
    assert_eq!(leftovers, ["api_management.json", "azure_devops.json"]);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pages.join("snapshot-manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["snapshotDate"], "2026-08-15");
    assert_eq!(manifest["schemaVersion"].to_string(), "1");
    assert_eq!(manifest["apiVersion"], "2023-01-01-preview");
    assert_eq!(manifest["currency"], "USD");
    assert_eq!(manifest["regions"], serde_json::json!(["eastus2", "japaneast"]));
    for stamp in ["startedAt", "completedAt"] {
        let s = manifest[stamp].as_str().unwrap();
        assert!(s.len() == 24 && s.ends_with('Z') && s.as_bytes()[10] == b'T', "{stamp}: {s}");
    }

    // `pricing import` of the fetched folder, then of the same pages saved by hand in the same place.
    let import = |out: &Path| {
        let run = closednet(&["pricing", "import", path(&pages), "--out", path(out), "--pricing", path(&catalog)], &[]);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        String::from_utf8_lossy(&run.stderr).to_string()
    };
    let fetched_log = import(&dir.join("a/2026-08"));
    assert!(fetched_log.contains("from 4 files (21 items"), "{fetched_log}");
    let devops = std::fs::read_to_string(dir.join("a/2026-08/prices/devops-pipelines.toml")).unwrap();
    assert!(devops.contains("region = \"Global\""), "{devops}");
    assert!(fetched_log.contains("in force on 2026-08-15"), "{fetched_log}");
    std::fs::rename(&pages, dir.join("fetched")).unwrap();
    for region in REGIONS {
        std::fs::create_dir_all(pages.join(region)).unwrap();
        std::fs::copy(
            format!("tests/fixtures/retail/{region}/api_management.json"),
            pages.join(region).join("api_management.json"),
        )
        .unwrap();
        std::fs::copy(GLOBAL_DEVOPS, pages.join(region).join("azure_devops.json")).unwrap();
    }
    std::fs::write(pages.join("snapshot-manifest.json"), "{\"snapshotDate\": \"2026-08-15\"}").unwrap();
    let saved_log = import(&dir.join("b/2026-08"));
    assert_eq!(fetched_log.replace("/a/", "/b/"), saved_log);
    for file in ["snapshot.toml", "prices/api-management.toml", "prices/devops-pipelines.toml"] {
        let a = std::fs::read(dir.join("a/2026-08").join(file)).unwrap();
        let b = std::fs::read(dir.join("b/2026-08").join(file)).unwrap();
        assert!(a == b, "{file} differs:\n{}\n---\n{}", String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
    }
}

#[test]
fn a_failing_endpoint_stops_with_the_url_and_a_rerun_resumes() {
    let server = Server::start();
    let dir = scratch("resume");
    let catalog = small_catalog(&dir, &["api-management"]);
    let pages = dir.join("pages");
    let fetch = |mode: &str| {
        closednet(
            &[
                "pricing",
                "fetch",
                "--out",
                path(&pages),
                "--pricing",
                path(&catalog),
                "--region",
                "eastus2",
                "--region",
                "japaneast",
                "--endpoint",
                &server.endpoint(mode),
            ],
            &[],
        )
    };

    // japaneast's second page never comes: eastus2 is complete, japaneast has no file at all.
    let run = fetch("down");
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let url = format!(
        "GET http://127.0.0.1:{}/down/api/retail/prices?api-version=2023-01-01-preview&$filter=\
         serviceName%20eq%20%27API%20Management%27%20and%20armRegionName%20eq%20%27japaneast%27\
         %20and%20priceType%20eq%20%27Consumption%27&$skip=3: HTTP 500 Internal Server Error; gave up after 6 attempts",
        server.port
    );
    assert_eq!(stderr.trim_end(), format!("error: {url}"));
    assert_eq!(server.requests().iter().filter(|r| r.contains("$skip=3 ")).count(), 6);
    assert_eq!(saved_items(&pages.join("eastus2/api_management.json")).1, fixture_items("eastus2"));
    assert_eq!(std::fs::read_dir(pages.join("japaneast")).unwrap().count(), 0, "no file, not even a partial one");
    assert!(!pages.join("snapshot-manifest.json").exists(), "the manifest marks a complete folder");

    // The re-run skips eastus2 and fetches japaneast only.
    let before = server.requests().len();
    let run = fetch("faulty");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("fetched 1 files (4 pages, 10 items"), "{stderr}");
    assert!(stderr.contains("skipped 1 already complete"), "{stderr}");
    assert!(server.requests()[before..].iter().all(|r| !r.contains("eastus2")));
    assert_eq!(saved_items(&pages.join("japaneast/api_management.json")).1, fixture_items("japaneast"));
    let manifest = std::fs::read_to_string(pages.join("snapshot-manifest.json")).unwrap();

    // A third run has nothing to do, and asks the server nothing.
    let before = server.requests().len();
    let run = fetch("faulty");
    assert!(run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("fetched 0 files (0 pages, 0 items, 0.0 MB), skipped 2"));
    assert_eq!(server.requests().len(), before);
    let again = std::fs::read_to_string(pages.join("snapshot-manifest.json")).unwrap();
    let field = |text: &str, k: &str| serde_json::from_str::<serde_json::Value>(text).unwrap()[k].clone();
    assert_eq!(field(&manifest, "startedAt"), field(&again, "startedAt"), "the folder keeps its first start");
}

#[test]
fn a_client_error_is_not_retried() {
    let server = Server::start();
    let dir = scratch("404");
    let catalog = small_catalog(&dir, &["api-management"]);
    let out = dir.join("pages");
    let run = closednet(
        &[
            "pricing",
            "fetch",
            "--out",
            path(&out),
            "--pricing",
            path(&catalog),
            "--endpoint",
            &server.endpoint("missing"),
        ],
        &[],
    );
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("HTTP 404 Not Found: {\"Error\":\"no such endpoint\"}"), "{stderr}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn proxies_come_from_the_environment() {
    let server = Server::start();
    let dir = scratch("proxy");
    let catalog = small_catalog(&dir, &["api-management"]);
    let proxy = format!("http://127.0.0.1:{}", server.port);
    let args = |out: &Path, endpoint: &str| -> Vec<String> {
        [
            "pricing",
            "fetch",
            "--out",
            path(out),
            "--pricing",
            path(&catalog),
            "--region",
            "eastus2",
            "--endpoint",
            endpoint,
        ]
        .map(str::to_string)
        .to_vec()
    };
    // Through the proxy: it is asked to CONNECT to the API's host (and refuses here).
    let out = dir.join("via-proxy");
    let a = args(&out, "https://prices.example.invalid/api/retail/prices");
    let run = closednet(&a.iter().map(String::as_str).collect::<Vec<_>>(), &[("HTTPS_PROXY", &proxy)]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        server.requests().iter().any(|r| r.starts_with("CONNECT prices.example.invalid:443 ")),
        "{:?}",
        server.requests()
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.ends_with(&format!("proxy server responded 403/403 (through the proxy 127.0.0.1:{})\n", server.port)),
        "{stderr}"
    );
    // NO_PROXY: straight to the host.
    let out = dir.join("no-proxy");
    let a = args(&out, &server.endpoint("faulty"));
    let run = closednet(
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
        &[("HTTP_PROXY", "http://127.0.0.1:9"), ("HTTPS_PROXY", "http://127.0.0.1:9"), ("NO_PROXY", "127.0.0.1")],
    );
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(saved_items(&out.join("eastus2/api_management.json")).1, fixture_items("eastus2"));
}

#[test]
fn bad_arguments_are_refused_before_any_request() {
    let dir = scratch("args");
    let out = dir.join("pages");
    let run = closednet(&["pricing", "fetch", "--out", path(&out), "--region", "../etc"], &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--region \"../etc\": expected an ARM region name"));
    let run = closednet(&["pricing", "fetch", "--out", path(&out), "--endpoint", "ftp://x"], &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--endpoint ftp://x: expected an http:// or https:// URL"));
    assert!(!out.exists());
}
