//! Reading the architecture file. This is the only module that knows the YAML library
//! (serde-saphyr): it turns text into the raw, located structure that `validate` checks.

use super::quantity::{Quantity, Scalar};
use crate::error::Diagnostic;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A position in the file (1-based line and column).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Loc {
    pub line: u64,
    pub column: u64,
}

pub(crate) fn loc<T>(s: &Located<T>) -> Loc {
    s.loc
}

/// A value read from the file and where it was written (where an alias was used, not where its
/// anchor was defined: the place the reader looks for it).
///
/// Read through the protocol of serde-saphyr's `Spanned` (see [`located`]) but not into it: `Spanned`
/// keeps two full locations with byte spans, 80 bytes a value that nothing here reads. A service holds
/// seventeen such values: with them it took 1,184 bytes, and at 10,000 services copying and growing
/// that list was most of the memory written (`cargo bench --bench phase`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Located<T> {
    pub value: T,
    pub loc: Loc,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(located::NAME, located::Wrapper(std::marker::PhantomData))
    }
}

/// How serde-saphyr hands a value its place: asked for the newtype `__yaml_spanned`, it offers a
/// struct of four fields, in this order: a marker, `value`, `referenced` and `defined`, each
/// location a struct of `line`, `column`, `span` and `source_id`. `Spanned<T>` reads all of it,
/// the marker into a new `String` and each location with its span, which was a quarter of reading
/// a 10,000-service file; this reads the value and the two numbers of `referenced`, and stops (the
/// locations hold no events of the file, so what is left unread costs nothing).
///
/// Unlike `Spanned`, it has no fallback for values serde buffers (`#[serde(flatten)]`, untagged
/// enums) or for other formats: the raw types use neither, and only serde-saphyr reads them.
///
/// The protocol is serde-saphyr's own, not its public API: the test
/// `located_values_have_the_places_spanned_gives` compares both readers, aliases included, so that
/// an upgrade which changes it fails there first.
mod located {
    use super::{Loc, Located};
    use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
    use std::fmt;
    use std::marker::PhantomData;

    pub(super) const NAME: &str = "__yaml_spanned";
    const FIELDS: &[&str] = &["__serde_saphyr_private_spanned", "value", "referenced", "defined"];

    /// A key of the located value or of its location.
    #[derive(PartialEq, serde::Deserialize)]
    #[serde(field_identifier, rename_all = "lowercase")]
    enum Field {
        #[serde(rename = "__serde_saphyr_private_spanned")]
        Marker,
        Value,
        Referenced,
        Line,
        Column,
        #[serde(other)]
        Other,
    }

    pub(super) struct Wrapper<T>(pub(super) PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Wrapper<T> {
        type Value = Located<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a value of the YAML file")
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Located<T>, D::Error> {
            d.deserialize_struct("Spanned", FIELDS, Fields(PhantomData))
        }
    }

    struct Fields<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Fields<T> {
        type Value = Located<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a value of the YAML file with its place")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Located<T>, A::Error> {
            let (mut value, mut loc) = (None, None);
            while value.is_none() || loc.is_none() {
                match map.next_key::<Field>()? {
                    Some(Field::Marker) => map.next_value::<de::IgnoredAny>().map(drop)?,
                    Some(Field::Value) => value = Some(map.next_value::<T>()?),
                    Some(Field::Referenced) => loc = Some(map.next_value::<Place>()?.0),
                    Some(_) => return Err(de::Error::custom("a located value out of serde-saphyr's order")),
                    None => return Err(de::Error::custom("a located value without its value or place")),
                }
            }
            match (value, loc) {
                (Some(value), Some(loc)) => Ok(Located { value, loc }),
                _ => Err(de::Error::custom("a located value without its value or place")),
            }
        }
    }

    /// The line and column of a location; its span and source are left unread.
    struct Place(Loc);

