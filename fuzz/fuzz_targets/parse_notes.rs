//! Any bytes through the show-notes reader: no panic, and the parse's own invariants hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = podseek::load::decode(std::path::Path::new("fuzz.txt"), data.to_vec()) else {
        return;
    };
    let out = podseek::parse_str(&text, "fuzz.txt", &podseek::ParseOptions::default());
    for ep in &out.episodes {
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
});
