//! Synonyms and abbreviations: groups of equivalent terms, from a file shipped in the binary and
//! from the user's own (`--synonyms FILE`, a `synonyms` key in `podcast.toml`).
//!
//! The format is one group per line, terms separated by commas; `#` starts a comment. A query
//! span that equals one term of a group also matches every other term of it.

use crate::error::{Error, Result};
use crate::index::analyzer::{self, QueryTerm};
use std::collections::HashMap;
use std::path::Path;

/// The built-in groups, compiled into the binary.
pub const BUILTIN: &str = include_str!("synonyms.txt");

/// Longest synonyms file read, in bytes.
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// The `synonyms` key of a `podcast.toml`: group lines, or the path of a synonyms file (relative
/// to the `podcast.toml`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
pub enum SynonymsSetting {
    /// `synonyms = ["gc, garbage collection", ...]`
    Lines(Vec<String>),
    /// `synonyms = "synonyms.txt"`
    File(String),
}

impl SynonymsSetting {
    /// The group lines, checked; `toml` is the `podcast.toml` they come from.
    pub fn lines(&self, toml: &Path) -> Result<Vec<String>> {
        let mut check = Synonyms::default();
        match self {
            SynonymsSetting::Lines(lines) => {
                for (i, line) in lines.iter().enumerate() {
                    check.add_line(line, &format!("{}: synonyms[{i}]", toml.display()))?;
                }
                Ok(lines.clone())
            }
            SynonymsSetting::File(file) => {
                let path = toml.parent().unwrap_or(Path::new(".")).join(file);
                check.add_file(&path)?;
                let text = crate::load::read_text(&path)?;
                Ok(text
                    .lines()
                    .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect())
            }
        }
    }
}

/// One term of a group: its words, analyzed like query words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    /// The term as written.
    pub text: String,
    /// Its compounds, each with its parts.
    pub terms: Vec<QueryTerm>,
}

/// Every group known, indexed by the words that start a match.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<Alternative>>,
    /// Match key of a term (its words' keys) → (group, alternative) pairs. FxHash: every
    /// `podseek search` process fills it with the built-in groups, where SipHash was a tenth
    /// of the cost.
    by_key: HashMap<Vec<String>, Vec<(usize, usize)>, rustc_hash::FxBuildHasher>,
    longest: usize,
}

/// How a query word is compared with synonym terms: prose by its stem, the rest as it is.
pub fn match_key(t: &QueryTerm) -> String {
    if t.is_prose() {
        analyzer::stem(&t.whole)
    } else {
        t.whole.clone()
    }
}

impl Synonyms {
    /// The built-in groups.
    pub fn builtin() -> Synonyms {
        let mut s = Synonyms::default();
        // The shipped file is tested below; a failure here would be a build defect, not user input.
        let _ = s.add_text(BUILTIN, "built-in synonyms");
        s
    }

    /// Reads a synonyms file and adds its groups.
    pub fn add_file(&mut self, path: &Path) -> Result<()> {
        let text = crate::load::read_text(path)?;
        if text.len() > MAX_FILE_BYTES {
            return Err(Error::BadInput {
                path: path.to_path_buf(),
                message: format!("a synonyms file may hold at most {MAX_FILE_BYTES} bytes"),
            });
        }
        self.add_text(&text, &path.display().to_string())
    }

    /// Adds the groups of a synonyms text; errors name `source:line`.
    pub fn add_text(&mut self, text: &str, source: &str) -> Result<()> {
        for (i, line) in text.lines().enumerate() {
            self.add_line(line, &format!("{source}:{}", i + 1))?;
        }
        Ok(())
    }

