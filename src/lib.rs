//! claimgraph: news articles in, a knowledge graph of claims with provenance out.
//!
//! The pipeline runs one way: [`corpus`] -> [`text`] -> [`extract`] -> [`resolve`] ->
//! [`graph`], then [`query`] -> [`present`], [`export`] and the [`shell`] on top.
//! [`pipeline`] wires the build stages together.

pub mod cli;
pub mod commands;
pub mod corpus;
pub mod eval;
pub mod export;
pub mod extract;
pub mod graph;
pub mod pipeline;
pub mod present;
pub mod query;
pub mod resolve;
pub mod shell;
pub mod text;
