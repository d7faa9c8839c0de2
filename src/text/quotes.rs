//! Quotation spans, for attributing quotes to speakers.
//!
//! Double quotes (“ ” and straight `"`) always quote. Single quotes (‘ ’ and straight
//! `'`) quote only when they are used as quotation marks, not as apostrophes: a mark
//! between two letters ("Ukraine's", "don’t") is an apostrophe, a closing mark after
//! an "s" is a possessive ("soldiers’ lives") when another closing mark follows before
//! the next opening one, and an opening single mark without any closing mark after it
//! in the paragraph is taken as an elided apostrophe ("'90s").
//!
//! A quotation may span several sentences, and a double quotation left open at the end
//! of a paragraph ends there (the convention for quotes running over paragraphs). A
//! paragraph ends at a blank line, and at a single line break after a line that ends a
//! sentence or before a line that opens a quote, since texts saved one paragraph per
//! line have no blank lines.

use super::sentences::line_ranges;
use super::{is_closer, is_terminal};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuoteKind {
    /// “…” or "…"
    Double,
    /// ‘…’ or '…'
    Single,
}

/// One quotation: byte ranges into the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuoteSpan {
    /// The opening mark.
    pub start: usize,
    /// After the closing mark, or the paragraph end when the quote is left open.
    pub end: usize,
    /// The quoted words, without the marks.
    pub content_start: usize,
    pub content_end: usize,
    pub kind: QuoteKind,
    /// False when the quote was still open at the end of its paragraph.
    pub closed: bool,
}

impl QuoteSpan {
    /// The quoted words without the marks, or "" when the range does not fit `text`.
    pub fn content<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.content_start..self.content_end)
            .unwrap_or_default()
    }
}

/// Every quotation in `text`, ordered by start. A quote inside another quote is
/// reported too; its range lies inside the outer one's content.
pub fn find_quotes(text: &str) -> Vec<QuoteSpan> {
    let mut out = Vec::new();
    let mut marks = Vec::new();
    for (start, end) in quote_paragraphs(text) {
        let first = out.len();
        quotes_in_paragraph(text, start, end, &mut marks, &mut out);
        out[first..].sort_by_key(|quote| quote.start);
    }
    out
}

/// Paragraph ranges as explained in the module comment.
fn quote_paragraphs(text: &str) -> Vec<(usize, usize)> {
    let mut paragraphs = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for (start, end) in line_ranges(text, 0, text.len()) {
        let line = &text[start..end];
        if line.trim().is_empty() {
            paragraphs.extend(current.take());
            continue;
        }
        if let Some(paragraph) = &mut current {
            let previous = text[paragraph.0..paragraph.1].trim_end();
            let ends_sentence = previous
                .trim_end_matches(is_closer)
                .chars()
                .next_back()
                .is_some_and(is_terminal);
            let opens_quote = line.trim_start().starts_with(['"', '“', '‘', '\'', '«']);
            if ends_sentence || opens_quote {
                paragraphs.extend(current.take());
            }
        }
        match &mut current {
            Some(paragraph) => paragraph.1 = end,
            None => current = Some((start, end)),
        }
    }
    paragraphs.extend(current);
    paragraphs
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MarkRole {
    DoubleOpen,
    DoubleClose,
    /// A straight `"`: opens or closes depending on what is open.
    DoubleStraight {
        opener_like: bool,
    },
    SingleOpen,
    SingleClose {
        possessive: bool,
    },
}

#[derive(Clone, Copy, Debug)]
struct Mark {
    at: usize,
    len: usize,
    role: MarkRole,
}

/// Marks after which a quote may open: start of text, space, bracket, dash, slash.
fn opens_after(previous: Option<char>) -> bool {
    previous.is_none_or(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '(' | '[' | '{' | '“' | '‘' | '"' | '\'' | '«' | '—' | '–' | '-' | '/' | ':'
            )
    })
}

fn classify(previous: Option<char>, c: char, next: Option<char>) -> Option<MarkRole> {
    let alnum = |x: Option<char>| x.is_some_and(char::is_alphanumeric);
    let space_or_end = |x: Option<char>| x.is_none_or(char::is_whitespace);
    match c {
        '“' | '„' => Some(MarkRole::DoubleOpen),
        '”' => Some(MarkRole::DoubleClose),
        '"' => Some(MarkRole::DoubleStraight {
            opener_like: opens_after(previous) && !space_or_end(next),
        }),
        '‘' if !(space_or_end(next) || alnum(previous) && alnum(next)) => {
            Some(MarkRole::SingleOpen)
        }
        '’' | '\'' => {
            if alnum(previous) && alnum(next) {
                None
            } else if c == '\'' && opens_after(previous) && !space_or_end(next) {
                Some(MarkRole::SingleOpen)
            } else if !space_or_end(previous)
                && next.is_none_or(|n| n.is_whitespace() || !n.is_alphanumeric())
            {
                Some(MarkRole::SingleClose {
                    possessive: matches!(previous, Some('s' | 'S')),
                })
            } else {
                None
            }
        }
        _ => None,
    }
}

