//! Sentence splitting.
//!
//! The rules, in the order they apply:
//!
//! 1. A blank line always ends a sentence (paragraph break).
//! 2. Inside a paragraph, a single line break ends a sentence only after a line that
//!    stands alone: no terminal punctuation, not ending in a comma, dash or function
//!    word ("and", "the"), followed by a line that does not start in lower case, and
//!    short — at most four words, or under 70% of the paragraph's longest line, or a
//!    title-case line of at most fifteen words. That catches headlines, "By Jane Doe"
//!    and "About the writer" while hard-wrapped lines flow on.
//! 3. `?`, `!` and CJK full stops end a sentence unless the next word starts in lower
//!    case (`"Why?" he asked`).
//! 4. A period ends a sentence when followed by whitespace and a word that does not
//!    start in lower case, except:
//!    - after a "prefix" abbreviation from `data/abbreviations.tsv` ("Gen.", "Mr.",
//!      "No.", "e.g.") or a single capital initial ("J. K. Rowling"): never;
//!    - after a "final" abbreviation ("Ltd.", "etc.", "Jan.") or a dotted acronym
//!      ("U.S.", "U.N.", "p.m."): only when the next word is a common sentence starter
//!      ("The", "It", "But", ... see `abbreviations.rs`) or starts the next line;
//!    - after a list number at the start of a sentence ("1. First point"): never.
//! 5. An ellipsis ("..." or "…") ends a sentence only before a common sentence starter
//!    or at a line end; elsewhere it is a pause inside the sentence.
//!
//! 6. A sentence longer than [`MAX_SENTENCE_BYTES`] is cut at the last space before the
//!    limit (mid-word only when there is no space), so a page with no punctuation costs
//!    linear time in the stages after this one.
//!
//! Closing quotes and brackets after the terminal punctuation stay with the sentence:
//! `he said "we will win." Then` ends after the closing quote. A period with no
//! whitespace after it ("3.5", "U.S", "example.com") never ends a sentence.
//!
//! Lines in texts saved one paragraph per line (as many scraped articles are) end in
//! terminal punctuation, so each line yields its own sentences by rules 2 to 5.

use super::abbreviations::{abbreviation_kind, is_sentence_starter, AbbreviationKind};
use super::{is_closer, is_opener, is_terminal, Sentence};

/// Splits a document's text into sentences: byte ranges, trimmed, in order and not
/// overlapping.
pub fn split_sentences(text: &str) -> Vec<Sentence> {
    let mut sentences = Vec::with_capacity(text.len() / 100 + 1);
    let mut lines = Vec::new();
    for (start, end) in paragraphs(text) {
        split_paragraph(text, start, end, &mut lines, &mut sentences);
    }
    sentences
}

/// Byte ranges `[start, end)` of lines, without their `\n`.
pub(crate) fn line_ranges(
    text: &str,
    start: usize,
    end: usize,
) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = &text.as_bytes()[start..end];
    let mut position = 0;
    let mut done = start == end;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let line_start = position;
        match memchr::memchr(b'\n', &bytes[position..]) {
            Some(offset) => {
                position += offset + 1;
                Some((start + line_start, start + line_start + offset))
            }
            None => {
                done = true;
                Some((start + line_start, start + bytes.len()))
            }
        }
    })
}

/// Paragraphs: runs of non-blank lines, from the first line's start to the last
/// line's end.
pub(crate) fn paragraphs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut lines = line_ranges(text, 0, text.len());
    std::iter::from_fn(move || {
        let mut current: Option<(usize, usize)> = None;
        for (start, end) in lines.by_ref() {
            let blank = text[start..end].trim().is_empty();
            match (&mut current, blank) {
                (None, true) => {}
                (None, false) => current = Some((start, end)),
                (Some(paragraph), false) => paragraph.1 = end,
                (Some(_), true) => return current,
            }
        }
        current
    })
}

