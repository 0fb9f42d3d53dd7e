//! The `closednet` binary: parse arguments, call the library, map results to exit codes
//! (0 success, 1 `check` failed, 2 the tool could not run).

use clap::Parser;
use closednet::architecture::{Policy, RuleAction, parse_limit, quantity::parse_quantity};
use closednet::catalog::Catalog;
use closednet::cli::{
    CheckFormat, Cli, Command, DiffFormat, EstimateFormat, OutputFormat, PricingArgs, PricingCommand,
};
use closednet::error::Error;
use closednet::report::{self, Format, Rendered};
use closednet::rules::registry::{self, Severity};
use closednet::{Estimate, Overrides, catalog};
use rust_decimal::Decimal;
use std::path::Path;
use std::process::ExitCode;

const XLSX_NEEDS_OUTPUT: &str = "--format xlsx writes a workbook: add --output FILE.xlsx";

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok((out, code)) => {
            print!("{out}");
            ExitCode::from(code)
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// The catalog for this process. It lives until the process exits, so it is leaked rather than
/// dropped: freeing thousands of prices just before exit is work nobody waits for.
fn load_catalog(dir: Option<&Path>) -> Result<&'static Catalog, Error> {
    let catalog = match dir {
        Some(d) => Catalog::from_dir(d)?,
        None => Catalog::embedded()?,
    };
    Ok(Box::leak(Box::new(catalog)))
}

fn parse_fx(args: &[String]) -> Result<Vec<(String, Decimal)>, Error> {
    args.iter()
        .map(|a| {
            let bad = || Error::Message(format!("--fx {a}: expected CUR=RATE, e.g. --fx JPY=150"));
            let (cur, rate) = a.split_once('=').ok_or_else(bad)?;
            let cur = closednet::money::Currency::parse(cur).ok_or_else(bad)?;
            let rate: Decimal = rate.trim().parse().map_err(|_| bad())?;
            if rate <= Decimal::ZERO {
                return Err(Error::Message(format!("--fx {a}: the rate must be more than zero")));
            }
            Ok((cur.code().to_string(), rate))
        })
        .collect()
}

fn overrides(p: &PricingArgs) -> Result<Overrides, Error> {
    let discounts = p.discount.iter().map(|d| closednet::discount::parse_arg(d)).collect::<Result<Vec<_>, _>>()?;
    Ok(Overrides {
        currency: p.currency.clone(),
        fx: parse_fx(&p.fx)?,
        snapshot: p.snapshot.clone(),
        discounts,
        months: p.months,
        today: None,
        max_price_age: p.max_price_age,
    })
}

fn estimate_file<'c>(file: &Path, catalog: &'c Catalog, o: &Overrides) -> Result<Estimate<'c>, Error> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| Error::Message(format!("cannot read {name}: {e}")))?;
    closednet::estimate(&name, &text, catalog, o)
}

fn rule_id(flag: &str, name: &str) -> Result<String, Error> {
    registry::lookup(name)
        .map(|r| r.id.to_string())
        .ok_or_else(|| Error::Message(format!("--{flag} {name}: no such rule (see `closednet rules`)")))
}

/// The policy given on the command line.
fn cli_policy(
    max_monthly: Option<String>,
    max_fixed: Option<String>,
    max_increase: Option<String>,
    deny: &[String],
    warn: &[String],
    allow: &[String],
) -> Result<Policy, Error> {
    let amount = |flag: &str, v: Option<String>| -> Result<Option<Decimal>, Error> {
        v.map(|v| parse_quantity(&v).map_err(|e| Error::Message(format!("--{flag} {v}: {e}")))).transpose()
    };
    let mut p = Policy {
        max_monthly: amount("max-monthly", max_monthly)?,
        max_fixed: amount("max-fixed", max_fixed)?,
        max_increase: max_increase
            .map(|v| parse_limit(&v).map_err(|e| Error::Message(format!("--max-increase {v}: {e}"))))
            .transpose()?,
        ..Policy::default()
    };
    for d in deny {
        match d.to_ascii_lowercase().as_str() {
            "note" => p.deny = Some(Severity::Note),
            "warning" => p.deny = Some(Severity::Warning),
            "error" => p.deny = Some(Severity::Error),
            _ => {
                p.rules.insert(rule_id("deny", d)?, RuleAction::Deny);
            }
        }
    }
    for w in warn {
        p.rules.insert(rule_id("warn", w)?, RuleAction::Warn);
    }
    for a in allow {
        p.rules.insert(rule_id("allow", a)?, RuleAction::Allow);
    }
    Ok(p)
}

