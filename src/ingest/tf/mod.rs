//! Terraform plans and state (`terraform show -json`) → model.
//!
//! Reads the resources of `planned_values` (a plan) or `values` (a state) at every module
//! depth, by full address. Values Terraform does not know until apply are omitted from those
//! trees or `null` inside lists; `resource_changes[].change.after_unknown` says which, and such
//! values become unknown here, never empty ([`attributes`]). Each resource type read has one
//! handler ([`resources`]), which `.tf` configuration will feed the same way.

mod attributes;
pub mod hcl;
mod references;
mod resources;
mod targets;

use std::collections::HashMap;

use super::{Contents, InputKind};
use crate::parse::{Node, Prune, Value};
use crate::source::{FileId, Loc};
use attributes::Attr;
use resources::Resource;

/// What of a JSON document ingestion never reads when it is a plan or a state, so the parser
/// need not build it: the values of resources of other types than the handlers read, and of
/// their attributes those the handlers read (Terraform
/// writes `type` before `values`), the values before and after each change (the values after
/// are read from `planned_values`, whose copy sits in its module), the sensitivity masks, the
/// prior state, drift, outputs, checks, and the expressions of the configuration. Of
/// `resource_changes` only `address` and `change.after_unknown` are read. These keys are at
/// places no CloudFormation template has: a template's top level takes only its own sections.
pub static UNREAD: Prune = Prune::Keys(&[
    (
        "resource_changes",
        &Prune::Each(&Prune::Only(&[
            ("address", &Prune::Keep),
            ("type", &Prune::Keep),
            (
                "change",
                &Prune::BySibling {
                    sibling: "type",
                    by: resources::change_read,
                    otherwise: &CHANGE,
                },
            ),
        ])),
    ),
    ("prior_state", &Prune::Skip),
    ("resource_drift", &Prune::Skip),
    ("output_changes", &Prune::Skip),
    ("relevant_attributes", &Prune::Skip),
    ("checks", &Prune::Skip),
    ("planned_values", &VALUES),
    ("values", &VALUES),
    (
        "configuration",
        &Prune::Keys(&[("root_module", &CONFIGURED_MODULE)]),
    ),
]);

/// Of a resource change whose type comes after it, what ingestion may read: its
/// `after_unknown` (the values are read from `planned_values`).
static CHANGE: Prune = Prune::Keys(&[
    ("before", &Prune::Skip),
    ("after", &Prune::Skip),
    ("before_sensitive", &Prune::Skip),
    ("after_sensitive", &Prune::Skip),
    ("replace_paths", &Prune::Skip),
    ("importing", &Prune::Skip),
]);

static VALUES: Prune = Prune::Keys(&[("outputs", &Prune::Skip), ("root_module", &MODULE)]);

static MODULE: Prune = Prune::Keys(&[
    (
        "resources",
        &Prune::Each(&Prune::Only(&[
            ("address", &Prune::Keep),
            ("mode", &Prune::Keep),
            ("type", &Prune::Keep),
            (
                "values",
                &Prune::BySibling {
                    sibling: "type",
                    by: resources::values_read,
                    otherwise: &Prune::Keep,
                },
            ),
        ])),
    ),
    ("child_modules", &Prune::Each(&MODULE)),
]);

static CONFIGURED_MODULE: Prune = Prune::Keys(&[
    (
        "resources",
        &Prune::Each(&Prune::Only(&[
            ("address", &Prune::Keep),
            ("type", &Prune::Keep),
            ("provider_config_key", &Prune::Keep),
            (
                "expressions",
                &Prune::BySibling {
                    sibling: "type",
                    by: resources::values_read,
                    otherwise: &Prune::Skip,
                },
            ),
        ])),
    ),
    (
        "module_calls",
        &Prune::Each(&Prune::Keys(&[
            ("module", &CONFIGURED_MODULE),
            ("expressions", &Prune::Skip),
        ])),
    ),
    ("outputs", &Prune::Skip),
    ("variables", &Prune::Skip),
]);

pub(super) fn is_plan(root: &Node<'_>) -> bool {
    root.get("format_version").is_some()
        && (root.get("planned_values").is_some()
            || root.get("resource_changes").is_some()
            || root.get("values").is_some())
}

