//! The commands: `run` (the whole pipeline into an output folder) and the stage
//! inspectors `ingest` and `segment`.

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use stancegraph_graph::{PartialGraph, ViewOptions};
use stancegraph_ingest::{IngestOptions, InputSource};
use stancegraph_model::{codec, Document, ErrorRecord, Processed, OUTPUT_FORMAT};
use stancegraph_relate::Relator;

use crate::cache::{Cache, PIPELINE_HASH};
use crate::cli::{Cli, Command, IngestArgs, InspectArgs, InspectFormat, MentionsArgs, RunArgs};
use crate::output;
use crate::pipeline::{Pipeline, StageClock};
use crate::rows;
use crate::sink::SortedTable;
use std::sync::atomic::{AtomicBool, Ordering};

/// Runs the chosen command and returns the process exit code.
pub fn dispatch(cli: &Cli) -> Result<u8> {
    match &cli.command {
        None => {
            // No command: `run` with its defaults (sample corpus into out/).
            let defaults = <Cli as clap::Parser>::try_parse_from(["stancegraph", "run"])?;
            match defaults.command {
                Some(Command::Run(args)) => run(&args, cli.quiet),
                _ => Ok(2),
            }
        }
        Some(Command::Run(args)) => run(args, cli.quiet),
        Some(Command::Ingest(args)) => inspect_ingest(args),
        Some(Command::Segment(args)) => inspect_segment(args),
        Some(Command::Mentions(args)) => inspect_mentions(args, cli.quiet),
        Some(Command::Export(args)) => crate::graph_cmd::export(args),
        Some(Command::Merge(args)) => crate::graph_cmd::merge(args),
        Some(Command::Kb(args)) => crate::kb_cmd::kb(args, cli.quiet),
    }
}

/// The inputs to read: as given, or the sample corpus.
fn input_paths(args: &IngestArgs) -> Vec<PathBuf> {
    if !args.inputs.is_empty() {
        return args.inputs.clone();
    }
    let local = PathBuf::from("data/corpus");
    if local.is_dir() {
        vec![local]
    } else {
        vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpus")]
    }
}

fn ingest_options(args: &IngestArgs) -> IngestOptions {
    IngestOptions {
        text_field: args.text_field.clone(),
        title_field: args.title_field.clone(),
        date_field: args.date_field.clone(),
        max_document_bytes: args.max_document_bytes,
        ..IngestOptions::default()
    }
}

/// Reads a batch of inputs in parallel, keeping input order.
fn read_batch(
    batch: &[InputSource],
    options: &IngestOptions,
    errors: &mut Vec<ErrorRecord>,
) -> Vec<Document> {
    let parts: Vec<_> = batch
        .par_iter()
        .map(|source| stancegraph_ingest::read_input(source, options))
        .collect();
    let mut documents = Vec::new();
    for part in parts {
        documents.extend(part.documents);
        errors.extend(part.errors);
    }
    documents
}

/// A batch of documents read and marked, and the seconds that took.
struct ReadBatch {
    documents: Vec<Document>,
    seconds: f64,
}

/// Reads a batch (in parallel) and marks its duplicates against everything read before.
fn read_and_mark(
    batch: &[InputSource],
    options: &IngestOptions,
    duplicates: &mut stancegraph_ingest::DuplicateTracker,
    errors: &mut Vec<ErrorRecord>,
) -> ReadBatch {
    let started = Instant::now();
    let mut documents = read_batch(batch, options, errors);
    duplicates.mark(&mut documents);
    ReadBatch {
        documents,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// Reads every input (for the inspection commands) and marks duplicates.
fn ingest_all(args: &IngestArgs) -> (Vec<Document>, Vec<ErrorRecord>, usize) {
    let (inputs, mut errors) = stancegraph_ingest::list_inputs(&input_paths(args));
    let mut documents = read_batch(&inputs, &ingest_options(args), &mut errors);
    stancegraph_ingest::mark_duplicates(&mut documents);
    (documents, errors, inputs.len())
}

#[derive(Serialize)]
struct DocumentRow<'a> {
    id: &'a str,
    source: &'a str,
    title: Option<&'a str>,
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    bytes: usize,
    sentences: usize,
    duplicate_of: Option<&'a str>,
}

fn document_row_of(p: &Processed, with_text: bool) -> DocumentRow<'_> {
    let d = &p.document;
    DocumentRow {
        id: &d.id,
        source: &d.source,
        title: d.title.as_deref(),
        date: d.date.as_deref(),
        text: with_text.then_some(d.text.as_str()),
        bytes: d.text.len(),
        sentences: p.segmented.sentences.len(),
        duplicate_of: d.duplicate_of.as_deref(),
    }
}

