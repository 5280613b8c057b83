"""The lazy line iterators the readers use instead of whole-text copies: they must give
exactly the lines of ``str.splitlines`` and of ``io.StringIO(text, newline="")`` (which
the csv module reads), for every text and chunk size."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from innesto.sources._tabular import iter_lines, text_lines

# every line boundary str.splitlines knows, CR/LF pairs, quotes and plain characters
TEXT = st.text(alphabet=list('ab, "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029'), max_size=40)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_iter_lines_is_splitlines(text: str) -> None:
    assert list(iter_lines(text)) == text.splitlines()


@settings(max_examples=500, deadline=None)
@given(TEXT, st.integers(1, 8))
def test_text_lines_are_stringio_lines(text: str, chunk: int) -> None:
    assert list(text_lines(text, chunk=chunk)) == list(io.StringIO(text, newline=""))
