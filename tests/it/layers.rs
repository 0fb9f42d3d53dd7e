//! The crate's layers, as `src/lib.rs` writes them (its "Layers" table, top to bottom): a module
//! may name only its own module tree or a tree on a lower floor. This reads every `crate::` path
//! in the sources (comments left out) and fails on an upward or sideways import, so the house keeps
//! the shape its documentation draws.

use std::collections::BTreeMap;
use std::path::Path;

/// Module tree -> floor, from the table in lib.rs's crate docs.
fn floors() -> BTreeMap<String, i32> {
    let lib = std::fs::read_to_string("src/lib.rs").unwrap();
    let mut out = BTreeMap::new();
    for line in lib.lines().filter_map(|l| l.strip_prefix("//! | ")) {
        let mut cells = line.split(" | ");
        let (Some(floor), Some(modules)) = (cells.next(), cells.next()) else { continue };
        let Ok(floor) = floor.trim().parse::<i32>() else { continue };
        for m in modules.split(", ") {
            out.insert(m.trim().trim_start_matches("[`").trim_end_matches("`]").to_string(), floor);
        }
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`src/rules/choose.rs` -> `rules`).
fn tree(path: &Path) -> String {
    let rel = path.strip_prefix("src").unwrap();
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_string()
}

/// The module trees a source names with `crate::NAME`, outside comments.
fn named(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + 7..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn no_module_imports_from_a_higher_floor_or_a_sibling() {
    let floors = floors();
    assert!(floors.len() >= 10, "the Layers table of src/lib.rs lists the modules: {floors:?}");
    let mut files = Vec::new();
    sources(Path::new("src"), &mut files);
    let mut problems = Vec::new();
    for file in files {
        let from = tree(&file);
        if from == "lib" || from == "main" {
            continue;
        }
        let Some(&floor) = floors.get(&from) else {
            problems.push(format!("{}: module {from} is not in the Layers table of src/lib.rs", file.display()));
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for to in named(&text) {
            if to == from {
                continue;
            }
            match floors.get(&to) {
                Some(&f) if f < floor => {}
                Some(&f) => problems.push(format!(
                    "{}: {from} (floor {floor}) imports {to} (floor {f}): only lower floors may be imported",
                    file.display()
                )),
                None => problems.push(format!("{}: crate::{to} is not a module of the Layers table", file.display())),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_reads_paths_outside_comments_only() {
    let text = "use crate::rules::Design; // crate::report is mentioned\nlet x = crate::money::round(a);";
    assert_eq!(named(text), ["rules", "money"]);
}
