//! The command line: what users type, as clap types. The doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::rules::Severity;

/// Proves before deployment that the events an EventBridge rule waits for can reach it.
///
/// trailcheck reads CloudFormation templates (JSON, YAML, SAM, CDK output) and Terraform JSON
/// plans, pairs every EventBridge rule with the CloudTrail trails around it, and reports rules
/// that can never fire.
#[derive(Debug, Parser)]
#[command(name = "trailcheck", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to colour the human output: `auto` colours a terminal unless `NO_COLOR` is set
    /// (`FORCE_COLOR` or `CLICOLOR_FORCE` colour any output, `TERM=dumb` none).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and folders (default: the current folder).
    Check(Box<CheckArgs>),
    /// List every rule: ID, name, default severity, summary.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// The rule's ID (`TC103`) or name (`data-events-not-logged`).
        rule: String,
    },
    /// Say whether each event matches a pattern, as EventBridge would (an offline
    /// `aws events test-event-pattern`). Exits 0 when every event matches, 1 when one does
    /// not, 2 when the pattern or an event is invalid.
    TestPattern {
        /// The event pattern: a JSON file, `-` for standard input, or the JSON itself
        /// (`'{"source": ["aws.s3"]}'`).
        pattern: PathBuf,
        /// The events: JSON files or JSON written inline; one of the pattern and the events
        /// may be `-`.
        #[arg(required_unless_present = "schema")]
        events: Vec<PathBuf>,
        /// Also check the pattern against the AWS event schemas, as `check` does (a detail
        /// type the source never sends, a field the events do not have), printing the same
        /// findings; exits 1 when there are any.
        #[arg(long)]
        schema: bool,
    },
    /// Print a completion script for a shell, e.g.
    /// `trailcheck completions bash > ~/.local/share/bash-completion/completions/trailcheck`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files and folders to lint, or `-` for one input on standard input. Folders are walked
    /// without following symbolic links.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// The name of the input read from standard input (`check -`): shown in findings, and the
    /// file on disk it stands in for (an editor's unsaved buffer), paired with the rest.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Region the CloudFormation templates deploy to (repeatable). Terraform plans carry their
    /// own. Region checks (TC108, TC109) need exactly one.
    #[arg(long, value_name = "REGION")]
    pub region: Vec<String>,

    /// A file of values for the variables of Terraform root modules (`.tfvars`), read after
    /// each root's own `terraform.tfvars` and `*.auto.tfvars`. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub var_file: Vec<PathBuf>,

    /// A value for a variable of Terraform root modules, as `terraform plan -var` takes it;
    /// read after every `--var-file`. Repeatable.
    #[arg(long, value_name = "NAME=VALUE", value_parser = var)]
    pub var: Vec<(String, String)>,

    /// Also read every input under DIR for pairing (a trail in an unchanged file covers a rule
    /// in a staged one), but report only findings whose rule or any resource they name is in
    /// PATHS. Repeatable.
    #[arg(long, value_name = "DIR")]
    pub context: Vec<PathBuf>,

    /// Apply the config's `exclude` globs to files named on the command line too (as a
    /// pre-commit hook names them), not only to files found by walking folders.
    #[arg(long)]
    pub force_exclude: bool,

    /// Use this config file instead of looking for `trailcheck.toml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Use no config file.
    #[arg(long)]
    pub no_config: bool,

    /// Run only these rules (comma-separated IDs or names).
    #[arg(long, value_name = "RULES")]
    pub select: Option<String>,

    /// Do not run these rules (comma-separated IDs or names).
    #[arg(long, value_name = "RULES")]
    pub ignore: Option<String>,

    /// Trails that exist outside the scanned files: the JSON printed by `aws cloudtrail
    /// describe-trails`, `get-event-selectors` and `get-trail-status` (alone or merged).
    /// Repeatable.
    #[arg(long, value_name = "FILE")]
    pub external_trails: Vec<PathBuf>,

    /// Report only findings that are not in this baseline (written by `--write-baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Write the fingerprints of this run's findings to FILE, to adopt trailcheck in a
    /// repository that has findings already; exits 0 unless an input could not be read.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Exit 0 even with findings (2 still means an input or the arguments were wrong).
    #[arg(long)]
    pub exit_zero: bool,

    /// Output format, to standard output or to FILE: `human`, `json`, `sarif`, `github`,
    /// `gitlab` (Code Quality) or `junit` (XML). Repeatable, so that one analysis writes
    /// several: `--format human --format sarif:trailcheck.sarif`; at most one without a file.
    #[arg(long, value_name = "FORMAT[:FILE]", default_value = "human", value_parser = output)]
    pub format: Vec<Output>,

    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,

    /// Print less: no summary line.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more on standard error: every file skipped, and why.
    #[arg(short, long)]
    pub verbose: bool,
}

/// `NAME=VALUE`, as `terraform plan -var` takes it.
fn var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("expected NAME=VALUE, got `{text}`")),
    }
}

/// When the human output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// When writing to a terminal, unless `NO_COLOR`, `FORCE_COLOR`, `CLICOLOR_FORCE` or
    /// `TERM=dumb` say otherwise.
    #[default]
    Auto,
    Always,
    Never,
}

/// One `--format`: what to write, and where (standard output when no file is given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub format: Format,
    pub file: Option<PathBuf>,
}

/// Reads `FORMAT` or `FORMAT:FILE`.
fn output(text: &str) -> Result<Output, String> {
    let (name, file) = match text.split_once(':') {
        Some((name, file)) => (name, Some(file)),
        None => (text, None),
    };
    let format = Format::from_str(name, true).map_err(|_| {
        let known: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value())
            .map(|v| v.get_name().to_owned())
            .collect();
        format!(
            "`{name}` is no format; expected one of {}",
            known.join(", ")
        )
    })?;
    match file {
        Some("") => Err(format!("`{text}` names no file after `:`")),
        file => Ok(Output {
            format,
            file: file.map(PathBuf::from),
        }),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets, for people.
    Human,
    /// One JSON document (a stable, versioned contract), for tools.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request's files.
    Github,
    /// GitLab Code Quality report (`artifacts:reports:codequality`).
    Gitlab,
    /// JUnit XML, for CI test reports: a test suite per file, a failed test case per finding.
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    pub fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}
