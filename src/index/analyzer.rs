//! Code-aware text analysis: identifiers are indexed whole and in their parts, numbers stay whole.
//!
//! `sys.remote_exec()` gives `sys.remote_exec` plus `sys`, `remote_exec`, `remote`, `exec`;
//! `PyGC_Head` gives `pygc_head`, `pygc`, `py`, `gc`, `head`; `3.14` stays `3.14`; `PEP 768`,
//! `PEP768` and `pep-768` all give `pep768`. A whole token sits at the position of its first part
//! and parts take consecutive positions, so phrases over the parts still match.

use std::borrow::Cow;
use std::collections::HashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer, TextAnalyzer,
    TextAnalyzerBuilder, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Tokens longer than this many bytes are dropped (base64 blobs, URLs gone wrong).
const MAX_TOKEN_BYTES: usize = 60;
/// `PEP 768`: a short word followed by a number is also indexed joined (`pep768`).
const JOIN_MAX_LETTERS: usize = 6;
/// Longest number joined to the word before it.
const JOIN_MAX_DIGITS: usize = 6;

/// One token as the splitter sees it, before lowercasing and folding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawToken<'a> {
    /// Byte range in the text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// The token text (original case; `pep-768` already without its hyphen): mostly a slice of
    /// the text, so splitting allocates nothing per token.
    pub text: Cow<'a, str>,
    /// Position in the token stream.
    pub position: usize,
    /// The whole compound (`sys.remote_exec`), not one of its parts.
    pub whole: bool,
    /// A piece that is split no further (phrases are built from these).
    pub leaf: bool,
    /// A `PEP 768` → `pep768` join of two compounds.
    pub joined: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_joiner(c: char) -> bool {
    matches!(c, '.' | '-' | '/' | '\'' | '’')
}

/// Byte ranges of the compounds in `text` (word characters joined by `.`, `-`, `/`, `'` or
/// `::`), into `out`, which is cleared first.
fn compounds_into(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    // Most titles are ASCII: walk bytes instead of collecting characters.
    if text.is_ascii() {
        compounds_ascii_into(text.as_bytes(), out);
    } else {
        out.extend(compounds_chars(text));
    }
}

