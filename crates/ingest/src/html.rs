//! HTML main-text extraction with a small tolerant tag scanner (no DOM, no recursion):
//! one left-to-right pass keeps an explicit stack of open elements, drops scripts,
//! styles, navigation, headers, footers, asides, forms, embeds, comments and elements
//! whose class/id says they are chrome (`data/ingest/html_skip.txt`), and collects text
//! paragraphs from block elements (`<p>`, headings, `<li>`, `<blockquote>`, `<div>` ...,
//! and `<br><br>`). When the page has `<article>` (else `<main>`) content, only the
//! largest such container is kept. Title: `og:title`, else the first `<h1>`, else
//! `<title>`; date: `article:published_time` and similar metas, `<time datetime>`, or
//! JSON-LD `datePublished`. Entities are decoded from the WHATWG list in
//! `data/ingest/html_entities.tsv`.
//!
//! Malformed input (unclosed tags, quotes and comments, stray end tags, 10 000-deep
//! nesting, huge files) is handled in linear time: every search for a closing quote,
//! `>` or comment end is cached so that no region is scanned twice.

use crate::normalize::normalize_inline;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const ENTITY_DATA: &str = include_str!("../../../data/ingest/html_entities.tsv");
const SKIP_DATA: &str = include_str!("../../../data/ingest/html_skip.txt");

/// How far up the stack an end tag looks for its start tag.
const MAX_END_TAG_SEARCH: usize = 256;

/// What the scanner found in one HTML page.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct HtmlDocument {
    pub title: Option<String>,
    /// The publication date as written (parse with [`crate::date::parse_date`]).
    pub date: Option<String>,
    /// Main-text paragraphs, normalised to single lines.
    pub paragraphs: Vec<String>,
}

fn entities() -> &'static HashMap<&'static str, String> {
    static MAP: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut m = HashMap::new();
        for line in ENTITY_DATA.lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((name, cps)) = line.split_once('\t') else {
                continue;
            };
            let value: String = cps
                .split(' ')
                .filter_map(|h| u32::from_str_radix(h, 16).ok())
                .filter_map(char::from_u32)
                .collect();
            if !value.is_empty() {
                m.insert(name, value);
            }
        }
        m
    })
}

/// Skip rules from the data file.
struct SkipRules {
    raw: HashSet<String>,
    tags: HashSet<String>,
    classes: HashSet<String>,
}

fn skip_rules() -> &'static SkipRules {
    static RULES: OnceLock<SkipRules> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut r = SkipRules {
            raw: HashSet::new(),
            tags: HashSet::new(),
            classes: HashSet::new(),
        };
        for line in SKIP_DATA.lines() {
            let line = line.trim();
            if line.starts_with('#') {
                continue;
            }
            if let Some((kind, word)) = line.split_once(char::is_whitespace) {
                let word = word.trim().to_lowercase();
                match kind {
                    "raw" => r.raw.insert(word),
                    "tag" => r.tags.insert(word),
                    "class" => r.classes.insert(word),
                    _ => false,
                };
            }
        }
        r
    })
}

/// Class/id tokens that mark content: an element holding one is never skipped by class.
const CONTENT_TOKENS: &[&str] = &[
    "article", "body", "content", "main", "story", "text", "post", "entry", "prose",
];

/// Windows-1252 meanings of the C1 range in numeric references, as browsers apply them.
const C1_REMAP: [u32; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
];

fn numeric_char(value: u32) -> char {
    match value {
        0 => char::REPLACEMENT_CHARACTER,
        0x80..=0x9F => {
            char::from_u32(C1_REMAP[(value - 0x80) as usize]).unwrap_or(char::REPLACEMENT_CHARACTER)
        }
        v => char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER),
    }
}

/// Decodes character references (`&amp;`, `&#8217;`, `&#x2019;`, legacy `&nbsp`) into `out`.
pub fn decode_entities_into(s: &str, out: &mut String) {
    let bytes = s.as_bytes();
    let mut last = 0;
    let mut search = 0;
    while let Some(off) = memchr::memchr(b'&', &bytes[search..]) {
        let amp = search + off;
        search = amp + 1;
        let Some((ch_or_str, consumed)) = reference_at(s, amp) else {
            continue;
        };
        out.push_str(&s[last..amp]);
        match ch_or_str {
            Decoded::Char(c) => out.push(c),
            Decoded::Str(v) => out.push_str(v),
        }
        last = amp + consumed;
        search = last;
    }
    out.push_str(&s[last..]);
}

/// Decodes character references into a new string.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    decode_entities_into(s, &mut out);
    out
}

enum Decoded {
    Char(char),
    Str(&'static str),
}

/// The reference starting at byte `amp` (an `&`): its value and its length in bytes.
fn reference_at(s: &str, amp: usize) -> Option<(Decoded, usize)> {
    let rest = s.as_bytes().get(amp + 1..)?;
    if rest.first() == Some(&b'#') {
        let (hex, digits_start) = match rest.get(1) {
            Some(b'x' | b'X') => (true, 2),
            _ => (false, 1),
        };
        let digits = rest[digits_start..]
            .iter()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return None;
        }
        let text = std::str::from_utf8(&rest[digits_start..digits_start + digits]).ok()?;
        let value = if digits > 8 {
            u32::MAX
        } else {
            u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(u32::MAX)
        };
        let mut len = 1 + digits_start + digits;
        if rest.get(digits_start + digits) == Some(&b';') {
            len += 1;
        }
        return Some((Decoded::Char(numeric_char(value)), len));
    }
    let name_len = rest
        .iter()
        .take(40)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 {
        return None;
    }
    let table = entities();
    if rest.get(name_len) == Some(&b';') {
        let with_semi = std::str::from_utf8(&rest[..=name_len]).ok()?;
        if let Some(v) = table.get(with_semi) {
            return Some((Decoded::Str(v.as_str()), 1 + name_len + 1));
        }
    }
    // Legacy references without ';' (&amp, &nbsp, &eacute): longest known prefix.
    for len in (2..=name_len.min(8)).rev() {
        let name = std::str::from_utf8(&rest[..len]).ok()?;
        if let Some(v) = table.get(name) {
            return Some((Decoded::Str(v.as_str()), 1 + len));
        }
    }
    None
}

