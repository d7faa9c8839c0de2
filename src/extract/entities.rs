//! Named mentions in one sentence: organizations and outlets, military units, places and
//! people, each with the rule that found it. Roles and affiliations stated next to a
//! person ("regional governor X", "X, the ministry's spokesperson") are kept.

use super::gazetteer::{gazetteer, PlaceContext};
use super::lexicon::lexicons;
use crate::graph::{name_key, OrgKind};
use crate::text::{contains_in_short, find_in_short};
use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use std::sync::{LazyLock, OnceLock};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MentionKind {
    Person,
    Organization(OrgKind),
    Unit,
    /// An index into the gazetteer.
    Place(usize),
    /// A place no gazetteer entry knows, named where only a place can stand ("the
    /// village of Stupochky", "the Saltivskyi district", "near Novomykhailivka").
    UnlistedPlace(PlaceKind),
}

impl MentionKind {
    /// Whether it names a place, known to the gazetteer or not.
    pub fn is_place(self) -> bool {
        matches!(self, MentionKind::Place(_) | MentionKind::UnlistedPlace(_))
    }
}

/// What the text calls a place the gazetteer does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum PlaceKind {
    Village,
    Town,
    City,
    Settlement,
    District,
}

impl PlaceKind {
    /// The place's `kind` in the graph, as gazetteer places have theirs.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Village => "village",
            PlaceKind::Town => "town",
            PlaceKind::City => "city",
            PlaceKind::Settlement => "settlement",
            PlaceKind::District => "district",
        }
    }

    /// The kind a noun of the text names ("villages", "raion").
    fn of_noun(noun: &str) -> Option<PlaceKind> {
        Some(match noun.to_ascii_lowercase().trim_end_matches('s') {
            "village" | "hamlet" => PlaceKind::Village,
            "town" => PlaceKind::Town,
            "city" => PlaceKind::City,
            "settlement" => PlaceKind::Settlement,
            "district" | "raion" => PlaceKind::District,
            _ => return None,
        })
    }

    pub fn from_graph_kind(kind: &str) -> Option<PlaceKind> {
        PlaceKind::of_noun(kind)
    }
}

/// The id of an extraction rule. An alias rather than `&'static str` written out, so
/// that serde's derive does not tie the cache's decoder to a `'static` input.
pub type RuleId = &'static str;

/// One named mention, with its byte span in the document and the rule that found it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Mention {
    pub kind: MentionKind,
    /// The name as it should be shown: cleaned of titles and possessives, the canonical
    /// name for lexicon entries.
    pub name: String,
    /// The text as written, when it differs from `name` (an alias to remember).
    pub surface: String,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    #[serde(deserialize_with = "crate::pipeline::deserialize_rule")]
    pub rule: RuleId,
    pub role: Option<String>,
    /// The mention (index in the document's list) of the body this person speaks for.
    pub affiliation: Option<usize>,
    /// An acronym defined for it in the text ("(ISW)").
    pub acronym: Option<String>,
}

/// A [`Mention`] decoded with its strings borrowed (see [`super::ExtractionIn`]): the
/// same fields in the same order. The strings are left as bytes, unchecked: a check
/// of each as UTF-8 cost more than the rest of decoding them, and resolution checks a
/// document's mentions at once.
#[derive(Debug, PartialEq, serde::Deserialize)]
pub struct MentionIn<'a> {
    pub kind: MentionKind,
    pub name: &'a [u8],
    pub surface: &'a [u8],
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub rule: &'a [u8],
    #[serde(borrow)]
    pub role: Option<&'a [u8]>,
    pub affiliation: Option<usize>,
    #[serde(borrow)]
    pub acronym: Option<&'a [u8]>,
}

impl<'a> From<&'a Mention> for MentionIn<'a> {
    fn from(mention: &'a Mention) -> MentionIn<'a> {
        MentionIn {
            kind: mention.kind,
            name: mention.name.as_bytes(),
            surface: mention.surface.as_bytes(),
            start: mention.start,
            end: mention.end,
            sentence: mention.sentence,
            rule: mention.rule.as_bytes(),
            role: mention.role.as_deref().map(str::as_bytes),
            affiliation: mention.affiliation,
            acronym: mention.acronym.as_deref().map(str::as_bytes),
        }
    }
}

static UNIT_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:\d+(?:st|nd|rd|th)\s+(?:[\p{Lu}][\w-]*\s+){0,5}(?:Army|Brigade|Division|Regiment|Battalion|Corps|Fleet|Flotilla|Squadron|Detachment|Company|Group|Unit)(?:\s+of\s+[\p{Lu}][\w\s]*)?)|(?:(?:Northern|Southern|Eastern|Western|Central|Leningrad|Moscow)\s+Military\s+District)|(?:[\p{Lu}][\w-]*\s+){1,3}Group\s+of\s+(?:Forces|Troops)(?:\s+in\s+[\p{Lu}]\w+)?|Operational\s+Group\s+of\s+[\p{Lu}][\w\s]*)$")
        .expect("unit pattern compiles")
});

/// Whether `span` is a unit's name. Every unit name starts with a number or holds
/// "Military" or "Group", which rules out most spans before the regex runs.
fn is_unit_name(span: &str) -> bool {
    let may_be = span.chars().next().is_some_and(char::is_numeric)
        || contains_in_short(span, "Military")
        || contains_in_short(span, "Group");
    may_be && unit_name_matches(span)
}

/// `UNIT_NAME.is_match(span)`. An ASCII span is read here word by word: the regex's
/// Unicode classes in bounded repetitions cost more to compile than a hundred articles'
/// unit checks. Any other span goes to the regex.
fn unit_name_matches(span: &str) -> bool {
    use crate::text::{is_regex_space, is_regex_word};
    if !span.is_ascii() {
        return UNIT_NAME.is_match(span);
    }
    let bytes = span.as_bytes();
    // Every alternative opens with a word and only the free tails (`[\w\s]*`) may end
    // in a space.
    if bytes.first().is_none_or(|b| is_regex_space(*b)) {
        return false;
    }
    let trailing_space = bytes.last().copied().is_some_and(is_regex_space);
    let words: Vec<&[u8]> = bytes
        .split(|b| is_regex_space(*b))
        .filter(|w| !w.is_empty())
        .collect();
    let capitalised = |w: &[u8]| {
        w[0].is_ascii_uppercase() && w[1..].iter().all(|b| is_regex_word(*b) || *b == b'-')
    };
    // `[\p{Lu}][\w\s]*$`: a capital, then only word characters and spaces to the end.
    let free_tail = |rest: &[&[u8]]| {
        rest.first().is_some_and(|w| w[0].is_ascii_uppercase())
            && rest.iter().all(|w| w.iter().all(|b| is_regex_word(*b)))
    };
    let ends_here = |count: usize| words.len() == count && !trailing_space;
    // "58th Combined Arms Army (of the Southern Military District)".
    let ordinal = words[0].len() > 2 && {
        let (digits, suffix) = words[0].split_at(words[0].len() - 2);
        digits.iter().all(u8::is_ascii_digit) && matches!(suffix, b"st" | b"nd" | b"rd" | b"th")
    };
    let formation = ordinal
        && (0..=5).any(|k| {
            let head = 1 + k;
            words.len() > head
                && words[1..head].iter().all(|w| capitalised(w))
                && matches!(
                    words[head],
                    b"Army"
                        | b"Brigade"
                        | b"Division"
                        | b"Regiment"
                        | b"Battalion"
                        | b"Corps"
                        | b"Fleet"
                        | b"Flotilla"
                        | b"Squadron"
                        | b"Detachment"
                        | b"Company"
                        | b"Group"
                        | b"Unit"
                )
                && (ends_here(head + 1)
                    || (words.get(head + 1) == Some(&&b"of"[..]) && free_tail(&words[head + 2..])))
        });
    let district = ends_here(3)
        && matches!(
            words[0],
            b"Northern"
                | b"Southern"
                | b"Eastern"
                | b"Western"
                | b"Central"
                | b"Leningrad"
                | b"Moscow"
        )
        && words[1] == b"Military"
        && words[2] == b"District";
    let group_of_forces = (1..=3).any(|k| {
        words.len() >= k + 3
            && words[..k].iter().all(|w| capitalised(w))
            && words[k] == b"Group"
            && words[k + 1] == b"of"
            && matches!(words[k + 2], b"Forces" | b"Troops")
            && (ends_here(k + 3)
                || (ends_here(k + 5)
                    && words[k + 3] == b"in"
                    && words[k + 4].len() >= 2
                    && words[k + 4][0].is_ascii_uppercase()
                    && words[k + 4].iter().all(|b| is_regex_word(*b))))
    });
    let operational = words.len() >= 4
        && words[0] == b"Operational"
        && words[1] == b"Group"
        && words[2] == b"of"
        && free_tail(&words[3..]);
    formation || district || group_of_forces || operational
}

static QUOTED_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\bthe\s+["“]([\p{Lu}][\p{L}\- ]{1,30})["”]\s+(brigade|battalion|regiment|unit|group|division)\b"#)
        .expect("quoted unit pattern compiles")
});

/// A numbered formation written in lower case, as wire copy often does: "the 155th
/// brigade", "the 47th mechanized brigade", "the 58th combined arms army". The words
/// between are a formation's own, so "the 10th day of the army's offensive" is none.
static LOWER_CASE_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\d{1,3}(?:st|nd|rd|th)\s+(?:(?:separate|mechani[sz]ed|motori[sz]ed|rifle|assault|air|airborne|tank|guards?|marine|naval|infantry|territorial|defen[cs]e|combined|arms|artillery|special|purpose|mountain|jaeger|operational|presidential|national|missile|engineer|reconnaissance|unmanned|systems)\s+){0,4}(?:brigade|battalion|regiment|division|army|corps)\b")
        .expect("lower-case unit pattern compiles")
});

/// "the Khortytsia group of forces", "the Eastern grouping of troops": a group of
/// forces written in lower case after its name.
static LOWER_CASE_GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:\p{Lu}[\p{L}'’-]*\s+){1,2})(?:group|grouping)\s+of\s+(?:forces|troops)\b")
        .expect("group of forces pattern compiles")
});

/// Nouns that make an outlet of the name beside them.
const OUTLET_NOUNS: &[&str] = &[
    "account",
    "blog",
    "newspaper",
    "broadcaster",
    "outlet",
    "news agency",
    "agency",
    "channel",
    "website",
    "news site",
    "magazine",
    "tabloid",
    "portal",
    "publication",
    "TV station",
    "television station",
    "daily",
    "weekly",
    "news service",
];

