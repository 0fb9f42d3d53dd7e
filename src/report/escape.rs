//! Strings from the input (names, file names, addresses, sources, messages that quote them), made
//! safe for the format they are written into. A name is the architect's text, or a plan's, and a
//! report runs in terminals, CI logs and spreadsheets: a newline in a name must never start a line
//! of its own (where a CI runner would read `##vso[task.setvariable ...]` or `::add-mask::` as a
//! command), an escape sequence must not reach a terminal, and a cell must not become a formula.
//!
//! - [`text`]: terminals and CI logs (the table, `check`'s text, `diff`'s table, the import summary):
//!   control characters and bidirectional overrides as visible escapes (`\n`, `\u{1b}`), and the
//!   CI command prefixes `##vso[` and `##[` broken (Azure Pipelines reads them anywhere in a line).
//! - [`markdown`] and [`code`]: the same, and Markdown's own syntax (pipes, brackets, HTML).
//! - [`html`]: the same, as entities.
//! - [`csv`]: the same, and a leading `=`, `+`, `-`, `@`, tab or CR prefixed with `'`.
//! - [`cell`]: a workbook cell over Excel's 32,767 characters, truncated with a note.
//!
//! - [`json`]: JSON text (the serializer escapes control characters already): a `[` that opens a
//!   CI command written `\u005b`, which parses back to the same string.

use std::borrow::Cow;

use crate::escape::{escaped, opens_command};

pub use crate::escape::text;

/// For Markdown text (a table cell, a list item): [`text`], then pipes, brackets, backticks and
/// HTML escaped, so that a name cannot end a cell, open a link or a tag, or start a heading.
pub fn markdown(s: &str) -> String {
    let t = escaped(s, "[");
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '`' => out.push_str("\\`"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span holding `s` (a file name): backslashes do not escape inside one, so the
/// span is left out when `s` holds a backtick ([`markdown`] text instead).
pub fn code(s: &str) -> String {
    if s.contains('`') {
        return markdown(s);
    }
    format!("`{}`", text(s).replace('|', "\\|"))
}

/// For HTML text and attribute values: [`text`] and the four entities.
pub fn html(s: &str) -> String {
    let entities = s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    escaped(&entities, "&#91;").into_owned()
}

/// For a CSV cell: [`text`], and a cell a spreadsheet would take for a formula (a leading `=`,
/// `+`, `-`, `@`, tab or CR) prefixed with `'`, so that it reads as text.
pub fn csv(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let t = text(s);
    if formula { format!("'{t}") } else { t.into_owned() }
}

/// A JSON document with every `[` that would open a CI command (`##vso[`, `##[`) written as the
/// escape `\u005b`: the document parses to the same values, and a log that prints it runs nothing.
/// Only strings can hold such a `[`: a structural bracket never follows `#`.
pub fn json(doc: String) -> String {
    if !doc.contains("##") {
        return doc;
    }
    let mut out = String::with_capacity(doc.len() + 16);
    for (i, c) in doc.char_indices() {
        if c == '[' && opens_command(&doc, i) {
            out.push_str("\\u005b");
        } else {
            out.push(c);
        }
    }
    out
}

/// Excel's limit on a cell's text, in UTF-16 code units.
pub const CELL_LIMIT: usize = 32_767;

/// A workbook cell's text: [`text`]'s control characters kept (a cell holds them safely), but a
/// text over Excel's limit cut at a character boundary with a note saying how long it was.
pub fn cell(s: &str) -> Cow<'_, str> {
    let units: usize = s.chars().map(char::len_utf16).sum();
    if units <= CELL_LIMIT {
        return Cow::Borrowed(s);
    }
    let note = format!(
        " ... [truncated: the full text has {units} characters, over Excel's limit of {CELL_LIMIT}; the JSON report has all of it]"
    );
    let room = CELL_LIMIT - note.len();
    let mut kept = String::with_capacity(room);
    let mut used = 0;
    for c in s.chars() {
        if used + c.len_utf16() > room {
            break;
        }
        used += c.len_utf16();
        kept.push(c);
    }
    kept.push_str(&note);
    Cow::Owned(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VSO: &str = "fn\n##vso[task.setvariable variable=x]1";
    const MASK: &str = "st\n::add-mask::x";

    #[test]
    fn a_newline_never_survives_and_ci_prefixes_are_broken() {
        assert_eq!(text(VSO), "fn\\n##vso\\[task.setvariable variable=x]1");
        assert_eq!(text(MASK), "st\\n::add-mask::x");
        assert_eq!(text("a ##VSO[x] b ##[group]"), "a ##VSO\\[x] b ##\\[group]");
        assert_eq!(text("\u{1b}[2J\u{1b}]0;title\u{7}"), "\\u{1b}[2J\\u{1b}]0;title\\u{7}");
        assert_eq!(text("abc\u{202e}def"), "abc\\u{202e}def");
        assert!(matches!(text("plain [brackets] # and ## fine"), Cow::Borrowed(_)));
    }

    #[test]
    fn markdown_escapes_cells_links_tags_and_headings() {
        assert_eq!(markdown("a|b"), "a\\|b");
        assert_eq!(markdown("x\n## injected"), "x\\n## injected");
        assert_eq!(markdown("<img src=//evil.example/p.png>"), "&lt;img src=//evil.example/p.png&gt;");
        assert_eq!(markdown("[click](http://evil.example)"), "\\[click\\](http://evil.example)");
        assert_eq!(markdown(VSO), "fn\\n##vso\\[task.setvariable variable=x\\]1");
        assert_eq!(code("examples/a.yaml"), "`examples/a.yaml`");
        assert_eq!(code("a`b"), "a\\`b");
    }

    #[test]
    fn html_and_csv() {
        assert_eq!(html("<b>&\"\n##vso[x]"), "&lt;b&gt;&amp;&quot;\\n##vso&#91;x]");
        assert_eq!(csv("=HYPERLINK(\"http://evil.example\")"), "'=HYPERLINK(\"http://evil.example\")");
        for lead in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv(lead).starts_with('\''), "{lead}");
        }
        assert_eq!(csv("\rx"), "'\\rx");
        assert_eq!(csv("docs"), "docs");
    }

    #[test]
    fn json_keeps_its_values_and_breaks_ci_commands() {
        let doc = serde_json::to_string(&serde_json::json!({ "name": VSO, "list": ["##[group]x"] })).unwrap();
        let safe = json(doc);
        assert!(!safe.contains("##vso[") && !safe.contains("##["), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["name"], VSO);
        assert_eq!(back["list"][0], "##[group]x");
    }

    #[test]
    fn a_long_cell_is_cut_to_excels_limit_with_a_note() {
        let long = "é".repeat(40_000);
        let c = cell(&long);
        let units: usize = c.chars().map(char::len_utf16).sum();
        assert!(units <= CELL_LIMIT, "{units}");
        assert!(c.ends_with(
            "the full text has 40000 characters, over Excel's limit of 32767; the JSON report has all of it]"
        ));
        // Characters outside the basic plane count two units each, as Excel counts them.
        let wide = "😀".repeat(20_000);
        let units: usize = cell(&wide).chars().map(char::len_utf16).sum();
        assert!(units <= CELL_LIMIT);
        assert!(matches!(cell("short"), Cow::Borrowed(_)));
    }
}
