"""Pydantic's validation errors as catalogued messages, by the error's ``type``.

Pydantic writes its messages in English (``"Field required"``, ``"Input should be a valid
number, unable to parse string as a number"``); each error also carries a stable ``type``
(``missing``, ``float_parsing``) and its ``ctx`` (the bound, the pattern, the expected
values). :func:`pydantic_message` turns one error into a :class:`~innesto.i18n.Message`
whose English is Pydantic's own sentence and whose Italian is the catalog's, so the plan's
validation problems (:mod:`innesto.plan.yaml_io`, :mod:`innesto.plan.assemble`,
:mod:`innesto.plan.site`) and the CLI's option values (Typer 0.29 converts them with
Pydantic) read in the user's language. An error of another type keeps Pydantic's English.

Examples
--------
>>> m = pydantic_message({"type": "greater_than_equal", "msg": "...", "ctx": {"ge": 0.5}})
>>> str(m), m.get("it")
('Input should be greater than or equal to 0.5', 'il valore deve essere maggiore o uguale a 0,5')
>>> pydantic_message({"type": "literal_error", "msg": "...",
...                   "ctx": {"expected": "'A', 'B' or 'C'"}}).get("it")
"il valore deve essere 'A', 'B' o 'C'"
>>> pydantic_message({"type": "some_new_type", "msg": "Pydantic's words"})
"Pydantic's words"
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from innesto.i18n import N_, Message, decimal_mark, msg, nmsg, tr


@dataclass(frozen=True)
class Bound:
    """A bound of a constraint (``ge=0``), written as Pydantic writes it (``0``, ``0.05``)
    with the language's decimal separator."""

    value: float

    def get(self, lang: str) -> str:
        v = self.value
        text = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
        return decimal_mark(text, lang)


@dataclass(frozen=True)
class Alternatives:
    """Pydantic's list of expected values (``"'a', 'b' or 'c'"``) with the language's
    "or"."""

    text: str

    def get(self, lang: str) -> str:
        head, sep, last = self.text.rpartition(" or ")
        return tr(lang, "%(first)s or %(last)s", first=head, last=last) if sep else self.text


#: The details Pydantic gives for a date it cannot read (speedate's words), catalogued.
DATE_DETAILS = {d: Message(d) for d in (
    N_("input is too short"), N_("input is too long"), N_("invalid character in year"),
    N_("invalid character in month"), N_("invalid character in day"),
    N_("month value is outside expected range of 1-12"),
    N_("day value is outside expected range"), N_("invalid date separator, expected `-`"),
    N_("invalid datetime separator, expected `T`, `t`, `_` or space"))}


def _detail(ctx: Mapping[str, Any]) -> object:
    error = ctx.get("error", "")
    return DATE_DETAILS.get(error, error) if isinstance(error, str) else error


Make = Callable[[Mapping[str, Any]], Message]

#: Each error type -> its message from the error's ``ctx``; the English msgids are
#: Pydantic's sentences (2.x), so English is unchanged.
MESSAGES: dict[str, Make] = {
    "missing": lambda c: msg("Field required"),
    "extra_forbidden": lambda c: msg("Extra inputs are not permitted"),
    "int_type": lambda c: msg("Input should be a valid integer"),
    "int_parsing": lambda c: msg(
        "Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": lambda c: msg(
        "Input should be a valid integer, got a number with a fractional part"),
    "float_type": lambda c: msg("Input should be a valid number"),
    "float_parsing": lambda c: msg(
        "Input should be a valid number, unable to parse string as a number"),
    "bool_type": lambda c: msg("Input should be a valid boolean"),
    "bool_parsing": lambda c: msg("Input should be a valid boolean, unable to interpret input"),
    "string_type": lambda c: msg("Input should be a valid string"),
    "list_type": lambda c: msg("Input should be a valid list"),
    "dict_type": lambda c: msg("Input should be a valid dictionary"),
    "model_type": lambda c: msg("Input should be a valid dictionary or instance of "
                                "%(class_name)s", class_name=c.get("class_name", "")),
    "greater_than_equal": lambda c: msg("Input should be greater than or equal to %(ge)s",
                                        ge=Bound(c["ge"])),
    "greater_than": lambda c: msg("Input should be greater than %(gt)s", gt=Bound(c["gt"])),
    "less_than_equal": lambda c: msg("Input should be less than or equal to %(le)s",
                                     le=Bound(c["le"])),
    "less_than": lambda c: msg("Input should be less than %(lt)s", lt=Bound(c["lt"])),
    "literal_error": lambda c: msg("Input should be %(expected)s",
                                   expected=Alternatives(c["expected"])),
    "enum": lambda c: msg("Input should be %(expected)s", expected=Alternatives(c["expected"])),
    "string_pattern_mismatch": lambda c: msg("String should match pattern '%(pattern)s'",
                                             pattern=c["pattern"]),
    "string_too_short": lambda c: nmsg("String should have at least %(n)d character",
                                       "String should have at least %(n)d characters",
                                       c["min_length"]),
    "string_too_long": lambda c: nmsg("String should have at most %(n)d character",
                                      "String should have at most %(n)d characters",
                                      c["max_length"]),
    "date_type": lambda c: msg("Input should be a valid date"),
    "date_parsing": lambda c: msg("Input should be a valid date in the format YYYY-MM-DD, "
                                  "%(error)s", error=_detail(c)),
    "date_from_datetime_parsing": lambda c: msg(
        "Input should be a valid date or datetime, %(error)s", error=_detail(c)),
    "date_from_datetime_inexact": lambda c: msg(
        "Datetimes provided to dates should have zero time - e.g. be exact dates"),
    # a validator's own error: a catalogued one says itself (innesto.i18n.localize)
    "value_error": lambda c: msg("Value error, %(error)s", error=c.get("error", "")),
    "assertion_error": lambda c: msg("Assertion failed, %(error)s", error=c.get("error", "")),
}


def pydantic_message(error: Mapping[str, Any]) -> Message | str:
    """One of Pydantic's errors (an item of ``ValidationError.errors()``) as a catalogued
    message; Pydantic's own English ``msg`` for a type not listed in :data:`MESSAGES` (or
    one whose ``ctx`` lacks what the message needs)."""
    make = MESSAGES.get(error.get("type", ""))
    if make is None:
        return str(error.get("msg", ""))
    try:
        return make(error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):   # a ctx of another Pydantic version
        return str(error.get("msg", ""))
