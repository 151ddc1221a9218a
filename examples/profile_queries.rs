//! Runs the benchmark's query mix against an index in a loop, for profilers, and prints each
//! query's mean time:
//!
//! `cargo run --release --example profile_queries -- INDEX_DIR [SECONDS] [KIND | QUERY...]`
//!
//! e.g. `perf record -g target/release/examples/profile_queries target/bench-compare/100000/index 10 phrase`.
//! Anything after SECONDS that is not a kind's name is a query of its own (`"PEP 703"`).
use podseek::{PodIndex, SearchOptions, corpus, search};
use std::time::{Duration, Instant};

// The podseek binary's allocator, so the profile is the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "target/bench-compare/10000/index".into());
    let secs: f64 = args
        .next()
        .and_then(|s| s.parse().ok())
        .filter(|s: &f64| s.is_finite() && *s >= 0.0)
        .unwrap_or(5.0);
    let rest: Vec<String> = args.collect();
    let idx = PodIndex::open(std::path::Path::new(&dir))?;
    let opts = SearchOptions {
        limit: 10,
        episode: None,
        podcast: None,
    };
    let mix = corpus::picked_queries(&rest);
    let mut spent = vec![(Duration::ZERO, 0u32); mix.len()];
    let end = Instant::now() + Duration::from_secs_f64(secs);
    while Instant::now() < end {
        for (q, s) in mix.iter().zip(&mut spent) {
            let t = Instant::now();
            search::search(&idx, &q.1, &opts)?;
            s.0 += t.elapsed();
            s.1 += 1;
        }
    }
    for (q, (d, n)) in mix.iter().zip(spent) {
        let ms = d.as_secs_f64() * 1000.0 / f64::from(n.max(1));
        println!("{ms:>9.3} ms  {:<10} {}", q.0, q.1);
    }
    Ok(())
}
