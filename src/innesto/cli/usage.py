"""The words of the Click copy inside Typer in the user's language, through the catalog.

Typer's own words go through gettext (:mod:`innesto.cli`); those of the copy of Click it
carries (``typer._click``, Typer 0.29.2, pinned in ``pyproject.toml``) are f-strings in its
code. :func:`run`, the entry point's last step, reaches them through Click's documented
hooks, without patching Typer:

- every command of the app gets :class:`LocalContext` as its ``context_class``: its
  formatter writes the ``Usage:`` heading of help pages and error panels from the catalog,
  and its :meth:`~LocalContext.get_help` gives ``--help`` and the completion options their
  translated help before a page is drawn; the usage line's ``[OPTIONS]`` and ``COMMAND
  [ARGS]...`` are set on each command (Click's ``options_metavar`` and
  ``subcommand_metavar``);
- the app runs with ``standalone_mode=False``, so a usage error reaches :func:`run` before
  it is shown: :func:`localized` writes its message again from the exception's class and
  attributes (the option's name and the close matches, the parameter's hint and kind, the
  Pydantic error under a bad value), then Typer's renderer shows it
  (:func:`typer.rich_utils.rich_format_error`) and the command exits with its code.

Only a message the Click copy builds itself is matched against its text (the extra
arguments, the command suggestions Typer appends, a path that does not exist): those
exceptions carry no attribute to build it from. A message not recognised, and every message
under an English locale, is shown as Typer wrote it. ``tests/cli/test_i18n_errors.py``
runs each case under both locales, so a Typer that words them differently fails there.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import typer
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    ClickException,
    MissingParameter,
    NoSuchOption,
    UsageError,
)
from typer._click.formatting import HelpFormatter

from innesto.i18n import Message, localize, msg, nmsg, tr, user_lang
from innesto.pydantic_messages import pydantic_message


class LocalFormatter(HelpFormatter):
    """Click's help formatter with the ``Usage:`` heading in the user's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = tr(user_lang(), "Usage:") + " "
        super().write_usage(prog, args, prefix)


#: Help texts of the options Typer adds (``--help``, the completion options), by the
#: option's name: (Typer's English, its catalogued message).
OPTION_HELP = {
    "help": ("Show this message and exit.", msg("Show this message and exit.")),
    "install_completion": ("Install completion for the current shell.",
                           msg("Install completion for the current shell.")),
    "show_completion": ("Show completion for the current shell, to copy it or customize the "
                        "installation.", msg("Show completion for the current shell, to copy "
                                             "it or customize the installation.")),
}


class LocalContext(typer.Context):
    """A command's context whose help page is in the user's language."""

    formatter_class = LocalFormatter

    def get_help(self) -> str:
        lang = user_lang()
        params: list[Any] = [*self.command.params, self.command.get_help_option(self)]
        for param in params:
            english, message = OPTION_HELP.get(getattr(param, "name", None) or "", ("", ""))
            if english and getattr(param, "help", None) == english:
                param.help = localize(message, lang)
        return super().get_help()


#: The usage line's placeholders (Click's and Typer's defaults) and their messages.
METAVARS = {"options_metavar": ("[OPTIONS]", msg("[OPTIONS]")),
            "subcommand_metavar": ("COMMAND [ARGS]...", msg("COMMAND [ARGS]..."))}


def use_local_context(command: Any, lang: str) -> None:
    """Give ``command`` and every command under it :class:`LocalContext`, and the usage
    line's placeholders in ``lang``."""
    command.context_class = LocalContext
    for attr, (english, message) in METAVARS.items():
        if getattr(command, attr, None) == english:
            setattr(command, attr, localize(message, lang))
    for sub in getattr(command, "commands", {}).values():
        use_local_context(sub, lang)


def _hint(e: BadParameter) -> str | None:
    """The parameter's hint as Click writes it (``'--edition'``, ``'-o' / '--output'``)."""
    hint: Any = e.param_hint
    if hint is None and e.param is not None:
        hint = e.param.get_error_hint()
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint


#: A path that Typer's path checks refuse: the path with its kind, and the problem.
PATH_KINDS = {"file": lambda name: msg("file %(name)s", name=name),
              "dir": lambda name: msg("dir %(name)s", name=name),
              "path": lambda name: msg("path %(name)s", name=name)}
PATH_PROBLEM = re.compile(r"(?P<kind>file|dir|path) (?P<name>'.*') "
                          r"(?P<problem>does not exist|is a file|is a directory|is not readable"
                          r"|is not writable)\.", re.S)
PATH_PROBLEMS: dict[str, Callable[[Message], Message]] = {
    "does not exist": lambda what: msg("%(what)s does not exist.", what=what),
    "is a file": lambda what: msg("%(what)s is a file.", what=what),
    "is a directory": lambda what: msg("%(what)s is a directory.", what=what),
    "is not readable": lambda what: msg("%(what)s is not readable.", what=what),
    "is not writable": lambda what: msg("%(what)s is not writable.", what=what),
}
#: A value that is none of a parameter's choices (Typer's choice check, under Pydantic).
NOT_A_CHOICE = re.compile(r"(?P<value>.*) is not one of (?P<choices>.*)\.", re.S)


