//! Module instances: what `var.`, `local.`, `module.`, `data.`, `path.` and resource references
//! mean in one instance of a module, and the resources each instance declares, as the attribute
//! trees the resource handlers read.
//!
//! Everything is evaluated on demand and once: a local, a resource's attributes, a module
//! call's outputs are evaluated when first referred to, and a reference back to what is being
//! evaluated (a cycle, which Terraform rejects) is unknown.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};

use super::eval::{Budget, Env, Eval, NoNames};
use super::value::{At, V, Val};
use super::{Configuration, Folder};
use crate::ingest::tf::attributes::{Attr, AttrValue};
use crate::ingest::tf::resources::{self, Resource};
use crate::ingest::tf::targets::partition_text;
use crate::model::Items;
use crate::source::{FileId, Loc, Span};
use crate::value::{Pseudo, Symbol, Text, Tri};

/// Deepest chain of module calls followed.
const MAX_MODULE_DEPTH: usize = 16;
/// Most instances one `count` or `for_each` expands to.
const MAX_INSTANCES: usize = 1_000;

/// Arguments of a resource or module block that are Terraform's, not the resource's.
const META: &[&str] = &[
    "count",
    "for_each",
    "provider",
    "providers",
    "depends_on",
    "source",
    "version",
];
/// Blocks of a resource that are Terraform's.
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection", "timeouts"];

/// Nested blocks the handlers read as lists: written nowhere means none.
const BLOCK_LISTS: &[(&str, &[&str])] = &[(
    "aws_cloudtrail",
    &[
        "event_selector",
        "advanced_event_selector",
        "insight_selector",
    ],
)];

/// What a declaration in a module's files is, and where.
#[derive(Clone, Copy)]
struct Decl<'a> {
    file: FileId,
    block: &'a Block,
}

/// The declarations of one module folder, by name.
#[derive(Default)]
pub struct Index<'a> {
    variables: HashMap<&'a str, Decl<'a>>,
    locals: HashMap<&'a str, (FileId, &'a Expression)>,
    resources: Vec<(&'a str, &'a str, Decl<'a>)>,
    data: HashMap<(&'a str, &'a str), Decl<'a>>,
    modules: Vec<(&'a str, Decl<'a>)>,
    outputs: HashMap<&'a str, Decl<'a>>,
    providers: Vec<Decl<'a>>,
}

impl<'a> Index<'a> {
    pub fn new(folder: &'a Folder) -> Index<'a> {
        let mut index = Index::default();
        for file in &folder.files {
            for structure in file.body.iter() {
                let Structure::Block(block) = structure else {
                    continue;
                };
                let decl = Decl {
                    file: file.id,
                    block,
                };
                let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
                match (block.ident.as_str(), labels.as_slice()) {
                    ("variable", [name]) => {
                        index.variables.insert(name, decl);
                    }
                    ("locals", []) => {
                        for attr in block.body.attributes() {
                            index
                                .locals
                                .insert(attr.key.as_str(), (file.id, &attr.value));
                        }
                    }
                    ("resource", [kind, name]) => index.resources.push((kind, name, decl)),
                    ("data", [kind, name]) => {
                        index.data.insert((kind, name), decl);
                    }
                    ("module", [name]) => index.modules.push((name, decl)),
                    ("output", [name]) => {
                        index.outputs.insert(name, decl);
                    }
                    ("provider", [_]) => index.providers.push(decl),
                    _ => {}
                }
            }
        }
        index
    }

    /// The literal `source` of each module call.
    pub fn module_sources(&self) -> impl Iterator<Item = (&'a str, Option<&'a str>)> + '_ {
        self.modules.iter().map(|(name, decl)| {
            let source = decl
                .block
                .body
                .get_attribute("source")
                .and_then(|a| a.value.as_str());
            (*name, source)
        })
    }

    /// Whether `-var` gives the variable `name` a string (its type is `string` or not given).
    pub fn is_string_variable(&self, name: &str) -> bool {
        self.variables.get(name).is_none_or(|decl| {
            decl.block.body.get_attribute("type").is_none_or(
                |t| matches!(&t.value, Expression::Variable(v) if v.as_str() == "string"),
            )
        })
    }

    fn resource(&self, kind: &str, name: &str) -> Option<Decl<'a>> {
        self.resources
            .iter()
            .find(|(k, n, _)| *k == kind && *n == name)
            .map(|(_, _, decl)| *decl)
    }
}

enum Memo {
    InProgress,
    Done(V),
}

/// One instance of a block under `count` or `for_each`.
struct Expansion {
    /// What its address ends with: `[0]`, `["eu"]`, nothing without `count` or `for_each`.
    suffix: String,
    /// Its index or key, as the list or map of the instances is indexed.
    key: String,
    /// The names it binds: `count`, `each`.
    bindings: Vec<(String, V)>,
}

/// The instances of a block, and whether their number is known: when it is not, one instance
/// with `count.index` or `each` unknown, read once.
struct Instances {
    all: Vec<Expansion>,
    certain: bool,
}

/// The region each AWS provider configuration of an instance deploys to, by `aws` or
/// `aws.ALIAS`: `None` when it is not a known constant.
type Providers = HashMap<String, Option<String>>;

