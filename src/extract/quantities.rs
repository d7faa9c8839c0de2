//! Figures, periods and times in a sentence: "more than 4,500 soldiers", "between 15,000
//! and 18,000 deserters ... each month", "since February 2022".

use super::gate::{has_digit, Gate};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A figure as written, with its bounds.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Quantity {
    /// The figure as written, with its modifier ("more than 4,500").
    pub text: String,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// What is counted ("soldiers", "criminal cases").
    pub unit: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// A [`Quantity`] decoded with its strings borrowed as unchecked bytes (see
/// [`super::ExtractionIn`]): the same fields in the same order.
#[derive(Debug, PartialEq, serde::Deserialize)]
pub struct QuantityIn<'a> {
    pub text: &'a [u8],
    pub low: Option<f64>,
    pub high: Option<f64>,
    #[serde(borrow)]
    pub unit: Option<&'a [u8]>,
    pub start: usize,
    pub end: usize,
}

impl<'a> From<&'a Quantity> for QuantityIn<'a> {
    fn from(quantity: &'a Quantity) -> QuantityIn<'a> {
        QuantityIn {
            text: quantity.text.as_bytes(),
            low: quantity.low,
            high: quantity.high,
            unit: quantity.unit.as_deref().map(str::as_bytes),
            start: quantity.start,
            end: quantity.end,
        }
    }
}

const NUMBER: &str = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*(?:%|percent|per cent))?(?:\s+(?:million|thousand|billion))?";
/// Longer phrases first: the regex takes the first alternative that matches.
const WORD_NUMBER: &str = r"(?:hundreds of thousands|tens of thousands|half a million|a million|millions|a hundred|hundreds|a thousand|thousands|a dozen|dozens|scores|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)";
/// No modifier is another's first words: [`plain_groups`] relies on it.
pub(crate) const MODIFIERS: [&str; 19] = [
    "more than",
    "over",
    "at least",
    "about",
    "approximately",
    "around",
    "nearly",
    "almost",
    "up to",
    "some",
    "roughly",
    "fewer than",
    "less than",
    "under",
    "as many as",
    "an estimated",
    "close to",
    "just over",
    "just under",
];

/// A figure without digits is a number word: one of these is in it.
pub(crate) static NUMBER_WORD_GATE: Gate = Gate::any_case(&[
    "hundred", "thousand", "million", "dozen", "scores", "one", "two", "three", "four", "five",
    "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty", "thirty",
    "forty", "fifty",
]);

static QUANTITY: LazyLock<Regex> = LazyLock::new(|| build_quantity("i"));

/// [`QUANTITY`] with ASCII `\b`, `\d`, `\s` and case folding, for ASCII texts, where the
/// two match alike (a test compares them). Unicode's classes make an NFA several times
/// larger, and the bounded backtracker that reads the groups of every match walks it.
static ASCII_QUANTITY: LazyLock<Regex> = LazyLock::new(|| build_quantity("i-u"));

fn build_quantity(flags: &str) -> Regex {
    let modifier = MODIFIERS.join("|");
    Regex::new(&format!(
        r"(?{flags})\b(?:(?P<between>between)\s+(?P<a>{NUMBER}|{WORD_NUMBER})\s+and\s+(?P<b>{NUMBER}|{WORD_NUMBER})|(?:(?P<mod>(?:{modifier}))\s+)?(?P<n>{NUMBER}|{WORD_NUMBER})(?:\s*(?:-|–|to)\s*(?P<n2>{NUMBER}))?)\b(?P<pct>%)?"
    ))
    .expect("quantity pattern compiles")
}

/// The regex that finds figures in `text`: [`ASCII_QUANTITY`] if it may.
fn quantity_regex(text: &str) -> &'static Regex {
    if text.is_ascii() {
        &ASCII_QUANTITY
    } else {
        &QUANTITY
    }
}

/// The groups of [`QUANTITY`] by number: a look-up by name hashes the name, once per
/// group and figure.
const BETWEEN: usize = 1;
const LOW: usize = 2;
const HIGH: usize = 3;
const MODIFIED: usize = 4;
const N: usize = 5;
const N2: usize = 6;

/// "the 66th exchange", "the 12th round": an ordinal counting events is the figure.
static ORDINAL_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d+)(?:st|nd|rd|th)\s+(?:exchange|swap|round|wave|attack|strike|convoy|mobili[sz]ation)s?\b")
        .expect("ordinal pattern compiles")
});

pub(crate) static PERIOD_GATE: Gate =
    Gate::any_case(&["day", "week", "month", "year", "daily", "annually"]);

static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:each|every|per|a)\s+(?:day|week|month|year)\b|\b(?:daily|weekly|monthly|annually)\b")
        .expect("period pattern compiles")
});