#[derive(Serialize)]
struct StageReport {
    seconds: f64,
    documents: u64,
    megabytes: f64,
    documents_per_second: f64,
    mb_per_second: f64,
}

impl StageReport {
    fn new(seconds: f64, documents: u64, bytes: u64) -> Self {
        let mb = bytes as f64 / 1e6;
        let rate = |x: f64| if seconds > 0.0 { x / seconds } else { 0.0 };
        StageReport {
            seconds: round3(seconds),
            documents,
            megabytes: round3(mb),
            documents_per_second: round3(rate(documents as f64)),
            mb_per_second: round3(rate(mb)),
        }
    }
    fn from_clock(clock: &StageClock) -> Self {
        let (s, d, b) = clock.totals();
        StageReport::new(s, d, b)
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[derive(Serialize)]
struct RunReport {
    tool: &'static str,
    version: &'static str,
    format: u32,
    pipeline: &'static str,
    threads: usize,
    inputs: usize,
    documents: usize,
    duplicates: usize,
    errors: usize,
    cache_hits: usize,
    cache_misses: usize,
    outputs: std::collections::BTreeMap<&'static str, usize>,
    wall_seconds: f64,
    /// Peak resident memory of the process (Linux), in MiB.
    peak_rss_mb: Option<f64>,
    /// Peak resident memory before the tables were written and the graph was built, in
    /// MiB: what the streaming part of the run needed.
    peak_rss_mb_before_graph: Option<f64>,
    /// Documents processed only in part because a limit was hit.
    warnings: usize,
    /// The first of them (by source), with what was hit.
    warning_examples: Vec<Warning>,
    stages: std::collections::BTreeMap<&'static str, StageReport>,
}

/// A document processed only in part because a limit was hit.
#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct Warning {
    source: String,
    warning: String,
}

/// Input bytes read per batch (besides the file-count limit `--batch-inputs`).
const BATCH_BYTES: u64 = 64 * 1024 * 1024;

/// Splits the inputs into batches of at most `max_inputs` files and about `max_bytes`
/// bytes (a larger file makes a batch of its own).
fn input_batches(inputs: &[InputSource], max_inputs: usize, max_bytes: u64) -> Vec<&[InputSource]> {
    let mut batches = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, input) in inputs.iter().enumerate() {
        let size = match input {
            InputSource::File(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            InputSource::Stdin => 0,
        };
        if i > start && (i - start >= max_inputs || bytes + size > max_bytes) {
            batches.push(&inputs[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < inputs.len() {
        batches.push(&inputs[start..]);
    }
    batches
}

/// Documents processed in parallel at a time: bounds the memory held by segmentations
/// and links in flight.
const DOCUMENTS_PER_CHUNK: usize = 2048;

/// Rows of one processed document for each table, keyed for the sorted sinks.
struct Tables {
    documents: SortedTable,
    mentions: SortedTable,
    statements: SortedTable,
    events: SortedTable,
}

impl Tables {
    fn new(out: &Path, spill: &Path) -> Self {
        Tables {
            documents: SortedTable::new(out, spill, "documents.jsonl"),
            mentions: SortedTable::new(out, spill, "mentions.jsonl"),
            statements: SortedTable::new(out, spill, "statements.jsonl"),
            events: SortedTable::new(out, spill, "events.jsonl"),
        }
    }

    fn all(&mut self) -> [&mut SortedTable; 4] {
        [
            &mut self.documents,
            &mut self.mentions,
            &mut self.statements,
            &mut self.events,
        ]
    }

    fn add(&mut self, out: DocOutput) {
        let doc = out.id.as_str();
        self.mentions
            .push(doc, out.mentions.lines, out.mentions.rows);
        self.statements
            .push(doc, out.statements.lines, out.statements.rows);
        self.events.push(doc, out.events.lines, out.events.rows);
        self.documents.push(doc, out.document_row.lines, 1);
    }

    fn buffered_bytes(&mut self) -> usize {
        self.all().iter().map(|t| t.buffered_bytes()).sum()
    }

    fn spill(&mut self) -> Result<()> {
        for t in self.all() {
            t.spill()?;
        }
        Ok(())
    }
}

/// One document's rows of one table, serialised as JSON lines into one buffer.
#[derive(Default)]
struct RowBlock {
    lines: Vec<u8>,
    rows: usize,
}

impl RowBlock {
    /// The rows written one after the other into a buffer sized once from the hints.
    fn of<T>(
        doc: &rows::DocMember,
        rows: &[&T],
        len_hint: fn(&T) -> usize,
        write: fn(&mut Vec<u8>, &rows::DocMember, &T),
    ) -> Self {
        let mut lines = Vec::with_capacity(rows.iter().map(|r| len_hint(r)).sum());
        for row in rows {
            write(&mut lines, doc, row);
        }
        RowBlock {
            lines,
            rows: rows.len(),
        }
    }
}

/// What one processed document contributes to the output, serialised on the worker
/// thread; the segmentation and the text are dropped here, so memory holds only rows.
struct DocOutput {
    id: String,
    document_row: RowBlock,
    mentions: RowBlock,
    statements: RowBlock,
    events: RowBlock,
    duplicate: bool,
    source: String,
    warnings: Vec<String>,
}

impl DocOutput {
    /// The document's rows; its statements and events go into `graph` and its entities
    /// into `entities` (the chunk's, on this worker thread).
    fn new(
        p: Processed,
        with_text: bool,
        graph: &mut PartialGraph,
        entities: &mut EntityTable,
    ) -> serde_json::Result<Self> {
        let mut document_row = RowBlock {
            lines: serde_json::to_vec(&document_row_of(&p, with_text))?,
            rows: 1,
        };
        document_row.lines.push(b'\n');
        let mut mentions: Vec<_> = p.linked.mentions.iter().collect();
        mentions.sort_by_key(|m| (m.start, m.end));
        let mut statements: Vec<_> = p.relations.statements.iter().collect();
        statements.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
        let mut events: Vec<_> = p.relations.events.iter().collect();
        events.sort_by(|a, b| (a.start, &a.event_type).cmp(&(b.start, &b.event_type)));
        let doc = rows::DocMember::new(&p.document.id);
        graph.add_relations(&p.relations);
        let output = DocOutput {
            document_row,
            mentions: RowBlock::of(&doc, &mentions, rows::mention_len_hint, rows::write_mention),
            statements: RowBlock::of(
                &doc,
                &statements,
                rows::statement_len_hint,
                rows::write_statement,
            ),
            events: RowBlock::of(&doc, &events, rows::event_len_hint, rows::write_event),
            duplicate: p.document.duplicate_of.is_some(),
            source: p.document.source,
            warnings: p.warnings,
            id: p.document.id,
        };
        entities.add(p.linked.entities);
        Ok(output)
    }
}

/// One document's outcome in a chunk, and whether it came from the cache.
type ChunkResult = (Result<DocOutput, ErrorRecord>, bool);

/// Processes one document on a worker (or takes it from the cache) and turns it into
/// output rows, adding its statements, events and entities to the chunk's.
fn process_one(
    document: Document,
    pipeline: &Pipeline,
    cache: Option<&Cache>,
    args: &RunArgs,
    graph: &mut PartialGraph,
    entities: &mut EntityTable,
) -> ChunkResult {
    let source = document.source.clone();
    let (processed, hit) = match cache.and_then(|c| c.get(&document)) {
        Some(p) => (Ok(p), true),
        None => {
            let r = pipeline.process(document);
            if let (Some(c), Ok(p)) = (cache, &r) {
                c.put(p);
            }
            (r, false)
        }
    };
    let output = processed.and_then(|p| {
        if let Some(dir) = &args.save_stages {
            save_stage(dir, &p)?;
        }
        DocOutput::new(p, !args.no_text, graph, entities)
            .map_err(|e| ErrorRecord::new(source, "output", e.to_string()))
    });
    (output, hit)
}

/// A processed chunk on its way to the collector: each document's outcome in reading
/// order, and the chunk's statements, events and entities as one graph and one table.
/// Built on the worker threads: each worker folds its documents into a chunk of its own,
/// and neighbouring chunks are joined in order (both merges are associative and
/// commutative, so the split does not change the result).
#[derive(Default)]
struct ProcessedChunk {
    results: Vec<ChunkResult>,
    graph: PartialGraph,
    entities: EntityTable,
}

impl ProcessedChunk {
    /// Adds the next document.
    fn with(
        mut self,
        document: Document,
        pipeline: &Pipeline,
        cache: Option<&Cache>,
        args: &RunArgs,
    ) -> Self {
        let result = process_one(
            document,
            pipeline,
            cache,
            args,
            &mut self.graph,
            &mut self.entities,
        );
        self.results.push(result);
        self
    }

    /// This chunk followed by `next`.
    fn then(mut self, mut next: ProcessedChunk) -> Self {
        if self.results.is_empty() {
            std::mem::swap(&mut self.results, &mut next.results);
        } else {
            self.results.append(&mut next.results);
        }
        ProcessedChunk {
            results: self.results,
            graph: self.graph.merge(next.graph),
            entities: self.entities.merge(next.entities),
        }
    }
}

/// Everything merged from the processed chunks, in chunk order: the sorted tables, the
/// entity table, the graph, warnings and errors, and the counts for run.json.
struct Collector {
    tables: Tables,
    entities: EntityTable,
    partial_graph: PartialGraph,
    warnings: Vec<Warning>,
    errors: Vec<ErrorRecord>,
    collect_seconds: f64,
    duplicate_count: usize,
    document_count: usize,
    cache_hits: usize,
    cache_misses: usize,
}

impl Collector {
    fn new(out: &Path, spill_dir: &Path) -> Self {
        Collector {
            tables: Tables::new(out, spill_dir),
            entities: EntityTable::default(),
            partial_graph: PartialGraph::new(),
            warnings: Vec::new(),
            errors: Vec::new(),
            collect_seconds: 0.0,
            duplicate_count: 0,
            document_count: 0,
            cache_hits: 0,
            cache_misses: 0,
        }
    }

    /// Merges one processed chunk; spills the tables past `sort_memory` bytes.
    fn add_chunk(&mut self, chunk: ProcessedChunk, sort_memory: usize) -> Result<()> {
        let started = Instant::now();
        let ProcessedChunk {
            results,
            graph: chunk_graph,
            entities: chunk_entities,
        } = chunk;
        self.entities = std::mem::take(&mut self.entities).merge(chunk_entities);
        self.partial_graph = std::mem::take(&mut self.partial_graph).merge(chunk_graph);
        for (r, hit) in results {
            if hit {
                self.cache_hits += 1;
            } else {
                self.cache_misses += 1;
            }
            match r {
                Ok(mut out) => {
                    self.document_count += 1;
                    self.duplicate_count += usize::from(out.duplicate);
                    for w in std::mem::take(&mut out.warnings) {
                        self.warnings.push(Warning {
                            source: out.source.clone(),
                            warning: w,
                        });
                    }
                    self.tables.add(out);
                }
                Err(e) => self.errors.push(e),
            }
        }
        if self.tables.buffered_bytes() > sort_memory {
            self.tables.spill()?;
        }
        self.collect_seconds += started.elapsed().as_secs_f64();
        Ok(())
    }
}

fn run(args: &RunArgs, quiet: bool) -> Result<u8> {
    let started = Instant::now();
    output::prepare_output_dir(&args.out, args.force)?;
    let (kb, kb_fingerprint) = crate::kb_cmd::load(&args.kb, quiet)?;
    let relator = Relator::embedded()
        .context("loading the lexicons")?
        .with_max_sentence_bytes(args.max_sentence_bytes);
    let pipeline = Pipeline::new(Arc::new(kb), relator, args.max_mentions);
    let cache = match &args.cache {
        Some(dir) => Some(
            Cache::open(dir, &kb_fingerprint)
                .with_context(|| format!("cannot open cache {}", dir.display()))?,
        ),
        None => None,
    };
    let interrupted = interrupt_flag();

    let (inputs, mut errors) = stancegraph_ingest::list_inputs(&input_paths(&args.ingest));
    let options = ingest_options(&args.ingest);
    let spill_dir = args.out.join(format!(".spill-{}", std::process::id()));
    let mut duplicates = stancegraph_ingest::DuplicateTracker::default();
    let mut ingest_seconds = 0.0;
    let (mut ingested, mut ingest_bytes) = (0u64, 0u64);
    let progress = progress_bar(inputs.len() as u64, quiet);
    let sort_memory = args.sort_memory_mb.saturating_mul(1 << 20);

    // The main thread reads and processes chunks in parallel; with more than one thread, a
    // collector thread merges each finished chunk (rows, entities, graph) while the next
    // one is processed, in chunk order, so that the output does not depend on timing. With
    // one thread the chunks are merged in turn on the main thread (one core, as asked).
    let threaded = rayon::current_num_threads() > 1;
    let (chunk_sender, chunk_receiver) = std::sync::mpsc::sync_channel::<ProcessedChunk>(1);
    let collected = std::thread::scope(|scope| -> Result<Collector> {
        let mut inline = (!threaded).then(|| Collector::new(&args.out, &spill_dir));
        let collector = threaded.then(|| {
            scope.spawn(|| -> Result<Collector> {
                let mut collector = Collector::new(&args.out, &spill_dir);
                for results in chunk_receiver {
                    collector.add_chunk(results, sort_memory)?;
                }
                Ok(collector)
            })
        });
        // Each batch's chunks go through the workers in turn; with more than one thread the
        // next batch is read (and its duplicates marked) at the same time, since reading
        // alone would leave a worker idle. Batches are still processed in input order.
        let process_batch = |documents: Vec<Document>, inline: &mut Option<Collector>| {
            let mut documents = documents.into_iter();
            loop {
                let chunk: Vec<Document> = documents.by_ref().take(DOCUMENTS_PER_CHUNK).collect();
                if chunk.is_empty() {
                    return Ok(true);
                }
                let add = |c: ProcessedChunk, d| c.with(d, &pipeline, cache.as_ref(), args);
                // With one thread the chunk is processed right here, so that the rows are
                // allocated and freed on the same thread.
                let chunk = if threaded {
                    chunk
                        .into_par_iter()
                        .fold(ProcessedChunk::default, add)
                        .reduce(ProcessedChunk::default, ProcessedChunk::then)
                } else {
                    chunk.into_iter().fold(ProcessedChunk::default(), add)
                };
                if let Some(collector) = inline.as_mut() {
                    collector.add_chunk(chunk, sort_memory)?;
                } else if chunk_sender.send(chunk).is_err() {
                    // The collector stopped on an error: it is reported by join below.
                    return Ok(false);
                }
            }
        };
        let batches = input_batches(&inputs, args.batch_inputs.max(1), BATCH_BYTES);
        let mut pending = batches
            .first()
            .map(|batch| read_and_mark(batch, &options, &mut duplicates, &mut errors));
        for (index, batch) in batches.iter().enumerate() {
            let Some(current) = pending.take() else {
                break;
            };
            if interrupted.load(Ordering::SeqCst) {
                break;
            }
            ingest_seconds += current.seconds;
            ingested += current.documents.len() as u64;
            ingest_bytes += current
                .documents
                .iter()
                .map(|d| d.text.len() as u64)
                .sum::<u64>();
            let next = batches.get(index + 1);
            let (next, processed): (_, Result<bool>) = rayon::join(
                || next.map(|batch| read_and_mark(batch, &options, &mut duplicates, &mut errors)),
                || process_batch(current.documents, &mut inline),
            );
            pending = next;
            if !processed? {
                break;
            }
            progress.inc(batch.len() as u64);
        }
        drop(chunk_sender);
        match (collector, inline) {
            (Some(thread), _) => thread
                .join()
                .map_err(|_| anyhow::anyhow!("the output collector thread panicked"))?,
            (None, Some(collector)) => Ok(collector),
            (None, None) => Err(anyhow::anyhow!("no output collector")),
        }
    });
    let collected = match collected {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&spill_dir);
            return Err(e);
        }
    };
    let Collector {
        tables,
        entities,
        partial_graph,
        mut warnings,
        errors: collected_errors,
        collect_seconds,
        duplicate_count,
        document_count,
        cache_hits,
        cache_misses,
    } = collected;
    errors.extend(collected_errors);
    progress.finish_and_clear();
    if interrupted.load(Ordering::SeqCst) {
        drop(tables);
        let _ = std::fs::remove_dir_all(&spill_dir);
        eprintln!(
            "stancegraph: interrupted; no output file was replaced{}",
            if args.cache.is_some() {
                " (processed documents are cached: rerun with the same --cache to resume)"
            } else {
                ""
            }
        );
        return Ok(130);
    }

    let mut counts = std::collections::BTreeMap::new();
    let entities = entities.finish();
    errors.sort();
    let peak_rss_mb_before_graph = peak_rss_mb();
    // The tables are merged into their files while the graph is built and exported: the
    // two need nothing from each other.
    let write_tables = || -> Result<(Vec<(&str, usize)>, f64)> {
        let t_write = Instant::now();
        let Tables {
            documents,
            mentions,
            statements,
            events,
        } = tables;
        // The four tables side by side too (on the run's threads).
        let finished: Vec<(&str, usize)> = vec![
            ("documents", documents),
            ("mentions", mentions),
            ("statements", statements),
            ("events", events),
        ]
        .into_par_iter()
        .map(|(name, table)| table.finish().map(|rows| (name, rows)))
        .collect::<Result<_>>()?;
        let _ = std::fs::remove_dir_all(&spill_dir);
        output::write_jsonl(&args.out.join("entities.jsonl"), &entities)?;
        output::write_jsonl(&args.out.join("errors.jsonl"), &errors)?;
        Ok((finished, t_write.elapsed().as_secs_f64()))
    };
    let write_graph = || -> Result<(usize, usize, f64)> {
        let t_graph = Instant::now();
        let view = ViewOptions {
            affiliations: args.affiliations,
            ..ViewOptions::default()
        };
        let graph = stancegraph_graph::build_view(&partial_graph, &entities, &view)?;
        stancegraph_graph::write_all(&graph, &args.out)?;
        Ok((
            graph.node_count(),
            graph.edge_count(),
            t_graph.elapsed().as_secs_f64(),
        ))
    };
    let (tables_written, graph_written) = rayon::join(write_tables, write_graph);
    let (finished, write_seconds) = tables_written?;
    let (graph_nodes, graph_edges, graph_seconds) = graph_written?;
    counts.extend(finished);
    counts.insert("entities", entities.len());
    counts.insert("errors", errors.len());
    counts.insert("graph_nodes", graph_nodes);
    counts.insert("graph_edges", graph_edges);

    let mut stages = std::collections::BTreeMap::new();
    stages.insert(
        "ingest",
        StageReport::new(ingest_seconds, ingested, ingest_bytes),
    );
    stages.insert("segment", StageReport::from_clock(&pipeline.clocks.segment));
    stages.insert("link", StageReport::from_clock(&pipeline.clocks.link));
    stages.insert("relate", StageReport::from_clock(&pipeline.clocks.relate));
    stages.insert(
        "graph",
        StageReport::new(graph_seconds, document_count as u64, ingest_bytes),
    );
    // Sequential work on the main thread: merging rows, entities and the graph as
    // documents arrive, and writing the sorted tables at the end.
    stages.insert(
        "collect",
        StageReport::new(collect_seconds, document_count as u64, ingest_bytes),
    );
    stages.insert(
        "write",
        StageReport::new(write_seconds, document_count as u64, ingest_bytes),
    );
    let wall = started.elapsed().as_secs_f64();
    stages.insert("total", StageReport::new(wall, ingested, ingest_bytes));
    let report = RunReport {
        tool: "stancegraph",
        version: env!("CARGO_PKG_VERSION"),
        format: OUTPUT_FORMAT,
        pipeline: PIPELINE_HASH,
        threads: rayon::current_num_threads(),
        inputs: inputs.len(),
        documents: document_count,
        duplicates: duplicate_count,
        errors: errors.len(),
        cache_hits,
        cache_misses,
        outputs: counts,
        wall_seconds: round3(wall),
        peak_rss_mb: peak_rss_mb(),
        peak_rss_mb_before_graph,
        warnings: warnings.len(),
        warning_examples: {
            warnings.sort();
            warnings.truncate(100);
            warnings
        },
        stages,
    };
    let mut json = serde_json::to_vec_pretty(&report)?;
    json.push(b'\n');
    output::write_atomic(&args.out.join("run.json"), &json)?;

    if !quiet {
        let statements = report.outputs.get("statements").copied().unwrap_or(0);
        eprintln!(
            "stancegraph: {} documents, {} entities, {} statements, {} errors in {:.2}s -> {}",
            report.documents,
            entities.len(),
            statements,
            report.errors,
            wall,
            args.out.display()
        );
    }
    Ok(if errors.is_empty() { 0 } else { 3 })
}

/// Peak resident set size from /proc (Linux only).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(round3(kb / 1024.0))
}

/// The corpus entity table, merged as documents arrive (bounded by the number of
/// distinct entities, not by the corpus size). Uses the graph crate's entity merge, which
/// is commutative and associative, so that `merge` of shard outputs reproduces it exactly.
#[derive(Default)]
struct EntityTable {
    by_id: rustc_hash::FxHashMap<String, stancegraph_model::Entity>,
}

impl EntityTable {
    fn add(&mut self, entities: impl IntoIterator<Item = stancegraph_model::Entity>) {
        for mut entity in entities {
            match self.by_id.get_mut(&entity.id) {
                Some(existing) => stancegraph_graph::merge_entity(existing, &entity),
                None => {
                    stancegraph_graph::tables::normalize_entity(&mut entity);
                    self.by_id.insert(entity.id.clone(), entity);
                }
            }
        }
    }

    /// Both tables in one (the larger takes in the smaller).
    fn merge(mut self, mut other: EntityTable) -> EntityTable {
        if other.by_id.len() > self.by_id.len() {
            std::mem::swap(&mut self, &mut other);
        }
        self.add(other.by_id.into_values());
        self
    }

    fn finish(self) -> Vec<stancegraph_model::Entity> {
        let mut all: Vec<_> = self.by_id.into_values().collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        all
    }
}

/// Set when the user presses Ctrl-C: the run stops between batches and replaces no
/// output file.
fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let handler_flag = flag.clone();
    // Only one handler can be installed per process; a failure only loses the clean stop.
    let _ = ctrlc::set_handler(move || handler_flag.store(true, Ordering::SeqCst));
    flag
}

fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} documents")
    {
        bar.set_style(style);
    }
    bar
}

