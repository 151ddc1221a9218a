//! RSS 2.0 podcast feeds → episodes: each `<item>` is one episode, its description read as show
//! notes for chapters.
//!
//! The XML is read with quick-xml (events with byte positions, so warnings name the line of the
//! item). Only what a podcast feed means is interpreted here; fetching is the caller's job, so
//! the same reader serves local files and feeds fetched over HTTP.

use crate::chapters_json::ChaptersFile;
use crate::model::{Episode, Warning};
use crate::notes::{self, ParseOptions, ParseOutput, meta, text};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// An RSS document that cannot be read: not XML, not RSS, or cut short.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (line {line}, column {column}, byte offset {offset})")]
pub struct FeedError {
    /// What is wrong.
    pub message: String,
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based column (in bytes) of the problem.
    pub column: usize,
    /// Byte offset of the problem.
    pub offset: usize,
}

/// One feed item: the episode it gave, plus what the caller may still have to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// The episode, chapters read from its description.
    pub episode: Episode,
    /// `<podcast:chapters url=...>`: a chapters file whose chapters win over the description's.
    pub chapters_url: Option<String>,
}

/// A whole feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feed {
    /// The channel's `<title>`.
    pub title: Option<String>,
    /// The channel's `<link>`.
    pub link: Option<String>,
    /// The items, in feed order.
    pub items: Vec<FeedItem>,
    /// Problems that did not stop reading.
    pub warnings: Vec<Warning>,
}

impl Feed {
    /// The episodes and warnings, as a show-notes parse gives them.
    pub fn into_output(self) -> ParseOutput {
        ParseOutput {
            episodes: self.items.into_iter().map(|i| i.episode).collect(),
            warnings: self.warnings,
        }
    }
}

/// Whether a text is an RSS (or other XML) feed rather than show notes: it starts with an XML
/// declaration or an `<rss` element.
pub fn looks_like_feed(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<?xml") || t.starts_with("<rss")
}

/// Whether a `<podcast:chapters>` URL names a local file (a relative or absolute path) rather
/// than something to fetch.
pub fn is_local_ref(url: &str) -> bool {
    !url.contains("://")
}

/// Replaces an episode's chapters with those of its chapters file; the warnings name `source`.
pub fn apply_chapters(ep: &mut Episode, file: ChaptersFile, source: &str) -> Vec<Warning> {
    let mut warnings = file.warnings;
    let (chapters, w) = notes::build_chapters(file.chapters, ep.duration_seconds, &|line| {
        format!("{source}:{line}")
    });
    warnings.extend(w);
    ep.chapters = chapters;
    warnings
}

/// Line starts of a text, for turning byte offsets into lines.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines(starts)
    }

    /// (line, column), both 1-based.
    fn at(&self, offset: usize) -> (usize, usize) {
        let i = self.0.partition_point(|&s| s <= offset).max(1) - 1;
        (i + 1, offset - self.0[i] + 1)
    }

    fn line(&self, offset: usize) -> usize {
        self.at(offset).0
    }
}

/// Text collected from one element, with the line it starts on.
#[derive(Debug, Clone)]
struct Captured {
    text: String,
    line: usize,
}

/// What one `<item>` held.
#[derive(Debug, Default)]
struct Item {
    line: usize,
    fields: Vec<(String, Captured)>,
    enclosure: Option<String>,
    chapters_url: Option<String>,
}

impl Item {
    fn get(&self, name: &str) -> Option<&Captured> {
        self.fields
            .iter()
            .find(|(n, c)| n == name && !c.text.trim().is_empty())
            .map(|(_, c)| c)
    }

    fn text(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(|c| text::squeeze(&text::clean(&c.text)))
            .filter(|t| !t.is_empty())
    }
}

/// An element whose text is being collected; nested markup (XHTML in a description) is kept
/// as tags so the HTML reader sees it.
struct Capture {
    name: String,
    depth: usize,
    buf: String,
    line: usize,
}

