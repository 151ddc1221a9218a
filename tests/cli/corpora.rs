//! Real show notes beside the repository (`../shared/corpora`, when present): what `parse`
//! finds in them, so the timestamp reader is checked against notes nobody wrote for podseek.
//! Nothing from them is copied into the repository; a missing corpus skips its test.

use crate::util::Env;
use serde_json::Value;
use std::path::PathBuf;

fn corpus(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("corpus {rel} not present; skipped");
        None
    }
}

/// `podseek index DIR` into a fresh index: how many episodes it holds after.
fn indexed(env: &Env, dir: &std::path::Path) -> u64 {
    let v = env.json(
        &[
            "index",
            "--rebuild",
            "--index",
            "ix",
            dir.to_str().expect("path"),
        ],
        0,
    );
    v["episodes"].as_u64().unwrap_or(0)
}

/// Episodes parsed without a number.
fn unnumbered(v: &Value) -> usize {
    v["episodes"]
        .as_array()
        .expect("episodes")
        .iter()
        .filter(|e| e["number"].is_null())
        .count()
}

fn chapter_count(v: &Value) -> usize {
    v["episodes"]
        .as_array()
        .expect("episodes")
        .iter()
        .map(|e| e["chapters"].as_array().map_or(0, Vec::len))
        .sum()
}

#[test]
fn python_bytes_notes_have_no_chapters_but_one_linked_video_index() {
    let Some(dir) = corpus("pythonbytes/show_notes") else {
        return;
    };
    let env = Env::new();
    let v = env.json(&["parse", dir.to_str().expect("path")], 0);
    // One episode per file: Markdown rules (`----------`) do not split episodes.
    assert_eq!(v["episodes"].as_array().map(Vec::len), Some(462));
    // ~30 clock times in prose (`at 3:05`, `9:30am`, `2:00 pm UTC`, code samples) give none;
    // the only chapters are episode 280's Markdown-linked index of a conference video.
    let with: Vec<&Value> = v["episodes"]
        .as_array()
        .expect("episodes")
        .iter()
        .filter(|e| e["chapters"].as_array().is_some_and(|c| !c.is_empty()))
        .collect();
    assert_eq!(with.len(), 1, "{with:?}");
    assert!(
        with[0]["source"]
            .as_str()
            .is_some_and(|s| s.contains("280.md"))
    );
    assert_eq!(chapter_count(&v), 7);
    // Each file is one episode, numbered by its name (`463.md`, `470-a-jolting-episode.md`,
    // `PB 485.md`) or its `# #484: Title` line, and each is indexed: none is lost to another
    // file opening with the same "Sponsored by us!" (five were).
    assert_eq!(unnumbered(&v), 0);
    assert_eq!(indexed(&env, &dir), 462);
}

#[test]
fn core_py_feed_export_gives_every_chapter_line() {
    let Some(file) = corpus("corepy/corepy.json") else {
        return;
    };
    // The export is JSON; turn its items into an RSS feed in a temp dir and read that.
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(file).expect("read")).expect("json");
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>core.py</title>\n",
    );
    for e in data["episodes"].as_array().expect("episodes") {
        let s = |k: &str| esc(e[k].as_str().unwrap_or(""));
        xml.push_str(&format!(
            "<item><title>{}</title><guid>{}</guid><enclosure url=\"{}\" type=\"audio/mpeg\"/><description>{}</description></item>\n",
            s("title"),
            s("guid"),
            s("audioUrl"),
            s("description")
        ));
    }
    xml.push_str("</channel></rss>\n");
    let env = Env::new();
    env.write("corepy.xml", &xml);
    let v = env.json(&["parse", "corepy.xml"], 0);
    assert_eq!(v["episodes"].as_array().map(Vec::len), Some(31));
    // SOURCE.md counts 823 `(HH:MM:SS)` tokens on 822 lines; the line with two is
    // `... usability threshold(00:18:24)` whose title is on the next line.
    assert_eq!(chapter_count(&v), 823);
    let text = v.to_string();
    assert!(
        text.contains("\"title\":\"Pablo wants Claude Max\""),
        "title on the next line"
    );
    assert!(!text.contains("\"title\":\"\""), "no untitled chapter");
    assert_eq!(
        v["warnings"].as_array().map(Vec::len),
        Some(0),
        "{}",
        v["warnings"]
    );
}

