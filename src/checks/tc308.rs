//! TC308 `too-many-targets`: a rule with more than five targets, which `PutTargets` rejects.

use std::collections::HashMap;

use super::target::{judged, note};
use super::{Context, Report};
use crate::value::{Piece, Text};

/// The most targets a rule may have
/// (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html>).
const MAX_TARGETS: usize = 5;

/// Fires once per rule, at its sixth target.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    // Targets of each rule, in order; a target ID seen twice is one target.
    let mut by_rule: HashMap<*const crate::model::EventRule, Vec<usize>> = HashMap::new();
    let mut order = Vec::new();
    let facts: Vec<_> = judged(cx).collect();
    for (index, fact) in facts.iter().enumerate() {
        let key = std::ptr::from_ref(fact.rule);
        let entry = by_rule.entry(key).or_insert_with(|| {
            order.push(key);
            Vec::new()
        });
        let counted = match &fact.target.id {
            // Generated IDs differ.
            None => true,
            Some(id) if distinct(id) => !entry.iter().any(|&other| {
                facts[other]
                    .target
                    .id
                    .as_ref()
                    .is_some_and(|o| o.equals(id) != crate::value::Tri::No)
            }),
            // An ID that may equal another's may replace it.
            Some(_) => false,
        };
        if counted {
            entry.push(index);
        }
    }
    for key in order {
        let targets = &by_rule[&key];
        if targets.len() <= MAX_TARGETS {
            continue;
        }
        let sixth = facts[targets[MAX_TARGETS]];
        let rule = sixth.rule;
        let finding = out.on_target(
            sixth,
            sixth.target.loc.span,
            format!(
                "rule `{}` has {} targets; EventBridge allows at most {MAX_TARGETS}, so `PutTargets` rejects the rest",
                rule.name,
                targets.len()
            ),
        );
        finding.label = format!("target {} of at most {MAX_TARGETS}", MAX_TARGETS + 1);
        finding.related.push(note(
            rule.loc,
            &rule.name,
            format!("the rule `{}`", rule.name),
        ));
        finding.help = Some(format!(
            "keep at most {MAX_TARGETS} targets on one rule: split them over two rules with the same pattern, or send to one target (an SNS topic, an event bus) that fans out"
        ));
    }
}

/// Whether an ID can be compared: literal or generated pieces only.
fn distinct(id: &Text) -> bool {
    id.pieces()
        .iter()
        .all(|p| matches!(p, Piece::Lit(_) | Piece::Sym(_)))
}
