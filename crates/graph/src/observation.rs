//! Compact observations: one statement target or one event pair on an edge, stored in
//! 32 bytes when its strings have the pipeline's usual shapes, with a boxed fallback
//! that keeps any other strings exactly.
//!
//! The usual shapes are a document id `d:` + 16 lowercase hex digits (kept as a `u64`),
//! a statement id `s:<the same hex>:<n>:<start>` or an event label `<doc>:<start>`
//! (kept as the number `n` and a flag), a date `YYYY-MM-DD` (kept as the number
//! `YYYYMMDD + 1`, 0 meaning none) and a code of at most four ASCII characters without
//! NUL (kept zero-padded). Every encoding preserves the order of the original strings, so
//! observations sort exactly as the tuple `(doc, start, label, stance, date, code)` of
//! strings would; anything else is stored as strings and compared as strings. The
//! encoding is canonical (the same strings always give the same representation), so
//! derived equality is equality of the strings.

use std::cmp::Ordering;

/// Stance millionths meaning "no stance" (below every valid value, as `None` < `Some`).
const NO_STANCE: i32 = i32::MIN;

/// The longest text a [`Text`] decodes into without borrowing: `s:` + 16 hex + two
/// 9-digit numbers and separators (38 bytes), or `d:` + 16 hex + `:` + a 10-digit start.
const INLINE_TEXT: usize = 40;

/// A decoded string: either borrowed from a fallback or written into a small buffer.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a> {
    repr: TextRepr<'a>,
}

#[derive(Debug, Clone, Copy)]
enum TextRepr<'a> {
    Borrowed(&'a str),
    Inline { bytes: [u8; INLINE_TEXT], len: u8 },
}

impl<'a> Text<'a> {
    fn borrowed(text: &'a str) -> Self {
        Text {
            repr: TextRepr::Borrowed(text),
        }
    }

    /// Text made of ASCII pieces (callers stay within [`INLINE_TEXT`] bytes).
    fn ascii(pieces: &[&[u8]]) -> Self {
        let mut bytes = [0u8; INLINE_TEXT];
        let mut len = 0;
        for piece in pieces {
            let end = (len + piece.len()).min(INLINE_TEXT);
            let take = end - len;
            bytes[len..end].copy_from_slice(&piece[..take]);
            len = end;
        }
        Text {
            repr: TextRepr::Inline {
                bytes,
                len: len as u8,
            },
        }
    }

    /// The string.
    pub fn as_str(&self) -> &str {
        match &self.repr {
            TextRepr::Borrowed(text) => text,
            // Only ASCII is ever written inline, so this never falls back.
            TextRepr::Inline { bytes, len } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
        }
    }
}

/// Writes `value` in decimal into `buffer`, returning the digits.
fn decimal(value: u64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut at = buffer.len();
    let mut rest = value;
    loop {
        at -= 1;
        buffer[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    &buffer[at..]
}

/// Writes `value` as 16 lowercase hex digits.
fn hex16(value: u64) -> [u8; 16] {
    let mut out = [0u8; 16];
    for (i, byte) in out.iter_mut().enumerate() {
        let nibble = ((value >> (60 - 4 * i)) & 0xf) as u8;
        *byte = if nibble < 10 {
            b'0' + nibble
        } else {
            b'a' + nibble - 10
        };
    }
    out
}

/// The number of `d:` + exactly 16 lowercase hex digits.
fn parse_hex_doc(doc: &str) -> Option<u64> {
    let hex = doc.strip_prefix("d:")?.as_bytes();
    if hex.len() != 16 {
        return None;
    }
    let mut value = 0u64;
    for &b in hex {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        value = (value << 4) | u64::from(digit);
    }
    Some(value)
}

/// The number of a canonical decimal: 1 to 9 digits, no leading zero unless `0`.
fn parse_decimal(text: &str) -> Option<u32> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 9 || (bytes.len() > 1 && bytes[0] == b'0') {
        return None;
    }
    let mut value = 0u32;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        // At most 9 digits: below 10^9, no overflow.
        value = value * 10 + u32::from(b - b'0');
    }
    Some(value)
}

