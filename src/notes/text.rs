//! Text hygiene before any timestamp is read: BOMs, line ends, odd spaces, NFC, and HTML → lines.
//!
//! Show notes arrive copied from web pages, feeds and editors; everything that only changes how
//! text is encoded (not what it says) is normalised here, once, so the parser sees plain lines.

use ego_tree::iter::Edge;
use regex::Regex;
use scraper::{Html, Node};
use std::borrow::Cow;
use std::sync::LazyLock;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// What a character becomes in clean text.
enum Fix {
    Keep,
    Space,
    Newline,
    Drop,
}

fn fix(c: char) -> Fix {
    match c {
        '\n' => Fix::Keep,
        // Tabs, no-break and typographic spaces all separate words like a space.
        '\t' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => {
            Fix::Space
        }
        '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => Fix::Newline,
        // Zero-width characters and stray byte-order marks are invisible: drop them.
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => Fix::Drop,
        c if c.is_control() => Fix::Drop,
        _ => Fix::Keep,
    }
}

/// Whether `b` is printable ASCII or a newline: a byte clean text keeps as it is.
fn plain(b: u8) -> bool {
    b.wrapping_sub(b' ') < 0x5f || b == b'\n'
}

/// Where the first byte that is not [`plain`] is, sixteen bytes at a time: a chunk is tested
/// without branches (so the compiler can use vector compares) and searched only when it has
/// one. Byte by byte, this check was a tenth of parsing a file.
fn first_unplain(bytes: &[u8]) -> Option<usize> {
    let (chunks, tail) = bytes.as_chunks::<16>();
    for (i, chunk) in chunks.iter().enumerate() {
        if chunk.iter().fold(false, |odd, &b| odd | !plain(b)) {
            return chunk.iter().position(|&b| !plain(b)).map(|at| i * 16 + at);
        }
    }
    let at = chunks.len() * 16;
    tail.iter().position(|&b| !plain(b)).map(|i| at + i)
}

/// Whether any character of `text` is not kept as it is; only the bytes that are not plain
/// ASCII are looked at one by one.
fn needs_fixing(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = bytes.get(i..).and_then(first_unplain) {
        let j = i + at;
        if bytes[j].is_ascii() {
            return true;
        }
        let Some(c) = text.get(j..).and_then(|rest| rest.chars().next()) else {
            return true;
        };
        if !matches!(fix(c), Fix::Keep) {
            return true;
        }
        i = j + c.len_utf8();
    }
    false
}

/// Normalises encoding details: BOM, CRLF/CR line ends, tabs and odd spaces, invisible
/// characters, and NFC composition. Borrows when the text needs none of it.
pub fn clean(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Printable ASCII and newlines need nothing (ASCII is NFC): one pass over bytes, not chars.
    if first_unplain(text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out: Cow<'_, str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    if needs_fixing(&out) {
        let mut s = String::with_capacity(out.len());
        for c in out.chars() {
            match fix(c) {
                Fix::Keep => s.push(c),
                Fix::Space => s.push(' '),
                Fix::Newline => s.push('\n'),
                Fix::Drop => {}
            }
        }
        out = Cow::Owned(s);
    }
    if nfc_quick(&out) != IsNormalized::Yes {
        out = Cow::Owned(out.nfc().collect());
    }
    out
}

/// [`is_nfc_quick`] of `text`, asked of its non-ASCII runs only: ASCII is NFC and of
/// combining class 0, which starts the check's ordering afresh, so the runs' answers combine
/// into the whole text's (decoding every char was most of cleaning a file).
fn nfc_quick(text: &str) -> IsNormalized {
    let mut result = IsNormalized::Yes;
    let mut rest = text;
    while let Some(at) = first_non_ascii(rest.as_bytes()) {
        let run = &rest[at..];
        // A UTF-8 char is all high bytes: the run ends at an ASCII byte or the end.
        let len = run.bytes().position(|b| b.is_ascii()).unwrap_or(run.len());
        match is_nfc_quick(run[..len].chars()) {
            IsNormalized::No => return IsNormalized::No,
            IsNormalized::Maybe => result = IsNormalized::Maybe,
            IsNormalized::Yes => {}
        }
        rest = &run[len..];
    }
    result
}

