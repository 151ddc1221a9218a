//! The query language people type: words, `"phrases"`, `-word`/`NOT word`, `a OR b`, `( )`,
//! and `field:` prefixes. Nothing a person types is an error: stray syntax is searched as words.

/// Fields a query may name, and the text fields each one searches.
const FIELDS: [(&str, &[&str]); 6] = [
    ("title", &["chapter_title", "episode_title"]),
    ("chapter_title", &["chapter_title"]),
    ("section", &["section"]),
    ("episode_title", &["episode_title"]),
    ("description", &["description"]),
    ("chapter", &["chapter_title"]),
];

/// Which text fields a part of the query searches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every searchable field.
    All,
    /// Only these (by name).
    Only(&'static [&'static str]),
}

/// A part of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// One whitespace-separated word as typed (may hold several terms: `PEP:768`).
    Word {
        /// The word.
        text: String,
        /// Where it is searched.
        scope: Scope,
        /// The query's last word, with no space after it: matched as a prefix too.
        last: bool,
    },
    /// Words in quotes: in this order, next to each other.
    Phrase {
        /// The words.
        text: String,
        /// Where it is searched.
        scope: Scope,
    },
    /// Parenthesised clauses, all required.
    Group(Vec<Clause>),
    /// Alternatives, any one suffices.
    Or(Vec<Node>),
    /// `episode:N`.
    Episode(u32),
    /// `podcast:NAME`.
    Podcast(String),
}

/// A node, possibly negated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// `-word` or `NOT word`.
    pub negated: bool,
    /// What it matches.
    pub node: Node,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    /// A field prefix followed directly by a phrase or a group.
    Field(String),
    Phrase(String),
    Open,
    Close,
    Minus,
    Or,
    Not,
}

fn lex(q: &str) -> (Vec<Tok>, bool) {
    let chars: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                out.push(Tok::Open);
                i += 1;
            }
            ')' => {
                out.push(Tok::Close);
                i += 1;
            }
            '"' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '"')
                    .map_or(chars.len(), |p| i + 1 + p);
                out.push(Tok::Phrase(chars[i + 1..end].iter().collect()));
                i = end + 1;
            }
            '-' | '+' | '!'
                if chars
                    .get(i + 1)
                    .is_some_and(|n| !n.is_whitespace() && !matches!(n, '-' | '+' | '!' | ')')) =>
            {
                if c != '+' {
                    out.push(Tok::Minus);
                }
                i += 1;
            }
            _ => {
                // A word runs to whitespace, a quote, or a `)` that closes a group; `f(x)` and
                // `sys.remote_exec()` stay one word. `field:` right before `"` or `(` applies
                // to that phrase or group.
                let start = i;
                let mut inner = 0usize;
                let mut prefix = None;
                while i < chars.len() {
                    let c = chars[i];
                    if c.is_whitespace() || c == '"' {
                        break;
                    }
                    if c == ':' && matches!(chars.get(i + 1), Some('"' | '(')) {
                        let name: String = chars[start..i].iter().collect();
                        // `podcast:"Night Sky Notes"`: a name with spaces is quoted.
                        let quoted_podcast = is_podcast(&name) && chars.get(i + 1) == Some(&'"');
                        if field(&name).is_some() || quoted_podcast {
                            prefix = Some(name);
                            i += 1;
                            break;
                        }
                    }
                    if c == '(' {
                        inner += 1;
                    } else if c == ')' {
                        if inner == 0 {
                            break;
                        }
                        inner -= 1;
                    }
                    i += 1;
                }
                if let Some(name) = prefix {
                    out.push(Tok::Field(name));
                    continue;
                }
                let word: String = chars[start..i].iter().collect();
                match word.as_str() {
                    "OR" | "||" => out.push(Tok::Or),
                    "AND" | "&&" => {}
                    "NOT" => out.push(Tok::Not),
                    _ => out.push(Tok::Word(word)),
                }
            }
        }
    }
    let ends_in_space = q.chars().last().is_none_or(char::is_whitespace);
    (out, !ends_in_space)
}

fn is_podcast(name: &str) -> bool {
    name.eq_ignore_ascii_case("podcast")
}

fn field(name: &str) -> Option<&'static [&'static str]> {
    let lower = name.to_ascii_lowercase();
    FIELDS
        .iter()
        .find(|(n, _)| *n == lower)
        .map(|(_, fields)| *fields)
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    depth: usize,
    open_end: bool,
}

