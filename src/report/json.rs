//! `--format json`: one JSON document, money as strings, `schema_version: 1`.

use super::{present, source_text, PresentedDesign, PresentedService};
use crate::catalog::definitions::Charge;
use crate::estimate::Source;
use crate::money::round;
use crate::rules::Design;
use crate::Estimate;
use serde_json::{json, Value};

fn money(d: rust_decimal::Decimal) -> Value {
    Value::String(d.to_string())
}

fn service(s: &PresentedService) -> Value {
    let lines: Vec<Value> = s
        .lines
        .iter()
        .map(|l| {
            let (meter_id, effective, source) = match &l.line.source {
                Source::Meter { meter_id, effective, .. } => (json!(meter_id), json!(effective), source_text(&l.line.source)),
                Source::Documented { effective, .. } => (Value::Null, json!(effective), source_text(&l.line.source)),
                Source::NoPrice(_) => (Value::Null, Value::Null, source_text(&l.line.source)),
            };
            json!({
                "component": l.line.component,
                "key": l.line.key,
                "charge": if l.line.charge == Charge::Fixed { "fixed" } else { "usage" },
                "quantity": l.line.quantity.normalize().to_string(),
                "unit": l.line.unit,
                "unit_price": l.unit_price.map(|p| p.normalize().to_string()),
                "monthly": l.monthly.map(|m| m.to_string()),
                "priced": l.monthly.is_some(),
                "meter_id": meter_id,
                "effective": effective,
                "source": source,
                "note": l.line.note,
            })
        })
        .collect();
    json!({
        "name": s.service.name,
        "type": s.service.type_id,
        "tier": s.service.tier,
        "reason": s.service.reason,
        "fixed_monthly": money(s.fixed),
        "usage_monthly": money(s.usage),
        "total_monthly": money(s.fixed + s.usage),
        "unpriced_lines": s.unpriced,
        "lines": lines,
    })
}

fn design(p: &PresentedDesign, d: &Design, with_decisions: bool) -> Value {
    let mut v = json!({
        "fixed_monthly": money(p.fixed),
        "usage_monthly": money(p.usage),
        "total_monthly": money(p.total()),
        "fixed_share_percent": p.fixed_share().map(|s| s.to_string()),
        "complete": p.unpriced == 0,
        "unpriced_lines": p.unpriced,
        "services": p.services.iter().map(service).collect::<Vec<_>>(),
        "added": p.added.iter().map(service).collect::<Vec<_>>(),
    });
    if with_decisions {
        v["decisions"] = d
            .decisions
            .iter()
            .map(|dec| {
                let first = dec.evidence.first();
                json!({
                    "service": dec.service,
                    "type": dec.type_id,
                    "from": dec.from,
                    "to": dec.to,
                    "changed": dec.changed(),
                    "rule": dec.rule,
                    "needs": dec.needs,
                    "doc": first.map(|e| e.doc.clone()),
                    "as_of": first.map(|e| e.as_of.clone()),
                    "evidence": dec.evidence.iter().map(|e| json!({
                        "need": e.need, "rule": e.rule, "capability": e.capability, "doc": e.doc, "as_of": e.as_of,
                    })).collect::<Vec<_>>(),
                    "rejected": dec.rejected.iter().map(|r| json!({"tier": r.tier, "reason": r.reason})).collect::<Vec<_>>(),
                })
            })
            .collect();
    }
    v
}

pub fn render(est: &Estimate) -> Result<String, String> {
    let conv = &est.conversion;
    let rbac = present(&est.rbac, conv)?;
    let closed = present(&est.closed, conv)?;
    let meta = &est.snapshot.meta;
    let doc = json!({
        "schema_version": 1,
        "architecture": { "file": est.architecture.file, "name": est.architecture.name, "region": est.architecture.region },
        "pricing": {
            "snapshot": meta.name,
            "as_of": meta.as_of,
            "source": meta.source,
            "source_currency": meta.currency,
            "hours_per_month": meta.hours_per_month.to_string(),
            "currency": conv.currency.code(),
            "fx": {
                "rate": conv.rate.to_string(),
                "source": conv.source,
                "date": conv.date,
            },
            "rounding": format!("each line rounded half away from zero to {} decimal places; totals are sums of rounded lines", crate::money::minor_units(&conv.currency)),
        },
        "designs": {
            "rbac": design(&rbac, &est.rbac, false),
            "closed": design(&closed, &est.closed, true),
        },
        "delta_monthly": money(round(closed.total() - rbac.total(), &conv.currency)),
        "findings": est.findings.iter().map(|f| json!({
            "rule": f.rule,
            "slug": f.slug,
            "severity": f.severity.as_str(),
            "message": f.message,
            "file": est.architecture.file,
            "path": f.path,
            "line": f.loc.map(|l| l.line),
            "column": f.loc.map(|l| l.column),
            "doc": f.doc,
        })).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&doc).map(|s| s + "\n").map_err(|e| e.to_string())
}
