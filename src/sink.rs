//! Sorted JSONL tables with bounded memory: rows arrive in any order with a sort key,
//! are buffered, spilled to sorted run files when the memory budget is exceeded, and
//! k-way merged into the final file (written atomically) at the end. This keeps whole-
//! corpus runs deterministic (sorted by document id) without holding the corpus in memory.

use anyhow::{Context, Result};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use crate::output::AtomicFile;

/// A sorted stream of (key, line) rows: a spilled run or the in-memory buffer.
type RowSource = Box<dyn Iterator<Item = Result<(String, String)>>>;

/// One sorted table on its way to `<name>.jsonl`.
pub struct SortedTable {
    final_path: PathBuf,
    spill_dir: PathBuf,
    name: String,
    buffer: Vec<(String, String)>,
    buffered_bytes: usize,
    runs: Vec<PathBuf>,
    rows: usize,
}

impl SortedTable {
    pub fn new(out_dir: &Path, spill_dir: &Path, file_name: &str) -> Self {
        SortedTable {
            final_path: out_dir.join(file_name),
            spill_dir: spill_dir.to_path_buf(),
            name: file_name.to_string(),
            buffer: Vec::new(),
            buffered_bytes: 0,
            runs: Vec::new(),
            rows: 0,
        }
    }

    /// Adds a row (one JSON line, no newline) under a sort key; keys must be unique.
    pub fn push(&mut self, key: String, line: String) {
        // Capacities, not lengths: a serialised row can hold up to twice its length.
        self.buffered_bytes += key.capacity() + line.capacity() + 48;
        self.buffer.push((key, line));
        self.rows += 1;
    }

    /// Bytes held in memory.
    pub fn buffered_bytes(&self) -> usize {
        self.buffered_bytes
    }

    /// Sorts the buffer and writes it as a run file.
    pub fn spill(&mut self) -> Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        fs::create_dir_all(&self.spill_dir)
            .with_context(|| format!("cannot create {}", self.spill_dir.display()))?;
        self.buffer.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let path = self
            .spill_dir
            .join(format!("{}.{}.run", self.name, self.runs.len()));
        let file =
            fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        for (key, line) in self.buffer.drain(..) {
            write_record(&mut w, &key)?;
            write_record(&mut w, &line)?;
        }
        w.flush()?;
        self.runs.push(path);
        self.buffered_bytes = 0;
        Ok(())
    }

    /// Merges everything into the final file; returns the row count.
    pub fn finish(mut self) -> Result<usize> {
        let mut out = AtomicFile::create(&self.final_path)?;
        self.buffer.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if self.runs.is_empty() {
            for (_, line) in &self.buffer {
                out.write_all(line.as_bytes())?;
                out.write_all(b"\n")?;
            }
        } else {
            let mut sources: Vec<RowSource> = Vec::new();
            for run in &self.runs {
                let file = fs::File::open(run)
                    .with_context(|| format!("cannot reopen {}", run.display()))?;
                sources.push(Box::new(RunReader {
                    reader: BufReader::with_capacity(1 << 16, file),
                }));
            }
            sources.push(Box::new(
                std::mem::take(&mut self.buffer).into_iter().map(Ok),
            ));
            let mut heap = BinaryHeap::new();
            for (i, src) in sources.iter_mut().enumerate() {
                if let Some(item) = src.next() {
                    let (k, l) = item?;
                    heap.push(Reverse((k, i, l)));
                }
            }
            while let Some(Reverse((_, i, line))) = heap.pop() {
                out.write_all(line.as_bytes())?;
                out.write_all(b"\n")?;
                if let Some(item) = sources[i].next() {
                    let (k, l) = item?;
                    heap.push(Reverse((k, i, l)));
                }
            }
            for run in &self.runs {
                let _ = fs::remove_file(run);
            }
        }
        out.commit()?;
        Ok(self.rows)
    }
}

impl Drop for SortedTable {
    fn drop(&mut self) {
        for run in &self.runs {
            let _ = fs::remove_file(run);
        }
    }
}

fn write_record(w: &mut impl Write, s: &str) -> Result<()> {
    let len = u32::try_from(s.len()).context("row larger than 4 GiB")?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(s.as_bytes())?;
    Ok(())
}

struct RunReader {
    reader: BufReader<fs::File>,
}

impl RunReader {
    fn read_string(&mut self) -> Result<Option<String>> {
        let mut len = [0u8; 4];
        match self.reader.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e.into()),
        }
        let mut buf = vec![0u8; u32::from_le_bytes(len) as usize];
        self.reader.read_exact(&mut buf)?;
        Ok(Some(String::from_utf8(buf).context("corrupt spill file")?))
    }
}

impl Iterator for RunReader {
    type Item = Result<(String, String)>;
    fn next(&mut self) -> Option<Self::Item> {
        match (self.read_string(), self.read_string()) {
            (Ok(Some(k)), Ok(Some(l))) => Some(Ok((k, l))),
            (Ok(None), _) => None,
            (Err(e), _) | (_, Err(e)) => Some(Err(e)),
            (Ok(Some(_)), Ok(None)) => Some(Err(anyhow::anyhow!("truncated spill file"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_and_unspilled_tables_give_the_same_sorted_file() {
        let dir = tempfile::tempdir().unwrap();
        let rows: Vec<(String, String)> = (0..500)
            .map(|i| (i * 7919) % 500)
            .map(|k| (format!("k{k:05}"), format!("{{\"n\":{k}}}")))
            .collect();
        let mut a = SortedTable::new(dir.path(), &dir.path().join("spill"), "a.jsonl");
        let mut b = SortedTable::new(dir.path(), &dir.path().join("spill"), "b.jsonl");
        for (i, (k, l)) in rows.iter().enumerate() {
            a.push(k.clone(), l.clone());
            b.push(k.clone(), l.clone());
            if i % 37 == 0 {
                b.spill().unwrap();
            }
        }
        assert_eq!(a.finish().unwrap(), 500);
        assert_eq!(b.finish().unwrap(), 500);
        let fa = fs::read_to_string(dir.path().join("a.jsonl")).unwrap();
        let fb = fs::read_to_string(dir.path().join("b.jsonl")).unwrap();
        assert_eq!(fa, fb);
        assert!(fa.starts_with("{\"n\":0}\n{\"n\":1}\n"));
        assert_eq!(fs::read_dir(dir.path().join("spill")).unwrap().count(), 0);
    }
}
