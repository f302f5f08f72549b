//! TC112 `network-activity-not-logged`: the rule matches VPC endpoint network activity events
//! and no logging trail has a network activity selector for their event source.

use super::{Context, finding, fix, group_by, misses, owned_by};
use crate::finding::{Finding, RuleInfo, Severity};
use crate::model::Selectors;

pub static INFO: RuleInfo = RuleInfo {
    id: "TC112",
    name: "network-activity-not-logged",
    severity: Severity::Error,
    doc: include_str!("../../rules/TC112-network-activity-not-logged.md"),
};

pub struct Check;

impl super::Check for Check {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (rule, verdicts) in cx.verdicts() {
            let mine = owned_by(verdicts, INFO.id);
            for (source, members) in group_by(mine, |v| v.candidate.source.clone()) {
                let first = &members[0].candidate;
                let of = source
                    .as_ref()
                    .map_or(String::new(), |s| format!(" for `{}`", s.value));
                let span = source.as_ref().map_or(first.detail_span, |s| s.span);
                let mut finding = finding(
                    &INFO,
                    rule,
                    span,
                    format!(
                        "no logging trail selects network activity events{of}, so `AWS Network Activity Event via CloudTrail` events never reach this rule"
                    ),
                );
                finding.label = "logged only by a network activity selector".to_owned();
                let misses = misses(members[0]);
                if let (Some((index, _)), Some(source)) = (misses.first(), &source) {
                    let trail = cx.trail(*index);
                    finding.help = Some(match trail.selectors {
                        Selectors::Advanced(_) => format!(
                            "add this advanced event selector to trail `{}`:\n{}",
                            trail.name,
                            fix::network_selector(trail.dialect, &source.value)
                        ),
                        // Advanced selectors replace the basic ones (or the default): keep the
                        // management events with a selector of their own.
                        _ => format!(
                            "only advanced event selectors log network activity events; give trail `{}` these advanced event selectors in place of its basic ones (carry any data events they select over as advanced selectors too):\n{}",
                            trail.name,
                            fix::selector_list(
                                trail.dialect,
                                &[
                                    fix::advanced_selector(trail.dialect, None),
                                    fix::network_selector(trail.dialect, &source.value)
                                ]
                            )
                        ),
                    });
                }
                finding.related = cx.miss_notes(members[0]);
                out.push(finding);
            }
        }
    }
}
