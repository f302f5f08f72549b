//! A CloudFormation template indexed for evaluating intrinsic functions: `Ref`,
//! `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::If`, `Fn::FindInMap`,
//! `Fn::ImportValue`, conditions and parameters, as far as the template decides them. What it
//! cannot decide stays symbolic (a resource's generated name, a parameter, a pseudo parameter)
//! or unknown; nothing is guessed. What `Ref` and `Fn::GetAtt` return for each resource type
//! comes from the resource table ([`super::resources`]).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use super::resources::{self, Attribute, Name};
use crate::parse::{Node, Value};
use crate::pattern::{Resolve, Resolved};
use crate::source::FileId;
use crate::value::{Piece, Pseudo, Symbol, Text, Tri};

/// Deepest nesting of intrinsics evaluated within one value (`Fn::Join` of `Fn::Select` of …).
/// A `Ref` to another resource's name, or a `Condition` to another condition, starts a value
/// of its own: each is evaluated once per template and remembered.
const MAX_EVAL_DEPTH: u8 = 16;

/// The largest value an intrinsic builds, in bytes of literal text and pieces: names, ARNs and
/// patterns are far smaller, and `Fn::Join` of names that are `Fn::Join`s of names would
/// otherwise grow as a power of the template's size.
const MAX_TEXT_WEIGHT: usize = 16 * 1024;

/// One template, indexed for evaluating intrinsics.
pub(super) struct Template<'d, 'a> {
    file: FileId,
    /// The template's text, for positions inside patterns written as JSON strings.
    pub text: &'d str,
    /// The region the template deploys to, when known.
    pub region: Option<String>,
    resources: HashMap<&'d str, &'d Node<'a>>,
    parameters: HashMap<&'d str, &'d Node<'a>>,
    conditions: HashMap<&'d str, &'d Node<'a>>,
    mappings: Option<&'d Node<'a>>,
    /// Values other templates of the run export, by export name.
    exports: &'d Exports,
    /// What conditions and resource names evaluated to.
    memo: Memo,
}

/// Conditions and resource names, each evaluated once: a chain of conditions that each name
/// the next several times, or of names joining other names, costs its length, not a power of
/// it. A condition or name being evaluated that comes up again is a cycle: unknown.
#[derive(Default)]
struct Memo {
    conditions: RefCell<HashMap<String, Tri>>,
    names: RefCell<HashMap<String, Text>>,
    busy: RefCell<HashSet<String>>,
}

impl Memo {
    /// The remembered value of `key` in `table`, else `compute`'s, remembered; unknown for a
    /// key whose computation is under way.
    fn get<T: Clone>(
        &self,
        table: &RefCell<HashMap<String, T>>,
        key: &str,
        unknown: T,
        compute: impl FnOnce() -> T,
    ) -> T {
        if let Some(value) = table.borrow().get(key) {
            return value.clone();
        }
        if !self.busy.borrow_mut().insert(key.to_owned()) {
            return unknown;
        }
        let value = compute();
        self.busy.borrow_mut().remove(key);
        table.borrow_mut().insert(key.to_owned(), value.clone());
        value
    }
}

/// `Outputs` exported by the templates of a run: export name → value.
pub type Exports = HashMap<String, Text>;

