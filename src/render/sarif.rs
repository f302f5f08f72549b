//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it.
//!
//! One run whose driver lists every rule with its page as help, one result per finding with its
//! primary and related locations and a fingerprint that survives unrelated edits, and the files
//! that could not be read as tool execution notifications. The structs below are the small
//! subset of SARIF that trailcheck writes, not a SARIF object model: it never reads SARIF. The
//! output holds nothing that varies between runs (no time, no absolute path that was not given),
//! so the same inputs give the same bytes.
//!
//! Spec: <https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html>; what GitHub uses of
//! it: <https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning>.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::finding::Finding;
use crate::rules::{ALL, Family, RuleInfo, Severity};
use crate::source::{Loc, RepositoryPaths};
use crate::{Run, RunError};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Where the repository is published: the driver's `informationUri`. If it moves, change this
/// and [`RULES_URL`].
const REPOSITORY_URL: &str = "https://github.com/trailcheck/trailcheck";

/// Each rule's `helpUri` is its page in `rules/` of the published repository
/// ([`REPOSITORY_URL`]) at the tag of this version, so that the page read is the one this
/// binary checks by: this base plus `TC103-data-events-not-logged.md`. The config's
/// `rules_url` replaces it (a mirror, an internal copy).
pub const RULES_URL: &str = concat!(
    "https://github.com/trailcheck/trailcheck/blob/v",
    env!("CARGO_PKG_VERSION"),
    "/rules/"
);

