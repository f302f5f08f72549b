//! The `check` pipeline: discover and read the files, ingest each on its own and in parallel,
//! resolve what crosses files (imports, external trails), analyse the whole deployment and
//! run the checks under the run's policy. Everything here returns data; nothing prints.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use crate::finding::{self, Finding};
use crate::ingest::{self, FileOutcome, InputKind};
use crate::model::Deployment;
use crate::source::{self, FileId, SourceFile};
use crate::{analysis, checks, config, parse, walk};

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

/// What a `check` run reads and how it reports.
#[derive(Debug, Default)]
pub struct Settings {
    pub paths: Vec<PathBuf>,
    /// Read for pairing, not reported on.
    pub context: Vec<PathBuf>,
    pub ingest: ingest::Options,
    pub config: config::Config,
    /// `--select` / `--ignore` (IDs).
    pub select: Vec<&'static str>,
    pub ignore: Vec<&'static str>,
    /// `--external-trails` files.
    pub external_trails: Vec<PathBuf>,
    /// Fingerprints of findings accepted by `--baseline`: not reported.
    pub baseline: std::collections::HashSet<String>,
}

/// Reads, analyses and checks everything under `paths`, pairing with what is under `context`
/// too but reporting only on `paths`.
pub fn check(paths: &[PathBuf], context: &[PathBuf], options: &ingest::Options) -> Run {
    check_with(&Settings {
        paths: paths.to_vec(),
        context: context.to_vec(),
        ingest: options.clone(),
        ..Settings::default()
    })
}

/// Runs `check` as `settings` say.
pub fn check_with(settings: &Settings) -> Run {
    let (paths, context, options) = (&settings.paths, &settings.context, &settings.ingest);
    let exclude = settings.config.exclude.as_ref();
    let mut discovered = walk::discover(paths, exclude);
    let reported = discovered.files.len();
    let mut context_skipped: Vec<(PathBuf, String)> = Vec::new();
    if !context.is_empty() {
        let extra = walk::discover(context, exclude);
        let known: std::collections::HashSet<PathBuf> =
            discovered.files.iter().map(|p| walk::identity(p)).collect();
        discovered.files.extend(
            extra
                .files
                .into_iter()
                .filter(|p| !known.contains(&walk::identity(p))),
        );
        // A context folder that is missing is the user's mistake; what cannot be read inside
        // one is not this run's business, as a broken file there is not.
        for (path, message) in extra.errors {
            if context.contains(&path) {
                discovered.errors.push((path, message));
            } else {
                context_skipped.push((path, format!("context only, and unreadable: {message}")));
            }
        }
        context_skipped.extend(
            extra
                .passed_over
                .into_iter()
                .map(|(path, why)| (path, why.to_owned())),
        );
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
        .chain(context_skipped)
        .collect();

    // Each file is read and ingested on its own, on every core; results keep discovery order.
    let mut outcomes: Vec<(PathBuf, FileRead)> = discovered
        .files
        .into_par_iter()
        .enumerate()
        .map(|(index, path)| {
            let result = walk::read_found(&path, paths.iter().chain(context)).map(|text| {
                let file = SourceFile::new(path.clone(), text, index < reported);
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
                // Keep file ids aligned with positions. A file that is not UTF-8 keeps its text
                // up to the invalid byte, so that the error points there in every format.
                let id = FileId(deployment.files.len() as u32);
                let message = error.to_string();
                let (text, offset) = match error {
                    walk::ReadError::NotUtf8 { offset, valid, .. } => (valid, Some(offset as u32)),
                    _ => (String::new(), None),
                };
                let error = ingest::InputError {
                    file: id,
                    offset,
                    message,
                };
                let file = SourceFile::new(path, text, (id.0 as usize) < reported);
                (file, FileOutcome::Error(error))
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

    add_external_trails(&mut deployment, settings, &mut errors);
    let reports = analysis::analyse(&deployment);
    check_suppressions(&deployment, &mut errors);
    let policy = checks::Policy {
        select: settings.select.clone(),
        ignore: settings
            .config
            .ignore_rules
            .iter()
            .map(|info| info.id)
            .chain(settings.ignore.iter().copied())
            .collect(),
        severity: settings.config.severity.clone(),
        resource_ignores: &settings.config.ignores,
    };
    let mut findings = checks::run(&deployment, &reports, &policy);
    findings.retain(|finding| !settings.baseline.contains(&finding.fingerprint()));
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

/// Adds the trails that exist outside the scanned files: the config's `[[trails]]` and the
/// `--external-trails` files. Their files join the deployment (findings may point into them)
/// but are never reported on.
fn add_external_trails(
    deployment: &mut Deployment,
    settings: &Settings,
    errors: &mut Vec<RunError>,
) {
    if let Some((path, text)) = &settings.config.source
        && !settings.config.trails.is_empty()
    {
        let file = FileId(deployment.files.len() as u32);
        for trail in &settings.config.trails {
            let loc = source::Loc {
                file,
                span: trail.span,
            };
            match parse::parse(&trail.properties, parse::Syntax::Json) {
                Ok(properties) => deployment.trails.push(ingest::external::config_trail(
                    loc,
                    &trail.name,
                    &properties,
                    trail.home_region.clone(),
                )),
                Err(error) => errors.push(RunError {
                    path: path.clone(),
                    at: Some((file, trail.span.start)),
                    message: format!("cannot read this trail: {error}"),
                }),
            }
        }
        deployment
            .files
            .push(SourceFile::new(path.clone(), text.clone(), false));
    }
    for path in &settings.external_trails {
        let file = FileId(deployment.files.len() as u32);
        let text = match walk::read_with(path, walk::Links::Refuse, ingest::external::MAX_SIZE) {
            Ok(text) => text,
            Err(error) => {
                errors.push(RunError {
                    path: path.clone(),
                    at: None,
                    message: error.to_string(),
                });
                continue;
            }
        };
        match ingest::external::aws_cli_trails(file, &text) {
            Ok(trails) => deployment.trails.extend(trails),
            Err(error) => errors.push(RunError {
                path: path.clone(),
                at: error.offset.map(|offset| (file, offset)),
                message: error.message,
            }),
        }
        deployment
            .files
            .push(SourceFile::new(path.clone(), text, false));
    }
}

/// Rule IDs in `Metadata: {trailcheck: {ignore: […]}}` must exist: a typo would silently turn
/// a check off.
fn check_suppressions(deployment: &Deployment, errors: &mut Vec<RunError>) {
    for rule in &deployment.rules {
        for (written, span) in &rule.suppressed {
            if checks::find(written).is_none() {
                errors.push(RunError {
                    path: deployment.file(rule.loc.file).path.clone(),
                    at: Some((rule.loc.file, span.start)),
                    message: format!(
                        "no rule is called `{written}`; `trailcheck rules` lists them all"
                    ),
                });
            }
        }
    }
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
