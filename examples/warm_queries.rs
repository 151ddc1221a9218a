//! Runs each query of the benchmark's mix as the benchmark does (once to warm up, then RUNS
//! times in a row) and prints each query's median and slowest time, fastest first, then the
//! p50 / p99 / max over all runs: the benchmark's in-process numbers without FTS5 or a build,
//! for comparing two builds of the search code side by side.
//!
//! `cargo run --release --example warm_queries -- INDEX_DIR [RUNS] [KIND | QUERY...]`
//!
//! Anything after RUNS that is not a kind's name is a query of its own (`"PEP 703"`).
use anyhow::Context;
use podseek::{PodIndex, SearchOptions, corpus, search};
use std::time::Instant;

// The podseek binary's allocator, so the times are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .context("usage: warm_queries INDEX_DIR [RUNS] [KIND | QUERY...]")?;
    let runs: usize = match args.next() {
        Some(r) => r.parse().context("RUNS takes a number")?,
        None => 20,
    };
    let runs = runs.max(1);
    let rest: Vec<String> = args.collect();
    let idx = PodIndex::open(std::path::Path::new(&dir))?;
    let opts = SearchOptions::default();
    let mix = corpus::picked_queries(&rest);
    let mut every = Vec::new();
    let mut rows = Vec::new();
    for (kind, text) in &mix {
        search::search(&idx, text, &opts)?;
        let mut ms = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            search::search(&idx, text, &opts)?;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        ms.sort_by(f64::total_cmp);
        every.extend_from_slice(&ms);
        rows.push((ms[(ms.len() - 1) / 2], ms[ms.len() - 1], kind, text));
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!("   median       max  kind       query");
    for (median, max, kind, text) in rows {
        println!("{median:9.3} {max:9.3}  {kind:<10} {text}");
    }
    if every.is_empty() {
        anyhow::bail!("no queries to run");
    }
    every.sort_by(f64::total_cmp);
    // Nearest rank, as the benchmark takes it.
    let at = |q: f64| every[((q * every.len() as f64).ceil() as usize).clamp(1, every.len()) - 1];
    println!(
        "all {} runs: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        every.len(),
        at(0.5),
        at(0.99),
        every[every.len() - 1]
    );
    Ok(())
}
