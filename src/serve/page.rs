//! The search page, rendered by the server: results for `/?q=` are in the HTML, so the page works
//! without JavaScript. Every text from show notes goes through [`escape`].

use super::PAGE_EPISODES;
use super::api::{ApiError, blocking};
use super::assets;
use super::state::{AppState, Overview};
use crate::query_guard::MAX_QUERY_BYTES;
use crate::render::plural;
use crate::search::{self, EpisodeGroup, GroupedResult, Hit, SearchOptions};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::fmt::Write;
use std::sync::Arc;

/// Text made safe for HTML element content and quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` escaped, with the byte ranges in `highlights` wrapped in `<mark>`; ranges that
/// overlap, run backwards or split a character are skipped (the page's script does the same).
pub(crate) fn marked(text: &str, highlights: &[[usize; 2]]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &[a, b] in highlights {
        if a < at
            || a >= b
            || b > text.len()
            || !text.is_char_boundary(a)
            || !text.is_char_boundary(b)
        {
            continue;
        }
        out.push_str(&escape(&text[at..a]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[a..b]));
        out.push_str("</mark>");
        at = b;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// The snippet generator may cut a short field ("…" before or after) and drop trailing
/// punctuation; when the snippet is a piece of `full`, show all of `full` with the snippet's
/// highlights moved onto it (the page's script does the same).
pub(crate) fn whole<'a>(
    full: &'a str,
    snippet: &'a str,
    highlights: &[[usize; 2]],
) -> (&'a str, Vec<[usize; 2]>) {
    const ELLIPSIS: &str = "…";
    let lead = if snippet.starts_with(ELLIPSIS) {
        ELLIPSIS.len()
    } else {
        0
    };
    let end = if snippet.len() >= lead + ELLIPSIS.len() && snippet.ends_with(ELLIPSIS) {
        snippet.len() - ELLIPSIS.len()
    } else {
        snippet.len()
    };
    let core = &snippet[lead..end];
    match full.find(core) {
        Some(at) if !core.is_empty() => (
            full,
            highlights
                .iter()
                .filter(|[a, b]| *a >= lead && *b <= end)
                .map(|[a, b]| [a - lead + at, b - lead + at])
                .collect(),
        ),
        _ => (snippet, highlights.to_vec()),
    }
}

/// Whether a URL may become a link or an audio source: http(s) only, never `javascript:`.
pub(crate) fn web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// `core.py #21` followed by the title, each part in its own span.
fn episode_heading(podcast: Option<&str>, number: Option<u32>, title: &str) -> String {
    let mut s = String::new();
    if let Some(p) = podcast {
        let _ = write!(s, "<span class=\"podcast\">{}</span> ", escape(p));
    }
    if let Some(n) = number {
        let _ = write!(s, "<span class=\"num\">#{n}</span> ");
    }
    s.push_str(&escape(title));
    s
}

/// The plain-text label the player shows while a hit plays.
fn play_label(h: &Hit) -> String {
    let mut s = String::new();
    if let Some(p) = &h.podcast {
        s.push_str(p);
        s.push(' ');
    }
    if let Some(n) = h.episode {
        let _ = write!(s, "#{n} ");
    }
    let _ = write!(s, "{} · {}", h.episode_title, h.start);
    if let Some(t) = &h.chapter_title {
        let _ = write!(s, " {t}");
    }
    s
}

/// The time of a hit: a player link with a media URL, a plain link with a link template,
/// otherwise a button that copies the time.
fn time(h: &Hit) -> String {
    let start = escape(&h.start);
    match (&h.media_url, &h.link) {
        (Some(media), Some(link)) if web_url(media) && web_url(link) => format!(
            "<a class=\"time\" href=\"{}\" data-media=\"{}\" data-start=\"{}\" data-label=\"{}\">{start}</a>",
            escape(link),
            escape(media),
            h.start_seconds,
            escape(&play_label(h)),
        ),
        (None, Some(link)) if web_url(link) => format!(
            "<a class=\"time\" href=\"{}\" rel=\"noopener\">{start}</a>",
            escape(link)
        ),
        _ => format!(
            "<button type=\"button\" class=\"time\" data-copy=\"{start}\" title=\"Copy this time\">{start}</button>"
        ),
    }
}

/// One hit: its time, then section, chapter title and (for a description match) the snippet,
/// with the matched words marked in whichever of them the snippet came from.
fn hit(h: &Hit) -> String {
    let mut s = String::from("<li class=\"hit\">");
    s.push_str(&time(h));
    s.push_str("<div class=\"what\">");
    let whole_marked = |full: &str| {
        let (text, ranges) = whole(full, &h.snippet, &h.highlights);
        marked(text, &ranges)
    };
    let section = match &h.section {
        Some(sec) if h.matched_field == "section" => Some(whole_marked(sec)),
        Some(sec) => Some(escape(sec)),
        None => None,
    };
    if let Some(sec) = section {
        let _ = write!(s, "<span class=\"section\">{sec}</span>");
    }
    let title = match &h.chapter_title {
        Some(t) if h.matched_field == "chapter_title" => whole_marked(t),
        Some(t) => escape(t),
        None => "Whole episode".to_string(),
    };
    let _ = write!(s, "<span class=\"title\">{title}</span>");
    if h.matched_field == "description" {
        let _ = write!(
            s,
            "<span class=\"snippet\">{}</span>",
            marked(&h.snippet, &h.highlights)
        );
    }
    s.push_str("</div></li>");
    s
}

fn episode(g: &EpisodeGroup) -> String {
    let mut s = format!(
        "<li class=\"episode\"><h2>{}</h2>",
        episode_heading(g.podcast.as_deref(), g.episode, &g.episode_title)
    );
    if let Some(date) = g.hits.first().and_then(|h| h.date.as_deref()) {
        let _ = write!(s, "<p class=\"date\">{}</p>", escape(date));
    }
    s.push_str("<ol class=\"hits\">");
    for h in &g.hits {
        s.push_str(&hit(h));
    }
    s.push_str("</ol></li>");
    s
}

/// The line above the results (the page's script words it the same way).
fn summary(r: &GroupedResult) -> String {
    if r.total == 0 {
        return format!("No matches for “{}”.", r.query.trim());
    }
    let matches = plural(r.total, "match", "matches");
    if r.episodes.len() < PAGE_EPISODES {
        format!(
            "{matches} in {}",
            plural(r.episodes.len(), "episode", "episodes")
        )
    } else {
        let which = if r.ranked() { "best" } else { "first" };
        format!("{matches}; the {which} {} episodes shown", r.episodes.len())
    }
}

fn status(text: &str, class: &str) -> String {
    let role = if class == "error" { "alert" } else { "status" };
    format!(
        "<p id=\"status\" class=\"status {class}\" role=\"{role}\">{}</p>",
        escape(text)
    )
}

/// The results part of the page: a status line and the episodes with their hits.
pub(crate) fn results(r: &GroupedResult) -> String {
    let mut s = status(&summary(r), "");
    if !r.episodes.is_empty() {
        s.push_str("<ol class=\"episodes\">");
        for g in &r.episodes {
            s.push_str(&episode(g));
        }
        s.push_str("</ol>");
    }
    s
}

/// What the page says with an empty search box.
fn empty_text(o: &Overview) -> String {
    format!(
        "{} and {} indexed: type a topic to find the minute it comes up.",
        plural(o.episodes, "episode", "episodes"),
        plural(o.chapters, "chapter", "chapters")
    )
}

/// "core.py", "a, b and c", or "12 podcasts": what the search box searches.
fn scope(o: &Overview) -> String {
    match o.podcasts.as_slice() {
        [] => "the podcast".into(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        many => format!("{} podcasts", many.len()),
    }
}

/// Fills the template's `{{name}}` slots in one pass, so inserted text is never scanned again.
fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        match after
            .find("}}")
            .and_then(|close| Some((close, value(&after[..close])?)))
        {
            Some((close, v)) => {
                out.push_str(&v);
                rest = &after[close + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The whole page for query `q` with `body` (already HTML) as its results.
pub(crate) fn page(q: &str, overview: &Overview, body: &str) -> String {
    let empty = empty_text(overview);
    let title = if q.trim().is_empty() {
        format!("podseek · {}", scope(overview))
    } else {
        format!("{} · podseek", q.trim())
    };
    fill(assets::INDEX_HTML, |name| {
        Some(match name {
            "title" => escape(&title),
            "css" => escape(&assets::css_url()),
            "js" => escape(&assets::js_url()),
            "scope" => escape(&scope(overview)),
            "q" => escape(q),
            "maxlen" => MAX_QUERY_BYTES.to_string(),
            "limit" => PAGE_EPISODES.to_string(),
            "empty" => escape(&empty),
            "results" => body.to_string(),
            _ => return None,
        })
    })
}

/// Parameters of the page.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct PageParams {
    q: Option<String>,
}

/// `GET /` and `GET /?q=...`: the page, with the results for `q` when given.
pub(crate) async fn index(
    State(state): State<Arc<AppState>>,
    params: Result<Query<PageParams>, QueryRejection>,
) -> Response {
    let (q, bad) = match params {
        Ok(Query(p)) => (p.q.unwrap_or_default(), None),
        Err(r) => (String::new(), Some(ApiError::from(r))),
    };
    let query = q.clone();
    let answer = blocking(move || {
        let overview = state.overview();
        if let Some(e) = bad {
            return Ok((overview, Err(e)));
        }
        if query.trim().is_empty() {
            return Ok((overview, Ok(None)));
        }
        let opts = SearchOptions {
            limit: PAGE_EPISODES,
            ..SearchOptions::default()
        };
        let found = search::search_by_episode(state.index(), &query, &opts)
            .map(Some)
            .map_err(ApiError::from);
        Ok((overview, found))
    })
    .await;
    let (code, html) = match answer {
        Ok((o, Ok(Some(r)))) => (StatusCode::OK, page(&q, &o, &results(&r))),
        Ok((o, Ok(None))) => (StatusCode::OK, page(&q, &o, &status(&empty_text(&o), ""))),
        Ok((o, Err(e))) => (e.status(), page(&q, &o, &status(e.message(), "error"))),
        Err(e) => (
            e.status(),
            page(&q, &Overview::default(), &status(e.message(), "error")),
        ),
    };
    (code, [(header::CACHE_CONTROL, "no-cache")], Html(html)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(title: &str, snippet: &str, highlights: Vec<[usize; 2]>) -> Hit {
        Hit {
            rank: 1,
            score: 1.0,
            podcast: Some("<b>pod</b>".into()),
            episode: Some(1),
            episode_title: "Ep \"one\" & <i>two</i>".into(),
            date: None,
            chapter_title: Some(title.into()),
            section: Some("<section>".into()),
            start_seconds: 3,
            end_seconds: None,
            start: "00:00:03".into(),
            link: None,
            media_url: None,
            snippet: snippet.into(),
            highlights,
            matched_field: "chapter_title",
            key: String::new(),
        }
    }

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(
            escape(r#"<script>alert('x')&"</script>"#),
            "&lt;script&gt;alert(&#39;x&#39;)&amp;&quot;&lt;/script&gt;"
        );
    }

    #[test]
    fn highlights_are_marked_and_escaped_and_bad_ranges_skipped() {
        assert_eq!(marked("a <b> c", &[[2, 5]]), "a <mark>&lt;b&gt;</mark> c");
        // Backwards, overlapping, out of range and mid-character ranges are dropped.
        assert_eq!(marked("héllo", &[[2, 3], [3, 1], [0, 99]]), "héllo");
        assert_eq!(marked("ab", &[[0, 1], [0, 2]]), "<mark>a</mark>b");
    }

    #[test]
    fn a_hostile_hit_renders_as_text() {
        let title = "<script>alert(1)</script>";
        let g = GroupedResult {
            query: "<q>".into(),
            total: 1,
            dropped: vec![],
            episodes: vec![EpisodeGroup {
                podcast: Some("<b>pod</b>".into()),
                episode: Some(1),
                episode_title: "<img src=x onerror=alert(2)>".into(),
                score: 1.0,
                hits: vec![hit(title, title, vec![[8, 13]])],
            }],
        };
        let html = results(&g);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;section&gt;"), "{html}");
    }

    #[test]
    fn a_cut_snippet_of_a_title_highlights_the_whole_title() {
        let (text, ranges) = whole(
            "Executor.map(buffersize=)",
            "Executor.map(buffersize…",
            &[[9, 12]],
        );
        assert_eq!(
            marked(text, &ranges),
            "Executor.<mark>map</mark>(buffersize=)"
        );
        let (text, ranges) = whole("a b c d", "…c d", &[[3, 4]]);
        assert_eq!((text, ranges), ("a b c d", vec![[4, 5]]));
        // A snippet that is not a piece of the field is shown as it is.
        let (text, ranges) = whole("abc", "xyz", &[[0, 1]]);
        assert_eq!((text, ranges), ("xyz", vec![[0, 1]]));
        assert_eq!(whole("abc", "…", &[]).0, "…");
    }

    #[test]
    fn only_web_urls_become_links() {
        let mut h = hit("t", "t", vec![]);
        h.link = Some("javascript:alert(1)".into());
        assert!(time(&h).starts_with("<button"), "{}", time(&h));
        h.link = Some("https://example.com/ep?a=1&b=2".into());
        assert!(time(&h).contains("href=\"https://example.com/ep?a=1&amp;b=2\""));
        h.media_url = Some("JAVASCRIPT:x".into());
        assert!(time(&h).starts_with("<button"));
        h.media_url = Some("https://cdn.example/a.mp3".into());
        h.link = Some("https://cdn.example/a.mp3#t=3".into());
        let t = time(&h);
        assert!(
            t.contains("data-media=\"https://cdn.example/a.mp3\""),
            "{t}"
        );
        assert!(t.contains("data-start=\"3\""), "{t}");
    }

    #[test]
    fn the_template_is_filled_once_and_completely() {
        let o = Overview {
            episodes: 2,
            chapters: 5,
            podcasts: vec!["core.py".into()],
        };
        let html = page("{{q}} \"x\"", &o, "<p>{{title}}</p>");
        assert!(html.contains("value=\"{{q}} &quot;x&quot;\""), "{html}");
        // The body is inserted as is, and slots inside inserted text stay literal.
        assert!(html.contains("<p>{{title}}</p>"));
        assert!(html.contains("<title>{{q}} &quot;x&quot; · podseek</title>"));
        assert_eq!(
            html.matches("{{").count(),
            3,
            "only the inserted ones: {html}"
        );
        assert!(html.contains("2 episodes and 5 chapters indexed"));
        assert!(html.contains("Search core.py"));
        assert!(fill("a {{x", |_| Some("y".into())) == "a {{x");
    }
}
