//! The words within a few typos of a word, as an automaton over the bytes of a term dictionary.
//!
//! tantivy's `FuzzyTermQuery::automaton` compiles a Levenshtein DFA for every word: for a
//! two-typo word a fifth of a warm search (a table of 256 transitions a state, grown by
//! reallocation), and in a new process a third of the whole `podseek search`, which first
//! builds the distance-2 parametric automaton the DFAs come from. This runs the automaton's NFA
//! instead (Levenshtein distance with a transposition of two neighbours costing one edit,
//! counted in characters, as tantivy's): a bit per position of the word for each number of
//! edits, advanced a character at a time with a few shifts and masks (Wu and Manber's
//! bit-parallel rows), plus a bit per row for a transposition's first half. Building it is a
//! table of the word's characters; a step costs a few more instructions than a DFA's lookup,
//! and a two-typo walk of the 100k index takes about 6,000 steps.

use tantivy_fst::Automaton;

/// Most edits an automaton allows (tantivy's fuzzy queries allow two as well).
pub const MAX_TYPOS: u8 = 2;
/// Longest word in characters: one bit per position and one for the start fit a `u64`.
const MAX_CHARS: usize = 63;
const ROWS: usize = MAX_TYPOS as usize + 1;

/// Terms within `typos` edits of a word; see the module documentation.
#[derive(Debug, Clone)]
pub struct Typos {
    typos: usize,
    /// Bit `m`: the whole word read.
    done: u64,
    /// Bits 0 to `m`.
    all: u64,
    /// For each ASCII byte, bit `i + 1` set where the word's character `i` is that byte.
    ascii: [u64; 128],
    /// The same for the word's other characters.
    other: Vec<(char, u64)>,
}

/// Where an automaton is after some bytes: `rows[e]` has bit `i` set when the first `i`
/// characters of the word can be matched with `e` edits, `swaps[e]` bit `i + 2` when the last
/// character read was the word's character `i + 1` from position `i` with `e - 1` edits (the
/// first half of a transposition), and `partial` holds a character whose bytes have not all
/// come yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    rows: [u64; ROWS],
    swaps: [u64; ROWS],
    /// The character's bits so far, its bytes still to come and its length in bytes.
    partial: (u32, u8, u8),
}

/// The state no input leads out of.
const DEAD: State = State {
    rows: [0; ROWS],
    swaps: [0; ROWS],
    partial: (0, 0, 0),
};

impl Typos {
    /// The automaton of `word` with at most `typos` edits; None for a word too long for it, or
    /// more typos than it counts.
    pub fn new(word: &str, typos: u8) -> Option<Typos> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() > MAX_CHARS || typos > MAX_TYPOS {
            return None;
        }
        let mut t = Typos {
            typos: usize::from(typos),
            done: 1 << chars.len(),
            all: u64::MAX >> (63 - chars.len()),
            ascii: [0; 128],
            other: Vec::new(),
        };
        for (i, &c) in chars.iter().enumerate() {
            let bit = 1u64 << (i + 1);
            match u8::try_from(c) {
                Ok(b) if b.is_ascii() => t.ascii[usize::from(b)] |= bit,
                _ => match t.other.iter_mut().find(|(o, _)| *o == c) {
                    Some((_, mask)) => *mask |= bit,
                    None => t.other.push((c, bit)),
                },
            }
        }
        Some(t)
    }

    /// The state after reading a character whose positions in the word are `mask`.
    fn step(&self, s: &State, mask: u64) -> State {
        let mut next = DEAD;
        // No edit: the character is the next one of the word.
        next.rows[0] = (s.rows[0] << 1) & mask;
        for e in 1..=self.typos {
            let row = ((s.rows[e] << 1) & mask)
                // An inserted character, or one in place of the word's next.
                | s.rows[e - 1]
                | (s.rows[e - 1] << 1)
                // A character of the word left out (after this one was read).
                | (next.rows[e - 1] << 1)
                // The second half of a transposition: this is the character before the one
                // read last.
                | (s.swaps[e] & (mask << 1));
            next.rows[e] = row & self.all;
            next.swaps[e] = (s.rows[e - 1] << 2) & mask;
        }
        next
    }

    /// The positions of `c` in the word.
    fn mask(&self, c: char) -> u64 {
        match u8::try_from(c) {
            Ok(b) if b.is_ascii() => self.ascii[usize::from(b)],
            _ => self
                .other
                .iter()
                .find(|(o, _)| *o == c)
                .map_or(0, |(_, m)| *m),
        }
    }
}

