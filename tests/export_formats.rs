//! Every export format on a graph with hostile names: the files parse back with the
//! tools a user would read them with, and no name breaks their syntax.

mod export_support;

use claimgraph::export::{export, render, ExportFormat, ExportOptions, OutputFile, Selection};
use claimgraph::graph::{GraphRead, Label, RelType};
use export_support::*;
use std::collections::HashMap;

fn files(format: ExportFormat) -> (Fixture, Vec<OutputFile>) {
    let fixture = hostile_graph();
    let files = render(&fixture.graph, &Selection::all(&fixture.graph), format).unwrap();
    (fixture, files)
}

fn text<'a>(files: &'a [OutputFile], name: &str) -> &'a str {
    let file = files
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", names(files)));
    std::str::from_utf8(&file.contents).unwrap()
}

fn names(files: &[OutputFile]) -> Vec<&str> {
    files.iter().map(|f| f.name.as_str()).collect()
}

/// The rows of a CSV file as maps from header to cell.
fn csv_rows(data: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(data.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            headers
                .iter()
                .cloned()
                .zip(record.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn row_with<'a>(
    rows: &'a [HashMap<String, String>],
    column: &str,
    value: &str,
) -> &'a HashMap<String, String> {
    rows.iter()
        .find(|row| row[column] == value)
        .unwrap_or_else(|| panic!("no row with {column} = {value}"))
}

#[test]
fn csv_cells_read_back_with_formulas_neutralised() {
    let (fixture, files) = files(ExportFormat::Csv);
    assert_eq!(names(&files), ["nodes.csv", "edges.csv"]);
    let nodes = csv_rows(text(&files, "nodes.csv"));
    assert_eq!(nodes.len(), fixture.graph.node_count());

    let person = row_with(&nodes, "id", &key(fixture.person));
    assert_eq!(person["label"], "Person");
    assert_eq!(person["name"], PERSON_NAME);
    assert_eq!(
        person["aliases"],
        format!("'{FORMULA}; {HEBREW}; alias;with;semicolons")
    );
    assert_eq!(person["roles"], "regional governor; -spokesman");

    let document = row_with(&nodes, "id", &key(fixture.document));
    assert_eq!(document["title"], format!("'{FORMULA}"));
    assert_eq!(document["outlet"], ARABIC);
    assert_eq!(document["author"], "O'Brien & <Co>\r\nline two");

    let unit = row_with(&nodes, "id", &key(fixture.unit));
    assert_eq!(unit["name"], UNIT_NAME);

    let casualties = row_with(&nodes, "id", &key(fixture.casualties));
    assert_eq!(
        casualties["quantity"], "-3.5",
        "a plain number stays a number"
    );
    assert_eq!(casualties["low"], "-3.5");
    assert_eq!(casualties["hedged"], "true");

    let edges = csv_rows(text(&files, "edges.csv"));
    assert_eq!(edges.len(), fixture.graph.edge_count());
    let reported = row_with(&edges, "type", "REPORTED");
    assert_eq!(reported["source"], key(fixture.person));
    assert_eq!(reported["target"], key(fixture.desertion));
    assert_eq!(reported["rule"], "'=cmd|' /C calc'!A0");
    let affiliated = row_with(&edges, "type", "AFFILIATED_WITH");
    assert_eq!(affiliated["role"], "commander, \"acting\"");
}

#[test]
fn csv_has_one_column_per_property() {
    let (_, files) = files(ExportFormat::Csv);
    let nodes = text(&files, "nodes.csv");
    let header = nodes.lines().next().unwrap();
    assert!(header.starts_with("id,label,name,"));
    for label in Label::ALL {
        for property in label.property_names() {
            if *property != "id" {
                assert!(header.split(',').any(|c| c == *property), "{property}");
            }
        }
    }
    let edges = text(&files, "edges.csv");
    let header = edges.lines().next().unwrap();
    assert!(header.starts_with("source,target,type,"));
    assert!(header.contains("first_offset") && header.contains("order"));
}

#[test]
fn dot_keeps_every_statement_on_one_line_with_balanced_quotes() {
    let (fixture, files) = files(ExportFormat::Dot);
    let dot = text(&files, "graph.dot");
    assert!(dot.starts_with("// ") && dot.trim_end().ends_with('}'));
    let mut node_lines = 0;
    let mut edge_lines = 0;
    for line in dot.lines() {
        let unescaped_quotes = line
            .char_indices()
            .filter(|(i, c)| *c == '"' && !is_escaped(line, *i))
            .count();
        assert_eq!(unescaped_quotes % 2, 0, "unbalanced quotes in {line}");
        let trimmed = line.trim_start();
        if trimmed.starts_with('n') && trimmed.contains(" [label=") {
            assert!(
                trimmed.ends_with("];"),
                "statement split over lines: {line}"
            );
            if trimmed.contains(" -> ") {
                edge_lines += 1;
            } else {
                node_lines += 1;
            }
        }
    }
    assert_eq!(node_lines, fixture.graph.node_count());
    assert_eq!(edge_lines, fixture.graph.edge_count());
    // Names are escaped, not dropped; the claim shows its topic and figure, not the
    // sentence, and long names are cut.
    assert!(dot.contains("Said \\\"Sam\\\" O'Neil \\\\ back\\nslash <b>&amp;amp;"));
    assert!(dot.contains(HEBREW) || dot.contains(ARABIC) || dot.contains("Київ"));
    assert!(dot.contains(&format!(
        "{} [label=\"desertion\\nmore than 4,500\"",
        key(fixture.desertion)
    )));
    assert!(dot.contains("subgraph cluster_legend"));
    assert!(dot.contains(&format!(
        "{} -> {} [label=\"LOCATED_IN\"];",
        key(fixture.kyiv),
        key(fixture.ukraine)
    )));
}

/// Whether the character at `index` is preceded by an odd number of backslashes.
fn is_escaped(line: &str, index: usize) -> bool {
    line[..index]
        .chars()
        .rev()
        .take_while(|c| *c == '\\')
        .count()
        % 2
        == 1
}

#[test]
fn dot_output_is_deterministic() {
    let (_, first) = files(ExportFormat::Dot);
    let (_, second) = files(ExportFormat::Dot);
    assert_eq!(first, second);
}

#[test]
fn graphml_is_well_formed_typed_and_complete() {
    let (fixture, files) = files(ExportFormat::Graphml);
    let xml = text(&files, "graph.graphml");
    let document = roxmltree::Document::parse(xml).expect("well-formed XML");
    let root = document.root_element();
    let keys: HashMap<&str, (&str, &str, &str)> = root
        .children()
        .filter(|n| n.has_tag_name("key"))
        .map(|n| {
            (
                n.attribute("id").unwrap(),
                (
                    n.attribute("for").unwrap(),
                    n.attribute("attr.name").unwrap(),
                    n.attribute("attr.type").unwrap(),
                ),
            )
        })
        .collect();
    assert_eq!(keys["label"], ("node", "label", "string"));
    assert_eq!(keys["lat"], ("node", "lat", "double"));
    assert_eq!(keys["hedged"], ("node", "hedged", "boolean"));
    assert_eq!(keys["sentence"], ("node", "sentence", "long"));
    assert_eq!(keys["e_type"], ("edge", "type", "string"));
    assert_eq!(keys["e_count"], ("edge", "count", "long"));

    let nodes: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("node"))
        .collect();
    let edges: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("edge"))
        .collect();
    assert_eq!(nodes.len(), fixture.graph.node_count());
    assert_eq!(edges.len(), fixture.graph.edge_count());

    let data = |id: &str, key: &str| -> Option<String> {
        nodes
            .iter()
            .find(|n| n.attribute("id") == Some(id))?
            .children()
            .find(|d| d.attribute("key") == Some(key))
            .map(|d| d.text().unwrap_or("").to_string())
    };
    assert_eq!(
        data(&key(fixture.person), "name").as_deref(),
        Some(PERSON_NAME)
    );
    assert_eq!(
        data(&key(fixture.person), "label").as_deref(),
        Some("Person")
    );
    // The control character is dropped, the rest kept.
    assert_eq!(
        data(&key(fixture.organization), "name").as_deref(),
        Some("Ministry <of> Defence & Co")
    );
    assert_eq!(
        data(&key(fixture.document), "author").as_deref(),
        Some("O'Brien & <Co>\r\nline two")
    );
    assert_eq!(data(&key(fixture.kyiv), "lat").as_deref(), Some("50.45"));
}

