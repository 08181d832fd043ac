"""The ``peermentor`` command: Django management with PeerMentor's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, e.g. ``peermentor serve`` or ``peermentor demo``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peermentor.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["peermentor", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
