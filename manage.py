#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lenze_support.settings")
    if "DJANGO_SECRET_KEY" not in os.environ:
        # No secret key: a developer's checkout (production always sets one), so
        # commands such as makemigrations run in debug mode instead of refusing.
        # The web server (wsgi.py) has no such default: it still refuses to start.
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
