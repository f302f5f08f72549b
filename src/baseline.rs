//! Baselines: the fingerprints of findings a repository has accepted, so that adopting
//! trailcheck fails only on new ones.
//!
//! A baseline is a small JSON document, `{"version": 1, "findings": [...]}`, one entry per
//! accepted finding with its fingerprint and, for the reader who reviews stale entries, its
//! rule, resource and message; sorted so that rewriting it after an unrelated change gives the
//! same bytes. Only the fingerprint is matched. Fingerprints come from
//! [`Finding::fingerprint`]: rule, resource and message, never the line. A baseline of bare
//! fingerprints (`"fingerprints": [...]`, as earlier versions wrote) is read too.
//!
//! A baseline is neither read nor written through a symbolic link: a pull request could replace
//! it with a link to a file outside the repository, to have it quoted in an error or
//! overwritten.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::ConfigError;
use crate::finding::Finding;
use crate::walk::{self, Links, ReadError};

/// Largest baseline read: some 600,000 fingerprints.
pub const MAX_SIZE: u64 = 16 << 20;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    version: u32,
    #[serde(default)]
    findings: Vec<Entry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    fingerprints: Vec<String>,
}

/// One accepted finding: what is matched, and what it was, for the reader.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    fingerprint: String,
    rule: String,
    resource: String,
    message: String,
}

/// Reads a baseline written by [`write`].
pub fn read(path: &Path) -> Result<HashSet<String>, ConfigError> {
    let error = |message: String| ConfigError {
        path: path.to_path_buf(),
        offset: None,
        message,
    };
    let text = walk::read_with(path, Links::Refuse, MAX_SIZE).map_err(|e| match e {
        ReadError::Io(e) => error(format!("cannot read the baseline: {e}")),
        e => error(format!("cannot read the baseline: {e}")),
    })?;
    let document: Document = serde_json::from_str(&text)
        .map_err(|e| error(format!("not a trailcheck baseline: {e}")))?;
    if document.version != 1 {
        return Err(error(format!(
            "baseline version {} is not supported; expected 1",
            document.version
        )));
    }
    Ok(document
        .findings
        .into_iter()
        .map(|entry| entry.fingerprint)
        .chain(document.fingerprints)
        .collect())
}

/// Writes the fingerprints of `findings` to `path`.
pub fn write(path: &Path, findings: &[Finding]) -> std::io::Result<()> {
    let mut entries: Vec<Entry> = findings
        .iter()
        .map(|finding| Entry {
            fingerprint: finding.fingerprint(),
            rule: finding.rule.id.to_owned(),
            resource: finding.resource.clone(),
            message: finding.message.clone(),
        })
        .collect();
    entries.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
    entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    let document = Document {
        version: 1,
        findings: entries,
        fingerprints: Vec::new(),
    };
    let mut text = serde_json::to_string_pretty(&document).map_err(std::io::Error::other)?;
    text.push('\n');
    let mut file = walk::create(path)?;
    file.write_all(text.as_bytes())
}
