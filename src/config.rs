//! `trailcheck.toml`: regions, excluded paths, rule selection and severities, trails that exist
//! outside the scanned files, and suppressions by resource.
//!
//! The file is found in the current folder or the nearest parent, stopping at the repository
//! root (the folder holding `.git`), unless `--config` names one or `--no-config` turns the
//! search off. A config that does not say exactly what trailcheck understands is an error that
//! names the line: an unknown key, an unknown rule, a value of the wrong type. Nothing here
//! analyses anything; it only reads and checks the file.
//!
//! The file is never read through a symbolic link, found or named: a pull request could turn
//! `trailcheck.toml` into a link to a secret outside the repository, and an error quotes the
//! file. Nor is one larger than [`MAX_SIZE`] read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::rules;
use crate::rules::{RuleInfo, Severity};
use crate::source::Span;
use crate::walk::{self, Links, ReadError};

pub const FILE_NAME: &str = "trailcheck.toml";

/// Largest config read: a real one is a few kilobytes, and the TOML reader needs many times a
/// text's size.
pub const MAX_SIZE: u64 = 4 << 20;

/// The keys of a `[[trails]]` entry: the properties of `AWS::CloudTrail::Trail` that decide
/// what a trail delivers, plus `Name` and `HomeRegion`.
const TRAIL_KEYS: &[&str] = &[
    "Name",
    "preset",
    "HomeRegion",
    "IsLogging",
    "IsMultiRegionTrail",
    "IncludeGlobalServiceEvents",
    "IsOrganizationTrail",
    "EventSelectors",
    "AdvancedEventSelectors",
    "InsightSelectors",
];

/// A loaded, checked configuration.
#[derive(Debug, Default)]
pub struct Config {
    /// Where it was read from, and its text (external trails point into it).
    pub source: Option<(PathBuf, String)>,
    pub regions: Vec<String>,
    pub exclude: Option<GlobSet>,
    /// Rules turned off.
    pub ignore_rules: Vec<&'static RuleInfo>,
    pub severity: BTreeMap<&'static str, Severity>,
    pub trails: Vec<ExternalTrail>,
    pub ignores: Vec<ResourceIgnore>,
    /// `[[deployments]]`: independent deployments in one repository, each analysed on its own.
    pub deployments: Vec<DeploymentGroup>,
    /// Where the rule pages are published, if not in the released repository: the base of
    /// SARIF's `helpUri` (the page's file name is appended).
    pub rules_url: Option<String>,
}

/// `[[deployments]]`: the files of one deployment, by glob over their paths relative to the
/// config's folder.
#[derive(Debug)]
pub struct DeploymentGroup {
    pub name: String,
    pub paths: GlobSet,
}

/// The name of the deployment that holds the files no `[[deployments]]` entry names.
pub const DEFAULT_DEPLOYMENT: &str = "default";

/// A trail declared in the config, in the vocabulary of `AWS::CloudTrail::Trail`.
#[derive(Debug)]
pub struct ExternalTrail {
    pub name: String,
    pub span: Span,
    /// The trail's properties as JSON text, read like a template's `Properties`.
    pub properties: String,
    pub home_region: Option<String>,
}

/// `[[ignore]]`: rules suppressed for resources whose name matches a glob.
#[derive(Debug)]
pub struct ResourceIgnore {
    /// The one glob, as a set: a set reports a glob too large to compile, where a single
    /// glob's matcher panics.
    pub resource: GlobSet,
    /// Empty for every rule.
    pub rules: Vec<&'static str>,
    pub reason: Option<String>,
}

/// A config that cannot be used, and where.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub path: PathBuf,
    /// Byte offset in the file, when the problem has a place.
    pub offset: Option<usize>,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    regions: Vec<String>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    trails: Vec<Spanned<toml::Table>>,
    #[serde(default)]
    ignore: Vec<RawIgnore>,
    #[serde(default)]
    deployments: Vec<Spanned<RawDeployment>>,
    rules_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeployment {
    name: Spanned<String>,
    paths: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    resource: Spanned<String>,
    #[serde(default)]
    rules: Vec<Spanned<String>>,
    reason: Option<String>,
}

