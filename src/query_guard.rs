//! Bounds on what a query string may cost: hostile input is cut down to words, never a crash.
//!
//! tantivy's query grammar recurses once per nesting level, so thousands of `(` overflow the
//! stack; control characters mean nothing to a search. Queries past [`MAX_QUERY_BYTES`] are
//! refused outright.

use crate::error::{Error, Result};

/// Longest query accepted, in bytes; longer ones are refused rather than run.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;
/// Deepest parenthesis nesting kept; deeper queries have their parentheses dropped.
pub const MAX_NESTING: usize = 32;

/// Checks a query's size and returns a version that is safe to hand to the query parser.
pub fn sanitize(query: &str) -> Result<String> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(Error::BadQuery(format!(
            "the query is {} bytes long; the limit is {MAX_QUERY_BYTES}",
            query.len()
        )));
    }
    let mut out: String = query
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for c in out.chars() {
        match c {
            '(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest > MAX_NESTING {
        out = out.replace(['(', ')'], " ");
    }
    if out.trim().is_empty() {
        return Err(Error::BadQuery("the query is empty".into()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_becomes_words() {
        let q = format!("{}uvloop{}", "(".repeat(2000), ")".repeat(2000));
        assert_eq!(
            sanitize(&q).ok().map(|s| s.trim().to_string()),
            Some("uvloop".into())
        );
        let shallow = "((a OR b) c)";
        assert_eq!(sanitize(shallow).ok().as_deref(), Some(shallow));
    }

    #[test]
    fn control_characters_are_spaces_and_size_is_bounded() {
        assert_eq!(
            sanitize("uv\u{1}loop\u{1b}").ok().as_deref(),
            Some("uv loop ")
        );
        assert!(sanitize(&"a".repeat(MAX_QUERY_BYTES + 1)).is_err());
        assert!(sanitize("\u{7}\u{7}").is_err());
        assert!(sanitize("   ").is_err());
    }
}
