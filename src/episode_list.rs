//! Episode lists in JSON, as podcast sites generate them from their feeds:
//! `{"episodes": [{"title", "number", "date", "description", "durationSeconds", "audioUrl",
//! "url", "guid"}], "show": {"title"}}` (core.py's own site publishes one). Each item is read as
//! an RSS item is: `Episode N:` in its title or its `number` gives the number, its description
//! is parsed as show notes for the chapters, its audio URL makes the jump links, and its guid
//! (else the audio URL, else the title) is its identity.

use crate::chapters_json::{self, LineCounter};
use crate::feed;
use crate::model::{Episode, Warning};
use crate::notes::{self, ParseOptions, ParseOutput, meta, text};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

/// The outer object; other keys are ignored.
#[derive(Deserialize)]
struct Document<'a> {
    #[serde(borrow)]
    episodes: Option<Vec<&'a RawValue>>,
    /// Having one makes the file a chapters file, whatever else it holds.
    #[serde(borrow)]
    chapters: Option<&'a RawValue>,
    show: Option<Value>,
    podcast: Option<Value>,
}

/// The names an item's fields go by, first found wins.
const TITLE: &[&str] = &["title", "shortTitle", "name"];
const NUMBER: &[&str] = &["number", "episode", "episodeNumber"];
const DATE: &[&str] = &["date", "pubDate", "published", "publishedAt", "releaseDate"];
const DURATION: &[&str] = &["durationSeconds", "duration"];
const NOTES: &[&str] = &["description", "showNotes", "content", "summary"];
const MEDIA: &[&str] = &["audioUrl", "enclosureUrl", "mediaUrl", "audio", "enclosure"];
const LINK: &[&str] = &["url", "link"];
const GUID: &[&str] = &["guid", "id"];

/// The episodes of `text` when it is an episode list (a JSON object with an `episodes` array
/// and no `chapters`); None when it is not one (a chapters file, or not JSON at all). `source`
/// names the file in warnings (`source:line`).
pub fn parse(text: &str, source: &str, opts: &ParseOptions) -> Option<ParseOutput> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc: Document<'_> = serde_json::from_str(body).ok()?;
    if doc.chapters.is_some() {
        return None;
    }
    let items = doc.episodes?;
    let show = doc.show.as_ref().or(doc.podcast.as_ref());
    let podcast = opts.podcast.clone().or_else(|| {
        let name = match show? {
            Value::String(s) => s.as_str(),
            Value::Object(o) => o.get("title").or_else(|| o.get("name"))?.as_str()?,
            _ => return None,
        };
        let name = text::squeeze(&text::clean(name));
        (!name.is_empty()).then_some(name)
    });
    let mut out = ParseOutput::default();
    let mut lines = LineCounter::new(body);
    for (i, raw) in items.iter().enumerate() {
        // RawValue borrows from `body`: its address gives the item's line.
        let offset = (raw.get().as_ptr() as usize).saturating_sub(body.as_ptr() as usize);
        let at = format!("{source}:{}", lines.line_at(offset));
        match serde_json::from_str::<Value>(raw.get()) {
            Ok(Value::Object(item)) => {
                let ep = episode(&item, &at, podcast.clone(), opts, &mut out.warnings);
                out.episodes.push(ep);
            }
            _ => out.warnings.push(Warning {
                source: at,
                message: format!("episode {} is not an object; skipped", i + 1),
            }),
        }
    }
    Some(out)
}

/// The first of `names` that `item` has as a string, trimmed and not empty.
fn string(item: &serde_json::Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| match item.get(*n)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    })
}

/// [`string`], or the `url` of an object (`"enclosure": {"url": ...}`).
fn url(item: &serde_json::Map<String, Value>, names: &[&str]) -> Option<String> {
    string(item, names).or_else(|| {
        names.iter().find_map(|n| {
            let u = item.get(*n)?.as_object()?.get("url")?.as_str()?.trim();
            (!u.is_empty()).then(|| u.to_string())
        })
    })
}

/// An item's number as written: a JSON number or text.
fn number_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        other => other.to_string(),
    }
}

/// An item's number: a whole number, or one written as text (`"30"`); `"26.1"` (part 1 of 26)
/// is 26.
fn number(text: &str) -> Result<u32, &str> {
    let whole = match text.split_once('.') {
        Some((w, part)) if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) => w,
        _ => text,
    };
    whole.parse::<u32>().map_err(|_| text)
}

/// `yyyy-mm-dd`, from that, an ISO date and time, or an RFC 2822 date.
fn date(text: &str) -> Option<String> {
    let day = text.get(..10).filter(|d| {
        let b = d.as_bytes();
        b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    });
    match day {
        Some(d) if text.len() == 10 || text[10..].starts_with(['T', ' ']) => Some(d.to_string()),
        _ => meta::rfc2822_date(text),
    }
}

