//! What the test suites share: how a part that cannot run on this machine says so.
//!
//! Some parts need what a machine may lack: the public corpus at `../shared/corpus`, a user
//! that file permissions stop, `mkfifo`. Such a part prints why it is skipped and passes, so
//! that `cargo test` works on a fresh checkout; under `CI=true` it fails instead, so that CI
//! never passes by skipping.

// Each suite uses the helpers it needs; a skipped part must say so in the test output.
#![allow(dead_code, clippy::print_stderr)]

use std::path::{Path, PathBuf};

/// Whether this is a CI run (`CI=true`, as CI services set it), where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value.eq_ignore_ascii_case("true") || value == "1")
}

/// Says why a part of a test is skipped; under `CI=true`, fails the test with that reason.
#[track_caller]
pub fn skip(why: &str) {
    assert!(!in_ci(), "CI=true, and the test would skip: {why}");
    eprintln!("skipped: {why}");
}

/// The public corpus: `TRAILCHECK_CORPUS`, else the one checked out beside the repository;
/// `None` once [`skip`] said why.
#[track_caller]
pub fn corpus() -> Option<PathBuf> {
    let corpus = std::env::var_os("TRAILCHECK_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    if corpus.is_dir() {
        Some(corpus)
    } else {
        skip(&format!("no corpus at {}", corpus.display()));
        None
    }
}

pub mod shapes;