/// `YYYY-MM-DD` (any digits) as `YYYYMMDD + 1`.
fn parse_date(date: &str) -> Option<u32> {
    let bytes = date.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let mut value = 0u32;
    for (i, &b) in bytes.iter().enumerate() {
        if i == 4 || i == 7 {
            continue;
        }
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    Some(value + 1)
}

/// A code of at most four ASCII characters without NUL, zero-padded (so that byte
/// order is string order).
fn parse_code(code: &str) -> Option<[u8; 4]> {
    if code.len() > 4 || !code.bytes().all(|b| b != 0 && b.is_ascii()) {
        return None;
    }
    let mut out = [0u8; 4];
    out[..code.len()].copy_from_slice(code.as_bytes());
    Some(out)
}

/// The common case, 32 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packed {
    doc: u64,
    start: u32,
    /// The middle number of a statement id `s:<hex>:<cue>:<start>`.
    cue: u32,
    stance: i32,
    /// `YYYYMMDD + 1`, 0 when undated.
    date: u32,
    code: [u8; 4],
    /// The label is a statement id (else it is `<doc>:<start>`).
    statement_label: bool,
    has_code: bool,
}

/// Anything else, as strings.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Spilled {
    doc: Box<str>,
    start: usize,
    label: Box<str>,
    stance: i32,
    date: Option<Box<str>>,
    code: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Repr {
    Packed(Packed),
    Spilled(Box<Spilled>),
}

/// How the evidence label of an observation is given.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Label<'a> {
    /// A statement id.
    Statement(&'a str),
    /// `<doc>:<start>`, the label of an event.
    DocStart,
}

/// One statement target or one event seen on an edge, with its evidence key
/// (document, start, label). Ordered by `(doc, start, label, stance, date, code)` as
/// strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    repr: Repr,
}

impl Observation {
    /// An observation; `stance_micros` must lie in [-1e6, 1e6] (see
    /// [`crate::partial`]'s conversion) when present.
    pub(crate) fn new(
        doc: &str,
        start: usize,
        label: Label<'_>,
        stance_micros: Option<i64>,
        date: Option<&str>,
        code: Option<&str>,
    ) -> Self {
        let stance = stance_micros.map_or(NO_STANCE, |m| m.clamp(-1_000_000, 1_000_000) as i32);
        if let Some(packed) = Self::pack(doc, start, label, stance, date, code) {
            return Observation {
                repr: Repr::Packed(packed),
            };
        }
        let label: Box<str> = match label {
            Label::Statement(id) => id.into(),
            Label::DocStart => format!("{doc}:{start}").into(),
        };
        Observation {
            repr: Repr::Spilled(Box::new(Spilled {
                doc: doc.into(),
                start,
                label,
                stance,
                date: date.map(Box::from),
                code: code.map(Box::from),
            })),
        }
    }

    fn pack(
        doc: &str,
        start: usize,
        label: Label<'_>,
        stance: i32,
        date: Option<&str>,
        code: Option<&str>,
    ) -> Option<Packed> {
        let doc_number = parse_hex_doc(doc)?;
        let start_number = u32::try_from(start).ok()?;
        let (statement_label, cue) = match label {
            Label::DocStart => (false, 0),
            Label::Statement(id) => Self::pack_statement_label(doc, start_number, id)?,
        };
        let date = match date {
            None => 0,
            Some(d) => parse_date(d)?,
        };
        let (has_code, code) = match code {
            None => (false, [0; 4]),
            Some(c) => (true, parse_code(c)?),
        };
        Some(Packed {
            doc: doc_number,
            start: start_number,
            cue,
            stance,
            date,
            code,
            statement_label,
            has_code,
        })
    }

    /// `(true, cue)` for `s:<doc hex>:<cue>:<start>`, `(false, 0)` for `<doc>:<start>`
    /// (so that the same label always gets the same representation), else `None`.
    fn pack_statement_label(doc: &str, start: u32, id: &str) -> Option<(bool, u32)> {
        if let Some(rest) = id.strip_prefix(doc) {
            let tail = rest.strip_prefix(':')?;
            return (parse_decimal(tail)? == start).then_some((false, 0));
        }
        let rest = id.strip_prefix("s:")?.strip_prefix(doc.get(2..)?)?;
        let (cue, tail) = rest.strip_prefix(':')?.split_once(':')?;
        let cue = parse_decimal(cue)?;
        (parse_decimal(tail)? == start).then_some((true, cue))
    }

