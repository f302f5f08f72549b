#![cfg(unix)] // FIFOs, permissions, symbolic links and `ulimit` are Unix things
#![allow(clippy::print_stderr)] // the read-only part says when it is meaningless (root)
//! Hostile inputs through the real binary (SPEC §10): alias bombs, deep nesting, a file over
//! the size limit, invalid UTF-8, a BOM and CRLF line ends, empty files, duplicate keys,
//! symbolic links that loop or leave the tree, unreadable files, FIFOs and devices, hostile
//! file names, and a read-only tree that must stay untouched.
//!
//! Every input is generated here, in a fresh folder under the system's temporary folder. Every
//! run is bounded: the binary runs under `ulimit -v` (1 GiB of address space, 256 MiB where
//! the point is that nothing big is allocated) and is killed, failing the test, when it takes
//! more than 10 seconds; it must not panic and must exit 0, 1 or 2.
//!
//! Unreadable files need a user that file permissions stop: run as root, that part runs the
//! binary as `nobody` through `setpriv`. FIFOs need `mkfifo`. A part that cannot run says so
//! and is skipped, or fails under `CI=true` (see `tests/common`).

mod common;

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

/// Longest any single run may take.
const TIME_LIMIT: Duration = Duration::from_secs(10);
/// Address space allowed to a run, in KiB: far above what these small inputs need, far below
/// what an alias bomb or an unbounded read would take.
const MEMORY_LIMIT_KIB: u64 = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Running the binary.

/// One finished run.
#[derive(Debug)]
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
    took: Duration,
}

impl Ran {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{}", self.stdout))
    }

    /// Both streams, for "never printed" checks.
    fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Runs `trailcheck ARGS` in `dir` with the default memory limit.
fn trailcheck(dir: &Path, args: &[&str]) -> Ran {
    trailcheck_limited(dir, args, MEMORY_LIMIT_KIB)
}

/// Runs `trailcheck ARGS` in `dir` under `ulimit -v memory_kib`, killing it after
/// [`TIME_LIMIT`]. Panics on a timeout, a panic, a signal or an exit code other than 0, 1, 2.
fn trailcheck_limited(dir: &Path, args: &[&str], memory_kib: u64) -> Ran {
    let binary = OsString::from(env!("CARGO_BIN_EXE_trailcheck"));
    run_limited(&[binary], dir, args, memory_kib)
}

/// [`trailcheck_limited`] with the binary started by `command` (the binary, or a wrapper such as
/// `setpriv … BINARY`).
fn run_limited(command: &[OsString], dir: &Path, args: &[&str], memory_kib: u64) -> Ran {
    let started = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {memory_kib} && exec \"$0\" \"$@\""))
        .args(command)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // Address-space limits count reserved memory: keep the thread pool and glibc's
        // per-thread arenas small, whatever the machine's core count.
        .env("RAYON_NUM_THREADS", "2")
        .env("MALLOC_ARENA_MAX", "2")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh starts");
    // Drained on their own threads, so that a full pipe cannot pass for a hang.
    let drain = |mut stream: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = stream.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`trailcheck {}` in {dir:?} still running after {TIME_LIMIT:?}: killed",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&stdout.join().expect("stdout")).into_owned();
    let stderr = String::from_utf8_lossy(&stderr.join().expect("stderr")).into_owned();
    let shown = args.join(" ");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("memory allocation"),
        "`trailcheck {shown}` panicked or ran out of memory:\n{stderr}"
    );
    let code = status.code().unwrap_or_else(|| {
        panic!("`trailcheck {shown}` killed by a signal ({status:?}), out of memory?\n{stderr}")
    });
    assert!(
        (0..=2).contains(&code),
        "`trailcheck {shown}` exited {code}:\n{stderr}"
    );
    Ran {
        code,
        stdout,
        stderr,
        took,
    }
}

/// `check --no-config --format json ARGS`.
fn check_json(dir: &Path, args: &[&str]) -> (Ran, Value) {
    let mut all = vec!["check", "--no-config", "--format", "json"];
    all.extend_from_slice(args);
    let ran = trailcheck(dir, &all);
    let json = ran.json();
    (ran, json)
}

/// The `errors` entry for `file`, if any.
fn error_for<'a>(document: &'a Value, file: &str) -> Option<&'a Value> {
    document["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .find(|error| error["file"] == file)
}

/// `(rule, resource, line, column, end_line, end_column)` of every finding.
fn findings(document: &Value) -> Vec<(String, String, u64, u64, u64, u64)> {
    document["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_owned(),
                f["resource"].as_str().expect("resource").to_owned(),
                f["line"].as_u64().expect("line"),
                f["column"].as_u64().expect("column"),
                f["end_line"].as_u64().expect("end_line"),
                f["end_column"].as_u64().expect("end_column"),
            )
        })
        .collect()
}

fn summary(document: &Value, field: &str) -> u64 {
    document["summary"][field].as_u64().expect("summary count")
}

// ---------------------------------------------------------------------------------------------
// Scratch folders.

/// A fresh folder, removed (made writable first) when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("trailcheck-hostile-{}-{name}", std::process::id()));
        if dir.exists() {
            make_writable(&dir);
            fs::remove_dir_all(&dir).expect("an old scratch folder can be removed");
        }
        fs::create_dir_all(&dir).expect("a scratch folder");
        Scratch(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn join(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.0.join(relative)
    }

    /// Writes `bytes` to `relative`, creating its folders.
    fn write(&self, relative: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(relative);
        fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        fs::write(&path, bytes).expect("a scratch file");
        path
    }

    fn mkdir(&self, relative: impl AsRef<Path>) -> PathBuf {
        let path = self.0.join(relative);
        fs::create_dir_all(&path).expect("a scratch folder");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        make_writable(&self.0);
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Gives the owner back read, write and search permission on everything under `path`,
/// without following symbolic links.
fn make_writable(path: &Path) {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return;
    };
    if meta.file_type().is_symlink() {
        return;
    }
    let mode = meta.permissions().mode();
    let wanted = if meta.is_dir() { 0o700 } else { 0o600 };
    let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode | wanted));
    if meta.is_dir()
        && let Ok(entries) = fs::read_dir(path)
    {
        for entry in entries.flatten() {
            make_writable(&entry.path());
        }
    }
}

/// Creates a FIFO, or says why the part that needs one is skipped (fails under `CI=true`).
fn mkfifo(path: &Path) -> bool {
    match Command::new("mkfifo").arg(path).status() {
        Ok(status) if status.success() => true,
        outcome => {
            common::skip(&format!(
                "the FIFO part: `mkfifo {}` gave {outcome:?}",
                path.display()
            ));
            false
        }
    }
}

/// The command that runs the binary as a user who cannot read `locked` (mode 000): the binary
/// itself when this user cannot; as root, who can, `setpriv` to `nobody` (uid and gid 65534) on
/// a copy of the binary in `scratch`, where that user can reach it. `None` once the part that
/// needs it is skipped (fails under `CI=true`).
fn stopped_by_permissions(scratch: &Scratch, locked: &Path) -> Option<Vec<OsString>> {
    let binary = OsString::from(env!("CARGO_BIN_EXE_trailcheck"));
    if fs::read(locked).is_err() {
        return Some(vec![binary]);
    }
    let copy = scratch.join("bin/trailcheck");
    fs::create_dir_all(scratch.join("bin")).expect("a folder for the binary");
    fs::copy(&binary, &copy).expect("a copy of the binary");
    fs::set_permissions(&copy, fs::Permissions::from_mode(0o755)).expect("chmod 755");
    let setpriv = [
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "--",
    ];
    // That user must run the copy and be refused the locked file.
    let probe = Command::new(setpriv[0])
        .args(&setpriv[1..])
        .args(["sh", "-c", "test -x \"$0\" && ! test -r \"$1\""])
        .arg(&copy)
        .arg(locked)
        .status();
    if !matches!(probe, Ok(status) if status.success()) {
        common::skip(&format!(
            "the unreadable-file part: this user reads through chmod 000, and `{}` could not \
             run the binary as a user it stops ({probe:?})",
            setpriv.join(" ")
        ));
        return None;
    }
    let mut command: Vec<OsString> = setpriv.iter().map(OsString::from).collect();
    command.push(copy.into_os_string());
    Some(command)
}

/// A template whose rule waits for CloudTrail events and no trail: one TC101 finding on the
/// `detail-type` line (line 8, resource `rule_name`).
fn rule_yaml(rule_name: &str) -> String {
    format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\n\
         Resources:\n  \
           {rule_name}:\n    \
             Type: AWS::Events::Rule\n    \
             Properties:\n      \
               EventPattern:\n        \
                 source: [aws.s3]\n        \
                 detail-type: [AWS API Call via CloudTrail]\n        \
                 detail:\n          \
                   eventSource: [s3.amazonaws.com]\n          \
                   eventName: [GetObject]\n"
    )
}

/// The one finding a [`rule_yaml`] template gives.
fn has_rule_finding(document: &Value, rule_name: &str) -> bool {
    findings(document)
        .iter()
        .any(|(rule, resource, line, ..)| rule == "TC101" && resource == rule_name && *line == 8)
}

const TEMPLATE_HEADER: &str = "AWSTemplateFormatVersion: \"2010-09-09\"\n";

fn testdata(relative: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(relative),
    )
    .expect("a testdata file")
}

// ---------------------------------------------------------------------------------------------
// Alias bombs and deep nesting.

