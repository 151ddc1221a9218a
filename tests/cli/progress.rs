//! The index progress bar: drawn on a terminal for big runs, never on a pipe or with `-q`.

use crate::util::Env;
use podseek::corpus::{CorpusOptions, generate};
use std::process::Command;

/// A 400-episode corpus (4 files) in `notes/`.
fn notes(env: &Env) -> std::path::PathBuf {
    let dir = env.path().join("notes");
    generate(&CorpusOptions {
        episodes: 400,
        ..CorpusOptions::default()
    })
    .write(&dir)
    .expect("corpus written");
    dir
}

#[test]
fn no_bar_when_stderr_is_not_a_terminal() {
    let env = Env::new();
    let dir = notes(&env);
    let (code, _, err) = env.run(&["index", dir.to_str().expect("utf-8 path")]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("episodes,"), "a bar on a pipe: {err}");
}

/// Runs podseek under `script`, which gives it a terminal; None when `script` is missing.
fn on_a_terminal(env: &Env, args: &str) -> Option<String> {
    let bin = assert_cmd::cargo::cargo_bin("podseek");
    let out = Command::new("script")
        .current_dir(env.path())
        .env_remove("PODSEEK_INDEX")
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .output()
        .ok()?;
    assert!(out.status.success(), "{out:?}");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_bar_with_episodes_rate_and_eta_on_a_terminal_but_not_with_quiet() {
    let env = Env::new();
    let dir = notes(&env);
    let Some(shown) = on_a_terminal(&env, &format!("--index ix index {}", dir.display())) else {
        eprintln!("no `script` here: the terminal case is not checked");
        return;
    };
    assert!(shown.contains("writing ["), "{shown}");
    assert!(
        shown.contains("episodes, ") && shown.contains("/s, ETA"),
        "{shown}"
    );
    let quiet = on_a_terminal(&env, &format!("--index ix2 -q index {}", dir.display()))
        .expect("script ran before");
    assert!(!quiet.contains("writing ["), "{quiet}");
}
