//! YAML written from the fuzzer's bytes by a small grammar, with the tree it must read as.
//!
//! Anchors and aliases: anchors nested in anchors, aliases to nodes anchored in collections
//! still open or already ended, in flow and block style, under short-form tags and as keys,
//! anchor names defined again, also inside a node anchored under the same name. At each alias
//! the tree must hold a copy of the node of the latest anchor of that name before it. Then the indentation CloudFormation forgives: a quoted scalar whose
//! continuation lines, and a flow sequence whose items and closing bracket, sit left of where
//! YAML 1.2 wants them. The sloppy text must read as the tidy one does. Random bytes rarely
//! spell either; the `documents` target covers arbitrary text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use trailcheck::parse::{self, Node, Syntax, Value};

fuzz_target!(|data: &[u8]| {
    let mut bytes = Bytes(data.iter());
    anchors(&mut bytes);
    forgiven(&mut bytes);
});

/// The fuzzer's bytes read as choices; zeros once they run out.
struct Bytes<'a>(std::slice::Iter<'a, u8>);

impl Bytes<'_> {
    fn next(&mut self, choices: usize) -> usize {
        self.0.next().copied().unwrap_or(0) as usize % choices
    }
}

/// A tree as the parser must read it, without spans: only strings are written.
#[derive(Debug, Clone, PartialEq)]
enum Tree {
    Str(String),
    Seq(Vec<Tree>),
    Map(Vec<(String, Tree)>),
}

fn tree(node: &Node<'_>) -> Tree {
    match &node.value {
        Value::String(text) => Tree::Str(text.to_string()),
        Value::Seq(items) => Tree::Seq(items.iter().map(tree).collect()),
        Value::Map(entries) => Tree::Map(
            entries
                .iter()
                .map(|entry| (entry.key.to_string(), tree(&entry.value)))
                .collect(),
        ),
        other => Tree::Str(format!("not a string: {other:?}")),
    }
}

/// Parses `text`, checking that every span lies inside it on character boundaries.
fn parse(text: &str) -> Result<Tree, parse::ParseError> {
    let root = parse::parse(text, Syntax::Yaml)?;
    let mut stack = vec![&root];
    while let Some(node) = stack.pop() {
        assert!(
            text.get(node.span.range()).is_some(),
            "span {:?} in {text:?}",
            node.span
        );
        match &node.value {
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(entries) => {
                for entry in entries {
                    assert!(text.get(entry.key_span.range()).is_some(), "{text:?}");
                    stack.push(&entry.value);
                }
            }
            _ => {}
        }
    }
    Ok(tree(&root))
}

/// Writes a document of anchors and aliases and the tree it stands for.
struct Writer<'b, 'a> {
    bytes: &'b mut Bytes<'a>,
    text: String,
    /// Every anchor written so far, in the order the anchors appear: its name, and its node
    /// once it has ended. An alias refers to the latest anchor of its name, which must have
    /// ended (or the alias would be inside the node it names).
    anchors: Vec<(String, Option<Tree>)>,
    words: usize,
}

impl Writer<'_, '_> {
    fn word(&mut self) -> Tree {
        self.words += 1;
        let word = format!("w{}", self.words);
        self.text.push_str(&word);
        Tree::Str(word)
    }

    /// The names an alias may use here, each with the latest node anchored under it.
    fn aliasable(&self, scalar: bool) -> Vec<(String, Tree)> {
        let mut names: Vec<(&str, &Option<Tree>)> = Vec::new();
        for (name, node) in self.anchors.iter().rev() {
            if !names.iter().any(|(seen, _)| seen == name) {
                names.push((name, node));
            }
        }
        names
            .into_iter()
            .filter_map(|(name, node)| Some((name.to_owned(), node.clone()?)))
            .filter(|(_, node)| !scalar || matches!(node, Tree::Str(_)))
            .collect()
    }

    /// An alias, when one may be written here; its space keeps a following `:` or bracket out
    /// of the name.
    fn alias(&mut self, scalar: bool) -> Option<Tree> {
        let names = self.aliasable(scalar);
        if names.is_empty() {
            return None;
        }
        let (name, node) = names[self.bytes.next(names.len())].clone();
        self.text.push_str(&format!("*{name} "));
        Some(node)
    }

    /// Writes an anchor; its node is given to [`Writer::anchored`] once written.
    fn anchor(&mut self) -> usize {
        let name = format!("a{}", self.bytes.next(6));
        self.text.push_str(&format!("&{name} "));
        self.anchors.push((name, None));
        self.anchors.len() - 1
    }

    fn anchored(&mut self, anchor: usize, node: Tree) -> Tree {
        self.anchors[anchor].1 = Some(node.clone());
        node
    }

