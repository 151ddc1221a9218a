//! A synthetic corpus of show notes, deterministic by seed, in the two seed layouts: the
//! benchmark (`benches/compare.rs`), its smoke test and `examples/gen_corpus.rs` share it.
//!
//! Words are drawn from a fixed vocabulary with Zipf-like frequencies (English, technical words,
//! a long tail of made-up words), mixed with identifiers, PEP numbers and versions. The query mix
//! is built from the same vocabulary, so each kind of query finds what it is meant to find.

use std::io;
use std::path::{Path, PathBuf};

/// How big a corpus to make.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    /// Episodes in all.
    pub episodes: usize,
    /// The random seed: the same seed gives the same bytes.
    pub seed: u64,
    /// Episodes per show-notes file.
    pub episodes_per_file: usize,
    /// Podcasts (one folder each, with its `podcast.toml`); 0 picks one per 1,000 episodes (at least 3).
    pub podcasts: usize,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            episodes: 1000,
            seed: 1,
            episodes_per_file: 100,
            podcasts: 0,
        }
    }
}

/// One generated file, its path relative to the corpus folder.
#[derive(Debug, Clone)]
pub struct CorpusFile {
    /// Relative path (`p003/notes_0007.txt`).
    pub path: PathBuf,
    /// Its text.
    pub text: String,
}

/// A generated corpus, in memory.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Show-notes files and `podcast.toml` files.
    pub files: Vec<CorpusFile>,
    /// Episodes written.
    pub episodes: usize,
    /// Chapters written (timestamp lines, `PART` headings included).
    pub chapters: usize,
    /// Episodes written without a timestamp list.
    pub without_timestamps: usize,
    /// The podcasts' names.
    pub podcasts: Vec<String>,
}

impl Corpus {
    /// Bytes of show notes (the `podcast.toml` files excluded).
    pub fn note_bytes(&self) -> u64 {
        self.files
            .iter()
            .filter(|f| f.path.extension().is_some_and(|e| e == "txt"))
            .map(|f| f.text.len() as u64)
            .sum()
    }

    /// Writes every file under `dir` (created if missing).
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        for f in &self.files {
            let path = dir.join(&f.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &f.text)?;
        }
        Ok(())
    }
}

/// splitmix64: small, fast and good enough for test data; no crate needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const ENGLISH: &[&str] = &[
    "the",
    "and",
    "of",
    "to",
    "a",
    "in",
    "with",
    "for",
    "on",
    "is",
    "how",
    "why",
    "what",
    "new",
    "we",
    "it",
    "about",
    "from",
    "your",
    "more",
    "all",
    "not",
    "finally",
    "really",
    "better",
    "faster",
    "slow",
    "big",
    "small",
    "problem",
    "problems",
    "story",
    "again",
    "first",
    "last",
    "time",
    "way",
    "bet",
    "talk",
    "talks",
    "week",
    "news",
    "making",
    "working",
    "things",
    "look",
    "inside",
    "without",
    "every",
    "never",
    "always",
    "good",
    "bad",
    "old",
    "future",
    "past",
    "people",
    "team",
    "question",
    "questions",
    "answer",
    "ideas",
    "lessons",
    "learned",
    "hard",
    "easy",
    "simple",
    "strange",
    "surprising",
    "secret",
    "life",
    "world",
    "home",
    "road",
    "fix",
    "fixes",
    "broken",
    "changes",
    "change",
    "update",
    "updates",
    "release",
    "released",
    "plan",
    "plans",
    "rewrite",
    "myths",
    "truth",
    "tricks",
    "tips",
    "guide",
    "deep",
    "dive",
    "behind",
    "scenes",
    "history",
    "origins",
    "reasons",
    "mistakes",
    "wins",
    "losses",
    "journey",
];

