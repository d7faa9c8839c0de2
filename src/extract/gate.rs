//! Cheap literal checks that rule a regex out before it runs.
//!
//! Most sentences hold none of the words a pattern needs ("according", "without", a
//! month name), and finding that out costs a fraction of the regex search. A gate only
//! says "cannot match" when that is certain: every match of its pattern contains one of
//! its words. The regex still decides every case the gate lets through, so results are
//! the same with or without the gate.
//!
//! While a document is extracted ([`with_document`]), one Aho-Corasick pass over its
//! text finds the words of every gate at once, and a gate asked about a part of that
//! text looks up the words found there instead of scanning it again. Any other text
//! is scanned by the gate's own automaton. The same pass finds the topic lexicon's
//! words (`topic_words`) and the organization lexicon's names
//! (`organization_names`), which are searched in any case too.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::cell::RefCell;
use std::cmp::Reverse;
use std::sync::{LazyLock, OnceLock};

/// Words one of which every match of a pattern contains.
pub struct Gate {
    words: &'static [&'static str],
    any_case: bool,
    /// Built on first use, for texts outside the document being extracted.
    own: OnceLock<AhoCorasick>,
    /// The gate's place in [`all_gates`], if it is there; found on first use.
    index: OnceLock<Option<usize>>,
}

impl Gate {
    /// For a case-insensitive (`(?i)`) pattern: the words match in any case.
    pub const fn any_case(words: &'static [&'static str]) -> Gate {
        Gate {
            words,
            any_case: true,
            own: OnceLock::new(),
            index: OnceLock::new(),
        }
    }

    /// For a case-sensitive pattern: the words match exactly as written.
    pub const fn exact(words: &'static [&'static str]) -> Gate {
        Gate {
            words,
            any_case: false,
            own: OnceLock::new(),
            index: OnceLock::new(),
        }
    }

    /// A case-insensitive gate whose words hold an 's' or a 'k': Unicode
    /// case-insensitive regexes also match 'ſ' and the Kelvin sign for those, which
    /// ASCII case folding does not, so text holding either is always let through.
    fn folds_beyond_ascii(&self) -> bool {
        self.any_case
            && self.words.iter().any(|w| {
                w.bytes()
                    .any(|b| matches!(b.to_ascii_lowercase(), b's' | b'k'))
            })
    }

    /// False only when the pattern cannot match anywhere in `text`.
    pub fn may_match(&self, text: &str) -> bool {
        if let Some(answer) = DOCUMENTS.with_borrow(|d| d.last()?.may_match(self, text)) {
            return answer;
        }
        if self.folds_beyond_ascii() && !text.is_ascii() && text.contains(['ſ', '\u{212A}']) {
            return true;
        }
        self.own
            .get_or_init(|| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(self.any_case)
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(self.words)
                    .expect("gate words compile")
            })
            .is_match(text)
    }

    /// Where the gate's words occur in `text` (offsets into it, by start, then end), as
    /// the document's one scan found them; `None` when `text` is not part of the
    /// document being extracted or the gate is not one of `all_gates`.
    pub fn occurrences(&self, text: &str) -> Option<Vec<(usize, usize)>> {
        DOCUMENTS.with_borrow(|d| d.last()?.occurrences(self, text))
    }
}

/// The number of gates in [`all_gates`].
const GATES: usize = 18;
// (Each gate is a bit of a `u32` in [`AllWords`] and [`DocumentWords`].)
const _: () = assert!(GATES <= 32);

/// Every gate of the extractor, for the one scan of a document that serves them all.
/// A gate missing here still works, with a scan of its own.
fn all_gates() -> [&'static Gate; GATES] {
    use super::{attribution, metadata, quantities, topics};
    [
        &super::BOILERPLATE_GATE,
        &super::HEDGE_GATE,
        &super::SAME_SENTENCE_HEDGE_GATE,
        &attribution::ACCORDING_GATE,
        &attribution::VERB_GATE,
        &attribution::DEMONYM_SOURCE_GATE,
        &attribution::DEMONYM_BODY_GATE,
        &metadata::WRITER_GATE,
        &quantities::NUMBER_WORD_GATE,
        &quantities::PERIOD_GATE,
        &quantities::TIME_GATE,
        &topics::PHRASE_GATES[0],
        &topics::PHRASE_GATES[1],
        &topics::PHRASE_GATES[2],
        &topics::PHRASE_GATES[3],
        &topics::PHRASE_GATES[4],
        &topics::PHRASE_GATES[5],
        &topics::PHRASE_GATES[6],
    ]
}

