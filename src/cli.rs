//! Command-line arguments (clap) and their conversion into the engine's plain options.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Offline full-text search over podcast chapters: find the episode, jump to the minute.
#[derive(Debug, Parser)]
#[command(name = "podseek", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 found / success, 1 nothing found, 2 error.\n\
Examples:\n  podseek search \"garbage collection\"\n  podseek search PyGC_Head --json\n  \
podseek at 21 00:10:00\n  podseek index ~/podcasts/notes"
)]
pub struct Cli {
    /// The index directory [default: ./index]
    #[arg(long, global = true, env = "PODSEEK_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// Print one JSON document on stdout instead of text
    #[arg(long, global = true)]
    pub json: bool,

    /// Print nothing on success but errors (and warnings with --json off)
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// When to colour output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset
    Auto,
    /// Always colour
    Always,
    /// Never colour
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse show notes and print episodes, chapters and warnings (touches no index)
    Parse(ParseArgs),
    /// Parse show notes and update the index: new and changed episodes only
    Index(IndexArgs),
    /// Search chapters and episodes; every hit carries the time to jump to
    Search(SearchArgs),
    /// An episode's table of contents: every chapter with its start and end
    Show(ShowArgs),
    /// The chapter playing at a time in an episode
    At(AtArgs),
    /// Every indexed episode, one line each
    Episodes,
    /// Write Podcasting 2.0 chapters files (or NDJSON) for indexed or given episodes
    Export(ExportArgs),
    /// Serve a search page and a JSON API over HTTP (loopback unless --addr says otherwise)
    Serve(ServeArgs),
    /// Follow a podcast: fetch a feed URL (or read a local file or folder), index it, remember it
    Add(AddArgs),
    /// Read every followed source again (or those named) and index what is new or changed
    Update(UpdateArgs),
    /// The followed sources, with their last update, episode count and last error
    Sources,
    /// Forget a followed source and remove its episodes from the index
    Remove(RemoveArgs),
}

/// HTTP limits shared by `add` and `update`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Give up on a request after SECONDS (connecting, redirects and body together)
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = parse_timeout)]
    pub timeout: f64,
    /// The largest feed or chapters file accepted: bytes, or a number with K, M or G
    #[arg(long, value_name = "SIZE", default_value = "20M", value_parser = podseek::fetch::parse_size)]
    pub max_size: u64,
    /// When another process is updating the index, wait up to SECONDS for it instead of failing
    #[arg(long, value_name = "SECONDS", num_args = 0..=1, default_missing_value = "60")]
    pub wait: Option<u64>,
}

fn parse_timeout(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(t) if t.is_finite() && t > 0.0 && t <= 86_400.0 => Ok(t),
        _ => Err(format!(
            "invalid timeout {s:?}: use seconds, more than 0 and at most 86400"
        )),
    }
}

/// `podseek add`.
#[derive(Debug, Args)]
#[command(
    after_help = "SOURCE is an http:// or https:// feed URL, or a local file or folder. It is \
read and indexed at once, then remembered in the index folder (sources.json) for `podseek update`. \
The name defaults to the feed's title.\n\
Examples:\n  podseek add https://example.com/feed.xml\n  podseek add ~/notes/corepy --name core.py"
)]
pub struct AddArgs {
    /// A feed URL or a local file or folder
    #[arg(value_name = "SOURCE")]
    pub source: String,
    /// The name to know it by [default: the feed's title]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    #[command(flatten)]
    pub fetch: FetchArgs,
}

/// `podseek update`.
#[derive(Debug, Args)]
#[command(
    after_help = "Feeds are fetched with a conditional GET (If-None-Match / If-Modified-Since), \
so an unchanged feed costs one 304. New and changed episodes are indexed in one commit; \
episodes that left a feed stay unless --prune. A source that fails is reported and skipped, \
the others still update, and the exit code is 2.\n\
Cron, every hour:\n  0 * * * * podseek --index ~/.podseek update --quiet"
)]
pub struct UpdateArgs {
    /// Only these sources [default: all]
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Remove episodes that are no longer in their source (fetches feeds in full, no 304)
    #[arg(long)]
    pub prune: bool,
    #[command(flatten)]
    pub fetch: FetchArgs,
}

/// `podseek remove`.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The source's name, as `podseek sources` lists it
    #[arg(value_name = "NAME")]
    pub name: String,
}

/// `podseek parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Show-notes files or folders (read recursively)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The podcast name for every episode read
    #[arg(long, value_name = "NAME")]
    pub podcast: Option<String>,
    /// Parse the readable files even when some cannot be read (still exits 2)
    #[arg(long)]
    pub keep_going: bool,
}

/// `podseek export` formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One Podcasting 2.0 chapters file (version 1.2.0) per episode
    Chapters,
    /// One JSON document per chapter, every indexed field, in chapters.ndjson
    Ndjson,
}

