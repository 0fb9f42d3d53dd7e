//! A JSON reader that keeps where each value starts, so that a resource and a failing expression can
//! be reported with their line and column. serde_json would lose that, and (without its
//! `preserve_order` feature, which this crate does not enable) the order of object keys, which
//! decides the order of a `languageVersion: 2.0` template's resources.
//!
//! Deployment templates may carry `//` and `/* */` comments and trailing commas (Azure's tools
//! accept them); they are skipped. Nesting is bounded, and no input makes this panic. Error messages say what was expected
//! where, never what text was found: a template can hold secrets in any string.

use std::fmt;

/// Deepest nesting of arrays and objects accepted.
pub(crate) const MAX_DEPTH: usize = 128;

/// One JSON value and the 1-based line and column where it starts.
#[derive(Clone, PartialEq)]
pub(crate) struct Json {
    pub kind: Kind,
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, PartialEq)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Int(i64),
    /// A number with a fraction or exponent, or an integer beyond i64.
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    /// Keys in document order; a repeated key keeps its last value.
    Object(Vec<(String, Json)>),
}

/// Never prints a value (see the module docs).
impl fmt::Debug for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Json({} at {}:{})", self.kind_name(), self.line, self.col)
    }
}

impl Json {
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "bool",
            Kind::Int(_) | Kind::Float(_) => "number",
            Kind::Str(_) => "string",
            Kind::Array(_) => "array",
            Kind::Object(_) => "object",
        }
    }

    /// A member of an object, by case-insensitive key (template keys are case-insensitive).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match &self.kind {
            Kind::Object(entries) => entries.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(String, Json)] {
        match &self.kind {
            Kind::Object(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Json] {
        match &self.kind {
            Kind::Array(items) => items,
            _ => &[],
        }
    }
}

/// Where and why a text is not JSON.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SyntaxError {
    pub line: u32,
    pub col: u32,
    pub message: &'static str,
}

pub(crate) fn parse(text: &str) -> Result<Json, SyntaxError> {
    let mut p = Parser { chars: text.char_indices().peekable(), line: 1, col: 1 };
    p.skip_bom();
    p.skip_space()?;
    let value = p.value(0)?;
    p.skip_space()?;
    match p.peek() {
        None => Ok(value),
        Some(_) => Err(p.error("unexpected text after the end of the document")),
    }
}

struct Parser<'t> {
    chars: std::iter::Peekable<std::str::CharIndices<'t>>,
    line: u32,
    col: u32,
}

