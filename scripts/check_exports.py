#!/usr/bin/env python3
"""Check claimgraph's exports with the real tools that read them.

Usage: check_exports.py CLAIMGRAPH GRAPH_FILE [--queries DIR]

For one graph file this exports every format into a temporary folder and checks:
  dot      `dot -Tsvg` renders it with nothing on stderr;
  graphml  networkx.read_graphml finds the node and edge counts of `claimgraph stats`;
  csv      nodes.csv and edges.csv have those counts, and every edge end is a node;
  neo4j    the node and relationship files have those counts, typed headers, and every
           relationship end is a node (Neo4j itself is not run);
  kuzu     schema.cypher then load.cypher load into a fresh Kuzu database with those
           counts; then every Cypher statement (MATCH / OPTIONAL MATCH) of every *.kgq
           file under the queries folder gives the same rows in Kuzu as in
           `claimgraph query --format json`, compared as multisets after normalising
           (numbers as floats, lists sorted, null as None).

Needs Graphviz (`apt-get install -y graphviz`) and the Python packages kuzu and networkx
(`python3 -m venv /tmp/evenv && /tmp/evenv/bin/pip install kuzu networkx`; run this
script with that Python). Exits 1 on any failure, 2 on a usage or setup problem.
"""

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

FAILURES = []


def fail(check, message):
    FAILURES.append(f"{check}: {message}")
    print(f"FAIL {check}: {message}")


def ok(check, message):
    print(f"ok   {check}: {message}")


def run(command, cwd=None):
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True)


def graph_counts(claimgraph, graph):
    """Node and edge totals from `claimgraph stats` ("nodes N", "edges N" lines)."""
    result = run([claimgraph, "stats", "--graph", graph])
    if result.returncode != 0:
        sys.exit(f"claimgraph stats failed: {result.stderr.strip()}")
    counts = {}
    for line in result.stdout.splitlines():
        match = re.match(r"^(nodes|edges) (\d+)$", line.strip())
        if match and not line.startswith(" "):
            counts[match.group(1)] = int(match.group(2))
    if set(counts) != {"nodes", "edges"}:
        sys.exit(f"cannot read node and edge totals from claimgraph stats:\n{result.stdout}")
    return counts["nodes"], counts["edges"]


def export(claimgraph, graph, fmt, out):
    result = run([claimgraph, "export", "--graph", graph, "--format", fmt, "--out", str(out)])
    if result.returncode != 0:
        fail(fmt, f"claimgraph export failed: {result.stderr.strip()}")
        return False
    return True


def check_dot(claimgraph, graph, folder):
    out = folder / "graph.dot"
    if not export(claimgraph, graph, "dot", out):
        return
    if shutil.which("dot") is None:
        fail("dot", "Graphviz `dot` is not installed (apt-get install -y graphviz)")
        return
    result = run(["dot", "-Tsvg", str(out), "-o", str(folder / "graph.svg")])
    if result.returncode != 0 or result.stderr.strip():
        fail("dot", f"dot -Tsvg exit {result.returncode}: {result.stderr.strip()}")
    else:
        ok("dot", "dot -Tsvg renders it with no warnings")


def check_graphml(claimgraph, graph, folder, nodes, edges):
    out = folder / "graph.graphml"
    if not export(claimgraph, graph, "graphml", out):
        return
    import networkx

    try:
        g = networkx.read_graphml(out)
    except Exception as error:  # noqa: BLE001 - any parse error is the finding
        fail("graphml", f"networkx.read_graphml: {error}")
        return
    found = (g.number_of_nodes(), g.number_of_edges())
    if found != (nodes, edges):
        fail("graphml", f"networkx reads {found[0]} nodes and {found[1]} edges, stats says {nodes} and {edges}")
    else:
        ok("graphml", f"networkx reads {nodes} nodes and {edges} edges")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def check_csv(claimgraph, graph, folder, nodes, edges):
    out = folder / "csv"
    if not export(claimgraph, graph, "csv", out):
        return
    node_rows = read_csv(out / "nodes.csv")
    edge_rows = read_csv(out / "edges.csv")
    ids = {row[0] for row in node_rows[1:]}
    dangling = [row for row in edge_rows[1:] if row[0] not in ids or row[1] not in ids]
    found = (len(node_rows) - 1, len(edge_rows) - 1)
    if found != (nodes, edges) or len(ids) != nodes:
        fail("csv", f"{found[0]} node rows ({len(ids)} distinct ids) and {found[1]} edge rows, stats says {nodes} and {edges}")
    elif dangling:
        fail("csv", f"{len(dangling)} edges end at unknown nodes, e.g. {dangling[0][:3]}")
    else:
        ok("csv", f"{nodes} node rows and {edges} edge rows, every edge end is a node")