/// A tag name, lower-cased, kept inline (names longer than 15 bytes are truncated,
/// which only matters for custom elements that are never special).
#[derive(Clone, Copy, PartialEq, Eq)]
struct TagName {
    bytes: [u8; 15],
    len: u8,
}

impl TagName {
    fn new(raw: &[u8]) -> Self {
        let mut bytes = [0u8; 15];
        let len = raw.len().min(15);
        for (dst, src) in bytes.iter_mut().zip(raw.iter()) {
            *dst = src.to_ascii_lowercase();
        }
        TagName {
            bytes,
            len: len as u8,
        }
    }
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

/// Elements without content.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "image"
    )
}

/// Elements that start and end a paragraph.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "section"
            | "article"
            | "main"
            | "table"
            | "thead"
            | "tbody"
            | "tr"
            | "td"
            | "th"
            | "pre"
            | "body"
            | "html"
            | "center"
            | "address"
            | "figcaption"
            | "hr"
            | "details"
            | "summary"
            | "fieldset"
            | "hgroup"
            | "caption"
            | "head"
            | "title"
    )
}

/// Elements that an opening `<p>`, heading or list starts implicitly close.
fn closes_open_p(name: &str) -> bool {
    is_block(name)
        && !matches!(
            name,
            "td" | "th" | "tr" | "body" | "html" | "head" | "title"
        )
}

/// One open element on the stack.
#[derive(Clone, Copy)]
struct Open {
    name: TagName,
    skip: bool,
    /// Container ids before this element opened (restored when it closes).
    prev_article: Option<u32>,
    prev_main: Option<u32>,
}

/// A collected paragraph before container selection.
struct Para {
    text: String,
    article: Option<u32>,
    main: Option<u32>,
    link_chars: usize,
}

/// The parsed attributes of a tag that matter here.
#[derive(Default)]
struct Attrs {
    class_id: String,
    property: Option<String>,
    content: Option<String>,
    datetime: Option<String>,
    script_type: Option<String>,
    hidden: bool,
}

/// Caches "next position of byte X at or after p" so repeated searches stay linear.
struct NextByte {
    byte: u8,
    /// The last search: where it started and what it found (`None`: nothing after).
    last: Option<(usize, Option<usize>)>,
}

impl NextByte {
    fn new(byte: u8) -> Self {
        NextByte { byte, last: None }
    }
    fn at_or_after(&mut self, hay: &[u8], from: usize) -> Option<usize> {
        if let Some((last_from, found)) = self.last {
            // The cached answer holds for any start between the last start and the hit.
            if last_from <= from && found.is_none_or(|p| p >= from) {
                return found;
            }
        }
        let r = hay
            .get(from..)
            .and_then(|rest| memchr::memchr(self.byte, rest))
            .map(|off| from + off);
        self.last = Some((from, r));
        r
    }
}

/// How many characters at the start of a text [`looks_like_html`] examines.
const HTML_SNIFF_CHARS: usize = 2048;

/// Whether a `<` is among the first `chars` characters of `text`, found with a byte
/// search (a character is at most four bytes; continuation bytes are not counted).
fn has_angle_bracket_in_head(text: &str, chars: usize) -> bool {
    let bytes = text.as_bytes();
    let window = bytes
        .get(..bytes.len().min(chars.saturating_mul(4)))
        .unwrap_or(bytes);
    match memchr::memchr(b'<', window) {
        Some(at) => {
            let before = window.get(..at).unwrap_or(&[]);
            before.iter().filter(|&&b| (b & 0xC0) != 0x80).count() < chars
        }
        None => false,
    }
}

/// Whether `html` (the start of a file) looks like HTML rather than plain text.
pub fn looks_like_html(text: &str) -> bool {
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if !has_angle_bracket_in_head(trimmed, HTML_SNIFF_CHARS) {
        // Every test below needs a '<' among the first characters.
        return false;
    }
    let head: String = trimmed
        .chars()
        .take(HTML_SNIFF_CHARS)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return true;
    }
    let markers = [
        "<html", "<body", "<head>", "<p>", "<p ", "</p>", "<div", "<br>", "<br/>", "<br />",
        "<article", "<title>", "<meta ",
    ];
    markers.iter().filter(|m| head.contains(*m)).count() >= 2
}

struct Scanner<'a> {
    /// Whether class/id tokens may mark an element as chrome.
    class_rules: bool,
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    stack: Vec<Open>,
    skip_depth: usize,
    article: Option<u32>,
    main: Option<u32>,
    next_article: u32,
    next_main: u32,
    link_depth: usize,
    buffer: String,
    buffer_link_chars: usize,
    paras: Vec<Para>,
    og_title: Option<String>,
    site_name: Option<String>,
    jsonld: JsonLd,
    h1: Option<String>,
    h1_capture: Option<String>,
    title_element: Option<String>,
    meta_date: Option<(u8, String)>,
    time_date: Option<String>,
    gt: NextByte,
    dq: NextByte,
    sq: NextByte,
    lt: NextByte,
    lt_ahead: NextByte,
    no_comment_end: bool,
    /// Per raw-text element name: (name, search start, end tag found).
    end_tag_cache: Vec<(String, usize, Option<usize>)>,
}

