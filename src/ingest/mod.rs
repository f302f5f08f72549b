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
pub mod tf;

pub use tf::UNREAD as UNREAD_IN_PLANS;

use crate::model::Items;
use crate::model::policy::{Doc, DocValue};
use crate::parse::{self, Node, Syntax};
use crate::source::{FileId, SourceFile};
use crate::value::Text;

/// A policy document written as JSON text at `span`: every part is placed at `span`; text that
/// is not JSON is unknown.
pub fn json_doc(text: &str, span: crate::source::Span) -> Doc {
    match parse::parse(text, Syntax::Json) {
        Ok(node) => node_doc(&node, span),
        Err(_) => Doc::unknown(span),
    }
}

/// The one statement a Lambda permission (`AWS::Lambda::Permission`, `aws_lambda_permission`)
/// adds to its function's resource policy: `Allow` for its principal (a service, an account
/// or `*`), its action, on `function`, under its conditions (`(operator, key, value)`, as
/// Lambda writes them: `SourceArn` is `ArnLike`, the others `StringEquals`).
pub fn permission_policy(
    span: crate::source::Span,
    principal: Doc,
    action: Doc,
    function: Doc,
    conditions: Vec<(&str, &str, Doc)>,
) -> crate::model::policy::Policy {
    let principal = match &principal.value {
        DocValue::Text(text) if text.as_lit() == Some("*") => principal,
        DocValue::Text(text) => {
            // A service principal has a host name; an account or ARN has none. What cannot be
            // read is compared as a service, which it then may or may not be.
            let kind = match text.as_lit() {
                Some(p) if !p.contains(".amazonaws.com") => "AWS",
                _ => "Service",
            };
            Doc::map(principal.span, vec![(kind, principal)])
        }
        _ => principal,
    };
    let mut statement = vec![
        ("Effect", Doc::text(span, Text::lit("Allow"))),
        ("Principal", principal),
        ("Action", action),
        ("Resource", function),
    ];
    if !conditions.is_empty() {
        let conditions = conditions
            .into_iter()
            .map(|(operator, key, value)| {
                let span = value.span;
                let block = match value.value {
                    DocValue::Unknown => value,
                    _ => Doc::map(span, vec![(key, value)]),
                };
                (operator, block)
            })
            .collect();
        statement.push(("Condition", Doc::map(span, conditions)));
    }
    crate::model::policy::Policy::read(&Doc::map(
        span,
        vec![("Statement", Doc::map(span, statement))],
    ))
}

/// The ARN a Lambda permission's function name stands for: a name (`my-fn`, `my-fn:live`), a
/// partial ARN (`123456789012:function:my-fn`) or an ARN; in the deployment's account, in
/// `partition` and `region`. Unknown when it cannot be told which.
pub fn function_arn(name: &Text, partition: Text, region: Text) -> Text {
    use crate::value::{Piece, Pseudo, Symbol, Tri};
    let written = match name.starts_with(&Text::lit("arn:")) {
        Tri::Yes => return name.clone(),
        Tri::No => true,
        // A name that begins with a name the deployment generates is a function's name.
        Tri::Unknown => matches!(
            name.pieces().first(),
            Some(Piece::Sym(Symbol::Generated(_)))
        ),
    };
    if !written {
        return Text::unknown();
    }
    let mut arn = Text::lit("arn:");
    arn.append(&partition);
    arn.push_str(":lambda:");
    arn.append(&region);
    arn.push_str(":");
    if name.as_lit().is_none_or(|n| !n.contains(":function:")) {
        arn.append(&Text::pseudo(Pseudo::AccountId));
        arn.push_str(":function:");
    }
    arn.append(name);
    arn.shrunk()
}

