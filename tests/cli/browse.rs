//! `show`, `at` and `episodes` on the bundled notes.

use crate::util::Env;
use serde_json::Value;

#[test]
fn show_prints_the_table_of_contents() {
    let env = Env::new();
    let v = env.json(&["show", "21"], 0);
    assert_eq!(v["number"], 21);
    assert_eq!(v["title"], "A Garbage Episode");
    assert_eq!(v["duration_seconds"], 7054);
    let chapters = v["chapters"].as_array().expect("chapters");
    assert_eq!(chapters.len(), 29);
    assert_eq!(chapters[0]["title"], "THE FUCKING INTRO");
    assert_eq!(chapters[28]["end_seconds"], 7054);
    let (code, out, _) = env.run(&["show", "21"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("00:08:35–00:11:45    Solving reference cycles through PyGC_Head"),
        "{out}"
    );
    assert!(out.contains("29 chapters"), "{out}");
}

#[test]
fn at_names_the_chapter_playing_in_every_time_form() {
    let env = Env::new();
    for t in ["00:10:00", "10:00", "600"] {
        let v = env.json(&["at", "21", t], 0);
        assert_eq!(
            v["title"], "Solving reference cycles through PyGC_Head",
            "{t}"
        );
        assert_eq!(v["start_seconds"], 515);
        assert_eq!(v["end_seconds"], 705);
        assert_eq!(v["section"], "PART 1: GARBAGE COLLECTION");
        assert_eq!(v["episode"], 21);
        assert_eq!(v["podcast"], "core.py");
        assert_eq!(v["episode_title"], "A Garbage Episode");
    }
    let (code, out, _) = env.run(&["at", "21", "00:10:00"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Solving reference cycles through PyGC_Head"),
        "{out}"
    );
}

#[test]
fn at_past_the_end_finds_nothing_and_bad_times_are_errors() {
    let env = Env::new();
    let v = env.json(&["at", "21", "3:00:00"], 1);
    assert_eq!(v["title"], Value::Null);
    let (code, _, err) = env.run(&["at", "21", "99:99:99"]);
    assert_eq!(code, 2);
    assert!(err.contains("99:99:99"), "{err}");
    let (code, _, err) = env.run(&["at", "99", "1:00"]);
    assert_eq!(code, 2);
    assert!(err.contains("no episode 99"), "{err}");
}

#[test]
fn episodes_lists_all_fifteen() {
    let env = Env::new();
    let v = env.json(&["episodes"], 0);
    let eps = v["episodes"].as_array().expect("episodes");
    assert_eq!(eps.len(), 15);
    let total: u64 = eps.iter().filter_map(|e| e["chapters"].as_u64()).sum();
    assert_eq!(total, 308);
    let e14 = eps.iter().find(|e| e["number"] == 14).expect("episode 14");
    assert_eq!(e14["date"], "2024-09-03");
    assert_eq!(e14["duration_seconds"], 5460);
    assert_eq!(e14["chapters"], 35);
    assert_eq!(e14["podcast"], "core.py");
    let (code, out, _) = env.run(&["episodes"]);
    assert_eq!(code, 0);
    assert!(out.contains("15 episodes, 308 chapters"), "{out}");
}

#[test]
fn a_number_two_podcasts_share_is_ambiguous_until_narrowed() {
    let env = Env::new();
    env.write("a/notes.txt", "Episode 1: Alpha\n(00:00:00) Hello\n");
    env.write("b/notes.txt", "Episode 1: Beta\n(00:00:00) World\n");
    env.cmd(&["index", "a", "--podcast", "Alpha Show", "-q"])
        .assert()
        .success();
    env.cmd(&["index", "b", "--podcast", "Beta Show", "-q"])
        .assert()
        .success();
    let (code, _, err) = env.run(&["show", "1"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("ambiguous") && err.contains("Alpha") && err.contains("Beta"),
        "{err}"
    );
    let v = env.json(&["show", "1", "--podcast", "beta show"], 0);
    assert_eq!(v["title"], "Beta");
    let v = env.json(&["at", "1", "0:30", "--podcast", "Alpha Show"], 0);
    assert_eq!(v["title"], "Hello");
}
