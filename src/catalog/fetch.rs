//! `closednet pricing fetch`: downloads the Retail Prices API pages the service definitions read,
//! laid out as `pricing import` reads them (`DIR/<region>/<retail_file>` and
//! `DIR/snapshot-manifest.json`), so refreshing prices takes one machine with internet access and
//! two commands.
//!
//! - One query per service and region (`serviceName`, `armRegionName`, `priceType eq
//!   'Consumption'`). A component priced in a non-regional "region" (`Global`, the Front Door
//!   billing zones `Zone 1`..`Zone 8`) is looked up by the importer inside each region's file, so
//!   those items are fetched too and merged into every region's file.
//! - Items are kept byte for byte ([`RawValue`]): the importer reads each price from its text, and
//!   a number that went through a float could change.
//! - A file appears under its final name only once all its pages arrived and parsed: it is written
//!   to `<file>.part` and renamed. A re-run skips every file already complete, so an interrupted
//!   fetch resumes where it stopped; a new snapshot wants a new folder.
//! - 429, 5xx, connection, timeout and truncated-body failures are retried with exponential
//!   backoff, waiting `Retry-After` seconds when the server gives it, at most [`MAX_ATTEMPTS`] times.
//!   Proxies come from `ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY` (or lower case) and `NO_PROXY`.

use super::Catalog;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const DEFAULT_ENDPOINT: &str = "https://prices.azure.com/api/retail/prices";
pub const API_VERSION: &str = "2023-01-01-preview";
pub const MANIFEST: &str = "snapshot-manifest.json";
/// Tries of one request before the fetch stops.
pub const MAX_ATTEMPTS: u32 = 6;
/// A page of the API is about 100 items (some 60 KB); this only stops a runaway response.
const MAX_PAGE_BYTES: u64 = 64 * 1024 * 1024;
/// Pages of one query; the largest service and region of the API needs a few hundred.
const MAX_PAGES: usize = 10_000;
/// Longest wait between two tries, whatever `Retry-After` asks.
const MAX_WAIT: Duration = Duration::from_secs(300);

/// How to talk to the API.
#[derive(Clone, Debug)]
pub struct Options {
    pub endpoint: String,
    /// Whole request, body included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// First wait after a failure; doubled after each further one.
    pub backoff: Duration,
    /// A `\r` progress line on stderr (when stderr is a terminal).
    pub progress: bool,
    /// The snapshot date (YYYY-MM-DD) written to the manifest.
    pub today: String,
}

impl Options {
    /// The defaults, with `--endpoint` and two settings for tests: `CLOSEDNET_FETCH_TIMEOUT_MS`
    /// (per request, default 120 s) and `CLOSEDNET_FETCH_BACKOFF_MS` (first wait, default 1 s).
    pub fn new(endpoint: Option<String>, progress: bool) -> Result<Options, String> {
        let endpoint = endpoint.unwrap_or_else(|| DEFAULT_ENDPOINT.to_string());
        if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) {
            return Err(format!("--endpoint {endpoint}: expected an http:// or https:// URL"));
        }
        let ms = |var: &str, default: u64| -> Result<Duration, String> {
            match std::env::var(var) {
                Ok(v) => v
                    .trim()
                    .parse::<u64>()
                    .map(Duration::from_millis)
                    .map_err(|_| format!("{var}={v}: expected a number of milliseconds")),
                Err(_) => Ok(Duration::from_millis(default)),
            }
        };
        let timeout = ms("CLOSEDNET_FETCH_TIMEOUT_MS", 120_000)?;
        Ok(Options {
            endpoint,
            timeout,
            connect_timeout: timeout.min(Duration::from_secs(30)),
            backoff: ms("CLOSEDNET_FETCH_BACKOFF_MS", 1_000)?,
            progress,
            today: crate::date::today_utc(),
        })
    }
}

/// One API query: a service's items in one `armRegionName`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Query {
    pub service_name: String,
    pub arm_region: String,
}

