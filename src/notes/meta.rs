//! Episode metadata lines: titles, dates, lengths, separators, list headings and noise.

use regex::Regex;
use std::sync::LazyLock;

/// `Episode 21: A Garbage Episode`: the regex's head, up to the number and the spaces after
/// it; [`episode_title`] reads the rest (a separator and the title, or nothing), which costs
/// less than capturing it.
static EPISODE_TITLE_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:#{1,6}\s*)?(?:episode|ep\.?)\s*#?(\d{1,9})\s*").expect("valid regex")
});
/// `# #484: Title`, `# 473: Title`: a number heading a top-level Markdown heading. Deeper
/// headings (`## 1: ...`) and `#1: ...` outside a heading number items of one episode's notes.
static NUMBERED_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^#\s+#?([0-9]{1,6})\s*[:\-–—|]\s*(\S.*)$").expect("valid regex"));
/// A file named for its episode: `470-a-jolting-episode`, `463`, `practical-ai-98`, `PB 485`.
static LEADING_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{1,6})(?:([-_ .]+)(.*))?$").expect("valid regex"));
static TRAILING_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\p{L}][\p{L}\d_ -]*?[-_ ](?:ep|episode)?[-_ ]?([0-9]{1,6})$")
        .expect("valid regex")
});
/// `[text](url)`, a Markdown link.
static MARKDOWN_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]\n]*)\]\([^)\s]*\)").expect("valid regex"));
/// A date in a file name (`notes-2024-05-01`): its digits are no episode number.
static DATE_IN_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{4}[-_]\d{2}").expect("valid regex"));
static CLOCK_LENGTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}):(\d{2})(?::(\d{2}))?$").expect("valid regex"));
static WORD_LENGTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(\d{1,3})\s*(?:h|hr|hrs|hour|hours))?\s*(?:(\d{1,4})\s*(?:m|min|mins|minute|minutes))?\s*(?:(\d{1,5})\s*(?:s|sec|secs|seconds))?$",
    )
    .expect("valid regex")
});
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\s*(?:[•·|–—-]\s*(.+?))?\s*$")
        .expect("valid regex")
});
static LIST_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:#{1,6}\s*)?(?:timestamps|outline|chapters|chapter markers)\s*:?$")
        .expect("valid regex")
});
static NOISE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\d+\s+snips?$").expect("valid regex"));
static PART_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:PART|Part)\s+[0-9A-Za-z]+\s*:").expect("valid regex"));

/// `Episode 21: A Garbage Episode` → (21, "A Garbage Episode"); also `# #484: All our tools`.
pub fn episode_title(line: &str) -> Option<(u32, String)> {
    let t = super::text::trim(line);
    if !may_be_episode_title(t) {
        return None;
    }
    if let Some(c) = EPISODE_TITLE_HEAD.captures(t) {
        let mut rest = &t[c.get(0).map_or(0, |m| m.end())..];
        // `Episode 26.1: Part one`: a part of episode 26, titled after its own separator.
        if let Some(part) = rest.strip_prefix('.') {
            let digits = part.bytes().take_while(u8::is_ascii_digit).count();
            let after = part[digits..].trim_start();
            if (1..=3).contains(&digits) && after.starts_with([':', '-', '–', '—', '|']) {
                rest = after;
            }
        }
        // What followed the head in the whole pattern: `(?:[:\-–—|.]\s*(.*))?$`.
        let title = match rest.chars().next() {
            None => Some(""),
            // `.` stops at a line end: a title that spans one is no match (lines have none).
            Some(sep @ (':' | '-' | '–' | '—' | '|' | '.')) => {
                Some(rest[sep.len_utf8()..].trim_start()).filter(|t| !t.contains('\n'))
            }
            Some(_) => None,
        };
        if let Some(title) = title {
            let number = c[1].parse().ok()?;
            return Some((number, title.trim().to_string()));
        }
    }
    let c = NUMBERED_HEADING.captures(t)?;
    let number = c[1].parse().ok()?;
    Some((number, c[2].trim().to_string()))
}

