//! Queries → ranked chapter and episode hits with jump-to times and highlighted snippets.

use crate::error::{Error, Result};
use crate::index::PodIndex;
use crate::model::{Chapter, Episode, format_hms};
use std::collections::HashMap;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser};
use tantivy::schema::{Field, Value};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{DocAddress, Searcher, TantivyDocument};

pub use crate::query_guard::MAX_QUERY_BYTES;
/// Most hits one search returns; larger `--limit` values are capped to it.
pub const MAX_LIMIT: usize = 10_000;
/// Hits listed under each episode with `--by-episode`.
pub const HITS_PER_EPISODE: usize = 5;

/// Field weights: a match in a chapter title counts most, then section and episode title, then
/// the description.
const BOOSTS: [(&str, f32); 4] = [
    ("chapter_title", 3.0),
    ("section", 1.5),
    ("episode_title", 1.5),
    ("description", 1.0),
];

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
    /// Episodes, best first.
    pub episodes: Vec<EpisodeGroup>,
}

/// Checks a query and limit before anything runs; returns the query made safe to parse.
fn validate(query: &str, opts: &SearchOptions) -> Result<String> {
    let safe = crate::query_guard::sanitize(query)?;
    if opts.limit == 0 {
        return Err(Error::BadOption("--limit must be at least 1".into()));
    }
    Ok(safe)
}

/// Fields a query may name with `field:word`.
const QUERY_FIELDS: [&str; 4] = ["chapter_title", "section", "episode_title", "description"];

static FIELD_PREFIX: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"([\p{L}\p{N}_.\-]*):").expect("valid regex"));

/// Turns `word:` prefixes that name no field into plain words, so `uvloop:` or `PEP:768` search
/// their words instead of being dropped as an unknown field.
fn plain_colons(query: &str) -> String {
    FIELD_PREFIX
        .replace_all(query, |c: &regex::Captures| {
            let name = &c[1];
            if QUERY_FIELDS.contains(&name) {
                c[0].to_string()
            } else {
                format!("{name} ")
            }
        })
        .into_owned()
}

/// A compiled query plus what is needed to render its hits.
struct Prepared {
    query: Box<dyn Query>,
    snippets: Vec<(&'static str, Field, SnippetGenerator)>,
}

fn prepare(
    idx: &PodIndex,
    searcher: &Searcher,
    text: &str,
    opts: &SearchOptions,
) -> Result<Prepared> {
    let f = &idx.fields;
    let fields = vec![f.chapter_title, f.section, f.episode_title, f.description];
    let mut parser = QueryParser::for_index(&idx.index, fields);
    parser.set_conjunction_by_default();
    for (name, boost) in BOOSTS {
        if let Ok(field) = idx.index.schema().get_field(name) {
            parser.set_field_boost(field, boost);
        }
    }
    // Lenient: a stray quote or colon still searches the words around it.
    let (user_query, _errors) = parser.parse_query_lenient(&plain_colons(text));
    let mut snippets = Vec::new();
    for (name, field) in [
        ("chapter_title", f.chapter_title),
        ("section", f.section),
        ("episode_title", f.episode_title),
        ("description", f.description),
    ] {
        let mut generator = SnippetGenerator::create(searcher, &*user_query, field)?;
        generator.set_max_num_chars(160);
        snippets.push((name, field, generator));
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user_query)];
    if let Some(n) = opts.episode {
        clauses.push((Occur::Must, idx.number_filter(n)));
    }
    if let Some(p) = &opts.podcast {
        clauses.push((Occur::Must, idx.podcast_filter(p)));
    }
    let query: Box<dyn Query> = if clauses.len() == 1 {
        clauses.remove(0).1
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    Ok(Prepared { query, snippets })
}

/// Turns one scored document into a hit.
struct Renderer<'a> {
    idx: &'a PodIndex,
    searcher: &'a Searcher,
    prepared: &'a Prepared,
    episodes: HashMap<String, Episode>,
}