impl Query {
    /// The OData filter, quotes doubled as OData escapes them.
    pub fn filter(&self) -> String {
        let q = |s: &str| s.replace('\'', "''");
        format!(
            "serviceName eq '{}' and armRegionName eq '{}' and priceType eq 'Consumption'",
            q(&self.service_name),
            q(&self.arm_region)
        )
    }

    pub fn url(&self, endpoint: &str) -> String {
        let sep = if endpoint.contains('?') { '&' } else { '?' };
        format!("{endpoint}{sep}api-version={API_VERSION}&$filter={}", percent_encode(&self.filter()))
    }
}

/// One file to write, `<region>/<file>`, and the queries whose items it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub region: String,
    pub file: String,
    pub queries: Vec<Query>,
}

/// The files the definitions read in `regions`, region by region.
pub fn plan(catalog: &Catalog, regions: &[String]) -> Result<Vec<Target>, String> {
    // retail file -> service name -> non-regional pricing regions of its components
    let mut files: BTreeMap<&str, BTreeMap<&str, BTreeSet<String>>> = BTreeMap::new();
    for def in catalog.services()? {
        // Each metered component's page and serviceName (the type's, or its own).
        for comp in def.tiers.iter().flat_map(|t| &t.components) {
            let Some((file, service)) = comp.meter.as_deref().and_then(|m| def.meter_source(m)) else { continue };
            if Path::new(file).file_name().and_then(|n| n.to_str()) != Some(file) || !file.ends_with(".json") {
                return Err(format!(
                    "service type {}: retail_file {file:?} is not a file name ending in .json",
                    def.type_id
                ));
            }
            let literals = files.entry(file).or_default().entry(service).or_default();
            match comp.region.as_deref() {
                Some("zone") => literals.extend((1..=8).map(|z| format!("Zone {z}"))),
                Some(r) => {
                    literals.insert(r.to_string());
                }
                None => {}
            }
        }
    }
    let mut targets = Vec::new();
    for region in regions {
        check_region(region)?;
        for (file, services) in &files {
            let mut queries = Vec::new();
            for (service, literals) in services {
                for r in std::iter::once(region).chain(literals.iter().filter(|l| *l != region)) {
                    queries.push(Query { service_name: service.to_string(), arm_region: r.clone() });
                }
            }
            targets.push(Target { region: region.clone(), file: file.to_string(), queries });
        }
    }
    Ok(targets)
}

/// A region becomes a folder name: only ARM region names (`japaneast`) are accepted.
fn check_region(region: &str) -> Result<(), String> {
    if region.is_empty() || !region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        return Err(format!("--region {region:?}: expected an ARM region name such as japaneast"));
    }
    Ok(())
}

/// What a fetch did, for its summary line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub fetched: usize,
    pub skipped: usize,
    pub pages: usize,
    pub items: usize,
    pub bytes: u64,
}

impl Summary {
    pub fn line(&self, out: &Path) -> String {
        format!(
            "fetched {} files ({} pages, {} items, {:.1} MB), skipped {} already complete, into {}",
            self.fetched,
            self.pages,
            self.items,
            self.bytes as f64 / 1_000_000.0,
            self.skipped,
            out.display()
        )
    }
}

/// Downloads every file of [`plan`] for `regions` (default: the newest snapshot's) into `out`,
/// skipping files already complete, then writes the manifest.
pub fn fetch(catalog: &Catalog, out: &Path, regions: &[String], opts: &Options) -> Result<Summary, String> {
    let regions: Vec<String> = if regions.is_empty() { catalog.newest().meta.regions.clone() } else { dedup(regions) };
    let targets = plan(catalog, &regions)?;
    let started = timestamp(SystemTime::now());
    let agent = agent(opts);
    let mut progress = Progress { on: opts.progress, shown: 0 };
    let fetched = fetch_targets(&agent, &targets, out, opts, &mut progress);
    progress.clear();
    let summary = fetched?;
    write_manifest(out, &regions, &targets, &started, opts)?;
    Ok(summary)
}

