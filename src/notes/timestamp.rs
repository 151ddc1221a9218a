//! Chapter times in the styles people write them: `(00:08:35) Title`, `12:34 — Title`,
//! `* [1:02:03] Title`, `[0:04:56](url) - Title`, `\[03:58\] Title`, `Title (12:34)` and more.
//!
//! A time starts a chapter only at the start of a line (after list, heading and emphasis marks)
//! or, in a list where every line has one, at the end of the line. Times inside prose
//! (`at 3:15 AM`, `John 3:16`) and clock times (`9:30 am`, `2:00 pm UTC`) are no chapters.

use regex::Regex;
use std::sync::LazyLock;

/// A chapter start found in a line: its time and the title text that follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Start in seconds.
    pub seconds: u64,
    /// The title text after the time, trimmed (empty when the title is on the next line).
    pub title: String,
}

/// What reading one line's timestamps gave.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineStamps {
    /// Prose before the first time (a description run into its `## Timestamps` list).
    pub prose: String,
    /// The chapters, in line order.
    pub stamps: Vec<Stamp>,
    /// Times that look like chapter starts but are invalid (`(00:75:00)`), as written.
    pub invalid: Vec<String>,
}

/// One time as written: `m:ss`, `mm:ss`, `h:mm:ss`, `hh:mm:ss`, with optional `.ms`.
const T: &str = r"\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?";

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,3}):(\d{2})(?::(\d{2}))?(?:[.,]\d{1,3})?$").expect("valid regex")
});

/// `(h:mm:ss)` / `(hh:mm:ss)`: the only form that can start a chapter inside a run-together line.
static PAREN_HMS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(\d{1,3}:\d{2}:\d{2}\)").expect("valid regex"));

/// A heading that introduces a chapter list, at the end of prose it was run into.
static TRAILING_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\s*#{1,6}\s*(?:timestamps|outline|chapters|chapter markers|show notes)\s*:?\s*$",
    )
    .expect("valid regex")
});

/// Marks that may stand before a line's content: headings, list bullets and numbers, and a
/// transcript's bold `**Speaker:**` tag (group 1).
const LEAD: &str =
    r"^(?:#{1,6}\s*)?(?:(?:[-*+•◦▪‣·]|\d{1,3}[.)])\s+)?(?:\*\*([^*]{1,60}?)(?::\*\*|\*\*:)\s*)?";

/// A time at the start of a line, in one of its wrappers: `\[T\]`, `[T](url)`, `[T]`, `(T)`,
/// or bare; optionally in `**bold**`. The rest of the line follows in group `rest`.
static LEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"{LEAD}(?:\*\*|__|\*|_)?(?:\\\[(?P<esc>{T})\\\]|\[(?P<br>{T})\](?:\([^)\s]*\))?|\((?P<par>{T})\)|(?P<bare>{T}))(?:\*\*|__|\*|_)?(?P<rest>.*)$"
    ))
    .expect("valid regex")
});

/// A time at the end of a line: `Title (12:34)`, `Title [12:34]`, `Title - 12:34`.
static TRAILING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<title>.*?\S)(?:\s*\((?P<par>{T})\)|\s*\[(?P<br>{T})\]|\s+[-–—|]\s*(?P<dash>{T}))\s*$"
    ))
    .expect("valid regex")
});

/// List, heading and emphasis marks before a trailing-time title.
static LIST_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:#{1,6}\s*)?(?:(?:[-*+•◦▪‣·]|\d{1,3}[.)])\s+)?").expect("valid regex")
});

/// What follows a clock time rather than a chapter title: `9:30 am`, `2:00 pm UTC`, `17:00 CET`.
static CLOCK_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    // Time zones only in capitals, so `12:34 Et cetera` stays a chapter.
    Regex::new(
        r"^(?:(?i:[ap]\.?m\b\.?|o['’]clock\b|uhr\b|hrs?\b)|(?:UTC|GMT|[PECM][SD]?T|CES?T|BST|IST|JST|AES?T|AEDT)\b)",
    )
    .expect("valid regex")
});

