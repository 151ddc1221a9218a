//! Chapter times: `(00:08:35) Title` lines and lists run together on one line.

use regex::Regex;
use std::sync::LazyLock;

/// A chapter start found in a line: its time and the title text that follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Start in seconds.
    pub seconds: u64,
    /// The title text after the time, trimmed.
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

/// `(h:mm:ss)` / `(hh:mm:ss)`: the only form that can start a chapter inside a run-together line.
static PAREN_HMS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\((\d{1,3}):(\d{2}):(\d{2})\)").expect("valid regex"));

/// A heading that introduces a chapter list, at the end of prose it was run into.
static TRAILING_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\s*#{1,6}\s*(?:timestamps|outline|chapters|chapter markers|show notes)\s*:?\s*$",
    )
    .expect("valid regex")
});

/// Seconds from hours, minutes, seconds; None when minutes or seconds exceed 59.
pub fn hms_to_seconds(h: u64, m: u64, s: u64) -> Option<u64> {
    (m < 60 && s < 60).then_some(h * 3600 + m * 60 + s)
}

fn num(s: &str) -> u64 {
    // The regexes only hand over 1-3 ASCII digits, so this cannot overflow.
    s.parse().unwrap_or(0)
}

/// Reads the `(hh:mm:ss) Title` chapters of one line.
///
/// A line that starts with a time, or whose prose ends in a `## Timestamps`-style heading right
/// before its first time, is a chapter list: it is split at every `(hh:mm:ss)`, so titles may
/// contain other parentheses. Any other line yields no stamps (a time inside prose is no chapter).
pub fn read_line(line: &str) -> LineStamps {
    let mut out = LineStamps::default();
    let Some(first) = PAREN_HMS.find(line) else {
        return out;
    };
    let before = &line[..first.start()];
    let starts_line = before.trim().is_empty();
    let heading = TRAILING_HEADING.find(before);
    if !starts_line && heading.is_none() {
        return out;
    }
    out.prose = match heading {
        Some(h) => before[..h.start()].trim().to_string(),
        None => String::new(),
    };
    let caps: Vec<_> = PAREN_HMS.captures_iter(line).collect();
    for (i, c) in caps.iter().enumerate() {
        let whole = c.get(0).expect("group 0 always matches");
        let end = caps
            .get(i + 1)
            .and_then(|n| n.get(0))
            .map_or(line.len(), |m| m.start());
        let title = line[whole.end()..end].trim().to_string();
        match hms_to_seconds(num(&c[1]), num(&c[2]), num(&c[3])) {
            Some(seconds) => out.stamps.push(Stamp { seconds, title }),
            None => out.invalid.push(whole.as_str().to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn time_inside_prose_is_no_chapter() {
        assert!(
            read_line("We met at (00:10:00) sharp and talked.")
                .stamps
                .is_empty()
        );
        assert!(read_line("Plain prose with no times.").stamps.is_empty());
    }

    #[test]
    fn minutes_over_59_are_invalid() {
        let r = read_line("(00:75:00) Nope");
        assert!(r.stamps.is_empty());
        assert_eq!(r.invalid, ["(00:75:00)"]);
    }
}
