//! The calculator: monthly line items for one priced resource, and totals for a design.
//!
//! A fixed component's quantity is the hours in a month (the snapshot's `hours_per_month`, 730)
//! times its capacity (`per`) and `factor`, expressed in the meter's unit (hours, days or months).
//! A usage component's quantity is the declared usage divided by the meter's unit size (`10K`
//! calls, `1K` tokens). Tiered meters are split into their buckets; free grants are the zero-priced
//! first buckets of the API data, plus `free_units` where a documented grant has no row.
//! All arithmetic is checked `Decimal`; nothing is rounded here.
//!
//! A [`Line`] borrows its texts (component name, price key, unit, meter, buckets) from the catalog
//! and a [`Resource`] borrows from the architecture: pricing a tier allocates nothing but its list
//! of lines, and [`TierPrices`] prices a tier once per kind of resource in a run, which keeps
//! 10,000-service designs within a small multiple of reading the YAML.

use crate::catalog::definitions::{Charge, Component, ServiceDef, Tier};
use crate::catalog::snapshot::{Bucket, Snapshot};
use crate::catalog::units::{Period, Unit};
use crate::hash::Fx;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::rc::Rc;

/// A resource to price: a declared service in a design, or a resource the closed design adds.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource<'a> {
    pub type_id: &'a str,
    pub tier: &'a str,
    pub region: &'a str,
    pub capacity: Cow<'a, BTreeMap<String, Decimal>>,
    pub usage: Cow<'a, BTreeMap<String, Decimal>>,
    pub model: Option<&'a str>,
    pub os: Option<&'a str>,
    pub zone: Option<u8>,
}

/// Where a line's price comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source<'c> {
    /// A Retail Prices API item.
    Meter { meter_id: &'c str, effective: &'c str, region: &'c str },
    /// A documented figure the API data does not carry.
    Documented { source: &'c str, effective: &'c str, confidence: Option<&'c str> },
    /// No source gives a price; the reason says why.
    NoPrice(String),
    /// Something the organisation already has provides it (an existing hub, owned licences): it
    /// costs this design nothing. `would_cost` is the list price it would have (USD/month), if any.
    Provided { reason: String, would_cost: Option<Decimal> },
    /// A figure the architect states in the file, with where it comes from.
    Stated(String),
    /// A unit price from the file's `prices:` (an EA/MCA price sheet, a negotiated rate): `source`
    /// is where the figure comes from; `list` is the API or documented price the line had, if any.
    Yours { source: String, list: Option<Box<Listed<'c>>> },
}

/// What a line cost at the catalog's price before the architect's own figure replaced it.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed<'c> {
    /// Unrounded USD for the month at list price.
    pub monthly: Decimal,
    pub unit_price: Option<Decimal>,
    pub source: Source<'c>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Line<'c> {
    pub component: &'c str,
    pub key: &'c str,
    pub charge: Charge,
    /// Quantity in the meter's unit.
    pub quantity: Decimal,
    pub unit: &'c str,
    /// Price of the bucket the last unit falls in (the marginal price).
    pub unit_price: Option<Decimal>,
    /// Unrounded USD for the month at list price; `None` when there is no price.
    pub monthly: Option<Decimal>,
    pub source: Source<'c>,
    /// Negotiated discount in percent from the architecture file or `--discount` (0 to 100).
    pub discount: Option<Decimal>,
    /// The meter's buckets (empty without a price) and the documented free units subtracted first,
    /// so that a spreadsheet can recompute the line from its quantity.
    pub buckets: &'c [Bucket],
    pub free_units: Decimal,
    /// Savings plan unit prices (1-year, 3-year) of a fixed line's meter, from the snapshot.
    pub savings: [Option<Decimal>; 2],
    /// The savings plan the line is priced at (`--commitment`); `None`: pay-as-you-go.
    pub commitment: Option<Commitment>,
}

/// Why a resource could not be priced. A component without a price is not an error: it is a line
/// that says "no price" and why.
#[derive(Clone, Debug, PartialEq)]
pub enum PriceError {
    /// A quantity or amount too large for a Decimal; names the component.
    Overflow(String),
    /// A sum of line items too large for a Decimal: names the line (or service) whose addition
    /// overflows.
    TotalOverflow(String),
    /// The catalog's unit of measure cannot price the component (names the price key and unit).
    Unit(String),
    NoTier {
        type_id: String,
        tier: String,
    },
}

impl std::fmt::Display for PriceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PriceError::Overflow(what) => write!(f, "{what} is too large to compute (Decimal overflow)"),
            PriceError::TotalOverflow(what) => {
                write!(f, "the monthly total is too large to compute (Decimal overflow) once {what} is added")
            }
            PriceError::Unit(why) => f.write_str(why),
            PriceError::NoTier { type_id, tier } => write!(f, "{type_id} has no tier {tier}"),
        }
    }
}

