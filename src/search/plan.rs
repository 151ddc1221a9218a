//! A parsed query → tantivy queries: each word matched exactly, by its parts, by its stem, by
//! synonyms, with typos and (the last word) as a prefix, each way weighted below the exact one.
//!
//! The top-level words become separate "units" so a search that finds nothing with every word
//! can be retried without the words that match nothing.

use super::exclude::Forward;
use super::pairs::PairQuery;
use super::query::{Clause, Node, Scope};
use super::synonyms::{Synonyms, match_key};
use super::terms::{self, WeightedTerm};
use super::union;
use super::walk;
use crate::error::Result;
use crate::index::PodIndex;
use crate::index::analyzer::{self, PairWords, QueryTerm};
use std::collections::{HashMap, HashSet};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

/// Field weights: a match in a chapter title counts most, then the chapter's section and the
/// episode title, then the description.
pub const FIELD_WEIGHTS: [(&str, f32); 4] = [
    ("chapter_title", 3.0),
    ("section", 1.5),
    ("episode_title", 1.5),
    ("description", 1.0),
];

/// How much each way of matching a word counts, relative to the word itself.
const EXACT: f32 = 1.0;
/// The word's parts in sequence (`free threading` for `free-threading`).
const PARTS: f32 = 0.8;
/// The same stem (`collections` for `collection`).
const STEM: f32 = 0.6;
/// Another term of a synonym group.
const SYNONYM: f32 = 0.8;
/// One typo away; two typos away.
const FUZZY: [f32; 2] = [0.35, 0.2];
/// A longer word the last word starts.
const PREFIX: f32 = 0.45;
/// A synonym term of several words whose words are not together.
const SCATTERED: f32 = 0.5;
/// Extra for the query's words standing together as a phrase.
const PROXIMITY: f32 = 0.5;

/// Typo tolerance as Meilisearch has it: one typo from this many letters on, two from `TWO_TYPOS`.
const ONE_TYPO: usize = 5;
/// Letters from which two typos are allowed.
const TWO_TYPOS: usize = 9;
/// Words of one query that get typo tolerance (each costs a term-dictionary walk).
const MAX_FUZZY_WORDS: usize = 6;
/// Terms a typo or a prefix expands to, at most, per word.
const MAX_EXPANSIONS: usize = 8;
/// Shortest last word matched as a prefix.
const MIN_PREFIX: usize = 3;
/// Terms read from the dictionary per field and segment when expanding a prefix.
const PREFIX_SCAN: usize = 512;
/// Documents a word must be in to be taken as typed: it gets no typo or prefix expansions and
/// an identifier no phrase over its parts, which would add only noise and time.
const COMMON_WORD_DOCS: u64 = 200;
/// Most words a proximity phrase spans.
const MAX_PROXIMITY_WORDS: usize = 8;
/// A required unit with more than this many times the postings of the rarest required unit is
/// only sought to that unit's candidates, so it runs as a seek union ([`union::sought`]). On
/// the 100k bench corpus, in wall time, a seek union lost at 6.6x (`memory allocator`, a third
/// slower, though it ran a sixth fewer instructions: its seeks jump about the postings), was
/// even at 8.7x and 9.4x, and won from 40x (`3.13 memory`, `renwenwen python`, `PEP 703`).
const SEEK_RATIO: u64 = 16;

/// Postings from which two units are run by [`terms::top_both`]; below, tantivy's intersection
/// is as quick.
const WINDOWED_POSTINGS: u64 = 8_192;

/// Words people use to ask, dropped first when a question finds nothing.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "by",
    "can",
    "did",
    "discuss",
    "discussed",
    "do",
    "does",
    "episode",
    "episodes",
    "for",
    "from",
    "had",
    "has",
    "have",
    "how",
    "i",
    "in",
    "is",
    "it",
    "its",
    "me",
    "mention",
    "mentioned",
    "of",
    "on",
    "or",
    "podcast",
    "said",
    "say",
    "show",
    "talk",
    "talked",
    "talking",
    "that",
    "the",
    "their",
    "them",
    "there",
    "they",
    "this",
    "to",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "with",
    "you",
];

/// The terms to highlight in a hit's text, per analyzer.
#[derive(Debug, Clone, Default)]
pub struct Highlight {
    /// Exact-analyzer tokens.
    pub exact: HashSet<String>,
    /// Stemmed tokens.
    pub stem: HashSet<String>,
}

/// One required part of the query: a word, a phrase, a synonym span, an OR group.
pub struct Unit {
    /// The words as the user typed them.
    pub label: String,
    /// The query matching it in any of its ways.
    pub query: Box<dyn Query>,
    /// Whether it is only a word people ask with (`what`, `about`).
    pub stop: bool,
    /// The postings of its terms (the sum of their document frequencies), when the plan has
    /// several units: which of them leads an intersection.
    pub cost: u64,
}

