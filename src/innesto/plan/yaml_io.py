"""Plans as YAML: one file, or a folder (``plan.yaml`` plus ``editions/*.yaml``).

Errors name the file, the line and the field. PyYAML's composed node tree keeps the line
and column of every key and item; Pydantic's error locations (``editions.1.nodes.0.title``)
are looked up in that map, falling back to the nearest enclosing element.

A single file holds either a plan set (``id``, ``title``, ``actors``, ``editions`` ...) or one
plan edition (it has an ``edition`` key), which is then wrapped in a plan set of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from innesto._atomic import recover, write_text, write_together
from innesto.errors import PlanError, SourceError
from innesto.i18n import Message, localize, msg, nplural, tr
from innesto.plan import values_csv
from innesto.plan.model import Plan, PlanSet
from innesto.plan.references import Loc, Problem, code_problems, dotted, reference_problems
from innesto.pydantic_messages import pydantic_message
from innesto.sources import limits

#: libyaml's parser when PyYAML was built with it (about ten times faster); marks are the same.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLAN_FILE = "plan.yaml"
EDITIONS_DIR = "editions"
_TAIL = ("source", "confidence", "illustrative", "note")


@dataclass(frozen=True)
class Where:
    file: str
    line: int
    column: int


class PlanValidationError(PlanError):
    """A plan failed validation; ``problems`` lists each (file, line, column, field, message)."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        self.problems = problems
        super().__init__(self.localized("en"))

    def localized(self, lang: str) -> str:
        """The problems in ``lang``: the frame words and each message (catalogued, the
        validator's by its error type: :mod:`innesto.pydantic_messages`)."""
        problems = self.problems
        lines = [_format(p, lang) for p in problems[:30]]
        if len(problems) > 30:
            lines.append(nplural(lang, "... and %(n)d more", "... and %(n)d more",
                                 len(problems) - 30))
        if len(problems) <= 1:
            return lines[0]
        head = nplural(lang, "%(n)d problem(s) in the plan:", "%(n)d problem(s) in the plan:",
                       len(problems))
        return "\n".join([head, *lines])


def _format(p: dict[str, Any], lang: str) -> str:
    where = [p["file"]] if p.get("file") else []
    if p.get("line"):
        where.append(tr(lang, "line %(line)s", line=p["line"]))
    if p.get("field"):
        where.append(tr(lang, "field '%(field)s'", field=p["field"]))
    text = localize(p["message"], lang)
    return f"{', '.join(where)}: {text}" if where else text


# ---------------------------------------------------------------------- reading
def _compose(path: Path) -> tuple[Any, dict[Loc, Where]]:
    try:
        text = limits.read_raw(path).decode("utf-8-sig")
    except SourceError as exc:
        raise PlanValidationError([{"file": str(path), "line": exc.line, "field": None,
                                    "message": exc.message}]) from None
    except UnicodeDecodeError as exc:
        raise PlanValidationError([{"file": str(path), "line": None, "field": None,
                                    "message": msg("not UTF-8 text (%(reason)s)",
                                                       reason=exc.reason)}]) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        try:
            limits.check_yaml(node, path)  # an alias bomb stops here, before _walk
        except SourceError as exc:
            raise PlanValidationError([{"file": str(path), "line": 1, "field": None,
                                        "message": exc.message}]) from None
        marks: dict[Loc, Where] = {}
        _walk(node, (), marks, str(path))
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise PlanValidationError([{
            "file": str(path), "line": mark.line + 1 if mark else None, "field": None,
            "column": mark.column + 1 if mark else None,
            "message": msg("YAML syntax: %(problem)s",
                           problem=exc.problem or exc.context)}]) from None
    finally:
        loader.dispose()
    return data, marks


