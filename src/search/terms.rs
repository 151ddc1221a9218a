//! A query that is only a union of term queries (one common word: `the`, `python`), or two such
//! unions required together (`interpreter threads`), counted and ranked term by term over
//! windows of documents.
//!
//! tantivy runs such a union through a buffered union too, but then hands every matching
//! document to the collector one call at a time: for `the` at 100k episodes (511,316 matches)
//! that visit and the `(Count, TopDocs)` calls behind it were about half the search. Here each
//! window's scores are added term by term, then the window's bitset is counted and only scores
//! that beat the last hit kept are looked at; a segment with few postings (a rare word and its
//! typos) is sorted instead. Two units intersect their windows' bits, which spares tantivy's
//! seeks from one buffered union into the other (a quarter of such a search).
//!
//! Scores are the same bit for bit: each term scores with the BM25 weight tantivy's term query
//! would use, and a document's terms are added in clause order starting from zero, as tantivy's
//! summing union does. Ties keep the lower document address first, as `TopDocs` does.
//!
//! A word and its marked stem often have the same postings (no other word of the index has that
//! stem): a clause whose postings are byte for byte the previous clause's is read once, each
//! document getting both scores in turn.
//!
//! A search that reads many postings (a common word, a two-word AND, a phrase of common words)
//! ranks its segments on two cores at once, each keeping its own best, merged after.

use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::ops::Range;
use tantivy::DocSet;
use tantivy::directory::CompositeFile;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::{InvertedIndexReader, SegmentComponent};
use tantivy::postings::{BlockSegmentPostings, TermInfo};
use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, BooleanQuery, BoostWeight, EnableScoring, Occur, Query,
    Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, Term};

/// A term query scored `boost` times, as `BoostQuery` over a `TermQuery` scores it, but whose
/// term and boost can be read back ([`clauses`]).
#[derive(Debug, Clone)]
pub(crate) struct WeightedTerm {
    pub(crate) query: TermQuery,
    pub(crate) boost: Score,
}

impl Query for WeightedTerm {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        // What `BoostQuery::weight` builds, so the two score alike everywhere.
        let weight = self.query.weight(enable_scoring)?;
        Ok(if enable_scoring.is_scoring_enabled() {
            Box::new(BoostWeight::new(weight, self.boost))
        } else {
            weight
        })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

/// The terms and boosts of `q` when it is a term query or a union of term queries only (each
/// plain or [`WeightedTerm`]), in clause order; `None` for anything else.
pub(crate) fn clauses(q: &dyn Query) -> Option<Vec<(Term, Score)>> {
    if q.downcast_ref::<BooleanQuery>().is_some() {
        return union(q)?.iter().map(|(_, c)| term_of(&**c)).collect();
    }
    term_of(q).map(|c| vec![c])
}

/// The clauses of `q` when it is a boolean query of should clauses of which any one matches.
fn union(q: &dyn Query) -> Option<&[(Occur, Box<dyn Query>)]> {
    let b = q.downcast_ref::<BooleanQuery>()?;
    let any_one = b.get_minimum_number_should_match() <= 1
        && b.clauses().iter().all(|(o, _)| *o == Occur::Should);
    any_one.then(|| b.clauses())
}

/// The term and boost of a term query, plain or [`WeightedTerm`].
fn term_of(q: &dyn Query) -> Option<(Term, Score)> {
    if let Some(t) = q.downcast_ref::<TermQuery>() {
        return Some((t.term().clone(), 1.0));
    }
    q.downcast_ref::<WeightedTerm>()
        .map(|w| (w.query.term().clone(), w.boost))
}

/// A clause of a union run by [`top_parts`]: a term read from its postings, or any other query
/// (a phrase, a pair term) through tantivy's scorer.
pub(crate) enum Part<'q> {
    Term(Term, Score),
    Query(&'q dyn Query),
}

/// The clauses of `q` when it is a union (should clauses only) of which some are not term
/// queries, in clause order; `None` for anything else (a union of terms is [`clauses`]').
pub(crate) fn parts(q: &dyn Query) -> Option<Vec<Part<'_>>> {
    let parts: Vec<Part<'_>> = union(q)?
        .iter()
        .map(|(_, c)| match term_of(&**c) {
            Some((t, boost)) => Part::Term(t, boost),
            None => Part::Query(&**c),
        })
        .collect();
    parts
        .iter()
        .any(|p| matches!(p, Part::Query(_)))
        .then_some(parts)
}

/// Documents per window: 64 KiB of scores, which stay in the core's cache.
const WINDOW: u32 = 1 << 14;
/// Documents from which a clause's postings are compared with the previous clause's, for a
/// twin (a short list costs little to read twice).
const TWIN_MIN_DOCS: u32 = 1_024;
/// Occurrence counts whose scores are looked up, not computed.
const TABLED: usize = 4;
/// Documents from which a term's scores are looked up.
const TABLE_MIN_DOCS: u32 = 4_096;
/// Postings up to which a segment's matches are sorted instead of windowed.
const SPARSE: u32 = 8_192;
/// Matches from which a window's scores are scanned whole instead of by its bits.
const DENSE: usize = WINDOW as usize / 32;
/// Matches of the first unit in a window below which the second is scored only where the
/// first matched (above, the check's mispredicted branches cost more than the scores).
const FILTER_BELOW: usize = WINDOW as usize / 8;
/// Scores compared at once when looking for ones above the last hit kept.
const CHUNK: usize = 16;
/// Postings a search reads from which its segments are ranked on threads of their own: about
/// a quarter of a millisecond of scoring, against tens of microseconds to wake another core.
const PARALLEL_POSTINGS: u64 = 1 << 16;
const _: () = assert!(
    (WINDOW as usize).is_multiple_of(CHUNK),
    "a window is whole chunks"
);

/// A count of matches and the best of them, best first.
pub(crate) type Ranked = (usize, Vec<(Score, DocAddress)>);

/// The number of live documents matching any of `clauses`, and the `limit` best of them by
/// summed score (ties: lower address first), best first. `None` when a term's field does not
/// record frequencies, where tantivy's own scorer is the one to ask.
pub(crate) fn top(
    searcher: &Searcher,
    clauses: &[(Term, Score)],
    limit: usize,
) -> tantivy::Result<Option<Ranked>> {
    let tally = Tally::new(searcher);
    let Some(weights) = weights(&tally, clauses)? else {
        return Ok(None);
    };
    let ranked = each_segment(searcher, tally.postings(), limit, |reader, ord, best| {
        segment(searcher, reader, clauses, &weights, ord, best)
    })?;
    Ok(Some(ranked))
}

