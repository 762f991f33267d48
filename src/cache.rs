//! The incremental cache (`--cache DIR`): each document's stage results stored with the
//! bincode codec, keyed by the document (source, title, date, text), the pipeline
//! fingerprint (stage code and embedded data, from build.rs) and the user knowledge-base
//! files, so a rerun processes only new or changed documents.

use std::fs;
use std::path::{Path, PathBuf};

use stancegraph_model::{codec, Document, Processed};

use crate::output::write_atomic;

/// The fingerprint of this build's code and embedded data.
pub const PIPELINE_HASH: &str = env!("STANCEGRAPH_PIPELINE_HASH");

/// 64-bit FNV-1a over several fields, with separators.
pub fn fnv64(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.iter().chain(std::iter::once(&0xffu8)) {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// A folder of cached per-document results.
pub struct Cache {
    dir: PathBuf,
    salt: String,
}

impl Cache {
    /// `salt` folds in what else changes results (user knowledge-base files).
    pub fn open(dir: &Path, salt: &str) -> std::io::Result<Self> {
        fs::create_dir_all(dir)?;
        Ok(Cache {
            dir: dir.to_path_buf(),
            salt: format!("{}:{}:{}", env!("CARGO_PKG_VERSION"), PIPELINE_HASH, salt),
        })
    }

    fn path(&self, doc: &Document) -> PathBuf {
        let key = fnv64(&[
            self.salt.as_bytes(),
            doc.id.as_bytes(),
            doc.source.as_bytes(),
            doc.title.as_deref().unwrap_or("").as_bytes(),
            doc.date.as_deref().unwrap_or("").as_bytes(),
            doc.duplicate_of.as_deref().unwrap_or("").as_bytes(),
            doc.text.as_bytes(),
        ]);
        self.dir
            .join(format!("{:02x}", key >> 56))
            .join(format!("{key:016x}.sg"))
    }

    /// The cached result of this document, if any (a corrupt entry counts as a miss).
    pub fn get(&self, doc: &Document) -> Option<Processed> {
        let bytes = fs::read(self.path(doc)).ok()?;
        let p: Processed = codec::decode(&bytes).ok()?;
        (p.document == *doc).then_some(p)
    }

    /// Stores a result; failures only cost a recomputation next time.
    pub fn put(&self, p: &Processed) {
        let path = self.path(&p.document);
        if let Some(parent) = path.parent() {
            let _ = fs::create_dir_all(parent);
        }
        if let Ok(bytes) = codec::encode(p) {
            let _ = write_atomic(&path, &bytes);
        }
    }
}