/// Date metas by priority (lower is better).
fn meta_date_priority(key: &str) -> Option<u8> {
    Some(match key {
        "article:published_time" => 0,
        "og:published_time" | "datepublished" => 1,
        "pubdate" | "publishdate" | "publish-date" | "publish_date" => 2,
        "date" | "dc.date" | "dc.date.issued" | "dcterms.created" | "sailthru.date" => 3,
        "parsely-pub-date" | "article.published" => 3,
        _ => return None,
    })
}

impl<'a> Scanner<'a> {
    fn new(src: &'a str, class_rules: bool) -> Self {
        Scanner {
            class_rules,
            src,
            bytes: src.as_bytes(),
            pos: 0,
            stack: Vec::new(),
            skip_depth: 0,
            article: None,
            main: None,
            next_article: 0,
            next_main: 0,
            link_depth: 0,
            buffer: String::new(),
            buffer_link_chars: 0,
            paras: Vec::new(),
            og_title: None,
            site_name: None,
            jsonld: JsonLd::default(),
            h1: None,
            h1_capture: None,
            title_element: None,
            meta_date: None,
            time_date: None,
            gt: NextByte::new(b'>'),
            dq: NextByte::new(b'"'),
            sq: NextByte::new(b'\''),
            lt: NextByte::new(b'<'),
            lt_ahead: NextByte::new(b'<'),
            no_comment_end: false,
            end_tag_cache: Vec::new(),
        }
    }

