"""The public site's identity: who publishes the plan, for which place, on which regions.

A plan folder holds ``site.yaml`` beside ``plan.yaml`` (a single-file plan: ``site.yaml`` in
the same folder). It names the organisation and the city, the logo and colours, contacts and
the mail sender, and the regions the evidence pages compare: the *focus* region (the plan's
territory), the *comparison* regions (e.g. its NUTS 2 region) and the *benchmark* (the
country the location quotients and shift-share are computed against), with the dataset
they are read from. No city's name or region code lives in the portal's code or templates:
they all come from here. Without a ``site.yaml`` a neutral identity is built from the plan
set (:func:`default_site`).

Examples
--------
>>> s = Site.model_validate({
...     "organisation": {"it": "Agenzia di sviluppo", "en": "Development agency"},
...     "city": {"it": "Città", "en": "City"},
...     "regions": {"dataset": "employment_italy",
...                 "focus": {"code": "X1", "name": {"en": "City"}},
...                 "comparison": [{"code": "X", "name": {"en": "Region"}}],
...                 "benchmark": {"code": "C", "name": {"en": "Country"}}}})
>>> [p.code for p in s.regions.places], s.colours.accent
(['X1', 'X', 'C'], '#8a1c1c')
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from innesto.errors import PlanError
from innesto.i18n import msg, nmsg
from innesto.plan.i18n import Str, Text, both
from innesto.plan.model import PlanSet
from innesto.pydantic_messages import pydantic_message

SITE_FILE = "site.yaml"
#: Largest logo inlined into the site's configuration (bytes).
LOGO_LIMIT = 256 * 1024
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
              ".jpeg": "image/jpeg", ".webp": "image/webp"}

Colour = Annotated[str, StringConstraints(strip_whitespace=True,
                                          pattern=r"^#(?:[0-9a-fA-F]{3}){1,2}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Place(_Model):
    """A region of the evidence panel: its code there and its public name."""

    code: Str
    name: Text


class Divisions(_Model):
    """Finer data published only at a higher level: a NUTS 2 table of NACE divisions
    (Eurostat's regional SBS). ``file`` is its path under the shared data folder
    (``INNESTO_SHARED_DATA``, by default ``../shared/data`` beside the checkout; not
    shipped); ``region`` the NUTS 2 region holding the focus; ``year`` the table's year;
    when the file is absent the finer series is simply not shown."""

    file: Str
    region: Place
    year: Str
    dataset: Str
    licence: Str
    source: Str = "Eurostat"


class Regions(_Model):
    """The regions the evidence pages show, and the panel that holds them.

    ``dataset`` is a function of :mod:`innesto.datasets` (``employment_italy``) returning a
    panel with the industry ``total`` next to the sector codes (a panel without it gets the
    sum of the ``partition``). ``partition`` lists the industries that add up to the total
    (shift-share and the opportunity matrix use them; empty: every industry but the total),
    ``within`` maps a finer sector code to the partition's industry that holds it.
    ``quantity`` names what the values count (persons employed, GDP in millions of USD).
    The *peers* (the map, the opportunity matrix) are the panel's regions at the focus's
    level: codes as long as the focus's, but for the ``ZZ`` extra-regio codes of NUTS."""

    dataset: Str = "employment_italy"
    total: Str = "TOTAL"
    quantity: Text = Field(default_factory=lambda: both("Persons employed"))
    #: The charts' source line (default: the panel's attribution).
    source: Str | None = None
    partition: list[Str] = Field(default_factory=list)
    within: dict[str, str] = Field(default_factory=dict)
    focus: Place
    comparison: list[Place] = Field(default_factory=list)
    benchmark: Place
    divisions: Divisions | None = None

    @property
    def places(self) -> list[Place]:
        """Focus, comparison regions, benchmark: the order of every chart's legend."""
        return [self.focus, *self.comparison, self.benchmark]

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.places]