/// [`top`] for a union with clauses that are not terms: their documents and scores come from
/// tantivy's scorers, window by window, added in clause order with the terms' (as tantivy's
/// summing union adds them), instead of through its buffered union and a collector's call per
/// match. `None` as for [`top`].
pub(crate) fn top_parts(
    searcher: &Searcher,
    parts: &[Part<'_>],
    limit: usize,
) -> tantivy::Result<Option<Ranked>> {
    let terms: Vec<(Term, Score)> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Term(t, boost) => Some((t.clone(), *boost)),
            Part::Query(_) => None,
        })
        .collect();
    let tally = Tally::new(searcher);
    let Some(term_weights) = weights(&tally, &terms)? else {
        return Ok(None);
    };
    // For each term, how many other parts come before it: two terms are twins only with none
    // between them.
    let queries_before: Vec<usize> = parts
        .iter()
        .scan(0, |queries, p| {
            Some(match p {
                Part::Term(..) => Some(*queries),
                Part::Query(_) => {
                    *queries += 1;
                    None
                }
            })
        })
        .flatten()
        .collect();
    // The phrases' statistics are tallied too: their words' postings are what they read.
    let scoring = EnableScoring::enabled_from_statistics_provider(&tally, searcher);
    let mut query_weights = Vec::new();
    for p in parts {
        if let Part::Query(q) = p {
            query_weights.push(q.weight(scoring)?);
        }
    }
    let ranked = each_segment(searcher, tally.postings(), limit, |reader, ord, best| {
        // Each part's source in clause order: a term's cursor (one with a twin stands for two
        // parts) or a query's scorer.
        let run = |t: usize| queries_before.get(t).copied().unwrap_or(0);
        let mut cursors = cursors(searcher, reader, &terms, &term_weights, &run)?.into_iter();
        let mut next_cursor = cursors.next();
        let (mut t, mut w) = (0, 0);
        let mut sources = Vec::with_capacity(parts.len());
        for p in parts {
            match p {
                Part::Term(..) => {
                    // This term's cursor, if it has postings here (a twin's is placed already).
                    if let Some(c) = next_cursor.take_if(|c| c.clause == t) {
                        sources.push(Source::Terms(Box::new(c)));
                        next_cursor = cursors.next();
                    }
                    t += 1;
                }
                Part::Query(_) => {
                    if let Some(weight) = query_weights.get(w) {
                        let scorer = weight.scorer(reader, 1.0)?;
                        if scorer.doc() != tantivy::TERMINATED {
                            sources.push(Source::Scorer(scorer));
                        }
                    }
                    w += 1;
                }
            }
        }
        let alive = reader.alive_bitset();
        let mut window = Window::new();
        let mut total = 0usize;
        while let Some(first) = sources.iter().filter_map(Source::doc).min() {
            let start = first - first % WINDOW;
            let end = start.saturating_add(WINDOW);
            let Window { acc, seen } = &mut window;
            for src in &mut sources {
                let mut put = |d: DocId, score: Score| {
                    let off = (d - start) as usize;
                    acc[off] += score;
                    seen[off / 64] |= 1 << (off % 64);
                };
                match src {
                    Source::Terms(c) => c.each_until(end, put),
                    Source::Scorer(s) => {
                        while s.doc() < end {
                            put(s.doc(), s.score());
                            s.advance();
                        }
                    }
                }
            }
            total += take(&mut window, start, alive, ord, best);
        }
        Ok(total)
    })?;
    Ok(Some(ranked))
}

/// Where [`top_parts`] reads a part's documents from.
enum Source {
    Terms(Box<Cursor>),
    Scorer(Box<dyn Scorer>),
}

impl Source {
    /// The next document, or `None` when done.
    fn doc(&self) -> Option<DocId> {
        match self {
            Source::Terms(c) => c.doc(),
            Source::Scorer(s) => Some(s.doc()).filter(|&d| d != tantivy::TERMINATED),
        }
    }
}

/// Each clause's BM25 weight as tantivy's term query builds it (searcher statistics, then the
/// boost); `None` when a term's field records no frequencies.
fn weights(
    tally: &Tally<'_>,
    clauses: &[(Term, Score)],
) -> tantivy::Result<Option<Vec<Bm25Weight>>> {
    let schema = tally.searcher.schema();
    let mut weights = Vec::with_capacity(clauses.len());
    for (term, boost) in clauses {
        let freqs = schema
            .get_field_entry(term.field())
            .field_type()
            .get_index_record_option()
            .is_some_and(|o| o.has_freq());
        if !freqs {
            return Ok(None);
        }
        weights.push(Bm25Weight::for_terms(tally, std::slice::from_ref(term))?.boost_by(*boost));
    }
    Ok(Some(weights))
}

/// The searcher's statistics, as BM25 weights are built from them, with the postings they
/// count summed: how many postings a search is about to read.
struct Tally<'s> {
    searcher: &'s Searcher,
    postings: Cell<u64>,
}

impl<'s> Tally<'s> {
    fn new(searcher: &'s Searcher) -> Self {
        Tally {
            searcher,
            postings: Cell::new(0),
        }
    }

    /// The document frequencies asked for so far, summed.
    fn postings(&self) -> u64 {
        self.postings.get()
    }
}

impl Bm25StatisticsProvider for Tally<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.searcher.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(self.searcher)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let n = self.searcher.doc_freq(term)?;
        self.postings.set(self.postings.get().saturating_add(n));
        Ok(n)
    }
}

