"""``python src/innesto/portal/manage.py <command>`` (same as ``python -m innesto.portal``):
Django's manage.py for the portal, with every expected failure (no ``SECRET_KEY``, an
unreachable database or mail server, a full disk) shown as one ``error:`` line and the exit
codes of :mod:`innesto.cli.failures` instead of a traceback."""

import os
import sys


def main() -> None:
    from innesto.cli.failures import INTERRUPTED, explain

    try:
        from django.core.management import execute_from_command_line
    except ImportError:
        print("error: the portal needs the extra: pip install 'innesto[portal]'",
              file=sys.stderr)
        raise SystemExit(3) from None
    from django.core.management.base import CommandError

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innesto.portal.settings")
    argv = [sys.argv[0], *sys.argv[1:]]
    if len(argv) > 1 and not argv[1].startswith("-") and argv[1] != "help" \
            and "--traceback" not in argv:
        # Django prints a command's own failure as "CommandError: ..."; asked to raise it
        # instead, it reaches the handler below and reads like every other error line.
        argv.append("--traceback")
    try:
        execute_from_command_line(argv)
    except KeyboardInterrupt:
        raise SystemExit(INTERRUPTED) from None
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(exc.returncode) from None
    except Exception as exc:
        known = explain(exc)
        if known is None:
            raise  # a bug: its traceback is what a report needs
        print(f"error: {known[0]}", file=sys.stderr)
        raise SystemExit(known[1]) from None


if __name__ == "__main__":
    main()
