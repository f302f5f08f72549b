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
pub mod events;
mod forwarding;
mod index;
pub mod shape;

use coverage::{Admission, Miss};
use events::{Candidate, Class};

use index::TrailHints;

use crate::model::{Bus, Deployment, EventRule, RulePattern, RuleState, Trail};
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

/// What happens to one candidate event set.
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
        trails: Vec<usize>,
    },
    /// Every logging trail drops the events; why.
    NotSelected {
        misses: Misses,
    },
    /// The trails that would log the events are single-region trails of other regions.
    WrongRegion {
        trails: Vec<usize>,
    },
    /// Global service events: every trail that covers their region leaves them out with
    /// `IncludeGlobalServiceEvents: false`.
    GlobalExcluded {
        trails: Vec<usize>,
    },
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
    analyse_with(deployment, Some(TrailHints::new(&deployment.trails)))
}

/// [`analyse`] without the index of trails: every candidate is compared with every trail. The
/// verdicts are the same, only slower; tests hold the two to that.
#[doc(hidden)]
pub fn analyse_exhaustively(deployment: &Deployment) -> Vec<RuleReport<'_>> {
    analyse_with(deployment, None)
}

fn analyse_with(deployment: &Deployment, hints: Option<TrailHints>) -> Vec<RuleReport<'_>> {
    use rayon::prelude::*;
    let cx = Cx {
        deployment,
        hints,
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
    hints: Option<TrailHints>,
    to_default_buses: forwarding::ToDefaultBuses,
}

