//! Files and folders → parsed episodes: walks paths, reads text safely, applies `podcast.toml`,
//! and sends each file to its reader: show notes (text, Markdown, HTML), an RSS feed, or a
//! Podcasting 2.0 chapters file.

use crate::chapters_json;
use crate::episode_list;
use crate::error::{Error, Result};
use crate::feed;
use crate::model::{Episode, Warning};
use crate::notes::{self, ParseOptions, ParseOutput};
use crate::search::synonyms::SynonymsSetting;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// File endings podseek reads when it walks a folder (plus `*.chapters.json`, and other `.json`
/// files that are chapters files or episode lists).
pub const EXTENSIONS: &[&str] = &[
    "txt", "md", "markdown", "text", "notes", "html", "htm", "xml", "rss",
];

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Show notes: plain text or Markdown (HTML when it looks like HTML).
    Notes,
    /// Show notes in an `.html` file.
    Html,
    /// An RSS 2.0 feed.
    Feed,
    /// A Podcasting 2.0 chapters file.
    Chapters,
}

impl Kind {
    /// The reader for a file, from its name and, for text files, its first bytes.
    pub fn of(path: &Path, text: &str) -> Kind {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "json" => Kind::Chapters,
            "xml" | "rss" => Kind::Feed,
            "html" | "htm" => Kind::Html,
            _ if feed::looks_like_feed(text) => Kind::Feed,
            _ => Kind::Notes,
        }
    }
}

/// The name of the per-folder settings file.
pub const PODCAST_TOML: &str = "podcast.toml";

/// One input file, parsed.
#[derive(Debug, Clone, Default)]
pub struct SourceFile {
    /// The path as the user wrote it (or a virtual name for bundled notes).
    pub display: String,
    /// A stable identity for the file: its canonical path.
    pub id: String,
    /// What parsing it gave.
    pub output: ParseOutput,
    /// Hash of the file's bytes and the settings it was read with ([`file_hash`]); 0: none.
    pub hash: u64,
    /// Its hash is the one the index holds: not parsed (empty `output`), its episodes stay.
    pub unchanged: bool,
}

/// The hash that tells whether a file must be parsed again: its bytes, the settings it is read
/// with, and the parser's version (a new parser may read the same bytes differently).
pub fn file_hash(bytes: &[u8], opts: &ParseOptions) -> u64 {
    let settings = format!(
        "{:?}\u{1f}{:?}\u{1f}{}\u{1f}{}\u{1f}{PARSE_REVISION}",
        opts.podcast,
        opts.link,
        env!("CARGO_PKG_VERSION"),
        crate::index::SCHEMA_VERSION
    );
    let seed = xxhash_rust::xxh3::xxh3_64(settings.as_bytes());
    // 0 means "no hash" in the index.
    xxhash_rust::xxh3::xxh3_64_with_seed(bytes, seed).max(1)
}

/// Raised whenever the same file parses into different episodes (2: one-episode files are
/// numbered by their names; 3: `Episode 26.1: Title` is part of 26 titled `Title`, and a JSON
/// episode list is read), so an index re-reads its files once instead of keeping what an older
/// parser made of them.
const PARSE_REVISION: u32 = 3;

/// Settings for reading inputs.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// A podcast name for every episode, overriding `podcast.toml` and headers.
    pub podcast: Option<String>,
    /// Skip unreadable files instead of failing the whole load.
    pub keep_going: bool,
    /// Hashes of files as last indexed (file id → [`file_hash`]): a file whose hash matches
    /// is not parsed again but marked `unchanged`. Feeds are always read (they pull in other files).
    pub known: std::collections::HashMap<String, u64>,
}

/// Everything read from a set of paths.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The files that were read, in a stable order.
    pub files: Vec<SourceFile>,
    /// Files that could not be read (only with `keep_going`).
    pub skipped: Vec<Error>,
    /// Warnings about the set as a whole (a folder with no show notes).
    pub warnings: Vec<Warning>,
    /// Synonym groups of each `podcast.toml` read, by its path (empty: it has none).
    pub synonyms: BTreeMap<String, Vec<String>>,
}