/// Nouns that make a body (not an outlet) of the name an apposition describes.
const BODY_NOUNS: &[&str] = &[
    "charity",
    "foundation",
    "group",
    "initiative",
    "monitor",
    "movement",
    "network",
    "ngo",
    "non-profit",
    "nonprofit",
    "organisation",
    "organization",
    "project",
    "watchdog",
];

/// Whether `after` (the text after a name) opens with an apposition whose head noun is a
/// body's ("Idite Lesom, a group that helps soldiers desert", "X, an independent
/// monitoring project,"): an article, up to four more words, none of them "of", "for"
/// or a role (which describe a person: "a member of the group"), then the noun, then a
/// relative pronoun or punctuation.
fn body_apposition(after: &str) -> bool {
    let Some(rest) = after.strip_prefix(", ") else {
        return false;
    };
    let words: Vec<&str> = rest.split(' ').take(7).collect();
    if !matches!(words.first(), Some(&("a" | "an" | "the"))) {
        return false;
    }
    let lex = lexicons();
    for (k, word) in words.iter().enumerate().skip(1).take(5) {
        let bare = word.trim_end_matches([',', '.', ';']);
        let lower = bare.to_lowercase();
        let punctuated = bare.len() < word.len();
        if BODY_NOUNS.contains(&lower.as_str()) {
            let relative = words
                .get(k + 1)
                .is_some_and(|next| matches!(*next, "that" | "which" | "who"));
            return punctuated || relative;
        }
        if punctuated || matches!(lower.as_str(), "of" | "for") || lex.is_role(&lower) {
            return false;
        }
    }
    false
}

static OUTLET_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    let nouns = OUTLET_NOUNS.join("|");
    Regex::new(&format!(r"\b(?:{nouns})\s+$")).expect("outlet pattern compiles")
});

/// Platforms named between an outlet and its noun ("the Astra Telegram channel").
const PLATFORMS: &[&str] = &["Telegram", "YouTube", "Facebook", "VKontakte", "VK"];

static OUTLET_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    let nouns = OUTLET_NOUNS.join("|");
    let platforms = PLATFORMS.join("|");
    Regex::new(&format!(
        r"^(?:,\s+(?:a|an|the)\s+[^,.;]{{0,60}}?\b(?:{nouns})\b|\s+(?:(?:{platforms})\s+)?(?:{nouns})\b)"
    ))
    .expect("outlet apposition pattern compiles")
});

static ACRONYM_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\((\p{Lu}[\p{Lu}\d&]{1,7})\)").expect("acronym pattern compiles")
});

/// Text right before a name that puts it in a source position.
static SOURCE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\b(?:according to|told|by|citing|cited by|(?:reports?|statements?|data|figures|information|messages?|posts?|updates?|comments?|interviews?|footage|videos?|sources?|estimates?|analysis|accounts?|letters?|documents?|leaks?|officials?|spokes\w+)\s+(?:[\w'’-]+\s+){0,2}?from|quoted by|via|reports? by|posts? by)\s+(?:the\s+)?|\s[—–]\s*)$")
        .expect("source pattern compiles")
});

/// Text right after a name that puts it in a source position.
static SOURCE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\(@\w+\)|^(?:\s*,[^,]{0,80},)?\s+(?:also\s+|has\s+|had\s+|have\s+|later\s+|then\s+|previously\s+|earlier\s+)?(?:said|says|told|reported|reports|wrote|writes|stated|claimed|claims|announced|noted|added|posted|published|estimated|confirmed|warned)\b")
        .expect("source pattern compiles")
});

/// Where a role stands before a name ("regional governor Serhiy Haidai",
/// "spokesperson, Vladyslav Voloshyn").
static ROLE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z][a-z\- ]{1,40}?)\s*,?\s*$").expect("role pattern compiles")
});

/// The role that `before` ends with ([`role_before`], in lower case): the longest tail
/// of its last words that the role lexicon holds.
fn role_ending(before: &str) -> Option<String> {
    let phrase = role_before(before)?.trim().to_lowercase();
    // The phrase and each tail of it after a space, longest first.
    let tails = std::iter::once(phrase.as_str())
        .chain(phrase.match_indices(' ').map(|(at, _)| &phrase[at + 1..]));
    tails
        .filter(|r| lexicons().is_role(r))
        .map(str::to_string)
        .next()
}

/// The body in lower case after a role's " of " when it is an administration: "regional
/// military administration" in " of the Zaporizhzhia regional military administration, "
/// (the place names are left out, as the role is the same in every region). A Ukrainian
/// region's governor holds that title, so "the governor" can find them.
fn administration_of(phrase: &str) -> Option<String> {
    let words: Vec<&str> = phrase
        .trim_end_matches(|c: char| c.is_whitespace() || c == ',')
        .split_whitespace()
        .skip(1)
        .filter(|w| *w != "the" && w.starts_with(|c: char| c.is_lowercase()))
        .collect();
    (words.last() == Some(&"administration") && words.len() <= 4).then(|| words.join(" "))
}

/// The role of "the head of the Wagner Group, " or "Defence Minister of Ukraine " at
/// the end of `before`: the role, and where in `before` its " of " (or " for ")
/// stands (what follows, up to the name, says where the role holds). The link stands in
/// the last 64 bytes, and the phrase after it has no sentence or clause punctuation.
pub(super) fn role_of_ending(before: &str) -> Option<(String, usize)> {
    let trimmed = before.trim_end_matches(|c: char| c.is_whitespace() || c == ',');
    let window = trimmed.floor_char_boundary(trimmed.len().saturating_sub(64));
    // The nearest " of " that follows a role: "the spokesman of the Eastern Group of
    // Forces" holds two. " for " links a role to its body too ("a spokesperson for
    // Ukraine's southern forces").
    let mut links: Vec<(usize, usize)> = [" of ", " for "]
        .iter()
        .flat_map(|link| {
            trimmed[window..]
                .match_indices(link)
                .map(|(at, link)| (window + at, link.len()))
        })
        .collect();
    links.sort_unstable_by(|a, b| b.cmp(a));
    for (of, link_len) in links {
        let body = &trimmed[of + link_len..];
        if body.is_empty() || body.contains([',', '.', ';', ':', '!', '?', '"', '(', ')']) {
            continue;
        }
        if let Some(role) = role_ending(&trimmed[..of]) {
            // "chief of staff": the " of " belongs to the role itself (looked up only
            // here, once a role stands before a link: most calls find none).
            let whole = role_ending(trimmed);
            return match whole.is_some_and(|whole| whole.contains(" of ")) {
                true => None,
                false => Some((role, of)),
            };
        }
    }
    None
}

/// Whether `gap` is the link of "X of the Y" or "X of Y": a person and the body they
/// belong to, or a speaker and their unit.
pub(super) fn is_of_link(gap: &str) -> bool {
    matches!(gap, " of " | " of the ")
}

/// A plain word in title case ("Brovar", "Dovzhenko"): a capital, then lower-case
/// letters, hyphens or apostrophes; how an unknown name's words look.
fn is_title_case_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.all(|c| c.is_lowercase() || c == '-' || c == '\'')
}

/// The role words [`ROLE_BEFORE`] finds at the end of `before` (its group 1). ASCII
/// text is read here: the phrase ends at most 41 bytes before the closing spaces and
/// comma, and the pattern's lazy repetition makes it the shortest that reaches them.
fn role_before(before: &str) -> Option<&str> {
    use crate::text::{is_regex_space, is_regex_word};
    if !before.is_ascii() {
        return ROLE_BEFORE
            .captures(before)
            .map(|c| c.get(1).expect("group").as_str());
    }
    let bytes = before.as_bytes();
    // Where the closing `\s*,?\s*$` can start at the earliest.
    let mut tail = bytes.len();
    while tail > 0 && is_regex_space(bytes[tail - 1]) {
        tail -= 1;
    }
    if tail > 0 && bytes[tail - 1] == b',' {
        tail -= 1;
        while tail > 0 && is_regex_space(bytes[tail - 1]) {
            tail -= 1;
        }
    }
    // The leftmost start: a letter after a word boundary, then between 1 and 40 of
    // `[a-z\- ]` (in any case), as few as reach the tail.
    (tail.saturating_sub(41)..tail).find_map(|p| {
        if !bytes[p].is_ascii_alphabetic() || (p > 0 && is_regex_word(bytes[p - 1])) {
            return None;
        }
        let count = tail.saturating_sub(p + 1).max(1);
        let rest = bytes.get(p + 1..p + 1 + count)?;
        let fits = count <= 40
            && rest
                .iter()
                .all(|b| b.is_ascii_alphabetic() || matches!(b, b'-' | b' '));
        fits.then(|| &before[p..p + 1 + count])
    })
}

/// Group 1 of [`ACRONYM_AFTER`] in `after`: "(ISW)" after spaces. Read here when the
/// bytes the pattern looks at are ASCII, else by the regex.
fn acronym_in(after: &str) -> Option<&str> {
    use crate::text::is_regex_space;
    let bytes = after.as_bytes();
    let open = bytes.iter().take_while(|b| is_regex_space(**b)).count();
    // Spaces, "(", a capital, at most seven more and ")": eleven bytes past the spaces
    // decide it.
    if !bytes[..bytes.len().min(open + 11)].is_ascii() {
        return ACRONYM_AFTER
            .captures(after)
            .map(|c| c.get(1).expect("group").as_str());
    }
    if bytes.get(open) != Some(&b'(') || !bytes.get(open + 1)?.is_ascii_uppercase() {
        return None;
    }
    let more = bytes[open + 2..]
        .iter()
        .take(8)
        .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || **b == b'&')
        .count();
    let close = open + 2 + more;
    ((1..=7).contains(&more) && bytes.get(close) == Some(&b')')).then(|| &after[open + 1..close])
}

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s+is\s+(?:a|an|the)\s+([^.;]{1,80}?)\b(staff writer|senior writer|writer|reporter|correspondent|journalist|editor|contributor|columnist)\b")
        .expect("byline pattern compiles")
});

/// Head words that make a capitalised name without an ordinal a military unit ("Sheikh
/// Mansur Battalion"); with one, [`is_unit_name`] reads it.
const UNIT_HEADS: &[&str] = &["Battalion", "Brigade", "Detachment", "Legion", "Regiment"];

