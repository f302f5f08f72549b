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
/// interpolations). `None` when a non-literal piece sits outside a JSON string (a number or a
/// whole value written as `${...}`): the text is then decided only at apply.
///
/// `source` is the text at `host` in the file. When it is the template the text came from
/// (`${...}` sequences inside JSON strings), each element is placed where the template writes
/// it; otherwise every position is `host`.
pub fn parse_pattern_pieces(
    text: &Text,
    host: Span,
    source: Option<&str>,
) -> Option<Result<Pattern, PatternError>> {
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
    let masked = source.map(mask);
    let written = masked
        .as_deref()
        .and_then(|masked| parse::parse(masked, Syntax::Json).ok());
    let mut holes = Holes::default();
    let places = Places {
        host,
        written: written.as_ref(),
    };
    let node = fill(&node, &pieces, &mut holes, &places, written.as_ref())?;
    holes.pattern(&node)
}

/// A template's text with every `${...}` and `%{...}` sequence blanked to as many `x`s: JSON
/// whose elements sit where the template writes them.
fn mask(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let opens = matches!(bytes[i], b'$' | b'%') && bytes.get(i + 1) == Some(&b'{');
        let escaped = i > 0 && bytes[i - 1] == bytes[i];
        if opens && !escaped {
            let mut depth = 0;
            let start = i;
            while i < bytes.len() {
                match bytes[i] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            out.extend(std::iter::repeat_n(b'x', i - start));
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    // Only ASCII bytes were replaced, by ASCII: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// Where the elements of a pattern read from text are placed.
struct Places<'w, 'a> {
    host: Span,
    /// The template's own JSON, when it parses.
    written: Option<&'w Node<'a>>,
}

impl Places<'_, '_> {
    /// The place of `written`, the template's node for an element; `host` without one.
    fn of(&self, written: Option<&Node<'_>>) -> Span {
        match (self.written, written) {
            (Some(_), Some(node)) => Span::new(
                (self.host.start + node.span.start) as usize,
                (self.host.start + node.span.end) as usize,
            ),
            _ => self.host,
        }
    }
}

/// `node` placed where the template writes it (`written`, when its shape is the same), with
/// the strings that hold pieces made holes; `None` when a piece lies in a key.
fn fill(
    node: &Node<'_>,
    pieces: &[Piece],
    holes: &mut Holes,
    places: &Places<'_, '_>,
    written: Option<&Node<'_>>,
) -> Option<Node<'static>> {
    let span = places.of(written);
    let value = match &node.value {
        Value::String(s) if s.contains(OPEN) => {
            return Some(holes.hole(Resolved::Text(unmark(s, pieces)?), span));
        }
        Value::String(s) => Value::String(Cow::Owned(s.to_string())),
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Number(n) => Value::Number(Cow::Owned(n.to_string())),
        Value::Seq(items) => {
            let written = match written.map(|w| &w.value) {
                Some(Value::Seq(w)) if w.len() == items.len() => Some(w),
                _ => None,
            };
            Value::Seq(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| fill(item, pieces, holes, places, written.map(|w| &w[i])))
                    .collect::<Option<_>>()?,
            )
        }
        Value::Map(entries) => {
            let written = match written.map(|w| &w.value) {
                Some(Value::Map(w))
                    if w.len() == entries.len()
                        && w.iter().zip(entries).all(|(w, e)| w.key == e.key) =>
                {
                    Some(w)
                }
                _ => None,
            };
            Value::Map(
                entries
                    .iter()
                    .enumerate()
                    .map(|(i, entry)| {
                        if entry.key.contains(OPEN) {
                            return None;
                        }
                        let written = written.map(|w| &w[i]);
                        let key_span = match written {
                            Some(w) => Span::new(
                                (places.host.start + w.key_span.start) as usize,
                                (places.host.start + w.key_span.end) as usize,
                            ),
                            None => places.host,
                        };
                        Some(Entry {
                            key: Cow::Owned(entry.key.to_string()),
                            key_span,
                            value: fill(
                                &entry.value,
                                pieces,
                                holes,
                                places,
                                written.map(|w| &w.value),
                            )?,
                        })
                    })
                    .collect::<Option<_>>()?,
            )
        }
    };
    Some(Node::new(span, value))
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
        let parsed = parse_pattern_pieces(&pattern, Span::new(3, 9), None)
            .unwrap()
            .unwrap();
        let leaves = format!("{:?}", parsed.branches());
        assert!(leaves.contains("aws_s3_bucket.b"), "{leaves}");
    }

    #[test]
    fn a_piece_outside_a_string_leaves_the_pattern_undecided() {
        let pattern = text(&[Ok(r#"{"detail": {"size": ["#), Err("x"), Ok("]}}")]);
        assert!(parse_pattern_pieces(&pattern, Span::new(0, 1), None).is_none());
    }

    #[test]
    fn elements_are_placed_where_the_template_writes_them() {
        let source = r#"{"source": ["aws.s3"], "detail": {"bucketName": ["${var.b}"]}}"#;
        let pattern = text(&[
            Ok(r#"{"source": ["aws.s3"], "detail": {"bucketName": [""#),
            Err("b"),
            Ok(r#""]}}"#),
        ]);
        let file = format!("xx{source}");
        let host = Span::new(2, file.len());
        let parsed = parse_pattern_pieces(&pattern, host, Some(source))
            .unwrap()
            .unwrap();
        let branches = parsed.branches().unwrap();
        let span = branches[0].matchers("detail.bucketName").unwrap()[0].span;
        assert_eq!(&file[span.range()], "\"${var.b}\"");
        let span = branches[0].matchers("source").unwrap()[0].span;
        assert_eq!(&file[span.range()], "\"aws.s3\"");
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
        let pattern = text(&[
            Ok(r#"{"source": {"x": [""#),
            Err("y"),
            Ok(r#""]}, "a": 1}"#),
        ]);
        assert!(parse_pattern_pieces(&pattern, Span::new(0, 1), None).is_none());
        let literal = Text::lit(r#"{"source": "aws.s3"}"#);
        assert!(matches!(
            parse_pattern_pieces(&literal, Span::new(0, 1), None),
            Some(Err(_))
        ));
    }
}
