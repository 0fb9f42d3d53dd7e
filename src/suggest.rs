//! "Did you mean" suggestions for names the catalog or the file format does not know.

/// Levenshtein edit distance between two strings, by characters, ignoring ASCII case.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_ascii_lowercase().chars().collect();
    let b: Vec<char> = b.to_ascii_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
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
        assert_eq!(help("gold", &tiers), "expected one of: premium, premium-v2, standard, standard-v2");
    }
}