/// Head words that make a capitalised name an organization, with the kind they imply.
const ORG_HEADS: &[(&str, OrgKind)] = &[
    ("Academy", OrgKind::Other),
    ("Administration", OrgKind::Government),
    ("Agency", OrgKind::Other),
    ("Alliance", OrgKind::Other),
    ("Assembly", OrgKind::Government),
    ("Association", OrgKind::Other),
    ("Bureau", OrgKind::Government),
    ("Cabinet", OrgKind::Government),
    ("Center", OrgKind::Other),
    ("Centre", OrgKind::Other),
    ("Coalition", OrgKind::Other),
    ("Command", OrgKind::Military),
    ("Commission", OrgKind::Government),
    ("Committee", OrgKind::Government),
    ("Company", OrgKind::Other),
    ("Corporation", OrgKind::Other),
    ("Council", OrgKind::Government),
    ("Court", OrgKind::Government),
    ("Department", OrgKind::Government),
    ("Directorate", OrgKind::Intelligence),
    ("Endowment", OrgKind::Other),
    ("Force", OrgKind::Military),
    ("Forces", OrgKind::Military),
    ("Foundation", OrgKind::Other),
    ("Fund", OrgKind::Other),
    ("Government", OrgKind::Government),
    ("Group", OrgKind::Other),
    ("Guard", OrgKind::Military),
    ("Headquarters", OrgKind::Government),
    ("Inc", OrgKind::Other),
    ("Institute", OrgKind::Other),
    ("Intelligence", OrgKind::Intelligence),
    ("Ministry", OrgKind::Government),
    ("Navy", OrgKind::Military),
    ("Network", OrgKind::Other),
    ("News", OrgKind::Outlet),
    ("Observatory", OrgKind::Other),
    ("Office", OrgKind::Government),
    ("Parliament", OrgKind::Government),
    ("Party", OrgKind::Other),
    ("Police", OrgKind::Government),
    ("Post", OrgKind::Outlet),
    ("Press", OrgKind::Outlet),
    ("Project", OrgKind::Other),
    ("Prosecutor's Office", OrgKind::Government),
    ("Radio", OrgKind::Outlet),
    ("School", OrgKind::Other),
    ("Service", OrgKind::Government),
    ("Society", OrgKind::Other),
    ("Staff", OrgKind::Military),
    ("TV", OrgKind::Outlet),
    ("Television", OrgKind::Outlet),
    ("Times", OrgKind::Outlet),
    ("Tribunal", OrgKind::Government),
    ("University", OrgKind::Other),
];

/// Words that, alone, make up the name of a body every country has ("Air Force",
/// "Defence Ministry", "General Staff", "Ministry of Foreign Affairs").
const GENERIC_BODY_WORDS: &[&str] = &[
    "Affairs",
    "Air",
    "Armed",
    "Border",
    "Coast",
    "Command",
    "Defence",
    "Defense",
    "Emergencies",
    "Emergency",
    "Federal",
    "Force",
    "Forces",
    "Foreign",
    "General",
    "Ground",
    "Guard",
    "Interior",
    "Investigative",
    "Ministry",
    "National",
    "Naval",
    "Navy",
    "Operational",
    "Security",
    "Service",
    "Situations",
    "Staff",
    "State",
    "of",
    "the",
];

/// A name made only of generic body words, ending in a body ("Air Force", not "State").
fn is_generic_body(words: &[&str]) -> bool {
    words.len() >= 2
        && words.iter().all(|w| GENERIC_BODY_WORDS.contains(w))
        && org_head_kind(&words.join(" ")).is_some()
        || matches!(words, ["Navy"])
}

/// Typical endings of East Slavic and other surnames, for a lone unknown name.
const SURNAME_ENDINGS: &[&str] = &[
    "ov", "ova", "ev", "eva", "in", "ina", "yn", "yna", "ko", "enko", "uk", "yuk", "ak", "yk",
    "sky", "ska", "skyi", "skyy", "skiy", "skaya", "ich", "ych", "vich", "chuk", "shvili", "dze",
    "yan", "ets",
];

/// The lexicon's organization forms, with the automaton that finds them: (automaton,
/// per pattern (organization index, all capitals), per pattern its text). The automaton
/// is built on first use, for texts outside the document being extracted: inside it,
/// the document's one scan found the names already ([`super::gate::organization_names`]).
type OrganizationAutomaton = (OnceLock<AhoCorasick>, Vec<(usize, bool)>, Vec<String>);

static ORGANIZATION_AUTOMATON: LazyLock<OrganizationAutomaton> = LazyLock::new(|| {
    let lex = lexicons();
    let mut patterns = Vec::new();
    let mut targets = Vec::new();
    for (index, org) in lex.organizations.iter().enumerate() {
        for form in std::iter::once(&org.name).chain(org.aliases.iter()) {
            let form = form
                .strip_prefix("the ")
                .or_else(|| form.strip_prefix("The "))
                .unwrap_or(form);
            let all_caps = form
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
            patterns.push(form.to_string());
            targets.push((index, all_caps));
        }
    }
    (OnceLock::new(), targets, patterns)
});

/// The organization lexicon's patterns, for the automaton that scans a whole document
/// once ([`super::gate`]); pattern numbers are places in this list.
pub(crate) fn organization_patterns() -> &'static [String] {
    &ORGANIZATION_AUTOMATON.2
}

/// The organization names in `text`, leftmost-longest: (start, end, pattern number).
fn organization_names(text: &str) -> Vec<(usize, usize, usize)> {
    if let Some(found) = super::gate::organization_names(text) {
        return found;
    }
    let (automaton, _, patterns) = &*ORGANIZATION_AUTOMATON;
    automaton
        .get_or_init(|| super::gate::any_case_dfa(patterns, MatchKind::LeftmostLongest))
        .find_iter(text)
        .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
        .collect()
}

fn pattern_text(pattern: usize) -> &'static str {
    &ORGANIZATION_AUTOMATON.2[pattern]
}

/// Every word capitalised in the lexicon form is capitalised in the text too: "Ukrainian
/// Armed Forces" is a name, "Ukrainian armed forces" a description.
fn capitalised_like(surface: &str, form: &str) -> bool {
    surface.split(' ').zip(form.split(' ')).all(|(s, f)| {
        !f.chars().next().is_some_and(char::is_uppercase)
            || s.chars().next().is_some_and(char::is_uppercase)
    })
}

/// The length of a leading "Ukraine's " when the possessive is a country or region.
fn possessive_country_prefix(surface: &str) -> usize {
    for mark in ["'s ", "’s "] {
        if let Some(at) = surface.find(mark) {
            let owner = &surface[..at];
            let is_place = gazetteer()
                .lookup(owner)
                .iter()
                .any(|i| matches!(gazetteer().entry(*i).kind.as_str(), "country" | "region"));
            if is_place {
                return at + mark.len();
            }
        }
    }
    0
}

/// Mentions of one sentence `text[start..end]`, with document offsets.
pub struct SentenceScanner<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub context: &'a PlaceContext,
}

