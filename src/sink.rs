//! Sorted JSONL tables with bounded memory: each document's rows arrive as one block of
//! lines under the document id, in any document order. Blocks are buffered, spilled to
//! sorted run files when the memory budget is exceeded, and k-way merged into the final
//! file (written atomically) at the end. This keeps whole-corpus runs deterministic
//! (sorted by document id) without holding the corpus in memory, and costs one key and
//! one allocation per document rather than per row.

use anyhow::{Context, Result};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use crate::output::AtomicFile;

/// Where a block sorts: by document id, then by arrival (documents that share an id keep
/// the order in which they were read).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct BlockKey {
    doc: String,
    arrival: u64,
}

/// One document's rows: JSON lines, each ending in a newline.
type Block = (BlockKey, Vec<u8>);

/// A sorted stream of blocks: a spilled run (read a key at a time, its block copied
/// straight from the file to the output) or the in-memory buffer.
enum BlockSource {
    Run(RunReader),
    Memory(std::vec::IntoIter<Block>),
}

/// The bytes of the block whose key a source gave last.
enum PendingBlock {
    /// This many bytes, next in the run file.
    InRun(u64),
    InMemory(Vec<u8>),
}

impl BlockSource {
    fn next_key(&mut self) -> Result<Option<(BlockKey, PendingBlock)>> {
        match self {
            BlockSource::Run(run) => Ok(run
                .read_header()?
                .map(|(key, len)| (key, PendingBlock::InRun(len)))),
            BlockSource::Memory(blocks) => Ok(blocks
                .next()
                .map(|(key, block)| (key, PendingBlock::InMemory(block)))),
        }
    }

    fn write_block(&mut self, block: PendingBlock, out: &mut impl Write) -> Result<()> {
        match (self, block) {
            (BlockSource::Run(run), PendingBlock::InRun(len)) => run.copy_block(len, out),
            (_, PendingBlock::InMemory(bytes)) => Ok(out.write_all(&bytes)?),
            (BlockSource::Memory(_), PendingBlock::InRun(_)) => {
                anyhow::bail!("a spill block was taken for an in-memory one")
            }
        }
    }
}

