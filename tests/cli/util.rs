//! One way to run the real binary in a temp dir, shared by every integration test.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The repository's `fixtures/`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A temp dir to run podseek in, with its own index.
pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `podseek ARGS` in the temp dir, environment cleaned of podseek and colour settings.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("podseek").expect("binary built");
        c.current_dir(self.path())
            .env_remove("PODSEEK_INDEX")
            .env_remove("NO_COLOR")
            .args(args);
        c
    }

    /// The same as a plain `std::process::Command`, for runs that must be spawned and killed.
    pub fn std_cmd(&self, args: &[&str]) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("podseek"));
        c.current_dir(self.path())
            .env_remove("PODSEEK_INDEX")
            .env_remove("NO_COLOR")
            .args(args);
        c
    }

    /// Runs and returns (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.cmd(args).output().expect("podseek runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs with `--json`, expects `code`, and parses stdout.
    pub fn json(&self, args: &[&str], code: i32) -> serde_json::Value {
        let mut all: Vec<&str> = args.to_vec();
        all.push("--json");
        let (got, out, err) = self.run(&all);
        assert_eq!(got, code, "podseek {all:?}: stdout {out} stderr {err}");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }

    /// Rewrites the commit payload of `./index` to say schema version 0, as an index written by
    /// another podseek would.
    pub fn mark_schema_version_0(&self) {
        let meta = self.path().join("index/meta.json");
        let text = std::fs::read_to_string(&meta).expect("meta");
        let current = format!("podseek_schema\\\":{}", podseek::index::SCHEMA_VERSION);
        let old = text.replace(&current, "podseek_schema\\\":0");
        assert_ne!(text, old, "payload not found in {text}");
        std::fs::write(&meta, old).expect("write");
    }

    /// Copies the seed fixtures into `notes/` inside the temp dir.
    pub fn copy_seeds(&self) -> PathBuf {
        let notes = self.path().join("notes");
        std::fs::create_dir_all(&notes).expect("mkdir");
        for name in ["000_b1a4522b4a17a99e.txt", "002_23fa507392eb8d30.txt"] {
            std::fs::copy(fixtures().join(name), notes.join(name)).expect("copy seed");
        }
        notes
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, text).expect("write");
        p
    }
}
