//! The template expression language: a JSON string `"[...]"` holds one expression, a call of a
//! function (`concat('a', parameters('b'))`, `ns.fn(...)` for user-defined ones) followed by any
//! property (`.location`) and index (`[0]`, `['key']`) accesses. Strings are `'...'` with `''` for a
//! quote; numbers are integers (a fraction is kept but few functions take one); `true`, `false` and
//! `null` are accepted as literals. A string starting with `[[` is not an expression: it stands
//! for itself without its first `[`.
//!
//! Nesting is bounded and no input makes the parser panic; errors say what was expected at which
//! character, never the text found there.

use std::rc::Rc;

use super::failure::{Failure, Result};
use super::limits::MAX_EXPR_DEPTH;

#[derive(Clone, PartialEq)]
pub(crate) enum Expr {
    Str(Rc<str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    Call { namespace: Option<String>, name: String, args: Vec<Expr> },
    Member(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
}

/// Shows the shape (function names, property names), never a string literal's text.
impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expr::Str(_) => f.write_str("'…'"),
            Expr::Int(_) | Expr::Float(_) => f.write_str("number"),
            Expr::Bool(b) => write!(f, "{b}"),
            Expr::Null => f.write_str("null"),
            Expr::Call { namespace, name, args } => {
                if let Some(ns) = namespace {
                    write!(f, "{ns}.")?;
                }
                write!(f, "{name}")?;
                f.debug_list().entries(args).finish()
            }
            Expr::Member(e, name) => write!(f, "{e:?}.{name}"),
            Expr::Index(e, i) => write!(f, "{e:?}[{i:?}]"),
        }
    }
}

/// What a template string is.
#[derive(PartialEq)]
pub(crate) enum Template<'s> {
    /// Plain text (with a leading `[[` already reduced to `[`).
    Literal(std::borrow::Cow<'s, str>),
    Expression(Expr),
}

/// Classifies and parses one JSON string of a template.
pub(crate) fn parse_template_string(s: &str) -> Result<Template<'_>> {
    if let Some(rest) = s.strip_prefix("[[") {
        return Ok(Template::Literal(format!("[{rest}").into()));
    }
    match s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        Some(inner) if s.len() >= 2 => Ok(Template::Expression(parse(inner)?)),
        _ => Ok(Template::Literal(s.into())),
    }
}

/// Parses the text between the brackets.
pub(crate) fn parse(text: &str) -> Result<Expr> {
    let tokens = lex(text)?;
    let mut p = Parser { tokens, pos: 0 };
    let e = p.value(0)?;
    match p.tokens.get(p.pos) {
        None => Ok(e),
        Some(t) => Err(syntax("expected the end of the expression", t.at)),
    }
}

#[derive(Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Int(i64),
    Float(f64),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
}

#[derive(Clone)]
struct Token {
    tok: Tok,
    /// 1-based character position inside the brackets.
    at: usize,
}

fn syntax(what: &str, at: usize) -> Failure {
    Failure::new(format!("invalid template expression: {what} (character {at} inside the brackets)"))
}

fn lex(text: &str) -> Result<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let at = i + 1;
        let simple = match c {
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            '[' => Some(Tok::LBracket),
            ']' => Some(Tok::RBracket),
            ',' => Some(Tok::Comma),
            '.' => Some(Tok::Dot),
            _ => None,
        };
        if let Some(tok) = simple {
            out.push(Token { tok, at });
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let (s, next) = lex_string(&chars, i)?;
            out.push(Token { tok: Tok::Str(s), at });
            i = next;
        } else if c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let (tok, next) = lex_number(&chars, i)?;
            out.push(Token { tok, at });
            i = next;
        } else if is_ident_start(c) {
            let start = i;
            while chars.get(i).is_some_and(|&c| is_ident_char(c)) {
                i += 1;
            }
            out.push(Token { tok: Tok::Ident(chars[start..i].iter().collect()), at });
        } else {
            return Err(syntax("unexpected character", at));
        }
    }
    Ok(out)
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '$' || c == '@'
}

/// Property names after `.` may hold `-` too (no operator uses it).
fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '@' | '-')
}

fn lex_string(chars: &[char], start: usize) -> Result<(String, usize)> {
    let mut s = String::new();
    let mut i = start + 1;
    loop {
        match chars.get(i) {
            None => return Err(syntax("unterminated string", start + 1)),
            Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                s.push('\'');
                i += 2;
            }
            Some('\'') => return Ok((s, i + 1)),
            Some(&c) => {
                s.push(c);
                i += 1;
            }
        }
    }
}

