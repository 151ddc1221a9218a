//! The JSON API: the same documents as the CLI's `--json`, errors as `{"error": "..."}`.

use super::MAX_API_LIMIT;
use super::state::AppState;
use crate::error::Error;
use crate::render::EpisodeList;
use crate::search::{self, SearchOptions};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// An error answer: a status and a message for the `{"error": ...}` document.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    /// A 400 Bad Request with this message.
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// The status this error answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The message, for the page to show.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let (status, message) = match &e {
            Error::BadQuery(_) | Error::BadOption(_) | Error::BadTime(_) => {
                (StatusCode::BAD_REQUEST, e.to_string())
            }
            Error::AmbiguousEpisode { number, candidates } => (
                StatusCode::BAD_REQUEST,
                format!(
                    "episode {number} is ambiguous; add podcast= or title= to choose one of: {}",
                    candidates.join("; ")
                ),
            ),
            Error::EpisodeNotFound(what) => (
                StatusCode::NOT_FOUND,
                format!("no episode {what} in the index; /api/episodes lists them"),
            ),
            Error::NoIndex(_) => (StatusCode::NOT_FOUND, e.to_string()),
            _ => {
                // Not the client's doing: say so in the server's log, not only in the answer.
                eprintln!("podseek: error: {e}");
                (StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
            }
        };
        ApiError { status, message }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::bad(format!("bad query string: {}", r.body_text()))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_error(self.status, &self.message)
    }
}

/// `{"error": message}` with `status`.
pub(crate) fn json_error(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

/// Runs `f` on the blocking pool (searches read files and burn CPU).
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("podseek: error: a request's task failed: {e}");
            Err(ApiError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: "the request failed inside the server".into(),
            })
        }
    }
}

/// Parameters of `/api/search`, all as text so every bad value gets a clear message.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct SearchParams {
    q: Option<String>,
    limit: Option<String>,
    episode: Option<String>,
    podcast: Option<String>,
    by_episode: Option<String>,
}

/// A checked `/api/search` request.
#[derive(Debug)]
struct SearchRequest {
    q: String,
    opts: SearchOptions,
    by_episode: bool,
}

/// A present, non-blank parameter.
fn given(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

fn episode_number(name: &str, v: &str) -> Result<u32, ApiError> {
    v.trim()
        .parse()
        .map_err(|_| ApiError::bad(format!("{name} must be an episode number, got {v:?}")))
}

impl SearchParams {
    fn check(self) -> Result<SearchRequest, ApiError> {
        let q = given(self.q).ok_or_else(|| ApiError::bad("missing q: the words to search for"))?;
        let limit = match given(self.limit) {
            None => 10,
            Some(v) => match v.trim().parse::<usize>() {
                Ok(0) => return Err(ApiError::bad("limit must be at least 1")),
                Ok(n) => n.min(MAX_API_LIMIT),
                // A number too large for usize is still a number: cap it like the others.
                Err(_) if v.trim().bytes().all(|b| b.is_ascii_digit()) => MAX_API_LIMIT,
                Err(_) => {
                    return Err(ApiError::bad(format!(
                        "limit must be a whole number from 1 (at most {MAX_API_LIMIT} are returned), got {v:?}"
                    )));
                }
            },
        };
        let episode = given(self.episode)
            .map(|v| episode_number("episode", &v))
            .transpose()?;
        let by_episode = match given(self.by_episode).as_deref().map(str::trim) {
            None | Some("0" | "false" | "no") => false,
            Some("1" | "true" | "yes") => true,
            Some(other) => {
                return Err(ApiError::bad(format!(
                    "by_episode must be 1 or 0, got {other:?}"
                )));
            }
        };
        Ok(SearchRequest {
            q,
            opts: SearchOptions {
                limit,
                episode,
                podcast: given(self.podcast),
            },
            by_episode,
        })
    }
}

/// `GET /api/search`: the `search --json` document, or the `--by-episode` one.
pub(crate) async fn search(
    State(state): State<Arc<AppState>>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let req = params?.0.check()?;
    blocking(move || {
        let idx = state.index();
        Ok(if req.by_episode {
            Json(search::search_by_episode(idx, &req.q, &req.opts)?).into_response()
        } else {
            Json(search::search(idx, &req.q, &req.opts)?).into_response()
        })
    })
    .await
}

/// `GET /api/episodes`: the `episodes --json` document.
pub(crate) async fn episodes(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    blocking(move || {
        let eps = state.index().episodes()?;
        Ok(Json(EpisodeList::new(&eps)).into_response())
    })
    .await
}

/// Parameters naming one episode.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct EpisodeParams {
    podcast: Option<String>,
    title: Option<String>,
}