#[test]
fn neo4j_files_have_typed_headers_and_an_import_command() {
    let (fixture, files) = files(ExportFormat::Neo4j);
    let person = text(&files, "person.csv");
    assert_eq!(
        person.lines().next().unwrap(),
        "_key:ID,name:string,aliases:string[],roles:string[],:LABEL"
    );
    let place = text(&files, "place.csv");
    assert_eq!(
        place.lines().next().unwrap(),
        "_key:ID,name:string,aliases:string[],kind:string,country:string,lat:double,lon:double,:LABEL"
    );
    let mentioned = text(&files, "mentioned_in.csv");
    assert_eq!(
        mentioned.lines().next().unwrap(),
        ":START_ID,:END_ID,:TYPE,count:long,first_offset:long"
    );
    assert!(text(&files, "claim.csv").starts_with("_key:ID,name:string,text:string,"));

    // An alias contains ';', so the array delimiter moves to '|' and says so.
    let rows = csv_rows(person);
    let row = row_with(&rows, "_key:ID", &key(fixture.person));
    assert_eq!(
        row["aliases:string[]"],
        format!("{FORMULA}|{HEBREW}|alias;with;semicolons"),
        "import files are data, not spreadsheets: no apostrophes"
    );
    let readme = text(&files, "README.txt");
    assert!(readme.contains("neo4j-admin database import full --nodes=Document=document.csv"));
    assert!(readme.contains("--relationships=MENTIONED_IN=mentioned_in.csv"));
    assert!(readme.contains("--array-delimiter=\"|\""));
    for label in [Label::Person, Label::Claim, Label::Place] {
        assert!(readme.contains(&format!("--nodes={label}=")), "{label}");
    }
}

