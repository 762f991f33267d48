//! Ingest: turns input files (txt, html, json, jsonl, csv/tsv, any of them gzipped) into
//! normalised [`Document`]s, reporting every unreadable input or record as an
//! [`ErrorRecord`] (stage `ingest`) without stopping the others.
//!
//! The normalised text is NFC, has LF line breaks only, no zero-width or bidi-control
//! characters, single spaces, trimmed lines, and paragraphs separated by exactly one blank
//! line (`"\n\n"`). When a title is found it is the first paragraph of the text. Site
//! boilerplate is removed (see `data/ingest/boilerplate.txt`).
//!
//! Formats are chosen by file extension (`.txt`, `.html`/`.htm`/`.xhtml`, `.json`,
//! `.jsonl`/`.ndjson`, `.csv`, `.tsv`, each optionally `.gz`); other names are sniffed
//! (gzip magic, HTML markup, JSON, else plain text). Multi-document files name each record
//! `path#N`: the record number for JSON arrays and CSV rows (1-based), the line number for
//! JSON Lines.

mod boilerplate;
pub mod date;
mod encoding;
mod flat_json;
mod headline;
pub mod html;
mod normalize;
pub mod records;

pub use date::parse_date;
pub use headline::looks_like_headline;

use records::{Record, RecordResult};
use stancegraph_model::{Document, ErrorRecord};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// The stage name written into error records.
pub const STAGE: &str = "ingest";

/// Options that steer how records are read.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// JSON/CSV field holding the body text (default: text|body|content|article).
    /// JSON accepts a dotted path (`data.body`).
    pub text_field: Option<String>,
    /// JSON/CSV field holding the title (default: title|headline).
    pub title_field: Option<String>,
    /// JSON/CSV field holding the date (default: date|published|published_at|
    /// publish_date|datePublished).
    pub date_field: Option<String>,
    /// Documents larger than this many bytes are refused with an error (default 64 MiB).
    /// For single-document files (txt, html) this is the file size.
    pub max_document_bytes: usize,
    /// Whole inputs larger than this are refused (default 1 GiB); it bounds multi-record
    /// files (json, jsonl, csv) and decompressed gzip data.
    pub max_input_bytes: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            text_field: None,
            title_field: None,
            date_field: None,
            max_document_bytes: 64 * 1024 * 1024,
            max_input_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// Why an input or record could not be ingested. The message is meant for a person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error("binary file ({0})")]
    Binary(String),
    #[error("unsupported encoding: {0}")]
    UnsupportedEncoding(String),
    #[error("empty document")]
    Empty,
    #[error("document is {} ({size} bytes), larger than the limit of {} ({limit} bytes, max_document_bytes)", human(*.size), human(*.limit))]
    DocumentTooLarge { size: u64, limit: u64 },
    #[error("input is {} ({size} bytes), larger than the limit of {} ({limit} bytes, max_input_bytes)", human(*.size), human(*.limit))]
    InputTooLarge { size: u64, limit: u64 },
    #[error("invalid gzip data: {0}")]
    Gzip(String),
    #[error("{0}")]
    Record(String),
    #[error("{0}")]
    Io(String),
    #[error("is a directory")]
    IsDirectory,
    #[error("internal error while reading this input: {0}")]
    Internal(String),
}

/// A byte count for people: `512 bytes`, `1.5 KiB`, `64 MiB`.
fn human(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
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

impl Ingested {
    fn error(source: &str, e: IngestError) -> Self {
        Ingested {
            documents: vec![],
            errors: vec![ErrorRecord::new(source, STAGE, e.to_string())],
        }
    }
}

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Json,
    Jsonl,
    Csv,
    Tsv,
}

impl Format {
    /// Formats whose file holds many documents.
    pub fn is_multi_record(self) -> bool {
        matches!(
            self,
            Format::Json | Format::Jsonl | Format::Csv | Format::Tsv
        )
    }
}

/// The format a file name announces, and whether it is gzipped. `None`: sniff the content.
pub fn format_for_name(name: &str) -> (Option<Format>, bool) {
    let file = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    let (inner, gz) = match file.strip_suffix(".gz") {
        Some(inner) => (inner.to_string(), true),
        None => (file, false),
    };
    let ext = match inner.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext,
        _ => return (None, gz),
    };
    let format = match ext {
        "txt" | "text" | "md" => Format::Text,
        "html" | "htm" | "xhtml" | "shtml" => Format::Html,
        "json" => Format::Json,
        "jsonl" | "ndjson" | "jsonlines" => Format::Jsonl,
        "csv" => Format::Csv,
        "tsv" | "tab" => Format::Tsv,
        _ => return (None, gz),
    };
    (Some(format), gz)
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Expands files and directories (recursive, sorted, hidden entries inside directories
/// skipped, symlink loops cut by tracking visited canonical directories) into the list
/// of inputs to read. `-` stands for standard input.
pub fn list_inputs(inputs: &[PathBuf]) -> (Vec<InputSource>, Vec<ErrorRecord>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut visited: HashSet<PathBuf> = HashSet::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push(InputSource::Stdin);
            continue;
        }
        match std::fs::metadata(input) {
            Ok(meta) if meta.is_dir() => walk(input, &mut visited, &mut out, &mut errors),
            Ok(_) => out.push(InputSource::File(input.clone())),
            Err(e) => errors.push(ErrorRecord::new(
                input.display().to_string(),
                STAGE,
                io_message(&e),
            )),
        }
    }
    (out, errors)
}

