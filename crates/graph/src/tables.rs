//! The corpus tables of an output folder (documents, entities, statements, events,
//! mentions), reading them back, and merging the folders of separate runs (shards of one
//! corpus) into the tables one run over the union would have written.
//!
//! Merge rules: documents are unique by id; statements, events and mentions are taken
//! per document (a document present in several shards contributes its rows once), then
//! ordered by document and start; entities are unique by id and combined with
//! [`merge_entity`], whose counts are sums, corrected for documents present in several
//! shards. Every rule is commutative and associative, so shard order does not matter.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use stancegraph_model::{Document, Entity, Event, Mention, Statement};

use crate::partial::{build_partial_from_tables, PartialGraph};
use crate::view::{build_view, StanceGraph, ViewOptions};
use crate::GraphError;

/// One line of `documents.jsonl` (OUTPUT.md field order). Unknown fields are kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub id: String,
    pub source: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    /// Absent with `--no-text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default)]
    pub bytes: u64,
    #[serde(default)]
    pub sentences: u64,
    #[serde(default)]
    pub duplicate_of: Option<String>,
    /// Fields this version does not know, written back unchanged (sorted by name).
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl DocumentRecord {
    /// The record of a document with its sentence count; `with_text: false` drops the text.
    pub fn from_document(document: &Document, sentences: usize, with_text: bool) -> Self {
        DocumentRecord {
            id: document.id.clone(),
            source: document.source.clone(),
            title: document.title.clone(),
            date: document.date.clone(),
            text: with_text.then(|| document.text.clone()),
            bytes: document.text.len() as u64,
            sentences: sentences as u64,
            duplicate_of: document.duplicate_of.clone(),
            extra: BTreeMap::new(),
        }
    }
}

/// The corpus tables of one output folder.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OutputTables {
    pub documents: Vec<DocumentRecord>,
    pub entities: Vec<Entity>,
    pub statements: Vec<Statement>,
    pub events: Vec<Event>,
    pub mentions: Vec<Mention>,
}

/// The table file names, as in OUTPUT.md.
pub const DOCUMENTS_FILE: &str = "documents.jsonl";
pub const ENTITIES_FILE: &str = "entities.jsonl";
pub const STATEMENTS_FILE: &str = "statements.jsonl";
pub const EVENTS_FILE: &str = "events.jsonl";
pub const MENTIONS_FILE: &str = "mentions.jsonl";

impl OutputTables {
    /// The partial graph of the statement and event tables (built in parallel).
    pub fn partial_graph(&self) -> PartialGraph {
        build_partial_from_tables(&self.statements, &self.events)
    }

    /// A view of the tables' graph.
    pub fn graph(&self, options: &ViewOptions) -> Result<StanceGraph, GraphError> {
        build_view(&self.partial_graph(), &self.entities, options)
    }
}