/// A literal document tree, placed at `span`.
fn node_doc(node: &Node<'_>, span: crate::source::Span) -> Doc {
    use crate::parse::Value;
    let value = match &node.value {
        Value::String(text) | Value::Number(text) => DocValue::Text(Text::lit(text.as_ref())),
        Value::Bool(b) => DocValue::Text(Text::lit(if *b { "true" } else { "false" })),
        Value::Null => DocValue::Null,
        Value::Seq(items) => DocValue::List(items.iter().map(|i| node_doc(i, span)).collect()),
        Value::Map(entries) => DocValue::Map(
            entries
                .iter()
                .map(|e| (e.key.to_string(), node_doc(&e.value, span)))
                .collect(),
        ),
    };
    Doc { span, value }
}

/// What one file contributed.
#[derive(Debug)]
pub enum FileOutcome {
    Input(Box<Contents>),
    /// Not an input trailcheck reads; the reason is shown with `--verbose`.
    Skipped(String),
    /// Looks like an input but cannot be read.
    Error(InputError),
    /// Terraform configuration or variable values: read with the rest of their module
    /// ([`tf::hcl`]), once every file is parsed.
    Hcl(Box<tf::hcl::Parsed>, tf::hcl::HclKind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Template,
    Plan,
    /// Terraform configuration: its resources are read with its root module.
    Configuration,
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
    /// What a file declares before it is read.
    pub fn empty(kind: InputKind) -> Contents {
        Contents::new(kind)
    }

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
    /// `--var-file` and `--var`: values for the variables of Terraform root modules.
    pub var_files: Vec<std::path::PathBuf>,
    pub vars: Vec<(String, String)>,
}

/// Reads one file.
pub fn ingest(id: FileId, file: &SourceFile, options: &Options) -> FileOutcome {
    let text = file.text.as_str();
    if let Some((kind, syntax)) = tf::hcl::kind_of(&file.path) {
        return match tf::hcl::parse(text, syntax, kind) {
            Ok(parsed) => FileOutcome::Hcl(Box::new(parsed), kind),
            Err((offset, message)) => FileOutcome::Error(InputError {
                file: id,
                offset: Some(offset as u32),
                message,
            }),
        };
    }
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
        FileOutcome::Input(Box::new(cfn::ingest(id, file, &root, options)))
    } else if tf::is_plan(&root) {
        FileOutcome::Input(Box::new(tf::ingest(id, text, root)))
    } else {
        FileOutcome::Skipped("neither a CloudFormation template nor a Terraform plan".to_owned())
    }
}

/// Parses as the syntax the text looks like; a `.yaml`/`.yml` file that starts like JSON but
/// is not JSON gets a second chance as YAML. A failure says which syntax was tried last.
///
/// A large JSON text is recognised before it is built: a tree costs some 40 times its text,
/// and most large JSON files are data, not templates. What is neither a template nor a plan
/// comes back as the little [`RECOGNISED`] keeps of it, which the caller skips.
fn parse_any(file: &SourceFile) -> Result<Node<'_>, (Syntax, parse::ParseError)> {
    let text = file.text.as_str();
    let yaml = |text| parse::parse(text, Syntax::Yaml).map_err(|e| (Syntax::Yaml, e));
    let json_failed = |json_error| {
        let yaml_named = file
            .path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        if yaml_named {
            yaml(text)
        } else {
            Err((Syntax::Json, json_error))
        }
    };
    match parse::sniff(text) {
        Syntax::Json if text.len() > RECOGNISE_ABOVE => {
            match parse::recognise_json(text, &RECOGNISED, is_input_so_far) {
                Ok(Some(recognised))
                    if !cfn::is_template(&recognised) && !tf::is_plan(&recognised) =>
                {
                    Ok(recognised)
                }
                Ok(_) => parse::parse_pruned(text, Syntax::Json, &tf::UNREAD).or_else(json_failed),
                Err(json_error) => json_failed(json_error),
            }
        }
        Syntax::Json => parse::parse_pruned(text, Syntax::Json, &tf::UNREAD).or_else(json_failed),
        Syntax::Yaml => yaml(text),
    }
}