fn fetch_targets(
    agent: &ureq::Agent,
    targets: &[Target],
    out: &Path,
    opts: &Options,
    progress: &mut Progress,
) -> Result<Summary, String> {
    let mut summary = Summary::default();
    for (n, target) in targets.iter().enumerate() {
        let dir = out.join(&target.region);
        let path = dir.join(&target.file);
        if is_complete(&path) {
            summary.skipped += 1;
            continue;
        }
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut items: Vec<Box<RawValue>> = Vec::new();
        for query in &target.queries {
            let mut url = query.url(&opts.endpoint);
            let mut seen = BTreeSet::new();
            loop {
                progress.show(&format!(
                    "[{}/{}] {}/{}: {} items",
                    n + 1,
                    targets.len(),
                    target.region,
                    target.file,
                    items.len()
                ));
                if seen.len() >= MAX_PAGES || !seen.insert(url.clone()) {
                    return Err(format!("GET {url}: the API's NextPageLink chain does not end"));
                }
                let (page, bytes) = get_page(agent, &url, opts)?;
                summary.pages += 1;
                summary.bytes += bytes;
                items.extend(page.items);
                match page.next {
                    Some(next) if !next.is_empty() => {
                        if !(next.starts_with("https://") || next.starts_with("http://")) {
                            return Err(format!("GET {url}: NextPageLink {next:?} is not an http(s) URL"));
                        }
                        url = next;
                    }
                    _ => break,
                }
            }
        }
        summary.items += items.len();
        write_atomically(&path, page_envelope(&items).as_bytes())?;
        summary.fetched += 1;
    }
    Ok(summary)
}

fn dedup(regions: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    regions.iter().filter(|r| seen.insert(r.as_str())).cloned().collect()
}

fn agent(opts: &Options) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(opts.timeout))
        .timeout_connect(Some(opts.connect_timeout))
        .user_agent(concat!("closednet/", env!("CARGO_PKG_VERSION")))
        .proxy(ureq::Proxy::try_from_env())
        .build()
        .into()
}

#[derive(Deserialize)]
struct Page {
    #[serde(rename = "Items")]
    items: Vec<Box<RawValue>>,
    #[serde(rename = "NextPageLink", default)]
    next: Option<String>,
    #[serde(rename = "BillingCurrency", default)]
    currency: Option<String>,
}

/// GETs one page, retrying what a later try can fix. Returns the page and its size.
fn get_page(agent: &ureq::Agent, url: &str, opts: &Options) -> Result<(Page, u64), String> {
    let mut last = String::new();
    for attempt in 1..=MAX_ATTEMPTS {
        let backoff = opts.backoff.saturating_mul(1 << (attempt - 1)).min(MAX_WAIT);
        let wait = match agent.get(url).call() {
            Ok(mut resp) => {
                let status = resp.status();
                if status.is_success() {
                    match resp.body_mut().with_config().limit(MAX_PAGE_BYTES).read_to_vec() {
                        Ok(body) => match serde_json::from_slice::<Page>(&body) {
                            Ok(page) => {
                                if let Some(c) = page.currency.as_deref().filter(|c| *c != "USD") {
                                    return Err(format!("GET {url}: prices in {c}, expected USD"));
                                }
                                return Ok((page, body.len() as u64));
                            }
                            Err(e) => last = format!("not a complete Retail Prices API page ({e})"),
                        },
                        Err(ureq::Error::BodyExceedsLimit(n)) => {
                            return Err(format!("GET {url}: the response is larger than {n} bytes"));
                        }
                        Err(e) => last = format!("reading the response: {e}"),
                    }
                    backoff
                } else if status.as_u16() == 429 || status.is_server_error() {
                    last = format!("HTTP {status}");
                    retry_after(&resp).unwrap_or(backoff)
                } else {
                    let body = resp.body_mut().with_config().limit(4096).read_to_string().unwrap_or_default();
                    let body: String = body.chars().take(300).collect();
                    return Err(format!("GET {url}: HTTP {status}: {}", body.trim()));
                }
            }
            Err(
                e @ (ureq::Error::Io(_)
                | ureq::Error::Timeout(_)
                | ureq::Error::ConnectionFailed
                | ureq::Error::HostNotFound
                | ureq::Error::Protocol(_)),
            ) => {
                last = e.to_string();
                backoff
            }
            Err(e) => return Err(format!("GET {url}: {e}{}", through_proxy(agent, url))),
        };
        if attempt < MAX_ATTEMPTS {
            std::thread::sleep(wait);
        }
    }
    Err(format!("GET {url}: {last}{}; gave up after {MAX_ATTEMPTS} attempts", through_proxy(agent, url)))
}

