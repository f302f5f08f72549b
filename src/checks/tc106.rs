//! TC106 `read-only-events-need-state`: the rule matches read-only management events, which a
//! rule in the plain `ENABLED` state never receives.

use super::{Context, events_phrase, finding, fix, name_span};
use crate::finding::{Finding, RuleInfo, Severity};

pub static INFO: RuleInfo = RuleInfo {
    id: "TC106",
    name: "read-only-events-need-state",
    severity: Severity::Error,
    doc: include_str!("../../rules/TC106-read-only-events-need-state.md"),
};

pub struct Check;

impl super::Check for Check {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (rule, verdicts) in cx.verdicts() {
            let blocked: Vec<_> = verdicts.iter().filter(|v| v.state_blocks).collect();
            let Some(first) = blocked.first() else {
                continue;
            };
            let mut finding = finding(
                &INFO,
                rule,
                name_span(&first.candidate),
                format!(
                    "{} are read-only management events, which a rule in state `ENABLED` never receives",
                    events_phrase(&blocked)
                ),
            );
            finding.label = "a read-only management event".to_owned();
            finding.help = Some(format!(
                "set `{}` on `{}`; EventBridge then also delivers read-only management events to it",
                fix::assignment(
                    rule.dialect,
                    "State",
                    "state",
                    "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
                ),
                rule.name
            ));
            out.push(finding);
        }
    }
}