/// Paths are relative to the root of the repository each file is in, whatever folder
/// trailcheck ran in: GitHub resolves `%SRCROOT%` to the repository root.
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun {
    tool: Tool,
    invocations: [Invocation; 1],
    results: Vec<SarifResult>,
    /// Columns are counted in characters (see [`crate::source::line_col`]), not SARIF's
    /// default UTF-16 code units.
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: Properties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Properties {
    tags: [&'static str; 3],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: [Location; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
}

#[derive(Serialize)]
struct Fingerprints {
    /// The version suffix changes if [`Finding::fingerprint`] ever does.
    #[serde(rename = "trailcheck/v1")]
    v1: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

/// 1-based; `endColumn` is the column just past the region, as SARIF and the JSON output both
/// count it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

/// Writes the log; `rules_url` is the base of each rule's `helpUri`.
pub fn write(out: &mut dyn Write, run: &Run, rules_url: &str) -> io::Result<()> {
    // Only the rules of the results, each once: the size follows the findings, not the size of
    // the rule book (a rule's help is its whole page).
    let mut used: Vec<&'static RuleInfo> = Vec::new();
    for finding in &run.findings {
        if !used.iter().any(|info| info.id == finding.rule.id) {
            used.push(finding.rule);
        }
    }
    used.sort_by_key(|info| ALL.iter().position(|all| all.id == info.id));
    let mut paths = RepositoryPaths::default();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [SarifRun {
            tool: Tool {
                driver: Driver {
                    name: "trailcheck",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: REPOSITORY_URL,
                    rules: used.iter().map(|info| rule(info, rules_url)).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: run.errors.is_empty(),
                tool_execution_notifications: run
                    .errors
                    .iter()
                    .map(|error| notification(run, error, &mut paths))
                    .collect(),
            }],
            results: run
                .findings
                .iter()
                .map(|f| result(run, f, &used, &mut paths))
                .collect(),
            column_kind: "unicodeCodePoints",
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn rule(info: &'static RuleInfo, rules_url: &str) -> Rule {
    Rule {
        id: info.id,
        name: info.name,
        short_description: Text {
            text: info.summary().to_owned(),
        },
        full_description: Text {
            text: first_paragraph(info.doc, "## What it catches")
                .unwrap_or_else(|| info.summary().to_owned()),
        },
        help: Help {
            text: info.doc,
            markdown: info.doc,
        },
        help_uri: format!("{rules_url}{}", info.page()),
        default_configuration: Configuration {
            level: level(info.severity),
        },
        properties: Properties { tags: tags(info) },
    }
}

/// GitHub lets users filter alerts by tag: by the rule's family (SPEC §4): events that
/// cannot reach the rule, patterns wrong in themselves, targets that cannot receive.
fn tags(info: &RuleInfo) -> [&'static str; 3] {
    let kind = match info.family() {
        Family::Pattern => "event-pattern",
        Family::Delivery => "delivery",
        Family::Target => "target",
    };
    ["eventbridge", "correctness", kind]
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The first paragraph under `heading`, its lines joined into one.
fn first_paragraph(doc: &str, heading: &str) -> Option<String> {
    let lines: Vec<&str> = doc
        .lines()
        .skip_while(|line| line.trim_end() != heading)
        .skip(1)
        .skip_while(|line| line.trim().is_empty())
        .take_while(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(str::trim)
        .collect();
    (!lines.is_empty()).then(|| lines.join(" "))
}

fn result(
    run: &Run,
    finding: &Finding,
    rules: &[&RuleInfo],
    paths: &mut RepositoryPaths,
) -> SarifResult {
    let mut text = super::addressed(run, finding);
    if let Some(help) = &finding.help {
        text.push('\n');
        text.push_str(help);
    }
    SarifResult {
        rule_id: finding.rule.id,
        rule_index: rules.iter().position(|info| info.id == finding.rule.id),
        level: level(finding.severity),
        message: Text { text },
        locations: [location(run, finding.loc, None, None, paths)],
        related_locations: finding
            .related
            .iter()
            .enumerate()
            .map(|(index, related)| {
                location(
                    run,
                    related.loc,
                    Some(index + 1),
                    Some(&related.message),
                    paths,
                )
            })
            .collect(),
        partial_fingerprints: Fingerprints {
            v1: finding.fingerprint(),
        },
    }
}

/// A file that could not be read or parsed, at the byte where parsing failed when known.
fn notification(run: &Run, error: &RunError, paths: &mut RepositoryPaths) -> Notification {
    let region = error.at.map(|(file, offset)| {
        let at = run.deployment.file(file).line_col(offset);
        Region {
            start_line: at.line,
            start_column: at.column,
            end_line: None,
            end_column: None,
        }
    });
    Notification {
        level: "error",
        message: Text {
            text: error.message.clone(),
        },
        locations: [Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: artifact(&error.path, paths),
                region,
            },
            message: None,
        }],
    }
}

fn location(
    run: &Run,
    loc: Loc,
    id: Option<usize>,
    message: Option<&str>,
    paths: &mut RepositoryPaths,
) -> Location {
    let file = run.deployment.file(loc.file);
    let start = file.line_col(loc.span.start);
    let end = file.line_col(loc.span.end);
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: artifact(&file.path, paths),
            region: Some(Region {
                start_line: start.line,
                start_column: start.column,
                end_line: Some(end.line),
                end_column: Some(end.column),
            }),
        },
        message: message.map(|text| Text {
            text: text.to_owned(),
        }),
    }
}

/// A file in a repository is named relative to its root, under `%SRCROOT%`; one outside any
/// repository keeps a relative path as given, and an absolute one becomes a `file:` URI.
/// Either way with `/` separators and percent-encoded, so that a space or `#` in a file name
/// still makes a valid URI.
fn artifact(path: &Path, paths: &mut RepositoryPaths) -> ArtifactLocation {
    let shown = paths.of(path);
    if Path::new(&shown).is_absolute() {
        let rooted = if shown.starts_with('/') {
            shown
        } else {
            format!("/{shown}") // `C:/x` on Windows
        };
        ArtifactLocation {
            uri: format!("file://{}", encode(&rooted)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode(&shown),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// Percent-encodes every byte but RFC 3986's unreserved characters and `/`.
fn encode(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uris() {
        let scratch = std::env::temp_dir().join(format!("trailcheck-sarif-{}", std::process::id()));
        let repository = scratch.join("repo");
        std::fs::create_dir_all(repository.join(".git")).expect("scratch");
        std::fs::create_dir_all(repository.join("stacks")).expect("scratch");
        let mut paths = RepositoryPaths::default();
        let in_repository = artifact(&repository.join("stacks/my app#1.yaml"), &mut paths);
        assert_eq!(in_repository.uri, "stacks/my%20app%231.yaml");
        assert_eq!(in_repository.uri_base_id, Some(SRCROOT));
        let below = artifact(&repository.join("stacks/../testdata/x.yaml"), &mut paths);
        assert_eq!(below.uri, "testdata/x.yaml");
        // Outside any repository: as given.
        let loose = artifact(&scratch.join("loose.yaml"), &mut paths);
        assert!(loose.uri.starts_with("file:///"), "{}", loose.uri);
        let _ = std::fs::remove_dir_all(&scratch);
        let absolute = artifact(Path::new("/srv/é.json"), &mut paths);
        assert_eq!(absolute.uri, "file:///srv/%C3%A9.json");
        assert_eq!(absolute.uri_base_id, None);
    }

    #[test]
    fn rule_links_live_in_the_repository() {
        assert!(RULES_URL.starts_with(REPOSITORY_URL));
        let info = ALL[0];
        assert_eq!(
            rule(info, RULES_URL).help_uri,
            format!(
                "{REPOSITORY_URL}/blob/v{}/rules/{}-{}.md",
                env!("CARGO_PKG_VERSION"),
                info.id,
                info.name
            )
        );
        assert_eq!(
            rule(info, "https://docs.example/rules/").help_uri,
            format!("https://docs.example/rules/{}-{}.md", info.id, info.name)
        );
    }

    #[test]
    fn full_description_is_the_first_paragraph_of_what_it_catches() {
        let doc = "# T\n\nSummary.\n\n## What it catches\n\nOne\ntwo.\n\nMore.\n";
        assert_eq!(
            first_paragraph(doc, "## What it catches").as_deref(),
            Some("One two.")
        );
        assert_eq!(first_paragraph(doc, "## Missing"), None);
        for info in ALL {
            assert!(first_paragraph(info.doc, "## What it catches").is_some());
        }
    }
}
