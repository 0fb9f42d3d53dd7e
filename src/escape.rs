//! Text from the input made safe for a terminal or a CI log: control characters and bidirectional
//! overrides shown as visible escapes (`\n`, `\u{1b}`), and the CI command prefixes `##vso[` and
//! `##[` broken, so that a name with a newline cannot start a line of its own where a runner would
//! read a logging command. The lowest floor: error messages use it, and so does every report format
//! (`report::escape` adds each format's own rules).

use std::borrow::Cow;

/// Bidirectional formatting characters (embeddings, overrides, isolates): shown escaped, so that a
/// name cannot reorder the text around it.
fn bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

pub(crate) fn needs_escape(c: char) -> bool {
    c.is_control() || bidi(c)
}

/// A control or bidirectional character as visible text.
pub(crate) fn visible(c: char, out: &mut String) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
    }
}

/// Where `s` (at byte `i`, a `[`) closes a CI command prefix: `##[` or `##vso[` (any case).
pub(crate) fn opens_command(s: &str, i: usize) -> bool {
    // Bytes, not `str`: five bytes back may fall inside a multi-byte character.
    let before = &s.as_bytes()[..i];
    before.ends_with(b"##") || (before.len() >= 5 && before[before.len() - 5..].eq_ignore_ascii_case(b"##vso"))
}

/// `s` with control characters visible and each `[` that would open a CI command replaced by
/// `bracket`; borrowed when there is nothing to change (the common case).
pub(crate) fn escaped<'a>(s: &'a str, bracket: &str) -> Cow<'a, str> {
    // Printable ASCII without a bracket, the common case, is checked a byte at a time.
    if s.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'[') {
        return Cow::Borrowed(s);
    }
    let risky = |(i, c): (usize, char)| needs_escape(c) || (c == '[' && opens_command(s, i));
    if !s.char_indices().any(risky) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        if needs_escape(c) {
            visible(c, &mut out);
        } else if c == '[' && opens_command(s, i) {
            out.push_str(bracket);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// For a terminal or a CI log.
pub fn text(s: &str) -> Cow<'_, str> {
    escaped(s, "\\[")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bracket_after_a_wide_character_is_not_a_slice_inside_it() {
        // Found by `properties::arbitrary_text_never_panics`: five bytes before `[` fell inside '𞹗'.
        assert_eq!(text("0\u{1ee57} A[:"), "0\u{1ee57} A[:");
        assert_eq!(text("é##vso[task"), "é##vso\\[task");
        assert_eq!(text("𞹗##[x"), "𞹗##\\[x");
    }
}
