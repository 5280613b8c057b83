"""The ``innesto`` command line: thin over the library.

Typer's own words (the ``Options``, ``Arguments``, ``Commands`` and ``Error`` panels, "Try
'innesto ... --help' for help.", ``[default: ...]``, ``[required]``, "Missing command.")
go through Python's global :func:`gettext.gettext`; importing this package points that
function at the library's catalog (domain ``innesto``), so they are in the user's language
through the same catalog as everything else. It is done here, before Typer is imported,
because Typer reads some of its words once, when its modules are imported. Python's
:mod:`gettext` reads the same variables as :func:`innesto.i18n.user_lang` but lets
``LANGUAGE`` override a C locale; the catalog is bound only when
:func:`~innesto.i18n.user_lang` asks for a language other than English, so the two never
disagree.

The words of the copy of Click that Typer (0.29) carries in ``typer._click`` are written
into its code, not looked up through gettext (``Usage:``, "No such option: ...", "Missing
argument ...", "Show this message and exit."): :mod:`innesto.cli.usage` writes the frequent
ones again through the same catalog, from the usage error's class and attributes, where the
command line runs (:func:`innesto.cli.app.main`).
"""

from __future__ import annotations

import gettext

from innesto.i18n import DOMAIN, LOCALE, N_, user_lang

if user_lang() != "en":
    gettext.bindtextdomain(DOMAIN, str(LOCALE))
    gettext.textdomain(DOMAIN)

#: Typer's words that the catalog translates (declared here so the catalog check knows
#: they are used: Typer looks them up itself, by these very msgids).
TYPER_WORDS = (
    N_("Arguments"), N_("Options"), N_("Commands"), N_("Error"), N_("Aborted."),
    N_("Aborted!"), N_("Missing command."), N_("No such command {name!r}."),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."), N_("(deprecated) "),
    N_("[default: {}]"), N_("[env var: {}]"), N_("[required]"), N_("(dynamic)"),
    N_("default: {default}"), N_("env var: {var}"), N_("required"),
)