impl From<PriceError> for crate::error::Error {
    fn from(e: PriceError) -> Self {
        crate::error::Error::Message(e.to_string())
    }
}

// Here rather than in `money` or `error`: both are leaves, and a leaf imports no sibling.
impl From<crate::money::Overflow> for crate::error::Error {
    fn from(e: crate::money::Overflow) -> Self {
        crate::error::Error::Message(e.to_string())
    }
}

/// How fixed compute is bought: pay-as-you-go, or a 1-year or 3-year savings plan (`--commitment`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Commitment {
    #[default]
    Payg,
    Savings1y,
    Savings3y,
}

impl Commitment {
    pub const ALL: [Commitment; 3] = [Commitment::Payg, Commitment::Savings1y, Commitment::Savings3y];

    pub fn id(self) -> &'static str {
        match self {
            Commitment::Payg => "payg",
            Commitment::Savings1y => "savings-1y",
            Commitment::Savings3y => "savings-3y",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Commitment::Payg => "pay-as-you-go",
            Commitment::Savings1y => "1-year savings plan",
            Commitment::Savings3y => "3-year savings plan",
        }
    }

    pub fn parse(text: &str) -> Option<Commitment> {
        Commitment::ALL.into_iter().find(|c| c.id().eq_ignore_ascii_case(text.trim()))
    }
}

