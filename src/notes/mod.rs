//! Show notes → episodes: splits a page of notes into episode blocks and reads their chapters.
//!
//! The parser is line-oriented and total: every input gives episodes plus warnings, never an
//! error, so one odd line cannot cost a user the rest of the file. Text is cleaned first
//! ([`text`]): BOMs, CRLF, odd spaces, NFC, and HTML turned into lines.

pub mod meta;
pub mod text;
pub mod timestamp;

#[cfg(test)]
mod seed_tests;

/// Most chapters kept per episode (real episodes have dozens); the rest are dropped with a warning.
pub const MAX_CHAPTERS: usize = 10_000;
/// Longest episode description kept, in bytes.
pub const MAX_DESCRIPTION_BYTES: usize = 64 * 1024;
/// Longest title kept, in bytes.
pub const MAX_TITLE_BYTES: usize = 1024;

use crate::model::{Chapter, Episode, Warning, format_hms};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Settings that apply to every episode of one input.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// The podcast name to give every episode (overrides a name found in the notes).
    pub podcast: Option<String>,
    /// A link template for every episode (`{number}`, `{seconds}`, `{hms}`).
    pub link: Option<String>,
    /// Read the text as HTML even when it does not look like it (`.html` files).
    pub html: bool,
    /// The file's name without its extension: numbers and titles the lone episode of a file
    /// that has no title line (`470-a-jolting-episode.md`).
    pub file_stem: Option<String>,
    /// The file's stable identity (its canonical path): an episode its name numbered is
    /// identified by its file, so `463.md` of one show and `practical-ai-463.md` of another,
    /// both without a podcast name, are two episodes.
    pub file_id: Option<String>,
}

/// What parsing gave: episodes in input order, plus what was odd about the input.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ParseOutput {
    /// The episodes found.
    pub episodes: Vec<Episode>,
    /// Problems that did not stop parsing.
    pub warnings: Vec<Warning>,
}

impl ParseOutput {
    /// Appends another output (from the next file).
    pub fn extend(&mut self, other: ParseOutput) {
        self.episodes.extend(other.episodes);
        self.warnings.extend(other.warnings);
    }
}

/// A chapter as read, before ends and sections are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawChapter {
    /// Start in seconds.
    pub seconds: u64,
    /// An end the source states itself (a chapters file's `endTime`).
    pub end: Option<u64>,
    /// The title as written.
    pub title: String,
    /// The line it was read from, for warnings.
    pub line: usize,
}

/// The lines of one episode as they are read.
#[derive(Debug, Default)]
struct Block {
    line: usize,
    number: Option<u32>,
    title: Option<String>,
    date: Option<String>,
    duration: Option<u64>,
    prose: Vec<String>,
    trailer: Vec<String>,
    chapters: Vec<RawChapter>,
    /// Started by a date line or separator, title still to come.
    opened: bool,
    /// Bytes of prose and trailer kept, newlines counted.
    kept: usize,
}

impl Block {
    fn is_empty(&self) -> bool {
        self.title.is_none() && self.prose.is_empty() && self.chapters.is_empty()
    }

    fn push_prose(&mut self, line: &str) {
        // Once the text is past the description cap (by a few bytes, so the cut is still seen
        // and warned about) nothing more of it is used: keeping it would hold the whole file.
        let room = (MAX_DESCRIPTION_BYTES + 8).saturating_sub(self.kept);
        if room == 0 {
            return;
        }
        let mut end = line.len().min(room);
        while !line.is_char_boundary(end) {
            end += 1;
        }
        let line = line[..end].to_string();
        self.kept += line.len() + 1;
        if self.chapters.is_empty() {
            self.prose.push(line);
        } else {
            self.trailer.push(line);
        }
    }
}

