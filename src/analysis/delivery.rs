//! The chain from CloudTrail to a rule, for one candidate: a trail must exist, cover the region
//! where the events are recorded (and, for global services, include them), be logging, and
//! select them. The first link that breaks is the verdict.
//!
//! Two ways give the same verdicts. The reference tries every trail ([`Pairing::exhaustive`]);
//! the indexed way ([`Pairing::indexed`]) tries only the trails that may deliver the candidate
//! (the trail index knows them), takes what the region, logging and global-event links say of
//! every other trail from pools computed once per region, and computes the verdict of a
//! candidate that names no resource of its own once for all candidates like it. So a
//! repository of thousands of stacks costs about the sum of its stacks, whatever its trails
//! do. `tests/pairing.rs` holds the two ways to the same verdicts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::coverage::{self, Admission};
use super::events::Candidate;
use super::index::TrailHints;
use super::{Delivery, Misses, TrailList, in_aws_partition, is_global};
use crate::model::{Deployment, EventRule, Trail};
use crate::value::Tri;

/// Pairing candidates with the deployment's trails.
pub(super) struct Pairing<'d> {
    deployment: &'d Deployment,
    /// `None` for the reference: every trail tried for every candidate.
    index: Option<Index>,
}

/// A recording region (unknown when `None`), and whether only the trails that certainly
/// exist count.
type PoolKey = (Option<String>, bool);

/// What the indexed way keeps between candidates.
struct Index {
    hints: TrailHints,
    /// The trails of each recording region, among every trail or only the certain ones.
    pools: Mutex<HashMap<PoolKey, Arc<Pool>>>,
    /// Verdicts of candidates that name no resource of their own, by what decides them.
    shared: Mutex<HashMap<String, Delivery>>,
    /// Whether some trail's `Condition` may be false.
    conditioned: bool,
}

impl<'d> Pairing<'d> {
    pub(super) fn indexed(deployment: &'d Deployment) -> Self {
        Pairing {
            deployment,
            index: Some(Index {
                hints: TrailHints::new(&deployment.trails),
                pools: Mutex::default(),
                shared: Mutex::default(),
                conditioned: deployment.trails.iter().any(|t| t.created != Some(true)),
            }),
        }
    }

    pub(super) fn exhaustive(deployment: &'d Deployment) -> Self {
        Pairing {
            deployment,
            index: None,
        }
    }

    /// The first broken link between CloudTrail and the rule for one candidate.
    pub(super) fn delivery(&self, rule: &EventRule, candidate: &Candidate) -> Delivery {
        let Some(index) = &self.index else {
            return full_delivery(self.deployment, rule, candidate);
        };
        let verdict = self.indexed_delivery(index, rule, candidate);
        debug_assert_eq!(
            verdict,
            full_delivery(self.deployment, rule, candidate),
            "the index changed a verdict"
        );
        verdict
    }

    fn indexed_delivery(&self, index: &Index, rule: &EventRule, candidate: &Candidate) -> Delivery {
        let region = recording_region(rule, candidate);
        // A candidate that names no resource of its own fares as every candidate like it.
        let Some(key) = index.hints.sharing_key(rule, candidate) else {
            if let Some(verdict) = index.hints.shared_verdict(rule, candidate, |unnamed| {
                self.verdict_among_relevant(index, unnamed, region)
            }) {
                return verdict;
            }
            return self.settled_or_among_relevant(index, candidate, region);
        };
        if let Ok(shared) = index.shared.lock()
            && let Some(verdict) = shared.get(&key)
        {
            return verdict.clone();
        }
        let verdict = self.settled_or_among_relevant(index, candidate, region);
        if let Ok(mut shared) = index.shared.lock() {
            shared.insert(key, verdict.clone());
        }
        verdict
    }

    /// The verdict, settled by the first trail that certainly delivers when one does: it
    /// passes every link of the chain, whatever the other trails are.
    fn settled_or_among_relevant(
        &self,
        index: &Index,
        candidate: &Candidate,
        region: Option<&str>,
    ) -> Delivery {
        let settled = index.hints.of(candidate).any(|i| {
            let trail = &self.deployment.trails[i];
            trail.created == Some(true)
                && certainly_records(trail, candidate, region)
                && coverage::admits(trail, candidate) == Admission::Yes
        });
        if settled {
            return Delivery::Delivered;
        }
        self.verdict_among_relevant(index, candidate, region)
    }

    /// The verdict from the trails that may deliver the candidate, with the pools of its
    /// recording region saying what the others do.
    fn verdict_among_relevant(
        &self,
        index: &Index,
        candidate: &Candidate,
        region: Option<&str>,
    ) -> Delivery {
        let relevant = index.hints.relevant(candidate);
        let all = self.pool(index, region, false);
        let verdict = among(&self.deployment.trails, &all, &relevant, candidate, region);
        if !index.conditioned {
            return verdict;
        }
        // As in `full_delivery`: the verdict stands only if the same link breaks without the
        // trails that may not exist.
        let certain = self.pool(index, region, true);
        let relevant: Vec<usize> = relevant
            .into_iter()
            .filter(|&i| self.deployment.trails[i].created == Some(true))
            .collect();
        let without = among(
            &self.deployment.trails,
            &certain,
            &relevant,
            candidate,
            region,
        );
        if same_link(&without, &verdict) {
            verdict
        } else {
            Delivery::Unknown
        }
    }

    fn pool(&self, index: &Index, region: Option<&str>, certain: bool) -> Arc<Pool> {
        let key = (region.map(str::to_owned), certain);
        if let Ok(pools) = index.pools.lock()
            && let Some(pool) = pools.get(&key)
        {
            return Arc::clone(pool);
        }
        let pool = Arc::new(Pool::new(&self.deployment.trails, region, certain));
        if let Ok(mut pools) = index.pools.lock() {
            pools.insert(key, Arc::clone(&pool));
        }
        pool
    }
}

