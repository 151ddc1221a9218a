//! Bad input and bad options: a clear one-line error naming the problem, exit 2.

use crate::util::Env;

#[test]
fn missing_file_names_it() {
    let env = Env::new();
    for cmd in ["parse", "index"] {
        let (code, _, err) = env.run(&[cmd, "no-such-notes.txt"]);
        assert_eq!(code, 2, "{cmd}");
        assert!(err.contains("no-such-notes.txt"), "{cmd}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn bad_limit_is_a_usage_error() {
    let env = Env::new();
    let (code, _, err) = env.run(&["search", "x", "--limit", "abc"]);
    assert_eq!(code, 2);
    assert!(err.contains("abc"), "{err}");
    let (code, _, err) = env.run(&["search", "x", "--limit", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("--limit"), "{err}");
}

#[test]
fn limit_beyond_the_cap_is_capped() {
    let env = Env::new();
    let v = env.json(&["search", "OUTRO", "--limit", "1000000000"], 0);
    assert_eq!(v["total"], 11);
}

#[test]
fn empty_and_overlong_queries_are_refused() {
    let env = Env::new();
    let (code, _, err) = env.run(&["search", "  "]);
    assert_eq!(code, 2);
    assert!(err.contains("empty"), "{err}");
    let long = "word ".repeat(podseek::search::MAX_QUERY_BYTES / 5 + 1);
    let (code, _, err) = env.run(&["search", &long]);
    assert_eq!(code, 2);
    assert!(err.contains("limit"), "{err}");
}

#[test]
fn index_of_another_schema_version_asks_for_rebuild() {
    let env = Env::new();
    env.write("a.txt", "Episode 1: One\n(00:00:00) Wombat\n");
    env.cmd(&["index", "a.txt", "-q"]).assert().success();
    env.mark_schema_version_0();
    let (code, _, err) = env.run(&["search", "wombat"]);
    assert_eq!(code, 2);
    assert!(err.contains("podseek index --rebuild"), "{err}");
    let v = env.json(&["index", "a.txt", "--rebuild"], 0);
    assert_eq!(v["added"], 1);
    env.json(&["search", "wombat"], 0);
}

#[test]
fn an_index_written_by_schema_version_4_is_read_and_updated() {
    let env = Env::new();
    // Written by podseek 353afaf (schema 4) from the two seeds: its chapter documents repeat
    // their episode's key, kind, podcast and number, and its sections name the old analyzer.
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/data/index-v4");
    let index = env.path().join("index");
    std::fs::create_dir_all(&index).expect("mkdir");
    for entry in std::fs::read_dir(&data).expect("v4 index") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, index.join(path.file_name().expect("name"))).expect("copy");
    }
    let hits = |v: &serde_json::Value| -> Vec<(u64, String, u64)> {
        let mut out: Vec<_> = v["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| {
                let title = h["chapter_title"].as_str().unwrap_or("").to_string();
                (
                    h["episode"].as_u64().unwrap_or(0),
                    title,
                    h["start_seconds"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        out.sort();
        out
    };
    let query = ["search", "garbage collection", "--limit", "50"];
    let before = env.json(&query, 0);
    assert_eq!(before["total"], 18, "{before}");
    assert_eq!(before["hits"][0]["episode"], 21);
    assert_eq!(
        before["hits"][0]["chapter_title"],
        "PART 1: GARBAGE COLLECTION"
    );

    // Filters and grouping find a chapter's episode by position, also in version 4's layout.
    let filtered = env.json(
        &["search", "reference", "--episode", "21", "--limit", "50"],
        0,
    );
    let total = filtered["total"].clone();
    let filtered = filtered["hits"].as_array().expect("hits").clone();
    assert!(filtered.iter().all(|h| h["episode"] == 21), "{filtered:?}");
    assert!(
        filtered
            .iter()
            .filter(|h| h["chapter_title"].is_string())
            .count()
            >= 3
    );
    let grouped = env.json(&["search", "garbage collection", "--by-episode"], 0);
    assert_eq!(grouped["episodes"][0]["episode"], 21);
    assert!(
        grouped["episodes"][0]["hits"]
            .as_array()
            .expect("hits")
            .len()
            >= 3
    );

    // The same seeds at another path: every episode moves, so each is deleted, its chapters
    // with it, and written again in the new layout. Nothing is lost or left behind.
    let notes = env.copy_seeds();
    let v = env.json(&["index", notes.to_str().expect("utf-8 path")], 0);
    assert_eq!(
        (&v["added"], &v["updated"], &v["unchanged"], &v["removed"]),
        (&0.into(), &0.into(), &15.into(), &0.into()),
        "{v}"
    );
    assert_eq!(
        (&v["episodes"], &v["chapters"]),
        (&15.into(), &308.into()),
        "{v}"
    );
    let after = env.json(&query, 0);
    assert_eq!(after["total"], before["total"]);
    assert_eq!(hits(&after), hits(&before));
    let refiltered = env.json(
        &["search", "reference", "--episode", "21", "--limit", "50"],
        0,
    );
    assert_eq!(refiltered["total"], total);
}

#[test]
fn index_dir_that_is_a_file() {
    let env = Env::new();
    env.write("index", "not a directory");
    let (code, _, err) = env.run(&["search", "x"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a directory"), "{err}");
}

#[test]
fn a_locked_index_is_reported_not_waited_on() {
    let env = Env::new();
    env.write("a.txt", "Episode 1: One\n(00:00:00) Wombat\n");
    env.cmd(&["index", "a.txt", "-q"]).assert().success();
    let index = tantivy::Index::open_in_dir(env.path().join("index")).expect("open");
    let _writer: tantivy::IndexWriter = index.writer(15_000_000).expect("lock");
    let (code, _, err) = env.run(&["index", "a.txt"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("being updated by another podseek process"),
        "{err}"
    );
    // Readers are not blocked by a writer.
    env.json(&["search", "wombat"], 0);
}
