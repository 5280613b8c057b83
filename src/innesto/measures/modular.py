r"""Ease of recombination and modular complexity (Fleming & Sorenson 2001, 2004), as in
EconGeo's ``ease.recombination``, ``modular.complexity`` and ``modular.complexity.avg``.

Read the panel as an incidence table of *items* (``region``: patents, firms, places) and
*components* (``industry``: technology classes, products). A component that combines with
many others relative to how often it is used is easy to recombine; an item made of
components that are hard to recombine is (interdependent, hence) complex.

.. math::

    E_i = \frac{\#\{j \ne i : \exists\, l,\ X_{li} X_{lj} > 0\}}{\#\{l : X_{li} > 0\}},
    \qquad
    K_l = \frac{\#\{i : X_{li} > 0\}}{\sum_{i : X_{li} > 0} E_i}

and the average modular complexity of component *i* is the mean of :math:`K_l` over the
items that use it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from innesto.measures._kernels import incidence, per_period
from innesto.measures._structure import Codes, Periods, Selection
from innesto.panel import Panel, PanelMatrix


def ease_matrix(x: sp.spmatrix) -> np.ndarray:
    """Ease of recombination of each column of a binary incidence matrix (NaN if unused).

    Examples
    --------
    >>> x = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 1], [1, 0, 0]]))
    >>> ease_matrix(x).round(3).tolist()
    [0.667, 1.0, 1.0]
    """
    x = sp.csr_matrix(x, dtype=np.float64)
    cooc = sp.csr_matrix(x.T @ x)
    cooc.setdiag(0)
    cooc.eliminate_zeros()
    partners = np.diff(cooc.indptr).astype(np.float64)  # distinct co-occurring components
    uses = np.asarray(x.sum(axis=0)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(uses > 0, partners / uses, np.nan)


def modular_matrix(x: sp.spmatrix) -> np.ndarray:
    """Modular complexity of each row (0 where its components' ease sums to 0, as EconGeo).

    Examples
    --------
    >>> x = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 1], [1, 0, 0]]))
    >>> modular_matrix(x).round(3).tolist()
    [1.2, 1.2, 1.5]
    """
    x = sp.csr_matrix(x, dtype=np.float64)
    ease = np.nan_to_num(ease_matrix(x))
    k = np.asarray(x.sum(axis=1)).ravel()
    s = np.asarray(x @ ease).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(s > 0, k / s, 0.0)


def _ease(pm: PanelMatrix, t: str) -> pd.DataFrame:
    return pd.DataFrame({"industry": pm.industries.astype(str),
                         "ease": ease_matrix(incidence(pm.matrix, True))})


def _modular(pm: PanelMatrix, t: str) -> pd.DataFrame:
    return pd.DataFrame({"region": pm.regions.astype(str),
                         "modular_complexity": modular_matrix(incidence(pm.matrix, True))})


def _modular_avg(pm: PanelMatrix, t: str) -> pd.DataFrame:
    x = incidence(pm.matrix, True)
    uses = np.asarray(x.sum(axis=0)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        avg = np.where(uses > 0, np.asarray(x.T @ modular_matrix(x)).ravel() / uses, np.nan)
    return pd.DataFrame({"industry": pm.industries.astype(str), "modular_complexity_avg": avg})


def ease_of_recombination(panel: Panel,
    *, regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    """Ease of recombination per industry (component): ``industry, time, ease``.

    A cell counts when its value is positive.

    References
    ----------
    Fleming, L., & Sorenson, O. (2001). Technology as a complex adaptive system: evidence
    from patent data. Research Policy 30(7), 1019-1039, eq. 2. Balland, P.-A. EconGeo,
    ``ease.recombination``.

    Examples
    --------
    >>> p = Panel.from_records([("p1", "a", 1, 1), ("p1", "b", 1, 1), ("p2", "a", 1, 1),
    ...                         ("p2", "c", 1, 1), ("p3", "a", 1, 1)])
    >>> ease_of_recombination(p)["ease"].round(3).tolist()
    [0.667, 1.0, 1.0]
    """
    selection = Selection(regions, industries, period, reference_region, total_industry)
    return per_period(selection.for_matrix(panel, "ease_of_recombination"), _ease)


def modular_complexity(panel: Panel,
    *, regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    """Modular complexity per region (item): ``region, time, modular_complexity``.

    References
    ----------
    Fleming, L., & Sorenson, O. (2004). Science as a map in technological search.
    Strategic Management Journal 25(8-9), 909-928, eq. 1 (interdependence K).
    Balland, P.-A. EconGeo, ``modular.complexity``.

    Examples
    --------
    >>> p = Panel.from_records([("p1", "a", 1, 1), ("p1", "b", 1, 1), ("p2", "a", 1, 1),
    ...                         ("p2", "c", 1, 1), ("p3", "a", 1, 1)])
    >>> modular_complexity(p)["modular_complexity"].round(3).tolist()
    [1.2, 1.2, 1.5]
    """
    selection = Selection(regions, industries, period, reference_region, total_industry)
    return per_period(selection.for_matrix(panel, "modular_complexity"), _modular)


def modular_complexity_avg(panel: Panel,
    *, regions: Codes = None, industries: Codes = None, period: Periods = None,
    reference_region: str | None = None, total_industry: str | None = None) -> pd.DataFrame:
    """Average modular complexity of the items using each industry:
    ``industry, time, modular_complexity_avg`` (EconGeo ``modular.complexity.avg``).

    Examples
    --------
    >>> p = Panel.from_records([("p1", "a", 1, 1), ("p1", "b", 1, 1), ("p2", "a", 1, 1),
    ...                         ("p2", "c", 1, 1), ("p3", "a", 1, 1)])
    >>> modular_complexity_avg(p)["modular_complexity_avg"].round(3).tolist()
    [1.3, 1.2, 1.2]
    """
    selection = Selection(regions, industries, period, reference_region, total_industry)
    return per_period(selection.for_matrix(panel, "modular_complexity_avg"), _modular_avg)
