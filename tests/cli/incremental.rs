//! Unchanged files are skipped by their hash, without being parsed again; changed files,
//! other settings and `--rebuild` still parse.

use crate::util::Env;

/// A file with one episode that has no title line: parsing it always warns.
const WARNS: &str = "A talk about the wombat allocator without any title line.\n(00:00:00) Wombat intro\n(00:05:00) Arena tour\n";
const PLAIN: &str =
    "Episode 1: Platypus\nAbout platypus internals.\n(00:00:00) Intro\n(00:03:00) Platypus eggs\n";

fn warnings(v: &serde_json::Value) -> usize {
    v["warnings"].as_array().map_or(0, Vec::len)
}

#[test]
fn an_unchanged_file_is_not_parsed_again_and_its_episodes_stay() {
    let env = Env::new();
    env.write("notes/a.txt", WARNS);
    env.write("notes/b.txt", PLAIN);
    let v = env.json(&["index", "notes"], 0);
    assert_eq!(
        (v["added"].as_u64(), v["episodes"].as_u64()),
        (Some(2), Some(2))
    );
    assert!(
        warnings(&v) > 0,
        "the untitled episode warns when parsed: {v}"
    );

    // Nothing changed: neither file is parsed (so no warning), both episodes count as unchanged.
    let v = env.json(&["index", "notes"], 0);
    assert_eq!(v["unchanged"], 2, "{v}");
    assert_eq!(
        (v["added"].as_u64(), v["removed"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(warnings(&v), 0, "a skipped file is not parsed: {v}");
    assert_eq!(v["chapters"], 4);
    env.json(&["search", "wombat"], 0);

    // One file changes: it alone is parsed; the other's episode stays and is found.
    env.write("notes/b.txt", &PLAIN.replace("eggs", "quokka"));
    let v = env.json(&["index", "notes"], 0);
    assert_eq!(
        (v["updated"].as_u64(), v["unchanged"].as_u64()),
        (Some(1), Some(1)),
        "{v}"
    );
    assert_eq!(warnings(&v), 0, "{v}");
    env.json(&["search", "quokka"], 0);
    env.json(&["search", "wombat"], 0);

    // Other settings give another hash: the file is read again.
    let v = env.json(&["index", "notes", "--podcast", "Zoo"], 0);
    assert!(warnings(&v) > 0, "{v}");
    assert_eq!(v["added"], 2, "{v}");

    // --rebuild parses everything.
    let v = env.json(&["index", "notes", "--podcast", "Zoo", "--rebuild"], 0);
    assert!(warnings(&v) > 0, "{v}");
    assert_eq!(v["episodes"], 2);
}
