//! Export tests: insta snapshots of every format on the invented diplomatic fixture,
//! well-formedness and round trips of hostile names, determinism across input order and
//! thread counts, and the atomic `write_all`.

use std::collections::BTreeMap;

use quick_xml::events::Event as XmlEvent;
use quick_xml::Reader;
use stancegraph_graph::fixture::{self, FixtureCorpus};
use stancegraph_graph::{
    build, build_partial, export, write_all, Format, StanceGraph, View, ViewOptions,
};
use stancegraph_model::{EntityType, Relations};

fn graph_of(corpus: &FixtureCorpus, options: &ViewOptions) -> StanceGraph {
    build(
        &corpus.entities,
        &corpus.statements,
        &corpus.events,
        options,
    )
    .unwrap()
}

fn render(graph: &StanceGraph, format: Format) -> String {
    let mut out = Vec::new();
    export(graph, format, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn diplomatic(view: View) -> StanceGraph {
    let options = ViewOptions {
        affiliations: view == View::Stance,
        ..ViewOptions::for_view(view)
    };
    graph_of(&fixture::diplomatic(), &options)
}

#[test]
fn snapshot_graphml() {
    insta::assert_snapshot!(render(&diplomatic(View::Stance), Format::Graphml));
}

#[test]
fn snapshot_gexf() {
    insta::assert_snapshot!(render(&diplomatic(View::Stance), Format::Gexf));
}

#[test]
fn snapshot_json() {
    insta::assert_snapshot!(render(&diplomatic(View::Stance), Format::Json));
}

#[test]
fn snapshot_dot() {
    insta::assert_snapshot!(render(&diplomatic(View::Stance), Format::Dot));
}

#[test]
fn snapshot_csv_nodes() {
    insta::assert_snapshot!(render(&diplomatic(View::Stance), Format::CsvNodes));
}

#[test]
fn snapshot_csv_edges() {
    insta::assert_snapshot!(render(&diplomatic(View::Stance), Format::CsvEdges));
}

#[test]
fn snapshot_congruence_conflict_events_csv() {
    let mut all = String::new();
    for view in [View::Congruence, View::Conflict, View::Events] {
        all.push_str(&format!("## {view}\n"));
        all.push_str(&render(&diplomatic(view), Format::CsvEdges));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn stance_edges_carry_aggregates() {
    let graph = diplomatic(View::Stance);
    let front = "new:group:harbor-front";
    let edge = graph.find_edge("kb:ana-ortiz", front, "stance").unwrap();
    assert_eq!(edge.weight, 2);
    assert!((edge.stance.unwrap() + 0.8).abs() < 1e-9);
    assert_eq!((edge.positive, edge.negative, edge.neutral), (0, 2, 0));
    assert_eq!(edge.codes, vec!["111"]);
    assert_eq!(edge.first_date(), Some("2024-03-04"));
    assert_eq!(edge.last_date(), Some("2024-03-06"));
    assert_eq!(edge.evidence, vec!["s:a1:1", "s:b2:5"]);
    let neutral = graph.find_edge("kb:hiro-sato", front, "stance").unwrap();
    assert_eq!(
        (neutral.positive, neutral.negative, neutral.neutral),
        (0, 0, 1)
    );
    assert!(neutral.dates.is_empty());
    let meet = graph
        .find_edge("kb:kofi-mensah", "kb:ana-ortiz", "meet")
        .unwrap();
    assert!(!meet.directed);
    assert_eq!(meet.evidence, vec!["d:00000000000000a1:10"]);
    assert!(graph
        .find_edge("kb:ana-ortiz", "wd:Q298", "affiliation")
        .is_some());
    assert_eq!(graph.node_count(), 8);
}

#[test]
fn congruence_and_conflict_follow_dna_counting() {
    let congruence = diplomatic(View::Congruence);
    let edge = congruence
        .find_edge("kb:ana-ortiz", "kb:kofi-mensah", "congruence")
        .unwrap();
    // Both negative on the group and both positive on Norway.
    assert_eq!(edge.weight, 2);
    assert_eq!(edge.evidence, vec!["new:group:harbor-front", "wd:Q20"]);
    assert!(congruence
        .find_edge("kb:ana-ortiz", "kb:hiro-sato", "congruence")
        .is_none());
    let conflict = diplomatic(View::Conflict);
    assert_eq!(conflict.edge_count(), 2);
    let edge = conflict
        .find_edge("kb:hiro-sato", "kb:kofi-mensah", "conflict")
        .unwrap();
    assert_eq!(edge.weight, 1);
    assert_eq!(edge.evidence, vec!["wd:Q20"]);
    assert!(!conflict.directed);
}

#[test]
fn filters_dates_weight_types_and_ego() {
    let corpus = fixture::diplomatic();
    let early = graph_of(
        &corpus,
        &ViewOptions {
            to: Some("2024-03-05".into()),
            ..ViewOptions::default()
        },
    );
    // Only the first document's two statements and its meeting.
    assert_eq!(early.edge_count(), 3);
    let heavy = graph_of(
        &corpus,
        &ViewOptions {
            min_weight: 2,
            ..ViewOptions::default()
        },
    );
    assert_eq!(heavy.edge_count(), 1);
    assert_eq!(heavy.node_count(), 2);
    let persons = graph_of(
        &corpus,
        &ViewOptions {
            types: vec![EntityType::Person],
            ..ViewOptions::default()
        },
    );
    assert_eq!(persons.node_count(), 3);
    assert!(persons.edges().all(|(_, _, e)| e.relation == "meet"));
    let ego = graph_of(
        &corpus,
        &ViewOptions {
            actor: Some("hiro sato".into()),
            depth: 1,
            ..ViewOptions::default()
        },
    );
    let ids: Vec<&str> = ego.nodes().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "kb:hiro-sato",
            "kb:kofi-mensah",
            "new:group:harbor-front",
            "wd:Q20"
        ]
    );
    let unknown = build(
        &corpus.entities,
        &corpus.statements,
        &corpus.events,
        &ViewOptions {
            actor: Some("Nobody".into()),
            ..ViewOptions::default()
        },
    );
    assert!(unknown.is_err());
}

#[test]
fn output_is_identical_for_any_input_order_and_thread_count() {
    let corpus = fixture::synthetic(2_000, 7);
    let per_doc = |statements: &[stancegraph_model::Statement]| {
        let mut docs: BTreeMap<String, Relations> = BTreeMap::new();
        for s in statements {
            docs.entry(s.doc.clone())
                .or_insert_with(|| Relations {
                    doc: s.doc.clone(),
                    ..Relations::default()
                })
                .statements
                .push(s.clone());
        }
        for e in &corpus.events {
            docs.entry(e.doc.clone())
                .or_insert_with(|| Relations {
                    doc: e.doc.clone(),
                    ..Relations::default()
                })
                .events
                .push(e.clone());
        }
        docs.into_values().collect::<Vec<_>>()
    };
    let render_all = |relations: &[Relations], threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let partial = build_partial(relations);
            let graph = stancegraph_graph::build_view(
                &partial,
                &corpus.entities,
                &ViewOptions {
                    affiliations: true,
                    ..ViewOptions::default()
                },
            )
            .unwrap();
            Format::ALL
                .iter()
                .map(|f| render(&graph, *f))
                .collect::<Vec<_>>()
        })
    };
    let forward = per_doc(&corpus.statements);
    let mut reversed_statements = corpus.statements.clone();
    reversed_statements.reverse();
    let mut backward = per_doc(&reversed_statements);
    backward.reverse();
    let one = render_all(&forward, 1);
    assert_eq!(one, render_all(&backward, 2));
    assert_eq!(one, render_all(&forward, 4));
}

