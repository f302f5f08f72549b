//! Expressions → values: HCL's expression and template language over known, symbolic and
//! unknown values. What the evaluator does not know (a name it cannot resolve, an operation on
//! an unknown, a function it does not have) gives an unknown value, never an error of its own
//! and never a guess.
//!
//! Every evaluation spends from one [`Budget`] per root module, and nests no deeper than it
//! allows: hostile input (a `for` over a huge range, references chained thousands deep) ends in
//! unknown values, not in exhausted memory or stack.

use std::cell::Cell;

use hcl_edit::Span as _;
use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Strip, Template};

use super::functions;
use super::value::{At, MAX_NODES, V, Val};
use crate::source::{FileId, Span};
use crate::value::{Piece, Text, Tri};

/// Evaluation steps one root module may take, with its modules.
const FUEL: u64 = 5_000_000;
/// Deepest nesting of evaluations (expressions within expressions, references followed).
const MAX_DEPTH: usize = 250;

/// What the evaluation of one root module may still spend.
pub struct Budget {
    fuel: Cell<u64>,
    depth: Cell<usize>,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            fuel: Cell::new(FUEL),
            depth: Cell::new(0),
        }
    }
}

impl Budget {
    /// Takes one step at one more level of nesting; `false` when none is left.
    fn enter(&self) -> bool {
        let fuel = self.fuel.get();
        let depth = self.depth.get();
        if fuel == 0 || depth >= MAX_DEPTH {
            return false;
        }
        self.fuel.set(fuel - 1);
        self.depth.set(depth + 1);
        true
    }

    fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }

    /// Spends `n` steps (elements built by a function); `false` when they are not there.
    pub fn spend(&self, n: usize) -> bool {
        let fuel = self.fuel.get();
        if (n as u64) > fuel {
            self.fuel.set(0);
            return false;
        }
        self.fuel.set(fuel - n as u64);
        true
    }
}

/// What names mean where an expression is evaluated: the module instance's variables, locals,
/// resources, data sources, module calls and paths.
pub trait Env {
    /// The value a reference starting with `name` stands for, given the attribute names that
    /// follow it, with how many of those it used; `None` when `name` is not one the module
    /// knows.
    fn reference(&self, name: &str, attrs: &[&str], at: At, budget: &Budget) -> Option<(V, usize)>;

    /// The text of a file `file` or `templatefile` names, relative to the module's folder:
    /// only inside the scanned tree, never through a symbolic link.
    fn read_file(&self, path: &str) -> Option<String>;

    /// Where a span of a parsed file is in the file: itself, but for a file in JSON syntax.
    fn place(&self, _file: FileId, span: std::ops::Range<usize>) -> Span {
        Span::new(span.start, span.end)
    }
}

/// Where nothing is named and no file is read: variable defaults and values, which are
/// constants, and `templatefile` templates, which see only the variables they are given (a
/// template that called `templatefile` would recurse).
pub struct NoNames;

impl Env for NoNames {
    fn reference(&self, _: &str, _: &[&str], _: At, _: &Budget) -> Option<(V, usize)> {
        None
    }

    fn read_file(&self, _: &str) -> Option<String> {
        None
    }
}

/// An evaluation in one file of one module instance.
pub struct Eval<'a> {
    pub env: &'a dyn Env,
    pub file: FileId,
    pub budget: &'a Budget,
    /// Names bound where the expression is: `count`, `each`, `for` variables, a `dynamic`
    /// block's iterator, a template's variables. The last binding of a name wins.
    pub bindings: Vec<(String, V)>,
}

