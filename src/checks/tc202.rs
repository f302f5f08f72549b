//! TC202 `unknown-detail-type`: a `detail-type` value no event carries, close to one that
//! exists (`AWS API Call Via CloudTrail`).

use super::{Context, finding};
use crate::analysis::shape::ShapeIssue;
use crate::finding::{Finding, RuleInfo, Severity};

pub static INFO: RuleInfo = RuleInfo {
    id: "TC202",
    name: "unknown-detail-type",
    severity: Severity::Error,
    doc: include_str!("../../rules/TC202-unknown-detail-type.md"),
};

pub struct Check;

impl super::Check for Check {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (rule, issue) in cx.shape_issues() {
            let ShapeIssue::UnknownDetailType { value, meant } = issue else {
                continue;
            };
            let mut finding = finding(
                &INFO,
                rule,
                value.span,
                format!(
                    "no AWS event has the detail type `{}`; matching is exact and case-sensitive",
                    value.value
                ),
            );
            finding.label = format!("did you mean `{meant}`?");
            finding.help = Some(format!("write `{meant}`"));
            out.push(finding);
        }
    }
}
