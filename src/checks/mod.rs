//! Verdicts → findings: one file per rule ID.
//!
//! Each check reads the analysis's verdicts, keeps those that are its business, groups them so
//! that one root cause gives one finding, and writes the message, the label and the fix. Checks
//! never print; severity overrides and ordering are applied once, in [`run`].

mod fix;
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

use crate::analysis::coverage::{Miss, MissReason};
use crate::analysis::events::{Candidate, Class, EventName};
use std::collections::BTreeMap;

use crate::analysis::shape::ShapeIssue;
use crate::analysis::{Delivery, Outcome, RuleReport, Verdict};
use crate::catalog::ArnShape;
use crate::finding::{Finding, Related, RuleInfo};
use crate::model::{Deployment, EventRule, ReadWrite, Selectors, Trail};
use crate::source::{Loc, Span};
use crate::value::{Piece, Pseudo, Symbol, Text};

/// A check: one lint rule.
pub trait Check: Sync {
    fn info(&self) -> &'static RuleInfo;
    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// What every check reads.
pub struct Context<'d> {
    pub deployment: &'d Deployment,
    pub reports: &'d [RuleReport<'d>],
}

/// Every check, in rule ID order.
pub static ALL: &[&dyn Check] = &[
    &tc101::Check,
    &tc102::Check,
    &tc103::Check,
    &tc104::Check,
    &tc105::Check,
    &tc106::Check,
    &tc107::Check,
    &tc108::Check,
    &tc109::Check,
    &tc110::Check,
    &tc111::Check,
    &tc112::Check,
    &tc113::Check,
    &tc201::Check,
    &tc202::Check,
    &tc203::Check,
    &tc204::Check,
    &tc205::Check,
];

/// The rule with this ID or name.
pub fn find(id_or_name: &str) -> Option<&'static RuleInfo> {
    ALL.iter()
        .map(|check| check.info())
        .find(|info| info.id.eq_ignore_ascii_case(id_or_name) || info.name == id_or_name)
}

/// Which findings a run keeps, and at what severity: the command line's `--select` and
/// `--ignore`, and the config's rules, severities and resource suppressions.
#[derive(Debug, Default)]
pub struct Policy<'c> {
    /// When not empty, only these rules run.
    pub select: Vec<&'static str>,
    pub ignore: Vec<&'static str>,
    pub severity: BTreeMap<&'static str, crate::finding::Severity>,
    pub resource_ignores: &'c [crate::config::ResourceIgnore],
}

impl Policy<'_> {
    fn runs(&self, id: &str) -> bool {
        (self.select.is_empty() || self.select.contains(&id)) && !self.ignore.contains(&id)
    }

    /// Whether a finding is suppressed by a config `[[ignore]]` or by its rule's own metadata.
    fn suppressed(&self, deployment: &Deployment, finding: &Finding) -> bool {
        let id = finding.rule.id;
        let by_config = self.resource_ignores.iter().any(|ignore| {
            ignore.resource.is_match(&finding.resource)
                && (ignore.rules.is_empty() || ignore.rules.contains(&id))
        });
        let by_metadata = deployment
            .rules
            .iter()
            .filter(|rule| rule.loc.file == finding.loc.file && rule.name == finding.resource)
            .flat_map(|rule| &rule.suppressed)
            .any(|(written, _)| find(written).is_some_and(|info| info.id == id));
        by_config || by_metadata
    }
}

