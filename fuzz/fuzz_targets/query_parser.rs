//! Any bytes, read as text the way a terminal would, must parse or fail with an error
//! that renders; what parses must print back to the same tree.

#![no_main]

use claimgraph::query::parser::parse_query;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    match parse_query(&input) {
        Ok(tree) => {
            let printed = tree.to_string();
            let again = parse_query(&printed)
                .unwrap_or_else(|e| panic!("{input:?} printed as {printed:?}: {e}"));
            assert_eq!(tree, again, "{input:?} printed as {printed:?}");
        }
        Err(error) => {
            let _ = error.render(&input);
        }
    }
});