/// A time right at the start of a title: the line was a time range (`10:00 - 11:30 ...`).
static STARTS_WITH_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^{T}\b")).expect("valid regex"));

/// A WebVTT voice tag in a transcript cue: `<v Michael Kennedy>`.
static VOICE_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<v(?:\.[\w.-]+)?\s+([^>]{1,60})>|</v>").expect("valid regex"));

/// Seconds from hours, minutes, seconds; None when minutes or seconds exceed 59.
pub fn hms_to_seconds(h: u64, m: u64, s: u64) -> Option<u64> {
    (m < 60 && s < 60).then_some(h * 3600 + m * 60 + s)
}

fn num(s: &str) -> u64 {
    // The regexes only hand over 1-3 ASCII digits, so this cannot overflow.
    s.parse().unwrap_or(0)
}

/// A time as written (`1:02:03`, `12:34`, `0:04:56.250`) in whole seconds; None when minutes
/// or seconds exceed 59 or it is no time at all.
pub fn time_to_seconds(token: &str) -> Option<u64> {
    let c = TIME.captures(token)?;
    match c.get(3) {
        Some(s) => hms_to_seconds(num(&c[1]), num(&c[2]), num(s.as_str())),
        None => hms_to_seconds(0, num(&c[1]), num(&c[2])),
    }
}

/// A chapter title as people see it: no separator before it, no emphasis marks around it,
/// no voice tags, whitespace collapsed.
fn tidy_title(rest: &str) -> String {
    let mut t = rest.trim();
    for sep in ["-", "–", "—", "|", ":", "•", "·", "~"] {
        if let Some(after) = t.strip_prefix(sep)
            && (after.is_empty() || after.starts_with(char::is_whitespace))
        {
            t = after.trim_start();
            break;
        }
    }
    let t = if t.contains('<') {
        VOICE_TAG.replace_all(t, |c: &regex::Captures<'_>| match c.get(1) {
            Some(name) => format!("{}: ", name.as_str().trim()),
            None => String::new(),
        })
    } else {
        std::borrow::Cow::Borrowed(t)
    };
    let mut t = t.trim();
    for mark in ["**", "__"] {
        if let Some(inner) = t.strip_prefix(mark).and_then(|x| x.strip_suffix(mark)) {
            t = inner.trim();
        }
    }
    super::text::squeeze(t)
}

/// Reads the chapters of one line.
///
/// Two readings, tried in order:
/// 1. A line that starts with `(hh:mm:ss)`, or whose prose ends in a `## Timestamps`-style
///    heading right before its first `(hh:mm:ss)`, is a chapter list, split at every
///    `(hh:mm:ss)`: titles may contain other parentheses.
/// 2. A line that starts with a time in any style (after list and heading marks) is one
///    chapter, unless the time is a clock time (`9:30 am`) or the start of a time range.
///
/// Any other line yields no stamps: a time inside prose is no chapter.
pub fn read_line(line: &str) -> LineStamps {
    // Every time has a colon: most prose lines are done without running a regex.
    if !line.contains(':') {
        return LineStamps::default();
    }
    if let Some(out) = run_together(line) {
        return out;
    }
    leading(line).unwrap_or_default()
}