/// [`compounds_into`] of ASCII text.
fn compounds_ascii_into(b: &[u8], out: &mut Vec<(usize, usize)>) {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < b.len() {
        if !word(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i;
        loop {
            while j < b.len() && word(b[j]) {
                j += 1;
            }
            let skip = match b.get(j) {
                Some(b':') if b.get(j + 1) == Some(&b':') => 2,
                Some(b'.' | b'-' | b'/' | b'\'') => 1,
                _ => 0,
            };
            if skip > 0 && b.get(j + skip).is_some_and(|&c| word(c)) {
                j += skip;
            } else {
                break;
            }
        }
        out.push((start, j));
        i = j;
    }
}

/// [`compounds_into`] of any text.
fn compounds_chars(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_word_char(chars[i].1) {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut j = i;
        loop {
            while j < chars.len() && is_word_char(chars[j].1) {
                j += 1;
            }
            // A joiner (or `::`) continues the compound only when a word character follows.
            let skip = match chars.get(j) {
                Some((_, ':')) if matches!(chars.get(j + 1), Some((_, ':'))) => 2,
                Some((_, c)) if is_joiner(*c) => 1,
                _ => 0,
            };
            if skip > 0 && chars.get(j + skip).is_some_and(|(_, c)| is_word_char(*c)) {
                j += skip;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(text.len(), |(b, _)| *b);
        out.push((start, end));
        i = j;
    }
    out
}

/// Whether `s` is a number: digits, possibly with dots between digits (`3.14`, `1.2.3`).
fn is_number(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_digit()
        && b[b.len() - 1].is_ascii_digit()
        && b.iter().all(|c| c.is_ascii_digit() || *c == b'.')
}

/// A word with nothing to split: letters only, in one case or capitalised (most prose).
fn is_plain_word(s: &str) -> bool {
    if s.is_ascii() {
        let b = s.as_bytes();
        return b.split_first().is_none_or(|(first, rest)| {
            first.is_ascii_alphabetic()
                && (rest.iter().all(u8::is_ascii_lowercase) || b.iter().all(u8::is_ascii_uppercase))
        });
    }
    is_plain_word_chars(s)
}

/// [`is_plain_word`] of ASCII letters.
fn is_plain_letters(b: &[u8]) -> bool {
    b.split_first().is_none_or(|(_, rest)| {
        rest.iter().all(u8::is_ascii_lowercase) || b.iter().all(u8::is_ascii_uppercase)
    })
}

/// [`is_plain_word`] of any text.
fn is_plain_word_chars(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    if !first.is_alphabetic() {
        return false;
    }
    let rest = chars.as_str();
    rest.chars().all(|c| c.is_alphabetic() && !c.is_uppercase())
        || s.chars().all(|c| c.is_alphabetic() && !c.is_lowercase())
}

/// How a piece is cut at each level, coarsest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Joiner,
    Underscore,
    Camel,
    Digit,
}

impl Level {
    fn next(self) -> Option<Level> {
        match self {
            Level::Joiner => Some(Level::Underscore),
            Level::Underscore => Some(Level::Camel),
            Level::Camel => Some(Level::Digit),
            Level::Digit => None,
        }
    }
}

/// Splits `text[a..b]` at one level; returns the pieces' byte ranges (empty pieces dropped).
fn pieces(text: &str, a: usize, b: usize, level: Level) -> Vec<(usize, usize)> {
    let s = &text[a..b];
    // An ASCII piece is its own char table: most identifiers are, and collecting the chars
    // was a third of splitting them.
    if s.is_ascii() {
        let bytes = s.as_bytes();
        return cut(s, a, level, |k| bytes.get(k).map(|&c| (k, char::from(c))));
    }
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    cut(s, a, level, |k| chars.get(k).copied())
}

/// [`pieces`] of `s` (which starts at `a` in its text), its chars given by `char_at`: the
/// `k`th char and its byte offset in `s`, None past the end.
fn cut(
    s: &str,
    a: usize,
    level: Level,
    char_at: impl Fn(usize) -> Option<(usize, char)>,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let push = |from: usize, to: usize, out: &mut Vec<(usize, usize)>| {
        if to > from {
            out.push((a + from, a + to));
        }
    };
    let digit_at = |k: usize| char_at(k).is_some_and(|(_, c)| c.is_ascii_digit());
    let mut k = 0;
    while let Some((at, c)) = char_at(k) {
        match level {
            Level::Joiner => {
                let sep = if c == ':' && matches!(char_at(k + 1), Some((_, ':'))) {
                    2
                } else if is_joiner(c) && !(c == '.' && k > 0 && digit_at(k - 1) && digit_at(k + 1))
                {
                    1
                } else {
                    0
                };
                if sep > 0 {
                    push(start, at, &mut out);
                    k += sep;
                    start = char_at(k).map_or(s.len(), |(b, _)| b);
                    continue;
                }
            }
            Level::Underscore => {
                if c == '_' {
                    push(start, at, &mut out);
                    start = at + 1;
                }
            }
            Level::Camel => {
                if k > 0 {
                    let prev = char_at(k - 1).map_or(' ', |(_, c)| c);
                    let next = char_at(k + 1).map(|(_, c)| c);
                    let lower_upper = prev.is_lowercase() && c.is_uppercase();
                    let acronym_end = prev.is_uppercase()
                        && c.is_uppercase()
                        && next.is_some_and(char::is_lowercase);
                    if lower_upper || acronym_end {
                        push(start, at, &mut out);
                        start = at;
                    }
                }
            }
            Level::Digit => {
                if k > 0 {
                    let prev = char_at(k - 1).map_or(' ', |(_, c)| c);
                    // A dot between digits belongs to the number (`python3.14` → `python`, `3.14`).
                    let digitish = |c: char, i: usize| {
                        c.is_ascii_digit() || (c == '.' && i > 0 && digit_at(i - 1))
                    };
                    let was = digitish(prev, k - 1);
                    let is = digitish(c, k);
                    if was != is && prev.is_alphanumeric() && c.is_alphanumeric() {
                        push(start, at, &mut out);
                        start = at;
                    }
                }
            }
        }
        k += 1;
    }
    push(start, s.len(), &mut out);
    out
}

/// The text a compound is indexed under: `pep-768` and `utf-8` lose the hyphen between a letter
/// and a digit, `’` becomes `'`.
fn whole_text(s: &str) -> Cow<'_, str> {
    // Most compounds are plain words: nothing to drop or replace. Checked on bytes: `’`, the
    // one non-ASCII character replaced, starts with the byte 0xE2 in UTF-8.
    if !s.bytes().any(|b| b == b'-' || b == 0xE2) {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == '-' && i > 0 && i + 1 < chars.len() {
            let (p, n) = (chars[i - 1], chars[i + 1]);
            if (p.is_alphabetic() && n.is_ascii_digit())
                || (p.is_ascii_digit() && n.is_alphabetic())
            {
                continue;
            }
        }
        out.push(if c == '’' { '\'' } else { c });
    }
    Cow::Owned(out)
}

/// `’` as `'`.
fn apostrophes(s: &str) -> Cow<'_, str> {
    if s.contains('’') {
        Cow::Owned(s.replace('’', "'"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Where the splitter puts its tokens: a list of [`RawToken`]s, or the tokenizer's reused
/// token buffer (which has no use for the flags).
trait Sink<'a> {
    /// Adds a token; gives its index.
    fn push(&mut self, token: RawToken<'a>) -> usize;
    /// Marks the token at `index` as a leaf.
    fn set_leaf(&mut self, index: usize);
}

impl<'a> Sink<'a> for Vec<RawToken<'a>> {
    fn push(&mut self, token: RawToken<'a>) -> usize {
        Vec::push(self, token);
        self.len() - 1
    }

    fn set_leaf(&mut self, index: usize) {
        self[index].leaf = true;
    }
}

/// Emits the parts of `text[a..b]` from `level` down; returns whether it was split at all.
fn split_parts<'a>(
    text: &'a str,
    a: usize,
    b: usize,
    level: Level,
    pos: &mut usize,
    out: &mut impl Sink<'a>,
) -> bool {
    let mut level = Some(level);
    while let Some(l) = level {
        let ps = pieces(text, a, b, l);
        // `__init__` has one piece, smaller than itself: `init` is worth a token too.
        if ps.len() > 1 || ps.first().is_some_and(|&p| p != (a, b)) {
            for (pa, pb) in ps {
                let at = out.push(RawToken {
                    start: pa,
                    end: pb,
                    text: apostrophes(&text[pa..pb]),
                    position: *pos,
                    whole: false,
                    leaf: false,
                    joined: false,
                });
                let deeper = match l.next() {
                    Some(n) if !is_number(&text[pa..pb]) => split_parts(text, pa, pb, n, pos, out),
                    _ => false,
                };
                if !deeper {
                    out.set_leaf(at);
                    *pos += 1;
                }
            }
            return true;
        }
        level = l.next();
    }
    false
}

/// Splits `text` into whole compounds and their parts, in order.
pub fn split(text: &str) -> Vec<RawToken<'_>> {
    let mut out = Vec::new();
    split_into(text, &mut Vec::new(), &mut out);
    out
}

/// [`split`] into a sink; `spans` is scratch space for the compounds.
fn split_into<'a>(text: &'a str, spans: &mut Vec<(usize, usize)>, out: &mut impl Sink<'a>) {
    let mut pos = 0;
    // The previous compound, when it can start a `PEP 768` join: (start, end, position).
    let mut joinable: Option<(usize, usize, usize)> = None;
    compounds_into(text, spans);
    for &(a, b) in spans.iter() {
        let s = &text[a..b];
        if let Some((ja, jb, jpos)) = joinable.take() {
            let digits = s.len() <= JOIN_MAX_DIGITS && s.bytes().all(|c| c.is_ascii_digit());
            if digits && jb + 1 == a && text.as_bytes()[jb] == b' ' {
                out.push(RawToken {
                    start: ja,
                    end: b,
                    text: Cow::Owned(format!("{}{s}", &text[ja..jb])),
                    position: jpos,
                    whole: false,
                    leaf: false,
                    joined: true,
                });
            }
        }
        // Letters only (most words): no number, nothing for `whole_text` to drop or replace,
        // and the case alone says whether it splits; one pass instead of four.
        let letters = s.bytes().all(|c| c.is_ascii_alphabetic());
        let at = out.push(RawToken {
            start: a,
            end: b,
            text: if letters {
                Cow::Borrowed(s)
            } else {
                whole_text(s)
            },
            position: pos,
            whole: true,
            leaf: false,
            joined: false,
        });
        let start_pos = pos;
        let whole = if letters {
            is_plain_letters(s.as_bytes())
        } else {
            is_number(s) || is_plain_word(s)
        };
        let was_split = !whole && split_parts(text, a, b, Level::Joiner, &mut pos, out);
        if !was_split {
            out.set_leaf(at);
            pos += 1;
        }
        let joins = if letters {
            (2..=JOIN_MAX_LETTERS).contains(&s.len())
        } else {
            is_join_word(s)
        };
        if joins {
            joinable = Some((a, b, start_pos));
        }
    }
}