fn lex_number(chars: &[char], start: usize) -> Result<(Tok, usize)> {
    let mut i = start + 1;
    while chars.get(i).is_some_and(char::is_ascii_digit) {
        i += 1;
    }
    let mut float = false;
    if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
        float = true;
        i += 1;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
    }
    let text: String = chars[start..i].iter().collect();
    let tok = if float { text.parse::<f64>().ok().map(Tok::Float) } else { text.parse::<i64>().ok().map(Tok::Int) };
    tok.map(|t| (t, i)).ok_or_else(|| syntax("number out of range", start + 1))
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    /// Where the next token is, or just past the last one.
    fn here(&self) -> usize {
        self.tokens.get(self.pos).or(self.tokens.last()).map_or(1, |t| t.at)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.tokens.get(self.pos).map(|t| t.tok.clone());
        self.pos += 1;
        t
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<()> {
        let at = self.here();
        if self.next() == Some(tok) { Ok(()) } else { Err(syntax(what, at)) }
    }

    fn value(&mut self, depth: usize) -> Result<Expr> {
        if depth >= MAX_EXPR_DEPTH {
            return Err(syntax("expression nested too deeply", self.here()));
        }
        let mut e = self.primary(depth)?;
        loop {
            match self.peek() {
                Some(Tok::Dot) => {
                    self.pos += 1;
                    let at = self.here();
                    match self.next() {
                        Some(Tok::Ident(name)) => e = Expr::Member(Box::new(e), name),
                        _ => return Err(syntax("expected a property name after '.'", at)),
                    }
                }
                Some(Tok::LBracket) => {
                    self.pos += 1;
                    let index = self.value(depth + 1)?;
                    self.expect(Tok::RBracket, "expected ']'")?;
                    e = Expr::Index(Box::new(e), Box::new(index));
                }
                _ => return Ok(e),
            }
        }
    }

    fn primary(&mut self, depth: usize) -> Result<Expr> {
        let at = self.here();
        match self.next() {
            Some(Tok::Str(s)) => Ok(Expr::Str(s.into())),
            Some(Tok::Int(i)) => Ok(Expr::Int(i)),
            Some(Tok::Float(f)) => Ok(Expr::Float(f)),
            Some(Tok::Ident(name)) => self.call_or_literal(name, at, depth),
            _ => Err(syntax("expected a function call, a string or a number", at)),
        }
    }

    fn call_or_literal(&mut self, name: String, at: usize, depth: usize) -> Result<Expr> {
        let namespaced = matches!(
            (self.tokens.get(self.pos), self.tokens.get(self.pos + 1), self.tokens.get(self.pos + 2)),
            (
                Some(Token { tok: Tok::Dot, .. }),
                Some(Token { tok: Tok::Ident(_), .. }),
                Some(Token { tok: Tok::LParen, .. })
            )
        );
        let (namespace, name) = if namespaced {
            self.pos += 1;
            let Some(Tok::Ident(member)) = self.next() else { return Err(syntax("expected a function name", at)) };
            (Some(name), member)
        } else {
            (None, name)
        };
        if self.peek() != Some(&Tok::LParen) {
            return match (namespace.is_none(), name.to_ascii_lowercase().as_str()) {
                (true, "true") => Ok(Expr::Bool(true)),
                (true, "false") => Ok(Expr::Bool(false)),
                (true, "null") => Ok(Expr::Null),
                _ => Err(syntax("expected '(' after a function name", self.here())),
            };
        }
        self.pos += 1;
        let mut args = Vec::new();
        if self.peek() == Some(&Tok::RParen) {
            self.pos += 1;
            return Ok(Expr::Call { namespace, name, args });
        }
        loop {
            args.push(self.value(depth + 1)?);
            let at = self.here();
            match self.next() {
                Some(Tok::Comma) => {}
                Some(Tok::RParen) => return Ok(Expr::Call { namespace, name, args }),
                _ => return Err(syntax("expected ',' or ')' in a function call", at)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Call { namespace: None, name: name.into(), args }
    }

    #[test]
    fn parses_calls_members_and_indexes() {
        let e = parse("concat(parameters('a')[0].b, 'it''s', -12, resourceGroup().location)").unwrap();
        let first = Expr::Member(
            Box::new(Expr::Index(Box::new(call("parameters", vec![Expr::Str("a".into())])), Box::new(Expr::Int(0)))),
            "b".into(),
        );
        let rg = Expr::Member(Box::new(call("resourceGroup", vec![])), "location".into());
        assert_eq!(e, call("concat", vec![first, Expr::Str("it's".into()), Expr::Int(-12), rg]));
    }

    #[test]
    fn debug_shows_no_string_literal() {
        let e = parse("concat('PLANTED-SECRET-x1', parameters('p').x[0])").unwrap();
        assert_eq!(format!("{e:?}"), "concat['…', parameters['…'].x[number]]");
    }

    #[test]
    fn namespaced_user_functions() {
        let e = parse("contoso.uniqueName('x').value").unwrap();
        let inner = Expr::Call {
            namespace: Some("contoso".into()),
            name: "uniqueName".into(),
            args: vec![Expr::Str("x".into())],
        };
        assert_eq!(e, Expr::Member(Box::new(inner), "value".into()));
    }

    #[test]
    fn classifies_template_strings() {
        let is = |s: &str, t: Template| parse_template_string(s).is_ok_and(|x| x == t);
        assert!(is("[[not an expression]", Template::Literal("[not an expression]".into())));
        assert!(is("plain", Template::Literal("plain".into())));
        assert!(is("[", Template::Literal("[".into())));
        assert!(is("[true]", Template::Expression(Expr::Bool(true))));
        assert!(parse_template_string("[]").is_err());
    }

    #[test]
    fn errors_name_the_place_not_the_text() {
        let e = parse("concat('PLANTED-SECRET-x1' 'b')").unwrap_err();
        assert_eq!(
            e.message,
            "invalid template expression: expected ',' or ')' in a function call (character 28 inside the brackets)"
        );
        assert!(parse("concat('open").unwrap_err().message.contains("unterminated string"));
        assert!(parse("a.").is_err());
        assert!(parse("f(").is_err());
        assert!(parse("99999999999999999999").is_err());
        let deep = format!("{}1{}", "f(".repeat(200), ")".repeat(200));
        assert!(parse(&deep).unwrap_err().message.contains("nested too deeply"));
    }
}