impl Parser<'_> {
    fn peek(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, c)| c)
    }

    fn bump(&mut self) -> Option<char> {
        let (_, c) = self.chars.next()?;
        if c == '\n' {
            self.line = self.line.saturating_add(1);
            self.col = 1;
        } else {
            self.col = self.col.saturating_add(1);
        }
        Some(c)
    }

    fn error(&self, message: &'static str) -> SyntaxError {
        SyntaxError { line: self.line, col: self.col, message }
    }

    fn skip_bom(&mut self) {
        if self.peek() == Some('\u{feff}') {
            self.chars.next();
        }
    }

    fn skip_space(&mut self) -> Result<(), SyntaxError> {
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\n' | '\r') => {
                    self.bump();
                }
                Some('/') => self.comment()?,
                _ => return Ok(()),
            }
        }
    }

    fn comment(&mut self) -> Result<(), SyntaxError> {
        self.bump();
        match self.bump() {
            Some('/') => {
                while let Some(c) = self.peek() {
                    if c == '\n' {
                        break;
                    }
                    self.bump();
                }
                Ok(())
            }
            Some('*') => loop {
                match self.bump() {
                    None => return Err(self.error("unterminated /* comment")),
                    Some('*') if self.peek() == Some('/') => {
                        self.bump();
                        return Ok(());
                    }
                    Some(_) => {}
                }
            },
            _ => Err(self.error("expected a value, found '/'")),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, SyntaxError> {
        let (line, col) = (self.line, self.col);
        let kind = match self.peek() {
            None => return Err(self.error("expected a value, found the end of the document")),
            Some('{') => self.object(depth)?,
            Some('[') => self.array(depth)?,
            Some('"') => Kind::Str(self.string()?),
            Some('t') => self.word("true", Kind::Bool(true))?,
            Some('f') => self.word("false", Kind::Bool(false))?,
            Some('n') => self.word("null", Kind::Null)?,
            Some(c) if c == '-' || c.is_ascii_digit() => self.number()?,
            Some(_) => return Err(self.error("expected a value")),
        };
        Ok(Json { kind, line, col })
    }

    fn word(&mut self, word: &'static str, kind: Kind) -> Result<Kind, SyntaxError> {
        for expected in word.chars() {
            if self.peek() != Some(expected) {
                return Err(self.error("expected true, false or null"));
            }
            self.bump();
        }
        Ok(kind)
    }

    fn number(&mut self) -> Result<Kind, SyntaxError> {
        let mut text = String::new();
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E') {
                text.push(c);
                self.bump();
                if text.len() > 400 {
                    return Err(self.error("number too long"));
                }
            } else {
                break;
            }
        }
        if !valid_number(&text) {
            return Err(self.error("invalid number"));
        }
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Kind::Int(i));
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Kind::Float(f)),
            _ => Err(self.error("number out of range")),
        }
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error("unterminated string")),
                Some('"') => return Ok(out),
                Some('\\') => self.escape(&mut out)?,
                // Raw line breaks and tabs in strings: Azure's template reader accepts them.
                Some(c) => out.push(c),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let c = match self.bump() {
            Some('"') => '"',
            Some('\\') => '\\',
            Some('/') => '/',
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('u') => {
                let first = self.hex4()?;
                let code = if (0xd800..0xdc00).contains(&first) && self.peek() == Some('\\') {
                    self.bump();
                    if self.bump() != Some('u') {
                        return Err(self.error("invalid escape in string"));
                    }
                    let second = self.hex4()?;
                    if (0xdc00..0xe000).contains(&second) {
                        0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
                    } else {
                        0xfffd
                    }
                } else {
                    first
                };
                char::from_u32(code).unwrap_or('\u{fffd}')
            }
            _ => return Err(self.error("invalid escape in string")),
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = self.bump().and_then(|c| c.to_digit(16)).ok_or_else(|| self.error("invalid \\u escape"))?;
            v = v * 16 + d;
        }
        Ok(v)
    }

    fn array(&mut self, depth: usize) -> Result<Kind, SyntaxError> {
        if depth >= MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.bump();
        let mut items = Vec::new();
        self.skip_space()?;
        if self.peek() == Some(']') {
            self.bump();
            return Ok(Kind::Array(items));
        }
        loop {
            self.skip_space()?;
            // A trailing comma, as Azure's JSON reader accepts.
            if self.peek() == Some(']') && !items.is_empty() {
                self.bump();
                return Ok(Kind::Array(items));
            }
            items.push(self.value(depth + 1)?);
            self.skip_space()?;
            let at = self.error("expected ',' or ']' in an array");
            match self.bump() {
                Some(',') => {}
                Some(']') => return Ok(Kind::Array(items)),
                _ => return Err(at),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Kind, SyntaxError> {
        if depth >= MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.bump();
        let mut entries: Vec<(String, Json)> = Vec::new();
        self.skip_space()?;
        if self.peek() == Some('}') {
            self.bump();
            return Ok(Kind::Object(entries));
        }
        loop {
            self.skip_space()?;
            if self.peek() == Some('}') && !entries.is_empty() {
                self.bump();
                return Ok(Kind::Object(entries));
            }
            if self.peek() != Some('"') {
                return Err(self.error("expected a quoted key in an object"));
            }
            let key = self.string()?;
            self.skip_space()?;
            if self.peek() != Some(':') {
                return Err(self.error("expected ':' after a key"));
            }
            self.bump();
            self.skip_space()?;
            let value = self.value(depth + 1)?;
            entries.retain(|(k, _)| k != &key);
            entries.push((key, value));
            self.skip_space()?;
            let at = self.error("expected ',' or '}' in an object");
            match self.bump() {
                Some(',') => {}
                Some('}') => return Ok(Kind::Object(entries)),
                _ => return Err(at),
            }
        }
    }
}

/// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn valid_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if b.get(i) == Some(&b'0') {
        i += 1;
    } else if !digits(&mut i) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_order_and_comments() {
        let text = "// a comment\n{\n  \"b\": 1, /* c */ \"a\": [true, null, -2.5e1],\n  \"s\": \"x\\u00e9\\n\"\n}";
        let j = parse(text).unwrap();
        assert_eq!((j.line, j.col), (2, 1));
        let keys: Vec<&str> = j.entries().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "s"]);
        let a = j.get("A").unwrap();
        assert_eq!((a.line, a.col), (3, 24));
        assert!(a.items()[2].kind == Kind::Float(-25.0));
        assert_eq!(j.get("s").unwrap().as_str(), Some("x\u{e9}\n"));
        assert!(j.get("b").unwrap().kind == Kind::Int(1));
    }

    #[test]
    fn errors_say_where_and_never_what() {
        let e = parse("{\"password\": \"PLANTED-SECRET-x1\" \"next\": 1}").unwrap_err();
        assert_eq!((e.line, e.col, e.message), (1, 34, "expected ',' or '}' in an object"));
        assert!(parse("[1, 2").is_err());
        assert!(parse("[1, 2,]").is_ok() && parse("{\"a\": 1,}").is_ok(), "trailing commas are accepted");
        assert!(parse("[,]").is_err() && parse("{,}").is_err());
        assert!(parse("01").is_err());
        assert!(parse("1.").is_err());
        assert!(parse("\"\\ud800\\u0041\"").is_ok());
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deep).unwrap_err().message, "nesting too deep");
    }

    #[test]
    fn repeated_keys_keep_the_last_value() {
        let j = parse("{\"a\": 1, \"a\": 2}").unwrap();
        assert_eq!(j.entries().len(), 1);
        assert!(j.get("a").unwrap().kind == Kind::Int(2));
    }
}