impl Loaded {
    /// Every episode parsed, file by file.
    pub fn episodes(&self) -> impl Iterator<Item = &Episode> {
        self.files.iter().flat_map(|f| &f.output.episodes)
    }

    /// Every warning: the set's own, then each file's.
    pub fn output_warnings(&self) -> Vec<Warning> {
        let mut out = self.warnings.clone();
        for f in &self.files {
            out.extend(f.output.warnings.iter().cloned());
        }
        out
    }

    /// Every episode and warning of every file, in order.
    pub fn output(&self) -> ParseOutput {
        let mut out = ParseOutput::default();
        out.warnings.extend(self.warnings.iter().cloned());
        for f in &self.files {
            out.extend(f.output.clone());
        }
        out
    }
}

/// `podcast.toml`: settings for the show notes in a folder and below it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodcastToml {
    /// The podcast's name.
    pub name: Option<String>,
    /// A link template with `{number}`, `{seconds}`, `{hms}`.
    pub link: Option<String>,
    /// Synonym groups for searches: a list of lines (`"gc, garbage collection"`) or a file.
    pub synonyms: Option<SynonymsSetting>,
}

fn read_podcast_toml(dir: &Path) -> Result<Option<PodcastToml>> {
    let path = dir.join(PODCAST_TOML);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::Read { path, source }),
    };
    toml::from_str(&text)
        .map(Some)
        .map_err(|e| Error::BadInput {
            path,
            message: e.to_string().trim().replace('\n', " "),
        })
}

/// The nearest `podcast.toml` at or above `dir`, stopping after `stop` (inclusive) when given,
/// with its path.
fn podcast_settings(dir: &Path, stop: Option<&Path>) -> Result<(PodcastToml, Option<PathBuf>)> {
    let mut d = Some(dir);
    while let Some(here) = d {
        if let Some(t) = read_podcast_toml(here)? {
            return Ok((t, Some(here.join(PODCAST_TOML))));
        }
        if stop.is_some_and(|s| s == here) {
            break;
        }
        d = here.parent().filter(|p| !p.as_os_str().is_empty());
        if stop.is_none() {
            break;
        }
    }
    Ok((PodcastToml::default(), None))
}

/// Reads a file as UTF-8 text, refusing binary files and naming the first bad byte.
pub fn read_text(path: &Path) -> Result<String> {
    decode(path, read_bytes(path)?)
}

