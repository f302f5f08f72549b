//! Deployment → verdicts: for every enabled rule, the events it can match and whether each can
//! reach it.
//!
//! The steps of the specification's analysis, in order: the pattern must be valid; its
//! branches give candidate events (`events`); each candidate is delivered only through a trail
//! that exists, is logging and selects it (`coverage`); and read-only management events also
//! need the rule state `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`. The verdicts are plain
//! data: turning them into findings, messages and fixes is the checks' job.

pub mod coverage;
pub mod events;
pub mod shape;

use coverage::{Admission, Miss};
use events::{Candidate, Class};

use std::collections::HashMap;

use crate::model::{
    Bus, Deployment, EventRule, RulePattern, RuleState, Selectors, Text, Trail, Tri,
};
use crate::source::Span;

/// The verdicts for one rule.
#[derive(Debug)]
pub struct RuleReport<'d> {
    pub rule: &'d EventRule,
    pub outcome: Outcome,
    /// What keeps the pattern's branches from matching, whatever the trails (TC202–TC205).
    pub shape: Vec<shape::ShapeIssue>,
}

#[derive(Debug)]
pub enum Outcome {
    /// Nothing to check: the rule is disabled, has no pattern, listens on a bus this analysis
    /// does not follow, or an unknown value decides what it matches.
    NotAnalysed,
    /// The pattern breaks EventBridge's grammar (TC201); nothing else is checked.
    InvalidPattern,
    /// The rule listens on a custom bus for AWS events, which reach only the default bus, and
    /// nothing forwards them (TC110). `span` is where the pattern asks for AWS events.
    WrongBus { span: Span },
    Events {
        verdicts: Vec<Verdict>,
        /// Buckets the rule waits on for S3's own events whose EventBridge notifications
        /// are off (TC111).
        silent_buckets: Vec<SilentBucket>,
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
    /// recorded in (TC108).
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
    /// Every logging trail drops the events; why, for each (by trail index).
    NotSelected {
        misses: Vec<(usize, Miss)>,
    },
    /// The trails that would log the events are single-region trails of other regions (TC109).
    WrongRegion {
        trails: Vec<usize>,
    },
    /// Global service events: every trail that covers their region leaves them out with
    /// `IncludeGlobalServiceEvents: false` (TC108).
    GlobalExcluded {
        trails: Vec<usize>,
    },
}

/// Analyses every rule of the deployment, on every core; reports keep the rules' order.
pub fn analyse(deployment: &Deployment) -> Vec<RuleReport<'_>> {
    use rayon::prelude::*;
    let cx = Cx {
        deployment,
        hints: TrailHints::new(&deployment.trails),
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
    hints: TrailHints,
}

/// Trails by the names their data selectors write (each literal value split at `:` and `/`),
/// so that a candidate naming a bucket, function or table tries those trails first. Only the
/// order of the tries depends on it, never a verdict.
struct TrailHints(HashMap<String, Vec<usize>>);

impl TrailHints {
    fn new(trails: &[Trail]) -> TrailHints {
        let mut hints: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, trail) in trails.iter().enumerate() {
            let values: Vec<&Text> = match &trail.selectors {
                Selectors::Basic(selectors) => selectors
                    .iter()
                    .flat_map(|s| &s.data_resources)
                    .flat_map(|r| &r.values)
                    .collect(),
                Selectors::Advanced(selectors) => selectors
                    .iter()
                    .flat_map(|s| &s.fields)
                    .filter(|f| f.field == "resources.ARN")
                    .flat_map(|f| f.equals.iter().chain(&f.starts_with))
                    .collect(),
                Selectors::Default | Selectors::Unknown => Vec::new(),
            };
            for value in values.iter().filter_map(|v| v.as_lit()) {
                for name in value.split([':', '/']).filter(|n| !n.is_empty()) {
                    let trails = hints.entry(name.to_owned()).or_default();
                    if trails.last() != Some(&index) {
                        trails.push(index);
                    }
                }
            }
        }
        TrailHints(hints)
    }

