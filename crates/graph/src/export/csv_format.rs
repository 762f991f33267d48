//! Gephi spreadsheet CSV writers: `nodes.csv` (`Id,Label,...`) and `edges.csv`
//! (`Source,Target,Type,Weight,...`). Numbers are plain (`-0.5`); every text cell that a
//! spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, tab or
//! carriage return) is prefixed with a single quote. Ids get the same treatment in both
//! files, so sources and targets still match node ids.

use std::borrow::Cow;
use std::io::Write;

use super::{edge_attributes, node_attributes, AttrValue, EDGE_ATTRIBUTES, NODE_ATTRIBUTES};
use crate::view::StanceGraph;
use crate::GraphError;

/// A text cell made safe for spreadsheets.
pub(crate) fn neutralise(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

fn cell<'a>(value: &'a Option<AttrValue<'a>>) -> Cow<'a, str> {
    match value {
        None => Cow::Borrowed(""),
        Some(AttrValue::Text(t)) => match neutralise(t) {
            Cow::Borrowed(_) => Cow::Borrowed(t.as_ref()),
            Cow::Owned(s) => Cow::Owned(s),
        },
        Some(AttrValue::List(_)) => {
            let joined = value.as_ref().map(AttrValue::to_text).unwrap_or_default();
            Cow::Owned(neutralise(&joined).into_owned())
        }
        Some(other) => Cow::Owned(other.to_text().into_owned()),
    }
}

/// Writes `nodes.csv`: `Id,Label,Type,Country,Wikidata,Roles,Mentions,Documents`.
pub fn write_csv_nodes(graph: &StanceGraph, w: &mut dyn Write) -> Result<(), GraphError> {
    let mut writer = csv::Writer::from_writer(w);
    let mut header = vec!["Id"];
    header.extend(NODE_ATTRIBUTES.iter().map(|s| s.column));
    writer.write_record(&header)?;
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    for node in graph.nodes() {
        row.clear();
        row.push(neutralise(&node.id).into_owned());
        for value in node_attributes(node) {
            row.push(cell(&value).into_owned());
        }
        writer.write_record(&row)?;
    }
    writer.flush()?;
    Ok(())
}

/// Writes `edges.csv`: `Source,Target,Type,Weight,Id,Label,Relation,Directed,Stance,...`
/// (`Type` is `Directed` or `Undirected` per edge, as Gephi reads mixed graphs).
pub fn write_csv_edges(graph: &StanceGraph, w: &mut dyn Write) -> Result<(), GraphError> {
    let mut writer = csv::Writer::from_writer(w);
    let mut header = vec!["Source", "Target", "Type", "Weight", "Id", "Label"];
    header.extend(
        EDGE_ATTRIBUTES
            .iter()
            .filter(|s| s.name != "weight")
            .map(|s| s.column),
    );
    writer.write_record(&header)?;
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    for (source, target, edge) in graph.edges() {
        row.clear();
        row.push(neutralise(&source.id).into_owned());
        row.push(neutralise(&target.id).into_owned());
        row.push(
            if edge.directed {
                "Directed"
            } else {
                "Undirected"
            }
            .to_owned(),
        );
        row.push(edge.weight.to_string());
        row.push(neutralise(&edge.id).into_owned());
        row.push(neutralise(&edge.relation).into_owned());
        for (spec, value) in EDGE_ATTRIBUTES.iter().zip(edge_attributes(edge)) {
            if spec.name != "weight" {
                row.push(cell(&value).into_owned());
            }
        }
        writer.write_record(&row)?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-x"), "'-x");
        assert_eq!(neutralise("@cmd"), "'@cmd");
        assert_eq!(neutralise("Iran"), "Iran");
        assert_eq!(neutralise(""), "");
    }
}
