//! Exports of a graph built from a hostile corpus (quotes, newlines, markup, formulas,
//! right-to-left text in file names, titles, authors and sentences): every format parses
//! back to the same names with the tools a reader would use, spreadsheet formulas are
//! neutralised, and `--out` stays inside its folder and never overwrites without
//! `--force`.

use super::support::*;
use claimgraph::graph::{self, GraphRead, KnowledgeGraph, Label};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

const FORMULA_FILE: &str = "=HYPERLINK(\"evil.example\",\"open\").txt";
const RTL_FILE: &str = "report \u{202e}txt.exe & \"quoted\" <b>.txt";
const TITLE: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";
const AUTHOR: &str = "@SUM(1+1) O'Brien & <Co>";
const OUTLET: &str = "\u{202e}evil\u{202c} الجيش الأوكراني";
const MULTILINE_TITLE: &str = "Title with \"quotes\", <b>tags</b> & ampersands\nand a second line";
/// Metadata values are read with their whitespace collapsed.
const MULTILINE_TITLE_READ: &str =
    "Title with \"quotes\", <b>tags</b> & ampersands and a second line";

/// A temporary folder with the hostile corpus built into `g.cgraph`.
struct Built {
    dir: tempfile::TempDir,
    graph_path: PathBuf,
    graph: KnowledgeGraph,
}

fn hostile_build() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    fs::create_dir(&articles).unwrap();
    fs::write(articles.join(FORMULA_FILE), article("Kharkiv")).unwrap();
    fs::write(
        articles.join(RTL_FILE),
        "Maria Zakharova said \"<script>alert('x')</script> & more\" after 40 soldiers \
         deserted near Bakhmut.\n",
    )
    .unwrap();
    let records = [
        serde_json::json!({
            "id": "one", "title": TITLE, "author": AUTHOR, "outlet": OUTLET,
            "url": "https://example.org/?a=1&b=<2>",
            "text": article("Sumy"),
        }),
        serde_json::json!({
            "id": "two", "title": MULTILINE_TITLE, "author": "-2+3",
            "text": "+cmd|' /C calc'!A0 Governor Oleh Syniehubov said that 7 people were \
                     killed in a strike on Izyum.\n",
        }),
    ];
    let jsonl: String = records.iter().map(|r| format!("{r}\n")).collect();
    fs::write(articles.join("dump.jsonl"), jsonl).unwrap();
    if cfg!(unix) {
        fs::write(articles.join("new\nline.txt"), article("Odesa")).unwrap();
    }
    let graph_path = dir.path().join("g.cgraph");
    let out = build(&[&articles], &graph_path, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let graph = graph::load(&graph_path).unwrap();
    Built {
        dir,
        graph_path,
        graph,
    }
}

fn export(built: &Built, format: &str, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "export",
        "--graph",
        path_str(&built.graph_path),
        "--format",
        format,
        "--out",
        path_str(out),
    ];
    args.extend(extra);
    claimgraph_in(built.dir.path(), &args)
}

fn document_titles(graph: &KnowledgeGraph) -> BTreeSet<String> {
    graph
        .nodes_with_label(Label::Document)
        .into_iter()
        .filter_map(|id| match &graph.node(id).data {
            claimgraph::graph::NodeData::Document(document) => document.title.clone(),
            _ => None,
        })
        .collect()
}

fn csv_records(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], rows: &[Vec<String>], name: &str) -> Vec<String> {
    let index = header
        .iter()
        .position(|h| h == name || h.starts_with(&format!("{name}:")))
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"));
    rows.iter().map(|row| row[index].clone()).collect()
}

