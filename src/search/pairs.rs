//! Two-word phrases of frequent words answered from pair terms instead of positions.
//!
//! A phrase like `"garbage collection"` over 100,000 episodes has tens of thousands of candidate
//! chapters, and checking each one's positions costs about 185 ns in tantivy (39,473 in chapter
//! titles alone: the bench's slowest query kind). An index built since schema version 6 holds,
//! for the frequent words it chose ([`crate::index::analyzer::pairs`]), a pair term wherever one
//! such word follows another. [`PairQuery`] reads that term's postings and scores each document
//! exactly as tantivy's phrase query does: BM25 over the two words' statistics in the phrase's
//! own field, with the phrase's count (the pair's frequency) and that field's norms.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term};

/// The phrase `words` in `field`, found through the pair term of `pair_field`.
#[derive(Debug, Clone)]
pub(crate) struct PairQuery {
    field: Field,
    words: [Term; 2],
    pair: Term,
}

impl PairQuery {
    /// The phrase `a b` of `field`, whose pairs `pair_field` holds.
    pub(crate) fn new(field: Field, pair_field: Field, a: &str, b: &str) -> PairQuery {
        PairQuery {
            field,
            words: [
                Term::from_field_text(field, a),
                Term::from_field_text(field, b),
            ],
            pair: Term::from_field_text(pair_field, &crate::index::analyzer::pair_term(a, b)),
        }
    }
}

impl Query for PairQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        // As tantivy's phrase weight: the phrase's words' statistics in its field.
        let bm25 = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(statistics_provider, &self.words)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(PairWeight {
            field: self.field,
            pair: self.pair.clone(),
            bm25,
        }))
    }

    /// The phrase's words, as a phrase query gives them (the planner sizes units by them).
    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for t in &self.words {
            visitor(t, true);
        }
    }
}

struct PairWeight {
    field: Field,
    pair: Term,
    bm25: Option<Bm25Weight>,
}

impl PairWeight {
    /// None when the segment has no such pair.
    fn pair_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<PairScorer>> {
        let Some(postings) = reader
            .inverted_index(self.pair.field())?
            .read_postings(&self.pair, IndexRecordOption::WithFreqs)
            .map_err(TantivyError::from)?
        else {
            return Ok(None);
        };
        let norms = match &self.bm25 {
            Some(_) => reader.fieldnorms_readers().get_field(self.field)?,
            None => None,
        }
        .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
        Ok(Some(PairScorer {
            postings,
            norms,
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
        }))
    }
}

impl Weight for PairWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.pair_scorer(reader, boost)? {
            Some(s) => Box::new(s),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let Some(mut s) = self.pair_scorer(reader, 1.0)?.filter(|s| s.doc() <= doc) else {
            return Err(not_matching(doc));
        };
        if s.seek(doc) != doc {
            return Err(not_matching(doc));
        }
        let mut e = Explanation::new("Phrase Scorer (pair term)", s.score());
        if let Some(w) = &self.bm25 {
            e.add_detail(w.explain(s.norms.fieldnorm_id(doc), s.postings.term_freq()));
        }
        Ok(e)
    }
}

fn not_matching(doc: DocId) -> TantivyError {
    TantivyError::InvalidArgument(format!("Document #({doc}) does not match"))
}

/// The pair's postings, scored as the phrase. Not tantivy's own term scorer (which is not
/// public), so tantivy never takes it for one and prunes by the pair field's block maxima.
struct PairScorer {
    postings: SegmentPostings,
    norms: FieldNormReader,
    bm25: Option<Bm25Weight>,
}

impl DocSet for PairScorer {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Scorer for PairScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(w) => w.score(
                self.norms.fieldnorm_id(self.postings.doc()),
                self.postings.term_freq(),
            ),
            None => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::index::{self, IndexOptions, PodIndex};
    use crate::load::{self, LoadOptions};
    use crate::search::{self, SearchOptions};
    use std::fmt::Write;
    use std::path::Path;

    /// Words that stand next to each other in odd ways: compounds whose parts are words of
    /// their own, stems, case, accents, repeats.
    const VOCAB: [&str; 14] = [
        "garbage",
        "collection",
        "Collections",
        "free-threading",
        "threading",
        "free",
        "gc.collect()",
        "the",
        "GC",
        "café",
        "PEP 703",
        "3.13",
        "loop",
        "event",
    ];