    /// Text between tags.
    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let mut decoded = String::new();
        let text: &str = if raw.contains('&') {
            decode_entities_into(raw, &mut decoded);
            &decoded
        } else {
            raw
        };
        if let Some(cap) = self.h1_capture.as_mut() {
            if cap.len() < 4096 {
                cap.push_str(text);
                cap.push(' ');
            }
        }
        if self.skip_depth > 0 || self.h1_capture.is_some() {
            return;
        }
        // Source line breaks are plain spaces in HTML; '\n' in the buffer marks <br>.
        let bytes = text.as_bytes();
        let mut last = 0;
        for at in memchr::memchr3_iter(b'\n', b'\r', b'\t', bytes) {
            self.buffer.push_str(&text[last..at]);
            self.buffer.push(' ');
            last = at + 1;
        }
        self.buffer.push_str(&text[last..]);
        if self.link_depth > 0 {
            self.buffer_link_chars += text.chars().filter(|c| !c.is_whitespace()).count();
        }
    }

    /// Ends the current paragraph(s); `<br><br>` inside the buffer splits paragraphs.
    fn flush(&mut self) {
        if self.buffer.is_empty() {
            return;
        }
        let buffer = std::mem::take(&mut self.buffer);
        let link_chars = std::mem::take(&mut self.buffer_link_chars);
        let mut current = String::new();
        let mut pieces = Vec::new();
        for line in buffer.split('\n') {
            if line.trim().is_empty() {
                if !current.trim().is_empty() {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            } else {
                current.push(' ');
                current.push_str(line);
            }
        }
        if !current.trim().is_empty() {
            pieces.push(current);
        }
        let single = pieces.len() == 1;
        for piece in pieces {
            let text = normalize_inline(&piece);
            if text.is_empty() {
                continue;
            }
            self.paras.push(Para {
                text,
                article: self.article,
                main: self.main,
                // Link density is only judged for a paragraph that was not split.
                link_chars: if single { link_chars } else { 0 },
            });
        }
    }

    /// Whether the element's class/id marks it as page chrome.
    fn class_says_skip(class_id: &str) -> bool {
        if class_id.is_empty() {
            return false;
        }
        let rules = skip_rules();
        let lower = class_id.to_ascii_lowercase();
        let tokens: Vec<&str> = lower
            .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
            .filter(|t| !t.is_empty())
            .collect();
        if tokens.iter().any(|t| CONTENT_TOKENS.contains(t)) {
            return false;
        }
        tokens.iter().any(|t| rules.classes.contains(*t))
    }

    /// Parses attributes from `self.pos` up to the end of the tag; leaves `pos` after `>`.
    /// Returns the attributes and whether the tag was self-closed (`/>`).
    fn attributes(&mut self, want_values: bool) -> (Attrs, bool) {
        let mut attrs = Attrs::default();
        let bytes = self.bytes;
        let mut self_closed = false;
        loop {
            while self.pos < bytes.len() && (bytes[self.pos].is_ascii_whitespace()) {
                self.pos += 1;
            }
            let Some(&b) = bytes.get(self.pos) else {
                return (attrs, self_closed);
            };
            if b == b'>' {
                self.pos += 1;
                return (attrs, self_closed);
            }
            if b == b'/' {
                self_closed = true;
                self.pos += 1;
                continue;
            }
            self_closed = false;
            let name_start = self.pos;
            while self.pos < bytes.len()
                && !bytes[self.pos].is_ascii_whitespace()
                && !matches!(bytes[self.pos], b'=' | b'>' | b'/')
            {
                self.pos += 1;
            }
            if self.pos == name_start {
                // Stray '=' or similar: skip it.
                self.pos += 1;
                continue;
            }
            let name_end = self.pos;
            while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
                self.pos += 1;
            }
            let mut value: Option<(usize, usize)> = None;
            if bytes.get(self.pos) == Some(&b'=') {
                self.pos += 1;
                while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
                    self.pos += 1;
                }
                match bytes.get(self.pos) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let start = self.pos + 1;
                        let close = if q == b'"' {
                            self.dq.at_or_after(bytes, start)
                        } else {
                            self.sq.at_or_after(bytes, start)
                        };
                        let gt = self.gt.at_or_after(bytes, start);
                        // An unclosed quote: the value ends at the next '>' when the
                        // closing quote is missing or lies past a later tag.
                        let unclosed = match (close, gt) {
                            (None, _) => true,
                            (Some(c), Some(g)) if c > g => {
                                self.lt_ahead.at_or_after(bytes, g).is_some_and(|l| l < c)
                            }
                            _ => false,
                        };
                        if unclosed {
                            let end = gt.unwrap_or(bytes.len());
                            value = Some((start, end));
                            self.pos = end;
                        } else {
                            let end = close.unwrap_or(bytes.len());
                            value = Some((start, end));
                            self.pos = end + 1;
                        }
                    }
                    _ => {
                        let start = self.pos;
                        while self.pos < bytes.len()
                            && !bytes[self.pos].is_ascii_whitespace()
                            && bytes[self.pos] != b'>'
                        {
                            self.pos += 1;
                        }
                        value = Some((start, self.pos));
                    }
                }
            }
            let name = &bytes[name_start..name_end];
            let get = |r: Option<(usize, usize)>| -> String {
                r.and_then(|(s, e)| self.src.get(s..e))
                    .map(decode_entities)
                    .unwrap_or_default()
            };
            if name.eq_ignore_ascii_case(b"class") || name.eq_ignore_ascii_case(b"id") {
                let v = get(value);
                attrs.class_id.push(' ');
                attrs.class_id.push_str(&v);
            } else if name.eq_ignore_ascii_case(b"hidden") {
                attrs.hidden = true;
            } else if name.eq_ignore_ascii_case(b"style") {
                let v = get(value).to_ascii_lowercase().replace(' ', "");
                if v.contains("display:none") || v.contains("visibility:hidden") {
                    attrs.hidden = true;
                }
            } else if want_values {
                if name.eq_ignore_ascii_case(b"property")
                    || name.eq_ignore_ascii_case(b"name")
                    || name.eq_ignore_ascii_case(b"itemprop")
                {
                    if attrs.property.is_none() {
                        attrs.property = Some(get(value).to_ascii_lowercase());
                    }
                } else if name.eq_ignore_ascii_case(b"content") {
                    attrs.content = Some(get(value));
                } else if name.eq_ignore_ascii_case(b"datetime") {
                    attrs.datetime = Some(get(value));
                } else if name.eq_ignore_ascii_case(b"type") {
                    attrs.script_type = Some(get(value).to_ascii_lowercase());
                }
            }
        }
    }

    /// Finds `</name` (case-insensitive) from `from`; returns the position of `<`.
    /// Results are cached per name so that repeated unclosed elements stay linear.
    fn find_end_tag(&mut self, from: usize, name: &str) -> Option<usize> {
        if let Some((_, last_from, found)) = self.end_tag_cache.iter().find(|(n, _, _)| n == name) {
            if *last_from <= from && found.is_none_or(|p| p >= from) {
                return *found;
            }
        }
        let found = self.search_end_tag(from, name);
        match self.end_tag_cache.iter_mut().find(|(n, _, _)| n == name) {
            Some(entry) => *entry = (name.to_string(), from, found),
            None => self.end_tag_cache.push((name.to_string(), from, found)),
        }
        found
    }

    fn search_end_tag(&self, from: usize, name: &str) -> Option<usize> {
        let bytes = self.bytes;
        let mut at = from;
        while let Some(off) = bytes.get(at..).and_then(|r| memchr::memchr(b'<', r)) {
            let lt = at + off;
            let tail = &bytes[lt + 1..];
            if tail.first() == Some(&b'/')
                && tail.len() > name.len()
                && tail[1..=name.len()].eq_ignore_ascii_case(name.as_bytes())
                && tail
                    .get(name.len() + 1)
                    .is_none_or(|b| !b.is_ascii_alphanumeric())
            {
                return Some(lt);
            }
            at = lt + 1;
        }
        None
    }

    fn push(&mut self, name: TagName, skip: bool) {
        let open = Open {
            name,
            skip,
            prev_article: self.article,
            prev_main: self.main,
        };
        if skip {
            self.skip_depth += 1;
        }
        match name.as_str() {
            "article" => {
                self.next_article += 1;
                self.article = Some(self.next_article);
            }
            "main" => {
                self.next_main += 1;
                self.main = Some(self.next_main);
            }
            "a" => self.link_depth += 1,
            _ => {}
        }
        self.stack.push(open);
    }

    fn pop(&mut self) {
        if let Some(open) = self.stack.pop() {
            if open.skip {
                self.skip_depth = self.skip_depth.saturating_sub(1);
            }
            if open.name.as_str() == "a" {
                self.link_depth = self.link_depth.saturating_sub(1);
            }
            if open.name.as_str() == "h1" {
                self.end_h1();
            }
            self.article = open.prev_article;
            self.main = open.prev_main;
        }
    }

    fn end_h1(&mut self) {
        if let Some(text) = self.h1_capture.take() {
            let t = normalize_inline(&text);
            if self.h1.is_none() && !t.is_empty() {
                self.h1 = Some(t);
            }
        }
    }

    /// Closes open elements down to (and including) the nearest `name`, if open.
    fn close(&mut self, name: &str) {
        let depth = self
            .stack
            .iter()
            .rev()
            .take(MAX_END_TAG_SEARCH)
            .position(|o| o.name.as_str() == name);
        if let Some(d) = depth {
            for _ in 0..=d {
                self.pop();
            }
        }
    }

    fn start_tag(&mut self, name: TagName) {
        let n = name.as_str();
        let wants_values = matches!(n, "meta" | "time" | "script");
        let (attrs, self_closed) = self.attributes(wants_values);
        let rules = skip_rules();
        match n {
            "meta" => {
                if let (Some(prop), Some(content)) = (&attrs.property, &attrs.content) {
                    if prop == "og:title" && self.og_title.is_none() {
                        self.og_title = Some(content.clone());
                    } else if prop == "og:site_name" && self.site_name.is_none() {
                        self.site_name = Some(normalize_inline(content));
                    } else if let Some(prio) = meta_date_priority(prop) {
                        if self.meta_date.as_ref().is_none_or(|(p, _)| prio < *p) {
                            self.meta_date = Some((prio, content.clone()));
                        }
                    }
                }
            }
            "time" if self.time_date.is_none() => {
                self.time_date = attrs.datetime.clone();
            }
            _ => {}
        }
        if rules.raw.contains(n) || n == "title" {
            // Raw text up to the end tag; only JSON-LD scripts and <title> are read.
            let content_start = self.pos;
            let (content_end, resume) = match self.find_end_tag(content_start, n) {
                Some(lt) => (
                    lt,
                    self.gt
                        .at_or_after(self.bytes, lt)
                        .map_or(self.bytes.len(), |g| g + 1),
                ),
                // An unclosed <title> ends at the next tag rather than swallowing the page.
                None if n == "title" => {
                    let lt = self
                        .lt
                        .at_or_after(self.bytes, content_start)
                        .unwrap_or(self.bytes.len());
                    (lt, lt)
                }
                None => (self.bytes.len(), self.bytes.len()),
            };
            let content = self.src.get(content_start..content_end).unwrap_or("");
            if n == "title" && self.title_element.is_none() {
                self.title_element = Some(normalize_inline(&decode_entities(content)));
            }
            if n == "script"
                && attrs
                    .script_type
                    .as_deref()
                    .is_some_and(|t| t.contains("ld+json"))
            {
                self.jsonld.read(content);
            }
            self.pos = resume;
            return;
        }
        if n == "br" {
            if self.skip_depth == 0 && self.h1_capture.is_none() {
                self.buffer.push('\n');
            }
            return;
        }
        if is_block(n) {
            self.flush();
            // A heading left open must not swallow the text after it.
            self.end_h1();
        }
        if is_void(n) || self_closed {
            return;
        }
        // Implicit closes: a block start closes an open <p>; <li> closes an open <li>.
        if closes_open_p(n) {
            if let Some(top) = self.stack.last() {
                if top.name.as_str() == "p" {
                    self.pop();
                }
            }
        }
        if n == "li" || n == "dt" || n == "dd" {
            let depth = self
                .stack
                .iter()
                .rev()
                .take(MAX_END_TAG_SEARCH)
                .position(|o| matches!(o.name.as_str(), "li" | "dt" | "dd" | "ul" | "ol" | "dl"));
            if let Some(d) = depth {
                if matches!(
                    self.stack[self.stack.len() - 1 - d].name.as_str(),
                    "li" | "dt" | "dd"
                ) {
                    for _ in 0..=d {
                        self.pop();
                    }
                }
            }
        }
        let structural = matches!(n, "html" | "body" | "article" | "main");
        let skip = rules.tags.contains(n)
            || attrs.hidden
            || (self.class_rules && !structural && Self::class_says_skip(&attrs.class_id));
        if n == "h1" && self.h1.is_none() && self.h1_capture.is_none() {
            self.h1_capture = Some(String::new());
        }
        self.push(name, skip);
    }

    fn end_tag(&mut self, name: TagName) {
        let n = name.as_str();
        if n == "br" {
            // </br> is treated as <br> by browsers.
            if self.skip_depth == 0 {
                self.buffer.push('\n');
            }
            return;
        }
        if is_block(n) {
            self.flush();
        }
        self.close(n);
        if n == "h1" {
            self.end_h1();
        }
    }

    fn run(&mut self) {
        let bytes = self.bytes;
        let mut text_start = 0;
        while self.pos < bytes.len() {
            let Some(lt) = self.lt.at_or_after(bytes, self.pos) else {
                break;
            };
            let after = bytes.get(lt + 1).copied();
            let kind = match after {
                Some(b'!') | Some(b'?') => 1,
                Some(b'/') if bytes.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) => 2,
                Some(b) if b.is_ascii_alphabetic() => 3,
                _ => 0,
            };
            if kind == 0 || self.gt.at_or_after(bytes, lt).is_none() {
                // A literal '<' (or a tag that never ends): keep as text.
                self.pos = lt + 1;
                continue;
            }
            let text = self.src.get(text_start..lt).unwrap_or("");
            self.text(text);
            match kind {
                1 => {
                    if bytes[lt..].starts_with(b"<!--") {
                        let end = if self.no_comment_end {
                            None
                        } else {
                            memchr::memmem::find(&bytes[lt + 4..], b"-->").map(|o| lt + 4 + o + 3)
                        };
                        self.pos = match end {
                            Some(e) => e,
                            None => {
                                self.no_comment_end = true;
                                self.gt
                                    .at_or_after(bytes, lt)
                                    .map_or(bytes.len(), |g| g + 1)
                            }
                        };
                    } else {
                        self.pos = self
                            .gt
                            .at_or_after(bytes, lt)
                            .map_or(bytes.len(), |g| g + 1);
                    }
                }
                2 => {
                    let start = lt + 2;
                    let end = start
                        + bytes[start..]
                            .iter()
                            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':'))
                            .count();
                    let name = TagName::new(&bytes[start..end]);
                    self.pos = self
                        .gt
                        .at_or_after(bytes, end)
                        .map_or(bytes.len(), |g| g + 1);
                    self.end_tag(name);
                }
                _ => {
                    let start = lt + 1;
                    let end = start
                        + bytes[start..]
                            .iter()
                            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':'))
                            .count();
                    let name = TagName::new(&bytes[start..end]);
                    self.pos = end;
                    self.start_tag(name);
                }
            }
            text_start = self.pos.min(bytes.len());
        }
        let text = self.src.get(text_start..).unwrap_or("");
        self.text(text);
        self.end_h1();
        self.flush();
    }
}