    /// The same observation with another stance (in millionths, as for [`Self::new`]).
    pub(crate) fn with_stance_micros(&self, stance_micros: Option<i64>) -> Self {
        let stance = stance_micros.map_or(NO_STANCE, |m| m.clamp(-1_000_000, 1_000_000) as i32);
        let mut observation = self.clone();
        match &mut observation.repr {
            Repr::Packed(p) => p.stance = stance,
            Repr::Spilled(s) => s.stance = stance,
        }
        observation
    }

    /// The document id.
    pub fn doc(&self) -> Text<'_> {
        match &self.repr {
            Repr::Packed(p) => Text::ascii(&[b"d:", &hex16(p.doc)]),
            Repr::Spilled(s) => Text::borrowed(&s.doc),
        }
    }

    /// The start offset of the statement or event.
    pub fn start(&self) -> usize {
        match &self.repr {
            Repr::Packed(p) => p.start as usize,
            Repr::Spilled(s) => s.start,
        }
    }

    /// The evidence label: the statement id, or `doc:start` for an event.
    pub fn label(&self) -> Text<'_> {
        match &self.repr {
            Repr::Packed(p) => {
                let hex = hex16(p.doc);
                let mut start_buffer = [0u8; 20];
                let start = decimal(u64::from(p.start), &mut start_buffer);
                if p.statement_label {
                    let mut cue_buffer = [0u8; 20];
                    let cue = decimal(u64::from(p.cue), &mut cue_buffer);
                    Text::ascii(&[b"s:", &hex, b":", cue, b":", start])
                } else {
                    Text::ascii(&[b"d:", &hex, b":", start])
                }
            }
            Repr::Spilled(s) => Text::borrowed(&s.label),
        }
    }

    /// The stance toward the target in millionths; `None` for events.
    pub fn stance_micros(&self) -> Option<i64> {
        let stance = match &self.repr {
            Repr::Packed(p) => p.stance,
            Repr::Spilled(s) => s.stance,
        };
        (stance != NO_STANCE).then_some(i64::from(stance))
    }

    /// The date, if any.
    pub fn date(&self) -> Option<Text<'_>> {
        match &self.repr {
            Repr::Packed(p) => {
                let value = p.date.checked_sub(1)?;
                let digits = format_date_digits(value);
                Some(Text::ascii(&[
                    &digits[..4],
                    b"-",
                    &digits[4..6],
                    b"-",
                    &digits[6..],
                ]))
            }
            Repr::Spilled(s) => s.date.as_deref().map(Text::borrowed),
        }
    }

    /// The CAMEO code, if any.
    pub fn code(&self) -> Option<Text<'_>> {
        match &self.repr {
            Repr::Packed(p) => {
                if !p.has_code {
                    return None;
                }
                let len = p.code.iter().position(|&b| b == 0).unwrap_or(4);
                Some(Text::ascii(&[&p.code[..len]]))
            }
            Repr::Spilled(s) => s.code.as_deref().map(Text::borrowed),
        }
    }

    /// Compares the evidence keys `(doc, start, label)` as strings.
    pub fn cmp_evidence(&self, other: &Self) -> Ordering {
        if let (Repr::Packed(a), Repr::Packed(b)) = (&self.repr, &other.repr) {
            return a.doc.cmp(&b.doc).then(a.start.cmp(&b.start)).then_with(|| {
                if (a.statement_label, a.cue) == (b.statement_label, b.cue) {
                    Ordering::Equal
                } else {
                    self.label().as_str().cmp(other.label().as_str())
                }
            });
        }
        self.doc()
            .as_str()
            .cmp(other.doc().as_str())
            .then(self.start().cmp(&other.start()))
            .then_with(|| self.label().as_str().cmp(other.label().as_str()))
    }

    /// Compares what was observed: `(stance, date, code)`, `None` first.
    fn cmp_content(&self, other: &Self) -> Ordering {
        if let (Repr::Packed(a), Repr::Packed(b)) = (&self.repr, &other.repr) {
            return a
                .stance
                .cmp(&b.stance)
                .then(a.date.cmp(&b.date))
                .then((a.has_code, a.code).cmp(&(b.has_code, b.code)));
        }
        self.stance_micros()
            .cmp(&other.stance_micros())
            .then_with(|| {
                let (a, b) = (self.date(), other.date());
                a.as_ref()
                    .map(Text::as_str)
                    .cmp(&b.as_ref().map(Text::as_str))
            })
            .then_with(|| {
                let (a, b) = (self.code(), other.code());
                a.as_ref()
                    .map(Text::as_str)
                    .cmp(&b.as_ref().map(Text::as_str))
            })
    }
}

