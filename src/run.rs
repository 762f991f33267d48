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

use stancegraph_ingest::{IngestOptions, InputSource};
use stancegraph_link::KnowledgeBase;
use stancegraph_model::{codec, Document, ErrorRecord, Processed, OUTPUT_FORMAT};
use stancegraph_relate::Relator;

use crate::cli::{
    Cli, Command, IngestArgs, InspectArgs, InspectFormat, RunArgs, DEFAULT_MAX_DOCUMENT_BYTES,
};
use crate::output;
use crate::pipeline::{Pipeline, StageClock};

/// Runs the chosen command and returns the process exit code.
pub fn dispatch(cli: &Cli) -> Result<u8> {
    match &cli.command {
        None => {
            let defaults = RunArgs {
                out: PathBuf::from("out"),
                ingest: IngestArgs {
                    max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
                    ..Default::default()
                },
                ..Default::default()
            };
            run(&defaults, cli.quiet)
        }
        Some(Command::Run(args)) => run(args, cli.quiet),
        Some(Command::Ingest(args)) => inspect_ingest(args),
        Some(Command::Segment(args)) => inspect_segment(args),
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
    }
}

/// Reads every input in parallel, keeping input order, and marks duplicates.
fn ingest_all(args: &IngestArgs) -> (Vec<Document>, Vec<ErrorRecord>, usize) {
    let (inputs, mut errors) = stancegraph_ingest::list_inputs(&input_paths(args));
    let options = ingest_options(args);
    let parts: Vec<_> = inputs
        .par_iter()
        .map(|source: &InputSource| stancegraph_ingest::read_input(source, &options))
        .collect();
    let mut documents = Vec::new();
    for part in parts {
        documents.extend(part.documents);
        errors.extend(part.errors);
    }
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

fn document_row(p: &Processed, with_text: bool) -> DocumentRow<'_> {
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
    threads: usize,
    inputs: usize,
    documents: usize,
    duplicates: usize,
    errors: usize,
    outputs: std::collections::BTreeMap<&'static str, usize>,
    wall_seconds: f64,
    stages: std::collections::BTreeMap<&'static str, StageReport>,
}

fn run(args: &RunArgs, quiet: bool) -> Result<u8> {
    let started = Instant::now();
    output::prepare_output_dir(&args.out, args.force)?;
    let kb = Arc::new(KnowledgeBase::embedded().context("loading the knowledge base")?);
    let relator = Relator::embedded().context("loading the lexicons")?;
    let pipeline = Pipeline::new(kb, relator);

    let t_ingest = Instant::now();
    let (documents, mut errors, input_count) = ingest_all(&args.ingest);
    let ingest_seconds = t_ingest.elapsed().as_secs_f64();
    let ingest_bytes: u64 = documents.iter().map(|d| d.text.len() as u64).sum();
    let ingested = documents.len() as u64;

    let progress = progress_bar(documents.len() as u64, quiet);
    let results: Vec<Result<Processed, ErrorRecord>> = documents
        .into_par_iter()
        .map(|d| {
            let r = pipeline.process(d);
            progress.inc(1);
            r
        })
        .collect();
    progress.finish_and_clear();

    let mut processed = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(p) => processed.push(p),
            Err(e) => errors.push(e),
        }
    }
    processed.sort_by(|a, b| a.document.id.cmp(&b.document.id));
    errors.sort();

    if let Some(dir) = &args.save_stages {
        save_stages(dir, &processed, &mut errors)?;
    }

    let counts = write_tables(&args.out, &processed, &errors, !args.no_text)?;

    let mut stages = std::collections::BTreeMap::new();
    stages.insert(
        "ingest",
        StageReport::new(ingest_seconds, ingested, ingest_bytes),
    );
    stages.insert("segment", StageReport::from_clock(&pipeline.clocks.segment));
    stages.insert("link", StageReport::from_clock(&pipeline.clocks.link));
    stages.insert("relate", StageReport::from_clock(&pipeline.clocks.relate));
    let wall = started.elapsed().as_secs_f64();
    stages.insert("total", StageReport::new(wall, ingested, ingest_bytes));
    let report = RunReport {
        tool: "stancegraph",
        version: env!("CARGO_PKG_VERSION"),
        format: OUTPUT_FORMAT,
        threads: rayon::current_num_threads(),
        inputs: input_count,
        documents: processed.len(),
        duplicates: processed
            .iter()
            .filter(|p| p.document.duplicate_of.is_some())
            .count(),
        errors: errors.len(),
        outputs: counts,
        wall_seconds: round3(wall),
        stages,
    };
    let mut json = serde_json::to_vec_pretty(&report)?;
    json.push(b'\n');
    output::write_atomic(&args.out.join("run.json"), &json)?;

    if !quiet {
        let statements = report.outputs.get("statements").copied().unwrap_or(0);
        let entities = report.outputs.get("entities").copied().unwrap_or(0);
        eprintln!(
            "stancegraph: {} documents, {} entities, {} statements, {} errors in {:.2}s -> {}",
            report.documents,
            entities,
            statements,
            report.errors,
            wall,
            args.out.display()
        );
    }
    Ok(if errors.is_empty() { 0 } else { 3 })
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