/// Saves one document's stage results as `<id>.sg` (bincode behind the codec header).
fn save_stage(dir: &Path, p: &Processed) -> Result<(), ErrorRecord> {
    let fail = |e: String| ErrorRecord::new(p.document.source.clone(), "output", e);
    std::fs::create_dir_all(dir)
        .map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
    let name = format!("{}.sg", p.document.id.replace(':', "_"));
    let bytes = codec::encode(p).map_err(|e| fail(e.to_string()))?;
    output::write_atomic(&dir.join(name), &bytes).map_err(|e| fail(format!("{e:#}")))
}

fn inspect_ingest(args: &InspectArgs) -> Result<u8> {
    let (documents, errors, _) = ingest_all(&args.ingest);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for d in &documents {
        match args.format {
            InspectFormat::Jsonl => {
                serde_json::to_writer(&mut out, d)?;
                writeln!(out)?;
            }
            InspectFormat::Text => {
                writeln!(
                    out,
                    "== {} {} ({} bytes){}",
                    d.id,
                    d.source,
                    d.text.len(),
                    d.duplicate_of
                        .as_deref()
                        .map(|x| format!(", duplicate of {x}"))
                        .unwrap_or_default()
                )?;
                writeln!(out, "title: {}", d.title.as_deref().unwrap_or("-"))?;
                writeln!(out, "date:  {}", d.date.as_deref().unwrap_or("-"))?;
                writeln!(out, "{}\n", d.text)?;
            }
        }
    }
    report_errors(&errors);
    Ok(if errors.is_empty() { 0 } else { 3 })
}

