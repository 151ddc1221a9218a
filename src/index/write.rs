//! Incremental indexing: new and changed episodes are (re)written, the rest skipped, in one commit.

use super::analyzer::PairWords;
use super::content_hash::content_hash;
use super::groups::EpisodeGroups;
use super::queue::{InFlight, Queued};
use super::schema::{self, Fields, KIND_EPISODE};
use super::{Payload, SCHEMA_VERSION, exists, open_error};
use crate::error::{Error, Result};
use crate::load::{Loaded, SourceFile};
use crate::model::{Episode, Warning};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use tantivy::collector::Count;
use tantivy::directory::error::LockError;
use tantivy::index::SegmentMeta;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy, NoMergePolicy, UserOperation};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Index, IndexWriter, TERMINATED, TantivyDocument, TantivyError, Term};

/// How to run an index update.
#[derive(Debug, Clone, Default)]
pub struct IndexOptions {
    /// Start from an empty index (also replaces an index of another schema version).
    pub rebuild: bool,
    /// Writer memory budget in bytes; 0 picks a default sized to the machine.
    pub memory_budget: usize,
    /// How long to wait for another process's writer lock; None fails at once.
    pub wait: Option<std::time::Duration>,
    /// Fewest chapters a word must be in to get pair terms, when a build chooses its pair words;
    /// None: `PAIR_MIN_DOCS` or `PAIR_MIN_SHARE` of the chapters, whichever is more.
    pub pair_min_docs: Option<u64>,
}

/// What an update did; `episodes` and `chapters` are the totals after it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct IndexSummary {
    /// Episodes not in the index before.
    pub added: usize,
    /// Episodes whose content changed.
    pub updated: usize,
    /// Episodes left as they were.
    pub unchanged: usize,
    /// Episodes that disappeared from a re-read source file.
    pub removed: usize,
    /// Episodes in the index after the run.
    pub episodes: u64,
    /// Chapters in the index after the run.
    pub chapters: u64,
    /// Problems in the input.
    pub warnings: Vec<Warning>,
}

/// What is already indexed about one episode.
struct Existing {
    hash: u64,
    loc_hash: u64,
    file_hash: u64,
    /// Shared: a file holds many episodes.
    source_file: std::sync::Arc<str>,
}

/// Episodes by key; xxh3 hashing, since SipHash over 100k keys was most of an add-one run.
type ExistingMap = HashMap<String, Existing, xxhash_rust::xxh3::Xxh3DefaultBuilder>;

fn hash_bytes(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// zstd level of the document store, fixed when an index is created. Level 1 stores about 3%
/// more than the default 3, and compresses in 40% fewer instructions (level 3 also clears
/// its larger tables for every block).
const ZSTD_LEVEL: i32 = 1;

/// Bytes of indexing memory shared by the writer's threads when none is given.
pub const WRITER_BUDGET: usize = 320_000_000;

/// How many threads index: one per core, at most four.
pub fn indexing_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
}

fn writer(
    dir: &Path,
    index: &Index,
    budget: usize,
    wait: Option<std::time::Duration>,
) -> Result<IndexWriter<Queued>> {
    let threads = indexing_threads();
    // One budget for all indexing threads, large enough that a 100k-episode build flushes one
    // segment per thread (64 to 120 MB of arena each) and so needs no merge afterwards; tantivy
    // allocates the arena as it fills, so small updates do not pay for it.
    let budget = if budget == 0 { WRITER_BUDGET } else { budget };
    let deadline = wait.map(|w| std::time::Instant::now() + w);
    let mut pause = std::time::Duration::from_millis(20);
    loop {
        match index.writer_with_num_threads(threads, budget) {
            Ok(w) => return Ok(w),
            // A lock file that cannot be created (a read-only folder) is not another writer.
            Err(TantivyError::LockFailure(LockError::IoError(io), _)) => {
                return Err(Error::Write {
                    path: dir.join(".tantivy-writer.lock"),
                    source: std::io::Error::new(io.kind(), io.to_string()),
                });
            }
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                // The lock is an OS file lock: a killed holder frees it, so waiting is safe.
                match deadline {
                    Some(d) if std::time::Instant::now() < d => {
                        std::thread::sleep(pause);
                        pause = (pause * 2).min(std::time::Duration::from_millis(500));
                    }
                    _ => return Err(Error::Locked(dir.to_path_buf())),
                }
            }
            Err(other) => return Err(open_error(dir, other)),
        }
    }
}

/// Deletes the files of an index this build cannot read, so a rebuild can start afresh.
fn remove_foreign_index(dir: &Path) -> Result<()> {
    let managed = dir.join(".managed.json");
    let mut files: Vec<String> = std::fs::read_to_string(&managed)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    // meta.json first: once it is gone the directory is no longer an index.
    files.retain(|f| f != "meta.json");
    files.insert(0, "meta.json".into());
    files.push(".managed.json".into());
    for f in files {
        let path = dir.join(&f);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(Error::Write { path, source }),
        }
    }
    Ok(())
}

