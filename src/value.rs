//! Values that may be only partly known, and three-valued comparisons between them: the
//! leaf every other module builds on (the model, the pattern grammar, the analysis).
//!
//! A bucket name written `!Ref Uploads`, where `Uploads` has no `BucketName`, is not known
//! before deployment, yet `!Sub "arn:${AWS::Partition}:s3:::${Uploads}/"` in a trail selector
//! certainly denotes the same bucket. [`Text`] keeps such values as a sequence of literal,
//! symbolic and unknown pieces, and every comparison answers [`Tri::Yes`], [`Tri::No`] or
//! [`Tri::Unknown`]: the analysis reports a finding only on answers that hold for every value
//! the unknown pieces could take (the precision rule).

use std::fmt;

/// A three-valued truth: proven, refuted, or undecided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tri {
    Yes,
    No,
    Unknown,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b { Tri::Yes } else { Tri::No }
    }

    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Unknown,
        }
    }

    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::No, Tri::No) => Tri::No,
            _ => Tri::Unknown,
        }
    }

    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Unknown => Tri::Unknown,
        }
    }

    /// OR over an iterator; `No` when empty.
    pub fn any(iter: impl IntoIterator<Item = Tri>) -> Tri {
        iter.into_iter().fold(Tri::No, Tri::or)
    }

    /// AND over an iterator; `Yes` when empty.
    pub fn all(iter: impl IntoIterator<Item = Tri>) -> Tri {
        iter.into_iter().fold(Tri::Yes, Tri::and)
    }
}

/// A pseudo parameter: one value for a whole deployment, known only once it is deployed
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html>).
/// Every template and plan of one run shares it, so it is equal to itself across files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pseudo {
    Partition,
    Region,
    AccountId,
    UrlSuffix,
}

impl Pseudo {
    /// The pseudo parameter called `name` (`AWS::Partition`, …), if it is one a deployment
    /// shares.
    pub fn parse(name: &str) -> Option<Pseudo> {
        Some(match name {
            "AWS::Partition" => Pseudo::Partition,
            "AWS::Region" => Pseudo::Region,
            "AWS::AccountId" => Pseudo::AccountId,
            "AWS::URLSuffix" => Pseudo::UrlSuffix,
            _ => return None,
        })
    }

    /// The name CloudFormation gives it.
    pub fn name(self) -> &'static str {
        match self {
            Pseudo::Partition => "AWS::Partition",
            Pseudo::Region => "AWS::Region",
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
        }
    }
}

/// A value that is not a literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Symbol {
    /// A name the deployment generates (a bucket without `BucketName`). Nobody can write it
    /// down before deployment, so it differs from every literal in the inputs, and two
    /// generated names of different resources differ.
    Generated(String),
    /// A value fixed at deployment (a parameter, a stack's name): equal to itself, unknown
    /// against anything else.
    Opaque(String),
    /// A pseudo parameter the whole deployment shares: like [`Symbol::Opaque`].
    Pseudo(Pseudo),
}

