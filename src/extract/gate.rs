//! Cheap literal checks that rule a regex out before it runs.
//!
//! Most sentences hold none of the words a pattern needs ("according", "without", a
//! month name), and one Aho-Corasick pass that finds that out costs a fraction of the
//! regex search. A gate only says "cannot match" when that is certain: every match of
//! its pattern contains one of its words. The regex still decides every case the gate
//! lets through, so results are the same with or without the gate.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// Words one of which every match of a pattern contains.
pub struct Gate {
    automaton: AhoCorasick,
    /// A case-insensitive gate whose words hold an 's' or a 'k': Unicode
    /// case-insensitive regexes also match 'ſ' and the Kelvin sign for those, which
    /// ASCII case folding does not, so text holding either is always let through.
    folds_beyond_ascii: bool,
}

impl Gate {
    /// For a case-insensitive (`(?i)`) pattern: the words match in any case.
    pub fn any_case(words: &[&str]) -> Gate {
        Gate::build(words, true)
    }

    /// For a case-sensitive pattern: the words match exactly as written.
    pub fn exact(words: &[&str]) -> Gate {
        Gate::build(words, false)
    }

    fn build(words: &[&str], any_case: bool) -> Gate {
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(any_case)
            .match_kind(MatchKind::LeftmostFirst)
            .build(words)
            .expect("gate words compile");
        let folds_beyond_ascii = any_case
            && words.iter().any(|w| {
                w.bytes()
                    .any(|b| matches!(b.to_ascii_lowercase(), b's' | b'k'))
            });
        Gate {
            automaton,
            folds_beyond_ascii,
        }
    }

    /// False only when the pattern cannot match anywhere in `text`.
    pub fn may_match(&self, text: &str) -> bool {
        if self.folds_beyond_ascii && !text.is_ascii() && text.contains(['ſ', '\u{212A}']) {
            return true;
        }
        self.automaton.is_match(text)
    }
}

/// Whether `text` holds a decimal digit in the sense of the regex `\d` (Unicode
/// digits), which every figure pattern needs unless it names a number in words.
pub fn has_digit(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
        || (!text.is_ascii() && text.chars().any(|c| !c.is_ascii() && c.is_numeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gate_lets_through_every_text_that_holds_a_word() {
        let gate = Gate::any_case(&["according", "week"]);
        assert!(gate.may_match("ACCORDING to the post"));
        assert!(gate.may_match("last Week"));
        assert!(!gate.may_match("the post said"));
        // The regex (?i)week matches the Kelvin sign for k: the gate must let it pass.
        assert!(gate.may_match("last wee\u{212A}"));
        let exact = Gate::exact(&["Jan"]);
        assert!(exact.may_match("on Jan. 5"));
        assert!(!exact.may_match("on JAN. 5"));
    }

    #[test]
    fn digits_include_other_scripts() {
        assert!(has_digit("about 40 men"));
        assert!(has_digit("about ٤٠ men"));
        assert!(!has_digit("about forty men"));
    }
}
