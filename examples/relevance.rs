//! podseek versus SQLite FTS5 on the judged query set: MRR and nDCG@10 side by side.
//!
//! `cargo run --release --example relevance` (add `-- --queries` to list every query that does
//! not put a relevant result first). FTS5 gets the same documents (one row per chapter, one per
//! episode), `unicode61 remove_diacritics 2` with the porter stemmer, and bm25 with the column
//! weights podseek uses (chapter title 3, section 1.5, episode title 1.5, description 1.0).

#[path = "../tests/relevance/corpus.rs"]
mod corpus;
#[path = "../tests/relevance/judge.rs"]
mod judge;

use rusqlite::Connection;
use std::collections::HashMap;

/// Rows FTS5 returns for grouping by episode.
const GROUP_FETCH: usize = 200;

fn fts5_index(loaded: &podseek::load::Loaded) -> rusqlite::Result<Connection> {
    let db = Connection::open_in_memory()?;
    db.execute_batch(
        "CREATE VIRTUAL TABLE docs USING fts5(
            chapter_title, section, episode_title, description,
            item UNINDEXED, episode UNINDEXED,
            tokenize = 'porter unicode61 remove_diacritics 2');",
    )?;
    let mut insert = db.prepare(
        "INSERT INTO docs (chapter_title, section, episode_title, description, item, episode)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for file in &loaded.files {
        for ep in &file.output.episodes {
            let id = judge::episode_id(ep.podcast.as_deref(), ep.number, &ep.title);
            insert.execute((
                None::<&str>,
                None::<&str>,
                &ep.title,
                &ep.description,
                &id,
                &id,
            ))?;
            for c in &ep.chapters {
                insert.execute((
                    &c.title,
                    c.section.as_deref(),
                    &ep.title,
                    None::<&str>,
                    judge::chapter_id(&id, c.start_seconds),
                    &id,
                ))?;
            }
        }
    }
    drop(insert);
    Ok(db)
}

/// The query in FTS5 syntax: each word a quoted string (FTS5's tokenizer splits it as it split
/// the text), `-word` as NOT, `OR` kept, `"phrases"` kept; `any` joins the words with OR.
fn fts5_query(q: &str, any: bool) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut negated: Vec<String> = Vec::new();
    let mut rest = q.trim();
    while !rest.is_empty() {
        let (tok, after) = if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"').unwrap_or(r.len());
            (format!("\"{}\"", &r[..end]), r.get(end + 1..).unwrap_or(""))
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            (rest[..end].to_string(), &rest[end..])
        };
        rest = after.trim_start();
        if tok == "OR" {
            parts.push("OR".into());
        } else if let Some(w) = tok.strip_prefix('-').filter(|w| !w.is_empty()) {
            negated.push(quote(w));
        } else if tok.starts_with('"') {
            parts.push(tok);
        } else {
            parts.push(quote(&tok));
        }
    }
    let joiner = if any { " OR " } else { " " };
    let mut out = parts
        .join(joiner)
        .replace(" OR OR OR ", " OR ")
        .replace(" OR  OR ", " OR ");
    for n in negated {
        out = format!("({out}) NOT {n}");
    }
    out
}

fn quote(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// FTS5's ranked items (and episodes) for a query; an FTS5 syntax error finds nothing.
fn fts5_search(db: &Connection, q: &str, limit: usize) -> Vec<(String, String, f64)> {
    let sql = "SELECT item, episode, bm25(docs, 3.0, 1.5, 1.5, 1.0) AS r FROM docs
               WHERE docs MATCH ?1 ORDER BY r LIMIT ?2";
    let Ok(mut stmt) = db.prepare_cached(sql) else {
        return vec![];
    };
    let rows = stmt.query_map((q, limit as i64), |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, f64>(2)?,
        ))
    });
    match rows {
        Ok(rows) => rows.filter_map(Result::ok).collect(),
        Err(_) => vec![],
    }
}

