//! TC107 `insights-not-logged`: the rule matches CloudTrail Insights events and no logging
//! trail has insight selectors.

use super::{Context, finding, fix, group_by, misses, owned_by};
use crate::finding::{Finding, RuleInfo, Severity};

pub static INFO: RuleInfo = RuleInfo {
    id: "TC107",
    name: "insights-not-logged",
    severity: Severity::Error,
    doc: include_str!("../../rules/TC107-insights-not-logged.md"),
};

pub struct Check;

impl super::Check for Check {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (rule, verdicts) in cx.verdicts() {
            let mine = owned_by(verdicts, INFO.id);
            for (_, members) in group_by(mine, |v| v.candidate.insight_type.clone()) {
                let first = &members[0].candidate;
                let mut finding = finding(
                    &INFO,
                    rule,
                    first.detail_span,
                    match &first.insight_type {
                        Some(wanted) => format!(
                            "no logging trail has an `{}` insight selector, so those `AWS Insight via CloudTrail` events never reach this rule",
                            wanted.value
                        ),
                        None => "no logging trail has insight selectors, so `AWS Insight via CloudTrail` events never reach this rule".to_owned(),
                    },
                );
                finding.label =
                    "Insights events come only from trails with insight selectors".to_owned();
                let misses = misses(members[0]);
                if let Some((index, _)) = misses.first() {
                    let trail = cx.trail(*index);
                    finding.help = Some(format!(
                        "add insight selectors to trail `{}`:\n{}",
                        trail.name,
                        fix::insight_selectors(trail.dialect)
                    ));
                }
                finding.related = cx.miss_notes(members[0]);
                out.push(finding);
            }
        }
    }
}
