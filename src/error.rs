//! The library's error type: callers (the CLI, the server) tell cases apart by variant.

use std::path::PathBuf;

/// Everything the engine can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// Input that is not text podseek can read (not UTF-8, binary).
    #[error("{path}: {message}")]
    BadInput {
        /// The offending file.
        path: PathBuf,
        /// What is wrong, with the byte offset or line.
        message: String,
    },
    /// No index exists at the location.
    #[error("no index at {0}; run `podseek index` first")]
    NoIndex(PathBuf),
    /// The directory is not a podseek index or it is damaged.
    #[error("cannot open the index at {dir}: {message}")]
    BadIndex {
        /// The index directory.
        dir: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The index was written by another version of podseek.
    #[error(
        "the index at {dir} was written with schema version {found}, this podseek uses {expected}; run `podseek index --rebuild`"
    )]
    SchemaMismatch {
        /// The index directory.
        dir: PathBuf,
        /// The version on disk (or "unknown").
        found: String,
        /// The version this build writes.
        expected: u32,
    },
    /// Another process holds the index's writer lock.
    #[error(
        "the index at {0} is being updated by another podseek process; try again when it is done"
    )]
    Locked(PathBuf),
    /// A time argument that is not `hh:mm:ss`, `mm:ss` or seconds.
    #[error("invalid time {0:?}: use hh:mm:ss, mm:ss or seconds (minutes and seconds below 60)")]
    BadTime(String),
    /// A query podseek refuses (too long, empty).
    #[error("invalid query: {0}")]
    BadQuery(String),
    /// A synonyms line that cannot be used.
    #[error("{at}: {message}")]
    BadSynonyms {
        /// `file:line` of the line.
        at: String,
        /// What is wrong with it.
        message: String,
    },
    /// An invalid option value.
    #[error("{0}")]
    BadOption(String),
    /// A followed source that could not be read (`add`).
    #[error("{0}")]
    Source(String),
    /// No such episode in the index.
    #[error("no episode {0} in the index; `podseek episodes` lists them")]
    EpisodeNotFound(String),
    /// An episode number several episodes share.
    #[error("episode {number} is ambiguous; use --podcast or --title to choose one of: {}", candidates.join("; "))]
    AmbiguousEpisode {
        /// The number asked for.
        number: u32,
        /// Labels of the episodes that share it.
        candidates: Vec<String>,
    },
    /// An error from tantivy that is not the user's doing.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// Writing the index or its files failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The path being written.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
