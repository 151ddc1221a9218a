//! Queries → ranked chapter and episode hits with jump-to times and highlighted snippets.
//!
//! [`query`] parses what people type, [`plan`] turns it into tantivy queries (stems, synonyms,
//! typos, prefixes), [`rank`] groups hits by episode, [`snippet`] marks what matched.

mod exclude;
mod pairs;
pub mod plan;
pub mod query;
pub mod rank;
pub mod snippet;
pub mod synonyms;
mod terms;
mod typos;
mod union;
mod walk;

use crate::error::{Error, Result};
use crate::index::stored::Raw;
use crate::index::{PodIndex, groups};
use crate::model::{Chapter, Episode, format_hms};
use plan::{Highlight, Plan, Planner};
use snippet::Highlighter;
use std::collections::HashMap;
use std::rc::Rc;
use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DocAddress, DocSet, Searcher, TantivyDocument};

pub use crate::query_guard::MAX_QUERY_BYTES;
/// Most hits one search returns; larger `--limit` values are capped to it.
pub const MAX_LIMIT: usize = 10_000;
/// Hits listed under each episode with `--by-episode`.
pub const HITS_PER_EPISODE: usize = 5;

/// What to search for and how much to return.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Most hits (or episodes, when grouped) to return.
    pub limit: usize,
    /// Only this episode number.
    pub episode: Option<u32>,
    /// Only this podcast (case-blind).
    pub podcast: Option<String>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            episode: None,
            podcast: None,
        }
    }
}

/// One ranked hit: a chapter, or an episode as a whole.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// 1-based position in the result list.
    pub rank: usize,
    /// The relevance score.
    pub score: f32,
    /// The podcast's name.
    pub podcast: Option<String>,
    /// The episode number.
    pub episode: Option<u32>,
    /// The episode title.
    pub episode_title: String,
    /// The episode's date.
    pub date: Option<String>,
    /// The chapter's title; None for an episode-level hit.
    pub chapter_title: Option<String>,
    /// The chapter's section.
    pub section: Option<String>,
    /// Where to jump to, in seconds.
    pub start_seconds: u64,
    /// Where the chapter ends.
    pub end_seconds: Option<u64>,
    /// `start_seconds` as `hh:mm:ss`.
    pub start: String,
    /// A URL that starts playback at `start_seconds`, when one is known.
    pub link: Option<String>,
    /// The episode's audio or video URL, when a feed gave one (a player can load it and seek).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
    /// The text that matched.
    pub snippet: String,
    /// Byte ranges of `snippet` that matched the query.
    pub highlights: Vec<[usize; 2]>,
    /// Which field the snippet comes from: `chapter_title`, `section`, `episode_title`, `description`.
    pub matched_field: &'static str,
    /// The episode's identity in the index (for grouping).
    #[serde(skip)]
    pub key: String,
}

/// The answer to a plain search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchResult {
    /// The query as given.
    pub query: String,
    /// How many documents matched in all.
    pub total: usize,
    /// Words left out because no result had every word (they matched nothing, or too little).
    pub dropped: Vec<String>,
    /// The best hits, best first.
    pub hits: Vec<Hit>,
}

/// One episode of a grouped search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EpisodeGroup {
    /// The podcast's name.
    pub podcast: Option<String>,
    /// The episode number.
    pub episode: Option<u32>,
    /// The episode title.
    pub episode_title: String,
    /// The episode's score: its best hit plus a damped sum of the others.
    pub score: f32,
    /// Its best hits, best first.
    pub hits: Vec<Hit>,
}

/// The answer to a `--by-episode` search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupedResult {
    /// The query as given.
    pub query: String,
    /// How many documents matched in all (as in a plain search).
    pub total: usize,
    /// Words left out, as in a plain search.
    pub dropped: Vec<String>,
    /// Episodes, best first.
    pub episodes: Vec<EpisodeGroup>,
}

impl SearchResult {
    /// Whether the hits are ranked: a listing of filters alone scores every hit 0 and keeps
    /// the index's order.
    pub fn ranked(&self) -> bool {
        self.hits.iter().any(|h| h.score > 0.0)
    }
}

impl GroupedResult {
    /// Whether the episodes are ranked, as [`SearchResult::ranked`].
    pub fn ranked(&self) -> bool {
        self.episodes.iter().any(|g| g.score > 0.0)
    }
}

