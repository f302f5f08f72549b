//! `--format human`: one miette report per finding, then a summary line.
//!
//! Each report opens `error[TC103]: message`, shows the rule's source with the offending
//! pattern element underlined, a labelled snippet for each trail that was considered, and a
//! `help:` with the fix. Colour follows `--color` (see `render::colored`): by default, when
//! standard output is a terminal and `NO_COLOR` is unset.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::Run;
use crate::finding::Finding;
use crate::rules::Severity;
use crate::source::{Loc, SourceFile, Span};
use crate::walk;

/// Writes the findings and the summary; `terminal` says whether `out` is one (for colour).
pub fn write(out: &mut dyn Write, run: &Run, quiet: bool, terminal: bool) -> io::Result<()> {
    let color = super::colored(terminal);
    let shown = Shown::default();
    for finding in &run.findings {
        let report = Report::finding(run, finding, &shown);
        out.write_all(
            render(
                &report,
                &format!("{}[{}]:", finding.severity.as_str(), finding.rule.id),
                color,
            )
            .as_bytes(),
        )?;
    }
    for error in &run.errors {
        let report = match error.at {
            Some((file, offset)) => Report {
                message: error.message.clone(),
                severity: miette::Severity::Error,
                help: None,
                label: Some("here".to_owned()),
                span: Span::new(offset as usize, offset as usize),
                source: Some(shown.source(run.deployment.file(file))),
                related: Vec::new(),
            },
            None => Report {
                message: format!("{}: {}", shown_path(&error.path), error.message),
                severity: miette::Severity::Error,
                help: None,
                label: None,
                span: Span::default(),
                source: None,
                related: Vec::new(),
            },
        };
        out.write_all(render(&report, "error:", color).as_bytes())?;
    }
    // What several findings share, once: the first line is the note, the rest is indented.
    for note in &run.notes {
        let mut lines = note.lines();
        let head = if color {
            "\x1b[1;36mnote\x1b[0m"
        } else {
            "note"
        };
        writeln!(out, "{head}: {}", lines.next().unwrap_or_default())?;
        for line in lines {
            writeln!(out, "  {line}")?;
        }
        writeln!(out)?;
    }
    if !quiet {
        writeln!(out, "{}", summary_line(run))?;
    }
    Ok(())
}

/// One message about a place in a file, rendered like a finding.
pub fn write_located(
    out: &mut dyn Write,
    head: &str,
    message: &str,
    file: &SourceFile,
    span: Span,
) -> io::Result<()> {
    let color = super::colored(io::stderr().is_terminal());
    let report = Report {
        message: message.to_owned(),
        severity: miette::Severity::Error,
        help: None,
        label: Some(message.rsplit(": ").next().unwrap_or(message).to_owned()),
        span,
        source: Some(Shown::default().source(file)),
        related: Vec::new(),
    };
    out.write_all(render(&report, head, color).as_bytes())
}

/// A config that cannot be used, pointing into it when the problem has a place. The message
/// quotes the file and stays on one line; the file is read again as it was read the first
/// time, never through a link.
pub fn write_config_error(
    err: &mut dyn Write,
    error: &crate::config::ConfigError,
) -> io::Result<()> {
    let message = super::escaped_name(&error.message);
    let text = match error.offset {
        Some(_) => walk::read_with(&error.path, walk::Links::Refuse, crate::config::MAX_SIZE).ok(),
        None => None,
    };
    match (error.offset, text) {
        (Some(offset), Some(text)) if offset <= text.len() => {
            let file = SourceFile::new(error.path.clone(), text, true);
            write_located(err, "error:", &message, &file, Span::new(offset, offset))
        }
        _ => writeln!(err, "error: {}: {message}", shown_path(&error.path)),
    }
}

/// `--verbose`: the files passed over, and why.
pub fn write_skipped(err: &mut dyn Write, run: &Run) -> io::Result<()> {
    for (path, reason) in &run.skipped {
        writeln!(
            err,
            "skipped {}: {}",
            shown_path(path),
            super::escaped_name(reason)
        )?;
    }
    Ok(())
}

