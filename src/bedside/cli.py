"""The `bedside` command: Django's management commands under one name.

`bedside scan` is served by the compliance engine directly, without starting
Django, so that scanning a file costs only the engine's own start-up.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "scan":
        from bedside.compliance.engine.cli import main as scan_main

        return scan_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bedside.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["bedside", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