/// Depth-first, sorted walk without recursion.
fn walk(
    root: &Path,
    visited: &mut HashSet<PathBuf>,
    out: &mut Vec<InputSource>,
    errors: &mut Vec<ErrorRecord>,
) {
    let mut stack: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                errors.push(ErrorRecord::new(
                    path.display().to_string(),
                    STAGE,
                    io_message(&e),
                ));
                continue;
            }
        };
        if !meta.is_dir() {
            out.push(InputSource::File(path));
            continue;
        }
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if !visited.insert(canonical) {
            continue; // already walked: a symlink loop or a second link to it
        }
        let entries = match std::fs::read_dir(&path) {
            Ok(rd) => rd,
            Err(e) => {
                errors.push(ErrorRecord::new(
                    path.display().to_string(),
                    STAGE,
                    io_message(&e),
                ));
                continue;
            }
        };
        let mut children: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path())
            .collect();
        children.sort();
        stack.extend(children.into_iter().rev());
    }
}

/// Reads one input into documents. Never panics: an unexpected failure becomes an error.
pub fn read_input(source: &InputSource, options: &IngestOptions) -> Ingested {
    let name = source.name();
    match catch_unwind(AssertUnwindSafe(|| {
        read_input_inner(source, &name, options)
    })) {
        Ok(ingested) => ingested,
        Err(panic) => Ingested::error(&name, IngestError::Internal(panic_message(&panic))),
    }
}

fn read_input_inner(source: &InputSource, name: &str, options: &IngestOptions) -> Ingested {
    let (format, gz) = format_for_name(name);
    let bytes = match source {
        InputSource::File(path) => {
            let meta = match std::fs::metadata(path) {
                Ok(m) => m,
                Err(e) => return Ingested::error(name, IngestError::Io(io_message(&e))),
            };
            if meta.is_dir() {
                return Ingested::error(name, IngestError::IsDirectory);
            }
            let size = meta.len();
            let single = format.is_some_and(|f| !f.is_multi_record()) && !gz;
            if single && size > options.max_document_bytes as u64 {
                return Ingested::error(
                    name,
                    IngestError::DocumentTooLarge {
                        size,
                        limit: options.max_document_bytes as u64,
                    },
                );
            }
            if size > options.max_input_bytes as u64 {
                return Ingested::error(
                    name,
                    IngestError::InputTooLarge {
                        size,
                        limit: options.max_input_bytes as u64,
                    },
                );
            }
            match std::fs::File::open(path)
                .and_then(|f| read_file_limited(f, options.max_input_bytes))
            {
                Ok(b) => b,
                Err(e) => return Ingested::error(name, IngestError::Io(io_message(&e))),
            }
        }
        InputSource::Stdin => {
            match read_limited(std::io::stdin().lock(), options.max_input_bytes) {
                Ok(b) => b,
                Err(e) => return Ingested::error(name, IngestError::Io(io_message(&e))),
            }
        }
    };
    if bytes.len() > options.max_input_bytes {
        return Ingested::error(
            name,
            IngestError::InputTooLarge {
                size: bytes.len() as u64,
                limit: options.max_input_bytes as u64,
            },
        );
    }
    ingest_bytes(name, &bytes, options)
}

/// Reads at most `limit + 1` bytes (one more than allowed, to detect an overflow).
fn read_limited(reader: impl Read, limit: usize) -> std::io::Result<Vec<u8>> {
    read_limited_into(reader, limit, Vec::new())
}

/// [`read_limited`] for a file: the buffer is sized once from the file's length (as far
/// as the limit allows) instead of doubling as it fills, which on a large input touched
/// fresh memory at every step.
fn read_file_limited(file: std::fs::File, limit: usize) -> std::io::Result<Vec<u8>> {
    let expected = file
        .metadata()
        .map(|m| usize::try_from(m.len()).unwrap_or(usize::MAX))
        .unwrap_or(0);
    // One byte more than the file, so that reading to its end needs no growth.
    let capacity = expected.min(limit).saturating_add(1);
    read_limited_into(file, limit, Vec::with_capacity(capacity))
}

fn read_limited_into(
    reader: impl Read,
    limit: usize,
    mut buf: Vec<u8>,
) -> std::io::Result<Vec<u8>> {
    reader
        .take((limit as u64).saturating_add(1))
        .read_to_end(&mut buf)?;
    Ok(buf)
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Decompresses gzip data (all members), refusing more than `limit` bytes of output.
fn gunzip(bytes: &[u8], limit: usize) -> Result<Vec<u8>, IngestError> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take((limit as u64).saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| IngestError::Gzip(e.to_string()))?;
    if out.len() > limit {
        return Err(IngestError::InputTooLarge {
            size: out.len() as u64,
            limit: limit as u64,
        });
    }
    Ok(out)
}

/// Reads the bytes of one input named `source` (its extension picks the format; other
/// names are sniffed). Never panics.
pub fn ingest_bytes(source: &str, bytes: &[u8], options: &IngestOptions) -> Ingested {
    match catch_unwind(AssertUnwindSafe(|| {
        ingest_bytes_inner(source, bytes, options)
    })) {
        Ok(ingested) => ingested,
        Err(panic) => Ingested::error(source, IngestError::Internal(panic_message(&panic))),
    }
}