/// Runs every check the policy selects and returns the findings it keeps, in a stable order:
/// by file, position, rule.
pub fn run(
    deployment: &Deployment,
    reports: &[RuleReport<'_>],
    policy: &Policy<'_>,
) -> Vec<Finding> {
    let cx = Context {
        deployment,
        reports,
    };
    let mut findings = Vec::new();
    for check in ALL.iter().filter(|check| policy.runs(check.info().id)) {
        check.run(&cx, &mut findings);
    }
    findings.retain(|finding| !policy.suppressed(deployment, finding));
    for finding in &mut findings {
        if let Some(severity) = policy.severity.get(finding.rule.id) {
            finding.severity = *severity;
        }
    }
    for finding in &mut findings {
        if let Some(help) = &mut finding.help {
            help.truncate(help.trim_end().len());
        }
    }
    findings.sort_by(|a, b| {
        let path = |f: &Finding| deployment.file(f.loc.file).display_path();
        (path(a), a.loc.span, a.rule.id, &a.message).cmp(&(
            path(b),
            b.loc.span,
            b.rule.id,
            &b.message,
        ))
    });
    findings.dedup_by(|a, b| a.rule.id == b.rule.id && a.loc == b.loc && a.message == b.message);
    findings
}

impl Context<'_> {
    /// Each analysed rule with its verdicts.
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

    /// The notes on why each trail leaves a verdict's events out.
    /// A deployment with dozens of trails gets the first [`MAX_MISS_NOTES`], and the last of
    /// them says how many more there are.
    fn miss_notes(&self, verdict: &Verdict) -> Vec<Related> {
        let misses = misses(verdict);
        let mut notes: Vec<Related> = misses
            .iter()
            .take(MAX_MISS_NOTES)
            .map(|(index, miss)| miss_note(self, *index, miss, &verdict.candidate))
            .collect();
        let more = miss_total(verdict).saturating_sub(notes.len());
        if let (Some(last), true) = (notes.last_mut(), more > 0) {
            let trails = if more == 1 { "trail" } else { "trails" };
            last.message.push_str(&format!(
                " (and {more} more {trails} leave these events out)"
            ));
        }
        notes
    }

    /// "set `IsLogging: true` on trail `A`; set … on trail `B`", in each trail's language.
    fn set_on_trails(&self, trails: &[usize], cfn_key: &str, tf_key: &str, value: &str) -> String {
        trails
            .iter()
            .map(|&i| {
                let trail = self.trail(i);
                format!(
                    "set `{}` on trail `{}`",
                    fix::assignment(trail.dialect, cfn_key, tf_key, value),
                    trail.name
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The most trails a finding explains one by one: all the analysis keeps.
const MAX_MISS_NOTES: usize = crate::analysis::Misses::KEPT;

/// A verdict's events that the selector check `id` owns (see [`selection_rule`]).
fn owned_by<'v>(verdicts: &'v [Verdict], id: &'static str) -> impl Iterator<Item = &'v Verdict> {
    verdicts
        .iter()
        .filter(move |v| selection_rule(v) == Some(id))
}

/// A finding about `rule` at `span` in the rule's file.
fn finding(info: &'static RuleInfo, rule: &EventRule, span: Span, message: String) -> Finding {
    Finding {
        rule: info,
        severity: info.severity,
        message,
        label: String::new(),
        help: None,
        loc: Loc {
            file: rule.loc.file,
            span,
        },
        resource: rule.name.clone(),
        related: Vec::new(),
    }
}

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

/// The verdicts whose delivery names trails (`trails_of` picks one `Delivery` variant's), grouped
/// by those trails.
fn group_by_trails(
    verdicts: &[Verdict],
    trails_of: impl Fn(&Delivery) -> Option<&Vec<usize>>,
) -> Vec<(Vec<usize>, Vec<&Verdict>)> {
    let named = verdicts.iter().filter(|v| trails_of(&v.delivery).is_some());
    group_by(named, |v| {
        trails_of(&v.delivery).cloned().unwrap_or_default()
    })
}

/// Groups items by a key, keeping the order in which keys first appear.
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

/// Where a candidate's event name is written (the `detail-type` when it names none).
fn name_span(candidate: &Candidate) -> Span {
    match &candidate.name {
        EventName::Exact(named) => named.span,
        EventName::Open {
            span: Some(span), ..
        } => *span,
        EventName::Open { span: None, .. } => candidate.detail_span,
    }
}

/// "`GetObject` events", "`GetObject` and `HeadObject` events", "events from
/// `ec2.amazonaws.com`", "`AWS API Call via CloudTrail` events".
fn events_phrase(verdicts: &[&Verdict]) -> String {
    let mut names: Vec<String> = Vec::new();
    for verdict in verdicts {
        if let EventName::Exact(named) = &verdict.candidate.name {
            let name = format!("`{}`", named.value);
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    if !names.is_empty() {
        return format!("{} events", list(&names));
    }
    let mut sources: Vec<String> = Vec::new();
    for verdict in verdicts {
        if let Some(source) = &verdict.candidate.source {
            let source = format!("`{}`", source.value);
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
    }
    if sources.is_empty() {
        let detail = verdicts
            .first()
            .map_or("CloudTrail", |v| detail_name(v.candidate.detail));
        format!("`{detail}` events")
    } else {
        format!("events from {}", list(&sources))
    }
}

fn detail_name(kind: crate::catalog::DetailKind) -> &'static str {
    crate::catalog::catalog()
        .cloudtrail_detail_types
        .iter()
        .find(|d| d.kind == kind)
        .map_or("CloudTrail", |d| d.name.as_str())
}

/// "a", "a and b", "a, b and c", "a, b, c and 4 more".
fn list(items: &[String]) -> String {
    const SHOWN: usize = 3;
    match items {
        [] => String::new(),
        [one] => one.clone(),
        _ if items.len() <= SHOWN + 1 => {
            let (last, rest) = items.split_last().unwrap_or((&items[0], &[]));
            format!("{} and {last}", rest.join(", "))
        }
        _ => format!(
            "{} and {} more",
            items[..SHOWN].join(", "),
            items.len() - SHOWN
        ),
    }
}

/// "bucket", "function", "table": what a data candidate's resource is, when the branch names it.
fn resource_kind(candidate: &Candidate) -> Option<&'static str> {
    let Class::Data { resource_type, .. } = candidate.class else {
        return None;
    };
    candidate.resource.as_ref()?;
    Some(match resource_type.arn? {
        ArnShape::S3Object => "bucket",
        ArnShape::LambdaFunction => "function",
        ArnShape::DynamoDbTable => "table",
    })
}

/// "bucket `my-bucket`", "function `resize`", "table `orders`"; "bucket resource `Uploads`"
/// when the name is the one CloudFormation generates for a resource.
fn resource_phrase(candidate: &Candidate) -> Option<String> {
    let kind = resource_kind(candidate)?;
    let named = candidate.resource.as_ref()?;
    Some(match named.value.pieces() {
        [Piece::Sym(symbol @ Symbol::Generated(_))] => {
            format!("{kind} resource `{}`", symbol.label())
        }
        _ => format!("{kind} `{}`", named.value),
    })
}

/// What a trail must select for a data candidate: its type and the ARN (prefix) of its
/// resource, or of every resource of the type when the branch names none.
fn data_fix(candidate: &Candidate) -> Option<fix::DataFix> {
    let Class::Data { resource_type, .. } = candidate.class else {
        return None;
    };
    let arn = resource_type.arn.map(|shape| {
        let service = shape.service();
        let Some(named) = &candidate.resource else {
            return Text::lit(format!("arn:aws:{service}"));
        };
        if named.value.as_lit().is_some_and(|v| v.starts_with("arn:")) {
            return named.value.clone();
        }
        let pseudo = Text::pseudo;
        // A literal ARN where it can be one; `Fn::Sub` with the pseudo parameters otherwise.
        let mut arn = Text::lit("arn:");
        match shape {
            ArnShape::S3Object => {
                if named.value.as_lit().is_some() {
                    arn.push_str("aws");
                } else {
                    arn.append(&pseudo(Pseudo::Partition));
                }
                arn.push_str(":s3:::");
                arn.append(&named.value);
                arn.push_str("/");
            }
            ArnShape::LambdaFunction | ArnShape::DynamoDbTable => {
                arn.append(&pseudo(Pseudo::Partition));
                arn.push_str(&format!(":{service}:"));
                arn.append(&pseudo(Pseudo::Region));
                arn.push_str(":");
                arn.append(&pseudo(Pseudo::AccountId));
                arn.push_str(if shape == ArnShape::LambdaFunction {
                    ":function:"
                } else {
                    ":table/"
                });
                arn.append(&named.value);
            }
        }
        arn
    });
    Some(fix::DataFix {
        resource_type: resource_type.resource_type.clone(),
        prefix: resource_type.arn == Some(ArnShape::S3Object) || candidate.resource.is_none(),
        basic: resource_type.basic_selectors,
        arn,
    })
}

/// Which of the selector checks owns a verdict whose events every logging trail drops: TC104
/// when some trail selects them but filters their read/write class out, else TC103 for data
/// events and TC105 for management events.
fn selection_rule(verdict: &Verdict) -> Option<&'static str> {
    let Delivery::NotSelected { misses } = &verdict.delivery else {
        return None;
    };
    if misses.read_write.is_some() {
        return Some("TC104");
    }
    match verdict.candidate.class {
        Class::Data { .. } => Some("TC103"),
        Class::Management { .. } => Some("TC105"),
        Class::Insight => Some("TC107"),
        Class::NetworkActivity => Some("TC112"),
        Class::Unclassified => None,
    }
}

/// The first trails' misses of a verdict ([`Misses::KEPT`] at most), in the trails' order.
fn misses(verdict: &Verdict) -> &[(usize, Miss)] {
    match &verdict.delivery {
        Delivery::NotSelected { misses } => &misses.first,
        _ => &[],
    }
}

/// How many trails miss a verdict's events.
fn miss_total(verdict: &Verdict) -> usize {
    match &verdict.delivery {
        Delivery::NotSelected { misses } => misses.total,
        _ => 0,
    }
}

/// Why one trail does not log a candidate, as a note on that trail.
fn miss_note(cx: &Context<'_>, index: usize, miss: &Miss, candidate: &Candidate) -> Related {
    let trail = cx.trail(index);
    let name = &trail.name;
    let data_type = match candidate.class {
        Class::Data { resource_type, .. } => resource_type.resource_type.as_str(),
        _ => "",
    };
    let message = match &miss.reason {
        MissReason::NoDataSelector if matches!(trail.selectors, Selectors::Default) => {
            format!("trail `{name}` logs management events only")
        }
        MissReason::NoDataSelector => {
            format!("trail `{name}` selects no `{data_type}` data events")
        }
        MissReason::ResourceNotSelected => match resource_phrase(candidate) {
            Some(resource) => {
                format!("trail `{name}` selects `{data_type}` data events, but not for {resource}")
            }
            None => {
                format!("trail `{name}` selects `{data_type}` data events of other resources only")
            }
        },
        MissReason::NameExcluded => match candidate.name.exact() {
            Some(event) => {
                format!("an `eventName` condition of trail `{name}` leaves out `{event}`")
            }
            None => format!("the `eventName` conditions of trail `{name}` leave these events out"),
        },
        MissReason::ManagementExcluded => format!("trail `{name}` logs no management events"),
        MissReason::NoInsightSelectors => match &candidate.insight_type {
            Some(wanted) => format!("trail `{name}` has no `{}` insight selector", wanted.value),
            None => format!("trail `{name}` has no insight selectors"),
        },
        MissReason::NoNetworkSelector => match &candidate.source {
            Some(source) => format!(
                "trail `{name}` has no network activity selector for `{}`",
                source.value
            ),
            None => format!("trail `{name}` logs no network activity events"),
        },
        MissReason::SourceExcluded(source) => {
            format!("trail `{name}` excludes management events from `{source}`")
        }
        MissReason::ReadWriteExcluded { logs } => format!(
            "trail `{name}` logs {} events only",
            if *logs == ReadWrite::ReadOnly {
                "read"
            } else {
                "write"
            }
        ),
    };
    related(trail, miss.span, message)
}

/// "trail `AuditTrail`", "trails `A` and `B`".
fn trails_phrase(cx: &Context<'_>, indexes: &[usize]) -> String {
    let names: Vec<String> = indexes
        .iter()
        .map(|&i| format!("`{}`", cx.trail(i).name))
        .collect();
    if names.len() == 1 {
        format!("trail {}", names[0])
    } else {
        format!("trails {}", list(&names))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_and_names_are_unique_and_documented() {
        let mut ids: Vec<&str> = ALL.iter().map(|c| c.info().id).collect();
        let mut names: Vec<&str> = ALL.iter().map(|c| c.info().name).collect();
        ids.sort_unstable();
        names.sort_unstable();
        ids.dedup();
        names.dedup();
        assert_eq!(ids.len(), ALL.len());
        assert_eq!(names.len(), ALL.len());
        for check in ALL {
            let info = check.info();
            assert!(
                info.doc
                    .starts_with(&format!("# {} `{}`", info.id, info.name)),
                "{} page must start with its title",
                info.id
            );
            assert!(!info.summary().is_empty(), "{} has no summary", info.id);
        }
    }

    #[test]
    fn lists_read_naturally() {
        let items: Vec<String> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(list(&items[..1]), "a");
        assert_eq!(list(&items[..2]), "a and b");
        assert_eq!(list(&items[..4]), "a, b, c and d");
        assert_eq!(list(&items), "a, b, c and 2 more");
    }
}