impl SentenceScanner<'_> {
    pub fn scan(&self) -> Vec<Mention> {
        let mut mentions = self.lexicon_organizations();
        self.quoted_units(&mut mentions);
        self.lower_case_groups(&mut mentions);
        self.lower_case_units(&mut mentions);
        let sentence = &self.text[self.start..self.end];
        let mut spans = Vec::new();
        super::spans::cap_spans(sentence, &mut spans);
        // One buffer for every span's taken ranges.
        let mut taken: Vec<(usize, usize)> = Vec::new();
        for (start, end) in spans {
            let (s, e) = (self.start + start, self.start + end);
            // Split the span around lexicon matches already taken.
            let mut cursor = s;
            taken.clear();
            taken.extend(
                mentions
                    .iter()
                    .filter(|m| m.start < e && m.end > s)
                    .map(|m| (m.start, m.end)),
            );
            // "Zelensky Says 31,000 Troops Killed": a title-case headline's verb ends the
            // name before it.
            let span_text = &self.text[s..e];
            if span_text.contains(' ') {
                let mut at = s;
                for word in span_text.split(' ') {
                    if super::attribution::is_headline_verb(word) {
                        taken.push((at, at + word.len()));
                    }
                    at += word.len() + 1;
                }
                taken.sort_unstable();
            }
            for (ts, te) in taken.iter().copied().chain(std::iter::once((e, e))) {
                if ts > cursor {
                    self.classify_span(cursor, ts, &mut mentions);
                }
                cursor = cursor.max(te);
            }
        }
        mentions.sort_by_key(|m| m.start);
        self.attach_roles(&mut mentions);
        mentions
    }

    fn lexicon_organizations(&self) -> Vec<Mention> {
        let targets = &ORGANIZATION_AUTOMATON.1;
        let sentence = &self.text[self.start..self.end];
        let lex = lexicons();
        organization_names(sentence)
            .into_iter()
            .filter_map(|(start, end, pattern)| {
                let (index, all_caps) = targets[pattern];
                let surface = &sentence[start..end];
                // "pro-Kremlin", "anti-NATO", "Kremlin-backed": an adjective, not the body.
                let prefixed = sentence[..start]
                    .strip_suffix('-')
                    .and_then(|before| before.chars().next_back())
                    .is_some_and(char::is_alphabetic)
                    || sentence[end..]
                        .strip_prefix('-')
                        .and_then(|after| after.chars().next())
                        .is_some_and(char::is_lowercase);
                let bounded = !prefixed
                    && !sentence[..start]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric)
                    && !sentence[end..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric);
                // A name written with a small first letter ("iStories") only as written.
                let form = pattern_text(pattern);
                let small_first = form.chars().next().is_some_and(char::is_lowercase);
                let cased = (surface.chars().next().is_some_and(char::is_uppercase)
                    || (small_first && surface == form))
                    && (!all_caps
                        || surface
                            .chars()
                            .filter(|c| c.is_alphabetic())
                            .all(char::is_uppercase))
                    && (capitalised_like(surface, form) || {
                        // Forms that differ only in case are one pattern of the search:
                        // "Ukrainian navy" is found as "Ukrainian Navy".
                        let org = &lex.organizations[index];
                        std::iter::once(&org.name).chain(&org.aliases).any(|other| {
                            other.len() == surface.len() && capitalised_like(surface, other)
                        })
                    });
                // "the Main Intelligence Directorate of Ukraine's defence ministry": the
                // country belongs to what follows, so the name ends before " of Ukraine".
                let (index, surface) = match sentence[end..].starts_with(['\'', '’']) {
                    true => surface
                        .rfind(" of ")
                        .and_then(|cut| {
                            let known = lex.organization_keys.get(&name_key(&surface[..cut]))?;
                            Some((*known, &surface[..cut]))
                        })
                        .unwrap_or((index, surface)),
                    false => (index, surface),
                };
                (bounded && cased).then(|| {
                    let org = &lex.organizations[index];
                    // "Ukraine's General Staff": the possessive country is a place of its
                    // own, and the name starts after it.
                    let skip = possessive_country_prefix(surface);
                    Mention {
                        kind: MentionKind::Organization(org.kind),
                        name: org.name.clone(),
                        surface: surface[skip..].to_string(),
                        start: self.start + start + skip,
                        end: self.start + start + surface.len(),
                        sentence: self.sentence,
                        rule: "org.lexicon",
                        role: None,
                        affiliation: None,
                        acronym: None,
                    }
                })
            })
            .collect()
    }

    fn quoted_units(&self, mentions: &mut Vec<Mention>) {
        let sentence = &self.text[self.start..self.end];
        // A nickname needs its opening quote.
        if !sentence.contains(['"', '“']) {
            return;
        }
        for caps in QUOTED_UNIT.captures_iter(sentence) {
            let whole = caps.get(0).expect("match");
            let name = format!("{} {}", &caps[1], title_case(&caps[2]));
            mentions.push(self.mention(
                MentionKind::Unit,
                name,
                self.start + whole.start() + 4,
                self.start + whole.end(),
                "unit.quoted_nickname",
            ));
        }
    }

    fn lower_case_groups(&self, mentions: &mut Vec<Mention>) {
        let sentence = &self.text[self.start..self.end];
        if !contains_in_short(sentence, " of forces") && !contains_in_short(sentence, " of troops")
        {
            return;
        }
        for caps in LOWER_CASE_GROUP.captures_iter(sentence) {
            let whole = caps.get(0).expect("match");
            // "The Eastern group of forces", "Russia's Dnepr group of forces": an article
            // or a possessive before the name is not part of it.
            let names = caps.get(1).expect("group 1");
            let (mut start, mut rest) = (names.start(), names.as_str());
            while let Some(word) = rest.split_whitespace().next() {
                let possessive = word.ends_with("'s") || word.ends_with("’s");
                // "the Russian Zapad group of forces": nor is a nationality.
                let nationality = lexicons().demonym_country(word).is_some();
                if !matches!(word, "The" | "A") && !possessive && !nationality {
                    break;
                }
                let after = rest[word.len()..].trim_start();
                start += rest.len() - after.len();
                rest = after;
            }
            // A group the organization lexicon names ("Zapad group of forces") is that body.
            let (from, to) = (self.start + start, self.start + whole.end());
            if rest.is_empty() || mentions.iter().any(|m| m.start < to && m.end > from) {
                continue;
            }
            let name = title_case_words(&sentence[start..whole.end()]);
            mentions.push(self.mention(
                MentionKind::Unit,
                name,
                self.start + start,
                self.start + whole.end(),
                "unit.group_of_forces",
            ));
        }
    }

    /// Numbered formations in lower case ([`LOWER_CASE_UNIT`]), named in title case as
    /// the same formation is named elsewhere ("155th Brigade").
    fn lower_case_units(&self, mentions: &mut Vec<Mention>) {
        let sentence = &self.text[self.start..self.end];
        if !sentence.bytes().any(|b| b.is_ascii_digit()) {
            return;
        }
        for found in LOWER_CASE_UNIT.find_iter(sentence) {
            let (start, end) = (self.start + found.start(), self.start + found.end());
            if mentions.iter().any(|m| m.start < end && m.end > start) {
                continue;
            }
            mentions.push(self.mention(
                MentionKind::Unit,
                title_case_words(found.as_str()),
                start,
                end,
                "unit.lower_case",
            ));
        }
    }

    fn mention(
        &self,
        kind: MentionKind,
        name: String,
        start: usize,
        end: usize,
        rule: &'static str,
    ) -> Mention {
        Mention {
            kind,
            surface: self.text[start..end].to_string(),
            name,
            start,
            end,
            sentence: self.sentence,
            rule,
            role: None,
            affiliation: None,
            acronym: None,
        }
    }

    /// Splits a capitalised span into words (start, end) with possessives cut off.
    fn words(&self, start: usize, end: usize) -> Vec<(usize, usize)> {
        let span = &self.text[start..end];
        // Sized once: a span is a few words, and this runs for every one.
        let spaces = span.bytes().filter(|b| *b == b' ').count();
        let mut words = Vec::with_capacity(spaces + 1);
        let mut offset = start;
        // `split(' ')`, by bytes: a space is one byte and never inside a character.
        for piece in span.as_bytes().split(|b| *b == b' ') {
            let s = offset;
            let mut e = offset + piece.len();
            offset = e + 1;
            if piece.is_empty() {
                continue;
            }
            for suffix in ["'s", "’s", "'", "’"] {
                if piece.len() > suffix.len() && piece.ends_with(suffix.as_bytes()) {
                    e -= suffix.len();
                    break;
                }
            }
            words.push((s, e));
        }
        words
    }

    fn classify_span(&self, start: usize, end: usize, out: &mut Vec<Mention>) {
        let lex = lexicons();
        let words = self.words(start, end);
        // Leading function words, nationalities and boilerplate are never part of a name.
        let mut first = 0;
        while first < words.len() {
            let w = &self.text[words[first].0..words[first].1];
            // A possessive's "'s" left at the start: "Ukraine's Armed Forces" after a body.
            if lex.is_non_name(w)
                || matches!(w, "of" | "the" | "for")
                || w.starts_with(['\'', '’'])
                || is_compound_adjective(w)
            {
                first += 1;
            } else {
                break;
            }
        }
        // Trailing function words and non-names too: "The Astra Telegram channel".
        let mut last = words.len();
        while last > first && {
            let w = &self.text[words[last - 1].0..words[last - 1].1];
            matches!(w, "of" | "the" | "for") || lex.is_non_name(w)
        } {
            last -= 1;
        }
        if first >= last {
            return;
        }
        // "Southern Military District": an adjective that is never a name on its own can
        // still open a unit's name.
        while first > 0 && is_unit_name(&self.text[words[first - 1].0..words[last - 1].1]) {
            first -= 1;
        }
        // "Ukrainian Air Force": a generic national body keeps its nationality adjective,
        // which is all that tells it from the other countries' bodies.
        if first > 0
            && lex
                .demonym_country(&self.text[words[first - 1].0..words[first - 1].1])
                .is_some()
            && is_generic_body(
                &words[first..last]
                    .iter()
                    .map(|(s, e)| &self.text[*s..*e])
                    .collect::<Vec<_>>(),
            )
        {
            first -= 1;
        }
        let words = &words[first..last];
        let (span_start, span_end) = (words[0].0, words[words.len() - 1].1);
        let span_text = &self.text[span_start..span_end];
        // A possessive ends a name: "Russia's Defense Ministry" is not one span.
        // ... unless the whole is a place's name ("Donetsk People's Republic").
        let possessive_cut = words
            .iter()
            .position(|(_, e)| self.text[*e..].starts_with(['\'', '’']))
            .filter(|i| i + 1 < words.len())
            .filter(|_| gazetteer().lookup(span_text).is_empty());
        if let Some(cut) = possessive_cut {
            self.classify_span(words[0].0, words[cut].1, out);
            // The next word may be the possessive's own "'s" ("Ukraine's Armed Forces").
            let next = words[cut + 1..]
                .iter()
                .find(|(s, _)| !self.text[*s..].starts_with(['\'', '’']))
                .map_or(span_end, |(s, _)| *s);
            if next < span_end {
                self.classify_span(next, span_end, out);
            }
            return;
        }

        // "58th Combined Arms Army of the Southern Military District": two units.
        let unit_name = is_unit_name(span_text);
        if !unit_name {
            if let Some(of) = find_in_short(span_text, " of ") {
                let left_end = span_start + of;
                if is_unit_name(&self.text[span_start..left_end]) {
                    self.classify_span(span_start, left_end, out);
                    self.classify_span(left_end + 4, span_end, out);
                    return;
                }
            }
        }
        // "Major Olena Zelinskyi of the 641st Mountain Brigade": a person of a body;
        // "Hanna Dovzhenko of the 47th Mechanized Brigade": a plain name of a unit.
        if !unit_name {
            if let Some(of) = find_in_short(span_text, " of ") {
                let left_end = span_start + of;
                let right = &span_text[of + 4..];
                let of_a_unit = is_unit_name(right.strip_prefix("the ").unwrap_or(right));
                if self.names_a_person(span_start, left_end) {
                    self.classify_span(span_start, left_end, out);
                    self.classify_span(left_end + 4, span_end, out);
                    return;
                }
                // No lexicon knows the name, but a unit's member is a person.
                if of_a_unit && self.reads_as_a_plain_name(span_start, left_end) {
                    out.push(self.mention(
                        MentionKind::Person,
                        self.text[span_start..left_end].to_string(),
                        span_start,
                        left_end,
                        "person.of_unit",
                    ));
                    self.classify_span(left_end + 4, span_end, out);
                    return;
                }
                // "Soldiers of the 38th Separate Marine Brigade" at a sentence's start:
                // whatever the capitalised words before are, the unit is a name of its own.
                if of_a_unit {
                    self.classify_span(span_start, left_end, out);
                    self.classify_span(left_end + 4, span_end, out);
                    return;
                }
            }
        }
        if unit_name {
            let mut unit = self.mention(
                MentionKind::Unit,
                span_text.to_string(),
                span_start,
                span_end,
                "unit.formation_pattern",
            );
            unit.acronym = self.acronym_after(span_end);
            out.push(unit);
            return;
        }
        // "The Sheikh Mansur Battalion", "Kastus Kalinouski Regiment": a unit named after
        // a person or a place, without the sentence's "The".
        if let Some(&(last_start, last_end)) = words.last().filter(|_| words.len() > 1) {
            if UNIT_HEADS.contains(&&self.text[last_start..last_end]) {
                let first = &self.text[words[0].0..words[0].1];
                let start = if first == "The" && words.len() > 2 {
                    words[1].0
                } else {
                    span_start
                };
                let mut unit = self.mention(
                    MentionKind::Unit,
                    self.text[start..span_end].to_string(),
                    start,
                    span_end,
                    "unit.head_word",
                );
                unit.acronym = self.acronym_after(span_end);
                out.push(unit);
                return;
            }
        }
        if let Some(kind) = org_head_kind(span_text) {
            // "Deputy Security Council chairman X": the title's first word is not the
            // body's ("Security Council").
            if words.len() > 2
                && matches!(
                    &self.text[words[0].0..words[0].1],
                    "Deputy" | "Acting" | "Former"
                )
            {
                self.classify_span(words[1].0, span_end, out);
                return;
            }
            if words.len() > 1 {
                let mut org = self.mention(
                    MentionKind::Organization(kind),
                    span_text.to_string(),
                    span_start,
                    span_end,
                    "org.head_word",
                );
                org.acronym = self.acronym_after(span_end);
                out.push(org);
                return;
            }
        }
        // "Vot Tak, an independent outlet", "Idite Lesom, a group that helps soldiers
        // desert": what the words around a name call it (two plain words would otherwise
        // read as a person's name).
        let starts_with_given_name = lexicons().is_given_name(&self.text[words[0].0..words[0].1]);
        let described = if starts_with_given_name {
            None
        } else if self.outlet_context(span_start, span_end) {
            Some((OrgKind::Outlet, "org.outlet_apposition"))
        } else if body_apposition(&self.text[span_end..self.end]) {
            Some((OrgKind::Other, "org.body_apposition"))
        } else {
            None
        };
        if let Some((kind, rule)) = described.filter(|_| gazetteer().lookup(span_text).is_empty()) {
            let name = span_text.to_string();
            out.push(self.mention(
                MentionKind::Organization(kind),
                name,
                span_start,
                span_end,
                rule,
            ));
            return;
        }
        self.scan_words(words, out);
    }

    /// Left to right: roles, places, then people and unknown names.
    fn scan_words(&self, words: &[(usize, usize)], out: &mut Vec<Mention>) {
        let lex = lexicons();
        let gaz = gazetteer();
        let mut i = 0;
        let mut pending_role: Option<String> = None;
        // "Foreign Minister of Russia Sergei Lavrov", "Minister for Veterans Yulia
        // Laputina": after a role and " of " or " for ", the words up to here name where
        // the role holds, not the person.
        let mut jurisdiction_until = 0;
        while i < words.len() {
            let word = &self.text[words[i].0..words[i].1];
            if lex.is_non_name(word) {
                i += 1;
                continue;
            }
            if matches!(word, "of" | "for") && pending_role.is_some() {
                jurisdiction_until = self.name_after_jurisdiction(&words[i + 1..]) + i + 1;
                i += 1;
                continue;
            }
            // A word in lower case inside a span ("the", "for", "and") starts no name.
            if word.starts_with(|c: char| c.is_lowercase()) {
                i += 1;
                continue;
            }
            // The longest role starting here ("Foreign Minister", "Secretary-General").
            if let Some(len) = (1..=lex.role_max_words.min(words.len() - i))
                .filter(|_| i >= jurisdiction_until)
                .rev()
                .find(|len| lex.is_role(&self.text[words[i].0..words[i + len - 1].1]))
            {
                pending_role = Some(self.text[words[i].0..words[i + len - 1].1].to_lowercase());
                i += len;
                continue;
            }
            // The longest place starting here, unless a given name makes it a person.
            // "Vladimir Putin" is a person even though Vladimir is also a city.
            // "J.D. Vance": initials stand for given names, unless they name a place or a
            // body ("U.S.", "U.N.").
            let initials = is_initials(word)
                && i + 1 < words.len()
                && gaz.lookup(word).is_empty()
                && !lex
                    .organization_keys
                    .contains_key(&crate::graph::name_key(word));
            let given_name = initials || lex.is_given_name(word);
            let starts_person = given_name && i + 1 < words.len();
            if !starts_person {
                let place = (1..=gaz.max_words().min(words.len() - i))
                    .rev()
                    .find_map(|len| {
                        let (s, e) = (words[i].0, words[i + len - 1].1);
                        let name = &self.text[s..e];
                        let index = gaz.best_match(name, self.context)?;
                        self.place_is_plausible(index, len, s, e)
                            .then_some((len, index, s, e))
                    });
                if let Some((len, index, s, e)) = place {
                    out.push(self.mention(
                        MentionKind::Place(index),
                        gaz.entry(index).name.clone(),
                        s,
                        e,
                        "place.gazetteer",
                    ));
                    i += len;
                    continue;
                }
            }
            if i < jurisdiction_until {
                i += 1;
                continue;
            }
            // A name: the following capitalised words that are not roles or non-names.
            let mut j = i + 1;
            while j < words.len() {
                let w = &self.text[words[j].0..words[j].1];
                if lex.is_non_name(w) || lex.is_role(w) {
                    break;
                }
                j += 1;
            }
            let (s, e) = (words[i].0, words[j - 1].1);
            let name = &self.text[s..e];
            let chunk = j - i;
            let unlisted = (!given_name && pending_role.is_none())
                .then(|| self.unlisted_place(s, e, chunk))
                .flatten();
            if let Some(kind) = unlisted {
                out.push(self.mention(
                    MentionKind::UnlistedPlace(kind),
                    name.to_string(),
                    s,
                    e,
                    "place.unlisted",
                ));
                i = j;
                continue;
            }
            let surname_shape =
                chunk >= 2 && looks_like_surname(&self.text[words[j - 1].0..words[j - 1].1]);
            // "spokesman Orrin Vanderbeek": a role written before a name no lexicon knows.
            let role_before = i == 0
                && !(given_name || pending_role.is_some() || surname_shape)
                && self.role_right_before(s);
            let person_shape = chunk <= 4
                && (given_name || pending_role.is_some() || surname_shape || role_before);
            if person_shape && !name.chars().any(|c| c.is_ascii_digit()) {
                let mut person = self.mention(
                    MentionKind::Person,
                    name.to_string(),
                    s,
                    e,
                    if pending_role.is_some() {
                        "person.title"
                    } else if initials && i + 1 < j {
                        "person.initials"
                    } else if given_name {
                        "person.given_name"
                    } else if role_before {
                        "person.role_before"
                    } else {
                        "person.surname_shape"
                    },
                );
                person.role = pending_role.take();
                out.push(person);
            } else if self.in_source_position(s, e) {
                // Two plain capitalised words ("Ostap Brovar") read as a given name and
                // a surname; known outlets of that shape are in the lexicon.
                // "Forbes Ukraine reported": a country ends a body's name (a national
                // edition or branch), never a person's.
                let ends_in_country = name.rsplit(' ').next().is_some_and(|last| {
                    gaz.lookup(last)
                        .iter()
                        .any(|index| gaz.entry(*index).kind == "country")
                });
                // "told The War Zone": no one's name follows "the".
                let after_the =
                    self.text[..s].ends_with("The ") || self.text[..s].ends_with("the ");
                // "Oleksandr Kovalenko of Information Resistance said": what a named
                // person is "of" is a body.
                let of_a_name = self.text[..s]
                    .strip_suffix(" of ")
                    .and_then(|before| before.rsplit(' ').next())
                    .is_some_and(|w| w.starts_with(|c: char| c.is_uppercase()));
                let two_names = chunk == 2
                    && !ends_in_country
                    && !after_the
                    && !of_a_name
                    && name
                        .split(' ')
                        .all(|w| is_title_case_word(w) && w.chars().count() > 2);
                let kind = if of_a_name {
                    MentionKind::Organization(OrgKind::Other)
                } else if (chunk == 1 && !after_the && !name.chars().all(|c| c.is_uppercase()))
                    || two_names
                {
                    MentionKind::Person
                } else if name
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
                    && chunk == 1
                {
                    MentionKind::Organization(OrgKind::Other)
                } else {
                    MentionKind::Organization(OrgKind::Outlet)
                };
                // An outlet keeps its capitalised "The" ("The Daily Digest").
                let s = match kind {
                    MentionKind::Organization(OrgKind::Outlet)
                        if self.text[..s].ends_with("The ") =>
                    {
                        s - "The ".len()
                    }
                    _ => s,
                };
                let name = &self.text[s..e];
                out.push(self.mention(kind, name.to_string(), s, e, "name.source_position"));
            } else if chunk == 1 && name.chars().count() > 2 {
                // A lone capitalised word: kept as a candidate surname; resolution drops it
                // unless it matches a person named in full in the same document.
                out.push(self.mention(
                    MentionKind::Person,
                    name.to_string(),
                    s,
                    e,
                    "person.surname_candidate",
                ));
            }
            i = j;
        }
    }

    /// Where the person's name starts in `rest`, the words after a role's " of "
    /// ("Russia Sergei Lavrov", "Strategic Industries Oleksandr Kamyshin"): at the first
    /// given name after the first word; else at a last word shaped like a surname that
    /// follows one that is not ("Foreign Affairs Lavrov"); else at the last two words;
    /// `rest.len()` when no name follows (", the Defence Minister of Ukraine, said").
    fn name_after_jurisdiction(&self, rest: &[(usize, usize)]) -> usize {
        let lex = lexicons();
        let word = |k: usize| &self.text[rest[k].0..rest[k].1];
        let n = rest.len();
        let lone_surname =
            n >= 2 && looks_like_surname(word(n - 1)) && !looks_like_surname(word(n - 2));
        (1..n)
            .find(|k| lex.is_given_name(word(*k)))
            .unwrap_or(if lone_surname {
                n - 1
            } else if n >= 3 {
                n - 2
            } else {
                n
            })
    }

    /// The kind of a place no gazetteer entry knows, named `start..end` (`words` words),
    /// where the words around can only mean a place: "the village(s) of" or "town of"
    /// before it (any name), "district" or "raion" after it, or a word that points at
    /// places ("near", "west of", "captured") before a name ending like a toponym of the
    /// region ("Novomykhailivka", "Umanske", "Lobkove").
    fn unlisted_place(&self, start: usize, end: usize, words: usize) -> Option<PlaceKind> {
        let name = &self.text[start..end];
        if words > 3 || !name.split([' ', '-']).all(is_title_case_word) {
            return None;
        }
        let from = self.text.floor_char_boundary(start.saturating_sub(50));
        let before = &self.text[self.start.max(from)..start];
        let after = &self.text[end..self.text.floor_char_boundary(self.end.min(end + 40))];
        static NOUN_OF_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"\b(?i:(villages?|towns?|settlements?|hamlets?|city))\s+of\s+(?:the\s+)?(?:\p{Lu}[\w'’-]*(?:,\s+\p{Lu}[\w'’-]*)*,?\s+(?:and|or)\s+)?$").expect("compiles")
        });
        static LEVEL_AFTER: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"^\s+(district|raion)\b").expect("compiles"));
        // "Lastochkyne, a village west of Avdiivka".
        static NOUN_AFTER: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"^,\s+(?:a|an|the)\s+(?:[a-z-]+\s+){0,2}?(village|town|city|settlement|hamlet)\b",
            )
            .expect("compiles")
        });
        static POINTER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"\b(?i:near|outside|around|towards|(?:captur|liberat|recaptur|encircl)(?:e|ed|es|ing)|(?:storm|surround)(?:ed|s|ing)?|retook|(?:withdr[a-z]*|retreat[a-z]*|fled)\s+from|out\s+of|outskirts\s+of|direction\s+of|(?:north|south|east|west)(?:-?(?:east|west))?\s+of)\s+(?:the\s+)?(?:\p{Lu}[\w'’-]*(?:,\s+\p{Lu}[\w'’-]*)*,?\s+(?:and|or)\s+)?$").expect("compiles")
        });
        // Cheap checks first: most capitalised names have none of these around them.
        let last_word_before = before.trim_end().rsplit(' ').next().unwrap_or("");
        let noun = match last_word_before {
            "of" | "the" | "and" | "or" => NOUN_OF_BEFORE.captures(before),
            _ => None,
        }
        .or_else(|| {
            after
                .starts_with(", ")
                .then(|| NOUN_AFTER.captures(after))
                .flatten()
        });
        // "the Central district court": no district's name (the compass words are
        // non-names already).
        const NOT_DISTRICT_NAMES: [&str; 3] = ["Central", "Military", "Federal"];
        let kind = if let Some(noun) = noun {
            PlaceKind::of_noun(&noun[1])
        } else if let Some(level) = after
            .starts_with(' ')
            .then(|| LEVEL_AFTER.captures(after))
            .flatten()
        {
            (!NOT_DISTRICT_NAMES.contains(&name))
                .then(|| PlaceKind::of_noun(&level[1]))
                .flatten()
        } else {
            (words <= 2 && has_toponym_ending(name) && POINTER_BEFORE.is_match(before))
                .then_some(PlaceKind::Settlement)
        }?;
        gazetteer().lookup(name).is_empty().then_some(kind)
    }

    /// Small places are easily confused with ordinary words and surnames: accept them only
    /// where the text points at a place.
    fn place_is_plausible(&self, index: usize, words: usize, start: usize, end: usize) -> bool {
        let entry = gazetteer().entry(index);
        if matches!(
            entry.kind.as_str(),
            "country" | "region" | "area" | "river" | "sea"
        ) || entry.population >= 100_000
            || words > 1
        {
            return true;
        }
        // Windows are cut on character boundaries: 40 bytes back may land inside one.
        let from = self.text.floor_char_boundary(start.saturating_sub(40));
        let before = &self.text[self.start.max(from)..start];
        let before = before
            .get(before.len().saturating_sub(40)..)
            .unwrap_or(before);
        let after = &self.text[end..self.text.floor_char_boundary(self.end.min(end + 30))];
        static PLACE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\b(?:in|near|at|on|from|to|outside|around|towards|toward|into|of|through|across|village of|town of|city of|settlement of|outskirts of|direction of|(?:captur|seiz|liberat|recaptur|encircl)(?:e|ed|es|ing)|(?:shell|attack|storm|enter|bomb|surround|abandon|defend)(?:ed|s|ing)?|took|tak(?:e|en|es|ing)|retook|retak(?:e|en|es|ing)|struck|strik(?:e|es|ing)|hit|(?:battles?|fight(?:s|ing)?|fought|struggle|assaults?|offensive|push)\s+(?:for|on))\s+(?:the\s+)?(?:\p{Lu}[\w'’-]*(?:,\s+\p{Lu}[\w'’-]*)*,?\s+(?:and|or)\s+)?$").expect("compiles")
        });
        static PLACE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^(?:\s+(?:First|Second|Third|Persha|Druha|Pershyi|Druhyi))?(?:\s+(?:region|oblast|province|district|sector|direction|area|front|axis|village|settlement|city|town)|,\s+(?:a|an|the)\s+(?:\w+\s+){0,3}(?:town|city|village|settlement))").expect("compiles")
        });
        // "near Robotyne", "west of Verbove", "captured Stupochky", "the battle for
        // Vovchansk": words that only ever point at a place let a village of any size through; "in", "of" or "from" also
        // come before people ("from Kovalenko"), so after them a small place needs more.
        static PLACE_ONLY_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\b(?:near|outside|around|towards|toward|(?:battles?|fight(?:s|ing)?|fought|struggle|assaults?|offensive|push)\s+(?:for|on)|(?:captur|seiz|liberat|recaptur|encircl)(?:e|ed|es|ing)|(?:shell|storm|surround)(?:ed|s|ing)?|retook|retak(?:e|en|es|ing)|(?:withdr[a-z]*|retreat[a-z]*|fled|evacuated|expelled|ousted|driven|pushed|pulled)\s+(?:[a-z]+\s+){0,2}?(?:(?:out|back|away)\s+)?from|out\s+of|(?:north|south|east|west)(?:-?(?:east|west))?(?:ward)?\s+of|outskirts\s+of|direction\s+of|villages?\s+of|settlements?\s+of|hamlet\s+of)\s+(?:the\s+)?(?:\p{Lu}[\w'’-]*(?:,\s+\p{Lu}[\w'’-]*)*,?\s+(?:and|or)\s+)?$").expect("compiles")
        });
        // "Tokmak was struck by drones": a town that an attack or a capture befell.
        static ATTACKED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^\s+(?:was|were|has been|had been|is being|was being)\s+(?:again\s+)?(?:struck|shelled|hit|attacked|bombed|bombarded|captured|taken|seized|liberated|encircled|surrounded|recaptured|retaken)\b").expect("compiles")
        });
        (PLACE_BEFORE.is_match(before)
            || PLACE_AFTER.is_match(after)
            || ATTACKED_AFTER.is_match(after))
            && (entry.population >= 2_000
                || PLACE_AFTER.is_match(after)
                || before.to_lowercase().contains("village")
                || before.to_lowercase().contains("settlement")
                || PLACE_ONLY_BEFORE.is_match(before))
    }

    fn outlet_context(&self, start: usize, end: usize) -> bool {
        let before = &self.text[self.start..start];
        let after = &self.text[end..self.end];
        // What the patterns need, checked first: a noun and a space right before the
        // name, or after it a noun or ", a|an|the".
        let spaced_before = before.ends_with(char::is_whitespace);
        let noun_before = spaced_before && {
            let trimmed = before.trim_end();
            OUTLET_NOUNS.iter().any(|noun| trimmed.ends_with(noun))
        };
        let noun_after = after.starts_with(char::is_whitespace) && {
            // "The Astra Telegram channel": the platform may stand before the noun.
            let trimmed = after.trim_start();
            let trimmed = PLATFORMS
                .iter()
                .find_map(|p| trimmed.strip_prefix(p)?.strip_prefix(' '))
                .unwrap_or(trimmed);
            OUTLET_NOUNS.iter().any(|noun| trimmed.starts_with(noun))
        };
        let apposition_after = after
            .strip_prefix(',')
            .is_some_and(|rest| rest.trim_start().starts_with(['a', 't']));
        (noun_before && OUTLET_BEFORE.is_match(before))
            || ((noun_after || apposition_after) && OUTLET_AFTER.is_match(after))
    }

    /// Whether `start..end` reads as a person's name, with a title or role before it
    /// or not ("Major Olena Zelinskyi", "Olena Zelinskyi"): a given name or a role opens
    /// it, a name follows the role, and it does not end as a body's or a unit's name.
    fn names_a_person(&self, start: usize, end: usize) -> bool {
        let lex = lexicons();
        let words = self.words(start, end);
        let text = |k: usize| &self.text[words[k].0..words[k].1];
        if words.len() < 2 {
            return false;
        }
        let role = (1..=lex.role_max_words.min(words.len() - 1))
            .rev()
            .find(|len| lex.is_role(&self.text[words[0].0..words[len - 1].1]))
            .unwrap_or(0);
        // At least one word follows the role, as it stops a word short of the end.
        let name = &self.text[words[role].0..end];
        (role > 0 || lex.is_given_name(text(0)))
            && words.len() - role <= 3
            && org_head_kind(name).is_none()
            && !is_unit_name(name)
            && gazetteer().lookup(name).is_empty()
    }

    /// Whether `start..end` is two or three capitalised words, each a plain word in
    /// title case that no lexicon calls a role or a non-name, and together no body,
    /// unit or place: how a person's name looks when no lexicon knows it.
    fn reads_as_a_plain_name(&self, start: usize, end: usize) -> bool {
        let lex = lexicons();
        let words = self.words(start, end);
        let name = &self.text[start..end];
        (2..=3).contains(&words.len())
            && words.iter().all(|(s, e)| {
                let word = &self.text[*s..*e];
                is_title_case_word(word) && !lex.is_role(word) && !lex.is_non_name(word)
            })
            && org_head_kind(name).is_none()
            && !is_unit_name(name)
            && gazetteer().lookup(name).is_empty()
    }

    /// Whether a role stands right before `start` ("spokesman X", "regional governor,
    /// X", "the head of the Wagner Group, X"): the name after it is a person's, whatever
    /// the lexicons know of it. A role's " of " or " for " phrase ends at a comma: in
    /// "spokesman for the Tavria group" the name is the body's.
    fn role_right_before(&self, start: usize) -> bool {
        let before = &self.text[self.start..start];
        role_ending(before).is_some()
            || (before.trim_end().ends_with(',') && role_of_ending(before).is_some())
    }

    fn in_source_position(&self, start: usize, end: usize) -> bool {
        SOURCE_BEFORE.is_match(&self.text[self.start..start])
            || SOURCE_AFTER.is_match(&self.text[end..self.end])
    }

    fn acronym_after(&self, end: usize) -> Option<String> {
        let after = &self.text[end..self.end];
        if !after.trim_start().starts_with('(') {
            return None;
        }
        acronym_in(after).map(str::to_string)
    }

    /// Roles and affiliations written next to each person.
    fn attach_roles(&self, mentions: &mut [Mention]) {
        for i in 0..mentions.len() {
            if mentions[i].kind != MentionKind::Person {
                continue;
            }
            let (start, end) = (mentions[i].start, mentions[i].end);
            // Before: "regional governor X", "South Defense Forces spokesperson, X".
            if mentions[i].role.is_none() {
                let before = &self.text[self.start..start];
                if let Some((role, of)) = role_of_ending(before) {
                    // "the head of the Wagner Group, X": the body after " of " is X's.
                    let of = self.start + of;
                    mentions[i].affiliation = (0..i).rev().find(|k| {
                        matches!(
                            mentions[*k].kind,
                            MentionKind::Organization(_) | MentionKind::Unit
                        ) && mentions[*k].start > of
                    });
                    let unnamed_body = administration_of(&self.text[of..start]);
                    mentions[i].role = match (mentions[i].affiliation, unnamed_body) {
                        (None, Some(body)) => Some(format!("{role} of the {body}")),
                        _ => Some(role),
                    };
                } else if let Some(role) = role_ending(before) {
                    let role_start = self.start
                        + before
                            .to_lowercase()
                            .rfind(role.as_str())
                            .unwrap_or(before.len());
                    mentions[i].affiliation = (0..i).rev().find(|k| {
                        matches!(
                            mentions[*k].kind,
                            MentionKind::Organization(_) | MentionKind::Unit
                        ) && mentions[*k].end <= role_start
                            // "the Azov spokesman X", "Die Welt's correspondent X".
                            && matches!(
                                self.text[mentions[*k].end..role_start].trim(),
                                "" | "'s" | "’s"
                            )
                    });
                    mentions[i].role = Some(role);
                }
            }
            // After: ", the Russian Foreign Ministry's spokesperson," / ", a correspondent for Y".
            let after = &self.text[end..self.end];
            // The patterns open with a comma, or with a space and "is".
            let apposition = super::spans::apposition_after(after).or_else(|| {
                (after.starts_with(char::is_whitespace) && after.trim_start().starts_with("is"))
                    .then(|| BYLINE.captures(after))
                    .flatten()
                    .map(|c| c.get(0).expect("match"))
                    .map(|m| (m.start(), m.end()))
            });
            if let Some((m_start, m_end)) = apposition {
                let phrase = after[m_start..m_end].to_lowercase();
                let (a_start, a_end) = (end + m_start, end + m_end);
                if mentions[i].role.is_none() {
                    mentions[i].role = longest_role_in(&phrase).or_else(|| role_of_clause(&phrase));
                }
                if mentions[i].role.is_some() && mentions[i].affiliation.is_none() {
                    mentions[i].affiliation = (i + 1..mentions.len()).find(|k| {
                        matches!(
                            mentions[*k].kind,
                            MentionKind::Organization(_) | MentionKind::Unit
                        ) && mentions[*k].start >= a_start
                            && mentions[*k].end <= a_end + 40
                            // Not a body the sentence goes on to name ("X, commander of
                            // the Dnipro-1 regiment, told Hromadske").
                            && self.text[a_end..mentions[*k].start.max(a_end)]
                                .bytes()
                                .all(|b| !b.is_ascii_alphabetic())
                    });
                }
                // ", the head of the Zaporizhzhia regional military administration,"
                let original = &after[m_start..m_end];
                let unnamed_body = original.find(" of ").and_then(|of| {
                    let role = mentions[i].role.as_deref()?;
                    // (Lower-cased anew: `phrase` may differ from `original` in length.)
                    let holds = original[..of].to_lowercase().ends_with(role);
                    holds.then(|| administration_of(&original[of..]))?
                });
                if let (None, Some(body)) = (mentions[i].affiliation, unnamed_body) {
                    let role = mentions[i].role.take().unwrap_or_default();
                    mentions[i].role = Some(format!("{role} of the {body}"));
                }
            }
            // "(Major) Olena Zelinskyi of the (Ukrainian) 641st Mountain Brigade": the
            // body right after " of " is theirs, when they have a role or are named in
            // full; a nationality before it is not part of its name.
            let full_name = self.text[start..end].contains(' ');
            if (mentions[i].role.is_some() || full_name) && mentions[i].affiliation.is_none() {
                let body = after
                    .strip_prefix(" of the ")
                    .or_else(|| after.strip_prefix(" of "))
                    .map(|rest| self.end - rest.len());
                let starts_body = |at: usize, k: usize| {
                    let gap = &self.text[at..mentions[k].start.max(at)];
                    mentions[k].start == at
                        || gap.strip_suffix(' ').is_some_and(|word| {
                            !word.contains(' ') && lexicons().demonym_country(word).is_some()
                        })
                };
                mentions[i].affiliation = body.and_then(|at| {
                    (i + 1..mentions.len()).find(|k| {
                        mentions[*k].start >= at
                            && starts_body(at, *k)
                            && matches!(
                                mentions[*k].kind,
                                MentionKind::Organization(_) | MentionKind::Unit
                            )
                    })
                });
            }
        }
    }
}

