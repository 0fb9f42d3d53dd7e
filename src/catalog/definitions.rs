//! Hand-written service definitions (`pricing/services/*.toml`): what each tier can do, with the
//! documentation behind it, and which Retail Prices API meter prices each component.
//!
//! These files are shared by every snapshot; the prices themselves live in the snapshot folders.

use super::sizes::{Size, Sizes};
use super::text::Text;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// What a tier can do for a closed network.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum CapabilityKind {
    /// Inbound access through a private endpoint.
    PrivateEndpoint,
    /// Outbound calls into a VNet through regional VNet integration.
    VnetIntegration,
    /// The service runs inside the customer's subnet (private inbound and outbound).
    VnetInjection,
    /// AI Search indexers reach private data sources through shared private links.
    SharedPrivateLink,
    /// Shared private links for indexers that run a skillset.
    SharedPrivateLinkSkillset,
    /// Shared private links for indexers whose skillset has only embedding skills.
    SharedPrivateLinkEmbedding,
    /// Front Door reaches private origins over Private Link.
    PrivateLinkOrigin,
}

impl CapabilityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CapabilityKind::PrivateEndpoint => "private_endpoint",
            CapabilityKind::VnetIntegration => "vnet_integration",
            CapabilityKind::VnetInjection => "vnet_injection",
            CapabilityKind::SharedPrivateLink => "shared_private_link",
            CapabilityKind::SharedPrivateLinkSkillset => "shared_private_link_skillset",
            CapabilityKind::SharedPrivateLinkEmbedding => "shared_private_link_embedding",
            CapabilityKind::PrivateLinkOrigin => "private_link_origin",
        }
    }
}

impl std::fmt::Display for CapabilityKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capability {
    pub kind: CapabilityKind,
    /// Microsoft Learn page that documents it.
    pub doc: Text,
    /// Date of that page (its `ms.date`), YYYY-MM-DD.
    pub as_of: Text,
    /// First day the capability is generally available (absent: as far back as any snapshot).
    #[serde(default)]
    pub since: Option<Text>,
    /// First day it no longer is (absent: still is).
    #[serde(default)]
    pub until: Option<Text>,
    /// First day of its public preview, before `since` (absent: no preview before any snapshot).
    #[serde(default)]
    pub preview_since: Option<Text>,
    /// Still in preview on `as_of`, with no GA date: `since` is then absent.
    #[serde(default)]
    pub preview: bool,
    /// The page that dates the preview, when it is not `doc`.
    #[serde(default)]
    pub preview_doc: Option<Text>,
}

impl Capability {
    /// `private_endpoint preview from 2024-11-02, GA from 2025-05-19 (2026-01-12)`: the kind, its
    /// dates, the page's date.
    pub fn describe(&self) -> String {
        let dates = Dates { preview_since: &self.preview_since, since: &self.since, preview: self.preview };
        let until = self.until.as_ref().map(|u| format!(" until {u}")).unwrap_or_default();
        format!("{}{}{until} ({})", self.kind.as_str(), dates.describe(), self.as_of)
    }

    /// GA or preview on `date`, or `None` when it is neither.
    pub fn status(&self, date: &str) -> Option<Status> {
        status_at(self.preview_since.as_deref(), self.since.as_deref(), self.preview, self.until.as_deref(), date)
    }

    /// The page that dates its preview.
    pub fn preview_doc(&self) -> &str {
        self.preview_doc.as_deref().unwrap_or(&self.doc)
    }
}

/// Whether a `[since, until)` range covers `date` (all YYYY-MM-DD, so text order is date order).
pub fn in_force(since: Option<&str>, until: Option<&str>, date: &str) -> bool {
    since.is_none_or(|s| s <= date) && until.is_none_or(|u| date < u)
}

/// Whether a feature is generally available or in public preview on a date. A preview is not GA:
/// the engine still prices it, labels it, and `check --deny-preview` fails a design relying on it
/// (finding CN025).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Preview,
    Ga,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Preview => "preview",
            Status::Ga => "GA",
        }
    }

    pub fn is_preview(self) -> bool {
        self == Status::Preview
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A feature's status on `date`: gone from `until`; with `preview` (no GA date known), preview from
/// `preview_since`; otherwise GA from `since` (absent: before any snapshot) and preview from
/// `preview_since` until then.
pub fn status_at(
    preview_since: Option<&str>,
    since: Option<&str>,
    preview: bool,
    until: Option<&str>,
    date: &str,
) -> Option<Status> {
    if until.is_some_and(|u| u <= date) {
        return None;
    }
    let previewing = preview_since.is_none_or(|p| p <= date);
    if preview {
        return previewing.then_some(Status::Preview);
    }
    if since.is_none_or(|s| s <= date) {
        Some(Status::Ga)
    } else {
        preview_since.is_some_and(|p| p <= date).then_some(Status::Preview)
    }
}

/// The dates of a feature, for describing it.
struct Dates<'a> {
    preview_since: &'a Option<Text>,
    since: &'a Option<Text>,
    preview: bool,
}

