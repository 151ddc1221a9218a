//! The rest of the bad-input catalogue (issue 6, point 5): each case through the binary, with
//! the index's files byte for byte the same afterwards.

use crate::util::Env;
use podseek::model::format_hms;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// An index holding one episode.
fn indexed(env: &Env) {
    env.write(
        "good.txt",
        "Episode 1: One\n(00:00:00) Wombat\n(00:01:00) Numbat\n",
    );
    env.cmd(&["index", "good.txt", "-q"]).assert().success();
}

/// Every file of the index and its bytes. tantivy's lock files are left out: they are empty,
/// stay on disk by design, and a reader may create one.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("read the index dir")
        .map(|e| e.expect("entry"))
        .filter(|e| !e.file_name().to_string_lossy().ends_with(".lock"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read an index file"),
            )
        })
        .collect()
}

/// Runs podseek and checks the failure: exit 2, one stderr line holding every `needles`.
fn refused(env: &Env, args: &[&str], needles: &[&str]) {
    let (code, out, err) = env.run(args);
    assert_eq!(code, 2, "podseek {args:?}: stdout {out} stderr {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: {n:?} not in {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

/// The index folder made read-only for the test's lifetime: a read-only bind mount for root
/// (whom permission bits do not stop), else the permission bits.
struct ReadOnly {
    dir: PathBuf,
    mounted: bool,
}

impl ReadOnly {
    fn new(dir: &Path) -> Option<ReadOnly> {
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        if root {
            let ok = |args: &[&str]| {
                std::process::Command::new("mount")
                    .args(args)
                    .arg(dir)
                    .arg(dir)
                    .status()
                    .is_ok_and(|s| s.success())
            };
            if !ok(&["--bind"]) {
                return None;
            }
            let guard = ReadOnly {
                dir: dir.to_path_buf(),
                mounted: true,
            };
            return ok(&["-o", "remount,bind,ro"]).then_some(guard);
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).ok()?;
        Some(ReadOnly {
            dir: dir.to_path_buf(),
            mounted: false,
        })
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if self.mounted {
            let _ = std::process::Command::new("umount").arg(&self.dir).status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o755));
        }
    }
}

#[test]
fn a_read_only_index_is_refused_for_writing_and_left_as_it_was() {
    let env = Env::new();
    indexed(&env);
    let index = env.path().join("index");
    let before = files(&index);
    env.write("more.txt", "Episode 2: Two\n(00:00:00) Quokka\n");
    let Some(ro) = ReadOnly::new(&index) else {
        // Root without the right to mount: nothing here can make a folder read-only to it.
        eprintln!("SKIPPED: cannot make a folder read-only for this user");
        return;
    };
    // Proof that the folder really is read-only, not just marked so.
    assert!(std::fs::write(index.join("probe"), b"x").is_err());
    // The writer's lock file cannot be made: a write error, not "another podseek process".
    refused(
        &env,
        &["index", "more.txt"],
        &[
            "cannot write",
            ".tantivy-writer.lock",
            "the index is unchanged",
        ],
    );
    refused(
        &env,
        &["index", "more.txt", "--rebuild"],
        &["index", "the index is unchanged"],
    );
    // Reading needs no write: searches and listings answer from the read-only folder.
    let v = env.json(&["search", "wombat"], 0);
    assert_eq!(v["hits"][0]["chapter_title"], "Wombat");
    assert_eq!(env.json(&["episodes"], 0)["episodes"][0]["title"], "One");
    env.json(&["at", "1", "30"], 0);
    drop(ro);
    assert_eq!(files(&index), before);
    let v = env.json(&["search", "wombat"], 0);
    assert_eq!(v["hits"][0]["chapter_title"], "Wombat");
    env.json(&["search", "quokka"], 1);
}

#[test]
fn limit_zero_is_refused() {
    let env = Env::new();
    indexed(&env);
    let before = files(&env.path().join("index"));
    for extra in [&[][..], &["--by-episode"][..]] {
        let mut args = vec!["search", "wombat", "--limit", "0"];
        args.extend(extra);
        refused(&env, &args, &["--limit", "0"]);
    }
    assert_eq!(files(&env.path().join("index")), before);
}

#[test]
fn an_impossible_time_is_refused_by_value() {
    let env = Env::new();
    indexed(&env);
    let before = files(&env.path().join("index"));
    for time in [
        "99:99:99",
        "00:60",
        "1:2:3:4",
        "1:-5",
        "18446744073709551616",
    ] {
        refused(&env, &["at", "1", time], &[time]);
    }
    assert_eq!(files(&env.path().join("index")), before);
    // A time past the episode's end is valid: the last chapter.
    env.json(&["at", "1", "99:59:59"], 0);
}