fn is_quote_mark(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '„')
}

fn collect_marks(text: &str, start: usize, end: usize, marks: &mut Vec<Mark>) {
    marks.clear();
    let paragraph = &text[start..end];
    // Only the bytes a quotation mark can start with are visited: `"`, `'`, and 0xE2,
    // which leads the typographic marks (and dashes and other punctuation, told apart
    // once decoded). Every article passes through here, and walking it character by
    // character cost more than the marks themselves.
    for i in memchr::memchr3_iter(b'"', b'\'', 0xE2, paragraph.as_bytes()) {
        let Some(c) = paragraph[i..].chars().next().filter(|c| is_quote_mark(*c)) else {
            continue;
        };
        let previous = paragraph[..i].chars().next_back();
        let next = paragraph[i + c.len_utf8()..].chars().next();
        if let Some(role) = classify(previous, c, next) {
            marks.push(Mark {
                at: start + i,
                len: c.len_utf8(),
                role,
            });
        }
    }
}

struct Open {
    kind: QuoteKind,
    at: usize,
    len: usize,
}

fn quotes_in_paragraph(
    text: &str,
    start: usize,
    end: usize,
    marks: &mut Vec<Mark>,
    out: &mut Vec<QuoteSpan>,
) {
    collect_marks(text, start, end, marks);
    // For each mark, the index of the next single closing and opening marks after it,
    // computed backwards once so the apostrophe decisions stay linear.
    let mut next_single_close = vec![usize::MAX; marks.len()];
    let mut next_single_open = vec![usize::MAX; marks.len()];
    let (mut close_seen, mut open_seen) = (usize::MAX, usize::MAX);
    for index in (0..marks.len()).rev() {
        next_single_close[index] = close_seen;
        next_single_open[index] = open_seen;
        match marks[index].role {
            MarkRole::SingleClose { .. } => close_seen = index,
            MarkRole::SingleOpen => open_seen = index,
            _ => {}
        }
    }
    let paragraph_end = start + text[start..end].trim_end().len();
    let mut stack: Vec<Open> = Vec::new();
    let emit = |open: &Open, close_at: usize, close_len: usize, closed: bool| QuoteSpan {
        start: open.at,
        end: close_at + close_len,
        content_start: open.at + open.len,
        content_end: close_at.max(open.at + open.len),
        kind: open.kind,
        closed,
    };
    for (index, mark) in marks.iter().enumerate() {
        let double_open = stack.iter().rposition(|o| o.kind == QuoteKind::Double);
        match mark.role {
            MarkRole::DoubleClose | MarkRole::DoubleStraight { .. } if double_open.is_some() => {
                let position = double_open.unwrap_or_default();
                // Single quotes still open inside were apostrophes after all.
                stack.truncate(position + 1);
                if let Some(open) = stack.pop() {
                    out.push(emit(&open, mark.at, mark.len, true));
                }
            }
            MarkRole::DoubleOpen => {
                if let Some(position) = double_open {
                    // A new opening mark while one is open: the earlier quote was
                    // never closed, so it ends where the new one begins.
                    stack.truncate(position + 1);
                    if let Some(open) = stack.pop() {
                        let content_end = open.at + text[open.at..mark.at].trim_end().len();
                        out.push(emit(&open, content_end, 0, false));
                    }
                }
                stack.push(Open {
                    kind: QuoteKind::Double,
                    at: mark.at,
                    len: mark.len,
                });
            }
            MarkRole::DoubleStraight { opener_like: true } => stack.push(Open {
                kind: QuoteKind::Double,
                at: mark.at,
                len: mark.len,
            }),
            MarkRole::SingleOpen => {
                let inside_single = stack.last().is_some_and(|o| o.kind == QuoteKind::Single);
                if !inside_single && next_single_close[index] != usize::MAX {
                    stack.push(Open {
                        kind: QuoteKind::Single,
                        at: mark.at,
                        len: mark.len,
                    });
                }
            }
            MarkRole::SingleClose { possessive } => {
                if !stack.last().is_some_and(|o| o.kind == QuoteKind::Single) {
                    continue;
                }
                let later_close = next_single_close[index];
                if possessive && later_close < next_single_open[index] {
                    continue;
                }
                if let Some(open) = stack.pop() {
                    out.push(emit(&open, mark.at, mark.len, true));
                }
            }
            _ => {}
        }
    }
    // Quotes still open at the paragraph end: doubles run to it, singles were
    // apostrophes.
    for open in stack.drain(..) {
        if open.kind == QuoteKind::Double {
            out.push(emit(&open, paragraph_end, 0, false));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character reading `collect_marks` replaced.
    fn marks_by_every_character(paragraph: &str) -> Vec<(usize, usize, MarkRole)> {
        let mut found = Vec::new();
        let mut previous = None;
        let mut chars = paragraph.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if is_quote_mark(c) {
                let next = chars.peek().map(|&(_, n)| n);
                if let Some(role) = classify(previous, c, next) {
                    found.push((i, c.len_utf8(), role));
                }
            }
            previous = Some(c);
        }
        found
    }

    #[test]
    fn marks_are_the_ones_every_character_gives() {
        let pieces = [
            "\"", "'", "“", "”", "‘", "’", "„", "—", "–", "…", " ", "a", "s", "Z", "9", ".", "(",
            "é", "\n", ":",
        ];
        let mut marks = Vec::new();
        for text in crate::extract::testing::random_texts(&pieces, 3, 30_000, 14) {
            collect_marks(&text, 0, text.len(), &mut marks);
            let found: Vec<_> = marks.iter().map(|m| (m.at, m.len, m.role)).collect();
            assert_eq!(found, marks_by_every_character(&text), "{text:?}");
        }
    }

    fn contents(text: &str) -> Vec<(&str, bool)> {
        find_quotes(text)
            .iter()
            .map(|q| (q.content(text), q.closed))
            .collect()
    }

    #[test]
    fn straight_and_curly_double_quotes() {
        let text = "\"We hold,\" he said. She wrote: “The line is quiet.”";
        assert_eq!(
            contents(text),
            [("We hold,", true), ("The line is quiet.", true)]
        );
        let quote = find_quotes(text)[0];
        assert_eq!((quote.start, quote.end), (0, 10));
        assert_eq!((quote.content_start, quote.content_end), (1, 9));
        assert_eq!(quote.kind, QuoteKind::Double);
    }

    #[test]
    fn quote_spanning_sentences() {
        let text = "He said: \"We lost the bridge. We will return. Soon.\" Then silence.";
        assert_eq!(
            contents(text),
            [("We lost the bridge. We will return. Soon.", true)]
        );
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        let text = "Ukraine's army and the soldiers’ families don't agree; it’s the '90s again.";
        assert!(find_quotes(text).is_empty(), "{:?}", find_quotes(text));
    }

    #[test]
    fn single_quotes_used_as_quotation_marks() {
        let text = "The army cited the need to 'keep our soldiers alive' as troops left.";
        assert_eq!(contents(text), [("keep our soldiers alive", true)]);
        let text = "It warned of a ‘significant advantage’ and of the enemy's 'active actions.'";
        assert_eq!(
            contents(text),
            [("significant advantage", true), ("active actions.", true)]
        );
    }

    #[test]
    fn possessive_inside_a_single_quote_does_not_close_it() {
        let text = "He spoke of 'the soldiers' courage and grit' today.";
        assert_eq!(contents(text), [("the soldiers' courage and grit", true)]);
        let text = "They praised 'our brave soldiers' on Monday.";
        assert_eq!(contents(text), [("our brave soldiers", true)]);
    }

    #[test]
    fn nested_quotes_are_both_reported() {
        let text = "“They told us ‘hold the line’ and left,” he said.";
        assert_eq!(
            contents(text),
            [
                ("They told us ‘hold the line’ and left,", true),
                ("hold the line", true)
            ]
        );
    }

    #[test]
    fn unclosed_quote_ends_at_the_paragraph_end() {
        let text = "\"The enemy is tired. Supplies are short.\n\"We will press on,\" he added.";
        assert_eq!(
            contents(text),
            [
                ("The enemy is tired. Supplies are short.", false),
                ("We will press on,", true)
            ]
        );
        let text = "“Open quote at the end of a paragraph\n\nNext paragraph.";
        assert_eq!(
            contents(text),
            [("Open quote at the end of a paragraph", false)]
        );
    }

    #[test]
    fn hard_wrapped_quote_continues_over_a_line_break() {
        let text = "\"We will fight for every\nmetre of our land,\" the commander said.";
        assert_eq!(
            contents(text),
            [("We will fight for every\nmetre of our land,", true)]
        );
    }

    #[test]
    fn stray_closing_marks_are_ignored() {
        assert!(find_quotes("word,\" he said” and ’ more").is_empty());
        assert!(find_quotes("").is_empty());
    }

    #[test]
    fn cyrillic_quotes_with_straight_marks() {
        let text = "Он сказал: \"Мы не отступим.\"";
        assert_eq!(contents(text), [("Мы не отступим.", true)]);
    }
}
