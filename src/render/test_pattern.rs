//! `trailcheck test-pattern`: one line per event, or the reason the pattern is invalid.

use std::io::{self, Write};

use crate::PatternTest;
use crate::pattern::EventMatch;
use crate::source::display_path;
use crate::test_pattern::PatternFailure;

pub fn write(out: &mut dyn Write, err: &mut dyn Write, test: &PatternTest) -> io::Result<()> {
    if let Err(PatternFailure::Unreadable { path, message }) = &test.pattern {
        let path = display_path(path);
        return writeln!(
            err,
            "error: cannot read the pattern {}: {}",
            super::escaped_name(&path),
            super::escaped_name(message)
        );
    }
    if let Err(PatternFailure::Invalid(error)) = &test.pattern {
        let at = if error.error.path.is_empty() {
            String::new()
        } else {
            format!(" at `{}`", error.error.path)
        };
        let message = format!(
            "EventBridge rejects this event pattern{at}: {}",
            error.error.reason
        );
        return super::human::write_located(
            err,
            "error[TC201]:",
            &super::escaped_name(&message),
            &error.file,
            error.error.span,
        );
    }
    if let Some(run) = &test.schema {
        let terminal = std::io::IsTerminal::is_terminal(&io::stderr());
        super::human::write(err, run, true, terminal)?;
    }
    // The reasons quote the event and the pattern, whose keys may hold any character: each
    // result stays on its one line, escaped for the terminal, as the path.
    for (path, result) in &test.events {
        let path = display_path(path);
        let path = super::escaped_name(&path);
        match result {
            Ok(EventMatch::Match) => writeln!(out, "{path}: match")?,
            Ok(EventMatch::NoMatch(reason)) => {
                writeln!(out, "{path}: no match: {}", super::escaped_name(reason))?;
            }
            Err(message) => writeln!(err, "error: {path}: {}", super::escaped_name(message))?,
        }
    }
    Ok(())
}
