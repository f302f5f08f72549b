//! TC102 `trail-not-logging`: trails that would log the events exist, but none is logging.

use super::{Context, events_phrase, finding, fix, group_by_trails, related, trails_phrase};
use crate::analysis::Delivery;
use crate::finding::{Finding, RuleInfo, Severity};

pub static INFO: RuleInfo = RuleInfo {
    id: "TC102",
    name: "trail-not-logging",
    severity: Severity::Error,
    doc: include_str!("../../rules/TC102-trail-not-logging.md"),
};

pub struct Check;

impl super::Check for Check {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (rule, verdicts) in cx.verdicts() {
            let groups = group_by_trails(verdicts, |d| match d {
                Delivery::NotLogging { trails } => Some(trails),
                _ => None,
            });
            for (trails, members) in groups {
                let all_trails = trails.len() == cx.deployment.trails.len();
                let subject = if all_trails && trails.len() > 1 {
                    format!("none of the {} is logging", trails_phrase(cx, &trails))
                } else {
                    format!(
                        "{} {} not logging",
                        trails_phrase(cx, &trails),
                        if trails.len() == 1 { "is" } else { "are" }
                    )
                };
                let mut finding = finding(
                    &INFO,
                    rule,
                    members[0].candidate.detail_span,
                    format!(
                        "{subject}, so {} never reach this rule",
                        events_phrase(&members)
                    ),
                );
                finding.label = "delivered only by a trail that is logging".to_owned();
                finding.help =
                    Some(cx.set_on_trails(&trails, "IsLogging", "enable_logging", "true"));
                finding.related = trails
                    .iter()
                    .map(|&i| {
                        let trail = cx.trail(i);
                        related(
                            trail,
                            trail.is_logging_span,
                            format!(
                                "trail `{}` has `{}`",
                                trail.name,
                                fix::assignment(
                                    trail.dialect,
                                    "IsLogging",
                                    "enable_logging",
                                    "false"
                                )
                            ),
                        )
                    })
                    .collect();
                out.push(finding);
            }
        }
    }
}