/// Where the first byte of 0x80 or above is, eight bytes at a time (scanning byte by byte,
/// decoding a stored episode took three times as long).
pub(crate) fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let (words, tail) = bytes.as_chunks::<8>();
    for (i, w) in words.iter().enumerate() {
        let high = u64::from_le_bytes(*w) & HIGH;
        if high != 0 {
            return Some(i * 8 + high.trailing_zeros() as usize / 8);
        }
    }
    let at = words.len() * 8;
    tail.iter().position(|&b| b >= 0x80).map(|i| at + i)
}

/// [`str::trim`], answered from the end bytes when both are ASCII and no whitespace: every
/// line is trimmed by each check that reads it.
pub(crate) fn trim(s: &str) -> &str {
    let outer = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x80);
    let b = s.as_bytes();
    if outer(b.first()) && outer(b.last()) {
        s
    } else {
        s.trim()
    }
}

/// Collapses runs of whitespace to one space and trims: for titles.
pub fn squeeze(text: &str) -> String {
    // Most titles are tidy already: no whitespace but single spaces between words. Tested
    // without branches per byte (vector compares); a title with non-ASCII has its chars asked.
    let b = text.as_bytes();
    let odd = |c: u8| (0x09..=0x0d).contains(&c);
    let tidy = b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && !b.iter().fold(false, |any, &c| any | odd(c))
        && !b
            .iter()
            .zip(b.get(1..).unwrap_or_default())
            .fold(false, |any, (&x, &y)| any | (x == b' ' && y == b' '))
        && (b.iter().fold(true, |ascii, &c| ascii & c.is_ascii())
            || !text.chars().any(|c| !c.is_ascii() && c.is_whitespace()));
    if tidy {
        return text.to_string();
    }
    squeeze_words(text)
}

fn squeeze_words(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(word);
    }
    s
}

/// Tags that break a line in HTML show notes.
static LINE_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</?(?:p|br|li|ul|ol|div|h[1-6]|table|tr|blockquote|section|article)\b[^>]*>")
        .expect("valid regex")
});

/// Any HTML tag or entity: enough to send a feed description through the HTML parser.
static ANY_MARKUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<(?:[a-z][a-z0-9]*\b[^>]*|/[a-z][a-z0-9]*\s*)>|&(?:[a-z][a-z0-9]{1,31}|#[0-9]{1,7}|#x[0-9a-f]{1,6});")
        .expect("valid regex")
});

/// The first `max` bytes of a text, cut back to a character boundary.
fn head(text: &str, max: usize) -> &str {
    let mut at = max.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    &text[..at]
}

/// Whether a text file of show notes is HTML: it starts with a tag, or it breaks its lines with
/// at least two HTML line tags outside Markdown code blocks (so a stray `<p>` in a code sample
/// of Markdown notes does not turn the whole file into HTML).
pub fn looks_like_html(text: &str) -> bool {
    // Every tag starts with `<`: most notes are done in one byte search.
    if !text.contains('<') {
        return false;
    }
    let start = text.trim_start();
    if start.starts_with('<') && ANY_MARKUP.is_match(head(start, 4096)) {
        return true;
    }
    let mut in_code = false;
    let mut tags = 0;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            tags += LINE_TAG.find_iter(line).count();
            if tags >= 2 {
                return true;
            }
        }
    }
    false
}

/// Whether a snippet (a feed description) holds any markup or entity at all.
pub fn has_markup(text: &str) -> bool {
    ANY_MARKUP.is_match(text)
}

/// Elements whose content is not show-notes text.
fn is_hidden(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "head" | "title" | "template" | "noscript" | "iframe" | "svg"
    )
}

/// Elements that start and end a line of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "tr"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "hr"
            | "figure"
            | "figcaption"
    )
}

/// Collects text lines from the HTML tree.
struct Lines {
    out: String,
}