impl Symbol {
    /// The name shown to users: the logical ID or parameter behind the symbol.
    pub fn label(&self) -> &str {
        match self {
            Symbol::Generated(name) | Symbol::Opaque(name) => {
                let name = name.rsplit('#').next().unwrap_or(name);
                name.strip_prefix("Ref.").unwrap_or(name)
            }
            Symbol::Pseudo(pseudo) => pseudo.name(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Piece {
    Lit(String),
    Sym(Symbol),
    /// A value fixed at deployment to one of a few literals (a parameter with
    /// `AllowedValues`): a comparison holds only if it holds for each of them.
    Choice(Symbol, Vec<String>),
    /// Any string at all.
    Unknown,
}

/// A string made of literal, symbolic and unknown pieces. Adjacent literals are always merged
/// and empty literals dropped, so equal strings have equal pieces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Text {
    pieces: Vec<Piece>,
}

impl Text {
    pub fn lit(text: impl Into<String>) -> Text {
        let text = text.into();
        // Most values are one literal: room for exactly that.
        let pieces = if text.is_empty() {
            Vec::new()
        } else {
            vec![Piece::Lit(text)]
        };
        Text { pieces }
    }

    pub fn sym(symbol: Symbol) -> Text {
        Text {
            pieces: vec![Piece::Sym(symbol)],
        }
    }

    pub fn pseudo(pseudo: Pseudo) -> Text {
        Text::sym(Symbol::Pseudo(pseudo))
    }

    pub fn unknown() -> Text {
        Text {
            pieces: vec![Piece::Unknown],
        }
    }

    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    pub fn push(&mut self, piece: Piece) {
        match (self.pieces.last_mut(), piece) {
            (_, Piece::Lit(text)) if text.is_empty() => {}
            (Some(Piece::Lit(last)), Piece::Lit(text)) => last.push_str(&text),
            (_, piece) => self.pieces.push(piece),
        }
    }

    pub fn push_str(&mut self, text: &str) {
        self.push(Piece::Lit(text.to_owned()));
    }

    pub fn append(&mut self, other: &Text) {
        for piece in &other.pieces {
            self.push(piece.clone());
        }
    }

    /// The same string, holding no more memory than its pieces take: for values built piece
    /// by piece and kept (ARNs).
    pub fn shrunk(mut self) -> Text {
        self.pieces.shrink_to_fit();
        self
    }

    pub fn concat(parts: impl IntoIterator<Item = Text>) -> Text {
        let mut out = Text::default();
        for part in parts {
            out.append(&part);
        }
        out
    }

    /// The literal value, when every piece is literal.
    pub fn as_lit(&self) -> Option<&str> {
        match self.pieces.as_slice() {
            [] => Some(""),
            [Piece::Lit(text)] => Some(text),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Unknown))
    }

    /// Splits at the first occurrence of `sep` inside a literal piece. Symbols are assumed not
    /// to contain `sep` (used for ARN separators and `/`, which names never contain).
    pub fn split_once(&self, sep: char) -> Option<(Text, Text)> {
        let at = self
            .pieces
            .iter()
            .position(|p| matches!(p, Piece::Lit(t) if t.contains(sep)))?;
        let Piece::Lit(text) = &self.pieces[at] else {
            return None;
        };
        let (left, right) = text.split_once(sep)?;
        let mut head = Text {
            pieces: self.pieces[..at].to_vec(),
        };
        head.push_str(left);
        let mut tail = Text::lit(right);
        for piece in &self.pieces[at + 1..] {
            tail.push(piece.clone());
        }
        Some((head, tail))
    }

    /// Strips a literal prefix.
    pub fn strip_prefix(&self, prefix: &str) -> Option<Text> {
        let Some(Piece::Lit(first)) = self.pieces.first() else {
            return (prefix.is_empty()).then(|| self.clone());
        };
        let rest = first.strip_prefix(prefix)?;
        let mut out = Text::lit(rest);
        for piece in &self.pieces[1..] {
            out.push(piece.clone());
        }
        Some(out)
    }

    /// Whether the two strings are equal.
    pub fn equals(&self, other: &Text) -> Tri {
        // Most comparisons are between two literals: no pieces to strip, nothing to allocate.
        if let (Some(a), Some(b)) = (self.as_lit(), other.as_lit()) {
            return Tri::from_bool(a == b);
        }
        // The same pieces, none of them unknown or a choice: the same string.
        if self.pieces == other.pieces
            && self
                .pieces
                .iter()
                .all(|p| matches!(p, Piece::Lit(_) | Piece::Sym(_)))
        {
            return Tri::Yes;
        }
        over_choices(self, other, |a, b| a.equals_plain(b))
    }

    fn equals_plain(&self, other: &Text) -> Tri {
        let (a, b) = strip_common(&self.pieces, &other.pieces, End::Front);
        let Some((a, b)) = a.zip(b) else {
            return Tri::No;
        };
        let (a, b) = strip_common(&a, &b, End::Back);
        let Some((a, b)) = a.zip(b) else {
            return Tri::No;
        };
        if generated_meets_separator(&a, &b) || generated_meets_separator(&b, &a) {
            return Tri::No;
        }
        match (a.as_slice(), b.as_slice()) {
            ([], []) => Tri::Yes,
            (x, y) if x == y && !x.contains(&Piece::Unknown) => Tri::Yes,
            // A generated name is never written literally, and two resources' generated names
            // differ; nothing can be said of opaque or unknown values.
            ([Piece::Sym(Symbol::Generated(_))], rest)
            | (rest, [Piece::Sym(Symbol::Generated(_))])
                if rest
                    .iter()
                    .all(|p| matches!(p, Piece::Lit(_) | Piece::Sym(Symbol::Generated(_)))) =>
            {
                Tri::No
            }
            ([Piece::Lit(_)], []) | ([], [Piece::Lit(_)]) => Tri::No,
            // A string holds at least its literal characters: more of them than a literal has
            // cannot make that literal.
            (x, y) if longer_than_literal(x, y) || longer_than_literal(y, x) => Tri::No,
            _ => Tri::Unknown,
        }
    }

    /// Whether this string starts with `prefix`.
    pub fn starts_with(&self, prefix: &Text) -> Tri {
        if let (Some(text), Some(prefix)) = (self.as_lit(), prefix.as_lit()) {
            return Tri::from_bool(text.starts_with(prefix));
        }
        over_choices(self, prefix, |a, b| {
            prefix_of(&a.pieces, &b.pieces, End::Front)
        })
    }

    /// Whether this string ends with `suffix`.
    pub fn ends_with(&self, suffix: &Text) -> Tri {
        if let (Some(text), Some(suffix)) = (self.as_lit(), suffix.as_lit()) {
            return Tri::from_bool(text.ends_with(suffix));
        }
        over_choices(self, suffix, |a, b| {
            prefix_of(&a.pieces, &b.pieces, End::Back)
        })
    }

    /// What `decide` says of the string, when it says the same for every value its choices
    /// may take (a parameter with `AllowedValues` is each of them in turn): a finding must hold
    /// for every value, so `None` when they disagree or one is undecided.
    pub fn decide<T: PartialEq>(&self, decide: impl Fn(&Text) -> Option<T> + Copy) -> Option<T> {
        let choice = self.pieces.iter().find_map(|p| match p {
            Piece::Choice(symbol, values) => Some((symbol, values)),
            _ => None,
        });
        let Some((symbol, values)) = choice else {
            return decide(self);
        };
        let combinations = self
            .pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Choice(_, values) => Some(values.len().max(1)),
                _ => None,
            })
            .fold(1usize, |n, k| n.saturating_mul(k));
        if combinations > MAX_COMBINATIONS {
            return None;
        }
        let mut answers = values
            .iter()
            .map(|value| self.choose(symbol, value).decide(decide));
        let first = answers.next()??;
        for answer in answers {
            if answer? != first {
                return None;
            }
        }
        Some(first)
    }

