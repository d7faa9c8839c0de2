//! The abbreviation list (`data/abbreviations.tsv`) and the common sentence starters
//! that the sentence splitter consults after an ambiguous period.

use std::sync::LazyLock;

/// How a period after an abbreviation is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbbreviationKind {
    /// Stands before a name or number ("Gen.", "Mr.", "No."): never ends a sentence.
    Prefix,
    /// May end a sentence ("Ltd.", "etc.", "Jan."): ends one only before a common
    /// sentence starter or a line break.
    Final,
}

const ABBREVIATIONS_TSV: &str = include_str!("../../data/abbreviations.tsv");

/// (abbreviation without its period, kind), sorted by byte order for binary search.
static ABBREVIATIONS: LazyLock<Vec<(&'static str, AbbreviationKind)>> = LazyLock::new(|| {
    let mut entries: Vec<_> = data_rows(ABBREVIATIONS_TSV)
        .filter_map(|(word, kind)| {
            let kind = match kind {
                "prefix" => AbbreviationKind::Prefix,
                "final" => AbbreviationKind::Final,
                _ => return None,
            };
            Some((word, kind))
        })
        .collect();
    // The file is sorted (a test checks it); sorting again keeps lookups right even
    // if a hand edit breaks the order.
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
});

/// The rows of a TSV data file after its comments and header line.
fn data_rows(tsv: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    tsv.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1)
        .filter_map(|line| line.split_once('\t'))
}

/// The kind of `word` (written without its final period, e.g. "Gen", "e.g") if it is
/// a listed abbreviation. A capitalised form of a lower-case entry also matches, so
/// "Approx." at the start of a sentence is found.
pub fn abbreviation_kind(word: &str) -> Option<AbbreviationKind> {
    let find = |w: &str| {
        ABBREVIATIONS
            .binary_search_by(|(entry, _)| (*entry).cmp(w))
            .ok()
            .map(|index| ABBREVIATIONS[index].1)
    };
    if let Some(kind) = find(word) {
        return Some(kind);
    }
    let mut chars = word.chars();
    let first = chars.next()?;
    if first.is_ascii_uppercase() {
        let mut lowered = String::with_capacity(word.len());
        lowered.push(first.to_ascii_lowercase());
        lowered.push_str(chars.as_str());
        return find(&lowered);
    }
    None
}

/// Words that commonly begin a sentence in news text. After a period that may or may
/// not end a sentence ("in the U.S. The next day", "Acme Ltd. It said"), one of these
/// as the next word tips the decision towards a sentence end. Sorted for binary search.
const SENTENCE_STARTERS: &[&str] = &[
    "A",
    "According",
    "After",
    "Also",
    "Although",
    "An",
    "And",
    "Another",
    "As",
    "At",
    "Because",
    "Before",
    "Both",
    "But",
    "By",
    "Despite",
    "During",
    "Each",
    "Earlier",
    "Even",
    "Following",
    "For",
    "From",
    "He",
    "Her",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Last",
    "Later",
    "Many",
    "Meanwhile",
    "More",
    "Most",
    "Now",
    "On",
    "One",
    "Only",
    "Our",
    "She",
    "Since",
    "So",
    "Some",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Thus",
    "To",
    "Today",
    "We",
    "What",
    "When",
    "Where",
    "While",
    "Who",
    "Why",
    "With",
    "Yesterday",
    "Yet",
    "You",
];

/// True when `word` is a common sentence starter (case-sensitive: "The", not "the").
pub fn is_sentence_starter(word: &str) -> bool {
    SENTENCE_STARTERS.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviation_file_is_sorted_without_duplicates_and_kinds_are_known() {
        let rows: Vec<_> = data_rows(ABBREVIATIONS_TSV).collect();
        assert!(rows.len() > 40);
        for pair in rows.windows(2) {
            assert!(
                pair[0].0 < pair[1].0,
                "{:?} is not before {:?}",
                pair[0],
                pair[1]
            );
        }
        for (word, kind) in &rows {
            assert!(
                matches!(*kind, "prefix" | "final"),
                "{word}: unknown kind {kind}"
            );
            assert!(!word.ends_with('.'), "{word}: written without the period");
        }
        assert_eq!(ABBREVIATIONS.len(), rows.len());
    }

    #[test]
    fn starters_are_sorted_without_duplicates() {
        for pair in SENTENCE_STARTERS.windows(2) {
            assert!(pair[0] < pair[1], "{} is not before {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(abbreviation_kind("Gen"), Some(AbbreviationKind::Prefix));
        assert_eq!(abbreviation_kind("e.g"), Some(AbbreviationKind::Prefix));
        assert_eq!(abbreviation_kind("Approx"), Some(AbbreviationKind::Prefix));
        assert_eq!(abbreviation_kind("Ltd"), Some(AbbreviationKind::Final));
        assert_eq!(abbreviation_kind("Kyiv"), None);
        assert_eq!(abbreviation_kind(""), None);
        assert!(is_sentence_starter("The"));
        assert!(!is_sentence_starter("the"));
        assert!(!is_sentence_starter("Russia"));
    }
}