/// Whether a trimmed line starts like `EPISODE_TITLE_HEAD` (`ep` after any `#`s) or like
/// `NUMBERED_HEADING` (`#`, spaces, perhaps another `#`, a digit): every line is checked,
/// and most are done without running a regex.
fn may_be_episode_title(t: &str) -> bool {
    let head = t.trim_start_matches('#').trim_start().as_bytes();
    if head.get(..2).is_some_and(|h| h.eq_ignore_ascii_case(b"ep")) {
        return true;
    }
    t.starts_with('#') && {
        let rest = t[1..].trim_start();
        let rest = rest.strip_prefix('#').unwrap_or(rest);
        rest.bytes().next().is_some_and(|b| b.is_ascii_digit())
    }
}

/// An episode number (and a title, when words follow it) in a file's name without its
/// extension: `470-a-jolting-episode` → (470, "A jolting episode"), `463` → (463, none),
/// `practical-ai-98` → (98, none: the words before a number name the show). Dates, years
/// (19xx, 20xx) and `part-2` are no episode numbers, nor is a hash-like run a title.
pub fn name_number(name: &str) -> Option<(u32, Option<String>)> {
    let name = name.trim();
    if DATE_IN_NAME.is_match(name) {
        return None;
    }
    let year = |d: &str| d.len() == 4 && (d.starts_with("19") || d.starts_with("20"));
    if let Some(c) = LEADING_NUMBER.captures(name) {
        if year(&c[1]) {
            return None;
        }
        // `3.13-whats-new`: a version, not episode 3.
        let version = c.get(2).is_some_and(|m| m.as_str().contains('.'))
            && c.get(3)
                .is_some_and(|m| m.as_str().starts_with(|ch: char| ch.is_ascii_digit()));
        if version {
            return None;
        }
        let number = c[1].parse().ok()?;
        return match c.get(3).filter(|m| !m.as_str().is_empty()) {
            None => Some((number, None)),
            // `000_b1a4522b4a17a99e`: a scraper's page counter and hash, not an episode.
            Some(rest) => slug_title(rest.as_str()).map(|t| (number, Some(t))),
        };
    }
    let c = TRAILING_NUMBER.captures(name)?;
    let digits = c.get(1)?;
    // `interview-part-2`, `season-3`: the number of something else.
    let before = name[..digits.start()]
        .rsplit(['-', '_', ' '])
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase();
    let other = [
        "part", "pt", "season", "series", "vol", "volume", "bonus", "chapter", "take", "draft",
        "copy", "v",
    ]
    .contains(&before.as_str());
    if year(digits.as_str()) || other {
        return None;
    }
    digits.as_str().parse().ok().map(|n| (n, None))
}