    impl<'de> Deserialize<'de> for Place {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Place;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a line and a column")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Place, A::Error> {
                    let mut number = |want: Field| match map.next_key::<Field>()? {
                        Some(key) if key == want => map.next_value::<u64>(),
                        _ => Err(de::Error::custom("a location without its line and column")),
                    };
                    Ok(Place(Loc { line: number(Field::Line)?, column: number(Field::Column)? }))
                }
            }
            d.deserialize_struct("Location", &["line", "column"], V)
        }
    }
}

#[derive(Deserialize, Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "closednet architecture file",
    description = "Schema version 1: services, tiers, usage and what closed must mean. See the README."
)]
pub(crate) struct RawArchitecture {
    /// Schema version: 1. Required; a file without it is reported with its other problems.
    #[schemars(with = "Scalar")]
    pub version: Option<Located<Scalar>>,
    pub name: Option<String>,
    #[schemars(with = "Option<String>")]
    pub region: Option<Located<String>>,
    #[schemars(with = "Option<String>")]
    pub currency: Option<Located<String>>,
    #[schemars(with = "Option<String>")]
    pub pricing: Option<Located<Scalar>>,
    #[schemars(with = "Option<Quantity>")]
    pub users: Option<Located<Scalar>>,
    /// Exchange rates the architect states (units per 1 USD), e.g. `{ JPY: 150 }`.
    #[schemars(with = "Option<BTreeMap<String, Scalar>>")]
    pub fx: Option<BTreeMap<String, Located<Scalar>>>,
    #[schemars(with = "Option<RawClosedNetwork>")]
    pub closed_network: Option<Located<RawClosedNetwork>>,
    /// Required; a file without it is reported with its other problems.
    // Boxed: a raw service is 392 bytes, which the reader's layers and the list's growth moved
    // several times each.
    #[serde(default)]
    #[schemars(with = "Vec<RawService>")]
    pub services: Vec<Located<Box<RawService>>>,
    /// Negotiated discounts, applied locally.
    #[schemars(with = "Option<Vec<RawDiscount>>")]
    pub discounts: Option<Vec<Located<RawDiscount>>>,
    /// Your own unit prices (an EA/MCA price sheet, a negotiated rate), applied after the tier choice.
    #[schemars(with = "Option<Vec<RawPrice>>")]
    pub prices: Option<Vec<Located<RawPrice>>>,
    /// What `closednet check` enforces; the command line wins over it.
    #[schemars(with = "Option<RawPolicy>")]
    pub policy: Option<Located<RawPolicy>>,
    /// Written by the import of infrastructure code (never read from a file): an input that builds
    /// only platform, or only what the catalog lacks, has no services and is still priced.
    #[serde(skip)]
    #[schemars(skip)]
    pub imported: bool,
    /// What the closed design must keep, each checked by the engine (finding CN024 when broken).
    #[schemars(with = "Option<Vec<String>>")]
    pub requirements: Option<Vec<Located<String>>>,
    /// Named variants of the design: name -> description and `--set` overrides.
    #[schemars(with = "Option<BTreeMap<String, RawScenario>>")]
    pub scenarios: Option<Located<RawScenarios>>,
}

/// One scenario: what it is, and the overrides (`PATH=VALUE`, as `--set` takes them) that make it.
#[derive(Deserialize, Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    /// What the scenario is, for the comparison and the sign-off.
    pub description: String,
    /// Overrides in the `--set` language, applied to the file in order: `closed_network.hub=existing`.
    #[schemars(with = "Vec<String>")]
    pub set: Vec<Located<String>>,
}

/// `scenarios:` in the order the file gives them (a map would sort them by name).
#[derive(Debug, Default, Clone)]
pub(crate) struct RawScenarios(pub Vec<(String, Located<RawScenario>)>);

