"""Warn when a measure is about to sum codes that contain each other.

Official tables mix levels: Eurostat's regional employment table has ``IT``, ``ITC``,
``ITC1`` and ``ITC11`` side by side, and industries ``C`` inside ``B-E``, ``J`` inside
``G-J``, and ``TOTAL``. A benchmark summed over such rows or columns counts the same
persons two or three times, and every location quotient or shift-share built on it is
wrong without any error. The measures call :func:`warn_if_nested` on what they are about
to sum, so the user learns which codes nest and what to pass instead
(``reference_region=``, ``total_industry=``, ``industries=``).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Sequence

from innesto.errors import ClassificationError, DoubleCountingWarning
from innesto.i18n import msg, tr

_CODE = re.compile(r"[A-Z0-9]+")


def nested_regions(codes: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs (outer, inner) of NUTS-style codes where one is a prefix of the other.

    NUTS codes nest by prefix (``IT`` > ``ITC`` > ``ITC1`` > ``ITC11``); so do ISTAT's
    territorial codes and many user codes built the same way. Only codes (capitals and
    digits) are compared: place names such as "Blacktown" and "Blacktown - North" (two
    Australian SA3 areas side by side) share a prefix without nesting.

    Examples
    --------
    >>> nested_regions(["ITC11", "ITC1", "IT", "FR"])
    [('IT', 'ITC1'), ('IT', 'ITC11'), ('ITC1', 'ITC11')]
    >>> nested_regions(["Blacktown", "Blacktown - North"])
    []
    """
    ordered = sorted({c for c in codes if _CODE.fullmatch(c)})
    pairs: list[tuple[str, str]] = []
    for k, outer in enumerate(ordered):
        for inner in ordered[k + 1:]:
            if not inner.startswith(outer):
                break
            pairs.append((outer, inner))
    return pairs


def nested_industries(codes: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs (outer, inner) of NACE codes (incl. Eurostat composites) that overlap.

    ``inner`` lies inside ``outer`` when each of its members equals, or lies below, a member
    of ``outer`` (``C`` is inside ``B-E``, ``26.1`` inside ``C``, everything inside
    ``TOTAL``). Codes that are not NACE are ignored.

    Examples
    --------
    >>> nested_industries(["A", "B-E", "C", "J", "G-J", "K"])
    [('B-E', 'C'), ('G-J', 'J')]
    """
    from innesto.classifications import composite, hierarchy

    h = hierarchy.get("NACE_R2")
    covers: dict[str, frozenset[str]] = {}
    for code in set(codes):
        try:
            if composite.is_composite(code):
                covers[code] = frozenset(composite.members(code))
            elif (norm := h.try_normalise(code)) is not None:
                covers[code] = frozenset({norm})
        except ClassificationError:
            continue
    holders: dict[str, set[str]] = {}
    for code, cover in covers.items():
        for node in cover:
            holders.setdefault(node, set()).add(code)
    pairs: set[tuple[str, str]] = set()
    for inner, cover in covers.items():
        outer: set[str] | None = None
        for node in cover:
            above = set().union(*(holders.get(a, set()) for a in h.ancestors(node)))
            outer = above if outer is None else outer & above
        for o in (outer or set()) - {inner}:
            same = covers[o] == cover
            pairs.add(tuple(sorted((o, inner))) if same else (o, inner))  # type: ignore[arg-type]
    return sorted(pairs)


def _shown(pairs: Sequence[tuple[str, str]]) -> Callable[[str], str]:
    """The first four nesting pairs as ``"A contains B, ..."`` for a warning, in a language."""
    def shown(lang: str) -> str:
        return (", ".join(tr(lang, "%(a)s contains %(b)s", a=a, b=b) for a, b in pairs[:4])
                + (", ..." if len(pairs) > 4 else ""))
    return shown


def warn_if_nested(*, regions: Iterable[str] | None = None,
                   industries: Iterable[str] | None = None, measure: str = "",
                   benchmark_options: bool = True) -> None:
    """Warn (``DoubleCountingWarning``) if the regions or industries to be summed nest.

    ``benchmark_options=False`` for measures on the whole matrix, which can only be told
    which regions and industries to use (not a benchmark row or a total column)."""
    where = msg("%(measure)s: ", measure=measure) if measure else ""
    if regions is not None:
        pairs = nested_regions(regions)
        if pairs:
            fix = (msg("pass reference_region= (--reference-region) or regions= to choose one "
                       "level") if benchmark_options else
                   msg("pass regions= (--regions) to choose one level"))
            warnings.warn(DoubleCountingWarning(msg(
                "%(where)sthe regions summed for the benchmark nest (%(pairs)s), so the "
                "benchmark double counts; %(fix)s", where=where, pairs=_shown(pairs),
                fix=fix)), stacklevel=3)
    if industries is not None:
        pairs = nested_industries(industries)
        if pairs:
            fix = (msg("pass total_industry= (--total-industry, e.g. TOTAL) and industries= "
                       "(--industries) that partition it") if benchmark_options else
                   msg("pass industries= (--industries) that do not overlap"))
            warnings.warn(DoubleCountingWarning(msg(
                "%(where)sthe industries summed for the totals overlap (%(pairs)s), so the "
                "totals double count; %(fix)s", where=where, pairs=_shown(pairs), fix=fix)),
                stacklevel=3)
