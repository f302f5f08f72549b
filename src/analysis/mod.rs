//! Deployment → facts: for every enabled rule, the events it can match and whether each can
//! reach it, and if not, the first link that breaks and why.
//!
//! The steps of the specification's analysis, in order: the pattern must be valid; its
//! branches give candidate events (`events`); each candidate is delivered only through a trail
//! that exists, is logging and selects it (`coverage`); and read-only management events also
//! need the rule state `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`. What comes out is
//! neutral: which trails were tried and why each leaves the events out. Which of those facts
//! is whose finding, and how it reads, is decided by the checks, each in its own file.

pub mod coverage;
mod delivery;
pub mod events;
mod forwarding;
mod index;
mod lookup;
pub mod policy;
pub mod shape;
pub mod targets;

use std::sync::Arc;

use coverage::Miss;
use events::{Candidate, Class};

use delivery::Pairing;

use crate::model::{Bus, Deployment, EventRule, RulePattern, RuleState};
use crate::source::Span;
use crate::value::{Text, Tri};

/// The facts about one rule.
#[derive(Debug)]
pub struct RuleReport<'d> {
    pub rule: &'d EventRule,
    pub outcome: Outcome,
    /// What keeps the pattern's branches from matching, whatever the trails.
    pub shape: Vec<shape::ShapeIssue>,
}

#[derive(Debug)]
pub enum Outcome {
    /// Nothing to check: the rule is disabled, has no pattern, listens on a bus this analysis
    /// does not follow, or an unknown value decides what it matches.
    NotAnalysed,
    /// The pattern breaks EventBridge's grammar; nothing else is checked.
    InvalidPattern,
    /// The rule listens on a custom bus for AWS events, which reach only the default bus, and
    /// nothing forwards them there. `span` is where the pattern asks for AWS events.
    BusUnreached { span: Span },
    Events {
        verdicts: Vec<Verdict>,
        /// Buckets the rule waits on for S3's own events whose EventBridge notifications
        /// are off.
        notifications_off: Vec<SilentBucket>,
    },
}

/// A bucket named in a pattern for S3 notification events, declared in the inputs without
/// EventBridge notifications.
#[derive(Debug)]
pub struct SilentBucket {
    /// Where the pattern names the bucket.
    pub span: Span,
    /// Index into the deployment's buckets.
    pub bucket: usize,
}

/// What happens to one candidate event set. Only verdicts that say something of the rule
/// are kept (see [`Verdict::says_something`]).
#[derive(Debug)]
pub struct Verdict {
    pub candidate: Candidate,
    pub delivery: Delivery,
    /// Whether the rule's state lets these events match once delivered.
    pub state_blocks: bool,
    /// Global service events, and the rule is in another region than the one they are
    /// recorded in.
    pub outside_global_region: bool,
}

impl Verdict {
    /// Whether the verdict says anything of the rule: events that may not arrive, or that
    /// its state or region keeps from it, or part of a name split by class (whose other
    /// part's fate a finding tells). Events that certainly arrive, or may, say nothing; the
    /// facts keep only verdicts that do, so a repository of thousands of working rules
    /// costs no memory for them.
    fn says_something(&self) -> bool {
        !matches!(self.delivery, Delivery::Delivered | Delivery::Unknown)
            || self.state_blocks
            || self.outside_global_region
            || self.candidate.part_of.is_some()
    }
}

/// The first broken link between CloudTrail and the rule, if any.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    Delivered,
    /// Some unknown value decides it.
    Unknown,
    /// No trail exists at all.
    NoTrail,
    /// No trail that would log the events is logging. Holds the indexes of the trails that
    /// would (all trails, when none is logging at all).
    NotLogging {
        trails: TrailList,
    },
    /// Every logging trail drops the events; why.
    NotSelected {
        misses: Misses,
    },
    /// The trails that would log the events are single-region trails of other regions.
    WrongRegion {
        trails: TrailList,
    },
    /// Global service events: every trail that covers their region leaves them out with
    /// `IncludeGlobalServiceEvents: false`.
    GlobalExcluded {
        trails: TrailList,
    },
}

/// Indexes of the trails a verdict names, shared between the verdicts that name the same
/// ones: a deployment of thousands of trails, none of them logging, names them all in each.
#[derive(Clone)]
pub struct TrailList(Arc<[usize]>);

impl TrailList {
    pub fn new(trails: Vec<usize>) -> TrailList {
        TrailList(trails.into())
    }
}

impl std::ops::Deref for TrailList {
    type Target = [usize];
    fn deref(&self) -> &[usize] {
        &self.0
    }
}

