//! The `closednet` binary: parse arguments, call the library, map errors to exit codes
//! (0 success, 2 the tool could not run).

use clap::Parser;
use closednet::catalog::Catalog;
use closednet::cli::{Cli, Command, OutputFormat, PricingCommand};
use closednet::error::Error;
use closednet::report::{self, Format};
use closednet::{Overrides, catalog};
use rust_decimal::Decimal;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn load_catalog(dir: Option<&Path>) -> Result<Catalog, Error> {
    Ok(match dir {
        Some(d) => Catalog::from_dir(d)?,
        None => Catalog::embedded()?,
    })
}

fn format(f: OutputFormat) -> Format {
    match f {
        OutputFormat::Table => Format::Table,
        OutputFormat::Json => Format::Json,
    }
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

fn run(cli: Cli) -> Result<String, Error> {
    match cli.command {
        Command::Estimate { file, format: f, pricing, currency, fx, snapshot } => {
            let overrides = Overrides { currency, fx: parse_fx(&fx)?, snapshot };
            let catalog = load_catalog(pricing.as_deref())?;
            let name = file.display().to_string();
            let text =
                std::fs::read_to_string(&file).map_err(|e| Error::Message(format!("cannot read {name}: {e}")))?;
            let est = closednet::estimate(&name, &text, &catalog, &overrides)?;
            Ok(report::render(&est, format(f))?)
        }
        Command::Catalog { pricing, format: f } => {
            let catalog = load_catalog(pricing.as_deref())?;
            Ok(match f {
                OutputFormat::Table => closednet::report::catalog::table(&catalog),
                OutputFormat::Json => closednet::report::catalog::json(&catalog)?,
            })
        }
        Command::Rules { format: f } => Ok(match f {
            OutputFormat::Table => closednet::report::explain::rules_table(),
            OutputFormat::Json => closednet::report::explain::rules_json()?,
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
            Ok(closednet::report::explain::explain(&name, &catalog, snap, &region)?)
        }
        Command::Pricing { command: PricingCommand::Import { input, out, as_of, pricing } } => {
            let catalog = load_catalog(pricing.as_deref())?;
            let as_of = match as_of {
                Some(d) => d,
                None => manifest_date(&input).unwrap_or_else(|| "9999-12-31".to_string()),
            };
            let shown = input.display().to_string();
            let mut imported = catalog::import::import(&catalog, &input, &as_of)?;
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
            Ok(String::new())
        }
    }
}

/// The `snapshotDate` of a `snapshot-manifest.json` beside the region folders, if any.
fn manifest_date(input: &Path) -> Option<String> {
    let text = std::fs::read_to_string(input.join("snapshot-manifest.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v.get("snapshotDate")?.as_str().map(str::to_string)
}