/// Opens the index for writing, creating it when missing.
fn open_or_create(dir: &Path, rebuild: bool) -> Result<(Index, bool)> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::BadIndex {
            dir: dir.to_path_buf(),
            message: "it is a file, not a directory".into(),
        });
    }
    if exists(dir) {
        match super::open_index(dir) {
            Ok(index) => return Ok((index, false)),
            Err(Error::SchemaMismatch { .. } | Error::BadIndex { .. }) if rebuild => {
                remove_foreign_index(dir)?;
            }
            Err(e) => return Err(e),
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    // zstd packs the stored episodes (JSON, repetitive) about a third smaller than lz4.
    let settings = tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(ZSTD_LEVEL),
        }),
        // Every hit decompresses its episode's block: 16 KB blocks halve that for about 2% more
        // index (a rare-word `search` process 7.9 -> 7.1 ms at 100k episodes).
        docstore_blocksize: 16 * 1024,
        ..tantivy::IndexSettings::default()
    };
    let index = Index::builder()
        .schema(schema::build())
        .settings(settings)
        .create_in_dir(dir)
        .map_err(|e| match e {
            TantivyError::IoError(io) => Error::Write {
                path: dir.to_path_buf(),
                source: std::io::Error::new(io.kind(), io.to_string()),
            },
            other => open_error(dir, other),
        })?;
    schema::register_analyzers(&index, &PairWords::default());
    Ok((index, true))
}

/// The hash of every indexed file (file id → [`crate::load::file_hash`]), for
/// [`crate::LoadOptions::known`]; empty when there is no index this build can read.
pub fn known_files(dir: &Path) -> HashMap<String, u64> {
    let Ok(index) = super::open_index(dir) else {
        return HashMap::new();
    };
    let mut out: HashMap<String, u64> = HashMap::new();
    for old in existing(&index).unwrap_or_default().into_values() {
        // Episodes of one file that disagree (a run that rewrote only some): parse it again.
        let h = out
            .entry(old.source_file.to_string())
            .or_insert(old.file_hash);
        if *h != old.file_hash {
            *h = 0;
        }
    }
    out.retain(|_, h| *h != 0);
    out
}

/// Every term of a string fast field, by term ordinal: one pass over its dictionary.
/// (Looking each ordinal up alone decodes a dictionary block per document: seconds at 100k.)
fn all_terms(col: &tantivy::columnar::StrColumn) -> std::io::Result<Vec<String>> {
    let mut out = Vec::with_capacity(col.num_terms());
    let mut stream = col.dictionary().stream()?;
    while stream.advance() {
        out.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(out)
}

/// Reads every indexed episode's identity and hashes from the fast fields (no stored docs).
fn existing(index: &Index) -> Result<ExistingMap> {
    let kind = index.schema().get_field("kind")?;
    let reader = manual_reader(index)?;
    let searcher = reader.searcher();
    let docs: u64 = searcher
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.num_docs()))
        .sum();
    // About one document in fifteen is an episode.
    let mut out = ExistingMap::with_capacity_and_hasher(
        usize::try_from(docs / 12).unwrap_or(0),
        Default::default(),
    );
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let hashes = ff.u64("hash")?;
        let locs = ff.u64("loc_hash")?;
        let files_hashes = ff.u64("file_hash")?;
        let (Some(keys), Some(files)) = (ff.str("key")?, ff.str("source_file")?) else {
            continue;
        };
        let key_terms = all_terms(&keys).map_err(TantivyError::from)?;
        let file_terms: Vec<std::sync::Arc<str>> = all_terms(&files)
            .map_err(TantivyError::from)?
            .into_iter()
            .map(Into::into)
            .collect();
        fn term<T: Clone + Default>(terms: &[T], ord: Option<u64>) -> T {
            ord.and_then(|o| terms.get(usize::try_from(o).ok()?))
                .cloned()
                .unwrap_or_default()
        }
        // Only episode documents (one in ~15) carry hashes: walk their postings, not every doc.
        let episodes = Term::from_field_text(kind, KIND_EPISODE);
        let postings = seg
            .inverted_index(kind)?
            .read_postings(&episodes, IndexRecordOption::Basic)
            .map_err(TantivyError::from)?;
        let Some(mut postings) = postings else {
            continue;
        };
        let alive = seg.alive_bitset();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            let this = doc;
            doc = postings.advance();
            if alive.is_some_and(|a| !a.is_alive(this)) {
                continue;
            }
            let Some(hash) = hashes.first(this) else {
                continue;
            };
            out.insert(
                term(&key_terms, keys.term_ords(this).next()),
                Existing {
                    hash,
                    loc_hash: locs.first(this).unwrap_or(0),
                    file_hash: files_hashes.first(this).unwrap_or(0),
                    source_file: term(&file_terms, files.term_ords(this).next()),
                },
            );
        }
    }
    Ok(out)
}

