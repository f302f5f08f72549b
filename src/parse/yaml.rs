//! YAML text → spanned [`Node`] tree, built from `saphyr-parser`'s event stream.
//!
//! This module turns events into the same tree the JSON parser produces: plain scalars are
//! resolved with the YAML 1.2 core schema (so `2010-09-09` stays a string), CloudFormation's
//! short-form tags become their long forms, and aliases are expanded under a budget that stops
//! "billion laughs" documents. saphyr reports positions as line and character column; they are
//! turned into byte offsets here, and every span is trimmed to end at the last character of its
//! node. It deliberately reads only the first document of a stream and rejects a second one,
//! treats merge keys (`<<`) as ordinary keys, and rejects non-scalar mapping keys, because
//! CloudFormation supports none of these. It does not know what a template is.

use std::borrow::Cow;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Tag};

use super::{Entry, MAX_DEPTH, Node, ParseError, Value};
use crate::source::Span;

/// Alias expansion may always create this many nodes, however small the document.
const ALIAS_BUDGET_FLOOR: u64 = 100_000;
/// Beyond the floor, alias expansion may create this many nodes per node parsed from the text.
const ALIAS_BUDGET_FACTOR: u64 = 10;

/// Parses the first YAML document of `text` into one [`Node`].
pub(super) fn parse(text: &str) -> Result<Node<'_>, ParseError> {
    let body = text.len() - text.trim_start_matches('\u{feff}').len();
    match Builder::new(text, body, 0).run() {
        Ok(node) => Ok(node),
        Err(Failure::Invalid(error)) => Err(error),
        Err(Failure::AliasBudget(_)) => {
            // The budget depends on the number of nodes in the whole document, which the first
            // pass had not seen when it stopped: count them, and only build again when the
            // document turns out to be within its budget after all.
            let census = census(text, body)?;
            if let Some(&(at, _)) = census
                .aliases
                .iter()
                .find(|&&(_, total)| total > census.budget)
            {
                return Err(alias_budget_error(at));
            }
            match Builder::new(text, body, census.budget).run() {
                Ok(node) => Ok(node),
                Err(Failure::Invalid(error)) => Err(error),
                Err(Failure::AliasBudget(at)) => Err(alias_budget_error(at)),
            }
        }
    }
}

fn alias_budget_error(at: usize) -> ParseError {
    ParseError::new(at, "YAML aliases expand to too many nodes")
}

fn depth_error(at: usize) -> ParseError {
    ParseError::new(at, format!("nesting deeper than {MAX_DEPTH} levels"))
}

fn key_error(at: usize) -> ParseError {
    ParseError::new(at, "mapping key must be a scalar")
}

fn recursive_alias_error(text: &str, at: usize) -> ParseError {
    let name_len = text
        .get(at + 1..)
        .unwrap_or_default()
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
        .unwrap_or_else(|| text.len().saturating_sub(at + 1));
    let name = text.get(at..at + 1 + name_len).unwrap_or("*");
    ParseError::new(
        at,
        format!("alias `{name}` refers to a node that contains it"),
    )
}

enum Failure {
    Invalid(ParseError),
    /// The running alias budget ran out at this offset; whether the document really exceeds
    /// its budget is only known once all of it has been counted.
    AliasBudget(usize),
}

impl From<ParseError> for Failure {
    fn from(error: ParseError) -> Failure {
        Failure::Invalid(error)
    }
}

/// Byte offsets of saphyr's markers.
///
/// Markers carry a character index too, but saphyr advances it by bytes in a few places (e.g.
/// in directive parameters) and not at all over a byte order mark, so the line and column are
/// the reliable part. Conversion walks from a cursor left by the previous lookup, which keeps
/// it linear on long non-ASCII lines since lookups mostly move forward.
struct Positions<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    ascii: bool,
    /// Line index, column and byte offset of the previous lookup.
    cursor: (usize, usize, usize),
}

impl<'a> Positions<'a> {
    fn new(text: &'a str, body: usize) -> Positions<'a> {
        let bytes = text.as_bytes();
        let mut line_starts = vec![body];
        // saphyr breaks lines at `\n`, `\r\n` and a lone `\r`.
        for (i, &b) in bytes.iter().enumerate().skip(body) {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                line_starts.push(i + 1);
            }
        }
        Positions {
            text,
            line_starts,
            ascii: text.as_bytes()[body..].is_ascii(),
            cursor: (0, 0, body),
        }
    }

    /// The byte offset of `marker`, clamped to its line and always on a character boundary.
    fn offset(&mut self, marker: Marker) -> usize {
        let line = marker.line().saturating_sub(1);
        let column = marker.col();
        let Some(&line_start) = self.line_starts.get(line) else {
            return self.text.len();
        };
        let line_end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        if self.ascii {
            return (line_start + column).min(line_end);
        }
        let bytes = self.text.as_bytes();
        let (cursor_line, cursor_column, cursor_byte) = self.cursor;
        let (mut at_column, mut at) = (0, line_start);
        if cursor_line == line {
            if cursor_column <= column {
                (at_column, at) = (cursor_column, cursor_byte);
            } else if cursor_column - column < column {
                (at_column, at) = (cursor_column, cursor_byte);
                while at_column > column && at > line_start {
                    at -= 1;
                    while !self.text.is_char_boundary(at) {
                        at -= 1;
                    }
                    at_column -= 1;
                }
            }
        }
        while at_column < column && at < line_end {
            at += utf8_width(bytes[at]);
            at_column += 1;
        }
        let at = at.min(line_end);
        self.cursor = (line, at_column, at);
        at
    }

    fn scan_error(&mut self, error: &ScanError) -> ParseError {
        ParseError::new(self.offset(*error.marker()), error.info())
    }
}

fn utf8_width(lead: u8) -> usize {
    match lead {
        0..0xE0 => 1 + usize::from(lead >= 0xC0),
        0xE0..0xF0 => 3,
        _ => 4,
    }
}

/// Node counts for the alias budget, kept identically by the builder and the census.
#[derive(Default)]
struct Tally {
    /// Nodes created from events in the text.
    parsed: u64,
    /// Nodes created by expanding aliases.
    expanded: u64,
    /// Node count of each anchored node (aliases inside it expanded), by anchor id.
    sizes: Vec<Option<u64>>,
}

impl Tally {
    fn total(&self) -> u64 {
        self.parsed.saturating_add(self.expanded)
    }

    /// Counts one node from the text; returns the total before it, to size an anchor by.
    fn node(&mut self) -> u64 {
        let before = self.total();
        self.parsed += 1;
        before
    }

    fn anchored(&mut self, id: usize, before: u64) {
        if self.sizes.len() <= id {
            self.sizes.resize(id + 1, None);
        }
        self.sizes[id] = Some(self.total() - before);
    }

    fn size(&self, id: usize) -> Option<u64> {
        self.sizes.get(id).copied().flatten()
    }

    fn budget(&self, floor: u64) -> u64 {
        floor
            .max(ALIAS_BUDGET_FLOOR)
            .max(self.parsed.saturating_mul(ALIAS_BUDGET_FACTOR))
    }
}

struct Census {
    budget: u64,
    /// Offset of each alias and the expansion total once it is expanded.
    aliases: Vec<(usize, u64)>,
}

/// Counts the first document's nodes and alias expansions without building anything.
fn census(text: &str, body: usize) -> Result<Census, ParseError> {
    let mut positions = Positions::new(text, body);
    let mut tally = Tally::default();
    let mut open = Vec::new();
    let mut aliases = Vec::new();
    for event in Parser::new_from_str(&text[body..]) {
        let (event, span) = event.map_err(|e| positions.scan_error(&e))?;
        match event {
            Event::Scalar(_, _, anchor, _) => {
                let before = tally.node();
                if anchor > 0 {
                    tally.anchored(anchor, before);
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((anchor, tally.node()));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, before)) = open.pop()
                    && anchor > 0
                {
                    tally.anchored(anchor, before);
                }
            }
            Event::Alias(id) => {
                let at = positions.offset(span.start);
                let size = tally
                    .size(id)
                    .ok_or_else(|| recursive_alias_error(text, at))?;
                tally.expanded = tally.expanded.saturating_add(size);
                aliases.push((at, tally.expanded));
            }
            Event::DocumentEnd => break,
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) | Event::Nothing => {}
        }
    }
    Ok(Census {
        budget: tally.budget(0),
        aliases,
    })
}

