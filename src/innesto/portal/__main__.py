"""``python -m innesto.portal <command>``: Django's manage.py for the portal."""

from innesto.portal.manage import main

if __name__ == "__main__":
    main()
