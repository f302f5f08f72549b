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
pub mod baseline;
pub mod catalog;
pub mod checks;
pub mod cli;
pub mod config;
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
        deployment.files.push(SourceFile {
            path: path.clone(),
            text: Arc::new(text.clone()),
            reported: false,
        });
    }
    for path in &settings.external_trails {
        let file = FileId(deployment.files.len() as u32);
        let text = match walk::read(path) {
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
        deployment.files.push(SourceFile {
            path: path.clone(),
            text: Arc::new(text),
            reported: false,
        });
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

/// The settings of a `check` run: the command line over the config file.
fn settings(args: &cli::CheckArgs) -> Result<Settings, config::ConfigError> {
    let config = if args.no_config {
        config::Config::default()
    } else {
        let path = match &args.config {
            Some(path) => Some(path.clone()),
            None => std::env::current_dir()
                .ok()
                .and_then(|dir| config::discover(&dir)),
        };
        match path {
            Some(path) => config::load(&path)?,
            None => config::Config::default(),
        }
    };
    let rules = |list: &Option<String>| -> Result<Vec<&'static str>, config::ConfigError> {
        list.iter()
            .flat_map(|list| list.split(','))
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| {
                checks::find(name)
                    .map(|info| info.id)
                    .ok_or_else(|| config::ConfigError {
                        path: PathBuf::from("command line"),
                        offset: None,
                        message: format!(
                            "no rule is called `{name}`; `trailcheck rules` lists them all"
                        ),
                    })
            })
            .collect()
    };
    let regions = if args.region.is_empty() {
        &config.regions
    } else {
        &args.region
    };
    Ok(Settings {
        paths: args.paths.clone(),
        context: args.context.clone(),
        ingest: ingest::Options {
            cfn_region: match regions.as_slice() {
                [region] => Some(region.clone()),
                _ => None,
            },
            exports: ingest::cfn::Exports::new(),
        },
        select: rules(&args.select)?,
        ignore: rules(&args.ignore)?,
        external_trails: args.external_trails.clone(),
        baseline: match &args.baseline {
            Some(path) => baseline::read(path)?,
            None => Default::default(),
        },
        config,
    })
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
            let settings = match settings(&args) {
                Ok(settings) => settings,
                Err(error) => {
                    let _ = render::human::write_config_error(err, &error);
                    return ExitCode::from(2);
                }
            };
            let run = check_with(&settings);
            if let Some(path) = &args.write_baseline {
                return match baseline::write(path, &run.findings) {
                    Ok(()) if run.errors.is_empty() => ExitCode::SUCCESS,
                    Ok(()) => ExitCode::from(2),
                    Err(error) => {
                        let _ = writeln!(
                            err,
                            "error: cannot write {}: {error}",
                            source::display_path(path)
                        );
                        ExitCode::from(2)
                    }
                };
            }
            let written = match args.format {
                Format::Human => render::human::write(out, &run, args.quiet),
                Format::Json => render::json::write(out, &run),
                Format::Sarif => render::sarif::write(out, &run),
                Format::Github => render::github::write(out, &run),
            };
            if args.verbose {
                let _ = render::human::write_skipped(err, &run);
            }
            let code = if args.exit_zero && run.errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                exit_code(&run, args.fail_on.severity())
            };
            written.map(|()| code)
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
