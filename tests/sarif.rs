//! `--format sarif` against the SARIF 2.1.0 JSON schema, and against what GitHub code scanning
//! relies on that a schema cannot say.
//!
//! The schema is not copied into this repository (it is OASIS's): the dev-dependency
//! `serde-sarif` ships it as `src/schema.json` to generate its types, and `cargo metadata` says
//! where cargo unpacked it. That copy is the 2.1.0 schema of the `sarif-spec` repository from
//! before OASIS's errata 01 (draft-07); what the errata changed is applied to it below
//! ([`errata_01`]), so the output is held to the current official schema.
//!
//! The documents come from the library (`trailcheck::check` and `render::sarif::write`) on the
//! bundled examples and a few cases of `testdata/cases`, run from the repository root with
//! relative paths, as CI would.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use trailcheck::Run;
use trailcheck::rules::{ALL, Severity};

/// Inputs with findings of every level the rules have, related locations, and a parse error.
const INPUTS: &[&str] = &[
    "examples",
    "testdata/cases/errors-unparseable-template/input",
    "testdata/cases/tc101-fires-terraform-plan/input",
    "testdata/cases/tc103-fires-sam-function-event/input",
    "testdata/cases/tc204-fires-typo-terraform/input",
];

fn check(path: &Path) -> Run {
    trailcheck::check(
        &[path.to_path_buf()],
        &[],
        &trailcheck::ingest::Options::default(),
    )
}

fn sarif(run: &Run) -> (String, Value) {
    let mut out = Vec::new();
    trailcheck::render::sarif::write(&mut out, run, trailcheck::render::sarif::RULES_URL)
        .expect("written to memory");
    let text = String::from_utf8(out).expect("UTF-8");
    let value = serde_json::from_str(&text).expect("valid JSON");
    (text, value)
}

fn json_output(run: &Run) -> Value {
    let mut out = Vec::new();
    trailcheck::render::json::write(&mut out, run).expect("written to memory");
    serde_json::from_slice(&out).expect("valid JSON")
}