/// JSON texts longer than this are recognised before they are built. CloudFormation reads
/// templates up to 1 MB, so a larger JSON file is a plan (recognised from its first keys) or
/// somebody else's data; a smaller one is parsed once, as recognising it first would cost a
/// second pass over every template.
const RECOGNISE_ABOVE: usize = 1 << 20;

/// What [`cfn::is_template`] and [`tf::is_plan`] read of a JSON document: a few top-level
/// keys, and the `Type` of each resource. Values are kept as scalars or empty collections.
static RECOGNISED: parse::Prune = parse::Prune::Only(&[
    ("AWSTemplateFormatVersion", &parse::Prune::Only(&[])),
    (
        "Resources",
        &parse::Prune::Each(&parse::Prune::Only(&[("Type", &parse::Prune::Only(&[]))])),
    ),
    ("format_version", &parse::Prune::Only(&[])),
    ("planned_values", &parse::Prune::Only(&[])),
    ("resource_changes", &parse::Prune::Only(&[])),
    ("values", &parse::Prune::Only(&[])),
]);

/// Whether the top-level members read so far make a document an input, whatever follows:
/// only facts that no later member can undo (a later `Resources` replaces an earlier one).
fn is_input_so_far(entries: &[parse::Entry<'_>]) -> bool {
    let has = |key: &str| entries.iter().any(|entry| entry.key == key);
    has("AWSTemplateFormatVersion")
        || (has("format_version")
            && (has("planned_values") || has("resource_changes") || has("values")))
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
    use rayon::prelude::*;

    use super::*;

    /// Every JSON file of the fixtures, the examples and, when it is there, the public corpus,
    /// each also padded past the size from which it is recognised first: the same outcome
    /// either way, errors at the same place.
    #[test]
    fn large_json_is_recognised_as_it_would_be_read_whole() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut folders = vec![root.join("testdata"), root.join("examples")];
        folders.extend(crate::testing::corpus());
        let files: Vec<(std::path::PathBuf, String)> = folders
            .iter()
            .flat_map(walkdir::WalkDir::new)
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let text = std::fs::read_to_string(e.path()).ok()?;
                (parse::sniff(&text) == Syntax::Json).then(|| (e.path().to_path_buf(), text))
            })
            .collect();
        assert!(files.len() > 20, "{} files", files.len());
        let extra = [
            r#"{"Resources": {"A": {"Type": "AWS::SNS::Topic"}}, "Resources": {"B": {}}}"#,
            r#"{"Resources": {"B": {}}, "Resources": {"A": {"Type": "AWS::SNS::Topic"}}}"#,
            r#"{"format_version": "1.2", "data": [1, 2]}"#,
            r#"[{"AWSTemplateFormatVersion": "2010-09-09"}]"#,
            r#"{"Resources": {"A": {"Type": {"not": "a string"}}}}"#,
            r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": [1,]}"#,
        ];
        let texts: Vec<(std::path::PathBuf, String)> = files
            .into_iter()
            .chain(
                extra
                    .iter()
                    .map(|text| ("extra.json".into(), text.to_string())),
            )
            .collect();
        // What a file turned out to be, and where an error is.
        let outcome = |path: &std::path::Path, text: String| {
            let file = SourceFile::new(path, text, true);
            match ingest(FileId(0), &file, &Options::default()) {
                FileOutcome::Input(contents) => (format!("{:?}", contents.kind), None),
                FileOutcome::Skipped(reason) => (reason, None),
                FileOutcome::Error(error) => (error.message, error.offset),
                FileOutcome::Hcl(_, kind) => (format!("{kind:?}"), None),
            }
        };
        let pad = RECOGNISE_ABOVE;
        texts.par_iter().for_each(|(path, text)| {
            // Spaces before the document: the same document, past the size from which it is
            // recognised first.
            let whole = outcome(path, text.clone());
            let (what, offset) = outcome(path, format!("{}{text}", " ".repeat(pad)));
            assert_eq!(
                (what, offset.map(|o| o as usize - pad)),
                (whole.0, whole.1.map(|o| o as usize)),
                "{path:?}"
            );
        });
    }

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
