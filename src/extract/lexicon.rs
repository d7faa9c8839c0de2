//! The hand-written lexicons of `data/`: organizations, given names, roles, reporting
//! verbs and capitalised words that are never names. Parsed once, on first use.

use crate::graph::{name_key, OrgKind};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

const ORGANIZATIONS_TSV: &str = include_str!("../../data/organizations.tsv");
const GIVEN_NAMES_TXT: &str = include_str!("../../data/given_names.txt");
const ROLES_TXT: &str = include_str!("../../data/roles.txt");
const REPORTING_VERBS_TXT: &str = include_str!("../../data/reporting_verbs.txt");
const NON_NAMES_TXT: &str = include_str!("../../data/non_names.txt");
const DEMONYMS_TSV: &str = include_str!("../../data/demonyms.tsv");
const PEOPLE_NOUNS_TXT: &str = include_str!("../../data/people_nouns.txt");

/// A well-known organization from `data/organizations.tsv`.
#[derive(Clone, Debug)]
pub struct KnownOrganization {
    pub name: String,
    pub kind: OrgKind,
    pub aliases: Vec<String>,
}

pub struct Lexicons {
    pub organizations: Vec<KnownOrganization>,
    /// name key of a name or alias -> index into `organizations`.
    pub organization_keys: HashMap<String, usize>,
    /// The longest organization name or alias, in words.
    pub organization_max_words: usize,
    pub given_names: HashSet<String>,
    /// Roles in lower case, e.g. "regional governor".
    pub roles: HashSet<String>,
    pub role_max_words: usize,
    /// The longest role, in bytes.
    pub role_max_len: usize,
    pub reporting_verbs: HashSet<String>,
    pub non_names: HashSet<String>,
    /// Nationality adjective -> the country's name in the gazetteer.
    pub demonyms: HashMap<String, String>,
    /// Words for people in what a figure counts ("civilians", "soldier").
    pub people_nouns: HashSet<String>,
}

/// Data lines of a lexicon file: comments (`#`) and blank lines dropped.
pub fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

static LEXICONS: LazyLock<Lexicons> = LazyLock::new(Lexicons::load);

/// British and American spellings name the same body ("Russian Ministry of Defence",
/// "Russian Ministry of Defense"): each form of `name` and `aliases` gets the other
/// spelling as an alias, so the lexicon lists one.
fn add_spelling_variants(name: &str, aliases: &mut Vec<String>) {
    const PAIRS: [(&str, &str); 4] = [
        ("Defence", "Defense"),
        ("defence", "defense"),
        ("Organisation", "Organization"),
        ("organisation", "organization"),
    ];
    let forms: Vec<String> = std::iter::once(name.to_string())
        .chain(aliases.iter().cloned())
        .collect();
    for form in &forms {
        for (british, american) in PAIRS {
            let variant = if form.contains(british) {
                form.replace(british, american)
            } else if form.contains(american) {
                form.replace(american, british)
            } else {
                continue;
            };
            if variant != name && !aliases.contains(&variant) {
                aliases.push(variant);
            }
        }
    }
}

pub fn lexicons() -> &'static Lexicons {
    &LEXICONS
}

impl Lexicons {
    fn load() -> Lexicons {
        let mut organizations = Vec::new();
        let mut organization_keys = HashMap::default();
        let mut organization_max_words = 1;
        for line in data_lines(ORGANIZATIONS_TSV).skip(1) {
            let mut fields = line.split('\t');
            let name = fields.next().unwrap_or_default().to_string();
            let kind = OrgKind::parse(fields.next().unwrap_or("other")).unwrap_or(OrgKind::Other);
            let mut aliases: Vec<String> = fields
                .next()
                .unwrap_or_default()
                .split('|')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect();
            add_spelling_variants(&name, &mut aliases);
            let index = organizations.len();
            for form in std::iter::once(&name).chain(aliases.iter()) {
                organization_max_words = organization_max_words.max(form.split(' ').count());
                organization_keys.insert(name_key(form), index);
                // "the Kremlin" and "Kremlin" both name it.
                if let Some(bare) = form
                    .strip_prefix("the ")
                    .or_else(|| form.strip_prefix("The "))
                {
                    organization_keys.insert(name_key(bare), index);
                }
            }
            organizations.push(KnownOrganization {
                name,
                kind,
                aliases,
            });
        }
        let roles: HashSet<String> = data_lines(ROLES_TXT).map(str::to_string).collect();
        let role_max_words = roles
            .iter()
            .map(|r| r.split(' ').count())
            .max()
            .unwrap_or(1);
        let role_max_len = roles.iter().map(String::len).max().unwrap_or(0);
        Lexicons {
            organizations,
            organization_keys,
            organization_max_words,
            given_names: data_lines(GIVEN_NAMES_TXT).map(name_key).collect(),
            roles,
            role_max_words,
            role_max_len,
            reporting_verbs: data_lines(REPORTING_VERBS_TXT)
                .map(str::to_string)
                .collect(),
            non_names: data_lines(NON_NAMES_TXT).map(str::to_string).collect(),
            demonyms: data_lines(DEMONYMS_TSV)
                .skip(1)
                .filter_map(|l| l.split_once('\t'))
                .map(|(d, c)| (d.to_string(), c.to_string()))
                .collect(),
            people_nouns: data_lines(PEOPLE_NOUNS_TXT).map(str::to_string).collect(),
        }
    }

