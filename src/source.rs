//! Source files and byte spans.
//!
//! Every location trailcheck reports is a byte range into one file's text. Line and column are
//! computed only when a finding is rendered, from a line index built on demand. This module does
//! no parsing and knows nothing of templates.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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

/// Index of a file in a run's list of files (the deployment's `files`).
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
    /// Whether the file is Terraform (a plan or configuration), whose snippets do not show a
    /// resource's address (a plan's shows the pattern, a module's block serves many instances):
    /// the human and GitHub outputs name it.
    pub addressed: bool,
    /// Whether the file was analysed (a template or a plan), not passed over.
    pub analysed: bool,
    /// Where lines start and how many characters precede each block, built the first time a
    /// position is asked for.
    index: OnceLock<LineIndex>,
}

/// A 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<String>>, reported: bool) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
            reported,
            addressed: false,
            analysed: false,
            index: OnceLock::new(),
        }
    }

    /// The path as printed in every output format.
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }

    /// The bytes of the whole lines `span` touches, without the final line break.
    pub fn lines_of(&self, span: Span) -> std::ops::Range<usize> {
        let text = self.text.as_str();
        let starts = &self.index().line_starts;
        let start = (span.start as usize).min(text.len());
        let end = (span.end as usize).clamp(start, text.len());
        let first = starts.partition_point(|&s| s as usize <= start) - 1;
        let last = starts.partition_point(|&s| s as usize <= end) - 1;
        let line_end = starts
            .get(last + 1)
            .map_or(text.len(), |&next| next as usize - 1);
        starts[first] as usize..line_end
    }

    /// The whole lines `span` touches with `before` more lines above and `after` below, line
    /// breaks included (as far as the text goes), and the 0-based number of the first of them.
    pub fn lines_around(
        &self,
        span: Span,
        before: usize,
        after: usize,
    ) -> (usize, std::ops::Range<usize>) {
        let text = self.text.as_str();
        let starts = &self.index().line_starts;
        let start = (span.start as usize).min(text.len());
        let end = (span.end as usize).clamp(start, text.len());
        let first = (starts.partition_point(|&s| s as usize <= start) - 1).saturating_sub(before);
        let last = starts.partition_point(|&s| s as usize <= end) - 1;
        let to = starts
            .get(last.saturating_add(after).saturating_add(1))
            .map_or(text.len(), |&next| next as usize);
        (first, starts[first] as usize..to)
    }

    fn index(&self) -> &LineIndex {
        self.index
            .get_or_init(|| LineIndex::new(self.text.as_bytes()))
    }

    /// Line and column of a byte offset. Offsets inside a multi-byte character, or past the
    /// end, are clamped to the nearest character boundary.
    ///
    /// A file with findings is asked for dozens of positions, and a Terraform plan is often one
    /// line of a hundred megabytes, so the line starts are indexed once and each lookup only
    /// counts the characters between its line's start and the offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        let text = self.text.as_str();
        let offset = char_boundary(text, offset as usize);
        let index = self.index();
        // The last line starting at or before the offset.
        let line = index
            .line_starts
            .partition_point(|&start| start as usize <= offset);
        let line_start = index.line_starts[line - 1] as usize;
        LineCol {
            line,
            column: index.chars_before(text.as_bytes(), offset)
                - index.chars_before(text.as_bytes(), line_start)
                + 1,
        }
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

