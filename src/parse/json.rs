//! Strict JSON (RFC 8259) text → spanned [`Node`] tree.
//!
//! This is a single forward pass over the bytes: strings without escapes and all numbers are
//! borrowed slices of the input, so the only allocations are the collections themselves and the
//! strings that needed decoding. Numbers are validated against the JSON grammar but kept as
//! written, never converted. It deliberately accepts nothing beyond RFC 8259 (no comments, no
//! trailing commas, no single quotes, no `NaN`), except that a leading UTF-8 byte order mark is
//! skipped, and it does not look at what the document means.

use std::borrow::Cow;

use super::{Entry, MAX_DEPTH, Node, ParseError, Prune, Value};
use crate::source::Span;

/// Parses a whole JSON text into one [`Node`], leaving out what `prune` says is never read.
pub(super) fn parse<'a>(text: &'a str, prune: &'static Prune) -> Result<Node<'a>, ParseError> {
    Parser::new(text, None).document(prune)
}

/// As [`parse`], but stops with `None` as soon as `decided` says that the members of the
/// top-level object kept so far are enough ([`super::recognise_json`]).
pub(super) fn parse_until<'a>(
    text: &'a str,
    prune: &'static Prune,
    decided: fn(&[Entry<'_>]) -> bool,
) -> Result<Option<Node<'a>>, ParseError> {
    let mut parser = Parser::new(text, Some(decided));
    match parser.document(prune) {
        Err(_) if parser.stopped => Ok(None),
        result => result.map(Some),
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// The members of the objects being parsed, innermost last. A finished object takes its
    /// own off the top, into a vector of exactly their number: a tree of growing vectors would
    /// keep a third of its memory as spare capacity.
    entries: Vec<Entry<'a>>,
    /// The same for the elements of arrays.
    items: Vec<Node<'a>>,
    /// Asked after each member of the top-level object: whether to stop reading.
    decided: Option<fn(&[Entry<'_>]) -> bool>,
    /// Whether `decided` stopped the reading (the error that unwound it is not one).
    stopped: bool,
}

/// Bytes that end the fast scan of a string: the closing quote, an escape, or a control
/// character (which RFC 8259 forbids unescaped).
const fn string_stop_table() -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
}

static STRING_STOP: [bool; 256] = string_stop_table();

impl<'a> Parser<'a> {
    fn new(text: &'a str, decided: Option<fn(&[Entry<'_>]) -> bool>) -> Parser<'a> {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            entries: Vec::new(),
            items: Vec::new(),
            decided,
            stopped: false,
        }
    }

    /// The whole text: one value, whitespace around it, and a byte order mark before it.
    fn document(&mut self, prune: &'static Prune) -> Result<Node<'a>, ParseError> {
        if self.bytes.starts_with(b"\xEF\xBB\xBF") {
            self.pos = 3;
        }
        self.skip_whitespace();
        let root = self.value(0, prune)?;
        self.skip_whitespace();
        if self.pos < self.bytes.len() {
            return Err(ParseError::new(
                self.pos,
                "trailing characters after the JSON value",
            ));
        }
        Ok(root)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// An error at `at`, except that running out of input is always reported as such: "expected
    /// `:`" at the very end of the text says less than "unexpected end of input".
    fn error(&self, at: usize, message: &str) -> ParseError {
        if at >= self.bytes.len() {
            ParseError::new(self.bytes.len(), "unexpected end of input")
        } else {
            ParseError::new(at, message)
        }
    }

    /// Parses the value starting at `self.pos`; `depth` is the number of arrays and objects
    /// around it. Recursion is bounded by [`MAX_DEPTH`]. A value that `prune` skips is checked
    /// all the same, and comes back as a `null` spanning its text.
    fn value(&mut self, depth: usize, prune: &'static Prune) -> Result<Node<'a>, ParseError> {
        match self.peek() {
            Some(b'{') => self.object(depth + 1, prune),
            Some(b'[') => self.array(depth + 1, prune),
            Some(b'"') => {
                let (text, span) = self.string()?;
                Ok(Node::new(span, Value::String(text)))
            }
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error(self.pos, "expected value")),
        }
    }

    fn check_depth(&self, depth: usize) -> Result<(), ParseError> {
        if depth > MAX_DEPTH {
            return Err(ParseError::new(
                self.pos,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn object(&mut self, depth: usize, prune: &'static Prune) -> Result<Node<'a>, ParseError> {
        self.check_depth(depth)?;
        let start = self.pos;
        self.pos += 1;
        let base = self.entries.len();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(self.close_object(start, base, prune));
        }
        let mut first = true;
        loop {
            if self.peek() != Some(b'"') {
                let message = if first {
                    "expected string key or `}`"
                } else {
                    "expected string key"
                };
                return Err(self.error(self.pos, message));
            }
            let (key, key_span) = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error(self.pos, "expected `:` after object key"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let member = prune.member(&key, &self.entries[base..]);
            let value = self.value(depth, member)?;
            if !matches!(member, Prune::Skip) {
                self.entries.push(Entry {
                    key,
                    key_span,
                    value,
                });
                if depth == 1
                    && self
                        .decided
                        .is_some_and(|decided| decided(&self.entries[base..]))
                {
                    // Unwinds the parse; `parse_until` reports no error.
                    self.stopped = true;
                    return Err(ParseError::new(self.pos, "read as far as needed"));
                }
            }
            first = false;
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(self.close_object(start, base, prune));
                }
                _ => return Err(self.error(self.pos, "expected `,` or `}` after object member")),
            }
        }
    }

    /// The object that began at `start`, its members those above `base`.
    fn close_object(&mut self, start: usize, base: usize, prune: &Prune) -> Node<'a> {
        let span = Span::new(start, self.pos);
        if matches!(prune, Prune::Skip) {
            return Node::new(span, Value::Null);
        }
        Node::new(span, Value::Map(self.entries.drain(base..).collect()))
    }

    fn array(&mut self, depth: usize, prune: &'static Prune) -> Result<Node<'a>, ParseError> {
        self.check_depth(depth)?;
        let start = self.pos;
        self.pos += 1;
        let base = self.items.len();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(self.close_array(start, base, prune));
        }
        let element = prune.element();
        loop {
            let item = self.value(depth, element)?;
            if !matches!(element, Prune::Skip) {
                self.items.push(item);
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(self.close_array(start, base, prune));
                }
                _ => return Err(self.error(self.pos, "expected `,` or `]` after array element")),
            }
        }
    }

    /// The array that began at `start`, its elements those above `base`.
    fn close_array(&mut self, start: usize, base: usize, prune: &Prune) -> Node<'a> {
        let span = Span::new(start, self.pos);
        if matches!(prune, Prune::Skip) {
            return Node::new(span, Value::Null);
        }
        Node::new(span, Value::Seq(self.items.drain(base..).collect()))
    }

    fn literal(&mut self, word: &'static str, value: Value<'a>) -> Result<Node<'a>, ParseError> {
        let start = self.pos;
        let rest = &self.bytes[start..];
        if rest.starts_with(word.as_bytes()) {
            self.pos += word.len();
            return Ok(Node::new(Span::new(start, self.pos), value));
        }
        // The first byte already matched; find where the word stops matching.
        let matched = rest
            .iter()
            .zip(word.as_bytes())
            .take_while(|(a, b)| a == b)
            .count();
        Err(self.error(start + matched, &format!("expected `{word}`")))
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, kept as written.
    fn number(&mut self) -> Result<Node<'a>, ParseError> {
        let bytes = self.bytes;
        let start = self.pos;
        let mut i = start;
        if bytes[i] == b'-' {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'0') => {
                i += 1;
                if let Some(b'0'..=b'9') = bytes.get(i) {
                    return Err(self.error(i, "leading zero in number"));
                }
            }
            Some(b'1'..=b'9') => i = skip_digits(bytes, i + 1),
            _ => return Err(self.error(i, "expected digit after `-`")),
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            if !matches!(bytes.get(i), Some(b'0'..=b'9')) {
                return Err(self.error(i, "expected digit after decimal point"));
            }
            i = skip_digits(bytes, i);
        }
        if let Some(b'e' | b'E') = bytes.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = bytes.get(i) {
                i += 1;
            }
            if !matches!(bytes.get(i), Some(b'0'..=b'9')) {
                return Err(self.error(i, "expected digit in exponent"));
            }
            i = skip_digits(bytes, i);
        }
        self.pos = i;
        Ok(Node::new(
            Span::new(start, i),
            Value::Number(Cow::Borrowed(&self.text[start..i])),
        ))
    }

    /// Parses the string whose opening quote is at `self.pos`; returns its contents and the
    /// span including both quotes.
    fn string(&mut self) -> Result<(Cow<'a, str>, Span), ParseError> {
        let open = self.pos;
        let bytes = self.bytes;
        let mut i = open + 1;
        while i < bytes.len() && !STRING_STOP[bytes[i] as usize] {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'"') => {
                self.pos = i + 1;
                // Cutting at ASCII bytes keeps the slice on character boundaries.
                let text = Cow::Borrowed(&self.text[open + 1..i]);
                Ok((text, Span::new(open, self.pos)))
            }
            Some(b'\\') => self.escaped_string(open, i),
            Some(_) => Err(ParseError::new(i, "control character in string")),
            None => Err(ParseError::new(open, "unterminated string")),
        }
    }

    /// The slow path of [`Self::string`], entered at the first backslash (`i`): decodes into
    /// an owned string, still copying unescaped runs whole.
    fn escaped_string(
        &mut self,
        open: usize,
        mut i: usize,
    ) -> Result<(Cow<'a, str>, Span), ParseError> {
        let bytes = self.bytes;
        let mut out = String::with_capacity(i - open + 16);
        out.push_str(&self.text[open + 1..i]);
        loop {
            match bytes.get(i) {
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok((Cow::Owned(out), Span::new(open, self.pos)));
                }
                Some(b'\\') => i = self.escape(open, i, &mut out)?,
                Some(_) => return Err(ParseError::new(i, "control character in string")),
                None => return Err(ParseError::new(open, "unterminated string")),
            }
            let run = i;
            while i < bytes.len() && !STRING_STOP[bytes[i] as usize] {
                i += 1;
            }
            out.push_str(&self.text[run..i]);
        }
    }

    /// Decodes the escape whose backslash is at `at` into `out`; returns the offset after it.
    fn escape(&self, open: usize, at: usize, out: &mut String) -> Result<usize, ParseError> {
        let decoded = match self.bytes.get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let (c, end) = self.unicode_escape(open, at)?;
                out.push(c);
                return Ok(end);
            }
            Some(_) => {
                let found = self.text[at + 1..].chars().next().unwrap_or_default();
                return Err(ParseError::new(at, format!("invalid escape `\\{found}`")));
            }
            None => return Err(ParseError::new(open, "unterminated string")),
        };
        out.push(decoded);
        Ok(at + 2)
    }

    /// Decodes `\uXXXX` at `at`, joining a surrogate pair written as two escapes.
    fn unicode_escape(&self, open: usize, at: usize) -> Result<(char, usize), ParseError> {
        let unpaired = || {
            ParseError::new(
                at,
                format!("unpaired surrogate `{}`", &self.text[at..at + 6]),
            )
        };
        let high = self.hex4(open, at)?;
        match high {
            0xD800..=0xDBFF => {
                let next = at + 6;
                if self.bytes.get(next..next + 2) != Some(b"\\u") {
                    return Err(unpaired());
                }
                let low = self.hex4(open, next)?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(unpaired());
                }
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                // Every combination of a high and a low surrogate is a valid scalar value.
                let c = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
                Ok((c, next + 6))
            }
            0xDC00..=0xDFFF => Err(unpaired()),
            // Not a surrogate, so a valid scalar value.
            _ => Ok((
                char::from_u32(high).unwrap_or(char::REPLACEMENT_CHARACTER),
                at + 6,
            )),
        }
    }

    /// The four hex digits after `\u` at `at`.
    fn hex4(&self, open: usize, at: usize) -> Result<u32, ParseError> {
        let mut code = 0;
        for i in at + 2..at + 6 {
            let digit = match self.bytes.get(i) {
                Some(&b @ b'0'..=b'9') => b - b'0',
                Some(&b @ b'a'..=b'f') => b - b'a' + 10,
                Some(&b @ b'A'..=b'F') => b - b'A' + 10,
                Some(_) => return Err(ParseError::new(at, "invalid unicode escape")),
                None => return Err(ParseError::new(open, "unterminated string")),
            };
            code = code * 16 + u32::from(digit);
        }
        Ok(code)
    }
}

