//! TC203 `event-source-mismatch`: `source` and `detail.eventSource` that no event has together
//! (`aws.s3` with `ec2.amazonaws.com`).

use super::{Context, finding, list};
use crate::analysis::shape::ShapeIssue;
use crate::finding::{Finding, RuleInfo, Severity};

pub static INFO: RuleInfo = RuleInfo {
    id: "TC203",
    name: "event-source-mismatch",
    severity: Severity::Error,
    doc: include_str!("../../rules/TC203-event-source-mismatch.md"),
};

pub struct Check;

impl super::Check for Check {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (rule, issue) in cx.shape_issues() {
            if let ShapeIssue::UnknownEventSource { value, meant } = issue {
                let mut finding = finding(
                    &INFO,
                    rule,
                    value.span,
                    format!("no AWS service has the event source `{}`", value.value),
                );
                finding.label = format!("did you mean `{meant}`?");
                finding.help = Some(format!("write `{meant}`"));
                out.push(finding);
                continue;
            }
            let ShapeIssue::SourceMismatch {
                event_source,
                sources,
            } = issue
            else {
                continue;
            };
            let service = event_source.value.to_string();
            let service = service.strip_suffix(".amazonaws.com").unwrap_or(&service);
            let accepted: Vec<String> = sources.iter().map(|s| format!("`{s}`")).collect();
            let mut finding = finding(
                &INFO,
                rule,
                event_source.span,
                format!(
                    "events from `{}` have the source `aws.{service}`, but this pattern's `source` accepts only {}, so they never match",
                    event_source.value,
                    list(&accepted)
                ),
            );
            finding.label = format!("its events have source `aws.{service}`");
            finding.help = Some(format!(
                "add `aws.{service}` to `source`, or correct `eventSource`"
            ));
            out.push(finding);
        }
    }
}