impl<'a> Eval<'a> {
    pub fn new(env: &'a dyn Env, file: FileId, budget: &'a Budget) -> Eval<'a> {
        Eval {
            env,
            file,
            budget,
            bindings: Vec::new(),
        }
    }

    /// Where an hcl-edit node is written in this evaluation's file.
    pub fn at(&self, span: Option<std::ops::Range<usize>>) -> At {
        At {
            file: self.file,
            span: self.env.place(self.file, span.unwrap_or(0..0)),
        }
    }

    pub fn expr(&mut self, expr: &Expression) -> V {
        let at = self.at(expr.span());
        if !self.budget.enter() {
            return V::unknown(at);
        }
        let v = self.expr_inner(expr, at);
        self.budget.leave();
        v.bounded()
    }

    fn expr_inner(&mut self, expr: &Expression, at: At) -> V {
        match expr {
            Expression::Null(_) => V::new(at, Val::Null),
            Expression::Bool(b) => V::new(at, Val::Bool(*b.value())),
            Expression::Number(n) => match n.value().as_f64() {
                Some(n) => V::new(at, Val::Number(n)),
                None => V::unknown(at),
            },
            Expression::String(s) => V::str(at, Text::lit(s.value().as_str())),
            Expression::Array(array) => {
                V::new(at, Val::List(array.iter().map(|e| self.expr(e)).collect()))
            }
            Expression::Object(object) => {
                let mut entries = Vec::with_capacity(object.len());
                for (key, value) in object.iter() {
                    let key_at = self.at(key.span());
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                        ObjectKey::Expression(expr) => {
                            // A bare name in parentheses is a variable; a bare word is its
                            // own name.
                            let key = match expr {
                                Expression::Variable(ident) => {
                                    Some(ident.value().as_str().to_owned())
                                }
                                _ => self.expr(expr).lit(),
                            };
                            match key {
                                Some(key) => key,
                                None => return V::unknown(at),
                            }
                        }
                    };
                    let mut value = self.expr(value.expr());
                    value.key = Some(key_at.span);
                    entries.push((key, value));
                }
                V::new(at, Val::Map(entries, false))
            }
            Expression::StringTemplate(template) => self.template(template, at),
            // The text between the delimiter lines: where a pattern written in it is aligned.
            Expression::HeredocTemplate(heredoc) => {
                let body = self.at(heredoc.template.span().or_else(|| expr.span()));
                self.template(&heredoc.template, body)
            }
            Expression::Parenthesis(inner) => self.expr(inner.inner()),
            Expression::Variable(ident) => self.traversal_from(ident.value().as_str(), &[], at),
            Expression::Conditional(cond) => {
                let test = self.expr(&cond.cond_expr);
                match test.truth() {
                    Some(Some(true)) => self.expr(&cond.true_expr),
                    Some(Some(false)) => self.expr(&cond.false_expr),
                    Some(None) => {
                        // Either branch: known only when both give the same.
                        let yes = self.expr(&cond.true_expr);
                        let no = self.expr(&cond.false_expr);
                        if same(&yes, &no) == Tri::Yes {
                            yes
                        } else {
                            V::unknown(at)
                        }
                    }
                    None if test.is_unknown() => V::unknown(at),
                    None => V::error(at),
                }
            }
            Expression::FuncCall(call) => functions::call(self, call, at),
            Expression::Traversal(traversal) => match &traversal.expr {
                Expression::Variable(ident) => {
                    self.traversal_from(ident.value().as_str(), &traversal.operators, at)
                }
                base => {
                    let base = self.expr(base);
                    self.operators(base, &traversal.operators, at)
                }
            },
            Expression::UnaryOp(op) => {
                let v = self.expr(&op.expr);
                match op.operator.value() {
                    UnaryOperator::Not => match v.truth() {
                        Some(Some(b)) => V::new(at, Val::Bool(!b)),
                        Some(None) => V::unknown(at),
                        None => V::error(at),
                    },
                    UnaryOperator::Neg => match v.number() {
                        Some(Some(n)) => V::new(at, Val::Number(-n)),
                        Some(None) => V::unknown(at),
                        None => V::error(at),
                    },
                }
            }
            Expression::BinaryOp(op) => {
                let lhs = self.expr(&op.lhs_expr);
                let rhs = self.expr(&op.rhs_expr);
                binary(*op.operator.value(), &lhs, &rhs, at)
            }
            Expression::ForExpr(for_expr) => self.for_expr(for_expr, at),
        }
    }

    /// A reference: a local binding, else what the module says the name means, then the
    /// operators that follow.
    fn traversal_from(
        &mut self,
        name: &str,
        operators: &[hcl_edit::Decorated<TraversalOperator>],
        at: At,
    ) -> V {
        if let Some((_, bound)) = self.bindings.iter().rev().find(|(n, _)| n == name) {
            let bound = V::new(at, bound.val.clone());
            return self.operators(bound, operators, at);
        }
        let attrs: Vec<&str> = operators
            .iter()
            .map_while(|op| match op.value() {
                TraversalOperator::GetAttr(ident) => Some(ident.value().as_str()),
                _ => None,
            })
            .collect();
        if !self.budget.enter() {
            return V::unknown(at);
        }
        let found = self.env.reference(name, &attrs, at, self.budget);
        self.budget.leave();
        match found {
            // What a reference gives is placed where it is referred to, as a `!Ref` is: the
            // parts of a collection keep the places they were written.
            Some((base, used)) => V::new(at, self.operators(base, &operators[used..], at).val),
            None => V::unknown(at),
        }
    }

    /// Attribute access, indexes and splats, in order.
    fn operators(
        &mut self,
        mut value: V,
        operators: &[hcl_edit::Decorated<TraversalOperator>],
        at: At,
    ) -> V {
        for (index, op) in operators.iter().enumerate() {
            if value.is_unknown() {
                return V::new(at, value.val);
            }
            value = match op.value() {
                TraversalOperator::GetAttr(ident) => value.attr(ident.value().as_str()),
                TraversalOperator::Index(expr) => {
                    let key = self.expr(expr);
                    index_of(&value, &key, at)
                }
                TraversalOperator::LegacyIndex(n) => {
                    index_of(&value, &V::new(at, Val::Number(*n.value() as f64)), at)
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let full = matches!(op.value(), TraversalOperator::FullSplat(_));
                    let rest = &operators[index + 1..];
                    // An attribute-only splat applies the attribute accesses that follow it.
                    let applied = if full {
                        rest.len()
                    } else {
                        rest.iter()
                            .take_while(|op| matches!(op.value(), TraversalOperator::GetAttr(_)))
                            .count()
                    };
                    let items = match &value.val {
                        Val::List(items) => items.clone(),
                        Val::Null => Vec::new(),
                        _ => vec![value.clone()],
                    };
                    let mapped = items
                        .into_iter()
                        .map(|item| self.operators(item, &rest[..applied], at))
                        .collect();
                    let splat = V::new(at, Val::List(mapped));
                    return self.operators(splat, &rest[applied..], at);
                }
            };
        }
        value
    }

    /// `[for k, v in coll : value if cond]` and `{for k, v in coll : key => value...}`.
    fn for_expr(&mut self, for_expr: &ForExpr, at: At) -> V {
        let collection = self.expr(&for_expr.intro.collection_expr);
        let Some(elements) = collection.elements() else {
            return if collection.is_unknown() || collection.has_unknown() {
                V::unknown(at)
            } else {
                V::error(at)
            };
        };
        if elements.len() > MAX_NODES || !self.budget.spend(elements.len()) {
            return V::unknown(at);
        }
        let key_var = for_expr
            .intro
            .key_var
            .as_ref()
            .map(|k| k.value().as_str().to_owned());
        let value_var = for_expr.intro.value_var.value().as_str().to_owned();
        let mut list = Vec::new();
        let mut map: Vec<(String, V)> = Vec::new();
        for (key, value) in elements {
            let bound = self.bindings.len();
            if let Some(key_var) = &key_var {
                self.bindings.push((key_var.clone(), key));
            }
            self.bindings.push((value_var.clone(), value));
            let outcome = self.for_element(for_expr, at);
            self.bindings.truncate(bound);
            match outcome {
                ForElement::Skip => {}
                ForElement::Unknown => return V::unknown(at),
                ForElement::Item(item) => list.push(item),
                ForElement::Entry(key, item) => {
                    if for_expr.grouping {
                        match map.iter_mut().find(|(k, _)| *k == key) {
                            Some((
                                _,
                                V {
                                    val: Val::List(items),
                                    ..
                                },
                            )) => items.push(item),
                            _ => map.push((key, V::new(at, Val::List(vec![item])))),
                        }
                    } else if map.iter().any(|(k, _)| *k == key) {
                        // Terraform rejects duplicate keys without `...`.
                        return V::error(at);
                    } else {
                        map.push((key, item));
                    }
                }
            }
        }
        if for_expr.key_expr.is_some() {
            V::new(at, Val::Map(map, false))
        } else {
            V::new(at, Val::List(list))
        }
    }

    fn for_element(&mut self, for_expr: &ForExpr, at: At) -> ForElement {
        if let Some(cond) = &for_expr.cond {
            match self.expr(&cond.expr).truth() {
                Some(Some(true)) => {}
                Some(Some(false)) => return ForElement::Skip,
                _ => return ForElement::Unknown,
            }
        }
        let value = self.expr(&for_expr.value_expr);
        match &for_expr.key_expr {
            None => ForElement::Item(value),
            Some(key) => match self.expr(key).lit() {
                Some(key) => ForElement::Entry(key, value),
                None => {
                    let _ = at;
                    ForElement::Unknown
                }
            },
        }
    }

    /// A string template: a lone interpolation gives its value as it is; anything else, the
    /// text of its parts.
    pub fn template(&mut self, template: &Template, at: At) -> V {
        if let Some(Element::Interpolation(only)) = template.as_single_element() {
            return self.expr(&only.expr);
        }
        let mut out = Text::default();
        let mut strip_next = false;
        if self.template_into(template, &mut out, &mut strip_next) {
            V::str(at, out)
        } else {
            V::error(at)
        }
    }

    /// Appends a template's text to `out`; `false` when an interpolation gives what has no
    /// text (null, a list) — an error in Terraform.
    fn template_into(
        &mut self,
        template: &Template,
        out: &mut Text,
        strip_next: &mut bool,
    ) -> bool {
        for element in template.iter() {
            match element {
                Element::Literal(lit) => {
                    let lit: &str = lit.as_str();
                    let lit = if std::mem::take(strip_next) {
                        lit.trim_start()
                    } else {
                        lit
                    };
                    out.push_str(lit);
                }
                Element::Interpolation(interpolation) => {
                    strip(out, interpolation.strip, strip_next);
                    let v = self.expr(&interpolation.expr);
                    match v.text() {
                        Some(text) => out.append(&text),
                        None if v.is_unknown() => out.push(Piece::Unknown),
                        None => return false,
                    }
                    *strip_next = interpolation.strip.strip_end();
                }
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(dir) => {
                        strip(out, dir.if_expr.strip, strip_next);
                        let test = self.expr(&dir.if_expr.cond_expr);
                        match test.truth() {
                            Some(Some(true)) => {
                                *strip_next = dir.if_expr.strip.strip_end();
                                if !self.template_into(&dir.if_expr.template, out, strip_next) {
                                    return false;
                                }
                            }
                            Some(Some(false)) => {
                                if let Some(otherwise) = &dir.else_expr {
                                    *strip_next = otherwise.strip.strip_end();
                                    if !self.template_into(&otherwise.template, out, strip_next) {
                                        return false;
                                    }
                                }
                            }
                            _ => out.push(Piece::Unknown),
                        }
                        *strip_next = dir.endif_expr.strip.strip_end();
                    }
                    Directive::For(dir) => {
                        let head = &dir.for_expr;
                        strip(out, head.strip, strip_next);
                        let collection = self.expr(&head.collection_expr);
                        match collection.elements() {
                            Some(elements) if self.budget.spend(elements.len()) => {
                                let key_var =
                                    head.key_var.as_ref().map(|k| k.value().as_str().to_owned());
                                let value_var = head.value_var.value().as_str().to_owned();
                                for (key, value) in elements {
                                    let bound = self.bindings.len();
                                    if let Some(key_var) = &key_var {
                                        self.bindings.push((key_var.clone(), key));
                                    }
                                    self.bindings.push((value_var.clone(), value));
                                    *strip_next = head.strip.strip_end();
                                    let ok = self.template_into(&head.template, out, strip_next);
                                    self.bindings.truncate(bound);
                                    if !ok {
                                        return false;
                                    }
                                    if weight(out) > MAX_NODES {
                                        *out = Text::unknown();
                                        return true;
                                    }
                                }
                            }
                            _ => out.push(Piece::Unknown),
                        }
                        *strip_next = dir.endfor_expr.strip.strip_end();
                    }
                },
            }
        }
        true
    }
}

