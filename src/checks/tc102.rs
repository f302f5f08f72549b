//! TC102 `trail-not-logging`: trails that would log the events exist, but none is logging.

use super::fix::{Property, Setting};
use super::notes::trail_notes;
use super::words::{events_phrase, set_on_trails, trails_phrase};
use super::{Context, Report, group_by_trails, related};
use crate::analysis::Delivery;

/// Fires once per rule and set of trails when the only trails that would log the rule's
/// events are switched off.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
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
            let finding = out.on_rule(
                rule,
                members[0].candidate.detail_span,
                format!(
                    "{subject}, so {} never reach this rule",
                    events_phrase(&members)
                ),
            );
            finding.label = "delivered only by a trail that is logging".to_owned();
            finding.help = Some(set_on_trails(
                cx,
                &trails,
                Setting::new(Property::IsLogging, true),
            ));
            finding.related = trail_notes(cx, &trails, |trail| {
                let off = Setting::new(Property::IsLogging, false);
                related(
                    trail,
                    trail.is_logging_span,
                    format!(
                        "trail `{}` has `{}`",
                        trail.name,
                        off.written(trail.dialect)
                    ),
                )
            });
        }
    }
}
