//! Printers: the same result types as aligned text for people or as one JSON document.

use crate::export::ExportSummary;
use crate::index::ChangeKind;
use crate::index::IndexSummary;
use crate::model::{Episode, Warning, format_hms};
use crate::notes::ParseOutput;
use crate::search::{AtResult, GroupedResult, Hit, SearchResult};
use crate::sources::{SourceList, SourceReport, Status, UpdateReport};
use std::io::{self, Write};

/// How human output looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Use ANSI colour and bold.
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
    fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
    fn time(&self, t: &str) -> String {
        self.paint("36", t)
    }
    fn mark(&self, t: &str) -> String {
        if self.color {
            self.paint("1;33", t)
        } else {
            t.to_string()
        }
    }
}

/// Writes `value` as one JSON document and a newline.
pub fn json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// `hh:mm:ss–hh:mm:ss`, or `hh:mm:ss` with an unknown end.
fn span(start: u64, end: Option<u64>) -> String {
    match end {
        Some(e) => format!("{}–{}", format_hms(start), format_hms(e)),
        None => format!("{}–{:8}", format_hms(start), ""),
    }
}

/// `core.py #21 A Garbage Episode`, with the number bold.
fn episode_label(style: &Style, podcast: Option<&str>, number: Option<u32>, title: &str) -> String {
    let mut s = String::new();
    if let Some(p) = podcast {
        s.push_str(&style.dim(p));
        s.push(' ');
    }
    if let Some(n) = number {
        s.push_str(&style.bold(&format!("#{n}")));
        s.push(' ');
    }
    s.push_str(title);
    s
}

/// The snippet with its matches marked (colour on a terminal, plain otherwise).
fn highlighted(style: &Style, hit: &Hit) -> String {
    let mut s = String::new();
    let mut at = 0;
    let text = &hit.snippet;
    for [a, b] in &hit.highlights {
        if *a < at || *b > text.len() || !text.is_char_boundary(*a) || !text.is_char_boundary(*b) {
            continue;
        }
        s.push_str(&text[at..*a]);
        s.push_str(&style.mark(&text[*a..*b]));
        at = *b;
    }
    s.push_str(&text[at..]);
    s.replace('\n', " ")
}

/// What a hit is: `section › chapter title` or `[episode] description…`, matches marked.
fn hit_text(style: &Style, hit: &Hit) -> String {
    let marked = highlighted(style, hit);
    match &hit.chapter_title {
        Some(title) => {
            let (section, title) = match hit.matched_field {
                "chapter_title" => (hit.section.clone().map(|s| style.dim(&s)), marked),
                "section" => (Some(marked), title.clone()),
                _ => (
                    hit.section.clone().map(|s| style.dim(&s)),
                    format!("{title}  {}", style.dim("(episode title matched)")),
                ),
            };
            match section {
                Some(sec) => format!("{sec} {} {title}", style.dim("›")),
                None => title,
            }
        }
        None => format!("{} {marked}", style.dim("[episode]")),
    }
}

fn link_line(out: &mut dyn Write, style: &Style, hit: &Hit, indent: &str) -> io::Result<()> {
    match &hit.link {
        Some(link) => writeln!(out, "{indent}{}", style.dim(link)),
        None => Ok(()),
    }
}

/// A plain search, one hit per two lines.
pub fn search(out: &mut dyn Write, style: &Style, r: &SearchResult) -> io::Result<()> {
    let width = r.hits.len().to_string().len();
    for h in &r.hits {
        writeln!(
            out,
            "{:>width$}. {}  {}",
            h.rank,
            style.time(&span(h.start_seconds, h.end_seconds)),
            episode_label(style, h.podcast.as_deref(), h.episode, &h.episode_title),
        )?;
        let indent = " ".repeat(width + 2);
        writeln!(out, "{indent}{}", hit_text(style, h))?;
        link_line(out, style, h, &indent)?;
    }
    let shown = r.hits.len();
    let note = if r.total == 0 {
        format!("no matches for {:?}", r.query)
    } else if shown < r.total {
        format!(
            "{} matches, {} {shown} shown (--limit to see more)",
            r.total,
            best_or_first(r.ranked())
        )
    } else {
        format!("{} match{}", r.total, if r.total == 1 { "" } else { "es" })
    };
    writeln!(out, "{}", style.dim(&note))
}

