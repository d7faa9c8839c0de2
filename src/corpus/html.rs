//! HTML pages saved from a browser: the visible text of the body and the metadata in
//! the head.
//!
//! Parsing is done by html5ever (through `scraper`), which follows the HTML standard's
//! error recovery, so any bytes produce a tree. The tree is walked with an explicit
//! open/close edge iterator rather than recursion, so deeply nested markup cannot
//! overflow the stack.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::{clean_value, Metadata};

/// Elements whose content is not article text: page furniture, code, hidden parts.
const SKIPPED: &[&str] = &[
    "aside", "button", "footer", "head", "header", "iframe", "nav", "noscript", "script", "select",
    "style", "svg", "template", "textarea",
];

/// Elements that start a new paragraph: their text is separated by a blank line.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
];

/// Table cells are separated by a space so neighbouring cells do not run together.
const CELLS: &[&str] = &["td", "th"];

/// How deep elements may nest before a page is skipped. WebKit's parser stops nesting at
/// the same depth; html5ever has no limit and scans its stack of open elements for many
/// tags, so a page of 100,000 nested `<div>`s takes time quadratic in its depth.
pub(crate) const MAX_NESTING: usize = 512;

/// Elements that never have content, so they never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose content is raw text: a `<` inside them is not a tag.
const RAW_TEXT: &[&str] = &[
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
];

/// Elements a parser closes when the same element starts again (`<li>a<li>b`), so
/// unclosed ones do not nest.
const SELF_CLOSING_SIBLINGS: &[&str] = &[
    "a", "dd", "dt", "li", "option", "p", "rb", "rp", "rt", "td", "th", "tr",
];

/// Whether the page nests elements deeper than `limit`, by a single linear scan of its
/// tags. It approximates the parser's stack (end tags close the nearest matching open
/// element a few levels down, unknown end tags are ignored) and errs towards a smaller
/// depth, so ordinary sloppy markup is never refused.
pub(crate) fn nests_deeper_than(source: &str, limit: usize) -> bool {
    let bytes = source.as_bytes();
    let lower = |range: std::ops::Range<usize>| source[range].to_ascii_lowercase();
    let mut stack: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(offset) = memchr(b'<', &bytes[i..]) {
        i += offset + 1;
        let rest = &bytes[i..];
        if rest.starts_with(b"!--") {
            i = find(bytes, i + 3, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = i + usize::from(closing);
        let name_end = name_start
            + bytes[name_start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
                .count();
        let tag_end = memchr(b'>', &bytes[name_end..]).map_or(bytes.len(), |o| name_end + o);
        if name_end == name_start || !bytes[name_start].is_ascii_alphabetic() {
            // `<!DOCTYPE`, `<?xml`, or a lone `<` in text.
            continue;
        }
        let name = lower(name_start..name_end);
        i = (tag_end + 1).min(bytes.len());
        if closing {
            let nearest = stack.iter().rev().take(16).position(|open| *open == name);
            if let Some(depth) = nearest {
                stack.truncate(stack.len() - depth - 1);
            }
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) {
            let end_tag = format!("</{name}");
            i = find_ignoring_case(source, i, &end_tag).unwrap_or(bytes.len());
            continue;
        }
        let self_closed = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        if VOID.contains(&name.as_str()) || self_closed {
            continue;
        }
        if SELF_CLOSING_SIBLINGS.contains(&name.as_str()) && stack.last() == Some(&name) {
            stack.pop();
        }
        stack.push(name);
        if stack.len() > limit {
            return true;
        }
    }
    false
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|b| *b == needle)
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|offset| from + offset)
}

fn find_ignoring_case(haystack: &str, from: usize, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .get(from..)?
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
        .map(|offset| from + offset)
}

/// Returns the page's metadata and its visible body text, one paragraph per line with
/// a blank line between paragraphs.
pub(crate) fn parse(source: &str) -> (Metadata, String) {
    let document = Html::parse_document(source);
    (metadata(&document), visible_text(&document))
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Pending {
    Nothing,
    Space,
    Paragraph,
}

/// Collects text with HTML whitespace rules: runs of whitespace become one space, and
/// block boundaries become one blank line, never doubled and never at either end.
struct TextWriter {
    out: String,
    pending: Pending,
}

impl TextWriter {
    fn request(&mut self, wanted: Pending) {
        self.pending = self.pending.max(wanted);
    }

    fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.request(Pending::Space);
                continue;
            }
            if !self.out.is_empty() {
                match self.pending {
                    Pending::Paragraph => self.out.push_str("\n\n"),
                    Pending::Space => self.out.push(' '),
                    Pending::Nothing => {}
                }
            }
            self.pending = Pending::Nothing;
            self.out.push(c);
        }
    }
}