#[test]
fn kuzu_bundle_declares_every_label_and_loads_every_file() {
    let (fixture, files) = files(ExportFormat::Kuzu);
    let schema = text(&files, "schema.cypher");
    for label in Label::ALL {
        assert!(
            schema.contains(&format!(
                "CREATE NODE TABLE {label}(`_key` STRING, `name` STRING"
            )),
            "{label}"
        );
    }
    for rel in RelType::ALL {
        assert!(
            schema.contains(&format!("CREATE REL TABLE {rel}(FROM ")),
            "{rel}"
        );
    }
    assert!(schema.contains("`aliases` STRING[]"));
    assert!(schema.contains("`end` INT64"));
    let load = text(&files, "load.cypher");
    for file in &files {
        if file.name.ends_with(".csv") {
            assert!(
                load.contains(&format!("\"{}\"", file.name)),
                "{} not loaded",
                file.name
            );
        }
    }
    assert!(load.contains(
        "COPY MENTIONED_IN FROM \"rel_mentioned_in_person_document.csv\" (from='Person', to='Document'"
    ));
    assert!(load.contains("string_split(`aliases`, '|')"));
    let edge_rows: usize = files
        .iter()
        .filter(|f| f.name.starts_with("rel_"))
        .map(|f| csv_rows(std::str::from_utf8(&f.contents).unwrap()).len())
        .sum();
    assert_eq!(edge_rows, fixture.graph.edge_count());
}

#[test]
fn focus_keeps_the_neighbourhood_without_walking_through_documents() {
    let fixture = hostile_graph();
    let graph = &fixture.graph;
    // "KIEV" is an alias of Київ, in another case.
    let selection = Selection::around(graph, "KIEV", 3).unwrap();
    for kept in [
        fixture.kyiv,
        fixture.ukraine,
        fixture.desertion,
        fixture.person,
        fixture.organization,
        fixture.document,
        fixture.unit,
        fixture.casualties,
    ] {
        assert!(selection.nodes.contains(&kept), "{}", graph.node(kept).name);
    }
    // The bystander is only named in the document: reachable only through it.
    assert!(!selection.nodes.contains(&fixture.bystander));
    assert!(!selection.nodes.contains(&fixture.stranger));
    for edge in &selection.edges {
        let (from, to) = graph.endpoints(*edge);
        assert!(selection.nodes.contains(&from) && selection.nodes.contains(&to));
    }

    let one_step = Selection::around(graph, "Kyiv", 1).unwrap();
    assert_eq!(one_step.nodes, {
        let mut expected = vec![
            fixture.kyiv,
            fixture.ukraine,
            fixture.desertion,
            fixture.document,
        ];
        expected.sort();
        expected
    });
}

#[test]
fn focus_on_a_topic_starts_from_its_claims() {
    let fixture = hostile_graph();
    let selection = Selection::around(&fixture.graph, "Desertions", 0).unwrap();
    assert_eq!(selection.nodes, vec![fixture.desertion]);
    assert!(selection.edges.is_empty());
    let error = Selection::around(&fixture.graph, "Atlantis", 2).unwrap_err();
    assert_eq!(error.to_string(), "no entity or topic 'Atlantis'");
    let error = Selection::around(&fixture.graph, "negotiations", 2).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no claims about negotiation in this graph"
    );
}