impl<'de> Deserialize<'de> for RawScenarios {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawScenarios;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of scenario names to { description, set }")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawScenarios, A::Error> {
                let mut out = Vec::new();
                while let Some((name, scenario)) = map.next_entry::<String, Located<RawScenario>>()? {
                    out.push((name, scenario));
                }
                Ok(RawScenarios(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// A negotiated discount: `percent`, on every service, one `type`, or one `service`.
#[derive(Deserialize, Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDiscount {
    #[schemars(with = "Scalar")]
    pub percent: Located<Scalar>,
    #[serde(rename = "type")]
    #[schemars(with = "Option<String>")]
    pub type_id: Option<Located<String>>,
    #[schemars(with = "Option<String>")]
    pub service: Option<Located<String>>,
    /// Where the figure comes from (agreement name), shown in reports.
    pub source: Option<String>,
}

/// A unit price of yours: for a service `type`, optionally one `tier`, one `component` or one
/// `service` (a declared service or an added resource by name); the most specific entry wins.
#[derive(Deserialize, Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPrice {
    #[serde(rename = "type")]
    #[schemars(with = "String")]
    pub type_id: Located<String>,
    #[schemars(with = "Option<String>")]
    pub tier: Option<Located<String>>,
    /// A component id: the last part of a line's `key` in `--format json`, e.g. `linux`.
    #[schemars(with = "Option<String>")]
    pub component: Option<Located<String>>,
    #[schemars(with = "Option<String>")]
    pub service: Option<Located<String>>,
    /// The price of one unit of the component's meter (e.g. per hour), not negative.
    #[schemars(with = "Quantity")]
    pub price: Located<Scalar>,
    /// The component's unit (e.g. `1 Hour`), checked when given.
    #[schemars(with = "Option<String>")]
    pub unit: Option<Located<String>>,
    /// ISO 4217 code of the price: USD (default) or the report currency.
    #[schemars(with = "Option<String>")]
    pub currency: Option<Located<String>>,
    /// Where the figure comes from (price sheet, agreement), shown in every report.
    #[schemars(with = "String")]
    pub source: Located<String>,
}

#[derive(Deserialize, Debug, Default, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPolicy {
    #[schemars(with = "Option<Quantity>")]
    pub max_monthly: Option<Located<Scalar>>,
    #[schemars(with = "Option<Quantity>")]
    pub max_fixed: Option<Located<Scalar>>,
    /// An amount (`200k`) or a percentage (`25%`) over the baseline.
    #[schemars(with = "Option<String>")]
    pub max_increase: Option<Located<Scalar>>,
    /// Fail on findings of this severity or worse: note | warning | error.
    #[schemars(with = "Option<String>", extend("enum" = ["note", "warning", "error"]))]
    pub deny: Option<Located<String>>,
    /// Per-rule action by id or slug: allow | warn | deny.
    #[schemars(with = "Option<BTreeMap<String, String>>")]
    pub rules: Option<BTreeMap<String, Located<String>>>,
    /// `closed`: infrastructure code (a plan or template given to check) must be closed; every
    /// resource it leaves half-closed or public fails the check (CN023).
    #[schemars(with = "Option<String>", extend("enum" = ["closed"]))]
    pub require: Option<Located<String>>,
    /// `true`: fail when the closed design relies on a feature in preview at the date (CN025).
    pub deny_preview: Option<bool>,
}

