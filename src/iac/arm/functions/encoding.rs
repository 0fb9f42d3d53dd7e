//! Encodings and hashes: `base64`, `base64ToString`, `base64ToJson`, `dataUri`,
//! `dataUriToString`, `uri`, `uriComponent`, `uriComponentToString`, `uniqueString`, `guid`,
//! `newGuid`.
//!
//! `uniqueString` and `guid` are stable opaque values (SHA-256 of the arguments), not Azure's
//! hashes: a name built from them reads like the deployed one (13 lower-case characters; a GUID)
//! and is the same wherever the template computes it from the same arguments, which is what
//! matching resources to their references needs. An unknown argument with a label gives a
//! labelled result, so a name built from a placeholder still matches its references.

use sha2::{Digest, Sha256};

use super::{arity, labelled, string_arg, text_or_label, unknown_args};
use crate::iac::arm::eval::Ctx;
use crate::iac::arm::failure::{Result, in_function};
use crate::iac::arm::json;
use crate::iac::arm::limits::check_string_len;
use crate::iac::arm::value::Value;

pub(super) fn call(lname: &str, args: &[Value], _cx: &Ctx) -> Option<Result<Value>> {
    let hashing: Option<fn(&[&str]) -> String> = match lname {
        "uniquestring" => Some(unique_string),
        "guid" => Some(guid),
        _ => None,
    };
    if let Some(hash) = hashing {
        return Some(hashed(lname, args, hash));
    }
    let f: fn(&[Value]) -> Result<Value> = match lname {
        "newguid" => |a| arity("newGuid", a, 0, 0).map(|()| Value::str(guid(&["newGuid"]))),
        "base64" => base64,
        "base64tostring" => base64_to_string,
        "base64tojson" => base64_to_json,
        "datauri" => data_uri,
        "datauritostring" => data_uri_to_string,
        "uri" => uri,
        "uricomponent" => uri_component,
        "uricomponenttostring" => uri_component_to_string,
        _ => return None,
    };
    if let Some(u) = unknown_args(args) {
        return Some(Ok(Value::unknown_from(u)));
    }
    Some(f(args))
}

fn hashed(lname: &str, args: &[Value], hash: fn(&[&str]) -> String) -> Result<Value> {
    let display = if lname == "guid" { "guid" } else { "uniqueString" };
    arity(display, args, 1, usize::MAX)?;
    if unknown_args(args).is_some() {
        return Ok(labelled(args, |texts| {
            let t: Vec<&str> = texts.iter().map(|c| c.as_ref()).collect();
            Some(hash(&t))
        }));
    }
    let texts = args
        .iter()
        .map(|a| {
            text_or_label(a)
                .ok_or_else(|| in_function(display, format!("arguments must be strings, not {}", a.kind_name())))
        })
        .collect::<Result<Vec<_>>>()?;
    let t: Vec<&str> = texts.iter().map(|c| c.as_ref()).collect();
    Ok(Value::str(hash(&t)))
}

fn digest(kind: &str, parts: &[&str]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    for p in parts {
        h.update([0u8]);
        h.update(p.as_bytes());
    }
    h.finalize().into()
}

fn unique_string(parts: &[&str]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let d = digest("uniqueString", parts);
    let mut bits: u128 = 0;
    for b in &d[..9] {
        bits = (bits << 8) | u128::from(*b);
    }
    (0..13).map(|i| ALPHABET[((bits >> (67 - 5 * (i + 1))) & 31) as usize] as char).collect()
}

