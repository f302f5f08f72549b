//! Command-line behaviour through the real binary: exit codes, standard input, the rule
//! listing, and errors in arguments.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn trailcheck(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trailcheck"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/test-pattern"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().expect("stdin");
    // The binary may exit before reading (a usage error): a closed pipe is no failure here.
    let _ = input.write_all(stdin.unwrap_or_default().as_bytes());
    drop(input);
    child.wait_with_output().expect("the binary ends")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn test_pattern_exits_0_when_every_event_matches() {
    let output = trailcheck(
        &[
            "test-pattern",
            "s3-get-pattern.json",
            "get-object-event.json",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "get-object-event.json: match\n");
}

#[test]
fn test_pattern_exits_1_and_names_the_failing_field() {
    let output = trailcheck(
        &[
            "test-pattern",
            "s3-get-pattern.json",
            "get-object-event.json",
            "put-object-event.json",
            "other-bucket-event.json",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "get-object-event.json: match\n\
         put-object-event.json: no match: `detail.eventName` has no value the pattern accepts\n\
         other-bucket-event.json: no match: `detail.requestParameters.bucketName` has no value the pattern accepts\n"
    );
}

#[test]
fn test_pattern_reads_one_argument_from_standard_input() {
    let event = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/test-pattern/get-object-event.json"),
    )
    .expect("fixture");
    let output = trailcheck(&["test-pattern", "s3-get-pattern.json", "-"], Some(&event));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "<stdin>: match\n");
    let output = trailcheck(&["test-pattern", "-", "-"], Some("{}"));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("standard input (`-`) can be given only once"));
}

/// A pattern or an event may be written inline; each is named by its place.
#[test]
fn test_pattern_reads_inline_json() {
    let output = trailcheck(
        &[
            "test-pattern",
            r#"{"source": ["aws.s3"]}"#,
            r#"{"source": "aws.s3"}"#,
            "get-object-event.json",
            r#" {"source": "aws.ec2"}"#,
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "<event 1>: match\nget-object-event.json: match\n\
         <event 3>: no match: `source` has no value the pattern accepts\n"
    );
    let invalid = trailcheck(
        &[
            "test-pattern",
            r#"{"source": "aws.s3"}"#,
            r#"{"source": "aws.s3"}"#,
        ],
        None,
    );
    assert_eq!(invalid.status.code(), Some(2));
    assert!(
        stderr(&invalid).contains("<pattern>:1:12"),
        "{}",
        stderr(&invalid)
    );
}

/// `--schema` checks the pattern against the event schemas as `check` does, alone or with
/// events: a finding makes the exit code 1.
#[test]
fn test_pattern_checks_the_schema() {
    let wrong = r#"{"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], "detail": {"State": ["stopped"]}}"#;
    let output = trailcheck(&["test-pattern", "--schema", wrong], None);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.starts_with("warning[TC206]: `EC2 Instance State-change Notification` events have no `detail.State`, but have `detail.state`"),
        "{err}"
    );
    assert!(err.contains("<pattern>:1:"), "{err}");
    let right = wrong.replace(r#"{"State""#, r#"{"state""#);
    let event = r#"{"source": "aws.ec2", "detail-type": "EC2 Instance State-change Notification", "detail": {"state": "stopped"}}"#;
    let output = trailcheck(&["test-pattern", "--schema", &right, event], None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "<event 1>: match\n");
    assert_eq!(stderr(&output), "");
    // Without `--schema`, the pattern is only matched.
    let output = trailcheck(&["test-pattern", wrong, event], None);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), "");
    let none = trailcheck(&["test-pattern", wrong], None);
    assert_eq!(
        none.status.code(),
        Some(2),
        "events are needed without --schema"
    );
}

