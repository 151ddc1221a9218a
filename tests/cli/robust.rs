//! Nothing lost, nothing crashes: killed index runs, concurrent readers and writers.

use crate::util::Env;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A small deterministic generator (xorshift), so every run kills at the same moments.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: &[&str] = &[
    "parser",
    "garbage",
    "collection",
    "refcount",
    "tier",
    "interpreter",
    "async",
    "loop",
    "frame",
    "object",
    "memory",
    "arena",
    "pymalloc",
    "thread",
    "lock",
    "import",
    "module",
    "bytecode",
    "opcode",
    "specialization",
    "cache",
    "dict",
    "tuple",
    "unicode",
    "wombat",
];

fn words(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes `files` files of `per_file` episodes in the separator layout; `variant` changes some.
fn corpus(dir: &Path, files: usize, per_file: usize, variant: u64) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for f in 0..files {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (f as u64 + 1));
        let mut out = String::new();
        for e in 0..per_file {
            let n = f * per_file + e + 1;
            // The variant drops every 7th episode of file 0 and renames every 5th chapter list.
            if variant == 1 && f == 0 && e % 7 == 3 {
                continue;
            }
            if !out.is_empty() {
                out.push_str("--------\n1:10:00\n");
            }
            out.push_str(&format!("Episode {n}: {}\n", words(&mut rng, 4)));
            out.push_str(&format!("{}.\n## Timestamps\n", words(&mut rng, 25)));
            for c in 0..12 {
                let mut title = words(&mut rng, 5);
                if variant == 1 && e % 5 == 0 {
                    title = format!("quokka {title}");
                }
                out.push_str(&format!("(00:{:02}:00) {title}\n", c * 5));
            }
        }
        if variant == 1 && f == files - 1 {
            out.push_str("--------\n0:30:00\nEpisode 99999: Brand new quokka episode\n(00:00:00) Quokka intro\n");
        }
        std::fs::write(dir.join(format!("notes-{f:02}.txt")), out).expect("write");
    }
}

const QUERIES: &[&str] = &[
    "quokka",
    "garbage collection",
    "wombat lock",
    "\"memory arena\"",
];

/// What an index answers: every episode, and every hit of a fixed query set (rank-free), one
/// part per podseek process. During a write each part alone is old or new, while the parts
/// together may straddle the commit.
fn snapshot(env: &Env, index: &Path) -> Result<Vec<String>, String> {
    let mut parts = Vec::new();
    let run = |args: &[&str]| -> Result<Value, String> {
        let out = env
            .cmd(args)
            .arg("--index")
            .arg(index)
            .arg("--json")
            .output()
            .map_err(|e| e.to_string())?;
        match out.status.code() {
            Some(0 | 1) => serde_json::from_slice(&out.stdout).map_err(|e| e.to_string()),
            code => Err(format!(
                "podseek {args:?} exited {code:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            )),
        }
    };
    parts.push(run(&["episodes"])?.to_string());
    for q in QUERIES {
        let v = run(&["search", q, "--limit", "10000"])?;
        let hits: BTreeSet<String> = v["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|h| {
                format!(
                    "{}|{}|{}",
                    h["episode"], h["start_seconds"], h["chapter_title"]
                )
            })
            .collect();
        parts.push(format!("{q}: {} {hits:?}", v["total"]));
    }
    Ok(parts)
}

fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

fn spawn_index(env: &Env, notes: &Path, index: &Path) -> Child {
    env.std_cmd(&["index", "-q"])
        .arg(notes)
        .arg("--index")
        .arg(index)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn podseek")
}

/// Files in an index directory that no segment of its `meta.json` refers to.
fn leftovers(index: &Path) -> Vec<String> {
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(index.join("meta.json")).expect("meta.json"))
            .expect("meta json");
    let live: BTreeSet<String> = meta["segments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["segment_id"].as_str())
        .map(|id| id.replace('-', ""))
        .collect();
    std::fs::read_dir(index)
        .expect("read index")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && name != "meta.json")
        .filter(|name| !live.contains(name.split('.').next().unwrap_or("")))
        .collect()
}

struct Fixture {
    env: Env,
    notes: PathBuf,
    base: PathBuf,
    before: Vec<String>,
    after: Vec<String>,
    full_run: Duration,
}

/// An index of corpus A (`before`), and what indexing corpus B over it gives (`after`).
fn fixture() -> Fixture {
    let env = Env::new();
    let notes = env.path().join("notes");
    let base = env.path().join("base");
    corpus(&notes, 6, 60, 0);
    env.cmd(&["index", "-q"])
        .arg(&notes)
        .arg("--index")
        .arg(&base)
        .assert()
        .success();
    let before = snapshot(&env, &base).expect("snapshot before");
    corpus(&notes, 6, 60, 1);
    let full = env.path().join("full");
    copy_dir(&base, &full);
    let t = Instant::now();
    env.cmd(&["index", "-q"])
        .arg(&notes)
        .arg("--index")
        .arg(&full)
        .assert()
        .success();
    let full_run = t.elapsed();
    let after = snapshot(&env, &full).expect("snapshot after");
    assert_ne!(before, after, "the second corpus must change the index");
    Fixture {
        env,
        notes,
        base,
        before,
        after,
        full_run,
    }
}

