#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
    # Commands typed in a checkout get the development profile; a server sets DEBUG=0 (with
    # its SECRET_KEY and hosts) in the environment it loads, and that always wins.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
