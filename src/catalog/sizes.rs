//! Virtual-machine sizes: a thousand rows of one definition, each priced from its Linux and
//! Windows meters and made into a tier only when asked for (see [`super::definitions::ServiceDef::tiers`]).
//!
//! Read from the embedded catalog, the rows are not even deserialized when the definition loads:
//! [`Sizes`] keeps the position of their array in the compact blob and reads a row when a look-up
//! reaches it. An estimate names one or two sizes, or none (the hand-written tiers come first), and
//! reading all thousand rows was a quarter of a small estimate's instructions. Read from TOML, the
//! rows are a plain vector.

use super::compact::{self, Reader};
use super::definitions::{Charge, Component, MeterFilter, Tier};
use super::embedded;
use super::text::Text;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// A virtual-machine size (`Standard_D2s_v5`) and the Retail Prices API items of its Linux and
/// Windows pay-as-you-go meters, each `[productName, skuName, meterName]` (unit `1 Hour`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Size {
    pub size: Text,
    #[serde(default)]
    pub linux: Option<[Text; 3]>,
    #[serde(default)]
    pub windows: Option<[Text; 3]>,
}

impl Size {
    /// The tier id of the size: `Standard_D2s_v5` -> `d2s-v5`.
    pub fn tier_id(&self) -> String {
        self.bare().to_ascii_lowercase().replace('_', "-")
    }

    fn bare(&self) -> &str {
        let s = self.size.as_str();
        if s.len() > 9 && s[..9].eq_ignore_ascii_case("standard_") { &s[9..] } else { s }
    }

    /// Whether `name` is this size or its tier id, ignoring case (without making either).
    pub(super) fn is_named(&self, name: &str) -> bool {
        let bare = self.bare().as_bytes();
        let id_byte = |b: u8| if b == b'_' { b'-' } else { b.to_ascii_lowercase() };
        self.size.eq_ignore_ascii_case(name)
            || name.len() == bare.len() && name.bytes().zip(bare).all(|(n, b)| n.to_ascii_lowercase() == id_byte(*b))
    }

    /// Whether it has a meter for `os`.
    pub(super) fn runs(&self, os: &str) -> bool {
        match os {
            "linux" => self.linux.is_some(),
            "windows" => self.windows.is_some(),
            _ => false,
        }
    }

    /// The size as a tier: a fixed line per instance and a line per hour used, for each OS it has
    /// a meter for.
    pub(super) fn tier(&self) -> Tier {
        let mut components = Vec::new();
        let mut os = Vec::new();
        // Literals are borrowed, never copied: `tiers()` makes all thousand sizes at once.
        let oses =
            [("linux", "linux-hours", "Linux", &self.linux), ("windows", "windows-hours", "Windows", &self.windows)];
        for (os_id, hours_id, label, meter) in oses {
            let Some([product, sku, meter]) = meter else { continue };
            os.push(os_id.to_string());
            let filter = MeterFilter {
                product: product.clone(),
                sku: sku.clone(),
                meter: meter.clone(),
                unit: Text::borrowed("1 Hour"),
                file: None,
                service: None,
            };
            let component = |id: &'static str, name: String, charge: Charge| Component {
                id: Text::borrowed(id),
                name: name.into(),
                charge,
                usage: (charge == Charge::Usage).then_some(Text::borrowed("hours")),
                per: if charge == Charge::Fixed { vec!["instances".to_string()] } else { Vec::new() },
                factor: None,
                os: Some(Text::borrowed(os_id)),
                model: None,
                region: None,
                meter: Some(Box::new(filter.clone())),
                unit: None,
                documented: false,
                free_units: None,
                free_doc: None,
                key: String::new(),
            };
            components.push(component(os_id, format!("{} {label}", self.size), Charge::Fixed));
            components.push(component(hours_id, format!("{} {label}, hours used", self.size), Charge::Usage));
        }
        // Both: any OS, as a hand-written tier without `os` says.
        if os.len() == 2 {
            os.clear();
        }
        Tier {
            id: self.tier_id(),
            aliases: vec![self.size.to_string()],
            rank: 0,
            sla: None,
            sla_doc: None,
            sla_percent: None,
            sla_as_of: None,
            sla_note: None,
            sla_zones: None,
            os,
            capabilities: Vec::new(),
            components,
            since: None,
            since_doc: None,
            until: None,
            preview_since: None,
            preview: false,
            preview_doc: None,
            retires: None,
            host_storage: BTreeMap::new(),
            zone_redundancy: Vec::new(),
        }
    }
}

/// The sizes of a definition, read or still in the embedded catalog.
#[derive(Clone)]
pub struct Sizes(Rows);

#[derive(Clone)]
enum Rows {
    Read(Vec<Size>),
    /// The array at `at` in the embedded blob, of `len` rows.
    Embedded {
        at: usize,
        len: usize,
    },
}

impl Default for Sizes {
    fn default() -> Sizes {
        Sizes(Rows::Read(Vec::new()))
    }
}

impl Sizes {
    pub fn len(&self) -> usize {
        match &self.0 {
            Rows::Read(v) => v.len(),
            Rows::Embedded { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every size, in catalog order.
    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, Size>> {
        let (read, embedded) = match &self.0 {
            Rows::Read(v) => (Some(v.iter().map(Cow::Borrowed)), None),
            Rows::Embedded { at, len } => (None, Some(rows(*at, *len).map(Cow::Owned))),
        };
        read.into_iter().flatten().chain(embedded.into_iter().flatten())
    }
}

/// The rows of the embedded array at `at`, one at a time. build.rs wrote them from `pricing/`, and
/// a test reads every one of them against the TOML: a row that did not read here would be a bug
/// in the writer, and ends the rows rather than the run.
fn rows(at: usize, len: usize) -> impl Iterator<Item = Size> {
    let mut reader = Reader::new(embedded::parts(), at);
    let ok = reader.array().is_ok_and(|n| n == len);
    (0..if ok { len } else { 0 }).map_while(move |_| Size::deserialize(&mut reader).ok())
}

/// As a vector of sizes prints, wherever they were read from.
impl fmt::Debug for Sizes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'de> Deserialize<'de> for Sizes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Sizes, D::Error> {
        d.deserialize_newtype_struct(compact::RAW, SizesVisitor)
    }
}

struct SizesVisitor;

impl<'de> Visitor<'de> for SizesVisitor {
    type Value = Sizes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of sizes")
    }

    /// The embedded catalog's reader: the position of the array in its blob.
    fn visit_u64<E: de::Error>(self, at: u64) -> Result<Sizes, E> {
        let at = usize::try_from(at).map_err(E::custom)?;
        let len = Reader::new(embedded::parts(), at).array().map_err(E::custom)?;
        Ok(Sizes(Rows::Embedded { at, len }))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Sizes, D::Error> {
        Vec::<Size>::deserialize(d).map(|v| Sizes(Rows::Read(v)))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Sizes, A::Error> {
        Vec::<Size>::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(|v| Sizes(Rows::Read(v)))
    }
}