impl Lines {
    fn newline(&mut self) {
        let trimmed = self.out.trim_end_matches(' ').len();
        self.out.truncate(trimmed);
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn text(&mut self, t: &str, pre: bool) {
        for (i, part) in t.split('\n').enumerate() {
            if i > 0 {
                // Line ends in the source are kept: show notes are line-oriented even in HTML.
                let trimmed = self.out.trim_end_matches(' ').len();
                self.out.truncate(trimmed);
                self.out.push('\n');
            }
            if pre {
                self.out.push_str(part);
                continue;
            }
            for (j, word) in part.split([' ', '\t']).enumerate() {
                if j > 0 && !self.out.is_empty() && !self.out.ends_with([' ', '\n']) {
                    self.out.push(' ');
                }
                self.out.push_str(word);
            }
        }
    }

    fn br(&mut self) {
        let trimmed = self.out.trim_end_matches(' ').len();
        self.out.truncate(trimmed);
        self.out.push('\n');
    }

    /// Walks the tree without recursion: hostile HTML may nest elements a million deep.
    fn walk(&mut self, root: ego_tree::NodeRef<'_, Node>) {
        // Depth inside a hidden element (script, style...), and inside `<pre>`.
        let (mut hidden, mut pre) = (0usize, 0usize);
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => match node.value() {
                    Node::Element(e) => {
                        let name = e.name();
                        if hidden > 0 || is_hidden(name) {
                            hidden += 1;
                        } else if name == "br" {
                            self.br();
                        } else if is_block(name) {
                            self.newline();
                            pre += usize::from(name == "pre");
                        }
                    }
                    Node::Text(t) if hidden == 0 => self.text(t, pre > 0),
                    _ => {}
                },
                Edge::Close(node) => {
                    if let Node::Element(e) = node.value() {
                        let name = e.name();
                        if hidden > 0 {
                            hidden -= 1;
                        } else if is_block(name) {
                            self.newline();
                            pre -= usize::from(name == "pre" && pre > 0);
                        }
                    }
                }
            }
        }
    }
}

/// Deepest element nesting handed to the HTML parser: html5ever's scope checks take time
/// quadratic in the depth (200,000 nested `<div>`s: minutes), real show notes nest a dozen.
pub const MAX_HTML_DEPTH: usize = 512;

/// A start or end tag: `/` (group 1), its name (2), a self-closing `/` (3).
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>").expect("valid regex")
});
static SCRIPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<script\b.*?</script\s*>").expect("valid regex"));
static STYLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<style\b.*?</style\s*>").expect("valid regex"));

/// Elements that never hold others, or that the next sibling closes: they add no depth.
fn nests(name: &str) -> bool {
    !matches!(
        name.to_ascii_lowercase().as_str(),
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "option"
    )
}

/// Whether the tags nest deeper than [`MAX_HTML_DEPTH`] somewhere.
fn too_deep(html: &str) -> bool {
    let mut depth = 0usize;
    for c in TAG.captures_iter(html) {
        if !nests(&c[2]) || !c[3].is_empty() {
            continue;
        }
        if c[1].is_empty() {
            depth += 1;
            if depth > MAX_HTML_DEPTH {
                return true;
            }
        } else {
            depth = depth.saturating_sub(1);
        }
    }
    false
}

/// The tags of over-deep HTML replaced by line ends (block tags) or nothing, scripts and
/// styles dropped; what is left is text with entities, for the HTML parser to decode.
fn flatten(html: &str) -> String {
    let html = SCRIPT.replace_all(html, "");
    let html = STYLE.replace_all(&html, "");
    TAG.replace_all(&html, |c: &regex::Captures<'_>| {
        let name = c[2].to_ascii_lowercase();
        if name == "br" || is_block(&name) {
            "\n"
        } else {
            ""
        }
    })
    .into_owned()
}

