//! GraphML writer: typed `<key>` declarations (string, int, double, boolean), nodes by
//! entity id, edges with ids `e0`, `e1`, ... Loads in networkx `read_graphml`, igraph,
//! Gephi and yEd. Undirected edges of the mixed stance view are written as directed
//! edges (source < target) with `directed = false` as data, because networkx rejects
//! mixed graphs.

use std::io::Write;

use super::xml::escape_into;
use super::{edge_attributes, node_attributes, AttrSpec, EDGE_ATTRIBUTES, NODE_ATTRIBUTES};
use crate::view::StanceGraph;
use crate::GraphError;

fn write_key(out: &mut String, prefix: &str, domain: &str, spec: &AttrSpec) {
    out.push_str("  <key id=\"");
    out.push_str(prefix);
    out.push_str(spec.name);
    out.push_str("\" for=\"");
    out.push_str(domain);
    out.push_str("\" attr.name=\"");
    out.push_str(spec.name);
    out.push_str("\" attr.type=\"");
    out.push_str(spec.kind.graphml());
    out.push_str("\"/>\n");
}

pub(crate) fn write(graph: &StanceGraph, w: &mut dyn Write) -> Result<(), GraphError> {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    for spec in &NODE_ATTRIBUTES {
        write_key(&mut out, "n_", "node", spec);
    }
    for spec in &EDGE_ATTRIBUTES {
        write_key(&mut out, "e_", "edge", spec);
    }
    out.push_str("  <graph id=\"");
    out.push_str(graph.view.as_str());
    out.push_str("\" edgedefault=\"");
    out.push_str(if graph.directed {
        "directed"
    } else {
        "undirected"
    });
    out.push_str("\">\n");
    for node in graph.nodes() {
        out.push_str("    <node id=\"");
        escape_into(&mut out, &node.id);
        out.push_str("\">");
        for (spec, value) in NODE_ATTRIBUTES.iter().zip(node_attributes(node)) {
            if let Some(value) = value {
                out.push_str("<data key=\"n_");
                out.push_str(spec.name);
                out.push_str("\">");
                escape_into(&mut out, &value.to_text());
                out.push_str("</data>");
            }
        }
        out.push_str("</node>\n");
        flush_if_large(&mut out, w)?;
    }
    for (source, target, edge) in graph.edges() {
        out.push_str("    <edge id=\"");
        escape_into(&mut out, &edge.id);
        out.push_str("\" source=\"");
        escape_into(&mut out, &source.id);
        out.push_str("\" target=\"");
        escape_into(&mut out, &target.id);
        out.push_str("\">");
        for (spec, value) in EDGE_ATTRIBUTES.iter().zip(edge_attributes(edge)) {
            if let Some(value) = value {
                out.push_str("<data key=\"e_");
                out.push_str(spec.name);
                out.push_str("\">");
                escape_into(&mut out, &value.to_text());
                out.push_str("</data>");
            }
        }
        out.push_str("</edge>\n");
        flush_if_large(&mut out, w)?;
    }
    out.push_str("  </graph>\n</graphml>\n");
    w.write_all(out.as_bytes())?;
    Ok(())
}

/// Writes the buffer out once it holds more than 64 KiB.
pub(crate) fn flush_if_large(out: &mut String, w: &mut dyn Write) -> Result<(), GraphError> {
    if out.len() > 64 * 1024 {
        w.write_all(out.as_bytes())?;
        out.clear();
    }
    Ok(())
}
