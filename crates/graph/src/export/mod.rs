//! Export of a [`StanceGraph`] to the formats analysts load: GraphML, GEXF 1.3, node-link
//! JSON, Graphviz DOT and Gephi spreadsheet CSV; and the atomic writing of all of them.
//!
//! Every format is driven by one attribute schema ([`node_attributes`],
//! [`edge_attributes`]) so that the formats carry the same values.

mod csv_format;
mod dot;
mod gexf;
mod graphml;
mod json;
mod xml;

use std::borrow::Cow;
use std::fmt;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::str::FromStr;

use crate::text::join_list;
use crate::view::{EdgeData, NodeData, StanceGraph};
use crate::GraphError;

pub use csv_format::{write_csv_edges, write_csv_nodes};

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Graphml,
    Gexf,
    Json,
    Dot,
    CsvNodes,
    CsvEdges,
}

impl Format {
    /// Every format, in the order `write_all` writes them.
    pub const ALL: [Format; 6] = [
        Format::Graphml,
        Format::Gexf,
        Format::Json,
        Format::Dot,
        Format::CsvNodes,
        Format::CsvEdges,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Graphml => "graphml",
            Format::Gexf => "gexf",
            Format::Json => "json",
            Format::Dot => "dot",
            Format::CsvNodes => "csv-nodes",
            Format::CsvEdges => "csv-edges",
        }
    }

    /// The file `write_all` writes this format to.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Graphml => "graph.graphml",
            Format::Gexf => "graph.gexf",
            Format::Json => "graph.json",
            Format::Dot => "graph.dot",
            Format::CsvNodes => "nodes.csv",
            Format::CsvEdges => "edges.csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = GraphError;
    /// Accepts the names of [`Format::as_str`] (case-insensitive) and `xml` for GraphML.
    /// `csv` is two files: use [`write_csv_nodes`] and [`write_csv_edges`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim().to_ascii_lowercase();
        if name == "xml" {
            return Ok(Format::Graphml);
        }
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .ok_or_else(|| GraphError::UnknownFormat(s.to_owned()))
    }
}

/// Writes the graph in one format.
pub fn export(graph: &StanceGraph, format: Format, w: &mut dyn Write) -> Result<(), GraphError> {
    match format {
        Format::Graphml => graphml::write(graph, w),
        Format::Gexf => gexf::write(graph, w),
        Format::Json => json::write(graph, w),
        Format::Dot => dot::write(graph, w),
        Format::CsvNodes => write_csv_nodes(graph, w),
        Format::CsvEdges => write_csv_edges(graph, w),
    }
}

/// A builder for the temporary files behind atomic writes: hidden names, and on Unix the
/// usual `rw-r--r--` mode (a temporary file is private by default, which a finished output
/// file should not be).
pub(crate) fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".stancegraph-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder
}

/// Writes the graph in one format to a file, atomically (temporary file in the same
/// directory, then rename).
pub fn export_to_file(graph: &StanceGraph, format: Format, path: &Path) -> Result<(), GraphError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let temp = crate::export::temp_builder()
        .tempfile_in(dir)
        .map_err(|e| GraphError::io_at(dir, e))?;
    {
        let mut writer = BufWriter::new(temp.as_file());
        export(graph, format, &mut writer)?;
        writer.flush().map_err(|e| GraphError::io_at(path, e))?;
    }
    temp.persist(path)
        .map_err(|e| GraphError::io_at(path, e.error))?;
    Ok(())
}

/// Writes `graph.graphml`, `graph.gexf`, `graph.json`, `graph.dot`, `nodes.csv` and
/// `edges.csv` into `dir` (created when missing), each atomically.
pub fn write_all(graph: &StanceGraph, dir: &Path) -> Result<(), GraphError> {
    fs::create_dir_all(dir).map_err(|e| GraphError::io_at(dir, e))?;
    for format in Format::ALL {
        export_to_file(graph, format, &dir.join(format.file_name()))?;
    }
    Ok(())
}

/// The type of an attribute, mapped to each format's type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttrType {
    Text,
    Int,
    Number,
    Boolean,
}

impl AttrType {
    pub(crate) fn graphml(self) -> &'static str {
        match self {
            AttrType::Text => "string",
            AttrType::Int => "int",
            AttrType::Number => "double",
            AttrType::Boolean => "boolean",
        }
    }
    pub(crate) fn gexf(self) -> &'static str {
        match self {
            AttrType::Text => "string",
            AttrType::Int => "integer",
            AttrType::Number => "double",
            AttrType::Boolean => "boolean",
        }
    }
}

