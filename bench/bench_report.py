"""Time the program evaluation report (figures, HTML and PDF) of a 10-group, 4-year program.

Run as ``python bench/bench_report.py [--runs 3]``. Makes a throw-away database with a made-up
program of ten groups meeting for four years (about 70 members, 320 meetings, works and survey
answers), then makes the whole-program report ``--runs`` times and prints the seconds of each
(target: 10 s or less) and the number of PDF pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("PEERMENTOR_DATA_DIR", tempfile.mkdtemp(prefix="bench-report-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peermentor.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    import django

    django.setup()
    import logging

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from django.core.management import call_command

    from peermentor.demo.scale import Scale, generate
    from peermentor.reports import services

    call_command("migrate", verbosity=0)
    scale = Scale(
        slug="ten-groups",
        groups=10,
        members=70,
        meetings=320,
        answers=2_000,
        works=2_000,
        first_year=2018,
        years=4,
    )
    started = time.perf_counter()
    program = generate(scale)
    print(
        f"Program of {scale.groups} groups, {scale.members} members, {scale.meetings} "
        f"meetings over {scale.years} years generated in {time.perf_counter() - started:.1f} s"
    )
    times = []
    for run in range(options.runs):
        report = services.report_request(
            program=program,
            group=None,
            since=dt.date(2018, 1, 1),
            until=dt.date(2021, 12, 31),
            actor=None,
            queue=False,
        )
        started = time.perf_counter()
        report = services.report_make(report_id=report.pk)
        took = time.perf_counter() - started
        times.append(took)
        if report is None or report.status != "done":
            raise SystemExit(f"The report failed: {report.error if report else 'gone'}")
        print(
            f"Run {run + 1}: {took:.2f} s, {report.pdf_pages} PDF pages, "
            f"{len(bytes(report.pdf)) / 1024:.0f} KiB"
        )
    print(
        f"Median: {statistics.median(times):.2f} s (target 10 s); first run includes loading "
        "matplotlib and WeasyPrint."
    )


if __name__ == "__main__":
    main()