/// What JSON-LD (`<script type="application/ld+json">`) says about the article.
#[derive(Debug, Default)]
struct JsonLd {
    date: Option<String>,
    headline: Option<String>,
    body: Option<String>,
}

impl JsonLd {
    /// Reads one JSON-LD block; earlier blocks win. The walk is iterative.
    fn read(&mut self, json: &str) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(json.trim()) else {
            // Broken JSON (or nested past serde_json's limit): look for the date as text.
            if self.date.is_none() {
                self.date = jsonld_date_published(json);
            }
            return;
        };
        let mut stack = vec![&value];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Object(map) => {
                    for (key, field) in map {
                        let slot = match key.as_str() {
                            "datePublished" => &mut self.date,
                            "headline" => &mut self.headline,
                            "articleBody" => &mut self.body,
                            _ => {
                                stack.push(field);
                                continue;
                            }
                        };
                        if slot.is_none() {
                            *slot = field.as_str().map(str::to_string);
                        }
                    }
                }
                serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
                _ => {}
            }
        }
    }
}

/// Removes a site-name suffix from a title: "Story | Site", "Story - Site". Without a
/// known site name, a last " | " part of at most five words is taken for one.
fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    const SEPARATORS: [&str; 5] = [" | ", " - ", " – ", " — ", " :: "];
    if let Some(site) = site.filter(|s| !s.is_empty()) {
        for sep in SEPARATORS {
            if let Some((head, tail)) = title.rsplit_once(sep) {
                if tail.eq_ignore_ascii_case(site) && !head.trim().is_empty() {
                    return head.trim().to_string();
                }
            }
        }
    }
    if let Some((head, tail)) = title.rsplit_once(" | ") {
        if tail.split_whitespace().count() <= 5 && head.split_whitespace().count() >= 2 {
            return head.trim().to_string();
        }
    }
    title.to_string()
}

