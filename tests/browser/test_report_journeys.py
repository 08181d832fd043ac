"""The director's journey: the dashboard, then an evaluation report made in the background,
its progress bar followed in the page, and the PDF downloaded and counted page by page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, World
from tests.reports.conftest import add_groups, add_history
from tests.reports.test_report import pdf_page_count

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots")  # noqa: S108 -- screenshots to look at, not secrets


def test_director_opens_the_dashboard_and_makes_the_pdf(
    page: Any, live_server: Any, world: World
) -> None:
    SHOTS.mkdir(exist_ok=True)
    add_history(world, meetings=6)
    add_groups(world, 1, 6)
    sign_in(page, live_server, world.director.email, PASSWORD)
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.get_by_role("heading", name=f"Dashboard of {world.program.name}")).to_be_visible()
    expect(page.get_by_role("heading", name="Retention")).to_be_visible()
    expect(page.get_by_role("img", name="Survival curve", exact=False)).to_be_visible()
    page.screenshot(path=str(SHOTS / "director-dashboard.png"), full_page=True)

    page.get_by_role("link", name="Evaluation reports").click()
    page.get_by_label("From").fill("2017-01-01")
    page.get_by_label("To").fill("2023-12-31")
    page.screenshot(path=str(SHOTS / "report-list.png"), full_page=True)
    page.get_by_role("button", name="Make the report").click()
    bar = page.get_by_role("progressbar", name="Progress of the report")
    expect(bar).to_have_attribute("value", "100")
    expect(page.get_by_role("heading", name="Ready")).to_be_visible()
    page.screenshot(path=str(SHOTS / "report-ready.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    data = Path(download.value.path()).read_bytes()
    from peermentor.reports.models import Report

    report = Report.objects.get()
    assert data.startswith(b"%PDF")
    assert pdf_page_count(data) == report.pdf_pages >= 3

    page.get_by_role("link", name="Open the HTML").click()
    expect(page.get_by_role("heading", name="3. Results")).to_be_visible()
    page.screenshot(path=str(SHOTS / "report-html.png"), full_page=True)


def test_progress_bar_follows_the_task_until_the_report_is_ready(
    page: Any, live_server: Any, world: World
) -> None:
    from peermentor.reports import services
    from peermentor.reports.models import Report

    add_history(world, meetings=3)
    report = services.report_request(
        program=world.program,
        group=world.group,
        since=dt.date(2019, 1, 1),
        until=dt.date(2023, 12, 31),
        actor=world.director,
        queue=False,
    )
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, progress=40, step="Counting retention and attendance"
    )
    sign_in(page, live_server, world.evaluator.email, PASSWORD)
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    bar = page.get_by_role("progressbar", name="Progress of the report")
    expect(bar).to_have_attribute("value", "40")
    expect(page.get_by_text("Counting retention and attendance")).to_be_visible()
    page.screenshot(path=str(SHOTS / "report-progress.png"), full_page=True)
    services.report_make(report_id=report.pk)  # the worker finishes while the page watches
    expect(page.get_by_role("heading", name="Ready")).to_be_visible(timeout=20_000)
    expect(bar).to_have_attribute("value", "100")
    page.get_by_role("textbox", name="Conclusions").fill(
        "Keep the groups small; add a curriculum option."
    )
    page.get_by_role("button", name="Save the conclusions").click()
    expect(page.get_by_text("Conclusions saved")).to_be_visible()
    report.refresh_from_db()
    assert "Keep the groups small" in report.html