impl Dates<'_> {
    /// ` preview from 2024-11-02, GA from 2025-05-19`, ` preview`, ` from 2024-04-03` or nothing.
    fn describe(&self) -> String {
        match (self.preview_since, self.since, self.preview) {
            (Some(p), _, true) => format!(" preview from {p}"),
            (None, _, true) => " preview".to_string(),
            (Some(p), Some(s), false) => format!(" preview from {p}, GA from {s}"),
            (Some(p), None, false) => format!(" preview from {p}"),
            (None, Some(s), false) => format!(" from {s}"),
            (None, None, false) => String::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Charge {
    /// Billed whether used or not (per hour, day, month, seat).
    Fixed,
    /// Billed by declared usage (calls, tokens, GB).
    Usage,
}

/// The Retail Prices API item a component is priced from (exact, case-sensitive matches).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeterFilter {
    pub product: Text,
    pub sku: Text,
    pub meter: Text,
    pub unit: Text,
    /// The API page and `serviceName` when they are not the type's: Functions on a Dedicated plan
    /// are billed on App Service meters (`azure_app_service.json`, "Azure App Service").
    #[serde(default)]
    pub file: Option<Text>,
    #[serde(default)]
    pub service: Option<Text>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub id: Text,
    pub name: Text,
    pub charge: Charge,
    /// Usage key of the architecture file that drives a usage component.
    #[serde(default)]
    pub usage: Option<Text>,
    /// Capacity keys multiplied into a fixed component's quantity (`units`, `replicas`, ...).
    #[serde(default)]
    pub per: Vec<String>,
    /// A constant multiplier, e.g. 3.5 GiB of memory per EP1 instance.
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub factor: Option<Decimal>,
    /// Only for services running this OS.
    #[serde(default)]
    pub os: Option<Text>,
    /// Only for this model (Azure OpenAI).
    #[serde(default)]
    pub model: Option<Text>,
    /// Pricing region instead of the service's: a literal (`Global`, `Zone 1`) or `zone` for the
    /// service's Front Door billing zone.
    #[serde(default)]
    pub region: Option<Text>,
    #[serde(default)]
    pub meter: Option<Box<MeterFilter>>,
    /// Unit of a documented (not API-sourced) price.
    #[serde(default)]
    pub unit: Option<Text>,
    /// The price comes from the snapshot's documented.toml, not from the Retail Prices API.
    #[serde(default)]
    pub documented: bool,
    /// Units free every month that the API data has no row for (with `free_doc` as the source).
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub free_units: Option<Decimal>,
    #[serde(default)]
    pub free_doc: Option<Text>,
    /// Price key `type/tier/component`, filled in when the catalog is loaded so that pricing a line
    /// borrows it instead of formatting it.
    #[serde(skip)]
    pub key: String,
}

impl Component {
    /// The unit string the price is expressed in.
    pub fn unit(&self) -> &str {
        match (&self.meter, &self.unit) {
            (Some(m), _) => &m.unit,
            (None, Some(u)) => u,
            (None, None) => "",
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub id: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Capacity rank: the closed design only moves a service to a tier of equal or higher rank.
    pub rank: u32,
    /// Whether the tier has a financially backed SLA; absent when no source says (what was searched
    /// is then a comment in the file).
    #[serde(default)]
    pub sla: Option<bool>,
    #[serde(default)]
    pub sla_doc: Option<Text>,
    /// The published uptime percentage (`"99.95"`), where the source gives one.
    #[serde(default)]
    pub sla_percent: Option<String>,
    /// Date of the SLA source (its `Updated:` line or the page's date), where it has one.
    #[serde(default)]
    pub sla_as_of: Option<String>,
    /// Conditions and caveats of the SLA, as the source states them (instances, replicas, tiers).
    #[serde(default)]
    pub sla_note: Option<String>,
    /// A higher SLA across availability zones (Azure Firewall: 99.99% with two or more zones).
    #[serde(default)]
    pub sla_zones: Option<SlaZones>,
    /// Operating systems the tier runs; empty means any.
    #[serde(default)]
    pub os: Vec<String>,
    pub capabilities: Vec<Capability>,
    pub components: Vec<Component>,
    /// First day the tier is generally available, where its meters predate that (or are absent).
    #[serde(default)]
    pub since: Option<Text>,
    #[serde(default)]
    pub since_doc: Option<Text>,
    /// First day it can no longer be created.
    #[serde(default)]
    pub until: Option<Text>,
    /// First day of the tier's public preview, before `since`.
    #[serde(default)]
    pub preview_since: Option<Text>,
    /// Still in preview at the newest source, with no GA date (`since` absent).
    #[serde(default)]
    pub preview: bool,
    /// The page that dates the preview.
    #[serde(default)]
    pub preview_doc: Option<Text>,
    /// The tier is retiring (finding CN009 for a service that declares it).
    #[serde(default)]
    pub retires: Option<Retirement>,
    /// The app's own host storage account, locked down with it in a closed network: its private
    /// endpoints, sub-resource -> private DNS zone (Functions Premium: blob and file; Logic Apps
    /// Standard: blob, file, queue, table).
    #[serde(default)]
    pub host_storage: std::collections::BTreeMap<String, String>,
    /// The tier can be zone-redundant (`zone_redundant: true` in an architecture file), with the
    /// capacity the platform then runs and bills at least, by date (App Service: 3 instances,
    /// then 2). Empty: the tier is not zone-redundant, or the catalog does not model it.
    #[serde(default)]
    pub zone_redundancy: Vec<ZoneRedundancy>,
}

/// What zone redundancy asks of a tier's capacity from `since` to `until`, and the page that says
/// so.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneRedundancy {
    /// The capacity key (`instances`, `units`) the minimum applies to; absent: no minimum.
    #[serde(default)]
    pub capacity: Option<String>,
    #[serde(default = "one")]
    pub min: u32,
    pub doc: Text,
    pub as_of: Text,
    #[serde(default)]
    pub since: Option<Text>,
    #[serde(default)]
    pub until: Option<Text>,
}

fn one() -> u32 {
    1
}

/// The SLA of every tier of a type that states none of its own (App Service: 99.95% from Basic up).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeSla {
    /// The uptime percentage (`"99.95"`), where the source gives one.
    #[serde(default)]
    pub percent: Option<String>,
    pub doc: Text,
    /// Date of the source: YYYY-MM-DD, or YYYY-MM for an `Updated: 11/2016` line.
    #[serde(default)]
    pub as_of: Option<String>,
    /// Conditions and caveats, as the source states them.
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub zones: Option<SlaZones>,
}

/// The SLA a tier has when deployed across availability zones.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaZones {
    /// Zones it must span.
    pub zones: u32,
    /// The uptime percentage then (`"99.99"`).
    pub percent: String,
}