/// What a tag asks of its node.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TagKind<'t> {
    Untagged,
    Str,
    Int,
    Float,
    Bool,
    Null,
    /// A CloudFormation short form such as `!Ref` (the local tag's name).
    Intrinsic(&'t str),
    /// The non-specific tag `!` and any other global tag: the scalar is a string.
    Other,
}

fn classify(tag: Option<&Tag>) -> TagKind<'_> {
    let Some(tag) = tag else {
        return TagKind::Untagged;
    };
    let core = match tag.handle.as_str() {
        "tag:yaml.org,2002:" => Some(tag.suffix.as_str()),
        // A verbatim tag, `!<tag:yaml.org,2002:str>`.
        "" => tag.suffix.strip_prefix("tag:yaml.org,2002:"),
        _ => None,
    };
    match core {
        Some("str") => TagKind::Str,
        Some("int") => TagKind::Int,
        Some("float") => TagKind::Float,
        Some("bool") => TagKind::Bool,
        Some("null") => TagKind::Null,
        Some(_) => TagKind::Other,
        None if tag.handle == "!" && !tag.suffix.is_empty() => TagKind::Intrinsic(&tag.suffix),
        None => TagKind::Other,
    }
}

/// The long-form key of a short-form tag.
fn intrinsic_key(name: &str) -> Cow<'static, str> {
    Cow::Borrowed(match name {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "And" => "Fn::And",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "Equals" => "Fn::Equals",
        "FindInMap" => "Fn::FindInMap",
        "ForEach" => "Fn::ForEach",
        "GetAZs" => "Fn::GetAZs",
        "GetAtt" => "Fn::GetAtt",
        "If" => "Fn::If",
        "ImportValue" => "Fn::ImportValue",
        "Join" => "Fn::Join",
        "Length" => "Fn::Length",
        "Not" => "Fn::Not",
        "Or" => "Fn::Or",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "Sub" => "Fn::Sub",
        "ToJsonString" => "Fn::ToJsonString",
        "Transform" => "Fn::Transform",
        _ => return Cow::Owned(format!("Fn::{name}")),
    })
}

fn wrap<'a>(key: Cow<'a, str>, span: Span, value: Node<'a>) -> Node<'a> {
    Node::new(
        span,
        Value::Map(vec![Entry {
            key,
            key_span: span,
            value,
        }]),
    )
}