/// A pattern file that cannot be read is a file error, not a pattern EventBridge rejects.
#[test]
fn test_pattern_says_when_the_pattern_file_is_missing() {
    let output = trailcheck(
        &[
            "test-pattern",
            "no-such-pattern.json",
            "get-object-event.json",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.starts_with("error: cannot read the pattern no-such-pattern.json: "),
        "{err}"
    );
    assert!(!err.contains("TC201") && !err.contains("rejects"), "{err}");
}

/// `check -` reads one input from standard input; `--stdin-filename` names it, and it stands
/// in for that file on disk when the rest of the repository is read for context.
#[test]
fn check_reads_standard_input() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str], input: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_trailcheck"))
            .current_dir(root)
            .args(["check", "--no-config", "--format", "json"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let mut stdin = child.stdin.take().expect("stdin");
        let _ = stdin.write_all(input.as_bytes());
        drop(stdin);
        child.wait_with_output().expect("the binary ends")
    };
    let found = |output: &Output| -> Vec<(String, String)> {
        let document: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("JSON output");
        document["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_owned(),
                    f["file"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let app = std::fs::read_to_string(root.join("examples/app.yaml")).expect("example");
    let alone = run(&["-"], &app);
    assert_eq!(alone.status.code(), Some(1));
    assert_eq!(
        found(&alone),
        [
            ("TC101", "<stdin>"),
            ("TC101", "<stdin>"),
            ("TC106", "<stdin>")
        ]
        .map(|(r, f)| (r.to_owned(), f.to_owned()))
    );
    let named = run(
        &[
            "-",
            "--stdin-filename",
            "examples/app.yaml",
            "--context",
            "examples",
        ],
        &app,
    );
    assert_eq!(
        found(&named),
        [
            ("TC103", "examples/app.yaml"),
            ("TC106", "examples/app.yaml")
        ]
        .map(|(r, f)| (r.to_owned(), f.to_owned()))
    );
    // The trail as an editor holds it, unsaved: it selects the bucket now, so the rule that
    // waited for reads gets them, though the file on disk says otherwise.
    let trail = std::fs::read_to_string(root.join("examples/platform/trail.yaml"))
        .expect("example")
        .replace(
            "      S3BucketName: !Ref TrailBucket",
            "      S3BucketName: !Ref TrailBucket\n      EventSelectors:\n        - ReadWriteType: All\n          DataResources:\n            - Type: AWS::S3::Object\n              Values: [\"arn:aws:s3:::my-bucket/\"]",
        );
    let edited = run(
        &[
            "-",
            "--stdin-filename",
            "examples/platform/trail.yaml",
            "--context",
            "examples",
        ],
        &trail,
    );
    assert_eq!(found(&edited), []);
    assert_eq!(edited.status.code(), Some(0), "{}", stderr(&edited));

    let twice = run(&["-", "-"], "");
    assert_eq!(twice.status.code(), Some(2));
    assert!(stderr(&twice).contains("only once"));
    let no_dash = run(&["--stdin-filename", "a.yaml", "examples"], "");
    assert_eq!(no_dash.status.code(), Some(2));
    assert!(stderr(&no_dash).contains("give `-` as a path"));
}

#[test]
fn test_pattern_exits_2_on_an_invalid_pattern_with_a_tc201_message() {
    let output = trailcheck(
        &[
            "test-pattern",
            "scalar-leaf-pattern.json",
            "get-object-event.json",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.starts_with("error[TC201]: EventBridge rejects this event pattern at `source`"),
        "{err}"
    );
    assert!(err.contains("scalar-leaf-pattern.json:1:12"), "{err}");
}

#[test]
fn test_pattern_exits_2_on_an_invalid_event() {
    let output = trailcheck(
        &[
            "test-pattern",
            "s3-get-pattern.json",
            "broken-event.json",
            "get-object-event.json",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("broken-event.json: invalid JSON at 2:1"),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&output), "get-object-event.json: match\n");
}

#[test]
fn rules_lists_every_rule_and_explain_prints_its_page() {
    let output = trailcheck(&["rules"], None);
    assert_eq!(output.status.code(), Some(0));
    let rules = stdout(&output);
    assert!(rules.lines().any(|l| l.starts_with("TC103")
        && l.contains("data-events-not-logged")
        && l.contains("error")));
    let by_id = trailcheck(&["explain", "tc103"], None);
    let by_name = trailcheck(&["explain", "data-events-not-logged"], None);
    assert_eq!(by_id.status.code(), Some(0));
    assert!(stdout(&by_id).starts_with("# TC103 `data-events-not-logged`"));
    assert_eq!(stdout(&by_id), stdout(&by_name));
    let unknown = trailcheck(&["explain", "TC999"], None);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn check_exits_2_on_a_missing_path_and_on_bad_arguments() {
    let missing = trailcheck(&["check", "no-such-folder"], None);
    assert_eq!(missing.status.code(), Some(2));
    let bad = trailcheck(&["check", "--format", "xml"], None);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn fail_on_sets_the_lowest_failing_severity() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let examples = examples.to_str().expect("UTF-8 path");
    assert_eq!(
        trailcheck(&["check", examples], None).status.code(),
        Some(1)
    );
    assert_eq!(
        trailcheck(&["check", "--fail-on", "error", examples], None)
            .status
            .code(),
        Some(1)
    );
    let json = trailcheck(&["check", "--format", "json", examples], None);
    let document: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(document["version"], 1);
    assert_eq!(document["summary"]["findings"], 2);
}

#[test]
fn a_baseline_hides_known_findings_and_only_those() {
    let dir = std::env::temp_dir().join(format!("trailcheck-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let baseline = dir.join("baseline.json");
    let baseline = baseline.to_str().expect("UTF-8 path");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let examples = examples.to_str().expect("UTF-8 path");

    let written = trailcheck(
        &[
            "check",
            "--no-config",
            "--write-baseline",
            baseline,
            examples,
        ],
        None,
    );
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    let known = trailcheck(
        &["check", "--no-config", "--baseline", baseline, examples],
        None,
    );
    assert_eq!(known.status.code(), Some(0), "{}", stdout(&known));

    // A finding the baseline does not hold still fails the run.
    let fresh = dir.join("fresh.yaml");
    std::fs::write(
        &fresh,
        "Resources:\n  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern:\n        source: aws.ec2\n",
    )
    .expect("fixture");
    let with_new = trailcheck(
        &[
            "check",
            "--no-config",
            "--baseline",
            baseline,
            examples,
            fresh.to_str().expect("UTF-8"),
        ],
        None,
    );
    assert_eq!(with_new.status.code(), Some(1));
    assert!(stdout(&with_new).contains("TC201"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_plan_on_one_long_line_renders_without_its_snippet() {
    // `terraform show -json` writes the whole plan on one line.
    let dir = std::env::temp_dir().join(format!("trailcheck-long-line-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let pattern = r#"{\"detail-type\":[\"AWS API Call via CloudTrail\"],\"source\":[\"aws.ec2\"],\"detail\":{\"eventName\":[\"RunInstances\"]}}"#;
    let plan = format!(
        r#"{{"format_version":"1.2","planned_values":{{"root_module":{{"resources":[{{"address":"aws_ssm_parameter.big","mode":"managed","type":"aws_ssm_parameter","name":"big","values":{{"value":"{}"}}}},{{"address":"aws_cloudwatch_event_rule.r","mode":"managed","type":"aws_cloudwatch_event_rule","name":"r","values":{{"event_pattern":"{pattern}","state":"ENABLED","event_bus_name":"default"}}}}]}}}}}}"#,
        "x".repeat(100_000)
    );
    let path = dir.join("plan.json");
    std::fs::write(&path, plan).expect("plan written");
    let output = trailcheck(
        &["check", "--no-config", path.to_str().expect("UTF-8")],
        None,
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("error[TC101]"), "{text}");
    assert!(
        text.contains("plan.json:1:"),
        "the message says where: {text}"
    );
    assert!(
        text.len() < 5_000,
        "the long line is not printed ({} bytes)",
        text.len()
    );
}

/// A run that analysed no template, plan or Terraform configuration says so, on standard
/// error and in the JSON summary; a run that analysed one (a folder of `.tf` files) says
/// nothing of the kind, and counts its root modules.
#[test]
fn a_run_that_analyses_nothing_says_so() {
    let dir = std::env::temp_dir().join(format!("trailcheck-cli-nothing-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("other")).expect("a scratch folder");
    std::fs::write(dir.join("other/package.json"), "{\"name\": \"x\"}\n").expect("scratch");
    std::fs::write(dir.join("other/ci.yml"), "on: [push]\n").expect("scratch");
    let other = dir.join("other");
    let path = other.to_str().expect("a UTF-8 path");

    let human = trailcheck(&["check", path], None);
    assert_eq!(human.status.code(), Some(0), "{}", stderr(&human));
    let warning = stderr(&human);
    assert!(
        warning.starts_with("warning: nothing was analysed: none of the 2 files read"),
        "{warning}"
    );
    assert!(warning.contains("Terraform configuration"), "{warning}");

    let json = trailcheck(&["check", "--format", "json", path], None);
    let document: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let summary = &document["summary"];
    assert_eq!(summary["modules"], 0);
    let warnings = summary["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1);

    let github = trailcheck(&["check", "--format", "github", path], None);
    assert!(
        stdout(&github).starts_with("::warning title=trailcheck::nothing was analysed"),
        "{}",
        stdout(&github)
    );

    // A root module calling a module in a folder of its own: one root, read.
    std::fs::create_dir_all(dir.join("infra/modules/events")).expect("a scratch folder");
    std::fs::write(
        dir.join("infra/main.tf"),
        "module \"events\" {\n  source = \"./modules/events\"\n}\n",
    )
    .expect("scratch");
    std::fs::write(
        dir.join("infra/modules/events/rule.tf"),
        "resource \"aws_cloudwatch_event_rule\" \"r\" {\n  schedule_expression = \"rate(1 hour)\"\n}\n",
    )
    .expect("scratch");
    let infra = dir.join("infra");
    let analysed = trailcheck(
        &["check", "--format", "json", infra.to_str().expect("UTF-8")],
        None,
    );
    assert!(
        !stderr(&analysed).contains("nothing was analysed"),
        "{}",
        stderr(&analysed)
    );
    let document: serde_json::Value = serde_json::from_slice(&analysed.stdout).expect("JSON");
    assert_eq!(document["summary"]["warnings"], serde_json::json!([]));
    assert_eq!(document["summary"]["modules"], 1);
    assert_eq!(document["summary"]["rules"], 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--color` decides; under `auto`, `NO_COLOR` turns colour off, `FORCE_COLOR` and
/// `CLICOLOR_FORCE` turn it on where standard output is no terminal (as here), `NO_COLOR`
/// winning over both.
#[test]
fn colour_follows_the_flag_then_the_environment() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let coloured = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_trailcheck"));
        command
            .current_dir(&examples)
            .arg("check")
            .args(args)
            .arg(".");
        for name in ["NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "TERM"] {
            command.env_remove(name);
        }
        for (name, value) in env {
            command.env(name, value);
        }
        let output = command.output().expect("the binary runs");
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        output.stdout.contains(&0x1b)
    };
    assert!(!coloured(&[], &[]), "not a terminal");
    assert!(coloured(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!coloured(&["--color", "never"], &[("FORCE_COLOR", "1")]));
    assert!(coloured(&[], &[("FORCE_COLOR", "1")]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&[], &[("CLICOLOR_FORCE", "0")]));
    assert!(!coloured(&[], &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]));
    assert!(coloured(&[], &[("FORCE_COLOR", "1"), ("NO_COLOR", "")]));
    assert!(coloured(&[], &[("FORCE_COLOR", "1"), ("TERM", "dumb")]));
    assert!(!coloured(&[], &[("TERM", "dumb")]));
}

/// Standard input is read up to the size limit of a file (512 MiB), never past it: a larger
/// input is an error that says so, not a truncated template.
#[test]
fn check_refuses_standard_input_over_the_size_limit() {
    const LIMIT: usize = 512 << 20;
    let mut child = Command::new(env!("CARGO_BIN_EXE_trailcheck"))
        .args(["check", "--no-config", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..LIMIT / chunk.len() {
            if input.write_all(&chunk).is_err() {
                return;
            }
        }
        let _ = input.write_all(b" ");
    });
    let output = child.wait_with_output().expect("the binary ends");
    writer.join().expect("the writer ends");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("standard input is larger than 512 MiB"),
        "{}",
        stderr(&output)
    );
}

/// `--verbose` names the config the run used, as the user would write its path.
#[test]
fn verbose_names_the_config_used() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/cases/suppression-metadata-and-config-ignore");
    let verbose = |dir: &Path, args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_trailcheck"))
            .current_dir(dir)
            .args(["check", "--verbose"])
            .args(args)
            .arg(".")
            .output()
            .expect("the binary runs");
        stderr(&output)
    };
    assert!(verbose(&case, &[]).contains("config: trailcheck.toml\n"));
    // Found in a parent, inside a repository (discovery stops at its root).
    let repository =
        std::env::temp_dir().join(format!("trailcheck-verbose-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&repository);
    std::fs::create_dir_all(repository.join(".git")).expect("scratch");
    std::fs::create_dir_all(repository.join("input")).expect("scratch");
    std::fs::copy(
        case.join("trailcheck.toml"),
        repository.join("trailcheck.toml"),
    )
    .expect("scratch");
    assert!(verbose(&repository.join("input"), &[]).contains("config: ../trailcheck.toml\n"));
    let _ = std::fs::remove_dir_all(&repository);
    assert!(verbose(&case, &["--no-config"]).contains("config: none\n"));
    assert!(verbose(&case, &["--config", "trailcheck.toml"]).contains("config: trailcheck.toml\n"));
}

/// `[[deployments]]`: each deployment is analysed alone with the files it shares, whatever the
/// folder the run starts in (the globs are relative to the config's folder); the findings name
/// the deployments they are found in, and `--verbose` lists each deployment's files.
#[test]
fn deployments_are_analysed_alone() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/cases/deployments-each-analysed-alone");
    let run = |dir: &Path, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_trailcheck"))
            .current_dir(dir)
            .args(["check", "--format", "json"])
            .args(args)
            .output()
            .expect("the binary runs")
    };
    let found = |output: &Output| -> Vec<(String, Vec<String>)> {
        let document: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("JSON output");
        document["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                let deployments = f["deployments"].as_array().map_or_else(Vec::new, |d| {
                    d.iter().map(|d| d.as_str().unwrap().to_owned()).collect()
                });
                (f["resource"].as_str().unwrap().to_owned(), deployments)
            })
            .collect()
    };
    let expected = vec![
        ("ReadsRule".to_owned(), vec!["prod".to_owned()]),
        (
            "SharedReadsRule".to_owned(),
            vec!["prod".to_owned(), "default".to_owned()],
        ),
        ("ToolReadsRule".to_owned(), vec!["default".to_owned()]),
    ];
    let from_case = run(&case, &["."]);
    assert_eq!(from_case.status.code(), Some(1));
    assert_eq!(found(&from_case), expected);
    let from_input = run(
        &case.join("input"),
        &["--config", "../trailcheck.toml", "."],
    );
    assert_eq!(
        found(&from_input),
        expected,
        "globs are relative to the config"
    );
    // Without the files of no deployment that declare something, there is no `default`: the
    // shared rule is found in prod alone (a template in none that declares nothing the analysis
    // reads makes no deployment).
    let declared_only = run(&case, &["input/envs", "input/platform", "input/misc"]);
    assert_eq!(
        found(&declared_only),
        vec![
            ("ReadsRule".to_owned(), vec!["prod".to_owned()]),
            ("SharedReadsRule".to_owned(), vec!["prod".to_owned()]),
        ]
    );
    // One deployment, as without the config: the sandbox trail hides every finding.
    let together = run(&case, &["--no-config", "."]);
    assert_eq!(
        (found(&together), together.status.code()),
        (vec![], Some(0))
    );

    let verbose = Command::new(env!("CARGO_BIN_EXE_trailcheck"))
        .current_dir(&case)
        .args(["check", "--verbose", "."])
        .output()
        .expect("the binary runs");
    let listed = stderr(&verbose);
    assert!(
        listed.contains(
            "deployment `sandbox`: input/envs/sandbox/rules.yaml, input/envs/sandbox/trail.yaml, \
             input/platform/creates.yaml, input/platform/rules.yaml, input/platform/trail.yaml\n"
        ),
        "{listed}"
    );
    assert!(
        listed.contains("deployment `default`: input/platform/creates.yaml, input/platform/rules.yaml, input/platform/trail.yaml, input/tools/rules.yaml\n"),
        "{listed}"
    );
    assert!(
        stdout(&verbose).contains("(deployments `prod`, `default`)"),
        "{}",
        stdout(&verbose)
    );
}

/// Several rules without a trail share one cause: the way to describe a trail outside the files
/// is said once, in a note, and each finding points at it; a single one carries it in its help.
#[test]
fn a_shared_cause_is_said_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let json = |path: &str| -> serde_json::Value {
        let output = Command::new(env!("CARGO_BIN_EXE_trailcheck"))
            .current_dir(root)
            .args(["check", "--no-config", "--format", "json", path])
            .output()
            .expect("the binary runs");
        serde_json::from_slice(&output.stdout).expect("JSON")
    };
    let two = json("examples/app.yaml");
    let helps: Vec<&str> = two["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "TC101")
        .map(|f| f["help"].as_str().unwrap())
        .collect();
    assert_eq!(helps.len(), 2);
    for help in helps {
        assert!(help.contains("see the note after the findings"), "{help}");
        assert!(!help.contains("[[trails]]"), "{help}");
    }
    let notes = two["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    let note = notes[0].as_str().unwrap();
    assert!(
        note.starts_with("2 rules find no CloudTrail trail"),
        "{note}"
    );
    assert!(
        note.contains("preset = \"organization-management\""),
        "{note}"
    );
    assert!(note.contains("--external-trails"), "{note}");

    let one = json("testdata/cases/tc101-fires-trail-name-parameter-yaml/input");
    assert_eq!(one["notes"], serde_json::json!([]));
    let finding = &one["findings"][0];
    let help = finding["help"].as_str().unwrap();
    assert!(
        help.contains("[[trails]]\nName = \"org-trail\"\npreset = \"organization-management\""),
        "{help}"
    );
    assert!(help.contains("get-event-selectors"), "{help}");
    assert_eq!(finding["related"][0]["resource"], "CloudTrailName");
    assert_eq!(finding["related"][0]["line"], 5);

    let human = Command::new(env!("CARGO_BIN_EXE_trailcheck"))
        .current_dir(root)
        .args(["check", "--no-config", "examples/app.yaml"])
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let text = stdout(&human);
    let note_at = text
        .find("note: 2 rules find no CloudTrail trail")
        .expect(&text);
    let summary_at = text.find("3 findings").expect(&text);
    assert!(
        note_at < summary_at,
        "the note comes before the summary line"
    );
}

/// What the config's `exclude` passes over is counted in the summary and listed by `-v`.
#[test]
fn excluded_paths_are_counted() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/cases/discovery-named-files-read-despite-exclude");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_trailcheck"))
            .current_dir(&case)
            .args(["check"])
            .args(args)
            .output()
            .expect("the binary runs")
    };
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["input", "--format", "json"]).stdout).expect("JSON");
    assert_eq!(json["summary"]["excluded"], 1);
    let human = run(&["input", "-v"]);
    assert!(
        stdout(&human).contains("; 1 path excluded by the config"),
        "{}",
        stdout(&human)
    );
    assert!(stderr(&human).contains("skipped input/legacy/old.yaml: excluded by the config"));
    let none: serde_json::Value =
        serde_json::from_slice(&run(&["input", "--no-config", "--format", "json"]).stdout)
            .expect("JSON");
    assert_eq!(none["summary"]["excluded"], 0);
}

/// `completions SHELL` prints a script that knows the subcommands and their options.
#[test]
fn completions_know_the_options() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = trailcheck(&["completions", shell], None);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{shell}: {}",
            stderr(&output)
        );
        let script = stdout(&output);
        for word in ["check", "test-pattern", "force-exclude", "external-trails"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    assert_eq!(
        trailcheck(&["completions", "nosh"], None).status.code(),
        Some(2)
    );
}

/// `--write-baseline` says what it wrote, and writes entries a reviewer can read; a run with
/// the baseline counts what it accepted; a baseline of bare fingerprints is read too.
#[test]
fn baselines_are_readable_and_counted() {
    let dir = std::env::temp_dir().join(format!("trailcheck-cli-baseline-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let examples = examples.to_str().expect("UTF-8");
    let baseline = dir.join("baseline.json");
    let baseline = baseline.to_str().expect("UTF-8");

    let written = trailcheck(&["check", "--write-baseline", baseline, examples], None);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert!(stderr(&written).contains("wrote 2 findings to the baseline"));
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(baseline).expect("written")).expect("JSON");
    let entries = document["findings"].as_array().expect("entries");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["fingerprint"].as_str().map(str::len), Some(16));
    let rules: Vec<&str> = entries.iter().filter_map(|e| e["rule"].as_str()).collect();
    assert!(
        rules.contains(&"TC103") && rules.contains(&"TC106"),
        "{rules:?}"
    );
    assert!(
        entries
            .iter()
            .all(|e| e["resource"].is_string() && e["message"].is_string())
    );

    let accepted = trailcheck(&["check", "--baseline", baseline, examples], None);
    assert_eq!(accepted.status.code(), Some(0), "{}", stdout(&accepted));
    assert!(stdout(&accepted).contains("not reported: 2 in the baseline"));

    let fingerprints: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["fingerprint"].as_str())
        .collect();
    let bare = dir.join("bare.json");
    std::fs::write(
        &bare,
        serde_json::json!({"version": 1, "fingerprints": fingerprints}).to_string(),
    )
    .expect("scratch");
    let bare = trailcheck(
        &[
            "check",
            "--baseline",
            bare.to_str().expect("UTF-8"),
            examples,
        ],
        None,
    );
    assert_eq!(bare.status.code(), Some(0), "{}", stdout(&bare));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A `Metadata` suppression without a reason is a warning (one per suppression, a SAM
/// function's events sharing their function's); it does not change the exit code.
#[test]
fn a_suppression_without_a_reason_is_a_warning() {
    let dir = std::env::temp_dir().join(format!("trailcheck-cli-reason-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let rule = |name: &str, reason: &str| {
        format!(
            "  {name}:\n    Type: AWS::Events::Rule\n    Metadata:\n      trailcheck:\n        ignore: [TC101]\n{reason}    Properties:\n      EventPattern:\n        source: [aws.iam]\n        detail-type: [AWS API Call via CloudTrail]\n        detail:\n          eventName: [CreateUser]\n"
        )
    };
    let template = format!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n{}{}{}  Handler:\n    Type: AWS::Serverless::Function\n    Metadata:\n      trailcheck:\n        ignore: [TC101]\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      InlineCode: \"def handler(e, c): pass\"\n      Events:\n        Created:\n          Type: EventBridgeRule\n          Properties:\n            Pattern:\n              source: [aws.iam]\n              detail-type: [AWS API Call via CloudTrail]\n        Deleted:\n          Type: EventBridgeRule\n          Properties:\n            Pattern:\n              source: [aws.s3]\n              detail-type: [AWS API Call via CloudTrail]\n",
        rule(
            "Explained",
            "        reason: the organization trail logs it\n"
        ),
        rule("Unexplained", ""),
        rule("EmptyReason", "        reason: \"\"\n"),
    );
    std::fs::write(dir.join("template.yaml"), template).expect("scratch");
    let path = dir.to_str().expect("UTF-8");

    let human = trailcheck(&["check", "--no-config", path], None);
    assert_eq!(human.status.code(), Some(0), "{}", stdout(&human));
    let warnings: Vec<String> = stderr(&human)
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .map(str::to_owned)
        .collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    for (name, line) in [("Unexplained", 19), ("EmptyReason", 30), ("Handler", 42)] {
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(&format!("template.yaml:{line}:"))
                    && w.contains(&format!("the suppression on `{name}` gives no `reason`"))),
            "{name}: {warnings:?}"
        );
    }

    let json = trailcheck(&["check", "--no-config", "--format", "json", path], None);
    let document: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(document["warnings"].as_array().map(Vec::len), Some(3));
    let github = trailcheck(&["check", "--no-config", "--format", "github", path], None);
    assert_eq!(stdout(&github).matches("::warning file=").count(), 3);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A root module's local modules are read wherever they are, also outside the paths given,
/// but never through a symbolic link; `--var` takes `NAME=VALUE`.
#[cfg(unix)]
#[test]
fn terraform_modules_outside_the_paths_are_read_but_not_through_links() {
    let dir = std::env::temp_dir().join(format!("trailcheck-cli-modules-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for folder in ["live", "mods/m", "mods/other"] {
        std::fs::create_dir_all(dir.join(folder)).expect("a scratch folder");
    }
    std::fs::write(
        dir.join("live/main.tf"),
        "module \"m\" {\n  source = \"../mods/m\"\n}\nmodule \"l\" {\n  source = \"../linked\"\n}\n",
    )
    .expect("scratch");
    let invalid = "resource \"aws_cloudwatch_event_rule\" \"r\" {\n  event_pattern = jsonencode({ source = \"aws.s3\" })\n}\n";
    std::fs::write(dir.join("mods/m/main.tf"), invalid).expect("scratch");
    // Read first, and broken: an error of its own, which leaves the next file its place.
    std::fs::write(dir.join("mods/m/a_broken.tf"), "locals {\n").expect("scratch");
    std::fs::write(dir.join("mods/other/main.tf"), invalid).expect("scratch");
    std::os::unix::fs::symlink(dir.join("mods/other"), dir.join("linked")).expect("a link");

    let live = dir.join("live");
    let run = trailcheck(
        &["check", "--format", "json", live.to_str().expect("UTF-8")],
        None,
    );
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    let document: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    let errors = document["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("mods/m/a_broken.tf")),
        "{errors:#?}"
    );
    let findings = document["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["rule"], "TC201");
    assert_eq!(
        findings[0]["resource"],
        "module.m.aws_cloudwatch_event_rule.r"
    );
    assert!(
        findings[0]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("mods/m/main.tf")),
        "{}",
        findings[0]["file"]
    );

    let bad = trailcheck(
        &["check", "--var", "no-equals", live.to_str().expect("UTF-8")],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("expected NAME=VALUE"),
        "{}",
        stderr(&bad)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
