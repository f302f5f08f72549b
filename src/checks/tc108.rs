//! TC108 `global-event-region`: global service events (IAM, CloudFront, Organizations,
//! Route 53) are recorded only in us-east-1, so a rule elsewhere never receives them, and a
//! trail that excludes global service events never logs them.

use super::fix::{Property, Setting};
use super::notes::trail_notes;
use super::words::{events_phrase, name_span, set_on_trails, trails_phrase};
use super::{Context, Report, group_by_trails, related};
use crate::analysis::Delivery;
use crate::catalog::catalog;

/// Fires once per rule in a known region other than the one global service events are
/// recorded in, for the global events it matches; and once per set of trails that would log
/// the rule's global events but leave them out.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    let global = catalog().global_region.as_str();
    for (rule, verdicts) in cx.verdicts() {
        let elsewhere: Vec<_> = verdicts
            .iter()
            .filter(|v| v.outside_global_region)
            .collect();
        if let (Some(first), Some(region)) = (elsewhere.first(), rule.region.as_deref()) {
            let source = first.candidate.source.as_ref();
            let finding = out.on_rule(
                rule,
                source.map_or_else(|| name_span(&first.candidate), |s| s.span),
                format!(
                    "{} of global services are recorded only in `{global}`, and this rule is in `{region}`, so it never receives them",
                    events_phrase(&elsewhere)
                ),
            );
            finding.label = format!("recorded in `{global}` only");
            finding.help = Some(format!(
                "deploy this rule in `{global}`, or add a rule there that forwards these events to an event bus in `{region}`"
            ));
        }
        let groups = group_by_trails(verdicts, |d| match d {
            Delivery::GlobalExcluded { trails } => Some(trails),
            _ => None,
        });
        for (trails, members) in groups {
            let first = &members[0].candidate;
            let finding = out.on_rule(
                rule,
                first
                    .source
                    .as_ref()
                    .map_or_else(|| name_span(first), |s| s.span),
                format!(
                    "{} {} global service events, so {} are never logged",
                    trails_phrase(cx, &trails),
                    if trails.len() == 1 {
                        "leaves out"
                    } else {
                        "leave out"
                    },
                    events_phrase(&members)
                ),
            );
            finding.label = "a global service".to_owned();
            finding.help = Some(set_on_trails(
                cx,
                &trails,
                Setting::new(Property::IncludeGlobalServiceEvents, true),
            ));
            finding.related = trail_notes(cx, &trails, |trail| {
                related(
                    trail,
                    None,
                    format!(
                        "trail `{}` does not include global service events",
                        trail.name
                    ),
                )
            });
        }
    }
}