/// Item children whose text podseek reads.
const ITEM_TEXT: &[&str] = &[
    "title",
    "link",
    "guid",
    "pubDate",
    "description",
    "content:encoded",
    "itunes:summary",
    "itunes:title",
    "itunes:episode",
    "itunes:duration",
];

/// Reads an RSS 2.0 feed; `source` names it in `file:line` references.
///
/// An XML error, a root element other than `<rss>`, or a document cut short is an error; odd
/// items (no title, a bad date or duration, bad chapter times) are warnings.
pub fn parse(text: &str, source: &str, opts: &ParseOptions) -> Result<Feed, FeedError> {
    let lines = Lines::new(text);
    let error = |offset: usize, message: String| {
        let (line, column) = lines.at(offset);
        FeedError {
            message,
            line,
            column,
            offset,
        }
    };
    let mut reader = Reader::from_str(text);
    let mut feed = Feed::default();
    let mut stack: Vec<String> = Vec::new();
    let mut capture: Option<Capture> = None;
    let mut item: Option<Item> = None;
    let mut root_seen = false;
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            error(
                reader.error_position() as usize,
                format!("invalid XML: {e}"),
            )
        })?;
        let after = reader.buffer_position() as usize;
        match event {
            // Markup inside a description (XHTML): kept as tags for the HTML reader.
            Event::Start(e) if capture.is_some() => {
                if let Some(c) = capture.as_mut() {
                    c.buf.push('<');
                    c.buf.push_str(&e);
                    c.buf.push('>');
                }
                stack.push(e.name().0.to_string());
            }
            Event::Empty(e) if capture.is_some() => {
                if let Some(c) = capture.as_mut() {
                    c.buf.push('<');
                    c.buf.push_str(&e);
                    c.buf.push_str("/>");
                }
            }
            Event::Start(e) => {
                let name = e.name().0.to_string();
                if !root_seen {
                    root_seen = true;
                    check_root(&name).map_err(|m| error(start, m))?;
                }
                stack.push(name.clone());
                let depth = stack.len();
                if depth == 3 && name == "item" && stack[1] == "channel" {
                    item = Some(Item {
                        line: lines.line(start),
                        ..Item::default()
                    });
                } else if depth == 4 && item.is_some() {
                    item_attributes(&e, item.as_mut());
                    if ITEM_TEXT.contains(&name.as_str()) {
                        capture = Some(Capture {
                            name,
                            depth,
                            buf: String::new(),
                            line: lines.line(after),
                        });
                    }
                } else if depth == 3 && stack[1] == "channel" && (name == "title" || name == "link")
                {
                    capture = Some(Capture {
                        name,
                        depth,
                        buf: String::new(),
                        line: lines.line(after),
                    });
                }
            }
            Event::Empty(e) => {
                let name = e.name().0.to_string();
                if !root_seen {
                    root_seen = true;
                    check_root(&name).map_err(|m| error(start, m))?;
                }
                if stack.len() == 3 && item.is_some() {
                    item_attributes(&e, item.as_mut());
                }
            }
            Event::End(e) => {
                let name = e.name().0.to_string();
                let depth = stack.len();
                stack.pop();
                match capture.take() {
                    Some(c) if c.depth == depth => {
                        let captured = Captured {
                            text: c.buf,
                            line: c.line,
                        };
                        match item.as_mut() {
                            Some(it) => it.fields.push((c.name, captured)),
                            None => {
                                let mut value = text::squeeze(&text::clean(&captured.text));
                                // A channel title becomes every episode's podcast name.
                                notes::cap_bytes(&mut value, notes::MAX_TITLE_BYTES);
                                if c.name == "title" && feed.title.is_none() {
                                    feed.title = Some(value).filter(|v| !v.is_empty());
                                } else if c.name == "link" && feed.link.is_none() {
                                    feed.link = Some(value).filter(|v| !v.is_empty());
                                }
                            }
                        }
                    }
                    Some(mut c) => {
                        c.buf.push_str("</");
                        c.buf.push_str(&name);
                        c.buf.push('>');
                        capture = Some(c);
                    }
                    None => {
                        if name == "item"
                            && depth == 3
                            && let Some(it) = item.take()
                        {
                            let mut w = Vec::new();
                            let fi = item_episode(it, source, opts, &mut w);
                            feed.warnings.extend(w);
                            feed.items.push(fi);
                        }
                    }
                }
            }
            Event::Text(t) => {
                if let Some(c) = capture.as_mut() {
                    c.buf.push_str(&t.xml10_content());
                } else if !root_seen && !t.trim().is_empty() {
                    return Err(error(
                        start,
                        "not XML: text before the first element".into(),
                    ));
                }
            }
            Event::CData(t) => {
                if let Some(c) = capture.as_mut() {
                    c.buf.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = capture.as_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(ch)) => c.buf.push(ch),
                        _ => match quick_xml::escape::resolve_xml_entity(&r) {
                            Some(s) => c.buf.push_str(s),
                            // An HTML entity such as `&nbsp;`: left for the HTML reader.
                            None => {
                                c.buf.push('&');
                                c.buf.push_str(&r);
                                c.buf.push(';');
                            }
                        },
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_seen {
        return Err(error(0, "not an RSS feed: no XML element found".into()));
    }
    if let Some(open) = stack.last() {
        return Err(error(
            text.len(),
            format!("the feed ends inside <{open}>: the file is cut short"),
        ));
    }
    let podcast = opts.podcast.clone().or_else(|| feed.title.clone());
    for it in &mut feed.items {
        if it.episode.podcast.is_none() {
            it.episode.podcast = podcast.clone();
        }
    }
    Ok(feed)
}

fn check_root(name: &str) -> Result<(), String> {
    match name {
        "rss" => Ok(()),
        "feed" => Err("an Atom feed: podseek reads RSS 2.0 podcast feeds (<rss>)".into()),
        other => Err(format!(
            "not an RSS feed: the root element is <{other}>, expected <rss>"
        )),
    }
}

/// `<enclosure url=...>` and `<podcast:chapters url=...>`.
fn item_attributes(e: &BytesStart<'_>, item: Option<&mut Item>) {
    let Some(item) = item else { return };
    let url = || {
        e.try_get_attribute("url")
            .ok()
            .flatten()
            .and_then(|a| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.trim().to_string())
            })
            .filter(|v| !v.is_empty())
    };
    match e.name().0 {
        "enclosure" if item.enclosure.is_none() => item.enclosure = url(),
        "podcast:chapters" if item.chapters_url.is_none() => item.chapters_url = url(),
        _ => {}
    }
}

