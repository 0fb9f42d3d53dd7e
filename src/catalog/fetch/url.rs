//! URLs as `pricing fetch` builds them and as it shows them. A mirror's `--endpoint` may carry a
//! password (`https://user:pass@mirror/...`) or a key (`?subscription-key=...`); every message and
//! the manifest (which travels into the closed network with the pages) show the URL with those
//! replaced by `REDACTED`, as proxy credentials are never shown. The requests themselves keep them.

/// What replaces a secret.
const REDACTED: &str = "REDACTED";

/// Query keys whose values are the API's own paging and filtering, shown as they are.
const PUBLIC_KEYS: [&str; 6] = ["api-version", "$filter", "$skip", "$top", "currencyCode", "meterRegion"];

/// `url` with its user information, its query values other than [`PUBLIC_KEYS`], and its
/// fragment replaced by `REDACTED`.
pub fn redact(url: &str) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((b, f)) if !f.is_empty() => (b, Some(REDACTED)),
        Some((b, _)) => (b, None),
        None => (url, None),
    };
    let (head, query) = before_fragment.split_once('?').map_or((before_fragment, None), |(h, q)| (h, Some(q)));
    let mut out = match head.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
            match authority.rsplit_once('@') {
                Some((_, host)) => format!("{scheme}://{REDACTED}@{host}{path}"),
                None => head.to_string(),
            }
        }
        None => head.to_string(),
    };
    if let Some(query) = query {
        out.push('?');
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if PUBLIC_KEYS.contains(&k) => pair.to_string(),
                Some((k, _)) => format!("{k}={REDACTED}"),
                None if pair.is_empty() || PUBLIC_KEYS.contains(&pair) => pair.to_string(),
                None => REDACTED.to_string(),
            })
            .collect();
        out.push_str(&pairs.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The secrets [`redact`] hides in `url`, to take out of texts that quote a URL in their own way
/// (an HTTP library's error).
pub fn secrets(url: &str) -> Vec<String> {
    let mut found = Vec::new();
    let head = url.split(['?', '#']).next().unwrap_or(url);
    if let Some((_, rest)) = head.split_once("://") {
        let authority = rest.split('/').next().unwrap_or(rest);
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            found.push(userinfo.to_string());
            found.extend(userinfo.split(':').map(str::to_string));
        }
    }
    if let Some(query) = url.split_once('?').map(|(_, q)| q.split('#').next().unwrap_or(q)) {
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some((k, v)) if !PUBLIC_KEYS.contains(&k) => found.push(v.to_string()),
                None if !PUBLIC_KEYS.contains(&pair) => found.push(pair.to_string()),
                _ => {}
            }
        }
    }
    if let Some((_, f)) = url.split_once('#') {
        found.push(f.to_string());
    }
    found.retain(|s| !s.is_empty());
    // Longest first, so that a password is not half-replaced through a shorter secret inside it.
    found.sort_by_key(|s| std::cmp::Reverse(s.len()));
    found.dedup();
    found
}

/// `text` with every secret of `url` replaced by `REDACTED`.
pub fn scrub(text: &str, url: &str) -> String {
    secrets(url).iter().fold(text.to_string(), |t, s| t.replace(s.as_str(), REDACTED))
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode(s: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_information_and_keys_are_redacted() {
        assert_eq!(
            redact("http://user:S3cret@127.0.0.1:9/prices?subscription-key=KEY123&api-version=2023-01-01-preview"),
            "http://REDACTED@127.0.0.1:9/prices?subscription-key=REDACTED&api-version=2023-01-01-preview"
        );
        assert_eq!(redact("https://u@host?TOKEN#frag"), "https://REDACTED@host?REDACTED#REDACTED");
        // An @ in the path is not user information.
        assert_eq!(
            redact("https://host/a@b?$skip=100&$filter=x%20eq%20%27y%27"),
            "https://host/a@b?$skip=100&$filter=x%20eq%20%27y%27"
        );
        // The public API has nothing to hide.
        let public = "https://prices.azure.com/api/retail/prices?api-version=2023-01-01-preview&$filter=a&$skip=1000";
        assert_eq!(redact(public), public);
        assert!(secrets(public).is_empty());
        // Not a URL at all: nothing to parse, still no user information shown.
        assert_eq!(redact("http://pu:pw@[::1"), "http://REDACTED@[::1");
    }

    #[test]
    fn secrets_are_scrubbed_from_free_text() {
        let url = "http://svc:pw0rd@mirror/p?key=K1&api-version=x";
        assert_eq!(secrets(url), ["svc:pw0rd", "pw0rd", "svc", "K1"]);
        assert_eq!(
            scrub("bad uri http://svc:pw0rd@mirror/p?key=K1", url),
            "bad uri http://REDACTED@mirror/p?key=REDACTED"
        );
    }
}
