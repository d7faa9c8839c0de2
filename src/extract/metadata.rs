//! Article metadata the text states: a headline line, a byline ("By X", "X is a Newsweek
//! staff writer"), a wire dateline ("KYIV, Oct 12 (Reuters) -").

use super::entities::{Mention, MentionKind};
use super::gate::Gate;
use crate::corpus::Document;
use crate::graph::OrgKind;
use crate::text::Sentence;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
}

/// "KYIV, Oct 12 (Reuters) - ", and in title case with a date or country after the place
/// ("Kyiv, Oct 12 (Reuters) - "; without one, "Pokrovsk (Donetsk region) - " is a
/// live blog's heading, not a dateline).
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\p{Lu}[\p{Lu}\s.'-]{1,40}(?:,\s*[\p{L}.]+(?:\s+\d{1,2})?){0,2}|\p{Lu}[\p{L}.'-]+(?:\s+\p{Lu}[\p{L}.'-]+){0,2}(?:,\s*[\p{L}.]+(?:\s+\d{1,2})?){1,2})\s*\(([^)]{2,40})\)\s*[-–—]\s*",
    )
    .expect("compiles")
});

static BY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^By\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){1,3})(?:,\s*(\p{Lu}[^\n]{1,39}|[^\n]{2,40}))?$")
        .expect("compiles")
});

static WRITER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){1,3})\s+is\s+(?:a|an|the)\s+(?:(\p{Lu}[\w.’'-]*(?:\s+\p{Lu}[\w.’'-]*)*?)(?:['’]s)?\s+)?(?:[a-z][\w-]*\s+){0,3}?(?:writer|reporter|correspondent|journalist|editor|contributor|columnist)(?:\s+(?:for|at|with)\s+(?:the\s+)?((?:The\s+)?\p{Lu}[\p{L}\d’'-]*(?:\s+\p{Lu}[\p{L}\d’'-]*)*))?").expect("compiles")
});

/// Every author footer names the writer's job with one of these words.
pub(crate) static WRITER_GATE: Gate = Gate::exact(&[
    "writer",
    "reporter",
    "correspondent",
    "journalist",
    "editor",
    "contributor",
    "columnist",
]);

/// A dateline names its outlet in brackets: "(Reuters)".
fn dateline(line: &str) -> Option<regex::Captures<'_>> {
    line.contains('(')
        .then(|| DATELINE.captures(line))
        .flatten()
}

/// Builds the dateline pattern now rather than on first use (see [`super::warm_up`]);
/// the byline patterns wait for a text that needs them.
pub(crate) fn warm_up() {
    LazyLock::force(&DATELINE);
}

/// The length of a wire dateline opening a sentence ("KYIV, Aug 21 (Reuters) - "), or 0.
/// It says where the report was filed, not what it claims.
pub fn dateline_len(sentence: &str) -> usize {
    if !sentence.contains('(') {
        return 0;
    }
    DATELINE.find(sentence).map_or(0, |m| m.end())
}

/// Fills in what the document's own metadata lacks from what its text states.
pub fn read_metadata(
    document: &Document,
    sentences: &[Sentence],
    mentions: &[Mention],
) -> Metadata {
    let text = &document.text;
    let mut metadata = Metadata {
        title: document.title.clone(),
        outlet: document.outlet.clone(),
        author: document.author.clone(),
        date: document.date.clone(),
    };
    if metadata.title.is_none() {
        // A first line without closing punctuation, short enough to be a headline.
        if let Some(first) = sentences.first() {
            let line = text[first.start..first.end].trim();
            let ends_open = !line.ends_with(['.', '!', '?', '"', '”', ':']);
            let single_line = !line.contains('\n') && text[first.end..].starts_with('\n');
            if ends_open && single_line && (3..=25).contains(&line.split_whitespace().count()) {
                metadata.title = Some(line.to_string());
            }
        }
    }
    for sentence in sentences {
        let line = text[sentence.start..sentence.end].trim();
        if metadata.outlet.is_none() {
            if let Some(c) = dateline(line) {
                metadata.outlet = Some(c[1].trim().to_string());
            }
        }
        if metadata.author.is_none() {
            let by_line = line.starts_with("By").then(|| BY_LINE.captures(line));
            if let Some(c) = by_line.flatten() {
                metadata.author = Some(c[1].to_string());
                // "By Jane Doe, Northline Wire" names the outlet; "By Jane Doe, security
                // correspondent" names a role.
                let outlet = c
                    .get(2)
                    .map(|m| m.as_str().trim())
                    .filter(|o| o.chars().next().is_some_and(char::is_uppercase));
                if metadata.outlet.is_none() {
                    metadata.outlet = outlet.map(str::to_string);
                }
            } else if let Some(c) = WRITER_GATE
                .may_match(line)
                .then(|| WRITER.captures(line))
                .flatten()
            {
                metadata.author = Some(c[1].to_string());
                let outlet = c.get(2).or(c.get(3)).map(|m| m.as_str().trim().to_string());
                if metadata.outlet.is_none() {
                    // Prefer the canonical name when the outlet is a known one.
                    metadata.outlet = outlet.map(|o| {
                        mentions
                            .iter()
                            .find(|m| {
                                m.kind == MentionKind::Organization(OrgKind::Outlet)
                                    && m.surface == o
                            })
                            .map(|m| m.name.clone())
                            .unwrap_or(o)
                    });
                }
            }
        }
    }
    metadata
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn metadata_of(text: &str) -> Metadata {
        let document = Document {
            id: "a.txt".into(),
            path: PathBuf::from("a.txt"),
            text: text.to_string(),
            ..Document::default()
        };
        let sentences = crate::text::split_sentences(text);
        read_metadata(&document, &sentences, &[])
    }

    #[test]
    fn writer_footers_and_bylines_give_author_and_outlet() {
        let footer = metadata_of(
            "Troops regroup near Kupiansk\n\nThe front was quiet.\n\n\
             Jane Doe is a security correspondent for Northline Wire.\n",
        );
        assert_eq!(
            footer.title.as_deref(),
            Some("Troops regroup near Kupiansk")
        );
        assert_eq!(footer.author.as_deref(), Some("Jane Doe"));
        assert_eq!(footer.outlet.as_deref(), Some("Northline Wire"));
        let staff = metadata_of("Dana Kowal is a staff writer at The Harbor Gazette, in Oslo.\n");
        assert_eq!(staff.outlet.as_deref(), Some("The Harbor Gazette"));
    }

    #[test]
    fn a_role_after_a_byline_is_not_an_outlet() {
        let byline = metadata_of("By Jane Doe, security correspondent\n\nThe front was quiet.\n");
        assert_eq!(byline.author.as_deref(), Some("Jane Doe"));
        assert_eq!(byline.outlet, None);
        let wire = metadata_of("KYIV (Reuters) - The front was quiet on Monday.\n");
        assert_eq!(wire.outlet.as_deref(), Some("Reuters"));
        let dated = "POKROVSK, Ukraine, Aug 21 (AP) — Troops pulled back.";
        assert_eq!(&dated[dateline_len(dated)..], "Troops pulled back.");
        assert_eq!(dateline_len("Troops pulled back (AP) - again."), 0);
        let dated = "Kyiv, Nov 12 (Reuters) - Troops pulled back.";
        assert_eq!(&dated[dateline_len(dated)..], "Troops pulled back.");
        assert_eq!(
            dateline_len("Pokrovsk (Donetsk region) - Troops pulled back."),
            0
        );
    }
}