/// Checks a query and limit before anything runs; returns the query made safe to parse.
fn validate(query: &str, opts: &SearchOptions) -> Result<String> {
    let safe = crate::query_guard::sanitize(query)?;
    if opts.limit == 0 {
        return Err(Error::BadOption(
            "invalid --limit 0: it must be at least 1".into(),
        ));
    }
    Ok(safe)
}

/// What a query found, before its hits are rendered.
struct Found {
    total: usize,
    top: Vec<(f32, DocAddress)>,
    dropped: Vec<String>,
    highlight: Highlight,
}

fn top_docs(
    searcher: &Searcher,
    q: &dyn Query,
    fetch: usize,
) -> Result<(usize, Vec<(f32, DocAddress)>)> {
    if let Some(clauses) = terms::clauses(q)
        && let Some(found) = terms::top(searcher, &clauses, fetch)?
    {
        return Ok(found);
    }
    if let Some(parts) = terms::parts(q)
        && let Some(found) = terms::top_parts(searcher, &parts, fetch)?
    {
        return Ok(found);
    }
    Ok(searcher.search(q, &(Count, TopDocs::with_limit(fetch).order_by_score()))?)
}

/// The plan requiring the units at `keep`, counted and ranked.
fn required(
    searcher: &Searcher,
    plan: &Plan,
    keep: &[usize],
    fetch: usize,
) -> Result<(usize, Vec<(f32, DocAddress)>)> {
    if let Some([a, b]) = plan.two_term_units(keep)
        && let Some(found) = terms::top_both(searcher, &a, &b, plan.bonus.as_deref(), fetch)?
    {
        return Ok(found);
    }
    top_docs(searcher, &*plan.query(keep), fetch)
}

/// How a search matched: which units were required, or whether any of them sufficed.
struct Matched {
    total: usize,
    top: Vec<(f32, DocAddress)>,
    /// Units left out of the query.
    dropped: Vec<usize>,
}

/// Runs the plan; when no document has every unit, retries Meilisearch-style: without the units
/// that match nothing, then without asking words (`what`, `about`), and last with any of the
/// remaining units, documents with more (and rarer) of them first.
fn relaxed(searcher: &Searcher, plan: &Plan, fetch: usize) -> Result<Matched> {
    let all: Vec<usize> = (0..plan.units.len()).collect();
    let (total, top) = required(searcher, plan, &all, fetch)?;
    let found = |total, top, keep: &[usize]| Matched {
        total,
        top,
        dropped: (0..plan.units.len())
            .filter(|i| !keep.contains(i))
            .collect(),
    };
    if total > 0 || all.len() < 2 {
        return Ok(found(total, top, &all));
    }
    let mut keep = Vec::new();
    for &i in &all {
        if matches_any(searcher, &*plan.query(&[i]))? {
            keep.push(i);
        }
    }
    if keep.is_empty() {
        return Ok(found(0, vec![], &all));
    }
    if keep.len() < all.len() {
        let (total, top) = required(searcher, plan, &keep, fetch)?;
        if total > 0 {
            return Ok(found(total, top, &keep));
        }
    }
    if keep.iter().any(|&i| !plan.units[i].stop) && keep.iter().any(|&i| plan.units[i].stop) {
        keep.retain(|&i| !plan.units[i].stop);
        let (total, top) = required(searcher, plan, &keep, fetch)?;
        if total > 0 {
            return Ok(found(total, top, &keep));
        }
    }
    let (total, top) = top_docs(searcher, &*plan.query_any(&keep), fetch)?;
    // What the best hit lacks is what the user is told was left out.
    let best = top.first().map(|(_, a)| *a);
    let in_best: Vec<usize> = keep
        .iter()
        .copied()
        .filter(|&i| best.is_some_and(|a| matches(searcher, &*plan.units[i].query, a)))
        .collect();
    Ok(found(total, top, &in_best))
}

/// Whether `q` matches any live document: the first one settles it, where a count would
/// visit them all (`gc` alone is a million documents at 100k episodes).
fn matches_any(searcher: &Searcher, q: &dyn Query) -> Result<bool> {
    let weight = q.weight(tantivy::query::EnableScoring::disabled_from_searcher(
        searcher,
    ))?;
    for seg in searcher.segment_readers() {
        let mut scorer = weight.scorer(seg, 1.0)?;
        let alive = seg.alive_bitset();
        let mut doc = scorer.doc();
        while doc != tantivy::TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                return Ok(true);
            }
            doc = scorer.advance();
        }
    }
    Ok(false)
}

