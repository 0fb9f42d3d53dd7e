//! [`Text`]: a catalog string that borrows from the embedded catalog when it can.
//!
//! A definition holds a thousand strings (names, Learn URLs, dates, meter filters); as `String`s
//! each was an allocation and a copy at start-up, most never read. A `Text` read from the
//! embedded catalog's string pool is a slice of it: the compact reader hands out slices of that
//! pool, and [`Text`]'s deserializer recognises them by address and keeps the `'static` slice
//! instead of copying. Any other source (TOML from a directory, a test) gives an owned string.

use super::embedded::POOL;
use serde::de::{self, Deserializer, Visitor};
use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

/// A string of the catalog: a slice of the embedded pool, or owned.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Cow<'static, str>);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `s` as a slice of [`POOL`] when it lies inside it (the compact reader's strings do).
    fn of(s: &str) -> Text {
        let (pool, at) = (POOL.as_ptr() as usize, s.as_ptr() as usize);
        match at.checked_sub(pool) {
            Some(start) if start + s.len() <= POOL.len() => match POOL.get(start..start + s.len()) {
                Some(slice) => Text(Cow::Borrowed(slice)),
                None => Text(Cow::Owned(s.to_string())),
            },
            _ => Text(Cow::Owned(s.to_string())),
        }
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

/// As a `String` prints, so that a definition's `Debug` text does not depend on where it was read.
impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Text {
    /// A literal of the program: borrowed, never copied.
    pub const fn borrowed(s: &'static str) -> Text {
        Text(Cow::Borrowed(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Cow::Owned(s))
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(Cow::Owned(s.to_string()))
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialOrd<String> for Text {
    fn partial_cmp(&self, other: &String) -> Option<std::cmp::Ordering> {
        Some((*self.0).cmp(other.as_str()))
    }
}

impl PartialOrd<str> for Text {
    fn partial_cmp(&self, other: &str) -> Option<std::cmp::Ordering> {
        Some((*self.0).cmp(other))
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> de::Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text, E> {
                Ok(Text::of(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_string(TextVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slice_of_the_pool_is_borrowed_and_anything_else_owned() {
        let inside = &POOL[..POOL.len().min(5)];
        assert!(matches!(Text::of(inside).0, Cow::Borrowed(s) if s == inside));
        let copy = inside.to_string();
        assert!(matches!(Text::of(&copy).0, Cow::Owned(ref s) if *s == copy));
        let catalog = crate::catalog::Catalog::embedded().unwrap();
        let def = catalog.service("storage").unwrap();
        assert!(matches!(def.name.0, Cow::Borrowed(_)), "the embedded catalog's strings are borrowed");
        let text: Text = "abc".into();
        assert_eq!(text, "abc");
        assert_eq!(format!("{text:?} {text}"), "\"abc\" abc");
    }
}