/// The parser's state over one input.
struct Parser<'a> {
    source: &'a str,
    /// Added to every line number (a feed description starts deep inside its file).
    line_offset: usize,
    /// A single episode's body (a feed description): no separators, dates or title lines.
    body: bool,
    blocks: Vec<Block>,
    current: Option<Block>,
    /// The line after a separator may be the previous episode's length.
    after_separator: bool,
    /// Whether the input has explicit episode markers (titles, dates, separators).
    markers: bool,
    /// Inside a fenced Markdown code block: text, never chapters or markers.
    in_code: bool,
    /// The line of a chapter whose time ended its line: its title is on the next line.
    pending: Option<usize>,
    warnings: Vec<Warning>,
}

impl<'a> Parser<'a> {
    fn new(source: &'a str, line_offset: usize, body: bool) -> Self {
        Parser {
            source,
            line_offset,
            body,
            blocks: Vec::new(),
            current: None,
            after_separator: false,
            markers: false,
            in_code: false,
            pending: None,
            warnings: Vec::new(),
        }
    }

    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(Warning {
            source: format!("{}:{}", self.source, line + self.line_offset),
            message,
        });
    }

    /// Warns about a chapter left waiting for a title line that never came.
    fn drop_pending(&mut self) {
        let Some(line) = self.pending.take() else {
            return;
        };
        let at = self
            .current
            .as_ref()
            .and_then(|b| b.chapters.last())
            .map_or(0, |c| c.seconds);
        self.warn(
            line,
            format!(
                "chapter at {} has no title (the line after its time is none); kept untitled",
                format_hms(at)
            ),
        );
    }

    fn close(&mut self) {
        self.drop_pending();
        if let Some(b) = self.current.take()
            && (!b.is_empty() || b.date.is_some())
        {
            self.blocks.push(b);
        }
    }

    fn block(&mut self, line: usize) -> &mut Block {
        self.current.get_or_insert_with(|| Block {
            line,
            ..Block::default()
        })
    }

    /// Lines that start or end an episode block; false when the line is something else.
    fn marker(&mut self, no: usize, line: &str, splits: bool) -> bool {
        if std::mem::take(&mut self.after_separator)
            && let Some(len) = meta::length(line)
        {
            match self.blocks.last_mut() {
                Some(prev) => prev.duration = Some(len),
                None => self.warn(no, format!("length {line:?} follows no episode")),
            }
            return true;
        }
        if meta::is_separator(line) {
            if !splits {
                // A Markdown rule between sections of one episode's notes.
                return true;
            }
            self.markers = true;
            self.close();
            self.after_separator = true;
            return true;
        }
        if let Some((date, duration)) = meta::date_line(line) {
            self.markers = true;
            self.close();
            self.current = Some(Block {
                line: no,
                date: Some(date),
                duration,
                opened: true,
                ..Block::default()
            });
            return true;
        }
        if let Some((number, title)) = meta::episode_title(line) {
            self.markers = true;
            let reuse = self
                .current
                .as_ref()
                .is_some_and(|b| b.opened && b.is_empty());
            if !reuse {
                self.close();
            }
            let b = self.block(no);
            b.number = Some(number);
            b.title = Some(text::squeeze(&title));
            if !reuse {
                b.line = no;
            }
            return true;
        }
        false
    }

    fn line(&mut self, no: usize, raw: &str, info: &LineInfo) {
        let trailing = info.trailing.as_ref();
        let line = text::trim(raw);
        if line.is_empty() {
            return;
        }
        if line.starts_with("```") || line.starts_with("~~~") {
            self.in_code = !self.in_code;
            self.drop_pending();
            self.block(no).push_prose(line);
            return;
        }
        if self.in_code {
            self.block(no).push_prose(line);
            return;
        }
        if !self.body && self.marker(no, line, info.splits) {
            return;
        }
        if meta::is_noise(line) || meta::is_list_heading(line) {
            self.drop_pending();
            return;
        }
        if let Some(s) = trailing {
            self.drop_pending();
            self.block(no).chapters.push(RawChapter {
                seconds: s.seconds,
                end: None,
                title: s.title.clone(),
                line: no,
            });
            return;
        }
        let stamps = timestamp::read_line(line);
        if stamps.stamps.is_empty() && stamps.invalid.is_empty() {
            if self.pending.take().is_some()
                && let Some(c) = self.current.as_mut().and_then(|b| b.chapters.last_mut())
            {
                c.title = text::squeeze(line);
                return;
            }
            self.block(no).push_prose(line);
            return;
        }
        self.drop_pending();
        for bad in &stamps.invalid {
            self.warn(
                no,
                format!(
                    "invalid time {bad}: minutes and seconds must be below 60; chapter skipped"
                ),
            );
        }
        let b = self.block(no);
        if !stamps.prose.is_empty() {
            b.prose.push(stamps.prose);
        }
        let waits = stamps.stamps.last().is_some_and(|s| s.title.is_empty());
        for s in stamps.stamps {
            b.chapters.push(RawChapter {
                seconds: s.seconds,
                end: None,
                title: s.title,
                line: no,
            });
        }
        if waits {
            self.pending = Some(no);
        }
    }

    fn finish(mut self, opts: &ParseOptions) -> ParseOutput {
        self.close();
        let blocks = std::mem::take(&mut self.blocks);
        let count = blocks.len();
        let mut podcast = opts.podcast.clone();
        let mut kept = Vec::new();
        for (i, mut b) in blocks.into_iter().enumerate() {
            // A leading block with no title and no chapters is the page's header: its first
            // line names the podcast.
            if i == 0 && self.markers && b.title.is_none() && b.chapters.is_empty() {
                if podcast.is_none() {
                    podcast = b
                        .prose
                        .first()
                        .filter(|l| looks_like_name(l.as_str()))
                        .cloned();
                }
                continue;
            }
            if b.title.is_none() && b.chapters.is_empty() && self.markers && b.prose.is_empty() {
                continue;
            }
            // Prose after the last episode's chapter list on a page of several episodes is
            // the page's footer (the podcast's blurb), not part of any episode.
            if i + 1 == count && count > 1 {
                b.trailer.clear();
            }
            kept.push(b);
        }
        // A file's name speaks for its only episode, never for one of several.
        let lone = kept.len() == 1;
        let mut episodes = Vec::new();
        for b in kept {
            let ep = self.episode(b, podcast.clone(), opts, lone);
            episodes.push(ep);
        }
        ParseOutput {
            episodes,
            warnings: self.warnings,
        }
    }

    /// The block's prose and trailer as one description, capped.
    fn description(&mut self, b: &Block) -> String {
        let mut description = b.prose.join("\n");
        if !b.trailer.is_empty() {
            if !description.is_empty() {
                description.push('\n');
            }
            description.push_str(&b.trailer.join("\n"));
        }
        if cap_bytes(&mut description, MAX_DESCRIPTION_BYTES) {
            self.warn(
                b.line,
                format!(
                    "description longer than {MAX_DESCRIPTION_BYTES} bytes; the rest is not indexed"
                ),
            );
        }
        description
    }

    fn episode(
        &mut self,
        mut b: Block,
        podcast: Option<String>,
        opts: &ParseOptions,
        lone: bool,
    ) -> Episode {
        let description = self.description(&b);
        let title_line = b.title.clone().filter(|t| !t.is_empty());
        // The only episode of a file with no title line: its name may number and title it
        // (`470-a-jolting-episode.md`, `practical-ai-98.md`), and a Markdown heading on its
        // first line is its title.
        let mut named = None;
        let mut numbered_by_name = false;
        if title_line.is_none() && lone {
            let from_name = opts.file_stem.as_deref().and_then(meta::name_number);
            if let Some((n, t)) = from_name {
                if b.number.is_none() {
                    b.number = Some(n);
                    numbered_by_name = true;
                }
                named = t;
            }
            if let Some(h) = b.prose.first().and_then(|l| meta::heading_title(l)) {
                named = Some(h);
            }
        }
        let title = match title_line.or(named) {
            Some(t) => t,
            None => {
                let t = if description.is_empty() {
                    b.chapters
                        .first()
                        .map(|c| c.title.clone())
                        .filter(|t| !t.is_empty())
                        .unwrap_or_else(|| "Untitled episode".into())
                } else {
                    // The first sentence ends by the first line's end: only it is cleaned.
                    let first = description.lines().next().unwrap_or_default();
                    meta::first_sentence(&meta::unemphasised(first))
                };
                let what = match b.number {
                    Some(n) if numbered_by_name => {
                        format!("episode {n} (the number from the file's name) has no title")
                    }
                    Some(n) => format!("episode {n} has no title"),
                    None => "episode block has no `Episode N: Title` line".to_string(),
                };
                self.warn(b.line, format!("{what}; titled it {t:?}"));
                t
            }
        };
        let mut title = title;
        if let Some(message) = cap_warning("title", &mut title, MAX_TITLE_BYTES) {
            self.warn(b.line, message);
        }
        let chapters = self.chapters(b.chapters, b.duration);
        Episode {
            podcast,
            number: b.number,
            title,
            date: b.date,
            duration_seconds: b.duration,
            description,
            source: format!("{}:{}", self.source, b.line + self.line_offset),
            chapters,
            media_url: None,
            link: opts.link.clone(),
            guid: opts
                .file_id
                .as_ref()
                .filter(|_| numbered_by_name)
                .map(|id| format!("file:{id}")),
        }
    }

    /// Caps, orders and ends chapters, fills in sections, and warns about odd times.
    fn chapters(&mut self, raw: Vec<RawChapter>, duration: Option<u64>) -> Vec<Chapter> {
        let (chapters, warnings) = build_chapters(raw, duration, &|line| {
            format!("{}:{}", self.source, line + self.line_offset)
        });
        self.warnings.extend(warnings);
        chapters
    }
}

