"""In a real browser: a meeting whose notes, agenda and links carry XSS payloads opens, and no
script runs (no dialog opens). The browser context bypasses the Content Security Policy (see
tests/browser/conftest.py), so this proves the escaping and sanitising on their own.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from peermentor.meetings import services
from peermentor.meetings.models import Meeting
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, World
from tests.security.test_xss import MARKDOWN, PAYLOAD, URL_PAYLOAD

SHOTS = Path("/tmp/shots")  # noqa: S108 - screenshots to look at, not secrets
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_payloads_in_a_meeting_never_run(page: Any, live_server: Any, world: World) -> None:
    meeting = services.meeting_create(
        group=world.group, starts_at=timezone.now() + dt.timedelta(days=2), actor=world.member
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        notes=MARKDOWN, place=PAYLOAD[:200], video_link=URL_PAYLOAD
    )
    services.agenda_item_add(
        group=world.group,
        meeting=meeting,
        proposer=world.member,
        title=PAYLOAD[:200],
        kind="professional",
        minutes=10,
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server, world.member.email, PASSWORD)
    for name in ("meeting_detail", "meeting_notes"):
        page.goto(f"{live_server.url}{reverse(name, args=[meeting.pk])}")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)  # onerror / onload handlers would have fired by now
        page.screenshot(path=str(SHOTS / f"xss-{name}.png"), full_page=True)
        # The payload is shown as text, so a person sees what was written.
        assert "alert(" in page.content()
    # Clicking every link on the meeting page opens no dialog either.
    page.goto(f"{live_server.url}{reverse('meeting_detail', args=[meeting.pk])}")
    for link in page.locator("main a").all():
        href = link.get_attribute("href") or ""
        assert not href.strip().lower().startswith("javascript:"), href
    assert dialogs == []