/// The splitter as a tantivy tokenizer; its buffers are reused from one text to the next.
#[derive(Clone, Default)]
pub struct CodeTokenizer {
    tokens: Vec<Token>,
    spans: Vec<(usize, usize)>,
}

/// Writes tokens straight into the tokenizer's buffer, reusing its tokens' strings: no list of
/// tokens and no allocation per token once the buffer has grown.
struct TokenSink<'t> {
    tokens: &'t mut Vec<Token>,
    len: usize,
}

impl Sink<'_> for TokenSink<'_> {
    fn push(&mut self, t: RawToken<'_>) -> usize {
        if self.len == self.tokens.len() {
            self.tokens.push(Token::default());
        }
        let slot = &mut self.tokens[self.len];
        slot.offset_from = t.start;
        slot.offset_to = t.end;
        slot.position = t.position;
        slot.position_length = 1;
        slot.text.clear();
        slot.text.push_str(&t.text);
        self.len += 1;
        self.len - 1
    }

    fn set_leaf(&mut self, _: usize) {}
}

/// The tokens of one text.
pub struct CodeTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for CodeTokenizer {
    type TokenStream<'a> = CodeTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CodeTokenStream<'a> {
        let mut sink = TokenSink {
            tokens: &mut self.tokens,
            len: 0,
        };
        split_into(text, &mut self.spans, &mut sink);
        let n = sink.len;
        CodeTokenStream {
            tokens: &mut self.tokens[..n],
            next: 0,
        }
    }
}

impl TokenStream for CodeTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// [`CodeTokenizer`] with the filters of [`exact_then_stems`] done as each token is made: tokens
/// of [`MAX_TOKEN_BYTES`] or more dropped, the rest lowercased and folded, and after each prose
/// word that stemming changes its marked stem. As a chain of filters every token was walked and
/// copied again by each; that chain and its stem lookups were a fifth of a build's work.
#[derive(Clone, Default)]
pub struct StemmedCodeTokenizer {
    tokens: Vec<Token>,
    spans: Vec<(usize, usize)>,
    stem: String,
}

/// Writes the finished tokens of [`StemmedCodeTokenizer`] into its buffer.
struct StemmingSink<'t> {
    tokens: &'t mut Vec<Token>,
    len: usize,
    stems: &'t mut StemCache,
    stem: &'t mut String,
}

/// The next unused token of `tokens` (the first `len` are taken), its place and offsets set.
fn next_slot<'v>(tokens: &'v mut Vec<Token>, len: &mut usize, t: &RawToken<'_>) -> &'v mut Token {
    if *len == tokens.len() {
        tokens.push(Token::default());
    }
    let slot = &mut tokens[*len];
    *len += 1;
    slot.offset_from = t.start;
    slot.offset_to = t.end;
    slot.position = t.position;
    slot.position_length = 1;
    slot.text.clear();
    slot
}

impl Sink<'_> for StemmingSink<'_> {
    fn push(&mut self, t: RawToken<'_>) -> usize {
        // `RemoveLongFilter`: measured before lowercasing.
        if t.text.len() >= MAX_TOKEN_BYTES {
            return self.len;
        }
        let slot = next_slot(self.tokens, &mut self.len, &t);
        if t.text.is_ascii() {
            slot.text.push_str(&t.text);
            slot.text.make_ascii_lowercase();
        } else {
            // `LowerCaser` and `AsciiFoldingFilter` themselves, for the few non-ASCII tokens.
            slot.text.push_str(&fold(&t.text));
        }
        let at = self.len - 1;
        let word = &self.tokens[at].text;
        if is_prose(word) && self.stems.stem_into(word, self.stem) {
            let slot = next_slot(self.tokens, &mut self.len, &t);
            slot.text.push(STEM_MARK);
            slot.text.push_str(self.stem);
        }
        at
    }

    fn set_leaf(&mut self, _: usize) {}
}

impl Tokenizer for StemmedCodeTokenizer {
    type TokenStream<'a> = CodeTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CodeTokenStream<'a> {
        let n = STEMS.with(|stems| {
            let mut sink = StemmingSink {
                tokens: &mut self.tokens,
                len: 0,
                stems: &mut stems.borrow_mut(),
                stem: &mut self.stem,
            };
            split_into(text, &mut self.spans, &mut sink);
            sink.len
        });
        CodeTokenStream {
            tokens: &mut self.tokens[..n],
            next: 0,
        }
    }
}

/// Keeps only prose tokens (letters and apostrophes), for stemming.
#[derive(Clone, Copy, Default)]
pub struct ProseOnly;

impl TokenFilter for ProseOnly {
    type Tokenizer<T: Tokenizer> = ProseOnlyWrapper<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> ProseOnlyWrapper<T> {
        ProseOnlyWrapper { inner }
    }
}

/// [`ProseOnly`] around a tokenizer.
#[derive(Clone)]
pub struct ProseOnlyWrapper<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for ProseOnlyWrapper<T> {
    type TokenStream<'a> = ProseOnlyStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ProseOnlyStream {
            tail: self.inner.token_stream(text),
        }
    }
}

/// The token stream of [`ProseOnlyWrapper`].
pub struct ProseOnlyStream<T> {
    tail: T,
}

/// Whether a (lowercased) token is a plain word that stemming makes sense for.
pub fn is_prose(word: &str) -> bool {
    let b = word.as_bytes();
    // One pass over the bytes: a non-ASCII byte sends the word to the char-wise check.
    match b
        .iter()
        .position(|&c| !(c.is_ascii_alphabetic() || c == b'\''))
    {
        None => b.first().is_some_and(u8::is_ascii_alphabetic),
        Some(at) if b[at].is_ascii() => false,
        Some(_) => is_prose_chars(word),
    }
}

/// [`is_prose`] of any text.
fn is_prose_chars(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_alphabetic)
        && word.chars().all(|c| c.is_alphabetic() || c == '\'')
}

/// A word of 2 to `JOIN_MAX_LETTERS` letters, which a number after it joins (`PEP 768`).
fn is_join_word(s: &str) -> bool {
    if s.is_ascii() {
        return (2..=JOIN_MAX_LETTERS).contains(&s.len())
            && s.bytes().all(|c| c.is_ascii_alphabetic());
    }
    is_join_word_chars(s)
}

/// [`is_join_word`] of any text.
fn is_join_word_chars(s: &str) -> bool {
    (2..=JOIN_MAX_LETTERS).contains(&s.chars().count()) && s.chars().all(char::is_alphabetic)
}

impl<T: TokenStream> TokenStream for ProseOnlyStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            if is_prose(&self.tail.token().text) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The analyzer of the exact (unstemmed) text fields.
pub fn exact() -> TextAnalyzer {
    exact_builder().build()
}

