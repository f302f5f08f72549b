//! Patterns with holes: a pattern built by an evaluator (Terraform's `jsonencode({...})` over
//! configuration, a heredoc with `${...}` interpolations) whose structure is known but some of
//! whose values are symbolic or unknown.
//!
//! The evaluator writes each such value into the document tree as a hole: a one-entry mapping
//! under a key no input can spell ([`Holes::hole`]), which the grammar asks its resolver about
//! as it asks about CloudFormation's intrinsics. A pattern with holes is never called invalid
//! (TC201): a construct the grammar rejects may be one a hole would have filled differently.

use std::borrow::Cow;

use super::grammar::{Resolve, Resolved, parse_pattern};
use super::{Pattern, PatternError};
use crate::parse::{self, Entry, Node, Syntax, Value};
use crate::source::Span;
use crate::value::{Piece, Text};

/// The key of a hole: a NUL cannot be written in a pattern EventBridge accepts.
const HOLE: &str = "\0trailcheck-hole";

/// The values of the holes of one pattern, by number, and where each is written.
#[derive(Debug, Default)]
pub struct Holes(Vec<(Resolved, Span)>);

impl Holes {
    /// A node standing for `value`, written at `span`.
    pub fn hole(&mut self, value: Resolved, span: Span) -> Node<'static> {
        let index = self.0.len();
        self.0.push((value, span));
        Node::new(
            span,
            Value::Map(vec![Entry {
                key: Cow::Borrowed(HOLE),
                key_span: span,
                value: Node::new(span, Value::Number(Cow::Owned(index.to_string()))),
            }]),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Reads the pattern `node`, whose holes are these: `None` when the grammar rejects it
    /// where a hole is, as what the hole holds may be what it rejects. What it rejects away
    /// from every hole is rejected whatever they hold.
    pub fn pattern(&self, node: &Node<'_>) -> Option<Result<Pattern, PatternError>> {
        match parse_pattern(node, self) {
            Err(error)
                if self.0.iter().any(|(_, span)| {
                    span.start < error.span.end.max(error.span.start + 1)
                        && error.span.start < span.end.max(span.start + 1)
                }) =>
            {
                None
            }
            result => Some(result),
        }
    }
}

impl Resolve for Holes {
    fn resolve(&self, node: &Node<'_>) -> Option<Resolved> {
        let entry = node.single_entry()?;
        if entry.key != HOLE {
            return None;
        }
        let index: usize = entry.value.scalar_text()?.parse().ok()?;
        Some(
            self.0
                .get(index)
                .map_or(Resolved::Unknown, |(value, _)| value.clone()),
        )
    }
}

/// Private-use characters that bracket the number of a hole in the JSON text; a piece that is
/// not a literal can only sit inside a JSON string, where they are kept as written.
const OPEN: char = '\u{F8F0}';
const CLOSE: char = '\u{F8F1}';

/// Reads a pattern written as JSON text some of whose pieces are not literal (a heredoc with
/// interpolations), every position at `host`. `None` when a non-literal piece sits outside a
/// JSON string (a number or a whole value written as `${...}`): the text is then decided only
/// at apply.
pub fn parse_pattern_pieces(text: &Text, host: Span) -> Option<Result<Pattern, PatternError>> {
    let mut json = String::new();
    let mut pieces = Vec::new();
    for piece in text.pieces() {
        match piece {
            Piece::Lit(lit) => {
                if lit.contains([OPEN, CLOSE]) {
                    return None;
                }
                json.push_str(lit);
            }
            other => {
                json.push(OPEN);
                json.push_str(&pieces.len().to_string());
                json.push(CLOSE);
                pieces.push(other.clone());
            }
        }
    }
    let node = parse::parse(&json, Syntax::Json).ok()?;
    let mut holes = Holes::default();
    let node = fill(&node, &pieces, &mut holes, host)?;
    holes.pattern(&node)
}

/// `node` at `host`, with the strings that hold pieces made holes; `None` when a piece lies
/// in a key.
fn fill(node: &Node<'_>, pieces: &[Piece], holes: &mut Holes, host: Span) -> Option<Node<'static>> {
    let value = match &node.value {
        Value::String(s) if s.contains(OPEN) => {
            return Some(holes.hole(Resolved::Text(unmark(s, pieces)?), host));
        }
        Value::String(s) => Value::String(Cow::Owned(s.to_string())),
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Number(n) => Value::Number(Cow::Owned(n.to_string())),
        Value::Seq(items) => Value::Seq(
            items
                .iter()
                .map(|item| fill(item, pieces, holes, host))
                .collect::<Option<_>>()?,
        ),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|entry| {
                    if entry.key.contains(OPEN) {
                        return None;
                    }
                    Some(Entry {
                        key: Cow::Owned(entry.key.to_string()),
                        key_span: host,
                        value: fill(&entry.value, pieces, holes, host)?,
                    })
                })
                .collect::<Option<_>>()?,
        ),
    };
    Some(Node::new(host, value))
}

