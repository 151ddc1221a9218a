//! Followed sources: feeds (and local files or folders) remembered in the index folder, read
//! again by `update`, each one's episodes identified with it so `remove` and `--prune` can find
//! them. The sources file is written atomically while the index's writer lock is held, so it
//! and the index always agree about what was read last.

use crate::chapters_json;
use crate::error::{Error, Result};
use crate::feed;
use crate::fetch::{FetchOptions, Fetched, Fetcher, Validators, is_http_url, resolve};
use crate::index::{Change, ChangeKind, IndexOptions, Vanished, Writer, belongs_to};
use crate::load::{self, LoadOptions, Loaded, SourceFile};
use crate::model::Warning;
use crate::notes::ParseOptions;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The sources file's name inside the index folder.
pub const FILE: &str = "sources.json";

/// One followed source as the sources file keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The name it is known by (`update NAME`, `remove NAME`).
    pub name: String,
    /// The feed URL, or the canonical path of a local file or folder.
    pub source: String,
    /// The `ETag` of the last full response.
    #[serde(default)]
    pub etag: Option<String>,
    /// The `Last-Modified` of the last full response.
    #[serde(default)]
    pub last_modified: Option<String>,
    /// When it was last read (or found unchanged) without error, RFC 3339 UTC.
    #[serde(default)]
    pub last_update: Option<String>,
    /// Its episodes in the index after the last run.
    #[serde(default)]
    pub episodes: usize,
    /// The last run's error, if it failed.
    #[serde(default)]
    pub last_error: Option<String>,
    /// Chapters-file URLs read into its episodes: not fetched again while their episode stays.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chapters: Vec<String>,
}

/// The sources file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourcesFile {
    /// The followed sources, in the order they were added.
    pub sources: Vec<Source>,
}

impl SourcesFile {
    fn find(&self, name: &str) -> Option<usize> {
        self.sources
            .iter()
            .position(|s| s.name.eq_ignore_ascii_case(name))
    }
}

/// The sources file of the index at `dir` (empty when there is none).
pub fn read(dir: &Path) -> Result<SourcesFile> {
    let path = dir.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(SourcesFile::default()),
        Err(source) => return Err(Error::Read { path, source }),
    };
    serde_json::from_str(&text).map_err(|e| Error::BadInput {
        path,
        message: format!("not a podseek sources file: {e}"),
    })
}

/// Writes the sources file atomically: a temp file in the same folder, synced, renamed over.
pub fn write(dir: &Path, file: &SourcesFile) -> Result<()> {
    let path = dir.join(FILE);
    let tmp = dir.join(format!(".{FILE}.tmp"));
    let err = |source: std::io::Error| Error::Write {
        path: path.clone(),
        source,
    };
    let mut text = serde_json::to_string_pretty(file).unwrap_or_default();
    text.push('\n');
    let mut f = std::fs::File::create(&tmp).map_err(err)?;
    f.write_all(text.as_bytes()).map_err(err)?;
    f.sync_all().map_err(err)?;
    drop(f);
    std::fs::rename(&tmp, &path).map_err(err)?;
    // The rename itself is durable once the folder is synced (not possible on every platform).
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// How `add` and `update` run.
#[derive(Debug, Clone, Default)]
pub struct FollowOptions {
    /// HTTP limits.
    pub fetch: FetchOptions,
    /// Remove episodes that left a source.
    pub prune: bool,
    /// How long to wait for another process's writer lock.
    pub wait: Option<std::time::Duration>,
}

/// How a source fared in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Something was added, updated or removed.
    Updated,
    /// Nothing changed (or the server said 304).
    Unchanged,
    /// It could not be read; the others still were.
    Error,
}

