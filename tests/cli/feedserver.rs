//! A tiny HTTP/1.1 server on 127.0.0.1 for the feed tests: routes the test sets and changes,
//! ETags and 304s like a real feed host, delays, gzip, redirects, and a log of every request
//! with its headers and the bytes sent back.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What one path answers.
#[derive(Debug, Clone)]
pub struct Route {
    pub status: u16,
    pub body: Vec<u8>,
    /// Sleep this long before answering.
    pub delay: Duration,
    /// Gzip the body when the client accepts it.
    pub gzip: bool,
    /// A `Location` header (for redirects).
    pub location: Option<String>,
    /// Send `Content-Length` (else the body ends when the connection closes).
    pub length: bool,
    /// Send an ETag and answer a matching If-None-Match with 304.
    pub etag: bool,
}

impl Route {
    /// 200 with this body, an ETag, a Content-Length.
    pub fn ok(body: impl Into<Vec<u8>>) -> Route {
        Route {
            status: 200,
            body: body.into(),
            delay: Duration::ZERO,
            gzip: false,
            location: None,
            length: true,
            etag: true,
        }
    }

    /// A bare status with a short body.
    pub fn status(status: u16) -> Route {
        Route {
            status,
            etag: false,
            ..Route::ok(format!("status {status}"))
        }
    }

    /// A redirect to `to`.
    pub fn redirect(to: &str) -> Route {
        Route {
            location: Some(to.to_string()),
            ..Route::status(301)
        }
    }
}

/// One request the server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    /// Header names lowercased.
    pub headers: HashMap<String, String>,
    pub status: u16,
    /// Bytes of the response, head and body.
    pub bytes_out: usize,
    /// Bytes of the request head.
    pub bytes_in: usize,
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Route>,
    log: Vec<Seen>,
    /// Paths whose request head arrived, before any delay.
    arrived: Vec<String>,
}

/// The server; its threads live as long as the test process.
pub struct FeedServer {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl FeedServer {
    pub fn start() -> FeedServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let state = Arc::clone(&shared);
                std::thread::spawn(move || {
                    let _ = serve(stream, &state);
                });
            }
        });
        FeedServer { addr, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn set(&self, path: &str, route: Route) {
        self.state
            .lock()
            .expect("state")
            .routes
            .insert(path.to_string(), route);
    }

    /// Every request so far.
    pub fn log(&self) -> Vec<Seen> {
        self.state.lock().expect("state").log.clone()
    }

    /// The requests for one path.
    pub fn requests(&self, path: &str) -> Vec<Seen> {
        self.log().into_iter().filter(|s| s.path == path).collect()
    }

    /// How many requests for `path` have arrived (answered or still waiting out a delay).
    pub fn arrived(&self, path: &str) -> usize {
        let st = self.state.lock().expect("state");
        st.arrived.iter().filter(|p| *p == path).count()
    }

    /// Forgets the log (to measure one run).
    pub fn clear_log(&self) {
        self.state.lock().expect("state").log.clear();
    }
}

fn etag_of(body: &[u8]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

fn serve(stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut bytes_in = line.len();
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 {
            break;
        }
        bytes_in += h.len();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let route = {
        let mut st = state.lock().expect("state");
        st.arrived.push(path.clone());
        st.routes
            .get(&path)
            .cloned()
            .unwrap_or_else(|| Route::status(404))
    };
    std::thread::sleep(route.delay);
    let mut status = route.status;
    let mut head = Vec::new();
    let mut body = route.body.clone();
    if let Some(loc) = &route.location {
        head.push(format!("Location: {loc}"));
    }
    if route.etag && status == 200 {
        let tag = etag_of(&route.body);
        if headers.get("if-none-match") == Some(&tag) {
            status = 304;
            body.clear();
        }
        head.push(format!("ETag: {tag}"));
        head.push("Last-Modified: Fri, 09 Aug 2024 21:00:00 GMT".into());
    }
    let accepts_gzip = headers
        .get("accept-encoding")
        .is_some_and(|v| v.contains("gzip"));
    if route.gzip && accepts_gzip && status == 200 {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&body)?;
        body = enc.finish()?;
        head.push("Content-Encoding: gzip".into());
    }
    if route.length || status == 304 {
        head.push(format!("Content-Length: {}", body.len()));
    }
    let mut out = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n");
    for h in head {
        out.push_str(&h);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if status != 304 {
        bytes.extend_from_slice(&body);
    }
    state.lock().expect("state").log.push(Seen {
        path,
        headers,
        status,
        bytes_out: bytes.len(),
        bytes_in,
    });
    let mut stream = stream;
    stream.write_all(&bytes)?;
    stream.flush()?;
    stream.shutdown(std::net::Shutdown::Both)
}
