//! Inputs the fuzz targets (fuzz/, run by scripts/fuzz.sh) once crashed on, kept so the
//! fixes stay fixed. Each test names the target that found it.

use claimgraph::query::parser::parse_query;

/// Parses, prints and parses again: the query parser target's own check.
fn round_trip(input: &str) {
    let tree = parse_query(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
    let printed = tree.to_string();
    let again =
        parse_query(&printed).unwrap_or_else(|e| panic!("{input:?} printed as {printed:?}: {e}"));
    assert_eq!(tree, again, "{input:?} printed as {printed:?}");
}

/// query_parser: a parameter named by digits (`$2`) printed as `` $`2` ``, which the
/// lexer does not read.
#[test]
fn a_parameter_named_by_digits_prints_back() {
    round_trip("\nRETURN 2 AS sevhree, 7.0 /$2 AS halflfS");
    round_trip("RETURN $1abc, $_x, $ünï");
}

/// query_parser: a run of minus signs parsed within the nesting limit but printed as
/// `-(-(-(...)))`, whose brackets went past it.
#[test]
fn a_run_of_minus_signs_prints_back_within_the_nesting_limit() {
    round_trip(&format!("MATCH (c) RETURN {} c.name", "-".repeat(26)));
    round_trip("MATCH (x) RETURN - -5, - - -2.5, -(-x.n), -(1 + 2)");
}
