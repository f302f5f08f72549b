//! TC111 `s3-notifications-disabled`: the rule waits for S3's own events from a bucket that
//! does not send them to EventBridge.

use super::fix::Edit;
use super::{Context, Report};
use crate::analysis::Outcome;
use crate::finding::Related;
use crate::value::Tri;

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
            // A notification resource of the bucket's own is changed, not joined by another
            // (Terraform keeps one per bucket).
            let declared = cx.deployment.notifications.iter().find_map(|n| {
                let (name, loc) = n.declared.as_ref()?;
                (n.bucket.equals(&bucket.bucket_name) == Tri::Yes).then_some((name, *loc))
            });
            match declared {
                Some((name, loc)) => {
                    finding.help = Some(format!("set `eventbridge = true` in `{name}`"));
                    finding.related = vec![Related {
                        loc,
                        resource: name.clone(),
                        message: format!(
                            "`{name}` configures the notifications of bucket `{}` without `eventbridge = true`",
                            bucket.name
                        ),
                    }];
                }
                None => {
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
    }
}