/// ` (through the proxy HOST:PORT)` when the request went through one (never its credentials).
fn through_proxy(agent: &ureq::Agent, url: &str) -> String {
    match (agent.config().proxy(), url.parse::<ureq::http::Uri>()) {
        (Some(p), Ok(uri)) if !p.is_no_proxy(&uri) => format!(" (through the proxy {}:{})", p.host(), p.port()),
        _ => String::new(),
    }
}

/// `Retry-After` in seconds (the HTTP-date form falls back to the backoff).
fn retry_after(resp: &ureq::http::Response<ureq::Body>) -> Option<Duration> {
    let secs: u64 = resp.headers().get("retry-after")?.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(secs).min(MAX_WAIT))
}

/// A file of `fetch` or of the saved pages: the API's envelope holding every item, no next page.
fn is_complete(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else { return false };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) else { return false };
    v.get("Items").is_some_and(serde_json::Value::is_array) && v.get("NextPageLink").is_some_and(|n| n.is_null())
}

/// The API's envelope around all the pages' items, one item a line, each as received.
fn page_envelope(items: &[Box<RawValue>]) -> String {
    let mut s = String::from("{\"BillingCurrency\":\"USD\",\"Items\":[");
    for (i, item) in items.iter().enumerate() {
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        s.push_str(item.get());
    }
    s.push_str(&format!("\n],\"NextPageLink\":null,\"Count\":{}}}\n", items.len()));
    s
}

/// Writes `<path>.part` beside `path`, then renames it into place.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = std::path::PathBuf::from(part);
    let written = std::fs::File::create(&part)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&part, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&part);
        format!("{}: {e}", path.display())
    })
}

/// `snapshot-manifest.json`. A folder fetched before keeps its first `snapshotDate` and
/// `startedAt` (the files skipped now were read then) and the regions it had.
fn write_manifest(
    out: &Path,
    regions: &[String],
    targets: &[Target],
    started: &str,
    opts: &Options,
) -> Result<(), String> {
    let path = out.join(MANIFEST);
    let old: Option<serde_json::Value> = std::fs::read(&path).ok().and_then(|b| serde_json::from_slice(&b).ok());
    let old_str = |k: &str| old.as_ref().and_then(|v| v.get(k)?.as_str().map(str::to_string));
    let mut all_regions: Vec<String> = old
        .as_ref()
        .and_then(|v| v.get("regions")?.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r.as_str().map(str::to_string))
        .collect();
    for r in regions {
        if !all_regions.contains(r) {
            all_regions.push(r.clone());
        }
    }
    let queries: BTreeSet<(&str, &str)> =
        targets.iter().flat_map(|t| t.queries.iter().map(|q| (t.file.as_str(), q.service_name.as_str()))).collect();
    let manifest = serde_json::json!({
        "schemaVersion": 1,
        "snapshotDate": old_str("snapshotDate").unwrap_or_else(|| opts.today.clone()),
        "startedAt": old_str("startedAt").unwrap_or_else(|| started.to_string()),
        "completedAt": timestamp(SystemTime::now()),
        "source": "Azure Retail Prices API",
        "endpoint": opts.endpoint,
        "apiVersion": API_VERSION,
        "currency": "USD",
        "priceType": "Consumption",
        "regions": all_regions,
        "services": queries.iter().map(|(f, s)| serde_json::json!({"file": f, "serviceName": s})).collect::<Vec<_>>(),
        "fetchedBy": concat!("closednet ", env!("CARGO_PKG_VERSION")),
    });
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| format!("{}: {e}", path.display()))?;
    write_atomically(&path, (text + "\n").as_bytes())
}

