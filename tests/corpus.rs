//! Robustness sweep over the public corpus at `../shared/corpus` (about 5,000 real templates
//! and plans, described by its `MANIFEST.md`), read in place, never copied. Skips, saying so,
//! when the corpus is not checked out beside the repository; fails instead under `CI=true`.
//!
//! - The binary reads every file without a crash, writes one well-formed JSON document, and
//!   every finding points inside its file.
//! - Every file is recognised as its kind. The manifest has no per-file list, so each file's
//!   kind is derived here from its content with the manifest's definitions (SPEC §2 refines
//!   them, see [`expected_kind`]): JSON is parsed with serde_json, YAML with
//!   `trailcheck::parse` (no other YAML parser is a dependency). Templates and plans must be
//!   read as such, other data skipped with a reason.
//! - The intentionally broken files are `errors` entries with a line and column, and no other
//!   file is an error, [`RELAXED_YAML`] included: real templates that a YAML 1.1 parser
//!   (PyYAML, as used to build the manifest) and CloudFormation accept but a YAML 1.2 parser
//!   refuses.
//! - The output is the same bytes in two runs, and with one thread or the default.
//!
//! The binary runs once per mode and the library once, shared by the tests below.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use trailcheck::ingest::{self, FileOutcome, InputKind};
use trailcheck::parse::{self, Node, Syntax, Value};
use trailcheck::source::{FileId, SourceFile};

/// Templates that PyYAML (YAML 1.1) and CloudFormation read, but a YAML 1.2 parser (saphyr,
/// which follows its indentation rules strictly) refuses: a flow collection (`[ … ]`, `{ … }`)
/// or a quoted scalar continued on lines indented less than the key that holds it. trailcheck
/// reads them as CloudFormation does (`parse/relaxed.rs`); they are listed because the kinds
/// below are derived with that YAML 1.2 parser. Paths are relative to the corpus.
const RELAXED_YAML: &[&str] = &[
    // Quoted scalars continued at a lower indentation ("invalid indentation in quoted scalar").
    "aws-cloudformation__cfn-lint/at-v0.87.0/test/fixtures/templates/bad/limit_parameter_value.yaml",
    "aws-cloudformation__cfn-lint/at-v0.87.0/test/fixtures/templates/bad/outputs/description.yaml",
    "aws-samples__aws-management-and-governance-samples/AWSConfig/AWS-Config-Visualization/cft/Config-QuickSight-Visualization-SSM-Automation.yaml",
    "aws-samples__serverless-patterns/activemq-private-lambda-java-sam/ActiveMQAndClientEC2.yaml",
    "aws-samples__serverless-patterns/documentdb-lambda-java-sam/DocumentDBAndMongoClientEC2.yaml",
    "aws-samples__serverless-patterns/msk-lambda-iam-java-sam/MSKAndKafkaClientEC2.yaml",
    "aws-samples__serverless-patterns/msk-lambda-iam-node-sam/MSKAndKafkaClientEC2.yaml",
    "aws-samples__serverless-patterns/msk-lambda-iam-python-sam/MSKAndKafkaClientEC2.yaml",
    "aws-samples__serverless-patterns/msk-lambda-schema-avro-java-sam/MSKAndKafkaClientEC2.yaml",
    "aws-samples__serverless-patterns/rabbitmq-private-lambda-java-sam/RabbitMQAndClientEC2.yaml",
    // Flow collections whose items or closing bracket sit at a lower indentation ("invalid
    // indentation").
    "aws-samples__serverless-patterns/apigw-lambda-rust/template.yml",
    "aws-samples__serverless-patterns/apigw-ses-transformation/template.yaml",
    "aws-samples__serverless-patterns/appsync-lambda-sfn-sam/template.yaml",
    "aws-samples__serverless-patterns/lambda-iot-sam/template.yaml",
    "aws-samples__serverless-patterns/systems-manager-automation-to-stepfunctions/template.yaml",
    "bridgecrewio__checkov/tests/cloudformation/graph/graph_runner/resources/complex_jsonpath_if_condition/example.yaml",
];

/// What walking considers (SPEC §2).
const EXTENSIONS: &[&str] = &["json", "yaml", "yml", "template", "cft"];
const SKIPPED_DIRS: &[&str] = &[".git", "node_modules", ".terraform", "target"];