/// One instance of a module: the root, or one call (one `count` or `for_each` element of it).
pub struct Instance<'c> {
    config: &'c Configuration<'c>,
    folder: &'c Folder,
    index: &'c Index<'c>,
    /// `module.a.module.b["x"].`: what addresses in it start with; empty for the root.
    prefix: String,
    /// The folder of the root module the instance belongs to.
    root_dir: &'c Path,
    vars: HashMap<String, V>,
    providers: Providers,
    depth: usize,
    /// Folders of the calls that led here, to refuse a module that calls itself.
    callers: Vec<PathBuf>,
    budget: &'c Budget,
    locals: RefCell<HashMap<String, Memo>>,
    resources: RefCell<HashMap<(String, String), Memo>>,
    calls: RefCell<HashMap<String, Memo>>,
    data: RefCell<HashMap<(String, String), Memo>>,
}

impl<'c> Instance<'c> {
    pub fn root(
        config: &'c Configuration<'c>,
        folder: &'c Folder,
        vars: HashMap<String, V>,
        budget: &'c Budget,
    ) -> Instance<'c> {
        let mut instance = Instance::new(config, folder, &folder.dir, String::new(), budget);
        instance.vars = vars;
        instance.providers = instance.own_providers(&Providers::new());
        instance.bind_variables(true);
        instance
    }

    fn new(
        config: &'c Configuration<'c>,
        folder: &'c Folder,
        root_dir: &'c Path,
        prefix: String,
        budget: &'c Budget,
    ) -> Instance<'c> {
        Instance {
            config,
            folder,
            index: config.index(&folder.dir),
            prefix,
            root_dir,
            vars: HashMap::new(),
            providers: Providers::new(),
            depth: 0,
            callers: Vec::new(),
            budget,
            locals: RefCell::default(),
            resources: RefCell::default(),
            calls: RefCell::default(),
            data: RefCell::default(),
        }
    }

    /// Gives every declared variable its value: the one given, else its default, else (in the
    /// root, where a value is fixed when the configuration is applied) a symbol of its own.
    fn bind_variables(&mut self, root: bool) {
        for (name, decl) in &self.index.variables {
            let body = &decl.block.body;
            if let Some(given) = self.vars.remove(*name) {
                let value = match body.get_attribute("type") {
                    Some(ty) => typed(
                        given,
                        &ty.value,
                        &mut Eval::new(&NoNames, decl.file, self.budget),
                        0,
                    ),
                    None => given,
                };
                self.vars.insert((*name).to_owned(), value);
                continue;
            }
            let mut eval = Eval::new(&NoNames, decl.file, self.budget);
            let value = match body.get_attribute("default") {
                Some(default) => {
                    let value = eval.expr(&default.value);
                    match body.get_attribute("type") {
                        Some(ty) => typed(value, &ty.value, &mut eval, 0),
                        None => value,
                    }
                }
                None => {
                    let at = eval.at(decl.block.span());
                    let typed_string = body.get_attribute("type").is_none_or(
                        |t| matches!(&t.value, Expression::Variable(v) if v.as_str() == "string"),
                    );
                    if root && typed_string {
                        let symbol =
                            Symbol::Opaque(self.symbol(&format!("{}var.{name}", self.prefix)));
                        V::str(at, Text::sym(symbol))
                    } else {
                        V::unknown(at)
                    }
                }
            };
            self.vars.insert((*name).to_owned(), value);
        }
    }

    /// The name of a symbol for something of this configuration (`var.bucket`, a resource's
    /// generated name): the root module goes before a `#`, so that two root modules' values
    /// never meet as one when a config puts them in one deployment.
    fn symbol(&self, name: &str) -> String {
        format!("{}#{name}", self.root_dir.display())
    }

    /// The providers of this instance: those it is given, with its own `provider "aws"` blocks.
    fn own_providers(&self, given: &Providers) -> Providers {
        let mut providers = given.clone();
        for decl in &self.index.providers {
            if decl.block.labels.first().map(|l| l.as_str()) != Some("aws") {
                continue;
            }
            let mut eval = Eval::new(self, decl.file, self.budget);
            let body = &decl.block.body;
            let key = match body
                .get_attribute("alias")
                .map(|a| eval.expr(&a.value).lit())
            {
                None => "aws".to_owned(),
                Some(Some(alias)) => format!("aws.{alias}"),
                Some(None) => continue,
            };
            let region = body
                .get_attribute("region")
                .and_then(|a| eval.expr(&a.value).lit());
            providers.insert(key, region);
        }
        providers
    }

    /// The region of a resource: its own `region` argument, else its provider's.
    fn region_of(&self, body: &Body, eval: &mut Eval<'_>) -> Option<String> {
        if let Some(region) = body.get_attribute("region") {
            return eval.expr(&region.value).lit();
        }
        let key = match body.get_attribute("provider") {
            Some(provider) => provider_key(&provider.value)?,
            None => "aws".to_owned(),
        };
        self.providers.get(&key).cloned().flatten()
    }

    /// The instances a `count` or `for_each` block makes: each with its address suffix and
    /// bindings; `None` when their number is unknown.
    fn expansions(&self, decl: Decl<'_>) -> Option<Vec<Expansion>> {
        let body = &decl.block.body;
        let mut eval = Eval::new(self, decl.file, self.budget);
        if let Some(count) = body.get_attribute("count") {
            let n = eval.expr(&count.value).number().flatten()?;
            if n < 0.0 || n.fract() != 0.0 || n as usize > MAX_INSTANCES {
                return None;
            }
            let at = eval.at(count.value.span());
            return Some(
                (0..n as usize)
                    .map(|i| {
                        let index = V::new(
                            at,
                            Val::Map(
                                vec![("index".into(), V::new(at, Val::Number(i as f64)))],
                                false,
                            ),
                        );
                        Expansion {
                            suffix: format!("[{i}]"),
                            key: i.to_string(),
                            bindings: vec![("count".to_owned(), index)],
                        }
                    })
                    .collect(),
            );
        }
        if let Some(for_each) = body.get_attribute("for_each") {
            let collection = eval.expr(&for_each.value);
            let at = collection.at;
            let elements: Vec<(String, V)> = match &collection.val {
                // A set of strings: each element is its own key.
                Val::List(items) => items
                    .iter()
                    .map(|item| Some((item.lit()?, item.clone())))
                    .collect::<Option<_>>()?,
                Val::Map(_, false) => collection
                    .elements()?
                    .into_iter()
                    .map(|(k, v)| Some((k.lit()?, v)))
                    .collect::<Option<_>>()?,
                _ => return None,
            };
            if elements.len() > MAX_INSTANCES {
                return None;
            }
            return Some(
                elements
                    .into_iter()
                    .map(|(key, value)| {
                        let each = V::new(
                            at,
                            Val::Map(
                                vec![
                                    ("key".into(), V::str(at, Text::lit(key.clone()))),
                                    ("value".into(), value),
                                ],
                                false,
                            ),
                        );
                        Expansion {
                            suffix: format!("[{}]", quote(&key)),
                            key,
                            bindings: vec![("each".to_owned(), each)],
                        }
                    })
                    .collect(),
            );
        }
        Some(vec![Expansion {
            suffix: String::new(),
            key: String::new(),
            bindings: Vec::new(),
        }])
    }

    /// [`Instance::expansions`], or one instance with its bindings unknown.
    fn instances(&self, decl: Decl<'_>) -> Instances {
        match self.expansions(decl) {
            Some(all) => Instances { all, certain: true },
            None => {
                let at = At {
                    file: decl.file,
                    span: Span::new(0, 0),
                };
                let name = if decl.block.body.get_attribute("count").is_some() {
                    "count"
                } else {
                    "each"
                };
                Instances {
                    all: vec![Expansion {
                        suffix: String::new(),
                        key: String::new(),
                        bindings: vec![(name.to_owned(), V::new(at, Val::Map(Vec::new(), true)))],
                    }],
                    certain: false,
                }
            }
        }
    }

    /// What `TYPE.NAME` stands for: its instance's attributes, a list of them under `count`,
    /// a map under `for_each`.
    fn resource_value(&self, kind: &str, name: &str, at: At) -> V {
        let key = (kind.to_owned(), name.to_owned());
        match self.resources.borrow().get(&key) {
            Some(Memo::Done(v)) => return v.clone(),
            Some(Memo::InProgress) => return V::unknown(at),
            None => {}
        }
        let Some(decl) = self.index.resource(kind, name) else {
            return V::unknown(at);
        };
        self.resources
            .borrow_mut()
            .insert(key.clone(), Memo::InProgress);
        let body = &decl.block.body;
        let value = match self.expansions(decl) {
            None => V::unknown(at),
            Some(instances) => {
                let objects: Vec<(String, V)> = instances
                    .into_iter()
                    .map(|instance| {
                        let address = format!("{}{kind}.{name}{}", self.prefix, instance.suffix);
                        let mut eval = Eval::new(self, decl.file, self.budget);
                        eval.bindings = instance.bindings;
                        let mut entries = Vec::new();
                        for attr in body.attributes() {
                            let key = attr.key.as_str();
                            if !META.contains(&key) {
                                entries.push((key.to_owned(), eval.expr(&attr.value)));
                            }
                        }
                        let region = self.region_of(body, &mut eval);
                        let at = eval.at(decl.block.span());
                        let symbol = self.symbol(&address);
                        let written = |key: &str| {
                            let value = entries.iter().rev().find(|(k, _)| k == key)?;
                            match value.1.val {
                                Val::Null => None,
                                _ => Some(value.1.text().unwrap_or_else(Text::unknown)),
                            }
                        };
                        let derived = identity(kind, &symbol, &written, region.as_deref());
                        for (key, text) in derived {
                            // An argument written `null` is one Terraform fills in.
                            match entries.iter_mut().find(|(k, _)| *k == key) {
                                Some((_, v)) if matches!(v.val, Val::Null) => {
                                    *v = V::str(at, text);
                                }
                                Some(_) => {}
                                None => entries.push((key, V::str(at, text))),
                            }
                        }
                        (instance.key, V::new(at, Val::Map(entries, true)))
                    })
                    .collect();
                gathered(body, objects, at)
            }
        };
        self.resources
            .borrow_mut()
            .insert(key, Memo::Done(value.clone()));
        value
    }

    fn local(&self, name: &str, at: At) -> V {
        match self.locals.borrow().get(name) {
            Some(Memo::Done(v)) => return v.clone(),
            Some(Memo::InProgress) => return V::unknown(at),
            None => {}
        }
        let Some((file, expr)) = self.index.locals.get(name).copied() else {
            return V::error(at);
        };
        self.locals
            .borrow_mut()
            .insert(name.to_owned(), Memo::InProgress);
        let value = Eval::new(self, file, self.budget).expr(expr);
        self.locals
            .borrow_mut()
            .insert(name.to_owned(), Memo::Done(value.clone()));
        value
    }

    /// A module call's outputs: an object, a list of them under `count`, a map under
    /// `for_each`.
    fn module_value(&self, name: &str, at: At) -> V {
        match self.calls.borrow().get(name) {
            Some(Memo::Done(v)) => return v.clone(),
            Some(Memo::InProgress) => return V::unknown(at),
            None => {}
        }
        self.calls
            .borrow_mut()
            .insert(name.to_owned(), Memo::InProgress);
        let value = self.module_outputs(name, at);
        self.calls
            .borrow_mut()
            .insert(name.to_owned(), Memo::Done(value.clone()));
        value
    }

    fn module_outputs(&self, name: &str, at: At) -> V {
        let Some((_, decl)) = self.index.modules.iter().find(|(n, _)| *n == name) else {
            return V::error(at);
        };
        let body = &decl.block.body;
        let Some(instances) = self.expansions(*decl) else {
            return V::unknown(at);
        };
        let mut objects = Vec::new();
        for instance in instances {
            let Some(child) = self.child(name, *decl, &instance.suffix, instance.bindings) else {
                return V::unknown(at);
            };
            let mut outputs = Vec::new();
            for (output, out_decl) in &child.index.outputs {
                if let Some(value) = out_decl.block.body.get_attribute("value") {
                    let v = Eval::new(&child, out_decl.file, self.budget).expr(&value.value);
                    outputs.push(((*output).to_owned(), v));
                }
            }
            objects.push((instance.key, V::new(at, Val::Map(outputs, false))));
        }
        gathered(body, objects, at)
    }

    /// The instance a module call makes, with its inputs evaluated here; `None` when its
    /// source is not a folder read, or the call goes too deep or round in a circle.
    fn child(
        &self,
        name: &str,
        decl: Decl<'_>,
        suffix: &str,
        bindings: Vec<(String, V)>,
    ) -> Option<Instance<'c>> {
        if self.depth + 1 > MAX_MODULE_DEPTH {
            return None;
        }
        let dir = self.config.module_dir(
            self.root_dir,
            &self.folder.dir,
            &self.module_key(name),
            decl.block,
        )?;
        if dir == self.folder.dir || self.callers.contains(&dir) {
            return None;
        }
        let folder = self.config.folder(&dir)?;
        let body = &decl.block.body;
        let mut eval = Eval::new(self, decl.file, self.budget);
        eval.bindings = bindings;
        let mut vars = HashMap::new();
        for attr in body.attributes() {
            let key = attr.key.as_str();
            if !META.contains(&key) {
                vars.insert(key.to_owned(), eval.expr(&attr.value));
            }
        }
        // Providers passed explicitly; else the caller's default ones.
        let mut providers: Providers = self
            .providers
            .iter()
            .filter(|(k, _)| *k == "aws")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(Expression::Object(map)) = body.get_attribute("providers").map(|a| &a.value) {
            for (key, value) in map.iter() {
                let key = match key {
                    hcl_edit::expr::ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                    hcl_edit::expr::ObjectKey::Expression(expr) => provider_key(expr)?,
                };
                let region = provider_key(value.expr())
                    .and_then(|from| self.providers.get(&from).cloned().flatten());
                providers.insert(key, region);
            }
        }
        let prefix = format!("{}module.{name}{suffix}.", self.prefix);
        let mut child = Instance::new(self.config, folder, self.root_dir, prefix, self.budget);
        child.vars = vars;
        child.depth = self.depth + 1;
        child.callers = self.callers.clone();
        child.callers.push(self.folder.dir.clone());
        child.providers = child.own_providers(&providers);
        child.bind_variables(false);
        Some(child)
    }

    /// The key `terraform init` records a call under: `a.b` for call `b` inside call `a`.
    fn module_key(&self, name: &str) -> String {
        let mut key: Vec<&str> = self
            .prefix
            .split("module.")
            .filter(|part| !part.is_empty())
            .map(|part| part.trim_end_matches('.'))
            .map(|part| part.split('[').next().unwrap_or(part))
            .collect();
        key.push(name);
        key.join(".")
    }

    fn data_value(&self, kind: &str, name: &str, at: At) -> V {
        let key = (kind.to_owned(), name.to_owned());
        match self.data.borrow().get(&key) {
            Some(Memo::Done(v)) => return v.clone(),
            Some(Memo::InProgress) => return V::unknown(at),
            None => {}
        }
        let Some(decl) = self.index.data.get(&(kind, name)).copied() else {
            return V::unknown(at);
        };
        if decl.block.body.get_attribute("count").is_some()
            || decl.block.body.get_attribute("for_each").is_some()
        {
            return V::unknown(at);
        }
        self.data.borrow_mut().insert(key.clone(), Memo::InProgress);
        let mut eval = Eval::new(self, decl.file, self.budget);
        let region = self.region_of(&decl.block.body, &mut eval);
        let text = |t: Text| V::str(at, t);
        let value = match kind {
            "aws_caller_identity" => V::new(
                at,
                Val::Map(
                    vec![("account_id".into(), text(Text::pseudo(Pseudo::AccountId)))],
                    true,
                ),
            ),
            "aws_region" => {
                let region = region_text(region.as_deref());
                V::new(
                    at,
                    Val::Map(
                        vec![
                            ("name".into(), text(region.clone())),
                            ("region".into(), text(region.clone())),
                            ("id".into(), text(region)),
                        ],
                        true,
                    ),
                )
            }
            "aws_partition" => V::new(
                at,
                Val::Map(
                    vec![("partition".into(), text(partition_text(region.as_deref())))],
                    true,
                ),
            ),
            "aws_iam_policy_document" => super::policy::document(&mut eval, &decl.block.body, at),
            _ => V::unknown(at),
        };
        self.data
            .borrow_mut()
            .insert(key, Memo::Done(value.clone()));
        value
    }

    /// Reads the resources of this instance and of the modules it calls into `items`.
    pub fn read(&self, items: &mut Items, addresses: &mut Vec<String>) {
        for (kind, name, decl) in &self.index.resources {
            let Some(handler) = resources::handler(kind) else {
                continue;
            };
            let file = self.config.file(decl.file);
            let Instances { all, certain } = self.instances(*decl);
            for instance in all {
                let address = format!("{}{kind}.{name}{}", self.prefix, instance.suffix);
                let mut eval = Eval::new(self, decl.file, self.budget);
                eval.bindings = instance.bindings;
                let mut attrs = body_attr(&mut eval, &decl.block.body, decl.block.span());
                let region = self.region_of(&decl.block.body, &mut eval);
                add_defaults(kind, &self.symbol(&address), &mut attrs, region.as_deref());
                // `resource "aws_cloudtrail" "main"`: where the resource is named.
                let block = &decl.block;
                let header = eval.at(block.ident.span().map(|ident| {
                    let end = block
                        .labels
                        .last()
                        .and_then(|label| label.span())
                        .map_or(ident.end, |label| label.end);
                    ident.start..end.max(ident.end)
                }));
                let resource = Resource {
                    address: &address,
                    loc: Loc {
                        file: decl.file,
                        span: header.span,
                    },
                    region,
                    attrs: &attrs,
                    text: file.map_or("", |f| f.text.as_str()),
                };
                let read = Read::mark(items);
                (handler.read)(&resource, items);
                read.may_not_exist(items, certain);
                addresses.push(address);
            }
        }
        for (name, decl) in &self.index.modules {
            let Instances { all, certain } = self.instances(*decl);
            for instance in all {
                if let Some(child) = self.child(name, *decl, &instance.suffix, instance.bindings) {
                    let read = Read::mark(items);
                    child.read(items, addresses);
                    read.may_not_exist(items, certain);
                }
            }
        }
    }
}

