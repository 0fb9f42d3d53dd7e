//! The architecture file (schema version 1): what the architect declares.
//!
//! [`load_with`] reads and validates a file against the catalog (applying `--set` overrides) and
//! returns the model the rules engine and the calculator work on; every problem it finds is a
//! [`Diagnostic`] with file, line, column, path and, for unknown names, a suggestion. All problems
//! are reported at once. The architect's commercial terms are model data too ([`terms`]).

pub mod quantity;
pub mod scenario;
pub mod schema;
pub mod set;
pub mod terms;
mod validate;
mod yaml;

pub use scenario::{Constraint, Scenario};
pub use yaml::Loc;

use crate::catalog::Catalog;
use crate::error::Diagnostic;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConditionalAccess {
    None,
    /// IP / named-location policies: Entra ID P1 per user.
    Ip,
    /// Risk-based policies: Entra ID P2 per user.
    Risk,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnPremises {
    None,
    Vpn,
    ExpressRoute,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cicd {
    None,
    AzureDevops,
    Github,
}

/// Where the self-hosted CI/CD agents of a closed network run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CicdAgents {
    /// Virtual machines of yours inside the network (the default).
    Vm,
    /// Azure DevOps Managed DevOps Pools injected into your VNet: compute plus parallel jobs.
    ManagedDevopsPool,
    /// GitHub-hosted larger runners with Azure private networking: billed per minute by GitHub.
    GithubHostedPrivate,
}

/// How operators reach the private data plane (portal blades, VMs) from inside the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    BastionDeveloper,
    BastionBasic,
    BastionStandard,
    BastionPremium,
    Jumpbox,
}

/// Who runs the hub of the network (on-premises connectivity, DNS, egress, operator access).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hub {
    /// The design builds its own.
    New,
    /// The organisation's landing-zone hub already provides them.
    Existing,
}

/// How outbound internet traffic leaves the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Egress {
    None,
    NatGateway,
    FirewallBasic,
    FirewallStandard,
    FirewallPremium,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ddos {
    None,
    /// DDoS Network Protection: one plan for the network's public IPs.
    Network,
    /// DDoS IP Protection: per public IP.
    Ip,
}

/// The jump box operators use: a virtual-machine tier (size) and its OS.
#[derive(Clone, Debug, PartialEq)]
pub struct Jumpbox {
    pub size: String,
    pub os: String,
    /// A managed-disk tier for the OS disk.
    pub disk: String,
}

/// How many of each piece of the network platform the design builds (each at least 1): a
/// hub-and-spoke plan may build a firewall and a Bastion per hub.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlatformCounts {
    pub egress: u32,
    pub bastion: u32,
    pub on_premises: u32,
}

impl Default for PlatformCounts {
    fn default() -> Self {
        PlatformCounts { egress: 1, bastion: 1, on_premises: 1 }
    }
}

/// What "closed" must mean for this organisation, and what it already owns.
#[derive(Clone, Debug, PartialEq)]
pub struct ClosedNetwork {
    pub conditional_access: ConditionalAccess,
    pub on_premises: OnPremises,
    pub cicd: Cicd,
    pub cicd_agents: CicdAgents,
    /// Empty for `none`; sorted and without duplicates.
    pub operator_access: Vec<Access>,
    pub jumpbox: Jumpbox,
    /// `sla: production` rules out tiers without an SLA.
    pub production: bool,
    /// Self-hosted build agents inside the network (default 1 when `cicd` is set).
    pub build_agents: Decimal,
    pub hub: Hub,
    /// Monthly charge-back for an existing hub, in the report currency.
    pub hub_share: Option<Decimal>,
    pub egress: Egress,
    pub ddos: Ddos,
    pub counts: PlatformCounts,
    /// Users who already hold Entra ID P1/P2 (through Microsoft 365 E3/E5, F3, Business Premium...).
    pub licensed_users: Decimal,
    /// `usage:` under `closed_network`: `egress_gb`, `ci_minutes`.
    pub usage: BTreeMap<String, Decimal>,
    pub loc: Loc,
}

/// Usage keys of `closed_network.usage`.
pub const PLATFORM_USAGE: [&str; 2] = ["egress_gb", "ci_minutes"];