/// Reads a regular file's bytes.
fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.is_file() {
        return Err(Error::BadInput {
            path: path.to_path_buf(),
            message: "not a regular file".into(),
        });
    }
    std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Bytes → text, with the errors `read_text` gives.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String> {
    if let Some(pos) = memchr::memchr(0, &bytes) {
        return Err(Error::BadInput {
            path: path.to_path_buf(),
            message: format!("binary file (NUL byte at offset {pos}); expected UTF-8 show notes"),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let byte = e.as_bytes()[at];
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::BadInput {
            path: path.to_path_buf(),
            message: format!(
                "not UTF-8: invalid byte 0x{byte:02x} at offset {at} (line {line}); convert the file to UTF-8"
            ),
        }
    })
}

fn canonical(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// Parses one file with the given settings, with the reader its kind calls for.
pub fn parse_file(path: &Path, display: &str, opts: &ParseOptions) -> Result<SourceFile> {
    parse_file_using(path, display, opts).map(|(f, _)| f)
}

/// [`parse_file`], plus the local chapters files a feed pointed at (canonical paths): they
/// are part of this file, not episodes of their own.
fn parse_file_using(
    path: &Path,
    display: &str,
    opts: &ParseOptions,
) -> Result<(SourceFile, Vec<String>)> {
    parse_text_using(path, display, read_text(path)?, opts)
}

/// [`parse_file_using`] on text already read.
fn parse_text_using(
    path: &Path,
    display: &str,
    text: String,
    opts: &ParseOptions,
) -> Result<(SourceFile, Vec<String>)> {
    let bad = |message: String| Error::BadInput {
        path: path.to_path_buf(),
        message,
    };
    let mut uses = Vec::new();
    let id = canonical(path);
    let named = ParseOptions {
        file_stem: path.file_stem().map(|s| s.to_string_lossy().into_owned()),
        file_id: Some(id.clone()),
        ..opts.clone()
    };
    let mut output = match Kind::of(path, &text) {
        Kind::Notes => notes::parse_str(&text, display, &named),
        Kind::Html => notes::parse_str(
            &text,
            display,
            &ParseOptions {
                html: true,
                ..named
            },
        ),
        // A JSON episode list, or else a chapters file.
        Kind::Chapters if let Some(list) = episode_list::parse(&text, display, opts) => list,
        Kind::Chapters => {
            let file = chapters_json::parse(&text, display).map_err(|e| bad(e.message))?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let stem = name.as_deref().map_or("episode", |n| {
                n.strip_suffix(chapters_json::SUFFIX)
                    .or_else(|| n.strip_suffix(".json"))
                    .unwrap_or(n)
            });
            let (ep, warnings) = chapters_json::to_episode(
                file,
                display,
                stem,
                opts.podcast.clone(),
                opts.link.clone(),
            );
            ParseOutput {
                episodes: vec![ep],
                warnings,
            }
        }
        Kind::Feed => {
            let mut f = feed::parse(&text, display, opts).map_err(|e| bad(e.to_string()))?;
            let dir = path.parent().unwrap_or(Path::new(""));
            let mut warnings = Vec::new();
            for item in &mut f.items {
                let Some(url) = item
                    .chapters_url
                    .as_deref()
                    .filter(|u| feed::is_local_ref(u))
                else {
                    continue;
                };
                let chapters_path = dir.join(url);
                let shown = Path::new(display)
                    .parent()
                    .unwrap_or(Path::new(""))
                    .join(url)
                    .display()
                    .to_string();
                let read = read_text(&chapters_path).and_then(|t| {
                    chapters_json::parse(&t, &shown).map_err(|e| Error::BadInput {
                        path: chapters_path.clone(),
                        message: e.message,
                    })
                });
                match read {
                    Ok(file) => {
                        uses.push(canonical(&chapters_path));
                        warnings.extend(feed::apply_chapters(&mut item.episode, file, &shown));
                    }
                    Err(e) => warnings.push(Warning {
                        source: item.episode.source.clone(),
                        message: format!(
                            "chapters file {url:?} not used ({e}); kept the chapters of the description"
                        ),
                    }),
                }
            }
            let mut out = f.into_output();
            out.warnings.extend(warnings);
            out
        }
    };
    if output.episodes.is_empty() && text.trim().is_empty() {
        output.warnings.push(Warning {
            source: display.to_string(),
            message: "the file is empty".into(),
        });
    }
    let file = SourceFile {
        display: display.to_string(),
        id,
        output,
        ..SourceFile::default()
    };
    Ok((file, uses))
}

/// A parsed file and the local chapters files it used (canonical paths).
type Parsed = (SourceFile, Vec<String>);

/// What reading one file gave.
enum Read {
    /// The file, parsed (or known unchanged).
    File(Parsed),
    /// A `.json` file a walk found that is none of podseek's formats; a warning when it looks
    /// like a broken one of them ([`broken_show_json`]).
    Other(Option<Warning>),
}

/// Reads, hashes and (unless its hash is known) parses one file; a `.json` file a walk found
/// (`sniff`) is parsed only when it is one of podseek's formats.
fn read_and_parse(
    path: &Path,
    popts: &ParseOptions,
    known: &HashMap<String, u64>,
    sniff: bool,
) -> Result<Read> {
    let bytes = read_bytes(path)?;
    let hash = file_hash(&bytes, popts);
    let text = decode(path, bytes)?;
    let display = path.display().to_string();
    if Kind::of(path, &text) != Kind::Feed {
        let id = canonical(path);
        if known.get(&id) == Some(&hash) {
            let file = SourceFile {
                display,
                id,
                hash,
                unchanged: true,
                ..SourceFile::default()
            };
            return Ok(Read::File((file, vec![])));
        }
    }
    if sniff {
        match json_kind(&text) {
            Json::Show => {}
            Json::Other => return Ok(Read::Other(None)),
            Json::Broken(err) => return Ok(Read::Other(broken_show_json(&display, &text, &err))),
        }
    }
    let (mut file, uses) = parse_text_using(path, &display, text, popts)?;
    file.hash = hash;
    Ok(Read::File((file, uses)))
}

/// A warning for a walked `.json` file that is not JSON at all (`err`) but names `"chapters"`
/// or `"episodes"`: most likely a chapters file or an episode list with a typo, which the walk
/// would otherwise pass over unseen. Text that names neither key (a `tsconfig.json` with
/// comments) gets none, nor does JSON that parses ([`Json::Other`], `package.json`).
fn broken_show_json(display: &str, text: &str, err: &serde_json::Error) -> Option<Warning> {
    let like = if text.contains("\"chapters\"") {
        "\"chapters\" as a chapters file does"
    } else if text.contains("\"episodes\"") {
        "\"episodes\" as an episode list does"
    } else {
        return None;
    };
    Some(Warning {
        source: format!("{display}:{}", err.line()),
        message: format!("passed over: invalid JSON ({err}), though it names {like}"),
    })
}

/// The same error again, for every file of a folder whose `podcast.toml` is bad.
fn clone_error(e: &Error) -> Error {
    match e {
        Error::BadInput { path, message } => Error::BadInput {
            path: path.clone(),
            message: message.clone(),
        },
        Error::Read { path, source } => Error::Read {
            path: path.clone(),
            source: std::io::Error::new(source.kind(), source.to_string()),
        },
        other => Error::BadInput {
            path: PathBuf::new(),
            message: other.to_string(),
        },
    }
}

fn has_notes_extension(path: &Path) -> bool {
    let chapters = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(chapters_json::SUFFIX));
    chapters
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A `.json` file not named as a chapters file: a folder walk reads it only when it is one of
/// podseek's JSON formats (see [`json_kind`]), since a folder of notes may hold other JSON.
fn is_other_json(path: &Path) -> bool {
    !has_notes_extension(path)
        && path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// What a walked `.json` file is, from one parse.
enum Json {
    /// An object with `chapters` or `episodes`: a chapters file or an episode list (malformed
    /// or not: that is for its reader to say).
    Show,
    /// Other JSON (`package.json`).
    Other,
    /// Not JSON at all.
    Broken(serde_json::Error),
}

fn json_kind(text: &str) -> Json {
    #[derive(serde::Deserialize)]
    struct Probe {
        chapters: Option<serde::de::IgnoredAny>,
        episodes: Option<serde::de::IgnoredAny>,
    }
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    match serde_json::from_str::<Probe>(body) {
        Ok(p) if p.chapters.is_some() || p.episodes.is_some() => Json::Show,
        // A syntax error or an early end; a data error is JSON of another shape (an array).
        Err(e) if e.is_syntax() || e.is_eof() => Json::Broken(e),
        _ => Json::Other,
    }
}

/// A repository's own documents (`README.md`, `LICENSE.txt`…): a folder walk skips them, as
/// a cloned repository of show notes has them beside the notes. Named on their own, they are read.
fn is_repository_document(path: &Path) -> bool {
    const NAMES: &[&str] = &[
        "README",
        "LICENSE",
        "LICENCE",
        "COPYING",
        "CHANGELOG",
        "CHANGES",
        "CONTRIBUTING",
        "CODE_OF_CONDUCT",
        "SECURITY",
        "AUTHORS",
    ];
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| NAMES.iter().any(|n| s.eq_ignore_ascii_case(n)))
}

/// Every show-notes file under the given paths: `(path, folder the walk started at)`.
fn collect(paths: &[PathBuf]) -> Result<Vec<(PathBuf, Option<PathBuf>)>> {
    let mut files = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| Error::Read {
            path: p.clone(),
            source,
        })?;
        if !meta.is_dir() {
            files.push((p.clone(), None));
            continue;
        }
        let walk = walkdir::WalkDir::new(p)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk {
            let entry = entry.map_err(|e| {
                let path = e.path().map_or_else(|| p.clone(), Path::to_path_buf);
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    e.to_string()
                };
                Error::BadInput { path, message }
            })?;
            if entry.file_type().is_file()
                && (has_notes_extension(entry.path()) || is_other_json(entry.path()))
                && !is_repository_document(entry.path())
            {
                files.push((entry.path().to_path_buf(), Some(p.clone())));
            }
        }
    }
    Ok(files)
}

