//! Who said it: the speaker of a sentence or clause (reported speech, "according to",
//! quotes, pronouns and role nouns), and the outlets a claim passed through.

use super::entities::{Mention, MentionKind};
use super::gate::Gate;
use super::gazetteer::gazetteer;
use super::lexicon::lexicons;
use crate::graph::OrgKind;
use crate::text::{is_regex_space, is_regex_word};
use regex::Regex;
use std::sync::LazyLock;

/// How a relay passed a claim on; sorts nearest to the speaker first.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum RelayKind {
    /// A journalist's own publication ("Christoph Vanner of Die Welt")
    Publication = 0,
    /// "X told Ukrinform"
    ToldTo = 1,
    /// "as reported by UATV", "a report by UATV"
    ReportedBy = 2,
    /// "as cited by The Daily Digest", "citing ..."
    CitedBy = 3,
}

/// A speaker reference before anaphora are resolved.
#[derive(Clone, Debug, PartialEq)]
pub enum SpeakerRef {
    /// A mention index in the document's list.
    Mention(usize),
    /// "he", "she"
    PersonPronoun,
    /// "it"
    BodyPronoun,
    /// "his office", "her spokesman": the person named last, in the same sentence first
    /// ("X offered to host the talks, his office said").
    PersonPossessive,
    /// "its press service": the body named last, in the same sentence first.
    BodyPossessive,
    /// "the governor", "a spokesperson", "the directorate", "the post", with the country
    /// of a nationality that describes it ("a senior Ukrainian commander")
    RoleNoun(String, Option<&'static str>),
    /// "Ukrainian estimates", "according to Ukraine": a country as the source.
    Country(usize),
    /// "Ukraine's top commander said": the person of that role named before in the
    /// article, else the country (a mention index) the role is described through.
    CountryRole(usize, String),
}

/// The attribution found in a stretch of text.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribution {
    pub speaker: SpeakerRef,
    pub relays: Vec<(usize, RelayKind)>,
    pub rule: &'static str,
    /// Where the reporting words are (document offsets), to tell quotes before from after.
    pub position: usize,
}

/// The reporting verbs as the text may write them: the lexicon's, and the present-tense
/// ones capitalised as headlines write every word ("..., Kyiv Says", "Russia Claims").
static VERB_FORMS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let lexicon = &lexicons().reporting_verbs;
    let mut forms: Vec<&'static str> = lexicon.iter().map(String::as_str).collect();
    let headline: Vec<String> = lexicon
        .iter()
        .filter(|verb| verb.ends_with('s'))
        .map(|verb| {
            let mut chars = verb.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect();
    forms.extend(headline.into_iter().map(|form| &*form.leak()));
    forms.sort_unstable();
    forms
});

/// Whether `word` is a reporting verb as a title-case headline writes it ("Says",
/// "Claims", "Warns"): never part of a name ("States" is left out for "United States").
pub fn is_headline_verb(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.ends_with('s')
        && word != "States"
        && VERB_FORMS.binary_search(&word).is_ok()
}

static VERB: LazyLock<Regex> = LazyLock::new(|| {
    let mut verbs = VERB_FORMS.clone();
    verbs.sort_by_key(|v| std::cmp::Reverse(v.len()));
    Regex::new(&format!(r"\b(?:{})\b", verbs.join("|"))).expect("verb pattern compiles")
});

// "the" is skipped lazily, so that "according to the governor" reaches the role noun.
static ACCORDING_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\baccording to\s+(?:(?:a|an|the)\s+(?:\w+\s+){0,2}?(?:report|post|statement|update|assessment|analysis|study|data|estimate|figures|count|tally|calculations?|review|investigation|survey|records)\s+(?:by|from|of)\s+)?(?:the\s+)??(?:(a|the)\s+(spokesperson|spokesman|spokeswoman|governor|official|directorate|ministry|agency|court|military|army|brigade|headquarters|outlet|newspaper|channel|publication|post|report|update|statement|group|project|organi[sz]ation|movement|charity|foundation|watchdog|think tank)(?:['’]s\s+(?:\w+\s+)?(?:statement|report|post|update|assessment|data|figures|estimate))?\b)?").expect("compiles")
});

pub(crate) static ACCORDING_GATE: Gate = Gate::any_case(&["according"]);

/// The reporting verbs, for the document's one scan: [`verbs_in`] reads [`VERB`]'s
/// matches from where they occur.
pub(crate) static VERB_GATE: LazyLock<Gate> = LazyLock::new(|| Gate::exact(&VERB_FORMS));

/// `VERB.find_iter(span)` as ranges, read from the verbs the document scan found there
/// (the regex's prefilter would look for them again in every stretch). VERB is
/// `\b(?:verbs, longest first)\b`, so its matches are, from the left and not overlapping,
/// the longest verb at a start with no word character on either side. Where a neighbour
/// is not ASCII (Unicode `\w`), or the span is not the document's, the regex decides.
fn verbs_in(span: &str) -> Vec<(usize, usize)> {
    let by_regex = || VERB.find_iter(span).map(|m| (m.start(), m.end())).collect();
    let Some(found) = VERB_GATE.occurrences(span) else {
        return by_regex();
    };
    let bytes = span.as_bytes();
    let is_word = crate::text::is_regex_word;
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in found {
        let before = s.checked_sub(1).map(|k| bytes[k]);
        let after = bytes.get(e).copied();
        if before.is_some_and(|b| !b.is_ascii()) || after.is_some_and(|b| !b.is_ascii()) {
            return by_regex();
        }
        if before.is_some_and(is_word) || after.is_some_and(is_word) {
            continue;
        }
        match out.last_mut() {
            // Occurrences come by start, then end: a later one at a start is longer.
            Some(last) if last.0 == s => last.1 = e,
            // The search goes on after the end of the match before.
            Some(last) if s < last.1 => {}
            _ => out.push((s, e)),
        }
    }
    out
}

/// Between a subject and its verb: an apposition in commas, auxiliaries, adverbs, times.
static SUBJECT_GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s*\((?:@[\w.]+|[A-Z][A-Z0-9&]{1,7})\))?(?:\s*,[^,]{0,120},)?\s*,?\s*(?:(?:also|has|had|have|later|then|previously|earlier|recently|again|further|reportedly|which|who|had\s+earlier|on\s+\w+|this\s+week|last\s+week|was\s+quoted\s+as|\w+ly)\s+)*$").expect("compiles")
});

/// Whether `gap` (the text between a subject and its verb) is a match of
/// [`SUBJECT_GAP`]. ASCII text is read here, token by token; the regex's lazy DFA
/// (Unicode `\s` and `\w`, and `[^,]{0,120}`) costs more to build than a whole article's
/// attributions. Any other text goes to the regex.
fn is_subject_gap(gap: &str) -> bool {
    if !gap.is_ascii() {
        return SUBJECT_GAP.is_match(gap);
    }
    let bytes = gap.as_bytes();
    // The optional handle "(@name)" or acronym "(HUR)", then the optional apposition
    // ", ...,": each may be there or not, so up to four places where the rest may start.
    let handle = handle_end(bytes, 0);
    let opening = [Some(0), handle];
    let apposition = opening.map(|p| p.and_then(|p| apposition_end(bytes, p)));
    opening
        .into_iter()
        .chain(apposition)
        .flatten()
        .any(|p| adverbs_to_end(bytes, p))
}

/// Whether `gap` (from the end of a name to a reporting verb) is one lower-case
/// description between commas: ", commanded by X, ", ", a unit of volunteers fighting
/// for Kyiv, ", not a clause (", which has lost 40 men, ").
fn describes_up_to_the_verb(gap: &str) -> bool {
    let Some(inner) = gap
        .strip_prefix(", ")
        .and_then(|rest| rest.trim_end().strip_suffix(','))
    else {
        return false;
    };
    inner.len() <= 120
        && inner.starts_with(|c: char| c.is_lowercase())
        && !inner.contains([',', ';', '.', '"', '“', '”'])
        && super::reads_as_apposition(inner)
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).copied().is_some_and(is_regex_space) {
        i += 1;
    }
    i
}

/// The end of `\s*\((?:@[\w.]+|[A-Z][A-Z0-9&]{1,7})\)` at `i`: a handle or an acronym.
fn handle_end(bytes: &[u8], i: usize) -> Option<usize> {
    let i = skip_spaces(bytes, i);
    if bytes[i..].starts_with(b"(@") {
        let name = bytes[i + 2..]
            .iter()
            .take_while(|b| is_regex_word(**b) || **b == b'.')
            .count();
        let close = i + 2 + name;
        return (name > 0 && bytes.get(close) == Some(&b')')).then_some(close + 1);
    }
    // An acronym: "Ukrainian military intelligence (HUR) said".
    if bytes.get(i) != Some(&b'(') || !bytes.get(i + 1).is_some_and(u8::is_ascii_uppercase) {
        return None;
    }
    let rest = bytes[i + 2..]
        .iter()
        .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || **b == b'&')
        .count();
    let close = i + 2 + rest;
    ((1..=7).contains(&rest) && bytes.get(close) == Some(&b')')).then_some(close + 1)
}

