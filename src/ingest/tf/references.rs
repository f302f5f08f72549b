//! What a plan leaves unknown until apply but its configuration names: the `arn` of a target
//! whose function the same plan creates. The plan gives no value; the configuration's
//! `references` say whose attribute it is, and that resource's identity (the name, `id` and
//! `arn` Terraform derives from its arguments, as for `.tf`) gives it.
//!
//! Only resources with one instance are followed (no `count`, `for_each` or module instance
//! keys in the address), and only an argument whose references name one resource attribute
//! and nothing else.

use std::collections::HashMap;

use super::attributes::{Attr, AttrValue};
use crate::parse::Node;
use crate::source::FileId;
use crate::value::Text;

/// The plan's references and identities.
#[derive(Default)]
pub(super) struct References {
    /// By the address of the referring resource: the argument (a path of at most one block
    /// and an argument), and the address and attribute it refers to.
    refs: HashMap<String, Vec<(Vec<String>, String, String)>>,
    /// By address: the attributes Terraform derives from the arguments.
    identities: HashMap<String, Vec<(String, Text)>>,
}

impl References {
    /// Reads the configuration's references of the arguments the handlers read.
    pub(super) fn new(root: &Node<'_>) -> References {
        let mut references = References::default();
        let mut pending: Vec<(String, &Node<'_>)> = root
            .at(&["configuration", "root_module"])
            .map(|module| (String::new(), module))
            .into_iter()
            .collect();
        while let Some((prefix, module)) = pending.pop() {
            for resource in module
                .get("resources")
                .and_then(Node::as_seq)
                .unwrap_or_default()
            {
                let Some(address) = resource.get("address").and_then(Node::as_str) else {
                    continue;
                };
                let Some(expressions) = resource.get("expressions").and_then(Node::as_map) else {
                    continue;
                };
                let mut found = Vec::new();
                for entry in expressions {
                    let key = entry.key.to_string();
                    if let Some((target, attribute)) = reference(&prefix, &entry.value) {
                        found.push((vec![key], target, attribute));
                        continue;
                    }
                    // One nested block: `dead_letter_config { arn = … }`.
                    if let Some([block]) = entry.value.as_seq()
                        && let Some(inner) = block.as_map()
                    {
                        for argument in inner {
                            if let Some((target, attribute)) = reference(&prefix, &argument.value) {
                                found.push((
                                    vec![key.clone(), argument.key.to_string()],
                                    target,
                                    attribute,
                                ));
                            }
                        }
                    }
                }
                if !found.is_empty() {
                    references.refs.insert(format!("{prefix}{address}"), found);
                }
            }
            for call in module
                .get("module_calls")
                .and_then(Node::as_map)
                .unwrap_or_default()
            {
                if let Some(inner) = call.value.get("module") {
                    pending.push((format!("{prefix}module.{}.", call.key), inner));
                }
            }
        }
        references
    }

    /// Remembers what Terraform derives for the resource at `address` from its values.
    pub(super) fn derive(
        &mut self,
        file: FileId,
        kind: &str,
        address: &str,
        attrs: &Attr,
        region: Option<&str>,
    ) {
        if address.contains('[') {
            return;
        }
        let written = |key: &str| match attrs.field(key).map(|a| &a.value) {
            None | Some(AttrValue::Null) => None,
            Some(AttrValue::String(text)) if text.as_lit() == Some("") => None,
            Some(_) => Some(attrs.field(key).map_or_else(Text::unknown, Attr::text)),
        };
        let symbol = format!("{}#{address}", file.0);
        let derived = crate::ingest::tf::hcl::identity(kind, &symbol, &written, region);
        if !derived.is_empty() {
            self.identities.insert(address.to_owned(), derived);
        }
    }

    /// Fills in the resource's unknown values that the configuration or its own identity
    /// decides.
    pub(super) fn fill(&self, address: &str, attrs: &mut Attr) {
        if address.contains('[') {
            return;
        }
        if let Some(identity) = self.identities.get(address) {
            for (key, text) in identity {
                set_unknown(attrs, std::slice::from_ref(key), text);
            }
        }
        for (path, target, attribute) in self.refs.get(address).into_iter().flatten() {
            let value = self
                .identities
                .get(target)
                .and_then(|identity| identity.iter().find(|(key, _)| key == attribute));
            if let Some((_, text)) = value {
                set_unknown(attrs, path, text);
            }
        }
    }
}

/// The one resource attribute an expression refers to, as a full address and an attribute:
/// `{"references": ["aws_lambda_function.f.arn", "aws_lambda_function.f"]}`.
fn reference(prefix: &str, expression: &Node<'_>) -> Option<(String, String)> {
    let references: Vec<&str> = expression
        .get("references")?
        .as_seq()?
        .iter()
        .filter_map(Node::as_str)
        .collect();
    let [attribute, resource] = references.as_slice() else {
        return None;
    };
    let (owner, name) = attribute.rsplit_once('.')?;
    if owner != *resource || !resource.starts_with("aws_") || resource.matches('.').count() != 1 {
        return None;
    }
    Some((format!("{prefix}{resource}"), name.to_owned()))
}

/// Sets the value at `path` (an argument, or a block's argument) when it is unknown.
fn set_unknown(attrs: &mut Attr, path: &[String], text: &Text) {
    let AttrValue::Object(entries) = &mut attrs.value else {
        return;
    };
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let Some((_, value)) = entries.iter_mut().rev().find(|(k, _)| k == first) else {
        return;
    };
    match (rest, &mut value.value) {
        ([], AttrValue::Unknown) => value.value = AttrValue::String(text.clone()),
        ([_], AttrValue::List(items)) if items.len() == 1 => set_unknown(&mut items[0], rest, text),
        _ => {}
    }
}