/// Deepest parenthesis nesting honoured; deeper groups are flattened.
const MAX_DEPTH: usize = 32;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn seq(&mut self) -> Vec<Clause> {
        let mut out = Vec::new();
        while let Some(t) = self.peek() {
            if *t == Tok::Close {
                if self.depth > 0 {
                    return out;
                }
                self.at += 1; // a stray `)`
                continue;
            }
            if *t == Tok::Or {
                self.at += 1; // an `OR` with nothing before it
                continue;
            }
            let Some(first) = self.clause() else {
                continue;
            };
            if self.peek() != Some(&Tok::Or) {
                out.push(first);
                continue;
            }
            let mut alts = vec![first];
            while self.peek() == Some(&Tok::Or) {
                self.at += 1;
                if let Some(c) = self.clause() {
                    alts.push(c);
                }
            }
            if alts.len() == 1 {
                out.extend(alts);
            } else {
                // Negated alternatives make no sense in an OR; they are searched as plain ones.
                out.push(Clause {
                    negated: false,
                    node: Node::Or(alts.into_iter().map(|c| c.node).collect()),
                });
            }
        }
        out
    }

    fn clause(&mut self) -> Option<Clause> {
        let mut negated = false;
        while matches!(self.peek(), Some(Tok::Minus | Tok::Not)) {
            negated = !negated;
            self.at += 1;
        }
        let node = self.atom(&Scope::All)?;
        Some(Clause { negated, node })
    }

    fn atom(&mut self, scope: &Scope) -> Option<Node> {
        // Past the nesting limit parentheses are skipped, not recursed into.
        while self.depth >= MAX_DEPTH && self.peek() == Some(&Tok::Open) {
            self.at += 1;
        }
        let tok = self.peek()?.clone();
        self.at += 1;
        match tok {
            Tok::Open => {
                self.depth += 1;
                let inner = self.seq();
                self.depth -= 1;
                if self.peek() == Some(&Tok::Close) {
                    self.at += 1;
                }
                let inner = scoped(inner, scope);
                match inner.len() {
                    0 => None,
                    1 if !inner[0].negated => inner.into_iter().next().map(|c| c.node),
                    _ => Some(Node::Group(inner)),
                }
            }
            Tok::Phrase(text) => Some(Node::Phrase {
                text,
                scope: scope.clone(),
            }),
            Tok::Field(name) if is_podcast(&name) => match self.peek() {
                Some(Tok::Phrase(text)) => {
                    let name = text.trim().to_string();
                    self.at += 1;
                    (!name.is_empty()).then_some(Node::Podcast(name))
                }
                _ => None,
            },
            Tok::Field(name) => {
                let fields = field(&name)?;
                self.atom(&Scope::Only(fields))
            }
            Tok::Word(w) => Some(self.word(w, scope)),
            Tok::Close | Tok::Minus | Tok::Or | Tok::Not => None,
        }
    }

    fn word(&self, w: String, scope: &Scope) -> Node {
        let last = self.at == self.toks.len() && self.open_end;
        if let Some((name, value)) = w.split_once(':')
            && !value.is_empty()
        {
            match name.to_ascii_lowercase().as_str() {
                "episode" | "ep" => {
                    if let Ok(n) = value.trim_start_matches('#').parse::<u32>() {
                        return Node::Episode(n);
                    }
                }
                "podcast" => return Node::Podcast(value.to_string()),
                _ => {}
            }
            if let Some(fields) = field(name) {
                return Node::Word {
                    text: value.to_string(),
                    scope: Scope::Only(fields),
                    last,
                };
            }
        }
        // An unknown `name:` is just more words (the analyzer splits at the colon).
        Node::Word {
            text: w,
            scope: scope.clone(),
            last,
        }
    }
}

/// Applies a field prefix to every clause of a group.
fn scoped(clauses: Vec<Clause>, scope: &Scope) -> Vec<Clause> {
    if *scope == Scope::All {
        return clauses;
    }
    clauses
        .into_iter()
        .map(|c| Clause {
            negated: c.negated,
            node: rescope(c.node, scope),
        })
        .collect()
}

fn rescope(node: Node, scope: &Scope) -> Node {
    match node {
        Node::Word { text, last, .. } => Node::Word {
            text,
            scope: scope.clone(),
            last,
        },
        Node::Phrase { text, .. } => Node::Phrase {
            text,
            scope: scope.clone(),
        },
        Node::Group(cs) => Node::Group(scoped(cs, scope)),
        Node::Or(ns) => Node::Or(ns.into_iter().map(|n| rescope(n, scope)).collect()),
        other => other,
    }
}