/// The end of `\s*,[^,]{0,120},` at `i`.
fn apposition_end(bytes: &[u8], i: usize) -> Option<usize> {
    let i = skip_spaces(bytes, i);
    if bytes.get(i) != Some(&b',') {
        return None;
    }
    let inner = bytes[i + 1..].iter().position(|b| *b == b',')?;
    (inner <= 120).then_some(i + 1 + inner + 1)
}

/// Whether `\s*,?\s*(?:(?:ADVERB)\s+)*$` matches `bytes[i..]`: past the spaces and the
/// comma, whole words, each followed by spaces, that make up a sequence of the
/// pattern's adverbs and phrases.
fn adverbs_to_end(bytes: &[u8], i: usize) -> bool {
    let mut i = skip_spaces(bytes, i);
    if bytes.get(i) == Some(&b',') {
        i = skip_spaces(bytes, i + 1);
    }
    let rest = &bytes[i..];
    // Every word is followed by at least one space.
    if rest.last().is_some_and(|b| !is_regex_space(*b)) {
        return false;
    }
    let mut words = rest.split(|b| is_regex_space(*b)).filter(|w| !w.is_empty());
    // The next three words, and which of the places before them the words so far
    // reach as whole adverbs and phrases: bit 0 for the first of the three, bit k for
    // k words further.
    let mut window = [words.next(), words.next(), words.next()];
    let mut reach = 1u8;
    while let Some(first) = window[0] {
        if reach & 1 != 0 {
            if is_adverb(first) {
                reach |= 2;
            }
            if let Some(second) = window[1] {
                let pair = matches!(
                    (first, second),
                    (b"had", b"earlier") | (b"this", b"week") | (b"last", b"week")
                ) || (first == b"on" && second.iter().all(|b| is_regex_word(*b)));
                if pair {
                    reach |= 4;
                }
            }
            if let [_, Some(b"quoted"), Some(b"as")] = window {
                if first == b"was" {
                    reach |= 8;
                }
            }
        }
        reach >>= 1;
        if reach == 0 {
            return false;
        }
        window = [window[1], window[2], words.next()];
    }
    reach & 1 != 0
}

/// One of the adverbs of [`SUBJECT_GAP`] ("also", "reportedly", any `\w+ly`), or the
/// relative pronoun of "X, which said" and "X, who said".
fn is_adverb(w: &[u8]) -> bool {
    matches!(
        w,
        b"also"
            | b"has"
            | b"had"
            | b"have"
            | b"later"
            | b"then"
            | b"previously"
            | b"earlier"
            | b"recently"
            | b"again"
            | b"further"
            | b"reportedly"
            | b"which"
            | b"who"
    ) || (w.len() > 2 && w.ends_with(b"ly") && w.iter().all(|b| is_regex_word(*b)))
}

/// "Ukraine's military said", "Ukraine's southern command said": a country's generic
/// body speaks for the country.
static COUNTRY_BODY_GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^['’]s\s+(?:{GENERIC_BODY}|air force|navy|air defen[cs]e|border guards?|(?:[a-z-]+\s+)?(?:forces|command)){BEFORE_THE_VERB}"
    ))
    .expect("compiles")
});

/// The end of a gap between a body and its verb: auxiliaries and adverbs ("has",
/// "later", "reportedly").
const BEFORE_THE_VERB: &str =
    r"\s+(?:(?:also|has|had|have|later|then|previously|earlier|recently|again|\w+ly)\s+)*$";

/// A country's body named by what it is, in lower case: "military", "government",
/// "border service", "defence intelligence agency", "foreign ministry". Up to two
/// words may describe the service, agency or ministry ("state emergency service").
/// (The described nouns come first, and greedily: "military intelligence services" is
/// one body, not "military".)
const GENERIC_BODY: &str = r"(?:(?:[a-z][a-z-]*\s+){0,2}(?:services?|agency|agencies|ministry|intelligence|police|administration|prosecutors|prosecutor['’]s office|prosecutor[- ]general['’]s office)|military(?:\s+command)?|army|armed forces|government|authorities|leadership)";

/// After a body's name, a lower-case part of it standing in the subject's place: "the UN
/// human rights monitoring mission said", "NATO's press office said", "DeepState
/// analysts wrote".
static BODY_PART_GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(?:['’]s)?\s+(?:[a-z][\w-]*\s+){{0,3}}?(?:mission|office|agency|service|committee|department|council|commission|team|watchdog|press service|headquarters|spokesperson|spokesman|spokeswoman|officials|analysts|experts|researchers|investigators|monitors){BEFORE_THE_VERB}")).expect("compiles")
});

/// A part of a body as in [`BODY_PART_GAP`], and where it is: "the UN monitoring mission
/// in ", "the OSCE's office in ".
static BODY_PART_IN_A_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:['’]s)?\s+(?:[a-z][\w-]*\s+){0,3}?(?:mission|office|agency|delegation|embassy|team|headquarters|representation)\s+(?:in|to)\s+(?:the\s+)?$").expect("compiles")
});

/// "Zelensky's office said", "Peskov's spokesman said": who speaks for a person speaks
/// for them.
static PERSON_OFFICE_GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^['’]s\s+(?:press\s+)?(?:office|service|secretary|spokesperson|spokesman|spokeswoman|aides?|team|campaign|lawyers?){BEFORE_THE_VERB}")).expect("compiles")
});

/// A second verb sharing the clause's subject: "... but says", "... and added".
static COORDINATED_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[^,]\s+(?:but|and)\s+(?:(?:also|has|had|later|then|\w+ly)\s+)*$")
        .expect("compiles")
});

/// Nothing but an article before a clause's first name.
static OPENING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:The\s+|the\s+)?$").expect("compiles"));

/// The verb of "X quoted Y as saying" and "Y was quoted by X as saying".
static QUOTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?:was|were|is|are|has\s+been|had\s+been)\s+)?(?:quoted|cited)\s+(?:by\s+)?",
    )
    .expect("compiles")
});

/// "he", "it", and who speaks for them: "his office", "her spokeswoman", "its press
/// service" (group 2 is the possessive).
static PRONOUN_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(he|she|it|(his|her|its)\s+(?:press\s+)?(?:office|service|secretary|spokesperson|spokesman|spokeswoman|aides?|team|representatives?))\s+(?:(?:also|later|then|further|has|had|again)\s+)*$")
        .expect("compiles")
});

/// The speaker a match of [`PRONOUN_BEFORE`] refers to.
fn pronoun_ref(c: &regex::Captures) -> SpeakerRef {
    let body = c[1].get(..2).is_some_and(|w| w.eq_ignore_ascii_case("it"));
    match (c.get(2).is_some(), body) {
        (false, false) => SpeakerRef::PersonPronoun,
        (false, true) => SpeakerRef::BodyPronoun,
        (true, false) => SpeakerRef::PersonPossessive,
        (true, true) => SpeakerRef::BodyPossessive,
    }
}

/// A role noun in the subject's place, perhaps with an apposition: "the governor said",
/// "The assessment, published on X, said".
static ROLE_NOUN_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:the|a|an)\s+(?:[\w'’-]+\s+){0,3}?(governor|spokesperson|spokesman|spokeswoman|directorate|ministry|agency|service|command|post|report|update|statement|official|officer|general staff|minister|president|commander|mayor|military|army|brigade|battalion|regiment|division|corps|headquarters|channel|account|outlet|newspaper|agency|group|project|organi[sz]ation|movement|charity|foundation|watchdog|think tank|assessment|analysis)(?:\s*,[^,]{1,80},)?\s+(?:(?:also|later|then|further|has|had)\s+)*$").expect("compiles")
});

static ROLE_NOUN_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s+(?:the|a)\s+(governor|spokesperson|spokesman|spokeswoman|directorate|ministry|agency|official|officer|minister|president|commander|mayor)\b").expect("compiles")
});

static RELAY_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(as\s+)?(reported|published|carried|broadcast)\s+by|(as\s+)?(cited|quoted)\s+by|(citing)|(?:a\s+)?(?:recent\s+)?(report|post|story|article)\s+(?:by|from|in)|(told|to|interviews?\s+with))\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?$").expect("compiles")
});

