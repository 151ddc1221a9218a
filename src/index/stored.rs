//! How an episode document stores its episode: postcard bytes from schema version 7, JSON
//! before. Every hit decodes one: JSON took 40% of a rare word's search (escapes scanned, every
//! string allocated), postcard's borrowed view a quarter of that.

use super::Fields;
use crate::model::{Chapter, Episode};
use crate::notes::text::first_non_ascii;
use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::Value;

/// An episode as stored, its strings borrowed from the stored bytes. The field order is the
/// format: postcard writes no names, so a change here needs a new schema version.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredEpisode<'a> {
    /// [`Episode::podcast`].
    pub podcast: Option<&'a str>,
    /// [`Episode::number`].
    pub number: Option<u32>,
    /// [`Episode::title`].
    pub title: &'a str,
    /// [`Episode::date`].
    pub date: Option<&'a str>,
    /// [`Episode::duration_seconds`].
    pub duration_seconds: Option<u64>,
    /// [`Episode::description`].
    pub description: &'a str,
    /// [`Episode::source`].
    pub source: &'a str,
    /// [`Episode::chapters`].
    pub chapters: Vec<StoredChapter<'a>>,
    /// [`Episode::media_url`].
    pub media_url: Option<&'a str>,
    /// [`Episode::link`].
    pub link: Option<&'a str>,
    /// [`Episode::guid`].
    pub guid: Option<&'a str>,
}

/// A chapter as stored.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredChapter<'a> {
    /// [`Chapter::start_seconds`].
    pub start_seconds: u64,
    /// [`Chapter::end_seconds`].
    pub end_seconds: Option<u64>,
    /// [`Chapter::title`].
    pub title: &'a str,
    /// [`Chapter::section`].
    pub section: Option<&'a str>,
}

/// The bytes an episode document stores for `ep`.
pub fn encode(ep: &Episode) -> postcard::Result<Vec<u8>> {
    let stored = StoredEpisode {
        podcast: ep.podcast.as_deref(),
        number: ep.number,
        title: &ep.title,
        date: ep.date.as_deref(),
        duration_seconds: ep.duration_seconds,
        description: &ep.description,
        source: &ep.source,
        chapters: ep.chapters.iter().map(StoredChapter::of).collect(),
        media_url: ep.media_url.as_deref(),
        link: ep.link.as_deref(),
        guid: ep.guid.as_deref(),
    };
    postcard::to_allocvec(&stored)
}

/// The episode an episode document stores, in either format, or what is wrong with it.
pub fn read(fields: &Fields, doc: &TantivyDocument) -> Result<Episode, String> {
    Raw::of(fields, doc)?.episode()
}

/// An episode document's stored episode, read from the document but not yet decoded.
pub enum Raw {
    /// Postcard bytes (version 7 on).
    Bytes(Vec<u8>),
    /// The episode, decoded from JSON (before version 7).
    Json(Box<Episode>),
}

impl Raw {
    /// What `doc` stores.
    pub fn of(fields: &Fields, doc: &TantivyDocument) -> Result<Raw, String> {
        if let Some(text) = fields
            .episode_bin
            .and_then(|f| doc.get_first(f))
            .and_then(|v| v.as_str())
        {
            return from_text(text)
                .map(Raw::Bytes)
                .ok_or_else(|| "a stored episode is damaged: not bytes".into());
        }
        let json = fields
            .episode_json
            .and_then(|f| doc.get_first(f))
            .and_then(|v| v.as_str())
            .ok_or("an episode document has no stored episode")?;
        serde_json::from_str(json)
            .map(|e| Raw::Json(Box::new(e)))
            .map_err(|e| damaged(&e))
    }

    /// The whole episode.
    pub fn episode(self) -> Result<Episode, String> {
        match self {
            Raw::Bytes(b) => Ok(decode(&b).map_err(|e| damaged(&e))?.to_episode()),
            Raw::Json(e) => Ok(*e),
        }
    }