mod common;

use common::corpus;

// ---------------------------------------------------------------------------------------------
// The binary, once per mode.

/// The binary's runs over the whole corpus, shared by the tests.
struct BinaryRuns {
    /// `--format json --verbose`, default thread count, twice.
    json: [Output; 2],
    /// The same with `RAYON_NUM_THREADS=1`.
    json_one_thread: Output,
    /// `--format sarif`, default thread count and one thread.
    sarif: Output,
    sarif_one_thread: Output,
}

/// Starts the binary over the corpus; the runs go on side by side.
fn spawn(corpus: &Path, format: &str, threads: Option<&'static str>) -> Running {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trailcheck"));
    command
        .args(["check", "--no-config", "--verbose", "--format", format])
        .arg(corpus)
        .env("NO_COLOR", "1")
        .env_remove("RAYON_NUM_THREADS")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(threads) = threads {
        command.env("RAYON_NUM_THREADS", threads);
    }
    Running {
        child: command.spawn().expect("the binary starts"),
        what: format!("--format {format}, RAYON_NUM_THREADS {threads:?}"),
    }
}

struct Running {
    child: Child,
    what: String,
}

impl Running {
    /// Its output, once it exited normally and without a panic.
    fn output(self) -> Output {
        let output = self.child.wait_with_output().expect("the binary ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("panicked"),
            "trailcheck panicked ({}):\n{stderr}",
            self.what
        );
        assert!(
            matches!(output.status.code(), Some(0..=2)),
            "unexpected exit {:?} ({}):\n{stderr}",
            output.status,
            self.what
        );
        output
    }
}

fn binary_runs() -> Option<&'static BinaryRuns> {
    static RUNS: OnceLock<Option<BinaryRuns>> = OnceLock::new();
    RUNS.get_or_init(|| {
        let corpus = corpus()?;
        let running = [
            spawn(&corpus, "json", None),
            spawn(&corpus, "json", None),
            spawn(&corpus, "json", Some("1")),
            spawn(&corpus, "sarif", None),
            spawn(&corpus, "sarif", Some("1")),
        ];
        let [json, json_again, json_one_thread, sarif, sarif_one_thread] =
            running.map(Running::output);
        Some(BinaryRuns {
            json: [json, json_again],
            json_one_thread,
            sarif,
            sarif_one_thread,
        })
    })
    .as_ref()
}

// ---------------------------------------------------------------------------------------------
// The library, once: what trailcheck made of each file.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Template,
    Plan,
    /// Terraform configuration, read with its module.
    Configuration,
    Skipped(String),
    /// An error, with its 1-based line and column when it has a location.
    Error {
        at: Option<(usize, usize)>,
        message: String,
    },
}

struct LibraryRun {
    /// Every file the run read, by path as found.
    outcomes: BTreeMap<PathBuf, Outcome>,
    templates: usize,
    plans: usize,
}

fn library_run() -> Option<&'static LibraryRun> {
    static RUN: OnceLock<Option<LibraryRun>> = OnceLock::new();
    RUN.get_or_init(|| {
        let corpus = corpus()?;
        let run = trailcheck::check(
            std::slice::from_ref(&corpus),
            &[],
            &ingest::Options::default(),
        );
        let skipped: BTreeMap<&PathBuf, &String> =
            run.skipped.iter().map(|(path, why)| (path, why)).collect();
        let mut outcomes = BTreeMap::new();
        for error in &run.errors {
            let at = error.at.map(|(file, offset)| {
                let position = run.deployment.file(file).line_col(offset);
                (position.line, position.column)
            });
            // The first error of a file stands for it.
            outcomes
                .entry(error.path.clone())
                .or_insert_with(|| Outcome::Error {
                    at,
                    message: error.message.clone(),
                });
        }
        for file in &run.deployment.files {
            if outcomes.contains_key(&file.path) {
                continue;
            }
            let outcome = match skipped.get(&file.path) {
                Some(why) => Outcome::Skipped((*why).clone()),
                // Recognised: which kind is asked of the same ingestion, file by file.
                None => kind_of(&file.path),
            };
            outcomes.insert(file.path.clone(), outcome);
        }
        for (path, why) in &run.skipped {
            outcomes
                .entry(path.clone())
                .or_insert_with(|| Outcome::Skipped(why.clone()));
        }
        Some(LibraryRun {
            outcomes,
            templates: run.summary.templates,
            plans: run.summary.plans,
        })
    })
    .as_ref()
}

