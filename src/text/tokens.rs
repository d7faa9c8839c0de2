//! Tokens: words, numbers and punctuation, with byte offsets into the text.
//!
//! One forward pass over the characters; no allocation besides the output vector.

use unicode_normalization::char::is_combining_mark;

use super::abbreviations::abbreviation_kind;
use super::{Token, TokenKind};

/// Tokens of `text[start..end]`, with offsets into `text`. Out-of-range or
/// mid-character bounds are clamped to the nearest character boundary before them.
pub fn tokenize(text: &str, start: usize, end: usize) -> Vec<Token> {
    let end = floor_boundary(text, end.min(text.len()));
    let start = floor_boundary(text, start.min(end));
    let mut tokens = Vec::with_capacity((end - start) / 5 + 1);
    let mut i = start;
    while i < end {
        let Some(c) = text[i..end].chars().next() else {
            break;
        };
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let (token_end, kind) = if c.is_numeric() {
            number(text, i, end)
        } else if c.is_alphabetic() {
            (word(text, i, end), TokenKind::Word)
        } else {
            (symbol(text, i, end, c), TokenKind::Punct)
        };
        tokens.push(Token {
            start: i,
            end: token_end,
            kind,
        });
        i = token_end;
    }
    tokens
}

fn floor_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn char_at(text: &str, i: usize, end: usize) -> Option<char> {
    text.get(i..end)?.chars().next()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Characters that join two word parts: apostrophes, hyphens, and the zero-width
/// joiners some scripts need inside words.
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\'' | '’' | '-' | '\u{2010}' | '\u{2011}' | '\u{200C}' | '\u{200D}'
    )
}

/// The end of the word starting at `i`.
fn word(text: &str, i: usize, end: usize) -> usize {
    if let Some(acronym_end) = dotted_acronym(text, i, end) {
        return acronym_end;
    }
    let mut j = i;
    while let Some(c) = char_at(text, j, end) {
        let joins =
            is_joiner(c) && char_at(text, j + c.len_utf8(), end).is_some_and(char::is_alphanumeric);
        if !(is_word_char(c) || joins) {
            break;
        }
        j += c.len_utf8();
    }
    // "Gen." and "etc." keep their period, so a title reads as one token.
    if text.as_bytes().get(j) == Some(&b'.') && j < end && abbreviation_kind(&text[i..j]).is_some()
    {
        j += 1;
    }
    j
}

/// "U.S.", "e.g.", "a.m.": single letters each followed by a period, at least two.
fn dotted_acronym(text: &str, i: usize, end: usize) -> Option<usize> {
    let mut j = i;
    let mut letters = 0;
    while let Some(c) = char_at(text, j, end).filter(|c| c.is_alphabetic()) {
        let after = j + c.len_utf8();
        if text.as_bytes().get(after) != Some(&b'.') || after >= end {
            break;
        }
        letters += 1;
        j = after + 1;
    }
    let followed_by_word_char = char_at(text, j, end).is_some_and(is_word_char);
    (letters >= 2 && !followed_by_word_char).then_some(j)
}

/// A number ("4,500", "3.5", "80%"), or a word when letters are attached ("58th").
fn number(text: &str, i: usize, end: usize) -> (usize, TokenKind) {
    let mut j = i;
    loop {
        while let Some(c) = char_at(text, j, end).filter(|c| c.is_numeric()) {
            j += c.len_utf8();
        }
        let separator = matches!(text.as_bytes().get(j), Some(b',' | b'.')) && j + 1 < end;
        if separator && char_at(text, j + 1, end).is_some_and(|c| c.is_ascii_digit()) {
            j += 1;
        } else {
            break;
        }
    }
    match char_at(text, j, end) {
        Some('%') => (j + 1, TokenKind::Number),
        Some(c) if c.is_alphabetic() => (word(text, j, end), TokenKind::Word),
        _ => (j, TokenKind::Number),
    }
}

