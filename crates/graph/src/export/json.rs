//! Node-link JSON writer, loadable by networkx `node_link_graph(data, edges="links")`
//! and d3: `{"directed", "multigraph": true, "graph", "nodes": [{"id", ...}], "links":
//! [{"source", "target", "key", ...}]}`, one node or link per line. Lists stay lists;
//! field order is fixed by the structs below, independent of serde_json features.

use std::io::Write;

use serde::Serialize;

use crate::view::{EdgeData, NodeData, StanceGraph};
use crate::GraphError;

#[derive(Serialize)]
struct Header<'a> {
    name: &'a str,
    view: &'a str,
}

#[derive(Serialize)]
struct JsonNode<'a> {
    id: &'a str,
    label: &'a str,
    #[serde(rename = "type")]
    entity_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wikidata: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    roles: &'a [String],
    mentions: u64,
    documents: u64,
}

impl<'a> JsonNode<'a> {
    fn new(node: &'a NodeData) -> Self {
        JsonNode {
            id: &node.id,
            label: &node.name,
            entity_type: node.entity_type.as_str(),
            country: node.country.as_deref(),
            wikidata: node.wikidata.as_deref(),
            roles: &node.roles,
            mentions: node.mentions,
            documents: node.documents,
        }
    }
}

#[derive(Serialize)]
struct JsonLink<'a> {
    source: &'a str,
    target: &'a str,
    key: &'a str,
    relation: &'a str,
    weight: u64,
    directed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    stance: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    positive: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    negative: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    neutral: Option<u64>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    codes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    first_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_date: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    dates: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    statements: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    events: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    targets: Option<&'a [String]>,
}

impl<'a> JsonLink<'a> {
    fn new(source: &'a NodeData, target: &'a NodeData, edge: &'a EdgeData) -> Self {
        let counted = |n: u64| edge.stance.is_some().then_some(n);
        let evidence = edge.evidence_name();
        let evidence_for = |name: &str| {
            (evidence == Some(name) && !edge.evidence.is_empty()).then_some(&edge.evidence[..])
        };
        JsonLink {
            source: &source.id,
            target: &target.id,
            key: &edge.id,
            relation: &edge.relation,
            weight: edge.weight,
            directed: edge.directed,
            stance: edge.stance.map(crate::text::round4),
            positive: counted(edge.positive),
            negative: counted(edge.negative),
            neutral: counted(edge.neutral),
            codes: &edge.codes,
            first_date: edge.first_date(),
            last_date: edge.last_date(),
            dates: &edge.dates,
            statements: evidence_for("statements"),
            events: evidence_for("events"),
            targets: evidence_for("targets"),
        }
    }
}

pub(crate) fn write(graph: &StanceGraph, w: &mut dyn Write) -> Result<(), GraphError> {
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, w);
    write!(
        w,
        "{{\"directed\": {}, \"multigraph\": true, \"graph\": ",
        graph.directed
    )?;
    serde_json::to_writer(
        &mut w,
        &Header {
            name: "stancegraph",
            view: graph.view.as_str(),
        },
    )?;
    w.write_all(b",\n\"nodes\": [")?;
    for (i, node) in graph.nodes().enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut w, &JsonNode::new(node))?;
    }
    w.write_all(b"\n],\n\"links\": [")?;
    for (i, (source, target, edge)) in graph.edges().enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut w, &JsonLink::new(source, target, edge))?;
    }
    w.write_all(b"\n]}\n")?;
    w.flush()?;
    Ok(())
}
