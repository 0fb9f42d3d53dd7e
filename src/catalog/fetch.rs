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
//! - Items are streamed to the file page by page ([`part`]): memory holds one page at most. A
//!   file appears under its final name only once all its pages arrived and parsed. A re-run skips
//!   every file already complete, so an interrupted fetch resumes where it stopped; a new snapshot
//!   wants a new folder.
//! - 429, 5xx, connection, timeout and truncated-body failures are retried with exponential
//!   backoff, waiting `Retry-After` seconds when the server gives it, at most
//!   [`http::MAX_ATTEMPTS`] times ([`http`]). Proxies come from `ALL_PROXY`, `HTTPS_PROXY`,
//!   `HTTP_PROXY` (or lower case) and `NO_PROXY`; one that does not parse is an error.
//! - No server holds a fetch for ever: a query stops after [`MAX_PAGES`] pages, at a page whose
//!   link or items repeat an earlier page's, and at its deadline ([`Options::deadline`]).
//! - A query without items is reported: a warning, or an error when no query had any.
//! - Secrets of `--endpoint` (user information, query keys) are never shown ([`url`]).
//! - `--currency EUR` asks for `currencyCode='EUR'`. "The currency that Microsoft uses to price all
//!   Azure services is USD ... Other non-USD prices returned by the API are for your reference to help
//!   you estimate budget expenses" (Azure Retail Prices API page): the manifest records the currency,
//!   the importer writes it into the snapshot, and a report in it says whose prices they are.

mod http;
mod part;
pub mod url;

use super::Catalog;
use crate::error::Error;
use http::PageError;
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use url::{percent_encode, redact};

pub use http::MAX_ATTEMPTS;

pub const DEFAULT_ENDPOINT: &str = "https://prices.azure.com/api/retail/prices";
pub const API_VERSION: &str = "2023-01-01-preview";
pub const MANIFEST: &str = "snapshot-manifest.json";
/// Pages of one query. The API gives up to 1,000 items a page (100 in older versions); the largest
/// file of the 2026-08-15 pages is 5,520 items (virtual machines, mexicocentral), 56 pages of 100.
/// A chain this long is a server that does not end it.
pub const MAX_PAGES: usize = 1_000;

/// How to talk to the API.
#[derive(Clone, Debug)]
pub struct Options {
    pub endpoint: String,
    /// One try of a request, body included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// First wait after a failure; doubled after each further one.
    pub backoff: Duration,
    /// All the pages of one query, tries and waits included.
    pub deadline: Duration,
    /// A `\r` progress line on stderr (when stderr is a terminal).
    pub progress: bool,
    /// The snapshot date (YYYY-MM-DD) written to the manifest.
    pub today: String,
    /// The `currencyCode` asked of the API (`--currency`, default USD). USD is the currency Microsoft
    /// prices Azure in; the API gives other currencies "for your reference" (see the module docs).
    pub currency: String,
}