const MONTH: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)";
const WEEKDAY: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?:since|in|by|until|during)\s+(?:(?:early|late|mid-)\s*)?{MONTH}(?:\s+\d{{4}})?|(?:since|in|by|until|during)\s+\d{{4}}|since the (?:start|beginning) of (?:the )?(?:year|war|invasion|full-scale invasion)|in the (?:first|last|past) (?:\w+ )?(?:months|weeks|days|years)(?: of \d{{4}})?|{MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?|\d{{1,2}}\s+{MONTH}(?:\s+\d{{4}})?|on\s+{WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?|(?:earlier|later|late|early)\s+(?:this|last)\s+(?:week|month|year)|(?:this|last|past)\s+(?:week|month|year|weekend)|{WEEKDAY}\s+(?:morning|afternoon|evening|night))\b"
    ))
    .expect("time pattern compiles")
});

/// Every time expression without digits names a month, a day, a week, a month or a
/// year, or opens with "since the" or "in the".
pub(crate) static TIME_GATE: Gate = Gate::exact(&[
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
    "day",
    "week",
    "month",
    "year",
    "since the",
    "in the",
]);

/// Of the time expressions, only "since 2022" (a year after `since`, `in`, `by`,
/// `until` or `during`) names no month, day, week or year and opens with neither "since
/// the" nor "in the": four digits in a row stand for it. (Most claims hold a figure, but
/// few hold a year.)
fn may_name_a_time(text: &str) -> bool {
    TIME_GATE.may_match(text) || has_four_digits(text)
}

/// Whether `text` holds four digits in a row, as the regex `\d{4}` needs (Unicode
/// digits; any numeric character counts, which lets through more, never less).
fn has_four_digits(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_numeric() { run + 1 } else { 0 };
        if run == 4 {
            return true;
        }
    }
    false
}

/// Words that end the search for what a figure counts.
const UNIT_STOP_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "from", "by", "with",
    "had", "have", "has", "were", "was", "are", "is", "be", "been", "will", "would", "could",
    "may", "per", "each", "every", "since", "than", "that", "who", "which", "this", "these",
    "their", "its", "his", "her", "our", "alone", "already", "more", "also", "so", "far",
];

/// Conjunctions, prepositions and adverbs of time that may follow a figure without saying
/// what it counts ("above 50,000 as Moscow stays silent", "passed 50,000 earlier this
/// week"): they end the search too.
const FIGURE_FOLLOWERS: &[&str] = &[
    "as",
    "but",
    "while",
    "when",
    "after",
    "before",
    "because",
    "if",
    "into",
    "over",
    "under",
    "about",
    "around",
    "near",
    "during",
    "until",
    "against",
    "between",
    "within",
    "without",
    "then",
    "not",
    "last",
    "next",
    "ago",
    "yet",
    "still",
    "now",
    "earlier",
    "later",
    "overnight",
    "today",
    "yesterday",
    "tonight",
    "total",
    "apiece",
];

fn parse_number(text: &str) -> Option<f64> {
    let lower = text.to_lowercase();
    let word_value = match lower.as_str() {
        "one" => Some(1.0),
        "two" => Some(2.0),
        "three" => Some(3.0),
        "four" => Some(4.0),
        "five" => Some(5.0),
        "six" => Some(6.0),
        "seven" => Some(7.0),
        "eight" => Some(8.0),
        "nine" => Some(9.0),
        "ten" => Some(10.0),
        "eleven" => Some(11.0),
        "twelve" | "a dozen" => Some(12.0),
        "fifteen" => Some(15.0),
        "twenty" | "scores" => Some(20.0),
        "thirty" => Some(30.0),
        "forty" => Some(40.0),
        "fifty" => Some(50.0),
        "dozens" => Some(24.0),
        "a hundred" => Some(100.0),
        "hundreds" => Some(200.0),
        "a thousand" => Some(1000.0),
        "thousands" => Some(2000.0),
        "tens of thousands" => Some(20000.0),
        "hundreds of thousands" => Some(200000.0),
        "half a million" => Some(500000.0),
        "a million" => Some(1e6),
        "millions" => Some(2e6),
        _ => None,
    };
    if word_value.is_some() {
        return word_value;
    }
    let mut scale = 1.0;
    let mut digits = String::new();
    for part in lower.split_whitespace() {
        match part {
            "million" => scale = 1e6,
            "thousand" => scale = 1e3,
            "billion" => scale = 1e9,
            _ => digits.extend(part.chars().filter(|c| c.is_ascii_digit() || *c == '.')),
        }
    }
    digits.parse::<f64>().ok().map(|v| v * scale)
}