const TECH: &[&str] = &[
    "python",
    "garbage",
    "collection",
    "memory",
    "interpreter",
    "compiler",
    "threading",
    "free",
    "threads",
    "asyncio",
    "performance",
    "bytecode",
    "parser",
    "grammar",
    "typing",
    "types",
    "generics",
    "decorators",
    "closures",
    "generators",
    "coroutines",
    "iterators",
    "exceptions",
    "traceback",
    "debugger",
    "profiler",
    "allocator",
    "refcounting",
    "reference",
    "counting",
    "cycles",
    "objects",
    "dictionaries",
    "lists",
    "tuples",
    "strings",
    "unicode",
    "bytes",
    "buffers",
    "pickling",
    "serialization",
    "imports",
    "modules",
    "packages",
    "packaging",
    "wheels",
    "builds",
    "linker",
    "cache",
    "caching",
    "locks",
    "mutex",
    "atomics",
    "scheduler",
    "event",
    "loop",
    "sockets",
    "network",
    "http",
    "server",
    "client",
    "tls",
    "security",
    "vulnerability",
    "sandbox",
    "jit",
    "specialization",
    "inline",
    "optimizer",
    "tier",
    "frames",
    "stack",
    "heap",
    "arena",
    "pools",
    "gil",
    "subinterpreters",
    "channels",
    "queues",
    "tests",
    "testing",
    "benchmarks",
    "fuzzing",
    "sanitizers",
    "compat",
    "abi",
    "api",
    "capi",
    "stdlib",
    "pathlib",
    "dataclasses",
    "enum",
    "regex",
    "sqlite",
    "json",
    "csv",
    "logging",
    "warnings",
    "deprecation",
    "removal",
    "syntax",
    "highlighting",
    "repl",
    "colors",
    "themes",
    "windows",
    "linux",
    "macos",
    "android",
    "wasm",
    "browser",
    "emulator",
    "ci",
    "buildbots",
    "release",
    "manager",
    "installer",
    "docs",
    "documentation",
    "tutorial",
    "pattern",
    "matching",
    "lambda",
    "comprehensions",
    "walrus",
    "operator",
    "slicing",
    "indexing",
    "hashing",
    "sorting",
    "timsort",
    "bisect",
    "heapq",
    "itertools",
    "functools",
    "contextlib",
    "weakref",
    "finalizers",
    "resurrection",
    "untracking",
    "generations",
    "incremental",
    "sweep",
    "mark",
    "compaction",
    "fragmentation",
    "mimalloc",
    "jemalloc",
    "valgrind",
    "perf",
    "flamegraphs",
    "tracing",
    "monitoring",
    "coverage",
    "sprint",
    "conference",
    "keynote",
    "panel",
    "governance",
    "council",
    "community",
    "contributors",
    "maintainers",
    "triage",
    "bugs",
    "bugfixes",
    "regressions",
    "backports",
    "branches",
    "merge",
    "review",
    "github",
    "mailing",
    "discourse",
];

/// Two-word phrases that titles use as a unit, so phrase queries have something to find.
const PHRASES: &[&str] = &[
    "garbage collection",
    "reference counting",
    "free threading",
    "pattern matching",
    "event loop",
    "memory leaks",
    "type checking",
    "error messages",
    "syntax highlighting",
    "release manager",
    "standard library",
    "core sprint",
];

const MODULES: &[&str] = &[
    "asyncio",
    "pathlib",
    "typing",
    "functools",
    "itertools",
    "collections",
    "dataclasses",
    "contextlib",
    "importlib",
    "unittest",
    "sqlite3",
    "fnmatch",
    "concurrent",
    "threading",
];
const CLASSES: &[&str] = &[
    "TaskGroup",
    "Path",
    "Protocol",
    "Executor",
    "Counter",
    "Barrier",
    "Runner",
    "TypedDict",
    "Semaphore",
    "Timeout",
    "ExitStack",
    "ThreadPool",
    "Loader",
    "Finder",
    "Queue",
    "Event",
];
const CAPS: &[&str] = &[
    "GC",
    "Head",
    "Object",
    "Long",
    "Iter",
    "Frame",
    "Code",
    "Thread",
    "State",
    "Type",
    "Dict",
    "List",
    "Unicode",
    "Bytes",
    "Mem",
    "Interpreter",
];
const UPPER: &[&str] = &[
    "CALL", "LOAD", "STORE", "BINARY", "SUBSCR", "GETITEM", "ALLOC", "ENTER", "INIT", "CHECK",
    "EVAL", "BREAKER", "RESUME", "RETURN", "JUMP", "BACKWARD",
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "tor", "vel", "sa", "dro", "phi", "lun", "bri", "sta", "gor", "nim",
    "pel", "ra", "do", "fen", "gu", "har", "is", "jo", "ku", "mar", "no", "pu", "ril", "so", "tem",
    "ul", "vor", "wen",
];

