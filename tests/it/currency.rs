//! Local-currency prices, end to end against a local Retail Prices API on 127.0.0.1:
//! `pricing fetch --currency EUR` asks for `currencyCode='EUR'`, the pages and the manifest record
//! EUR, `pricing import` writes an EUR snapshot, and a report priced with it says the amounts are the
//! API's EUR prices, given "for your reference" (Microsoft prices Azure in USD), never converted.
//!
//! The stand-in API serves the real API Management items of tests/fixtures/retail/japaneast with
//! their currency code set to EUR and the Premium Unit price set to 3.4461: a test value, not an
//! Azure price (the fixture's USD price is 3.829).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

fn scratch(name: &str) -> PathBuf {
    let dir = crate::support::tmp().join(format!("test-currency-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The fixture's API Management items in japaneast, in EUR at stand-in prices.
fn eur_items() -> Vec<String> {
    let text = std::fs::read_to_string("tests/fixtures/retail/japaneast/api_management.json").unwrap();
    let items = text.lines().filter(|l| l.starts_with("{\"currencyCode\""));
    items
        .map(|l| {
            l.trim_end_matches(',')
                .replace("\"currencyCode\":\"USD\"", "\"currencyCode\":\"EUR\"")
                .replace("\"retailPrice\":3.829,\"unitPrice\":3.829", "\"retailPrice\":3.4461,\"unitPrice\":3.4461")
        })
        .collect()
}

/// Answers every query in one page: API Management's items in japaneast, none for anything else, in
/// the currency the query asks for (the envelope's `BillingCurrency` says which).
fn start() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let log = Arc::new(Mutex::new(Vec::new()));
    let served = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            serve(stream, &served);
        }
    });
    (port, log)
}

fn serve(stream: TcpStream, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 0) && header != "\r\n" {
        header.clear();
    }
    log.lock().unwrap().push(line.trim_end().to_string());
    let eur = line.contains("currencyCode='EUR'");
    let ours = line.contains("API%20Management") && line.contains("japaneast");
    let items = if eur && ours { eur_items().join(",") } else { String::new() };
    let body = format!(
        "{{\"BillingCurrency\":\"{}\",\"Items\":[{items}],\"NextPageLink\":null}}",
        if eur { "EUR" } else { "USD" }
    );
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// A catalog with API Management and the private endpoint and DNS zone types, a USD snapshot of
/// japaneast, and that snapshot's documented figures (USD).
fn small_catalog(dir: &Path) -> PathBuf {
    let cat = dir.join("catalog");
    std::fs::create_dir_all(cat.join("services")).unwrap();
    std::fs::create_dir_all(cat.join("2026-08")).unwrap();
    for t in ["api-management", "private-endpoint", "private-dns-zone"] {
        std::fs::copy(format!("pricing/services/{t}.toml"), cat.join(format!("services/{t}.toml"))).unwrap();
    }
    std::fs::write(
        cat.join("2026-08/snapshot.toml"),
        "name = \"2026-08\"\nas_of = \"2026-08-15\"\nsource = \"test\"\ncurrency = \"USD\"\n\
         hours_per_month = \"730\"\nregions = [\"japaneast\"]\n",
    )
    .unwrap();
    cat
}

fn closednet(args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_closednet"));
    for var in
        ["ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"]
    {
        cmd.env_remove(var);
    }
    cmd.env("CLOSEDNET_TODAY", "2026-09-01").args(args).output().unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

const ARCH: &str = "version: 1\nregion: japaneast\npricing: 2026-09\nservices:\n  - name: gateway\n    type: api-management\n    tier: premium\n    public: true\n";

#[test]
fn an_eur_fetch_is_an_eur_snapshot_reported_as_the_apis_reference_prices() {
    let (port, log) = start();
    let dir = scratch("eur");
    let catalog = small_catalog(&dir);
    let pages = dir.join("pages");
    let endpoint = format!("http://127.0.0.1:{port}/api/retail/prices");
    let fetch = ["pricing", "fetch", "--out", path(&pages), "--pricing", path(&catalog), "--endpoint", &endpoint];
    let run = closednet(&[&fetch[..], &["--currency", "eur"]].concat());
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));

    // The query names the currency before the filter, as the API's page writes it.
    let requests = log.lock().unwrap().clone();
    assert!(
        requests[0].starts_with(
            "GET /api/retail/prices?api-version=2023-01-01-preview&currencyCode='EUR'&$filter=serviceName%20eq%20%27API%20Management%27"
        ),
        "{requests:#?}"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pages.join("snapshot-manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["currency"], "EUR");
    let page = std::fs::read_to_string(pages.join("japaneast/api_management.json")).unwrap();
    assert!(page.starts_with("{\"BillingCurrency\":\"EUR\",\"Items\":["), "{page}");

    // The same folder cannot be resumed in another currency: its files would mix.
    let again = closednet(&fetch);
    assert_eq!(again.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("the folder holds prices in EUR; fetch USD into a new folder"), "{stderr}");

    let out = catalog.join("2026-09");
    let import = closednet(&["pricing", "import", path(&pages), "--out", path(&out), "--pricing", path(&catalog)]);
    assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    let meta = std::fs::read_to_string(out.join("snapshot.toml")).unwrap();
    assert!(meta.contains("currency = \"EUR\""), "{meta}");

    // 730 h x EUR 3.4461 = EUR 2,515.653, presented 2,515.65: the API's EUR figure, not converted.
    let file = dir.join("gateway.yaml");
    std::fs::write(&file, ARCH).unwrap();
    let est = closednet(&["estimate", path(&file), "--pricing", path(&catalog)]);
    let stdout = String::from_utf8_lossy(&est.stdout);
    assert!(est.status.success(), "{}", String::from_utf8_lossy(&est.stderr));
    assert!(
        stdout.contains(
            "| EUR list prices as the Retail Prices API gives them for reference (Microsoft prices Azure in USD; \
             the Retail Prices API's EUR prices in pricing snapshot 2026-09)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("Monthly cost in EUR"), "{stdout}");
    assert!(
        stdout.contains("| gateway   api-management   premium          2,515.65    0.00       premium   2,515.65"),
        "{stdout}"
    );

    // Asking for another currency is an error, not a silent conversion.
    let usd = closednet(&["estimate", path(&file), "--pricing", path(&catalog), "--currency", "USD"]);
    assert_eq!(usd.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&usd.stderr);
    assert!(stderr.contains("pricing snapshot 2026-09 holds EUR prices, and the report currency is USD"), "{stderr}");

    // A private gateway takes a private endpoint, whose documented figure is USD (the README has a
    // new snapshot start from the previous one's documented.toml): no price in an EUR snapshot
    // (CN008 names it), never a USD figure among EUR ones.
    std::fs::copy("pricing/2026-08/documented.toml", out.join("documented.toml")).unwrap();
    std::fs::write(&file, ARCH.replace("    public: true\n", "")).unwrap();
    let est = closednet(&["estimate", path(&file), "--pricing", path(&catalog)]);
    let stdout = String::from_utf8_lossy(&est.stdout);
    assert!(
        stdout.contains(
            "closed design: private endpoints / Private endpoint hours: no price (documented.toml gives it in USD, and snapshot 2026-09 prices in EUR)"
        ),
        "{stdout}"
    );
}
