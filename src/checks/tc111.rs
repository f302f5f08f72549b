//! TC111 `s3-notifications-disabled`: the rule waits for S3's own events from a bucket that
//! does not send them to EventBridge.

use super::fix::Edit;
use super::{Context, Report};
use crate::analysis::Outcome;
use crate::finding::Related;

/// Fires once per bucket a rule waits on for S3 notification events whose EventBridge
/// notifications are certainly off.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for report in cx.reports {
        let Outcome::Events {
            notifications_off, ..
        } = &report.outcome
        else {
            continue;
        };
        for silent in notifications_off {
            let bucket = &cx.deployment.buckets[silent.bucket];
            let called = match bucket.bucket_name.as_lit() {
                Some(name) if name != bucket.name => format!("`{name}` (`{}`)", bucket.name),
                _ => format!("`{}`", bucket.name),
            };
            let finding = out.on_rule(
                report.rule,
                silent.span,
                format!(
                    "bucket {called} does not send its events to EventBridge, so S3 notification events from it never reach this rule"
                ),
            );
            finding.label = "EventBridge notifications are off for this bucket".to_owned();
            finding.help = Some(
                Edit::BucketNotifications {
                    bucket: &bucket.name,
                }
                .write(bucket.dialect),
            );
            finding.related = vec![Related {
                loc: bucket.loc,
                resource: bucket.name.clone(),
                message: format!(
                    "bucket `{}` has no EventBridge notification configuration",
                    bucket.name
                ),
            }];
        }
    }
}