impl<'d, 'a> Template<'d, 'a> {
    pub(super) fn new(
        file: FileId,
        root: &'d Node<'a>,
        text: &'d str,
        region: Option<String>,
        exports: &'d Exports,
    ) -> Self {
        let index = |key: &str| -> HashMap<&'d str, &'d Node<'a>> {
            root.get(key)
                .and_then(Node::as_map)
                .unwrap_or_default()
                .iter()
                .map(|e| (e.key.as_ref(), &e.value))
                .collect()
        };
        Template {
            file,
            text,
            region,
            resources: index("Resources"),
            parameters: index("Parameters"),
            conditions: index("Conditions"),
            mappings: root.get("Mappings"),
            exports,
            memo: Memo::default(),
        }
    }

    /// The template's file.
    pub(super) fn file(&self) -> FileId {
        self.file
    }

    /// The value a node stands for once decidable `Fn::If`s are taken; `None` when it is
    /// `AWS::NoValue` (the property is absent).
    pub(super) fn pick<'n, 'x>(&self, node: &'n Node<'x>) -> Option<&'n Node<'x>> {
        let mut node = node;
        for _ in 0..MAX_EVAL_DEPTH {
            if node.get("Ref").and_then(Node::as_str) == Some("AWS::NoValue") {
                return None;
            }
            let Some(entry) = node.single_entry().filter(|e| e.key == "Fn::If") else {
                return Some(node);
            };
            let Some([condition, yes, no]) = entry.value.as_seq() else {
                return Some(node);
            };
            node = match condition.as_str().map(|name| self.condition(name, 0)) {
                Some(Tri::Yes) => yes,
                Some(Tri::No) => no,
                _ => return Some(node),
            };
        }
        Some(node)
    }

    /// A property, with decidable conditions taken.
    pub(super) fn prop<'n, 'x>(
        &self,
        properties: Option<&'n Node<'x>>,
        key: &str,
    ) -> Option<&'n Node<'x>> {
        properties
            .and_then(|p| p.get(key))
            .and_then(|value| self.pick(value))
    }

    /// Whether the template's condition `name` holds.
    fn condition(&self, name: &str, _depth: u8) -> Tri {
        let Some(node) = self.conditions.get(name) else {
            return Tri::Unknown;
        };
        let key = format!("condition {name}");
        self.memo
            .get(&self.memo.conditions, &key, Tri::Unknown, || {
                self.condition_expr(node, 0)
            })
    }

    fn condition_expr(&self, node: &Node<'_>, depth: u8) -> Tri {
        if depth > MAX_EVAL_DEPTH {
            return Tri::Unknown;
        }
        let Some(entry) = node.single_entry() else {
            return node.as_bool().map_or(Tri::Unknown, Tri::from_bool);
        };
        let args = entry.value.as_seq().unwrap_or_default();
        match (entry.key.as_ref(), args) {
            ("Fn::Equals", [a, b]) => self.text(a, depth + 1).equals(&self.text(b, depth + 1)),
            ("Fn::And", items) if !items.is_empty() => {
                Tri::all(items.iter().map(|c| self.condition_expr(c, depth + 1)))
            }
            ("Fn::Or", items) if !items.is_empty() => {
                Tri::any(items.iter().map(|c| self.condition_expr(c, depth + 1)))
            }
            ("Fn::Not", [c]) => self.condition_expr(c, depth + 1).not(),
            ("Condition", _) => entry
                .value
                .as_str()
                .map_or(Tri::Unknown, |name| self.condition(name, depth + 1)),
            _ => Tri::Unknown,
        }
    }

    /// Whether a resource is created: its `Condition` holds, may not hold (`None`), or does
    /// not hold.
    pub(super) fn created(&self, resource: &Node<'_>) -> Option<bool> {
        match resource.get("Condition").and_then(Node::as_str) {
            None => Some(true),
            Some(name) => match self.condition(name, 0) {
                Tri::Yes => Some(true),
                Tri::No => Some(false),
                Tri::Unknown => None,
            },
        }
    }

    /// `Fn::FindInMap [Map, TopKey, SecondKey]` when every key is decided.
    fn find_in_map<'n>(&'n self, args: &Node<'_>, depth: u8) -> Option<&'n Node<'a>> {
        let [map, top, second, ..] = args.as_seq()? else {
            return None;
        };
        let key = |node: &Node<'_>| self.text(node, depth + 1).decided_lit();
        self.mappings?.at(&[&key(map)?, &key(top)?, &key(second)?])
    }

    /// The name the deployment generates for the resource (or SAM resource) `id`.
    pub(super) fn generated(&self, id: &str) -> Text {
        Text::sym(Symbol::Generated(self.scoped(id)))
    }

    /// A symbol scoped to this template (logical IDs and parameters are per template).
    fn scoped(&self, name: &str) -> String {
        format!("{}#{name}", self.file.0)
    }

    pub(super) fn boolean(&self, node: &Node<'_>) -> Option<bool> {
        node.as_bool().or_else(|| {
            self.text(node, 0).decide(|text| match text.as_lit()? {
                text if text.eq_ignore_ascii_case("true") => Some(true),
                text if text.eq_ignore_ascii_case("false") => Some(false),
                _ => None,
            })
        })
    }

    /// A list of strings; an element or a whole list that cannot be decided is unknown.
    pub(super) fn texts(&self, node: &Node<'_>) -> Vec<Text> {
        match self.list(node, 0) {
            Some(items) => items,
            None => vec![Text::unknown()],
        }
    }

    /// A list value: a sequence, or an intrinsic that yields one.
    pub(super) fn list(&self, node: &Node<'_>, depth: u8) -> Option<Vec<Text>> {
        if depth > MAX_EVAL_DEPTH {
            return None;
        }
        match &node.value {
            Value::Seq(items) => Some(
                items
                    .iter()
                    .map(|item| self.text(item, depth + 1))
                    .collect(),
            ),
            _ => {
                let entry = node.single_entry()?;
                let args = entry.value.as_seq();
                match (entry.key.as_ref(), args) {
                    ("Fn::If", _) => match self.pick(node) {
                        Some(chosen) if !std::ptr::eq(chosen, node) => self.list(chosen, depth + 1),
                        _ => None,
                    },
                    ("Fn::FindInMap", _) => self
                        .find_in_map(&entry.value, depth)
                        .and_then(|value| self.list(value, depth + 1)),
                    ("Fn::Split", Some([delimiter, source])) => {
                        let delimiter = self.text(delimiter, depth + 1);
                        let source = self.text(source, depth + 1);
                        match (delimiter.decided_lit(), source.decided_lit()) {
                            (Some(d), Some(s)) if !d.is_empty() => {
                                Some(s.split(d.as_str()).map(Text::lit).collect())
                            }
                            _ => None,
                        }
                    }
                    _ => None,
                }
            }
        }
    }

    /// The string a node stands for.
    pub(super) fn text(&self, node: &Node<'_>, depth: u8) -> Text {
        if depth > MAX_EVAL_DEPTH {
            return Text::unknown();
        }
        match &node.value {
            Value::String(text) | Value::Number(text) => Text::lit(text.as_ref()),
            Value::Bool(b) => Text::lit(if *b { "true" } else { "false" }),
            Value::Null | Value::Seq(_) => Text::unknown(),
            Value::Map(_) => {
                let Some(entry) = node.single_entry() else {
                    return Text::unknown();
                };
                let arg = &entry.value;
                match entry.key.as_ref() {
                    "Ref" => arg
                        .as_str()
                        .map_or_else(Text::unknown, |name| self.reference(name, depth + 1)),
                    "Fn::GetAtt" => match get_att_args(arg) {
                        Some((resource, attribute)) => {
                            self.attribute(&resource, &attribute, depth + 1)
                        }
                        None => Text::unknown(),
                    },
                    "Fn::Sub" => bounded(self.sub(arg, depth + 1)),
                    "Fn::If" => match self.pick(node) {
                        Some(chosen) if !std::ptr::eq(chosen, node) => self.text(chosen, depth + 1),
                        _ => Text::unknown(),
                    },
                    "Fn::FindInMap" => self
                        .find_in_map(arg, depth)
                        .map_or_else(Text::unknown, |value| self.text(value, depth + 1)),
                    // Resolved against the `Outputs` other templates of the run export.
                    "Fn::ImportValue" => match self.text(arg, depth + 1).decided_lit() {
                        Some(name) => self
                            .exports
                            .get(&name)
                            .cloned()
                            .unwrap_or_else(Text::unknown),
                        None => Text::unknown(),
                    },
                    "Fn::Join" => bounded(match arg.as_seq() {
                        Some([delimiter, items]) => {
                            let delimiter = self.text(delimiter, depth + 1);
                            match self.list(items, depth + 1) {
                                // Known too large before it is built.
                                Some(items)
                                    if items.iter().map(weight).sum::<usize>()
                                        + weight(&delimiter) * items.len()
                                        > MAX_TEXT_WEIGHT =>
                                {
                                    Text::unknown()
                                }
                                Some(items) => {
                                    let mut out = Text::default();
                                    for (index, item) in items.iter().enumerate() {
                                        if index > 0 {
                                            out.append(&delimiter);
                                        }
                                        out.append(item);
                                    }
                                    out
                                }
                                None => Text::unknown(),
                            }
                        }
                        _ => Text::unknown(),
                    }),
                    "Fn::Select" => match arg.as_seq() {
                        Some([index, items]) => {
                            let index = self.text(index, depth + 1);
                            let index = index.decide(|i| i.as_lit()?.parse::<usize>().ok());
                            match (index, self.list(items, depth + 1)) {
                                (Some(i), Some(items)) => {
                                    items.get(i).cloned().unwrap_or_else(Text::unknown)
                                }
                                _ => Text::unknown(),
                            }
                        }
                        _ => Text::unknown(),
                    },
                    _ => Text::unknown(),
                }
            }
        }
    }

    /// `Ref name`: a pseudo parameter, a parameter, or a resource.
    fn reference(&self, name: &str, depth: u8) -> Text {
        match name {
            "AWS::Region" if self.region.is_some() => {
                Text::lit(self.region.as_deref().unwrap_or_default())
            }
            // One deployment shares its partition, region and account.
            _ if Pseudo::parse(name).is_some() => {
                Pseudo::parse(name).map_or_else(Text::unknown, Text::pseudo)
            }
            "AWS::StackName" | "AWS::StackId" => Text::sym(Symbol::Opaque(self.scoped(name))),
            _ if self.parameters.contains_key(name) => self.parameter(name),
            _ if self.resources.contains_key(name) => self.referenced(name, depth),
            _ => Text::unknown(),
        }
    }

    /// What `Ref` returns for the resource `id`: its name, unless its type returns something
    /// else (an ARN, a URL).
    pub(super) fn referenced(&self, id: &str, depth: u8) -> Text {
        let refers = self
            .resources
            .get(id)
            .and_then(|resource| resource.get("Type"))
            .and_then(Node::as_str)
            .and_then(resources::kind)
            .and_then(|kind| kind.refers.as_ref());
        match refers {
            Some(refers) => self.attribute_value(id, refers, depth),
            None => self.resource_name(id, depth),
        }
    }

    /// A parameter: a value fixed at deployment, one of its `AllowedValues` when it lists them.
    /// Its `Default` is no fact: the deployment may pass another value.
    fn parameter(&self, name: &str) -> Text {
        let symbol = Symbol::Opaque(self.scoped(name));
        let allowed = self
            .parameters
            .get(name)
            .and_then(|p| p.get("AllowedValues"))
            .and_then(Node::as_seq)
            .and_then(|values| {
                values
                    .iter()
                    .map(|v| v.scalar_text().map(|t| t.into_owned()))
                    .collect::<Option<Vec<_>>>()
            });
        match allowed {
            Some(values) if !values.is_empty() => {
                let mut text = Text::default();
                text.push(Piece::Choice(symbol, values));
                text
            }
            _ => Text::sym(symbol),
        }
    }

    /// What `Ref` returns for a resource: its name, where the name is what `Ref` returns and is
    /// either written in the template or generated by CloudFormation.
    pub(super) fn resource_name(&self, id: &str, depth: u8) -> Text {
        let Some(resource) = self.resources.get(id) else {
            return Text::unknown();
        };
        let name = resource
            .get("Type")
            .and_then(Node::as_str)
            .and_then(resources::kind)
            .and_then(|kind| kind.name.as_ref());
        let Some(name) = name else {
            return Text::sym(Symbol::Opaque(self.scoped(&format!("Ref.{id}"))));
        };
        match (resource.at(&["Properties", name.property()]), name) {
            (Some(written), _) => {
                let _ = depth;
                let key = format!("name {id}");
                self.memo.get(&self.memo.names, &key, Text::unknown(), || {
                    self.text(written, 0)
                })
            }
            (None, Name::Required(_)) => Text::unknown(),
            (None, Name::Generated(_)) => Text::sym(Symbol::Generated(self.scoped(id))),
        }
    }

    /// The resource's ARN: `Fn::GetAtt X.Arn` where its type has that attribute, else what
    /// `Ref` returns (a topic's or state machine's ARN).
    pub(super) fn arn_attribute(&self, id: &str) -> Text {
        let has_arn = self
            .resources
            .get(id)
            .and_then(|resource| resource.get("Type"))
            .and_then(Node::as_str)
            .and_then(resources::kind)
            .is_some_and(|kind| kind.attributes.iter().any(|(name, _)| *name == "Arn"));
        if has_arn {
            self.attribute(id, "Arn", 0)
        } else {
            self.referenced(id, 0)
        }
    }

    /// `Fn::GetAtt resource.attribute`, for the attributes the analysis compares.
    fn attribute(&self, id: &str, attribute: &str, depth: u8) -> Text {
        let Some(resource) = self.resources.get(id) else {
            return Text::unknown();
        };
        let known = resource
            .get("Type")
            .and_then(Node::as_str)
            .and_then(resources::kind)
            .and_then(|kind| kind.attributes.iter().find(|(name, _)| *name == attribute));
        match known {
            Some((_, known)) => self.attribute_value(id, known, depth),
            None => Text::sym(Symbol::Opaque(self.scoped(&format!("{id}.{attribute}")))),
        }
    }

    /// What an attribute of the resource `id` is.
    fn attribute_value(&self, id: &str, attribute: &Attribute, depth: u8) -> Text {
        match attribute {
            Attribute::Arn(form) => {
                form.of_in(&self.resource_name(id, depth), self.region.as_deref())
            }
            Attribute::Name => self.resource_name(id, depth),
            Attribute::Built(build) => match self.resources.get(id) {
                Some(resource) if depth <= MAX_EVAL_DEPTH => build(self, id, resource, depth),
                _ => Text::unknown(),
            },
        }
    }

    /// The region part of the ARNs the template builds: its region when known.
    pub(super) fn region_text(&self) -> Text {
        self.region
            .as_deref()
            .map_or_else(|| Text::pseudo(Pseudo::Region), Text::lit)
    }

    /// A symbol for a value CloudFormation assigns to the resource `id` at deployment.
    pub(super) fn assigned(&self, id: &str, what: &str) -> Text {
        Text::sym(Symbol::Opaque(self.scoped(&format!("{id}.{what}"))))
    }

    /// `Fn::Sub` in its string and `[string, variables]` forms.
    fn sub(&self, arg: &Node<'_>, depth: u8) -> Text {
        let (template, variables) = match &arg.value {
            Value::String(text) => (text.as_ref(), None),
            Value::Seq(items) => match items.as_slice() {
                [template, variables] => match template.as_str() {
                    Some(text) => (text, variables.as_map()),
                    None => return Text::unknown(),
                },
                _ => return Text::unknown(),
            },
            _ => return Text::unknown(),
        };
        let mut out = Text::default();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            if let Some(literal) = after.strip_prefix('!') {
                // `${!Literal}` writes `${Literal}`.
                out.push_str("${");
                rest = literal;
                continue;
            }
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                return out;
            };
            let name = after[..end].trim();
            let value = match variables.and_then(|vars| vars.iter().rev().find(|v| v.key == name)) {
                Some(variable) => self.text(&variable.value, depth + 1),
                None => match name.split_once('.') {
                    Some((resource, attribute)) if !name.starts_with("AWS::") => {
                        self.attribute(resource, attribute, depth + 1)
                    }
                    _ => self.reference(name, depth + 1),
                },
            };
            out.append(&value);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }
}

