"""The library's one translation mechanism: GNU gettext, domain ``innesto``.

Every word the library and the CLI write for a person (status sentences, read reports,
the CLI's errors, warnings, summaries and help) is an English msgid translated in
``locale/<lang>/LC_MESSAGES/innesto.po`` (Italian, and English to itself), plural forms
included. :func:`tr` and :func:`nplural` give a message in one language; :func:`msg` and
:func:`nmsg` make a :class:`Message`, an English ``str`` that remembers its msgid, so an
exception raised with it reads in English wherever it is shown as it is, and in the user's
language where the CLI shows it (:func:`localize`). The plan's bilingual texts build on
this module (:mod:`innesto.plan.i18n`). The language of a person at a terminal is
:func:`user_lang`, read from the environment as GNU gettext reads it.

Examples
--------
>>> tr("it", "not available"), tr("en", "not available")
('non disponibile', 'not available')
>>> m = msg("no such file or folder%(where)s: check the path", where=" (x.csv)")
>>> str(m)
'no such file or folder (x.csv): check the path'
>>> m.get("it")
'file o cartella inesistente (x.csv): controllare il percorso'
>>> user_lang({"LANG": "it_IT.UTF-8"}), user_lang({"LANG": "C", "LANGUAGE": "it"})
('it', 'en')
"""

from __future__ import annotations

import gettext
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast

Lang = Literal["it", "en"]
LANGS: tuple[Lang, ...] = ("it", "en")

#: The library's message catalogs (``locale/<lang>/LC_MESSAGES/innesto.po`` and its
#: compiled ``.mo``). The msgids are the English texts; both catalogs translate them (English
#: usually to itself), and ``python -m innesto.portal.i18n check`` fails when the code uses a
#: msgid a catalog lacks or leaves untranslated.
LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "innesto"


@lru_cache(maxsize=4)
def _catalog(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=str(LOCALE), languages=[lang], fallback=True)


def _language_of(locale: str) -> str:
    """``it_IT.UTF-8@euro`` -> ``it``."""
    return locale.split(".")[0].split("@")[0].split("_")[0].lower()