impl Automaton for Typos {
    type State = State;

    fn start(&self) -> State {
        let mut s = DEAD;
        for e in 0..=self.typos {
            // `e` characters of the word left out before anything is read.
            s.rows[e] = (u64::MAX >> (63 - e)) & self.all;
        }
        s
    }

    fn is_match(&self, s: &State) -> bool {
        s.partial.1 == 0 && s.rows.iter().any(|r| r & self.done != 0)
    }

    fn can_match(&self, s: &State) -> bool {
        // Every live position can still reach the end: read the rest of the word.
        s.rows.iter().chain(&s.swaps).any(|&r| r != 0)
    }

    fn accept(&self, s: &State, byte: u8) -> State {
        let (bits, left, len) = s.partial;
        if left > 0 {
            if byte & 0xC0 != 0x80 {
                return DEAD;
            }
            let bits = (bits << 6) | u32::from(byte & 0x3F);
            if left > 1 {
                return State {
                    partial: (bits, left - 1, len),
                    ..*s
                };
            }
            // Only the shortest encoding of a scalar value is UTF-8, all a term dictionary holds.
            let Some(c) = char::from_u32(bits).filter(|c| c.len_utf8() == usize::from(len)) else {
                return DEAD;
            };
            let at = State {
                partial: (0, 0, 0),
                ..*s
            };
            return self.step(&at, self.mask(c));
        }
        match byte {
            0x00..=0x7F => self.step(s, self.ascii[usize::from(byte)]),
            0xC2..=0xDF => self.lead(s, byte & 0x1F, 2),
            0xE0..=0xEF => self.lead(s, byte & 0x0F, 3),
            0xF0..=0xF4 => self.lead(s, byte & 0x07, 4),
            _ => DEAD,
        }
    }
}