/// Writes every JSONL table; returns the row count of each.
fn write_tables(
    out: &Path,
    processed: &[Processed],
    errors: &[ErrorRecord],
    with_text: bool,
) -> Result<std::collections::BTreeMap<&'static str, usize>> {
    let mut counts = std::collections::BTreeMap::new();
    let rows: Vec<_> = processed
        .iter()
        .map(|p| document_row(p, with_text))
        .collect();
    output::write_jsonl(&out.join("documents.jsonl"), &rows)?;
    counts.insert("documents", rows.len());

    let mut mentions: Vec<_> = processed.iter().flat_map(|p| &p.linked.mentions).collect();
    mentions.sort_by(|a, b| (&a.doc, a.start, a.end).cmp(&(&b.doc, b.start, b.end)));
    output::write_jsonl(&out.join("mentions.jsonl"), &mentions)?;
    counts.insert("mentions", mentions.len());

    let entities =
        stancegraph_link::merge_entities(processed.iter().flat_map(|p| &p.linked.entities));
    output::write_jsonl(&out.join("entities.jsonl"), &entities)?;
    counts.insert("entities", entities.len());

    let mut statements: Vec<_> = processed
        .iter()
        .flat_map(|p| &p.relations.statements)
        .collect();
    statements.sort_by(|a, b| (&a.doc, a.start, &a.id).cmp(&(&b.doc, b.start, &b.id)));
    output::write_jsonl(&out.join("statements.jsonl"), &statements)?;
    counts.insert("statements", statements.len());

    let mut events: Vec<_> = processed.iter().flat_map(|p| &p.relations.events).collect();
    events.sort_by(|a, b| (&a.doc, a.start, &a.event_type).cmp(&(&b.doc, b.start, &b.event_type)));
    output::write_jsonl(&out.join("events.jsonl"), &events)?;
    counts.insert("events", events.len());

    output::write_jsonl(&out.join("errors.jsonl"), errors)?;
    counts.insert("errors", errors.len());
    Ok(counts)
}

/// Saves each document's stage results as `<id>.sg` (bincode behind the codec header).
fn save_stages(dir: &Path, processed: &[Processed], errors: &mut Vec<ErrorRecord>) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create stage folder {}", dir.display()))?;
    for p in processed {
        let name = format!("{}.sg", p.document.id.replace(':', "_"));
        match codec::encode(p) {
            Ok(bytes) => output::write_atomic(&dir.join(name), &bytes)?,
            Err(e) => errors.push(ErrorRecord::new(
                p.document.source.clone(),
                "output",
                e.to_string(),
            )),
        }
    }
    Ok(())
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

fn report_errors(errors: &[ErrorRecord]) {
    for e in errors {
        eprintln!("stancegraph: {} [{}]: {}", e.source, e.stage, e.error);
    }
}