/// Marks a stem indexed next to its word in the exact field (`\u{1}collect`): no word starts
/// with a control character, so stems and words never meet.
pub const STEM_MARK: char = '\u{1}';

/// `stem` as it is indexed next to its words.
pub fn marked_stem(stem: &str) -> String {
    format!("{STEM_MARK}{stem}")
}

/// The analyzer of the searchable fields: the exact tokens and, at the same position as a prose
/// word whose stem differs from it, the marked stem. One pass gives both (phrases match words
/// only; a stem at a word's position does not break them).
pub fn exact_with_stems() -> TextAnalyzer {
    with_stems().build()
}

/// The tokenizer of [`exact_with_stems`], for analyzers that add a filter.
fn with_stems() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(StemmedCodeTokenizer::default())
}

/// [`exact_builder`] followed by [`StemsAlongside`]: what [`StemmedCodeTokenizer`] gives in
/// one pass, kept as its definition (the tests hold the one to the other).
pub fn exact_then_stems() -> TextAnalyzer {
    exact_builder().filter(StemsAlongside).build()
}

/// [`exact_with_stems`] for fields whose consecutive values often repeat (a chapter's section
/// is indexed on every chapter in it): a text equal to the previous one replays its tokens.
pub fn exact_with_stems_repeated() -> TextAnalyzer {
    with_stems().filter(ReplayRepeats).build()
}

/// Gives the tokens of a text equal to the one before it from memory instead of analysing it
/// again; every text costs a copy of its tokens.
#[derive(Clone, Copy, Default)]
pub struct ReplayRepeats;

impl TokenFilter for ReplayRepeats {
    type Tokenizer<T: Tokenizer> = ReplayWrapper<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> ReplayWrapper<T> {
        ReplayWrapper {
            inner,
            last: String::new(),
            tokens: Vec::new(),
            len: 0,
        }
    }
}

/// [`ReplayRepeats`] around a tokenizer.
pub struct ReplayWrapper<T> {
    inner: T,
    /// The last text analysed (at first the empty text, which has no tokens).
    last: String,
    /// Its tokens: the first `len` slots (the rest are kept for their allocations).
    tokens: Vec<Token>,
    len: usize,
}

impl<T: Clone> Clone for ReplayWrapper<T> {
    /// A clone starts with an empty memory (each indexing thread has its own).
    fn clone(&self) -> Self {
        ReplayWrapper {
            inner: self.inner.clone(),
            last: String::new(),
            tokens: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Tokenizer> Tokenizer for ReplayWrapper<T> {
    type TokenStream<'a> = ReplayStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ReplayStream<'a> {
        if self.last != text {
            let mut len = 0;
            let mut stream = self.inner.token_stream(text);
            while stream.advance() {
                let t = stream.token();
                if len == self.tokens.len() {
                    self.tokens.push(t.clone());
                } else {
                    let slot = &mut self.tokens[len];
                    slot.offset_from = t.offset_from;
                    slot.offset_to = t.offset_to;
                    slot.position = t.position;
                    slot.position_length = t.position_length;
                    slot.text.clear();
                    slot.text.push_str(&t.text);
                }
                len += 1;
            }
            self.len = len;
            self.last.clear();
            self.last.push_str(text);
        }
        ReplayStream {
            tokens: &mut self.tokens[..self.len],
            next: 0,
            none: Token::default(),
        }
    }
}

/// The token stream of [`ReplayWrapper`]: the remembered tokens, in order. Nothing after it
/// changes tokens (it is the last filter, and tantivy's indexer only reads them), so a replay
/// gives what the analysis gave.
pub struct ReplayStream<'a> {
    tokens: &'a mut [Token],
    /// Index of the token after the current one.
    next: usize,
    /// The current token of a stream that has none yet.
    none: Token,
}

impl TokenStream for ReplayStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        match self.next.checked_sub(1) {
            Some(i) => &self.tokens[i],
            None => &self.none,
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) => &mut self.tokens[i],
            None => &mut self.none,
        }
    }
}

/// Adds, after each prose word that stemming changes, its marked stem at the same position.
#[derive(Clone, Copy, Default)]
pub struct StemsAlongside;

impl TokenFilter for StemsAlongside {
    type Tokenizer<T: Tokenizer> = StemsAlongsideWrapper<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> StemsAlongsideWrapper<T> {
        StemsAlongsideWrapper { inner }
    }
}

/// [`StemsAlongside`] around a tokenizer.
#[derive(Clone)]
pub struct StemsAlongsideWrapper<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StemsAlongsideWrapper<T> {
    type TokenStream<'a> = StemsAlongsideStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemsAlongsideStream {
            tail: self.inner.token_stream(text),
            stem: String::new(),
            pending: false,
        }
    }
}

/// The token stream of [`StemsAlongsideWrapper`].
pub struct StemsAlongsideStream<T> {
    tail: T,
    /// The stem to give next, at the current token's position, when `pending`.
    stem: String,
    pending: bool,
}

