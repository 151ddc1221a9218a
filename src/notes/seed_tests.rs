//! Ground truth for the two seed files, read off the files by hand.
//!
//! Every value here was taken from the raw text of the fixtures (timestamps
//! converted to seconds by hand and cross-checked), never from parser output.

use super::*;

const F000: &str = "fixtures/000_b1a4522b4a17a99e.txt";
const F002: &str = "fixtures/002_23fa507392eb8d30.txt";
const TEXT000: &str = include_str!("../../fixtures/000_b1a4522b4a17a99e.txt");
const TEXT002: &str = include_str!("../../fixtures/002_23fa507392eb8d30.txt");

/// Total number of chapters in both seed files.
const TOTAL_CHAPTERS: usize = 308;

/// One episode, as it must come out of the parser.
struct EpisodeRow {
    file: &'static str,
    number: Option<u32>,
    title: &'static str,
    date: Option<&'static str>,
    duration_seconds: Option<u64>,
    chapters: usize,
}

/// One chapter of an episode, identified by file, episode number and its
/// index in the episode's chapter list.
struct ChapterRow {
    file: &'static str,
    episode: Option<u32>,
    index: usize,
    start_seconds: u64,
    end_seconds: Option<u64>,
    title: &'static str,
    section: Option<&'static str>,
}

fn parse_file(source: &str) -> ParseOutput {
    let text = match source {
        F000 => TEXT000,
        F002 => TEXT002,
        other => panic!("unknown seed file {other}"),
    };
    parse_str(text, source, &ParseOptions::default())
}

fn parse_both() -> Vec<(&'static str, ParseOutput)> {
    vec![(F000, parse_file(F000)), (F002, parse_file(F002))]
}

fn label(file: &str, number: Option<u32>) -> String {
    match number {
        Some(n) => format!("{file} Episode {n}"),
        None => format!("{file} episode without number"),
    }
}

/// The one episode of `out` with this number (None: the unnumbered one).
fn find_episode<'a>(out: &'a ParseOutput, file: &str, number: Option<u32>) -> &'a Episode {
    let found: Vec<&Episode> = out.episodes.iter().filter(|e| e.number == number).collect();
    assert_eq!(
        found.len(),
        1,
        "{}: expected exactly one such episode, found {}",
        label(file, number),
        found.len()
    );
    found[0]
}

const EPISODES: [EpisodeRow; 15] = [
    EpisodeRow {
        file: F000,
        number: None,
        title: "Python 3.14 Beta 1 is coming!",
        date: None,
        duration_seconds: Some(4751),
        chapters: 10,
    },
    EpisodeRow {
        file: F000,
        number: Some(21),
        title: "A Garbage Episode",
        date: None,
        duration_seconds: Some(7054),
        chapters: 29,
    },
    EpisodeRow {
        file: F000,
        number: Some(20),
        title: "Remote Code Execution By Design",
        date: None,
        duration_seconds: Some(6260),
        chapters: 23,
    },
    EpisodeRow {
        file: F000,
        number: Some(19),
        title: "Async hacks, unicorns and velociraptors",
        date: None,
        duration_seconds: Some(7641),
        chapters: 34,
    },
    EpisodeRow {
        file: F000,
        number: Some(18),
        title: "Reference Counting",
        date: None,
        duration_seconds: None,
        chapters: 31,
    },
    EpisodeRow {
        file: F002,
        number: Some(14),
        title: "Integration Events",
        date: Some("2024-09-03"),
        duration_seconds: Some(5460),
        chapters: 35,
    },
    EpisodeRow {
        file: F002,
        number: Some(13),
        title: "A Legit Episode",
        date: Some("2024-06-29"),
        duration_seconds: Some(6720),
        chapters: 0,
    },
    EpisodeRow {
        file: F002,
        number: Some(12),
        title: "WTF Python",
        date: Some("2024-06-10"),
        duration_seconds: Some(5100),
        chapters: 0,
    },
    EpisodeRow {
        file: F002,
        number: Some(11),
        title: "Live from PyCon 2024",
        date: Some("2024-05-28"),
        duration_seconds: Some(1860),
        chapters: 16,
    },
    EpisodeRow {
        file: F002,
        number: Some(10),
        title: "The Interactive REPL",
        date: Some("2024-05-03"),
        duration_seconds: Some(4980),
        chapters: 34,
    },
    EpisodeRow {
        file: F002,
        number: Some(9),
        title: "Py Day with Emily Morehouse-Valcarcel",
        date: Some("2024-03-14"),
        duration_seconds: Some(4200),
        chapters: 35,
    },
    EpisodeRow {
        file: F002,
        number: Some(8),
        title: "The New Parser",
        date: Some("2024-03-01"),
        duration_seconds: Some(6180),
        chapters: 33,
    },
    EpisodeRow {
        file: F002,
        number: Some(7),
        title: "The Old Parser",
        date: Some("2024-01-31"),
        duration_seconds: Some(4980),
        chapters: 0,
    },
    EpisodeRow {
        file: F002,
        number: Some(6),
        title: "An Exceptional Episode",
        date: Some("2024-01-08"),
        duration_seconds: Some(5460),
        chapters: 0,
    },
    EpisodeRow {
        file: F002,
        number: Some(5),
        title: "Cinder with Carl Meyer",
        date: Some("2023-12-11"),
        duration_seconds: Some(4860),
        chapters: 28,
    },
];