impl Typos {
    /// The state after the first byte of a `len`-byte character.
    fn lead(&self, s: &State, bits: u8, len: u8) -> State {
        State {
            partial: (u32::from(bits), len - 1, len),
            ..*s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy::query::FuzzyTermQuery;
    use tantivy::schema::Field;

    fn run<A: Automaton>(a: &A, key: &[u8]) -> (bool, bool) {
        let mut s = a.start();
        for &b in key {
            s = a.accept(&s, b);
            if !a.can_match(&s) {
                return (false, false);
            }
        }
        (a.is_match(&s), true)
    }

    /// Whether tantivy's DFA accepts `key` for `word` with `typos` edits.
    fn dfa_accepts(word: &str, typos: u8, key: &[u8]) -> bool {
        let term = tantivy::Term::from_field_text(Field::from_field_id(0), word);
        let dfa = FuzzyTermQuery::new(term, typos, true)
            .automaton()
            .expect("a DFA for up to two typos");
        run(&dfa, key).0
    }

    fn ours_accepts(word: &str, typos: u8, key: &[u8]) -> bool {
        let t = Typos::new(word, typos).expect("a short word");
        run(&t, key).0
    }

    #[test]
    fn typos_of_a_word() {
        let yes = [
            ("collection", 1, "colection"),
            ("collection", 1, "collcetion"),
            ("collection", 2, "colelction"),
            ("collection", 2, "kollektion"),
            ("gil", 1, "gl"),
            ("gil", 1, "gill"),
            ("gil", 0, "gil"),
            ("ab", 2, ""),
            ("", 1, "x"),
            ("café", 1, "cafe"),
            ("café", 1, "cafés"),
            ("日本語", 1, "日本"),
        ];
        for (word, typos, key) in yes {
            assert!(
                ours_accepts(word, typos, key.as_bytes()),
                "{word} {typos} {key}"
            );
            assert!(
                dfa_accepts(word, typos, key.as_bytes()),
                "{word} {typos} {key}"
            );
        }
        let no = [
            ("collection", 1, "colectoin"),
            ("collection", 0, "colection"),
            ("gil", 1, "glli"),
            ("ab", 1, ""),
            ("café", 0, "cafe"),
            ("日本語", 0, "日本"),
        ];
        for (word, typos, key) in no {
            assert!(
                !ours_accepts(word, typos, key.as_bytes()),
                "{word} {typos} {key}"
            );
            assert!(
                !dfa_accepts(word, typos, key.as_bytes()),
                "{word} {typos} {key}"
            );
        }
    }

    #[test]
    fn a_word_too_long_or_too_many_typos_has_no_automaton() {
        assert!(Typos::new(&"a".repeat(MAX_CHARS), 2).is_some());
        assert!(Typos::new(&"a".repeat(MAX_CHARS + 1), 2).is_none());
        assert!(Typos::new("word", MAX_TYPOS + 1).is_none());
    }

    #[test]
    fn bytes_that_are_not_utf8_lead_nowhere() {
        // Term dictionaries hold UTF-8 only; tantivy's DFA takes `\xc0\x80` for a character,
        // this does not.
        let t = Typos::new("abc", 2).expect("short");
        for key in [
            &b"a\xff"[..],
            b"a\xc0\x80",
            b"\xed\xa0\x80",
            b"a\x80",
            b"\xc3(",
        ] {
            assert_eq!(run(&t, key), (false, false), "{key:?}");
        }
        assert_eq!(run(&t, "aé".as_bytes()), (true, true));
    }

    /// Words and keys over a few letters (so that many keys are near the word), with a few
    /// characters of two and three bytes.
    fn text(max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                4 => prop::sample::select(vec!['a', 'b', 'c', 'd']),
                1 => prop::sample::select(vec!['é', 'ß', '語', 'z']),
            ],
            0..max,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    /// `word` with up to three random edits: most such keys are near the edge of a distance.
    fn edited(word: String) -> impl Strategy<Value = (String, String)> {
        let ops = proptest::collection::vec(
            (
                0u8..4,
                any::<prop::sample::Index>(),
                prop::sample::select(vec!['a', 'b', 'é', '語']),
            ),
            0..4,
        );
        ops.prop_map(move |ops| {
            let mut c: Vec<char> = word.chars().collect();
            for (kind, at, ch) in ops {
                let i = at.index(c.len() + 1);
                match kind {
                    0 => c.insert(i, ch),
                    1 if i < c.len() => {
                        c.remove(i);
                    }
                    2 if i < c.len() => c[i] = ch,
                    3 if i + 1 < c.len() => c.swap(i, i + 1),
                    _ => {}
                }
            }
            (word.clone(), c.into_iter().collect())
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Keys a few edits from the word: the same answer as tantivy's DFA.
        #[test]
        fn near_keys_as_tantivys_dfa((word, key) in text(9).prop_flat_map(edited), typos in 0u8..=2) {
            let term = tantivy::Term::from_field_text(Field::from_field_id(0), &word);
            let dfa = FuzzyTermQuery::new(term, typos, true).automaton().expect("a DFA");
            let ours = Typos::new(&word, typos).expect("a short word");
            prop_assert_eq!(run(&ours, key.as_bytes()).0, run(&dfa, key.as_bytes()).0, "{:?} {:?}", word, key);
        }

        /// The same keys as tantivy's DFA, for every distance, and the DFA's dead ends are ours.
        #[test]
        fn accepts_what_tantivys_dfa_accepts(word in text(9), key in text(11), typos in 0u8..=2) {
            let dfa = {
                let term = tantivy::Term::from_field_text(Field::from_field_id(0), &word);
                FuzzyTermQuery::new(term, typos, true).automaton().expect("a DFA")
            };
            let ours = Typos::new(&word, typos).expect("a short word");
            prop_assert_eq!(run(&ours, key.as_bytes()).0, run(&dfa, key.as_bytes()).0);
            // Pruning: wherever ours says a key can still match, some continuation does.
            let bytes = key.as_bytes();
            for cut in 0..=bytes.len() {
                if !key.is_char_boundary(cut) {
                    continue;
                }
                let (_, alive) = run(&ours, &bytes[..cut]);
                let (_, dfa_alive) = run(&dfa, &bytes[..cut]);
                prop_assert!(alive || !dfa_alive, "{:?} {:?}", word, &key[..cut]);
            }
        }
    }
}
