//! The JSON lines of the output tables (documents, mentions, statements, events),
//! written straight into a byte buffer. The bytes are exactly what serde_json makes of the
//! model types (field order, `null`s, number formats, escapes); a test compares the two
//! on generated rows. Writing directly saves serde's per-field machinery, and strings
//! are scanned for characters to escape a machine word at a time: the rows are about
//! five times the size of the input, mostly sentences and quotations.

use stancegraph_model::{Event, Mention, MentionKind, Span, Statement};

/// One JSON object being written as a line of a table.
pub struct JsonLine<'b> {
    out: &'b mut Vec<u8>,
    first: bool,
}

/// A document id as a JSON string, escaped once for all of the document's rows.
pub struct DocMember {
    id: String,
    json: Vec<u8>,
}

impl DocMember {
    pub fn new(id: &str) -> Self {
        let mut json = Vec::with_capacity(id.len() + 2);
        write_json_string(&mut json, id);
        DocMember {
            id: id.to_owned(),
            json,
        }
    }
}

impl<'b> JsonLine<'b> {
    /// Opens an object at the end of `out`.
    #[inline(always)]
    pub fn begin(out: &'b mut Vec<u8>) -> Self {
        out.push(b'{');
        JsonLine { out, first: true }
    }

    #[inline(always)]
    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    #[inline(always)]
    pub fn str(&mut self, key: &str, value: &str) -> &mut Self {
        self.key(key);
        write_json_string(self.out, value);
        self
    }

    /// The `doc` member: copied from `doc` when `value` is its id, else escaped.
    #[inline(always)]
    pub fn doc(&mut self, doc: &DocMember, value: &str) -> &mut Self {
        if value != doc.id {
            return self.str("doc", value);
        }
        self.key("doc");
        self.out.extend_from_slice(&doc.json);
        self
    }

    /// A string known to need no escaping (a fixed name).
    #[inline(always)]
    pub fn plain_str(&mut self, key: &str, value: &'static str) -> &mut Self {
        debug_assert!(!needs_escape(value.as_bytes()));
        self.key(key);
        self.out.push(b'"');
        self.out.extend_from_slice(value.as_bytes());
        self.out.push(b'"');
        self
    }

    #[inline(always)]
    pub fn opt_str(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.str(key, v),
            None => self.null(key),
        }
    }

    #[inline(always)]
    pub fn uint(&mut self, key: &str, value: usize) -> &mut Self {
        self.key(key);
        write_uint(self.out, value);
        self
    }

    #[inline(always)]
    pub fn bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.key(key);
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
        self
    }

    /// A number as serde_json writes it: the shortest form that reads back as the same
    /// `f32` (zmij, as serde_json uses), or `null` when not finite.
    #[inline(always)]
    pub fn float(&mut self, key: &str, value: f32) -> &mut Self {
        if !value.is_finite() {
            return self.null(key);
        }
        self.key(key);
        if !write_hundredths(self.out, value) {
            let mut buffer = zmij::Buffer::new();
            self.out
                .extend_from_slice(buffer.format_finite(value).as_bytes());
        }
        self
    }

    #[inline(always)]
    pub fn span(&mut self, key: &str, value: Option<Span>) -> &mut Self {
        match value {
            Some(span) => {
                self.key(key);
                self.out.push(b'[');
                write_uint(self.out, span.start);
                self.out.push(b',');
                write_uint(self.out, span.end);
                self.out.push(b']');
                self
            }
            None => self.null(key),
        }
    }

    #[inline(always)]
    pub fn null(&mut self, key: &str) -> &mut Self {
        self.key(key);
        self.out.extend_from_slice(b"null");
        self
    }

    /// Closes the object and ends the line.
    #[inline(always)]
    pub fn end(&mut self) {
        self.out.extend_from_slice(b"}\n");
    }
}