#[derive(Serialize)]
struct SentenceRow<'a> {
    doc: &'a str,
    index: usize,
    start: usize,
    end: usize,
    text: &'a str,
    quote: bool,
}

fn inspect_segment(args: &InspectArgs) -> Result<u8> {
    let (documents, errors, _) = ingest_all(&args.ingest);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for d in &documents {
        let seg = stancegraph_segment::segment(d);
        if args.format == InspectFormat::Text {
            writeln!(out, "== {} {}", d.id, d.source)?;
        }
        for s in &seg.sentences {
            let text = s.span.slice(&d.text).unwrap_or("");
            match args.format {
                InspectFormat::Jsonl => {
                    let row = SentenceRow {
                        doc: &d.id,
                        index: s.index,
                        start: s.span.start,
                        end: s.span.end,
                        text,
                        quote: s.quote.is_some(),
                    };
                    serde_json::to_writer(&mut out, &row)?;
                    writeln!(out)?;
                }
                InspectFormat::Text => {
                    let mark = if s.quote.is_some() { "\u{201c}" } else { " " };
                    writeln!(out, "{:>4} {} {}", s.index, mark, text.replace('\n', " "))?;
                }
            }
        }
    }
    report_errors(&errors);
    Ok(if errors.is_empty() { 0 } else { 3 })
}