/// The role a relative clause gives: "who heads the Centre for Countering
/// Disinformation" makes its head, "who commands the 47th Brigade" its commander.
fn role_of_clause(phrase: &str) -> Option<String> {
    let verb = phrase.strip_prefix("who ")?.split(' ').next()?;
    let role = match verb {
        "heads" | "headed" | "leads" | "led" | "runs" | "ran" | "chairs" | "chaired"
        | "directs" | "directed" => "head",
        "commands" | "commanded" => "commander",
        _ => return None,
    };
    Some(role.to_string())
}

fn longest_role_in(phrase: &str) -> Option<String> {
    let lex = lexicons();
    let words: Vec<&str> = phrase
        .split(|c: char| c.is_whitespace())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
        .collect();
    let mut best: Option<String> = None;
    // `words[i..i + len].join(" ")`, grown a word at a time in one buffer.
    let mut candidate = String::new();
    for i in 0..words.len() {
        candidate.clear();
        for len in 1..=lex.role_max_words.min(words.len() - i) {
            if len > 1 {
                candidate.push(' ');
            }
            candidate.push_str(words[i + len - 1]);
            if lex.is_role(&candidate) && best.as_ref().is_none_or(|b| candidate.len() > b.len()) {
                best = Some(candidate.clone());
            }
        }
    }
    best
}