/// A value converted to a variable's type constraint as Terraform converts it: the attributes
/// an `object` type marks `optional(...)` and the value leaves out take their default, or
/// null (<https://developer.hashicorp.com/terraform/language/expressions/type-constraints>).
fn typed(value: V, ty: &Expression, eval: &mut Eval<'_>, depth: usize) -> V {
    use hcl_edit::expr::ObjectKey;
    let Expression::FuncCall(call) = ty else {
        return value;
    };
    if depth > 32 {
        return value;
    }
    let args: Vec<&Expression> = call.args.iter().collect();
    let at = value.at;
    match (call.name.name.as_str(), args.as_slice(), value.val) {
        ("object", [Expression::Object(fields)], Val::Map(mut entries, false)) => {
            for (key, field) in fields.iter() {
                let key = match key {
                    ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                    ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                    _ => continue,
                };
                let field = field.expr();
                match entries.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, present)) => {
                        let inner = match field {
                            Expression::FuncCall(opt) if opt.name.name.as_str() == "optional" => {
                                opt.args.iter().next()
                            }
                            other => Some(other),
                        };
                        if let Some(inner) = inner {
                            *present = typed(present.clone(), inner, eval, depth + 1);
                        }
                    }
                    None => {
                        let Expression::FuncCall(opt) = field else {
                            continue;
                        };
                        if opt.name.name.as_str() != "optional" {
                            continue;
                        }
                        let mut opt_args = opt.args.iter();
                        let inner = opt_args.next();
                        let default = match opt_args.next() {
                            Some(default) => eval.expr(default),
                            None => V::new(at, Val::Null),
                        };
                        let default = match inner {
                            Some(inner) if !matches!(default.val, Val::Null) => {
                                typed(default, inner, eval, depth + 1)
                            }
                            _ => default,
                        };
                        entries.push((key, default));
                    }
                }
            }
            V::new(at, Val::Map(entries, false))
        }
        ("list" | "set", [inner], Val::List(items)) => V::new(
            at,
            Val::List(
                items
                    .into_iter()
                    .map(|item| typed(item, inner, eval, depth + 1))
                    .collect(),
            ),
        ),
        ("map", [inner], Val::Map(entries, false)) => V::new(
            at,
            Val::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, typed(v, inner, eval, depth + 1)))
                    .collect(),
                false,
            ),
        ),
        (_, _, val) => V::new(at, val),
    }
}

