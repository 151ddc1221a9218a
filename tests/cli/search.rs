//! `podseek search` on the bundled core.py notes.

use crate::util::Env;
use serde_json::Value;

fn top(env: &Env, query: &str) -> Value {
    let v = env.json(&["search", query], 0);
    v["hits"][0].clone()
}

#[test]
fn top_hits_name_the_right_episode_and_time() {
    let env = Env::new();
    // (query, episode, start seconds, chapter title) read off the seed files.
    let cases = [
        (
            "PyGC_Head",
            21,
            515,
            "Solving reference cycles through PyGC_Head",
        ),
        ("uvloop", 19, 3600 + 19 * 60 + 21, "uvloop"),
        (
            "memoization",
            8,
            47 * 60 + 32,
            "Memoization in the PEG parser",
        ),
    ];
    for (q, ep, start, title) in cases {
        let hit = top(&env, q);
        assert_eq!(hit["episode"], ep, "{q}: {hit}");
        assert_eq!(hit["start_seconds"], start, "{q}: {hit}");
        assert_eq!(hit["chapter_title"], title, "{q}: {hit}");
        assert_eq!(hit["podcast"], "core.py");
    }
}

#[test]
fn json_hit_has_the_contract_shape() {
    let env = Env::new();
    let v = env.json(&["search", "PyGC_Head"], 0);
    assert_eq!(v["query"], "PyGC_Head");
    assert_eq!(v["total"], 1);
    let hit = &v["hits"][0];
    for key in [
        "rank",
        "score",
        "podcast",
        "episode",
        "episode_title",
        "date",
        "chapter_title",
        "section",
        "start_seconds",
        "end_seconds",
        "start",
        "link",
        "snippet",
    ] {
        assert!(hit.get(key).is_some(), "missing {key} in {hit}");
    }
    assert_eq!(hit["rank"], 1);
    assert_eq!(hit["episode_title"], "A Garbage Episode");
    assert_eq!(hit["section"], "PART 1: GARBAGE COLLECTION");
    assert_eq!(hit["end_seconds"], 705);
    assert_eq!(hit["start"], "00:08:35");
    assert_eq!(hit["link"], Value::Null);
    assert!(
        hit["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("PyGC_Head"))
    );
}

#[test]
fn all_words_are_required_and_or_not_phrases_work() {
    let env = Env::new();
    // (No synonyms for these words: every hit has both, or a form of them.)
    let both = env.json(&["search", "syntax highlighting", "--limit", "100"], 0);
    assert!(both["total"].as_u64().unwrap_or(0) >= 2, "{both}");
    for h in both["hits"].as_array().into_iter().flatten() {
        let text = format!(
            "{} {} {} {}",
            h["chapter_title"], h["section"], h["episode_title"], h["snippet"]
        )
        .to_lowercase();
        assert!(text.contains("syntax") && text.contains("highlight"), "{h}");
    }
    let or = env.json(&["search", "uvloop OR memoization"], 0);
    assert_eq!(or["total"], 3, "{or}");
    let not = env.json(&["search", "memoization -parser"], 1);
    assert_eq!(not["total"], 0, "{not}");
    let phrase = env.json(&["search", "\"reference cycles\""], 0);
    assert!(phrase["total"].as_u64().unwrap_or(0) >= 2, "{phrase}");
    let wrong_order = env.json(&["search", "\"cycles reference\""], 1);
    assert_eq!(wrong_order["total"], 0);
}

#[test]
fn stray_syntax_still_searches() {
    let env = Env::new();
    for q in ["\"uvloop", "uvloop:", "(uvloop", "uvloop)"] {
        let v = env.json(&["search", q], 0);
        assert_eq!(v["hits"][0]["episode"], 19, "{q}: {v}");
    }
}

#[test]
fn description_match_is_one_episode_level_hit() {
    let env = Env::new();
    // "velociraptors" is only in episode 19's title and "barrier" only in its description.
    let v = env.json(&["search", "barrier"], 0);
    assert_eq!(v["total"], 1, "{v}");
    let hit = &v["hits"][0];
    assert_eq!(hit["episode"], 19);
    assert_eq!(hit["chapter_title"], Value::Null);
    assert_eq!(hit["start_seconds"], 0);
    assert_eq!(hit["start"], "00:00:00");
    assert!(
        hit["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("barrier"))
    );
}

#[test]
fn episode_without_chapters_is_found_as_a_whole() {
    let env = Env::new();
    let v = env.json(&["search", "interning"], 0);
    let hit = &v["hits"][0];
    assert_eq!(hit["episode"], 12, "{v}");
    assert_eq!(hit["chapter_title"], Value::Null);
    assert_eq!(hit["start_seconds"], 0);
}

#[test]
fn ascii_folding_finds_accented_names() {
    let env = Env::new();
    let v = env.json(&["search", "lukasz", "--limit", "50"], 0);
    let titles: Vec<&str> = v["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["chapter_title"].as_str())
        .collect();
    assert!(titles.contains(&"Łukasz's pet peeve"), "{titles:?}");
    let v = env.json(&["search", "chrzaszcz"], 0);
    assert_eq!(v["hits"][0]["chapter_title"], "Chrząszcz");
}

#[test]
fn filters_by_episode_and_podcast() {
    let env = Env::new();
    let v = env.json(&["search", "OUTRO", "--episode", "21"], 0);
    assert_eq!(v["total"], 1, "{v}");
    assert_eq!(v["hits"][0]["start"], "01:54:49");
    let v = env.json(
        &["search", "OUTRO", "--podcast", "CORE.PY", "--limit", "100"],
        0,
    );
    assert_eq!(v["total"], 11, "{v}");
    let v = env.json(&["search", "OUTRO", "--podcast", "other"], 1);
    assert_eq!(v["total"], 0);
}

#[test]
fn by_episode_groups_hits_best_episode_first() {
    let env = Env::new();
    let v = env.json(&["search", "reference counting", "--by-episode"], 0);
    let eps = v["episodes"].as_array().expect("episodes");
    assert!(eps.len() >= 2, "{v}");
    let first = &eps[0];
    assert!(first["episode"] == 18 || first["episode"] == 21, "{v}");
    for key in ["podcast", "episode", "episode_title", "score", "hits"] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    let scores: Vec<f64> = eps.iter().filter_map(|e| e["score"].as_f64()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let plain = env.json(&["search", "reference counting"], 0);
    assert_eq!(v["total"], plain["total"]);
    for e in eps {
        for h in e["hits"].as_array().into_iter().flatten() {
            assert_eq!(h["episode"], e["episode"]);
        }
    }
}

/// Hundreds of chapters tie with the last hit of `--by-episode`'s window; an episode with two
/// of them, written last (so its documents sit after the others'), still ranks first, on any
/// build of the notes.
#[test]
fn by_episode_counts_every_hit_tied_at_its_windows_end() {
    let env = Env::new();
    let mut notes = String::new();
    for n in 1..=450 {
        notes.push_str(&format!(
            "Episode {n}: Show {n}\n(00:00:00) Allocator notes\n(00:05:00) Intermission\n\n"
        ));
    }
    notes.push_str(
        "Episode 451: Show 451\n(00:00:00) Allocator notes\n(00:09:00) Allocator notes\n",
    );
    let file = env.write("ties/notes.txt", &notes);
    env.json(&["index", file.to_str().expect("utf-8 path")], 0);
    let v = env.json(
        &["search", "allocator notes", "--by-episode", "--limit", "3"],
        0,
    );
    let eps = v["episodes"].as_array().expect("episodes");
    assert_eq!(eps[0]["episode"], 451, "{v}");
    assert_eq!(eps[0]["hits"].as_array().map(Vec::len), Some(2), "{v}");
    // The rest are episodes of one tied chapter each.
    assert_eq!(eps.len(), 3, "{v}");
    assert!(eps[1]["score"] == eps[2]["score"], "{v}");
}

#[test]
fn nothing_found_exits_1_with_output() {
    let env = Env::new();
    let v = env.json(&["search", "xylophone"], 1);
    assert_eq!(v["total"], 0);
    assert_eq!(v["hits"], serde_json::json!([]));
    let (code, out, _) = env.run(&["search", "xylophone"]);
    assert_eq!(code, 1);
    assert!(out.contains("no matches"), "{out}");
}

#[test]
fn human_output_is_aligned_and_plain_when_piped() {
    let env = Env::new();
    let (code, out, _) = env.run(&["search", "PyGC_Head"]);
    assert_eq!(code, 0);
    assert!(out.contains("00:08:35–00:11:45"), "{out}");
    assert!(out.contains("#21 A Garbage Episode"), "{out}");
    assert!(
        out.contains("PART 1: GARBAGE COLLECTION › Solving reference cycles through PyGC_Head"),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "colour in piped output: {out:?}");
    let colored = env
        .cmd(&["search", "PyGC_Head", "--color", "always"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&colored.stdout).contains("\x1b["));
    let quiet = env
        .cmd(&["search", "PyGC_Head", "-q"])
        .output()
        .expect("runs");
    assert!(quiet.status.success());
    assert!(quiet.stdout.is_empty());
}

#[test]
fn search_in_an_empty_folder_builds_the_bundled_index() {
    let env = Env::new();
    let (code, out, err) = env.run(&["search", "garbage collection"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("bundled core.py"), "{err}");
    assert!(out.contains("A Garbage Episode"), "{out}");
    assert!(env.path().join("index").join("meta.json").is_file());
    // The second run uses the index it built and says nothing on stderr.
    let (code, _, err) = env.run(&["search", "garbage collection"]);
    assert_eq!(code, 0);
    assert!(err.is_empty(), "{err}");
}

#[test]
fn index_location_precedence_flag_then_env_then_default() {
    let env = Env::new();
    let by_env = env.path().join("from-env");
    let by_flag = env.path().join("from-flag");
    let out = env
        .cmd(&["search", "uvloop", "-q"])
        .env("PODSEEK_INDEX", &by_env)
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(by_env.join("meta.json").is_file());
    let out = env
        .cmd(&["search", "uvloop", "-q", "--index"])
        .arg(&by_flag)
        .env("PODSEEK_INDEX", &by_env)
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(by_flag.join("meta.json").is_file());
    assert!(!env.path().join("index").exists());
}

/// An index in `env` of these show notes (one podcast, `Episode 1`), built through the binary.
fn notes(env: &Env, chapters: &[&str]) {
    let mut text = String::from("Episode 1: Down Under\nWe talk about Australia.\n");
    for (i, c) in chapters.iter().enumerate() {
        text.push_str(&format!("(00:{:02}:00) {c}\n", i));
    }
    env.write("notes/one.txt", &text);
    env.cmd(&["index", "notes", "-q"]).assert().success();
}

fn titles(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| {
            h["chapter_title"]
                .as_str()
                .unwrap_or("[episode]")
                .to_string()
        })
        .collect()
}

/// The highlighted parts of a hit's snippet.
fn marked(hit: &Value) -> Vec<String> {
    let snippet = hit["snippet"].as_str().unwrap_or("");
    hit["highlights"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let (a, b) = (r[0].as_u64()? as usize, r[1].as_u64()? as usize);
            snippet.get(a..b).map(str::to_string)
        })
        .collect()
}

#[test]
fn identifiers_match_whole_and_in_parts() {
    let env = Env::new();
    for (q, title) in [
        ("remote_exec", "sys.remote_exec()"),
        ("sys.remote_exec()", "sys.remote_exec()"),
        ("int64", "PyLong_FromInt64"),
        ("from int64", "PyLong_FromInt64"),
        ("getrefcount", "sys.getrefcount()"),
        ("PEP 768", "PEP 768 and 758 landed"),
        ("PEP768", "PEP 768 and 758 landed"),
        ("pep-768", "PEP 768 and 758 landed"),
        ("filterfalse", "fnmatch.filterfalse()"),
    ] {
        let v = env.json(&["search", q], 0);
        assert_eq!(v["hits"][0]["chapter_title"], title, "{q}: {v}");
    }
    let v = env.json(&["search", "int64"], 0);
    assert_eq!(marked(&v["hits"][0]), ["Int64"], "{v}");
    // Versions stay whole: 3.14 is not 3.13, and 3 alone does not find 3.14.
    let v = env.json(&["search", "3.14", "--limit", "100"], 0);
    assert!(titles(&v).iter().all(|t| !t.contains("3.13")), "{v}");
    assert!(
        v["hits"][0]["episode_title"]
            .as_str()
            .is_some_and(|t| t.contains("3.14"))
    );
}

#[test]
fn typos_match_below_exact_words_and_are_highlighted() {
    let env = Env::new();
    let v = env.json(&["search", "memoisation"], 0);
    assert_eq!(
        v["hits"][0]["chapter_title"], "Memoization in the PEG parser",
        "{v}"
    );
    assert_eq!(marked(&v["hits"][0]), ["Memoization"]);
    let v = env.json(&["search", "uvlop"], 0);
    assert_eq!(v["hits"][0]["chapter_title"], "uvloop", "{v}");

    let env = Env::new();
    notes(
        &env,
        &["Combat training", "Wumbat walks", "Wombat facts", "Numbat"],
    );
    let v = env.json(&["search", "wombat"], 0);
    // The first letter must be right: `combat` is not a typo of `wombat` here.
    assert_eq!(titles(&v), ["Wombat facts", "Wumbat walks"], "{v}");
    assert_eq!(marked(&v["hits"][1]), ["Wumbat"]);
    // Short words and numbers get no typos.
    env.json(&["search", "numbit"], 0);
    env.json(&["search", "nmbt"], 1);
}

#[test]
fn stems_and_prefixes_rank_below_the_exact_word() {
    let env = Env::new();
    notes(
        &env,
        &[
            "Collections module",
            "Collection tricks",
            "Asyncio deep dive",
            "Async basics",
        ],
    );
    let v = env.json(&["search", "collection"], 0);
    assert_eq!(
        titles(&v),
        ["Collection tricks", "Collections module"],
        "{v}"
    );
    assert_eq!(marked(&v["hits"][1]), ["Collections"]);
    // The last word is also a prefix, below whole words; with a space after it, it is not.
    let v = env.json(&["search", "async"], 0);
    assert_eq!(titles(&v), ["Async basics", "Asyncio deep dive"], "{v}");
    let v = env.json(&["search", "async "], 0);
    assert_eq!(titles(&v), ["Async basics"], "{v}");
    let v = env.json(&["search", "wom"], 1);
    assert_eq!(v["total"], 0);
    let v = Env::new().json(&["search", "uvl"], 0);
    assert_eq!(v["hits"][0]["chapter_title"], "uvloop", "{v}");
}

#[test]
fn a_stem_that_is_a_word_itself_matches_below_the_exact_word() {
    let env = Env::new();
    notes(
        &env,
        &["Collect early", "Collections module", "Recollection"],
    );
    // The stemmed copy holds only words stemming changed; `collect` itself is in the exact copy.
    let v = env.json(&["search", "collections"], 0);
    assert_eq!(titles(&v), ["Collections module", "Collect early"], "{v}");
    assert_eq!(marked(&v["hits"][1]), ["Collect"]);
}

#[test]
fn words_many_documents_have_are_taken_as_typed() {
    use podseek::model::format_hms;
    let env = Env::new();
    let mut text = String::from("Episode 1: Down Under\nWe talk about Australia.\n");
    for i in 0..200 {
        text.push_str(&format!("({}) Wombat facts {i}\n", format_hms(i * 60)));
    }
    for (i, t) in ["Combat training", "Wombats burrowing", "Wombatology"]
        .iter()
        .enumerate()
    {
        text.push_str(&format!("({}) {t}\n", format_hms((200 + i as u64) * 60)));
    }
    env.write("notes/one.txt", &text);
    env.cmd(&["index", "notes", "-q"]).assert().success();
    // 200 chapters have `wombat`: no typo (`combat`) or prefix (`wombatology`) matches for it,
    // while its stem still finds `wombats`.
    let v = env.json(&["search", "wombat", "--limit", "1000"], 0);
    let t = titles(&v);
    assert_eq!(v["total"], 201, "{t:?}");
    assert!(t.contains(&"Wombats burrowing".to_string()), "{t:?}");
    // A word fewer documents have still gets both.
    let v = env.json(&["search", "wombatol"], 0);
    assert_eq!(titles(&v), ["Wombatology"], "{v}");
    let v = env.json(&["search", "wombet", "--limit", "1000"], 0);
    // `wombet` is one typo from `wombat`, whose stem also finds `wombats`.
    assert_eq!(v["total"], 201, "{v}");
    assert!(!titles(&v).contains(&"Combat training".to_string()), "{v}");
}

#[test]
fn synonyms_work_both_ways_and_are_highlighted() {
    let env = Env::new();
    let v = env.json(&["search", "GC", "--limit", "5"], 0);
    let t = titles(&v);
    assert!(
        t.contains(&"PART 1: GARBAGE COLLECTION".to_string()),
        "{t:?}"
    );
    assert!(t.contains(&"GC in free threading".to_string()), "{t:?}");
    let part = v["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|h| h["chapter_title"] == "PART 1: GARBAGE COLLECTION");
    assert_eq!(
        part.map(marked),
        Some(vec!["GARBAGE".to_string(), "COLLECTION".to_string()])
    );
    let v = env.json(&["search", "garbage collection", "--limit", "100"], 0);
    assert!(
        titles(&v).contains(&"Incremental GC is now actually in".to_string()),
        "{v}"
    );
    let v = env.json(&["search", "global interpreter lock"], 0);
    let gil = v["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|h| h["episode"] == 9)
        .cloned()
        .unwrap_or_default();
    assert_eq!(marked(&gil), ["GIL"], "{v}");
    let v = env.json(&["search", "GIL"], 0);
    assert!(
        v["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|h| h["episode"] == 13),
        "{v}"
    );
    let v = env.json(&["search", "nogil", "--limit", "100"], 0);
    assert!(v["total"].as_u64().unwrap_or(0) >= 10, "{v}");
    let v = env.json(&["search", "refcount", "--limit", "100"], 0);
    assert!(
        titles(&v).contains(&"Avoiding reference counting".to_string()),
        "{v}"
    );
}

#[test]
fn user_synonyms_from_a_file_and_from_podcast_toml() {
    let env = Env::new();
    notes(&env, &["Wombat facts", "Numbat"]);
    env.json(&["search", "marsupial"], 1);
    env.write("syn.txt", "# mine\nmarsupial, wombat, pouched mammal\n");
    let v = env.json(&["search", "marsupial", "--synonyms", "syn.txt"], 0);
    assert_eq!(titles(&v), ["Wombat facts"], "{v}");
    let v = env.json(&["search", "pouched mammal", "--synonyms", "syn.txt"], 0);
    assert_eq!(titles(&v), ["Wombat facts"], "{v}");
    env.write("bad.txt", "marsupial, wombat\n\nlonely\n");
    let (code, _, err) = env.run(&["search", "x", "--synonyms", "bad.txt"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.txt:3:") && err.contains("one term"),
        "{err}"
    );
    let (code, _, err) = env.run(&["search", "x", "--synonyms", "missing.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.txt"), "{err}");

    // In podcast.toml: stored in the index at `index` time, replaced when the file changes.
    env.write(
        "notes/podcast.toml",
        "name = \"Zoo\"\nsynonyms = [\"numbat, banded anteater\"]\n",
    );
    env.cmd(&["index", "notes", "-q"]).assert().success();
    let v = env.json(&["search", "banded anteater"], 0);
    assert_eq!(titles(&v), ["Numbat"], "{v}");
    env.write("notes/zoo.txt", "numbat, termite eater\n");
    env.write(
        "notes/podcast.toml",
        "name = \"Zoo\"\nsynonyms = \"zoo.txt\"\n",
    );
    env.cmd(&["index", "notes", "-q"]).assert().success();
    env.json(&["search", "banded anteater"], 1);
    env.json(&["search", "termite eater"], 0);
    env.write(
        "notes/podcast.toml",
        "name = \"Zoo\"\nsynonyms = [\"numbat\"]\n",
    );
    let (code, _, err) = env.run(&["index", "notes"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("podcast.toml") && err.contains("synonyms[0]"),
        "{err}"
    );
}

#[test]
fn a_part_and_its_chapters_come_before_other_mentions() {
    let env = Env::new();
    let v = env.json(&["search", "garbage collection", "--limit", "8"], 0);
    let hits = v["hits"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        hits[0]["chapter_title"], "PART 1: GARBAGE COLLECTION",
        "{v}"
    );
    for h in &hits {
        assert_eq!(h["episode"], 21, "{h}");
        assert!(
            h["section"] == "PART 1: GARBAGE COLLECTION"
                || h["chapter_title"] == "PART 1: GARBAGE COLLECTION",
            "{h}"
        );
    }
}

#[test]
fn highlights_are_coloured_only_when_asked() {
    let env = Env::new();
    let (_, out, _) = env.run(&["search", "PyGC_Head", "--color", "always"]);
    assert!(out.contains("\x1b[1;33mPyGC_Head\x1b[0m"), "{out:?}");
    let out = env
        .cmd(&["search", "PyGC_Head", "--color", "auto"])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
    let v = env.json(&["search", "PyGC_Head"], 0);
    assert_eq!(marked(&v["hits"][0]), ["PyGC_Head"]);
    assert_eq!(v["hits"][0]["matched_field"], "chapter_title");
    // A description match gives a fragment of the description with the word marked.
    let v = env.json(&["search", "barrier"], 0);
    assert_eq!(v["hits"][0]["matched_field"], "description");
    assert_eq!(marked(&v["hits"][0]), ["barrier"]);
}

#[test]
fn questions_drop_the_words_that_match_nothing() {
    let env = Env::new();
    let q = "what did they say about immortal objects";
    let v = env.json(&["search", q], 0);
    assert_eq!(v["hits"][0]["chapter_title"], "Immortal objects", "{v}");
    let dropped: Vec<&str> = v["dropped"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        dropped.contains(&"what") && !dropped.contains(&"immortal"),
        "{dropped:?}"
    );
    let (code, _, err) = env.run(&["search", "xylophone uvloop"]);
    assert_eq!(code, 0);
    assert!(err.contains("searched without \"xylophone\""), "{err}");
    let v = env.json(&["search", "xylophone uvloop"], 0);
    assert_eq!(v["dropped"], serde_json::json!(["xylophone"]));
    assert_eq!(v["hits"][0]["chapter_title"], "uvloop");
    // Nothing is dropped when every word matches, and nothing found drops nothing.
    assert_eq!(
        env.json(&["search", "uvloop"], 0)["dropped"],
        serde_json::json!([])
    );
    assert_eq!(
        env.json(&["search", "xylophone marimba"], 1)["dropped"],
        serde_json::json!([])
    );
    // Excluded words are never dropped.
    env.json(&["search", "memoization -parser"], 1);
}

#[test]
fn a_podcast_name_with_spaces_is_quoted_after_podcast() {
    let env = Env::new();
    env.write("a/notes.txt", "Episode 1: Alpha\n(00:00:00) Hello world\n");
    env.write("b/notes.txt", "Episode 1: Beta\n(00:02:00) Wide world\n");
    for (dir, name) in [("a", "Alpha Show"), ("b", "Beta Show")] {
        env.cmd(&["index", dir, "--podcast", name, "-q"])
            .assert()
            .success();
    }
    assert_eq!(env.json(&["search", "world"], 0)["total"], 2);
    let v = env.json(&["search", "podcast:\"beta show\" world"], 0);
    assert_eq!(v["total"], 1, "{v}");
    assert_eq!(v["hits"][0]["podcast"], "Beta Show", "{v}");
    assert_eq!(v["hits"][0]["start"], "00:02:00", "{v}");
    let v = env.json(&["search", "world -podcast:\"Beta Show\""], 0);
    assert_eq!(v["total"], 1, "{v}");
    assert_eq!(v["hits"][0]["podcast"], "Alpha Show", "{v}");
    // Before, the quoted name was searched as words, which this podcast lacks.
    env.json(&["search", "podcast:\"Gamma Show\" world"], 1);
}

#[test]
fn filters_alone_list_what_they_keep_in_order() {
    let env = Env::new();
    let show = env.json(&["show", "21"], 0);
    let chapters = show["chapters"].as_array().cloned().unwrap_or_default();
    assert!(chapters.len() > 10, "{show}");
    // The episode as a whole, then every chapter in order (it used to find nothing, exit 1).
    let v = env.json(&["search", "episode:21", "--limit", "1000"], 0);
    assert_eq!(v["total"], chapters.len() + 1, "{v}");
    let hits = v["hits"].as_array().cloned().unwrap_or_default();
    assert_eq!(hits[0]["chapter_title"], serde_json::Value::Null, "{v}");
    for (h, c) in hits[1..].iter().zip(&chapters) {
        assert_eq!(h["chapter_title"], c["title"], "{h}");
        assert_eq!(h["start_seconds"], c["start_seconds"], "{h}");
        assert_eq!(h["score"], 0.0, "{h}");
    }
    // Negatives take their matches out: `gc` (a part of PyGC_Head) and `garbage` (the
    // episode's title, the PART 1 section).
    let v = env.json(&["search", "episode:21 -gc -garbage", "--limit", "1000"], 0);
    let kept = v["hits"].as_array().cloned().unwrap_or_default();
    assert!(kept.len() > 5 && kept.len() < hits.len(), "{v}");
    assert!(
        kept.iter().all(|h| h["episode"] == 21
            && h["chapter_title"] != serde_json::Value::Null
            && !h["section"].to_string().contains("GARBAGE")
            && h["chapter_title"] != "Solving reference cycles through PyGC_Head"),
        "{v}"
    );
    // The same filter from the command line.
    assert_eq!(
        env.json(
            &[
                "search",
                "-gc -garbage",
                "--episode",
                "21",
                "--limit",
                "1000"
            ],
            0
        )["total"],
        v["total"]
    );
    // Nothing to select by is still nothing.
    env.json(&["search", "!!! ..."], 1);
    // The listing is in index order, and says so; a ranked search says "best".
    let (code, out, _) = env.run(&["search", "episode:21"]);
    assert_eq!(code, 0);
    assert!(out.contains("matches, first 10 shown"), "{out}");
    let (code, out, _) = env.run(&["search", "episode:21", "--by-episode"]);
    assert_eq!(code, 0);
    assert!(out.contains("30 matches; first 1 episode shown"), "{out}");
    let (code, out, _) = env.run(&["search", "episode:21 collection"]);
    assert_eq!(code, 0);
    assert!(out.contains("matches, best 10 shown"), "{out}");
}

#[test]
fn a_negated_word_takes_its_synonyms_out_too() {
    let env = Env::new();
    // `gc` finds "garbage collection"; `-gc` takes it out (it used to take out only `gc`,
    // leaving the PART 1: GARBAGE COLLECTION chapters and the episode's own hit).
    let v = env.json(&["search", "episode:21 -gc", "--limit", "1000"], 0);
    let kept = v["hits"].as_array().cloned().unwrap_or_default();
    assert!(kept.len() > 5, "{v}");
    for h in &kept {
        let text =
            format!("{} {} {}", h["chapter_title"], h["section"], h["snippet"]).to_lowercase();
        assert!(
            !text.contains("garbage collection") && !text.contains("gc"),
            "{h}"
        );
    }
    // Quoted, a phrase is exact either way: `-"garbage collection"` leaves `gc` alone.
    let v = env.json(
        &["search", "gc -\"garbage collection\"", "--limit", "1000"],
        0,
    );
    assert!(
        v["hits"].as_array().into_iter().flatten().all(|h| {
            let t = format!("{} {}", h["chapter_title"], h["section"]).to_lowercase();
            !t.contains("garbage collection")
        }),
        "{v}"
    );
}

#[test]
fn synonyms_hold_under_or_parentheses_and_fields() {
    let env = Env::new();
    let total = |q: &str| env.json(&["search", q, "--limit", "1000"], 0)["total"].clone();
    let gc = total("gc");
    let uvloop = total("uvloop");
    assert!(gc.as_u64().unwrap_or(0) > 10, "{gc}");
    // A word inside OR or parentheses finds what it finds alone (`gc OR uvloop` used to find
    // only the hits spelling `gc`, not "garbage collection").
    assert_eq!(
        total("gc OR uvloop").as_u64(),
        Some(gc.as_u64().unwrap_or(0) + uvloop.as_u64().unwrap_or(0))
    );
    assert_eq!(total("uvloop OR gc"), total("gc OR uvloop"));
    assert_eq!(total("(gc)"), gc);
    // Under a field prefix, the synonyms are looked for in that field.
    let v = env.json(&["search", "title:gc", "--limit", "1000"], 0);
    assert!(
        titles(&v).contains(&"PART 1: GARBAGE COLLECTION".to_string()),
        "{v}"
    );
}

#[test]
fn field_prefixes_filter_and_unknown_ones_are_words() {
    let env = Env::new();
    let v = env.json(&["search", "episode:21 OUTRO"], 0);
    assert_eq!(v["total"], 1, "{v}");
    let v = env.json(&["search", "podcast:core.py uvloop"], 0);
    assert_eq!(v["total"], 1, "{v}");
    env.json(&["search", "podcast:other uvloop"], 1);
    // Negated filters exclude (they used to be applied as plain filters).
    env.json(&["search", "uvloop -podcast:core.py"], 1);
    assert_eq!(
        env.json(&["search", "uvloop -podcast:other"], 0)["total"],
        1
    );
    let all = env.json(&["search", "OUTRO", "--limit", "100"], 0);
    let v = env.json(&["search", "OUTRO -episode:21", "--limit", "100"], 0);
    assert_eq!(v["total"], all["total"].as_u64().unwrap_or(0) - 1, "{v}");
    assert!(
        v["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|h| h["episode"] != 21),
        "{v}"
    );
    let v = env.json(&["search", "title:parser", "--limit", "100"], 0);
    for h in v["hits"].as_array().into_iter().flatten() {
        let text = format!("{} {}", h["chapter_title"], h["episode_title"]).to_lowercase();
        assert!(text.contains("parser"), "{h}");
    }
    let v = env.json(&["search", "section:garbage refcounting"], 0);
    assert_eq!(
        v["hits"][0]["chapter_title"], "The big problem with refcounting",
        "{v}"
    );
    for q in [
        "foo:uvloop",
        "uvloop AND",
        "OR uvloop",
        "uvloop ((",
        "\"uvloop\" -",
        "NOT NOT uvloop",
    ] {
        let v = env.json(&["search", q], 0);
        assert_eq!(v["hits"][0]["chapter_title"], "uvloop", "{q}: {v}");
    }
    let v = env.json(&["search", "title:\"new parser\""], 0);
    assert_eq!(v["hits"][0]["episode"], 8, "{v}");
}

#[test]
fn which_episode_questions_rank_episodes() {
    let env = Env::new();
    let v = env.json(
        &[
            "search",
            "which episode is about the new parser",
            "--by-episode",
        ],
        0,
    );
    assert_eq!(v["episodes"][0]["episode"], 8, "{v}");
    let v = env.json(&["search", "the old parser", "--by-episode"], 0);
    let eps: Vec<&Value> = v["episodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| &e["episode"])
        .collect();
    assert!(eps.iter().take(2).any(|e| **e == 7), "{eps:?}");
    // An episode found only by its description counts as a whole.
    let v = env.json(&["search", "interning", "--by-episode"], 0);
    assert_eq!(v["episodes"][0]["episode"], 12, "{v}");
    assert_eq!(v["episodes"][0]["hits"][0]["chapter_title"], Value::Null);
}
