//! CloudFormation and SAM templates → model.
//!
//! Each resource is read by the entry of its type in the resource table ([`resources`]), with
//! its properties evaluated by the template's evaluator ([`template`]): intrinsic functions,
//! conditions, mappings, parameters and imports, as far as the template decides them. A
//! resource whose `Condition` is false does not exist; one whose condition is undecided is
//! read, and marked so. `Outputs` with an `Export` are kept for `Fn::ImportValue` in other
//! templates of the run.

mod resources;
mod template;

use super::{Contents, InputKind};
use crate::model::{Dialect, Trail};
use crate::parse::{Node, Value};
use crate::source::{FileId, Loc, SourceFile};
use crate::value::Text;
use resources::Resource;
use template::Template;

pub use template::Exports;

pub(super) fn is_template(root: &Node<'_>) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    // Some entry, not every one: a template with one resource CloudFormation would refuse (no
    // `Type`, a Rain module's `!Rain::Module`) still holds the others.
    root.get("Resources")
        .and_then(Node::as_map)
        .is_some_and(|resources| {
            resources
                .iter()
                .any(|r| r.value.get("Type").and_then(Node::as_str).is_some())
        })
}

pub(super) fn ingest(
    file: FileId,
    source: &SourceFile,
    root: &Node<'_>,
    options: &super::Options,
) -> Contents {
    let dialect = if source
        .text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
    {
        Dialect::CfnJson
    } else {
        Dialect::CfnYaml
    };
    let template = Template::new(
        file,
        root,
        &source.text,
        options.cfn_region.clone(),
        &options.exports,
    );
    let mut contents = Contents::new(InputKind::Template);
    for output in root
        .get("Outputs")
        .map(Node::distinct_entries)
        .unwrap_or_default()
    {
        let name = output
            .value
            .at(&["Export", "Name"])
            .map(|n| template.text(n, 0));
        if let (Some(name), Some(value)) = (
            name.as_ref().and_then(Text::as_lit),
            output.value.get("Value"),
        ) {
            contents
                .exports
                .push((name.to_owned(), template.text(value, 0)));
        }
    }
    let Some(resources) = root
        .get("Resources")
        .filter(|r| r.as_map().is_some())
        .map(Node::distinct_entries)
    else {
        return contents;
    };
    for entry in resources {
        let id = entry.key.as_ref();
        let resource = &entry.value;
        let loc = Loc {
            file,
            span: entry.key_span,
        };
        let properties = resource.get("Properties").and_then(|p| template.pick(p));
        // A resource whose condition is false does not exist.
        let created = template.created(resource);
        if created == Some(false) {
            continue;
        }
        let read = resource
            .get("Type")
            .and_then(Node::as_str)
            .and_then(resources::kind)
            .and_then(|kind| kind.read);
        if let Some(read) = read {
            let resource = Resource {
                id,
                node: resource,
                properties,
                loc,
                created,
                dialect,
            };
            read(&template, &resource, &mut contents.items);
        }
    }
    contents
}

/// A trail declared outside the templates (the config, the AWS CLI's output), from properties
/// in the vocabulary of `AWS::CloudTrail::Trail`; every part of it points at `loc`.
pub fn external_trail(
    loc: Loc,
    name: &str,
    properties: &Node<'_>,
    region: Option<String>,
) -> Trail {
    let root = Node::new(crate::source::Span::default(), Value::Map(Vec::new()));
    let exports = Exports::new();
    let template = Template::new(loc.file, &root, "", region, &exports);
    // The selectors a fix suggests for such a trail are the JSON the AWS CLI takes.
    let mut trail = resources::read_trail(&template, name, loc, Some(properties), Dialect::CfnJson);
    trail.relocate(loc.span);
    trail
}
