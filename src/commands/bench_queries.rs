//! `claimgraph bench-queries` (hidden): load a graph, time the load, then run one
//! question of each form many times and print p50 and p99 latencies (the answers are
//! computed, never printed). Used by `benches/scale.sh` and `benches/query.rs`.

use crate::graph::{self, GraphRead, KnowledgeGraph, Label, NodeId, RelType};
use crate::query;
use anyhow::Context;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// One question per form, about the entities that make each form work hardest (the
/// place most claims are about, the most prolific reporter, the most named
/// organization), then the forms that name an entity again for a typical one (the
/// median of those entities by the same count).
pub fn sample_questions(graph: &KnowledgeGraph) -> Vec<(String, String)> {
    let ranked = |label: Label, rel: RelType, outgoing: bool| -> Vec<String> {
        let mut nodes: Vec<(usize, NodeId)> = graph
            .nodes_with_label(label)
            .into_iter()
            .map(|id| {
                let degree = if outgoing {
                    graph.outgoing(id, Some(rel)).len()
                } else {
                    graph.incoming(id, Some(rel)).len()
                };
                (degree, id)
            })
            .filter(|(degree, _)| *degree > 0)
            .collect();
        nodes.sort_by_key(|(degree, id)| (std::cmp::Reverse(*degree), *id));
        let busiest = nodes.first();
        let typical = nodes.get(nodes.len() / 2);
        [busiest, typical]
            .into_iter()
            .flatten()
            .map(|(_, id)| graph.node(*id).name.clone())
            .collect()
    };
    let places = ranked(Label::Place, RelType::About, false);
    let people = ranked(Label::Person, RelType::Reported, true);
    let orgs = ranked(Label::Organization, RelType::MentionedIn, true);
    let pick = |names: &[String], i: usize, fallback: &str| -> String {
        names
            .get(i)
            .or(names.first())
            .cloned()
            .unwrap_or_else(|| fallback.to_string())
    };
    let mut questions = Vec::new();
    for (i, which) in [(0, "busiest"), (1, "typical")] {
        let place = pick(&places, i, "Kyiv");
        let person = pick(&people, i, "Putin");
        let org = pick(&orgs, i, "Kremlin");
        let form = |name: &str| format!("{name} ({which})");
        questions.extend([
            (
                form("who reported <topic> in <place>"),
                format!("who reported desertions in {place}"),
            ),
            (
                form("what did <entity> report"),
                format!("what did {person} report"),
            ),
            (
                form("how many <topic> in <place>"),
                format!("how many casualties in {place}"),
            ),
            (
                form("which sources mention <entity>"),
                format!("which sources mention {org}"),
            ),
            (form("who is <entity>"), format!("who is {person}")),
            (
                form("claims about <entity>"),
                format!("claims about {place}"),
            ),
            (
                form("path from <entity> to <entity>"),
                format!("path from {person} to {place}"),
            ),
        ]);
        if i == 0 {
            questions.extend([
                (
                    "who reported <topic>".to_string(),
                    "who reported desertions".to_string(),
                ),
                (
                    "where were <topic> reported".to_string(),
                    "where were desertions reported".to_string(),
                ),
                (
                    "conflicting claims about <topic>".to_string(),
                    "conflicting claims about desertion".to_string(),
                ),
            ]);
        }
    }
    questions
}

/// The value at quantile `q` (0..=1) of sorted durations.
pub fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Times `questions` on the graph, or one question of each form when none are given.
pub fn run(graph_path: &Path, runs: usize, questions: &[String]) -> anyhow::Result<ExitCode> {
    // Three loads: the first may read the file from disk, the best shows the decoding
    // itself (on a shared machine the others are slowed by whatever else runs).
    let mut loads = Vec::new();
    let mut graph = None;
    for _ in 0..3 {
        drop(graph.take());
        let started = Instant::now();
        graph = Some(graph::load(graph_path)?);
        loads.push(started.elapsed());
    }
    let graph = graph.expect("loaded three times");
    let size = std::fs::metadata(graph_path)
        .with_context(|| format!("cannot read {}", graph_path.display()))?
        .len();
    super::print_out(&format!(
        "load\t{:.3} s\t{:.1} MB\t{} nodes\t{} edges\tbest of 3 loads; the first took {:.3} s\n",
        loads.iter().min().expect("three loads").as_secs_f64(),
        size as f64 / 1e6,
        graph.node_count(),
        graph.edge_count(),
        loads[0].as_secs_f64(),
    ))?;
    let params = query::Params::new();
    let chosen: Vec<(String, String)> = match questions.is_empty() {
        true => sample_questions(&graph),
        false => questions
            .iter()
            .map(|q| ("question".to_string(), q.clone()))
            .collect(),
    };
    for (form, question) in chosen {
        let mut times = Vec::with_capacity(runs);
        let mut rows = 0;
        // Slow forms stop after a time budget (ten seconds and five runs, or half a
        // minute and one), so a scale run on a large graph still finishes.
        let budget = Instant::now();
        for run in 0..runs.max(1) {
            let spent = budget.elapsed();
            if (run >= 5 && spent > Duration::from_secs(10))
                || (run >= 1 && spent > Duration::from_secs(30))
            {
                break;
            }
            let started = Instant::now();
            let result = query::execute(&graph, &question, &params);
            times.push(started.elapsed());
            rows = result.map(|r| r.rows.len()).unwrap_or(0);
        }
        times.sort_unstable();
        super::print_out(&format!(
            "{form}\tp50 {:.3} ms\tp99 {:.3} ms\t{rows} rows\t{} runs\t{question}\n",
            quantile(&times, 0.50).as_secs_f64() * 1e3,
            quantile(&times, 0.99).as_secs_f64() * 1e3,
            times.len(),
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