/// Parses a query; never fails.
pub fn parse(q: &str) -> Vec<Clause> {
    let (toks, open_end) = lex(q);
    let mut p = Parser {
        toks,
        at: 0,
        depth: 0,
        open_end,
    };
    p.seq()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str) -> Node {
        Node::Word {
            text: text.into(),
            scope: Scope::All,
            last: false,
        }
    }

    /// The same word as the query's last (a prefix too).
    fn wl(text: &str) -> Node {
        Node::Word {
            text: text.into(),
            scope: Scope::All,
            last: true,
        }
    }

    fn pos(node: Node) -> Clause {
        Clause {
            negated: false,
            node,
        }
    }

    #[test]
    fn words_phrases_negation_or() {
        assert_eq!(
            parse("uvloop OR memoization -parser \"reference cycles\" "),
            vec![
                pos(Node::Or(vec![w("uvloop"), w("memoization")])),
                Clause {
                    negated: true,
                    node: w("parser")
                },
                pos(Node::Phrase {
                    text: "reference cycles".into(),
                    scope: Scope::All
                }),
            ]
        );
    }

    #[test]
    fn the_last_word_is_a_prefix_unless_a_space_follows() {
        let c = parse("garbage coll");
        assert!(matches!(&c[1].node, Node::Word { last: true, .. }));
        assert!(matches!(&c[0].node, Node::Word { last: false, .. }));
        let c = parse("garbage coll ");
        assert!(matches!(&c[1].node, Node::Word { last: false, .. }));
    }

    #[test]
    fn fields_filters_and_unknown_fields() {
        assert_eq!(
            parse("episode:21 podcast:core.py")[0].node,
            Node::Episode(21)
        );
        assert_eq!(
            parse("episode:21 podcast:core.py")[1].node,
            Node::Podcast("core.py".into())
        );
        // A podcast name with spaces is quoted; the rest of the query stays words.
        let c = parse("podcast:\"Night Sky Notes\" andromeda");
        assert_eq!(c[0].node, Node::Podcast("Night Sky Notes".into()));
        assert_eq!(c[1].node, wl("andromeda"));
        assert_eq!(
            parse("-Podcast:\"Stack Frames\"")[0],
            Clause {
                negated: true,
                node: Node::Podcast("Stack Frames".into())
            }
        );
        // An empty quoted name filters nothing.
        assert!(parse("podcast:\"\"").is_empty());
        assert!(matches!(
            &parse("title:garbage")[0].node,
            Node::Word { text, scope: Scope::Only(f), .. } if text == "garbage" && f.contains(&"episode_title")
        ));
        assert!(matches!(
            &parse("title:\"new parser\"")[0].node,
            Node::Phrase {
                scope: Scope::Only(_),
                ..
            }
        ));
        // Unknown fields, odd values and bare colons stay words.
        assert_eq!(parse("uvloop:")[0].node, wl("uvloop:"));
        assert_eq!(parse("PEP:768")[0].node, wl("PEP:768"));
        assert_eq!(parse("episode:abc")[0].node, wl("episode:abc"));
    }

    #[test]
    fn stray_syntax_is_words() {
        assert_eq!(
            parse("\"uvloop")[0].node,
            Node::Phrase {
                text: "uvloop".into(),
                scope: Scope::All
            }
        );
        assert_eq!(parse("(uvloop")[0].node, wl("uvloop"));
        assert_eq!(parse("uvloop)")[0].node, w("uvloop"));
        assert_eq!(parse("sys.remote_exec()")[0].node, wl("sys.remote_exec()"));
        assert_eq!(
            parse("--parallel-threads")[0].node,
            wl("--parallel-threads")
        );
        assert!(parse("OR").is_empty());
        assert!(parse("()").is_empty());
        assert!(parse(" - ").iter().all(|c| !c.negated));
        let deep = format!("{}x{}", "(".repeat(500), ")".repeat(500));
        assert_eq!(parse(&deep)[0].node, w("x"));
    }

    #[test]
    fn groups_keep_their_negations() {
        let c = parse("gc (free OR threading) -(pablo)");
        assert_eq!(c.len(), 3);
        assert!(matches!(c[1].node, Node::Or(_)));
        assert!(c[2].negated);
    }
}
