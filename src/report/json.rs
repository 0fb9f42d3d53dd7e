//! `--format json`: one JSON document, money as strings, `schema_version: 1`.

use super::{PresentedDesign, PresentedService, RequirementRow, by_requirement, present, source_text};
use crate::Estimate;
use crate::catalog::definitions::Charge;
use crate::estimate::Source;
use crate::money::round;
use crate::rules::Design;
use serde_json::{Value, json};

/// Money as a string with the currency's decimal places (`"2795.17"`, `"419276"`).
fn money(d: rust_decimal::Decimal, dp: usize) -> Value {
    Value::String(format!("{d:.dp$}"))
}

fn service(s: &PresentedService, dp: usize, conv: &crate::money::Conversion) -> Value {
    let lines: Vec<Value> = s
        .lines
        .iter()
        .map(|l| {
            let (meter_id, effective, source) = match &l.line.source {
                Source::Meter { meter_id, effective, .. } => {
                    (json!(meter_id), json!(effective), source_text(&l.line.source))
                }
                Source::Documented { effective, .. } => (Value::Null, json!(effective), source_text(&l.line.source)),
                Source::NoPrice(_) | Source::Provided { .. } | Source::Stated(_) | Source::Yours { .. } => {
                    (Value::Null, Value::Null, source_text(&l.line.source))
                }
            };
            json!({
                "component": l.line.component,
                "key": l.line.key,
                "charge": if l.line.charge == Charge::Fixed { "fixed" } else { "usage" },
                "quantity": l.line.quantity.normalize().to_string(),
                "unit": l.line.unit,
                // In the report currency (like every other amount here), and at source in USD.
                "unit_price": l.unit_price.map(|p| p.normalize().to_string()),
                "unit_price_usd": l.line.unit_price.map(|p| p.normalize().to_string()),
                "monthly": l.monthly.map(|m| money(m, dp)),
                "list_monthly": l.list.map(|m| money(m, dp)),
                "discount_percent": l.line.discount.map(|p| p.normalize().to_string()),
                "priced": l.monthly.is_some(),
                "meter_id": meter_id,
                "effective": effective,
                "source": source,
                "note": l.line.note(),
                "commitment": l.line.commitment.map(|c| c.id()),
                "savings_plan": l.plans.map(|[payg, one, three]| json!({
                    "payg_monthly": payg.map(|m| money(m, dp)),
                    "savings_1y_monthly": one.map(|m| money(m, dp)),
                    "savings_3y_monthly": three.map(|m| money(m, dp)),
                })),
                "your_figure": match &l.line.source {
                    Source::Yours { source, list } => json!({
                        "source": source,
                        "list_monthly": l.catalog.map(|m| money(m, dp)),
                        "list_unit_price": list.as_ref().and_then(|x| x.unit_price).map(|p| p.normalize().to_string()),
                        "list_source": list.as_ref().map(|x| source_text(&x.source)),
                    }),
                    _ => Value::Null,
                },
                "provided": match &l.line.source {
                    Source::Provided { reason, would_cost } => json!({
                        "reason": reason,
                        "would_cost_monthly": would_cost.and_then(|w| conv.present(w).ok()).map(|w| money(w, dp)),
                    }),
                    _ => Value::Null,
                },
            })
        })
        .collect();
    json!({
        "name": s.service.name,
        "type": s.service.type_id,
        "tier": s.service.tier,
        "reason": s.service.reason,
        "requirement": s.service.requirement.map(|r| r.id()),
        "fixed_monthly": money(s.fixed, dp),
        "usage_monthly": money(s.usage, dp),
        "total_monthly": money(s.fixed + s.usage, dp),
        "unpriced_lines": s.unpriced,
        "lines": lines,
    })
}

fn requirement_rows(rows: &[RequirementRow], dp: usize) -> Value {
    rows.iter()
        .map(|r| {
            json!({
                "requirement": r.requirement.id(),
                "label": r.requirement.label(),
                "fixed_monthly": money(r.fixed, dp),
                "usage_monthly": money(r.usage, dp),
                "total_monthly": money(r.total(), dp),
                "share": r.share.map(|s| s.to_string()),
                "saving_if_dropped_monthly": money(r.saving, dp),
                "provided_lines": r.provided,
                "unpriced_lines": r.unpriced,
            })
        })
        .collect()
}

/// An array member: its key, its length, and how to build element `i` when it is written.
type LazyArray<'a> = (&'static str, usize, Box<dyn Fn(usize) -> Value + 'a>);

/// A JSON object written member by member, in key order (as a `Value` map is): plain members are
/// values, `arrays` are built one element at a time as they are written, so a 20,000-service report
/// never holds its whole document tree in memory.
struct Object<'a> {
    values: serde_json::Map<String, Value>,
    arrays: Vec<LazyArray<'a>>,
    objects: Vec<(&'static str, Object<'a>)>,
}

impl Object<'_> {
    fn new(values: Value) -> Self {
        let values = match values {
            Value::Object(m) => m,
            _ => serde_json::Map::new(),
        };
        Object { values, arrays: Vec::new(), objects: Vec::new() }
    }
}