/// Ranks every segment with `each` (given the segment, its ordinal and the hits kept so far;
/// it returns the segment's live matches) and gives the count and the `limit` best.
///
/// A search of at least [`PARALLEL_POSTINGS`] postings over several segments ranks them on
/// rayon's threads, each segment keeping its own best, merged after: the same hits, since a
/// segment's best are kept with ties to the lower address and every address of a segment
/// orders after the previous segment's. A lighter search runs on this thread alone, where
/// handing work to another core would cost more than it saves.
fn each_segment<F>(
    searcher: &Searcher,
    postings: u64,
    limit: usize,
    each: F,
) -> tantivy::Result<Ranked>
where
    F: Fn(&SegmentReader, u32, &mut Best) -> tantivy::Result<usize> + Sync,
{
    let readers = searcher.segment_readers();
    let limit = limit.max(1);
    if !parallel(postings, readers.len()) {
        let mut best = Best::new(limit);
        let mut total = 0usize;
        for (ord, reader) in readers.iter().enumerate() {
            total += each(reader, segment_ord(ord)?, &mut best)?;
        }
        return Ok((total, best.into_sorted()));
    }
    let run = |ord: usize| -> tantivy::Result<Ranked> {
        let mut best = Best::new(limit);
        let reader = &readers[ord];
        let total = each(reader, segment_ord(ord)?, &mut best)?;
        Ok((total, best.into_sorted()))
    };
    // The first segment on this thread, the others handed to the pool meanwhile.
    let mut found: Vec<Option<tantivy::Result<Ranked>>> =
        (0..readers.len()).map(|_| None).collect();
    rayon::in_place_scope(|scope| {
        let (first, rest) = found.split_at_mut(1);
        for (i, slot) in rest.iter_mut().enumerate() {
            let run = &run;
            scope.spawn(move |_| *slot = Some(run(i + 1)));
        }
        first[0] = Some(run(0));
    });
    let mut total = 0usize;
    let mut kept = Vec::with_capacity(limit.saturating_mul(readers.len()));
    for f in found {
        let (n, best) = f.unwrap_or_else(|| {
            Err(tantivy::TantivyError::InternalError(
                "a segment's ranking did not run".into(),
            ))
        })?;
        total += n;
        kept.extend(best.into_iter().map(|(s, a)| Kept(s, a)));
    }
    // Best first: higher score, then lower address (the order `Kept` sorts in).
    kept.sort_unstable();
    kept.truncate(limit);
    Ok((total, kept.into_iter().map(|Kept(s, a)| (s, a)).collect()))
}

/// Whether a search of `postings` postings over `segments` segments is worth a second core.
fn parallel(postings: u64, segments: usize) -> bool {
    #[cfg(test)]
    if let Some(forced) = tests::PARALLEL.get() {
        return forced && segments > 1;
    }
    postings >= PARALLEL_POSTINGS && segments > 1 && rayon::current_num_threads() > 1
}

fn segment_ord(ord: usize) -> tantivy::Result<u32> {
    u32::try_from(ord)
        .map_err(|_| tantivy::TantivyError::InternalError("more segments than fit in u32".into()))
}

/// One term's postings in one segment, where the windows have got to.
struct Cursor {
    block: BlockSegmentPostings,
    /// Index of the next document in the current block.
    at: usize,
    norms: FieldNormReader,
    scorer: TermScore,
    /// The next clause's term, when its postings here are byte for byte these (a word and its
    /// marked stem where no other word has that stem): scored from the same documents,
    /// frequencies and norms, right after this term, as its own cursor would have been.
    twin: Option<TermScore>,
    /// Where the postings lie in the field's postings file, to find a twin by.
    field: Field,
    range: Range<usize>,
    /// The clause's place in the clauses the cursors were made for.
    clause: usize,
}

/// How one clause scores a document.
struct TermScore {
    weight: Bm25Weight,
    /// The scores of 1 to [`TABLED`] occurrences, by field-norm id, for a term of many
    /// documents: the division BM25 does per match was a fifth of a common word's search.
    table: Option<Box<[[Score; 256]; TABLED]>>,
}

impl TermScore {
    fn new(weight: &Bm25Weight, doc_freq: u32) -> Self {
        // A table costs a thousand divisions: worth it only for a term of many documents
        // (a rare word's typo expansions are a dozen terms of a few).
        let table = (doc_freq >= TABLE_MIN_DOCS).then(|| {
            let mut table = Box::new([[0.0; 256]; TABLED]);
            for (tf, row) in (1u32..).zip(table.iter_mut()) {
                for (id, s) in (0u8..=255).zip(row.iter_mut()) {
                    *s = weight.score(id, tf);
                }
            }
            table
        });
        TermScore {
            weight: weight.clone(),
            table,
        }
    }

    /// The score of `tf` occurrences in a field of norm `id`.
    #[inline(always)]
    fn score(&self, id: u8, tf: u32) -> Score {
        let row = self
            .table
            .as_deref()
            .and_then(|t| t.get((tf as usize).wrapping_sub(1)));
        match row {
            Some(row) => row[usize::from(id)],
            None => self.weight.score(id, tf),
        }
    }
}

impl Cursor {
    /// The next document, or `None` when the postings are done.
    fn doc(&self) -> Option<DocId> {
        self.block.docs().get(self.at).copied()
    }

    /// Hands each document before `end` and its score to `add`, in document order.
    #[inline(always)]
    fn each_until(&mut self, end: DocId, add: impl FnMut(DocId, Score)) {
        self.each_kept_until(end, |_| true, add);
    }

    /// [`Cursor::each_until`] for the documents `keep` accepts only: the others are not scored.
    #[inline(always)]
    fn each_kept_until(
        &mut self,
        end: DocId,
        keep: impl Fn(DocId) -> bool,
        mut add: impl FnMut(DocId, Score),
    ) {
        loop {
            let docs = self.block.docs();
            if docs.is_empty() {
                return;
            }
            let freqs = self.block.freqs();
            // Most blocks end inside the window; the one crossing its end is cut there.
            let stop = if docs.last().is_some_and(|&d| d < end) {
                docs.len()
            } else {
                docs.partition_point(|&d| d < end)
            };
            let from = self.at.min(stop);
            let (part, freqs) = (&docs[from..stop], &freqs[from..stop]);
            match &self.twin {
                None => {
                    for (&d, &tf) in part.iter().zip(freqs) {
                        if keep(d) {
                            add(d, self.scorer.score(self.norms.fieldnorm_id(d), tf));
                        }
                    }
                }
                Some(twin) => {
                    for (&d, &tf) in part.iter().zip(freqs) {
                        if keep(d) {
                            let id = self.norms.fieldnorm_id(d);
                            add(d, self.scorer.score(id, tf));
                            add(d, twin.score(id, tf));
                        }
                    }
                }
            }
            self.at = stop;
            if stop < docs.len() {
                return;
            }
            self.block.advance();
            self.at = 0;
        }
    }
}

