//! Whole episodes as a query: an episode's documents are one group (the episode, then its
//! chapters in order, consecutive in one segment), so the episodes a query finds extend to
//! their chapters by position. Chapter documents then need no copy of the episode's key,
//! podcast or number: deletes and `podcast:` / `episode:` filters go through the episode.

use tantivy::columnar::Column;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// The fast field that marks chapter documents (their index in the episode).
const CHAPTER: &str = "chapter";

/// The documents of every episode whose episode document `inner` matches; chapter documents
/// `inner` matches count for nothing. Every document scores 1 (times the boost).
#[derive(Debug)]
pub struct EpisodeGroups(pub Box<dyn Query>);

impl Clone for EpisodeGroups {
    fn clone(&self) -> Self {
        EpisodeGroups(self.0.box_clone())
    }
}

impl Query for EpisodeGroups {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        // The inner query only picks episodes: its scores are never used.
        let inner = self
            .0
            .weight(EnableScoring::disabled_from_schema(enable_scoring.schema()))?;
        Ok(Box::new(GroupsWeight(inner)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct GroupsWeight(Box<dyn Weight>);

/// The episode document a document belongs to: itself, or for chapter `i` the document `i + 1`
/// before it, when the documents in between are chapters `0..i` (they always are in an index
/// written as groups); None otherwise.
pub fn episode_doc(chapters: &Column<u64>, doc: DocId) -> Option<DocId> {
    let Some(i) = chapters.first(doc) else {
        return Some(doc);
    };
    let episode = u32::try_from(i + 1).ok().and_then(|n| doc.checked_sub(n))?;
    let grouped = chapters.first(episode).is_none()
        && (episode + 1..doc)
            .zip(0u64..)
            .all(|(d, k)| chapters.first(d) == Some(k));
    grouped.then_some(episode)
}

impl GroupsWeight {
    fn docs(&self, reader: &SegmentReader) -> tantivy::Result<BitSet> {
        let chapters = reader.fast_fields().u64(CHAPTER)?;
        let max = reader.max_doc();
        let mut out = BitSet::with_max_value(max);
        let mut inner = self.0.scorer(reader, 1.0)?;
        let mut doc = inner.doc();
        while doc != TERMINATED {
            // An episode document: it and the chapters 0, 1, … right after it.
            if chapters.first(doc).is_none() {
                out.insert(doc);
                let mut next = doc + 1;
                let mut k = 0u64;
                while next < max && chapters.first(next) == Some(k) {
                    out.insert(next);
                    next += 1;
                    k += 1;
                }
            }
            doc = inner.advance();
        }
        Ok(out)
    }
}

impl Weight for GroupsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = BitSetDocSet::from(self.docs(reader)?);
        Ok(Box::new(ConstScorer::new(docs, boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} is not in a matching episode"
            )));
        }
        Ok(Explanation::new("in a matching episode", scorer.score()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::DocSetCollector;
    use tantivy::indexer::UserOperation;
    use tantivy::query::TermQuery;
    use tantivy::schema::{FAST, IndexRecordOption, STRING, Schema};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    #[test]
    fn an_episode_takes_its_chapters_and_nothing_else() -> tantivy::Result<()> {
        let mut schema = Schema::builder();
        let key = schema.add_text_field("key", STRING);
        let chapter = schema.add_u64_field(CHAPTER, FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        // Episodes a (2 chapters), b (none), c (1 chapter), a chapter of a that carries the
        // key too (as indexes before version 5 wrote them) and must not start a group.
        let group = |k: &str, chapters: u64, keyed: bool| {
            let mut docs = Vec::new();
            let mut e = TantivyDocument::default();
            e.add_text(key, k);
            docs.push(e);
            for i in 0..chapters {
                let mut d = TantivyDocument::default();
                d.add_u64(chapter, i);
                if keyed {
                    d.add_text(key, k);
                }
                docs.push(d);
            }
            docs.into_iter().map(UserOperation::Add)
        };
        writer.run(group("a", 2, true))?;
        writer.run(group("b", 0, false))?;
        writer.run(group("c", 1, false))?;
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let docs_of = |k: &str| -> tantivy::Result<Vec<DocId>> {
            let q = EpisodeGroups(Box::new(TermQuery::new(
                Term::from_field_text(key, k),
                IndexRecordOption::Basic,
            )));
            let mut docs: Vec<DocId> = searcher
                .search(&q, &DocSetCollector)?
                .into_iter()
                .map(|a| a.doc_id)
                .collect();
            docs.sort();
            Ok(docs)
        };
        assert_eq!(docs_of("a")?, [0, 1, 2]);
        assert_eq!(docs_of("b")?, [3]);
        assert_eq!(docs_of("c")?, [4, 5]);
        assert!(docs_of("z")?.is_empty());

        let seg = &searcher.segment_readers()[0];
        let col = seg.fast_fields().u64(CHAPTER)?;
        let episodes: Vec<_> = (0..6).map(|d| episode_doc(&col, d)).collect();
        assert_eq!(
            episodes,
            [Some(0), Some(0), Some(0), Some(3), Some(4), Some(4)]
        );
        Ok(())
    }
}
