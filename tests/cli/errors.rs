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
fn index_of_schema_version_4_is_read_and_updated() {
    let env = Env::new();
    let notes = env.copy_seeds();
    let notes = notes.to_str().expect("utf-8 path");
    env.cmd(&["index", notes, "-q"]).assert().success();
    let query = ["search", "section:\"garbage collection\"", "--limit", "50"];
    let before = env.json(&query, 0);
    assert!(before["total"].as_u64().is_some_and(|n| n > 1), "{before}");
    // What version 4 wrote: the same schema but for the section analyzer's name.
    let meta = env.path().join("index/meta.json");
    let text = std::fs::read_to_string(&meta).expect("meta");
    let current = format!("podseek_schema\\\":{}", podseek::index::SCHEMA_VERSION);
    let old = text
        .replace(&current, "podseek_schema\\\":4")
        .replace("\"podseek_code_repeated\"", "\"podseek_code\"");
    assert_eq!(old.matches("\"podseek_code\"").count(), 4, "{old}");
    std::fs::write(&meta, old).expect("write");
    assert_eq!(env.json(&query, 0), before);
    // Updating it re-reads the files (their hashes include the version) and changes nothing.
    let v = env.json(&["index", notes], 0);
    assert_eq!(
        (v["added"].as_u64(), v["updated"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(env.json(&query, 0), before);
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