def check_neo4j(claimgraph, graph, folder, nodes, edges):
    out = folder / "neo4j"
    if not export(claimgraph, graph, "neo4j", out):
        return
    readme = (out / "README.txt").read_text(encoding="utf-8")
    command = next((line.strip() for line in readme.splitlines() if "neo4j-admin" in line and "--nodes" in line), "")
    node_files = re.findall(r"--nodes=\w+=(\S+)", command)
    rel_files = re.findall(r"--relationships=\w+=(\S+)", command)
    ids, edge_count, problems = set(), 0, []
    for name in node_files:
        rows = read_csv(out / name)
        if rows[0][0] != "_key:ID" or rows[0][-1] != ":LABEL":
            problems.append(f"{name} header {rows[0]}")
        ids.update(row[0] for row in rows[1:])
    for name in rel_files:
        rows = read_csv(out / name)
        if rows[0][:3] != [":START_ID", ":END_ID", ":TYPE"]:
            problems.append(f"{name} header {rows[0]}")
        edge_count += len(rows) - 1
        problems += [f"{name}: unknown end in {row[:3]}" for row in rows[1:] if row[0] not in ids or row[1] not in ids][:3]
    if (len(ids), edge_count) != (nodes, edges):
        problems.append(f"{len(ids)} nodes and {edge_count} relationships, stats says {nodes} and {edges}")
    if problems:
        fail("neo4j", "; ".join(problems))
    else:
        ok("neo4j", f"{len(node_files)} node files, {len(rel_files)} relationship files named in README.txt; counts match")


def cypher_statements(text):
    """Statements of a .cypher file: one per line, `//` comments skipped."""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            yield line.rstrip(";")


def kuzu_rows(connection, statement):
    result = connection.execute(statement)
    columns = result.get_column_names()
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return columns, rows


def check_kuzu(claimgraph, graph, folder, nodes, edges, queries):
    out = folder / "kuzu"
    if not export(claimgraph, graph, "kuzu", out):
        return None
    import kuzu

    database = kuzu.Database(str(folder / "kuzu.db"))
    connection = kuzu.Connection(database)
    here = os.getcwd()
    # load.cypher names its CSV files relative to the bundle folder.
    os.chdir(out)
    try:
        for name in ["schema.cypher", "load.cypher"]:
            for statement in cypher_statements((out / name).read_text(encoding="utf-8")):
                try:
                    connection.execute(statement)
                except Exception as error:  # noqa: BLE001 - any Kuzu error is the finding
                    fail("kuzu", f"{name}: {error}\n     statement: {statement[:300]}")
                    return None
    finally:
        os.chdir(here)
    found = (
        kuzu_rows(connection, "MATCH (n) RETURN count(*)")[1][0][0],
        kuzu_rows(connection, "MATCH ()-[r]->() RETURN count(*)")[1][0][0],
    )
    if found != (nodes, edges):
        fail("kuzu", f"Kuzu holds {found[0]} nodes and {found[1]} relationships, stats says {nodes} and {edges}")
    else:
        ok("kuzu", f"kuzu {kuzu.__version__} loads {nodes} nodes and {edges} relationships")
    check_queries(claimgraph, graph, connection, queries)
    return connection


