//! The connection loop and the middleware that keep slow or many clients from exhausting the
//! server: bounded connections, header and request timeouts, size bounds, one log line a request.

use super::api::json_error;
use super::{HEADER_TIMEOUT, MAX_BODY_BYTES, MAX_CONNECTIONS, MAX_URI_BYTES, REQUEST_TIMEOUT};
use axum::Router;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// The page's Content-Security-Policy: scripts, styles and images from this server only, no
/// inline code, API calls to this server. Media may come from any http(s) host: feed enclosures
/// live on podcast hosts and CDNs, often behind redirects, and audio runs no code.
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self'; connect-src 'self'; media-src http: https:; form-action 'self'; \
base-uri 'none'; frame-ancestors 'none'";

/// Largest request head hyper buffers (request line and headers).
const MAX_HEAD_BYTES: usize = MAX_URI_BYTES + 16 * 1024;
/// How long open connections get to finish after Ctrl-C.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Accepts connections until `shutdown` resolves, then lets open ones finish their request.
pub(crate) async fn run(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // Wait for a free slot before accepting: excess clients queue in the kernel.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        let Ok(slot) = slot else { break };
        let stream = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match stream {
            Ok((stream, _peer)) => stream,
            Err(e) => {
                // Out of file descriptors and the like: pause instead of spinning.
                eprintln!("podseek: cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .max_buf_size(MAX_HEAD_BYTES)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // Errors here are clients hanging up or timing out: nothing to report.
            let _ = conn.await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN_TIMEOUT) => {
            eprintln!("podseek: closing connections that did not finish in time");
        }
    }
    Ok(())
}

/// Logs `METHOD path status ms` to stderr for every request (the query string is left out:
/// it can be long, and what people search for is theirs).
pub(crate) async fn log(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    // One write per line so lines from concurrent requests do not interleave.
    let line = format!("{method} {path} {} {ms:.1}ms\n", res.status().as_u16());
    let _ = std::io::stderr().write_all(line.as_bytes());
    res
}

/// Answers 503 when a request (queueing for a slot included) takes longer than the timeout.
pub(crate) async fn timeout(req: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(res) => res,
        Err(_) => json_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is busy; try again shortly",
        ),
    }
}

/// Refuses request targets over [`MAX_URI_BYTES`] and any body over [`MAX_BODY_BYTES`].
pub(crate) async fn bounds(req: Request, next: Next) -> Response {
    let target = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if target > MAX_URI_BYTES {
        return json_error(
            StatusCode::URI_TOO_LONG,
            &format!("the request target is {target} bytes long; the limit is {MAX_URI_BYTES}"),
        );
    }
    let headers = req.headers();
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    // A chunked body has no length to check up front; no route takes a body anyway.
    if length > MAX_BODY_BYTES || headers.contains_key(header::TRANSFER_ENCODING) {
        return json_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("request bodies are limited to {MAX_BODY_BYTES} bytes"),
        );
    }
    next.run(req).await
}
