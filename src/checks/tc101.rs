//! TC101 `no-trail`: the rule matches CloudTrail events and no trail exists at all.

use super::fix::{Edit, Selection};
use super::words::events_phrase;
use super::{Context, Report, wanted};
use crate::analysis::Delivery;
use crate::model::ReadWrite;

/// Fires once per rule whose CloudTrail events find no trail at all, in the inputs or outside
/// them.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for (rule, verdicts) in cx.verdicts() {
        let missing: Vec<_> = verdicts
            .iter()
            .filter(|v| v.delivery == Delivery::NoTrail)
            .collect();
        let Some(first) = missing.first() else {
            continue;
        };
        let finding = out.on_rule(
            rule,
            first.candidate.detail_span,
            format!(
                "no CloudTrail trail exists in the inputs, so {} never reach this rule",
                events_phrase(&missing)
            ),
        );
        finding.label = "only a CloudTrail trail delivers these events".to_owned();
        let selection = Selection {
            data: missing.iter().find_map(|v| wanted::data(&v.candidate)),
            read_write: ReadWrite::All,
        };
        finding.help = Some(format!(
            "EventBridge receives CloudTrail events only from a trail that logs them; declare one, for example:\n{}",
            Edit::DeclareTrail(&selection).write(rule.dialect)
        ));
    }
}