/// How the text before an outlet makes it a relay, as [`RELAY_BEFORE`] reads it.
fn relay_before(before: &str) -> Option<RelayKind> {
    if !before.is_ascii() {
        // The regex's phrase too ends in a link word and at most four words, each
        // followed by blanks (Unicode's here); the link words fold only to ASCII.
        let words = before.rsplit(char::is_whitespace).filter(|w| !w.is_empty());
        let may_match = before.ends_with(char::is_whitespace)
            && words.take(5).any(|w| ends_in_relay_link(w.as_bytes()));
        return may_match.then(|| relay_before_by_regex(before)).flatten();
    }
    let bytes = before.as_bytes();
    // The pattern ends in a space.
    if !bytes.last().copied().is_some_and(is_regex_space) || !may_end_in_relay(bytes) {
        return None;
    }
    // The phrase and what may follow it are at most eight words ("a recent report from
    // the ... ... ..."), each followed by spaces: the match starts in one of the last
    // eight words.
    let mut from = bytes.len();
    for _ in 0..8 {
        while from > 0 && is_regex_space(bytes[from - 1]) {
            from -= 1;
        }
        while from > 0 && !is_regex_space(bytes[from - 1]) {
            from -= 1;
        }
    }
    // The leftmost start, and there the first alternative, that matches to the end.
    (from..bytes.len())
        .filter(|p| *p == 0 || !is_regex_word(bytes[p - 1]))
        .find_map(|p| relay_at(bytes, p))
}

/// Whether one of the last five words of `bytes` ends in a word that ends every phrase of
/// [`relay_at`] ("by", "citing", "from", "in", "told", "to", "with", each after a space
/// or a character that is not a word's), with only words of [`relay_tail`] after it.
/// Most names have none, and a search from each position of the last eight words costs
/// more than this look at the last few.
fn may_end_in_relay(bytes: &[u8]) -> bool {
    let mut words = bytes
        .rsplit(|b| is_regex_space(*b))
        .filter(|w| !w.is_empty());
    for _ in 0..5 {
        let Some(word) = words.next() else {
            return false;
        };
        if ends_in_relay_link(word) {
            return true;
        }
        // A word of the tail after the phrase: nothing else may follow the phrase.
        if !word.iter().all(|b| is_regex_word(*b) || *b == b'-') {
            return false;
        }
    }
    false
}

/// Whether `word` ends in a link word of [`may_end_in_relay`], after nothing or a byte
/// that is not an ASCII word character.
fn ends_in_relay_link(word: &[u8]) -> bool {
    const LINKS: [&[u8]; 7] = [b"by", b"citing", b"from", b"in", b"told", b"to", b"with"];
    LINKS.iter().any(|link| {
        let Some(at) = word.len().checked_sub(link.len()) else {
            return false;
        };
        word[at..].eq_ignore_ascii_case(link) && (at == 0 || !is_regex_word(word[at - 1]))
    })
}

fn relay_before_by_regex(before: &str) -> Option<RelayKind> {
    let c = RELAY_BEFORE.captures(before)?;
    Some(if c.get(2).is_some() || c.get(6).is_some() {
        RelayKind::ReportedBy
    } else if c.get(4).is_some() || c.get(5).is_some() {
        RelayKind::CitedBy
    } else {
        RelayKind::ToldTo
    })
}

/// The end of `word` (in any case) followed by at least one space at `i`, past the
/// spaces; for the words of [`RELAY_BEFORE`] that are followed by `\s+`.
fn word_then_spaces(bytes: &[u8], i: usize, word: &str) -> Option<usize> {
    let end = word_at(bytes, i, word)?;
    let after = skip_spaces(bytes, end);
    (after > end).then_some(after)
}

/// Whether `word` (in any case) is at `i`; the position after it.
fn word_at(bytes: &[u8], i: usize, word: &str) -> Option<usize> {
    let end = i + word.len();
    bytes
        .get(i..end)
        .is_some_and(|w| w.eq_ignore_ascii_case(word.as_bytes()))
        .then_some(end)
}

/// The relay kind of the first alternative of [`RELAY_BEFORE`] that matches from `p`
/// to the end of `bytes`.
fn relay_at(bytes: &[u8], p: usize) -> Option<RelayKind> {
    let ends = |q: Option<usize>| q.is_some_and(|q| relay_tail(bytes, q));
    // "(as )reported by", "(as )cited by": with or without the "as".
    let verb_by = |verbs: &[&str]| {
        let from = [word_then_spaces(bytes, p, "as"), Some(p)];
        from.into_iter().flatten().any(|at| {
            verbs.iter().any(|verb| {
                let by = word_then_spaces(bytes, at, verb).and_then(|q| word_at(bytes, q, "by"));
                ends(by)
            })
        })
    };
    if verb_by(&["reported", "published", "carried", "broadcast"]) {
        return Some(RelayKind::ReportedBy);
    }
    if verb_by(&["cited", "quoted"]) {
        return Some(RelayKind::CitedBy);
    }
    if ends(word_at(bytes, p, "citing")) {
        return Some(RelayKind::CitedBy);
    }
    // "(a )(recent )report by|from|in".
    let after_a = [word_then_spaces(bytes, p, "a"), Some(p)];
    let report = after_a.into_iter().flatten().any(|at| {
        [word_then_spaces(bytes, at, "recent"), Some(at)]
            .into_iter()
            .flatten()
            .any(|at| {
                ["report", "post", "story", "article"].iter().any(|noun| {
                    word_then_spaces(bytes, at, noun).is_some_and(|q| {
                        ["by", "from", "in"]
                            .iter()
                            .any(|link| ends(word_at(bytes, q, link)))
                    })
                })
            })
    });
    if report {
        return Some(RelayKind::ReportedBy);
    }
    let told = ends(word_at(bytes, p, "told"))
        || ends(word_at(bytes, p, "to"))
        || ["interviews", "interview"]
            .iter()
            .any(|w| ends(word_then_spaces(bytes, p, w).and_then(|q| word_at(bytes, q, "with"))));
    told.then_some(RelayKind::ToldTo)
}

/// Whether `\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$` matches `bytes[q..]`: spaces, then at most
/// three words (four when the first is "the"), each followed by spaces.
fn relay_tail(bytes: &[u8], q: usize) -> bool {
    let rest = &bytes[q..];
    if !rest.first().copied().is_some_and(is_regex_space)
        || !rest.last().copied().is_some_and(is_regex_space)
    {
        return false;
    }
    let mut words = rest.split(|b| is_regex_space(*b)).filter(|w| !w.is_empty());
    let mut count = 0;
    let mut first_is_the = false;
    for word in words.by_ref() {
        if !word.iter().all(|b| is_regex_word(*b) || *b == b'-') {
            return false;
        }
        if count == 0 {
            first_is_the = word.eq_ignore_ascii_case(b"the");
        }
        count += 1;
        if count > 4 {
            return false;
        }
    }
    count <= 3 || first_is_the
}

static PASSIVE_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:was|were|has been|have been|had been)\s+(?:announced|reported|confirmed|stated|disclosed|revealed|claimed)\s+by\s+(?:the\s+)?$").expect("compiles")
});

/// A document and who made it, before its name: "a report by ", "figures released by
/// the ", "data compiled by ", "a new study from ".
static DOCUMENT_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:report|study|analysis|assessment|survey|investigation|review|data|figures|estimates?|tally|count|calculations?|database|statistics|research|findings|audit|poll)\s+(?:(?:published|released|compiled|issued|prepared|conducted|carried\s+out|produced|collected|gathered|shared)\s+)?(by|from)\s+(?:the\s+)?$").expect("compiles")
});

/// What a document's maker is said to find, after its name (and up to four words that
/// name a part of it or what the document is on): "found", "shows", "estimated".
static FINDING_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:['’]s)?(?:\s+[\w-]+){0,4}?\s+(?:(?:also|has|have|had|recently|previously|now)\s+)*(?:found|finds?|show|shows|showed|suggest|suggests|suggested|concluded|concludes?|indicates?|indicated|estimated|estimates?|said|says|put|puts|counted|counts|recorded|records|documented|documents|revealed|reveals?|stated|states)\b").expect("compiles")
});

/// The words [`DOCUMENT_BY`] needs before a name.
static DOCUMENT_BY_GATE: Gate = Gate::any_case(&["by", "from"]);

static SIGNATURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[—–-]\s*([\p{Lu}][^()\n]{1,60}?)\s*\(@\w+\)").expect("compiles"));

