//! Runs every case under `testdata/cases/` through the real binary and compares its output
//! with the expectation files beside it.
//!
//! A case is a folder: `input/` holds the templates and plans of one deployment,
//! `expected.json` the output of `trailcheck check input --format json`, and `expected.txt`
//! the human output followed by the exit code. An optional `paths` file replaces `input` with
//! the paths it lists, and an optional `args` file adds arguments, one per line. A case's own
//! `trailcheck.toml` is its config; without one, cases run with `--no-config`. Adding a test means adding a folder. `UPDATE_EXPECT=1 cargo test --test cases`
//! rewrites the expectation files from the current output (review the diff before committing).
//!
//! Case names state what they show: `tc103-fires-…` must report TC103 and `tc103-silent-…`
//! must not, and every rule has both.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cases");
    let mut cases: Vec<PathBuf> = fs::read_dir(&root)
        .expect("testdata/cases exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.join("input").is_dir())
        .collect();
    cases.sort();
    cases
}

struct Output {
    stdout: String,
    code: i32,
}

fn run(case: &Path, format: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trailcheck"));
    command.current_dir(case).arg("check").env("NO_COLOR", "1");
    // The paths to check: `input` unless a `paths` file lists others (one per line).
    match fs::read_to_string(case.join("paths")) {
        Ok(paths) => command.args(paths.lines().map(str::trim).filter(|line| !line.is_empty())),
        Err(_) => command.arg("input"),
    };
    command.args(["--format", format]);
    // Hermetic: a case reads its own `trailcheck.toml`, never one found further up.
    if !case.join("trailcheck.toml").exists() {
        command.arg("--no-config");
    }
    if let Ok(args) = fs::read_to_string(case.join("args")) {
        command.args(args.lines().map(str::trim).filter(|line| !line.is_empty()));
    }
    let output = command.output().expect("the binary runs");
    Output {
        stdout: String::from_utf8(output.stdout).expect("UTF-8 output"),
        code: output.status.code().expect("exit code"),
    }
}

fn compare(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::write(path, actual).expect("expectation written");
        return;
    }
    let expected = fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
            .unified_diff()
            .header("expected", "actual")
            .to_string();
        failures.push(format!("{}:\n{diff}", path.display()));
    }
}

#[test]
fn every_case_matches_its_expectation() {
    let mut failures = Vec::new();
    let cases = cases();
    assert!(!cases.is_empty(), "no cases found");
    for case in &cases {
        let json = run(case, "json");
        let human = run(case, "human");
        compare(&case.join("expected.json"), &json.stdout, &mut failures);
        compare(
            &case.join("expected.txt"),
            &format!("{}[exit code {}]\n", human.stdout, human.code),
            &mut failures,
        );
        if json.code != human.code {
            failures.push(format!(
                "{}: exit code {} with json, {} with human",
                case.display(),
                json.code,
                human.code
            ));
        }
        let name = case
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let document: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON output");
        let reported: Vec<&str> = document["findings"]
            .as_array()
            .expect("findings array")
            .iter()
            .filter_map(|f| f["rule"].as_str())
            .collect();
        if let Some((id, verdict)) = name
            .split_once('-')
            .and_then(|(id, rest)| Some((id, rest.split('-').next()?)))
        {
            let id = id.to_uppercase();
            match verdict {
                "fires" if !reported.contains(&id.as_str()) => {
                    failures.push(format!("{name}: expected {id} to fire"))
                }
                "silent" if reported.contains(&id.as_str()) => {
                    failures.push(format!("{name}: expected {id} to stay silent"))
                }
                _ => {}
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_a_firing_and_a_silent_case() {
    let names: Vec<String> = cases()
        .iter()
        .filter_map(|c| c.file_name()?.to_str().map(str::to_owned))
        .collect();
    let output = Command::new(env!("CARGO_BIN_EXE_trailcheck"))
        .arg("rules")
        .output()
        .expect("runs");
    let rules = String::from_utf8(output.stdout).expect("UTF-8");
    for line in rules.lines() {
        let id = line
            .split_whitespace()
            .next()
            .expect("rule id")
            .to_lowercase();
        for verdict in ["fires", "silent"] {
            let prefix = format!("{id}-{verdict}-");
            assert!(
                names.iter().any(|n| n.starts_with(&prefix)),
                "no case named {prefix}…"
            );
        }
    }
}