/// Writes `value` when it is a whole number of hundredths below 1000 in magnitude (the
/// scores and stances are), as the shortest round-trip form would: the decimal with up
/// to two places that reads back as the same `f32` is the only one that short, since
/// `f32` is much finer than 0.01 there. Returns false, writing nothing, otherwise.
fn write_hundredths(out: &mut Vec<u8>, value: f32) -> bool {
    let hundredths = (value * 100.0).round();
    // The quotient is rounded once, as reading the decimal back would round it.
    if hundredths.abs() >= 100_000.0 || hundredths / 100.0 != value {
        return false;
    }
    let magnitude = hundredths.abs() as u32;
    if value.is_sign_negative() {
        out.push(b'-');
    }
    let mut buffer = itoa::Buffer::new();
    out.extend_from_slice(buffer.format(magnitude / 100).as_bytes());
    out.push(b'.');
    let (tenths, rest) = ((magnitude / 10) % 10, magnitude % 10);
    out.push(b'0' + tenths as u8);
    if rest != 0 {
        out.push(b'0' + rest as u8);
    }
    true
}

fn write_uint(out: &mut Vec<u8>, value: usize) {
    let mut buffer = itoa::Buffer::new();
    out.extend_from_slice(buffer.format(value).as_bytes());
}

/// About the length of a mention's line (exact but for escapes and numbers), to size
/// the document's buffer once.
pub fn mention_len_hint(m: &Mention) -> usize {
    80 + m.doc.len() + m.text.len() + m.entity.len()
}

/// About the length of a statement's line.
pub fn statement_len_hint(s: &Statement) -> usize {
    let optional = |o: &Option<String>| o.as_deref().map_or(0, str::len);
    let targets: usize = s.targets.iter().map(|t| 24 + t.entity.len()).sum();
    300 + s.id.len()
        + s.doc.len()
        + s.evidence.len()
        + s.speaker.len()
        + optional(&s.speaker_text)
        + optional(&s.cue)
        + s.predicate.len()
        + s.content.len()
        + optional(&s.code)
        + optional(&s.date)
        + targets
}

/// About the length of an event's line.
pub fn event_len_hint(e: &Event) -> usize {
    let optional = |o: &Option<String>| o.as_deref().map_or(0, str::len);
    let actors: usize = e.actors.iter().map(|a| 3 + a.len()).sum();
    120 + e.doc.len()
        + e.evidence.len()
        + e.event_type.len()
        + actors
        + optional(&e.place)
        + optional(&e.date)
        + optional(&e.code)
}

/// One line of mentions.jsonl.
pub fn write_mention(out: &mut Vec<u8>, doc: &DocMember, m: &Mention) {
    JsonLine::begin(out)
        .doc(doc, &m.doc)
        .uint("start", m.start)
        .uint("end", m.end)
        .str("text", &m.text)
        .str("entity", &m.entity)
        .plain_str("kind", kind_name(m.kind))
        .float("score", m.score)
        .end();
}

/// The serialised name of a mention kind (serde's lower-case variant name).
pub fn kind_name(kind: MentionKind) -> &'static str {
    match kind {
        MentionKind::Name => "name",
        MentionKind::Alias => "alias",
        MentionKind::Acronym => "acronym",
        MentionKind::Demonym => "demonym",
        MentionKind::Metonym => "metonym",
        MentionKind::Title => "title",
        MentionKind::Pronoun => "pronoun",
    }
}

/// One line of statements.jsonl.
pub fn write_statement(out: &mut Vec<u8>, doc: &DocMember, s: &Statement) {
    let mut line = JsonLine::begin(out);
    line.str("id", &s.id)
        .doc(doc, &s.doc)
        .uint("sentence", s.sentence)
        .uint("start", s.start)
        .uint("end", s.end)
        .str("evidence", &s.evidence)
        .str("speaker", &s.speaker)
        .opt_str("speaker_text", s.speaker_text.as_deref())
        .span("speaker_span", s.speaker_span)
        .opt_str("cue", s.cue.as_deref())
        .span("cue_span", s.cue_span)
        .str("predicate", &s.predicate)
        .str("content", &s.content)
        .span("content_span", Some(s.content_span))
        .bool("quote", s.quote);
    line.key("targets");
    line.out.push(b'[');
    for (i, target) in s.targets.iter().enumerate() {
        if i > 0 {
            line.out.push(b',');
        }
        let mut object = JsonLine::begin(line.out);
        object.str("entity", &target.entity);
        object.float("stance", target.stance);
        object.out.push(b'}');
    }
    line.out.push(b']');
    line.float("stance", s.stance)
        .opt_str("code", s.code.as_deref())
        .opt_str("date", s.date.as_deref())
        .end();
}

