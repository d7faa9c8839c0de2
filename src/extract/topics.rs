//! The topic lexicon (`data/topics.tsv`): which words and phrases name a claim's topic,
//! in any inflection. Compiled once into an Aho-Corasick automaton.

use super::gate::Gate;
use crate::graph::Topic;
use aho_corasick::{AhoCorasick, MatchKind};
use std::sync::{LazyLock, OnceLock};

const TOPICS_TSV: &str = include_str!("../../data/topics.tsv");

/// Endings a `*` in the middle of a phrase stands for ("abandon* their posts").
const INNER_ENDINGS: &[&str] = &["", "s", "es", "ed", "d", "ing"];

/// One topic word found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TopicMatch {
    pub topic: Topic,
    pub start: usize,
    pub end: usize,
}

struct TopicLexicon {
    /// For texts outside the document being extracted, built on first use; inside it,
    /// the document's one scan found the patterns already ([`super::gate::topic_words`]).
    automaton: OnceLock<AhoCorasick>,
    /// Each pattern as searched (any case).
    texts: Vec<String>,
    /// Per pattern: its topic and whether the last word may carry any ending.
    patterns: Vec<(Topic, bool)>,
}

static LEXICON: LazyLock<TopicLexicon> = LazyLock::new(|| TopicLexicon::parse(TOPICS_TSV));

impl TopicLexicon {
    fn parse(tsv: &str) -> TopicLexicon {
        let mut texts = Vec::new();
        let mut patterns = Vec::new();
        for line in tsv.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let Some((term, topic)) = line.split_once('\t') else {
                continue;
            };
            let topic = Topic::parse(topic.trim()).expect("topics.tsv names known topics");
            let open_ending = term.ends_with('*');
            for expanded in expand(term.trim_end_matches('*')) {
                texts.push(expanded);
                patterns.push((topic, open_ending));
            }
        }
        TopicLexicon {
            automaton: OnceLock::new(),
            texts,
            patterns,
        }
    }

    fn automaton(&self) -> &AhoCorasick {
        self.automaton
            .get_or_init(|| super::gate::any_case_dfa(&self.texts, MatchKind::Standard))
    }
}

