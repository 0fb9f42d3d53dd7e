//! A region's file of items, written page by page as the pages arrive: memory holds one page,
//! whatever the number of pages. The file is staged beside its final name ([`crate::atomic`]) and
//! gets that name only once every page of every query arrived; dropped before, it is removed.

use crate::atomic::Staged;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::io::{BufWriter, Write};
use std::path::Path;

/// The API's envelope around all the pages' items, one item a line, each as received.
pub struct ItemsFile {
    staged: Staged,
    count: usize,
}

impl ItemsFile {
    /// A file whose envelope names `currency` (an ISO 4217 code), as the API's pages do.
    pub fn create(path: &Path, currency: &str) -> std::io::Result<ItemsFile> {
        let mut staged = Staged::create(path)?;
        staged.file().write_all(format!("{{\"BillingCurrency\":\"{currency}\",\"Items\":[").as_bytes())?;
        Ok(ItemsFile { staged, count: 0 })
    }

    /// Appends one page's items.
    pub fn append(&mut self, items: &[&RawValue]) -> std::io::Result<()> {
        let mut out = BufWriter::new(self.staged.file());
        for item in items {
            out.write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
            out.write_all(item.get().as_bytes())?;
            self.count += 1;
        }
        out.flush()
    }

    pub fn count(&self) -> usize {
        self.count
    }

    /// Closes the envelope and puts the file under its name.
    pub fn finish(mut self) -> std::io::Result<()> {
        let tail = format!("\n],\"NextPageLink\":null,\"Count\":{}}}\n", self.count);
        self.staged.file().write_all(tail.as_bytes())?;
        self.staged.commit()
    }
}

/// A file of `fetch` or of the saved pages: the API's envelope holding every item, no next page.
/// Read as a stream: the items are checked to be an array, not kept.
pub fn is_complete(path: &Path) -> bool {
    #[derive(Deserialize)]
    struct Envelope {
        #[serde(rename = "Items")]
        _items: Vec<serde::de::IgnoredAny>,
        #[serde(rename = "NextPageLink")]
        next: serde_json::Value,
    }
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let Ok(file) = std::fs::File::open(path) else { return false };
    serde_json::from_reader::<_, Envelope>(std::io::BufReader::new(file)).is_ok_and(|e| e.next.is_null())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_kept_as_received_across_pages() {
        let dir = std::env::temp_dir().join(format!("closednet-part-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.json");
        let a: Vec<&RawValue> = serde_json::from_str(r#"[{"retailPrice":0.10000000000000001,"x":"\u00e9"}]"#).unwrap();
        let b: Vec<&RawValue> = serde_json::from_str(r#"[{"n":2}, {"n":3}]"#).unwrap();
        let mut f = ItemsFile::create(&path, "USD").unwrap();
        f.append(&a).unwrap();
        assert!(!path.exists(), "not under its name before it is complete");
        f.append(&b).unwrap();
        f.finish().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"BillingCurrency\":\"USD\",\"Items\":[\n{\"retailPrice\":0.10000000000000001,\"x\":\"\\u00e9\"},\n\
             {\"n\":2},\n{\"n\":3}\n],\"NextPageLink\":null,\"Count\":3}\n"
        );
        assert!(is_complete(&path));
        std::fs::write(&path, r#"{"Items":[1],"NextPageLink":"https://next"}"#).unwrap();
        assert!(!is_complete(&path));
        std::fs::write(&path, r#"{"Items":[1]}"#).unwrap();
        assert!(!is_complete(&path));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_empty_file_is_an_empty_envelope() {
        let dir = std::env::temp_dir().join(format!("closednet-part-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.json");
        ItemsFile::create(&path, "USD").unwrap().finish().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"BillingCurrency\":\"USD\",\"Items\":[\n],\"NextPageLink\":null,\"Count\":0}\n"
        );
        assert!(is_complete(&path));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
