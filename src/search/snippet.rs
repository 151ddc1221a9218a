//! Snippets: the part of a field's text that matched, with the byte ranges of the matched words.
//!
//! Built here rather than with tantivy's `SnippetGenerator`, which sees only the terms of exact
//! term queries: podseek also highlights stems, synonyms, typo and prefix matches.

use super::plan::Highlight;
use crate::index::analyzer;
use tantivy::tokenizer::TextAnalyzer;

/// Longest snippet cut out of a longer text, in bytes (about).
pub const MAX_CHARS: usize = 160;

/// Finds matched words in text.
pub struct Highlighter {
    exact: TextAnalyzer,
    terms: Highlight,
    /// The first letters of the stems: a word is stemmed only when it starts with one.
    stem_firsts: Vec<char>,
}

/// A fragment of text and the ranges in it to mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// The text shown (with `…` where it was cut).
    pub text: String,
    /// Byte ranges of `text` that matched, sorted, not overlapping.
    pub highlights: Vec<[usize; 2]>,
}

impl Highlighter {
    /// A highlighter for these terms.
    pub fn new(terms: Highlight) -> Self {
        let mut stem_firsts: Vec<char> =
            terms.stem.iter().filter_map(|s| s.chars().next()).collect();
        stem_firsts.sort_unstable();
        stem_firsts.dedup();
        Highlighter {
            exact: analyzer::exact(),
            terms,
            stem_firsts,
        }
    }

    /// Byte ranges of `text` whose tokens are among the terms, merged.
    pub fn ranges(&mut self, text: &str) -> Vec<[usize; 2]> {
        let Highlighter {
            exact,
            terms,
            stem_firsts,
        } = self;
        let mut found = Vec::new();
        if terms.exact.is_empty() && terms.stem.is_empty() {
            return found;
        }
        // One pass: a prose word's stem is the stem analyzer's token at the same offsets. The
        // English stemmer rewrites only a word's ending, so a word starting with a letter no
        // stem starts with is not stemmed (stemming every word was a tenth of a rare word's
        // search).
        let mut stream = exact.token_stream(text);
        while let Some(t) = stream.next() {
            let stem_may_match = || {
                t.text
                    .chars()
                    .next()
                    .is_some_and(|c| stem_firsts.contains(&c))
                    && analyzer::is_prose(&t.text)
                    && terms.stem.contains(&analyzer::stem(&t.text))
            };
            if terms.exact.contains(&t.text) || stem_may_match() {
                found.push([t.offset_from, t.offset_to]);
            }
        }
        // An identifier's parts follow the whole: not always in order of offset.
        merged(found)
    }

    /// The best fragment of `text`, or None when nothing in it matched.
    pub fn fragment(&mut self, text: &str) -> Option<Fragment> {
        let ranges = self.ranges(text);
        if ranges.is_empty() {
            return None;
        }
        Some(cut(text, &ranges))
    }
}

/// Byte ranges sorted, overlapping and touching ones joined.
fn merged(mut found: Vec<[usize; 2]>) -> Vec<[usize; 2]> {
    found.sort_unstable();
    let mut merged: Vec<[usize; 2]> = Vec::new();
    for r in found {
        match merged.last_mut() {
            Some(last) if r[0] <= last[1] => last[1] = last[1].max(r[1]),
            _ => merged.push(r),
        }
    }
    merged
}

