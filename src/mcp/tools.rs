//! What each tool does, as plain functions from its input to the texts it returns: the same
//! library calls, in the same order, as the command of the same name in `main.rs`, so a tool's JSON
//! is the command's `--format json` byte for byte. Failures are the library's [`Error`], whose text
//! is what the command prints on standard error; the server turns it into a tool error.

use super::input::{
    CheckInput, CompareInput, DiffInput, EstimateInput, ExplainInput, ImportInput, ImportKind, PricingInput,
    SweepInput, fx_rates, sets,
};
use super::paths::Sandbox;
use crate::architecture::Policy;
use crate::catalog::Catalog;
use crate::error::Error;
use crate::pipeline::{self, Estimate, Overrides};
use crate::report::{self, Format, Rendered, diff::DiffFormat, gate::GateFormat};

/// What every call shares: the catalog (loaded once, for the server's lifetime) and the paths it
/// may read.
pub struct Context {
    pub catalog: &'static Catalog,
    pub sandbox: Sandbox,
}

/// The text contents of a successful call, in order.
pub type Texts = Vec<String>;

/// What `CLOSEDNET_TODAY` says today is (tests and reproducible reports pin it), else the clock:
/// read on every call, as the command line reads it on every run.
fn today() -> String {
    std::env::var("CLOSEDNET_TODAY").unwrap_or_else(|_| crate::date::today_utc())
}

impl Context {
    /// A file to read (`path`) or its text (`text`, named `<FIELD>` in messages): exactly one.
    fn source(&self, path: Option<&str>, text: Option<&str>, fields: (&str, &str)) -> Result<(String, String), Error> {
        let (path_field, text_field) = fields;
        match (path, text) {
            (Some(p), None) => self.sandbox.read(p),
            (None, Some(t)) => Ok((format!("<{text_field}>"), t.to_string())),
            (Some(_), Some(_)) => Err(Error::msg(format!("give `{path_field}` or `{text_field}`, not both"))),
            (None, None) => {
                Err(Error::msg(format!("give `{path_field}` (a file to read) or `{text_field}` (its text)")))
            }
        }
    }

    /// The command line's pricing flags, from the tool's fields (the other flags at their defaults).
    fn overrides(&self, p: &PricingInput) -> Result<Overrides, Error> {
        let mut o = Overrides {
            currency: p.currency.clone(),
            fx: fx_rates(&p.fx)?,
            snapshot: p.snapshot.clone(),
            months: 1,
            today: Some(today()),
            max_price_age: 6,
            sets: sets(&p.set)?,
            ..Overrides::default()
        };
        o.source.region = p.region.clone();
        o.source.parameters = p.parameters_path.as_deref().map(|path| self.sandbox.read(path)).transpose()?;
        Ok(o)
    }

