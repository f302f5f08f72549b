//! TC107 `insights-not-logged`: the rule matches CloudTrail Insights events and no logging
//! trail has insight selectors.

use super::fix::Edit;
use super::notes::{miss_notes, misses};
use super::{Context, Report, group_by};
use crate::analysis::events::Class;
use crate::analysis::{Delivery, Verdict};
use crate::model::Dialect;

/// The insight types CloudTrail has
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_InsightSelector.html>).
const INSIGHT_TYPES: [&str; 2] = ["ApiCallRateInsight", "ApiErrorRateInsight"];

/// Fires for Insights events that every logging trail drops.
fn fires(verdict: &Verdict) -> bool {
    matches!(
        (&verdict.delivery, verdict.candidate.class),
        (Delivery::NotSelected { misses }, Class::Insight) if misses.read_write.is_none()
    )
}

pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for (rule, verdicts) in cx.verdicts() {
        let mine = verdicts.iter().filter(|v| fires(v));
        for (_, members) in group_by(mine, |v| v.candidate.insight_type.clone()) {
            let first = &members[0].candidate;
            let finding = out.on_rule(
                rule,
                first.detail_span,
                match &first.insight_type {
                    Some(wanted) => format!(
                        "no logging trail has an `{}` insight selector, so those `AWS Insight via CloudTrail` events never reach this rule",
                        wanted.value
                    ),
                    None => "no logging trail has insight selectors, so `AWS Insight via CloudTrail` events never reach this rule".to_owned(),
                },
            );
            finding.label =
                "Insights events come only from trails with insight selectors".to_owned();
            if let Some((index, _)) = misses(members[0]).first() {
                let trail = cx.trail(*index);
                // A template's `InsightSelectors` is one list, written whole; Terraform's
                // blocks are added one by one, only those the trail lacks.
                let types: Vec<&str> = match (trail.dialect, &trail.insight_types) {
                    (Dialect::Terraform, Some(have)) => INSIGHT_TYPES
                        .iter()
                        .filter(|t| !have.iter().any(|h| h == *t))
                        .copied()
                        .collect(),
                    _ => INSIGHT_TYPES.to_vec(),
                };
                let types = if types.is_empty() {
                    INSIGHT_TYPES.to_vec()
                } else {
                    types
                };
                finding.help = Some(format!(
                    "add insight selectors to trail `{}`:\n{}",
                    trail.name,
                    Edit::InsightSelectors(&types).write(trail.dialect)
                ));
            }
            finding.related = miss_notes(cx, members[0]);
        }
    }
}
