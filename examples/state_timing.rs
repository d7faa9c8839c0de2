use std::time::Instant;
fn main() {
    let graph = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    for _ in 0..3 {
        let t = Instant::now();
        let state = claimgraph::resolve::rebuild::RebuildState::load(&graph).unwrap().unwrap();
        let load = t.elapsed();
        let t = Instant::now();
        let base = claimgraph::graph::BaseId::of_intact_file(&graph);
        let crc = t.elapsed();
        let t = Instant::now();
        let b2 = claimgraph::graph::BaseId::of_file(&graph);
        let head = t.elapsed();
        println!("state load {:?}, intact base {:?}, header {:?} {}", load, crc, head, base == b2);
        std::mem::forget(state);
    }
}
