//! podseek: offline full-text search over podcast chapters.
//!
//! The engine in stages, each taking the previous one's types: [`notes`] parses show notes into
//! [`model`] episodes ([`feed`] reads RSS feeds, [`chapters_json`] Podcasting 2.0 chapters
//! files), [`load`] reads files and folders, [`index`] writes them into tantivy, [`search`]
//! answers queries, [`export`] writes chapters files and NDJSON, [`render`] prints results
//! for people or as JSON, and [`serve`] answers over HTTP with a search page and a JSON API.
//! [`sources`] follows feeds by URL ([`fetch`] gets them over HTTP) and keeps them current.

pub mod chapters_json;
pub mod corpus;
pub mod episode_list;
pub mod error;
pub mod export;
pub mod feed;
pub mod fetch;
pub mod index;
pub mod load;
pub mod model;
pub mod notes;
pub mod query_guard;
pub mod render;
pub mod search;
pub mod serve;
pub mod sources;

pub use error::{Error, Result};
pub use index::{IndexOptions, IndexSummary, PodIndex};
pub use load::{LoadOptions, Loaded};
pub use model::{Chapter, Episode, Warning};
pub use notes::{ParseOptions, ParseOutput, parse_str};
pub use search::{GroupedResult, Hit, SearchOptions, SearchResult};