/// `podseek export`.
#[derive(Debug, Args)]
#[command(
    after_help = "Without PATHs, exports the index (building it from the bundled \
notes if there is none). With PATHs, parses them as `podseek parse` does and exports what they \
hold, so plain show notes become standard chapters files. `--out -` with ndjson writes to stdout.\n\
Examples:\n  podseek export --format chapters --out chapters/\n  \
podseek export notes/ --format chapters --out chapters/\n  podseek export --format ndjson --out -"
)]
pub struct ExportArgs {
    /// Show-notes files or folders to export instead of the index
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// What to write
    #[arg(long, value_enum, default_value_t = ExportFormat::Chapters)]
    pub format: ExportFormat,
    /// The folder to write into (created when missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// From the index: only this podcast. With PATHs: the podcast name for every episode read
    #[arg(long, value_name = "NAME")]
    pub podcast: Option<String>,
    /// Only this episode number
    #[arg(long, value_name = "N")]
    pub episode: Option<u32>,
}

/// `podseek index`.
#[derive(Debug, Args)]
#[command(
    after_help = "Episodes are identified by podcast and number (or title). Unchanged \
episodes are skipped, changed ones rewritten, and episodes gone from a file that is read again \
are removed. All of it is one commit: an interrupted run leaves the index as it was."
)]
pub struct IndexArgs {
    /// Show-notes files or folders (read recursively) [default: fixtures/]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Start from an empty index (also replaces one this podseek cannot read)
    #[arg(long)]
    pub rebuild: bool,
    /// The podcast name for every episode read
    #[arg(long, value_name = "NAME")]
    pub podcast: Option<String>,
    /// Index the readable files even when some cannot be read (still exits 2)
    #[arg(long)]
    pub keep_going: bool,
    /// When another process is updating the index, wait up to SECONDS for it instead of failing
    #[arg(long, value_name = "SECONDS", num_args = 0..=1, default_missing_value = "60")]
    pub wait: Option<u64>,
}

/// `podseek search`.
#[derive(Debug, Args)]
#[command(
    after_help = "All words are required; when nothing has them all, words that match nothing \
are left out (said on stderr). Words also match by stem, synonym (GC = garbage collection), with \
typos (1 from 5 letters, 2 from 9), and the last word as a prefix, each ranked below the exact \
word. Query syntax: \"a phrase\", -word or NOT word, a OR b, (grouping), episode:N, \
podcast:NAME (podcast:\"Two Words\"), title:word, and chapter_title:, section:, episode_title:, \
description:. A word brings its synonyms under OR, in parentheses and after a field too, and a \
-word takes them out (-gc: also \"garbage collection\"). Filters \
and -words alone (episode:21, podcast:core.py -gc) list what they keep, in index order: each \
episode, then its chapters."
)]
pub struct SearchArgs {
    /// What to look for
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: String,
    /// Most hits to show (episodes with --by-episode)
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Only this episode number
    #[arg(long, value_name = "N")]
    pub episode: Option<u32>,
    /// Only this podcast
    #[arg(long, value_name = "NAME")]
    pub podcast: Option<String>,
    /// Group hits by episode, best episode first ("which episode talked about X?")
    #[arg(long)]
    pub by_episode: bool,
    /// More synonym groups: one per line, terms separated by commas
    #[arg(long, value_name = "FILE")]
    pub synonyms: Option<PathBuf>,
}

/// `podseek show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The episode number
    #[arg(value_name = "EPISODE")]
    pub episode: u32,
    /// The podcast, when several share the number
    #[arg(long, value_name = "NAME")]
    pub podcast: Option<String>,
    /// Text the title contains (case-blind), when one podcast has several episodes with the
    /// number (two parts, or notes and a transcript)
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
}

/// `podseek at`.
#[derive(Debug, Args)]
pub struct AtArgs {
    /// The episode number
    #[arg(value_name = "EPISODE")]
    pub episode: u32,
    /// hh:mm:ss, mm:ss or seconds
    #[arg(value_name = "TIME")]
    pub time: String,
    /// The podcast, when several share the number
    #[arg(long, value_name = "NAME")]
    pub podcast: Option<String>,
    /// Text the title contains (case-blind), when one podcast has several episodes with the
    /// number (two parts, or notes and a transcript)
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
}

/// `podseek serve`.
#[derive(Debug, Args)]
#[command(
    after_help = "Routes: / (the search page; /?q=... renders results), /api/search?q=&limit=&\
episode=&podcast=&by_episode=1, /api/episodes, /api/episodes/{number}?podcast=&title=, \
/api/at?episode=&t=&podcast=&title=. A running server picks up `podseek index` runs by itself. \
Stop it with Ctrl-C."
)]
pub struct ServeArgs {
    /// The address to listen on; only loopback unless you name another (port 0 picks a free one)
    #[arg(long, default_value = "127.0.0.1:7700", value_name = "ADDR")]
    pub addr: SocketAddr,
}
