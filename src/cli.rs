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

impl From<CommitmentArg> for crate::estimate::Commitment {
    fn from(c: CommitmentArg) -> Self {
        match c {
            CommitmentArg::Payg => crate::estimate::Commitment::Payg,
            CommitmentArg::Savings1y => crate::estimate::Commitment::Savings1y,
            CommitmentArg::Savings3y => crate::estimate::Commitment::Savings3y,
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
pub enum DiffFormat {
    Table,
    Json,
    Markdown,
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
    /// Add a note (CN011) when the prices are older than this many months.
    #[arg(long, value_name = "MONTHS", default_value_t = 6)]
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
        /// The architecture file (YAML, schema version 1).
        file: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: EstimateFormat,
        /// Write the report to FILE instead of standard output (required for xlsx).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// With --format csv: start with the UTF-8 byte-order mark Excel needs for non-ASCII text.
        #[arg(long)]
        excel: bool,
        #[command(flatten)]
        pricing: PricingArgs,
    },
    /// CI gate: validate, estimate, and fail (exit 1) on budgets or findings; policy may also live
    /// in the file's `policy:` section, and the command line wins.
    Check {
        /// The architecture file to check (YAML, schema version 1).
        file: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: CheckFormat,
        /// Fail when the closed design's monthly total exceeds AMOUNT (report currency; 1.5M works).
        #[arg(long, value_name = "AMOUNT")]
        max_monthly: Option<String>,
        /// Fail when the closed design's fixed monthly cost exceeds AMOUNT.
        #[arg(long, value_name = "AMOUNT")]
        max_fixed: Option<String>,
        /// Fail when the closed design costs more than the baseline by AMOUNT or PERCENT% (e.g. 25%).
        #[arg(long, value_name = "AMOUNT|PERCENT%")]
        max_increase: Option<String>,
        /// Baseline for --max-increase: another architecture file (its closed design); default: the
        /// RBAC-only design of FILE.
        #[arg(long, value_name = "OLD.yaml")]
        baseline: Option<PathBuf>,
        /// A severity (note, warning, error: fail on findings this severe or worse; default error) or
        /// a rule id/slug whose findings always fail. Repeatable.
        #[arg(long, value_name = "SEVERITY|RULE")]
        deny: Vec<String>,
        /// Report this rule's findings as warnings. Repeatable.
        #[arg(long, value_name = "RULE")]
        warn: Vec<String>,
        /// Ignore this rule's findings. Repeatable.
        #[arg(long, value_name = "RULE")]
        allow: Vec<String>,
        #[command(flatten)]
        pricing: PricingArgs,
    },
    /// What changed between two architecture files, in tiers and cost, for both designs.
    Diff {
        /// The architecture file before the change (e.g. the main branch's).
        old: PathBuf,
        /// The architecture file after the change.
        new: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: DiffFormat,
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
    /// Print the JSON Schema of the architecture file (for editors: yaml-language-server).
    Schema,
    /// Print a shell completion script, e.g. `closednet completions bash > /etc/bash_completion.d/closednet`.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `closednet man > closednet.1; man ./closednet.1`.
    Man,
    /// Build or refresh a pricing snapshot.
    Pricing {
        #[command(subcommand)]
        command: PricingCommand,
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
    },
    /// Record every snapshot's SHA-256 in DIR/checksums.toml (after an import).
    Checksums {
        /// The catalog directory (pricing/).
        #[arg(default_value = "pricing")]
        dir: PathBuf,
    },
}
