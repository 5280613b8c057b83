"""Bilingual text (Italian and English), the library's one translation mechanism, and the
number formats each language reads.

Every text a citizen may see in a plan is a :class:`Text` with an ``it`` and an ``en``
version. Which of the two are mandatory is declared by the plan (``languages``); the check
is done by :func:`innesto.plan.model.reference_problems`, so a draft can be loaded with a
missing translation and be told exactly which field lacks it.

The words the library itself writes (status labels and explanations, roll-up, delivery and
provenance sentences, the CLI's messages) are GNU gettext messages of the domain
``innesto`` (:mod:`innesto.i18n`): English msgids translated in
``innesto/locale/<lang>/LC_MESSAGES/innesto.po`` (plural forms included), read through
:func:`tr` and :func:`nplural` for one language and :func:`both`, :func:`nboth` and
:func:`per_lang` for a :class:`Text` in every language. The
portal translates only its own words (Django's catalogs) and shows these in the page's
language.

Examples
--------
>>> t = Text(it="Trasformazione industriale", en="Industrial transformation")
>>> t.en, t.get("it")
('Industrial transformation', 'Trasformazione industriale')
>>> Text(it="solo italiano").get("en")          # falls back to the other language
'solo italiano'
>>> fmt_number(220500.0, "it"), fmt_number(220500.0, "en")
('220.500', '220,500')
>>> fmt_pct(0.0351, "it", signed=True), fmt_pct(0.0351, "en", signed=True)
('+3,5%', '+3.5%')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from innesto.i18n import DOMAIN, LANGS, LOCALE, Lang, fmt_number, fmt_pct, nplural, tr

__all__ = ["DOMAIN", "LANGS", "LOCALE", "Lang", "Str", "Text", "both", "fmt_number", "fmt_pct",
           "nboth", "nplural", "per_lang", "tr"]

#: A non-empty, stripped string: an empty spreadsheet cell means "absent", never "".
Str = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Text(BaseModel):
    """A text in Italian and English; either may be missing in a draft."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    it: Str | None = None
    en: Str | None = None

    def get(self, lang: str, *, fallback: bool = True) -> str:
        """The text in ``lang``; with ``fallback`` the other language when it is missing."""
        value = self.it if lang == "it" else self.en
        if value is None and fallback:
            value = self.en if lang == "it" else self.it
        return value or ""

    def missing(self, langs: Sequence[str]) -> list[str]:
        """The languages of ``langs`` this text lacks."""
        return [lang for lang in langs if getattr(self, lang, None) is None]

    def __str__(self) -> str:
        return self.get("en")


def both(msgid: str, **values: object) -> Text:
    """The message ``msgid`` in every language, as a :class:`Text`.

    >>> both("latest %(value)s in %(year)s", value=lambda lang: fmt_number(1500.5, lang),
    ...      year=2017).it
    'ultimo valore 1.500 nel 2017'
    """
    return per_lang(lambda lang: tr(lang, msgid, **values))


def per_lang(make: Callable[[str], str]) -> Text:
    """The :class:`Text` whose version in each language is ``make(lang)``.

    >>> per_lang(lambda lang: fmt_number(0.5, lang)).it
    '0,5'
    """
    return Text(**{lang: make(lang) for lang in LANGS})


def nboth(singular: str, plural: str, n: int, **values: object) -> Text:
    """The sentence for ``n`` (see :func:`nplural`) in every language, as a :class:`Text`."""
    return per_lang(lambda lang: nplural(lang, singular, plural, n, **values))
