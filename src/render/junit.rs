//! `--format junit`: JUnit XML, which CI systems show as a test report (GitLab's
//! `artifacts:reports:junit`, Jenkins, Azure Pipelines, test-reporter actions).
//!
//! One test suite per input file reported on, named by its path; in it, a failed test case per
//! finding (named by rule and resource, with the message, the place and the fix), or one passing
//! case when the file has none, so that a clean file counts as a passed test. An input that
//! could not be read is a test case in error. The XML is written by quick-junit (the Jenkins
//! dialect most consumers read).

use std::collections::BTreeMap;
use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::Run;

pub fn write(out: &mut dyn Write, run: &Run) -> io::Result<()> {
    let mut by_file: BTreeMap<String, Vec<TestCase>> = BTreeMap::new();
    for file in run.deployment.files.iter() {
        if file.reported && file.analysed {
            by_file.entry(file.display_path()).or_default();
        }
    }
    for finding in &run.findings {
        let file = run.deployment.file(finding.loc.file);
        let path = file.display_path();
        let at = file.line_col(finding.loc.span.start);
        let mut description = format!("{path}:{}:{}", at.line, at.column);
        if let Some(help) = &finding.help {
            description.push_str("\nhelp: ");
            description.push_str(help);
        }
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status
            .set_message(super::addressed(run, finding))
            .set_type(format!("{} {}", finding.rule.id, finding.severity.as_str()))
            .set_description(description);
        let name = format!(
            "{} {} (line {})",
            finding.rule.id, finding.resource, at.line
        );
        let mut case = TestCase::new(name, status);
        case.set_classname(path.clone());
        by_file.entry(path).or_default().push(case);
    }
    for error in &run.errors {
        let path = crate::source::display_path(&error.path);
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status
            .set_message(error.message.clone())
            .set_type("input error");
        let mut case = TestCase::new("read", status);
        case.set_classname(path.clone());
        by_file.entry(path).or_default().push(case);
    }

    let mut report = Report::new("trailcheck");
    for (path, mut cases) in by_file {
        if cases.is_empty() {
            let mut case = TestCase::new("no findings", TestCaseStatus::success());
            case.set_classname(path.clone());
            cases.push(case);
        }
        let mut suite = TestSuite::new(path);
        suite.add_test_cases(cases);
        report.add_test_suite(suite);
    }
    report.serialize(&mut *out).map_err(io::Error::other)?;
    writeln!(out)
}
