//! Baselines: the fingerprints of findings a repository has accepted, so that adopting
//! trailcheck fails only on new ones.
//!
//! A baseline is a small JSON document, `{"version": 1, "fingerprints": [...]}`, sorted so that
//! rewriting it after an unrelated change gives the same bytes. Fingerprints come from
//! [`Finding::fingerprint`]: rule, resource and message, never the line.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::ConfigError;
use crate::finding::Finding;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    version: u32,
    fingerprints: Vec<String>,
}

/// Reads a baseline written by [`write`].
pub fn read(path: &Path) -> Result<HashSet<String>, ConfigError> {
    let error = |message: String| ConfigError {
        path: path.to_path_buf(),
        offset: None,
        message,
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| error(format!("cannot read the baseline: {e}")))?;
    let document: Document = serde_json::from_str(&text)
        .map_err(|e| error(format!("not a trailcheck baseline: {e}")))?;
    if document.version != 1 {
        return Err(error(format!(
            "baseline version {} is not supported; expected 1",
            document.version
        )));
    }
    Ok(document.fingerprints.into_iter().collect())
}

/// Writes the fingerprints of `findings` to `path`.
pub fn write(path: &Path, findings: &[Finding]) -> std::io::Result<()> {
    let mut fingerprints: Vec<String> = findings.iter().map(Finding::fingerprint).collect();
    fingerprints.sort();
    fingerprints.dedup();
    let document = Document {
        version: 1,
        fingerprints,
    };
    let mut text = serde_json::to_string_pretty(&document).map_err(std::io::Error::other)?;
    text.push('\n');
    std::fs::write(path, text)
}