/// Reads a plan or state, consuming its tree: each resource's values are dropped once read,
/// so the tree and the model it gives never both hold the whole plan.
pub(super) fn ingest(file: FileId, text: &str, mut root: Node<'_>) -> Contents {
    let mut contents = Contents::new(InputKind::Plan);
    let module = take(&mut root, &["planned_values", "root_module"])
        .or_else(|| take(&mut root, &["values", "root_module"]));
    let unknowns = after_unknown_by_address(&root);
    let regions = ProviderRegions::new(&root);
    let mut references = references::References::new(&root);
    // What Terraform derives for each resource, before any resource refers to it.
    if let Some(module) = &module {
        let mut modules = vec![module];
        while let Some(module) = modules.pop() {
            for resource in module
                .get("resources")
                .and_then(Node::as_seq)
                .unwrap_or_default()
            {
                if let (Some(kind), Some(address), Some(values)) = (
                    resource.get("type").and_then(Node::as_str),
                    resource.get("address").and_then(Node::as_str),
                    resource.get("values"),
                ) && hcl::derives_identity(kind)
                {
                    let attrs = Attr::from_plan(values, unknowns.get(address).copied());
                    let region = regions.of(address, &attrs);
                    references.derive(file, kind, address, &attrs, region.as_deref());
                }
            }
            modules.extend(
                module
                    .get("child_modules")
                    .and_then(Node::as_seq)
                    .unwrap_or_default(),
            );
        }
    }
    let mut modules: Vec<Node<'_>> = module.into_iter().collect();
    while let Some(mut module) = modules.pop() {
        let resources = take(&mut module, &["resources"]).map_or_else(Vec::new, into_items);
        for resource in resources {
            if resource
                .get("mode")
                .and_then(Node::as_str)
                .is_some_and(|mode| mode != "managed")
            {
                continue;
            }
            let (Some(kind), Some(address), Some(values)) = (
                resource.get("type").and_then(Node::as_str),
                resource.get("address").and_then(Node::as_str),
                resource.get("values"),
            ) else {
                continue;
            };
            let Some(handler) = resources::handler(kind) else {
                continue;
            };
            let mut attrs = Attr::from_plan(values, unknowns.get(address).copied());
            references.fill(address, &mut attrs);
            let resource = Resource {
                address,
                loc: Loc {
                    file,
                    span: values.span,
                },
                region: regions.of(address, &attrs),
                attrs: &attrs,
                text,
            };
            (handler.read)(&resource, &mut contents.items);
        }
        // Children are pushed in reverse so resources come out in document order.
        let children = take(&mut module, &["child_modules"]).map_or_else(Vec::new, into_items);
        modules.extend(children.into_iter().rev());
    }
    contents
}

/// Takes the value at `path` out of the tree, leaving null in its place.
fn take<'a>(node: &mut Node<'a>, path: &[&str]) -> Option<Node<'a>> {
    let mut node = node;
    for key in path {
        let Value::Map(entries) = &mut node.value else {
            return None;
        };
        node = &mut entries
            .iter_mut()
            .rev()
            .find(|entry| entry.key == *key)?
            .value;
    }
    let null = Node::new(node.span, Value::Null);
    Some(std::mem::replace(node, null))
}

/// The elements of a sequence, owned; nothing for another value.
fn into_items(node: Node<'_>) -> Vec<Node<'_>> {
    match node.value {
        Value::Seq(items) => items,
        _ => Vec::new(),
    }
}

/// The regions of resources: their own `region` (provider 6 and later), else the region of the
/// provider configuration they use, when the plan states it as a constant.
struct ProviderRegions<'a> {
    /// Region of each `aws` provider configuration key that has a constant one.
    by_key: HashMap<&'a str, &'a str>,
    /// Module calls by their parent module (the root is 0) and name: addresses are looked up
    /// one module at a time, never spelt out in full for each resource of a deep module.
    modules: HashMap<usize, HashMap<&'a str, usize>>,
    /// Provider configuration key of each resource, by its module and its address in it.
    keys: HashMap<usize, HashMap<&'a str, &'a str>>,
    /// The region of the only `aws` provider configuration, when there is exactly one.
    only: Option<&'a str>,
}