/// `a-jolting-episode` → "A jolting episode"; None unless some word is all letters (two or
/// more), so `b1a4522b4a17a99e` is no title.
fn slug_title(slug: &str) -> Option<String> {
    let words: Vec<&str> = slug
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    if !words
        .iter()
        .any(|w| w.chars().count() >= 2 && w.chars().all(char::is_alphabetic))
    {
        return None;
    }
    let joined = words.join(" ");
    let mut chars = joined.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// A `--------` line between episode blocks.
pub fn is_separator(line: &str) -> bool {
    let t = super::text::trim(line);
    t.len() >= 4 && t.bytes().all(|b| b == b'-')
}

/// A length alone on a line: `1:19:11`, `1h 31min`, `31min`.
pub fn length(text: &str) -> Option<u64> {
    let t = super::text::trim(text);
    if t.is_empty() {
        return None;
    }
    if let Some(c) = CLOCK_LENGTH.captures(t) {
        let a: u64 = c[1].parse().ok()?;
        let b: u64 = c[2].parse().ok()?;
        return match c.get(3) {
            Some(s) => {
                let s: u64 = s.as_str().parse().ok()?;
                (b < 60 && s < 60).then_some(a * 3600 + b * 60 + s)
            }
            None => (b < 60).then_some(a * 60 + b),
        };
    }
    let c = WORD_LENGTH.captures(t)?;
    if c.get(1).is_none() && c.get(2).is_none() && c.get(3).is_none() {
        return None;
    }
    let part = |i: usize| -> u64 { c.get(i).and_then(|m| m.as_str().parse().ok()).unwrap_or(0) };
    Some(part(1) * 3600 + part(2) * 60 + part(3))
}

/// The month number of an English month name or its abbreviation.
fn month(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let n = name.to_lowercase();
    if n.len() < 3 {
        return None;
    }
    let n = if n == "sept" { "sep".to_string() } else { n };
    MONTHS
        .iter()
        .position(|m| m.starts_with(&n))
        .map(|i| i as u32 + 1)
}

/// Days in a month, for rejecting `Feb 30`.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whether a trimmed line starts like `DATE_LINE` (a word of 3-9 letters, then a number):
/// every line is checked, and most are done without running the regex.
fn may_be_date_line(t: &str) -> bool {
    let word = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    let rest = t[word..].strip_prefix('.').unwrap_or(&t[word..]);
    (3..=9).contains(&word)
        && rest.starts_with(char::is_whitespace)
        && rest.trim_start().starts_with(|c: char| c.is_numeric())
}

/// A date line with an optional length: `Sep 3, 2024 • 1h 31min` → ("2024-09-03", Some(5460)).
pub fn date_line(line: &str) -> Option<(String, Option<u64>)> {
    let t = super::text::trim(line);
    if !may_be_date_line(t) {
        return None;
    }
    let c = DATE_LINE.captures(t)?;
    let m = month(&c[1])?;
    let day: u32 = c[2].parse().ok()?;
    let year: u32 = c[3].parse().ok()?;
    if day == 0 || day > days_in_month(year, m) {
        return None;
    }
    let len = match c.get(4) {
        Some(l) => Some(length(l.as_str())?),
        None => None,
    };
    Some((format!("{year:04}-{m:02}-{day:02}"), len))
}

static RFC2822_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Za-z]{2,9}\.?,?\s+)?(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{2}|\d{4})\b")
        .expect("valid regex")
});
static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{2})-(\d{2})").expect("valid regex"));

/// A feed's `pubDate` (RFC 2822: `Tue, 03 Sep 2024 10:00:00 +0000`) → `2024-09-03`, the date
/// as written in the feed's own time zone. Lenient like podcast apps: a wrong weekday, a long
/// month name, a two-digit year or an ISO 8601 date are accepted.
pub fn rfc2822_date(text: &str) -> Option<String> {
    let t = text.trim();
    let (year, m, day) = if let Some(c) = RFC2822_DATE.captures(t) {
        let day: u32 = c[1].parse().ok()?;
        let m = month(&c[2])?;
        let mut year: u32 = c[3].parse().ok()?;
        if c[3].len() == 2 {
            year += if year >= 50 { 1900 } else { 2000 };
        }
        (year, m, day)
    } else {
        let c = ISO_DATE.captures(t)?;
        (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
    };
    if !(1..=12).contains(&m) || day == 0 || day > days_in_month(year, m) {
        return None;
    }
    Some(format!("{year:04}-{m:02}-{day:02}"))
}

/// An `itunes:duration`: seconds (`3600`, `3600.5`), `mm:ss` (minutes may pass 59) or
/// `h:mm:ss`.
pub fn feed_duration(text: &str) -> Option<u64> {
    let t = text.trim();
    let parts: Vec<&str> = t.split(':').collect();
    let int = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [s] => match int(s) {
            Some(n) => Some(n),
            None => {
                let f: f64 = s.parse().ok()?;
                (f.is_finite() && (0.0..1e9).contains(&f)).then(|| f.floor() as u64)
            }
        },
        [m, s] => {
            let (m, s) = (int(m)?, int(s)?);
            (s < 60).then_some(m * 60 + s)
        }
        [h, m, s] => {
            let (h, m, s) = (int(h)?, int(m)?, int(s.split('.').next().unwrap_or(s))?);
            (m < 60 && s < 60).then_some(h * 3600 + m * 60 + s)
        }
        _ => None,
    }
}

/// `## Timestamps`, `# Outline`, `Chapters:`: a line that only announces a chapter list.
pub fn is_list_heading(line: &str) -> bool {
    let t = super::text::trim(line);
    may_be_list_heading(t) && LIST_HEADING.is_match(t)
}

/// Whether a trimmed line starts and ends like `LIST_HEADING` (its words' first and last
/// letters, or a colon at the end): every line is checked.
fn may_be_list_heading(t: &str) -> bool {
    let head = t.trim_start_matches('#').trim_start();
    head.starts_with(['t', 'T', 'o', 'O', 'c', 'C'])
        && t.ends_with(['s', 'S', '\u{17f}', 'e', 'E', ':'])
}

