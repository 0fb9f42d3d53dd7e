//! `format(formatString, args...)`: .NET composite formatting, as Azure uses it: `{0}`, alignment
//! `{0,5}` / `{0,-5}`, `{{` and `}}` for braces, and for integers the format strings `D`, `N`, `X`
//! and `F` with an optional precision (`{2:N0}` gives `8,175,133`).

use super::{labelled, unknown_args};
use crate::iac::arm::eval::Ctx;
use crate::iac::arm::failure::{Result, in_function};
use crate::iac::arm::limits::check_string_len;
use crate::iac::arm::value::{Value, to_text};

pub(super) fn call(lname: &str, args: &[Value], _cx: &Ctx) -> Option<Result<Value>> {
    (lname == "format").then(|| format(args))
}

fn format(args: &[Value]) -> Result<Value> {
    let Some(Value::Str(pattern)) = args.first() else {
        if let Some(u) = unknown_args(args) {
            return Ok(Value::unknown_from(u));
        }
        return Err(in_function("format", "the first argument must be the format string"));
    };
    let rest = &args[1..];
    if unknown_args(rest).is_some() {
        // A label only when every unknown argument has one and is used plainly.
        return Ok(labelled(args, |texts| {
            let known: Vec<Value> = texts[1..].iter().map(|t| Value::str(t.as_ref())).collect();
            render(pattern, &known).ok()
        }));
    }
    render(pattern, rest).map(Value::str)
}

fn render(pattern: &str, args: &[Value]) -> Result<String> {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut item = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) if item.len() < 64 => item.push(c),
                        _ => return Err(in_function("format", "a format item is not closed with '}'")),
                    }
                }
                format_item(&item, args, &mut out)?;
                check_string_len("format", out.len())?;
            }
            '}' => return Err(in_function("format", "a '}' has no matching '{' (write '}}' for a brace)")),
            c => out.push(c),
        }
    }
    Ok(out)
}

fn format_item(item: &str, args: &[Value], out: &mut String) -> Result<()> {
    let (head, spec) = item.split_once(':').map_or((item, None), |(h, s)| (h, Some(s)));
    let (index, align) = head.split_once(',').map_or((head, None), |(i, a)| (i, Some(a)));
    let index: usize =
        index.trim().parse().map_err(|_| in_function("format", "a format item must start with an argument number"))?;
    let Some(arg) = args.get(index) else {
        return Err(in_function(
            "format",
            format!("the format string uses argument {index}, but only {} are given", args.len()),
        ));
    };
    let text = match (spec, arg) {
        (Some(spec), Value::Int(n)) => number(*n, spec)?,
        _ => {
            let mut s = String::new();
            to_text(arg, &mut s).map_err(|_| in_function("format", "could not write the text"))?;
            s
        }
    };
    let width: i64 = match align {
        Some(a) => a.trim().parse().map_err(|_| in_function("format", "the alignment must be an integer"))?,
        None => 0,
    };
    let pad = (width.unsigned_abs() as usize).saturating_sub(text.chars().count());
    check_string_len("format", pad)?;
    if width > 0 {
        out.push_str(&" ".repeat(pad));
    }
    out.push_str(&text);
    if width < 0 {
        out.push_str(&" ".repeat(pad));
    }
    Ok(())
}

/// .NET standard numeric format strings for integers: D (digits), N (grouped), X (hex), F (fixed).
fn number(n: i64, spec: &str) -> Result<String> {
    let mut chars = spec.chars();
    let kind = chars.next().unwrap_or('G');
    let digits = chars.as_str();
    let precision: Option<usize> = if digits.is_empty() {
        None
    } else {
        Some(
            digits
                .parse()
                .ok()
                .filter(|p| *p <= 99)
                .ok_or_else(|| in_function("format", "the precision must be 0 to 99"))?,
        )
    };
    let sign = if n < 0 { "-" } else { "" };
    let abs = n.unsigned_abs();
    Ok(match kind {
        'D' | 'd' => format!("{sign}{abs:0width$}", width = precision.unwrap_or(1)),
        'X' => format!("{n:0width$X}", width = precision.unwrap_or(1)),
        'x' => format!("{n:0width$x}", width = precision.unwrap_or(1)),
        'N' | 'n' => format!("{sign}{}{}", grouped(abs), fraction(precision.unwrap_or(2))),
        'F' | 'f' => format!("{sign}{abs}{}", fraction(precision.unwrap_or(2))),
        'G' | 'g' => n.to_string(),
        _ => {
            return Err(in_function(
                "format",
                format!("the number format '{kind}' is not supported (D, N, X, F, G are)"),
            ));
        }
    })
}

fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn fraction(precision: usize) -> String {
    if precision == 0 { String::new() } else { format!(".{}", "0".repeat(precision)) }
}

#[cfg(test)]
mod tests {
    use crate::iac::arm::testing::eval_str;

    #[test]
    fn composite_formatting() {
        assert_eq!(
            eval_str("[format('{0}, {1}. Formatted number: {2:N0}', 'Hello', 'User', 8175133)]"),
            "\"Hello, User. Formatted number: 8,175,133\""
        );
        assert_eq!(eval_str("[format('{0}/{1}-{0}', 'a', 2)]"), "\"a/2-a\"");
        assert_eq!(eval_str("[format('{{{0}}}', true)]"), "\"{True}\"");
        assert_eq!(eval_str("[format('{0:D3}|{0,4}|{0,-4}|{1:X}', 7, 255)]"), "\"007|   7|7   |FF\"");
        assert_eq!(eval_str("[format('{0:N2}', -1234)]"), "\"-1,234.00\"");
        assert_eq!(
            eval_str("[format('{1}', 'a')]"),
            "error: function 'format': the format string uses argument 1, but only 1 are given"
        );
    }
}
