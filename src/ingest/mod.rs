//! Document tree → model: recognising what a file is, and reading its rules, trails and
//! buckets.
//!
//! A file is recognised by its content, never by its name: a CloudFormation template is a
//! mapping with a `Resources` mapping of typed resources (or an `AWSTemplateFormatVersion`),
//! a Terraform plan or state is JSON with `format_version` and `planned_values`,
//! `resource_changes` or `values`. Everything else is skipped with a reason. A file that does
//! not parse is an error only when its text looks like one of the inputs; otherwise it is
//! somebody else's file (a workflow, a `tsconfig.json` with comments) and skipped too.
//!
//! Each file is ingested on its own, so files can be read in parallel; pairing rules with
//! trails across files is the analysis's job.

pub mod cfn;
pub mod external;
mod tf;

pub use tf::UNREAD as UNREAD_IN_PLANS;

use crate::model::Items;
use crate::parse::{self, Node, Syntax};
use crate::source::{FileId, SourceFile};
use crate::value::Text;

/// What one file contributed.
#[derive(Debug)]
pub enum FileOutcome {
    Input(Contents),
    /// Not an input trailcheck reads; the reason is shown with `--verbose`.
    Skipped(String),
    /// Looks like an input but cannot be read.
    Error(InputError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Template,
    Plan,
}

/// The resources of one input file.
#[derive(Debug)]
pub struct Contents {
    pub kind: InputKind,
    pub items: Items,
    /// CloudFormation `Outputs` with an `Export`: name → value.
    pub exports: Vec<(String, Text)>,
}

impl Contents {
    fn new(kind: InputKind) -> Contents {
        Contents {
            kind,
            items: Items::default(),
            exports: Vec::new(),
        }
    }
}

/// A file that could not be read as the input it appears to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: FileId,
    /// Byte offset of the problem, when there is one.
    pub offset: Option<u32>,
    pub message: String,
}

/// What the command line tells ingestion.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The region CloudFormation templates deploy to, when exactly one is given.
    pub cfn_region: Option<String>,
    /// What the run's templates export, for `Fn::ImportValue`.
    pub exports: cfn::Exports,
}

/// Reads one file.
pub fn ingest(id: FileId, file: &SourceFile, options: &Options) -> FileOutcome {
    let text = file.text.as_str();
    let root = match parse_any(file) {
        Ok(root) => root,
        Err((syntax, error)) if looks_like_input(text) => {
            let syntax = match syntax {
                Syntax::Json => "JSON",
                Syntax::Yaml => "YAML",
            };
            return FileOutcome::Error(InputError {
                file: id,
                offset: Some(error.offset),
                message: format!("invalid {syntax}: {}", error.message),
            });
        }
        Err((_, error)) => return FileOutcome::Skipped(format!("not JSON or YAML ({error})")),
    };
    if cfn::is_template(&root) {
        FileOutcome::Input(cfn::ingest(id, file, &root, options))
    } else if tf::is_plan(&root) {
        FileOutcome::Input(tf::ingest(id, text, &root))
    } else {
        FileOutcome::Skipped("neither a CloudFormation template nor a Terraform plan".to_owned())
    }
}

/// Parses as the syntax the text looks like; a `.yaml`/`.yml` file that starts like JSON but
/// is not JSON gets a second chance as YAML. A failure says which syntax was tried last.
fn parse_any(file: &SourceFile) -> Result<Node<'_>, (Syntax, parse::ParseError)> {
    let text = file.text.as_str();
    let yaml = |text| parse::parse(text, Syntax::Yaml).map_err(|e| (Syntax::Yaml, e));
    match parse::sniff(text) {
        Syntax::Json => {
            parse::parse_pruned(text, Syntax::Json, &tf::UNREAD).or_else(|json_error| {
                let yaml_named = file
                    .path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| {
                        e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml")
                    });
                if yaml_named {
                    yaml(text)
                } else {
                    Err((Syntax::Json, json_error))
                }
            })
        }
        Syntax::Yaml => yaml(text),
    }
}

/// Whether unparseable text was meant to be a template or a plan: it names the template
/// version, has a top-level `Resources` key, or carries a plan's `format_version` together with
/// its values.
fn looks_like_input(text: &str) -> bool {
    if text.contains("AWSTemplateFormatVersion") {
        return true;
    }
    let top_level_resources = text.lines().any(|line| {
        let line = line.trim_end();
        line.starts_with("Resources:")
            || line.starts_with("\"Resources\"")
            || line.starts_with("'Resources'")
    });
    let json_resources = text.trim_start().starts_with('{') && text.contains("\"Resources\"");
    let plan = text.contains("\"format_version\"")
        && [
            "\"planned_values\"",
            "\"resource_changes\"",
            "\"values\"",
            "\"terraform_version\"",
        ]
        .iter()
        .any(|key| text.contains(key));
    top_level_resources || json_resources || plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_inputs_by_content() {
        assert!(looks_like_input("AWSTemplateFormatVersion: x\n  bad: [\n"));
        assert!(looks_like_input("Resources:\n  A: [\n"));
        assert!(looks_like_input(
            "{\"format_version\": \"1.0\", \"planned_values\": {"
        ));
        assert!(!looks_like_input("name: ci\non: [push\n"));
        assert!(!looks_like_input(
            "{ // comment\n \"compilerOptions\": {} }"
        ));
    }
}