impl Renderer<'_> {
    fn episode(&mut self, key: &str) -> Result<Episode> {
        if let Some(e) = self.episodes.get(key) {
            return Ok(e.clone());
        }
        let ep = self
            .idx
            .episode_by_key(self.searcher, key)?
            .ok_or_else(|| Error::BadIndex {
                dir: self.idx.dir.clone(),
                message: format!("a chapter refers to a missing episode {key:?}"),
            })?;
        self.episodes.insert(key.to_string(), ep.clone());
        Ok(ep)
    }

    fn snippet(&self, texts: &[(&'static str, &str)]) -> (String, Vec<[usize; 2]>, &'static str) {
        for (name, text) in texts {
            if text.is_empty() {
                continue;
            }
            let Some((_, _, generator)) = self.prepared.snippets.iter().find(|(n, _, _)| n == name)
            else {
                continue;
            };
            let s: Snippet = generator.snippet(text);
            if !s.highlighted().is_empty() {
                // Mark a fragment cut out of a longer text with ellipses.
                let range = s.fragment_range();
                let lead = if range.start > 0 { "…" } else { "" };
                let tail = if range.end < text.len() { "…" } else { "" };
                let shift = lead.len();
                let ranges = s
                    .highlighted()
                    .iter()
                    .map(|r| [r.start + shift, r.end + shift])
                    .collect();
                return (format!("{lead}{}{tail}", s.fragment()), ranges, name);
            }
        }
        let (name, text) = texts.first().copied().unwrap_or(("chapter_title", ""));
        (crate::notes::meta::truncate_words(text, 160), vec![], name)
    }

    fn hit(&mut self, score: f32, addr: DocAddress) -> Result<Hit> {
        let f = &self.idx.fields;
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let (ep, chapter) = match text(f.chapter_title) {
            Some(title) => {
                let key = text(f.key).unwrap_or_default();
                let ep = self.episode(&key)?;
                let chapter = Chapter {
                    start_seconds: doc.get_first(f.start).and_then(|v| v.as_u64()).unwrap_or(0),
                    end_seconds: doc.get_first(f.end).and_then(|v| v.as_u64()),
                    title,
                    section: text(f.section),
                };
                (ep, Some(chapter))
            }
            None => (self.idx.episode_from_doc(&doc)?, None),
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

/// Runs the query and renders up to `fetch` hits; returns them with the total match count.
fn run(
    idx: &PodIndex,
    text: &str,
    opts: &SearchOptions,
    fetch: usize,
) -> Result<(usize, Vec<Hit>)> {
    let safe = validate(text, opts)?;
    let searcher = idx.searcher();
    let prepared = prepare(idx, &searcher, &safe, opts)?;
    let fetch = fetch.clamp(1, MAX_LIMIT);
    let (total, top) = searcher.search(
        &*prepared.query,
        &(Count, TopDocs::with_limit(fetch).order_by_score()),
    )?;
    let mut r = Renderer {
        idx,
        searcher: &searcher,
        prepared: &prepared,
        episodes: HashMap::new(),
    };
    let mut hits = Vec::with_capacity(top.len());
    for (i, (score, addr)) in top.into_iter().enumerate() {
        let mut h = r.hit(score, addr)?;
        h.rank = i + 1;
        hits.push(h);
    }
    Ok((total, hits))
}

/// Ranked hits for a query.
pub fn search(idx: &PodIndex, text: &str, opts: &SearchOptions) -> Result<SearchResult> {
    let (total, hits) = run(idx, text, opts, opts.limit)?;
    Ok(SearchResult {
        query: text.to_string(),
        total,
        hits,
    })
}

/// Hits grouped by episode, episodes ranked by their best hit plus a damped sum of the rest.
pub fn search_by_episode(
    idx: &PodIndex,
    text: &str,
    opts: &SearchOptions,
) -> Result<GroupedResult> {
    let fetch = opts.limit.saturating_mul(HITS_PER_EPISODE * 4).max(200);
    let (total, hits) = run(idx, text, opts, fetch)?;
    let mut groups: Vec<EpisodeGroup> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut extra: Vec<f32> = Vec::new();
    for h in hits {
        match at.get(&h.key) {
            Some(&i) => {
                extra[i] += h.score;
                if groups[i].hits.len() < HITS_PER_EPISODE {
                    groups[i].hits.push(h);
                }
            }
            None => {
                at.insert(h.key.clone(), groups.len());
                extra.push(0.0);
                groups.push(EpisodeGroup {
                    podcast: h.podcast.clone(),
                    episode: h.episode,
                    episode_title: h.episode_title.clone(),
                    score: h.score,
                    hits: vec![h],
                });
            }
        }
    }
    for (g, e) in groups.iter_mut().zip(&extra) {
        g.score += 0.1 * e;
    }
    groups.sort_by(|a, b| b.score.total_cmp(&a.score));
    groups.truncate(opts.limit.min(MAX_LIMIT));
    for g in &mut groups {
        for (i, h) in g.hits.iter_mut().enumerate() {
            h.rank = i + 1;
        }
    }
    Ok(GroupedResult {
        query: text.to_string(),
        total,
        episodes: groups,
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
    fn colons_that_name_no_field_become_spaces() {
        assert_eq!(plain_colons("uvloop:"), "uvloop ");
        assert_eq!(plain_colons("PEP:768"), "PEP 768");
        assert_eq!(plain_colons("section:garbage"), "section:garbage");
        assert_eq!(plain_colons(":"), " ");
    }

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