/// Raw chapters → chapters: capped in number and title length, sorted by time, each ending
/// where the next starts (the last at the episode's length), `PART n:` sections filled in.
/// Times going backwards and chapters past the episode's length are warnings; `at` names the
/// `file:line` of a line.
pub fn build_chapters(
    mut raw: Vec<RawChapter>,
    duration: Option<u64>,
    at: &dyn Fn(usize) -> String,
) -> (Vec<Chapter>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let mut warn = |line: usize, message: String| {
        warnings.push(Warning {
            source: at(line),
            message,
        })
    };
    if raw.len() > MAX_CHAPTERS {
        warn(
            raw[MAX_CHAPTERS].line,
            format!(
                "{} chapters in one episode; only the first {MAX_CHAPTERS} are kept",
                raw.len()
            ),
        );
        raw.truncate(MAX_CHAPTERS);
    }
    for c in &mut raw {
        cap_bytes(&mut c.title, MAX_TITLE_BYTES);
    }
    for w in 1..raw.len() {
        if raw[w].seconds < raw[w - 1].seconds {
            let (prev, this) = (&raw[w - 1], &raw[w]);
            warn(
                this.line,
                format!(
                    "chapter {:?} at {} starts before the previous one ({}); chapters were sorted by time",
                    this.title,
                    format_hms(this.seconds),
                    format_hms(prev.seconds)
                ),
            );
        }
    }
    raw.sort_by_key(|c| c.seconds);
    if let (Some(d), Some(last)) = (duration, raw.last())
        && last.seconds > d
    {
        warn(
            last.line,
            format!(
                "chapter {:?} at {} starts after the episode's length ({})",
                last.title,
                format_hms(last.seconds),
                format_hms(d)
            ),
        );
    }
    let mut section: Option<String> = None;
    let mut out = Vec::with_capacity(raw.len());
    for (i, c) in raw.iter().enumerate() {
        let end = match (c.end, raw.get(i + 1)) {
            (Some(e), _) if e >= c.seconds => Some(e),
            (_, Some(n)) => Some(n.seconds),
            (_, None) => duration.filter(|&d| d >= c.seconds),
        };
        let this_section = if meta::is_part_heading(&c.title) {
            section = Some(c.title.clone());
            None
        } else {
            section.clone()
        };
        out.push(Chapter {
            start_seconds: c.seconds,
            end_seconds: end,
            title: c.title.clone(),
            section: this_section,
        });
    }
    (out, warnings)
}

