//! Excluded clauses (`-word`, `-"a phrase"`) wrapped so tantivy never asks them to seek
//! backwards.
//!
//! tantivy 0.27's exclusion asks its excluded docset whether it contains a document that may lie
//! before the docset's current one; a phrase scorer asserts against that (upstream issue 2811).
//! Release builds skip the assertion and answer right, but a debug build, and so every test
//! run, panicked on a query like `-core.py word`. The wrapper answers such a backward question
//! itself: a document before the current one is not in the set.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term};

/// A query whose scorers only ever seek forwards.
#[derive(Debug)]
pub(crate) struct Forward(pub(crate) Box<dyn Query>);

impl Clone for Forward {
    fn clone(&self) -> Self {
        Forward(self.0.box_clone())
    }
}

impl Query for Forward {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ForwardWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ForwardWeight(Box<dyn Weight>);

impl Weight for ForwardWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ForwardScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct ForwardScorer(Box<dyn Scorer>);

impl DocSet for ForwardScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.0.doc();
        if target <= doc {
            doc
        } else {
            self.0.seek(target)
        }
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        let doc = self.0.doc();
        // The docset has gone past `target` without matching it; `doc` is a valid lower bound.
        if target < doc {
            return SeekDangerResult::SeekLowerBound(doc);
        }
        self.0.seek_danger(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl Scorer for ForwardScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, IndexWriter, doc};

    #[test]
    fn an_excluded_phrase_ahead_of_the_candidate_is_not_asked_backwards() -> tantivy::Result<()> {
        // Doc 0 matches `x` only; the phrase's first doc is 1, ahead of the first candidate.
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        for text in ["x", "a b x", "x b a", "a b"] {
            writer.add_document(doc!(body => text))?;
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let term = |w: &str| Term::from_field_text(body, w);
        let phrase = PhraseQuery::new(vec![term("a"), term("b")]);
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(term("x"), IndexRecordOption::Basic)) as Box<dyn Query>,
            ),
            (Occur::MustNot, Box::new(Forward(Box::new(phrase)))),
        ]);
        assert_eq!(searcher.search(&query, &Count)?, 2);
        Ok(())
    }
}