fn ingest_bytes_inner(source: &str, bytes: &[u8], options: &IngestOptions) -> Ingested {
    let (mut format, gz) = format_for_name(source);
    let mut data: Cow<[u8]> = Cow::Borrowed(bytes);
    // Gzip by name or by magic; nested gzip is unwrapped a few levels deep.
    let mut layers = 0;
    while (layers == 0 && gz) || encoding::is_gzip(&data) {
        if layers == 3 {
            return Ingested::error(source, IngestError::Gzip("nested too deeply".into()));
        }
        let limit = match format {
            Some(f) if !f.is_multi_record() => options.max_document_bytes,
            _ => options.max_input_bytes,
        };
        match gunzip(&data, limit) {
            Ok(d) => data = Cow::Owned(d),
            Err(IngestError::InputTooLarge { size, limit })
                if format.is_some_and(|f| !f.is_multi_record()) =>
            {
                return Ingested::error(source, IngestError::DocumentTooLarge { size, limit })
            }
            Err(e) => return Ingested::error(source, e),
        }
        layers += 1;
    }
    let size = data.len() as u64;
    if format.is_some_and(|f| !f.is_multi_record()) && size > options.max_document_bytes as u64 {
        let limit = options.max_document_bytes as u64;
        return Ingested::error(source, IngestError::DocumentTooLarge { size, limit });
    }
    if size > options.max_input_bytes as u64 {
        let limit = options.max_input_bytes as u64;
        return Ingested::error(source, IngestError::InputTooLarge { size, limit });
    }
    let text = match encoding::decode(&data, format.is_none() || format == Some(Format::Html)) {
        Ok(t) => t,
        Err(e) => return Ingested::error(source, e),
    };
    if text
        .chars()
        .all(|c| c.is_whitespace() || c.is_control() || normalize::is_removed_char(c))
    {
        return Ingested::error(source, IngestError::Empty);
    }
    let format = *format.get_or_insert_with(|| sniff(&text));
    if format != Format::Text
        && !format.is_multi_record()
        && text.len() as u64 > options.max_document_bytes as u64
    {
        let (size, limit) = (text.len() as u64, options.max_document_bytes as u64);
        return Ingested::error(source, IngestError::DocumentTooLarge { size, limit });
    }
    let mut out = Ingested::default();
    let mut push = |source: &str, r: Result<Document, IngestError>| match r {
        Ok(d) => out.documents.push(d),
        Err(e) => out
            .errors
            .push(ErrorRecord::new(source, STAGE, e.to_string())),
    };
    match format {
        Format::Text => push(source, text_document(source, &text, options)),
        Format::Html => push(source, html_document(source, &text, options)),
        Format::Json | Format::Jsonl | Format::Csv | Format::Tsv => {
            let recs: Vec<RecordResult> = match format {
                Format::Json => records::json_records(source, &text, options),
                Format::Jsonl => records::jsonl_records(source, &text, options),
                Format::Csv => records::csv_records(source, &text, b',', options),
                _ => records::csv_records(source, &text, b'\t', options),
            };
            if recs.is_empty() {
                return Ingested::error(source, IngestError::Record("no records in file".into()));
            }
            for rec in recs {
                match rec {
                    Ok(rec) => {
                        let name = rec.source.clone();
                        push(&name, record_document(rec, options));
                    }
                    Err((name, e)) => push(&name, Err(e)),
                }
            }
            assign_ids(&mut out.documents);
        }
    }
    out
}

/// Picks a format for content whose name says nothing: HTML, JSON, JSON Lines or text.
fn sniff(text: &str) -> Format {
    if html::looks_like_html(text) {
        return Format::Html;
    }
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if serde_json::from_str::<serde_json::Value>(trimmed).is_ok() {
            return Format::Json;
        }
        let first_line = trimmed.split('\n').next().unwrap_or("");
        if matches!(
            serde_json::from_str::<serde_json::Value>(first_line),
            Ok(serde_json::Value::Object(_))
        ) {
            return Format::Jsonl;
        }
    }
    Format::Text
}

/// A plain-text document: optional headline on the first line, then paragraphs.
fn text_document(
    source: &str,
    text: &str,
    options: &IngestOptions,
) -> Result<Document, IngestError> {
    let norm = normalize::normalize_block(text);
    if norm.is_empty() {
        return Err(IngestError::Empty);
    }
    let blank_separated = normalize::has_blank_lines(&norm);
    let (first_line, rest) = norm.split_once('\n').unwrap_or((norm.as_str(), ""));
    // The first line stands alone (a headline candidate) when a blank line follows it,
    // when every line is a paragraph, or when the next line clearly starts anew.
    let stands_alone = !blank_separated
        || rest.is_empty()
        || rest.starts_with('\n')
        || headline::headline_before_line(first_line, rest.split('\n').next().unwrap_or(""));
    let mut paragraphs = if stands_alone {
        let mut v = vec![first_line.to_string()];
        v.extend(normalize::paragraphs(
            rest.trim_start_matches('\n'),
            blank_separated,
        ));
        v
    } else {
        normalize::paragraphs(&norm, blank_separated)
    };
    boilerplate::remove_anywhere(&mut paragraphs);
    // A first line that is only a date ("December 2, 2020") dates the document; it is
    // kept in the text but is no headline.
    let date = paragraphs
        .first()
        .filter(|first| stands_alone && first.len() <= 40 && first.split(' ').count() <= 6)
        .and_then(|first| parse_date(first));
    let title = match paragraphs.first() {
        Some(first)
            if stands_alone
                && date.is_none()
                && first == first_line
                && paragraphs.len() > 1
                && headline::looks_like_headline(first) =>
        {
            Some(paragraphs.remove(0))
        }
        _ => None,
    };
    boilerplate::trim_trailing(&mut paragraphs);
    finish(source.to_string(), title, date, paragraphs, options)
}

/// An HTML page: main-text paragraphs, title and date from the markup.
fn html_document(
    source: &str,
    text: &str,
    options: &IngestOptions,
) -> Result<Document, IngestError> {
    let page = html::extract(text);
    let mut paragraphs = page.paragraphs;
    boilerplate::remove_anywhere(&mut paragraphs);
    boilerplate::trim_trailing(&mut paragraphs);
    let date = page.date.as_deref().and_then(parse_date);
    finish(source.to_string(), page.title, date, paragraphs, options)
}