/// How many items of the kinds whose existence matters had been read, before a resource or
/// module whose number of instances may not be known.
struct Read {
    trails: usize,
    targets: usize,
    grants: usize,
    role_policies: usize,
}

impl Read {
    fn mark(items: &Items) -> Read {
        Read {
            trails: items.trails.len(),
            targets: items.targets.len(),
            grants: items.grants.len(),
            role_policies: items.role_policies.len(),
        }
    }

    /// The items read since the mark may not exist when the number of their instances is not
    /// known: trails and targets then may or may not be created, and what a policy allows or
    /// denies is unknown.
    fn may_not_exist(self, items: &mut Items, certain: bool) {
        if certain {
            return;
        }
        for trail in &mut items.trails[self.trails..] {
            trail.created = None;
        }
        for target in &mut items.targets[self.targets..] {
            target.created = None;
        }
        for grant in &mut items.grants[self.grants..] {
            grant.policy.statements = None;
        }
        for policy in &mut items.role_policies[self.role_policies..] {
            policy.policy.statements = None;
        }
    }
}

/// The value of a block's instances, as Terraform refers to it: a list under `count`, a map
/// by key under `for_each`, the one instance otherwise.
fn gathered(body: &Body, instances: Vec<(String, V)>, at: At) -> V {
    if body.get_attribute("count").is_some() {
        V::new(
            at,
            Val::List(instances.into_iter().map(|(_, v)| v).collect()),
        )
    } else if body.get_attribute("for_each").is_some() {
        V::new(at, Val::Map(instances, false))
    } else {
        instances
            .into_iter()
            .next()
            .map_or_else(|| V::unknown(at), |(_, v)| v)
    }
}