/// Whether `q` matches the document at `addr`.
fn matches(searcher: &Searcher, q: &dyn Query, addr: DocAddress) -> bool {
    let scoring = tantivy::query::EnableScoring::disabled_from_searcher(searcher);
    let Ok(mut scorer) = q
        .weight(scoring)
        .and_then(|w| w.scorer(searcher.segment_reader(addr.segment_ord), 1.0))
    else {
        return false;
    };
    // A fresh scorer sits on its first match; `seek` must not go backwards.
    scorer.doc() <= addr.doc_id && scorer.seek(addr.doc_id) == addr.doc_id
}

fn find(
    idx: &PodIndex,
    searcher: &Searcher,
    text: &str,
    opts: &SearchOptions,
    fetch: usize,
) -> Result<Found> {
    let safe = validate(text, opts)?;
    let clauses = query::parse(&safe);
    let mut filters = Vec::new();
    if let Some(n) = opts.episode {
        filters.push(idx.number_filter(n));
    }
    if let Some(p) = &opts.podcast {
        filters.push(idx.podcast_filter(p));
    }
    let filters = filters
        .into_iter()
        .map(|q| Box::new(tantivy::query::BoostQuery::new(q, 0.0)) as Box<dyn Query>)
        .collect();
    let plan = Planner::new(idx, searcher, &idx.synonyms).plan(&clauses, filters)?;
    if plan.units.is_empty() {
        // Filters alone list what they keep, in index order (an episode, then its chapters).
        let (total, top) = match plan.query_unworded() {
            Some(q) => top_docs(searcher, &*q, fetch.clamp(1, MAX_LIMIT))?,
            None => (0, vec![]),
        };
        return Ok(Found {
            total,
            top,
            dropped: vec![],
            highlight: plan.highlight,
        });
    }
    let m = relaxed(searcher, &plan, fetch.clamp(1, MAX_LIMIT))?;
    let dropped = if m.total == 0 {
        vec![]
    } else {
        m.dropped
            .iter()
            .map(|&i| plan.units[i].label.clone())
            .collect()
    };
    Ok(Found {
        total: m.total,
        top: m.top,
        dropped,
        highlight: plan.highlight,
    })
}

/// Turns one scored document into a hit.
struct Renderer<'a> {
    idx: &'a PodIndex,
    searcher: &'a Searcher,
    highlighter: Highlighter,
    /// Episodes decoded by key (version 4 chapters), and stored episodes read by their
    /// document's address: shared, since a page of hits often holds several chapters of one
    /// episode.
    episodes: HashMap<String, Rc<Episode>>,
    stored: HashMap<DocAddress, Rc<Raw>>,
    /// Per segment: the `chapter` column, opened once per search.
    columns: HashMap<u32, Column<u64>>,
}

impl<'a> Renderer<'a> {
    fn new(idx: &'a PodIndex, searcher: &'a Searcher, highlight: Highlight) -> Self {
        Renderer {
            idx,
            searcher,
            highlighter: Highlighter::new(highlight),
            episodes: HashMap::new(),
            stored: HashMap::new(),
            columns: HashMap::new(),
        }
    }

    /// The segment's `chapter` column: a chapter document's index in its episode.
    fn chapters(&mut self, segment: u32) -> Result<&Column<u64>> {
        if !self.columns.contains_key(&segment) {
            let ff = self.searcher.segment_reader(segment).fast_fields();
            self.columns.insert(segment, ff.u64("chapter")?);
        }
        Ok(&self.columns[&segment])
    }

    /// The episode stored at `addr`, read but not decoded.
    fn stored(&mut self, addr: DocAddress) -> Result<Rc<Raw>> {
        if let Some(e) = self.stored.get(&addr) {
            return Ok(Rc::clone(e));
        }
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        let raw = Raw::of(&self.idx.fields, &doc).map_err(|m| self.bad(m))?;
        let raw = Rc::new(raw);
        self.stored.insert(addr, Rc::clone(&raw));
        Ok(raw)
    }

    fn bad(&self, message: String) -> Error {
        Error::BadIndex {
            dir: self.idx.dir.clone(),
            message,
        }
    }