    /// The literal value of the string, when it is the same for every value its choices may
    /// take.
    pub fn decided_lit(&self) -> Option<String> {
        self.decide(|text| text.as_lit().map(str::to_owned))
    }

    /// The same string with `symbol`'s choice fixed to `value`.
    fn choose(&self, symbol: &Symbol, value: &str) -> Text {
        let mut out = Text::default();
        for piece in &self.pieces {
            match piece {
                Piece::Choice(s, _) if s == symbol => out.push_str(value),
                other => out.push(other.clone()),
            }
        }
        out
    }
}

/// Most combinations of choices tried in one comparison; beyond it the answer is unknown.
const MAX_COMBINATIONS: usize = 64;

/// Compares two strings for every value their choices may take (the same parameter takes the
/// same value on both sides): the answer holds only if it is the same for all of them.
fn over_choices(a: &Text, b: &Text, compare: impl Fn(&Text, &Text) -> Tri + Copy) -> Tri {
    let first = a.pieces.iter().chain(&b.pieces).find_map(|p| match p {
        Piece::Choice(symbol, values) => Some((symbol, values)),
        _ => None,
    });
    let Some((symbol, values)) = first else {
        return compare(a, b);
    };
    let combinations: usize = [a, b]
        .iter()
        .flat_map(|t| &t.pieces)
        .filter_map(|p| match p {
            Piece::Choice(_, values) => Some(values.len().max(1)),
            _ => None,
        })
        .fold(1usize, |n, k| n.saturating_mul(k));
    if combinations > MAX_COMBINATIONS || values.is_empty() {
        return Tri::Unknown;
    }
    let mut answers = values
        .iter()
        .map(|value| over_choices(&a.choose(symbol, value), &b.choose(symbol, value), compare));
    let Some(first) = answers.next() else {
        return Tri::Unknown;
    };
    answers.fold(
        first,
        |all, next| if all == next { all } else { Tri::Unknown },
    )
}

#[derive(Clone, Copy)]
enum End {
    Front,
    Back,
}

