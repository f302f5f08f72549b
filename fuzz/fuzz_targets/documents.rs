//! Documents from arbitrary bytes, read as JSON and as YAML.
//!
//! Nothing may panic (deep nesting is refused by `parse::MAX_DEPTH` rather than overflowing the
//! stack), and every node's span, and an error's offset, must lie inside the text on character
//! boundaries, since later stages slice the file by them. A JSON text parsed without what a
//! plan's ingestion never reads, or read only as far as recognising it takes, is accepted or
//! refused exactly as the whole text is.

#![no_main]

use libfuzzer_sys::fuzz_target;
use trailcheck::ingest;
use trailcheck::parse::{self, Node, Prune, Syntax, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for syntax in [Syntax::Json, Syntax::Yaml] {
        match parse::parse(text, syntax) {
            Ok(node) => check_spans(&node, text, syntax),
            Err(error) => assert!(
                error.offset as usize <= text.len(),
                "{syntax:?} error offset {} beyond the text ({} bytes): {}",
                error.offset,
                text.len(),
                error.message
            ),
        }
    }
    let whole = parse::parse(text, Syntax::Json);
    let pruned = parse::parse_pruned(text, Syntax::Json, &ingest::UNREAD_IN_PLANS);
    match (&whole, &pruned) {
        (Ok(_), Ok(node)) => check_spans(node, text, Syntax::Json),
        (Err(whole), Err(pruned)) => assert_eq!(whole, pruned, "pruning changed the error"),
        _ => panic!("pruning changed the outcome: {whole:?} / {pruned:?}"),
    }
    match parse::recognise_json(text, &RECOGNISED, decided) {
        Ok(Some(node)) => {
            assert!(whole.is_ok(), "recognised what does not parse: {whole:?}");
            check_spans(&node, text, Syntax::Json);
        }
        // Decided from the first members: the rest was not read.
        Ok(None) => {}
        Err(error) => assert_eq!(
            Err(error),
            whole.map(|_| ()),
            "recognising changed the error"
        ),
    }
    let _ = parse::sniff(text);
});

/// A few top-level keys, as ingestion recognises templates and plans.
static RECOGNISED: Prune = Prune::Only(&[
    ("a", &Prune::Only(&[])),
    ("b", &Prune::Each(&Prune::Only(&[("c", &Prune::Only(&[]))]))),
]);

fn decided(entries: &[parse::Entry<'_>]) -> bool {
    entries.iter().any(|entry| entry.key == "a")
}

fn check_spans(node: &Node<'_>, text: &str, syntax: Syntax) {
    // Iterative, so that the check itself cannot overflow on deep documents.
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        assert!(
            text.get(node.span.range()).is_some(),
            "{syntax:?} node span {:?} not inside the text on char boundaries",
            node.span
        );
        match &node.value {
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(entries) => {
                for entry in entries {
                    assert!(
                        text.get(entry.key_span.range()).is_some(),
                        "{syntax:?} key span {:?} not inside the text on char boundaries",
                        entry.key_span
                    );
                    stack.push(&entry.value);
                }
            }
            _ => {}
        }
    }
}