    /// The trails whose selectors name the candidate's resource, in order.
    fn of(&self, candidate: &Candidate) -> &[usize] {
        candidate
            .resource
            .as_ref()
            .and_then(|named| named.value.as_lit())
            .and_then(|name| self.0.get(name))
            .map_or(&[], Vec::as_slice)
    }
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
        Bus::Custom(name) if forwarded(deployment, name) == Tri::Unknown => Outcome::NotAnalysed,
        Bus::Custom(name) if forwarded(deployment, name) == Tri::No => branches
            .iter()
            .find_map(events::aws_events_span)
            .map_or(Outcome::NotAnalysed, |span| Outcome::WrongBus { span }),
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
    let mut silent_buckets = Vec::new();
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
            silent_buckets.extend(silent_bucket(deployment, &named.value).map(|bucket| {
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
        for candidate in candidates.into_iter().filter(|c| !is_misspelt(c)) {
            verdicts.push(Verdict {
                delivery: delivery(cx, rule, &candidate),
                outside_global_region: is_global(&candidate)
                    && rule.region.as_deref().is_some_and(|r| {
                        in_aws_partition(r) && r != crate::catalog::catalog().global_region
                    }),
                state_blocks: state_blocks(rule.state, &candidate),
                candidate,
            });
        }
    }
    Outcome::Events {
        verdicts,
        silent_buckets,
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

/// Whether AWS events reach the custom bus `name`: `No` only for a bus declared in the inputs,
/// open to no other sender by a policy, that no rule on the default bus targets. A bus
/// declared elsewhere may be fed from another account.
fn forwarded(deployment: &Deployment, name: &Text) -> Tri {
    let name = bus_name(name);
    let declared = Tri::any(deployment.buses.iter().map(|bus| bus.name.equals(&name)));
    if declared != Tri::Yes {
        return Tri::Unknown;
    }
    let open = Tri::any(
        deployment
            .buses
            .iter()
            .filter(|bus| bus.name.equals(&name) == Tri::Yes)
            .map(|bus| match bus.has_policy {
                Some(b) => Tri::from_bool(b),
                None => Tri::Unknown,
            })
            .chain(
                deployment
                    .bus_policies
                    .iter()
                    .map(|policy| bus_name(policy).equals(&name)),
            ),
    );
    if open != Tri::No {
        return Tri::Unknown;
    }
    let mut arn_suffix = Text::lit(":event-bus/");
    arn_suffix.append(&name);
    Tri::any(deployment.targets.iter().map(|target| {
        let from_default = match &target.bus {
            Bus::Default => Tri::Yes,
            Bus::Unknown => Tri::Unknown,
            Bus::Custom(_) => Tri::No,
        };
        from_default.and(target.arn.ends_with(&arn_suffix))
    }))
}

/// The name of a bus given by name or ARN.
fn bus_name(text: &Text) -> Text {
    match text.split_once('/') {
        Some((head, tail)) if head.ends_with(&Text::lit(":event-bus")) == Tri::Yes => tail,
        _ => text.clone(),
    }
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
    let all: Vec<usize> = (0..deployment.trails.len()).collect();
    let verdict = delivery_among(cx, rule, candidate, &all);
    // A trail whose `Condition` may be false may not exist: the verdict stands only if it is
    // the same without it.
    let certain: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| deployment.trails[i].created == Some(true))
        .collect();
    if certain.len() == all.len() || delivery_among(cx, rule, candidate, &certain) == verdict {
        verdict
    } else {
        Delivery::Unknown
    }
}

/// The verdict when exactly the trails in `all` exist.
fn delivery_among(cx: &Cx<'_>, rule: &EventRule, candidate: &Candidate, all: &[usize]) -> Delivery {
    let trails = &cx.deployment.trails;
    if all.is_empty() {
        return Delivery::NoTrail;
    }
    let all = all.to_vec();
    let catalog = crate::catalog::catalog();
    let global = is_global(candidate);
    // Global service events are recorded in the global region, wherever the rule is; that
    // region is known for the `aws` partition only.
    let region = match (global, rule.region.as_deref()) {
        (true, Some(region)) if in_aws_partition(region) => Some(catalog.global_region.as_str()),
        (true, _) => None,
        (false, region) => region,
    };
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
    chain(trails, &pool, cx.hints.of(candidate), candidate, region)
}

/// Logging and selection, among the trails in `pool`.
fn chain(
    trails: &[Trail],
    pool: &[usize],
    hinted: &[usize],
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
    let certain = |trail: &Trail| {
        trail.is_logging == Some(true)
            && covers_region(trail, region) == Tri::Yes
            && (!is_global(candidate) || trail.include_global == Some(true))
    };
    // The trails that name the candidate's resource first: one that certainly delivers settles
    // the verdict without trying the others (`logging` is in ascending order, as `pool` is).
    if hinted
        .iter()
        .filter(|i| logging.binary_search(i).is_ok())
        .any(|&i| certain(&trails[i]) && coverage::admits(&trails[i], candidate) == Admission::Yes)
    {
        return Delivery::Delivered;
    }
    let mut misses = Vec::new();
    let mut unknown = false;
    for &index in &logging {
        let trail = &trails[index];
        match coverage::admits(trail, candidate) {
            Admission::Yes if certain(trail) => return Delivery::Delivered,
            Admission::Yes | Admission::Unknown => unknown = true,
            Admission::No(miss) => misses.push((index, miss)),
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