/// Removes the longest common literal (and identical symbolic) run at one end of two piece
/// lists. Returns `None` for a side when the two literals disagree there, which proves the
/// strings differ at that end.
fn strip_common(a: &[Piece], b: &[Piece], end: End) -> (Option<Vec<Piece>>, Option<Vec<Piece>>) {
    let mut a: Vec<Piece> = a.to_vec();
    let mut b: Vec<Piece> = b.to_vec();
    if let End::Back = end {
        a.reverse();
        b.reverse();
    }
    let mut i = 0;
    let mut j = 0;
    loop {
        match (a.get(i), b.get(j)) {
            (Some(Piece::Lit(x)), Some(Piece::Lit(y))) => {
                let common = common_len(x, y, end);
                let (x, y) = (x.clone(), y.clone());
                let rx = cut(&x, common, end);
                let ry = cut(&y, common, end);
                match (rx.is_empty(), ry.is_empty()) {
                    (false, false) => return (None, None),
                    (true, true) => {
                        i += 1;
                        j += 1;
                    }
                    (true, false) => {
                        i += 1;
                        b[j] = Piece::Lit(ry);
                    }
                    (false, true) => {
                        j += 1;
                        a[i] = Piece::Lit(rx);
                    }
                }
            }
            (Some(x @ Piece::Sym(_)), Some(y @ Piece::Sym(_))) if x == y => {
                i += 1;
                j += 1;
            }
            _ => break,
        }
    }
    let mut a = a.split_off(i);
    let mut b = b.split_off(j);
    if let End::Back = end {
        a.reverse();
        b.reverse();
    }
    (Some(a), Some(b))
}

/// Whether `prefix` is a prefix (or, from the back, a suffix) of `text`.
fn prefix_of(text: &[Piece], prefix: &[Piece], end: End) -> Tri {
    let (rest, want) = strip_common(text, prefix, end);
    let Some((rest, want)) = rest.zip(want) else {
        return Tri::No;
    };
    if want.is_empty() {
        return Tri::Yes;
    }
    if matches!(end, End::Front) && generated_meets_separator(&rest, &want) {
        return Tri::No;
    }
    let first = |pieces: &[Piece]| -> Option<Piece> {
        match end {
            End::Front => pieces.first().cloned(),
            End::Back => pieces.last().cloned(),
        }
    };
    match (first(&rest), first(&want)) {
        // The text is exhausted but the prefix still needs literal characters.
        (None, Some(Piece::Lit(_))) => Tri::No,
        _ => Tri::Unknown,
    }
}

/// Whether `text` begins with a generated name where `other` begins with literal text that
/// has a `/` or `:`. A generated name (a bucket's, a function's, a table's) has neither, so it
/// would end before that character and be literal text written in the inputs, which it never
/// is: the two strings differ there, whatever follows.
/// Whether `pieces` hold more literal bytes than `literal`, when `literal` is all literal.
fn longer_than_literal(pieces: &[Piece], literal: &[Piece]) -> bool {
    let mut length = 0;
    for piece in literal {
        match piece {
            Piece::Lit(lit) => length += lit.len(),
            _ => return false,
        }
    }
    let least: usize = pieces
        .iter()
        .map(|piece| match piece {
            Piece::Lit(lit) => lit.len(),
            _ => 0,
        })
        .sum();
    least > length
}

fn generated_meets_separator(text: &[Piece], other: &[Piece]) -> bool {
    matches!(
        (text.first(), other.first()),
        (Some(Piece::Sym(Symbol::Generated(_))), Some(Piece::Lit(lit))) if lit.contains(['/', ':'])
    )
}

fn common_len(x: &str, y: &str, end: End) -> usize {
    match end {
        End::Front => x
            .char_indices()
            .zip(y.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((_, a), _)| a.len_utf8())
            .sum(),
        End::Back => x
            .chars()
            .rev()
            .zip(y.chars().rev())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum(),
    }
}

fn cut(s: &str, n: usize, end: End) -> String {
    match end {
        End::Front => s[n..].to_owned(),
        End::Back => s[..s.len() - n].to_owned(),
    }
}

