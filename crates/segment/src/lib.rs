//! Segmentation: paragraphs, sentences, tokens and quotation spans with UTF-8 byte
//! offsets into a document's text.

use stancegraph_model::{Document, Segmented, Sentence, Span, Token, TokenKind};

/// Segments one document.
pub fn segment(doc: &Document) -> Segmented {
    let text = doc.text.as_str();
    let mut seg = Segmented {
        doc: doc.id.clone(),
        ..Default::default()
    };
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if c == '\n' || ((c == '.' || c == '!' || c == '?') && text[end..].starts_with(' ')) {
            push_sentence(text, &mut seg, start, end);
            start = end;
        }
    }
    push_sentence(text, &mut seg, start, text.len());
    seg.paragraphs.push(Span::new(0, text.len()));
    seg
}

fn push_sentence(text: &str, seg: &mut Segmented, start: usize, end: usize) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    let (a, b) = (start + lead, end - trail);
    if a >= b {
        return;
    }
    let first_token = seg.tokens.len();
    for (off, w) in text[a..b].split_word_bound_indices_simple() {
        seg.tokens.push(Token {
            span: Span::new(a + off, a + off + w.len()),
            kind: TokenKind::Word,
        });
    }
    seg.sentences.push(Sentence {
        index: seg.sentences.len(),
        span: Span::new(a, b),
        paragraph: 0,
        tokens: Span::new(first_token, seg.tokens.len()),
        quote: None,
    });
}

trait SimpleWords {
    fn split_word_bound_indices_simple(&self) -> Vec<(usize, &str)>;
}

impl SimpleWords for str {
    fn split_word_bound_indices_simple(&self) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in self.char_indices() {
            if c.is_whitespace() {
                if let Some(s) = start.take() {
                    out.push((s, &self[s..i]));
                }
            } else if start.is_none() {
                start = Some(i);
            }
        }
        if let Some(s) = start {
            out.push((s, &self[s..]));
        }
        out
    }
}
