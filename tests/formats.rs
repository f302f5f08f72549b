//! `--format FORMAT[:FILE]` through the real binary: one analysis writes several formats, each
//! read back by its consumer's rules. GitLab Code Quality is validated against a JSON schema
//! written from GitLab's documentation of the format (`tests/schemas/gitlab-code-quality.json`);
//! JUnit XML is read back by quick-junit's parser (the Jenkins dialect) and its counts checked.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn trailcheck(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trailcheck"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// A scratch folder for this test's files.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("trailcheck-formats-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    dir
}

fn gitlab_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/schemas/gitlab-code-quality.json"))
        .expect("the schema");
    let schema: Value = serde_json::from_str(&text).expect("JSON");
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

/// One run writes human to the terminal and JSON, SARIF, GitLab and JUnit to files; each says
/// the same findings.
#[test]
fn one_analysis_writes_every_format() {
    let out = scratch("all");
    let file = |name: &str| out.join(name).to_string_lossy().into_owned();
    let output = trailcheck(
        root(),
        &[
            "check",
            "examples",
            "--format",
            "human",
            "--format",
            &format!("json:{}", file("a.json")),
            "--format",
            &format!("sarif:{}", file("a.sarif")),
            "--format",
            &format!("gitlab:{}", file("gl.json")),
            "--format",
            &format!("junit:{}", file("junit.xml")),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let human = String::from_utf8_lossy(&output.stdout);
    assert!(
        human.contains("error[TC103]") && human.contains("2 findings"),
        "{human}"
    );

    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("a.json")).unwrap()).unwrap();
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["TC103", "TC106"]);
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("a.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 2);

    let gitlab: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("gl.json")).unwrap()).unwrap();
    let errors: Vec<String> = gitlab_validator()
        .iter_errors(&gitlab)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let issues = gitlab.as_array().unwrap();
    assert_eq!(issues.len(), 2);
    assert_eq!(issues[0]["check_name"], "TC103 data-events-not-logged");
    assert_eq!(issues[0]["type"], "issue");
    assert_eq!(issues[0]["categories"], serde_json::json!(["Bug Risk"]));
    assert_eq!(issues[0]["severity"], "major");
    assert_eq!(issues[0]["location"]["path"], "examples/app.yaml");
    assert_eq!(issues[0]["location"]["lines"]["begin"], 19);
    assert_eq!(
        issues[0]["fingerprint"],
        sarif["runs"][0]["results"][0]["partialFingerprints"]["trailcheck/v1"]
    );

    let xml = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    let report = quick_junit::Report::deserialize_from_str(&xml).expect("JUnit XML");
    assert_eq!((report.tests, report.failures, report.errors), (3, 2, 0));
    let suites: Vec<&str> = report.test_suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        suites,
        ["examples/app.yaml", "examples/platform/trail.yaml"]
    );
    assert_eq!(report.test_suites[0].failures, 2);
    assert_eq!(
        report.test_suites[0].test_cases[0].name.as_str(),
        "TC103 GetObjectRule (line 19)"
    );
    assert_eq!(report.test_suites[1].failures, 0);
    let _ = std::fs::remove_dir_all(&out);
}