impl Line<'_> {
    /// Free grant or tier notes: `first 1000000 free`, `tiered: 0.02 from 0, 0.0192 from 51200`,
    /// `no charge` for a usage meter priced at zero.
    pub fn note(&self) -> Option<String> {
        let mut notes = Vec::new();
        if self.free_units > Decimal::ZERO {
            notes.push(format!("first {} free", self.free_units.normalize()));
        }
        if self.buckets.len() > 1 {
            notes.push(tier_note(self.buckets));
        } else if self.buckets.first().is_some_and(|b| b.price.is_zero()) && self.charge == Charge::Usage {
            notes.push("no charge".to_string());
        }
        (!notes.is_empty()).then(|| notes.join("; "))
    }

    /// The units billed after free grants.
    fn billable(&self) -> Decimal {
        (self.quantity - self.free_units).max(Decimal::ZERO)
    }

    /// Whether the line's meter has savings plan rates.
    pub fn has_savings(&self) -> bool {
        self.savings.iter().any(Option::is_some)
    }

    /// Unrounded USD for the month at `c` (list price, before discounts), for a line with savings
    /// plan rates; `None` for other lines, or when the meter has no rate for the term.
    pub fn monthly_at(&self, c: Commitment) -> Option<Decimal> {
        if !self.has_savings() || matches!(self.source, Source::Yours { .. } | Source::Provided { .. }) {
            return None;
        }
        match c {
            Commitment::Payg => bucket_cost(self.buckets, self.billable()),
            Commitment::Savings1y => self.savings[0].and_then(|r| self.billable().checked_mul(r)),
            Commitment::Savings3y => self.savings[1].and_then(|r| self.billable().checked_mul(r)),
        }
    }

    /// Prices the line at the savings plan rate of `c` when its meter has one; true if it did.
    pub fn commit(&mut self, c: Commitment) -> bool {
        let rate = match c {
            Commitment::Payg => return false,
            Commitment::Savings1y => self.savings[0],
            Commitment::Savings3y => self.savings[1],
        };
        match (rate, self.monthly_at(c)) {
            (Some(rate), Some(monthly)) => {
                self.monthly = Some(monthly);
                self.unit_price = Some(rate);
                self.commitment = Some(c);
                true
            }
            _ => false,
        }
    }

    /// Marks the line as provided by something the organisation already has: zero for this design,
    /// keeping its quantity and what it would cost.
    pub fn provide(&mut self, reason: &str) {
        self.source = Source::Provided { reason: reason.to_string(), would_cost: self.monthly };
        self.monthly = Some(Decimal::ZERO);
        self.unit_price = None;
        self.buckets = &[];
        self.free_units = Decimal::ZERO;
        self.savings = [None, None];
        self.commitment = None;
    }

    /// Prices the line at `unit_price` (USD per unit of the line) from the architect's own figure:
    /// the quantity stays, free grants stay (the documented ones and a zero-priced first bucket
    /// of the API data), and what the line cost before is kept as its list price.
    pub fn set_price(&mut self, unit_price: Decimal, source: &str) -> Result<(), PriceError> {
        let mut free = self.free_units;
        if let [first, next, ..] = self.buckets
            && first.price.is_zero()
        {
            free = free.checked_add(next.from).ok_or_else(|| overflow(self.component))?;
        }
        let billable = (self.quantity - free).max(Decimal::ZERO);
        let monthly = billable.checked_mul(unit_price).ok_or_else(|| overflow(self.component))?;
        // A figure of yours over another (the file's `prices:` over a price sheet's): the list
        // price stays the catalog's.
        let list = match &self.source {
            Source::Yours { list, .. } => list.clone(),
            _ => self
                .monthly
                .map(|m| Box::new(Listed { monthly: m, unit_price: self.unit_price, source: self.source.clone() })),
        };
        self.source = Source::Yours { source: source.to_string(), list };
        self.monthly = Some(monthly);
        self.unit_price = Some(unit_price);
        self.buckets = &[];
        self.free_units = free;
        self.discount = None;
        self.savings = [None, None];
        self.commitment = None;
        Ok(())
    }

    /// Unrounded USD for the month after the discount. Computed as the list price less its
    /// discount (never more than the price), so that no amount that fits can overflow here.
    pub fn net(&self) -> Option<Decimal> {
        let m = self.monthly?;
        Some(match self.discount {
            Some(p) => m - m * (p / Decimal::ONE_HUNDRED),
            None => m,
        })
    }
}

/// Sums of a set of lines, unrounded USD. [`Totals::of`] and [`crate::rules::Design::totals`]
/// check that `fixed + usage` fits too, so that [`Totals::total`] cannot overflow.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    pub fixed: Decimal,
    pub usage: Decimal,
    /// Lines without a price (left out of the sums).
    pub unpriced: usize,
}

