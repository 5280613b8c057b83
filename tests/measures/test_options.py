"""Every public measure takes the same selection and benchmark options (issue: one
consistent measures API): ``regions``, ``industries``, ``period``, ``reference_region`` and
``total_industry``, keyword-only, typed alike, and each refuses what it cannot honour with
an error that names the option."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

import innesto.measures as measures
from innesto.errors import MeasureError
from innesto.panel import Panel

SHARED = {"regions": "Codes", "industries": "Codes", "period": "Periods",
          "reference_region": "str | None", "total_industry": "str | None"}


def public_measures() -> list[tuple[str, Callable[..., Any]]]:
    """Functions of innesto.measures.* (not private) whose first parameter is a panel."""
    out = []
    for mod in pkgutil.iter_modules(measures.__path__):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"innesto.measures.{mod.name}")
        for name, f in inspect.getmembers(module, inspect.isfunction):
            if f.__module__ != module.__name__ or name.startswith("_"):
                continue
            params = list(inspect.signature(f).parameters)
            if params and params[0] == "panel":
                out.append((f"{mod.name}.{name}", f))
    return out


MEASURES = public_measures()


def test_there_are_measures_to_check() -> None:
    assert len(MEASURES) > 40


@pytest.mark.parametrize(("name", "func"), MEASURES, ids=[n for n, _ in MEASURES])
def test_signature_has_the_shared_options(name: str, func: Callable[..., Any]) -> None:
    sig = inspect.signature(func)
    for option, annotation in SHARED.items():
        assert option in sig.parameters, f"{name} lacks {option}="
        param = sig.parameters[option]
        assert param.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}: {option} positional"
        if name == "shift_share.shift_share" and option == "reference_region":
            # a shift-share is always against a benchmark region: it is required there
            assert param.annotation == "str" and param.default is inspect.Parameter.empty
            continue
        assert param.annotation == annotation, f"{name}: {option}: {param.annotation}"
        assert param.default is None, f"{name}: {option} defaults to {param.default!r}"
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values()), (
        f"{name} still takes **options")


PANEL = Panel.from_records([
    (r, i, t, float(v)) for t, k in (("2016", 0), ("2017", 1))
    for (r, i, v) in [("R1", "A", 5 + k), ("R1", "B", 3), ("R1", "C", 1), ("R2", "A", 1),
                      ("R2", "B", 4 + k), ("R2", "C", 6), ("R3", "A", 2), ("R3", "B", 2),
                      ("R3", "C", 9 - k)]])
EXTRA: dict[str, dict[str, Any]] = {
    "shift_share.shift_share": {"focus": "R1", "reference_region": "R2", "start": 2016,
                                "end": 2017},
    "dynamics.entries_exits": {"start": 2016, "end": 2017},
    "dynamics.density_predicts_entry": {"start": 2016, "end": 2017},
    "prody.prody": {"gdp_per_capita": pd.Series({"R1": 1.0, "R2": 2.0, "R3": 3.0})},
    "prody.expy": {"gdp_per_capita": pd.Series({"R1": 1.0, "R2": 2.0, "R3": 3.0})},
    "diversity.variety": {"groups": {"A": "g1", "B": "g1", "C": "g2"}},
    "weighted.weighted_average": {"values": {"A": 1.0, "B": 2.0, "C": 3.0}},
    "opportunity.opportunity_matrix": {"region": "R1"},
}


@pytest.mark.parametrize(("name", "func"), MEASURES, ids=[n for n, _ in MEASURES])
def test_an_unknown_region_is_named_in_the_error(name: str,
                                                 func: Callable[..., Any]) -> None:
    """Selection is validated the same way everywhere: a region the panel lacks is named."""
    if name == "shift_share.shift_share":
        with pytest.raises(MeasureError, match="regions="):
            func(PANEL, **EXTRA[name], regions=["nowhere"])
        return
    with pytest.raises(MeasureError, match="nowhere"):
        func(PANEL, **EXTRA.get(name, {}), regions=["nowhere"])


@pytest.mark.parametrize(("name", "func"), MEASURES, ids=[n for n, _ in MEASURES])
def test_an_unknown_period_is_named_in_the_error(name: str, func: Callable[..., Any]) -> None:
    with pytest.raises(MeasureError, match="1900|period="):
        func(PANEL, **EXTRA.get(name, {}), period="1900")