/// Expands `?` (s or z) and inner `*` (a few common endings) into literal phrases.
fn expand(term: &str) -> Vec<String> {
    let mut forms = vec![String::new()];
    for (i, word) in term.split(' ').enumerate() {
        let stems: Vec<String> = if word.contains('?') {
            vec![word.replace('?', "s"), word.replace('?', "z")]
        } else {
            vec![word.to_string()]
        };
        let variants: Vec<String> = stems
            .iter()
            .flat_map(|stem| match stem.strip_suffix('*') {
                Some(base) => INNER_ENDINGS
                    .iter()
                    .map(|ending| format!("{base}{ending}"))
                    .collect(),
                None => vec![stem.clone()],
            })
            .collect();
        forms = forms
            .iter()
            .flat_map(|prefix| {
                variants.iter().map(move |v| {
                    if i == 0 {
                        v.clone()
                    } else {
                        format!("{prefix} {v}")
                    }
                })
            })
            .collect();
    }
    forms
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// What may stand between a verb and its figure in [`PHRASE_PATTERNS`]: a figure's own
/// modifiers ("more than", "as many as") and an average or a total ("lost an average
/// of 1,500 soldiers a day").
fn figure_modifier() -> String {
    let words: Vec<&str> = super::quantities::MODIFIERS
        .iter()
        .copied()
        .chain(["an average of", "on average", "a total of"])
        .collect();
    format!(r"(?:(?:{})\s+)?", words.join("|"))
}

/// Phrasings with a figure or free words in them, which a word list cannot hold: "lost
/// more than 600,000 troops", "took two villages", "pushed Ukrainian infantry out of",
/// "pulled their crews back". `{modifier}` stands for [`figure_modifier`].
static PHRASE_PATTERNS: LazyLock<Vec<(regex::Regex, Topic)>> = LazyLock::new(|| {
    let modifier = figure_modifier();
    [
        (
            // "lost almost a whole company", "lost an average of 1,500 soldiers a day", "lost 15
            // per cent of its men".
            concat!(
                r"(?i)\b(?:lost|lose|loses|losing)\s+{modifier}(?:[\d,.]+(?:\s+(?:million|thousand))?|\w+)\s+(?:\w+\s+){0,2}?(?:troops|soldiers|servicemen|men|personnel|fighters|compan(?:y|ies)|battalions?|platoons?|tanks|armou?r|armou?red vehicles|vehicles|aircraft|helicopters|jets|equipment)\b",
                r"|\b(?:lost|lose|loses|losing)\s+{modifier}[\d,.]+\s*(?:%|per\s*cent|percent)\s+of\s+(?:its|their|his|her|the)\s+(?:\w+\s+)?(?:troops|soldiers|servicemen|men|personnel|fighters|forces|strength)\b",
                // "destroyed up to 230 Ukrainian servicemen", "eliminated 40 militants": a
                // defence ministry's way of counting the other side's dead.
                r"|\b(?:destroyed|destroying|eliminated|eliminating|neutrali[sz]ed|neutrali[sz]ing)\s+{modifier}(?:[\d,.]+|\w+)\s+(?:\w+\s+){0,2}?(?:troops|soldiers|servicemen|men|personnel|fighters|militants|mercenaries|nationalists)\b",
            ),
            Topic::Casualties,
        ),
        (
            r"(?i)\b(?:took|taken|take|takes|taking)\s+(?:control\s+of\s+)?(?:the\s+)?(?:\w+\s+)?(?:towns?|villages?|city|cities|settlements?|districts?|positions)\b",
            Topic::TerritorialControl,
        ),
        // "pushed Ukrainian infantry out of", "drove the Russians out of", "had been
        // pushed back from" (not "pushed back against the report").
        (
            r"(?i)\b(?:push|pushed|pushing|drove|driven|drive|drives|driving|forced|forcing)\s+(?:[\w'’-]+\s+){1,3}?out\s+of\b|\b(?:pushed|driven|forced)\s+back\s+(?:from|to|towards|across|beyond)\b",
            Topic::TerritorialControl,
        ),
        // "captured 12 Russian soldiers": people captured are the war's losses, not
        // ground taken (corpus/README counts the captured as casualties).
        (
            // Those who surrender are captured too: "40 soldiers surrendered to", "the
            // surrender of 40 soldiers" (not "surrendered their positions").
            concat!(
                r"(?i)\b(?:captured|capture|captures|capturing)\s+{modifier}(?:[\d,.]+|\w+)\s+(?:[\w'’-]+\s+){0,2}?(?:troops|soldiers|servicem[ae]n|fighters|men|marines|paratroopers|mercenaries|conscripts|prisoners)\b",
                r"|\b(?:troops|soldiers|servicem[ae]n|fighters|men|marines|paratroopers|mercenaries|conscripts)\s+(?:(?:who|had|have|has)\s+){0,2}surrender(?:ed|s|ing)?\s+to\b",
                r"|\bsurrender\s+of\s+{modifier}(?:[\d,.]+|\w+)\s+(?:[\w'’-]+\s+){0,2}?(?:troops|soldiers|servicem[ae]n|fighters|men|marines|paratroopers|mercenaries|conscripts)\b",
                // "12 soldiers had been captured" (not "soldiers captured the town").
                r"|\b(?:troops|soldiers|servicem[ae]n|fighters|men|marines|paratroopers|mercenaries|conscripts)\s+(?:(?:had|have|has)\s+been|were|was|being)\s+captured\b",
            ),
            Topic::Casualties,
        ),
        // "have occupied Velyka Novosilka", "troops occupied": the verb, not the
        // adjective of "occupied territories" or "temporarily occupied Crimea".
        (
            r"(?:\b(?:[Hh]ave|[Hh]as|[Hh]ad|[Hh]aving)\s+(?:\w+ly\s+)?occupied\b|\b(?:troops|forces|army|units|soldiers|they|Russians|Ukrainians)\s+(?:\w+ly\s+)?occupied\b|\boccup(?:y|ies)\s+(?:the\s+)?(?:[A-Z]|villages?\b|towns?\b|city\b|settlements?\b)|\boccupying\s+the\s+(?:villages?|towns?|city|settlements?)\b)",
            Topic::TerritorialControl,
        ),
        // "pulled their crews back from", "pulled the brigade out of".
        (
            r"(?i)\b(?:pull|pulled|pulling|pulls)\s+(?:[\w'’-]+\s+){1,3}?(?:back|out)\b",
            Topic::Withdrawal,
        ),
        // "the two sides exchanged 2,594 prisoners", "swapped 95 POWs each".
        (
            r"(?i)\b(?:exchanged|exchange|exchanges|exchanging|swapped|swap|swaps|swapping|returned|freed|released)\s+{modifier}(?:[\d,.]+|\w+)\s+(?:[\w'’-]+\s+){0,2}?(?:prisoners|captives|POWs|detainees|service\s?members|bodies)\b",
            Topic::Negotiation,
        ),
    ]
    .into_iter()
    .map(|(pattern, topic)| {
        let pattern = pattern.replace("{modifier}", &modifier);
        (regex::Regex::new(&pattern).expect("compiles"), topic)
    })
    .collect()
});

/// Where "took", "taken" or "taking" (and "control of", "the village of") end before a
/// name in `text`, for a place taken (see `claim.topic_taken_place`).
pub fn taking_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    static TAKING: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"\b(?:[Tt]ook|[Tt]aken|[Tt]ake|[Tt]akes|[Tt]aking|[Rr]etook|[Rr]etaken)\s+(?:(?:full\s+)?control\s+(?:of|over)\s+)?(?:the\s+(?:village|town|city|settlement)\s+of\s+)?")
            .expect("compiles")
    });
    let may_take = text.contains("ake") || text.contains("ook");
    may_take
        .then(|| TAKING.find_iter(text).map(|m| m.end()))
        .into_iter()
        .flatten()
}