/// Runs cargo as the tests were built with, in this package.
fn cargo(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The SARIF 2.1.0 schema as serde-sarif ships it, with errata 01's region rule.
fn schema() -> Value {
    let version = cargo(&["-vV"]);
    let host = version
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("`cargo -vV` names the host");
    // Only this platform's packages: those are the ones already downloaded for this build.
    let metadata: Value = serde_json::from_str(&cargo(&[
        "metadata",
        "--format-version=1",
        "--offline",
        "--filter-platform",
        host,
    ]))
    .expect("cargo metadata prints JSON");
    let manifest = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|package| package["name"] == "serde-sarif")
        .and_then(|package| package["manifest_path"].as_str())
        .expect("serde-sarif is a dev-dependency");
    let path = Path::new(manifest)
        .parent()
        .expect("a manifest is in a folder")
        .join("src/schema.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    errata_01(&mut schema["definitions"]);
    schema
}

/// What OASIS's errata 01 changed in the schema that serde-sarif's copy predates, apart from
/// `"type": "string"` beside each `enum` and `runs` allowing `null`, which change nothing
/// here: a region must have a start, and the `language` pattern lost a stray `]` that made it
/// an invalid regular expression.
fn errata_01(definitions: &mut Value) {
    let region = &mut definitions["region"];
    assert!(region.is_object(), "the schema defines `region`");
    region["anyOf"] = json!([
        {"required": ["startLine"]},
        {"required": ["charOffset"]},
        {"required": ["byteOffset"]},
    ]);
    for owner in ["run", "toolComponent"] {
        let language = &mut definitions[owner]["properties"]["language"];
        assert!(language.is_object(), "`{owner}` has a `language`");
        language["pattern"] = json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
}

#[test]
fn output_is_valid_sarif_2_1_0() {
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema())
        .expect("the schema compiles");
    let mut failures = Vec::new();
    for input in INPUTS {
        let (_, document) = sarif(&check(Path::new(input)));
        for error in validator.iter_errors(&document) {
            failures.push(format!("{input}: {} at {}", error, error.instance_path()));
        }
    }
    // A run with an absolute path, as `trailcheck check "$PWD"` gives.
    let absolute = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let (_, document) = sarif(&check(&absolute));
    for error in validator.iter_errors(&document) {
        failures.push(format!("absolute: {} at {}", error, error.instance_path()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The validator does reject what GitHub would: a made-up level, a region without a start.
    let (_, mut broken) = sarif(&check(Path::new("examples")));
    broken["runs"][0]["results"][0]["level"] = json!("fatal");
    broken["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"] = json!({});
    assert_eq!(validator.iter_errors(&broken).count(), 2);
}

/// The driver describes the rules of the results, each once, in the order of the rule book:
/// the log's size follows the findings (a rule's help is its whole page).
#[test]
fn the_rules_of_the_results_are_described_with_their_pages() {
    for input in INPUTS {
        let run = check(Path::new(input));
        let (text, document) = sarif(&run);
        let mut expected: Vec<&str> = ALL
            .iter()
            .filter(|info| run.findings.iter().any(|f| f.rule.id == info.id))
            .map(|info| info.id)
            .collect();
        expected.dedup();
        let rules = document["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules");
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, expected, "{input}");
        let page_sizes: usize = rules
            .iter()
            .map(|r| r["help"]["text"].as_str().unwrap().len())
            .sum();
        assert!(
            text.len() < 2 * page_sizes + 8_000 * (run.findings.len() + 1),
            "{input}: {} bytes for {} findings",
            text.len(),
            run.findings.len()
        );
    }
    let every: Vec<Run> = ["testdata/cases"]
        .iter()
        .map(|p| check(Path::new(p)))
        .collect();
    let (_, document) = sarif(&every[0]);
    describes_every_rule_found(&every[0], &document);
}

#[test]
fn every_rule_is_described_with_its_page() {
    let (_, document) = sarif(&check(Path::new("examples")));
    assert_eq!(
        document["$schema"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    assert_eq!(document["version"], "2.1.0");
    let runs = document["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "trailcheck");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        driver["informationUri"],
        "https://github.com/trailcheck/trailcheck"
    );
    let run = check(Path::new("examples"));
    describes_every_rule_found(&run, &document);
}

/// Each rule of the driver is described as its page says, linked to that page at this version.
fn describes_every_rule_found(run: &Run, document: &Value) {
    let rules = document["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert!(!rules.is_empty());
    for rule in rules {
        let info = ALL
            .iter()
            .find(|info| rule["id"] == info.id)
            .expect("a known rule");
        assert!(run.findings.iter().any(|f| f.rule.id == info.id));
        assert_eq!(rule["id"], info.id);
        assert_eq!(rule["name"], info.name);
        assert_eq!(rule["shortDescription"]["text"], info.summary());
        let full = rule["fullDescription"]["text"].as_str().expect("text");
        assert!(!full.is_empty() && !full.contains('\n'), "{full:?}");
        assert_eq!(rule["help"]["text"], info.doc);
        assert_eq!(rule["help"]["markdown"], info.doc);
        let level = match info.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level);
        let tags = rule["properties"]["tags"].as_array().expect("tags");
        assert!(tags.contains(&json!("eventbridge")));
        // The link names the page this rule's `explain` prints.
        let uri = rule["helpUri"].as_str().expect("helpUri");
        let page = uri
            .strip_prefix(&format!(
                "https://github.com/trailcheck/trailcheck/blob/v{}/rules/",
                env!("CARGO_PKG_VERSION")
            ))
            .expect("a page in rules/");
        let text = std::fs::read_to_string(Path::new("rules").join(page))
            .unwrap_or_else(|e| panic!("{}: rules/{page}: {e}", info.id));
        assert_eq!(text, info.doc, "{uri}");
    }
}

#[test]
fn results_match_the_findings() {
    for input in INPUTS {
        let run = check(Path::new(input));
        let (_, document) = sarif(&run);
        let json = json_output(&run);
        let sarif_run = &document["runs"][0];
        let rules = sarif_run["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules");
        let results = sarif_run["results"].as_array().expect("results");
        assert_eq!(results.len(), run.findings.len(), "{input}");
        let expected = json["findings"].as_array().expect("findings");
        for ((result, finding), expected) in results.iter().zip(&run.findings).zip(expected) {
            let at = format!("{input}: {}", finding.message);
            assert_eq!(result["ruleId"], finding.rule.id, "{at}");
            let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[index]["id"], finding.rule.id, "{at}");
            let level = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            assert_eq!(result["level"], level, "{at}");
            // A plan's snippet does not show the rule: its message opens with the address.
            let mut text = if input.contains("terraform") {
                format!("{}: {}", finding.resource, finding.message)
            } else {
                finding.message.clone()
            };
            if let Some(help) = &finding.help {
                text = format!("{text}\n{help}");
            }
            assert_eq!(result["message"]["text"], text, "{at}");
            assert_eq!(
                result["partialFingerprints"],
                json!({"trailcheck/v1": finding.fingerprint()}),
                "{at}"
            );

            // Where: the JSON output's file, line and columns.
            let locations = result["locations"].as_array().expect("locations");
            assert_eq!(locations.len(), 1, "{at}");
            let physical = &locations[0]["physicalLocation"];
            assert_eq!(
                physical["artifactLocation"]["uri"], expected["file"],
                "{at}"
            );
            assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            let region = &physical["region"];
            assert_eq!(region["startLine"], expected["line"], "{at}");
            assert_eq!(region["startColumn"], expected["column"], "{at}");
            assert_eq!(region["endLine"], expected["end_line"], "{at}");
            assert_eq!(region["endColumn"], expected["end_column"], "{at}");

            let related = result["relatedLocations"].as_array();
            let related = related.map_or(&[][..], Vec::as_slice);
            let expected = expected["related"].as_array().expect("related");
            assert_eq!(related.len(), expected.len(), "{at}");
            for (index, (related, expected)) in related.iter().zip(expected).enumerate() {
                assert_eq!(related["id"], index + 1, "{at}");
                assert_eq!(related["message"]["text"], expected["message"], "{at}");
                let physical = &related["physicalLocation"];
                assert_eq!(
                    physical["artifactLocation"]["uri"], expected["file"],
                    "{at}"
                );
                assert_eq!(physical["region"]["startLine"], expected["line"], "{at}");
                assert_eq!(
                    physical["region"]["startColumn"], expected["column"],
                    "{at}"
                );
            }
        }
    }
}

#[test]
fn errors_are_tool_notifications() {
    let run = check(Path::new(INPUTS[1]));
    assert!(!run.errors.is_empty(), "the case has a parse error");
    let (_, document) = sarif(&run);
    let json = json_output(&run);
    let invocation = &document["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let expected = json["errors"].as_array().expect("errors");
    assert_eq!(notifications.len(), expected.len());
    for (notification, expected) in notifications.iter().zip(expected) {
        assert_eq!(notification["level"], "error");
        assert_eq!(notification["message"]["text"], expected["message"]);
        let physical = &notification["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], expected["file"]);
        assert_eq!(physical["region"]["startLine"], expected["line"]);
        assert_eq!(physical["region"]["startColumn"], expected["column"]);
    }

    let (_, clean) = sarif(&check(Path::new("examples")));
    let invocation = &clean["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    assert!(invocation.get("toolExecutionNotifications").is_none());
}

#[test]
fn output_and_fingerprints_are_stable() {
    for input in INPUTS {
        let (first, _) = sarif(&check(Path::new(input)));
        let (second, _) = sarif(&check(Path::new(input)));
        assert_eq!(first, second, "{input}: two runs differ");
    }

    // FNV-1a of "TC103\0GetObjectRule\0<message>\0", worked out apart from the code: a
    // change here breaks every baseline and every code scanning alert's identity.
    let run = check(Path::new("examples"));
    let fingerprints: Vec<(&str, String)> = run
        .findings
        .iter()
        .map(|f| (f.rule.id, f.fingerprint()))
        .collect();
    assert_eq!(
        fingerprints,
        [
            ("TC103", "3fa79b6f8b75c472".to_owned()),
            ("TC106", "fe354e3014c696ee".to_owned()),
        ]
    );

    // Moved to another folder, under other names, with lines added above: same fingerprints.
    let moved = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sarif-moved");
    let _ = std::fs::remove_dir_all(&moved);
    std::fs::create_dir_all(moved.join("infra")).expect("temporary folder");
    for (from, to) in [
        ("examples/app.yaml", "infra/application.yaml"),
        ("examples/platform/trail.yaml", "audit.yaml"),
    ] {
        let text = std::fs::read_to_string(from).expect("example exists");
        std::fs::write(moved.join(to), format!("# moved\n\n{text}")).expect("copy written");
    }
    let moved_run = check(&moved);
    let moved_fingerprints: Vec<(&str, String)> = moved_run
        .findings
        .iter()
        .map(|f| (f.rule.id, f.fingerprint()))
        .collect();
    assert_eq!(moved_fingerprints, fingerprints);
    assert_ne!(
        moved_run.findings[0].loc.span, run.findings[0].loc.span,
        "the copy really moved the rule"
    );
}
