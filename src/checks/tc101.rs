//! TC101 `no-trail`: the rule matches CloudTrail events and no trail exists at all.

use super::{Context, events_phrase, finding, fix};
use crate::analysis::Delivery;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::model::ReadWrite;

pub static INFO: RuleInfo = RuleInfo {
    id: "TC101",
    name: "no-trail",
    severity: Severity::Error,
    doc: include_str!("../../rules/TC101-no-trail.md"),
};

pub struct Check;

impl super::Check for Check {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (rule, verdicts) in cx.verdicts() {
            let missing: Vec<_> = verdicts
                .iter()
                .filter(|v| v.delivery == Delivery::NoTrail)
                .collect();
            let Some(first) = missing.first() else {
                continue;
            };
            let mut finding = finding(
                &INFO,
                rule,
                first.candidate.detail_span,
                format!(
                    "no CloudTrail trail exists in the inputs, so {} never reach this rule",
                    events_phrase(&missing)
                ),
            );
            finding.label = "only a CloudTrail trail delivers these events".to_owned();
            let selector = fix::SelectorFix {
                data: missing.iter().find_map(|v| super::data_fix(&v.candidate)),
                read_write: ReadWrite::All,
            };
            finding.help = Some(format!(
                "EventBridge receives CloudTrail events only from a trail that logs them; declare one, for example:\n{}",
                fix::trail_declaration(rule.dialect, &selector)
            ));
            out.push(finding);
        }
    }
}
