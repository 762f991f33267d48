//! Property tests of merging: merging the tables of two (or three) runs over shards of a
//! corpus gives the tables of one run over the union, in any shard order, even when the
//! shards overlap; partial graphs merged in any split and order give the same graph;
//! tables survive a write/read round trip.

use std::collections::BTreeMap;

use proptest::prelude::*;
use stancegraph_graph::fixture::{self, SplitMix64};
use stancegraph_graph::tables::{read_output_dir, write_output_tables};
use stancegraph_graph::{
    aggregate_entities, build_partial, build_view, merge_tables, DocumentRecord, OutputTables,
    PartialGraph, ViewOptions,
};
use stancegraph_model::{Entity, EntityType, Event, Mention, MentionKind, Relations, Statement};

/// One processed document as a run sees it.
#[derive(Debug, Clone)]
struct SimDoc {
    record: DocumentRecord,
    entities: Vec<Entity>,
    mentions: Vec<Mention>,
    statements: Vec<Statement>,
    events: Vec<Event>,
}

const ACTORS: [(&str, EntityType, &[&str]); 6] = [
    (
        "kb:ortiz",
        EntityType::Person,
        &["Ana Ortiz", "Ortiz", "A. Ortiz"],
    ),
    ("kb:mensah", EntityType::Person, &["Kofi Mensah", "Mensah"]),
    (
        "wd:Q298",
        EntityType::Country,
        &["Chile", "Republic of Chile"],
    ),
    ("wd:Q20", EntityType::Country, &["Norway"]),
    (
        "new:group:front",
        EntityType::Group,
        &["Harbor Front", "the Front"],
    ),
    (
        "new:organization:ocean-council",
        EntityType::Organization,
        &["Ocean Council"],
    ),
];
const ROLES: [&str; 3] = ["Foreign Minister", "President", "Spokesperson"];

fn sim_doc(index: usize, rng: &mut SplitMix64) -> SimDoc {
    let id = format!("d:{index:016x}");
    let date = (rng.below(3) > 0).then(|| format!("2024-0{}-1{}", 1 + rng.below(9), rng.below(9)));
    let record = DocumentRecord {
        id: id.clone(),
        source: format!("corpus/{index}.txt"),
        title: Some(format!("Title {index}")),
        date: date.clone(),
        text: (rng.below(2) == 0).then(|| format!("Text of {index}.")),
        bytes: 100 + rng.below(1000),
        sentences: 1 + rng.below(20),
        duplicate_of: None,
        extra: BTreeMap::new(),
    };
    let mut mentions = Vec::new();
    let mut per_entity: BTreeMap<&str, Entity> = BTreeMap::new();
    for k in 0..rng.below(8) as usize {
        let (entity_id, entity_type, names) = ACTORS[rng.below(ACTORS.len() as u64) as usize];
        let name = names[rng.below(names.len() as u64) as usize];
        let start = k * 20;
        mentions.push(Mention {
            doc: id.clone(),
            start,
            end: start + name.len(),
            text: name.into(),
            entity: entity_id.into(),
            kind: MentionKind::Name,
            score: 0.5 + rng.below(50) as f32 / 100.0,
        });
        let entry = per_entity.entry(entity_id).or_insert_with(|| {
            let mut e = fixture::entity(entity_id, name, entity_type);
            e.mentions = 0;
            e.aliases.clear();
            if rng.below(2) == 0 {
                e.country = Some(["CHL", "NOR"][rng.below(2) as usize].into());
            }
            e
        });
        entry.mentions += 1;
        if !entry.aliases.iter().any(|a| a == name) {
            entry.aliases.push(name.into());
        }
        if entry.name.len() < name.len() {
            entry.name = name.into();
        }
        if rng.below(3) == 0 {
            entry.roles.push(ROLES[rng.below(3) as usize].into());
        }
        if entity_type == EntityType::Person && rng.below(2) == 0 {
            entry.affiliations.push("wd:Q298".into());
        }
    }
    let present: Vec<&str> = per_entity.keys().copied().collect();
    let mut statements = Vec::new();
    let mut events = Vec::new();
    if present.len() >= 2 {
        for k in 0..rng.below(4) as usize {
            let speaker = present[rng.below(present.len() as u64) as usize];
            let target = present[rng.below(present.len() as u64) as usize];
            let stance = (rng.below(5) as f32 - 2.0) / 2.0;
            statements.push(fixture::statement(
                &format!("s:{index}:{k}"),
                &id,
                k * 50 + 5,
                speaker,
                &[(target, stance)],
                Some("111"),
                date.as_deref(),
            ));
        }
        if rng.below(2) == 0 {
            events.push(fixture::event(
                &id,
                7,
                "meet",
                &[present[0], present[1]],
                None,
                date.as_deref(),
            ));
        }
    }
    SimDoc {
        record,
        entities: per_entity.into_values().collect(),
        mentions,
        statements,
        events,
    }
}

/// What one run over these documents writes (documents sorted by id, rows by doc then
/// start, entities aggregated with the crate's rule).
fn run(docs: &[&SimDoc]) -> OutputTables {
    let mut sorted: Vec<&SimDoc> = docs.to_vec();
    sorted.sort_by(|a, b| a.record.id.cmp(&b.record.id));
    OutputTables {
        documents: sorted.iter().map(|d| d.record.clone()).collect(),
        entities: aggregate_entities(sorted.iter().flat_map(|d| d.entities.iter().cloned())),
        statements: sorted.iter().flat_map(|d| d.statements.clone()).collect(),
        events: sorted.iter().flat_map(|d| d.events.clone()).collect(),
        mentions: sorted.iter().flat_map(|d| d.mentions.clone()).collect(),
    }
}