impl Resolve for Template<'_, '_> {
    fn resolve(&self, node: &Node<'_>) -> Option<Resolved> {
        let entry = node.single_entry()?;
        let key = entry.key.as_ref();
        if key != "Ref" && !key.starts_with("Fn::") {
            return None;
        }
        Some(match key {
            "Fn::If" => match self.pick(node) {
                Some(chosen) if !std::ptr::eq(chosen, node) => match &chosen.value {
                    Value::Seq(_) => self
                        .list(chosen, 0)
                        .map_or(Resolved::Unknown, Resolved::List),
                    _ => self
                        .resolve(chosen)
                        .unwrap_or_else(|| Resolved::Text(self.text(chosen, 0))),
                },
                _ => Resolved::Unknown,
            },
            "Fn::Split" => self.list(node, 0).map_or(Resolved::Unknown, Resolved::List),
            "Ref" | "Fn::Sub" | "Fn::GetAtt" | "Fn::Join" | "Fn::Select" | "Fn::FindInMap"
            | "Fn::ImportValue" => Resolved::Text(self.text(node, 0)),
            _ => Resolved::Unknown,
        })
    }
}

/// A value, or unknown when it outgrows [`MAX_TEXT_WEIGHT`].
fn bounded(text: Text) -> Text {
    if weight(&text) > MAX_TEXT_WEIGHT {
        Text::unknown()
    } else {
        text
    }
}

/// The bytes of a value's literal text, and one for each other piece.
fn weight(text: &Text) -> usize {
    text.pieces()
        .iter()
        .map(|piece| match piece {
            Piece::Lit(lit) => lit.len(),
            _ => 1,
        })
        .sum()
}

/// `["Res", "Attr"]` or `"Res.Attr"`.
fn get_att_args(arg: &Node<'_>) -> Option<(String, String)> {
    match &arg.value {
        Value::String(text) => {
            let (resource, attribute) = text.split_once('.')?;
            Some((resource.to_owned(), attribute.to_owned()))
        }
        Value::Seq(items) => match items.as_slice() {
            [resource, attribute] => Some((
                resource.as_str()?.to_owned(),
                attribute.as_str()?.to_owned(),
            )),
            _ => None,
        },
        _ => None,
    }
}