impl<T: TokenStream> TokenStream for StemsAlongsideStream<T> {
    fn advance(&mut self) -> bool {
        if self.pending {
            self.pending = false;
            let token = self.tail.token_mut();
            token.text.clear();
            token.text.push(STEM_MARK);
            token.text.push_str(&self.stem);
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token();
        if is_prose(&token.text) {
            let out = &mut self.stem;
            self.pending = STEMS.with(|cache| cache.borrow_mut().stem_into(&token.text, out));
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Words whose two-word phrases are indexed as pair terms (see [`pairs`]): the frequent words of
/// an index, chosen when it is built.
pub type PairWords = std::sync::Arc<std::collections::HashSet<String, rustc_hash::FxBuildHasher>>;

/// The term a pair field holds for `a` followed by `b` (tokens never contain a space).
pub fn pair_term(a: &str, b: &str) -> String {
    let mut t = String::with_capacity(a.len() + b.len() + 1);
    t.push_str(a);
    t.push(' ');
    t.push_str(b);
    t
}

/// The analyzer of a pair field: for each position where a token of `words` is followed, at the
/// next position, by a token of `words`, the pair term of the two ([`pair_term`]), once per
/// position. Those are exactly the places a two-word phrase of such words matches in the
/// field [`exact_with_stems`] analyses (the same tokens at the same positions; stems are not
/// words of a phrase), so a pair's postings are that phrase's documents and its frequency the
/// phrase's count.
pub fn pairs(words: PairWords) -> TextAnalyzer {
    exact_builder().filter(PairsOf(words)).build()
}

/// [`pairs`] for fields whose consecutive values often repeat (sections).
pub fn pairs_repeated(words: PairWords) -> TextAnalyzer {
    exact_builder()
        .filter(PairsOf(words))
        .filter(ReplayRepeats)
        .build()
}

fn exact_builder() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(CodeTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
}

/// Turns a token stream into its pair terms (see [`pairs`]).
#[derive(Clone)]
pub struct PairsOf(PairWords);

impl TokenFilter for PairsOf {
    type Tokenizer<T: Tokenizer> = PairsWrapper<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> PairsWrapper<T> {
        PairsWrapper {
            inner,
            words: self.0,
            found: Vec::new(),
            tokens: Vec::new(),
        }
    }
}

/// [`PairsOf`] around a tokenizer; its buffers are reused from one text to the next.
pub struct PairsWrapper<T> {
    inner: T,
    words: PairWords,
    /// The text's tokens that are in `words`, with their positions.
    found: Vec<(usize, String)>,
    /// The pair tokens given out.
    tokens: Vec<Token>,
}

impl<T: Clone> Clone for PairsWrapper<T> {
    fn clone(&self) -> Self {
        PairsWrapper {
            inner: self.inner.clone(),
            words: self.words.clone(),
            found: Vec::new(),
            tokens: Vec::new(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for PairsWrapper<T> {
    type TokenStream<'a> = ReplayStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ReplayStream<'a> {
        let mut found = 0;
        if let Some(n) = take_recorded(&self.words, text, &mut self.found) {
            found = n;
        } else if !self.words.is_empty() {
            let mut stream = self.inner.token_stream(text);
            while stream.advance() {
                note_pair_word(&self.words, stream.token(), &mut self.found, &mut found);
            }
        }
        let found = &mut self.found[..found];
        // Tokens come in position order already; sorting makes that an invariant of this code.
        found.sort_by_key(|f| f.0);
        let mut n = 0;
        for i in 0..found.len() {
            let (p, a) = (found[i].0, &found[i].1);
            for (q, b) in &found[i + 1..] {
                if *q > p + 1 {
                    break;
                }
                if *q == p {
                    continue;
                }
                let text = pair_term(a, b);
                // Once per position, as a phrase counts it.
                if self.tokens[..n]
                    .iter()
                    .any(|t| t.position == p && t.text == text)
                {
                    continue;
                }
                if n == self.tokens.len() {
                    self.tokens.push(Token::default());
                }
                let slot = &mut self.tokens[n];
                slot.position = p;
                slot.position_length = 1;
                slot.offset_from = 0;
                slot.offset_to = 0;
                slot.text = text;
                n += 1;
            }
        }
        ReplayStream {
            tokens: &mut self.tokens[..n],
            next: 0,
            none: Token::default(),
        }
    }
}

/// Notes `t` in `found[*len]` (buffers reused) when it is one of the pair `words`.
fn note_pair_word(words: &PairWords, t: &Token, found: &mut Vec<(usize, String)>, len: &mut usize) {
    // Stems are not words of a phrase (whatever a payload lists); checked first, as the cheaper.
    if t.text.starts_with(STEM_MARK) || !words.contains(&t.text) {
        return;
    }
    if *len == found.len() {
        found.push((0, String::new()));
    }
    let slot = &mut found[*len];
    slot.0 = t.position;
    slot.1.clear();
    slot.1.push_str(&t.text);
    *len += 1;
}

/// What [`RecordPairWords`] saw of the last text it analysed on this thread.
#[derive(Default)]
struct Recorded {
    /// The text (valid when `complete`).
    text: String,
    /// Its tokens in the pair words, with positions: the first `len`.
    found: Vec<(usize, String)>,
    len: usize,
    /// The pair words they were checked against (held, so that no other set can take its
    /// address while the record compares by it).
    words: Option<PairWords>,
    /// The whole text was analysed, and nothing took the record since.
    complete: bool,
}

impl Recorded {
    /// Whether the record was made against `words` (the same set, not an equal one).
    fn made_with(&self, words: &PairWords) -> bool {
        self.words
            .as_ref()
            .is_some_and(|w| std::sync::Arc::ptr_eq(w, words))
    }
}

thread_local! {
    /// tantivy analyses a document's fields in field order on one thread, so the pair field
    /// right after a text field finds that text's words here instead of analysing it again
    /// (a quarter of a build's instructions otherwise).
    static RECORDED: std::cell::RefCell<Recorded> = std::cell::RefCell::default();
}

/// The recorded words of `text`, if the last text recorded on this thread was it (analysed
/// against the same `words`), swapped into `found`; their number.
fn take_recorded(words: &PairWords, text: &str, found: &mut Vec<(usize, String)>) -> Option<usize> {
    RECORDED.with(|r| {
        let mut r = r.borrow_mut();
        if !r.complete || !r.made_with(words) || r.text != text {
            return None;
        }
        r.complete = false;
        std::mem::swap(&mut r.found, found);
        Some(r.len)
    })
}

/// Passes tokens through and records those in the pair words (see `take_recorded`): the
/// last filter of a field whose pair field comes right after it.
#[derive(Clone)]
pub struct RecordPairWords(PairWords);

impl TokenFilter for RecordPairWords {
    type Tokenizer<T: Tokenizer> = RecordWrapper<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> RecordWrapper<T> {
        RecordWrapper {
            inner,
            words: self.0,
            found: Vec::new(),
        }
    }
}

/// [`RecordPairWords`] around a tokenizer.
pub struct RecordWrapper<T> {
    inner: T,
    words: PairWords,
    found: Vec<(usize, String)>,
}

impl<T: Clone> Clone for RecordWrapper<T> {
    fn clone(&self) -> Self {
        RecordWrapper {
            inner: self.inner.clone(),
            words: self.words.clone(),
            found: Vec::new(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for RecordWrapper<T> {
    type TokenStream<'a> = RecordStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RecordStream {
            tail: self.inner.token_stream(text),
            words: &self.words,
            found: &mut self.found,
            len: 0,
            text,
            done: self.words.is_empty(),
        }
    }
}

/// The token stream of [`RecordWrapper`].
pub struct RecordStream<'a, T> {
    tail: T,
    words: &'a PairWords,
    found: &'a mut Vec<(usize, String)>,
    len: usize,
    text: &'a str,
    /// Recorded already, or nothing to record.
    done: bool,
}

impl<T: TokenStream> TokenStream for RecordStream<'_, T> {
    fn advance(&mut self) -> bool {
        if self.tail.advance() {
            if !self.done {
                note_pair_word(self.words, self.tail.token(), self.found, &mut self.len);
            }
            return true;
        }
        if !self.done {
            self.done = true;
            RECORDED.with(|r| {
                let mut r = r.borrow_mut();
                r.text.clear();
                r.text.push_str(self.text);
                std::mem::swap(&mut r.found, self.found);
                r.len = self.len;
                if !r.made_with(self.words) {
                    r.words = Some(self.words.clone());
                }
                r.complete = true;
            });
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// [`exact_with_stems`] recording its pair words for the pair field after it.
pub fn exact_with_stems_recording(words: PairWords) -> TextAnalyzer {
    with_stems().filter(RecordPairWords(words)).build()
}

/// [`exact_with_stems_repeated`] recording its pair words for the pair field after it.
pub fn exact_with_stems_repeated_recording(words: PairWords) -> TextAnalyzer {
    with_stems()
        .filter(ReplayRepeats)
        .filter(RecordPairWords(words))
        .build()
}

/// The English stems of all prose tokens, including words that are their own stem (for
/// highlighting, which must find `collect` for `collections`).
pub fn all_stems() -> TextAnalyzer {
    TextAnalyzer::builder(CodeTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(ProseOnly)
        .filter(Stemmer::default())
        .build()
}

/// Longest text [`pack`] packs.
const PACKED_BYTES: usize = 15;

/// A text of at most [`PACKED_BYTES`] bytes as one integer: its bytes from the lowest, and its
/// length in the top byte, so that no two texts share one.
fn pack(text: &str) -> Option<u128> {
    let b = text.as_bytes();
    if b.len() > PACKED_BYTES {
        return None;
    }
    let mut buf = [0u8; 16];
    buf[..b.len()].copy_from_slice(b);
    buf[15] = b.len() as u8;
    Some(u128::from_le_bytes(buf))
}

/// Appends the text [`pack`] gave `packed` for to `out`.
fn unpack_into(packed: u128, out: &mut String) {
    let bytes = packed.to_le_bytes();
    let len = usize::from(bytes[15]).min(PACKED_BYTES);
    // Packed from a whole `str`, so the bytes are whole characters.
    out.push_str(std::str::from_utf8(&bytes[..len]).unwrap_or_default());
}

/// In a [`StemCache`], a word that is its own stem (no text packs with a length byte of 0xff).
const OWN_STEM: u128 = u128::MAX;
/// In a [`StemCache`], a word whose stem is too long to pack.
const LONG_STEM: u128 = u128::MAX - 1;

/// The stems [`StemmedCodeTokenizer`] (and [`StemsAlongside`]) found, by word. Words and stems
/// of up to 15 bytes (nearly all) are kept as integers in one flat table, so a lookup reads one
/// bucket and follows no pointer (with `String` keys and values it was three cache misses a
/// word, a tenth of a build); longer ones are kept as strings. FxHash, since SipHash was half
/// the cost of a lookup.
#[derive(Default)]
struct StemCache {
    short: HashMap<u128, u128, rustc_hash::FxBuildHasher>,
    long: HashMap<String, String, rustc_hash::FxBuildHasher>,
}

impl StemCache {
    /// Puts the stem of the prose word `word` in `out` when it differs from the word.
    fn stem_into(&mut self, word: &str, out: &mut String) -> bool {
        if self.short.len() + self.long.len() >= STEM_CACHE_WORDS {
            self.short.clear();
            self.long.clear();
        }
        if let Some(key) = pack(word) {
            let packed = *self.short.entry(key).or_insert_with(|| {
                let s = stem(word);
                if s == word {
                    OWN_STEM
                } else {
                    // A stem is no longer than its word, but a stemmer may grow one.
                    pack(&s).unwrap_or(LONG_STEM)
                }
            });
            match packed {
                OWN_STEM => return false,
                LONG_STEM => {}
                _ => {
                    out.clear();
                    unpack_into(packed, out);
                    return true;
                }
            }
        }
        // Long words, and the (unseen) stem too long to pack of a short one.
        let stemmed = match self.long.get(word) {
            Some(s) => s,
            None => self
                .long
                .entry(word.to_string())
                .or_insert_with(|| stem(word)),
        };
        if stemmed == word {
            return false;
        }
        out.clear();
        out.push_str(stemmed);
        true
    }
}

/// Words remembered per thread by the stem memory before it is cleared.
const STEM_CACHE_WORDS: usize = 100_000;

thread_local! {
    /// The stems found on this thread, shared by all its analyzers: tantivy
    /// gives every text field of every segment writer an analyzer of its own, and with a memory
    /// each they stemmed the same words four times over (3% of a build's instructions).
    static STEMS: std::cell::RefCell<StemCache> = std::cell::RefCell::default();
    static FOLD: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
    static STEM: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::default())
            .build(),
    );
}

/// Lowercases and folds accents the way the index does (`Łukasz` → `lukasz`).
pub fn fold(text: &str) -> String {
    FOLD.with(|a| {
        let mut a = a.borrow_mut();
        let mut stream = a.token_stream(text);
        stream.next().map(|t| t.text.clone()).unwrap_or_default()
    })
}

/// The English stem of a folded prose word (`collections` → `collect`).
pub fn stem(word: &str) -> String {
    STEM.with(|a| {
        let mut a = a.borrow_mut();
        let mut stream = a.token_stream(word);
        stream
            .next()
            .map_or_else(|| word.to_string(), |t| t.text.clone())
    })
}

/// One word of a query, analyzed like the index analyzes text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// The whole compound, lowercased and folded (`sys.remote_exec`).
    pub whole: String,
    /// Its finest parts, in order (`sys`, `remote`, `exec`); just `whole` when it has none.
    pub leaves: Vec<String>,
}

impl QueryTerm {
    /// Whether the term contains a digit (numbers and versions are never fuzzy).
    pub fn has_digit(&self) -> bool {
        self.whole.chars().any(|c| c.is_ascii_digit())
    }

    /// Whether the term is a plain word that has a stem.
    pub fn is_prose(&self) -> bool {
        is_prose(&self.whole)
    }
}

/// The compounds of a piece of query text, each with its parts.
pub fn query_terms(text: &str) -> Vec<QueryTerm> {
    let mut out: Vec<QueryTerm> = Vec::new();
    for t in split(text) {
        let folded = fold(&t.text);
        if folded.is_empty() || folded.len() >= MAX_TOKEN_BYTES {
            continue;
        }
        if t.whole {
            out.push(QueryTerm {
                whole: folded.clone(),
                leaves: Vec::new(),
            });
        }
        if t.leaf
            && let Some(last) = out.last_mut()
        {
            last.leaves.push(folded);
        }
    }
    out
}

/// The joined form of `PEP 768` when `word` and `number` make one (`pep768`).
pub fn joined(word: &str, number: &str) -> Option<String> {
    let letters = word.chars().count();
    let ok = (2..=JOIN_MAX_LETTERS).contains(&letters)
        && word.chars().all(char::is_alphabetic)
        && !number.is_empty()
        && number.len() <= JOIN_MAX_DIGITS
        && number.bytes().all(|c| c.is_ascii_digit());
    ok.then(|| format!("{}{number}", fold(word)))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn ascii_compounds_are_the_general_ones(text in "[a-zA-Z0-9_.:/' -]{0,40}") {
            let mut ascii = Vec::new();
            compounds_ascii_into(text.as_bytes(), &mut ascii);
            proptest::prop_assert_eq!(ascii, compounds_chars(&text));
        }

        #[test]
        fn ascii_word_checks_are_the_general_ones(word in "[a-zA-Z0-9_'’ÉéŁ-]{0,8}") {
            proptest::prop_assert_eq!(is_plain_word(&word), is_plain_word_chars(&word));
            proptest::prop_assert_eq!(is_prose(&word), is_prose_chars(&word));
            proptest::prop_assert_eq!(is_join_word(&word), is_join_word_chars(&word));
        }

        #[test]
        fn the_stem_memory_gives_what_the_stemmer_gives(
            words in proptest::collection::vec("[a-zé'][a-zé']{0,19}", 1..40),
        ) {
            // Words of 1 to 20 bytes and more (two-byte `é`): both sides of the 15-byte cut,
            // each looked up twice, once to fill the memory and once from it.
            let mut cache = StemCache::default();
            for w in words.iter().chain(&words) {
                let mut out = String::from("left over");
                let s = stem(w);
                let changed = cache.stem_into(w, &mut out);
                proptest::prop_assert_eq!(changed, s != *w, "word {:?}", w);
                if changed {
                    proptest::prop_assert_eq!(&out, &s, "word {:?}", w);
                }
            }
        }

        #[test]
        fn the_letters_only_shortcut_decides_as_the_general_checks(word in "[a-zA-Z]{1,9}") {
            proptest::prop_assert_eq!(is_plain_letters(word.as_bytes()), is_plain_word(&word));
            proptest::prop_assert!(!is_number(&word));
            proptest::prop_assert_eq!(whole_text(&word), Cow::Borrowed(word.as_str()));
            proptest::prop_assert_eq!(
                (2..=JOIN_MAX_LETTERS).contains(&word.len()),
                is_join_word(&word)
            );
        }

        #[test]
        fn one_pass_gives_the_tokens_of_the_filter_chain(
            text in "([a-zA-Z]{1,8}|[A-Z][a-z]+[A-Z][a-z]+|PEP [0-9]{1,4}|[a-z]+[._:/-][a-z0-9_]+|[0-9.]{1,6}|Łukasz’s|ÉCOLE|straße|[a-z]{58,62}|[ ,()!?])*",
        ) {
            // Every token and field of it, for texts of words, camel case, identifiers, numbers,
            // joins, non-ASCII words and tokens either side of the length cut.
            let all = |a: &mut TextAnalyzer| {
                let mut s = a.token_stream(&text);
                let mut out = Vec::new();
                while let Some(t) = s.next() {
                    out.push((t.text.clone(), t.position, t.offset_from, t.offset_to, t.position_length));
                }
                out
            };
            proptest::prop_assert_eq!(all(&mut exact_with_stems()), all(&mut exact_then_stems()));
        }

        #[test]
        fn ascii_pieces_are_the_char_wise_ones(word in "[a-zA-Z0-9_.:-]{0,12}") {
            for level in [Level::Joiner, Level::Underscore, Level::Camel, Level::Digit] {
                let chars: Vec<(usize, char)> = word.char_indices().collect();
                let general = cut(&word, 0, level, |k| chars.get(k).copied());
                proptest::prop_assert_eq!(pieces(&word, 0, word.len(), level), general);
            }
        }
    }

    fn texts(text: &str) -> Vec<String> {
        let mut a = exact();
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push(t.text.clone());
        }
        out
    }

    /// Each token of `text` as `a` gives it, with its position.
    fn tokens_at(a: &mut TextAnalyzer, text: &str) -> Vec<(String, usize)> {
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    fn with_positions(text: &str) -> Vec<(String, usize)> {
        tokens_at(&mut exact(), text)
    }

    #[test]
    fn the_tokenizer_gives_what_split_gives_and_reuses_nothing_stale() {
        let mut tokenizer = CodeTokenizer::default();
        // A long text first, so the shorter ones after it run on a buffer with old tokens in it.
        for text in [
            "sys.remote_exec() and PyGC_Head in PEP 768, python3.14 __init__ ok",
            "PEP 768",
            "",
            "Łukasz’s free-threading",
        ] {
            let mut stream = tokenizer.token_stream(text);
            let mut got = Vec::new();
            while let Some(t) = stream.next() {
                got.push((t.offset_from, t.offset_to, t.position, t.text.clone()));
            }
            let want: Vec<_> = split(text)
                .into_iter()
                .map(|t| (t.start, t.end, t.position, t.text.into_owned()))
                .collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn identifiers_whole_and_in_parts() {
        assert_eq!(
            texts("PyGC_Head"),
            ["pygc_head", "pygc", "py", "gc", "head"]
        );
        assert_eq!(
            texts("sys.remote_exec()"),
            ["sys.remote_exec", "sys", "remote_exec", "remote", "exec"]
        );
        let t = texts("PyLong_FromInt64");
        for part in [
            "pylong_fromint64",
            "pylong",
            "py",
            "long",
            "fromint64",
            "from",
            "int64",
            "int",
            "64",
        ] {
            assert!(t.contains(&part.to_string()), "{part} in {t:?}");
        }
        assert_eq!(texts("tokio::spawn"), ["tokio::spawn", "tokio", "spawn"]);
        assert_eq!(texts("HTTPServer"), ["httpserver", "http", "server"]);
    }

    #[test]
    fn numbers_and_versions_stay_whole() {
        assert_eq!(texts("Python 3.14."), ["python", "3.14"]);
        assert_eq!(texts("1.2.3"), ["1.2.3"]);
        assert_eq!(texts("python3.14"), ["python3.14", "python", "3.14"]);
    }

    #[test]
    fn pep_numbers_match_in_every_spelling() {
        for text in ["PEP 768", "PEP768", "pep-768"] {
            let t = texts(text);
            assert!(t.contains(&"pep768".to_string()), "{text}: {t:?}");
            assert!(
                t.contains(&"pep".to_string()) && t.contains(&"768".to_string()),
                "{t:?}"
            );
        }
        assert_eq!(texts("utf-8")[0], "utf8");
        // A long word and a number are not joined.
        assert_eq!(texts("Episode 21"), ["episode", "21"]);
    }

    #[test]
    fn accents_fold_and_apostrophes_join() {
        assert_eq!(texts("Łukasz’s"), ["lukasz's", "lukasz", "s"]);
        assert_eq!(texts("Giménez"), ["gimenez"]);
    }

    #[test]
    fn parts_take_consecutive_positions_so_phrases_match() {
        assert_eq!(
            with_positions("see sys.remote_exec() now"),
            [
                ("see".into(), 0),
                ("sys.remote_exec".into(), 1),
                ("sys".into(), 1),
                ("remote_exec".into(), 2),
                ("remote".into(), 2),
                ("exec".into(), 3),
                ("now".into(), 4),
            ]
        );
        let p = with_positions("free-threading builds");
        assert_eq!(p[0], ("free-threading".into(), 0));
        assert_eq!(p[2], ("threading".into(), 1));
        assert_eq!(p[3], ("builds".into(), 2));
    }

    #[test]
    fn offsets_point_at_the_original_text() {
        let text = "through PyGC_Head";
        for t in split(text) {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
        let head = split(text)
            .into_iter()
            .find(|t| t.text == "Head")
            .map(|t| (t.start, t.end));
        assert_eq!(head, Some((13, 17)));
    }

    #[test]
    fn trailing_and_stray_joiners_are_not_part_of_words() {
        assert_eq!(
            texts("end. -flag a--b ...x"),
            ["end", "flag", "a", "b", "x"]
        );
        assert_eq!(texts("__init__"), ["__init__", "init"]);
        assert!(texts("").is_empty());
        assert!(texts("(){}—!").is_empty());
    }

    #[test]
    fn stems_sit_next_to_the_words_stemming_changes() {
        let out = tokens_at(
            &mut exact_with_stems(),
            "Collections of refcounting sys.getrefcount() 3.14",
        );
        // `of`, `sys` and `getrefcount` are their own stems; numbers have none.
        let want: Vec<(String, usize)> = [
            ("collections", 0),
            ("\u{1}collect", 0),
            ("of", 1),
            ("refcounting", 2),
            ("\u{1}refcount", 2),
            ("sys.getrefcount", 3),
            ("sys", 3),
            ("getrefcount", 4),
            ("3.14", 5),
        ]
        .into_iter()
        .map(|(t, p)| (t.to_string(), p))
        .collect();
        assert_eq!(out, want);
        assert_eq!(marked_stem("collect"), "\u{1}collect");
    }

    #[test]
    fn query_terms_keep_the_whole_and_the_leaves() {
        let t = query_terms("PyGC_Head");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].whole, "pygc_head");
        assert_eq!(t[0].leaves, ["py", "gc", "head"]);
        let t = query_terms("memoisation");
        assert_eq!(t[0].leaves, ["memoisation"]);
        assert!(t[0].is_prose() && !t[0].has_digit());
        assert_eq!(joined("PEP", "768").as_deref(), Some("pep768"));
        assert_eq!(joined("episode", "21"), None);
        assert_eq!(stem("collections"), "collect");
        assert_eq!(fold("Łukasz"), "lukasz");
    }

    fn all_tokens(a: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            let t = s.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn replaying_gives_what_analysing_gives() {
        let mut plain = exact_with_stems();
        let mut replaying = exact_with_stems_repeated();
        // Repeats in a row, a shorter text after a longer one (slots left over), back to a
        // text seen before but not last, an empty text, and a text of one word.
        let texts = [
            "PART 1: GARBAGE COLLECTION in collections",
            "PART 1: GARBAGE COLLECTION in collections",
            "PART 1: GARBAGE COLLECTION in collections",
            "sys.remote_exec()",
            "PART 1: GARBAGE COLLECTION in collections",
            "",
            "",
            "Łukasz's PEP 768 and 3.14",
            "Łukasz's PEP 768 and 3.14",
            "threads",
        ];
        for text in texts {
            assert_eq!(
                all_tokens(&mut replaying, text),
                all_tokens(&mut plain, text),
                "{text:?}"
            );
        }
        // A fresh analyzer's first text may be the empty one, and the next is analysed.
        let mut fresh = exact_with_stems_repeated();
        assert!(all_tokens(&mut fresh, "").is_empty());
        assert_eq!(
            all_tokens(&mut fresh, "threads"),
            all_tokens(&mut plain, "threads")
        );
        // A stream read before its first token gives an empty one, not a panic.
        let mut r = exact_with_stems_repeated();
        let s = r.token_stream("threads");
        assert_eq!(s.token().text, "");
    }

    fn pair_words(words: &[&str]) -> PairWords {
        std::sync::Arc::new(words.iter().map(|w| w.to_string()).collect())
    }

    #[test]
    fn pairs_are_adjacent_pair_words_once_per_position() {
        let words = pair_words(&["garbage", "collection", "free", "threading", "gc"]);
        let text = "Garbage collection: free-threading, garbage collection garbage; PyGC_Head gc";
        let got: Vec<String> = tokens_at(&mut pairs(words), text)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        // As positions have it: punctuation does not part words, `free-threading` is one word
        // at `free`'s position with `threading` after it, and `PyGC_Head`'s part `gc` follows
        // `py`, not a pair word.
        assert_eq!(
            got,
            [
                "garbage collection",
                "collection free",
                "free threading",
                "threading garbage",
                "garbage collection",
                "collection garbage",
            ]
        );
        assert!(tokens_at(&mut pairs(pair_words(&[])), text).is_empty());
    }

    #[test]
    fn pairs_from_a_recorded_analysis_are_the_pairs_of_the_text() {
        let words = pair_words(&["garbage", "collection", "the", "loop", "event"]);
        let texts = [
            "Garbage collection and the event loop",
            "the the garbage collection collection",
            "",
            "event-loop internals: the loop, the event",
        ];
        for text in texts {
            // Analysed alone: nothing recorded for this text on this thread.
            let alone = tokens_at(&mut pairs(words.clone()), text);
            let mut recording = exact_with_stems_recording(words.clone());
            let exact = tokens_at(&mut recording, text);
            assert_eq!(exact, tokens_at(&mut exact_with_stems(), text), "{text}");
            assert_eq!(tokens_at(&mut pairs(words.clone()), text), alone, "{text}");
            // Taken once: another pair analysis of the text analyses it.
            assert_eq!(tokens_at(&mut pairs(words.clone()), text), alone, "{text}");
            // A record of other words or another text is not used.
            tokens_at(&mut recording, text);
            let other = pair_words(&["garbage"]);
            assert!(tokens_at(&mut pairs(other), text).is_empty());
            tokens_at(&mut recording, "garbage collection garbage collection");
            assert_eq!(tokens_at(&mut pairs(words.clone()), text), alone, "{text}");
        }
    }
}