impl Totals {
    pub fn of<'a, 'c: 'a>(lines: impl IntoIterator<Item = &'a Line<'c>>) -> Result<Totals, PriceError> {
        let mut t = Totals::default();
        for line in lines {
            t.add(line.net(), line.charge)
                .ok_or_else(|| PriceError::TotalOverflow(format!("the line {}", line.component)))?;
        }
        Ok(t)
    }

    /// Adds one amount (`None`: a line without a price) to the fixed or usage sum; `None` when a
    /// sum, or the total of the two, would overflow (the totals are then unchanged).
    pub fn add(&mut self, amount: Option<Decimal>, charge: Charge) -> Option<()> {
        let Some(m) = amount else {
            self.unpriced += 1;
            return Some(());
        };
        let (fixed, usage) = match charge {
            Charge::Fixed => (self.fixed.checked_add(m)?, self.usage),
            Charge::Usage => (self.fixed, self.usage.checked_add(m)?),
        };
        fixed.checked_add(usage)?;
        (self.fixed, self.usage) = (fixed, usage);
        Some(())
    }

    /// Adds another set of totals; `None` (unchanged) on overflow.
    pub fn plus(&mut self, other: &Totals) -> Option<()> {
        let (fixed, usage) = (self.fixed.checked_add(other.fixed)?, self.usage.checked_add(other.usage)?);
        fixed.checked_add(usage)?;
        (self.fixed, self.usage) = (fixed, usage);
        self.unpriced += other.unpriced;
        Some(())
    }

    pub fn total(&self) -> Decimal {
        self.fixed + self.usage
    }
}

fn overflow(what: &str) -> PriceError {
    PriceError::Overflow(what.to_string())
}

/// The components of `tier` that apply to `res` (its OS and model).
pub fn components<'a>(tier: &'a Tier, res: &Resource) -> impl Iterator<Item = &'a Component> {
    let os = res.os.unwrap_or("windows");
    let model = res.model;
    tier.components
        .iter()
        .filter(move |c| c.os.as_deref().is_none_or(|o| o == os) && c.model.as_deref().is_none_or(|m| Some(m) == model))
}

/// Prices every applicable component of `res`. Usage components with no declared usage are left out.
pub fn price<'c>(def: &'c ServiceDef, snapshot: &'c Snapshot, res: &Resource) -> Result<Vec<Line<'c>>, PriceError> {
    let no_tier = || PriceError::NoTier { type_id: def.type_id.clone(), tier: res.tier.to_string() };
    let tier = def.tier(res.tier).ok_or_else(no_tier)?;
    price_tier(tier, snapshot, res)
}

/// [`price`] at a tier already looked up (the resource's `tier` is not read).
pub fn price_tier<'c>(tier: &'c Tier, snapshot: &'c Snapshot, res: &Resource) -> Result<Vec<Line<'c>>, PriceError> {
    let mut lines = Vec::with_capacity(tier.components.len());
    for comp in components(tier, res) {
        if let Some(base) = base(comp, res)? {
            lines.push(line(comp, base, snapshot, res)?);
        }
    }
    Ok(lines)
}

/// The tiers one run has priced, by tier and resource: a design of many services alike (the
/// storage accounts of a plan, which declares no usage) prices each tier once per kind of resource
/// instead of once per service. [`price_tier`] reads nothing but the tier, the snapshot and the
/// fields of the resource in [`PriceKey`], so a hit gives the lines it would compute.
///
/// The lines are shared: a service compares eight tiers and keeps one, which alone is copied. At
/// most [`TierPrices::KEPT`] kinds are kept, so that a design of services that all differ (where
/// nothing would hit) holds a few megabytes of lines, not every tier of every service.
pub struct TierPrices<'a, 'c> {
    seen: RefCell<HashMap<PriceKey<'a>, Rc<Vec<Line<'c>>>, BuildHasherDefault<Fx>>>,
    room: usize,
    /// The last resource's maps (by address) and its fingerprint: a service's tiers are priced one
    /// after another for the same resource, which is hashed once. A fingerprint that does not fit
    /// could only cost a miss: a hit needs every field of the key equal.
    last: Cell<Option<(usize, usize, u64)>>,
}

impl Default for TierPrices<'_, '_> {
    fn default() -> Self {
        TierPrices::with_room(TierPrices::KEPT)
    }
}

impl<'a, 'c> TierPrices<'a, 'c> {
    /// Kinds of (tier, resource) kept: under a megabyte of lines at three lines a tier.
    pub const KEPT: usize = 1024;

    /// Keeps at most `room` kinds.
    pub fn with_room(room: usize) -> Self {
        TierPrices { seen: RefCell::default(), room, last: Cell::new(None) }
    }

