//! Property tests, bounded so they run in every `cargo test`: the fuzz targets' promises
//! (no panic, the chapter invariants) checked on arbitrary strings and on mutated fixtures.
//! The long fuzzing runs live in `fuzz/`; these keep what they found from coming back.

use crate::util::fixtures;
use podseek::notes::{MAX_CHAPTERS, MAX_DESCRIPTION_BYTES, MAX_TITLE_BYTES};
use podseek::{Episode, ParseOptions, PodIndex, SearchOptions};
use proptest::prelude::*;
use std::sync::OnceLock;

/// Pieces that mean something to one of the readers, spliced into seeds.
const PIECES: &[&str] = &[
    "(00:00:00) ",
    "(99:99:99)",
    "1:19:11\n",
    "\n--------\n",
    "Episode 7: ",
    "Episode 6 - ",
    "Sep 3, 2024 • 1h 31min\n",
    "## Timestamps",
    "PART 1: X",
    "\u{feff}",
    "\r\n",
    "<p>",
    "</p>",
    "<br>",
    "&amp;",
    "&#x0;",
    "&nbsp;",
    "<![CDATA[",
    "]]>",
    "<item>",
    "</item>",
    "<description>",
    "</description>",
    "\"startTime\": 1e308,",
    "\"startTime\": -1,",
    "{\"chapters\": [",
    "]}",
    "\u{0}",
    "\u{202e}",
    "é",
    "🎙️",
];

/// A fixture with a few cuts, repeats and splices at arbitrary places: input shaped like what
/// the reader expects, broken in the ways real files break.
fn mutated(seed: &'static str) -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        0..4usize,
        any::<prop::sample::Index>(),
    );
    prop::collection::vec(edit, 0..8).prop_map(move |edits| {
        let mut text = seed.to_string();
        for (at, op, piece) in edits {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            match op {
                0 => text.insert_str(i, PIECES[piece.index(PIECES.len())]),
                1 => text.truncate(i),
                2 => {
                    let tail = text[i..].chars().take(64).collect::<String>();
                    text.insert_str(i, &tail);
                }
                _ => {
                    let end = text[i..]
                        .char_indices()
                        .nth(piece.index(32) + 1)
                        .map_or(text.len(), |(j, _)| i + j);
                    text.replace_range(i..end, "");
                }
            }
        }
        text
    })
}

fn fixture(rel: &str) -> &'static str {
    let text = std::fs::read_to_string(fixtures().join(rel)).expect("fixture");
    Box::leak(text.into_boxed_str())
}

/// What every reader promises of an episode: a bounded, time-ordered chapter list whose ends
/// never come before their starts, and capped titles and descriptions.
fn check(ep: &Episode) -> Result<(), TestCaseError> {
    prop_assert!(ep.chapters.len() <= MAX_CHAPTERS);
    prop_assert!(ep.title.len() <= MAX_TITLE_BYTES, "{}", ep.title.len());
    prop_assert!(ep.description.len() <= MAX_DESCRIPTION_BYTES);
    for pair in ep.chapters.windows(2) {
        prop_assert!(pair[0].start_seconds <= pair[1].start_seconds, "{pair:?}");
    }
    for c in &ep.chapters {
        prop_assert!(c.end_seconds.is_none_or(|e| e >= c.start_seconds), "{c:?}");
        prop_assert!(c.title.len() <= MAX_TITLE_BYTES);
    }
    Ok(())
}

fn notes(text: &str) -> Result<(), TestCaseError> {
    let out = podseek::parse_str(text, "p.txt", &ParseOptions::default());
    for ep in &out.episodes {
        check(ep)?;
    }
    for w in &out.warnings {
        prop_assert!(w.source.starts_with("p.txt:"), "{w:?}");
    }
    Ok(())
}

fn feed(text: &str) -> Result<(), TestCaseError> {
    match podseek::feed::parse(text, "f.xml", &ParseOptions::default()) {
        Ok(f) => {
            for item in &f.items {
                check(&item.episode)?;
            }
        }
        Err(e) => prop_assert!(e.line >= 1 && e.offset <= text.len(), "{e:?}"),
    }
    Ok(())
}

