//! TC112 `network-activity-not-logged`: the rule matches VPC endpoint network activity events
//! and no logging trail has a network activity selector for their event source.

use super::fix::{Advanced, Edit};
use super::notes::{miss_notes, misses};
use super::{Context, Report, group_by};
use crate::analysis::events::Class;
use crate::analysis::{Delivery, Verdict};
use crate::model::Selectors;

/// Fires for network activity events that every logging trail drops, when none of them would
/// log them but for their read/write class (that is TC104's finding).
fn fires(verdict: &Verdict) -> bool {
    matches!(
        (&verdict.delivery, verdict.candidate.class),
        (Delivery::NotSelected { misses }, Class::NetworkActivity) if misses.read_write.is_none()
    )
}

pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for (rule, verdicts) in cx.verdicts() {
        let mine = verdicts.iter().filter(|v| fires(v));
        for (source, members) in group_by(mine, |v| v.candidate.source.clone()) {
            let first = &members[0].candidate;
            let of = source
                .as_ref()
                .map_or(String::new(), |s| format!(" for `{}`", s.value));
            let span = source.as_ref().map_or(first.detail_span, |s| s.span);
            let finding = out.on_rule(
                rule,
                span,
                format!(
                    "no logging trail selects network activity events{of}, so `AWS Network Activity Event via CloudTrail` events never reach this rule"
                ),
            );
            finding.label = "logged only by a network activity selector".to_owned();
            if let (Some((index, _)), Some(source)) = (misses(members[0]).first(), &source) {
                let trail = cx.trail(*index);
                let network = Advanced::NetworkActivity(&source.value);
                finding.help = Some(match trail.selectors {
                    Selectors::Advanced(_) => format!(
                        "add this advanced event selector to trail `{}`:\n{}",
                        trail.name,
                        Edit::AdvancedSelectors(&[network]).write(trail.dialect)
                    ),
                    // Advanced selectors replace the basic ones (or the default): keep the
                    // management events with a selector of their own.
                    _ => format!(
                        "only advanced event selectors log network activity events; give trail `{}` these advanced event selectors in place of its basic ones (carry any data events they select over as advanced selectors too):\n{}",
                        trail.name,
                        Edit::AdvancedSelectors(&[Advanced::Management, network])
                            .write(trail.dialect)
                    ),
                });
            }
            finding.related = miss_notes(cx, members[0]);
        }
    }
}
