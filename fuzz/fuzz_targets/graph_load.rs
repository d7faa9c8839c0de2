//! Any bytes as a graph file must load or fail with a `StoreError`, never panic or
//! allocate without bound.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let _ = claimgraph::graph::decode(data, Path::new("fuzz.cgraph"));
});
