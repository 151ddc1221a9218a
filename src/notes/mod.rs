//! Show notes → episodes: splits a page of notes into episode blocks and reads their chapters.
//!
//! The parser is line-oriented and total: every input gives episodes plus warnings, never an
//! error, so one odd line cannot cost a user the rest of the file.

pub mod meta;
pub mod timestamp;

#[cfg(test)]
mod seed_tests;

/// Most chapters kept per episode (real episodes have dozens); the rest are dropped with a warning.
pub const MAX_CHAPTERS: usize = 10_000;
/// Longest episode description kept, in bytes.
pub const MAX_DESCRIPTION_BYTES: usize = 64 * 1024;
/// Longest title kept, in bytes.
pub const MAX_TITLE_BYTES: usize = 1024;

use crate::model::{Chapter, Episode, Warning};

/// Settings that apply to every episode of one input.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// The podcast name to give every episode (overrides a name found in the notes).
    pub podcast: Option<String>,
    /// A link template for every episode (`{number}`, `{seconds}`, `{hms}`).
    pub link: Option<String>,
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
#[derive(Debug)]
struct RawChapter {
    seconds: u64,
    title: String,
    line: usize,
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
}

impl Block {
    fn is_empty(&self) -> bool {
        self.title.is_none() && self.prose.is_empty() && self.chapters.is_empty()
    }
}

/// The parser's state over one input.
struct Parser<'a> {
    source: &'a str,
    blocks: Vec<Block>,
    current: Option<Block>,
    /// The line after a separator may be the previous episode's length.
    after_separator: bool,
    /// Whether the input has explicit episode markers (titles, dates, separators).
    markers: bool,
    warnings: Vec<Warning>,
}