enum ForElement {
    Skip,
    Unknown,
    Item(V),
    Entry(String, V),
}

/// `~` before a template sequence strips the spaces of the literal before it.
fn strip(out: &mut Text, strip: Strip, strip_next: &mut bool) {
    if strip.strip_start() {
        let mut pieces: Vec<Piece> = out.pieces().to_vec();
        if let Some(Piece::Lit(last)) = pieces.last_mut() {
            let trimmed = last.trim_end().len();
            last.truncate(trimmed);
            *out = Text::concat(pieces.into_iter().map(|p| {
                let mut t = Text::default();
                t.push(p);
                t
            }));
        }
    }
    if strip.strip_end() {
        *strip_next = true;
    }
}

/// How big a string has grown.
fn weight(text: &Text) -> usize {
    text.pieces()
        .iter()
        .map(|p| match p {
            Piece::Lit(lit) => lit.len() / 16,
            _ => 1,
        })
        .sum()
}

/// `collection[key]`.
fn index_of(value: &V, key: &V, at: At) -> V {
    if key.is_unknown() {
        return V::unknown(at);
    }
    match &value.val {
        Val::List(items) => match key.number() {
            Some(Some(n)) if n >= 0.0 && n.fract() == 0.0 => items
                .get(n as usize)
                .cloned()
                .unwrap_or_else(|| V::error(at)),
            Some(None) => V::unknown(at),
            _ => V::error(at),
        },
        Val::Map(..) => match key.lit() {
            Some(key) => value.attr(&key),
            None => V::unknown(at),
        },
        Val::Unknown => V::unknown(at),
        _ => V::error(at),
    }
}

