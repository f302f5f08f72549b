//! The inputs of a run, read into one deployment: discovery of the paths and context folders,
//! each file read and ingested on its own on every core, `Fn::ImportValue` resolved across
//! templates, and the trails that exist outside the scanned files added last.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::{RunError, Settings, Summary};
use crate::ingest::{self, FileOutcome, InputKind};
use crate::model::{Deployment, Items};
use crate::source::{self, FileId, SourceFile};
use crate::{parse, walk};

/// The deployment a run reads, and what could not be read.
pub(super) struct Read {
    /// The files, and the trails every deployment shares (those outside the scanned files).
    pub deployment: Deployment,
    /// What each file declares, by file: [`super::deployments`] puts them together. A
    /// Terraform root module's resources come under its first file.
    pub items: Vec<(FileId, Items)>,
    /// The Terraform root modules read, by their first file, with the name of the deployment
    /// each is.
    pub roots: Vec<(FileId, String)>,
    pub errors: Vec<RunError>,
    /// Files read but not analysed, with the reason.
    pub skipped: Vec<(PathBuf, String)>,
    pub summary: Summary,
}

/// One file read and ingested, or why it could not be read.
pub(super) type FileRead = Result<(SourceFile, FileOutcome), walk::ReadError>;

/// Reads every file under the settings' paths and context folders into one deployment.
pub(super) fn read(settings: &Settings) -> Read {
    let found = discover(settings);
    let excluded = found
        .skipped
        .iter()
        .filter(|(_, why)| why == walk::EXCLUDED_BY_CONFIG)
        .count();
    let mut read = Read {
        deployment: Deployment::default(),
        items: Vec::new(),
        errors: found.errors,
        skipped: found.skipped,
        roots: Vec::new(),
        summary: Summary {
            excluded,
            ..Summary::default()
        },
    };
    let named: HashSet<&Path> = settings
        .paths
        .iter()
        .chain(&settings.context)
        .map(PathBuf::as_path)
        .collect();
    let stdin = settings.stdin.as_ref();
    let mut outcomes = read_files(found.files, found.reported, &named, stdin, &settings.ingest);
    resolve_imports(&mut outcomes, &settings.ingest);
    read.summary.files = outcomes.len();
    let terraform = super::terraform::read(&mut outcomes, settings);
    for (path, result) in outcomes {
        read.add(path, result, found.reported);
    }
    read.add_configuration(terraform);
    read
}

/// The files to read, in a stable order: those under the paths (reported on), then those
/// only under the context folders.
struct Found {
    files: Vec<PathBuf>,
    /// How many of `files`, from the first, are reported on.
    reported: usize,
    errors: Vec<RunError>,
    skipped: Vec<(PathBuf, String)>,
}

fn discover(settings: &Settings) -> Found {
    let context = &settings.context;
    let paths: Vec<PathBuf> = settings
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let exclude = settings.config.exclude.as_ref();
    let mut discovered = walk::discover(&paths, exclude, settings.force_exclude);
    // Standard input comes first, and stands in for the file of its name on disk.
    if let Some((name, _)) = &settings.stdin {
        let same = walk::identity(name);
        discovered.files.retain(|p| walk::identity(p) != same);
        discovered.files.insert(0, name.clone());
    }
    let reported = discovered.files.len();
    let mut context_skipped: Vec<(PathBuf, String)> = Vec::new();
    if !context.is_empty() {
        let extra = walk::discover(context, exclude, false);
        let known: HashSet<PathBuf> = discovered.files.iter().map(|p| walk::identity(p)).collect();
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
    Found {
        files: discovered.files,
        reported,
        errors: discovered
            .errors
            .into_iter()
            .map(|(path, message)| RunError {
                path,
                at: None,
                message,
            })
            .collect(),
        skipped: discovered
            .passed_over
            .into_iter()
            .map(|(path, why)| (path, why.to_owned()))
            .chain(context_skipped)
            .collect(),
    }
}

/// Reads and ingests each file on its own, on every core; results keep discovery order. A file
/// named on the command line (one of `named`) is read wherever it leads; one found by walking,
/// never through a link. The first file is standard input's when there is one.
fn read_files(
    files: Vec<PathBuf>,
    reported: usize,
    named: &HashSet<&Path>,
    stdin: Option<&(PathBuf, String)>,
    options: &ingest::Options,
) -> Vec<(PathBuf, FileRead)> {
    files
        .into_par_iter()
        .enumerate()
        .map(|(index, path)| {
            let named = named.contains(path.as_path());
            let text = match stdin {
                Some((_, text)) if index == 0 => Ok(text.clone()),
                _ => walk::read_found(&path, named),
            };
            let result = text.map(|text| {
                let file = SourceFile::new(path.clone(), text, index < reported);
                let outcome = ingest::ingest(FileId(index as u32), &file, options);
                (file, outcome)
            });
            (path, result)
        })
        .collect()
}

impl Read {
    /// Adds one file, whatever became of it, at the next file ID (the one it was ingested
    /// with).
    fn add(&mut self, path: PathBuf, result: FileRead, reported: usize) {
        let (mut file, outcome) = match result {
            Ok(pair) => pair,
            Err(error) => {
                // A file that is not UTF-8 keeps its text up to the invalid byte, so that the
                // error points there in every format.
                let id = FileId(self.deployment.files.len() as u32);
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
                file.analysed = true;
                match contents.kind {
                    InputKind::Template => self.summary.templates += 1,
                    InputKind::Plan => {
                        self.summary.plans += 1;
                        file.addressed = true;
                    }
                    InputKind::Configuration => file.addressed = true,
                }
                let id = FileId(self.deployment.files.len() as u32);
                self.items.push((id, contents.items));
            }
            // Configuration is read with its module, never on its own.
            FileOutcome::Hcl(..) => file.addressed = true,
            FileOutcome::Skipped(reason) => {
                if !reason.is_empty() {
                    self.summary.skipped += 1;
                    self.skipped.push((file.path.clone(), reason));
                }
                // Skipped files are never shown; their text need not stay in memory.
                file.text = Arc::default();
            }
            // A broken file read only for context is not this run's business.
            FileOutcome::Error(error) if !file.reported => {
                self.skipped.push((
                    file.path.clone(),
                    format!("context only, and unreadable: {}", error.message),
                ));
            }
            FileOutcome::Error(error) => self.errors.push(RunError {
                path: file.path.clone(),
                at: error.offset.map(|offset| (error.file, offset)),
                message: error.message,
            }),
        }
        self.deployment.files.push(file);
    }
}

impl Read {
    /// Adds what the Terraform root modules declare, and the files read for them.
    fn add_configuration(&mut self, terraform: super::terraform::Read) {
        self.summary.files += terraform.files.len();
        self.deployment.files.extend(terraform.files);
        self.errors.extend(terraform.errors);
        self.skipped.extend(terraform.skipped);
        self.summary.modules = terraform.roots.len();
        for root in terraform.roots {
            self.roots.push((root.file, root.shown));
            self.items.push((root.file, root.items));
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

/// Adds the trails that exist outside the scanned files: the config's `[[trails]]` and the
/// `--external-trails` files. Their files join the deployment (findings may point into them)
/// but are never reported on.
pub(super) fn add_external_trails(read: &mut Read, settings: &Settings) {
    let deployment = &mut read.deployment;
    let errors = &mut read.errors;
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
