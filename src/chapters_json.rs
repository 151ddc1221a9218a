//! Podcasting 2.0 chapters files (`*.chapters.json`, spec version 1.2.0) in and out.
//!
//! Reading is lenient per chapter (a chapter with a bad `startTime` is a warning, the others
//! stay) and strict about the document (not JSON, or no `chapters` array, is an error).

use crate::model::{Episode, Warning};
use crate::notes::{self, RawChapter, meta, text};
use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

/// The spec version podseek writes.
pub const VERSION: &str = "1.2.0";

/// The file name ending that marks a chapters file.
pub const SUFFIX: &str = ".chapters.json";

/// A chapters document that cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ChaptersError {
    /// What is wrong, with line and column when JSON says so.
    pub message: String,
}

/// What a chapters file gave: its chapters plus the episode facts it may carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChaptersFile {
    /// The `version` it declares.
    pub version: Option<String>,
    /// Its `title` (the episode's).
    pub title: Option<String>,
    /// Its `podcastName`.
    pub podcast: Option<String>,
    /// Its `description`.
    pub description: Option<String>,
    /// The chapters as read (`toc: false` ones left out), in file order.
    pub chapters: Vec<RawChapter>,
    /// Chapters that were skipped and why.
    pub warnings: Vec<Warning>,
}

#[derive(serde::Deserialize)]
struct Document<'a> {
    version: Option<Value>,
    title: Option<String>,
    #[serde(rename = "podcastName")]
    podcast_name: Option<String>,
    description: Option<String>,
    #[serde(borrow)]
    chapters: Option<Vec<&'a RawValue>>,
}

/// 1-based lines of positions inside a text, asked for in increasing order: each newline is
/// counted once, so a file of many chapters is not rescanned from its start for each one.
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter {
            text: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    /// The line of `offset`; an offset before the last one asked restarts the count.
    pub(crate) fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.pos {
            (self.pos, self.line) = (0, 1);
        }
        self.line += self.text[self.pos..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.pos = offset;
        self.line
    }
}

/// Seconds from a JSON number (whole or fractional), rounded down; None when negative or not
/// a number.
pub(crate) fn seconds(v: Option<&Value>) -> Option<u64> {
    let v = v?;
    if let Some(n) = v.as_u64() {
        return Some(n);
    }
    let f = v.as_f64()?;
    (f.is_finite() && (0.0..1e12).contains(&f)).then(|| f.floor() as u64)
}

/// Reads a chapters document; `source` names it in warnings (`source:line`).
pub fn parse(text: &str, source: &str) -> Result<ChaptersFile, ChaptersError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc: Document<'_> = serde_json::from_str(text).map_err(|e| ChaptersError {
        message: format!(
            "not a chapters file or episode list: {e} (expected a JSON object with a \"chapters\" or an \"episodes\" array)"
        ),
    })?;
    let Some(raw) = doc.chapters else {
        return Err(ChaptersError {
            message: "not a chapters file or episode list: no \"chapters\" or \"episodes\" array"
                .into(),
        });
    };
    let mut out = ChaptersFile {
        version: doc.version.map(|v| match v {
            Value::String(s) => s,
            other => other.to_string(),
        }),
        title: doc.title.map(|t| text::squeeze(&text::clean(&t))),
        podcast: doc.podcast_name.map(|t| text::squeeze(&text::clean(&t))),
        description: doc.description.map(|t| text::clean(&t).into_owned()),
        ..ChaptersFile::default()
    };
    let mut lines = LineCounter::new(text);
    for (i, r) in raw.iter().enumerate() {
        // RawValue borrows from `text`: its address gives the chapter's line.
        let offset = (r.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let line = lines.line_at(offset);
        let mut warn = |message: String| {
            out.warnings.push(Warning {
                source: format!("{source}:{line}"),
                message,
            })
        };
        let Ok(Value::Object(c)) = serde_json::from_str::<Value>(r.get()) else {
            warn(format!("chapter {} is not an object; skipped", i + 1));
            continue;
        };
        if c.get("toc") == Some(&Value::Bool(false)) {
            continue; // not a table-of-contents entry, by the spec
        }
        let title = c
            .get("title")
            .and_then(Value::as_str)
            .map(|t| text::squeeze(&text::clean(t)))
            .unwrap_or_default();
        let Some(start) = seconds(c.get("startTime")) else {
            warn(format!(
                "chapter {} ({title:?}) has no valid startTime (seconds, a number); skipped",
                i + 1
            ));
            continue;
        };
        let end = match c.get("endTime") {
            None | Some(Value::Null) => None,
            Some(v) => match seconds(Some(v)) {
                Some(e) if e >= start => Some(e),
                _ => {
                    warn(format!(
                        "chapter {} ({title:?}): endTime {v} is not a time after its startTime; ignored",
                        i + 1
                    ));
                    None
                }
            },
        };
        for key in ["url", "img"] {
            if let Some(v) = c.get(key)
                && !v.is_string()
                && !v.is_null()
            {
                warn(format!(
                    "chapter {} ({title:?}): {key} is not a string; ignored",
                    i + 1
                ));
            }
        }
        if title.is_empty() {
            warn(format!(
                "chapter {} at {} has no title; kept untitled",
                i + 1,
                crate::model::format_hms(start)
            ));
        }
        out.chapters.push(RawChapter {
            seconds: start,
            end,
            title,
            line,
        });
    }
    Ok(out)
}

