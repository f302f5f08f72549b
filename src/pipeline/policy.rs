//! Which findings a run keeps, and at what severity: `--select` and `--ignore`, the config's
//! rules, severities and `[[ignore]]` entries, and each rule's own `Metadata` suppressions.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::ResourceIgnore;
use crate::finding::Finding;
use crate::model::Deployment;
use crate::rules::{self, RuleInfo, Severity};
use crate::source::FileId;

#[derive(Debug, Default)]
pub struct Policy<'c> {
    /// When not empty, only these rules run.
    pub select: Vec<&'static str>,
    pub ignore: Vec<&'static str>,
    pub severity: BTreeMap<&'static str, Severity>,
    pub resource_ignores: &'c [ResourceIgnore],
}

impl Policy<'_> {
    /// Whether the rule's check runs at all.
    pub fn runs(&self, rule: &RuleInfo) -> bool {
        (self.select.is_empty() || self.select.contains(&rule.id))
            && !self.ignore.contains(&rule.id)
    }

    /// Drops the suppressed findings and sets the severities the config overrides.
    pub fn apply(&self, deployment: &Deployment, findings: &mut Vec<Finding>) {
        let by_metadata = MetadataSuppressions::new(deployment);
        findings.retain(|finding| {
            !(self.ignored_by_config(finding) || by_metadata.suppresses(finding))
        });
        for finding in findings.iter_mut() {
            if let Some(severity) = self.severity.get(finding.rule.id) {
                finding.severity = *severity;
            }
        }
    }

    /// Whether a config `[[ignore]]` names the finding's resource and rule.
    fn ignored_by_config(&self, finding: &Finding) -> bool {
        self.resource_ignores.iter().any(|ignore| {
            ignore.resource.is_match(&finding.resource)
                && (ignore.rules.is_empty() || ignore.rules.contains(&finding.rule.id))
        })
    }
}

/// The rules each EventBridge rule's `Metadata: {trailcheck: {ignore: […]}}` turns off, by the
/// file and name of the rule that carries it: a suppression never reaches a rule of the same
/// name in another file.
struct MetadataSuppressions<'d>(HashMap<(FileId, &'d str), HashSet<&'static str>>);

impl<'d> MetadataSuppressions<'d> {
    fn new(deployment: &'d Deployment) -> Self {
        let mut by_rule: HashMap<(FileId, &str), HashSet<&'static str>> = HashMap::new();
        for rule in deployment.rules.iter().filter(|r| !r.suppressed.is_empty()) {
            let ids = rule
                .suppressed
                .iter()
                .filter_map(|(written, _)| rules::find(written))
                .map(|info| info.id);
            by_rule
                .entry((rule.loc.file, rule.name.as_str()))
                .or_default()
                .extend(ids);
        }
        MetadataSuppressions(by_rule)
    }

    fn suppresses(&self, finding: &Finding) -> bool {
        self.0
            .get(&(finding.loc.file, finding.resource.as_str()))
            .is_some_and(|ids| ids.contains(finding.rule.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--select` keeps only the rules it names, `--ignore` (and the config's) takes rules
    /// away, and an ignored rule stays off even when selected.
    #[test]
    fn select_and_ignore_choose_the_rules_that_run() {
        let rule = |id: &str| rules::find(id).expect("a rule");
        let policy = |select: &[&'static str], ignore: &[&'static str]| Policy {
            select: select.to_vec(),
            ignore: ignore.to_vec(),
            ..Policy::default()
        };
        assert!(policy(&[], &[]).runs(rule("TC101")));
        assert!(!policy(&["TC103"], &[]).runs(rule("TC101")));
        assert!(policy(&["TC103"], &[]).runs(rule("TC103")));
        assert!(!policy(&[], &["TC101"]).runs(rule("TC101")));
        assert!(policy(&[], &["TC101"]).runs(rule("TC103")));
        assert!(!policy(&["TC103"], &["TC103"]).runs(rule("TC103")));
    }
}