const CHAPTERS: &[ChapterRow] = &[
    ChapterRow {
        file: F000,
        episode: None,
        index: 0,
        start_seconds: 0,
        end_seconds: Some(118),
        title: "INTRO",
        section: None,
    },
    ChapterRow {
        file: F000,
        episode: None,
        index: 1,
        start_seconds: 118,
        end_seconds: Some(430),
        title: "PART 1: Template strings",
        section: None,
    },
    ChapterRow {
        file: F000,
        episode: None,
        index: 8,
        start_seconds: 4133,
        end_seconds: Some(4563),
        title: "PART 8: What else is happening?",
        section: None,
    },
    ChapterRow {
        file: F000,
        episode: None,
        index: 9,
        start_seconds: 4563,
        end_seconds: Some(4751),
        title: "OUTRO",
        section: Some("PART 8: What else is happening?"),
    },
    ChapterRow {
        file: F000,
        episode: Some(21),
        index: 0,
        start_seconds: 0,
        end_seconds: Some(123),
        title: "THE FUCKING INTRO",
        section: None,
    },
    ChapterRow {
        file: F000,
        episode: Some(21),
        index: 2,
        start_seconds: 199,
        end_seconds: Some(237),
        title: "PART 1: GARBAGE COLLECTION",
        section: None,
    },
    ChapterRow {
        file: F000,
        episode: Some(21),
        index: 4,
        start_seconds: 515,
        end_seconds: Some(705),
        title: "Solving reference cycles through PyGC_Head",
        section: Some("PART 1: GARBAGE COLLECTION"),
    },
    ChapterRow {
        file: F000,
        episode: Some(21),
        index: 11,
        start_seconds: 2601,
        end_seconds: Some(3146),
        title: "Why do you need \"generations\"?",
        section: Some("PART 1: GARBAGE COLLECTION"),
    },
    ChapterRow {
        file: F000,
        episode: Some(21),
        index: 16,
        start_seconds: 4208,
        end_seconds: Some(4260),
        title: "Incremental GC talk is DEFERRED",
        section: Some("PART 1: GARBAGE COLLECTION"),
    },
    ChapterRow {
        file: F000,
        episode: Some(21),
        index: 17,
        start_seconds: 4260,
        end_seconds: Some(4635),
        title: "PART 2: PR OF THE WEEK",
        section: None,
    },
    ChapterRow {
        file: F000,
        episode: Some(21),
        index: 24,
        start_seconds: 5854,
        end_seconds: Some(5904),
        title: "HACL*",
        section: Some("PART 3: WHAT'S GOING ON IN CPYTHON?"),
    },
    ChapterRow {
        file: F000,
        episode: Some(21),
        index: 25,
        start_seconds: 5904,
        end_seconds: Some(5934),
        title: "fnmatch.filterfalse()",
        section: Some("PART 3: WHAT'S GOING ON IN CPYTHON?"),
    },
    ChapterRow {
        file: F000,
        episode: Some(21),
        index: 28,
        start_seconds: 6889,
        end_seconds: Some(7054),
        title: "OUTRO",
        section: Some("PART 3: WHAT'S GOING ON IN CPYTHON?"),
    },
    ChapterRow {
        file: F000,
        episode: Some(20),
        index: 0,
        start_seconds: 0,
        end_seconds: Some(136),
        title: "INTRO",
        section: None,
    },
    ChapterRow {
        file: F000,
        episode: Some(20),
        index: 7,
        start_seconds: 1875,
        end_seconds: Some(1977),
        title: "What if you don't trust Pablo?",
        section: Some("PART 1: PABLO'S LATEST PEP"),
    },
    ChapterRow {
        file: F000,
        episode: Some(20),
        index: 10,
        start_seconds: 2816,
        end_seconds: Some(3344),
        title: "PART 2: BETS",
        section: None,
    },
    ChapterRow {
        file: F000,
        episode: Some(20),
        index: 11,
        start_seconds: 3344,
        end_seconds: Some(3350),
        title: "PART 3: PR OF THE WEEK",
        section: None,
    },
    ChapterRow {
        file: F000,
        episode: Some(20),
        index: 12,
        start_seconds: 3350,
        end_seconds: Some(4214),
        title: "Łukasz: syntax highlighting in PyREPL",
        section: Some("PART 3: PR OF THE WEEK"),
    },
    ChapterRow {
        file: F000,
        episode: Some(20),
        index: 18,
        start_seconds: 5768,
        end_seconds: Some(5817),
        title: "concurrent.futures.Executor.map(buffersize=)",
        section: Some("PART 4: WHAT'S GOING ON IN CPYTHON"),
    },
    ChapterRow {
        file: F000,
        episode: Some(20),
        index: 22,
        start_seconds: 6119,
        end_seconds: Some(6260),
        title: "OUTRO",
        section: Some("PART 4: WHAT'S GOING ON IN CPYTHON"),
    },
    ChapterRow {
        file: F000,
        episode: Some(19),
        index: 0,
        start_seconds: 0,
        end_seconds: Some(93),
        title: "INTRO",
        section: None,
    },
    ChapterRow {
        file: F000,
        episode: Some(19),
        index: 14,
        start_seconds: 4761,
        end_seconds: Some(5005),
        title: "uvloop",
        section: Some("PART 1: INTERVIEW"),
    },
    ChapterRow {
        file: F000,
        episode: Some(19),
        index: 16,
        start_seconds: 5997,
        end_seconds: Some(6428),
        title: "PART 2: PR OF THE WEEK",
        section: None,
    },
    ChapterRow {
        file: F000,
        episode: Some(19),
        index: 17,
        start_seconds: 6428,
        end_seconds: Some(6635),
        title: "Saturday talks at PyCon should be fun",
        section: Some("PART 2: PR OF THE WEEK"),
    },
    ChapterRow {
        file: F000,
        episode: Some(19),
        index: 33,
        start_seconds: 7463,
        end_seconds: Some(7641),
        title: "OUTRO",
        section: Some("PART 3: WHAT'S GOING ON IN CPYTHON"),
    },
    ChapterRow {
        file: F000,
        episode: Some(18),
        index: 0,
        start_seconds: 0,
        end_seconds: Some(257),
        title: "INTRO",
        section: None,
    },
    ChapterRow {
        file: F000,
        episode: Some(18),
        index: 1,
        start_seconds: 257,
        end_seconds: Some(413),
        title: "PART 0: SPORTS NEWS",
        section: None,
    },
    ChapterRow {
        file: F000,
        episode: Some(18),
        index: 8,
        start_seconds: 1388,
        end_seconds: Some(1521),
        title: "sys.getrefcount()",
        section: Some("PART 1: REFERENCE COUNTING"),
    },
    ChapterRow {
        file: F000,
        episode: Some(18),
        index: 17,
        start_seconds: 2645,
        end_seconds: Some(2742),
        title: "Freeing memory in Python doesn't return it to the OS",
        section: Some("PART 1: REFERENCE COUNTING"),
    },
    ChapterRow {
        file: F000,
        episode: Some(18),
        index: 22,
        start_seconds: 3640,
        end_seconds: Some(3763),
        title: "PART 2: WHAT'S GOING ON IN CPYTHON",
        section: None,
    },
    ChapterRow {
        file: F000,
        episode: Some(18),
        index: 30,
        start_seconds: 5840,
        end_seconds: None,
        title: "OUTRO",
        section: Some("PART 2: WHAT'S GOING ON IN CPYTHON"),
    },
    ChapterRow {
        file: F002,
        episode: Some(14),
        index: 0,
        start_seconds: 0,
        end_seconds: Some(90),
        title: "INTRO",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(14),
        index: 8,
        start_seconds: 1550,
        end_seconds: Some(2032),
        title: "Łukasz and the all-singing all-dancing pyrepl",
        section: Some("PART 1: EuroPython highlights"),
    },
    ChapterRow {
        file: F002,
        episode: Some(14),
        index: 16,
        start_seconds: 3976,
        end_seconds: Some(4388),
        title: "PART 3: PR OF THE WEEK",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(14),
        index: 17,
        start_seconds: 4388,
        end_seconds: Some(4412),
        title: "PART 4: WHAT'S GOING ON IN CPYTHON",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(14),
        index: 30,
        start_seconds: 5134,
        end_seconds: Some(5192),
        title: "The \"What's New in 3.13\" document getting some love",
        section: Some("PART 4: WHAT'S GOING ON IN CPYTHON"),
    },
    ChapterRow {
        file: F002,
        episode: Some(14),
        index: 34,
        start_seconds: 5393,
        end_seconds: Some(5460),
        title: "OUTRO",
        section: Some("PART 4: WHAT'S GOING ON IN CPYTHON"),
    },
    ChapterRow {
        file: F002,
        episode: Some(11),
        index: 0,
        start_seconds: 0,
        end_seconds: Some(121),
        title: "INTRO",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(11),
        index: 8,
        start_seconds: 1096,
        end_seconds: Some(1123),
        title: "Q&A",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(11),
        index: 10,
        start_seconds: 1332,
        end_seconds: Some(1382),
        title: "What happens in 2100 with CalVer?",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(11),
        index: 15,
        start_seconds: 1717,
        end_seconds: Some(1860),
        title: "OUTRO",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(10),
        index: 0,
        start_seconds: 0,
        end_seconds: Some(113),
        title: "INTRO",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(10),
        index: 4,
        start_seconds: 345,
        end_seconds: Some(380),
        title: "Chrząszcz",
        section: Some("PART 1: History of Terminals"),
    },
    ChapterRow {
        file: F002,
        episode: Some(10),
        index: 11,
        start_seconds: 1873,
        end_seconds: Some(2169),
        title: "Implementing a REPL from scratch? Prepare to support arg: 5",
        section: Some("PART 2: Python REPL Today"),
    },
    ChapterRow {
        file: F002,
        episode: Some(10),
        index: 23,
        start_seconds: 3578,
        end_seconds: Some(3759),
        title: "PART 4: WHAT'S HAPPENING IN CPYTHON?",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(10),
        index: 24,
        start_seconds: 3759,
        end_seconds: Some(3965),
        title: "PEP 744: The JIT",
        section: Some("PART 4: WHAT'S HAPPENING IN CPYTHON?"),
    },
    ChapterRow {
        file: F002,
        episode: Some(10),
        index: 33,
        start_seconds: 4844,
        end_seconds: Some(4980),
        title: "OUTRO",
        section: Some("PART 4: WHAT'S HAPPENING IN CPYTHON?"),
    },
    ChapterRow {
        file: F002,
        episode: Some(9),
        index: 0,
        start_seconds: 0,
        end_seconds: Some(56),
        title: "INTRO",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(9),
        index: 4,
        start_seconds: 350,
        end_seconds: Some(372),
        title: "Łukasz outnumbered in a world of Steering Council members",
        section: Some("PART 1: Emily Morehouse"),
    },
    ChapterRow {
        file: F002,
        episode: Some(9),
        index: 14,
        start_seconds: 1552,
        end_seconds: Some(1702),
        title: "Syntax changes in Python are rare, right? Right?",
        section: Some("PART 1: Emily Morehouse"),
    },
    ChapterRow {
        file: F002,
        episode: Some(9),
        index: 26,
        start_seconds: 3060,
        end_seconds: Some(3240),
        title: "PART 2: PR of the Week",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(9),
        index: 27,
        start_seconds: 3240,
        end_seconds: Some(3382),
        title: "CALL TO ACTION: Upgrade Python.org to Django 4!",
        section: Some("PART 2: PR of the Week"),
    },
    ChapterRow {
        file: F002,
        episode: Some(9),
        index: 34,
        start_seconds: 4091,
        end_seconds: Some(4200),
        title: "OUTRO",
        section: Some("PART 3: What's Going On in CPython?"),
    },
    ChapterRow {
        file: F002,
        episode: Some(8),
        index: 0,
        start_seconds: 0,
        end_seconds: Some(54),
        title: "INTRO",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(8),
        index: 3,
        start_seconds: 303,
        end_seconds: Some(503),
        title: "What's a \"parsing expression\"?",
        section: Some("PART 1: What even is PEG?"),
    },
    ChapterRow {
        file: F002,
        episode: Some(8),
        index: 5,
        start_seconds: 577,
        end_seconds: Some(796),
        title: "\"Soft keywords\" in LL1: A Horror Story",
        section: Some("PART 1: What even is PEG?"),
    },
    ChapterRow {
        file: F002,
        episode: Some(8),
        index: 25,
        start_seconds: 4496,
        end_seconds: Some(4965),
        title: "The secret profiler inside CPython (tests)",
        section: Some("PART 4: PR OF THE WEEK"),
    },
    ChapterRow {
        file: F002,
        episode: Some(8),
        index: 26,
        start_seconds: 4965,
        end_seconds: Some(5010),
        title: "PART 5: WHAT'S GOING ON IN CPYTHON?",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(8),
        index: 32,
        start_seconds: 6068,
        end_seconds: Some(6180),
        title: "OUTRO",
        section: Some("PART 5: WHAT'S GOING ON IN CPYTHON?"),
    },
    ChapterRow {
        file: F002,
        episode: Some(5),
        index: 0,
        start_seconds: 0,
        end_seconds: Some(53),
        title: "INTRO",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(5),
        index: 11,
        start_seconds: 2115,
        end_seconds: Some(2379),
        title: "asyncio.eager_task_factory()",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(5),
        index: 13,
        start_seconds: 2689,
        end_seconds: Some(3127),
        title: "PR OF THE WEEK: PyPy's REPL in CPython",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(5),
        index: 14,
        start_seconds: 3127,
        end_seconds: Some(3142),
        title: "WHAT'S GOING ON IN CPYTHON",
        section: None,
    },
    ChapterRow {
        file: F002,
        episode: Some(5),
        index: 27,
        start_seconds: 4801,
        end_seconds: Some(4860),
        title: "OUTRO",
        section: None,
    },
];

