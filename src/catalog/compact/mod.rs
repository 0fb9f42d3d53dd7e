//! The compact form of the embedded catalog: each TOML file of `pricing/`, turned by `build.rs` into
//! tagged bytes that deserialize with the same serde types as the TOML, several times faster than
//! any text format (no scanning, no escapes, no number parsing) and without copying a string until
//! a field takes it.
//!
//! A value is one tag byte and its payload; numbers are LEB128 varints (seven bits a byte, low
//! bits first); a string is its offset in a separate UTF-8 pool (four bytes, little-endian) and its
//! length, each distinct string written once in the pool; a table key is an index into the list of
//! distinct keys:
//!
//! ```text
//! 0 false | 1 true | 2 integer (zigzag varint) | 3 string (offset, length)
//! 4 array (count, values) | 5 table (count, then key index and value, in key order)
//! 6 long array (count, length in bytes, values): an array of 64 values or more, which a reader
//!   steps over without reading it
//! ```
//!
//! Floats and dates have no tag: [`write::Writer`] refuses them, naming the key, so a catalog file
//! that holds one does not build.

pub mod write;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use std::fmt;

/// Bytes that are not a value of the compact form; the embedded catalog is written by build.rs and
/// checked against `pricing/` by the tests, so this means a bug in the writer or the reader.
#[derive(Clone, Debug, PartialEq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// The newtype name under which a type asks to be handed its value's position in the embedded
/// blob, to read the value later (the thousand virtual-machine sizes, `catalog::sizes`).
pub const RAW: &str = "$closednet::compact::raw";

/// A compact catalog: its values, their strings and the table keys.
#[derive(Clone, Copy)]
pub struct Parts<'a> {
    pub blob: &'a [u8],
    pub pool: &'a str,
    /// Each distinct table key, by index.
    pub keys: &'a [&'a str],
}

/// Deserializes the value at `parts.blob[start..]`.
pub fn from_parts<'a, T: de::Deserialize<'a>>(parts: Parts<'a>, start: usize) -> Result<T, Error> {
    let mut reader = Reader { parts, pos: start };
    T::deserialize(&mut reader)
}