/// The kind `ingest` gives one file read on its own.
fn kind_of(path: &Path) -> Outcome {
    let text = std::fs::read_to_string(path).expect("a recognised file is UTF-8");
    let file = SourceFile::new(path.to_path_buf(), text, true);
    match ingest::ingest(FileId(0), &file, &ingest::Options::default()) {
        FileOutcome::Input(contents) => match contents.kind {
            InputKind::Template => Outcome::Template,
            InputKind::Plan => Outcome::Plan,
            InputKind::Configuration => Outcome::Configuration,
        },
        FileOutcome::Hcl(..) => Outcome::Configuration,
        FileOutcome::Skipped(why) => Outcome::Skipped(why),
        FileOutcome::Error(error) => Outcome::Error {
            at: None,
            message: error.message,
        },
    }
}

// ---------------------------------------------------------------------------------------------
// What each file is, derived from its content.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// CloudFormation, SAM or CDK-synthesized.
    Template,
    /// Terraform plan or state JSON.
    Plan,
    /// Parses, but is none of the above.
    Other,
    /// Neither JSON nor YAML, or not UTF-8.
    Unparseable,
    /// In [`RELAXED_YAML`]: a template for YAML 1.1 and CloudFormation, not for YAML 1.2.
    RelaxedYaml,
}

/// Every file walking considers under `root`: the extensions and skipped folders of SPEC §2,
/// symbolic links not followed.
fn considered_files(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("the corpus can be listed") {
            let entry = entry.expect("a corpus entry");
            let file_type = entry.file_type().expect("a file type");
            let path = entry.path();
            let name = entry.file_name();
            if file_type.is_dir() {
                if !SKIPPED_DIRS.iter().any(|skipped| name == *skipped) {
                    folders.push(path);
                }
            } else if file_type.is_file()
                && path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Every considered file of the corpus with its kind, derived once.
fn derived_kinds(corpus: &Path) -> &'static [(PathBuf, Kind)] {
    static KINDS: OnceLock<Vec<(PathBuf, Kind)>> = OnceLock::new();
    KINDS.get_or_init(|| {
        considered_files(corpus)
            .into_iter()
            .map(|path| {
                let kind = derive_kind(corpus, &path);
                (path, kind)
            })
            .collect()
    })
}

/// The kind of one file, from its content.
fn derive_kind(corpus: &Path, path: &Path) -> Kind {
    let relative = path.strip_prefix(corpus).expect("inside the corpus");
    if RELAXED_YAML
        .iter()
        .any(|known| relative == Path::new(known))
    {
        return Kind::RelaxedYaml;
    }
    let bytes = std::fs::read(path).expect("a corpus file can be read");
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Kind::Unparseable;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let looks_like_json = matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['));
    let document = looks_like_json
        .then(|| serde_json::from_str::<serde_json::Value>(text).ok())
        .flatten()
        .or_else(|| {
            parse::parse(text, Syntax::Yaml)
                .ok()
                .map(|node| to_json(&node))
        });
    match document {
        Some(document) => expected_kind(&document),
        None => Kind::Unparseable,
    }
}

/// A YAML tree as JSON (short-form tags already read as their long forms; later duplicate keys
/// win, as serde_json's do).
fn to_json(node: &Node<'_>) -> serde_json::Value {
    match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(text) | Value::String(text) => serde_json::Value::String(text.to_string()),
        Value::Seq(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|entry| (entry.key.to_string(), to_json(&entry.value)))
                .collect(),
        ),
    }
}