/// The cursors of the clauses with postings in this segment, in clause order; a clause whose
/// postings are the previous cursor's is that cursor's twin, if `run` gives both clauses the
/// same number (nothing else is scored between them).
fn cursors(
    searcher: &Searcher,
    reader: &SegmentReader,
    clauses: &[(Term, Score)],
    weights: &[Bm25Weight],
    run: &dyn Fn(usize) -> usize,
) -> tantivy::Result<Vec<Cursor>> {
    let mut cursors: Vec<Cursor> = Vec::with_capacity(clauses.len());
    let mut files: Option<CompositeFile> = None;
    for (clause, ((term, _), weight)) in clauses.iter().zip(weights).enumerate() {
        let field = term.field();
        let inverted = reader.inverted_index(field)?;
        let Some(info) = inverted.get_term_info(term)? else {
            continue;
        };
        if let Some(last) = cursors.last_mut()
            && last.twin.is_none()
            && run(last.clause) == run(clause)
            && last.field == field
            && last.block.doc_freq() == info.doc_freq
            && info.doc_freq >= TWIN_MIN_DOCS
            && same_postings(
                searcher,
                reader,
                &mut files,
                field,
                &inverted,
                &last.range,
                &info,
            )?
        {
            last.twin = Some(TermScore::new(weight, info.doc_freq));
            continue;
        }
        let block =
            inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
        let norms = match reader.fieldnorms_readers().get_field(field)? {
            Some(n) => n,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        cursors.push(Cursor {
            scorer: TermScore::new(weight, block.doc_freq()),
            block,
            at: 0,
            norms,
            twin: None,
            field,
            range: info.postings_range,
            clause,
        });
    }
    Ok(cursors)
}

/// Whether the postings at `range` in `field`'s postings file are byte for byte `info`'s: the
/// same documents with the same frequencies. The segment's postings file is opened once.
///
/// A field's postings are laid out as tantivy 0.27 writes them (not public API): the field's
/// token count (u64, little-endian), then the terms' postings, at the ranges the term infos
/// give. Where the first eight bytes are not that count, no two terms are taken as twins.
fn same_postings(
    searcher: &Searcher,
    reader: &SegmentReader,
    files: &mut Option<CompositeFile>,
    field: Field,
    inverted: &InvertedIndexReader,
    range: &Range<usize>,
    info: &TermInfo,
) -> tantivy::Result<bool> {
    if range.len() != info.postings_range.len() {
        return Ok(false);
    }
    let files = match files {
        Some(f) => f,
        None => {
            let file = super::walk::segment_file(searcher, reader, SegmentComponent::Postings)?;
            files.insert(CompositeFile::open(&file)?)
        }
    };
    let Some(file) = files.open_read(field) else {
        return Ok(false);
    };
    let (head, body) = file.split(8);
    if head.read_bytes()?.as_slice() != inverted.total_num_tokens().to_le_bytes() {
        return Ok(false);
    }
    let len = body.num_bytes().get_bytes();
    let fits = |r: &Range<usize>| u64::try_from(r.end).is_ok_and(|end| end <= len);
    if !fits(range) || !fits(&info.postings_range) {
        return Ok(false);
    }
    let bytes = |r: &Range<usize>| body.slice(r.clone()).read_bytes();
    Ok(bytes(range)?.as_slice() == bytes(&info.postings_range)?.as_slice())
}

/// Counts and ranks one segment's matches; returns its live matches.
fn segment(
    searcher: &Searcher,
    reader: &SegmentReader,
    clauses: &[(Term, Score)],
    weights: &[Bm25Weight],
    ord: u32,
    best: &mut Best,
) -> tantivy::Result<usize> {
    let mut cursors = cursors(searcher, reader, clauses, weights, &|_| 0)?;
    let alive = reader.alive_bitset();
    let postings = postings(&cursors);
    if postings <= SPARSE {
        return Ok(sparse(&mut cursors, postings, alive, ord, best));
    }
    let mut window = Window::new();
    let mut count = 0usize;
    while let Some(first) = first_doc(&cursors) {
        let start = first - first % WINDOW;
        add(&mut cursors, start, &mut window.acc, &mut window.seen);
        count += take(&mut window, start, alive, ord, best);
    }
    Ok(count)
}

/// Counts a window's live matches and offers those that can get in to `best`, leaving the
/// window empty for the next.
fn take(
    window: &mut Window,
    start: DocId,
    alive: Option<&tantivy::fastfield::AliveBitSet>,
    ord: u32,
    best: &mut Best,
) -> usize {
    let matched = window.matched();
    let Window { acc, seen } = window;
    let mut count = 0;
    match alive {
        // A dense window without deletions (any index after a full build): the count is its
        // bits', and once `limit` hits are kept only scores above the last need a look. A
        // document that matched nothing scores 0, which never gets in.
        None if best.full() && best.floor() >= 0.0 && matched >= DENSE => {
            count += matched;
            seen.fill(0);
            // A chunk's scores are compared with the floor all at once (vector instructions,
            // no branch per score), and only a chunk with one above gets a look: a score
            // equal to the floor stays out, its address being later than every kept one's.
            // Each chunk is zeroed for the next window while it is in the cache.
            let mut floor = best.floor();
            let (chunks, _) = acc.as_chunks_mut::<CHUNK>();
            for (c, chunk) in chunks.iter_mut().enumerate() {
                if chunk.iter().fold(false, |any, &s| any | (s > floor)) {
                    for (i, &s) in chunk.iter().enumerate() {
                        if s > floor {
                            let doc = start + (c * CHUNK + i) as DocId;
                            best.offer(s, DocAddress::new(ord, doc));
                            floor = best.floor();
                        }
                    }
                }
                *chunk = [0.0; CHUNK];
            }
        }
        _ => {
            for (i, word) in seen.iter_mut().enumerate() {
                let mut bits = std::mem::take(word);
                while bits != 0 {
                    let off = i * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let score = std::mem::take(&mut acc[off]);
                    let doc = start + off as DocId;
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        count += 1;
                        best.offer(score, DocAddress::new(ord, doc));
                    }
                }
            }
        }
    }
    count
}