/// The documents of one episode: one for the episode (storing it as [`super::stored`] bytes, or
/// as `json` in an index before version 7), then one per chapter, in order. A chapter document
/// holds its title, section and index only: its episode is the group's first document
/// ([`super::groups`]), so the key, podcast and number need not be indexed again for every
/// chapter (a tenth of a build's work).
fn documents(
    f: &Fields,
    ep: &Episode,
    json: &str,
    key: &str,
    file: &SourceFile,
    hash: u64,
    pairs: bool,
) -> Result<Vec<TantivyDocument>> {
    let mut docs = Vec::with_capacity(ep.chapters.len() + 1);
    let mut e = TantivyDocument::default();
    e.add_text(f.key, key);
    if let Some(p) = &ep.podcast {
        e.add_text(f.podcast, p);
    }
    if let Some(n) = ep.number {
        e.add_u64(f.number, u64::from(n));
    }
    e.add_text(f.episode_title, &ep.title);
    e.add_text(f.kind, KIND_EPISODE);
    e.add_text(f.source_file, &file.id);
    e.add_u64(f.file_hash, file.hash);
    e.add_u64(f.hash, hash);
    e.add_u64(f.loc_hash, hash_bytes(ep.source.as_bytes()));
    e.add_text(f.description, &ep.description);
    if let Some(field) = f.episode_bin {
        let bytes = super::stored::encode(ep).map_err(|e| Error::BadInput {
            path: ep.source.clone().into(),
            message: format!("cannot store episode {:?}: {e}", ep.title),
        })?;
        e.add_text(field, super::stored::to_text(&bytes));
    } else if let Some(field) = f.episode_json {
        e.add_text(field, json);
    }
    docs.push(e);

    for (i, c) in ep.chapters.iter().enumerate() {
        let mut d = TantivyDocument::default();
        d.add_u64(f.chapter, i as u64);
        d.add_text(f.chapter_title, &c.title);
        if let Some(s) = &c.section {
            d.add_text(f.section, s);
        }
        // Without pair words the pair fields would analyse the text for nothing.
        if pairs {
            if let Some(p) = f.chapter_title_pairs {
                d.add_text(p, &c.title);
            }
            if let (Some(p), Some(s)) = (f.section_pairs, &c.section) {
                d.add_text(p, s);
            }
        }
        docs.push(d);
    }
    Ok(docs)
}

/// Fewest chapters a word must be in to get pair terms: a phrase of a rarer word reads the
/// positions of fewer documents than that (2,000 take about 0.4 ms).
pub const PAIR_MIN_DOCS: u64 = 2_000;
/// ... and the share of all chapters it must be in (1 in 100).
pub const PAIR_MIN_SHARE: u64 = 100;
/// Most pair words an index has (the most frequent first): pairs of frequent words are few.
const MAX_PAIR_WORDS: usize = 256;
/// One chapter in this many is read to count words: the count only picks the set.
const PAIR_SAMPLE: usize = 8;

/// The pair words of a fresh build: the words found in the titles and sections of at least
/// [`PAIR_MIN_DOCS`] chapters and of one chapter in [`PAIR_MIN_SHARE`] (or `min_docs`), most
/// frequent first. Two-word phrases of these are where reading positions costs most (tens of thousands
/// of candidates at 100,000 episodes). Any set gives the same results: a phrase of words
/// outside it reads positions.
fn choose_pair_words(loaded: &Loaded, min_docs: Option<u64>) -> Vec<String> {
    let chapters: usize = loaded.episodes().map(|e| e.chapters.len()).sum();
    let need = min_docs
        .unwrap_or_else(|| PAIR_MIN_DOCS.max(chapters as u64 / PAIR_MIN_SHARE))
        .max(1);
    // Sampled, unless that would leave too few chapters to count reliably.
    let step = if min_docs.is_some() || chapters < 100_000 {
        1
    } else {
        PAIR_SAMPLE
    };
    type Counts = HashMap<Vec<u8>, u64, rustc_hash::FxBuildHasher>;
    let mut counts = Counts::default();
    let mut word = Vec::new();
    // ASCII words, lowercased: what the analyzer gives for them.
    let mut count = |text: &str, counts: &mut Counts| {
        for w in text.as_bytes().split(|c| !c.is_ascii_alphanumeric()) {
            if w.is_empty() {
                continue;
            }
            word.clear();
            word.extend(w.iter().map(u8::to_ascii_lowercase));
            match counts.get_mut(word.as_slice()) {
                Some(n) => *n += step as u64,
                None => {
                    counts.insert(word.clone(), step as u64);
                }
            }
        }
    };
    let all = loaded.episodes().flat_map(|e| &e.chapters);
    for c in all.step_by(step) {
        count(&c.title, &mut counts);
        if let Some(s) = &c.section {
            count(s, &mut counts);
        }
    }
    let mut words: Vec<(Vec<u8>, u64)> = counts.into_iter().filter(|(_, n)| *n >= need).collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    words.truncate(MAX_PAIR_WORDS);
    words
        .into_iter()
        .filter_map(|(w, _)| String::from_utf8(w).ok())
        .collect()
}

