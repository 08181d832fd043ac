"""The demo has an open call with 60 fictional applicants, ready for group formation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from peermentor.enrolment import selectors, services
from peermentor.enrolment.models import Call
from peermentor.programs.formation import FormationRequest, form_groups
from tests.conftest import client_for


@pytest.fixture
def demo_call(db: Any) -> Call:
    call_command("demo", "--if-empty")
    return Call.objects.get(program__slug="demo")


def test_the_demo_call_is_open_with_sixty_varied_applicants(demo_call: Call) -> None:
    assert services.call_is_accepting(demo_call)
    apps = list(demo_call.applications.all())
    assert len(apps) == 60
    assert all(a.email.endswith("@example.org") and a.confirmed_at for a in apps)
    assert sum(a.is_senior for a in apps) == 8
    assert len({a.department for a in apps}) >= 5
    assert sum(bool(a.exclude_emails) for a in apps) == 5
    assert any(a.balance for a in apps)
    assert any(not a.balance for a in apps)
    assert all(a.availability for a in apps)


def test_the_demo_applicants_form_eight_groups_with_one_senior_each(demo_call: Call) -> None:
    apps = selectors.eligible_applications(call=demo_call)
    request = FormationRequest(selectors.formation_applicants(apps), 6, 8, True, seconds=3)
    result = form_groups(request)
    assert len(result.groups) == 8
    assert all(6 <= len(g) <= 8 for g in result.groups)


def test_the_demo_call_page_is_public(demo_call: Call) -> None:
    page = client_for(None).get(reverse("call_public", args=[demo_call.slug]))
    assert page.status_code == 200
    assert "every person in it is fictional" in page.content.decode()