fn read_jsonl<T: DeserializeOwned + Send>(path: &Path) -> Result<Vec<T>, GraphError> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let content = fs::read_to_string(path).map_err(|e| GraphError::io_at(path, e))?;
    let lines: Vec<&str> = content.lines().collect();
    lines
        .par_iter()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            serde_json::from_str(line).map_err(|e| GraphError::Parse {
                path: path.to_path_buf(),
                line: index + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// Reads the tables of an output folder. A missing table file reads as empty; a missing
/// folder or a malformed line is an error (naming file and line).
pub fn read_output_dir(dir: &Path) -> Result<OutputTables, GraphError> {
    if !dir.is_dir() {
        return Err(GraphError::io_at(
            dir,
            std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
        ));
    }
    Ok(OutputTables {
        documents: read_jsonl(&dir.join(DOCUMENTS_FILE))?,
        entities: read_jsonl(&dir.join(ENTITIES_FILE))?,
        statements: read_jsonl(&dir.join(STATEMENTS_FILE))?,
        events: read_jsonl(&dir.join(EVENTS_FILE))?,
        mentions: read_jsonl(&dir.join(MENTIONS_FILE))?,
    })
}

fn write_jsonl<T: Serialize>(dir: &Path, name: &str, rows: &[T]) -> Result<(), GraphError> {
    let path = dir.join(name);
    let temp = crate::export::temp_builder()
        .tempfile_in(dir)
        .map_err(|e| GraphError::io_at(dir, e))?;
    {
        let mut writer = BufWriter::new(temp.as_file());
        for row in rows {
            serde_json::to_writer(&mut writer, row)?;
            writer
                .write_all(b"\n")
                .map_err(|e| GraphError::io_at(&path, e))?;
        }
        writer.flush().map_err(|e| GraphError::io_at(&path, e))?;
    }
    temp.persist(&path)
        .map_err(|e| GraphError::io_at(&path, e.error))?;
    Ok(())
}

/// Writes the five tables as JSONL into `dir` (created when missing), each atomically.
pub fn write_output_tables(tables: &OutputTables, dir: &Path) -> Result<(), GraphError> {
    fs::create_dir_all(dir).map_err(|e| GraphError::io_at(dir, e))?;
    write_jsonl(dir, DOCUMENTS_FILE, &tables.documents)?;
    write_jsonl(dir, ENTITIES_FILE, &tables.entities)?;
    write_jsonl(dir, STATEMENTS_FILE, &tables.statements)?;
    write_jsonl(dir, EVENTS_FILE, &tables.events)?;
    write_jsonl(dir, MENTIONS_FILE, &tables.mentions)?;
    Ok(())
}

/// Adds to `into` (kept sorted and deduplicated) the items of `other` it lacks (`other`
/// in any order); only new items are cloned.
fn union_sorted(into: &mut Vec<String>, other: &[String]) {
    if !into.windows(2).all(|pair| pair[0] < pair[1]) {
        into.sort();
        into.dedup();
    }
    for item in other {
        if let Err(at) = into.binary_search(item) {
            into.insert(at, item.clone());
        }
    }
}

fn min_some(a: &mut Option<String>, b: &Option<String>) {
    match (a.as_ref(), b) {
        (None, Some(_)) => *a = b.clone(),
        (Some(x), Some(y)) if y < x => *a = b.clone(),
        _ => {}
    }
}

/// Whether `candidate` is the better canonical name: longer (in characters), then
/// alphabetically first.
fn better_name(candidate: &str, current: &str) -> bool {
    let (c, k) = (candidate.chars().count(), current.chars().count());
    c > k || (c == k && candidate < current)
}

/// Sorts and deduplicates an entity's lists (the form [`merge_entity`] keeps).
pub fn normalize_entity(entity: &mut Entity) {
    for list in [
        &mut entity.roles,
        &mut entity.affiliations,
        &mut entity.aliases,
    ] {
        list.sort();
        list.dedup();
    }
}

/// Combines two records of the same entity: counts summed, lists united (sorted), the
/// longest name (then alphabetically first), the smallest type, the smallest known
/// Wikidata id and country. Commutative and associative, so any order of per-document
/// or per-shard records gives the same entity.
pub fn merge_entity(into: &mut Entity, other: &Entity) {
    if better_name(&other.name, &into.name) {
        into.name = other.name.clone();
    }
    into.entity_type = into.entity_type.min(other.entity_type);
    min_some(&mut into.wikidata, &other.wikidata);
    min_some(&mut into.country, &other.country);
    union_sorted(&mut into.roles, &other.roles);
    union_sorted(&mut into.affiliations, &other.affiliations);
    union_sorted(&mut into.aliases, &other.aliases);
    into.mentions = into.mentions.saturating_add(other.mentions);
    into.documents = into.documents.saturating_add(other.documents);
}

/// The corpus entity table from per-document (or per-shard) records, sorted by id:
/// what `run` should use so that `merge` reproduces it.
pub fn aggregate_entities<I>(records: I) -> Vec<Entity>
where
    I: IntoIterator<Item = Entity>,
{
    let mut by_id: BTreeMap<String, Entity> = BTreeMap::new();
    for mut record in records {
        match by_id.get_mut(&record.id) {
            Some(existing) => merge_entity(existing, &record),
            None => {
                normalize_entity(&mut record);
                by_id.insert(record.id.clone(), record);
            }
        }
    }
    by_id.into_values().collect()
}

/// Rows of one kind grouped by document, for one shard.
fn group_by_doc<T>(rows: Vec<T>, doc: impl Fn(&T) -> &str) -> BTreeMap<String, Vec<T>> {
    let mut groups: BTreeMap<String, Vec<T>> = BTreeMap::new();
    for row in rows {
        match groups.get_mut(doc(&row)) {
            Some(group) => group.push(row),
            None => {
                let key = doc(&row).to_owned();
                groups.insert(key, vec![row]);
            }
        }
    }
    groups
}

/// For each document, one shard's rows: all shards normally agree; when they do not,
/// the rows whose JSON is smallest win, so the choice does not depend on shard order.
fn merge_groups<T: Clone + PartialEq + Serialize>(
    groups: Vec<BTreeMap<String, Vec<T>>>,
    start: impl Fn(&T) -> usize,
) -> Vec<T> {
    let mut chosen: BTreeMap<String, Vec<T>> = BTreeMap::new();
    for shard in groups {
        for (doc, rows) in shard {
            match chosen.get_mut(&doc) {
                None => {
                    chosen.insert(doc, rows);
                }
                Some(existing) if *existing != rows => {
                    let a = serde_json::to_string(&rows).unwrap_or_default();
                    let b = serde_json::to_string(existing).unwrap_or_default();
                    if a < b {
                        *existing = rows;
                    }
                }
                Some(_) => {}
            }
        }
    }
    let mut out = Vec::new();
    for (_, mut rows) in chosen {
        rows.sort_by_key(|r| start(r));
        out.extend(rows);
    }
    out
}

/// The union of the tables of several output folders (shards of one corpus): what one
/// run over all their documents writes. Commutative and associative.
pub fn merge_tables(parts: Vec<OutputTables>) -> OutputTables {
    // How many shards hold each document, to undo double counting of entity counts.
    let mut shards_per_doc: BTreeMap<String, u64> = BTreeMap::new();
    for part in &parts {
        let mut docs: BTreeSet<&str> = part.documents.iter().map(|d| d.id.as_str()).collect();
        docs.extend(part.mentions.iter().map(|m| m.doc.as_str()));
        for doc in docs {
            *shards_per_doc.entry(doc.to_owned()).or_default() += 1;
        }
    }

    let mut documents: BTreeMap<String, DocumentRecord> = BTreeMap::new();
    let mut entity_records: Vec<Entity> = Vec::new();
    let mut statement_groups = Vec::with_capacity(parts.len());
    let mut event_groups = Vec::with_capacity(parts.len());
    let mut mention_groups = Vec::with_capacity(parts.len());
    for part in parts {
        for record in part.documents {
            match documents.get_mut(&record.id) {
                None => {
                    documents.insert(record.id.clone(), record);
                }
                Some(existing) if *existing != record => {
                    let a = serde_json::to_string(&record).unwrap_or_default();
                    let b = serde_json::to_string(&*existing).unwrap_or_default();
                    if a < b {
                        *existing = record;
                    }
                }
                Some(_) => {}
            }
        }
        entity_records.extend(part.entities);
        statement_groups.push(group_by_doc(part.statements, |s: &Statement| &s.doc));
        event_groups.push(group_by_doc(part.events, |e: &Event| &e.doc));
        mention_groups.push(group_by_doc(part.mentions, |m: &Mention| &m.doc));
    }
    let statements = merge_groups(statement_groups, |s: &Statement| s.start);
    let events = merge_groups(event_groups, |e: &Event| e.start);
    let mentions = merge_groups(mention_groups, |m: &Mention| m.start);

    let mut entities = aggregate_entities(entity_records);
    // A document held by k shards was counted k times: remove k - 1 of them.
    let mut surplus: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut per_doc: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for mention in &mentions {
        *per_doc
            .entry((mention.doc.as_str(), mention.entity.as_str()))
            .or_default() += 1;
    }
    for ((doc, entity), count) in per_doc {
        let extra = shards_per_doc
            .get(doc)
            .copied()
            .unwrap_or(1)
            .saturating_sub(1);
        if extra > 0 {
            let slot = surplus.entry(entity).or_default();
            slot.0 += extra * count;
            slot.1 += extra;
        }
    }
    for entity in &mut entities {
        if let Some((mentions, documents)) = surplus.get(entity.id.as_str()) {
            entity.mentions = entity.mentions.saturating_sub(*mentions);
            entity.documents = entity.documents.saturating_sub(*documents);
        }
    }

    OutputTables {
        documents: documents.into_values().collect(),
        entities,
        statements,
        events,
        mentions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn union_keeps_lists_sorted_and_unique_whatever_the_input_order() {
        let mut into = strings(&["Iran", "Tehran"]);
        union_sorted(
            &mut into,
            &strings(&["Tehran", "Islamic Republic", "Iran", "Persia"]),
        );
        assert_eq!(
            into,
            strings(&["Iran", "Islamic Republic", "Persia", "Tehran"])
        );
        // A list not yet in the kept form is put into it first.
        let mut unsorted = strings(&["b", "a", "b"]);
        union_sorted(&mut unsorted, &strings(&["c", "a"]));
        assert_eq!(unsorted, strings(&["a", "b", "c"]));
    }
}