fn chapters(text: &str) -> Result<(), TestCaseError> {
    if let Ok(file) = podseek::chapters_json::parse(text, "c.json") {
        let (ep, _) = podseek::chapters_json::to_episode(file, "c.json", "c", None, None);
        check(&ep)?;
    }
    Ok(())
}

/// A small real index of the bundled notes, built once for all query cases.
fn index() -> &'static PodIndex {
    static INDEX: OnceLock<(tempfile::TempDir, PodIndex)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            podseek::index::update(
                dir.path(),
                &mut podseek::load::bundled(),
                &podseek::IndexOptions::default(),
                &mut |_, _| {},
            )
            .expect("index the bundled notes");
            let idx = PodIndex::open(dir.path()).expect("open");
            (dir, idx)
        })
        .1
}

fn query(text: &str) -> Result<(), TestCaseError> {
    let opts = SearchOptions::default();
    match podseek::search::search(index(), text, &opts) {
        Ok(r) => {
            prop_assert!(r.hits.len() <= opts.limit);
            for h in &r.hits {
                for [a, b] in &h.highlights {
                    prop_assert!(a <= b && *b <= h.snippet.len(), "{h:?}");
                }
            }
        }
        Err(e) => prop_assert!(
            matches!(e, podseek::Error::BadQuery(_)),
            "a query fails only as a bad query: {e}"
        ),
    }
    if let Ok(g) = podseek::search::search_by_episode(index(), text, &opts) {
        prop_assert!(g.episodes.len() <= opts.limit);
    }
    Ok(())
}

/// Query-like text: words, operators, quotes, brackets and odd characters.
fn query_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        "[a-z]{1,12}",
        Just("garbage".to_string()),
        Just("collection".to_string()),
        "[-+~*?^:\"()\\[\\]{}!&|/\\\\]{1,3}",
        "(AND|OR|NOT|TO)",
        "[0-9]{1,9}",
        "\\PC{1,4}",
        "[\u{0}-\u{1f}]",
    ];
    prop::collection::vec(token, 1..24).prop_map(|t| t.join(" "))
}

/// HTML notes around a kilobyte or four, letters of one to four bytes: a character lands
/// across any fixed byte limit the readers look within.
fn html_notes() -> impl Strategy<Value = String> {
    ("[aé·🎙 ]{240,1400}", "[aé·🎙 \n]{0,3000}").prop_map(|(a, b)| {
        format!("<p>{a}</p><br>{b}<br><p>(00:00:00) Intro</p><p>(00:01:00) Close</p>")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn notes_parser_keeps_its_promises_on_any_string(text in any::<String>()) {
        notes(&text)?;
    }

    #[test]
    fn notes_parser_keeps_its_promises_on_mutated_notes(
        text in prop_oneof![
            mutated(fixture("000_b1a4522b4a17a99e.txt")),
            mutated(fixture("002_23fa507392eb8d30.txt")),
            mutated(fixture("styles/tricky.txt")),
            mutated(fixture("styles/notes.html")),
            mutated(fixture("styles/lists.md")),
            html_notes(),
        ]
    ) {
        notes(&text)?;
    }

    #[test]
    fn feed_reader_keeps_its_promises(
        text in prop_oneof![
            any::<String>(),
            mutated(fixture("feeds/night-sky.xml")),
            html_notes().prop_map(|h| format!(
                "<rss><channel><item><title>T</title><description><![CDATA[{h}]]></description></item></channel></rss>"
            )),
        ]
    ) {
        feed(&text)?;
    }

    #[test]
    fn chapters_reader_keeps_its_promises(
        text in prop_oneof![
            any::<String>(),
            mutated(fixture("chapters/sourdough-starter.chapters.json")),
            mutated(fixture("feeds/chapters/nsn-005.chapters.json")),
        ]
    ) {
        chapters(&text)?;
    }

    #[test]
    fn queries_get_an_answer_or_a_bad_query_error(
        text in prop_oneof![any::<String>(), query_text()]
    ) {
        query(&text)?;
    }
}
