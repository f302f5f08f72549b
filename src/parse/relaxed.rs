//! YAML as CloudFormation reads it where YAML 1.2 is stricter about indentation.
//!
//! CloudFormation (like PyYAML, a YAML 1.1 parser) accepts two things that saphyr, following
//! YAML 1.2, refuses: a quoted scalar whose continuation lines are indented less than the key
//! that holds it, and a flow collection (`[ … ]`, `{ … }`) whose items or closing bracket sit at
//! or left of that key. Real templates do both. Neither changes what the document means: a
//! quoted scalar's line breaks fold away the leading spaces of the next line, and inside a flow
//! collection indentation means nothing.
//!
//! So when the strict parse fails with one of those two errors, the text is indented where the
//! error says (only inside a quoted scalar or a flow collection, never in block structure,
//! where indentation is meaning) and parsed again; the tree's spans are then moved back to the
//! original text. Any other error, or one that does not go away, is the strict parser's.

use std::borrow::Cow;

use super::{Entry, Node, ParseError, Value, yaml};
use crate::source::Span;

/// Most places indented before giving up: each costs a parse of the whole text.
const MAX_FIXES: usize = 64;

/// Longest text given a second chance: CloudFormation reads templates up to 1 MB
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html>).
const MAX_RELAXED_LEN: usize = 1 << 20;

/// Parses YAML, forgiving the indentation CloudFormation forgives.
pub(super) fn parse(text: &str) -> Result<Node<'_>, ParseError> {
    let error = match yaml::parse(text) {
        Ok(node) => return Ok(node),
        Err(error) => error,
    };
    if !error.message.starts_with("invalid indentation") || text.len() > MAX_RELAXED_LEN {
        return Err(error);
    }
    relaxed(text, &error).ok_or(error)
}

/// Mends the place each error names and parses again, starting from the strict parser's
/// `error` on `text`.
fn relaxed(text: &str, error: &ParseError) -> Option<Node<'static>> {
    let mut fixed = Fixed {
        text: text.to_owned(),
        inserted: Vec::new(),
    };
    let mut error = error.clone();
    for _ in 0..MAX_FIXES {
        let at = error.offset as usize;
        match error.message.as_str() {
            "invalid indentation in quoted scalar" => fixed.indent_quoted_scalar(at)?,
            // saphyr says "in flow construct" once the line is as far right as the key.
            "invalid indentation" | "invalid indentation in flow construct"
                if in_flow(&fixed.text, at) =>
            {
                let line = line_start(&fixed.text, at);
                fixed.insert(&[(line, 1)]);
            }
            _ => return None,
        }
        error = match yaml::parse(&fixed.text) {
            Ok(node) => return Some(fixed.restore(node)),
            Err(error) => error,
        };
    }
    None
}

/// The text with spaces inserted, and where.
struct Fixed {
    text: String,
    /// Sorted by place, one per place in the original text.
    inserted: Vec<Insertion>,
}

/// Spaces inserted at one place of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Insertion {
    /// Where, in the original text.
    original: usize,
    /// Where the spaces start in the fixed text.
    fixed: usize,
    count: usize,
}

impl Fixed {
    /// Inserts `count` spaces at each `(at, count)` of `places` (offsets in the fixed text, at
    /// line starts, ascending), in one pass over the text: a quoted scalar can have a hundred
    /// thousand lines to indent.
    fn insert(&mut self, places: &[(usize, usize)]) {
        let added: usize = places.iter().map(|&(_, count)| count).sum();
        let mut text = String::with_capacity(self.text.len() + added);
        let mut new = Vec::with_capacity(places.len());
        let mut from = 0;
        for &(at, count) in places {
            text.push_str(&self.text[from..at]);
            text.extend(std::iter::repeat_n(' ', count));
            from = at;
            new.push((self.original(at), count));
        }
        text.push_str(&self.text[from..]);
        self.text = text;
        // The old places and the new, in order, one per place; then where each run of spaces
        // starts in the fixed text follows from the counts before it.
        let mut places: Vec<(usize, usize)> = self
            .inserted
            .iter()
            .map(|i| (i.original, i.count))
            .chain(new)
            .collect();
        places.sort_by_key(|&(original, _)| original);
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(places.len());
        for (original, count) in places {
            match merged.last_mut() {
                Some(last) if last.0 == original => last.1 += count,
                _ => merged.push((original, count)),
            }
        }
        let mut shift = 0;
        self.inserted = merged
            .into_iter()
            .map(|(original, count)| {
                let insertion = Insertion {
                    original,
                    fixed: original + shift,
                    count,
                };
                shift += count;
                insertion
            })
            .collect();
    }