    /// Chapter `i` at `addr` and its episode (what a hit shows of it): an episode's
    /// documents are written as one group, the episode first, so it sits `i + 1` documents
    /// before the chapter (merges keep the order, and deletes take whole episodes). Checked,
    /// with the key's postings as fallback for chapters that carry their episode's key
    /// (version 4).
    fn chapter_of(&mut self, addr: DocAddress, i: u64) -> Result<(Episode, Chapter)> {
        let i = usize::try_from(i).unwrap_or(usize::MAX);
        let chapters = self.chapters(addr.segment_ord)?;
        if let Some(doc_id) = groups::episode_doc(chapters, addr.doc_id) {
            let raw = self.stored(DocAddress::new(addr.segment_ord, doc_id))?;
            if let (ep, Some(c)) = raw.part(false, Some(i)).map_err(|m| self.bad(m))? {
                return Ok((ep, c));
            }
        }
        let mut key = String::new();
        let ff = self.searcher.segment_reader(addr.segment_ord).fast_fields();
        if let Some(col) = ff.str("key")? {
            rank::read_key(&col, addr.doc_id, &mut key)?;
        }
        let ep = self.episode(&key)?;
        match ep.chapters.get(i) {
            Some(c) => Ok(((*ep).clone(), c.clone())),
            None => Err(self.bad(format!(
                "chapter {i} of episode {:?} is missing",
                ep.label()
            ))),
        }
    }

    fn episode(&mut self, key: &str) -> Result<Rc<Episode>> {
        if let Some(e) = self.episodes.get(key) {
            return Ok(Rc::clone(e));
        }
        let ep = Rc::new(
            self.idx
                .episode_by_key(self.searcher, key)?
                .ok_or_else(|| Error::BadIndex {
                    dir: self.idx.dir.clone(),
                    message: format!("a chapter refers to a missing episode {key:?}"),
                })?,
        );
        self.episodes.insert(key.to_string(), Rc::clone(&ep));
        Ok(ep)
    }

