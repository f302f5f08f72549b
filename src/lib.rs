//! trailcheck proves, before deployment, whether the events an EventBridge rule waits for can
//! ever reach it.
//!
//! The pipeline runs in one direction: `walk` finds and reads the files; `parse` turns each
//! text into one spanned document tree, whatever its syntax; `ingest` recognises templates and
//! plans and reads their rules, trails and buckets into the `model`; `analysis` works out the
//! events each rule's `pattern` can match and whether a trail delivers them; `checks` turn
//! those verdicts into `finding`s; `render` prints them. Files are read and ingested in
//! parallel, independently; everything after that sees the whole deployment, because a trail
//! in one file covers rules in another.

pub mod analysis;
pub mod catalog;
pub mod checks;
pub mod cli;
pub mod finding;
pub mod ingest;
pub mod model;
pub mod parse;
pub mod pattern;
pub mod render;
pub mod source;
pub mod walk;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use cli::{Cli, Command, Format};
use finding::Finding;
use ingest::{FileOutcome, InputKind};
use model::Deployment;
use source::{FileId, SourceFile};

/// Everything one `check` run found.
#[derive(Debug)]
pub struct Run {
    pub deployment: Deployment,
    pub findings: Vec<Finding>,
    pub errors: Vec<RunError>,
    /// Files read but not analysed, with the reason.
    pub skipped: Vec<(PathBuf, String)>,
    pub summary: Summary,
}

/// A path or file that could not be read or parsed.
#[derive(Debug, Clone)]
pub struct RunError {
    pub path: PathBuf,
    /// The file and byte offset, when the error is inside a file that was read.
    pub at: Option<(FileId, u32)>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub templates: usize,
    pub plans: usize,
    pub skipped: usize,
    pub rules: usize,
    pub trails: usize,
    pub findings: usize,
    pub errors: usize,
}

/// One file read and ingested, or why it could not be read.
type FileRead = Result<(SourceFile, FileOutcome), walk::ReadError>;

/// Reads, analyses and checks everything under `paths`, pairing with what is under `context`
/// too but reporting only on `paths`.
pub fn check(paths: &[PathBuf], context: &[PathBuf], options: &ingest::Options) -> Run {
    let mut discovered = walk::discover(paths);
    let reported = discovered.files.len();
    if !context.is_empty() {
        let extra = walk::discover(context);
        let known: std::collections::HashSet<PathBuf> =
            discovered.files.iter().map(|p| walk::identity(p)).collect();
        discovered.files.extend(
            extra
                .files
                .into_iter()
                .filter(|p| !known.contains(&walk::identity(p))),
        );
        discovered.errors.extend(extra.errors);
    }
    let mut errors: Vec<RunError> = discovered
        .errors
        .into_iter()
        .map(|(path, message)| RunError {
            path,
            at: None,
            message,
        })
        .collect();
    let mut skipped: Vec<(PathBuf, String)> = discovered
        .passed_over
        .into_iter()
        .map(|(path, why)| (path, why.to_owned()))
        .collect();

    // Each file is read and ingested on its own, on every core; results keep discovery order.
    let mut outcomes: Vec<(PathBuf, FileRead)> = discovered
        .files
        .into_par_iter()
        .enumerate()
        .map(|(index, path)| {
            let result = walk::read(&path).map(|text| {
                let file = SourceFile {
                    path: path.clone(),
                    text: Arc::new(text),
                    reported: index < reported,
                };
                let outcome = ingest::ingest(FileId(index as u32), &file, options);
                (file, outcome)
            });
            (path, result)
        })
        .collect();
    resolve_imports(&mut outcomes, options);

    let mut deployment = Deployment::default();
    let mut summary = Summary {
        files: outcomes.len(),
        ..Summary::default()
    };
    for (path, result) in outcomes {
        let (mut file, outcome) = match result {
            Ok(pair) => pair,
            Err(error) => {
                errors.push(RunError {
                    path: path.clone(),
                    at: None,
                    message: error.to_string(),
                });
                // Keep file ids aligned with positions.
                let file = SourceFile {
                    path,
                    text: Arc::default(),
                    reported: true,
                };
                (file, FileOutcome::Skipped(String::new()))
            }
        };
        match outcome {
            FileOutcome::Input(contents) => {
                match contents.kind {
                    InputKind::Template => summary.templates += 1,
                    InputKind::Plan => summary.plans += 1,
                }
                deployment.rules.extend(contents.rules);
                deployment.trails.extend(contents.trails);
                deployment.buckets.extend(contents.buckets);
                deployment.targets.extend(contents.targets);
                deployment.notifications.extend(contents.notifications);
                deployment.buses.extend(contents.buses);
                deployment.bus_policies.extend(contents.bus_policies);
            }
            FileOutcome::Skipped(reason) => {
                if !reason.is_empty() {
                    summary.skipped += 1;
                    skipped.push((file.path.clone(), reason));
                }
                // Skipped files are never shown; their text need not stay in memory.
                file.text = Arc::default();
            }
            // A broken file read only for context is not this run's business.
            FileOutcome::Error(error) if !file.reported => {
                skipped.push((
                    file.path.clone(),
                    format!("context only, and unreadable: {}", error.message),
                ));
            }
            FileOutcome::Error(error) => errors.push(RunError {
                path: file.path.clone(),
                at: error.offset.map(|offset| (error.file, offset)),
                message: error.message,
            }),
        }
        deployment.files.push(file);
    }

    let reports = analysis::analyse(&deployment);
    let mut findings = checks::run(&deployment, &reports);
    findings.retain(|finding| deployment.file(finding.loc.file).reported);
    summary.rules = deployment.rules.len();
    summary.trails = deployment.trails.len();
    summary.findings = findings.len();
    summary.errors = errors.len();
    Run {
        deployment,
        findings,
        errors,
        skipped,
        summary,
    }
}