/// The linker alone over the inputs: each mention as a mentions.jsonl row (JSONL) or as
/// `start-end text -> entity (kind)` under its document (text).
fn inspect_mentions(args: &MentionsArgs, quiet: bool) -> Result<u8> {
    let (kb, _) = crate::kb_cmd::load(&args.kb, quiet)?;
    let linker = stancegraph_link::Linker::new(Arc::new(kb));
    let (documents, errors, _) = ingest_all(&args.inspect.ingest);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut line = Vec::new();
    for d in documents.iter().filter(|d| d.duplicate_of.is_none()) {
        let linked = linker.link(d, &stancegraph_segment::segment(d));
        let mut mentions: Vec<_> = linked.mentions.iter().collect();
        mentions.sort_by_key(|m| (m.start, m.end));
        let doc = rows::DocMember::new(&d.id);
        if args.inspect.format == InspectFormat::Text {
            writeln!(out, "== {} {}", d.id, d.source)?;
        }
        for m in mentions {
            match args.inspect.format {
                InspectFormat::Jsonl => {
                    line.clear();
                    rows::write_mention(&mut line, &doc, m);
                    out.write_all(&line)?;
                }
                InspectFormat::Text => {
                    let kind = rows::kind_name(m.kind);
                    let text = m.text.replace('\n', " ");
                    writeln!(
                        out,
                        "{:>6}-{:<6} {text} -> {} ({kind})",
                        m.start, m.end, m.entity
                    )?;
                }
            }
        }
    }
    report_errors(&errors);
    Ok(if errors.is_empty() { 0 } else { 3 })
}

fn report_errors(errors: &[ErrorRecord]) {
    for e in errors {
        eprintln!("stancegraph: {} [{}]: {}", e.source, e.stage, e.error);
    }
}