/// One item as an episode.
fn episode(
    item: &serde_json::Map<String, Value>,
    at: &str,
    podcast: Option<String>,
    opts: &ParseOptions,
    w: &mut Vec<Warning>,
) -> Episode {
    let mut warn = |message: String| {
        w.push(Warning {
            source: at.to_string(),
            message,
        })
    };
    // Cleaning can leave nothing (a title of control characters): then there is no title.
    let raw_title = string(item, TITLE)
        .map(|t| text::squeeze(&text::clean(&t)))
        .filter(|t| !t.is_empty());
    let (mut number_found, title) = match raw_title.as_deref().map(|t| (t, meta::episode_title(t)))
    {
        Some((_, Some((n, t)))) if !t.is_empty() => (Some(n), Some(t)),
        Some((t, Some((n, _)))) => (Some(n), Some(t.to_string())),
        Some((t, None)) => (None, Some(t.to_string())),
        None => (None, None),
    };
    if let Some((name, v)) = NUMBER.iter().find_map(|n| Some((*n, item.get(*n)?))) {
        let text = number_text(v);
        if !v.is_null()
            && let Some(message) = feed::item_number(&mut number_found, name, number(&text))
        {
            warn(message);
        }
    }
    let date = string(item, DATE).and_then(|d| {
        let parsed = date(&d);
        if parsed.is_none() {
            warn(format!(
                "date {d:?} is not yyyy-mm-dd or an RFC 2822 date; the episode has no date"
            ));
        }
        parsed
    });
    let duration = DURATION.iter().find_map(|n| item.get(*n)).and_then(|v| {
        let d = match v {
            Value::Number(_) => chapters_json::seconds(Some(v)),
            Value::String(s) => meta::feed_duration(s),
            _ => None,
        };
        if d.is_none() && !v.is_null() {
            warn(format!(
                "duration {v} is not seconds or h:mm:ss; the length is unknown"
            ));
        }
        d
    });
    let body = match string(item, NOTES) {
        // Lines are counted within the description, which is one line of the file.
        Some(notes) => notes::parse_body(&notes, &format!("{at}: description"), 1, duration),
        None => notes::Body::default(),
    };
    w.extend(body.warnings);
    let media_url = url(item, MEDIA);
    // The description is capped as show notes are, by `parse_body`.
    let (title, messages) = feed::item_title(title, &body.description, "episode has no title");
    w.extend(messages.into_iter().map(|message| Warning {
        source: at.to_string(),
        message,
    }));
    // Identity as podcast apps have it: the guid, else the audio URL, else the title.
    let guid = string(item, GUID)
        .or_else(|| media_url.clone())
        .or_else(|| raw_title.clone())
        .or_else(|| Some(title.clone()));
    Episode {
        podcast,
        number: number_found,
        title,
        date,
        duration_seconds: duration,
        description: body.description,
        source: at.to_string(),
        chapters: body.chapters,
        media_url,
        link: opts.link.clone().or_else(|| url(item, LINK)),
        guid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LIST: &str = r#"{
  "episodeCount": 3,
  "episodes": [
    {
      "title": "Episode 12: Slugs & Snails",
      "number": "12",
      "date": "2024-09-03",
      "durationSeconds": 2400,
      "audioUrl": "https://cdn.example/a12.mp3",
      "url": "https://allotment.example/12",
      "guid": "allot-12",
      "description": "Beer traps and copper tape.\n\n## Timestamps\n\n(00:00:00) Welcome\n\n(00:04:30) Beer traps\n(00:12:10)  Copper tape\n(00:75:00) Bad time"
    },
    {
      "title": "Compost in winter",
      "enclosure": {"url": "https://cdn.example/a11.mp3", "type": "audio/mpeg"},
      "number": "11.2",
      "date": "Tue, 27 Aug 2024 10:00:00 +0000",
      "duration": "0:30:00",
      "description": "No chapters this time."
    },
    "not an episode",
    {
      "title": "Episode 10: Seeds",
      "number": "nine",
      "date": "last week",
      "description": "00:00 Hello\n05:00 Seeds"
    }
  ],
  "show": {"title": "The Allotment Hour"}
}"#;

    #[test]
    fn items_become_episodes() {
        let out = parse(LIST, "list.json", &ParseOptions::default()).expect("an episode list");
        assert_eq!(out.episodes.len(), 3);
        let a = &out.episodes[0];
        assert_eq!(a.podcast.as_deref(), Some("The Allotment Hour"));
        assert_eq!((a.number, a.title.as_str()), (Some(12), "Slugs & Snails"));
        assert_eq!(a.date.as_deref(), Some("2024-09-03"));
        assert_eq!(a.duration_seconds, Some(2400));
        assert_eq!(a.media_url.as_deref(), Some("https://cdn.example/a12.mp3"));
        assert_eq!(a.link.as_deref(), Some("https://allotment.example/12"));
        assert_eq!(a.guid.as_deref(), Some("allot-12"));
        assert_eq!(a.description, "Beer traps and copper tape.");
        assert_eq!(a.source, "list.json:4");
        let ch: Vec<_> = a
            .chapters
            .iter()
            .map(|c| (c.start_seconds, c.end_seconds, c.title.as_str()))
            .collect();
        assert_eq!(
            ch,
            [
                (0, Some(270), "Welcome"),
                (270, Some(730), "Beer traps"),
                (730, Some(2400), "Copper tape")
            ]
        );
        let b = &out.episodes[1];
        assert_eq!(
            (b.number, b.title.as_str()),
            (Some(11), "Compost in winter")
        );
        assert_eq!(b.date.as_deref(), Some("2024-08-27"));
        assert_eq!(b.duration_seconds, Some(1800));
        assert!(b.chapters.is_empty());
        assert_eq!(b.description, "No chapters this time.");
        // No guid: the audio is its identity.
        assert_eq!(b.media_url.as_deref(), Some("https://cdn.example/a11.mp3"));
        assert_eq!(b.guid.as_deref(), Some("https://cdn.example/a11.mp3"));
        // No guid and no audio: the title.
        assert_eq!(out.episodes[2].guid.as_deref(), Some("Episode 10: Seeds"));
        let c = &out.episodes[2];
        assert_eq!((c.number, c.title.as_str()), (Some(10), "Seeds"));
        assert_eq!(c.chapters.len(), 2);
        let warnings: Vec<String> = out
            .warnings
            .iter()
            .map(|w| format!("{} {}", w.source, w.message))
            .collect();
        let has = |s: &str, m: &str| warnings.iter().any(|w| w.starts_with(s) && w.contains(m));
        assert!(has("list.json:4: description:", "00:75:00"), "{warnings:?}");
        assert!(
            has("list.json:22", "episode 3 is not an object"),
            "{warnings:?}"
        );
        assert!(
            has("list.json:23", "\"nine\" is not a whole number"),
            "{warnings:?}"
        );
        assert!(has("list.json:23", "\"last week\""), "{warnings:?}");
    }

    #[test]
    fn a_chapters_file_or_other_json_is_not_an_episode_list() {
        let opts = ParseOptions::default();
        for text in [
            r#"{"version": "1.2.0", "chapters": [], "episodes": []}"#,
            r#"{"name": "package", "version": "1.0.0"}"#,
            r#"[{"title": "x"}]"#,
            "not json",
        ] {
            assert!(parse(text, "x.json", &opts).is_none(), "{text}");
        }
        let empty = parse("\u{feff}{\"episodes\": []}", "x.json", &opts).expect("a list");
        assert!(empty.episodes.is_empty());
    }

    /// A JSON value an item's field might hold.
    fn field() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            "[0-9.]{0,6}".prop_map(Value::String),
            ".{0,12}".prop_map(Value::String),
            proptest::collection::vec(
                prop_oneof![
                    "\\(\\d\\d:\\d\\d:\\d\\d\\) [a-z ]{0,10}",
                    "\\d{1,2}:\\d\\d [a-z]{0,6}",
                    "## Timestamps",
                    ".{0,20}",
                ],
                0..8
            )
            .prop_map(|lines| Value::String(lines.join("\n"))),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Any fields: an episode per object item, never a panic, and chapters in order.
        #[test]
        fn any_items_give_an_episode_each(
            items in proptest::collection::vec(
                prop_oneof![
                    4 => proptest::collection::btree_map(
                        prop::sample::select(vec![
                            "title", "number", "date", "duration", "durationSeconds",
                            "description", "audioUrl", "guid", "url", "enclosure",
                        ]),
                        field(),
                        0..8,
                    )
                    .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
                    1 => field(),
                ],
                0..6,
            )
        ) {
            let objects = items.iter().filter(|v| v.is_object()).count();
            let text = serde_json::json!({"episodes": items}).to_string();
            let out = parse(&text, "p.json", &ParseOptions::default()).expect("an episode list");
            prop_assert_eq!(out.episodes.len(), objects);
            for e in &out.episodes {
                prop_assert!(!e.title.is_empty() && e.title.len() <= notes::MAX_TITLE_BYTES);
                prop_assert!(e.guid.is_some());
                for pair in e.chapters.windows(2) {
                    prop_assert!(pair[0].start_seconds <= pair[1].start_seconds);
                }
                for c in &e.chapters {
                    prop_assert!(c.end_seconds.is_none_or(|end| end >= c.start_seconds));
                }
            }
        }
    }

    #[test]
    fn a_title_that_cleans_to_nothing_is_no_title() {
        let text = r#"{"episodes": [{"title": "\u007f", "description": "Seeds and soil. More."}]}"#;
        let out = parse(text, "x.json", &ParseOptions::default()).expect("an episode list");
        assert_eq!(out.episodes[0].title, "Seeds and soil.");
        assert!(
            out.warnings
                .iter()
                .any(|w| w.message.contains("has no title"))
        );
    }

    #[test]
    fn a_podcast_name_given_wins_over_the_lists() {
        let opts = ParseOptions {
            podcast: Some("Mine".into()),
            ..ParseOptions::default()
        };
        let out = parse(LIST, "list.json", &opts).expect("an episode list");
        assert!(
            out.episodes
                .iter()
                .all(|e| e.podcast.as_deref() == Some("Mine"))
        );
    }
}