fn split_paragraph(
    text: &str,
    start: usize,
    end: usize,
    lines: &mut Vec<(usize, usize)>,
    out: &mut Vec<Sentence>,
) {
    lines.clear();
    lines.extend(line_ranges(text, start, end));
    let longest = lines
        .iter()
        .map(|&(s, e)| text[s..e].trim().chars().count())
        .max()
        .unwrap_or(0);
    let bytes = text.as_bytes();
    let mut sentence_start = start;
    for (k, &(line_start, line_end)) in lines.iter().enumerate() {
        let next_line = lines.get(k + 1).copied();
        let mut candidates = TerminalCandidates::new(bytes, line_end);
        let mut i = line_start;
        while let Some(at) = candidates.next_from(i) {
            i = at;
            let c = text[i..].chars().next().unwrap_or(' ');
            if !is_terminal(c) {
                i += c.len_utf8();
                continue;
            }
            let context = Context {
                text,
                sentence_start,
                line_start,
                line_end,
                next_line,
            };
            let (boundary, resume) = examine(&context, i);
            if let Some(boundary) = boundary {
                push_trimmed(text, sentence_start, boundary, out);
                sentence_start = boundary;
            }
            i = resume;
        }
        if let Some(next) = next_line {
            if sentence_start < line_end
                && stands_alone(&text[line_start..line_end], &text[next.0..next.1], longest)
            {
                push_trimmed(text, sentence_start, line_end, out);
                sentence_start = line_end;
            }
        }
    }
    push_trimmed(text, sentence_start, end, out);
}

/// Where terminal punctuation may stand in a line: '.', '?', '!', or one of the lead
/// bytes that every other terminal character starts with. Lead bytes are never UTF-8
/// continuation bytes, so each position found is a char boundary. Both kinds are found
/// with memchr, and each next position is kept until the scan passes it, so a line is
/// searched once.
struct TerminalCandidates<'a> {
    bytes: &'a [u8],
    end: usize,
    /// The next '.', '?' or '!' at or after where it was last looked for (`end` when
    /// there is none), once looked for.
    ascii: Option<usize>,
    /// The next lead byte of a non-ASCII terminal, likewise.
    lead: Option<usize>,
}

impl<'a> TerminalCandidates<'a> {
    fn new(bytes: &'a [u8], end: usize) -> TerminalCandidates<'a> {
        TerminalCandidates {
            bytes,
            end,
            ascii: None,
            lead: None,
        }
    }

    /// The first candidate at or after `from`, before the end of the line.
    fn next_from(&mut self, from: usize) -> Option<usize> {
        if from >= self.end {
            return None;
        }
        let hay = &self.bytes[from..self.end];
        if self.ascii.is_none_or(|at| at < from) {
            self.ascii =
                Some(memchr::memchr3(b'.', b'?', b'!', hay).map_or(self.end, |o| from + o));
        }
        if self.lead.is_none_or(|at| at < from) {
            self.lead = Some(memchr::memchr3(0xE2, 0xE3, 0xEF, hay).map_or(self.end, |o| from + o));
        }
        let next = self.ascii.min(self.lead)?;
        (next < self.end).then_some(next)
    }
}

struct Context<'a> {
    text: &'a str,
    sentence_start: usize,
    line_start: usize,
    line_end: usize,
    next_line: Option<(usize, usize)>,
}