/// A pool of documents and, for each, which of three shards hold it (bit mask).
fn corpus(seed: u64, size: usize) -> (Vec<SimDoc>, Vec<u8>) {
    let mut rng = SplitMix64(seed);
    let docs: Vec<SimDoc> = (0..size).map(|i| sim_doc(i, &mut rng)).collect();
    let masks = (0..size).map(|_| rng.below(8) as u8).collect();
    (docs, masks)
}

fn shard<'a>(docs: &'a [SimDoc], masks: &[u8], bit: u8) -> Vec<&'a SimDoc> {
    docs.iter()
        .zip(masks)
        .filter(|(_, m)| *m & bit != 0)
        .map(|(d, _)| d)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn merge_of_shard_runs_equals_run_of_union(seed in any::<u64>(), size in 0usize..12) {
        let (docs, masks) = corpus(seed, size);
        let a = shard(&docs, &masks, 1);
        let b = shard(&docs, &masks, 2);
        let c = shard(&docs, &masks, 4);
        let union_ab: Vec<&SimDoc> = docs.iter().zip(&masks).filter(|(_, m)| *m & 3 != 0).map(|(d, _)| d).collect();
        let union_abc: Vec<&SimDoc> = docs.iter().zip(&masks).filter(|(_, m)| **m != 0).map(|(d, _)| d).collect();

        let merged = merge_tables(vec![run(&a), run(&b)]);
        prop_assert_eq!(&merged, &run(&union_ab));
        prop_assert_eq!(&merge_tables(vec![run(&b), run(&a)]), &merged);

        let three = merge_tables(vec![run(&c), run(&a), run(&b)]);
        prop_assert_eq!(&three, &run(&union_abc));
        // Merging merged folders again changes nothing (associativity, idempotence).
        prop_assert_eq!(&merge_tables(vec![merged.clone(), run(&c)]), &three);
        prop_assert_eq!(&merge_tables(vec![three.clone(), run(&a)]), &three);
    }

    #[test]
    fn partial_graphs_merge_in_any_split_and_order(seed in any::<u64>(), cut in 0usize..40) {
        let corpus = fixture::synthetic(20, seed);
        let whole = {
            let mut g = PartialGraph::new();
            for s in &corpus.statements { g.add_statement(s); }
            for e in &corpus.events { g.add_event(e); }
            g
        };
        let cut = cut.min(corpus.statements.len());
        let (left, right) = corpus.statements.split_at(cut);
        let part = |statements: &[Statement], events: &[Event]| Relations {
            doc: String::new(),
            statements: statements.to_vec(),
            events: events.to_vec(),
            entities: Vec::new(),
        };
        let relations = vec![part(right, &corpus.events), part(left, &[])];
        prop_assert_eq!(&build_partial(&relations), &whole);
        let reversed = PartialGraph::from_relations(&relations[1])
            .merge(PartialGraph::from_relations(&relations[0]));
        prop_assert_eq!(&reversed, &whole);
    }
}

#[test]
fn merged_tables_give_the_same_graph_as_the_union() {
    let (docs, masks) = corpus(42, 30);
    let a = shard(&docs, &masks, 1);
    let b = shard(&docs, &masks, 2);
    let union: Vec<&SimDoc> = docs
        .iter()
        .zip(&masks)
        .filter(|(_, m)| *m & 3 != 0)
        .map(|(d, _)| d)
        .collect();
    let merged = merge_tables(vec![run(&a), run(&b)]);
    let options = ViewOptions {
        affiliations: true,
        ..ViewOptions::default()
    };
    let from_merged = merged.graph(&options).unwrap();
    let from_union = run(&union).graph(&options).unwrap();
    let render = |g: &stancegraph_graph::StanceGraph| {
        let mut out = Vec::new();
        stancegraph_graph::export(g, stancegraph_graph::Format::Json, &mut out).unwrap();
        out
    };
    assert!(from_merged.edge_count() > 0);
    assert_eq!(render(&from_merged), render(&from_union));
    let partial = merged.partial_graph();
    assert_eq!(
        build_view(&partial, &merged.entities, &options)
            .unwrap()
            .edge_count(),
        from_union.edge_count()
    );
}

#[test]
fn tables_round_trip_through_an_output_folder() {
    let (docs, _) = corpus(7, 10);
    let all: Vec<&SimDoc> = docs.iter().collect();
    let tables = run(&all);
    let dir = tempfile::tempdir().unwrap();
    write_output_tables(&tables, dir.path()).unwrap();
    let back = read_output_dir(dir.path()).unwrap();
    assert_eq!(back, tables);
    // A malformed line is reported with file and line.
    std::fs::write(dir.path().join("events.jsonl"), "\n{\"doc\": 3}\n").unwrap();
    let error = read_output_dir(dir.path()).unwrap_err().to_string();
    assert!(error.contains("events.jsonl:2"), "{error}");
    assert!(read_output_dir(&dir.path().join("missing")).is_err());
}