/// Cuts a window of about [`MAX_CHARS`] around the densest run of matches.
pub fn cut(text: &str, ranges: &[[usize; 2]]) -> Fragment {
    if text.len() <= MAX_CHARS {
        return Fragment {
            text: text.to_string(),
            highlights: ranges.to_vec(),
        };
    }
    // The window start (at a match) that covers the most matches.
    let mut best = (0usize, 0usize);
    for (i, r) in ranges.iter().enumerate() {
        let covered = ranges[i..]
            .iter()
            .take_while(|s| s[1] <= r[0] + MAX_CHARS)
            .count();
        if covered > best.1 {
            best = (i, covered);
        }
    }
    let first = ranges[best.0];
    // Start a little before the first match, at a word boundary.
    let mut start = first[0].saturating_sub(30);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        start = text[start..first[0]]
            .find(char::is_whitespace)
            .map_or(first[0], |p| start + p + 1);
    }
    let mut end = (start + MAX_CHARS).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    if end < text.len()
        && let Some(p) = text[start..end].rfind(char::is_whitespace)
        && start + p > first[1]
    {
        end = start + p;
    }
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < text.len() { "…" } else { "" };
    let shift = lead.len();
    let highlights = ranges
        .iter()
        .filter(|r| r[0] >= start && r[1] <= end)
        .map(|r| [r[0] - start + shift, r[1] - start + shift])
        .collect();
    Fragment {
        text: format!("{lead}{}{tail}", text[start..end].trim_end()),
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighter(exact: &[&str], stem: &[&str]) -> Highlighter {
        Highlighter::new(Highlight {
            exact: exact.iter().map(|s| s.to_string()).collect(),
            stem: stem.iter().map(|s| s.to_string()).collect(),
        })
    }

    fn marked(f: &Fragment) -> Vec<&str> {
        f.highlights.iter().map(|[a, b]| &f.text[*a..*b]).collect()
    }

    #[test]
    fn identifiers_highlight_whole_and_stems_by_stem() {
        let mut h = highlighter(&["pygc_head", "py", "gc", "head"], &["collect"]);
        let f = h
            .fragment("Solving reference cycles through PyGC_Head and collections")
            .expect("matches");
        assert_eq!(marked(&f), ["PyGC_Head", "collections"]);
        assert!(h.fragment("nothing here").is_none());
    }

    /// A line's tokens by the exact analyzer and by the stem analyzer, with their offsets.
    type Tokens = [Vec<(String, [usize; 2])>; 2];

    fn tokens(line: &str) -> Tokens {
        [analyzer::exact(), analyzer::all_stems()].map(|mut a| {
            let mut out = Vec::new();
            let mut stream = a.token_stream(line);
            while let Some(t) = stream.next() {
                out.push((t.text.clone(), [t.offset_from, t.offset_to]));
            }
            out
        })
    }

    /// The ranges as two passes find them: exact tokens, then every prose word's stem.
    fn two_passes(terms: &Highlight, tokens: &Tokens) -> Vec<[usize; 2]> {
        let mut found = Vec::new();
        for (list, set) in tokens.iter().zip([&terms.exact, &terms.stem]) {
            found.extend(list.iter().filter(|t| set.contains(&t.0)).map(|t| t.1));
        }
        merged(found)
    }

    #[test]
    fn one_pass_finds_what_the_exact_and_stem_analyzers_find() -> anyhow::Result<()> {
        // Lines of the seed show notes, with each of their words as the exact term and its
        // stem as the stem term: the stemmer keeps each word's first letter.
        let mut lines = Vec::new();
        for name in ["000_b1a4522b4a17a99e.txt", "002_23fa507392eb8d30.txt"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(name);
            lines.extend(std::fs::read_to_string(path)?.lines().map(str::to_string));
        }
        lines.push("Cafés' naïve ÉTUDES, ties, dying skies; y'all, 3.13 PyGC_Head".into());
        let tokens: Vec<Tokens> = lines.iter().map(|l| tokens(l)).collect();
        let mut words: Vec<String> = tokens
            .iter()
            .flat_map(|t| t[0].iter())
            .map(|t| t.0.clone())
            .collect();
        words.sort();
        words.dedup();
        assert!(words.len() > 500, "{}", words.len());
        let mut checked = 0;
        for (i, w) in words.iter().enumerate() {
            let terms = Highlight {
                exact: std::iter::once(words[(i * 7) % words.len()].clone()).collect(),
                stem: [analyzer::stem(w), "collect".to_string()]
                    .into_iter()
                    .collect(),
            };
            let mut h = Highlighter::new(terms.clone());
            for (line, tokens) in lines.iter().zip(&tokens) {
                let want = two_passes(&terms, tokens);
                // Lines with no match only now and then: tokenising them all is slow.
                if !want.is_empty() || i % 16 == 0 {
                    checked += usize::from(!want.is_empty());
                    assert_eq!(h.ranges(line), want, "{w:?} in {line:?}");
                }
            }
        }
        assert!(checked > 1000, "{checked}");
        Ok(())
    }

    #[test]
    fn long_text_is_cut_around_the_matches() {
        let text = format!(
            "{} the barrier was broken {}",
            "word ".repeat(60),
            "tail ".repeat(60)
        );
        let mut h = highlighter(&["barrier"], &[]);
        let f = h.fragment(&text).expect("matches");
        assert!(
            f.text.starts_with('…') && f.text.ends_with('…'),
            "{}",
            f.text
        );
        assert!(f.text.len() <= MAX_CHARS + 8, "{}", f.text.len());
        assert_eq!(marked(&f), ["barrier"]);
    }

    #[test]
    fn multibyte_text_is_cut_at_char_boundaries() {
        let text = "ł".repeat(200) + " Łukasz " + &"ą".repeat(200);
        let mut h = highlighter(&["lukasz"], &[]);
        let f = h.fragment(&text).expect("matches");
        assert_eq!(marked(&f), ["Łukasz"]);
    }
}
