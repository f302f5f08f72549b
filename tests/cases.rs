//! Runs every case under `testdata/cases/` through the real binary and checks what it finds
//! against the case's hand-written `expect` file, then its whole output against snapshots.
//!
//! A case is a folder: `input/` holds the templates and plans of one deployment. An optional
//! `paths` file replaces `input` with the paths it lists, and an optional `args` file adds
//! arguments, one per line. A case's own `trailcheck.toml` is its config; without one, cases
//! run with `--no-config`. Adding a test means adding a folder.
//!
//! `expect` states, written by hand from the fixture and the rule pages, what must be found:
//!
//! ```text
//! # A finding: its rule, `resource`, `file` and `line` as in the JSON output.
//! TC103 GetObjectRule input/app.yaml:15
//! # An input error: `error FILE:LINE`, or `error FILE` when it has no line.
//! error input/broken.yaml:17
//! ```
//!
//! Comments and blank lines are allowed; a file with nothing else expects nothing. The multiset
//! of `(rule, resource, file, line)` of the JSON findings, plus the errors, must be exactly the
//! lines of `expect` (a finding found twice is written twice); a case without `expect` fails.
//!
//! The snapshots are a second check: `expected.json` is the output of `trailcheck check input
//! --format json`, `expected.txt` the human output followed by the exit code. A missing snapshot
//! fails; `UPDATE_EXPECT=1 cargo test --test cases` writes the snapshots from the current output
//! (review the diff before committing), and never writes `expect`, which is still compared.
//!
//! Case names state what they show: `tc103-fires-…` must expect TC103 and `tc103-silent-…` must
//! not, and every rule has both. Each `tcNNN-…` case also runs with `--select TCNNN` alone, and
//! must then find exactly its `expect` lines of that rule (and the same errors).
//!
//! `TRAILCHECK_CASES=tc30,tc205` runs only the cases whose names start with one of the
//! prefixes, for a quick loop on a few rules (a mutation run of their checks, say).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every case, in name order.
fn all_cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cases");
    let mut cases: Vec<PathBuf> = fs::read_dir(&root)
        .expect("testdata/cases exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.join("input").is_dir())
        .collect();
    cases.sort();
    cases
}

/// The cases to run: all, or with `TRAILCHECK_CASES=tc30,tc205` those whose names start with
/// one of the prefixes (a mutation run of the target checks needs only their cases).
fn cases() -> Vec<PathBuf> {
    let only = std::env::var("TRAILCHECK_CASES").unwrap_or_default();
    let prefixes: Vec<&str> = only.split(',').filter(|p| !p.is_empty()).collect();
    let mut cases = all_cases();
    cases.retain(|path| {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        prefixes.is_empty() || prefixes.iter().any(|prefix| name.starts_with(prefix))
    });
    cases
}

struct Output {
    stdout: String,
    code: i32,
}

fn run(case: &Path, format: &str, extra: &[&str]) -> Output {
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
    command.args(extra);
    let output = command.output().expect("the binary runs");
    Output {
        stdout: String::from_utf8(output.stdout).expect("UTF-8 output"),
        code: output.status.code().expect("exit code"),
    }
}

fn compare_snapshot(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::write(path, actual).expect("snapshot written");
        return;
    }
    let Ok(expected) = fs::read_to_string(path) else {
        failures.push(format!(
            "{}: missing (UPDATE_EXPECT=1 writes it)",
            path.display()
        ));
        return;
    };
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
            .unified_diff()
            .header("expected", "actual")
            .to_string();
        failures.push(format!("{}:\n{diff}", path.display()));
    }
}

/// One line of `expect`, or of the output in the same form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Found {
    Finding {
        rule: String,
        resource: String,
        file: String,
        line: u64,
    },
    Error {
        file: String,
        line: Option<u64>,
    },
}

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Found::Finding {
                rule,
                resource,
                file,
                line,
            } => write!(f, "{rule} {resource} {file}:{line}"),
            Found::Error {
                file,
                line: Some(line),
            } => write!(f, "error {file}:{line}"),
            Found::Error { file, line: None } => write!(f, "error {file}"),
        }
    }
}

/// `FILE:LINE` split at its last colon.
fn file_and_line(location: &str) -> Option<(String, u64)> {
    let (file, line) = location.rsplit_once(':')?;
    Some((file.to_owned(), line.parse().ok()?))
}

