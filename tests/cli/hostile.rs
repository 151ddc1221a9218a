//! The bad-input catalogue: odd files, paths, options and queries, each through the binary,
//! the index untouched every time.

use crate::util::Env;
use podseek::model::format_hms;

/// An index holding one episode, and a snapshot of what it answers.
fn indexed(env: &Env) -> String {
    env.write(
        "good.txt",
        "Episode 1: One\n(00:00:00) Wombat\n(00:01:00) Numbat\n",
    );
    env.cmd(&["index", "good.txt", "-q"]).assert().success();
    state(env)
}

fn state(env: &Env) -> String {
    env.json(&["episodes"], 0).to_string()
}

#[test]
fn binary_and_non_utf8_files_are_refused_by_name() {
    let env = Env::new();
    let before = indexed(&env);
    env.write("latin1.txt", "");
    std::fs::write(env.path().join("latin1.txt"), b"Episode 2: Caf\xe9\n").expect("write");
    std::fs::write(
        env.path().join("random.txt"),
        (0..4096u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    )
    .expect("write");
    for (file, what) in [("latin1.txt", "not UTF-8"), ("random.txt", "binary")] {
        let (code, _, err) = env.run(&["index", file]);
        assert_eq!(code, 2, "{file}");
        assert!(err.contains(file) && err.contains(what), "{err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
    }
    assert_eq!(state(&env), before);
}

#[test]
fn a_symlink_loop_is_reported() {
    let env = Env::new();
    let before = indexed(&env);
    std::fs::create_dir_all(env.path().join("tree/sub")).expect("mkdir");
    env.write("tree/sub/notes.txt", "Episode 5: Five\n(00:00:00) Loop\n");
    std::os::unix::fs::symlink(env.path().join("tree"), env.path().join("tree/sub/back"))
        .expect("symlink");
    let (code, _, err) = env.run(&["index", "tree"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("symbolic link loop") && err.contains("back"),
        "{err}"
    );
    assert_eq!(state(&env), before);
}

#[test]
fn a_fifo_never_hangs() {
    let env = Env::new();
    let before = indexed(&env);
    let fifo = env.path().join("pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let (code, _, err) = env.run(&["index", "pipe.txt"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("pipe.txt") && err.contains("not a regular file"),
        "{err}"
    );
    // Inside a folder a FIFO is passed over, not opened.
    std::fs::create_dir_all(env.path().join("dir")).expect("mkdir");
    std::fs::rename(&fifo, env.path().join("dir/pipe.txt")).expect("move fifo");
    env.write("dir/ok.txt", "Episode 2: Two\n(00:00:00) Quoll\n");
    env.cmd(&["index", "dir", "-q"]).assert().success();
    assert_ne!(state(&env), before);
}

#[test]
fn empty_files_and_folders_warn_and_only_nothing_at_all_is_an_error() {
    let env = Env::new();
    let before = indexed(&env);
    std::fs::create_dir_all(env.path().join("empty")).expect("mkdir");
    let (code, _, err) = env.run(&["index", "empty"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("empty") && err.contains("no show notes found"),
        "{err}"
    );
    env.write("blank.txt", "");
    let v = env.json(&["index", "blank.txt", "good.txt", "empty"], 0);
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("blank.txt") && warnings.contains("empty"),
        "{warnings}"
    );
    assert_eq!(state(&env), before);
}

#[test]
fn huge_line_and_a_million_timestamps_are_handled() {
    let env = Env::new();
    // 100 MB with no newline: one untitled episode, its description capped.
    let big = env.path().join("big.txt");
    let mut text = String::with_capacity(100 << 20);
    while text.len() < 100 << 20 {
        text.push_str("wombat numbat quoll ");
    }
    std::fs::write(&big, &text).expect("write");
    drop(text);
    let v = env.json(&["parse", "big.txt"], 0);
    assert_eq!(v["episodes"].as_array().map(Vec::len), Some(1));
    assert!(
        v["episodes"][0]["description"]
            .as_str()
            .is_some_and(|d| d.len() <= 64 * 1024)
    );
    assert!(
        v["warnings"]
            .to_string()
            .contains("description longer than")
    );
    std::fs::remove_file(&big).expect("rm");
    // A million timestamp lines: kept up to the documented cap, with a warning.
    let mut many = String::from("Episode 1: Many\n");
    for i in 0..1_000_000u32 {
        many.push_str(&format!("({}) c{i}\n", format_hms(u64::from(i))));
    }
    env.write("many.txt", &many);
    let v = env.json(&["index", "many.txt"], 0);
    assert_eq!(v["chapters"], 10_000);
    assert!(v["warnings"].to_string().contains("only the first 10000"));
}

#[test]
fn hostile_queries_get_bounded_answers() {
    let env = Env::new();
    indexed(&env);
    let huge = "wombat ".repeat(100 * 1024 / 7);
    let (code, _, err) = env.run(&["search", &huge]);
    assert_eq!(code, 2);
    let limit = format!("limit is {}", podseek::search::MAX_QUERY_BYTES);
    assert!(err.contains(&limit) && err.lines().count() == 1, "{err}");
    // A thousand distinct words are searched: none matches, so all are dropped and nothing found.
    let terms: Vec<String> = (0..1000).map(|i| format!("t{i}")).collect();
    let v = env.json(&["search", &terms.join(" ")], 1);
    assert_eq!(v["total"], 0);
    let short_terms = vec!["wombat"; 1000].join(" ");
    env.json(&["search", &short_terms], 0);
    let nested = format!("{}wombat{}", "(".repeat(1000), ")".repeat(1000));
    let v = env.json(&["search", &nested], 0);
    assert_eq!(v["hits"][0]["chapter_title"], "Wombat");
    let unbalanced = format!("{}wombat", "(".repeat(4000));
    env.json(&["search", &unbalanced], 0);
    // Control characters split words; the pieces match nothing and are dropped (issue 4).
    let v = env.json(&["search", "wom\u{1}bat \u{1b}[31m wombat"], 0);
    assert_eq!(v["dropped"], serde_json::json!(["wom", "bat", "[31m"]));
    env.json(&["search", "wom\u{1}bat"], 1);
    env.json(&["search", "\u{7}wombat\u{7}"], 0);
}

#[test]
fn a_write_failure_leaves_the_previous_index_usable() {
    let env = Env::new();
    let before = indexed(&env);
    let index = env.path().join("index");
    // A big new file the index cannot hold: on a full disk (root: a tiny tmpfs over a copy of
    // the index) or a read-only index folder (anyone else).
    let mut notes = String::from("Episode 2: Big\n");
    for i in 0..20_000u32 {
        notes.push_str(&format!(
            "({}) quokka chapter number {i} q{i}x\n",
            format_hms(u64::from(i))
        ));
    }
    env.write("big.txt", &notes);
    let tiny = env.path().join("tiny");
    std::fs::create_dir_all(&tiny).expect("mkdir");
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(&tiny)
        .status()
        .is_ok_and(|s| s.success());
    let target = if mounted {
        for e in std::fs::read_dir(&index).expect("read") {
            let e = e.expect("entry");
            std::fs::copy(e.path(), tiny.join(e.file_name())).expect("copy into tmpfs");
        }
        tiny.clone()
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&index, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        index.clone()
    };
    let out = env
        .cmd(&["index", "big.txt", "good.txt", "--index"])
        .arg(&target)
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let after = env
        .cmd(&["episodes", "--json", "--index"])
        .arg(&target)
        .output()
        .expect("runs");
    if mounted {
        let _ = std::process::Command::new("umount").arg(&tiny).status();
    } else {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&index, std::fs::Permissions::from_mode(0o755));
    }
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the index is unchanged"), "{err}");
    let after: serde_json::Value = serde_json::from_slice(&after.stdout).expect("json");
    assert_eq!(after.to_string(), before, "mounted={mounted}");
}
