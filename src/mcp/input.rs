//! What each tool takes, as Rust types: serde reads a `tools/call`'s arguments into them and
//! schemars derives the input schema `tools/list` publishes from the same types, so the schema a
//! client sees and what the server accepts cannot drift. Unknown fields are refused (a misspelt
//! option is an error, not silently ignored). The options mean what the command line's flags of the
//! same name mean; they are turned into the library's types here, with the same parsers.

use crate::architecture::{Limit, Policy, RuleAction, parse_limit, quantity::parse_quantity, set::Set};
use crate::error::Error;
use crate::registry::{self, RuleId, Severity};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Deserialize;

/// Doc comments are wrapped at the source's width; in a schema each description reads as one line.
fn one_line(schema: &mut schemars::Schema) {
    use schemars::transform::{RecursiveTransform, Transform};
    RecursiveTransform(|s: &mut schemars::Schema| {
        if let Some(serde_json::Value::String(d)) = s.get_mut("description") {
            *d = d.replace('\n', " ");
        }
    })
    .transform(schema);
}

/// `compare`: the file as written and each of its scenarios, side by side.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = one_line)]
pub struct CompareInput {
    /// Path of the architecture file with a `scenarios:` map. Give `path` or `yaml`.
    pub path: Option<String>,
    /// The architecture file's text instead of a path.
    pub yaml: Option<String>,
    /// The scenario the sign-off marks as chosen (`base` for the file as written).
    pub choose: Option<String>,
    #[serde(flatten)]
    pub pricing: PricingInput,
}

/// `sweep`: every choice the design leaves open, priced, and the cheapest that keeps its requirements.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = one_line)]
pub struct SweepInput {
    /// Path of the architecture file. Give `path` or `yaml`.
    pub path: Option<String>,
    /// The architecture file's text instead of a path.
    pub yaml: Option<String>,
    /// Vary only these paths (`closed_network.egress`, `services.gateway.tier`); empty: every axis.
    #[serde(default)]
    pub vary: Vec<String>,
    /// Pin these for every variant, each `PATH=VALUE`.
    #[serde(default)]
    pub fix: Vec<String>,
    /// Price at most this many variants (default 10,000).
    pub max_variants: Option<u64>,
    #[serde(flatten)]
    pub pricing: PricingInput,
}

/// `estimate`: both designs of an architecture, priced.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = one_line)]
pub struct EstimateInput {
    /// Path of the architecture file (YAML, schema version 1), a Terraform plan JSON or an ARM
    /// template (recognised by content), relative to the server's working directory. Give `path`
    /// or `yaml`.
    pub path: Option<String>,
    /// The architecture file's text (or a plan's or template's JSON) instead of a path.
    pub yaml: Option<String>,
    #[serde(flatten)]
    pub pricing: PricingInput,
}

/// How to price, as `closednet estimate`'s flags of the same names.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct PricingInput {
    /// What-if overrides in the `--set` language, each `PATH=VALUE`: `closed_network.hub=existing`,
    /// `services.gateway.tier=premium-v2`; an empty VALUE removes the key.
    #[serde(default)]
    pub set: Vec<String>,
    /// Report currency (ISO 4217), overriding the file's `currency`.
    pub currency: Option<String>,
    /// Exchange rates, each `CUR=RATE` in units per USD (`JPY=150`), overriding the file's and the
    /// snapshot's.
    #[serde(default)]
    pub fx: Vec<String>,
    /// Pricing snapshot to price with (`2023-12`) instead of the file's `pricing:` or the newest.
    pub snapshot: Option<String>,
    /// For a plan or a template: the region to price in (for a template also
    /// `resourceGroup().location`).
    pub region: Option<String>,
    /// For an ARM template: the path of its deployment parameters file.
    pub parameters_path: Option<String>,
}

/// `check`: the CI gate, as `closednet check --format json`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = one_line)]
pub struct CheckInput {
    /// Path of the architecture file, plan or template to check. Give `path` or `yaml`.
    pub path: Option<String>,
    /// The file's text instead of a path.
    pub yaml: Option<String>,
    /// Baseline for `max_increase`: another architecture file's path (its closed design); default:
    /// the RBAC-only design of the same file.
    pub baseline_path: Option<String>,
    #[serde(flatten)]
    pub policy: PolicyInput,
    #[serde(flatten)]
    pub pricing: PricingInput,
}

