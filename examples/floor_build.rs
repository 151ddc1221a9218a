//! How fast tantivy itself indexes the corpus's documents, without podseek's extras: the floor
//! under podseek's build time. Parses PATH (timed apart), then indexes one document per chapter
//! (its title) and one per episode (title and description) into a temporary index with the same
//! threads and memory budget as `podseek index`, and prints the indexing time:
//!
//! `cargo run --release --example floor_build -- PATH [bare|podseek] [ROUNDS]`
//!
//! `bare`: one text field, tantivy's default tokenizer (split on non-alphanumerics, lowercase),
//! positions, nothing stored, no fast fields. `podseek`: the same documents through podseek's
//! analyzer (code-aware words and marked stems). Compare with `podseek index --rebuild PATH`
//! minus `examples/profile_parse PATH`, and with FTS5's insert time in `cargo bench --bench compare`.
use podseek::index::{WRITER_BUDGET, analyzer, indexing_threads};
use podseek::{LoadOptions, load};
use std::time::Instant;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{Index, TantivyDocument};

// The podseek binary's allocator, so the numbers are comparable with the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = std::path::PathBuf::from(args.next().unwrap_or_else(|| "fixtures".into()));
    let variant = args.next().unwrap_or_else(|| "bare".into());
    let rounds: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let tokenizer = match variant.as_str() {
        "bare" => "default",
        "podseek" => "podseek_code",
        other => anyhow::bail!("unknown variant {other:?}: bare or podseek"),
    };

    let t = Instant::now();
    let loaded = load::load(std::slice::from_ref(&path), &LoadOptions::default())?;
    let episodes: Vec<_> = loaded
        .files
        .iter()
        .flat_map(|f| &f.output.episodes)
        .collect();
    let chapters: usize = episodes.iter().map(|e| e.chapters.len()).sum();
    println!(
        "parse: {:.3} s, {} episodes, {chapters} chapters",
        t.elapsed().as_secs_f64(),
        episodes.len()
    );

    for round in 1..=rounds {
        let dir = tempfile::tempdir()?;
        let mut b = Schema::builder();
        let text = b.add_text_field(
            "text",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let index = Index::create_in_dir(dir.path(), b.build())?;
        index
            .tokenizers()
            .register("podseek_code", analyzer::exact_with_stems());
        let threads = indexing_threads();
        let t = Instant::now();
        // podseek's writer: the same threads and one shared budget.
        let mut w = index.writer_with_num_threads(threads, WRITER_BUDGET)?;
        for ep in &episodes {
            let mut d = TantivyDocument::default();
            d.add_text(text, &ep.title);
            d.add_text(text, &ep.description);
            w.add_document(d)?;
            for c in &ep.chapters {
                let mut d = TantivyDocument::default();
                d.add_text(text, &c.title);
                w.add_document(d)?;
            }
        }
        w.commit()?;
        w.wait_merging_threads()?;
        let bytes: u64 = std::fs::read_dir(dir.path())?
            .filter_map(|e| e.ok()?.metadata().ok())
            .map(|m| m.len())
            .sum();
        println!(
            "round {round} ({variant}): index {:.3} s, {:.1} MB, {threads} threads",
            t.elapsed().as_secs_f64(),
            bytes as f64 / 1e6
        );
    }
    Ok(())
}
