"""Eurostat's high-tech and knowledge-intensive aggregates of NACE Rev. 2 divisions.

Eurostat groups manufacturing divisions by technological intensity (R&D expenditure over
value added) and service divisions by knowledge intensity (share of tertiary-educated
persons), always at the NACE Rev. 2 two-digit level, which is the level regional data
have. The lists below are transcribed from Eurostat, *Statistics on high-tech industry and
knowledge-intensive services*, metadata (``htec_esms``), Annex 3 "High-tech aggregation by
NACE Rev. 2" (``htec_esms_an3.pdf``). Where Eurostat publishes the aggregate under a
``nace_r2`` code (e.g. ``C_HTC`` in ``htec_emp_reg2``) the code is given too.

Examples
--------
>>> HTEC["HT"].divisions
('21', '26')
>>> grouping(["HT", "MHT"])["MHT"]
['20', '27', '28', '29', '30']
>>> technology_group("29.10")
'MHT'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from innesto.errors import ClassificationError
from innesto.i18n import msg

_NO_SUCH_DIVISION = {"04", "34", "40", "44", "48", "54", "57", "67", "76", "83", "89"}


def _span(lo: int, hi: int) -> tuple[str, ...]:
    """Divisions ``lo`` to ``hi`` as Eurostat writes them ("84 to 93"), skipping the numbers
    NACE Rev. 2 leaves unused (e.g. 89)."""
    return tuple(f"{d:02d}" for d in range(lo, hi + 1) if f"{d:02d}" not in _NO_SUCH_DIVISION)


@dataclass(frozen=True)
class Aggregate:
    """One Eurostat aggregate: its divisions and its names in English and Italian."""

    key: str
    label_en: str
    label_it: str
    divisions: tuple[str, ...]
    eurostat_code: str | None = None


_ROWS = [
    # Manufacturing by technological intensity
    Aggregate("HT", "High-technology manufacturing", "Manifattura ad alta tecnologia",
              ("21", "26"), "C_HTC"),
    Aggregate("MHT", "Medium-high-technology manufacturing",
              "Manifattura a medio-alta tecnologia", ("20", *_span(27, 30)), "C_HTC_M"),
    Aggregate("MLT", "Medium-low-technology manufacturing",
              "Manifattura a medio-bassa tecnologia", ("19", *_span(22, 25), "33"), "C_LTC_M"),
    Aggregate("LT", "Low-technology manufacturing", "Manifattura a bassa tecnologia",
              (*_span(10, 18), "31", "32"), "C_LTC"),
    Aggregate("HMHT", "High and medium-high-technology manufacturing",
              "Manifattura ad alta e medio-alta tecnologia",
              ("20", "21", "26", *_span(27, 30)), "C_HTC_MH"),
    Aggregate("LMLT", "Low and medium-low-technology manufacturing",
              "Manifattura a bassa e medio-bassa tecnologia",
              (*_span(10, 19), *_span(22, 25), "31", "32", "33"), "C_LTC_LM"),
    # Services by knowledge intensity
    Aggregate("KIS", "Knowledge-intensive services", "Servizi ad alta intensità di conoscenza",
              ("50", "51", *_span(58, 66), *_span(69, 75), "78", "80", *_span(84, 93)), "KIS"),
    Aggregate("KIMS", "Knowledge-intensive market services (excluding high-tech and financial)",
              "Servizi di mercato ad alta intensità di conoscenza (esclusi high-tech e finanziari)",
              ("50", "51", "69", "70", "71", "73", "74", "78", "80")),
    Aggregate("KIHTS", "High-tech knowledge-intensive services",
              "Servizi high-tech ad alta intensità di conoscenza",
              (*_span(59, 63), "72"), "KIS_HTC"),
    Aggregate("KIFS", "Knowledge-intensive financial services",
              "Servizi finanziari ad alta intensità di conoscenza", _span(64, 66)),
    Aggregate("OKIS", "Other knowledge-intensive services",
              "Altri servizi ad alta intensità di conoscenza", ("58", "75", *_span(84, 93))),
    Aggregate("LKIS", "Less knowledge-intensive services",
              "Servizi a bassa intensità di conoscenza",
              (*_span(45, 47), "49", "52", "53", "55", "56", "68", "77", "79", "81", "82",
               *_span(94, 99)), "LKIS"),
    Aggregate("LKIMS", "Less knowledge-intensive market services",
              "Servizi di mercato a bassa intensità di conoscenza",
              (*_span(45, 47), "49", "52", "55", "56", "68", "77", "79", "81", "82")),
    Aggregate("OLKIS", "Other less knowledge-intensive services",
              "Altri servizi a bassa intensità di conoscenza", ("53", *_span(94, 99))),
    # High-tech sectors: high-tech manufacturing plus high-tech knowledge-intensive services
    Aggregate("HTS", "High-technology sectors (high-tech manufacturing and knowledge-intensive "
              "high-tech services)", "Settori ad alta tecnologia (manifattura e servizi)",
              ("21", "26", *_span(59, 63), "72"), "HTC"),
]

HTEC: dict[str, Aggregate] = {a.key: a for a in _ROWS}
"""Every aggregate by key (``HT``, ``MHT``, ``MLT``, ``LT``, ``KIS``, ``KIHTS``, ``LKIS``...)."""

TECHNOLOGY = ("HT", "MHT", "MLT", "LT")
"""The four manufacturing classes; they partition NACE section C (divisions 10-33)."""
KNOWLEDGE = ("KIMS", "KIHTS", "KIFS", "OKIS", "LKIMS", "OLKIS")
"""The six service classes; KIS and LKIS are their unions."""


def grouping(keys: Iterable[str] = TECHNOLOGY) -> dict[str, list[str]]:
    """A grouping for :func:`innesto.classifications.aggregate`: key -> NACE divisions."""
    out = {}
    for k in keys:
        if k not in HTEC:
            raise ClassificationError(
                msg("unknown Eurostat aggregate %(k)s; known: %(items)s", k=repr(k),
                items=', '.join(HTEC))
            )
        out[k] = list(HTEC[k].divisions)
    return out


def technology_group(code: str) -> str | None:
    """The technology class (HT, MHT, MLT, LT) of a manufacturing NACE code, else ``None``."""
    from innesto.classifications.hierarchy import get

    nace = get("NACE_R2")
    division = nace.ancestor(code, "division")
    for key in TECHNOLOGY:
        if division in HTEC[key].divisions:
            return key
    return None


def knowledge_group(code: str) -> str | None:
    """The service class (KIMS, KIHTS, KIFS, OKIS, LKIMS, OLKIS) of a NACE code, else ``None``."""
    from innesto.classifications.hierarchy import get

    division = get("NACE_R2").ancestor(code, "division")
    for key in KNOWLEDGE:
        if division in HTEC[key].divisions:
            return key
    return None
