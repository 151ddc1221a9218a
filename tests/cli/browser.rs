//! The search page end to end in a real headless Chromium, driven over WebDriver (chromedriver):
//! type a topic, see the hits, move with the keyboard, click a time and hear the audio start
//! there, go back, try hostile show notes, look at it phone-sized, and save screenshots.
//!
//! Without Chromium and chromedriver the test says so loudly and passes, so `cargo test` works
//! on any machine; with `PODSEEK_REQUIRE_BROWSER=1` (set by `.ci/run`) a missing browser fails.

use crate::http::{Response, Server, request};
use crate::serve::{artifacts, episode, index_episodes, listing};
use crate::util::Env;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Set to 1 to fail instead of skipping when Chromium or chromedriver is missing.
const REQUIRE_BROWSER: &str = "PODSEEK_REQUIRE_BROWSER";
/// Set to a path to keep a copy of the desktop screenshot there (the README's picture).
const SCREENSHOT_TO: &str = "PODSEEK_SCREENSHOT";
/// How long to wait for the page to get somewhere: generous, the machine is shared.
const DEADLINE: Duration = Duration::from_secs(60);
/// The test clip's length: long enough for the core.py chapters the test clicks.
const CLIP_SECONDS: u32 = 400;

fn find(env_var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env_var) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Chromium and chromedriver, or None (with a loud message) when the test should skip.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = find(
        "PODSEEK_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let driver = find("PODSEEK_CHROMEDRIVER", &["chromedriver"]);
    match (chromium, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        (c, d) => {
            let missing = format!(
                "Chromium {} and chromedriver {}",
                if c.is_some() { "found" } else { "NOT FOUND" },
                if d.is_some() { "found" } else { "NOT FOUND" }
            );
            if std::env::var(REQUIRE_BROWSER).is_ok_and(|v| v == "1") {
                panic!("{missing}, and {REQUIRE_BROWSER}=1 demands the browser test");
            }
            eprintln!(
                "\n*** SKIPPED the browser test: {missing}.\n*** Install them (Debian: apt-get \
                 install chromium chromium-driver) to run it.\n"
            );
            None
        }
    }
}

/// A few minutes of a quiet 440 Hz tone as 16-bit mono WAV at 8 kHz.
fn wav(seconds: u32) -> Vec<u8> {
    let rate = 8000u32;
    let samples = rate * seconds;
    let data = samples * 2;
    let mut out = Vec::with_capacity(44 + data as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data.to_le_bytes());
    for i in 0..samples {
        let t = f64::from(i) / f64::from(rate);
        let v = (t * 440.0 * std::f64::consts::TAU).sin() * 2000.0;
        out.extend_from_slice(&(v as i16).to_le_bytes());
    }
    out
}

/// Serves `clip` at every path with byte ranges (browsers seek with them), like a podcast host.
fn media_server(clip: Vec<u8>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind media server");
    let addr = listener.local_addr().expect("addr");
    let clip = std::sync::Arc::new(clip);
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let clip = std::sync::Arc::clone(&clip);
            std::thread::spawn(move || serve_clip(conn, &clip));
        }
    });
    addr
}

fn serve_clip(mut conn: TcpStream, clip: &[u8]) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(30)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match conn.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let range = head
        .lines()
        .find_map(|l| l.strip_prefix("range: bytes="))
        .and_then(|r| {
            let (a, b) = r.trim().split_once('-')?;
            let a: usize = a.parse().ok()?;
            let b: usize = b.parse().unwrap_or(clip.len() - 1).min(clip.len() - 1);
            (a <= b).then_some((a, b))
        });
    let (status, body, extra) = match range {
        Some((a, b)) => (
            "206 Partial Content",
            &clip[a..=b],
            format!("Content-Range: bytes {a}-{b}/{}\r\n", clip.len()),
        ),
        None => ("200 OK", clip, String::new()),
    };
    let _ = write!(
        conn,
        "HTTP/1.1 {status}\r\nContent-Type: audio/wav\r\nAccept-Ranges: bytes\r\n{extra}\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = conn.write_all(body);
}