    pub fn organization(&self, name: &str) -> Option<&KnownOrganization> {
        self.organization_keys
            .get(&name_key(name))
            .map(|i| &self.organizations[*i])
    }

    pub fn is_given_name(&self, word: &str) -> bool {
        // A single ASCII word's name key is the word in lower case.
        let plain = word.is_ascii()
            && !word
                .bytes()
                .any(|b| b.is_ascii_whitespace() || b == 0x0b || b == b'`');
        let listed = if plain {
            with_lowercase(word, |key| self.given_names.contains(key))
        } else {
            self.given_names.contains(&name_key(word))
        };
        // "Anne-Marie", "Jean-Pierre", "Hans-Peter": given names joined by a hyphen.
        listed
            || (word.contains('-')
                && word
                    .split('-')
                    .all(|part| !part.is_empty() && self.is_given_name(part)))
    }

    pub fn is_role(&self, words: &str) -> bool {
        // Most candidates are several capitalised words, longer than any role; lower case
        // keeps the length of ASCII text, so those need no look-up.
        if words.len() > self.role_max_len && words.is_ascii() {
            return false;
        }
        with_lowercase(words, |lower| self.roles.contains(lower))
    }

    pub fn is_reporting_verb(&self, word: &str) -> bool {
        self.reporting_verbs.contains(&word.to_lowercase())
    }

    pub fn is_non_name(&self, word: &str) -> bool {
        self.non_names.contains(word)
    }

    /// The country a nationality adjective stands for ("Ukrainian" -> "Ukraine").
    pub fn demonym_country(&self, word: &str) -> Option<&str> {
        self.demonyms.get(word).map(String::as_str)
    }
}

/// `f` of `text` lower-cased as by `str::to_lowercase`, without allocating when the
/// text is ASCII, as almost every word and role is: these lookups run for every
/// capitalised word of every sentence. The ASCII case goes through a buffer kept per
/// thread, lower-cased in place as a `str`, so that it needs no UTF-8 check either.
fn with_lowercase<R>(text: &str, f: impl FnOnce(&str) -> R) -> R {
    if !text.is_ascii() {
        return f(&text.to_lowercase());
    }
    let lower = |scratch: &mut String| {
        scratch.push_str(text);
        scratch.make_ascii_lowercase();
    };
    crate::text::with_scratch(lower, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every lexicon file is sorted and free of duplicates, so diffs stay readable.
    #[test]
    fn lexicon_files_are_sorted_without_duplicates() {
        let files = [
            ("given_names.txt", GIVEN_NAMES_TXT, false),
            ("roles.txt", ROLES_TXT, false),
            ("reporting_verbs.txt", REPORTING_VERBS_TXT, false),
            ("non_names.txt", NON_NAMES_TXT, false),
            ("organizations.tsv", ORGANIZATIONS_TSV, true),
            ("topics.tsv", include_str!("../../data/topics.tsv"), true),
            ("demonyms.tsv", DEMONYMS_TSV, true),
            ("people_nouns.txt", PEOPLE_NOUNS_TXT, false),
        ];
        for (file, text, has_header) in files {
            // In any case first, then as written: "US" (the country) and "Us" (a word
            // that opens headlines) are two entries.
            let keys: Vec<(String, &str)> = data_lines(text)
                .skip(usize::from(has_header))
                .map(|l| {
                    let key = l.split('\t').next().unwrap_or_default();
                    (key.to_lowercase(), key)
                })
                .collect();
            for pair in keys.windows(2) {
                assert!(
                    pair[0] < pair[1],
                    "{file}: '{}' then '{}'",
                    pair[0].1,
                    pair[1].1
                );
            }
        }
    }

    #[test]
    fn organizations_are_found_by_alias() {
        let lex = lexicons();
        assert_eq!(
            lex.organization("Ukrainian Armed Forces").unwrap().name,
            "Armed Forces of Ukraine"
        );
        assert_eq!(lex.organization("Mediazone").unwrap().name, "Mediazona");
        // The other spelling of an alias the lexicon gives in one.
        for spelling in ["Russian Ministry of Defence", "Russian Ministry of Defense"] {
            let org = lex.organization(spelling).unwrap();
            assert_eq!(org.name, "Ministry of Defense of Russia", "{spelling}");
        }
        assert_eq!(lex.organization("TASS").unwrap().kind, OrgKind::Outlet);
        assert!(lexicons().is_given_name("Serhiy"));
        assert!(lexicons().is_role("Regional Governor"));
    }
}
