"""Background work for reports: making a program evaluation report, with its progress stored."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def make_report(*, report_id: int, rebuild: bool = True) -> int:
    """Make (or, after new conclusions, re-write) a report's files; the number of PDF pages."""
    from peermentor.reports import services

    try:
        report = services.report_make(report_id=report_id, rebuild=rebuild)
    except Exception:
        logger.exception("Report %s could not be made.", report_id)
        services.report_failed(
            report_id=report_id, message="Something went wrong; the error is in the server log."
        )
        raise
    return report.pdf_pages if report else 0
