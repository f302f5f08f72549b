//! CloudFormation and SAM templates → model.
//!
//! Each resource is read by the entry of its type in the resource table ([`resources`]), with
//! its properties evaluated by the template's evaluator ([`template`]): intrinsic functions,
//! conditions, mappings, parameters and imports, as far as the template decides them. A
//! resource whose `Condition` is false does not exist; one whose condition is undecided is
//! read, and marked so. `Outputs` with an `Export` are kept for `Fn::ImportValue` in other
//! templates of the run.

mod resources;
mod targets;
mod template;

use super::{Contents, InputKind};
use crate::model::{Dialect, Trail, TrailParameter};
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
    contents.items.trail_parameters = trail_parameters(file, root);
    if hands_out_names(root) {
        contents.items.open_templates.push(file);
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
        if resource.get("Connectors").is_some() {
            targets::embedded_connectors(&template, id, resource, &mut contents.items);
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

/// The parameters that take a trail: its name or ARN, or its log group or bucket
/// (`CloudTrailName`, `pOrgTrailArn`, `CloudTrailLogGroup`) — a logical ID that says `trail`
/// and ends like one of those. A switch (`CreateCloudTrailLogGroup`, `true`/`false`) or a
/// setting of one (`CloudTrailLogGroupRetention`) is not.
/// Whether a template may hand the names of its resources to other stacks: it has `Outputs`
/// or nested stacks (which take parameters).
fn hands_out_names(root: &Node<'_>) -> bool {
    let outputs = root
        .get("Outputs")
        .and_then(Node::as_map)
        .is_some_and(|outputs| !outputs.is_empty());
    let nested = root
        .get("Resources")
        .map(Node::distinct_entries)
        .unwrap_or_default()
        .iter()
        .any(|entry| {
            matches!(
                entry.value.get("Type").and_then(Node::as_str),
                Some("AWS::CloudFormation::Stack" | "AWS::Serverless::Application")
            )
        });
    outputs || nested
}

fn trail_parameters(file: FileId, root: &Node<'_>) -> Vec<TrailParameter> {
    const ENDINGS: &[&str] = &[
        "trail",
        "trailname",
        "trailarn",
        "loggroup",
        "loggroupname",
        "loggrouparn",
        "trailbucket",
        "trailbucketname",
    ];
    // A switch, also in the `p` prefix style of some template collections (`pCreate…`).
    const SWITCHES: &[&str] = &["create", "deploy", "enable"];
    root.get("Parameters")
        .map(Node::distinct_entries)
        .unwrap_or_default()
        .into_iter()
        .filter(|entry| {
            let id = entry.key.to_ascii_lowercase();
            let bare = id.strip_prefix('p').unwrap_or(&id);
            let switch = SWITCHES
                .iter()
                .any(|prefix| id.starts_with(prefix) || bare.starts_with(prefix));
            let boolean = entry
                .value
                .get("AllowedValues")
                .and_then(Node::as_seq)
                .is_some_and(|values| {
                    values.iter().all(|v| {
                        v.as_str().is_some_and(|v| {
                            matches!(
                                v.to_ascii_lowercase().as_str(),
                                "true" | "false" | "yes" | "no"
                            )
                        })
                    })
                });
            id.contains("trail") && ENDINGS.iter().any(|e| id.ends_with(e)) && !switch && !boolean
        })
        .map(|entry| TrailParameter {
            name: entry.key.to_string(),
            loc: Loc {
                file,
                span: entry.key_span,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_that_take_a_trail() {
        let text = r#"
Parameters:
  CloudTrailName: {Type: String}
  pOrgTrailArn: {Type: String}
  CloudTrailLogGroup: {Type: String}
  TrailBucketName: {Type: String}
  pCreateCloudTrailLogGroup: {Type: String}
  CloudTrailLogGroupRetention: {Type: Number}
  UseTrail: {Type: String, AllowedValues: ["true", "false"]}
  TrailMode: {Type: String}
  pResourceTypes: {Type: String, Description: "Eg. AWS::CloudTrail::Trail"}
  LogGroup: {Type: String}
"#;
        let root = crate::parse::parse(text, crate::parse::Syntax::Yaml).expect("YAML");
        let names: Vec<String> = trail_parameters(FileId(0), &root)
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(
            names,
            [
                "CloudTrailName",
                "pOrgTrailArn",
                "CloudTrailLogGroup",
                "TrailBucketName"
            ]
        );
    }
}