/// Decides whether the terminal punctuation at `at` ends a sentence. Returns the
/// sentence end (after closing quotes) if it does, and where to resume scanning.
fn examine(cx: &Context, at: usize) -> (Option<usize>, usize) {
    let text = cx.text;
    let line = &text[at..cx.line_end];
    let mut periods = 0;
    let mut ellipsis = false;
    let mut strong = false;
    let mut wide = false;
    let mut offset = 0;
    // The run of terminal characters: "?!", "...", ".".
    for c in line.chars() {
        if !is_terminal(c) {
            break;
        }
        match c {
            '.' => periods += 1,
            '…' => ellipsis = true,
            '?' | '!' => strong = true,
            _ => wide = true,
        }
        offset += c.len_utf8();
    }
    ellipsis |= periods >= 2;
    // Closing quotes and brackets (and punctuation after them, as in `ed.).`).
    for c in line[offset..].chars() {
        if !(is_closer(c) || is_terminal(c)) {
            break;
        }
        offset += c.len_utf8();
    }
    let end = at + offset;
    let after = &text[end..cx.line_end];
    if wide {
        // CJK full stops need no space after them.
        return (Some(end), end);
    }
    if after.chars().next().is_some_and(|c| !c.is_whitespace()) {
        return (None, end);
    }
    // The next word, on this line or the next.
    let (next_text, at_line_end) = match after.trim_start() {
        "" => match cx.next_line {
            Some((s, e)) => (text[s..e].trim_start(), true),
            None => return (Some(end), end),
        },
        rest => (rest, false),
    };
    let next_word = first_word(next_text);
    if next_word.chars().next().is_some_and(char::is_lowercase) && !starts_with_link(next_text) {
        return (None, end);
    }
    let starter = at_line_end || is_sentence_starter(next_word);
    if strong {
        return (Some(end), end);
    }
    if ellipsis {
        return (starter.then_some(end), end);
    }
    let before = word_before(text, cx.line_start, at);
    let ends = match classify(before) {
        Before::Prefix => false,
        Before::Final => starter,
        Before::Number => !text[cx.sentence_start..at - before.len()].trim().is_empty(),
        Before::Word => true,
    };
    (ends.then_some(end), end)
}

enum Before {
    Prefix,
    Final,
    Number,
    Word,
}

fn classify(word: &str) -> Before {
    if word.is_empty() {
        return Before::Word;
    }
    match abbreviation_kind(word) {
        Some(AbbreviationKind::Prefix) => return Before::Prefix,
        Some(AbbreviationKind::Final) => return Before::Final,
        None => {}
    }
    let mut chars = word.chars();
    let first = chars.next().unwrap_or(' ');
    if chars.as_str().is_empty() && first.is_uppercase() {
        // An initial: "J. K. Rowling", "В. Путин".
        return Before::Prefix;
    }
    if is_dotted_acronym(word) {
        return Before::Final;
    }
    if word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit()) {
        return Before::Number;
    }
    Before::Word
}

/// "U.S", "e.g", "a.m": single letters joined by periods (the final period is not
/// part of `word`).
fn is_dotted_acronym(word: &str) -> bool {
    let mut parts = 0;
    for part in word.split('.') {
        let mut chars = part.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_alphabetic() => parts += 1,
            _ => return false,
        }
    }
    parts >= 2
}

/// The word just before byte `at`, without opening quotes or brackets.
fn word_before(text: &str, line_start: usize, at: usize) -> &str {
    let segment = &text[line_start..at];
    let start = segment
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    segment[start..].trim_start_matches(|c: char| is_opener(c) || matches!(c, '—' | '–' | '-'))
}

/// The first word of `text` after opening quotes and brackets: its letters and digits.
fn first_word(text: &str) -> &str {
    let text = text.trim_start().trim_start_matches(is_opener);
    let end = text
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// True when `text` starts with a web address ("pic.example.com/x", "https://..."),
/// which begins in lower case but still follows a finished sentence.
fn starts_with_link(text: &str) -> bool {
    let chunk = text.split(char::is_whitespace).next().unwrap_or_default();
    chunk.contains("://")
        || chunk.starts_with("www.")
        || (chunk.contains('.') && chunk.contains('/'))
}

/// Words after which a line cannot end a headline or byline: the sentence goes on.
const CONTINUATION_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "but", "by", "for", "from", "has", "had", "have", "in",
    "is", "its", "of", "on", "or", "that", "the", "their", "to", "was", "were", "which", "who",
    "will", "with",
];