/// GitLab resolves paths against the repository root and tells issues apart by fingerprint:
/// paths stay repository-relative from any working folder, fingerprints unique, and an input
/// that cannot be read is reported too.
#[test]
fn gitlab_paths_are_repository_relative_and_fingerprints_unique() {
    // A repository whose examples folder the run starts in.
    let repository = scratch("repository");
    std::fs::create_dir_all(repository.join(".git")).unwrap();
    std::fs::create_dir_all(repository.join("examples/platform")).unwrap();
    for file in ["app.yaml", "platform/trail.yaml"] {
        std::fs::copy(
            root().join("examples").join(file),
            repository.join("examples").join(file),
        )
        .unwrap();
    }
    let from_examples = trailcheck(
        &repository.join("examples"),
        &["check", "--no-config", ".", "--format", "gitlab"],
    );
    let issues: Value = serde_json::from_slice(&from_examples.stdout).expect("JSON");
    assert_eq!(issues[0]["location"]["path"], "examples/app.yaml");
    let _ = std::fs::remove_dir_all(&repository);

    let broken = trailcheck(
        root(),
        &[
            "check",
            "testdata/cases/errors-unparseable-template/input",
            "--format",
            "gitlab",
        ],
    );
    assert_eq!(broken.status.code(), Some(2));
    let issues: Value = serde_json::from_slice(&broken.stdout).expect("JSON");
    assert!(gitlab_validator().is_valid(&issues));
    assert!(
        issues
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["check_name"] == "input-error" && i["severity"] == "blocker"),
        "{issues}"
    );

    // The same rule and message in two files: one fingerprint each.
    let dir = scratch("twice");
    let template = std::fs::read_to_string(
        root().join("testdata/cases/tc101-fires-s3-getobject-yaml/input/app.yaml"),
    )
    .unwrap();
    std::fs::write(dir.join("a.yaml"), &template).unwrap();
    std::fs::write(dir.join("b.yaml"), &template).unwrap();
    std::fs::write(dir.join("c.yaml"), &template).unwrap();
    let twice = trailcheck(
        &dir,
        &[
            "check",
            "--no-config",
            "--select",
            "TC101",
            ".",
            "--format",
            "gitlab",
        ],
    );
    let issues: Value = serde_json::from_slice(&twice.stdout).expect("JSON");
    let fingerprints: std::collections::HashSet<&str> = issues
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(issues.as_array().unwrap().len(), 3);
    assert_eq!(fingerprints.len(), 3);
    let first = issues[0]["fingerprint"].as_str().unwrap();
    assert_eq!(issues[1]["fingerprint"], format!("{first}-2"));
    assert_eq!(issues[2]["fingerprint"], format!("{first}-3"));
    let _ = std::fs::remove_dir_all(&dir);

    // The schema does reject what GitLab would.
    let wrong: Value = serde_json::json!([{"description": "d", "check_name": "c", "fingerprint": "f",
        "severity": "error", "location": {"path": "/abs/a.yaml"}}]);
    assert_eq!(gitlab_validator().iter_errors(&wrong).count(), 3);
}

/// JUnit: a suite per analysed file only, not per file passed over.
#[test]
fn junit_suites_are_the_analysed_files() {
    let output = trailcheck(
        root(),
        &[
            "check",
            "testdata/cases/discovery-skips-other-files/input",
            "--format",
            "junit",
        ],
    );
    let report =
        quick_junit::Report::deserialize_from_str(&String::from_utf8_lossy(&output.stdout))
            .expect("JUnit XML");
    let json = trailcheck(
        root(),
        &[
            "check",
            "testdata/cases/discovery-skips-other-files/input",
            "--format",
            "json",
        ],
    );
    let summary: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let analysed = summary["summary"]["templates"].as_u64().unwrap()
        + summary["summary"]["plans"].as_u64().unwrap();
    assert!(summary["summary"]["skipped"].as_u64().unwrap() > 0);
    assert_eq!(report.test_suites.len() as u64, analysed);
}

/// JUnit: a clean file is a passing test, an unreadable one a test in error.
#[test]
fn junit_counts_clean_files_and_errors() {
    let output = trailcheck(
        root(),
        &[
            "check",
            "examples/platform",
            "testdata/cases/errors-unparseable-template/input",
            "--format",
            "junit",
        ],
    );
    let report =
        quick_junit::Report::deserialize_from_str(&String::from_utf8_lossy(&output.stdout))
            .expect("JUnit XML");
    assert!(report.errors >= 1, "{report:?}");
    assert_eq!(report.failures, 0);
    assert!(
        report
            .test_suites
            .iter()
            .any(|s| s.name.as_str() == "examples/platform/trail.yaml"
                && s.test_cases[0].name.as_str() == "no findings")
    );
}

/// Standard output takes one format; a file that cannot be written is exit 2, not a silent loss.
#[test]
fn format_mistakes_are_errors() {
    let two = trailcheck(
        root(),
        &["check", "examples", "--format", "json", "--format", "sarif"],
    );
    assert_eq!(two.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&two.stderr).contains("only one `--format`"));
    let unknown = trailcheck(root(), &["check", "examples", "--format", "xml:out.xml"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("`xml` is no format"));
    let empty = trailcheck(root(), &["check", "examples", "--format", "json:"]);
    assert_eq!(empty.status.code(), Some(2));
    let unwritable = trailcheck(
        root(),
        &[
            "check",
            "examples",
            "--format",
            "json:no/such/folder/out.json",
        ],
    );
    assert_eq!(unwritable.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unwritable.stderr)
            .contains("cannot write no/such/folder/out.json")
    );
    // An output file is never written through a symbolic link (the repository could plant one).
    #[cfg(unix)]
    {
        let dir = scratch("link");
        let target = dir.join("precious.txt");
        std::fs::write(&target, "keep").unwrap();
        std::os::unix::fs::symlink(&target, dir.join("out.sarif")).unwrap();
        let linked = trailcheck(
            root(),
            &[
                "check",
                "examples",
                "--format",
                &format!("sarif:{}", dir.join("out.sarif").display()),
            ],
        );
        assert_eq!(linked.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&linked.stderr).contains("symbolic link"));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
