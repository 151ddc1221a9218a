//! The shared, always-fresh index: each request checks whether `podseek index` committed since.
//!
//! tantivy's `reload()` reopens every segment, too much to do per request; a commit replaces
//! `meta.json` by rename, so comparing that file's metadata is a cheap, exact change test.

use crate::index::PodIndex;
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

/// What identifies one commit's `meta.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
}

fn stamp(dir: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(dir.join("meta.json")).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Stamp {
        modified: meta.modified().ok(),
        len: meta.len(),
        inode,
    })
}

/// What the page says about the index: refreshed with each reload.
#[derive(Debug, Clone, Default)]
pub(crate) struct Overview {
    /// Episodes indexed.
    pub episodes: usize,
    /// Chapters indexed.
    pub chapters: usize,
    /// The podcasts' names, sorted, without repeats.
    pub podcasts: Vec<String>,
}

struct Seen {
    stamp: Option<Stamp>,
    overview: Overview,
}

/// The index every handler reads, reloaded when a newer commit appears.
pub(crate) struct AppState {
    idx: PodIndex,
    seen: Mutex<Seen>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind; keep serving.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl AppState {
    /// Wraps an open index; the first request loads its newest commit.
    pub fn new(idx: PodIndex) -> AppState {
        AppState {
            idx,
            seen: Mutex::new(Seen {
                stamp: None,
                overview: Overview::default(),
            }),
        }
    }

    /// The index at its newest commit. Blocking: call it from the blocking pool.
    pub fn index(&self) -> &PodIndex {
        let now = stamp(&self.idx.dir);
        let mut seen = lock(&self.seen);
        if now.is_some() && now != seen.stamp {
            // On failure (a commit racing the reload) keep the last good searcher and retry on
            // the next request: the stamp stays old.
            match self.idx.reload().and_then(|()| self.idx.episodes()) {
                Ok(eps) => {
                    let mut podcasts: Vec<String> =
                        eps.iter().filter_map(|e| e.podcast.clone()).collect();
                    podcasts.sort();
                    podcasts.dedup();
                    seen.overview = Overview {
                        episodes: eps.len(),
                        chapters: eps.iter().map(|e| e.chapters.len()).sum(),
                        podcasts,
                    };
                    seen.stamp = now;
                }
                Err(e) => eprintln!("podseek: could not load the newest index commit: {e}"),
            }
        }
        &self.idx
    }

    /// Counts and names for the page, as of the last reload.
    pub fn overview(&self) -> Overview {
        self.index();
        lock(&self.seen).overview.clone()
    }
}
