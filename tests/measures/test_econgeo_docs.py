"""docs/econgeo.md lists every EconGeo 2.0 function, and every innesto function it names
exists (a docs-completeness test in the style of datasette's test_docs.py)."""

from __future__ import annotations

import importlib
import re

from tests.conftest import ROOT

# EconGeo 2.0's NAMESPACE (PABalland/EconGeo, "CRAN prep" commits, DESCRIPTION Version 2.0)
ECONGEO_2_0 = """
co_occurrence diversity ease_recombination entropy entry_list entry_mat exit_list exit_mat
expy get_list get_matrix gini growth_ind growth_list growth_list_ind growth_list_reg
growth_mat growth_reg hachman herfindahl hoover_curve hoover_gini hoover_index
inv_norm_ubiquity kci krugman_index location_quotient location_quotient_avg
locational_gini locational_gini_curve lorenz_curve match_mat modular_complexity
modular_complexity_avg morc mort norm_ubiquity prody rca relatedness relatedness_density
relatedness_density_ext relatedness_density_ext_avg relatedness_density_int
relatedness_density_int_avg spec_coeff tci ubiquity weighted_avg z_score
""".split()

PAGE = ROOT / "docs" / "econgeo.md"


def test_every_econgeo_function_is_listed() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert len(ECONGEO_2_0) == 50
    listed = set(re.findall(r"^\| `([a-z_]+)\(", text, flags=re.M))
    listed |= set(re.findall(r"`([a-z_]+)\([^`]*\)`", text))
    missing = [f for f in ECONGEO_2_0 if f not in listed]
    assert not missing, f"EconGeo functions missing from docs/econgeo.md: {missing}"


def test_every_innesto_function_named_exists() -> None:
    text = PAGE.read_text(encoding="utf-8")
    # `module.function(` at the start of a code span, e.g. `growth.growth(panel, ...)`
    named = set(re.findall(r"`([a-z_]+)\.([a-z_]+)\(", text))
    assert len(named) > 30, named
    for module, func in sorted(named):
        mod = importlib.import_module(f"innesto.measures.{module}")
        assert hasattr(mod, func), f"innesto.measures.{module}.{func} named in the docs"
