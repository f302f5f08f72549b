//! Facts → findings: one check per rule, one file per check.
//!
//! The analysis states what is true of each rule (the events it can match, the first link that
//! breaks for each, and why); each check decides, in its own file, when that is its finding,
//! groups the facts so that one root cause gives one finding, and writes the message, the label
//! and the fix. A check's rule (ID, name, severity, page) is declared in [`crate::rules`]; the
//! [`checks!`] table below pairs each rule with its check. Checks never print, and know nothing
//! of which findings a run keeps: selection, suppression and severity overrides are the
//! pipeline's policy.

mod fix;
mod notes;
mod target;
mod wanted;
mod words;
// The checks, one module each, declared here rather than by `checks!` so that tools that read
// the module tree without expanding macros (cargo-mutants among them) see them.
mod tc101;
mod tc102;
mod tc103;
mod tc104;
mod tc105;
mod tc106;
mod tc107;
mod tc108;
mod tc109;
mod tc110;
mod tc111;
mod tc112;
mod tc113;
mod tc201;
mod tc202;
mod tc203;
mod tc204;
mod tc205;
mod tc206;
mod tc301;
mod tc302;
mod tc303;
mod tc304;
mod tc305;
mod tc306;
mod tc307;
mod tc308;

use crate::analysis::shape::ShapeIssue;
use crate::analysis::targets::TargetReport;
use crate::analysis::{Delivery, Outcome, RuleReport, TrailList, Verdict};
use crate::finding::{Finding, Related};
use crate::model::{Deployment, EventRule, Trail};
use crate::rules::{self, RuleInfo};
use crate::source::{Loc, Span};

/// A check: the rule it reports, and the function that finds its findings.
pub struct Check {
    pub rule: &'static RuleInfo,
    run: fn(&Context<'_>, &mut Report<'_>),
}

/// Declares [`ALL`], pairing each check module with its rule in [`crate::rules`].
macro_rules! checks {
    ($($module:ident: $rule:ident,)*) => {
        /// Every check, in rule ID order.
        pub static ALL: &[Check] = &[$(Check { rule: &rules::$rule, run: $module::check }),*];
    };
}

checks! {
    tc101: TC101,
    tc102: TC102,
    tc103: TC103,
    tc104: TC104,
    tc105: TC105,
    tc106: TC106,
    tc107: TC107,
    tc108: TC108,
    tc109: TC109,
    tc110: TC110,
    tc111: TC111,
    tc112: TC112,
    tc113: TC113,
    tc201: TC201,
    tc202: TC202,
    tc203: TC203,
    tc204: TC204,
    tc205: TC205,
    tc206: TC206,
    tc301: TC301,
    tc302: TC302,
    tc303: TC303,
    tc304: TC304,
    tc305: TC305,
    tc306: TC306,
    tc307: TC307,
    tc308: TC308,
}

/// Advice that several findings of a run share, said once as notes of the run rather than under
/// each finding (whose help then points at the note): run on the findings a run reports.
pub fn shared_notes(findings: &mut [Finding]) -> Vec<String> {
    tc101::share(findings).into_iter().collect()
}

/// What every check reads: the deployment and the analysis's facts about each rule.
pub struct Context<'d> {
    pub deployment: &'d Deployment,
    pub reports: &'d [RuleReport<'d>],
    /// The target side: each target and what lets EventBridge deliver there.
    pub targets: TargetReport<'d>,
}

/// Where a check puts its findings: each is reported under the check's rule.
pub struct Report<'r> {
    rule: &'static RuleInfo,
    findings: &'r mut Vec<Finding>,
}

impl Report<'_> {
    /// A finding about an EventBridge rule, at `span` in the rule's file.
    fn on_rule(&mut self, rule: &EventRule, span: Span, message: String) -> &mut Finding {
        let loc = Loc {
            file: rule.loc.file,
            span,
        };
        self.at(loc, &rule.name, message)
    }

    /// A finding about the resource called `resource`, at `loc`.
    fn at(&mut self, loc: Loc, resource: &str, message: String) -> &mut Finding {
        self.findings.push(Finding {
            rule: self.rule,
            severity: self.rule.severity,
            message,
            label: String::new(),
            help: None,
            loc,
            resource: resource.to_owned(),
            related: Vec::new(),
            deployments: Vec::new(),
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }
}

/// Runs the checks of the rules `runs` accepts, in rule ID order. The findings are in the
/// order the checks found them.
pub fn run(
    deployment: &Deployment,
    reports: &[RuleReport<'_>],
    runs: impl Fn(&RuleInfo) -> bool,
) -> Vec<Finding> {
    let cx = Context {
        deployment,
        reports,
        targets: crate::analysis::targets::analyse(deployment),
    };
    let mut findings = Vec::new();
    for check in ALL.iter().filter(|check| runs(check.rule)) {
        let mut report = Report {
            rule: check.rule,
            findings: &mut findings,
        };
        (check.run)(&cx, &mut report);
    }
    for finding in &mut findings {
        if let Some(help) = &mut finding.help {
            help.truncate(help.trim_end().len());
        }
    }
    findings
}

impl Context<'_> {
    /// Each analysed rule with the facts about its events.
    fn verdicts(&self) -> impl Iterator<Item = (&EventRule, &[Verdict])> {
        self.reports
            .iter()
            .filter_map(|report| match &report.outcome {
                Outcome::Events { verdicts, .. } => Some((report.rule, verdicts.as_slice())),
                _ => None,
            })
    }

    fn trail(&self, index: usize) -> &Trail {
        &self.deployment.trails[index]
    }

    /// Each shape issue of each analysed rule.
    fn shape_issues(&self) -> impl Iterator<Item = (&EventRule, &ShapeIssue)> {
        self.reports
            .iter()
            .flat_map(|report| report.shape.iter().map(move |issue| (report.rule, issue)))
    }
}

/// The verdicts whose delivery names trails (`trails_of` picks one `Delivery` variant's), grouped
/// by those trails.
fn group_by_trails(
    verdicts: &[Verdict],
    trails_of: impl Fn(&Delivery) -> Option<&TrailList>,
) -> Vec<(TrailList, Vec<&Verdict>)> {
    let named = verdicts.iter().filter(|v| trails_of(&v.delivery).is_some());
    group_by(named, |v| {
        trails_of(&v.delivery)
            .cloned()
            .unwrap_or_else(|| TrailList::new(Vec::new()))
    })
}

/// Groups verdicts by a key, keeping the order in which keys first appear: one root cause,
/// one finding.
fn group_by<'v, K: PartialEq>(
    items: impl IntoIterator<Item = &'v Verdict>,
    key: impl Fn(&Verdict) -> K,
) -> Vec<(K, Vec<&'v Verdict>)> {
    let mut groups: Vec<(K, Vec<&Verdict>)> = Vec::new();
    for item in items {
        let k = key(item);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, members)) => members.push(item),
            None => groups.push((k, vec![item])),
        }
    }
    groups
}

/// A note pointing at a trail, or at the part of it at `span`.
fn related(trail: &Trail, span: Option<Span>, message: String) -> Related {
    Related {
        loc: Loc {
            file: trail.loc.file,
            span: span.unwrap_or(trail.loc.span),
        },
        resource: trail.name.clone(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule has exactly one check, in the same order as the registry.
    #[test]
    fn every_rule_has_its_check() {
        let checked: Vec<&str> = ALL.iter().map(|check| check.rule.id).collect();
        let declared: Vec<&str> = rules::ALL.iter().map(|rule| rule.id).collect();
        assert_eq!(checked, declared);
    }
}
