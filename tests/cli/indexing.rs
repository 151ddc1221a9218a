//! `podseek index`: incremental updates, removals, rebuilds, one commit per run.

use crate::util::Env;
use serde_json::Value;

fn counts(v: &Value) -> (u64, u64, u64, u64) {
    let n = |k: &str| v[k].as_u64().unwrap_or(u64::MAX);
    (n("added"), n("updated"), n("unchanged"), n("removed"))
}

#[test]
fn first_run_adds_everything_and_a_rerun_changes_nothing() {
    let env = Env::new();
    let notes = env.copy_seeds();
    let notes = notes.to_str().expect("utf-8 path");
    let v = env.json(&["index", notes, "--podcast", "core.py"], 0);
    assert_eq!(counts(&v), (15, 0, 0, 0), "{v}");
    assert_eq!(v["episodes"], 15);
    assert_eq!(v["chapters"], 308);
    assert!(v["warnings"].as_array().is_some_and(|w| !w.is_empty()));
    let v = env.json(&["index", notes, "--podcast", "core.py"], 0);
    assert_eq!(counts(&v), (0, 0, 15, 0), "{v}");
    assert_eq!(v["chapters"], 308);
}

#[test]
fn an_edited_chapter_title_updates_one_episode() {
    let env = Env::new();
    let notes = env.copy_seeds();
    let n = notes.to_str().expect("utf-8 path");
    env.cmd(&["index", n, "-q"]).assert().success();
    let file = notes.join("000_b1a4522b4a17a99e.txt");
    let text = std::fs::read_to_string(&file).expect("read");
    let edited = text.replace("(01:19:21) uvloop", "(01:19:21) Zeppelinfabrik benchmarks");
    assert_ne!(text, edited);
    std::fs::write(&file, edited).expect("write");
    let v = env.json(&["index", n], 0);
    assert_eq!(counts(&v), (0, 1, 14, 0), "{v}");
    let found = env.json(&["search", "zeppelinfabrik"], 0);
    assert_eq!(found["hits"][0]["episode"], 19);
    assert_eq!(found["hits"][0]["start"], "01:19:21");
    let gone = env.json(&["search", "uvloop"], 1);
    assert_eq!(gone["total"], 0);
}

#[test]
fn episodes_gone_from_a_reread_file_are_removed() {
    let env = Env::new();
    let file = env.write(
        "show.txt",
        "Episode 2: Two\n(00:00:00) Kangaroo\n--------\n1:00\nEpisode 1: One\n(00:00:00) Wombat\n",
    );
    let other = env.write("other.txt", "Episode 9: Nine\n(00:00:00) Platypus\n");
    let f = file.to_str().expect("path");
    let o = other.to_str().expect("path");
    let v = env.json(&["index", f, o], 0);
    assert_eq!(counts(&v), (3, 0, 0, 0), "{v}");
    std::fs::write(
        &file,
        "Episode 2: Two\n(00:00:00) Kangaroo\n--------\n1:00\n",
    )
    .expect("write");
    // Only show.txt is read again: episode 1 goes, episode 9 of other.txt stays.
    let v = env.json(&["index", f], 0);
    assert_eq!(counts(&v), (0, 0, 1, 1), "{v}");
    assert_eq!(v["episodes"], 2);
    env.json(&["search", "wombat"], 1);
    env.json(&["search", "platypus"], 0);
}

#[test]
fn new_episode_at_the_top_adds_one_and_moves_none() {
    let env = Env::new();
    let notes = env.copy_seeds();
    let n = notes.to_str().expect("path");
    env.cmd(&["index", n, "-q"]).assert().success();
    let file = notes.join("002_23fa507392eb8d30.txt");
    let text = std::fs::read_to_string(&file).expect("read");
    let new = text.replacen(
        "Sep 3, 2024 • 1h 31min",
        "Oct 1, 2024 • 1h\nEpisode 15: Brand New\nFresh prose about quokkas.\n## Outline\n(00:00:00) INTRO\n(00:10:00) Quokka internals\n\nSep 3, 2024 • 1h 31min",
        1,
    );
    std::fs::write(&file, new).expect("write");
    let v = env.json(&["index", n], 0);
    assert_eq!(counts(&v), (1, 0, 15, 0), "{v}");
    let hit = env.json(&["search", "quokka internals"], 0);
    assert_eq!(hit["hits"][0]["episode"], 15);
    assert_eq!(hit["hits"][0]["start_seconds"], 600);
    // The moved episodes point at their new lines.
    let show = env.json(&["show", "14"], 0);
    assert!(
        show["source"].as_str().is_some_and(|s| s.ends_with(":18")),
        "{show}"
    );
}