/// HTML → text lines, with a real HTML parser (html5ever): block elements and `<br>` end lines,
/// entities are decoded, scripts and styles dropped, inline tags vanish, source line ends stay.
/// HTML nested deeper than [`MAX_HTML_DEPTH`] is flattened to text and entities first.
pub fn html_to_text(html: &str) -> String {
    let flat;
    let html = if too_deep(html) {
        flat = flatten(html);
        flat.as_str()
    } else {
        html
    };
    let lower = head(html, 1024).to_ascii_lowercase();
    let doc = if lower.contains("<html") || lower.contains("<!doctype") {
        Html::parse_document(html)
    } else {
        Html::parse_fragment(html)
    };
    let mut lines = Lines {
        out: String::with_capacity(html.len()),
    };
    lines.walk(doc.tree.root());
    lines.out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn fast_paths_agree_with_the_general_ones(
            text in "[ a-z\t\n\r\u{b}\u{1c}\u{7f}\u{a0}\u{1680}\u{2003}\u{200b}\u{feff}\u{301}éß\u{1}]{0,40}"
        ) {
            proptest::prop_assert_eq!(squeeze(&text), squeeze_words(&text));
            proptest::prop_assert_eq!(trim(&text), text.trim());
            proptest::prop_assert_eq!(
                first_unplain(text.as_bytes()),
                text.bytes().position(|b| !matches!(b, b' '..=b'~' | b'\n'))
            );
            proptest::prop_assert_eq!(
                needs_fixing(&text),
                text.chars().any(|c| !matches!(fix(c), Fix::Keep))
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn a_byte_that_is_not_plain_is_found_at_any_place(
            text in "[a-z ~\n]{0,50}[\u{0}\u{1f}\u{7f}\t\r\u{80}é]?[a-z \u{1}]{0,40}"
        ) {
            proptest::prop_assert_eq!(
                first_unplain(text.as_bytes()),
                text.bytes().position(|b| !matches!(b, b' '..=b'~' | b'\n'))
            );
        }
    }

    #[test]
    fn a_character_across_the_sniffing_limits_is_not_cut() {
        // Regression (found by fuzzing): the HTML sniffers sliced at a fixed byte count, which
        // panicked when a two-byte character straddled it.
        for limit in [1024, 4096] {
            let text = format!("<p>{}·</p>{}", "a".repeat(limit - 4), "<br>".repeat(300));
            assert!(!text.is_char_boundary(limit));
            assert!(looks_like_html(&text));
            assert!(html_to_text(&text).contains('·'));
        }
        assert_eq!(head("a·b", 2), "a");
        assert_eq!(head("ab", 9), "ab");
    }

    #[test]
    fn bom_line_ends_spaces_and_invisibles() {
        let t = "\u{feff}a\r\nb\rc\td\u{a0}e\u{200b}f\u{202f}g\n";
        assert_eq!(clean(t), "a\nb\nc d ef g\n");
    }

    #[test]
    fn nfc_composes_decomposed_letters() {
        let decomposed = "Caf\u{65}\u{301} cre\u{300}me";
        let c = clean(decomposed);
        assert_eq!(c, "Café crème");
        assert!(matches!(clean("Café"), Cow::Borrowed(_)));
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(clean("plain\ntext"), Cow::Borrowed(_)));
    }

    proptest::proptest! {
        #[test]
        fn nfc_quick_is_the_whole_texts(text in "[a ée\u{301}\u{327}\u{316}\u{344}\u{1100}\u{1161}\u{212b}\u{f900}]{0,12}") {
            proptest::prop_assert_eq!(nfc_quick(&text), is_nfc_quick(text.chars()));
        }
    }

    #[test]
    fn squeeze_collapses_runs() {
        assert_eq!(squeeze("  a   b \t c "), "a b c");
        for (text, squeezed) in [
            ("a b", "a b"),
            (" a", "a"),
            ("a ", "a"),
            ("a  b", "a b"),
            ("a\u{a0}b", "a b"),
            ("é  b", "é b"),
            ("", ""),
            (" ", ""),
        ] {
            assert_eq!(squeeze(text), squeezed, "{text:?}");
        }
    }

    #[test]
    fn html_becomes_lines_with_entities_decoded() {
        let html = "<p>Intro &amp; welcome</p><ul><li>00:00 Start</li><li><b>05:30</b> Soil&nbsp;tests</li></ul>Line one<br>Line&#32;two<script>x()</script>";
        let t = html_to_text(html);
        let lines: Vec<&str> = t.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(
            lines,
            [
                "Intro & welcome",
                "00:00 Start",
                "05:30 Soil\u{a0}tests",
                "Line one",
                "Line two"
            ]
        );
    }

    #[test]
    fn html_documents_drop_their_head() {
        let t = html_to_text(
            "<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head><body><h1>Ep</h1><p>(00:01:00) A</p></body></html>",
        );
        assert_eq!(t.trim(), "Ep\n(00:01:00) A");
    }

    #[test]
    fn deeply_nested_html_does_not_overflow_the_stack() {
        let html = format!(
            "{}(00:01:00) Deep{}",
            "<div>".repeat(200_000),
            "</div>".repeat(200_000)
        );
        assert!(html_to_text(&html).contains("(00:01:00) Deep"));
    }

    #[test]
    fn html_detection() {
        assert!(looks_like_html("<p>Hello</p>"));
        assert!(looks_like_html("Intro<br>00:00 A<br>01:00 B"));
        assert!(!looks_like_html("Markdown with a <tag> once"));
        assert!(!looks_like_html("```\n<p>a</p><br>\n```\nplain"));
        assert!(!looks_like_html("a < b and c > d"));
        assert!(has_markup("Tom &amp; Jerry"));
        assert!(has_markup("<b>x</b>"));
        assert!(!has_markup("1 < 2 & 3 > 2"));
    }
}
