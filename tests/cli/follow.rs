//! Following feeds: `add`, `update`, `sources`, `remove` against a local HTTP server.

use crate::feedserver::{FeedServer, Route};
use crate::util::{Env, fixtures};
use serde_json::Value;
use std::time::{Duration, Instant};

const NEW_ITEM: &str = r#"<item>
      <title>Episode 6: The Andromeda Galaxy by Eye</title>
      <guid isPermaLink="false">nsn-0006</guid>
      <pubDate>Fri, 16 Aug 2024 21:00:00 +0100</pubDate>
      <itunes:duration>30:00</itunes:duration>
      <description>Finding Andromeda by star hopping.

00:00 Intro
05:00 Star hopping from Cassiopeia</description>
    </item>
    "#;

fn night_sky() -> String {
    std::fs::read_to_string(fixtures().join("feeds/night-sky.xml")).expect("fixture feed")
}

/// The fixture feed with one more item at the top.
fn with_new_item(feed: &str) -> String {
    feed.replacen("<item>", &format!("{NEW_ITEM}<item>"), 1)
}

/// The fixture feed as another podcast (so its episodes are its own).
fn renamed(feed: &str, title: &str) -> String {
    feed.replacen(
        "<title>Night Sky Notes</title>",
        &format!("<title>{title}</title>"),
        1,
    )
}

/// A server with the fixture feed at /feed.xml and its chapters file.
fn server() -> FeedServer {
    let s = FeedServer::start();
    s.set("/feed.xml", Route::ok(night_sky()));
    let chapters = std::fs::read(fixtures().join("feeds/chapters/nsn-005.chapters.json"))
        .expect("fixture chapters");
    s.set("/chapters/nsn-005.chapters.json", Route::ok(chapters));
    s
}

fn with_index<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--index", "idx"];
    all.extend_from_slice(args);
    all
}

fn run(env: &Env, args: &[&str]) -> (i32, String, String) {
    env.run(&with_index(args))
}

fn json(env: &Env, args: &[&str], code: i32) -> Value {
    env.json(&with_index(args), code)
}

/// The one entry of an `add --json` / the named entry of an `update --json`.
fn entry<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["sources"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["name"] == name))
        .unwrap_or_else(|| panic!("no source {name} in {doc}"))
}

fn sources_file(env: &Env) -> Value {
    let text = std::fs::read_to_string(env.path().join("idx/sources.json")).expect("sources.json");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("sources.json torn ({e}): {text}"))
}

