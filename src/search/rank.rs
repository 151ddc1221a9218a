//! "Which episode?": hits grouped by episode, each episode scored by its best hit plus a damped
//! sum of the others, so one strong chapter beats many weak mentions but breadth still counts.

use crate::error::Result;
use crate::index::groups;
use std::collections::HashMap;
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Searcher, TantivyError};

/// Each further hit of an episode adds this fraction of the previous one's weight.
pub const DAMPING: f32 = 0.5;

/// One episode's hits, by their positions in the ranked list.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The episode's key.
    pub key: String,
    /// Best hit plus the damped sum of the rest.
    pub score: f32,
    /// Positions in the ranked list, best first.
    pub members: Vec<usize>,
}

/// An episode's score from its hits' scores, best first.
pub fn episode_score(scores: &[f32]) -> f32 {
    let mut total = 0.0;
    let mut weight = 1.0;
    for s in scores {
        total += s * weight;
        weight *= DAMPING;
    }
    total
}

/// Writes document `doc`'s episode key, from its segment's `key` column, into `key` (left as it
/// is when the document has none).
pub(crate) fn read_key(col: &StrColumn, doc: DocId, key: &mut String) -> Result<()> {
    if let Some(ord) = col.term_ords(doc).next() {
        col.ord_to_str(ord, key).map_err(TantivyError::from)?;
    }
    Ok(())
}

/// Groups ranked hits by episode (the `key` fast field of each hit's episode document, not the
/// stored documents).
pub fn group(searcher: &Searcher, top: &[(f32, DocAddress)]) -> Result<Vec<Group>> {
    let mut columns = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut key = String::new();
    for (i, (_, addr)) in top.iter().enumerate() {
        let seg = addr.segment_ord;
        if let std::collections::hash_map::Entry::Vacant(e) = columns.entry(seg) {
            let ff = searcher.segment_reader(seg).fast_fields();
            e.insert((ff.str("key")?, ff.u64("chapter")?));
        }
        key.clear();
        if let Some((Some(keys), chapters)) = columns.get(&seg) {
            // A chapter's key is its episode document's (version 4 chapters also have their own).
            let doc = groups::episode_doc(chapters, addr.doc_id).unwrap_or(addr.doc_id);
            read_key(keys, doc, &mut key)?;
        }
        match at.get(&key) {
            Some(&g) => groups[g].members.push(i),
            None => {
                at.insert(key.clone(), groups.len());
                groups.push(Group {
                    key: key.clone(),
                    score: 0.0,
                    members: vec![i],
                });
            }
        }
    }
    for g in &mut groups {
        let scores: Vec<f32> = g.members.iter().map(|&i| top[i].0).collect();
        g.score = episode_score(&scores);
    }
    // Equal episodes by their best hit, then by key: not by where their documents sit, which
    // differs between builds of the same notes.
    let best = |g: &Group| g.members.first().map_or(0.0, |&i| top[i].0);
    groups.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| best(b).total_cmp(&best(a)))
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breadth_counts_but_less_than_the_best_hit() {
        assert_eq!(episode_score(&[4.0]), 4.0);
        assert_eq!(episode_score(&[4.0, 2.0, 2.0]), 4.0 + 1.0 + 0.5);
        // Many weak mentions never add up to more than twice the best of them.
        assert!(episode_score(&[1.0; 100]) <= 2.0);
        assert!(episode_score(&[3.0]) > episode_score(&[1.0; 100]));
    }
}
