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

/// Reads, analyses and checks everything under `paths`.
pub fn check(paths: &[PathBuf]) -> Run {
    let discovered = walk::discover(paths);
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
    let outcomes: Vec<(PathBuf, FileRead)> = discovered
        .files
        .into_par_iter()
        .enumerate()
        .map(|(index, path)| {
            let result = walk::read(&path).map(|text| {
                let file = SourceFile {
                    path: path.clone(),
                    text: Arc::new(text),
                };
                let outcome = ingest::ingest(FileId(index as u32), &file);
                (file, outcome)
            });
            (path, result)
        })
        .collect();

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
            }
            FileOutcome::Skipped(reason) => {
                if !reason.is_empty() {
                    summary.skipped += 1;
                    skipped.push((file.path.clone(), reason));
                }
                // Skipped files are never shown; their text need not stay in memory.
                file.text = Arc::default();
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
    let findings = checks::run(&deployment, &reports);
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

/// Runs a parsed command line, writing results to `out` and notes to `err`.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let result = match cli.command {
        Command::Check(args) => {
            let run = check(&args.paths);
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