/// True for a bare four-digit number that reads as a year (2022, 1991).
fn is_year(text: &str) -> bool {
    text.len() == 4
        && text.chars().all(|c| c.is_ascii_digit())
        && matches!(text.parse::<u32>(), Ok(1900..=2100))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// Builds this module's patterns now rather than on first use (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    LazyLock::force(&QUANTITY);
    LazyLock::force(&ASCII_QUANTITY);
    LazyLock::force(&ORDINAL_EVENT);
    LazyLock::force(&PERIOD);
    LazyLock::force(&TIME);
}

/// The figures of `text[start..end]`, with offsets into `text`. Years, dates, ordinals
/// and numbers inside words ("seven-month", "F-16") are left out.
pub fn find_quantities(text: &str, start: usize, end: usize) -> Vec<Quantity> {
    let slice = &text[start..end];
    let mut found = Vec::new();
    let digits = has_digit(slice);
    if !digits && !NUMBER_WORD_GATE.may_match(slice) {
        return found;
    }
    found.extend(figures(slice, start));
    // An ordinal has digits.
    let ordinals = digits.then(|| ORDINAL_EVENT.captures_iter(slice));
    found.extend(
        ordinals
            .into_iter()
            .flatten()
            .map(|caps| ordinal(slice, start, &caps)),
    );
    found.sort_by_key(|q| q.start);
    found
}

/// The first of [`find_quantities`], found without reading past it: a claim's own
/// figure is its first one.
pub fn first_quantity(text: &str, start: usize, end: usize) -> Option<Quantity> {
    let slice = &text[start..end];
    let digits = has_digit(slice);
    if !digits && !NUMBER_WORD_GATE.may_match(slice) {
        return None;
    }
    let figure = figures(slice, start).next();
    let ordinal = digits
        .then(|| ORDINAL_EVENT.captures(slice))
        .flatten()
        .map(|caps| ordinal(slice, start, &caps));
    // find_quantities sorts stably with figures ahead of ordinals: a figure wins a tie.
    match (figure, ordinal) {
        (Some(f), Some(o)) if o.start < f.start => Some(o),
        (f, o) => f.or(o),
    }
}

/// The figures of [`QUANTITY`]'s matches in `slice`, which starts at `start` in the
/// document. The lazy DFA finds each match; the backtracker reads groups only when
/// needed: a glued match is rejected by its ends, and a plain number is read by hand.
fn figures(slice: &str, start: usize) -> impl Iterator<Item = Quantity> + '_ {
    let regex = quantity_regex(slice);
    regex
        .find_iter(slice)
        .filter_map(move |m| figure(slice, start, m.range(), || groups(regex, slice, m)))
}

/// The groups of [`QUANTITY`] by number, as ranges of the text.
type Groups = [Option<Range<usize>>; N2 + 1];

/// The groups of `m`, a match of `regex` (one of [`quantity_regex`]'s) in `slice`.
fn groups(regex: &Regex, slice: &str, m: regex::Match) -> Groups {
    if let Some(groups) = plain_groups(slice, m.range()) {
        return groups;
    }
    // From the match's start, with the text before it for `\b`, to the character after
    // its end (the backtracker's work grows with the text it is given). Every `\b` up to
    // the match's end reads what it reads in the whole text, so the regex takes the same
    // way through it, unless a way it prefers now ends at the cut: then the whole text
    // decides.
    let cut = slice[m.end()..]
        .chars()
        .next()
        .map_or(slice.len(), |c| m.end() + c.len_utf8());
    let caps = regex
        .captures_at(&slice[..cut], m.start())
        .filter(|caps| caps.get(0).map(|g| g.range()) == Some(m.range()))
        .or_else(|| regex.captures_at(slice, m.start()))
        .expect("the match");
    std::array::from_fn(|i| caps.get(i).map(|g| g.range()))
}

/// The groups of a match that is an ASCII number of digits, commas and points,
/// alone or after a modifier ("4,500", "more than 4,500"), or None for any other. No
/// other group can match it, and as no modifier is another's first words, the regex
/// takes the modifier as written.
fn plain_groups(slice: &str, range: Range<usize>) -> Option<Groups> {
    let text = slice[range.clone()].as_bytes();
    let digits = text
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit() || matches!(b, b',' | b'.'))
        .count();
    let n = range.end - digits..range.end;
    let before = &text[..text.len() - digits];
    let modifier = before.trim_ascii_end();
    let mut groups = Groups::default();
    groups[0] = Some(range.clone());
    groups[N] = Some(n);
    if before.is_empty() {
        return Some(groups);
    }
    let known = MODIFIERS
        .iter()
        .any(|m| m.as_bytes().eq_ignore_ascii_case(modifier));
    (digits > 0 && before.len() > modifier.len() && known).then(|| {
        groups[MODIFIED] = Some(range.start..range.start + modifier.len());
        groups
    })
}

