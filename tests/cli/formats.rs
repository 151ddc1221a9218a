//! Show notes as people bring them, through the binary: every timestamp style, text hygiene,
//! HTML, RSS feeds, chapters files in and out, jump links, and files podseek cannot read.

use crate::util::{Env, fixtures};
use serde_json::Value;
use std::path::Path;

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// (start, title) of each chapter.
type Starts = Vec<(u64, String)>;

/// (number, [(start, title)]) of every episode, in parse order.
fn chapters(v: &Value) -> Vec<(Option<u64>, Starts)> {
    v["episodes"]
        .as_array()
        .expect("episodes")
        .iter()
        .map(|e| {
            let ch = e["chapters"]
                .as_array()
                .expect("chapters")
                .iter()
                .map(|c| {
                    (
                        c["start_seconds"].as_u64().expect("start"),
                        c["title"].as_str().expect("title").to_string(),
                    )
                })
                .collect();
            (e["number"].as_u64(), ch)
        })
        .collect()
}

fn episode(v: &Value, number: u64) -> &Value {
    v["episodes"]
        .as_array()
        .expect("episodes")
        .iter()
        .find(|e| e["number"] == number)
        .unwrap_or_else(|| panic!("no episode {number} in {v}"))
}

fn titles(e: &Value) -> Starts {
    e["chapters"]
        .as_array()
        .expect("chapters")
        .iter()
        .map(|c| {
            (
                c["start_seconds"].as_u64().expect("start"),
                c["title"].as_str().expect("title").to_string(),
            )
        })
        .collect()
}

fn t(list: &[(u64, &str)]) -> Starts {
    list.iter().map(|(s, t)| (*s, t.to_string())).collect()
}

#[test]
fn every_timestamp_style_in_the_fixtures() {
    let env = Env::new();
    let v = env.json(&["parse", path(&fixtures().join("styles"))], 0);
    let expect: &[(u64, &[(u64, &str)])] = &[
        (
            1,
            &[
                (0, "Welcome to the plot"),
                (118, "Double digging the bean trench"),
                (870, "Rhubarb forcing pots"),
            ],
        ),
        (
            2,
            &[
                (0, "Welcome back"),
                (195, "Sowing parsnips in cold soil"),
                (1300, "Listener mailbag"),
            ],
        ),
        (
            3,
            &[
                (0, "Hello again"),
                (125, "Netting brassicas against pigeons"),
                (1185, "Frost pockets"),
            ],
        ),
        (
            4,
            &[
                (0, "Opening"),
                (3723, "Leaf mould cages"),
                (4200, "Closing thoughts"),
            ],
        ),
        (
            5,
            &[
                (0, "Cold open"),
                (754, "Chitting seed potatoes"),
                (1510, "Earthing up the rows"),
            ],
        ),
        (
            6,
            &[
                (0, "Start"),
                (3723, "Building a cold frame"),
                (5400, "Glazing with old windows"),
            ],
        ),
        (
            7,
            &[
                (0, "Intro"),
                (296, "Sharpening hoes"),
                (3599, "Whetstones compared"),
                (3854, "Handle repairs"),
            ],
        ),
        (
            8,
            &[
                (0, "Intro"),
                (754, "Companion planting with marigolds"),
                (1867, "Nasturtium sacrifice crops"),
            ],
        ),
        (
            9,
            &[
                (0, "Intro"),
                (3723, "Saving tomato seed"),
                (4520, "Fermenting the pulp"),
            ],
        ),
        (
            10,
            &[
                (0, "Intro"),
                (12, "Mulching with straw"),
                (1120, "Woodchip paths"),
            ],
        ),
        (
            11,
            &[
                (0, "Intro"),
                (3854, "Pricking out seedlings"),
                (4800, "Hardening off"),
            ],
        ),
        (12, &[(0, "Opening the shed"), (570, "Oiling the shears")]),
        (
            13,
            &[
                (0, "Intro"),
                (296, "Wormery basics"),
                (1632, "Harvesting castings"),
            ],
        ),
        (
            14,
            &[
                (0, "Intro"),
                (238, "Overwintering chillies"),
                (2480, "Pollinating by paintbrush"),
            ],
        ),
        (
            15,
            &[
                (0, "Intro"),
                (370, "Cutting back raspberry canes"),
                (945, "Tying in the new growth"),
                (1440, "Wrap-up"),
            ],
        ),
        (
            16,
            &[
                (0, "Intro"),
                (220, "Lifting dahlia tubers"),
                (1025, "Storing them in dry compost"),
            ],
        ),
        (
            17,
            &[
                (0, "Intro"),
                (495, "Sweet pea supports"),
                (1368, "Pinching out the tips"),
            ],
        ),
        (
            18,
            &[
                (0, "Dawn chorus on the allotment"),
                (720, "Hedgehog houses"),
            ],
        ),
        (
            19,
            &[
                (0, "Intro"),
                (300, "Crème brûlée for the harvest supper"),
                (1200, "Café gossip"),
            ],
        ),
        (
            20,
            &[
                (0, "Intro"),
                (330, "Digging the liner hole"),
                (845, "Frogs, toads & newts"),
            ],
        ),
    ];
    assert_eq!(v["episodes"].as_array().map(Vec::len), Some(expect.len()));
    for (number, want) in expect {
        let e = episode(&v, *number);
        assert_eq!(titles(e), t(want), "episode {number}");
        assert_eq!(e["podcast"], "The Allotment Hour");
    }
    // Clock times in prose stay prose; the one malformed time is the only warning.
    let prose = episode(&v, 18)["description"]
        .as_str()
        .expect("description");
    assert!(
        prose.contains("3:15 AM") && prose.contains("John 3:16"),
        "{prose}"
    );
    let w = v["warnings"].as_array().expect("warnings");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0]["source"]
            .as_str()
            .is_some_and(|s| s.ends_with("tricky.txt:25"))
    );
    assert!(
        w[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("(00:75:00)"))
    );
}