/// The manifest's definitions: CloudFormation = a mapping with a `Resources` mapping; plan =
/// `format_version` plus `planned_values` or `resource_changes`; state = `format_version` plus
/// `values`. SPEC §2 refines the first: some `Resources` entry must have a string `Type` (so
/// an empty `Resources` makes the file something else, while a template with a Rain module's
/// `Type: !Rain::Module …` or one resource without a `Type` is read for its other resources),
/// and an `AWSTemplateFormatVersion` key alone makes a template (the serverless-patterns
/// skeletons with an empty `Resources:`).
fn expected_kind(document: &serde_json::Value) -> Kind {
    let Some(top) = document.as_object() else {
        return Kind::Other;
    };
    let typed_resources = top
        .get("Resources")
        .and_then(serde_json::Value::as_object)
        .is_some_and(|resources| {
            resources
                .values()
                .any(|resource| resource.get("Type").is_some_and(|t| t.is_string()))
        });
    if top.contains_key("AWSTemplateFormatVersion") || typed_resources {
        return Kind::Template;
    }
    let plan_or_state = ["planned_values", "resource_changes", "values"]
        .iter()
        .any(|key| top.contains_key(*key));
    if top.contains_key("format_version") && plan_or_state {
        return Kind::Plan;
    }
    Kind::Other
}

/// The manifest's totals by kind: (templates incl. SAM and CDK, plans incl. states), when its
/// table can be read.
fn manifest_totals(corpus: &Path) -> Option<(u64, u64)> {
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.md")).ok()?;
    let count = |kind: &str| -> Option<u64> {
        manifest.lines().find_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            match cells.as_slice() {
                ["", name, number, ""] if *name == kind => number.parse().ok(),
                _ => None,
            }
        })
    };
    let templates = count("CloudFormation template")?
        + count("SAM template")?
        + count("CloudFormation template (CDK-synthesized)")?;
    let plans = count("Terraform plan JSON")? + count("Terraform state JSON (show -json)")?;
    Some((templates, plans))
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[test]
fn the_whole_corpus_is_read_without_a_crash() {
    let Some(runs) = binary_runs() else {
        return;
    };
    let output = &runs.json[0];
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
    let sarif: serde_json::Value =
        serde_json::from_slice(&runs.sarif.stdout).expect("one SARIF document");
    assert_eq!(sarif["version"], "2.1.0", "not a SARIF 2.1.0 log");
}

#[test]
fn every_corpus_file_is_recognised_as_its_kind() {
    let (Some(corpus), Some(run)) = (corpus(), library_run()) else {
        return;
    };
    let files = derived_kinds(&corpus);
    let mut failures = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (path, kind) in files {
        let kind = *kind;
        let outcome = run.outcomes.get(path);
        let shown = path.strip_prefix(&corpus).unwrap_or(path).display();
        let ok = match (kind, outcome) {
            (_, None) => {
                failures.push(format!("{shown}: never read ({kind:?})"));
                continue;
            }
            (Kind::Template, Some(Outcome::Template)) | (Kind::Plan, Some(Outcome::Plan)) => true,
            (Kind::Other, Some(Outcome::Skipped(why))) => !why.is_empty(),
            // Broken files are checked by `broken_corpus_files_are_errors_with_a_location`.
            (Kind::Unparseable, Some(_)) => true,
            (Kind::RelaxedYaml, Some(Outcome::Template)) => true,
            _ => false,
        };
        *counts.entry(kind_name(kind)).or_default() += 1;
        if !ok {
            failures.push(format!(
                "{shown}: expected {kind:?}, trailcheck: {outcome:?}"
            ));
        }
    }
    let read: BTreeSet<&PathBuf> = run.outcomes.keys().collect();
    let walked: BTreeSet<&PathBuf> = files.iter().map(|(path, _)| path).collect();
    for extra in read.difference(&walked) {
        failures.push(format!(
            "{}: read, but walking should not consider it",
            extra.display()
        ));
    }
    let templates = counts.get("template").copied().unwrap_or(0);
    let plans = counts.get("plan").copied().unwrap_or(0);
    let relaxed = counts.get("relaxed YAML").copied().unwrap_or(0);
    if run.templates != templates + relaxed || run.plans != plans {
        failures.push(format!(
            "summary: {} templates and {} plans; expected {templates} templates \
             (+ {relaxed} YAML 1.1 ones) and {plans} plans",
            run.templates, run.plans,
        ));
    }
    // The derivation above must agree with the manifest's own totals (which count a few files
    // walking never considers, and PyYAML's view of the exceptions): within 1%.
    if let Some((manifest_templates, manifest_plans)) = manifest_totals(&corpus) {
        let derived_templates = (templates + relaxed) as u64;
        for (what, derived, manifest) in [
            ("templates", derived_templates, manifest_templates),
            ("plans", plans as u64, manifest_plans),
        ] {
            if derived.abs_diff(manifest) * 100 > manifest {
                failures.push(format!(
                    "derived {derived} {what}, the manifest counts {manifest}"
                ));
            }
        }
    } else {
        common::skip("the manifest totals: no table in MANIFEST.md");
    }
    assert!(
        failures.is_empty(),
        "{} of {} files not recognised as their kind ({counts:?}):\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Template => "template",
        Kind::Plan => "plan",
        Kind::Other => "other",
        Kind::Unparseable => "unparseable",
        Kind::RelaxedYaml => "relaxed YAML",
    }
}

