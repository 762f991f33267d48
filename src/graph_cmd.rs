//! The graph commands over finished output folders: `export` (a view in one format, with
//! filters) and `merge` (the output folders of separate runs, e.g. shards of one corpus,
//! combined into what one run over all of them writes).

use anyhow::{bail, Context, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use stancegraph_graph::{Format, ViewOptions};
use stancegraph_model::{EntityType, ErrorRecord, OUTPUT_FORMAT};

use crate::cli::{ExportArgs, MergeArgs};
use crate::output;

fn parse_types(list: &[String]) -> Result<Vec<EntityType>> {
    let mut types = Vec::new();
    for item in list {
        types.extend(stancegraph_graph::parse_entity_types(item)?);
    }
    Ok(types)
}

/// `stancegraph export OUT --view V --format F [--to FILE]`.
pub fn export(args: &ExportArgs) -> Result<u8> {
    let tables = stancegraph_graph::read_output_dir(&args.dir)
        .with_context(|| format!("reading {}", args.dir.display()))?;
    let options = ViewOptions {
        view: args.view.parse()?,
        from: args.from.clone(),
        to: args.until.clone(),
        min_weight: args.min_weight,
        types: parse_types(&args.types)?,
        actor: args.actor.clone(),
        depth: args.depth,
        affiliations: args.affiliations,
        drop_isolates: args.actor.is_some() || args.min_weight > 1,
    };
    let format: Format = args.format.parse()?;
    let graph = tables.graph(&options)?;
    match &args.to {
        Some(path) => {
            let mut f = output::AtomicFile::create(path)?;
            stancegraph_graph::export(&graph, format, &mut f)?;
            f.commit()?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            stancegraph_graph::export(&graph, format, &mut w)?;
            w.flush()?;
        }
    }
    Ok(0)
}

#[derive(Serialize)]
struct MergeReport {
    tool: &'static str,
    version: &'static str,
    format: u32,
    merged_from: Vec<String>,
    documents: usize,
    errors: usize,
    outputs: BTreeMap<&'static str, usize>,
}

fn read_errors(dir: &Path) -> Result<Vec<ErrorRecord>> {
    let path = dir.join("errors.jsonl");
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{}:{}: not an error record", path.display(), i + 1))
        })
        .collect()
}

/// `stancegraph merge A B ... --out OUT`.
pub fn merge(args: &MergeArgs) -> Result<u8> {
    if args.parts.is_empty() {
        bail!("merge needs at least one output folder");
    }
    output::prepare_output_dir(&args.out, args.force)?;
    let mut parts = Vec::new();
    let mut errors = Vec::new();
    for dir in &args.parts {
        if !dir.join("run.json").exists() {
            bail!(
                "{} does not look like a stancegraph output (no run.json)",
                dir.display()
            );
        }
        parts.push(
            stancegraph_graph::read_output_dir(dir)
                .with_context(|| format!("reading {}", dir.display()))?,
        );
        errors.extend(read_errors(dir)?);
    }
    let tables = stancegraph_graph::merge_tables(parts);
    stancegraph_graph::write_output_tables(&tables, &args.out)?;
    errors.sort();
    errors.dedup();
    output::write_jsonl(&args.out.join("errors.jsonl"), &errors)?;
    let view = ViewOptions {
        affiliations: args.affiliations,
        ..ViewOptions::default()
    };
    let graph = tables.graph(&view)?;
    stancegraph_graph::write_all(&graph, &args.out)?;

    let mut outputs = BTreeMap::new();
    outputs.insert("documents", tables.documents.len());
    outputs.insert("mentions", tables.mentions.len());
    outputs.insert("entities", tables.entities.len());
    outputs.insert("statements", tables.statements.len());
    outputs.insert("events", tables.events.len());
    outputs.insert("errors", errors.len());
    outputs.insert("graph_nodes", graph.node_count());
    outputs.insert("graph_edges", graph.edge_count());
    let report = MergeReport {
        tool: "stancegraph",
        version: env!("CARGO_PKG_VERSION"),
        format: OUTPUT_FORMAT,
        merged_from: args.parts.iter().map(|p| p.display().to_string()).collect(),
        documents: tables.documents.len(),
        errors: errors.len(),
        outputs,
    };
    let mut json = serde_json::to_vec_pretty(&report)?;
    json.push(b'\n');
    output::write_atomic(&args.out.join("run.json"), &json)?;
    Ok(0)
}