/// "Ukrainian estimates": a nationality adjective before figures stands for its country.
/// ("Ukrainian officials said" is not a source: the gold counts only named speakers.)
static DEMONYM_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b({})\s+(?:estimates|figures|data|intelligence estimates)\b",
        demonym_alternation()
    ))
    .expect("compiles")
});

/// "the Ukrainian military", "the Russian government": a country's generic body,
/// named by its nationality, speaks for the country.
static DEMONYM_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b({})\s+{GENERIC_BODY}\b",
        demonym_alternation()
    ))
    .expect("compiles")
});

/// The words after the nationality that [`DEMONYM_SOURCE`] and [`DEMONYM_BODY`] need.
pub(crate) static DEMONYM_SOURCE_GATE: Gate = Gate::exact(&["estimates", "figures", "data"]);
pub(crate) static DEMONYM_BODY_GATE: Gate = Gate::exact(&[
    "administration",
    "military",
    "army",
    "armed",
    "government",
    "authorities",
    "leadership",
    "service",
    "agency",
    "ministry",
    "intelligence",
    "police",
    "prosecutor",
]);

/// The nationality adjectives as a regex alternation, longest first ("South Korean"
/// before "Korean").
fn demonym_alternation() -> String {
    let mut names: Vec<&str> = lexicons().demonyms.keys().map(String::as_str).collect();
    names.sort_by_key(|d| std::cmp::Reverse(d.len()));
    names.join("|")
}

/// Whether `before` ends in a passive "was announced by (the) ", which then needs "by"
/// or "the" just before its final space.
fn ends_in_passive_by(before: &str) -> bool {
    let word = before.trim_end();
    let last_is = |w: &str| {
        word.len() >= w.len()
            && word.is_char_boundary(word.len() - w.len())
            && word[word.len() - w.len()..].eq_ignore_ascii_case(w)
    };
    before.len() > word.len() && (last_is("by") || last_is("the")) && PASSIVE_BY.is_match(before)
}

static POSSESSIVE_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^['’]s\s+(?:own\s+|latest\s+|new\s+|official\s+|updated\s+)?(?:estimates?|count|figures?|tally|data|assessment)\b").expect("compiles")
});

/// The length of the description that opens `text` before a name: one to four words
/// in lower case, compound adjectives or (if `nationalities`) nationality adjectives,
/// each followed by blanks ("the state news agency ", "the Moscow-based newspaper ",
/// "the Russian outlet "); 0 when there is none.
fn description_len(text: &str, nationalities: bool) -> usize {
    let lex = lexicons();
    let mut len = 0;
    for _ in 0..4 {
        let rest = &text[len..];
        let word_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        let word = &rest[..word_len];
        let blanks = rest[word_len..]
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len() - word_len);
        let describes = word.starts_with(|c: char| c.is_ascii_lowercase())
            || (nationalities && lex.demonym_country(word).is_some())
            || super::entities::is_compound_adjective(word);
        if word.is_empty() || blanks == 0 || !describes {
            break;
        }
        len += word_len + blanks;
    }
    len
}

static ACCORDING_TO_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\baccording to\s+(?:the\s+)?$").expect("compiles"));

/// The role in `gap`, the text between a country and a reporting verb, when it is the
/// country's role with no name: "'s top commander " gives "commander".
pub fn role_of_a_country(gap: &str) -> Option<&str> {
    let rest = after_possessive(gap)?.trim_end();
    let role = ["top ", "new ", "senior "]
        .iter()
        .find_map(|adjective| rest.strip_prefix(adjective))
        .unwrap_or(rest);
    (role.starts_with(char::is_lowercase) && lexicons().is_role(role)).then_some(role)
}

/// The text after a possessive "'s " that opens `text`, if it does.
pub fn after_possessive(text: &str) -> Option<&str> {
    text.strip_prefix("'s ")
        .or_else(|| text.strip_prefix("’s "))
}

/// "according to the head of the regional administration, Vadym Filashkin, ...": the
/// person named after a description in lower case and a comma (`after`: where the
/// description starts).
fn person_after_description(
    text: &str,
    after: usize,
    end: usize,
    mentions: &[Mention],
    local: &[usize],
) -> Option<usize> {
    let starts_described = text[after..end].starts_with(|c: char| c.is_ascii_lowercase());
    if !starts_described {
        return None;
    }
    local.iter().copied().find(|m| {
        let mention = &mentions[*m];
        let description = &text[after..mention.start.max(after)];
        mention.kind == MentionKind::Person
            && mention.start > after
            && mention.start <= after + 160
            && description.trim_end().ends_with(',')
            && !description.contains(['.', ';', '"', '“', '”', '('])
    })
}

/// "according to Ukraine's Coordination Headquarters": the source is the body after a
/// possessive place, not the place.
fn past_possessive_place(text: &str, mentions: &[Mention], local: &[usize], m: usize) -> usize {
    if !matches!(mentions[m].kind, MentionKind::Place(_)) {
        return m;
    }
    let Some(rest) = after_possessive(&text[mentions[m].end..]) else {
        return m;
    };
    let next_start = text.len() - rest.len();
    local
        .iter()
        .copied()
        .find(|o| mentions[*o].start == next_start)
        .unwrap_or(m)
}

/// "Police in Odesa said", "the mayor of Kharkiv said": a city after "in", "of" or "at"
/// says where the subject is, and is not the subject. (A country there still speaks
/// for itself, as corpus/README has a source described through its country do.)
fn names_where_the_subject_is(text: &str, mention: &Mention) -> bool {
    let MentionKind::Place(index) = mention.kind else {
        return false;
    };
    gazetteer().entry(index).kind != "country" && after_preposition(text, mention)
}

/// Whether "in", "of" or "at" stands right before the mention.
fn after_preposition(text: &str, mention: &Mention) -> bool {
    let before = &text.as_bytes()[..mention.start];
    [b" in ", b" of ", b" at "]
        .iter()
        .any(|p| before.len() >= 4 && before[before.len() - 4..].eq_ignore_ascii_case(*p))
}

fn is_source(mention: &Mention) -> bool {
    match mention.kind {
        MentionKind::Person | MentionKind::Organization(_) | MentionKind::Unit => true,
        MentionKind::UnlistedPlace(_) => false,
        // A country, or a city large enough to stand for its government ("Kyiv says",
        // "Moscow has dismissed"): such cities are nearly always capitals.
        MentionKind::Place(index) => {
            let entry = gazetteer().entry(index);
            entry.kind == "country" || (entry.kind == "city" && entry.population >= 1_000_000)
        }
    }
}

/// Builds this module's patterns now rather than on first use (see [`super::warm_up`]),
/// except the rare ones (post signatures) that wait for a text that needs them.
pub(crate) fn warm_up() {
    LazyLock::force(&VERB);
    LazyLock::force(&ACCORDING_TO);
    LazyLock::force(&COUNTRY_BODY_GAP);
    LazyLock::force(&COORDINATED_VERB);
    LazyLock::force(&OPENING);
    LazyLock::force(&PRONOUN_BEFORE);
    LazyLock::force(&ROLE_NOUN_BEFORE);
    LazyLock::force(&ROLE_NOUN_AFTER);
    LazyLock::force(&BODY_PART_GAP);
    LazyLock::force(&BODY_PART_IN_A_PLACE);
    LazyLock::force(&QUOTED);
    LazyLock::force(&PERSON_OFFICE_GAP);
    LazyLock::force(&PASSIVE_BY);
    LazyLock::force(&DEMONYM_SOURCE);
    LazyLock::force(&DEMONYM_BODY);
    LazyLock::force(&POSSESSIVE_SOURCE);
    LazyLock::force(&DOCUMENT_BY);
    LazyLock::force(&FINDING_VERB);
}

/// Finds the attributions in `text[start..end]`; `mentions` are the document's mentions
/// (indices refer to that list), of which `local` lie in this stretch.
pub fn attributions(
    text: &str,
    start: usize,
    end: usize,
    mentions: &[Mention],
    local: &[usize],
) -> Vec<Attribution> {
    attributions_and_first_verb(text, start, end, mentions, local).0
}