/// Takes an item's own episode number (its field `name`; `value` parsed, or its text) where the
/// title gave none; the warning when the two differ or it is no whole number. Feeds and JSON
/// episode lists read their items' numbers alike.
pub(crate) fn item_number(
    number: &mut Option<u32>,
    name: &str,
    value: Result<u32, &str>,
) -> Option<String> {
    match value {
        Ok(n) if number.is_none() => {
            *number = Some(n);
            None
        }
        Ok(n) if *number != Some(n) => Some(format!(
            "{name} {n} differs from the title's number {}; the title's is kept",
            number.unwrap_or_default()
        )),
        Ok(_) => None,
        Err(text) => Some(format!("{name} {text:?} is not a whole number; ignored")),
    }
}

/// An item's title, else its description's first sentence (else `Untitled episode`), said in a
/// warning that starts with `missing`; cut to the title cap, said in another.
pub(crate) fn item_title(
    title: Option<String>,
    description: &str,
    missing: &str,
) -> (String, Vec<String>) {
    let mut messages = Vec::new();
    let mut title = title.unwrap_or_else(|| {
        let t = if description.is_empty() {
            "Untitled episode".to_string()
        } else {
            meta::first_sentence(description)
        };
        messages.push(format!("{missing}; titled it {t:?}"));
        t
    });
    messages.extend(notes::cap_warning(
        "title",
        &mut title,
        notes::MAX_TITLE_BYTES,
    ));
    (title, messages)
}