/// Finds the config for a run started in `dir`: `trailcheck.toml` there or in the nearest
/// parent up to the repository root; outside any repository, only in `dir` itself (a config
/// in a shared parent, such as a temporary folder, is nobody's choice for this run).
pub fn discover(dir: &Path) -> Option<PathBuf> {
    let root = dir.ancestors().find(|d| d.join(".git").exists());
    for dir in dir.ancestors() {
        let candidate = dir.join(FILE_NAME);
        // A regular file only: a link may lead out of the repository, and a config error
        // quotes the file (the same reason walking never follows links; SPEC §10).
        if std::fs::symlink_metadata(&candidate).is_ok_and(|m| m.is_file()) {
            return Some(candidate);
        }
        if root.is_none_or(|root| root == dir) {
            return None;
        }
    }
    None
}

/// Reads and checks a config file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = read(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        offset: None,
        message: format!("cannot read the config: {e}"),
    })?;
    from_text(path, text)
}

/// Checks the text of a config file read from `path`.
pub fn from_text(path: &Path, text: String) -> Result<Config, ConfigError> {
    let error = |offset: Option<usize>, message: String| ConfigError {
        path: path.to_path_buf(),
        offset,
        message,
    };
    let raw: RawConfig = toml::from_str(&text)
        .map_err(|e| error(e.span().map(|s| s.start), e.message().to_owned()))?;

    let rule = |name: &Spanned<String>| -> Result<&'static RuleInfo, ConfigError> {
        rules::find(name.get_ref())
            .ok_or_else(|| error(Some(name.span().start), rules::unknown(name.get_ref())))
    };

    let mut exclude = GlobSetBuilder::new();
    for pattern in &raw.exclude {
        let glob = Glob::new(pattern.get_ref())
            .map_err(|e| error(Some(pattern.span().start), format!("invalid glob: {e}")))?;
        exclude.add(glob);
    }
    let exclude = exclude.build().map_err(|_| {
        // Which one: the first that does not compile alone, else all of them together.
        let culprit = raw
            .exclude
            .iter()
            .find(|pattern| glob_set(pattern.get_ref()).is_err())
            .or(raw.exclude.first());
        error(
            culprit.map(|pattern| pattern.span().start),
            TOO_LARGE.to_owned(),
        )
    })?;

    let mut severity = BTreeMap::new();
    for (name, level) in &raw.rules.severity {
        let info = rule(name)?;
        let level = Severity::parse(level.get_ref()).ok_or_else(|| {
            error(
                Some(level.span().start),
                format!(
                    "`{}` is no severity; expected `error`, `warning` or `info`",
                    level.get_ref()
                ),
            )
        })?;
        severity.insert(info.id, level);
    }

    let mut trails = Vec::new();
    for trail in &raw.trails {
        let table = trail.get_ref();
        if let Some(key) = table.keys().find(|k| !TRAIL_KEYS.contains(&k.as_str())) {
            return Err(error(
                Some(trail.span().start),
                format!(
                    "unknown key `{key}` in a [[trails]] entry; expected one of {}",
                    TRAIL_KEYS.join(", ")
                ),
            ));
        }
        let Some(name) = table.get("Name").and_then(toml::Value::as_str) else {
            return Err(error(
                Some(trail.span().start),
                "a [[trails]] entry needs a `Name`".to_owned(),
            ));
        };
        let mut table = table.clone();
        if let Some(preset) = table.remove("preset") {
            apply_preset(&mut table, &preset)
                .map_err(|message| error(Some(trail.span().start), message))?;
        }
        let properties = serde_json::to_string(&table).map_err(|e| {
            error(
                Some(trail.span().start),
                format!("cannot read this trail: {e}"),
            )
        })?;
        trails.push(ExternalTrail {
            name: name.to_owned(),
            span: Span::new(trail.span().start, trail.span().end),
            properties,
            home_region: table
                .get("HomeRegion")
                .and_then(toml::Value::as_str)
                .map(str::to_owned),
        });
    }

    let mut ignores = Vec::new();
    for entry in &raw.ignore {
        let resource = glob_set(entry.resource.get_ref())
            .map_err(|message| error(Some(entry.resource.span().start), message))?;
        ignores.push(ResourceIgnore {
            resource,
            rules: entry
                .rules
                .iter()
                .map(|r| rule(r).map(|info| info.id))
                .collect::<Result<_, _>>()?,
            reason: entry.reason.clone(),
        });
    }

    let mut deployments: Vec<DeploymentGroup> = Vec::new();
    for entry in &raw.deployments {
        let entry_at = entry.span().start;
        let entry = entry.get_ref();
        let name = entry.name.get_ref().trim();
        let name_at = Some(entry.name.span().start);
        if name.is_empty() {
            return Err(error(name_at, "a deployment needs a name".to_owned()));
        }
        if name == DEFAULT_DEPLOYMENT {
            return Err(error(
                name_at,
                format!(
                    "`{DEFAULT_DEPLOYMENT}` is the deployment of the files no other names; \
                     give this one another name"
                ),
            ));
        }
        if deployments.iter().any(|d| d.name == name) {
            return Err(error(
                name_at,
                format!("a deployment called `{name}` is declared twice"),
            ));
        }
        if entry.paths.is_empty() {
            return Err(error(
                Some(entry_at),
                format!("deployment `{name}` needs `paths`, globs of its files"),
            ));
        }
        let mut globs = GlobSetBuilder::new();
        for pattern in &entry.paths {
            let glob = Glob::new(pattern.get_ref().trim_start_matches("./"))
                .map_err(|e| error(Some(pattern.span().start), format!("invalid glob: {e}")))?;
            globs.add(glob);
        }
        let paths = globs
            .build()
            .map_err(|_| error(Some(entry_at), TOO_LARGE.to_owned()))?;
        deployments.push(DeploymentGroup {
            name: name.to_owned(),
            paths,
        });
    }

    Ok(Config {
        source: Some((path.to_path_buf(), text)),
        regions: raw.regions,
        exclude: (!raw.exclude.is_empty()).then_some(exclude),
        ignore_rules: raw
            .rules
            .ignore
            .iter()
            .map(rule)
            .collect::<Result<_, _>>()?,
        severity,
        trails,
        ignores,
        deployments,
        rules_url: raw.rules_url,
    })
}

