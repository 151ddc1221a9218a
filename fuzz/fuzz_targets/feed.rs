//! Any bytes through the RSS feed reader: a feed or a positioned error, never a panic, and
//! every episode it gives keeps the chapter invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let opts = podseek::ParseOptions::default();
    match podseek::feed::parse(text, "fuzz.xml", &opts) {
        Ok(feed) => {
            for item in &feed.items {
                check(&item.episode);
            }
            for w in &feed.warnings {
                assert!(w.source.starts_with("fuzz.xml:"), "{w:?}");
            }
        }
        Err(e) => {
            assert!(e.line >= 1 && e.column >= 1, "{e:?}");
            assert!(e.offset <= text.len(), "{e:?}");
        }
    }
});

fn check(ep: &podseek::Episode) {
    assert!(ep.chapters.len() <= podseek::notes::MAX_CHAPTERS);
    for pair in ep.chapters.windows(2) {
        assert!(pair[0].start_seconds <= pair[1].start_seconds);
    }
    for c in &ep.chapters {
        if let Some(end) = c.end_seconds {
            assert!(end >= c.start_seconds);
        }
    }
}