fn run_together(line: &str) -> Option<LineStamps> {
    let mut found = PAREN_HMS.find_iter(line);
    let first = found.next()?;
    let before = &line[..first.start()];
    let starts_line = before.trim().is_empty();
    let heading = TRAILING_HEADING.find(before);
    if !starts_line && heading.is_none() {
        return None;
    }
    let mut out = LineStamps {
        prose: match heading {
            Some(h) => before[..h.start()].trim().to_string(),
            None => String::new(),
        },
        ..LineStamps::default()
    };
    // Match ranges only: captures cost an allocation per chapter of a long list.
    let times: Vec<std::ops::Range<usize>> = std::iter::once(first)
        .chain(found)
        .map(|m| m.range())
        .collect();
    for (i, time) in times.iter().enumerate() {
        let end = times.get(i + 1).map_or(line.len(), |n| n.start);
        let title = tidy_title(&line[time.end..end]);
        let written = &line[time.clone()];
        // `(h:mm:ss)`: the regex guarantees three numbers between the parentheses.
        let mut parts = written[1..written.len() - 1].split(':').map(num);
        let (h, m, s) = (
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        );
        match hms_to_seconds(h, m, s) {
            Some(seconds) => out.stamps.push(Stamp { seconds, title }),
            None => out.invalid.push(written.to_string()),
        }
    }
    Some(out)
}

fn leading(line: &str) -> Option<LineStamps> {
    let c = LEADING.captures(line)?;
    let rest = c.name("rest").map_or("", |m| m.as_str());
    let (token, written) = if let Some(m) = c.name("esc") {
        (m.as_str(), format!("\\[{}\\]", m.as_str()))
    } else if let Some(m) = c.name("br") {
        (m.as_str(), format!("[{}]", m.as_str()))
    } else if let Some(m) = c.name("par") {
        (m.as_str(), format!("({})", m.as_str()))
    } else {
        let m = c.name("bare")?;
        // A bare time must stand alone: `12:34am` or `3:16b` is no chapter time.
        if rest
            .chars()
            .next()
            .is_some_and(|ch| !ch.is_whitespace() && !"-–—|:•·~".contains(ch))
        {
            return None;
        }
        (m.as_str(), m.as_str().to_string())
    };
    let after = rest.trim_start();
    if CLOCK_SUFFIX.is_match(after) {
        return None;
    }
    let range_end = after.trim_start_matches(['-', '–', '—', '|', '~', ' ']);
    if STARTS_WITH_TIME.is_match(range_end) {
        return None;
    }
    let mut title = tidy_title(rest);
    if let Some(speaker) = c.get(1) {
        let speaker = speaker.as_str().trim();
        title = if title.is_empty() {
            speaker.to_string()
        } else {
            format!("{speaker}: {title}")
        };
    }
    let mut out = LineStamps::default();
    match time_to_seconds(token) {
        Some(seconds) => out.stamps.push(Stamp { seconds, title }),
        None => out.invalid.push(written),
    }
    Some(out)
}

/// Whether a line may end like `TRAILING` (a time, maybe in brackets): the regex scans the
/// whole line, and every line is checked.
fn may_end_in_time(line: &str) -> bool {
    let last = line.trim_end().chars().next_back();
    last.is_some_and(|c| c == ')' || c == ']' || c.is_numeric()) && line.contains(':')
}

