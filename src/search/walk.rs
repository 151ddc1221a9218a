//! A word's typo neighbours, found by walking a term dictionary's FST with the Levenshtein
//! automaton directly.
//!
//! tantivy's automaton stream decodes every child node of a live node before asking the
//! automaton whether the child can match, and compares the key with the range's bounds at each
//! step: for a two-typo word at 100k episodes that was half the search. This walk asks the
//! automaton first and decodes only the children it can reach (the walk 2-2.5x faster at 100k,
//! plus about 2.5 µs to open each FST). It needs the FST's bytes, which tantivy does not hand
//! out: they are read from the segment's term file by tantivy's layout, checked against the
//! dictionary tantivy opened (same number of terms, every key found there), and the caller
//! streams as before when any check fails.

use tantivy::directory::error::OpenReadError;
use tantivy::directory::{CompositeFile, FileSlice, OwnedBytes};
use tantivy::index::SegmentComponent;
use tantivy::schema::Field;
use tantivy::{Directory, InvertedIndexReader, Searcher, SegmentReader};
use tantivy_fst::Automaton;
use tantivy_fst::raw::{Fst, Node};

/// The dictionary type tantivy 0.27 writes last in a field's term dictionary (1: FST).
const FST_DICTIONARY: u32 = 1;
/// The FST term dictionary's format version, before it.
const FST_VERSION: u32 = 1;

/// The terms of `field` in segment `ord` that start with `prefix` and that `aut` accepts, with
/// their document frequencies, in key order; None when the dictionary cannot be walked here.
pub fn terms<A: Automaton>(
    searcher: &Searcher,
    ord: u32,
    field: Field,
    inverted: &InvertedIndexReader,
    aut: &A,
    prefix: &[u8],
) -> Option<Vec<(String, u32)>> {
    let fst = fst_of(searcher, ord, field)?;
    let dict = inverted.terms();
    if fst.len() != dict.num_terms() {
        return None;
    }
    let mut out = Vec::new();
    for key in walk(&fst, aut, prefix) {
        // The document frequency from tantivy's own dictionary: a key it does not know means
        // the bytes were not what they seemed.
        let info = dict.get(&key).ok()??;
        if let Ok(term) = String::from_utf8(key) {
            out.push((term, info.doc_freq));
        }
    }
    Some(out)
}

/// The FST of a field's term dictionary in a segment, if it is laid out as tantivy 0.27 writes
/// it.
fn fst_of(searcher: &Searcher, ord: u32, field: Field) -> Option<Fst<OwnedBytes>> {
    let reader = searcher.segment_readers().get(usize::try_from(ord).ok()?)?;
    let file = segment_file(searcher, reader, SegmentComponent::Terms).ok()?;
    let bytes = CompositeFile::open(&file)
        .ok()?
        .open_read(field)?
        .read_bytes()
        .ok()?;
    let end = fst_end(bytes.as_slice())?;
    Fst::new(bytes.slice(0..end)).ok()
}

/// A segment's terms or postings file, opened by the name tantivy 0.27 gives it.
/// `Index::segment` would register a segment meta with tantivy's census and unregister it when
/// dropped, a condvar wake-up (a system call) each time: two per field and segment that a typo
/// walk reads.
pub(crate) fn segment_file(
    searcher: &Searcher,
    reader: &SegmentReader,
    component: SegmentComponent,
) -> Result<FileSlice, OpenReadError> {
    let ext = match component {
        SegmentComponent::Terms => "term",
        SegmentComponent::Postings => "idx",
        other => return Err(OpenReadError::FileDoesNotExist(format!("{other:?}").into())),
    };
    let name = format!("{}.{ext}", reader.segment_id().uuid_string());
    searcher
        .index()
        .directory()
        .open_read(std::path::Path::new(&name))
}

