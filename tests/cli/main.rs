//! Integration tests: the real `podseek` binary on the fixtures and on temp dirs.

mod browse;
mod errors;
mod indexing;
mod parse;
mod search;
mod util;
