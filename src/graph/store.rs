//! The graph file: a magic header, a format version, the payload length and a CRC-32,
//! then the postcard-encoded payload. Written to a temporary file beside the target,
//! flushed to disk and renamed over it, so a failed or killed save leaves the previous
//! graph intact.

use super::{Edge, KnowledgeGraph, MentionRecord, Node, NodeId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The first bytes of every graph file.
pub const MAGIC: &[u8; 8] = b"CLMGRAPH";
/// Bumped whenever the payload layout changes; older binaries refuse newer files.
pub const FORMAT_VERSION: u32 = 1;
const HEADER_LEN: usize = 8 + 4 + 8 + 4;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read graph file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write graph file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a claimgraph graph file (no magic header); build one with `claimgraph build`")]
    NotAGraph { path: PathBuf },
    #[error("{path} was written by a newer claimgraph (format {found}, this one reads up to {supported}); upgrade claimgraph or rebuild the graph")]
    NewerVersion {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "{path} is truncated ({actual} of {expected} bytes); rebuild it with `claimgraph build`"
    )]
    Truncated {
        path: PathBuf,
        expected: u64,
        actual: u64,
    },
    #[error("{path} is corrupted (checksum mismatch); rebuild it with `claimgraph build`")]
    Corrupted { path: PathBuf },
    #[error("{path} cannot be decoded ({reason}); rebuild it with `claimgraph build`")]
    Decode { path: PathBuf, reason: String },
}

/// What goes into the file: nodes in order, edges by node position, mentions.
#[derive(Serialize, Deserialize)]
struct Payload {
    nodes: Vec<Node>,
    edges: Vec<(u32, u32, Edge)>,
    mentions: Vec<MentionRecord>,
}

impl Payload {
    /// Numbers the nodes densely, so holes left by removals do not reach the file.
    fn from_graph(graph: &KnowledgeGraph) -> Payload {
        let mut position: HashMap<NodeId, u32> = HashMap::new();
        let mut nodes = Vec::with_capacity(graph.node_count());
        for id in graph.graph.node_indices() {
            position.insert(id, nodes.len() as u32);
            nodes.push(graph.graph[id].clone());
        }
        let edges = graph
            .graph
            .edge_indices()
            .map(|e| {
                let (from, to) = graph.graph.edge_endpoints(e).expect("valid edge");
                (position[&from], position[&to], graph.graph[e].clone())
            })
            .collect();
        let mentions = graph
            .mentions
            .iter()
            .filter_map(|m| {
                let node = *position.get(&NodeId::new(m.node as usize))?;
                Some(MentionRecord { node, ..m.clone() })
            })
            .collect();
        Payload {
            nodes,
            edges,
            mentions,
        }
    }

    fn into_graph(self, path: &Path) -> Result<KnowledgeGraph, StoreError> {
        let mut graph = KnowledgeGraph::new();
        let count = self.nodes.len() as u32;
        for node in self.nodes {
            graph.add_node(node);
        }
        for (from, to, edge) in self.edges {
            if from >= count || to >= count {
                return Err(StoreError::Decode {
                    path: path.to_path_buf(),
                    reason: format!("edge refers to node {} of {count}", from.max(to)),
                });
            }
            graph.add_edge(NodeId::new(from as usize), NodeId::new(to as usize), edge);
        }
        graph.mentions = self
            .mentions
            .into_iter()
            .filter(|m| m.node < count)
            .collect();
        Ok(graph)
    }
}

/// Saves the graph atomically: temporary file, fsync, rename, fsync of the folder.
pub fn save(graph: &KnowledgeGraph, path: &Path) -> Result<(), StoreError> {
    let payload =
        postcard::to_stdvec(&Payload::from_graph(graph)).map_err(|e| StoreError::Write {
            path: path.to_path_buf(),
            source: std::io::Error::other(format!("cannot encode graph: {e}")),
        })?;
    write_framed(path, MAGIC, FORMAT_VERSION, &payload)
}