def contrast(colour: str, against: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21).

    >>> round(contrast("#000000"), 1), round(contrast("#767676"), 2)
    (21.0, 4.54)
    """
    def luminance(c: str) -> float:
        c = c.lstrip("#")
        c = "".join(ch * 2 for ch in c) if len(c) == 3 else c
        ch = [int(c[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in ch]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(colour), luminance(against)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


class Colours(_Model):
    """Links, buttons and rules (``accent``) and the keyboard focus ring (``focus``); both
    must be readable on white (WCAG AA: contrast at least 4.5:1)."""

    accent: Colour = "#8a1c1c"
    focus: Colour = "#0b4f9c"

    @field_validator("accent", "focus")
    @classmethod
    def _readable(cls, v: str) -> str:
        if contrast(v) < 4.5:
            raise ValueError(f"{v} has contrast {contrast(v):.2f}:1 on white; "
                             "WCAG AA needs at least 4.5:1 (choose a darker colour)")
        return v


class Contacts(_Model):
    email: Str | None = None
    phone: Str | None = None
    address: Text | None = None
    website: Str | None = None


class Site(_Model):
    """The identity of the public site (``site.yaml``)."""

    organisation: Text
    city: Text
    #: The site's name (the title of every page); the plan set's title when absent.
    title: Text | None = None
    tagline: Text | None = None
    #: A file in the plan folder (inlined as a ``data:`` URI when loaded) or an URL.
    logo: Str | None = None
    colours: Colours = Field(default_factory=Colours)
    contacts: Contacts = Field(default_factory=Contacts)
    #: ``Name <address>`` of every message the site sends (``DEFAULT_FROM_EMAIL`` wins).
    mail_sender: Str | None = None
    #: The data credit printed in the footer, e.g. the evidence dataset's licence.
    data_credit: Text | None = None
    regions: Regions | None = None


def default_site(ps: PlanSet) -> Site:
    """A neutral identity for a plan without ``site.yaml``: the owner (or the plan's title)
    as organisation and city, no regions (the evidence pages then say so)."""
    return Site(organisation=ps.owner or ps.title, city=ps.title, title=ps.title)


def site_path(plan_path: str | Path) -> Path:
    """Where the site file of the plan at ``plan_path`` (folder or YAML file) lives."""
    p = Path(plan_path)
    return (p if p.is_dir() else p.parent) / SITE_FILE


def load_site(plan_path: str | Path, ps: PlanSet | None = None) -> Site:
    """The site of the plan at ``plan_path``: its ``site.yaml`` validated, the logo file
    inlined; :func:`default_site` (needs ``ps``) when there is none."""
    path = site_path(plan_path)
    if not path.exists():
        if ps is None:
            raise PlanError(msg("%(path)s: no site file; write one (see docs/plan/site.md)",
                            path=path))
        return default_site(ps)
    site = _read(path)
    if site.title is None and ps is not None:
        site = site.model_copy(update={"title": ps.title})
    if site.logo and not site.logo.startswith(("http://", "https://", "data:", "/")):
        site = site.model_copy(update={"logo": _inline(path.parent / site.logo)})
    return site


def _read(path: Path) -> Site:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        site = Site.model_validate(data)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PlanError(msg("%(path)s: cannot read the site file (%(exc)s)", path=path, exc=exc)) from None
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(x) for x in first["loc"])
        raise PlanError(nmsg("%(path)s: %(where)s: %(msg)s (%(n)d problem(s) in all)",
                             "%(path)s: %(where)s: %(msg)s (%(n)d problem(s) in all)",
                             len(exc.errors()), path=path, where=where,
                             msg=pydantic_message(first))) from None
    return site


def _inline(logo: Path) -> str:
    kind = LOGO_TYPES.get(logo.suffix.lower()) or mimetypes.guess_type(logo.name)[0]
    if kind is None or not kind.startswith("image/"):
        raise PlanError(msg("%(logo)s: the logo must be an image (%(items)s)", logo=logo,
                        items=', '.join(LOGO_TYPES)))
    try:
        size = logo.stat().st_size
        if size > LOGO_LIMIT:
            raise PlanError(msg("%(logo)s: the logo is %(size)s bytes; at most %(LOGO_LIMIT)s are "
                            "inlined", logo=logo, size=size, LOGO_LIMIT=LOGO_LIMIT))
        data = logo.read_bytes()
    except OSError as exc:
        raise PlanError(msg("%(logo)s: cannot read the logo (%(strerror)s)", logo=logo,
                        strerror=exc.strerror)) from None
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
