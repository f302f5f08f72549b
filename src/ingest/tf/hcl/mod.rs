//! Terraform configuration (`.tf`) → the attribute trees the resource handlers read, as a
//! plan's `values` gives them, with the places they are written (SPEC §2 "Terraform
//! configuration (HCL)").
//!
//! Files are parsed on their own (in parallel, with every file of the run) by hcl-edit, which
//! keeps the byte span of every block, attribute and expression. A configuration is then read
//! one root module at a time: the folders of `.tf` files that no other folder calls as a
//! module. Each is evaluated by trailcheck's own partial evaluator ([`eval`]), whose values are
//! known, symbolic or unknown as CloudFormation's are: variables take their value from
//! `terraform.tfvars`, `*.auto.tfvars`, `--var-file` and `--var`, else their default, else a
//! symbol of their own; local modules (and those `terraform init` cached) are followed with
//! their inputs. What the evaluator cannot decide stays unknown, and a finding needs proof.

mod eval;
mod functions;
mod json;
mod module;

pub(crate) use module::{derives_identity, identity};
mod policy;
mod value;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hcl_edit::structure::Body;
pub use json::Places;
use rayon::prelude::*;

use crate::model::Items;
use crate::source::{self, FileId};
use eval::{Budget, Eval, NoNames};
use module::{Index, Instance};
use value::V;

/// A parsed Terraform file: configuration (`.tf`) or variable values (`.tfvars`).
#[derive(Debug)]
pub struct HclFile {
    pub id: FileId,
    pub path: PathBuf,
    pub text: Arc<String>,
    pub body: Body,
    /// For JSON syntax, where each piece of `body` is in the file.
    pub places: Option<Places>,
    /// Whether findings in it are reported (it is under the paths, not only the context).
    pub reported: bool,
}

/// A parsed file: its body, and for JSON syntax where each piece of it is in the file.
#[derive(Debug)]
pub struct Parsed {
    pub body: Body,
    pub places: Option<Places>,
}

/// Parses one file of the syntax its name says; the error is at a byte offset.
pub fn parse(text: &str, syntax: HclSyntax, kind: HclKind) -> Result<Parsed, (usize, String)> {
    let (native, places) = match syntax {
        HclSyntax::Native => (None, None),
        HclSyntax::Json => {
            let root = crate::parse::parse(text, crate::parse::Syntax::Json)
                .map_err(|e| (e.offset as usize, format!("invalid JSON: {}", e.message)))?;
            let native = match kind {
                HclKind::Configuration => json::to_native(&root),
                HclKind::Values => json::values_to_native(&root),
            };
            let (native, places) =
                native.ok_or((0, "a Terraform JSON file holds an object".to_owned()))?;
            (Some(native), Some(places))
        }
    };
    let body =
        hcl_edit::parser::parse_body(native.as_deref().unwrap_or(text)).map_err(|error| {
            let offset = error.location().offset();
            let offset = places
                .as_ref()
                .and_then(|p| p.map(offset, offset))
                .map_or(offset, |span| span.start as usize);
            // hcl-edit's message repeats the line; the offset says where.
            (offset, format!("invalid HCL: {}", error.message().trim()))
        })?;
    Ok(Parsed { body, places })
}