impl fmt::Display for Text {
    /// Literal text as is; symbols as `${Name}`, unknown pieces as `…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for piece in &self.pieces {
            match piece {
                Piece::Lit(text) => f.write_str(text)?,
                Piece::Sym(symbol) | Piece::Choice(symbol, _) => {
                    write!(f, "${{{}}}", symbol.label())?
                }
                Piece::Unknown => f.write_str("…")?,
            }
        }
        Ok(())
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::lit(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(name: &str) -> Text {
        Text::sym(Symbol::Generated(name.into()))
    }

    fn opaque(name: &str) -> Text {
        Text::sym(Symbol::Opaque(name.into()))
    }

    fn cat(parts: &[Text]) -> Text {
        Text::concat(parts.iter().cloned())
    }

    #[test]
    fn literals_compare_exactly() {
        assert_eq!(Text::lit("a").equals(&Text::lit("a")), Tri::Yes);
        assert_eq!(Text::lit("a").equals(&Text::lit("b")), Tri::No);
        assert_eq!(Text::lit("ab").equals(&Text::lit("a")), Tri::No);
        assert_eq!(Text::lit("").equals(&Text::default()), Tri::Yes);
    }

    #[test]
    fn the_same_symbol_is_equal_to_itself() {
        let a = cat(&["s3:::".into(), generated("t#Uploads"), "/".into()]);
        let b = cat(&["s3:::".into(), generated("t#Uploads"), "/".into()]);
        assert_eq!(a.equals(&b), Tri::Yes);
        let p = cat(&["x-".into(), opaque("t#Env")]);
        assert_eq!(p.equals(&p.clone()), Tri::Yes);
    }

    #[test]
    fn generated_names_differ_from_literals_and_each_other() {
        assert_eq!(generated("t#A").equals(&Text::lit("my-bucket")), Tri::No);
        assert_eq!(generated("t#A").equals(&generated("t#B")), Tri::No);
        assert_eq!(opaque("t#P").equals(&Text::lit("my-bucket")), Tri::Unknown);
        assert_eq!(opaque("t#P").equals(&opaque("t#Q")), Tri::Unknown);
    }

    /// A generated name has no `/` or `:`: an ARN of a generated bucket's objects is not under
    /// another bucket's `/`, though a prefix ending inside a name may begin it.
    #[test]
    fn generated_names_end_before_a_separator() {
        let objects = cat(&[
            "arn:aws:s3:::".into(),
            generated("t#Uploads"),
            "/".into(),
            Text::unknown(),
        ]);
        let under = |prefix: &str| objects.starts_with(&prefix.into());
        assert_eq!(under("arn:aws:s3:::legacy-media/"), Tri::No);
        assert_eq!(under("arn:aws:s3:::legacy-media/old/"), Tri::No);
        assert_eq!(under("arn:aws:s3:::media"), Tri::Unknown);
        assert_eq!(under("arn:aws:s3:::"), Tri::Yes);
        assert_eq!(
            objects.equals(&"arn:aws:s3:::legacy-media/a.jpg".into()),
            Tri::No
        );
        let function = cat(&[
            "arn:aws:lambda:eu-west-1:1:function:".into(),
            generated("t#Fn"),
        ]);
        assert_eq!(
            function.starts_with(&"arn:aws:lambda:eu-west-1:1:function:fn-1:".into()),
            Tri::No
        );
        assert_eq!(
            function.starts_with(&"arn:aws:lambda:eu-west-1:1:function:fn-1".into()),
            Tri::Unknown
        );
    }

    #[test]
    fn literal_context_refutes_symbolic_strings() {
        let a = cat(&["prod-".into(), opaque("t#P")]);
        assert_eq!(a.equals(&Text::lit("dev-x")), Tri::No);
        assert_eq!(a.equals(&Text::lit("prod-x")), Tri::Unknown);
        let b = cat(&[opaque("t#P"), "-logs".into()]);
        assert_eq!(b.equals(&Text::lit("x-data")), Tri::No);
    }

    /// Whatever a parameter or an unknown stands for, the literal characters around it are
    /// there: a text with more of them than a literal is not that literal.
    #[test]
    fn literal_characters_bound_the_length() {
        let arn = cat(&["arn:".into(), opaque("t#Partition"), ":iam::".into()]);
        assert_eq!(arn.equals(&Text::lit("")), Tri::No);
        assert_eq!(Text::lit("").equals(&arn), Tri::No);
        assert_eq!(arn.equals(&Text::lit("arn::iam::")), Tri::Unknown);
        assert_eq!(arn.equals(&Text::lit("arn:aws:iam::")), Tri::Unknown);
        assert_eq!(opaque("t#Role").equals(&Text::lit("")), Tri::Unknown);
        assert_eq!(Text::unknown().equals(&Text::lit("")), Tri::Unknown);
        let padded = cat(&["abcd".into(), Text::unknown()]);
        assert_eq!(padded.equals(&Text::lit("abc")), Tri::No);
        assert_eq!(padded.equals(&Text::lit("abcde")), Tri::Unknown);
        let between = cat(&[opaque("t#A"), "xy".into(), opaque("t#B")]);
        assert_eq!(between.equals(&Text::lit("x")), Tri::No);
        assert_eq!(between.equals(&Text::lit("xy")), Tri::Unknown);
    }

    #[test]
    fn unknown_pieces_are_never_proven_equal() {
        assert_eq!(Text::unknown().equals(&Text::unknown()), Tri::Unknown);
        assert_eq!(Text::unknown().equals(&Text::lit("a")), Tri::Unknown);
    }

    #[test]
    fn prefixes_and_suffixes() {
        let object = cat(&["my-bucket/".into(), Text::unknown()]);
        assert_eq!(object.starts_with(&"my-bucket/".into()), Tri::Yes);
        assert_eq!(object.starts_with(&"my-bucket".into()), Tri::Yes);
        assert_eq!(object.starts_with(&"other/".into()), Tri::No);
        assert_eq!(object.starts_with(&"my-bucket/logs/".into()), Tri::Unknown);
        assert_eq!(Text::lit("abc").starts_with(&"abcd".into()), Tri::No);
        assert_eq!(Text::lit("GetObject").ends_with(&"Object".into()), Tri::Yes);
        assert_eq!(Text::lit("GetObject").ends_with(&"Bucket".into()), Tri::No);
        assert_eq!(opaque("t#P").starts_with(&"a".into()), Tri::Unknown);
    }

    #[test]
    fn split_once_splits_inside_literals() {
        let partition = Text::pseudo(Pseudo::Partition);
        let arn = cat(&["arn:".into(), partition.clone(), ":s3:::b/k".into()]);
        let (head, tail) = arn.split_once('/').unwrap();
        assert_eq!(head, cat(&["arn:".into(), partition, ":s3:::b".into()]));
        assert_eq!(tail, Text::lit("k"));
        assert!(Text::lit("abc").split_once('/').is_none());
    }

    #[test]
    fn choices_hold_only_when_every_value_agrees() {
        let env = Symbol::Opaque("0#Env".into());
        let choice = |values: &[&str]| {
            Text::concat([
                Text::lit("logs-"),
                Text {
                    pieces: vec![Piece::Choice(
                        env.clone(),
                        values.iter().map(|v| v.to_string()).collect(),
                    )],
                },
            ])
        };
        assert_eq!(
            choice(&["prod", "dev"]).equals(&Text::lit("logs-qa")),
            Tri::No
        );
        assert_eq!(
            choice(&["prod", "dev"]).equals(&Text::lit("logs-prod")),
            Tri::Unknown
        );
        assert_eq!(choice(&["prod"]).equals(&Text::lit("logs-prod")), Tri::Yes);
        // The same parameter on both sides takes the same value.
        assert_eq!(
            choice(&["prod", "dev"]).equals(&choice(&["prod", "dev"])),
            Tri::Yes
        );
        assert_eq!(
            choice(&["prod", "dev"]).starts_with(&Text::lit("logs-")),
            Tri::Yes
        );
    }

    #[test]
    fn decisions_hold_for_every_allowed_value() {
        let choice = |values: &[&str]| Text {
            pieces: vec![Piece::Choice(
                Symbol::Opaque("0#Logging".into()),
                values.iter().map(|v| v.to_string()).collect(),
            )],
        };
        let boolean = |t: &Text| t.as_lit().and_then(|t| t.parse::<bool>().ok());
        assert_eq!(choice(&["false"]).decide(boolean), Some(false));
        assert_eq!(choice(&["true", "false"]).decide(boolean), None);
        assert_eq!(choice(&["true", "maybe"]).decide(boolean), None);
        assert_eq!(choice(&["x"]).decided_lit().as_deref(), Some("x"));
        assert_eq!(Text::lit("y").decided_lit().as_deref(), Some("y"));
        assert_eq!(Text::unknown().decided_lit(), None);
        let two = Text::concat([choice(&["a", "b"]), Text::lit("-"), choice(&["a", "b"])]);
        assert_eq!(two.decided_lit(), None, "a-a and b-b differ");
    }

    #[test]
    fn tri_logic() {
        assert_eq!(Tri::Yes.and(Tri::Unknown), Tri::Unknown);
        assert_eq!(Tri::No.and(Tri::Unknown), Tri::No);
        assert_eq!(Tri::Yes.or(Tri::Unknown), Tri::Yes);
        assert_eq!(Tri::any([]), Tri::No);
        assert_eq!(Tri::all([]), Tri::Yes);
    }
}