#[test]
fn yaml_alias_bombs_are_refused_quickly_in_bounded_memory() {
    let scratch = Scratch::new("bombs");
    // Billion laughs: nine levels of ten aliases each, 10^9 strings once expanded, used as a
    // rule's pattern.
    let mut laughs = format!(
        "{TEMPLATE_HEADER}Metadata:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    );
    for level in 1..10 {
        let aliases = vec![format!("*a{}", level - 1); 10].join(", ");
        laughs += &format!("  a{level}: &a{level} [{aliases}]\n");
    }
    laughs += "Resources:\n  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n      \
               EventPattern:\n        source: *a9\n";
    scratch.write("laughs.yaml", &laughs);
    // The same with mappings: ten keys per level.
    let mut maps = format!(
        "{TEMPLATE_HEADER}Metadata:\n  m0: &m0 {{a: x, b: x, c: x, d: x, e: x, f: x, g: x, h: x, i: x, j: x}}\n"
    );
    for level in 1..10 {
        let entries: Vec<String> = (0..10).map(|k| format!("k{k}: *m{}", level - 1)).collect();
        maps += &format!("  m{level}: &m{level} {{{}}}\n", entries.join(", "));
    }
    maps += "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
    scratch.write("maps.yaml", &maps);
    // Quadratic rather than exponential: one anchor of 5,000 items, aliased 5,000 times.
    let items = vec!["x"; 5000].join(", ");
    let aliases = vec!["*big"; 5000].join(", ");
    scratch.write(
        "quadratic.yaml",
        format!(
            "{TEMPLATE_HEADER}Metadata:\n  big: &big [{items}]\n  copies: [{aliases}]\n\
             Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
        ),
    );
    // A bomb in a file that is not a template at all.
    scratch.write(
        "not-a-template.yml",
        laughs
            .replace(TEMPLATE_HEADER, "")
            .replace("Resources:", "Other:"),
    );
    scratch.write("good.yaml", rule_yaml("GoodRule"));

    let (ran, document) = check_json(scratch.path(), &["."]);
    for bomb in ["laughs.yaml", "maps.yaml", "quadratic.yaml"] {
        let error = error_for(&document, bomb)
            .unwrap_or_else(|| panic!("no error for {bomb}:\n{}", ran.stdout));
        assert!(
            error["line"].as_u64().is_some(),
            "the error for {bomb} has no line: {error}"
        );
    }
    // One bad file never stops the run.
    assert!(
        has_rule_finding(&document, "GoodRule"),
        "the good template was not analysed:\n{}",
        ran.stdout
    );
    assert_eq!(ran.code, 2, "errors make the exit code 2");
}

#[test]
fn nesting_100000_deep_never_overflows_the_stack() {
    let scratch = Scratch::new("deep");
    const DEPTH: usize = 100_000;
    let arrays = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    let objects = format!("{}1{}", "{\"a\": ".repeat(DEPTH), "}".repeat(DEPTH));
    let template_json = |pattern: &str| {
        format!(
            "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {{\"Rule\": \
             {{\"Type\": \"AWS::Events::Rule\", \"Properties\": {{\"EventPattern\": {pattern}}}}}}}}}"
        )
    };
    let template_yaml = |pattern: &str| {
        format!(
            "{TEMPLATE_HEADER}Resources:\n  Rule:\n    Type: AWS::Events::Rule\n    \
             Properties:\n      EventPattern: {pattern}\n"
        )
    };
    // Templates: the depth is in the document, so they are errors with a location.
    scratch.write("arrays.json", template_json(&arrays));
    scratch.write("objects.json", template_json(&objects));
    scratch.write("flow-sequences.yaml", template_yaml(&arrays));
    scratch.write(
        "flow-mappings.yaml",
        template_yaml(&format!("{}x{}", "{a: ".repeat(DEPTH), "}".repeat(DEPTH))),
    );
    scratch.write(
        "block-sequences.yaml",
        template_yaml(&format!("\n        {}x", "- ".repeat(DEPTH))),
    );
    scratch.write(
        "tags.yaml",
        template_yaml(&format!("{}x{}", "!Sub [".repeat(DEPTH), "]".repeat(DEPTH))),
    );
    let document_errors = [
        "arrays.json",
        "objects.json",
        "flow-sequences.yaml",
        "flow-mappings.yaml",
        "block-sequences.yaml",
        "tags.yaml",
    ];
    // The depth inside a JSON string: the pattern text of a template and of a plan.
    let quoted = |text: &str| serde_json::to_string(text).expect("a JSON string");
    scratch.write("string-pattern.json", template_json(&quoted(&objects)));
    // Under EventBridge's 4096-character limit, so that the depth itself is met.
    let short = format!("{}{}", "[".repeat(2000), "]".repeat(2000));
    scratch.write("short-string-pattern.json", template_json(&quoted(&short)));
    scratch.write(
        "plan.json",
        format!(
            "{{\"format_version\": \"1.2\", \"planned_values\": {{\"root_module\": {{\"resources\": \
             [{{\"address\": \"aws_cloudwatch_event_rule.deep\", \"mode\": \"managed\", \
             \"type\": \"aws_cloudwatch_event_rule\", \"name\": \"deep\", \"values\": \
             {{\"event_pattern\": {}}}}}]}}}}}}",
            quoted(&arrays)
        ),
    );
    // Not templates: skipped or errors, but answered.
    scratch.write("plain.json", &arrays);
    scratch.write("plain.yaml", &arrays);
    scratch.write("good.yaml", rule_yaml("GoodRule"));

    let (ran, document) = check_json(scratch.path(), &["."]);
    for file in document_errors {
        let error = error_for(&document, file)
            .unwrap_or_else(|| panic!("no error for {file}:\n{}", ran.stdout));
        assert!(
            error["line"].as_u64().is_some(),
            "the error for {file} has no line: {error}"
        );
    }
    // A pattern that deep is no valid pattern: TC201 (or an error), never silence.
    for (file, resource) in [
        ("string-pattern.json", "Rule"),
        ("short-string-pattern.json", "Rule"),
        ("plan.json", "aws_cloudwatch_event_rule.deep"),
    ] {
        let flagged = findings(&document)
            .iter()
            .any(|(rule, res, ..)| rule == "TC201" && res == resource)
            || error_for(&document, file).is_some();
        assert!(
            flagged,
            "{file}: the deep pattern was not rejected:\n{}",
            ran.stdout
        );
    }
    assert!(
        has_rule_finding(&document, "GoodRule"),
        "the good template was not analysed:\n{}",
        ran.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Size, encoding, line ends, empty files, duplicate keys.

#[test]
fn a_file_over_the_size_limit_is_a_clear_error_without_reading_it() {
    let scratch = Scratch::new("huge");
    // Sparse: no disk space, no writing; a read would still see 512 MiB + 1 of zeros.
    for name in ["walked/huge.json", "named.yaml"] {
        let path = scratch.join(name);
        fs::create_dir_all(path.parent().expect("parent")).expect("folders");
        fs::File::create(&path)
            .and_then(|file| file.set_len(trailcheck::walk::MAX_FILE_SIZE + 1))
            .expect("a sparse file");
    }
    scratch.write("walked/good.yaml", rule_yaml("GoodRule"));
    // 256 MiB of address space: reading either file would need more.
    let ran = trailcheck_limited(
        scratch.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "walked",
            "named.yaml",
        ],
        256 * 1024,
    );
    assert!(
        ran.took < Duration::from_secs(5),
        "took {:?} to refuse the files",
        ran.took
    );
    let document = ran.json();
    let limit = trailcheck::walk::MAX_FILE_SIZE.to_string();
    for file in ["walked/huge.json", "named.yaml"] {
        let error = error_for(&document, file)
            .unwrap_or_else(|| panic!("no error for {file}:\n{}", ran.stdout));
        let message = error["message"].as_str().expect("message");
        assert!(
            message.contains(&limit),
            "the error for {file} does not state the limit ({limit} bytes): {message}"
        );
    }
    assert!(has_rule_finding(&document, "GoodRule"), "{}", ran.stdout);
    assert_eq!(ran.code, 2);
}

#[test]
fn invalid_utf8_is_an_error_naming_the_file() {
    let scratch = Scratch::new("utf8");
    let mut latin1 = rule_yaml("Broken").into_bytes();
    let at = latin1.len() - 4;
    latin1.splice(at..at, [0xE9, 0xFF]);
    scratch.write("latin1.yaml", latin1);
    // UTF-16 with its BOM, as some Windows editors save.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(rule_yaml("Utf16").encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    scratch.write("utf16.json", utf16);
    scratch.write("truncated.yaml", b"Resources:\n  X: \xE2\x82");
    scratch.write("good.yaml", rule_yaml("GoodRule"));

    for format in ["json", "human", "sarif", "github"] {
        let ran = trailcheck(
            scratch.path(),
            &["check", "--no-config", "--format", format, "."],
        );
        assert_eq!(ran.code, 2, "{format}: not-UTF-8 files are errors");
        for file in ["latin1.yaml", "utf16.json", "truncated.yaml"] {
            assert!(
                ran.all_output().contains(file),
                "{format}: no error names {file}:\n{}",
                ran.all_output()
            );
        }
    }
    let (ran, document) = check_json(scratch.path(), &["."]);
    for file in ["latin1.yaml", "utf16.json", "truncated.yaml"] {
        assert!(
            error_for(&document, file).is_some(),
            "no error entry for {file}:\n{}",
            ran.stdout
        );
    }
    assert!(has_rule_finding(&document, "GoodRule"), "{}", ran.stdout);
    // The error says where the first invalid byte is, in its message and its fields.
    let truncated = error_for(&document, "truncated.yaml").expect("an error entry");
    assert!(
        truncated.to_string().contains("line 2, column 6"),
        "{truncated}"
    );
    assert_eq!(
        (truncated["line"].as_u64(), truncated["column"].as_u64()),
        (Some(2), Some(6))
    );
    let latin1 = error_for(&document, "latin1.yaml").expect("an error entry");
    assert_eq!(
        (latin1["line"].as_u64(), latin1["column"].as_u64()),
        (Some(11), Some(30))
    );
    // The bytes after the invalid one are never echoed.
    let human = trailcheck(scratch.path(), &["check", "--no-config", "latin1.yaml"]);
    assert!(!human.stdout.contains("ct]"), "{}", human.stdout);
}

#[test]
fn a_bom_and_crlf_line_ends_are_read_normally() {
    let scratch = Scratch::new("crlf");
    let originals = [
        ("yaml", "cases/tc101-fires-s3-getobject-yaml/input/app.yaml"),
        (
            "json",
            "cases/tc101-fires-management-json/input/ec2-guard.template.json",
        ),
        (
            "plan.json",
            "cases/tc101-fires-terraform-plan/input/tfplan.json",
        ),
    ];
    for (extension, original) in originals {
        let text = String::from_utf8(testdata(original)).expect("UTF-8 testdata");
        assert!(!text.contains('\r'), "{original} already has CR");
        let crlf = text.replace('\n', "\r\n");
        scratch.write(format!("lf/input.{extension}"), &text);
        scratch.write(format!("crlf/input.{extension}"), &crlf);
        scratch.write(format!("bom/input.{extension}"), format!("\u{feff}{text}"));
        scratch.write(
            format!("bom-crlf/input.{extension}"),
            format!("\u{feff}{crlf}"),
        );

        let (ran, expected) = check_json(scratch.path(), &[&format!("lf/input.{extension}")]);
        let expected = findings(&expected);
        assert!(
            !expected.is_empty(),
            "{original} has no finding:\n{}",
            ran.stdout
        );
        for variant in ["crlf", "bom", "bom-crlf"] {
            let file = format!("{variant}/input.{extension}");
            let (ran, document) = check_json(scratch.path(), &[&file]);
            assert_eq!(
                summary(&document, "errors"),
                0,
                "{file} is an error:\n{}",
                ran.stdout
            );
            assert_eq!(
                findings(&document),
                expected,
                "{file}: findings not where they are without the BOM and CR"
            );
            // The human report points at the same line and column.
            let human = trailcheck(scratch.path(), &["check", "--no-config", &file]);
            let (_, _, line, column, ..) = &expected[0];
            assert!(
                human.stdout.contains(&format!("{file}:{line}:{column}")),
                "{file}: the human report does not point at {line}:{column}:\n{}",
                human.stdout
            );
        }
    }
}

#[test]
fn empty_and_blank_files_are_skipped_quietly() {
    let scratch = Scratch::new("empty");
    let files: &[(&str, &[u8])] = &[
        ("empty.yaml", b""),
        ("empty.json", b""),
        ("empty.template", b""),
        ("blank.yml", b"\n\n   \n\t\n"),
        ("crlf.yaml", b"\r\n\r\n"),
        ("bom.json", b"\xEF\xBB\xBF"),
        ("comment.yaml", b"# nothing here\n"),
        ("document-marker.yaml", b"---\n...\n"),
        ("null.yaml", b"null\n"),
        ("object.json", b"{}"),
        ("array.json", b"[]"),
    ];
    for (name, bytes) in files {
        scratch.write(name, bytes);
    }
    let ran = trailcheck(
        scratch.path(),
        &["check", "--no-config", "--verbose", "--format", "json", "."],
    );
    let document = ran.json();
    assert_eq!(ran.code, 0, "empty files are no error:\n{}", ran.stdout);
    assert_eq!(summary(&document, "files"), files.len() as u64);
    assert_eq!(summary(&document, "skipped"), files.len() as u64);
    for (name, _) in files {
        assert!(
            ran.stderr.contains(name),
            "--verbose does not say why {name} was skipped:\n{}",
            ran.stderr
        );
    }
    // Named explicitly, one at a time, too.
    for (name, _) in files {
        let (ran, document) = check_json(scratch.path(), &[name]);
        assert_eq!(ran.code, 0, "{name}: {}", ran.stdout);
        assert_eq!(summary(&document, "skipped"), 1, "{name}: {}", ran.stdout);
    }
}

#[test]
fn duplicate_keys_the_last_one_wins() {
    let scratch = Scratch::new("duplicates");
    let cloudtrail_json = r#"{"source": ["aws.s3"], "detail-type": ["AWS API Call via CloudTrail"], "detail": {"eventName": ["GetObject"]}}"#;
    let custom_json = r#"{"source": ["my.app"]}"#;
    // `First` ends on a custom pattern (silent), `Last` on a CloudTrail one (TC101, line 13).
    scratch.write(
        "patterns.json",
        format!(
            "{{\n\
             \"AWSTemplateFormatVersion\": \"2010-09-09\",\n\
             \"Resources\": {{\n\
             \"First\": {{\n\
             \"Type\": \"AWS::Events::Rule\",\n\
             \"Properties\": {{\n\
             \"EventPattern\": {cloudtrail_json},\n\
             \"EventPattern\": {custom_json}\n\
             }}}},\n\
             \"Last\": {{\n\
             \"Type\": \"AWS::Events::Rule\",\n\
             \"Properties\": {{\n\
             \"EventPattern\": {custom_json},\n\
             \"EventPattern\": {cloudtrail_json}\n\
             }}}}}}}}\n"
        ),
    );
    scratch.write(
        "patterns.yaml",
        format!(
            "{TEMPLATE_HEADER}Resources:\n  First:\n    Type: AWS::Events::Rule\n    Properties:\n      \
             EventPattern: {cloudtrail_json}\n      EventPattern: {custom_json}\n  \
             Last:\n    Type: AWS::Events::Rule\n    Properties:\n      \
             EventPattern: {custom_json}\n      EventPattern: {cloudtrail_json}\n"
        ),
    );
    for (file, line) in [("patterns.json", 14), ("patterns.yaml", 12)] {
        let (ran, document) = check_json(scratch.path(), &[file]);
        let found = findings(&document);
        assert_eq!(summary(&document, "rules"), 2, "{file}:\n{}", ran.stdout);
        assert!(
            found.len() == 1 && found[0].0 == "TC101" && found[0].1 == "Last" && found[0].2 == line,
            "{file}: expected one TC101 on `Last` at line {line} (the last pattern), got {found:?}"
        );
    }
    // A duplicated `Resources`: only the last one's rule exists.
    scratch.write(
        "resources.yaml",
        format!(
            "{}Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
            rule_yaml("Shadowed")
        ),
    );
    let (ran, document) = check_json(scratch.path(), &["resources.yaml"]);
    assert_eq!(summary(&document, "rules"), 0, "{}", ran.stdout);
    assert!(findings(&document).is_empty(), "{}", ran.stdout);
    // A duplicated logical ID: the last definition is the resource, the first never exists.
    // Here the rule is shadowed by a topic: no rule, no finding.
    scratch.write(
        "shadowed-rule.json",
        format!(
            "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {{\n\
             \"Rule\": {{\"Type\": \"AWS::Events::Rule\", \"Properties\": {{\"EventPattern\": {cloudtrail_json}}}}},\n\
             \"Rule\": {{\"Type\": \"AWS::SNS::Topic\"}}}}}}\n"
        ),
    );
    // The trail is shadowed by a topic: the rule has no trail (TC101 on line 7).
    scratch.write(
        "shadowed-trail.yaml",
        format!(
            "{TEMPLATE_HEADER}Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    \
             Properties:\n      IsLogging: true\n      S3BucketName: logs\n{}  \
             Trail:\n    Type: AWS::SNS::Topic\n",
            rule_yaml("Rule").replace(&format!("{TEMPLATE_HEADER}Resources:\n"), "")
        ),
    );
    // A SAM event key used twice: the EventBridge rule is shadowed by a queue event.
    scratch.write(
        "shadowed-event.yaml",
        format!(
            "{TEMPLATE_HEADER}Transform: AWS::Serverless-2016-10-31\nResources:\n  Function:\n    \
             Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      \
             Runtime: python3.12\n      Events:\n        OnRead:\n          Type: EventBridgeRule\n          \
             Properties:\n            Pattern: {cloudtrail_json}\n        OnRead:\n          \
             Type: SQS\n          Properties:\n            \
             Queue: arn:aws:sqs:us-east-1:123456789012:queue\n"
        ),
    );
    let mut failures = Vec::new();
    for (file, rules, trails, expected) in [
        ("shadowed-rule.json", 0, 0, vec![]),
        (
            "shadowed-trail.yaml",
            1,
            0,
            vec![("TC101".to_owned(), "Rule".to_owned(), 13)],
        ),
        ("shadowed-event.yaml", 0, 0, vec![]),
    ] {
        let (_, document) = check_json(scratch.path(), &[file]);
        let found: Vec<(String, String, u64)> = findings(&document)
            .into_iter()
            .map(|(rule, resource, line, ..)| (rule, resource, line))
            .collect();
        let actual = (
            summary(&document, "rules"),
            summary(&document, "trails"),
            found,
        );
        if actual != (rules, trails, expected.clone()) {
            failures.push(format!(
                "{file}: (rules, trails, findings) {actual:?}, expected {:?}",
                (rules, trails, expected)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "shadowed definitions were read as if they existed:\n{}",
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// What is and is not read: links, permissions, FIFOs, devices, names, references.

/// A string that must never appear in any output: it is only in files outside the tree.
const MARKER: &str = "ZQX-OUTSIDE-7f3a9c-MUST-NOT-LEAK";
/// The same for the outside folder's name.
const PATH_MARKER: &str = "ZQX-PATH-51d2e8";

/// `scratch/outside-…/secret.yaml`, a template whose every part carries [`MARKER`].
fn outside_secret(scratch: &Scratch) -> PathBuf {
    let secret = rule_yaml(&format!("Rule{}", MARKER.replace('-', "")))
        .replace("GetObject", MARKER)
        + &format!("Description: {MARKER}\nbroken: [{MARKER}\n");
    scratch.write(format!("outside-{PATH_MARKER}/secret.yaml"), secret)
}

#[test]
fn symbolic_links_are_never_followed_while_walking() {
    let scratch = Scratch::new("links");
    let secret = outside_secret(&scratch);
    let outside = secret.parent().expect("outside folder").to_path_buf();
    let tree = scratch.mkdir("tree");
    scratch.write("tree/good.yaml", rule_yaml("GoodRule"));
    scratch.mkdir("tree/sub");
    let links: &[(&str, &Path)] = &[
        ("link.yaml", &secret),
        ("link.json", &secret),
        ("linkdir", &outside),
        ("sub/deeper.yaml", &secret),
        ("loop", Path::new(".")),
        ("sub/up", Path::new("../..")),
        ("loop-a.yaml", Path::new("loop-b.yaml")),
        ("loop-b.yaml", Path::new("loop-a.yaml")),
        ("dangling.yaml", Path::new("no-such-file.yaml")),
        ("zero.yaml", Path::new("/dev/zero")),
    ];
    for (link, target) in links {
        symlink(target, tree.join(link)).expect("a symbolic link");
    }
    let mut runs = Vec::new();
    for format in ["json", "human", "sarif", "github"] {
        for extra in [&["tree"][..], &["--context", "tree", "tree/good.yaml"][..]] {
            let mut args = vec!["check", "--no-config", "--verbose", "--format", format];
            args.extend_from_slice(extra);
            runs.push((args.join(" "), trailcheck(scratch.path(), &args)));
        }
    }
    for (args, ran) in &runs {
        for marker in [MARKER, PATH_MARKER] {
            assert!(
                !ran.all_output().contains(marker),
                "`{args}` printed what is outside the tree ({marker}):\n{}",
                ran.all_output()
            );
        }
        assert!(
            ran.stdout.contains("good.yaml"),
            "`{args}`: the good template was not analysed:\n{}",
            ran.stdout
        );
        // (Links under `--context` are not listed: that folder is only read for pairing.)
        assert!(
            args.contains("--context") || ran.stderr.contains("link.yaml"),
            "`{args}`: --verbose does not say the link was passed over:\n{}",
            ran.stderr
        );
    }
    let (ran, document) = check_json(scratch.path(), &["tree"]);
    assert_eq!(
        summary(&document, "files"),
        1,
        "links were read:\n{}",
        ran.stdout
    );
    assert_eq!(summary(&document, "rules"), 1, "{}", ran.stdout);
}

#[test]
fn a_linked_config_file_never_echoes_its_target() {
    // A pull request can add `trailcheck.toml` as a link to a file outside the repository; a
    // CI job running `trailcheck check` in the checkout discovers it. Its target must not end
    // up in the CI log (SPEC §10), whether the link is ignored or refused.
    let scratch = Scratch::new("config-link");
    let secret = scratch.write(
        format!("outside-{PATH_MARKER}/secret.txt"),
        format!("token = \"{MARKER}\"\n[unclosed {MARKER}\n"),
    );
    let repo = scratch.mkdir("repo");
    scratch.mkdir("repo/.git");
    scratch.write("repo/app.yaml", rule_yaml("GoodRule"));
    symlink(&secret, repo.join("trailcheck.toml")).expect("a symbolic link");
    for format in ["human", "json", "sarif", "github"] {
        let ran = trailcheck(&repo, &["check", "--verbose", "--format", format, "."]);
        assert!(
            !ran.all_output().contains(MARKER),
            "--format {format}: the linked config's contents were printed:\n{}",
            ran.all_output()
        );
    }
}

#[test]
fn unreadable_files_and_folders_are_errors() {
    let scratch = Scratch::new("unreadable");
    scratch.write("tree/good.yaml", rule_yaml("GoodRule"));
    let locked = scratch.write("tree/locked.yaml", rule_yaml("Locked"));
    let closed = scratch.mkdir("tree/closed");
    scratch.write("tree/closed/inside.yaml", rule_yaml("Inside"));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    fs::set_permissions(&closed, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    let Some(command) = stopped_by_permissions(&scratch, &locked) else {
        return;
    };
    let check_json = |dir: &Path, args: &[&str]| {
        let mut all = vec!["check", "--no-config", "--format", "json"];
        all.extend_from_slice(args);
        let ran = run_limited(&command, dir, &all, MEMORY_LIMIT_KIB);
        let json = ran.json();
        (ran, json)
    };
    let (ran, document) = check_json(scratch.path(), &["tree"]);
    assert_eq!(ran.code, 2, "{}", ran.stdout);
    for file in ["tree/locked.yaml", "tree/closed"] {
        assert!(
            error_for(&document, file).is_some(),
            "no error for {file}:\n{}",
            ran.stdout
        );
    }
    assert!(has_rule_finding(&document, "GoodRule"), "{}", ran.stdout);
    // Named explicitly.
    let (ran, document) = check_json(scratch.path(), &["tree/locked.yaml"]);
    assert_eq!(ran.code, 2, "{}", ran.stdout);
    assert!(
        error_for(&document, "tree/locked.yaml").is_some(),
        "{}",
        ran.stdout
    );
}

/// Folders read only for context: what cannot be read there is passed over (and listed with
/// `--verbose`), not an error of the run; a context folder that does not exist is one.
#[test]
fn context_folders_are_passed_over_quietly_where_unreadable() {
    let scratch = Scratch::new("context");
    scratch.write("app/rule.yaml", rule_yaml("AppRule"));
    scratch.write("platform/latin1.yaml", b"Resources:\n  T: \xE9\n");
    scratch.write("platform/broken.yaml", "Resources:\n  T: [\n");
    symlink(
        outside_secret(&scratch),
        scratch.join("platform/linked.yaml"),
    )
    .expect("a link");
    let args = [
        "check",
        "--no-config",
        "--verbose",
        "--context",
        "platform",
        "app/rule.yaml",
    ];
    let ran = trailcheck(scratch.path(), &args);
    assert_eq!(
        ran.code,
        1,
        "only the rule's finding:\n{}",
        ran.all_output()
    );
    for file in ["latin1.yaml", "broken.yaml", "linked.yaml"] {
        assert!(
            ran.stderr
                .lines()
                .any(|l| l.starts_with("skipped") && l.contains(file)),
            "{file} not listed as passed over:\n{}",
            ran.stderr
        );
    }
    let ran = trailcheck(
        scratch.path(),
        &[
            "check",
            "--no-config",
            "--context",
            "missing",
            "app/rule.yaml",
        ],
    );
    assert_eq!(ran.code, 2, "{}", ran.all_output());
    assert!(ran.all_output().contains("missing"), "{}", ran.all_output());
}

#[test]
fn fifos_and_devices_are_never_blocked_on() {
    let scratch = Scratch::new("fifos");
    scratch.write("tree/good.yaml", rule_yaml("GoodRule"));
    let fifo = scratch.join("tree/pipe.yaml");
    if !mkfifo(&fifo) || !mkfifo(&scratch.join("tree/pipe.json")) {
        return;
    }
    symlink(&fifo, scratch.join("tree/link-to-pipe.yaml")).expect("a symbolic link");
    // Nobody ever writes to the FIFOs: opening one for reading would block for ever.
    let (ran, document) = check_json(scratch.path(), &["tree"]);
    assert!(has_rule_finding(&document, "GoodRule"), "{}", ran.stdout);
    assert_eq!(summary(&document, "files"), 1, "{}", ran.stdout);
    let (ran, document) = check_json(scratch.path(), &["--context", "tree", "tree/good.yaml"]);
    assert!(has_rule_finding(&document, "GoodRule"), "{}", ran.stdout);
    // Named explicitly: never opened either.
    let named = [
        "tree/pipe.yaml",
        "tree/link-to-pipe.yaml",
        "/dev/null",
        "/dev/zero",
        "/dev/urandom",
    ];
    for path in named {
        let (ran, document) = check_json(scratch.path(), &[path, "tree/good.yaml"]);
        assert!(
            has_rule_finding(&document, "GoodRule"),
            "{path}: {}",
            ran.stdout
        );
        assert!(ran.took < TIME_LIMIT, "{path}: took {:?}", ran.took);
    }
}

#[test]
fn an_explicit_fifo_or_device_is_reported_as_skipped_with_verbose() {
    // SPEC §1: --verbose lists skipped files and why. A path named on the command line that is
    // not a regular file is skipped: the user must be able to learn why nothing was read.
    let scratch = Scratch::new("fifo-verbose");
    let fifo = scratch.join("pipe.yaml");
    if !mkfifo(&fifo) {
        return;
    }
    for path in ["pipe.yaml", "/dev/null"] {
        let ran = trailcheck(scratch.path(), &["check", "--no-config", "--verbose", path]);
        assert!(
            ran.stderr.contains(path),
            "`check --verbose {path}` read nothing and said nothing about {path}:\n{}{}",
            ran.stdout,
            ran.stderr
        );
    }
}

#[test]
fn hostile_file_names_keep_every_format_well_formed() {
    let scratch = Scratch::new("names");
    let names: &[&[u8]] = &[
        b"not-utf8-\xFF\xFE.yaml",
        b"new\nline.yaml",
        b"carriage\rreturn.yaml",
        b"workflow::error file=x,line=1::fake%0A.yaml",
        b"quote\"back\\slash.yaml",
        b"-starts-with-dash.yaml",
        b"\xE2\x80\xAEright-to-left.yaml",
        b"escape-\x1b[31m-red.yaml",
    ];
    for (index, name) in names.iter().enumerate() {
        scratch.write(OsStr::from_bytes(name), rule_yaml(&format!("Rule{index}")));
    }
    let (ran, document) = check_json(scratch.path(), &["."]);
    assert_eq!(
        summary(&document, "files"),
        names.len() as u64,
        "{}",
        ran.stdout
    );
    assert_eq!(findings(&document).len(), names.len(), "{}", ran.stdout);
    let sarif = trailcheck(
        scratch.path(),
        &["check", "--no-config", "--format", "sarif", "."],
    );
    let _: Value = serde_json::from_str(&sarif.stdout).expect("SARIF stays one JSON document");
    // GitHub workflow commands: one line per finding, none forged by a file name.
    let github = trailcheck(
        scratch.path(),
        &["check", "--no-config", "--format", "github", "."],
    );
    // One error per finding, and the run's note that they share a cause.
    let commands: Vec<&str> = github
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error"))
        .collect();
    assert_eq!(
        github
            .stdout
            .lines()
            .filter(|l| l.starts_with("::notice"))
            .count(),
        1
    );
    assert_eq!(
        commands.len(),
        names.len(),
        "a file name broke a workflow command apart:\n{}",
        github.stdout
    );
    for line in github.stdout.lines() {
        assert!(
            line.starts_with("::") || !line.contains("::"),
            "a stray workflow command: {line}"
        );
    }
    // Human output: a name's control characters are escaped, never sent to the terminal.
    let human = trailcheck(scratch.path(), &["check", "--no-config", "."]);
    assert!(
        !human.stdout.contains('\u{1b}') && human.stdout.contains("escape-\\u{1b}[31m-red.yaml"),
        "{}",
        human.stdout
    );
    for output in [&human.stdout, &github.stdout] {
        assert!(!output.contains('\u{202E}'), "{output}");
    }
}

/// A template's strings quoted in messages and shown in snippets: an escape sequence, a bell, a
/// lone carriage return, a right-to-left override. None reaches a terminal as it is, in any
/// format meant for one; JSON carries them escaped.
#[test]
fn control_characters_in_a_template_never_reach_the_terminal() {
    let scratch = Scratch::new("controls");
    let template = rule_yaml("Rule")
        .replace(
            "eventName: [GetObject]",
            // Raw in the file but for the carriage return, which YAML reads as a line break.
            "eventName: [\"PutObjec\u{1b}[31mt\u{7}\\r\u{202E}x\"]",
        )
        // A comment on a line the snippet shows.
        .replace("detail:\n", "detail: # \u{1b}[2J\u{7}\u{202E}\n");
    scratch.write("stack.yaml", template);
    let (ran, document) = check_json(scratch.path(), &["."]);
    assert_eq!(findings(&document).len(), 1, "{}", ran.stdout);
    for format in ["human", "github"] {
        let ran = trailcheck(
            scratch.path(),
            &["check", "--no-config", "--format", format, "."],
        );
        for c in ['\u{1b}', '\u{7}', '\r', '\u{202E}'] {
            assert!(!ran.stdout.contains(c), "{format}: {:?}", ran.stdout);
        }
        assert!(
            ran.stdout.contains("PutObjec\\u{1b}[31mt"),
            "{format}: {}",
            ran.stdout
        );
    }
    // The snippet shows the line, each such character replaced in place.
    let human = trailcheck(scratch.path(), &["check", "--no-config", "."]);
    assert!(
        human.stdout.contains("detail: # ?[2J?\u{FFFD}"),
        "{}",
        human.stdout
    );
}

#[test]
fn nothing_named_in_an_input_is_read() {
    // SPEC §10: nothing named in an input is executed or fetched. Local paths in nested stacks,
    // includes and SAM code locations point at a file outside the tree.
    let scratch = Scratch::new("references");
    let secret = outside_secret(&scratch);
    let secret = secret.to_str().expect("a UTF-8 path");
    let relative = format!("../outside-{PATH_MARKER}/secret.yaml");
    scratch.write(
        "tree/stack.yaml",
        format!(
            "{TEMPLATE_HEADER}Transform: [AWS::Serverless-2016-10-31]\n\
             Resources:\n  \
               Nested:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      \
                 TemplateURL: {relative}\n  \
               Absolute:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      \
                 TemplateURL: file://{secret}\n  \
               App:\n    Type: AWS::Serverless::Application\n    Properties:\n      \
                 Location: {relative}\n  \
               Function:\n    Type: AWS::Serverless::Function\n    Properties:\n      \
                 CodeUri: {relative}\n      Handler: index.handler\n      Runtime: python3.12\n  \
               Included:\n    Type: AWS::Events::Rule\n    Properties:\n      \
                 Fn::Transform:\n        Name: AWS::Include\n        Parameters:\n          \
                   Location: {relative}\n      \
                 EventPattern:\n        source: [aws.s3]\n        \
                 detail-type: [AWS API Call via CloudTrail]\n        \
                 detail: {{eventName: [GetObject]}}\n"
        ),
    );
    for format in ["json", "human", "sarif", "github"] {
        let ran = trailcheck(
            scratch.path(),
            &[
                "check",
                "--no-config",
                "--verbose",
                "--format",
                format,
                "tree",
            ],
        );
        assert!(
            !ran.all_output().contains(MARKER),
            "--format {format}: a file named in the template was read:\n{}",
            ran.all_output()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// No side effects.

/// Every entry under `root` (links not followed): its kind, size, mode and modification time.
fn listing(root: &Path) -> Vec<(PathBuf, String, u64, u32, SystemTime)> {
    let mut entries = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(path) = pending.pop() {
        let meta = fs::symlink_metadata(&path).expect("metadata");
        let kind = format!("{:?}", meta.file_type());
        if meta.is_dir() {
            for entry in fs::read_dir(&path).expect("a listing") {
                pending.push(entry.expect("an entry").path());
            }
        }
        let modified = meta.modified().expect("a modification time");
        entries.push((
            path.strip_prefix(root).expect("inside").to_path_buf(),
            kind,
            meta.len(),
            meta.permissions().mode(),
            modified,
        ));
    }
    entries.sort();
    entries
}

/// Copies a folder (regular files and folders only).
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("a folder");
    for entry in fs::read_dir(from).expect("a listing") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("a copy");
        }
    }
}

/// Removes write permission from everything under `path` (`chmod -R a-w`).
fn make_read_only(path: &Path) {
    let meta = fs::symlink_metadata(path).expect("metadata");
    if meta.file_type().is_symlink() {
        return;
    }
    if meta.is_dir() {
        for entry in fs::read_dir(path).expect("a listing") {
            make_read_only(&entry.expect("an entry").path());
        }
    }
    let mode = meta.permissions().mode() & !0o222;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod a-w");
}

#[test]
fn the_scanned_tree_is_never_written() {
    let scratch = Scratch::new("read-only");
    let tree = scratch.mkdir("tree");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&root.join("examples"), &tree.join("examples"));
    for case in [
        "context-pairs-with-unchanged-files",
        "external-trails-aws-cli",
        "errors-unparseable-template",
        "tc103-fires-terraform-module-trail",
        "suppression-metadata-and-config-ignore",
    ] {
        copy_tree(
            &root.join("testdata/cases").join(case),
            &tree.join("cases").join(case),
        );
    }
    copy_tree(
        &root.join("testdata/test-pattern"),
        &tree.join("test-pattern"),
    );
    // Discovered from the working folder: read, never rewritten.
    fs::copy(
        root.join("testdata/cases/suppression-metadata-and-config-ignore/trailcheck.toml"),
        tree.join("trailcheck.toml"),
    )
    .expect("a config");
    // A baseline to read, written before the listing is taken.
    trailcheck(
        &tree,
        &["check", "--write-baseline", "baseline.json", "examples"],
    );
    assert!(tree.join("baseline.json").is_file(), "no baseline written");

    let before = listing(&tree);
    make_read_only(&tree);
    // Whether chmod a-w stops this user, tried on a folder of its own (not the tree, whose
    // listing must not change).
    let probe = scratch.mkdir("probe");
    make_read_only(&probe);
    if fs::write(probe.join("file"), b"").is_ok() {
        eprintln!(
            "read-only part meaningless: this user (root?) writes through chmod a-w; \
             still checking that nothing changes"
        );
    }
    let read_only = listing(&tree);

    let mut runs = Vec::new();
    for format in ["human", "json", "sarif", "github"] {
        runs.push(vec!["check", "--format", format, "."]);
        runs.push(vec![
            "check",
            "--format",
            format,
            "--verbose",
            "--context",
            ".",
            "examples/app.yaml",
        ]);
        runs.push(vec![
            "check",
            "--format",
            format,
            "--no-config",
            "--external-trails",
            "cases/external-trails-aws-cli/aws/trail.json",
            "cases/external-trails-aws-cli/input",
        ]);
        runs.push(vec![
            "check",
            "--format",
            format,
            "--baseline",
            "baseline.json",
            "examples",
        ]);
    }
    runs.push(vec![
        "test-pattern",
        "test-pattern/s3-get-pattern.json",
        "test-pattern/get-object-event.json",
        "test-pattern/put-object-event.json",
    ]);
    runs.push(vec!["rules"]);
    runs.push(vec!["explain", "TC101"]);
    for args in &runs {
        trailcheck(&tree, args);
    }
    assert_eq!(
        listing(&tree),
        read_only,
        "the tree changed while trailcheck ran"
    );
    make_writable(&tree);
    let mut after = listing(&tree);
    // Only the permission bits changed, and were restored.
    for entry in after.iter_mut() {
        entry.3 = before
            .iter()
            .find(|b| b.0 == entry.0)
            .map_or(entry.3, |b| b.3);
    }
    assert_eq!(after, before, "files were created, removed or modified");
}

// ---------------------------------------------------------------------------------------------
// Inputs that cost far more than their size: every cost must stay linear in the input.

/// Anchors nested in anchors and never aliased: each anchored node is one node of the tree,
/// not a copy per anchor around it (190 copies of a 300,000-element list would take gigabytes).
#[test]
fn nested_anchors_cost_no_copy_until_aliased() {
    let scratch = Scratch::new("nested-anchors");
    const DEPTH: usize = 190;
    let opening: String = (0..DEPTH).map(|level| format!("&a{level} [")).collect();
    let list = format!(
        "{opening}{}{}",
        vec!["x"; 300_000].join(", "),
        "]".repeat(DEPTH)
    );
    // One alias, to a node deep inside the others: copied once, within the alias budget.
    scratch.write(
        "anchors.yaml",
        format!(
            "{}Metadata:\n  deep: {list}\n  copy: *a150\n",
            rule_yaml("Anchored")
        ),
    );
    let ran = trailcheck_limited(
        scratch.path(),
        &["check", "--no-config", "--format", "json", "anchors.yaml"],
        256 * 1024,
    );
    let document = ran.json();
    assert_eq!(summary(&document, "errors"), 0, "{}", ran.stdout);
    assert!(has_rule_finding(&document, "Anchored"), "{}", ran.stdout);
}

/// A JSON document whose top level is not an object is no template or plan, and an object is
/// recognised before it is built: neither costs a tree (some 40 times its text). A broken one
/// is still an error at the same place.
#[test]
fn large_json_data_is_checked_without_being_built() {
    let scratch = Scratch::new("json-data");
    // 24 MB each: 12 million numbers, a tree of half a gigabyte.
    let ones = vec!["1"; 12_000_000].join(",");
    scratch.write("data/array.json", format!("[{ones}]"));
    scratch.write("data/object.json", format!("{{\"data\": [{ones}]}}"));
    let broken = format!("[\"AWSTemplateFormatVersion\", {ones},]");
    scratch.write("data/broken.json", &broken);
    scratch.write("data/good.yaml", rule_yaml("GoodRule"));
    let ran = trailcheck_limited(
        scratch.path(),
        &["check", "--no-config", "--format", "json", "data"],
        256 * 1024,
    );
    let document = ran.json();
    assert!(has_rule_finding(&document, "GoodRule"), "{}", ran.stdout);
    assert_eq!(summary(&document, "skipped"), 2, "{}", ran.stdout);
    let error = error_for(&document, "data/broken.json").expect("an error for the broken file");
    // The `]` after the trailing comma, where a value was expected.
    assert_eq!(
        (error["line"].as_u64(), error["column"].as_u64()),
        (Some(1), Some(broken.len() as u64)),
        "{error}"
    );
}

/// CloudFormation's forgiving indentation on a template near its 1 MB limit: a quoted scalar
/// with 150,000 continuation lines left of its key, then 150,000 nodes. Mending it is one pass
/// over the text, and moving the spans back one lookup per span.
#[test]
fn mending_yaml_indentation_takes_linear_time() {
    let scratch = Scratch::new("relaxed");
    let lines = "ab\n".repeat(150_000);
    let items = vec!["x"; 150_000].join(", ");
    let text = format!(
        "{}Outputs:\n  Long:\n    Description: \"start\n{lines}end\"\n    Value: [{items}]\n",
        rule_yaml("Relaxed")
    );
    assert!(text.len() < 1 << 20, "{} bytes", text.len());
    scratch.write("relaxed.yaml", text);
    let (ran, document) = check_json(scratch.path(), &["relaxed.yaml"]);
    assert_eq!(summary(&document, "errors"), 0, "{}", ran.stdout);
    assert!(has_rule_finding(&document, "Relaxed"), "{}", ran.stdout);
}

/// Human output shows each snippet from the lines around it: it never reads the file from its
/// first byte for each of them (300 findings at the end of a 20 MB template).
#[test]
fn human_snippets_at_the_end_of_a_large_template_are_fast() {
    let scratch = Scratch::new("human-large");
    const RULES: usize = 300;
    let filler = format!("\"{}\"", "x".repeat(100));
    let filler = vec![filler.as_str(); 200_000].join(",\n");
    let rules: Vec<String> = (0..RULES)
        .map(|i| {
            format!(
                "\"Rule{i}\": {{\"Type\": \"AWS::Events::Rule\", \"Properties\": {{\"EventPattern\": \
                 {{\"source\": [\"aws.s3\"], \"detail-type\": [\"AWS API Call via CloudTrail\"], \
                 \"detail\": {{\"eventName\": [\"GetObject\"]}}}}}}}}"
            )
        })
        .collect();
    let text = format!(
        "{{\n\"AWSTemplateFormatVersion\": \"2010-09-09\",\n\"Metadata\": {{\"filler\": [\n{filler}\n]}},\n\
         \"Resources\": {{\n{}\n}}\n}}\n",
        rules.join(",\n")
    );
    scratch.write("large.template.json", text);
    let ran = trailcheck(
        scratch.path(),
        &["check", "--no-config", "large.template.json"],
    );
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert_eq!(
        ran.stdout.matches("error[TC101]").count(),
        RULES,
        "{}",
        &ran.stdout[..ran.stdout.len().min(2000)]
    );
    // The last rule is on line 200,005, and its snippet says so.
    let last = 200_004 + RULES;
    assert!(
        ran.stdout.contains(&format!("large.template.json:{last}:")),
        "{}",
        &ran.stdout[ran.stdout.len().saturating_sub(2000)..]
    );
}

// ---------------------------------------------------------------------------------------------
// `test-pattern`.

/// An event with deep, long keys and thousands of leaves below them, and arrays 190 deep
/// around a million leaves: a full path or a list of array elements per leaf would take
/// gigabytes. Only what the pattern can ask about is kept.
#[test]
fn test_pattern_events_with_deep_long_paths_stay_small() {
    let scratch = Scratch::new("pattern-deep");
    let key = "k".repeat(1000);
    let leaves: Vec<String> = (0..10_000).map(|i| format!("\"l{i}\": {i}")).collect();
    let deep = format!(
        "{}{{{}}}{}",
        format!("{{\"{key}\": ").repeat(150),
        leaves.join(", "),
        "}".repeat(150)
    );
    let arrays = format!(
        "{}{}{}",
        "[".repeat(190),
        vec!["1"; 1_000_000].join(","),
        "]".repeat(190)
    );
    scratch.write(
        "event.json",
        format!("{{\"source\": \"my.app\", \"deep\": {deep}, \"a\": {arrays}}}"),
    );
    scratch.write("pattern.json", r#"{"source": ["my.app"], "a": [1]}"#);
    scratch.write("miss.json", r#"{"source": ["my.app"], "a": [2]}"#);
    let ran = trailcheck(
        scratch.path(),
        &["test-pattern", "pattern.json", "event.json"],
    );
    assert_eq!(ran.code, 0, "{}", ran.all_output());
    assert_eq!(ran.stdout, "event.json: match\n");
    let ran = trailcheck(scratch.path(), &["test-pattern", "miss.json", "event.json"]);
    assert_eq!(ran.code, 1, "{}", ran.all_output());
    assert_eq!(
        ran.stdout,
        "event.json: no match: `a` has no value the pattern accepts\n"
    );
}

/// A pattern's keys are quoted in what `test-pattern` prints: a line break or another control
/// character in one must not start a line of its own (`::warning …` is a GitHub workflow
/// command when it opens a line of a job's log).
#[test]
fn test_pattern_output_never_forges_a_line() {
    let scratch = Scratch::new("pattern-forged");
    let forged = "x\\n::warning file=README.md,line=1::forged\\r\\u001b[2J";
    scratch.write("no-match.json", format!(r#"{{"{forged}": ["b"]}}"#));
    scratch.write("invalid.json", format!(r#"{{"{forged}": "not an array"}}"#));
    scratch.write(
        "nested-invalid.json",
        format!(r#"{{"detail": {{"{forged}": [{{"prefix": 1}}]}}}}"#),
    );
    scratch.write("event.json", r#"{"detail": {}}"#);
    for pattern in ["no-match.json", "invalid.json", "nested-invalid.json"] {
        let ran = trailcheck(scratch.path(), &["test-pattern", pattern, "event.json"]);
        assert_ne!(ran.code, 0, "{pattern}: {}", ran.all_output());
        let output = ran.all_output();
        assert!(output.contains("::warning"), "{pattern}: {output}");
        for line in output.lines() {
            assert!(
                !line.trim_start().starts_with("::"),
                "{pattern}: a forged line: {line:?}\n{output}"
            );
        }
        for c in ['\r', '\u{1b}'] {
            assert!(!output.contains(c), "{pattern}: {output:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Options that name a file: `--external-trails`, `--baseline`, `--config`.

/// The AWS CLI's output for 100,000 trails, one `get-event-selectors` object each: each object
/// finds its trail by ARN in constant time, not by a scan of those before it.
#[test]
fn many_event_selector_objects_are_read_in_linear_time() {
    let scratch = Scratch::new("external-many");
    let objects: Vec<String> = (0..100_000)
        .map(|i| {
            format!(
                "{{\"TrailARN\": \"arn:aws:cloudtrail:us-east-1:111122223333:trail/t{i}\", \
                 \"EventSelectors\": []}}"
            )
        })
        .collect();
    scratch.write("trails.json", format!("[{}]", objects.join(",\n")));
    scratch.write(
        "tree/topic.yaml",
        format!("{TEMPLATE_HEADER}Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"),
    );
    let (ran, document) = check_json(
        scratch.path(),
        &["--external-trails", "trails.json", "tree"],
    );
    assert_eq!(summary(&document, "errors"), 0, "{}", ran.stdout);
    assert_eq!(summary(&document, "trails"), 100_000, "{}", ran.stdout);
}

/// A pull request can replace the file an option names (`--external-trails trails.json` in a
/// workflow) with a symbolic link to a secret outside the repository. The link is refused with
/// an error that names neither its target nor anything in it; `--write-baseline` never writes
/// through one either.
#[test]
fn files_named_by_options_are_never_read_through_a_link() {
    let scratch = Scratch::new("option-links");
    // Invalid as JSON and TOML, so that reading it would quote it in a parse error.
    let secret = scratch.write(
        format!("outside-{PATH_MARKER}/credentials"),
        format!("[default {MARKER}\naws_secret_access_key = {MARKER}\n"),
    );
    let repo = scratch.mkdir("repo");
    scratch.write("repo/app.yaml", rule_yaml("GoodRule"));
    for name in [
        "trails.json",
        "baseline.json",
        "trailcheck.toml",
        "written.json",
    ] {
        symlink(&secret, repo.join(name)).expect("a symbolic link");
    }
    for (option, file) in [
        ("--external-trails", "trails.json"),
        ("--baseline", "baseline.json"),
        ("--config", "trailcheck.toml"),
    ] {
        for format in ["human", "json", "sarif", "github"] {
            let mut args = vec!["check", "--format", format, option, file, "app.yaml"];
            if option != "--config" {
                args.push("--no-config");
            }
            let ran = trailcheck(&repo, &args);
            let shown = args.join(" ");
            assert_eq!(ran.code, 2, "`{shown}`:\n{}", ran.all_output());
            for marker in [MARKER, PATH_MARKER] {
                assert!(
                    !ran.all_output().contains(marker),
                    "`{shown}` printed the link's target ({marker}):\n{}",
                    ran.all_output()
                );
            }
            assert!(
                ran.all_output().contains("symbolic link") && ran.all_output().contains(file),
                "`{shown}` does not say that {file} is a link:\n{}",
                ran.all_output()
            );
        }
    }
    let before = fs::read(&secret).expect("the secret");
    let ran = trailcheck(
        &repo,
        &[
            "check",
            "--no-config",
            "--write-baseline",
            "written.json",
            "app.yaml",
        ],
    );
    assert_eq!(ran.code, 2, "{}", ran.all_output());
    assert!(ran.stderr.contains("symbolic link"), "{}", ran.stderr);
    assert_eq!(
        fs::read(&secret).expect("the secret"),
        before,
        "written through a link"
    );
}

/// A config or a baseline far larger than any real one is refused before it is read; a glob
/// too large to compile is an error with a place, never a panic; what these files quote in
/// their errors never starts a line of its own.
#[test]
fn config_and_baseline_mistakes_are_bounded_errors() {
    let scratch = Scratch::new("config-mistakes");
    scratch.write("app.yaml", rule_yaml("GoodRule"));
    // Sparse, 600 MB: the TOML and JSON readers would need gigabytes.
    for name in ["huge.toml", "huge-baseline.json"] {
        fs::File::create(scratch.join(name))
            .and_then(|file| file.set_len(600 * 1024 * 1024))
            .expect("a sparse file");
    }
    for (args, limit) in [
        (
            &["check", "--config", "huge.toml", "app.yaml"][..],
            trailcheck::config::MAX_SIZE,
        ),
        (
            &[
                "check",
                "--no-config",
                "--baseline",
                "huge-baseline.json",
                "app.yaml",
            ][..],
            trailcheck::baseline::MAX_SIZE,
        ),
    ] {
        let ran = trailcheck_limited(scratch.path(), args, 256 * 1024);
        assert_eq!(ran.code, 2, "{}", ran.all_output());
        assert!(
            ran.stderr.contains(&format!("{limit} bytes")),
            "the limit is not stated: {}",
            ran.stderr
        );
        assert!(ran.took < Duration::from_secs(5), "took {:?}", ran.took);
    }

    // Globset compiles a glob into a regex with a size limit, and panics over it.
    scratch.write(
        "big-glob.toml",
        format!(
            "[[ignore]]\nresource = \"{}\"\nrules = [\"TC101\"]\n",
            "**/a".repeat(50_000)
        ),
    );
    let ran = trailcheck(
        scratch.path(),
        &["check", "--config", "big-glob.toml", "app.yaml"],
    );
    assert_eq!(ran.code, 2, "{}", ran.all_output());
    assert!(
        ran.stderr.contains("big-glob.toml:2:"),
        "the error has no place: {}",
        &ran.stderr[..ran.stderr.len().min(2000)]
    );
    scratch.write(
        "big-exclude.toml",
        format!("exclude = [\"x\", \"{}\"]\n", "**/a".repeat(50_000)),
    );
    let ran = trailcheck(
        scratch.path(),
        &["check", "--config", "big-exclude.toml", "app.yaml"],
    );
    assert_eq!(ran.code, 2, "{}", ran.all_output());
    assert!(
        ran.stderr.contains("big-exclude.toml:1:"),
        "the error has no place: {}",
        &ran.stderr[..ran.stderr.len().min(2000)]
    );

    // Quoted input with line breaks and escape sequences, in every error path.
    let forged = "x\\n::error file=README.md,line=1::forged\\r\\u001b[2J";
    scratch.write(
        "forged-baseline.json",
        format!("{{\"version\": 1, \"fingerprints\": [], \"{forged}\": 1}}"),
    );
    scratch.write(
        "forged-rule.toml",
        format!("[rules]\nignore = [\"{forged}\"]\n"),
    );
    scratch.write("forged-key.toml", format!("\"{forged}\" = 1\n"));
    scratch.write(
        "forged-glob.toml",
        format!("[[ignore]]\nresource = \"[{forged}\"\n"),
    );
    // A trail whose name a finding quotes, in its message, its help and a related note.
    scratch.write(
        "forged-trails.json",
        format!(
            "{{\"trailList\": [{{\"Name\": \"{forged}\", \"HomeRegion\": \"us-east-1\", \
             \"IsMultiRegionTrail\": true, \"HasCustomEventSelectors\": false}}], \"{forged}\": 1}}"
        ),
    );
    for args in [
        &[
            "check",
            "--no-config",
            "--baseline",
            "forged-baseline.json",
            "app.yaml",
        ][..],
        &["check", "--config", "forged-rule.toml", "app.yaml"][..],
        &["check", "--config", "forged-key.toml", "app.yaml"][..],
        &["check", "--config", "forged-glob.toml", "app.yaml"][..],
        &[
            "check",
            "--no-config",
            "--select",
            "TC101,TC1\n::error::forged",
            "app.yaml",
        ][..],
        &[
            "check",
            "--no-config",
            "--external-trails",
            "forged-trails.json",
            "app.yaml",
        ][..],
        &[
            "check",
            "--no-config",
            "--format",
            "github",
            "--external-trails",
            "forged-trails.json",
            "app.yaml",
        ][..],
    ] {
        let ran = trailcheck(scratch.path(), args);
        let output = ran.all_output();
        assert_ne!(ran.code, 0, "{args:?}: {output}");
        // One workflow command per finding in the GitHub format, none forged anywhere.
        let github = args.contains(&"github");
        let commands = output
            .lines()
            .filter(|line| line.trim_start().starts_with("::"))
            .count();
        assert_eq!(
            commands,
            usize::from(github),
            "{args:?}: a forged line:\n{output}"
        );
        for c in ['\r', '\u{1b}'] {
            assert!(!output.contains(c), "{args:?}: {output:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Files that change between the walk and the read.

/// Runs `read` on its own thread; `None` when it has not returned within two seconds (it is
/// blocked, and left behind).
fn within_two_seconds<T: Send + 'static>(read: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(read());
    });
    receiver.recv_timeout(Duration::from_secs(2)).ok()
}

/// A walked file replaced, after the walk listed it, by a symbolic link out of the tree or by
/// a FIFO: the link is not followed and the FIFO never blocks. A file named on the command line
/// is still read through a link.
#[test]
fn a_file_swapped_after_the_walk_is_neither_followed_nor_blocked_on() {
    let scratch = Scratch::new("swapped");
    let secret = outside_secret(&scratch);
    let tree = scratch.mkdir("tree");
    let walked = scratch.write("tree/stack.yaml", rule_yaml("Walked"));
    let found = trailcheck::walk::discover(std::slice::from_ref(&tree), None, false);
    assert_eq!(found.files, std::slice::from_ref(&walked));

    fs::remove_file(&walked).expect("removed");
    symlink(&secret, &walked).expect("a symbolic link");
    let read = {
        let walked = walked.clone();
        within_two_seconds(move || trailcheck::walk::read_found(&walked, false))
    };
    let error = read
        .expect("reading a link returns")
        .expect_err("a walked file that became a link is not read");
    assert!(error.to_string().contains("symbolic link"), "{error}");
    assert!(!error.to_string().contains(MARKER), "{error}");
    // Named on the command line, the same link is read.
    let text = trailcheck::walk::read_found(&walked, true).expect("a named link is read");
    assert!(text.contains(MARKER));

    fs::remove_file(&walked).expect("removed");
    if !mkfifo(&walked) {
        return;
    }
    for named in [false, true] {
        let walked = walked.clone();
        let read = within_two_seconds(move || trailcheck::walk::read_found(&walked, named));
        let error = read
            .expect("opening a FIFO never blocks")
            .expect_err("a FIFO is not read");
        assert!(error.to_string().contains("not a regular file"), "{error}");
    }
}

/// Conditions that each name the next one several times (`C0: !And [!Condition C1, …]`), and
/// bucket names that join the names of other buckets several times, grow as a power of the
/// template when evaluated naively: each condition and name is evaluated once, and a value
/// that outgrows any name is unknown.
#[test]
fn chains_of_conditions_and_joined_names_are_evaluated_once() {
    let scratch = Scratch::new("chains");
    const LEVELS: usize = 12;
    const FAN: usize = 60;
    let mut template = format!("{TEMPLATE_HEADER}Conditions:\n");
    for level in 0..LEVELS {
        let next = if level + 1 == LEVELS {
            "!Equals [a, a]".to_owned()
        } else {
            let names = vec![format!("!Condition C{}", level + 1); FAN].join(", ");
            format!("!And [{names}]")
        };
        template.push_str(&format!("  C{level}: {next}\n"));
    }
    // The rule exists when C0 holds (it does) and waits for reads of B0, whose name joins B1's
    // sixty times, which joins B2's sixty times, …: far too long to be any bucket's.
    template.push_str(
        "Resources:\n  Chained:\n    Type: AWS::Events::Rule\n    Condition: C0\n    Properties:\n      EventPattern:\n        source: [aws.s3]\n        detail-type: [AWS API Call via CloudTrail]\n        detail:\n          eventName: [GetObject]\n          requestParameters: {bucketName: [!Ref B0]}\n",
    );
    for level in 0..LEVELS {
        let name = if level + 1 == LEVELS {
            "leaf".to_owned()
        } else {
            let refs = vec![format!("!Ref B{}", level + 1); FAN].join(", ");
            format!("!Join [\"-\", [{refs}]]")
        };
        template.push_str(&format!(
            "  B{level}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: {name}\n"
        ));
    }
    scratch.write("chains.yaml", template);
    let ran = trailcheck(
        scratch.path(),
        &["check", "--no-config", "--format", "json", "chains.yaml"],
    );
    assert!(ran.took < Duration::from_secs(5), "took {:?}", ran.took);
    let document = ran.json();
    assert_eq!(summary(&document, "errors"), 0, "{}", ran.stdout);
    let found: Vec<(String, String)> = findings(&document)
        .into_iter()
        .map(|f| (f.0, f.1))
        .collect();
    assert_eq!(found, [("TC101".to_owned(), "Chained".to_owned())]);
}

/// An intrinsic somewhere in a pattern leaves its length open, but no value is shorter than
/// `""`: a pattern longer than EventBridge's limit whatever the intrinsic gives is rejected
/// without its thousands of values being paired.
#[test]
fn a_pattern_too_long_whatever_its_intrinsics_is_rejected() {
    let scratch = Scratch::new("long-pattern");
    let names: Vec<String> = (0..50_000).map(|i| format!("Event{i}")).collect();
    let template = format!(
        "{TEMPLATE_HEADER}Parameters:\n  Bucket: {{Type: String}}\nResources:\n  Long:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern:\n        source: [aws.s3]\n        detail-type: [AWS API Call via CloudTrail]\n        detail:\n          eventSource: [s3.amazonaws.com]\n          eventName: [{}]\n          requestParameters:\n            bucketName: [!Ref Bucket]\n",
        names.join(", ")
    );
    scratch.write("long.yaml", template);
    let ran = trailcheck(
        scratch.path(),
        &["check", "--no-config", "--format", "json", "long.yaml"],
    );
    assert!(ran.took < Duration::from_secs(5), "took {:?}", ran.took);
    let document = ran.json();
    let rules: Vec<String> = findings(&document).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["TC201"], "{}", ran.stdout);
}

/// A plan's configuration with modules called within modules, long names and many resources:
/// each resource's provider is looked up one module at a time, never by its full address
/// spelt out (which would cost the depth times the name length for every resource).
#[test]
fn deeply_nested_module_calls_cost_their_size() {
    let scratch = Scratch::new("module-calls");
    const DEPTH: usize = 50;
    const RESOURCES: usize = 300;
    let name = |level: usize| format!("m{level}{}", "x".repeat(1000));
    let mut configuration = serde_json::json!({});
    for level in (0..DEPTH).rev() {
        let resources: Vec<Value> = (0..RESOURCES)
            .map(|i| {
                serde_json::json!({"address": format!("aws_sqs_queue.q{i}"), "mode": "managed",
                    "type": "aws_sqs_queue", "name": format!("q{i}"), "provider_config_key": "aws"})
            })
            .collect();
        let mut module = serde_json::json!({"resources": resources});
        if level + 1 < DEPTH {
            module["module_calls"] =
                serde_json::json!({ name(level + 1): {"source": "./m", "module": configuration} });
        }
        configuration = module;
    }
    let plan = serde_json::json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [{
            "address": "aws_cloudwatch_event_rule.r", "mode": "managed",
            "type": "aws_cloudwatch_event_rule", "name": "r",
            "values": {"name": "r", "state": "ENABLED",
                "event_pattern": "{\"source\":[\"aws.s3\"],\"detail-type\":[\"AWS API Call via CloudTrail\"]}"}}]}},
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}},
            "root_module": configuration
        }
    });
    let text = serde_json::to_string(&plan).expect("JSON");
    scratch.write("plan.json", text);
    let ran = trailcheck_limited(
        scratch.path(),
        &["check", "--no-config", "--format", "json", "plan.json"],
        512 * 1024,
    );
    let document = ran.json();
    assert_eq!(summary(&document, "plans"), 1, "{}", ran.stdout);
    let rules: Vec<String> = findings(&document).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["TC101"], "{}", ran.stdout);
}

/// Terraform configuration that would explode if evaluated naively: values doubling at every
/// local, a `for` over a huge range, a chain of thousands of locals, a module that calls itself,
/// 10,000-deep brackets and a template that asks for itself. Each ends in unknown values or a
/// parse error with a place, quickly and in bounded memory, and the rule beside them is still
/// read.
#[test]
fn hostile_terraform_ends_in_unknowns_quickly_in_bounded_memory() {
    let scratch = Scratch::new("terraform");
    let mut doubling = String::from("locals {\n  d0 = [\"x\"]\n");
    for i in 1..80 {
        doubling.push_str(&format!(
            "  d{i} = concat(local.d{}, local.d{})\n",
            i - 1,
            i - 1
        ));
    }
    let mut chain = String::new();
    for i in 0..20_000 {
        chain.push_str(&format!("  c{i} = local.c{}\n", i + 1));
    }
    doubling.push_str(&chain);
    doubling.push_str("  c20000 = \"end\"\n  huge = [for i in range(2000000000) : [for j in range(100000) : j]]\n}\n");
    scratch.write("root/locals.tf", &doubling);
    scratch.write(
        "root/main.tf",
        "module \"self\" {\n  source = \"./\"\n}\nmodule \"loop\" {\n  source = \"../loop\"\n}\n\
         resource \"aws_cloudwatch_event_rule\" \"bad\" {\n  event_pattern = jsonencode({ source = \"aws.s3\", n = local.d79, c = local.c0, h = local.huge })\n}\n\
         resource \"aws_cloudwatch_event_rule\" \"tpl\" {\n  event_pattern = templatefile(\"${path.module}/t.tpl\", {})\n}\n",
    );
    scratch.write("root/t.tpl", "${templatefile(\"t.tpl\", {})}");
    scratch.write(
        "loop/main.tf",
        "module \"back\" {\n  source = \"../loop\"\n}\n",
    );
    scratch.write(
        "deep/main.tf",
        format!(
            "locals {{\n  x = {}1{}\n}}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    let (ran, document) = check_json(scratch.path(), &["."]);
    assert!(ran.took < TIME_LIMIT, "took {:?}", ran.took);
    // The rule's pattern is invalid whatever the unknowns hold (`source` is no array).
    assert!(
        findings(&document)
            .iter()
            .any(|(rule, resource, ..)| rule == "TC201"
                && resource == "aws_cloudwatch_event_rule.bad"),
        "{document:#}"
    );
    assert!(
        error_for(&document, "deep/main.tf").is_some_and(|e| e["line"] == 2),
        "{document:#}"
    );
}