/// The figure a match of [`QUANTITY`] at `range` of `slice` (which starts at `start` in
/// the document) stands for, or None when it is a year, a date, a duration or part of a
/// word. `groups` reads the match's groups, when they are needed.
fn figure(
    slice: &str,
    start: usize,
    range: Range<usize>,
    groups: impl FnOnce() -> Groups,
) -> Option<Quantity> {
    let (m_start, m_end) = (range.start, range.end);
    // Reject numbers glued to words or hyphens ("seven-month", "F-16", "58th").
    let before = slice[..m_start].chars().next_back();
    let after = slice[m_end..].chars().next();
    if before.is_some_and(|c| is_word_char(c) || c == '.' || c == '/')
        || after.is_some_and(|c| c.is_alphanumeric() || c == '-')
    {
        return None;
    }
    // Nor clock times ("12:45 — Russian troops advanced", a live blog's entry).
    let digit_at = |text: &str| text.bytes().next().is_some_and(|b| b.is_ascii_digit());
    let clock = (after == Some(':') && digit_at(&slice[m_end + 1..]))
        || (before == Some(':')
            && slice[..m_start - 1]
                .bytes()
                .next_back()
                .is_some_and(|b| b.is_ascii_digit()));
    if clock {
        return None;
    }
    if names_an_age(&slice[..m_start]) {
        return None;
    }
    let groups = groups();
    let group = |i: usize| groups[i].clone().map(|r| &slice[r]);
    let (low, high) = if group(BETWEEN).is_some() {
        (
            group(LOW).and_then(parse_number),
            group(HIGH).and_then(parse_number),
        )
    } else {
        let n = group(N).expect("number group");
        let has_modifier = group(MODIFIED).is_some_and(|m| !m.eq_ignore_ascii_case("in"));
        if !has_modifier && group(N2).is_none() && is_year(n) {
            return None;
        }
        // A day of the month ("March 25", "25 March") is a date, not a figure.
        let preceding_word = slice[..m_start]
            .split_whitespace()
            .next_back()
            .unwrap_or("");
        let following_word = slice[m_end..].split_whitespace().next().unwrap_or("");
        if n.len() <= 2
            && n.chars().all(|c| c.is_ascii_digit())
            && (is_day_of_month(preceding_word, n, true)
                || is_day_of_month(following_word, n, false))
        {
            return None;
        }
        let value = parse_number(n);
        let second = group(N2).and_then(parse_number);
        match (group(MODIFIED).map(str::to_lowercase), second) {
            (_, Some(b)) => (value, Some(b)),
            (Some(m), None)
                if matches!(m.as_str(), "more than" | "over" | "at least" | "just over") =>
            {
                (value, None)
            }
            (Some(m), None)
                if matches!(
                    m.as_str(),
                    "up to" | "fewer than" | "less than" | "under" | "as many as" | "just under"
                ) =>
            {
                (None, value)
            }
            _ => (value, value),
        }
    };
    if low.is_none() && high.is_none() {
        return None;
    }
    let unit = unit_after(slice, m_end);
    // "six months", "three years": a duration, not a figure.
    if unit.as_deref().is_some_and(|u| {
        matches!(
            u.split(' ').next().unwrap_or(u),
            "day"
                | "days"
                | "week"
                | "weeks"
                | "month"
                | "months"
                | "year"
                | "years"
                | "hours"
                | "hour"
                | "minutes"
                | "decades"
        )
    }) {
        return None;
    }
    Some(Quantity {
        text: slice[range].to_string(),
        low,
        high,
        unit,
        start: start + m_start,
        end: start + m_end,
    })
}

/// Whether a figure after `before` is an age, which corpus/README does not count:
/// "aged 18", "lowering the mobilisation age to 25", "between the ages of 18 and 60".
fn names_an_age(before: &str) -> bool {
    // Most figures have no "age" or "aged" in the few words before them: a look at the
    // last bytes spares the words' lower-casing.
    let tail = &before.as_bytes()[before.len().saturating_sub(24)..];
    if !tail.windows(3).any(|w| w.eq_ignore_ascii_case(b"age")) {
        return false;
    }
    let words: Vec<String> = before
        .split_whitespace()
        .rev()
        .take(4)
        .map(str::to_ascii_lowercase)
        .collect();
    let word = |i: usize| words.get(i).map_or("", String::as_str);
    let age_at = |i: usize| {
        word(i) == "aged"
            || (matches!(word(i + 1), "age" | "ages")
                && matches!(word(i), "of" | "to" | "from" | "at" | "between"))
    };
    // The second figure of a pair: "the ages of 18 and 60".
    let second_of_pair = matches!(word(0), "and" | "to" | "or")
        && word(1).bytes().all(|b| b.is_ascii_digit())
        && !word(1).is_empty();
    age_at(0) || (second_of_pair && age_at(2))
}

