//! Capitalised name spans, found without a regex.
//!
//! [`cap_spans`] returns exactly what `CAP_SPAN.find_iter` (in `entities.rs`) returns:
//! runs of capitalised words, dotted acronyms and ordinals, joined by blanks or by a
//! link word ("of", "for", "de", ...). The regex has large Unicode classes (`\p{Lu}`,
//! `\p{L}`, `\p{M}`), whose lazy DFA costs more to build and to run than the rest of a
//! sentence's extraction; this scanner decides the same matches with byte tests.
//!
//! It reads only text whose characters it can classify exactly as the regex does: ASCII,
//! the Latin letters of U+00C0..=U+024F and general punctuation (dashes, curly quotes,
//! ellipses). A sentence with any other character goes to the regex, so the two agree
//! on every input (see the tests, which check both).
//!
//! How the regex's leftmost-first (backtracking) semantics come out here: everything
//! after a word is optional, so the first way a word can match, in the pattern's order
//! of preference, is the one taken, and an extension of the span is tried only with
//! the separators' own preference order.

use regex::Regex;
use std::sync::LazyLock;

/// A capitalised word, a dotted acronym or an ordinal.
pub(crate) const CAP_WORD: &str = r"(?:\p{Lu}[\p{L}\p{M}'’\-]*[\p{L}\p{M}]|\p{Lu}(?:\.\p{Lu})+\.?|\p{Lu}|\d+(?:st|nd|rd|th))(?:['’]s?)?";

/// A run of capitalised words with blanks or link words between them.
pub(crate) static CAP_SPAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"{CAP_WORD}(?:(?:[ \t]+|[ \t]+(?:of|for|de|von|van|al|bin)[ \t]+(?:the[ \t]+)?){CAP_WORD})*"
    ))
    .expect("name span pattern compiles")
});

/// The link words, in the pattern's order.
const LINKS: [&str; 7] = ["of", "for", "de", "von", "van", "al", "bin"];

/// Byte ranges of the name spans of `text`, as `CAP_SPAN.find_iter` finds them.
pub fn cap_spans(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    if !text.is_ascii() && !text.chars().all(is_known) {
        out.extend(CAP_SPAN.find_iter(text).map(|m| (m.start(), m.end())));
        return;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    // A span starts with a capital letter or a digit: the scan skips to the next byte
    // that may start one (most bytes are lower-case letters and blanks).
    while let Some(skip) = bytes[i..].iter().position(|b| MAY_START[usize::from(*b)]) {
        i += skip;
        if let Some(end) = span_at(text, i) {
            out.push((i, end));
            i = end;
            continue;
        }
        i += char_len(bytes[i]);
    }
}

/// The bytes a span may start with: an ASCII capital or digit, or the first byte of a
/// character that is not ASCII. (A table: one load a byte instead of three tests.)
static MAY_START: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_uppercase() || byte.is_ascii_digit() || byte >= 0x80;
        b += 1;
    }
    table
};

/// Whether the scanner classifies `c` as the regex does.
fn is_known(c: char) -> bool {
    c.is_ascii()
        || (('\u{c0}'..='\u{24f}').contains(&c) && c != '×' && c != '÷')
        || ('\u{2010}'..='\u{205e}').contains(&c)
        || c == '\u{a0}'
}

/// The length of the UTF-8 character that starts with byte `b`.
fn char_len(b: u8) -> usize {
    match b {
        0..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|rest| rest.chars().next())
}

/// `\p{Lu}` for a known character.
fn is_upper(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else {
        ('\u{c0}'..='\u{24f}').contains(&c) && c.is_uppercase()
    }
}

/// `[\p{L}\p{M}]` for a known character.
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        ('\u{c0}'..='\u{24f}').contains(&c) && c.is_alphabetic()
    }
}

/// `[\p{L}\p{M}'’\-]` for a known character.
fn is_inner(c: char) -> bool {
    is_letter(c) || matches!(c, '\'' | '’' | '-')
}

/// The number of space and tab bytes at `i`.
fn blanks(bytes: &[u8], i: usize) -> usize {
    bytes.get(i..).map_or(0, |rest| {
        rest.iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count()
    })
}