/// One JSON/CSV record: its body may be plain text or HTML. The id is left empty (see
/// [`assign_ids`]).
fn record_document(rec: Record, options: &IngestOptions) -> Result<Document, IngestError> {
    let size = rec.body.len() as u64;
    if size > options.max_document_bytes as u64 {
        let limit = options.max_document_bytes as u64;
        return Err(IngestError::DocumentTooLarge { size, limit });
    }
    if html::looks_like_html(&rec.body) {
        let page = html::extract(&rec.body);
        let date = rec
            .date
            .or_else(|| page.date.as_deref().and_then(parse_date));
        let mut paragraphs = page.paragraphs;
        boilerplate::remove_anywhere(&mut paragraphs);
        boilerplate::trim_trailing(&mut paragraphs);
        return assemble(
            rec.source,
            rec.title.or(page.title),
            date,
            paragraphs,
            options,
        );
    }
    let norm = normalize::normalize_block(&rec.body);
    if let Some(mut paragraphs) = normalize::one_line_paragraphs(&norm) {
        // Every paragraph is one line of the normalised text: they are looked at in
        // place, and the text is the normalised text itself when all of them stay.
        let count = paragraphs.len();
        boilerplate::remove_anywhere(&mut paragraphs);
        boilerplate::trim_trailing(&mut paragraphs);
        if paragraphs.len() == count {
            drop(paragraphs);
            return assemble_whole(rec.source, rec.title, rec.date, norm, options);
        }
        return assemble(rec.source, rec.title, rec.date, paragraphs, options);
    }
    let blank = normalize::has_blank_lines(&norm);
    let mut paragraphs = normalize::paragraphs(&norm, blank);
    boilerplate::remove_anywhere(&mut paragraphs);
    boilerplate::trim_trailing(&mut paragraphs);
    assemble(rec.source, rec.title, rec.date, paragraphs, options)
}

/// Joins title and paragraphs into the document text and computes its id.
fn finish(
    source: String,
    title: Option<String>,
    date: Option<String>,
    paragraphs: Vec<String>,
    options: &IngestOptions,
) -> Result<Document, IngestError> {
    let mut document = assemble(source, title, date, paragraphs, options)?;
    document.id = document_id(&document.text);
    Ok(document)
}

/// The normalised title, `None` when it is empty.
fn normalized_title(title: Option<String>) -> Option<String> {
    title
        .map(normalize::normalize_inline_owned)
        .filter(|t| !t.is_empty())
}

/// Joins title and paragraphs into the document text; the id is left empty (see
/// [`assign_ids`]).
fn assemble<P: AsRef<str>>(
    source: String,
    title: Option<String>,
    date: Option<String>,
    paragraphs: Vec<P>,
    options: &IngestOptions,
) -> Result<Document, IngestError> {
    let title = normalized_title(title);
    let mut parts: &[P] = &paragraphs;
    if let (Some(t), Some(first)) = (&title, parts.first()) {
        if t == first.as_ref() {
            parts = parts.get(1..).unwrap_or(&[]);
        }
    }
    let capacity = title
        .iter()
        .map(String::len)
        .chain(parts.iter().map(|p| p.as_ref().len()))
        .map(|len| len + 2)
        .sum();
    let mut text = String::with_capacity(capacity);
    for part in title
        .iter()
        .map(String::as_str)
        .chain(parts.iter().map(P::as_ref))
    {
        if part.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(part);
    }
    finish_assembly(source, title, date, text, options)
}

/// [`assemble`] for paragraphs that make up `whole`, a normalised text whose paragraphs
/// are its lines separated by blank lines ([`normalize::one_line_paragraphs`]): the same
/// document, reusing `whole` as the text when the title adds nothing.
fn assemble_whole(
    source: String,
    title: Option<String>,
    date: Option<String>,
    whole: String,
    options: &IngestOptions,
) -> Result<Document, IngestError> {
    let title = normalized_title(title);
    let first = memchr::memmem::find(whole.as_bytes(), b"\n\n")
        .and_then(|at| whole.get(..at))
        .unwrap_or(&whole);
    let text = match &title {
        // A title equal to the first paragraph is that paragraph; an empty text has no
        // paragraphs to follow the title.
        Some(t) if t != first && !whole.is_empty() => {
            let mut text = String::with_capacity(t.len() + 2 + whole.len());
            text.push_str(t);
            text.push_str("\n\n");
            text.push_str(&whole);
            text
        }
        Some(t) if whole.is_empty() => t.clone(),
        _ => whole,
    };
    finish_assembly(source, title, date, text, options)
}

/// The document of an assembled text, or why there is none.
fn finish_assembly(
    source: String,
    title: Option<String>,
    date: Option<String>,
    text: String,
    options: &IngestOptions,
) -> Result<Document, IngestError> {
    if text.is_empty() {
        return Err(IngestError::Empty);
    }
    if text.len() > options.max_document_bytes {
        return Err(IngestError::DocumentTooLarge {
            size: text.len() as u64,
            limit: options.max_document_bytes as u64,
        });
    }
    Ok(Document {
        id: String::new(),
        source,
        title,
        date,
        text,
        duplicate_of: None,
    })
}

const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a 64 over bytes, continuing from `h` (eight bytes a step where it can).
fn fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut block = [0u8; 8];
        block.copy_from_slice(chunk);
        for b in block {
            h ^= u64::from(b);
            h = h.wrapping_mul(FNV_PRIME);
        }
    }
    for b in chunks.remainder() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// The stable id of a normalised text: `d:` + 16 hex digits of FNV-1a 64 over its UTF-8
/// bytes (the same on every run and platform).
pub fn document_id(text: &str) -> String {
    id_string(fnv1a(FNV_OFFSET, text.as_bytes()))
}