/// The month names of [`MONTH`].
pub(crate) const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The abbreviations of [`MONTH`], which may take a period.
const MONTH_ABBREVIATIONS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
];

/// Whether [`TIME`] matches "{word} {n}" (`month_first`) or "{n} {word}", where `n` is
/// one or two ASCII digits and `word` has no spaces: "March 25", "Jan. 5", "25 March".
/// Every alternative of [`TIME`] spans a space, and with digits on one side of the only
/// space only these two can: the month must end (or start) `word` at a word boundary.
fn is_day_of_month(word: &str, n: &str, month_first: bool) -> bool {
    if !word.is_ascii() {
        let text = if month_first {
            format!("{word} {n}")
        } else {
            format!("{n} {word}")
        };
        return TIME.is_match(&text);
    }
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = word.as_bytes();
    let names = MONTH_NAMES.iter().map(|m| (m, false));
    let abbreviations = MONTH_ABBREVIATIONS.iter().map(|m| (m, true));
    names.chain(abbreviations).any(|(month, may_take_period)| {
        if month_first {
            let bare = match word.strip_suffix('.') {
                Some(bare) if may_take_period && bare.ends_with(month) => bare,
                _ => word,
            };
            bare.ends_with(month) && {
                let at = bare.len() - month.len();
                at == 0 || !is_word(bytes[at - 1])
            }
        } else {
            word.starts_with(month) && bytes.get(month.len()).is_none_or(|b| !is_word(*b))
        }
    })
}

/// "the 66th exchange": a match of [`ORDINAL_EVENT`].
fn ordinal(slice: &str, start: usize, caps: &regex::Captures) -> Quantity {
    let number = caps.get(1).expect("group");
    let ordinal_end = number.end() + 2;
    let value = number.as_str().parse::<f64>().ok();
    Quantity {
        text: slice[number.start()..ordinal_end].to_string(),
        low: value,
        high: value,
        unit: unit_after(slice, ordinal_end),
        start: start + number.start(),
        end: start + ordinal_end,
    }
}

/// The one or two words after a figure that say what it counts.
fn unit_after(slice: &str, from: usize) -> Option<String> {
    let mut words = Vec::new();
    for word in slice[from..].split_whitespace().take(3) {
        let clean = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        if clean.is_empty() || !clean.chars().all(|c| c.is_alphabetic() || c == '-') {
            break;
        }
        // Lower-cased once, for the stop words and for the unit.
        let lower = clean.to_lowercase();
        if UNIT_STOP_WORDS.contains(&lower.as_str())
            || FIGURE_FOLLOWERS.contains(&lower.as_str())
            // "according to", "including", "recently", "respectively"
            || lower.starts_with("accord")
            || lower.starts_with("includ")
            || lower.ends_with("ly")
            || clean.chars().next().is_some_and(char::is_uppercase) && words.is_empty()
        {
            break;
        }
        words.push(lower);
        // A plural noun or punctuation ends the phrase.
        if clean.ends_with('s') || word.ends_with([',', '.', ';', ':']) {
            break;
        }
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// A rate's period in the text ("each month"), if any.
pub fn find_period(text: &str) -> Option<String> {
    if !PERIOD_GATE.may_match(text) {
        return None;
    }
    let read = PERIOD_GATE
        .occurrences(text)
        .and_then(|words| period_at(text, &words).ok());
    let found = match read {
        Some(found) => found,
        None => PERIOD.find(text).map(|m| m.as_str()),
    };
    found.map(str::to_string)
}

/// `PERIOD.find(text)`, read at the period words the document scan found in `text`
/// (the regex, case-insensitive with Unicode `\b`, cost thousands of instructions a
/// search). Every match holds one of them: "each|every|per|a", blanks, then a word
/// (day, week, month, year) that ends a word; or daily, weekly, monthly, annually as a
/// word of its own. The first word that gives a match gives the leftmost one, since
/// nothing before a period word can hold another. `Err` where a neighbour or blank that
/// decides is not ASCII (Unicode `\w` and `\s`): the regex decides there.
fn period_at<'t>(text: &'t str, words: &[(usize, usize)]) -> Result<Option<&'t str>, ()> {
    use crate::text::{is_regex_space, is_regex_word};
    let bytes = text.as_bytes();
    // Whether a word ends at `at`: false, true, or Err when the byte there is not ASCII.
    let boundary_at = |at: usize| match bytes.get(at) {
        None => Ok(true),
        Some(b) if b.is_ascii() => Ok(!is_regex_word(*b)),
        Some(_) => Err(()),
    };
    let starts_word = |at: usize| match at.checked_sub(1).map(|k| bytes[k]) {
        None => Ok(true),
        Some(b) if b.is_ascii() => Ok(!is_regex_word(b)),
        Some(_) => Err(()),
    };
    for &(start, end) in words {
        let word = &text[start..end];
        let is = |w: &str| word.eq_ignore_ascii_case(w);
        // "each month": a unit after a quantifier word and blanks.
        if (is("day") || is("week") || is("month") || is("year")) && boundary_at(end)? {
            let mut blank = start;
            while blank > 0 && is_regex_space(bytes[blank - 1]) {
                blank -= 1;
            }
            // A blank or quantifier letter that is not ASCII: the regex decides.
            if blank > 0 && !bytes[blank - 1].is_ascii() {
                return Err(());
            }
            if blank < start {
                for quantifier in ["each", "every", "per", "a"] {
                    let Some(from) = blank.checked_sub(quantifier.len()) else {
                        continue;
                    };
                    if text
                        .get(from..blank)
                        .is_some_and(|q| q.eq_ignore_ascii_case(quantifier))
                        && starts_word(from)?
                    {
                        return Ok(Some(&text[from..end]));
                    }
                }
            }
        }
        // "monthly": the word itself, or the unit with "ly".
        let end = match word {
            _ if is("daily") || is("annually") => end,
            _ if (is("week") || is("month"))
                && text
                    .get(end..end + 2)
                    .is_some_and(|ly| ly.eq_ignore_ascii_case("ly")) =>
            {
                end + 2
            }
            _ => continue,
        };
        if starts_word(start)? && boundary_at(end)? {
            return Ok(Some(&text[start..end]));
        }
    }
    Ok(None)
}