fn summary_line(run: &Run) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let by_severity: Vec<String> = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .filter_map(|severity| {
            let n = run
                .findings
                .iter()
                .filter(|f| f.severity == severity)
                .count();
            (n > 0).then(|| plural(n, severity.as_str()))
        })
        .collect();
    let s = &run.summary;
    let found = match s.findings {
        0 => "no findings".to_owned(),
        n => format!("{} ({})", plural(n, "finding"), by_severity.join(", ")),
    };
    let modules = if s.modules > 0 {
        format!(", {}", plural(s.modules, "Terraform root module"))
    } else {
        String::new()
    };
    let mut line = format!(
        "{found} in {} ({}, {}{modules}; {}, {})",
        plural(s.files, "file"),
        plural(s.templates, "template"),
        plural(s.plans, "plan"),
        plural(s.rules, "rule"),
        plural(s.trails, "trail"),
    );
    let hidden: Vec<String> = [
        (s.suppressed, "suppressed"),
        (s.baselined, "in the baseline"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, why)| format!("{n} {why}"))
    .collect();
    if !hidden.is_empty() {
        line.push_str(&format!("; not reported: {}", hidden.join(", ")));
    }
    if s.excluded > 0 {
        line.push_str(&format!(
            "; {} excluded by the config",
            plural(s.excluded, "path")
        ));
    }
    // Errors are unreadable inputs and suppressions naming no rule: each is printed above.
    if s.errors > 0 {
        line.push_str(&format!("; {}", plural(s.errors, "input error")));
    }
    line
}

/// Renders one report; miette's severity mark is replaced by `error[TC103]:` so the first line
/// reads like a compiler's.
fn render(report: &Report, head: &str, color: bool) -> String {
    let mut theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    theme.characters.error = head.to_owned();
    theme.characters.warning = head.to_owned();
    theme.characters.advice = "note:".to_owned();
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_wrap_lines(false)
        .with_links(false)
        .with_show_related_as_nested(true);
    let mut text = String::new();
    if handler.render_report(&mut text, report).is_err() {
        text = format!("{head} {}\n", report.message);
    }
    // miette indents the first line by two spaces; a compiler-style head starts the line.
    let text = text.strip_prefix("  ").unwrap_or(&text).to_owned();
    text + "\n"
}

/// Longest line shown in a snippet. Terraform writes a plan on one line; showing it would print
/// the whole plan for every finding (and miette cannot place labels past column 65,535).
const MAX_SNIPPET_LINE: usize = 400;

fn longest_line(text: &str) -> usize {
    text.lines()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0)
}

/// A path as printed to a terminal: control characters (a newline, an ANSI escape sequence in a
/// file's name) are written as escapes, so that a name cannot forge lines or colours.
pub fn shown_path(path: &std::path::Path) -> String {
    super::escaped_name(&crate::source::display_path(path)).into_owned()
}

/// The texts of the files as snippets show them, made safe for a terminal once per file
/// ([`super::placeholders`]): a template's string may hold an escape sequence.
#[derive(Default)]
struct Shown(RefCell<HashMap<PathBuf, Arc<String>>>);

impl Shown {
    fn source<'f>(&self, file: &'f SourceFile) -> Snippets<'f> {
        let text = Arc::clone(
            self.0.borrow_mut().entry(file.path.clone()).or_insert_with(
                || match super::placeholders(&file.text) {
                    Cow::Borrowed(_) => Arc::clone(&file.text),
                    Cow::Owned(text) => Arc::new(text),
                },
            ),
        );
        Snippets {
            name: shown_path(&file.path),
            language: match file.path.extension() {
                Some(ext) if ext == "json" => "JSON",
                _ => "YAML",
            },
            shown: text,
            file,
        }
    }

    /// The file as a snippet source, when the lines around `span` are short enough to show.
    fn snippet<'f>(&self, file: &'f SourceFile, span: Span) -> Option<Snippets<'f>> {
        let lines = file.lines_of(span);
        (lines.len() <= MAX_SNIPPET_LINE * 4 && longest_line(&file.text[lines]) <= MAX_SNIPPET_LINE)
            .then(|| self.source(file))
    }
}

/// A file as miette reads snippets from it. miette's own sources find a snippet's lines by
/// reading the text from its first byte, for each snippet: hundreds of findings in a large
/// template read it hundreds of times. This one hands miette only the lines around the snippet,
/// found with the file's line index, and moves what miette reads there back to where it is in
/// the file: the same contents, and so the same output, as from the whole text.
#[derive(Debug)]
struct Snippets<'f> {
    name: String,
    language: &'static str,
    /// The file's text as shown: as long as the file's, with its lines where they are.
    shown: Arc<String>,
    file: &'f SourceFile,
}

impl SourceCode for Snippets<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.shown.as_str();
        let (start, len) = (span.offset(), span.len());
        // A line more on each side than miette shows, so that it stops reading where it would
        // in the whole text; a span past the end is left to miette to refuse.
        let (first_line, window) = match start.checked_add(len) {
            Some(end) if end <= text.len() => self.file.lines_around(
                Span::new(start, end),
                context_lines_before + 1,
                context_lines_after + 2,
            ),
            _ => (0, 0..text.len()),
        };
        let inner = text[window.clone()].read_span(
            &SourceSpan::new((start - window.start.min(start)).into(), len),
            context_lines_before,
            context_lines_after,
        )?;
        let contents = MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + window.start).into(),
                inner.span().len(),
            ),
            inner.line() + first_line,
            inner.column(),
            inner.line_count() + first_line,
        )
        .with_language(self.language);
        Ok(Box::new(contents))
    }
}

