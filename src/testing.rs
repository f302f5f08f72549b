//! What the unit tests share: where the public corpus is, and how a part that needs it says it
//! is skipped (as `tests/common` does for the integration suites).

#![allow(clippy::print_stderr)] // a skipped part must say so in the test output

use std::path::{Path, PathBuf};

/// The public corpus: `TRAILCHECK_CORPUS`, else `../shared/corpus` beside the repository.
/// `None` once it said why it is skipped; under `CI=true` a missing corpus fails the test.
#[track_caller]
pub fn corpus() -> Option<PathBuf> {
    let corpus = std::env::var_os("TRAILCHECK_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    if corpus.is_dir() {
        return Some(corpus);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
    assert!(
        !ci,
        "CI=true, and the corpus at {} is missing",
        corpus.display()
    );
    eprintln!(
        "skipped: the corpus part: no corpus at {}",
        corpus.display()
    );
    None
}