/// `n` and the noun for it: `1 episode`, `2 episodes`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "best" for ranked hits; "first" for a listing in the index's order.
fn best_or_first(ranked: bool) -> &'static str {
    if ranked { "best" } else { "first" }
}

/// A grouped search: episodes, each with its best chapters.
pub fn grouped(out: &mut dyn Write, style: &Style, r: &GroupedResult) -> io::Result<()> {
    for (i, g) in r.episodes.iter().enumerate() {
        writeln!(
            out,
            "{}. {}  {}",
            i + 1,
            episode_label(style, g.podcast.as_deref(), g.episode, &g.episode_title),
            style.dim(&format!("score {:.2}", g.score)),
        )?;
        for h in &g.hits {
            writeln!(
                out,
                "   {}  {}",
                style.time(&span(h.start_seconds, h.end_seconds)),
                hit_text(style, h)
            )?;
            link_line(out, style, h, "   ")?;
        }
    }
    let note = if r.total == 0 {
        format!("no matches for {:?}", r.query)
    } else {
        let n = r.episodes.len();
        format!(
            "{} match{}; {} {n} episode{} shown",
            r.total,
            if r.total == 1 { "" } else { "es" },
            best_or_first(r.ranked()),
            if n == 1 { "" } else { "s" },
        )
    };
    writeln!(out, "{}", style.dim(&note))
}

/// One episode's table of contents.
pub fn show(out: &mut dyn Write, style: &Style, ep: &Episode) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        style.bold(&episode_label(
            &Style::default(),
            ep.podcast.as_deref(),
            ep.number,
            &ep.title
        ))
    )?;
    let mut facts = Vec::new();
    if let Some(d) = &ep.date {
        facts.push(d.clone());
    }
    if let Some(d) = ep.duration_seconds {
        facts.push(format_hms(d));
    }
    facts.push(plural(ep.chapters.len(), "chapter", "chapters"));
    facts.push(ep.source.clone());
    writeln!(out, "{}", style.dim(&facts.join(" · ")))?;
    if let Some(media) = &ep.media_url {
        writeln!(out, "{}", style.dim(media))?;
    }
    if !ep.description.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", ep.description)?;
    }
    if !ep.chapters.is_empty() {
        writeln!(out)?;
    }
    for c in &ep.chapters {
        let indent = if c.section.is_some() { "  " } else { "" };
        writeln!(
            out,
            "{}  {indent}{}",
            style.time(&span(c.start_seconds, c.end_seconds)),
            c.title
        )?;
    }
    Ok(())
}

/// What is playing at a time.
pub fn at(out: &mut dyn Write, style: &Style, r: &AtResult) -> io::Result<()> {
    let label = episode_label(style, r.podcast.as_deref(), r.episode, &r.episode_title);
    match &r.chapter {
        Some(c) => {
            writeln!(out, "{label} at {}:", format_hms(r.at_seconds))?;
            let mut title = String::new();
            if let Some(s) = &c.section {
                title.push_str(&style.dim(&format!("{s} › ")));
            }
            title.push_str(&style.bold(&c.title));
            writeln!(
                out,
                "{}  {title}",
                style.time(&span(c.start_seconds, c.end_seconds))
            )?;
        }
        None => writeln!(out, "{label}: no chapter at {}", format_hms(r.at_seconds))?,
    }
    if let Some(link) = &r.link {
        writeln!(out, "{}", style.dim(link))?;
    }
    Ok(())
}

