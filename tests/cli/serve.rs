//! `podseek serve`: the JSON API, the server-rendered page, safety headers and limits, fresh
//! data after `podseek index`, and a clean stop, against a real server on a free port.

use crate::http::{Server, request};
use crate::util::Env;
use podseek::load::SourceFile;
use podseek::model::{Chapter, Episode};
use podseek::{IndexOptions, Loaded, ParseOutput};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// An episode with chapters at the given (start, title) pairs.
pub fn episode(
    podcast: &str,
    number: u32,
    title: &str,
    chapters: &[(u64, &str)],
    duration: u64,
) -> Episode {
    let chapters = chapters
        .iter()
        .enumerate()
        .map(|(i, (start, t))| Chapter {
            start_seconds: *start,
            end_seconds: Some(chapters.get(i + 1).map_or(duration, |c| c.0)),
            title: t.to_string(),
            section: None,
        })
        .collect();
    Episode {
        podcast: Some(podcast.into()),
        number: Some(number),
        title: title.into(),
        date: Some("2025-01-02".into()),
        duration_seconds: Some(duration),
        description: String::new(),
        source: format!("test:{number}"),
        chapters,
        media_url: None,
        link: None,
        guid: None,
    }
}

/// Indexes `episodes` (plus, with `bundled`, the core.py notes) into `dir` through the library,
/// as a feed would deliver them: the show-notes parser cannot set a media URL.
pub fn index_episodes(dir: &Path, episodes: Vec<Episode>, bundled: bool) {
    let mut loaded = if bundled {
        podseek::load::bundled()
    } else {
        Loaded::default()
    };
    loaded.files.push(SourceFile {
        display: "test episodes".into(),
        id: "test:episodes".into(),
        output: ParseOutput {
            episodes,
            warnings: vec![],
        },
        ..SourceFile::default()
    });
    podseek::index::update(dir, &mut loaded, &IndexOptions::default(), &mut |_, _| {})
        .expect("test index written");
}

/// A server over the bundled core.py notes (it builds the index on first start).
fn bundled() -> (Env, Server) {
    let env = Env::new();
    let server = Server::start(&env, Path::new("index"));
    (env, server)
}

fn cli_json(env: &Env, args: &[&str], code: i32) -> Value {
    let mut all = args.to_vec();
    all.extend(["--index", "index"]);
    env.json(&all, code)
}

#[test]
fn api_answers_with_the_cli_json_documents() {
    let (env, server) = bundled();
    let cases: [(&str, &[&str], i32); 6] = [
        (
            "/api/search?q=garbage+collection&limit=3",
            &["search", "garbage collection", "--limit", "3"],
            0,
        ),
        (
            "/api/search?q=reference%20counting&by_episode=1&limit=2",
            &[
                "search",
                "reference counting",
                "--by-episode",
                "--limit",
                "2",
            ],
            0,
        ),
        (
            "/api/search?q=uvloop&episode=19&podcast=core.py",
            &[
                "search",
                "uvloop",
                "--episode",
                "19",
                "--podcast",
                "core.py",
            ],
            0,
        ),
        ("/api/episodes", &["episodes"], 0),
        ("/api/episodes/21", &["show", "21"], 0),
        (
            "/api/at?episode=21&t=00:10:00",
            &["at", "21", "00:10:00"],
            0,
        ),
    ];
    for (path, args, code) in cases {
        let api = server.json(path, 200);
        let cli = cli_json(&env, args, code);
        assert_eq!(api, cli, "GET {path} differs from podseek {args:?}");
    }
    let v = server.json("/api/at?episode=21&t=600", 200);
    assert_eq!(v["title"], "Solving reference cycles through PyGC_Head");
    // Past the end: the same document as the CLI's (exit 1), still a 200.
    let api = server.json("/api/at?episode=21&t=3:00:00", 200);
    assert_eq!(api, cli_json(&env, &["at", "21", "3:00:00"], 1));
    let none = server.json("/api/search?q=zzzxqy", 200);
    assert_eq!(none["total"], 0);
    assert_eq!(none["hits"], Value::Array(vec![]));
}