    /// [`price_tier`], or the lines it gave for the same tier and resource. A resource that owns
    /// its capacity or usage is priced every time (the key borrows them).
    pub fn shared(
        &self,
        tier: &'c Tier,
        snapshot: &'c Snapshot,
        res: &Resource<'a>,
    ) -> Result<Rc<Vec<Line<'c>>>, PriceError> {
        let Some(key) = PriceKey::of(tier, snapshot, res, &self.last) else {
            return price_tier(tier, snapshot, res).map(Rc::new);
        };
        if let Some(lines) = self.seen.borrow().get(&key) {
            return Ok(Rc::clone(lines));
        }
        let lines = Rc::new(price_tier(tier, snapshot, res)?);
        let mut seen = self.seen.borrow_mut();
        if seen.len() < self.room {
            seen.insert(key, Rc::clone(&lines));
        }
        Ok(lines)
    }

    /// [`TierPrices::shared`], as lines of one's own.
    pub fn price(
        &self,
        tier: &'c Tier,
        snapshot: &'c Snapshot,
        res: &Resource<'a>,
    ) -> Result<Vec<Line<'c>>, PriceError> {
        self.shared(tier, snapshot, res).map(Rc::unwrap_or_clone)
    }
}

/// What [`price_tier`] reads: the tier and snapshot (by address: both live for the run), and the
/// resource's region, capacity, usage, model, OS and zone. Hashed, so that a look-up that misses (a
/// design of services that all differ) costs a hash and not a search through every kind kept; the
/// hash is of the addresses and the resource's fingerprint (`kind`), the fields decide equality.
#[derive(PartialEq, Eq)]
struct PriceKey<'a> {
    tier: usize,
    snapshot: usize,
    kind: u64,
    region: &'a str,
    capacity: Exact<'a>,
    usage: Exact<'a>,
    model: Option<&'a str>,
    os: Option<&'a str>,
    zone: Option<u8>,
}

impl Hash for PriceKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.tier);
        state.write_usize(self.snapshot);
        state.write_u64(self.kind);
    }
}

impl<'a> PriceKey<'a> {
    /// The key of `res` at `tier`; `last` holds the last resource's maps and fingerprint, which
    /// is taken again for the same maps instead of hashing them again.
    fn of(
        tier: &Tier,
        snapshot: &Snapshot,
        res: &Resource<'a>,
        last: &Cell<Option<(usize, usize, u64)>>,
    ) -> Option<PriceKey<'a>> {
        let (Cow::Borrowed(capacity), Cow::Borrowed(usage)) = (&res.capacity, &res.usage) else { return None };
        let (capacity, usage) = (Exact(capacity), Exact(usage));
        let maps = (std::ptr::from_ref(capacity.0) as usize, std::ptr::from_ref(usage.0) as usize);
        let kind = match last.get() {
            Some((c, u, kind)) if (c, u) == maps => kind,
            _ => {
                let mut h = Fx::default();
                (res.region, &capacity, &usage, res.model, res.os, res.zone).hash(&mut h);
                let kind = h.finish();
                last.set(Some((maps.0, maps.1, kind)));
                kind
            }
        };
        Some(PriceKey {
            tier: std::ptr::from_ref(tier) as usize,
            snapshot: std::ptr::from_ref(snapshot) as usize,
            kind,
            region: res.region,
            capacity,
            usage,
            model: res.model,
            os: res.os,
            zone: res.zone,
        })
    }
}

/// Figures compared as written: `Decimal` holds 1.0 and 1.00 equal, but a line shows its
/// quantity at the scale it was computed at, so two services that write them differently are
/// priced apart.
struct Exact<'a>(&'a BTreeMap<String, Decimal>);

impl Exact<'_> {
    fn entries(&self) -> impl Iterator<Item = (&str, [u8; 16])> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.serialize()))
    }
}

impl PartialEq for Exact<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.entries().eq(other.entries())
    }
}

impl Eq for Exact<'_> {}