/// An automaton that finds `patterns` in any (ASCII) case: a full DFA, as the pattern
/// sets are small and searched in every document. The document scan and the stand-alone
/// scans of the topic and organization lexicons build theirs alike, so they find the
/// same matches.
pub(crate) fn any_case_dfa<P: AsRef<[u8]>>(
    patterns: impl IntoIterator<Item = P>,
    kind: MatchKind,
) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .kind(Some(AhoCorasickKind::DFA))
        .ascii_case_insensitive(true)
        .match_kind(kind)
        .build(patterns)
        .expect("lexicon patterns compile")
}

/// The words of all gates, then the topic lexicon's patterns, then the organization
/// lexicon's names, in one automaton.
struct AllWords {
    /// Each distinct gate word in lower case, then each topic pattern, then each
    /// organization name, found in any case.
    automaton: AhoCorasick,
    /// The number of topic patterns (which follow the gate words).
    topic_patterns: usize,
    /// Per word: the gates (bits, in the order of [`all_gates`]) that hold it, and for
    /// a case-sensitive gate the word as it must be written.
    owners: Vec<Vec<(u32, Option<&'static str>)>>,
    /// The gates that fold beyond ASCII (see [`Gate::folds_beyond_ascii`]).
    folding: u32,
}

static ALL_WORDS: LazyLock<AllWords> = LazyLock::new(|| {
    let mut words: Vec<String> = Vec::new();
    let mut owners: Vec<Vec<(u32, Option<&'static str>)>> = Vec::new();
    let mut folding = 0;
    for (index, gate) in all_gates().into_iter().enumerate() {
        let bit = 1u32 << index;
        if gate.folds_beyond_ascii() {
            folding |= bit;
        }
        for word in gate.words {
            let lower = word.to_ascii_lowercase();
            let at = match words.iter().position(|w| *w == lower) {
                Some(at) => at,
                None => {
                    words.push(lower);
                    owners.push(Vec::new());
                    words.len() - 1
                }
            };
            owners[at].push((bit, (!gate.any_case).then_some(*word)));
        }
    }
    // Topic patterns and organization names follow the gate words. All are searched in
    // any case with every match reported, so one automaton serves them all and a
    // document is scanned once instead of three times. (Organization names are wanted
    // leftmost-longest; [`DocumentWords::organizations_in`] picks those from every
    // match, as a leftmost-longest search would.)
    let topic_patterns = super::topics::lexicon_patterns();
    let organization_names = super::entities::organization_patterns();
    let automaton = any_case_dfa(
        words.iter().chain(topic_patterns).chain(organization_names),
        MatchKind::Standard,
    );
    AllWords {
        automaton,
        topic_patterns: topic_patterns.len(),
        owners,
        folding,
    }
});

/// The gate words found in one document's text.
struct DocumentWords {
    /// The text's address and length.
    base: usize,
    len: usize,
    /// Per gate of [`all_gates`], (start, end) of every occurrence of its words, by
    /// start: a gate's look-up passes over its own words only.
    by_gate: [Vec<(u32, u32)>; GATES],
    /// Gates that pass anywhere in the text, since it holds 'ſ' or the Kelvin sign.
    always: u32,
    /// (start, end, topic pattern) of every topic lexicon match, in the order an
    /// overlapping search reports them (by end).
    topics: Vec<(u32, u32, u32)>,
    /// (start, end, organization pattern) of every occurrence of an organization name,
    /// by end.
    organizations: Vec<(u32, u32, u32)>,
}

impl DocumentWords {
    fn new(text: &str) -> DocumentWords {
        let all = &*ALL_WORDS;
        let mut found = Vec::new();
        let mut topics = Vec::new();
        let mut organizations = Vec::new();
        for m in all.automaton.find_overlapping_iter(text) {
            let Some(owners) = all.owners.get(m.pattern().as_usize()) else {
                let pattern = m.pattern().as_usize() - all.owners.len();
                let (start, end) = (m.start() as u32, m.end() as u32);
                match pattern.checked_sub(all.topic_patterns) {
                    None => topics.push((start, end, pattern as u32)),
                    Some(name) => organizations.push((start, end, name as u32)),
                }
                continue;
            };
            let written = &text[m.start()..m.end()];
            let gates = owners
                .iter()
                .filter(|(_, exact)| exact.is_none_or(|w| w == written))
                .fold(0, |gates, (bit, _)| gates | bit);
            if gates != 0 {
                found.push((m.start() as u32, m.end() as u32, gates));
            }
        }
        // Overlapping matches come by end; sorted by start for the look-ups.
        found.sort_unstable();
        let mut by_gate: [Vec<(u32, u32)>; GATES] = Default::default();
        for (start, end, gates) in found {
            for (index, words) in by_gate.iter_mut().enumerate() {
                if gates & (1 << index) != 0 {
                    words.push((start, end));
                }
            }
        }
        let odd_folds = !text.is_ascii() && text.contains(['ſ', '\u{212A}']);
        DocumentWords {
            base: text.as_ptr() as usize,
            len: text.len(),
            by_gate,
            always: if odd_folds { all.folding } else { 0 },
            topics,
            organizations,
        }
    }

    /// Where `text` lies in this document: its start offset, if it is part of it.
    fn offset_of(&self, text: &str) -> Option<usize> {
        let at = (text.as_ptr() as usize).checked_sub(self.base)?;
        (at + text.len() <= self.len).then_some(at)
    }

    /// The topic matches inside `text`, with offsets into it, in the order a search of
    /// `text` alone reports them, if `text` is part of this document.
    fn topics_in(&self, text: &str) -> Option<Vec<(usize, usize, usize)>> {
        let at = self.offset_of(text)?;
        Some(inside(&self.topics, at, text.len()).collect())
    }

    /// The organization names a leftmost-longest search of `text` alone would report
    /// (offsets into `text`, in order), if `text` is part of this document: among the
    /// occurrences inside it, the leftmost, the longest of those starting there (the
    /// first pattern of equal ones), then the same after its end.
    fn organizations_in(&self, text: &str) -> Option<Vec<(usize, usize, usize)>> {
        let at = self.offset_of(text)?;
        let mut found: Vec<(usize, usize, usize)> =
            inside(&self.organizations, at, text.len()).collect();
        found.sort_unstable_by_key(|(start, end, pattern)| (*start, Reverse(*end), *pattern));
        let mut free_from = 0;
        found.retain(|(start, end, _)| {
            let taken = *start >= free_from;
            if taken {
                free_from = *end;
            }
            taken
        });
        Some(found)
    }

    /// The gate's answer for `text`, if `text` is part of this document and the gate
    /// one of [`all_gates`].
    fn may_match(&self, gate: &Gate, text: &str) -> Option<bool> {
        let (bit, mut words) = self.words_in(gate, text)?;
        if self.always & bit != 0 {
            return Some(true);
        }
        Some(words.next().is_some())
    }

    /// The occurrences of the gate's words in `text`, with offsets into `text`, if
    /// `text` is part of this document and the gate one of [`all_gates`].
    fn occurrences(&self, gate: &Gate, text: &str) -> Option<Vec<(usize, usize)>> {
        let (bit, words) = self.words_in(gate, text)?;
        // Words the scan cannot vouch for (odd case folds) leave the answer to the caller.
        if self.always & bit != 0 {
            return None;
        }
        let at = text.as_ptr() as usize - self.base;
        Some(
            words
                .map(|(s, e)| (s as usize - at, e as usize - at))
                .collect(),
        )
    }

    /// The gate's bit and the occurrences (document offsets) of its words inside `text`.
    fn words_in<'s>(
        &'s self,
        gate: &Gate,
        text: &str,
    ) -> Option<(u32, impl Iterator<Item = (u32, u32)> + 's)> {
        let at = self.offset_of(text)?;
        let index = (*gate
            .index
            .get_or_init(|| all_gates().iter().position(|g| std::ptr::eq(*g, gate))))?;
        let bit = 1u32 << index;
        let (start, end) = (at as u32, (at + text.len()) as u32);
        let found = &self.by_gate[index];
        let first = found.partition_point(|(s, _)| *s < start);
        let words = found[first..]
            .iter()
            .take_while(move |(s, _)| *s < end)
            .filter(move |(_, e)| *e <= end)
            .copied();
        Some((bit, words))
    }
}

/// The matches of `matches` (document offsets, by end) that lie inside the stretch of
/// `len` bytes at `at`, with offsets into the stretch.
fn inside(
    matches: &[(u32, u32, u32)],
    at: usize,
    len: usize,
) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let (start, end) = (at as u32, (at + len) as u32);
    let first = matches.partition_point(|(_, e, _)| *e <= start);
    matches[first..]
        .iter()
        .take_while(move |(_, e, _)| *e <= end)
        .filter(move |(s, _, _)| *s >= start)
        .map(move |(s, e, pattern)| {
            (
                (s - start) as usize,
                (e - start) as usize,
                *pattern as usize,
            )
        })
}