#[test]
fn the_hostile_corpus_keeps_its_names_in_the_graph() {
    let built = hostile_build();
    let ids: BTreeSet<String> = document_ids(&built.graph).into_iter().collect();
    assert!(
        ids.contains(FORMULA_FILE) && ids.contains(RTL_FILE),
        "{ids:?}"
    );
    assert!(ids.contains("dump.jsonl#one") && ids.contains("dump.jsonl#two"));
    let titles = document_titles(&built.graph);
    assert!(
        titles.contains(TITLE) && titles.contains(MULTILINE_TITLE_READ),
        "{titles:?}"
    );
    assert!(
        ids.contains("new\nline.txt") || !cfg!(unix),
        "a newline in a file name"
    );
    assert!(built.graph.lookup("zakharova").len() == 1);
}

#[test]
fn csv_neutralises_formulas_and_reads_back_to_the_same_names() {
    let built = hostile_build();
    let out = built.dir.path().join("csv");
    let run = export(&built, "csv", &out, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    for file in ["nodes.csv", "edges.csv"] {
        let (_, rows) = csv_records(&out.join(file));
        for cell in rows.iter().flatten() {
            let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            assert!(
                !risky || cell.parse::<f64>().is_ok(),
                "{file}: a spreadsheet would run {cell:?}"
            );
        }
    }
    let (header, rows) = csv_records(&out.join("nodes.csv"));
    let labels = column(&header, &rows, "label");
    let names = column(&header, &rows, "name");
    let titles = column(&header, &rows, "title");
    let authors = column(&header, &rows, "author");
    // Taking the apostrophe off a neutralised cell gives back the name as written.
    let restore = |cell: &String| match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => cell.clone(),
    };
    let documents: Vec<usize> = (0..rows.len())
        .filter(|i| labels[*i] == "Document")
        .collect();
    let csv_ids: Vec<String> = documents.iter().map(|i| restore(&names[*i])).collect();
    assert_eq!(
        csv_ids.iter().cloned().collect::<BTreeSet<_>>(),
        document_ids(&built.graph)
            .into_iter()
            .collect::<BTreeSet<_>>()
    );
    let csv_titles: BTreeSet<String> = documents
        .iter()
        .map(|i| restore(&titles[*i]))
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(csv_titles, document_titles(&built.graph));
    assert!(names.contains(&format!("'{FORMULA_FILE}")), "{names:?}");
    assert!(titles.contains(&format!("'{TITLE}")));
    assert!(authors.contains(&format!("'{AUTHOR}")));
    assert!(authors.contains(&"'-2+3".to_string()));
}