/// Deletes an episode's documents: its episode document and the chapters after it.
fn delete_episode(w: &IndexWriter<Queued>, f: &Fields, key: &str) -> Result<()> {
    let by_key = TermQuery::new(Term::from_field_text(f.key, key), IndexRecordOption::Basic);
    w.delete_query(Box::new(EpisodeGroups(Box::new(by_key))))?;
    Ok(())
}

/// Adds an episode's documents as one group: tantivy gives a group consecutive document ids in
/// one segment, so a chapter hit finds its episode document by position (merges keep the order).
/// Waits first while too many episodes are queued for the indexing threads.
fn add_episode(
    w: &IndexWriter<Queued>,
    queue: &std::sync::Arc<InFlight>,
    docs: Vec<TantivyDocument>,
) -> Result<()> {
    let docs = queue.admit(docs, QUEUE_PATIENCE);
    w.run(docs.into_iter().map(UserOperation::Add))?;
    Ok(())
}

/// How long a full indexing queue that does not move is waited on.
const QUEUE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);

/// A reader with no file-watcher thread: a CLI run reads one commit and exits.
fn manual_reader(index: &Index) -> Result<tantivy::IndexReader> {
    Ok(index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?)
}

/// Episodes and chapters in the last commit: every document that is not an episode is a chapter.
fn totals(index: &Index, f: &Fields) -> Result<(u64, u64)> {
    let searcher = manual_reader(index)?.searcher();
    let q = TermQuery::new(
        Term::from_field_text(f.kind, KIND_EPISODE),
        IndexRecordOption::Basic,
    );
    let episodes = searcher.search(&q, &Count)? as u64;
    let docs: u64 = searcher
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.num_docs()))
        .sum();
    Ok((episodes, docs.saturating_sub(episodes)))
}

/// Which indexed episodes that a run did not see are removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Vanished {
    /// Those of the files read again this run (`podseek index`).
    #[default]
    RereadFiles,
    /// None: a followed feed keeps the episodes that left it (`update` without `--prune`).
    Keep,
    /// Those whose source file is one of these ids or lies under one (a folder's canonical
    /// path): `update --prune` and `remove`.
    Under(Vec<String>),
}

/// Whether a stored source-file id is `root` itself or a file inside the folder `root`.
pub fn belongs_to(file: &str, root: &str) -> bool {
    file == root
        || file
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('\\'))
}

/// What happened to one episode in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Not in the index before.
    Added,
    /// Its content changed.
    Updated,
    /// Removed from the index.
    Removed,
}

/// One episode a run added, updated or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What happened.
    pub kind: ChangeKind,
    /// The source-file id it was read from (for a removal: where it had been read from).
    pub file: String,
    /// `Episode 21: A Garbage Episode` (for a removal: the stored key's readable part).
    pub label: String,
}

/// An index open for writing: holds the writer lock until dropped or finished, so a caller can
/// keep other state (the followed-sources file) consistent with the commit.
pub struct Writer {
    dir: std::path::PathBuf,
    index: Index,
    fields: Fields,
    w: IndexWriter<Queued>,
    created: bool,
    rebuild: bool,
    before: ExistingMap,
    /// A full build was committed: its segments are merged (into two) before the lock is released.
    merge: bool,
    /// One reader for lookups during the run (reloaded after the commit), not one per lookup.
    reader: tantivy::IndexReader,
    /// The pair words of the index (a fresh build chooses them in [`Writer::commit`]).
    pair_words: PairWords,
    /// The synonym groups of the commit the lock was taken on.
    synonyms_before: BTreeMap<String, Vec<String>>,
    pair_min_docs: Option<u64>,
}

impl Writer {
    /// Opens (or creates) the index at `dir` and takes its writer lock.
    pub fn open(dir: &Path, opts: &IndexOptions) -> Result<Writer> {
        let (index, created) = open_or_create(dir, opts.rebuild)?;
        let fields = Fields::new(&index.schema()).map_err(|e| open_error(dir, e))?;
        let w = writer(dir, &index, opts.memory_budget, opts.wait)?;
        // A full build's segments are merged in `finish`, none while it runs.
        if opts.rebuild || created {
            w.set_merge_policy(Box::new(NoMergePolicy));
        } else {
            w.set_merge_policy(Box::<SmallFirst>::default());
        }
        // A run killed before its commit may have left files (a `.del` of the same segment and
        // opstamp) that this run would write again and fail on: drop them first.
        w.garbage_collect_files().wait()?;
        let before = if opts.rebuild || created {
            ExistingMap::default()
        } else {
            existing(&index)?
        };
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        // Read under the lock: a run that waited for it sees the commit it waited for, whose
        // pair words its analyzers must use (they were registered with the words seen before).
        let payload = super::payload(&index).unwrap_or_default();
        let pair_words = payload.pair_set();
        schema::register_analyzers(&index, &pair_words);
        Ok(Writer {
            dir: dir.to_path_buf(),
            synonyms_before: payload.synonyms,
            pair_words,
            pair_min_docs: opts.pair_min_docs,
            reader,
            index,
            fields,
            w,
            created,
            rebuild: opts.rebuild,
            before,
            merge: false,
        })
    }