def _walk(node: yaml.Node, loc: Loc, marks: dict[Loc, Where], file: str) -> None:
    marks.setdefault(loc, Where(file, node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            k = key.value
            if k in seen:
                raise PlanValidationError([{
                    "file": file, "line": key.start_mark.line + 1, "field": dotted((*loc, k)),
                    "column": key.start_mark.column + 1, "message": msg("duplicate key %(key)s", key=repr(k))}])
            seen.add(k)
            marks[(*loc, k)] = Where(file, key.start_mark.line + 1, key.start_mark.column + 1)
            _walk(value, (*loc, k), marks, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*loc, i), marks, file)


def _is_plan(data: Any) -> bool:
    return isinstance(data, dict) and "edition" in data


def read_raw(path: str | Path) -> tuple[dict[str, Any], dict[Loc, Where]]:
    """The plan set as plain data with the location of every element."""
    p = Path(path)
    if p.is_dir():
        recover(p)  # a save of the folder a crash interrupted after its commit point
        head = p / PLAN_FILE
        if not head.exists():
            raise PlanError(msg("%(p)s: a plan folder needs a %(PLAN_FILE)s (found none)", p=p,
                            PLAN_FILE=PLAN_FILE))
        data, marks = _compose(head)
        data = data or {}
        if not isinstance(data, dict):
            raise PlanValidationError([{"file": str(head), "line": 1, "field": None,
                                        "message": msg("expected a mapping of plan-set fields")}])
        editions = list(data.get("editions") or [])
        folder = p / EDITIONS_DIR
        files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []
        for f in files:
            ed, emarks = _compose(f)
            i = len(editions)
            editions.append(ed)
            for loc, where in emarks.items():
                marks[("editions", i, *loc)] = where
        data["editions"] = editions
        values = p / values_csv.FILE
        if values.exists():
            values_csv.merge(data, values_csv.read_rows(values), str(values), marks, Where)
        return data, marks
    if not p.exists():
        raise PlanError(msg("%(plan)s: no such plan file or folder", plan=p))
    data, marks = _compose(p)
    if _is_plan(data):
        wrapped = {"id": data.get("id", "plan"), "title": data.get("title"), "editions": [data]}
        marks = {("editions", 0, *loc): w for loc, w in marks.items()}
        marks[()] = Where(str(p), 1, 1)
        return wrapped, marks
    if not isinstance(data, dict):
        raise PlanValidationError([{"file": str(p), "line": 1, "field": None,
                                    "message": msg("expected a plan set or a plan edition (a mapping)")}])
    return data, marks


def locate(loc: Loc, marks: dict[Loc, Where]) -> Where | None:
    """The location of ``loc`` or of its nearest enclosing element."""
    for n in range(len(loc), -1, -1):
        where = marks.get(tuple(loc[:n]))
        if where is not None:
            return where
    return None


def problems_from(exc: ValidationError, marks: dict[Loc, Where], default: str) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        message: Message | str
        if err["type"] in ("missing",):
            message = msg("required field is missing")
        elif err["type"] == "extra_forbidden":
            message = msg("unknown field (check its spelling)")
        elif err["type"] == "model_type" and (err.get("ctx") or {}).get("class_name") == "Text":
            message = msg("expected a bilingual text such as {it: ..., en: ...}")
        else:
            message = pydantic_message(err)
        out.append(_located(loc, message, marks, default))
    return out


def _located(loc: Loc, message: str, marks: dict[Loc, Where], default: str) -> dict[str, Any]:
    """A problem as :class:`PlanValidationError` lists it: the file, line and column of
    ``loc`` (or of its nearest enclosing element; else ``default`` and no line), the dotted
    field and the message."""
    where = locate(loc, marks)
    return {"file": where.file if where else default, "line": where.line if where else None,
            "column": where.column if where else None, "field": dotted(loc), "message": message}


def _raise_problems(problems: Iterable[Problem], marks: dict[Loc, Where], default: str) -> None:
    """Raise :class:`PlanValidationError` listing ``problems`` with their places, if any."""
    located = [_located(prob.loc, prob.message, marks, default) for prob in problems]
    if located:
        raise PlanValidationError(located)


def parse(data: dict[str, Any], marks: dict[Loc, Where], default: str) -> PlanSet:
    """Validate plain data into a :class:`PlanSet`, reporting every problem with its place."""
    try:
        ps = PlanSet.model_validate(data, context={"defer_references": True})
    except ValidationError as exc:
        raise PlanValidationError(problems_from(exc, marks, default)) from None
    _raise_problems(reference_problems(ps), marks, default)
    return ps


def load_plan(path: str | Path) -> PlanSet:
    """Load and validate a plan file or folder (raises :class:`PlanValidationError`).

    An edition file inside a plan folder (``<folder>/editions/2006.yaml``) is read with its
    folder (actors, sectors, values) and the plan set returned holds that edition only.
    """
    p = Path(path)
    folder = p.parent.parent
    if p.is_file() and p.parent.name == EDITIONS_DIR and (folder / PLAN_FILE).exists():
        ps = load_plan(folder)
        raw = _compose(p)[0]
        year = raw.get("edition") if isinstance(raw, dict) else None
        return ps.model_copy(update={"editions": [e for e in ps.editions if e.edition == year]})
    data, marks = read_raw(path)
    return parse(data, marks, str(path))


def validate_plan(path: str | Path) -> PlanSet:
    """:func:`load_plan` plus the check of sector codes against NACE Rev. 2 and ATECO 2007
    (which loads the classification tables); problems name file, line and field."""
    p = Path(path)
    if p.is_file() and p.parent.name == EDITIONS_DIR and (p.parent.parent / PLAN_FILE).exists():
        return validate_plan(p.parent.parent).model_copy(update={"editions": load_plan(p).editions})
    data, marks = read_raw(p)
    ps = parse(data, marks, str(path))
    _raise_problems(code_problems(ps), marks, str(path))
    return ps


# ---------------------------------------------------------------------- writing
def to_data(model: PlanSet | Plan) -> dict[str, Any]:
    """Plain data for YAML/JSON: defaults left out, provenance fields last."""
    return _reorder(model.model_dump(mode="json", exclude_defaults=True))


def _reorder(obj: Any) -> Any:
    if isinstance(obj, dict):
        keys = [k for k in obj if k not in _TAIL] + [k for k in _TAIL if k in obj]
        return {k: _reorder(obj[k]) for k in keys}
    if isinstance(obj, list):
        return [_reorder(x) for x in obj]
    return obj


def dumps(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_plan(ps: PlanSet, path: str | Path) -> list[Path]:
    """Write the plan set as one file (``*.yaml``) or as a folder; returns the files written.

    In a folder, each edition goes to ``editions/<edition>.yaml``, every indicator value to
    ``values.csv``, and edition files no longer in the plan are removed. A YAML file that
    already exists keeps its comments, key order and written form where the plan did not
    change (:mod:`innesto.plan.yaml_keep`). Every file is written to a temporary file first,
    and a folder's files change together (:func:`innesto._atomic.write_together`: a crash
    or ``kill -9`` leaves all the old files or all the new ones).
    """
    p = Path(path)
    data = to_data(ps)
    full = _reorder(ps.model_dump(mode="json"))
    if p.suffix in (".yaml", ".yml"):
        write_text(p, _text(p, data, full))
        return [p]
    values = values_csv.extract(data)
    for ed in full.get("editions", []):
        for ind in ed.get("indicators", []):
            ind.pop("observations", None)  # they go to values.csv, as in ``data``
    editions = data.pop("editions", [])
    full_editions = full.pop("editions", [])
    recover(p)
    texts = {p / PLAN_FILE: _text(p / PLAN_FILE, data, full), p / values_csv.FILE: values}
    for ed, ed_full in zip(editions, full_editions, strict=True):
        f = p / EDITIONS_DIR / f"{ed['edition']}.yaml"
        texts[f] = _text(f, ed, ed_full)
    # one change for the whole folder: a crash leaves every old file or every new one
    return write_together(p, texts, list(_stale(p / EDITIONS_DIR, set(texts))))


def _text(path: Path, data: dict[str, Any], full: dict[str, Any]) -> str:
    """The YAML text of ``data`` for ``path``: the existing file changed in place when it
    has comments to keep, else written afresh."""
    from innesto.plan.yaml_keep import updated_text

    return updated_text(path, data, full) or dumps(data)


def _stale(folder: Path, keep: set[Path]) -> Iterator[Path]:
    if folder.is_dir():
        for f in [*folder.glob("*.yaml"), *folder.glob("*.yml")]:
            if f not in keep:
                yield f