fn fts5_ranked(db: &Connection, j: &judge::Judged, fallback: bool) -> Vec<String> {
    let fetch = if j.by_episode() {
        GROUP_FETCH
    } else {
        judge::NDCG_DEPTH
    };
    let mut rows = fts5_search(db, &fts5_query(&j.query, false), fetch);
    if rows.is_empty() && fallback {
        rows = fts5_search(db, &fts5_query(&j.query, true), fetch);
    }
    if !j.by_episode() {
        return rows.into_iter().map(|(item, _, _)| item).collect();
    }
    // Episodes by their best row plus a damped sum of the rest, as podseek groups them.
    let mut order: Vec<String> = Vec::new();
    let mut scores: HashMap<String, Vec<f32>> = HashMap::new();
    for (_, ep, r) in rows {
        let s = scores.entry(ep.clone()).or_default();
        if s.is_empty() {
            order.push(ep);
        }
        s.push(-r as f32);
    }
    let score = |ep: &String| damped(&scores[ep]);
    order.sort_by(|a, b| score(b).total_cmp(&score(a)));
    order.truncate(judge::NDCG_DEPTH);
    order
}

/// The best score plus the others, each weighing half the one before (podseek's `--by-episode`).
fn damped(scores: &[f32]) -> f32 {
    let mut w = 1.0;
    let mut total = 0.0;
    for s in scores {
        total += s * w;
        w *= 0.5;
    }
    total
}

fn main() {
    let list = std::env::args().any(|a| a == "--queries");
    let set = judge::load(&judge::judged_path());
    let dir = tempfile::tempdir().expect("temp dir");
    let idx = corpus::build_index(dir.path());
    let db = fts5_index(&corpus::loaded()).expect("FTS5 index");

    let mut runs: Vec<(&str, judge::Scores)> = vec![
        ("podseek", judge::Scores::default()),
        ("fts5", judge::Scores::default()),
        ("fts5+or", judge::Scores::default()),
    ];
    for j in &set {
        let rankings = [
            corpus::ranked(&idx, j),
            fts5_ranked(&db, j, false),
            fts5_ranked(&db, j, true),
        ];
        for ((name, scores), ranked) in runs.iter_mut().zip(&rankings) {
            scores.add(j, ranked);
            if list && j.reciprocal_rank(ranked) < 1.0 {
                println!(
                    "{name:<8} [{}] {:?} → {:?}",
                    j.category,
                    j.query,
                    &ranked[..ranked.len().min(3)]
                );
            }
        }
    }
    if list {
        println!();
    }
    // Latency on this small corpus, for orientation only (the machine is shared and noisy).
    let rounds = 20;
    let started = std::time::Instant::now();
    for _ in 0..rounds {
        for j in &set {
            std::hint::black_box(corpus::ranked(&idx, j));
        }
    }
    let podseek_us = started.elapsed().as_micros() as f64 / (rounds * set.len()) as f64;
    let started = std::time::Instant::now();
    for _ in 0..rounds {
        for j in &set {
            std::hint::black_box(fts5_ranked(&db, j, true));
        }
    }
    let fts5_us = started.elapsed().as_micros() as f64 / (rounds * set.len()) as f64;
    println!(
        "mean time per query, hits rendered: podseek {podseek_us:.0} µs, fts5+or {fts5_us:.0} µs\n"
    );
    print!("{:<11} {:>7}", "category", "queries");
    for (name, _) in &runs {
        print!("  {:>8} MRR {:>8} nDCG", name, name);
    }
    println!();
    let cats = runs[0].1.categories();
    let mut rows: Vec<(String, usize, Option<&str>)> = cats
        .iter()
        .map(|(c, n)| (c.clone(), *n, Some(c.as_str())))
        .collect();
    rows.push(("all".into(), set.len(), None));
    for (label, n, cat) in rows {
        print!("{label:<11} {n:>7}");
        for (_, scores) in &runs {
            let (mrr, ndcg) = scores.mean(cat);
            print!("  {mrr:>12.3} {ndcg:>13.3}");
        }
        println!();
    }
}