/// The first time expression in the text ("in October", "since February 2022").
pub fn find_time(text: &str) -> Option<String> {
    if !may_name_a_time(text) {
        return None;
    }
    first_time(text).map(str::to_string)
}

/// `TIME.find(text)`, searched between the characters no match can hold. TIME's `\b` is
/// Unicode's, so its lazy DFA gives up at the first non-ASCII byte and the regex falls
/// back to a backtracker a hundred times dearer. A character that is neither a word
/// character nor a blank ("’", "—") can be in no match, and `\b` reads it as it reads the
/// end of a text: the pieces between such characters are searched one after another,
/// and the first match is the regex's, from pieces that are mostly plain ASCII.
fn first_time(text: &str) -> Option<&str> {
    if text.is_ascii() {
        return TIME.find(text).map(|m| m.as_str());
    }
    text.split(is_outside_words)
        .find_map(|piece| TIME.find(piece))
        .map(|m| m.as_str())
}

/// General punctuation (dashes, curly quotes, ellipses) that is neither `\w` nor `\s`
/// (a test checks every character).
fn is_outside_words(c: char) -> bool {
    ('\u{2010}'..='\u{205e}').contains(&c)
        && !c.is_whitespace()
        && !matches!(c, '\u{203f}' | '\u{2040}' | '\u{2054}')
}

#[cfg(test)]
mod tests {
    use super::*;

    type Figure = (String, Option<f64>, Option<f64>, Option<String>);

    fn figures(text: &str) -> Vec<Figure> {
        find_quantities(text, 0, text.len())
            .into_iter()
            .map(|q| (q.text, q.low, q.high, q.unit))
            .collect()
    }

    #[test]
    fn ranges_modifiers_and_units() {
        assert_eq!(
            figures("between 15,000 and 18,000 deserters leave"),
            vec![(
                "between 15,000 and 18,000".into(),
                Some(15000.0),
                Some(18000.0),
                Some("deserters".into())
            )]
        );
        assert_eq!(
            figures("more than 4,500 soldiers have deserted"),
            vec![(
                "more than 4,500".into(),
                Some(4500.0),
                None,
                Some("soldiers".into())
            )]
        );
        assert_eq!(
            figures("over 230,000 criminal cases were opened")[0].3,
            Some("criminal cases".into())
        );
        assert_eq!(figures("dozens of troops")[0].1, Some(24.0));
        assert_eq!(
            figures("lost nearly half a million soldiers")[0],
            (
                "nearly half a million".into(),
                Some(500000.0),
                Some(500000.0),
                Some("soldiers".into())
            )
        );
        assert_eq!(figures("a million men")[0].1, Some(1e6));
        assert_eq!(figures("about 80% of the area")[0].1, Some(80.0));
        // What follows a figure is not always what it counts.
        for text in [
            "war dead above 50,000 as Moscow stays silent",
            "the toll surpassed 50,000 earlier this week",
            "losses of 1,200 reportedly",
            "killed 14 according to the governor",
        ] {
            assert_eq!(figures(text)[0].3, None, "{text}");
        }
    }

    #[test]
    fn ages_are_not_figures() {
        for text in [
            "lowering the mobilisation age to 25",
            "men aged 18 to 60",
            "between the ages of 18 and 60",
        ] {
            assert_eq!(figures(text), Vec::<Figure>::new(), "{text}");
        }
        assert_eq!(figures("25 men of fighting age").len(), 1);
    }

