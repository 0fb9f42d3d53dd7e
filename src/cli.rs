//! Command-line arguments (clap derive types). `main.rs` maps them onto the library.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "closednet",
    version,
    about = "Prices an Azure architecture as an RBAC-only design and as a closed-network design, side by side",
    after_help = "Exit codes: 0 success; 1 `check` found a policy failure; 2 the tool could not run \
                  (bad arguments, unreadable or invalid input)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
}

#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum CommitmentArg {
    // No doc comments on the values: clap would switch `--help` to its long layout.
    #[default]
    Payg,
    #[value(name = "savings-1y")]
    Savings1y,
    #[value(name = "savings-3y")]
    Savings3y,
}

impl From<CommitmentArg> for crate::calculator::Commitment {
    fn from(c: CommitmentArg) -> Self {
        match c {
            CommitmentArg::Payg => crate::calculator::Commitment::Payg,
            CommitmentArg::Savings1y => crate::calculator::Commitment::Savings1y,
            CommitmentArg::Savings3y => crate::calculator::Commitment::Savings3y,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum EstimateFormat {
    Table,
    Json,
    Csv,
    /// A sign-off worksheet.
    Markdown,
    /// A self-contained page with charts (use --output).
    Html,
    /// An Excel workbook with live formulas (needs --output).
    Xlsx,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Sarif,
    Github,
    Azure,
    Markdown,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CompareFormatArg {
    Table,
    Json,
    /// A one-page sign-off with the chosen scenario marked (--choose).
    Markdown,
    Csv,
    /// A self-contained page with a chart (use --output).
    Html,
    /// A workbook: one sheet per scenario and a comparison sheet of formulas (needs --output).
    Xlsx,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SweepFormatArg {
    Table,
    Json,
    Markdown,
    Csv,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DiffFormat {
    Table,
    Json,
    Markdown,
}

/// What `check` enforces, from the command line (the file's `policy:` may say the same; these win).
#[derive(Args, Debug, Clone, Default)]
pub struct PolicyArgs {
    /// Fail when the closed design's monthly total exceeds AMOUNT (report currency; 1.5M works).
    #[arg(long, value_name = "AMOUNT")]
    pub max_monthly: Option<String>,
    /// Fail when the closed design's fixed monthly cost exceeds AMOUNT.
    #[arg(long, value_name = "AMOUNT")]
    pub max_fixed: Option<String>,
    /// Fail when the closed design costs more than the baseline by AMOUNT or PERCENT% (e.g. 25%).
    #[arg(long, value_name = "AMOUNT|PERCENT%")]
    pub max_increase: Option<String>,
    /// A severity (note, warning, error: fail on findings this severe or worse; default error) or
    /// a rule id/slug whose findings always fail. Repeatable.
    #[arg(long, value_name = "SEVERITY|RULE")]
    pub deny: Vec<String>,
    /// Report this rule's findings as warnings. Repeatable.
    #[arg(long, value_name = "RULE")]
    pub warn: Vec<String>,
    /// Ignore this rule's findings. Repeatable.
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<String>,
    /// `closed`: fail unless a plan or template is closed, each resource it leaves half-closed or
    /// public reported with its address (CN023).
    #[arg(long, value_name = "closed", value_parser = ["closed"])]
    pub require: Option<String>,
    /// Fail when the closed design relies on a feature in preview at the snapshot's date (CN025).
    #[arg(long)]
    pub deny_preview: bool,
}

/// How to price: which catalog and snapshot, in which currency.
#[derive(Args, Debug, Clone, Default)]
pub struct PricingArgs {
    /// Use the catalog in DIR instead of the embedded one (same layout as pricing/).
    #[arg(long, value_name = "DIR")]
    pub pricing: Option<PathBuf>,
    /// Report currency (ISO 4217), overriding the file's `currency`.
    #[arg(long)]
    pub currency: Option<String>,
    /// Exchange rate, units per USD, e.g. --fx JPY=150 (overrides the file and the snapshot).
    #[arg(long, value_name = "CUR=RATE")]
    pub fx: Vec<String>,
    /// Price with this pricing snapshot (e.g. 2023-12) instead of the file's `pricing:` or the newest.
    #[arg(long, value_name = "NAME")]
    pub snapshot: Option<String>,
    /// Negotiated discount in percent: on everything (15), or on a type or service (openai=25).
    /// Repeatable; applied locally, after the file's `discounts:`.
    #[arg(long, value_name = "[TARGET=]PERCENT")]
    pub discount: Vec<String>,
    /// Add a note (CN011) when the prices are older than this many months (at least 1; default 6).
    #[arg(long, value_name = "MONTHS", default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_price_age: u32,
    /// Override a key of the file for this run, validated like the file (repeatable):
    /// --set closed_network.hub=existing, --set services.gateway.tier=premium-v2,
    /// --set closed_network.licences.entra=owned. An empty VALUE removes the key.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Price fixed compute lines whose meter has a savings plan rate at that rate: payg (default),
    /// savings-1y or savings-3y. Tiers are still chosen at pay-as-you-go prices.
    #[arg(long, value_enum, default_value = "payg")]
    pub commitment: CommitmentArg,
    /// An EA/MCA price sheet (CSV, as downloaded from the Azure portal): lines whose meter id is in
    /// it are priced at its unit price (the row in force on the snapshot's date, else today).
    #[arg(long, value_name = "FILE.csv")]
    pub price_sheet: Option<PathBuf>,
    /// The currency of a price sheet that has no currency column (ISO 4217, e.g. JPY); a row whose
    /// currency column says otherwise is an error.
    #[arg(long, value_name = "CODE")]
    pub price_sheet_currency: Option<String>,
    /// What the closed design compares tiers on: list prices (default) or negotiated (the
    /// --price-sheet's prices).
    #[arg(long, value_name = "list|negotiated", value_parser = ["list", "negotiated"], default_value = "list")]
    pub choose_on: String,
    /// Show totals over N months as well (planning).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1200))]
    pub months: u32,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Estimate both designs of an architecture file, side by side.
    Estimate {
        /// The architecture file (YAML, schema version 1), or a Terraform plan JSON or an ARM
        /// template (recognised by content).
        file: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: EstimateFormat,
        /// Write the report to FILE instead of standard output (required for xlsx).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// With --format csv: start with the UTF-8 byte-order mark Excel needs for non-ASCII text.
        #[arg(long)]
        excel: bool,
        /// Price the file's scenario NAME: its `set` overrides, then any --set.
        #[arg(long, value_name = "NAME")]
        scenario: Option<String>,
        #[command(flatten)]
        source: SourceArgs,
        #[command(flatten)]
        pricing: PricingArgs,
    },
    /// CI gate: validate, estimate, and fail (exit 1) on budgets or findings; policy may also live
    /// in the file's `policy:` section, and the command line wins.
    Check {
        /// The architecture file to check (YAML, schema version 1), or a plan or template.
        file: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: CheckFormat,
        /// Baseline for --max-increase: another architecture file (its closed design); default: the
        /// RBAC-only design of FILE.
        #[arg(long, value_name = "OLD.yaml")]
        baseline: Option<PathBuf>,
        #[command(flatten)]
        policy: PolicyArgs,
        /// Check the file's scenario NAME: its `set` overrides, then any --set.
        #[arg(long, value_name = "NAME")]
        scenario: Option<String>,
        #[command(flatten)]
        source: SourceArgs,
        #[command(flatten)]
        pricing: PricingArgs,
    },
    /// What changed between two architecture files, in tiers and cost, for both designs.
    Diff {
        /// The architecture file before the change (e.g. the main branch's).
        old: PathBuf,
        /// The architecture file after the change (the same file to compare two of its scenarios).
        new: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: DiffFormat,
        /// Price OLD as its scenario NAME (`base`: as written).
        #[arg(long, value_name = "NAME")]
        old_scenario: Option<String>,
        /// Price NEW as its scenario NAME (`base`: as written); --set applies after it.
        #[arg(long, value_name = "NAME")]
        new_scenario: Option<String>,
        #[command(flatten)]
        source: SourceArgs,
        #[command(flatten)]
        pricing: PricingArgs,
    },
    /// Price the file as written and each of its scenarios side by side.
    Compare {
        /// The architecture file, with a `scenarios:` map.
        file: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: CompareFormatArg,
        /// Write the report to FILE instead of standard output (required for xlsx).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Mark scenario NAME as chosen (the sign-off's decision; `base`: the file as written).
        #[arg(long, value_name = "NAME")]
        choose: Option<String>,
        #[command(flatten)]
        pricing: PricingArgs,
    },
    /// Find the cheapest closed design that keeps every stated requirement, and what dropping each
    /// requirement saves: the platform keys and tiers the file leaves open, priced in every
    /// combination that can matter.
    Sweep {
        /// The architecture file (its `requirements:` say what every variant must keep).
        file: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: SweepFormatArg,
        /// Vary only this axis (repeatable): closed_network.egress, closed_network.hub,
        /// closed_network.operator_access, closed_network.on_premises, closed_network.ddos,
        /// closed_network.cicd_agents, services.NAME.tier.
        #[arg(long, value_name = "PATH")]
        vary: Vec<String>,
        /// Pin PATH to VALUE in every variant (repeatable; validated like --set).
        #[arg(long, value_name = "PATH=VALUE")]
        fix: Vec<String>,
        /// Price at most N variants; the rest are counted as skipped.
        #[arg(long, value_name = "N", default_value_t = 10_000)]
        max_variants: u64,
        /// Keep dominated options (slower; for checking the pruning).
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        pricing: PricingArgs,
    },
    /// List every rule the engine can cite (tier bumps CN1xx, findings CN0xx).
    Rules {
        #[arg(long, value_enum, default_value = "table")]
        format: OutputFormat,
    },
    /// Print a rule's documentation (by id or slug), or a service type's tiers priced in a region.
    Explain {
        /// A rule id (CN001), a rule slug (no-price) or a service type (api-management).
        name: String,
        /// Region for a service type's prices.
        #[arg(long, default_value = "eastus2")]
        region: String,
        /// Pricing snapshot (default: the newest).
        #[arg(long, value_name = "NAME")]
        snapshot: Option<String>,
        #[arg(long, value_name = "DIR")]
        pricing: Option<PathBuf>,
    },
    /// List the pricing snapshots, service types, tiers with their capabilities, and regions.
    Catalog {
        #[arg(long, value_name = "DIR")]
        pricing: Option<PathBuf>,
        /// Recompute every snapshot's SHA-256 and compare with checksums.toml (exit 1 on mismatch).
        #[arg(long)]
        verify: bool,
        #[arg(long, value_enum, default_value = "table")]
        format: OutputFormat,
    },
    /// Print the JSON Schema of the architecture file (for editors: yaml-language-server), or with
    /// --report the JSON Schema of `estimate --format json`.
    Schema {
        /// The schema of the JSON report instead of the architecture file.
        #[arg(long, conflicts_with_all = ["sweep", "compare"])]
        report: bool,
        /// The schema of `sweep --format json`.
        #[arg(long, conflicts_with = "compare")]
        sweep: bool,
        /// The schema of `compare --format json`.
        #[arg(long)]
        compare: bool,
    },
    /// Print a shell completion script, e.g. `closednet completions bash > /etc/bash_completion.d/closednet`.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `closednet man > closednet.1; man ./closednet.1`, or a
    /// command's page: `closednet man pricing fetch > closednet-pricing-fetch.1`.
    Man {
        /// The command (and subcommand) whose page to print; none: closednet's own page.
        command: Vec<String>,
    },
    /// Read a Terraform plan or an ARM template and write the architecture file it builds (YAML),
    /// with every service's source and evidence; the import summary goes to standard error.
    Import {
        #[command(subcommand)]
        from: ImportCommand,
    },
    /// Serve closednet to AI assistants and editors: a Model Context Protocol server on standard
    /// input and output (tools estimate, check, diff, explain, catalog, import; see the README).
    Mcp {
        /// Let the server read files under DIR too (repeatable); by default only under the working
        /// directory.
        #[arg(long, value_name = "DIR")]
        allow_path: Vec<PathBuf>,
    },
    /// Build or refresh a pricing snapshot.
    Pricing {
        #[command(subcommand)]
        command: PricingCommand,
    },
}

/// Where infrastructure code comes from, and how to read it.
#[derive(Args, Debug, Clone, Default)]
pub struct SourceArgs {
    /// The region to price in (for a template also `resourceGroup().location`); a plan that spans
    /// regions is priced at this region's prices.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// An ARM deployment parameters file for a template (what `bicep build-params` writes).
    #[arg(long, value_name = "PARAMS.json")]
    pub parameters: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum SummaryFormat {
    #[default]
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// A plan as `terraform show -json PLAN` writes it.
    Terraform {
        /// The plan JSON.
        plan: PathBuf,
        #[arg(long, value_name = "REGION")]
        region: Option<String>,
        /// Write the architecture file here instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The import summary on standard error: text, or JSON.
        #[arg(long, value_enum, default_value = "text")]
        summary: SummaryFormat,
    },
    /// An ARM deployment template (also what `bicep build` / `az bicep build` write).
    Arm {
        /// The template JSON.
        template: PathBuf,
        #[arg(long, value_name = "PARAMS.json")]
        parameters: Option<PathBuf>,
        #[arg(long, value_name = "REGION")]
        region: Option<String>,
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        summary: SummaryFormat,
    },
}

#[derive(Subcommand, Debug)]
pub enum PricingCommand {
    /// Import saved Retail Prices API pages (one folder per region) into a snapshot folder.
    Import {
        /// Folder with one sub-folder per region of Retail Prices API JSON pages.
        input: PathBuf,
        /// Snapshot folder to write, e.g. pricing/2026-08.
        #[arg(long)]
        out: PathBuf,
        /// Keep only prices in force on this date (YYYY-MM-DD); default: the pages' snapshot date
        /// from snapshot-manifest.json, else today's prices (everything not ended).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Service definitions to import for (default: the embedded catalog's).
        #[arg(long, value_name = "DIR")]
        pricing: Option<PathBuf>,
        /// Import only this service type's prices (repeatable); the other price files stay as they are.
        #[arg(long = "type", value_name = "TYPE")]
        types: Vec<String>,
    },
    /// Download the Retail Prices API pages the service definitions read, as `pricing import`
    /// reads them (needs internet access; honours HTTPS_PROXY and NO_PROXY).
    Fetch {
        /// Folder to write: one sub-folder per region, and snapshot-manifest.json. A re-run
        /// resumes, skipping the files already complete.
        #[arg(long)]
        out: PathBuf,
        /// ARM region to fetch, repeatable (default: every region of the newest snapshot).
        #[arg(long = "region", value_name = "REGION")]
        regions: Vec<String>,
        /// Retail Prices API endpoint, e.g. a mirror (default: https://prices.azure.com/api/retail/prices).
        #[arg(long, value_name = "URL")]
        endpoint: Option<String>,
        /// Service definitions to fetch for (default: the embedded catalog's).
        #[arg(long, value_name = "DIR")]
        pricing: Option<PathBuf>,
        /// Ask the API for prices in this currency (`currencyCode`, e.g. EUR, JPY; default USD).
        /// Microsoft prices Azure in USD: the API gives other currencies for reference.
        #[arg(long, value_name = "CODE", default_value = "USD")]
        currency: String,
    },
    /// Record every snapshot's SHA-256 in DIR/checksums.toml (after an import).
    Checksums {
        /// The catalog directory (pricing/).
        #[arg(default_value = "pricing")]
        dir: PathBuf,
    },
}

// Arguments to the library's own types: here, tested without spawning the binary, so that `main`
// only maps results to exit codes.

impl From<CheckFormat> for crate::report::gate::GateFormat {
    fn from(f: CheckFormat) -> Self {
        use crate::report::gate::GateFormat as G;
        match f {
            CheckFormat::Text => G::Text,
            CheckFormat::Json => G::Json,
            CheckFormat::Sarif => G::Sarif,
            CheckFormat::Github => G::Github,
            CheckFormat::Azure => G::Azure,
            CheckFormat::Markdown => G::Markdown,
        }
    }
}

impl From<DiffFormat> for crate::report::diff::DiffFormat {
    fn from(f: DiffFormat) -> Self {
        use crate::report::diff::DiffFormat as D;
        match f {
            DiffFormat::Table => D::Table,
            DiffFormat::Json => D::Json,
            DiffFormat::Markdown => D::Markdown,
        }
    }
}

impl From<CompareFormatArg> for Option<crate::report::compare::CompareFormat> {
    /// `None` for xlsx, which is bytes for a file.
    fn from(f: CompareFormatArg) -> Self {
        use crate::report::compare::CompareFormat as C;
        match f {
            CompareFormatArg::Table => Some(C::Table),
            CompareFormatArg::Json => Some(C::Json),
            CompareFormatArg::Markdown => Some(C::Markdown),
            CompareFormatArg::Csv => Some(C::Csv),
            CompareFormatArg::Html => Some(C::Html),
            CompareFormatArg::Xlsx => None,
        }
    }
}

impl From<SweepFormatArg> for crate::report::sweep::SweepFormat {
    fn from(f: SweepFormatArg) -> Self {
        use crate::report::sweep::SweepFormat as S;
        match f {
            SweepFormatArg::Table => S::Table,
            SweepFormatArg::Json => S::Json,
            SweepFormatArg::Markdown => S::Markdown,
            SweepFormatArg::Csv => S::Csv,
        }
    }
}

/// `--vary`, `--fix`, `--max-variants` and `--all` of `sweep`.
pub fn sweep_options(
    vary: &[String],
    fix: &[String],
    max_variants: u64,
    all: bool,
) -> Result<crate::scenario::sweep::Options, Error> {
    let fix = fix
        .iter()
        .map(|f| {
            crate::architecture::set::Set::parse(f).map_err(|_| {
                Error::msg(format!(
                    "--fix {f}: expected PATH=VALUE, e.g. --fix closed_network.egress=firewall-standard"
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if max_variants == 0 {
        return Err(Error::msg("--max-variants 0: price at least one variant"));
    }
    Ok(crate::scenario::sweep::Options { vary: vary.to_vec(), fix, max_variants, prune: !all })
}

impl From<OutputFormat> for crate::report::ListFormat {
    fn from(f: OutputFormat) -> Self {
        match f {
            OutputFormat::Table => crate::report::ListFormat::Table,
            OutputFormat::Json => crate::report::ListFormat::Json,
        }
    }
}

/// `--format` and `--excel` of `estimate`.
pub fn estimate_format(format: EstimateFormat, excel: bool) -> crate::report::Format {
    use crate::report::Format as F;
    match format {
        EstimateFormat::Table => F::Table,
        EstimateFormat::Json => F::Json,
        EstimateFormat::Csv => F::Csv { excel },
        EstimateFormat::Markdown => F::Markdown,
        EstimateFormat::Html => F::Html,
        EstimateFormat::Xlsx => F::Xlsx,
    }
}

use crate::architecture::terms::check_percent;
use crate::architecture::{Policy, RuleAction, parse_limit, quantity::parse_quantity};
use crate::error::Error;
use crate::pipeline::Overrides;
use crate::registry::{self, RuleId, Severity};
use rust_decimal::Decimal;

/// `--discount 15` (all) or `--discount openai=25` / `--discount gateway=10` (a type or a service
/// name; the pipeline decides which).
pub fn parse_discount(arg: &str) -> Result<(Option<String>, Decimal), Error> {
    let (target, pct) = match arg.rsplit_once('=') {
        Some((t, p)) => (Some(t.trim().to_string()), p),
        None => (None, arg),
    };
    let pct: Decimal = pct.trim().trim_end_matches('%').parse().map_err(|_| {
        Error::msg(format!(
            "--discount {arg}: expected [TYPE|SERVICE=]PERCENT, e.g. --discount 15 or --discount openai=25"
        ))
    })?;
    check_percent(pct).map_err(|e| Error::msg(format!("--discount {arg}: {e}")))?;
    Ok((target, pct))
}

/// `--fx JPY=150`, repeatable: (currency, units per USD).
pub fn parse_fx(args: &[String]) -> Result<Vec<(String, Decimal)>, Error> {
    args.iter()
        .map(|a| {
            let bad = || Error::Message(format!("--fx {a}: expected CUR=RATE, e.g. --fx JPY=150"));
            let (cur, rate) = a.split_once('=').ok_or_else(bad)?;
            let cur = crate::money::Currency::parse(cur).ok_or_else(bad)?;
            let rate: Decimal = rate.trim().parse().map_err(|_| bad())?;
            if rate <= Decimal::ZERO {
                return Err(Error::Message(format!("--fx {a}: the rate must be more than zero")));
            }
            Ok((cur.code().to_string(), rate))
        })
        .collect()
}

impl TryFrom<&PricingArgs> for Overrides {
    type Error = Error;

    fn try_from(p: &PricingArgs) -> Result<Overrides, Error> {
        let discounts = p.discount.iter().map(|d| parse_discount(d)).collect::<Result<Vec<_>, _>>()?;
        Ok(Overrides {
            currency: p.currency.clone(),
            fx: parse_fx(&p.fx)?,
            snapshot: p.snapshot.clone(),
            discounts,
            months: p.months,
            today: None,
            max_price_age: p.max_price_age,
            sets: p.set.iter().map(|s| crate::architecture::set::Set::parse(s)).collect::<Result<Vec<_>, _>>()?,
            commitment: p.commitment.into(),
            choose_on_negotiated: p.choose_on == "negotiated",
            source: crate::iac::Options::default(),
            price_sheet: price_sheet(p)?.map(std::sync::Arc::new),
        })
    }
}

/// `--price-sheet FILE.csv` with `--price-sheet-currency CODE`, read.
fn price_sheet(p: &PricingArgs) -> Result<Option<crate::adjust::price_sheet::PriceSheet>, Error> {
    let currency = match &p.price_sheet_currency {
        None => None,
        Some(c) => Some(crate::money::Currency::parse(c).ok_or_else(|| {
            Error::msg(format!("--price-sheet-currency {c}: expected an ISO 4217 code such as USD or JPY"))
        })?),
    };
    let Some(path) = &p.price_sheet else {
        return match currency {
            Some(_) => Err(Error::msg("--price-sheet-currency needs --price-sheet FILE.csv")),
            None => Ok(None),
        };
    };
    let name = path.display().to_string();
    crate::adjust::price_sheet::read::read(path, &name, currency.as_ref().map(|c| c.code())).map(Some)
}

fn rule_id(flag: &str, name: &str) -> Result<RuleId, Error> {
    registry::lookup(name).ok_or_else(|| Error::msg(format!("--{flag} {name}: no such rule (see `closednet rules`)")))
}

impl TryFrom<&PolicyArgs> for Policy {
    type Error = Error;

    fn try_from(a: &PolicyArgs) -> Result<Policy, Error> {
        let amount = |flag: &str, v: &Option<String>| -> Result<Option<Decimal>, Error> {
            v.as_ref().map(|v| parse_quantity(v).map_err(|e| Error::Message(format!("--{flag} {v}: {e}")))).transpose()
        };
        let mut p = Policy {
            max_monthly: amount("max-monthly", &a.max_monthly)?,
            max_fixed: amount("max-fixed", &a.max_fixed)?,
            max_increase: a
                .max_increase
                .as_ref()
                .map(|v| parse_limit(v).map_err(|e| Error::Message(format!("--max-increase {v}: {e}"))))
                .transpose()?,
            require_closed: a.require.is_some(),
            deny_preview: a.deny_preview,
            ..Policy::default()
        };
        let mut given: Vec<(RuleId, String)> = Vec::new();
        let mut set = |p: &mut Policy, flag: &str, name: &str, action: RuleAction| -> Result<(), Error> {
            let id = rule_id(flag, name)?;
            if let Some((_, earlier)) = given.iter().find(|(r, _)| *r == id) {
                return Err(Error::msg(format!(
                    "{earlier} and --{flag} {name} name the same rule ({}): give one action per rule",
                    id.as_str()
                )));
            }
            given.push((id, format!("--{flag} {name}")));
            p.rules.insert(id, action);
            Ok(())
        };
        for d in &a.deny {
            match d.to_ascii_lowercase().as_str() {
                "note" => p.deny = Some(Severity::Note),
                "warning" => p.deny = Some(Severity::Warning),
                "error" => p.deny = Some(Severity::Error),
                _ => set(&mut p, "deny", d, RuleAction::Deny)?,
            }
        }
        for w in &a.warn {
            set(&mut p, "warn", w, RuleAction::Warn)?;
        }
        for x in &a.allow {
            set(&mut p, "allow", x, RuleAction::Allow)?;
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fx_flags_become_rates_or_say_what_is_wrong() {
        assert_eq!(parse_fx(&["jpy=150".into()]).unwrap(), vec![("JPY".to_string(), Decimal::from(150))]);
        assert_eq!(
            parse_fx(&["JPY:150".into()]).unwrap_err().to_string(),
            "error: --fx JPY:150: expected CUR=RATE, e.g. --fx JPY=150"
        );
        assert_eq!(
            parse_fx(&["JPY=-1".into()]).unwrap_err().to_string(),
            "error: --fx JPY=-1: the rate must be more than zero"
        );
    }

    #[test]
    fn parses_discount_arguments() {
        assert_eq!(parse_discount("15").unwrap(), (None, Decimal::from(15)));
        assert_eq!(parse_discount("openai=25%").unwrap(), (Some("openai".into()), Decimal::from(25)));
        assert_eq!(
            parse_discount("x=101").unwrap_err().to_string(),
            "error: --discount x=101: 101% is not a discount between 0 and 100"
        );
        assert!(parse_discount("abc").is_err());
    }

    #[test]
    fn pricing_flags_become_overrides() {
        let args = PricingArgs {
            discount: vec!["openai=25".into()],
            set: vec!["closed_network.hub=existing".into()],
            months: 12,
            ..PricingArgs::default()
        };
        let o = Overrides::try_from(&args).unwrap();
        assert_eq!(o.discounts, vec![(Some("openai".to_string()), Decimal::from(25))]);
        assert_eq!(o.sets[0].path, "closed_network.hub");
        assert_eq!(o.months, 12);
        let bad = PricingArgs { set: vec!["nothing".into()], ..PricingArgs::default() };
        assert!(
            Overrides::try_from(&bad).unwrap_err().to_string().starts_with("error: --set nothing: expected PATH=VALUE")
        );
    }

    #[test]
    fn policy_flags_become_a_policy() {
        let args = PolicyArgs {
            max_monthly: Some("1.5M".into()),
            max_increase: Some("25%".into()),
            deny: vec!["warning".into(), "python-needs-linux".into()],
            allow: vec!["CN001".into()],
            ..PolicyArgs::default()
        };
        let p = Policy::try_from(&args).unwrap();
        assert_eq!(p.max_monthly, Some(Decimal::from(1_500_000)));
        assert_eq!(p.max_increase, Some(crate::architecture::Limit::Percent(Decimal::from(25))));
        assert_eq!(p.deny, Some(Severity::Warning));
        assert_eq!(p.rules.get(&RuleId::CN003), Some(&RuleAction::Deny));
        assert_eq!(p.rules.get(&RuleId::CN001), Some(&RuleAction::Allow));
        let bad = PolicyArgs { warn: vec!["CN999".into()], ..PolicyArgs::default() };
        assert_eq!(
            Policy::try_from(&bad).unwrap_err().to_string(),
            "error: --warn CN999: no such rule (see `closednet rules`)"
        );
    }
}