/// One sorted table on its way to `<name>.jsonl`.
pub struct SortedTable {
    final_path: PathBuf,
    spill_dir: PathBuf,
    name: String,
    buffer: Vec<Block>,
    buffered_bytes: usize,
    runs: Vec<PathBuf>,
    arrivals: u64,
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
            arrivals: 0,
            rows: 0,
        }
    }

    /// Adds the block of `rows` lines (each ending in `\n`) of document `doc`. Empty
    /// blocks are dropped.
    pub fn push(&mut self, doc: &str, block: Vec<u8>, rows: usize) {
        self.arrivals += 1;
        if block.is_empty() {
            return;
        }
        // Capacities, not lengths: what the allocator holds.
        self.buffered_bytes += doc.len() + block.capacity() + 64;
        let key = BlockKey {
            doc: doc.to_string(),
            arrival: self.arrivals,
        };
        self.buffer.push((key, block));
        self.rows += rows;
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
        for (key, block) in self.buffer.drain(..) {
            write_bytes(&mut w, key.doc.as_bytes())?;
            w.write_all(&key.arrival.to_le_bytes())?;
            write_bytes(&mut w, &block)?;
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
            for (_, block) in &self.buffer {
                out.write_all(block)?;
            }
        } else {
            let mut sources: Vec<BlockSource> = Vec::new();
            for run in &self.runs {
                let file = fs::File::open(run)
                    .with_context(|| format!("cannot reopen {}", run.display()))?;
                sources.push(BlockSource::Run(RunReader {
                    reader: BufReader::with_capacity(1 << 16, file),
                }));
            }
            sources.push(BlockSource::Memory(
                std::mem::take(&mut self.buffer).into_iter(),
            ));
            // Keys only in the heap; each source's next block waits in `pending`.
            let mut pending: Vec<Option<PendingBlock>> = Vec::with_capacity(sources.len());
            let mut heap = BinaryHeap::new();
            for (i, source) in sources.iter_mut().enumerate() {
                let next = source.next_key()?;
                if let Some((key, block)) = next {
                    heap.push(Reverse((key, i)));
                    pending.push(Some(block));
                } else {
                    pending.push(None);
                }
            }
            while let Some(Reverse((_, i))) = heap.pop() {
                let block = pending[i].take().context("no block waits under a key")?;
                sources[i].write_block(block, &mut out)?;
                if let Some((key, block)) = sources[i].next_key()? {
                    heap.push(Reverse((key, i)));
                    pending[i] = Some(block);
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

fn write_bytes(w: &mut impl Write, bytes: &[u8]) -> Result<()> {
    let len = u32::try_from(bytes.len()).context("block larger than 4 GiB")?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(bytes)?;
    Ok(())
}

struct RunReader {
    reader: BufReader<fs::File>,
}

impl RunReader {
    /// The next length-prefixed byte string, or None at the end of the file.
    fn read_bytes(&mut self) -> Result<Option<Vec<u8>>> {
        let Some(len) = self.read_len()? else {
            return Ok(None);
        };
        let mut buf = vec![0u8; len as usize];
        self.reader.read_exact(&mut buf)?;
        Ok(Some(buf))
    }

    /// The next length prefix, or None at the end of the file.
    fn read_len(&mut self) -> Result<Option<u32>> {
        let mut len = [0u8; 4];
        match self.reader.read_exact(&mut len) {
            Ok(()) => Ok(Some(u32::from_le_bytes(len))),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The next block's key and length; its bytes stay in the reader for
    /// [`RunReader::copy_block`].
    fn read_header(&mut self) -> Result<Option<(BlockKey, u64)>> {
        let Some(doc) = self.read_bytes()? else {
            return Ok(None);
        };
        let doc = String::from_utf8(doc).context("corrupt spill file")?;
        let mut arrival = [0u8; 8];
        self.reader
            .read_exact(&mut arrival)
            .context("truncated spill file")?;
        let len = self.read_len()?.context("truncated spill file")?;
        let key = BlockKey {
            doc,
            arrival: u64::from_le_bytes(arrival),
        };
        Ok(Some((key, u64::from(len))))
    }

    /// Copies the `len` bytes of the block whose header was read last into `out`.
    fn copy_block(&mut self, len: u64, out: &mut impl Write) -> Result<()> {
        let copied = std::io::copy(&mut (&mut self.reader).take(len), out)?;
        anyhow::ensure!(copied == len, "truncated spill file");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_and_unspilled_tables_give_the_same_sorted_file() {
        let dir = tempfile::tempdir().unwrap();
        let blocks: Vec<(String, Vec<u8>)> = (0..500)
            .map(|i| (i * 7919) % 500)
            .map(|k| {
                let block = format!("{{\"n\":{k},\"row\":0}}\n{{\"n\":{k},\"row\":1}}\n");
                (format!("k{k:05}"), block.into_bytes())
            })
            .collect();
        let mut a = SortedTable::new(dir.path(), &dir.path().join("spill"), "a.jsonl");
        let mut b = SortedTable::new(dir.path(), &dir.path().join("spill"), "b.jsonl");
        for (i, (k, block)) in blocks.iter().enumerate() {
            a.push(k, block.clone(), 2);
            b.push(k, block.clone(), 2);
            if i % 37 == 0 {
                b.spill().unwrap();
            }
        }
        assert_eq!(a.finish().unwrap(), 1000);
        assert_eq!(b.finish().unwrap(), 1000);
        let fa = fs::read_to_string(dir.path().join("a.jsonl")).unwrap();
        let fb = fs::read_to_string(dir.path().join("b.jsonl")).unwrap();
        assert_eq!(fa, fb);
        assert!(fa.starts_with("{\"n\":0,\"row\":0}\n{\"n\":0,\"row\":1}\n{\"n\":1,\"row\":0}\n"));
        assert_eq!(fs::read_dir(dir.path().join("spill")).unwrap().count(), 0);
    }

    #[test]
    fn documents_sharing_an_id_keep_their_reading_order_across_spills() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = SortedTable::new(dir.path(), &dir.path().join("spill"), "t.jsonl");
        t.push("d:2", b"second-a\n".to_vec(), 1);
        t.push("d:1", b"first\n".to_vec(), 1);
        t.spill().unwrap();
        t.push("d:2", b"second-b\n".to_vec(), 1);
        t.push("d:3", Vec::new(), 0);
        assert_eq!(t.finish().unwrap(), 3);
        let text = fs::read_to_string(dir.path().join("t.jsonl")).unwrap();
        assert_eq!(text, "first\nsecond-a\nsecond-b\n");
    }
}
