//! The terminal reports' tables: a `+---+` frame, a `=` rule under the header, each cell padded by
//! one space on either side and the columns one space apart, every column as wide as its widest
//! line.
//!
//! The reports need this one style and never wrap a cell, so it is a page of our own rather than a
//! table crate: comfy-table did the same layout through a general engine (styles, constraints,
//! terminal width), and replacing it took 0.4 M of the 4.96 M instructions of `closednet estimate
//! examples/article.yaml` (callgrind); the tables now cost 0.04 M.
//!
//! The output is comfy-table's `ASCII_BORDERS_ONLY_CONDENSED` with arrangement disabled, byte for
//! byte: the golden files were written with it. Widths are display columns (a CJK character is
//! two), as a terminal shows them.

use std::fmt;
use std::ops::Range;
use unicode_width::UnicodeWidthStr;

/// A table: a header row, body rows, and which columns are right-aligned.
pub struct Grid {
    /// Row 0 is the header. A row may have fewer cells than the widest row; the rest are blank.
    rows: Vec<Vec<String>>,
    right: Vec<bool>,
}

impl Grid {
    pub fn new(header: &[&str]) -> Self {
        Grid { rows: vec![header.iter().map(|h| h.to_string()).collect()], right: vec![false; header.len()] }
    }

    /// Right-aligns these columns (numbers), header included. Columns past the header stay left.
    pub fn right(mut self, cols: Range<usize>) -> Self {
        for c in cols {
            if let Some(r) = self.right.get_mut(c) {
                *r = true;
            }
        }
        self
    }

    /// Left-aligns a column that [`Grid::right`] right-aligned.
    pub fn left(&mut self, col: usize) {
        if let Some(r) = self.right.get_mut(col) {
            *r = false;
        }
    }

    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Each column's width: its widest line, and at least one.
    fn widths(&self) -> Vec<usize> {
        let cols = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![1; cols];
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = cell.split('\n').map(width).fold(*w, usize::max);
            }
        }
        widths
    }

    /// One row, as many lines as its tallest cell; a cell with fewer lines is blank below them.
    fn write_row(&self, f: &mut fmt::Formatter<'_>, row: &[String], widths: &[usize]) -> fmt::Result {
        let height = row.iter().map(|c| c.split('\n').count()).max().unwrap_or(1).max(1);
        for k in 0..height {
            f.write_str("|")?;
            for (c, &w) in widths.iter().enumerate() {
                if c > 0 {
                    f.write_str(" ")?;
                }
                let line =
                    row.get(c).and_then(|cell| if height == 1 { Some(cell.as_str()) } else { cell.split('\n').nth(k) });
                let Some(line) = line else {
                    spaces(f, w + 2)?;
                    continue;
                };
                let gap = w.saturating_sub(width(line));
                let (before, after) = if self.right.get(c) == Some(&true) { (gap, 0) } else { (0, gap) };
                spaces(f, 1 + before)?;
                f.write_str(line)?;
                spaces(f, after + 1)?;
            }
            f.write_str("|\n")?;
        }
        Ok(())
    }
}

/// The table's lines joined by newlines, with no newline after the last.
impl fmt::Display for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let widths = self.widths();
        rule(f, &widths, '-')?;
        f.write_str("\n")?;
        for (i, row) in self.rows.iter().enumerate() {
            self.write_row(f, row, &widths)?;
            if i == 0 {
                rule(f, &widths, '=')?;
                f.write_str("\n")?;
            }
        }
        rule(f, &widths, '-')
    }
}

/// Display columns: one a byte for printable ASCII (nearly every cell), else per character.
fn width(s: &str) -> usize {
    if s.bytes().all(|b| (b' '..=b'~').contains(&b)) { s.len() } else { s.width() }
}

/// A frame line: `+`, the fill across every column and the gaps between them, `+`.
fn rule(f: &mut fmt::Formatter<'_>, widths: &[usize], fill: char) -> fmt::Result {
    let inner = widths.iter().map(|w| w + 2).sum::<usize>() + widths.len().saturating_sub(1);
    let mut line = String::with_capacity(inner + 2);
    line.push('+');
    line.extend(std::iter::repeat_n(fill, inner));
    line.push('+');
    f.write_str(&line)
}

/// `n` blanks, written from a run of them: the formatter's own padding (`{:n$}`) writes its fill
/// one character at a time, which was 120,000 instructions of the article's report.
fn spaces(f: &mut fmt::Formatter<'_>, mut n: usize) -> fmt::Result {
    const BLANKS: &str = "                                                                ";
    while n > 0 {
        let k = n.min(BLANKS.len());
        f.write_str(&BLANKS[..k])?;
        n -= k;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Grid;

    #[test]
    fn pads_each_cell_by_one_and_separates_columns_by_one() {
        let mut g = Grid::new(&["Name", "USD"]).right(1..2);
        g.row(["a", "1.00"]);
        g.row(["longer", "12,345.67"]);
        let want = "\
+--------------------+
| Name           USD |
+====================+
| a             1.00 |
| longer   12,345.67 |
+--------------------+";
        assert_eq!(g.to_string(), want);
    }

    #[test]
    fn an_empty_header_cell_and_the_cells_a_short_row_lacks_are_blank() {
        let mut g = Grid::new(&["", "x"]);
        g.row(["ab"]);
        g.row(["c", "d", "extra"]);
        let want = "\
+----------------+
|      x         |
+================+
| ab             |
| c    d   extra |
+----------------+";
        assert_eq!(g.to_string(), want);
    }

    #[test]
    fn wide_characters_count_two_columns_and_newlines_make_taller_rows() {
        let mut g = Grid::new(&["名前", "n"]).right(1..2);
        g.row(["ab\nc", "1"]);
        let want = "\
+----------+
| 名前   n |
+==========+
| ab     1 |
| c        |
+----------+";
        assert_eq!(g.to_string(), want);
    }

    #[test]
    fn left_undoes_right_for_one_column() {
        let mut g = Grid::new(&["a", "b", "c"]).right(0..3);
        g.left(2);
        g.row(["xxx", "yyy", "zzz"]);
        assert_eq!(g.to_string().lines().nth(1), Some("|   a     b   c   |"));
    }

    /// Padding longer than the run of blanks it is written from (64) is written in pieces.
    #[test]
    fn a_gap_wider_than_the_blank_run_is_padded_in_full() {
        let mut g = Grid::new(&["h"]).right(0..1);
        g.row(["x".repeat(150)]);
        let header = g.to_string().lines().nth(1).map(str::to_string);
        assert_eq!(header, Some(format!("| {}h |", " ".repeat(149))));
    }
}
