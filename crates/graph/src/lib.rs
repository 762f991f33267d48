//! The relation graph: actors as nodes, statements and events as edges.
//!
//! - [`partial`]: each document's relations give a [`PartialGraph`] of raw observations;
//!   partial graphs merge by union (associative, commutative, idempotent), so a rayon
//!   fold/reduce gives the same graph for any thread count and input order.
//! - [`observation`]: observations packed into 32 bytes (order-preserving encodings of
//!   the usual id, date and code shapes, with an exact fallback), per edge a sorted
//!   vector with an unsorted tail.
//! - [`view`]: a [`PartialGraph`] and the corpus entity table give a [`StanceGraph`]
//!   (a petgraph `Graph` built in sorted key order) for the `stance`, `congruence`,
//!   `conflict` or `events` view, with date, weight, type and ego filters.
//! - [`export`]: GraphML, GEXF 1.3, node-link JSON, DOT and Gephi CSV, written atomically.
//! - [`tables`]: reading an output folder back and merging the folders of several runs.

pub mod export;
pub mod fixture;
pub mod observation;
pub mod partial;
pub mod tables;
pub mod text;
pub mod view;

use std::path::{Path, PathBuf};

pub use export::{export, export_to_file, write_all, write_csv_edges, write_csv_nodes, Format};
pub use partial::{build_partial, build_partial_from_tables, EdgeKey, PartialGraph};
pub use tables::{
    aggregate_entities, merge_entity, merge_tables, read_output_dir, write_output_tables,
    DocumentRecord, OutputTables,
};
pub use view::{
    build, build_view, parse_entity_types, EdgeData, NodeData, StanceGraph, View, ViewOptions,
};

/// Why a graph could not be built, read or written.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("{path}: {source}")]
    IoAt {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("unknown view {0:?} (stance, congruence, conflict, events)")]
    UnknownView(String),
    #[error("unknown format {0:?} (graphml, gexf, json, dot, csv-nodes, csv-edges)")]
    UnknownFormat(String),
    #[error("unknown entity type {0:?} (person, organization, country, group, location, other)")]
    UnknownEntityType(String),
    #[error("no actor named {0:?}")]
    UnknownActor(String),
}

impl GraphError {
    pub(crate) fn io_at(path: &Path, source: std::io::Error) -> Self {
        GraphError::IoAt {
            path: path.to_path_buf(),
            source,
        }
    }
}
