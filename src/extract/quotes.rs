//! Quotations in a text (temporary: replaced by the text stage's quote finder).

/// One quotation: the content without its marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuoteSpan {
    pub content_start: usize,
    pub content_end: usize,
}

/// Pairs curly and straight double quotes; a quote left open ends at the paragraph end.
pub fn find_quotes(text: &str) -> Vec<QuoteSpan> {
    let mut quotes = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('“', _) | ('"', None) => open = Some(i + c.len_utf8()),
            ('”' | '"', Some(start)) => {
                quotes.push(QuoteSpan { content_start: start, content_end: i });
                open = None;
            }
            ('\n', Some(start)) if text[i..].starts_with("\n\n") => {
                quotes.push(QuoteSpan { content_start: start, content_end: i });
                open = None;
            }
            _ => {}
        }
    }
    quotes
}
