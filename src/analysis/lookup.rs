//! The deployment's buckets, buses, targets and rules by the names they are known by, so that
//! finding the few that may be called something costs those few, not a pass over every one:
//! a repository of thousands of stacks asks it for every rule.
//!
//! Only names that certainly differ are told apart: two literals, a literal and a name the
//! deployment generates, two generated names. A parameter or an unknown name may be any name,
//! so its item is found for every question, and a question about such a name finds every item.

use std::collections::HashMap;

pub(super) use crate::model::bus_name;
use crate::model::{Deployment, EventRule, RuleRef, Target};
use crate::source::FileId;
use crate::value::{Piece, Symbol, Text, Tri};

/// Items by the key of their name.
#[derive(Default)]
pub(super) struct ByName {
    keyed: HashMap<String, Vec<usize>>,
    /// Items whose name has no key.
    others: Vec<usize>,
    count: usize,
}

impl ByName {
    /// `names` gives each item's name, or `None` for an item that is never the answer.
    pub(super) fn new<'t>(names: impl Iterator<Item = Option<&'t Text>>) -> ByName {
        let mut index = ByName::default();
        for (item, name) in names.enumerate() {
            index.count = item + 1;
            let Some(name) = name else {
                continue;
            };
            match key(name) {
                Some(key) => index.keyed.entry(key).or_default().push(item),
                None => index.others.push(item),
            }
        }
        index
    }

    /// Items that each have several names (a policy on several queues).
    pub(super) fn new_multi<'t>(names: impl Iterator<Item = &'t [Text]>) -> ByName {
        let mut index = ByName::default();
        for (item, names) in names.enumerate() {
            index.count = item + 1;
            for name in names {
                match key(name) {
                    Some(key) => index.keyed.entry(key).or_default().push(item),
                    None => index.others.push(item),
                }
            }
        }
        index
    }

    /// The items whose name has the key of `name`; `None` when `name` has no key (it may be
    /// any name).
    pub(super) fn keyed(&self, name: &Text) -> Option<&[usize]> {
        let key = key(name)?;
        Some(self.keyed.get(&key).map_or(&[][..], Vec::as_slice))
    }

    /// The items whose name has no key: each may be called anything.
    pub(super) fn unkeyed(&self) -> &[usize] {
        &self.others
    }

    /// How many items there are.
    pub(super) fn len(&self) -> usize {
        self.count
    }

    /// The items that may be called `name`, in order; each once.
    pub(super) fn may_be(&self, name: &Text) -> Vec<usize> {
        let mut out: Vec<usize> = match key(name) {
            Some(key) => {
                let keyed = self.keyed.get(&key).map_or(&[][..], Vec::as_slice);
                [keyed, &self.others].concat()
            }
            None => (0..self.count).collect(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The key of a name that is one literal, or one name the deployment generates.
fn key(name: &Text) -> Option<String> {
    match name.pieces() {
        [] => Some(String::new()),
        [Piece::Lit(name)] => Some(name.clone()),
        [Piece::Sym(symbol @ Symbol::Generated(_))] => Some(format!("\u{0}{symbol:?}")),
        _ => None,
    }
}

/// What the analysis looks up by name.
pub(super) struct Lookup {
    pub buckets: ByName,
    /// Notification settings by the bucket they are for.
    pub notifications: ByName,
    pub buses: ByName,
    /// Bus policies by the bus they open.
    pub bus_policies: ByName,
    /// Targets by the name of the bus their ARN ends with (`…:event-bus/NAME`); targets that
    /// are certainly no bus are left out.
    pub targets_by_bus: ByName,
    /// Rules by the name AWS knows them by.
    rules_by_name: ByName,
    /// Rules by their file and name in it.
    rules_declared: HashMap<(FileId, String), usize>,
}

impl Lookup {
    pub(super) fn new(deployment: &Deployment) -> Lookup {
        let bus_policy_names: Vec<Text> = deployment.bus_policies.iter().map(bus_name).collect();
        let target_buses: Vec<Option<Text>> = deployment
            .targets
            .iter()
            .map(|t| bus_of_arn(&t.arn))
            .collect();
        Lookup {
            buckets: ByName::new(deployment.buckets.iter().map(|b| Some(&b.bucket_name))),
            notifications: ByName::new(deployment.notifications.iter().map(|n| Some(&n.bucket))),
            buses: ByName::new(deployment.buses.iter().map(|b| Some(&b.name))),
            bus_policies: ByName::new(bus_policy_names.iter().map(Some)),
            targets_by_bus: ByName::new(target_buses.iter().map(Option::as_ref)),
            rules_by_name: rules_by_name(deployment),
            rules_declared: deployment
                .rules
                .iter()
                .enumerate()
                .map(|(index, rule)| ((rule.loc.file, rule.name.clone()), index))
                .collect(),
        }
    }

    /// The rules that may send to `target`, each with whether it certainly does.
    pub(super) fn senders<'d>(
        &self,
        deployment: &'d Deployment,
        target: &'d Target,
    ) -> Vec<(Tri, &'d EventRule)> {
        match &target.rule {
            RuleRef::Declared { file, name } => self
                .rules_declared
                .get(&(*file, name.clone()))
                .map(|&i| (Tri::Yes, &deployment.rules[i]))
                .into_iter()
                .collect(),
            RuleRef::Named(name) => named_senders(&self.rules_by_name, deployment, name, target),
        }
    }
}

/// Rules by the name AWS knows them by.
pub(super) fn rules_by_name(deployment: &Deployment) -> ByName {
    ByName::new(deployment.rules.iter().map(|r| Some(&r.aws_name)))
}

/// The rules called `name` on the target's bus, each with whether it certainly is.
pub(super) fn named_senders<'d>(
    rules_by_name: &ByName,
    deployment: &'d Deployment,
    name: &Text,
    target: &Target,
) -> Vec<(Tri, &'d EventRule)> {
    rules_by_name
        .may_be(name)
        .into_iter()
        .map(|i| &deployment.rules[i])
        .map(|rule| {
            (
                rule.aws_name.equals(name).and(rule.bus.same(&target.bus)),
                rule,
            )
        })
        .filter(|(sends, _)| *sends != Tri::No)
        .collect()
}

/// The bus an ARN names, `None` when it is certainly no event bus.
fn bus_of_arn(arn: &Text) -> Option<Text> {
    if let Some(text) = arn.as_lit() {
        return text
            .rsplit_once(":event-bus/")
            .map(|(_, name)| Text::lit(name));
    }
    match arn.split_once('/') {
        Some((head, tail)) if head.ends_with(&Text::lit(":event-bus")) == Tri::Yes => Some(tail),
        Some((head, _)) if head.ends_with(&Text::lit(":event-bus")) == Tri::No => None,
        _ => Some(Text::unknown()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Pseudo;

    #[test]
    fn items_are_found_by_the_names_they_may_have() {
        let literal = Text::lit("orders");
        let generated = Text::sym(Symbol::Generated("t.yaml#Queue".into()));
        let parameter = Text::pseudo(Pseudo::Region);
        let empty = Text::default();
        // One name each; the last item has none that can be the answer.
        let names = [
            Some(&literal),
            Some(&generated),
            Some(&parameter),
            Some(&empty),
            None,
        ];
        let index = ByName::new(names.into_iter());
        assert_eq!(index.len(), 5);
        assert_eq!(index.keyed(&literal), Some(&[0][..]));
        assert_eq!(index.keyed(&generated), Some(&[1][..]));
        assert_eq!(index.keyed(&empty), Some(&[3][..]));
        assert_eq!(index.keyed(&Text::lit("other")), Some(&[][..]));
        assert_eq!(index.keyed(&parameter), None);
        assert_eq!(index.unkeyed(), &[2]);
        // A question about a name that may be any name finds every item.
        assert_eq!(index.may_be(&parameter), [0, 1, 2, 3, 4]);
        assert_eq!(index.may_be(&literal), [0, 2]);

        // Items of several names: a policy on two queues.
        let multi = ByName::new_multi(
            [
                vec![literal.clone(), generated.clone()],
                vec![parameter.clone()],
                vec![],
            ]
            .iter()
            .map(Vec::as_slice),
        );
        assert_eq!(multi.len(), 3);
        assert_eq!(multi.keyed(&generated), Some(&[0][..]));
        assert_eq!(multi.may_be(&generated), [0, 1]);
        assert_eq!(multi.may_be(&parameter), [0, 1, 2]);
        assert_eq!(ByName::new_multi(std::iter::empty()).len(), 0);
    }

    #[test]
    fn buses_named_by_arns() {
        let arn = |head: &str, tail: Text| {
            let mut text = Text::lit("arn:");
            text.append(&Text::pseudo(Pseudo::Partition));
            text.push_str(head);
            text.append(&tail);
            text
        };
        let name = Text::sym(Symbol::Generated("t.yaml#Orders".into()));
        assert_eq!(
            bus_of_arn(&Text::lit("arn:aws:events:us-east-1:1:event-bus/orders")),
            Some(Text::lit("orders"))
        );
        assert_eq!(
            bus_of_arn(&Text::lit("arn:aws:sqs:us-east-1:1:orders")),
            None
        );
        assert_eq!(
            bus_of_arn(&arn(":events:us-east-1:1:event-bus/", name.clone())),
            Some(name.clone())
        );
        // A stream of the same name is no bus.
        assert_eq!(
            bus_of_arn(&arn(":kinesis:us-east-1:1:stream/", name.clone())),
            None
        );
        // An ARN whose resource type cannot be read may name any bus.
        let mut open = Text::unknown();
        open.push_str("/orders");
        assert_eq!(bus_of_arn(&open), Some(Text::unknown()));
    }
}