#[test]
fn add_update_304_then_a_new_episode_is_found() {
    let env = Env::new();
    let srv = server();
    let url = srv.url("/feed.xml");

    let doc = json(&env, &["add", &url], 0);
    let e = entry(&doc, "Night Sky Notes");
    assert_eq!(e["status"], "updated");
    assert_eq!(e["added"], 4);
    assert_eq!(e["error"], Value::Null);
    let first = &srv.requests("/feed.xml")[0];
    assert!(
        first.headers["user-agent"].starts_with("podseek/"),
        "{first:?}"
    );
    assert!(first.headers["accept-encoding"].contains("gzip"));
    // The feed's chapters file, fetched and applied: episode 5 has its chapters, not the notes'.
    assert_eq!(srv.requests("/chapters/nsn-005.chapters.json").len(), 1);
    let show = json(&env, &["show", "5"], 0);
    assert!(
        show["chapters"].as_array().expect("chapters").len() > 2,
        "{show}"
    );

    // Unchanged: one conditional GET answered 304 (no body), nothing new.
    srv.clear_log();
    let doc = json(&env, &["update"], 0);
    let e = entry(&doc, "Night Sky Notes");
    assert_eq!(e["status"], "unchanged");
    assert_eq!(
        (e["added"].as_u64(), e["updated"].as_u64()),
        (Some(0), Some(0))
    );
    let log = srv.log();
    assert_eq!(log.len(), 1, "{log:?}");
    let last = &log[0];
    assert_eq!((last.path.as_str(), last.status), ("/feed.xml", 304));
    assert!(last.headers.contains_key("if-none-match"), "{last:?}");
    assert!(last.headers.contains_key("if-modified-since"), "{last:?}");
    assert!(last.bytes_in < 512 && last.bytes_out < 256, "{last:?}");
    eprintln!(
        "unchanged feed: 1 request, {} bytes sent, {} bytes received",
        last.bytes_in, last.bytes_out
    );

    // The feed gains an episode: exactly it is added, and a search finds it.
    srv.set("/feed.xml", Route::ok(with_new_item(&night_sky())));
    srv.clear_log();
    let (code, out, err) = run(&env, &["update"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("Night Sky Notes: 1 new episode: Episode 6: The Andromeda Galaxy by Eye"),
        "{out}"
    );
    // One GET of the feed: the chapters file of an episode already indexed is not fetched again.
    let log = srv.log();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!((log[0].path.as_str(), log[0].status), ("/feed.xml", 200));
    eprintln!(
        "feed with one new episode: 1 request, {} bytes sent, {} bytes received",
        log[0].bytes_in, log[0].bytes_out
    );
    let show = json(&env, &["show", "5"], 0);
    assert!(
        show["chapters"].as_array().expect("chapters").len() > 2,
        "{show}"
    );
    let hits = json(&env, &["search", "Andromeda"], 0);
    assert_eq!(hits["hits"][0]["episode"], 6, "{hits}");
    let list = json(&env, &["sources"], 0);
    assert_eq!(list["sources"][0]["episodes"], 5, "{list}");
    assert_eq!(list["sources"][0]["source"], url);
    assert_eq!(list["sources"][0]["last_error"], Value::Null);
    assert!(list["sources"][0]["last_update"].is_string());
}

/// Each broken source is reported and skipped; the healthy one still updates; exit 2.
#[test]
fn a_broken_source_is_reported_while_another_updates() {
    let env = Env::new();
    let srv = server();
    srv.set(
        "/other.xml",
        Route::ok(renamed(&night_sky(), "Day Sky Notes")),
    );
    json(
        &env,
        &["add", &srv.url("/other.xml"), "--name", "broken"],
        0,
    );
    json(&env, &["add", &srv.url("/feed.xml")], 0);

    let oversize = format!(
        "{}<!-- {} -->",
        renamed(&night_sky(), "Day Sky Notes"),
        "x".repeat(300_000)
    );
    let cases: Vec<(&str, Route, &str)> = vec![
        ("500", Route::status(500), "HTTP 500"),
        ("404", Route::status(404), "HTTP 404"),
        (
            "timeout",
            Route {
                delay: Duration::from_secs(4),
                ..Route::ok("<rss/>")
            },
            "timed out",
        ),
        (
            "oversize",
            Route::ok(oversize.clone()),
            "larger than the limit",
        ),
        (
            "oversize without a length",
            Route {
                length: false,
                ..Route::ok(oversize)
            },
            "larger than the limit",
        ),
        (
            "invalid XML",
            Route::ok("<?xml version=\"1.0\"?><rss><channel><item></channel></rss>"),
            "invalid XML",
        ),
    ];
    let mut feed = night_sky();
    for (i, (what, route, expect)) in cases.into_iter().enumerate() {
        srv.set("/other.xml", route);
        // The healthy feed gains an episode each round.
        feed = feed.replacen(
            "<item>",
            &format!(
                "{}<item>",
                NEW_ITEM
                    .replace("nsn-0006", &format!("nsn-new-{i}"))
                    .replace("Episode 6:", &format!("Episode {}:", 10 + i))
            ),
            1,
        );
        srv.set("/feed.xml", Route::ok(feed.clone()));
        let args = with_index(&["update", "--timeout", "1", "--max-size", "100K", "--json"]);
        let (code, out, err) = env.run(&args);
        assert_eq!(code, 2, "{what}: {out}{err}");
        let doc: Value = serde_json::from_str(&out).expect("one JSON document");
        let bad = entry(&doc, "broken");
        assert_eq!(bad["status"], "error", "{what}: {doc}");
        let msg = bad["error"].as_str().expect("error message");
        assert!(msg.contains(expect), "{what}: {msg}");
        let good = entry(&doc, "Night Sky Notes");
        assert_eq!(good["status"], "updated", "{what}: {doc}");
        assert_eq!(good["added"], 1, "{what}: {doc}");
        // One clear stderr line naming the source; no panic.
        assert_eq!(err.lines().count(), 1, "{what}: {err}");
        assert!(err.starts_with("podseek: broken: http://"), "{what}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        let list = json(&env, &["sources"], 0);
        assert!(
            list["sources"][0]["last_error"]
                .as_str()
                .is_some_and(|e| e.contains(expect)),
            "{what}: {list}"
        );
        assert_eq!(list["sources"][0]["episodes"], 4, "{what}: kept: {list}");
    }
    // Healthy again: the error is cleared.
    srv.set(
        "/other.xml",
        Route::ok(renamed(&night_sky(), "Day Sky Notes")),
    );
    json(&env, &["update"], 0);
    let list = json(&env, &["sources"], 0);
    assert_eq!(list["sources"][0]["last_error"], Value::Null, "{list}");
}

#[test]
fn prune_only_when_asked_and_remove_forgets() {
    let env = Env::new();
    let srv = server();
    srv.set("/feed.xml", Route::ok(with_new_item(&night_sky())));
    json(&env, &["add", &srv.url("/feed.xml"), "--name", "sky"], 0);
    // Episode 6 leaves the feed: kept without --prune, removed with it.
    srv.set("/feed.xml", Route::ok(night_sky()));
    let doc = json(&env, &["update", "sky"], 0);
    assert_eq!(entry(&doc, "sky")["removed"], 0);
    json(&env, &["search", "Andromeda"], 0);
    let doc = json(&env, &["update", "--prune"], 0);
    assert_eq!(entry(&doc, "sky")["removed"], 1, "{doc}");
    assert_eq!(entry(&doc, "sky")["status"], "updated", "{doc}");
    json(&env, &["search", "Andromeda"], 1);
    assert_eq!(json(&env, &["sources"], 0)["sources"][0]["episodes"], 4);

    // Another podcast's episodes, indexed by hand, survive the removal.
    env.copy_seeds();
    json(&env, &["index", "notes"], 0);
    let (code, out, err) = run(&env, &["remove", "SKY"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("removed 4 episodes"), "{out}");
    assert_eq!(json(&env, &["sources"], 0)["sources"], Value::Array(vec![]));
    let eps = json(&env, &["episodes"], 0);
    let eps = eps["episodes"].as_array().expect("episodes");
    assert!(!eps.is_empty());
    assert!(
        eps.iter().all(|e| e["podcast"] != "Night Sky Notes"),
        "{eps:?}"
    );
    let (code, _, err) = run(&env, &["remove", "sky"]);
    assert_eq!(code, 2);
    assert!(err.contains("no followed source named \"sky\""), "{err}");
    let (code, _, err) = run(&env, &["update", "nope"]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn local_files_and_folders_can_be_followed() {
    let env = Env::new();
    let notes = env.copy_seeds();
    std::fs::write(notes.join("podcast.toml"), "name = \"core.py\"\n").expect("toml");
    let doc = json(&env, &["add", "notes"], 0);
    let e = entry(&doc, "core.py");
    let n = e["added"].as_u64().expect("added");
    assert!(n > 10, "{doc}");
    let feeds = env.path().join("feeds");
    std::fs::create_dir_all(feeds.join("chapters")).expect("mkdir");
    std::fs::copy(
        fixtures().join("feeds/night-sky.xml"),
        feeds.join("night-sky.xml"),
    )
    .expect("copy");
    std::fs::copy(
        fixtures().join("feeds/chapters/nsn-005.chapters.json"),
        feeds.join("chapters/nsn-005.chapters.json"),
    )
    .expect("copy");
    let doc = json(&env, &["add", "feeds/night-sky.xml", "--name", "sky"], 0);
    assert_eq!(entry(&doc, "sky")["added"], 4);

    let doc = json(&env, &["update"], 0);
    assert_eq!(entry(&doc, "core.py")["status"], "unchanged", "{doc}");
    assert_eq!(entry(&doc, "sky")["status"], "unchanged", "{doc}");

    std::fs::write(feeds.join("night-sky.xml"), with_new_item(&night_sky())).expect("write");
    let doc = json(&env, &["update"], 0);
    assert_eq!(entry(&doc, "sky")["added"], 1, "{doc}");
    assert_eq!(entry(&doc, "core.py")["added"], 0, "{doc}");
    let list = json(&env, &["sources"], 0);
    assert_eq!(list["sources"][0]["episodes"].as_u64(), Some(n));
    assert_eq!(list["sources"][1]["episodes"], 5);

    // Refused: the same source twice, a taken name, a missing path, another scheme.
    for (args, expect) in [
        (vec!["add", "notes"], "already followed"),
        (vec!["add", "feeds", "--name", "SKY"], "already followed"),
        (vec!["add", "missing-folder"], "missing-folder"),
        (vec!["add", "ftp://example.org/feed.xml"], "only http"),
    ] {
        let before = std::fs::read(env.path().join("idx/sources.json")).expect("file");
        let (code, out, err) = run(&env, &args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(expect), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        let after = std::fs::read(env.path().join("idx/sources.json")).expect("file");
        assert_eq!(before, after, "{args:?} changed the sources file");
    }
}

#[test]
fn redirects_gzip_and_only_http() {
    let env = Env::new();
    let srv = server();
    srv.set(
        "/gz.xml",
        Route {
            gzip: true,
            ..Route::ok(night_sky())
        },
    );
    srv.set("/moved", Route::redirect("/gz.xml"));
    let doc = json(&env, &["add", &srv.url("/moved")], 0);
    assert_eq!(entry(&doc, "Night Sky Notes")["added"], 4);
    assert_eq!(srv.requests("/gz.xml").len(), 1);

    srv.set("/loop", Route::redirect("/loop"));
    let (code, _, err) = run(&env, &["add", &srv.url("/loop"), "--name", "x"]);
    assert_eq!(code, 2);
    assert!(err.contains("redirects"), "{err}");
    assert!(srv.requests("/loop").len() <= 6);

    srv.set("/elsewhere", Route::redirect("file:///etc/passwd"));
    let (code, _, err) = run(&env, &["add", &srv.url("/elsewhere"), "--name", "y"]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(
        json(&env, &["sources"], 0)["sources"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

/// A SIGKILL at any point of an update leaves the sources file whole (old or new), and the
/// next update runs.
#[test]
fn sigkill_during_update_leaves_the_sources_file_whole() {
    let env = Env::new();
    let srv = server();
    srv.set("/b.xml", Route::ok(renamed(&night_sky(), "Day Sky Notes")));
    json(&env, &["add", &srv.url("/feed.xml"), "--name", "a"], 0);
    json(&env, &["add", &srv.url("/b.xml"), "--name", "b"], 0);
    let old = std::fs::read(env.path().join("idx/sources.json")).expect("sources file");

    // Killed while the second feed is being fetched: the file is exactly the old one.
    srv.set("/feed.xml", Route::ok(with_new_item(&night_sky())));
    srv.set(
        "/b.xml",
        Route {
            delay: Duration::from_secs(30),
            ..Route::ok(renamed(&with_new_item(&night_sky()), "Day Sky Notes"))
        },
    );
    let seen = srv.arrived("/b.xml");
    let mut child = env
        .std_cmd(&with_index(&["update", "--quiet"]))
        .spawn()
        .expect("update starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    while srv.arrived("/b.xml") == seen {
        assert!(Instant::now() < deadline, "update never fetched b");
        assert!(
            child.try_wait().expect("wait").is_none(),
            "update ended early"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    let now = std::fs::read(env.path().join("idx/sources.json")).expect("sources file");
    assert_eq!(old, now, "a killed update changed the sources file");

    // Killed at assorted moments of a run that does write: old or new, never torn.
    srv.set(
        "/b.xml",
        Route::ok(renamed(&with_new_item(&night_sky()), "Day Sky Notes")),
    );
    for pause_ms in [0, 5, 20, 50, 100, 200, 400] {
        let mut child = env
            .std_cmd(&with_index(&["update", "--quiet", "--wait"]))
            .spawn()
            .expect("update starts");
        std::thread::sleep(Duration::from_millis(pause_ms));
        let _ = child.kill();
        child.wait().expect("reaped");
        let file = sources_file(&env);
        assert_eq!(file["sources"].as_array().map(Vec::len), Some(2), "{file}");
    }
    let doc = json(&env, &["update"], 0);
    assert_eq!(doc["sources"].as_array().map(Vec::len), Some(2));
    let list = json(&env, &["sources"], 0);
    assert_eq!(list["sources"][0]["episodes"], 5, "{list}");
    assert_eq!(list["sources"][1]["episodes"], 5, "{list}");
}

/// An index rebuilt since the last update lost the feed's episodes: the next update fetches the
/// feed in full instead of trusting a 304.
#[test]
fn update_after_a_rebuild_fetches_in_full() {
    let env = Env::new();
    let srv = server();
    json(&env, &["add", &srv.url("/feed.xml")], 0);
    env.copy_seeds();
    json(&env, &["index", "notes", "--rebuild"], 0);
    json(&env, &["search", "Perseids"], 1);
    srv.clear_log();
    let doc = json(&env, &["update"], 0);
    assert_eq!(entry(&doc, "Night Sky Notes")["added"], 4, "{doc}");
    assert_eq!(srv.requests("/feed.xml")[0].status, 200);
    assert!(
        !srv.requests("/feed.xml")[0]
            .headers
            .contains_key("if-none-match")
    );
    json(&env, &["search", "Perseids"], 0);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

/// Regression: a run killed after writing a delete file (`SEGMENT.OPSTAMP.del`) but before its
/// commit left that file behind, and the next run, doing the same deletes at the same opstamp,
/// failed with "FileAlreadyExists". Built here without a kill: the leftover is the file a
/// completed twin run wrote, registered as tantivy registers the files it writes.
#[test]
fn a_leftover_delete_file_from_a_killed_run_does_not_block_the_next() {
    let env = Env::new();
    let notes = env.copy_seeds();
    let base = env.path().join("base");
    let twin = env.path().join("twin");
    env.cmd(&["index", "-q", "notes", "--index", "base"])
        .assert()
        .success();
    let seed = notes.join("002_23fa507392eb8d30.txt");
    let text = std::fs::read_to_string(&seed).expect("seed");
    std::fs::write(
        &seed,
        text.replace(
            "Episode 14: Integration Events",
            "Episode 14: Integration Eventz",
        ),
    )
    .expect("write");
    copy_dir(&base, &twin);
    env.cmd(&["index", "-q", "notes", "--index", "twin"])
        .assert()
        .success();
    let names = |d: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(d)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect()
    };
    let before = names(&base);
    let dels: Vec<String> = names(&twin)
        .into_iter()
        .filter(|n| n.ends_with(".del") && !before.contains(n))
        .collect();
    assert!(!dels.is_empty(), "the update wrote no delete file");
    let managed_path = base.join(".managed.json");
    let mut managed: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&managed_path).expect("managed"))
            .expect("managed json");
    for d in &dels {
        std::fs::copy(twin.join(d), base.join(d)).expect("copy leftover");
        managed.push(d.clone());
    }
    std::fs::write(
        &managed_path,
        serde_json::to_string(&managed).expect("json"),
    )
    .expect("write");
    let (code, out, err) = env.run(&["index", "notes", "--index", "base", "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(doc["updated"], 1, "{doc}");
    let eps = |idx: &str| env.json(&["episodes", "--index", idx], 0);
    assert_eq!(eps("base"), eps("twin"));
}

/// A chapters file that cannot be fetched is a warning (the description's chapters stay), and
/// the next update retries it even though the feed itself did not change.
#[test]
fn a_failed_chapters_file_is_a_warning_and_retried() {
    let env = Env::new();
    let srv = server();
    srv.set("/chapters/nsn-005.chapters.json", Route::status(500));
    let (code, out, err) = run(&env, &["add", &srv.url("/feed.xml")]);
    assert_eq!(code, 0, "{out}{err}");
    let chapters_url = srv.url("/chapters/nsn-005.chapters.json");
    assert!(
        err.contains(&format!("chapters file {chapters_url} not used (HTTP 500")),
        "{err}"
    );
    let show = json(&env, &["show", "5", "--podcast", "Night Sky Notes"], 0);
    let titles: Vec<&str> = show["chapters"]
        .as_array()
        .expect("chapters")
        .iter()
        .filter_map(|c| c["title"].as_str())
        .collect();
    assert_eq!(titles, ["Intro", "Radiants explained"], "{show}");

    let chapters = std::fs::read(fixtures().join("feeds/chapters/nsn-005.chapters.json"))
        .expect("fixture chapters");
    srv.set("/chapters/nsn-005.chapters.json", Route::ok(chapters));
    srv.clear_log();
    let doc = json(&env, &["update"], 0);
    assert_eq!(entry(&doc, "Night Sky Notes")["updated"], 1, "{doc}");
    let feed = srv.requests("/feed.xml");
    assert_eq!(feed[0].status, 200, "{feed:?}");
    let show = json(&env, &["show", "5", "--podcast", "Night Sky Notes"], 0);
    assert!(
        show["chapters"].as_array().expect("chapters").len() > 2,
        "{show}"
    );
    // Complete now: the next update is a 304 again.
    srv.clear_log();
    json(&env, &["update"], 0);
    assert_eq!(srv.requests("/feed.xml")[0].status, 304);
}