/// The lines of an `expect` file; an error names the line that is not in the format.
fn parse_expect(text: &str) -> Result<Vec<Found>, String> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || {
            format!(
                "line {}: `{line}` is not in the `expect` format",
                number + 1
            )
        };
        if let Some(location) = line.strip_prefix("error ") {
            let location = location.trim();
            found.push(match file_and_line(location) {
                Some((file, line)) => Found::Error {
                    file,
                    line: Some(line),
                },
                None => Found::Error {
                    file: location.to_owned(),
                    line: None,
                },
            });
            continue;
        }
        // RULE RESOURCE FILE:LINE; a resource may hold spaces (a `for_each` key), a file not.
        let (rule, rest) = line.split_once(char::is_whitespace).ok_or_else(bad)?;
        let (resource, location) = rest
            .trim()
            .rsplit_once(char::is_whitespace)
            .ok_or_else(bad)?;
        let (file, line) = file_and_line(location).ok_or_else(bad)?;
        if !rule.starts_with("TC") {
            return Err(bad());
        }
        found.push(Found::Finding {
            rule: rule.to_owned(),
            resource: resource.trim().to_owned(),
            file,
            line,
        });
    }
    found.sort();
    Ok(found)
}

/// The findings and errors of a JSON output, in the form of `expect`.
fn found_in(json: &str) -> Vec<Found> {
    let document: serde_json::Value = serde_json::from_str(json).expect("JSON output");
    let text = |value: &serde_json::Value| value.as_str().expect("a string").to_owned();
    let mut found: Vec<Found> = document["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|finding| Found::Finding {
            rule: text(&finding["rule"]),
            resource: text(&finding["resource"]),
            file: text(&finding["file"]),
            line: finding["line"].as_u64().expect("a line"),
        })
        .chain(
            document["errors"]
                .as_array()
                .expect("errors array")
                .iter()
                .map(|error| Found::Error {
                    file: text(&error["file"]),
                    line: error["line"].as_u64(),
                }),
        )
        .collect();
    found.sort();
    found
}

/// What is expected and not found, and found and not expected, one per line; empty if equal.
fn difference(expected: &[Found], actual: &[Found]) -> String {
    let mut missing = expected.to_vec();
    let mut extra = Vec::new();
    for item in actual {
        match missing.iter().position(|e| e == item) {
            Some(index) => {
                missing.remove(index);
            }
            None => extra.push(item),
        }
    }
    let mut lines: Vec<String> = missing
        .iter()
        .map(|m| format!("  missing:    {m}"))
        .collect();
    lines.extend(extra.iter().map(|e| format!("  unexpected: {e}")));
    lines.join("\n")
}

/// `tc103-fires-…` → `("TC103", "fires")`.
fn rule_and_verdict(name: &str) -> Option<(String, &str)> {
    let (id, rest) = name.split_once('-')?;
    let is_rule_id =
        id.len() == 5 && id.starts_with("tc") && id[2..].bytes().all(|b| b.is_ascii_digit());
    is_rule_id.then(|| {
        (
            id.to_uppercase(),
            rest.split('-').next().unwrap_or_default(),
        )
    })
}