impl<'a> ProviderRegions<'a> {
    fn new(root: &'a Node<'a>) -> ProviderRegions<'a> {
        let configs = root
            .at(&["configuration", "provider_config"])
            .and_then(Node::as_map)
            .unwrap_or_default();
        let aws: Vec<(&str, Option<&str>)> = configs
            .iter()
            .filter(|e| e.value.get("name").and_then(Node::as_str) == Some("aws"))
            .map(|e| {
                let region = e
                    .value
                    .at(&["expressions", "region", "constant_value"])
                    .and_then(Node::as_str);
                (e.key.as_ref(), region)
            })
            .collect();
        let mut regions = ProviderRegions {
            by_key: aws
                .iter()
                .filter_map(|(key, region)| Some((*key, (*region)?)))
                .collect(),
            modules: HashMap::new(),
            keys: HashMap::new(),
            only: match aws.as_slice() {
                [(_, Some(region))] => Some(region),
                _ => None,
            },
        };
        if let Some(module) = root.at(&["configuration", "root_module"]) {
            let mut next_id = 1;
            let mut pending = vec![(0, module)];
            while let Some((id, module)) = pending.pop() {
                for resource in module
                    .get("resources")
                    .and_then(Node::as_seq)
                    .unwrap_or_default()
                {
                    if let (Some(address), Some(key)) = (
                        resource.get("address").and_then(Node::as_str),
                        resource.get("provider_config_key").and_then(Node::as_str),
                    ) {
                        regions.keys.entry(id).or_default().insert(address, key);
                    }
                }
                for call in module
                    .get("module_calls")
                    .and_then(Node::as_map)
                    .unwrap_or_default()
                {
                    if let Some(inner) = call.value.get("module") {
                        regions
                            .modules
                            .entry(id)
                            .or_default()
                            .insert(call.key.as_ref(), next_id);
                        pending.push((next_id, inner));
                        next_id += 1;
                    }
                }
            }
        }
        regions
    }

    fn of(&self, address: &str, attrs: &Attr) -> Option<String> {
        if attrs.is_unknown("region") {
            return None;
        }
        if let Some(region) = attrs.get("region").and_then(Attr::as_str) {
            return Some(region.to_owned());
        }
        let region = match self.key_of(address) {
            // A key that names no configuration of its own (a provider passed into a module)
            // resolves only when the plan has a single AWS provider.
            Some(key) => self.by_key.get(key).copied().or(self.only),
            None => self.only,
        };
        region.map(str::to_owned)
    }

    /// The provider configuration key of the resource at `address`.
    fn key_of(&self, address: &str) -> Option<&'a str> {
        let address = without_instance_keys(address);
        let mut module = 0;
        let mut rest = address.as_str();
        while let Some(after) = rest.strip_prefix("module.") {
            let (name, tail) = after.split_once('.')?;
            module = *self.modules.get(&module)?.get(name)?;
            rest = tail;
        }
        self.keys.get(&module)?.get(rest).copied()
    }
}

/// `module.a["x"].aws_s3_bucket.b[0]` → `module.a.aws_s3_bucket.b`.
pub fn without_instance_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0;
    let mut quoted = false;
    for c in address.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `after_unknown` of every resource change, by address.