impl<'a> Parser<'a> {
    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(Warning {
            source: format!("{}:{line}", self.source),
            message,
        });
    }

    fn close(&mut self) {
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

    fn line(&mut self, no: usize, raw: &str) {
        let line = raw.trim();
        if line.is_empty() {
            return;
        }
        if std::mem::take(&mut self.after_separator)
            && let Some(len) = meta::length(line)
        {
            match self.blocks.last_mut() {
                Some(prev) => prev.duration = Some(len),
                None => self.warn(no, format!("length {line:?} follows no episode")),
            }
            return;
        }
        if meta::is_separator(line) {
            self.markers = true;
            self.close();
            self.after_separator = true;
            return;
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
            return;
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
            b.title = Some(title);
            if !reuse {
                b.line = no;
            }
            return;
        }
        if meta::is_noise(line) || meta::is_list_heading(line) {
            return;
        }
        let stamps = timestamp::read_line(line);
        for bad in &stamps.invalid {
            self.warn(
                no,
                format!(
                    "invalid time {bad}: minutes and seconds must be below 60; chapter skipped"
                ),
            );
        }
        if stamps.stamps.is_empty() && stamps.invalid.is_empty() {
            let b = self.block(no);
            if b.chapters.is_empty() {
                b.prose.push(line.to_string());
            } else {
                b.trailer.push(line.to_string());
            }
            return;
        }
        let b = self.block(no);
        if !stamps.prose.is_empty() {
            b.prose.push(stamps.prose);
        }
        for s in stamps.stamps {
            b.chapters.push(RawChapter {
                seconds: s.seconds,
                title: s.title,
                line: no,
            });
        }
    }

    fn finish(mut self, opts: &ParseOptions) -> ParseOutput {
        self.close();
        let blocks = std::mem::take(&mut self.blocks);
        let count = blocks.len();
        let mut podcast = opts.podcast.clone();
        let mut episodes = Vec::new();
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
            let ep = self.episode(b, podcast.clone(), opts);
            episodes.push(ep);
        }
        ParseOutput {
            episodes,
            warnings: self.warnings,
        }
    }

    fn episode(&mut self, b: Block, podcast: Option<String>, opts: &ParseOptions) -> Episode {
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
        let title = match b.title.filter(|t| !t.is_empty()) {
            Some(t) => t,
            None => {
                let t = if description.is_empty() {
                    b.chapters
                        .first()
                        .map(|c| c.title.clone())
                        .unwrap_or_else(|| "Untitled episode".into())
                } else {
                    meta::first_sentence(&description)
                };
                let what = match b.number {
                    Some(n) => format!("episode {n} has no title"),
                    None => "episode block has no `Episode N: Title` line".to_string(),
                };
                self.warn(b.line, format!("{what}; titled it {t:?}"));
                t
            }
        };
        let mut title = title;
        if cap_bytes(&mut title, MAX_TITLE_BYTES) {
            self.warn(
                b.line,
                format!("title longer than {MAX_TITLE_BYTES} bytes; cut"),
            );
        }
        let mut raw = b.chapters;
        if raw.len() > MAX_CHAPTERS {
            let line = raw[MAX_CHAPTERS].line;
            self.warn(
                line,
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
        let chapters = self.chapters(raw, b.duration);
        Episode {
            podcast,
            number: b.number,
            title,
            date: b.date,
            duration_seconds: b.duration,
            description,
            source: format!("{}:{}", self.source, b.line),
            chapters,
            media_url: None,
            link: opts.link.clone(),
            guid: None,
        }
    }

    /// Orders chapters, fills in ends and sections, and warns about odd times.
    fn chapters(&mut self, mut raw: Vec<RawChapter>, duration: Option<u64>) -> Vec<Chapter> {
        for w in 1..raw.len() {
            if raw[w].seconds < raw[w - 1].seconds {
                let (prev, this) = (&raw[w - 1], &raw[w]);
                let msg = format!(
                    "chapter {:?} at {} starts before the previous one ({}); chapters were sorted by time",
                    this.title,
                    crate::model::format_hms(this.seconds),
                    crate::model::format_hms(prev.seconds)
                );
                let line = this.line;
                self.warn(line, msg);
            }
        }
        raw.sort_by_key(|c| c.seconds);
        if let (Some(d), Some(last)) = (duration, raw.last())
            && last.seconds > d
        {
            let msg = format!(
                "chapter {:?} at {} starts after the episode's length ({})",
                last.title,
                crate::model::format_hms(last.seconds),
                crate::model::format_hms(d)
            );
            let line = last.line;
            self.warn(line, msg);
        }
        let mut section: Option<String> = None;
        let mut out = Vec::with_capacity(raw.len());
        for (i, c) in raw.iter().enumerate() {
            let end = match raw.get(i + 1) {
                Some(n) => Some(n.seconds),
                None => duration.filter(|&d| d >= c.seconds),
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
        out
    }
}

/// A header's first line is a podcast's name when it is short and not a sentence.
fn looks_like_name(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (1..=6).contains(&words) && line.chars().count() <= 60 && !line.ends_with(['.', '!', '?'])
}

/// Normalises line ends and strips a byte-order mark (without copying text that needs neither).
pub fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Cuts `text` to at most `max` bytes at a character boundary; true when it was cut.
fn cap_bytes(text: &mut String, max: usize) -> bool {
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

/// Parses one text of show notes; `source` names it in `file:line` references.
pub fn parse_str(text: &str, source: &str, opts: &ParseOptions) -> ParseOutput {
    let text = normalize(text);
    let mut p = Parser {
        source,
        blocks: Vec::new(),
        current: None,
        after_separator: false,
        markers: false,
        warnings: Vec::new(),
    };
    for (i, line) in text.lines().enumerate() {
        p.line(i + 1, line);
    }
    p.finish(opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ParseOutput {
        parse_str(text, "t.txt", &ParseOptions::default())
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
        };
        let out = parse_str(
            "\u{feff}Episode 1: A\r\n(00:00:00) Start\r\n(00:01:00) End\r\n",
            "x",
            &opts,
        );
        assert_eq!(out.episodes[0].podcast.as_deref(), Some("Mine"));
        assert_eq!(out.episodes[0].chapters[1].title, "End");
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