/// A header's first line is a podcast's name when it is short and not a sentence.
fn looks_like_name(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (1..=6).contains(&words) && line.chars().count() <= 60 && !line.ends_with(['.', '!', '?'])
}

/// Text as the parser reads it: cleaned ([`text::clean`]), and HTML turned into lines when it
/// is HTML (or `html` says so).
pub fn prepare(raw: &str, html: bool) -> Cow<'_, str> {
    let cleaned = text::clean(raw);
    if html || text::looks_like_html(&cleaned) {
        let lines = text::html_to_text(&cleaned);
        return Cow::Owned(text::clean(&lines).into_owned());
    }
    cleaned
}

/// Cuts `text` to at most `max` bytes at a character boundary; true when it was cut.
pub(crate) fn cap_bytes(text: &mut String, max: usize) -> bool {
    if text.len() <= max {
        return false;
    }
    let mut at = max;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text.truncate(at);
    true
}

/// Cuts `text` like [`cap_bytes`] and, when it was cut, gives the warning every reader uses.
pub(crate) fn cap_warning(what: &str, text: &mut String, max: usize) -> Option<String> {
    cap_bytes(text, max).then(|| format!("{what} longer than {max} bytes; cut"))
}

/// Trailing-time chapters (`Title (12:34)`), by line index: kept only for runs of at least two
/// lines (blank lines between allowed) that all end in a time, with the times ascending, so a
/// stray `(3:45)` in prose or a list of durations stays text.
fn trailing_chapters<'a>(lines: impl Iterator<Item = &'a str>) -> HashMap<usize, timestamp::Stamp> {
    let mut out = HashMap::new();
    let mut run: Vec<(usize, timestamp::Stamp)> = Vec::new();
    let mut in_code = false;
    let mut flush = |run: &mut Vec<(usize, timestamp::Stamp)>| {
        let ascending = run.windows(2).all(|w| w[0].1.seconds < w[1].1.seconds);
        if run.len() >= 2 && ascending {
            for (i, s) in run.drain(..) {
                out.insert(i, s);
            }
        }
        run.clear();
    };
    for (i, raw) in lines.enumerate() {
        let line = text::trim(raw);
        if line.starts_with("```") || line.starts_with("~~~") {
            in_code = !in_code;
            flush(&mut run);
            continue;
        }
        if line.is_empty() {
            continue;
        }
        let candidate = (!in_code)
            .then(|| timestamp::trailing(line))
            .flatten()
            .and_then(Result::ok)
            .filter(|_| {
                let r = timestamp::read_line(line);
                r.stamps.is_empty() && r.invalid.is_empty()
            });
        match candidate {
            Some(s) => run.push((i, s)),
            None => flush(&mut run),
        }
    }
    flush(&mut run);
    out
}