#[test]
fn graphml_parses_with_every_node_edge_and_name() {
    let built = hostile_build();
    let out = built.dir.path().join("g.graphml");
    let run = export(&built, "graphml", &out, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let xml = fs::read_to_string(&out).unwrap();
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let elements = |name: &str| {
        document
            .descendants()
            .filter(|n| n.has_tag_name(name))
            .collect::<Vec<_>>()
    };
    assert_eq!(elements("node").len(), built.graph.node_count());
    assert_eq!(elements("edge").len(), built.graph.edge_count());
    let data = |key: &str| -> BTreeSet<String> {
        elements("data")
            .into_iter()
            .filter(|d| d.attribute("key") == Some(key))
            .map(|d| d.text().unwrap_or_default().to_string())
            .collect()
    };
    let ids: BTreeSet<String> = document_ids(&built.graph).into_iter().collect();
    assert!(
        ids.is_subset(&data("name")),
        "document names read back exactly"
    );
    assert_eq!(data("title"), document_titles(&built.graph));
    assert!(data("author").contains(AUTHOR) && data("outlet").contains(OUTLET));
}

#[test]
fn dot_renders_with_graphviz_and_keeps_one_statement_per_line() {
    let built = hostile_build();
    let out = built.dir.path().join("pictures/");
    let run = export(&built, "dot", &out, &["--render", "svg"]);
    let dot_file = out.join("graph.dot");
    let dot = fs::read_to_string(&dot_file).unwrap();
    for line in dot.lines().filter(|l| l.trim_start().starts_with('n')) {
        assert!(
            line.trim_end().ends_with("];"),
            "statement split over lines: {line}"
        );
    }
    if !graphviz_installed() {
        assert_eq!(run.status.code(), Some(1));
        assert!(
            stderr(&run).contains("apt-get install graphviz"),
            "{}",
            stderr(&run)
        );
        return;
    }
    assert!(run.status.success(), "{}", stderr(&run));
    let svg = fs::read_to_string(out.join("graph.svg")).unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let picture =
        roxmltree::Document::parse_with_options(&svg, options).expect("the SVG is well-formed");
    assert!(picture.root_element().has_tag_name("svg"));
    let drawn_nodes = picture
        .descendants()
        .filter(|n| n.attribute("class") == Some("node"))
        .count();
    assert!(
        drawn_nodes >= built.graph.node_count(),
        "{drawn_nodes} nodes drawn"
    );
    assert!(svg.contains("Zakharova"));
}

fn graphviz_installed() -> bool {
    std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn render_without_graphviz_says_how_to_install_it() {
    let built = hostile_build();
    let empty_path = built.dir.path().join("no-programs");
    fs::create_dir(&empty_path).unwrap();
    let out = built.dir.path().join("graph.dot");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_claimgraph"))
        .env("PATH", &empty_path)
        .args([
            "export",
            "--graph",
            path_str(&built.graph_path),
            "--format",
            "dot",
        ])
        .args(["--out", path_str(&out), "--render", "png"])
        .output()
        .unwrap();
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(
        err.contains("Graphviz is not installed, so no png was drawn")
            && err.contains("apt-get install graphviz")
            && err.contains(&format!("dot -Tpng {}", out.display())),
        "{err}"
    );
    assert!(out.is_file(), "the DOT file is still written");

    let run = export(
        &built,
        "csv",
        &built.dir.path().join("c"),
        &["--render", "svg"],
    );
    assert!(
        stderr(&run).contains("use it with --format dot"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn database_import_files_keep_names_exactly_and_out_of_the_scripts() {
    let built = hostile_build();
    let ids: BTreeSet<String> = document_ids(&built.graph).into_iter().collect();
    for (format, document_file) in [("neo4j", "document.csv"), ("kuzu", "node_document.csv")] {
        let out = built.dir.path().join(format);
        let run = export(&built, format, &out, &[]);
        assert!(run.status.success(), "{}", stderr(&run));
        let mut rows_total = 0;
        for entry in fs::read_dir(&out).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "csv") {
                let (header, rows) = csv_records(&path);
                assert!(
                    rows.iter().all(|r| r.len() == header.len()),
                    "{}",
                    path.display()
                );
                rows_total += rows.len();
            } else {
                // Scripts hold fixed identifiers and file names only, never node names.
                let script = fs::read_to_string(&path).unwrap();
                for hostile in ["HYPERLINK", "<script>", "\u{202e}", "Zakharova"] {
                    assert!(!script.contains(hostile), "{}: {hostile}", path.display());
                }
            }
        }
        assert_eq!(
            rows_total,
            built.graph.node_count() + built.graph.edge_count(),
            "{format}: every node and edge is one row"
        );
        let (header, rows) = csv_records(&out.join(document_file));
        let names: BTreeSet<String> = column(&header, &rows, "id").into_iter().collect();
        assert_eq!(
            names, ids,
            "{format}: ids read back exactly, not neutralised"
        );
    }
}

/// Every file under `root`, as paths relative to it.
fn files_under(root: &Path) -> BTreeSet<PathBuf> {
    walkdir(root)
        .into_iter()
        .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
        .collect()
}

fn walkdir(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                found.push(entry.path());
            }
        }
    }
    found
}

