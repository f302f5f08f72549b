//! The rules as users see them: ID, name, default severity and documentation page, declared
//! once each in [`rules!`] below. The config, the command line, the checks and the renderers
//! all look rules up here; this module depends on nothing else in the crate.
//!
//! A rule's logic is its check, `checks/tcNNN.rs`; its page is `rules/TCNNN-name.md`, what
//! `trailcheck explain` prints. Rule IDs are never reused.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// What a rule is about, by the hundreds of its ID (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// TC1xx: the events never reach the rule.
    Delivery,
    /// TC2xx: the pattern is wrong in itself.
    Pattern,
    /// TC3xx: the rule fires, but its target never runs.
    Target,
}

/// A lint rule as users see it: `TC103` `data-events-not-logged`, with its documentation page.
#[derive(Debug)]
pub struct RuleInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// The page in `rules/`, printed by `trailcheck explain`.
    pub doc: &'static str,
}

impl RuleInfo {
    /// The page's one-line summary: its first paragraph after the title.
    pub fn summary(&self) -> &'static str {
        self.doc
            .lines()
            .skip_while(|line| line.starts_with('#') || line.trim().is_empty())
            .find(|line| !line.trim().is_empty())
            .unwrap_or_default()
            .trim()
    }

    pub fn family(&self) -> Family {
        match self.id.as_bytes().get(2) {
            Some(b'2') => Family::Pattern,
            Some(b'3') => Family::Target,
            _ => Family::Delivery,
        }
    }

    /// The file name of the rule's page in `rules/`: `TC103-data-events-not-logged.md`.
    pub fn page(&self) -> String {
        format!("{}-{}.md", self.id, self.name)
    }
}

/// Declares each rule as a `static` named by its ID, and [`ALL`] in ID order. The page is
/// `rules/ID-name.md`.
macro_rules! rules {
    ($($id:ident $name:literal $severity:ident;)*) => {
        $(
            pub static $id: RuleInfo = RuleInfo {
                id: stringify!($id),
                name: $name,
                severity: Severity::$severity,
                doc: include_str!(concat!("../rules/", stringify!($id), "-", $name, ".md")),
            };
        )*
        /// Every rule, in ID order.
        pub static ALL: &[&RuleInfo] = &[$(&$id),*];
    };
}

rules! {
    TC101 "no-trail" Error;
    TC102 "trail-not-logging" Error;
    TC103 "data-events-not-logged" Error;
    TC104 "read-write-excluded" Error;
    TC105 "management-events-not-logged" Error;
    TC106 "read-only-events-need-state" Error;
    TC107 "insights-not-logged" Error;
    TC108 "global-event-region" Error;
    TC109 "trail-region-not-covered" Error;
    TC110 "custom-bus-aws-events" Error;
    TC111 "s3-notifications-disabled" Error;
    TC112 "network-activity-not-logged" Error;
    TC113 "invalid-trail-selector" Error;
    TC201 "invalid-event-pattern" Error;
    TC202 "unknown-detail-type" Error;
    TC203 "event-source-mismatch" Error;
    TC204 "unknown-event-name" Warning;
    TC205 "field-never-present" Error;
    TC206 "unknown-detail-field" Warning;
    TC301 "target-not-permitted" Error;
    TC302 "target-key-unusable" Error;
    TC303 "target-role-required" Error;
    TC304 "target-role-cannot-deliver" Error;
    TC305 "dead-letter-queue-unusable" Error;
    TC306 "fifo-target-without-group" Error;
    TC307 "target-input-invalid" Error;
    TC308 "too-many-targets" Error;
}

/// The rule with this ID (any case) or name.
pub fn find(id_or_name: &str) -> Option<&'static RuleInfo> {
    ALL.iter()
        .copied()
        .find(|info| info.id.eq_ignore_ascii_case(id_or_name) || info.name == id_or_name)
}

/// What to say of a rule ID or name that no rule has: the nearest rules when it is a near miss
/// (an ID one edit away, a name a few edits away), else where the list is.
pub fn unknown(written: &str) -> String {
    let lower = written.to_ascii_lowercase();
    let distance = |info: &RuleInfo| {
        let id = strsim::osa_distance(&lower, &info.id.to_ascii_lowercase());
        let name = strsim::osa_distance(&lower, info.name);
        let name_close = name <= 3 && name * 3 <= info.name.len();
        match (id <= 1, name_close) {
            (true, true) => Some(id.min(name)),
            (true, false) => Some(id),
            (false, true) => Some(name),
            (false, false) => None,
        }
    };
    let scored: Vec<(usize, &RuleInfo)> = ALL
        .iter()
        .filter_map(|info| distance(info).map(|d| (d, *info)))
        .collect();
    let Some(best) = scored.iter().map(|(d, _)| *d).min() else {
        return format!("no rule is called `{written}`; `trailcheck rules` lists them all");
    };
    let nearest: Vec<String> = scored
        .iter()
        .filter(|(d, _)| *d == best)
        .take(3)
        .map(|(_, info)| format!("`{}` ({})", info.id, info.name))
        .collect();
    format!(
        "no rule is called `{written}`; did you mean {}?",
        nearest.join(" or ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_rules_get_the_nearest() {
        assert_eq!(
            unknown("TC13"),
            "no rule is called `TC13`; did you mean `TC103` (data-events-not-logged) or `TC113` (invalid-trail-selector)?"
        );
        assert!(unknown("tc1O3").contains("did you mean `TC103`"));
        assert!(
            unknown("data-event-not-logged")
                .ends_with("did you mean `TC103` (data-events-not-logged)?")
        );
        assert!(unknown("no-trails").contains("`TC101` (no-trail)"));
        assert_eq!(
            unknown("TC9"),
            "no rule is called `TC9`; `trailcheck rules` lists them all"
        );
        assert!(unknown("cloudtrail").ends_with("`trailcheck rules` lists them all"));
    }

    #[test]
    fn rule_ids_and_names_are_unique_ordered_and_documented() {
        let ids: Vec<&str> = ALL.iter().map(|info| info.id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted, "IDs unique and in order");
        let mut names: Vec<&str> = ALL.iter().map(|info| info.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len(), "names unique");
        for info in ALL {
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
    fn rules_are_found_by_id_or_name() {
        assert_eq!(find("tc103").map(|r| r.id), Some("TC103"));
        assert_eq!(find("read-write-excluded").map(|r| r.id), Some("TC104"));
        assert!(find("TC1O1").is_none());
    }
}