/// What the parser knows about a line from the lines around it.
#[derive(Debug, Default)]
struct LineInfo {
    /// A chapter written with its time at the end of the line, in a list of such lines.
    trailing: Option<timestamp::Stamp>,
    /// For a `--------` line: the next line is an episode's length, date or title, so the line
    /// separates episodes (rather than being a Markdown rule inside one).
    splits: bool,
}

/// The `--------` lines (by index) whose next non-blank line is an episode's length, date or
/// title, so the separator ends an episode.
fn splitting_separators<'a>(lines: impl Iterator<Item = &'a str>) -> HashSet<usize> {
    let mut out = HashSet::new();
    let mut pending: Option<usize> = None;
    for (i, line) in lines.enumerate() {
        let t = text::trim(line);
        if !t.is_empty()
            && let Some(sep) = pending.take()
            && (meta::length(t).is_some()
                || meta::episode_title(t).is_some()
                || meta::date_line(t).is_some())
        {
            out.insert(sep);
        }
        if meta::is_separator(t) {
            pending = Some(i);
        }
    }
    out
}

/// The lines of `text` as [`str::lines`] gives them (a `\r` before a `\n` dropped, no empty
/// line after a final `\n`), found with memchr's vectorised search for `\n`: line by line,
/// finding the ends was a tenth of parsing. An iterator, not a list: each of the three passes
/// makes its own, so 100 MB of blank lines costs no memory per line.
fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes());
    let mut start = 0;
    std::iter::from_fn(move || {
        let line = match ends.next() {
            Some(end) => {
                let line = &text[start..end];
                start = end + 1;
                line.strip_suffix('\r').unwrap_or(line)
            }
            None if start < text.len() => {
                let line = &text[start..];
                start = text.len();
                line
            }
            None => return None,
        };
        Some(line)
    })
}