def kgq_statements(text):
    """Statements of a query script: separated by a line ending in ';' or by a blank
    line; lines starting with #, // or -- are comments."""
    statement = []
    for line in text.splitlines() + [""]:
        stripped = line.strip()
        if stripped.startswith(("#", "//", "--")):
            continue
        if stripped:
            statement.append(stripped)
        if statement and (not stripped or stripped.endswith(";")):
            yield " ".join(statement).rstrip(";").strip()
            statement = []


def normalise(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (list, tuple)):
        return sorted((normalise(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    return str(value)


def row_key(values):
    return json.dumps([normalise(v) for v in values], sort_keys=True, ensure_ascii=False)


def check_queries(claimgraph, graph, connection, queries):
    if queries is None or not queries.is_dir():
        ok("queries", f"no queries folder ({queries}); skipped")
        return
    files = sorted(queries.rglob("*.kgq"))
    if not files:
        ok("queries", f"no *.kgq files under {queries}; skipped")
        return
    compared = 0
    failures_before = len(FAILURES)
    for path in files:
        for statement in kgq_statements(path.read_text(encoding="utf-8")):
            if not re.match(r"^(optional\s+)?match\b", statement, re.IGNORECASE):
                continue
            compared += 1
            where = f"{path}: {statement[:120]}"
            try:
                columns, kuzu_result = kuzu_rows(connection, statement)
            except Exception as error:  # noqa: BLE001 - any Kuzu error is the finding
                fail("queries", f"{where}\n     Kuzu: {error}")
                continue
            result = run([claimgraph, "query", "--graph", graph, "--format", "json", statement])
            if result.returncode != 0:
                fail("queries", f"{where}\n     claimgraph: {result.stderr.strip()}")
                continue
            objects = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
            if objects and set(objects[0]) == set(columns):
                ours = [[obj.get(c) for c in columns] for obj in objects]
            else:
                # Column names differ (or there are no rows): compare by position.
                ours = [list(obj.values()) for obj in objects]
            theirs = Counter(row_key(row) for row in kuzu_result)
            mine = Counter(row_key(row) for row in ours)
            if theirs != mine:
                only_kuzu = list((theirs - mine).elements())[:3]
                only_ours = list((mine - theirs).elements())[:3]
                fail("queries", f"{where}\n     rows only in Kuzu: {only_kuzu}\n     rows only in claimgraph: {only_ours}")
    differing = len(FAILURES) - failures_before
    if differing == 0:
        ok("queries", f"{compared} Cypher statements give the same rows in Kuzu and claimgraph")
    else:
        print(f"     {differing} of {compared} Cypher statements failed or differ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claimgraph", help="the claimgraph binary")
    parser.add_argument("graph", help="a graph file made by claimgraph build (or by hand)")
    parser.add_argument("--queries", default=None, help="folder of *.kgq files (default: queries/ beside this script's repository)")
    args = parser.parse_args()
    try:
        import kuzu  # noqa: F401
        import networkx  # noqa: F401
    except ImportError as error:
        print(f"error: {error}; install with: python3 -m venv /tmp/evenv && /tmp/evenv/bin/pip install kuzu networkx, then run this script with /tmp/evenv/bin/python", file=sys.stderr)
        return 2
    claimgraph = str(Path(args.claimgraph).resolve())
    graph = str(Path(args.graph).resolve())
    queries = Path(args.queries) if args.queries else Path(__file__).resolve().parent.parent / "queries"
    nodes, edges = graph_counts(claimgraph, graph)
    print(f"graph {graph}: {nodes} nodes, {edges} edges")
    with tempfile.TemporaryDirectory(prefix="claimgraph-exports-") as temporary:
        folder = Path(temporary)
        check_dot(claimgraph, graph, folder)
        check_graphml(claimgraph, graph, folder, nodes, edges)
        check_csv(claimgraph, graph, folder, nodes, edges)
        check_neo4j(claimgraph, graph, folder, nodes, edges)
        check_kuzu(claimgraph, graph, folder, nodes, edges, queries)
    if FAILURES:
        print(f"\n{len(FAILURES)} check(s) failed", file=sys.stderr)
        return 1
    print("\nall export checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
