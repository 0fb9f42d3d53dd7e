//! Reads one resource's allow-listed attributes. Only the parts of the resource under which the
//! allow-list keeps something are evaluated at all, so a value nobody prices (a script, a password,
//! a connection string) is never computed and cannot reach anything; an expression that produces a
//! whole object is evaluated and then only its kept paths are read.
//!
//! An unknown value at a path the allow-list looks inside (`"networkAcls": "[reference(...)]"`)
//! is recorded as unknown at every kept path below it (`properties.networkAcls.defaultAction`,
//! a pattern's `[*]` kept as written): unknown is not unset. Where an unknown value comes from a
//! parameter nobody gave and a kept path is priced, the read fails, naming the parameter.

use std::collections::BTreeMap;

use super::eval::{Ctx, Loop, LoopKind, eval_string, join, loop_header, property_loops};
use super::failure::{Failure, Result};
use super::json::{Json, Kind};
use super::value::{Unknown, Value};
use crate::iac::model::{AllowList, Attr};

/// Keys of a resource that are structure, not attributes.
const STRUCTURE: [&str; 9] =
    ["copy", "condition", "dependson", "resources", "comments", "existing", "type", "scope", "metadata"];

#[derive(Default)]
pub(crate) struct Collected {
    pub attrs: BTreeMap<String, Attr>,
    /// Kept string attributes that may be resource ids, with their text (or unknown label).
    pub id_texts: Vec<(String, String)>,
    /// A value-less parameter decides a priced attribute: one failure per attribute.
    pub priced: Vec<Failure>,
}

struct Collector<'c> {
    type_name: &'c str,
    res_path: &'c str,
    allow: &'c AllowList,
    out: Collected,
}

/// The kept attributes of the resource `node` of `type_name` at JSON path `res_path`.
pub(crate) fn resource(node: &Json, type_name: &str, res_path: &str, cx: &Ctx) -> Result<Collected> {
    let mut c = Collector { type_name, res_path, allow: cx.eng.allow, out: Collected::default() };
    for (key, child) in node.entries() {
        if STRUCTURE.contains(&key.to_ascii_lowercase().as_str()) {
            continue;
        }
        if c.wants(key) {
            c.walk(child, key, cx)?;
        }
    }
    Ok(c.out)
}

impl Collector<'_> {
    fn wants(&self, rel: &str) -> bool {
        self.allow.may_allow_under(self.type_name, rel)
    }

    fn abs(&self, rel: &str) -> String {
        format!("{}.{rel}", self.res_path)
    }

    fn walk(&mut self, node: &Json, rel: &str, cx: &Ctx) -> Result<()> {
        match &node.kind {
            Kind::Str(s) => {
                let v = eval_string(s, node, &self.abs(rel), cx)?;
                self.value(&v, rel, node);
            }
            Kind::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let p = format!("{rel}[{i}]");
                    if self.wants(&p) {
                        self.walk(item, &p, cx)?;
                    }
                }
            }
            Kind::Object(entries) => {
                for (key, child) in entries {
                    match property_loops(key, child) {
                        Some(decls) => {
                            for (i, decl) in decls.iter().enumerate() {
                                self.property_loop(decl, &format!("{}.copy[{i}]", self.abs(rel)), rel, cx)?;
                            }
                        }
                        None => {
                            let p = join(rel, key);
                            if self.wants(&p) {
                                self.walk(child, &p, cx)?;
                            }
                        }
                    }
                }
            }
            _ => self.value(&Value::from_json(node)?, rel, node),
        }
        Ok(())
    }

    /// A `copy` property loop: each instance's input read with its index bound.
    fn property_loop(&mut self, decl: &Json, decl_path: &str, rel: &str, cx: &Ctx) -> Result<()> {
        let Some(Kind::Str(name)) = decl.get("name").map(|n| &n.kind) else {
            return Err(Failure::new("a copy loop's name must be a string").locate(decl_path, decl.line, decl.col));
        };
        let p = join(rel, name);
        if !self.wants(&p) {
            return Ok(());
        }
        let (name, count) = loop_header(decl, decl_path, cx)?;
        let Some(input) = decl.get("input") else { return Ok(()) };
        for index in 0..count {
            let mut loops = cx.loops.to_vec();
            loops.push(Loop { name: name.clone(), index, kind: LoopKind::Property });
            let inner = Ctx { loops: &loops, ..*cx };
            let item = format!("{p}[{index}]");
            if self.wants(&item) {
                self.walk(input, &item, &inner)?;
            }
        }
        Ok(())
    }

    fn value(&mut self, v: &Value, rel: &str, node: &Json) {
        match v {
            Value::Unknown(u) => self.unknown(u, rel, node),
            Value::Object(m) => {
                for (k, x) in &m.entries {
                    let p = join(rel, k);
                    if self.wants(&p) {
                        self.value(x, &p, node);
                    }
                }
            }
            Value::Array(l) => {
                for (i, x) in l.items.iter().enumerate() {
                    let p = format!("{rel}[{i}]");
                    if self.wants(&p) {
                        self.value(x, &p, node);
                    }
                }
            }
            scalar => {
                if self.allow.allows(self.type_name, rel) {
                    if let Value::Str(s) = scalar
                        && super::refs::looks_like_id(s)
                    {
                        self.out.id_texts.push((rel.to_string(), s.to_string()));
                    }
                    let known = scalar.to_serde().unwrap_or(serde_json::Value::Null);
                    self.out.attrs.insert(rel.to_string(), Attr::Known(known));
                }
            }
        }
    }

    fn unknown(&mut self, u: &Unknown, rel: &str, node: &Json) {
        let mut paths = Vec::new();
        if self.allow.allows(self.type_name, rel) {
            paths.push(rel.to_string());
            if let Some(label) = &u.label
                && super::refs::looks_like_id(label)
            {
                self.out.id_texts.push((rel.to_string(), label.to_string()));
            }
        }
        paths.extend(self.allow.patterns_under(self.type_name, rel));
        for p in paths {
            if !u.placeholders.is_empty() && self.allow.is_priced(self.type_name, &p) {
                let message = format!(
                    "{}, and it decides the priced attribute {p} of this {} resource",
                    super::eval::no_value(&u.placeholders),
                    self.type_name
                );
                let help = super::eval::give_values_help(&u.placeholders);
                self.out.priced.push(Failure::new(message).help(help).locate(&self.abs(&p), node.line, node.col));
            }
            self.out.attrs.insert(p, Attr::Unknown);
        }
    }
}