/// The fixed vocabulary, most frequent first.
struct Vocab {
    words: Vec<String>,
    /// Cumulative Zipf weights over `words`.
    cumulative: Vec<f64>,
    identifiers: Vec<String>,
}

/// Made-up words for the long tail: fixed, whatever the seed.
const TAIL_WORDS: usize = 20_000;

impl Vocab {
    fn new() -> Vocab {
        let mut words: Vec<String> = Vec::new();
        // English and technical words interleaved, so both are among the most frequent.
        let (mut e, mut t) = (ENGLISH.iter(), TECH.iter());
        loop {
            match (e.next(), t.next(), t.next()) {
                (None, None, _) => break,
                (a, b, c) => words.extend([a, b, c].into_iter().flatten().map(|w| w.to_string())),
            }
        }
        let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
        let mut rng = Rng(0x05ee_d0f7_0c4b);
        while words.len() < ENGLISH.len() + TECH.len() + TAIL_WORDS {
            let n = rng.range(2, 4);
            let w: String = (0..n).map(|_| *rng.pick(SYLLABLES)).collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut cumulative = Vec::with_capacity(words.len());
        let mut sum = 0.0;
        for rank in 0..words.len() {
            sum += 1.0 / ((rank + 2) as f64).powf(1.05);
            cumulative.push(sum);
        }
        let mut identifiers = Vec::new();
        for (i, m) in MODULES.iter().enumerate() {
            for (j, c) in CLASSES.iter().enumerate() {
                if (i + j) % 3 == 0 {
                    identifiers.push(format!("{m}.{c}"));
                }
            }
        }
        for (i, a) in CAPS.iter().enumerate() {
            for (j, b) in CAPS.iter().enumerate() {
                if i != j && (i * 7 + j) % 4 == 0 {
                    identifiers.push(format!("Py{a}_{b}"));
                }
            }
        }
        for (i, a) in UPPER.iter().enumerate() {
            for (j, b) in UPPER.iter().enumerate() {
                if i != j && (i + j * 3) % 5 == 0 {
                    identifiers.push(format!("{a}_{b}"));
                }
            }
        }
        Vocab {
            words,
            cumulative,
            identifiers,
        }
    }

    fn zipf(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|&c| c < x);
        &self.words[i.min(self.words.len() - 1)]
    }

    fn identifier(&self, rng: &mut Rng) -> &str {
        // Skewed too: the first identifiers are the usual suspects.
        let n = self.identifiers.len() as f64;
        let i = (n * rng.unit().powi(3)) as usize;
        &self.identifiers[i.min(self.identifiers.len() - 1)]
    }

    /// A chapter title: 2-8 tokens, now and then an identifier, a PEP, a version or a phrase.
    fn title(&self, rng: &mut Rng) -> String {
        let n = rng.range(2, 8);
        let mut parts: Vec<String> = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let r = rng.unit();
            parts.push(if r < 0.06 {
                self.identifier(rng).to_string()
            } else if r < 0.09 {
                format!("PEP {}", rng.range(1, 800))
            } else if r < 0.12 {
                if rng.chance(0.5) {
                    format!("3.{}", rng.range(0, 15))
                } else {
                    format!("3.{}.{}", rng.range(0, 15), rng.range(0, 9))
                }
            } else if r < 0.17 {
                rng.pick(PHRASES).to_string()
            } else {
                self.zipf(rng).to_string()
            });
        }
        let mut t = parts.join(" ");
        if let Some(first) = t.get(..1) {
            let up = first.to_uppercase();
            t.replace_range(..1, &up);
        }
        t
    }

    fn sentence(&self, rng: &mut Rng) -> String {
        let n = rng.range(8, 16);
        let mut s = self.title(rng);
        for _ in 0..n.saturating_sub(6) {
            s.push(' ');
            s.push_str(self.zipf(rng));
        }
        s.push('.');
        s
    }
}

