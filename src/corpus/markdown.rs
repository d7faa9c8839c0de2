//! Markdown articles: optional front matter between `---` lines, then the body.
//!
//! Only the flat `key: value` form of front matter is read (title, outlet, author,
//! date, url, plus a few common synonyms); the body is kept as written so offsets
//! stay simple and Markdown syntax does little harm to sentence splitting.

use super::{clean_value, Metadata};

/// Splits a Markdown file into its front matter metadata and its body.
///
/// Without a closing `---` line the whole file is body: an opening rule alone is a
/// thematic break, not front matter.
pub(crate) fn parse(source: &str) -> (Metadata, &str) {
    let mut metadata = Metadata::default();
    let Some(rest) = strip_fence_line(source) else {
        return (metadata, source);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        if content.trim_end() == "---" || content.trim_end() == "..." {
            let body = &rest[offset + line.len()..];
            return (metadata, body);
        }
        if let Some((key, value)) = content.split_once(':') {
            let value = unquote(value.trim());
            let slot = match key.trim().to_ascii_lowercase().as_str() {
                "title" | "headline" => &mut metadata.title,
                "outlet" | "source" | "publisher" | "site" => &mut metadata.outlet,
                "author" | "byline" => &mut metadata.author,
                "date" | "published" => &mut metadata.date,
                "url" | "link" | "canonical" => &mut metadata.url,
                _ => {
                    offset += line.len();
                    continue;
                }
            };
            if slot.is_none() {
                *slot = clean_value(value);
            }
        }
        offset += line.len();
    }
    (Metadata::default(), source)
}

/// The text after a first line that is exactly `---`, if there is one.
fn strip_fence_line(source: &str) -> Option<&str> {
    let rest = source.strip_prefix("---")?;
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix('\n')
}

/// Removes one pair of matching surrounding quotes.
fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_fills_metadata_and_body_follows() {
        let source = "---\ntitle: \"Deserters: a report\"\noutlet: 'Kyiv Daily'\nauthor: Jane Roe\ndate: 2024-11-02\nurl: https://example.org/a\ntags: war\n---\nBody text here.\n";
        let (metadata, body) = parse(source);
        assert_eq!(metadata.title.as_deref(), Some("Deserters: a report"));
        assert_eq!(metadata.outlet.as_deref(), Some("Kyiv Daily"));
        assert_eq!(metadata.author.as_deref(), Some("Jane Roe"));
        assert_eq!(metadata.date.as_deref(), Some("2024-11-02"));
        assert_eq!(metadata.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(body, "Body text here.\n");
    }

    #[test]
    fn no_front_matter_keeps_everything() {
        let source = "# Heading\n\nSome text: with a colon.\n";
        let (metadata, body) = parse(source);
        assert_eq!(metadata, Metadata::default());
        assert_eq!(body, source);
    }

    #[test]
    fn unclosed_front_matter_is_body() {
        let source = "---\ntitle: Not really\nMore text.\n";
        let (metadata, body) = parse(source);
        assert_eq!(metadata, Metadata::default());
        assert_eq!(body, source);
    }

    #[test]
    fn empty_values_are_none_and_keys_are_case_insensitive() {
        let (metadata, body) = parse("---\nTitle:   \nAuthor: A. Writer\n---\nText.");
        assert_eq!(metadata.title, None);
        assert_eq!(metadata.author.as_deref(), Some("A. Writer"));
        assert_eq!(body, "Text.");
    }

    #[test]
    fn markdown_file_is_read_through_the_corpus() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            "---\r\ntitle: Retreat\r\n---\r\nThe unit left.\r\n",
        )
        .unwrap();
        let corpus = super::super::read_corpus(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(corpus.documents[0].title.as_deref(), Some("Retreat"));
        assert_eq!(corpus.documents[0].text, "The unit left.\n");
    }

    #[test]
    fn front_matter_without_body_is_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\ntitle: Only a title\n---\n\n").unwrap();
        let corpus = super::super::read_corpus(&[dir.path().to_path_buf()]).unwrap();
        assert!(corpus.documents.is_empty());
        assert!(corpus.problems[0].skipped);
    }
}