/// What an AI Search indexer's skillset runs: it decides which tier can run it over a shared
/// private link (search-indexer-howto-access-private: embedding skills from Basic, others from S1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skillset {
    None,
    /// Only embedding skills (integrated vectorization).
    Embedding,
    /// Other built-in or custom skills (`skillset: true` means this).
    Full,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub index: usize,
    pub name: String,
    pub type_id: String,
    /// Tier id as the catalog spells it; `None` when the file names none (the lowest tier applies).
    pub tier: Option<String>,
    /// Capacity: `units`, `replicas`, `partitions`, `instances` (each defaults to 1).
    pub capacity: BTreeMap<String, Decimal>,
    pub runtime: Option<String>,
    /// Operating system the service must run: explicit `os`, or `linux` for Python.
    pub os: Option<String>,
    /// Whether `os` comes from the file's `os:` (not from the runtime).
    pub os_declared: bool,
    pub public: bool,
    pub calls: Vec<String>,
    pub subresources: Vec<String>,
    pub skillset: Skillset,
    pub custom_skill_timeout: Option<Decimal>,
    pub zone: Option<u8>,
    /// `zone_redundant: true`: the tier must be able to be zone-redundant at the pricing date, and
    /// the capacity at least what the platform then runs (checked when the designs are priced).
    pub zone_redundant: bool,
    pub usage: BTreeMap<String, Decimal>,
    pub model: Option<String>,
    pub loc: Loc,
    pub tier_loc: Option<Loc>,
    /// For a design imported from infrastructure code: the address of the resource it comes from
    /// (findings point there, in the plan or template, instead of at the generated file).
    pub source: Option<String>,
}

impl Service {
    /// Where findings point: the resource's address for imported designs, else `services[i]`.
    pub fn path(&self) -> String {
        match &self.source {
            Some(address) => address.clone(),
            None => format!("services[{}]", self.index),
        }
    }
}

/// A budget limit in the report currency: an amount, or (for an increase) a percentage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Limit {
    Amount(Decimal),
    Percent(Decimal),
}

/// What a rule's findings count as in `closednet check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleAction {
    Allow,
    Warn,
    Deny,
}

/// `policy:` in the file: budgets and finding severities that `closednet check` enforces.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policy {
    pub max_monthly: Option<Decimal>,
    pub max_fixed: Option<Decimal>,
    pub max_increase: Option<Limit>,
    pub deny: Option<crate::registry::Severity>,
    pub rules: BTreeMap<crate::registry::RuleId, RuleAction>,
    /// `require: closed`: every resource of infrastructure code must be closed.
    pub require_closed: bool,
    /// `deny_preview: true`: a closed design relying on a preview feature fails (CN025).
    pub deny_preview: bool,
}