#[test]
fn export_refuses_to_overwrite_without_force() {
    let fixture = hostile_graph();
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("new/sub/graph.dot");
    let options = ExportOptions {
        format: ExportFormat::Dot,
        out: out.clone(),
        focus: None,
        depth: 2,
        force: false,
    };
    assert_eq!(export(&fixture.graph, &options).unwrap(), vec![out.clone()]);
    let error = export(&fixture.graph, &options).unwrap_err();
    assert!(
        error.to_string().contains(&out.display().to_string()),
        "{error}"
    );
    assert!(error.to_string().contains("--force"));
    let forced = ExportOptions {
        force: true,
        ..options
    };
    assert_eq!(export(&fixture.graph, &forced).unwrap(), vec![out]);
}

#[test]
fn folder_exports_write_only_inside_their_folder() {
    let fixture = hostile_graph();
    let folder = tempfile::tempdir().unwrap();
    for format in [ExportFormat::Csv, ExportFormat::Neo4j, ExportFormat::Kuzu] {
        let out = folder.path().join(format.as_str());
        let options = ExportOptions {
            format,
            out: out.clone(),
            focus: None,
            depth: 2,
            force: false,
        };
        let written = export(&fixture.graph, &options).unwrap();
        assert!(!written.is_empty());
        for path in &written {
            assert_eq!(path.parent(), Some(out.as_path()), "{}", path.display());
            assert!(path.is_file());
        }
        let on_disk = std::fs::read_dir(&out).unwrap().count();
        assert_eq!(on_disk, written.len(), "no temporary files are left behind");
    }
    // A folder format refuses a path that is a file.
    let file = folder.path().join("plain.txt");
    std::fs::write(&file, "x").unwrap();
    let options = ExportOptions {
        format: ExportFormat::Kuzu,
        out: file,
        focus: None,
        depth: 2,
        force: true,
    };
    let error = export(&fixture.graph, &options).unwrap_err();
    assert!(error.to_string().contains("plain.txt is a file"), "{error}");
}

/// Golden files: any change to the writers' output shows up as a reviewed diff
/// (refresh with `INSTA_UPDATE=always cargo test --test export_formats`).
#[test]
fn dot_and_graphml_match_their_golden_files() {
    let (_, dot) = files(ExportFormat::Dot);
    insta::assert_snapshot!("hostile_graph_dot", text(&dot, "graph.dot"));
    let (_, graphml) = files(ExportFormat::Graphml);
    insta::assert_snapshot!("hostile_graph_graphml", text(&graphml, "graph.graphml"));
    let (_, kuzu) = files(ExportFormat::Kuzu);
    insta::assert_snapshot!("hostile_graph_kuzu_schema", text(&kuzu, "schema.cypher"));
}

/// Files are written as their rows are made: what is on disk is what `render` makes in
/// memory, byte for byte, and a file that cannot be put in place is an error naming it,
/// with no temporary file left behind.
#[test]
fn written_files_equal_the_rendered_ones_and_a_failed_file_leaves_nothing() {
    let fixture = hostile_graph();
    let folder = tempfile::tempdir().unwrap();
    for format in [
        ExportFormat::Csv,
        ExportFormat::Neo4j,
        ExportFormat::Kuzu,
        ExportFormat::Graphml,
        ExportFormat::Dot,
    ] {
        let rendered = render(&fixture.graph, &Selection::all(&fixture.graph), format).unwrap();
        let out = match format.file_name() {
            Some(name) => folder.path().join(name),
            None => folder.path().join(format.as_str()),
        };
        let options = ExportOptions {
            format,
            out,
            focus: None,
            depth: 2,
            force: false,
        };
        let written = export(&fixture.graph, &options).unwrap();
        assert_eq!(written.len(), rendered.len(), "{format:?}");
        for (path, file) in written.iter().zip(&rendered) {
            assert!(path.ends_with(&file.name), "{}", path.display());
            assert!(
                std::fs::read(path).unwrap() == file.contents,
                "{}",
                path.display()
            );
        }
    }

    // A folder where edges.csv should go: the rename onto it fails.
    let out = folder.path().join("blocked");
    std::fs::create_dir_all(out.join("edges.csv")).unwrap();
    let options = ExportOptions {
        format: ExportFormat::Csv,
        out: out.clone(),
        focus: None,
        depth: 2,
        force: true,
    };
    let error = export(&fixture.graph, &options).unwrap_err().to_string();
    assert!(
        error.starts_with("cannot write ") && error.contains("edges.csv"),
        "{error}"
    );
    let left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