/// `d:` + the 16 lowercase hex digits of `hash` (what `format!("d:{hash:016x}")` gives).
fn id_string(hash: u64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(18);
    id.push_str("d:");
    for shift in (0..16).rev() {
        id.push(char::from(HEX[((hash >> (shift * 4)) & 0xF) as usize]));
    }
    id
}

/// How many texts [`fnv1a_many`] hashes side by side.
const LANES: usize = 4;

/// FNV-1a 64 of each text, the same values as [`fnv1a`] from [`FNV_OFFSET`]. Each hash is
/// a chain of multiplications that cannot be shortened, so four texts are hashed side by
/// side: their chains overlap in the processor. A lane that finishes its text takes the
/// next one.
fn fnv1a_many(texts: &[&[u8]]) -> Vec<u64> {
    let mut hashes = vec![FNV_OFFSET; texts.len()];
    // Per lane: (text index, bytes hashed so far).
    let mut lanes: [Option<(usize, usize)>; LANES] = [None; LANES];
    let mut next = 0;
    loop {
        // Give every lane whose text is done (or that has none) the next text.
        for lane in lanes.iter_mut() {
            while lane.is_none_or(|(t, pos)| texts.get(t).is_none_or(|b| pos >= b.len())) {
                if next < texts.len() {
                    *lane = Some((next, 0));
                    next += 1;
                } else {
                    *lane = None;
                    break;
                }
            }
        }
        let busy: Vec<(usize, usize)> = lanes.iter().flatten().copied().collect();
        let [(t0, p0), (t1, p1), (t2, p2), (t3, p3)] = busy[..] else {
            // Fewer than four texts left: finish them one by one.
            for (t, pos) in busy {
                if let (Some(h), Some(rest)) = (hashes.get(t).copied(), texts[t].get(pos..)) {
                    hashes[t] = fnv1a(h, rest);
                }
            }
            return hashes;
        };
        let rests = [
            texts[t0].get(p0..).unwrap_or(&[]),
            texts[t1].get(p1..).unwrap_or(&[]),
            texts[t2].get(p2..).unwrap_or(&[]),
            texts[t3].get(p3..).unwrap_or(&[]),
        ];
        let step = rests.iter().map(|r| r.len()).min().unwrap_or(0);
        let (mut h0, mut h1, mut h2, mut h3) = (hashes[t0], hashes[t1], hashes[t2], hashes[t3]);
        // Eight bytes of each text a round (fixed-size blocks: no bounds checks, no loop
        // test per byte), then the last few bytes one at a time.
        let (blocks0, tail0) = rests[0][..step].as_chunks::<8>();
        let (blocks1, tail1) = rests[1][..step].as_chunks::<8>();
        let (blocks2, tail2) = rests[2][..step].as_chunks::<8>();
        let (blocks3, tail3) = rests[3][..step].as_chunks::<8>();
        let blocks = blocks0.iter().zip(blocks1).zip(blocks2).zip(blocks3);
        for (((c0, c1), c2), c3) in blocks {
            for k in 0..8 {
                h0 = (h0 ^ u64::from(c0[k])).wrapping_mul(FNV_PRIME);
                h1 = (h1 ^ u64::from(c1[k])).wrapping_mul(FNV_PRIME);
                h2 = (h2 ^ u64::from(c2[k])).wrapping_mul(FNV_PRIME);
                h3 = (h3 ^ u64::from(c3[k])).wrapping_mul(FNV_PRIME);
            }
        }
        let quads = tail0.iter().zip(tail1).zip(tail2).zip(tail3);
        for (((&b0, &b1), &b2), &b3) in quads {
            h0 = (h0 ^ u64::from(b0)).wrapping_mul(FNV_PRIME);
            h1 = (h1 ^ u64::from(b1)).wrapping_mul(FNV_PRIME);
            h2 = (h2 ^ u64::from(b2)).wrapping_mul(FNV_PRIME);
            h3 = (h3 ^ u64::from(b3)).wrapping_mul(FNV_PRIME);
        }
        (hashes[t0], hashes[t1], hashes[t2], hashes[t3]) = (h0, h1, h2, h3);
        for lane in lanes.iter_mut().flatten() {
            lane.1 += step;
        }
    }
}

/// Sets the id of every document from its text (as [`document_id`] does, four at a time).
fn assign_ids(documents: &mut [Document]) {
    let texts: Vec<&[u8]> = documents.iter().map(|d| d.text.as_bytes()).collect();
    let hashes = fnv1a_many(&texts);
    for (document, hash) in documents.iter_mut().zip(hashes) {
        document.id = id_string(hash);
    }
}

/// For each byte: its lowercase form when it is an ASCII letter or digit, else 0.
const ASCII_KEY_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() {
            table[i] = b.to_ascii_lowercase();
        }
        i += 1;
    }
    table
};

/// For each pair of ASCII bytes read as a little-endian `u16`: their folded form (the
/// kept bytes in order, low byte first) in the low 16 bits and how many bytes are kept
/// (0 to 2) above. Pairs with a non-ASCII byte are never looked up.
static ASCII_KEY_PAIRS: [u32; 1 << 16] = {
    let mut table = [0u32; 1 << 16];
    let mut pair = 0;
    while pair < (1 << 16) {
        let first = ASCII_KEY_BYTES[pair & 0xFF] as u32;
        let second = ASCII_KEY_BYTES[pair >> 8] as u32;
        table[pair] = match (first != 0, second != 0) {
            (true, true) => first | second << 8 | 2 << 16,
            (true, false) => first | 1 << 16,
            (false, true) => second | 1 << 16,
            (false, false) => 0,
        };
        pair += 1;
    }
    table
};