    /// How many episodes each source-file id holds in the last commit.
    pub fn files(&self) -> Result<HashMap<String, usize>> {
        let mut out = HashMap::new();
        for e in existing(&self.index)?.into_values() {
            *out.entry(e.source_file.to_string()).or_insert(0) += 1;
        }
        Ok(out)
    }

    /// The episode stored under `key` in the last commit, if any.
    pub fn episode(&self, key: &str) -> Result<Option<Episode>> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.fields.key, key),
            IndexRecordOption::Basic,
        );
        let hits = searcher.search(&q, &tantivy::collector::DocSetCollector)?;
        let Some(addr) = hits.into_iter().next() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(addr)?;
        Ok(super::stored::read(&self.fields, &doc).ok())
    }

    /// Writes what `loaded` holds and commits once (or not at all when nothing changed); the
    /// lock stays held until [`Writer::finish`]. Call it once per `Writer`. The episodes it
    /// handles are moved out of `loaded`, to keep the peak memory of a large build down.
    pub fn commit(
        &mut self,
        loaded: &mut Loaded,
        vanished: &Vanished,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<(IndexSummary, Vec<Change>)> {
        let fresh = self.rebuild || self.created;
        if fresh && self.fields.chapter_title_pairs.is_some() {
            // Before the first document: the indexing threads take the analyzer then.
            let words = choose_pair_words(loaded, self.pair_min_docs);
            self.pair_words = std::sync::Arc::new(words.into_iter().collect());
            schema::register_analyzers(&self.index, &self.pair_words);
        }
        let pairs = !self.pair_words.is_empty();
        let f = &self.fields;
        let w = &mut self.w;
        let before = &self.before;
        if self.rebuild {
            w.delete_all_documents()?;
        }
        let mut changes = Vec::new();
        let mut summary = IndexSummary {
            warnings: loaded.output_warnings(),
            ..IndexSummary::default()
        };
        if self.rebuild {
            // Replacing the folder would leave nothing if the run were interrupted; say how.
            let mut slower = Vec::new();
            if self.fields.chapter_title_pairs.is_none() {
                slower.push("its two-word phrases read positions");
            }
            if self.fields.episode_bin.is_none() {
                slower.push("its hits decode episodes stored as JSON");
            }
            if !slower.is_empty() {
                summary.warnings.push(Warning {
                    source: self.dir.display().to_string(),
                    message: format!(
                        "the index keeps the layout of an older podseek ({}: slower over many \
                         episodes): remove the folder and index again to get the current layout",
                        slower.join("; ")
                    ),
                });
            }
        }
        // The last file to mention an episode wins; earlier copies are reported.
        let mut chosen: HashMap<String, (usize, usize)> = HashMap::new();
        let mut order = Vec::new();
        for (fi, file) in loaded.files.iter().enumerate() {
            for (ei, ep) in file.output.episodes.iter().enumerate() {
                let key = ep.key();
                if let Some((pf, pe)) = chosen.insert(key.clone(), (fi, ei)) {
                    let prev = &loaded.files[pf].output.episodes[pe];
                    summary.warnings.push(Warning {
                        source: ep.source.clone(),
                        message: format!(
                            "episode {:?} also appears at {}; the later one is indexed",
                            ep.label(),
                            prev.source
                        ),
                    });
                } else {
                    order.push(key);
                }
            }
        }

        let total = order.len();
        let mut changed = false;
        let queue = InFlight::new();
        let mut scratch = Vec::new();
        for (done, key) in order.iter().enumerate() {
            let (fi, ei) = chosen[key];
            // Moved out: a large build need not hold every parsed episode and its documents
            // (queued for the indexing threads) at once.
            let ep = std::mem::take(&mut loaded.files[fi].output.episodes[ei]);
            let hash = content_hash(&ep, &mut scratch);
            // Only an index before version 7 stores the JSON (an Episode always serialises).
            let json = match f.episode_json {
                Some(_) => serde_json::to_string(&ep).unwrap_or_default(),
                None => String::new(),
            };
            let ep = &ep;
            let file = &loaded.files[fi];
            match before.get(key) {
                Some(old) if old.hash == hash => {
                    summary.unchanged += 1;
                    // Same content, new place in the file: refresh the stored location quietly.
                    if old.loc_hash != hash_bytes(ep.source.as_bytes())
                        || *old.source_file != *file.id
                        || old.file_hash != file.hash
                    {
                        delete_episode(w, f, key)?;
                        add_episode(w, &queue, documents(f, ep, &json, key, file, hash, pairs)?)?;
                        changed = true;
                    }
                }
                old => {
                    let kind = if old.is_some() {
                        summary.updated += 1;
                        delete_episode(w, f, key)?;
                        ChangeKind::Updated
                    } else {
                        summary.added += 1;
                        ChangeKind::Added
                    };
                    changes.push(Change {
                        kind,
                        file: file.id.clone(),
                        label: match ep.number {
                            Some(n) => format!("Episode {n}: {}", ep.title),
                            None => ep.title.clone(),
                        },
                    });
                    add_episode(w, &queue, documents(f, ep, &json, key, file, hash, pairs)?)?;
                    changed = true;
                }
            }
            progress(done + 1, total);
        }

        // Episodes this run did not see, removed as `vanished` says.
        // Files not parsed because their hash is the indexed one: their episodes stay as they are.
        let kept: HashSet<&str> = loaded
            .files
            .iter()
            .filter(|f| f.unchanged)
            .map(|f| f.id.as_str())
            .collect();
        summary.unchanged += before
            .iter()
            .filter(|(k, old)| kept.contains(&*old.source_file) && !chosen.contains_key(*k))
            .count();
        let reread: HashSet<&str> = loaded
            .files
            .iter()
            .filter(|f| !f.unchanged)
            .map(|f| f.id.as_str())
            .collect();
        let gone_here = |file: &str| match vanished {
            Vanished::RereadFiles => reread.contains(file),
            Vanished::Keep => false,
            Vanished::Under(roots) => roots.iter().any(|r| belongs_to(file, r)),
        };
        let mut gone: Vec<(&String, &Existing)> = before
            .iter()
            .filter(|(k, old)| {
                gone_here(&old.source_file)
                    && !kept.contains(&*old.source_file)
                    && !chosen.contains_key(*k)
            })
            .collect();
        gone.sort_by(|a, b| a.0.cmp(b.0));
        for (key, old) in gone {
            delete_episode(w, f, key)?;
            summary.removed += 1;
            changes.push(Change {
                kind: ChangeKind::Removed,
                file: old.source_file.to_string(),
                label: key.replace('\u{1f}', " "),
            });
            changed = true;
        }

        // Synonyms of the podcast.toml files read now replace what they said before.
        let old_synonyms = if fresh {
            BTreeMap::new()
        } else {
            self.synonyms_before.clone()
        };
        let mut synonyms = old_synonyms.clone();
        for (toml, lines) in &loaded.synonyms {
            if lines.is_empty() {
                synonyms.remove(toml);
            } else {
                synonyms.insert(toml.clone(), lines.clone());
            }
        }
        if changed || fresh || synonyms != old_synonyms {
            let mut pair_words: Vec<String> = self.pair_words.iter().cloned().collect();
            pair_words.sort();
            let payload = serde_json::to_string(&Payload {
                podseek_schema: SCHEMA_VERSION,
                synonyms: synonyms.clone(),
                pair_words,
            })
            .unwrap_or_default();
            let mut prepared = w.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit()?;
            self.synonyms_before = synonyms;
            self.merge = fresh;
            self.created = false;
            self.rebuild = false;
            self.reader.reload()?;
        } else {
            w.rollback()?;
        }
        (summary.episodes, summary.chapters) = totals(&self.index, f)?;
        Ok((summary, changes))
    }

    /// Cleans up after the commit and releases the writer lock.
    pub fn finish(mut self) -> Result<()> {
        // A full build leaves a segment per indexing thread and memory budget; fewer segments make
        // every query and every process start cheaper (fewer dictionaries to walk, fewer files).
        // The merge commits on its own: killed halfway, the index is the one committed above.
        if self.merge {
            let metas = self.index.searchable_segment_metas()?;
            if metas.len() > 1 {
                // Two merges at once, one per core on this 2-core machine class, each about half
                // the documents: two segments cost queries little more than one.
                let mut halves: [Vec<tantivy::index::SegmentId>; 2] = [vec![], vec![]];
                let mut docs = [0u32; 2];
                let mut by_size = metas;
                by_size.sort_by_key(|m| std::cmp::Reverse(m.num_docs()));
                for m in by_size {
                    let i = usize::from(docs[1] < docs[0]);
                    docs[i] += m.num_docs();
                    halves[i].push(m.id());
                }
                let merges: Vec<_> = halves
                    .iter()
                    .filter(|ids| ids.len() > 1)
                    .map(|ids| self.w.merge(ids))
                    .collect();
                for m in merges {
                    m.wait()?;
                }
            }
        }
        // Files of runs that were killed before their commit are no longer referenced: drop them.
        self.w.garbage_collect_files().wait()?;
        self.w.wait_merging_threads()?;
        Ok(())
    }
}