#[test]
fn episode_table_matches() {
    for (file, out) in parse_both() {
        let rows: Vec<&EpisodeRow> = EPISODES.iter().filter(|r| r.file == file).collect();
        let titles: Vec<&str> = out.episodes.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(
            out.episodes.len(),
            rows.len(),
            "{file}: wrong number of episodes; got titles {titles:?}"
        );
        for (i, (row, ep)) in rows.iter().zip(&out.episodes).enumerate() {
            let what = format!("{} (episode #{i} in file order)", label(file, row.number));
            assert_eq!(ep.number, row.number, "{what}: number");
            assert_eq!(ep.title, row.title, "{what}: title");
            assert_eq!(ep.date.as_deref(), row.date, "{what}: date");
            assert_eq!(
                ep.duration_seconds, row.duration_seconds,
                "{what}: duration_seconds"
            );
            let chapter_titles: Vec<&str> = ep.chapters.iter().map(|c| c.title.as_str()).collect();
            assert_eq!(
                ep.chapters.len(),
                row.chapters,
                "{what}: chapter count; got {chapter_titles:?}"
            );
        }
    }
}

#[test]
fn episode_counts_per_file() {
    assert_eq!(parse_file(F000).episodes.len(), 5, "{F000}: episode count");
    assert_eq!(parse_file(F002).episodes.len(), 10, "{F002}: episode count");
}

