//! The command-line interface, declared with clap's derive API.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Largest document accepted by default, in bytes.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Parser)]
#[command(
    name = "stancegraph",
    version,
    about = "Who said what about whom: a graph of political actors and their stated positions"
)]
pub struct Cli {
    /// Worker threads (default: one per core).
    #[arg(long, global = true)]
    pub threads: Option<usize>,
    /// No progress bar and no summary on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Wait until each output table is on disk before renaming it into place (survives a
    /// power loss; slower). Without it, files are still written under a temporary name and
    /// renamed, so an interrupted run never leaves a half-written file.
    #[arg(long, global = true)]
    pub fsync: bool,
    /// What to do; without a command, `run` on the sample corpus into `out/`.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every stage and write the output folder (documents, mentions, entities,
    /// statements, events, graph files, errors, run.json).
    Run(RunArgs),
    /// Print what ingest makes of the inputs.
    Ingest(InspectArgs),
    /// Print the sentences of the inputs.
    Segment(InspectArgs),
    /// Print the entity mentions the linker finds in the inputs (named-entity recognition
    /// and linking alone, before statement extraction promotes unlinked speakers).
    Mentions(MentionsArgs),
    /// Write one view of an output folder's graph in one format.
    Export(ExportArgs),
    /// Combine the output folders of separate runs (shards of one corpus) into one.
    Merge(MergeArgs),
    /// Inspect the knowledge base: what a name links to, coverage by type and source.
    Kb(KbArgs),
}

#[derive(Debug, Args)]
pub struct KbArgs {
    /// Longest sentence (bytes) handed to statement extraction; longer ones are skipped
    /// and reported in run.json (0: no limit).
    #[arg(long, default_value_t = stancegraph_relate::DEFAULT_MAX_SENTENCE_BYTES)]
    pub max_sentence_bytes: usize,
    /// Knowledge-base files merged over the default (TSV or PETRARCH .actors).
    #[arg(long, global = true)]
    pub kb: Vec<PathBuf>,
    #[command(subcommand)]
    pub command: KbCommand,
}

#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Show what a name links to and why.
    Lookup { name: String },
    /// Count entries by type and source.
    Stats,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// An output folder of `stancegraph run` (or `merge`).
    pub dir: PathBuf,
    /// stance (speaker -> target), congruence, conflict (speakers agreeing or opposing on
    /// a target) or events (who met whom).
    #[arg(long, default_value = "stance")]
    pub view: String,
    /// graphml, gexf, json, dot, csv-nodes or csv-edges.
    #[arg(long, default_value = "graphml")]
    pub format: String,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long)]
    pub to: Option<PathBuf>,
    /// Keep statements and events dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Keep statements and events dated on or before this (a prefix includes the period).
    #[arg(long, alias = "to-date")]
    pub until: Option<String>,
    /// Drop edges lighter than this.
    #[arg(long, default_value_t = 0)]
    pub min_weight: u64,
    /// Keep only these node types (comma-separated: person,country,...).
    #[arg(long = "type")]
    pub types: Vec<String>,
    /// Ego network around this actor (entity id or name).
    #[arg(long)]
    pub actor: Option<String>,
    /// Ego network radius in edges.
    #[arg(long, default_value_t = 1)]
    pub depth: usize,
    /// Add affiliation edges (person -> country or organisation).
    #[arg(long)]
    pub affiliations: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Output folders to combine.
    pub parts: Vec<PathBuf>,
    /// Where to write the combined output.
    #[arg(long)]
    pub out: PathBuf,
    /// Write into a folder that does not look like a stancegraph output.
    #[arg(long)]
    pub force: bool,
    /// Add affiliation edges to the graph files.
    #[arg(long)]
    pub affiliations: bool,
}

#[derive(Debug, Args, Clone)]
pub struct IngestArgs {
    /// Files or folders to read (txt, html, json, jsonl, csv, optionally .gz); `-` reads
    /// stdin. Default: the sample corpus in data/corpus.
    pub inputs: Vec<PathBuf>,
    /// JSON/CSV field holding the text.
    #[arg(long)]
    pub text_field: Option<String>,
    /// JSON/CSV field holding the title.
    #[arg(long)]
    pub title_field: Option<String>,
    /// JSON/CSV field holding the date.
    #[arg(long)]
    pub date_field: Option<String>,
    /// Largest document accepted, in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_DOCUMENT_BYTES)]
    pub max_document_bytes: usize,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub ingest: IngestArgs,
    /// Output folder.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Write into an output folder even if it does not look like a stancegraph output.
    #[arg(long)]
    pub force: bool,
    /// Leave the document text out of documents.jsonl.
    #[arg(long)]
    pub no_text: bool,
    /// Save each document's stage results (bincode) into this folder.
    #[arg(long)]
    pub save_stages: Option<PathBuf>,
    /// Cache each document's stage results here; a rerun processes only new or changed
    /// documents (and resumes an interrupted run).
    #[arg(long)]
    pub cache: Option<PathBuf>,
    /// Inputs read per batch, at most (a batch also stops at 64 MiB of input; memory apart
    /// from the graph and entity table is bounded by one batch plus the sort buffer).
    #[arg(long, default_value_t = 256)]
    pub batch_inputs: usize,
    /// Memory for sorting output rows before spilling to disk, in MiB.
    #[arg(long, default_value_t = 64)]
    pub sort_memory_mb: usize,
    /// Add affiliation edges (person → country or organisation) to the graph files.
    #[arg(long)]
    pub affiliations: bool,
    /// Longest sentence (bytes) handed to statement extraction; longer ones are skipped
    /// and reported in run.json (0: no limit).
    #[arg(long, default_value_t = stancegraph_relate::DEFAULT_MAX_SENTENCE_BYTES)]
    pub max_sentence_bytes: usize,
    /// Mentions kept per document at most; the rest are dropped and reported in run.json.
    #[arg(long, default_value_t = stancegraph_link::MAX_MENTIONS)]
    pub max_mentions: usize,
    /// Knowledge-base files merged over the default (TSV of the default schema, or a
    /// PETRARCH/TABARI .actors dictionary); repeatable.
    #[arg(long)]
    pub kb: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    Text,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct MentionsArgs {
    #[command(flatten)]
    pub inspect: InspectArgs,
    /// Knowledge-base files merged over the default (as for `run`); repeatable.
    #[arg(long)]
    pub kb: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    #[command(flatten)]
    pub ingest: IngestArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
    pub format: InspectFormat,
}