/// [`attributions`], and the first reporting verb's range in `text[start..end]` (offsets
/// into it), which [`content_range_after`] needs.
pub fn attributions_and_first_verb(
    text: &str,
    start: usize,
    end: usize,
    mentions: &[Mention],
    local: &[usize],
) -> (Vec<Attribution>, Option<(usize, usize)>) {
    let mut first_verb = None;
    let mut found = Vec::new();
    let span = &text[start..end];
    let mention_ending_at = |pos: usize| -> Option<usize> {
        local
            .iter()
            .copied()
            .filter(|i| mentions[*i].end <= pos)
            .max_by_key(|i| mentions[*i].end)
    };
    let mention_starting_after = |pos: usize, within: usize| -> Option<usize> {
        local
            .iter()
            .copied()
            .filter(|i| mentions[*i].start >= pos && mentions[*i].start <= pos + within)
            .min_by_key(|i| mentions[*i].start)
    };

    // "said Lieutenant Colonel Anton Myronovych": a person after the verb and a title.
    // The title may name the body or country the person speaks for, or a nationality:
    // "said Kremlin spokesman Dmitry Peskov", "said Ukrainian lawmaker Mariana Bezuhla".
    let titled_person_after = |pos: usize| -> Option<usize> {
        let m = local
            .iter()
            .copied()
            .filter(|i| {
                mentions[*i].kind == MentionKind::Person
                    && mentions[*i].start >= pos
                    && mentions[*i].start <= pos + 60
            })
            .min_by_key(|i| mentions[*i].start)?;
        let title_start = mention_starting_after(pos, 1)
            .filter(|body| *body != m && mentions[*body].end <= mentions[m].start)
            .map_or(pos, |body| mentions[body].end);
        let title = text[title_start..mentions[m].start].trim();
        let title = title
            .strip_prefix("'s ")
            .or_else(|| title.strip_prefix("’s "))
            .unwrap_or(title);
        let title = match title.split_once(' ') {
            Some((first, rest)) if lexicons().demonym_country(first).is_some() => rest,
            _ => title,
        };
        lexicons().is_role(title).then_some(m)
    };

    // "The UN human rights monitoring mission in Ukraine said": the body speaks through
    // its mission; the place only says where the mission is.
    let body_with_a_part_in_a_place = |verb: usize| -> Option<usize> {
        let place = mention_ending_at(verb)?;
        if !mentions[place].kind.is_place() || !is_subject_gap(&text[mentions[place].end..verb]) {
            return None;
        }
        let body = mention_ending_at(mentions[place].start)?;
        (matches!(mentions[body].kind, MentionKind::Organization(_))
            && BODY_PART_IN_A_PLACE.is_match(&text[mentions[body].end..mentions[place].start]))
        .then_some(body)
    };

    // "Tass quoted the Defence Ministry as saying", "Peskov was quoted by RIA Novosti as
    // saying": the one quoted speaks, through the outlet that quoted them. An unnamed
    // source ("Interfax quoted a military source as saying") leaves the outlet speaking.
    let quoted_as_saying = |verb: usize| -> Option<Attribution> {
        let as_at = verb - " as ".len();
        let quoted = QUOTED.find_iter(&text[start..as_at]).last()?;
        let (q_start, q_end) = (start + quoted.start(), start + quoted.end());
        let is_body = |m: &usize| matches!(mentions[*m].kind, MentionKind::Organization(_));
        let (speaker, outlet) = if quoted.as_str().trim_end().ends_with("by") {
            let outlet = mention_starting_after(q_end, "the ".len())
                .filter(|m| is_body(m) && mentions[*m].end == as_at)?;
            let speaker = match mention_ending_at(q_start) {
                Some(m) if text[mentions[m].end..q_start].trim().is_empty() => {
                    SpeakerRef::Mention(m)
                }
                _ => pronoun_ref(&PRONOUN_BEFORE.captures(&text[start..q_start])?),
            };
            (speaker, Some(outlet))
        } else {
            let outlet = mention_ending_at(q_start)
                .filter(|m| is_body(m) && text[mentions[*m].end..q_start].trim().is_empty());
            let quoted_one = mention_ending_at(as_at)
                .filter(|m| mentions[*m].end == as_at && mentions[*m].start >= q_end);
            // "Interfax quoted him as saying": whom the pronoun stands for.
            let pronoun = match text[q_end..as_at].trim() {
                "him" | "her" => Some(SpeakerRef::PersonPronoun),
                "it" => Some(SpeakerRef::BodyPronoun),
                _ => None,
            };
            match (quoted_one, pronoun, outlet) {
                (Some(m), _, outlet) => (SpeakerRef::Mention(m), outlet),
                (None, Some(pronoun), outlet) => (pronoun, outlet),
                (None, None, Some(outlet)) => (SpeakerRef::Mention(outlet), None),
                (None, None, None) => return None,
            }
        };
        Some(Attribution {
            speaker,
            relays: outlet
                .map(|m| (m, RelayKind::CitedBy))
                .into_iter()
                .collect(),
            rule: "attribution.quoted_as_saying",
            position: q_start,
        })
    };

    // "Ukraine's top commander said", "Russia's defence minister said": a role
    // described through a country, with no name.
    let country_role_before = |verb: usize| -> Option<(usize, String)> {
        let place = mention_ending_at(verb)?;
        if !mentions[place].kind.is_place() || !is_source(&mentions[place]) {
            return None;
        }
        role_of_a_country(&text[mentions[place].end..verb]).map(|role| (place, role.to_string()))
    };

    for (verb_start, verb_end) in verbs_in(span) {
        first_verb = first_verb.or(Some((verb_start, verb_end)));
        let v_start = start + verb_start;
        let v_end = start + verb_end;
        let before = &text[start..v_start];
        let word = &span[verb_start..verb_end];
        // "a report published by RUSI", "figures confirmed by the ministry": a participle
        // with its agent after it, whom the passive rules and relays read.
        if text[v_end..end].starts_with(" by ") {
            continue;
        }
        if word == "saying" && before.ends_with(" as ") {
            if let Some(attribution) = quoted_as_saying(v_start) {
                found.push(attribution);
                continue;
            }
        }
        let mut speaker = None;
        let mut rule = "attribution.subject_verb";
        // The subject: the nearest name before the verb, or a person before an apposition
        // that itself names a body ("X, a correspondent for Die Welt, highlighted").
        let mut subjects: Vec<usize> = local
            .iter()
            .copied()
            .filter(|m| mentions[*m].end <= v_start && is_source(&mentions[*m]))
            .filter(|m| {
                let gap = &text[mentions[*m].end..v_start];
                // "Ukrainian military intelligence (HUR) said": the name in brackets
                // speaks as the one before it.
                let bracketed = text[..mentions[*m].start].ends_with('(');
                let gap = match gap.strip_prefix(')') {
                    Some(rest) if bracketed => rest,
                    _ => gap,
                };
                (is_subject_gap(gap)
                    && !names_where_the_subject_is(text, &mentions[*m])
                    && !is_a_partner(&text[..mentions[*m].start]))
                    || (matches!(mentions[*m].kind, MentionKind::Place(_))
                        && gap.starts_with(['\'', '’'])
                        && COUNTRY_BODY_GAP.is_match(gap)
                        // "the directorate of Ukraine's defence ministry said": the
                        // country's body is not the subject either.
                        && !after_preposition(text, &mentions[*m]))
                    || (matches!(mentions[*m].kind, MentionKind::Organization(_))
                        && BODY_PART_GAP.is_match(gap))
                    || (mentions[*m].kind == MentionKind::Person
                        && gap.starts_with(['\'', '’'])
                        && PERSON_OFFICE_GAP.is_match(gap))
            })
            .collect();
        // "The Georgian Legion, commanded by Mamuka Mamulashvili, said", "The Kastus
        // Kalinouski Regiment, a unit of volunteers fighting for Kyiv, said": a source
        // with a description between commas up to the verb is the subject, and the
        // names inside the description only describe it.
        let described = local.iter().copied().find(|m| {
            mentions[*m].end <= v_start
                && is_source(&mentions[*m])
                && describes_up_to_the_verb(&text[mentions[*m].end..v_start])
        });
        if let Some(described) = described {
            let described_end = mentions[described].end;
            subjects.retain(|m| mentions[*m].end <= described_end);
            if !subjects.contains(&described) {
                subjects.push(described);
            }
        }
        let person = subjects
            .iter()
            .copied()
            .filter(|m| mentions[*m].kind == MentionKind::Person)
            .max_by_key(|m| mentions[*m].end);
        // "Olena Zelinskyi of the 641st Mountain Brigade said": the person of the body
        // in the subject's place speaks, not the body.
        let person_of_body = || {
            subjects.iter().find_map(|body| {
                let body_start = mentions[*body].start;
                local.iter().copied().find(|p| {
                    mentions[*p].kind == MentionKind::Person
                        && mentions[*p].end < body_start
                        && super::entities::is_of_link(&text[mentions[*p].end..body_start])
                })
            })
        };
        if let Some(m) = person {
            speaker = Some(SpeakerRef::Mention(m));
        } else if let Some(m) = described {
            speaker = Some(SpeakerRef::Mention(m));
        } else if let Some(m) = person_of_body() {
            speaker = Some(SpeakerRef::Mention(m));
            rule = "attribution.person_of_body";
        } else if let Some(m) = body_with_a_part_in_a_place(v_start) {
            speaker = Some(SpeakerRef::Mention(m));
        } else if let Some(m) = mention_ending_at(v_start).and_then(|m| {
            if subjects.contains(&m) {
                Some(m)
            } else if is_a_partner(&text[..mentions[m].start]) {
                // "Mediazona, together with the BBC, has confirmed": the one before.
                subjects.iter().copied().max_by_key(|s| mentions[*s].end)
            } else {
                None
            }
        }) {
            speaker = Some(SpeakerRef::Mention(m));
        } else if let Some(m) = mention_ending_at(v_start)
            .filter(|m| {
                names_where_the_subject_is(text, &mentions[*m])
                    && is_subject_gap(&text[mentions[*m].end..v_start])
            })
            .and_then(|place| {
                // "the Defence Ministry in Moscow said": the body before the place.
                let at = mentions[place].start - " in ".len();
                mention_ending_at(at).filter(|body| {
                    mentions[*body].end == at
                        && matches!(
                            mentions[*body].kind,
                            MentionKind::Organization(_) | MentionKind::Unit
                        )
                })
            })
        {
            speaker = Some(SpeakerRef::Mention(m));
        }
        // An inverted verb follows what was said ("..., said X", "'...,' reported Y"), at
        // a comma, a quotation mark or a dash: in "Analysts said Russia may mobilize",
        // Russia is what they spoke about.
        let inverted = before
            .trim_end()
            .ends_with([',', '"', '”', '’', '\'', '—', '–'])
            || before.trim().is_empty();
        if speaker.is_none() {
            if let Some(c) = PRONOUN_BEFORE.captures(before) {
                speaker = Some(pronoun_ref(&c));
                rule = "attribution.pronoun";
            } else if let Some(c) = ROLE_NOUN_BEFORE.captures(before).filter(|c| {
                let phrase = c.get(0).expect("match");
                // "the Israeli military said" is the country's (the demonym body rule).
                let a_country_body = DEMONYM_BODY_GATE.may_match(phrase.as_str())
                    && DEMONYM_BODY.is_match(phrase.as_str());
                !in_a_medium(&before[..phrase.start()]) && !a_country_body
            }) {
                let phrase = c.get(0).expect("match").as_str();
                // "the court's press service said": the court speaks through it (not
                // "the region's governor").
                let role = possessor_in(phrase)
                    .filter(|_| !is_a_persons_role(&c[1]))
                    .unwrap_or(&c[1])
                    .to_lowercase();
                speaker = Some(SpeakerRef::RoleNoun(role, nationality_in(phrase)));
                rule = "attribution.role_noun";
            } else if let Some((place, role)) = country_role_before(v_start) {
                speaker = Some(SpeakerRef::CountryRole(place, role));
                rule = "attribution.role_noun";
            } else if let Some(m) = inverted
                .then(|| {
                    titled_person_after(v_end)
                        .or_else(|| {
                            mention_starting_after(v_end, 2)
                                // "reported the Kyiv Independent": a body's name may open
                                // with "the".
                                .or_else(|| {
                                    let the = text[v_end..].starts_with(" the ");
                                    the.then(|| mention_starting_after(v_end + 5, 0)).flatten()
                                })
                                .filter(|m| is_source(&mentions[*m]))
                        })
                        .filter(|_| word != "told")
                })
                .flatten()
            {
                speaker = Some(SpeakerRef::Mention(m));
                rule = "attribution.verb_subject_inverted";
            } else if let Some(c) = ROLE_NOUN_AFTER.captures(&text[v_end..end]) {
                speaker = Some(SpeakerRef::RoleNoun(c[1].to_lowercase(), None));
                rule = "attribution.role_noun";
            } else if COORDINATED_VERB.is_match(before) {
                // "Kyiv rarely comments on such attacks but says ...": the subject of the
                // first verb, at the start of the clause, also says it.
                let opening = local.iter().copied().find(|m| {
                    is_source(&mentions[*m]) && OPENING.is_match(&text[start..mentions[*m].start])
                });
                if let Some(m) = opening {
                    speaker = Some(SpeakerRef::Mention(m));
                    rule = "attribution.coordinated_subject";
                }
            }
        }
        let mut relays = Vec::new();
        if word == "told" {
            if let Some(m) =
                mention_starting_after(v_end, 30).filter(|m| is_told_as_relay(&mentions[*m]))
            {
                relays.push((m, RelayKind::ToldTo));
                let unnamed = !matches!(speaker, Some(SpeakerRef::Mention(_)));
                if unnamed {
                    // An unnamed speaker ("a senior commander told Tass"): the outlet is the
                    // source, unless the role resolves to someone named in the article.
                    found.push(Attribution {
                        speaker: SpeakerRef::Mention(m),
                        relays: Vec::new(),
                        rule: "attribution.told_outlet",
                        position: v_start,
                    });
                }
            }
        }
        if let Some(speaker) = speaker {
            found.push(Attribution {
                speaker,
                relays,
                rule,
                position: v_start,
            });
        }
    }

    let according_to = ACCORDING_GATE
        .may_match(span)
        .then(|| ACCORDING_TO.captures_iter(span));
    for c in according_to.into_iter().flatten() {
        let whole = c.get(0).expect("match");
        let mut after = start + whole.end();
        // A capitalised role noun that opens a name is that name: "according to the
        // Ministry of Defence".
        let role = c.get(2).filter(|role| {
            let names = role.as_str().starts_with(char::is_uppercase)
                && mention_starting_after(start + role.start(), 0).is_some();
            if names {
                after = start + role.start();
            }
            !names
        });
        let speaker = if let Some(role) = role {
            Some(SpeakerRef::RoleNoun(role.as_str().to_lowercase(), None))
        } else if let Some(m) = person_after_description(text, after, end, mentions, local) {
            Some(SpeakerRef::Mention(m))
        } else {
            // "according to the state news agency Ukrinform": past a lower-case description.
            // A nationality may open the name ("the Ukrainian Air Force") or describe it
            // ("the Russian outlet Mediazona").
            let described = |nationalities| description_len(&text[after..end], nationalities);
            mention_starting_after(after, 1)
                .or_else(|| mention_starting_after(after + described(false), 1))
                .or_else(|| mention_starting_after(after + described(true), 1))
                .map(|m| past_possessive_place(text, mentions, local, m))
                .filter(|m| is_source(&mentions[*m]))
                .map(|m| match mentions[m].kind {
                    MentionKind::Place(index) => SpeakerRef::Country(index),
                    _ => SpeakerRef::Mention(m),
                })
        };
        if let Some(speaker) = speaker {
            found.push(Attribution {
                speaker,
                relays: Vec::new(),
                rule: "attribution.according_to",
                position: start + whole.start(),
            });
        }
    }

    for &m in local {
        let before = &text[start..mentions[m].start];
        if ends_in_passive_by(before) && is_source(&mentions[m]) {
            found.push(Attribution {
                speaker: SpeakerRef::Mention(m),
                relays: Vec::new(),
                rule: "attribution.passive_by",
                position: mentions[m].start,
            });
        }
    }

    // "A report by RUSI found that ...", "Figures released by the ministry show ...": the
    // maker of the document speaks. With two makers ("data compiled by the BBC and
    // Mediazona shows"), the first.
    if DOCUMENT_BY_GATE.may_match(span) {
        for &m in local {
            let Some(c) = DOCUMENT_BY.captures(&text[start..mentions[m].start]) else {
                continue;
            };
            // A place "from" which a report comes is where it was written.
            let by = c[1].eq_ignore_ascii_case("by");
            if !is_source(&mentions[m]) || (mentions[m].kind.is_place() && !by) {
                continue;
            }
            let maker = past_possessive_place(text, mentions, local, m);
            let mut last = maker;
            let second = text[mentions[last].end..end]
                .strip_prefix(" and ")
                .map(|rest| rest.strip_prefix("the ").unwrap_or(rest))
                .map(|rest| end - rest.len());
            if let Some(next) = second.and_then(|at| mention_starting_after(at, 0)) {
                last = next;
            }
            if !FINDING_VERB.is_match(&text[mentions[last].end..end]) {
                continue;
            }
            found.push(Attribution {
                speaker: match mentions[maker].kind {
                    MentionKind::Place(index) => SpeakerRef::Country(index),
                    _ => SpeakerRef::Mention(maker),
                },
                relays: Vec::new(),
                rule: "attribution.document_by",
                position: start + c.get(0).expect("match").start(),
            });
        }
    }

    // "Ukraine's estimate ...", "The Kremlin's own count ...": the owner of the figures.
    for &m in local {
        if !is_source(&mentions[m]) || mentions[m].end >= end {
            continue;
        }
        let after = &text[mentions[m].end..end];
        let possessive = after.starts_with("'s") || after.starts_with("’s");
        if possessive && POSSESSIVE_SOURCE.is_match(after) {
            found.push(Attribution {
                speaker: match mentions[m].kind {
                    MentionKind::Place(index) => SpeakerRef::Country(index),
                    _ => SpeakerRef::Mention(m),
                },
                relays: Vec::new(),
                rule: "attribution.possessive_source",
                position: mentions[m].start,
            });
        }
    }

    let demonym_sources = DEMONYM_SOURCE_GATE
        .may_match(span)
        .then(|| DEMONYM_SOURCE.captures_iter(span));
    for c in demonym_sources.into_iter().flatten() {
        let country = lexicons().demonym_country(&c[1]).unwrap_or_default();
        if let Some(index) = gazetteer().best_match(country, &Default::default()) {
            let position = start + c.get(0).expect("match").start();
            found.push(Attribution {
                speaker: SpeakerRef::Country(index),
                relays: Vec::new(),
                rule: "attribution.demonym_source",
                position,
            });
        }
    }

    let demonym_bodies = DEMONYM_BODY_GATE
        .may_match(span)
        .then(|| DEMONYM_BODY.captures_iter(span));
    for c in demonym_bodies.into_iter().flatten() {
        let whole = c.get(0).expect("match");
        // "the Russian defence ministry said": a body some lexicon names speaks itself.
        let (body_start, body_end) = (start + whole.start(), start + whole.end());
        let named = local.iter().any(|m| {
            matches!(
                mentions[*m].kind,
                MentionKind::Organization(_) | MentionKind::Unit
            ) && mentions[*m].start < body_end
                && mentions[*m].end > body_start
        });
        if named {
            continue;
        }
        let before = &span[..whole.start()];
        let after = &span[whole.end()..];
        let verb_follows = VERB.find(after).is_some_and(|v| {
            is_subject_gap(&after[..v.start()]) && !after[..v.start()].contains(',')
        });
        let in_source_position =
            verb_follows || ends_in_passive_by(before) || ACCORDING_TO_BEFORE.is_match(before);
        let country = lexicons().demonym_country(&c[1]).unwrap_or_default();
        if let (true, Some(index)) = (
            in_source_position,
            gazetteer().best_match(country, &Default::default()),
        ) {
            found.push(Attribution {
                speaker: SpeakerRef::Country(index),
                relays: Vec::new(),
                rule: "attribution.country_body",
                position: start + whole.start(),
            });
        }
    }

    // A signature ends in a handle: "(@name)".
    let signature = span
        .contains("(@")
        .then(|| SIGNATURE.captures(span))
        .flatten();
    if let Some(c) = signature {
        let g = c.get(1).expect("group");
        if let Some(m) = mention_starting_after(start + g.start(), 0) {
            found.push(Attribution {
                speaker: SpeakerRef::Mention(m),
                relays: Vec::new(),
                rule: "attribution.post_signature",
                position: start + g.start(),
            });
        }
    }

    // Relays: outlets in "as reported by X", "citing X", "a report by X" positions.
    let relays: Vec<(usize, RelayKind)> = local
        .iter()
        .copied()
        .filter(|m| matches!(mentions[*m].kind, MentionKind::Organization(_)))
        .filter_map(|m| Some((m, relay_before(&text[start..mentions[m].start])?)))
        // "told Suspilne that the ICRC had visited ...": a body in what was told is none.
        .filter(|(m, _)| {
            !text[start..mentions[*m].start]
                .split_whitespace()
                .rev()
                .take(4)
                .any(|word| word.eq_ignore_ascii_case("that"))
        })
        .filter(|(m, kind)| {
            *kind != RelayKind::ToldTo
                || (is_told_as_relay(&mentions[*m])
                    && !is_sent_to(&text[start..mentions[*m].start]))
        })
        .collect();
    if !relays.is_empty() {
        for attribution in &mut found {
            for relay in &relays {
                if !attribution.relays.iter().any(|(m, _)| *m == relay.0)
                    && attribution.speaker != SpeakerRef::Mention(relay.0)
                {
                    attribution.relays.push(*relay);
                }
            }
        }
    }
    cited_sources_speak(text, (start, end), mentions, local, &mut found);
    found.sort_by_key(|a| a.position);
    (found, first_verb)
}