    fn run(&self, (name, text): &(String, String), o: &Overrides) -> Result<Estimate<'static>, Error> {
        pipeline::run(name, text, self.catalog, o)
    }

    /// The report as `estimate --format json`, then as `--format markdown`.
    pub fn estimate(&self, input: &EstimateInput) -> Result<Texts, Error> {
        let file = self.source(input.path.as_deref(), input.yaml.as_deref(), ("path", "yaml"))?;
        let est = self.run(&file, &self.overrides(&input.pricing)?)?;
        Ok(vec![text(report::render(&est, Format::Json)?)?, text(report::render(&est, Format::Markdown)?)?])
    }

    /// The comparison as `compare --format json`, then as `--format markdown`.
    pub fn compare(&self, input: &CompareInput) -> Result<Texts, Error> {
        use crate::report::compare::{CompareFormat, render};
        let (name, text) = self.source(input.path.as_deref(), input.yaml.as_deref(), ("path", "yaml"))?;
        let o = self.overrides(&input.pricing)?;
        let c = crate::scenario::compare::compare(&name, &text, self.catalog, &o, input.choose.as_deref())?;
        Ok(vec![render(&c, &name, CompareFormat::Json)?, render(&c, &name, CompareFormat::Markdown)?])
    }

    /// The sweep as `sweep --format json`, then as `--format markdown`.
    pub fn sweep(&self, input: &SweepInput) -> Result<Texts, Error> {
        use crate::report::sweep::{SweepFormat, render};
        use crate::scenario::sweep::{DEFAULT_MAX_VARIANTS, Options};
        let (name, text) = self.source(input.path.as_deref(), input.yaml.as_deref(), ("path", "yaml"))?;
        let o = self.overrides(&input.pricing)?;
        let max_variants = input.max_variants.unwrap_or(DEFAULT_MAX_VARIANTS);
        if max_variants == 0 {
            return Err(Error::msg("max_variants 0: price at least one variant"));
        }
        let options = Options { vary: input.vary.clone(), fix: sets(&input.fix)?, max_variants, prune: true };
        let s = crate::scenario::sweep::sweep(&name, &text, self.catalog, &o, &options)?;
        Ok(vec![render(&s, &name, SweepFormat::Json)?, render(&s, &name, SweepFormat::Markdown)?])
    }

    /// The judgement as `check --format json`, then as `--format markdown`. A failed check is a
    /// result (`"passed": false`), not a tool error: only input that cannot be checked is.
    pub fn check(&self, input: &CheckInput) -> Result<Texts, Error> {
        let asked = Policy::try_from(&input.policy)?;
        let file = self.source(input.path.as_deref(), input.yaml.as_deref(), ("path", "yaml"))?;
        let o = self.overrides(&input.pricing)?;
        let est = self.run(&file, &o)?;
        // The baseline is the file as it stands: `set` makes a variant of the checked file only.
        let plain = Overrides { sets: Vec::new(), ..o };
        let base = match &input.baseline_path {
            Some(path) => Some(self.run(&self.sandbox.read(path)?, &plain)?),
            None => None,
        };
        let policy = crate::gate::merge(&est.architecture.policy, &asked);
        let judgement = crate::gate::judge(&est, base.as_ref(), &policy)?;
        Ok(vec![
            report::gate::render(&judgement, GateFormat::Json)?,
            report::gate::render(&judgement, GateFormat::Markdown)?,
        ])
    }

    /// The difference as `diff --format json`, then as `--format markdown`.
    pub fn diff(&self, input: &DiffInput) -> Result<Texts, Error> {
        let old = self.source(input.old_path.as_deref(), input.old_yaml.as_deref(), ("old_path", "old_yaml"))?;
        let new = self.source(input.new_path.as_deref(), input.new_yaml.as_deref(), ("new_path", "new_yaml"))?;
        let o = self.overrides(&input.pricing)?;
        let plain = Overrides { sets: Vec::new(), ..o.clone() };
        let (old, new) = (self.run(&old, &plain)?, self.run(&new, &o)?);
        let d = report::diff::Diff::new(&old, &new)?;
        Ok(vec![report::diff::render(&d, DiffFormat::Json)?, report::diff::render(&d, DiffFormat::Markdown)?])
    }

    /// `explain NAME`: a rule's documentation (Markdown) or a service type's tiers.
    pub fn explain(&self, input: &ExplainInput) -> Result<Texts, Error> {
        let snap = match &input.snapshot {
            Some(s) => self.catalog.snapshot(s)?,
            None => self.catalog.newest(),
        };
        let region = input.region.as_deref().unwrap_or("eastus2");
        if !snap.meta.regions.iter().any(|r| r == region) {
            return Err(Error::msg(format!("region \"{region}\" is not in pricing snapshot {}", snap.meta.name)));
        }
        Ok(vec![report::explain::explain(&input.name, self.catalog, snap, region)?])
    }

    /// `catalog --format json`.
    pub fn catalog(&self) -> Result<Texts, Error> {
        Ok(vec![report::catalog::json(self.catalog)?])
    }

    /// `import`: the architecture file (YAML), then the summary as `--summary json` writes it.
    pub fn import(&self, input: &ImportInput) -> Result<Texts, Error> {
        let kind = match input.kind {
            ImportKind::Terraform => crate::iac::Kind::Terraform,
            ImportKind::Arm => crate::iac::Kind::Arm,
        };
        if matches!(input.kind, ImportKind::Terraform) && input.parameters_path.is_some() {
            return Err(Error::msg("`parameters_path` is for an ARM template (kind \"arm\"), not a Terraform plan"));
        }
        let (name, text) = self.sandbox.read(&input.path)?;
        let parameters = input.parameters_path.as_deref().map(|p| self.sandbox.read(p)).transpose()?;
        let options = crate::iac::Options { region: input.region.clone(), parameters };
        let import = crate::iac::import(kind, &name, &text, &options)?;
        let yaml = crate::iac::import::yaml::write(&import, self.catalog)?;
        Ok(vec![yaml, report::import::json(&import)?])
    }
}

fn text(r: Rendered) -> Result<String, Error> {
    match r {
        Rendered::Text(t) => Ok(t),
        Rendered::Bytes(_) => Err(Error::msg("a binary rendering where text was expected (a bug in closednet)")),
    }
}
