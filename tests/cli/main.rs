//! Integration tests: the real `podseek` binary on the fixtures and on temp dirs.

mod browse;
mod browser;
mod catalogue;
mod corpora;
mod errors;
mod feedserver;
mod follow;
mod formats;
mod hostile;
mod http;
mod indexing;
mod parse;
mod props;
mod robust;
mod search;
mod serve;
mod util;