def _problem(e: BadParameter) -> Message | str:
    """What is wrong with the value: from the Pydantic error that caused it, else from the
    message of Typer's path checks; else the message as it is."""
    cause: Any = e.__cause__
    if type(cause).__name__ == "ValidationError" and callable(getattr(cause, "errors", None)):
        first = cause.errors()[0]
        error = (first.get("ctx") or {}).get("error")
        found = NOT_A_CHOICE.fullmatch(str(error)) if first["type"] == "value_error" else None
        if found:
            return msg("%(value)s is not one of %(choices)s.", **found.groupdict())
        return pydantic_message(first)
    found = PATH_PROBLEM.fullmatch(e.message)
    if found:
        return PATH_PROBLEMS[found["problem"]](PATH_KINDS[found["kind"]](found["name"]))
    return e.message


def _missing(e: MissingParameter) -> Message | None:
    kind = e.param_type or (e.param.param_type_name if e.param is not None else "parameter")
    hint = _hint(e)
    if not hint or e.format_message() != f"Missing {kind} {hint}.":
        return None     # with a message of its own (a choice's "Choose from"): as it is
    if kind == "argument":
        return msg("Missing argument %(hint)s.", hint=hint)
    if kind == "option":
        return msg("Missing option %(hint)s.", hint=hint)
    return msg("Missing parameter %(hint)s.", hint=hint) if kind == "parameter" else None


def _no_such_option(e: NoSuchOption) -> Message | None:
    if not e.message.startswith("No such option: "):
        return None
    name = e.message[len("No such option: "):]
    if not e.possibilities:
        return msg("No such option: %(name)s", name=name)
    return nmsg("No such option: %(name)s (Possible options: %(options)s)",
                "No such option: %(name)s (Possible options: %(options)s)",
                len(e.possibilities), name=name, options=", ".join(sorted(e.possibilities)))


def _option_usage(e: BadOptionUsage) -> Message | None:
    name = repr(e.option_name)
    if e.message == f"Option {name} requires an argument.":
        return msg("Option %(name)s requires an argument.", name=name)
    if e.message == f"Option {name} does not take a value.":
        return msg("Option %(name)s does not take a value.", name=name)
    found = re.fullmatch(rf"Option {re.escape(name)} requires (\d+) arguments\.", e.message)
    if found:
        n = int(found[1])
        return nmsg("Option %(name)s requires %(n)d arguments.",
                    "Option %(name)s requires %(n)d arguments.", n, name=name)
    return None


EXTRA_ARGS = re.compile(r"Got unexpected extra argument\(s\) \((?P<args>.*)\)", re.S)
DID_YOU_MEAN = re.compile(r"(?P<problem>.*)\. Did you mean (?P<names>.*)\?", re.S)


def _usage(e: UsageError) -> Message | None:
    """A plain usage error: Click's extra arguments, or Typer's command suggestions after
    its (already translated) "No such command"."""
    found = EXTRA_ARGS.fullmatch(e.message)
    if found:
        args = found["args"]
        return nmsg("Got unexpected extra argument(s) (%(args)s)",
                    "Got unexpected extra argument(s) (%(args)s)", len(args.split()), args=args)
    found = DID_YOU_MEAN.fullmatch(e.message)
    if found:
        return msg("%(problem)s. Did you mean %(names)s?", **found.groupdict())
    return None


def message_of(e: ClickException) -> Message | str | None:
    """The message of a usage error as a catalogued message (English until asked
    otherwise); ``None`` for one this module does not know."""
    if isinstance(e, MissingParameter):
        return _missing(e)
    if isinstance(e, BadParameter):
        hint = _hint(e)
        problem = _problem(e)
        return (msg("Invalid value for %(hint)s: %(problem)s", hint=hint, problem=problem)
                if hint is not None else msg("Invalid value: %(problem)s", problem=problem))
    if isinstance(e, NoSuchOption):
        return _no_such_option(e)
    if isinstance(e, BadOptionUsage):
        return _option_usage(e)
    if type(e) is UsageError:
        return _usage(e)
    return None


def localized(e: ClickException, lang: str) -> ClickException:
    """``e`` with its message in ``lang``: a plain usage error with the same context and exit
    code, for Typer to show; ``e`` itself under English or when its message is unknown."""
    text = None if lang == "en" else message_of(e)
    if text is None:
        return e
    out = (UsageError(localize(text, lang), e.ctx) if isinstance(e, UsageError)
           else ClickException(localize(text, lang)))
    out.exit_code = e.exit_code
    return out


def run(app: typer.Typer) -> NoReturn:
    """Run ``app`` on the command line as Typer does, its Click words in the user's
    language. Typer's renderer (Rich's Markdown and more: 50 ms of start-up) is imported
    only when there is an error to show, as Typer itself does."""
    from typer.main import get_command

    lang = user_lang()
    command = get_command(app)
    use_local_context(command, lang)
    try:
        code = command.main(standalone_mode=False)
    except ClickException as e:
        from typer import rich_utils

        rich_utils.rich_format_error(localized(e, lang))
        sys.exit(e.exit_code)
    except typer.Abort:
        from typer import rich_utils

        rich_utils.rich_abort_error()
        sys.exit(1)
    # standalone_mode=False returns an Exit's code, and a command's value (ours return None)
    sys.exit(code if isinstance(code, int) else 0)