#[derive(Deserialize, Debug, Default, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClosedNetwork {
    #[schemars(with = "Option<String>", extend("enum" = ["none", "ip", "risk"]))]
    pub conditional_access: Option<Located<String>>,
    #[schemars(with = "Option<String>", extend("enum" = ["none", "vpn", "expressroute"]))]
    pub on_premises: Option<Located<String>>,
    #[schemars(with = "Option<String>", extend("enum" = ["none", "azure-devops", "github"]))]
    pub cicd: Option<Located<String>>,
    /// Where self-hosted CI/CD agents run: your VMs (default), an Azure DevOps Managed DevOps Pool,
    /// or GitHub-hosted larger runners with Azure private networking.
    #[schemars(with = "Option<String>", extend("enum" = ["vm", "managed-devops-pool", "github-hosted-private"]))]
    pub cicd_agents: Option<Located<String>>,
    /// One value or a list: none, bastion (= bastion-basic), bastion-developer, bastion-basic,
    /// bastion-standard, bastion-premium, jumpbox.
    #[schemars(with = "Option<Choices>")]
    pub operator_access: Option<Located<Choices>>,
    /// The jump box of `operator_access: jumpbox`.
    #[schemars(with = "Option<RawJumpbox>")]
    pub jumpbox: Option<Located<RawJumpbox>>,
    #[schemars(with = "Option<String>", extend("enum" = ["none", "production"]))]
    pub sla: Option<Located<String>>,
    #[schemars(with = "Option<Quantity>")]
    pub build_agents: Option<Located<Scalar>>,
    /// `existing`: the organisation's landing-zone hub provides on-premises connectivity, DNS,
    /// egress, operator access and the private DNS zones.
    #[schemars(with = "Option<String>", extend("enum" = ["new", "existing"]))]
    pub hub: Option<Located<String>>,
    /// Monthly charge-back for the existing hub, in the report currency.
    #[schemars(with = "Option<Quantity>")]
    pub hub_share: Option<Located<Scalar>>,
    #[schemars(
        with = "Option<String>",
        extend("enum" = ["none", "nat-gateway", "firewall-basic", "firewall-standard", "firewall-premium"])
    )]
    pub egress: Option<Located<String>>,
    #[schemars(with = "Option<String>", extend("enum" = ["none", "network", "ip"]))]
    pub ddos: Option<Located<String>>,
    /// How many egress devices (firewalls, NAT gateways) the design builds (default 1): a
    /// hub-and-spoke plan may build one per hub.
    #[schemars(with = "Option<Quantity>")]
    pub egress_count: Option<Located<Scalar>>,
    /// How many Bastions the design builds (default 1).
    #[schemars(with = "Option<Quantity>")]
    pub operator_access_count: Option<Located<Scalar>>,
    /// How many on-premises gateways (VPN or ExpressRoute) the design builds (default 1).
    #[schemars(with = "Option<Quantity>")]
    pub on_premises_count: Option<Located<Scalar>>,
    /// Licences the organisation already owns.
    #[schemars(with = "Option<RawLicences>")]
    pub licences: Option<Located<RawLicences>>,
    /// Platform usage: `egress_gb` (through the firewall or NAT gateway), `ci_minutes`.
    #[schemars(with = "Option<BTreeMap<String, Scalar>>")]
    pub usage: Option<BTreeMap<String, Located<Scalar>>>,
}

/// `licences:` under `closed_network`.
#[derive(Deserialize, Debug, Default, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLicences {
    /// `owned`: every user already holds Entra ID P1/P2 (Microsoft 365 E3/E5, F3, Business Premium).
    #[schemars(with = "Option<String>", extend("enum" = ["buy", "owned"]))]
    pub entra: Option<Located<String>>,
    /// How many of the users already hold the licence; the rest are bought.
    #[schemars(with = "Option<Quantity>")]
    pub licensed_users: Option<Located<Scalar>>,
}

/// `jumpbox:` under `closed_network`.
#[derive(Deserialize, Debug, Default, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawJumpbox {
    /// A virtual-machine size (default d2s-v5).
    #[schemars(with = "Option<String>")]
    pub size: Option<Located<String>>,
    #[schemars(with = "Option<String>", extend("enum" = ["linux", "windows"]))]
    pub os: Option<Located<String>>,
    /// A managed-disk tier for the OS disk (default premium-ssd-p10 on Windows, premium-ssd-p4 on Linux).
    #[schemars(with = "Option<String>")]
    pub disk: Option<Located<String>>,
}

/// The JSON Schema of a boolean as the loader reads it: true/false, and the YAML 1.1 words
/// (yes/no, on/off, y/n, any case) that serde-saphyr also takes, even quoted.
pub(crate) struct Flag;

impl JsonSchema for Flag {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Flag".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "true or false (yes/no, on/off, y/n are read the same way).",
            "anyOf": [
                { "type": "boolean" },
                { "type": "string", "pattern": "^([yY]([eE][sS])?|[nN]([oO])?|[tT][rR][uU][eE]|[fF][aA][lL][sS][eE]|[oO][nN]|[oO][fF][fF])$" }
            ]
        })
    }
}