/// Reads and parses every show-notes file under `paths`.
///
/// Without `keep_going`, the first unreadable file is the error; with it, unreadable files are
/// listed in `skipped` and the rest are returned.
pub fn load(paths: &[PathBuf], opts: &LoadOptions) -> Result<Loaded> {
    load_with(paths, opts, &mut |_, _| {})
}

/// [`load`], calling `progress` with (files parsed, files in all) as files are done.
///
/// Settings are resolved in order, then files are read, hashed and parsed in parallel, and the
/// results taken in order: the first failing file (in order) is the error, as before.
pub fn load_with(
    paths: &[PathBuf],
    opts: &LoadOptions,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Loaded> {
    use rayon::prelude::*;
    let mut loaded = Loaded::default();
    let mut used: HashSet<String> = HashSet::new();
    let files = collect(paths)?;
    let count = files.len();
    progress(0, count);
    // podcast.toml lookups, once per folder.
    type Settings = (PodcastToml, Option<PathBuf>);
    let mut by_dir: HashMap<(Option<PathBuf>, Option<PathBuf>), Result<Settings>> = HashMap::new();
    let mut jobs = Vec::with_capacity(files.len());
    for (path, root) in files {
        let sniff = root.is_some() && is_other_json(&path);
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf);
        let settings = by_dir
            .entry((dir.clone(), root.clone()))
            .or_insert_with(|| match &dir {
                Some(d) => podcast_settings(d, root.as_deref()),
                None => podcast_settings(Path::new("."), Some(Path::new("."))),
            });
        let popts = match settings {
            Ok((s, toml)) => {
                let mut synonyms = Ok(());
                if let Some(toml) = toml {
                    let id = std::fs::canonicalize(&*toml).unwrap_or_else(|_| toml.clone());
                    let id = id.display().to_string();
                    if let std::collections::btree_map::Entry::Vacant(slot) =
                        loaded.synonyms.entry(id)
                    {
                        match s
                            .synonyms
                            .as_ref()
                            .map_or(Ok(vec![]), |set| set.lines(toml))
                        {
                            Ok(lines) => {
                                slot.insert(lines);
                            }
                            Err(e) => synonyms = Err(e),
                        }
                    }
                }
                synonyms.map(|()| ParseOptions {
                    podcast: opts.podcast.clone().or_else(|| s.name.clone()),
                    link: s.link.clone(),
                    ..ParseOptions::default()
                })
            }
            Err(e) => Err(clone_error(e)),
        };
        jobs.push((path, popts, sniff));
    }
    let done = std::sync::atomic::AtomicUsize::new(0);
    let progress = std::sync::Mutex::new(progress);
    let one = |(path, popts, sniff): (PathBuf, Result<ParseOptions>, bool)| {
        let r = popts.and_then(|popts| read_and_parse(&path, &popts, &opts.known, sniff));
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if let Ok(mut p) = progress.lock() {
            p(n, count);
        }
        r
    };
    // A single file (adding one episode) is not worth starting a thread pool for.
    let results: Vec<Result<Read>> = if jobs.len() < 2 {
        jobs.into_iter().map(one).collect()
    } else {
        jobs.into_par_iter().map(one).collect()
    };
    for result in results {
        match result {
            // Other JSON a walk came across.
            Ok(Read::Other(warning)) => loaded.warnings.extend(warning),
            Ok(Read::File((f, uses))) => {
                used.extend(uses);
                let empty = f
                    .output
                    .warnings
                    .iter()
                    .any(|w| w.message == "the file is empty");
                if f.output.episodes.is_empty() && !empty && !f.unchanged {
                    loaded.warnings.push(Warning {
                        source: f.display.clone(),
                        message: "no episodes found in this file".into(),
                    });
                }
                loaded.files.push(f);
            }
            Err(e) if opts.keep_going => loaded.skipped.push(e),
            Err(e) => return Err(e),
        }
    }
    // A chapters file that a feed read as part of an item is not an episode of its own.
    loaded.files.retain(|f| !used.contains(&f.id));
    let found = |p: &PathBuf| {
        loaded
            .files
            .iter()
            .any(|f| Path::new(&f.display).starts_with(p))
    };
    let empty_dirs: Vec<&PathBuf> = paths.iter().filter(|p| p.is_dir() && !found(p)).collect();
    if loaded.files.is_empty() && loaded.skipped.is_empty() {
        // What was passed over as broken is the likeliest reason: say so in the error.
        let broken: String = loaded
            .warnings
            .iter()
            .map(|w| format!("; {}: {}", w.source, w.message))
            .collect();
        return Err(Error::BadInput {
            path: paths.first().cloned().unwrap_or_default(),
            message: format!(
                "no show notes found (podseek reads files ending in .{} and {}, and other .json \
                 files that are chapters files or episode lists){broken}",
                EXTENSIONS.join(", ."),
                chapters_json::SUFFIX
            ),
        });
    }
    for p in empty_dirs {
        loaded.warnings.push(Warning {
            source: p.display().to_string(),
            message: "no show notes found in this folder".into(),
        });
    }
    Ok(loaded)
}