/// `aws.eu` (a provider reference) → `aws.eu`; `aws` → `aws`.
fn provider_key(expr: &Expression) -> Option<String> {
    match expr {
        Expression::Variable(v) => Some(v.as_str().to_owned()),
        Expression::Traversal(t) => {
            let Expression::Variable(base) = &t.expr else {
                return None;
            };
            let mut key = base.as_str().to_owned();
            for op in &t.operators {
                match op.value() {
                    hcl_edit::expr::TraversalOperator::GetAttr(ident) => {
                        key.push('.');
                        key.push_str(ident.as_str());
                    }
                    _ => return None,
                }
            }
            Some(key)
        }
        _ => None,
    }
}

/// `"a\"b"` for a key of an address.
fn quote(key: &str) -> String {
    serde_json::to_string(key).unwrap_or_default()
}

/// A block body as the attribute tree a plan gives: arguments and nested blocks (lists of
/// objects, `dynamic` ones expanded when their collection is known).
pub(super) fn body_attr(
    eval: &mut Eval<'_>,
    body: &Body,
    span: Option<std::ops::Range<usize>>,
) -> Attr {
    let at = eval.at(span);
    let mut entries: Vec<(String, Attr)> = Vec::new();
    let mut blocks: Vec<(String, Attr)> = Vec::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attr) => {
                let key = attr.key.as_str();
                if META.contains(&key) {
                    continue;
                }
                let place = eval.at(attr.span());
                let value = eval.expr(&attr.value);
                entries.push((key.to_owned(), value.to_attr(eval.file, place.span)));
            }
            Structure::Block(block) => {
                let ident = block.ident.as_str();
                if META_BLOCKS.contains(&ident) {
                    continue;
                }
                if ident == "dynamic" {
                    let Some(label) = block.labels.first().map(|l| l.as_str().to_owned()) else {
                        continue;
                    };
                    let expanded = dynamic(eval, block, &label);
                    push_block(&mut blocks, &label, expanded, eval.at(block.span()).span);
                } else {
                    let object = body_attr(eval, &block.body, block.span());
                    push_block(
                        &mut blocks,
                        ident,
                        Some(vec![object]),
                        eval.at(block.span()).span,
                    );
                }
            }
        }
    }
    entries.extend(blocks);
    Attr {
        span: at.span,
        value: AttrValue::Object(entries),
        key: None,
    }
}