fn hms(s: u64) -> String {
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// One generated episode, before it is laid out.
struct GenEpisode {
    number: usize,
    title: String,
    description: String,
    /// (start seconds, title); empty: no timestamp list.
    chapters: Vec<(u64, String)>,
    length: u64,
    /// Days since 2000-01-01 (dates only need to look real).
    day: u64,
}

fn gen_episode(v: &Vocab, rng: &mut Rng, number: usize) -> GenEpisode {
    let title = v.title(rng);
    let description = (0..rng.range(1, 2))
        .map(|_| v.sentence(rng))
        .collect::<Vec<_>>()
        .join(" ");
    let mut chapters = Vec::new();
    let mut t = 0;
    if !rng.chance(0.10) {
        let n = rng.range(8, 25);
        let mut part = 0;
        for i in 0..n {
            let name = if i == 0 {
                "INTRO".to_string()
            } else if i == n - 1 {
                "OUTRO".to_string()
            } else if rng.chance(0.12) {
                part += 1;
                format!("PART {part}: {}", v.title(rng).to_uppercase())
            } else {
                v.title(rng)
            };
            chapters.push((t, name));
            t += rng.range(30, 600);
        }
    }
    let length = t.max(600) + rng.range(30, 300);
    GenEpisode {
        number,
        title,
        description,
        chapters,
        length,
        day: rng.range(0, 9000),
    }
}

/// Seed layout `000_…`: blocks split by `--------`, each followed by the previous block's
/// length; timestamp lists run together on the description line or one per line.
fn layout_separated(eps: &[GenEpisode], rng: &mut Rng) -> String {
    let mut out = String::new();
    for (i, e) in eps.iter().enumerate() {
        if i > 0 {
            out.push_str("--------\n");
            let prev = eps[i - 1].length;
            out.push_str(&format!(
                "{}:{:02}:{:02}\n",
                prev / 3600,
                prev / 60 % 60,
                prev % 60
            ));
        }
        out.push_str(&format!("Episode {}: {}\n", e.number, e.title));
        out.push_str(&e.description);
        if e.chapters.is_empty() {
            out.push('\n');
            continue;
        }
        if rng.chance(0.5) {
            out.push_str("## Timestamps");
            for (s, t) in &e.chapters {
                out.push_str(&format!("({}) {t}", hms(*s)));
            }
            out.push('\n');
        } else {
            out.push_str("\n## Timestamps\n");
            for (s, t) in &e.chapters {
                out.push_str(&format!("({}) {t}\n", hms(*s)));
            }
        }
    }
    out
}

/// Seed layout `002_…`: a podcast header, then per episode a date-and-length line, the title,
/// the description, `## Outline` and one timestamp per line.
fn layout_dated(podcast: &str, eps: &[GenEpisode], rng: &mut Rng) -> String {
    let mut out = format!(
        "{podcast}\nHosted by two people who like compilers\nA show about the insides of Python.\nEpisodes\n"
    );
    for e in eps {
        let year = 2000 + e.day / 360;
        let month = MONTHS[(e.day / 30 % 12) as usize];
        let day = e.day % 28 + 1;
        let (h, m) = (e.length / 3600, e.length / 60 % 60);
        let len = if h > 0 {
            format!("{h}h {m}min")
        } else {
            format!("{m}min")
        };
        out.push_str(&format!("\n{month} {day}, {year} • {len}\n"));
        if rng.chance(0.5) {
            out.push_str(&format!("Episode {}: {}\n", e.number, e.title));
        } else {
            out.push_str(&format!("Episode {} - {}\n", e.number, e.title));
        }
        out.push_str(&e.description);
        out.push('\n');
        if rng.chance(0.3) {
            out.push_str(&format!("{} snips\n", rng.range(1, 40)));
        }
        if !e.chapters.is_empty() {
            out.push_str(if rng.chance(0.5) {
                "## Outline\n"
            } else {
                "## Timestamps\n"
            });
            for (s, t) in &e.chapters {
                out.push_str(&format!("({}) {t}\n", hms(*s)));
            }
        }
    }
    out
}

/// The podcast names a corpus of `n` podcasts uses.
fn podcast_name(i: usize) -> String {
    let words = [
        "Bytes", "Frames", "Stack", "Heap", "Loop", "Core", "Tier", "Arena",
    ];
    format!("{} Radio {i:03}", words[i % words.len()])
}

/// Makes a corpus in memory.
pub fn generate(opts: &CorpusOptions) -> Corpus {
    let v = Vocab::new();
    let mut rng = Rng(opts.seed ^ 0xa076_1d64_78bd_642f);
    let podcasts = if opts.podcasts == 0 {
        (opts.episodes / 1000).max(3)
    } else {
        opts.podcasts
    };
    let per_file = opts.episodes_per_file.max(1);
    let mut corpus = Corpus {
        podcasts: (0..podcasts).map(podcast_name).collect(),
        ..Corpus::default()
    };
    for (p, name) in corpus.podcasts.iter().enumerate() {
        corpus.files.push(CorpusFile {
            path: PathBuf::from(format!("p{p:03}/podcast.toml")),
            text: format!("name = {name:?}\n"),
        });
    }
    // Episodes go round-robin to podcasts, numbered from 1 within each.
    let mut next_number = vec![1usize; podcasts];
    let mut file_no = 0;
    let mut made = 0;
    while made < opts.episodes {
        let p = file_no % podcasts;
        let n = per_file.min(opts.episodes - made);
        let mut eps: Vec<GenEpisode> = (0..n)
            .map(|k| gen_episode(&v, &mut rng, next_number[p] + k))
            .collect();
        next_number[p] += n;
        eps.reverse(); // newest first, as show notes pages list them
        corpus.episodes += n;
        for e in &eps {
            corpus.chapters += e.chapters.len();
            corpus.without_timestamps += usize::from(e.chapters.is_empty());
        }
        let text = if file_no % 2 == 0 {
            layout_separated(&eps, &mut rng)
        } else {
            layout_dated(&corpus.podcasts[p], &eps, &mut rng)
        };
        corpus.files.push(CorpusFile {
            path: PathBuf::from(format!("p{p:03}/notes_{file_no:05}.txt")),
            text,
        });
        made += n;
        file_no += 1;
    }
    corpus
}

/// The `n`th extra episode for podcast 0, numbered after every generated one: the "add one" case.
pub fn extra_episode(opts: &CorpusOptions, n: usize) -> CorpusFile {
    let v = Vocab::new();
    let mut rng = Rng(opts.seed ^ 0x00e7_7a00_0000_0001 ^ ((n as u64) << 32));
    let mut e = gen_episode(&v, &mut rng, opts.episodes + 1_000_000 + n);
    if e.chapters.is_empty() {
        e.chapters.push((0, "INTRO".into()));
    }
    CorpusFile {
        path: PathBuf::from(format!("p000/extra_episode_{n}.txt")),
        text: layout_separated(std::slice::from_ref(&e), &mut rng),
    }
}

/// What a benchmark query is meant to exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QueryKind {
    /// One of the most frequent words (stop words among them).
    Common,
    /// A word from the long tail.
    Rare,
    /// Two mid-frequency words, both required.
    And,
    /// A quoted two-word phrase.
    Phrase,
    /// A code identifier (`PyGC_Head`, `asyncio.TaskGroup`).
    Identifier,
    /// A version or PEP number.
    Number,
    /// Words that occur nowhere.
    NoMatch,
}

