//! The benchmark's code path (`benches/compare.rs`) on a 200-episode corpus: every step runs and
//! both engines answer, with no timing asserted (speed is for `cargo bench`).

#[allow(dead_code)]
#[path = "../../benches/compare/run.rs"]
mod run;

use podseek::corpus::{QueryKind, query_mix};
use std::time::Duration;

#[test]
fn the_benchmark_runs_every_step_on_a_small_corpus() {
    let work = tempfile::tempdir().expect("temp dir");
    let cfg = run::Config {
        sizes: vec![200],
        seed: 1,
        work: work.path().to_path_buf(),
        bin: assert_cmd::cargo::cargo_bin("podseek"),
        max_runs: 2,
        query_budget: Duration::from_secs(1),
        process_runs: 1,
        builds: 2,
    };
    let r = run::run_size(&cfg, 200).expect("benchmark ran");
    assert_eq!(r.episodes, 200);
    assert_eq!(
        r.indexed,
        (200, r.chapters as u64),
        "podseek indexed what was generated"
    );
    assert!(r.index_bytes > 0 && r.fts_bytes > 0);
    for kind in QueryKind::ALL {
        assert!(
            r.podseek_q.by_kind[&kind].n >= 5,
            "{kind:?} timed on podseek"
        );
        assert!(r.fts_q.by_kind[&kind].n >= 5, "{kind:?} timed on FTS5");
    }
    for q in query_mix() {
        let (ours, theirs) = (r.podseek_q.found[&q.text], r.fts_q.found[&q.text]);
        match q.kind {
            QueryKind::Common | QueryKind::Phrase => {
                assert!(
                    ours > 0 && theirs > 0,
                    "{:?}: podseek {ours}, FTS5 {theirs}",
                    q.text
                )
            }
            QueryKind::NoMatch => {
                assert_eq!((ours, theirs), (0, 0), "{:?} matched something", q.text)
            }
            _ => {}
        }
    }
    assert_eq!(r.process.len(), 3);
    // Both engines built twice, alternating; the rows give a middle value and the spread.
    assert_eq!(r.builds, 2);
    assert!(r.build_range.0 <= r.build && r.build <= r.build_range.1);
    assert!(r.fts_build_range.0 <= r.fts_build && r.fts_build <= r.fts_build_range.1);
    assert!(r.floor_build > Duration::ZERO);
    assert!(r.floor_build_range.0 <= r.floor_build && r.floor_build <= r.floor_build_range.1);
    // podseek gives tantivy more tokens than the floor's one field (stems, parts, pairs).
    assert!(r.tokens.0 > r.tokens.1 && r.tokens.1 > 0, "{:?}", r.tokens);
    let table = run::render(&r);
    for row in [
        "| build s, median of 2 alternating",
        "| tantivy alone, the floor under podseek's build s",
        "| tokens given to tantivy, millions",
        "| index MB",
        "| query phrase",
        "| re-index",
        "| add one",
    ] {
        assert!(table.contains(row), "no {row:?} row in\n{table}");
    }
}

/// `build.rs` links the binary at a fixed address on glibc Linux (its start is 1.3–2 ms faster
/// than a PIE's): the ELF header's type is `ET_EXEC` (2), not `ET_DYN` (3).
#[test]
#[cfg(all(
    target_os = "linux",
    target_env = "gnu",
    not(target_feature = "crt-static")
))]
fn the_binary_is_linked_position_dependent() {
    if std::env::var_os("PODSEEK_PIE").is_some_and(|v| !v.is_empty() && v != "0") {
        eprintln!("PODSEEK_PIE is set: the binary is a PIE by request");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("podseek");
    let mut header = [0u8; 18];
    std::io::Read::read_exact(
        &mut std::fs::File::open(&bin).expect("binary readable"),
        &mut header,
    )
    .expect("an ELF header");
    assert_eq!(&header[..4], b"\x7fELF", "{} is an ELF file", bin.display());
    let e_type = u16::from_le_bytes([header[16], header[17]]);
    assert_eq!(
        e_type,
        2,
        "ELF type of {} (2 = EXEC, 3 = DYN)",
        bin.display()
    );
}