/// Lines scraped from podcast apps that mean nothing (`12 snips`).
pub fn is_noise(line: &str) -> bool {
    let t = super::text::trim(line);
    // `\d` is any decimal digit: a numeric first char is the cheap part of the test.
    t.starts_with(char::is_numeric) && NOISE.is_match(t)
}

/// A chapter that heads a section: `PART 1: GARBAGE COLLECTION`.
pub fn is_part_heading(title: &str) -> bool {
    PART_HEADING.is_match(title)
}

/// `# Interview with Ada` → "Interview with Ada": a Markdown heading's text.
pub fn heading_title(line: &str) -> Option<String> {
    let t = line.trim();
    let marks = t.len() - t.trim_start_matches('#').len();
    if !(1..=6).contains(&marks) {
        return None;
    }
    let t = t[marks..].strip_prefix(' ')?.trim();
    let t = unemphasised(t);
    (!t.is_empty() && !t.starts_with('#')).then(|| t.into_owned())
}

/// Text as a title shows it, without Markdown's `**` bold marks (a transcript's `**Ada:**
/// Hello`) and with a link's text for the link (`[python-fire](https://…)` → `python-fire`);
/// `__` stays, as in `__init__`.
pub fn unemphasised(text: &str) -> std::borrow::Cow<'_, str> {
    let text = if text.contains("](") {
        MARKDOWN_LINK.replace_all(text, "$1")
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    if text.contains("**") {
        std::borrow::Cow::Owned(text.replace("**", ""))
    } else {
        text
    }
}

/// The first sentence of a text, for naming an episode that has no title line.
pub fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(pos, ch)) in chars.iter().enumerate() {
        if matches!(ch, '.' | '!' | '?' | '…') {
            let next = chars.get(i + 1).map(|&(_, c)| c);
            if next.is_none_or(char::is_whitespace) {
                let end = pos + ch.len_utf8();
                return truncate_words(&text[..end], 120);
            }
        }
        if ch == '\n' {
            return truncate_words(&text[..pos], 120);
        }
    }
    truncate_words(text, 120)
}