/// The merge policy of updates: an update writes a segment of its own, and every segment costs
/// each query its dictionary walks however few documents it holds (five one-episode segments
/// took the 100k mix's p50 from 0.19 to 0.25 ms). tantivy's [`LogMergePolicy`] merges a size
/// class only at eight segments; this merges the small segments together as soon as there are
/// two, and leaves the others to it. tantivy runs it after each commit and merge; a merge
/// publishes its segment on its own, so one killed halfway leaves the index as committed.
#[derive(Debug, Default)]
struct SmallFirst(LogMergePolicy);

impl MergePolicy for SmallFirst {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let small = small_segments(segments);
        let rest: Vec<SegmentMeta> = segments
            .iter()
            .filter(|m| !small.contains(&m.id()))
            .cloned()
            .collect();
        let mut out = self.0.compute_merge_candidates(&rest);
        if small.len() > 1 {
            out.push(MergeCandidate(small));
        }
        out
    }
}

/// A segment is small when the largest holds more than this many times its documents.
const SMALL_SEGMENT_SHARE: u32 = 8;

/// The segments [`SmallFirst`] merges together: those with under an eighth of the largest
/// one's documents. A merge costs about its documents, so the large ones are left alone (and so
/// is a merged segment that has grown past an eighth).
fn small_segments(metas: &[SegmentMeta]) -> Vec<tantivy::index::SegmentId> {
    let largest = metas.iter().map(|m| m.num_docs()).max().unwrap_or(0);
    metas
        .iter()
        .filter(|m| m.num_docs().saturating_mul(SMALL_SEGMENT_SHARE) < largest)
        .map(|m| m.id())
        .collect()
}