#[test]
fn rebuild_starts_from_empty() {
    let env = Env::new();
    env.write("a.txt", "Episode 1: One\n(00:00:00) Wombat\n");
    env.write("b.txt", "Episode 2: Two\n(00:00:00) Kangaroo\n");
    env.cmd(&["index", "a.txt", "b.txt", "-q"])
        .assert()
        .success();
    let v = env.json(&["index", "a.txt", "--rebuild"], 0);
    assert_eq!(counts(&v), (1, 0, 0, 0), "{v}");
    assert_eq!(v["episodes"], 1);
    env.json(&["search", "kangaroo"], 1);
}

#[test]
fn default_path_is_fixtures_and_human_summary_reads_well() {
    let env = Env::new();
    let notes = env.copy_seeds();
    std::fs::rename(&notes, env.path().join("fixtures")).expect("rename");
    let (code, out, err) = env.run(&["index"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("15 added, 0 updated, 0 unchanged, 0 removed"),
        "{out}"
    );
    assert!(out.contains("15 episodes, 308 chapters"), "{out}");
    assert!(
        err.contains("warning: fixtures/000_b1a4522b4a17a99e.txt:1:"),
        "{err}"
    );
    let (code, out, _) = env.run(&["index", "-q"]);
    assert_eq!(code, 0);
    assert!(out.is_empty());
}

#[test]
fn a_failed_run_leaves_the_index_as_it_was() {
    let env = Env::new();
    env.write("good.txt", "Episode 1: One\n(00:00:00) Wombat\n");
    env.cmd(&["index", "good.txt", "-q"]).assert().success();
    std::fs::write(
        env.path().join("good.txt"),
        "Episode 1: One\n(00:00:00) Echidna\n",
    )
    .expect("write");
    std::fs::write(env.path().join("bad.txt"), b"Episode 2: \xff\xfe\n").expect("write");
    let (code, _, err) = env.run(&["index", "good.txt", "bad.txt"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.txt") && err.contains("offset 11"),
        "{err}"
    );
    env.json(&["search", "wombat"], 0);
    env.json(&["search", "echidna"], 1);
    // --keep-going indexes what it can, names the skipped file, and still exits 2.
    let (code, out, err) = env.run(&["index", "good.txt", "bad.txt", "--keep-going"]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("skipped") && err.contains("bad.txt"), "{err}");
    env.json(&["search", "echidna"], 0);
}

#[test]
fn one_of_a_thing_is_counted_in_the_singular() {
    let env = Env::new();
    let file = env.write("one.txt", "Episode 1: One\n(00:00:00) Wombat\n");
    let f = file.to_str().expect("path");
    let text = |args: &[&str]| {
        let out = env.cmd(args).assert().success().get_output().stdout.clone();
        String::from_utf8(out).expect("utf-8")
    };
    let parsed = text(&["parse", f]);
    assert!(
        parsed.contains("1 episode, 1 chapter, 0 warnings"),
        "{parsed}"
    );
    let indexed = text(&["index", f]);
    assert!(
        indexed.contains("the index holds 1 episode, 1 chapter"),
        "{indexed}"
    );
    let listed = text(&["episodes"]);
    assert!(listed.contains("1 episode, 1 chapter"), "{listed}");
    let shown = text(&["show", "1"]);
    assert!(
        shown.lines().any(|l| l.starts_with("1 chapter · ")),
        "{shown}"
    );
}