/// Whether two values are equal, as `==` compares them.
pub fn same(a: &V, b: &V) -> Tri {
    match (&a.val, &b.val) {
        (Val::Unknown | Val::Error, _) | (_, Val::Unknown | Val::Error) => Tri::Unknown,
        (Val::Null, Val::Null) => Tri::Yes,
        (Val::Null, _) | (_, Val::Null) => Tri::No,
        (Val::Bool(x), Val::Bool(y)) => Tri::from_bool(x == y),
        (Val::Number(x), Val::Number(y)) => Tri::from_bool(x == y),
        (Val::Str(x), Val::Str(y)) => x.equals(y),
        (Val::List(x), Val::List(y)) => {
            if x.len() != y.len() {
                return Tri::No;
            }
            Tri::all(x.iter().zip(y).map(|(a, b)| same(a, b)))
        }
        (Val::Map(x, false), Val::Map(y, false)) => {
            if x.len() != y.len() {
                return Tri::No;
            }
            Tri::all(
                x.iter()
                    .map(|(k, v)| match y.iter().find(|(k2, _)| k2 == k) {
                        Some((_, w)) => same(v, w),
                        None => Tri::No,
                    }),
            )
        }
        (Val::Json(x), Val::Json(y)) => same(x, y),
        (Val::Map(_, true), _) | (_, Val::Map(_, true)) | (Val::Json(_), _) | (_, Val::Json(_)) => {
            Tri::Unknown
        }
        _ => Tri::No,
    }
}

