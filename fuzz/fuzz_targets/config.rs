//! `trailcheck.toml` from arbitrary bytes.
//!
//! The text is checked as `config::load` checks a file it has read. Nothing may panic (a glob
//! too large for globset's regex is an error, not a panic); an error's offset lies inside the
//! text on a character boundary and renders with its snippet; a config that is accepted works:
//! its globs match, and each `[[trails]]` entry's properties are JSON that reads as a trail.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use trailcheck::config;
use trailcheck::ingest::external::config_trail;
use trailcheck::parse::{self, Syntax};
use trailcheck::render::human::write_located;
use trailcheck::source::{FileId, Loc, SourceFile, Span};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new(config::FILE_NAME);
    match config::from_text(path, text.to_owned()) {
        Ok(config) => {
            for candidate in ["app.yaml", "legacy/a/b.json", "", "cdk.out/asset.1/x.json"] {
                let _ = config
                    .exclude
                    .as_ref()
                    .map(|globs| globs.is_match(candidate));
            }
            for ignore in &config.ignores {
                let _ = ignore
                    .resource
                    .is_match("module.a.aws_cloudwatch_event_rule.b");
            }
            for trail in &config.trails {
                assert!(
                    text.get(trail.span.range()).is_some(),
                    "trail span {:?} not inside the text on char boundaries",
                    trail.span
                );
                let properties = parse::parse(&trail.properties, Syntax::Json)
                    .unwrap_or_else(|e| panic!("{:?} is not JSON: {e}", trail.properties));
                let loc = Loc {
                    file: FileId(0),
                    span: trail.span,
                };
                let _ = config_trail(loc, &trail.name, &properties, trail.home_region.clone());
            }
        }
        Err(error) => {
            if let Some(offset) = error.offset {
                assert!(
                    text.is_char_boundary(offset),
                    "error offset {offset} not on a char boundary of the text ({} bytes): {}",
                    text.len(),
                    error.message
                );
                // As `trailcheck check` shows it.
                let file = SourceFile::new(path, text.to_owned(), true);
                let mut out = Vec::new();
                write_located(
                    &mut out,
                    "error:",
                    &error.message,
                    &file,
                    Span::new(offset, offset),
                )
                .expect("written to memory");
            }
        }
    }
});