/// What `check` enforces, as its flags (the file's `policy:` may say the same; these win).
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct PolicyInput {
    /// Fail when the closed design's monthly total exceeds this amount, in the report currency
    /// (`1.5M`, `200k`, `1500000`).
    pub max_monthly: Option<String>,
    /// Fail when the closed design's fixed monthly cost exceeds this amount.
    pub max_fixed: Option<String>,
    /// Fail when the closed design costs more than the baseline by this amount or percentage (`25%`).
    pub max_increase: Option<String>,
    /// Severities (`note`, `warning`, `error`: fail on findings this severe or worse; default
    /// `error`) or rule ids/slugs whose findings always fail.
    #[serde(default)]
    pub deny: Vec<String>,
    /// Rule ids or slugs whose findings are reported as warnings.
    #[serde(default)]
    pub warn: Vec<String>,
    /// Rule ids or slugs whose findings are ignored.
    #[serde(default)]
    pub allow: Vec<String>,
    /// `closed`: fail unless a plan or template is closed, each resource it leaves half-closed or
    /// public reported with its address (CN023).
    pub require: Option<Require>,
    /// Fail a closed design that relies on a feature in preview at the snapshot's date (CN025).
    #[serde(default)]
    pub deny_preview: bool,
}

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Require {
    Closed,
}

/// `diff`: what changed between two architecture files, in tiers and cost.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = one_line)]
pub struct DiffInput {
    /// Path of the file before the change. Give `old_path` or `old_yaml`.
    pub old_path: Option<String>,
    /// The text of the file before the change.
    pub old_yaml: Option<String>,
    /// Path of the file after the change. Give `new_path` or `new_yaml`.
    pub new_path: Option<String>,
    /// The text of the file after the change.
    pub new_yaml: Option<String>,
    /// `--set` overrides, applied to the new file only (so a file can be compared with its variant).
    #[serde(flatten)]
    pub pricing: PricingInput,
}

/// `explain`: a rule's documentation, or a service type's tiers priced in a region.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = one_line)]
pub struct ExplainInput {
    /// A rule id (`CN014`), a rule slug (`no-price`) or a service type (`api-management`).
    pub name: String,
    /// Region for a service type's prices (default `eastus2`).
    pub region: Option<String>,
    /// Pricing snapshot (default: the newest).
    pub snapshot: Option<String>,
}

/// `import`: the architecture file a plan or a template builds.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = one_line)]
pub struct ImportInput {
    /// What the file is: a Terraform plan (`terraform show -json PLAN`) or an ARM template.
    pub kind: ImportKind,
    /// Path of the plan JSON or the template.
    pub path: String,
    /// The region to price in (for a template also `resourceGroup().location`).
    pub region: Option<String>,
    /// For an ARM template: the path of its deployment parameters file.
    pub parameters_path: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    Terraform,
    Arm,
}

/// `catalog` takes nothing.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = one_line)]
pub struct CatalogInput {}

/// `fx: ["JPY=150"]`: (currency, units per USD), as `--fx` reads them.
pub fn fx_rates(fx: &[String]) -> Result<Vec<(String, Decimal)>, Error> {
    fx.iter()
        .map(|a| {
            let bad = || Error::msg(format!("fx \"{a}\": expected CUR=RATE, e.g. \"JPY=150\""));
            let (cur, rate) = a.split_once('=').ok_or_else(bad)?;
            let cur = crate::money::Currency::parse(cur).ok_or_else(bad)?;
            let rate: Decimal = rate.trim().parse().map_err(|_| bad())?;
            if rate <= Decimal::ZERO {
                return Err(Error::msg(format!("fx \"{a}\": the rate must be more than zero")));
            }
            Ok((cur.code().to_string(), rate))
        })
        .collect()
}

/// The `set` list, each parsed as `--set` parses it (its message names `--set`, the language).
pub fn sets(set: &[String]) -> Result<Vec<Set>, Error> {
    set.iter().map(|s| Set::parse(s)).collect()
}

fn rule_id(field: &str, name: &str) -> Result<RuleId, Error> {
    registry::lookup(name).ok_or_else(|| {
        Error::msg(format!("{field} \"{name}\": no such rule (the resources closednet://rules/ID list them)"))
    })
}

impl TryFrom<&PolicyInput> for Policy {
    type Error = Error;