/// Adds blocks of `name` (`None`: a dynamic block whose collection is unknown, which makes
/// the whole list unknown).
fn push_block(blocks: &mut Vec<(String, Attr)>, name: &str, more: Option<Vec<Attr>>, span: Span) {
    let index = match blocks.iter().position(|(k, _)| k == name) {
        Some(index) => index,
        None => {
            blocks.push((
                name.to_owned(),
                Attr {
                    span,
                    value: AttrValue::List(Vec::new()),
                    key: None,
                },
            ));
            blocks.len() - 1
        }
    };
    let list = &mut blocks[index].1;
    match (more, &mut list.value) {
        (Some(more), AttrValue::List(items)) => items.extend(more),
        (None, _) => list.value = AttrValue::Unknown,
        _ => {}
    }
}

/// A `dynamic` block's blocks: its `content` once per element of `for_each`, with the
/// iterator bound; `None` when the collection is unknown.
fn dynamic(eval: &mut Eval<'_>, block: &Block, label: &str) -> Option<Vec<Attr>> {
    let body = &block.body;
    let collection = eval.expr(&body.get_attribute("for_each")?.value);
    let elements = collection.elements()?;
    if elements.len() > MAX_INSTANCES {
        return None;
    }
    let iterator = match body.get_attribute("iterator") {
        Some(attr) => match &attr.value {
            Expression::Variable(v) => v.as_str().to_owned(),
            _ => return None,
        },
        None => label.to_owned(),
    };
    let content = body.get_blocks("content").next()?;
    let mut out = Vec::with_capacity(elements.len());
    for (key, value) in elements {
        let at = value.at;
        let bound = eval.bindings.len();
        eval.bindings.push((
            iterator.clone(),
            V::new(
                at,
                Val::Map(vec![("key".into(), key), ("value".into(), value)], false),
            ),
        ));
        out.push(body_attr(eval, &content.body, block.span()));
        eval.bindings.truncate(bound);
    }
    Some(out)
}