#[test]
fn hygiene_bom_crlf_cr_tabs_nbsp_and_nfc() {
    let env = Env::new();
    let v = env.json(&["parse", path(&fixtures().join("styles/hygiene.txt"))], 0);
    let e = &v["episodes"][0];
    assert_eq!(e["title"], "Tabs, CRLF and Odd Spaces");
    // NFC: the decomposed letters of the file come out composed.
    let title = e["chapters"][1]["title"].as_str().expect("title");
    assert_eq!(title, "Crème brûlée for the harvest supper");
    assert_eq!(title.chars().count(), 35);
    assert!(!v.to_string().contains('\t') && !v.to_string().contains('\u{a0}'));
    // Old Mac line ends (CR only) and a time after a tab.
    env.write(
        "cr.txt",
        "Episode 3: Carriage\r(00:00:00)\tStart\r(00:02:00)\u{a0}End\r",
    );
    let v = env.json(&["parse", "cr.txt"], 0);
    assert_eq!(chapters(&v), [(Some(3), t(&[(0, "Start"), (120, "End")]))]);
}

#[test]
fn html_show_notes_become_lines() {
    let env = Env::new();
    let v = env.json(&["parse", path(&fixtures().join("styles/notes.html"))], 0);
    let e = &v["episodes"][0];
    assert_eq!(e["number"], 20);
    assert_eq!(e["title"], "Pond Life & Frogspawn");
    let d = e["description"].as_str().expect("description");
    assert!(d.contains("Thanks for listening\nSee you next week"), "{d}");
    assert!(!d.contains('<') && !d.contains("color"), "{d}");
    // HTML pasted into a .txt file is recognised by its tags.
    env.write(
        "pasted.txt",
        "Episode 4: Pasted<br>0:00 Hello &amp; welcome<br>2:30 Seeds<br/>",
    );
    let v = env.json(&["parse", "pasted.txt"], 0);
    assert_eq!(
        chapters(&v),
        [(Some(4), t(&[(0, "Hello & welcome"), (150, "Seeds")]))]
    );
}

