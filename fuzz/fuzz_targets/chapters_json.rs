//! Any bytes through the Podcasting 2.0 chapters reader: a file or a clean error, never a
//! panic; what it gives keeps the chapter invariants and survives a write and a re-read.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = podseek::chapters_json::parse(text, "fuzz.chapters.json") else {
        return;
    };
    let (ep, _) = podseek::chapters_json::to_episode(file, "fuzz.chapters.json", "fuzz", None, None);
    assert!(ep.chapters.len() <= podseek::notes::MAX_CHAPTERS);
    for pair in ep.chapters.windows(2) {
        assert!(pair[0].start_seconds <= pair[1].start_seconds);
    }
    for c in &ep.chapters {
        if let Some(end) = c.end_seconds {
            assert!(end >= c.start_seconds);
        }
    }
    // What podseek writes it must read back, with the same start times.
    let again = podseek::chapters_json::parse(&podseek::chapters_json::to_json(&ep), "again")
        .expect("podseek reads its own chapters files");
    let starts: Vec<u64> = ep.chapters.iter().map(|c| c.start_seconds).collect();
    let back: Vec<u64> = again.chapters.iter().map(|c| c.seconds).collect();
    assert_eq!(starts, back);
});