/// `path` made absolute against the working folder, with `.` and `..` worked out by hand:
/// links are not followed (files are never read through one, SPEC §10).
pub fn normalized(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The path of `path` relative to `dir`, `/`-separated, when it is inside it.
pub fn relative_to(path: &Path, dir: &Path) -> Option<String> {
    let relative = normalized(path).strip_prefix(dir).ok()?.to_path_buf();
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Paths relative to the root of the repository each file is in (the nearest folder holding
/// `.git`), whatever folder the run started in: what code-quality and code-scanning reports
/// resolve against the checkout. A file in no repository keeps the path as shown.
#[derive(Debug, Default)]
pub struct RepositoryPaths {
    roots: std::collections::HashMap<PathBuf, Option<PathBuf>>,
}

impl RepositoryPaths {
    pub fn of(&mut self, path: &Path) -> String {
        let absolute = normalized(path);
        let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
        let root = self
            .roots
            .entry(dir)
            .or_insert_with_key(|dir| {
                dir.ancestors()
                    .find(|d| d.join(".git").exists())
                    .map(Path::to_path_buf)
            })
            .clone();
        root.and_then(|root| relative_to(&absolute, &root))
            .unwrap_or_else(|| display_path(path))
    }
}

/// Line and column (both 1-based, column in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> LineCol {
    let offset = char_boundary(text, offset);
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    LineCol {
        line: before.bytes().filter(|&b| b == b'\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// `offset`, clamped to the text and moved back to the start of the character it falls in.
fn char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Line starts and character counts of one text, so that a position costs a binary search and a
/// count over at most one block, however long its line.
#[derive(Debug, Clone)]
struct LineIndex {
    line_starts: Vec<u32>,
    /// `block_chars[k]`: the characters in the first `k * BLOCK` bytes.
    block_chars: Vec<u32>,
}

const BLOCK: usize = 4096;

impl LineIndex {
    fn new(bytes: &[u8]) -> LineIndex {
        let mut line_starts = vec![0];
        let mut block_chars = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut chars = 0u32;
        for (k, block) in bytes.chunks(BLOCK).enumerate() {
            block_chars.push(chars);
            chars += count_chars(block) as u32;
            let base = k * BLOCK;
            line_starts.extend(
                block
                    .iter()
                    .enumerate()
                    .filter(|&(_, &b)| b == b'\n')
                    .map(|(i, _)| (base + i + 1) as u32),
            );
        }
        LineIndex {
            line_starts,
            block_chars,
        }
    }

    /// The characters in `bytes[..offset]`; `offset` is a character boundary.
    fn chars_before(&self, bytes: &[u8], offset: usize) -> usize {
        let block = offset / BLOCK;
        let Some(&before) = self.block_chars.get(block) else {
            // `offset` is the end of a text whose length is a multiple of the block size.
            return count_chars(bytes);
        };
        before as usize + count_chars(&bytes[block * BLOCK..offset])
    }
}

/// Characters in UTF-8 bytes: every byte that does not continue a character starts one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
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

    #[test]
    fn the_indexed_lookup_agrees_with_counting_from_the_start() {
        // Long lines, multi-byte characters across block boundaries, an empty last line.
        let mut text = String::new();
        for i in 0..3 * BLOCK / 7 {
            text.push_str(if i % 5 == 0 { "é€😀x" } else { "ab" });
            if i % 300 == 0 {
                text.push('\n');
            }
        }
        text.push('\n');
        for len in [text.len(), 2 * BLOCK, BLOCK, 0] {
            let text = &text[..char_boundary(&text, len)];
            let file = SourceFile::new("t.yaml", text.to_owned(), true);
            for offset in (0..=text.len() + 2).step_by(3) {
                assert_eq!(
                    file.line_col(offset as u32),
                    line_col(text, offset),
                    "offset {offset} of {}",
                    text.len()
                );
            }
            for start in (0..=text.len()).step_by(97) {
                let end = (start + 150).min(text.len());
                let lines = file.lines_of(Span::new(start, end));
                let bytes = text.as_bytes();
                let first = bytes[..start].iter().rposition(|&b| b == b'\n');
                let last = bytes[end..].iter().position(|&b| b == b'\n');
                let (first, last) = (
                    first.map_or(0, |i| i + 1),
                    last.map_or(text.len(), |i| end + i),
                );
                assert_eq!(lines, first..last, "span {start}..{end}");
            }
        }
    }
}