/// One row of `episodes --json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EpisodeRow<'a> {
    /// The podcast's name.
    pub podcast: Option<&'a str>,
    /// The episode number.
    pub number: Option<u32>,
    /// The title.
    pub title: &'a str,
    /// The date.
    pub date: Option<&'a str>,
    /// The length.
    pub duration_seconds: Option<u64>,
    /// How many chapters it has.
    pub chapters: usize,
}

/// The `episodes --json` document.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EpisodeList<'a> {
    /// Every episode.
    pub episodes: Vec<EpisodeRow<'a>>,
}

impl<'a> EpisodeList<'a> {
    /// Rows for these episodes.
    pub fn new(eps: &'a [Episode]) -> Self {
        EpisodeList {
            episodes: eps
                .iter()
                .map(|e| EpisodeRow {
                    podcast: e.podcast.as_deref(),
                    number: e.number,
                    title: &e.title,
                    date: e.date.as_deref(),
                    duration_seconds: e.duration_seconds,
                    chapters: e.chapters.len(),
                })
                .collect(),
        }
    }
}

/// Every episode, one aligned line each.
pub fn episodes(out: &mut dyn Write, style: &Style, eps: &[Episode]) -> io::Result<()> {
    let pw = eps
        .iter()
        .map(|e| e.podcast.as_deref().map_or(1, |p| p.chars().count()))
        .max()
        .unwrap_or(0);
    for e in eps {
        let number = e
            .number
            .map_or_else(|| "-".to_string(), |n| format!("#{n}"));
        writeln!(
            out,
            "{:pw$}  {:>5}  {:10}  {:>8}  {:>3} ch  {}",
            e.podcast.as_deref().unwrap_or("-"),
            number,
            e.date.as_deref().unwrap_or("-"),
            e.duration_seconds
                .map_or_else(|| "-".to_string(), format_hms),
            e.chapters.len(),
            e.title,
        )?;
    }
    let chapters: usize = eps.iter().map(|e| e.chapters.len()).sum();
    writeln!(
        out,
        "{}",
        style.dim(&format!(
            "{}, {}",
            plural(eps.len(), "episode", "episodes"),
            plural(chapters, "chapter", "chapters")
        ))
    )
}

/// The parse dry run: episodes with their chapters.
pub fn parse(out: &mut dyn Write, style: &Style, p: &ParseOutput) -> io::Result<()> {
    for (i, ep) in p.episodes.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        show(out, style, ep)?;
    }
    let chapters: usize = p.episodes.iter().map(|e| e.chapters.len()).sum();
    writeln!(
        out,
        "{}",
        style.dim(&format!(
            "{}, {}, {}",
            plural(p.episodes.len(), "episode", "episodes"),
            plural(chapters, "chapter", "chapters"),
            plural(p.warnings.len(), "warning", "warnings")
        ))
    )
}

/// The words a search left out because nothing had them all (for stderr).
pub fn dropped(out: &mut dyn Write, words: &[String]) -> io::Result<()> {
    if words.is_empty() {
        return Ok(());
    }
    let quoted: Vec<String> = words.iter().map(|w| format!("{w:?}")).collect();
    writeln!(
        out,
        "podseek: nothing matches every word; searched without {}",
        quoted.join(", ")
    )
}

/// Warnings, one per line (for stderr).
pub fn warnings(out: &mut dyn Write, ws: &[Warning]) -> io::Result<()> {
    for w in ws {
        writeln!(out, "podseek: warning: {}: {}", w.source, w.message)?;
    }
    Ok(())
}

/// What an index run did.
pub fn index_summary(out: &mut dyn Write, style: &Style, s: &IndexSummary) -> io::Result<()> {
    writeln!(
        out,
        "{} added, {} updated, {} unchanged, {} removed; the index holds {}, {}",
        style.bold(&s.added.to_string()),
        style.bold(&s.updated.to_string()),
        s.unchanged,
        s.removed,
        plural(s.episodes as usize, "episode", "episodes"),
        plural(s.chapters as usize, "chapter", "chapters")
    )
}

