//! Graphviz DOT writer: nodes labelled with names and shaped by type; stance edges
//! coloured by mean stance (red negative, green positive, grey neutral) with the weight
//! as pen width; event edges dashed and undirected; affiliation edges dotted;
//! congruence green and conflict red. Renders with `dot -Tsvg`.

use std::io::Write;

use stancegraph_model::EntityType;

use super::graphml::flush_if_large;
use crate::partial::{AFFILIATION_RELATION, STANCE_RELATION};
use crate::text::{format_number, is_xml_char};
use crate::view::{
    EdgeData, StanceGraph, CONFLICT_RELATION, CONGRUENCE_RELATION, NEUTRAL_THRESHOLD,
};
use crate::GraphError;

const RED: &str = "#d62728";
const GREEN: &str = "#2ca02c";
const GREY: &str = "#7f7f7f";
const BLUE: &str = "#1f77b4";

/// Appends `text` as a double-quoted DOT string: backslashes and quotes escaped,
/// newlines as `\n`, carriage returns and other control characters dropped to spaces.
/// With `label`, `&` is written as `&amp;` because Graphviz decodes entities in labels.
fn quote_into(out: &mut String, text: &str, label: bool) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '&' if label => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c if !is_xml_char(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn shape(entity_type: EntityType) -> &'static str {
    match entity_type {
        EntityType::Person => "ellipse",
        EntityType::Country => "box",
        EntityType::Organization => "hexagon",
        EntityType::Group => "octagon",
        EntityType::Location | EntityType::Other => "plaintext",
    }
}

fn colour(edge: &EdgeData) -> &'static str {
    match edge.relation.as_str() {
        CONGRUENCE_RELATION => GREEN,
        CONFLICT_RELATION => RED,
        AFFILIATION_RELATION => GREY,
        STANCE_RELATION => match edge.stance {
            Some(s) if s <= -NEUTRAL_THRESHOLD => RED,
            Some(s) if s >= NEUTRAL_THRESHOLD => GREEN,
            _ => GREY,
        },
        _ => BLUE,
    }
}

/// Pen width 1 for one statement, growing with the logarithm of the weight, capped at 8.
fn pen_width(weight: u64) -> f64 {
    (1.0 + (weight.max(1) as f64).log2()).min(8.0)
}

pub(crate) fn write(graph: &StanceGraph, w: &mut dyn Write) -> Result<(), GraphError> {
    let mut out = String::with_capacity(64 * 1024);
    let (keyword, arrow) = if graph.directed {
        ("digraph", " -> ")
    } else {
        ("graph", " -- ")
    };
    out.push_str(keyword);
    out.push_str(" stancegraph {\n  graph [label=");
    quote_into(&mut out, &format!("stancegraph: {} view", graph.view), true);
    out.push_str(", overlap=false, splines=true];\n");
    out.push_str("  node [fontname=\"Helvetica\", style=filled, fillcolor=\"#f5f5f5\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for node in graph.nodes() {
        out.push_str("  ");
        quote_into(&mut out, &node.id, false);
        out.push_str(" [label=");
        quote_into(&mut out, &node.name, true);
        out.push_str(", shape=");
        out.push_str(shape(node.entity_type));
        out.push_str(", tooltip=");
        quote_into(&mut out, node.entity_type.as_str(), true);
        out.push_str("];\n");
        flush_if_large(&mut out, w)?;
    }
    for (source, target, edge) in graph.edges() {
        out.push_str("  ");
        quote_into(&mut out, &source.id, false);
        out.push_str(arrow);
        quote_into(&mut out, &target.id, false);
        out.push_str(" [id=");
        quote_into(&mut out, &edge.id, false);
        out.push_str(", color=\"");
        out.push_str(colour(edge));
        out.push_str("\", penwidth=");
        out.push_str(&format_number(pen_width(edge.weight)));
        out.push_str(", weight=");
        out.push_str(&edge.weight.to_string());
        let mut tooltip = format!("{} x{}", edge.relation, edge.weight);
        if let Some(stance) = edge.stance {
            tooltip.push_str(", mean ");
            tooltip.push_str(&format_number(stance));
        }
        out.push_str(", tooltip=");
        quote_into(&mut out, &tooltip, true);
        match edge.relation.as_str() {
            STANCE_RELATION => {}
            AFFILIATION_RELATION => out.push_str(", style=dotted, arrowhead=empty"),
            CONGRUENCE_RELATION | CONFLICT_RELATION => {}
            _ => {
                out.push_str(", style=dashed, label=");
                quote_into(&mut out, &edge.relation, true);
            }
        }
        if graph.directed && !edge.directed {
            out.push_str(", dir=none");
        }
        out.push_str("];\n");
        flush_if_large(&mut out, w)?;
    }
    out.push_str("}\n");
    w.write_all(out.as_bytes())?;
    Ok(())
}