/// One window's summed scores and which of its documents matched.
struct Window {
    acc: Vec<Score>,
    seen: Vec<u64>,
}

impl Window {
    fn new() -> Self {
        Window {
            acc: vec![0.0; WINDOW as usize],
            seen: vec![0; (WINDOW / 64) as usize],
        }
    }

    /// How many of the window's documents matched.
    fn matched(&self) -> usize {
        self.seen.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Zeroes what the window holds, for the next.
    fn clear(&mut self) {
        if self.matched() >= DENSE {
            self.acc.fill(0.0);
            self.seen.fill(0);
            return;
        }
        for (i, word) in self.seen.iter_mut().enumerate() {
            let mut bits = std::mem::take(word);
            while bits != 0 {
                self.acc[i * 64 + bits.trailing_zeros() as usize] = 0.0;
                bits &= bits - 1;
            }
        }
    }
}

/// The first document left in any of `cursors`.
fn first_doc(cursors: &[Cursor]) -> Option<DocId> {
    cursors.iter().filter_map(Cursor::doc).min()
}

/// The postings of `cursors` in all (deleted documents included).
fn postings(cursors: &[Cursor]) -> u32 {
    cursors
        .iter()
        .map(|c| c.block.doc_freq() * (1 + u32::from(c.twin.is_some())))
        .sum()
}

/// Adds the cursors' documents of the window from `start` (none is before it), clause by
/// clause, to its scores and bits.
fn add(cursors: &mut [Cursor], start: DocId, acc: &mut [Score], seen: &mut [u64]) {
    let end = start.saturating_add(WINDOW);
    for c in cursors {
        c.each_until(end, |d, score| {
            let off = (d - start) as usize;
            acc[off] += score;
            seen[off / 64] |= 1 << (off % 64);
        });
    }
}

/// [`add`] for the documents set in `within` only.
fn add_within(
    cursors: &mut [Cursor],
    start: DocId,
    within: &[u64],
    acc: &mut [Score],
    seen: &mut [u64],
) {
    let end = start.saturating_add(WINDOW);
    for c in cursors {
        c.each_kept_until(
            end,
            |d| {
                let off = (d - start) as usize;
                within[off / 64] & (1 << (off % 64)) != 0
            },
            |d, score| {
                let off = (d - start) as usize;
                acc[off] += score;
                seen[off / 64] |= 1 << (off % 64);
            },
        );
    }
}

/// Two required units of term queries and an optional `bonus`, as tantivy runs the boolean
/// query `+a +b bonus`, counted and ranked as [`top`] does: windows of both units' scores
/// (the second unit, where the first matched few of a window's documents, scored only where it
/// did), their bits intersected, the bonus asked only about the documents of both. A document
/// scores `0 + (a + b) + bonus` (the bonus when it matches), the sums tantivy's intersection
/// and required-optional scorers make; `None` as for [`top`].
pub(crate) fn top_both(
    searcher: &Searcher,
    a: &[(Term, Score)],
    b: &[(Term, Score)],
    bonus: Option<&dyn Query>,
    limit: usize,
) -> tantivy::Result<Option<Ranked>> {
    let tally = Tally::new(searcher);
    let (Some(wa), Some(wb)) = (weights(&tally, a)?, weights(&tally, b)?) else {
        return Ok(None);
    };
    let bonus = bonus
        .map(|q| q.weight(EnableScoring::enabled_from_searcher(searcher)))
        .transpose()?;
    let ranked = each_segment(searcher, tally.postings(), limit, |reader, ord, best| {
        let (mut x, mut y) = (Window::new(), Window::new());
        let mut total = 0usize;
        let (mut ca, mut cb) = (
            cursors(searcher, reader, a, &wa, &|_| 0)?,
            cursors(searcher, reader, b, &wb, &|_| 0)?,
        );
        // The unit of fewer postings goes first, scored whole; the other, in a window where the
        // first matched few documents, only where it did (a + b adds the same either way round).
        if postings(&cb) < postings(&ca) {
            std::mem::swap(&mut ca, &mut cb);
        }
        let mut extra = match &bonus {
            Some(w) => Some(w.scorer(reader, 1.0)?),
            None => None,
        };
        let alive = reader.alive_bitset();
        while let (Some(fa), Some(fb)) = (first_doc(&ca), first_doc(&cb)) {
            // Where both have documents: what one holds before the other's next has no match.
            let first = fa.max(fb);
            let start = first - first % WINDOW;
            for c in ca.iter_mut().chain(cb.iter_mut()) {
                c.each_until(start, |_, _| {});
            }
            add(&mut ca, start, &mut x.acc, &mut x.seen);
            if x.matched() < FILTER_BELOW {
                add_within(&mut cb, start, &x.seen, &mut y.acc, &mut y.seen);
            } else {
                add(&mut cb, start, &mut y.acc, &mut y.seen);
            }
            for (i, (sx, sy)) in x.seen.iter().zip(&y.seen).enumerate() {
                let mut bits = sx & sy;
                while bits != 0 {
                    let off = i * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let doc = start + off as DocId;
                    if !alive.is_none_or(|l| l.is_alive(doc)) {
                        continue;
                    }
                    let mut score: Score = 0.0;
                    score += x.acc[off] + y.acc[off];
                    if let Some(e) = extra.as_mut()
                        && e.doc() <= doc
                        && e.seek(doc) == doc
                    {
                        score += e.score();
                    }
                    total += 1;
                    best.offer(score, DocAddress::new(ord, doc));
                }
            }
            x.clear();
            y.clear();
        }
        Ok(total)
    })?;
    Ok(Some(ranked))
}

/// [`segment`] for few postings (a rare word and its typos): every (document, score) in clause
/// order, sorted by document (stably, so each document's scores stay in clause order) and
/// summed, instead of a window for every few matches.
fn sparse(
    cursors: &mut [Cursor],
    postings: u32,
    alive: Option<&tantivy::fastfield::AliveBitSet>,
    ord: u32,
    best: &mut Best,
) -> usize {
    let mut all: Vec<(DocId, Score)> = Vec::with_capacity(postings as usize);
    for c in cursors {
        c.each_until(DocId::MAX, |d, score| all.push((d, score)));
    }
    all.sort_by_key(|&(d, _)| d);
    let mut count = 0;
    for same in all.chunk_by(|a, b| a.0 == b.0) {
        let doc = same[0].0;
        if alive.is_none_or(|a| a.is_alive(doc)) {
            count += 1;
            best.offer(
                same.iter().fold(0.0, |sum, &(_, s)| sum + s),
                DocAddress::new(ord, doc),
            );
        }
    }
    count
}

/// A hit kept by [`Best`]: the heap's top is the one to drop first (lowest score, then the
/// highest address).
#[derive(Clone, Copy)]
struct Kept(Score, DocAddress);

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Kept {}

impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Kept {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(self.1.cmp(&other.1))
    }
}