#[test]
fn out_stays_in_its_folder_and_never_overwrites_without_force() {
    let built = hostile_build();
    let root = built.dir.path();
    let before = files_under(root);

    // A focus is a name to look up, never a path: a hostile one finds nothing.
    let out = root.join("focus");
    let run = export(&built, "csv", &out, &["--focus", "../../../outside"]);
    assert!(stderr(&run).contains("no entity or topic '../../../outside'"));
    assert_eq!(files_under(root), before, "nothing written");

    // A focus on a document with a hostile name writes the fixed file names only.
    let run = export(&built, "kuzu", &out, &["--focus", RTL_FILE, "--depth", "1"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let written: Vec<PathBuf> = files_under(root).difference(&before).cloned().collect();
    assert!(!written.is_empty());
    for path in &written {
        assert!(
            path.starts_with("focus"),
            "{} is outside --out",
            path.display()
        );
        let name = path.file_name().unwrap().to_string_lossy();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.'),
            "{name}"
        );
    }

    // Existing files are refused by name and left alone; --force replaces them.
    let csv_out = root.join("tables");
    assert!(export(&built, "csv", &csv_out, &[]).status.success());
    fs::write(csv_out.join("nodes.csv"), "my edits").unwrap();
    let again = export(&built, "csv", &csv_out, &[]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("nodes.csv already exists; pass --force"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        fs::read_to_string(csv_out.join("nodes.csv")).unwrap(),
        "my edits"
    );

    // A symbolic link planted where an export file goes is replaced, not followed.
    #[cfg(unix)]
    {
        let victim = root.join("victim.txt");
        fs::write(&victim, "precious").unwrap();
        fs::remove_file(csv_out.join("edges.csv")).unwrap();
        std::os::unix::fs::symlink(&victim, csv_out.join("edges.csv")).unwrap();
        assert_eq!(export(&built, "csv", &csv_out, &[]).status.code(), Some(1));
        let forced = export(&built, "csv", &csv_out, &["--force"]);
        assert!(forced.status.success(), "{}", stderr(&forced));
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert!(!csv_out
            .join("edges.csv")
            .symlink_metadata()
            .unwrap()
            .is_symlink());
    }
    assert!(fs::read_to_string(csv_out.join("nodes.csv"))
        .unwrap()
        .starts_with("id,label,name"));

    // The picture is checked before anything is written.
    let dot_out = root.join("pic");
    fs::create_dir(&dot_out).unwrap();
    fs::write(dot_out.join("graph.svg"), "mine").unwrap();
    let run = export(&built, "dot", &dot_out, &["--render", "svg"]);
    assert!(
        stderr(&run).contains("graph.svg already exists; pass --force"),
        "{}",
        stderr(&run)
    );
    assert!(!dot_out.join("graph.dot").exists());
}

/// A picture of thousands of nodes is refused before Graphviz spends minutes on it: the
/// DOT file is written, and the error says how to narrow the export or draw it anyway.
/// A focus small enough is drawn (or, without Graphviz, refused for that reason only).
#[test]
fn render_refuses_a_selection_too_big_to_draw() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    claimgraph::corpus::synth::write_corpus(&articles, 200, 4).unwrap();
    let graph_path = dir.path().join("g.cgraph");
    let out = build(&[&articles], &graph_path, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let graph = graph::load(&graph_path).unwrap();
    assert!(graph.node_count() > claimgraph::export::MAX_DRAWN_NODES);
    let built = Built {
        dir,
        graph_path,
        graph,
    };

    let dot_file = built.dir.path().join("all.dot");
    let run = export(&built, "dot", &dot_file, &["--render", "svg"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{} nodes are too many to draw",
            built.graph.node_count()
        )) && err.contains(&format!("sfdp -Tsvg {}", dot_file.display())),
        "{err}"
    );
    assert!(dot_file.is_file(), "the DOT file is still written");
    assert!(!built.dir.path().join("all.svg").exists());

    // One person's neighbourhood is small enough.
    let small = built.dir.path().join("small.dot");
    let person = &built
        .graph
        .node(built.graph.nodes_with_label(Label::Person)[0])
        .name;
    let run = export(
        &built,
        "dot",
        &small,
        &["--focus", person, "--depth", "1", "--render", "svg"],
    );
    let err = stderr(&run);
    assert!(!err.contains("too many to draw"), "{err}");
    assert!(small.is_file());
}
