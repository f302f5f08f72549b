//! The real-world truth table: every public corpus file with EventBridge rules on
//! CloudTrail-delivered events, run alone (one file is one deployment), against the findings
//! derived by hand in `tests/truth/table.json` (see `tests/truth/README.md`).
//!
//! For each entry the binary runs from `../shared/corpus` as
//! `trailcheck check --format json <args> <file>`; the summary's rule and trail counts, its
//! error count (the entry's `errors`, 0 when absent), the exit code that follows from them, and
//! the set of `(rule, resource, line)` of the findings must match the table. Every mismatch is
//! collected and the test fails once, listing them all. The corpus is read in place, never
//! copied; without it the test says it skipped and passes, or fails under `CI=true`.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// One finding as the table and the comparison see it.
type Key = (String, String, u64);

fn key_line((rule, resource, line): &Key) -> String {
    format!("{rule} {resource} line {line}\n")
}

fn string<'a>(value: &'a Value, field: &str, entry: &str) -> &'a str {
    value[field]
        .as_str()
        .unwrap_or_else(|| panic!("table entry {entry}: `{field}` is not a string"))
}

fn number(value: &Value, field: &str, entry: &str) -> u64 {
    value[field]
        .as_u64()
        .unwrap_or_else(|| panic!("table entry {entry}: `{field}` is not a number"))
}

/// The findings the table expects for one entry; checks that each has a reason.
fn expected_keys(entry: &Value, file: &str) -> BTreeSet<Key> {
    let expected = entry["expected"]
        .as_array()
        .unwrap_or_else(|| panic!("table entry {file}: `expected` is not an array"));
    expected
        .iter()
        .map(|finding| {
            assert!(
                !string(finding, "reason", file).trim().is_empty(),
                "table entry {file}: a finding without a reason"
            );
            (
                string(finding, "rule", file).to_owned(),
                string(finding, "resource", file).to_owned(),
                number(finding, "line", file),
            )
        })
        .collect()
}

/// The findings trailcheck reported.
fn actual_keys(document: &Value) -> Result<BTreeSet<Key>, String> {
    let findings = document["findings"]
        .as_array()
        .ok_or("the output has no `findings` array")?;
    findings
        .iter()
        .map(|finding| {
            let rule = finding["rule"].as_str().ok_or("a finding without `rule`")?;
            let resource = finding["resource"]
                .as_str()
                .ok_or("a finding without `resource`")?;
            let line = finding["line"].as_u64().ok_or("a finding without `line`")?;
            Ok((rule.to_owned(), resource.to_owned(), line))
        })
        .collect()
}

/// Runs one entry and returns its mismatches (empty when it agrees with the table).
fn check_entry(corpus: &Path, entry: &Value) -> Vec<String> {
    let file = entry["file"]
        .as_str()
        .expect("every table entry has a `file`");
    let args: Vec<&str> = entry["args"]
        .as_array()
        .unwrap_or_else(|| panic!("table entry {file}: `args` is not an array"))
        .iter()
        .map(|arg| {
            arg.as_str()
                .unwrap_or_else(|| panic!("table entry {file}: an argument is not a string"))
        })
        .collect();
    let output = Command::new(env!("CARGO_BIN_EXE_trailcheck"))
        .current_dir(corpus)
        .args(["check", "--format", "json"])
        .args(&args)
        .arg(file)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let document: Value = match serde_json::from_slice(&output.stdout) {
        Ok(document) => document,
        Err(error) => {
            return vec![format!(
                "the output is not one JSON document ({error}); {}; stderr:\n{stderr}",
                output.status
            )];
        }
    };

    let mut mismatches = Vec::new();
    let summary = &document["summary"];
    let expected_errors = entry["errors"].as_u64().unwrap_or(0);
    for (field, expected) in [
        ("rules", number(entry, "rules", file)),
        ("trails", number(entry, "trails", file)),
        ("errors", expected_errors),
    ] {
        let actual = summary[field].as_u64();
        if actual != Some(expected) {
            mismatches.push(format!(
                "summary.{field}: table says {expected}, trailcheck says {}",
                actual.map_or_else(|| "nothing".to_owned(), |n| n.to_string())
            ));
        }
    }

    let expected = expected_keys(entry, file);
    match actual_keys(&document) {
        Ok(actual) if actual == expected => {}
        Ok(actual) => {
            let expected_text: String = expected.iter().map(key_line).collect();
            let actual_text: String = actual.iter().map(key_line).collect();
            let diff = similar::TextDiff::from_lines(&expected_text, &actual_text)
                .unified_diff()
                // Show every finding, not only those near a change.
                .context_radius(expected.len() + actual.len())
                .header("table", "trailcheck")
                .to_string();
            mismatches.push(format!("findings differ:\n{diff}"));
        }
        Err(problem) => mismatches.push(problem),
    }

    // Exit code 2 for an input error, else 1 for findings (all fail the default
    // `--fail-on warning`), else 0.
    let expected_code = if expected_errors > 0 {
        2
    } else if expected.is_empty() {
        0
    } else {
        1
    };
    if output.status.code() != Some(expected_code) {
        let actual = output
            .status
            .code()
            .map_or_else(|| "a signal".to_owned(), |code| code.to_string());
        mismatches.push(format!(
            "exit code: table implies {expected_code}, trailcheck exited with {actual}"
        ));
    }
    mismatches
}

#[test]
fn every_corpus_file_matches_the_truth_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(corpus) = common::corpus() else {
        return;
    };
    let table_path = root.join("tests/truth/table.json");
    let table: Value = serde_json::from_str(
        &std::fs::read_to_string(&table_path).expect("tests/truth/table.json is readable"),
    )
    .expect("tests/truth/table.json is valid JSON");
    let entries = table.as_array().expect("the table is an array of entries");
    assert!(!entries.is_empty(), "the table has no entries");

    let mut report = String::new();
    let mut failed = 0;
    let mut seen = BTreeSet::new();
    for entry in entries {
        let file = entry["file"]
            .as_str()
            .expect("every table entry has a `file`");
        assert!(seen.insert(file), "table entry {file} is listed twice");
        let mismatches = check_entry(&corpus, entry);
        if !mismatches.is_empty() {
            failed += 1;
            writeln!(report, "\n== {file}").expect("writing to a String");
            for mismatch in mismatches {
                writeln!(
                    report,
                    "  - {}",
                    mismatch.trim_end().replace('\n', "\n    ")
                )
                .expect("writing to a String");
            }
        }
    }
    assert!(
        failed == 0,
        "{failed} of {} corpus files disagree with tests/truth/table.json:\n{report}",
        entries.len()
    );
}