#[test]
fn bad_parameters_get_json_errors_never_a_500() {
    let (_env, server) = bundled();
    let long = "a".repeat(podseek::search::MAX_QUERY_BYTES + 1);
    let limit = podseek::search::MAX_QUERY_BYTES.to_string();
    let cases: Vec<(String, u16, &str)> = vec![
        ("/api/search".into(), 400, "missing q"),
        ("/api/search?q=".into(), 400, "missing q"),
        (format!("/api/search?q={long}"), 400, &limit),
        ("/api/search?q=gc&limit=0".into(), 400, "limit"),
        ("/api/search?q=gc&limit=ten".into(), 400, "limit"),
        ("/api/search?q=gc&limit=-3".into(), 400, "limit"),
        ("/api/search?q=gc&episode=x".into(), 400, "episode"),
        (
            "/api/search?q=gc&by_episode=perhaps".into(),
            400,
            "by_episode",
        ),
        ("/api/search?q=a&q=b".into(), 400, "q"),
        ("/api/episodes/99".into(), 404, "no episode 99"),
        ("/api/episodes/abc".into(), 400, "abc"),
        ("/api/episodes/21?podcast=nope".into(), 404, "nope"),
        ("/api/at?episode=21&t=99:99:99".into(), 400, "99:99:99"),
        ("/api/at?episode=21".into(), 400, "missing t"),
        ("/api/at?t=10".into(), 400, "missing episode"),
        ("/api/at?episode=99&t=10".into(), 404, "no episode 99"),
        ("/api/nothing-here".into(), 404, "no such page"),
        ("/index/meta.json".into(), 404, "no such page"),
        ("/../Cargo.toml".into(), 404, "no such page"),
        ("/app.js/../../Cargo.toml".into(), 404, "no such page"),
        ("/%2e%2e/%2e%2e/etc/passwd".into(), 404, "no such page"),
        // Hostile queries are bounded words, not errors.
        (format!("/api/search?q={}uvloop", "(".repeat(3000)), 200, ""),
        ("/api/search?q=%22unterminated".into(), 200, ""),
        ("/api/search?q=%ff%fe".into(), 200, ""),
    ];
    for (path, status, says) in &cases {
        let r = server.get(path);
        assert_eq!(r.status, *status, "GET {path}: {}", r.body);
        assert_eq!(r.header("content-type"), Some("application/json"), "{path}");
        let v = r.json();
        if *status >= 400 {
            let msg = v["error"].as_str().unwrap_or_else(|| panic!("{path}: {v}"));
            assert!(msg.contains(says), "GET {path}: {msg}");
        }
    }
    let r = request(
        server.addr,
        "POST /api/search?q=gc HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
    );
    assert_eq!(r.status, 405, "{}", r.body);
    assert!(r.json()["error"].is_string());
}

#[test]
fn limit_is_capped() {
    let env = Env::new();
    let cap = podseek::serve::MAX_API_LIMIT;
    let titles: Vec<String> = (0..cap + 50).map(|i| format!("Marmot part {i}")).collect();
    let chapters: Vec<(u64, &str)> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| (i as u64 * 10, t.as_str()))
        .collect();
    let long = episode("Alps", 1, "Many marmots", &chapters, 10_000);
    index_episodes(&env.path().join("index"), vec![long], false);
    let server = Server::start(&env, Path::new("index"));
    let v = server.json("/api/search?q=marmot&limit=100000", 200);
    assert!(
        v["total"].as_u64().unwrap_or(0) > cap as u64,
        "{}",
        v["total"]
    );
    assert_eq!(v["hits"].as_array().map(Vec::len), Some(cap));
    let v = server.json("/api/search?q=marmot&limit=99999999999999999999999999", 200);
    assert_eq!(v["hits"].as_array().map(Vec::len), Some(cap));
    let v = server.json("/api/search?q=marmot&limit=7", 200);
    assert_eq!(v["hits"].as_array().map(Vec::len), Some(7));
}

#[test]
fn oversized_requests_are_refused() {
    let (_env, server) = bundled();
    let long = format!(
        "/api/search?q={}",
        "%41".repeat(podseek::serve::MAX_URI_BYTES / 3 + 10)
    );
    let r = server.get(&long);
    assert_eq!(r.status, 414, "{}", r.body);
    assert!(r.json()["error"].is_string());
    let r = request(
        server.addr,
        "GET /api/search?q=gc HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 100000\r\n\r\n",
    );
    assert_eq!(r.status, 413, "{}", r.body);
    let r = request(
        server.addr,
        "GET /api/episodes HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    );
    assert_eq!(r.status, 413, "{}", r.body);
    // Headers past what hyper buffers: refused by the HTTP layer itself.
    let huge = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Filler: {}\r\n\r\n",
        "a".repeat(200_000)
    );
    let r = request(server.addr, &huge);
    assert!(r.status == 431 || r.status == 400, "{}", r.status);
    // The server is still there.
    assert_eq!(server.get("/api/episodes").status, 200);
}