/// The JSON Schema of `skillset`.
pub(crate) struct SkillsetValue;

impl JsonSchema for SkillsetValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Skillset".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "What the indexer's skillset runs: embedding (only embedding skills), full (other skills); true means full.",
            "anyOf": [{ "type": "boolean" }, { "type": "string", "enum": ["embedding", "full"] }]
        })
    }
}

/// One word or a list of words (`operator_access: bastion` or `[bastion-standard, jumpbox]`).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Choices(pub Vec<String>);

impl<'de> Deserialize<'de> for Choices {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Choices;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a word or a list of words")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Choices, E> {
                Ok(Choices(vec![v.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Choices, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element::<String>()? {
                    out.push(v);
                }
                Ok(Choices(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Choices {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OperatorAccess".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let words =
            ["none", "bastion", "bastion-developer", "bastion-basic", "bastion-standard", "bastion-premium", "jumpbox"];
        schemars::json_schema!({
            "description": "One value or a list of values.",
            "anyOf": [
                { "type": "string", "enum": words },
                { "type": "array", "items": { "type": "string", "enum": words } }
            ]
        })
    }
}

#[derive(Deserialize, Debug, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
// The numbers most services leave out are boxed: a service is read into a list as long as the
// file, and eight absent values inline were 256 of its 648 bytes (it is 392 now).
pub(crate) struct RawService {
    #[schemars(with = "String")]
    pub name: Located<String>,
    #[serde(rename = "type")]
    #[schemars(with = "String")]
    pub type_id: Located<String>,
    #[schemars(with = "Option<String>")]
    pub tier: Option<Located<String>>,
    #[schemars(with = "Option<Quantity>")]
    pub units: Option<Box<Located<Scalar>>>,
    #[schemars(with = "Option<Quantity>")]
    pub replicas: Option<Box<Located<Scalar>>>,
    #[schemars(with = "Option<Quantity>")]
    pub partitions: Option<Box<Located<Scalar>>>,
    #[schemars(with = "Option<Quantity>")]
    pub instances: Option<Box<Located<Scalar>>>,
    /// Provisioned throughput in RU/s (Cosmos DB).
    #[schemars(with = "Option<Quantity>")]
    pub throughput: Option<Box<Located<Scalar>>>,
    #[schemars(with = "Option<String>")]
    pub runtime: Option<Located<String>>,
    #[schemars(with = "Option<String>")]
    pub os: Option<Located<String>>,
    /// true or false (the YAML 1.1 words yes/no, on/off, y/n are read as booleans too).
    #[schemars(with = "Option<Flag>")]
    pub public: Option<bool>,
    #[schemars(with = "Option<Vec<String>>")]
    pub calls: Option<Vec<Located<String>>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub subresources: Option<Vec<Located<String>>>,
    /// `embedding` (only embedding skills), `full` (other skills) or true (= full) / false.
    #[schemars(with = "Option<SkillsetValue>")]
    pub skillset: Option<Box<Located<Scalar>>>,
    /// Timeout of the skillset's custom Web API skills, seconds (AI Search allows at most 230).
    #[schemars(with = "Option<Quantity>")]
    pub custom_skill_timeout: Option<Box<Located<Scalar>>>,
    /// Front Door billing zone (1-8) of the clients' edge locations.
    #[schemars(with = "Option<Quantity>")]
    pub zone: Option<Box<Located<Scalar>>>,
    /// Spread across availability zones (App Service plans, API Management Premium, storage ZRS/GZRS):
    /// only tiers that can be zone-redundant, at the capacity the platform then runs at least.
    #[schemars(with = "Option<Flag>")]
    pub zone_redundant: Option<Located<bool>>,
    #[schemars(with = "Option<BTreeMap<String, Scalar>>")]
    pub usage: Option<BTreeMap<String, Located<Scalar>>>,
}

/// Parses the file, or says where and why it could not.
///
/// The path of a failing value (`services[3].usage.gb`) comes from `serde_path_to_error`, which
/// roughly doubles the cost of deserializing; a file that parses never needs it, so it is read
/// once without and, only when that fails, again with path tracking for the message.
pub(crate) fn parse(file: &str, text: &str) -> Result<RawArchitecture, Box<Diagnostic>> {
    match serde_saphyr::from_str_with_options(text, options()) {
        Ok(raw) => Ok(raw),
        // A file over the YAML limits is read to the limit: reading it again for a path would
        // double the time of the largest rejections, and the limit is the whole file's anyway.
        Err(first @ serde_saphyr::Error::Budget { .. }) => Err(describe(file, first, String::new())),
        Err(first) => Err(tabs(text, diagnose(file, text, first))),
    }
}

/// YAML forbids tabs in indentation, and the parser says so at the construct it was reading, often
/// a line before the tab: point at the first line indented with a tab (from the parser's line on)
/// and say what to do.
fn tabs(text: &str, mut d: Box<Diagnostic>) -> Box<Diagnostic> {
    if !d.message.contains("tab") {
        return d;
    }
    let indented = |l: &&str| l.chars().take_while(|c| c.is_whitespace()).any(|c| c == '\t');
    let from = d.line.unwrap_or(1).saturating_sub(1) as usize;
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().skip(from).position(&indented).map(|i| i + from);
    let Some(i) = at.or_else(|| lines.iter().position(indented)) else { return d };
    d.line = Some(i as u64 + 1);
    d.column = Some(lines[i].find('\t').unwrap_or(0) as u64 + 1);
    d.message = "a tab in the indentation: YAML indents with spaces only".into();
    d.help = Some("indent with spaces: replace the tabs, keeping each key aligned with the keys of its mapping".into());
    d
}

/// The library's options: no source snippets in messages, and a node budget sized for
/// [`super::MAX_SERVICES`].
fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    // Room for 20,000 services (up to 25 nodes each) while alias bombs and deep nesting still stop
    // early: the library's defaults for aliases (50,000), anchors and depth (64) stay.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = 500_000;
    budget.max_events = 1_500_000;
    options.budget = Some(budget);
    options
}

/// Reads a file that failed to parse again, tracking the path, and says where and why it fails
/// (with the first error and no path should the second reading differ).
fn diagnose(file: &str, text: &str, first: serde_saphyr::Error) -> Box<Diagnostic> {
    let mut path = String::new();
    let result = serde_saphyr::with_deserializer_from_str_with_options(text, options(), |de| {
        serde_path_to_error::deserialize::<_, RawArchitecture>(de).map_err(|e| {
            path = e.path().to_string();
            e.into_inner()
        })
    });
    describe(file, result.err().unwrap_or(first), path)
}

/// The diagnostic for a library error at `path` (as serde_path_to_error writes it).
fn describe(file: &str, e: serde_saphyr::Error, path: String) -> Box<Diagnostic> {
    let message = e.without_snippet().to_string();
    // The library appends " at line L, column C"; the location is printed up front instead.
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    // `Located<T>` shows up as a `.value` segment; the user never wrote it.
    let path = path.replace(".value.", ".").replace(".value[", "[");
    let path = path.trim_end_matches(".?").trim_end_matches(".value").trim_start_matches('.').to_string();
    let path = if path == "." || path == "?" { String::new() } else { path };
    let message = match message.strip_prefix("budget breached: ") {
        Some(what) => format!(
            "the file exceeds closednet's YAML limits ({what}); the limits are 500,000 nodes, 50,000 aliases and \
             a nesting depth of 64"
        ),
        None => message,
    };
    // Hints addressed to programmers using the library, not to the file's author.
    let message = match message.strip_prefix("cannot deserialize null into string") {
        Some(_) => "a value is needed here, not null (`~`, `null` or nothing)".to_string(),
        None => message,
    };
    let message = match message.split_once(", set DuplicateKeyPolicy") {
        Some((m, _)) => m.to_string(),
        None => message,
    };
    let mut d = Diagnostic::new(file, message).path(path);
    if let Some(l) = e.location() {
        d = d.at(l.line(), l.column());
    }
    // Structural errors name the parser's state; say what is likely wrong in the file.
    let structural = ["mapping values are not allowed", "did not find expected", "could not find expected"];
    if structural.iter().any(|s| d.message.contains(s)) {
        d = d.help(
            "check the indentation here: a key must line up with the keys of its own mapping, a list item \
             with its siblings (spaces only); a value that contains `: ` needs quotes",
        );
    } else if d.message.contains("invalid boolean") {
        d = d.help("use true or false");
    }
    if let Some(rest) = d.message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once("`, expected one of ").unwrap_or((rest, ""));
        let field = field.trim_end_matches('`');
        let candidates: Vec<&str> = expected.split(", ").filter(|c| !c.is_empty()).collect();
        let help = match crate::suggest::did_you_mean(field, candidates.iter().copied()) {
            Some(c) => {
                format!("did you mean \"{c}\"? Unknown keys are errors so that a typo never changes a price silently")
            }
            None => "unknown keys are errors so that a typo never changes a price silently".to_string(),
        };
        d = d.help(help);
    }
    Box::new(d)
}

#[cfg(test)]
mod tests {
    use super::{Loc, Located};
    use serde_saphyr::Spanned;
    use std::collections::BTreeMap;

    /// [`Located`] reads serde-saphyr's `Spanned` protocol itself (module `located`): both readers
    /// give the same value and the same place, the alias's own place for an alias, nested values
    /// included.
    #[test]
    fn located_values_have_the_places_spanned_gives() {
        let text = "a: &x one\nb:\n  - *x\n  -   two\nc: { d: [3, 4] }\n";
        type Ours = BTreeMap<String, Located<serde_json::Value>>;
        type Theirs = BTreeMap<String, Spanned<serde_json::Value>>;
        let ours: Ours = serde_saphyr::from_str(text).unwrap();
        let theirs: Theirs = serde_saphyr::from_str(text).unwrap();
        for (key, spanned) in &theirs {
            let want = Loc { line: spanned.referenced.line(), column: spanned.referenced.column() };
            assert_eq!((&ours[key].value, ours[key].loc), (&spanned.value, want), "{key}");
        }
        let places = |l: &Located<Vec<Located<String>>>| l.value.iter().map(|v| (v.loc.line, v.loc.column)).collect();
        let list: BTreeMap<String, Located<Vec<Located<String>>>> =
            serde_saphyr::from_str("b:\n  - &x one\n  - *x\n  -   two\n").unwrap();
        let got: Vec<(u64, u64)> = places(&list["b"]);
        // The anchored value is placed at its text, after `&x `; the alias where it is used.
        assert_eq!(got, [(2, 8), (3, 5), (4, 7)], "an alias is placed where it is used");
        let theirs: BTreeMap<String, Spanned<Vec<Spanned<String>>>> =
            serde_saphyr::from_str("b:\n  - &x one\n  - *x\n  -   two\n").unwrap();
        let want: Vec<(u64, u64)> =
            theirs["b"].value.iter().map(|v| (v.referenced.line(), v.referenced.column())).collect();
        assert_eq!(got, want);
        assert_eq!(list["b"].value[1].value, "one");
        // Merge keys replay the anchored map, and a tag is read with its value.
        type Nested<L> = BTreeMap<String, BTreeMap<String, L>>;
        let text = "base: &b { x: 1, t: !!str 12 }\nm:\n  <<: *b\n  y: 2\n";
        let ours: Nested<Located<serde_json::Value>> = serde_saphyr::from_str(text).unwrap();
        let theirs: Nested<Spanned<serde_json::Value>> = serde_saphyr::from_str(text).unwrap();
        assert_eq!(ours["m"].len(), 3, "x, t and y");
        assert_eq!(ours["m"]["t"].value, "12");
        for (map, entries) in &theirs {
            for (key, spanned) in entries {
                let want = Loc { line: spanned.referenced.line(), column: spanned.referenced.column() };
                assert_eq!((&ours[map][key].value, ours[map][key].loc), (&spanned.value, want), "{map}.{key}");
            }
        }
    }
}