fn skip_digits(bytes: &[u8], mut i: usize) -> usize {
    while let Some(b'0'..=b'9') = bytes.get(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Node<'_>, ParseError> {
        super::parse(text, &Prune::Keep)
    }

    fn ok(text: &str) -> Node<'_> {
        match parse(text) {
            Ok(node) => node,
            Err(e) => panic!("{text:?} failed at {}: {}", e.offset, e.message),
        }
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn spans_cover_the_text_of_every_node() {
        let text = r#" {"a": [1, "two", true, null, {}], "b\n": {"c": -1.5e3}, "d": []} "#;
        let root = ok(text);
        assert_eq!(slice(text, root.span), &text[1..text.len() - 1]);
        let a = root.entry("a").unwrap();
        assert_eq!(slice(text, a.key_span), r#""a""#);
        assert_eq!(slice(text, a.value.span), r#"[1, "two", true, null, {}]"#);
        let items = a.value.as_seq().unwrap();
        let expected = ["1", r#""two""#, "true", "null", "{}"];
        for (item, want) in items.iter().zip(expected) {
            assert_eq!(slice(text, item.span), want);
        }
        let b = root.entry("b\n").unwrap();
        assert_eq!(slice(text, b.key_span), r#""b\n""#);
        assert_eq!(slice(text, b.value.span), r#"{"c": -1.5e3}"#);
        let c = b.value.get("c").unwrap();
        assert_eq!(slice(text, c.span), "-1.5e3");
        assert_eq!(slice(text, root.get("d").unwrap().span), "[]");
    }

    #[test]
    fn scalars_have_the_right_values() {
        let root = ok(r#"[true, false, null, "x", 0, -0, 12, 1.25, 1e9, 2E-3, -0.0e+1]"#);
        let items = root.as_seq().unwrap();
        assert_eq!(items[0].value, Value::Bool(true));
        assert_eq!(items[1].value, Value::Bool(false));
        assert_eq!(items[2].value, Value::Null);
        assert_eq!(items[3].as_str(), Some("x"));
        let numbers: Vec<_> = items[4..]
            .iter()
            .map(|n| match &n.value {
                Value::Number(text) => text.as_ref(),
                other => panic!("not a number: {other:?}"),
            })
            .collect();
        assert_eq!(numbers, ["0", "-0", "12", "1.25", "1e9", "2E-3", "-0.0e+1"]);
    }

    #[test]
    fn top_level_scalars_parse() {
        for (text, span) in [
            ("1", 0..1),
            (" \"s\" ", 1..4),
            ("null\n", 0..4),
            ("\t-3", 1..3),
        ] {
            assert_eq!(ok(text).span.range(), span, "{text:?}");
        }
    }

    #[test]
    fn strings_borrow_unless_escaped() {
        let root = ok(r#"["plain é", "a\"b"]"#);
        let items = root.as_seq().unwrap();
        assert!(matches!(
            &items[0].value,
            Value::String(Cow::Borrowed("plain é"))
        ));
        assert!(matches!(&items[1].value, Value::String(Cow::Owned(s)) if s == "a\"b"));
    }

    #[test]
    fn escapes_decode() {
        let cases = [
            (r#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{c}\n\r\t"),
            (r#""\u0041\u00e9\u20AC""#, "Aé€"),
            (r#""x\ud83d\ude00y""#, "x😀y"),
            (r#""\uD834\uDD1E""#, "\u{1D11E}"),
            (r#""a\nb c\td""#, "a\nb c\td"),
            (r#""é\u0000é""#, "é\0é"),
        ];
        for (text, want) in cases {
            assert_eq!(ok(text).as_str(), Some(want), "{text}");
        }
    }

    #[test]
    fn errors_have_offsets_and_messages() {
        let cases: &[(&str, usize, &str)] = &[
            ("", 0, "unexpected end of input"),
            ("   ", 3, "unexpected end of input"),
            ("{", 1, "unexpected end of input"),
            (r#"{"a""#, 4, "unexpected end of input"),
            (r#"{"a":1"#, 6, "unexpected end of input"),
            ("[1,", 3, "unexpected end of input"),
            ("-", 1, "unexpected end of input"),
            (r#"{"a" 1}"#, 5, "expected `:` after object key"),
            (
                r#"{"a":1 "b":2}"#,
                7,
                "expected `,` or `}` after object member",
            ),
            ("[1 2]", 3, "expected `,` or `]` after array element"),
            ("{a:1}", 1, "expected string key or `}`"),
            (r#"{"a":1,}"#, 7, "expected string key"),
            ("[1,]", 3, "expected value"),
            ("[,1]", 1, "expected value"),
            ("// c\n1", 0, "expected value"),
            ("'a'", 0, "expected value"),
            ("NaN", 0, "expected value"),
            ("+1", 0, "expected value"),
            (r#""abc"#, 0, "unterminated string"),
            (r#"["ok", "abc\"]"#, 7, "unterminated string"),
            (r#""a\u00"#, 0, "unterminated string"),
            ("\"a\nb\"", 2, "control character in string"),
            ("\"a\\n\tb\"", 4, "control character in string"),
            (r#""a\qb""#, 2, "invalid escape `\\q`"),
            (r#""\é""#, 1, "invalid escape `\\é`"),
            (r#""\u12G4""#, 1, "invalid unicode escape"),
            (r#""\ud800""#, 1, "unpaired surrogate `\\ud800`"),
            (r#""\ud800\u0041""#, 1, "unpaired surrogate `\\ud800`"),
            (r#""x\uDC00""#, 2, "unpaired surrogate `\\uDC00`"),
            ("1 2", 2, "trailing characters after the JSON value"),
            ("{}}", 2, "trailing characters after the JSON value"),
            ("[] x", 3, "trailing characters after the JSON value"),
            ("01", 1, "leading zero in number"),
            ("-01", 2, "leading zero in number"),
            ("-a", 1, "expected digit after `-`"),
            ("1.", 2, "unexpected end of input"),
            ("1.e5", 2, "expected digit after decimal point"),
            ("1e+", 3, "unexpected end of input"),
            ("[1e]", 3, "expected digit in exponent"),
            (".5", 0, "expected value"),
            ("tru", 3, "unexpected end of input"),
            ("trUe", 2, "expected `true`"),
            ("[nul]", 4, "expected `null`"),
            ("falsey", 5, "trailing characters after the JSON value"),
        ];
        for &(text, offset, message) in cases {
            let err = parse(text).expect_err(text);
            assert_eq!(
                (err.offset as usize, err.message.as_str()),
                (offset, message),
                "{text:?}"
            );
        }
    }

    #[test]
    fn depth_limit_is_enforced() {
        let deep_ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&deep_ok).is_ok());
        let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let err = parse(&too_deep).unwrap_err();
        assert_eq!(err.offset as usize, MAX_DEPTH);
        assert_eq!(err.message, "nesting deeper than 200 levels");
        let objects = r#"{"a":"#.repeat(MAX_DEPTH + 1);
        let err = parse(&objects).unwrap_err();
        assert_eq!(err.offset as usize, MAX_DEPTH * 5);
        assert_eq!(err.message, "nesting deeper than 200 levels");
        // A huge unclosed input stops at the limit instead of recursing further.
        assert!(parse(&"[".repeat(1_000_000)).is_err());
    }

    #[test]
    fn bom_is_skipped_and_spans_stay_absolute() {
        let text = "\u{feff}{\"a\": 1}";
        let root = ok(text);
        assert_eq!(root.span.range(), 3..text.len());
        assert_eq!(slice(text, root.entry("a").unwrap().key_span), "\"a\"");
        // Only at the very start.
        let err = parse("[1, \u{feff}2]").unwrap_err();
        assert_eq!((err.offset, err.message.as_str()), (4, "expected value"));
    }

    #[test]
    fn duplicate_keys_are_kept_in_order() {
        let root = ok(r#"{"a": 1, "a": 2}"#);
        assert_eq!(root.as_map().unwrap().len(), 2);
        assert_eq!(root.get("a").unwrap().scalar_text().as_deref(), Some("2"));
    }

    #[test]
    fn adversarial_inputs_never_panic() {
        let inputs = [
            "\"",
            "\\",
            "\"\\",
            "\"\\u",
            "\"\\uD800\\",
            "\"\\uD800\\u",
            "\"\\uD800\\uDC0",
            "{\"",
            "{\"a\"",
            "{\"a\":",
            "[",
            "]",
            "}",
            "{]",
            "[}",
            "-",
            "-0.",
            "0e",
            "\0",
            "\u{feff}",
            "\u{feff}\u{feff}",
            "é",
            "[é]",
            "{\"é\":é}",
            "\"\\\u{e9}\"",
            "1e999999",
        ];
        for text in inputs {
            let _ = parse(text);
        }
    }

    #[test]
    fn large_flat_documents_parse() {
        let mut text = String::from("[");
        for i in 0..100_000 {
            if i > 0 {
                text.push(',');
            }
            text.push_str(&format!("{{\"k{i}\": \"v\\n{i}\", \"n\": {i}.5}}"));
        }
        text.push(']');
        let root = ok(&text);
        assert_eq!(root.as_seq().unwrap().len(), 100_000);
    }

    #[test]
    fn collections_hold_no_spare_capacity() {
        let root = ok(r#"{"a": [1, 2, 3, {"b": [4, 5, 6, 7, 8]}], "c": {"d": 1, "e": 2, "f": 3}}"#);
        fn check(node: &Node<'_>) {
            match &node.value {
                Value::Seq(items) => {
                    assert_eq!(items.capacity(), items.len());
                    items.iter().for_each(check);
                }
                Value::Map(entries) => {
                    assert_eq!(entries.capacity(), entries.len());
                    entries.iter().for_each(|entry| check(&entry.value));
                }
                _ => {}
            }
        }
        check(&root);
    }

    static PRUNE: Prune = Prune::Keys(&[
        ("gone", &Prune::Skip),
        ("list", &Prune::Each(&Prune::Keys(&[("big", &Prune::Skip)]))),
        ("map", &Prune::Each(&Prune::Keys(&[("big", &Prune::Skip)]))),
        (
            "typed",
            &Prune::Each(&Prune::Keys(&[(
                "values",
                &Prune::BySibling {
                    sibling: "type",
                    by: |kind| {
                        if kind == "wanted" {
                            &Prune::Keep
                        } else {
                            &Prune::Skip
                        }
                    },
                    otherwise: &Prune::Keep,
                },
            )])),
        ),
    ]);

    fn pruned(text: &str) -> Result<Node<'_>, ParseError> {
        super::parse(text, &PRUNE)
    }

    #[test]
    fn pruned_members_are_left_out_and_the_rest_is_kept_in_place() {
        let text = r#"{"keep": [1, {"gone": 2}], "gone": {"x": [1, 2]}, "list": [{"big": [1], "small": 2}, 3],
            "map": {"k": {"big": {}, "small": "s"}}, "after": true}"#;
        let root = pruned(text).unwrap();
        let keys: Vec<&str> = root
            .as_map()
            .unwrap()
            .iter()
            .map(|e| e.key.as_ref())
            .collect();
        assert_eq!(keys, ["keep", "list", "map", "after"]);
        // Only the named places are pruned: `gone` deeper down is kept.
        assert_eq!(root.at(&["keep"]).unwrap(), ok(text).at(&["keep"]).unwrap());
        let first = &root.get("list").unwrap().as_seq().unwrap()[0];
        assert!(first.get("big").is_none());
        let small = text.find(r#""small": 2"#).unwrap() + r#""small": "#.len();
        assert_eq!(
            first.get("small").unwrap().span,
            Span::new(small, small + 1)
        );
        assert_eq!(root.get("list").unwrap().as_seq().unwrap().len(), 2);
        assert!(root.at(&["map", "k", "big"]).is_none());
        assert_eq!(root.at(&["map", "k", "small"]).unwrap().as_str(), Some("s"));
        assert_eq!(root.get("after").unwrap(), ok(text).get("after").unwrap());
    }

    #[test]
    fn a_member_can_be_pruned_by_an_earlier_sibling() {
        let root = pruned(
            r#"{"typed": [{"type": "other", "values": [1]}, {"type": "wanted", "values": [2]},
                          {"values": [3], "type": "other"}, {"type": 4, "values": [5]}]}"#,
        )
        .unwrap();
        let values: Vec<bool> = root
            .get("typed")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .map(|item| item.get("values").is_some())
            .collect();
        // Skipped only when the sibling came first and names another type.
        assert_eq!(values, [false, true, true, true]);
    }

    #[test]
    fn only_the_keys_named_are_kept() {
        static ONLY: Prune = Prune::Only(&[
            ("name", &Prune::Only(&[])),
            (
                "items",
                &Prune::Each(&Prune::Only(&[("kind", &Prune::Keep)])),
            ),
        ]);
        let text = r#"{"other": [1, 2], "name": {"deep": [1]}, "items": {"a": {"kind": "x", "more": 1}, "b": 2},
            "list": [1], "name": "again"}"#;
        let root = super::parse(text, &ONLY).unwrap();
        let keys: Vec<&str> = root
            .as_map()
            .unwrap()
            .iter()
            .map(|e| e.key.as_ref())
            .collect();
        assert_eq!(keys, ["name", "items", "name"]);
        // Of a collection under `Only(&[])`, its kind; a scalar whole.
        assert_eq!(
            root.as_map().unwrap()[0].value.value,
            Value::Map(Vec::new())
        );
        assert_eq!(root.get("name").unwrap().as_str(), Some("again"));
        let a = root.at(&["items", "a"]).unwrap();
        assert_eq!(a.as_map().unwrap().len(), 1);
        assert_eq!(a.get("kind").unwrap().as_str(), Some("x"));
        assert_eq!(
            root.at(&["items", "b"]).unwrap().scalar_text().as_deref(),
            Some("2")
        );
        let array = super::parse("[1, [2], {\"name\": 3}]", &ONLY).unwrap();
        assert_eq!(array.as_seq(), Some(&[][..]));
    }

    #[test]
    fn recognising_stops_once_decided_and_fails_where_parsing_fails() {
        static ONLY: Prune = Prune::Only(&[("a", &Prune::Only(&[])), ("b", &Prune::Only(&[]))]);
        fn both(entries: &[Entry<'_>]) -> bool {
            ["a", "b"]
                .iter()
                .all(|key| entries.iter().any(|e| e.key == *key))
        }
        // Decided before the broken part: never read.
        assert_eq!(
            super::parse_until(r#"{"a": 1, "x": 2, "b": [3], "c": ]"#, &ONLY, both),
            Ok(None)
        );
        // Not decided: the whole document, pruned.
        let root = super::parse_until(r#"{"a": 1, "x": {"b": 2}}"#, &ONLY, both)
            .unwrap()
            .unwrap();
        assert_eq!(root.as_map().unwrap().len(), 1);
        // Members of nested objects never decide.
        let nested = r#"[{"a": 1, "b": 2}, ]"#;
        assert_eq!(
            super::parse_until(nested, &ONLY, both).unwrap_err(),
            parse(nested).unwrap_err()
        );
        for text in [r#"{"a": 1, "x": [1,]}"#, "[1, 2", r#"{"a" 1}"#, "{} x", ""] {
            assert_eq!(
                super::parse_until(text, &ONLY, both).unwrap_err(),
                parse(text).unwrap_err(),
                "{text}"
            );
        }
    }

    #[test]
    fn pruned_text_is_checked_as_strictly_as_the_rest() {
        for text in [
            r#"{"gone": {"x": [1, 2,]}}"#,
            r#"{"gone": "\q"}"#,
            r#"{"gone": 01}"#,
            r#"{"gone": [tru]}"#,
            r#"{"gone": {"a" 1}}"#,
            r#"{"list": [{"big": "open"#,
        ] {
            assert_eq!(
                pruned(text).unwrap_err(),
                parse(text).unwrap_err(),
                "{text}"
            );
        }
        let deep = format!(
            r#"{{"gone": {}{}}}"#,
            "[".repeat(MAX_DEPTH),
            "]".repeat(MAX_DEPTH)
        );
        assert_eq!(pruned(&deep).unwrap_err(), parse(&deep).unwrap_err());
        assert!(pruned(&deep).unwrap_err().message.contains("nesting"));
    }
}