fn analyse_rule<'d>(cx: &Cx<'_>, rule: &'d EventRule) -> RuleReport<'d> {
    let deployment = cx.deployment;
    let report = |outcome| RuleReport {
        rule,
        outcome,
        shape: Vec::new(),
    };
    // A disabled rule gets nothing.
    if rule.state == RuleState::Disabled {
        return report(Outcome::NotAnalysed);
    }
    // EventBridge rejects an invalid pattern whatever the bus or state.
    let pattern = match &rule.pattern {
        RulePattern::Invalid(_) => return report(Outcome::InvalidPattern),
        RulePattern::Valid(pattern) => pattern,
        RulePattern::None | RulePattern::Unknown => return report(Outcome::NotAnalysed),
    };
    // An unknown state may be DISABLED.
    if rule.state == RuleState::Unknown {
        return report(Outcome::NotAnalysed);
    }
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
        Bus::Custom(name) if forwarding::to_custom_bus(deployment, name) == Tri::Unknown => {
            Outcome::NotAnalysed
        }
        Bus::Custom(name) if forwarding::to_custom_bus(deployment, name) == Tri::No => branches
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
    let deployment = cx.deployment;
    let mut verdicts = Vec::new();
    let mut notifications_off = Vec::new();
    for (index, (branch, issues)) in branches.iter().zip(issues).enumerate() {
        // A branch that can never match has no events to deliver: its shape is the one root
        // cause to report.
        if issues
            .iter()
            .any(|issue| matches!(issue, shape::ShapeIssue::FieldNeverPresent { .. }))
        {
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
            notifications_off.extend(silent_bucket(deployment, &named.value).map(|bucket| {
                SilentBucket {
                    span: named.span,
                    bucket,
                }
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
            candidate.region.clone_from(&rule.region);
            verdicts.push(Verdict {
                delivery: delivery(cx, rule, &candidate),
                outside_global_region: outside_global_region(cx, rule, &candidate),
                state_blocks: state_blocks(rule.state, &candidate),
                candidate,
            });
        }
    }
    Outcome::Events {
        verdicts,
        notifications_off,
    }
}

/// The declared bucket called `name`, if EventBridge notifications are certainly off for it:
/// neither its own configuration nor a separate notification resource turns them on.
fn silent_bucket(deployment: &Deployment, name: &Text) -> Option<usize> {
    let index = deployment
        .buckets
        .iter()
        .position(|bucket| bucket.bucket_name.equals(name) == Tri::Yes)?;
    let as_tri = |value: Option<bool>| value.map_or(Tri::Unknown, Tri::from_bool);
    let enabled = Tri::any(
        std::iter::once(as_tri(deployment.buckets[index].eventbridge)).chain(
            deployment
                .notifications
                .iter()
                .map(|n| n.bucket.equals(name).and(as_tri(n.eventbridge))),
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
        && forwarding::global_events_forwarded(
            cx.deployment,
            &cx.to_default_buses,
            region,
            candidate,
        ) == Tri::No
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

/// The first broken link between CloudTrail and the rule for one candidate: a trail must
/// exist, cover the region where the events are recorded (and, for global services, include
/// them), be logging, and select them.
fn delivery(cx: &Cx<'_>, rule: &EventRule, candidate: &Candidate) -> Delivery {
    let deployment = cx.deployment;
    // One trail that certainly exists and certainly delivers settles the verdict, whatever the
    // others are: it passes every filter below and `chain` stops at it. Only the trails that
    // may deliver are tried, so a delivered candidate does not cost a pass over all trails.
    let region = recording_region(rule, candidate);
    let settled = cx.hints.as_ref().is_some_and(|hints| {
        hints.of(candidate).any(|index| {
            let trail = &deployment.trails[index];
            trail.created == Some(true)
                && certainly_records(trail, candidate, region)
                && coverage::admits(trail, candidate) == Admission::Yes
        })
    });
    if settled {
        debug_assert_eq!(
            full_delivery(deployment, rule, candidate),
            Delivery::Delivered
        );
        return Delivery::Delivered;
    }
    let shared = cx.hints.as_ref().and_then(|hints| {
        hints.shared_verdict(rule, candidate, |unnamed| {
            full_delivery(deployment, rule, unnamed)
        })
    });
    if let Some(verdict) = shared {
        debug_assert_eq!(verdict, full_delivery(deployment, rule, candidate));
        return verdict;
    }
    full_delivery(deployment, rule, candidate)
}

/// [`delivery`] found by trying every trail: what a candidate that is not certainly delivered
/// costs, since each trail's reason may be reported.
fn full_delivery(deployment: &Deployment, rule: &EventRule, candidate: &Candidate) -> Delivery {
    let all: Vec<usize> = (0..deployment.trails.len()).collect();
    let verdict = delivery_among(deployment, rule, candidate, &all);
    // A trail whose `Condition` may be false may not exist: the verdict stands only if it is
    // the same link that breaks without it. Removing trails never delivers more, so the two
    // ends (every trail, only the certain ones) bound whatever the conditions decide; the
    // notes name every trail that may exist.
    let certain: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| deployment.trails[i].created == Some(true))
        .collect();
    if certain.len() == all.len()
        || same_link(
            &delivery_among(deployment, rule, candidate, &certain),
            &verdict,
        )
    {
        verdict
    } else {
        Delivery::Unknown
    }
}

/// Whether two verdicts break at the same link, and so give the same finding: the trails
/// named may differ, not which rule fires.
fn same_link(a: &Delivery, b: &Delivery) -> bool {
    match (a, b) {
        (Delivery::NotSelected { misses: a }, Delivery::NotSelected { misses: b }) => {
            a.read_write.is_some() == b.read_write.is_some()
        }
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// The region where the candidate's events are recorded, when known. Global service events
/// are recorded in the global region, wherever the rule is; that region is known for the `aws`
/// partition only.
fn recording_region<'r>(rule: &'r EventRule, candidate: &Candidate) -> Option<&'r str> {
    match (is_global(candidate), rule.region.as_deref()) {
        (true, Some(region)) if in_aws_partition(region) => {
            Some(crate::catalog::catalog().global_region.as_str())
        }
        (true, _) => None,
        (false, region) => region,
    }
}

/// Whether a trail certainly records the candidate's events if it selects them: it is
/// logging, covers the region, and includes global service events when they are.
fn certainly_records(trail: &Trail, candidate: &Candidate, region: Option<&str>) -> bool {
    trail.is_logging == Some(true)
        && covers_region(trail, region) == Tri::Yes
        && (!is_global(candidate) || trail.include_global == Some(true))
}

/// The verdict when exactly the trails in `all` exist.
fn delivery_among(
    deployment: &Deployment,
    rule: &EventRule,
    candidate: &Candidate,
    all: &[usize],
) -> Delivery {
    let trails = &deployment.trails;
    if all.is_empty() {
        return Delivery::NoTrail;
    }
    let all = all.to_vec();
    let global = is_global(candidate);
    let region = recording_region(rule, candidate);
    let in_region: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| covers_region(&trails[i], region) != Tri::No)
        .collect();
    let would_log = |indexes: &[usize]| -> Vec<usize> {
        indexes
            .iter()
            .copied()
            .filter(|&i| !matches!(coverage::admits(&trails[i], candidate), Admission::No(_)))
            .collect()
    };
    if in_region.is_empty() {
        let elsewhere = would_log(&all);
        if !elsewhere.is_empty() {
            return Delivery::WrongRegion { trails: elsewhere };
        }
    }
    let pool = if in_region.is_empty() { all } else { in_region };
    if global {
        let with_global: Vec<usize> = pool
            .iter()
            .copied()
            .filter(|&i| trails[i].include_global != Some(false))
            .collect();
        if with_global.is_empty() {
            let excluding = would_log(&pool);
            if !excluding.is_empty() {
                return Delivery::GlobalExcluded { trails: excluding };
            }
        }
    }
    chain(trails, &pool, candidate, region)
}

/// Logging and selection, among the trails in `pool`.
fn chain(
    trails: &[Trail],
    pool: &[usize],
    candidate: &Candidate,
    region: Option<&str>,
) -> Delivery {
    let logging: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|&i| trails[i].is_logging != Some(false))
        .collect();
    if logging.is_empty() {
        return Delivery::NotLogging {
            trails: pool.to_vec(),
        };
    }
    let mut misses = Misses::default();
    let mut unknown = false;
    for &index in &logging {
        let trail = &trails[index];
        match coverage::admits(trail, candidate) {
            Admission::Yes if certainly_records(trail, candidate, region) => {
                return Delivery::Delivered;
            }
            Admission::Yes | Admission::Unknown => unknown = true,
            Admission::No(miss) => misses.push(index, miss),
        }
    }
    if unknown {
        return Delivery::Unknown;
    }
    // A trail that would log the events but is switched off is the link to mend.
    let would_cover: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|&i| trails[i].is_logging == Some(false))
        .filter(|&i| !matches!(coverage::admits(&trails[i], candidate), Admission::No(_)))
        .collect();
    if !would_cover.is_empty() {
        return Delivery::NotLogging {
            trails: would_cover,
        };
    }
    Delivery::NotSelected { misses }
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

/// Whether a trail records events of `region`: a multi-region trail records every region, a
/// single-region trail its home region only
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html>).
fn covers_region(trail: &crate::model::Trail, region: Option<&str>) -> Tri {
    match (trail.multi_region, trail.region.as_deref(), region) {
        (Some(true), _, _) => Tri::Yes,
        (Some(false), Some(home), Some(region)) => Tri::from_bool(home == region),
        _ => Tri::Unknown,
    }
}
