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
    let both = env.json(&["search", "garbage collection", "--limit", "100"], 0);
    for h in both["hits"].as_array().into_iter().flatten() {
        let text = format!(
            "{} {} {} {}",
            h["chapter_title"], h["section"], h["episode_title"], h["snippet"]
        )
        .to_lowercase();
        assert!(
            text.contains("garbage") && text.contains("collection"),
            "{h}"
        );
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
