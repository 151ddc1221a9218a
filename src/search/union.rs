//! A disjunction for clauses that a far rarer clause leads: it moves only when asked.
//!
//! tantivy's scored union buffers a window of 4,096 documents: every seek past the window clears
//! it and scores each clause's documents in the next window, also the many that the leading
//! clause of an intersection then skips. That suits a union that drives the search, or one
//! sought to most documents of its window; a union sought to a few hundred candidates (`PEP
//! 703`: `pep` in any field, sought to where `703` is) pays a window per candidate. [`AnyOf`]
//! seeks its clauses instead and scores a document only when asked, adding the clauses' scores
//! in clause order as tantivy's union does, so a document scores the same either way.

use tantivy::query::{
    BooleanQuery, EmptyScorer, EnableScoring, Explanation, Occur, Query, Scorer, Weight,
};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// `q` with its disjunctions (boolean queries of optional clauses only, nested ones too) as
/// [`AnyOf`]: for a query that is only ever sought.
pub(crate) fn sought(q: &dyn Query) -> Box<dyn Query> {
    if let Some(b) = q.downcast_ref::<BooleanQuery>()
        && b.get_minimum_number_should_match() <= 1
        && b.clauses().iter().all(|(o, _)| *o == Occur::Should)
    {
        return Box::new(AnyOf(
            b.clauses().iter().map(|(_, c)| sought(&**c)).collect(),
        ));
    }
    q.box_clone()
}

/// Documents matching any of the clauses, scored by the sum of the clauses that match.
#[derive(Debug)]
pub(crate) struct AnyOf(pub(crate) Vec<Box<dyn Query>>);

impl Clone for AnyOf {
    fn clone(&self) -> Self {
        AnyOf(self.0.iter().map(|q| q.box_clone()).collect())
    }
}

impl Query for AnyOf {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .0
            .iter()
            .map(|q| q.weight(enable_scoring))
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(AnyOfWeight(weights)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.0 {
            q.query_terms(visitor);
        }
    }
}

struct AnyOfWeight(Vec<Box<dyn Weight>>);

impl Weight for AnyOfWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.0.len());
        for w in &self.0 {
            let s = w.scorer(reader, boost)?;
            if s.doc() != TERMINATED {
                scorers.push(s);
            }
        }
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            1 => scorers.remove(0),
            _ => Box::new(SeekUnion::new(scorers)),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut matched = Vec::new();
        for w in &self.0 {
            // Only clauses that match are asked: a phrase weight asked about a document
            // before its first match seeks backwards (a debug assertion in tantivy 0.27).
            let mut s = w.scorer(reader, 1.0)?;
            if s.doc() <= doc && s.seek(doc) == doc {
                matched.push(w.explain(reader, doc)?);
            }
        }
        if matched.is_empty() {
            return Err(TantivyError::InvalidArgument(format!(
                "document #({doc}) does not match"
            )));
        }
        let mut e = Explanation::new("sum of", matched.iter().map(Explanation::value).sum());
        for m in matched {
            e.add_detail(m);
        }
        Ok(e)
    }
}

