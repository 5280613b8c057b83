"""The provenance of the figures the portal stores, read back as the library's
:class:`~innesto.plan.provenance.Provenance` (the portal computes none of it)."""

from __future__ import annotations

from pydantic import ValidationError

from innesto.plan import model
from innesto.plan.i18n import Text
from innesto.plan.provenance import Provenance, from_dict, of_indicator
from innesto.portal.plans.models import Indicator, IndicatorValue


def of_stored_indicator(ind: Indicator) -> Provenance:
    """The indicator's provenance from its plan document (its stored fields when the
    document is missing, as for an indicator made in the back office)."""
    if ind.document:
        try:
            return of_indicator(model.Indicator.model_validate(ind.document))
        except ValidationError:
            pass
    return Provenance(source=ind.source_en or ind.source_it or None,
                      unit=Text(it=ind.unit_it, en=ind.unit_en or ind.unit_it),
                      confidence=ind.confidence or None, illustrative=ind.illustrative)


def of_stored_value(v: IndicatorValue) -> Provenance:
    """A stored value's provenance (its source field when none was recorded)."""
    if v.provenance:
        return from_dict(v.provenance)
    return Provenance(source=v.source or None, released=v.published_on)
