"""Pydantic's validation errors as catalogued messages (innesto.pydantic_messages): in
English the very sentence Pydantic writes, in Italian the catalog's, for every error type
the table knows; Pydantic's English for a type it does not."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from innesto.i18n import Message
from innesto.pydantic_messages import MESSAGES, pydantic_message


class Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    n: int = 0
    x: float = 0
    flag: bool = False
    s: str = ""
    items: list[int] = []
    mapping: dict[str, int] = {}
    kind: Literal["a", "b", "c"] = "a"
    ge: Annotated[float, Field(ge=0.5)] = 1
    gt: Annotated[int, Field(gt=0)] = 1
    le: Annotated[float, Field(le=2)] = 0
    lt: Annotated[int, Field(lt=10)] = 0
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z]+$")] = "a"
    short: Annotated[str, StringConstraints(min_length=2, max_length=3)] = "ab"
    one: Annotated[str, StringConstraints(min_length=1, max_length=1)] = "a"
    day: date = date(2020, 1, 1)
    required: int


class Holder(BaseModel):
    inner: Sample


BAD: list[dict[str, Any]] = [
    {"n": "x", "x": "y", "flag": "maybe", "s": 1, "items": "x", "mapping": 1, "kind": "z",
     "ge": 0, "gt": 0, "le": 3, "lt": 10, "slug": "A", "short": "a", "one": "", "day": "2015-13-01",
     "extra": 1},
    {"n": 1.5, "x": [], "flag": [], "short": "abcd", "one": "ab", "day": "2015",
     "required": 1},
    {"n": [], "day": [], "required": 1},
]


def _errors() -> list[dict[str, Any]]:
    out = []
    for data in BAD:
        with pytest.raises(ValidationError) as caught:
            Sample.model_validate(data)
        out.extend(caught.value.errors(include_url=False))
    with pytest.raises(ValidationError) as caught:
        Holder.model_validate({"inner": 1})
    return [*out, *caught.value.errors(include_url=False)]


ERRORS = _errors()


def test_the_sample_reaches_most_of_the_table() -> None:
    missing = set(MESSAGES) - {e["type"] for e in ERRORS}
    # the rest need a validator of their own or an Enum
    assert missing == {"value_error", "assertion_error", "enum", "date_parsing"}


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: f"{e['type']}-{e['loc'][-1]}")
def test_english_is_pydantic_s_sentence_and_italian_the_catalog_s(error: dict[str, Any]) -> None:
    message = pydantic_message(error)
    assert isinstance(message, Message)
    assert str(message) == message.get("en") == error["msg"]
    assert message.get("it") != error["msg"]


def test_a_count_takes_its_plural_form() -> None:
    lengths = {e["loc"][-1]: pydantic_message(e).get("it") for e in ERRORS
               if e["type"] == "string_too_short"}
    assert lengths == {"short": "il testo deve avere almeno 2 caratteri",
                       "one": "il testo deve avere almeno 1 carattere"}


def test_a_validator_s_own_catalogued_error_says_itself_and_an_unknown_type_stays() -> None:
    from innesto.i18n import msg

    error = {"type": "value_error", "msg": "Value error, empty file",
             "ctx": {"error": ValueError(msg("empty file"))}}
    assert pydantic_message(error).get("it") == "valore non valido: file vuoto"
    assert str(pydantic_message(error)) == "Value error, empty file"
    assert pydantic_message({"type": "uuid_parsing", "msg": "Input should be a valid UUID"}) \
        == "Input should be a valid UUID"
    # a ctx without what the message needs (another Pydantic): Pydantic's words
    assert pydantic_message({"type": "greater_than", "msg": "Pydantic's", "ctx": {}}) \
        == "Pydantic's"
