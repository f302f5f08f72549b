//! TC110 `custom-bus-aws-events`: the rule waits on a custom bus for AWS events, which reach
//! only the default bus, and nothing forwards them.

use super::fix::Property;
use super::{Context, Report};
use crate::analysis::Outcome;
use crate::model::Bus;

/// Fires once per rule on a custom bus that asks for AWS events when nothing in the inputs
/// brings them to that bus.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for report in cx.reports {
        let (Outcome::BusUnreached { span }, Bus::Custom(bus)) =
            (&report.outcome, &report.rule.bus)
        else {
            continue;
        };
        let rule = report.rule;
        // A bus named by its ARN is called by its name: the account and region of the ARN may
        // be symbols of the deployment, which read badly.
        let written = bus.to_string();
        let bus = match written.rsplit_once(":event-bus/") {
            Some((_, name)) if !name.is_empty() => name,
            _ => written.as_str(),
        };
        let finding = out.on_rule(
            rule,
            *span,
            format!(
                "this rule listens on event bus `{bus}`, but AWS events reach only the default bus and no rule in the inputs forwards them to `{bus}`"
            ),
        );
        finding.label = "AWS events arrive on the default bus only".to_owned();
        finding.help = Some(format!(
            "remove `{}` so the rule is on the default bus, or add a rule on the default bus with this pattern and the bus `{bus}` as its target",
            Property::EventBusName.name(rule.dialect)
        ));
    }
}
