//! Plain data that flows from the parser to the index and the printers: no tantivy, no clap.

use serde::{Deserialize, Serialize};

/// One chapter of an episode: a start time and a title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chapter {
    /// Where the chapter starts, in seconds from the start of the episode.
    pub start_seconds: u64,
    /// The next chapter's start, or the episode's length for the last chapter.
    pub end_seconds: Option<u64>,
    /// The chapter title as written in the show notes.
    pub title: String,
    /// The `PART n: ...` heading this chapter falls under, if any.
    pub section: Option<String>,
}

/// One episode: its metadata, its prose and its chapters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    /// The podcast's name, when known (header, `podcast.toml` or `--podcast`).
    pub podcast: Option<String>,
    /// The episode number from `Episode N: ...`.
    pub number: Option<u32>,
    /// The title without its `Episode N:` prefix.
    pub title: String,
    /// Publication date as `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The episode's total length.
    pub duration_seconds: Option<u64>,
    /// The episode's prose, without its timestamp list.
    pub description: String,
    /// Where the episode was read: `file:line`.
    pub source: String,
    /// The chapters, sorted by start.
    pub chapters: Vec<Chapter>,
    /// The episode's audio or video URL, when a feed gave one (used for `#t=` links).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
    /// A page for the episode; with `{seconds}`/`{hms}` placeholders it is a link template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// A feed item's identity, as podcast apps take it: its `<guid>`, else its enclosure URL,
    /// else its title; or `file:PATH` for the only episode of a file whose name numbered it.
    /// When present it is the episode's identity in the index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
}

impl Episode {
    /// The identity of an episode inside the index: podcast plus number, or plus title.
    pub fn key(&self) -> String {
        let podcast = self.podcast.as_deref().unwrap_or("").to_lowercase();
        if let Some(guid) = &self.guid {
            return format!("{podcast}\u{1f}g:{guid}");
        }
        match self.number {
            Some(n) => format!("{podcast}\u{1f}#{n}"),
            None => format!("{podcast}\u{1f}t:{}", self.title.to_lowercase()),
        }
    }

    /// A human label: `core.py #21 A Garbage Episode`.
    pub fn label(&self) -> String {
        let mut s = String::new();
        if let Some(p) = &self.podcast {
            s.push_str(p);
            s.push(' ');
        }
        if let Some(n) = self.number {
            s.push_str(&format!("#{n} "));
        }
        s.push_str(&self.title);
        s
    }

    /// The link to jump to `seconds` into this episode, if a media URL or template is known.
    pub fn link_at(&self, seconds: u64) -> Option<String> {
        if let Some(url) = &self.media_url {
            let base = url.split('#').next().unwrap_or(url);
            return Some(format!("{base}#t={seconds}"));
        }
        let template = self.link.as_ref()?;
        let number = self.number.map(|n| n.to_string()).unwrap_or_default();
        Some(
            template
                .replace("{number}", &number)
                .replace("{seconds}", &seconds.to_string())
                .replace("{hms}", &format_hms(seconds)),
        )
    }
}

/// A problem found in the input that did not stop parsing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// `file:line` of the offending text.
    pub source: String,
    /// What is wrong, quoting the text.
    pub message: String,
}

/// Seconds as `hh:mm:ss` (hours grow past 99 if they must).
pub fn format_hms(seconds: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        (seconds / 60) % 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hms() {
        assert_eq!(format_hms(0), "00:00:00");
        assert_eq!(format_hms(515), "00:08:35");
        assert_eq!(format_hms(7054), "01:57:34");
        assert_eq!(format_hms(360_000), "100:00:00");
    }

    #[test]
    fn key_distinguishes_number_and_title() {
        let mut e = Episode {
            podcast: Some("Core.py".into()),
            number: Some(21),
            title: "A Garbage Episode".into(),
            date: None,
            duration_seconds: None,
            description: String::new(),
            source: String::new(),
            chapters: vec![],
            media_url: None,
            link: None,
            guid: None,
        };
        assert_eq!(e.key(), "core.py\u{1f}#21");
        e.number = None;
        assert_eq!(e.key(), "core.py\u{1f}t:a garbage episode");
        e.media_url = Some("https://x/a.mp3".into());
        assert_eq!(e.link_at(515).as_deref(), Some("https://x/a.mp3#t=515"));
    }
}