#[test]
fn killed_index_runs_leave_the_old_or_the_new_index_never_a_mix() {
    let fx = fixture();
    let mut rng = Rng(20_261_121);
    let window = fx.full_run.as_millis() as u64 + 50;
    let (mut old, mut new) = (0, 0);
    let trial = fx.env.path().join("trial");
    for _ in 0..20 {
        copy_dir(&fx.base, &trial);
        let mut child = spawn_index(&fx.env, &fx.notes, &trial);
        std::thread::sleep(Duration::from_millis(rng.below(window)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let got = snapshot(&fx.env, &trial).expect("the index opens after a kill");
        if got == fx.before {
            old += 1;
        } else if got == fx.after {
            new += 1;
        } else {
            panic!(
                "a killed run left a mixed index:\n{}\n--- before:\n{}\n--- after:\n{}",
                got.join("\n"),
                fx.before.join("\n"),
                fx.after.join("\n")
            );
        }
    }
    eprintln!(
        "kill trials: 20 (old state {old}, new state {new}); full run {:?}",
        fx.full_run
    );
    assert!(
        old > 0,
        "no kill landed before the commit; the window is off"
    );
    // A normal run then completes and leaves no files from the killed runs behind.
    fx.env
        .cmd(&["index", "-q"])
        .arg(&fx.notes)
        .arg("--index")
        .arg(&trial)
        .assert()
        .success();
    assert_eq!(snapshot(&fx.env, &trial).expect("snapshot"), fx.after);
    assert_eq!(leftovers(&trial), Vec::<String>::new());
}

#[test]
fn readers_during_a_write_see_the_old_or_the_new_index() {
    let fx = fixture();
    let live = fx.env.path().join("live");
    copy_dir(&fx.base, &live);
    let mut child = spawn_index(&fx.env, &fx.notes, &live);
    let mut seen = (0, 0);
    loop {
        let done = child.try_wait().expect("wait").is_some();
        let got = snapshot(&fx.env, &live).expect("searching during a write works");
        // Each answer comes from one process and must be wholly old or wholly new.
        for (i, part) in got.iter().enumerate() {
            if *part == fx.before[i] {
                seen.0 += 1;
            } else if *part == fx.after[i] {
                seen.1 += 1;
            } else {
                panic!(
                    "a reader saw a mixed index:\n{part}\n--- before:\n{}\n--- after:\n{}",
                    fx.before[i], fx.after[i]
                );
            }
        }
        if done {
            break;
        }
    }
    assert!(child.wait().expect("wait").success());
    assert_eq!(snapshot(&fx.env, &live).expect("snapshot"), fx.after);
    eprintln!(
        "readers during a write: {} answers from the old index, {} from the new",
        seen.0, seen.1
    );
}

#[test]
fn a_second_writer_exits_at_once_or_waits_with_wait() {
    let fx = fixture();
    let live = fx.env.path().join("live2");
    copy_dir(&fx.base, &live);
    // The first run may wait, so this test's probe of the lock never makes it fail.
    let mut first = fx
        .env
        .std_cmd(&["index", "-q", "--wait", "120"])
        .arg(&fx.notes)
        .arg("--index")
        .arg(&live)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn podseek");
    // The lock file is copied with the index, so its presence says nothing: wait until the
    // first run holds the OS lock (a try-lock fails), then race it.
    let lock = std::fs::File::open(live.join(".tantivy-writer.lock")).expect("lock file");
    let t = Instant::now();
    let mut held = false;
    while !held && t.elapsed() < Duration::from_secs(30) {
        match lock.try_lock() {
            Ok(()) => {
                lock.unlock().expect("unlock");
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(_) => held = true,
        }
    }
    assert!(held, "the first run never took the writer lock");
    let out = fx
        .env
        .cmd(&["index"])
        .arg(&fx.notes)
        .arg("--index")
        .arg(&live)
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    let first_done = first.try_wait().expect("wait").is_some();
    if !first_done {
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("being updated by another podseek process"),
            "{err}"
        );
    }
    let waited = fx
        .env
        .cmd(&["index", "-q", "--wait", "120"])
        .arg(&fx.notes)
        .arg("--index")
        .arg(&live)
        .output()
        .expect("runs");
    assert!(
        waited.status.success(),
        "{}",
        String::from_utf8_lossy(&waited.stderr)
    );
    assert!(first.wait().expect("wait").success());
    assert_eq!(snapshot(&fx.env, &live).expect("snapshot"), fx.after);
}