    /// A flow node: an anchor and a tag, in either order, both of which belong to the node as
    /// it reads (the anchored node is the tagged one), then its content; an alias takes none.
    fn flow(&mut self, depth: usize) -> Tree {
        let (mut anchor, mut tagged) = (None, false);
        loop {
            match self.bytes.next(4) {
                0 if anchor.is_none() => anchor = Some(self.anchor()),
                1 if !tagged => {
                    self.text.push_str("!Ref ");
                    tagged = true;
                }
                _ => break,
            }
        }
        let bare = anchor.is_none() && !tagged;
        let choice = if depth >= 6 {
            3 * self.bytes.next(2)
        } else {
            self.bytes.next(4)
        };
        let content = match choice {
            1 => {
                self.text.push('[');
                let mut items = Vec::new();
                for i in 0..self.bytes.next(4) {
                    if i > 0 {
                        self.text.push_str(", ");
                    }
                    items.push(self.flow(depth + 1));
                }
                self.text.push(']');
                Tree::Seq(items)
            }
            2 => {
                self.text.push('{');
                let mut entries = Vec::new();
                for i in 0..self.bytes.next(4) {
                    if i > 0 {
                        self.text.push_str(", ");
                    }
                    let key = self.key();
                    self.text.push_str(": ");
                    entries.push((key, self.flow(depth + 1)));
                }
                self.text.push('}');
                Tree::Map(entries)
            }
            3 if bare => match self.alias(false) {
                Some(node) => node,
                None => self.word(),
            },
            _ => self.word(),
        };
        let node = if tagged {
            Tree::Map(vec![("Ref".to_owned(), content)])
        } else {
            content
        };
        match anchor {
            Some(anchor) => self.anchored(anchor, node),
            None => node,
        }
    }

    fn key(&mut self) -> String {
        let node = match self.bytes.next(3) {
            0 => self.alias(true),
            1 => {
                let anchor = self.anchor();
                let node = self.word();
                Some(self.anchored(anchor, node))
            }
            _ => None,
        };
        match node.unwrap_or_else(|| self.word()) {
            Tree::Str(key) => key,
            other => unreachable!("a key is a word: {other:?}"),
        }
    }

    /// The value of a top-level key: a flow node, or a block mapping or sequence below it.
    fn block(&mut self) -> Tree {
        let style = self.bytes.next(3);
        if style == 0 {
            self.text.push(' ');
            let node = self.flow(1);
            self.text.push('\n');
            return node;
        }
        let anchor = (self.bytes.next(2) == 0).then(|| {
            self.text.push(' ');
            self.anchor()
        });
        let tagged = self.bytes.next(2) == 0;
        if tagged {
            self.text.push_str(" !Ref");
        }
        self.text.push('\n');
        let count = 1 + self.bytes.next(3);
        let node = if style == 1 {
            let mut entries = Vec::new();
            for _ in 0..count {
                self.text.push_str("  ");
                let key = self.key();
                self.text.push_str(": ");
                entries.push((key, self.flow(2)));
                self.text.push('\n');
            }
            Tree::Map(entries)
        } else {
            let mut items = Vec::new();
            for _ in 0..count {
                self.text.push_str("  - ");
                items.push(self.flow(2));
                self.text.push('\n');
            }
            Tree::Seq(items)
        };
        let node = if tagged {
            Tree::Map(vec![("Ref".to_owned(), node)])
        } else {
            node
        };
        match anchor {
            Some(anchor) => self.anchored(anchor, node),
            None => node,
        }
    }
}

fn anchors(bytes: &mut Bytes<'_>) {
    let mut writer = Writer {
        bytes,
        text: String::new(),
        anchors: Vec::new(),
        words: 0,
    };
    let mut entries = Vec::new();
    for _ in 0..1 + writer.bytes.next(5) {
        let key = writer.key();
        writer.text.push(':');
        entries.push((key, writer.block()));
    }
    let expected = Tree::Map(entries);
    let text = writer.text;
    match parse(&text) {
        Ok(read) => assert_eq!(read, expected, "{text}"),
        // Aliases of aliases can multiply past the alias budget: refused, as they must be.
        Err(error) if error.message.contains("aliases expand to too many nodes") => {}
        Err(error) => panic!("{text}\nrefused at {}: {}", error.offset, error.message),
    }
}

fn forgiven(bytes: &mut Bytes<'_>) {
    let quote = if bytes.next(2) == 0 { '"' } else { '\'' };
    let mut tidy = format!("Outputs:\n  Out:\n    Description: {quote}w0");
    let mut sloppy = tidy.clone();
    for i in 1..=1 + bytes.next(5) {
        tidy.push_str(&format!("\n      w{i}"));
        sloppy.push_str(&format!("\n{}w{i}", " ".repeat(bytes.next(7))));
    }
    for text in [&mut tidy, &mut sloppy] {
        text.push(quote);
        text.push_str("\n    Value: [v0,\n");
    }
    let items = bytes.next(4);
    for i in 1..=items + 1 {
        let comma = if i <= items { "," } else { "" };
        tidy.push_str(&format!("      v{i}{comma}\n"));
        sloppy.push_str(&format!("{}v{i}{comma}\n", " ".repeat(bytes.next(7))));
    }
    tidy.push_str("      ]\n    Export: x\n");
    sloppy.push_str(&format!("{}]\n    Export: x\n", " ".repeat(bytes.next(7))));
    let expected = parse(&tidy).unwrap_or_else(|e| panic!("{tidy}\nrefused: {}", e.message));
    match parse(&sloppy) {
        Ok(read) => assert_eq!(read, expected, "{sloppy}"),
        Err(error) => panic!("{sloppy}\nrefused at {}: {}", error.offset, error.message),
    }
}