fn org_head_kind(span: &str) -> Option<OrgKind> {
    let last = span.rsplit(' ').next().unwrap_or(span);
    // "HEAD of" and "HEAD for" need a link word somewhere; most spans have none.
    let has_link = contains_in_short(span, " of ") || contains_in_short(span, " for ");
    if !has_link {
        // Then only the last word counts, and each head is listed once.
        static BY_HEAD: LazyLock<rustc_hash::FxHashMap<&str, OrgKind>> =
            LazyLock::new(|| ORG_HEADS.iter().copied().collect());
        return BY_HEAD.get(last).copied();
    }
    ORG_HEADS
        .iter()
        .find(|(head, _)| *head == last || (has_link && has_head_of(span, head)))
        .map(|(_, kind)| *kind)
}

/// Whether `span` has "HEAD of " at its start or after a space; the same test as
/// `starts_with("{head} of ") || contains(" {head} of ")` without building the strings,
/// since it runs for every head on every capitalised span.
fn has_head_of(span: &str, head: &str) -> bool {
    let step = head.chars().next().map_or(1, char::len_utf8);
    let mut from = 0;
    while let Some(found) = span.get(from..).and_then(|rest| rest.find(head)) {
        let at = from + found;
        let after = &span[at + head.len()..];
        if (at == 0 || span.as_bytes()[at - 1] == b' ')
            && (after.starts_with(" of ") || after.starts_with(" for "))
        {
            return true;
        }
        from = at + step;
    }
    false
}