impl serde::Serialize for Object<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        struct Array<'b, 'a>(&'b LazyArray<'a>);
        impl serde::Serialize for Array<'_, '_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let (_, len, element) = self.0;
                let mut seq = serializer.serialize_seq(Some(*len))?;
                for i in 0..*len {
                    seq.serialize_element(&element(i))?;
                }
                seq.end()
            }
        }
        enum Member<'b, 'a> {
            Value(&'b Value),
            Array(Array<'b, 'a>),
            Object(&'b Object<'a>),
        }
        let mut members: Vec<(&str, Member)> =
            self.values.iter().map(|(k, v)| (k.as_str(), Member::Value(v))).collect();
        members.extend(self.arrays.iter().map(|a| (a.0, Member::Array(Array(a)))));
        members.extend(self.objects.iter().map(|(k, o)| (*k, Member::Object(o))));
        members.sort_by(|a, b| a.0.cmp(b.0));
        let mut map = serializer.serialize_map(Some(members.len()))?;
        for (key, member) in &members {
            match member {
                Member::Value(v) => map.serialize_entry(key, v)?,
                Member::Array(a) => map.serialize_entry(key, a)?,
                Member::Object(o) => map.serialize_entry(key, o)?,
            }
        }
        map.end()
    }
}

fn design<'a>(
    p: &'a PresentedDesign,
    d: &'a Design,
    rows: Option<&[RequirementRow]>,
    dp: usize,
    conv: &'a crate::money::Conversion,
) -> Object<'a> {
    let mut v = json!({
        "fixed_monthly": money(p.fixed, dp),
        "usage_monthly": money(p.usage, dp),
        "total_monthly": money(p.total(), dp),
        "list_monthly": money(p.list, dp),
        "fixed_share_percent": p.fixed_share().map(|s| s.to_string()),
        "complete": p.unpriced == 0,
        "unpriced_lines": p.unpriced,
    });
    if let Some(rows) = rows {
        v["by_requirement"] = requirement_rows(rows, dp);
    }
    let mut o = Object::new(v);
    o.arrays.push(("services", p.services.len(), Box::new(move |i| service(&p.services[i], dp, conv))));
    o.arrays.push(("added", p.added.len(), Box::new(move |i| service(&p.added[i], dp, conv))));
    if rows.is_some() {
        o.arrays.push(("decisions", d.decisions.len(), Box::new(move |i| decision(&d.decisions[i]))));
    }
    o
}

fn decision(dec: &crate::rules::Decision) -> Value {
    // The documentation behind the rule that forced the bump, else the first need's.
    let first = dec.evidence.iter().find(|e| Some(&e.rule) == dec.rule.as_ref()).or(dec.evidence.first());
    json!({
        "service": dec.service,
        "type": dec.type_id,
        "from": dec.from,
        "to": dec.to,
        "changed": dec.changed(),
        "rule": dec.rule,
        "needs": dec.needs.describe(),
        "doc": first.map(|e| e.doc),
        "as_of": first.map(|e| e.as_of),
        "evidence": dec.evidence.iter().map(|e| json!({
            "need": e.need, "rule": e.rule, "capability": e.capability, "doc": e.doc, "as_of": e.as_of,
        })).collect::<Vec<_>>(),
        "rejected": dec.rejected.iter().map(|r| json!({"tier": r.tier, "reason": r.reason.to_string()})).collect::<Vec<_>>(),
    })
}

pub fn render(est: &Estimate) -> Result<String, String> {
    let conv = &est.conversion;
    let dp = crate::money::minor_units(&conv.currency) as usize;
    let rbac = present(&est.rbac, conv)?;
    let closed = present(&est.closed, conv)?;
    let rows = by_requirement(&est.closed, &rbac, &closed, conv)?;
    let meta = &est.snapshot.meta;
    let doc = json!({
        "schema_version": 1,
        "architecture": { "file": est.architecture.file, "name": est.architecture.name, "region": est.architecture.region },
        "pricing": {
            "snapshot": meta.name,
            "sha256": est.snapshot.sha256,
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
        "delta_monthly": money(round(closed.total() - rbac.total(), &conv.currency), dp),
        "months": est.months,
        "totals_for_months": {
            "rbac": money(rbac.total() * rust_decimal::Decimal::from(est.months), dp),
            "closed": money(closed.total() * rust_decimal::Decimal::from(est.months), dp),
        },
        "discounts": est.discounts.iter().map(|d| d.describe()).collect::<Vec<_>>(),
        "price_sheet": est.price_sheet.as_ref().map(|p| json!({
            "file": p.file,
            "date": p.date,
            "lines_priced": p.lines,
            "tiers_chosen_on_sheet": p.chose_tiers,
        })),
        "commitment": {
            "term": est.commitment.id(),
            "label": est.commitment.label(),
            "lines": super::committed_lines(est),
        },
    });
    let mut doc = Object::new(doc);
    let mut designs = Object::new(json!({}));
    designs.objects.push(("rbac", design(&rbac, &est.rbac, None, dp, conv)));
    designs.objects.push(("closed", design(&closed, &est.closed, Some(&rows), dp, conv)));
    doc.objects.push(("designs", designs));
    let file = &est.architecture.file;
    doc.arrays.push((
        "findings",
        est.findings.len(),
        Box::new(move |i| {
            let f = &est.findings[i];
            json!({
                "rule": f.rule,
                "slug": f.slug,
                "severity": f.severity.as_str(),
                "message": f.message,
                "file": file,
                "path": f.path,
                "line": f.loc.map(|l| l.line),
                "column": f.loc.map(|l| l.column),
                "doc": f.doc,
            })
        }),
    ));
    serde_json::to_string_pretty(&doc).map(|s| s + "\n").map_err(|e| e.to_string())
}
