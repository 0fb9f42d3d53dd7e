//! Property tests: arbitrary and mutated inputs go through loading, estimating and rendering, and
//! every run ends in a report or a clear error, never a panic. Designs built from the catalog's own
//! names always estimate, and their totals add up.

use closednet::catalog::Catalog;
use closednet::figures::present;
use closednet::pipeline::{self, Overrides};
use closednet::report::{Format, render};
use proptest::prelude::*;
use std::sync::OnceLock;

/// The files of `pricing/`, read once.
fn pricing_files() -> &'static Vec<(String, String)> {
    static F: OnceLock<Vec<(String, String)>> = OnceLock::new();
    F.get_or_init(|| closednet::catalog::files_in(std::path::Path::new("pricing")).unwrap())
}

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| Catalog::embedded().unwrap())
}

const FORMATS: [Format; 6] =
    [Format::Table, Format::Json, Format::Csv { excel: true }, Format::Markdown, Format::Html, Format::Xlsx];

/// Loads, estimates and renders in every format; an error is fine, a panic is not.
fn exercise(text: &str) {
    let o = Overrides { fx: vec![("JPY".into(), rust_decimal::Decimal::from(150))], ..Default::default() };
    match pipeline::run("prop.yaml", text, catalog(), &o) {
        Ok(est) => {
            for f in FORMATS {
                let _ = render(&est, f);
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// Applies edits (position, action, byte) to a text, keeping it UTF-8.
fn mutate(base: &str, edits: &[(usize, u8, char)]) -> String {
    let mut chars: Vec<char> = base.chars().collect();
    for &(pos, action, c) in edits {
        if chars.is_empty() {
            chars.push(c);
            continue;
        }
        let i = pos % chars.len();
        match action % 3 {
            0 => chars[i] = c,
            1 => chars.insert(i, c),
            _ => {
                chars.remove(i);
            }
        }
    }
    chars.into_iter().collect()
}

fn yaml_char() -> impl Strategy<Value = char> {
    prop_oneof![
        Just(':'),
        Just('-'),
        Just(' '),
        Just('\n'),
        Just('['),
        Just(']'),
        Just('{'),
        Just('}'),
        Just('&'),
        Just('*'),
        Just('#'),
        Just('"'),
        Just('\''),
        Just('!'),
        Just('|'),
        Just('>'),
        Just('9'),
        Just('M'),
        Just('e'),
        Just('.'),
        any::<char>(),
    ]
}

const EXAMPLES: [&str; 3] = [
    include_str!("../../examples/article.yaml"),
    include_str!("../../examples/article-2023.yaml"),
    include_str!("../fixtures/discounts.yaml"),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        exercise(&text);
    }

    #[test]
    fn mutated_examples_never_panic(which in 0usize..3, edits in prop::collection::vec((any::<usize>(), any::<u8>(), yaml_char()), 1..8)) {
        exercise(&mutate(EXAMPLES[which], &edits));
    }

    #[test]
    fn designs_from_catalog_names_estimate_and_add_up(
        picks in prop::collection::vec((0usize..64, 0usize..8, any::<bool>(), 0u32..2_000_000), 1..8),
        calls in prop::collection::vec((0usize..8, 0usize..8), 0..6),
    ) {
        let types: Vec<&str> = catalog().declarable_types();
        let mut text = String::from("version: 1\nregion: japaneast\nusers: 10\nclosed_network: { conditional_access: ip, on_premises: vpn }\nservices:\n");
        let n = picks.len();
        for (i, (t, tier, public, q)) in picks.iter().enumerate() {
            let def = catalog().service(types[t % types.len()]).unwrap();
            let tier = def.tiers().nth(tier % def.tiers().count()).unwrap();
            text.push_str(&format!("  - name: s{i}\n    type: {}\n    tier: {}\n    public: {public}\n", def.type_id, tier.id));
            let usage: Vec<String> = def.usage.iter().filter(|u| *u != "model").map(|u| format!("{u}: {q}")).collect();
            if !usage.is_empty() {
                let model = def.models.first().map(|m| format!("model: {m}, ")).unwrap_or_default();
                text.push_str(&format!("    usage: {{ {model}{} }}\n", usage.join(", ")));
            }
            let targets: Vec<String> = calls.iter().filter(|(from, to)| from % n == i && to % n != i).map(|(_, to)| format!("s{}", to % n)).collect();
            if !targets.is_empty() {
                text.push_str(&format!("    calls: [{}]\n", targets.join(", ")));
            }
        }
        let est = pipeline::run("gen.yaml", &text, catalog(), &Overrides::default());
        // A tier declared below what the OS needs is an input error; anything else must estimate.
        if let Ok(est) = est {
            for design in [&est.rbac, &est.closed] {
                let t = design.totals().unwrap();
                prop_assert!(t.fixed >= rust_decimal::Decimal::ZERO && t.usage >= rust_decimal::Decimal::ZERO);
                // Unrounded sums agree to Decimal's precision (28 digits: groupings may differ in the
                // last one) ...
                let sum: rust_decimal::Decimal = design.services.iter().chain(&design.added).map(|s| s.totals.total()).sum();
                prop_assert!((sum - t.total()).abs() < rust_decimal::Decimal::new(1, 20), "{sum} vs {}", t.total());
                // ... and the presented figures, which reports print, add up exactly.
                let p = present(design, &est.conversion).unwrap();
                let presented: rust_decimal::Decimal = p.services.iter().chain(&p.added).map(|s| s.fixed + s.usage).sum();
                prop_assert_eq!(presented, p.total());
            }
            for f in FORMATS {
                prop_assert!(render(&est, f).is_ok());
            }
        }
    }

    #[test]
    fn mutated_catalog_files_never_panic(file in 0usize..200, edits in prop::collection::vec((any::<usize>(), any::<u8>(), yaml_char()), 1..6)) {
        let mut files = pricing_files().clone();
        let i = file % files.len();
        files[i].1 = mutate(&files[i].1, &edits);
        if let Ok(c) = Catalog::from_files(files, "mutated") {
            let _ = pipeline::run("article.yaml", EXAMPLES[0], &c, &Overrides { fx: vec![("JPY".into(), 150.into())], ..Default::default() });
        }
    }

    #[test]
    fn mutated_retail_pages_never_panic(edits in prop::collection::vec((any::<usize>(), any::<u8>(), yaml_char()), 1..6)) {
        let base = std::fs::read_to_string("tests/fixtures/retail/japaneast/api_management.json").unwrap();
        let dir = crate::support::tmp().join("prop-retail");
        std::fs::create_dir_all(dir.join("japaneast")).unwrap();
        std::fs::write(dir.join("japaneast/api_management.json"), mutate(&base, &edits)).unwrap();
        let _ = closednet::catalog::import::import(catalog(), &dir, "2026-08-15");
    }
}