#[test]
fn an_ambiguous_episode_number_lists_the_candidates() {
    let env = Env::new();
    let dir = env.path().join("index");
    index_episodes(
        &dir,
        vec![episode(
            "Other Show",
            21,
            "Twenty-one elsewhere",
            &[(0, "Intro")],
            60,
        )],
        true,
    );
    let server = Server::start(&env, Path::new("index"));
    let v = server.json("/api/episodes/21", 400);
    let msg = v["error"].as_str().unwrap_or("");
    assert!(msg.contains("podcast="), "{msg}");
    assert!(
        msg.contains("A Garbage Episode") && msg.contains("Twenty-one elsewhere"),
        "{msg}"
    );
    let v = server.json("/api/episodes/21?podcast=other%20show", 200);
    assert_eq!(v["title"], "Twenty-one elsewhere");
    let v = server.json("/api/at?episode=21&t=10&podcast=core.py", 200);
    assert_eq!(v["episode_title"], "A Garbage Episode");
    server.json("/api/at?episode=21&t=10", 400);
    // Words of the title choose too, as `--title` does.
    assert!(msg.contains("title="), "{msg}");
    let v = server.json("/api/episodes/21?title=ELSEWHERE", 200);
    assert_eq!(v["podcast"], "Other Show");
    let v = server.json("/api/at?episode=21&t=10&title=garbage", 200);
    assert_eq!(v["episode_title"], "A Garbage Episode");
    server.json("/api/episodes/21?title=nothing+like+it", 404);
}

#[test]
fn responses_carry_the_safety_headers_and_the_page_only_its_own_assets() {
    let (_env, server) = bundled();
    for path in [
        "/",
        "/?q=gc",
        "/api/episodes",
        "/api/nothing",
        "/app.js",
        "/app.css",
    ] {
        let r = server.get(path);
        let csp = r.header("content-security-policy").unwrap_or("");
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{path}");
    }
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    // Scripts only by src, no inline handlers, no address outside this server.
    for tag in page.body.split("<script").skip(1) {
        let open = tag.split('>').next().unwrap_or("");
        assert!(open.contains("src=\"/app.js?v="), "inline script: {tag}");
        assert!(tag[open.len() + 1..].starts_with("</script>"), "{tag}");
    }
    let handler = regex::Regex::new(r"(?i)<[^>]*\son[a-z]+\s*=").expect("regex");
    assert!(!handler.is_match(&page.body), "an inline event handler");
    assert!(!page.body.contains(" style="), "an inline style");
    assert!(!page.body.contains("http://") && !page.body.contains("https://"));
    for (asset, kind) in [("/app.js", "text/javascript"), ("/app.css", "text/css")] {
        let r = server.get(asset);
        assert_eq!(r.status, 200, "{asset}");
        assert!(
            r.header("content-type").unwrap_or("").starts_with(kind),
            "{asset}"
        );
        assert!(
            !r.body.contains("http://") && !r.body.contains("https://"),
            "{asset}"
        );
    }
    let v = page
        .body
        .split("/app.js?v=")
        .nth(1)
        .and_then(|s| s.split('"').next());
    let versioned = server.get(&format!("/app.js?v={}", v.unwrap_or("")));
    assert!(
        versioned
            .header("cache-control")
            .unwrap_or("")
            .contains("immutable")
    );
    assert_eq!(
        server.get("/app.js").header("cache-control"),
        Some("no-cache")
    );
}

#[test]
fn the_server_renders_results_for_q_so_the_page_works_without_javascript() {
    let (_env, server) = bundled();
    let empty = server.get("/");
    assert!(
        empty.body.contains("15 episodes and 308 chapters indexed"),
        "{}",
        empty.body
    );
    assert!(
        empty
            .body
            .contains("<label for=\"q\">Search core.py</label>")
    );
    let r = server.get("/?q=garbage+collection");
    assert_eq!(r.status, 200);
    let b = &r.body;
    assert!(b.contains("value=\"garbage collection\""), "{b}");
    assert!(
        b.contains("<title>garbage collection · podseek</title>"),
        "{b}"
    );
    assert!(b.contains("matches in"), "{b}");
    assert!(
        b.contains("<span class=\"num\">#21</span> A Garbage Episode"),
        "{b}"
    );
    assert!(
        b.contains("PART 1: <mark>GARBAGE</mark> <mark>COLLECTION</mark>"),
        "{b}"
    );
    assert!(
        b.contains(">00:03:19</button>"),
        "no link known: the time to copy: {b}"
    );
    let r = server.get("/?q=zzzxqy");
    assert!(r.body.contains("No matches for “zzzxqy”."), "{}", r.body);
    let long = "a".repeat(podseek::search::MAX_QUERY_BYTES + 1);
    let r = server.get(&format!("/?q={long}"));
    assert_eq!(r.status, 400);
    let said = format!(
        "role=\"alert\">invalid query: the query is {} bytes long",
        long.len()
    );
    assert!(r.body.contains(&said), "{}", r.body);
}

