//! TC111 `s3-notifications-disabled`: the rule waits for S3's own events from a bucket that
//! does not send them to EventBridge.

use super::{Context, finding};
use crate::analysis::Outcome;
use crate::finding::{Finding, Related, RuleInfo, Severity};
use crate::model::Dialect;

pub static INFO: RuleInfo = RuleInfo {
    id: "TC111",
    name: "s3-notifications-disabled",
    severity: Severity::Error,
    doc: include_str!("../../rules/TC111-s3-notifications-disabled.md"),
};

pub struct Check;

impl super::Check for Check {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for report in cx.reports {
            let Outcome::Events { silent_buckets, .. } = &report.outcome else {
                continue;
            };
            for silent in silent_buckets {
                let bucket = &cx.deployment.buckets[silent.bucket];
                let called = match bucket.bucket_name.as_lit() {
                    Some(name) if name != bucket.name => format!("`{name}` (`{}`)", bucket.name),
                    _ => format!("`{}`", bucket.name),
                };
                let mut finding = finding(
                    &INFO,
                    report.rule,
                    silent.span,
                    format!(
                        "bucket {called} does not send its events to EventBridge, so S3 notification events from it never reach this rule"
                    ),
                );
                finding.label = "EventBridge notifications are off for this bucket".to_owned();
                finding.help = Some(match bucket.dialect {
                    Dialect::Terraform => format!(
                        "add a notification resource for the bucket:\nresource \"aws_s3_bucket_notification\" \"eventbridge\" {{\n  bucket      = {}.id\n  eventbridge = true\n}}",
                        bucket.name
                    ),
                    dialect => format!(
                        "turn EventBridge notifications on in bucket `{}`:\n{}",
                        bucket.name,
                        match dialect {
                            Dialect::CfnJson =>
                                "\"NotificationConfiguration\": {\"EventBridgeConfiguration\": {\"EventBridgeEnabled\": true}}",
                            _ =>
                                "NotificationConfiguration:\n  EventBridgeConfiguration:\n    EventBridgeEnabled: true",
                        }
                    ),
                });
                finding.related = vec![Related {
                    loc: bucket.loc,
                    resource: bucket.name.clone(),
                    message: format!(
                        "bucket `{}` has no EventBridge notification configuration",
                        bucket.name
                    ),
                }];
                out.push(finding);
            }
        }
    }
}
