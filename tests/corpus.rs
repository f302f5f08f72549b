#![allow(clippy::print_stderr)] // a skipped sweep must say so in the test output
//! Robustness sweep over the public corpus at `../shared/corpus` (about 5,000 real templates
//! and plans), run in place, never copied. Every file must be read without a crash, the JSON
//! document must be well formed, and every finding must point inside its file. Skips, saying
//! so, when the corpus is not checked out beside the repository.

use std::path::Path;
use std::process::Command;

#[test]
fn the_whole_corpus_is_read_without_a_crash() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: no corpus at {}", corpus.display());
        return;
    }
    let output = Command::new(env!("CARGO_BIN_EXE_trailcheck"))
        .args(["check", "--format", "json"])
        .arg(&corpus)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked"),
        "trailcheck panicked:\n{stderr}"
    );
    let code = output.status.code().expect("exited normally");
    assert!(
        (0..=2).contains(&code),
        "unexpected exit code {code}:\n{stderr}"
    );
    let document: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON document");
    let summary = &document["summary"];
    let files = summary["files"].as_u64().expect("file count");
    assert!(files > 4000, "only {files} files found");
    let recognised =
        summary["templates"].as_u64().unwrap_or(0) + summary["plans"].as_u64().unwrap_or(0);
    assert!(
        recognised > 4000,
        "only {recognised} templates and plans recognised"
    );
    for finding in document["findings"].as_array().expect("findings") {
        let line = finding["line"].as_u64().expect("line");
        let column = finding["column"].as_u64().expect("column");
        assert!(
            line >= 1 && column >= 1,
            "finding without a position: {finding}"
        );
        let file = finding["file"].as_str().expect("file");
        let text = std::fs::read_to_string(file).expect("the finding's file exists");
        assert!(
            line as usize <= text.lines().count().max(1),
            "line past the end: {finding}"
        );
    }
    eprintln!(
        "corpus: {files} files, {recognised} templates and plans, {} findings, {} errors",
        summary["findings"], summary["errors"]
    );
}