    /// What a hit shows: the episode without its chapters (and without its description unless
    /// `description`), and chapter `chapter` if asked for and there. Only that chapter's
    /// strings are copied out of the bytes.
    pub fn part(
        &self,
        description: bool,
        chapter: Option<usize>,
    ) -> Result<(Episode, Option<Chapter>), String> {
        match self {
            Raw::Bytes(b) => {
                let stored = decode(b).map_err(|e| damaged(&e))?;
                let c = chapter
                    .and_then(|i| stored.chapters.get(i))
                    .map(StoredChapter::to_chapter);
                Ok((stored.header(description), c))
            }
            Raw::Json(e) => {
                let c = chapter.and_then(|i| e.chapters.get(i)).cloned();
                // Cloned field by field: not the chapters, maybe not the description.
                let ep = Episode {
                    podcast: e.podcast.clone(),
                    number: e.number,
                    title: e.title.clone(),
                    date: e.date.clone(),
                    duration_seconds: e.duration_seconds,
                    description: if description {
                        e.description.clone()
                    } else {
                        String::new()
                    },
                    source: e.source.clone(),
                    chapters: vec![],
                    media_url: e.media_url.clone(),
                    link: e.link.clone(),
                    guid: e.guid.clone(),
                };
                Ok((ep, c))
            }
        }
    }
}

fn damaged(e: &dyn std::fmt::Display) -> String {
    format!("a stored episode is damaged: {e}")
}

/// Bytes as the text value that stores them, each byte the char of its code (U+0000 to U+00FF).
/// tantivy 0.27 reads a stored bytes value back one byte at a time, at 30 instructions a byte
/// (more than decoding the episode), and a text value in one copy; most of the bytes are ASCII
/// text, so the text is barely longer.
pub fn to_text(bytes: &[u8]) -> String {
    // Runs of ASCII copied whole, as `from_text` reads them: char by char, this was 3% of a
    // build's instructions.
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut rest = bytes;
    while let Some(at) = first_non_ascii(rest) {
        let (ascii, high) = rest.split_at(at);
        // ASCII bytes are valid UTF-8 as they are.
        out.push_str(std::str::from_utf8(ascii).unwrap_or_default());
        out.push(char::from(high[0]));
        rest = &high[1..];
    }
    out.push_str(std::str::from_utf8(rest).unwrap_or_default());
    out
}

/// The bytes [`to_text`] stored, if `text` is such.
pub fn from_text(text: &str) -> Option<Vec<u8>> {
    // Runs of ASCII are copied whole; a char of U+0080 to U+00FF is the lead byte C2 or C3
    // and one continuation byte (`chars()` and `u8::try_from` took three quarters of a hit's
    // decoding).
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some(at) = first_non_ascii(rest) {
        out.extend_from_slice(&rest[..at]);
        let (lead, next) = (rest[at], *rest.get(at + 1)?);
        if lead & 0xFE != 0xC2 {
            return None;
        }
        out.push(lead << 6 | next & 0x3F);
        rest = rest.get(at + 2..)?;
    }
    out.extend_from_slice(rest);
    Some(out)
}

/// Reads stored bytes without copying their strings.
pub fn decode(bytes: &[u8]) -> postcard::Result<StoredEpisode<'_>> {
    postcard::from_bytes(bytes)
}

impl StoredChapter<'_> {
    fn of(c: &Chapter) -> StoredChapter<'_> {
        StoredChapter {
            start_seconds: c.start_seconds,
            end_seconds: c.end_seconds,
            title: &c.title,
            section: c.section.as_deref(),
        }
    }

    /// The chapter, owned.
    pub fn to_chapter(&self) -> Chapter {
        Chapter {
            start_seconds: self.start_seconds,
            end_seconds: self.end_seconds,
            title: self.title.to_string(),
            section: self.section.map(str::to_string),
        }
    }
}

