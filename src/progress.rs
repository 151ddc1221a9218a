//! The binary's progress bar for long index runs (indicatif, on stderr): files parsed, then
//! episodes written, with rate and ETA. Hidden with `-q` and when stderr is not a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Parsing shows a bar from this many files on.
pub const MIN_FILES: usize = 20;
/// Writing shows a bar from this many episodes on ("more than a few hundred").
pub const MIN_EPISODES: usize = 300;

/// One bar, reused for both phases of an index run.
pub struct Progress {
    enabled: bool,
    bar: Option<ProgressBar>,
    phase: &'static str,
}

/// Whether a phase of `total` items shows a bar.
pub fn shows(enabled: bool, total: usize, min: usize) -> bool {
    enabled && total >= min
}

impl Progress {
    /// A bar that draws only when `enabled` (not quiet, stderr a terminal).
    pub fn new(enabled: bool) -> Progress {
        Progress {
            enabled,
            bar: None,
            phase: "",
        }
    }

    fn update(&mut self, phase: &'static str, unit: &str, done: usize, total: usize, min: usize) {
        if !shows(self.enabled, total, min) {
            return;
        }
        if self.phase != phase {
            if let Some(old) = self.bar.take() {
                old.finish_and_clear();
            }
            let style = ProgressStyle::with_template(&format!(
                "{{prefix:>8}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit}, {{rate}}/s, ETA {{eta}}"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}", state.per_sec());
                },
            )
            .progress_chars("=> ");
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr())
                    .with_style(style)
                    .with_prefix(phase);
            self.bar = Some(bar);
            self.phase = phase;
        }
        if let Some(bar) = &self.bar {
            // set_length always redraws; set_position is rate-limited by indicatif.
            if bar.length() != Some(total as u64) {
                bar.set_length(total as u64);
            }
            bar.set_position(done as u64);
        }
    }

    /// Files parsed so far.
    pub fn files(&mut self, done: usize, total: usize) {
        self.update("parsing", "files", done, total, MIN_FILES);
    }

    /// Episodes written (or found unchanged) so far.
    pub fn episodes(&mut self, done: usize, total: usize) {
        self.update("writing", "episodes", done, total, MIN_EPISODES);
    }

    /// Removes the bar before the summary is printed.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_big_runs_on_a_terminal_show_a_bar() {
        assert!(shows(true, 301, MIN_EPISODES));
        assert!(!shows(true, 12, MIN_EPISODES));
        assert!(!shows(false, 100_000, MIN_EPISODES));
    }
}