/// Writes the folded forms of eight ASCII bytes at the start of `slots` and returns how
/// many there are: each pair of bytes is written (two bytes) at the next free slot, and
/// the slot advances only past kept bytes, so that no byte needs a branch.
#[inline(always)]
fn fold_ascii_chunk(chunk: &[u8; 8], slots: &mut [u8; 10]) -> usize {
    let word = u64::from_le_bytes(*chunk);
    let mut kept = 0;
    for shift in [0, 16, 32, 48] {
        let entry = ASCII_KEY_PAIRS[usize::from((word >> shift) as u16)];
        // `kept <= 6` here, so `& 7` changes nothing (and spares the bounds checks).
        let at = kept & 7;
        slots[at] = entry as u8;
        slots[at + 1] = (entry >> 8) as u8;
        kept += (entry >> 16) as usize;
    }
    kept
}

/// Room a block fold may write into: any `u8` offset and the byte after it, so that the
/// slot stores need no bounds tests.
const BLOCK_SLOTS: usize = 258;

/// [`fold_ascii_chunk`] for sixteen ASCII bytes, writing at the start of `slots`: one
/// bounds test and one loop round for twice the bytes, each pair read straight from
/// memory, and the count kept in a `u8` (at most 16) that indexes the slots unchecked.
#[inline(always)]
fn fold_ascii_block(block: &[u8; 16], slots: &mut [u8; BLOCK_SLOTS]) -> usize {
    let mut kept: u8 = 0;
    for pair in block.as_chunks::<2>().0 {
        let entry = ASCII_KEY_PAIRS[usize::from(u16::from_le_bytes(*pair))];
        let at = usize::from(kept);
        slots[at] = entry as u8;
        slots[at + 1] = (entry >> 8) as u8;
        kept = kept.wrapping_add((entry >> 16) as u8);
    }
    usize::from(kept)
}

/// Writes the folded form of `text` at the start of `out` and returns its length (the
/// bytes after it are scratch room): its alphanumeric characters, lower-cased (ASCII
/// letters and digits as bytes, other characters as the UTF-8 of their lowercase forms);
/// everything else is left out. Texts with the same folded form differ only in case,
/// spacing or punctuation.
fn fold_alphanumeric(text: &str, out: &mut Vec<u8>) -> usize {
    let bytes = text.as_bytes();
    // ASCII bytes are written into spare room without a branch per byte: `n` advances
    // only past the bytes that are kept. The room always holds the rest of the input
    // and `BLOCK_SLOTS` bytes more (ASCII never writes more bytes than it reads), and the ASCII
    // loops work on a plain slice so that nothing is reloaded after each byte store.
    // The room is only ever written before it is read: what an earlier text left there
    // needs no clearing.
    if out.len() < bytes.len() + BLOCK_SLOTS {
        out.resize(bytes.len() + BLOCK_SLOTS, 0);
    }
    let mut n = 0;
    let mut i = 0;
    while i < bytes.len() {
        let room = out.as_mut_slice();
        while let (Some(block), Some(slots)) = (
            bytes
                .get(i..i + 16)
                .and_then(|c| <&[u8; 16]>::try_from(c).ok()),
            room.get_mut(n..n + BLOCK_SLOTS)
                .and_then(|r| <&mut [u8; BLOCK_SLOTS]>::try_from(r).ok()),
        ) {
            if block.iter().fold(0, |any, &b| any | b) & 0x80 != 0 {
                break;
            }
            n += fold_ascii_block(block, slots);
            i += 16;
        }
        while let (Some(chunk), Some(slots)) = (
            bytes
                .get(i..i + 8)
                .and_then(|c| <&[u8; 8]>::try_from(c).ok()),
            room.get_mut(n..n + 10)
                .and_then(|r| <&mut [u8; 10]>::try_from(r).ok()),
        ) {
            if u64::from_ne_bytes(*chunk) & 0x8080_8080_8080_8080 != 0 {
                break;
            }
            n += fold_ascii_chunk(chunk, slots);
            i += 8;
        }
        while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii()) {
            let key = ASCII_KEY_BYTES[usize::from(b)];
            if let Some(slot) = room.get_mut(n) {
                *slot = key;
            }
            n += usize::from(key != 0);
            i += 1;
        }
        let Some(&b) = bytes.get(i) else {
            break;
        };
        // U+2010..=U+2027 (dashes, curly quotes, bullets, the ellipsis): punctuation, not
        // alphanumeric; skipped without a Unicode table lookup.
        if b == 0xE2 && matches!(bytes.get(i + 1..i + 3), Some([0x80, 0x90..=0xA7])) {
            i += 3;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        if c.is_alphanumeric() {
            let mut buf = [0u8; 4];
            for lc in c.to_lowercase() {
                let encoded = lc.encode_utf8(&mut buf).as_bytes();
                // A lower-case form may be longer than the character: keep the room.
                let needed = n + encoded.len() + (bytes.len() - i) + BLOCK_SLOTS;
                if out.len() < needed {
                    out.resize(needed, 0);
                }
                if let Some(slots) = out.get_mut(n..n + encoded.len()) {
                    slots.copy_from_slice(encoded);
                }
                n += encoded.len();
            }
        }
    }
    n
}