// What the look-around passes find is kept by line index for the few lines it concerns: a
// table with an entry per line cost about 50 bytes for every line, 5 GB for 100 MB of blank
// lines.
fn run_parser(p: &mut Parser<'_>, text: &str) {
    let mut trailing = trailing_chapters(lines_of(text));
    let splits = splitting_separators(lines_of(text));
    for (i, line) in lines_of(text).enumerate() {
        // Both are empty for most texts: no key is hashed then.
        let info = LineInfo {
            trailing: if trailing.is_empty() {
                None
            } else {
                trailing.remove(&i)
            },
            splits: !splits.is_empty() && splits.contains(&i),
        };
        p.line(i + 1, line, &info);
    }
}

/// Parses one text of show notes; `source` names it in `file:line` references.
pub fn parse_str(text: &str, source: &str, opts: &ParseOptions) -> ParseOutput {
    let text = prepare(text, opts.html);
    let mut p = Parser::new(source, 0, false);
    run_parser(&mut p, &text);
    p.finish(opts)
}

/// One episode's show notes read from a larger document (a feed item's description).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// The prose, without its timestamp list.
    pub description: String,
    /// The chapters, ended and sectioned.
    pub chapters: Vec<Chapter>,
    /// What was odd, at `source:line` with lines counted from `first_line`.
    pub warnings: Vec<Warning>,
}

