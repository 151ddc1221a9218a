//! The judged corpus in a podseek index: the core.py seeds plus the invented Stack Frames notes,
//! and podseek's ranking of a judged query as item ids.

use crate::judge::{self, Judged};
use podseek::{IndexOptions, LoadOptions, PodIndex, SearchOptions, index, load, search};
use std::path::{Path, PathBuf};

/// The show notes the judged set was written from.
pub fn sources() -> (Vec<PathBuf>, PathBuf) {
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    (
        vec![
            f.join("000_b1a4522b4a17a99e.txt"),
            f.join("002_23fa507392eb8d30.txt"),
        ],
        f.join("relevance"),
    )
}

/// Parses the judged corpus: the seeds as podcast core.py, the rest by their podcast.toml.
pub fn loaded() -> load::Loaded {
    let (seeds, invented) = sources();
    let mut all = load::load(
        &seeds,
        &LoadOptions {
            podcast: Some("core.py".into()),
            ..LoadOptions::default()
        },
    )
    .expect("seeds load");
    let more = load::load(&[invented], &LoadOptions::default()).expect("fixtures/relevance loads");
    all.files.extend(more.files);
    all
}

/// Builds the index of the judged corpus in `dir`.
pub fn build_index(dir: &Path) -> PodIndex {
    index::update(dir, &mut loaded(), &IndexOptions::default(), &mut |_, _| {}).expect("index");
    PodIndex::open(dir).expect("open")
}

/// podseek's top results for a judged query, as item ids.
pub fn ranked(idx: &PodIndex, j: &Judged) -> Vec<String> {
    let opts = SearchOptions {
        limit: judge::NDCG_DEPTH,
        ..SearchOptions::default()
    };
    if j.by_episode() {
        let r = search::search_by_episode(idx, &j.query, &opts).expect("search");
        r.episodes
            .iter()
            .map(|e| judge::episode_id(e.podcast.as_deref(), e.episode, &e.episode_title))
            .collect()
    } else {
        let r = search::search(idx, &j.query, &opts).expect("search");
        r.hits
            .iter()
            .map(|h| {
                let ep = judge::episode_id(h.podcast.as_deref(), h.episode, &h.episode_title);
                match &h.chapter_title {
                    Some(_) => judge::chapter_id(&ep, h.start_seconds),
                    None => ep,
                }
            })
            .collect()
    }
}