/// Per phrase pattern, the word stems one of which each of its matches holds.
pub(crate) static PHRASE_GATES: [Gate; 7] = [
    Gate::any_case(&["los", "destroy", "eliminat", "neutrali"]),
    Gate::any_case(&["took", "tak"]),
    // ("forc" alone would let in every sentence that names forces.)
    Gate::any_case(&["push", "drov", "driv", "forced", "forcing"]),
    Gate::any_case(&["captur", "surrend"]),
    Gate::exact(&["occup"]),
    Gate::any_case(&["pull"]),
    Gate::any_case(&["exchang", "swap", "returned", "freed", "released"]),
];

/// The topic lexicon's patterns, for the automaton that scans a whole document once
/// ([`super::gate`]); pattern numbers are places in this list.
pub(crate) fn lexicon_patterns() -> &'static [String] {
    &LEXICON.texts
}

/// What statements that are not claims are about (corpus/README: "Statements about
/// morale only, fortifications, evacuations or the energy grid are not claims", and
/// where civilians stay or flee to), as lower-case word stems.
const NON_TOPICS: &[&str] = &[
    "trench",
    "fortif",
    "dragon's teeth",
    "evacuat",
    "power grid",
    "power outage",
    "blackout",
    "electricity",
    "heating",
    "morale",
    // Where civilians live or go: "1,400 residents remain in the town", "refugees".
    "residents",
    "refugee",
    "humanitarian aid",
];

/// Whether `text` names a subject that makes no claim ([`NON_TOPICS`]): a statement
/// with no topic word of its own does not then take its speaker's or its article's topic.
pub fn names_a_non_topic(text: &str) -> bool {
    let lower = text.to_lowercase();
    // A stem starts a word: "residents", not "presidents".
    NON_TOPICS.iter().any(|stem| {
        lower
            .match_indices(stem)
            .any(|(at, _)| !lower[..at].ends_with(char::is_alphabetic))
    })
}

/// Builds this module's patterns now rather than on first use (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    LazyLock::force(&LEXICON);
    LazyLock::force(&PHRASE_PATTERNS);
}