/// The eight digits of `YYYYMMDD`.
fn format_date_digits(value: u32) -> [u8; 8] {
    let mut out = [b'0'; 8];
    let mut rest = value;
    for byte in out.iter_mut().rev() {
        *byte = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    out
}

impl PartialOrd for Observation {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Observation {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_evidence(other)
            .then_with(|| self.cmp_content(other))
    }
}

/// When the unsorted tail of an edge's observations outgrows both this and the sorted
/// part, the two are merged (so each observation is moved O(log n) times).
const COMPACT_MIN: usize = 16;

/// The observations of one edge: a sorted prefix without repeated evidence, then an
/// unsorted tail of recent additions. Equality and [`EdgeObservations::canonical`] see
/// the sorted, deduplicated set (for repeated evidence, the smallest observation).
#[derive(Debug, Clone, Default)]
pub struct EdgeObservations {
    items: Vec<Observation>,
    sorted: usize,
}

impl EdgeObservations {
    /// Adds one observation.
    pub(crate) fn push(&mut self, observation: Observation) {
        self.items.push(observation);
        self.compact_if_due();
    }

    /// Adds all of `other`'s observations.
    pub(crate) fn absorb(&mut self, mut other: EdgeObservations) {
        if other.items.len() > self.items.len() {
            std::mem::swap(self, &mut other);
        }
        self.items.append(&mut other.items);
        self.compact_if_due();
    }

    fn compact_if_due(&mut self) {
        if self.items.len() - self.sorted > self.sorted.max(COMPACT_MIN) {
            self.compact();
        }
    }

    /// Sorts the tail, merges it into the sorted prefix and drops repeated evidence
    /// (keeping the smallest observation).
    fn compact(&mut self) {
        let mut tail = self.items.split_off(self.sorted);
        tail.sort_unstable();
        let head = std::mem::take(&mut self.items);
        let mut merged = Vec::with_capacity(head.len() + tail.len());
        let mut head = head.into_iter().peekable();
        let mut tail = tail.into_iter().peekable();
        loop {
            let take_head = match (head.peek(), tail.peek()) {
                (Some(h), Some(t)) => h <= t,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if take_head { head.next() } else { tail.next() };
            merged.extend(next);
        }
        merged.dedup_by(|later, earlier| later.cmp_evidence(earlier) == Ordering::Equal);
        self.sorted = merged.len();
        self.items = merged;
    }

    /// The observations sorted by evidence, each evidence once.
    pub fn canonical(&self) -> std::borrow::Cow<'_, [Observation]> {
        if self.sorted == self.items.len() {
            return std::borrow::Cow::Borrowed(&self.items);
        }
        let mut copy = self.clone();
        copy.compact();
        std::borrow::Cow::Owned(copy.items)
    }

    /// The number of distinct pieces of evidence.
    pub fn len(&self) -> usize {
        self.canonical().len()
    }

    /// Whether there is no observation.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl PartialEq for EdgeObservations {
    fn eq(&self, other: &Self) -> bool {
        self.canonical() == other.canonical()
    }
}

impl Eq for EdgeObservations {}

#[cfg(test)]
mod tests {
    use super::*;

    type Strings<'a> = (
        &'a str,
        usize,
        &'a str,
        Option<i64>,
        Option<&'a str>,
        Option<&'a str>,
    );

    fn observation(s: Strings<'_>) -> Observation {
        let label = if s.2 == format!("{}:{}", s.0, s.1) {
            Label::DocStart
        } else {
            Label::Statement(s.2)
        };
        Observation::new(s.0, s.1, label, s.3, s.4, s.5)
    }

    fn decoded(
        o: &Observation,
    ) -> (
        String,
        usize,
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
    ) {
        (
            o.doc().as_str().to_owned(),
            o.start(),
            o.label().as_str().to_owned(),
            o.stance_micros(),
            o.date().map(|d| d.as_str().to_owned()),
            o.code().map(|c| c.as_str().to_owned()),
        )
    }

    const DOC: &str = "d:00029f2c70daac47";

    fn samples() -> Vec<Strings<'static>> {
        vec![
            (
                DOC,
                72,
                "s:00029f2c70daac47:199:72",
                Some(440_000),
                Some("2024-06-04"),
                Some("010"),
            ),
            (
                DOC,
                72,
                "s:00029f2c70daac47:19:72",
                Some(-1_000_000),
                None,
                Some(""),
            ),
            (
                DOC,
                72,
                "s:00029f2c70daac47:1:72",
                None,
                Some("2024-6-4"),
                None,
            ),
            (
                DOC,
                72,
                "s:00029f2c70daac47:0:72",
                Some(0),
                Some("9999-99-99"),
                Some("0214"),
            ),
            (
                DOC,
                72,
                "d:00029f2c70daac47:72",
                None,
                Some("0000-00-00"),
                Some("04a"),
            ),
            (
                DOC,
                72,
                "s:00029f2c70daac47:07:72",
                Some(1),
                Some(""),
                Some("01234"),
            ),
            (
                DOC,
                72,
                "s:00029f2c70daac47:5:073",
                Some(1),
                None,
                Some("é"),
            ),
            (DOC, 72, "s:other", Some(1), None, None),
            (
                DOC,
                4_294_967_296,
                "s:00029f2c70daac47:1:4294967296",
                None,
                None,
                None,
            ),
            (
                "d:00029F2C70DAAC47",
                72,
                "s:00029F2C70DAAC47:1:72",
                None,
                None,
                None,
            ),
            ("d:00029f2c70daac4", 72, "x", None, None, None),
            (
                "d:ffffffffffffffff",
                0,
                "d:ffffffffffffffff:0",
                None,
                None,
                None,
            ),
            (
                "d:0000000000000000",
                0,
                "s:0000000000000000:999999999:0",
                None,
                None,
                None,
            ),
            ("", 0, "", None, None, None),
            (
                "d:hostile\u{1}",
                3,
                "s:h<&>",
                Some(5),
                Some("2024-01-01"),
                Some("\u{0}"),
            ),
        ]
    }

    #[test]
    fn packed_observations_are_32_bytes() {
        assert_eq!(std::mem::size_of::<Observation>(), 32);
    }

    #[test]
    fn decoding_gives_back_the_strings() {
        for s in samples() {
            let o = observation(s);
            let d = decoded(&o);
            assert_eq!(
                (
                    d.0.as_str(),
                    d.1,
                    d.2.as_str(),
                    d.3,
                    d.4.as_deref(),
                    d.5.as_deref()
                ),
                s
            );
        }
        assert!(matches!(observation(samples()[0]).repr, Repr::Packed(_)));
        assert!(matches!(observation(samples()[4]).repr, Repr::Packed(_)));
        assert!(matches!(observation(samples()[7]).repr, Repr::Spilled(_)));
    }

    #[test]
    fn order_and_equality_are_those_of_the_strings() {
        let all: Vec<Observation> = samples().into_iter().map(observation).collect();
        for a in &all {
            for b in &all {
                let expected = decoded(a).cmp(&decoded(b));
                assert_eq!(a.cmp(b), expected, "{:?} vs {:?}", decoded(a), decoded(b));
                assert_eq!(a == b, expected == Ordering::Equal);
            }
        }
    }

    #[test]
    fn edge_observations_keep_the_smallest_per_evidence_in_any_order() {
        let a = observation((DOC, 5, "s:00029f2c70daac47:2:5", Some(3), None, None));
        let b = observation((DOC, 5, "s:00029f2c70daac47:2:5", Some(-3), None, None));
        let c = observation((DOC, 9, "d:00029f2c70daac47:9", None, None, None));
        let mut forward = EdgeObservations::default();
        let mut backward = EdgeObservations::default();
        for i in 0..40 {
            let extra = observation((DOC, 100 + i, &format!("x{i}"), None, None, None));
            forward.push(extra.clone());
            backward.push(extra);
        }
        for o in [&a, &b, &c] {
            forward.push(o.clone());
        }
        for o in [&c, &b, &a, &c] {
            backward.push(o.clone());
        }
        assert_eq!(forward, backward);
        assert_eq!(forward.len(), 42);
        let canonical = forward.canonical();
        assert_eq!(canonical[0], b);
        assert!(canonical.windows(2).all(|w| w[0] < w[1]));
    }
}
