//! Findings: what a check reports, as plain data.
//!
//! A finding names its rule, says what is wrong in the user's terms, points at the pattern
//! element responsible and at the trails that were considered, and gives the fix. It carries
//! locations as spans; line, column and file names are worked out when it is rendered.

use serde::Serialize;

use crate::source::Loc;

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
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleInfo,
    pub severity: Severity,
    pub message: String,
    /// Short text shown under the underlined element.
    pub label: String,
    pub help: Option<String>,
    pub loc: Loc,
    /// The rule resource: logical ID, `Function.EventKey`, or Terraform address.
    pub resource: String,
    pub related: Vec<Related>,
}

/// Another place that explains a finding, typically a trail that was considered.
#[derive(Debug, Clone)]
pub struct Related {
    pub loc: Loc,
    pub resource: String,
    pub message: String,
}
