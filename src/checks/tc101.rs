//! TC101 `no-trail`: the rule matches CloudTrail events and no trail exists at all.
//!
//! On real repositories the trail often lives outside the files (an organization trail, one
//! created by hand), so the help gives both ways forward: declare a trail here, or describe the
//! one outside. When several rules of a run share the cause, the second way is said once, in a
//! note of the run ([`share`]), not under every finding.

use super::fix::{self, Edit, Selection};
use super::words::events_phrase;
use super::{Context, Report, wanted};
use crate::analysis::Delivery;
use crate::finding::{Finding, Related};
use crate::model::ReadWrite;
use crate::rules;

/// How many parameters that take a trail a finding points at.
const PARAMETERS_SHOWN: usize = 3;

/// Where the help's second way forward starts: a trail outside the inputs.
const OUTSIDE: &str = "Or, if a trail outside these files logs these events";

/// What a finding that shares the second way forward says instead of it.
const SEE_NOTE: &str = "Or, if a trail outside these files logs these events, describe it: see the note after the findings.";

/// Fires once per rule whose CloudTrail events find no trail at all, in the inputs or outside
/// them.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    let deployment = cx.deployment;
    for (rule, verdicts) in cx.verdicts() {
        let missing: Vec<_> = verdicts
            .iter()
            .filter(|v| v.delivery == Delivery::NoTrail)
            .collect();
        let Some(first) = missing.first() else {
            continue;
        };
        let finding = out.on_rule(
            rule,
            first.candidate.detail_span,
            format!(
                "no CloudTrail trail exists in the inputs, so {} never reach this rule",
                events_phrase(&missing)
            ),
        );
        finding.label = "only a CloudTrail trail delivers these events".to_owned();
        let selection = Selection {
            data: missing.iter().find_map(|v| wanted::data(&v.candidate)),
            read_write: ReadWrite::All,
        };
        finding.help = Some(format!(
            "EventBridge receives CloudTrail events only from a trail that logs them; declare one, for example:\n{}\n{OUTSIDE} (an organization trail, one created by hand), describe it in trailcheck.toml:\n{}\nor check against the trail as AWS reports it: `aws cloudtrail get-event-selectors --trail-name NAME > trails.json`, then `trailcheck check --external-trails trails.json`.",
            Edit::DeclareTrail(&selection).write(rule.dialect),
            fix::outside_trail(&selection),
        ));
        // A parameter that takes a trail says the trail is made elsewhere: those of the rule's
        // own file first.
        let mut parameters: Vec<_> = deployment.trail_parameters.iter().collect();
        parameters.sort_by_key(|p| p.loc.file != rule.loc.file);
        finding.related = parameters
            .into_iter()
            .take(PARAMETERS_SHOWN)
            .map(|parameter| Related {
                loc: parameter.loc,
                resource: parameter.name.clone(),
                message: format!(
                    "parameter `{}` takes a trail, so one may exist outside these files: if it logs these events, describe it in trailcheck.toml (see the help)",
                    parameter.name
                ),
            })
            .collect();
    }
}

/// When several TC101 of a run share their cause, the way to describe a trail outside the
/// files is said once: each finding's help points at the note returned here.
pub(super) fn share(findings: &mut [Finding]) -> Option<String> {
    let mut ours: Vec<&mut Finding> = findings
        .iter_mut()
        .filter(|f| f.rule.id == rules::TC101.id)
        .collect();
    if ours.len() < 2 {
        return None;
    }
    let count = ours.len();
    for finding in &mut ours {
        if let Some(help) = &mut finding.help
            && let Some(at) = help.find(OUTSIDE)
        {
            help.truncate(at);
            help.push_str(SEE_NOTE);
        }
    }
    Some(format!(
        "{count} rules find no CloudTrail trail in these files. If a trail outside them logs their events (an organization trail, one created by hand), describe it in trailcheck.toml (the preset is an organization trail logging management events; add the data events a rule's help lists as `EventSelectors`):\n{}\nor check against the trail as AWS reports it: `aws cloudtrail get-event-selectors --trail-name NAME > trails.json`, then `trailcheck check --external-trails trails.json`.",
        fix::outside_trail(&Selection {
            data: None,
            read_write: ReadWrite::All,
        })
    ))
}
