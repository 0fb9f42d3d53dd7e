//! The JSON report as types: `--format json` serializes these, and `closednet schema --report`
//! prints their JSON Schema (`schema/report.schema.json`, checked by a test), so the document and
//! its schema cannot drift. Money is text with the currency's decimal places (`"2795.17"`).
//!
//! Fields are declared in alphabetical order: the document's members come out sorted, as they did
//! when it was built as a `serde_json::Value`. Arrays that grow with the design ([`Each`]) are built
//! one element at a time as they are written, so a 20,000-service report never holds its whole
//! tree in memory.

use crate::error::Error;
use schemars::JsonSchema;
use serde::Serialize;
use std::borrow::Cow;

/// A money amount: text with the report currency's decimal places.
pub type Money = String;

#[derive(Serialize, JsonSchema)]
pub struct Report<'a> {
    pub architecture: ArchitectureDto<'a>,
    pub commitment: CommitmentDto,
    /// Whether both designs are priced in full: when false, `delta_monthly` and
    /// `totals_for_months` leave out the lines without a price (`unpriced_lines`).
    pub complete: bool,
    pub delta_monthly: Money,
    pub designs: Designs<'a>,
    pub discounts: Vec<String>,
    pub findings: Each<'a, FindingDto<'a>>,
    /// Infrastructure code only: what the input maps to, absorbs and skips (as `closednet import
    /// --summary json` prints it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import: Option<ImportDto>,
    pub months: u32,
    pub price_sheet: Option<PriceSheetDto>,
    pub pricing: PricingDto<'a>,
    pub schema_version: u32,
    pub totals_for_months: TotalsForMonths,
    /// Infrastructure code only: closed, half-closed or public, each resource judged, the money.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<VerdictDto>,
}

/// The verdict on infrastructure code.
#[derive(Serialize, JsonSchema)]
pub struct VerdictDto {
    /// What the input costs as it builds it (`designs.as_planned.total_monthly`).
    pub as_planned_monthly: Money,
    /// What closing it fully adds: the closed design's total minus the as-planned total.
    pub closing_adds_monthly: Money,
    /// Whether both figures above are priced in full.
    pub complete: bool,
    /// Private endpoints to resources that keep public access on: they close nothing. Null when the
    /// input builds none.
    pub open_endpoints_monthly: Option<Money>,
    /// Their share of the as-planned total, percent, one decimal place.
    pub open_endpoints_share_percent: Option<String>,
    /// Every resource that can be reached, priced or not.
    pub services: Vec<VerdictServiceDto>,
    /// `closed`, `half-closed` or `public`; null when there is nothing to judge.
    pub state: Option<&'static str>,
}

#[derive(Serialize, JsonSchema)]
pub struct VerdictServiceDto {
    pub evidence: Vec<String>,
    /// The service it is priced as; null for a resource the catalog lacks.
    pub name: Option<String>,
    /// The resource's address in the input.
    pub source: String,
    /// `closed`, `half-closed`, `public` or `unknown` (decided only at apply).
    pub state: &'static str,
}

/// The import summary: nothing the input builds disappears silently.
#[derive(Serialize, JsonSchema)]
pub struct ImportDto {
    /// Private endpoints, zone groups, private DNS zones and links, platform public IPs.
    pub absorbed: Vec<LeftDto>,
    /// Data sources of the organisation's hub (DNS zones, firewall, network).
    pub existing_hub: Vec<String>,
    pub file: String,
    pub judged: Vec<JudgedDto>,
    pub platform: Vec<PlatformDto>,
    pub region: String,
    pub services: Vec<ImportedServiceDto>,
    pub skipped: Vec<LeftDto>,
    pub verdict: Option<&'static str>,
    pub warnings: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct LeftDto {
    pub address: String,
    pub reason: String,
    #[serde(rename = "type")]
    pub type_name: String,
}

#[derive(Serialize, JsonSchema)]
pub struct JudgedDto {
    pub address: String,
    pub evidence: Vec<String>,
    pub service: Option<String>,
    pub state: &'static str,
    #[serde(rename = "type")]
    pub type_name: String,
}

#[derive(Serialize, JsonSchema)]
pub struct PlatformDto {
    pub count: u32,
    pub key: String,
    pub sources: Vec<String>,
    pub value: String,
}

#[derive(Serialize, JsonSchema)]
pub struct ImportedServiceDto {
    pub evidence: Vec<String>,
    pub name: String,
    pub sources: Vec<String>,
    pub tier: String,
    #[serde(rename = "type")]
    pub type_id: String,
}

#[derive(Serialize, JsonSchema)]
pub struct ArchitectureDto<'a> {
    pub file: &'a str,
    pub name: &'a str,
    pub region: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct CommitmentDto {
    pub label: String,
    /// `design: service / component` of each line priced at a savings plan rate.
    pub lines: Vec<String>,
    /// `payg`, `savings-1y` or `savings-3y`.
    pub term: String,
}

#[derive(Serialize, JsonSchema)]
pub struct Designs<'a> {
    /// Infrastructure code only: the design exactly as the input builds it (its tiers, its private
    /// endpoints and DNS zones as counted, its platform as counted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_planned: Option<DesignDto<'a>>,
    pub closed: DesignDto<'a>,
    pub rbac: DesignDto<'a>,
}

#[derive(Serialize, JsonSchema)]
pub struct DesignDto<'a> {
    pub added: Each<'a, ServiceDto<'a>>,
    /// Closed design only: what closing costs, by requirement (rows add up to `delta_monthly`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_requirement: Option<Vec<RequirementDto>>,
    pub complete: bool,
    /// Closed design only: every tier decision with its evidence and rejected tiers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decisions: Option<Each<'a, DecisionDto<'a>>>,
    pub fixed_monthly: Money,
    pub fixed_share_percent: Option<String>,
    pub list_monthly: Money,
    pub services: Each<'a, ServiceDto<'a>>,
    pub total_monthly: Money,
    pub unpriced_lines: usize,
    pub usage_monthly: Money,
}

