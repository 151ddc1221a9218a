//! Episodes → files for other tools: one Podcasting 2.0 chapters file per episode, or NDJSON
//! (one JSON document per chapter) for bulk ingest into another search engine.
//!
//! Every file is written to a temporary name and renamed into place, so an interrupted export
//! never leaves a half-written file under the final name.

use crate::chapters_json;
use crate::error::{Error, Result};
use crate::model::{Episode, format_hms};
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One `*.chapters.json` file per episode with chapters.
    Chapters,
    /// One `chapters.ndjson` file: a JSON document per chapter.
    Ndjson,
}

impl Format {
    /// The name used on the command line and in summaries.
    pub fn name(self) -> &'static str {
        match self {
            Format::Chapters => "chapters",
            Format::Ndjson => "ndjson",
        }
    }
}

/// The NDJSON file's name inside the output folder.
pub const NDJSON_FILE: &str = "chapters.ndjson";

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    /// `chapters` or `ndjson`.
    pub format: &'static str,
    /// The output folder (`-` for standard output).
    pub out: String,
    /// The files written, in order.
    pub files: Vec<String>,
    /// Episodes exported.
    pub episodes: usize,
    /// Chapters exported.
    pub chapters: usize,
    /// Episodes left out (no chapters to put in a chapters file), as labels.
    pub skipped: Vec<String>,
}

/// One NDJSON document: a chapter with every field the index holds about it and its episode.
/// An episode without chapters gives one document with `chapter_title` null and start 0, as a
/// search hit on the whole episode does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record<'a> {
    /// `chapter`, or `episode` for an episode without chapters.
    pub kind: &'static str,
    /// The episode's identity in the index.
    pub key: String,
    /// The podcast's name.
    pub podcast: Option<&'a str>,
    /// The episode number.
    pub episode: Option<u32>,
    /// The episode title.
    pub episode_title: &'a str,
    /// Publication date, `YYYY-MM-DD`.
    pub date: Option<&'a str>,
    /// The episode's length.
    pub duration_seconds: Option<u64>,
    /// The episode's prose.
    pub description: &'a str,
    /// The chapter title.
    pub chapter_title: Option<&'a str>,
    /// The chapter's `PART n:` section.
    pub section: Option<&'a str>,
    /// Where the chapter starts.
    pub start_seconds: u64,
    /// Where it ends, when known.
    pub end_seconds: Option<u64>,
    /// The start as `hh:mm:ss`.
    pub start: String,
    /// A link that starts playback there, when known.
    pub link: Option<String>,
    /// The episode's media file, when a feed gave one.
    pub media_url: Option<&'a str>,
    /// Where the episode was read (`file:line`).
    pub source: &'a str,
}

fn record<'a>(
    ep: &'a Episode,
    kind: &'static str,
    chapter: Option<&'a crate::model::Chapter>,
) -> Record<'a> {
    let start = chapter.map_or(0, |c| c.start_seconds);
    Record {
        kind,
        key: ep.key(),
        podcast: ep.podcast.as_deref(),
        episode: ep.number,
        episode_title: &ep.title,
        date: ep.date.as_deref(),
        duration_seconds: ep.duration_seconds,
        description: &ep.description,
        chapter_title: chapter.map(|c| c.title.as_str()),
        section: chapter.and_then(|c| c.section.as_deref()),
        start_seconds: start,
        end_seconds: match chapter {
            Some(c) => c.end_seconds,
            None => ep.duration_seconds,
        },
        start: format_hms(start),
        link: ep.link_at(start),
        media_url: ep.media_url.as_deref(),
        source: &ep.source,
    }
}

/// The NDJSON documents of one episode.
pub fn records(ep: &Episode) -> Vec<Record<'_>> {
    if ep.chapters.is_empty() {
        return vec![record(ep, "episode", None)];
    }
    ep.chapters
        .iter()
        .map(|c| record(ep, "chapter", Some(c)))
        .collect()
}

/// Writes every episode's records, one JSON document per line; returns how many lines.
pub fn write_ndjson(out: &mut dyn Write, eps: &[Episode]) -> std::io::Result<usize> {
    let mut n = 0;
    for ep in eps {
        for r in records(ep) {
            serde_json::to_writer(&mut *out, &r)?;
            out.write_all(b"\n")?;
            n += 1;
        }
    }
    Ok(n)
}

/// Lowercase ASCII words joined by `-`, at most `max` bytes: safe in any file system.
fn slug(text: &str, max: usize) -> String {
    let mut s = String::new();
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            s.push(ch.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
        if s.len() >= max {
            break;
        }
    }
    s.trim_end_matches('-').to_string()
}

