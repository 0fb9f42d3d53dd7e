//! Keeps the rule registry honest: every rule has complete docs, and every doc's example really
//! triggers its rule (a finding for CN0xx, a tier decision for CN1xx).

use closednet::catalog::Catalog;
use closednet::pipeline::{self, Overrides};
use closednet::registry::RULES;

const SECTIONS: [&str; 5] = ["## What it checks", "## Why it matters", "## Example", "## How to fix", "## Learn more"];

/// The example of a rule's docs: an architecture file (```yaml) or, for the rules of
/// infrastructure code, a Terraform plan (```json).
fn example(docs: &str) -> &str {
    let fence = ["```yaml\n", "```json\n"].into_iter().find_map(|f| docs.find(f).map(|i| i + f.len()));
    let start = fence.expect("an example");
    let len = docs[start..].find("```").expect("a closed example");
    &docs[start..start + len]
}

#[test]
fn every_rule_has_complete_docs() {
    for r in RULES {
        let first = r.docs.lines().next().unwrap();
        assert_eq!(first, format!("# {} {}", r.id, r.slug), "{}: title line", r.id);
        let mut last = 0;
        for s in SECTIONS {
            let at = r.docs.find(s).unwrap_or_else(|| panic!("{}: no section {s}", r.id));
            assert!(at > last, "{}: {s} out of order", r.id);
            last = at;
        }
        let learn = &r.docs[r.docs.find("## Learn more").unwrap()..];
        assert!(learn.contains("https://learn.microsoft.com/"), "{}: Learn more needs a Microsoft Learn link", r.id);
    }
}

#[test]
fn every_doc_example_triggers_its_rule() {
    let catalog = Catalog::embedded().unwrap();
    for r in RULES {
        let yaml = example(r.docs);
        let est = pipeline::run(&format!("{}.md", r.id), yaml, &catalog, &Overrides::default())
            .unwrap_or_else(|e| panic!("{}: example does not estimate: {e}", r.id));
        let fired = est.findings.iter().any(|f| f.rule.as_str() == r.id)
            || est.closed.decisions.iter().any(|d| d.rule.map(|x| x.as_str()) == Some(r.id) && d.changed());
        assert!(fired, "{}: its example does not trigger it", r.id);
    }
}
