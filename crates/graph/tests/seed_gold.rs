//! Acceptance check of the graph on the seed article, driven by the gold annotation in
//! `../shared/gold`: every required gold statement target must give a stance edge from
//! the speaker with the gold's sign (optional statements and targets are skipped), and
//! every gold interaction an event edge.
//!
//! The pipeline lives in the binary, so this test reads an output folder: set
//! `STANCEGRAPH_SEED_OUT` to the folder written by
//! `stancegraph run ../shared/corpus --out DIR`. Without it (or without `../shared`) the
//! test prints a note and passes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use stancegraph_graph::{read_output_dir, ViewOptions};
use stancegraph_model::Entity;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// The output entity a gold entity stands for: same Wikidata id, else a name or alias
/// equal (case-insensitively) to one of the gold names.
fn resolve<'a>(gold: &Value, entities: &'a [Entity]) -> Option<&'a Entity> {
    if let Some(qid) = gold["wikidata"].as_str() {
        if let Some(e) = entities.iter().find(|e| e.wikidata.as_deref() == Some(qid)) {
            return Some(e);
        }
    }
    let names: Vec<String> = gold["names"]
        .as_array()?
        .iter()
        .filter_map(|n| n.as_str().map(str::to_lowercase))
        .collect();
    entities.iter().find(|e| {
        names.contains(&e.name.to_lowercase())
            || e.aliases.iter().any(|a| names.contains(&a.to_lowercase()))
    })
}

#[test]
fn seed_graph_has_the_gold_edges() {
    let gold_dir = shared().join("gold");
    let Some(out) = std::env::var_os("STANCEGRAPH_SEED_OUT") else {
        eprintln!("note: STANCEGRAPH_SEED_OUT not set; seed graph check skipped");
        return;
    };
    if !gold_dir.exists() {
        eprintln!(
            "note: {} absent; seed graph check skipped",
            gold_dir.display()
        );
        return;
    }
    let tables = read_output_dir(Path::new(&out)).unwrap();
    let graph = tables.graph(&ViewOptions::default()).unwrap();
    let mut failures: Vec<String> = Vec::new();
    let mut checked = 0usize;
    for file in std::fs::read_dir(&gold_dir).unwrap() {
        let path = file.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        for entity in gold["entities"].as_array().into_iter().flatten() {
            let key = entity["key"].as_str().unwrap_or_default().to_owned();
            if let Some(found) = resolve(entity, &tables.entities) {
                ids.insert(key, found.id.clone());
            }
        }
        let id_of = |key: &str, failures: &mut Vec<String>| {
            let id = ids.get(key).cloned();
            if id.is_none() {
                failures.push(format!("{}: no output entity for {key}", path.display()));
            }
            id
        };
        // Sum of gold stances per (speaker, target) over required statements.
        let mut expected: BTreeMap<(String, String), f64> = BTreeMap::new();
        for statement in gold["statements"].as_array().into_iter().flatten() {
            if statement["optional"].as_bool() == Some(true) {
                continue;
            }
            let speaker = statement["speaker"].as_str().unwrap_or_default();
            let optional: Vec<&str> = statement["optional_targets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (target, stance) in statement["targets"].as_object().into_iter().flatten() {
                if optional.contains(&target.as_str()) {
                    continue;
                }
                let stance = stance.as_f64().unwrap_or(0.0);
                *expected
                    .entry((speaker.to_owned(), target.clone()))
                    .or_default() += stance;
            }
        }
        for ((speaker, target), sum) in expected {
            checked += 1;
            let (Some(s), Some(t)) = (
                id_of(&speaker, &mut failures),
                id_of(&target, &mut failures),
            ) else {
                continue;
            };
            match graph.find_edge(&s, &t, "stance") {
                None => failures.push(format!("missing stance edge {speaker} -> {target}")),
                Some(edge) => {
                    let mean = edge.stance.unwrap_or(0.0);
                    if sum != 0.0 && mean * sum <= 0.0 {
                        failures.push(format!(
                            "{speaker} -> {target}: stance {mean}, gold sign {sum}"
                        ));
                    }
                }
            }
        }
        for interaction in gold["interactions"].as_array().into_iter().flatten() {
            let relation = interaction["type"].as_str().unwrap_or("meet");
            let actors: Vec<&str> = interaction["actors"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (i, a) in actors.iter().enumerate() {
                for b in &actors[i + 1..] {
                    checked += 1;
                    let (Some(x), Some(y)) = (id_of(a, &mut failures), id_of(b, &mut failures))
                    else {
                        continue;
                    };
                    if graph.find_edge(&x, &y, relation).is_none() {
                        failures.push(format!("missing {relation} edge {a} -- {b}"));
                    }
                }
            }
        }
    }
    eprintln!(
        "seed graph: {checked} gold edges checked, {} failures",
        failures.len()
    );
    assert!(checked > 0, "no gold edges found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