/// True when `line` is a heading, byline or banner line that is its own sentence.
fn stands_alone(line: &str, next_line: &str, longest: usize) -> bool {
    let line = line.trim();
    let Some(last) = line.trim_end_matches(is_closer).chars().next_back() else {
        return false;
    };
    if is_terminal(last) || matches!(last, ',' | ';' | ':' | '-' | '–' | '—' | '/' | '&' | '(')
    {
        return false;
    }
    let last_word = line.rsplit(char::is_whitespace).next().unwrap_or_default();
    if CONTINUATION_WORDS
        .iter()
        .any(|w| w.eq_ignore_ascii_case(last_word))
    {
        return false;
    }
    let next_first = next_line.trim_start().trim_start_matches(is_opener);
    if next_first.chars().next().is_some_and(char::is_lowercase) {
        return false;
    }
    let mut words = 0;
    let mut capitalised = 0;
    for word in line.split_whitespace() {
        words += 1;
        if word
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| !c.is_lowercase())
        {
            capitalised += 1;
        }
    }
    if words > 20 {
        return false;
    }
    let short = words <= 4 || line.chars().count() * 10 <= longest * 7;
    let title_case = words <= 15 && capitalised * 4 >= words * 3;
    short || title_case
}

/// The longest sentence, in bytes, before it is cut at a space. Real sentences stay far
/// below it; a scraped page with a megabyte of text and no full stop does not, and every
/// later stage looks at word pairs within a sentence, so an uncut one costs time
/// quadratic in its length.
pub const MAX_SENTENCE_BYTES: usize = 2_000;

fn push_trimmed(text: &str, mut start: usize, end: usize, out: &mut Vec<Sentence>) {
    while end - start > MAX_SENTENCE_BYTES {
        let mut cut = start + MAX_SENTENCE_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        // Cut after the last whitespace in the window, or mid-word when there is none.
        if let Some(space) = text[start..cut].rfind(char::is_whitespace) {
            if space > 0 {
                cut = start + space;
            }
        }
        push_piece(text, start, cut, out);
        start = cut;
    }
    push_piece(text, start, end, out);
}

