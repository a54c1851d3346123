#!/usr/bin/env python
import os
import sys


def main() -> None:
    # No defaults beyond the settings module: debug is on only when DJANGO_DEBUG=1
    # says so (the Makefile's local targets set it), so a production command run
    # without a secret key stops with the same message as the web server.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lenze_support.settings")
    from django.core.management import execute_from_command_line

    from lenze_support.startup import KEY_REQUIRED_COMMANDS, require_secret_key

    if len(sys.argv) > 1 and sys.argv[1] in KEY_REQUIRED_COMMANDS:
        require_secret_key()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
