//! GEXF 1.3 writer (`xmlns="http://gexf.net/1.3"`): typed node and edge attributes, the
//! edge weight and relation (`label`, `kind`) as XML attributes, and, where dates are
//! known, a dynamic graph (`timeformat="date"`) whose edges carry one spell per distinct
//! `YYYY-MM-DD` date for Gephi's timeline (other date strings stay in the attributes
//! only). Loads in Gephi and networkx `read_gexf`. As in GraphML,
//! the event edges of the mixed stance view are written as directed edges with
//! `directed = false` as an attribute, because networkx rejects mixed graphs.

use std::io::Write;

use super::graphml::flush_if_large;
use super::xml::escape_into;
use super::{edge_attributes, node_attributes, AttrSpec, EDGE_ATTRIBUTES, NODE_ATTRIBUTES};
use crate::text::is_iso_date;
use crate::view::StanceGraph;
use crate::GraphError;

fn declare(out: &mut String, class: &str, specs: &[AttrSpec], skip: &str) {
    out.push_str("    <attributes class=\"");
    out.push_str(class);
    out.push_str("\" mode=\"static\">\n");
    for spec in specs.iter().filter(|s| s.name != skip) {
        out.push_str("      <attribute id=\"");
        out.push_str(spec.name);
        out.push_str("\" title=\"");
        out.push_str(spec.name);
        out.push_str("\" type=\"");
        out.push_str(spec.kind.gexf());
        out.push_str("\"/>\n");
    }
    out.push_str("    </attributes>\n");
}

fn attvalue(out: &mut String, name: &str, value: &str) {
    out.push_str("<attvalue for=\"");
    out.push_str(name);
    out.push_str("\" value=\"");
    escape_into(out, value);
    out.push_str("\"/>");
}

pub(crate) fn write(graph: &StanceGraph, w: &mut dyn Write) -> Result<(), GraphError> {
    let dynamic = graph
        .edges()
        .any(|(_, _, e)| e.dates.iter().any(|d| is_iso_date(d)));
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<gexf xmlns=\"http://gexf.net/1.3\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" \
         version=\"1.3\">\n",
    );
    out.push_str("  <meta>\n    <creator>stancegraph</creator>\n    <description>");
    out.push_str(graph.view.as_str());
    out.push_str(" view</description>\n  </meta>\n");
    out.push_str("  <graph defaultedgetype=\"");
    out.push_str(if graph.directed {
        "directed"
    } else {
        "undirected"
    });
    if dynamic {
        out.push_str("\" mode=\"dynamic\" timeformat=\"date\">\n");
    } else {
        out.push_str("\" mode=\"static\">\n");
    }
    // The label is the node's XML attribute; the weight is the edge's.
    declare(&mut out, "node", &NODE_ATTRIBUTES, "label");
    declare(&mut out, "edge", &EDGE_ATTRIBUTES, "weight");
    out.push_str("    <nodes>\n");
    for node in graph.nodes() {
        out.push_str("      <node id=\"");
        escape_into(&mut out, &node.id);
        out.push_str("\" label=\"");
        escape_into(&mut out, &node.name);
        out.push_str("\"><attvalues>");
        for (spec, value) in NODE_ATTRIBUTES.iter().zip(node_attributes(node)) {
            if spec.name == "label" {
                continue;
            }
            if let Some(value) = value {
                attvalue(&mut out, spec.name, &value.to_text());
            }
        }
        out.push_str("</attvalues></node>\n");
        flush_if_large(&mut out, w)?;
    }
    out.push_str("    </nodes>\n    <edges>\n");
    for (source, target, edge) in graph.edges() {
        out.push_str("      <edge id=\"");
        escape_into(&mut out, &edge.id);
        out.push_str("\" source=\"");
        escape_into(&mut out, &source.id);
        out.push_str("\" target=\"");
        escape_into(&mut out, &target.id);
        out.push_str("\" weight=\"");
        out.push_str(&edge.weight.to_string());
        out.push_str("\" label=\"");
        escape_into(&mut out, &edge.relation);
        out.push_str("\" kind=\"");
        escape_into(&mut out, &edge.relation);
        out.push_str("\"><attvalues>");
        for (spec, value) in EDGE_ATTRIBUTES.iter().zip(edge_attributes(edge)) {
            if spec.name == "weight" {
                continue;
            }
            if let Some(value) = value {
                attvalue(&mut out, spec.name, &value.to_text());
            }
        }
        out.push_str("</attvalues>");
        if dynamic && edge.dates.iter().any(|d| is_iso_date(d)) {
            out.push_str("<spells>");
            for date in edge.dates.iter().filter(|d| is_iso_date(d)) {
                out.push_str("<spell start=\"");
                escape_into(&mut out, date);
                out.push_str("\" end=\"");
                escape_into(&mut out, date);
                out.push_str("\"/>");
            }
            out.push_str("</spells>");
        }
        out.push_str("</edge>\n");
        flush_if_large(&mut out, w)?;
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    w.write_all(out.as_bytes())?;
    Ok(())
}