/// A chromedriver process; killed when dropped.
struct Driver {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn call(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> Response {
    let body = body.map(Value::to_string).unwrap_or_default();
    request(
        addr,
        &format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
}

impl Driver {
    fn start(path: &Path) -> Driver {
        // Port 0: chromedriver binds a free port itself and names it, so no other test can
        // take the port between our choosing it and chromedriver binding it.
        let mut child = std::process::Command::new(path)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let port = line
                    .split_once("started successfully on port ")
                    .and_then(|(_, rest)| rest.trim_end_matches('.').parse::<u16>().ok());
                if let Some(port) = port {
                    let _ = tx.send(port);
                }
                // Keep reading so chromedriver never blocks on a full pipe.
            }
        });
        let port = match rx.recv_timeout(DEADLINE) {
            Ok(port) => port,
            Err(_) => {
                let _ = child.kill();
                panic!("chromedriver did not say which port it listens on");
            }
        };
        let driver = Driver {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        let until = Instant::now() + DEADLINE;
        loop {
            let ready = TcpStream::connect(driver.addr).is_ok()
                && call(driver.addr, "GET", "/status", None).json()["value"]["ready"] == true;
            if ready {
                return driver;
            }
            assert!(Instant::now() < until, "chromedriver did not get ready");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// One browser session.
struct Session<'a> {
    driver: &'a Driver,
    id: String,
    _profile: tempfile::TempDir,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl<'a> Session<'a> {
    fn new(driver: &'a Driver, chromium: &Path) -> Session<'a> {
        let profile = tempfile::tempdir().expect("profile dir");
        // No network beyond loopback here: keep Chromium from reaching out at all.
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--mute-audio".into(),
            "--autoplay-policy=no-user-gesture-required".into(),
            "--window-size=1100,1000".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
        }}});
        let r = call(driver.addr, "POST", "/session", Some(&caps));
        let v = r.json();
        let id = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        Session {
            driver,
            id,
            _profile: profile,
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let r = call(
            self.driver.addr,
            method,
            &format!("/session/{}{path}", self.id),
            body.as_ref(),
        );
        let v = r.json();
        assert_eq!(r.status, 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn js(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    fn element(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT].as_str().expect("element id").to_string()
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.element(css);
        self.cmd("POST", &format!("/element/{e}/clear"), Some(json!({})));
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn click(&self, css: &str) {
        let e = self.element(css);
        self.cmd("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    /// Presses keys on whatever has focus, as a person would (W3C key values).
    fn keys(&self, keys: &[&str]) {
        let mut actions = Vec::new();
        for k in keys {
            actions.push(json!({"type": "keyDown", "value": k}));
            actions.push(json!({"type": "keyUp", "value": k}));
        }
        self.cmd(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        );
    }

    /// Waits until `condition` (a JS expression) is true; on timeout, fails showing the page.
    fn wait(&self, condition: &str, what: &str) {
        let until = Instant::now() + DEADLINE;
        let script = format!("return !!({condition});");
        while Instant::now() < until {
            if self.js(&script) == Value::Bool(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let page = self.js("return location.href + '\\n' + document.body.innerText;");
        self.screenshot(&artifacts().join("failure.png"));
        panic!("timed out waiting for {what} ({condition}); the page:\n{page}");
    }

    fn screenshot(&self, path: &Path) {
        let v = self.cmd("GET", "/screenshot", None);
        let png = base64_decode(v.as_str().unwrap_or(""));
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        std::fs::write(path, png).expect("write screenshot");
    }

    fn alert_open(&self) -> bool {
        let r = call(
            self.driver.addr,
            "GET",
            &format!("/session/{}/alert/text", self.id),
            None,
        );
        r.status == 200
    }

    fn resize(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = call(
            self.driver.addr,
            "DELETE",
            &format!("/session/{}", self.id),
            None,
        );
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// The audio element's state, once it is at the chapter it was sent to.
fn wait_for_audio_at(s: &Session, start: f64, media: &str) {
    s.wait(
        &format!(
            "(() => {{ const a = document.getElementById('audio');
                return a.src === {media:?} && a.readyState >= 1
                    && a.currentTime >= {start} && a.currentTime < {start} + 30; }})()"
        ),
        &format!("the audio at {start}s"),
    );
}

#[test]
fn type_a_topic_click_a_time_hear_that_moment() {
    let Some((chromium, chromedriver)) = browser() else {
        return;
    };
    let media = media_server(wav(CLIP_SECONDS));
    let env = Env::new();
    let dir = env.path().join("index");
    // The core.py notes as a feed would give them: each episode with its audio (the test clip).
    let mut loaded = podseek::load::bundled();
    for f in &mut loaded.files {
        for ep in &mut f.output.episodes {
            let n = ep.number.map_or("x".into(), |n| n.to_string());
            ep.media_url = Some(format!("http://{media}/core-py-{n}.wav"));
        }
    }
    let hostile = episode(
        "Hostile FM",
        1,
        "<img src=x onerror=alert(2)>",
        &[
            (0, "<script>alert(1)</script>"),
            (5, "\"><svg onload=alert(3)>"),
        ],
        10,
    );
    podseek::index::update(&dir, &mut loaded, &Default::default(), &mut |_, _| {})
        .expect("index the notes");

    let server = Server::start(&env, Path::new("index"));
    let base = format!("http://{}", server.addr);
    let driver = Driver::start(&chromedriver);
    let s = Session::new(&driver, &chromium);

    // Server-rendered: the results are there before any script runs.
    s.goto(&format!("{base}/?q=uvloop"));
    s.wait(
        "document.querySelector('#results .hit .time')",
        "server-rendered hits",
    );
    assert_eq!(s.js("return document.getElementById('q').value"), "uvloop");

    // `/` focuses the search box from anywhere on the page.
    s.goto(&format!("{base}/"));
    s.wait("document.readyState === 'complete'", "the page to load");
    s.js("document.activeElement.blur()");
    s.keys(&["/"]);
    assert_eq!(s.js("return document.activeElement.id"), "q");
    assert_eq!(
        s.js("return document.getElementById('q').labels.length"),
        1,
        "the search box has a label"
    );

    // Results as you type, grouped by episode, and the query in the URL.
    s.type_into("#q", "garbage collection");
    s.wait(
        "document.querySelectorAll('#results .episode .hit').length >= 3",
        "hits as you type",
    );
    s.wait(
        "location.search === '?q=garbage+collection'",
        "the query in the URL",
    );
    let first = s.js("const t = document.querySelector('#results .time');
         return {text: t.textContent, start: Number(t.dataset.start), media: t.dataset.media,
                 episode: t.closest('.episode').querySelector('h2').textContent,
                 title: t.closest('.hit').querySelector('.title').innerHTML};");
    let start = first["start"].as_f64().expect("data-start");
    assert_eq!(first["text"], podseek::model::format_hms(start as u64));
    assert!(
        first["text"].as_str().is_some_and(|t| t.len() == 8),
        "{first}"
    );
    assert!(
        first["episode"]
            .as_str()
            .is_some_and(|e| e.contains("A Garbage Episode")),
        "{first}"
    );
    assert!(
        first["title"]
            .as_str()
            .is_some_and(|t| t.contains("<mark>")),
        "{first}"
    );
    assert!(
        start > 0.0 && start < f64::from(CLIP_SECONDS) - 30.0,
        "{first}"
    );
    let media_url = first["media"].as_str().expect("media url").to_string();

    // Keyboard: down into the hits, up and down again, Enter plays; focus is visible.
    s.keys(&["\u{E015}"]);
    assert_eq!(
        s.js("return document.activeElement === document.querySelectorAll('#results .time')[0]"),
        true
    );
    s.keys(&["\u{E015}", "\u{E013}"]);
    assert_eq!(
        s.js("return document.activeElement === document.querySelectorAll('#results .time')[0]"),
        true
    );
    let outline = s.js("return getComputedStyle(document.activeElement).outlineStyle");
    assert_ne!(outline, "none", "the focused time shows a focus ring");
    s.keys(&["\u{E007}"]);
    wait_for_audio_at(&s, start, &media_url);
    s.wait(
        "!document.getElementById('player').hidden",
        "the player to show",
    );

    // A click on another hit's time seeks there.
    let second = s.js(
        "const ts = [...document.querySelectorAll('#results .time')];
         const t = ts.find((t, i) => i > 0 && Number(t.dataset.start) < 300
                                      && t.dataset.start !== ts[0].dataset.start);
         t.id = 'second';
         return {start: Number(t.dataset.start), media: t.dataset.media};",
    );
    s.click("#second");
    wait_for_audio_at(
        &s,
        second["start"].as_f64().expect("start"),
        second["media"].as_str().expect("media"),
    );
    let now = s.js("return document.getElementById('now').textContent");
    assert!(
        now.as_str()
            .is_some_and(|t| t.contains("A Garbage Episode")),
        "{now}"
    );
    let shot = artifacts().join("search-page.png");
    s.screenshot(&shot);
    if let Some(to) = std::env::var_os(SCREENSHOT_TO) {
        std::fs::copy(&shot, to).expect("copy the screenshot");
    }

    // A new search, then Back: the previous query and its results return.
    s.type_into("#q", "uvloop");
    s.wait(
        "location.search === '?q=uvloop'",
        "the new query in the URL",
    );
    s.wait(
        "[...document.querySelectorAll('#results .title')].some(t => t.textContent === 'uvloop')",
        "the uvloop hit",
    );
    s.cmd("POST", "/back", Some(json!({})));
    s.wait(
        "document.getElementById('q').value === 'garbage collection'
         && document.querySelector('#results .episode h2').textContent.includes('A Garbage Episode')",
        "the previous search after Back",
    );

    // Hostile show notes, indexed while the server runs (it picks up the commit), stay text.
    index_episodes(&dir, vec![hostile], false);
    s.type_into("#q", "alert");
    s.wait(
        "location.search === '?q=alert'
         && document.querySelector('#results h2')?.textContent.includes('Hostile FM')",
        "the hostile hits",
    );
    let titles =
        s.js("return [...document.querySelectorAll('#results .title')].map(t => t.textContent)");
    assert!(
        titles
            .as_array()
            .is_some_and(|t| t.contains(&json!("<script>alert(1)</script>"))),
        "{titles}"
    );
    let heading = s.js("return document.querySelector('#results h2').textContent");
    assert!(
        heading
            .as_str()
            .is_some_and(|h| h.contains("<img src=x onerror=alert(2)>")),
        "{heading}"
    );
    assert_eq!(
        s.js(
            "return document.querySelectorAll('#results script, #results img, #results svg').length"
        ),
        0
    );
    assert!(!s.alert_open(), "no script from the show notes ran");
    // The same page rendered by the server, then read by the browser.
    s.goto(&format!("{base}/?q=alert"));
    s.wait(
        "document.querySelector('#results .hit')",
        "server-rendered hostile hits",
    );
    assert_eq!(
        s.js(
            "return document.querySelectorAll('#results script, #results img, #results svg').length"
        ),
        0
    );
    assert!(!s.alert_open());

    // The script words a full page like the server: a listing of filters alone (index
    // order, scores 0) shows the "first" episodes, a ranked search the "best".
    index_episodes(&dir, listing(25), false);
    s.goto(&format!("{base}/"));
    s.wait("document.readyState === 'complete'", "the page to load");
    s.type_into("#q", "podcast:\"Listing FM\"");
    s.wait(
        "document.getElementById('status')?.textContent === '50 matches; the first 20 episodes shown'",
        "the script's summary of a listing",
    );
    s.type_into("#q", "quokka");
    s.wait(
        "document.getElementById('status')?.textContent === '25 matches; the best 20 episodes shown'",
        "the script's summary of a ranked page",
    );

    // Phone width: nothing wider than the screen.
    s.resize(390, 844);
    s.goto(&format!("{base}/?q=garbage+collection"));
    s.wait("document.querySelector('#results .hit')", "hits on a phone");
    let (scroll, width) = (
        s.js("return document.documentElement.scrollWidth"),
        s.js("return window.innerWidth"),
    );
    assert!(
        scroll.as_u64() <= width.as_u64(),
        "page {scroll}px wide in a {width}px window"
    );
    s.screenshot(&artifacts().join("search-page-phone.png"));
    eprintln!("screenshots in {}", artifacts().display());
}