/// The core.py seed show notes compiled into the binary.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "fixtures/000_b1a4522b4a17a99e.txt",
        include_str!("../fixtures/000_b1a4522b4a17a99e.txt"),
    ),
    (
        "fixtures/002_23fa507392eb8d30.txt",
        include_str!("../fixtures/002_23fa507392eb8d30.txt"),
    ),
];

/// The podcast name of the bundled show notes.
pub const BUNDLED_PODCAST: &str = "core.py";

/// The bundled core.py show notes, parsed.
pub fn bundled() -> Loaded {
    let opts = ParseOptions {
        podcast: Some(BUNDLED_PODCAST.into()),
        ..ParseOptions::default()
    };
    let files = BUNDLED
        .iter()
        .map(|(name, text)| SourceFile {
            display: name.to_string(),
            id: format!("bundled:{name}"),
            output: notes::parse_str(text, name, &opts),
            ..SourceFile::default()
        })
        .collect();
    Loaded {
        files,
        ..Loaded::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_broken_json_that_names_our_keys_is_warned_of() {
        assert!(matches!(json_kind(r#"{"chapters": 1}"#), Json::Show));
        assert!(matches!(
            json_kind("\u{feff}{\"episodes\": []}"),
            Json::Show
        ));
        assert!(
            matches!(json_kind(r#"[{"chapters": 1}]"#), Json::Other),
            "an array"
        );
        assert!(matches!(json_kind(r#"{"name": "x"}"#), Json::Other));
        let warn = |text: &str| match json_kind(text) {
            Json::Broken(e) => broken_show_json("x.json", text, &e).map(|w| (w.source, w.message)),
            Json::Show | Json::Other => None,
        };
        assert_eq!(
            warn("// tsconfig\n{\"compilerOptions\": {}}"),
            None,
            "names neither key"
        );
        assert_eq!(warn("{ not json"), None);
        let (at, message) = warn("{\"episodes\": [\n}").expect("a warning");
        assert_eq!(at, "x.json:2");
        assert!(message.contains("as an episode list does"), "{message}");
        let (at, message) = warn("\u{feff}{\"chapters\": [,]}").expect("a warning");
        assert_eq!(at, "x.json:1");
        assert!(message.contains("as a chapters file does"), "{message}");
        let (_, message) = warn("{\"chapters\": [").expect("an early end is broken too");
        assert!(message.contains("EOF"), "{message}");
    }
}
