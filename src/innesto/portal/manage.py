"""``python src/innesto/portal/manage.py <command>`` (same as ``python -m innesto.portal``): Django's manage.py for the portal."""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innesto.portal.settings")
    execute_from_command_line([sys.argv[0], *sys.argv[1:]])


if __name__ == "__main__":
    main()