#[test]
fn transcripts_give_a_chapter_per_timed_paragraph() {
    let Some(dir) = corpus("pythonbytes/transcripts") else {
        return;
    };
    let env = Env::new();
    let v = env.json(&["parse", dir.to_str().expect("path")], 0);
    // SOURCE.md: 48,408 `HH:MM:SS text` lines in 87 files.
    assert_eq!(v["episodes"].as_array().map(Vec::len), Some(87));
    assert_eq!(chapter_count(&v), 48_408);
    assert!(
        !v.to_string().contains("<v "),
        "voice tags are removed from titles"
    );
    // Every transcript opens "Hello and welcome to Python Bytes…": titled by that, 64 of the
    // 87 were dropped as duplicates of one another; numbered by their names, all are kept.
    assert_eq!(unnumbered(&v), 0);
    assert_eq!(indexed(&env, &dir), 87);
}

#[test]
fn changelog_escaped_times_start_turns() {
    let Some(dir) = corpus("changelog/practicalai") else {
        return;
    };
    let env = Env::new();
    let v = env.json(&["parse", dir.to_str().expect("path")], 0);
    assert_eq!(v["episodes"].as_array().map(Vec::len), Some(299));
    // 3,111 `\[MM:SS\]` times: those that start a paragraph or follow a `**Speaker:**` or
    // `**Break**:` tag are chapters; the few inside sentences stay prose.
    let n = chapter_count(&v);
    assert!((3050..=3111).contains(&n), "{n}");
    // `practical-ai-N.md` with no title line: 224 of 299 were lost to duplicate opening lines.
    assert_eq!(unnumbered(&v), 0);
    assert_eq!(indexed(&env, &dir), 299);
}

#[test]
fn core_py_episode_list_gives_every_episode_and_chapter_line() {
    // core.py's own site's JSON list: 31 episodes (26 in two parts), 823 `(HH:MM:SS)` times
    // in their descriptions, in every quirk SOURCE.md lists.
    let Some(file) = corpus("corepy/corepy.json") else {
        return;
    };
    let env = Env::new();
    let v = env.json(&["parse", file.to_str().expect("path")], 0);
    let eps = v["episodes"].as_array().expect("episodes");
    assert_eq!(eps.len(), 31);
    assert_eq!(chapter_count(&v), 823);
    assert_eq!(unnumbered(&v), 0);
    assert_eq!(
        v["warnings"].as_array().map(Vec::len),
        Some(0),
        "{}",
        v["warnings"]
    );
    assert!(eps.iter().all(|e| {
        e["podcast"] == "core.py"
            && e["media_url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://"))
            && e["duration_seconds"].as_u64().is_some()
            && e["date"].as_str().is_some_and(|d| d.len() == 10)
    }));
    let parts: Vec<&str> = eps
        .iter()
        .filter(|e| e["number"] == 26)
        .filter_map(|e| e["title"].as_str())
        .collect();
    assert_eq!(
        parts,
        [
            "CPython Sprint Week in Cambridge UK, Part 2",
            "CPython Sprint Week in Cambridge UK, Part 1"
        ]
    );
    // The same moment as the bundled seed notes, now with a link into the episode's audio.
    assert_eq!(indexed(&env, &file), 31);
    let at = env.json(&["--index", "ix", "at", "21", "00:10:00"], 0);
    assert_eq!(at["title"], "Solving reference cycles through PyGC_Head");
    assert!(
        at["link"]
            .as_str()
            .is_some_and(|l| l.ends_with(".mp3#t=515")),
        "{at}"
    );
}
