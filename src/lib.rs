//! podseek: offline full-text search over podcast chapters.
//!
//! The engine in stages, each taking the previous one's types: [`notes`] parses show notes into
//! [`model`] episodes, [`load`] reads files and folders, [`index`] writes them into tantivy,
//! [`search`] answers queries, [`render`] prints results for people or as JSON, and [`serve`]
//! answers over HTTP with a search page and a JSON API.

pub mod error;
pub mod index;
pub mod load;
pub mod model;
pub mod notes;
pub mod query_guard;
pub mod render;
pub mod search;
pub mod serve;

pub use error::{Error, Result};
pub use index::{IndexOptions, IndexSummary, PodIndex};
pub use load::{LoadOptions, Loaded};
pub use model::{Chapter, Episode, Warning};
pub use notes::{ParseOptions, ParseOutput, parse_str};
pub use search::{GroupedResult, Hit, SearchOptions, SearchResult};