    /// Show notes of the episodes `numbers`, whose chapter titles and sections are runs of
    /// [`VOCAB`].
    fn notes(numbers: std::ops::RangeInclusive<u32>) -> String {
        let mut seed = u64::from(*numbers.start());
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut out = String::new();
        for e in numbers {
            writeln!(out, "Episode {e}: Show {e}").ok();
            writeln!(out, "## Timestamps").ok();
            for c in 0..12 {
                let words: Vec<&str> = (0..2 + next(6)).map(|_| VOCAB[next(VOCAB.len())]).collect();
                let title = if c % 5 == 0 {
                    format!("PART {}: {}", c / 5 + 1, words.join(" "))
                } else {
                    words.join(" ")
                };
                writeln!(out, "(00:{c:02}:00) {title}").ok();
            }
        }
        out
    }

    fn build(
        dir: &Path,
        notes: &Path,
        pair_min_docs: u64,
        rebuild: bool,
    ) -> anyhow::Result<PodIndex> {
        let mut loaded = load::load(&[notes.to_path_buf()], &LoadOptions::default())?;
        let opts = IndexOptions {
            pair_min_docs: Some(pair_min_docs),
            rebuild,
            ..IndexOptions::default()
        };
        index::update(dir, &mut loaded, &opts, &mut |_, _| {})?;
        Ok(PodIndex::open(dir)?)
    }

    /// Every hit, in a form that does not depend on document order.
    fn all_hits(idx: &PodIndex, q: &str) -> anyhow::Result<(usize, Vec<String>)> {
        let opts = SearchOptions {
            limit: 10_000,
            episode: None,
            podcast: None,
        };
        let r = search::search(idx, q, &opts)?;
        let mut hits: Vec<String> = r
            .hits
            .iter()
            .map(|h| {
                format!(
                    "{:?} {:?} {:?} {} {:08x}",
                    h.episode,
                    h.chapter_title,
                    h.section,
                    h.start_seconds,
                    h.score.to_bits()
                )
            })
            .collect();
        hits.sort();
        Ok((r.total, hits))
    }

    #[test]
    fn pair_terms_find_and_score_what_positions_do() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let (first, later) = (dir.path().join("1.txt"), dir.path().join("2.txt"));
        std::fs::write(&first, notes(1..=30))?;
        std::fs::write(&later, notes(31..=40))?;
        let (pairs, positions) = (dir.path().join("pairs"), dir.path().join("positions"));
        // Built without pairs first: a rebuild chooses the words again, and its indexing
        // threads analyse with them. A later run adds episodes with the words chosen (its own
        // `pair_min_docs` is not used: only full builds choose).
        build(&pairs, &first, u64::MAX, true)?;
        build(&pairs, &first, 1, true)?;
        let with = build(&pairs, &later, u64::MAX, false)?;
        build(&positions, &first, u64::MAX, true)?;
        let without = build(&positions, &later, 1, false)?;
        assert!(without.pair_words().is_empty());
        for w in [
            "garbage",
            "collection",
            "threading",
            "free",
            "gc",
            "the",
            "703",
        ] {
            assert!(with.pair_words().contains(w), "{w}");
        }
        // The pairs are there, in both fields.
        let s = with.searcher();
        let f = &with.fields;
        for field in [f.chapter_title_pairs, f.section_pairs] {
            let field = field.ok_or_else(|| anyhow::anyhow!("no pair field"))?;
            let mut terms = 0;
            for r in s.segment_readers() {
                terms += r.inverted_index(field)?.terms().num_terms();
            }
            assert!(terms > 20, "{terms}");
        }
        let term = |pair| {
            f.chapter_title_pairs
                .map(|p| tantivy::Term::from_field_text(p, pair))
        };
        for pair in ["garbage collection", "free threading"] {
            let term = term(pair).ok_or_else(|| anyhow::anyhow!("no pair field"))?;
            assert!(s.doc_freq(&term)? > 0, "{pair}");
        }
        let words: Vec<String> = VOCAB
            .iter()
            .flat_map(|v| v.split_whitespace())
            .map(str::to_lowercase)
            .collect();
        let mut phrases = 0;
        for a in &words {
            for b in &words {
                for q in [format!("\"{a} {b}\""), format!("{a} {b}")] {
                    let got = all_hits(&with, &q)?;
                    assert_eq!(got, all_hits(&without, &q)?, "{q}");
                    phrases += usize::from(got.0 > 0);
                }
            }
        }
        assert!(phrases > 100, "only {phrases} queries matched anything");
        Ok(())
    }
}