/// The end of the match of the whole span pattern that starts at `i`, if one does.
fn span_at(text: &str, i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = word_at(text, i)?;
    loop {
        let gap = blanks(bytes, end);
        if gap == 0 {
            break;
        }
        let next = end + gap;
        if let Some(e) = word_at(text, next) {
            end = e;
            continue;
        }
        // "Ministry of Defence", "Institute for the Study of War".
        let rest = &text[next..];
        let Some(link) = LINKS.iter().find(|l| rest.starts_with(**l)) else {
            break;
        };
        let after_link = next + link.len();
        let gap = blanks(bytes, after_link);
        if gap == 0 {
            break;
        }
        let word_start = after_link + gap;
        let after_the = text[word_start..]
            .starts_with("the")
            .then(|| blanks(bytes, word_start + 3))
            .filter(|gap| *gap > 0)
            .and_then(|gap| word_at(text, word_start + 3 + gap));
        match after_the.or_else(|| word_at(text, word_start)) {
            Some(e) => end = e,
            None => break,
        }
    }
    Some(end)
}

/// The end of the match of [`CAP_WORD`] that starts at `i`, if one does.
fn word_at(text: &str, i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let first = char_at(text, i)?;
    let mut end = if is_upper(first) {
        let after = i + first.len_utf8();
        // A capitalised word: the longest run of inner characters that ends in a letter.
        let mut j = after;
        let mut last_letter = None;
        while let Some(c) = char_at(text, j).filter(|c| is_inner(*c)) {
            j += c.len_utf8();
            if is_letter(c) {
                last_letter = Some(j);
            }
        }
        match last_letter {
            Some(e) => e,
            None => {
                // A dotted acronym ("U.S."), else the capital alone.
                let mut j = after;
                while bytes.get(j) == Some(&b'.') {
                    match char_at(text, j + 1).filter(|c| is_upper(*c)) {
                        Some(c) => j += 1 + c.len_utf8(),
                        None => break,
                    }
                }
                if j > after && bytes.get(j) == Some(&b'.') {
                    j += 1;
                }
                j
            }
        }
    } else if first.is_ascii_digit() {
        // An ordinal: "58th".
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        let j = i + digits;
        match bytes.get(j..j + 2) {
            Some(b"st" | b"nd" | b"rd" | b"th") => j + 2,
            _ => return None,
        }
    } else {
        return None;
    };
    // A possessive or plural apostrophe.
    if let Some(c) = char_at(text, end).filter(|c| matches!(c, '\'' | '’')) {
        end += c.len_utf8();
        if bytes.get(end) == Some(&b's') {
            end += 1;
        }
    }
    Some(end)
}

/// An apposition after a name: ", the ministry's spokesperson," or ", who serves as ...".
/// The scanner [`apposition_after`] stands in for it; the regex stays as its definition.
#[cfg(test)]
pub(crate) static APPOSITION_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*,\s+(?:who\s+(?:serves|served|is|was|works|worked)\s+as\s+)?(?:(?:a|an|the)\s+)?([^,.;()]{1,120})")
        .expect("apposition pattern compiles")
});

/// The byte range of group 1 of `APPOSITION_AFTER.captures(text)`, found by following
/// the regex's backtracking order by hand: its Unicode `[^,.;()]{1,120}` makes an
/// automaton far dearer to build and run than this scan. Exact on all text: `\s` is
/// `char::is_whitespace` (both are Unicode White_Space; a test checks every character).
pub fn apposition_after(text: &str) -> Option<(usize, usize)> {
    let rest = text.trim_start_matches(char::is_whitespace);
    let comma = text.len() - rest.len();
    let after_comma = comma + rest.strip_prefix(',').map(|_| 1)?;
    let start = after_spaces(text, after_comma)?
        .into_iter()
        .find_map(|at| {
            // The optional "who serves as" is tried before going without it, and both
            // before the blanks after the comma give one back.
            who_serves_as(text, at).or_else(|| article_then_phrase(text, at))
        })?;
    // At most 120 phrase characters; the first one is there, or `start` would not be.
    let end = text[start..]
        .char_indices()
        .take(120)
        .take_while(|(_, c)| is_phrase_char(*c))
        .last()
        .map_or(start, |(k, c)| start + k + c.len_utf8());
    Some((start, end))
}

