//! Reads and parses show notes (no indexing) a few times, for profilers, and prints each
//! round's time and what it read:
//!
//! `cargo run --release --example profile_parse -- PATH [ROUNDS]`
//!
//! e.g. `perf record -g target/release/examples/profile_parse /tmp/c100k 3` after
//! `cargo run --release --example gen_corpus -- --episodes 100000 --seed 1 --out /tmp/c100k`.
use podseek::{LoadOptions, load};
use std::time::Instant;

// The podseek binary's allocator, so the profile is the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = std::path::PathBuf::from(args.next().unwrap_or_else(|| "fixtures".into()));
    let rounds: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(3);
    for round in 1..=rounds {
        let t = Instant::now();
        let loaded = load::load(std::slice::from_ref(&path), &LoadOptions::default())?;
        let secs = t.elapsed().as_secs_f64();
        let episodes = loaded.episodes().count();
        let chapters: usize = loaded.episodes().map(|e| e.chapters.len()).sum();
        println!(
            "round {round}: {secs:.3} s, {} files, {episodes} episodes, {chapters} chapters",
            loaded.files.len()
        );
    }
    Ok(())
}