/// One line of events.jsonl.
pub fn write_event(out: &mut Vec<u8>, doc: &DocMember, e: &Event) {
    let mut line = JsonLine::begin(out);
    line.doc(doc, &e.doc)
        .uint("sentence", e.sentence)
        .uint("start", e.start)
        .uint("end", e.end)
        .str("evidence", &e.evidence)
        .str("type", &e.event_type);
    line.key("actors");
    line.out.push(b'[');
    for (i, actor) in e.actors.iter().enumerate() {
        if i > 0 {
            line.out.push(b',');
        }
        write_json_string(line.out, actor);
    }
    line.out.push(b']');
    line.opt_str("place", e.place.as_deref())
        .opt_str("date", e.date.as_deref())
        .opt_str("code", e.code.as_deref())
        .end();
}

/// How serde_json escapes a byte: 0 for none, else the letter after the backslash
/// (`u` for `\u00XX`).
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0A] = b'n';
    table[0x0C] = b'f';
    table[0x0D] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// True when one of the bytes of `chunk` is a control character, `"` or `\\`. Written
/// as a branch-free fold so that the compiler turns it into vector compares (16 bytes
/// per few instructions).
#[inline(always)]
fn chunk_needs_escape(chunk: &[u8; ESCAPE_CHUNK]) -> bool {
    let mut flags = 0u8;
    for &byte in chunk {
        flags |= u8::from(byte < 0x20) | u8::from(byte == b'"') | u8::from(byte == b'\\');
    }
    flags != 0
}

/// Bytes tested at a time by [`chunk_needs_escape`].
const ESCAPE_CHUNK: usize = 16;

/// True when some byte of `bytes` must be escaped: whole chunks, then the tail padded
/// with spaces, all through the vector test.
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(ESCAPE_CHUNK);
    for chunk in chunks.by_ref() {
        let flagged = <&[u8; ESCAPE_CHUNK]>::try_from(chunk).map_or(true, chunk_needs_escape);
        if flagged {
            return true;
        }
    }
    let tail = chunks.remainder();
    let mut padded = [b' '; ESCAPE_CHUNK];
    padded[..tail.len()].copy_from_slice(tail);
    chunk_needs_escape(&padded)
}

/// `value` as a JSON string, escaped as serde_json does.
pub fn write_json_string(out: &mut Vec<u8>, value: &str) {
    let bytes = value.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    if needs_escape(bytes) {
        write_escaped(out, bytes);
    } else {
        out.extend_from_slice(bytes);
    }
    out.push(b'"');
}