/// The 64x64 -> 128-bit multiply folded to 64 bits (the mixing step of wyhash).
#[inline]
fn fold_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// A fixed (seedless, the same on every run and platform) 64-bit hash of a byte string,
/// sixteen bytes a step.
fn hash_bytes(bytes: &[u8]) -> u64 {
    const SECRET: [u64; 4] = [
        0xa076_1d64_78bd_642f,
        0xe703_7ed1_a0b4_28db,
        0x8ebc_6af0_9c88_c6e3,
        0x5899_65cc_7537_4cc3,
    ];
    let mut h = SECRET[0];
    let halves = |block: &[u8; 16]| {
        let (low, high) = block.split_at(8);
        let mut words = ([0u8; 8], [0u8; 8]);
        words.0.copy_from_slice(low);
        words.1.copy_from_slice(high);
        (u64::from_le_bytes(words.0), u64::from_le_bytes(words.1))
    };
    // Whole blocks as they stand (no copy, no bounds test per block), then the tail
    // zero-padded.
    let (blocks, tail) = bytes.as_chunks::<16>();
    for block in blocks {
        let (a, b) = halves(block);
        h = fold_multiply(a ^ SECRET[1], b ^ h);
    }
    let mut last = [0u8; 16];
    last[..tail.len()].copy_from_slice(tail);
    let (a, b) = halves(&last);
    h = fold_multiply(a ^ SECRET[2], b ^ h);
    // The length tells a zero-padded tail from real zero bytes.
    fold_multiply(h ^ SECRET[3], bytes.len() as u64 ^ SECRET[1])
}

/// A fast, fixed hasher for the duplicate tracker's maps, whose keys are document ids
/// and near-duplicate keys (already hashes): [`hash_bytes`] of what is written.
#[derive(Debug, Default, Clone, Copy)]
struct QuickHasher(u64);

