//! The judged query set and its measures (MRR, nDCG@10), shared by the relevance test and the
//! podseek-versus-FTS5 report (`cargo run --release --example relevance`).
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Ranks looked at by nDCG.
pub const NDCG_DEPTH: usize = 10;

/// One judged query.
#[derive(Debug, Clone)]
pub struct Judged {
    /// identifier, typo, synonym, stem, question, multi, episodes.
    pub category: String,
    /// The query as a person types it.
    pub query: String,
    /// Item (or `episode@*` pattern) → grade.
    pub grades: Vec<(String, u32)>,
}

impl Judged {
    /// Whether results are episodes (`--by-episode`) rather than chapters.
    pub fn by_episode(&self) -> bool {
        self.category == "episodes"
    }

    /// The grade of a result item, and which judgment gave it.
    fn grade(&self, item: &str) -> Option<(usize, u32)> {
        if let Some(i) = self.grades.iter().position(|(k, _)| k == item) {
            return Some((i, self.grades[i].1));
        }
        let episode = item.split('@').next().unwrap_or(item);
        let any = format!("{episode}@*");
        if item.contains('@')
            && let Some(i) = self.grades.iter().position(|(k, _)| *k == any)
        {
            return Some((i, self.grades[i].1));
        }
        None
    }

    /// Reciprocal rank of the first relevant result (0 when none in the list).
    pub fn reciprocal_rank(&self, ranked: &[String]) -> f64 {
        ranked
            .iter()
            .position(|r| self.grade(r).is_some_and(|(_, g)| g > 0))
            .map_or(0.0, |p| 1.0 / (p as f64 + 1.0))
    }

    /// nDCG over the first [`NDCG_DEPTH`] results; each judgment counts once.
    pub fn ndcg(&self, ranked: &[String]) -> f64 {
        let gain = |g: u32| f64::from((1u32 << g) - 1);
        let discount = |i: usize| (i as f64 + 2.0).log2();
        let mut used = vec![false; self.grades.len()];
        let mut dcg = 0.0;
        for (i, r) in ranked.iter().take(NDCG_DEPTH).enumerate() {
            if let Some((j, g)) = self.grade(r)
                && !used[j]
            {
                used[j] = true;
                dcg += gain(g) / discount(i);
            }
        }
        let mut ideal: Vec<u32> = self.grades.iter().map(|(_, g)| *g).collect();
        ideal.sort_unstable_by(|a, b| b.cmp(a));
        let idcg: f64 = ideal
            .iter()
            .take(NDCG_DEPTH)
            .enumerate()
            .map(|(i, g)| gain(*g) / discount(i))
            .sum();
        if idcg == 0.0 { 0.0 } else { dcg / idcg }
    }
}

/// The repository's `tests/relevance/judged.txt`.
pub fn judged_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/relevance/judged.txt")
}

/// Reads the judged set.
pub fn load(path: &Path) -> Vec<Judged> {
    let text = std::fs::read_to_string(path).expect("judged set readable");
    let mut aliases: Vec<(String, String)> = Vec::new();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("@alias ") {
            let (name, value) = rest.split_once(" = ").expect("alias NAME = VALUE");
            aliases.push((name.trim().to_string(), value.trim().to_string()));
            continue;
        }
        let parts: Vec<&str> = line.splitn(3, " | ").collect();
        assert_eq!(
            parts.len(),
            3,
            "judged.txt:{}: category | query | judgments",
            n + 1
        );
        let grades = parts[2]
            .split_whitespace()
            .map(|j| {
                let (item, grade) = j.rsplit_once('=').expect("ITEM=GRADE");
                let mut item = item.to_string();
                for (name, value) in &aliases {
                    if let Some(rest) = item.strip_prefix(&format!("{name}#")) {
                        item = format!("{value}#{rest}");
                    } else if item == *name || item.starts_with(&format!("{name}@")) {
                        item = format!("{value}{}", &item[name.len()..]);
                    }
                }
                (item, grade.parse().expect("grade is a number"))
            })
            .collect();
        out.push(Judged {
            category: parts[0].trim().to_string(),
            query: parts[1].trim().to_string(),
            grades,
        });
    }
    out
}

/// `core.py#21` for a numbered episode, `core.py#t:title` otherwise.
pub fn episode_id(podcast: Option<&str>, number: Option<u32>, title: &str) -> String {
    let p = podcast.unwrap_or("");
    match number {
        Some(n) => format!("{p}#{n}"),
        None => format!("{p}#t:{}", title.to_lowercase()),
    }
}

/// A chapter's item: `core.py#21@00:08:35`.
pub fn chapter_id(episode: &str, start_seconds: u64) -> String {
    format!(
        "{episode}@{:02}:{:02}:{:02}",
        start_seconds / 3600,
        start_seconds / 60 % 60,
        start_seconds % 60
    )
}

/// Mean reciprocal rank and mean nDCG@10 of a run, and the per-query values.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    /// (category, query, reciprocal rank, nDCG@10) per query.
    pub per_query: Vec<(String, String, f64, f64)>,
}

impl Scores {
    /// Records one query's ranking.
    pub fn add(&mut self, j: &Judged, ranked: &[String]) {
        self.per_query.push((
            j.category.clone(),
            j.query.clone(),
            j.reciprocal_rank(ranked),
            j.ndcg(ranked),
        ));
    }

    /// (MRR, nDCG@10) over the queries of `category` (all when None).
    pub fn mean(&self, category: Option<&str>) -> (f64, f64) {
        let rows: Vec<_> = self
            .per_query
            .iter()
            .filter(|r| category.is_none_or(|c| r.0 == c))
            .collect();
        if rows.is_empty() {
            return (0.0, 0.0);
        }
        let n = rows.len() as f64;
        (
            rows.iter().map(|r| r.2).sum::<f64>() / n,
            rows.iter().map(|r| r.3).sum::<f64>() / n,
        )
    }

    /// Categories in first-seen order with their query counts.
    pub fn categories(&self) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        for r in &self.per_query {
            match at.get(&r.0) {
                Some(&i) => out[i].1 += 1,
                None => {
                    at.insert(r.0.clone(), out.len());
                    out.push((r.0.clone(), 1));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(grades: &[(&str, u32)]) -> Judged {
        Judged {
            category: "x".into(),
            query: "q".into(),
            grades: grades.iter().map(|(k, g)| (k.to_string(), *g)).collect(),
        }
    }

    #[test]
    fn measures() {
        let q = j(&[("a#1@00:00:10", 2), ("a#2@*", 1)]);
        let ranked = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(q.reciprocal_rank(&ranked(&["x", "a#1@00:00:10"])), 0.5);
        assert_eq!(q.reciprocal_rank(&ranked(&["x"])), 0.0);
        assert!((q.ndcg(&ranked(&["a#1@00:00:10", "a#2@00:01:00"])) - 1.0).abs() < 1e-9);
        // A pattern counts once however many chapters it matches.
        let twice = q.ndcg(&ranked(&["a#2@00:01:00", "a#2@00:02:00"]));
        let once = q.ndcg(&ranked(&["a#2@00:01:00"]));
        assert_eq!(twice, once);
        assert!(once < 1.0);
    }
}