/// `[^,.;()]`.
fn is_phrase_char(c: char) -> bool {
    !matches!(c, ',' | '.' | ';' | '(' | ')')
}

/// Whether a phrase character starts at `i`.
fn phrase_at(text: &str, i: usize) -> bool {
    char_at(text, i).is_some_and(is_phrase_char)
}

/// Where `\s+` at `i` may end, in the order a greedy `\s+` tries them: the end of the
/// blank run first, then one blank less, and so on (at most two matter: past the first,
/// what follows is a blank, which `[^,.;()]` takes at once). `None` if no blank is at `i`.
fn after_spaces(text: &str, i: usize) -> Option<[usize; 2]> {
    let mut ends = text[i..]
        .char_indices()
        .take_while(|(_, c)| c.is_whitespace())
        .map(|(k, c)| i + k + c.len_utf8());
    let first = ends.next()?;
    // With one blank, "one less" is the run's end again: a repeat that finds the same.
    let (one_less, last) = ends.fold((first, first), |(_, last), end| (last, end));
    Some([last, one_less])
}

/// `(?:(?:a|an|the)\s+)?` then the first phrase character, at `i`: where the phrase
/// starts, if it can.
fn article_then_phrase(text: &str, i: usize) -> Option<usize> {
    let with_article = ["a", "an", "the"].iter().find_map(|article| {
        let after = i + article.len();
        let ends = text[i..]
            .starts_with(article)
            .then(|| after_spaces(text, after))
            .flatten()?;
        ends.into_iter().find(|e| phrase_at(text, *e))
    });
    with_article.or_else(|| phrase_at(text, i).then_some(i))
}