fn guid(parts: &[&str]) -> String {
    let mut b: [u8; 16] = [0; 16];
    b.copy_from_slice(&digest("guid", parts)[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn encode64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn decode64(f: &str, s: &str) -> Result<Vec<u8>> {
    let bad = || in_function(f, "the value is not base64");
    let clean: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let body = clean.strip_suffix(b"==").or_else(|| clean.strip_suffix(b"=")).unwrap_or(&clean);
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &c in body {
        let v = B64.iter().position(|&x| x == c).ok_or_else(bad)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

fn base64(args: &[Value]) -> Result<Value> {
    arity("base64", args, 1, 1)?;
    let s = string_arg("base64", args, 0)?;
    check_string_len("base64", s.len() / 3 * 4 + 4)?;
    Ok(Value::str(encode64(s.as_bytes())))
}

fn text_of(f: &str, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|_| in_function(f, "the decoded bytes are not UTF-8 text"))
}

fn base64_to_string(args: &[Value]) -> Result<Value> {
    arity("base64ToString", args, 1, 1)?;
    let bytes = decode64("base64ToString", string_arg("base64ToString", args, 0)?)?;
    text_of("base64ToString", bytes).map(Value::str)
}

fn base64_to_json(args: &[Value]) -> Result<Value> {
    arity("base64ToJson", args, 1, 1)?;
    let text = text_of("base64ToJson", decode64("base64ToJson", string_arg("base64ToJson", args, 0)?)?)?;
    let node =
        json::parse(&text).map_err(|e| in_function("base64ToJson", format!("the text is not JSON ({})", e.message)))?;
    Value::from_json(&node)
}

fn data_uri(args: &[Value]) -> Result<Value> {
    arity("dataUri", args, 1, 1)?;
    let s = string_arg("dataUri", args, 0)?;
    check_string_len("dataUri", s.len() / 3 * 4 + 40)?;
    Ok(Value::str(format!("data:text/plain;charset=utf8;base64,{}", encode64(s.as_bytes()))))
}

fn data_uri_to_string(args: &[Value]) -> Result<Value> {
    arity("dataUriToString", args, 1, 1)?;
    let s = string_arg("dataUriToString", args, 0)?;
    let Some((head, data)) = s.strip_prefix("data:").and_then(|r| r.split_once(',')) else {
        return Err(in_function("dataUriToString", "the value is not a data URI"));
    };
    let bytes = if head.ends_with(";base64") {
        decode64("dataUriToString", data)?
    } else {
        percent_decode("dataUriToString", data)?
    };
    text_of("dataUriToString", bytes).map(Value::str)
}

/// Combines a base URI and a relative one as Azure documents: a base ending in `/` is kept whole,
/// otherwise its last segment is replaced.
fn uri(args: &[Value]) -> Result<Value> {
    arity("uri", args, 2, 2)?;
    let (base, rel) = (string_arg("uri", args, 0)?, string_arg("uri", args, 1)?);
    if rel.contains("://") {
        return Ok(Value::str(rel));
    }
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let out = if let Some(path) = rel.strip_prefix('/') {
        let host_end = base[authority_end..].find('/').map_or(base.len(), |i| authority_end + i);
        format!("{}/{path}", &base[..host_end])
    } else if base.ends_with('/') {
        format!("{base}{rel}")
    } else {
        match base[authority_end..].rfind('/') {
            Some(i) => format!("{}/{rel}", &base[..authority_end + i]),
            None => format!("{base}/{rel}"),
        }
    };
    check_string_len("uri", out.len())?;
    Ok(Value::str(out))
}

fn uri_component(args: &[Value]) -> Result<Value> {
    arity("uriComponent", args, 1, 1)?;
    let s = string_arg("uriComponent", args, 0)?;
    check_string_len("uriComponent", s.len().saturating_mul(3))?;
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(Value::str(out))
}

fn percent_decode(f: &str, s: &str) -> Result<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            out.push(hex.ok_or_else(|| in_function(f, "the value has an invalid % escape"))?);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    Ok(out)
}

fn uri_component_to_string(args: &[Value]) -> Result<Value> {
    arity("uriComponentToString", args, 1, 1)?;
    let bytes = percent_decode("uriComponentToString", string_arg("uriComponentToString", args, 0)?)?;
    text_of("uriComponentToString", bytes).map(Value::str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::arm::testing::eval_str;

    #[test]
    fn documented_examples() {
        assert_eq!(eval_str("[base64('one, two, three')]"), "\"b25lLCB0d28sIHRocmVl\"");
        assert_eq!(eval_str("[base64ToString('b25lLCB0d28sIHRocmVl')]"), "\"one, two, three\"");
        assert_eq!(eval_str("[base64ToJson(base64('{\"one\": \"a\", \"two\": \"b\"}'))]"), r#"{"one":"a","two":"b"}"#);
        assert_eq!(eval_str("[dataUri('Hello')]"), "\"data:text/plain;charset=utf8;base64,SGVsbG8=\"");
        assert_eq!(eval_str("[dataUriToString('data:;base64,SGVsbG8sIFdvcmxkIQ==')]"), "\"Hello, World!\"");
        assert_eq!(
            eval_str("[uri('http://contoso.org/firstpath', 'myscript.sh')]"),
            "\"http://contoso.org/myscript.sh\""
        );
        assert_eq!(
            eval_str("[uri('http://contoso.org/firstpath/', 'myscript.sh')]"),
            "\"http://contoso.org/firstpath/myscript.sh\""
        );
        assert_eq!(
            eval_str("[uri('http://contoso.org/firstpath/azuredeploy.json', 'myscript.sh')]"),
            "\"http://contoso.org/firstpath/myscript.sh\""
        );
        assert_eq!(eval_str("[uri('http://contoso.org', 'a.sh')]"), "\"http://contoso.org/a.sh\"");
        assert_eq!(
            eval_str("[uriComponent('http://contoso.com/resources/nested/azuredeploy.json')]"),
            "\"http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json\""
        );
        assert_eq!(eval_str("[uriComponentToString('http%3A%2F%2Fcontoso.com')]"), "\"http://contoso.com\"");
    }

    #[test]
    fn stable_opaque_hashes() {
        let a = eval_str("[uniqueString(resourceGroup().id)]");
        assert_eq!(a.len(), 15, "13 characters and quotes");
        assert!(a.trim_matches('"').bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b)));
        assert_eq!(a, eval_str("[uniqueString(resourceGroup().id)]"));
        assert_ne!(a, eval_str("[uniqueString(resourceGroup().id, 'x')]"));
        let g = eval_str("[guid('a', 'b')]");
        assert_eq!(g.len(), 38);
        assert_eq!(&g[15..16], "5", "version 5 form");
        assert_ne!(eval_str("[guid('a', 'b')]"), eval_str("[guid('ab')]"));
        assert_eq!(unique_string(&["x"]), unique_string(&["x"]));
        assert_eq!(encode64(b"ab"), "YWI=");
        assert_eq!(decode64("t", "YWI=").unwrap(), b"ab");
    }
}