/// Checks that an XML document parses to the end and returns every attribute value and
/// the text content of every element, unescaped.
fn xml_strings(xml: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let mut strings = Vec::new();
    let mut text = String::new();
    loop {
        match reader.read_event().unwrap() {
            XmlEvent::Eof => break,
            XmlEvent::Start(e) | XmlEvent::Empty(e) => {
                text.clear();
                for attribute in e.attributes() {
                    let attribute = attribute.unwrap();
                    let value = attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap();
                    strings.push(value.into_owned());
                }
            }
            XmlEvent::Text(t) => text.push_str(&t.xml10_content()),
            XmlEvent::GeneralRef(r) => {
                let name = r.xml10_content().into_owned();
                let resolved = match name.as_str() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => {
                        let code = other.strip_prefix('#').unwrap();
                        let value = match code.strip_prefix('x') {
                            Some(hex) => u32::from_str_radix(hex, 16).unwrap(),
                            None => code.parse().unwrap(),
                        };
                        char::from_u32(value).unwrap()
                    }
                };
                text.push(resolved);
            }
            XmlEvent::End(_) if !text.is_empty() => {
                strings.push(std::mem::take(&mut text));
            }
            _ => {}
        }
    }
    strings
}

#[test]
fn hostile_names_survive_every_format() {
    let corpus = fixture::hostile();
    let graph = graph_of(
        &corpus,
        &ViewOptions {
            affiliations: true,
            ..ViewOptions::default()
        },
    );
    assert_eq!(graph.node_count(), fixture::hostile_names().len());
    let cleaned: Vec<String> = fixture::hostile_names()
        .iter()
        .map(|n| stancegraph_graph::text::clean_text(n))
        .collect();

    for format in [Format::Graphml, Format::Gexf] {
        let xml = render(&graph, format);
        assert!(!xml.contains('\u{0}') && !xml.contains('\u{1b}'));
        let strings = xml_strings(&xml);
        // Values round-trip exactly (newlines, tabs and CR kept as references).
        for name in &cleaned {
            assert!(strings.contains(name), "{format}: lost {name:?}");
        }
    }

    let json = render(&graph, Format::Json);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let labels: Vec<&str> = value["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["label"].as_str().unwrap())
        .collect();
    for name in &cleaned {
        assert!(labels.contains(&name.as_str()));
    }

    let nodes_csv = render(&graph, Format::CsvNodes);
    let mut reader = csv::Reader::from_reader(nodes_csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), graph.node_count());
    for row in &rows {
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "unneutralised cell {cell:?}"
            );
        }
    }
    let labels: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    assert!(labels.contains(&"'=HYPERLINK(\"http://x\")"));
    assert!(labels.contains(&"line one\nline two\r\nthree\ttab"));
    let edges_csv = render(&graph, Format::CsvEdges);
    let mut reader = csv::Reader::from_reader(edges_csv.as_bytes());
    let ids: std::collections::BTreeSet<String> = rows.iter().map(|r| r[0].to_owned()).collect();
    for row in reader.records() {
        let row = row.unwrap();
        assert!(ids.contains(&row[0]) && ids.contains(&row[1]));
    }

    let dot = render(&graph, Format::Dot);
    assert!(!dot.contains('\u{0}') && !dot.contains('\u{1b}'));
    for line in dot.lines() {
        // Every quoted string is closed on its line (no raw newline inside a string).
        let unescaped_quotes = line
            .replace("\\\\", "")
            .replace("\\\"", "")
            .matches('"')
            .count();
        assert_eq!(unescaped_quotes % 2, 0, "{line}");
    }
}

#[test]
fn write_all_writes_every_file_and_leaves_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("graph");
    write_all(&diplomatic(View::Stance), &out).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            "edges.csv",
            "graph.dot",
            "graph.gexf",
            "graph.graphml",
            "graph.json",
            "nodes.csv"
        ]
    );
    let json = std::fs::read_to_string(out.join("graph.json")).unwrap();
    assert_eq!(json, render(&diplomatic(View::Stance), Format::Json));
}

#[test]
fn formats_and_views_parse_from_names() {
    assert_eq!("GraphML".parse::<Format>().unwrap(), Format::Graphml);
    assert_eq!("csv-edges".parse::<Format>().unwrap(), Format::CsvEdges);
    assert!("csv".parse::<Format>().is_err());
    assert_eq!("conflict".parse::<View>().unwrap(), View::Conflict);
    assert!("nope".parse::<View>().is_err());
    assert_eq!(
        stancegraph_graph::parse_entity_types("person, Country,person").unwrap(),
        vec![EntityType::Person, EntityType::Country]
    );
    assert!(stancegraph_graph::parse_entity_types("person,planet").is_err());
}
