//! `--format gitlab`: a GitLab Code Quality report, the JSON array of issues a job publishes
//! as `artifacts:reports:codequality` and GitLab shows in merge requests.
//!
//! Format: <https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format> (a
//! subset of the Code Climate issue: `description`, `check_name`, `fingerprint`, `severity`,
//! `location.path` relative to the repository root, `location.lines.begin`). GitLab tells
//! issues apart by fingerprint, which must be unique in a report. Code Climate's spec:
//! <https://github.com/codeclimate/platform/blob/master/spec/analyzers/SPEC.md#data-types>.

use std::collections::HashSet;
use std::io::{self, Write};

use serde::Serialize;

use crate::Run;
use crate::rules::Severity;
use crate::source::RepositoryPaths;

/// One issue. `type` and `categories` are Code Climate's required fields, which GitLab reads
/// past: with them the report is a Code Climate report too.
#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    categories: [&'static str; 1],
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

pub fn write(out: &mut dyn Write, run: &Run) -> io::Result<()> {
    let mut paths = RepositoryPaths::default();
    let mut fingerprints = HashSet::new();
    // Two findings may share a fingerprint (the same resource and message in two files): the
    // later ones take the next free suffix, so that GitLab shows each.
    let mut unique = |fingerprint: String| {
        let mut candidate = fingerprint.clone();
        let mut n = 1;
        while !fingerprints.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{fingerprint}-{n}");
        }
        candidate
    };
    let mut issues = Vec::new();
    for finding in &run.findings {
        let file = run.deployment.file(finding.loc.file);
        let begin = file.line_col(finding.loc.span.start).line;
        let end = file.line_col(finding.loc.span.end).line;
        issues.push(Issue {
            kind: "issue",
            categories: ["Bug Risk"],
            description: super::addressed(run, finding),
            check_name: format!("{} {}", finding.rule.id, finding.rule.name),
            fingerprint: unique(finding.fingerprint()),
            severity: severity(finding.severity),
            location: Location {
                path: paths.of(&file.path),
                lines: Lines { begin, end },
            },
        });
    }
    // An input that could not be read hides whatever it declares: a blocker.
    for error in &run.errors {
        let line = error.at.map_or(1, |(file, offset)| {
            run.deployment.file(file).line_col(offset).line
        });
        let path = paths.of(&error.path);
        issues.push(Issue {
            kind: "issue",
            categories: ["Bug Risk"],
            description: error.message.clone(),
            check_name: "input-error".to_owned(),
            fingerprint: unique(format!("input-error:{path}")),
            severity: "blocker",
            location: Location {
                path,
                lines: Lines {
                    begin: line,
                    end: line,
                },
            },
        });
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

/// GitLab's scale is `info`, `minor`, `major`, `critical`, `blocker`: a rule that can never
/// fire is a major defect, not a crash of the build.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}
