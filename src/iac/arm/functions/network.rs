//! IPv4 address-range functions: `parseCidr`, `cidrSubnet`, `cidrHost` (virtual network templates
//! compute subnet prefixes with them). IPv6 ranges are refused with an error.

use std::rc::Rc;

use super::{arity, int_arg, string_arg, unknown_args};
use crate::iac::arm::eval::Ctx;
use crate::iac::arm::failure::{Result, in_function};
use crate::iac::arm::value::Value;

pub(super) fn call(lname: &str, args: &[Value], _cx: &Ctx) -> Option<Result<Value>> {
    let f: fn(&[Value]) -> Result<Value> = match lname {
        "parsecidr" => parse_cidr,
        "cidrsubnet" => cidr_subnet,
        "cidrhost" => cidr_host,
        _ => return None,
    };
    if let Some(u) = unknown_args(args) {
        return Some(Ok(Value::unknown_from(u)));
    }
    Some(f(args))
}

/// `a.b.c.d/n` as (network address, prefix length).
fn range(f: &str, s: &str) -> Result<(u32, u32)> {
    let bad = || in_function(f, "the range must be an IPv4 CIDR like 10.0.0.0/16 (IPv6 is not supported)");
    let (addr, bits) = s.trim().split_once('/').ok_or_else(bad)?;
    let bits: u32 = bits.parse().ok().filter(|b| *b <= 32).ok_or_else(bad)?;
    let octets: Vec<u32> = addr
        .split('.')
        .map(|o| o.parse::<u8>().map(u32::from))
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| bad())?;
    let [a, b, c, d] = octets[..] else { return Err(bad()) };
    let ip = (a << 24) | (b << 16) | (c << 8) | d;
    Ok((ip & mask(bits), bits))
}

fn mask(bits: u32) -> u32 {
    if bits == 0 { 0 } else { u32::MAX << (32 - bits) }
}

fn dotted(ip: u32) -> Value {
    Value::str(format!("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255))
}

fn parse_cidr(args: &[Value]) -> Result<Value> {
    arity("parseCidr", args, 1, 1)?;
    let (net, bits) = range("parseCidr", string_arg("parseCidr", args, 0)?)?;
    let broadcast = net | !mask(bits);
    let (first, last) = if bits >= 31 { (net, broadcast) } else { (net + 1, broadcast - 1) };
    let members: Vec<(Rc<str>, Value)> = vec![
        ("network".into(), dotted(net)),
        ("netmask".into(), dotted(mask(bits))),
        ("broadcast".into(), dotted(broadcast)),
        ("firstUsable".into(), dotted(first)),
        ("lastUsable".into(), dotted(last)),
        ("cidr".into(), Value::Int(i64::from(bits))),
    ];
    Value::object(members)
}

fn cidr_subnet(args: &[Value]) -> Result<Value> {
    arity("cidrSubnet", args, 3, 3)?;
    let (net, bits) = range("cidrSubnet", string_arg("cidrSubnet", args, 0)?)?;
    let (new_bits, index) = (int_arg("cidrSubnet", args, 1)?, int_arg("cidrSubnet", args, 2)?);
    let new_bits = u32::try_from(new_bits).ok().filter(|n| (bits..=32).contains(n));
    let Some(new_bits) = new_bits else {
        return Err(in_function("cidrSubnet", "the new prefix length must lie between the range's and 32"));
    };
    let count = 1u64 << (new_bits - bits);
    let index = u64::try_from(index)
        .ok()
        .filter(|i| *i < count)
        .ok_or_else(|| in_function("cidrSubnet", "the subnet index is outside the range"))?;
    let size = 1u64 << (32 - new_bits);
    let start = u64::from(net) + index * size;
    Ok(Value::str(format!("{}/{new_bits}", dotted(start as u32).as_str().unwrap_or_default())))
}

/// The host `index` places after the network address (index 0 is the first usable address).
fn cidr_host(args: &[Value]) -> Result<Value> {
    arity("cidrHost", args, 2, 2)?;
    let (net, bits) = range("cidrHost", string_arg("cidrHost", args, 0)?)?;
    let index = int_arg("cidrHost", args, 1)?;
    let hosts = (1u64 << (32 - bits)).saturating_sub(2).max(1);
    let index = u64::try_from(index)
        .ok()
        .filter(|i| *i < hosts)
        .ok_or_else(|| in_function("cidrHost", "the host index is outside the range"))?;
    let offset = if bits >= 31 { index } else { index + 1 };
    Ok(dotted((u64::from(net) + offset) as u32))
}

#[cfg(test)]
mod tests {
    use crate::iac::arm::testing::eval_str;

    #[test]
    fn ranges() {
        assert_eq!(
            eval_str("[parseCidr('10.144.0.0/20')]"),
            r#"{"network":"10.144.0.0","netmask":"255.255.240.0","broadcast":"10.144.15.255","firstUsable":"10.144.0.1","lastUsable":"10.144.15.254","cidr":20}"#
        );
        assert_eq!(eval_str("[cidrSubnet('10.144.0.0/20', 24, 1)]"), "\"10.144.1.0/24\"");
        assert_eq!(eval_str("[cidrSubnet('10.0.0.0/16', 26, 5)]"), "\"10.0.1.64/26\"");
        assert_eq!(eval_str("[cidrHost('10.144.3.0/24', 0)]"), "\"10.144.3.1\"");
        assert_eq!(
            eval_str("[cidrSubnet('10.0.0.0/16', 8, 0)]"),
            "error: function 'cidrSubnet': the new prefix length must lie between the range's and 32"
        );
        assert_eq!(
            eval_str("[parseCidr('fd00::/8')]"),
            "error: function 'parseCidr': the range must be an IPv4 CIDR like 10.0.0.0/16 (IPv6 is not supported)"
        );
    }
}