/// A chapter written with its time at the end of the line (`Title (12:34)`, `Title - 12:34`).
///
/// Only a candidate: the parser keeps it when every line of its list has one and the times
/// ascend. `Err` holds an invalid time as written.
pub fn trailing(line: &str) -> Option<Result<Stamp, String>> {
    if !may_end_in_time(line) {
        return None;
    }
    let c = TRAILING.captures(line)?;
    let token = c
        .name("par")
        .or_else(|| c.name("br"))
        .or_else(|| c.name("dash"))?
        .as_str();
    let raw_title = c.name("title").map_or("", |m| m.as_str());
    let title = tidy_title(LIST_MARK.replace(raw_title, "").as_ref());
    if title.is_empty() {
        return None;
    }
    Some(match time_to_seconds(token) {
        Some(seconds) => Ok(Stamp { seconds, title }),
        None => Err(token.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn quick_checks_never_skip_a_line_the_regex_matches(
            line in proptest::prop_oneof![
                r"[-*#\\\[(]{0,2}\s?[0-9٣]{1,2}:[0-9]{2}(:[0-9]{2})?[\])]?\s?[a-z ]{0,4}",
                r"[a-z ]{1,6}(\s?\([0-9٣]{1,2}:[0-9]{2}\)|\s?\[[0-9]{1,2}:[0-9]{2}\]|\s[-–|]\s?[0-9]{1,2}:[0-9]{2})[\s\u{a0}]{0,2}",
                r"[-–—|*_#•\\\[\]()a-zA-Z ٣0-9.,:]{0,24}",
            ]
        ) {
            // read_line gives up on a line without a colon.
            if !line.contains(':') {
                proptest::prop_assert!(!PAREN_HMS.is_match(&line) && !LEADING.is_match(&line));
            }
            if !may_end_in_time(&line) {
                proptest::prop_assert!(!TRAILING.is_match(&line));
            }
        }
    }

    fn one(line: &str) -> (u64, String) {
        let r = read_line(line);
        assert!(r.invalid.is_empty(), "{line}: {r:?}");
        assert_eq!(r.stamps.len(), 1, "{line}: {r:?}");
        (r.stamps[0].seconds, r.stamps[0].title.clone())
    }

    fn none(line: &str) {
        let r = read_line(line);
        assert!(r.stamps.is_empty() && r.invalid.is_empty(), "{line}: {r:?}");
    }

    #[test]
    fn one_per_line() {
        let r = read_line("(00:08:35) Solving reference cycles through PyGC_Head");
        assert_eq!(r.prose, "");
        assert_eq!(
            r.stamps,
            vec![Stamp {
                seconds: 515,
                title: "Solving reference cycles through PyGC_Head".into()
            }]
        );
    }

    #[test]
    fn every_leading_style() {
        let cases: &[(&str, u64, &str)] = &[
            ("(00:01:58) Title", 118, "Title"),
            ("00:01:58 Title", 118, "Title"),
            ("[00:01:58] Title", 118, "Title"),
            ("1:02:03 - Title", 3723, "Title"),
            ("12:34 — Title", 754, "Title"),
            ("12:34 – Title", 754, "Title"),
            ("01:02:03 | Title", 3723, "Title"),
            ("0:00 Intro", 0, "Intro"),
            ("1:04:14 Wrap", 3854, "Wrap"),
            ("- 12:34 Title", 754, "Title"),
            ("* [1:02:03] Title", 3723, "Title"),
            ("1. 00:12 Title", 12, "Title"),
            ("12) 00:12 Title", 12, "Title"),
            ("• 1:04:14 Title", 3854, "Title"),
            ("### 00:00:00 – Title", 0, "Title"),
            (
                "[0:04:56](https://example.com/e?t=296) - Title",
                296,
                "Title",
            ),
            (r"\[03:58\] Title", 238, "Title"),
            (r"\[01:02:03.250\] Title", 3723, "Title"),
            ("**00:05:00** Bold time", 300, "Bold time"),
            (
                "(12:34) Two-part in parentheses",
                754,
                "Two-part in parentheses",
            ),
            ("(00:30:35)AI disruption", 1835, "AI disruption"),
            ("00:10:00  **Emphasised**", 600, "Emphasised"),
        ];
        for (line, seconds, title) in cases {
            assert_eq!(one(line), (*seconds, title.to_string()), "{line}");
        }
    }

    #[test]
    fn transcript_speakers_and_voice_tags() {
        assert_eq!(
            one(r"**Chris Benson:** \[04:05\] Well, that is a start."),
            (245, "Chris Benson: Well, that is a start.".into())
        );
        assert_eq!(one(r"**Break**: \[18:20\]"), (1100, "Break".into()));
        assert_eq!(
            one("00:00:04 <v Ann Lee>Hello there."),
            (4, "Ann Lee: Hello there.".into())
        );
    }

    #[test]
    fn a_time_alone_has_its_title_on_the_next_line() {
        assert_eq!(one("00:12:34"), (754, String::new()));
        assert_eq!(one("- [12:34]"), (754, String::new()));
    }

    #[test]
    fn clock_times_and_prose_are_no_chapters() {
        none("We met at 3:15 AM and talked.");
        none("John 3:16 is quoted a lot.");
        none("3:15 AM we woke up");
        none("9:30am US Pacific");
        none("2:00 pm UTC the vote starts");
        none("17:00 CET: doors open");
        none("18:00 ET kickoff");
        assert_eq!(one("00:24:32 Et cetera."), (1472, "Et cetera.".into()));
        none("12:00 - 4:00 PM, in person only");
        none("10:00–11:30 workshop");
        none("3:16b is not a time");
        none("file.py:186:25 [FURB106]");
        none("We met at (00:10:00) sharp and talked.");
        none("Plain prose with no times.");
    }

    #[test]
    fn run_together_after_prose_and_heading() {
        let r = read_line(
            "We cover it all! Explicitly.## Timestamps(00:00:00) INTRO(00:02:03) PART 0: SPORTS NEWS(01:38:24) fnmatch.filterfalse()(01:38:54) Bugfixes",
        );
        assert_eq!(r.prose, "We cover it all! Explicitly.");
        let titles: Vec<_> = r.stamps.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "INTRO",
                "PART 0: SPORTS NEWS",
                "fnmatch.filterfalse()",
                "Bugfixes"
            ]
        );
        assert_eq!(r.stamps[2].seconds, 3600 + 38 * 60 + 24);
    }

    #[test]
    fn run_together_time_at_the_end_waits_for_its_title() {
        let r = read_line("(00:17:36) The usability threshold(00:18:24)");
        assert_eq!(r.stamps.len(), 2);
        assert_eq!(r.stamps[0].title, "The usability threshold");
        assert_eq!(r.stamps[1].title, "");
    }

    #[test]
    fn parentheses_inside_titles_do_not_split() {
        let r = read_line(
            "(01:36:08) concurrent.futures.Executor.map(buffersize=)(01:36:57) io.Reader",
        );
        assert_eq!(r.stamps.len(), 2);
        assert_eq!(
            r.stamps[0].title,
            "concurrent.futures.Executor.map(buffersize=)"
        );
    }

    #[test]
    fn minutes_or_seconds_over_59_are_invalid() {
        let r = read_line("(00:75:00) Nope");
        assert!(r.stamps.is_empty());
        assert_eq!(r.invalid, ["(00:75:00)"]);
        assert_eq!(read_line("12:75 Nope").invalid, ["12:75"]);
        assert_eq!(read_line("[1:60:00] Nope").invalid, ["[1:60:00]"]);
        assert_eq!(read_line("75:00 Nope").invalid, ["75:00"]);
    }

    #[test]
    fn trailing_times() {
        let ok = |l: &str| {
            trailing(l)
                .and_then(Result::ok)
                .map(|s| (s.seconds, s.title))
        };
        assert_eq!(ok("Title (12:34)"), Some((754, "Title".into())));
        assert_eq!(ok("- Title - 12:34"), Some((754, "Title".into())));
        assert_eq!(ok("Title — 1:02:03"), Some((3723, "Title".into())));
        assert_eq!(ok("3. Title [0:45]"), Some((45, "Title".into())));
        assert_eq!(ok("Talk given at 7:00"), None);
        assert_eq!(ok("range 12:34"), None);
        assert!(matches!(trailing("Title (12:99)"), Some(Err(_))));
    }

    #[test]
    fn time_tokens() {
        assert_eq!(time_to_seconds("0:00"), Some(0));
        assert_eq!(time_to_seconds("1:02:03"), Some(3723));
        assert_eq!(time_to_seconds("123:45"), None);
        assert_eq!(time_to_seconds("59:59"), Some(3599));
        assert_eq!(time_to_seconds("100:00:00"), Some(360_000));
        assert_eq!(time_to_seconds("00:00:01.999"), Some(1));
        assert_eq!(time_to_seconds("nope"), None);
    }
}
