//! "Did you mean" suggestions for names the catalog or the file format does not know.

/// Edit distance between two strings, ignoring ASCII case: insertions, deletions, substitutions
/// and swaps of two neighbouring characters (`teir` -> `tier`) each count one.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_ascii_lowercase().chars().collect();
    let b: Vec<char> = b.to_ascii_lowercase().chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The closest candidate within a third of the longer name's length, if any.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (distance(input, c), c))
        .filter(|(d, c)| *d <= (input.len().max(c.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A help line: `did you mean "x"?` or the list of valid names.
pub fn help(input: &str, candidates: &[&str]) -> String {
    match did_you_mean(input, candidates.iter().copied()) {
        Some(c) => format!("did you mean \"{c}\"?"),
        None => format!("expected one of: {}", candidates.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let tiers = ["premium", "premium-v2", "standard", "standard-v2"];
        assert_eq!(did_you_mean("premum", tiers), Some("premium"));
        assert_eq!(did_you_mean("premium-2", tiers), Some("premium-v2"));
        assert_eq!(did_you_mean("Standard", tiers), Some("standard"));
        assert_eq!(did_you_mean("gold", tiers), None);
        assert_eq!(did_you_mean("teir", ["name", "tier", "type"]), Some("tier"));
        assert_eq!(help("gold", &tiers), "expected one of: premium, premium-v2, standard, standard-v2");
    }
}