/// Every topic word or phrase in `text`, left to right. Phrases may overlap ("troops
/// have left their units" names both a withdrawal and a desertion phrase); a match inside
/// a longer one ("peace" in "peace talks") is dropped.
pub fn find_topics(text: &str) -> Vec<TopicMatch> {
    let bytes = text.as_bytes();
    // A pattern match (start, end, pattern) as a topic word, when it stands as a word.
    let word = |(start, end, pattern): (usize, usize, usize)| {
        let (topic, open_ending) = LEXICON.patterns[pattern];
        if start > 0 && is_word_byte(bytes[start - 1]) {
            return None;
        }
        let mut end = end;
        if open_ending {
            while end < bytes.len() && is_word_byte(bytes[end]) {
                end += 1;
            }
        } else if end < bytes.len() && is_word_byte(bytes[end]) {
            return None;
        }
        Some(TopicMatch { topic, start, end })
    };
    let mut found: Vec<TopicMatch> = match super::gate::topic_words(text) {
        Some(matches) => matches.into_iter().filter_map(word).collect(),
        None => LEXICON
            .automaton()
            .find_overlapping_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .filter_map(word)
            .collect(),
    };
    for ((pattern, topic), gate) in PHRASE_PATTERNS.iter().zip(PHRASE_GATES.iter()) {
        if !gate.may_match(text) {
            continue;
        }
        found.extend(pattern.find_iter(text).map(|m| TopicMatch {
            topic: *topic,
            start: m.start(),
            end: m.end(),
        }));
    }
    found.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    found.dedup_by_key(|m| (m.start, m.end));
    // Sorted by start, longest first: a match is inside a longer one exactly when an
    // earlier match reaches at least as far.
    let mut reach = 0;
    found.retain(|m| {
        let inside = m.end <= reach;
        reach = reach.max(m.end);
        !inside
    });
    found
}

/// The topic a stretch of text is mainly about, among the topic words found in it.
///
/// Each word counts two, except casualty words, which count one: deaths and losses are
/// named alongside most other topics as their consequence ("the strike killed four",
/// "losses led to desertions"), and the sentence is then about the other topic. The
/// article's own topic breaks ties.
pub fn main_topic(text: &str, found: &[TopicMatch], article: Option<Topic>) -> Option<Topic> {
    let mut scores: Vec<(Topic, u32)> = Vec::new();
    for m in found {
        let weight = if m.topic == Topic::Casualties { 1 } else { 2 };
        match scores.iter_mut().find(|(t, _)| *t == m.topic) {
            Some((_, score)) => *score += weight,
            None => scores.push((m.topic, weight)),
        }
    }
    let winner = scores
        .into_iter()
        .max_by_key(|(topic, score)| {
            let prior = u32::from(Some(*topic) == article);
            // Lower-ranked topics win exact ties, for a result that does not depend on
            // the order of the words.
            (score * 2 + prior, std::cmp::Reverse(*topic))
        })
        .map(|(topic, _)| topic);
    // In an article about an attack, the dead and wounded are that attack's toll, unless
    // the sentence counts the war's losses at large (or soldiers "destroyed").
    let war_losses = found.iter().any(|m| {
        let word = text[m.start..m.end].to_ascii_lowercase();
        ["los", "casualt", "destroy", "eliminat", "neutrali"]
            .iter()
            .any(|stem| word.starts_with(stem))
            || word.contains("in action")
    });
    let names_attack = found.iter().any(|m| m.topic == Topic::Strike);
    match (winner, article) {
        (Some(Topic::Casualties), _) if names_attack && !war_losses => Some(Topic::Strike),
        (Some(Topic::Casualties), Some(Topic::Strike)) if !war_losses => Some(Topic::Strike),
        _ => winner,
    }
}

/// The main topic of an article: the topic its sentences name most often, the headline
/// (the first sentence) counting five times and casualty words half. None when no topic
/// word occurs at all or when no topic clearly leads.
pub fn article_topic<'a>(sentences: impl IntoIterator<Item = &'a str>) -> Option<Topic> {
    let found: Vec<Vec<TopicMatch>> = sentences.into_iter().map(find_topics).collect();
    article_topic_of(found.iter().map(Vec::as_slice))
}

/// [`article_topic`] from the topic words already found in each sentence, in order.
pub fn article_topic_of<'a>(
    sentences: impl IntoIterator<Item = &'a [TopicMatch]>,
) -> Option<Topic> {
    let mut counts: Vec<(Topic, usize)> = Vec::new();
    for (index, found) in sentences.into_iter().enumerate() {
        let headline_weight = if index == 0 { 5 } else { 1 };
        for m in found {
            let weight = headline_weight * if m.topic == Topic::Casualties { 1 } else { 2 };
            match counts.iter_mut().find(|(t, _)| *t == m.topic) {
                Some((_, count)) => *count += weight,
                None => counts.push((m.topic, weight)),
            }
        }
    }
    counts.sort_by_key(|(topic, count)| (std::cmp::Reverse(*count), *topic));
    // Only a clear leader is the article's topic: a quarter more than the runner-up.
    match counts.as_slice() {
        [] => None,
        [(only, _)] => Some(*only),
        [(first, a), (_, b), ..] => (4 * a >= 5 * b).then_some(*first),
    }
}

