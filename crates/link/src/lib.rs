//! Entity linking: finds the actors a document names (knowledge base, new names,
//! coreference) and links each mention to one entity.
//!
//! - [`KnowledgeBase`]: the embedded default (`data/kb/*.tsv`), merged with user files
//!   (`--kb FILE`: the same TSV schema or PETRARCH/TABARI `.actors` dictionaries), with
//!   `lookup` and `stats` for the `kb` subcommands.
//! - [`Linker`]: links one segmented document; cheap to clone and shared across threads
//!   (the knowledge base and its name index sit behind an `Arc`).

mod fxhash;
mod index;
mod kb;
mod lexicon;
mod linker;
mod petrarch;
mod strmap;
mod words;

pub use kb::{strip_possessive, KbEntry, KbRole, KnowledgeBase, LoadReport, LookupHit, KB_HEADER};
pub use linker::MAX_MENTIONS;

use stancegraph_model::{Document, Entity, Linked, Segmented};
use std::sync::Arc;

/// Why the knowledge base could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("knowledge base {path}: {message}")]
    Kb { path: String, message: String },
}

/// Links documents against a shared knowledge base.
#[derive(Debug, Clone)]
pub struct Linker {
    kb: Arc<KnowledgeBase>,
    max_mentions: usize,
}

impl Linker {
    /// A linker over `kb`; builds the name index now so that threads share it.
    pub fn new(kb: Arc<KnowledgeBase>) -> Self {
        kb.prepare();
        Linker {
            kb,
            max_mentions: MAX_MENTIONS,
        }
    }

    /// Keeps at most `max` mentions per document (default [`MAX_MENTIONS`]); the rest
    /// are dropped and reported by [`Linker::link_with_report`].
    pub fn with_max_mentions(mut self, max: usize) -> Self {
        self.max_mentions = max;
        self
    }

    /// The knowledge base in use.
    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// Links one segmented document.
    pub fn link(&self, doc: &Document, segmented: &Segmented) -> Linked {
        self.link_with_report(doc, segmented).0
    }

    /// Links one document and returns warnings (e.g. mentions dropped past
    /// [`MAX_MENTIONS`]).
    pub fn link_with_report(&self, doc: &Document, segmented: &Segmented) -> (Linked, Vec<String>) {
        linker::link_document(&self.kb, doc, segmented, self.max_mentions)
    }
}

/// Merges per-document entities into the corpus entity table, sorted by id.
pub fn merge_entities<'a>(entities: impl IntoIterator<Item = &'a Entity>) -> Vec<Entity> {
    let mut by_id = std::collections::BTreeMap::<String, Entity>::new();
    for e in entities {
        match by_id.get_mut(&e.id) {
            None => {
                by_id.insert(e.id.clone(), e.clone());
            }
            Some(m) => {
                m.mentions += e.mentions;
                m.documents += e.documents;
                for (dst, src) in [
                    (&mut m.roles, &e.roles),
                    (&mut m.affiliations, &e.affiliations),
                    (&mut m.aliases, &e.aliases),
                ] {
                    for v in src {
                        if !dst.contains(v) {
                            dst.push(v.clone());
                        }
                    }
                    dst.sort();
                }
            }
        }
    }
    by_id.into_values().collect()
}