#[test]
fn broken_corpus_files_are_errors_with_a_location() {
    let (Some(corpus), Some(run), Some(runs)) = (corpus(), library_run(), binary_runs()) else {
        return;
    };
    let mut failures = Vec::new();
    let mut broken = BTreeSet::new();
    for (path, kind) in derived_kinds(&corpus) {
        if *kind == Kind::Unparseable {
            broken.insert(path.clone());
            match run.outcomes.get(path) {
                Some(Outcome::Error { at: Some(_), .. }) => {}
                outcome => failures.push(format!(
                    "{}: broken, but trailcheck gives {outcome:?}, not an error with a location",
                    path.display()
                )),
            }
        }
    }
    assert!(
        broken.len() >= 10,
        "only {} broken files found: is the derivation right?",
        broken.len()
    );
    // No other file is an error.
    for (path, outcome) in &run.outcomes {
        if let Outcome::Error { message, .. } = outcome {
            let relative = path.strip_prefix(&corpus).unwrap_or(path);
            if !broken.contains(path) {
                failures.push(format!(
                    "{}: parses as JSON or YAML, but is an error: {message}",
                    relative.display()
                ));
            }
        }
    }
    // The binary says the same, with a line and column in the JSON document.
    let document: serde_json::Value =
        serde_json::from_slice(&runs.json[0].stdout).expect("one JSON document");
    let mut reported: BTreeMap<PathBuf, &serde_json::Value> = BTreeMap::new();
    for error in document["errors"].as_array().expect("errors") {
        let file = PathBuf::from(error["file"].as_str().expect("file"));
        // The first error of a file, as above.
        reported.entry(file).or_insert(error);
    }
    for (path, outcome) in &run.outcomes {
        let Outcome::Error { at, .. } = outcome else {
            continue;
        };
        match reported.get(path) {
            None => failures.push(format!("{}: no error in the JSON output", path.display())),
            Some(error) => {
                let position = error["line"].as_u64().zip(error["column"].as_u64());
                let expected = at.map(|(line, column)| (line as u64, column as u64));
                if position != expected {
                    failures.push(format!(
                        "{}: the JSON output places the error at {position:?}, not {expected:?}",
                        path.display()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} broken-file failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_output_is_the_same_across_runs_and_thread_counts() {
    let Some(runs) = binary_runs() else {
        return;
    };
    let same = |a: &Output, b: &Output, what: &str| {
        assert_eq!(
            a.status.code(),
            b.status.code(),
            "{what}: exit codes differ"
        );
        if a.stdout != b.stdout {
            panic!(
                "{what}: stdout differs\n{}",
                first_difference(&a.stdout, &b.stdout)
            );
        }
        if a.stderr != b.stderr {
            panic!(
                "{what}: stderr differs\n{}",
                first_difference(&a.stderr, &b.stderr)
            );
        }
    };
    same(&runs.json[0], &runs.json[1], "two JSON runs");
    same(
        &runs.json[0],
        &runs.json_one_thread,
        "JSON, default threads vs one",
    );
    same(
        &runs.sarif,
        &runs.sarif_one_thread,
        "SARIF, default threads vs one",
    );
}

/// The first differing line of two outputs, for the failure message.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let a = String::from_utf8_lossy(a);
    let b = String::from_utf8_lossy(b);
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map_or_else(
            || format!("lengths {} and {}", a.len(), b.len()),
            |(index, (x, y))| format!("line {}:\n  {x}\n  {y}", index + 1),
        )
}
