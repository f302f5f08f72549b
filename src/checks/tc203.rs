//! TC203 `event-source-mismatch`: `source` and `detail.eventSource` that no event has together
//! (`aws.s3` with `ec2.amazonaws.com`).

use super::words::list;
use super::{Context, Report};
use crate::analysis::shape::ShapeIssue;

/// Fires for each `eventSource` no service has (close to one that exists), and for each whose
/// events come with a `source` the pattern does not accept.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for (rule, issue) in cx.shape_issues() {
        if let ShapeIssue::UnknownEventSource { value, meant } = issue {
            let finding = out.on_rule(
                rule,
                value.span,
                format!("no AWS service has the event source `{}`", value.value),
            );
            finding.label = format!("did you mean `{meant}`?");
            finding.help = Some(format!("write `{meant}`"));
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
        let finding = out.on_rule(
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
    }
}
