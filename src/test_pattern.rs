//! `trailcheck test-pattern`: read a pattern and events (a path, or `-` for standard input)
//! and match each event with the pattern engine. Reading is here; matching is the `pattern`
//! module's.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::source::{self, SourceFile};
use crate::{parse, pattern, walk};

/// What `test-pattern` found: the pattern, or why it is invalid, and each event's result.
#[derive(Debug)]
pub struct PatternTest {
    pub pattern: Result<pattern::Pattern, PatternFailure>,
    /// Each event file with its result, or why it could not be read.
    pub events: Vec<(PathBuf, Result<pattern::EventMatch, String>)>,
    /// With `--schema`, the pattern checked as `check` checks a rule's: its findings.
    pub schema: Option<crate::Run>,
}

/// Why there is no pattern to test: its file cannot be read, or EventBridge would reject it.
#[derive(Debug)]
pub enum PatternFailure {
    Unreadable { path: PathBuf, message: String },
    Invalid(InvalidPattern),
}

#[derive(Debug)]
pub struct InvalidPattern {
    pub file: SourceFile,
    pub error: pattern::PatternError,
}

impl PatternTest {
    pub fn exit_code(&self) -> ExitCode {
        if self.pattern.is_err() || self.events.iter().any(|(_, r)| r.is_err()) {
            ExitCode::from(2)
        } else if self
            .schema
            .as_ref()
            .is_some_and(|run| !run.findings.is_empty())
        {
            ExitCode::from(1)
        } else if self
            .events
            .iter()
            .all(|(_, r)| matches!(r, Ok(pattern::EventMatch::Match)))
        {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }
}

/// Reads a pattern and events (`-` is standard input, at most one argument may be `-`; an
/// argument that starts with `{` is the JSON itself) and matches each event.
pub fn test_pattern(
    pattern_path: &std::path::Path,
    event_paths: &[PathBuf],
    schema: bool,
    stdin: &mut dyn std::io::Read,
) -> PatternTest {
    // The command line allows `-` once, so standard input is read at most once.
    let mut read = |path: &std::path::Path| -> Result<String, String> {
        if let Some(inline) = inline(path) {
            return Ok(inline.to_owned());
        }
        if path.as_os_str() == "-" {
            let mut text = String::new();
            return stdin
                .read_to_string(&mut text)
                .map(|_| text)
                .map_err(|e| format!("cannot read standard input: {e}"));
        }
        walk::read(path).map_err(|e| e.to_string())
    };
    let mut checked = None;
    let pattern = match read(pattern_path) {
        Err(message) => Err(PatternFailure::Unreadable {
            path: shown(pattern_path, "<pattern>"),
            message,
        }),
        Ok(text) => {
            let whole = source::Span::new(0, text.len());
            let result = pattern::parse_pattern_text(&text, whole, &text);
            if let (Ok(pattern), true) = (&result, schema) {
                let file = SourceFile::new(shown(pattern_path, "<pattern>"), text.clone(), true);
                checked = Some(check_alone(pattern, file));
            }
            result.map_err(|error| {
                PatternFailure::Invalid(InvalidPattern {
                    file: SourceFile::new(shown(pattern_path, "<pattern>"), text, true),
                    error,
                })
            })
        }
    };
    let events = event_paths
        .iter()
        .enumerate()
        .map(|(index, path)| {
            let result = read(path).and_then(|text| {
                let event = parse::parse(&text, parse::Syntax::Json).map_err(|e| {
                    let at = source::line_col(&text, e.offset as usize);
                    format!("invalid JSON at {}:{}: {}", at.line, at.column, e.message)
                })?;
                if event.as_map().is_none() {
                    return Err("an event must be a JSON object".to_owned());
                }
                Ok(match &pattern {
                    Ok(pattern) => pattern::match_event(pattern, &event),
                    Err(_) => pattern::EventMatch::NoMatch(String::new()),
                })
            });
            (shown(path, &format!("<event {}>", index + 1)), result)
        })
        .collect();
    PatternTest {
        pattern,
        events,
        schema: checked,
    }
}

/// The pattern checked as `check` checks the pattern of an enabled rule on the default bus:
/// the pattern rules alone, since no trail or bucket comes with it.
fn check_alone(pattern: &pattern::Pattern, file: SourceFile) -> crate::Run {
    use crate::model::{Bus, Deployment, Dialect, EventRule, RulePattern, RuleState};
    let span = source::Span::new(0, file.text.len());
    let rule = EventRule {
        name: "pattern".to_owned(),
        aws_name: crate::value::Text::lit("pattern"),
        arn: crate::value::Text::lit("arn:aws:events:us-east-1:123456789012:rule/pattern"),
        loc: source::Loc {
            file: source::FileId(0),
            span,
        },
        dialect: Dialect::CfnJson,
        state: RuleState::Enabled,
        bus: Bus::Default,
        pattern: RulePattern::Valid(pattern.clone()),
        region: None,
        suppressed: Vec::new(),
        unexplained: None,
    };
    let deployment = Deployment {
        files: vec![file],
        rules: vec![rule],
        ..Deployment::default()
    };
    let reports = crate::analysis::analyse(&deployment);
    let findings = crate::checks::run(&deployment, &reports, |info| {
        info.family() == crate::rules::Family::Pattern
    });
    drop(reports);
    crate::Run {
        deployment,
        deployments: Vec::new(),
        findings,
        errors: Vec::new(),
        warnings: Vec::new(),
        skipped: Vec::new(),
        notes: Vec::new(),
        summary: crate::Summary::default(),
    }
}

/// The JSON of an argument written inline: one whose first non-blank character is `{`.
fn inline(argument: &std::path::Path) -> Option<&str> {
    argument
        .to_str()
        .filter(|text| text.trim_start().starts_with('{'))
}

/// How an argument is named in the output: inline JSON by `label` (`<pattern>`,
/// `<event 2>`), a path as given.
fn shown(argument: &std::path::Path, label: &str) -> PathBuf {
    if inline(argument).is_some() {
        PathBuf::from(label)
    } else {
        argument.to_path_buf()
    }
}
