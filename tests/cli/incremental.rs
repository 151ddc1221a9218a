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

/// Notes of episodes `from..to`, each with chapters whose titles name their episode and place.
fn numbered(from: u32, to: u32, edited: Option<u32>) -> String {
    let mut text = String::new();
    for n in from..to {
        text.push_str(&format!("Episode {n}: Show {n}\nAbout show {n}.\n"));
        for c in 0..(3 + n % 4) {
            let extra = if edited == Some(n) && c == 1 {
                " revised"
            } else {
                ""
            };
            text.push_str(&format!("(00:{c:02}:00) Chapter e{n}c{c}{extra}\n"));
        }
    }
    text
}

#[test]
fn chapter_hits_name_their_own_episode_after_updates_and_rebuilds() {
    // A chapter hit finds its episode document by position in the segment: check every
    // chapter after a full build (merged), after an update (deletes plus a new segment) and
    // after adding a file.
    let env = Env::new();
    env.write("notes/a.txt", &numbered(1, 9, None));
    env.write("notes/b.txt", &numbered(9, 15, None));
    let check = |to: u32| {
        for n in 1..to {
            for c in 0..(3 + n % 4) {
                let v = env.json(&["search", &format!("e{n}c{c}")], 0);
                let hit = &v["hits"][0];
                assert_eq!(hit["episode"], n, "e{n}c{c}: {v}");
                assert_eq!(hit["episode_title"], format!("Show {n}"), "{v}");
                let title = hit["chapter_title"].as_str().unwrap_or("");
                assert!(title.starts_with(&format!("Chapter e{n}c{c}")), "{v}");
                assert_eq!(hit["start_seconds"], u64::from(c) * 60, "{v}");
            }
        }
    };
    env.cmd(&["index", "notes", "--rebuild", "-q"])
        .assert()
        .success();
    check(15);
    env.write("notes/a.txt", &numbered(1, 9, Some(4)));
    let v = env.json(&["index", "notes"], 0);
    assert_eq!(v["updated"], 1, "{v}");
    check(15);
    env.write("notes/c.txt", &numbered(15, 18, None));
    env.cmd(&["index", "notes", "-q"]).assert().success();
    check(18);
}
