//! `stancegraph`: the command line. Parses arguments, sets up the thread pool and
//! dispatches to the commands (`run`, `ingest`, `segment`, ...). Exit codes follow the
//! output contract: 0 all inputs processed, 3 some skipped (listed in errors.jsonl),
//! 1 or 2 when nothing could be done.

mod cache;
mod cli;
mod graph_cmd;
mod kb_cmd;
mod output;
mod pipeline;
mod promote;
mod rows;
mod run;
mod sink;

use clap::Parser;

/// The pipeline allocates many small strings (mentions, rows) on every thread; mimalloc
/// handles that pattern markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    output::set_durable(args.fsync);
    // A panic inside one document is caught and reported in errors.jsonl; keep stderr
    // to one line instead of a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("stancegraph: internal error (contained): {info}");
    }));
    if let Some(n) = args.threads {
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
        {
            eprintln!("stancegraph: cannot set up {n} threads: {e}");
            return ExitCode::from(2);
        }
    }
    match run::dispatch(&args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("stancegraph: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