/// A whole query, compiled.
#[derive(Default)]
pub struct Plan {
    /// The required units, in query order.
    pub units: Vec<Unit>,
    /// Excluded matches.
    pub negatives: Vec<Box<dyn Query>>,
    /// `episode:` / `podcast:` (and `--episode` / `--podcast`) filters.
    pub filters: Vec<Box<dyn Query>>,
    /// Optional extra score for the words standing together.
    pub bonus: Option<Box<dyn Query>>,
    /// The postings of the bonus's terms (see [`Unit::cost`]).
    pub bonus_cost: u64,
    /// What to highlight.
    pub highlight: Highlight,
}

impl Plan {
    /// The query requiring the units at `keep` (indices into `units`); a unit far commoner than
    /// the rarest one (16x its postings), and then the bonus too, run as seek unions.
    pub fn query(&self, keep: &[usize]) -> Box<dyn Query> {
        let rarest = keep.iter().map(|&i| self.units[i].cost).min().unwrap_or(0);
        let units = keep
            .iter()
            .map(|&i| {
                let u = &self.units[i];
                let q = if keep.len() > 1 && u.cost > rarest.saturating_mul(SEEK_RATIO) {
                    union::sought(&*u.query)
                } else {
                    u.query.box_clone()
                };
                (Occur::Must, q)
            })
            .collect();
        // The bonus is only ever sought to the required units' matches.
        let sought = keep.len() > 1 && self.bonus_cost > rarest.saturating_mul(SEEK_RATIO);
        self.around(units, sought)
    }

    /// The terms of the two units at `keep` when [`terms::top_both`] is the way to run them:
    /// both unions of term queries only, both of many postings and neither [`SEEK_RATIO`] times
    /// the other's (tantivy's intersection seeks a far commoner unit to the rarer one's few
    /// documents, which windows over all its postings would not), no filters, no negatives.
    pub(crate) fn two_term_units(&self, keep: &[usize]) -> Option<[Vec<(Term, f32)>; 2]> {
        let [i, j] = keep else { return None };
        if !self.filters.is_empty() || !self.negatives.is_empty() {
            return None;
        }
        let (u, v) = (self.units.get(*i)?, self.units.get(*j)?);
        let (lo, hi) = (u.cost.min(v.cost), u.cost.max(v.cost));
        if lo < WINDOWED_POSTINGS || hi > lo.saturating_mul(SEEK_RATIO) {
            return None;
        }
        Some([terms::clauses(&*u.query)?, terms::clauses(&*v.query)?])
    }

    /// The query wanting any of the units at `keep`; documents with more of them score more.
    pub fn query_any(&self, keep: &[usize]) -> Box<dyn Query> {
        let any = BooleanQuery::new(
            keep.iter()
                .map(|&i| (Occur::Should, self.units[i].query.box_clone()))
                .collect(),
        );
        self.around(vec![(Occur::Must, Box::new(any))], false)
    }

    /// Every document the filters keep and no negative takes, all scoring 0, for a query with
    /// no words (`episode:21`, `podcast:"core.py" -gc`); `None` when it has nothing to select by.
    pub fn query_unworded(&self) -> Option<Box<dyn Query>> {
        if !self.units.is_empty() || (self.filters.is_empty() && self.negatives.is_empty()) {
            return None;
        }
        let all = BoostQuery::new(Box::new(AllQuery), 0.0);
        Some(self.around(vec![(Occur::Must, Box::new(all))], false))
    }