fn after_unknown_by_address<'d, 'a>(root: &'d Node<'a>) -> HashMap<&'d str, &'d Node<'a>> {
    root.get("resource_changes")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|change| {
            let address = change.get("address").and_then(Node::as_str)?;
            let unknown = change.at(&["change", "after_unknown"])?;
            Some((address, unknown))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{self, Syntax, Value};
    use std::path::Path;

    /// One resource of every type ingestion reads, one of a type it does not, and one whose
    /// `values` come before its `type`; unknowns, a provider region, and a module.
    const EVERY_TYPE: &str = r#"{"format_version": "1.2", "planned_values": {"root_module": {
        "resources": [
          {"address": "aws_cloudwatch_event_rule.r", "mode": "managed", "type": "aws_cloudwatch_event_rule",
           "values": {"name": "r", "event_pattern": "{\"source\": [\"aws.s3\"]}", "state": "ENABLED"}},
          {"address": "aws_cloudtrail.t", "mode": "managed", "type": "aws_cloudtrail",
           "values": {"name": "t", "is_multi_region_trail": true, "event_selector": [{"read_write_type": "All",
             "data_resource": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3:::b/"]}]}]}},
          {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "values": {"bucket": "b"}},
          {"address": "aws_s3_bucket_notification.n", "mode": "managed", "type": "aws_s3_bucket_notification",
           "values": {"bucket": "b", "eventbridge": true}},
          {"address": "aws_cloudwatch_event_bus.x", "mode": "managed", "type": "aws_cloudwatch_event_bus",
           "values": {"name": "x"}},
          {"address": "aws_cloudwatch_event_bus_policy.p", "mode": "managed",
           "type": "aws_cloudwatch_event_bus_policy", "values": {"event_bus_name": "x"}},
          {"address": "aws_cloudwatch_event_permission.q", "mode": "managed",
           "type": "aws_cloudwatch_event_permission", "values": {}},
          {"values": {"arn": "arn:aws:sns:eu-west-1:1:t"}, "address": "aws_cloudwatch_event_target.g",
           "mode": "managed", "type": "aws_cloudwatch_event_target"},
          {"address": "aws_iam_policy.i", "mode": "managed", "type": "aws_iam_policy",
           "values": {"policy": "{}"}, "sensitive_values": {}}],
        "child_modules": [{"address": "module.m", "resources": [
          {"address": "module.m.aws_cloudtrail.u", "mode": "managed", "type": "aws_cloudtrail",
           "values": {"name": "u"}}]}]}},
      "resource_changes": [
        {"address": "aws_cloudtrail.t", "change": {"actions": ["create"], "before": null,
         "after": {"name": "t"}, "after_unknown": {"s3_bucket_name": true}, "after_sensitive": {}}},
        {"address": "aws_cloudwatch_event_target.g", "change": {"after_unknown": {"event_bus_name": true}}}],
      "prior_state": {"values": {}},
      "configuration": {"provider_config": {"aws": {"name": "aws",
          "expressions": {"region": {"constant_value": "eu-west-1"}}}},
        "root_module": {"resources": [{"address": "aws_cloudtrail.t", "provider_config_key": "aws",
          "expressions": {"name": {"constant_value": "t"}}}],
          "module_calls": {"m": {"expressions": {}, "module": {"resources": [
            {"address": "aws_cloudtrail.u", "provider_config_key": "aws", "expressions": {}}]}}}}}}"#;

    fn nodes(node: &Node<'_>) -> usize {
        1 + match &node.value {
            Value::Seq(items) => items.iter().map(nodes).sum(),
            Value::Map(entries) => entries.iter().map(|e| nodes(&e.value)).sum(),
            _ => 0,
        }
    }

    /// Ingestion of the pruned tree must see exactly what it sees in the whole tree: checked on
    /// every Terraform JSON file of the fixtures and, when it is there, of the public corpus.
    #[test]
    fn pruning_leaves_out_only_what_ingestion_never_reads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = vec![EVERY_TYPE.to_owned()];
        let mut folders = vec![root.join("testdata")];
        let corpus = crate::testing::corpus();
        let with_corpus = corpus.is_some();
        folders.extend(corpus);
        for entry in folders
            .iter()
            .flat_map(walkdir::WalkDir::new)
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            if let Ok(text) = std::fs::read_to_string(entry.path())
                && text.contains("\"format_version\"")
                && parse::sniff(&text) == Syntax::Json
            {
                texts.push(text);
            }
        }
        let mut plans = 0;
        let (mut whole_nodes, mut pruned_nodes) = (0, 0);
        for text in &texts {
            let whole = parse::parse(text, Syntax::Json);
            let pruned = parse::parse_pruned(text, Syntax::Json, &UNREAD);
            let (whole, pruned) = match (whole, pruned) {
                (Ok(whole), Ok(pruned)) => (whole, pruned),
                (Err(whole), Err(pruned)) => {
                    assert_eq!(whole, pruned);
                    continue;
                }
                (whole, pruned) => panic!("{whole:?} but pruned {pruned:?}"),
            };
            assert_eq!(is_plan(&whole), is_plan(&pruned));
            if is_plan(&whole) {
                plans += 1;
                whole_nodes += nodes(&whole);
                pruned_nodes += nodes(&pruned);
                assert_eq!(
                    format!("{:?}", ingest(FileId(0), text, whole)),
                    format!("{:?}", ingest(FileId(0), text, pruned)),
                    "{}",
                    &text[..text.len().min(200)]
                );
            }
        }
        let every_type = ingest(
            FileId(0),
            EVERY_TYPE,
            parse::parse_pruned(EVERY_TYPE, Syntax::Json, &UNREAD).unwrap(),
        );
        assert_eq!(
            (
                every_type.items.rules.len(),
                every_type.items.trails.len(),
                every_type.items.targets.len()
            ),
            (1, 2, 1)
        );
        // The fixtures alone hold a handful of plans; with the corpus, hundreds.
        let least = if with_corpus { 100 } else { 5 };
        assert!(plans >= least, "only {plans} plans compared");
        // Real plans are mostly what ingestion never reads; the fixtures, mostly what it does.
        assert!(
            !with_corpus || pruned_nodes * 3 < whole_nodes * 2,
            "pruning kept {pruned_nodes} of {whole_nodes} nodes"
        );
    }

    #[test]
    fn instance_keys_are_dropped_from_addresses() {
        assert_eq!(
            without_instance_keys("aws_s3_bucket.b[0]"),
            "aws_s3_bucket.b"
        );
        assert_eq!(
            without_instance_keys("module.a[\"eu[1]\"].aws_cloudtrail.this[\"x\"]"),
            "module.a.aws_cloudtrail.this"
        );
        assert_eq!(
            without_instance_keys("aws_cloudtrail.t"),
            "aws_cloudtrail.t"
        );
    }
}
