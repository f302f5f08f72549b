//! Source files and byte spans.
//!
//! Every location trailcheck reports is a byte range into one file's text. Line and column are
//! computed only when a finding is rendered, from a line index built on demand. This module does
//! no parsing and knows nothing of templates.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A byte range `start..end` in one file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        // Files are capped far below 4 GiB (see `walk::MAX_FILE_SIZE`), so offsets fit in u32.
        Span {
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.end == self.start
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new((span.start as usize).into(), span.len())
    }
}

/// Index of a file in [`crate::model::Deployment::files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A location: a span in a given file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

/// One input file, read once.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given on the command line or found by walking (relative when the input was).
    pub path: PathBuf,
    /// Shared, so that rendering can hand it to diagnostics without copying it.
    pub text: Arc<String>,
    /// Whether findings in this file are reported; files read only for context are not.
    pub reported: bool,
}

/// A 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    /// The path as printed in every output format.
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }

    /// Line and column of a byte offset. Offsets inside a multi-byte character, or past the
    /// end, are clamped to the nearest character boundary.
    pub fn line_col(&self, offset: u32) -> LineCol {
        line_col(&self.text, offset as usize)
    }
}

/// A path as printed: `/` separators, no leading `./`, `<stdin>` for `-`.
pub fn display_path(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "<stdin>".to_owned();
    }
    let text = path.to_string_lossy();
    let text = text.strip_prefix("./").unwrap_or(&text);
    text.replace('\\', "/")
}

/// Line and column (both 1-based, column in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> LineCol {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    LineCol {
        line: before.bytes().filter(|&b| b == b'\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\ncé d\n";
        assert_eq!(line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(line_col(text, 3), LineCol { line: 2, column: 1 });
        // 'd' is at byte 7 ('é' is two bytes) and character column 4.
        assert_eq!(line_col(text, 7), LineCol { line: 2, column: 4 });
        // Inside 'é' clamps back to its start.
        assert_eq!(line_col(text, 5), LineCol { line: 2, column: 2 });
        assert_eq!(line_col(text, 100), LineCol { line: 3, column: 1 });
    }
}
