//! Findings → text: the only place, with `main`, that writes output.
//!
//! Every format reads the same [`crate::Run`]; line and column are computed here from byte
//! spans.

pub mod docs;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod test_pattern;

use std::borrow::Cow;

use crate::Run;
use crate::cli::ColorChoice;
use crate::finding::Finding;

/// The `--color` choice of this process, set once by the command that writes.
static COLOR: std::sync::OnceLock<ColorChoice> = std::sync::OnceLock::new();

/// Sets the `--color` choice for every later output of the process (the first choice stands).
pub fn set_color(choice: ColorChoice) {
    let _ = COLOR.set(choice);
}

/// Whether output to a stream is coloured: `--color always`/`never` decide; otherwise a
/// non-empty `NO_COLOR` turns colour off, a non-empty `FORCE_COLOR` or a `CLICOLOR_FORCE`
/// other than `0` turns it on, `TERM=dumb` off, and else the stream must be a terminal
/// (<https://no-color.org>, <https://force-color.org>, <https://bixense.com/clicolors/>).
fn colored(terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    match COLOR.get().copied().unwrap_or(ColorChoice::Auto) {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR").is_some() => false,
        ColorChoice::Auto
            if set("FORCE_COLOR").is_some() || set("CLICOLOR_FORCE").is_some_and(|v| v != "0") =>
        {
            true
        }
        ColorChoice::Auto if std::env::var_os("TERM").is_some_and(|t| t == "dumb") => false,
        ColorChoice::Auto => terminal,
    }
}

/// A finding's message, opened by the rule's address when it is in Terraform (the snippet of a
/// plan shows the rule's pattern, not which resource it belongs to; a module's block serves
/// every instance of it) and closed by
/// the deployments it was found in, when the config declares them.
fn addressed(run: &Run, finding: &Finding) -> String {
    let mut message =
        if run.deployment.file(finding.loc.file).addressed && !finding.resource.is_empty() {
            format!("{}: {}", finding.resource, finding.message)
        } else {
            finding.message.clone()
        };
    if !finding.deployments.is_empty() {
        let names: Vec<String> = finding
            .deployments
            .iter()
            .map(|d| format!("`{d}`"))
            .collect();
        let plural = if names.len() == 1 { "" } else { "s" };
        message.push_str(&format!(" (deployment{plural} {})", names.join(", ")));
    }
    message
}

/// Whether a terminal would act on a character instead of showing it: control characters
/// other than tab and line feed (an escape sequence recolours or rewrites the screen, a
/// carriage return overwrites the line) and the bidirectional controls that reorder what is
/// shown (<https://trojansource.codes>). Input text reaches the terminal only through
/// [`escaped`] or [`placeholders`].
fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with each character a terminal would act on written as its escape (`\u{1b}`).
pub(crate) fn escaped(text: &str) -> Cow<'_, str> {
    escape_where(text, acts_on_terminal)
}

/// Text that must stay on one line (a file name, a message quoting an input): as [`escaped`],
/// tabs and line feeds too. A line break there would start a line of its own, which a CI log
/// may read as a command (`::error …` in GitHub Actions).
pub(crate) fn escaped_name(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c.is_control() || acts_on_terminal(c))
}

fn escape_where(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with each character a terminal would act on replaced by a visible one of the same
/// length in bytes (`?`, `¿` or `�`), so that byte spans into the text stay where they were.
/// A carriage return that ends a line (CRLF) is left alone.
pub(crate) fn placeholders(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let replaced = |(i, c): (usize, char)| {
        acts_on_terminal(c) && !(c == '\r' && bytes.get(i + 1) == Some(&b'\n'))
    };
    if !text.char_indices().any(replaced) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.char_indices()
            .map(|(i, c)| match c.len_utf8() {
                _ if !replaced((i, c)) => c,
                1 => '?',
                2 => '¿',
                _ => '\u{FFFD}',
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_are_escaped_or_replaced_in_place() {
        let text = "a\u{1b}[31mb\tc\nd\re\u{85}f\u{202E}g\r\n";
        assert_eq!(
            escaped(text),
            "a\\u{1b}[31mb\tc\nd\\re\\u{85}f\\u{202e}g\\r\n"
        );
        let shown = placeholders(text);
        assert_eq!(shown, "a?[31mb\tc\nd?e¿f\u{FFFD}g\r\n");
        assert_eq!(shown.len(), text.len());
        assert!(matches!(escaped("plain\ttext\n"), Cow::Borrowed(_)));
        assert_eq!(escaped_name("a\tb\nc\u{202E}"), "a\\tb\\nc\\u{202e}");
        assert!(matches!(placeholders("plain ünïcode"), Cow::Borrowed(_)));
    }
}
