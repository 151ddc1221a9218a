//! podseek against SQLite FTS5 (and ripgrep) on one generated corpus, in one run; prints one
//! Markdown table per corpus size.
//!
//! `cargo bench --bench compare -- --episodes 10000,100000 [--seed 1] [--work DIR] [--runs 20]
//! [--builds 3]`

mod compare {
    pub mod run;
}

use anyhow::{Context, Result, bail};
use compare::run::{self as bench, Config};
use std::path::PathBuf;
use std::time::Duration;

// The podseek binary's allocator, so in-process query times are the binary's (SQLite allocates
// with its own calls to the C library, which this does not change).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn parse_args() -> Result<Config> {
    let mut cfg = Config {
        sizes: vec![10_000],
        seed: 1,
        work: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-compare"),
        bin: PathBuf::from(env!("CARGO_BIN_EXE_podseek")),
        max_runs: 20,
        query_budget: Duration::from_secs(2),
        process_runs: 11,
        builds: 3,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--episodes" => {
                cfg.sizes = value()?
                    .split(',')
                    .map(|n| n.trim().replace('_', "").parse::<usize>())
                    .collect::<Result<_, _>>()
                    .context("--episodes takes numbers separated by commas")?;
            }
            "--seed" => cfg.seed = value()?.parse().context("--seed takes a number")?,
            "--work" => cfg.work = PathBuf::from(value()?),
            "--runs" => cfg.max_runs = value()?.parse().context("--runs takes a number")?,
            "--builds" => cfg.builds = value()?.parse().context("--builds takes a number")?,
            "--bench" => {} // cargo bench passes it
            other => bail!("unknown argument {other:?}"),
        }
    }
    Ok(cfg)
}

fn main() -> Result<()> {
    let cfg = parse_args()?;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut out = format!(
        "podseek vs SQLite FTS5, seed {}, {} cores, load average at start: {}\n\n",
        cfg.seed,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    for &n in &cfg.sizes {
        let r = bench::run_size(&cfg, n)?;
        let table = bench::render(&r);
        eprintln!("{table}");
        out.push_str(&table);
        out.push('\n');
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    out.push_str(&format!(
        "load average at end: {}\n",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    ));
    print!("{out}");
    Ok(())
}
