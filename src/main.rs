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

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_t`, mimalloc v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps memory the run frees mapped for reuse instead of handing it back to the system
/// after a delay (mimalloc's `purge_delay` of -1), unless `MIMALLOC_PURGE_DELAY` is set.
/// Row buffers are freed in bulk at every spill of the sorted tables and allocated again
/// straight after; returning them made the kernel zero the same memory again and again
/// (on a 1 GB corpus: 1.4 M page faults, about a tenth of the CPU time) for a peak
/// resident memory about a tenth lower.
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: `mi_option_set` stores an integer in mimalloc's option table; it takes no
    // pointer and is called once, before any other thread starts.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

fn main() -> ExitCode {
    keep_freed_memory();
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