/// Whether a file is Terraform configuration or variable values, in which syntax, by its name
/// as Terraform itself tells them.
pub fn kind_of(path: &Path) -> Option<(HclKind, HclSyntax)> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let (name, syntax) = match name.strip_suffix(".json") {
        Some(name) => (name, HclSyntax::Json),
        None => (name.as_str(), HclSyntax::Native),
    };
    if name.ends_with(".tf") {
        Some((HclKind::Configuration, syntax))
    } else if name.ends_with(".tfvars") {
        Some((HclKind::Values, syntax))
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HclKind {
    Configuration,
    Values,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HclSyntax {
    Native,
    Json,
}

/// A folder of `.tf` files: one module.
#[derive(Debug)]
pub struct Folder {
    /// Absolute, `.` and `..` worked out.
    pub dir: PathBuf,
    /// As the user wrote or walked to it.
    pub shown: String,
    pub files: Vec<HclFile>,
    /// `terraform.tfvars` and `*.auto.tfvars`, in the order Terraform reads them.
    pub values: Vec<HclFile>,
    /// The modules `terraform init` cached for it as a root, read once.
    cached: Vec<(String, PathBuf)>,
}

impl Folder {
    fn new(dir: &Path) -> Folder {
        let key = source::normalized(dir);
        Folder {
            cached: cached_modules(&key),
            dir: key,
            shown: source::display_path(dir),
            files: Vec::new(),
            values: Vec::new(),
        }
    }
}

/// Everything a run's Terraform configuration is made of.
#[derive(Debug, Default)]
pub struct Folders {
    pub folders: HashMap<PathBuf, Folder>,
    /// Folders scanned for inputs (the paths and context folders): `file` and `templatefile`
    /// read nothing outside them.
    pub scanned: Vec<PathBuf>,
    /// `--var-file` files, in order, then `--var` values.
    pub var_files: Vec<HclFile>,
    pub vars: Vec<(String, String)>,
}

impl Folders {
    pub fn add(&mut self, file: HclFile, kind: HclKind) {
        let dir = file
            .path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let folder = self
            .folders
            .entry(source::normalized(&dir))
            .or_insert_with(|| Folder::new(&dir));
        match kind {
            HclKind::Configuration => folder.files.push(file),
            HclKind::Values => {
                let name = file
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().to_ascii_lowercase())
                    .unwrap_or_default();
                let name = name.strip_suffix(".json").unwrap_or(&name);
                if name == "terraform.tfvars" || name.ends_with(".auto.tfvars") {
                    folder.values.push(file);
                    // `terraform.tfvars` first, then the others in lexical order.
                    folder.values.sort_by_key(|f| {
                        let name = f.path.file_name().map(|n| n.to_string_lossy().into_owned());
                        (name.as_deref() != Some("terraform.tfvars"), name)
                    });
                }
            }
        }
    }

    /// Records a folder that holds no configuration that could be read.
    pub fn add_empty(&mut self, dir: &Path) {
        self.folders
            .entry(source::normalized(dir))
            .or_insert_with(|| Folder::new(dir));
    }

    /// The folders the configuration's module calls name, not read yet: each with its files'
    /// paths, for the caller to read.
    pub fn missing_modules(&self) -> Vec<PathBuf> {
        let config = Configuration::new(self);
        let mut missing: Vec<PathBuf> = Vec::new();
        for folder in self.folders.values() {
            let index = config.index(&folder.dir);
            for (name, source) in index.module_sources() {
                let _ = name;
                if let Some(dir) = source.and_then(|s| local_source(&folder.dir, s))
                    && !self.folders.contains_key(&dir)
                    && !missing.contains(&dir)
                {
                    missing.push(dir);
                }
            }
            for (_, dir) in &folder.cached {
                if !self.folders.contains_key(dir) && !missing.contains(dir) {
                    missing.push(dir.clone());
                }
            }
        }
        missing.sort();
        missing
    }

    /// The root modules: folders with `.tf` files that no other folder calls.
    fn roots(&self, config: &Configuration<'_>) -> Vec<&Folder> {
        let mut called: HashSet<PathBuf> = HashSet::new();
        for folder in self.folders.values() {
            for (_, source) in config.index(&folder.dir).module_sources() {
                if let Some(dir) = source.and_then(|s| local_source(&folder.dir, s))
                    && dir != folder.dir
                {
                    called.insert(dir);
                }
            }
            called.extend(folder.cached.iter().map(|(_, dir)| dir.clone()));
        }
        let mut roots: Vec<&Folder> = self
            .folders
            .values()
            .filter(|f| !f.files.is_empty() && !called.contains(&f.dir))
            .collect();
        roots.sort_by(|a, b| a.dir.cmp(&b.dir));
        roots
    }

    /// Evaluates every root module (in parallel) into what it declares.
    pub fn read(&self) -> Vec<Root> {
        let config = Configuration::new(self);
        self.roots(&config)
            .into_par_iter()
            .map(|folder| config.read_root(folder))
            .collect()
    }
}

/// What one root module declares.
#[derive(Debug)]
pub struct Root {
    pub dir: PathBuf,
    /// The folder as shown: the name of its deployment.
    pub shown: String,
    /// Its first file, which stands for it (deployment globs match its path).
    pub file: FileId,
    pub items: Items,
    /// The address of every resource read, for telling it from a plan of the same
    /// configuration.
    pub addresses: Vec<String>,
}

/// The folders with their declarations indexed, for evaluation.
pub struct Configuration<'a> {
    folders: &'a Folders,
    indexes: HashMap<&'a Path, Index<'a>>,
    files: HashMap<FileId, &'a HclFile>,
    /// The scanned folders, links resolved: where `file` may read.
    scanned: Vec<PathBuf>,
}

impl<'a> Configuration<'a> {
    fn new(folders: &'a Folders) -> Configuration<'a> {
        Configuration {
            folders,
            indexes: folders
                .folders
                .values()
                .map(|f| (f.dir.as_path(), Index::new(f)))
                .collect(),
            files: folders
                .folders
                .values()
                .flat_map(|f| &f.files)
                .map(|f| (f.id, f))
                .collect(),
            scanned: folders
                .scanned
                .iter()
                .filter_map(|dir| std::fs::canonicalize(dir).ok())
                .collect(),
        }
    }

    fn index(&self, dir: &Path) -> &Index<'a> {
        &self.indexes[dir]
    }