def user_lang(environ: Mapping[str, str] | None = None) -> Lang:
    """The language of the messages for the person running the command, as GNU gettext
    chooses it: the locale of messages is the first set of ``LC_ALL``, ``LC_MESSAGES`` and
    ``LANG`` (the C locale when none is); in the C (or POSIX) locale messages are English and
    ``LANGUAGE`` is ignored; otherwise ``LANGUAGE`` (a ``:``-separated list of preferences),
    when set, replaces the locale, and the first of its languages that has a catalog wins.
    English when no preference has a catalog. The variables are read, not the C library's
    current locale, so ``LANG=it_IT.UTF-8`` gives Italian even where that locale is not
    installed.

    >>> user_lang({"LC_ALL": "C", "LANG": "it_IT.UTF-8"})
    'en'
    >>> user_lang({"LANG": "en_GB.UTF-8", "LANGUAGE": "fr:it"})
    'it'
    >>> user_lang({"LANG": "it_IT.UTF-8", "LANGUAGE": "fr"})
    'en'
    """
    env = os.environ if environ is None else environ
    locale = next((env[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(k)), "C")
    if locale in ("C", "POSIX"):
        return "en"
    wanted = env["LANGUAGE"].split(":") if env.get("LANGUAGE") else [locale]
    return next((cast(Lang, code) for code in map(_language_of, wanted) if code in LANGS),
                "en")


def _resolve(lang: str, values: Mapping[str, object]) -> dict[str, object]:
    """Values filled into a message: a text in several languages (anything with
    ``get(lang)``, such as a :class:`Message` or a plan's ``Text``), an error (:func:`localize`)
    or a function of the language (a number formatted the language's way) is taken in
    ``lang``."""
    out: dict[str, object] = {}
    for k, v in values.items():
        if isinstance(v, BaseException):   # an error quoted in a message says itself
            v = localize(v, lang)
        elif callable(v):
            v = v(lang)
        elif not isinstance(v, Mapping) and callable(getattr(v, "get", None)):
            v = cast(Any, v).get(lang)
        out[k] = v
    return out


def tr(lang: str, msgid: str, /, **values: object) -> str:
    """The message ``msgid`` (its English text) in ``lang``, filled with ``values``
    (``%(name)s``).

    >>> tr("it", "target %(target)s by %(year)s", target="1,5", year=2015)
    'obiettivo 1,5 entro il 2015'
    """
    text = _catalog(lang).gettext(msgid)
    return text % _resolve(lang, values) if values else text


def nplural(lang: str, singular: str, plural: str, n: int, /, **values: object) -> str:
    """The sentence for ``n`` in ``lang`` through gettext's plural forms, filled with ``n``
    and ``values`` (``%(n)d``, ``%(k)d``...).

    >>> one, many = "%(n)d not available", "%(n)d not available"
    >>> nplural("it", one, many, 1), nplural("it", one, many, 3)
    ('1 non disponibile', '3 non disponibili')
    """
    return _catalog(lang).ngettext(singular, plural, n) % {"n": n, **_resolve(lang, values)}


def fmt_number(x: float, lang: str, *, digits: int | None = None, trim: bool = True) -> str:
    """``x`` with the thousands and decimal separators of ``lang``.

    ``digits=None`` chooses: no decimals for ``|x| >= 100``, else up to 3 significant
    decimals; trailing zeros are removed unless ``trim=False``.

    >>> fmt_number(1.97, "it", digits=3, trim=False), fmt_number(1.97, "en", digits=3)
    ('1,970', '1.97')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return tr(lang, "n/a")
    if digits is None:
        ax = abs(x)
        digits = 0 if ax >= 100 else (1 if ax >= 10 else (2 if ax >= 1 else 3))
    text = f"{x:,.{digits}f}"
    if digits > 0 and trim:
        text = text.rstrip("0").rstrip(".")
    if lang == "it":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def decimal_mark(text: str, lang: str) -> str:
    """A number already written out with ``.`` as its decimal mark (as Python or Pydantic
    write it, no thousands separator) with the decimal mark of ``lang``.

    >>> decimal_mark("0.05", "it"), decimal_mark("0.05", "en")
    ('0,05', '0.05')
    """
    if lang == "it":
        return text.replace(".", ",")
    return text


def fmt_pct(x: float, lang: str, *, signed: bool = False, digits: int = 1) -> str:
    """A fraction as a percentage (``0.035`` -> ``3.5%``), optionally with its sign."""
    pct = x * 100.0
    return decimal_mark(f"{pct:+.{digits}f}%" if signed else f"{pct:.{digits}f}%", lang)


@dataclass(frozen=True)
class Number:
    """A number filled into a message, written the way each language writes it when the
    message is shown (:func:`fmt_number`).

    >>> Number(20_000_000).get("it"), Number(2.5, digits=1).get("en")
    ('20.000.000', '2.5')
    """

    value: float
    digits: int | None = None

    def get(self, lang: str) -> str:
        return fmt_number(self.value, lang, digits=self.digits)

    def __str__(self) -> str:
        return self.get("en")


class Message(str):
    """A catalogued message: its English text, and the same message in any language.

    Being a ``str``, it goes wherever a message goes (an exception, a warning, a log line)
    and reads in English there; :meth:`get` (or :func:`localize`) gives it in a language.
    Make one with :func:`msg` or :func:`nmsg`.
    """

    msgid: str
    plural: str | None
    n: int | None
    values: dict[str, object]

    def __new__(cls, msgid: str, plural: str | None = None, n: int | None = None,
                values: Mapping[str, object] | None = None) -> Message:
        values = dict(values or {})
        english = (nplural("en", msgid, plural, n or 0, **values) if plural is not None
                   else tr("en", msgid, **values))
        self = super().__new__(cls, english)
        self.msgid, self.plural, self.n, self.values = msgid, plural, n, values
        return self

    def get(self, lang: str) -> str:
        """This message in ``lang``."""
        if self.plural is not None:
            return nplural(lang, self.msgid, self.plural, self.n or 0, **self.values)
        return tr(lang, self.msgid, **self.values)

    def __reduce__(self) -> tuple[Any, ...]:   # pickled with what it is made of
        return (Message, (self.msgid, self.plural, self.n, self.values))


def msg(msgid: str, /, **values: object) -> Message:
    """The message ``msgid`` filled with ``values``, in English until asked otherwise."""
    return Message(msgid, values=values)


def nmsg(singular: str, plural: str, n: int, /, **values: object) -> Message:
    """The sentence for ``n`` (see :func:`nplural`), in English until asked otherwise.

    >>> m = nmsg("wrote %(n)d file", "wrote %(n)d files", 2)
    >>> str(m), m.get("it")
    ('wrote 2 files', 'scritti 2 file')
    """
    return Message(singular, plural, n, values)


def N_(msgid: str) -> str:
    """Mark ``msgid`` as a message to be translated later (a format's declared texts, a
    column role's name), so the catalog check finds it; the text itself is returned.
    :class:`Message` translates it where it is shown."""
    return msgid


def localize(text: object, lang: str) -> str:
    """``text`` in ``lang`` when it is a :class:`Message` or an error raised with one (an
    exception with its own ``localized(lang)``, such as a ``SourceError``, says itself);
    anything else as ``str`` gives it."""
    if isinstance(text, Message):
        return text.get(lang)
    if isinstance(text, BaseException):
        own = getattr(text, "localized", None)
        if callable(own):
            return str(own(lang))
        if len(text.args) == 1 and isinstance(text.args[0], Message) \
                and str(text) == text.args[0]:
            return text.args[0].get(lang)
    return str(text)
