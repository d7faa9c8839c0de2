//! A build killed with SIGKILL while it saves leaves the previous graph file intact:
//! after every kill the file loads and holds either the old graph or the new one.

use super::support::*;
use claimgraph::graph;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long each step of a save pauses (four chunks written, then before the rename),
/// so a kill can land at a chosen point of it.
const STEP_MS: u64 = 50;

fn spawn_build(articles: &Path, graph_path: &Path, delay: Option<u64>) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_claimgraph"));
    command
        .args(["build", path_str(articles), "--graph", path_str(graph_path)])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(ms) = delay {
        command.env("CLAIMGRAPH_TEST_SAVE_DELAY_MS", ms.to_string());
    }
    command.spawn().unwrap()
}

/// Waits until the save's temporary file appears (the save has begun) or the child exits.
fn wait_for_save(child: &mut Child, folder: &Path) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let saving = fs::read_dir(folder)
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().contains(".tmp"));
        if saving {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

#[test]
fn killing_a_save_leaves_the_old_or_the_new_graph() {
    let dir = tempfile::tempdir().unwrap();
    let old_articles = dir.path().join("old");
    let new_articles = dir.path().join("new");
    fs::create_dir(&old_articles).unwrap();
    fs::create_dir(&new_articles).unwrap();
    fs::write(old_articles.join("old.txt"), article("Kharkiv")).unwrap();
    for i in 0..30 {
        fs::write(new_articles.join(format!("new{i:02}.txt")), article("Sumy")).unwrap();
    }
    let graphs = dir.path().join("graphs");
    fs::create_dir(&graphs).unwrap();
    let graph_path = graphs.join("g.cgraph");
    assert!(build(&[&old_articles], &graph_path, &[]).status.success());
    let old_bytes = fs::read(&graph_path).unwrap();
    let old_ids = document_ids(&graph::load(&graph_path).unwrap());
    let new_ids: Vec<String> = (0..30).map(|i| format!("new{i:02}.txt")).collect();

    let mut mid_save = 0;
    let mut outcomes = (0, 0);
    // Kills at points through the save: during each chunk, before the rename, after it;
    // then a few without the pause, at whatever point the save has reached.
    let plan: Vec<(Option<u64>, u64)> = [0, 30, 80, 130, 180, 230, 400]
        .into_iter()
        .map(|after| (Some(STEP_MS), after))
        .chain([0, 2].into_iter().map(|after| (None, after)))
        .collect();
    for (delay, after_ms) in plan {
        fs::write(&graph_path, &old_bytes).unwrap();
        let mut child = spawn_build(&new_articles, &graph_path, delay);
        let saving = wait_for_save(&mut child, &graphs);
        std::thread::sleep(Duration::from_millis(after_ms));
        let _ = child.kill(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        if saving && !status.success() {
            mid_save += 1;
        }
        let loaded = graph::load(&graph_path)
            .unwrap_or_else(|e| panic!("killed {after_ms} ms into the save: {e}"));
        let ids = document_ids(&loaded);
        if ids == old_ids {
            outcomes.0 += 1;
        } else if ids == new_ids {
            outcomes.1 += 1;
        } else {
            panic!("killed {after_ms} ms into the save: neither graph: {ids:?}");
        }
        // Clear a temporary file the kill left, so the next round sees its own.
        for entry in fs::read_dir(&graphs).unwrap() {
            let path = entry.unwrap().path();
            if path.to_string_lossy().contains(".tmp") {
                fs::remove_file(path).unwrap();
            }
        }
    }
    assert!(mid_save >= 4, "only {mid_save} kills landed during a save");
    assert!(outcomes.0 >= 4, "old graph kept {} times", outcomes.0);
    eprintln!(
        "kills during a save: {mid_save}; old graph kept {}, new graph {}",
        outcomes.0, outcomes.1
    );
}