impl Hash for Exact<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.len());
        for (k, v) in self.entries() {
            k.hash(state);
            state.write(&v);
        }
    }
}

/// What a component bills for before the meter's unit: capacity times `factor` for a fixed charge,
/// the declared usage for a usage charge; `None` when there is no line (no usage declared, or a
/// capacity of zero: a pool that scales to zero, no licences to buy).
fn base(comp: &Component, res: &Resource) -> Result<Option<Decimal>, PriceError> {
    match comp.charge {
        Charge::Fixed => {
            let mut m = comp.factor.unwrap_or(Decimal::ONE);
            for key in &comp.per {
                let v = res.capacity.get(key).copied().unwrap_or(Decimal::ONE);
                m = m.checked_mul(v).ok_or_else(|| overflow(&comp.name))?;
            }
            Ok((!m.is_zero() || comp.per.is_empty()).then_some(m))
        }
        Charge::Usage => Ok(res.usage.get(comp.usage.as_deref().unwrap_or("")).copied()),
    }
}

/// The region a component's meter is read in: the resource's, the component's own (`Global`), or
/// the billing zone of an edge (`Zone 1`); `Err` with why when the zone is not given.
fn meter_region<'a>(comp: &'a Component, res: &Resource<'a>) -> Result<Cow<'a, str>, &'static str> {
    match (comp.region.as_deref(), res.zone) {
        (None, _) => Ok(Cow::Borrowed(res.region)),
        (Some("zone"), Some(z)) => Ok(Cow::Owned(format!("Zone {z}"))),
        (Some("zone"), None) => Err("billed by the clients' edge zone; set `zone:` (1-8) on the service to price it"),
        (Some(r), _) => Ok(Cow::Borrowed(r)),
    }
}

/// Why a metered component has no price, with the item searched for (unless the reason names it)
/// and how to supply a price: a `prices:` entry, or fresh pages from a connected machine. (A price
/// sheet cannot: it is matched by the meter id of a priced line.) No commas or quotes, so that a
/// CSV cell holds it as it is.
fn supply_hint(why: String, comp: &Component, region: &str) -> String {
    let Some(m) = comp.meter.as_deref() else { return why };
    let searched = match why.contains(&format!("{:?}", m.product)) {
        true => String::new(),
        false => format!(" (searched for {} / {} / {} per {})", m.product, m.sku, m.meter, m.unit),
    };
    format!(
        "{why}{searched}; to price it add a `prices:` entry for {} (type/tier/component) \
         or run `closednet pricing fetch --region {region}` and `closednet pricing import` on a connected machine",
        comp.key
    )
}

