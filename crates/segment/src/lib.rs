//! Segmentation: paragraphs, sentences, tokens and quotation spans with UTF-8 byte
//! offsets into a document's text.
//!
//! - Paragraphs are separated by blank lines (lines holding only whitespace); a single
//!   line break inside a paragraph is a line break. Paragraph spans are trimmed of
//!   surrounding whitespace; empty paragraphs are skipped.
//! - When the document has a title, the first non-blank line is the headline: paragraph 0
//!   and sentence 0, never split further, and no quotation continues out of it.
//! - Tokens (module `token`): words keep internal hyphens and apostrophes, the clitic
//!   "’s" is its own token ("Iran" + "’s"), abbreviations keep their period ("Mr.",
//!   "U.S."), numbers keep separators ("3.5", "1,000"), URLs and e-mail addresses are
//!   single symbol tokens. Every non-whitespace character belongs to exactly one token.
//! - Sentences (module `sentence`): boundary rules for abbreviations, initials, acronyms,
//!   times, ellipses, list items, line breaks and punctuation inside quotation marks.
//!   Sentence spans run from their first token's start to their last token's end, so they
//!   are trimmed, ordered, non-overlapping and never cross a paragraph; `Sentence::tokens`
//!   partitions `Segmented::tokens`.
//! - Quotations (module `quote`): top-level quotations in curly, straight, guillemet and
//!   single marks, continued over paragraphs in news style. `Sentence::quote` is set when
//!   the sentence starts inside a quotation (at its opening mark or in its content) or
//!   when the quotation's content covers more than half of the sentence's bytes.
//!
//! Abbreviations, sentence starters, time continuations and introductory prepositions
//! live in `data/lexicon/abbreviations.txt` and `data/lexicon/sentence_starters.txt`,
//! embedded at build time. Nothing here panics on any input.

pub mod lexicon;
mod quote;
mod sentence;
mod token;

pub use lexicon::{AbbreviationClass, Lexicon, LexiconError};

use memchr::memchr;
use stancegraph_model::{Document, Segmented, Sentence, Span, Token};
use std::ops::Range;

/// Segments one document. When `doc.title` is set, the first line of the text is the
/// headline (paragraph 0, sentence 0).
pub fn segment(doc: &Document) -> Segmented {
    segment_text(&doc.id, &doc.text, doc.title.is_some())
}

/// Segments a text; `has_headline` makes its first non-blank line a paragraph and
/// sentence of its own. `id` is copied into [`Segmented::doc`].
pub fn segment_text(id: &str, text: &str, has_headline: bool) -> Segmented {
    let lex = Lexicon::embedded();
    let mut multi_line = Vec::new();
    let paragraphs = paragraph_spans(text, has_headline, &mut multi_line);
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 5 + 1);
    let mut token_ranges: Vec<Range<usize>> = Vec::with_capacity(paragraphs.len());
    for p in &paragraphs {
        let first = tokens.len();
        token::tokenize_range(text, p.start, p.end, lex, &mut tokens);
        token_ranges.push(first..tokens.len());
    }

    let mut sentences: Vec<Sentence> = Vec::with_capacity(text.len() / 100 + 1);
    let mut starts: Vec<usize> = Vec::new();
    for (p, range) in token_ranges.iter().enumerate() {
        let Some(para_tokens) = tokens.get(range.clone()) else {
            continue;
        };
        if para_tokens.is_empty() {
            continue;
        }
        starts.clear();
        if has_headline && p == 0 {
            starts.push(0);
        } else {
            // A paragraph's tokens run from its start to its end (it is trimmed and every
            // other character is in a token), so a line feed lies among them exactly when
            // the paragraph joined several lines.
            let has_line_feed = multi_line.get(p).copied().unwrap_or(true);
            sentence::Splitter::with_line_feed(text, para_tokens, lex, has_line_feed)
                .sentence_starts(&mut starts);
        }
        for (s, &start) in starts.iter().enumerate() {
            let end = starts.get(s + 1).copied().unwrap_or(para_tokens.len());
            if start >= end {
                continue;
            }
            let span = Span::new(para_tokens[start].span.start, para_tokens[end - 1].span.end);
            sentences.push(Sentence {
                index: sentences.len(),
                span,
                paragraph: p,
                tokens: Span::new(range.start + start, range.start + end),
                quote: None,
            });
        }
    }

    let isolated: Vec<bool> = (0..paragraphs.len())
        .map(|p| has_headline && p == 0)
        .collect();
    let quotes = quote::QuoteFinder::new(text, &tokens).run(&token_ranges, &isolated);
    let spans: Vec<Span> = sentences.iter().map(|s| s.span).collect();
    for (sentence, q) in sentences
        .iter_mut()
        .zip(quote::assign_quotes(&spans, &quotes))
    {
        sentence.quote = q;
    }

    Segmented {
        doc: id.to_string(),
        paragraphs,
        sentences,
        tokens,
        quotes,
    }
}

/// The sentence spans of a plain text (no headline).
pub fn split_sentences(text: &str) -> Vec<Span> {
    segment_text("", text, false)
        .sentences
        .into_iter()
        .map(|s| s.span)
        .collect()
}

/// The tokens of a plain text.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    token::tokenize_range(text, 0, text.len(), Lexicon::embedded(), &mut out);
    out
}

/// The index of the sentence that contains byte `offset`, if any (binary search over
/// the ordered sentence spans).
pub fn sentence_at(seg: &Segmented, offset: usize) -> Option<usize> {
    let i = seg.sentences.partition_point(|s| s.span.end <= offset);
    seg.sentences
        .get(i)
        .filter(|s| s.span.start <= offset && offset < s.span.end)
        .map(|s| s.index)
}

/// The paragraph spans of a text: runs of non-blank lines, trimmed. With `has_headline`,
/// the first non-blank line is a paragraph of its own.
pub fn paragraphs(text: &str, has_headline: bool) -> Vec<Span> {
    paragraph_spans(text, has_headline, &mut Vec::new())
}

/// [`paragraphs`], telling in `multi_line` (one flag per paragraph) which paragraphs
/// joined more than one line.
fn paragraph_spans(text: &str, has_headline: bool, multi_line: &mut Vec<bool>) -> Vec<Span> {
    let bytes = text.as_bytes();
    // Room for paragraphs of a few hundred bytes, so that the list rarely grows.
    let mut out = Vec::with_capacity(text.len() / 256 + 4);
    let mut current: Option<(usize, usize)> = None;
    // Whether the current paragraph has more than one line.
    let mut joined = false;
    let mut headline_pending = has_headline;
    let mut pos = 0;
    while pos < bytes.len() {
        let line_end = memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        let line = text.get(pos..line_end).unwrap_or("");
        let trimmed_start = line.trim_start();
        if trimmed_start.is_empty() {
            if let Some((s, e)) = current.take() {
                out.push(Span::new(s, e));
                multi_line.push(std::mem::take(&mut joined));
            }
        } else {
            let start = pos + (line.len() - trimmed_start.len());
            let end = pos + line.trim_end().len();
            match current.as_mut() {
                Some((_, e)) => {
                    *e = end;
                    joined = true;
                }
                None => current = Some((start, end)),
            }
            if headline_pending {
                headline_pending = false;
                if let Some((s, e)) = current.take() {
                    out.push(Span::new(s, e));
                    multi_line.push(std::mem::take(&mut joined));
                }
            }
        }
        pos = line_end + 1;
    }
    if let Some((s, e)) = current {
        out.push(Span::new(s, e));
        multi_line.push(joined);
    }
    out
}

#[cfg(test)]
mod tests;