/// `who\s+(?:serves|served|is|was|works|worked)\s+as\s+` at `i`, then the rest of the
/// pattern: where the phrase starts, if it can.
fn who_serves_as(text: &str, i: usize) -> Option<usize> {
    // A blank run followed by a letter can end only where the run ends.
    let word_after = |at: usize, words: &[&str]| -> Option<usize> {
        let [end, _] = after_spaces(text, at)?;
        words
            .iter()
            .find(|w| text[end..].starts_with(**w))
            .map(|w| end + w.len())
    };
    let rest = text.get(i..)?;
    if !rest.starts_with("who") {
        return None;
    }
    let verb_end = word_after(i + 3, &["serves", "served", "is", "was", "works", "worked"])?;
    let as_end = word_after(verb_end, &["as"])?;
    after_spaces(text, as_end)?
        .into_iter()
        .find_map(|at| article_then_phrase(text, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_regex(text: &str) -> Vec<(usize, usize)> {
        CAP_SPAN
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect()
    }

    fn by_scanner(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        cap_spans(text, &mut out);
        out
    }

    /// Every character the scanner reads itself is classified as the regex does.
    #[test]
    fn known_characters_have_the_regex_classes() {
        let upper = Regex::new(r"^\p{Lu}$").unwrap();
        let letter = Regex::new(r"^[\p{L}\p{M}]$").unwrap();
        let digit = Regex::new(r"^\d$").unwrap();
        let blank = Regex::new(r"^[ \t]$").unwrap();
        for c in (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|c| is_known(*c))
        {
            let s = c.to_string();
            assert_eq!(is_upper(c), upper.is_match(&s), "{c:?} upper");
            assert_eq!(is_letter(c), letter.is_match(&s), "{c:?} letter");
            assert_eq!(c.is_ascii_digit(), digit.is_match(&s), "{c:?} digit");
            assert_eq!(matches!(c, ' ' | '\t'), blank.is_match(&s), "{c:?} blank");
        }
    }

    #[test]
    fn spans_match_the_regex_on_examples() {
        for text in [
            "The Ministry of Defence of the Russian Federation said on Monday",
            "U.S. President Joe Biden met O'Brien's team and the 58th Combined Arms Army",
            "Institute for the Study of War (ISW) and Forces' commander",
            "Kyiv’s mayor, Vitali Klitschko, said the A.B. unit and 3rd Brigade",
            "Leonardo da Vinci, Ursula von der Leyen, Abu Bakr al Baghdadi, Osama bin Laden",
            "Zelenskyy's office and Škoda's plant in Plzeň, Curaçao",
            "ends with a Capital",
            "12345 and 2nd and x58th and 1st's and 3rdly",
            "Mixed \t tabs\tOf the\tWorld and A.b and U.S and U.S.A.",
            "a 🎙 emoji keeps the regex path for Kyiv",
            "Straße and ÉLYSÉE and Łódź and Ǆemal and ǅemal",
        ] {
            assert_eq!(by_scanner(text), by_regex(text), "{text}");
        }
    }

    /// Random texts from pieces that exercise every branch of the pattern.
    #[test]
    fn spans_match_the_regex_on_random_texts() {
        const PIECES: &[&str] = &[
            " ", " ", "  ", "\t", "of", "for", "de", "von", "van", "al", "bin", "the", "The", "A",
            "B", "Kyiv", "U", ".", ".", "S", "'", "’", "s", "-", "x", "é", "É", "Ž", "58", "1",
            "st", "nd", "rd", "th", ",", "O'", "Mc", "—", "“", "”", "…", "\u{a0}", "ß", "ǅ", "\n",
            "×", "ª",
        ];
        for text in
            crate::extract::testing::random_texts(PIECES, 0x2545_f491_4f6c_dd1d_u64, 20_000, 14)
        {
            assert_eq!(by_scanner(&text), by_regex(&text), "{text:?}");
        }
    }

    fn apposition_by_regex(text: &str) -> Option<(usize, usize)> {
        APPOSITION_AFTER
            .captures(text)
            .map(|c| c.get(1).expect("group"))
            .map(|m| (m.start(), m.end()))
    }

    /// `\s` is `char::is_whitespace` on every character.
    #[test]
    fn blanks_are_the_regex_whitespace() {
        let space = Regex::new(r"^\s$").unwrap();
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(c.is_whitespace(), space.is_match(&c.to_string()), "{c:?}");
        }
    }

    #[test]
    fn appositions_match_the_regex_on_examples() {
        for text in [
            ", the ministry's spokesperson, said",
            " , who serves as the head of the agency.",
            ",  who  was  as  an  , x",
            ", who is as ,",
            ", a  ,",
            ", an official",
            ",\u{a0}Київ — the mayor",
            "no comma",
            ",",
            ", ",
            ",  ,",
        ] {
            assert_eq!(
                apposition_after(text),
                apposition_by_regex(text),
                "{text:?}"
            );
        }
        let long = format!(", {}", "é".repeat(200));
        assert_eq!(apposition_after(&long), apposition_by_regex(&long));
    }

    /// Random texts from pieces that exercise every branch of the pattern.
    #[test]
    fn appositions_match_the_regex_on_random_texts() {
        const PIECES: &[&str] = &[
            " ", " ", "  ", "\t", "\n", "\u{a0}", "\u{2003}", ",", ",", ".", ";", "(", ")", "who",
            "serves", "served", "is", "was", "works", "worked", "as", "a", "an", "the", "x", "é",
            "’", "—", "Київ", "s", "w", "aa", "whom",
        ];
        for text in
            crate::extract::testing::random_texts(PIECES, 0x9e37_79b9_7f4a_7c15_u64, 40_000, 16)
        {
            assert_eq!(
                apposition_after(&text),
                apposition_by_regex(&text),
                "{text:?}"
            );
        }
        // Long phrases, for the 120-character limit.
        const LONG: &[&str] = &[
            " ",
            ",",
            "abcdefghij",
            "é",
            "Київ",
            "—",
            "the ",
            "who is as ",
        ];
        for text in
            crate::extract::testing::random_texts(LONG, 0x2545_f491_4f6c_dd1d_u64, 5_000, 40)
        {
            let text = format!(", {text}");
            assert_eq!(
                apposition_after(&text),
                apposition_by_regex(&text),
                "{text:?}"
            );
        }
    }
}