impl Hasher for QuickHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fold_multiply(self.0 ^ hash_bytes(bytes), 0x9E37_79B9_7F4A_7C15);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = fold_multiply(self.0 ^ n, 0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A key that ignores case, spacing and punctuation: texts that differ only in those
/// are near-duplicates. It is a hash of the folded text ([`fold_alphanumeric`]), written
/// at the start of `scratch`.
fn near_duplicate_key(text: &str, scratch: &mut Vec<u8>) -> u64 {
    let folded = fold_alphanumeric(text, scratch);
    hash_bytes(scratch.get(..folded).unwrap_or(&[]))
}

/// Marks duplicates, in the given order. A later document with exactly the same text as
/// an earlier one gets `duplicate_of` = the earlier id and a new distinct id (derived
/// stably from that id and a counter, still `d:` + 16 hex). A later document whose text
/// differs only in case, spacing or punctuation keeps its id and gets `duplicate_of`.
pub fn mark_duplicates(documents: &mut [Document]) {
    DuplicateTracker::default().mark(documents);
}

/// [`mark_duplicates`] across batches: a corpus read as a stream is marked batch by
/// batch, in input order, with the same result as marking it all at once.
#[derive(Debug, Default)]
pub struct DuplicateTracker {
    /// Every id handed out so far.
    taken: HashSet<String, BuildHasherDefault<QuickHasher>>,
    /// Text id -> copies seen after the first.
    copies: HashMap<String, u64, BuildHasherDefault<QuickHasher>>,
    /// Near-duplicate key -> id of the first document with it.
    first_by_key: HashMap<u64, String, BuildHasherDefault<QuickHasher>>,
    /// Reused room for the folded text of the near-duplicate key.
    scratch: Vec<u8>,
}

impl DuplicateTracker {
    /// Marks the next batch of documents.
    pub fn mark(&mut self, documents: &mut [Document]) {
        self.taken.extend(documents.iter().map(|d| d.id.clone()));
        for document in documents.iter_mut() {
            let id = document.id.clone();
            let key = near_duplicate_key(&document.text, &mut self.scratch);
            match self.copies.get_mut(&id) {
                Some(copies) => {
                    // Same id: the same normalised text (the id is its hash).
                    let new_id = loop {
                        *copies += 1;
                        let candidate = format!(
                            "d:{:016x}",
                            fnv1a(FNV_OFFSET, format!("{id}#{copies}").as_bytes())
                        );
                        if !self.taken.contains(&candidate) {
                            break candidate;
                        }
                    };
                    self.taken.insert(new_id.clone());
                    document.id = new_id;
                    document.duplicate_of = Some(id);
                }
                None => {
                    self.copies.insert(id, 0);
                    if let Some(first) = self.first_by_key.get(&key) {
                        if document.duplicate_of.is_none() {
                            document.duplicate_of = Some(first.clone());
                        }
                    }
                }
            }
            self.first_by_key
                .entry(key)
                .or_insert_with(|| document.id.clone());
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod hash_tests {
    use super::*;
    use proptest::prelude::*;

    fn reference_fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    }

    /// The folded text, character by character.
    fn reference_folded(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let mut buf = [0u8; 4];
        for c in text.chars() {
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    out.push(c.to_ascii_lowercase() as u8);
                }
            } else if c.is_alphanumeric() {
                for lc in c.to_lowercase() {
                    out.extend_from_slice(lc.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        out
    }

    fn reference_near_duplicate_key(text: &str) -> u64 {
        hash_bytes(&reference_folded(text))
    }

    fn key(text: &str) -> u64 {
        near_duplicate_key(text, &mut Vec::new())
    }

    #[test]
    fn near_duplicate_keys_ignore_case_spacing_and_punctuation() {
        let mut scratch = vec![7u8; 3];
        let a = near_duplicate_key("The Minister said: “No!” — twice.", &mut scratch);
        let b = near_duplicate_key("the minister   said no twice", &mut scratch);
        let c = near_duplicate_key("the minister said no thrice", &mut scratch);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            reference_folded("Ünïcode İs, OK"),
            "ünïcodei\u{307}sok".as_bytes()
        );
        assert_eq!(key("Ünïcode İs, OK"), key("ÜNÏCODE İS OK"));
        assert_ne!(key(""), key("a"));
        assert_ne!(key("ab"), key("ba"));
        assert_eq!(key("ab"), key("a\u{0}b"));
    }

    #[test]
    fn folded_pairs_are_the_folded_bytes() {
        for first in 0..0x80u8 {
            for second in 0..0x80u8 {
                let entry = ASCII_KEY_PAIRS[usize::from(u16::from_le_bytes([first, second]))];
                let count = (entry >> 16) as usize;
                let bytes = [entry as u8, (entry >> 8) as u8];
                let text = String::from_utf8(vec![first, second]).unwrap();
                assert_eq!(&bytes[..count], reference_folded(&text), "{first} {second}");
            }
        }
        // Sixteen- and eight-byte steps among byte-by-byte tails, at every offset, with
        // non-ASCII characters in between.
        let text = "Ab, c-D 9z!Q ".repeat(5);
        for start in 0..13 {
            assert_eq!(
                key(&text[start..]),
                reference_near_duplicate_key(&text[start..])
            );
        }
        let text = "Ab, c-D 9z!Q É xY—Σ zz ".repeat(5);
        for start in (0..text.len()).filter(|&at| text.is_char_boundary(at)) {
            assert_eq!(
                key(&text[start..]),
                reference_near_duplicate_key(&text[start..])
            );
        }
    }

    /// `hash_bytes` as first written (a copy of every block): the values must not change.
    fn reference_hash_bytes(bytes: &[u8]) -> u64 {
        const SECRET: [u64; 4] = [
            0xa076_1d64_78bd_642f,
            0xe703_7ed1_a0b4_28db,
            0x8ebc_6af0_9c88_c6e3,
            0x5899_65cc_7537_4cc3,
        ];
        let halves = |chunk: &[u8]| {
            let mut block = [0u8; 16];
            block[..chunk.len()].copy_from_slice(chunk);
            (
                u64::from_le_bytes(block[..8].try_into().unwrap()),
                u64::from_le_bytes(block[8..].try_into().unwrap()),
            )
        };
        let mut h = SECRET[0];
        let mut chunks = bytes.chunks_exact(16);
        for chunk in &mut chunks {
            let (a, b) = halves(chunk);
            h = fold_multiply(a ^ SECRET[1], b ^ h);
        }
        let (a, b) = halves(chunks.remainder());
        h = fold_multiply(a ^ SECRET[2], b ^ h);
        fold_multiply(h ^ SECRET[3], bytes.len() as u64 ^ SECRET[1])
    }

    #[test]
    fn hash_bytes_keeps_its_values() {
        let bytes: Vec<u8> = (0..100u8).map(|b| b.wrapping_mul(37)).collect();
        for len in 0..bytes.len() {
            assert_eq!(
                hash_bytes(&bytes[..len]),
                reference_hash_bytes(&bytes[..len])
            );
        }
    }

    #[test]
    fn hash_bytes_tells_lengths_and_tails_apart() {
        let inputs: Vec<Vec<u8>> = (0..40).map(|n| vec![0u8; n]).collect();
        let mut hashes: Vec<u64> = inputs.iter().map(|v| hash_bytes(v)).collect();
        hashes.extend((1..=255u8).map(|b| hash_bytes(&[b; 17])));
        let count = hashes.len();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), count);
    }

    #[test]
    fn general_punctuation_is_not_alphanumeric() {
        for c in '\u{2010}'..='\u{2027}' {
            assert!(!c.is_alphanumeric(), "{c:?}");
        }
        let text = "“Quoted” — text… ‘with’ marks • and ‥ dots ‧";
        assert_eq!(key(text), reference_near_duplicate_key(text));
    }

    #[test]
    fn side_by_side_hashes_match_one_by_one() {
        let texts: Vec<String> = (0..23)
            .map(|n| "abcdefghij".repeat(n % 7) + &"é".repeat(n % 3))
            .collect();
        for count in 0..texts.len() {
            let slices: Vec<&[u8]> = texts[..count].iter().map(|t| t.as_bytes()).collect();
            let expected: Vec<u64> = slices.iter().map(|t| fnv1a(FNV_OFFSET, t)).collect();
            assert_eq!(fnv1a_many(&slices), expected, "{count}");
        }
        for hash in [0, 1, 0xabcdef, u64::MAX, 0x85944171f73967e8] {
            assert_eq!(id_string(hash), format!("d:{hash:016x}"));
        }
    }

    #[test]
    fn known_fnv1a_values() {
        assert_eq!(fnv1a(FNV_OFFSET, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(document_id("foobar"), "d:85944171f73967e8");
    }

    proptest! {
        #[test]
        fn hashes_match_the_byte_by_byte_definition(text in any::<String>()) {
            prop_assert_eq!(fnv1a(FNV_OFFSET, text.as_bytes()), reference_fnv1a(FNV_OFFSET, text.as_bytes()));
            prop_assert_eq!(key(&text), reference_near_duplicate_key(&text));
        }

        #[test]
        fn side_by_side_hashes_match_on_any_texts(texts in proptest::collection::vec(any::<String>(), 0..12)) {
            let slices: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
            let expected: Vec<u64> = slices.iter().map(|t| reference_fnv1a(FNV_OFFSET, t)).collect();
            prop_assert_eq!(fnv1a_many(&slices), expected);
        }

        #[test]
        fn near_duplicate_key_matches_on_mixed_text(text in "[a-zA-Z0-9 ,.!“”’éÉΣßİ\n\u{2010}-\u{202A}]{0,80}") {
            prop_assert_eq!(key(&text), reference_near_duplicate_key(&text));
        }

        #[test]
        fn reused_scratch_room_gives_the_same_keys(
            texts in proptest::collection::vec("[a-zA-Z0-9 ,.!“”’éÉΣßİ\n]{0,70}", 0..8)
        ) {
            // What a longer earlier text left in the room must not leak into a key.
            let mut scratch = Vec::new();
            for text in &texts {
                prop_assert_eq!(
                    near_duplicate_key(text, &mut scratch),
                    reference_near_duplicate_key(text)
                );
            }
        }
    }
}
