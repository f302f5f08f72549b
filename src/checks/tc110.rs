//! TC110 `custom-bus-aws-events`: the rule waits on a custom bus for AWS events, which reach
//! only the default bus, and nothing forwards them.

use super::{Context, finding, fix};
use crate::analysis::Outcome;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::model::Bus;

pub static INFO: RuleInfo = RuleInfo {
    id: "TC110",
    name: "custom-bus-aws-events",
    severity: Severity::Error,
    doc: include_str!("../../rules/TC110-custom-bus-aws-events.md"),
};

pub struct Check;

impl super::Check for Check {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for report in cx.reports {
            let (Outcome::WrongBus { span }, Bus::Custom(bus)) =
                (&report.outcome, &report.rule.bus)
            else {
                continue;
            };
            let rule = report.rule;
            let mut finding = finding(
                &INFO,
                rule,
                *span,
                format!(
                    "this rule listens on event bus `{bus}`, but AWS events reach only the default bus and no rule in the inputs forwards them to `{bus}`"
                ),
            );
            finding.label = "AWS events arrive on the default bus only".to_owned();
            finding.help = Some(format!(
                "remove `{}` so the rule is on the default bus, or add a rule on the default bus with this pattern and the bus `{bus}` as its target",
                fix::key(rule.dialect, "EventBusName", "event_bus_name")
            ));
            out.push(finding);
        }
    }
}
