//! TC206 `unknown-detail-field`: a `detail` field that no schema of the matched event types
//! has, while one of them has a field of nearly that name (`detail.State` for `detail.state`).

use super::{Context, Report};
use crate::analysis::shape::ShapeIssue;

/// Fires for each `detail` path whose field is missing from every matched event type's schema
/// and nearly names one that is there.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for (rule, issue) in cx.shape_issues() {
        let ShapeIssue::UnknownDetailField {
            span,
            path,
            meant,
            detail_types,
        } = issue
        else {
            continue;
        };
        let finding = out.on_rule(
            rule,
            *span,
            format!(
                "{} events have no `{path}`, but have `{meant}`; field names must match exactly, case included",
                super::words::quoted_list(detail_types)
            ),
        );
        finding.label = format!("did you mean `{meant}`?");
        finding.help = Some(format!("write `{meant}`"));
    }
}
