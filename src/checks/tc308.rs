//! TC308 `too-many-targets`: a rule with more than five targets, which `PutTargets` rejects.

use std::collections::{HashMap, HashSet};

use super::target::{judged, note};
use super::{Context, Report};
use crate::model::EventRule;
use crate::value::{Piece, Symbol, Text};

/// The most targets a rule may have
/// (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html>).
const MAX_TARGETS: usize = 5;

/// The targets of one rule that certainly count.
#[derive(Default)]
struct Counted<'f> {
    /// Their facts, in order.
    facts: Vec<usize>,
    /// Their IDs: a target ID seen twice is one target.
    ids: HashSet<&'f Text>,
}

/// Fires once per rule, at its sixth target.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    let facts: Vec<_> = judged(cx).collect();
    let mut by_rule: HashMap<*const EventRule, Counted<'_>> = HashMap::new();
    let mut order = Vec::new();
    for (index, fact) in facts.iter().enumerate() {
        let key = std::ptr::from_ref(fact.rule);
        let counted = by_rule.entry(key).or_insert_with(|| {
            order.push(key);
            Counted::default()
        });
        let new = match &fact.target.id {
            // Generated IDs differ.
            None => true,
            Some(id) if distinct(id) => counted.ids.insert(id),
            // An ID that may equal another's may replace it.
            Some(_) => false,
        };
        if new {
            counted.facts.push(index);
        }
    }
    for key in order {
        let targets = &by_rule[&key].facts;
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

/// Whether an ID is told apart from others by its text: literal and generated pieces only.
fn distinct(id: &Text) -> bool {
    id.pieces()
        .iter()
        .all(|p| matches!(p, Piece::Lit(_) | Piece::Sym(Symbol::Generated(_))))
}