/// The bytes with each one that must be escaped written as serde_json writes it (the
/// rare path: most strings have nothing to escape).
#[cold]
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut copied = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let letter = ESCAPE[byte as usize];
        if letter == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[copied..at]);
        match letter {
            b'u' => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xF)],
            ]),
            letter => out.extend_from_slice(&[b'\\', letter]),
        }
        copied = at + 1;
    }
    out.extend_from_slice(&bytes[copied..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;
    use stancegraph_model::Target;

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z \"\\\\]{0,40}",
            "\\PC{0,30}",
            any::<String>(),
            "[\u{0}-\u{1f}\"\\\\é€😀 x]{0,24}",
        ]
    }

    fn opt_text() -> impl Strategy<Value = Option<String>> {
        prop::option::of(text())
    }

    fn span() -> impl Strategy<Value = Span> {
        (0usize..100_000, 0usize..100_000).prop_map(|(a, b)| Span::new(a.min(b), a.max(b)))
    }

    fn float() -> impl Strategy<Value = f32> {
        prop_oneof![
            -1.0f32..1.0,
            any::<f32>(),
            Just(0.0),
            Just(-0.0),
            Just(f32::NAN),
            Just(1e-7)
        ]
    }

    fn serde_line<T: Serialize>(value: &T) -> Vec<u8> {
        let mut line = serde_json::to_vec(value).unwrap();
        line.push(b'\n');
        line
    }

    proptest! {
        #[test]
        fn floats_are_written_as_serde_json_writes_them(
            value in prop_oneof![
                any::<f32>(),
                (-100_000i32..100_000).prop_map(|v| v as f32),
                Just(-0.0f32),
            ],
            hundredths in -120_000i32..120_000,
        ) {
            for v in [value, hundredths as f32 / 100.0, -(hundredths as f32) / 100.0] {
                let mut ours = Vec::new();
                JsonLine::begin(&mut ours).float("x", v).end();
                let expected = format!("{{\"x\":{}}}\n", serde_json::to_string(&v).unwrap());
                prop_assert_eq!(String::from_utf8(ours).unwrap(), expected);
            }
        }

        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(s in text()) {
            let mut ours = Vec::new();
            write_json_string(&mut ours, &s);
            prop_assert_eq!(ours, serde_json::to_vec(&s).unwrap());
        }

        #[test]
        fn mention_lines_equal_serde_json(
            doc in text(), text_ in text(), entity in text(), start in 0usize..1 << 40,
            end in 0usize..1 << 40, kind in 0usize..7, score in float()
        ) {
            let kinds = [MentionKind::Name, MentionKind::Alias, MentionKind::Acronym,
                MentionKind::Demonym, MentionKind::Metonym, MentionKind::Title, MentionKind::Pronoun];
            let m = Mention { doc, start, end, text: text_, entity, kind: kinds[kind], score };
            // The document's own id (copied member) and another one (escaped).
            let mut ours = Vec::new();
            write_mention(&mut ours, &DocMember::new(&m.doc), &m);
            let mut other = Vec::new();
            write_mention(&mut other, &DocMember::new("d:other"), &m);
            prop_assert_eq!(&ours, &other);
            prop_assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(serde_line(&m)).unwrap());
        }

        #[test]
        fn statement_lines_equal_serde_json(
            strings in prop::collection::vec(text(), 6),
            options in prop::collection::vec(opt_text(), 4),
            spans in (prop::option::of(span()), prop::option::of(span()), span()),
            numbers in (0usize..1000, 0usize..1 << 20, 0usize..1 << 20),
            quote in any::<bool>(),
            targets in prop::collection::vec((text(), float()), 0..3),
            stance in float(),
        ) {
            let s = Statement {
                id: strings[0].clone(),
                doc: strings[1].clone(),
                sentence: numbers.0,
                start: numbers.1,
                end: numbers.2,
                evidence: strings[2].clone(),
                speaker: strings[3].clone(),
                speaker_text: options[0].clone(),
                speaker_span: spans.0,
                cue: options[1].clone(),
                cue_span: spans.1,
                predicate: strings[4].clone(),
                content: strings[5].clone(),
                content_span: spans.2,
                quote,
                targets: targets.into_iter().map(|(entity, stance)| Target { entity, stance }).collect(),
                stance,
                code: options[2].clone(),
                date: options[3].clone(),
            };
            // The document's own id (copied member) and another one (escaped).
            let mut ours = Vec::new();
            write_statement(&mut ours, &DocMember::new(&s.doc), &s);
            let mut other = Vec::new();
            write_statement(&mut other, &DocMember::new("d:other"), &s);
            prop_assert_eq!(&ours, &other);
            prop_assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(serde_line(&s)).unwrap());
        }

        #[test]
        fn event_lines_equal_serde_json(
            strings in prop::collection::vec(text(), 3),
            options in prop::collection::vec(opt_text(), 3),
            actors in prop::collection::vec(text(), 0..4),
            numbers in (0usize..1000, 0usize..1 << 20, 0usize..1 << 20),
        ) {
            let e = Event {
                doc: strings[0].clone(),
                sentence: numbers.0,
                start: numbers.1,
                end: numbers.2,
                evidence: strings[1].clone(),
                event_type: strings[2].clone(),
                actors,
                place: options[0].clone(),
                date: options[1].clone(),
                code: options[2].clone(),
            };
            // The document's own id (copied member) and another one (escaped).
            let mut ours = Vec::new();
            write_event(&mut ours, &DocMember::new(&e.doc), &e);
            let mut other = Vec::new();
            write_event(&mut other, &DocMember::new("d:other"), &e);
            prop_assert_eq!(&ours, &other);
            prop_assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(serde_line(&e).to_vec()).unwrap());
        }
    }

    #[test]
    fn escape_scan_finds_hits_in_every_position_of_a_chunk_and_tail() {
        for len in 0..40 {
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    assert!(needs_escape(&bytes), "len {len} at {at}");
                }
                let clean = vec![0xC3u8; len];
                assert!(!needs_escape(&clean));
            }
        }
        // Bytes just above the escaped range are not escaped.
        assert!(!needs_escape(b" !#$%&'()*+,-./[]^_`{|}~\x7f"));
    }
}