/// The `limit` best hits offered, offered in ascending address order.
struct Best {
    limit: usize,
    heap: BinaryHeap<Kept>,
    /// The score a hit must beat once `limit` are kept (never beaten when `limit` is 0).
    bar: Score,
}

impl Best {
    fn new(limit: usize) -> Self {
        Best {
            limit,
            heap: BinaryHeap::with_capacity(limit + 1),
            bar: if limit == 0 {
                Score::INFINITY
            } else {
                Score::NEG_INFINITY
            },
        }
    }

    /// Whether `limit` hits are kept.
    fn full(&self) -> bool {
        self.heap.len() >= self.limit
    }

    /// The score a hit must beat to get in once [`Best::full`].
    fn floor(&self) -> Score {
        self.heap.peek().map_or(Score::NEG_INFINITY, |w| w.0)
    }

    /// Keeps the hit if it is among the best so far. Inlined down to one comparison: most
    /// matches of a common term are turned away (the call was a tenth of `3.13`'s search).
    #[inline(always)]
    fn offer(&mut self, score: Score, addr: DocAddress) {
        // A later address never wins a tie, so only a higher score gets in.
        if score > self.bar || self.heap.len() < self.limit {
            self.admit(score, addr);
        }
    }

    #[inline(never)]
    fn admit(&mut self, score: Score, addr: DocAddress) {
        if self.full() {
            self.heap.pop();
        }
        self.heap.push(Kept(score, addr));
        if self.full() {
            self.bar = self.floor();
        }
    }

