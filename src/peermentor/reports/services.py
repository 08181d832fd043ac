"""Writes of reports: asking for a report, making it (the background task's work), and the
editors' conclusions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from peermentor.core.audit import audit_record
from peermentor.core.pdf import PdfUnavailable
from peermentor.programs.models import Group, Program
from peermentor.reports.evaluation import report_content
from peermentor.reports.models import Report

MAX_CONCLUSIONS = 20_000


class ReportError(ValueError):
    """What was asked cannot be made (a message for the person who asked)."""


def report_request(
    *,
    program: Program,
    group: Group | None,
    since: dt.date,
    until: dt.date,
    actor: Any,
    queue: bool = True,
) -> Report:
    """Record the request for a report and queue the task that makes it (unless told not to:
    the command line makes it at once)."""
    if until < since:
        raise ReportError("The end date is before the start date.")
    if group is not None and group.program_id != program.pk:
        raise ReportError("That group is not in this program.")
    with transaction.atomic():
        report = Report.objects.create(
            program=program, group=group, since=since, until=until, requested_by=actor
        )
        audit_record(action="report.requested", actor=actor, target=report)
    if queue:
        _queue(report, rebuild=True)
        report.refresh_from_db()
    return report


def report_conclusions_save(*, report: Report, text: str, actor: Any) -> Report:
    """Store the editors' conclusions and queue the files to be made again with them."""
    text = text.strip()
    if len(text) > MAX_CONCLUSIONS:
        raise ReportError(f"The conclusions are longer than {MAX_CONCLUSIONS:,} characters.")
    if not report.content:
        raise ReportError("The report is not ready yet; add conclusions when it is.")
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(
            conclusions=text,
            conclusions_by=actor,
            conclusions_at=timezone.now(),
            status=Report.Status.QUEUED,
            progress=0,
            step="Waiting to add the conclusions",
        )
        audit_record(action="report.conclusions_saved", actor=actor, target=report)
    _queue(report, rebuild=False)
    report.refresh_from_db()
    return report


def _queue(report: Report, *, rebuild: bool) -> None:
    from peermentor.reports.tasks import make_report

    make_report.enqueue(report_id=report.pk, rebuild=rebuild)


def _progress(report_id: int) -> Any:
    def tell(percent: int, step: str) -> None:
        # Written at once (outside any transaction) so the page polling the status sees it.
        Report.objects.filter(pk=report_id).update(progress=percent, step=step)

    return tell


def report_make(*, report_id: int, rebuild: bool = True) -> Report | None:
    """Gather the figures (unless only the conclusions changed), then write the HTML and PDF."""
    report = Report.objects.select_related("program", "group").filter(pk=report_id).first()
    if report is None:
        return None
    tell = _progress(report.pk)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, error="")
    try:
        if rebuild or not report.content:
            report.content = report_content(
                program=report.program,
                group=report.group,
                since=report.since,
                until=report.until,
                progress=tell,
            )
        tell(75, "Writing the HTML")
        report.html = report_document(report)
        tell(85, "Writing the PDF")
        report.pdf, report.pdf_pages = report_pdf(report)
    except PdfUnavailable as error:
        return _failed(report, str(error))
    report.status = Report.Status.DONE
    report.progress = 100
    report.step = "Ready"
    report.finished_at = timezone.now()
    report.save(
        update_fields=[
            "content",
            "html",
            "pdf",
            "pdf_pages",
            "status",
            "progress",
            "step",
            "finished_at",
        ]
    )
    audit_record(action="report.made", actor=None, target=report)
    return report


def _failed(report: Report, message: str) -> Report:
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.FAILED, error=message[:300], step="Failed"
    )
    report.refresh_from_db()
    return report


def report_failed(*, report_id: int, message: str) -> None:
    """Mark the report failed with a short message (the task's last resort)."""
    Report.objects.filter(pk=report_id).update(
        status=Report.Status.FAILED, error=message[:300], step="Failed"
    )


def report_document(report: Report, *, for_pdf: bool = False) -> str:
    """The report as one self-contained HTML document (styles and figures inline)."""
    return render_to_string(
        "reports/report_document.html",
        {"c": report.content, "report": report, "for_pdf": for_pdf},
    )


def report_pdf(report: Report) -> tuple[bytes, int]:
    """The PDF of the report and its number of pages."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except OSError as error:  # pragma: no cover - depends on the machine
        raise PdfUnavailable("PDF needs the Pango library.") from error
    # The document carries its figures as data: URIs; nothing else may be fetched.
    fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
    document = HTML(string=report_document(report, for_pdf=True), url_fetcher=fetcher).render()
    return document.write_pdf(), len(document.pages)