#[test]
fn every_case_matches_its_expectation() {
    let cases = cases();
    assert!(!cases.is_empty(), "no cases found");
    // The cases are independent runs of the binary: a worker per core takes the next one.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let mut failures: Vec<(usize, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut found = Vec::new();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(case) = cases.get(index) else {
                            return found;
                        };
                        found.push((index, check_case(case)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().expect("a case worker panicked"))
            .collect()
    });
    failures.sort_by_key(|(index, _)| *index);
    let failures: Vec<String> = failures.into_iter().flat_map(|(_, f)| f).collect();
    assert!(
        failures.is_empty(),
        "{} mismatches:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Runs one case and says how it disagrees with its expectation and snapshots.
fn check_case(case: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    let name = case
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let json = run(case, "json", &[]);
    let human = run(case, "human", &[]);

    // The hand-written statement first: it is what the snapshots cannot re-bless.
    let expected = match fs::read_to_string(case.join("expect")) {
        Ok(text) => parse_expect(&text).unwrap_or_else(|error| {
            failures.push(format!("{name}/expect: {error}"));
            Vec::new()
        }),
        Err(_) => {
            failures.push(format!(
                "{name}: no `expect` file; write by hand what the case must find"
            ));
            Vec::new()
        }
    };
    let actual = found_in(&json.stdout);
    let diff = difference(&expected, &actual);
    if !diff.is_empty() {
        failures.push(format!(
            "{name}: the output disagrees with `expect`:\n{diff}"
        ));
    }

    compare_snapshot(&case.join("expected.json"), &json.stdout, &mut failures);
    compare_snapshot(
        &case.join("expected.txt"),
        &format!("{}[exit code {}]\n", human.stdout, human.code),
        &mut failures,
    );
    if json.code != human.code {
        failures.push(format!(
            "{name}: exit code {} with json, {} with human",
            json.code, human.code
        ));
    }

    let Some((id, verdict)) = rule_and_verdict(name) else {
        return failures;
    };
    let states_rule = expected
        .iter()
        .any(|found| matches!(found, Found::Finding { rule, .. } if *rule == id));
    match verdict {
        "fires" if !states_rule => failures.push(format!("{name}: `expect` has no {id}")),
        "silent" if states_rule => {
            failures.push(format!("{name}: `expect` has {id}, the case says silent"))
        }
        "fires" | "silent" => {}
        _ => failures.push(format!("{name}: neither `fires` nor `silent`")),
    }
    // The rule alone finds what it finds among the others, and nothing else.
    let alone = run(case, "json", &["--select", &id]);
    let expected_alone: Vec<Found> = expected
        .iter()
        .filter(|found| match found {
            Found::Finding { rule, .. } => *rule == id,
            Found::Error { .. } => true,
        })
        .cloned()
        .collect();
    let diff = difference(&expected_alone, &found_in(&alone.stdout));
    if !diff.is_empty() {
        failures.push(format!(
            "{name} with `--select {id}`: the output disagrees with `expect`:\n{diff}"
        ));
    }
    failures
}

#[test]
fn expect_lines_are_read_as_documented() {
    let text = "# a comment\n\n  TC103 GetObjectRule input/app.yaml:15\n\
                TC204 aws_x.y[\"a key\"] input/plan.json:34\nerror input/broken.yaml:17\n\
                error input/unreadable.yaml\n";
    let found = parse_expect(text).expect("valid");
    let shown: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "TC103 GetObjectRule input/app.yaml:15",
            "TC204 aws_x.y[\"a key\"] input/plan.json:34",
            "error input/broken.yaml:17",
            "error input/unreadable.yaml",
        ]
    );
    assert_eq!(parse_expect("# nothing\n\n").expect("valid"), []);
    for bad in [
        "TC101",
        "TC101 input/app.yaml:3",
        "TC101 Rule input/app.yaml",
        "GetObjectRule input/app.yaml:3 TC101",
    ] {
        assert!(parse_expect(bad).is_err(), "`{bad}` was accepted");
    }
    let one = parse_expect("TC101 R f:1").expect("valid");
    let two = parse_expect("TC101 R f:1\nTC101 R f:1").expect("valid");
    assert!(
        !difference(&one, &two).is_empty(),
        "a repeated finding counts"
    );
}

#[test]
fn every_rule_has_a_firing_and_a_silent_case() {
    let names: Vec<String> = all_cases()
        .iter()
        .filter_map(|c| c.file_name()?.to_str().map(str::to_owned))
        .collect();
    let output = Command::new(env!("CARGO_BIN_EXE_trailcheck"))
        .arg("rules")
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "`trailcheck rules` failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let rules = String::from_utf8(output.stdout).expect("UTF-8");
    let ids: Vec<String> = rules
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            line.split_whitespace()
                .next()
                .expect("rule id")
                .to_lowercase()
        })
        .collect();
    assert!(!ids.is_empty(), "`trailcheck rules` listed no rule");
    // Every rule reads Terraform configuration too: a case of each verdict is written in it.
    let configuration: Vec<&String> = names
        .iter()
        .zip(all_cases())
        .filter(|(_, case)| holds_terraform_configuration(&case.join("input")))
        .map(|(name, _)| name)
        .collect();
    for id in &ids {
        for verdict in ["fires", "silent"] {
            let prefix = format!("{id}-{verdict}-");
            assert!(
                names.iter().any(|n| n.starts_with(&prefix)),
                "no case named {prefix}…"
            );
            assert!(
                configuration.iter().any(|n| n.starts_with(&prefix)),
                "no case named {prefix}… reads Terraform configuration (`.tf`)"
            );
        }
    }
}

/// Whether a folder holds a `.tf` or `.tf.json` file, at any depth.
fn holds_terraform_configuration(dir: &Path) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.filter_map(Result::ok).any(|entry| {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_lowercase();
        if path.is_dir() {
            holds_terraform_configuration(&path)
        } else {
            name.ends_with(".tf") || name.ends_with(".tf.json")
        }
    })
}