fn visible_text(document: &Html) -> String {
    let mut writer = TextWriter {
        out: String::new(),
        pending: Pending::Nothing,
    };
    // The node whose subtree is being skipped; nothing inside it is visible.
    let mut skipping = None;
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(text) => writer.push_text(text),
                    Node::Element(element) => {
                        let name = element.name();
                        if SKIPPED.contains(&name) || element.attr("hidden").is_some() {
                            skipping = Some(node.id());
                        } else if BLOCKS.contains(&name) {
                            writer.request(Pending::Paragraph);
                        } else if CELLS.contains(&name) {
                            writer.request(Pending::Space);
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                } else if skipping.is_none() {
                    if let Node::Element(element) = node.value() {
                        if BLOCKS.contains(&element.name()) {
                            writer.request(Pending::Paragraph);
                        } else if CELLS.contains(&element.name()) {
                            writer.request(Pending::Space);
                        }
                    }
                }
            }
        }
    }
    writer.out
}

fn metadata(document: &Html) -> Metadata {
    let mut metadata = Metadata::default();
    let mut og_title = None;
    let mut og_url = None;
    let mut canonical = None;
    for node in document.tree.root().descendants() {
        let Node::Element(element) = node.value() else {
            continue;
        };
        match element.name() {
            "title" if metadata.title.is_none() => {
                let text: String = node
                    .children()
                    .filter_map(|child| child.value().as_text().map(|t| &**t))
                    .collect();
                metadata.title = clean_value(&text);
            }
            "meta" => {
                let key = element
                    .attr("property")
                    .or_else(|| element.attr("name"))
                    .or_else(|| element.attr("itemprop"))
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let Some(value) = element.attr("content").and_then(clean_value) else {
                    continue;
                };
                let slot = match key.as_str() {
                    "author" => &mut metadata.author,
                    "og:site_name" => &mut metadata.outlet,
                    "article:published_time" | "date" | "datepublished" | "pubdate" => {
                        &mut metadata.date
                    }
                    "og:url" => &mut og_url,
                    "og:title" => &mut og_title,
                    _ => continue,
                };
                if slot.is_none() {
                    *slot = Some(value);
                }
            }
            "link" if canonical.is_none() => {
                let is_canonical = element.attr("rel").is_some_and(|rel| {
                    rel.split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                });
                if is_canonical {
                    canonical = element.attr("href").and_then(clean_value);
                }
            }
            _ => {}
        }
    }
    metadata.title = metadata.title.or(og_title);
    metadata.url = og_url.or(canonical);
    metadata
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!DOCTYPE html>
<html><head>
<title>  Troops   withdraw &amp; regroup </title>
<meta name="author" content="Jane Roe">
<meta property="og:site_name" content="Kyiv Daily">
<meta property="article:published_time" content="2024-11-02T10:00:00Z">
<link rel="canonical" href="https://example.org/canonical">
<meta property="og:url" content="https://example.org/og">
<style>p { color: red }</style>
</head><body>
<header><h1>Site banner</h1></header>
<nav><a href="/">Home</a></nav>
<article>
<h2>The   headline</h2>
<p>First paragraph with <b>bold</b> and <a href="#">a link</a>.</p>
<p>Second&nbsp;paragraph &ldquo;quoted&rdquo; &mdash; done.<br>After a break.</p>
<script>var hidden = "not text";</script>
<noscript>Enable scripts</noscript>
<ul><li>One item</li><li>Two item</li></ul>
<table><tr><td>cell a</td><td>cell b</td></tr></table>
<div hidden>invisible</div>
</article>
<aside>Related stories</aside>
<footer>Copyright</footer>
</body></html>"##;

    #[test]
    fn visible_text_has_one_paragraph_per_block() {
        // A no-break space becomes a plain space so later stages see one kind of gap.
        let (_, text) = parse(PAGE);
        assert_eq!(
            text,
            "The headline\n\nFirst paragraph with bold and a link.\n\n\
             Second paragraph \u{201c}quoted\u{201d} \u{2014} done.\n\nAfter a break.\n\n\
             One item\n\nTwo item\n\ncell a cell b"
        );
    }

    #[test]
    fn metadata_comes_from_head() {
        let (metadata, _) = parse(PAGE);
        assert_eq!(metadata.title.as_deref(), Some("Troops withdraw & regroup"));
        assert_eq!(metadata.author.as_deref(), Some("Jane Roe"));
        assert_eq!(metadata.outlet.as_deref(), Some("Kyiv Daily"));
        assert_eq!(metadata.date.as_deref(), Some("2024-11-02T10:00:00Z"));
        assert_eq!(metadata.url.as_deref(), Some("https://example.org/og"));
    }

    #[test]
    fn canonical_link_and_meta_date_are_fallbacks() {
        let page = r#"<html><head><meta name="date" content="2023-01-05">
            <link rel="canonical" href="https://example.org/c"><meta property="og:title" content="OG title">
            </head><body><p>Text.</p></body></html>"#;
        let (metadata, text) = parse(page);
        assert_eq!(metadata.date.as_deref(), Some("2023-01-05"));
        assert_eq!(metadata.url.as_deref(), Some("https://example.org/c"));
        assert_eq!(metadata.title.as_deref(), Some("OG title"));
        assert_eq!(text, "Text.");
    }

    #[test]
    fn broken_markup_still_yields_text() {
        let (_, text) = parse("<p>Unclosed <b>bold <i>and italic<p>Next &amp more &#x41;&#66;");
        assert_eq!(text, "Unclosed bold and italic\n\nNext & more AB");
    }

    #[test]
    fn deeply_nested_divs_do_not_overflow_the_stack() {
        let depth = 5_000;
        let mut page = String::from("<html><body>");
        page.push_str(&"<div>".repeat(depth));
        page.push_str("Deep text.");
        page.push_str(&"</div>".repeat(depth));
        page.push_str("<p>After.</p></body></html>");
        let (_, text) = parse(&page);
        assert_eq!(text, "Deep text.\n\nAfter.");
    }

    #[test]
    fn nesting_depth_is_measured_like_a_parser_would() {
        let nested = |depth: usize, tag: &str| {
            format!(
                "<html><body>{}text{}</body></html>",
                format!("<{tag}>").repeat(depth),
                format!("</{tag}>").repeat(depth)
            )
        };
        assert!(!nests_deeper_than(&nested(400, "div"), MAX_NESTING));
        assert!(nests_deeper_than(&nested(600, "div"), MAX_NESTING));
        assert!(nests_deeper_than(&nested(600, "b"), MAX_NESTING));
        // Siblings, void elements, unclosed paragraphs and list items, comments and
        // scripts do not add depth.
        let flat = format!(
            "<!DOCTYPE html><html><body>{}{}{}<ul>{}</ul><!-- {} --><script>{}</script></body></html>",
            "<div>x</div>".repeat(2_000),
            "<br><img src=x><input/>".repeat(2_000),
            "<p>para".repeat(2_000),
            "<li>item".repeat(2_000),
            "<div>".repeat(2_000),
            "if (a <b) { x = '<div>'; }".repeat(2_000),
        );
        assert!(!nests_deeper_than(&flat, MAX_NESTING));
        assert!(!nests_deeper_than(PAGE, 10));
        assert!(!nests_deeper_than("<<<</ <a <", 1));
    }

    #[test]
    fn html_file_is_read_through_the_corpus() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("page.htm"), PAGE).unwrap();
        std::fs::write(
            dir.path().join("furniture.html"),
            "<html><body><nav>Menu</nav><script>x()</script></body></html>",
        )
        .unwrap();
        let corpus = super::super::read_corpus(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(corpus.documents.len(), 1);
        assert_eq!(corpus.documents[0].id, "page.htm");
        assert_eq!(corpus.documents[0].outlet.as_deref(), Some("Kyiv Daily"));
        assert_eq!(corpus.problems.len(), 1);
        assert_eq!(corpus.problems[0].path, dir.path().join("furniture.html"));
        assert!(corpus.problems[0].skipped);
    }
}