/// "Reuters reported, citing the Kremlin, that ...", "The Kyiv Independent, citing the
/// General Staff, reported ...": the one cited made the statement and the one citing
/// relayed it ("cited by" is the other way round). Data cited from a body ("citing
/// data from the Prosecutor General's Office") leaves the speaker as it is and makes
/// the body no relay either.
fn cited_sources_speak(
    text: &str,
    (start, end): (usize, usize),
    mentions: &[Mention],
    local: &[usize],
    found: &mut [Attribution],
) {
    if !text[start..end].contains("iting ") {
        return;
    }
    for &cited in local {
        if !is_source(&mentions[cited]) || mentions[cited].kind.is_place() {
            continue;
        }
        let before = &text[start..mentions[cited].start];
        if cites_material_from(before) {
            for attribution in found.iter_mut() {
                attribution.relays.retain(|(m, _)| *m != cited);
            }
            continue;
        }
        if !cites_directly(before) && !cites_sources_in(before) {
            continue;
        }
        // "X, citing Y, reported": the name right before ", citing" ("The Ukrainska Pravda
        // news site, citing sources in the General Staff, reported").
        let citing_name = local.iter().copied().find(|&o| {
            let gap = text
                .get(mentions[o].end..mentions[cited].start)
                .unwrap_or_default();
            let gap = match gap.split_once(',') {
                Some((description, rest)) if is_lower_case_description(description) => rest,
                _ => gap,
            };
            let gap = gap.trim().trim_start_matches(',').trim_start();
            gap.eq_ignore_ascii_case("citing")
                || gap.eq_ignore_ascii_case("citing the")
                || cites_sources_in(&format!(", {gap} "))
        });
        for attribution in found.iter_mut() {
            let SpeakerRef::Mention(speaker) = attribution.speaker else {
                continue;
            };
            attribution.relays.retain(|(m, _)| *m != cited);
            let relay = if speaker == cited {
                match citing_name {
                    Some(outlet) => outlet,
                    None => continue,
                }
            } else {
                attribution.speaker = SpeakerRef::Mention(cited);
                speaker
            };
            if !attribution.relays.iter().any(|(m, _)| *m == relay) {
                attribution.relays.insert(0, (relay, RelayKind::CitedBy));
            }
        }
    }
}