/// `n` one-chapter episodes of "Listing FM", each with a chapter about quokkas.
pub fn listing(n: u32) -> Vec<Episode> {
    (1..=n)
        .map(|i| {
            episode(
                "Listing FM",
                i,
                &format!("Day {i}"),
                &[(0, "Quokka talk")],
                60,
            )
        })
        .collect()
}

#[test]
fn a_full_page_of_filters_alone_says_first_not_best() {
    let env = Env::new();
    let dir = env.path().join("index");
    index_episodes(&dir, listing(25), false);
    let server = Server::start(&env, Path::new("index"));
    // A listing of filters alone is in index order (every score 0), not ranked.
    let r = server.get("/?q=podcast%3A%22Listing+FM%22");
    assert!(
        r.body.contains("50 matches; the first 20 episodes shown"),
        "{}",
        r.body
    );
    let r = server.get("/?q=quokka");
    assert!(
        r.body.contains("25 matches; the best 20 episodes shown"),
        "{}",
        r.body
    );
}

#[test]
fn show_notes_and_queries_are_escaped_never_run() {
    let env = Env::new();
    let dir = env.path().join("index");
    let mut ep = episode(
        "<b>Pod</b>",
        1,
        "<img src=x onerror=alert(2)>",
        &[
            (0, "<script>alert(1)</script>"),
            (60, "\"><svg onload=alert(3)>"),
        ],
        120,
    );
    ep.media_url = Some("javascript:alert(4)".into());
    ep.description = "alert me <iframe src=//evil>".into();
    index_episodes(&dir, vec![ep], false);
    let server = Server::start(&env, Path::new("index"));
    let r = server.get("/?q=alert");
    assert_eq!(r.status, 200);
    let b = &r.body;
    assert!(
        b.contains(">&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;<"),
        "{b}"
    );
    assert!(b.contains("&lt;img src=x onerror=alert(2)&gt;"), "{b}");
    assert!(
        b.contains(">&quot;&gt;&lt;svg onload=<mark>alert</mark>(3)&gt;<"),
        "{b}"
    );
    assert!(b.contains("&lt;b&gt;Pod&lt;/b&gt;"), "{b}");
    for bad in [
        "<script>alert",
        "<img",
        "<svg",
        "<iframe",
        "<b>",
        "javascript:",
    ] {
        assert!(!b.contains(bad), "{bad} in {b}");
    }
    // The query is echoed into the page escaped too.
    let r = server.get("/?q=%22%3E%3Cscript%3Ealert(5)%3C/script%3E");
    assert!(!r.body.contains("<script>alert(5)"), "{}", r.body);
    assert!(
        r.body
            .contains("value=\"&quot;&gt;&lt;script&gt;alert(5)&lt;/script&gt;\"")
    );
    // The API hands the text back as it is, as JSON that browsers will not sniff as HTML.
    let api = server.get("/api/search?q=alert");
    assert_eq!(api.header("content-type"), Some("application/json"));
    assert_eq!(api.header("x-content-type-options"), Some("nosniff"));
    let titles: Vec<Value> = api.json()["hits"]
        .as_array()
        .map(|h| h.iter().map(|h| h["chapter_title"].clone()).collect())
        .unwrap_or_default();
    assert!(
        titles.contains(&Value::from("<script>alert(1)</script>")),
        "{titles:?}"
    );
}

#[test]
fn times_link_to_the_media_or_the_link_template() {
    let env = Env::new();
    let dir = env.path().join("index");
    let mut with_media = episode(
        "Feed",
        1,
        "Audio episode",
        &[(0, "Intro"), (75, "Marmots")],
        90,
    );
    with_media.media_url = Some("https://cdn.example/one.mp3".into());
    let mut with_page = episode(
        "Feed",
        2,
        "Page episode",
        &[(0, "Intro"), (80, "Marmots again")],
        90,
    );
    with_page.link = Some("https://example.com/ep/{number}?t={seconds}".into());
    index_episodes(&dir, vec![with_media, with_page], false);
    let server = Server::start(&env, Path::new("index"));
    let v = server.json("/api/search?q=marmots", 200);
    let hit = |n: u64| {
        v["hits"]
            .as_array()
            .and_then(|h| h.iter().find(|h| h["episode"] == n).cloned())
            .unwrap_or_default()
    };
    assert_eq!(hit(1)["media_url"], "https://cdn.example/one.mp3");
    assert_eq!(hit(1)["link"], "https://cdn.example/one.mp3#t=75");
    assert_eq!(hit(2)["link"], "https://example.com/ep/2?t=80");
    assert!(hit(2).get("media_url").is_none());
    let b = server.get("/?q=marmots").body;
    assert!(
        b.contains("<a class=\"time\" href=\"https://cdn.example/one.mp3#t=75\" data-media=\"https://cdn.example/one.mp3\" data-start=\"75\""),
        "{b}"
    );
    assert!(
        b.contains(
            "<a class=\"time\" href=\"https://example.com/ep/2?t=80\" rel=\"noopener\">00:01:20</a>"
        ),
        "{b}"
    );
}

