//! TC202 `unknown-detail-type`: a `detail-type` value no event carries, close to one that
//! exists (`AWS API Call Via CloudTrail`).

use super::{Context, Report};
use crate::analysis::shape::ShapeIssue;

/// Fires for each `detail-type` value no AWS event has that nearly names one that exists.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for (rule, issue) in cx.shape_issues() {
        let ShapeIssue::UnknownDetailType { value, meant } = issue else {
            continue;
        };
        let finding = out.on_rule(
            rule,
            value.span,
            format!(
                "no AWS event has the detail type `{}`; matching is exact and case-sensitive",
                value.value
            ),
        );
        finding.label = format!("did you mean `{meant}`?");
        finding.help = Some(format!("write `{meant}`"));
    }
}