/// A tier's announced retirement, for the OS it applies to.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retirement {
    /// The plan as people name it: `Linux Consumption`.
    pub plan: Text,
    pub date: Text,
    /// Only this OS retires (Linux Consumption); absent: every OS.
    #[serde(default)]
    pub os: Option<String>,
    pub replacement: Text,
    pub doc: Text,
}

impl Tier {
    /// The capability of `kind` in force on `date`, GA or in preview (a GA one first).
    pub fn capability(&self, kind: CapabilityKind, date: &str) -> Option<&Capability> {
        let of_kind = || self.capabilities.iter().filter(move |c| c.kind == kind);
        of_kind()
            .find(|c| c.status(date) == Some(Status::Ga))
            .or_else(|| of_kind().find(|c| c.status(date) == Some(Status::Preview)))
    }

    /// Whether the tier can be deployed on `date` (GA or in preview).
    pub fn exists_at(&self, date: &str) -> bool {
        self.status(date).is_some()
    }

    /// GA or preview on `date`, or `None` when it cannot be deployed then.
    pub fn status(&self, date: &str) -> Option<Status> {
        status_at(self.preview_since.as_deref(), self.since.as_deref(), self.preview, self.until.as_deref(), date)
    }

    /// ` (preview from 2024-04-03, GA from 2024-11-19)`, ` (GA 2025-11-20)` or nothing: the tier's
    /// dates for the catalog and `explain`.
    pub fn dates(&self) -> String {
        match (&self.preview_since, &self.since, self.preview) {
            (None, Some(s), false) => format!(" (GA {s})"),
            (None, None, false) => String::new(),
            (p, s, preview) => format!(" ({})", Dates { preview_since: p, since: s, preview }.describe().trim_start()),
        }
    }

    /// `SLA 99.95%`, `SLA 99.95% (99.99% across 2+ zones)`, `SLA`, `no SLA` or `SLA not found`.
    pub fn sla_text(&self) -> String {
        match (self.sla, &self.sla_percent) {
            (Some(true), Some(p)) => {
                let zones = self.sla_zones.as_ref().map(|z| format!(" ({}% across {}+ zones)", z.percent, z.zones));
                format!("SLA {p}%{}", zones.unwrap_or_default())
            }
            (Some(true), None) => "SLA".to_string(),
            (Some(false), _) => "no SLA".to_string(),
            (None, _) => "SLA not found".to_string(),
        }
    }

    pub fn supports_os(&self, os: &str) -> bool {
        self.os.is_empty() || self.os.iter().any(|o| o == os)
    }

    /// What zone redundancy asks of the tier on `date`; `None` when it cannot be zone-redundant then.
    pub fn zone_redundancy_at(&self, date: &str) -> Option<&ZoneRedundancy> {
        self.zone_redundancy.iter().find(|z| in_force(z.since.as_deref(), z.until.as_deref(), date))
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateEndpointDef {
    /// The private-link sub-resource (group id), e.g. `Gateway`, `sites`, `searchService`.
    pub subresource: String,
    /// The private DNS zone; `{region}` stands for the service's region
    /// (`privatelink.{region}.azurecontainerapps.io`).
    pub dns_zone: String,
    /// A charge the endpoint brings with it (Container Apps).
    #[serde(default)]
    pub charge: Option<EndpointCharge>,
    /// More zones the same endpoint needs (Azure Monitor Private Link Scope needs five).
    #[serde(default)]
    pub extra_dns_zones: Vec<String>,
    /// One endpoint serves every service of the type in the network (an Azure Monitor Private Link
    /// Scope serves many workspaces).
    #[serde(default)]
    pub one_per_network: bool,
}

/// How many embedding skills an indexer may have to run privately, and from when (AI Search:
/// finding CN015), with the tiers on which a shared private link cannot reach a Foundry resource.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbeddingLimit {
    pub skills: u32,
    /// First day the limit is documented.
    pub since: Text,
    pub doc: Text,
    pub as_of: Text,
    /// Tiers whose shared private links cannot reach a Microsoft Foundry resource.
    #[serde(default)]
    pub no_foundry: Vec<String>,
    /// The page that says so, and its date.
    pub foundry_doc: Text,
    pub foundry_as_of: Text,
}

/// Replicas a service needs for its SLA (AI Search: 2 for queries, 3 for queries and indexing).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaReplicas {
    pub read: u32,
    pub read_write: u32,
    pub doc: Text,
    pub as_of: Text,
}

