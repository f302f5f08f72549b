//! `--format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request's files.
//!
//! One line per finding, `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=TC103
//! data-events-not-logged::message` (the message, then the help), then one per file that could
//! not be read. Severity `info`
//! is a `notice`. A workflow command is a single line, so newlines (the fix's YAML or HCL in the
//! help) are escaped and GitHub shows them again.
//!
//! Syntax and escaping: <https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands>
//! (the runner's `ActionCommand.cs` decodes exactly these escapes, and `ActionCommandManager.cs`
//! says which combinations of line and column it keeps).

use std::io::{self, Write};

use crate::Run;
use crate::finding::Finding;
use crate::rules::Severity;

pub fn write(out: &mut dyn Write, run: &Run) -> io::Result<()> {
    for finding in &run.findings {
        writeln!(out, "{}", line(run, finding))?;
    }
    let located = [("error", &run.errors), ("warning", &run.warnings)];
    for (command, list) in located {
        for error in list {
            let file = property(&crate::source::display_path(&error.path));
            let message = data(&error.message);
            match error.at {
                Some((id, offset)) => {
                    let at = run.deployment.file(id).line_col(offset);
                    writeln!(
                        out,
                        "::{command} file={file},line={},col={}::{message}",
                        at.line, at.column
                    )?;
                }
                None => writeln!(out, "::{command} file={file}::{message}")?,
            }
        }
    }
    for note in &run.notes {
        writeln!(out, "::notice title=trailcheck::{}", data(note))?;
    }
    for warning in run.summary.warnings() {
        writeln!(out, "::warning title=trailcheck::{}", data(&warning))?;
    }
    Ok(())
}

fn line(run: &Run, finding: &Finding) -> String {
    let file = run.deployment.file(finding.loc.file);
    let start = file.line_col(finding.loc.span.start);
    let end = file.line_col(finding.loc.span.end);
    let command = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut message = super::addressed(run, finding);
    if let Some(help) = &finding.help {
        message.push('\n');
        message.push_str(help);
    }
    // The runner drops the columns of an annotation that spans lines, so they are left out.
    let position = if start.line == end.line {
        format!(
            "line={},col={},endLine={},endColumn={}",
            start.line, start.column, end.line, end.column
        )
    } else {
        format!("line={},endLine={}", start.line, end.line)
    };
    format!(
        "::{command} file={},{position},title={}::{}",
        property(&file.display_path()),
        property(&format!("{} {}", finding.rule.id, finding.rule.name)),
        data(&message),
    )
}

/// Escapes a command's message: `%`, carriage return and newline, which the runner decodes;
/// other characters a terminal would act on are written as escapes (`\u{1b}`), as the runner
/// decodes nothing else.
fn data(text: &str) -> String {
    super::escaped(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (a file name, a title): on one line, `:` and `,`, which end a
/// value, encoded too.
fn property(text: &str) -> String {
    data(&super::escaped_name(text))
        .replace(':', "%3A")
        .replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RunError;
    use crate::model::Deployment;
    use crate::source::{FileId, Loc, SourceFile, Span};
    use std::path::PathBuf;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(data("50% off\nnext: a, b"), "50%25 off%0Anext: a, b");
        assert_eq!(property("dir,x/a:b%.yaml"), "dir%2Cx/a%3Ab%25.yaml");
        // What the runner would not decode, or a terminal would act on, is written as escapes.
        assert_eq!(data("a\rb\u{1b}[31mc"), "a\\rb\\u{1b}[31mc");
        assert_eq!(property("a\nb\u{7}.yaml"), "a\\nb\\u{7}.yaml");
        // `%` first, so that the escapes themselves are not escaped again.
        assert_eq!(data("%0A"), "%250A");
    }

    const TEXT: &str = "Resources:\n  Rule:\n    bucketName: [my-bucket]\n";

    fn run_with(findings: Vec<Finding>, errors: Vec<RunError>) -> Run {
        let deployment = Deployment {
            files: vec![SourceFile::new(
                PathBuf::from("./stacks/app, v2.yaml"),
                TEXT.to_owned(),
                true,
            )],
            ..Deployment::default()
        };
        Run {
            deployment,
            deployments: Vec::new(),
            findings,
            errors,
            warnings: Vec::new(),
            skipped: Vec::new(),
            notes: Vec::new(),
            summary: crate::Summary {
                templates: 1,
                ..crate::Summary::default()
            },
        }
    }

    fn finding(rule: &str, severity: Severity, span: Span) -> Finding {
        Finding {
            rule: crate::rules::find(rule).expect("the rule exists"),
            severity,
            message:
                "no logging trail selects `AWS::S3::Object` data events for bucket `my-bucket`"
                    .to_owned(),
            label: String::new(),
            help: Some("add a selector:\n  - arn:aws:s3:::my-bucket/".to_owned()),
            loc: Loc {
                file: FileId(0),
                span,
            },
            resource: "Rule".to_owned(),
            related: Vec::new(),
            deployments: Vec::new(),
        }
    }

    fn render(run: &Run) -> String {
        let mut out = Vec::new();
        write(&mut out, run).expect("written");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn one_line_per_finding_then_per_error() {
        // `my-bucket`, on line 3 from column 18.
        let span = Span::new(36, 45);
        assert_eq!(&TEXT[span.range()], "my-bucket");
        let errors = vec![
            RunError {
                path: PathBuf::from("stacks/app, v2.yaml"),
                at: Some((FileId(0), 11)),
                message: "invalid YAML: 100% wrong".to_owned(),
            },
            RunError {
                path: PathBuf::from("gone.json"),
                at: None,
                message: "cannot read: no such file".to_owned(),
            },
        ];
        let run = run_with(vec![finding("TC103", Severity::Error, span)], errors);
        assert_eq!(
            render(&run),
            "::error file=stacks/app%2C v2.yaml,line=3,col=18,endLine=3,endColumn=27,\
             title=TC103 data-events-not-logged::no logging trail selects `AWS::S3::Object` \
             data events for bucket `my-bucket`%0Aadd a selector:%0A  - arn:aws:s3:::my-bucket/\n\
             ::error file=stacks/app%2C v2.yaml,line=2,col=1::invalid YAML: 100%25 wrong\n\
             ::error file=gone.json::cannot read: no such file\n"
        );
    }

    #[test]
    fn severities_and_spans_over_lines() {
        let run = run_with(Vec::new(), Vec::new());
        let warning = finding("TC204", Severity::Warning, Span::new(13, 45));
        assert!(
            line(&run, &warning).starts_with(
                "::warning file=stacks/app%2C v2.yaml,line=2,endLine=3,title=TC204 unknown-event-name::"
            ),
            "{}",
            line(&run, &warning)
        );
        let info = finding("TC204", Severity::Info, Span::new(0, 0));
        assert!(line(&run, &info).starts_with("::notice file="));
    }

    /// A plan's snippet does not show which resource a pattern belongs to: the annotation
    /// names the rule's address; a template's does not repeat its logical ID.
    #[test]
    fn a_plan_finding_names_the_rule_address() {
        let span = Span::new(36, 45);
        let mut planned = finding("TC103", Severity::Error, span);
        planned.resource = "module.audit.aws_cloudwatch_event_rule.reads".to_owned();
        let mut run = run_with(vec![planned], Vec::new());
        assert!(render(&run).contains("::no logging trail selects"));
        run.deployment.files[0].addressed = true;
        assert!(
            render(&run).contains(
                "::module.audit.aws_cloudwatch_event_rule.reads: no logging trail selects"
            ),
            "{}",
            render(&run)
        );
    }
}