/// What one source's run did (`update --json`'s entries).
#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    /// The source's name.
    pub name: String,
    /// How it fared.
    pub status: Status,
    /// Episodes new to the index.
    pub added: usize,
    /// Episodes whose content changed.
    pub updated: usize,
    /// Episodes removed (only with `--prune`).
    pub removed: usize,
    /// Why it failed.
    pub error: Option<String>,
    /// Its URL or path.
    #[serde(skip)]
    pub source: String,
    /// The server answered 304 Not Modified.
    #[serde(skip)]
    pub not_modified: bool,
    /// The episodes added, updated or removed.
    #[serde(skip)]
    pub changes: Vec<Change>,
    /// Problems in what was read.
    #[serde(skip)]
    pub warnings: Vec<Warning>,
    /// Its episodes in the index after the run.
    #[serde(skip)]
    pub episodes: usize,
}

/// What a whole `update` did.
#[derive(Debug, Clone, Serialize)]
pub struct UpdateReport {
    /// One entry per source read, in the sources file's order.
    pub sources: Vec<SourceReport>,
}

impl UpdateReport {
    /// Whether any source failed.
    pub fn failed(&self) -> bool {
        self.sources.iter().any(|s| s.status == Status::Error)
    }
}

/// A source as `sources --json` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRow {
    /// Its name.
    pub name: String,
    /// Its URL or path.
    pub source: String,
    /// Its episodes in the index.
    pub episodes: usize,
    /// When it was last read without error.
    pub last_update: Option<String>,
    /// The last run's error.
    pub last_error: Option<String>,
}

/// `sources --json`.
#[derive(Debug, Clone, Serialize)]
pub struct SourceList {
    /// The followed sources.
    pub sources: Vec<SourceRow>,
}

/// The followed sources of the index at `dir`.
pub fn list(dir: &Path) -> Result<SourceList> {
    let file = read(dir)?;
    Ok(SourceList {
        sources: file
            .sources
            .into_iter()
            .map(|s| SourceRow {
                name: s.name,
                source: s.source,
                episodes: s.episodes,
                last_update: s.last_update,
                last_error: s.last_error,
            })
            .collect(),
    })
}

/// What reading a source gave.
enum Read {
    /// 304: as it was.
    NotModified,
    /// Parsed files (one for a feed), with the response's validators.
    Fresh {
        loaded: Loaded,
        validators: Validators,
        chapters: Vec<String>,
        title: Option<String>,
    },
}

/// Reads one source: a conditional GET for a URL (unless `force`), a load for a local path.
fn read_source(
    src: &Source,
    fetcher: &Fetcher,
    writer: &Writer,
    force: bool,
) -> std::result::Result<Read, String> {
    if !is_http_url(&src.source) {
        let loaded = load::load(&[PathBuf::from(&src.source)], &LoadOptions::default())
            .map_err(|e| e.to_string())?;
        return Ok(Read::Fresh {
            loaded,
            validators: Validators::default(),
            chapters: vec![],
            title: None,
        });
    }
    let url = &src.source;
    let validators = Validators {
        etag: src.etag.clone(),
        last_modified: src.last_modified.clone(),
    };
    let conditional = !force && (validators.etag.is_some() || validators.last_modified.is_some());
    let (bytes, validators) = match fetcher
        .get(url, conditional.then_some(&validators))
        .map_err(|e| e.message)?
    {
        Fetched::NotModified => return Ok(Read::NotModified),
        Fetched::Body { bytes, validators } => (bytes, validators),
    };
    let text = load::decode(Path::new(url), bytes).map_err(|e| match e {
        Error::BadInput { message, .. } => message,
        other => other.to_string(),
    })?;
    let mut parsed =
        feed::parse(&text, url, &ParseOptions::default()).map_err(|e| e.to_string())?;
    let mut warnings = Vec::new();
    let mut chapters = Vec::new();
    let mut chapters_failed = false;
    for item in &mut parsed.items {
        let Some(reference) = item.chapters_url.as_deref() else {
            continue;
        };
        let chapters_url = resolve(url, reference);
        // A chapters file already read into this episode is not fetched again.
        if src.chapters.contains(&chapters_url)
            && let Ok(Some(old)) = writer.episode(&item.episode.key())
        {
            item.episode.chapters = old.chapters;
            chapters.push(chapters_url);
            continue;
        }
        let read = fetcher
            .get(&chapters_url, None)
            .map_err(|e| e.message)
            .and_then(|f| match f {
                Fetched::Body { bytes, .. } => String::from_utf8(bytes)
                    .map_err(|_| "not UTF-8".to_string())
                    .and_then(|t| chapters_json::parse(&t, &chapters_url).map_err(|e| e.message)),
                Fetched::NotModified => Err("unexpected 304".into()),
            });
        match read {
            Ok(file) => {
                warnings.extend(feed::apply_chapters(&mut item.episode, file, &chapters_url));
                chapters.push(chapters_url);
            }
            Err(e) => {
                chapters_failed = true;
                warnings.push(Warning {
                    source: item.episode.source.clone(),
                    message: format!(
                        "chapters file {chapters_url} not used ({e}); kept the description's chapters"
                    ),
                });
            }
        }
    }
    // Forget the validators so the next update fetches the feed again and retries the file.
    let validators = if chapters_failed {
        Validators::default()
    } else {
        validators
    };
    let title = parsed.title.clone();
    let mut output = parsed.into_output();
    output.warnings.extend(warnings);
    if output.episodes.is_empty() {
        output.warnings.push(Warning {
            source: url.clone(),
            message: "the feed has no items".into(),
        });
    }
    Ok(Read::Fresh {
        loaded: Loaded {
            files: vec![SourceFile {
                display: url.clone(),
                id: url.clone(),
                output,
                ..SourceFile::default()
            }],
            ..Loaded::default()
        },
        validators,
        chapters,
        title,
    })
}

