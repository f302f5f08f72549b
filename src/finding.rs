//! Findings: what a check reports, as plain data.
//!
//! A finding names its rule, says what is wrong in the user's terms, points at the pattern
//! element responsible and at the trails that were considered, and gives the fix. It carries
//! locations as spans; line, column and file names are worked out when it is rendered.

use crate::rules::{RuleInfo, Severity};
use crate::source::Loc;

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
    /// The `[[deployments]]` it was found in, when the config declares them (a rule in files
    /// several deployments share may be found in each).
    pub deployments: Vec<String>,
}

impl Finding {
    /// A stable identity for this finding: 16 hex digits of a 64-bit FNV-1a hash of the rule
    /// ID, the resource and the message, and of nothing else. The file path, line and column
    /// are left out on purpose, so the fingerprint survives unrelated edits above the rule and
    /// the file being moved; it changes only when what is wrong, or where in the deployment,
    /// changes. Baselines match findings by it and SARIF carries it as `partialFingerprints`,
    /// so the algorithm must never change without a new version tag (`trailcheck/v1`).
    pub fn fingerprint(&self) -> String {
        // FNV-1a, 64-bit: http://www.isthe.com/chongo/tech/comp/fnv/ (offset basis and prime).
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for field in [self.rule.id, &self.resource, &self.message] {
            // A NUL after each field keeps ("ab", "c") and ("a", "bc") apart.
            for &byte in field.as_bytes().iter().chain(&[0]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    }
}

/// Another place that explains a finding, typically a trail that was considered.
#[derive(Debug, Clone)]
pub struct Related {
    pub loc: Loc,
    pub resource: String,
    pub message: String,
}