/// Finds `"datePublished": "..."` in a JSON-LD block.
fn jsonld_date_published(json: &str) -> Option<String> {
    let at = json.find("\"datePublished\"")?;
    let rest = json.get(at + "\"datePublished\"".len()..)?;
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    rest.get(..end).map(str::to_string)
}

/// Below this much main text (bytes), extraction is retried without class/id rules, in
/// case a wrapper's class name (`page has-sidebar`) hid the whole page.
const MIN_TEXT_BEFORE_RETRY: usize = 200;

/// A container (`<article>`/`<main>`) is only preferred when it holds at least this
/// much text, or at least a quarter of all text: a short teaser `<article>` must not win
/// over a story written outside any container.
const MIN_CONTAINER_TEXT: usize = 500;

/// Extracts title, date and main-text paragraphs from an HTML page.
pub fn extract(html: &str) -> HtmlDocument {
    let first = extract_with(html, true);
    let text_len = |d: &HtmlDocument| d.paragraphs.iter().map(String::len).sum::<usize>();
    if text_len(&first) >= MIN_TEXT_BEFORE_RETRY {
        return first;
    }
    let second = extract_with(html, false);
    // Only a retry that recovers far more text wins (not one extra share line).
    if text_len(&second) > 2 * text_len(&first) + 50 {
        HtmlDocument {
            title: first.title.or(second.title),
            date: first.date.or(second.date),
            paragraphs: second.paragraphs,
        }
    } else {
        first
    }
}

/// The id of the container (by `key`) holding the most text, when it is worth preferring.
fn best_container(paras: &[Para], key: fn(&Para) -> Option<u32>) -> Option<u32> {
    let mut sizes: HashMap<u32, usize> = HashMap::new();
    let mut total = 0usize;
    for p in paras {
        total += p.text.len();
        if let Some(id) = key(p) {
            *sizes.entry(id).or_insert(0) += p.text.len();
        }
    }
    // Largest first; ties go to the earlier container.
    let (id, size) = sizes
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
    (size >= MIN_CONTAINER_TEXT || size * 4 >= total).then_some(id)
}