/// A chapters file read on its own → one episode: its `title` (`Episode N: ...` gives the
/// number; else the file's name), `podcastName` unless `podcast` is given, its chapters.
pub fn to_episode(
    file: ChaptersFile,
    source: &str,
    stem: &str,
    podcast: Option<String>,
    link: Option<String>,
) -> (Episode, Vec<Warning>) {
    let mut warnings = file.warnings;
    let title = file.title.filter(|t| !t.is_empty());
    let (number, title) = match title.as_deref().and_then(meta::episode_title) {
        Some((n, t)) if !t.is_empty() => (Some(n), t),
        Some((n, _)) => (Some(n), title.unwrap_or_default()),
        None => (None, title.unwrap_or_else(|| stem.to_string())),
    };
    let (chapters, w) =
        notes::build_chapters(file.chapters, None, &|line| format!("{source}:{line}"));
    warnings.extend(w);
    let mut title = title;
    let mut description = file.description.unwrap_or_default();
    // The same caps as show notes, so no reader lets a bigger title or description through.
    for (what, text, max) in [
        ("title", &mut title, notes::MAX_TITLE_BYTES),
        (
            "description",
            &mut description,
            notes::MAX_DESCRIPTION_BYTES,
        ),
    ] {
        if let Some(message) = notes::cap_warning(what, text, max) {
            warnings.push(Warning {
                source: format!("{source}:1"),
                message,
            });
        }
    }
    let ep = Episode {
        podcast: podcast.or(file.podcast),
        number,
        title,
        date: None,
        duration_seconds: None,
        description,
        source: format!("{source}:1"),
        chapters,
        media_url: None,
        link,
        guid: None,
    };
    (ep, warnings)
}

/// One chapter as the spec writes it.
#[derive(Debug, Clone, Serialize)]
struct OutChapter<'a> {
    #[serde(rename = "startTime")]
    start_time: u64,
    #[serde(rename = "endTime", skip_serializing_if = "Option::is_none")]
    end_time: Option<u64>,
    title: &'a str,
}

/// A chapters document as the spec writes it.
#[derive(Debug, Clone, Serialize)]
struct OutDocument<'a> {
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(rename = "podcastName", skip_serializing_if = "Option::is_none")]
    podcast_name: Option<&'a str>,
    chapters: Vec<OutChapter<'a>>,
}