    /// The first field (in order) with a match, as a fragment; else the first field's text.
    fn snippet(
        &mut self,
        texts: &[(&'static str, &str)],
    ) -> (String, Vec<[usize; 2]>, &'static str) {
        for (name, text) in texts {
            if text.is_empty() {
                continue;
            }
            if let Some(f) = self.highlighter.fragment(text) {
                return (f.text, f.highlights, name);
            }
        }
        let (name, text) = texts.first().copied().unwrap_or(("chapter_title", ""));
        (
            crate::notes::meta::truncate_words(text, snippet::MAX_CHARS),
            vec![],
            name,
        )
    }

    fn hit(&mut self, score: f32, addr: DocAddress) -> Result<Hit> {
        // Chapter documents store nothing: their episode stores the chapter.
        let chapter_index = self.chapters(addr.segment_ord)?.first(addr.doc_id);
        let (ep, chapter) = match chapter_index {
            Some(i) => {
                let (ep, chapter) = self.chapter_of(addr, i)?;
                (ep, Some(chapter))
            }
            None => self
                .stored(addr)?
                .part(true, None)
                .map_err(|m| self.bad(m))?,
        };
        let (snippet, highlights, matched_field) = match &chapter {
            Some(c) => self.snippet(&[
                ("chapter_title", &c.title),
                ("section", c.section.as_deref().unwrap_or("")),
                ("episode_title", &ep.title),
            ]),
            None => self.snippet(&[
                ("description", &ep.description),
                ("episode_title", &ep.title),
            ]),
        };
        let (start, end) = match &chapter {
            Some(c) => (c.start_seconds, c.end_seconds),
            None => (0, ep.duration_seconds),
        };
        Ok(Hit {
            rank: 0,
            score,
            podcast: ep.podcast.clone(),
            episode: ep.number,
            episode_title: ep.title.clone(),
            date: ep.date.clone(),
            chapter_title: chapter.as_ref().map(|c| c.title.clone()),
            section: chapter.and_then(|c| c.section),
            start_seconds: start,
            end_seconds: end,
            start: format_hms(start),
            link: ep.link_at(start),
            media_url: ep.media_url.clone(),
            snippet,
            highlights,
            matched_field,
            key: ep.key(),
        })
    }
}

/// Ranked hits for a query.
pub fn search(idx: &PodIndex, text: &str, opts: &SearchOptions) -> Result<SearchResult> {
    let searcher = idx.searcher();
    let found = find(idx, &searcher, text, opts, opts.limit)?;
    let mut r = Renderer::new(idx, &searcher, found.highlight);
    let mut hits = Vec::with_capacity(found.top.len());
    for (i, (score, addr)) in found.top.into_iter().enumerate() {
        let mut h = r.hit(score, addr)?;
        h.rank = i + 1;
        hits.push(h);
    }
    Ok(SearchResult {
        query: text.to_string(),
        total: found.total,
        dropped: found.dropped,
        hits,
    })
}

/// Hits grouped by episode, episodes ranked by their best hit plus a damped sum of the rest.
pub fn search_by_episode(
    idx: &PodIndex,
    text: &str,
    opts: &SearchOptions,
) -> Result<GroupedResult> {
    let searcher = idx.searcher();
    let window = opts.limit.saturating_mul(HITS_PER_EPISODE * 4).max(200);
    // Episodes are scored from the hits of a window. Hits that tie with its last one may run
    // past it, and which of them fall inside follows the index's segment layout, which differs
    // between two builds of the same notes: the window takes every hit of its last score
    // (widened up to MAX_LIMIT) and none below, so it holds the same hits on any build.
    let mut fetch = window.saturating_mul(2).min(MAX_LIMIT);
    let mut found = find(idx, &searcher, text, opts, fetch)?;
    if let Some(&(cut, _)) = found.top.get(window - 1) {
        let past = |f: &Found| f.top.last().is_some_and(|&(s, _)| s >= cut);
        while found.top.len() >= fetch && past(&found) && fetch < MAX_LIMIT {
            fetch = fetch.saturating_mul(4).min(MAX_LIMIT);
            found = find(idx, &searcher, text, opts, fetch)?;
        }
        found.top.retain(|&(s, _)| s >= cut);
    }
    let groups = rank::group(&searcher, &found.top)?;
    let mut r = Renderer::new(idx, &searcher, found.highlight);
    let mut episodes = Vec::new();
    for g in groups.iter().take(opts.limit.min(MAX_LIMIT)) {
        let mut hits = Vec::new();
        for (i, &m) in g.members.iter().take(HITS_PER_EPISODE).enumerate() {
            let (score, addr) = found.top[m];
            let mut h = r.hit(score, addr)?;
            h.rank = i + 1;
            hits.push(h);
        }
        let Some(first) = hits.first() else { continue };
        episodes.push(EpisodeGroup {
            podcast: first.podcast.clone(),
            episode: first.episode,
            episode_title: first.episode_title.clone(),
            score: g.score,
            hits,
        });
    }
    Ok(GroupedResult {
        query: text.to_string(),
        total: found.total,
        dropped: found.dropped,
        episodes,
    })
}

/// Parses `hh:mm:ss`, `mm:ss` or plain seconds.
pub fn parse_time(text: &str) -> Result<u64> {
    let bad = || Error::BadTime(text.to_string());
    let parts: Vec<&str> = text.trim().split(':').collect();
    let nums: Vec<u64> = parts
        .iter()
        .map(|p| {
            if p.is_empty() || p.len() > 9 || !p.bytes().all(|b| b.is_ascii_digit()) {
                Err(bad())
            } else {
                p.parse().map_err(|_| bad())
            }
        })
        .collect::<Result<_>>()?;
    match nums[..] {
        [s] => Ok(s),
        [m, s] if s < 60 => Ok(m * 60 + s),
        [h, m, s] if m < 60 && s < 60 => Ok(h * 3600 + m * 60 + s),
        _ => Err(bad()),
    }
}

/// What `at` found: the episode, and the chapter playing at the time (if any).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AtResult {
    /// The podcast's name.
    pub podcast: Option<String>,
    /// The episode number.
    pub episode: Option<u32>,
    /// The episode title.
    pub episode_title: String,
    /// The time asked about, in seconds.
    pub at_seconds: u64,
    /// The chapter playing then, flattened into the JSON.
    #[serde(flatten)]
    pub chapter: Option<Chapter>,
    /// A link that starts playback at the chapter (or the time), when known.
    pub link: Option<String>,
}

/// The chapter of `ep` that is playing at `seconds`.
pub fn chapter_at(ep: &Episode, seconds: u64) -> AtResult {
    let chapter = ep
        .chapters
        .iter()
        .rev()
        .find(|c| c.start_seconds <= seconds)
        .filter(|c| {
            c.end_seconds
                .is_none_or(|end| seconds < end || end == c.start_seconds)
        })
        .cloned();
    let link = ep.link_at(chapter.as_ref().map_or(seconds, |c| c.start_seconds));
    AtResult {
        podcast: ep.podcast.clone(),
        episode: ep.number,
        episode_title: ep.title.clone(),
        at_seconds: seconds,
        chapter,
        link,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time("00:10:00").ok(), Some(600));
        assert_eq!(parse_time("10:00").ok(), Some(600));
        assert_eq!(parse_time("75:30").ok(), Some(4530));
        assert_eq!(parse_time("600").ok(), Some(600));
        for bad in ["99:99:99", "1:60", "", "abc", "1::2", "-5", "1:2:3:4"] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }
}