impl QueryKind {
    /// Every kind, in table order.
    pub const ALL: [QueryKind; 7] = [
        QueryKind::Common,
        QueryKind::Rare,
        QueryKind::And,
        QueryKind::Phrase,
        QueryKind::Identifier,
        QueryKind::Number,
        QueryKind::NoMatch,
    ];

    /// Its name in the benchmark table.
    pub fn name(self) -> &'static str {
        match self {
            QueryKind::Common => "common",
            QueryKind::Rare => "rare",
            QueryKind::And => "and",
            QueryKind::Phrase => "phrase",
            QueryKind::Identifier => "identifier",
            QueryKind::Number => "number",
            QueryKind::NoMatch => "no-match",
        }
    }
}

/// One query of the mix.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    /// What it exercises.
    pub kind: QueryKind,
    /// The query as a user types it (podseek syntax: quotes for a phrase).
    pub text: String,
    /// The words, each quoted, as an FTS5 MATCH expression with the same meaning.
    pub fts5: String,
}

fn fts5_quote(words: &str) -> String {
    format!("\"{}\"", words.replace('"', "\"\""))
}

/// The queries the profiling examples run, as (kind, text): the whole mix when `picked` is
/// empty, one kind's queries when it is that kind's name, else `picked` themselves (kind
/// `given`).
pub fn picked_queries(picked: &[String]) -> Vec<(String, String)> {
    let all = query_mix();
    let kind = |k: &str| all.iter().any(|q| q.kind.name() == k);
    match picked {
        [] => all
            .iter()
            .map(|q| (q.kind.name().into(), q.text.clone()))
            .collect(),
        [k] if kind(k) => all
            .iter()
            .filter(|q| q.kind.name() == k)
            .map(|q| (k.clone(), q.text.clone()))
            .collect(),
        queries => queries
            .iter()
            .map(|q| ("given".into(), q.clone()))
            .collect(),
    }
}

