//! TC106 `read-only-events-need-state`: the rule matches read-only management events, which a
//! rule in the plain `ENABLED` state never receives.

use super::fix::{Property, Setting};
use super::words::{events_phrase, name_span};
use super::{Context, Report};

/// Fires once per rule whose state keeps the read-only management events it matches from
/// reaching it.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for (rule, verdicts) in cx.verdicts() {
        let blocked: Vec<_> = verdicts.iter().filter(|v| v.state_blocks).collect();
        let Some(first) = blocked.first() else {
            continue;
        };
        let finding = out.on_rule(
            rule,
            name_span(&first.candidate),
            format!(
                "{} are read-only management events, which a rule in state `ENABLED` never receives",
                events_phrase(&blocked)
            ),
        );
        finding.label = "a read-only management event".to_owned();
        let state = Setting::new(
            Property::State,
            "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
        );
        // Terraform's `is_enabled` conflicts with `state`: the one replaces the other.
        let instead = match rule.dialect {
            crate::model::Dialect::Terraform => " in place of any `is_enabled`",
            _ => "",
        };
        finding.help = Some(format!(
            "set `{}` on `{}`{instead}; EventBridge then also delivers read-only management events to it",
            state.written(rule.dialect),
            rule.name
        ));
    }
}
