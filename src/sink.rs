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
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

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

    /// The next block with a key in `[lower, upper)`: blocks below are skipped, and the
    /// source ends at the first key at or above `upper`.
    fn next_in_range(
        &mut self,
        lower: Option<&BlockKey>,
        upper: Option<&BlockKey>,
    ) -> Result<Option<(BlockKey, PendingBlock)>> {
        loop {
            let Some((key, block)) = self.next_key()? else {
                return Ok(None);
            };
            if upper.is_some_and(|upper| key >= *upper) {
                return Ok(None);
            }
            if lower.is_some_and(|lower| key < *lower) {
                if let (BlockSource::Run(run), PendingBlock::InRun(len)) = (&mut *self, block) {
                    run.skip_block(len)?;
                }
                continue;
            }
            return Ok(Some((key, block)));
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

/// A run file records where every this many blocks start, so that a merge can begin in
/// the middle of it.
const INDEX_EVERY: usize = 64;

/// A spilled run: its file and a sparse index of (key, offset of the block's header).
struct Run {
    path: PathBuf,
    index: Vec<(BlockKey, u64)>,
}

impl Run {
    /// An offset at or before the first block whose key is not below `lower`.
    fn start_before(&self, lower: &BlockKey) -> u64 {
        match self.index.partition_point(|(key, _)| key < lower) {
            0 => 0,
            after => self.index[after - 1].1,
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
    runs: Vec<Run>,
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
        let mut index = Vec::with_capacity(self.buffer.len() / INDEX_EVERY + 1);
        let mut offset = 0u64;
        for (i, (key, block)) in self.buffer.drain(..).enumerate() {
            let written = write_record(&mut w, &key, &block)?;
            if i % INDEX_EVERY == 0 {
                index.push((key, offset));
            }
            offset += written;
        }
        w.flush()?;
        self.runs.push(Run { path, index });
        self.buffered_bytes = 0;
        Ok(())
    }

    /// Merges everything into the final file; returns the row count. With spilled runs
    /// and more than one thread, the key range is cut into one part per thread (at the
    /// byte quantiles of the in-memory blocks, a sample of the keys since ids are hashes);
    /// the parts are merged side by side, and the later ones appended to the first.
    pub fn finish(mut self) -> Result<usize> {
        let mut out = AtomicFile::create(&self.final_path)?;
        self.buffer.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if self.runs.is_empty() {
            for (_, block) in &self.buffer {
                out.write_all(block)?;
            }
        } else {
            let bounds = self.part_bounds(rayon::current_num_threads());
            let mut rest = std::mem::take(&mut self.buffer);
            let mut in_memory = Vec::with_capacity(bounds.len() + 1);
            for bound in bounds.iter().rev() {
                let at = rest.partition_point(|(key, _)| key < bound);
                in_memory.push(rest.split_off(at));
            }
            in_memory.push(rest);
            in_memory.reverse();
            let part_paths: Vec<PathBuf> = (1..in_memory.len())
                .map(|part| self.spill_dir.join(format!("{}.part{part}", self.name)))
                .collect();
            let runs = &self.runs;
            let mut sinks: Vec<PartSink> = vec![PartSink::Final(&mut out)];
            sinks.extend(part_paths.iter().map(|p| PartSink::Part(p.as_path())));
            in_memory
                .into_par_iter()
                .zip(sinks)
                .enumerate()
                .map(|(part, (memory, sink))| -> Result<()> {
                    let lower = part.checked_sub(1).map(|b| &bounds[b]);
                    let upper = bounds.get(part);
                    match sink {
                        PartSink::Final(out) => merge_range(runs, lower, upper, memory, out),
                        PartSink::Part(path) => {
                            let file = fs::File::create(path)
                                .with_context(|| format!("cannot create {}", path.display()))?;
                            let mut w = BufWriter::with_capacity(1 << 20, file);
                            merge_range(runs, lower, upper, memory, &mut w)?;
                            w.flush()?;
                            Ok(())
                        }
                    }
                })
                .collect::<Result<()>>()?;
            for path in &part_paths {
                out.append_file(path)?;
                let _ = fs::remove_file(path);
            }
            // The run files go when the table is dropped.
        }
        out.commit()?;
        Ok(self.rows)
    }
}

/// Where one part of a parallel merge goes: the final file (the first part) or a part
/// file appended to it afterwards.
enum PartSink<'a> {
    Final(&'a mut AtomicFile),
    Part(&'a Path),
}

impl SortedTable {
    /// The keys that cut the table into `parts` parts of about equal bytes, judged from
    /// the sorted in-memory blocks (none when there are too few to judge by).
    fn part_bounds(&self, parts: usize) -> Vec<BlockKey> {
        if parts < 2 || self.buffer.len() < parts * 4 {
            return Vec::new();
        }
        let total: usize = self.buffer.iter().map(|(_, block)| block.len()).sum();
        let mut bounds = Vec::with_capacity(parts - 1);
        let mut before = 0usize;
        for (key, block) in &self.buffer {
            if bounds.len() + 1 < parts && before * parts >= total * (bounds.len() + 1) {
                bounds.push(key.clone());
            }
            before += block.len();
        }
        bounds
    }
}

/// Merges the blocks with keys in `[lower, upper)` from the runs and the in-memory
/// blocks (already cut to the range) into `out`, in key order.
fn merge_range(
    runs: &[Run],
    lower: Option<&BlockKey>,
    upper: Option<&BlockKey>,
    memory: Vec<Block>,
    out: &mut impl Write,
) -> Result<()> {
    let mut sources: Vec<BlockSource> = Vec::with_capacity(runs.len() + 1);
    for run in runs {
        let mut file = fs::File::open(&run.path)
            .with_context(|| format!("cannot reopen {}", run.path.display()))?;
        if let Some(lower) = lower {
            file.seek(SeekFrom::Start(run.start_before(lower)))?;
        }
        sources.push(BlockSource::Run(RunReader {
            reader: BufReader::with_capacity(1 << 16, file),
        }));
    }
    sources.push(BlockSource::Memory(memory.into_iter()));
    // Keys only in the heap; each source's next block waits in `pending`.
    let mut pending: Vec<Option<PendingBlock>> = Vec::with_capacity(sources.len());
    let mut heap = BinaryHeap::new();
    for (i, source) in sources.iter_mut().enumerate() {
        if let Some((key, block)) = source.next_in_range(lower, upper)? {
            heap.push(Reverse((key, i)));
            pending.push(Some(block));
        } else {
            pending.push(None);
        }
    }
    while let Some(Reverse((_, i))) = heap.pop() {
        let block = pending[i].take().context("no block waits under a key")?;
        sources[i].write_block(block, out)?;
        if let Some((key, block)) = sources[i].next_in_range(lower, upper)? {
            heap.push(Reverse((key, i)));
            pending[i] = Some(block);
        }
    }
    Ok(())
}

impl Drop for SortedTable {
    fn drop(&mut self) {
        for run in &self.runs {
            let _ = fs::remove_file(&run.path);
        }
    }
}

/// Writes one block of a run file (its key, then its bytes, as [`RunReader`] reads them);
/// returns the bytes written.
fn write_record(w: &mut impl Write, key: &BlockKey, block: &[u8]) -> Result<u64> {
    let doc = write_bytes(w, key.doc.as_bytes())?;
    w.write_all(&key.arrival.to_le_bytes())?;
    let bytes = write_bytes(w, block)?;
    Ok(doc + 8 + bytes)
}

/// Writes a length-prefixed byte string; returns the bytes written.
fn write_bytes(w: &mut impl Write, bytes: &[u8]) -> Result<u64> {
    let len = u32::try_from(bytes.len()).context("block larger than 4 GiB")?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(bytes)?;
    Ok(4 + u64::from(len))
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

    /// Skips the `len` bytes of the block whose header was read last.
    fn skip_block(&mut self, len: u64) -> Result<()> {
        let len = i64::try_from(len).context("block larger than the file")?;
        self.reader.seek_relative(len)?;
        Ok(())
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
    fn a_merge_cut_into_parts_gives_the_same_file_as_one_merge() {
        let dir = tempfile::tempdir().unwrap();
        // Keys in scrambled order, blocks of varied sizes, a few ids shared by two
        // documents, and runs spilled at uneven points (the last buffer is the sample the
        // cut points come from).
        let blocks: Vec<(String, Vec<u8>)> = (0..3000u64)
            .map(|i| (i * 7919) % 2800)
            .map(|k| {
                let row = format!(
                    "{{\"k\":{k},\"pad\":\"{}\"}}\n",
                    "x".repeat((k % 97) as usize)
                );
                (
                    format!("d:{:016x}", k.wrapping_mul(0x9e37_79b9_7f4a_7c15)),
                    row.repeat(1 + (k % 3) as usize).into_bytes(),
                )
            })
            .collect();
        let finish_with_threads = |name: &str, threads: usize, spill_every: usize| {
            let mut t = SortedTable::new(dir.path(), &dir.path().join("spill"), name);
            for (i, (k, block)) in blocks.iter().enumerate() {
                t.push(k, block.clone(), 1);
                if spill_every > 0 && i % spill_every == spill_every - 1 && i < 2600 {
                    t.spill().unwrap();
                }
            }
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            assert_eq!(pool.install(|| t.finish()).unwrap(), 3000);
            fs::read(dir.path().join(name)).unwrap()
        };
        let whole = finish_with_threads("whole.jsonl", 1, 0);
        for threads in [1, 2, 3, 7] {
            for spill_every in [211, 1000] {
                let name = format!("t{threads}-{spill_every}.jsonl");
                assert_eq!(
                    finish_with_threads(&name, threads, spill_every),
                    whole,
                    "{name}"
                );
            }
        }
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
