//! Query text from people typing: the parser survives deep nesting and arbitrary bytes
//! through the real binary, on the command line and in scripts, with an error that names
//! a position.

use super::support::*;
use std::fs;

#[test]
fn deep_nesting_and_arbitrary_bytes_are_errors_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    fs::create_dir(&articles).unwrap();
    fs::write(articles.join("good.txt"), article("Kharkiv")).unwrap();
    let graph_path = dir.path().join("g.cgraph");
    assert!(build(&[&articles], &graph_path, &[]).status.success());

    // One command-line argument holds at most 128 KB on Linux; scripts take the rest.
    let queries = |depth: usize| {
        [
            format!("RETURN {}1{}", "(".repeat(depth), ")".repeat(depth)),
            format!("RETURN {}", "[".repeat(depth)),
            format!("MATCH (n) WHERE {} true RETURN n", "NOT ".repeat(depth)),
            format!("RETURN 1{}", " + 1".repeat(depth)),
            format!("MATCH {}", "(a)-->".repeat(depth)),
            "MATCH (n)\u{0}\u{7}\u{1b}[31m RETURN n".to_string(),
            "\u{feff}MATCH (n:\u{202e}Person) RETURN n.name ORDER BY".to_string(),
        ]
    };
    // A NUL byte cannot be passed in an argument; the script below carries it.
    for query in queries(20_000).iter().filter(|q| !q.contains('\0')) {
        let query = query.as_str();
        let out = claimgraph(&["query", "--graph", path_str(&graph_path), query]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("line 1, column"), "{err}");
        assert!(
            !err.contains("panicked") && !err.contains("overflow"),
            "{err}"
        );
    }
    for (i, query) in queries(200_000).iter().enumerate() {
        let script = dir.path().join(format!("deep{i}.kgq"));
        fs::write(&script, format!("{query};\n")).unwrap();
        let out = claimgraph(&["run", "--graph", path_str(&graph_path), path_str(&script)]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(&format!("deep{i}.kgq:1:")), "{err}");
        assert!(
            !err.contains("panicked") && !err.contains("overflow"),
            "{err}"
        );
    }
}
