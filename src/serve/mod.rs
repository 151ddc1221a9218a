//! `podseek serve`: the search page and the JSON API over HTTP (axum on tokio).
//!
//! The server only reads: it never holds the index writer, so `podseek index` can run beside it,
//! and each request first checks whether a newer commit landed (see `state.rs`). Searches run on
//! tokio's blocking pool; the connection loop in `http.rs` bounds connections, header and request
//! time, request sizes and concurrent requests.

mod api;
mod assets;
mod http;
mod page;
mod state;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::routing::get;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower::limit::ConcurrencyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::index::PodIndex;
use state::AppState;

/// Most hits (or episodes, with `by_episode=1`) one API search returns; larger limits are capped.
pub const MAX_API_LIMIT: usize = 100;
/// Episodes the search page shows for a query.
pub const PAGE_EPISODES: usize = 20;
/// Longest request target (path and query string) accepted, in bytes; longer ones get 414.
/// Room for the longest query the search accepts with every byte percent-encoded, so a query
/// too long gets the search's own 400 explaining the limit.
pub const MAX_URI_BYTES: usize = 3 * crate::query_guard::MAX_QUERY_BYTES + 2048;
/// Largest request body accepted, in bytes (every route is a GET; bodies are never read).
pub const MAX_BODY_BYTES: u64 = 1024;
/// Requests handled at once; more wait in line until the request timeout.
pub const MAX_CONCURRENT_REQUESTS: usize = 64;
/// Connections open at once; more wait in the kernel's accept queue.
pub const MAX_CONNECTIONS: usize = 512;
/// How long a request may take, queueing included, before it is answered 503.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// How long a client may take to send a request's headers (and how long an idle keep-alive
/// connection stays open).
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The address to listen on; loopback unless the user names another.
    pub addr: SocketAddr,
}

/// Serves `idx` until Ctrl-C or SIGTERM; `ready` is told the bound address once listening.
pub fn serve(
    idx: PodIndex,
    opts: &ServeOptions,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = TcpListener::bind(opts.addr).await?;
        ready(listener.local_addr()?);
        let app = router(Arc::new(AppState::new(idx)));
        http::run(listener, app, shutdown_signal()).await
    })
}

/// Every route, with the safety layers around them.
fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(page::index))
        .route(assets::JS_PATH, get(assets::js))
        .route(assets::CSS_PATH, get(assets::css))
        .route(assets::FAVICON_PATH, get(assets::favicon))
        .route("/api/search", get(api::search))
        .route("/api/episodes", get(api::episodes))
        .route("/api/episodes/{number}", get(api::episode))
        .route("/api/at", get(api::at))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(state)
        // The last layer added runs first: log, headers, timeout, size bounds, concurrency.
        .layer(ConcurrencyLimitLayer::new(MAX_CONCURRENT_REQUESTS))
        .layer(middleware::from_fn(http::bounds))
        .layer(middleware::from_fn(http::timeout))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(http::CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // Queries are in page URLs: do not hand them to media hosts or linked sites.
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(middleware::from_fn(http::log))
}

/// Resolves on Ctrl-C, or on SIGTERM where there is one.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