    fn folder(&self, dir: &Path) -> Option<&'a Folder> {
        self.folders.folders.get(dir)
    }

    fn file(&self, id: FileId) -> Option<&'a HclFile> {
        self.files.get(&id).copied()
    }

    /// The folder a module call reads: a local path, or where `terraform init` cached it.
    fn module_dir(
        &self,
        root: &Path,
        caller: &Path,
        key: &str,
        block: &hcl_edit::structure::Block,
    ) -> Option<PathBuf> {
        let source = block.body.get_attribute("source")?.value.as_str()?;
        if let Some(dir) = local_source(caller, source) {
            return Some(dir);
        }
        self.folder(root)?
            .cached
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, dir)| dir.clone())
    }

    fn read_root(&self, folder: &'a Folder) -> Root {
        let budget = Budget::default();
        let vars = self.root_values(folder, &budget);
        let instance = Instance::root(self, folder, vars, &budget);
        let mut items = Items::default();
        let mut addresses = Vec::new();
        instance.read(&mut items, &mut addresses);
        Root {
            dir: folder.dir.clone(),
            shown: folder.shown.clone(),
            file: folder.files.iter().map(|f| f.id).min().unwrap_or(FileId(0)),
            items,
            addresses,
        }
    }

    /// The values a root module's variables are given: its `.tfvars`, then `--var-file`,
    /// then `--var`, each overriding the ones before.
    fn root_values(&self, folder: &Folder, budget: &Budget) -> HashMap<String, V> {
        let mut vars = HashMap::new();
        for file in folder.values.iter().chain(&self.folders.var_files) {
            let mut eval = Eval::new(&NoNames, file.id, budget);
            for attr in file.body.attributes() {
                vars.insert(attr.key.as_str().to_owned(), eval.expr(&attr.value));
            }
        }
        let index = self.index(&folder.dir);
        for (name, raw) in &self.folders.vars {
            let at = value::At {
                file: folder.files.first().map_or(FileId(0), |f| f.id),
                span: source::Span::new(0, 0),
            };
            // As Terraform reads `-var`: a string for a string variable, an expression
            // otherwise.
            let value = if index.is_string_variable(name) {
                V::str(at, crate::value::Text::lit(raw.as_str()))
            } else {
                match hcl_edit::parser::parse_expr(raw) {
                    Ok(expr) => {
                        let mut eval = Eval::new(&NoNames, FileId(u32::MAX), budget);
                        let v = eval.expr(&expr);
                        V::new(at, v.val)
                    }
                    Err(_) => V::str(at, crate::value::Text::lit(raw.as_str())),
                }
            };
            vars.insert(name.clone(), value);
        }
        vars
    }

    /// The text of a file `file` or `templatefile` names: relative paths are relative to the
    /// root module, as Terraform runs there. Only a regular file inside the scanned folders,
    /// reached through no symbolic link.
    fn read_file(&self, root: &Path, path: &str) -> Option<String> {
        let path = Path::new(path);
        let path = source::normalized(&if path.is_absolute() {
            path.to_path_buf()
        } else {
            root.join(path)
        });
        let real = std::fs::canonicalize(&path).ok()?;
        if real != path {
            return None;
        }
        if !self.scanned.iter().any(|dir| real.starts_with(dir)) {
            return None;
        }
        crate::walk::read_with(
            &real,
            crate::walk::Links::Refuse,
            functions::MAX_TEMPLATE_FILE,
        )
        .ok()
    }
}

/// `./x` or `../x` from `caller`: a local module's folder.
fn local_source(caller: &Path, source: &str) -> Option<PathBuf> {
    (source.starts_with("./") || source.starts_with("../") || source == "." || source == "..")
        .then(|| source::normalized(&caller.join(source)))
}

/// The modules `terraform init` cached for the root in `dir`
/// (`.terraform/modules/modules.json`): each call's key (`a.b` for `b` inside `a`) and folder.
fn cached_modules(dir: &Path) -> Vec<(String, PathBuf)> {
    let path = dir.join(".terraform").join("modules").join("modules.json");
    let Ok(text) = crate::walk::read_with(&path, crate::walk::Links::Refuse, 16 << 20) else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    json.get("Modules")
        .and_then(|m| m.as_array())
        .map(|modules| {
            modules
                .iter()
                .filter_map(|m| {
                    let key = m.get("Key")?.as_str()?;
                    let module_dir = m.get("Dir")?.as_str()?;
                    (!key.is_empty())
                        .then(|| (key.to_owned(), source::normalized(&dir.join(module_dir))))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