impl Options {
    /// The defaults, with `--endpoint` and three settings for tests: `CLOSEDNET_FETCH_TIMEOUT_MS`
    /// (per try, default 60 s), `CLOSEDNET_FETCH_BACKOFF_MS` (first wait, default 1 s) and
    /// `CLOSEDNET_FETCH_DEADLINE_MS` (per query, default 10 minutes: the largest query is a few
    /// dozen pages of well under a second each).
    pub fn new(endpoint: Option<String>, progress: bool) -> Result<Options, Error> {
        let endpoint = endpoint.unwrap_or_else(|| DEFAULT_ENDPOINT.to_string());
        if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) {
            return Err(Error::Message(format!(
                "--endpoint {}: expected an http:// or https:// URL",
                redact(&endpoint)
            )));
        }
        let ms = |var: &str, default: u64| -> Result<Duration, Error> {
            match std::env::var(var) {
                Ok(v) => v
                    .trim()
                    .parse::<u64>()
                    .map(Duration::from_millis)
                    .map_err(|_| Error::Message(format!("{var}={v}: expected a number of milliseconds"))),
                Err(_) => Ok(Duration::from_millis(default)),
            }
        };
        let timeout = ms("CLOSEDNET_FETCH_TIMEOUT_MS", 60_000)?;
        Ok(Options {
            endpoint,
            timeout,
            connect_timeout: timeout.min(Duration::from_secs(30)),
            backoff: ms("CLOSEDNET_FETCH_BACKOFF_MS", 1_000)?,
            deadline: ms("CLOSEDNET_FETCH_DEADLINE_MS", 600_000)?,
            progress,
            today: crate::date::today_utc(),
            currency: "USD".to_string(),
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
        self.url_in(endpoint, "USD")
    }

    /// The URL asking for prices in `currency`: `currencyCode='EUR'` before the filter, as the API's
    /// page writes it; nothing for USD, the API's default.
    pub fn url_in(&self, endpoint: &str, currency: &str) -> String {
        let sep = if endpoint.contains('?') { '&' } else { '?' };
        let code = if currency == "USD" { String::new() } else { format!("&currencyCode='{currency}'") };
        format!("{endpoint}{sep}api-version={API_VERSION}{code}&$filter={}", percent_encode(&self.filter()))
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
pub fn plan(catalog: &Catalog, regions: &[String]) -> Result<Vec<Target>, Error> {
    // retail file -> service name -> non-regional pricing regions of its components
    let mut files: BTreeMap<&str, BTreeMap<&str, BTreeSet<String>>> = BTreeMap::new();
    for def in catalog.services()? {
        // Each metered component's page and serviceName (the type's, or its own).
        for comp in def.tiers().flat_map(|t| &t.components) {
            let Some((file, service)) = comp.meter.as_deref().and_then(|m| def.meter_source(m)) else { continue };
            if Path::new(file).file_name().and_then(|n| n.to_str()) != Some(file) || !file.ends_with(".json") {
                return Err(Error::Message(format!(
                    "service type {}: retail_file {file:?} is not a file name ending in .json",
                    def.type_id
                )));
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
fn check_region(region: &str) -> Result<(), Error> {
    if !is_region_name(region) {
        return Err(Error::Message(format!("--region {region:?}: expected an ARM region name such as japaneast")));
    }
    Ok(())
}

/// An ARM region name as the API writes `armRegionName` (`japaneast`, `eastus2`): it becomes a
/// folder name, for `fetch` and for `import`.
pub fn is_region_name(region: &str) -> bool {
    !region.is_empty() && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// What a fetch did, for its summary line and its warnings.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub fetched: usize,
    pub skipped: usize,
    pub pages: usize,
    pub items: usize,
    pub bytes: u64,
    /// Every query of this run.
    pub queried: Vec<Queried>,
    /// Lines for the user about queries without items (see [`Summary::warnings_of`]).
    pub warnings: Vec<String>,
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

    /// A region none of whose own queries had an item is named once (a misspelt or unpriced
    /// region); otherwise a service none of whose queries for a file had an item is named with
    /// the regions (a service priced only `Global` has empty regional queries: not a warning).
    fn warnings_of(queried: &[Queried]) -> Vec<String> {
        let mut by_region: BTreeMap<&str, (usize, BTreeSet<&str>)> = BTreeMap::new();
        let mut by_service: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
        for q in queried {
            if q.region == q.query.arm_region {
                let e = by_region.entry(q.region.as_str()).or_default();
                e.0 += q.items;
                e.1.insert(q.query.service_name.as_str());
            }
            *by_service.entry((q.query.service_name.as_str(), q.region.as_str(), q.file.as_str())).or_default() +=
                q.items;
        }
        let mut lines = Vec::new();
        let silent: BTreeSet<&str> = by_region.iter().filter(|(_, (n, _))| *n == 0).map(|(r, _)| *r).collect();
        for region in &silent {
            let services: Vec<&str> = by_region[region].1.iter().copied().collect();
            lines.push(format!(
                "warning: {region}: the API has no items for any service the definitions read ({}); is {region} a \
                 region it prices?",
                list(&services, 5)
            ));
        }
        let mut empty: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for ((service, region, _), n) in by_service {
            if n == 0 && !silent.contains(region) {
                empty.entry(service).or_default().insert(region);
            }
        }
        for (service, regions) in empty {
            let regions: Vec<&str> = regions.into_iter().collect();
            lines.push(format!("warning: the API has no items for {service} in {}", list(&regions, 8)));
        }
        lines
    }
}

/// One query of a run: the file (and its region) it went into, and how many items it had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queried {
    pub region: String,
    pub file: String,
    pub query: Query,
    pub items: usize,
}

/// `a, b, c` and at most `max` of them, then `and N more`.
fn list(names: &[&str], max: usize) -> String {
    let shown = names.iter().take(max).copied().collect::<Vec<_>>().join(", ");
    match names.len().saturating_sub(max) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// Downloads every file of [`plan`] for `regions` (default: the newest snapshot's) into `out`,
/// skipping files already complete, then writes the manifest.
pub fn fetch(catalog: &Catalog, out: &Path, regions: &[String], opts: &Options) -> Result<Summary, Error> {
    let regions: Vec<String> = if regions.is_empty() { catalog.newest().meta.regions.clone() } else { dedup(regions) };
    check_currency(out, &opts.currency)?;
    let targets = plan(catalog, &regions)?;
    let agent = http::agent(opts, http::proxy_from_env()?);
    let started = timestamp(SystemTime::now());
    let mut run =
        Run { agent: &agent, opts, progress: Progress { on: opts.progress, shown: 0 }, summary: Summary::default() };
    let mut written = Vec::new();
    let fetched = run.targets(&targets, out, &mut written);
    run.progress.clear();
    fetched?;
    let mut summary = run.summary;
    if !summary.queried.is_empty() && summary.items == 0 {
        // Empty files would be skipped as complete by the next run, with the right --endpoint.
        for path in &written {
            let _ = std::fs::remove_file(path);
        }
        return Err(Error::Message(format!(
            "the API at {} returned no items for any of the {} queries: nothing written; check --endpoint and --region",
            redact(&opts.endpoint),
            summary.queried.len()
        )));
    }
    summary.warnings = Summary::warnings_of(&summary.queried);
    write_manifest(out, &regions, &targets, &started, opts)?;
    Ok(summary)
}

/// One fetch under way.
struct Run<'a> {
    agent: &'a ureq::Agent,
    opts: &'a Options,
    progress: Progress,
    summary: Summary,
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::Message(format!("{}: {e}", path.display()))
}

impl Run<'_> {
    fn targets(&mut self, targets: &[Target], out: &Path, written: &mut Vec<PathBuf>) -> Result<(), Error> {
        for (n, target) in targets.iter().enumerate() {
            let dir = out.join(&target.region);
            let path = dir.join(&target.file);
            if part::is_complete(&path) {
                self.summary.skipped += 1;
                continue;
            }
            std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
            let mut file = part::ItemsFile::create(&path, &self.opts.currency).map_err(io_error(&path))?;
            for query in &target.queries {
                let before = file.count();
                let shown = format!("[{}/{}] {}/{}", n + 1, targets.len(), target.region, target.file);
                self.query(query, &mut file, &path, &shown)?;
                self.summary.queried.push(Queried {
                    region: target.region.clone(),
                    file: target.file.clone(),
                    query: query.clone(),
                    items: file.count() - before,
                });
            }
            self.summary.items += file.count();
            file.finish().map_err(io_error(&path))?;
            written.push(path);
            self.summary.fetched += 1;
        }
        Ok(())
    }

    /// Every page of one query, appended to `file`.
    fn query(&mut self, query: &Query, file: &mut part::ItemsFile, path: &Path, shown: &str) -> Result<(), Error> {
        let deadline = Instant::now() + self.opts.deadline;
        let mut chain = Chain::default();
        let mut url = query.url_in(&self.opts.endpoint, &self.opts.currency);
        loop {
            self.progress.show(&format!("{shown}: {} items", file.count()));
            let stop = |why: String| Error::Message(format!("GET {}: {why}", redact(&url)));
            chain.visit(&url).map_err(stop)?;
            let body = match http::get_page(self.agent, &url, self.opts, deadline, check_page) {
                Ok(body) => body,
                Err(PageError::Stop(why)) => return Err(stop(why)),
                Err(PageError::Deadline) => {
                    return Err(stop(format!(
                        "the query ran past its deadline of {} s ({} pages read); stopped: run the same command \
                         again to resume",
                        seconds(self.opts.deadline),
                        chain.pages - 1
                    )));
                }
            };
            let page: Page = serde_json::from_slice(&body).map_err(|e| stop(e.to_string()))?;
            if let Some(c) = page.currency.as_deref().filter(|c| *c != self.opts.currency) {
                return Err(stop(format!("prices in {c}, expected {}", self.opts.currency)));
            }
            chain.content(&page.items).map_err(stop)?;
            file.append(&page.items).map_err(io_error(path))?;
            self.summary.pages += 1;
            self.summary.bytes += body.len() as u64;
            match page.next {
                Some(next) if !next.is_empty() => {
                    if !(next.starts_with("https://") || next.starts_with("http://")) {
                        return Err(stop(format!("NextPageLink {:?} is not an http(s) URL", redact(&next))));
                    }
                    url = next;
                }
                _ => return Ok(()),
            }
        }
    }
}

/// A whole number of seconds as such, else with its fraction.
fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 { d.as_secs().to_string() } else { format!("{:.1}", d.as_secs_f64()) }
}

#[derive(Deserialize)]
struct Page<'a> {
    #[serde(rename = "Items", borrow)]
    items: Vec<&'a RawValue>,
    #[serde(rename = "NextPageLink", default)]
    next: Option<String>,
    #[serde(rename = "BillingCurrency", default)]
    currency: Option<String>,
}

/// A body that is a whole page; a cut one is tried again.
fn check_page(body: &[u8]) -> Result<(), String> {
    serde_json::from_slice::<Page>(body).map(|_| ()).map_err(|e| format!("not a complete Retail Prices API page ({e})"))
}

/// The pages of one query so far: their links and a digest of their items, to stop a chain that
/// comes back to a page or serves the same items under a new link.
#[derive(Default)]
struct Chain {
    pages: usize,
    links: HashMap<String, usize>,
    contents: HashMap<[u8; 32], usize>,
}

impl Chain {
    fn visit(&mut self, url: &str) -> Result<(), String> {
        if let Some(k) = self.links.get(url) {
            return Err(format!(
                "page {} of the query would be page {k} again: the API's NextPageLink chain loops; stopped",
                self.pages + 1
            ));
        }
        if self.pages >= MAX_PAGES {
            return Err(format!("{MAX_PAGES} pages for one query and the NextPageLink chain goes on; stopped"));
        }
        self.pages += 1;
        self.links.insert(url.to_string(), self.pages);
        Ok(())
    }

    fn content(&mut self, items: &[&RawValue]) -> Result<(), String> {
        let mut hash = Sha256::new();
        for item in items {
            hash.update(item.get().as_bytes());
            hash.update(b"\n");
        }
        let digest: [u8; 32] = hash.finalize().into();
        if let Some(k) = self.contents.insert(digest, self.pages) {
            return Err(format!(
                "page {} of the query holds the same items as page {k}: the API's NextPageLink chain loops; stopped",
                self.pages
            ));
        }
        Ok(())
    }
}

fn dedup(regions: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    regions.iter().filter(|r| seen.insert(r.as_str())).cloned().collect()
}

/// `snapshot-manifest.json`. A folder fetched before keeps its first `snapshotDate` and
/// `startedAt` (the files skipped now were read then) and the regions it had. The endpoint is
/// written without its secrets: the folder is carried into the closed network.
fn write_manifest(
    out: &Path,
    regions: &[String],
    targets: &[Target],
    started: &str,
    opts: &Options,
) -> Result<(), Error> {
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
        "endpoint": redact(&opts.endpoint),
        "apiVersion": API_VERSION,
        "currency": opts.currency,
        "priceType": "Consumption",
        "regions": all_regions,
        "services": queries.iter().map(|(f, s)| serde_json::json!({"file": f, "serviceName": s})).collect::<Vec<_>>(),
        "fetchedBy": concat!("closednet ", env!("CARGO_PKG_VERSION")),
    });
    let text =
        serde_json::to_string_pretty(&manifest).map_err(|e| Error::Message(format!("{}: {e}", path.display())))?;
    crate::atomic::write(&path, (text + "\n").as_bytes()).map_err(io_error(&path))
}

/// A folder fetched before in another currency cannot be resumed in this one: its files would mix.
fn check_currency(out: &Path, currency: &str) -> Result<(), Error> {
    if crate::money::Currency::parse(currency).is_none_or(|c| c.code() != currency) {
        return Err(Error::Message(format!("--currency {currency}: expected an ISO 4217 code such as EUR or JPY")));
    }
    let path = out.join(MANIFEST);
    let old: Option<serde_json::Value> = std::fs::read(&path).ok().and_then(|b| serde_json::from_slice(&b).ok());
    match old.as_ref().and_then(|v| v.get("currency")?.as_str().map(str::to_string)) {
        Some(was) if was != currency => Err(Error::Message(format!(
            "{}: the folder holds prices in {was}; fetch {currency} into a new folder",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// RFC 3339 UTC with milliseconds, as the API's own manifests have it.
fn timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (year, month, day) = crate::date::civil_date(secs);
    let s = secs % 86_400;
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z", s / 3600, s / 60 % 60, s % 60, d.subsec_millis())
}

/// The `\r` progress line on a terminal; nothing otherwise. A terminal that cannot take it does
/// not stop the fetch.
struct Progress {
    on: bool,
    shown: usize,
}

impl Progress {
    fn show(&mut self, line: &str) {
        if self.on {
            let pad = self.shown.saturating_sub(line.chars().count());
            let _ = write!(std::io::stderr(), "\r{line}{:pad$}", "");
            self.shown = line.chars().count();
        }
    }

    fn clear(&mut self) {
        if self.on && self.shown > 0 {
            let _ = write!(std::io::stderr(), "\r{:w$}\r", "", w = self.shown);
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
    fn a_currency_other_than_usd_is_asked_before_the_filter() {
        let q = Query { service_name: "Storage".into(), arm_region: "westeurope".into() };
        let url = q.url_in("https://prices.azure.com/api/retail/prices", "EUR");
        assert!(url.starts_with(
            "https://prices.azure.com/api/retail/prices?api-version=2023-01-01-preview&currencyCode='EUR'&$filter=serviceName%20eq"
        ));
        // The API's default needs no parameter: USD URLs are as before.
        assert_eq!(q.url_in("https://x/p", "USD"), q.url("https://x/p"));
        assert!(!q.url("https://x/p").contains("currencyCode"));
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
    fn empty_queries_are_warned_about_once_per_service_or_region() {
        let q = |region: &str, file: &str, service: &str, arm: &str, items: usize| Queried {
            region: region.into(),
            file: file.into(),
            query: Query { service_name: service.into(), arm_region: arm.into() },
            items,
        };
        let queried = [
            // Azure DevOps is priced Global: its empty regional query is no news.
            q("japaneast", "azure_devops.json", "Azure DevOps", "japaneast", 0),
            q("japaneast", "azure_devops.json", "Azure DevOps", "Global", 4),
            q("japaneast", "api_management.json", "API Management", "japaneast", 10),
            q("japaneast", "storage.json", "Storage", "japaneast", 0),
            // No regional query of eastus22 had an item: one line for the region.
            q("eastus22", "api_management.json", "API Management", "eastus22", 0),
            q("eastus22", "storage.json", "Storage", "eastus22", 0),
            q("eastus22", "azure_devops.json", "Azure DevOps", "Global", 4),
        ];
        assert_eq!(
            Summary::warnings_of(&queried),
            [
                "warning: eastus22: the API has no items for any service the definitions read (API Management, \
                 Storage); is eastus22 a region it prices?",
                "warning: the API has no items for Storage in japaneast",
            ]
        );
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let t = UNIX_EPOCH + Duration::from_millis(1_786_754_224_839);
        assert_eq!(timestamp(t), "2026-08-15T00:37:04.839Z");
    }
}
