//! Sentences and tokens with byte offsets into the document text.
//!
//! (Interface stub: the abbreviation-aware splitter replaces this.)

/// A sentence: a byte range of the document text, without surrounding whitespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

/// A token: a byte range of the document text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

/// Splits a document's text into sentences.
pub fn split_sentences(text: &str) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '.' || c == '\n' {
            push_trimmed(text, start, i + c.len_utf8(), &mut sentences);
            start = i + c.len_utf8();
        }
    }
    push_trimmed(text, start, text.len(), &mut sentences);
    sentences
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let slice = &text[start..end];
    let trimmed = slice.trim();
    if !trimmed.is_empty() {
        let offset = start + (slice.len() - slice.trim_start().len());
        out.push(Sentence {
            start: offset,
            end: offset + trimmed.len(),
        });
    }
}

/// Tokens of `text[range]`, with offsets into `text`.
pub fn tokenize(text: &str, start: usize, end: usize) -> Vec<Token> {
    use unicode_segmentation::UnicodeSegmentation;
    text[start..end]
        .split_word_bound_indices()
        .filter(|(_, w)| !w.trim().is_empty())
        .map(|(i, w)| Token {
            start: start + i,
            end: start + i + w.len(),
            kind: if w.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                TokenKind::Number
            } else if w.chars().next().is_some_and(|c| c.is_alphanumeric()) {
                TokenKind::Word
            } else {
                TokenKind::Punct
            },
        })
        .collect()
}
