"""The one value parser: numbers in either locale, flags, NA tokens, refusals with a location.

The expected numbers are built here without the parser: a number is formatted from an
integer mantissa and a scale with plain string operations (grouping by three, the locale's
marks), and its value is Python's ``float`` of the canonical ``1234.5`` text.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innesto.errors import SourceError
from innesto.sources import values as V
from innesto.sources.report import ReadReport


def fmt(mantissa: int, scale: int, decimal: str, group: bool) -> tuple[str, float]:
    """``mantissa / 10**scale`` written with ``decimal`` (grouped by three if ``group``),
    and its true value."""
    sign = "-" if mantissa < 0 else ""
    digits = str(abs(mantissa)).rjust(scale + 1, "0")
    whole, frac = digits[: len(digits) - scale], digits[len(digits) - scale:]
    truth = float(f"{sign}{whole}.{frac}" if scale else f"{sign}{whole}")
    if group:
        sep = "," if decimal == "." else "."
        parts = []
        while len(whole) > 3:
            parts.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = sep.join([whole, *parts])
    return sign + whole + (decimal + frac if scale else ""), truth


numbers = st.tuples(st.integers(-10**12, 10**12), st.integers(0, 4), st.booleans())


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(numbers, min_size=1, max_size=30), decimal=st.sampled_from([".", ","]))
def test_numbers_round_trip_with_the_decimal_mark_set(cells, decimal):
    """Property: a column written in either locale reads back exactly when the mark is set."""
    texts, truth = zip(*(fmt(m, s, decimal, g) for m, s, g in cells), strict=True)
    col = V.parse_column(list(texts), V.TABULAR.with_decimal(decimal))
    assert col.values.to_pylist() == list(truth)
    for text, value in zip(texts, truth, strict=True):  # the scalar route agrees
        assert V.parse_cell(text, V.TABULAR.with_decimal(decimal)) == (value, "", "ok")


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(numbers, min_size=1, max_size=30), decimal=st.sampled_from([".", ","]))
def test_detection_never_reads_a_number_as_another(cells, decimal):
    """Property: with the mark detected, a column reads exactly its true values, or is
    refused with an error naming the file, the line and the column (never misread)."""
    texts, truth = zip(*(fmt(m, s, decimal, g) for m, s, g in cells), strict=True)
    lines = list(range(2, 2 + len(texts)))
    try:
        col = V.parse_column(list(texts), V.TABULAR,
                             where=V.Where("it.csv", "addetti", lines))
    except SourceError as exc:
        assert exc.path is not None and str(exc.path) == "it.csv"
        assert exc.line in lines and exc.column == "addetti"
        assert "--decimal" in str(exc)
        return
    assert col.values.to_pylist() == list(truth)


def test_italian_column_reads_right():
    """The issue's example: ``40.100`` and ``1.234,5`` in one Italian column."""
    col = V.parse_column(["40.100", "1.234,5", "7"], where=V.Where("it.csv", "v", [2, 3, 4]))
    assert col.decimal == ","
    assert col.values.to_pylist() == [40100.0, 1234.5, 7.0]


def test_ambiguous_column_is_refused_with_its_location():
    with pytest.raises(SourceError) as err:
        V.parse_column(["7", "40.100", "12.500"], where=V.Where("it.csv", "v", [2, 3, 4]))
    assert (err.value.line, err.value.column) == (3, "v")
    assert "40.1 with a decimal point, 40100 with a decimal comma" in str(err.value)
    assert "--decimal ," in str(err.value)


def test_two_locales_in_one_column_are_refused():
    with pytest.raises(SourceError) as err:
        V.parse_column(["1,5", "7", "2.5"], where=V.Where("x.csv", "v", [2, 3, 4]))
    assert (err.value.line, err.value.column) == (4, "v")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123.4 p", (123.4, "p", "ok")),
        ("12e", (12.0, "e", "ok")),
        ("1e5", (100000.0, "", "ok")),  # an exponent where the format admits one
        ("1.5E-3 p", (0.0015, "p", "ok")),
        (": c", (None, "c", "confidential")),
        (" d", (None, "d", "missing")),
        ("n/a", (None, "", "missing")),
        ("N/A", (None, "", "missing")),
        ("-", (None, "", "missing")),
        ("12:00 AM", (None, "", "corrupt")),
        ("1_000", (None, "", "corrupt")),  # Python's float() would take it
        ("inf", (None, "inf", "missing")),  # Eurostat flags i, n, f without a value
        ("Infinity", (None, "", "corrupt")),
        ("\u0663", (None, "", "corrupt")),  # an Arabic-Indic digit: not ASCII
        ("1,234.5", (1234.5, "", "ok")),
        ("1,23.5", (None, "", "corrupt")),  # a thousands group must have three digits
    ],
)
def test_cells_on_the_tabular_grammar(raw, expected):
    syntax = V.TABULAR.with_decimal(".")
    assert V.parse_cell(raw, syntax) == expected
    col = V.parse_column([raw], syntax)
    assert (col.values.to_pylist()[0], col.flags.to_pylist()[0] or "", col.status[0]) \
        == expected


def test_record_counts_each_status_and_flag_letter_once():
    raw = ["12 p", "5 pe", ": c", "", "x", "3"]
    col = V.parse_column(raw, V.EUROSTAT_SBS)
    r = ReadReport(path="t", format="t")
    col.record(r, raw, [2, 3, 4, 5, 6, 7], "2015")
    assert r.counts == {"confidential": 2, "corrupt": 1, "flag:e": 1, "flag:p": 2}


def test_symbols_keep_their_reason_and_flag():
    syntax = V.ValueSyntax(decimal=".", symbols={"(D)": ("confidential", "D")})
    col = V.parse_column(["(D)", "4"], syntax)
    r = ReadReport(path="t", format="t")
    col.record(r, ["(D)", "4"], [2, 3], "v")
    assert col.flags.to_pylist() == ["D", None] and r.counts == {"confidential": 1}


cell_text = st.text(alphabet=list("0123456789.,+-eE :cdpnNA/ \t"), max_size=12)


@settings(max_examples=400, deadline=None)
@given(raw=st.lists(cell_text, min_size=1, max_size=20),
       syntax=st.sampled_from([V.EUROSTAT, V.EUROSTAT_SBS, V.SDMX, V.TABULAR.with_decimal("."),
                               V.TABULAR.with_decimal(",")]))
def test_column_and_cell_routes_agree(raw, syntax):
    """Property: the vectorised (Arrow) and the per-cell (Python) routes give the same
    value, flags and status for any cell."""
    col = V.parse_column(raw, syntax)
    got = list(zip(col.values.to_pylist(), [f or "" for f in col.flags.to_pylist()],
                   col.status, strict=True))
    assert got == [V.parse_cell(c, syntax) for c in raw]