/// Whether Front Door can reach this type over Private Link as an origin, and from when.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginSupport {
    /// Microsoft Learn page listing the supported origin types.
    pub doc: Text,
    pub as_of: Text,
    /// First day it is generally available (absent: before any snapshot).
    #[serde(default)]
    pub since: Option<Text>,
    /// First day of its public preview, before `since`.
    #[serde(default)]
    pub preview_since: Option<Text>,
    /// The page that dates the preview, when it is not `doc`.
    #[serde(default)]
    pub preview_doc: Option<Text>,
}

impl OriginSupport {
    /// GA or preview on `date`.
    pub fn status(&self, date: &str) -> Option<Status> {
        status_at(self.preview_since.as_deref(), self.since.as_deref(), false, None, date)
    }
}

/// A private endpoint that brings a charge of its own: a tier of the `private-endpoint` type that
/// the closed design adds with the endpoint (Container Apps: the "Dedicated Plan Management" charge,
/// billed even on a Consumption-only environment).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointCharge {
    /// The tier of `private-endpoint` that prices it.
    pub tier: String,
    pub doc: String,
    pub as_of: String,
}

/// A resource type an AI Search shared private link can reach, with its group ids and dates
/// (search-indexer-howto-access-private, "Supported resource types").
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkTarget {
    /// The catalog type.
    #[serde(rename = "type")]
    pub type_id: String,
    /// Group ids it accepts; the first is the one used when the target names none of them.
    pub groups: Vec<String>,
    pub doc: String,
    pub as_of: String,
    /// First day generally available (absent: before any snapshot).
    #[serde(default)]
    pub since: Option<Text>,
    #[serde(default)]
    pub preview_since: Option<Text>,
    /// Still preview at `as_of`, with no GA date.
    #[serde(default)]
    pub preview: bool,
    /// The page that dates the preview or `since`, when it is not `doc`.
    #[serde(default)]
    pub since_doc: Option<Text>,
    /// Only for some features, as the page says (API Management: three skills).
    #[serde(default)]
    pub scope: Option<String>,
}

impl LinkTarget {
    pub fn status(&self, date: &str) -> Option<Status> {
        status_at(self.preview_since.as_deref(), self.since.as_deref(), self.preview, None, date)
    }

    /// `openai (openai_account) preview from 2023-11-15, GA from 2025-09-26 (2026-01-23)`, with its
    /// scope when it has one.
    pub fn describe(&self) -> String {
        let dates = Dates { preview_since: &self.preview_since, since: &self.since, preview: self.preview };
        let scope = self.scope.as_ref().map(|s| format!("; {s}")).unwrap_or_default();
        format!("{} ({}){} ({}){scope}", self.type_id, self.groups.join("/"), dates.describe(), self.as_of)
    }