    #[test]
    fn years_dates_ordinals_and_compounds_are_not_figures() {
        assert!(figures("since February 2022 and in 2023").is_empty());
        assert!(figures("on March 25, when").is_empty());
        assert!(figures("the 58th Combined Arms Army").is_empty());
        assert!(figures("a seven-month war with F-16 jets").is_empty());
        // A live blog's clock time, and a figure after it.
        assert!(figures("12:45 — Russian troops advanced").is_empty());
        let texts: Vec<String> = figures("09:10 Russia launched 40 drones")
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(texts, ["40"]);
    }

    /// The hand-written date check agrees with the regex.
    #[test]
    fn days_of_the_month_match_the_regex() {
        const PIECES: &[&str] = &[
            "March", "May", "Jan", "Sep", "Sept", "t", ".", ",", "-", "x", "_", "9", "é",
            "December", "Ju", "ly", "(", "on", "in",
        ];
        let mut next = crate::extract::testing::numbers(0xa54f_f53a_5f1d_36f1_u64);
        let mut dates = 0;
        for _ in 0..100_000 {
            let len = (next() % 4) as usize;
            let word: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let n = ["5", "25", "07"][(next() % 3) as usize];
            let before = TIME.is_match(&format!("{word} {n}"));
            let after = TIME.is_match(&format!("{n} {word}"));
            assert_eq!(is_day_of_month(&word, n, true), before, "{word:?} {n}");
            assert_eq!(is_day_of_month(&word, n, false), after, "{n} {word:?}");
            dates += usize::from(before) + usize::from(after);
        }
        assert!(dates > 5_000, "{dates}");
    }

    #[test]
    fn quantity_groups_are_numbered_by_name() {
        let names: Vec<Option<&str>> = QUANTITY.capture_names().collect();
        for (index, name) in [
            (BETWEEN, "between"),
            (LOW, "a"),
            (HIGH, "b"),
            (MODIFIED, "mod"),
            (N, "n"),
            (N2, "n2"),
        ] {
            assert_eq!(names[index], Some(name));
        }
    }

    /// Random texts, ASCII and not: the regex [`quantity_regex`] picks finds the matches
    /// and groups [`QUANTITY`] does.
    #[test]
    fn ascii_quantity_matches_the_regex_on_random_texts() {
        const PIECES: &[&str] = &[
            " ",
            " ",
            "  ",
            "\n",
            "\u{a0}",
            "’",
            "–",
            "-",
            "é",
            "ſ",
            "\u{212a}",
            "٣",
            "x",
            "_",
            ".",
            ",",
            "/",
            "%",
            "5",
            "12",
            "4,500",
            "230,000",
            "1.5",
            "2022",
            "0",
            "between",
            "and",
            "to",
            "percent",
            "per cent",
            "million",
            "thousand",
            "more than",
            "over",
            "up to",
            "about",
            "In",
            "SOME",
            "Fewer than",
            "an estimated",
            "just over",
            "a dozen",
            "dozens",
            "hundreds of thousands",
            "Thousands",
            "one",
            "ten",
            "fifty",
            "seven",
            "soldiers",
            "March",
            "months",
            "K",
            "S",
            "k",
            "s",
        ];
        let groups = |caps: regex::Captures| -> Vec<Option<(usize, usize)>> {
            caps.iter()
                .map(|m| m.map(|m| (m.start(), m.end())))
                .collect()
        };
        let mut ascii_matches = 0;
        for text in
            crate::extract::testing::random_texts(PIECES, 0x2545_f491_4f6c_dd1d_u64, 60_000, 12)
        {
            let by_regex: Vec<_> = QUANTITY.captures_iter(&text).map(groups).collect();
            let picked: Vec<_> = quantity_regex(&text)
                .captures_iter(&text)
                .map(groups)
                .collect();
            assert_eq!(picked, by_regex, "{text:?}");
            if text.is_ascii() {
                ascii_matches += by_regex.len();
            }
        }
        assert!(ascii_matches > 8_000, "{ascii_matches}");
    }

