//! The `podseek` binary: arguments in, library calls, rendered output and an exit code out.

mod cli;
mod progress;

use anyhow::Context;
use clap::Parser;
use cli::{Cli, ColorChoice, Command, ExportFormat, FetchArgs};
use podseek::export::{self, Format};
use podseek::render::{self, Style};
use podseek::{IndexOptions, LoadOptions, PodIndex, SearchOptions, index, load, search};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Indexing allocates from several threads at once; glibc's malloc serialises them on its arena
// locks (a seventh of a 100k-episode build went to futex waits), mimalloc does not.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes, as grep and ripgrep have them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    Found = 0,
    NotFound = 1,
    Error = 2,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match run(&cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => Exit::Found,
        Err(e) => {
            eprintln!("podseek: {}", one_line(&e));
            Exit::Error
        }
    };
    ExitCode::from(code as u8)
}

/// The error and its causes on one line, each said once: the library's errors already print
/// their source, which `{:#}` would repeat ("No such file: No such file").
fn one_line(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// `podseek search | head` is a success, not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn style(cli: &Cli) -> Style {
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    };
    Style { color }
}

fn index_dir(cli: &Cli) -> PathBuf {
    cli.index.clone().unwrap_or_else(|| PathBuf::from("index"))
}

/// Opens the index, first building it from the bundled core.py notes when there is none.
fn open_index(dir: &Path, quiet: bool) -> anyhow::Result<PodIndex> {
    // A path that is a file is left to `PodIndex::open` to report.
    let is_file = dir.exists() && !dir.is_dir();
    if !index::exists(dir) && !is_file {
        let mut bundled = load::bundled();
        let n: usize = bundled.files.iter().map(|f| f.output.episodes.len()).sum();
        if !quiet {
            eprintln!(
                "podseek: no index at {}; building it from the bundled {} show notes ({n} episodes)",
                dir.display(),
                load::BUNDLED_PODCAST
            );
        }
        index::update(dir, &mut bundled, &IndexOptions::default(), &mut |_, _| {})?;
    }
    Ok(PodIndex::open(dir)?)
}

/// Lists the files `--keep-going` skipped; exit 2 when there were any.
fn skipped(loaded: &load::Loaded) -> Exit {
    for e in &loaded.skipped {
        eprintln!("podseek: skipped: {e}");
    }
    if loaded.skipped.is_empty() {
        Exit::Found
    } else {
        Exit::Error
    }
}

/// The engine's follow options from the shared `add`/`update` flags.
fn follow_options(a: &FetchArgs, prune: bool) -> podseek::sources::FollowOptions {
    podseek::sources::FollowOptions {
        fetch: podseek::fetch::FetchOptions {
            timeout: std::time::Duration::from_secs_f64(a.timeout),
            max_bytes: a.max_size,
            ..podseek::fetch::FetchOptions::default()
        },
        prune,
        wait: a.wait.map(std::time::Duration::from_secs),
    }
}

