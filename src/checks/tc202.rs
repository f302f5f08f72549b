//! TC202 `unknown-detail-type`: a `detail-type` value no event carries, close to one that
//! exists (`AWS API Call Via CloudTrail`, or for `aws.ec2`
//! `EC2 Instance State Change Notification`).

use super::{Context, Report};
use crate::analysis::shape::ShapeIssue;

/// Fires for each `detail-type` value no AWS event has that nearly names one that exists.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for (rule, issue) in cx.shape_issues() {
        let ShapeIssue::UnknownDetailType {
            value,
            meant,
            source,
        } = issue
        else {
            continue;
        };
        let message = match source {
            Some(source) => format!(
                "`{source}` sends no event with the detail type `{}`; it sends `{meant}`, and matching is exact and case-sensitive",
                value.value
            ),
            None => format!(
                "no AWS event has the detail type `{}`; matching is exact and case-sensitive",
                value.value
            ),
        };
        let finding = out.on_rule(rule, value.span, message);
        finding.label = format!("did you mean `{meant}`?");
        finding.help = Some(format!("write `{meant}`"));
    }
}
