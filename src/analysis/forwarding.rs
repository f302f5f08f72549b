//! Events a rule receives because another rule forwards them: AWS events on a custom bus that
//! a rule on the default bus targets, and global service events that a rule in the global
//! region sends to the default bus of another region.
//!
//! Forwarding is followed only as far as the inputs decide it: a bus declared elsewhere, a
//! target or a sending rule whose region, state or pattern is unknown may forward, so the
//! answer is then unknown, never no.

use super::Cx;
use super::events::Candidate;
use super::lookup::bus_name;
use crate::catalog::catalog;
use crate::model::{Bus, Deployment, EventRule, RulePattern, RuleState, Target};
use crate::pattern::{Branch, leaf_accepts};
use crate::value::{Piece, Pseudo, Symbol, Text, Tri};

/// The targets that may be the default bus of some region: the only ones that may forward
/// global service events, found once per analysis.
pub(super) struct ToDefaultBuses(Vec<usize>);

impl ToDefaultBuses {
    pub(super) fn new(deployment: &Deployment) -> Self {
        let suffix = Text::lit(":event-bus/default");
        ToDefaultBuses(
            deployment
                .targets
                .iter()
                .enumerate()
                .filter(|(_, target)| target.arn.ends_with(&suffix) != Tri::No)
                .map(|(index, _)| index)
                .collect(),
        )
    }
}

/// Whether a rule in the global region sends the candidate's (global service) events to the
/// default bus of `region`, where the rule that waits for them is.
pub(super) fn global_events_forwarded(cx: &Cx<'_>, region: &str, candidate: &Candidate) -> Tri {
    let deployment = cx.deployment;
    let global = catalog().global_region.as_str();
    Tri::any(cx.to_default_buses.0.iter().map(|&index| {
        let target = &deployment.targets[index];
        let to_here = default_bus_in(&target.arn, region);
        if to_here == Tri::No {
            return Tri::No;
        }
        let senders = cx.lookup.senders(deployment, target);
        let sent = Tri::any(senders.into_iter().map(|(sends, sender)| {
            let in_global = match sender.region.as_deref() {
                Some(r) => Tri::from_bool(r == global),
                None => Tri::Unknown,
            };
            sends.and(in_global).and(receives(sender, candidate))
        }));
        to_here.and(sent)
    }))
}

/// Whether an ARN is the default bus of `region` in the deployment's own account: `No` for
/// another region or another bus; an account written as a literal could be this one.
fn default_bus_in(arn: &Text, region: &str) -> Tri {
    let Some(rest) = arn.strip_prefix("arn:").and_then(|t| t.split_once(':')) else {
        return Tri::Unknown;
    };
    let Some(rest) = rest.1.strip_prefix("events:") else {
        return if rest.1.as_lit().is_some() {
            Tri::No
        } else {
            Tri::Unknown
        };
    };
    let Some((arn_region, rest)) = rest.split_once(':') else {
        return Tri::Unknown;
    };
    let Some((account, resource)) = rest.split_once(':') else {
        return Tri::Unknown;
    };
    let account = match account.pieces() {
        [Piece::Sym(Symbol::Pseudo(Pseudo::AccountId))] => Tri::Yes,
        _ => Tri::Unknown,
    };
    arn_region
        .equals(&Text::lit(region))
        .and(resource.equals(&Text::lit("event-bus/default")))
        .and(account)
}

/// Whether `sender`, on the default bus, matches the candidate's events, as far as its
/// pattern's fields about CloudTrail records tell.
fn receives(sender: &EventRule, candidate: &Candidate) -> Tri {
    let enabled = match sender.state {
        RuleState::Disabled => Tri::No,
        RuleState::Unknown => Tri::Unknown,
        RuleState::Enabled | RuleState::EnabledWithAllManagementEvents => Tri::Yes,
    };
    let on_default = match sender.bus {
        Bus::Default => Tri::Yes,
        Bus::Custom(_) => Tri::No,
        Bus::Unknown => Tri::Unknown,
    };
    let matches = match &sender.pattern {
        RulePattern::Valid(pattern) => match pattern.branches() {
            Some(branches) => Tri::any(branches.iter().map(|b| branch_receives(b, candidate))),
            None => Tri::Unknown,
        },
        RulePattern::Unknown => Tri::Unknown,
        RulePattern::None | RulePattern::Invalid(_) => Tri::No,
    };
    enabled.and(on_default).and(matches)
}