    /// Adds the filters, negatives and the proximity bonus (as a seek union when `sought`) to
    /// the units' clauses.
    fn around(&self, mut clauses: Vec<(Occur, Box<dyn Query>)>, sought: bool) -> Box<dyn Query> {
        for f in &self.filters {
            clauses.push((Occur::Must, f.box_clone()));
        }
        for n in &self.negatives {
            clauses.push((Occur::MustNot, Box::new(Forward(n.box_clone()))));
        }
        if let Some(b) = &self.bonus {
            let b = if sought {
                union::sought(&**b)
            } else {
                b.box_clone()
            };
            clauses.push((Occur::Should, b));
        }
        // A lone required unit is the query itself (same matches, same scores): tantivy runs a
        // top-level union of term queries with its term scorers inlined, where a union wrapped
        // in another query is driven through a boxed scorer (common words ~20% faster).
        if let [(Occur::Must, _)] = clauses[..] {
            return clauses.remove(0).1;
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// How many postings the terms of `q` have in all.
fn postings(searcher: &Searcher, q: &dyn Query) -> Result<u64> {
    let mut terms = Vec::new();
    q.query_terms(&mut |t, _| terms.push(t.clone()));
    let mut n = 0u64;
    for t in &terms {
        n = n.saturating_add(searcher.doc_freq(t)?);
    }
    Ok(n)
}

/// Builds plans against one searcher.
pub struct Planner<'a> {
    idx: &'a PodIndex,
    searcher: &'a Searcher,
    synonyms: &'a Synonyms,
    fuzzy_left: usize,
    highlight: Highlight,
    /// (field, weight) for every text field.
    all: Vec<(Field, f32)>,
    /// The index's pair words: a two-word phrase of them reads a pair term ([`PairQuery`]).
    pairs: PairWords,
}

/// A weighted query (a term query keeps its term readable: `terms::clauses`).
fn boosted(q: Box<dyn Query>, w: f32) -> Box<dyn Query> {
    if (w - 1.0).abs() < f32::EPSILON {
        q
    } else if let Some(t) = q.downcast_ref::<TermQuery>() {
        Box::new(WeightedTerm {
            query: t.clone(),
            boost: w,
        })
    } else {
        Box::new(BoostQuery::new(q, w))
    }
}

fn any_of(mut qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if qs.len() == 1 {
        return qs.remove(0);
    }
    Box::new(BooleanQuery::new(
        qs.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

fn all_of(mut qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if qs.len() == 1 {
        return qs.remove(0);
    }
    Box::new(BooleanQuery::new(
        qs.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
}

/// Documents with a word whose stem is `stem`: the marked stem sits next to the words stemming
/// changed (`collections` → `\u{1}collect`), and the stem may be a word of its own (`collect`),
/// unless that is `word` itself, which the exact match already finds.
fn stemmed(field: Field, word: &str, stem: &str, w: f32) -> Vec<Box<dyn Query>> {
    let mut ways = vec![boosted(term_query(field, &analyzer::marked_stem(stem)), w)];
    if stem != word {
        ways.push(boosted(term_query(field, stem), w));
    }
    ways
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn phrase_query(field: Field, words: &[String]) -> Box<dyn Query> {
    if words.len() == 1 {
        return term_query(field, &words[0]);
    }
    Box::new(PhraseQuery::new(
        words
            .iter()
            .map(|w| Term::from_field_text(field, w))
            .collect(),
    ))
}

/// Optimal-string-alignment distance (a swap of two neighbours is one edit), capped at 3.
fn typo_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 2 {
        return 3;
    }
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()].min(3)
}

/// Typos allowed in a word (none for numbers, versions and short words).
pub fn typos_allowed(t: &QueryTerm) -> u8 {
    if t.has_digit() {
        0
    } else {
        typos_for(&t.whole)
    }
}

/// Typos allowed by a word's number of letters.
fn typos_for(word: &str) -> u8 {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters < ONE_TYPO {
        0
    } else if letters < TWO_TYPOS {
        1
    } else {
        2
    }
}

fn is_stop(word: &str) -> bool {
    STOP_WORDS.contains(&analyzer::fold(word).as_str())
}

/// A run of consecutive plain words at the top level, analyzed.
struct Run {
    /// (term, the word it came from, whether that word was the query's last)
    terms: Vec<(QueryTerm, String, bool)>,
}

impl<'a> Planner<'a> {
    /// A planner for `idx` as `searcher` sees it.
    pub fn new(idx: &'a PodIndex, searcher: &'a Searcher, synonyms: &'a Synonyms) -> Self {
        let f = &idx.fields;
        let all = vec![
            (f.chapter_title, FIELD_WEIGHTS[0].1),
            (f.section, FIELD_WEIGHTS[1].1),
            (f.episode_title, FIELD_WEIGHTS[2].1),
            (f.description, FIELD_WEIGHTS[3].1),
        ];
        Planner {
            idx,
            searcher,
            synonyms,
            fuzzy_left: MAX_FUZZY_WORDS,
            highlight: Highlight::default(),
            all,
            pairs: idx.pair_words(),
        }
    }

    /// The phrase `words` in `field`: from the pair field when the index has the pair (the same
    /// documents and scores, without reading positions), else from positions.
    fn phrase(&self, field: Field, words: &[String]) -> Box<dyn Query> {
        let f = &self.idx.fields;
        let pair_field = if field == f.chapter_title {
            f.chapter_title_pairs
        } else if field == f.section {
            f.section_pairs
        } else {
            None
        };
        if let ([a, b], Some(pair_field)) = (words, pair_field)
            && self.pairs.contains(a)
            && self.pairs.contains(b)
        {
            return Box::new(PairQuery::new(field, pair_field, a, b));
        }
        phrase_query(field, words)
    }

    fn fields(&self, scope: &Scope) -> Vec<(Field, f32)> {
        match scope {
            Scope::All => self.all.clone(),
            Scope::Only(names) => {
                let schema = self.idx.index.schema();
                self.all
                    .iter()
                    .filter(|(f, _)| names.contains(&schema.get_field_name(*f)))
                    .copied()
                    .collect()
            }
        }
    }

    /// Compiles parsed clauses (plus CLI filters) into a plan.
    pub fn plan(mut self, clauses: &[Clause], filters: Vec<Box<dyn Query>>) -> Result<Plan> {
        let mut plan = Plan {
            filters,
            ..Plan::default()
        };
        let mut run = Run { terms: Vec::new() };
        let mut bonus_words: Vec<String> = Vec::new();
        for c in clauses {
            let plain = !c.negated
                && matches!(
                    &c.node,
                    Node::Word {
                        scope: Scope::All,
                        ..
                    }
                );
            if plain {
                if let Node::Word { text, last, .. } = &c.node {
                    for t in analyzer::query_terms(text) {
                        run.terms.push((t, text.clone(), *last));
                    }
                }
                continue;
            }
            self.flush(&mut run, &mut plan, &mut bonus_words)?;
            match &c.node {
                // `-episode:N` and `-podcast:NAME` are negatives like any other (below).
                Node::Episode(n) if !c.negated => plan
                    .filters
                    .push(Box::new(BoostQuery::new(self.idx.number_filter(*n), 0.0))),
                Node::Podcast(p) if !c.negated => plan
                    .filters
                    .push(Box::new(BoostQuery::new(self.idx.podcast_filter(p), 0.0))),
                node if c.negated => {
                    let mut neg = std::mem::take(&mut self.highlight);
                    if let Some(q) = self.node(node)? {
                        plan.negatives.push(q);
                    }
                    std::mem::swap(&mut neg, &mut self.highlight);
                }
                node => {
                    if let Some(q) = self.node(node)? {
                        plan.units.push(Unit {
                            label: label(node),
                            query: q,
                            stop: false,
                            cost: 0,
                        });
                    }
                }
            }
        }
        self.flush(&mut run, &mut plan, &mut bonus_words)?;
        if plan.units.len() > 1 {
            for u in &mut plan.units {
                u.cost = postings(self.searcher, &*u.query)?;
            }
            if let Some(b) = &plan.bonus {
                plan.bonus_cost = postings(self.searcher, &**b)?;
            }
        }
        plan.highlight = self.highlight;
        Ok(plan)
    }

    /// Turns a run of plain words into units: synonym spans, `PEP 768` pairs, single words.
    fn flush(&mut self, run: &mut Run, plan: &mut Plan, bonus: &mut Vec<String>) -> Result<()> {
        let terms = std::mem::take(&mut run.terms);
        if terms.is_empty() {
            return Ok(());
        }
        let keys: Vec<String> = terms.iter().map(|(t, _, _)| match_key(t)).collect();
        let all = self.all.clone();
        let mut seen: HashSet<String> = HashSet::new();
        let mut i = 0;
        while i < terms.len() {
            let (t, word, last) = &terms[i];
            // The same word twice adds nothing but cost.
            if !seen.insert(t.whole.clone()) {
                i += 1;
                continue;
            }
            if let Some((n, alts)) = self.synonyms.longest_match(&keys[i..]) {
                let span: Vec<&QueryTerm> = terms[i..i + n].iter().map(|(t, _, _)| t).collect();
                // The run's last word keeps its prefix match inside a synonym span too.
                let ends_query = i + n == terms.len() && terms[i + n - 1].2;
                let apart = all_of(
                    span.iter()
                        .enumerate()
                        .map(|(k, t)| self.term(t, &all, ends_query && k + 1 == n))
                        .collect::<Result<Vec<_>>>()?,
                );
                // A term of several words is one concept: as a phrase it counts fully, its
                // words scattered over the fields count less.
                let mut ways = if n > 1 {
                    let leaves: Vec<String> =
                        span.iter().flat_map(|t| t.leaves.iter().cloned()).collect();
                    let mut ways: Vec<Box<dyn Query>> = all
                        .iter()
                        .map(|&(f, w)| boosted(self.phrase(f, &leaves), w * EXACT))
                        .collect();
                    ways.push(boosted(apart, SCATTERED));
                    ways
                } else {
                    vec![apart]
                };
                for alt in alts {
                    ways.push(self.alternative(&alt.terms, &all));
                }
                let words: Vec<&str> = dedup_words(&terms[i..i + n]);
                plan.units.push(Unit {
                    label: words.join(" "),
                    query: any_of(ways),
                    stop: words.iter().all(|w| is_stop(w)),
                    cost: 0,
                });
                i += n;
                continue;
            }
            let pair = terms.get(i + 1).and_then(|(next, _, _)| {
                analyzer::joined(&t.whole, &next.whole).map(|j| (j, next))
            });
            if let Some((joined, next)) = pair {
                let mut ways = vec![all_of(vec![
                    self.term(t, &all, false)?,
                    self.term(next, &all, terms[i + 1].2)?,
                ])];
                for &(field, w) in &all {
                    ways.push(boosted(term_query(field, &joined), w * EXACT));
                }
                self.highlight.exact.insert(joined);
                let words = dedup_words(&terms[i..i + 2]);
                plan.units.push(Unit {
                    label: words.join(" "),
                    query: any_of(ways),
                    stop: false,
                    cost: 0,
                });
                i += 2;
                continue;
            }
            let prefix = *last && i + 1 == terms.len();
            let q = self.term(t, &all, prefix)?;
            plan.units.push(Unit {
                label: word.clone(),
                query: q,
                stop: is_stop(&t.whole),
                cost: 0,
            });
            i += 1;
        }
        // Words standing together in the text score extra (one identifier's parts already
        // count as a phrase in its own unit).
        bonus.clear();
        for (t, _, _) in &terms {
            bonus.extend(t.leaves.iter().cloned());
        }
        if terms.len() > 1
            && (2..=MAX_PROXIMITY_WORDS).contains(&bonus.len())
            && plan.bonus.is_none()
        {
            let qs = all
                .iter()
                .map(|&(field, w)| boosted(self.phrase(field, bonus), w * PROXIMITY))
                .collect();
            plan.bonus = Some(any_of(qs));
        }
        Ok(())
    }

    /// A node other than a plain top-level word.
    fn node(&mut self, node: &Node) -> Result<Option<Box<dyn Query>>> {
        Ok(match node {
            Node::Word { text, scope, last } => {
                let fields = self.fields(scope);
                let terms = analyzer::query_terms(text);
                if terms.is_empty() {
                    return Ok(None);
                }
                let n = terms.len();
                let qs = terms
                    .iter()
                    .enumerate()
                    .map(|(i, t)| self.term(t, &fields, *last && i + 1 == n))
                    .collect::<Result<Vec<_>>>()?;
                // Like a plain word, one under `-`, OR, parentheses or a field brings its
                // synonyms: `-gc` also takes out "garbage collection", `gc OR x` finds it.
                Some(self.with_synonyms(all_of(qs), &terms, &fields))
            }
            Node::Phrase { text, scope } => {
                let fields = self.fields(scope);
                let terms = analyzer::query_terms(text);
                let leaves: Vec<String> = terms.iter().flat_map(|t| t.leaves.clone()).collect();
                match leaves.len() {
                    0 => None,
                    1 => Some(self.term(&terms[0], &fields, false)?),
                    _ => {
                        self.highlight.exact.extend(leaves.iter().cloned());
                        Some(any_of(
                            fields
                                .iter()
                                .map(|&(f, w)| boosted(self.phrase(f, &leaves), w))
                                .collect(),
                        ))
                    }
                }
            }
            Node::Group(clauses) => {
                let mut qs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for c in clauses {
                    if c.negated {
                        let saved = std::mem::take(&mut self.highlight);
                        let q = self.node(&c.node)?;
                        self.highlight = saved;
                        if let Some(q) = q {
                            qs.push((Occur::MustNot, Box::new(Forward(q))));
                        }
                    } else if let Some(q) = self.node(&c.node)? {
                        qs.push((Occur::Must, q));
                    }
                }
                if qs.iter().all(|(o, _)| *o == Occur::MustNot) {
                    None
                } else {
                    Some(Box::new(BooleanQuery::new(qs)))
                }
            }
            Node::Or(nodes) => {
                let mut qs = Vec::new();
                for n in nodes {
                    if let Some(q) = self.node(n)? {
                        qs.push(q);
                    }
                }
                (!qs.is_empty()).then(|| any_of(qs))
            }
            Node::Episode(n) => Some(self.idx.number_filter(*n)),
            Node::Podcast(p) => Some(self.idx.podcast_filter(p)),
        })
    }

    /// `q` (what a word of `terms` finds) or, when `terms` are a whole synonym key, any other
    /// term of its groups in `fields`.
    fn with_synonyms(
        &mut self,
        q: Box<dyn Query>,
        terms: &[QueryTerm],
        fields: &[(Field, f32)],
    ) -> Box<dyn Query> {
        let keys: Vec<String> = terms.iter().map(match_key).collect();
        let synonyms = self.synonyms;
        match synonyms.longest_match(&keys) {
            Some((n, alts)) if n == keys.len() => {
                let mut ways = vec![q];
                for alt in alts {
                    ways.push(self.alternative(&alt.terms, fields));
                }
                any_of(ways)
            }
            _ => q,
        }
    }

    /// Another term of a synonym group, matched exactly (a phrase when it has several words).
    fn alternative(&mut self, terms: &[QueryTerm], fields: &[(Field, f32)]) -> Box<dyn Query> {
        let leaves: Vec<String> = terms.iter().flat_map(|t| t.leaves.clone()).collect();
        let mut ways = Vec::new();
        for &(field, w) in fields {
            if let [t] = terms {
                ways.push(boosted(term_query(field, &t.whole), w * SYNONYM));
                if t.is_prose() {
                    let s = analyzer::stem(&t.whole);
                    ways.extend(stemmed(field, &t.whole, &s, w * SYNONYM * STEM));
                }
            }
            if leaves.len() > 1 {
                ways.push(boosted(self.phrase(field, &leaves), w * SYNONYM));
            }
        }
        for t in terms {
            self.highlight.exact.insert(t.whole.clone());
            if t.is_prose() {
                self.highlight.stem.insert(analyzer::stem(&t.whole));
            }
        }
        self.highlight.exact.extend(leaves);
        any_of(ways)
    }

    /// One term in every way it can match: exact, parts, stem, typos, prefix.
    fn term(
        &mut self,
        t: &QueryTerm,
        fields: &[(Field, f32)],
        prefix: bool,
    ) -> Result<Box<dyn Query>> {
        let mut ways: Vec<Box<dyn Query>> = Vec::new();
        let stem = t.is_prose().then(|| analyzer::stem(&t.whole));
        // A word (or identifier) many documents have is taken as typed: its typo neighbours,
        // longer words and parts written apart would add only noise and time.
        let common = self.common(&t.whole, fields)?;
        for &(field, w) in fields {
            ways.push(boosted(term_query(field, &t.whole), w * EXACT));
            if t.leaves.len() > 1 && !common {
                ways.push(boosted(self.phrase(field, &t.leaves), w * PARTS));
            }
            if let Some(s) = &stem {
                ways.extend(stemmed(field, &t.whole, s, w * STEM));
            }
        }
        self.highlight.exact.insert(t.whole.clone());
        if t.leaves.len() > 1 {
            self.highlight.exact.extend(t.leaves.iter().cloned());
        }
        if let Some(s) = stem {
            self.highlight.stem.insert(s);
        }
        let typos = typos_allowed(t);
        if !common && typos > 0 && self.fuzzy_left > 0 {
            self.fuzzy_left -= 1;
            let mut stems: HashSet<String> = HashSet::new();
            for (field, term, d) in self.fuzzy(&t.whole, typos, &self.walked(fields))? {
                let w = FUZZY[d.min(2) - 1];
                for (f, fw) in self.also_in(fields, field) {
                    ways.push(boosted(term_query(f, &term), fw * w));
                }
                // `colour` finds `color`, and through its stem also `colored`.
                if analyzer::is_prose(&term) {
                    let s = analyzer::stem(&term);
                    if stems.insert(s.clone()) {
                        for &(f, fw) in fields {
                            ways.extend(stemmed(f, &term, &s, fw * STEM * w));
                        }
                    }
                    self.highlight.stem.insert(s);
                }
                self.highlight.exact.insert(term);
            }
        }
        if !common && prefix && t.whole.chars().count() >= MIN_PREFIX {
            for (field, term) in self.prefixed(&t.whole, &self.walked(fields))? {
                for (f, fw) in self.also_in(fields, field) {
                    ways.push(boosted(term_query(f, &term), fw * PREFIX));
                }
                self.highlight.exact.insert(term);
            }
        }
        Ok(any_of(ways))
    }

    /// Whether at least [`COMMON_WORD_DOCS`] documents have `word` in one of the fields.
    fn common(&self, word: &str, fields: &[(Field, f32)]) -> Result<bool> {
        let mut docs = 0;
        for field in self.walked(fields) {
            docs += self
                .searcher
                .doc_freq(&Term::from_field_text(field, word))?;
            if docs >= COMMON_WORD_DOCS {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The exact fields whose term dictionaries are walked for typos and prefixes: not the
    /// section when the chapter title is walked, since every section is a chapter title too.
    fn walked(&self, fields: &[(Field, f32)]) -> Vec<Field> {
        let f = &self.idx.fields;
        let has_title = fields.iter().any(|x| x.0 == f.chapter_title);
        fields
            .iter()
            .map(|x| x.0)
            .filter(|&x| !(has_title && x == f.section))
            .collect()
    }

    /// The fields a term found in `field` is searched in: the chapter title stands for the
    /// section too when the section was not walked.
    fn also_in(&self, fields: &[(Field, f32)], field: Field) -> Vec<(Field, f32)> {
        let f = &self.idx.fields;
        let walked = self.walked(fields);
        fields
            .iter()
            .filter(|x| {
                x.0 == field
                    || (field == f.chapter_title && x.0 == f.section && !walked.contains(&x.0))
            })
            .copied()
            .collect()
    }

    /// Terms within `typos` edits of `word` in the given fields, closest and most common first.
    fn fuzzy(
        &self,
        word: &str,
        typos: u8,
        fields: &[Field],
    ) -> Result<Vec<(Field, String, usize)>> {
        let Some(&first) = fields.first() else {
            return Ok(vec![]);
        };
        // The automaton depends on the word only: built once. The bit-parallel one is built in
        // microseconds; tantivy's DFA (distance 2 is costly to build) only past its limits.
        let found = match super::typos::Typos::new(word, typos) {
            Some(aut) => self.fuzzy_with(word, fields, &aut)?,
            None => {
                let dfa = FuzzyTermQuery::new(Term::from_field_text(first, word), typos, true)
                    .automaton()?;
                self.fuzzy_with(word, fields, &dfa)?
            }
        };
        Ok(best(found, |term| typo_distance(word, term)))
    }

    /// The terms `aut` accepts in the given fields, but `word` itself, with their document
    /// frequencies summed over segments.
    fn fuzzy_with<A>(
        &self,
        word: &str,
        fields: &[Field],
        aut: &A,
    ) -> Result<HashMap<(Field, String), u64>>
    where
        A: tantivy_fst::Automaton,
        A::State: Clone,
    {
        let mut found: HashMap<(Field, String), u64> = HashMap::new();
        // Typos are looked for after the first letter, as Lucene's `prefix_length` 1 does: the
        // walk stays in that letter's part of the dictionary (a fraction of it), and a wrong first
        // letter is the rarest typo.
        let Some(first_char) = word.chars().next() else {
            return Ok(found);
        };
        let mut from = [0u8; 4];
        let from = first_char.encode_utf8(&mut from).as_bytes().to_vec();
        // No UTF-8 text has a 0xFF byte: every term starting with `from` sorts below this.
        let mut to = from.clone();
        to.push(0xFF);
        for &field in fields {
            for (ord, seg) in (0u32..).zip(self.searcher.segment_readers()) {
                let inv = seg.inverted_index(field)?;
                // The FST walked directly when its bytes can be read, else tantivy's stream:
                // the same terms either way.
                if let Some(terms) = walk::terms(self.searcher, ord, field, &inv, aut, &from) {
                    for (term, df) in terms {
                        if term != word {
                            *found.entry((field, term)).or_default() += u64::from(df);
                        }
                    }
                    continue;
                }
                let mut stream = inv
                    .terms()
                    .search(aut)
                    .ge(&from)
                    .lt(&to)
                    .into_stream()
                    .map_err(tantivy::TantivyError::from)?;
                while stream.advance() {
                    let Ok(term) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    if term != word {
                        *found.entry((field, term.to_string())).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
            }
        }
        Ok(found)
    }

    /// Terms that start with `prefix`, most common first.
    fn prefixed(&self, prefix: &str, fields: &[Field]) -> Result<Vec<(Field, String)>> {
        let mut found: HashMap<(Field, String), u64> = HashMap::new();
        for &field in fields {
            for seg in self.searcher.segment_readers() {
                let inv = seg.inverted_index(field)?;
                let mut stream = inv
                    .terms()
                    .range()
                    .ge(prefix.as_bytes())
                    .into_stream()
                    .map_err(tantivy::TantivyError::from)?;
                let mut scanned = 0;
                while stream.advance() && scanned < PREFIX_SCAN {
                    scanned += 1;
                    let key = stream.key();
                    if !key.starts_with(prefix.as_bytes()) {
                        break;
                    }
                    let Ok(term) = std::str::from_utf8(key) else {
                        continue;
                    };
                    if term != prefix {
                        *found.entry((field, term.to_string())).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
            }
        }
        Ok(best(found, |_| 0)
            .into_iter()
            .map(|(f, t, _)| (f, t))
            .collect())
    }
}

/// The best expansions: distinct terms ranked by distance then frequency, each with every field
/// it occurs in.
fn best(
    found: HashMap<(Field, String), u64>,
    distance: impl Fn(&str) -> usize,
) -> Vec<(Field, String, usize)> {
    let mut per_term: HashMap<String, u64> = HashMap::new();
    for ((_, term), df) in &found {
        *per_term.entry(term.clone()).or_default() += df;
    }
    let mut ranked: Vec<(usize, u64, String)> = per_term
        .into_iter()
        .map(|(term, df)| (distance(&term), df, term))
        .filter(|(d, _, _)| *d < 3)
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    ranked.truncate(MAX_EXPANSIONS);
    let mut out = Vec::new();
    for (d, _, term) in ranked {
        let mut fields: Vec<Field> = found
            .keys()
            .filter(|(_, t)| *t == term)
            .map(|(f, _)| *f)
            .collect();
        fields.sort_by_key(|f| f.field_id());
        for f in fields {
            out.push((f, term.clone(), d.max(1)));
        }
    }
    out
}

fn dedup_words(terms: &[(QueryTerm, String, bool)]) -> Vec<&str> {
    let mut words: Vec<&str> = Vec::new();
    for (_, w, _) in terms {
        if words.last() != Some(&w.as_str()) {
            words.push(w);
        }
    }
    words
}

/// How a node reads back to the user.
fn label(node: &Node) -> String {
    match node {
        Node::Word { text, .. } => text.clone(),
        Node::Phrase { text, .. } => format!("\"{text}\""),
        Node::Group(cs) => {
            let inner: Vec<String> = cs
                .iter()
                .map(|c| {
                    let l = label(&c.node);
                    if c.negated { format!("-{l}") } else { l }
                })
                .collect();
            format!("({})", inner.join(" "))
        }
        Node::Or(ns) => ns.iter().map(label).collect::<Vec<_>>().join(" OR "),
        Node::Episode(n) => format!("episode:{n}"),
        Node::Podcast(p) => format!("podcast:{p}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{self, IndexOptions};
    use crate::load::{self, LoadOptions};
    use std::fmt::Write;

    /// The required clauses of `q` that run as seek unions, by position.
    fn sought_units(q: &dyn Query) -> Vec<bool> {
        let b = q.downcast_ref::<BooleanQuery>().expect("a boolean query");
        b.clauses()
            .iter()
            .filter(|(o, _)| *o == Occur::Must)
            .map(|(_, c)| c.is::<union::AnyOf>())
            .collect()
    }

    /// 200 chapters say `memory python`, 2 say `memory allocator`.
    fn memory_talks() -> anyhow::Result<(tempfile::TempDir, PodIndex)> {
        let mut notes = String::from("Episode 1: One\n");
        for i in 0..202 {
            let words = if i < 2 {
                "memory allocator"
            } else {
                "memory python"
            };
            writeln!(notes, "({:02}:{:02}:00) {words} talk", i / 60, i % 60).ok();
        }
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("notes.txt");
        std::fs::write(&file, notes)?;
        let mut loaded = load::load(&[file], &LoadOptions::default())?;
        let at = dir.path().join("index");
        index::update(&at, &mut loaded, &IndexOptions::default(), &mut |_, _| {})?;
        let idx = PodIndex::open(&at)?;
        Ok((dir, idx))
    }

    /// The plan of `q` over `idx`.
    fn plan_of(idx: &PodIndex, q: &str) -> crate::error::Result<Plan> {
        let clauses = crate::search::query::parse(q);
        Planner::new(idx, &idx.searcher(), &idx.synonyms).plan(&clauses, vec![])
    }

    #[test]
    fn a_unit_far_commoner_than_the_rarest_is_sought() -> anyhow::Result<()> {
        let (_dir, idx) = memory_talks()?;
        let plan = |q: &str| plan_of(&idx, q);
        let p = plan("memory allocator")?;
        assert!(
            p.units[0].cost > SEEK_RATIO * p.units[1].cost,
            "{:?}",
            p.units[0].cost
        );
        assert_eq!(sought_units(&*p.query(&[0, 1])), [true, false]);
        // The bonus for the words together is sought too; alone, a unit is never sought.
        let b = p.query(&[0, 1]);
        let bonus = b
            .downcast_ref::<BooleanQuery>()
            .and_then(|b| b.clauses().iter().find(|(o, _)| *o == Occur::Should))
            .map(|(_, q)| q.is::<union::AnyOf>());
        assert_eq!(bonus, Some(true));
        assert!(!p.query(&[0]).is::<union::AnyOf>());
        // Units of about the same size are both left to tantivy's union.
        let p = plan("memory python")?;
        assert_eq!(sought_units(&*p.query(&[0, 1])), [false, false]);
        Ok(())
    }

    #[test]
    fn a_common_word_alone_is_a_union_of_weighted_terms() -> anyhow::Result<()> {
        let (_dir, idx) = memory_talks()?;
        let plan = |q: &str| plan_of(&idx, q);
        // `memory` is in 202 chapters: taken as typed, its fields and stems are term queries
        // only, which `search::terms` counts and ranks.
        let q = plan("memory")?.query(&[0]);
        let taken = terms::clauses(&*q).unwrap_or_default();
        let chapter = idx.fields.chapter_title;
        assert!(
            taken.contains(&(Term::from_field_text(chapter, "memory"), 3.0)),
            "{taken:?}"
        );
        assert!(taken.len() >= 4, "{taken:?}");
        // A phrase reads positions; two words are an intersection.
        assert!(terms::clauses(&*plan("\"memory python\"")?.query(&[0])).is_none());
        assert!(terms::clauses(&*plan("memory python")?.query(&[0, 1])).is_none());
        Ok(())
    }

    #[test]
    fn two_units_of_terms_of_like_size_are_windowed() {
        let f = tantivy::schema::Schema::builder().add_text_field("f", tantivy::schema::TEXT);
        let unit = |w: &str, cost| Unit {
            label: w.into(),
            query: any_of(vec![term_query(f, w), boosted(term_query(f, "x"), 0.6)]),
            stop: false,
            cost,
        };
        let plan = |units| Plan {
            units,
            ..Plan::default()
        };
        let both = plan(vec![unit("a", 10_000), unit("b", 150_000)]);
        let taken = both.two_term_units(&[0, 1]);
        assert_eq!(
            taken.map(|[a, _]| a),
            Some(vec![
                (Term::from_field_text(f, "a"), 1.0),
                (Term::from_field_text(f, "x"), 0.6)
            ])
        );
        // One unit, three, a far commoner one, too few postings: tantivy's own.
        assert!(both.two_term_units(&[0]).is_none());
        assert!(
            plan(vec![unit("a", 10_000), unit("b", 170_000)])
                .two_term_units(&[0, 1])
                .is_none()
        );
        assert!(
            plan(vec![unit("a", 5_000), unit("b", 6_000)])
                .two_term_units(&[0, 1])
                .is_none()
        );
        let three = plan(vec![unit("a", 9_000), unit("b", 9_000), unit("c", 9_000)]);
        assert!(three.two_term_units(&[0, 1, 2]).is_none());
        assert!(three.two_term_units(&[0, 2]).is_some());
        // A filter, a negative, a phrase.
        let mut filtered = plan(vec![unit("a", 10_000), unit("b", 10_000)]);
        filtered.filters.push(term_query(f, "episode"));
        assert!(filtered.two_term_units(&[0, 1]).is_none());
        let mut negated = plan(vec![unit("a", 10_000), unit("b", 10_000)]);
        negated.negatives.push(term_query(f, "gc"));
        assert!(negated.two_term_units(&[0, 1]).is_none());
        let mut phrased = plan(vec![unit("a", 10_000), unit("b", 10_000)]);
        phrased.units[1].query = phrase_query(f, &["a".into(), "b".into()]);
        assert!(phrased.two_term_units(&[0, 1]).is_none());
    }

    #[test]
    fn typo_rule_follows_meilisearch() {
        let t = |w: &str| typos_allowed(&analyzer::query_terms(w)[0]);
        assert_eq!(t("gc"), 0);
        assert_eq!(t("pypy"), 0);
        assert_eq!(t("uvloop"), 1);
        assert_eq!(t("memoisation"), 2);
        assert_eq!(t("3.14"), 0);
        assert_eq!(t("int64"), 0);
    }

    #[test]
    fn distance_counts_a_swap_as_one() {
        assert_eq!(typo_distance("asyncoi", "asyncio"), 1);
        assert_eq!(typo_distance("memoisation", "memoization"), 1);
        assert_eq!(typo_distance("colection", "collections"), 2);
        assert_eq!(typo_distance("abc", "abcdefg"), 3);
    }
}