/// An episode's chapters as a Podcasting 2.0 chapters document (pretty JSON). The title keeps
/// its `Episode N:` prefix so reading the file back gives the number again.
pub fn to_json(ep: &Episode) -> String {
    let title = match ep.number {
        Some(n) => format!("Episode {n}: {}", ep.title),
        None => ep.title.clone(),
    };
    let doc = OutDocument {
        version: VERSION,
        title: Some(title),
        podcast_name: ep.podcast.as_deref(),
        chapters: ep
            .chapters
            .iter()
            .map(|c| OutChapter {
                start_time: c.start_seconds,
                end_time: c.end_seconds,
                title: &c.title,
            })
            .collect(),
    };
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{
  "version": "1.2.0",
  "title": "Episode 7: Pruning Roses",
  "podcastName": "The Allotment Hour",
  "chapters": [
    {"startTime": 0, "title": "Welcome"},
    {"startTime": 95.5, "endTime": 400, "title": "Secateurs", "url": "https://example.com/s", "img": "https://example.com/s.jpg"},
    {"startTime": 400, "title": "Sponsor", "toc": false},
    {"startTime": "ten", "title": "Broken"},
    {"startTime": 1200, "title": "Questions"}
  ]
}"#;

    #[test]
    fn reads_every_field_and_skips_bad_chapters() {
        let f = parse(FILE, "p.chapters.json").expect("valid");
        assert_eq!(f.version.as_deref(), Some("1.2.0"));
        assert_eq!(f.podcast.as_deref(), Some("The Allotment Hour"));
        let titles: Vec<_> = f.chapters.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["Welcome", "Secateurs", "Questions"]);
        assert_eq!(f.chapters[1].seconds, 95);
        assert_eq!(f.chapters[1].end, Some(400));
        assert_eq!(f.warnings.len(), 1, "{:?}", f.warnings);
        assert_eq!(f.warnings[0].source, "p.chapters.json:9");
        assert!(f.warnings[0].message.contains("Broken"));
    }

    #[test]
    fn becomes_an_episode_with_explicit_ends() {
        let f = parse(FILE, "p.chapters.json").expect("valid");
        let (ep, _) = to_episode(f, "p.chapters.json", "p", None, None);
        assert_eq!(ep.number, Some(7));
        assert_eq!(ep.title, "Pruning Roses");
        assert_eq!(ep.podcast.as_deref(), Some("The Allotment Hour"));
        let ends: Vec<_> = ep.chapters.iter().map(|c| c.end_seconds).collect();
        assert_eq!(ends, [Some(95), Some(400), None]);
    }

    #[test]
    fn round_trips() {
        let f = parse(FILE, "p.chapters.json").expect("valid");
        let (ep, _) = to_episode(f, "p", "p", None, None);
        let json = to_json(&ep);
        let v: Value = serde_json::from_str(&json).expect("json");
        assert_eq!(v["version"], "1.2.0");
        assert_eq!(v["chapters"][1]["startTime"], 95);
        assert_eq!(v["chapters"][1]["endTime"], 400);
        assert!(v["chapters"][2].get("endTime").is_none());
        let back = parse(&json, "q").expect("valid");
        let (ep2, w) = to_episode(back, "q", "q", None, None);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(ep2.chapters, ep.chapters);
        assert_eq!((ep2.number, ep2.title), (Some(7), "Pruning Roses".into()));
    }

    #[test]
    fn many_chapters_get_their_own_lines() {
        // Regression: each chapter's line used to be counted from the file's start, quadratic
        // in the number of chapters; the count now runs once through the file.
        let n = 50_000;
        let mut text = String::from("{\"chapters\": [\n");
        for i in 0..n {
            let sep = if i + 1 < n { "," } else { "" };
            text.push_str(&format!("{{\"startTime\": \"bad{i}\"}}{sep}\n"));
        }
        text.push_str("]}");
        let f = parse(&text, "m").expect("valid");
        assert_eq!(f.warnings.len(), n);
        assert_eq!(f.warnings[0].source, "m:2");
        assert_eq!(f.warnings[n - 1].source, format!("m:{}", n + 1));
        let mut lines = LineCounter::new("a\nb\nc");
        assert_eq!(
            (lines.line_at(4), lines.line_at(2), lines.line_at(99)),
            (3, 2, 3)
        );
    }

    #[test]
    fn overlong_titles_and_descriptions_are_cut() {
        let text = format!(
            "{{\"title\": \"{}\", \"description\": \"{}\", \"chapters\": []}}",
            "t".repeat(5000),
            "d".repeat(100_000)
        );
        let (ep, w) = to_episode(parse(&text, "c").expect("valid"), "c", "c", None, None);
        assert_eq!(ep.title.len(), notes::MAX_TITLE_BYTES);
        assert_eq!(ep.description.len(), notes::MAX_DESCRIPTION_BYTES);
        assert_eq!(w.len(), 2, "{w:?}");
    }

    #[test]
    fn documents_that_are_not_chapters_are_errors() {
        assert!(parse("[1, 2]", "x").is_err());
        assert!(parse("{\"version\": \"1.2.0\"}", "x").is_err());
        assert!(parse("{not json", "x").is_err());
        let e = parse("{\n\"chapters\": [,]}", "x").expect_err("bad");
        assert!(e.message.contains("line 2"), "{}", e.message);
    }
}
