//! The on-disk tantivy index: opening it safely, writing episodes into it, reading them back.

pub mod analyzer;
mod content_hash;
mod dir;
pub mod groups;
mod queue;
pub mod schema;
pub mod stored;
mod write;

pub use schema::{Fields, SCHEMA_VERSION};
pub use write::{
    Change, ChangeKind, IndexOptions, IndexSummary, Vanished, WRITER_BUDGET, Writer, belongs_to,
    indexing_threads, known_files, update,
};

use crate::error::{Error, Result};
use crate::model::Episode;
use crate::search::synonyms::Synonyms;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DocAddress, DocSet, Index, IndexReader, ReloadPolicy, Searcher, TERMINATED, TantivyDocument,
    Term,
};

/// The JSON stored as tantivy's commit payload: the schema version, the synonym groups of
/// every `podcast.toml` indexed so far (by the file's path), and the pair words the pair fields
/// were written with, committed with the documents.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Payload {
    pub(crate) podseek_schema: u32,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) synonyms: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) pair_words: Vec<String>,
}

impl Payload {
    /// The pair words as a set.
    pub(crate) fn pair_set(&self) -> analyzer::PairWords {
        std::sync::Arc::new(self.pair_words.iter().cloned().collect())
    }
}

/// The payload of the last commit, if it is podseek's.
pub(crate) fn payload(index: &Index) -> Option<Payload> {
    payload_of(&index.load_metas().ok()?)
}

/// The payload of the commit `metas` describes, if it is podseek's.
fn payload_of(metas: &tantivy::IndexMeta) -> Option<Payload> {
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

/// Whether `dir` holds an index (tantivy's `meta.json`).
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Maps tantivy's open errors to podseek's.
fn open_error(dir: &Path, e: tantivy::TantivyError) -> Error {
    Error::BadIndex {
        dir: dir.to_path_buf(),
        message: e.to_string(),
    }
}

/// Opens an existing index and checks that this build can read it.
pub(crate) fn open_index(dir: &Path) -> Result<Index> {
    open_index_with_commit(dir).map(|(index, _)| index)
}

/// What a commit holds beside its documents: its payload (the default for an index that is not
/// podseek's) and its segments, which the payload's pair words were chosen for.
struct Commit {
    payload: Payload,
    /// Sorted.
    segments: Vec<tantivy::index::SegmentId>,
}

impl Commit {
    /// What `metas` holds.
    fn of(metas: &tantivy::IndexMeta) -> Commit {
        Commit::with(payload_of(metas), metas)
    }

    /// The commit `metas` describes, its payload read already.
    fn with(payload: Option<Payload>, metas: &tantivy::IndexMeta) -> Commit {
        let mut segments: Vec<_> = metas.segments.iter().map(|m| m.id()).collect();
        segments.sort();
        Commit {
            payload: payload.unwrap_or_default(),
            segments,
        }
    }

    /// Whether `searcher` reads this commit's segments, so the pair words are theirs.
    fn is_read_by(&self, searcher: &Searcher) -> bool {
        let mut seen: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        seen.sort();
        seen == self.segments
    }
}

/// [`open_index`], with what its commit holds: reading `meta.json` again for the payload cost a
/// `podseek search` process 3% of its instructions.
fn open_index_with_commit(dir: &Path) -> Result<(Index, Commit)> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::BadIndex {
            dir: dir.to_path_buf(),
            message: "it is a file, not a directory".into(),
        });
    }
    if !exists(dir) {
        return Err(Error::NoIndex(dir.to_path_buf()));
    }
    let folder = dir::IndexDir::open(dir).map_err(|e| open_error(dir, e.into()))?;
    let index = Index::open(folder).map_err(|e| open_error(dir, e))?;
    let commit = check_version(dir, &index)?;
    schema::register_analyzers(&index, &commit.payload.pair_set());
    Ok((index, commit))
}

/// Checks that this build reads the index; gives what its last commit holds.
fn check_version(dir: &Path, index: &Index) -> Result<Commit> {
    let metas = index.load_metas().map_err(|e| open_error(dir, e))?;
    let payload = payload_of(&metas);
    let found = payload.as_ref().map(|p| p.podseek_schema);
    let ok = match found {
        Some(v) => {
            (schema::OLDEST_READABLE_VERSION..=SCHEMA_VERSION).contains(&v)
                && schema::readable(&index.schema())
        }
        None => schema::readable(&index.schema()),
    };
    if ok {
        return Ok(Commit::with(payload, &metas));
    }
    Err(Error::SchemaMismatch {
        dir: dir.to_path_buf(),
        found: found.map_or_else(|| "unknown".to_string(), |v| v.to_string()),
        expected: SCHEMA_VERSION,
    })
}