/// The trail presets of `[[trails]]`: the commonest trails outside a repository, by name.
pub const PRESETS: &[&str] = &["organization-management"];

/// Fills in what `preset` says of a `[[trails]]` entry, under what the entry says itself.
/// `organization-management` is an organization trail as Control Tower and most landing zones
/// create it: multi-region, logging, global service events, management events read and write.
/// Data events given as `EventSelectors` or `AdvancedEventSelectors` come on top of its
/// management events, in the same kind of selector.
fn apply_preset(table: &mut toml::Table, preset: &toml::Value) -> Result<(), String> {
    match preset.as_str() {
        Some("organization-management") => {}
        _ => {
            return Err(format!(
                "unknown preset {preset}; expected one of {}",
                PRESETS
                    .iter()
                    .map(|p| format!("\"{p}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    for key in [
        "IsLogging",
        "IsMultiRegionTrail",
        "IncludeGlobalServiceEvents",
        "IsOrganizationTrail",
    ] {
        table.entry(key).or_insert(toml::Value::Boolean(true));
    }
    let management = |advanced: bool| -> toml::Value {
        let mut selector = toml::Table::new();
        if advanced {
            let mut field = toml::Table::new();
            field.insert("Field".into(), "eventCategory".into());
            field.insert(
                "Equals".into(),
                toml::Value::Array(vec!["Management".into()]),
            );
            selector.insert("Name".into(), "Management events".into());
            selector.insert(
                "FieldSelectors".into(),
                toml::Value::Array(vec![field.into()]),
            );
        } else {
            selector.insert("ReadWriteType".into(), "All".into());
            selector.insert("IncludeManagementEvents".into(), true.into());
        }
        selector.into()
    };
    let key = if table.contains_key("AdvancedEventSelectors") {
        "AdvancedEventSelectors"
    } else {
        "EventSelectors"
    };
    let selectors = table
        .entry(key)
        .or_insert_with(|| toml::Value::Array(Vec::new()));
    match selectors {
        toml::Value::Array(list) => list.insert(0, management(key == "AdvancedEventSelectors")),
        _ => return Err(format!("`{key}` must be an array")),
    }
    Ok(())
}

/// Reads a config file: never through a symbolic link, never one over [`MAX_SIZE`].
fn read(path: &Path) -> Result<String, String> {
    walk::read_with(path, Links::Refuse, MAX_SIZE).map_err(|error| match error {
        ReadError::Io(error) => error.to_string(),
        error => error.to_string(),
    })
}

/// Why a glob cannot be used though it is well formed. globset's own error quotes the regex it
/// compiled the glob to, which can be enormous.
const TOO_LARGE: &str =
    "this glob is too large: it compiles to a matcher over globset's size limit";

/// One glob as a set of one, or why it cannot be used.
fn glob_set(pattern: &str) -> Result<GlobSet, String> {
    let glob = Glob::new(pattern).map_err(|e| format!("invalid glob: {e}"))?;
    GlobSetBuilder::new()
        .add(glob)
        .build()
        .map_err(|_| TOO_LARGE.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Up to the repository root, never above it; outside a repository, the starting folder
    /// only.
    #[test]
    fn discovery_stops_at_the_repository_or_the_starting_folder() {
        let scratch =
            std::env::temp_dir().join(format!("trailcheck-discover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&scratch);
        let repo = scratch.join("repo");
        let deep = repo.join("stacks/app");
        std::fs::create_dir_all(&deep).expect("scratch");
        std::fs::create_dir_all(repo.join(".git")).expect("scratch");
        std::fs::write(scratch.join(FILE_NAME), "").expect("scratch");
        assert_eq!(
            discover(&deep),
            None,
            "a config above the repository is not its"
        );
        std::fs::write(repo.join(FILE_NAME), "").expect("scratch");
        assert_eq!(discover(&deep), Some(repo.join(FILE_NAME)));
        std::fs::write(deep.join(FILE_NAME), "").expect("scratch");
        assert_eq!(
            discover(&deep),
            Some(deep.join(FILE_NAME)),
            "the nearest wins"
        );

        let loose = scratch.join("loose/inner");
        std::fs::create_dir_all(&loose).expect("scratch");
        std::fs::write(scratch.join("loose").join(FILE_NAME), "").expect("scratch");
        assert_eq!(
            discover(&loose),
            None,
            "outside a repository, no parent's config"
        );
        std::fs::write(loose.join(FILE_NAME), "").expect("scratch");
        assert_eq!(discover(&loose), Some(loose.join(FILE_NAME)));
        let _ = std::fs::remove_dir_all(&scratch);
    }

    fn load_text(text: &str) -> Result<Config, ConfigError> {
        let dir = std::env::temp_dir().join(format!(
            "trailcheck-config-{}-{}",
            std::process::id(),
            text.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        let result = load(&path);
        let _ = std::fs::remove_dir_all(&dir);
        result
    }

    #[test]
    fn reads_every_section() {
        let config = load_text(
            r#"
regions = ["eu-west-1"]
rules_url = "https://docs.example/rules/"
exclude = ["cdk.out/asset.*", "legacy/**"]

[rules]
ignore = ["TC204"]
severity = { TC106 = "warning", data-events-not-logged = "info" }

[[trails]]
Name = "org-trail"
HomeRegion = "us-east-1"
IsMultiRegionTrail = true
EventSelectors = [{ ReadWriteType = "All", DataResources = [{ Type = "AWS::S3::Object", Values = ["arn:aws:s3"] }] }]

[[ignore]]
resource = "module.legacy.*"
rules = ["TC101"]
reason = "logged by the legacy account"

[[deployments]]
name = "prod"
paths = ["envs/prod/**", "./platform/**"]
"#,
        )
        .unwrap();
        assert_eq!(config.regions, ["eu-west-1"]);
        assert!(config.exclude.unwrap().is_match("legacy/a/b.yaml"));
        assert_eq!(config.ignore_rules[0].id, "TC204");
        assert_eq!(config.severity["TC106"], Severity::Warning);
        assert_eq!(config.severity["TC103"], Severity::Info);
        assert_eq!(config.trails[0].name, "org-trail");
        assert_eq!(config.trails[0].home_region.as_deref(), Some("us-east-1"));
        assert!(
            config.ignores[0]
                .resource
                .is_match("module.legacy.aws_cloudwatch_event_rule.x")
        );
        assert_eq!(
            config.rules_url.as_deref(),
            Some("https://docs.example/rules/")
        );
        assert_eq!(config.deployments[0].name, "prod");
        assert!(config.deployments[0].paths.is_match("platform/trail.yaml"));
        assert!(!config.deployments[0].paths.is_match("envs/sandbox/a.yaml"));
    }

    /// `preset = "organization-management"` fills in an organization trail logging management
    /// events, under the entry's own keys, its management selector before the data selectors
    /// given (basic or advanced, as the entry's own).
    #[test]
    fn a_preset_fills_in_the_organization_trail() {
        let properties = |text: &str| -> serde_json::Value {
            let config = load_text(text).unwrap();
            serde_json::from_str(&config.trails[0].properties).unwrap()
        };
        let bare = properties("[[trails]]\nName = \"org\"\npreset = \"organization-management\"\n");
        assert_eq!(
            bare,
            serde_json::json!({
                "Name": "org",
                "IsLogging": true,
                "IsMultiRegionTrail": true,
                "IncludeGlobalServiceEvents": true,
                "IsOrganizationTrail": true,
                "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true}],
            })
        );
        let own = properties(
            "[[trails]]\nName = \"org\"\npreset = \"organization-management\"\nIsLogging = false\n\
             EventSelectors = [{ IncludeManagementEvents = false, DataResources = [{ Type = \"AWS::S3::Object\", Values = [\"arn:aws:s3\"] }] }]\n",
        );
        assert_eq!(own["IsLogging"], false, "the entry's own key wins");
        let selectors = own["EventSelectors"].as_array().unwrap();
        assert_eq!(selectors.len(), 2);
        assert_eq!(selectors[0]["IncludeManagementEvents"], true);
        assert_eq!(selectors[1]["DataResources"][0]["Type"], "AWS::S3::Object");
        let advanced = properties(
            "[[trails]]\nName = \"org\"\npreset = \"organization-management\"\n\
             AdvancedEventSelectors = [{ FieldSelectors = [{ Field = \"eventCategory\", Equals = [\"Data\"] }] }]\n",
        );
        assert!(advanced.get("EventSelectors").is_none());
        let advanced = advanced["AdvancedEventSelectors"].as_array().unwrap();
        assert_eq!(advanced.len(), 2);
        assert_eq!(
            advanced[0]["FieldSelectors"][0],
            serde_json::json!({"Field": "eventCategory", "Equals": ["Management"]})
        );
        let unknown =
            load_text("[[trails]]\nName = \"org\"\npreset = \"organisation\"\n").unwrap_err();
        assert!(
            unknown.message.contains("unknown preset"),
            "{}",
            unknown.message
        );
        assert!(unknown.message.contains("\"organization-management\""));
    }

    #[test]
    fn mistakes_are_errors_with_a_place() {
        let unknown_key = load_text("region = [\"eu-west-1\"]\n").unwrap_err();
        assert!(
            unknown_key.message.contains("unknown field `region`"),
            "{}",
            unknown_key.message
        );
        assert_eq!(unknown_key.offset, Some(0));
        let unknown_rule = load_text("[rules]\nignore = [\"TC1O1\"]\n").unwrap_err();
        assert!(unknown_rule.message.contains("TC1O1"));
        assert_eq!(unknown_rule.offset, Some(18));
        let wrong_type = load_text("regions = \"eu-west-1\"\n").unwrap_err();
        assert!(
            wrong_type.message.contains("sequence"),
            "{}",
            wrong_type.message
        );
        let trail_key = load_text("[[trails]]\nName = \"t\"\nLogging = true\n").unwrap_err();
        assert!(trail_key.message.contains("unknown key `Logging`"));
        // globset compiles a glob to a regex under a size limit, and a matcher panics over it.
        let huge = "**/a".repeat(50_000);
        let glob = load_text(&format!("[[ignore]]\nresource = \"{huge}\"\n")).unwrap_err();
        assert_eq!((glob.message.as_str(), glob.offset), (TOO_LARGE, Some(22)));
        let deployment = |text: &str| load_text(text).unwrap_err().message;
        assert!(
            deployment("[[deployments]]\nname = \"default\"\npaths = [\"a/**\"]\n")
                .contains("another name")
        );
        assert!(
            deployment("[[deployments]]\nname = \"p\"\npaths = []\n").contains("needs `paths`")
        );
        assert!(
            deployment("[[deployments]]\nname = \" \"\npaths = [\"a\"]\n").contains("needs a name")
        );
        assert!(
            deployment("[[deployments]]\nname = \"p\"\npaths = [\"a\"]\n[[deployments]]\nname = \"p\"\npaths = [\"b\"]\n")
                .contains("declared twice")
        );
        assert!(
            deployment("[[deployments]]\nname = \"p\"\npaths = [\"a[\"]\n")
                .contains("invalid glob")
        );
        let exclude = load_text(&format!("exclude = [\"a\", \"{huge}\"]\n")).unwrap_err();
        assert_eq!(
            (exclude.message.as_str(), exclude.offset),
            (TOO_LARGE, Some(16))
        );
    }
}
