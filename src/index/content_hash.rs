//! The content hash of an episode, as every index since the first stores it: the xxh3 hash of
//! the episode's compact JSON (serde_json's bytes) with `source` empty. Written here straight
//! into a reused buffer, escaping eight bytes at a time, because serde_json's escaping and the
//! string it built were 3% of a full build; the tests hold it to serde_json's bytes.

use crate::model::{Chapter, Episode};

/// The content hash of `ep`: everything but where in its file the episode sits. `scratch` is
/// reused from one episode to the next.
pub fn content_hash(ep: &Episode, scratch: &mut Vec<u8>) -> u64 {
    scratch.clear();
    episode_json(ep, scratch);
    xxhash_rust::xxh3::xxh3_64(scratch)
}

/// `ep` as serde_json writes it (field order and the skipped empty options are
/// [`Episode`]'s), with `source` empty.
fn episode_json(ep: &Episode, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"podcast\":");
    opt_str(out, ep.podcast.as_deref());
    out.extend_from_slice(b",\"number\":");
    opt_num(out, ep.number.map(u64::from));
    out.extend_from_slice(b",\"title\":");
    string(out, &ep.title);
    out.extend_from_slice(b",\"date\":");
    opt_str(out, ep.date.as_deref());
    out.extend_from_slice(b",\"duration_seconds\":");
    opt_num(out, ep.duration_seconds);
    out.extend_from_slice(b",\"description\":");
    string(out, &ep.description);
    out.extend_from_slice(b",\"source\":\"\",\"chapters\":[");
    for (i, c) in ep.chapters.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        chapter_json(c, out);
    }
    out.push(b']');
    for (name, value) in [
        (&b",\"media_url\":"[..], &ep.media_url),
        (b",\"link\":", &ep.link),
        (b",\"guid\":", &ep.guid),
    ] {
        if let Some(v) = value {
            out.extend_from_slice(name);
            string(out, v);
        }
    }
    out.push(b'}');
}

fn chapter_json(c: &Chapter, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"start_seconds\":");
    num(out, c.start_seconds);
    out.extend_from_slice(b",\"end_seconds\":");
    opt_num(out, c.end_seconds);
    out.extend_from_slice(b",\"title\":");
    string(out, &c.title);
    out.extend_from_slice(b",\"section\":");
    opt_str(out, c.section.as_deref());
    out.push(b'}');
}

fn opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

fn opt_num(out: &mut Vec<u8>, n: Option<u64>) {
    match n {
        Some(n) => num(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

fn num(out: &mut Vec<u8>, n: u64) {
    // serde_json's own integer writer.
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// A JSON string as serde_json writes it: `"` and `\` escaped, the control characters below
/// U+0020 as `\b \t \n \f \r` or `\u00xx` (lowercase hex), everything else as it is.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let b = s.as_bytes();
    let mut done = 0;
    let mut at = 0;
    while at < b.len() {
        // Eight bytes with nothing to escape are copied with the run they are in.
        if let Some(word) = b.get(at..at + 8) {
            let w = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
            if !needs_escape(w) {
                at += 8;
                continue;
            }
        }
        let c = b[at];
        let escape: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x09 => b"\\t",
            0x0a => b"\\n",
            0x0c => b"\\f",
            0x0d => b"\\r",
            0x00..=0x1f => &[],
            _ => {
                at += 1;
                continue;
            }
        };
        out.extend_from_slice(&b[done..at]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(c >> 4)]);
            out.push(HEX[usize::from(c & 0xf)]);
        } else {
            out.extend_from_slice(escape);
        }
        at += 1;
        done = at;
    }
    out.extend_from_slice(&b[done..]);
    out.push(b'"');
}

/// Whether any of the eight bytes of `w` is below 0x20, `"` or `\`.
fn needs_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    // Bytes of 0x80 and above are left out of the below-0x20 test by `!w`.
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    below_space | zero_byte(w ^ (ONES * u64::from(b'"'))) | zero_byte(w ^ (ONES * u64::from(b'\\')))
        != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the hash stands for: serde_json's bytes of the episode with `source` empty.
    fn serde_bytes(ep: &Episode) -> Vec<u8> {
        let mut blank = ep.clone();
        blank.source.clear();
        serde_json::to_vec(&blank).unwrap_or_default()
    }

    fn ours(ep: &Episode) -> Vec<u8> {
        let mut out = Vec::new();
        episode_json(ep, &mut out);
        out
    }

    #[test]
    fn the_bundled_episodes_give_serde_jsons_bytes() {
        let episodes: Vec<Episode> = crate::load::bundled()
            .files
            .into_iter()
            .flat_map(|f| f.output.episodes)
            .collect();
        assert!(episodes.len() > 10);
        let mut scratch = Vec::new();
        for ep in &episodes {
            assert_eq!(
                String::from_utf8_lossy(&ours(ep)),
                String::from_utf8_lossy(&serde_bytes(ep))
            );
            let mut moved = ep.clone();
            moved.source = "elsewhere.txt:99".into();
            assert_eq!(
                content_hash(&moved, &mut scratch),
                content_hash(ep, &mut scratch),
                "where an episode sits is not its content"
            );
        }
    }

    #[test]
    fn every_escape_is_serde_jsons() {
        let all: String = (0u32..0x300).filter_map(char::from_u32).collect();
        let ep = Episode {
            title: all.clone(),
            description: format!("{all}\u{2028}\u{7f}\"\\ end"),
            media_url: Some("https://x/\"a\"".into()),
            guid: Some(String::new()),
            ..Episode::default()
        };
        assert_eq!(ours(&ep), serde_bytes(&ep));
    }

    fn text() -> impl Strategy<Value = String> {
        // Quotes, backslashes and control characters among plain and non-ASCII text, in runs
        // long enough to cross the eight-byte steps.
        proptest::string::string_regex("[a-z \"\\\\\\x00-\\x1f\\x7fé€😀]{0,40}")
            .expect("a valid pattern")
    }

    proptest! {
        #[test]
        fn any_episode_gives_serde_jsons_bytes(
            title in text(),
            description in text(),
            podcast in proptest::option::of(text()),
            number in proptest::option::of(any::<u32>()),
            duration in proptest::option::of(any::<u64>()),
            link in proptest::option::of(text()),
            chapters in proptest::collection::vec(
                (any::<u64>(), proptest::option::of(any::<u64>()), text(), proptest::option::of(text())),
                0..4,
            ),
        ) {
            let ep = Episode {
                podcast,
                number,
                title,
                date: Some("2024-01-02".into()),
                duration_seconds: duration,
                description,
                source: "notes.txt:3".into(),
                chapters: chapters
                    .into_iter()
                    .map(|(start_seconds, end_seconds, title, section)| Chapter {
                        start_seconds,
                        end_seconds,
                        title,
                        section,
                    })
                    .collect(),
                link,
                ..Episode::default()
            };
            prop_assert_eq!(ours(&ep), serde_bytes(&ep));
        }
    }
}