/// Cuts a text to at most `max` characters at a word boundary, marking the cut with `…`.
pub fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.trim().to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines near what the metadata regexes match, Unicode look-alikes included (the long s
    /// and the Kelvin sign fold to ASCII letters; Arabic-Indic digits are `\d`).
    fn line() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::prop_oneof![
            r"\s?#{0,7}\s?[eE\u{212a}][pP]([iI][sS\u{17f}][oO]de|\.)?\s?#?[0-9٣]{1,3}\s?[-:.|–]?\s?[a-z]{0,4}",
            r"\s?[eE][pP]([iI][sS]ode)?\s?[0-9]{1,3}\s?\.[0-9٣]{0,4}\s?[-:.|–]?\s?[a-z0-9]{0,4}",
            r"\s?[A-Za-z\u{17f}]{2,10}\.?[ \u{a0}]{0,2}[0-9٣]{1,2},?\s[0-9]{4}( • [0-9]h)?",
            r"[\s\u{a0}]{0,2}-{2,6}[\s\u{a0}]{0,2}[a-z]?",
            r"\s?#{0,3}[\s\u{a0}]{0,2}#?[0-9٣]{0,3}\s?[-:.|–]?\s?[a-z]{0,4}",
            r"[ \t#.:,|•–—0-9٣a-zA-Z\u{17f}\u{212a}-]{0,24}",
            r"\s?#{0,7}\s?([tT]imestamps?|[oO]utlin[eE]?|[cC]hapter( marker)?[sS\u{17f}]?)\s?:?\s?",
            r"\s?[0-9٣]{1,3}\s{0,2}[sS\u{17f}]nips?[a-z]?",
        ]
    }

    proptest::proptest! {
        #[test]
        fn quick_checks_never_skip_a_line_the_regex_matches(line in line()) {
            let t = line.trim();
            if !may_be_episode_title(t) {
                proptest::prop_assert!(!EPISODE_TITLE_HEAD.is_match(t));
                proptest::prop_assert!(!NUMBERED_HEADING.is_match(t));
            }
            if !may_be_date_line(t) {
                proptest::prop_assert!(!DATE_LINE.is_match(t));
            }
            proptest::prop_assert_eq!(is_list_heading(&line), LIST_HEADING.is_match(t));
            proptest::prop_assert_eq!(is_noise(&line), NOISE.is_match(t));
            let whole = Regex::new(
                r"(?i)^(?:#{1,6}\s*)?(?:episode|ep\.?)\s*#?(\d{1,9})\s*(?:[:\-–—|.]\s*(.*))?$",
            )
            .expect("valid regex");
            // `Episode 26.1: Part one` is episode 26, titled after the part's separator.
            let part = Regex::new(
                r"(?i)^(?:#{1,6}\s*)?(?:episode|ep\.?)\s*#?(\d{1,9})\s*\.[0-9]{1,3}\s*[:\-–—|]\s*(.*)$",
            )
            .expect("valid regex");
            let by_whole = part
                .captures(t)
                .or_else(|| whole.captures(t))
                .or_else(|| NUMBERED_HEADING.captures(t))
                .and_then(|c| {
                    let n: u32 = c[1].parse().ok()?;
                    Some((n, c.get(2).map_or("", |m| m.as_str()).trim().to_string()))
                });
            proptest::prop_assert_eq!(episode_title(&line), by_whole);
            let separator = Regex::new(r"^\s*-{4,}\s*$").expect("valid regex");
            proptest::prop_assert_eq!(is_separator(&line), separator.is_match(&line));
        }
    }

    #[test]
    fn titles() {
        assert_eq!(
            episode_title("Episode 21: A Garbage Episode"),
            Some((21, "A Garbage Episode".into()))
        );
        assert_eq!(
            episode_title("Episode 6 - An Exceptional Episode"),
            Some((6, "An Exceptional Episode".into()))
        );
        // Up to nine digits: a number past any real show's, but still a title line.
        assert_eq!(
            episode_title("Episode 1000201: Release manager"),
            Some((1_000_201, "Release manager".into()))
        );
        // A part of an episode: its number is the episode's.
        assert_eq!(
            episode_title("Episode 26.1: CPython Sprint Week, Part 1"),
            Some((26, "CPython Sprint Week, Part 1".into()))
        );
        assert_eq!(
            episode_title("Episode 3.14 - Pi day"),
            Some((3, "Pi day".into()))
        );
        assert_eq!(
            episode_title("Episode 3.1415: long"),
            Some((3, "1415: long".into()))
        );
        assert_eq!(episode_title("Episodes"), None);
        assert_eq!(episode_title("Episode about nothing"), None);
        // Python Bytes' Markdown notes head each file this way.
        assert_eq!(
            episode_title("# #484: All our tools"),
            Some((484, "All our tools".into()))
        );
        assert_eq!(
            episode_title("# 473: A clean room rewrite?"),
            Some((473, "A clean room rewrite?".into()))
        );
        // Not titles: a deeper heading or a bare `#1:` numbers an item, a number needs a title
        // after it, `#1` in prose is no heading, and a version is no number.
        assert_eq!(episode_title("## 1: Getting started"), None);
        assert_eq!(episode_title("#12 - Hashes first"), None);
        assert_eq!(episode_title("# 2024"), None);
        assert_eq!(episode_title("#1 priority is tests"), None);
        assert_eq!(episode_title("# 3.14 is out"), None);
        assert_eq!(episode_title("## Brian #3: Typeshed"), None);
    }

    #[test]
    fn titles_show_markdown_as_text() {
        assert_eq!(
            unemphasised("#1 Brian: [python-fire](https://github.com/google/python-fire) **now**"),
            "#1 Brian: python-fire now"
        );
        assert_eq!(unemphasised("__init__ and [x] (y)"), "__init__ and [x] (y)");
        assert_eq!(
            heading_title("## **[Talk](https://x.example)** notes").as_deref(),
            Some("Talk notes")
        );
    }

    #[test]
    fn numbers_and_titles_from_file_names() {
        let t = |s: &str| Some(s.to_string());
        assert_eq!(
            name_number("470-a-jolting-episode"),
            Some((470, t("A jolting episode")))
        );
        assert_eq!(name_number("463"), Some((463, None)));
        assert_eq!(name_number("015-notes"), Some((15, t("Notes"))));
        assert_eq!(name_number("practical-ai-98"), Some((98, None)));
        assert_eq!(name_number("PB 485"), Some((485, None)));
        assert_eq!(name_number("show_ep12"), Some((12, None)));
        // No number: none at all, a year, a date, digits glued to a word, a page counter
        // before a hash.
        assert_eq!(name_number("000_b1a4522b4a17a99e"), None);
        assert_eq!(name_number("notes"), None);
        assert_eq!(name_number("notes-2024"), None);
        assert_eq!(name_number("2024-recap"), None);
        assert_eq!(name_number("3.13-whats-new"), None);
        assert_eq!(name_number("01. Intro"), Some((1, t("Intro"))));
        assert_eq!(name_number("2024-05-01-interview"), None);
        assert_eq!(name_number("python3"), None);
        // The number of something else.
        assert_eq!(name_number("interview-part-2"), None);
        assert_eq!(name_number("bonus 3"), None);
        assert_eq!(name_number("season-3-episode-4"), Some((4, None)));
    }

    #[test]
    fn lengths() {
        assert_eq!(length("1:19:11"), Some(4751));
        assert_eq!(length("1h 31min"), Some(5460));
        assert_eq!(length("31min"), Some(1860));
        assert_eq!(length("2h"), Some(7200));
        assert_eq!(length("1:75:00"), None);
        assert_eq!(length("hello"), None);
        assert_eq!(length(""), None);
    }

    #[test]
    fn dates() {
        assert_eq!(
            date_line("Sep 3, 2024 • 1h 31min"),
            Some(("2024-09-03".into(), Some(5460)))
        );
        assert_eq!(
            date_line("May 28, 2024 • 31min"),
            Some(("2024-05-28".into(), Some(1860)))
        );
        assert_eq!(
            date_line("December 11, 2023"),
            Some(("2023-12-11".into(), None))
        );
        assert_eq!(date_line("Feb 30, 2024"), None);
        assert_eq!(date_line("Hi Loren!"), None);
    }

    #[test]
    fn feed_dates_and_durations() {
        assert_eq!(
            rfc2822_date("Tue, 03 Sep 2024 10:00:00 +0000").as_deref(),
            Some("2024-09-03")
        );
        assert_eq!(
            rfc2822_date("Mon, 3 September 2024 23:59 PDT").as_deref(),
            Some("2024-09-03")
        );
        assert_eq!(rfc2822_date("3 Sep 24").as_deref(), Some("2024-09-03"));
        assert_eq!(
            rfc2822_date("2024-09-03T10:00:00Z").as_deref(),
            Some("2024-09-03")
        );
        assert_eq!(rfc2822_date("31 Feb 2024 10:00:00 GMT"), None);
        assert_eq!(rfc2822_date("yesterday"), None);
        assert_eq!(feed_duration("3600"), Some(3600));
        assert_eq!(feed_duration("3600.7"), Some(3600));
        assert_eq!(feed_duration("61:30"), Some(3690));
        assert_eq!(feed_duration("1:02:03"), Some(3723));
        assert_eq!(feed_duration("1:75:00"), None);
        assert_eq!(feed_duration("soon"), None);
        assert_eq!(feed_duration(""), None);
    }

    #[test]
    fn headings_noise_parts() {
        assert!(is_list_heading("## Timestamps"));
        assert!(is_list_heading("# Timestamps"));
        assert!(is_list_heading("## Outline"));
        assert!(!is_list_heading("Timestamps are fun"));
        assert!(is_noise("12 snips"));
        assert!(is_part_heading("PART 1: GARBAGE COLLECTION"));
        assert!(is_part_heading("PART 0: SPORTS NEWS"));
        assert!(!is_part_heading("PARTY TIME: yes"));
        assert!(!is_part_heading("Particles: 1"));
    }

    #[test]
    fn sentences() {
        assert_eq!(
            first_sentence("Python 3.14 Beta 1 is coming! And that means..."),
            "Python 3.14 Beta 1 is coming!"
        );
        assert_eq!(first_sentence("No end"), "No end");
    }
}