impl StoredEpisode<'_> {
    /// The episode, owned, without its chapters, and without its description unless
    /// `description`: what a hit shows besides its one chapter.
    pub fn header(&self, description: bool) -> Episode {
        Episode {
            podcast: self.podcast.map(str::to_string),
            number: self.number,
            title: self.title.to_string(),
            date: self.date.map(str::to_string),
            duration_seconds: self.duration_seconds,
            description: if description {
                self.description.to_string()
            } else {
                String::new()
            },
            source: self.source.to_string(),
            chapters: vec![],
            media_url: self.media_url.map(str::to_string),
            link: self.link.map(str::to_string),
            guid: self.guid.map(str::to_string),
        }
    }

    /// The whole episode, owned.
    pub fn to_episode(&self) -> Episode {
        Episode {
            chapters: self
                .chapters
                .iter()
                .map(StoredChapter::to_chapter)
                .collect(),
            ..self.header(true)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Episode {
        Episode {
            podcast: Some("core.py".into()),
            number: Some(21),
            title: "A Garbage Episode \"quoted\" \u{e9}".into(),
            date: Some("2024-05-01".into()),
            duration_seconds: Some(3_600),
            description: "Line one\nline two \\ tab\t.".into(),
            source: "notes.txt:12".into(),
            chapters: vec![
                Chapter {
                    start_seconds: 0,
                    end_seconds: Some(515),
                    title: "Intro".into(),
                    section: None,
                },
                Chapter {
                    start_seconds: 515,
                    end_seconds: None,
                    title: "PyGC_Head".into(),
                    section: Some("PART 1: GARBAGE COLLECTION".into()),
                },
            ],
            media_url: Some("https://x/a.mp3".into()),
            link: None,
            guid: Some("g-1".into()),
        }
    }

    #[test]
    fn an_episode_comes_back_as_it_went_in() -> anyhow::Result<()> {
        for ep in [sample(), Episode::default()] {
            let bytes = encode(&ep)?;
            assert_eq!(decode(&bytes)?.to_episode(), ep);
        }
        Ok(())
    }

    #[test]
    fn a_hit_takes_only_what_it_asks_for_in_either_format() -> anyhow::Result<()> {
        let ep = sample();
        let text = to_text(&encode(&ep)?);
        let json = serde_json::to_string(&ep)?;
        for raw in [
            Raw::Bytes(from_text(&text).ok_or_else(|| anyhow::anyhow!("bytes"))?),
            Raw::Json(Box::new(serde_json::from_str(&json)?)),
        ] {
            let (part, chapter) = raw.part(false, Some(1)).map_err(anyhow::Error::msg)?;
            assert_eq!(chapter.as_ref(), Some(&ep.chapters[1]));
            let rest = Episode {
                description: String::new(),
                chapters: vec![],
                ..ep.clone()
            };
            assert_eq!(part, rest);
            let (part, chapter) = raw.part(true, None).map_err(anyhow::Error::msg)?;
            assert_eq!(chapter, None);
            assert_eq!(
                (part.description.as_str(), part.chapters.len()),
                (&*ep.description, 0)
            );
            assert_eq!(
                raw.part(false, Some(2)).map_err(anyhow::Error::msg)?.1,
                None
            );
            assert_eq!(raw.episode().map_err(anyhow::Error::msg)?, ep);
        }
        Ok(())
    }

    #[test]
    fn bytes_survive_their_text_form() {
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(from_text(&to_text(&all)), Some(all));
        assert_eq!(to_text(b"ab\x80").len(), 4, "ASCII stays one byte");
        // Every byte its own char, wherever the high bytes fall in the eight-byte steps.
        let mixed: Vec<u8> = (0..600u32).map(|i| (i * 37 % 251) as u8).collect();
        for start in 0..20 {
            let bytes = &mixed[start..];
            let chars: String = bytes.iter().map(|&b| char::from(b)).collect();
            assert_eq!(to_text(bytes), chars);
        }
        assert_eq!(from_text("a\u{100}"), None);
        assert_eq!(from_text("\u{7ff}b"), None);
        assert_eq!(from_text("\u{10000}"), None);
        assert_eq!(from_text(""), Some(vec![]));
    }

    #[test]
    fn the_first_high_byte_is_found_in_any_word_and_in_the_tail() {
        for len in 0..20 {
            assert_eq!(first_non_ascii(&vec![b'a'; len]), None);
            for at in 0..len {
                let mut b = vec![b'a'; len];
                b[at] = 0x80;
                if at + 1 < len {
                    b[at + 1] = 0xFF;
                }
                assert_eq!(first_non_ascii(&b), Some(at), "{len} {at}");
            }
        }
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() -> anyhow::Result<()> {
        let bytes = encode(&sample())?;
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        Ok(())
    }
}