    /// Random texts: every match's groups, read by hand or by `captures_at`, are those
    /// of `captures_iter`.
    #[test]
    fn groups_match_the_regex_on_random_texts() {
        const PIECES: &[&str] = &[
            " ",
            " ",
            "  ",
            "\t",
            "\u{b}",
            "\u{a0}",
            "’",
            "-",
            "é",
            "ſ",
            "٣",
            "x",
            ".",
            ",",
            "%",
            "5",
            "12",
            "4,500",
            "1.5",
            "2022",
            "between",
            "and",
            "to",
            "million",
            "more than",
            "MORE THAN",
            "over",
            "Over",
            "up to",
            "some",
            "just over",
            "just under",
            "under",
            "a dozen",
            "one",
            "soldiers",
        ];
        for (a, b) in MODIFIERS.iter().flat_map(|a| MODIFIERS.map(|b| (a, b))) {
            assert!(!b.starts_with(&format!("{a} ")), "{a:?} opens {b:?}");
        }
        let mut plain = 0;
        for text in
            crate::extract::testing::random_texts(PIECES, 0x9e37_79b9_7f4a_7c15_u64, 60_000, 10)
        {
            for regex in [&*QUANTITY, quantity_regex(&text)] {
                let by_captures: Vec<Vec<_>> = regex
                    .captures_iter(&text)
                    .map(|caps| (0..=N2).map(|i| caps.get(i).map(|g| g.range())).collect())
                    .collect();
                let by_matches: Vec<Vec<_>> = regex
                    .find_iter(&text)
                    .map(|m| groups(regex, &text, m).to_vec())
                    .collect();
                assert_eq!(by_matches, by_captures, "{text:?}");
                plain += regex
                    .find_iter(&text)
                    .filter(|m| plain_groups(&text, m.range()).is_some())
                    .count();
            }
        }
        assert!(plain > 20_000, "{plain}");
    }

    #[test]
    fn periods_and_times() {
        assert_eq!(
            find_period("leave the army each month"),
            Some("each month".into())
        );
        assert_eq!(
            find_time("abandoned posts in October alone"),
            Some("in October".into())
        );
        assert_eq!(
            find_time("since the full-scale invasion began in February 2022"),
            Some("in February 2022".into())
        );
        assert_eq!(
            find_time("said on Tuesday morning"),
            Some("on Tuesday morning".into())
        );
    }

    /// Every character the time search splits at is outside `\w` and `\s`.
    #[test]
    fn time_separators_are_outside_words() {
        let inside = Regex::new(r"^[\w\s]$").unwrap();
        for c in (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|c| is_outside_words(*c))
        {
            assert!(!inside.is_match(&c.to_string()), "{c:?}");
        }
    }

    /// Random texts: the period read at the document scan's words is the regex's.
    #[test]
    fn period_reading_matches_the_regex_on_random_texts() {
        const PIECES: &[&str] = &[
            " ", " ", "  ", "\t", "\u{a0}", "\n", "each", "Each", "EVERY", "every", "per", "a",
            "A", "an", "area", "day", "days", "Day", "week", "weekly", "Weekly", "weekday",
            "month", "monthly", "MONTHLY", "year", "yearly", "daily", "annually", "_", "é", "٣",
            "’", ".", ",", "-", "ſ", "\u{212A}", "x", "1",
        ];
        for text in
            crate::extract::testing::random_texts(PIECES, 0x3c6e_f372_fe94_f82b_u64, 60_000, 10)
        {
            let by_regex = PERIOD.find(&text).map(|m| m.as_str().to_string());
            let read = super::super::gate::with_document(&text, || find_period(&text));
            assert_eq!(read, by_regex, "{text:?}");
            // Plain ASCII text is read without the regex.
            if text.is_ascii() {
                let words =
                    super::super::gate::with_document(&text, || PERIOD_GATE.occurrences(&text));
                let words = words.expect("the document scan found the words");
                assert!(period_at(&text, &words).is_ok(), "{text:?}");
            }
            // A part of the document, from its second character.
            if let Some((cut, _)) = text.char_indices().nth(1) {
                let span = &text[cut..];
                let by_regex = PERIOD.find(span).map(|m| m.as_str().to_string());
                let read = super::super::gate::with_document(&text, || find_period(span));
                assert_eq!(read, by_regex, "{text:?} from {cut}");
            }
        }
    }

    /// Random texts with non-ASCII pieces: the piecewise search finds what the regex does.
    #[test]
    fn time_search_matches_the_regex_on_random_texts() {
        const PIECES: &[&str] = &[
            " ", " ", "  ", "\u{a0}", "\n", "’", "—", "“", "…", "‿", "é", "Київ", "٣", "x",
            "since", "in", "by", "during", "early", "mid-", "March", "Jan", "Sept", ".", ",",
            "2022", "12", "5", "the", "start", "of", "year", "first", "months", "on", "Monday",
            "morning", "last", "this", "week", "later", "weekend", "-", "_",
        ];
        for text in
            crate::extract::testing::random_texts(PIECES, 0x5851_f42d_4c95_7f2d_u64, 40_000, 12)
        {
            let by_regex = TIME.find(&text).map(|m| m.as_str());
            assert_eq!(first_time(&text), by_regex, "{text:?}");
            // The gate lets through every text the regex matches in.
            assert_eq!(find_time(&text).as_deref(), by_regex, "{text:?}");
        }
    }
}