/// `GET /api/episodes/{number}?podcast=&title=`: one EPISODE, as `show --json` prints it.
pub(crate) async fn episode(
    State(state): State<Arc<AppState>>,
    Path(number): Path<String>,
    params: Result<Query<EpisodeParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let params = params?.0;
    let (podcast, title) = (given(params.podcast), given(params.title));
    let number = episode_number("the episode", &number)?;
    blocking(move || {
        let ep = state
            .index()
            .find_episode(number, podcast.as_deref(), title.as_deref())?;
        Ok(Json(ep).into_response())
    })
    .await
}

/// Parameters of `/api/at`.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct AtParams {
    episode: Option<String>,
    t: Option<String>,
    podcast: Option<String>,
    title: Option<String>,
}

/// `GET /api/at?episode=&t=&podcast=&title=`: the `at --json` document (no chapter fields when the
/// time is past the last chapter).
pub(crate) async fn at(
    State(state): State<Arc<AppState>>,
    params: Result<Query<AtParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = params?.0;
    let number = given(p.episode)
        .ok_or_else(|| ApiError::bad("missing episode: the episode number"))
        .and_then(|v| episode_number("episode", &v))?;
    let t = given(p.t).ok_or_else(|| ApiError::bad("missing t: hh:mm:ss, mm:ss or seconds"))?;
    let seconds = search::parse_time(&t)?;
    let (podcast, title) = (given(p.podcast), given(p.title));
    blocking(move || {
        let ep = state
            .index()
            .find_episode(number, podcast.as_deref(), title.as_deref())?;
        Ok(Json(search::chapter_at(&ep, seconds)).into_response())
    })
    .await
}

/// Any other path.
pub(crate) async fn not_found() -> Response {
    json_error(
        StatusCode::NOT_FOUND,
        "no such page; the search page is at / and the API under /api/",
    )
}

/// A known path with a method other than GET.
pub(crate) async fn method_not_allowed() -> Response {
    json_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "only GET is supported (and HEAD)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parameters as the Query extractor builds them from a query string.
    fn params(q: &str) -> SearchParams {
        let uri: axum::http::Uri = format!("/api/search?{q}").parse().expect("uri");
        Query::<SearchParams>::try_from_uri(&uri).expect("parses").0
    }

    #[test]
    fn limits_are_capped_and_checked() {
        let r = params("q=gc&limit=100000").check().expect("ok");
        assert_eq!(r.opts.limit, MAX_API_LIMIT);
        let r = params("q=gc&limit=99999999999999999999999")
            .check()
            .expect("ok");
        assert_eq!(r.opts.limit, MAX_API_LIMIT);
        assert_eq!(params("q=gc").check().expect("ok").opts.limit, 10);
        for bad in [
            "q=gc&limit=0",
            "q=gc&limit=-1",
            "q=gc&limit=ten",
            "limit=3",
            "q=%20",
        ] {
            let e = params(bad).check().expect_err(bad);
            assert_eq!(e.status, StatusCode::BAD_REQUEST, "{bad}");
        }
    }

    #[test]
    fn by_episode_and_episode_are_checked() {
        assert!(params("q=gc&by_episode=1").check().expect("ok").by_episode);
        assert!(!params("q=gc&by_episode=0").check().expect("ok").by_episode);
        assert!(params("q=gc&by_episode=maybe").check().is_err());
        assert_eq!(
            params("q=gc&episode=21").check().expect("ok").opts.episode,
            Some(21)
        );
        assert!(params("q=gc&episode=x").check().is_err());
        assert!(params("q=gc&episode=99999999999").check().is_err());
    }

    #[test]
    fn library_errors_map_to_client_statuses() {
        let cases = [
            (Error::BadQuery("x".into()), StatusCode::BAD_REQUEST),
            (Error::BadTime("x".into()), StatusCode::BAD_REQUEST),
            (Error::BadOption("x".into()), StatusCode::BAD_REQUEST),
            (
                Error::AmbiguousEpisode {
                    number: 1,
                    candidates: vec!["a".into(), "b".into()],
                },
                StatusCode::BAD_REQUEST,
            ),
            (Error::EpisodeNotFound("1".into()), StatusCode::NOT_FOUND),
            (Error::NoIndex("x".into()), StatusCode::NOT_FOUND),
        ];
        for (e, status) in cases {
            assert_eq!(ApiError::from(e).status, status);
        }
    }
}
