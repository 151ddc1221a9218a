//! Integration tests: the real `podseek` binary on the fixtures and on temp dirs.

mod browse;
mod corpora;
mod errors;
mod formats;
mod hostile;
mod indexing;
mod parse;
mod robust;
mod search;
mod util;
