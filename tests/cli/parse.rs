//! `podseek parse`: the dry run.

use crate::util::{Env, fixtures};

#[test]
fn parse_json_gives_every_episode_and_warning() {
    let env = Env::new();
    // The two seed files (fixtures/ also holds other show notes).
    let f = fixtures();
    let seeds = ["000_b1a4522b4a17a99e.txt", "002_23fa507392eb8d30.txt"].map(|n| f.join(n));
    let v = env.json(
        &[
            "parse",
            seeds[0].to_str().expect("path"),
            seeds[1].to_str().expect("path"),
        ],
        0,
    );
    let eps = v["episodes"].as_array().expect("episodes");
    assert_eq!(eps.len(), 15);
    let chapters: usize = eps
        .iter()
        .map(|e| e["chapters"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(chapters, 308);
    let first = &eps[0];
    assert_eq!(first["number"], serde_json::Value::Null);
    assert_eq!(first["title"], "Python 3.14 Beta 1 is coming!");
    let w = v["warnings"].as_array().expect("warnings");
    assert!(
        w.iter().any(|w| w["source"]
            .as_str()
            .is_some_and(|s| s.ends_with("000_b1a4522b4a17a99e.txt:1"))),
        "{w:?}"
    );
    assert!(
        !env.path().join("index").exists(),
        "parse must not touch an index"
    );
}

#[test]
fn parse_human_lists_chapters() {
    let env = Env::new();
    let f = fixtures().join("002_23fa507392eb8d30.txt");
    let (code, out, err) = env.run(&["parse", f.to_str().expect("path")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("core.py #14 Integration Events"), "{out}");
    assert!(out.contains("01:29:53–01:31:00    OUTRO"), "{out}");
    assert!(
        out.contains("10 episodes, 181 chapters, 0 warnings"),
        "{out}"
    );
}
