//! Event patterns from arbitrary bytes.
//!
//! The input is a pattern, optionally followed by a NUL byte and a JSON event. The pattern is
//! validated as `parse_pattern_text` does for a string `EventPattern`; a valid one is expanded
//! into its `$or` branches and matched against the event. Nothing may panic, and every span
//! the grammar reports must lie inside the text (the renderer slices the file by it).

#![no_main]

use libfuzzer_sys::fuzz_target;
use trailcheck::parse::{self, Syntax};
use trailcheck::pattern::{match_event, parse_pattern_text};
use trailcheck::source::Span;

fuzz_target!(|data: &[u8]| {
    let (pattern, event) = match data.iter().position(|&b| b == 0) {
        Some(nul) => (&data[..nul], Some(&data[nul + 1..])),
        None => (data, None),
    };
    let Ok(text) = std::str::from_utf8(pattern) else {
        return;
    };
    let host = Span::new(0, text.len());
    match parse_pattern_text(text, host, text) {
        Ok(parsed) => {
            assert!(
                text.get(parsed.span.range()).is_some(),
                "pattern span {:?} outside the text",
                parsed.span
            );
            if let Some(branches) = parsed.branches() {
                for branch in &branches {
                    for leaf in &branch.leaves {
                        let _ = branch.matchers(leaf.path);
                        let _ = branch.constrains_under(leaf.path);
                    }
                }
            }
            if let Some(Ok(event)) = event
                .and_then(|bytes| std::str::from_utf8(bytes).ok())
                .map(|event| parse::parse(event, Syntax::Json))
            {
                let _ = match_event(&parsed, &event);
            }
        }
        Err(error) => {
            assert!(
                text.get(error.span.range()).is_some(),
                "error span {:?} outside the text: {}",
                error.span,
                error.reason
            );
        }
    }
});
