"""Eurostat's composite NACE codes: ranges and unions such as ``B-E``, ``M_N``, ``C10-C12``.

Eurostat tables (e.g. ``nama_10r_3empers``, the Torino example) use aggregates of the A*10
and A*21 breakdowns: ``B-E`` is sections B to E, ``M_N`` is M and N, ``C10-C12`` divisions
10 to 12, ``C31_C32`` divisions 31 and 32, ``TOTAL`` everything. They are not codes of the
hierarchy; this module expands them to their members and labels them in English and Italian
(the A*10 labels as Eurostat and Istat publish them; other composites join their members'
labels).

Examples
--------
>>> members("B-E")
['B', 'C', 'D', 'E']
>>> members("C31_C32"), members("M_N")
(['31', '32'], ['M', 'N'])
>>> composite_label("G-I", "it")
'Commercio, trasporti e magazzinaggio, servizi di alloggio e ristorazione'
"""

from __future__ import annotations

import re

from innesto.errors import ClassificationError
from innesto.i18n import msg

_PATTERN = re.compile(r"^([A-Z](?:\d{2})?)([-_])([A-Z](?:\d{2})?)$")

# Eurostat's A*10 aggregates (nama_10r_3empers and the regional accounts)
LABELS: dict[str, tuple[str, str]] = {
    "TOTAL": ("Total - all NACE activities", "Totale attività economiche"),
    "B-E": ("Industry (except construction)", "Industria (escluse le costruzioni)"),
    "G-I": ("Wholesale and retail trade, transport, accommodation and food service activities",
            "Commercio, trasporti e magazzinaggio, servizi di alloggio e ristorazione"),
    "G-J": ("Wholesale and retail trade, transport, accommodation and food service activities; "
            "information and communication",
            "Commercio, trasporti e magazzinaggio, alloggio e ristorazione; servizi di "
            "informazione e comunicazione"),
    "K-N": ("Financial and insurance activities; real estate activities; professional, "
            "scientific and technical activities; administrative and support service activities",
            "Attività finanziarie e assicurative; attività immobiliari; attività professionali, "
            "scientifiche e tecniche; amministrazione e servizi di supporto"),
    "M_N": ("Professional, scientific and technical activities; administrative and support "
            "service activities",
            "Attività professionali, scientifiche e tecniche; amministrazione e servizi di "
            "supporto"),
    "O-Q": ("Public administration, defence, education, human health and social work "
            "activities",
            "Amministrazione pubblica e difesa, istruzione, sanità e assistenza sociale"),
    "O-U": ("Public administration, defence, education, human health and social work "
            "activities; arts, entertainment and recreation; other service activities; "
            "activities of households and extra-territorial organisations",
            "Amministrazione pubblica e difesa, istruzione, sanità e assistenza sociale; "
            "attività artistiche, di intrattenimento e divertimento; altre attività di servizi"),
    "R-U": ("Arts, entertainment and recreation; other service activities; activities of "
            "household and extra-territorial organizations and bodies",
            "Attività artistiche, di intrattenimento e divertimento; altre attività di servizi; "
            "attività di famiglie e organizzazioni extraterritoriali"),
}


def is_composite(code: object) -> bool:
    """Whether ``code`` is spelt as a composite (``TOTAL``, ``X-Y`` or ``X_Y``)."""
    raw = re.sub(r"\s+", "", str(code)).upper()
    return raw == "TOTAL" or _PATTERN.match(raw) is not None


def members(code: object, classification: str = "NACE_R2") -> list[str]:
    """The sections or divisions a composite code stands for, in the classification's order."""
    from innesto.classifications.hierarchy import get

    h = get(classification)
    raw = re.sub(r"\s+", "", str(code)).upper()
    if raw == "TOTAL":
        return h.codes(h.levels[0])
    m = _PATTERN.match(raw)
    if m is None:
        raise ClassificationError(msg("%(code)s is not a composite code such as B-E or M_N",
                                  code=repr(code)))
    lo, sep, hi = h.try_normalise(m.group(1)), m.group(2), h.try_normalise(m.group(3))
    if lo is None or hi is None or h.level(lo) != h.level(hi):
        raise ClassificationError(
            msg("%(code)s: both ends must be %(name)s codes of the same level", code=repr(code),
            name=h.name))
    if sep == "_":
        return [lo, hi]
    level = h.codes(h.level(lo))
    i, j = level.index(lo), level.index(hi)
    if i > j:
        raise ClassificationError(msg("%(code)s: the range runs backwards", code=repr(code)))
    return level[i: j + 1]


def composite_label(code: object, lang: str = "en", classification: str = "NACE_R2") -> str:
    """The composite's label: Eurostat's/Istat's for the A*10 aggregates, else the members'."""
    from innesto.classifications.hierarchy import get

    raw = re.sub(r"\s+", "", str(code)).upper()
    if raw in LABELS and lang in ("en", "it"):
        return LABELS[raw][0 if lang == "en" else 1]
    h = get(classification)
    return "; ".join(h.label(c, lang) for c in members(raw, classification))