/// Endings of Ukrainian and Russian place names ("Novomykhailivka", "Umanske",
/// "Robotyne", "Lobkove", "Rivnopil", "Berdychi"), which other capitalised words after
/// "near" or "captured" rarely have.
const TOPONYM_ENDINGS: &[&str] = &[
    "ivka", "ovka", "evka", "yivka", "anka", "ynka", "ske", "tske", "ne", "ove", "eve", "ive",
    "pil", "pol", "horod", "hrad", "sk", "ino", "ovo", "evo", "tsi", "chi",
];

/// One or two capital letters, each with its period: "J.D.", "J.", "A.B.".
fn is_initials(word: &str) -> bool {
    let bytes = word.as_bytes();
    matches!(bytes.len(), 2 | 4)
        && bytes
            .chunks(2)
            .all(|pair| pair[0].is_ascii_uppercase() && pair[1] == b'.')
}

/// "Kyiv-based", "Moscow-installed", "Kremlin-linked": a place or body made into an
/// adjective, which opens no name ("the Kyiv-based Razumkov Centre").
pub(super) fn is_compound_adjective(word: &str) -> bool {
    const ENDINGS: [&str; 12] = [
        "-based",
        "-backed",
        "-installed",
        "-appointed",
        "-led",
        "-controlled",
        "-held",
        "-linked",
        "-affiliated",
        "-aligned",
        "-run",
        "-owned",
    ];
    ENDINGS.iter().any(|ending| word.ends_with(ending))
}

fn has_toponym_ending(name: &str) -> bool {
    let last = name.rsplit([' ', '-']).next().unwrap_or(name);
    last.chars().count() > 4 && TOPONYM_ENDINGS.iter().any(|e| last.ends_with(e))
}

pub fn looks_like_surname(word: &str) -> bool {
    let lower = word.to_lowercase();
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().count() > 3
        && SURNAME_ENDINGS.iter().any(|e| lower.ends_with(e))
}

