//! Sentences, quotations and tokens with byte offsets into the document text.
//!
//! Everything here is a pure function of a `&str` that returns byte ranges into it, so
//! later stages can point back at the exact words of an article. Nothing panics on any
//! input, and every range lies on `char` boundaries.
//!
//! - [`split_sentences`]: abbreviation-aware sentence splitting with paragraph and
//!   heading/byline line handling (see `sentences.rs` for the rules).
//! - [`find_quotes`]: quotations in double and single quotes, told apart from
//!   apostrophes, possibly spanning sentences or left open at a paragraph end.
//! - [`tokenize`]: words, numbers and punctuation.

mod abbreviations;
mod quotes;
mod sentences;
mod tokens;

pub use abbreviations::{abbreviation_kind, is_sentence_starter, AbbreviationKind};
pub use quotes::{find_quotes, QuoteKind, QuoteSpan};
pub use sentences::split_sentences;

/// The regex class `\s` for an ASCII byte: what the hand-written readings of extraction
/// patterns (for ASCII text) test where their regex says `\s`.
pub fn is_regex_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// The regex class `\w` for an ASCII byte.
pub fn is_regex_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}
pub use tokens::tokenize;

/// `f` of a string made by `fill` in a buffer kept per thread, for keys and lower-cased
/// words looked up for every capitalised word of every sentence, most of which match
/// nothing: no allocation per look-up.
pub fn with_scratch<R>(fill: impl FnOnce(&mut String), f: impl FnOnce(&str) -> R) -> R {
    thread_local! {
        static BUFFER: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
    }
    // Taken out rather than borrowed, so that a nested call finds an empty buffer.
    let mut scratch = BUFFER.take();
    scratch.clear();
    fill(&mut scratch);
    let result = f(&scratch);
    BUFFER.set(scratch);
    result
}

/// `hay.find(needle)` for a short `hay`: the standard searcher prepares itself for long
/// texts on every call, which costs more than the search of a few words (extraction
/// asks this of every capitalised span).
pub fn find_in_short(hay: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let mut from = 0;
    while let Some(found) = memchr::memchr(first, &hay[from..]) {
        let at = from + found;
        if hay[at + 1..].starts_with(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// `hay.contains(needle)` for a short `hay` (see [`find_in_short`]).
pub fn contains_in_short(hay: &str, needle: &str) -> bool {
    find_in_short(hay, needle).is_some()
}

/// A sentence: a byte range of the document text, without surrounding whitespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}

impl Sentence {
    /// The sentence's text, or "" when the range does not fit `text`.
    pub fn as_str<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, with inner apostrophes and hyphens ("Ukraine's", "full-scale"), a
    /// dotted acronym with its periods ("U.S."), an abbreviation from
    /// `data/abbreviations.tsv` with its period ("Gen."), or a number with letters
    /// attached ("58th", "1990s").
    Word,
    /// Digits with thousands separators and decimals, and a percent sign if one is
    /// attached: "4,500", "3.5", "80%".
    Number,
    /// Anything else, one character at a time, except that a run of periods ("...")
    /// is one token and an emoji keeps its modifiers.
    Punct,
}

/// A token: a byte range of the document text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

impl Token {
    /// The token's text, or "" when the range does not fit `text`.
    pub fn as_str<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

/// Characters that end a sentence.
pub(crate) fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '?' | '!' | '…' | '。' | '？' | '！')
}

/// Characters that close a quotation or parenthesis and stay with the sentence
/// before them (`he said "we will win."`).
pub(crate) fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '}')
}

/// Characters that open a quotation or parenthesis before a sentence's first word.
pub(crate) fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '«' | '(' | '[' | '{' | '„')
}

#[cfg(test)]
mod property_tests {
    use super::*;
    use proptest::prelude::*;

    /// Text made mostly of the characters the splitter looks at, so odd combinations
    /// of periods, quotes and line breaks come up often.
    fn tricky_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            ".", "..", "…", "?", "!", "\"", "'", "“", "”", "‘", "’", "(", ")", " ", " ", "\n",
            "\n\n", "\t", "U.S.", "Gen.", "Mr.", "etc.", "J.", "3.5", "4,500", "80%", "The", "the",
            "word", "Київ", "🎙️", "🇺🇦", "部队", "。", "-", "—", "e.g.", "1.", "\r", "\u{301}",
            "\u{200D}", "s'", "'s",
        ]);
        prop::collection::vec(pieces, 0..60).prop_map(|parts| parts.concat())
    }

    fn check_ranges(text: &str, ranges: &[(usize, usize)]) {
        let mut previous_end = 0;
        for &(start, end) in ranges {
            assert!(
                start <= end && end <= text.len(),
                "{start}..{end} in {}",
                text.len()
            );
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            assert!(start >= previous_end, "overlap at {start} in {text:?}");
            previous_end = end;
        }
    }

    proptest! {
        #[test]
        fn sentences_are_ordered_trimmed_and_on_boundaries(text in tricky_text()) {
            let sentences = split_sentences(&text);
            let ranges: Vec<_> = sentences.iter().map(|s| (s.start, s.end)).collect();
            check_ranges(&text, &ranges);
            for sentence in &sentences {
                let slice = sentence.as_str(&text);
                prop_assert!(!slice.is_empty());
                prop_assert_eq!(slice, slice.trim());
            }
            // Every non-whitespace character belongs to some sentence.
            let covered: usize = sentences.iter().map(|s| s.as_str(&text).chars().filter(|c| !c.is_whitespace()).count()).sum();
            prop_assert_eq!(covered, text.chars().filter(|c| !c.is_whitespace()).count());
        }

        #[test]
        fn sentences_survive_arbitrary_unicode(text in "\\PC{0,200}") {
            let sentences = split_sentences(&text);
            let ranges: Vec<_> = sentences.iter().map(|s| (s.start, s.end)).collect();
            check_ranges(&text, &ranges);
        }

        #[test]
        fn tokens_are_ordered_non_empty_and_on_boundaries(text in tricky_text(), a in 0usize..300, b in 0usize..300) {
            let (start, end) = (a.min(b), a.max(b));
            let tokens = tokenize(&text, start, end);
            let ranges: Vec<_> = tokens.iter().map(|t| (t.start, t.end)).collect();
            check_ranges(&text, &ranges);
            for token in &tokens {
                prop_assert!(token.start < token.end);
                prop_assert!(token.end <= end.max(start).min(text.len()));
                prop_assert!(!token.as_str(&text).trim().is_empty());
            }
        }

        #[test]
        fn quotes_lie_inside_the_text_with_content_inside_marks(text in tricky_text()) {
            for quote in find_quotes(&text) {
                prop_assert!(quote.start <= quote.content_start);
                prop_assert!(quote.content_start <= quote.content_end);
                prop_assert!(quote.content_end <= quote.end);
                prop_assert!(quote.end <= text.len());
                for index in [quote.start, quote.content_start, quote.content_end, quote.end] {
                    prop_assert!(text.is_char_boundary(index));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_in_short_agrees_with_str_find() {
        let pieces = ["o", "f", " ", "of", " of ", "Group", "G", "’", "é", "a"];
        let needles = ["", " of ", " for ", "Group", "Military", "’s", "é", "o"];
        for hay in crate::extract::testing::random_texts(&pieces, 5, 5_000, 12) {
            for needle in needles {
                assert_eq!(
                    find_in_short(&hay, needle),
                    hay.find(needle),
                    "{hay:?} {needle:?}"
                );
                assert_eq!(contains_in_short(&hay, needle), hay.contains(needle));
            }
        }
    }
}
