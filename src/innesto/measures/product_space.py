r"""The product (or industry) space: the proximity network drawn as in Hidalgo et al. (2007).

The backbone is the maximum spanning tree of the proximity matrix (every industry
connected through its strongest links), to which every link with
:math:`\phi \ge` ``min_proximity`` is added (0.55 in the paper). The result is a
:class:`networkx.Graph`; :func:`graph_json` and :func:`graph_graphml` serialise it.
"""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import minimum_spanning_tree

from innesto.errors import MeasureError
from innesto.i18n import msg
from innesto.measures._structure import Codes, Periods, Selection
from innesto.measures.complexity import check_values, presence
from innesto.measures.relatedness import proximity_matrix
from innesto.panel import Panel


def backbone(phi: sp.spmatrix, min_proximity: float = 0.55) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Edges ``(i, j, is_tree)`` (``i < j``) of the maximum spanning tree (forest) of ``phi``
    plus every edge with :math:`\phi_{ij} \ge` ``min_proximity``.

    Examples
    --------
    >>> phi = sp.csr_matrix(np.array([[0, .9, .2, .1], [.9, 0, .6, .3], [.2, .6, 0, .58],
    ...                               [.1, .3, .58, 0]]))
    >>> i, j, tree = backbone(phi, 0.55)
    >>> list(zip(i.tolist(), j.tolist(), tree.tolist()))
    [(0, 1, True), (1, 2, True), (2, 3, True)]
    """
    upper = sp.triu(sp.csr_matrix(phi, dtype=np.float64), k=1).tocoo()
    keep = upper.data > 0
    row, col, val = upper.row[keep], upper.col[keep], upper.data[keep]
    n = phi.shape[0]
    # a maximum spanning tree is a minimum one on a decreasing, positive transform
    weights = sp.csr_matrix((2.0 - val, (row, col)), shape=(n, n))
    tree = sp.coo_matrix(minimum_spanning_tree(weights))
    t_i, t_j = np.minimum(tree.row, tree.col), np.maximum(tree.row, tree.col)
    in_tree = {(int(a), int(b)) for a, b in zip(t_i, t_j, strict=True)}
    strong = val >= min_proximity
    edges = {(int(a), int(b)) for a, b in zip(row[strong], col[strong], strict=True)} | in_tree
    ordered = sorted(edges)
    i = np.array([e[0] for e in ordered], dtype=np.int64)
    j = np.array([e[1] for e in ordered], dtype=np.int64)
    return i, j, np.array([e in in_tree for e in ordered], dtype=bool)


def product_space(
    panel: Panel,
    *,
    time: str | int | None = None,
    threshold: float = 1.0,
    min_proximity: float = 0.55,
    regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> nx.Graph:
    r"""The product space of one period as a graph.

    Nodes are industries (attribute ``ubiquity``), edges carry ``proximity``
    (:func:`innesto.measures.relatedness.proximity_matrix`, :math:`M = [RCA \ge`
    ``threshold`` :math:`]`) and ``tree`` (part of the maximum spanning tree). Industries
    no region is specialised in are left out.

    References
    ----------
    Hidalgo, C. A., Klinger, B., Barabási, A.-L., & Hausmann, R. (2007). The product space
    conditions the development of nations. Science 317, 482-487, Fig. 1 and SOM section 2
    (maximum spanning tree plus links with proximity >= 0.55).

    Examples
    --------
    >>> p = Panel.from_records([("A", "x", 1, 5), ("A", "y", 1, 5), ("B", "x", 1, 9),
    ...                         ("B", "z", 1, 1), ("C", "y", 1, 2), ("C", "z", 1, 10)])
    >>> g = product_space(p)
    >>> sorted(g.nodes), [(a, b, d["proximity"]) for a, b, d in g.edges(data=True)]
    (['x', 'y', 'z'], [('x', 'y', 0.5)])
    """
    selection = Selection(regions, industries, period, reference_region, total_industry)
    panel = selection.for_matrix(panel, "product_space")
    pm = panel.matrix(time=time)
    check_values(pm, str(time))
    m = presence(pm.matrix, threshold)
    u = np.asarray(m.sum(axis=0)).ravel()
    phi = sp.csr_matrix(proximity_matrix(m))
    i, j, tree = backbone(phi, min_proximity)
    labels = [str(c) for c in pm.industries]
    g = nx.Graph(time="" if time is None else str(time), min_proximity=min_proximity)
    for k in np.flatnonzero(u > 0):
        g.add_node(labels[k], ubiquity=int(u[k]))
    vals = np.asarray(phi[i, j]).ravel() if len(i) else np.empty(0)
    for a, b, v, t in zip(i, j, vals, tree, strict=True):
        g.add_edge(labels[a], labels[b], proximity=float(v), tree=bool(t))
    if g.number_of_nodes() == 0:
        raise MeasureError(msg("no region is specialised in any industry: the space is empty"))
    return g


def graph_json(g: nx.Graph) -> str:
    """The graph as node-link JSON (``nodes``, ``edges``), e.g. for D3 or the portal.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("0101", "0102", proximity=0.6, tree=True)
    >>> json.loads(graph_json(g))["edges"]
    [{'proximity': 0.6, 'tree': True, 'source': '0101', 'target': '0102'}]
    """
    return json.dumps(nx.node_link_data(g, edges="edges"), ensure_ascii=False)


def graph_graphml(g: nx.Graph) -> str:
    """The graph as GraphML text (Gephi, Cytoscape, yEd).

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("a", "b", proximity=0.6)
    >>> '<edge source="a" target="b"' in graph_graphml(g)
    True
    """
    return "\n".join(nx.generate_graphml(g))
