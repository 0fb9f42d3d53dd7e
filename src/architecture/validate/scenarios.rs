//! `requirements:` and `scenarios:`. Requirements are words of [`Constraint`]. A scenario's
//! overrides are read with the `--set` parser and then applied to the file as written and
//! validated exactly as `--set` is, once per scenario; every problem points at the scenario's
//! `set` entry in the file, so a typo in a scenario is found when the file is loaded, not when the
//! scenario is first priced.

use super::Checker;
use crate::architecture::scenario::{BASE, Constraint, Scenario};
use crate::architecture::set::{self, Set};
use crate::architecture::yaml::{Loc, Located, RawArchitecture, RawScenarios, loc};
use crate::catalog::Catalog;
use crate::error::Diagnostic;
use crate::suggest;

pub(in crate::architecture) fn requirements(
    c: &mut Checker,
    raw: Option<&[Located<String>]>,
) -> Vec<(Constraint, Loc)> {
    let ids: Vec<&str> = Constraint::ALL.iter().map(|k| k.id()).collect();
    let mut out: Vec<(Constraint, Loc)> = Vec::new();
    for (i, word) in raw.unwrap_or_default().iter().enumerate() {
        let path = format!("requirements[{i}]");
        match Constraint::parse(&word.value) {
            Some(k) if out.iter().any(|(o, _)| *o == k) => {
                c.error(loc(word), path, format!("requirement {k} is listed twice")).help =
                    Some("list each requirement once".into());
            }
            Some(k) => out.push((k, loc(word))),
            None => {
                let v = word.value.trim();
                c.error(loc(word), path, format!("unknown requirement \"{v}\"")).help = Some(suggest::help(v, &ids));
            }
        }
    }
    out
}

/// Whether `name` matches [`crate::architecture::scenario::NAME_PATTERN`].
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= 25
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Each scenario's name, description and overrides, read but not yet applied (see [`check`]).
pub(in crate::architecture) fn scenarios(c: &mut Checker, raw: Option<&Located<RawScenarios>>) -> Vec<Scenario> {
    let Some(raw) = raw else { return Vec::new() };
    let mut out: Vec<Scenario> = Vec::new();
    for (name, s) in &raw.value.0 {
        let at = loc(s);
        let path = format!("scenarios.{name}");
        if !valid_name(name) {
            c.error(at, &path, format!("scenario name \"{name}\" is not a plain word")).help = Some(
                "use letters, digits, - and _ (at most 25 characters, starting with a letter or digit): it names workbook sheets and a --scenario argument".into(),
            );
            continue;
        }
        if name.eq_ignore_ascii_case(BASE) {
            c.error(at, &path, format!("\"{name}\" names the file as written in compare and diff")).help =
                Some("give the scenario another name".into());
            continue;
        }
        if out.iter().any(|o| o.name == *name) {
            c.error(at, &path, format!("scenario {name} is defined twice")).help =
                Some("each scenario needs its own name".into());
            continue;
        }
        if s.value.description.trim().is_empty() {
            c.error(at, format!("{path}.description"), format!("scenario {name} has an empty description")).help =
                Some("say what the scenario is: the comparison and the sign-off print it".into());
        }
        if s.value.set.is_empty() {
            c.error(at, format!("{path}.set"), format!("scenario {name} sets nothing")).help =
                Some("list its overrides, e.g. set: [closed_network.hub=existing]".into());
        }
        let mut sets = Vec::new();
        let mut set_locs = Vec::new();
        for (i, entry) in s.value.set.iter().enumerate() {
            match Set::parse(&entry.value) {
                Ok(set) => {
                    sets.push(set);
                    set_locs.push(loc(entry));
                }
                Err(_) => {
                    c.error(loc(entry), format!("{path}.set[{i}]"), format!("\"{}\" is not PATH=VALUE", entry.value.trim()))
                        .help = Some("write an override as --set takes it, e.g. closed_network.hub=existing or services.gateway.tier=premium-v2".into());
                }
            }
        }
        out.push(Scenario {
            name: name.clone(),
            description: s.value.description.trim().to_string(),
            sets,
            loc: at,
            set_locs,
        });
    }
    out
}

/// Applies each scenario's overrides to the file as written and validates the result, as `--set`
/// is; every problem names the scenario and points at the `set` entry it comes from.
pub(in crate::architecture) fn check(
    file: &str,
    mut raw: RawArchitecture,
    catalog: &Catalog,
    scenarios: &[Scenario],
) -> Result<(), Vec<Diagnostic>> {
    raw.scenarios = None;
    let mut diags = Vec::new();
    for s in scenarios {
        let mut variant = raw.clone();
        let mut resolved = Vec::new();
        let mut applied = true;
        for (i, set) in s.sets.iter().enumerate() {
            match set::apply(file, &mut variant, std::slice::from_ref(set)) {
                Ok(paths) => resolved.extend(paths),
                Err(found) => {
                    applied = false;
                    diags.extend(found.into_iter().map(|d| at_entry(d, s, i)));
                }
            }
        }
        if !applied {
            continue;
        }
        if let Err(found) = super::validate(file, variant, catalog) {
            diags.extend(found.into_iter().map(|d| relabel(d, s, &resolved)));
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

/// A problem with one override of scenario `s`, at its `set` entry: `--set PATH=VALUE: why`
/// becomes `scenario NAME: PATH=VALUE: why`.
fn at_entry(mut d: Diagnostic, s: &Scenario, i: usize) -> Diagnostic {
    let set = &s.sets[i];
    let at = s.set_locs[i];
    let why = d.message.strip_prefix(&format!("{}: ", set.flag())).unwrap_or(&d.message).to_string();
    d.message = format!("scenario {}: {}={}: {why}", s.name, set.path, set.value);
    d.line = Some(at.line);
    d.column = Some(at.column);
    d.path = Some(format!("scenarios.{}.set[{i}]", s.name));
    d
}

/// A problem of the file as scenario `s` makes it: at the override that set the value, else where
/// the file has it, naming the scenario either way.
fn relabel(mut d: Diagnostic, s: &Scenario, resolved: &[String]) -> Diagnostic {
    let path = d.path.as_deref().map(|p| p.replace('[', ".").replace(']', ""));
    let hit = path.as_deref().and_then(|p| resolved.iter().rposition(|r| p == r || p.starts_with(&format!("{r}."))));
    match hit {
        Some(i) => {
            let (set, at) = (&s.sets[i], s.set_locs[i]);
            d.message = format!("{} (scenario {}: {}={})", d.message, s.name, set.path, set.value);
            d.line = Some(at.line);
            d.column = Some(at.column);
            d.path = Some(format!("scenarios.{}.set[{i}]", s.name));
        }
        None => d.message = format!("{} (in scenario {})", d.message, s.name),
    }
    d
}