/// The text a string with marked pieces stands for.
fn unmark(s: &str, pieces: &[Piece]) -> Option<Text> {
    let mut out = Text::default();
    let mut rest = s;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len_utf8()..];
        let end = after.find(CLOSE)?;
        let index: usize = after[..end].parse().ok()?;
        out.push(pieces.get(index)?.clone());
        rest = &after[end + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Symbol;

    fn text(parts: &[Result<&str, &str>]) -> Text {
        let mut text = Text::default();
        for part in parts {
            match part {
                Ok(lit) => text.push_str(lit),
                Err(sym) => text.push(Piece::Sym(Symbol::Generated((*sym).to_owned()))),
            }
        }
        text
    }

    #[test]
    fn pieces_inside_strings_become_values() {
        let pattern = text(&[
            Ok(r#"{"source": ["aws.s3"], "detail": {"requestParameters": {"bucketName": [""#),
            Err("aws_s3_bucket.b"),
            Ok(r#""]}}}"#),
        ]);
        let parsed = parse_pattern_pieces(&pattern, Span::new(3, 9))
            .unwrap()
            .unwrap();
        let leaves = format!("{:?}", parsed.branches());
        assert!(leaves.contains("aws_s3_bucket.b"), "{leaves}");
    }

    #[test]
    fn a_piece_outside_a_string_leaves_the_pattern_undecided() {
        let pattern = text(&[Ok(r#"{"detail": {"size": ["#), Err("x"), Ok("]}}")]);
        assert!(parse_pattern_pieces(&pattern, Span::new(0, 1)).is_none());
    }

    fn map(span: (usize, usize), entries: Vec<(&'static str, Node<'static>)>) -> Node<'static> {
        Node::new(
            Span::new(span.0, span.1),
            Value::Map(
                entries
                    .into_iter()
                    .map(|(key, value)| Entry {
                        key: Cow::Borrowed(key),
                        key_span: value.span,
                        value,
                    })
                    .collect(),
            ),
        )
    }

    #[test]
    fn a_rejection_away_from_every_hole_stands_and_one_at_a_hole_is_undecided() {
        let mut holes = Holes::default();
        let unknown = holes.hole(Resolved::Unknown, Span::new(10, 20));
        let empty = Node::new(Span::new(60, 62), Value::Seq(Vec::new()));
        let node = map(
            (0, 100),
            vec![
                ("source", unknown),
                ("detail", map((40, 70), vec![("state", empty)])),
            ],
        );
        assert!(matches!(holes.pattern(&node), Some(Err(e)) if e.span == Span::new(60, 62)));
        // `$or` must be an array: a hole there may be one.
        let mut holes = Holes::default();
        let alternatives = holes.hole(Resolved::Unknown, Span::new(10, 20));
        let node = map((0, 100), vec![("$or", alternatives)]);
        assert!(holes.pattern(&node).is_none());
    }

    #[test]
    fn a_rejected_pattern_with_holes_is_undecided() {
        // Every position of a pattern read from text with pieces is the whole text's: a hole
        // is where any rejection is.
        let pattern = text(&[Ok(r#"{"source": {"x": [""#), Err("y"), Ok(r#""]}, "a": 1}"#)]);
        assert!(parse_pattern_pieces(&pattern, Span::new(0, 1)).is_none());
        let literal = Text::lit(r#"{"source": "aws.s3"}"#);
        assert!(matches!(
            parse_pattern_pieces(&literal, Span::new(0, 1)),
            Some(Err(_))
        ));
    }
}