/// What the region, logging and global-event links say of every trail, for one recording
/// region: computed once, whatever the candidate.
struct Pool {
    /// The trails considered: every trail, or only those that certainly exist.
    all: Vec<usize>,
    /// Whether some of them may cover the region.
    any_in_region: bool,
    /// The trails the chain goes on with: those that may cover the region, or all when none
    /// does.
    pool: TrailList,
    /// Whether each trail is in `pool`, by index.
    in_pool: Vec<bool>,
    /// Whether some trail of the pool may include global service events.
    pool_with_global: bool,
    /// The pool's trails that may be logging, in order.
    logging: Vec<usize>,
    /// Whether each trail is in `logging`, by index.
    is_logging: Vec<bool>,
}

impl Pool {
    fn new(trails: &[Trail], region: Option<&str>, certain: bool) -> Pool {
        let all: Vec<usize> = (0..trails.len())
            .filter(|&i| !certain || trails[i].created == Some(true))
            .collect();
        let in_region: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&i| covers_region(&trails[i], region) != Tri::No)
            .collect();
        let any_in_region = !in_region.is_empty();
        let pool = if any_in_region {
            in_region
        } else {
            all.clone()
        };
        let mut in_pool = vec![false; trails.len()];
        for &i in &pool {
            in_pool[i] = true;
        }
        let logging: Vec<usize> = pool
            .iter()
            .copied()
            .filter(|&i| trails[i].is_logging != Some(false))
            .collect();
        let mut is_logging = vec![false; trails.len()];
        for &i in &logging {
            is_logging[i] = true;
        }
        Pool {
            pool_with_global: pool
                .iter()
                .any(|&i| trails[i].include_global != Some(false)),
            all,
            any_in_region,
            pool: TrailList::new(pool),
            in_pool,
            logging,
            is_logging,
        }
    }
}

/// [`delivery_among`] for the trails of `pool`, trying only those in `relevant` (sorted):
/// every other trail certainly leaves the candidate's events out, and not for their read or
/// write class.
fn among(
    trails: &[Trail],
    pool: &Pool,
    relevant: &[usize],
    candidate: &Candidate,
    region: Option<&str>,
) -> Delivery {
    if pool.all.is_empty() {
        return Delivery::NoTrail;
    }
    let would_log = |keep: &dyn Fn(usize) -> bool| -> Vec<usize> {
        relevant
            .iter()
            .copied()
            .filter(|&i| keep(i))
            .filter(|&i| !matches!(coverage::admits(&trails[i], candidate), Admission::No(_)))
            .collect()
    };
    if !pool.any_in_region {
        // The relevant trails are among every trail considered.
        let elsewhere = would_log(&|_| true);
        if !elsewhere.is_empty() {
            return Delivery::WrongRegion {
                trails: TrailList::new(elsewhere),
            };
        }
    }
    if is_global(candidate) && !pool.pool_with_global {
        let excluding = would_log(&|i| pool.in_pool[i]);
        if !excluding.is_empty() {
            return Delivery::GlobalExcluded {
                trails: TrailList::new(excluding),
            };
        }
    }
    if pool.logging.is_empty() {
        return Delivery::NotLogging {
            trails: pool.pool.clone(),
        };
    }
    let mut read_write = None;
    let mut unknown = false;
    for &index in relevant.iter().filter(|&&i| pool.is_logging[i]) {
        let trail = &trails[index];
        match coverage::admits(trail, candidate) {
            Admission::Yes if certainly_records(trail, candidate, region) => {
                return Delivery::Delivered;
            }
            Admission::Yes | Admission::Unknown => unknown = true,
            Admission::No(miss) => {
                if read_write.is_none()
                    && matches!(miss.reason, coverage::MissReason::ReadWriteExcluded { .. })
                {
                    read_write = Some((index, miss));
                }
            }
        }
    }
    if unknown {
        return Delivery::Unknown;
    }
    let would_cover = would_log(&|i| pool.in_pool[i] && trails[i].is_logging == Some(false));
    if !would_cover.is_empty() {
        return Delivery::NotLogging {
            trails: TrailList::new(would_cover),
        };
    }
    // Every logging trail misses: the first ones say why.
    let first = pool
        .logging
        .iter()
        .take(Misses::KEPT)
        .filter_map(|&i| match coverage::admits(&trails[i], candidate) {
            Admission::No(miss) => Some((i, miss)),
            Admission::Yes | Admission::Unknown => None,
        })
        .collect();
    Delivery::NotSelected {
        misses: Misses {
            first,
            total: pool.logging.len(),
            read_write,
        },
    }
}

/// The verdict found by trying every trail.
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
            return Delivery::WrongRegion {
                trails: TrailList::new(elsewhere),
            };
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
                return Delivery::GlobalExcluded {
                    trails: TrailList::new(excluding),
                };
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
            trails: TrailList::new(pool.to_vec()),
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
            trails: TrailList::new(would_cover),
        };
    }
    Delivery::NotSelected { misses }
}

/// Whether a trail records events of `region`: a multi-region trail records every region, a
/// single-region trail its home region only
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html>).
fn covers_region(trail: &Trail, region: Option<&str>) -> Tri {
    match (trail.multi_region, trail.region.as_deref(), region) {
        (Some(true), _, _) => Tri::Yes,
        (Some(false), Some(home), Some(region)) => Tri::from_bool(home == region),
        _ => Tri::Unknown,
    }
}