/// The topic a word or phrase names ("desertions", "Deserters", "peace talks"), as typed
/// in a question; also accepts the topic names themselves ("territorial_control").
pub fn topic_of_phrase(phrase: &str) -> Option<Topic> {
    let phrase = phrase.trim();
    Topic::parse(phrase)
        .or_else(|| Topic::parse(&phrase.replace(' ', "_")))
        .or_else(|| find_topics(phrase).first().map(|m| m.topic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_of_a_topic_word_match() {
        for word in ["deserted", "deserters", "desertion", "Desertions", "AWOL"] {
            assert_eq!(topic_of_phrase(word), Some(Topic::Desertion), "{word}");
        }
        assert_eq!(topic_of_phrase("casualties"), Some(Topic::Casualties));
        assert_eq!(topic_of_phrase("withdrawals"), Some(Topic::Withdrawal));
        assert_eq!(topic_of_phrase("mobilisation"), Some(Topic::Mobilization));
        assert_eq!(
            topic_of_phrase("territorial control"),
            Some(Topic::TerritorialControl)
        );
        assert_eq!(topic_of_phrase("weather"), None);
    }

    #[test]
    fn phrases_match_with_inner_inflection_and_whole_words_only() {
        let text = "Soldiers abandoned their posts near the deadline.";
        let found = find_topics(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], "abandoned their posts");
        assert!(find_topics("a deadline was set").is_empty());
        assert!(find_topics("a skilled pilot").is_empty());
    }

    fn topic_of(sentence: &str, article: Option<Topic>) -> Option<Topic> {
        main_topic(sentence, &find_topics(sentence), article)
    }

    /// Where civilians stay or flee to is no topic; a word only holding a stem is.
    #[test]
    fn statements_about_residents_and_refugees_name_a_non_topic() {
        assert!(names_a_non_topic(
            "Over 1,000 residents had returned to the district."
        ));
        assert!(names_a_non_topic(
            "More than 6.7 million refugees are recorded in Europe."
        ));
        assert!(!names_a_non_topic(
            "A meeting between the two presidents is next."
        ));
    }

    #[test]
    fn the_dead_of_a_named_attack_are_the_attack_and_war_losses_stay_casualties() {
        assert_eq!(
            topic_of("A drone hit a bus, killing two and wounding five.", None),
            Some(Topic::Strike)
        );
        assert_eq!(
            topic_of("Two of the wounded are in hospital.", Some(Topic::Strike)),
            Some(Topic::Strike)
        );
        assert_eq!(
            topic_of(
                "Russia has lost more than 600,000 troops.",
                Some(Topic::Strike)
            ),
            Some(Topic::Casualties)
        );
        // Phrases with free words inside.
        assert_eq!(
            topic_of("The brigade lost half of its armour.", None),
            Some(Topic::Casualties)
        );
        assert_eq!(
            topic_of("Russia lost an average of 1,523 soldiers a day.", None),
            Some(Topic::Casualties)
        );
        assert_eq!(
            topic_of(
                "Assault groups pushed Ukrainian infantry out of the village.",
                None
            ),
            Some(Topic::TerritorialControl)
        );
        assert_eq!(
            topic_of("The brigade pulled its crews back from the village.", None),
            Some(Topic::Withdrawal)
        );
        assert_eq!(
            topic_of(
                "Its forces had destroyed up to 230 Ukrainian servicemen and two tanks.",
                Some(Topic::Strike)
            ),
            Some(Topic::Casualties)
        );
        assert_eq!(
            topic_of("The fire destroyed two houses and a barn.", None),
            None
        );
        assert_eq!(
            topic_of("Our soldiers are holding the line near Pokrovsk.", None),
            Some(Topic::TerritorialControl)
        );
        assert_eq!(
            topic_of("Russian forces made incremental gains near Kupiansk.", None),
            Some(Topic::TerritorialControl)
        );
        assert_eq!(
            topic_of("The two sides exchanged 2,594 prisoners.", None),
            Some(Topic::Negotiation)
        );
        assert_eq!(topic_of("He pulled the door open.", None), None);
        assert_eq!(
            topic_of("Residents of the occupied territories voted.", None),
            None
        );
        assert_eq!(
            topic_of("He lived in Russian-occupied Kherson.", None),
            None
        );
    }

    /// People captured are losses; places captured and ground lost are territory.
    #[test]
    fn captured_soldiers_are_casualties_and_lost_ground_is_territory() {
        for (sentence, topic) in [
            (
                "The brigade captured 12 Russian soldiers north of Kharkiv.",
                Topic::Casualties,
            ),
            (
                "Ukraine has captured about 700 enemy troops.",
                Topic::Casualties,
            ),
            (
                "Two marines were taken prisoner near Krynky.",
                Topic::Casualties,
            ),
            (
                "Russian troops captured two villages near Pokrovsk.",
                Topic::TerritorialControl,
            ),
            (
                "Russian troops captured Stupochky.",
                Topic::TerritorialControl,
            ),
            (
                "The unit had lost ground near Berdychi.",
                Topic::TerritorialControl,
            ),
            (
                "Russian troops have occupied Velyka Novosilka.",
                Topic::TerritorialControl,
            ),
            (
                "Russian troops occupied the village of Uspenivka.",
                Topic::TerritorialControl,
            ),
            (
                "About 40 Russian soldiers surrendered to Ukrainian troops near Vovchansk.",
                Topic::Casualties,
            ),
            (
                "The brigade had lost 15 per cent of its men near Toretsk.",
                Topic::Casualties,
            ),
            (
                "We lost almost a whole company in two days.",
                Topic::Casualties,
            ),
            (
                "The brigade reported the surrender of 17 Russian marines.",
                Topic::Casualties,
            ),
            (
                "The garrison surrendered the town after a month of fighting.",
                Topic::TerritorialControl,
            ),
            (
                "Twelve Russian soldiers had been captured near Pokrovsk.",
                Topic::Casualties,
            ),
            (
                "Russian soldiers captured the village of Pishchane.",
                Topic::TerritorialControl,
            ),
            (
                "Ukrainian units had been pushed back from the outskirts of Kupiansk.",
                Topic::TerritorialControl,
            ),
        ] {
            assert_eq!(topic_of(sentence, None), Some(topic), "{sentence}");
        }
    }

    #[test]
    fn a_document_scan_finds_in_each_part_what_a_scan_of_the_part_finds() {
        const PIECES: &[&str] = &[
            " ",
            " ",
            "desert",
            "ed",
            "er",
            "s",
            "abandon",
            " their posts",
            " the front",
            "line",
            "wound",
            "killed",
            " or ",
            "air raid",
            "peace",
            " talks",
            "agreement",
            "los",
            "t 40 troops",
            "took",
            " two villages",
            "push",
            "pull",
            "ed the brigade",
            " out of",
            " back",
            "drove",
            "according",
            "verif",
            "without",
            "Desert",
            "KILLED",
            "é",
            "Київ",
            "-",
            "_",
            "1",
            ",",
            ".",
            "’",
            "\u{a0}",
            "ſ",
        ];
        crate::extract::testing::assert_same_inside_and_outside(
            PIECES,
            0x2545_f491_4f6c_dd1d_u64,
            find_topics,
        );
    }

    #[test]
    fn the_article_topic_breaks_ties_and_needs_a_clear_lead() {
        let both = "Soldiers deserted after the talks.";
        assert_eq!(
            topic_of(both, Some(Topic::Negotiation)),
            Some(Topic::Negotiation)
        );
        assert_eq!(
            topic_of(both, Some(Topic::Desertion)),
            Some(Topic::Desertion)
        );
        assert_eq!(
            article_topic([
                "Troops desert the front",
                "Talks resumed.",
                "More deserters."
            ]),
            Some(Topic::Desertion)
        );
        assert_eq!(
            article_topic(["A quiet week", "Talks resumed.", "Soldiers deserted."]),
            None
        );
    }
}