    /// Best first.
    fn into_sorted(self) -> Vec<(Score, DocAddress)> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|Kept(s, a)| (s, a))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BoostQuery, PhraseQuery};
    use tantivy::schema::{Field, STRING, Schema, TEXT};
    use tantivy::{Index, IndexWriter, doc};

    thread_local! {
        /// Set by a test: segments ranked on threads of their own (or not) whatever the size.
        pub(super) static PARALLEL: Cell<Option<bool>> = const { Cell::new(None) };
    }

    /// Runs `check` with segments ranked one after another, then on threads of their own.
    fn both_ways(mut check: impl FnMut()) {
        for forced in [false, true] {
            PARALLEL.set(Some(forced));
            check();
        }
        PARALLEL.set(None);
    }

    fn term(f: Field, w: &str) -> TermQuery {
        TermQuery::new(Term::from_field_text(f, w), IndexRecordOption::WithFreqs)
    }

    fn weighted(f: Field, w: &str, boost: Score) -> Box<dyn Query> {
        Box::new(WeightedTerm {
            query: term(f, w),
            boost,
        })
    }

    fn should(qs: Vec<Box<dyn Query>>) -> BooleanQuery {
        BooleanQuery::new(qs.into_iter().map(|q| (Occur::Should, q)).collect())
    }

    /// Three segments (20,000, 3,000 and 17,000 documents, so windows and postings blocks
    /// cross), every 13th document of the first two deleted (the third has no deletions):
    /// `a` and `b` repeated 0-6 times in texts of many lengths, many texts alike (tied
    /// scores), `twin` with `a`'s postings, `rare` in every 97th, `late` only past the first
    /// segment's first window.
    fn index() -> tantivy::Result<(Searcher, Field, Field, Field)> {
        let mut schema = Schema::builder();
        let x = schema.add_text_field("x", TEXT);
        let y = schema.add_text_field("y", TEXT);
        let id = schema.add_text_field("id", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        let mut n = 0u32;
        for (seg, size) in [20_000u32, 3_000, 17_000].into_iter().enumerate() {
            for _ in 0..size {
                let a = "a ".repeat((n % 7) as usize);
                // `twin` wherever `a` is, as often: the same postings (a word and its stem).
                let twin = "twin ".repeat((n % 7) as usize);
                let b = "b ".repeat((n / 7 % 3) as usize);
                let pad = "pad ".repeat((n % 11) as usize);
                let rare = if n.is_multiple_of(97) { "rare" } else { "" };
                // Only from the second window of the first segment on.
                let late = if (17_000..20_000).contains(&n) {
                    " late"
                } else {
                    ""
                };
                let y_text = if n.is_multiple_of(5) { "a a b" } else { "c" };
                writer.add_document(doc!(
                    x => format!("{a}{pad}{b}{twin}{rare}{late}"),
                    y => y_text,
                    id => format!("{seg}-{}", n % 13),
                ))?;
                n += 1;
            }
            writer.commit()?;
        }
        writer.delete_term(Term::from_field_text(id, "0-4"));
        writer.delete_term(Term::from_field_text(id, "1-4"));
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let deleting: Vec<bool> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.alive_bitset().is_some())
            .collect();
        assert_eq!(deleting.len(), 3);
        assert_eq!(deleting.iter().filter(|d| **d).count(), 2);
        Ok((searcher, x, y, id))
    }

    fn tantivys(
        q: &dyn Query,
        searcher: &Searcher,
        limit: usize,
    ) -> (usize, Vec<(u32, DocAddress)>) {
        let (n, top) = searcher
            .search(q, &(Count, TopDocs::with_limit(limit).order_by_score()))
            .unwrap_or_default();
        (n, top.into_iter().map(|(s, a)| (s.to_bits(), a)).collect())
    }

    fn ours(q: &dyn Query, searcher: &Searcher, limit: usize) -> (usize, Vec<(u32, DocAddress)>) {
        let cs = clauses(q).unwrap_or_default();
        assert!(!cs.is_empty(), "{q:?}");
        bits(top(searcher, &cs, limit))
    }

    /// A ranking with its scores as bits, to compare exactly (nothing for an error or `None`).
    fn bits(ranked: tantivy::Result<Option<Ranked>>) -> (usize, Vec<(u32, DocAddress)>) {
        let (n, top) = ranked.ok().flatten().unwrap_or_default();
        (n, top.into_iter().map(|(s, a)| (s.to_bits(), a)).collect())
    }

    #[test]
    fn best_keeps_the_highest_and_the_earlier_of_a_tie() {
        let at = |d| DocAddress::new(0, d);
        let mut none = Best::new(0);
        none.offer(1.0, at(1));
        assert!(none.into_sorted().is_empty());
        let mut two = Best::new(2);
        for (score, d) in [(1.0, 1), (3.0, 2), (2.0, 3), (2.0, 4), (1.5, 5), (3.0, 6)] {
            two.offer(score, at(d));
        }
        assert_eq!(two.into_sorted(), [(3.0, at(2)), (3.0, at(6))]);
        let mut three = Best::new(3);
        for (score, d) in [(2.0, 1), (1.0, 2), (2.0, 3), (2.0, 4), (5.0, 5)] {
            three.offer(score, at(d));
        }
        assert_eq!(
            three.into_sorted(),
            [(5.0, at(5)), (2.0, at(1)), (2.0, at(3))]
        );
    }

    #[test]
    fn counts_and_ranks_as_tantivy_bit_for_bit() -> tantivy::Result<()> {
        let (searcher, x, y, _) = index()?;
        let queries: Vec<Box<dyn Query>> = vec![
            // A common word as the planner builds it: weighted fields, a missing term.
            Box::new(should(vec![
                weighted(x, "a", 3.0),
                Box::new(term(x, "b")),
                weighted(y, "a", 1.5),
                weighted(x, "zzz", 0.6),
                weighted(y, "b", 0.9),
            ])),
            Box::new(should(vec![Box::new(term(x, "b")), weighted(y, "c", 0.25)])),
            // A word and its twin, next to each other (scored from one cursor; in the small
            // segment, sorted) and apart.
            Box::new(should(vec![
                weighted(x, "a", 3.0),
                weighted(x, "twin", 1.8),
                weighted(y, "a", 1.5),
            ])),
            Box::new(should(vec![
                weighted(x, "twin", 1.8),
                weighted(y, "a", 1.5),
                weighted(x, "a", 3.0),
            ])),
            Box::new(term(x, "a")),
            weighted(y, "a", 2.0),
            // Few postings: sorted, not windowed.
            Box::new(should(vec![
                weighted(x, "rare", 3.0),
                weighted(x, "zzz", 0.6),
            ])),
        ];
        both_ways(|| {
            for q in &queries {
                for limit in [1, 10, 200, 100_000] {
                    let want = tantivys(&**q, &searcher, limit);
                    assert!(want.0 > 300, "{q:?}: {}", want.0);
                    assert_eq!(ours(&**q, &searcher, limit), want, "{q:?} limit {limit}");
                }
            }
        });
        // The weighted term scores as tantivy's boost query over the same term.
        let boosted = should(vec![
            Box::new(BoostQuery::new(Box::new(term(x, "a")), 3.0)),
            Box::new(term(x, "b")),
        ]);
        let ours_q = should(vec![weighted(x, "a", 3.0), Box::new(term(x, "b"))]);
        assert_eq!(
            tantivys(&boosted, &searcher, 50),
            tantivys(&ours_q, &searcher, 50)
        );
        assert_eq!(
            tantivys(&boosted, &searcher, 50),
            ours(&ours_q, &searcher, 50)
        );
        Ok(())
    }

    #[test]
    fn a_clause_with_the_previous_ones_postings_is_its_twin() -> tantivy::Result<()> {
        let (searcher, x, y, _) = index()?;
        let terms = |ts: &[(Field, &str)]| -> Vec<(Term, Score)> {
            ts.iter()
                .map(|&(f, w)| (Term::from_field_text(f, w), 1.0))
                .collect()
        };
        let twins = |cs: &[(Term, Score)]| -> tantivy::Result<Vec<Vec<bool>>> {
            let Some(weights) = weights(&Tally::new(&searcher), cs)? else {
                return Ok(Vec::new());
            };
            searcher
                .segment_readers()
                .iter()
                .map(|r| {
                    let found = cursors(&searcher, r, cs, &weights, &|_| 0)?;
                    Ok(found.iter().map(|c| c.twin.is_some()).collect())
                })
                .collect()
        };
        // Next to each other: one cursor in every segment, its twin scored with it.
        let next = terms(&[(x, "a"), (x, "twin"), (y, "a")]);
        assert_eq!(twins(&next)?, vec![vec![true, false]; 3]);
        // Another part scored between them: no twin.
        let weights_next = weights(&Tally::new(&searcher), &next)?.unwrap_or_default();
        for r in searcher.segment_readers() {
            let split = cursors(&searcher, r, &next, &weights_next, &|t| usize::from(t > 0))?;
            assert!(split.iter().all(|c| c.twin.is_none()));
        }
        // Apart, in another field, or other postings: cursors of their own.
        for apart in [
            terms(&[(x, "twin"), (y, "a"), (x, "a")]),
            terms(&[(y, "a"), (x, "a")]),
            terms(&[(x, "a"), (x, "b")]),
        ] {
            let n = apart.len();
            assert_eq!(twins(&apart)?, vec![vec![false; n]; 3], "{apart:?}");
        }
        Ok(())
    }

    #[test]
    fn unions_with_phrases_count_and_rank_as_tantivy_bit_for_bit() -> tantivy::Result<()> {
        let (searcher, x, y, _) = index()?;
        let phrase = |f: Field, a: &str, b: &str, boost| -> Box<dyn Query> {
            Box::new(BoostQuery::new(
                Box::new(PhraseQuery::new(vec![
                    Term::from_field_text(f, a),
                    Term::from_field_text(f, b),
                ])),
                boost,
            ))
        };
        let queries: Vec<BooleanQuery> = vec![
            // Phrases alone, as a quoted phrase over fields is planned.
            should(vec![phrase(x, "a", "b", 3.0), phrase(y, "a", "b", 1.5)]),
            // Terms (twins among them) around phrases; a phrase between a word and its twin.
            should(vec![
                weighted(x, "a", 3.0),
                weighted(x, "twin", 1.8),
                phrase(x, "b", "twin", 1.5),
                weighted(y, "b", 0.9),
            ]),
            should(vec![
                weighted(x, "a", 3.0),
                phrase(x, "a", "a", 1.5),
                weighted(x, "twin", 1.8),
                weighted(x, "rare", 0.6),
            ]),
            // Few matches: a rare phrase and a missing term.
            should(vec![phrase(x, "b", "rare", 2.0), weighted(x, "zzz", 0.6)]),
        ];
        both_ways(|| {
            for q in &queries {
                let found = parts(q);
                assert!(found.is_some(), "{q:?}");
                let ps = found.unwrap_or_default();
                for limit in [1, 10, 200, 100_000] {
                    let want = tantivys(q, &searcher, limit);
                    assert!(want.0 > 30, "{q:?}: {}", want.0);
                    let got = bits(top_parts(&searcher, &ps, limit));
                    assert_eq!(got, want, "{q:?} limit {limit}");
                }
            }
        });
        // A union of terms only is not taken here, nor is an intersection.
        assert!(parts(&should(vec![weighted(x, "a", 3.0), Box::new(term(y, "b"))])).is_none());
        let both = BooleanQuery::new(vec![
            (Occur::Must, phrase(x, "a", "b", 1.0)),
            (Occur::Should, weighted(x, "a", 1.0)),
        ]);
        assert!(parts(&both).is_none());
        Ok(())
    }

    #[test]
    fn two_units_and_a_bonus_count_and_rank_as_tantivy_bit_for_bit() -> tantivy::Result<()> {
        let (searcher, x, y, _) = index()?;
        let a = vec![
            weighted(x, "a", 3.0),
            weighted(x, "twin", 1.8),
            weighted(y, "a", 1.5),
            weighted(x, "zzz", 0.6),
        ];
        let b = vec![
            weighted(x, "b", 3.0),
            Box::new(term(y, "b")) as Box<dyn Query>,
        ];
        let rare = vec![weighted(x, "rare", 3.0), weighted(y, "c", 0.5)];
        let late = vec![weighted(x, "late", 3.0)];
        let phrase = |f: Field, boost| -> Box<dyn Query> {
            Box::new(BoostQuery::new(
                Box::new(PhraseQuery::new(vec![
                    Term::from_field_text(f, "a"),
                    Term::from_field_text(f, "b"),
                ])),
                boost,
            ))
        };
        let bonus: Box<dyn Query> = Box::new(should(vec![phrase(x, 1.5), phrase(y, 0.75)]));
        let clone = |qs: &[Box<dyn Query>]| qs.iter().map(|q| q.box_clone()).collect::<Vec<_>>();
        both_ways(|| {
            for (u, v) in [(&a, &b), (&b, &a), (&a, &rare), (&a, &late), (&late, &b)] {
                for extra in [Some(&bonus), None] {
                    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
                        (Occur::Must, Box::new(should(clone(u)))),
                        (Occur::Must, Box::new(should(clone(v)))),
                    ];
                    if let Some(e) = extra {
                        clauses.push((Occur::Should, e.box_clone()));
                    }
                    let q = BooleanQuery::new(clauses);
                    let (cu, cv) = (clauses_of(&should(clone(u))), clauses_of(&should(clone(v))));
                    for limit in [1, 10, 100_000] {
                        let want = tantivys(&q, &searcher, limit);
                        assert!(want.0 > 100, "{q:?}: {}", want.0);
                        let got = bits(top_both(&searcher, &cu, &cv, extra.map(|e| &**e), limit));
                        assert_eq!(got, want, "{q:?} limit {limit}");
                    }
                }
            }
        });
        Ok(())
    }

    #[test]
    fn only_searches_of_many_postings_over_segments_use_both_cores() -> tantivy::Result<()> {
        let (searcher, x, y, _) = index()?;
        // The tally is the postings of the terms weighed, summed over the segments.
        let cs: Vec<(Term, Score)> = [(x, "a"), (y, "a"), (x, "rare")]
            .iter()
            .map(|&(f, w)| (Term::from_field_text(f, w), 1.0))
            .collect();
        let tally = Tally::new(&searcher);
        assert!(weights(&tally, &cs)?.is_some());
        let mut want = 0;
        for (t, _) in &cs {
            want += searcher.doc_freq(t)?;
        }
        assert!(want > 30_000, "{want}");
        assert_eq!(tally.postings(), want);
        // Below the line, or with one segment, a search stays on this thread.
        let cores = rayon::current_num_threads() > 1;
        assert!(!parallel(PARALLEL_POSTINGS - 1, 2));
        assert_eq!(parallel(PARALLEL_POSTINGS, 2), cores);
        assert!(!parallel(u64::MAX, 1));
        Ok(())
    }

    fn clauses_of(q: &dyn Query) -> Vec<(Term, Score)> {
        clauses(q).unwrap_or_default()
    }

    #[test]
    fn only_unions_of_terms_with_frequencies_are_taken() -> tantivy::Result<()> {
        let (searcher, x, y, id) = index()?;
        let phrase: Box<dyn Query> = Box::new(PhraseQuery::new(vec![
            Term::from_field_text(x, "a"),
            Term::from_field_text(x, "b"),
        ]));
        assert!(clauses(&should(vec![Box::new(term(x, "a")), phrase])).is_none());
        let must = BooleanQuery::new(vec![
            (Occur::Must, Box::new(term(x, "a")) as Box<dyn Query>),
            (Occur::Should, Box::new(term(y, "a"))),
        ]);
        assert!(clauses(&must).is_none());
        let mut two = should(vec![Box::new(term(x, "a")), Box::new(term(y, "a"))]);
        two.set_minimum_number_should_match(2);
        assert!(clauses(&two).is_none());
        let boost = BoostQuery::new(Box::new(term(x, "a")), 2.0);
        assert!(clauses(&boost).is_none());
        let taken = should(vec![weighted(x, "a", 3.0), Box::new(term(y, "b"))]);
        let cs = clauses(&taken).unwrap_or_default();
        assert_eq!(
            cs,
            vec![
                (Term::from_field_text(x, "a"), 3.0),
                (Term::from_field_text(y, "b"), 1.0)
            ]
        );
        // `id` records no frequencies: tantivy scores it.
        let raw = vec![(Term::from_field_text(id, "0-1"), 1.0)];
        assert!(top(&searcher, &raw, 10)?.is_none());
        Ok(())
    }
}