/// Parses `25%` as a percentage, anything else as an amount (`200k`).
pub fn parse_limit(text: &str) -> Result<Limit, quantity::QuantityError> {
    match text.trim().strip_suffix('%') {
        Some(p) => quantity::parse_quantity(p).map(Limit::Percent),
        None => quantity::parse_quantity(text).map(Limit::Amount),
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Architecture {
    /// The file as the user named it, for messages.
    pub file: String,
    pub name: String,
    pub region: String,
    pub currency: Option<String>,
    /// Pinned pricing snapshot.
    pub pricing: Option<String>,
    pub users: Option<Decimal>,
    /// Exchange rates stated in the file: currency -> units per USD.
    pub fx: BTreeMap<String, Decimal>,
    pub closed: ClosedNetwork,
    pub services: Vec<Service>,
    pub policy: Policy,
    pub discounts: Vec<terms::Discount>,
    /// Your own unit prices (`prices:`), in the currency the file gives them.
    pub prices: Vec<terms::Price>,
    /// Service name -> index in `services`, so lookups stay constant-time for large files.
    pub index: HashMap<String, usize>,
    /// `requirements:`, each with where the file states it.
    pub requirements: Vec<(Constraint, Loc)>,
    /// `scenarios:`, in file order (each already validated with its overrides).
    pub scenarios: Vec<Scenario>,
}

impl Architecture {
    /// Builds the name index (the first service of a name wins; names are unique once validated).
    pub(crate) fn indexed(mut self) -> Self {
        self.index = HashMap::new();
        for (i, s) in self.services.iter().enumerate() {
            self.index.entry(s.name.clone()).or_insert(i);
        }
        self
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.index.get(name).map(|&i| &self.services[i])
    }

    pub fn scenario(&self, name: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.name == name)
    }

    pub fn requires(&self, c: Constraint) -> bool {
        self.requirements.iter().any(|(r, _)| *r == c)
    }
}

/// Most services one file may declare: memory and time stay bounded. At this size on the reference
/// machine the table report takes about 0.6 s and 150 MB, the JSON report (written service by
/// service, not built as one value) 0.6 s and 180 MB (`/usr/bin/time -f "%e s %M KB"`).
pub const MAX_SERVICES: usize = 20_000;

/// Largest architecture file closednet reads: a typo-sized limit for a YAML document, far above
/// any real design (10,000 services take about 1 MiB).
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// An architecture file's text, reading no more than the library accepts: `/dev/zero`, a pipe
/// that never ends or a 10 GB file stop at the limit instead of filling the memory.
pub fn read(file: &std::path::Path, name: &str) -> Result<String, crate::error::Error> {
    use std::io::Read;
    let cannot = |e: &dyn std::fmt::Display| crate::error::Error::Message(format!("cannot read {name}: {e}"));
    if std::fs::metadata(file).is_ok_and(|m| m.is_dir()) {
        return Err(crate::error::Error::Message(format!(
            "{name} is a directory, not a file: give the file itself (an architecture file, a plan or a template)"
        )));
    }
    let f = std::fs::File::open(file).map_err(|e| cannot(&e))?;
    let mut bytes = Vec::new();
    f.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(|e| cannot(&e))?;
    if bytes.len() > MAX_FILE_BYTES {
        let size = std::fs::metadata(file)
            .ok()
            .filter(|m| m.is_file())
            .map_or_else(|| format!("more than {MAX_FILE_BYTES}"), |m| m.len().to_string());
        let d = Diagnostic::new(
            name,
            format!(
                "the file is {size} bytes; closednet reads architecture files up to {MAX_FILE_BYTES} bytes (16 MiB)"
            ),
        );
        return Err(d.help("split the design into several files").into());
    }
    String::from_utf8(bytes).map_err(|_| cannot(&"stream did not contain valid UTF-8"))
}

/// Reads an architecture file, applies `--set` overrides, and validates the result.
pub fn load_with(
    file: &str,
    text: &str,
    catalog: &Catalog,
    sets: &[set::Set],
) -> Result<Architecture, Vec<Diagnostic>> {
    load(file, text, catalog, sets, false)
}

/// [`load_with`] for the file `closednet import` writes: it may declare no services (an input that
/// builds only the network platform).
pub fn load_imported(
    file: &str,
    text: &str,
    catalog: &Catalog,
    sets: &[set::Set],
) -> Result<Architecture, Vec<Diagnostic>> {
    load(file, text, catalog, sets, true)
}

fn load(
    file: &str,
    text: &str,
    catalog: &Catalog,
    sets: &[set::Set],
    imported: bool,
) -> Result<Architecture, Vec<Diagnostic>> {
    if text.len() > MAX_FILE_BYTES {
        return Err(vec![
            Diagnostic::new(
                file,
                format!(
                    "the file is {} bytes; closednet reads architecture files up to {MAX_FILE_BYTES} bytes (16 MiB)",
                    text.len()
                ),
            )
            .help("split the design into several files"),
        ]);
    }
    let mut raw = yaml::parse(file, text).map_err(|d| vec![*d])?;
    raw.imported = imported;
    // Scenarios are variants of the file as written, not of this run's `--set`s.
    let as_written = raw.scenarios.as_ref().map(|_| raw.clone());
    let resolved = set::apply(file, &mut raw, sets)?;
    let arch = validate::validate(file, raw, catalog).map_err(|mut diags| {
        set::relabel(&mut diags, sets, &resolved);
        diags
    })?;
    match as_written {
        Some(raw) => validate::scenarios::check(file, raw, catalog, &arch.scenarios).map(|()| arch),
        None => Ok(arch),
    }
}
