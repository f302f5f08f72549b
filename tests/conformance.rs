#![allow(clippy::print_stderr)] // the tally of skipped entries must show in the test output
//! Conformance of `trailcheck test-pattern` with aws/event-ruler's matcher, checked against the
//! public test data of event-ruler and quamina at `../shared/corpus`, read in place (never copied
//! into the project). The expected outcomes live in `tests/conformance/expectations.json`, each
//! with the test or README section it comes from; see `tests/conformance/README.md`.
//!
//! Every entry that is not `skip` runs the real binary once. Mismatches are collected and
//! reported together. The whole test skips, saying so, when the corpus is not checked out, and
//! fails instead under `CI=true`.

mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

/// Where one side of an entry (pattern or event) comes from.
enum Doc {
    /// The whole corpus file is the document: handed to the binary as it is.
    File(PathBuf),
    /// A part of a corpus file: written to the scratch directory first.
    Part(Value),
}

/// Expected exit codes for each kind of expectation; `None` for `skip`.
fn wanted_codes(expect: &str) -> Option<&'static [i32]> {
    match expect {
        "match" => Some(&[0]),
        "no match" => Some(&[1]),
        "invalid" => Some(&[2]),
        "valid" => Some(&[0, 1]),
        _ => None,
    }
}

/// Reads (once) and parses a corpus file.
fn parsed<'a>(cache: &'a mut HashMap<PathBuf, Value>, path: &Path) -> Result<&'a Value, String> {
    if !cache.contains_key(path) {
        let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let value: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        cache.insert(path.to_path_buf(), value);
    }
    Ok(&cache[path])
}

/// Resolves `{"file": ..., "select": ...}` against the corpus.
///
/// `select` is `null` (the whole file), an integer (that element of the file's top-level array),
/// or `{"name": N, "member": M}` (member M of the top-level array's object whose `name` is N).
fn resolve(
    corpus: &Path,
    spec: &Value,
    cache: &mut HashMap<PathBuf, Value>,
) -> Result<Doc, String> {
    let file = spec["file"]
        .as_str()
        .ok_or_else(|| format!("no \"file\" in {spec}"))?;
    let path = corpus.join(file);
    let select = &spec["select"];
    if select.is_null() {
        return if path.is_file() {
            Ok(Doc::File(path))
        } else {
            Err(format!("{}: no such file", path.display()))
        };
    }
    let root = parsed(cache, &path)?;
    let items = root
        .as_array()
        .ok_or_else(|| format!("{file}: top level is not an array, cannot select {select}"))?;
    let picked = if let Some(index) = select.as_u64() {
        usize::try_from(index)
            .ok()
            .and_then(|i| items.get(i))
            .ok_or_else(|| format!("{file}: no element {index} (has {})", items.len()))?
    } else if let (Some(name), Some(member)) = (select["name"].as_str(), select["member"].as_str())
    {
        let mut found = items.iter().filter(|item| item["name"] == name);
        let item = found
            .next()
            .ok_or_else(|| format!("{file}: no entry named {name:?}"))?;
        if found.next().is_some() {
            return Err(format!("{file}: several entries named {name:?}"));
        }
        item.get(member)
            .ok_or_else(|| format!("{file}: entry {name:?} has no member {member:?}"))?
    } else {
        return Err(format!("{file}: unknown select {select}"));
    };
    Ok(Doc::Part(picked.clone()))
}

/// Gives the binary a path for `doc`, writing parts into `scratch` under a unique name.
fn materialise(doc: Doc, scratch: &Path, name: &str) -> Result<PathBuf, String> {
    match doc {
        Doc::File(path) => Ok(path),
        Doc::Part(value) => {
            let path = scratch.join(name);
            let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
            fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(path)
        }
    }
}

/// Keeps a report readable when the binary prints a lot.
fn clip(text: &str) -> String {
    const MAX: usize = 1500;
    let text = text.trim_end();
    if text.len() <= MAX {
        return text.to_owned();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], text.len())
}

