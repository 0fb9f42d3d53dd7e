//! One page of the API over HTTP: the agent (proxy from the environment, checked), and a GET
//! retried while a later try can help, within the query's deadline.
//!
//! Bounds, so that no server can hold a fetch: a page body is at most [`MAX_PAGE_BYTES`]; each try
//! is at most the request timeout and never runs past the deadline; a wait between tries is the
//! backoff or `Retry-After`, and a server that asks for more than [`MAX_RETRY_AFTER`] (or for longer
//! than the deadline leaves) stops the fetch at once, since a re-run resumes where it stopped.

use super::Options;
use super::url::{redact, scrub};
use crate::error::Error;
use std::time::{Duration, Instant};

/// The API's pages are about 100 items (some 60 KB, 1,000 items at most): this only stops a
/// runaway response, and bounds the memory of one page (body and parsed items).
pub const MAX_PAGE_BYTES: u64 = 16 * 1024 * 1024;
/// Tries of one request before the fetch stops.
pub const MAX_ATTEMPTS: u32 = 6;
/// The longest `Retry-After` waited for; the API's throttling asks for seconds.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The proxy variables in the order ureq reads them (the first that is set wins).
const PROXY_VARS: [&str; 6] = ["ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

/// The proxy of the environment. ureq skips a variable it cannot parse and goes on to the next,
/// or connects directly: behind a proxy that is a fetch that cannot work, or one that leaves by
/// another way than the one configured. A set, non-empty variable must parse.
pub fn proxy_from_env() -> Result<Option<ureq::Proxy>, Error> {
    for var in PROXY_VARS {
        let value = match std::env::var(var) {
            Ok(v) if v.trim().is_empty() => continue,
            Ok(v) => v,
            Err(std::env::VarError::NotPresent) => continue,
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(Error::Message(format!("{var} is set but is not text; unset it or give a proxy URL")));
            }
        };
        if ureq::Proxy::new(&value).is_err() {
            return Err(Error::Message(format!(
                "{var} is set but is not a proxy URL closednet can use ({}); expected \
                 http://[user:password@]host:port, or unset it",
                redact(&value)
            )));
        }
    }
    Ok(ureq::Proxy::try_from_env())
}

pub fn agent(opts: &Options, proxy: Option<ureq::Proxy>) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(opts.timeout))
        .timeout_connect(Some(opts.connect_timeout))
        .user_agent(concat!("closednet/", env!("CARGO_PKG_VERSION")))
        .proxy(proxy)
        .build()
        .into()
}

/// Why a page did not come.
#[derive(Debug)]
pub enum PageError {
    /// The fetch must stop: the message says why (the URL is added by the caller).
    Stop(String),
    /// The query's deadline passed.
    Deadline,
}

/// What one try gave: a body, or whether and when to try again.
enum Try {
    Body(Vec<u8>),
    Again { why: String, wait: Duration },
}

/// GETs one page body, retrying what a later try can fix, until `deadline`. `valid` says whether a
/// body is a complete page (a cut JSON page is retried like a cut connection).
pub fn get_page(
    agent: &ureq::Agent,
    url: &str,
    opts: &Options,
    deadline: Instant,
    valid: impl Fn(&[u8]) -> Result<(), String>,
) -> Result<Vec<u8>, PageError> {
    let mut last = String::new();
    for attempt in 1..=MAX_ATTEMPTS {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(PageError::Deadline);
        }
        let backoff = opts.backoff.saturating_mul(1 << (attempt - 1)).min(MAX_RETRY_AFTER);
        let wait = match try_once(agent, url, opts.timeout.min(left), backoff)? {
            Try::Body(body) => match valid(&body) {
                Ok(()) => return Ok(body),
                Err(why) => {
                    last = why;
                    backoff
                }
            },
            Try::Again { why, wait } => {
                last = why;
                wait
            }
        };
        if attempt < MAX_ATTEMPTS {
            if Instant::now() + wait >= deadline {
                return Err(PageError::Deadline);
            }
            std::thread::sleep(wait);
        }
    }
    Err(PageError::Stop(format!("{last}{}; gave up after {MAX_ATTEMPTS} attempts", through_proxy(agent, url))))
}

fn try_once(agent: &ureq::Agent, url: &str, timeout: Duration, backoff: Duration) -> Result<Try, PageError> {
    let request = agent.get(url).config().timeout_global(Some(timeout)).build();
    match request.call() {
        Ok(mut resp) => {
            let status = resp.status();
            if status.is_success() {
                match resp.body_mut().with_config().limit(MAX_PAGE_BYTES).read_to_vec() {
                    Ok(body) => Ok(Try::Body(body)),
                    Err(ureq::Error::BodyExceedsLimit(n)) => {
                        Err(PageError::Stop(format!("the response is larger than {n} bytes")))
                    }
                    Err(e) => Ok(Try::Again {
                        why: format!("reading the response: {}", scrub(&e.to_string(), url)),
                        wait: backoff,
                    }),
                }
            } else if status.as_u16() == 429 || status.is_server_error() {
                let why = format!("HTTP {status}");
                match retry_after(&resp) {
                    Some(asked) if asked > MAX_RETRY_AFTER => Err(PageError::Stop(format!(
                        "{why}, and the server asks to wait {} s (Retry-After), more than the {} s closednet \
                         waits; stopped: run the same command later to resume",
                        asked.as_secs(),
                        MAX_RETRY_AFTER.as_secs()
                    ))),
                    Some(asked) => Ok(Try::Again { why, wait: asked }),
                    None => Ok(Try::Again { why, wait: backoff }),
                }
            } else {
                let body = resp.body_mut().with_config().limit(4096).read_to_string().unwrap_or_default();
                let body: String = body.chars().take(300).collect();
                Err(PageError::Stop(format!("HTTP {status}: {}", scrub(body.trim(), url))))
            }
        }
        Err(
            e @ (ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::HostNotFound
            | ureq::Error::Protocol(_)),
        ) => Ok(Try::Again { why: scrub(&e.to_string(), url), wait: backoff }),
        Err(e) => Err(PageError::Stop(format!("{}{}", scrub(&e.to_string(), url), through_proxy(agent, url)))),
    }
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
    Some(Duration::from_secs(secs))
}