/// What `test-pattern` found: the pattern, or why it is invalid, and each event's result.
#[derive(Debug)]
pub struct PatternTest {
    pub pattern: Result<pattern::Pattern, InvalidPattern>,
    /// Each event file with its result, or why it could not be read.
    pub events: Vec<(PathBuf, Result<pattern::EventMatch, String>)>,
}

#[derive(Debug)]
pub struct InvalidPattern {
    pub file: SourceFile,
    pub error: pattern::PatternError,
}

impl PatternTest {
    pub fn exit_code(&self) -> ExitCode {
        if self.pattern.is_err() || self.events.iter().any(|(_, r)| r.is_err()) {
            ExitCode::from(2)
        } else if self
            .events
            .iter()
            .all(|(_, r)| matches!(r, Ok(pattern::EventMatch::Match)))
        {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }
}

/// Reads a pattern and events (`-` is standard input; at most one argument may be `-`) and
/// matches each event.
pub fn test_pattern(
    pattern_path: &std::path::Path,
    event_paths: &[PathBuf],
    stdin: &mut dyn std::io::Read,
) -> PatternTest {
    // The command line allows `-` once, so standard input is read at most once.
    let mut read = |path: &std::path::Path| -> Result<String, String> {
        if path.as_os_str() == "-" {
            let mut text = String::new();
            return stdin
                .read_to_string(&mut text)
                .map(|_| text)
                .map_err(|e| format!("cannot read standard input: {e}"));
        }
        walk::read(path).map_err(|e| e.to_string())
    };
    let pattern = match read(pattern_path) {
        Err(message) => Err(InvalidPattern {
            file: SourceFile {
                path: pattern_path.to_path_buf(),
                text: Arc::default(),
                reported: true,
            },
            error: pattern::PatternError {
                span: source::Span::default(),
                path: String::new(),
                reason: message,
            },
        }),
        Ok(text) => {
            let whole = source::Span::new(0, text.len());
            let result = pattern::parse_pattern_text(&text, whole, &text);
            result.map_err(|error| InvalidPattern {
                file: SourceFile {
                    path: pattern_path.to_path_buf(),
                    text: Arc::new(text),
                    reported: true,
                },
                error,
            })
        }
    };
    let events = event_paths
        .iter()
        .map(|path| {
            let result = read(path).and_then(|text| {
                let event = parse::parse(&text, parse::Syntax::Json).map_err(|e| {
                    let at = source::line_col(&text, e.offset as usize);
                    format!("invalid JSON at {}:{}: {}", at.line, at.column, e.message)
                })?;
                if event.as_map().is_none() {
                    return Err("an event must be a JSON object".to_owned());
                }
                Ok(match &pattern {
                    Ok(pattern) => pattern::match_event(pattern, &event),
                    Err(_) => pattern::EventMatch::NoMatch(String::new()),
                })
            });
            (path.clone(), result)
        })
        .collect();
    PatternTest { pattern, events }
}

/// `Fn::ImportValue` refers to what other templates of the run export, which is known only once
/// every file is read: the few templates that import are read again with the exports.
fn resolve_imports(outcomes: &mut [(PathBuf, FileRead)], options: &ingest::Options) {
    let mut exports = ingest::cfn::Exports::new();
    for (_, result) in outcomes.iter() {
        if let Ok((_, FileOutcome::Input(contents))) = result {
            exports.extend(contents.exports.iter().cloned());
        }
    }
    if exports.is_empty() {
        return;
    }
    let options = ingest::Options {
        exports,
        ..options.clone()
    };
    outcomes
        .par_iter_mut()
        .enumerate()
        .for_each(|(index, (_, result))| {
            if let Ok((file, outcome @ FileOutcome::Input(_))) = result
                && file.text.contains("ImportValue")
            {
                *outcome = ingest::ingest(FileId(index as u32), file, &options);
            }
        });
}

/// Runs a parsed command line, reading `stdin` where an argument is `-`, writing results to
/// `out` and notes to `err`.
pub fn run(
    cli: Cli,
    stdin: &mut dyn std::io::Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    let result = match cli.command {
        Command::Check(args) => {
            let options = ingest::Options {
                cfn_region: match args.region.as_slice() {
                    [region] => Some(region.clone()),
                    _ => None,
                },
                exports: ingest::cfn::Exports::new(),
            };
            let run = check(&args.paths, &args.context, &options);
            let written = match args.format {
                Format::Human => render::human::write(out, &run, args.quiet),
                Format::Json => render::json::write(out, &run),
            };
            if args.verbose {
                let _ = render::human::write_skipped(err, &run);
            }
            written.map(|()| exit_code(&run, args.fail_on.severity()))
        }
        Command::Rules => render::docs::write_rules(out).map(|()| ExitCode::SUCCESS),
        Command::TestPattern { pattern, events } => {
            let dashes = std::iter::once(&pattern)
                .chain(&events)
                .filter(|p| p.as_os_str() == "-")
                .count();
            if dashes > 1 {
                let _ = writeln!(err, "error: standard input (`-`) can be given only once");
                return ExitCode::from(2);
            }
            let test = test_pattern(&pattern, &events, stdin);
            render::test_pattern::write(out, err, &test).map(|()| test.exit_code())
        }
        Command::Explain { rule } => match checks::find(&rule) {
            Some(info) => render::docs::write_explain(out, info).map(|()| ExitCode::SUCCESS),
            None => render::docs::write_unknown_rule(err, &rule).map(|()| ExitCode::from(2)),
        },
    };
    // Output that cannot be written (a closed pipe) leaves nothing to trust: exit 2.
    result.unwrap_or(ExitCode::from(2))
}

/// 2 when an input could not be read, 1 when a finding is at or above `fail_on`, else 0.
pub fn exit_code(run: &Run, fail_on: finding::Severity) -> ExitCode {
    if !run.errors.is_empty() {
        ExitCode::from(2)
    } else if run.findings.iter().any(|f| f.severity >= fail_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