/// A punctuation or symbol token: one character with its modifiers, or a run of
/// periods.
fn symbol(text: &str, i: usize, end: usize, first: char) -> usize {
    let mut j = i + first.len_utf8();
    if first == '.' {
        while text.as_bytes().get(j) == Some(&b'.') && j < end {
            j += 1;
        }
        return j;
    }
    // Emoji: variation selectors, skin tones, keycaps and tags modify the symbol before
    // them; a zero-width joiner glues the next symbol on; a second regional indicator
    // completes a flag.
    let mut regional = is_regional_indicator(first);
    while let Some(c) = char_at(text, j, end) {
        if matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{20E3}' | '\u{E0020}'..='\u{E007F}')
            || is_combining_mark(c)
        {
            j += c.len_utf8();
        } else if c == '\u{200D}' {
            j += c.len_utf8();
            if let Some(joined) = char_at(text, j, end).filter(|c| !c.is_whitespace()) {
                j += joined.len_utf8();
            }
        } else if regional && is_regional_indicator(c) {
            regional = false;
            j += c.len_utf8();
        } else {
            break;
        }
    }
    j
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1F1E6}'..='\u{1F1FF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(&str, TokenKind)> {
        tokenize(text, 0, text.len())
            .iter()
            .map(|t| (t.as_str(text), t.kind))
            .collect()
    }

    fn words(text: &str) -> Vec<&str> {
        tokens(text).into_iter().map(|(w, _)| w).collect()
    }

    use TokenKind::{Number, Punct, Word};

    #[test]
    fn words_keep_inner_apostrophes_and_hyphens() {
        assert_eq!(
            words("Ukraine's full-scale war, soldiers’ morale, don't - 'quoted'"),
            [
                "Ukraine's",
                "full-scale",
                "war",
                ",",
                "soldiers",
                "’",
                "morale",
                ",",
                "don't",
                "-",
                "'",
                "quoted",
                "'"
            ]
        );
    }

    #[test]
    fn numbers_with_separators_decimals_and_percent() {
        assert_eq!(
            tokens("4,500 men, 1,351 dead, 3.5 km, 80% and 21,600. In 2022-2023 the 58th"),
            [
                ("4,500", Number),
                ("men", Word),
                (",", Punct),
                ("1,351", Number),
                ("dead", Word),
                (",", Punct),
                ("3.5", Number),
                ("km", Word),
                (",", Punct),
                ("80%", Number),
                ("and", Word),
                ("21,600", Number),
                (".", Punct),
                ("In", Word),
                ("2022", Number),
                ("-", Punct),
                ("2023", Number),
                ("the", Word),
                ("58th", Word),
            ]
        );
    }

    #[test]
    fn acronyms_and_abbreviations_keep_their_periods() {
        assert_eq!(
            words("Gen. Petrov of the U.S. army, e.g. here, etc. and Kyiv."),
            [
                "Gen.", "Petrov", "of", "the", "U.S.", "army", ",", "e.g.", "here", ",", "etc.",
                "and", "Kyiv", "."
            ]
        );
    }

    #[test]
    fn ellipsis_and_punctuation() {
        assert_eq!(words("Wait... what?!"), ["Wait", "...", "what", "?", "!"]);
    }

    #[test]
    fn cyrillic_and_emoji() {
        assert_eq!(
            tokens("Війська ЗСУ — 🎙️ 🇺🇦 👍🏽"),
            [
                ("Війська", Word),
                ("ЗСУ", Word),
                ("—", Punct),
                ("🎙️", Punct),
                ("🇺🇦", Punct),
                ("👍🏽", Punct),
            ]
        );
    }

    #[test]
    fn offsets_are_into_the_whole_text() {
        let text = "Skip this. Take these words.";
        let found = tokenize(text, 11, text.len());
        assert_eq!(found[0].start, 11);
        assert_eq!(found[0].as_str(text), "Take");
        assert_eq!(found.last().map(|t| t.as_str(text)), Some("."));
    }

    #[test]
    fn bad_bounds_are_clamped() {
        let text = "Київ";
        assert!(tokenize(text, 10, 20).is_empty());
        assert!(tokenize(text, 3, 2).is_empty());
        assert_eq!(tokenize(text, 1, 100).first().map(|t| t.start), Some(0));
        assert!(tokenize("", 0, 0).is_empty());
    }

    #[test]
    fn range_end_cuts_tokens() {
        let text = "U.S. forces";
        assert_eq!(
            tokenize(text, 0, 3)
                .iter()
                .map(|t| t.as_str(text))
                .collect::<Vec<_>>(),
            ["U", ".", "S"]
        );
    }
}