/// Writes `payload` behind a header (magic, version, length, CRC-32) to a temporary
/// file beside `path`, syncs it and renames it over `path`.
pub(crate) fn write_framed(
    path: &Path,
    magic: &[u8; 8],
    version: u32,
    payload: &[u8],
) -> Result<(), StoreError> {
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(magic);
    header.extend_from_slice(&version.to_le_bytes());
    header.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    header.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());

    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "graph".into());
    let temporary = folder.join(format!(".{file_name}.tmp{}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(&header)?;
        file.write_all(payload)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, path)?;
        // The rename is only durable once the folder itself is on disk.
        if let Ok(dir) = fs::File::open(&folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result.map_err(|source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Loads a graph file, checking magic, version, length and checksum before decoding.
pub fn load(path: &Path) -> Result<KnowledgeGraph, StoreError> {
    let bytes = fs::read(path).map_err(|source| StoreError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    decode(&bytes, path)
}

/// Decodes the bytes of a graph file; `path` only names the file in errors.
pub fn decode(bytes: &[u8], path: &Path) -> Result<KnowledgeGraph, StoreError> {
    let payload = unframe(bytes, MAGIC, FORMAT_VERSION, path)?;
    let payload: Payload = postcard::from_bytes(payload).map_err(|e| StoreError::Decode {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    payload.into_graph(path)
}

/// Checks the header written by [`write_framed`] (magic, version, length, checksum)
/// and returns the payload.
pub(crate) fn unframe<'a>(
    bytes: &'a [u8],
    magic: &[u8; 8],
    supported: u32,
    path: &Path,
) -> Result<&'a [u8], StoreError> {
    let path_buf = path.to_path_buf();
    if bytes.len() < magic.len() || &bytes[..magic.len()] != magic {
        return Err(StoreError::NotAGraph { path: path_buf });
    }
    if bytes.len() < HEADER_LEN {
        return Err(StoreError::Truncated {
            path: path_buf,
            expected: HEADER_LEN as u64,
            actual: bytes.len() as u64,
        });
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version > supported {
        return Err(StoreError::NewerVersion {
            path: path_buf,
            found: version,
            supported,
        });
    }
    let length = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
    let checksum = u32::from_le_bytes(bytes[20..24].try_into().expect("4 bytes"));
    let payload = &bytes[HEADER_LEN..];
    if (payload.len() as u64) < length {
        return Err(StoreError::Truncated {
            path: path_buf,
            expected: HEADER_LEN as u64 + length,
            actual: bytes.len() as u64,
        });
    }
    let payload = &payload[..length as usize];
    if crc32fast::hash(payload) != checksum {
        return Err(StoreError::Corrupted { path: path_buf });
    }
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphRead, NodeData, RelType};

    fn sample_graph() -> KnowledgeGraph {
        let mut graph = KnowledgeGraph::new();
        let person = graph.add_node(Node {
            name: "Maria Zakharova".into(),
            aliases: vec!["Zakharova".into()],
            data: NodeData::Person {
                roles: vec!["spokesperson".into()],
            },
        });
        let doc = graph.add_node(Node {
            name: "a.txt".into(),
            aliases: vec![],
            data: NodeData::Document {
                title: Some("T".into()),
                outlet: None,
                author: None,
                date: None,
                url: None,
            },
        });
        graph.add_edge(person, doc, Edge::new(RelType::MentionedIn));
        graph
    }

    #[test]
    fn save_then_load_gives_the_same_graph() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph");
        let graph = sample_graph();
        save(&graph, &path).unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.stats(), graph.stats());
        assert_eq!(loaded.lookup("zakharova").len(), 1);
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph");
        save(&sample_graph(), &path).unwrap();
        let bytes = fs::read(&path).unwrap();
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut], &path).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn a_flipped_byte_is_reported_as_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph");
        save(&sample_graph(), &path).unwrap();
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        assert!(matches!(
            decode(&bytes, &path),
            Err(StoreError::Corrupted { .. })
        ));
    }
}