impl PartialEq for TrailList {
    fn eq(&self, other: &TrailList) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl std::fmt::Debug for TrailList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

/// Why the trails drop a candidate's events, kept in a size that does not grow with the number
/// of trails: a rule that no trail delivers is compared with every trail, and a deployment may
/// hold thousands of each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Misses {
    /// The first [`Misses::KEPT`] misses, by trail index, in the trails' order.
    pub first: Vec<(usize, Miss)>,
    /// How many trails miss the events.
    pub total: usize,
    /// The first trail that selects the events but filters their read/write class out.
    pub read_write: Option<(usize, Miss)>,
}

impl Misses {
    /// How many misses are kept with their reasons.
    pub const KEPT: usize = 10;

    fn push(&mut self, index: usize, miss: Miss) {
        self.total += 1;
        if self.read_write.is_none()
            && matches!(miss.reason, coverage::MissReason::ReadWriteExcluded { .. })
        {
            self.read_write = Some((index, miss.clone()));
        }
        if self.first.len() < Misses::KEPT {
            self.first.push((index, miss));
        }
    }
}

/// Analyses every rule of the deployment, on every core; reports keep the rules' order.
pub fn analyse(deployment: &Deployment) -> Vec<RuleReport<'_>> {
    analyse_with(deployment, Pairing::indexed(deployment))
}

/// [`analyse`] without the index of trails: every candidate is compared with every trail. The
/// verdicts are the same, only slower; tests hold the two to that.
#[doc(hidden)]
pub fn analyse_exhaustively(deployment: &Deployment) -> Vec<RuleReport<'_>> {
    analyse_with(deployment, Pairing::exhaustive(deployment))
}

fn analyse_with<'d>(deployment: &'d Deployment, pairing: Pairing<'d>) -> Vec<RuleReport<'d>> {
    use rayon::prelude::*;
    let cx = Cx {
        deployment,
        pairing,
        lookup: lookup::Lookup::new(deployment),
        to_default_buses: forwarding::ToDefaultBuses::new(deployment),
    };
    deployment
        .rules
        .par_iter()
        .map(|rule| analyse_rule(&cx, rule))
        .collect()
}

/// What every rule's analysis reads.
struct Cx<'d> {
    deployment: &'d Deployment,
    pairing: Pairing<'d>,
    lookup: lookup::Lookup,
    to_default_buses: forwarding::ToDefaultBuses,
}

fn analyse_rule<'d>(cx: &Cx<'_>, rule: &'d EventRule) -> RuleReport<'d> {
    let report = |outcome| RuleReport {
        rule,
        outcome,
        shape: Vec::new(),
    };
    // A disabled rule gets nothing.
    if rule.state == RuleState::Disabled {
        return report(Outcome::NotAnalysed);
    }
    // An unknown state may be DISABLED: such a rule is left alone, as a disabled one is
    // (TC201's page).
    if rule.state == RuleState::Unknown {
        return report(Outcome::NotAnalysed);
    }
    // EventBridge rejects an invalid pattern whatever the bus.
    let pattern = match &rule.pattern {
        RulePattern::Invalid(_) => return report(Outcome::InvalidPattern),
        RulePattern::Valid(pattern) => pattern,
        RulePattern::None | RulePattern::Unknown => return report(Outcome::NotAnalysed),
    };
    let Some(branches) = pattern.branches() else {
        return report(Outcome::NotAnalysed);
    };
    // What the pattern's shape rules out holds on any bus.
    let issues: Vec<Vec<shape::ShapeIssue>> = branches.iter().map(shape::issues).collect();
    let mut shape = Vec::new();
    for issue in issues.iter().flatten() {
        // Branches share the fields outside their `$or`: one issue, one report.
        if !shape.contains(issue) {
            shape.push(issue.clone());
        }
    }
    // AWS events reach only the default bus, and another bus only when a rule there forwards
    // them.
    let outcome = match &rule.bus {
        Bus::Unknown => Outcome::NotAnalysed,
        Bus::Custom(name) if forwarding::to_custom_bus(cx, name) == Tri::Unknown => {
            Outcome::NotAnalysed
        }
        Bus::Custom(name) if forwarding::to_custom_bus(cx, name) == Tri::No => branches
            .iter()
            .find_map(events::aws_events_span)
            .map_or(Outcome::NotAnalysed, |span| Outcome::BusUnreached { span }),
        _ => events_outcome(cx, rule, &branches, &issues),
    };
    RuleReport {
        rule,
        outcome,
        shape,
    }
}