/// One component's line: priced from the snapshot, or saying why it has no price.
fn line<'c>(
    comp: &'c Component,
    base: Decimal,
    snapshot: &'c Snapshot,
    res: &Resource,
) -> Result<Line<'c>, PriceError> {
    let key = comp.key.as_str();
    let hours = snapshot.meta.hours_per_month;
    // A line that says why it has no price, counting what a priced line would count (730 hours,
    // not one VM) when the component's unit says.
    let unpriced = |why: String| {
        let quantity =
            Unit::parse(comp.unit()).and_then(|u| quantity(comp.charge, &u, base, hours).ok()).unwrap_or(base);
        Line {
            component: &comp.name,
            key,
            charge: comp.charge,
            quantity,
            unit: comp.unit(),
            unit_price: None,
            monthly: None,
            source: Source::NoPrice(why),
            discount: None,
            buckets: &[],
            free_units: Decimal::ZERO,
            savings: [None, None],
            commitment: None,
        }
    };
    let region = match meter_region(comp, res) {
        Ok(r) => r,
        Err(why) => return Ok(unpriced(why.to_string())),
    };
    // The meter's unit is parsed once per run, with the look-up.
    let (entry, unit) = match snapshot.priced(key, &region) {
        Ok(priced) => priced,
        Err(no) => return Ok(unpriced(supply_hint(no.0, comp, &region))),
    };
    let unit = unit.ok_or_else(|| PriceError::Unit(format!("{key}: unit {:?} is not understood", entry.unit)))?;
    let quantity = quantity(comp.charge, &unit, base, hours).map_err(|e| match e {
        QuantityError::NoTime => {
            PriceError::Unit(format!("{key}: a fixed charge needs a unit of time, not {:?}", entry.unit))
        }
        QuantityError::Overflow => overflow(&comp.name),
    })?;
    let free = comp.free_units.unwrap_or(Decimal::ZERO);
    let billable = (quantity - free).max(Decimal::ZERO);
    let monthly = bucket_cost(&entry.buckets, billable).ok_or_else(|| overflow(&comp.name))?;
    let source = match &entry.meter_id {
        Some(id) => Source::Meter { meter_id: id, effective: &entry.effective, region: &entry.region },
        None => Source::Documented {
            source: entry.source.as_deref().unwrap_or_default(),
            effective: &entry.effective,
            confidence: entry.confidence.as_deref(),
        },
    };
    Ok(Line {
        component: &comp.name,
        key,
        charge: comp.charge,
        quantity,
        unit: &entry.unit,
        unit_price: Some(marginal_price(&entry.buckets, billable)),
        monthly: Some(monthly),
        source,
        discount: None,
        buckets: &entry.buckets,
        free_units: free,
        // Savings plans cover compute billed by the hour: fixed lines of one-bucket meters.
        savings: match (comp.charge, entry.buckets.len()) {
            (Charge::Fixed, 1) => [entry.savings_1y, entry.savings_3y],
            _ => [None, None],
        },
        commitment: None,
    })
}

enum QuantityError {
    NoTime,
    Overflow,
}

/// A line's quantity in the meter's unit: a fixed charge's periods in a month (730 hours, 730/24
/// days, one month) times `base`, or a usage divided by the unit's size (`10K` calls).
fn quantity(charge: Charge, unit: &Unit, base: Decimal, hours: Decimal) -> Result<Decimal, QuantityError> {
    match charge {
        Charge::Fixed => {
            let periods = match unit.period {
                Some(Period::Hour) => hours,
                Some(Period::Day) => hours.checked_div(Decimal::from(24)).ok_or(QuantityError::Overflow)?,
                Some(Period::Month) => Decimal::ONE,
                Some(Period::Year) => Decimal::ONE / Decimal::from(12),
                None => return Err(QuantityError::NoTime),
            };
            periods.checked_mul(base).and_then(|q| q.checked_div(unit.size)).ok_or(QuantityError::Overflow)
        }
        Charge::Usage => base.checked_div(unit.size).ok_or(QuantityError::Overflow),
    }
}

/// Cost of `quantity` units split across the buckets (each bucket runs to the next one's start).
pub fn bucket_cost(buckets: &[Bucket], quantity: Decimal) -> Option<Decimal> {
    let mut total = Decimal::ZERO;
    for (i, b) in buckets.iter().enumerate() {
        if quantity <= b.from {
            break;
        }
        let upper = buckets.get(i + 1).map(|n| n.from);
        let top = match upper {
            Some(u) if quantity > u => u,
            _ => quantity,
        };
        let units = top.checked_sub(b.from)?;
        total = total.checked_add(units.checked_mul(b.price)?)?;
    }
    Some(total)
}

fn marginal_price(buckets: &[Bucket], quantity: Decimal) -> Decimal {
    buckets.iter().rev().find(|b| quantity > b.from || b.from.is_zero()).map(|b| b.price).unwrap_or(Decimal::ZERO)
}

