//! Whole files from arbitrary bytes: ingest, analysis, checks and every renderer.
//!
//! The bytes are taken as one file's text (nothing is written to disk) and read as
//! `ingest::ingest` reads a file found on disk, once named `.yaml` (so that text which looks
//! like JSON but is not gets YAML's second chance) and, when it looks like JSON, once named
//! `.json`. A recognised template or plan becomes a one-file deployment that is analysed,
//! checked and rendered in every format, exactly as `check_with` does; an unreadable input
//! becomes an error entry that is rendered the same way. Nothing may panic, every location must
//! lie inside the text on character boundaries (the renderers slice the file by them), and the
//! JSON document must parse.

#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use trailcheck::ingest::{self, FileOutcome, Options};
use trailcheck::model::Deployment;
use trailcheck::parse::{self, Syntax};
use trailcheck::source::{FileId, Loc, SourceFile};
use trailcheck::{Run, RunError, Summary, analysis, checks, render};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The region changes which checks can fire (TC108, TC109); let the input decide it.
    let options = Options {
        cfn_region: (data.len() % 2 == 1).then(|| "eu-west-1".to_owned()),
        ..Options::default()
    };
    one_file(text, "input.yaml", &options);
    if parse::sniff(text) == Syntax::Json {
        one_file(text, "input.json", &options);
    }
});

fn one_file(text: &str, name: &str, options: &Options) {
    let file = SourceFile::new(PathBuf::from(name), text.to_owned(), true);
    let mut outcome = ingest::ingest(FileId(0), &file, options);
    // `Fn::ImportValue` of the file's own exports: read again with them, as a run does.
    if let FileOutcome::Input(contents) = &outcome
        && !contents.exports.is_empty()
    {
        let mut exports = ingest::cfn::Exports::new();
        exports.extend(contents.exports.iter().cloned());
        let options = Options {
            exports,
            ..options.clone()
        };
        outcome = ingest::ingest(FileId(0), &file, &options);
    }
    let mut deployment = Deployment::default();
    let mut errors = Vec::new();
    let mut summary = Summary {
        files: 1,
        ..Summary::default()
    };
    match outcome {
        FileOutcome::Input(contents) => {
            match contents.kind {
                ingest::InputKind::Template => summary.templates = 1,
                ingest::InputKind::Plan => summary.plans = 1,
                ingest::InputKind::Configuration => {}
            }
            deployment.add(contents.items);
        }
        FileOutcome::Skipped(_) | FileOutcome::Hcl(..) => summary.skipped = 1,
        FileOutcome::Error(error) => {
            assert_eq!(error.file, FileId(0));
            if let Some(offset) = error.offset {
                assert!(
                    offset as usize <= text.len(),
                    "error offset {offset} beyond the text ({} bytes): {}",
                    text.len(),
                    error.message
                );
            }
            errors.push(RunError {
                path: file.path.clone(),
                at: error.offset.map(|offset| (FileId(0), offset)),
                message: error.message,
            });
        }
    }
    deployment.files.push(file);
    for rule in &deployment.rules {
        inside(text, rule.loc, "rule");
    }
    for trail in &deployment.trails {
        inside(text, trail.loc, "trail");
    }

    let findings = {
        let reports = analysis::analyse(&deployment);
        checks::run(&deployment, &reports, |_| true)
    };
    for finding in &findings {
        inside(text, finding.loc, finding.rule.id);
        for related in &finding.related {
            inside(text, related.loc, "related location");
        }
        let _ = finding.fingerprint();
    }
    summary.rules = deployment.rules.len();
    summary.trails = deployment.trails.len();
    summary.findings = findings.len();
    summary.errors = errors.len();
    let run = Run {
        deployment,
        deployments: Vec::new(),
        findings,
        errors,
        warnings: Vec::new(),
        skipped: Vec::new(),
        notes: Vec::new(),
        summary,
    };

    let json = rendered(&run, render::json::write);
    let json_text = std::str::from_utf8(&json).expect("the JSON document is UTF-8");
    if let Err(error) = parse::parse(json_text, Syntax::Json) {
        panic!("--format json wrote invalid JSON ({error}):\n{json_text}");
    }
    rendered(&run, |out, run| {
        render::sarif::write(out, run, render::sarif::RULES_URL)
    });
    rendered(&run, render::github::write);
    rendered(&run, render::gitlab::write);
    rendered(&run, render::junit::write);
    rendered(&run, |out, run| render::human::write(out, run, false, false));
    rendered(&run, |out, run| render::human::write(out, run, false, true));
}

/// A location reported for `what` lies inside the text, on character boundaries.
fn inside(text: &str, loc: Loc, what: &str) {
    assert_eq!(loc.file, FileId(0), "{what} located in another file");
    assert!(
        text.get(loc.span.range()).is_some(),
        "{what} span {:?} not inside the text ({} bytes) on char boundaries",
        loc.span,
        text.len()
    );
}

/// What a renderer writes.
fn rendered(
    run: &Run,
    write: impl Fn(&mut dyn std::io::Write, &Run) -> std::io::Result<()>,
) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out, run).expect("writing to memory cannot fail");
    out
}
