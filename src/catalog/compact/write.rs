//! Writes a TOML document in the compact form [`super`] reads (the format is described there), and
//! finds the TOML floats a catalog file may not hold.
//!
//! This file is shared: `build.rs` includes it (by `#[path]`) to write the embedded catalog, and
//! the library uses it in tests and to refuse floats in catalog directories. It may use nothing
//! but `std` and `toml`.

use std::collections::HashMap;
use std::fmt;

/// Value tags of the compact form.
pub const FALSE: u8 = 0;
pub const TRUE: u8 = 1;
pub const INTEGER: u8 = 2;
pub const STRING: u8 = 3;
pub const ARRAY: u8 = 4;
pub const TABLE: u8 = 5;
/// An array of at least [`LONG`] values, with its length in bytes after its count, so that a reader
/// can step over it at once (the thousand virtual-machine sizes, read only when asked for).
pub const LONG_ARRAY: u8 = 6;
pub const LONG: usize = 64;

/// A value the compact form does not hold, at its key path (`price[2].buckets[0].price`).
#[derive(Clone, Debug, PartialEq)]
pub enum Refused {
    /// A TOML float: every decimal of the catalog is a string, so no figure passes through binary
    /// floating point.
    Float { key: String, value: f64 },
    /// A TOML date or time: the catalog writes dates as `"YYYY-MM-DD"` strings.
    Datetime { key: String, value: String },
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Float { key, value } => write!(
                f,
                "{key} = {value:?} is a TOML float; write it as a decimal string (\"{value:?}\") so that no figure \
                 passes through binary floating point"
            ),
            Refused::Datetime { key, value } => {
                write!(f, "{key} = {value} is a TOML date; write it as a string (\"{value}\")")
            }
        }
    }
}

/// The first float or date in `table`, in document order.
pub fn refused(table: &toml::Table) -> Option<Refused> {
    let mut key = String::new();
    walk_table(table, &mut key)
}

fn walk_table(table: &toml::Table, key: &mut String) -> Option<Refused> {
    for (name, value) in table {
        let len = key.len();
        if len > 0 {
            key.push('.');
        }
        key.push_str(name);
        let found = walk(value, key);
        key.truncate(len);
        if found.is_some() {
            return found;
        }
    }
    None
}

fn walk(value: &toml::Value, key: &mut String) -> Option<Refused> {
    match value {
        toml::Value::Float(f) => Some(Refused::Float { key: key.clone(), value: *f }),
        toml::Value::Datetime(d) => Some(Refused::Datetime { key: key.clone(), value: d.to_string() }),
        toml::Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let len = key.len();
            key.push_str(&format!("[{i}]"));
            let found = walk(item, key);
            key.truncate(len);
            found
        }),
        toml::Value::Table(t) => walk_table(t, key),
        toml::Value::String(_) | toml::Value::Integer(_) | toml::Value::Boolean(_) => None,
    }
}

/// Accumulates values in the compact form: their structure in `blob`, their strings once each in
/// `pool`, and the distinct table keys in `keys` (spans of `pool`), which the blob names by index.
#[derive(Default)]
pub struct Writer {
    pub blob: Vec<u8>,
    pub pool: String,
    pub keys: Vec<(u32, u32)>,
    seen: HashMap<String, (usize, usize)>,
    key_index: HashMap<String, usize>,
}

impl Writer {
    /// Appends `table`; the byte range of `blob` it takes, or the first value it cannot hold.
    pub fn table(&mut self, table: &toml::Table) -> Result<(usize, usize), Refused> {
        if let Some(refused) = refused(table) {
            return Err(refused);
        }
        let start = self.blob.len();
        self.write_table(table);
        Ok((start, self.blob.len()))
    }

    fn write_table(&mut self, table: &toml::Table) {
        self.blob.push(TABLE);
        self.varint(table.len() as u64);
        for (key, value) in table {
            let index = match self.key_index.get(key.as_str()) {
                Some(&i) => i,
                None => {
                    let (start, len) = self.span(key);
                    self.keys.push((start as u32, (start + len) as u32));
                    self.key_index.insert(key.clone(), self.keys.len() - 1);
                    self.keys.len() - 1
                }
            };
            self.varint(index as u64);
            self.value(value);
        }
    }

    /// Floats and dates were refused by [`Writer::table`] before anything was written.
    fn value(&mut self, value: &toml::Value) {
        match value {
            toml::Value::Boolean(b) => self.blob.push(if *b { TRUE } else { FALSE }),
            toml::Value::Integer(i) => {
                self.blob.push(INTEGER);
                self.varint(((*i << 1) ^ (*i >> 63)) as u64);
            }
            toml::Value::String(s) => {
                self.blob.push(STRING);
                self.string(s);
            }
            toml::Value::Array(items) if items.len() >= LONG => {
                let start = self.blob.len();
                for item in items {
                    self.value(item);
                }
                let body = self.blob.split_off(start);
                self.blob.push(LONG_ARRAY);
                self.varint(items.len() as u64);
                self.varint(body.len() as u64);
                self.blob.extend_from_slice(&body);
            }
            toml::Value::Array(items) => {
                self.blob.push(ARRAY);
                self.varint(items.len() as u64);
                for item in items {
                    self.value(item);
                }
            }
            toml::Value::Table(t) => self.write_table(t),
            toml::Value::Float(_) | toml::Value::Datetime(_) => {}
        }
    }

    /// A string as its offset in `pool` (four bytes, little-endian) and its length.
    fn string(&mut self, s: &str) {
        let (start, len) = self.span(s);
        self.blob.extend_from_slice(&(start as u32).to_le_bytes());
        self.varint(len as u64);
    }

    /// The offset and length of `s` in `pool`, where it is added the first time it is seen.
    fn span(&mut self, s: &str) -> (usize, usize) {
        match self.seen.get(s) {
            Some(&span) => span,
            None => {
                let span = (self.pool.len(), s.len());
                self.pool.push_str(s);
                self.seen.insert(s.to_string(), span);
                span
            }
        }
    }

    /// LEB128: seven bits a byte, low bits first, the high bit set on every byte but the last.
    fn varint(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.blob.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.blob.push(n as u8);
    }
}
