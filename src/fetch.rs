//! Fetching feeds and chapters files over HTTP(S): one blocking client (ureq with rustls) with
//! bounded redirects, gzip, a global timeout, a body size limit, podseek's User-Agent, and
//! conditional GETs from the validators of the last response.

use std::io::Read;
use std::time::Duration;

/// The User-Agent podseek sends.
pub const USER_AGENT: &str = concat!(
    "podseek/",
    env!("CARGO_PKG_VERSION"),
    " (podcast chapter search; feed reader)"
);

/// Limits of every request.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The whole request, from connecting to the last body byte.
    pub timeout: Duration,
    /// The largest body accepted, after decompression.
    pub max_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            max_bytes: 20 * 1024 * 1024,
            max_redirects: 5,
        }
    }
}

/// The validators of a response, sent back for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
}

/// What a GET gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 304: the resource is as it was.
    NotModified,
    /// A 2xx body, with its validators.
    Body {
        /// The body, decompressed.
        bytes: Vec<u8>,
        /// Its validators, for the next conditional GET.
        validators: Validators,
    },
}

/// Why a fetch failed; the message names the URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{url}: {message}")]
pub struct FetchError {
    /// The URL asked for.
    pub url: String,
    /// What went wrong.
    pub message: String,
}

/// Whether `s` is an `http://` or `https://` URL.
pub fn is_http_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Resolves a reference found in a document fetched from `base` (absolute, `/path`, `../path`
/// or relative) as a browser would; a base that is not a URL leaves the reference as it is.
pub fn resolve(base: &str, reference: &str) -> String {
    match url::Url::parse(base).and_then(|b| b.join(reference)) {
        Ok(u) => u.into(),
        Err(_) => reference.to_string(),
    }
}

/// A client with podseek's limits.
pub struct Fetcher {
    agent: ureq::Agent,
    opts: FetchOptions,
}

impl Fetcher {
    /// A client with these limits.
    pub fn new(opts: FetchOptions) -> Fetcher {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(opts.max_redirects)
            .timeout_global(Some(opts.timeout))
            .user_agent(USER_AGENT)
            .build()
            .new_agent();
        Fetcher { agent, opts }
    }

    /// GETs `url`, conditionally when `validators` are given; only `http(s)` URLs.
    pub fn get(&self, url: &str, validators: Option<&Validators>) -> Result<Fetched, FetchError> {
        let fail = |message: String| FetchError {
            url: url.to_string(),
            message,
        };
        if !is_http_url(url) {
            return Err(fail("only http:// and https:// URLs can be fetched".into()));
        }
        let mut req = self.agent.get(url);
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                req = req.header("If-None-Match", etag);
            }
            if let Some(lm) = &v.last_modified {
                req = req.header("If-Modified-Since", lm);
            }
        }
        let mut resp = req.call().map_err(|e| fail(describe(&e, &self.opts)))?;
        let status = resp.status();
        if status.as_u16() == 304 {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            let reason = status.canonical_reason().unwrap_or("");
            return Err(fail(format!("HTTP {} {reason}", status.as_u16())));
        }
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        let too_big = || {
            format!(
                "the body is larger than the limit of {} bytes (--max-size)",
                self.opts.max_bytes
            )
        };
        if resp
            .body()
            .content_length()
            .is_some_and(|n| n > self.opts.max_bytes)
        {
            return Err(fail(too_big()));
        }
        let mut bytes = Vec::new();
        // One byte past the limit tells an oversize body from one exactly at it.
        resp.body_mut()
            .as_reader()
            .take(self.opts.max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| fail(describe_io(&e, &self.opts)))?;
        if bytes.len() as u64 > self.opts.max_bytes {
            return Err(fail(too_big()));
        }
        Ok(Fetched::Body { bytes, validators })
    }
}

/// A ureq error in words a user can act on.
fn describe(e: &ureq::Error, opts: &FetchOptions) -> String {
    match e {
        ureq::Error::Timeout(_) => format!(
            "timed out after {} s (--timeout)",
            opts.timeout.as_secs_f64()
        ),
        ureq::Error::TooManyRedirects => {
            format!("more than {} redirects", opts.max_redirects)
        }
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::BadUri(u) => format!("bad URL {u}"),
        ureq::Error::Io(io) => describe_io(io, opts),
        other => other.to_string(),
    }
}

/// An error while reading the body: ureq wraps its own errors in `io::Error`.
fn describe_io(e: &std::io::Error, opts: &FetchOptions) -> String {
    if let Some(inner) = e.get_ref().and_then(|r| r.downcast_ref::<ureq::Error>()) {
        return describe(inner, opts);
    }
    match e.kind() {
        std::io::ErrorKind::TimedOut => format!(
            "timed out after {} s (--timeout)",
            opts.timeout.as_secs_f64()
        ),
        std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
        _ => e.to_string(),
    }
}

/// Parses a size such as `20M`, `512K`, `1G` or a plain number of bytes.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, mult) = match t.char_indices().last() {
        Some((i, c)) if c.eq_ignore_ascii_case(&'k') => (&t[..i], 1024),
        Some((i, c)) if c.eq_ignore_ascii_case(&'m') => (&t[..i], 1024 * 1024),
        Some((i, c)) if c.eq_ignore_ascii_case(&'g') => (&t[..i], 1024 * 1024 * 1024),
        _ => (t, 1),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("invalid size {s:?}: use bytes or a number with K, M or G"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_references() {
        let base = "https://ex.org/feeds/show.xml?x=1";
        assert_eq!(resolve(base, "ch/1.json"), "https://ex.org/feeds/ch/1.json");
        assert_eq!(resolve(base, "/ch/1.json"), "https://ex.org/ch/1.json");
        assert_eq!(resolve(base, "//cdn.org/1.json"), "https://cdn.org/1.json");
        assert_eq!(resolve(base, "http://o.org/a"), "http://o.org/a");
        assert_eq!(resolve("http://h:8/", "a.json"), "http://h:8/a.json");
        assert_eq!(resolve("http://h:8", "a.json"), "http://h:8/a.json");
        assert_eq!(resolve(base, "../ch/1.json"), "https://ex.org/ch/1.json");
        assert_eq!(resolve("not a url", "ch/1.json"), "ch/1.json");
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("20M"), Ok(20 * 1024 * 1024));
        assert_eq!(parse_size("512k"), Ok(512 * 1024));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("0").is_err());
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999G").is_err());
    }

    #[test]
    fn only_http() {
        assert!(is_http_url("HTTPS://x.org/f"));
        assert!(is_http_url("http://x"));
        assert!(!is_http_url("file:///etc/passwd"));
        assert!(!is_http_url("ftp://x"));
        let f = Fetcher::new(FetchOptions::default());
        let e = f
            .get("file:///etc/passwd", None)
            .expect_err("file:// refused");
        assert!(e.message.contains("only http"), "{e}");
    }
}
