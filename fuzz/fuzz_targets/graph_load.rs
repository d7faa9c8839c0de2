//! Any bytes as a graph file must load or fail with a `StoreError`, never panic or
//! allocate without bound. Each input is tried twice: as a whole file (the header checks)
//! and as a payload behind a valid header with the right checksum (the decoder itself,
//! which random bytes would otherwise never reach).

#![no_main]

use claimgraph::graph::{decode, FORMAT_VERSION, MAGIC};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.cgraph");
    let _ = decode(data, path);
    let mut file = Vec::with_capacity(24 + data.len());
    file.extend_from_slice(MAGIC);
    file.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    file.extend_from_slice(&(data.len() as u64).to_le_bytes());
    file.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
    file.extend_from_slice(data);
    let _ = decode(&file, path);
});
