"""innesto._arrow builds and reads Arrow arrays from buffers so that pandas is never
imported; every case is checked against pyarrow's own ``pa.array`` / ``to_numpy`` (the
reference: the library the helpers stand in for), including masks, slices (offsets),
booleans (bit-packed) and chunked input."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from innesto import _arrow

NUMBERS = [np.array([1.5, np.nan, -0.0, 3e300]), np.arange(-3, 70, dtype=np.int64),
           np.array([7, 0, 255], np.uint8), np.array([True, False, True] * 7),
           np.zeros(0, np.float64), np.array([-1, 5], np.int8)]


@pytest.mark.parametrize("values", NUMBERS, ids=lambda v: f"{v.dtype}-{len(v)}")
def test_numbers_equal_pyarrows_own_conversion(values: np.ndarray) -> None:
    """Same type, values and NaN as ``pa.array`` (NaN stays a value, not a null)."""
    ours, theirs = _arrow.array(values), pa.array(values)
    assert ours.type == theirs.type
    np.testing.assert_array_equal(ours.to_numpy(zero_copy_only=False),
                                  theirs.to_numpy(zero_copy_only=False))  # NaN == NaN here
    assert ours.null_count == theirs.null_count == 0
    ours.validate(full=True)


@pytest.mark.parametrize("values", NUMBERS[:4], ids=lambda v: str(v.dtype))
def test_masked_numbers_equal_pyarrows_own_conversion(values: np.ndarray) -> None:
    mask = np.arange(len(values)) % 3 == 1
    ours = _arrow.array(values, mask=mask)
    assert ours.equals(pa.array(values, mask=mask))
    assert ours.null_count == int(mask.sum()) > 0
    ours.validate(full=True)


def test_a_type_casts_and_refuses_what_it_cannot_hold() -> None:
    assert _arrow.array(np.arange(4), pa.int32()).equals(pa.array(np.arange(4), pa.int32()))
    with pytest.raises(OverflowError):
        _arrow.array(np.array([2**40]), pa.int32())
    with pytest.raises(pa.ArrowInvalid):  # pyarrow refuses the same value
        pa.array(np.array([2**40]), pa.int32())
    with pytest.raises(TypeError):
        _arrow.array(np.array(["a"], dtype=object))
    with pytest.raises(TypeError):
        _arrow.array(["a"], pa.int64())


def test_strings_equal_pyarrows_own_conversion() -> None:
    labels = ["ITC1", None, "Città", "", "数字", "a" * 300]
    ours = _arrow.array(labels)
    assert ours.equals(pa.array(labels, pa.string()))
    assert _arrow.array([]).equals(pa.array([], pa.string()))
    masked = _arrow.array(["x", "y"], mask=np.array([False, True]))
    assert masked.to_pylist() == ["x", None]
    ours.validate(full=True)


@pytest.mark.parametrize("values", [pa.array([3, None, 5, 6], pa.int32()),
                                    pa.array([1.5, None, 2.5]),
                                    pa.array([True, None, False, True, True] * 3)],
                         ids=lambda a: str(a.type))
def test_numpy_reads_what_to_numpy_reads(values: pa.Array) -> None:
    """After the nulls are filled, the same values as ``fill_null(x).to_numpy()``, also
    for a slice starting inside a byte of the bitmap and for chunked input."""
    fill = False if pa.types.is_boolean(values.type) else -1
    for piece in (values, values.slice(1), values.slice(3, 2),
                  pa.chunked_array([values, values.slice(2)])):
        expected = piece.fill_null(fill).to_numpy(zero_copy_only=False)
        got = _arrow.numpy(piece, null=fill)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
    with pytest.raises(ValueError, match="null"):
        _arrow.numpy(values)
    with pytest.raises(TypeError):
        _arrow.numpy(pa.array(["a"]))