/// A plain scalar resolved with the YAML 1.2 core schema.
fn resolve_plain(text: Cow<'_, str>) -> Value<'_> {
    if is_null(&text) {
        Value::Null
    } else if let Some(b) = as_bool(&text) {
        Value::Bool(b)
    } else if is_number(&text) {
        Value::Number(text)
    } else {
        Value::String(text)
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn as_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// An integer or float of the core schema.
fn is_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let unsigned = match bytes.first() {
        Some(b'-' | b'+') => &bytes[1..],
        _ => bytes,
    };
    let all = |digits: &[u8], f: fn(&u8) -> bool| !digits.is_empty() && digits.iter().all(f);
    if let Some(octal) = bytes.strip_prefix(b"0o") {
        return all(octal, |b| (b'0'..=b'7').contains(b));
    }
    if let Some(hex) = bytes.strip_prefix(b"0x") {
        return all(hex, u8::is_ascii_hexdigit);
    }
    if matches!(unsigned, b".inf" | b".Inf" | b".INF") {
        return true;
    }
    if matches!(bytes, b".nan" | b".NaN" | b".NAN") {
        return true;
    }
    // [0-9]+ (. [0-9]*)? | . [0-9]+, then an optional exponent.
    let int_len = unsigned.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut rest = &unsigned[int_len..];
    let mut digits = int_len;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let fraction_len = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        digits += fraction_len;
        rest = &fraction[fraction_len..];
    }
    if digits == 0 {
        return false;
    }
    match rest {
        [] => true,
        [b'e' | b'E', exponent @ ..] => {
            let exponent = match exponent {
                [b'-' | b'+', digits @ ..] => digits,
                digits => digits,
            };
            all(exponent, u8::is_ascii_digit)
        }
        _ => false,
    }
}

/// A scalar's value given its tag.
fn scalar_value<'a>(text: Cow<'a, str>, style: ScalarStyle, tag: TagKind<'_>) -> Value<'a> {
    match tag {
        TagKind::Untagged if style == ScalarStyle::Plain => resolve_plain(text),
        TagKind::Int | TagKind::Float if is_number(&text) => Value::Number(text),
        TagKind::Bool => match as_bool(&text) {
            Some(b) => Value::Bool(b),
            None => Value::String(text),
        },
        TagKind::Null if is_null(&text) => Value::Null,
        _ => Value::String(text),
    }
}

fn is_flow_indicator(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

/// Skips spaces, line breaks and comments from `at`, not past `end`.
fn skip_separation(bytes: &[u8], mut at: usize, end: usize) -> usize {
    while at < end {
        match bytes[at] {
            b' ' | b'\t' | b'\r' | b'\n' => at += 1,
            b'#' => {
                while at < end && !matches!(bytes[at], b'\r' | b'\n') {
                    at += 1;
                }
            }
            _ => break,
        }
    }
    at
}

/// Skips `count` node properties (a tag or an anchor each) from `at`, not past `end`, and the
/// separation after them: where the node's own text starts.
fn skip_properties(bytes: &[u8], mut at: usize, count: usize, end: usize) -> usize {
    for _ in 0..count {
        at = skip_separation(bytes, at, end);
        match bytes.get(at) {
            Some(b'!') if bytes.get(at + 1) == Some(&b'<') => {
                while at < end && bytes[at] != b'>' {
                    at += 1;
                }
                at = (at + 1).min(end);
            }
            Some(b'!' | b'&') => {
                while at < end
                    && !matches!(bytes[at], b' ' | b'\t' | b'\r' | b'\n')
                    && !is_flow_indicator(bytes[at])
                {
                    at += 1;
                }
            }
            _ => break,
        }
    }
    skip_separation(bytes, at, end)
}

/// The `|` or `>` of a block scalar, between `from` (where the previous token ended) and `end`:
/// only blanks, comments and the indicators `-`, `:` and `?` can come before it.
fn find_block_indicator(bytes: &[u8], from: usize, end: usize) -> Option<usize> {
    let mut at = from;
    while at < end {
        match bytes[at] {
            b'|' | b'>' => return Some(at),
            b' ' | b'\t' | b'\r' | b'\n' | b'-' | b':' | b'?' => at += 1,
            b'#' => at = skip_separation(bytes, at, end),
            _ => return None,
        }
    }
    None
}

/// Where a block scalar starting at `start` (its `|` or `>`) ends: its last non-blank
/// character, or its header when it has no content. saphyr's end includes trailing line breaks
/// and the indentation of the line after.
fn block_scalar_end(bytes: &[u8], start: usize, end: usize) -> usize {
    if !matches!(bytes.get(start), Some(b'|' | b'>')) {
        // The indicator was not found; trim what saphyr gave.
        let mut last = end;
        while last > start && matches!(bytes[last - 1], b' ' | b'\t' | b'\r' | b'\n') {
            last -= 1;
        }
        return last;
    }
    let mut header_end = (start + 1).min(end);
    while header_end < end && matches!(bytes[header_end], b'-' | b'+' | b'0'..=b'9') {
        header_end += 1;
    }
    let Some(body) = bytes[header_end..end]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map(|i| header_end + i)
    else {
        return header_end;
    };
    let mut last = end;
    while last > body && matches!(bytes[last - 1], b' ' | b'\t' | b'\r' | b'\n') {
        last -= 1;
    }
    if last > body { last } else { header_end }
}

/// The contents of the collection being built.
enum Items<'a> {
    Seq(Vec<Node<'a>>),
    Map {
        entries: Vec<Entry<'a>>,
        /// The key whose value comes next.
        key: Option<(Cow<'a, str>, Span)>,
    },
}

/// A sequence or mapping whose end event has not come yet.
struct Frame<'a> {
    items: Items<'a>,
    /// Byte offset of the node's own text (after its tag and anchor).
    start: usize,
    /// Whether it is a `[…]` or `{…}`, which end at their bracket rather than at their last
    /// child.
    flow: bool,
    /// Key and start of the long-form mapping a short-form tag wraps this node in.
    wrap: Option<(Cow<'a, str>, usize)>,
    anchor: usize,
    tally_before: u64,
    /// Where the node goes once it ends, in [`Builder::places`].
    place: u32,
    /// Nesting level of the parent (0 at the top).
    outer: usize,
    /// Deepest nesting level within this node so far.
    deepest: usize,
    /// End of the last child so far.
    last_end: usize,
}

/// An anchored node, found again when an alias names it.
struct Anchored<'a> {
    at: AnchorAt<'a>,
    /// How many levels the node adds to the nesting where it is placed.
    height: usize,
}

/// Where an anchored node is. A node anchored inside other anchored nodes is one node of the
/// tree, not a copy per anchor around it: copying each anchored node when its anchor ends would
/// cost the document's size times the nesting depth, aliased or not. The node is looked up, and
/// copied, only when an alias names it, which the alias budget pays for.
enum AnchorAt<'a> {
    /// A mapping key. Keys are not nodes of the tree; a key is a scalar, so it is kept as one.
    Key(Node<'a>),
    /// Element `index` of the collection at `parent` (an index into [`Builder::places`]), or
    /// the root without a parent.
    Placed { parent: Option<u32>, index: u32 },
}

/// Where a collection goes once it ends: element `index` of the collection at `parent`.
struct Place {
    parent: Option<u32>,
    index: u32,
    /// Whether the collection is wrapped in the long form of a short-form tag.
    wrapped: bool,
}

/// Builds the tree from events with an explicit stack, so nesting never recurses.
struct Builder<'a> {
    text: &'a str,
    body: usize,
    positions: Positions<'a>,
    stack: Vec<Frame<'a>>,
    /// One for each collection opened so far, so that an anchored node can be found again.
    places: Vec<Place>,
    anchors: Vec<Option<Anchored<'a>>>,
    tally: Tally,
    /// Lower bound of the alias budget, once a census has established it.
    budget_floor: u64,
    root: Option<Node<'a>>,
    /// Where the previous event ended, converted only when a block scalar needs it.
    previous_end: Option<Marker>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, body: usize, budget_floor: u64) -> Builder<'a> {
        Builder {
            text,
            body,
            positions: Positions::new(text, body),
            stack: Vec::new(),
            places: Vec::new(),
            anchors: Vec::new(),
            tally: Tally::default(),
            budget_floor,
            root: None,
            previous_end: None,
        }
    }

    fn run(mut self) -> Result<Node<'a>, Failure> {
        let mut parser = Parser::new_from_str(&self.text[self.body..]);
        let mut documents = 0;
        while let Some(event) = parser.next_event() {
            let (event, span) = event.map_err(|e| self.positions.scan_error(&e))?;
            match event {
                Event::DocumentStart(explicit) => {
                    if explicit {
                        self.previous_end = Some(span.end);
                    }
                    documents += 1;
                    if documents > 1 {
                        let at = self.positions.offset(span.start);
                        return Err(
                            ParseError::new(at, "multiple YAML documents in one file").into()
                        );
                    }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    self.scalar(value, style, anchor, tag.as_deref(), span)?;
                }
                Event::SequenceStart(anchor, tag) => {
                    self.open(Items::Seq(Vec::new()), anchor, tag.as_deref(), span)?;
                }
                Event::MappingStart(anchor, tag) => {
                    let items = Items::Map {
                        entries: Vec::new(),
                        key: None,
                    };
                    self.open(items, anchor, tag.as_deref(), span)?;
                }
                Event::SequenceEnd | Event::MappingEnd => self.close(span)?,
                Event::Alias(id) => self.alias(id, span)?,
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
            }
        }
        Ok(self
            .root
            .unwrap_or_else(|| Node::new(Span::default(), Value::Null)))
    }

    /// Nesting level of the collection being built (0 at the top).
    fn level(&self) -> usize {
        self.stack.last().map_or(0, |frame| {
            frame.outer + 1 + usize::from(frame.wrap.is_some())
        })
    }

    fn expecting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                items: Items::Map { key: None, .. },
                ..
            })
        )
    }

    /// `value` as a slice of the source when it reads exactly as written there, so the tree
    /// keeps no copy of it.
    fn borrow_source(&self, value: Cow<'a, str>, style: ScalarStyle, span: Span) -> Cow<'a, str> {
        let range = span.range();
        let written = match style {
            ScalarStyle::Plain => self.text.get(range),
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if range.len() >= 2 => {
                self.text.get(range.start + 1..range.end - 1)
            }
            _ => None,
        };
        match written {
            Some(written) if written == value => Cow::Borrowed(written),
            _ => value,
        }
    }

    /// Records where the anchored node about to be attached (or, as a key, `key`) will be.
    fn remember(&mut self, anchor: usize, key: Option<Node<'a>>, height: usize, tally_before: u64) {
        self.tally.anchored(anchor, tally_before);
        let at = match key {
            Some(key) => AnchorAt::Key(key),
            None => AnchorAt::Placed {
                parent: self.stack.last().map(|frame| frame.place),
                index: self.next_index(),
            },
        };
        if self.anchors.len() <= anchor {
            self.anchors.resize_with(anchor + 1, || None);
        }
        self.anchors[anchor] = Some(Anchored { at, height });
    }

    /// The index the next value attached to the innermost open collection will have.
    fn next_index(&self) -> u32 {
        self.stack.last().map_or(0, |frame| match &frame.items {
            Items::Seq(items) => items.len() as u32,
            Items::Map { entries, .. } => entries.len() as u32,
        })
    }

    /// The node an anchor was recorded at, if it has ended.
    fn anchored_node<'s>(&'s self, at: &'s AnchorAt<'a>) -> Option<&'s Node<'a>> {
        let (parent, index) = match at {
            AnchorAt::Key(node) => return Some(node),
            AnchorAt::Placed { parent: None, .. } => return self.root.as_ref(),
            AnchorAt::Placed {
                parent: Some(parent),
                index,
            } => (*parent, *index),
        };
        // The collections from the root down to the one holding the node, and which element
        // to take from each on the way.
        let mut chain = vec![parent];
        while let Some(up) = self.places[*chain.last()? as usize].parent {
            chain.push(up);
        }
        chain.reverse();
        let step = |k: usize| {
            chain
                .get(k + 1)
                .map_or(index, |&next| self.places[next as usize].index)
        };
        // Those still open are the bottom of the stack. Below the last of them (or, when the
        // root has ended, from the root) every node is finished and found by index.
        let open = chain
            .iter()
            .zip(&self.stack)
            .take_while(|(place, frame)| **place == frame.place)
            .count();
        let mut node = match open.checked_sub(1) {
            None => self.root.as_ref()?,
            Some(last) => match &self.stack[last].items {
                Items::Seq(items) => items.get(step(last) as usize)?,
                Items::Map { entries, .. } => &entries.get(step(last) as usize)?.value,
            },
        };
        for (k, &place) in chain.iter().enumerate().skip(open) {
            // `node` is the collection at `place`.
            if self.places[place as usize].wrapped {
                node = &node.single_entry()?.value;
            }
            node = match &node.value {
                Value::Seq(items) => items.get(step(k) as usize)?,
                Value::Map(entries) => &entries.get(step(k) as usize)?.value,
                _ => return None,
            };
        }
        Some(node)
    }

    fn scalar(
        &mut self,
        value: Cow<'a, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: saphyr_parser::Span,
    ) -> Result<(), Failure> {
        let bytes = self.text.as_bytes();
        let event_start = self.positions.offset(span.start);
        let event_end = self.positions.offset(span.end).max(event_start);
        let properties = usize::from(anchor > 0) + usize::from(tag.is_some());
        // An empty plain scalar has no text: it sits where its properties end, or after the
        // `:` or `-` that left it empty (saphyr puts an empty mapping value on its `:`).
        let content = if style == ScalarStyle::Plain && value.is_empty() {
            let at = if properties > 0 {
                event_end
            } else if bytes.get(event_start) == Some(&b':') && !self.expecting_key() {
                event_start + 1
            } else {
                event_start
            };
            Span::new(at, at)
        } else if let ScalarStyle::Literal | ScalarStyle::Folded = style {
            // saphyr's span of a block scalar starts at its first content line (or, when it has
            // no content, wherever the next token is), so the indicator is looked for after the
            // properties or, without any, after the previous event.
            let from = if properties == 0 {
                let previous = self
                    .previous_end
                    .map_or(self.body, |m| self.positions.offset(m));
                previous.min(event_start)
            } else {
                event_start
            };
            let from = skip_properties(bytes, from, properties, event_end);
            let start = find_block_indicator(bytes, from, event_end).unwrap_or(event_start);
            Span::new(start, block_scalar_end(bytes, start, event_end))
        } else {
            let start = skip_properties(bytes, event_start, properties, event_end);
            Span::new(start, event_end)
        };
        self.previous_end = Some(span.end);
        let value = self.borrow_source(value, style, content);
        let kind = classify(tag);
        let tally_before = self.tally.node();

        if self.expecting_key() {
            if let TagKind::Intrinsic(_) = kind {
                return Err(key_error(event_start).into());
            }
            if anchor > 0 {
                let node = Node::new(content, scalar_value(value.clone(), style, kind));
                self.remember(anchor, Some(node), 0, tally_before);
            }
            self.push_key(value, content);
            return Ok(());
        }

        let outer = self.level();
        let (node, deepest) = match kind {
            TagKind::Intrinsic(name) => {
                let span = Span::new(event_start, content.range().end);
                let key = intrinsic_key(name);
                if name == "GetAtt" {
                    // `!GetAtt a.b.c` is `[a, b.c]`: the resource name cannot contain a dot,
                    // the attribute name can.
                    let parts = match split_first_dot(value) {
                        (resource, Some(attribute)) => vec![
                            Node::new(content, Value::String(resource)),
                            Node::new(content, Value::String(attribute)),
                        ],
                        (resource, None) => vec![Node::new(content, Value::String(resource))],
                    };
                    let inner = Node::new(content, Value::Seq(parts));
                    (wrap(key, span, inner), outer + 2)
                } else {
                    let inner = Node::new(content, Value::String(value));
                    (wrap(key, span, inner), outer + 1)
                }
            }
            _ => (Node::new(content, scalar_value(value, style, kind)), outer),
        };
        if deepest > MAX_DEPTH {
            return Err(depth_error(event_start).into());
        }
        if anchor > 0 {
            self.remember(anchor, None, deepest - outer, tally_before);
        }
        self.attach(node, deepest);
        Ok(())
    }

    fn push_key(&mut self, key: Cow<'a, str>, span: Span) {
        if let Some(frame) = self.stack.last_mut() {
            frame.last_end = frame.last_end.max(span.range().end);
            if let Items::Map { key: slot, .. } = &mut frame.items {
                *slot = Some((key, span));
            }
        }
    }

    /// Adds a finished value node (never a key) to the collection being built.
    fn attach(&mut self, node: Node<'a>, deepest: usize) {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        frame.deepest = frame.deepest.max(deepest);
        frame.last_end = frame.last_end.max(node.span.range().end);
        match &mut frame.items {
            Items::Seq(items) => items.push(node),
            Items::Map { entries, key } => {
                // saphyr always emits a key before its value; a missing one would be a bug
                // there, and an empty key is the least surprising stand-in.
                let (key, key_span) = key.take().unwrap_or_else(|| {
                    (
                        Cow::Borrowed(""),
                        Span::new(node.span.range().start, node.span.range().start),
                    )
                });
                entries.push(Entry {
                    key,
                    key_span,
                    value: node,
                });
            }
        }
    }

    fn open(
        &mut self,
        items: Items<'a>,
        anchor: usize,
        tag: Option<&Tag>,
        span: saphyr_parser::Span,
    ) -> Result<(), Failure> {
        let event_start = self.positions.offset(span.start);
        if self.expecting_key() {
            return Err(key_error(event_start).into());
        }
        let event_end = self.positions.offset(span.end).max(event_start);
        self.previous_end = Some(span.end);
        let bytes = self.text.as_bytes();
        // saphyr's span of a collection's start runs from its first property to the end of
        // its opening bracket, or (block style) to where its first entry begins.
        let flow = event_end > event_start && matches!(bytes[event_end - 1], b'[' | b'{');
        let mut start = if flow {
            event_end - 1
        } else if anchor == 0 && tag.is_none() {
            event_start
        } else {
            event_end
        };
        if !flow && matches!(items, Items::Seq(_)) {
            // A sequence that is not indented under its key starts after its first `- `.
            let mut dash = start;
            while dash > 0 && matches!(bytes[dash - 1], b' ' | b'\t') {
                dash -= 1;
            }
            if dash > 0 && bytes[dash - 1] == b'-' && bytes.get(start) != Some(&b'-') {
                start = dash - 1;
            }
        }
        let wrap = match classify(tag) {
            TagKind::Intrinsic(name) => Some((intrinsic_key(name), event_start)),
            _ => None,
        };
        let outer = self.level();
        let level = outer + 1 + usize::from(wrap.is_some());
        if level > MAX_DEPTH {
            return Err(depth_error(event_start).into());
        }
        let tally_before = self.tally.node();
        let place = self.places.len() as u32;
        self.places.push(Place {
            parent: self.stack.last().map(|frame| frame.place),
            index: self.next_index(),
            wrapped: wrap.is_some(),
        });
        self.stack.push(Frame {
            items,
            start,
            flow,
            wrap,
            anchor,
            tally_before,
            place,
            outer,
            deepest: level,
            last_end: start,
        });
        Ok(())
    }

    fn close(&mut self, span: saphyr_parser::Span) -> Result<(), Failure> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        self.previous_end = Some(span.end);
        let mut end = frame.last_end;
        if frame.flow {
            end = end.max(self.positions.offset(span.end));
        }
        let value = match frame.items {
            Items::Seq(items) => Value::Seq(items),
            Items::Map { mut entries, key } => {
                if let Some((key, key_span)) = key {
                    let at = Span::new(key_span.range().end, key_span.range().end);
                    entries.push(Entry {
                        key,
                        key_span,
                        value: Node::new(at, Value::Null),
                    });
                }
                Value::Map(entries)
            }
        };
        let mut node = Node::new(Span::new(frame.start, end), value);
        if let Some((key, wrap_start)) = frame.wrap {
            node = wrap(key, Span::new(wrap_start, end), node);
        }
        if frame.anchor > 0 {
            self.remember(
                frame.anchor,
                None,
                frame.deepest - frame.outer,
                frame.tally_before,
            );
        }
        self.attach(node, frame.deepest);
        Ok(())
    }

    fn alias(&mut self, id: usize, span: saphyr_parser::Span) -> Result<(), Failure> {
        let at = self.positions.offset(span.start);
        self.previous_end = Some(span.end);
        // saphyr rejects unknown anchors itself; a known one without a node is still open.
        let (Some(anchored), Some(size)) = (
            self.anchors.get(id).and_then(Option::as_ref),
            self.tally.size(id),
        ) else {
            return Err(recursive_alias_error(self.text, at).into());
        };
        let height = anchored.height;
        let Some(found) = self.anchored_node(&anchored.at) else {
            return Err(recursive_alias_error(self.text, at).into());
        };
        if self.tally.expanded.saturating_add(size) > self.tally.budget(self.budget_floor) {
            return Err(Failure::AliasBudget(at));
        }
        let outer = self.level();
        if outer + height > MAX_DEPTH {
            return Err(depth_error(at).into());
        }
        if self.expecting_key() {
            let key = match &found.value {
                Value::String(text) | Value::Number(text) => text.clone(),
                Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
                Value::Null => Cow::Borrowed(self.text.get(found.span.range()).unwrap_or_default()),
                Value::Seq(_) | Value::Map(_) => return Err(key_error(at).into()),
            };
            let span = found.span;
            self.tally.expanded += size;
            self.push_key(key, span);
            return Ok(());
        }
        let node = found.clone();
        let deepest = outer + height;
        self.tally.expanded += size;
        self.attach(node, deepest);
        Ok(())
    }
}