fn run(cli: Cli) -> Result<(String, u8), Error> {
    let ok = |s: String| Ok((s, 0));
    match cli.command {
        Command::Estimate { file, format, output, excel, pricing } => {
            let f = match format {
                EstimateFormat::Table => Format::Table,
                EstimateFormat::Json => Format::Json,
                EstimateFormat::Csv => Format::Csv { excel },
                EstimateFormat::Markdown => Format::Markdown,
                EstimateFormat::Html => Format::Html,
                EstimateFormat::Xlsx => Format::Xlsx,
            };
            // Checked before any work: a workbook goes to a file, never to the terminal.
            if f == Format::Xlsx && output.is_none() {
                return Err(Error::Message(XLSX_NEEDS_OUTPUT.into()));
            }
            let catalog = load_catalog(pricing.pricing.as_deref())?;
            let est = estimate_file(&file, catalog, &overrides(&pricing)?)?;
            let rendered = report::render(&est, f)?;
            match (output, rendered) {
                (None, Rendered::Text(t)) => ok(t),
                (None, Rendered::Bytes(_)) => Err(Error::Message(XLSX_NEEDS_OUTPUT.into())),
                (Some(path), rendered) => {
                    let bytes = match rendered {
                        Rendered::Text(t) => t.into_bytes(),
                        Rendered::Bytes(b) => b,
                    };
                    std::fs::write(&path, bytes)
                        .map_err(|e| Error::Message(format!("cannot write {}: {e}", path.display())))?;
                    eprintln!("wrote {}", path.display());
                    ok(String::new())
                }
            }
        }
        Command::Check { file, format, max_monthly, max_fixed, max_increase, baseline, deny, warn, allow, pricing } => {
            let cli = cli_policy(max_monthly, max_fixed, max_increase, &deny, &warn, &allow)?;
            let catalog = load_catalog(pricing.pricing.as_deref())?;
            let o = overrides(&pricing)?;
            let est = estimate_file(&file, catalog, &o)?;
            let base = baseline.map(|b| estimate_file(&b, catalog, &o)).transpose()?;
            let policy = closednet::check::merge(&est.architecture.policy, &cli);
            let result = closednet::check::check(&est, base.as_ref(), &policy)?;
            let text = match format {
                CheckFormat::Text => report::check::text(&result),
                CheckFormat::Json => report::check::json(&result)?,
                CheckFormat::Sarif => report::check::sarif(&result)?,
                CheckFormat::Github => report::check::github(&result),
                CheckFormat::Azure => report::check::azure(&result),
                CheckFormat::Markdown => report::check::markdown(&result),
            };
            Ok((text, if result.passed() { 0 } else { 1 }))
        }
        Command::Diff { old, new, format, pricing } => {
            let catalog = load_catalog(pricing.pricing.as_deref())?;
            let o = overrides(&pricing)?;
            let old = estimate_file(&old, catalog, &o)?;
            let new = estimate_file(&new, catalog, &o)?;
            let diff = report::diff::Diff::new(&old, &new)?;
            ok(match format {
                DiffFormat::Table => report::diff::table(&diff),
                DiffFormat::Json => report::diff::json(&diff)?,
                DiffFormat::Markdown => report::diff::markdown(&diff),
            })
        }
        Command::Rules { format } => ok(match format {
            OutputFormat::Table => report::explain::rules_table(),
            OutputFormat::Json => report::explain::rules_json()?,
        }),
        Command::Explain { name, region, snapshot, pricing } => {
            let catalog = load_catalog(pricing.as_deref())?;
            let snap = match &snapshot {
                Some(s) => catalog.snapshot(s)?,
                None => catalog.newest(),
            };
            if !snap.meta.regions.contains(&region) {
                return Err(Error::Message(format!(
                    "region \"{region}\" is not in pricing snapshot {}",
                    snap.meta.name
                )));
            }
            ok(report::explain::explain(&name, catalog, snap, &region)?)
        }
        Command::Catalog { pricing, verify, format } => {
            let catalog = load_catalog(pricing.as_deref())?;
            if verify {
                let (lines, all_ok) = catalog.verify();
                return Ok((lines.join("\n") + "\n", if all_ok { 0 } else { 1 }));
            }
            ok(match format {
                OutputFormat::Table => report::catalog::table(catalog)?,
                OutputFormat::Json => report::catalog::json(catalog)?,
            })
        }
        Command::Schema => ok(closednet::architecture::schema::json()?),
        Command::Pricing { command: PricingCommand::Checksums { dir } } => {
            let catalog = Catalog::from_dir(&dir)?;
            let path = dir.join(catalog::CHECKSUMS);
            std::fs::write(&path, catalog::checksums_file(&catalog))
                .map_err(|e| Error::Message(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("wrote {}", path.display());
            ok(String::new())
        }
        Command::Pricing { command: PricingCommand::Import { input, out, as_of, pricing } } => {
            let catalog = load_catalog(pricing.as_deref())?;
            let as_of = match as_of {
                Some(d) => d,
                None => manifest_date(&input).unwrap_or_else(|| "9999-12-31".to_string()),
            };
            let shown = input.display().to_string();
            let mut imported = catalog::import::import(catalog, &input, &as_of)?;
            catalog::import::write(&out, &mut imported, &shown, &as_of)?;
            let (summary, regions) = (&imported.summary, &imported.regions);
            let mut msg = format!(
                "imported {} prices for {} regions from {} files ({} items, {:.1} MB), in force on {as_of}\n",
                summary.prices,
                regions.len(),
                summary.files_read,
                summary.items_read,
                summary.bytes_read as f64 / 1_000_000.0
            );
            if !summary.missing.is_empty() {
                msg.push_str(&format!(
                    "{} component/region pairs have no price (written as [[missing]]):\n",
                    summary.missing.len()
                ));
                for m in summary.missing.iter().take(20) {
                    msg.push_str(&format!("  {} in {}: {}\n", m.key, m.region, m.reason));
                }
                if summary.missing.len() > 20 {
                    msg.push_str(&format!("  ... and {} more\n", summary.missing.len() - 20));
                }
            }
            for w in &summary.written {
                msg.push_str(&format!("wrote {}\n", w.display()));
            }
            eprint!("{msg}");
            ok(String::new())
        }
        Command::Pricing { command: PricingCommand::Fetch { out, regions, endpoint, pricing } } => {
            use std::io::IsTerminal;
            let catalog = load_catalog(pricing.as_deref())?;
            let opts = catalog::fetch::Options::new(endpoint, std::io::stderr().is_terminal())?;
            let summary = catalog::fetch::fetch(catalog, &out, &regions, &opts)?;
            eprintln!("{}", summary.line(&out));
            ok(String::new())
        }
    }
}

/// The `snapshotDate` of a `snapshot-manifest.json` beside the region folders, if any.
fn manifest_date(input: &Path) -> Option<String> {
    let text = std::fs::read_to_string(input.join("snapshot-manifest.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v.get("snapshotDate")?.as_str().map(str::to_string)
}