    /// The offset in the original text of `at` in the fixed one; inserted spaces map to where
    /// they were inserted.
    fn original(&self, at: usize) -> usize {
        let before = self.inserted.partition_point(|i| i.fixed <= at);
        match before.checked_sub(1).map(|i| self.inserted[i]) {
            None => at,
            Some(last) if at < last.fixed + last.count => last.original,
            Some(last) => at - (last.fixed + last.count - last.original),
        }
    }

    /// Indents every continuation line of the quoted scalar opening at `at` past the line the
    /// scalar starts on. `None` when `at` is not an opening quote.
    fn indent_quoted_scalar(&mut self, at: usize) -> Option<()> {
        let bytes = self.text.as_bytes();
        let quote = *bytes.get(at).filter(|&&b| b == b'"' || b == b'\'')?;
        let start = line_start(&self.text, at);
        let needed = indentation(&self.text[start..]) + 2;
        let mut lines = Vec::new();
        let mut i = at + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' if quote == b'"' => i += 1,
                b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
                b if b == quote => break,
                b'\n' => {
                    let next = i + 1;
                    let rest = &self.text[next..];
                    let blank = rest.split('\n').next().is_some_and(|l| l.trim().is_empty());
                    let have = indentation(rest);
                    if !blank && have < needed {
                        lines.push((next, needed - have));
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if lines.is_empty() {
            return None;
        }
        self.insert(&lines);
        Some(())
    }

    /// The tree of the fixed text, owning its strings, with spans in the original text.
    fn restore(&self, node: Node<'_>) -> Node<'static> {
        let span = |span: Span| {
            Span::new(
                self.original(span.start as usize),
                self.original(span.end as usize),
            )
        };
        let owned = |text: Cow<'_, str>| Cow::Owned(text.into_owned());
        let value = match node.value {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Number(text) => Value::Number(owned(text)),
            Value::String(text) => Value::String(owned(text)),
            Value::Seq(items) => Value::Seq(items.into_iter().map(|n| self.restore(n)).collect()),
            Value::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|entry| Entry {
                        key: owned(entry.key),
                        key_span: span(entry.key_span),
                        value: self.restore(entry.value),
                    })
                    .collect(),
            ),
        };
        Node::new(span(node.span), value)
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

fn indentation(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

/// Whether `at` is inside a flow collection: more `[`/`{` than `]`/`}` open before it, outside
/// quoted scalars and comments.
fn in_flow(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < at.min(bytes.len()) {
        match bytes[i] {
            b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            quote @ (b'"' | b'\'') if depth > 0 || starts_scalar(bytes, i) => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    if bytes[i] == b'\\' && quote == b'"' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    depth > 0
}

/// Whether a quote at `i` in block context opens a quoted scalar (after `: `, `- ` or at the
/// start of a line), not an apostrophe inside a plain one.
fn starts_scalar(bytes: &[u8], i: usize) -> bool {
    let before = bytes[..i].iter().rev().find(|b| **b != b' ');
    matches!(before, None | Some(b'\n' | b':' | b'-' | b'?' | b','))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::tests::strip_spans as shape;

    fn spans_inside(node: &Node<'_>, text: &str) {
        assert!(text.get(node.span.range()).is_some(), "{:?}", node.span);
        match &node.value {
            Value::Seq(items) => items.iter().for_each(|n| spans_inside(n, text)),
            Value::Map(entries) => entries.iter().for_each(|e| {
                assert!(text.get(e.key_span.range()).is_some());
                spans_inside(&e.value, text);
            }),
            _ => {}
        }
    }

    #[test]
    fn a_quoted_scalar_may_continue_left_of_its_key() {
        let text =
            "Outputs:\n  A:\n    Description: \"Lorem ipsum\ndolor sit\n  amet\"\n    Value: x\n";
        assert!(yaml::parse(text).is_err(), "saphyr refuses it");
        let node = parse(text).expect("read as CloudFormation reads it");
        let description = node.at(&["Outputs", "A", "Description"]).unwrap();
        assert_eq!(description.as_str(), Some("Lorem ipsum dolor sit amet"));
        // Spans are in the original text.
        assert_eq!(
            &text[description.span.range()],
            "\"Lorem ipsum\ndolor sit\n  amet\""
        );
        let value = node.at(&["Outputs", "A", "Value"]).unwrap();
        assert_eq!(&text[value.span.range()], "x");
        spans_inside(&node, text);
    }

    #[test]
    fn a_flow_collection_may_close_left_of_its_key() {
        let text = "Policy:\n  Statements: [{\n    \"Effect\": \"Allow\",\n    \"Action\": \"s3:*\"\n  }]\n  Other: 1\n";
        assert!(yaml::parse(text).is_err(), "saphyr refuses it");
        let node = parse(text).expect("read as CloudFormation reads it");
        let same =
            "Policy:\n  Statements: [{\"Effect\": \"Allow\", \"Action\": \"s3:*\"}]\n  Other: 1\n";
        assert_eq!(shape(&node), shape(&yaml::parse(same).unwrap()));
        let other = node.at(&["Policy", "Other"]).unwrap();
        assert_eq!(&text[other.span.range()], "1");
        spans_inside(&node, text);
    }

    #[test]
    fn a_flow_collection_may_sit_anywhere_left_of_its_key() {
        // Lines at column 0 take a mend per column up to the key's, where saphyr's message
        // changes to "invalid indentation in flow construct".
        let text = "Outputs:\n  Out:\n    Value: [v0,\nv1\n]\n    Export: x\n";
        assert!(yaml::parse(text).is_err(), "saphyr refuses it");
        let node = parse(text).expect("read as CloudFormation reads it");
        let same = "Outputs:\n  Out:\n    Value: [v0, v1]\n    Export: x\n";
        assert_eq!(shape(&node), shape(&yaml::parse(same).unwrap()));
        spans_inside(&node, text);
    }

    #[test]
    fn offsets_map_back_through_every_insertion() {
        // Against a map kept by hand: for each offset of the fixed text, its original offset.
        let text = "0123456789\n".repeat(20);
        let mut fixed = Fixed {
            text: text.clone(),
            inserted: Vec::new(),
        };
        let mut map: Vec<usize> = (0..=text.len()).collect();
        let mut seed = 7usize;
        for round in 0..12 {
            let mut places = Vec::new();
            let mut at = 0;
            loop {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                at += (seed >> 33) % 40;
                if at > fixed.text.len() {
                    break;
                }
                places.push((at, 1 + round % 3));
            }
            places.dedup_by_key(|&mut (at, _)| at);
            for &(at, count) in places.iter().rev() {
                let original = map[at];
                map.splice(at..at, std::iter::repeat_n(original, count));
            }
            fixed.insert(&places);
            assert_eq!(fixed.text.len() + 1, map.len());
            for (at, &original) in map.iter().enumerate() {
                assert_eq!(fixed.original(at), original, "round {round}, offset {at}");
            }
        }
        assert_eq!(fixed.text.replace(' ', ""), text);
    }

    #[test]
    fn many_mistakes_are_bounded() {
        // A flow collection whose every line is too far left: more than MAX_FIXES places.
        let mut text = String::from("a:\n  b: [\n");
        for _ in 0..MAX_FIXES * 2 {
            text.push_str("1,\n");
        }
        text.push_str("  2]\n");
        // Given up on after MAX_FIXES parses: the strict parser's error.
        assert_eq!(parse(&text).unwrap_err(), yaml::parse(&text).unwrap_err());
    }

    #[test]
    fn block_indentation_mistakes_stay_errors() {
        for text in [
            "a:\n  b: 1\n c: 2\n",
            "a:\n    b: 1\n  c: 2\n",
            "- a\n - b\n",
            "a: 'it''s\n",
        ] {
            assert_eq!(
                parse(text).map(|_| ()),
                yaml::parse(text).map(|_| ()),
                "{text:?}"
            );
        }
    }
}