/// The chapters file name of an episode: `podcast-number-title.chapters.json`.
pub fn file_name(ep: &Episode) -> String {
    let mut parts = Vec::new();
    if let Some(p) = ep
        .podcast
        .as_deref()
        .map(|p| slug(p, 40))
        .filter(|p| !p.is_empty())
    {
        parts.push(p);
    }
    if let Some(n) = ep.number {
        parts.push(n.to_string());
    }
    let title = slug(&ep.title, 60);
    if !title.is_empty() {
        parts.push(title);
    }
    if parts.is_empty() {
        parts.push(format!(
            "episode-{:016x}",
            xxhash_rust::xxh3::xxh3_64(ep.key().as_bytes())
        ));
    }
    format!("{}{}", parts.join("-"), chapters_json::SUFFIX)
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let write = |p: &Path| -> std::io::Result<()> {
        let mut f = std::fs::File::create(p)?;
        f.write_all(bytes)?;
        f.sync_all()
    };
    if let Err(source) = write(&tmp) {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::Write { path: tmp, source });
    }
    std::fs::rename(&tmp, path).map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}

fn create_dir(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::BadOption(format!(
            "--out {}: it is a file, not a folder",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// Writes the episodes into `dir` in `format`, creating the folder when needed.
pub fn export(eps: &[Episode], format: Format, dir: &Path) -> Result<ExportSummary> {
    create_dir(dir)?;
    let mut summary = ExportSummary {
        format: format.name(),
        out: dir.display().to_string(),
        ..ExportSummary::default()
    };
    match format {
        Format::Chapters => {
            let mut used = HashSet::new();
            for ep in eps {
                if ep.chapters.is_empty() {
                    summary.skipped.push(ep.label());
                    continue;
                }
                let name = unique(file_name(ep), &mut used);
                let path = dir.join(&name);
                write_atomic(
                    &path,
                    format!("{}\n", chapters_json::to_json(ep)).as_bytes(),
                )?;
                summary.files.push(path.display().to_string());
                summary.episodes += 1;
                summary.chapters += ep.chapters.len();
            }
        }
        Format::Ndjson => {
            let path: PathBuf = dir.join(NDJSON_FILE);
            let mut buf = Vec::new();
            write_ndjson(&mut buf, eps).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
            write_atomic(&path, &buf)?;
            summary.files.push(path.display().to_string());
            summary.episodes = eps.len();
            summary.chapters = eps.iter().map(|e| e.chapters.len()).sum();
        }
    }
    Ok(summary)
}

/// `name`, or `name` with `-2`, `-3`... before its suffix when already taken.
fn unique(name: String, used: &mut HashSet<String>) -> String {
    if used.insert(name.clone()) {
        return name;
    }
    let stem = name.trim_end_matches(chapters_json::SUFFIX);
    (2..)
        .map(|i| format!("{stem}-{i}{}", chapters_json::SUFFIX))
        .find(|n| used.insert(n.clone()))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Chapter;

    fn ep(number: Option<u32>, title: &str, chapters: usize) -> Episode {
        Episode {
            podcast: Some("The Allotment Hour".into()),
            number,
            title: title.into(),
            date: None,
            duration_seconds: Some(600),
            description: "About soil.".into(),
            source: "a.txt:1".into(),
            chapters: (0..chapters as u64)
                .map(|i| Chapter {
                    start_seconds: i * 60,
                    end_seconds: Some(i * 60 + 60),
                    title: format!("Part {i}"),
                    section: None,
                })
                .collect(),
            media_url: Some("https://cdn.example/a.mp3".into()),
            link: None,
            guid: None,
        }
    }

    #[test]
    fn names_are_slugs_and_unique() {
        assert_eq!(
            file_name(&ep(Some(7), "Pruning Roses: a how-to!", 1)),
            "the-allotment-hour-7-pruning-roses-a-how-to.chapters.json"
        );
        let dir = tempfile::tempdir().expect("tmp");
        let eps = [
            ep(Some(5), "Part", 2),
            ep(Some(5), "Part", 1),
            ep(None, "Empty", 0),
        ];
        let s = export(&eps, Format::Chapters, dir.path()).expect("export");
        assert_eq!(s.files.len(), 2);
        assert!(s.files[1].ends_with("the-allotment-hour-5-part-2.chapters.json"));
        assert_eq!(s.skipped, ["The Allotment Hour Empty"]);
        assert_eq!(s.chapters, 3);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn ndjson_has_one_line_per_chapter_and_one_per_bare_episode() {
        let mut out = Vec::new();
        let n = write_ndjson(&mut out, &[ep(Some(1), "A", 2), ep(Some(2), "B", 0)]).expect("write");
        assert_eq!(n, 3);
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .expect("utf-8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect();
        assert_eq!(lines[1]["chapter_title"], "Part 1");
        assert_eq!(lines[1]["start"], "00:01:00");
        assert_eq!(lines[1]["link"], "https://cdn.example/a.mp3#t=60");
        assert_eq!(lines[2]["kind"], "episode");
        assert_eq!(lines[2]["chapter_title"], serde_json::Value::Null);
    }
}