thread_local! {
    /// The documents being extracted on this thread, innermost last.
    static DOCUMENTS: RefCell<Vec<DocumentWords>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with the gate words of `text` found in one pass, for every gate asked
/// about a part of `text` while `f` runs on this thread.
pub fn with_document<R>(text: &str, f: impl FnOnce() -> R) -> R {
    struct Scope;
    impl Drop for Scope {
        fn drop(&mut self) {
            DOCUMENTS.with_borrow_mut(|d| d.pop());
        }
    }
    let words = DocumentWords::new(text);
    DOCUMENTS.with_borrow_mut(|d| d.push(words));
    let _scope = Scope;
    f()
}

/// The organization names in `text` (start, end, pattern number of
/// [`super::entities::organization_patterns`]; offsets into `text`) that a
/// leftmost-longest search of `text` alone reports, in order, as the document's one scan
/// found them; `None` when `text` is not part of the document being extracted.
pub(crate) fn organization_names(text: &str) -> Option<Vec<(usize, usize, usize)>> {
    DOCUMENTS.with_borrow(|d| d.last()?.organizations_in(text))
}

/// Builds the automaton of every gate's words now rather than on first use (see
/// [`super::warm_up`]).
pub(crate) fn warm_up() {
    LazyLock::force(&ALL_WORDS);
}

/// The topic lexicon's matches in `text` (start, end, pattern number; offsets into
/// `text`), in the order an overlapping search of `text` reports them, as the document's
/// one scan found them; `None` when `text` is not part of the document being extracted.
/// A match is in `text` when it lies wholly inside it, as a search of `text` alone would
/// find it: a plain search reports every occurrence of every pattern, whatever
/// surrounds it.
pub(crate) fn topic_words(text: &str) -> Option<Vec<(usize, usize, usize)>> {
    DOCUMENTS.with_borrow(|d| d.last()?.topics_in(text))
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
        static GATE: Gate = Gate::any_case(&["according", "week"]);
        static EXACT: Gate = Gate::exact(&["Jan"]);
        assert!(GATE.may_match("ACCORDING to the post"));
        assert!(GATE.may_match("last Week"));
        assert!(!GATE.may_match("the post said"));
        // The regex (?i)week matches the Kelvin sign for k: the gate must let it pass.
        assert!(GATE.may_match("last wee\u{212A}"));
        assert!(EXACT.may_match("on Jan. 5"));
        assert!(!EXACT.may_match("on JAN. 5"));
    }

    /// Inside a document, every gate answers as its own scan does, for every part.
    #[test]
    fn document_words_answer_as_each_gate_alone() {
        let text = "Officials could not verify it.\n\nSince the start of the Year, \
                    TWENTY-one men lost posts; on Jan. 5 they took a town, according to data. \
                    The Ukrainian military said without evidence. Read more. wee\u{212A} daily \
                    estimates by the writer, IN THE week";
        let bounds: Vec<usize> = (0..=text.len())
            .filter(|i| text.is_char_boundary(*i))
            .collect();
        let own: Vec<AhoCorasick> = all_gates()
            .iter()
            .map(|gate| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(gate.any_case)
                    .build(gate.words)
                    .unwrap()
            })
            .collect();
        let alone = |gate: &Gate, part: &str| {
            let index = all_gates()
                .iter()
                .position(|g| std::ptr::eq(*g, gate))
                .unwrap();
            (gate.folds_beyond_ascii() && part.contains(['ſ', '\u{212A}']))
                || own[index].is_match(part)
        };
        with_document(text, || {
            for gate in all_gates() {
                for (k, &s) in bounds.iter().enumerate().step_by(3) {
                    for &e in bounds[k..].iter().step_by(5) {
                        let part = &text[s..e];
                        // The document may let more through (a Kelvin sign elsewhere in
                        // it), never less.
                        let answer = gate.may_match(part);
                        if alone(gate, part) {
                            assert!(answer, "{:?} in {part:?}", gate.words);
                        }
                    }
                }
            }
        });
        let ascii = text.replace('\u{212A}', "k");
        with_document(&ascii, || {
            for gate in all_gates() {
                for s in 0..=ascii.len() {
                    for e in (s..=ascii.len()).step_by(3) {
                        let part = &ascii[s..e];
                        assert_eq!(
                            gate.may_match(part),
                            alone(gate, part),
                            "{:?} {part:?}",
                            gate.words
                        );
                    }
                }
            }
        });
    }

    #[test]
    fn digits_include_other_scripts() {
        assert!(has_digit("about 40 men"));
        assert!(has_digit("about ٤٠ men"));
        assert!(!has_digit("about forty men"));
    }
}
