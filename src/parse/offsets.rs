//! Positions inside a string value, mapped back to the file.
//!
//! An event pattern is often written as a string holding JSON: a CloudFormation
//! `EventPattern: |` block, or a Terraform `event_pattern` escaped inside the plan's JSON.
//! Parsing that string gives spans inside the *value*; this module aligns the value with the
//! string's source text (skipping quotes, indentation and escape sequences) so a finding can
//! still underline the exact element. When the alignment is not certain it gives up, and the
//! caller points at the whole string instead.

use crate::source::Span;

/// Maps byte offsets in a decoded string value to byte offsets in the file.
#[derive(Debug, Clone)]
pub struct OffsetMap {
    /// For each byte of the value that starts a character: its offset in the file.
    starts: Vec<u32>,
    /// For each such byte: the length of its source text (more than one for an escape).
    lengths: Vec<u8>,
}

impl OffsetMap {
    /// Aligns `value` with `source`, the file text of the string it was decoded from (quotes
    /// included), which starts at byte `base` of the file. `None` when the two do not align.
    pub fn align(value: &str, source: &str, base: usize) -> Option<OffsetMap> {
        let mut starts = vec![u32::MAX; value.len()];
        let mut lengths = vec![0u8; value.len()];
        let src = source.as_bytes();
        let mut at = 0;
        // Before the first character of the value: the opening quote or a block scalar header
        // (`|`, `>-`, `|2`).
        let mut header = true;
        for (index, wanted) in value.char_indices() {
            loop {
                let Some(found) = source.get(at..).and_then(|rest| rest.chars().next()) else {
                    // A block scalar's final line break has no character of its own.
                    if !wanted.is_whitespace() {
                        return None;
                    }
                    starts[index] = (base + at) as u32;
                    break;
                };
                if found == '\\'
                    && let Some((decoded, len)) = escape(&src[at..])
                    && decoded == wanted
                {
                    starts[index] = (base + at) as u32;
                    lengths[index] = len as u8;
                    at += len;
                    break;
                }
                if found == wanted && !(header && matches!(found, '"' | '\'')) {
                    starts[index] = (base + at) as u32;
                    lengths[index] = found.len_utf8() as u8;
                    at += found.len_utf8();
                    break;
                }
                // Folded lines: a value's space or newline may stand for a line break in the
                // source.
                if wanted.is_whitespace() && found.is_whitespace() {
                    starts[index] = (base + at) as u32;
                    lengths[index] = 1;
                    at += found.len_utf8();
                    break;
                }
                // Indentation, quotes and block scalar headers are not part of the value.
                let skippable = found.is_whitespace()
                    || matches!(found, '"' | '\'')
                    || (header
                        && (matches!(found, '|' | '>' | '-' | '+') || found.is_ascii_digit()));
                if !skippable {
                    return None;
                }
                at += found.len_utf8();
            }
            header = false;
        }
        Some(OffsetMap { starts, lengths })
    }

    /// The file span of a span inside the value; `None` if it does not start on a character.
    pub fn map(&self, span: Span) -> Option<Span> {
        let start = *self.starts.get(span.start as usize)?;
        if start == u32::MAX {
            return None;
        }
        let last = (span.start as usize..span.end as usize)
            .rev()
            .find(|&i| self.starts.get(i).is_some_and(|&s| s != u32::MAX))
            .unwrap_or(span.start as usize);
        let end = self.starts[last] + u32::from(self.lengths[last]);
        Some(Span {
            start,
            end: end.max(start),
        })
    }
}

/// The character a JSON (or YAML double-quoted) escape sequence stands for, and its length.
fn escape(bytes: &[u8]) -> Option<(char, usize)> {
    let c = match bytes.get(1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hex = std::str::from_utf8(bytes.get(2..6)?).ok()?;
            let code = u32::from_str_radix(hex, 16).ok()?;
            // Surrogate pairs are rare in patterns; give up rather than guess.
            return Some((char::from_u32(code)?, 6));
        }
        _ => return None,
    };
    Some((c, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(source: &str, value: &str, inner: &str) -> String {
        let map = OffsetMap::align(value, source, 0).expect("aligns");
        let start = value.find(inner).expect("inner in value");
        let span = map
            .map(Span::new(start, start + inner.len()))
            .expect("maps");
        source[span.range()].to_owned()
    }

    #[test]
    fn json_escaped_strings() {
        let source = r#""{\"source\":[\"aws.s3\"],\"a\":\"x\\ny\"}""#;
        let value = "{\"source\":[\"aws.s3\"],\"a\":\"x\\ny\"}";
        assert_eq!(check(source, value, "\"aws.s3\""), r#"\"aws.s3\""#);
        assert_eq!(check(source, value, "[\"aws.s3\"]"), r#"[\"aws.s3\"]"#);
    }

    #[test]
    fn yaml_block_scalars() {
        let source = "|\n    {\n      \"eventName\": []\n    }";
        let value = "{\n  \"eventName\": []\n}\n";
        assert_eq!(check(source, value, "[]"), "[]");
        assert_eq!(check(source, value, "\"eventName\""), "\"eventName\"");
    }

    #[test]
    fn gives_up_when_the_texts_differ() {
        assert!(OffsetMap::align("abc", "\"xyz\"", 0).is_none());
    }
}