/// Where the FST ends in a field's term dictionary: `[fst][term infos][u64 term infos'
/// length][u32 FST_VERSION][u32 FST_DICTIONARY]`, numbers little-endian.
fn fst_end(dict: &[u8]) -> Option<usize> {
    let n = dict.len();
    let word = |from_end: usize, len: usize| dict.get(n.checked_sub(from_end)?..)?.get(..len);
    let u32_at = |from_end| Some(u32::from_le_bytes(word(from_end, 4)?.try_into().ok()?));
    if u32_at(4)? != FST_DICTIONARY || u32_at(8)? != FST_VERSION {
        return None;
    }
    let infos = u64::from_le_bytes(word(16, 8)?.try_into().ok()?);
    n.checked_sub(16)?.checked_sub(usize::try_from(infos).ok()?)
}

/// The keys under `prefix` that `aut` accepts, in order.
fn walk<A: Automaton>(fst: &Fst<OwnedBytes>, aut: &A, prefix: &[u8]) -> Vec<Vec<u8>> {
    let mut node = fst.root();
    let mut state = aut.start();
    for &b in prefix {
        let Some(i) = node.find_input(b) else {
            return vec![];
        };
        state = aut.accept(&state, b);
        if !aut.can_match(&state) {
            return vec![];
        }
        node = fst.node(node.transition_addr(i));
    }
    let mut found = Vec::new();
    let mut key = prefix.to_vec();
    below(fst, aut, &node, state, &mut key, &mut found);
    found
}