/// The current time as RFC 3339 UTC, to the second.
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        (rest / 60) % 60,
        rest % 60
    )
}

/// The canonical form of a SOURCE argument: a URL as given, a path made canonical.
fn canonical_source(source: &str) -> Result<String> {
    if is_http_url(source) {
        return Ok(source.trim().to_string());
    }
    if source.contains("://") {
        return Err(Error::BadOption(format!(
            "cannot follow {source:?}: only http:// and https:// URLs and local files or folders"
        )));
    }
    let path = Path::new(source);
    std::fs::canonicalize(path)
        .map(|p| p.to_string_lossy().into_owned())
        .map_err(|e| Error::Read {
            path: path.to_path_buf(),
            source: e,
        })
}

/// Runs the sources at `which` (indexes into `file.sources`) with the writer lock held:
/// one commit for all, then the sources file, then the lock is released.
fn run(
    dir: &Path,
    file: &mut SourcesFile,
    which: &[usize],
    opts: &FollowOptions,
    mut writer: Writer,
) -> Result<Vec<SourceReport>> {
    let fetcher = Fetcher::new(opts.fetch.clone());
    let before = writer.files()?;
    let count = |files: &HashMap<String, usize>, id: &str| -> usize {
        files
            .iter()
            .filter(|(f, _)| belongs_to(f, id))
            .map(|(_, n)| n)
            .sum()
    };
    let mut combined = Loaded::default();
    let mut reports = Vec::new();
    let mut pruned = Vec::new();
    let mut fresh: Vec<Option<(Validators, Vec<String>)>> = Vec::new();
    for &i in which {
        let src = &file.sources[i];
        // Pruning needs the feed itself, not a 304; and an index rebuilt since the last run
        // lost this source's episodes: fetch in full.
        let force = opts.prune || (src.episodes > 0 && count(&before, &src.source) == 0);
        let mut report = SourceReport {
            name: src.name.clone(),
            status: Status::Unchanged,
            added: 0,
            updated: 0,
            removed: 0,
            error: None,
            source: src.source.clone(),
            not_modified: false,
            changes: vec![],
            warnings: vec![],
            episodes: 0,
        };
        match read_source(src, &fetcher, &writer, force) {
            Ok(Read::NotModified) => {
                report.not_modified = true;
                fresh.push(None);
            }
            Ok(Read::Fresh {
                loaded,
                validators,
                chapters,
                ..
            }) => {
                report.warnings = loaded.output_warnings();
                combined.files.extend(loaded.files);
                combined.warnings.extend(loaded.warnings);
                combined.synonyms.extend(loaded.synonyms);
                pruned.push(src.source.clone());
                fresh.push(Some((validators, chapters)));
            }
            Err(e) => {
                report.status = Status::Error;
                report.error = Some(e);
                fresh.push(None);
            }
        }
        reports.push(report);
    }
    let vanished = if opts.prune {
        Vanished::Under(pruned)
    } else {
        Vanished::Keep
    };
    let (_, changes) = writer.commit(&mut combined, &vanished, &mut |_, _| {})?;
    let after = writer.files()?;
    let now = now_rfc3339();
    for ((&i, report), fresh) in which.iter().zip(&mut reports).zip(fresh) {
        let src = &mut file.sources[i];
        for c in changes.iter().filter(|c| belongs_to(&c.file, &src.source)) {
            match c.kind {
                ChangeKind::Added => report.added += 1,
                ChangeKind::Updated => report.updated += 1,
                ChangeKind::Removed => report.removed += 1,
            }
            report.changes.push(c.clone());
        }
        report.episodes = count(&after, &src.source);
        src.episodes = report.episodes;
        if let Some(e) = &report.error {
            src.last_error = Some(e.clone());
            continue;
        }
        if report.added + report.updated + report.removed > 0 {
            report.status = Status::Updated;
        }
        if let Some((validators, chapters)) = fresh {
            src.etag = validators.etag;
            src.last_modified = validators.last_modified;
            src.chapters = chapters;
        }
        src.last_update = Some(now.clone());
        src.last_error = None;
    }
    write(dir, file)?;
    writer.finish()?;
    Ok(reports)
}

