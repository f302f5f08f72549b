//! Terraform configuration, read once every file is parsed: `.tf` files are grouped into
//! module folders, the folders their module calls name are read too (local ones, and those
//! `terraform init` cached), and each root module is evaluated into what it declares.
//!
//! A root module is a deployment of its own (SPEC §2). A root module whose plan is also among
//! the inputs (a plan in its folder, or one that declares every resource it reads) is read from
//! the plan alone, which holds the values Terraform resolved: nothing is reported twice.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::inputs::FileRead;
use super::{RunError, Settings};
use crate::ingest::tf::hcl::{self, Folders, HclFile, HclKind, Root};
use crate::ingest::tf::without_instance_keys as without_keys;
use crate::ingest::{FileOutcome, InputKind};
use crate::source::{self, FileId, SourceFile};
use crate::walk;

/// Most module folders read from outside the scanned paths.
const MAX_MODULE_FOLDERS: usize = 1_000;

/// What the configuration gave.
#[derive(Default)]
pub(super) struct Read {
    pub roots: Vec<Root>,
    /// Files read besides the inputs (modules outside the paths, `--var-file`), in file ID
    /// order after the inputs.
    pub files: Vec<SourceFile>,
    pub errors: Vec<RunError>,
    /// Root modules read from their plan instead, and why.
    pub skipped: Vec<(PathBuf, String)>,
}

/// Takes the parsed Terraform files out of `outcomes` (leaving them read) and evaluates their
/// root modules.
pub(super) fn read(outcomes: &mut [(PathBuf, FileRead)], settings: &Settings) -> Read {
    let mut folders = Folders {
        scanned: settings
            .paths
            .iter()
            .chain(&settings.context)
            .filter(|p| p.as_os_str() != "-")
            .map(|p| {
                if p.is_dir() {
                    p.clone()
                } else {
                    p.parent()
                        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
                }
            })
            .collect(),
        vars: settings.ingest.vars.clone(),
        ..Folders::default()
    };
    let mut plans: Vec<(PathBuf, HashSet<String>)> = Vec::new();
    let mut any = false;
    for (index, (path, result)) in outcomes.iter_mut().enumerate() {
        let Ok((file, outcome)) = result else {
            continue;
        };
        match outcome {
            FileOutcome::Input(contents) if contents.kind == InputKind::Plan => {
                let items = &contents.items;
                let addresses = items
                    .rules
                    .iter()
                    .map(|r| &r.name)
                    .chain(items.trails.iter().map(|t| &t.name))
                    .chain(items.buckets.iter().map(|b| &b.name))
                    .map(|a| without_keys(a))
                    .collect();
                plans.push((path.clone(), addresses));
            }
            FileOutcome::Hcl(..) => {
                any = true;
                let taken = std::mem::replace(
                    outcome,
                    FileOutcome::Input(Box::new(crate::ingest::Contents::empty(
                        InputKind::Configuration,
                    ))),
                );
                let FileOutcome::Hcl(parsed, kind) = taken else {
                    continue;
                };
                let hcl::Parsed { body, places } = *parsed;
                folders.add(
                    HclFile {
                        id: FileId(index as u32),
                        path: path.clone(),
                        text: Arc::clone(&file.text),
                        body,
                        places,
                        reported: file.reported,
                    },
                    kind,
                );
            }
            _ => {}
        }
    }
    let mut read = Read::default();
    if !any {
        return read;
    }
    // Files read here take the IDs after the inputs', in the order they are read.
    let first = outcomes.len();
    for path in &settings.ingest.var_files {
        if let Some(file) = load(path, first, walk::Links::Follow, false, &mut read) {
            folders.var_files.push(file);
        }
    }
    // The folders module calls name, until none is missing.
    let reported = folders
        .folders
        .values()
        .any(|f| f.files.iter().any(|file| file.reported));
    let mut loaded = 0;
    loop {
        let missing = folders.missing_modules();
        if missing.is_empty() || loaded >= MAX_MODULE_FOLDERS {
            break;
        }
        for dir in missing {
            loaded += 1;
            let files = module_files(&dir);
            if files.is_empty() {
                // Mark it read, so that it is not looked for again.
                folders.add_empty(&dir);
            }
            for path in files {
                if let Some(file) = load(&path, first, walk::Links::Refuse, reported, &mut read) {
                    folders.add(file, HclKind::Configuration);
                } else {
                    folders.add_empty(&dir);
                }
            }
        }
    }
    for root in folders.read() {
        let own_plan = plans.iter().find(|(plan, addresses)| {
            let beside = plan
                .parent()
                .is_some_and(|dir| source::normalized(dir) == root.dir);
            let covers = !root.addresses.is_empty()
                && root
                    .addresses
                    .iter()
                    .all(|a| addresses.contains(&without_keys(a)));
            beside || covers
        });
        match own_plan {
            Some((plan, _)) => read.skipped.push((
                PathBuf::from(&root.shown),
                format!(
                    "a Terraform root module whose plan `{}` is read instead",
                    source::display_path(plan)
                ),
            )),
            None => read.roots.push(root),
        }
    }
    read
}

/// Reads and parses a Terraform file that is not one of the inputs: the file is added to
/// `read.files` (its ID is `first` and its place there), and an error to `read.errors`.
fn load(
    path: &Path,
    first: usize,
    links: walk::Links,
    reported: bool,
    read: &mut Read,
) -> Option<HclFile> {
    let text = match walk::read_with(path, links, walk::MAX_FILE_SIZE) {
        Ok(text) => text,
        Err(error) => {
            read.errors.push(RunError {
                path: path.to_path_buf(),
                at: None,
                message: error.to_string(),
            });
            return None;
        }
    };
    let id = FileId((first + read.files.len()) as u32);
    let mut file = SourceFile::new(path, text, reported);
    file.addressed = true;
    let text = Arc::clone(&file.text);
    read.files.push(file);
    let (kind, syntax) = hcl::kind_of(path).unwrap_or((HclKind::Values, hcl::HclSyntax::Native));
    match hcl::parse(&text, syntax, kind) {
        Ok(hcl::Parsed { body, places }) => {
            read.files.last_mut().expect("pushed").analysed = true;
            Some(HclFile {
                id,
                path: path.to_path_buf(),
                text,
                body,
                places,
                reported,
            })
        }
        Err((offset, message)) => {
            read.errors.push(RunError {
                path: path.to_path_buf(),
                at: Some((id, offset as u32)),
                message,
            });
            None
        }
    }
}

/// The `.tf` files of a module folder, in name order; none through a symbolic link. They are
/// named relative to the working folder when they are in it, as the inputs found by walking are.
fn module_files(dir: &Path) -> Vec<PathBuf> {
    let cwd = std::env::current_dir()
        .ok()
        .map(|cwd| source::normalized(&cwd));
    let dir = match cwd.as_deref().and_then(|cwd| dir.strip_prefix(cwd).ok()) {
        Some(relative) if relative.as_os_str().is_empty() => PathBuf::from("."),
        Some(relative) => relative.to_path_buf(),
        None => dir.to_path_buf(),
    };
    // A folder reached through a link is not read, as a link is never followed while walking.
    let linked = std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink());
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    if linked {
        return Vec::new();
    }
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| hcl::kind_of(p).is_some_and(|(kind, _)| kind == HclKind::Configuration))
        .collect();
    files.sort();
    files
}
