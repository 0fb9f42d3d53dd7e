//! Where each resource change sits in the file, for `Resource.line` and error positions. A parsed
//! `serde_json::Value` keeps no positions, so one pass over the bytes of well-formed JSON finds
//! the top-level `resource_changes` array and, for each of its elements, the line of its
//! `"address"` key (of the element's `{` until that key is seen). `terraform show -json` writes
//! one line, so every line is 1 there; pretty-printed plans get their real lines.

/// The 1-based line of each `resource_changes[i]` (objects or not), in order (shorter than the array only if the
/// text is not the JSON that was parsed).
pub fn resource_change_lines(text: &str) -> Vec<u64> {
    let b = text.as_bytes();
    let mut lines = Vec::new();
    let mut line = 1u64;
    // Open containers: b'{' or b'['.
    let mut stack: Vec<u8> = Vec::new();
    let mut expect_key = false;
    let mut last_key: (usize, usize) = (0, 0);
    let mut rc_depth: Option<usize> = None;
    let mut pending_rc = false;
    // Inside `resource_changes`, before an element's first byte.
    let mut element_next = false;
    let mut i = 0;
    while i < b.len() {
        if element_next && rc_depth == Some(stack.len()) && !b[i].is_ascii_whitespace() && b[i] != b']' {
            lines.push(line);
            element_next = false;
        }
        match b[i] {
            b'\n' => line += 1,
            b'"' => {
                let start = i + 1;
                i = string_end(b, start);
                if expect_key {
                    last_key = (start, i);
                    expect_key = false;
                }
            }
            b':' => {
                let key = &b[last_key.0..last_key.1];
                if stack.len() == 1 && key == b"resource_changes" {
                    pending_rc = true;
                } else if rc_depth.is_some_and(|d| stack.len() == d + 1)
                    && key == b"address"
                    && let Some(l) = lines.last_mut()
                {
                    *l = line;
                }
            }
            open @ (b'{' | b'[') => {
                stack.push(open);
                expect_key = open == b'{';
                if pending_rc {
                    pending_rc = false;
                    rc_depth = (open == b'[').then_some(stack.len());
                    element_next = true;
                }
            }
            b'}' | b']' => {
                if rc_depth == Some(stack.len()) {
                    return lines;
                }
                stack.pop();
            }
            b',' => {
                expect_key = stack.last() == Some(&b'{');
                element_next = rc_depth == Some(stack.len());
            }
            _ => {
                if pending_rc && !b[i].is_ascii_whitespace() {
                    pending_rc = false;
                }
            }
        }
        i += 1;
    }
    lines
}

/// The index of the closing quote of a string whose content starts at `i`.
fn string_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'"' => return i,
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_change_gets_the_line_of_its_address() {
        let text = r#"{
  "planned_values": {"root_module": {"resources": [{"address": "a.b"}]}},
  "resource_changes": [
    {
      "type": "a",
      "address": "a.b",
      "change": {"after": {"address": "x\"}{", "nested": [{"address": 1}]}}
    },
    {"address": "a.c"},
    7,
    {
      "mode": "managed"
    }
  ],
  "configuration": {"root_module": {"resources": [{"address": "a.b"}]}}
}"#;
        assert_eq!(resource_change_lines(text), vec![6, 9, 10, 11]);
        assert_eq!(resource_change_lines(r#"{"resource_changes":[{"address":"a"},{"address":"b"}]}"#), vec![1, 1]);
        assert_eq!(resource_change_lines(r#"{"resource_changes":null}"#), Vec::<u64>::new());
    }
}
