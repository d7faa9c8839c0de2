//! Who said it: the speaker of a sentence or clause (reported speech, "according to",
//! quotes, pronouns and role nouns), and the outlets a claim passed through.

use super::entities::{Mention, MentionKind};
use super::gazetteer::gazetteer;
use super::lexicon::lexicons;
use crate::graph::OrgKind;
use regex::Regex;
use std::sync::LazyLock;

/// How a relay passed a claim on; sorts nearest to the speaker first.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum RelayKind {
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
    /// "the governor", "a spokesperson", "the directorate", "the post"
    RoleNoun(String),
    /// "Ukrainian estimates", "according to Ukraine": a country as the source.
    Country(usize),
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

static VERB: LazyLock<Regex> = LazyLock::new(|| {
    let mut verbs: Vec<&str> = lexicons()
        .reporting_verbs
        .iter()
        .map(String::as_str)
        .collect();
    verbs.sort_by_key(|v| std::cmp::Reverse(v.len()));
    Regex::new(&format!(r"\b(?:{})\b", verbs.join("|"))).expect("verb pattern compiles")
});

static ACCORDING_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\baccording to\s+(?:(?:a|an|the)\s+(?:\w+\s+){0,2}?(?:report|post|statement|update|assessment|analysis|study|data|estimate|figures)\s+(?:by|from|of)\s+)?(?:the\s+)?(?:(a|the)\s+(spokesperson|spokesman|spokeswoman|governor|official|directorate|ministry|military|post|report))?").expect("compiles")
});

/// Between a subject and its verb: an apposition in commas, auxiliaries, adverbs, times.
static SUBJECT_GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s*,[^,]{0,120},)?\s*,?\s*(?:(?:also|has|had|have|later|then|previously|earlier|recently|again|further|reportedly|had\s+earlier|on\s+\w+|this\s+week|last\s+week)\s+)*$").expect("compiles")
});

static PRONOUN_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(he|she|it)\s+(?:(?:also|later|then|further|has|had|again)\s+)*$")
        .expect("compiles")
});

static ROLE_NOUN_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:the|a)\s+(governor|spokesperson|spokesman|spokeswoman|directorate|ministry|agency|service|command|post|report|update|statement|official|general staff|minister|president|commander|mayor)\s+(?:(?:also|later|then|further|has|had)\s+)*$").expect("compiles")
});

static ROLE_NOUN_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s+(?:the|a)\s+(governor|spokesperson|spokesman|spokeswoman|directorate|ministry|agency|official|minister|president|commander|mayor)\b").expect("compiles")
});

static RELAY_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(as\s+)?(reported|published)\s+by|(as\s+)?(cited|quoted)\s+by|(citing)|(?:a\s+)?(?:recent\s+)?(report|post|story|article)\s+(?:by|from|in)|(told|to))\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?$").expect("compiles")
});

static PASSIVE_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:was|were|has been|have been|had been)\s+(?:announced|reported|confirmed|stated|disclosed|revealed|claimed)\s+by\s+(?:the\s+)?$").expect("compiles")
});

static SIGNATURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[—–-]\s*([\p{Lu}][^()\n]{1,60}?)\s*\(@\w+\)").expect("compiles"));

/// Demonyms that stand for a country when they qualify a source ("Ukrainian estimates").
const DEMONYM_SOURCES: &[(&str, &str)] = &[
    ("American", "United States"),
    ("Belarusian", "Belarus"),
    ("British", "United Kingdom"),
    ("Moldovan", "Moldova"),
    ("Russian", "Russia"),
    ("Ukrainian", "Ukraine"),
];

static DEMONYM_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    let names: Vec<&str> = DEMONYM_SOURCES.iter().map(|(d, _)| *d).collect();
    Regex::new(&format!(
        r"\b({})\s+(?:estimates|figures|officials|authorities|sources|data|intelligence estimates)\b",
        names.join("|")
    ))
    .expect("compiles")
});