    fn try_from(a: &PolicyInput) -> Result<Policy, Error> {
        let amount = |field: &str, v: &Option<String>| -> Result<Option<Decimal>, Error> {
            v.as_ref().map(|v| parse_quantity(v).map_err(|e| Error::msg(format!("{field} \"{v}\": {e}")))).transpose()
        };
        let increase = |v: &String| -> Result<Limit, Error> {
            parse_limit(v).map_err(|e| Error::msg(format!("max_increase \"{v}\": {e}")))
        };
        let mut p = Policy {
            max_monthly: amount("max_monthly", &a.max_monthly)?,
            max_fixed: amount("max_fixed", &a.max_fixed)?,
            max_increase: a.max_increase.as_ref().map(increase).transpose()?,
            require_closed: a.require.is_some(),
            deny_preview: a.deny_preview,
            ..Policy::default()
        };
        for d in &a.deny {
            match d.to_ascii_lowercase().as_str() {
                "note" => p.deny = Some(Severity::Note),
                "warning" => p.deny = Some(Severity::Warning),
                "error" => p.deny = Some(Severity::Error),
                _ => {
                    p.rules.insert(rule_id("deny", d)?, RuleAction::Deny);
                }
            }
        }
        for w in &a.warn {
            p.rules.insert(rule_id("warn", w)?, RuleAction::Warn);
        }
        for x in &a.allow {
            p.rules.insert(rule_id("allow", x)?, RuleAction::Allow);
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_refused_with_the_fields_there_are() {
        // With flattened fields serde cannot list the expected ones; the schema does.
        // As rmcp reads them: from the arguments' JSON value.
        let read = |v: serde_json::Value| serde_json::from_value::<EstimateInput>(v).unwrap_err().to_string();
        assert_eq!(read(serde_json::json!({"pth": "a.yaml"})), "unknown field `pth`");
        let e = serde_json::from_value::<CheckInput>(serde_json::json!({"path": "a.yaml", "max_monthy": "1M"}));
        assert_eq!(e.unwrap_err().to_string(), "unknown field `max_monthy`");
        let e =
            serde_json::from_value::<ImportInput>(serde_json::json!({"kind": "bicep", "path": "a.json"})).unwrap_err();
        assert!(e.to_string().starts_with("unknown variant `bicep`, expected `terraform` or `arm`"), "{e}");
    }

    #[test]
    fn schemas_have_every_field_one_line_descriptions_and_no_other_properties() {
        let schema = serde_json::to_value(schemars::schema_for!(CheckInput)).unwrap();
        assert_eq!(schema["additionalProperties"], false);
        let props = schema["properties"].as_object().unwrap();
        for field in ["path", "yaml", "baseline_path", "max_monthly", "deny", "require", "set", "fx", "parameters_path"]
        {
            let d = props[field]["description"].as_str().unwrap_or_else(|| panic!("{field} has no description"));
            assert!(!d.contains('\n'), "{field}: {d}");
        }
        assert_eq!(props["require"]["anyOf"][0]["$ref"], "#/$defs/Require", "{}", props["require"]);
        assert_eq!(schema["$defs"]["Require"]["enum"], serde_json::json!(["closed"]));
    }

    #[test]
    fn options_read_as_the_flags_of_the_same_names() {
        let input: CheckInput = serde_json::from_str(
            r#"{"path": "a.yaml", "max_monthly": "1.5M", "max_increase": "25%", "deny": ["Warning", "python-needs-linux"],
                "allow": ["CN001"], "require": "closed", "fx": ["jpy=150"], "set": ["closed_network.hub=existing"]}"#,
        )
        .unwrap();
        let p = Policy::try_from(&input.policy).unwrap();
        assert_eq!(p.max_monthly, Some(Decimal::from(1_500_000)));
        assert_eq!(p.max_increase, Some(Limit::Percent(Decimal::from(25))));
        assert_eq!(p.deny, Some(Severity::Warning));
        assert_eq!(p.rules.get(&RuleId::CN003), Some(&RuleAction::Deny));
        assert_eq!(p.rules.get(&RuleId::CN001), Some(&RuleAction::Allow));
        assert!(p.require_closed);
        assert_eq!(fx_rates(&input.pricing.fx).unwrap(), vec![("JPY".to_string(), Decimal::from(150))]);
        assert_eq!(sets(&input.pricing.set).unwrap()[0].value, "existing");
    }

    #[test]
    fn bad_options_say_which_field_and_what_is_expected() {
        assert_eq!(
            fx_rates(&["JPY:150".into()]).unwrap_err().to_string(),
            "error: fx \"JPY:150\": expected CUR=RATE, e.g. \"JPY=150\""
        );
        assert_eq!(
            fx_rates(&["JPY=0".into()]).unwrap_err().to_string(),
            "error: fx \"JPY=0\": the rate must be more than zero"
        );
        let bad = PolicyInput { warn: vec!["CN999".into()], ..PolicyInput::default() };
        assert_eq!(
            Policy::try_from(&bad).unwrap_err().to_string(),
            "error: warn \"CN999\": no such rule (the resources closednet://rules/ID list them)"
        );
        assert!(
            sets(&["nothing".into()]).unwrap_err().to_string().starts_with("error: --set nothing: expected PATH=VALUE")
        );
    }
}