/// Writes what `loaded` holds into the index at `dir`: one commit, or none on failure.
///
/// `progress` is called after each episode handled, with (done, total).
pub fn update(
    dir: &Path,
    loaded: &mut Loaded,
    opts: &IndexOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<IndexSummary> {
    let mut w = Writer::open(dir, opts)?;
    let (summary, _) = w.commit(loaded, &Vanished::RereadFiles, progress)?;
    w.finish()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_of_an_older_layout_is_read_and_rebuilt_in_it_with_a_warning() -> anyhow::Result<()>
    {
        let dir = tempfile::tempdir()?;
        // The bundled notes indexed into `at`, rebuilding or not.
        let index = |at: &Path, rebuild| {
            let opts = IndexOptions {
                rebuild,
                ..IndexOptions::default()
            };
            update(at, &mut crate::load::bundled(), &opts, &mut |_, _| {})
        };
        let search = |at: &Path, q: &str| -> anyhow::Result<String> {
            let idx = super::super::PodIndex::open(at)?;
            let r = crate::search::search(
                &idx,
                q,
                &crate::SearchOptions {
                    limit: 50,
                    episode: None,
                    podcast: None,
                },
            )?;
            assert!(r.total > 0 && !r.hits.is_empty(), "{q}");
            Ok(serde_json::to_string(&r)?)
        };
        let current = dir.path().join("current");
        index(&current, false)?;
        let idx = super::super::PodIndex::open(&current)?;
        assert_eq!(idx.index.schema(), schema::build());
        assert!(idx.fields.episode_bin.is_some() && idx.fields.episode_json.is_none());
        let queries = ["\"reference cycles\"", "garbage collection", "gil"];

        // Version 5: no pair fields, episodes as JSON; version 6: pair fields, JSON.
        for (version, old, why) in [
            (
                5,
                schema::build_with(schema::TEXT_ANALYZER_REPEATED, false, false, false),
                "two-word phrases read positions; its hits decode",
            ),
            (
                6,
                schema::build_with(schema::TEXT_ANALYZER_REPEATED_RECORDING, false, true, false),
                "(its hits decode",
            ),
        ] {
            let at = dir.path().join(format!("v{version}"));
            std::fs::create_dir_all(&at)?;
            Index::builder().schema(old.clone()).create_in_dir(&at)?;
            let layout_warnings = |s: &IndexSummary| {
                s.warnings
                    .iter()
                    .filter(|w| w.message.contains("layout of an older podseek"))
                    .inspect(|w| assert!(w.message.contains(why), "{}", w.message))
                    .count()
            };
            let s = index(&at, false)?;
            assert_eq!(layout_warnings(&s), 0);
            assert!(s.added > 0);
            let s = index(&at, true)?;
            assert_eq!(layout_warnings(&s), 1);
            assert_eq!((s.added, s.unchanged), (s.episodes as usize, 0));
            let idx = super::super::PodIndex::open(&at)?;
            assert_eq!(idx.index.schema(), old);
            assert_eq!(idx.fields.chapter_title_pairs.is_some(), version == 6);
            assert!(idx.fields.episode_bin.is_none());
            assert_eq!(
                idx.episodes()?,
                super::super::PodIndex::open(&current)?.episodes()?
            );
            for q in queries {
                let hits = search(&at, q)?;
                // Only the stored format differs from version 6: the same hits, byte for byte.
                if version == 6 {
                    assert_eq!(hits, search(&current, q)?, "{q}");
                }
            }
        }
        Ok(())
    }

    #[test]
    fn updates_merge_their_small_segments_and_hits_keep_their_episodes() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let at = dir.path().join("index");
        update(
            &at,
            &mut crate::load::bundled(),
            &IndexOptions::default(),
            &mut |_, _| {},
        )?;
        let segments = |at: &Path| -> anyhow::Result<Vec<tantivy::index::SegmentMeta>> {
            Ok(super::super::PodIndex::open(at)?
                .index
                .searchable_segment_metas()?)
        };
        let built = segments(&at)?.len();
        let words = ["zebrafinch", "quokkatalk", "wombatpod", "numbatcast"];
        for (i, word) in words.iter().enumerate() {
            let n = 101 + i;
            let file = dir.path().join(format!("added-{i}.txt"));
            std::fs::write(
                &file,
                format!("Episode {n}: Added {i}\n(00:00:00) Intro\n(00:02:05) All about {word}\n"),
            )?;
            let mut loaded = crate::load::load(&[file], &Default::default())?;
            let s = update(&at, &mut loaded, &IndexOptions::default(), &mut |_, _| {})?;
            assert_eq!(s.added, 1);
            // However the build split its documents, at most one small segment is left, and
            // no more segments than the build's and one.
            let now = segments(&at)?;
            let docs: Vec<u32> = now.iter().map(|m| m.num_docs()).collect();
            assert!(small_segments(&now).len() <= 1, "after add {i}: {docs:?}");
            assert!(now.len() <= built + 1, "after add {i}: {docs:?}");
        }
        let idx = super::super::PodIndex::open(&at)?;
        for (i, word) in words.iter().enumerate() {
            let r = crate::search::search(
                &idx,
                word,
                &crate::SearchOptions {
                    limit: 5,
                    episode: None,
                    podcast: None,
                },
            )?;
            assert_eq!(r.hits.len(), 1, "{word}");
            let hit = &r.hits[0];
            assert_eq!(hit.episode, Some(101 + i as u32), "{word}");
            assert_eq!(
                hit.chapter_title.as_deref(),
                Some(&*format!("All about {word}"))
            );
            assert_eq!(hit.start_seconds, 125);
        }
        assert_eq!(idx.episodes()?.len(), 15 + words.len());
        Ok(())
    }

    #[test]
    fn a_writer_that_waited_for_a_rebuild_indexes_pairs_of_the_words_it_chose() -> anyhow::Result<()>
    {
        let dir = tempfile::tempdir()?;
        let (first, later) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
        std::fs::write(
            &first,
            "Episode 1: One\n(00:00:00) zebra yak\n(00:01:00) quagga yak\n",
        )?;
        std::fs::write(&later, "Episode 2: Two\n(00:00:00) zebra quagga\n")?;
        let load = |p: &Path| crate::load::load(&[p.to_path_buf()], &Default::default());
        let at = dir.path().join("index");
        // Built with no pair words; a rebuild then chooses some while another run waits.
        let none = IndexOptions {
            pair_min_docs: Some(u64::MAX),
            ..IndexOptions::default()
        };
        update(&at, &mut load(&first)?, &none, &mut |_, _| {})?;
        let mut rebuild = Writer::open(
            &at,
            &IndexOptions {
                rebuild: true,
                pair_min_docs: Some(1),
                ..IndexOptions::default()
            },
        )?;
        let waiting = {
            let (at, later) = (at.clone(), later.clone());
            std::thread::spawn(move || -> crate::error::Result<()> {
                let opts = IndexOptions {
                    wait: Some(std::time::Duration::from_secs(60)),
                    ..IndexOptions::default()
                };
                let mut w = Writer::open(&at, &opts)?;
                w.commit(&mut load(&later)?, &Vanished::RereadFiles, &mut |_, _| {})?;
                w.finish()
            })
        };
        // The waiting run has read the index before the rebuild commits.
        std::thread::sleep(std::time::Duration::from_millis(300));
        rebuild.commit(&mut load(&first)?, &Vanished::RereadFiles, &mut |_, _| {})?;
        rebuild.finish()?;
        waiting
            .join()
            .map_err(|_| anyhow::anyhow!("the waiting run panicked"))??;
        let idx = super::super::PodIndex::open(&at)?;
        assert!(idx.pair_words().contains("zebra") && idx.pair_words().contains("quagga"));
        let field = idx
            .fields
            .chapter_title_pairs
            .ok_or_else(|| anyhow::anyhow!("no pairs"))?;
        let pair = Term::from_field_text(field, "zebra quagga");
        assert_eq!(idx.searcher().doc_freq(&pair)?, 1);
        Ok(())
    }
}