/// An open index for reading.
pub struct PodIndex {
    /// Where it lives.
    pub dir: PathBuf,
    /// The tantivy index (analyzers registered).
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// The synonyms queries use: built-in, from indexed `podcast.toml` files, and added ones.
    pub synonyms: Synonyms,
    reader: IndexReader,
    /// The pair words of the commit read (a rebuild may choose others): see [`Self::pair_words`].
    pair_words: std::sync::RwLock<analyzer::PairWords>,
}

impl PodIndex {
    /// Opens the index at `dir` for searching.
    pub fn open(dir: &Path) -> Result<PodIndex> {
        // Another process may commit and delete the old segment files between our reading
        // meta.json and opening them; the next attempt reads the new meta.json.
        let mut attempt = 0;
        loop {
            match Self::open_once(dir) {
                Err(Error::BadIndex { .. }) if attempt < 5 && exists(dir) => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(10 << attempt));
                }
                other => return other,
            }
        }
    }

    fn open_once(dir: &Path) -> Result<PodIndex> {
        let (index, commit) = open_index_with_commit(dir)?;
        let fields = Fields::new(&index.schema()).map_err(|e| open_error(dir, e))?;
        // Manual reloads: a CLI process sees exactly the last commit, with no watcher thread.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| open_error(dir, e))?;
        // A commit between reading meta.json and opening the segments (a rebuild, say) would
        // pair this commit's words with the next one's segments: `open` tries again.
        if !commit.is_read_by(&reader.searcher()) {
            return Err(Error::BadIndex {
                dir: dir.to_path_buf(),
                message: "it changed while it was being opened".into(),
            });
        }
        let mut synonyms = Synonyms::builtin();
        let pair_words = std::sync::RwLock::new(commit.payload.pair_set());
        for (source, lines) in commit.payload.synonyms {
            for (i, line) in lines.iter().enumerate() {
                // Checked when indexed; a line this build cannot use is left out, not fatal.
                let _ = synonyms.add_line(line, &format!("{source}: synonyms[{i}]"));
            }
        }
        Ok(PodIndex {
            dir: dir.to_path_buf(),
            index,
            fields,
            synonyms,
            reader,
            pair_words,
        })
    }

    /// The words whose two-word phrases the pair fields hold (empty: phrases read positions).
    pub fn pair_words(&self) -> analyzer::PairWords {
        self.pair_words
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Adds the synonym groups of a file (`--synonyms FILE`) for this index's searches.
    pub fn add_synonyms_file(&mut self, path: &Path) -> Result<()> {
        self.synonyms.add_file(path)
    }

    /// A searcher over the last commit seen.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Picks up a newer commit, if any, and the pair words it was written with.
    pub fn reload(&self) -> Result<()> {
        // The pair words must be those of the commit the searcher reads: a commit between the
        // two reads shows as other segments, and both are read again.
        let mut commit;
        let mut attempt = 0;
        loop {
            self.reader.reload()?;
            commit = Commit::of(&self.index.load_metas()?);
            attempt += 1;
            if commit.is_read_by(&self.reader.searcher()) || attempt == 5 {
                break;
            }
        }
        *self
            .pair_words
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = commit.payload.pair_set();
        Ok(())
    }

    fn kind_query(&self, kind: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(self.fields.kind, kind),
            IndexRecordOption::Basic,
        ))
    }

    /// Decodes the stored episode of an episode document.
    pub fn episode_from_doc(&self, doc: &TantivyDocument) -> Result<Episode> {
        stored::read(&self.fields, doc).map_err(|message| Error::BadIndex {
            dir: self.dir.clone(),
            message,
        })
    }

    fn episodes_matching(&self, filter: Vec<Box<dyn Query>>) -> Result<Vec<Episode>> {
        let searcher = self.searcher();
        let mut clauses = vec![(Occur::Must, self.kind_query(schema::KIND_EPISODE))];
        clauses.extend(filter.into_iter().map(|q| (Occur::Must, q)));
        let query = BooleanQuery::new(clauses);
        let mut addrs: Vec<_> = searcher
            .search(&query, &DocSetCollector)?
            .into_iter()
            .collect();
        addrs.sort();
        let mut out = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            out.push(self.episode_from_doc(&doc)?);
        }
        Ok(out)
    }

    /// Every indexed episode, by podcast then number then title.
    pub fn episodes(&self) -> Result<Vec<Episode>> {
        let mut eps = self.episodes_matching(vec![])?;
        eps.sort_by(|a, b| {
            (
                a.podcast.as_deref().map(str::to_lowercase),
                a.number,
                &a.title,
            )
                .cmp(&(
                    b.podcast.as_deref().map(str::to_lowercase),
                    b.number,
                    &b.title,
                ))
        });
        Ok(eps)
    }

    /// The episode stored under `key`, if any.
    ///
    /// Walks the key's postings directly (a few documents) instead of running a query: hits
    /// call this once per episode shown.
    pub fn episode_by_key(&self, searcher: &Searcher, key: &str) -> Result<Option<Episode>> {
        let term = Term::from_field_text(self.fields.key, key);
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let inverted = seg.inverted_index(self.fields.key)?;
            let postings = inverted
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?;
            let Some(mut postings) = postings else {
                continue;
            };
            // Episode documents are the ones with a content hash.
            let hashes = seg.fast_fields().u64("hash")?;
            let alive = seg.alive_bitset();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) && hashes.first(doc).is_some() {
                    let addr = DocAddress::new(ord as u32, doc);
                    let stored: TantivyDocument = searcher.doc(addr)?;
                    return Ok(Some(self.episode_from_doc(&stored)?));
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }

    /// The documents of a podcast's episodes (the name case-blind); each scores 1.
    pub fn podcast_filter(&self, podcast: &str) -> Box<dyn Query> {
        Box::new(groups::EpisodeGroups(Box::new(TermQuery::new(
            Term::from_field_text(self.fields.podcast, &podcast.to_lowercase()),
            IndexRecordOption::Basic,
        ))))
    }

    /// The documents of the episodes with this number; each scores 1.
    pub fn number_filter(&self, number: u32) -> Box<dyn Query> {
        Box::new(groups::EpisodeGroups(Box::new(TermQuery::new(
            Term::from_field_u64(self.fields.number, u64::from(number)),
            IndexRecordOption::Basic,
        ))))
    }

    /// The one episode with this number (and podcast, and title containing `title`,
    /// case-blind); an error when none or several match.
    pub fn find_episode(
        &self,
        number: u32,
        podcast: Option<&str>,
        title: Option<&str>,
    ) -> Result<Episode> {
        let mut filter = vec![self.number_filter(number)];
        if let Some(p) = podcast {
            filter.push(self.podcast_filter(p));
        }
        let mut found = self.episodes_matching(filter)?;
        if let Some(t) = title {
            // Two parts of one podcast share a number; only their titles tell them apart.
            let t = t.to_lowercase();
            found.retain(|e| e.title.to_lowercase().contains(&t));
        }
        match found.len() {
            0 => Err(Error::EpisodeNotFound({
                let mut what = number.to_string();
                if let Some(p) = podcast {
                    what.push_str(&format!(" of podcast {p:?}"));
                }
                if let Some(t) = title {
                    what.push_str(&format!(" titled {t:?}"));
                }
                what
            })),
            1 => Ok(found.remove(0)),
            _ => Err(Error::AmbiguousEpisode {
                number,
                candidates: found
                    .iter()
                    .map(|e| format!("{} ({})", e.label(), e.source))
                    .collect(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader must see the segments of the commit whose pair words it uses: a rebuild between
    /// reading meta.json and opening the segments shows as other segments.
    #[test]
    fn a_commit_tells_whether_a_searcher_reads_its_segments() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let at = dir.path().join("index");
        let build = |rebuild: bool| {
            let opts = IndexOptions {
                rebuild,
                ..IndexOptions::default()
            };
            update(&at, &mut crate::load::bundled(), &opts, &mut |_, _| {})
        };
        build(false)?;
        let idx = PodIndex::open(&at)?;
        let first = Commit::of(&idx.index.load_metas()?);
        assert!(first.is_read_by(&idx.searcher()));
        build(true)?;
        let second = Commit::of(&idx.index.load_metas()?);
        // The open reader still reads the first commit; after a reload, the second.
        assert!(first.is_read_by(&idx.searcher()));
        assert!(!second.is_read_by(&idx.searcher()));
        idx.reload()?;
        assert!(second.is_read_by(&idx.searcher()));
        assert!(!first.is_read_by(&idx.searcher()));
        assert_eq!(idx.pair_words(), second.payload.pair_set());
        Ok(())
    }
}