/// RFC 3339 UTC with milliseconds, as the API's own manifests have it.
fn timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (year, month, day) = crate::date::civil_date(secs);
    let s = secs % 86_400;
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z", s / 3600, s / 60 % 60, s % 60, d.subsec_millis())
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `\r` progress line on a terminal; nothing otherwise.
struct Progress {
    on: bool,
    shown: usize,
}

impl Progress {
    fn show(&mut self, line: &str) {
        if self.on {
            let pad = self.shown.saturating_sub(line.chars().count());
            eprint!("\r{line}{:pad$}", "");
            self.shown = line.chars().count();
        }
    }

    fn clear(&mut self) {
        if self.on && self.shown > 0 {
            eprint!("\r{:w$}\r", "", w = self.shown);
            self.shown = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_is_percent_encoded() {
        let q = Query { service_name: "API Management".into(), arm_region: "japaneast".into() };
        assert_eq!(
            q.url("https://prices.azure.com/api/retail/prices"),
            "https://prices.azure.com/api/retail/prices?api-version=2023-01-01-preview&$filter=\
             serviceName%20eq%20%27API%20Management%27%20and%20armRegionName%20eq%20%27japaneast%27\
             %20and%20priceType%20eq%20%27Consumption%27"
        );
        let odd = Query { service_name: "O'Brien".into(), arm_region: "x".into() };
        assert!(odd.filter().starts_with("serviceName eq 'O''Brien'"));
        assert!(q.url("http://mirror/prices?key=1").starts_with("http://mirror/prices?key=1&api-version="));
    }

    #[test]
    fn non_regional_prices_are_fetched_into_every_region_file() {
        let catalog = Catalog::embedded().unwrap();
        let targets = plan(&catalog, &["japaneast".to_string(), "eastus2".to_string()]).unwrap();
        let find = |region: &str, file: &str| {
            targets.iter().find(|t| t.region == region && t.file == file).unwrap_or_else(|| panic!("{region}/{file}"))
        };
        let regions = |t: &Target| t.queries.iter().map(|q| q.arm_region.clone()).collect::<Vec<_>>();
        let fd = find("eastus2", "azure_front_door_service.json");
        let mut want: Vec<String> = (1..=8).map(|z| format!("Zone {z}")).collect();
        want.insert(0, "eastus2".into());
        assert_eq!(regions(fd), want);
        assert_eq!(regions(find("japaneast", "azure_devops.json")), ["japaneast", "Global"]);
        assert_eq!(regions(find("japaneast", "api_management.json")), ["japaneast"]);
        // Two definitions read storage.json: it is fetched once per region.
        assert_eq!(targets.iter().filter(|t| t.file == "storage.json" && t.region == "japaneast").count(), 1);
        // Region-major order: every file of the first region first.
        assert!(targets.iter().take_while(|t| t.region == "japaneast").count() > 10);
    }

    #[test]
    fn a_region_must_be_a_region_name() {
        let catalog = Catalog::embedded().unwrap();
        for bad in ["../etc", "", "Japan East", "japaneast/x"] {
            assert!(plan(&catalog, &[bad.to_string()]).is_err(), "{bad}");
        }
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let t = UNIX_EPOCH + Duration::from_millis(1_786_754_224_839);
        assert_eq!(timestamp(t), "2026-08-15T00:37:04.839Z");
    }

    #[test]
    fn items_are_kept_as_received() {
        let page: Page =
            serde_json::from_str(r#"{"Items":[{"retailPrice":0.10000000000000001,"x":"\u00e9"}],"NextPageLink":null}"#)
                .unwrap();
        assert_eq!(
            page_envelope(&page.items),
            "{\"BillingCurrency\":\"USD\",\"Items\":[\n{\"retailPrice\":0.10000000000000001,\"x\":\"\\u00e9\"}\n],\
             \"NextPageLink\":null,\"Count\":1}\n"
        );
    }
}