/// What an export wrote.
pub fn export_summary(out: &mut dyn Write, style: &Style, s: &ExportSummary) -> io::Result<()> {
    for f in &s.files {
        writeln!(out, "{f}")?;
    }
    let what = match s.format {
        "ndjson" => format!(
            "wrote {} of {} as NDJSON to {}",
            plural(s.chapters, "chapter", "chapters"),
            plural(s.episodes, "episode", "episodes"),
            s.out
        ),
        _ => format!(
            "wrote {} ({}) to {}",
            plural(s.files.len(), "chapters file", "chapters files"),
            plural(s.chapters, "chapter", "chapters"),
            s.out
        ),
    };
    let skipped = match s.skipped.len() {
        0 => String::new(),
        n => format!(
            "; {} without chapters left out",
            plural(n, "episode", "episodes")
        ),
    };
    writeln!(out, "{}", style.dim(&format!("{what}{skipped}")))
}

/// One source's line: `core.py: 1 new episode: core.py #31 Title`.
pub fn followed(out: &mut dyn Write, style: &Style, r: &SourceReport) -> io::Result<()> {
    let name = style.bold(&r.name);
    if let Some(e) = &r.error {
        return writeln!(out, "{name}: failed: {e}");
    }
    // A first `add` of a long feed would make one huge line: name a few, count the rest.
    let labels = |k: ChangeKind| {
        let all: Vec<&str> = r
            .changes
            .iter()
            .filter(|c| c.kind == k)
            .map(|c| c.label.as_str())
            .collect();
        let mut s = all.iter().take(5).copied().collect::<Vec<_>>().join("; ");
        if all.len() > 5 {
            s.push_str(&format!("; and {} more", all.len() - 5));
        }
        s
    };
    let mut parts = Vec::new();
    if r.added > 0 {
        parts.push(format!(
            "{}: {}",
            plural(r.added, "new episode", "new episodes"),
            labels(ChangeKind::Added)
        ));
    }
    if r.updated > 0 {
        parts.push(format!(
            "{} changed: {}",
            plural(r.updated, "episode", "episodes"),
            labels(ChangeKind::Updated)
        ));
    }
    if r.removed > 0 {
        parts.push(format!(
            "{} removed: {}",
            plural(r.removed, "episode", "episodes"),
            labels(ChangeKind::Removed)
        ));
    }
    if parts.is_empty() {
        let why = if r.not_modified {
            "unchanged (304 Not Modified)"
        } else {
            "no new episodes"
        };
        return writeln!(
            out,
            "{name}: {why}; {} indexed",
            plural(r.episodes, "episode", "episodes")
        );
    }
    writeln!(out, "{name}: {}", parts.join(", "))
}

/// `update`: one line per source, then a total.
pub fn update(out: &mut dyn Write, style: &Style, r: &UpdateReport) -> io::Result<()> {
    for s in &r.sources {
        followed(out, style, s)?;
    }
    let failed = r
        .sources
        .iter()
        .filter(|s| s.status == Status::Error)
        .count();
    let added: usize = r.sources.iter().map(|s| s.added).sum();
    writeln!(
        out,
        "{} read, {} failed; {} new",
        plural(r.sources.len(), "source", "sources"),
        failed,
        plural(added, "episode", "episodes")
    )
}

/// `sources`: one line per followed source.
pub fn sources(out: &mut dyn Write, style: &Style, list: &SourceList) -> io::Result<()> {
    if list.sources.is_empty() {
        return writeln!(out, "no followed sources; add one with `podseek add URL`");
    }
    for s in &list.sources {
        writeln!(
            out,
            "{}  {}  {}  updated {}{}",
            style.bold(&s.name),
            s.source,
            plural(s.episodes, "episode", "episodes"),
            s.last_update.as_deref().unwrap_or("never"),
            s.last_error
                .as_deref()
                .map(|e| format!("  last error: {e}"))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}
