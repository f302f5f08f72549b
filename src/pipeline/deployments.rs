//! `[[deployments]]`: a repository that holds several deployments (environments, accounts,
//! independent samples) declares which files each one is made of, and each is analysed on its
//! own, so that a sandbox trail never hides a missing prod trail (SPEC §2, §6).
//!
//! A file belongs to every deployment whose globs match its path relative to the config's
//! folder. A file that no deployment names belongs to the `default` one, which also holds the
//! files that every declared deployment shares (a platform folder). The trails that exist
//! outside the scanned files (`[[trails]]`, `--external-trails`) belong to all of them.
//!
//! Without `[[deployments]]`, each Terraform root module is a deployment of its own, and the
//! other inputs together are `default` (SPEC §2).

use crate::config::{Config, DEFAULT_DEPLOYMENT};
use crate::model::{Deployment, Items};
use crate::source::{self, FileId};

/// A deployment analysed on its own.
pub(super) struct Group {
    pub name: String,
    /// The files that declare something in it (`--verbose` lists them).
    pub files: Vec<FileId>,
    pub deployment: Deployment,
}

/// Everything read, put together: the whole (for counting and rendering) and, when the config
/// declares deployments, each of them.
pub(super) struct Assembled {
    pub whole: Deployment,
    pub groups: Vec<Group>,
}

/// Puts each file's items into the deployments it belongs to; `shared` holds the files and
/// the trails every deployment has.
pub(super) fn assemble(
    shared: Deployment,
    items: Vec<(FileId, Items)>,
    roots: &[(FileId, String)],
    config: &Config,
) -> Assembled {
    let declared = &config.deployments;
    let root_of = |file: FileId| roots.iter().find(|(f, _)| *f == file).map(|(_, n)| n);
    let others = items
        .iter()
        .any(|(file, items)| root_of(*file).is_none() && !items.is_empty());
    if declared.is_empty() && (roots.len() > 1 || (roots.len() == 1 && others)) {
        return by_root_module(shared, items, roots);
    }
    if declared.is_empty() {
        let mut whole = shared;
        for (_, items) in items {
            whole.add(items);
        }
        return Assembled {
            whole,
            groups: Vec::new(),
        };
    }
    let dir = config
        .source
        .as_ref()
        .and_then(|(path, _)| path.parent())
        .map(source::normalized);
    let memberships: Vec<Vec<bool>> = items
        .iter()
        .map(|(file, _)| {
            let path = &shared.files[file.0 as usize].path;
            let key = dir
                .as_deref()
                .and_then(|dir| source::relative_to(path, dir));
            declared
                .iter()
                .map(|group| key.as_ref().is_some_and(|key| group.paths.is_match(key)))
                .collect()
        })
        .collect();
    let in_default = |member: &[bool]| member.iter().all(|&m| m) || member.iter().all(|&m| !m);
    let has_default = items
        .iter()
        .zip(&memberships)
        .any(|((_, items), member)| member.iter().all(|&m| !m) && !items.is_empty());

    let mut groups: Vec<Group> = declared
        .iter()
        .map(|group| Group {
            name: group.name.clone(),
            files: Vec::new(),
            deployment: shared.clone(),
        })
        .collect();
    let mut default = has_default.then(|| Group {
        name: DEFAULT_DEPLOYMENT.to_owned(),
        files: Vec::new(),
        deployment: shared.clone(),
    });
    let mut whole = shared;
    for ((file, items), member) in items.into_iter().zip(&memberships) {
        if items.is_empty() {
            continue;
        }
        let default = default.as_mut().filter(|_| in_default(member));
        let chosen = groups.iter_mut().zip(member).filter(|(_, m)| **m);
        for group in chosen.map(|(group, _)| group).chain(default) {
            group.files.push(file);
            group.deployment.add(items.clone());
        }
        whole.add(items);
    }
    groups.extend(default);
    Assembled { whole, groups }
}

/// Each root module a deployment, and the other inputs `default`.
fn by_root_module(
    shared: Deployment,
    items: Vec<(FileId, Items)>,
    roots: &[(FileId, String)],
) -> Assembled {
    let mut groups: Vec<Group> = roots
        .iter()
        .map(|(_, name)| Group {
            name: name.clone(),
            files: Vec::new(),
            deployment: shared.clone(),
        })
        .collect();
    let mut default = Group {
        name: DEFAULT_DEPLOYMENT.to_owned(),
        files: Vec::new(),
        deployment: shared.clone(),
    };
    let mut whole = shared;
    for (file, items) in items {
        if items.is_empty() {
            continue;
        }
        let group = match roots.iter().position(|(f, _)| *f == file) {
            Some(index) => &mut groups[index],
            None => &mut default,
        };
        group.files.push(file);
        group.deployment.add(items.clone());
        whole.add(items);
    }
    if !default.files.is_empty() {
        groups.push(default);
    }
    Assembled { whole, groups }
}
