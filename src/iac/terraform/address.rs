//! Terraform's addresses and references as a plan spells them: module instance paths
//! (`module.a.module.b["x"]`) and the reference strings of `configuration` expressions
//! (`azurerm_search_service.main[0].id`, `module.net.subnet_id`, `var.target_id`, `each.value.id`).
//! Parsed into parts so that instances are matched by structure, never by rebuilding strings.

/// An instance key: `count` gives numbers, `for_each` strings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Int(i64),
    Str(String),
}

/// One module call instance on a module path: `module.spoke[1]` is `spoke` with key 1.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Step {
    pub name: String,
    pub key: Option<Key>,
}

/// The module instance a resource instance sits in, outermost first (empty: the root module).
pub type ModulePath = Vec<Step>;

/// What one reference string names.
#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    /// `type.name`, `data.type.name`, with a static key and the first attribute read from it.
    Resource {
        data: bool,
        type_name: String,
        name: String,
        key: Option<Key>,
        attr: Option<String>,
        picks: bool,
    },
    /// `module.call`, `module.call[k].output.attr`.
    Module {
        call: String,
        key: Option<Key>,
        output: Option<String>,
        attr: Option<String>,
        picks: bool,
    },
    /// `var.name.attr`.
    Var {
        name: String,
        attr: Option<String>,
        picks: bool,
    },
    CountIndex,
    EachKey,
    /// `each.value.attr`.
    EachValue {
        attr: Option<String>,
        picks: bool,
    },
    /// `local.*`, `path.*`, `terraform.*`, `self.*` and anything newer: nothing to follow.
    Other,
}

/// Parses `module.a.module.b["x"]` (what `module_address` holds); `None` if it is not one.
pub fn module_path(text: &str) -> Option<ModulePath> {
    let mut c = Cursor { s: text, i: 0 };
    let mut path = Vec::new();
    loop {
        if c.ident()? != "module" || !c.dot() {
            return None;
        }
        let name = c.ident()?.to_string();
        let key = c.key()?;
        path.push(Step { name, key });
        if c.done() {
            return Some(path);
        }
        if !c.dot() {
            return None;
        }
    }
}