/// Whether `before` ends in "in " or "on ": the role noun after it is where an earlier
/// verb's speaker said something ("said in a statement posted on its website"), not a
/// speaker of its own.
fn in_a_medium(before: &str) -> bool {
    let word = before.trim_end();
    before.len() > word.len()
        && word
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("in") || w.eq_ignore_ascii_case("on"))
}

/// Whether a body that is told something ("told Reuters") passes it on. An assembly or
/// a state body ("told the Senate", "told the Verkhovna Rada") is the audience.
fn is_told_as_relay(mention: &Mention) -> bool {
    matches!(
        mention.kind,
        MentionKind::Organization(OrgKind::Outlet | OrgKind::Other)
    )
}

/// Whether `before` ends in "envoy to (the)", "ambassador to", ...: the body named next
/// is where someone is posted, not one that passed a statement on.
fn is_sent_to(before: &str) -> bool {
    static SENT_TO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:envoy|ambassador|representative|delegate|delegation|mission|observer)s?\s+to\s+(?:the\s+)?$")
            .expect("compiles")
    });
    SENT_TO.is_match(before)
}

/// Whether `before` ends in ", together with (the) ", ", along with ", ", in partnership
/// with ": the name next is the subject's partner, not the subject.
fn is_a_partner(before: &str) -> bool {
    static PARTNER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i),\s*(?:together\s+with|along\s+with|jointly\s+with|in\s+partnership\s+with|in\s+cooperation\s+with)\s+(?:the\s+)?$")
            .expect("compiles")
    });
    // The phrase fits in the last 48 bytes: callers pass the document up to a name.
    let mut from = before.len().saturating_sub(48);
    while !before.is_char_boundary(from) {
        from -= 1;
    }
    let tail = &before[from..];
    tail.ends_with(' ') && tail.contains("with") && PARTNER.is_match(tail)
}