/// The union itself: on the smallest document of its clauses, each moved only when behind.
struct SeekUnion {
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl SeekUnion {
    fn new(scorers: Vec<Box<dyn Scorer>>) -> Self {
        let doc = scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
        SeekUnion { scorers, doc }
    }

    /// Drops the finished clauses and lands on the smallest document left.
    fn settle(&mut self) -> DocId {
        self.scorers.retain(|s| s.doc() != TERMINATED);
        self.doc = self
            .scorers
            .iter()
            .map(|s| s.doc())
            .min()
            .unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for SeekUnion {
    fn advance(&mut self) -> DocId {
        let doc = self.doc;
        for s in &mut self.scorers {
            if s.doc() == doc {
                s.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        // A clause already past `target` stays put: phrase scorers cannot go back.
        for s in &mut self.scorers {
            if s.doc() < target {
                s.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|s| s.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|s| s.cost()).sum()
    }
}

impl Scorer for SeekUnion {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut sum = 0.0;
        for s in &mut self.scorers {
            if s.doc() == doc {
                sum += s.score();
            }
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BoostQuery, PhraseQuery, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, IndexWriter, Searcher, doc};

    fn term(f: Field, w: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(f, w),
            IndexRecordOption::WithFreqs,
        ))
    }

    fn should(qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            qs.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))
    }

    /// 5,000 documents over two fields: `a`, `b` and `a b` common, `rare` in every 97th.
    fn index() -> tantivy::Result<(Searcher, Field, Field)> {
        let mut schema = Schema::builder();
        let x = schema.add_text_field("x", TEXT);
        let y = schema.add_text_field("y", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        for i in 0..5_000u32 {
            let words = ["a", "b", "c", "a b", "b a", "c c a"][(i % 6) as usize];
            let rare = if i % 97 == 0 { " rare" } else { "" };
            writer.add_document(
                doc!(x => format!("{words}{rare}"), y => ["b", "c", "a"][(i % 3) as usize]),
            )?;
        }
        writer.commit()?;
        Ok((index.reader()?.searcher(), x, y))
    }

    /// The clauses of a unit as podseek builds them: terms in two fields, boosted, a phrase,
    /// and a nested disjunction.
    fn unit(x: Field, y: Field) -> Vec<Box<dyn Query>> {
        vec![
            term(x, "a"),
            Box::new(BoostQuery::new(term(y, "a"), 0.5)),
            Box::new(PhraseQuery::new(vec![
                Term::from_field_text(x, "a"),
                Term::from_field_text(x, "b"),
            ])),
            should(vec![term(x, "c"), term(y, "c")]),
        ]
    }

    fn run(searcher: &Searcher, q: &dyn Query) -> tantivy::Result<(usize, Vec<(f32, u32)>)> {
        let (n, top) =
            searcher.search(q, &(Count, TopDocs::with_limit(10_000).order_by_score()))?;
        Ok((n, top.into_iter().map(|(s, a)| (s, a.doc_id)).collect()))
    }

    #[test]
    fn a_seek_union_matches_and_scores_as_tantivys_union() -> tantivy::Result<()> {
        let (searcher, x, y) = index()?;
        // Driving the search on its own, and sought to the rare word's documents.
        let lone = run(&searcher, &*should(unit(x, y)))?;
        assert_eq!(lone, run(&searcher, &AnyOf(unit(x, y)))?);
        assert!(lone.0 > 4_000, "{}", lone.0);
        let with_rare = |u: Box<dyn Query>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, term(x, "rare")),
                (Occur::Must, u),
            ]))
        };
        let buffered = run(&searcher, &*with_rare(should(unit(x, y))))?;
        let seeking = run(&searcher, &*with_rare(Box::new(AnyOf(unit(x, y)))))?;
        assert_eq!(buffered, seeking);
        assert!(buffered.0 > 30, "{}", buffered.0);
        // And converted from the boolean query, as the planner does.
        let converted = run(&searcher, &*with_rare(sought(&*should(unit(x, y)))))?;
        assert_eq!(buffered, converted);
        Ok(())
    }

    #[test]
    fn only_disjunctions_are_converted() {
        let x = Schema::builder().add_text_field("x", TEXT);
        let nested = should(vec![term(x, "a"), should(vec![term(x, "b"), term(x, "c")])]);
        let s = sought(&*nested);
        let any = s.downcast_ref::<AnyOf>().map(|a| &a.0);
        assert!(
            any.is_some_and(|qs| qs.len() == 2 && qs[1].is::<AnyOf>()),
            "{s:?}"
        );
        let and: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, term(x, "a")),
            (Occur::Should, term(x, "b")),
        ]));
        assert!(sought(&*and).is::<BooleanQuery>());
        assert!(sought(&*term(x, "a")).is::<TermQuery>());
        let mut at_least_two = BooleanQuery::new(vec![
            (Occur::Should, term(x, "a")),
            (Occur::Should, term(x, "b")),
        ]);
        at_least_two.set_minimum_number_should_match(2);
        assert!(sought(&at_least_two).is::<BooleanQuery>());
    }

    #[test]
    fn explain_sums_the_matching_clauses() -> tantivy::Result<()> {
        let (searcher, x, y) = index()?;
        let q = AnyOf(unit(x, y));
        let (_, top) = run(&searcher, &q)?;
        let (score, doc) = top[0];
        let seg = searcher.segment_reader(0);
        let w = q.weight(EnableScoring::enabled_from_searcher(&searcher))?;
        assert!((w.explain(seg, doc)?.value() - score).abs() < 1e-4);
        // Document 2 holds only `c` in x and `a` in y: two clauses of four match.
        let two = top.iter().find(|(_, d)| *d == 2).map(|(s, _)| *s);
        let e = w.explain(seg, 2)?;
        assert!(two.is_some_and(|s| (e.value() - s).abs() < 1e-4), "{e:?}");
        let clauses = unit(x, y);
        let mut sum = 0.0;
        for c in [&clauses[1], &clauses[3]] {
            let cw = c.weight(EnableScoring::enabled_from_searcher(&searcher))?;
            sum += cw.explain(seg, 2)?.value();
        }
        assert!((e.value() - sum).abs() < 1e-4, "{e:?}");
        let none = AnyOf(vec![term(x, "zzz")]);
        let w = none.weight(EnableScoring::enabled_from_searcher(&searcher))?;
        assert!(w.explain(seg, 0).is_err());
        Ok(())
    }
}
