//! Writes a synthetic show-notes corpus: `cargo run --release --example gen_corpus --
//! --episodes 100000 --seed 1 --out DIR`.

use anyhow::{Context, Result, bail};
use podseek::corpus::{CorpusOptions, generate};
use std::path::PathBuf;

fn main() -> Result<()> {
    let mut opts = CorpusOptions::default();
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--episodes" => {
                opts.episodes = value()?.parse().context("--episodes takes a number")?
            }
            "--seed" => opts.seed = value()?.parse().context("--seed takes a number")?,
            "--per-file" => {
                opts.episodes_per_file = value()?.parse().context("--per-file takes a number")?
            }
            "--podcasts" => {
                opts.podcasts = value()?.parse().context("--podcasts takes a number")?
            }
            "--out" => out = Some(PathBuf::from(value()?)),
            other => bail!("unknown argument {other:?} (--episodes N --seed N --out DIR)"),
        }
    }
    let Some(out) = out else {
        bail!("--out DIR is required");
    };
    let corpus = generate(&opts);
    corpus
        .write(&out)
        .with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "{} episodes, {} chapters ({} episodes without timestamps), {} podcasts, {:.1} MB in {}",
        corpus.episodes,
        corpus.chapters,
        corpus.without_timestamps,
        corpus.podcasts.len(),
        corpus.note_bytes() as f64 / 1e6,
        out.display()
    );
    Ok(())
}