fn binary(op: BinaryOperator, lhs: &V, rhs: &V, at: At) -> V {
    let tri = |t: Tri| match t {
        Tri::Yes => V::new(at, Val::Bool(true)),
        Tri::No => V::new(at, Val::Bool(false)),
        Tri::Unknown => V::unknown(at),
    };
    match op {
        BinaryOperator::Eq => tri(same(lhs, rhs)),
        BinaryOperator::NotEq => tri(same(lhs, rhs).not()),
        BinaryOperator::And | BinaryOperator::Or => {
            let (Some(l), Some(r)) = (lhs.truth(), rhs.truth()) else {
                return V::error(at);
            };
            let to_tri = |b: Option<bool>| b.map_or(Tri::Unknown, Tri::from_bool);
            if op == BinaryOperator::And {
                tri(to_tri(l).and(to_tri(r)))
            } else {
                tri(to_tri(l).or(to_tri(r)))
            }
        }
        _ => {
            let (Some(l), Some(r)) = (lhs.number(), rhs.number()) else {
                return V::error(at);
            };
            let (Some(l), Some(r)) = (l, r) else {
                return V::unknown(at);
            };
            let number = |n: f64| V::new(at, Val::Number(n));
            match op {
                BinaryOperator::Plus => number(l + r),
                BinaryOperator::Minus => number(l - r),
                BinaryOperator::Mul => number(l * r),
                BinaryOperator::Div if r != 0.0 => number(l / r),
                BinaryOperator::Mod if r != 0.0 => number(l % r),
                BinaryOperator::Div | BinaryOperator::Mod => V::error(at),
                BinaryOperator::Less => tri(Tri::from_bool(l < r)),
                BinaryOperator::LessEq => tri(Tri::from_bool(l <= r)),
                BinaryOperator::Greater => tri(Tri::from_bool(l > r)),
                BinaryOperator::GreaterEq => tri(Tri::from_bool(l >= r)),
                _ => V::unknown(at),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(expr: &str) -> Val {
        let expr = hcl_edit::parser::parse_expr(expr).expect(expr);
        let budget = Budget::default();
        Eval::new(&NoNames, FileId(0), &budget).expr(&expr).val
    }

    fn num(n: f64) -> Val {
        Val::Number(n)
    }

    fn list(items: &[Val]) -> Val {
        Val::List(items.iter().map(|v| V::new(at(), v.clone())).collect())
    }

    fn at() -> At {
        At {
            file: FileId(0),
            span: Span::new(0, 0),
        }
    }

    /// Values compared without the places they were written.
    fn plain(val: &Val) -> String {
        match val {
            Val::List(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|v| plain(&v.val))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Val::Map(entries, open) => format!(
                "{{{}{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", plain(&v.val)))
                    .collect::<Vec<_>>()
                    .join(", "),
                if *open { ", …" } else { "" }
            ),
            Val::Str(text) => format!("{text:?}"),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn indexes() {
        for (expr, want) in [
            ("[1, 2, 3][1]", num(2.0)),
            ("[1, 2, 3][\"2\"]", num(3.0)),
            ("[1, 2][2]", Val::Error),
            ("[1, 2][-1]", Val::Error),
            ("[1, 2][0.5]", Val::Error),
            ("{ a = 1 }[\"a\"]", num(1.0)),
            ("{ a = 1 }.b", Val::Error),
            ("\"text\"[0]", Val::Error),
            ("[1, 2][var.i]", Val::Unknown),
            ("var.list[0]", Val::Unknown),
        ] {
            assert_eq!(plain(&eval(expr)), plain(&want), "{expr}");
        }
    }

    #[test]
    fn splats() {
        for (expr, want) in [
            ("null[*]", "[]"),
            ("\"x\"[*]", "[Text { pieces: [Lit(\"x\")] }]"),
            ("[{ a = 1 }, { a = 2 }][*].a", "[Number(1.0), Number(2.0)]"),
            ("[{ a = { b = 1 } }].*.a.b", "[Number(1.0)]"),
            // An attribute-only splat applies only the attributes after it; an index after it
            // takes an element of the list it made.
            (
                "[{ a = [5, 6] }, { a = [7, 8] }].*.a[1]",
                "[Number(7.0), Number(8.0)]",
            ),
            ("[{ a = [5, 6] }][*].a[1]", "[Number(6.0)]"),
        ] {
            assert_eq!(plain(&eval(expr)), want, "{expr}");
        }
    }

    #[test]
    fn for_expressions() {
        assert_eq!(
            plain(&eval(
                "{ for k, v in { a = \"x\", b = \"x\", c = \"y\" } : v => k... }"
            )),
            "{x: [Text { pieces: [Lit(\"a\")] }, Text { pieces: [Lit(\"b\")] }], y: [Text { pieces: [Lit(\"c\")] }]}"
        );
        // Two elements with one key, without `...`: Terraform rejects it.
        assert_eq!(eval("{ for v in [\"a\", \"a\"] : v => v }"), Val::Error);
        assert_eq!(
            plain(&eval("{ for v in [\"a\", \"b\"] : v => v if v != \"a\" }")),
            "{b: Text { pieces: [Lit(\"b\")] }}"
        );
        // Not a collection: an error, which `try` catches; an unknown one: unknown.
        assert_eq!(eval("[for x in \"s\" : x]"), Val::Error);
        assert_eq!(
            plain(&eval("try([for x in \"s\" : x], \"f\")")),
            "Text { pieces: [Lit(\"f\")] }"
        );
        assert_eq!(eval("[for x in var.xs : x]"), Val::Unknown);
        assert_eq!(
            plain(&eval("[for x in [1, var.x] : x]")),
            plain(&list(&[num(1.0), Val::Unknown]))
        );
        assert_eq!(eval("[for x in [1, 2] : x if var.keep]"), Val::Unknown);
    }

    #[test]
    fn operators() {
        for (expr, want) in [
            ("true && false", Val::Bool(false)),
            ("true || false", Val::Bool(true)),
            ("false || var.x", Val::Unknown),
            ("false && var.x", Val::Bool(false)),
            ("true || var.x", Val::Bool(true)),
            ("1 + 2", num(3.0)),
            ("5 - 2", num(3.0)),
            ("2 * 3", num(6.0)),
            ("7 / 2", num(3.5)),
            ("7 % 2", num(1.0)),
            ("1 / 0", Val::Error),
            ("1 < 2", Val::Bool(true)),
            ("2 <= 1", Val::Bool(false)),
            ("2 > 1", Val::Bool(true)),
            ("1 >= 2", Val::Bool(false)),
            ("\"a\" == \"a\"", Val::Bool(true)),
            ("\"a\" != \"a\"", Val::Bool(false)),
            ("1 == \"1\"", Val::Bool(false)),
            ("[1, 2] == [1, 2]", Val::Bool(true)),
            ("{ a = 1 } == { a = 2 }", Val::Bool(false)),
            ("var.x == \"a\"", Val::Unknown),
            ("!true", Val::Bool(false)),
            ("-3", num(-3.0)),
            ("\"a\" + 1", Val::Error),
            ("1 + var.n", Val::Unknown),
            ("\"x\" ? 1 : 2", Val::Error),
            ("var.b ? 1 : 2", Val::Unknown),
            ("var.b ? 1 : 1", num(1.0)),
        ] {
            assert_eq!(eval(expr), want, "{expr}");
        }
    }

    #[test]
    fn templates() {
        for (expr, want) in [
            ("\"a-${1 + 1}\"", "Text { pieces: [Lit(\"a-2\")] }"),
            // A lone interpolation gives its value as it is.
            ("\"${[1]}\"", "[Number(1.0)]"),
            (
                "\"a%{if true}b%{else}c%{endif}\"",
                "Text { pieces: [Lit(\"ab\")] }",
            ),
            (
                "\"%{for x in [1, 2]}${x},%{endfor}\"",
                "Text { pieces: [Lit(\"1,2,\")] }",
            ),
            ("\"a ${\"b\"} c\"", "Text { pieces: [Lit(\"a b c\")] }"),
            ("\"a  ${~\"b\"~}  c\"", "Text { pieces: [Lit(\"abc\")] }"),
            ("\"x${var.v}\"", "Text { pieces: [Lit(\"x\"), Unknown] }"),
            (
                "\"x%{if var.c}y%{endif}\"",
                "Text { pieces: [Lit(\"x\"), Unknown] }",
            ),
        ] {
            assert_eq!(plain(&eval(expr)), want, "{expr}");
        }
        // What has no text is an error in a template.
        assert_eq!(eval("\"a${[1]}\""), Val::Error);
        assert_eq!(eval("\"a${null}\""), Val::Error);
    }
}