/// The verdicts for a rule whose bus receives AWS events.
fn events_outcome(
    cx: &Cx<'_>,
    rule: &EventRule,
    branches: &[crate::pattern::Branch<'_>],
    issues: &[Vec<shape::ShapeIssue>],
) -> Outcome {
    let mut verdicts = Vec::new();
    let mut notifications_off = Vec::new();
    let region: Option<Arc<str>> = rule.region.as_deref().map(Arc::from);
    for (index, (branch, issues)) in branches.iter().zip(issues).enumerate() {
        // A branch that can never match has no events to deliver: its shape is the one root
        // cause to report.
        if issues.iter().any(|issue| {
            matches!(
                issue,
                shape::ShapeIssue::FieldNeverPresent { .. } | shape::ShapeIssue::BelowScalar { .. }
            )
        }) {
            continue;
        }
        // Misspelt event sources and names match nothing: what they would have matched is no
        // second problem to report.
        let misspelt: Vec<Span> = issues
            .iter()
            .filter_map(|issue| match issue {
                shape::ShapeIssue::UnknownEventSource { value, .. } => Some(value.span),
                shape::ShapeIssue::UnknownEventName { name, .. } => Some(name.span),
                _ => None,
            })
            .collect();
        for named in events::s3_notification_buckets(branch) {
            notifications_off.extend(silent_bucket(cx, &named.value).map(|bucket| SilentBucket {
                span: named.span,
                bucket,
            }));
        }
        let Some(candidates) = events::candidates(index, branch) else {
            continue;
        };
        let is_misspelt = |candidate: &Candidate| {
            let name = match &candidate.name {
                events::EventName::Exact(named) => Some(named.span),
                events::EventName::Open { .. } => None,
            };
            let source = candidate.source.as_ref().map(|s| s.span);
            [name, source]
                .into_iter()
                .flatten()
                .any(|span| misspelt.contains(&span))
        };
        for mut candidate in candidates.into_iter().filter(|c| !is_misspelt(c)) {
            candidate.region.clone_from(&region);
            let verdict = Verdict {
                delivery: cx.pairing.delivery(rule, &candidate),
                outside_global_region: outside_global_region(cx, rule, &candidate),
                state_blocks: state_blocks(rule.state, &candidate),
                candidate,
            };
            if verdict.says_something() {
                verdicts.push(verdict);
            }
        }
    }
    Outcome::Events {
        verdicts,
        notifications_off,
    }
}

/// The declared bucket called `name`, if EventBridge notifications are certainly off for it:
/// neither its own configuration nor a separate notification resource turns them on.
fn silent_bucket(cx: &Cx<'_>, name: &Text) -> Option<usize> {
    let deployment = cx.deployment;
    let index = cx
        .lookup
        .buckets
        .may_be(name)
        .into_iter()
        .find(|&i| deployment.buckets[i].bucket_name.equals(name) == Tri::Yes)?;
    let as_tri = |value: Option<bool>| value.map_or(Tri::Unknown, Tri::from_bool);
    let enabled = Tri::any(
        std::iter::once(as_tri(deployment.buckets[index].eventbridge)).chain(
            cx.lookup.notifications.may_be(name).into_iter().map(|i| {
                let notification = &deployment.notifications[i];
                notification
                    .bucket
                    .equals(name)
                    .and(as_tri(notification.eventbridge))
            }),
        ),
    );
    (enabled == Tri::No).then_some(index)
}

/// Whether the candidate's global service events never reach the rule: it is in a known region
/// of the `aws` partition other than the one they are recorded in, and no rule there is known
/// to forward them to it.
fn outside_global_region(cx: &Cx<'_>, rule: &EventRule, candidate: &Candidate) -> bool {
    let Some(region) = rule.region.as_deref() else {
        return false;
    };
    is_global(candidate)
        && in_aws_partition(region)
        && region != crate::catalog::catalog().global_region
        && forwarding::global_events_forwarded(cx, region, candidate) == Tri::No
}

/// Read-only management events match only rules in the state
/// `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`
/// (<https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html>).
/// A candidate is read-only only when every event it stands for is: an exact read-only name,
/// a read-only verb prefix, or a `readOnly: [true]` filter.
fn state_blocks(state: RuleState, candidate: &Candidate) -> bool {
    state == RuleState::Enabled
        && candidate.class
            == (Class::Management {
                read_only: Some(true),
            })
}

/// Whether a region is in the `aws` partition, where global service events are recorded in
/// us-east-1 (China and GovCloud record them elsewhere).
fn in_aws_partition(region: &str) -> bool {
    !region.starts_with("cn-") && !region.starts_with("us-gov-") && !region.starts_with("us-iso")
}

/// Whether a candidate's events come from a global service.
pub fn is_global(candidate: &Candidate) -> bool {
    candidate
        .source
        .as_ref()
        .and_then(|s| s.value.as_lit())
        .is_some_and(|source| crate::catalog::catalog().is_global(source))
}