/// What Terraform fills in that the handlers read: names it generates, nested blocks not
/// written.
fn add_defaults(kind: &str, address: &str, attrs: &mut Attr, region: Option<&str>) {
    let AttrValue::Object(entries) = &mut attrs.value else {
        return;
    };
    let span = attrs.span;
    for (resource, lists) in BLOCK_LISTS {
        if *resource == kind {
            for list in *lists {
                if !entries.iter().any(|(k, _)| k == list) {
                    entries.push((
                        (*list).to_owned(),
                        Attr {
                            span,
                            value: AttrValue::List(Vec::new()),
                            key: None,
                        },
                    ));
                }
            }
        }
    }
    let written = |key: &str| {
        let attr = entries
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)?;
        (!attr.is_null()).then(|| attr.text())
    };
    let derived = identity(kind, address, &written, region);
    for (key, text) in derived {
        // An argument written `null` is one Terraform fills in.
        match entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, attr)) if attr.is_null() => attr.value = AttrValue::String(text),
            Some(_) => {}
            None => entries.push((
                key,
                Attr {
                    span,
                    value: AttrValue::String(text),
                    key: None,
                },
            )),
        }
    }
}

/// The argument that names each resource type with a name, and whether Terraform generates
/// one when it is not written (`name_prefix` or nothing).
const NAMES: &[(&str, (&str, bool))] = &[
    ("aws_s3_bucket", ("bucket", true)),
    ("aws_cloudwatch_event_rule", ("name", true)),
    ("aws_cloudwatch_event_bus", ("name", false)),
    ("aws_cloudtrail", ("name", false)),
    ("aws_sns_topic", ("name", true)),
    ("aws_sqs_queue", ("name", true)),
    ("aws_lambda_function", ("function_name", false)),
    ("aws_sfn_state_machine", ("name", true)),
    ("aws_kinesis_stream", ("name", false)),
    ("aws_cloudwatch_log_group", ("name", true)),
    ("aws_iam_role", ("name", true)),
    ("aws_iam_policy", ("name", true)),
    ("aws_lambda_alias", ("name", false)),
    ("aws_kms_key", ("key_id", false)),
];

/// Whether Terraform derives a name, `id` or `arn` for resources of `kind` ([`identity`]).
pub(crate) fn derives_identity(kind: &str) -> bool {
    NAMES.iter().any(|(k, _)| *k == kind)
}

fn region_text(region: Option<&str>) -> Text {
    region.map_or_else(|| Text::pseudo(Pseudo::Region), Text::lit)
}

