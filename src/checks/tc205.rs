//! TC205 `field-never-present`: the pattern requires a field the events it matches never
//! carry: `resources` or `detail.bucket` on CloudTrail events, CloudTrail fields on S3's own
//! notification events, or a field below one the event schemas type as a string, number or
//! boolean (`detail.object.key.suffix`).

use super::{Context, Report};
use crate::analysis::shape::{Family, ShapeIssue};

/// Fires for each field a branch requires that the events it matches never carry.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for (rule, issue) in cx.shape_issues() {
        if let ShapeIssue::BelowScalar {
            span,
            path,
            scalar,
            kind,
            detail_types,
        } = issue
        {
            below_scalar(out, rule, *span, path, scalar, kind, detail_types);
            continue;
        }
        let ShapeIssue::FieldNeverPresent { span, path, family } = issue else {
            continue;
        };
        let (message, help) = match family {
                Family::CloudTrail if path == "resources" => (
                    "events delivered by CloudTrail have an empty `resources` array, so a pattern that requires `resources` never matches them".to_owned(),
                    "filter on the resource inside the record instead, such as `detail.requestParameters` or `detail.resources.ARN`".to_owned(),
                ),
                Family::CloudTrail => (
                    format!("events delivered by CloudTrail carry the API call record in `detail`, which has no `{}`", path.trim_start_matches("detail.")),
                    "for S3 API calls filter on `detail.requestParameters.bucketName` and `detail.requestParameters.key`; `detail.bucket.name` belongs to S3's own notification events (`Object Created`, …)".to_owned(),
                ),
                Family::S3Notification => (
                    format!("S3's own notification events have no `{path}`; that field belongs to events delivered by CloudTrail"),
                    "filter on `detail.bucket.name`, `detail.object.key` or `detail.reason`, or match `AWS API Call via CloudTrail` events to filter on the API call".to_owned(),
                ),
            };
        let finding = out.on_rule(rule, *span, message);
        finding.label = "never present in these events".to_owned();
        finding.help = Some(help);
    }
}

/// The matcher names EventBridge reads inside an array only: outside one they are field names.
const MATCHERS: &[&str] = &[
    "prefix",
    "suffix",
    "anything-but",
    "numeric",
    "exists",
    "equals-ignore-case",
    "wildcard",
    "cidr",
];

/// A path that goes on below a scalar field: no event has it.
fn below_scalar(
    out: &mut Report<'_>,
    rule: &crate::model::EventRule,
    span: crate::source::Span,
    path: &str,
    scalar: &str,
    kind: &str,
    detail_types: &[String],
) {
    let types = super::words::quoted_list(detail_types);
    let finding = out.on_rule(
        rule,
        span,
        format!("`{scalar}` is {kind} in {types} events, so they have no `{path}`"),
    );
    finding.label = format!("nothing is below `{scalar}`");
    let next = path
        .strip_prefix(scalar)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.split('.').next())
        .unwrap_or_default();
    let field = scalar.rsplit('.').next().unwrap_or(scalar);
    finding.help = Some(if MATCHERS.contains(&next) {
        format!(
            "`{next}` is a matcher only inside an array: write `{field}: [{{\"{next}\": …}}]`, not `{field}: {{\"{next}\": …}}`"
        )
    } else {
        format!("match `{scalar}` itself, or the field the events carry")
    });
}
