use closednet::catalog::Catalog;
use closednet::pipeline::{self, Overrides};
fn main() {
    let catalog = Catalog::embedded().unwrap();
    for f in ["examples/landing-zone.yaml", "examples/article.yaml"] {
        let text = std::fs::read_to_string(f).unwrap();
        let o = Overrides::default();
        let _ = pipeline::run(f, &text, &catalog, &o).unwrap();
        let t = std::time::Instant::now();
        for _ in 0..1000 { let e = pipeline::run(f, &text, &catalog, &o).unwrap(); std::hint::black_box(&e); }
        println!("{f}: {:?} per run", t.elapsed() / 1000);
    }
}