/// Removes the scratch directory however the test ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn test_pattern_agrees_with_event_ruler_on_the_public_corpora() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Conformance needs event-ruler's and quamina's test data from the corpus.
    let Some(corpus) = common::corpus() else {
        return;
    };

    let table_path = root.join("tests/conformance/expectations.json");
    let table_text = fs::read_to_string(&table_path).expect("the expectations table is readable");
    let table: Value = serde_json::from_str(&table_text).expect("the expectations table is JSON");
    let entries = table.as_array().expect("the expectations table is a list");

    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let scratch = Scratch(std::env::temp_dir().join(format!(
        "trailcheck-conformance-{}-{nanos}",
        std::process::id()
    )));
    fs::create_dir_all(&scratch.0).expect("scratch directory");
    // Validity-only entries still need an event to run `test-pattern`; any valid one will do.
    let empty_event = scratch.0.join("empty-event.json");
    fs::write(&empty_event, "{}\n").expect("scratch event");

    let mut cache = HashMap::new();
    let mut seen_ids = HashMap::new();
    let mut tally: HashMap<String, usize> = HashMap::new();
    let mut skipped = Vec::new();
    let mut failures = Vec::new();

    for (index, entry) in entries.iter().enumerate() {
        let id = entry["id"].as_str().unwrap_or("<no id>");
        let expect = entry["expect"].as_str().unwrap_or("<no expect>");
        let source = entry["source"].as_str().unwrap_or("<no source>");
        let reason = entry["reason"].as_str().unwrap_or("<no reason>");
        let mut fail = |what: String| {
            failures.push(format!(
                "{id}: expected {expect}\n    source: {source}\n    reason: {reason}\n    {}",
                what.replace('\n', "\n    ")
            ));
        };

        if let Some(first) = seen_ids.insert(id.to_owned(), index) {
            fail(format!("duplicate id (first at entry {first})"));
            continue;
        }
        *tally.entry(expect.to_owned()).or_default() += 1;
        if expect == "skip" {
            skipped.push(format!("{id}: {reason}"));
            continue;
        }
        let Some(codes) = wanted_codes(expect) else {
            fail("unknown expectation (match, no match, invalid, valid or skip)".to_owned());
            continue;
        };

        let pattern = resolve(&corpus, &entry["pattern"], &mut cache)
            .and_then(|doc| materialise(doc, &scratch.0, &format!("{index:03}-pattern.json")));
        let event = match &entry["event"] {
            Value::Null => Ok(empty_event.clone()),
            spec => resolve(&corpus, spec, &mut cache)
                .and_then(|doc| materialise(doc, &scratch.0, &format!("{index:03}-event.json"))),
        };
        let (pattern, event) = match (pattern, event) {
            (Ok(p), Ok(e)) => (p, e),
            (Err(e), _) | (_, Err(e)) => {
                fail(format!("table entry does not resolve: {e}"));
                continue;
            }
        };

        let output = match Command::new(env!("CARGO_BIN_EXE_trailcheck"))
            .arg("test-pattern")
            .arg(&pattern)
            .arg(&event)
            .output()
        {
            Ok(output) => output,
            Err(e) => {
                fail(format!("could not run trailcheck: {e}"));
                continue;
            }
        };
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let code = output.status.code();
        let agrees = code.is_some_and(|c| codes.contains(&c)) && !stderr.contains("panicked");
        if !agrees {
            let got = code.map_or_else(|| "no exit code (killed)".to_owned(), |c| c.to_string());
            let mut what = format!("wanted exit {codes:?}, got {got}");
            for (label, text) in [("stdout", &stdout), ("stderr", &stderr)] {
                if !text.trim().is_empty() {
                    let _ = write!(what, "\n{label}: {}", clip(text));
                }
            }
            fail(what);
        }
    }

    let mut kinds: Vec<_> = tally.into_iter().collect();
    kinds.sort();
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    eprintln!(
        "conformance: {} entries ({})",
        entries.len(),
        kinds.join(", ")
    );
    for skip in &skipped {
        eprintln!("  skipped {skip}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} conformance entries disagree with trailcheck test-pattern:\n\n{}\n",
        failures.len(),
        entries.len(),
        failures.join("\n\n")
    );
}
