//! Reports: pure functions from an [`Estimate`] to text.
//!
//! Both formats present the same figures, computed once here: every line is converted to the
//! report currency and rounded (see [`crate::money`]), and every subtotal and total is the sum of
//! the rounded lines, so a printed report adds up.

pub mod catalog;
pub mod compare;
pub mod compare_xlsx;
pub mod csv;
pub mod diff;
pub mod dto;
pub mod escape;
pub mod explain;
pub mod gate;
mod grid;
pub mod html;
pub mod import;
pub mod json;
pub mod markdown;
pub mod sweep;
pub mod table;
pub mod verdict;
pub mod xlsx;

use crate::calculator::{Commitment, Source};
use crate::error::Error;
use crate::figures::{Cover, PresentedDesign, PresentedLine};
use crate::money::Conversion;
use crate::pipeline::Estimate;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    /// `excel`: prepend the UTF-8 byte-order mark.
    Csv {
        excel: bool,
    },
    Markdown,
    Html,
    Xlsx,
}

/// The formats of the listings (`rules`, `catalog`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
}

/// A rendered report: text for the terminal or a file, or bytes (xlsx) for a file only.
pub enum Rendered {
    Text(String),
    Bytes(Vec<u8>),
}

pub fn render(est: &Estimate, format: Format) -> Result<Rendered, Error> {
    Ok(match format {
        Format::Table => Rendered::Text(table::render(est)?),
        Format::Json => Rendered::Text(json::render(est)?),
        Format::Csv { excel } => Rendered::Text(csv::render(est, excel)?),
        Format::Markdown => Rendered::Text(markdown::render(est)?),
        Format::Html => Rendered::Text(html::render(est)?),
        Format::Xlsx => Rendered::Bytes(xlsx::render(est)?),
    })
}

/// The report currency and its rate, the same in every format: `USD`, or `JPY at 146.41 per USD
/// (Federal Reserve H.10, ..., 2023-12-11)` with the rate's source and date.
pub fn rate_text(conv: &Conversion) -> String {
    // Which a non-USD report is (issue 19): the API's own prices in that currency, which its page
    // gives "for your reference" (Microsoft prices Azure in USD), or USD converted at a rate.
    if conv.native {
        return format!(
            "{} list prices as the Retail Prices API gives them for reference (Microsoft prices Azure in USD; {})",
            conv.currency, conv.source
        );
    }
    if conv.currency.is_usd() {
        return "USD".to_string();
    }
    let date = conv.date.as_ref().map(|d| format!(", {d}")).unwrap_or_default();
    format!(
        "{} at {} per USD ({}{date}): USD prices converted at that rate",
        conv.currency,
        conv.rate.normalize(),
        conv.source
    )
}

/// `85.5%`, or `-` for a design that costs nothing or whose fixed lines have no price at all (a
/// share of 0% would be a silent zero).
pub fn share_text(d: &PresentedDesign) -> String {
    if d.fixed_cover.no_price() {
        return "-".into();
    }
    d.fixed_share().map(|s| format!("{s}%")).unwrap_or_else(|| "-".into())
}

/// A figure for the terminal table: `no price` when none of its lines has one (never 0), the
/// amount with ` *` when some are left out (the table's footnote says the totals are incomplete).
pub fn starred(amount: rust_decimal::Decimal, cover: Cover, cur: &crate::money::Currency) -> String {
    let a = crate::money::format_amount(amount, cur);
    if cover.no_price() {
        "no price".into()
    } else if cover.incomplete() {
        format!("{a} *")
    } else {
        a
    }
}

/// A figure for a document (Markdown, HTML): `no price`, or the amount marked `(incomplete)` when
/// some of its lines have no price.
pub fn marked(amount: rust_decimal::Decimal, cover: Cover, cur: &crate::money::Currency) -> String {
    let a = crate::money::format_amount(amount, cur);
    if cover.no_price() {
        "no price".into()
    } else if cover.incomplete() {
        format!("{a} (incomplete)")
    } else {
        a
    }
}

/// One line's source, for people: `meter 15ebd8a7-... (2017-12-01)` or the documented page.
pub fn source_text(source: &Source) -> String {
    match source {
        Source::Meter { meter_id, effective, region } => {
            format!("Retail Prices API meter {meter_id}, {region}, effective {effective}")
        }
        Source::Documented { source, effective, confidence } => match confidence {
            Some(c) => format!("{source} (as of {effective}, {c})"),
            None => format!("{source} (as of {effective})"),
        },
        Source::NoPrice(why) => format!("no price: {why}"),
        Source::Provided { reason, .. } => format!("no cost to this design: {reason}"),
        Source::Stated(what) => format!("your figure: {what}"),
        Source::Yours { source, list: None } => format!("your figure: {source} (no list price)"),
        Source::Yours { source, list: Some(l) } => {
            format!("your figure: {source} (list price: {})", source_text(&l.source))
        }
    }
}

/// [`source_text`] with, for a line priced at your own figure, the monthly cost at list price:
/// `your figure: EA 2026 (list price JPY 1,234/month: Retail Prices API meter ...)`.
pub fn line_source(l: &PresentedLine, cur: &crate::money::Currency) -> String {
    match (&l.line.source, l.catalog) {
        (Source::Yours { source, list: Some(list) }, Some(m)) => format!(
            "your figure: {source} (list price {cur} {}/month: {})",
            crate::money::format_amount(m, cur),
            source_text(&list.source)
        ),
        (s, _) => source_text(s),
    }
}

/// The lines a savings plan priced (`--commitment`), as `design: service / component`, or empty.
pub fn committed_lines(est: &Estimate) -> Vec<String> {
    let mut out = Vec::new();
    for (label, d) in [("RBAC-only", &est.rbac), ("closed", &est.closed)] {
        for s in d.services.iter().chain(&d.added) {
            for l in s.lines.iter().filter(|l| l.commitment.is_some()) {
                out.push(format!("{label}: {} / {}", s.name, l.component));
            }
        }
    }
    out
}

/// `Commitment: 3-year savings plan rates on 2 fixed line(s): ...`, or `None` for pay-as-you-go.
pub fn commitment_text(est: &Estimate) -> Option<String> {
    if est.commitment == Commitment::Payg {
        return None;
    }
    let lines = committed_lines(est);
    Some(if lines.is_empty() {
        format!(
            "Commitment: {}; no line's meter has a savings plan rate, so every line is pay-as-you-go.",
            est.commitment.label()
        )
    } else {
        format!(
            "Commitment: {} rates on {} fixed line(s) (tiers chosen at pay-as-you-go prices): {}.",
            est.commitment.label(),
            lines.len(),
            lines.join("; ")
        )
    })
}

/// `Price sheet FILE (rows in force on DATE) priced N line(s) ...`, or `None` without `--price-sheet`.
pub fn price_sheet_text(est: &Estimate) -> Option<String> {
    est.price_sheet.as_ref().map(|p| {
        format!(
            "Price sheet {} (rows in force on {}) priced {} line(s) of the two designs; each shows its list price too{}.",
            p.file,
            p.date,
            p.lines,
            if p.chose_tiers { "; the closed design chose its tiers on the sheet's prices" } else { "" }
        )
    })
}