    /// The group id a link to a target naming `subresources` uses.
    pub fn group(&self, subresources: &[String]) -> &str {
        let named = subresources.first().and_then(|s| self.groups.iter().find(|g| *g == s));
        named.or(self.groups.first()).map_or("", String::as_str)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceDef {
    #[serde(rename = "type")]
    pub type_id: String,
    pub name: Text,
    /// File name of this service in a Retail Prices API folder (`api_management.json`).
    #[serde(default)]
    pub retail_file: Option<Text>,
    /// The API's `serviceName`.
    #[serde(default)]
    pub service_name: Option<Text>,
    #[serde(default)]
    pub capacity: Vec<String>,
    /// Capacity when the file names none (default 1), e.g. 400 RU/s for Cosmos DB.
    #[serde(default)]
    pub capacity_defaults: BTreeMap<String, String>,
    #[serde(default)]
    pub usage: Vec<String>,
    #[serde(default)]
    pub models: Vec<String>,
    /// Capabilities that give this service private outbound access.
    #[serde(default)]
    pub outbound_via: Vec<CapabilityKind>,
    /// What its shared private links can reach (AI Search); a private callee of another type cannot
    /// be reached privately (finding CN017).
    #[serde(default)]
    pub shared_private_link_targets: Vec<LinkTarget>,
    /// The capability outbound access needs when the service runs a skillset (AI Search).
    #[serde(default)]
    pub outbound_with_skillset: Option<CapabilityKind>,
    /// The capability outbound access needs when the skillset has only embedding skills.
    #[serde(default)]
    pub outbound_with_embedding: Option<CapabilityKind>,
    #[serde(default)]
    pub private_endpoint: Option<PrivateEndpointDef>,
    /// The private DNS zone an instance injected in internal mode needs for its own hostnames
    /// (API Management: `azure-api.net`, whose gateway, portal and management names resolve to the
    /// private VIP only through a zone the customer runs).
    #[serde(default)]
    pub injected_dns_zone: Option<Text>,
    /// Front Door Premium reaches it over Private Link (absent: it cannot be a Private Link origin,
    /// and an Application Gateway goes in front).
    #[serde(default)]
    pub private_link_origin: Option<OriginSupport>,
    /// IP network rules cannot restrict callers in the same region (storage: finding CN001).
    #[serde(default)]
    pub ip_rules_same_region: bool,
    /// It can host an AI Search custom skill, which must answer within 230 s (finding CN002).
    #[serde(default)]
    pub custom_skill_host: bool,
    /// Limits of private indexers (finding CN015).
    #[serde(default)]
    pub embedding_limit: Option<EmbeddingLimit>,
    /// The SLA of its tiers that state none of their own (filled into them when loaded).
    #[serde(default)]
    pub sla: Option<TypeSla>,
    /// The SLA needs this many replicas (finding CN016 under `sla: production`).
    #[serde(default)]
    pub sla_replicas: Option<SlaReplicas>,
    /// Sub-resources that each take a private endpoint (storage), with their DNS zones.
    #[serde(default)]
    pub subresources: BTreeMap<String, String>,
    #[serde(default)]
    pub default_subresources: Vec<String>,
    /// Only the rules engine adds this type (private endpoints, gateways, licences).
    #[serde(default)]
    pub implied_only: bool,
    /// Not deployed in a region (Front Door, Entra ID).
    #[serde(default)]
    pub global: bool,
    /// Deployed into the customer's own subnet (firewall, gateways): inside the network by
    /// construction, so the closed design needs nothing more of it. The value is the Learn page.
    #[serde(default)]
    pub in_network: Option<Text>,
    /// A plan billed on a subscription (Defender for Cloud), not a resource with an endpoint: the
    /// closed design needs nothing of it.
    #[serde(default)]
    pub billing_plan: bool,
    /// The hand-written tiers; [`ServiceDef::tiers`] gives these and the sizes as tiers.
    #[serde(default, rename = "tiers")]
    written: Vec<Tier>,
    /// Virtual-machine sizes, each priced from its Linux and Windows meters: a table of a thousand
    /// sizes read from the pages instead of a thousand hand-written tiers of four components each.
    #[serde(default)]
    pub sizes: Sizes,
    /// Each size as a tier, made when first asked for: an estimate names one or two of the
    /// thousand, and making them all was two thirds of its run time. Boxed, so that the slots of
    /// the sizes never made take a few pages, not the 170 a thousand tiers in place would touch.
    #[serde(skip)]
    sized: Vec<OnceLock<Box<Tier>>>,
}

impl ServiceDef {
    /// The API page and `serviceName` a metered component is priced from.
    pub fn meter_source<'a>(&'a self, filter: &'a MeterFilter) -> Option<(&'a str, &'a str)> {
        let file = filter.file.as_deref().or(self.retail_file.as_deref())?;
        let service = filter.service.as_deref().or(self.service_name.as_deref())?;
        Some((file, service))
    }

    /// Whether Front Door can reach this type over Private Link on `date` (GA or in preview).
    pub fn private_link_origin_at(&self, date: &str) -> bool {
        self.private_link_origin.as_ref().is_some_and(|o| o.status(date).is_some())
    }

    /// What a shared private link of this service reaches for a callee of `type_id` on `date`.
    pub fn link_target(&self, type_id: &str, date: &str) -> Option<(&LinkTarget, Status)> {
        self.shared_private_link_targets
            .iter()
            .filter(|t| t.type_id == type_id)
            .find_map(|t| Some((t, t.status(date)?)))
    }

    /// The private DNS zones of its private endpoint in `region`.
    pub fn endpoint_zones(&self, region: &str) -> Vec<String> {
        let Some(pe) = &self.private_endpoint else { return Vec::new() };
        std::iter::once(&pe.dns_zone).chain(&pe.extra_dns_zones).map(|z| z.replace("{region}", region)).collect()
    }

    /// Every tier: the hand-written ones, then the sizes (all made when the first is reached).
    pub fn tiers(&self) -> impl Iterator<Item = &Tier> + Clone {
        self.written.iter().chain(std::iter::once(self).flat_map(ServiceDef::all_sized))
    }

    /// Every size as its tier, reading the rows once to make those not made yet.
    fn all_sized(&self) -> impl Iterator<Item = &Tier> + Clone {
        if self.sized.iter().any(|slot| slot.get().is_none()) {
            for (slot, size) in self.sized.iter().zip(self.sizes.iter()) {
                if slot.get().is_none() {
                    // Another thread may have made it meanwhile; either tier is the same.
                    let _ = slot.set(self.made(&size));
                }
            }
        }
        self.sized.iter().filter_map(|slot| slot.get().map(|tier| &**tier))
    }

    /// The first size `f` accepts, as its tier (made on first use), reading no row past it.
    fn find_size(&self, f: impl Fn(&Size) -> bool) -> Option<&Tier> {
        let (i, size) = self.sizes.iter().enumerate().find(|(_, s)| f(s))?;
        Some(self.sized.get(i)?.get_or_init(|| self.made(&size)))
    }

    fn made(&self, size: &Size) -> Box<Tier> {
        let mut tier = size.tier();
        self.finish(&mut tier);
        Box::new(tier)
    }

    /// Finds a tier by id or alias, ignoring case; a size is made only when it is the one named.
    pub fn tier(&self, name: &str) -> Option<&Tier> {
        let name = name.trim();
        let written = self
            .written
            .iter()
            .find(|t| t.id.eq_ignore_ascii_case(name) || t.aliases.iter().any(|a| a.eq_ignore_ascii_case(name)));
        written.or_else(|| self.find_size(|s| s.is_named(name)))
    }

    /// Capacity of `key` when the file names none.
    pub fn capacity_default(&self, key: &str) -> rust_decimal::Decimal {
        self.capacity_defaults.get(key).and_then(|v| v.parse().ok()).unwrap_or(rust_decimal::Decimal::ONE)
    }

    /// The lowest-rank tier that runs `os` (the default when the file names none; the first of
    /// the lowest rank, in catalog order).
    pub fn default_tier(&self, os: Option<&str>) -> Option<&Tier> {
        let runs = |t: &&Tier| os.is_none_or(|os| t.supports_os(os));
        // Sizes come after the hand-written tiers and have rank 0, the lowest: a hand-written tier
        // of rank 0 comes first, and otherwise the first size that runs the OS wins.
        if let Some(t) = self.written.iter().filter(runs).find(|t| t.rank == 0) {
            return Some(t);
        }
        self.find_size(|s| os.is_none_or(|os| s.runs(os)))
            .or_else(|| self.written.iter().filter(runs).min_by_key(|t| t.rank))
    }

    /// The lowest-rank tier (the first of that rank).
    pub fn lowest_tier(&self) -> Option<&Tier> {
        self.default_tier(None)
    }

    /// Price key of a component: `type/tier/component`.
    pub fn key(&self, tier: &Tier, component: &Component) -> String {
        format!("{}/{}/{}", self.type_id, tier.id, component.id)
    }

    /// Fills in what loading derives (once, when the catalog is loaded; for a size, when its tier
    /// is made): every component's price key, and the type's `sla` on each tier that states none
    /// of its own.
    pub(crate) fn with_keys(mut self) -> Self {
        let mut written = std::mem::take(&mut self.written);
        for tier in &mut written {
            self.finish(tier);
        }
        self.written = written;
        self.sized = (0..self.sizes.len()).map(|_| OnceLock::new()).collect();
        self
    }

    fn finish(&self, tier: &mut Tier) {
        if let Some(sla) = self.sla.as_ref().filter(|_| tier.sla.is_none()) {
            tier.sla = Some(true);
            tier.sla_doc = Some(sla.doc.clone());
            tier.sla_percent.clone_from(&sla.percent);
            tier.sla_as_of.clone_from(&sla.as_of);
            tier.sla_note.clone_from(&sla.note);
            tier.sla_zones.clone_from(&sla.zones);
        }
        for comp in &mut tier.components {
            // What `key` formats, without the formatting machinery: this runs for every component
            // of every tier an estimate reads.
            let mut key = String::with_capacity(self.type_id.len() + tier.id.len() + comp.id.len() + 2);
            for (i, part) in [self.type_id.as_str(), tier.id.as_str(), comp.id.as_str()].into_iter().enumerate() {
                if i > 0 {
                    key.push('/');
                }
                key.push_str(part);
            }
            comp.key = key;
        }
    }
}

/// Whether `s` is a calendar date written YYYY-MM-DD (so that text order is date order).
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    if !b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()) {
        return false;
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (n(0..4), n(5..7), n(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// The operating systems an architecture file may name (`os:`).
const OPERATING_SYSTEMS: [&str; 2] = ["linux", "windows"];

impl ServiceDef {
    /// Checks what the engine relies on and the loader cannot express in types: every catalog
    /// the loader accepts is one the engine can run. The first problem found, naming the tier or
    /// component (`tier standard: ...`, `standard/gateway-unit: ...`); the caller adds the file.
    pub fn validate(&self) -> Result<(), String> {
        let Some(first) = self.tiers().next() else {
            return Err("no tiers: a service type needs at least one tier".into());
        };
        self.validate_type(first)?;
        let mut names = std::collections::BTreeSet::new();
        for tier in self.tiers() {
            self.validate_tier(tier, &mut names)?;
        }
        Ok(())
    }

    /// What [`ServiceDef::validate`] checks of the type as a whole; `first` is its first tier.
    fn validate_type(&self, first: &Tier) -> Result<(), String> {
        if let Some(file) = self.retail_file.as_deref().filter(|f| !is_retail_file(f)) {
            return Err(format!("retail_file {file:?} {NOT_A_RETAIL_FILE}"));
        }
        for (key, value) in &self.capacity_defaults {
            if !self.capacity.contains(key) {
                return Err(format!("capacity_defaults: {key} is not a capacity key (capacity = {:?})", self.capacity));
            }
            if value.trim().parse::<Decimal>().map_or(true, |v| v <= Decimal::ZERO) {
                return Err(format!("capacity_defaults: {key} = \"{value}\" is not a number above zero"));
            }
        }
        if let Some(s) = self.default_subresources.iter().find(|s| !self.subresources.contains_key(*s)) {
            return Err(format!("default_subresources: {s} is not in subresources"));
        }
        // Other documented facts: a page and its date, like a capability's.
        let pages = [
            self.private_link_origin.as_ref().map(|o| ("private_link_origin", &o.doc, &o.as_of)),
            self.sla_replicas.as_ref().map(|r| ("sla_replicas", &r.doc, &r.as_of)),
            self.embedding_limit.as_ref().map(|l| ("embedding_limit", &l.doc, &l.as_of)),
            self.embedding_limit.as_ref().map(|l| ("embedding_limit", &l.foundry_doc, &l.foundry_as_of)),
            self.embedding_limit.as_ref().map(|l| ("embedding_limit", &l.doc, &l.since)),
        ];
        for (what, doc, as_of) in pages.into_iter().flatten() {
            if !doc.starts_with("https://") {
                return Err(format!("{what}: doc \"{doc}\" is not an https:// page"));
            }
            if !is_date(as_of) {
                return Err(format!("{what}: as_of \"{as_of}\" is not a date written YYYY-MM-DD"));
            }
        }
        if let Some(own) = &self.sla {
            let tier = Tier {
                sla: Some(true),
                sla_doc: Some(own.doc.clone()),
                sla_percent: own.percent.clone(),
                sla_as_of: own.as_of.clone(),
                sla_note: own.note.clone(),
                sla_zones: own.zones.clone(),
                ..first.clone()
            };
            if !own.doc.starts_with("https://") {
                return Err(format!("sla: doc \"{}\" is not an https:// page", own.doc));
            }
            sla(&tier).map_err(|e| format!("sla: {e}"))?;
        }
        if let Some(o) = &self.private_link_origin {
            dates(&o.since, &None).map_err(|e| format!("private_link_origin: {e}"))?;
            preview_dates(&o.preview_since, &o.since, false, &o.preview_doc)
                .map_err(|e| format!("private_link_origin: {e}"))?;
        }
        if let Some(c) = self.private_endpoint.as_ref().and_then(|p| p.charge.as_ref())
            && (!c.doc.starts_with("https://") || !is_date(&c.as_of))
        {
            return Err("private_endpoint.charge: needs doc (an https:// page) and as_of (YYYY-MM-DD)".into());
        }
        for t in &self.shared_private_link_targets {
            let at = |msg: String| format!("shared_private_link_targets {}: {msg}", t.type_id);
            if t.groups.is_empty() {
                return Err(at("no groups: a target takes at least one group id".into()));
            }
            if !t.doc.starts_with("https://") || !is_date(&t.as_of) {
                return Err(at("needs doc (an https:// page) and as_of (YYYY-MM-DD)".into()));
            }
            dates(&t.since, &None).map_err(at)?;
            preview_dates(&t.preview_since, &t.since, t.preview, &t.since_doc).map_err(at)?;
        }
        if !self.implied_only {
            // An architecture file may name either OS without a tier; the engine then needs a tier
            // that runs it.
            if let Some(os) = OPERATING_SYSTEMS.iter().find(|os| !self.tiers().any(|t| t.supports_os(os))) {
                return Err(format!("no tier runs {os}, which an architecture file may declare"));
            }
        }
        Ok(())
    }

    /// What [`ServiceDef::validate`] checks of one tier; `names` holds the tier names and aliases
    /// seen so far, lower-cased.
    fn validate_tier(&self, tier: &Tier, names: &mut std::collections::BTreeSet<String>) -> Result<(), String> {
        let https = |s: &Option<Text>| s.as_deref().is_some_and(|d| d.starts_with("https://"));
        let at = |msg: String| format!("tier {}: {msg}", tier.id);
        for name in std::iter::once(&tier.id).chain(&tier.aliases) {
            if !names.insert(name.to_ascii_lowercase()) {
                return Err(at(format!("the name {name} is used by two tiers")));
            }
        }
        if let Some(os) = tier.os.iter().find(|os| !OPERATING_SYSTEMS.contains(&os.as_str())) {
            return Err(at(format!("os {os} is none of {}", OPERATING_SYSTEMS.join(", "))));
        }
        if tier.sla == Some(false) && tier.sla_doc.is_none() {
            return Err(at("sla = false needs sla_doc, the page that says so".into()));
        }
        if tier.sla_doc.is_some() && !https(&tier.sla_doc) {
            return Err(at("sla_doc is not an https:// page".into()));
        }
        sla(tier).map_err(at)?;
        dates(&tier.since, &tier.until).map_err(at)?;
        if tier.since.is_some() && !https(&tier.since_doc) {
            return Err(at("since needs since_doc, an https:// page".into()));
        }
        let dated = tier.preview_since.is_some() || tier.preview;
        if dated && !https(&tier.preview_doc) {
            return Err(at("a preview needs preview_doc, an https:// page".into()));
        }
        preview_dates(&tier.preview_since, &tier.since, tier.preview, &tier.preview_doc).map_err(at)?;
        for cap in &tier.capabilities {
            let at = |msg: String| at(format!("capability {}: {msg}", cap.kind.as_str()));
            if !cap.doc.starts_with("https://") {
                return Err(at(format!("doc \"{}\" is not an https:// page", cap.doc)));
            }
            if !is_date(&cap.as_of) {
                return Err(at(format!("as_of \"{}\" is not a date written YYYY-MM-DD", cap.as_of)));
            }
            dates(&cap.since, &cap.until).map_err(at)?;
            preview_dates(&cap.preview_since, &cap.since, cap.preview, &cap.preview_doc).map_err(at)?;
        }
        for z in &tier.zone_redundancy {
            let at = |msg: String| at(format!("zone_redundancy: {msg}"));
            if !z.doc.starts_with("https://") {
                return Err(at(format!("doc \"{}\" is not an https:// page", z.doc)));
            }
            if !is_date(&z.as_of) {
                return Err(at(format!("as_of \"{}\" is not a date written YYYY-MM-DD", z.as_of)));
            }
            dates(&z.since, &z.until).map_err(at)?;
            if let Some(key) = z.capacity.as_ref().filter(|k| !self.capacity.contains(k)) {
                return Err(at(format!("capacity {key} is not a capacity key of {}", self.type_id)));
            }
            if z.min == 0 {
                return Err(at("min 0: a zone-redundant service runs at least one".into()));
            }
        }
        if tier.components.is_empty() {
            return Err(at("no components: a tier needs at least one priced component".into()));
        }
        let mut ids = std::collections::BTreeSet::new();
        for comp in &tier.components {
            comp.validate(self).map_err(|msg| format!("{}/{}: {msg}", tier.id, comp.id))?;
            if !ids.insert(&comp.id) {
                return Err(format!("{}/{}: the component is defined twice", tier.id, comp.id));
            }
        }
        Ok(())
    }
}

/// Each date written YYYY-MM-DD, and `since` before `until` when both are given.
fn dates(since: &Option<Text>, until: &Option<Text>) -> Result<(), String> {
    for d in [since, until].into_iter().flatten() {
        if !is_date(d) {
            return Err(format!("date \"{d}\" is not a date written YYYY-MM-DD"));
        }
    }
    match (since, until) {
        (Some(s), Some(u)) if s >= u => Err(format!("since {s} is not before until {u}")),
        _ => Ok(()),
    }
}

/// Why a `retail_file` or a meter's `file` is refused: `pricing import` and `pricing fetch` read and
/// write `<folder>/<region>/<file>`, which must not name a path out of the region's folder.
const NOT_A_RETAIL_FILE: &str = "is not a file name in a region's folder (a name ending in .json, without a directory)";

/// A plain file name ending in `.json`: no directory, no `..`.
fn is_retail_file(file: &str) -> bool {
    std::path::Path::new(file).file_name().and_then(|n| n.to_str()) == Some(file) && file.ends_with(".json")
}

/// A feature's preview dates: a date, before its GA date; a preview with no GA date has no `since`,
/// and a preview start needs one of the two; the page that dates it is https.
fn preview_dates(
    preview_since: &Option<Text>,
    since: &Option<Text>,
    preview: bool,
    doc: &Option<Text>,
) -> Result<(), String> {
    if let Some(p) = preview_since.as_ref().filter(|p| !is_date(p)) {
        return Err(format!("preview_since \"{p}\" is not a date written YYYY-MM-DD"));
    }
    match (preview_since, since, preview) {
        (_, Some(s), true) => return Err(format!("preview = true has no GA date, but since is {s}")),
        (Some(p), None, false) => return Err(format!("preview_since {p} needs since (its GA date) or preview = true")),
        (Some(p), Some(s), false) if p >= s => return Err(format!("preview_since {p} is not before since {s}")),
        _ => {}
    }
    if doc.as_deref().is_some_and(|d| !d.starts_with("https://")) {
        return Err("the preview's page is not an https:// page".into());
    }
    Ok(())
}

/// An SLA figure is a percentage above 0 and at most 100, of a tier that has an SLA, with its page.
fn sla(tier: &Tier) -> Result<(), String> {
    let percent = |p: &str| p.parse::<Decimal>().ok().filter(|v| *v > Decimal::ZERO && *v <= Decimal::ONE_HUNDRED);
    let figures = tier.sla_percent.iter().chain(tier.sla_zones.as_ref().map(|z| &z.percent));
    if let Some(p) = figures.clone().find(|p| percent(p).is_none()) {
        return Err(format!("SLA percentage \"{p}\" is not a number above 0 and at most 100"));
    }
    if figures.count() > 0 && (tier.sla != Some(true) || tier.sla_doc.is_none()) {
        return Err("an SLA percentage needs sla = true and sla_doc".into());
    }
    if tier.sla_zones.as_ref().is_some_and(|z| z.zones < 2 || tier.sla_percent.is_none()) {
        return Err("sla_zones needs 2 or more zones and the tier's own sla_percent".into());
    }
    if let Some(d) = tier.sla_as_of.as_ref().filter(|d| !is_date(d) && !is_date(&format!("{d}-01"))) {
        return Err(format!("SLA date \"{d}\" is not a date written YYYY-MM-DD (or YYYY-MM)"));
    }
    Ok(())
}

impl Component {
    fn validate(&self, def: &ServiceDef) -> Result<(), String> {
        if let Some(file) = self.meter.as_ref().and_then(|m| m.file.as_deref()).filter(|f| !is_retail_file(f)) {
            return Err(format!("meter file {file:?} {NOT_A_RETAIL_FILE}"));
        }
        match (&self.meter, self.documented) {
            (None, false) => return Err("no price source: give a `meter` filter or `documented = true`".into()),
            (Some(_), true) => return Err("both a `meter` filter and `documented = true`: give one".into()),
            (Some(m), false) if def.meter_source(m).is_none() => {
                return Err("metered, but the type has no retail_file and service_name".into());
            }
            _ => {}
        }
        let Some(unit) = crate::catalog::units::Unit::parse(self.unit()) else {
            return Err(format!(
                "unit \"{}\" is not a unit the calculator reads (e.g. 1 Hour, 10K, 1 GB/Month)",
                self.unit()
            ));
        };
        match self.charge {
            Charge::Fixed => {
                if unit.period.is_none() {
                    return Err(format!("a fixed charge needs a unit of time, not \"{}\"", self.unit()));
                }
                if let Some(p) = self.per.iter().find(|p| !def.capacity.contains(p)) {
                    return Err(format!("per {p} is not a capacity key of {}", def.type_id));
                }
            }
            Charge::Usage => match self.usage.as_deref() {
                None => return Err("a usage charge needs `usage`, the usage key that drives it".into()),
                Some(u) if !def.usage.iter().any(|k| k == u) => {
                    return Err(format!("usage {u} is not in the type's usage keys ({})", def.usage.join(", ")));
                }
                Some(_) => {}
            },
        }
        if let Some(m) = self.model.as_ref().filter(|m| !def.models.iter().any(|k| k == m.as_str())) {
            return Err(format!("model {m} is not in the type's models"));
        }
        if self.free_units.is_some() && !self.free_doc.as_deref().is_some_and(|d| d.starts_with("https://")) {
            return Err("free_units needs free_doc, an https:// page".into());
        }
        if self.factor.is_some_and(|f| f < Decimal::ZERO) {
            return Err("factor is negative".into());
        }
        if let Some(free) = self.free_units.filter(|f| *f < Decimal::ZERO) {
            return Err(format!("free_units {free} is negative"));
        }
        Ok(())
    }
}
