//! Many variants of one architecture file, each priced by the pipeline exactly as `estimate`
//! prices it: the file's named scenarios side by side ([`compare`]) and a sweep of the choices the
//! design leaves open ([`sweep`]). Nothing here prices a line itself: a variant is the file with
//! `--set` overrides, so every figure is reproduced by `closednet estimate FILE --set ...`.

pub mod compare;
pub mod sweep;

use crate::architecture::scenario::BASE;
use crate::architecture::{self, Scenario};
use crate::catalog::Catalog;
use crate::error::Error;
use crate::pipeline::Overrides;

/// The file's scenarios, validated (each one's overrides applied to the file as written).
pub fn scenarios_of(file: &str, text: &str, catalog: &Catalog) -> Result<Vec<Scenario>, Error> {
    if crate::iac::detect(text).is_some() {
        return Err(Error::msg(format!(
            "{file} is infrastructure code: scenarios live in an architecture file (`closednet import` writes one)"
        )));
    }
    let arch = architecture::load_with(file, text, catalog, &[]).map_err(Error::Input)?;
    Ok(arch.scenarios)
}

/// The scenario called `name`, or an error that lists the file's scenarios.
pub fn find<'a>(file: &str, list: &'a [Scenario], name: &str) -> Result<&'a Scenario, Error> {
    if let Some(s) = list.iter().find(|s| s.name == name) {
        return Ok(s);
    }
    if list.is_empty() {
        return Err(Error::msg(format!(
            "{file} has no scenarios: add a `scenarios:` map (name -> description and set) to the file"
        )));
    }
    let mut names: Vec<&str> = list.iter().map(|s| s.name.as_str()).collect();
    names.push(BASE);
    Err(Error::msg(format!("{file} has no scenario \"{name}\"; {}", crate::suggest::help(name, &names))))
}

/// The overrides that price scenario `name` of the file (`base`: the file as written): the
/// scenario's `set` entries, then the run's own `--set`s, which win.
pub fn with_scenario(
    file: &str,
    text: &str,
    catalog: &Catalog,
    name: &str,
    overrides: &Overrides,
) -> Result<Overrides, Error> {
    if name == BASE {
        return Ok(overrides.clone());
    }
    let list = scenarios_of(file, text, catalog)?;
    let scenario = find(file, &list, name)?;
    let mut o = overrides.clone();
    o.sets = scenario.sets.iter().chain(&overrides.sets).cloned().collect();
    Ok(o)
}