#[test]
fn sampled_chapters_match() {
    let parsed = parse_both();
    for row in CHAPTERS {
        let out = &parsed
            .iter()
            .find(|(f, _)| *f == row.file)
            .expect("file parsed")
            .1;
        let ep = find_episode(out, row.file, row.episode);
        let what = format!(
            "{} chapter [{}] {:?}",
            label(row.file, row.episode),
            row.index,
            row.title
        );
        let Some(ch) = ep.chapters.get(row.index) else {
            panic!("{what}: episode has only {} chapters", ep.chapters.len());
        };
        assert_eq!(ch.title, row.title, "{what}: title");
        assert_eq!(ch.start_seconds, row.start_seconds, "{what}: start_seconds");
        assert_eq!(ch.end_seconds, row.end_seconds, "{what}: end_seconds");
        assert_eq!(ch.section.as_deref(), row.section, "{what}: section");
    }
}

#[test]
fn total_chapter_count() {
    let table: usize = EPISODES.iter().map(|r| r.chapters).sum();
    assert_eq!(table, TOTAL_CHAPTERS, "the ground-truth table itself");
    let parsed: usize = parse_both()
        .iter()
        .flat_map(|(_, out)| &out.episodes)
        .map(|e| e.chapters.len())
        .sum();
    assert_eq!(parsed, TOTAL_CHAPTERS, "chapters across both seed files");
}

