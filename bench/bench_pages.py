"""Time every page of the load test's mix in one process, with its database queries.

Run as ``python bench/bench_pages.py`` with ``PEERMENTOR_DATA_DIR`` (and ``DATABASE_URL`` for
PostgreSQL) naming a database that holds the consortium program (``peermentor demo --scale
consortium``). For each page a member, the director and the evaluator of that program visit it
prints the time of a first visit (caches empty), of a second visit, and the number of queries of
each: a page whose queries grow with the data, or that is slow when warm, shows here first.
"""

from __future__ import annotations

import os
import sys
import time

import django

PROGRAM = "consortium"


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peermentor.settings")
    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from peermentor.accounts.models import User
    from peermentor.meetings.models import Meeting
    from peermentor.programs.models import Membership, Program
    from peermentor.surveys.models import Wave

    program = Program.objects.filter(slug=PROGRAM).first()
    if program is None:
        print(f"Skipped: no {PROGRAM!r} program here (`peermentor demo --scale consortium`).")
        return 0
    membership = Membership.objects.filter(group__program=program, left_on__isnull=True).first()
    group = membership.group
    meeting = Meeting.objects.filter(group=group).order_by("-starts_at").first()
    wave = Wave.objects.filter(program=program).order_by("-pk").first()
    base = f"/programs/{PROGRAM}"
    visits = {
        membership.user.email: [
            "/",
            f"/groups/{group.pk}/",
            f"/groups/{group.pk}/meetings/",
            f"/groups/{group.pk}/goals/",
            f"/groups/{group.pk}/resources/",
            f"/groups/{group.pk}/dashboard/",
            f"/meetings/{meeting.pk}/",
            "/goals/",
            "/works/",
            "/surveys/",
        ],
        f"director@{PROGRAM}.example": [
            "/",
            f"{base}/",
            f"{base}/figures/",
            f"{base}/productivity/",
            f"{base}/surveys/",
            f"{base}/reports/",
            f"/groups/{group.pk}/",
        ],
        f"evaluator@{PROGRAM}.example": [
            "/",
            f"{base}/",
            f"{base}/surveys/",
            f"/surveys/waves/{wave.pk}/",
            f"/surveys/waves/{wave.pk}/answers/",
            f"{base}/workbench/",
            f"{base}/workbench/coding/",
        ],
    }
    cache.clear()
    print(f"Database: {connection.vendor}. Times in ms, queries in brackets.")
    print(f"{'page':58} {'first':>14} {'second':>14}")
    for email, paths in visits.items():
        client = Client()
        client.force_login(
            User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend"
        )
        print(f"-- {email}")
        for path in paths:
            cells = []
            for _ in range(2):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    status = client.get(path, HTTP_HOST="127.0.0.1").status_code
                    took = (time.perf_counter() - started) * 1000
                cells.append(f"{took:8.0f} ({len(queries):3})")
            print(f"{path:52} {status:3}  {cells[0]:>14} {cells[1]:>14}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