    /// Adds one group line; `at` names it in errors.
    pub fn add_line(&mut self, line: &str, at: &str) -> Result<()> {
        let bad = |message: String| Error::BadSynonyms {
            at: at.to_string(),
            message,
        };
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            return Ok(());
        }
        let mut group = Vec::new();
        for entry in line.split(',') {
            let entry = entry.trim();
            let terms = analyzer::query_terms(entry);
            if terms.is_empty() {
                return Err(bad(format!(
                    "empty term in {line:?}; write the terms of a group separated by commas"
                )));
            }
            group.push(Alternative {
                text: entry.to_string(),
                terms,
            });
        }
        if group.len() < 2 {
            return Err(bad(format!(
                "{line:?} has one term; a group needs two or more, separated by commas"
            )));
        }
        let g = self.groups.len();
        for (a, alt) in group.iter().enumerate() {
            let wholes: Vec<String> = alt.terms.iter().map(match_key).collect();
            // `free-threading` also matches a query that spells its parts: `free threading`.
            let mut leaves: Vec<String> = Vec::new();
            for (t, key) in alt.terms.iter().zip(&wholes) {
                if let [only] = t.leaves.as_slice()
                    && *only == t.whole
                {
                    // A plain word is its own part: its key is stemmed already (stemming is
                    // most of what the built-in groups cost every `podseek search` process).
                    leaves.push(key.clone());
                    continue;
                }
                leaves.extend(t.leaves.iter().map(|l| {
                    if analyzer::is_prose(l) {
                        analyzer::stem(l)
                    } else {
                        l.clone()
                    }
                }));
            }
            for key in [wholes, leaves] {
                self.longest = self.longest.max(key.len());
                let slot = self.by_key.entry(key).or_default();
                if !slot.contains(&(g, a)) {
                    slot.push((g, a));
                }
            }
        }
        self.groups.push(group);
        Ok(())
    }

    /// Adds every group of `other`.
    pub fn extend(&mut self, other: &Synonyms) {
        for group in &other.groups {
            let line: Vec<&str> = group.iter().map(|a| a.text.as_str()).collect();
            let _ = self.add_line(&line.join(", "), "");
        }
    }

    /// How many groups there are.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The longest match starting at `keys[0]`: its length in words and the other terms of its
    /// groups (the matched spelling itself left out).
    pub fn longest_match(&self, keys: &[String]) -> Option<(usize, Vec<&Alternative>)> {
        for len in (1..=self.longest.min(keys.len())).rev() {
            if let Some(found) = self.by_key.get(&keys[..len]) {
                let mut alts: Vec<&Alternative> = Vec::new();
                for &(g, a) in found {
                    for (i, alt) in self.groups[g].iter().enumerate() {
                        let same = found.contains(&(g, i)) || i == a;
                        if !same && !alts.iter().any(|x| x.text == alt.text) {
                            alts.push(alt);
                        }
                    }
                }
                return Some((len, alts));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        analyzer::query_terms(text).iter().map(match_key).collect()
    }

    fn alts(s: &Synonyms, text: &str) -> Option<(usize, Vec<String>)> {
        s.longest_match(&keys(text))
            .map(|(n, a)| (n, a.iter().map(|a| a.text.clone()).collect()))
    }

    #[test]
    fn the_builtin_file_parses() {
        let mut s = Synonyms::default();
        assert!(s.add_text(BUILTIN, "synonyms.txt").is_ok());
        assert!(s.len() >= 7);
    }

    #[test]
    fn multi_word_terms_match_both_ways() {
        let s = Synonyms::builtin();
        let (n, a) = alts(&s, "GC").expect("gc");
        assert_eq!(n, 1);
        assert!(a.contains(&"garbage collection".to_string()), "{a:?}");
        let (n, a) = alts(&s, "garbage collection pauses").expect("garbage collection");
        assert_eq!(n, 2);
        assert!(a.contains(&"gc".to_string()), "{a:?}");
        // Stems: "global interpreter locks" is still the GIL.
        assert!(
            alts(&s, "global interpreter locks")
                .is_some_and(|(n, a)| n == 3 && a.contains(&"gil".into()))
        );
        // Spellings the query's own words already match (free-threading) are left out.
        let (_, a) = alts(&s, "free threading").expect("free threading");
        assert!(a.contains(&"nogil".to_string()), "{a:?}");
        let (_, a) = alts(&s, "nogil").expect("nogil");
        assert!(a.contains(&"free threading".to_string()), "{a:?}");
        assert!(alts(&s, "garbage").is_none());
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let mut s = Synonyms::default();
        let e = s.add_text("# fine\nwalrus, := operator\nlonely\n", "my.txt");
        assert_eq!(
            e.err().map(|e| e.to_string()),
            Some(
                "my.txt:3: \"lonely\" has one term; a group needs two or more, separated by commas"
                    .into()
            )
        );
        let e = s.add_text("a,,b", "x.txt");
        assert!(
            e.err()
                .is_some_and(|e| e.to_string().starts_with("x.txt:1: empty term"))
        );
    }
}