fn run(cli: &Cli) -> anyhow::Result<Exit> {
    let style = style(cli);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let dir = index_dir(cli);
    let code = match &cli.command {
        Command::Parse(a) => {
            let loaded = load::load(
                &a.paths,
                &LoadOptions {
                    podcast: a.podcast.clone(),
                    keep_going: a.keep_going,
                    ..LoadOptions::default()
                },
            )?;
            let parsed = loaded.output();
            if cli.json {
                render::json(&mut out, &parsed)?;
            } else {
                render::warnings(&mut std::io::stderr(), &parsed.warnings)?;
                if !cli.quiet {
                    render::parse(&mut out, &style, &parsed)?;
                }
            }
            skipped(&loaded)
        }
        Command::Export(a) => {
            let (eps, loaded) = if a.paths.is_empty() {
                let idx = open_index(&dir, cli.quiet)?;
                let mut eps = idx.episodes()?;
                if let Some(p) = &a.podcast {
                    eps.retain(|e| {
                        e.podcast
                            .as_deref()
                            .is_some_and(|n| n.eq_ignore_ascii_case(p))
                    });
                }
                (eps, None)
            } else {
                let loaded = load::load(
                    &a.paths,
                    &LoadOptions {
                        podcast: a.podcast.clone(),
                        keep_going: false,
                        ..LoadOptions::default()
                    },
                )?;
                let parsed = loaded.output();
                render::warnings(&mut std::io::stderr(), &parsed.warnings)?;
                (parsed.episodes, Some(loaded))
            };
            let eps: Vec<_> = match a.episode {
                Some(n) => eps.into_iter().filter(|e| e.number == Some(n)).collect(),
                None => eps,
            };
            let format = match a.format {
                ExportFormat::Chapters => Format::Chapters,
                ExportFormat::Ndjson => Format::Ndjson,
            };
            if format == Format::Ndjson && a.out.as_os_str() == "-" {
                export::write_ndjson(&mut out, &eps)?;
            } else {
                let summary = export::export(&eps, format, &a.out)
                    .with_context(|| format!("exporting to {} failed", a.out.display()))?;
                if cli.json {
                    render::json(&mut out, &summary)?;
                } else if !cli.quiet {
                    render::export_summary(&mut out, &style, &summary)?;
                }
            }
            match &loaded {
                Some(l) => skipped(l),
                None => Exit::Found,
            }
        }
        Command::Index(a) => {
            let paths = if a.paths.is_empty() {
                vec![PathBuf::from("fixtures")]
            } else {
                a.paths.clone()
            };
            let mut bar = progress::Progress::new(!cli.quiet && std::io::stderr().is_terminal());
            let loaded = load::load_with(
                &paths,
                &LoadOptions {
                    podcast: a.podcast.clone(),
                    keep_going: a.keep_going,
                    known: if a.rebuild {
                        Default::default()
                    } else {
                        index::known_files(&dir)
                    },
                },
                &mut |done, total| bar.files(done, total),
            );
            bar.finish();
            let mut loaded = loaded?;
            let opts = IndexOptions {
                rebuild: a.rebuild,
                wait: a.wait.map(std::time::Duration::from_secs),
                ..IndexOptions::default()
            };
            let summary = index::update(&dir, &mut loaded, &opts, &mut |done, total| {
                bar.episodes(done, total)
            });
            bar.finish();
            let summary = summary.with_context(|| {
                format!(
                    "indexing into {} failed; the index is unchanged",
                    dir.display()
                )
            })?;
            if cli.json {
                render::json(&mut out, &summary)?;
            } else {
                render::warnings(&mut std::io::stderr(), &summary.warnings)?;
                if !cli.quiet {
                    render::index_summary(&mut out, &style, &summary)?;
                }
            }
            skipped(&loaded)
        }
        Command::Search(a) => {
            let mut idx = open_index(&dir, cli.quiet)?;
            if let Some(file) = &a.synonyms {
                idx.add_synonyms_file(file)?;
            }
            let opts = SearchOptions {
                limit: a.limit,
                episode: a.episode,
                podcast: a.podcast.clone(),
            };
            let total = if a.by_episode {
                let r = search::search_by_episode(&idx, &a.query, &opts)?;
                if !cli.quiet {
                    render::dropped(&mut std::io::stderr(), &r.dropped)?;
                }
                if cli.json {
                    render::json(&mut out, &r)?;
                } else if !cli.quiet {
                    render::grouped(&mut out, &style, &r)?;
                }
                r.total
            } else {
                let r = search::search(&idx, &a.query, &opts)?;
                if !cli.quiet {
                    render::dropped(&mut std::io::stderr(), &r.dropped)?;
                }
                if cli.json {
                    render::json(&mut out, &r)?;
                } else if !cli.quiet {
                    render::search(&mut out, &style, &r)?;
                }
                r.total
            };
            // The process ends here: leave unmapping the index to the exit, which does it at
            // once (one `munmap` per file was a tenth of a one-query process).
            std::mem::forget(idx);
            if total == 0 {
                Exit::NotFound
            } else {
                Exit::Found
            }
        }
        Command::Show(a) => {
            let idx = open_index(&dir, cli.quiet)?;
            let ep = idx.find_episode(a.episode, a.podcast.as_deref(), a.title.as_deref())?;
            if cli.json {
                render::json(&mut out, &ep)?;
            } else if !cli.quiet {
                render::show(&mut out, &style, &ep)?;
            }
            Exit::Found
        }
        Command::At(a) => {
            let seconds = search::parse_time(&a.time)?;
            let idx = open_index(&dir, cli.quiet)?;
            let ep = idx.find_episode(a.episode, a.podcast.as_deref(), a.title.as_deref())?;
            let r = search::chapter_at(&ep, seconds);
            if cli.json {
                render::json(&mut out, &r)?;
            } else if !cli.quiet {
                render::at(&mut out, &style, &r)?;
            }
            if r.chapter.is_some() {
                Exit::Found
            } else {
                Exit::NotFound
            }
        }
        Command::Serve(a) => {
            let idx = open_index(&dir, cli.quiet)?;
            if !a.addr.ip().is_loopback() {
                eprintln!(
                    "podseek: listening on {}: anyone who can reach this address can use the server",
                    a.addr
                );
            }
            let opts = podseek::serve::ServeOptions { addr: a.addr };
            podseek::serve::serve(idx, &opts, |addr| {
                eprintln!(
                    "podseek: serving {} at http://{addr}/ (Ctrl-C to stop)",
                    dir.display()
                );
            })
            .with_context(|| format!("cannot serve on {}", a.addr))?;
            eprintln!("podseek: stopped");
            Exit::Found
        }
        Command::Add(a) => {
            let opts = follow_options(&a.fetch, false);
            let r = podseek::sources::add(&dir, &a.source, a.name.as_deref(), &opts)?;
            if cli.json {
                render::json(
                    &mut out,
                    &podseek::sources::UpdateReport { sources: vec![r] },
                )?;
            } else {
                render::warnings(&mut std::io::stderr(), &r.warnings)?;
                if !cli.quiet {
                    render::followed(&mut out, &style, &r)?;
                }
            }
            Exit::Found
        }
        Command::Update(a) => {
            let opts = follow_options(&a.fetch, a.prune);
            let r = podseek::sources::update(&dir, &a.names, &opts)?;
            for s in &r.sources {
                if let Some(e) = &s.error {
                    eprintln!("podseek: {}: {}: {e}", s.name, s.source);
                }
                // Warnings of a feed that changed; an unchanged one would repeat them every run.
                if !cli.json && s.status == podseek::sources::Status::Updated {
                    render::warnings(&mut std::io::stderr(), &s.warnings)?;
                }
            }
            if cli.json {
                render::json(&mut out, &r)?;
            } else if !cli.quiet {
                render::update(&mut out, &style, &r)?;
            }
            if r.failed() { Exit::Error } else { Exit::Found }
        }
        Command::Sources => {
            let list = podseek::sources::list(&dir)?;
            if cli.json {
                render::json(&mut out, &list)?;
            } else if !cli.quiet {
                render::sources(&mut out, &style, &list)?;
            }
            Exit::Found
        }
        Command::Remove(a) => {
            let opts = podseek::sources::FollowOptions::default();
            let (name, removed) = podseek::sources::remove(&dir, &a.name, &opts)?;
            if cli.json {
                render::json(
                    &mut out,
                    &serde_json::json!({"name": name, "removed": removed}),
                )?;
            } else if !cli.quiet {
                writeln!(
                    out,
                    "forgot {name}; removed {removed} episode{} from the index",
                    if removed == 1 { "" } else { "s" }
                )?;
            }
            Exit::Found
        }
        Command::Episodes => {
            let idx = open_index(&dir, cli.quiet)?;
            let eps = idx.episodes()?;
            if cli.json {
                render::json(&mut out, &render::EpisodeList::new(&eps))?;
            } else if !cli.quiet {
                render::episodes(&mut out, &style, &eps)?;
            }
            Exit::Found
        }
    };
    out.flush()?;
    Ok(code)
}