#[test]
fn first_block_of_000_is_unnumbered_and_warned_about() {
    let out = parse_file(F000);
    let first = out.episodes.first().expect("000: no episodes at all");
    assert_eq!(first.number, None, "000 first block: number");
    assert_eq!(
        first.title, "Python 3.14 Beta 1 is coming!",
        "000 first block: title is the first sentence"
    );
    let prefix = format!("{F000}:");
    assert!(
        out.warnings.iter().any(|w| w.source.starts_with(&prefix)),
        "000: expected a warning sourced at {prefix}..., got {:?}",
        out.warnings
            .iter()
            .map(|w| (&w.source, &w.message))
            .collect::<Vec<_>>()
    );
}

#[test]
fn blurb_of_000_belongs_to_no_episode() {
    let out = parse_file(F000);
    let ep18 = find_episode(&out, F000, Some(18));
    let last = ep18.chapters.last().expect("000 Episode 18: no chapters");
    assert_eq!(last.title, "OUTRO", "000 Episode 18: last chapter title");
    assert_eq!(last.start_seconds, 5840, "000 Episode 18: OUTRO start");
    assert_eq!(last.end_seconds, None, "000 Episode 18: OUTRO end");
    for ep in &out.episodes {
        let what = label(F000, ep.number);
        for needle in ["Hi Loren", "We talk about Python internals"] {
            assert!(
                !ep.description.contains(needle),
                "{what}: description contains blurb text {needle:?}"
            );
            for ch in &ep.chapters {
                assert!(
                    !ch.title.contains(needle),
                    "{what}: chapter {:?} contains blurb text {needle:?}",
                    ch.title
                );
            }
        }
    }
}

