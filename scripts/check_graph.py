#!/usr/bin/env python3
"""Check that the graph files of a stancegraph output folder load in networkx and agree.

Usage: check_graph.py OUT_DIR [--no-dot] [--dot-max-edges=N]

Loads graph.graphml (networkx.read_graphml), graph.gexf (networkx.read_gexf) and
graph.json (networkx.node_link_graph(data, edges="links")); asserts that the three and
nodes.csv / edges.csv have the same node and edge counts, the same node ids and labels,
and that every edge has the same endpoints, relation, weight and stance in every format.
When Graphviz is installed, also renders graph.dot with `dot -Tsvg` (skipped above
--dot-max-edges edges, 2000 by default: dot's layout takes minutes on large graphs).
Exits 0 when everything agrees, 1 on a mismatch, 2 when a file cannot be loaded.
"""

import csv
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

try:
    import networkx as nx
except ImportError:  # pragma: no cover - environment problem
    print("check_graph: networkx is not installed", file=sys.stderr)
    sys.exit(2)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FAILURES = []


def fail(message):
    FAILURES.append(message)
    print(f"MISMATCH: {message}", file=sys.stderr)


def unneutralise(cell):
    """Undo the CSV formula neutralisation (a leading single quote)."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def load_json(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    try:
        return nx.node_link_graph(data, edges="links")
    except TypeError:  # networkx < 3.4 has no `edges` keyword
        return nx.node_link_graph(data, link="links")


def edges_by_id(graph):
    """Edge id -> (endpoints, attributes); endpoints as a tuple, or a frozenset when
    the graph is undirected."""
    result = {}
    if graph.is_multigraph():
        items = ((u, v, d.get("id", k), d) for u, v, k, d in graph.edges(keys=True, data=True))
    else:
        items = ((u, v, d.get("id"), d) for u, v, d in graph.edges(data=True))
    for u, v, edge_id, data in items:
        ends = (u, v) if graph.is_directed() else frozenset((u, v))
        result[str(edge_id)] = (ends, data)
    return result


def close(a, b):
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(args[0])
    try:
        graphs = {
            "graphml": nx.read_graphml(out / "graph.graphml"),
            "gexf": nx.read_gexf(out / "graph.gexf"),
            "json": load_json(out / "graph.json"),
        }
        with open(out / "nodes.csv", newline="", encoding="utf-8") as f:
            node_rows = list(csv.DictReader(f))
        with open(out / "edges.csv", newline="", encoding="utf-8") as f:
            edge_rows = list(csv.DictReader(f))
    except Exception as error:  # any load failure is a failed check
        print(f"check_graph: cannot load {out}: {error!r}", file=sys.stderr)
        return 2

    counts = {name: (g.number_of_nodes(), g.number_of_edges()) for name, g in graphs.items()}
    counts["csv"] = (len(node_rows), len(edge_rows))
    print("nodes, edges:", counts)
    if len(set(counts.values())) != 1:
        fail(f"node/edge counts differ: {counts}")

    # Nodes: same ids and labels everywhere.
    csv_labels = {unneutralise(r["Id"]): unneutralise(r["Label"]) for r in node_rows}
    for name, graph in graphs.items():
        labels = {n: d.get("label") for n, d in graph.nodes(data=True)}
        if set(labels) != set(csv_labels):
            fail(f"{name}: node ids differ from nodes.csv")
            continue
        for node, label in labels.items():
            if label != csv_labels[node]:
                fail(f"{name}: node {node!r} label {label!r} != csv {csv_labels[node]!r}")

    # Edges: same endpoints, relation, weight and stance everywhere.
    reference = {}
    whole_directed = graphs["json"].is_directed()
    for row in edge_rows:
        source, target = unneutralise(row["Source"]), unneutralise(row["Target"])
        ends = (source, target) if whole_directed else frozenset((source, target))
        stance = float(row["Stance"]) if row["Stance"] != "" else None
        reference[unneutralise(row["Id"])] = (ends, row["Relation"], float(row["Weight"]), stance)
    for name, graph in graphs.items():
        edges = edges_by_id(graph)
        if set(edges) != set(reference):
            fail(f"{name}: edge ids differ from edges.csv")
            continue
        for edge_id, (ends, relation, weight, stance) in reference.items():
            got_ends, data = edges[edge_id]
            if got_ends != ends:
                fail(f"{name}: edge {edge_id} endpoints {got_ends} != {ends}")
            if data.get("relation") != relation:
                fail(f"{name}: edge {edge_id} relation {data.get('relation')!r} != {relation!r}")
            if not close(data.get("weight", "nan"), weight):
                fail(f"{name}: edge {edge_id} weight {data.get('weight')} != {weight}")
            got_stance = data.get("stance")
            if (got_stance is None) != (stance is None) or (
                stance is not None and not close(got_stance, stance)
            ):
                fail(f"{name}: edge {edge_id} stance {got_stance} != {stance}")

    dot_max_edges = 2000
    for arg in argv:
        if arg.startswith("--dot-max-edges="):
            dot_max_edges = int(arg.split("=", 1)[1])
    if "--no-dot" not in argv:
        dot = shutil.which("dot")
        if dot is None:
            print("note: graphviz `dot` not found; graph.dot not rendered")
        elif len(edge_rows) > dot_max_edges:
            print(f"note: {len(edge_rows)} edges > {dot_max_edges}; graph.dot not rendered")
        else:
            try:
                run = subprocess.run(
                    [dot, "-Tsvg", str(out / "graph.dot"), "-o", "/dev/null"],
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
            except subprocess.TimeoutExpired:
                fail("dot -Tsvg did not finish in 300 s")
            else:
                if run.returncode != 0:
                    fail(f"dot -Tsvg failed: {run.stderr.strip()[:500]}")
                else:
                    print("dot -Tsvg: ok")

    if FAILURES:
        print(f"check_graph: {len(FAILURES)} mismatch(es)", file=sys.stderr)
        return 1
    print(f"check_graph: ok ({counts['csv'][0]} nodes, {counts['csv'][1]} edges)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