#[derive(Serialize, JsonSchema)]
pub struct ServiceDto<'a> {
    pub fixed_monthly: Money,
    pub lines: Vec<LineDto<'a>>,
    pub name: &'a str,
    pub reason: Option<&'a str>,
    pub requirement: Option<&'static str>,
    pub tier: &'a str,
    pub total_monthly: Money,
    #[serde(rename = "type")]
    pub type_id: &'a str,
    pub unpriced_lines: usize,
    pub usage_monthly: Money,
}

#[derive(Serialize, JsonSchema)]
pub struct LineDto<'a> {
    /// `fixed` or `usage`.
    pub charge: &'static str,
    pub commitment: Option<&'static str>,
    pub component: &'a str,
    pub discount_percent: Option<String>,
    pub effective: Option<&'a str>,
    pub key: &'a str,
    pub list_monthly: Option<Money>,
    pub meter_id: Option<&'a str>,
    pub monthly: Option<Money>,
    pub note: Option<String>,
    pub priced: bool,
    pub provided: Option<ProvidedDto<'a>>,
    pub quantity: String,
    pub savings_plan: Option<SavingsPlanDto>,
    pub source: String,
    pub unit: &'a str,
    /// In the report currency, like every other amount here.
    pub unit_price: Option<String>,
    pub unit_price_usd: Option<String>,
    pub your_figure: Option<YourFigureDto<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct ProvidedDto<'a> {
    pub reason: &'a str,
    pub would_cost_monthly: Option<Money>,
}

#[derive(Serialize, JsonSchema)]
pub struct SavingsPlanDto {
    pub payg_monthly: Option<Money>,
    pub savings_1y_monthly: Option<Money>,
    pub savings_3y_monthly: Option<Money>,
}

#[derive(Serialize, JsonSchema)]
pub struct YourFigureDto<'a> {
    pub list_monthly: Option<Money>,
    pub list_source: Option<String>,
    pub list_unit_price: Option<String>,
    pub source: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct RequirementDto {
    pub fixed_monthly: Money,
    pub label: &'static str,
    pub provided_lines: usize,
    pub requirement: &'static str,
    pub saving_if_dropped_monthly: Money,
    /// Percent of the difference, one decimal place; null when the difference is zero.
    pub share: Option<String>,
    pub total_monthly: Money,
    pub unpriced_lines: usize,
    pub usage_monthly: Money,
}

#[derive(Serialize, JsonSchema)]
pub struct DecisionDto<'a> {
    pub as_of: Option<&'a str>,
    pub changed: bool,
    pub doc: Option<&'a str>,
    pub evidence: Vec<EvidenceDto<'a>>,
    pub from: &'a str,
    pub needs: Vec<String>,
    pub rejected: Vec<RejectedDto<'a>>,
    pub rule: Option<&'static str>,
    pub service: &'a str,
    pub to: Option<&'a str>,
    #[serde(rename = "type")]
    pub type_id: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct EvidenceDto<'a> {
    pub as_of: &'a str,
    pub capability: &'static str,
    pub doc: &'a str,
    pub need: &'static str,
    /// The capability is in preview at the snapshot's date (absent: GA).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preview: bool,
    pub rule: &'static str,
}

#[derive(Serialize, JsonSchema)]
pub struct RejectedDto<'a> {
    pub reason: String,
    pub tier: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct FindingDto<'a> {
    pub column: Option<u64>,
    pub doc: &'static str,
    pub file: &'a str,
    pub line: Option<u64>,
    pub message: &'a str,
    pub path: Option<&'a str>,
    pub rule: &'static str,
    pub severity: &'static str,
    pub slug: &'static str,
}

#[derive(Serialize, JsonSchema)]
pub struct PriceSheetDto {
    pub date: String,
    pub file: String,
    pub lines_priced: usize,
    pub tiers_chosen_on_sheet: bool,
}

#[derive(Serialize, JsonSchema)]
pub struct PricingDto<'a> {
    pub as_of: &'a str,
    /// The report currency.
    pub currency: &'a str,
    pub fx: FxDto<'a>,
    pub hours_per_month: String,
    pub rounding: String,
    pub sha256: &'a str,
    pub snapshot: &'a str,
    pub source: &'a str,
    pub source_currency: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct FxDto<'a> {
    pub date: Option<&'a str>,
    /// Units of the report currency per USD.
    pub rate: String,
    pub source: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct TotalsForMonths {
    pub closed: Money,
    pub rbac: Money,
}

/// An array written element by element: `len` elements, element `i` built by `element(i)` when
/// it is written.
pub struct Each<'a, T> {
    pub len: usize,
    pub element: Box<dyn Fn(usize) -> T + 'a>,
}

impl<'a, T> Each<'a, T> {
    pub fn new(len: usize, element: impl Fn(usize) -> T + 'a) -> Self {
        Each { len, element: Box::new(element) }
    }
}

impl<T: Serialize> Serialize for Each<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.len))?;
        for i in 0..self.len {
            seq.serialize_element(&(self.element)(i))?;
        }
        seq.end()
    }
}

impl<T: JsonSchema> JsonSchema for Each<'_, T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Array_of_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let items = generator.subschema_for::<T>();
        schemars::json_schema!({ "type": "array", "items": items })
    }
}

/// `closednet schema --report`: the JSON Schema of `--format json`.
pub fn schema() -> Result<String, Error> {
    let schema = schemars::schema_for!(Report<'static>);
    crate::error::pretty_json(&schema)
}
