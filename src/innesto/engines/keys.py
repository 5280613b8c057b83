"""How the relational stage writes a key (region, industry, period) as text: one rule.

A text key is trimmed of blanks (the characters of Ibis ``strip``: space, tab, line feed,
carriage return, vertical tab, form feed); a period written as ``2017.0`` (a year that went
through a float in a CSV file) becomes ``2017``; an integer key is its digits. A key that
is empty after trimming is no key when it is a region or an industry (the row is set
aside as ``no_key``).

The engines evaluate the rule row by row as Ibis expressions
(:func:`innesto.engines.relational.clean`, with the patterns below); :func:`clean_label`
evaluates it once per distinct label of a dictionary-encoded column
(:mod:`innesto.engines.direct`), so a table with millions of rows and a few thousand
labels is cleaned in a few thousand steps. ``tests/engines/test_direct.py`` checks that
both give the same text on hostile labels.

>>> [clean_label(v, period=True) for v in (" 2017.0 ", "2017.50", "\\t", None, 2018)]
['2017', '2017.50', '', None, '2018']
>>> clean_label(" C10.0 ", period=False)
'C10.0'
"""

from __future__ import annotations

import re

#: the blanks trimmed from text keys (as Ibis ``strip`` compiles on DuckDB and Spark)
BLANKS = " \t\n\r\x0b\x0c"
#: a text period that is a whole number written with a zero fraction
PERIOD_WHOLE = r"^[0-9]+\.0+$"
#: a float key (any column, as text) that is a whole number
FLOAT_WHOLE = r"^-?[0-9]+\.0+$"
#: the zero fraction dropped from such a key
ZERO_FRACTION = r"\.0+$"

_PERIOD, _FRACTION = re.compile(PERIOD_WHOLE), re.compile(ZERO_FRACTION)


def clean_label(label: str | int | None, *, period: bool) -> str | None:
    """One label of a text or integer key column as the relational stage writes it
    (None for a null)."""
    if label is None:
        return None
    if isinstance(label, int):  # an integer column: its digits, as the engines cast it
        return str(label)
    text = label.strip(BLANKS)
    if period and _PERIOD.match(text):
        text = _FRACTION.sub("", text)
    return text