#[test]
fn a_running_server_answers_from_each_new_commit() {
    let env = Env::new();
    let server = Server::start(&env, Path::new("index"));
    let before = server.json("/api/search?q=zeppelinfabrik", 200);
    assert_eq!(before["total"], 0);
    env.write(
        "notes/new.txt",
        "Episode 99: New\n(00:00:00) Intro\n(00:01:40) Zeppelinfabrik tour\n",
    );
    env.cmd(&["index", "notes", "--index", "index", "-q"])
        .assert()
        .success();
    let after = server.json("/api/search?q=zeppelinfabrik", 200);
    assert_eq!(after["total"], 1, "{after}");
    assert_eq!(after["hits"][0]["start"], "00:01:40");
    assert!(server.get("/").body.contains("16 episodes"));
    // A second update: the server follows again.
    env.write("notes/new.txt", "Episode 99: New\n(00:00:00) Intro\n");
    env.cmd(&["index", "notes", "--index", "index", "-q"])
        .assert()
        .success();
    assert_eq!(server.json("/api/search?q=zeppelinfabrik", 200)["total"], 0);
}

#[test]
fn each_request_is_logged_and_ctrl_c_stops_the_server_cleanly() {
    let (_env, server) = bundled();
    server.json("/api/search?q=uvloop", 200);
    server.json("/api/episodes/999", 404);
    let log_line = regex::Regex::new(r"^(GET) (/\S*) (\d{3}) \d+\.\dms$").expect("regex");
    let (code, log) = server.interrupt();
    assert_eq!(code, Some(0), "{log:?}");
    let requests: Vec<(String, String)> = log
        .iter()
        .filter_map(|l| log_line.captures(l))
        .map(|c| (c[2].to_string(), c[3].to_string()))
        .collect();
    assert!(
        requests.contains(&("/api/search".into(), "200".into())),
        "{log:?}"
    );
    assert!(
        requests.contains(&("/api/episodes/999".into(), "404".into())),
        "{log:?}"
    );
    assert!(
        !log.iter().any(|l| l.contains("uvloop")),
        "queries stay out of the log"
    );
    assert!(log.last().is_some_and(|l| l.contains("stopped")), "{log:?}");
}

#[test]
fn the_default_address_is_loopback() {
    let env = Env::new();
    let (code, out, _) = env.run(&["serve", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("[default: 127.0.0.1:7700]"), "{out}");
    let (code, _, err) = env.run(&["serve", "--addr", "not-an-address"]);
    assert_eq!(code, 2);
    assert!(err.contains("not-an-address"), "{err}");
}

/// Where a test may write files to look at afterwards (screenshots).
pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("podseek-artifacts");
    std::fs::create_dir_all(&dir).expect("artifact dir");
    dir
}

#[test]
fn slow_clients_neither_block_others_nor_stay_forever() {
    use std::io::{Read, Write};
    let (_env, server) = bundled();
    // Many connections that send half a request line and then nothing.
    let mut slow: Vec<std::net::TcpStream> = (0..50)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(server.addr).expect("connect");
            s.write_all(b"GET /api/episodes HT").expect("send");
            s
        })
        .collect();
    // Everyone else is still served.
    assert_eq!(server.json("/api/search?q=uvloop", 200)["total"], 1);
    // The server drops a client that never finishes its headers (after HEADER_TIMEOUT).
    let s = &mut slow[0];
    s.set_read_timeout(Some(std::time::Duration::from_secs(120)))
        .expect("timeout");
    let mut rest = Vec::new();
    match s.read_to_end(&mut rest) {
        Ok(_) => {}
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
    }
    assert!(
        rest.is_empty() || rest.starts_with(b"HTTP/1.1 408"),
        "{:?}",
        String::from_utf8_lossy(&rest)
    );
}
