"""Arrow arrays from NumPy arrays and Python strings, without importing pandas.

``pyarrow.array`` first asks pyarrow's pandas shim whether its input is a pandas object,
and the shim imports pandas to answer, the first time, in any process. That import costs
about 0.25 s of CPU (pandas 3, this 2-core machine), which is a tenth of ``innesto
pipeline`` on the 3,000 x 1,000 x 5 panel of ``bench/peers.py``, in a command that never
uses pandas. :func:`array` builds the same arrays from their buffers
(:meth:`pyarrow.Array.from_buffers`), for the two kinds of input the engines hand it:

- a NumPy array of booleans, integers or floats (NaN stays NaN, as with ``pa.array``);
- a sequence of ``str`` (``None`` for a null), as a ``string`` array.

``mask`` marks nulls (True: null), as in ``pa.array``. The way back has the same trap:
``Array.to_numpy`` (and ``np.asarray`` of an Arrow array) imports pandas too, so
:func:`numpy` reads a numeric or boolean array's values from its buffer instead.

>>> array(np.array([1.5, 2.0]), mask=np.array([False, True])).to_pylist()
[1.5, None]
>>> array(np.arange(3), pa.int32()).type
DataType(int32)
>>> array(["a", None, "è"]).to_pylist()
['a', None, 'è']
>>> array(np.array([True, False, True])).to_pylist()
[True, False, True]
>>> numpy(pa.chunked_array([[1, 2], [3]]).combine_chunks().slice(1))
array([2, 3])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

__all__ = ["array", "numpy"]

_MAX_OFFSET = 2**31 - 1


def array(values: np.ndarray | Sequence[str | None], type: pa.DataType | None = None,
          mask: np.ndarray | None = None) -> pa.Array:
    """``pa.array(values, type, mask=mask)`` for NumPy numbers and Python strings, built
    from buffers so that pandas is never imported.

    Raises ``TypeError`` for any other input (use ``pa.array`` there) and
    ``OverflowError`` when ``type`` cannot hold a value, as ``pa.array`` does.
    """
    if isinstance(values, np.ndarray):
        return _numbers(values, type, mask)
    if type is not None and type != pa.string():
        raise TypeError(f"innesto._arrow.array: {type} from a Python sequence")
    return _strings(values, mask)


def _validity(mask: np.ndarray | None, n: int) -> tuple[pa.Buffer | None, int]:
    if mask is None:
        return None, 0
    mask = np.asarray(mask, dtype=bool)
    if mask.ndim != 1 or len(mask) != n:
        raise ValueError(f"mask of {mask.shape} for {n} values")
    nulls = int(mask.sum())
    if not nulls:
        return None, 0
    return pa.py_buffer(np.packbits(~mask, bitorder="little")), nulls


def _numbers(values: np.ndarray, type: pa.DataType | None, mask: np.ndarray | None
             ) -> pa.Array:
    if values.ndim != 1 or values.dtype.kind not in "biuf":
        raise TypeError(f"innesto._arrow.array: a NumPy array of {values.dtype}, "
                        f"{values.ndim} dimension(s)")
    if type is not None:
        target = np.dtype(type.to_pandas_dtype())
        if target != values.dtype:
            cast = values.astype(target)
            if values.dtype.kind in "iu" and target.kind in "iu" and (cast != values).any():
                raise OverflowError(f"integer value too large for {type}")
            values = cast
    typ = pa.from_numpy_dtype(values.dtype)
    n = len(values)
    validity, nulls = _validity(mask, n)
    if values.dtype.kind == "b":
        data = pa.py_buffer(np.packbits(values, bitorder="little"))
    else:
        data = pa.py_buffer(np.ascontiguousarray(values))
    return pa.Array.from_buffers(typ, n, [validity, data], null_count=nulls)


def _strings(values: Sequence[str | None], mask: np.ndarray | None) -> pa.Array:
    n = len(values)
    isnull = np.fromiter((v is None for v in values), dtype=bool, count=n)
    if mask is not None:
        isnull |= np.asarray(mask, dtype=bool)
    encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=n), out=offsets[1:])
    if offsets[-1] > _MAX_OFFSET:
        raise OverflowError("strings longer than 2 GiB in all")
    validity, nulls = _validity(isnull, n)
    return pa.Array.from_buffers(pa.string(), n, [
        validity, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(b"".join(encoded))],
        null_count=nulls)


def numpy(values: pa.Array | pa.ChunkedArray, null: float | None = None) -> np.ndarray:
    """The values of a boolean, integer or floating-point Arrow array as a NumPy array,
    each null as ``null`` (``values.fill_null(null).to_numpy(zero_copy_only=False)``
    without pandas, which ``fill_null``'s scalar would import too). The array is read-only
    unless it was copied (boolean, of several chunks, or with nulls).

    With nulls and no ``null`` given: ``ValueError``, so that what a null becomes is the
    caller's choice, never a NaN or a 0 by accident.

    >>> numpy(array(np.array([1, 2, 3]), mask=np.array([False, True, False])), null=-1)
    array([ 1, -1,  3])
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    typ = values.type
    n, offset = len(values), values.offset
    if pa.types.is_boolean(typ):
        out = _bits(values.buffers()[1], offset, n) if n else np.zeros(0, dtype=bool)
    elif pa.types.is_integer(typ) or pa.types.is_floating(typ):
        dtype = np.dtype(typ.to_pandas_dtype())
        out = np.frombuffer(values.buffers()[1], dtype=dtype, count=n,
                            offset=offset * dtype.itemsize) if n else np.zeros(0, dtype)
    else:
        raise TypeError(f"innesto._arrow.numpy: an array of {typ}")
    if values.null_count:
        if null is None:
            raise ValueError(f"innesto._arrow.numpy: {values.null_count} null(s) and no "
                             "value given for them")
        out = out.copy()
        out[~_bits(values.buffers()[0], offset, n)] = null
    return out


def _bits(buffer: pa.Buffer, offset: int, n: int) -> np.ndarray:
    """``n`` bits of an Arrow bitmap from bit ``offset``, as booleans."""
    raw = np.frombuffer(buffer, dtype=np.uint8)
    return np.unpackbits(raw, count=offset + n, bitorder="little")[offset:].astype(bool)
