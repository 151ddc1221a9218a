//! Any query string against a real index of the bundled notes: an answer or a clean error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn index() -> &'static podseek::PodIndex {
    static INDEX: OnceLock<(tempfile::TempDir, podseek::PodIndex)> = OnceLock::new();
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
            let idx = podseek::PodIndex::open(dir.path()).expect("open");
            (dir, idx)
        })
        .1
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let opts = podseek::SearchOptions::default();
    if let Ok(r) = podseek::search::search(index(), query, &opts) {
        assert!(r.hits.len() <= opts.limit);
        for h in &r.hits {
            for [a, b] in &h.highlights {
                assert!(a <= b && *b <= h.snippet.len());
            }
        }
    }
    let _ = podseek::search::search_by_episode(index(), query, &opts);
});