/// The fixed query mix: five queries of each kind, the same for every seed and size.
pub fn query_mix() -> Vec<BenchQuery> {
    let v = Vocab::new();
    let mut out = Vec::new();
    let mut add = |kind, text: String, fts5: String| out.push(BenchQuery { kind, text, fts5 });
    for w in ["the", "python", "memory", "and", "garbage"] {
        add(QueryKind::Common, w.into(), fts5_quote(w));
    }
    let tail = ENGLISH.len() + TECH.len();
    for k in [500, 2_000, 5_000, 9_000, 15_000] {
        let w = &v.words[tail + k];
        add(QueryKind::Rare, w.clone(), fts5_quote(w));
    }
    for (a, b) in [
        ("interpreter", "threads"),
        ("memory", "allocator"),
        ("faster", "bytecode"),
        ("release", "plans"),
        ("typing", "generics"),
    ] {
        add(
            QueryKind::And,
            format!("{a} {b}"),
            format!("{} {}", fts5_quote(a), fts5_quote(b)),
        );
    }
    for p in [
        "garbage collection",
        "reference counting",
        "free threading",
        "pattern matching",
        "event loop",
    ] {
        add(QueryKind::Phrase, format!("\"{p}\""), fts5_quote(p));
    }
    for id in v
        .identifiers
        .iter()
        .step_by(v.identifiers.len() / 5)
        .take(5)
    {
        add(QueryKind::Identifier, id.clone(), fts5_quote(id));
    }
    for n in ["3.13", "768", "3.12.4", "PEP 703", "2024"] {
        let fts = n
            .split_whitespace()
            .map(fts5_quote)
            .collect::<Vec<_>>()
            .join(" ");
        add(QueryKind::Number, n.into(), fts);
    }
    for w in [
        "xyzzyqx",
        "qwfpgjluy",
        "zzxqv kkwq",
        "jqxzvw",
        "vvqxjz wwkqz",
    ] {
        let fts = w
            .split_whitespace()
            .map(fts5_quote)
            .collect::<Vec<_>>()
            .join(" ");
        add(QueryKind::NoMatch, w.into(), fts);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let opts = CorpusOptions {
            episodes: 150,
            ..CorpusOptions::default()
        };
        let a = generate(&opts);
        let b = generate(&opts);
        let c = generate(&CorpusOptions { seed: 2, ..opts });
        let text = |c: &Corpus| c.files.iter().map(|f| f.text.clone()).collect::<String>();
        assert_eq!(text(&a), text(&b));
        assert_ne!(text(&a), text(&c));
        assert_eq!(a.episodes, 150);
    }

    #[test]
    fn the_parser_finds_every_generated_episode_and_chapter() {
        let corpus = generate(&CorpusOptions {
            episodes: 400,
            episodes_per_file: 50,
            ..CorpusOptions::default()
        });
        let (mut episodes, mut chapters) = (0, 0);
        for f in corpus
            .files
            .iter()
            .filter(|f| f.path.extension().is_some_and(|e| e == "txt"))
        {
            let name = f.path.display().to_string();
            let out = crate::notes::parse_str(&f.text, &name, &crate::ParseOptions::default());
            assert!(
                out.warnings.is_empty(),
                "{name}: {:?}",
                out.warnings.first()
            );
            episodes += out.episodes.len();
            chapters += out.episodes.iter().map(|e| e.chapters.len()).sum::<usize>();
        }
        assert_eq!(episodes, corpus.episodes);
        assert_eq!(chapters, corpus.chapters);
        assert!(corpus.without_timestamps > 10 && corpus.without_timestamps < 80);
    }

    #[test]
    fn the_mix_has_five_queries_of_every_kind() {
        let mix = query_mix();
        for kind in QueryKind::ALL {
            assert_eq!(mix.iter().filter(|q| q.kind == kind).count(), 5, "{kind:?}");
        }
    }
}