/// The accepted keys at and below `node`, reached by `key` in `state`. Recursion goes only as
/// deep as the automaton lets a key grow: a Levenshtein automaton's, the word and its typos.
fn below<A: Automaton>(
    fst: &Fst<OwnedBytes>,
    aut: &A,
    node: &Node,
    state: A::State,
    key: &mut Vec<u8>,
    found: &mut Vec<Vec<u8>>,
) {
    if node.is_final() && aut.is_match(&state) {
        found.push(key.clone());
    }
    for t in node.transitions() {
        let next = aut.accept(&state, t.inp);
        if aut.can_match(&next) {
            key.push(t.inp);
            below(fst, aut, &fst.node(t.addr), next, key, found);
            key.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::FuzzyTermQuery;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, Term, doc};

    /// What tantivy's stream finds: the reference.
    fn streamed(
        inverted: &InvertedIndexReader,
        aut: &tantivy::query::DfaWrapper,
        prefix: &[u8],
    ) -> Vec<(String, u32)> {
        let mut to = prefix.to_vec();
        to.push(0xFF);
        let mut out = Vec::new();
        let mut s = inverted
            .terms()
            .search(aut)
            .ge(prefix)
            .lt(&to)
            .into_stream()
            .expect("stream");
        while s.advance() {
            if let Ok(t) = std::str::from_utf8(s.key()) {
                out.push((t.to_string(), s.value().doc_freq));
            }
        }
        out
    }

    #[test]
    fn the_walk_finds_what_tantivys_stream_finds() -> anyhow::Result<()> {
        let mut schema = Schema::builder();
        let (a, b) = (
            schema.add_text_field("a", TEXT),
            schema.add_text_field("b", TEXT),
        );
        // On disk, as podseek's indexes are (memory-mapped files).
        let dir = tempfile::tempdir()?;
        let index = Index::create_in_dir(dir.path(), schema.build())?;
        let mut w = index.writer_with_num_threads(1, 15_000_000)?;
        // Words over a small alphabet (many neighbours), some accented, in three segments.
        let letters = ['a', 'b', 'c', 'e', 'é', 'ł'];
        let word = |mut n: usize| {
            let mut s = String::new();
            for _ in 0..(3 + n % 6) {
                s.push(letters[n % letters.len()]);
                n = n / letters.len() + n * 7 % 11;
            }
            s
        };
        for seg in 0..3 {
            for i in 0..2_000 {
                let n = seg * 2_000 + i;
                w.add_document(
                    doc!(a => format!("{} {}", word(n), word(n * 3 + 1)), b => word(n * 5 + 2)),
                )?;
            }
            w.commit()?;
        }
        let searcher = index.reader()?.searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let mut compared = 0;
        let mut queries: Vec<String> = (0..24).map(|i| word(i * 37 + 5)).collect();
        queries.extend(
            [
                "abcab",
                "ééca",
                "cabbage",
                "łabe",
                "bbbbbbbb",
                "acebacebé",
                "zzz",
                "a",
            ]
            .map(String::from),
        );
        for q in &queries {
            for typos in [1, 2] {
                let dfa =
                    FuzzyTermQuery::new(Term::from_field_text(a, q), typos, true).automaton()?;
                let ours = super::super::typos::Typos::new(q, typos).expect("a short word");
                let first = q.chars().next().map(String::from).unwrap_or_default();
                for field in [a, b] {
                    for (ord, seg) in (0u32..).zip(searcher.segment_readers()) {
                        let inv = seg.inverted_index(field)?;
                        let want = streamed(&inv, &dfa, first.as_bytes());
                        let got = terms(&searcher, ord, field, &inv, &dfa, first.as_bytes());
                        assert_eq!(got.as_ref(), Some(&want), "{q} {typos}");
                        // The automaton podseek walks with: the same terms as tantivy's DFA.
                        let got = terms(&searcher, ord, field, &inv, &ours, first.as_bytes());
                        assert_eq!(got.as_ref(), Some(&want), "{q} {typos}, typos automaton");
                        compared += want.len();
                    }
                }
            }
        }
        assert!(compared > 2_000, "{compared}");
        Ok(())
    }

    #[test]
    fn podseeks_own_index_is_walked_not_streamed() -> anyhow::Result<()> {
        // Through podseek's index folder and fields: a fallback to the stream here would only
        // be slower, so nothing else would notice it.
        let dir = tempfile::tempdir()?;
        let opts = crate::index::IndexOptions::default();
        crate::index::update(
            dir.path(),
            &mut crate::load::bundled(),
            &opts,
            &mut |_, _| {},
        )?;
        let idx = crate::index::PodIndex::open(dir.path())?;
        let searcher = idx.searcher();
        let f = &idx.fields;
        let mut found = 0;
        for field in [f.chapter_title, f.section, f.episode_title, f.description] {
            let dfa = FuzzyTermQuery::new(Term::from_field_text(field, "colection"), 2, true)
                .automaton()?;
            for (ord, seg) in (0u32..).zip(searcher.segment_readers()) {
                let inv = seg.inverted_index(field)?;
                let got = terms(&searcher, ord, field, &inv, &dfa, b"c");
                assert_eq!(got.as_ref(), Some(&streamed(&inv, &dfa, b"c")));
                found += got.map_or(0, |g| g.len());
            }
        }
        assert!(found > 0);
        Ok(())
    }

    #[test]
    fn only_the_layout_tantivy_writes_is_read() {
        let mut dict = vec![7u8; 10];
        dict.extend_from_slice(&[1, 2, 3]);
        dict.extend_from_slice(&3u64.to_le_bytes());
        dict.extend_from_slice(&FST_VERSION.to_le_bytes());
        dict.extend_from_slice(&FST_DICTIONARY.to_le_bytes());
        assert_eq!(fst_end(&dict), Some(10));
        let n = dict.len();
        let mut other = dict.clone();
        other[n - 4] = 2;
        assert_eq!(fst_end(&other), None, "an SSTable dictionary");
        let mut other = dict.clone();
        other[n - 8] = 2;
        assert_eq!(fst_end(&other), None, "another FST version");
        let mut other = dict.clone();
        other[n - 16] = 200;
        assert_eq!(fst_end(&other), None, "term infos longer than the file");
        assert_eq!(fst_end(&dict[n - 15..]), None);
        assert_eq!(fst_end(&[]), None);
    }
}