/// Whether a branch accepts the candidate's events: decided on `source`, `detail-type`,
/// `detail.eventSource` and `detail.eventName`; any other field leaves it undecided.
fn branch_receives(branch: &Branch<'_>, candidate: &Candidate) -> Tri {
    let event_source = candidate.source.as_ref().map(|s| s.value.clone());
    let source = event_source
        .as_ref()
        .and_then(|s| s.as_lit())
        .and_then(|s| s.strip_suffix(".amazonaws.com"))
        .map(|service| Text::lit(format!("aws.{service}")));
    let detail_type = catalog()
        .cloudtrail_detail_types
        .iter()
        .find(|d| d.kind == candidate.detail)
        .map(|d| Text::lit(d.name.as_str()));
    let name = candidate.name.exact().map(Text::lit);
    Tri::all(branch.leaves.iter().map(|leaf| {
        let value = match leaf.path {
            "source" => source.clone(),
            "detail-type" => detail_type.clone(),
            "detail.eventSource" => event_source.clone(),
            "detail.eventName" => name.clone(),
            _ => None,
        };
        value.map_or(Tri::Unknown, |value| leaf_accepts(leaf.value, &value))
    }))
}

/// Whether AWS events reach the custom bus `name`: `No` only for a bus declared in the inputs,
/// open to no other sender by a policy, that no rule on the default bus targets. A bus
/// declared elsewhere may be fed from another account.
pub(super) fn to_custom_bus(cx: &Cx<'_>, name: &Text) -> Tri {
    let deployment = cx.deployment;
    let name = bus_name(name);
    let buses = cx.lookup.buses.may_be(&name);
    let declared = Tri::any(
        buses
            .iter()
            .map(|&i| deployment.buses[i].name.equals(&name)),
    );
    if declared != Tri::Yes {
        return Tri::Unknown;
    }
    let open = Tri::any(
        buses
            .iter()
            .map(|&i| &deployment.buses[i])
            .filter(|bus| bus.name.equals(&name) == Tri::Yes)
            .map(|bus| match bus.has_policy {
                Some(b) => Tri::from_bool(b),
                None => Tri::Unknown,
            })
            .chain(
                cx.lookup
                    .bus_policies
                    .may_be(&name)
                    .into_iter()
                    .map(|i| bus_name(&deployment.bus_policies[i]).equals(&name)),
            ),
    );
    if open != Tri::No {
        return Tri::Unknown;
    }
    let mut arn_suffix = Text::lit(":event-bus/");
    arn_suffix.append(&name);
    Tri::any(cx.lookup.targets_by_bus.may_be(&name).into_iter().map(|i| {
        let target: &Target = &deployment.targets[i];
        let from_default = match &target.bus {
            Bus::Default => Tri::Yes,
            Bus::Unknown => Tri::Unknown,
            Bus::Custom(_) => Tri::No,
        };
        from_default.and(target.arn.ends_with(&arn_suffix))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_buses_by_region_and_account() {
        let arn = |region: Text, account: Text| {
            Text::concat([
                Text::lit("arn:aws:events:"),
                region,
                Text::lit(":"),
                account,
                Text::lit(":event-bus/default"),
            ])
        };
        let here = Text::pseudo(Pseudo::AccountId);
        let eu = Text::lit("eu-west-1");
        assert_eq!(
            default_bus_in(&arn(eu.clone(), here.clone()), "eu-west-1"),
            Tri::Yes
        );
        assert_eq!(
            default_bus_in(&arn(eu.clone(), here.clone()), "us-west-2"),
            Tri::No
        );
        assert_eq!(
            default_bus_in(&arn(eu.clone(), Text::lit("111122223333")), "eu-west-1"),
            Tri::Unknown,
            "another account, or this one"
        );
        assert_eq!(
            default_bus_in(&arn(Text::pseudo(Pseudo::Region), here), "eu-west-1"),
            Tri::Unknown
        );
        assert_eq!(
            default_bus_in(&Text::lit("arn:aws:sqs:eu-west-1:1:q"), "eu-west-1"),
            Tri::No
        );
        assert_eq!(default_bus_in(&Text::unknown(), "eu-west-1"), Tri::Unknown);
    }
}
