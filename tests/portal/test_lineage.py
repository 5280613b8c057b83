"""Node pages name the nodes of other editions that carry them on (``successors``): the
reverse of each node's ``lineage``.

Pinned against the example's YAML files, read here with a few lines of PyYAML (no code of
``src/``): every (edition, node) a lineage entry names has, as successors, exactly the nodes
whose lineage names it; e.g. the 2015 plan's ``a2-economic-agency`` merges the 2006
``business-internationalisation`` and ``local-finance``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

EDITIONS = Path(__file__).resolve().parents[2] / "examples" / "torino" / "editions"


def _named_in_lineage() -> dict[tuple[int, str], set[tuple[int, str]]]:
    """(edition, node) -> the (edition, node) of every node whose lineage names it."""
    out: dict[tuple[int, str], set[tuple[int, str]]] = defaultdict(set)

    def walk(year: int, nodes: list[dict[str, Any]]) -> None:
        for n in nodes:
            for link in n.get("lineage", []):
                out[(int(link["edition"]), link["node"])].add((year, n["id"]))
            walk(year, n.get("children", []))

    for path in sorted(EDITIONS.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        walk(int(doc["edition"]), doc.get("nodes", []))
    return out


def test_successors_are_the_reverse_of_lineage(torino_plan: Any) -> None:
    from innesto.portal.plans.models import Node
    from innesto.portal.plans.presenters import _successors

    expected = _named_in_lineage()
    assert expected[(2006, "business-internationalisation")] == {(2015, "a2-economic-agency")}
    checked = 0
    for node in Node.objects.select_related("edition"):
        got = {(s.edition.year, s.key) for s in _successors(node)}
        assert got == expected.get((node.edition.year, node.key), set()), node.key
        checked += bool(got)
    assert checked >= 3  # the example has several nodes carried on in a later edition


def test_a_node_page_links_to_its_successor(torino_plan: Any, client: Any) -> None:
    from innesto.portal.plans.models import Node

    node = Node.objects.get(edition__year=2006, key="business-internationalisation")
    later = Node.objects.get(edition__year=2015, key="a2-economic-agency")
    html = client.get(f"/en/plan/2006/{node.path}/").content.decode()
    assert f"/en/plan/{later.edition.slug}/{later.path}/" in html