/// The attributes of a resource Terraform derives from its arguments: its name (generated
/// when not written), `id` and `arn` where their form is fixed. `written` gives an argument's
/// value as text: `None` when it is not written or `null`.
pub(crate) fn identity(
    kind: &str,
    address: &str,
    written: &dyn Fn(&str) -> Option<Text>,
    region: Option<&str>,
) -> Vec<(String, Text)> {
    let Some((field, generated)) = NAMES.iter().find(|(k, _)| *k == kind).map(|(_, n)| *n) else {
        return Vec::new();
    };
    let name = match written(field) {
        Some(text) => text,
        None if generated => Text::sym(Symbol::Generated(address.to_owned())),
        None => Text::unknown(),
    };
    let written_text = |key: &str| written(key).unwrap_or_else(Text::unknown);
    // A path not written is `/`; one that is not a literal is unknown.
    let path = |key: &str| match written(key) {
        None => Some("/".to_owned()),
        Some(text) => text.as_lit().map(str::to_owned),
    };
    let partition = partition_text(region);
    let region = region_text(region);
    let account = Text::pseudo(Pseudo::AccountId);
    let arn = |service: &str, regional: bool, resource: Text| {
        let mut arn = Text::lit("arn:");
        arn.append(&partition);
        arn.push_str(&format!(":{service}:"));
        if regional {
            arn.append(&region);
        }
        arn.push_str(":");
        if service != "s3" {
            arn.append(&account);
        }
        arn.push_str(":");
        arn.append(&resource);
        arn
    };
    let prefixed = |prefix: &str| {
        let mut text = Text::lit(prefix);
        text.append(&name);
        text
    };
    let mut out = vec![(field.to_owned(), name.clone())];
    match kind {
        "aws_s3_bucket" => {
            out.push(("id".into(), name.clone()));
            out.push(("arn".into(), arn("s3", false, name.clone())));
        }
        "aws_cloudwatch_event_rule" => {
            let bus = written("event_bus_name");
            match bus.as_ref().map(|b| b.as_lit()) {
                None => out.push(("arn".into(), arn("events", true, prefixed("rule/")))),
                Some(Some("default")) => {
                    out.push(("arn".into(), arn("events", true, prefixed("rule/"))))
                }
                Some(Some(bus)) if !bus.starts_with("arn:") => {
                    let mut resource = Text::lit(format!("rule/{bus}/"));
                    resource.append(&name);
                    out.push(("arn".into(), arn("events", true, resource)));
                }
                _ => {}
            }
        }
        "aws_cloudwatch_event_bus" => {
            out.push(("id".into(), name.clone()));
            out.push(("arn".into(), arn("events", true, prefixed("event-bus/"))));
        }
        "aws_cloudtrail" => out.push(("arn".into(), arn("cloudtrail", true, prefixed("trail/")))),
        "aws_sns_topic" => {
            let topic = arn("sns", true, name.clone());
            out.push(("id".into(), topic.clone()));
            out.push(("arn".into(), topic));
        }
        "aws_sqs_queue" => {
            let url = crate::catalog::queue_url(&region, &name);
            out.push(("id".into(), url.clone()));
            out.push(("url".into(), url));
            out.push(("arn".into(), arn("sqs", true, name.clone())));
        }
        "aws_lambda_alias" => {
            let function = written_text("function_name");
            let mut qualified = match function.starts_with(&Text::lit("arn:")) {
                Tri::Yes => function,
                Tri::No => {
                    let mut resource = Text::lit("function:");
                    resource.append(&function);
                    arn("lambda", true, resource)
                }
                Tri::Unknown => Text::unknown(),
            };
            qualified.push_str(":");
            qualified.append(&name);
            out.push(("arn".into(), qualified));
        }
        "aws_kms_key" => {
            // Assigned at apply: a value of its own, the same wherever it is referenced.
            let id = Text::sym(Symbol::Opaque(format!("{address}.key_id")));
            out[0].1 = id.clone();
            out.push(("id".into(), id.clone()));
            let mut resource = Text::lit("key/");
            resource.append(&id);
            out.push(("arn".into(), arn("kms", true, resource)));
        }
        "aws_iam_policy" => {
            if let Some(path) = path("path") {
                let mut resource = Text::lit(format!("policy{path}"));
                resource.append(&name);
                let policy = arn("iam", false, resource);
                out.push(("id".into(), policy.clone()));
                out.push(("arn".into(), policy));
            }
        }
        "aws_lambda_function" => {
            out.push(("id".into(), name.clone()));
            out.push(("arn".into(), arn("lambda", true, prefixed("function:"))));
        }
        "aws_sfn_state_machine" => {
            let machine = arn("states", true, prefixed("stateMachine:"));
            out.push(("id".into(), machine.clone()));
            out.push(("arn".into(), machine));
        }
        "aws_kinesis_stream" => out.push(("arn".into(), arn("kinesis", true, prefixed("stream/")))),
        "aws_cloudwatch_log_group" => {
            out.push(("id".into(), name.clone()));
            out.push(("arn".into(), arn("logs", true, prefixed("log-group:"))));
        }
        "aws_iam_role" => {
            out.push(("id".into(), name.clone()));
            if let Some(path) = path("path") {
                let mut resource = Text::lit(format!("role{path}"));
                resource.append(&name);
                out.push(("arn".into(), arn("iam", false, resource)));
            }
        }
        _ => {}
    }
    out
}

impl Env for Instance<'_> {
    fn reference(&self, name: &str, attrs: &[&str], at: At, _: &Budget) -> Option<(V, usize)> {
        let first = attrs.first().copied();
        match name {
            "var" => {
                let var = first?;
                let value = self.vars.get(var).cloned().unwrap_or_else(|| V::error(at));
                Some((V::new(at, value.val), 1))
            }
            "local" => Some((self.local(first?, at), 1)),
            "module" => Some((self.module_value(first?, at), 1)),
            "data" => {
                let (kind, data_name) = (first?, attrs.get(1).copied()?);
                Some((self.data_value(kind, data_name, at), 2))
            }
            "path" => {
                // Absolute, so that a path built from it names the file wherever the run is.
                let dir = match first? {
                    "module" => self.folder.dir.clone(),
                    "root" | "cwd" => self.root_dir.to_path_buf(),
                    _ => return Some((V::unknown(at), 1)),
                };
                let dir = dir.to_string_lossy().into_owned();
                Some((V::str(at, Text::lit(dir)), 1))
            }
            "terraform" | "self" | "count" | "each" => Some((V::unknown(at), 0)),
            kind => {
                let resource = first?;
                self.index.resource(kind, resource)?;
                Some((self.resource_value(kind, resource, at), 1))
            }
        }
    }

    fn read_file(&self, path: &str) -> Option<String> {
        self.config.read_file(self.root_dir, path)
    }

    fn place(&self, file: FileId, span: std::ops::Range<usize>) -> Span {
        self.config
            .file(file)
            .and_then(|f| f.places.as_ref())
            .and_then(|places| places.map(span.start, span.end))
            .unwrap_or(Span::new(span.start, span.end))
    }
}