#[test]
fn snips_lines_are_not_chapters() {
    for (file, out) in parse_both() {
        for ep in &out.episodes {
            for ch in &ep.chapters {
                assert!(
                    !ch.title.contains("snips"),
                    "{}: chapter {:?} contains \"snips\"",
                    label(file, ep.number),
                    ch.title
                );
            }
        }
    }
}

#[test]
fn descriptions_exclude_timestamp_lists() {
    for (file, out) in parse_both() {
        for ep in &out.episodes {
            for needle in ["## Timestamps", "# Timestamps", "## Outline", "(00:00:00)"] {
                assert!(
                    !ep.description.contains(needle),
                    "{}: description contains {needle:?}: {:?}",
                    label(file, ep.number),
                    ep.description
                );
            }
        }
    }
}

#[test]
fn description_of_episode_21() {
    let out = parse_file(F000);
    let ep = find_episode(&out, F000, Some(21));
    assert!(
        ep.description
            .starts_with("We talked about this episode for months now"),
        "000 Episode 21: description start: {:?}",
        ep.description
    );
    assert!(
        ep.description.ends_with("Explicitly."),
        "000 Episode 21: description end: {:?}",
        ep.description
    );
}

#[test]
fn chapters_are_sorted_and_well_formed() {
    for (file, out) in parse_both() {
        for ep in &out.episodes {
            let what = label(file, ep.number);
            for ch in &ep.chapters {
                if let Some(end) = ch.end_seconds {
                    assert!(
                        end >= ch.start_seconds,
                        "{what}: chapter {:?} ends ({end}) before it starts ({})",
                        ch.title,
                        ch.start_seconds
                    );
                }
            }
            for pair in ep.chapters.windows(2) {
                assert!(
                    pair[0].start_seconds <= pair[1].start_seconds,
                    "{what}: chapters out of order: {:?} ({}) before {:?} ({})",
                    pair[0].title,
                    pair[0].start_seconds,
                    pair[1].title,
                    pair[1].start_seconds
                );
                assert_eq!(
                    pair[0].end_seconds,
                    Some(pair[1].start_seconds),
                    "{what}: chapter {:?} must end where {:?} starts",
                    pair[0].title,
                    pair[1].title
                );
            }
            if let Some(last) = ep.chapters.last() {
                assert_eq!(
                    last.end_seconds, ep.duration_seconds,
                    "{what}: last chapter {:?} must end at the episode's duration",
                    last.title
                );
            }
        }
    }
}