fn is_source(mention: &Mention) -> bool {
    match mention.kind {
        MentionKind::Person | MentionKind::Organization(_) | MentionKind::Unit => true,
        MentionKind::Place(index) => gazetteer().entry(index).kind == "country",
    }
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

    for verb in VERB.find_iter(span) {
        let v_start = start + verb.start();
        let v_end = start + verb.end();
        let before = &text[start..v_start];
        let word = verb.as_str();
        let mut speaker = None;
        let mut rule = "attribution.subject_verb";
        // The subject: the nearest name before the verb, or a person before an apposition
        // that itself names a body ("X, a correspondent for Die Welt, highlighted").
        let subjects: Vec<usize> = local
            .iter()
            .copied()
            .filter(|m| mentions[*m].end <= v_start && is_source(&mentions[*m]))
            .filter(|m| SUBJECT_GAP.is_match(&text[mentions[*m].end..v_start]))
            .collect();
        let person = subjects
            .iter()
            .copied()
            .filter(|m| mentions[*m].kind == MentionKind::Person)
            .max_by_key(|m| mentions[*m].end);
        if let Some(m) =
            person.or_else(|| mention_ending_at(v_start).filter(|m| subjects.contains(m)))
        {
            speaker = Some(SpeakerRef::Mention(m));
        }
        if speaker.is_none() {
            if let Some(c) = PRONOUN_BEFORE.captures(before) {
                speaker = Some(if c[1].eq_ignore_ascii_case("it") {
                    SpeakerRef::BodyPronoun
                } else {
                    SpeakerRef::PersonPronoun
                });
                rule = "attribution.pronoun";
            } else if let Some(c) = ROLE_NOUN_BEFORE.captures(before) {
                speaker = Some(SpeakerRef::RoleNoun(c[1].to_lowercase()));
                rule = "attribution.role_noun";
            } else if let Some(m) = mention_starting_after(v_end, 2)
                .filter(|m| is_source(&mentions[*m]) && word != "told")
            {
                speaker = Some(SpeakerRef::Mention(m));
                rule = "attribution.verb_subject_inverted";
            } else if let Some(c) = ROLE_NOUN_AFTER.captures(&text[v_end..end]) {
                speaker = Some(SpeakerRef::RoleNoun(c[1].to_lowercase()));
                rule = "attribution.role_noun";
            }
        }
        let mut relays = Vec::new();
        if word == "told" {
            if let Some(m) = mention_starting_after(v_end, 30)
                .filter(|m| matches!(mentions[*m].kind, MentionKind::Organization(_)))
            {
                relays.push((m, RelayKind::ToldTo));
                if speaker.is_none() {
                    // An unnamed speaker ("a military chief told Tass"): the outlet is the source.
                    speaker = Some(SpeakerRef::Mention(m));
                    rule = "attribution.told_outlet";
                    relays.clear();
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

    for c in ACCORDING_TO.captures_iter(span) {
        let whole = c.get(0).expect("match");
        let after = start + whole.end();
        let speaker = if let Some(role) = c.get(2) {
            Some(SpeakerRef::RoleNoun(role.as_str().to_lowercase()))
        } else {
            mention_starting_after(after, 1)
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
        if PASSIVE_BY.is_match(before) && is_source(&mentions[m]) {
            found.push(Attribution {
                speaker: SpeakerRef::Mention(m),
                relays: Vec::new(),
                rule: "attribution.passive_by",
                position: mentions[m].start,
            });
        }
    }

    for c in DEMONYM_SOURCE.captures_iter(span) {
        let country = DEMONYM_SOURCES
            .iter()
            .find(|(d, _)| *d == &c[1])
            .map(|(_, country)| *country)
            .unwrap_or_default();
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

    if let Some(c) = SIGNATURE.captures(span) {
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
        .filter_map(|m| {
            let c = RELAY_BEFORE.captures(&text[start..mentions[m].start])?;
            let kind = if c.get(2).is_some() || c.get(6).is_some() {
                RelayKind::ReportedBy
            } else if c.get(4).is_some() || c.get(5).is_some() {
                RelayKind::CitedBy
            } else {
                RelayKind::ToldTo
            };
            Some((m, kind))
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
    found.sort_by_key(|a| a.position);
    found
}

/// The outlet kind check used when choosing between several speakers.
pub fn is_outlet(mention: &Mention) -> bool {
    mention.kind == MentionKind::Organization(OrgKind::Outlet)
}