/// Parses the show notes of a single episode: no block splitting, so an `Episode 5:` or a date
/// inside a feed description is just text. Lines are numbered from `first_line`; HTML (any tag
/// or entity) is turned into lines first.
pub fn parse_body(text: &str, source: &str, first_line: usize, duration: Option<u64>) -> Body {
    let cleaned = text::clean(text);
    let prepared = if text::has_markup(&cleaned) {
        Cow::Owned(text::clean(&text::html_to_text(&cleaned)).into_owned())
    } else {
        cleaned
    };
    let mut p = Parser::new(source, first_line.saturating_sub(1), true);
    run_parser(&mut p, &prepared);
    p.close();
    let mut blocks = std::mem::take(&mut p.blocks);
    let Some(mut b) = blocks.pop() else {
        return Body {
            warnings: p.warnings,
            ..Body::default()
        };
    };
    b.line = 1;
    let description = p.description(&b);
    let chapters = p.chapters(std::mem::take(&mut b.chapters), duration);
    Body {
        description,
        chapters,
        warnings: p.warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ParseOutput {
        parse_str(text, "t.txt", &ParseOptions::default())
    }

    /// Parses `text` as the file `name` (with its extension).
    fn parse_named(text: &str, name: &str) -> ParseOutput {
        let stem = std::path::Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned());
        parse_str(
            text,
            name,
            &ParseOptions {
                file_stem: stem,
                ..ParseOptions::default()
            },
        )
    }

    #[test]
    fn a_lone_untitled_episode_takes_its_number_and_title_from_the_file_name() {
        // Python Bytes' notes: `NNN-slug.md`, no title line.
        let out = parse_named(
            "Sponsored by us!\n\n- [link](https://x)\n",
            "470-a-jolting-episode.md",
        );
        let ep = &out.episodes[0];
        assert_eq!(
            (ep.number, ep.title.as_str()),
            (Some(470), "A jolting episode")
        );
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        // A number alone: the title is the text's first sentence, as for any untitled episode.
        let out = parse_named("Sponsored by us! Support our work.\n", "463.md");
        let ep = &out.episodes[0];
        assert_eq!(
            (ep.number, ep.title.as_str()),
            (Some(463), "Sponsored by us!")
        );
        assert!(
            out.warnings[0].message.contains("from the file's name"),
            "{:?}",
            out.warnings
        );
        // A transcript: the show's name before the number; bold speaker tags leave the title.
        let out = parse_named(
            "**Daniel:** Welcome to another episode. Hi.\n\n**Chris:** \\[04:00\\] Hello.\n",
            "practical-ai-98.md",
        );
        let ep = &out.episodes[0];
        assert_eq!(ep.number, Some(98));
        assert_eq!(ep.title, "Daniel: Welcome to another episode.");
        assert_eq!(ep.chapters.len(), 1);
        // A Markdown heading on the first line is the title; the name still numbers it.
        let out = parse_named("## Python Bytes 456\n\nNews.\n", "456.md");
        let ep = &out.episodes[0];
        assert_eq!(
            (ep.number, ep.title.as_str()),
            (Some(456), "Python Bytes 456")
        );
        // `# #459: Title` is a title line of its own.
        let out = parse_named("# #459: Inverted dependency trees\n\nNews.\n", "459.md");
        let ep = &out.episodes[0];
        assert_eq!(
            (ep.number, ep.title.as_str()),
            (Some(459), "Inverted dependency trees")
        );
        assert_eq!(ep.description, "News.");
        // A title line wins over the name, and the name says nothing for a file of several
        // episodes or one whose name has no number.
        let out = parse_named("Episode 7: Seven\nAbout it.\n", "470-a-jolting-episode.md");
        assert_eq!(
            (out.episodes[0].number, out.episodes[0].title.as_str()),
            (Some(7), "Seven")
        );
        let two = "Episode 1: One\nA.\n--------\n0:05:00\nIntro without a title line.\n";
        let out = parse_named(two, "470-a-jolting-episode.md");
        assert_eq!(out.episodes[1].number, None);
        let out = parse_named("Intro prose here.\n", "notes-2024.md");
        assert_eq!(
            (out.episodes[0].number, out.episodes[0].title.as_str()),
            (None, "Intro prose here.")
        );
    }

    #[test]
    fn separator_layout_length_belongs_to_previous_block() {
        let out = parse(
            "Intro prose. More.## Timestamps(00:00:00) INTRO(00:01:00) PART 1: X(00:02:00) Y\n--------\n0:05:00\nEpisode 3: Three\nAbout three.\n## Timestamps\n(00:00:00) A\n(00:01:00) B\nThe podcast's blurb.\n",
        );
        assert_eq!(out.episodes.len(), 2);
        let first = &out.episodes[0];
        assert_eq!(first.number, None);
        assert_eq!(first.title, "Intro prose.");
        assert_eq!(first.duration_seconds, Some(300));
        assert_eq!(first.description, "Intro prose. More.");
        assert_eq!(first.chapters[2].section.as_deref(), Some("PART 1: X"));
        assert_eq!(first.chapters[1].section, None);
        assert_eq!(first.chapters[2].end_seconds, Some(300));
        let second = &out.episodes[1];
        assert_eq!(second.number, Some(3));
        assert_eq!(second.duration_seconds, None);
        assert_eq!(second.description, "About three.");
        assert_eq!(second.chapters[1].end_seconds, None);
        assert_eq!(second.source, "t.txt:4");
        assert_eq!(out.warnings.len(), 1);
        assert_eq!(out.warnings[0].source, "t.txt:1");
    }

    #[test]
    fn dated_layout_with_header_and_noise() {
        let out = parse(
            "Show Name\nHosts\nA blurb about the show.\n\nSep 3, 2024 • 1h\nEpisode 2: Two\nProse.\n## Outline\n(00:00:00) INTRO\n(00:10:00) OUTRO\n\n12 snips\nMay 28, 2024 • 31min\nEpisode 1 - One\nNo chapters here.\n",
        );
        assert_eq!(out.episodes.len(), 2);
        assert_eq!(out.episodes[0].podcast.as_deref(), Some("Show Name"));
        assert_eq!(out.episodes[0].date.as_deref(), Some("2024-09-03"));
        assert_eq!(out.episodes[0].chapters[1].end_seconds, Some(3600));
        assert_eq!(out.episodes[0].chapters[1].title, "OUTRO");
        assert_eq!(out.episodes[0].source, "t.txt:5");
        assert_eq!(out.episodes[1].title, "One");
        assert_eq!(out.episodes[1].duration_seconds, Some(1860));
        assert!(out.episodes[1].chapters.is_empty());
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    }

    #[test]
    fn podcast_option_wins_and_crlf_bom_are_handled() {
        let opts = ParseOptions {
            podcast: Some("Mine".into()),
            link: None,
            ..ParseOptions::default()
        };
        let out = parse_str(
            "\u{feff}Episode 1: A\r\n(00:00:00) Start\r\n(00:01:00) End\r\n",
            "x",
            &opts,
        );
        assert_eq!(out.episodes[0].podcast.as_deref(), Some("Mine"));
        assert_eq!(out.episodes[0].chapters[1].title, "End");
    }

    proptest::proptest! {
        #[test]
        fn lines_are_the_lines_str_gives(text in "[a\r\n]{0,12}") {
            proptest::prop_assert_eq!(
                lines_of(&text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn backwards_and_overlong_times_warn_but_keep_chapters() {
        let out = parse(
            "Sep 3, 2024 • 10min\nEpisode 1: A\n(00:05:00) Second\n(00:01:00) First\n(00:12:00) Late\n(00:61:00) Bad\n",
        );
        let ch = &out.episodes[0].chapters;
        assert_eq!(ch.len(), 3);
        assert_eq!(ch[0].title, "First");
        assert_eq!(ch[2].end_seconds, None);
        assert_eq!(out.warnings.len(), 3, "{:?}", out.warnings);
        assert!(
            out.warnings
                .iter()
                .any(|w| w.message.contains("(00:61:00)"))
        );
        assert!(out.warnings.iter().all(|w| w.source.starts_with("t.txt:")));
    }

    #[test]
    fn separators_split_only_before_a_length_date_or_title() {
        let text = "a\n--------\n\n1:19:11\nb\n--------\nprose\n--------\nEpisode 2: B\n--------";
        assert_eq!(splitting_separators(lines_of(text)), HashSet::from([1, 7]));
        let t = trailing_chapters(lines_of(
            "Intro (0:00)\n\nMiddle (1:00)\nprose\nlone (2:00)\n",
        ));
        assert_eq!(
            t.keys().copied().collect::<HashSet<_>>(),
            HashSet::from([0, 2])
        );
    }

    #[test]
    fn prose_past_the_description_cap_is_not_kept() {
        // Regression: every prose line was kept until the description was cut, so a 100 MB
        // line was held three times over.
        let mut b = Block::default();
        b.push_prose(&"é".repeat(1 << 20));
        b.push_prose("more");
        assert_eq!(b.prose.len(), 1);
        assert!(b.prose[0].len() <= MAX_DESCRIPTION_BYTES + 9);
        let out = parse(&format!(
            "{}\n{}\n",
            "a".repeat(1 << 20),
            "b ".repeat(1 << 16)
        ));
        assert_eq!(out.episodes[0].description.len(), MAX_DESCRIPTION_BYTES);
        assert!(
            out.warnings
                .iter()
                .any(|w| w.message.contains("description longer"))
        );
    }

    #[test]
    fn empty_input_gives_nothing() {
        let out = parse("");
        assert!(out.episodes.is_empty());
    }

    #[test]
    fn notes_without_markers_are_one_episode() {
        let out = parse("Just a note about a thing. More text.\n(00:00:00) Intro\n");
        assert_eq!(out.episodes.len(), 1);
        assert_eq!(out.episodes[0].title, "Just a note about a thing.");
    }
}
