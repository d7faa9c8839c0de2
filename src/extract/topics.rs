//! The topic lexicon (`data/topics.tsv`): which words and phrases name a claim's topic,
//! in any inflection. Compiled once into an Aho-Corasick automaton.

use crate::graph::Topic;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::sync::LazyLock;

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
    automaton: AhoCorasick,
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
        let automaton = AhoCorasickBuilder::new()
            // A full DFA: the pattern sets are small and searched in every sentence.
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&texts)
            .expect("topic patterns compile");
        TopicLexicon {
            automaton,
            patterns,
        }
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

/// Every topic word or phrase in `text`, left to right.
pub fn find_topics(text: &str) -> Vec<TopicMatch> {
    let bytes = text.as_bytes();
    LEXICON
        .automaton
        .find_iter(text)
        .filter_map(|m| {
            let (topic, open_ending) = LEXICON.patterns[m.pattern().as_usize()];
            if m.start() > 0 && is_word_byte(bytes[m.start() - 1]) {
                return None;
            }
            let mut end = m.end();
            if open_ending {
                while end < bytes.len() && is_word_byte(bytes[end]) {
                    end += 1;
                }
            } else if end < bytes.len() && is_word_byte(bytes[end]) {
                return None;
            }
            Some(TopicMatch {
                topic,
                start: m.start(),
                end,
            })
        })
        .collect()
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
        assert!(find_topics("the killedness").is_empty());
    }
}
