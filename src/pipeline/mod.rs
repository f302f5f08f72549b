//! The `check` pipeline: discover and read the files, ingest each on its own and in parallel,
//! resolve what crosses files (imports, external trails), analyse the whole deployment, run the
//! checks and keep the findings the run's policy keeps. Everything here returns data; nothing
//! prints.

mod deployments;
mod inputs;
mod policy;
mod terraform;

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;

pub use policy::Policy;

use crate::finding::Finding;
use crate::model::Deployment;
use crate::rules::{self, Severity};
use crate::source::FileId;
use crate::{analysis, checks, config, ingest};

/// Everything one `check` run found.
#[derive(Debug)]
pub struct Run {
    /// Everything read, all deployments together.
    pub deployment: Deployment,
    /// The `[[deployments]]` analysed, each with the files that declare something in it; empty
    /// when the config declares none and the run is one deployment.
    pub deployments: Vec<(String, Vec<FileId>)>,
    pub findings: Vec<Finding>,
    pub errors: Vec<RunError>,
    /// What the run warns of in the inputs, where (a suppression without a reason).
    pub warnings: Vec<RunError>,
    /// Files read but not analysed, with the reason.
    pub skipped: Vec<(PathBuf, String)>,
    /// Advice several findings share, said once (how to describe a trail outside the files).
    pub notes: Vec<String>,
    pub summary: Summary,
}

/// A path or file that could not be read or parsed.
#[derive(Debug, Clone)]
pub struct RunError {
    pub path: PathBuf,
    /// The file and byte offset, when the error is inside a file that was read.
    pub at: Option<(FileId, u32)>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub templates: usize,
    pub plans: usize,
    pub skipped: usize,
    /// Terraform root modules read from configuration (`.tf`).
    pub modules: usize,
    /// Files and folders the config's `exclude` passed over (a folder counts once).
    pub excluded: usize,
    pub rules: usize,
    pub trails: usize,
    pub findings: usize,
    /// Findings not reported: turned off by a suppression (`Metadata`, `[[ignore]]`), or
    /// accepted by `--baseline`.
    pub suppressed: usize,
    pub baselined: usize,
    pub errors: usize,
}

impl Summary {
    /// What the run should say beside its findings: that it analysed nothing, when no input
    /// was a template or a plan (a folder of Terraform configurations, a wrong path).
    pub fn warnings(&self) -> Vec<String> {
        if self.templates + self.plans + self.modules > 0 || self.errors > 0 {
            return Vec::new();
        }
        let warning = match self.files {
            0 => "nothing was analysed: no `.json`, `.yaml`, `.yml`, `.template`, `.cft` or `.tf` \
                  file under the paths given"
                .to_owned(),
            1 => "nothing was analysed: the one file read is not a CloudFormation template, a \
                  Terraform plan or Terraform configuration"
                .to_owned(),
            n => format!(
                "nothing was analysed: none of the {n} files read is a CloudFormation template, \
                 a Terraform plan or Terraform configuration"
            ),
        };
        vec![warning]
    }
}

/// What a `check` run reads and how it reports.
#[derive(Debug, Default)]
pub struct Settings {
    pub paths: Vec<PathBuf>,
    /// Read for pairing: a finding there is reported only when it names a resource of the
    /// paths.
    pub context: Vec<PathBuf>,
    /// Whether the config's `exclude` applies to files named in `paths` too.
    pub force_exclude: bool,
    pub ingest: ingest::Options,
    pub config: config::Config,
    /// The file `config` was read from, if any (`--verbose` names it).
    pub config_path: Option<PathBuf>,
    /// `--select` / `--ignore` (IDs).
    pub select: Vec<&'static str>,
    pub ignore: Vec<&'static str>,
    /// `--external-trails` files.
    pub external_trails: Vec<PathBuf>,
    /// Fingerprints of findings accepted by `--baseline`: not reported.
    pub baseline: HashSet<String>,
    /// The input read from standard input (`check -`): the name it goes by
    /// (`--stdin-filename`, else `-`) and its text. It stands in for a file of that name
    /// found on disk, as an editor's unsaved buffer does.
    pub stdin: Option<(PathBuf, String)>,
}

/// Reads, analyses and checks everything under `paths`, pairing with what is under `context`
/// too but reporting only on `paths`.
pub fn check(paths: &[PathBuf], context: &[PathBuf], options: &ingest::Options) -> Run {
    check_with(&Settings {
        paths: paths.to_vec(),
        context: context.to_vec(),
        ingest: options.clone(),
        ..Settings::default()
    })
}

