//! The knowledge base as the commands see it: the embedded default plus `--kb` files
//! (TSV of the default schema or PETRARCH/TABARI `.actors`), and the `kb lookup` and
//! `kb stats` commands that let an analyst check what a name links to and the coverage.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::PathBuf;

use stancegraph_link::KnowledgeBase;

use crate::cache::fnv64;
use crate::cli::{KbArgs, KbCommand};

/// The embedded knowledge base with the user's files merged over it, and a fingerprint
/// of those files (for the cache key). Load reports go to stderr unless `quiet`.
pub fn load(files: &[PathBuf], quiet: bool) -> Result<(KnowledgeBase, String)> {
    let mut kb = KnowledgeBase::embedded().context("loading the embedded knowledge base")?;
    let mut fingerprint = String::new();
    for path in files {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read --kb {}", path.display()))?;
        fingerprint.push_str(&format!("{:016x}", fnv64(&[&bytes])));
        let report = kb
            .merge_file(path)
            .with_context(|| format!("loading --kb {}", path.display()))?;
        if !quiet {
            eprintln!(
                "stancegraph: --kb {} ({}): {} entries, {} merged into existing, {} names, {} skipped",
                path.display(),
                report.format,
                report.entries,
                report.merged,
                report.names,
                report.skipped.len()
            );
            for s in report.skipped.iter().take(5) {
                eprintln!("  skipped {s}");
            }
        }
    }
    kb.prepare();
    Ok((kb, fingerprint))
}

/// `stancegraph kb lookup NAME` and `stancegraph kb stats`.
pub fn kb(args: &KbArgs, quiet: bool) -> Result<u8> {
    let (kb, _) = load(&args.kb, quiet)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match &args.command {
        KbCommand::Lookup { name } => {
            let hits = kb.lookup(name);
            if hits.is_empty() {
                writeln!(out, "{name:?}: no knowledge-base entry (the linker may still find it in text as a new entity)")?;
                out.flush()?;
                return Ok(1);
            }
            for h in hits {
                writeln!(
                    out,
                    "{}  {} ({}{})",
                    h.id,
                    h.name,
                    h.entity_type.as_str(),
                    h.country
                        .as_deref()
                        .map(|c| format!(", {c}"))
                        .unwrap_or_default()
                )?;
                writeln!(
                    out,
                    "    matched as {} {:?} from {}",
                    h.matched_as, h.form, h.source
                )?;
                if !h.roles.is_empty() {
                    writeln!(out, "    roles: {}", h.roles.join("; "))?;
                }
                if !h.cameo.is_empty() {
                    writeln!(out, "    CAMEO: {}", h.cameo.join(", "))?;
                }
                writeln!(out, "    why: {}", h.why)?;
            }
        }
        KbCommand::Stats => {
            let stats = kb.stats();
            let total: usize = stats.iter().map(|(_, _, n)| n).sum();
            writeln!(out, "{:<14} {:<48} {:>8}", "type", "source", "entries")?;
            for (t, source, n) in stats {
                writeln!(out, "{t:<14} {source:<48} {n:>8}")?;
            }
            writeln!(out, "{:<14} {:<48} {total:>8}", "total", "")?;
        }
    }
    out.flush()?;
    Ok(0)
}
