//! The page's files, compiled into the binary: nothing is ever read from disk.

use axum::extract::RawQuery;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::LazyLock;

/// The page's HTML template (see [`super::page`] for its `{{name}}` slots).
pub(crate) const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");
const FAVICON_SVG: &str = include_str!("assets/favicon.svg");

/// Where the script is served.
pub(crate) const JS_PATH: &str = "/app.js";
/// Where the style sheet is served.
pub(crate) const CSS_PATH: &str = "/app.css";
/// Where the icon is served.
pub(crate) const FAVICON_PATH: &str = "/favicon.svg";

/// A short content hash, so the page can ask for `/app.js?v=HASH` and browsers may cache it
/// for good: a new build changes the hash.
fn version(text: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

static JS_VERSION: LazyLock<String> = LazyLock::new(|| version(APP_JS));
static CSS_VERSION: LazyLock<String> = LazyLock::new(|| version(APP_CSS));

/// The script's URL, with its version.
pub(crate) fn js_url() -> String {
    format!("{JS_PATH}?v={}", *JS_VERSION)
}

/// The style sheet's URL, with its version.
pub(crate) fn css_url() -> String {
    format!("{CSS_PATH}?v={}", *CSS_VERSION)
}

/// An embedded file; cached for good only when asked for by its current version.
fn asset(body: &'static str, kind: &'static str, current: &str, query: Option<String>) -> Response {
    let cache = if query.as_deref() == Some(&format!("v={current}")) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        [(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, cache)],
        body,
    )
        .into_response()
}

/// `GET /app.js`.
pub(crate) async fn js(RawQuery(q): RawQuery) -> Response {
    asset(APP_JS, "text/javascript; charset=utf-8", &JS_VERSION, q)
}

/// `GET /app.css`.
pub(crate) async fn css(RawQuery(q): RawQuery) -> Response {
    asset(APP_CSS, "text/css; charset=utf-8", &CSS_VERSION, q)
}

/// `GET /favicon.svg`.
pub(crate) async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON_SVG,
    )
        .into_response()
}