/// A position in a compact value. Besides deserializing, it walks a value's structure without
/// building it (a price file's entries are indexed by key and region, and read when asked for).
pub struct Reader<'a> {
    parts: Parts<'a>,
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(parts: Parts<'a>, pos: usize) -> Reader<'a> {
        Reader { parts, pos }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    fn expect(&mut self, tag: u8, what: &str) -> Result<(), Error> {
        match self.byte()? {
            t if t == tag => Ok(()),
            t => Err(Error(format!("expected {what} at {}, found tag {t}", self.pos - 1))),
        }
    }

    /// A table's entry count; then each entry is [`Reader::key`] and a value.
    pub fn table(&mut self) -> Result<usize, Error> {
        self.expect(write::TABLE, "a table")?;
        self.count()
    }

    /// An array's length; then each element is a value.
    pub fn array(&mut self) -> Result<usize, Error> {
        match self.byte()? {
            write::ARRAY => self.count(),
            write::LONG_ARRAY => self.long_array().map(|(count, _)| count),
            t => Err(Error(format!("expected an array at {}, found tag {t}", self.pos - 1))),
        }
    }

    /// After the tag of a long array: its count and its length in bytes.
    fn long_array(&mut self) -> Result<(usize, usize), Error> {
        let count = self.count()?;
        Ok((count, self.count()?))
    }

    /// A string value.
    pub fn text(&mut self) -> Result<&'a str, Error> {
        self.expect(write::STRING, "a string")?;
        self.string()
    }

    /// An integer value.
    pub fn integer(&mut self) -> Result<i64, Error> {
        self.expect(write::INTEGER, "an integer")?;
        let z = self.varint()?;
        Ok(((z >> 1) as i64) ^ -((z & 1) as i64))
    }

    /// Moves past one value.
    pub fn skip(&mut self) -> Result<(), Error> {
        match self.byte()? {
            write::FALSE | write::TRUE => Ok(()),
            write::INTEGER => self.varint().map(drop),
            write::STRING => {
                self.pos += 4;
                self.count().map(drop)
            }
            write::ARRAY => (0..self.count()?).try_for_each(|_| self.skip()),
            write::LONG_ARRAY => {
                let (_, bytes) = self.long_array()?;
                let Some(end) = self.pos.checked_add(bytes).filter(|end| *end <= self.parts.blob.len()) else {
                    return Err(Error(format!("a long array past the end at {}", self.pos)));
                };
                self.pos = end;
                Ok(())
            }
            write::TABLE => (0..self.count()?).try_for_each(|_| self.key().and_then(|_| self.skip())),
            tag => Err(Error(format!("unknown tag {tag} at {}", self.pos - 1))),
        }
    }

    #[inline]
    fn byte(&mut self) -> Result<u8, Error> {
        match self.parts.blob.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(Error(format!("the value ends early at {}", self.pos))),
        }
    }

    /// Most numbers (counts, key indexes, lengths) take one byte.
    #[inline]
    fn varint(&mut self) -> Result<u64, Error> {
        match self.parts.blob.get(self.pos) {
            Some(&b) if b < 0x80 => {
                self.pos += 1;
                Ok(u64::from(b))
            }
            _ => self.long_varint(),
        }
    }

    fn long_varint(&mut self) -> Result<u64, Error> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(Error(format!("a number longer than 64 bits at {}", self.pos)))
    }

    #[inline]
    fn count(&mut self) -> Result<usize, Error> {
        usize::try_from(self.varint()?).map_err(|_| Error(format!("a count too large at {}", self.pos)))
    }

    fn slice(&self, start: usize, end: usize) -> Result<&'a str, Error> {
        let pool: &'a str = self.parts.pool;
        pool.get(start..end).ok_or_else(|| Error(format!("a string outside the pool at {} ({start}, {end})", self.pos)))
    }

    #[inline]
    fn string(&mut self) -> Result<&'a str, Error> {
        let offset = match self.parts.blob.get(self.pos..self.pos + 4) {
            Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]) as usize,
            _ => return Err(Error(format!("the value ends early at {}", self.pos))),
        };
        self.pos += 4;
        let end = offset.saturating_add(self.count()?);
        self.slice(offset, end)
    }

    /// A table entry's key.
    #[inline]
    pub fn key(&mut self) -> Result<&'a str, Error> {
        let i = self.count()?;
        let keys: &'a [&'a str] = self.parts.keys;
        keys.get(i).copied().ok_or_else(|| Error(format!("no key {i} at {}", self.pos)))
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.byte()? {
            write::FALSE => visitor.visit_bool(false),
            write::TRUE => visitor.visit_bool(true),
            write::INTEGER => {
                self.pos -= 1;
                visitor.visit_i64(self.integer()?)
            }
            write::STRING => visitor.visit_borrowed_str(self.string()?),
            write::ARRAY => {
                let left = self.count()?;
                visitor.visit_seq(Items { reader: self, left })
            }
            write::LONG_ARRAY => {
                let (left, _) = self.long_array()?;
                visitor.visit_seq(Items { reader: self, left })
            }
            write::TABLE => {
                let left = self.count()?;
                visitor.visit_map(Items { reader: self, left })
            }
            tag => Err(Error(format!("unknown tag {tag} at {}", self.pos - 1))),
        }
    }

    /// A key that is present has a value: TOML has no null.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    /// A type that asks for [`RAW`] gets, from the embedded blob, the position of its value instead
    /// of the value (which is skipped); from any other blob, the value.
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Error> {
        if name == RAW && std::ptr::eq(self.parts.blob, super::embedded::BLOB) {
            let at = self.pos;
            self.skip()?;
            return visitor.visit_u64(at as u64);
        }
        visitor.visit_newtype_struct(self)
    }

    /// The catalog's enums are unit variants written as strings (`charge = "fixed"`).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.byte()? {
            write::STRING => {
                let s = self.string()?;
                visitor.visit_enum(de::value::BorrowedStrDeserializer::new(s))
            }
            tag => Err(Error(format!("an enum must be a string, found tag {tag} at {}", self.pos - 1))),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct
        seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// The elements of an array or the entries of a table still to read.