/// One item → one episode, warnings in `w`.
fn item_episode(it: Item, source: &str, opts: &ParseOptions, w: &mut Vec<Warning>) -> FeedItem {
    let at = |line: usize| format!("{source}:{line}");
    let mut warn = |line: usize, message: String| {
        w.push(Warning {
            source: at(line),
            message,
        })
    };
    let raw_title = it.text("title");
    let (mut number, mut title) = match raw_title.as_deref().map(|t| (t, meta::episode_title(t))) {
        Some((_, Some((n, t)))) if !t.is_empty() => (Some(n), Some(t)),
        Some((t, Some((n, _)))) => (Some(n), it.text("itunes:title").or(Some(t.to_string()))),
        Some((t, None)) => (None, Some(t.to_string())),
        None => (None, it.text("itunes:title")),
    };
    if let Some(c) = it.get("itunes:episode") {
        let value = c.text.trim();
        let parsed = value.parse::<u32>().map_err(|_| value);
        if let Some(message) = item_number(&mut number, "itunes:episode", parsed) {
            warn(c.line, message);
        }
    }
    let date = it.get("pubDate").and_then(|c| {
        let d = meta::rfc2822_date(&c.text);
        if d.is_none() {
            warn(
                c.line,
                format!(
                    "pubDate {:?} is not an RFC 2822 date; the episode has no date",
                    c.text.trim()
                ),
            );
        }
        d
    });
    let duration = it.get("itunes:duration").and_then(|c| {
        let d = meta::feed_duration(&c.text);
        if d.is_none() {
            warn(
                c.line,
                format!(
                    "itunes:duration {:?} is not seconds or h:mm:ss; the length is unknown",
                    c.text.trim()
                ),
            );
        }
        d
    });
    let notes = it
        .get("content:encoded")
        .or_else(|| it.get("description"))
        .or_else(|| it.get("itunes:summary"));
    let body = match notes {
        Some(c) => notes::parse_body(&c.text, source, c.line, duration),
        None => notes::Body::default(),
    };
    w.extend(body.warnings);
    let (title, messages) = item_title(title.take(), &body.description, "item has no <title>");
    w.extend(messages.into_iter().map(|message| Warning {
        source: at(it.line),
        message,
    }));
    // Identity as podcast apps have it: the guid, else the enclosure URL, else the title.
    let guid = it
        .text("guid")
        .or_else(|| it.enclosure.clone())
        .or_else(|| raw_title.clone())
        .or_else(|| Some(title.clone()));
    let link = opts.link.clone().or_else(|| it.text("link"));
    FeedItem {
        episode: Episode {
            podcast: opts.podcast.clone(),
            number,
            title,
            date,
            duration_seconds: duration,
            description: body.description,
            source: at(it.line),
            chapters: body.chapters,
            media_url: it.enclosure,
            link,
            guid,
        },
        chapters_url: it.chapters_url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel>
  <title>The Allotment Hour</title>
  <link>https://allotment.example</link>
  <item>
    <title>Episode 2: Slugs &amp; Snails</title>
    <guid isPermaLink="false">allot-2</guid>
    <pubDate>Tue, 03 Sep 2024 10:00:00 +0000</pubDate>
    <itunes:duration>00:40:00</itunes:duration>
    <enclosure url="https://cdn.example/a2.mp3" type="audio/mpeg" length="1"/>
    <description><![CDATA[<p>Beer traps, copper tape.</p>
<p>00:00 Welcome<br>04:30 Beer traps<br>12:10 Copper tape</p>]]></description>
    <podcast:chapters url="a2.chapters.json" type="application/json+chapters"/>
  </item>
  <item>
    <title>Compost in winter</title>
    <itunes:episode>1</itunes:episode>
    <itunes:duration>1800</itunes:duration>
    <enclosure url="https://cdn.example/a1.mp3" type="audio/mpeg" length="1"/>
    <description>&lt;ul&gt;&lt;li&gt;(00:00:00) Hello&lt;/li&gt;&lt;li&gt;(00:75:00) Bad&lt;/li&gt;&lt;/ul&gt;</description>
  </item>
</channel>
</rss>
"#;

    #[test]
    fn items_become_episodes() {
        let f = parse(FEED, "f.xml", &ParseOptions::default()).expect("valid feed");
        assert_eq!(f.title.as_deref(), Some("The Allotment Hour"));
        assert_eq!(f.items.len(), 2);
        let a = &f.items[0].episode;
        assert_eq!(a.podcast.as_deref(), Some("The Allotment Hour"));
        assert_eq!((a.number, a.title.as_str()), (Some(2), "Slugs & Snails"));
        assert_eq!(a.date.as_deref(), Some("2024-09-03"));
        assert_eq!(a.duration_seconds, Some(2400));
        assert_eq!(a.guid.as_deref(), Some("allot-2"));
        assert_eq!(a.media_url.as_deref(), Some("https://cdn.example/a2.mp3"));
        assert_eq!(a.description, "Beer traps, copper tape.");
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
        assert_eq!(a.source, "f.xml:8");
        assert_eq!(f.items[0].chapters_url.as_deref(), Some("a2.chapters.json"));
        let b = &f.items[1].episode;
        assert_eq!((b.number, b.title.as_str()), (Some(1), "Compost in winter"));
        assert_eq!(b.guid.as_deref(), Some("https://cdn.example/a1.mp3"));
        assert_eq!(b.chapters.len(), 1);
        assert_eq!(f.warnings.len(), 1, "{:?}", f.warnings);
        assert!(f.warnings[0].message.contains("(00:75:00)"));
        assert_eq!(f.warnings[0].source, "f.xml:24");
    }

    #[test]
    fn podcast_option_wins_over_the_channel_title() {
        let opts = ParseOptions {
            podcast: Some("Mine".into()),
            ..ParseOptions::default()
        };
        let f = parse(FEED, "f.xml", &opts).expect("valid");
        assert!(
            f.items
                .iter()
                .all(|i| i.episode.podcast.as_deref() == Some("Mine"))
        );
    }

    #[test]
    fn broken_documents_are_errors_with_positions() {
        let cut = &FEED[..FEED.find("<item>").unwrap_or(0) + 20];
        let e = parse(cut, "f.xml", &ParseOptions::default()).expect_err("cut short");
        assert!(e.message.contains("cut short"), "{e}");
        let e = parse("<rss><channel></item></rss>", "f", &ParseOptions::default())
            .expect_err("mismatch");
        assert!(e.message.contains("invalid XML"), "{e}");
        assert_eq!(e.line, 1);
        let e = parse(
            "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>",
            "f",
            &ParseOptions::default(),
        )
        .expect_err("atom");
        assert!(e.message.contains("Atom"), "{e}");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn missing_guid_and_enclosure_fall_back_to_the_title() {
        let f = parse(
            "<rss><channel><item><title>Episode 5: Part 1</title></item><item><title>Episode 5: Part 2</title></item></channel></rss>",
            "f",
            &ParseOptions::default(),
        )
        .expect("valid");
        let keys: Vec<_> = f.items.iter().map(|i| i.episode.key()).collect();
        assert_ne!(keys[0], keys[1]);
        assert!(f.items.iter().all(|i| i.episode.number == Some(5)));
    }

    #[test]
    fn overlong_titles_are_cut_as_in_show_notes() {
        let long = "Wombats ".repeat(1000);
        let f = parse(
            &format!("<rss><channel><item><title>{long}</title></item></channel></rss>"),
            "f",
            &ParseOptions::default(),
        )
        .expect("valid");
        let ep = &f.items[0].episode;
        assert!(
            ep.title.len() <= notes::MAX_TITLE_BYTES,
            "{}",
            ep.title.len()
        );
        assert!(
            f.warnings[0].message.contains("title longer than"),
            "{:?}",
            f.warnings
        );
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_feed("\u{feff}<?xml version=\"1.0\"?><rss/>"));
        assert!(looks_like_feed("  <rss version=\"2.0\">"));
        assert!(!looks_like_feed("Episode 1: <rss> in a title"));
        assert!(is_local_ref("chapters/a.json"));
        assert!(!is_local_ref("https://x/a.json"));
    }
}
