"""Rewrite a plan's YAML file with new data, keeping the comments people wrote in it.

Plan files are kept by hand: a planning office writes notes beside targets and sources
(``# figure from the 2006 plan, p. 42``). When ``innesto plan import`` or ``plan refresh``
saves a plan, :func:`updated_text` loads the file as it is on disk with ``ruamel.yaml``'s
round-trip loader and changes it into the new data in place:

- a mapping keeps its keys' order and comments; keys gone from the data are removed, new
  keys are inserted where the data has them;
- a list of mappings that carry an identity (``id``, else ``edition``) is matched item by
  item on it, so a node, an indicator or an edition keeps its comments when others are
  added, removed or moved; other lists are replaced where they differ;
- a scalar that did not change keeps its written form (quotes, ``1.0`` against ``1``).

The result always loads to exactly the new data (tested), so comments never change what
the plan says.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

IDENTITY_KEYS = ("id", "edition")


def _yaml(text: str) -> YAML:
    """A round-trip YAML with the file's own list indentation and no line wrapping."""
    from ruamel.yaml.util import load_yaml_guess_indent

    _, indent, offset = load_yaml_guess_indent(text)
    y = YAML(typ="rt")
    y.width = 1 << 20  # never fold a line the file did not fold
    y.allow_unicode = True
    y.preserve_quotes = True
    indent = indent or 2
    offset = offset or 0
    y.indent(mapping=2, sequence=max(indent, offset + 2), offset=offset)
    return y


def updated_text(path: Path, data: Any, full: Any = None) -> str | None:
    """The text of ``path`` changed into ``data`` with its comments kept; ``None`` when the
    file does not exist, cannot be read as YAML, or holds no comment (then plain writing
    gives the same file).

    ``data`` leaves out values equal to the model's defaults; ``full`` (the same data with
    them) lets a default the file states explicitly (``direction: increase``) stay written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "plan.yaml"
    ...     _ = p.write_text("id: torino  # the association\\ntitle: old\\n")
    ...     print(updated_text(p, {"id": "torino", "title": "new"}), end="")
    id: torino  # the association
    title: new
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    if "#" not in text:
        return None
    try:
        y = _yaml(text)
        doc = y.load(text)
    except YAMLError:  # not YAML ruamel can read: plain writing, as for a new file
        return None
    if not isinstance(doc, CommentedMap) or not isinstance(data, dict):
        return None
    merged = _merge(doc, data, data if full is None else full)
    out = io.StringIO()
    y.dump(merged, out)
    return out.getvalue()


def _merge(old: Any, new: Any, full: Any) -> Any:
    """``old`` (ruamel) changed into ``new``; ``full`` is ``new`` with its defaults."""
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        return _merge_map(old, new, full if isinstance(full, dict) else new)
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        return _merge_list(old, new, full if isinstance(full, list) else new)
    if _same_scalar(old, new):
        return old  # keep the written form
    return _plain(new)


def _merge_map(old: CommentedMap, new: dict[Any, Any], whole: dict[Any, Any]) -> CommentedMap:
    """A mapping changed in place: keys kept in their order with their comments."""
    for key in [k for k in old if k not in new and k not in whole]:
        del old[key]
    for key in [k for k in old if k not in new]:  # a default the file states
        if not _equivalent(old[key], whole[key]):
            old[key] = _plain(whole[key])
    for pos, (key, value) in enumerate(new.items()):
        if key in old:
            old[key] = _merge(old[key], value, whole.get(key, value))
        else:
            old.insert(min(pos, len(old)), key, _plain(value))
    return old


def _merge_list(old: CommentedSeq, new: list[Any], full: list[Any]) -> CommentedSeq:
    if len(full) != len(new):
        full = new
    key = _identity(old, new)
    if key is None:
        if len(old) == len(new):
            for i, value in enumerate(new):
                old[i] = _merge(old[i], value, full[i])
            return old
        old[:] = [_plain(v) for v in new]
        return old
    by_id = {str(item[key]): item for item in old}
    merged = [_merge(by_id[str(item[key])], item, whole) if str(item[key]) in by_id
              else _plain(item) for item, whole in zip(new, full, strict=True)]
    if [str(i[key]) for i in old] != [str(i[key]) for i in new]:
        # comments on list positions would land on other items: keep only those inside
        # each item (its own keys), which travel with it
        old.ca.items.clear()
    old[:] = merged
    return old


def _identity(old: Iterable[Any], new: Iterable[Any]) -> str | None:
    items = [*old, *new]
    for key in IDENTITY_KEYS:
        if items and all(isinstance(i, dict) and key in i for i in items):
            ids = [str(i[key]) for i in new]
            if len(set(ids)) == len(ids):
                return key
    return None


def _equivalent(old: Any, new: Any) -> bool:
    """``old`` (from the file) reads as ``new``, all the way down."""
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_equivalent(old[k], new[k]) for k in new)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(map(_equivalent, old, new))
    return _same_scalar(old, new)


def _same_scalar(old: Any, new: Any) -> bool:
    """The same value as the file writes it: the same kind (ruamel's scalar types subclass
    the plain ones), or what the plan model reads the same (``2000`` for the period
    ``"2000"``, ``5`` for ``5.0``, a date for its ISO text: the data is JSON-shaped)."""
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        return False
    if isinstance(old, bool) != isinstance(new, bool):
        return False
    if isinstance(old, (dt.date, dt.datetime)) and isinstance(new, str):
        return old.isoformat() == new
    if isinstance(old, int) and isinstance(new, str):  # bools were settled above
        return str(old) == new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return bool(old == new)
    return bool(old == new) and isinstance(old, type(new))


def _plain(value: Any) -> Any:
    """New data as ruamel containers, so that later merges and the dump treat it alike."""
    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = _plain(v)
        return m
    if isinstance(value, list):
        return CommentedSeq(_plain(v) for v in value)
    return value
