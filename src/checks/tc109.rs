//! TC109 `trail-region-not-covered`: every trail that would log the events is a single-region
//! trail of another region than the one the events are recorded in.

use super::fix::{Property, Setting};
use super::notes::trail_notes;
use super::words::{events_phrase, list_of, set_on_trails, trails_phrase};
use super::{Context, Report, group_by_trails, related};
use crate::analysis::{Delivery, Misses, is_global};
use crate::catalog::catalog;

/// Fires once per rule and set of trails when the only trails that would log the rule's
/// events record other regions than the one the events are recorded in.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for (rule, verdicts) in cx.verdicts() {
        let groups = group_by_trails(verdicts, |d| match d {
            Delivery::WrongRegion { trails } => Some(trails),
            _ => None,
        });
        for (trails, members) in groups {
            // Global service events are recorded in the global region, wherever the rule is.
            let region = if is_global(&members[0].candidate) {
                catalog().global_region.as_str()
            } else {
                rule.region.as_deref().unwrap_or("the rule's region")
            };
            // The homes of the first trails; thousands of trails are not spelt out.
            let homes: Vec<String> = trails
                .iter()
                .take(Misses::KEPT)
                .filter_map(|&i| cx.trail(i).region.as_deref().map(|r| format!("`{r}`")))
                .collect();
            let more = trails.len().saturating_sub(Misses::KEPT);
            let finding = out.on_rule(
                rule,
                members[0].candidate.detail_span,
                format!(
                    "{} {} single-region in {}, so {} recorded in `{region}` are never logged",
                    trails_phrase(cx, &trails),
                    if trails.len() == 1 { "is" } else { "are" },
                    list_of(&homes, homes.len() + more),
                    events_phrase(&members)
                ),
            );
            finding.label = format!("recorded in `{region}`");
            finding.help = Some(format!(
                "{}, or add a trail in `{region}`",
                set_on_trails(
                    cx,
                    &trails,
                    Setting::new(Property::IsMultiRegionTrail, true)
                )
            ));
            finding.related = trail_notes(cx, &trails, |trail| {
                let home = trail.region.as_deref().unwrap_or("another region");
                related(
                    trail,
                    None,
                    format!("trail `{}` records events of `{home}` only", trail.name),
                )
            });
        }
    }
}