struct Items<'r, 'a> {
    reader: &'r mut Reader<'a>,
    left: usize,
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.reader).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> de::MapAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let key = self.reader.key()?;
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(&mut *self.reader)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

#[cfg(test)]
mod tests {
    use super::write::{Refused, Writer};
    use super::*;
    use rust_decimal::Decimal;
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        name: String,
        #[serde(with = "rust_decimal::serde::str")]
        price: Decimal,
        rank: i64,
        on: bool,
        #[serde(default)]
        absent: Option<String>,
        tags: Vec<String>,
        map: BTreeMap<String, String>,
        charge: crate::catalog::definitions::Charge,
    }

    fn written(text: &str) -> Writer {
        let mut w = Writer::default();
        w.table(&toml::from_str(text).unwrap()).unwrap();
        w
    }

    fn keys(w: &Writer) -> Vec<&str> {
        w.keys.iter().map(|&(a, b)| &w.pool[a as usize..b as usize]).collect()
    }

    #[test]
    fn reads_back_what_the_writer_wrote_with_each_string_once() {
        let text = "name = \"a\"\nprice = \"0.0192\"\nrank = -300\non = true\ntags = [\"a\", \"b\"]\n\
                    map = { a = \"b\" }\ncharge = \"usage\"\n";
        let w = written(text);
        assert_eq!(w.pool, "chargeusagemapabnameonprice0.0192ranktags");
        assert_eq!(w.keys.len(), 8, "charge map a name on price rank tags");
        let sample: Sample = from_parts(Parts { blob: &w.blob, pool: &w.pool, keys: &keys(&w) }, 0).unwrap();
        let expected = Sample {
            name: "a".into(),
            price: Decimal::new(192, 4),
            rank: -300,
            on: true,
            absent: None,
            tags: vec!["a".into(), "b".into()],
            map: BTreeMap::from([("a".to_string(), "b".to_string())]),
            charge: crate::catalog::definitions::Charge::Usage,
        };
        assert_eq!(sample, expected);
        assert_eq!(sample, toml::from_str::<Sample>(text).unwrap());
    }

    #[test]
    fn an_unknown_key_is_refused_as_in_toml() {
        let w = written("name = \"a\"\nextra = 1\n");
        let err = from_parts::<Sample>(Parts { blob: &w.blob, pool: &w.pool, keys: &keys(&w) }, 0).unwrap_err();
        assert!(err.0.starts_with("unknown field `extra`"), "{err}");
    }

    #[test]
    fn cut_or_foreign_bytes_are_errors_not_panics() {
        type Tags = BTreeMap<String, Vec<String>>;
        let w = written("tags = [\"a\", \"bc\"]\n");
        assert_eq!(
            from_parts::<Tags>(Parts { blob: &w.blob, pool: &w.pool, keys: &keys(&w) }, 0).unwrap()["tags"],
            ["a", "bc"]
        );
        for end in 0..w.blob.len() {
            let cut = Parts { blob: &w.blob[..end], pool: &w.pool, keys: &keys(&w) };
            assert!(from_parts::<Tags>(cut, 0).is_err(), "cut at {end}");
        }
        fn raw<'a>(blob: &'a [u8], pool: &'a str) -> Parts<'a> {
            Parts { blob, pool, keys: &["a"] }
        }
        assert_eq!(from_parts::<Sample>(raw(&[9], ""), 0).unwrap_err(), Error("unknown tag 9 at 0".into()));
        assert_eq!(
            from_parts::<String>(raw(&[3, 5, 0, 0, 0, 1], "abc"), 0).unwrap_err(),
            Error("a string outside the pool at 6 (5, 6)".into())
        );
        assert_eq!(from_parts::<Tags>(raw(&[5, 1, 1], "a"), 0).unwrap_err(), Error("no key 1 at 3".into()));
        let long = [2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        assert_eq!(
            from_parts::<i64>(raw(&long, ""), 0).unwrap_err(),
            Error("a number longer than 64 bits at 11".into())
        );
    }

    #[test]
    fn floats_and_dates_are_refused_naming_the_key() {
        let table = toml::from_str("[[price]]\nkey = \"k\"\nbuckets = [{ from = \"0\", price = 0.01 }]\n").unwrap();
        assert_eq!(
            Writer::default().table(&table).unwrap_err().to_string(),
            "price[0].buckets[0].price = 0.01 is a TOML float; write it as a decimal string (\"0.01\") so that no \
             figure passes through binary floating point"
        );
        let table = toml::from_str("as_of = 2026-08-15\n").unwrap();
        assert_eq!(
            Writer::default().table(&table).unwrap_err(),
            Refused::Datetime { key: "as_of".into(), value: "2026-08-15".into() }
        );
    }

    /// An array of 64 values or more carries its length in bytes: it reads as any array, a skip
    /// steps over it at once, and a length past the end is an error.
    #[test]
    fn a_long_array_reads_as_an_array_and_is_stepped_over() {
        type Rows = BTreeMap<String, Vec<i64>>;
        let values: Vec<String> = (0..70).map(|i| (i * 1000).to_string()).collect();
        let w = written(&format!("a = [{}]\nb = [1, 2]\n", values.join(", ")));
        let keys = keys(&w);
        let parts = Parts { blob: &w.blob, pool: &w.pool, keys: &keys };
        let rows: Rows = from_parts(parts, 0).unwrap();
        assert_eq!((rows["a"].len(), rows["a"][69], &rows["b"]), (70, 69_000, &vec![1, 2]));
        // Table of 2, key 0, then the long array's tag, count and length in bytes.
        assert_eq!(w.blob[..3], [write::TABLE, 2, 0]);
        assert_eq!(w.blob[3..5], [write::LONG_ARRAY, 70]);
        let mut r = Reader::new(parts, 0);
        assert_eq!((r.table(), r.key()), (Ok(2), Ok("a")));
        r.skip().unwrap();
        assert_eq!(r.key(), Ok("b"));
        let mut cut = w.blob.clone();
        cut.truncate(cut.len() - 8);
        let parts = Parts { blob: &cut, pool: &w.pool, keys: &keys };
        let mut r = Reader::new(parts, 0);
        assert_eq!((r.table(), r.key()), (Ok(2), Ok("a")));
        assert!(r.skip().unwrap_err().0.starts_with("a long array past the end at"));
    }

    #[test]
    fn a_value_is_walked_without_building_it() {
        let w = written("a = [1, true, { b = \"x\" }]\nc = \"y\"\n");
        let keys = keys(&w);
        let mut r = Reader::new(Parts { blob: &w.blob, pool: &w.pool, keys: &keys }, 0);
        assert_eq!(r.table(), Ok(2));
        assert_eq!(r.key(), Ok("a"));
        r.skip().unwrap();
        assert_eq!((r.key(), r.text()), (Ok("c"), Ok("y")));
        assert_eq!(r.pos(), w.blob.len());
        assert_eq!(
            Reader::new(Parts { blob: &w.blob, pool: &w.pool, keys: &keys }, 0).array(),
            Err(Error("expected an array at 0, found tag 5".into()))
        );
    }

    #[test]
    fn integers_keep_their_sign_and_size() {
        for n in [0i64, 1, -1, 63, -64, 64, i64::MAX, i64::MIN] {
            let w = written(&format!("n = {n}\n"));
            let map: BTreeMap<String, i64> =
                from_parts(Parts { blob: &w.blob, pool: &w.pool, keys: &keys(&w) }, 0).unwrap();
            assert_eq!(map["n"], n);
        }
    }
}