fn split_first_dot(text: Cow<'_, str>) -> (Cow<'_, str>, Option<Cow<'_, str>>) {
    match text {
        Cow::Borrowed(text) => match text.split_once('.') {
            Some((head, tail)) => (Cow::Borrowed(head), Some(Cow::Borrowed(tail))),
            None => (Cow::Borrowed(text), None),
        },
        Cow::Owned(text) => match text.split_once('.') {
            Some((head, tail)) => (
                Cow::Owned(head.to_owned()),
                Some(Cow::Owned(tail.to_owned())),
            ),
            None => (Cow::Owned(text), None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Node<'_> {
        match parse(text) {
            Ok(node) => node,
            Err(e) => panic!("{text:?} failed at {}: {}", e.offset, e.message),
        }
    }

    fn err(text: &str) -> (usize, String) {
        match parse(text) {
            Ok(node) => panic!("{text:?} parsed: {node:?}"),
            Err(e) => (e.offset as usize, e.message),
        }
    }

    /// The node at a `/`-separated path of keys and sequence indices.
    fn at<'t, 'a>(root: &'t Node<'a>, path: &str) -> &'t Node<'a> {
        path.split('/')
            .filter(|step| !step.is_empty())
            .fold(root, |node, step| match step.parse::<usize>() {
                Ok(index) if node.as_seq().is_some() => &node.as_seq().unwrap()[index],
                _ => node
                    .get(step)
                    .unwrap_or_else(|| panic!("no {step:?} in {node:?}")),
            })
    }

    /// The text of the node at `path`, and of its key when the last step is a key.
    fn text_at<'t>(text: &'t str, path: &str) -> &'t str {
        &text[at(&ok(text), path).span.range()]
    }

    fn key_text_at<'t>(text: &'t str, path: &str) -> &'t str {
        let (parent, key) = path.rsplit_once('/').unwrap_or(("", path));
        let root = ok(text);
        let span = at(&root, parent).entry(key).unwrap().key_span;
        &text[span.range()]
    }

    use crate::parse::tests::strip_spans as shape;

    fn assert_same_as_json(yaml: &str, json: &str) {
        let expected = super::super::json::parse(json, &crate::parse::Prune::Keep).unwrap();
        assert_eq!(shape(&ok(yaml)), shape(&expected), "{yaml:?}");
    }

    const TEMPLATE: &str = "\
AWSTemplateFormatVersion: 2010-09-09   # a comment
Resources:
  Bucket:
    Type: 'AWS::S3::Bucket'
    Properties:
      Tags:
        - Key: \"k\"
          Value: v
        -   Key: k2
            Value: v2

      Empty:
  Next: {a: [1, 2], \"b\": {c: d}, e: []}
Text: |
  line one
    line two

# trailing comment
Folded: >-
  a
  b
Last: plain
  continued   # comment
";

    #[test]
    fn block_spans_are_trimmed_to_their_text() {
        let cases = [
            ("", TEMPLATE.trim_end_matches("   # comment\n")),
            ("AWSTemplateFormatVersion", "2010-09-09"),
            (
                "Resources",
                &TEMPLATE[TEMPLATE.find("Bucket:").unwrap()..TEMPLATE.find("\nText").unwrap()],
            ),
            ("Resources/Bucket/Type", "'AWS::S3::Bucket'"),
            (
                "Resources/Bucket/Properties/Tags",
                "- Key: \"k\"\n          Value: v\n        -   Key: k2\n            Value: v2",
            ),
            (
                "Resources/Bucket/Properties/Tags/0",
                "Key: \"k\"\n          Value: v",
            ),
            ("Resources/Bucket/Properties/Tags/0/Key", "\"k\""),
            (
                "Resources/Bucket/Properties/Tags/1",
                "Key: k2\n            Value: v2",
            ),
            ("Resources/Bucket/Properties/Empty", ""),
            ("Resources/Next", "{a: [1, 2], \"b\": {c: d}, e: []}"),
            ("Resources/Next/a", "[1, 2]"),
            ("Resources/Next/a/1", "2"),
            ("Resources/Next/b", "{c: d}"),
            ("Resources/Next/e", "[]"),
            ("Text", "|\n  line one\n    line two"),
            ("Folded", ">-\n  a\n  b"),
            ("Last", "plain\n  continued"),
        ];
        for (path, want) in cases {
            assert_eq!(text_at(TEMPLATE, path), want, "{path}");
        }
        let keys = [
            ("AWSTemplateFormatVersion", "AWSTemplateFormatVersion"),
            ("Resources/Bucket", "Bucket"),
            ("Resources/Bucket/Properties/Tags/0/Key", "Key"),
            ("Resources/Next/b", "\"b\""),
            ("Resources/Bucket/Properties/Empty", "Empty"),
        ];
        for (path, want) in keys {
            assert_eq!(key_text_at(TEMPLATE, path), want, "{path}");
        }
        // The mapping ends at its last value, here the `:` of an empty one.
        let root = ok(TEMPLATE);
        let properties = at(&root, "Resources/Bucket/Properties");
        assert!(TEMPLATE[properties.span.range()].ends_with("Empty:"));
        assert_eq!(at(&root, "Text").as_str(), Some("line one\n  line two\n"));
        assert_eq!(at(&root, "Folded").as_str(), Some("a b"));
        assert_eq!(at(&root, "Last").as_str(), Some("plain continued"));
    }

    #[test]
    fn flow_and_sequence_spans() {
        let cases: &[(&str, &str, &str)] = &[
            ("[a, 'b', \"c\"]", "", "[a, 'b', \"c\"]"),
            ("[a, 'b', \"c\"]", "2", "\"c\""),
            ("{a: 1, b: }", "b", ""),
            ("{a: 1, b: }", "", "{a: 1, b: }"),
            ("[x, k: v]", "1", "k: v"),
            ("- a\n- - b\n  - c\n-\n", "", "- a\n- - b\n  - c\n-"),
            ("- a\n- - b\n  - c\n-\n", "1", "- b\n  - c"),
            ("k:\n- a\n- b\n", "k", "- a\n- b"),
            ("k: &x\n- a\n", "k", "- a"),
            ("k: !!seq\n  - a\n", "k", "- a"),
            ("k: &m\n  a: 1\n", "k", "a: 1"),
            ("k: |+\n  keep\n\n", "k", "|+\n  keep"),
            ("k: >2\n   indented\n", "k", ">2\n   indented"),
            ("k: | # comment > |\n  x\n", "k", "| # comment > |\n  x"),
            ("k: |\nn: 1\n", "k", "|"),
            ("k: &a |\n  x\n", "k", "|\n  x"),
            ("- |\n  x\n- >\n  y\n", "1", ">\n  y"),
            ("- {a: 1}\n- |\n  x\n", "1", "|\n  x"),
            ("- [a]\n- >\n  x\n", "1", ">\n  x"),
            ("? a|b\n: |\n  x\n", "a|b", "|\n  x"),
            ("--- |\n  x\n", "", "|\n  x"),
            ("k: 'it''s'\n", "k", "'it''s'"),
            ("k: \"multi\n  line\"\n", "k", "\"multi\n  line\""),
        ];
        for &(text, path, want) in cases {
            assert_eq!(text_at(text, path), want, "{text:?} {path}");
        }
    }

    #[test]
    fn json_text_gives_the_same_tree_as_the_json_parser() {
        // JSON is YAML: the trees must match, spans included.
        let json = r#"{"AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {"R": {"Type": "AWS::Events::Rule", "Properties": {
    "EventPattern": {"source": ["aws.s3"], "detail": {"size": [{"numeric": [">", 1.5e3]}]}},
    "Escaped": "tab\there \u00e9 \"quoted\" \/", "Ünï": [true, false, null, -0, 12],
    "Empty": {}, "None": []}}}}"#;
        let from_json = super::super::json::parse(json, &crate::parse::Prune::Keep).unwrap();
        assert_eq!(ok(json), from_json);
    }

    #[test]
    fn offsets_count_bytes_and_every_line_break() {
        let cases: &[(&str, &str, &str)] = &[
            ("é: ü\nx: [ä, {ö: ß}]\n", "x/1/ö", "ß"),
            ("é: ü\nx: [ä, {ö: ß}]\n", "é", "ü"),
            (
                "a: 1\r\nb: \"x\r\n  y\"\r\nc: |\r\n  z\r\n",
                "c",
                "|\r\n  z",
            ),
            (
                "a: 1\r\nb: \"x\r\n  y\"\r\nc: |\r\n  z\r\n",
                "b",
                "\"x\r\n  y\"",
            ),
            ("a: 1\rb: é\rc: [x]\r", "c/0", "x"),
            ("a: 1\rb: é\rc: [x]\r", "b", "é"),
            ("\u{feff}a: é\n", "a", "é"),
            ("k: 🎉 x # 🎉\nl: y\n", "l", "y"),
            ("k: \"\u{2028}\"\nl: 1\n", "l", "1"),
        ];
        for &(text, path, want) in cases {
            assert_eq!(text_at(text, path), want, "{text:?} {path}");
        }
    }

    #[test]
    fn positions_agree_with_saphyr_character_index() {
        // On ASCII text without directives the character index is a byte offset, so it checks
        // the line-and-column conversion.
        let texts = [
            TEMPLATE,
            "a: 1\r\nb:\r\n  - x\r\n  - {y: z}\r\n",
            "a:\r  b: |\r    x\r\r  c: 'q'\r",
            "- ? k\n  : v\n- [a, b: c]\n- !Ref x\n- &a y\n- *a\n",
        ];
        for text in texts {
            let mut positions = Positions::new(text, 0);
            for event in Parser::new_from_str(text) {
                let (_, span) = event.unwrap();
                for marker in [span.start, span.end] {
                    let want = marker.index().min(text.len());
                    assert_eq!(positions.offset(marker), want, "{text:?} {marker:?}");
                }
            }
        }
    }

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        let cases: &[(&str, Value)] = &[
            ("null", Value::Null),
            ("Null", Value::Null),
            ("NULL", Value::Null),
            ("~", Value::Null),
            ("", Value::Null),
            ("true", Value::Bool(true)),
            ("True", Value::Bool(true)),
            ("TRUE", Value::Bool(true)),
            ("false", Value::Bool(false)),
            ("False", Value::Bool(false)),
            ("FALSE", Value::Bool(false)),
            ("0", Value::Number("0".into())),
            ("-12", Value::Number("-12".into())),
            ("+12", Value::Number("+12".into())),
            ("012345678901", Value::Number("012345678901".into())),
            ("0o17", Value::Number("0o17".into())),
            ("0x1F", Value::Number("0x1F".into())),
            ("0xcafe", Value::Number("0xcafe".into())),
            ("1.5", Value::Number("1.5".into())),
            ("1.", Value::Number("1.".into())),
            (".5", Value::Number(".5".into())),
            ("-.5e3", Value::Number("-.5e3".into())),
            ("3.0e+2", Value::Number("3.0e+2".into())),
            ("1e9", Value::Number("1e9".into())),
            (".inf", Value::Number(".inf".into())),
            ("-.Inf", Value::Number("-.Inf".into())),
            ("+.INF", Value::Number("+.INF".into())),
            (".nan", Value::Number(".nan".into())),
            (".NaN", Value::Number(".NaN".into())),
            ("2010-09-09", Value::String("2010-09-09".into())),
            ("yes", Value::String("yes".into())),
            ("no", Value::String("no".into())),
            ("on", Value::String("on".into())),
            ("nULL", Value::String("nULL".into())),
            ("tRUE", Value::String("tRUE".into())),
            ("0o18", Value::String("0o18".into())),
            ("0x", Value::String("0x".into())),
            ("-0x1", Value::String("-0x1".into())),
            ("1_000", Value::String("1_000".into())),
            ("0b101", Value::String("0b101".into())),
            (".", Value::String(".".into())),
            ("-x", Value::String("-x".into())),
            ("1e", Value::String("1e".into())),
            ("1.2.3", Value::String("1.2.3".into())),
            ("-.nan", Value::String("-.nan".into())),
            ("12:30", Value::String("12:30".into())),
            ("<<", Value::String("<<".into())),
        ];
        for (scalar, want) in cases {
            let text = format!("k: {scalar}\n");
            assert_eq!(&ok(&text).get("k").unwrap().value, want, "{scalar:?}");
        }
    }

    #[test]
    fn quoted_and_block_scalars_are_strings() {
        for text in [
            "'1'",
            "\"true\"",
            "'null'",
            "''",
            "\"~\"",
            "|\n  1\n",
            ">\n  true\n",
        ] {
            let doc = format!("k: {text}");
            assert!(
                matches!(ok(&doc).get("k").unwrap().value, Value::String(_)),
                "{text}"
            );
        }
        assert_eq!(
            ok("k: \"a\\tb\\u00e9\"").get("k").unwrap().as_str(),
            Some("a\tbé")
        );
    }

    #[test]
    fn scalars_borrow_when_written_as_they_read() {
        let root = ok("a: plain\nb: 'quoted'\nc: \"esc\\n\"\nd: 'it''s'\n");
        assert!(matches!(
            root.get("a").unwrap().value,
            Value::String(Cow::Borrowed(_))
        ));
        assert!(matches!(
            root.get("b").unwrap().value,
            Value::String(Cow::Borrowed(_))
        ));
        assert!(matches!(
            root.get("c").unwrap().value,
            Value::String(Cow::Owned(_))
        ));
        assert_eq!(root.get("d").unwrap().as_str(), Some("it's"));
        assert!(matches!(root.as_map().unwrap()[0].key, Cow::Borrowed("a")));
    }

    #[test]
    fn standard_tags_force_their_type() {
        let cases: &[(&str, Value)] = &[
            ("!!str 123", Value::String("123".into())),
            ("!!str true", Value::String("true".into())),
            ("!!str", Value::String("".into())),
            ("!!int \"12\"", Value::Number("12".into())),
            ("!!int abc", Value::String("abc".into())),
            ("!!float 1", Value::Number("1".into())),
            ("!!float '.inf'", Value::Number(".inf".into())),
            ("!!bool \"true\"", Value::Bool(true)),
            ("!!bool yes", Value::String("yes".into())),
            ("!!null ''", Value::Null),
            ("!!null", Value::Null),
            ("!!null x", Value::String("x".into())),
            ("! 12", Value::String("12".into())),
            ("!<tag:yaml.org,2002:str> 7", Value::String("7".into())),
            ("!<tag:yaml.org,2002:int> '7'", Value::Number("7".into())),
            ("!!binary aGk=", Value::String("aGk=".into())),
        ];
        for (scalar, want) in cases {
            let text = format!("k: {scalar}\n");
            assert_eq!(&ok(&text).get("k").unwrap().value, want, "{scalar:?}");
        }
        assert_same_as_json(
            "k: !!map {a: 1}\nl: !!seq [1]",
            r#"{"k": {"a": 1}, "l": [1]}"#,
        );
        assert_eq!(text_at("k: !!str 123\n", "k"), "123");
    }

    #[test]
    fn short_form_tags_become_long_forms() {
        let cases = [
            ("!Ref Bucket", r#"{"Ref": "Bucket"}"#),
            ("!Ref 123", r#"{"Ref": "123"}"#),
            ("!Ref true", r#"{"Ref": "true"}"#),
            ("!Condition IsProd", r#"{"Condition": "IsProd"}"#),
            ("!GetAtt Role.Arn", r#"{"Fn::GetAtt": ["Role", "Arn"]}"#),
            (
                "!GetAtt Db.Endpoint.Address",
                r#"{"Fn::GetAtt": ["Db", "Endpoint.Address"]}"#,
            ),
            ("!GetAtt 'Role.Arn'", r#"{"Fn::GetAtt": ["Role", "Arn"]}"#),
            ("!GetAtt Role", r#"{"Fn::GetAtt": ["Role"]}"#),
            ("!GetAtt [Role, Arn]", r#"{"Fn::GetAtt": ["Role", "Arn"]}"#),
            (
                "!GetAtt\n  - Role\n  - Arn",
                r#"{"Fn::GetAtt": ["Role", "Arn"]}"#,
            ),
            (
                "!Sub '${AWS::Region}-x'",
                r#"{"Fn::Sub": "${AWS::Region}-x"}"#,
            ),
            (
                "!Sub [\"${A}\", {A: !Ref B}]",
                r#"{"Fn::Sub": ["${A}", {"A": {"Ref": "B"}}]}"#,
            ),
            ("!Join [',', [a, b]]", r#"{"Fn::Join": [",", ["a", "b"]]}"#),
            (
                "!If [C, !Ref A, !Ref 'AWS::NoValue']",
                r#"{"Fn::If": ["C", {"Ref": "A"}, {"Ref": "AWS::NoValue"}]}"#,
            ),
            (
                "!Equals [!Ref Env, prod]",
                r#"{"Fn::Equals": [{"Ref": "Env"}, "prod"]}"#,
            ),
            (
                "!FindInMap [M, !Ref 'AWS::Region', K]",
                r#"{"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "K"]}"#,
            ),
            ("!ImportValue Shared", r#"{"Fn::ImportValue": "Shared"}"#),
            (
                "!Select [0, !GetAZs '']",
                r#"{"Fn::Select": [0, {"Fn::GetAZs": ""}]}"#,
            ),
            (
                "!Split [',', !ImportValue L]",
                r#"{"Fn::Split": [",", {"Fn::ImportValue": "L"}]}"#,
            ),
            ("!Base64 text", r#"{"Fn::Base64": "text"}"#),
            (
                "!Cidr [!GetAtt Vpc.CidrBlock, 6, 5]",
                r#"{"Fn::Cidr": [{"Fn::GetAtt": ["Vpc", "CidrBlock"]}, 6, 5]}"#,
            ),
            ("!GetAZs ''", r#"{"Fn::GetAZs": ""}"#),
            ("!GetAZs", r#"{"Fn::GetAZs": ""}"#),
            (
                "!And [!Condition A, !Not [!Condition B]]",
                r#"{"Fn::And": [{"Condition": "A"}, {"Fn::Not": [{"Condition": "B"}]}]}"#,
            ),
            (
                "!Or [!Equals [a, b], !Condition C]",
                r#"{"Fn::Or": [{"Fn::Equals": ["a", "b"]}, {"Condition": "C"}]}"#,
            ),
            (
                "!Transform {Name: T, Parameters: {}}",
                r#"{"Fn::Transform": {"Name": "T", "Parameters": {}}}"#,
            ),
            ("!Custom x", r#"{"Fn::Custom": "x"}"#),
            ("&a !Ref X", r#"{"Ref": "X"}"#),
            ("!Ref &a X", r#"{"Ref": "X"}"#),
        ];
        for (yaml, json) in cases {
            assert_same_as_json(&format!("k: {yaml}\n"), &format!(r#"{{"k": {json}}}"#));
        }
        assert_same_as_json("!Ref Top", r#"{"Ref": "Top"}"#);
    }

    #[test]
    fn short_form_spans_cover_the_tag_and_keep_the_value_text() {
        let text =
            "a: !Ref X\nb: !GetAtt R.Arn\nc: !If\n  - C\n  - x # c\nd: !GetAZs\ne: &n !Sub 's'\n";
        let root = ok(text);
        let slice = |span: Span| &text[span.range()];
        for (key, whole, inner) in [
            ("a", "!Ref X", "X"),
            ("b", "!GetAtt R.Arn", "R.Arn"),
            ("c", "!If\n  - C\n  - x", "- C\n  - x"),
            ("d", "!GetAZs", ""),
            ("e", "&n !Sub 's'", "'s'"),
        ] {
            let node = root.get(key).unwrap();
            let entry = node.single_entry().unwrap();
            assert_eq!(slice(node.span), whole, "{key}");
            assert_eq!(slice(entry.key_span), whole, "{key}");
            assert_eq!(slice(entry.value.span), inner, "{key}");
        }
        let parts = root.at(&["b", "Fn::GetAtt"]).unwrap().as_seq().unwrap();
        assert_eq!(parts.len(), 2);
        assert!(parts.iter().all(|part| slice(part.span) == "R.Arn"));
        assert_eq!(
            root.at(&["d", "Fn::GetAZs"]).unwrap().span,
            Span::new(text.find("\ne").unwrap(), text.find("\ne").unwrap())
        );
    }

    #[test]
    fn aliases_expand_to_copies_with_the_anchors_spans() {
        let text = "base: &b\n  x: [1, !Ref Y]\ncopy: *b\nkey: &k name\n*k : v\n<<: *b\n";
        let root = ok(text);
        assert_eq!(root.get("copy"), root.get("base"));
        assert_eq!(
            root.get("copy").unwrap().span,
            root.get("base").unwrap().span
        );
        assert_eq!(root.get("name").and_then(Node::as_str), Some("v"));
        // Merge keys are ordinary keys.
        assert_eq!(root.get("<<"), root.get("base"));
        assert_eq!(root.as_map().unwrap().len(), 5);
        // An anchor can be redefined; an alias takes the latest.
        let root = ok("a: &x 1\nb: &x 2\nc: *x\n");
        assert_eq!(root.get("c").unwrap().scalar_text().as_deref(), Some("2"));
    }

    #[test]
    fn aliases_find_anchored_nodes_wherever_they_are_nested() {
        // Anchors inside anchors, inside short-form tags, in collections still open, in ones
        // that have ended, and in block and flow style.
        let text = "\
a: &a [&b [1, &c {k: &d v}], !Sub [&e x, {y: &f [z]}], &g !GetAtt r.x]
b: *b
c: *c
d: *d
e: *e
f: *f
g: *g
h: &h !If [c, &i [1], [2]]
i: *i
copies: [*a, *h]
open: [&s 1, {p: &p 2, q: *p}, *s]
nested:
  - &j
    deep:
      - &k {m: n}
      - *k
  - *k
  - *j
";
        let root = ok(text);
        let at = |node: &Node<'static>, index: usize| -> Node<'static> {
            match &node.value {
                Value::Seq(items) => items[index].clone(),
                Value::Map(entries) => entries[index].value.clone(),
                _ => panic!("not a collection: {node:?}"),
            }
        };
        let get = |key: &str| root.get(key).unwrap().clone();
        let a = get("a");
        let b = at(&a, 0);
        let c = at(&b, 1);
        let sub = at(&at(&a, 1), 0);
        let h = get("h");
        assert_eq!(get("b"), b);
        assert_eq!(get("c"), c);
        assert_eq!(get("d"), at(&c, 0));
        assert_eq!(get("e"), at(&sub, 0));
        assert_eq!(get("f"), at(&at(&sub, 1), 0));
        assert_eq!(get("g"), at(&a, 2));
        assert_eq!(get("i"), at(&at(&h, 0), 1));
        assert_eq!(
            get("copies"),
            Node::new(get("copies").span, Value::Seq(vec![a, h]))
        );
        let open = get("open");
        assert_eq!(at(&open, 2), at(&open, 0));
        assert_eq!(at(&at(&open, 1), 1), at(&at(&open, 1), 0));
        let nested = get("nested");
        let j = at(&nested, 0);
        let k = at(&at(&j, 0), 0);
        assert_eq!(at(&at(&j, 0), 1), k);
        assert_eq!(at(&nested, 1), k);
        assert_eq!(at(&nested, 2), j);
    }

    #[test]
    fn alias_errors() {
        assert_eq!(
            err("a: *nope\n"),
            (3, "while parsing node, found unknown anchor".into())
        );
        assert_eq!(
            err("a: &x [1, *x]\n"),
            (10, "alias `*x` refers to a node that contains it".into())
        );
        assert_eq!(
            err("a: &m {b: 1}\n*m : c\n"),
            (13, "mapping key must be a scalar".into())
        );
    }

    fn billion_laughs(levels: usize) -> String {
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..levels {
            let previous = format!("*a{}", level - 1);
            let items = [previous.as_str(); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        text
    }

    #[test]
    fn alias_bombs_are_stopped() {
        let text = billion_laughs(10);
        let started = std::time::Instant::now();
        let (offset, message) = err(&text);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(message, "YAML aliases expand to too many nodes");
        // Level 4 is the first whose aliases add up past 100 000 nodes: each is 1 111 nodes,
        // after levels 2 and 3 expanded 10 × 11 + 10 × 111.
        let level4 = text.find("a4:").unwrap();
        assert!(
            offset > level4 && offset < text.find("a5:").unwrap(),
            "{offset}"
        );
        // A few levels stay within budget.
        assert!(parse(&billion_laughs(4)).is_ok());
        // Nested mappings bomb the same way.
        let mut text = String::from("l0: &l0 {x: 1, y: 2}\n");
        for level in 1..30 {
            let previous = level - 1;
            text.push_str(&format!(
                "l{level}: &l{level} {{p: *l{previous}, q: *l{previous}}}\n"
            ));
        }
        assert_eq!(err(&text).1, "YAML aliases expand to too many nodes");
    }

    #[test]
    fn alias_budget_counts_nodes_of_the_whole_document() {
        // 11 copies of a 10 001-node list: 110 011 nodes, more than 10 times the nodes parsed
        // before the last alias, and than the floor of 100 000.
        let list = (0..10_000)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let mut text = format!("list: &l [{list}]\n");
        for i in 0..11 {
            text.push_str(&format!("c{i}: *l\n"));
        }
        let last_alias = text.rfind("*l").unwrap();
        assert_eq!(
            err(&text),
            (last_alias, "YAML aliases expand to too many nodes".into())
        );
        // With enough nodes after the aliases, the same expansion is within budget.
        let more = (0..2_000)
            .map(|i| format!("m{i}: {i}\n"))
            .collect::<String>();
        text.push_str(&more);
        let root = ok(&text);
        assert_eq!(root.get("c10").unwrap().as_seq().unwrap().len(), 10_000);
        assert_eq!(root.as_map().unwrap().len(), 2_012);
    }

    #[test]
    fn depth_limit_is_enforced() {
        let nested = |levels: usize| format!("{}x\n", "- ".repeat(levels));
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        assert_eq!(
            err(&nested(MAX_DEPTH + 1)),
            (2 * MAX_DEPTH, "nesting deeper than 200 levels".into())
        );
        let flow = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
        assert!(parse(&flow(MAX_DEPTH)).is_ok());
        assert_eq!(
            err(&flow(MAX_DEPTH + 1)),
            (MAX_DEPTH, "nesting deeper than 200 levels".into())
        );
        assert!(parse(&flow(1_000)).is_err());
        // Short-form tags add a level each.
        let tagged = |levels: usize| format!("{}x{}", "!If [".repeat(levels), "]".repeat(levels));
        assert!(parse(&tagged(MAX_DEPTH / 2)).is_ok());
        assert_eq!(
            err(&tagged(MAX_DEPTH / 2 + 1)).1,
            "nesting deeper than 200 levels"
        );
        let scalar = format!("{}!Ref x\n", "- ".repeat(MAX_DEPTH));
        assert_eq!(
            err(&scalar),
            (2 * MAX_DEPTH, "nesting deeper than 200 levels".into())
        );
        // An alias may not carry its nesting deeper than the limit either.
        let aliased = |outer: usize| {
            format!(
                "a: &d {}\nb: {}*d{}\n",
                flow(150),
                "[".repeat(outer),
                "]".repeat(outer)
            )
        };
        assert!(parse(&aliased(40)).is_ok());
        let text = aliased(60);
        let alias = text.find("*d").unwrap();
        assert_eq!(err(&text), (alias, "nesting deeper than 200 levels".into()));
    }

    #[test]
    fn documents_and_empty_streams() {
        for text in ["", "\n\n", "# only a comment\n", "\u{feff}", "  # c\n# d"] {
            assert_eq!(
                ok(text),
                Node::new(Span::default(), Value::Null),
                "{text:?}"
            );
        }
        assert!(ok("---\n").is_null());
        assert_eq!(ok("--- a\n...\n").as_str(), Some("a"));
        assert!(ok("%YAML 1.2\n---\na: 1\n...\n# done\n").get("a").is_some());
        let cases: &[(&str, usize)] = &[
            ("a: 1\n---\nb: 2\n", 5),
            ("--- a\n--- b\n", 6),
            ("a: 1\n...\nb: 2\n", 9),
            ("a: 1\n---\n", 5),
        ];
        for &(text, offset) in cases {
            assert_eq!(
                err(text),
                (offset, "multiple YAML documents in one file".into()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn bom_is_skipped_and_spans_stay_absolute() {
        let text = "\u{feff}a: [1]\n";
        let root = ok(text);
        assert_eq!(&text[root.span.range()], "a: [1]");
        assert_eq!(root.span.start, 3);
        let text = "\u{feff}a: [\n";
        assert_eq!(err(text).0, text.len());
    }

    #[test]
    fn mapping_keys_must_be_scalars() {
        let cases: &[(&str, usize)] = &[
            ("? [a]\n: b\n", 2),
            ("? [a]: b\n", 2),
            ("[a]: b\n", 0),
            ("{[a]: b}", 1),
            ("x: {{a: 1}: b}", 4),
            ("!Ref a: b\n", 0),
            ("k:\n  ? {a: 1}\n", 7),
        ];
        for &(text, offset) in cases {
            assert_eq!(
                err(text),
                (offset, "mapping key must be a scalar".into()),
                "{text:?}"
            );
        }
        // Scalars of any kind are keys, as written.
        let root = ok("1: a\ntrue: b\n~: c\n: d\n'q': e\n!!str 2: f\n");
        let keys: Vec<_> = root
            .as_map()
            .unwrap()
            .iter()
            .map(|e| e.key.as_ref())
            .collect();
        assert_eq!(keys, ["1", "true", "~", "", "q", "2"]);
    }

    #[test]
    fn scanner_errors_keep_their_message_and_position() {
        let cases: &[(&str, usize, &str)] = &[
            (
                "a:\tb",
                3,
                "':' must be followed by a valid YAML whitespace",
            ),
            (
                "a: [1, 2\n",
                9,
                "while parsing a flow sequence, expected ',' or ']'",
            ),
            (
                "é: 'x\n",
                4,
                "while scanning a quoted scalar, found unexpected end of stream",
            ),
            (
                "a: b: c\n",
                4,
                "mapping values are not allowed in this context",
            ),
            (
                "a: 1\n b: 2\n",
                7,
                "mapping values are not allowed in this context",
            ),
            ("a: @x\n", 3, "unexpected character: `@'"),
        ];
        for &(text, offset, message) in cases {
            assert_eq!(err(text), (offset, message.to_owned()), "{text:?}");
        }
    }

    #[test]
    fn adversarial_inputs_never_panic() {
        let long_line = format!("k: {}\n", "é".repeat(100_000));
        let long_flow = format!("[{}]", "é, ".repeat(50_000));
        let inputs = [
            "{[",
            ":",
            "- - -",
            "!",
            "&a *a",
            "? [a]: b",
            "\t",
            "a:\n\tb: c",
            "\0",
            "a: \0",
            "[\0]",
            "&",
            "*",
            "!<",
            "!<>",
            "! !",
            "&a &b x",
            "!a !b x",
            "--- |",
            "|",
            ">-\n",
            "- |\n\u{feff}",
            "...",
            "--- ...",
            "%YAML 1.2",
            "%TAG ! x:\n--- !y z",
            "%FOO é ü\n--- é",
            "\u{feff}\u{feff}---\n\u{feff}",
            "a: 1\n\u{feff}---\nb",
            "[a: b: c]",
            "{? a}",
            "[? ]",
            "*a : b",
            "- *a",
            "\r",
            "\r\r\r",
            "'\r\n'",
            "\"\\",
            "\"\\u12",
            "k: |\n é\n  x",
            "🎉: 🎉\n 🎉",
            "? |\n  a\n: >\n  b",
            "- - - !GetAtt\n",
            "!GetAtt .",
            "!GetAtt a.",
            &long_line,
            &long_flow,
        ];
        for text in inputs {
            if let Ok(node) = parse(text) {
                assert_spans_valid(text, &node);
            }
        }
    }

    fn assert_spans_valid(text: &str, node: &Node) {
        let valid = |span: Span| text.get(span.range()).is_some();
        assert!(valid(node.span), "{text:?} {:?}", node.span);
        match &node.value {
            Value::Seq(items) => items.iter().for_each(|item| assert_spans_valid(text, item)),
            Value::Map(entries) => entries.iter().for_each(|entry| {
                assert!(valid(entry.key_span), "{text:?} {:?}", entry.key_span);
                assert_spans_valid(text, &entry.value);
            }),
            _ => {}
        }
    }
}