fn writer(dir: &Path, opts: &FollowOptions) -> Result<Writer> {
    Writer::open(
        dir,
        &IndexOptions {
            wait: opts.wait,
            ..IndexOptions::default()
        },
    )
}

/// `add`: reads SOURCE at once, indexes it and remembers it; nothing is remembered when it
/// cannot be read.
pub fn add(
    dir: &Path,
    source: &str,
    name: Option<&str>,
    opts: &FollowOptions,
) -> Result<SourceReport> {
    let canonical = canonical_source(source)?;
    if let Some(n) = name
        && n.trim().is_empty()
    {
        return Err(Error::BadOption("--name must not be empty".into()));
    }
    let writer = writer(dir, opts)?;
    let mut file = read(dir)?;
    if let Some(s) = file.sources.iter().find(|s| s.source == canonical) {
        return Err(Error::BadOption(format!(
            "{source} is already followed as {:?}; `podseek update {}` reads it again",
            s.name, s.name
        )));
    }
    // Read it first: the name may come from the feed, and a source that cannot be read is
    // not remembered.
    let fetcher = Fetcher::new(opts.fetch.clone());
    let probe = Source {
        source: canonical.clone(),
        ..Source::default()
    };
    let read = read_source(&probe, &fetcher, &writer, true)
        .map_err(|e| Error::Source(format!("cannot add {source}: {e}")))?;
    let Read::Fresh {
        loaded,
        validators,
        chapters,
        title,
    } = read
    else {
        return Err(Error::Source(format!(
            "cannot add {source}: the server answered 304 to an unconditional request"
        )));
    };
    let default_name = || {
        title
            .clone()
            .or_else(|| {
                loaded
                    .files
                    .iter()
                    .flat_map(|f| &f.output.episodes)
                    .find_map(|e| e.podcast.clone())
            })
            .or_else(|| {
                Path::new(&canonical)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| canonical.clone())
    };
    let name = name.map_or_else(default_name, |n| n.trim().to_string());
    if let Some(i) = file.find(&name) {
        return Err(Error::BadOption(format!(
            "a source named {:?} is already followed ({}); choose another with --name",
            file.sources[i].name, file.sources[i].source
        )));
    }
    file.sources.push(Source {
        name,
        source: canonical,
        ..Source::default()
    });
    let i = file.sources.len() - 1;
    let mut writer = writer;
    let report = add_commit(dir, &mut file, i, loaded, validators, chapters, &mut writer)?;
    writer.finish()?;
    Ok(report)
}

/// Indexes what `add` read and writes the sources file.
fn add_commit(
    dir: &Path,
    file: &mut SourcesFile,
    i: usize,
    mut loaded: Loaded,
    validators: Validators,
    chapters: Vec<String>,
    writer: &mut Writer,
) -> Result<SourceReport> {
    let warnings = loaded.output_warnings();
    let (_, changes) = writer.commit(&mut loaded, &Vanished::Keep, &mut |_, _| {})?;
    let files = writer.files()?;
    let src = &mut file.sources[i];
    let changes: Vec<Change> = changes
        .into_iter()
        .filter(|c| belongs_to(&c.file, &src.source))
        .collect();
    let count_of = |k: ChangeKind| changes.iter().filter(|c| c.kind == k).count();
    src.episodes = files
        .iter()
        .filter(|(f, _)| belongs_to(f, &src.source))
        .map(|(_, n)| n)
        .sum();
    src.etag = validators.etag;
    src.last_modified = validators.last_modified;
    src.chapters = chapters;
    src.last_update = Some(now_rfc3339());
    let report = SourceReport {
        name: src.name.clone(),
        status: if changes.is_empty() {
            Status::Unchanged
        } else {
            Status::Updated
        },
        added: count_of(ChangeKind::Added),
        updated: count_of(ChangeKind::Updated),
        removed: 0,
        error: None,
        source: src.source.clone(),
        not_modified: false,
        changes,
        warnings,
        episodes: src.episodes,
    };
    write(dir, file)?;
    Ok(report)
}

/// `update [NAME...]`: reads the named sources (all without names) in one commit; a source that
/// fails is reported and the others still update.
pub fn update(dir: &Path, names: &[String], opts: &FollowOptions) -> Result<UpdateReport> {
    let writer = writer(dir, opts)?;
    let mut file = read(dir)?;
    if file.sources.is_empty() {
        return Err(Error::BadOption(
            "no followed sources; add one with `podseek add URL`".into(),
        ));
    }
    let mut which = Vec::new();
    for n in names {
        match file.find(n) {
            Some(i) if !which.contains(&i) => which.push(i),
            Some(_) => {}
            None => return Err(unknown(n, &file)),
        }
    }
    if which.is_empty() {
        which = (0..file.sources.len()).collect();
    }
    let sources = run(dir, &mut file, &which, opts, writer)?;
    Ok(UpdateReport { sources })
}

fn unknown(name: &str, file: &SourcesFile) -> Error {
    let names: Vec<&str> = file.sources.iter().map(|s| s.name.as_str()).collect();
    Error::BadOption(format!(
        "no followed source named {name:?}; followed: {}",
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    ))
}

/// `remove NAME`: forgets a source and removes its episodes (one commit); returns how many.
pub fn remove(dir: &Path, name: &str, opts: &FollowOptions) -> Result<(String, usize)> {
    let mut writer = writer(dir, opts)?;
    let mut file = read(dir)?;
    let i = file.find(name).ok_or_else(|| unknown(name, &file))?;
    let src = file.sources.remove(i);
    let (summary, _) = writer.commit(
        &mut Loaded::default(),
        &Vanished::Under(vec![src.source.clone()]),
        &mut |_, _| {},
    )?;
    write(dir, &file)?;
    writer.finish()?;
    Ok((src.name, summary.removed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_shape() {
        let t = now_rfc3339();
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
        assert!(t.as_str() > "2024-01-01T00:00:00Z", "{t}");
    }

    #[test]
    fn sources_file_round_trips_atomically() {
        let dir = tempfile::tempdir().expect("tmp");
        assert_eq!(read(dir.path()).expect("empty"), SourcesFile::default());
        let file = SourcesFile {
            sources: vec![Source {
                name: "a".into(),
                source: "https://x.org/f.xml".into(),
                etag: Some("\"1\"".into()),
                ..Source::default()
            }],
        };
        write(dir.path(), &file).expect("write");
        assert_eq!(read(dir.path()).expect("read"), file);
        assert!(!dir.path().join(".sources.json.tmp").exists());
        std::fs::write(dir.path().join(FILE), "{").expect("write");
        let e = read(dir.path()).expect_err("bad file");
        assert!(e.to_string().contains("sources.json"), "{e}");
    }
}