fn tier_note(buckets: &[Bucket]) -> String {
    let parts: Vec<String> =
        buckets.iter().map(|b| format!("{} from {}", b.price.normalize(), b.from.normalize())).collect();
    format!("tiered: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn b(from: &str, price: &str) -> Bucket {
        Bucket { from: d(from), price: d(price) }
    }

    #[test]
    fn splits_tiered_meters_into_buckets() {
        // Storage Hot LRS japaneast: 0.02 to 51,200 GB, 0.0192 to 512,000, then 0.0184.
        let storage = [b("0", "0.02"), b("51200", "0.0192"), b("512000", "0.0184")];
        assert_eq!(bucket_cost(&storage, d("500")).unwrap(), d("10.00"));
        // 51,200 x 0.02 = 1,024 + 8,800 x 0.0192 = 168.96 -> 1,192.96
        assert_eq!(bucket_cost(&storage, d("60000")).unwrap(), d("1192.96"));
        // 1,024 + 460,800 x 0.0192 = 8,847.36 + 88,000 x 0.0184 = 1,619.2 -> 11,490.56
        assert_eq!(bucket_cost(&storage, d("600000")).unwrap(), d("11490.56"));
    }

    #[test]
    fn free_grant_bucket_costs_nothing() {
        // APIM Consumption japaneast: 100 x 10K calls free, then 0.0425 per 10K.
        let calls = [b("0", "0"), b("100", "0.0425")];
        assert_eq!(bucket_cost(&calls, d("50")).unwrap(), d("0"));
        // 5M calls = 500 units: 400 billable x 0.0425 = 17.00
        assert_eq!(bucket_cost(&calls, d("500")).unwrap(), d("17.0000"));
        assert_eq!(marginal_price(&calls, d("500")), d("0.0425"));
        assert_eq!(marginal_price(&calls, d("50")), d("0"));
    }

    /// A second resource like the first gets the first's lines, as `price_tier` computes them;
    /// 100 GB and 100.0 GB are priced apart, each line keeping the scale it was written at.
    #[test]
    fn tier_prices_give_a_hit_the_lines_of_its_first_pricing() {
        let catalog = crate::catalog::Catalog::embedded().unwrap();
        let snapshot = catalog.newest();
        let tier = catalog.service("storage").unwrap().tier("hot-lrs").unwrap();
        let (none, whole, tenths) = (
            BTreeMap::new(),
            BTreeMap::from([("gb".to_string(), d("100"))]),
            BTreeMap::from([("gb".to_string(), d("100.0"))]),
        );
        let res = |usage| Resource {
            type_id: "storage",
            tier: "hot-lrs",
            region: "japaneast",
            capacity: Cow::Borrowed(&none),
            usage: Cow::Borrowed(usage),
            model: None,
            os: None,
            zone: None,
        };
        let prices = TierPrices::default();
        let first = prices.price(tier, snapshot, &res(&whole)).unwrap();
        let again = prices.price(tier, snapshot, &res(&whole)).unwrap();
        assert_eq!((&again, &first), (&price_tier(tier, snapshot, &res(&whole)).unwrap(), &again));
        // Hot LRS capacity in japaneast: 0.02 USD per GB for the first 51,200 GB; 100 GB = 2.00.
        assert_eq!((first[0].key, first[0].monthly), ("storage/hot-lrs/capacity", Some(d("2.00"))));
        let other = prices.price(tier, snapshot, &res(&tenths)).unwrap();
        assert_eq!((first[0].quantity.to_string(), other[0].quantity.to_string()), ("100".into(), "100.0".into()));
        assert_eq!(prices.seen.borrow().len(), 2);
        let owned = Resource { usage: Cow::Owned(whole.clone()), ..res(&whole) };
        assert_eq!(prices.price(tier, snapshot, &owned).unwrap(), first);
        assert_eq!(prices.seen.borrow().len(), 2, "a resource that owns its usage is not kept");
        let full = TierPrices::with_room(1);
        assert_eq!(full.price(tier, snapshot, &res(&whole)).unwrap(), first);
        assert_eq!(full.price(tier, snapshot, &res(&tenths)).unwrap(), other);
        assert_eq!(full.seen.borrow().len(), 1, "past its room, a kind is priced and not kept");
    }
}