/// Runs `check` as `settings` say.
pub fn check_with(settings: &Settings) -> Run {
    let mut read = inputs::read(settings);
    inputs::add_external_trails(&mut read, settings);
    let inputs::Read {
        deployment,
        items,
        roots,
        mut errors,
        skipped,
        mut summary,
    } = read;
    let deployments::Assembled { whole, groups } =
        deployments::assemble(deployment, items, &roots, &settings.config);
    let deployment = whole;
    errors.extend(unknown_suppressions(&deployment));
    let warnings = unexplained_suppressions(&deployment);

    let policy = policy(settings);
    let mut findings = if groups.is_empty() {
        let reports = analysis::analyse(&deployment);
        checks::run(&deployment, &reports, |rule| policy.runs(rule))
    } else {
        in_each(&groups, &policy)
    };
    // A finding is this run's business when its rule, or any resource it names (a trail, a
    // bucket, a bus), is in the paths given: under `--context`, a change to a trail reports
    // the rules that lose their events, wherever they are.
    findings.retain(|finding| {
        let reported = |file| deployment.file(file).reported;
        reported(finding.loc.file) || finding.related.iter().any(|r| reported(r.loc.file))
    });
    let found = findings.len();
    policy.apply(&deployment, &mut findings);
    summary.suppressed = found - findings.len();
    let kept = findings.len();
    findings.retain(|finding| !settings.baseline.contains(&finding.fingerprint()));
    summary.baselined = kept - findings.len();
    order(&deployment, &mut findings);
    let notes = checks::shared_notes(&mut findings);

    summary.rules = deployment.rules.len();
    summary.trails = deployment.trails.len();
    summary.findings = findings.len();
    summary.errors = errors.len();
    Run {
        deployment,
        deployments: groups
            .into_iter()
            .map(|group| (group.name, group.files))
            .collect(),
        findings,
        errors,
        warnings,
        skipped,
        notes,
        summary,
    }
}

/// The findings of each deployment analysed on its own. A rule in files several deployments
/// share is analysed in each; the same finding found in several is reported once, naming them.
fn in_each(groups: &[deployments::Group], policy: &Policy<'_>) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    type Key = (&'static str, crate::source::Loc, String, String);
    let mut seen: std::collections::HashMap<Key, usize> = std::collections::HashMap::new();
    for group in groups {
        let reports = analysis::analyse(&group.deployment);
        for mut finding in checks::run(&group.deployment, &reports, |rule| policy.runs(rule)) {
            let key = (
                finding.rule.id,
                finding.loc,
                finding.message.clone(),
                finding.resource.clone(),
            );
            match seen.get(&key) {
                Some(&at) => findings[at].deployments.push(group.name.clone()),
                None => {
                    seen.insert(key, findings.len());
                    finding.deployments.push(group.name.clone());
                    findings.push(finding);
                }
            }
        }
    }
    findings
}

/// The command line's and the config's choice of rules and severities.
fn policy(settings: &Settings) -> Policy<'_> {
    let ignored_by_config = settings.config.ignore_rules.iter().map(|info| info.id);
    Policy {
        select: settings.select.clone(),
        ignore: ignored_by_config
            .chain(settings.ignore.iter().copied())
            .collect(),
        severity: settings.config.severity.clone(),
        resource_ignores: &settings.config.ignores,
    }
}

/// Rule IDs in `Metadata: {trailcheck: {ignore: […]}}` must exist: a typo would silently turn
/// a check off.
fn unknown_suppressions(deployment: &Deployment) -> Vec<RunError> {
    deployment
        .rules
        .iter()
        .flat_map(|rule| rule.suppressed.iter().map(move |s| (rule, s)))
        .filter(|(_, (written, _))| rules::find(written).is_none())
        .map(|(rule, (written, span))| RunError {
            path: deployment.file(rule.loc.file).path.clone(),
            at: Some((rule.loc.file, span.start)),
            message: rules::unknown(written),
        })
        .collect()
}

/// A `Metadata` suppression should say why the finding does not hold: a reviewer reads it, and
/// a reason makes a stale suppression visible. One warning per suppression (a SAM function's
/// events share their function's), in the files reported on.
fn unexplained_suppressions(deployment: &Deployment) -> Vec<RunError> {
    let mut seen = std::collections::HashSet::new();
    deployment
        .rules
        .iter()
        .filter_map(|rule| rule.unexplained.map(|span| (rule, span)))
        .filter(|(rule, _)| deployment.file(rule.loc.file).reported)
        .filter(|(rule, span)| seen.insert((rule.loc.file, span.start)))
        .map(|(rule, span)| RunError {
            path: deployment.file(rule.loc.file).path.clone(),
            at: Some((rule.loc.file, span.start)),
            message: format!(
                "the suppression on `{}` gives no `reason`; say why the finding does not hold (`reason: …` beside `ignore`)",
                rule.name.split('.').next().unwrap_or(&rule.name)
            ),
        })
        .collect()
}

/// Findings in a stable order, by file, position and rule, each once.
fn order(deployment: &Deployment, findings: &mut Vec<Finding>) {
    findings.sort_by_cached_key(|f| {
        (
            deployment.file(f.loc.file).display_path(),
            f.loc.span,
            f.rule.id,
            f.message.clone(),
            f.resource.clone(),
        )
    });
    // Instances of one Terraform resource (`count`, `for_each`) share their place: each is
    // its own finding.
    findings.dedup_by(|a, b| {
        a.rule.id == b.rule.id
            && a.loc == b.loc
            && a.message == b.message
            && a.resource == b.resource
    });
}

/// 2 when an input could not be read, 1 when a finding is at or above `fail_on`, else 0.
pub fn exit_code(run: &Run, fail_on: Severity) -> ExitCode {
    if !run.errors.is_empty() {
        ExitCode::from(2)
    } else if run.findings.iter().any(|f| f.severity >= fail_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