fn push_piece(text: &str, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let slice = &text[start..end];
    let trimmed = slice.trim_start();
    let start = start + (slice.len() - trimmed.len());
    let trimmed = trimmed.trim_end();
    if !trimmed.is_empty() {
        out.push(Sentence {
            start,
            end: start + trimmed.len(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_candidates_are_every_terminal_or_lead_byte_in_order() {
        let pieces = [
            "a", " ", ".", "?", "!", "…", "。", "！", "’", "—", "é", "Київ", "\n", "U.S.", "5.2",
        ];
        for text in crate::extract::testing::random_texts(&pieces, 11, 5_000, 16) {
            let bytes = text.as_bytes();
            let by_byte: Vec<usize> = (0..bytes.len())
                .filter(|i| matches!(bytes[*i], b'.' | b'?' | b'!' | 0xE2 | 0xE3 | 0xEF))
                .collect();
            // Stepping as the sentence scan does: from each candidate to the next byte,
            // and from the start again with a fresh scanner, on the whole text.
            let mut candidates = TerminalCandidates::new(bytes, bytes.len());
            let mut found = Vec::new();
            let mut from = 0;
            while let Some(at) = candidates.next_from(from) {
                found.push(at);
                from = at + 1;
            }
            assert_eq!(found, by_byte, "{text:?}");
            // Jumps past several candidates at once (as after a sentence end) find the
            // first one after the jump.
            let mut candidates = TerminalCandidates::new(bytes, bytes.len());
            for from in (0..bytes.len()).step_by(3) {
                let expected = by_byte.iter().copied().find(|at| *at >= from);
                assert_eq!(candidates.next_from(from), expected, "{text:?} from {from}");
            }
        }
    }

    fn split(text: &str) -> Vec<&str> {
        split_sentences(text)
            .iter()
            .map(|s| s.as_str(text))
            .collect()
    }

    #[test]
    fn a_megabyte_without_punctuation_is_cut_at_spaces() {
        let text = "soldiers left their posts near Bakhmut and ".repeat(25_000);
        let sentences = split_sentences(&text);
        assert!(sentences.len() >= text.len() / MAX_SENTENCE_BYTES);
        for sentence in &sentences {
            assert!(sentence.end - sentence.start <= MAX_SENTENCE_BYTES);
            let starts_a_word = sentence.start == 0 || text[..sentence.start].ends_with(' ');
            assert!(starts_a_word, "cut mid-word at {}", sentence.start);
        }
        let unbroken = "é".repeat(3_001);
        let pieces = split(&unbroken);
        assert_eq!(
            pieces.concat(),
            unbroken,
            "no space: cut on char boundaries"
        );
    }

    #[test]
    fn empty_and_blank_input_has_no_sentences() {
        assert!(split("").is_empty());
        assert!(split("  \n\n\t \n").is_empty());
    }

    #[test]
    fn plain_sentences_with_question_and_exclamation() {
        assert_eq!(
            split("The town fell. Did the army retreat? It did!  Nobody knows."),
            [
                "The town fell.",
                "Did the army retreat?",
                "It did!",
                "Nobody knows."
            ]
        );
    }

    #[test]
    fn titles_and_common_abbreviations_do_not_end_sentences() {
        for text in [
            "Mr. Smith and Mrs. Jones met Ms. Lee and Dr. Brown at noon.",
            "Gen. Petrov, Lt. Ivanov, Col. Sokolov and Maj. Orlov were there.",
            "Capt. Reyes, Sgt. Moss and Adm. Kerr spoke after Gov. Hale.",
            "Sen. Ames, Rep. Diaz, Pres. Novak and Prof. Ulm signed it.",
            "St. Petersburg hosted John Doe Jr. Parker and Sam Roe Sr. Miller.",
            "Brigade No. 5 and Nos. 7 and 8 moved vs. the enemy on Jan. 4.",
            "Tanks, guns, etc. were lost, e.g. near the river, i.e. the Donets.",
            "It holds approx. 300 men, est. 40 vehicles in total.",
            "Acme Inc. and Beta Ltd. and Gamma Co. and Delta Corp. bid.",
            "They met on Feb. 2, Mar. 3, Apr. 4, Aug. 8, Sept. 9 and Sep. 10.",
            "Talks ran from Oct. 1 through Nov. 2 to Dec. 3 without result.",
            "The novel by J. K. Rowling was mentioned by John F. Kennedy Jr. once.",
            "Officials in the U.S. and U.K. and at the U.N. and the E.U. agreed.",
        ] {
            assert_eq!(split(text), [text], "split inside: {text}");
        }
    }

    #[test]
    fn dotted_acronym_ends_a_sentence_before_a_common_starter() {
        assert_eq!(
            split("Aid arrived in the U.S. The next day it left."),
            ["Aid arrived in the U.S.", "The next day it left."]
        );
        assert_eq!(
            split("The deal went to Acme Ltd. It was signed at 5 p.m. But nobody came."),
            [
                "The deal went to Acme Ltd.",
                "It was signed at 5 p.m.",
                "But nobody came."
            ]
        );
        assert_eq!(
            split("Sanctions from the U.S. Treasury followed."),
            ["Sanctions from the U.S. Treasury followed."]
        );
    }

    #[test]
    fn decimals_ellipses_and_urls_stay_inside() {
        assert_eq!(
            split("Losses rose 3.5 times... and then fell. See example.com/a.b for more."),
            [
                "Losses rose 3.5 times... and then fell.",
                "See example.com/a.b for more."
            ]
        );
        assert_eq!(
            split("He hesitated … Kyiv was quiet."),
            ["He hesitated … Kyiv was quiet."]
        );
        assert_eq!(
            split("They waited... The order never came."),
            ["They waited...", "The order never came."]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            split("He said \"we will win.\" Then he left."),
            ["He said \"we will win.\"", "Then he left."]
        );
        assert_eq!(
            split("She wrote “the line held.” Nobody answered. He called it ‘over.’ Fine."),
            [
                "She wrote “the line held.”",
                "Nobody answered.",
                "He called it ‘over.’",
                "Fine."
            ]
        );
        assert_eq!(
            split("It was 'finished.' Soldiers (about 40.) left."),
            ["It was 'finished.'", "Soldiers (about 40.) left."]
        );
        assert_eq!(
            split("\"Why?\" he asked. \"Go!\" She ran."),
            ["\"Why?\" he asked.", "\"Go!\"", "She ran."]
        );
    }

    #[test]
    fn blank_line_always_ends_a_sentence() {
        assert_eq!(
            split("A sentence with no end\n\nNext paragraph starts here"),
            ["A sentence with no end", "Next paragraph starts here"]
        );
    }

    #[test]
    fn hard_wrapped_lines_flow_into_one_sentence() {
        let text = "The brigade said on Tuesday that it had withdrawn from the\n\
                    village after weeks of shelling, and that Commander Ivan\n\
                    Petrenko had ordered the move. Supplies ran out.\n";
        assert_eq!(
            split(text),
            [
                "The brigade said on Tuesday that it had withdrawn from the\n\
                 village after weeks of shelling, and that Commander Ivan\n\
                 Petrenko had ordered the move.",
                "Supplies ran out."
            ]
        );
    }

    #[test]
    fn abbreviation_at_a_wrapped_line_end_does_not_split() {
        assert_eq!(
            split("A statement from Gen.\nPetrov came late."),
            ["A statement from Gen.\nPetrov came late."]
        );
    }

    #[test]
    fn headings_bylines_and_banners_are_their_own_sentences() {
        let text = "📻 Audio is machine-read. Errors may happen.\n\
                    Troops Abandon Positions Near River Town\n\
                    By Anna Kovalenko\n\
                    Soldiers left their trenches near the river this week, the army said.\n\
                    \"We cannot hold,\" one officer told reporters.\n\
                    About the author\n\
                    Anna Kovalenko covers the war for a regional paper. Her work ... Read more";
        assert_eq!(
            split(text),
            [
                "📻 Audio is machine-read.",
                "Errors may happen.",
                "Troops Abandon Positions Near River Town",
                "By Anna Kovalenko",
                "Soldiers left their trenches near the river this week, the army said.",
                "\"We cannot hold,\" one officer told reporters.",
                "About the author",
                "Anna Kovalenko covers the war for a regional paper.",
                "Her work ... Read more",
            ]
        );
    }

    #[test]
    fn one_paragraph_per_line_ends_at_each_line() {
        let text = "Troops moved to the U.S.\nRussia denied it.\nMore came later...\nThe end.";
        assert_eq!(
            split(text),
            [
                "Troops moved to the U.S.",
                "Russia denied it.",
                "More came later...",
                "The end."
            ]
        );
    }

    #[test]
    fn list_numbers_do_not_make_sentences() {
        assert_eq!(
            split("1. The first point is here.\n2. The second one.\nIt was 2022. Then peace."),
            [
                "1. The first point is here.",
                "2. The second one.",
                "It was 2022.",
                "Then peace."
            ]
        );
    }

    #[test]
    fn cyrillic_and_cjk() {
        assert_eq!(
            split("Войска отошли. В. В. Путин молчал! Что дальше?"),
            ["Войска отошли.", "В. В. Путин молчал!", "Что дальше?"]
        );
        assert_eq!(
            split("部队撤退了。没有人知道。"),
            ["部队撤退了。", "没有人知道。"]
        );
    }

    #[test]
    fn emoji_and_offsets_point_into_the_text() {
        let text = "  🎙️ Voice note. 🇺🇦 Flag follows!  ";
        let sentences = split_sentences(text);
        assert_eq!(sentences.len(), 2);
        assert_eq!(sentences[0].as_str(text), "🎙️ Voice note.");
        assert_eq!(sentences[1].as_str(text), "🇺🇦 Flag follows!");
        assert_eq!(sentences[0].start, 2);
        assert_eq!(sentences[1].end, text.len() - 2);
    }

    #[test]
    fn nested_closers_after_a_period() {
        assert_eq!(
            split("Units held the sector (the south — ed.). Within it, men fled."),
            [
                "Units held the sector (the south — ed.).",
                "Within it, men fled."
            ]
        );
    }

    #[test]
    fn lowercase_after_a_period_continues_unless_a_link_follows() {
        assert_eq!(split("He said no. and left."), ["He said no. and left."]);
        assert_eq!(
            split("Troops fled. pic.example.com/AbC1 — Some Account (@acct) May 2, 2025"),
            [
                "Troops fled.",
                "pic.example.com/AbC1 — Some Account (@acct) May 2, 2025"
            ]
        );
        assert_eq!(
            split("See the report. https://example.org/x has it."),
            ["See the report.", "https://example.org/x has it."]
        );
    }
}