/// One attribute: its name in GraphML, GEXF and JSON, its CSV column and its type.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AttrSpec {
    pub name: &'static str,
    pub column: &'static str,
    pub kind: AttrType,
}

const fn spec(name: &'static str, column: &'static str, kind: AttrType) -> AttrSpec {
    AttrSpec { name, column, kind }
}

/// A value of an attribute; lists are kept as lists for JSON and joined elsewhere.
#[derive(Debug, Clone)]
pub(crate) enum AttrValue<'a> {
    Text(Cow<'a, str>),
    List(&'a [String]),
    Int(u64),
    Number(f64),
    Boolean(bool),
}

impl AttrValue<'_> {
    /// The value as text for formats without lists or types.
    pub(crate) fn to_text(&self) -> Cow<'_, str> {
        match self {
            AttrValue::Text(t) => Cow::Borrowed(t.as_ref()),
            AttrValue::List(items) => Cow::Owned(join_list(items)),
            AttrValue::Int(n) => Cow::Owned(n.to_string()),
            AttrValue::Number(x) => Cow::Owned(crate::text::format_number(*x)),
            AttrValue::Boolean(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        }
    }
}

pub(crate) const NODE_LABEL: AttrSpec = spec("label", "Label", AttrType::Text);

/// Node attributes after the id, label first.
pub(crate) const NODE_ATTRIBUTES: [AttrSpec; 7] = [
    NODE_LABEL,
    spec("type", "Type", AttrType::Text),
    spec("country", "Country", AttrType::Text),
    spec("wikidata", "Wikidata", AttrType::Text),
    spec("roles", "Roles", AttrType::Text),
    spec("mentions", "Mentions", AttrType::Int),
    spec("documents", "Documents", AttrType::Int),
];

/// Edge attributes after source and target; `weight` second.
pub(crate) const EDGE_ATTRIBUTES: [AttrSpec; 14] = [
    spec("relation", "Relation", AttrType::Text),
    spec("weight", "Weight", AttrType::Int),
    spec("directed", "Directed", AttrType::Boolean),
    spec("stance", "Stance", AttrType::Number),
    spec("positive", "Positive", AttrType::Int),
    spec("negative", "Negative", AttrType::Int),
    spec("neutral", "Neutral", AttrType::Int),
    spec("codes", "Codes", AttrType::Text),
    spec("first_date", "FirstDate", AttrType::Text),
    spec("last_date", "LastDate", AttrType::Text),
    spec("dates", "Dates", AttrType::Text),
    spec("statements", "Statements", AttrType::Text),
    spec("events", "Events", AttrType::Text),
    spec("targets", "Targets", AttrType::Text),
];

fn text(value: &str) -> Option<AttrValue<'_>> {
    (!value.is_empty()).then_some(AttrValue::Text(Cow::Borrowed(value)))
}

fn list(items: &[String]) -> Option<AttrValue<'_>> {
    (!items.is_empty()).then_some(AttrValue::List(items))
}

/// The values of [`NODE_ATTRIBUTES`] for a node, in the same order (None: absent).
pub(crate) fn node_attributes(node: &NodeData) -> [Option<AttrValue<'_>>; 7] {
    [
        Some(AttrValue::Text(Cow::Borrowed(&node.name))),
        Some(AttrValue::Text(Cow::Borrowed(node.entity_type.as_str()))),
        node.country.as_deref().and_then(text),
        node.wikidata.as_deref().and_then(text),
        list(&node.roles),
        Some(AttrValue::Int(node.mentions)),
        Some(AttrValue::Int(node.documents)),
    ]
}

/// The values of [`EDGE_ATTRIBUTES`] for an edge, in the same order (None: absent).
pub(crate) fn edge_attributes(edge: &EdgeData) -> [Option<AttrValue<'_>>; 14] {
    let has_stance = edge.stance.is_some();
    let count = |n: u64| has_stance.then_some(AttrValue::Int(n));
    let evidence = edge.evidence_name();
    let evidence_for = |name: &str| {
        if evidence == Some(name) {
            list(&edge.evidence)
        } else {
            None
        }
    };
    [
        Some(AttrValue::Text(Cow::Borrowed(&edge.relation))),
        Some(AttrValue::Int(edge.weight)),
        Some(AttrValue::Boolean(edge.directed)),
        edge.stance
            .map(|s| AttrValue::Number(crate::text::round4(s))),
        count(edge.positive),
        count(edge.negative),
        count(edge.neutral),
        list(&edge.codes),
        edge.first_date().and_then(text),
        edge.last_date().and_then(text),
        list(&edge.dates),
        evidence_for("statements"),
        evidence_for("events"),
        evidence_for("targets"),
    ]
}