#[test]
fn markdown_rules_do_not_split_an_episode() {
    let env = Env::new();
    env.write(
        "notes.md",
        "# Our show 12\nIntro text.\n\n----------\n\n**Topic one** at 3:05 in the talk\n\n----------\n\n- [00:00](https://v.example?t=0) - Begin\n- [03:15](https://v.example?t=195) - Middle\n```\n# 19:22:15\n0:00 not a chapter inside code\n```\n",
    );
    let v = env.json(&["parse", "notes.md"], 0);
    assert_eq!(chapters(&v), [(None, t(&[(0, "Begin"), (195, "Middle")]))]);
}

#[test]
fn a_folder_of_one_episode_files_is_numbered_and_titled_by_their_names() {
    // As show-notes and transcript repositories lay them out (Python Bytes, Changelog): one
    // episode per file, named for it, most with no title line, every one opening alike.
    let env = Env::new();
    let opening = "**Host:** Welcome to another episode of Garden Talk.\n\n";
    env.write(
        "notes/README.md",
        "# Garden Talk show notes\n\nOne file per episode.\n",
    );
    env.write("notes/LICENSE.txt", "Permission is hereby granted.\n");
    env.write(
        "notes/470-a-jolting-episode.md",
        &format!("{opening}**Guest:** \\[02:00\\] Electric fences.\n"),
    );
    env.write("notes/463.md", &format!("{opening}Compost.\n"));
    env.write("notes/garden-talk-98.md", &format!("{opening}Slugs.\n"));
    env.write(
        "notes/459.md",
        "# #459: Inverted dependency trees\n\nRoots.\n",
    );
    let v = env.json(&["index", "notes", "--index", "ix"], 0);
    // Every file is its own episode: none is lost to another with the same opening line (they
    // all used to be titled by it, and all but the last were dropped as duplicates).
    assert_eq!(v["added"], 4, "{v}");
    assert!(
        !v["warnings"].to_string().contains("also appears"),
        "{}",
        v["warnings"]
    );
    let eps = env.json(&["episodes", "--index", "ix"], 0);
    let mut got: Vec<(u64, String)> = eps["episodes"]
        .as_array()
        .expect("episodes")
        .iter()
        .map(|e| {
            (
                e["number"].as_u64().unwrap_or(0),
                e["title"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    got.sort();
    let want: Vec<(u64, String)> = [
        (98, "Host: Welcome to another episode of Garden Talk."),
        (459, "Inverted dependency trees"),
        (463, "Host: Welcome to another episode of Garden Talk."),
        (470, "A jolting episode"),
    ]
    .iter()
    .map(|(n, t)| (*n, t.to_string()))
    .collect();
    assert_eq!(got, want);
    let show = env.json(&["show", "470", "--index", "ix"], 0);
    assert_eq!(show["chapters"][0]["start_seconds"], 120, "{show}");
    // Another show's file with the same number, neither podcast named: each file is its own
    // episode, and `show` lists both.
    env.write("other/other-show-470.md", "Compost again.\n");
    let v = env.json(&["index", "other", "--index", "ix"], 0);
    assert_eq!(
        (v["added"].clone(), v["episodes"].clone()),
        (1.into(), 5.into()),
        "{v}"
    );
    let (code, _, err) = env.run(&["show", "470", "--index", "ix"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("ambiguous")
            && err.contains("A jolting episode")
            && err.contains("Compost again."),
        "{err}"
    );
    // Re-reading, the folder written another way, changes nothing.
    let v = env.json(&["index", "./notes/", "--index", "ix"], 0);
    let counts = |v: &Value| {
        [
            v["added"].clone(),
            v["updated"].clone(),
            v["removed"].clone(),
        ]
    };
    assert_eq!(counts(&v), [0, 0, 0].map(Value::from), "{v}");
    // Named on its own, a README is read like any notes.
    let v = env.json(&["parse", "notes/README.md"], 0);
    assert_eq!(v["episodes"][0]["title"], "Garden Talk show notes", "{v}");
}

#[test]
fn rss_feed_items_become_episodes() {
    let env = Env::new();
    let v = env.json(&["parse", path(&fixtures().join("feeds"))], 0);
    let eps = v["episodes"].as_array().expect("episodes");
    // The chapters file the feed points at is part of episode 5, not an episode of its own.
    assert_eq!(eps.len(), 4, "{v}");
    let e5 = &eps[0];
    assert_eq!(e5["podcast"], "Night Sky Notes");
    assert_eq!(e5["title"], "Meteor Showers Without a Telescope");
    assert_eq!(e5["date"], "2024-08-09");
    assert_eq!(e5["duration_seconds"], 2480);
    assert_eq!(e5["media_url"], "https://cdn.night-sky.example/nsn-005.mp3");
    assert_eq!(e5["guid"], "nsn-0005");
    // Its chapters file wins over the two times in its description; `toc: false` is left out.
    assert_eq!(
        titles(e5),
        t(&[
            (0, "Intro"),
            (190, "Radiants explained"),
            (905, "Dark adaptation"),
            (1620, "Counting meteors per hour")
        ])
    );
    assert_eq!(e5["chapters"][3]["end_seconds"], 2400);
    // Two parts share number 4 and stay two episodes, by guid.
    let parts: Vec<&Value> = eps.iter().filter(|e| e["number"] == 4).collect();
    assert_eq!(parts.len(), 2);
    assert_ne!(parts[0]["guid"], parts[1]["guid"]);
    assert_eq!(
        titles(parts[0])[1],
        (515, "Ring plane crossing in 2025".to_string())
    );
    assert_eq!(
        parts[1]["description"],
        "Why the rings are so thin & so bright."
    );
    // No `Episode N` in the title: the number comes from itunes:episode; h:mm:ss duration.
    let e3 = &eps[3];
    assert_eq!(
        (e3["number"].as_u64(), e3["duration_seconds"].as_u64()),
        (Some(3), Some(3723))
    );
    assert_eq!(e3["title"], "Observing the Moon's Terminator");
    let w = v["warnings"].as_array().expect("warnings");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0]["source"]
            .as_str()
            .is_some_and(|s| s.ends_with("night-sky.xml:53")),
        "{w:?}"
    );
    assert!(
        w[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("after the episode's length"))
    );
}

#[test]
fn a_feed_indexes_once_links_to_the_media_and_lists_shared_numbers() {
    let env = Env::new();
    let feeds = fixtures().join("feeds");
    let v = env.json(&["index", path(&feeds)], 0);
    assert_eq!(
        (v["added"].as_u64(), v["episodes"].as_u64()),
        (Some(4), Some(4))
    );
    // Re-reading the unchanged feed changes nothing.
    let v = env.json(&["index", path(&feeds)], 0);
    assert_eq!(
        (
            v["added"].as_u64(),
            v["updated"].as_u64(),
            v["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(4))
    );
    let hit = env.json(&["search", "shepherd moons"], 0);
    assert_eq!(
        hit["hits"][0]["link"],
        "https://cdn.night-sky.example/nsn-004b.mp3#t=1330"
    );
    let at = env.json(&["at", "5", "16:00"], 0);
    assert_eq!(at["title"], "Dark adaptation");
    assert_eq!(
        at["link"],
        "https://cdn.night-sky.example/nsn-005.mp3#t=905"
    );
    let (code, _, err) = env.run(&["show", "4"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("ambiguous") && err.contains("Part 1") && err.contains("Part 2"),
        "{err}"
    );
    let (code, _, err) = env.run(&["at", "4", "1:00"]);
    assert_eq!(code, 2);
    assert!(err.contains("Part 1") && err.contains("Part 2"), "{err}");
    // Both parts are one podcast's: --podcast cannot tell them apart, words of the title can.
    assert!(err.contains("--title"), "{err}");
    let (code, _, err) = env.run(&["show", "4", "--podcast", "Night Sky Notes"]);
    assert_eq!(code, 2, "{err}");
    let v = env.json(&["show", "4", "--title", "part 1"], 0);
    assert_eq!(v["title"], "Saturn's Rings, Part 1");
    let v = env.json(&["at", "4", "00:23:00", "--title", "PART 2"], 0);
    assert_eq!(v["title"], "Shepherd moons", "{v}");
    let (code, _, err) = env.run(&["show", "4", "--title", "part 3"]);
    assert_eq!(code, 2);
    assert!(err.contains("titled \"part 3\""), "{err}");
}

#[test]
fn a_feed_that_gains_an_item_adds_exactly_it() {
    let env = Env::new();
    let feed = std::fs::read_to_string(fixtures().join("feeds/night-sky.xml")).expect("read");
    env.write("f/feed.xml", &feed);
    env.cmd(&["index", "f", "-q"]).assert().success();
    let new_item = "<item><title>Episode 6: Comet Hunting</title><guid>nsn-0006</guid>\
        <enclosure url=\"https://cdn.night-sky.example/nsn-006.mp3\" type=\"audio/mpeg\"/>\
        <description>0:00 Intro\n4:00 Tails and comas</description></item>\n    <item>";
    env.write("f/feed.xml", &feed.replacen("<item>", new_item, 1));
    let v = env.json(&["index", "f"], 0);
    let n = |k: &str| v[k].as_u64();
    assert_eq!(
        (n("added"), n("updated"), n("unchanged"), n("removed")),
        (Some(1), Some(0), Some(4), Some(0)),
        "{v}"
    );
    let hit = env.json(&["search", "comas"], 0);
    assert_eq!(
        hit["hits"][0]["link"],
        "https://cdn.night-sky.example/nsn-006.mp3#t=240"
    );
}

#[test]
fn podcast_toml_names_the_podcast_and_builds_links() {
    let env = Env::new();
    let v = env.json(&["index", path(&fixtures().join("styles"))], 0);
    assert_eq!(v["episodes"], 20);
    let hit = env.json(&["search", "parsnips"], 0);
    assert_eq!(hit["hits"][0]["podcast"], "The Allotment Hour");
    assert_eq!(
        hit["hits"][0]["link"],
        "https://allotment-hour.example/episodes/2?t=195"
    );
    // The fixtures' own podcast.toml names the seeds core.py.
    let v = env.json(&["parse", path(&fixtures())], 0);
    let seeds: Vec<&Value> = v["episodes"]
        .as_array()
        .expect("episodes")
        .iter()
        .filter(|e| {
            e["source"]
                .as_str()
                .is_some_and(|s| s.contains("fixtures/0"))
        })
        .collect();
    assert_eq!(seeds.len(), 15);
    assert!(seeds.iter().all(|e| e["podcast"] == "core.py"));
    // A template with {hms}.
    env.write(
        "p/podcast.toml",
        "name = \"Pod\"\nlink = \"https://pod.example/{number}#{hms}\"\n",
    );
    env.write(
        "p/a.txt",
        "Episode 9: Nine\n(00:00:00) Start\n(01:02:03) Quasar\n",
    );
    env.cmd(&["index", "p", "-q"]).assert().success();
    let hit = env.json(&["search", "quasar"], 0);
    assert_eq!(hit["hits"][0]["link"], "https://pod.example/9#01:02:03");
}

#[test]
fn chapters_files_in_and_out_round_trip() {
    let env = Env::new();
    let styles = fixtures().join("styles");
    let v = env.json(
        &[
            "export",
            path(&styles),
            "--format",
            "chapters",
            "--out",
            "out",
        ],
        0,
    );
    assert_eq!(v["files"].as_array().map(Vec::len), Some(20), "{v}");
    let file = env
        .path()
        .join("out/the-allotment-hour-7-youtube-style.chapters.json");
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("json");
    assert_eq!(doc["version"], "1.2.0");
    assert_eq!(doc["title"], "Episode 7: YouTube Style");
    assert_eq!(
        doc["chapters"][1],
        serde_json::json!({"startTime": 296, "endTime": 3599, "title": "Sharpening hoes"})
    );
    assert!(doc["chapters"][3].get("endTime").is_none());
    // Reading the chapters files back gives the same chapters.
    let before = env.json(&["parse", path(&styles)], 0);
    let after = env.json(&["parse", "out", "--podcast", "The Allotment Hour"], 0);
    let mut a = chapters(&before);
    let mut b = chapters(&after);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    // A standalone chapters file indexes as its own episode.
    let v = env.json(&["index", path(&fixtures().join("chapters"))], 0);
    assert_eq!(v["chapters"], 4);
    let at = env.json(&["at", "12", "00:11:00"], 0);
    assert_eq!(
        (at["podcast"].as_str(), at["title"].as_str()),
        (Some("Crumb & Crust"), Some("Rye versus wheat flour"))
    );
    assert_eq!(at["end_seconds"], 1500);
}

#[test]
fn ndjson_export_has_every_field_for_bulk_ingest() {
    let env = Env::new();
    // No index yet: export builds it from the bundled notes, as search does.
    let (code, out, err) = env.run(&["export", "--format", "ndjson", "--out", "-"]);
    assert_eq!(code, 0, "{err}");
    let docs: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON per line"))
        .collect();
    let chapters = docs.iter().filter(|d| d["kind"] == "chapter").count();
    assert_eq!(chapters, 308);
    let bare = docs.iter().filter(|d| d["kind"] == "episode").count();
    assert_eq!(docs.len(), chapters + bare);
    let gc = docs
        .iter()
        .find(|d| d["chapter_title"] == "Solving reference cycles through PyGC_Head")
        .expect("chapter");
    for (k, want) in [
        ("podcast", Value::from("core.py")),
        ("episode", Value::from(21)),
        ("episode_title", Value::from("A Garbage Episode")),
        ("section", Value::from("PART 1: GARBAGE COLLECTION")),
        ("start_seconds", Value::from(515)),
        ("end_seconds", Value::from(705)),
        ("start", Value::from("00:08:35")),
    ] {
        assert_eq!(gc[k], want, "{k}: {gc}");
    }
    for k in [
        "key",
        "description",
        "date",
        "duration_seconds",
        "link",
        "source",
    ] {
        assert!(gc.get(k).is_some(), "{k} missing: {gc}");
    }
    let v = env.json(
        &[
            "export",
            "--format",
            "ndjson",
            "--out",
            "nd",
            "--episode",
            "21",
        ],
        0,
    );
    assert_eq!(v["chapters"], 29);
    let text = std::fs::read_to_string(env.path().join("nd/chapters.ndjson")).expect("file");
    assert_eq!(text.lines().count(), 29);
}

#[test]
fn unreadable_files_name_the_file_and_offset_and_keep_going_reads_the_rest() {
    let env = Env::new();
    env.write("ok/good.txt", "Episode 1: Good\n(00:00:00) Wombat\n");
    env.cmd(&["index", "ok", "-q"]).assert().success();
    let before = env.json(&["episodes"], 0);
    std::fs::write(
        env.path().join("latin1.txt"),
        b"Episode 2: Caf\xe9 au lait\n(00:00:00) Start\n",
    )
    .expect("write");
    let random: Vec<u8> = (0..65536u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(env.path().join("random.md"), &random).expect("write");
    env.write(
        "broken.xml",
        "<?xml version=\"1.0\"?>\n<rss><channel>\n<item><title>A</title></channel></rss>\n",
    );
    env.write(
        "bad.chapters.json",
        "{\"version\": \"1.2.0\", \"chapters\": [ {\"startTime\": 1,, ]}",
    );
    for (file, needle) in [
        ("latin1.txt", "offset 14"),
        ("random.md", "offset"),
        ("broken.xml", "line 3"),
        ("bad.chapters.json", "line 1"),
    ] {
        for cmd in ["parse", "index"] {
            let (code, out, err) = env.run(&[cmd, "ok/good.txt", file]);
            assert_eq!(code, 2, "{cmd} {file}: {out}");
            assert!(
                err.contains(file) && err.contains(needle),
                "{cmd} {file}: {err}"
            );
            assert!(!err.contains("panicked"), "{err}");
        }
    }
    assert_eq!(
        env.json(&["episodes"], 0),
        before,
        "a failed run must not touch the index"
    );
    env.write("more/new.txt", "Episode 3: New\n(00:00:00) Numbat\n");
    let (code, _, err) = env.run(&["index", "latin1.txt", "random.md", "more", "--keep-going"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("skipped") && err.contains("latin1.txt") && err.contains("random.md"),
        "{err}"
    );
    env.json(&["search", "numbat"], 0);
    let (code, out, err) = env.run(&["parse", "latin1.txt", "more", "--keep-going"]);
    assert_eq!(code, 2);
    assert!(
        out.contains("Numbat") && err.contains("latin1.txt"),
        "{out} {err}"
    );
}

#[test]
fn empty_and_ten_megabyte_single_line_files() {
    let env = Env::new();
    env.write("empty.txt", "");
    let v = env.json(&["parse", "empty.txt"], 0);
    assert_eq!(v["episodes"].as_array().map(Vec::len), Some(0));
    assert!(
        v["warnings"].to_string().contains("empty.txt")
            && v["warnings"].to_string().contains("empty")
    );
    // 10 MB on one line, timestamps run together: the run-together reader splits it.
    let mut line = String::from("Notes for a long walk.## Timestamps");
    let mut i = 0u64;
    while line.len() < 10 << 20 {
        line.push_str(&format!(
            "({:02}:{:02}:{:02}) chapter {i} about hedgerows ",
            i / 3600,
            i / 60 % 60,
            i % 60
        ));
        i += 1;
    }
    env.write("big.txt", &line);
    let v = env.json(&["parse", "big.txt"], 0);
    assert_eq!(v["episodes"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        v["episodes"][0]["chapters"].as_array().map(Vec::len),
        Some(10_000)
    );
    assert!(v["warnings"].to_string().contains("only the first 10000"));
    // 10 MB of prose on one line: one episode, its description capped.
    env.write("prose.txt", &"hedgerow ".repeat((10 << 20) / 9));
    let v = env.json(&["parse", "prose.txt"], 0);
    assert_eq!(
        v["episodes"][0]["chapters"].as_array().map(Vec::len),
        Some(0)
    );
    assert!(
        v["episodes"][0]["description"]
            .as_str()
            .is_some_and(|d| d.len() <= 64 * 1024)
    );
}

#[test]
fn warnings_reach_index_output_with_file_and_line() {
    let env = Env::new();
    env.write(
        "w.txt",
        "Sep 3, 2024 • 10min\nEpisode 1: Warned\n(00:05:00) Second\n(00:01:00) First\n(00:12:00) Late\n(00:61:00) Bad\n",
    );
    let v = env.json(&["index", "w.txt"], 0);
    let w: Vec<String> = v["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| {
            format!(
                "{} {}",
                w["source"].as_str().unwrap_or(""),
                w["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        w.iter()
            .any(|w| w.starts_with("w.txt:4 ") && w.contains("before the previous")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|w| w.starts_with("w.txt:5 ") && w.contains("after the episode's length")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|w| w.starts_with("w.txt:6 ") && w.contains("(00:61:00)")),
        "{w:?}"
    );
    assert_eq!(v["chapters"], 3);
    let (code, _, err) = env.run(&["index", "w.txt", "--rebuild"]);
    assert_eq!(code, 0);
    assert!(
        err.contains("podseek: warning: w.txt:6: invalid time (00:61:00)"),
        "{err}"
    );
}

#[test]
fn a_json_episode_list_is_indexed_with_chapters_and_jump_links() {
    // The shape podcast sites generate from their feeds (core.py's own site has one).
    let env = Env::new();
    let list = env.write(
        "allotment.json",
        r#"{"show": {"title": "The Allotment Hour"}, "episodes": [
  {"title": "Episode 12: Slugs & Snails", "number": "12", "date": "2024-09-03",
   "durationSeconds": 2400, "guid": "allot-12", "audioUrl": "https://cdn.example/a12.mp3",
   "description": "Beer traps.\n\n## Timestamps\n\n(00:00:00) Welcome\n(00:04:30) Beer traps for slugs\n(00:12:10) Copper tape"},
  {"title": "Episode 13.1: Compost, Part 1", "number": "13.1", "guid": "allot-13-1",
   "description": "(00:00:00) Hello\n(00:05:00) Hot composting"},
  {"title": "Episode 13.2: Compost, Part 2", "number": "13.2", "guid": "allot-13-2",
   "description": "(00:00:00) Hello again\n(00:06:00) Worm bins"}
]}"#,
    );
    let v = env.json(&["index", path(&list)], 0);
    assert_eq!(
        (v["added"].as_u64(), v["chapters"].as_u64()),
        (Some(3), Some(7))
    );
    let v = env.json(&["search", "slugs"], 0);
    let hit = &v["hits"][0];
    assert_eq!(hit["podcast"], "The Allotment Hour");
    assert_eq!(hit["episode"], 12);
    assert_eq!(hit["chapter_title"], "Beer traps for slugs");
    assert_eq!(hit["start"], "00:04:30");
    assert_eq!(hit["link"], "https://cdn.example/a12.mp3#t=270");
    let v = env.json(&["at", "12", "00:13:00"], 0);
    assert_eq!(v["title"], "Copper tape");
    assert_eq!(v["end_seconds"], 2400);
    // Two parts of one number stay two episodes, titled without the part's number.
    let (code, _, err) = env.run(&["show", "13"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("Compost, Part 1") && err.contains("Compost, Part 2"),
        "{err}"
    );
    // Re-reading the unchanged list changes nothing.
    let v = env.json(&["index", path(&list)], 0);
    assert_eq!(
        (v["added"].as_u64(), v["unchanged"].as_u64()),
        (Some(0), Some(3))
    );
}

#[test]
fn json_that_is_neither_chapters_nor_episodes_is_refused() {
    let env = Env::new();
    let other = env.write("package.json", r#"{"name": "x", "version": "1.0.0"}"#);
    let (code, _, err) = env.run(&["index", path(&other)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("package.json") && err.contains("\"episodes\""),
        "{err}"
    );
}

#[test]
fn a_folder_walk_reads_json_episode_lists_and_passes_over_other_json() {
    let env = Env::new();
    env.write(
        "notes/list.json",
        r#"{"show": "Walked", "episodes": [
            {"number": 7, "title": "Seven", "description": "(00:01:00) Quokka sightings"}
        ]}"#,
    );
    env.write(
        "notes/ep8.json",
        r#"{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Numbat burrows"}]}"#,
    );
    env.write("notes/package.json", r#"{"name": "x", "version": "1.0.0"}"#);
    env.write("notes/broken.json", "{ not json");
    // Broken, but naming `chapters`: a chapters file with a typo, said with its line.
    env.write(
        "notes/typo.json",
        "{\"chapters\": [\n  {\"startTime\": 0 \"title\": \"Dingo\"}\n]}",
    );
    env.write("notes/show.txt", "Episode 9: Nine\n(00:00:00) Bilby\n");
    let dir = env.path().join("notes");
    let v = env.json(&["index", dir.to_str().expect("path")], 0);
    assert_eq!(v["added"], 3, "{v}");
    let warnings = v["warnings"].to_string();
    assert!(
        !warnings.contains("package.json") && !warnings.contains("broken.json"),
        "{warnings}"
    );
    assert!(
        warnings.contains("typo.json:2") && warnings.contains("invalid JSON"),
        "{warnings}"
    );
    let hit = env.json(&["search", "quokka"], 0);
    assert_eq!(hit["hits"][0]["episode"], 7, "{hit}");
    assert_eq!(hit["hits"][0]["start"], "00:01:00");
    assert_eq!(env.json(&["search", "numbat"], 0)["total"], 1);
    // Unchanged, the walk changes nothing; a folder of other JSON only has no show notes.
    let v = env.json(&["index", dir.to_str().expect("path")], 0);
    assert_eq!(
        (v["added"].as_u64(), v["unchanged"].as_u64()),
        (Some(0), Some(3))
    );
    let only = env.path().join("only");
    std::fs::create_dir_all(&only).expect("mkdir");
    std::fs::write(only.join("package.json"), "{}").expect("write");
    let (code, _, err) = env.run(&["index", only.to_str().expect("path")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no show notes found"), "{err}");
    // ... and when what it passed over looks like a broken list, the error says so.
    std::fs::write(only.join("list.json"), "{\"episodes\": [}").expect("write");
    let (code, _, err) = env.run(&["index", only.to_str().expect("path")]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no show notes found") && err.contains("list.json:1: passed over"),
        "{err}"
    );
}
