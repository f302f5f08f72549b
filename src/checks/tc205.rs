//! TC205 `field-never-present`: the pattern requires a field the events it matches never
//! carry: `resources` or `detail.bucket` on CloudTrail events, CloudTrail fields on S3's own
//! notification events.

use super::{Context, finding};
use crate::analysis::shape::{Family, ShapeIssue};
use crate::finding::{Finding, RuleInfo, Severity};

pub static INFO: RuleInfo = RuleInfo {
    id: "TC205",
    name: "field-never-present",
    severity: Severity::Error,
    doc: include_str!("../../rules/TC205-field-never-present.md"),
};

pub struct Check;

impl super::Check for Check {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (rule, issue) in cx.shape_issues() {
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
            let mut finding = finding(&INFO, rule, *span, message);
            finding.label = "never present in these events".to_owned();
            finding.help = Some(help);
            out.push(finding);
        }
    }
}