/// A finding, or one of its related notes, as a miette diagnostic.
#[derive(Debug)]
struct Report<'f> {
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    label: Option<String>,
    span: Span,
    source: Option<Snippets<'f>>,
    related: Vec<Report<'f>>,
}

impl<'f> Report<'f> {
    fn finding(run: &'f Run, finding: &Finding, shown: &Shown) -> Report<'f> {
        let file = |loc: Loc| shown.snippet(run.deployment.file(loc.file), loc.span);
        let at = |loc: Loc| {
            let file = run.deployment.file(loc.file);
            let position = file.line_col(loc.span.start);
            format!(
                "{}:{}:{}",
                shown_path(&file.path),
                position.line,
                position.column
            )
        };
        // Without a snippet (a line too long to show), the message says where.
        let located = |message: &str, loc: Loc| match file(loc) {
            Some(_) => message.to_owned(),
            None => format!("{message} (at {})", at(loc)),
        };
        Report {
            message: located(&super::addressed(run, finding), finding.loc),
            severity: match finding.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help: finding.help.as_ref().map(|help| help.trim_end().to_owned()),
            label: Some(finding.label.clone()),
            span: finding.loc.span,
            source: file(finding.loc),
            related: finding
                .related
                .iter()
                .map(|related| Report {
                    message: located(&related.message, related.loc),
                    severity: miette::Severity::Advice,
                    help: None,
                    label: None,
                    span: related.loc.span,
                    source: file(related.loc),
                    related: Vec::new(),
                })
                .collect(),
        }
    }
}

/// Every text of a report reaches the terminal escaped: messages quote the inputs. A message
/// and a label are one line each; a line break in them comes from an input, and would start a
/// line of its own (which a CI runner may read as a command: `::error …`).
impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::escaped_name(&self.message))
    }
}

/// Help keeps its line breaks, as it holds fix snippets; but no line of trailcheck's own starts
/// like a CI runner's command (`::` in GitHub Actions, `##` in Azure Pipelines), so the line
/// break before one can only come from an input quoted in the help, and is escaped instead.
fn help_lines(help: &str) -> Cow<'_, str> {
    let command = |line: &str| {
        let line = line.trim_start();
        line.starts_with("::") || line.starts_with("##")
    };
    let escaped = super::escaped(help);
    if !escaped.split('\n').skip(1).any(command) {
        return escaped;
    }
    let mut lines = escaped.split('\n');
    let mut out = lines.next().unwrap_or_default().to_owned();
    for line in lines {
        out.push_str(if command(line) { "\\n" } else { "\n" });
        out.push_str(line);
    }
    Cow::Owned(out)
}

impl std::error::Error for Report<'_> {}

impl Diagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help_lines(help)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let label = LabeledSpan::new_primary_with_span(
            self.label
                .as_deref()
                .map(|label| super::escaped_name(label).into_owned()),
            SourceSpan::from(self.span),
        );
        Some(Box::new(std::iter::once(label)))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every span of texts with CRLF and LF line ends, blank lines, characters of several bytes
    /// and no final line break, with and without context: what miette reads from the lines
    /// around a span is what it reads from the whole text. (A span past the end is never
    /// asked for: miette panics on some.)
    #[test]
    fn snippets_read_as_miette_reads_the_whole_text() {
        let texts = [
            "a: 1\r\nbé: [x, y]\n\n  c: 'ü'\r\n\r\nd:\n  - e\n  - f\nlast",
            "",
            "\n",
            "one line",
            "x\n\ny\n",
        ];
        for text in texts {
            let file = SourceFile::new("t.yaml", text.to_owned(), true);
            let shown = Shown::default();
            let snippets = shown.source(&file);
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for &start in &boundaries {
                for &end in boundaries.iter().filter(|&&end| end >= start) {
                    for context in 0..3 {
                        let span = SourceSpan::new(start.into(), end - start);
                        let read = |source: &dyn SourceCode| {
                            source.read_span(&span, context, context).map(|c| {
                                (
                                    c.data().to_vec(),
                                    (c.span().offset(), c.span().len()),
                                    (c.line(), c.column(), c.line_count()),
                                )
                            })
                        };
                        let whole = read(&text);
                        let ours = read(&snippets);
                        assert_eq!(
                            ours.as_ref().ok(),
                            whole.as_ref().ok(),
                            "{text:?} at {start}..{end} with {context} lines of context"
                        );
                        assert_eq!(ours.is_err(), whole.is_err());
                    }
                }
            }
        }
    }
}