/// Parses one reference string of an expression's `references`; `None` if it is not one.
pub fn reference(text: &str) -> Option<Subject> {
    let mut c = Cursor { s: text, i: 0 };
    let root = c.ident()?;
    match root {
        "count" => Some(if c.dot() && c.ident()? == "index" { Subject::CountIndex } else { Subject::Other }),
        "each" => {
            if !c.dot() {
                return Some(Subject::Other);
            }
            match c.ident()? {
                "key" => Some(Subject::EachKey),
                "value" => {
                    let (attr, picks) = c.rest();
                    Some(Subject::EachValue { attr, picks })
                }
                _ => Some(Subject::Other),
            }
        }
        "var" => {
            if !c.dot() {
                return None;
            }
            let name = c.ident()?.to_string();
            let (attr, picks) = c.rest();
            Some(Subject::Var { name, attr, picks })
        }
        "module" => {
            if !c.dot() {
                return None;
            }
            let call = c.ident()?.to_string();
            let key = c.key()?;
            let output = if c.dot() { Some(c.ident()?.to_string()) } else { None };
            let (attr, picks) = if output.is_some() { c.rest() } else { (None, false) };
            Some(Subject::Module { call, key, output, attr, picks })
        }
        "local" | "path" | "terraform" | "self" => Some(Subject::Other),
        _ => {
            let data = root == "data";
            let type_name = if data {
                if !c.dot() {
                    return None;
                }
                c.ident()?
            } else {
                root
            };
            if !c.dot() {
                return None;
            }
            let name = c.ident()?.to_string();
            let key = c.key()?;
            let (attr, picks) = c.rest();
            Some(Subject::Resource { data, type_name: type_name.to_string(), name, key, attr, picks })
        }
    }
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn done(&self) -> bool {
        self.i == self.s.len()
    }

    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.i).copied()
    }

    fn dot(&mut self) -> bool {
        let found = self.peek() == Some(b'.');
        self.i += usize::from(found);
        found
    }

    /// An HCL identifier: letters, digits, `_` and `-`.
    fn ident(&mut self) -> Option<&'a str> {
        let start = self.i;
        while matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            self.i += 1;
        }
        (self.i > start).then(|| &self.s[start..self.i])
    }

    /// An optional `[n]` or `["text"]`: `Some(None)` when there is none, `None` when it is broken.
    fn key(&mut self) -> Option<Option<Key>> {
        if self.peek() != Some(b'[') {
            return Some(None);
        }
        self.i += 1;
        let key = if self.peek() == Some(b'"') { Key::Str(self.quoted()?) } else { Key::Int(self.int()?) };
        if self.peek() != Some(b']') {
            return None;
        }
        self.i += 1;
        Some(Some(key))
    }

    fn int(&mut self) -> Option<i64> {
        let start = self.i;
        while matches!(self.peek(), Some(b) if b.is_ascii_digit() || b == b'-') {
            self.i += 1;
        }
        self.s[start..self.i].parse().ok()
    }

    /// A quoted key as Terraform writes it (HCL quoting: `\"`, `\\`, `\n`, `\uXXXX`, `$${`).
    fn quoted(&mut self) -> Option<String> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let rest = &self.s[self.i..];
            let mut chars = rest.chars();
            let ch = chars.next()?;
            self.i += ch.len_utf8();
            match ch {
                '"' => return Some(out),
                '\\' => {
                    let esc = chars.next()?;
                    self.i += esc.len_utf8();
                    match esc {
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' | 'U' => {
                            let len = if esc == 'u' { 4 } else { 8 };
                            let hex = self.s.get(self.i..self.i + len)?;
                            out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
                            self.i += len;
                        }
                        other => out.push(other),
                    }
                }
                '$' | '%' if rest[1..].starts_with(ch) && rest[2..].starts_with('{') => {
                    out.push(ch);
                    self.i += 1;
                }
                other => out.push(other),
            }
        }
    }

    /// After a subject: its first attribute, and whether an index follows the subject or that
    /// attribute (`var.ids[0]`: one element of what the subject holds).
    fn rest(&mut self) -> (Option<String>, bool) {
        let mut attr = None;
        if self.dot() {
            attr = self.ident().map(str::to_string);
        }
        (attr, self.peek() == Some(b'['))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(name: &str, key: Option<Key>) -> Step {
        Step { name: name.into(), key }
    }

    #[test]
    fn module_paths_keep_each_key() {
        assert_eq!(
            module_path(r#"module.a.module.b["x"].module.c[2]"#),
            Some(vec![step("a", None), step("b", Some(Key::Str("x".into()))), step("c", Some(Key::Int(2)))])
        );
        assert_eq!(module_path(r#"module.m["a\"b.c"]"#), Some(vec![step("m", Some(Key::Str("a\"b.c".into())))]));
        assert_eq!(module_path(r#"module.m["$${x}"]"#), Some(vec![step("m", Some(Key::Str("${x}".into())))]));
        for bad in ["", "module", "module.", "module.a.", "module.a[", "module.a[x]", "module.a[\"x]", "resource.a"] {
            assert_eq!(module_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn references_name_their_subject() {
        assert_eq!(
            reference("azurerm_search_service.main.id"),
            Some(Subject::Resource {
                data: false,
                type_name: "azurerm_search_service".into(),
                name: "main".into(),
                key: None,
                attr: Some("id".into()),
                picks: false
            })
        );
        assert_eq!(
            reference(r#"data.azurerm_private_dns_zone.z["blob"]"#),
            Some(Subject::Resource {
                data: true,
                type_name: "azurerm_private_dns_zone".into(),
                name: "z".into(),
                key: Some(Key::Str("blob".into())),
                attr: None,
                picks: false
            })
        );
        assert_eq!(
            reference("module.net[1].subnet_ids[0]"),
            Some(Subject::Module {
                call: "net".into(),
                key: Some(Key::Int(1)),
                output: Some("subnet_ids".into()),
                attr: None,
                picks: true
            })
        );
        assert_eq!(reference("var.ids[0]"), Some(Subject::Var { name: "ids".into(), attr: None, picks: true }));
        assert_eq!(reference("each.value.id"), Some(Subject::EachValue { attr: Some("id".into()), picks: false }));
        assert_eq!(reference("count.index"), Some(Subject::CountIndex));
        assert_eq!(reference("each.key"), Some(Subject::EachKey));
        assert_eq!(reference("local.targets"), Some(Subject::Other));
        assert_eq!(reference("azurerm_x"), None);
        assert_eq!(reference("azurerm_x.y[z]"), None);
    }
}