/// Whether `before` ends in "citing" or "citing the" (the name follows).
fn cites_directly(before: &str) -> bool {
    let before = before.trim_end();
    let before = before
        .strip_suffix(" the")
        .or_else(|| before.strip_suffix(" The"))
        .unwrap_or(before);
    before.len() >= 6
        && before.is_char_boundary(before.len() - 6)
        && before[before.len() - 6..].eq_ignore_ascii_case("citing")
        && !before[..before.len() - 6]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
}

/// Whether `before` ends in "citing sources in (the)", "citing officials at", ...: the
/// unnamed sources speak for the body named next (corpus/README).
fn cites_sources_in(before: &str) -> bool {
    static SOURCES_IN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\bciting\s+(?:(?:a|an|one|unnamed|anonymous|senior|several|multiple|two|three|its|their|own)\s+)*(?:sources?|officials?|people|insiders?|contacts?)\s+(?:in|at|from|within)\s+(?:the\s+)?$")
            .expect("compiles")
    });
    before.contains("iting") && SOURCES_IN.is_match(before)
}

/// Whether `text` is blank or lower-case words only (" news site").
fn is_lower_case_description(text: &str) -> bool {
    text.split_whitespace()
        .all(|w| w.chars().all(|c| c.is_lowercase() || c == '-'))
}

/// Whether `before` ends in "citing data from (the)", "citing documents of", ..., or
/// "citing sources close to (the)": the body named next says nothing itself.
fn cites_material_from(before: &str) -> bool {
    static MATERIAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\bciting\s+(?:(?:\w+\s+)?(?:data|documents|figures|statistics|estimates|records)\s+(?:from|of|by|published\s+by)|(?:\w+\s+)?(?:sources?|people|officials?)\s+(?:close\s+to|familiar\s+with))\s+(?:the\s+)?(?:\w+\s+){0,2}$")
            .expect("compiles")
    });
    MATERIAL.is_match(before)
}

/// Where the reported content of a stretch lies (offsets into `span`): on the longer side
/// of its first reporting verb or "according to", so that the framing ("The strikes came
/// as X said that ...") does not decide the topic. The whole span when there is neither.
pub fn content_range(span: &str) -> (usize, usize) {
    content_range_after(span, VERB.find(span).map(|m| (m.start(), m.end())))
}

/// [`content_range`] with the span's first reporting verb already found (as by
/// [`attributions_and_first_verb`]).
pub fn content_range_after(span: &str, first_verb: Option<(usize, usize)>) -> (usize, usize) {
    static ACCORDING: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\baccording to\b").expect("compiles"));
    let according = ACCORDING_GATE
        .may_match(span)
        .then(|| ACCORDING.find(span))
        .flatten()
        .map(|m| (m.start(), m.end()));
    // The earlier of the two; the verb when both start at the same place.
    let marker = [first_verb, according]
        .into_iter()
        .flatten()
        .min_by_key(|(start, _)| *start);
    match marker {
        Some((start, end)) if start > span.len() - end => (0, start),
        Some((_, end)) => (end, span.len()),
        None => (0, span.len()),
    }
}

/// The lower-case noun whose part a role phrase names: "court" in "the court's press
/// service", "governor" in "the governor's office"; not a place ("the region's").
fn possessor_in(phrase: &str) -> Option<&str> {
    let (before, _) = phrase
        .split_once("'s ")
        .or_else(|| phrase.split_once("’s "))?;
    let noun = before.rsplit(' ').next()?;
    let a_place = matches!(
        noun,
        "region" | "city" | "country" | "district" | "oblast" | "province" | "town" | "village"
    );
    (noun.len() > 2 && noun.bytes().all(|b| b.is_ascii_lowercase()) && !a_place).then_some(noun)
}

/// Whether a role noun of [`ROLE_NOUN_BEFORE`] names a person ("governor"), not a body
/// or one of its parts ("service", "statement").
fn is_a_persons_role(role: &str) -> bool {
    let role = role.to_ascii_lowercase();
    role.starts_with("spokes")
        || matches!(
            role.as_str(),
            "governor" | "official" | "officer" | "minister" | "president" | "commander" | "mayor"
        )
}

/// The country of the first nationality among the words of `phrase` ("a senior
/// Ukrainian commander" -> Ukraine).
fn nationality_in(phrase: &str) -> Option<&'static str> {
    phrase
        .split(|c: char| !c.is_alphabetic())
        .find_map(|word| lexicons().demonym_country(word))
}

/// The outlet kind check used when choosing between several speakers.
pub fn is_outlet(mention: &Mention) -> bool {
    mention.kind == MentionKind::Organization(OrgKind::Outlet)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written reading of [`RELAY_BEFORE`] agrees with the regex.
    #[test]
    fn relays_match_the_regex() {
        const PIECES: &[&str] = &[
            " ",
            " ",
            " ",
            "  ",
            "\n",
            ",",
            "as",
            "As",
            "reported",
            "published",
            "carried",
            "broadcast",
            "by",
            "BY",
            "cited",
            "quoted",
            "citing",
            "a",
            "recent",
            "report",
            "reports",
            "post",
            "story",
            "article",
            "from",
            "in",
            "told",
            "to",
            "interview",
            "interviews",
            "with",
            "the",
            "The",
            "x",
            "-",
            "_",
            "3",
            "agency",
            "é",
            "ſ",
            "\u{212A}",
            "\u{a0}",
            "’",
            "reportedly",
            "and",
            " as reported by ",
            " cited by ",
            "a recent report from ",
            " told ",
            "interviews with ",
            " citing the ",
            "post in ",
            " x y z ",
            " the ",
        ];
        let mut found = [0; 4];
        for text in
            crate::extract::testing::random_texts(PIECES, 0x51_7cc1_b727_220a_u64, 100_000, 16)
        {
            let kind = relay_before_by_regex(&text);
            assert_eq!(relay_before(&text), kind, "{text:?}");
            found[kind.map_or(0, |k| k as usize)] += 1;
        }
        // Every kind came up often enough for the comparison to mean something.
        assert!(found.iter().all(|n| *n > 500), "{found:?}");
    }

    /// The hand-written reading of [`SUBJECT_GAP`] agrees with the regex.
    #[test]
    fn subject_gaps_match_the_regex() {
        const PIECES: &[&str] = &[
            " ",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{b}",
            ",",
            ",",
            "(@",
            "(@x.y)",
            "(HUR)",
            "(H",
            "UR",
            "(ISW2&)",
            "(A)",
            "(ABCDEFGHI)",
            "&",
            ")",
            "@",
            ".",
            "also",
            "has",
            "had",
            "have",
            "later",
            "then",
            "previously",
            "earlier",
            "recently",
            "again",
            "further",
            "reportedly",
            "on",
            "Monday",
            "this",
            "last",
            "week",
            "was",
            "quoted",
            "as",
            "ly",
            "only",
            "_ly",
            "3ly",
            "Also",
            "said",
            "x",
            "a spokesman",
            "é",
            "\u{a0}",
        ];
        let long = format!(", {},", "x".repeat(118));
        let longer = format!(", {},", "x".repeat(121));
        for text in [
            "",
            " ",
            ", ",
            long.as_str(),
            longer.as_str(),
            " (@a) , b , also ",
        ] {
            assert_eq!(is_subject_gap(text), SUBJECT_GAP.is_match(text), "{text:?}");
        }
        for text in
            crate::extract::testing::random_texts(PIECES, 0x9e37_79b9_7f4a_7c15_u64, 50_000, 10)
        {
            assert_eq!(
                is_subject_gap(&text),
                SUBJECT_GAP.is_match(&text),
                "{text:?}"
            );
        }
    }

    /// Verbs read from the document scan are the regex's matches, on random texts with
    /// verbs, their parts and non-ASCII neighbours.
    #[test]
    fn verbs_match_the_regex_on_random_texts() {
        const PIECES: &[&str] = &[
            " ", " ", "said", "says", "say", "told", "tell", "warned", "warn", "added", "add",
            "claimed", "claims", "claim", "saying", "report", "reported", "read", "un", "s", "ed",
            "_", "1", "’", "é", "Київ", ",", ".", "Said", "—", "\u{a0}",
        ];
        for text in
            crate::extract::testing::random_texts(PIECES, 0x1405_7b7e_f767_814f_u64, 20_000, 14)
        {
            for cut in [0, 1, 3] {
                let Some(span) = text.get(cut.min(text.len())..) else {
                    continue;
                };
                let by_regex: Vec<(usize, usize)> =
                    VERB.find_iter(span).map(|m| (m.start(), m.end())).collect();
                let read = super::super::gate::with_document(&text, || verbs_in(span));
                assert_eq!(read, by_regex, "{text:?} from {cut}");
            }
        }
    }
}