fn extract_with(html: &str, class_rules: bool) -> HtmlDocument {
    let mut s = Scanner::new(html, class_rules);
    s.run();
    let paras = std::mem::take(&mut s.paras);
    // Prefer the largest <article>, else the largest <main>.
    let chosen: Vec<Para> = if let Some(id) = best_container(&paras, |p| p.article) {
        paras
            .into_iter()
            .filter(|p| p.article == Some(id))
            .collect()
    } else if let Some(id) = best_container(&paras, |p| p.main) {
        paras.into_iter().filter(|p| p.main == Some(id)).collect()
    } else {
        paras
    };
    let mut paragraphs: Vec<String> = chosen
        .into_iter()
        .filter(|p| {
            // Menus and link lists: short paragraphs that are (almost) all link text.
            if p.link_chars == 0 {
                return true;
            }
            let chars = p.text.chars().filter(|c| !c.is_whitespace()).count();
            let words = p.text.split_whitespace().count();
            !(words <= 12 && chars > 0 && p.link_chars * 10 >= chars * 8)
        })
        .map(|p| p.text)
        .collect();
    // A page whose text is only in JSON-LD (rendered by script): use articleBody.
    let text_len: usize = paragraphs.iter().map(String::len).sum();
    if let Some(body) = s.jsonld.body.as_deref() {
        if text_len < MIN_TEXT_BEFORE_RETRY && body.len() > text_len * 2 {
            let norm = crate::normalize::normalize_block(&decode_entities(body));
            let blank = crate::normalize::has_blank_lines(&norm);
            paragraphs = crate::normalize::paragraphs(&norm, blank);
        }
    }
    let site = s.site_name.as_deref();
    let og = s
        .og_title
        .as_deref()
        .map(normalize_inline)
        .map(|t| strip_site_suffix(&t, site))
        .filter(|t| !t.is_empty());
    let title = match (og, s.h1.clone()) {
        // og:title may still carry a suffix the h1 lacks.
        (Some(og), Some(h1)) if og.starts_with(&h1) => Some(h1),
        (Some(og), _) => Some(og),
        (None, Some(h1)) => Some(h1),
        (None, None) => s
            .jsonld
            .headline
            .as_deref()
            .map(normalize_inline)
            .or_else(|| {
                s.title_element
                    .as_deref()
                    .map(|t| strip_site_suffix(t, site))
            })
            .filter(|t| !t.is_empty()),
    };
    let date = s
        .meta_date
        .map(|(_, d)| d)
        .or(s.time_date)
        .or(s.jsonld.date);
    HtmlDocument {
        title,
        date,
        paragraphs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `looks_like_html` without its quick rejection.
    fn looks_like_html_plain(text: &str) -> bool {
        let head: String = text
            .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
            .chars()
            .take(2048)
            .collect::<String>()
            .to_ascii_lowercase();
        if head.starts_with("<!doctype html") || head.starts_with("<html") {
            return true;
        }
        let markers = [
            "<html", "<body", "<head>", "<p>", "<p ", "</p>", "<div", "<br>", "<br/>", "<br />",
            "<article", "<title>", "<meta ",
        ];
        markers.iter().filter(|m| head.contains(*m)).count() >= 2
    }

    #[test]
    fn html_sniffing_looks_only_at_the_first_characters() {
        for (filler, n) in [
            ("a", 2046),
            ("a", 2047),
            ("a", 2048),
            ("é", 2046),
            ("€", 2047),
            ("😀", 2040),
        ] {
            let text = format!("{}<p>x</p>", filler.repeat(n));
            assert_eq!(
                looks_like_html(&text),
                looks_like_html_plain(&text),
                "{filler} x {n}"
            );
        }
        assert!(looks_like_html(&format!("{}<p>x</p>", "a".repeat(2000))));
        assert!(!looks_like_html(&format!("{}<p>x</p>", "a".repeat(2048))));
    }

    proptest::proptest! {
        #[test]
        fn html_sniffing_matches_the_plain_definition(text in "[ \u{FEFF}a<>/pbrdivhtml!é€😀]{0,60}") {
            proptest::prop_assert_eq!(looks_like_html(&text), looks_like_html_plain(&text));
        }
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            decode_entities(
                "a &amp; b &lt;c&gt; &eacute;t&eacute; &#8217; &#x201C;q&#x201D; &nbsp;x &copy"
            ),
            "a & b <c> été ’ “q” \u{a0}x ©"
        );
        assert_eq!(
            decode_entities("&#150; &#0; &#99999999999; &bogus; & alone"),
            "– \u{FFFD} \u{FFFD} &bogus; & alone"
        );
    }

    #[test]
    fn article_text_title_and_date() {
        let html = r#"<!DOCTYPE html><html><head>
            <title>Harbour plan | Example Post</title>
            <meta property="og:title" content="Harbour plan approved">
            <meta property="article:published_time" content="2021-03-04T08:00:00Z">
            <style>p { color: red }</style><script>var x = "<p>not text</p>";</script>
            </head><body>
            <nav><ul><li><a href="/">Home</a></li><li><a href="/w">World</a></li></ul></nav>
            <header><h1>Harbour plan approved</h1></header>
            <article>
              <p>The council   approved the harbour plan on Tuesday.</p>
              <!-- an ad slot -->
              <h2>What comes next</h2>
              <p>Work starts in May &amp; ends in 2023.<br><br>A second part follows.</p>
              <ul><li>First point</li><li>Second point</li></ul>
              <blockquote>We are pleased, the mayor said.</blockquote>
              <div class="share-buttons">Share this on Facebook</div>
              <form><input name="q"><button>Search</button></form>
            </article>
            <aside>Most read: other things</aside>
            <footer>© Example Post</footer>
            </body></html>"#;
        let doc = extract(html);
        assert_eq!(doc.title.as_deref(), Some("Harbour plan approved"));
        assert_eq!(doc.date.as_deref(), Some("2021-03-04T08:00:00Z"));
        assert_eq!(
            doc.paragraphs,
            vec![
                "The council approved the harbour plan on Tuesday.",
                "What comes next",
                "Work starts in May & ends in 2023.",
                "A second part follows.",
                "First point",
                "Second point",
                "We are pleased, the mayor said.",
            ]
        );
    }

    #[test]
    fn title_fallbacks_and_time_and_jsonld_dates() {
        let doc = extract("<html><head><title>Only &quot;title&quot;</title></head><body><p>Body text here.</p><time datetime=\"2019-05-06\">May 6</time></body></html>");
        assert_eq!(doc.title.as_deref(), Some("Only \"title\""));
        assert_eq!(doc.date.as_deref(), Some("2019-05-06"));
        let doc = extract("<h1>The <em>first</em> heading</h1><p>Text.</p><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\": \"2018-01-02\"}</script>");
        assert_eq!(doc.title.as_deref(), Some("The first heading"));
        assert_eq!(doc.date.as_deref(), Some("2018-01-02"));
        assert_eq!(doc.paragraphs, vec!["Text."]);
    }

    #[test]
    fn main_is_used_without_article_and_largest_article_wins() {
        let doc =
            extract("<div>menu junk</div><main><p>Main text.</p></main><div>footer junk</div>");
        assert_eq!(doc.paragraphs, vec!["Main text."]);
        let doc = extract("<article><p>Short teaser.</p></article><article><p>The long main story text is here.</p><p>More of it.</p></article>");
        assert_eq!(
            doc.paragraphs,
            vec!["The long main story text is here.", "More of it."]
        );
    }

    #[test]
    fn malformed_html_is_tolerated() {
        // Unclosed tags, an unclosed attribute quote, a stray end tag, a lone '<'.
        let doc = extract("<p>One <b>bold<p>Two</i> 3 < 4 <a href=\"x>link</a> end<div class='x>Three</div></span><p>Four");
        let all = doc.paragraphs.join(" | ");
        assert!(all.contains("One bold"), "{all}");
        assert!(all.contains("Two 3 < 4"), "{all}");
        assert!(all.contains("Four"), "{all}");
        // Unclosed comment and unclosed script do not hang.
        let doc = extract("<p>Before</p><!-- never closed <p>After</p>");
        assert!(doc.paragraphs.contains(&"Before".to_string()));
        let doc = extract("<p>Before</p><script>never closed");
        assert_eq!(doc.paragraphs, vec!["Before"]);
    }

    #[test]
    fn ten_thousand_levels_deep() {
        let mut html = String::new();
        for _ in 0..10_000 {
            html.push_str("<div><span>");
        }
        html.push_str("<p>Deep text.</p>");
        for _ in 0..10_000 {
            html.push_str("</span></div>");
        }
        html.push_str("<p>After.</p>");
        let doc = extract(&html);
        assert_eq!(doc.paragraphs, vec!["Deep text.", "After."]);
        // Unclosed nesting, no end tags at all.
        let html = "<div>".repeat(100_000) + "text";
        assert_eq!(extract(&html).paragraphs, vec!["text"]);
    }

    #[test]
    fn repeated_unclosed_constructs_stay_linear() {
        // Each of these would be quadratic with naive rescanning; 60 000 repetitions
        // finish quickly only when every search is cached (quadratic: minutes).
        for unit in [
            "<title>x",
            "<!--",
            "<a href=\"x>",
            "<p class='y>",
            "<script>",
            "&",
            "&amp",
            "<",
            "</span>",
            "<li>",
            "<h1>",
        ] {
            let html = unit.repeat(60_000);
            let start = std::time::Instant::now();
            let _ = extract(&html);
            assert!(start.elapsed().as_secs() < 20, "{unit:?} too slow");
        }
    }

    #[test]
    fn wrapper_class_does_not_hide_the_page() {
        let doc = extract("<div class=\"page has-sidebar\"><p>The whole story sits in a wrapper whose class name looks like chrome.</p></div>");
        assert_eq!(doc.paragraphs.len(), 1);
    }

    #[test]
    fn teaser_article_does_not_beat_the_story() {
        let story =
            "The story itself is written in plain paragraphs outside any container. ".repeat(10);
        let html =
            format!("<div><p>{story}</p><p>{story}</p></div><article><p>Teaser.</p></article>");
        let doc = extract(&html);
        assert_eq!(doc.paragraphs.len(), 3);
    }

    #[test]
    fn site_suffixes_and_json_ld_fallbacks() {
        let doc = extract("<meta property=\"og:site_name\" content=\"Example Post\"><meta property=\"og:title\" content=\"Budget passes - Example Post\"><p>Text.</p>");
        assert_eq!(doc.title.as_deref(), Some("Budget passes"));
        let doc = extract("<title>Budget passes | Example Post</title><p>Text.</p>");
        assert_eq!(doc.title.as_deref(), Some("Budget passes"));
        let doc = extract(
            r#"<html><head><script type="application/ld+json">[{"@graph":[{"@type":"NewsArticle","headline":"Rendered story","datePublished":"2020-12-02","articleBody":"First paragraph of the body.\n\nSecond paragraph of the body, a little longer."}]}]</script></head><body><div id="app"></div></body></html>"#,
        );
        assert_eq!(doc.title.as_deref(), Some("Rendered story"));
        assert_eq!(doc.date.as_deref(), Some("2020-12-02"));
        assert_eq!(
            doc.paragraphs,
            vec![
                "First paragraph of the body.",
                "Second paragraph of the body, a little longer."
            ]
        );
        // Broken JSON-LD still gives its date.
        let doc = extract(
            r#"<script type="application/ld+json">{"datePublished": "2019-01-02", oops</script><p>x</p>"#,
        );
        assert_eq!(doc.date.as_deref(), Some("2019-01-02"));
    }

    #[test]
    fn link_lists_are_dropped() {
        let doc = extract("<p>Real paragraph with a <a href=\"#\">link</a> inside.</p><p><a href=\"/a\">Other story</a></p>");
        assert_eq!(doc.paragraphs, vec!["Real paragraph with a link inside."]);
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_html("<!doctype html><p>x"));
        assert!(looks_like_html("  <html><body>x</body></html>"));
        assert!(looks_like_html("<p>One</p><p>Two</p>"));
        assert!(!looks_like_html("Plain text with a < sign and a <b> tag"));
    }
}
