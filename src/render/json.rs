//! `--format json`: one document, stable and versioned (the contract of SPEC §5).

use std::io::{self, Write};

use serde::Serialize;

use crate::finding::Finding;
use crate::source::Loc;
use crate::{Run, Summary};

/// Bumped only on an incompatible change of the document's shape.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'r> {
    version: u32,
    findings: Vec<JsonFinding<'r>>,
    errors: Vec<JsonError>,
    /// Warnings with a place in the inputs (a suppression without a reason), shaped as errors.
    warnings: Vec<JsonError>,
    /// Advice several findings share, said once (how to describe a trail outside the files).
    notes: &'r [String],
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonSummary {
    #[serde(flatten)]
    counts: Summary,
    /// What the run says beside its findings (that it analysed nothing).
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct JsonFinding<'r> {
    rule: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'r str,
    help: Option<&'r str>,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    resource: &'r str,
    related: Vec<JsonRelated<'r>>,
    /// The `[[deployments]]` it was found in; left out when the config declares none.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    deployments: &'r [String],
}

#[derive(Serialize)]
struct JsonRelated<'r> {
    file: String,
    line: usize,
    column: usize,
    resource: &'r str,
    message: &'r str,
}

#[derive(Serialize)]
struct JsonError {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
}

pub fn write(out: &mut dyn Write, run: &Run) -> io::Result<()> {
    let document = Document {
        version: VERSION,
        findings: run.findings.iter().map(|f| finding(run, f)).collect(),
        errors: run.errors.iter().map(|e| located(run, e)).collect(),
        warnings: run.warnings.iter().map(|w| located(run, w)).collect(),
        notes: &run.notes,
        summary: JsonSummary {
            counts: run.summary,
            warnings: run.summary.warnings(),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn located(run: &Run, error: &crate::RunError) -> JsonError {
    let position = error
        .at
        .map(|(file, offset)| run.deployment.file(file).line_col(offset));
    JsonError {
        file: crate::source::display_path(&error.path),
        line: position.map(|p| p.line),
        column: position.map(|p| p.column),
        message: error.message.clone(),
    }
}

fn finding<'r>(run: &'r Run, finding: &'r Finding) -> JsonFinding<'r> {
    let (file, start, end) = position(run, finding.loc);
    JsonFinding {
        rule: finding.rule.id,
        name: finding.rule.name,
        severity: finding.severity.as_str(),
        message: &finding.message,
        help: finding.help.as_deref(),
        file,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        resource: &finding.resource,
        related: finding
            .related
            .iter()
            .map(|related| {
                let (file, start, _) = position(run, related.loc);
                JsonRelated {
                    file,
                    line: start.line,
                    column: start.column,
                    resource: &related.resource,
                    message: &related.message,
                }
            })
            .collect(),
        deployments: &finding.deployments,
    }
}

fn position(run: &Run, loc: Loc) -> (String, crate::source::LineCol, crate::source::LineCol) {
    let file = run.deployment.file(loc.file);
    (
        file.display_path(),
        file.line_col(loc.span.start),
        file.line_col(loc.span.end),
    )
}