/// "Khortytsia group of forces" -> "Khortytsia Group of Forces".
fn title_case_words(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .map(|word| match word {
            "of" | "the" | "in" => word.to_string(),
            _ => title_case(word),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| {
            c.to_uppercase()
                .chain(chars.flat_map(char::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mentions extraction finds in an article of one paragraph.
    fn mentions_of(text: &str) -> Vec<Mention> {
        crate::extract::extract_document(&crate::corpus::Document {
            id: "a.txt".into(),
            text: format!("News\n\n{text}\n"),
            ..Default::default()
        })
        .mentions
    }

    /// That `mentions` (of `text`) name `person` as a person with `role`, affiliated
    /// with `body`.
    fn assert_person(
        text: &str,
        mentions: &[Mention],
        person: &str,
        role: Option<&str>,
        body: Option<&str>,
    ) {
        let found = mentions
            .iter()
            .find(|m| m.name == person)
            .unwrap_or_else(|| panic!("{person} in {mentions:?}"));
        assert_eq!(found.kind, MentionKind::Person, "{text}");
        assert_eq!(found.role.as_deref(), role, "{text}");
        let affiliation = found.affiliation.map(|k| mentions[k].name.as_str());
        assert_eq!(affiliation, body, "{text}");
    }

    /// Two plain capitalised words no lexicon knows, reporting, are a person; a known
    /// outlet of that shape stays an outlet.
    #[test]
    fn an_unknown_full_name_in_a_reporting_position_is_a_person() {
        for (text, name, kind) in [
            (
                "Ostap Brovar said 4 soldiers had deserted near Kupiansk.",
                "Ostap Brovar",
                MentionKind::Person,
            ),
            (
                "Ukrainska Pravda reported that 40 soldiers had left.",
                "Ukrainska Pravda",
                MentionKind::Organization(OrgKind::Outlet),
            ),
            // A country ends a national edition's name, never a person's.
            (
                "Forbes Ukraine reported that 40 soldiers had left.",
                "Forbes Ukraine",
                MentionKind::Organization(OrgKind::Outlet),
            ),
        ] {
            let mentions = mentions_of(text);
            let found = mentions.iter().find(|m| m.name == name);
            assert_eq!(found.map(|m| m.kind), Some(kind), "{text}");
        }
    }

    /// "Major Olena Zelinskyi of the 641st Mountain Brigade": a person with a rank,
    /// and the unit after " of " is theirs; with a name no lexicon knows, a role word
    /// before it still makes a person.
    #[test]
    fn a_titled_person_of_a_body_is_a_person_affiliated_with_it() {
        let cases = [
            (
                "Major Olena Zelinskyi of the 641st Mountain Brigade said 41 soldiers had deserted.",
                "Olena Zelinskyi",
                "major",
                Some("641st Mountain Brigade"),
            ),
            (
                "Colonel Ostap Brovar of the Security Service of Ukraine said 4 soldiers had deserted.",
                "Ostap Brovar",
                "colonel",
                Some("Security Service of Ukraine"),
            ),
            (
                "Separately, spokesman Orrin Vanderbeek said 40 soldiers had left near Kupiansk.",
                "Orrin Vanderbeek",
                "spokesman",
                None,
            ),
        ];
        for (text, person, role, body) in cases {
            assert_person(text, &mentions_of(text), person, Some(role), body);
        }
    }

    /// A role "of" or "for" a place, body or portfolio before a name: the words after
    /// " of " say where the role holds and are not part of the name (nor a name of
    /// their own); a body there is the person's. A person
    /// named in full right before " of the <unit>" is the unit's, with no title too.
    #[test]
    fn a_role_of_a_place_or_body_belongs_to_the_name_after_it() {
        let cases = [
            (
                "Foreign Minister of Russia Sergei Lavrov said on Monday that 300 soldiers had deserted.",
                "Sergei Lavrov",
                Some("foreign minister"),
                None,
            ),
            (
                "Minister of Foreign Affairs Lavrov said 300 soldiers had deserted.",
                "Lavrov",
                Some("minister"),
                None,
            ),
            (
                "Governor of Belgorod Vyacheslav Gladkov said 12 civilians were wounded.",
                "Vyacheslav Gladkov",
                Some("governor"),
                None,
            ),
            (
                "The Defence Minister of Ukraine, Rustem Umerov, told reporters 50 soldiers had deserted.",
                "Rustem Umerov",
                Some("defence minister"),
                None,
            ),
            (
                "The spokesman of the Eastern Group of Forces, Nazar Voloshyn, said 420 Russian soldiers had been killed.",
                "Nazar Voloshyn",
                Some("spokesman"),
                Some("Eastern Group of Forces"),
            ),
            (
                "The head of the Wagner Group, Yevgeny Prigozhin, claimed 20,000 fighters had died.",
                "Yevgeny Prigozhin",
                Some("head"),
                Some("Wagner Group"),
            ),
            (
                "Hanna Dovzhenko of the 47th Mechanized Brigade said 30 soldiers had deserted.",
                "Hanna Dovzhenko",
                None,
                Some("47th Mechanized Brigade"),
            ),
            (
                "Minister for Veterans Yulia Laputina said 300 soldiers had come home in an exchange.",
                "Yulia Laputina",
                Some("minister"),
                None,
            ),
            (
                "Olha Stefanishyna, Deputy Prime Minister for European Integration, said the talks would resume.",
                "Olha Stefanishyna",
                Some("deputy prime minister"),
                None,
            ),
            (
                "Lieutenant Colonel Anton Myronovych of the Ukrainian Air Assault Forces said 12 soldiers were captured.",
                "Anton Myronovych",
                Some("lieutenant colonel"),
                Some("Air Assault Forces"),
            ),
            // A given name no lexicon knows: the unit after " of " still ends the name.
            (
                "Orysia Kovalchuk of the 110th Mechanized Brigade said 30 soldiers had deserted.",
                "Orysia Kovalchuk",
                None,
                Some("110th Mechanized Brigade"),
            ),
            // A role "for" a group of forces named in lower case: the body's name is no
            // person's, and the spokesman speaks for it.
            (
                "Dmytro Lykhovyi, spokesman for the Siversk group of forces, said Russian troops had captured Krasnohorivka.",
                "Dmytro Lykhovyi",
                Some("spokesman"),
                Some("Siversk Group of Forces"),
            ),
            // ... and one the lexicon names is that body.
            (
                "Dmytro Lykhovyi, spokesman for the Tavria group of forces, said Russian troops had captured Krasnohorivka.",
                "Dmytro Lykhovyi",
                Some("spokesman"),
                Some("Tavria Operational-Strategic Group of Forces"),
            ),
            (
                "A spokesperson for Ukraine's southern forces, Vladyslav Voloshyn, said 180 soldiers were killed.",
                "Vladyslav Voloshyn",
                Some("spokesperson"),
                None,
            ),
            // A relative clause that gives the role.
            (
                "Andriy Kovalenko, who heads the Centre for Countering Disinformation, said Moscow invented the desertions.",
                "Andriy Kovalenko",
                Some("head"),
                Some("Centre for Countering Disinformation"),
            ),
            (
                "Oleksandr Pivnenko, who commands the National Guard of Ukraine, said 40 soldiers had deserted.",
                "Oleksandr Pivnenko",
                Some("commander"),
                Some("National Guard of Ukraine"),
            ),
            // The " of " of a role in the lexicon is no link to a body.
            (
                "Chief of staff Andriy Yermak wrote that prisoner exchange talks had resumed.",
                "Andriy Yermak",
                Some("chief of staff"),
                None,
            ),
            // A governor's title, the region left out.
            (
                "According to the head of the Zaporizhzhia regional military administration, Ivan Fedorov, two civilians were killed.",
                "Ivan Fedorov",
                Some("head of the regional military administration"),
                None,
            ),
        ];
        for (text, person, role, body) in cases {
            let mentions = mentions_of(text);
            assert_person(text, &mentions, person, role, body);
            let people: Vec<&str> = mentions
                .iter()
                .filter(|m| m.kind == MentionKind::Person)
                .map(|m| m.name.as_str())
                .collect();
            assert_eq!(people, [person], "{text}");
        }
    }

    #[test]
    fn a_document_scan_finds_in_each_part_the_names_a_scan_of_the_part_finds() {
        const PIECES: &[&str] = &[
            " ",
            " ",
            "Azov",
            " Brigade",
            " Regiment",
            "Associated Press",
            "AP",
            "the AP",
            "BBC",
            " News",
            "Armed Forces",
            " of Ukraine",
            "Ukrainian ",
            "ZSU",
            "Axios",
            "azov",
            "BLOOMBERG",
            "Bloomberg",
            "Channel One",
            "Der Spiegel",
            "Spiegel",
            "Welt",
            "Die ",
            "CIA",
            "Central Intelligence Agency",
            "a",
            "-",
            "é",
            "’s",
            "'",
            ",",
            ".",
            "\u{a0}",
        ];
        crate::extract::testing::assert_same_inside_and_outside(
            PIECES,
            0x9e37_79b9_7f4a_7c15_u64,
            organization_names,
        );
    }

    /// The hand-written reading of [`UNIT_NAME`] agrees with the regex.
    #[test]
    fn unit_names_match_the_regex() {
        const PIECES: &[&str] = &[
            " ",
            " ",
            " ",
            "  ",
            "\t",
            "\n",
            "58th",
            "1st",
            "2nd",
            "th",
            "5",
            "Army",
            "Group",
            "Unit",
            "Combined",
            "of",
            "the",
            "Southern",
            "Military",
            "District",
            "Forces",
            "Troops",
            "in",
            "Operational",
            "x",
            "-",
            "_",
            "Air-Assault",
            "é",
            "É",
            "Zz9",
            "58th ",
            " Army",
            " Army ",
            "Brigade",
            " of ",
            "Southern Military District",
            "Dnipro Group of Forces",
            " in Kherson",
            "Operational Group of ",
            "Tavria ",
            "East",
            "A ",
            "Group of Troops",
        ];
        let mut matched = 0;
        for text in
            crate::extract::testing::random_texts(PIECES, 0xbb67_ae85_84ca_a73b, 200_000, 10)
        {
            let by_regex = UNIT_NAME.is_match(&text);
            assert_eq!(unit_name_matches(&text), by_regex, "{text:?}");
            matched += usize::from(by_regex);
        }
        for text in [
            "58th Combined Arms Army",
            "58th Combined Arms Army of the Southern Military District",
            "58th Army of Ukraine ",
            "Southern Military District",
            "Dnipro Group of Forces",
            "Dnipro Group of Forces in Kherson",
            "Operational Group of Forces East",
            "1st A B C D E Army",
            "1st A B C D E F Army",
        ] {
            assert_eq!(
                unit_name_matches(text),
                UNIT_NAME.is_match(text),
                "{text:?}"
            );
        }
        assert!(matched > 1000, "{matched}");
    }

    /// The hand-written reading of [`ACRONYM_AFTER`] agrees with the regex.
    #[test]
    fn acronyms_match_the_regex() {
        const PIECES: &[&str] = &[
            " ", "\n", "(", ")", "I", "S", "W", "&", "7", "x", "AB", "CDEF", "é", "É", "\u{a0}",
            ",", " (ISW)", "GHIJK",
        ];
        let mut matched = 0;
        for text in crate::extract::testing::random_texts(PIECES, 0x3c6e_f372_fe94_f82b, 100_000, 9)
        {
            let by_regex = ACRONYM_AFTER
                .captures(&text)
                .map(|c| c.get(1).unwrap().as_str());
            assert_eq!(acronym_in(&text), by_regex, "{text:?}");
            matched += usize::from(by_regex.is_some());
        }
        assert!(matched > 1000, "{matched}");
    }

    /// The hand-written reading of [`ROLE_BEFORE`] agrees with the regex.
    #[test]
    fn roles_before_match_the_regex() {
        const PIECES: &[&str] = &[
            " ",
            " ",
            "  ",
            "\n",
            ",",
            ", ",
            "-",
            "_",
            "3",
            "a",
            "B",
            "governor",
            "regional",
            "the",
            "Spokesperson",
            "of",
            "x",
            "said",
            "'",
            ".",
            "é",
            "ſ",
            "\u{212A}",
            "forty-one letters of a long role phrase",
            "e",
        ];
        for text in
            crate::extract::testing::random_texts(PIECES, 0x6a09_e667_f3bc_c908, 100_000, 12)
        {
            let by_regex = ROLE_BEFORE
                .captures(&text)
                .map(|c| c.get(1).unwrap().as_str());
            assert_eq!(role_before(&text), by_regex, "{text:?}");
        }
    }
}
