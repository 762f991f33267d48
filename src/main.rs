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
static GLOBAL: Mimalloc = Mimalloc;

/// Alignment every `mi_malloc` block has whatever its size: a machine word (blocks of
/// 16 bytes and more are not all 16-aligned, since size classes such as 24 or 40 bytes
/// exist).
const PLAIN_ALIGNMENT: usize = std::mem::size_of::<usize>();

/// mimalloc through its plain entry points whenever the layout's alignment is one that
/// every block has: the `mimalloc` crate sends every request through the aligned ones,
/// whose checks cost on each of the pipeline's millions of small allocations, and which
/// take a slower path for blocks above the small sizes.
struct Mimalloc;

/// True when a block from the plain entry points is aligned enough for `layout`.
fn plain_alignment_suffices(layout: std::alloc::Layout) -> bool {
    layout.align() <= PLAIN_ALIGNMENT
}

// SAFETY: every method forwards to mimalloc, whose blocks are valid for the requested size;
// the plain entry points are used only when their guaranteed alignment covers the layout's,
// and every block is freed by `mi_free`, which accepts blocks from either family.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        if plain_alignment_suffices(layout) {
            libmimalloc_sys::mi_malloc(layout.size()).cast()
        } else {
            libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        if plain_alignment_suffices(layout) {
            libmimalloc_sys::mi_zalloc(layout.size()).cast()
        } else {
            libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        libmimalloc_sys::mi_free(ptr.cast());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // The alignment stays that of `layout`, so it alone decides the entry point.
        if plain_alignment_suffices(layout) {
            libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast()
        } else {
            libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
        }
    }
}
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::{GlobalAlloc, Layout};

    #[test]
    fn every_layout_gets_an_aligned_block_that_keeps_its_bytes() {
        for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1usize, 3, 8, 15, 16, 24, 40, 100, 1000, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: the layouts have a non-zero size; each block is written within its
                // size and freed once with its layout.
                unsafe {
                    let zeroed = GLOBAL.alloc_zeroed(layout);
                    assert_eq!(zeroed as usize % align, 0, "zeroed {size}/{align}");
                    assert!((0..size).all(|i| *zeroed.add(i) == 0));
                    GLOBAL.dealloc(zeroed, layout);
                    let block = GLOBAL.alloc(layout);
                    assert_eq!(block as usize % align, 0, "{size}/{align}");
                    for i in 0..size {
                        *block.add(i) = (i % 251) as u8;
                    }
                    let grown = GLOBAL.realloc(block, layout, size * 3);
                    assert_eq!(grown as usize % align, 0, "grown {size}/{align}");
                    assert!((0..size).all(|i| *grown.add(i) == (i % 251) as u8));
                    GLOBAL.dealloc(grown, Layout::from_size_align(size * 3, align).unwrap());
                }
            }
        }
    }
}