#[test]
fn a_huge_limit_is_capped_at_the_documented_maximum() {
    let env = Env::new();
    let max = podseek::search::MAX_LIMIT;
    // Three episodes of 4,000 chapters each, every one a hit: more than the cap.
    let mut notes = String::new();
    for ep in 1..=3 {
        notes.push_str(&format!("Episode {ep}: Many\n"));
        for i in 0..4000u32 {
            notes.push_str(&format!("({}) wombat {i}\n", format_hms(u64::from(i))));
        }
    }
    env.write("many.txt", &notes);
    env.cmd(&["index", "many.txt", "-q"]).assert().success();
    let before = files(&env.path().join("index"));
    let v = env.json(&["search", "wombat", "--limit", "1000000000"], 0);
    assert_eq!(v["total"], 12_000);
    assert_eq!(v["hits"].as_array().map(Vec::len), Some(max));
    let v = env.json(
        &["search", "wombat", "--limit", "1000000000", "--by-episode"],
        0,
    );
    assert_eq!(v["episodes"].as_array().map(Vec::len), Some(3));
    // Past usize, the argument parser refuses it as a number, naming it.
    let (code, _, err) = env.run(&["search", "wombat", "--limit", "99999999999999999999999"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("99999999999999999999999"), "{err}");
    assert_eq!(files(&env.path().join("index")), before);
}

#[test]
fn a_100_mb_file_with_no_newline_is_indexed_and_stays_small() {
    let env = Env::new();
    let big = env.path().join("big.txt");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big).expect("create"));
        let chunk = "wombat numbat quoll ".repeat(1 << 12);
        let mut written = 0;
        while written < 100 << 20 {
            f.write_all(chunk.as_bytes()).expect("write");
            written += chunk.len();
        }
        f.write_all(b"echidna").expect("write");
    }
    let v = env.json(&["index", "big.txt"], 0);
    assert_eq!(v["episodes"], 1);
    assert!(
        v["warnings"]
            .to_string()
            .contains("description longer than"),
        "{v}"
    );
    std::fs::remove_file(&big).expect("rm");
    let v = env.json(&["search", "quoll"], 0);
    assert_eq!(v["total"], 1);
    // Past the description cap: not indexed, as the warning said.
    env.json(&["search", "echidna"], 1);
    // What is stored is the capped text, not the 100 MB.
    let size: u64 = std::fs::read_dir(env.path().join("index"))
        .expect("read")
        .map(|e| e.expect("entry").metadata().expect("meta").len())
        .sum();
    assert!(size < 4 << 20, "index of {size} bytes");
}

#[test]
fn bad_index_folders_are_left_untouched_by_a_refused_index_run() {
    let env = Env::new();
    // A file where the index should be: named, refused, not replaced.
    env.write("index", "not a directory");
    env.write("a.txt", "Episode 1: One\n(00:00:00) Wombat\n");
    refused(&env, &["index", "a.txt"], &["index", "not a directory"]);
    assert_eq!(
        std::fs::read_to_string(env.path().join("index")).expect("still a file"),
        "not a directory"
    );
    std::fs::remove_file(env.path().join("index")).expect("rm");
    // Another schema version: refused with the way out, the files as they were.
    env.cmd(&["index", "a.txt", "-q"]).assert().success();
    env.mark_schema_version_0();
    let before = files(&env.path().join("index"));
    env.write("b.txt", "Episode 2: Two\n(00:00:00) Quokka\n");
    refused(&env, &["index", "b.txt"], &["--rebuild"]);
    refused(&env, &["episodes"], &["--rebuild"]);
    assert_eq!(files(&env.path().join("index")), before);
}

#[test]
fn an_error_says_its_cause_once() {
    let env = Env::new();
    let (code, _, err) = env.run(&["parse", "no-such-notes.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-notes.txt"), "{err}");
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
}

#[test]
fn an_excluded_phrase_never_panics() {
    // Regression (found by fuzzing the query path): an excluded phrase (`-core.py` is the
    // phrase "core py") in a relaxed or grouped search tripped tantivy's assertion that a
    // phrase is never asked about a document behind it; debug builds panicked.
    let env = Env::new();
    for q in [
        "-core.py\u{1f}#7(-th(?)",
        "-core.py #7 th",
        "episode -\"garbage collection\"",
    ] {
        for extra in [&[][..], &["--by-episode"][..]] {
            let mut args = vec!["search", q, "-q"];
            args.extend(extra);
            let (code, _, err) = env.run(&args);
            assert!(code == 0 || code == 1, "{args:?}: {code} {err}");
        }
    }
    // The exclusion still excludes.
    let v = env.json(&["search", "reference", "--limit", "100"], 0);
    let with = v["total"].as_u64().unwrap_or(0);
    let v = env.json(
        &[
            "search",
            "reference -\"reference counting\"",
            "--limit",
            "100",
        ],
        0,
    );
    let without = v["total"].as_u64().unwrap_or(0);
    assert!(0 < without && without < with, "0 < {without} < {with}");
}
