//! Writes every graph format of a fixture corpus into a folder, for the networkx check
//! (`scripts/check_graph.py`) and `dot -Tsvg`.
//!
//! Usage: `cargo run -p stancegraph-graph --example write_fixture -- DIR [diplomatic|hostile|synthetic] [VIEW]`

use std::path::PathBuf;
use std::process::ExitCode;

use stancegraph_graph::{build, fixture, write_all, View, ViewOptions};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: write_fixture DIR [diplomatic|hostile|synthetic] [VIEW]");
        return ExitCode::from(2);
    };
    let corpus = match args.next().as_deref() {
        None | Some("diplomatic") => fixture::diplomatic(),
        Some("hostile") => fixture::hostile(),
        Some("synthetic") => fixture::synthetic(5_000, 1),
        Some(other) => {
            eprintln!("unknown fixture {other:?}");
            return ExitCode::from(2);
        }
    };
    let view = match args.next().map(|v| v.parse::<View>()).transpose() {
        Ok(view) => view.unwrap_or_default(),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let options = ViewOptions {
        affiliations: view == View::Stance,
        ..ViewOptions::for_view(view)
    };
    let result = build(
        &corpus.entities,
        &corpus.statements,
        &corpus.events,
        &options,
    )
    .and_then(|graph| {
        write_all(&graph, &dir)?;
        Ok(graph)
    });
    match result {
        Ok(graph) => {
            println!("{} -> {}", graph.summary(), dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
